"""The Whoosh engine.

Everything that touches Whoosh lives in this folder (``tests/test_layering.py``).
"""
