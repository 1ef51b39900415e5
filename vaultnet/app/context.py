"""The one context object every command gets: vault, config, today, and the index."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from vaultnet.core.config import Config
from vaultnet.store.index import Index, ProgressFn
from vaultnet.vault.config import load_config


@dataclass
class App:
    vault: Path
    today: date
    quiet: bool = False  # --quiet: no notices of what a report left out (errors still show)
    _config: Config | None = None
    _index: Index | None = None

    @property
    def config(self) -> Config:
        if self._config is None:
            self._config = load_config(self.vault)
        return self._config

    def index(self, update: bool = True, progress: ProgressFn | None = None) -> Index:
        """The index, brought up to date with the vault unless ``update`` is False."""
        if self._index is None:
            self._index = Index(self.vault, self.config)
            if update and not self._watched():
                self._index.update(progress)
        return self._index

    def _watched(self) -> bool:
        """Whether a running watcher vouches for the index (then no scan is needed)."""
        from vaultnet.store.sync import in_sync

        assert self._index is not None
        return in_sync(self._index.path, self.config.fingerprint())

    def discard_damaged_index(self, exc: BaseException) -> bool:
        """When ``exc`` says the index is damaged: close and delete it, so that the next
        ``index()`` rebuilds it. Whether it did."""
        from vaultnet.store.index import discard, is_damage

        if not is_damage(exc):
            return False
        with contextlib.suppress(Exception):
            self.close()
        self._index = None
        discard(self.vault)
        return True

    def close(self) -> None:
        if self._index is not None:
            self._index.close()
            self._index = None
