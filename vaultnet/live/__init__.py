"""Long-running work: the watcher, file events and the HTTP server."""
