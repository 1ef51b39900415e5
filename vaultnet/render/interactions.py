"""What ``import mail`` and ``import calendar`` say: the plan (each note and its new lines),
a summary, and who came up often without being a contact. Returns text, whole or (for a
long plan, as the notes are planned) a piece at a time."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from vaultnet.core.interactions import NotePlan, Outcome, Run

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
    return [line for plan, outcome in run.notes() for line in _note_lines(run, plan, outcome)]


def _note_lines(run: Run, plan: NotePlan, outcome: Outcome | None) -> list[str]:
    if outcome is not None and outcome.status == "error":
        return [f"error   {plan.path}: {outcome.message}"]
    verb = "create" if plan.new else "add to"
    more = "" if plan.lines else f" ({_items(run.source.name, len(plan.ids))} recorded)"
    return [f"{verb} {plan.path}{more}", *(f"  {line}" for line in plan.lines)]


def _items(source: str, n: int) -> str:
    word = "message" if source == "mail" else "event"
    return f"{n} more {word}{'s' if n != 1 else ''}"


def summary(run: Run, added: int, notes: int) -> list[str]:
    """The counts, what was (or would be) written (``added`` lines in ``notes`` notes), and
    the frequent non-contacts."""
    words = _WORDS[run.source.name]
    counts = run.counts
    parts = [f"{counts[k]} {words[k]}" for k in words if k == "read" or counts[k]]
    lines = [", ".join(parts) + "."]
    done = "Would add" if run.dry_run else "Added"
    text = (
        f"{done} {added} line{'s' if added != 1 else ''} in {notes} note{'s' if notes != 1 else ''}"
    )
    already = run.already_imported()
    if already:
        text += f"; {already} already imported"
    lines.append(text + (" (dry run: nothing was written)." if run.dry_run else "."))
    if run.strangers:
        lines.append("Not contacts, most frequent first (`vaultnet add NAME --email ADDRESS`):")
        lines.extend(
            f"  {s.count:>4}  {s.name + ' ' if s.name else ''}<{s.address}>" for s in run.strangers
        )
    return lines


def text_pieces(run: Run) -> Iterator[str]:
    """The plan, a note at a time as it is planned, then the summary."""
    added = notes = 0
    for plan, outcome in run.notes():
        added += len(plan.lines)
        notes += 1
        yield "".join(f"{line}\n" for line in _note_lines(run, plan, outcome))
    yield "".join(f"{line}\n" for line in summary(run, added, notes))


def json_pieces(run: Run) -> Iterator[str]:
    """The run as JSON (its keys are a promise to scripts), a note at a time: the bytes of
    ``json.dumps(..., indent=2, ensure_ascii=False)`` of the whole."""
    head: dict[str, Any] = {
        "source": run.source.name,
        "dry_run": run.dry_run,
        "counts": dict(run.counts),
        "already_imported": run.already_imported(),
    }
    yield _dumps(head)[:-2] + ',\n  "notes": ['
    first = True
    for plan, outcome in run.notes():
        note = {
            "path": plan.path,
            "new": plan.new,
            "lines": plan.lines,
            "ids": plan.ids,
            "status": outcome.status if outcome is not None else None,
            "error": (outcome.message or None) if outcome is not None else None,
        }
        yield ("\n    " if first else ",\n    ") + _dumps(note).replace("\n", "\n    ")
        first = False
    strangers = [{"name": s.name, "email": s.address, "count": s.count} for s in run.strangers]
    tail = _dumps({"not_contacts": strangers})
    yield ("]" if first else "\n  ]") + ",\n  " + tail[4:] + "\n"


def _dumps(data: object) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False)


def text_report(run: Run) -> str:
    return "".join(text_pieces(run))


def json_report(run: Run) -> str:
    """The run as JSON; its keys are a promise to scripts."""
    return "".join(json_pieces(run))


INTERACTIONS_FORMATS: dict[str, Callable[[Run], str]] = {
    "table": text_report,
    "json": json_report,
}
INTERACTIONS_PIECES: dict[str, Callable[[Run], Iterator[str]]] = {
    "table": text_pieces,
    "json": json_pieces,
}


def error_count(run: Run) -> int:
    return len(run.errors())
