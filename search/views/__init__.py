"""Analyst views over a search's hits: each a function of the index and a query, no Textual."""
