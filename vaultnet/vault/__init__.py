"""The notes on disk: finding and scanning the vault, parsing notes, careful edits, atomic writes."""
