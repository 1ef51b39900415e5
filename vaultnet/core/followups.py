"""Who to check in with, and why. Pure: contacts and today in, ranked follow-ups out.

Ranking (most urgent first), each reason scores, a contact takes its best score:
- an overdue task: 150 + days overdue (up to 250); a task due today: 140;
- an overdue check-in: 100 + 100 x the fraction of its cadence it is overdue (up to 300),
  so a check-in overdue by a large fraction of its cadence outranks next week's occasions;
- an occasion today: 130; a coming occasion: 90 - 5 x days until it;
- a task coming due: 85 - 5 x days until it; a check-in coming due: 60 - 5 x days until it.
Ties go to the earliest date, then the name.
"""

from __future__ import annotations

from datetime import date, timedelta

from vaultnet.core.dates import relative_days
from vaultnet.core.links import plain_text
from vaultnet.core.model import Contact
from vaultnet.core.occasions import Occasion, occasions_between
from vaultnet.core.tuples import NamedTuple

RANKING_HELP = (
    "Order: overdue tasks and check-ins overdue by a large share of their cadence first, "
    "then today's occasions and tasks, then what comes due soonest; ties by date, then name."
)


# A report makes thousands: a named tuple is made several times faster than a frozen dataclass.
class Reason(NamedTuple):
    type: str  # "cadence", "task", "birthday", "anniversary", "date"
    date: date
    text: str
    score: float
    label: str | None = None
    years: int | None = None


class FollowUp:
    """A contact to follow up with, and why. A plain class: a report that computes a few
    contacts again after a change loads this module, and a dataclass costs 0.6 ms."""

    __slots__ = ("contact", "due", "reasons")

    def __init__(
        self, contact: Contact, reasons: list[Reason] | None = None, due: date | None = None
    ) -> None:
        self.contact = contact
        self.reasons: list[Reason] = [] if reasons is None else reasons
        self.due = due  # the cadence due date

    def __eq__(self, other: object) -> bool:
        if type(other) is not FollowUp:
            return NotImplemented
        return (self.contact, self.reasons, self.due) == (other.contact, other.reasons, other.due)

    __hash__ = None  # type: ignore[assignment]  # (mutable, as a dataclass's)

    def __repr__(self) -> str:
        return f"FollowUp(contact={self.contact!r}, reasons={self.reasons!r}, due={self.due!r})"

    @property
    def score(self) -> float:
        return max(r.score for r in self.reasons)

    @property
    def first_date(self) -> date:
        """The date of the most urgent reason (the earliest among equally urgent ones)."""
        return min((-r.score, r.date) for r in self.reasons)[1]


def cadence_due(contact: Contact, today: date) -> date | None:
    """When the next check-in is due (today when never contacted), or None without a cadence."""
    if not contact.cadence_days:
        return None
    if contact.last_contact is None:
        due = today
    else:
        due = contact.last_contact + timedelta(days=contact.cadence_days)
    if contact.snooze_until is not None and contact.snooze_until > due:
        due = contact.snooze_until
    return due


def cadence_reason(contact: Contact, today: date, horizon: date) -> Reason | None:
    due = cadence_due(contact, today)
    if due is None or due > horizon:
        return None
    cadence = contact.cadence_days or 1
    every = f"every {cadence} days"
    if contact.last_contact is None and due == today:
        return Reason("cadence", due, f"never contacted ({every})", 100.0)
    late = (today - due).days
    if late > 0:
        score = 100 + min(200.0, 100 * late / cadence)
        unit = "day" if late == 1 else "days"
        return Reason("cadence", due, f"overdue by {late} {unit} ({every})", score)
    if late == 0:
        return Reason("cadence", due, f"check-in due today ({every})", 100.0)
    return Reason(
        "cadence", due, f"check-in due {relative_days(due, today)} ({every})", 60 - 5 * -late
    )


def task_reasons(contact: Contact, today: date, horizon: date) -> list[Reason]:

    out = []
    for task in contact.open_tasks:
        if task.due is None or task.due > horizon:
            continue
        late = (today - task.due).days
        if late > 0:
            when, score = f"overdue by {late} day{'s' if late != 1 else ''}", 150.0 + min(100, late)
        elif late == 0:
            when, score = "due today", 140.0
        else:
            when, score = f"due {relative_days(task.due, today)}", 85.0 - 5 * -late
        text = plain_text(task.text) if "[[" in task.text else task.text  # no link to show
        out.append(Reason("task", task.due, f"task: {text} ({when})", float(score)))
    return out


def occasion_reason(contact: Contact, occasion: Occasion, today: date) -> Reason:
    days = (occasion.date - today).days
    score = 130.0 if days == 0 else 90.0 - 5 * days
    text = occasion.words(contact)
    if days == 0:
        text += " (today)"
    return Reason(occasion.type, occasion.date, text, score, occasion.label, occasion.years)


def followups(contacts: list[Contact], today: date, days: int = 7) -> list[FollowUp]:
    """Contacts with at least one reason within today + ``days``, most urgent first."""
    horizon = today + timedelta(days=days)
    result = []
    for c in contacts:
        if not c.active:
            continue
        item = FollowUp(c, due=cadence_due(c, today))
        reason = cadence_reason(c, today, horizon)
        if reason is not None:
            item.reasons.append(reason)
        item.reasons.extend(task_reasons(c, today, horizon))
        item.reasons.extend(
            occasion_reason(c, o, today) for o in occasions_between(c, today, horizon)
        )
        if item.reasons:
            if len(item.reasons) > 1:
                item.reasons.sort(key=_urgency)
            result.append(item)
    # The first reason is the most urgent: its score is the item's, its date the first date.
    result.sort(key=_rank)
    return result


def _urgency(r: Reason) -> tuple[float, date]:
    return (-r.score, r.date)


def _rank(f: FollowUp) -> tuple[float, date, str, str]:
    """``(-f.score, f.first_date, name, path)`` of an item whose reasons are in order."""
    first = f.reasons[0]
    return (-first.score, first.date, f.contact.name.casefold(), f.contact.path)


def upcoming(
    contacts: list[Contact], today: date, days: int = 30
) -> list[tuple[Contact, Occasion]]:
    """Occasions from today to today + ``days``, by date then name."""
    end = today + timedelta(days=days)
    found = [(c, o) for c in contacts if c.active for o in occasions_between(c, today, end)]
    found.sort(key=lambda pair: (pair[1].date, pair[0].name.casefold(), pair[1].type))
    return found
