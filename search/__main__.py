"""``python -m search`` and the ``corpus-browser`` command: the command line.

The app spawns it for background indexing.  Ctrl-C is taken over first (``search.ctrl_c``),
before the library's imports, so that it gives one line and exit 130 from the start.
"""

import sys

from search import ctrl_c


def main() -> int:
    ctrl_c.install()
    try:
        from search.cli import main as cli_main
    except KeyboardInterrupt:
        return ctrl_c.report()
    return cli_main()


if __name__ == "__main__":
    sys.exit(main())
