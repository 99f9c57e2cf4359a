"""Analyst views over a search: each takes the query, filters and date range the results
list has, and talks to the library through ``search.CorpusIndex`` only (never Textual)."""
