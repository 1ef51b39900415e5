"""What an import says: one line per issue and per contact, and a summary. Returns text."""

from __future__ import annotations

from collections import Counter

from vaultnet.core.incoming import Action, Issue, Outcome


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
