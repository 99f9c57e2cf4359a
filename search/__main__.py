"""``python -m search`` and the ``corpus-browser`` command: the command line.

The app spawns it for background indexing.  Ctrl-C is taken over first (``search.ctrl_c``),
before the library's imports, so that it gives one line and exit 130 from the start.
"""

import os
import sys

from search import ctrl_c


def main() -> int:
    ctrl_c.install()
    try:
        from search.cli import main as cli_main
    except KeyboardInterrupt:
        code = ctrl_c.report()
    else:
        code = cli_main()
    if ctrl_c.interrupted():
        # A run ended by Ctrl-C has said so and cleaned up; leaving through Python's shut-down
        # after that sometimes ended the process by SIGINT itself (exit -2, no 130) when the
        # interrupt had passed through an import.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    return code


if __name__ == "__main__":
    sys.exit(main())
