"""What a watcher keeps current: outputs rendered from the index after each change.

What each output shows is computed in ``app/`` (the feed, the dashboard note), the same
code the commands run; here it is wrapped as something to render and write.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from vaultnet.app import feed, reports
from vaultnet.core.config import Config
from vaultnet.store.index import Index

Render = Callable[[Index, date], bytes]


@dataclass(frozen=True)
class Output:
    """Something regenerated from the index after each change: rendered, then written only
    when its bytes differ. ``write`` returns whether it wrote; ``path`` is where it lands
    when it is a file (so that the watcher knows its own writes). ``depends`` names the
    index's change counters (``Index.generations``) whose moves make it stale."""

    label: str
    render: Render
    write: Callable[[bytes], bool]
    path: Path | None = None
    depends: tuple[str, ...] = ("notes",)


FEED_DEPENDS = ("contacts", "tasks")  # the feed shows contacts' fields and tasks, no more


def file_output(
    label: str, path: Path, render: Render, depends: tuple[str, ...] = ("notes",)
) -> Output:
    """An output written to ``path`` (atomically, and only when its bytes changed)."""
    from vaultnet.vault.fsio import atomic_write

    return Output(label, render, lambda data: atomic_write(path, data), path, depends)


def generated_output(label: str, vault: Path, path: Path, render: Render) -> Output:
    """A note vaultnet generates: written only over a note it generated (vault.fsio)."""
    from vaultnet.vault.fsio import write_generated

    return Output(label, render, lambda data: write_generated(vault, path, data), path)


def dashboard_render(config: Config) -> Render:
    """The follow-ups dashboard note, as ``followups --write`` writes it."""

    def render(index: Index, today: date) -> bytes:
        return reports.dashboard(index, config, today)

    return render


def ics_render(config: Config) -> Render:
    """The .ics feed with the settings of ``[calendar]`` in the config (checked right away).
    Most saves touch notes the feed does not show: then nothing is rendered again."""
    return feed.LiveFeed(config, feed.feed_settings(config)).render


def watch_outputs(config: Config, vault: Path, ics: Path | None, dashboard: bool) -> list[Output]:
    """The outputs of ``watch``: the ``ics`` file, then the dashboard note, when asked for."""
    outputs = []
    if ics is not None:
        outputs.append(file_output(str(ics), ics, ics_render(config), FEED_DEPENDS))
    if dashboard:
        name = str(config["dashboard"])
        outputs.append(generated_output(name, vault, vault / name, dashboard_render(config)))
    return outputs


def feed_output(config: Config, publish: Callable[[bytes], bool]) -> Output:
    """The output of ``serve``: the feed, handed to ``publish`` (the server) when it changed."""
    return Output("feed", ics_render(config), publish, depends=FEED_DEPENDS)
