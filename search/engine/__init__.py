"""Index engines behind one protocol (``search.engine.base``)."""
