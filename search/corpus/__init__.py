"""A corpus folder: walking it, reading an article, its header lines."""
