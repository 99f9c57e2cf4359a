"""``python -m bench``: run the bench set (see bench/run_all.py)."""

from bench.run_all import main

raise SystemExit(main())
