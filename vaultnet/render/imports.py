"""What an import says: one line per issue and per contact, and a summary. Returns text."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from typing import Any

from vaultnet.core.incoming import Action, Issue, Outcome
from vaultnet.core.tuples import NamedTuple


def issue_line(filename: str, issue: Issue) -> str:
    where = f"{issue.where}: " if issue.where else ""
    return f"{issue.severity}: {filename}: {where}{issue.message}"


def action_line(action: Action, outcome: Outcome | None = None) -> str:
    who = f"{action.record.name} ({action.record.where})"
    if outcome is not None and outcome.status == "error":
        return f"error   {who}: {outcome.message}"
    line = f"{action.kind:<7} {who}: {action.reason}"
    if outcome is not None and outcome.status == "created":
        line += f" \u2192 {outcome.path}"
    return line


def plan_lines(actions: list[Action], outcomes: list[Outcome] | None) -> list[str]:
    """Each action (with its outcome after a real run), then the job changes."""
    lines = []
    for i, action in enumerate(actions):
        lines.append(action_line(action, outcomes[i] if outcomes is not None else None))
    jobs = [a for a in actions if a.job is not None]
    for action in jobs:
        status = "" if action.kind == "merge" else " (not applied)"
        lines.append(f"job change: {action.job}{status}")
    pending = sum(1 for a in jobs if a.kind != "merge")
    if pending:
        lines.append(
            f"{pending} job change{'s' if pending > 1 else ''} not applied: run again with"
            " --merge to update company and title (the old position is kept in `positions`)."
        )
    return lines


def summary(actions: list[Action], outcomes: list[Outcome] | None, parse_errors: int) -> str:
    """Counts of what happened; with ``outcomes`` None (a dry run), of what would."""
    if outcomes is None:
        planned = Counter(a.kind for a in actions)
        return (
            f"Would create {planned['create']}, merge {planned['merge']}, skip"
            f" {planned['skip']}; errors {parse_errors} (dry run: nothing was written)."
        )
    done = Counter(o.status for o in outcomes)
    return (
        f"Created {done['created']}, merged {done['merged']}, skipped {done['skipped']},"
        f" errors {done['error'] + parse_errors}."
    )


def error_count(outcomes: list[Outcome] | None, parse_errors: int) -> int:
    return parse_errors + sum(1 for o in outcomes or [] if o.status == "error")


class ImportReport(NamedTuple):
    """What an import of contacts read, planned and did, as the formats need it."""

    source: str
    file: str
    issues: list[Issue]
    actions: list[Action]
    outcomes: list[Outcome] | None  # None: a dry run
    parse_errors: int


def text_report(run: ImportReport) -> str:
    lines = [*plan_lines(run.actions, run.outcomes)]
    lines.append(summary(run.actions, run.outcomes, run.parse_errors))
    return "\n".join(lines) + "\n"


def _action_json(action: Action, outcome: Outcome | None) -> dict[str, Any]:
    job = action.job
    return {
        "action": action.kind,
        "name": action.record.name,
        "where": action.record.where,
        "reason": action.reason,
        "path": outcome.path if outcome is not None and outcome.path else action.path,
        "adds": list(action.adds),
        "job_change": None
        if job is None
        else {"old": job.old, "new": job.new, "applied": action.kind == "merge"},
        "status": None if outcome is None else outcome.status,
        "error": outcome.message or None if outcome is not None else None,
    }


def json_report(run: ImportReport) -> str:
    """The plan (a dry run) or the result as JSON; its keys are a promise to scripts."""
    outcomes = run.outcomes
    planned = Counter(a.kind for a in run.actions)
    done = None if outcomes is None else Counter(o.status for o in outcomes)
    data: dict[str, Any] = {
        "source": run.source,
        "file": run.file,
        "dry_run": outcomes is None,
        "planned": {k: planned[k] for k in ("create", "merge", "skip")},
        "done": None if done is None else {k: done[k] for k in ("created", "merged", "skipped")},
        "errors": error_count(outcomes, run.parse_errors),
        "issues": [
            {"severity": i.severity, "where": i.where, "message": i.message} for i in run.issues
        ],
        "contacts": [
            _action_json(a, outcomes[n] if outcomes is not None else None)
            for n, a in enumerate(run.actions)
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


IMPORT_FORMATS: dict[str, Callable[[ImportReport], str]] = {
    "table": text_report,
    "json": json_report,
}


def export_json(fmt: str, out: str, count: int) -> str:
    """``export --out FILE --format json``: what was written where."""
    data = {"format": fmt, "out": out, "contacts": count}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
