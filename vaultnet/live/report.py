"""What a watcher's batch did, and the lines that tell it."""

from __future__ import annotations

from dataclasses import dataclass

from vaultnet.core.model import Problem


@dataclass(frozen=True)
class BatchReport:
    """What one batch did to the index and the outputs."""

    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = ()  # of the notes just parsed: each reported once a change
    written: tuple[str, ...] = ()  # labels of the outputs rewritten
    seconds: float = 0.0
    full: bool = False
    reason: str = "events"
    own: tuple[str, ...] = ()  # output files the watcher wrote, indexed again

    @property
    def changed(self) -> int:
        return len(self.added) + len(self.updated) + len(self.removed)


def batch_line(report: BatchReport, shown: int = 3) -> str:
    """One line saying what a batch changed (or which outputs it wrote) and how long it took."""
    counts = [
        f"{len(names)} {word}"
        for names, word in (
            (report.added, "added"),
            (report.updated, "updated"),
            (report.removed, "removed"),
        )
        if names
    ]
    paths = [*report.added, *report.updated, *report.removed]
    wrote = f"wrote {', '.join(report.written)}" if report.written else ""
    if paths:
        more = f" and {len(paths) - shown} more" if len(paths) > shown else ""
        what = f"{', '.join(counts)} ({', '.join(paths[:shown])}{more})"
    else:
        what, wrote = wrote or "nothing changed", ""
    if report.reason != "events":
        what = f"{report.reason}: {what}"
    line = f"{what} in {report.seconds * 1000:.0f} ms"
    if report.problems:
        line += f"; {len(report.problems)} problem{'s' if len(report.problems) > 1 else ''}"
    return f"{line}; {wrote}" if wrote else line


def problem_line(p: Problem) -> str:
    """A problem of a note just parsed, as one line: ``path[:line]: message``."""
    where = p.path if p.line is None else f"{p.path}:{p.line}"
    return f"{where}: {p.message}"
