"""The one context object every command gets: vault, config, today, and the index."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    # Loaded when first used: a command that replays a stored answer (``app.answers``)
    # needs neither the config's validation nor the index's code.
    from vaultnet.core.config import Config
    from vaultnet.store.index import Index, ProgressFn


@dataclass
class App:
    vault: Path
    today: date
    quiet: bool = False  # --quiet: no notices of what a report left out (errors still show)
    _config: Config | None = None
    _index: Index | None = None
    # The config fingerprint a running watcher vouched for during this run (``vouch``).
    _vouched: str | None = None
    # Whether a running watcher vouched for the index when it was opened (no scan of ours).
    watched: bool = False
    # Up to how many changed notes the update tells which contacts they concern (for a
    # report kept by parts, ``app.parts``; 0: not asked).
    track: int = 0

    @property
    def config(self) -> Config:
        if self._config is None:
            from vaultnet.vault.config import load_config

            self._config = load_config(self.vault)
        return self._config

    def index(self, update: bool = True, progress: ProgressFn | None = None) -> Index:
        """The index, brought up to date with the vault unless ``update`` is False."""
        if self._index is None:
            from vaultnet.store.index import Index

            self._index = Index(self.vault, self.config)
            if update:
                self.watched = self._watched()
                if not self.watched:
                    self._index.update(progress, track=self.track)
        return self._index

    def vouch(self, fingerprint: str) -> None:
        """A running watcher has just applied every earlier save to the index under a config
        of this fingerprint (``store.sync.in_sync``): no need to ask it again."""
        self._vouched = fingerprint

    def _watched(self) -> bool:
        """Whether a running watcher vouches for the index (then no scan is needed)."""
        from vaultnet.store.index import cache_path
        from vaultnet.store.sync import in_sync

        assert self._index is not None
        fingerprint = self.config.fingerprint()
        if self._vouched == fingerprint and self._index.path == cache_path(self.vault):
            return True
        return in_sync(self._index.path, fingerprint)

    def discard_damaged_index(self, exc: BaseException) -> bool:
        """When ``exc`` says the index is damaged: close and delete it, so that the next
        ``index()`` rebuilds it. Whether it did."""
        from vaultnet.store.index import discard, is_damage

        if not is_damage(exc):
            return False
        with contextlib.suppress(Exception):
            self.close()
        self._index = None
        self._vouched = None
        discard(self.vault)
        return True

    def close(self) -> None:
        if self._index is not None:
            self._index.close()
            self._index = None
