"""Command logic: where the store, the rules and the writers meet."""
