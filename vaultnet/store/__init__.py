"""All SQL: the index (a disposable SQLite cache), its reconcile, typed queries, loading contacts."""
