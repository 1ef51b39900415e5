"""What ``import mail`` and ``import calendar`` say: the plan (each note and its new lines),
a summary, and who came up often without being a contact. Returns text."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from vaultnet.core.interactions import InteractionsRun as Run

# What each count is called in the summary, in its order.
_WORDS: Mapping[str, Mapping[str, str]] = {
    "mail": {
        "read": "messages read",
        "matched": "with contacts",
        "bulk": "skipped as bulk or list mail",
        "not_yours": "neither from nor to you",
        "undated": "without a date",
        "outside": "outside the dates",
    },
    "calendar": {
        "read": "past events read",
        "matched": "with contacts",
        "declined": "declined or cancelled",
        "no_attendees": "without attendees",
        "no_contacts": "without contacts",
    },
}


def plan_lines(run: Run) -> list[str]:
    """Each note to create or add to (with its outcome after a real run), then its lines."""
    outcomes = {o.path: o for o in run.outcomes or []}
    out = []
    for plan in run.plans:
        outcome = outcomes.get(plan.path)
        verb = "create" if plan.new else "add to"
        if outcome is not None and outcome.status == "error":
            out.append(f"error   {plan.path}: {outcome.message}")
            continue
        more = "" if plan.lines else f" ({_items(run.source.name, len(plan.ids))} recorded)"
        out.append(f"{verb} {plan.path}{more}")
        out.extend(f"  {line}" for line in plan.lines)
    return out


def _items(source: str, n: int) -> str:
    word = "message" if source == "mail" else "event"
    return f"{n} more {word}{'s' if n != 1 else ''}"


def summary(run: Run) -> list[str]:
    """The counts, what was (or would be) written, and the frequent non-contacts."""
    words = _WORDS[run.source.name]
    counts = run.counts
    parts = [f"{counts[k]} {words[k]}" for k in words if k == "read" or counts[k]]
    lines = [", ".join(parts) + "."]
    added = sum(len(p.lines) for p in run.plans)
    notes = len(run.plans)
    done = "Would add" if run.outcomes is None else "Added"
    text = (
        f"{done} {added} line{'s' if added != 1 else ''} in {notes} note{'s' if notes != 1 else ''}"
    )
    if run.already:
        text += f"; {run.already} already imported"
    lines.append(text + ("." if run.outcomes is not None else " (dry run: nothing was written)."))
    if run.strangers:
        lines.append("Not contacts, most frequent first (`vaultnet add NAME --email ADDRESS`):")
        lines.extend(
            f"  {s.count:>4}  {s.name + ' ' if s.name else ''}<{s.address}>" for s in run.strangers
        )
    return lines


def text_report(run: Run) -> str:
    return "\n".join([*plan_lines(run), *summary(run)]) + "\n"


def json_report(run: Run) -> str:
    """The run as JSON; its keys are a promise to scripts."""
    outcomes = {o.path: o for o in run.outcomes or []}
    data: dict[str, Any] = {
        "source": run.source.name,
        "dry_run": run.outcomes is None,
        "counts": dict(run.counts),
        "already_imported": run.already,
        "notes": [
            {
                "path": p.path,
                "new": p.new,
                "lines": p.lines,
                "ids": p.ids,
                "status": outcomes[p.path].status if p.path in outcomes else None,
                "error": (outcomes[p.path].message or None) if p.path in outcomes else None,
            }
            for p in run.plans
        ],
        "not_contacts": [
            {"name": s.name, "email": s.address, "count": s.count} for s in run.strangers
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


INTERACTIONS_FORMATS: dict[str, Callable[[Run], str]] = {
    "table": text_report,
    "json": json_report,
}


def error_count(run: Run) -> int:
    return sum(1 for o in run.outcomes or [] if o.status == "error")
