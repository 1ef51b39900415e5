"""vaultnet: a personal relationship manager inside a plain-text notes vault."""

__version__ = "0.1.0"
