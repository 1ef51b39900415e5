"""What a watcher keeps current: outputs rendered from the index after each change.

What each output shows is computed in ``app/`` (the feed, the dashboard note), the same
code the commands run; here it is wrapped as something to render and write.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from vaultnet.app import answers, feed, reports
from vaultnet.core.config import Config
from vaultnet.store.connection import GENERATIONS
from vaultnet.store.index import Index
from vaultnet.store.sync import asked_answer

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


class AnswerRefresh:
    """Keeps the answers commands asked for recently (``app.answers``) current: after each
    change the watcher applied (and once its other outputs are written), each one under
    the watcher's config whose counters moved is computed again, by running its command
    line in a child process (the same code as the command, with the watcher free to apply
    the next save meanwhile), once the vault has been quiet for REFRESH_QUIET. One child at
    a time; what became stale while one ran is taken up when it ends."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.asked: dict[int, float] = {}  # answers replayed, as sync files named them
        self._pending: list[str] = []
        self._changed = 0.0  # when the index last changed (monotonic)
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None
        self._child: subprocess.Popen[bytes] | None = None
        self._closed = False

    def output(self) -> Output:
        """The refresh as one of the watcher's outputs: it renders nothing and writes nothing."""
        return Output("answers", self.render, lambda data: False, None, GENERATIONS)

    def note_sync(self, path: str) -> None:
        """A command's sync file arrived: when it names an answer, that one was asked for."""
        number = asked_answer(path)
        if number is not None:
            from vaultnet.store.answers import now

            when = now()
            self.asked = {k: t for k, t in self.asked.items() if when - t <= answers.RECENT}
            self.asked[number] = when

    def changed(self) -> None:
        """The watcher applied a change: a child computing an answer now computes a stale
        one, and takes a core from the next saves. It is stopped; the answers are computed
        again once the vault is quiet."""
        with self._cond:
            self._changed = time.monotonic()
            child = self._child
        if child is not None and child.poll() is None:
            with contextlib.suppress(OSError):
                child.terminate()

    def render(self, index: Index, today: date) -> bytes:
        import sqlite3

        try:
            recipes = answers.stale_recipes(index, self.config, self.asked)
        except sqlite3.Error:
            return b""  # a damaged answers table: commands compute (and rebuild) themselves
        if recipes:
            with self._cond:
                if self._closed:
                    return b""
                self._pending = recipes
                self._changed = time.monotonic()
                if self._thread is None:
                    self._thread = threading.Thread(
                        target=self._run, name="vaultnet-answers", daemon=True
                    )
                    self._thread.start()
                self._cond.notify()
        return b""

    def close(self) -> None:
        """Stop: the running child (if any) is ended, nothing more is started."""
        with self._cond:
            self._closed = True
            self._pending = []
            child = self._child
            self._cond.notify()
        if child is not None:
            with contextlib.suppress(OSError):
                child.terminate()
        if self._thread is not None:
            self._thread.join(timeout=5.0)

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._closed:
                    quiet = self._changed + REFRESH_QUIET - time.monotonic()
                    if self._pending and quiet <= 0:
                        break
                    self._cond.wait(quiet if self._pending else None)
                if self._closed:
                    return
                recipe = self._pending.pop(0)
                argv = refresh_argv(recipe)
                if argv is None:
                    continue
                env = {k: v for k, v in os.environ.items() if k not in _UNSET}
                env[answers.REFRESH_ENV] = "1"
                self._child = subprocess.Popen(
                    argv,
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    env=env,
                )
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._child.wait(timeout=REFRESH_TIMEOUT)
            with self._cond:
                if self._child.poll() is None:
                    self._child.kill()
                    self._child.wait()
                self._child = None


# Seconds without a change before answers are computed again: a series of saves is
# applied (and the feed written) with both cores free, the answers once it pauses.
REFRESH_QUIET = 0.5
REFRESH_TIMEOUT = 300.0  # seconds a refresh may take before it is given up
# What would make a child's output differ from a plain one (a pipe, no colours, no width),
# or point it elsewhere than its recipe says.
_UNSET = ("COLUMNS", "FORCE_COLOR", "VAULTNET_VAULT", "VAULTNET_TODAY")


def refresh_argv(recipe: str) -> list[str] | None:
    """The command line that computes a stored answer again: only for answers printed
    plain (no colours, no width), as the child prints to nothing."""
    try:
        what = json.loads(recipe)
        if not what.get("plain"):
            return None
        args = [str(a) for a in what["args"]]
        head = ["--vault", str(what["vault"]), "--today", str(what["today"])]
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
    return [sys.executable, "-m", "vaultnet", *head, *args]
