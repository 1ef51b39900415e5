"""Domain errors. Each carries its exit status and, where known, the file it concerns.

The CLI turns them into a one-line message on stderr in one place (``cli.VaultnetGroup``).
"""

from __future__ import annotations

from pathlib import Path


class VaultnetError(Exception):
    """Base class: a problem the user can act on, reported without a traceback."""

    exit_code = 1

    def __init__(self, message: str, path: Path | str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def __str__(self) -> str:
        if self.path is None:
            return self.message
        where = str(self.path) if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"


class UsageError(VaultnetError):
    """The command line asks for something that cannot be (unknown name, bad option value)."""

    exit_code = 2


class ConfigError(VaultnetError):
    """The vault's config.toml is unreadable or invalid."""

    exit_code = 2


class NoteError(VaultnetError):
    """A note cannot be read or edited (broken front matter, changed on disk)."""

    exit_code = 1
