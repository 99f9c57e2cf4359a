"""The index behind one facade (``facade.CorpusIndex``) and its generations on disk."""
