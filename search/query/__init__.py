"""The query language: our own tree (``tree``) and the parser that makes it (``parser``)."""
