"""Benchmarks for corpus-browser: scripts that measure and print figures (see docs/bench.md).

Run the whole set with ``python -m bench`` (or ``python bench/run_all.py``).
"""
