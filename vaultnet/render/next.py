"""What ``vaultnet next`` prints: the person to reach today, why, and the check-in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from vaultnet.core.checkin import Draft
from vaultnet.core.followups import FollowUp
from vaultnet.core.model import Contact
from vaultnet.render.drafts import draft_text, mailto, to_plain_text
from vaultnet.render.followups import followup_dict
from vaultnet.render.text import last_contact_words, to_json


@dataclass(frozen=True)
class Action:
    """What ``--skip`` or ``--done`` did, and to whom."""

    type: Literal["skipped", "done"]
    contact: Contact
    day: date


@dataclass(frozen=True)
class NextReport:
    """Who to reach today (``item`` None when nobody is left), and why the others are not."""

    today: date
    horizon_days: int
    item: FollowUp | None
    draft: Draft | None
    remaining: int  # still due today after the one shown
    due: int  # how many the follow-ups report lists
    handled: dict[str, list[Contact]]  # "logged" / "drafted" / "skipped" -> who, in rank order
    action: Action | None = None
    notices: list[str] = field(default_factory=list)

    @property
    def nobody(self) -> str | None:
        """Why nobody is shown: "none-due", "all-handled", or None when someone is."""
        if self.item is not None:
            return None
        return "none-due" if self.due == 0 else "all-handled"


def next_text(r: NextReport) -> str:
    """For a person: what was just done, who is next and why, then the drafted check-in."""
    lines = []
    if r.action is not None:
        c = r.action.contact
        if r.action.type == "skipped":
            lines.append(f"Skipped {c.name} for today.")
        else:
            lines.append(f"Logged {r.action.day.isoformat()} in {c.path}")
        lines.append("")
    if r.item is None or r.draft is None:
        return "\n".join([*lines, nobody_text(r)]) + "\n"
    c = r.item.contact
    kind = f" ({c.kind})" if c.kind else ""
    lines.append(f"Next: {c.name}{kind}, last contact {last_contact_words(c, r.today)}")
    lines += [
        f"{'Why:' if i == 0 else '':<6}{reason.text}" for i, reason in enumerate(r.item.reasons)
    ]
    lines += ["", draft_text(r.draft, "markdown").rstrip("\n"), ""]
    lines.append(_after(r))
    return "\n".join(lines) + "\n"


def nobody_text(r: NextReport) -> str:
    """Why there is nobody to show: nobody due, or everybody due handled today."""
    if r.nobody == "none-due":
        return f"Nobody to reach today: nobody is due within {r.horizon_days} days."
    return (
        f"Nobody left to reach today: all {r.due} due within {r.horizon_days} days"
        f" were handled today ({_handled_words(r)})."
    )


def _after(r: NextReport) -> str:
    more = f"{r.remaining} more due after {r.item.contact.name if r.item else 'them'}"
    handled = _handled_words(r)
    return f"{more}; handled today: {handled}." if handled else f"{more}."


def _handled_words(r: NextReport) -> str:
    return ", ".join(f"{len(who)} {reason}" for reason, who in r.handled.items() if who)


def next_json(r: NextReport) -> str:
    """The stable JSON shape of ``next`` (pinned by a test)."""
    person: dict[str, Any] | None = None
    if r.item is not None and r.draft is not None:
        c, d = r.item.contact, r.draft
        email = c.emails[0] if c.emails else None
        person = {
            **followup_dict(r.item),
            "email": email,
            "mailto": mailto(email, d.subject, to_plain_text(d.body)) if email else None,
            "checkin": {
                "template": d.template.name,
                "why": d.why,
                "subject": d.subject,
                "body": d.body,
            },
        }
    action = None
    if r.action is not None:
        action = {
            "type": r.action.type,
            "name": r.action.contact.name,
            "path": r.action.contact.path,
            "date": r.action.day.isoformat(),
        }
    data = {
        "today": r.today.isoformat(),
        "horizon_days": r.horizon_days,
        "action": action,
        "next": person,
        "nobody": r.nobody,
        "remaining": r.remaining,
        "due": r.due,
        "handled": {
            reason: [{"name": c.name, "path": c.path} for c in who]
            for reason, who in r.handled.items()
        },
    }
    return to_json(data) + "\n"


NEXT_FORMATS: dict[str, Callable[[NextReport], str]] = {"table": next_text, "json": next_json}
