"""Domain errors. Each carries its exit status and, where known, the file it concerns.

The CLI turns them into a one-line message on stderr in one place (``cli.VaultnetGroup``),
which also turns a stray ``OSError`` into one line naming its path.
"""

from __future__ import annotations

import os


class VaultnetError(Exception):
    """Base class: a problem the user can act on, reported without a traceback."""

    exit_code = 1

    def __init__(
        self, message: str, path: os.PathLike[str] | str | None = None, line: int | None = None
    ):
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


class WriteError(VaultnetError):
    """A file or folder could not be written (permission denied, no such folder, disk full,
    read-only file system): the path and the system's reason."""

    exit_code = 1

    @classmethod
    def from_os(
        cls, exc: OSError, path: os.PathLike[str] | str, what: str = "write it"
    ) -> WriteError:
        """``PATH: cannot WHAT: reason`` for an error the system gave."""
        # The user's path, not the temporary file's that the system may name.
        return cls(f"cannot {what}: {exc.strerror or exc}", path)
