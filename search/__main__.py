"""``python -m search`` is the command line; the app spawns it for background indexing."""

import sys

from search.cli import main

sys.exit(main())
