"""Check-in messages: templates, the automatic choice of one, and rendering. Pure.

A template is a Markdown file whose front matter gives ``subject`` (itself a Jinja2
string) and ``description``, and whose body is Jinja2. Built-in templates ship with
vaultnet; a vault template with the same name replaces one. Rendering runs in a sandbox
with StrictUndefined, so a misspelt variable is an error naming the file, line and
variable rather than a silent blank in a message someone will read.

The caller reads the template files (``vaultnet.app.checkin``) and the index; nothing
here touches the disk or the clock. Jinja2 is imported only when something is rendered.
The texts shown and written for a draft are in ``vaultnet.render.drafts``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from vaultnet.core.errors import UsageError, VaultnetError
from vaultnet.core.links import path_stem, plain_text
from vaultnet.core.model import Contact, Interaction
from vaultnet.core.occasions import occasions_between

# The order `vaultnet templates` lists the built-ins in.
BUILTIN_ORDER = ("reconnect", "follow-up", "congratulate", "coffee", "mentor-update", "offer-help")
SILENCE_WITHOUT_CADENCE = 180  # days of silence that call for "reconnect" when there is no cadence

# Every field a template may ask `contact` for, even when the note leaves it out.
CONTACT_FIELDS = (
    "name", "aliases", "kind", "company", "title", "email", "emails", "phone", "linkedin",
    "location", "tags", "birthday", "work_anniversary", "dates", "cadence", "cadence_days",
    "last_contact", "snooze_until", "introduced_by", "how_met", "pronouns", "timezone",
    "first_name", "archived", "deceased", "private", "path",
)  # fmt: skip
CONTEXT_NAMES = (
    "contact", "first_name", "last_interaction", "days_since", "silence", "open_tasks",
    "occasion", "me", "today",
)  # fmt: skip
_HONORIFICS = {"dr", "dr.", "prof", "prof.", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "mx", "mx."}


# -- templates ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Template:
    name: str
    origin: str  # "built-in" or "vault"
    path: str  # where it lives, as shown in listings and errors
    subject: str
    description: str
    body: str
    body_line: int  # file line of the body's first line
    subject_line: int | None = None
    replaces_builtin: bool = False
    problem: str | None = None  # why it cannot be used, when it cannot
    problem_line: int | None = None


def merge_templates(builtins: Iterable[Template], vault: Iterable[Template]) -> list[Template]:
    """Built-ins in their usual order, each replaced by a vault template of the same name
    (ignoring case), then the vault's own templates by name."""
    order = {name: i for i, name in enumerate(BUILTIN_ORDER)}
    merged = {t.name.casefold(): t for t in builtins}
    builtin_keys = set(merged)
    for t in vault:
        key = t.name.casefold()
        if key in builtin_keys:
            t = replace(t, replaces_builtin=True)
        merged[key] = t
    return sorted(
        merged.values(),
        key=lambda t: (
            t.name.casefold() not in builtin_keys,
            order.get(t.name.casefold(), len(order)),
            t.name.casefold(),
        ),
    )


def find_template(templates: list[Template], name: str) -> Template:
    """The template called ``name`` (ignoring case); UsageError listing the others."""
    for t in templates:
        if t.name.casefold() == name.strip().casefold():
            return t
    available = ", ".join(t.name for t in templates)
    raise UsageError(f"no template named {name!r}; available: {available}")


# -- choosing ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Choice:
    name: str
    why: str


def choose_template(contact: Contact, today: date, horizon_days: int) -> Choice:
    """Which built-in fits: an occasion, then a task due, then a long silence, else coffee."""
    horizon = today + timedelta(days=horizon_days)
    found = occasions_between(contact, today, horizon)
    if found:
        return Choice("congratulate", f"{found[0].words(contact)}, within {horizon_days} days")
    due = [t for t in contact.open_tasks if t.due is not None and t.due <= horizon]
    if due:
        task = min(due, key=lambda t: t.due or today)
        assert task.due is not None
        when = "overdue since" if task.due < today else "due"
        return Choice(
            "follow-up", f"open task {when} {_short_day(task.due)}: {plain_text(task.text)}"
        )
    if contact.last_contact is not None:
        silent = (today - contact.last_contact).days
        if contact.cadence_days:
            if silent > 2 * contact.cadence_days:
                return Choice(
                    "reconnect",
                    f"silent for {silent} days, over twice the cadence of "
                    f"{contact.cadence_days} days",
                )
        elif silent > SILENCE_WITHOUT_CADENCE:
            return Choice(
                "reconnect",
                f"silent for {silent} days (over {SILENCE_WITHOUT_CADENCE}, no cadence)",
            )
        limit = (
            f"twice the cadence of {contact.cadence_days} days"
            if contact.cadence_days
            else f"{SILENCE_WITHOUT_CADENCE} days"
        )
        return Choice(
            "coffee", f"nothing pressing: last contact {silent} days ago, not over {limit}"
        )
    return Choice("coffee", "nothing pressing, and no interaction on record")


def _short_day(d: date) -> str:
    return f"{d:%a} {d.day} {d:%b}"


# -- context -----------------------------------------------------------------------------
def build_context(
    contact: Contact,
    interactions: Sequence[Interaction],
    me: Mapping[str, Any],
    today: date,
    horizon_days: int,
) -> dict[str, Any]:
    """The variables a template sees. ``interactions``: the index's latest first.

    ``contact`` holds every front-matter key plus every field in CONTACT_FIELDS (None when
    the note has none), so ``{% if contact.company %}`` works for any contact while a
    misspelt name still fails. ``contact.email`` is the first address, ``emails`` all.
    """
    first = first_name(contact)
    fields: dict[str, Any] = dict.fromkeys(CONTACT_FIELDS)
    fields.update(contact.fields)
    fields.update(
        name=contact.name,
        first_name=first,
        aliases=contact.aliases,
        kind=contact.kind,
        company=contact.company,
        title=contact.title,
        email=contact.emails[0] if contact.emails else None,
        emails=contact.emails,
        phone=contact.phone,
        linkedin=contact.linkedin,
        location=contact.location,
        tags=contact.tags,
        birthday=contact.birthday and str(contact.birthday),
        work_anniversary=contact.work_anniversary and str(contact.work_anniversary),
        dates={k: str(v) for k, v in contact.dates.items()},
        cadence_days=contact.cadence_days,
        introduced_by=contact.introduced_by,
        how_met=contact.how_met,
        archived=contact.archived,
        deceased=contact.deceased,
        private=contact.private,
        path=contact.path,
    )
    days_since = None if contact.last_contact is None else (today - contact.last_contact).days
    return {
        "contact": fields,
        "first_name": first,
        "last_interaction": last_interaction(contact, interactions),
        "days_since": days_since,
        "silence": silence_words(days_since),
        # Whether the silence is long enough to call it one ("far too long"): never in
        # touch, or as long as the reconnect rule asks (twice the cadence, else 180 days).
        "long_silence": days_since is None or days_since > _long_silence(contact),
        "open_tasks": [
            {
                "text": plain_text(t.text),
                "due": t.due,
                "overdue": t.due is not None and t.due < today,
                "path": t.path,
            }
            for t in contact.open_tasks
        ],
        "occasion": next_occasion(contact, today, horizon_days),
        "me": {key: me.get(key) or "" for key in ("name", "email", "signature")},
        "today": today,
    }


def _long_silence(contact: Contact) -> int:
    """Days of silence after which a check-in may say it has been far too long."""
    return 2 * contact.cadence_days if contact.cadence_days else 180


def first_name(contact: Contact) -> str:
    """``first_name:`` from the note, else the first word of the name that is no title."""
    given = contact.fields.get("first_name")
    if isinstance(given, str) and given.strip():
        return given.strip()
    words = contact.name.split()
    while len(words) > 1 and words[0].casefold() in _HONORIFICS:
        words = words[1:]
    return words[0] if words else contact.name


def last_interaction(
    contact: Contact, interactions: Sequence[Interaction]
) -> dict[str, Any] | None:
    """The latest log entry or mention (``last_contact:`` when it is later), or None."""
    latest = interactions[0] if interactions else None
    if latest is not None:
        when, kind, text, where = latest
        day = date.fromisoformat(when)
        if contact.last_contact is None or day >= contact.last_contact:
            if kind == "mention" and where and not text:
                text = _note_title(where)  # app gives an interactions note's line instead
            return {"date": day, "kind": kind, "text": plain_text(text), "where": where}
    if contact.last_contact is not None:
        return {"date": contact.last_contact, "kind": "field", "text": "", "where": None}
    return None


def _note_title(path: str) -> str:
    stem = path_stem(path)
    return re.sub(r"^\d{4}-\d{2}-\d{2}\s*", "", stem) or stem


def next_occasion(contact: Contact, today: date, horizon_days: int) -> dict[str, Any] | None:
    found = occasions_between(contact, today, today + timedelta(days=horizon_days))
    if not found:
        return None
    o = found[0]
    what = {"birthday": "birthday", "anniversary": "work anniversary"}.get(o.type)
    return {
        "type": o.type,
        "label": o.label,
        "what": what or (o.label or "date").replace("_", " "),
        "date": o.date,
        "years": o.years,
        "days_away": (o.date - today).days,
        "words": o.words(contact),
    }


def silence_words(days: int | None) -> str | None:
    """``3 weeks``, ``about 5 months``, ``over a year``: how long since, as a person says it."""
    if days is None or days < 0:
        return None
    if days < 14:
        return "a day" if days == 1 else f"{days} days"
    if days < 60:
        return f"{days // 7} weeks"
    if days < 365:
        return f"about {round(days / 30.44)} months"
    if days < 730:
        return "over a year"
    return f"over {days // 365} years"


# -- rendering ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Draft:
    contact: Contact
    template: Template
    why: str
    subject: str
    body: str  # Markdown


def make_draft(
    contact: Contact,
    templates: list[Template],
    template_name: str | None,
    interactions: Sequence[Interaction],
    me: Mapping[str, Any],
    today: date,
    horizon_days: int,
) -> Draft:
    """Choose (unless ``template_name`` is given) and render a check-in for ``contact``."""
    if template_name is None:
        choice = choose_template(contact, today, horizon_days)
        template, why = find_template(templates, choice.name), choice.why
    else:
        template, why = find_template(templates, template_name), "chosen with --template"
    context = build_context(contact, interactions, me, today, horizon_days)
    subject, body = render(template, context)
    return Draft(contact, template, why, subject, body)


def render(template: Template, context: Mapping[str, Any]) -> tuple[str, str]:
    """(subject, body) of ``template``; VaultnetError with file and line when it fails."""
    if template.problem is not None:
        raise VaultnetError(
            f"template {template.name!r}: {template.problem}", template.path, template.problem_line
        )
    env = _environment(context["today"])
    subject = _render_one(
        env, template, template.subject, context, template.subject_line or 2, is_subject=True
    )
    body = _render_one(env, template, template.body, context, template.body_line, is_subject=False)
    return " ".join(subject.split()), tidy(body)


# A template is the user's code, run on every check-in: its work is counted, not timed (no
# clock here), and bounded so that a slip (nested range(100000) loops, "x" * 10**9) ends
# in an error naming the template within moments instead of running forever.
MAX_RANGE = 10_000  # items of one range()
MAX_STEPS = 200_000  # range() items of one render, all loops together
MAX_OUTPUT = 200_000  # characters of one rendered part (and of one string or list built)


class TooMuchWork(Exception):
    """A render went past one of the limits above."""


def _environment(today: date) -> Any:
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    class BoundedEnvironment(SandboxedEnvironment):
        intercepted_binops = frozenset(["*", "**"])

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            _check_binop(operator, left, right)
            return left**right if operator == "**" else left * right

    env = BoundedEnvironment(
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["nice_date"] = lambda d: nice_date(d, today)
    steps = [MAX_STEPS]

    def bounded_range(*args: int) -> Iterator[int]:
        numbers = range(*args)
        if len(numbers) > MAX_RANGE:
            raise TooMuchWork(f"range() of more than {MAX_RANGE} numbers")
        for n in numbers:
            steps[0] -= 1
            if steps[0] < 0:
                raise TooMuchWork(f"more than {MAX_STEPS} loop steps")
            yield n

    env.globals["range"] = bounded_range
    return env


def _check_binop(operator: str, left: Any, right: Any) -> None:
    """Refuse a power or a repetition whose result would be huge, before computing it."""
    if operator == "**":
        if isinstance(right, int) and abs(right) > 64 and abs(left) > 1:
            raise TooMuchWork(f"{left} ** {right} is too large a number")
        return
    for seq, times in ((left, right), (right, left)):
        if (
            isinstance(seq, str | list | tuple)
            and isinstance(times, int)
            and len(seq) * times > MAX_OUTPUT
        ):
            raise TooMuchWork(f"a value longer than {MAX_OUTPUT} characters or items")


def _render_one(
    env: Any,
    template: Template,
    source: str,
    context: Mapping[str, Any],
    first_line: int,
    *,
    is_subject: bool,
) -> str:
    from jinja2 import TemplateSyntaxError, UndefinedError

    # A distinct file name per part, so the traceback tells which part and line failed.
    filename = f"{template.path}#{'subject' if is_subject else 'body'}"
    try:
        code = env.compile(source, name=template.name, filename=filename)
        compiled = env.template_class.from_code(env, code, env.make_globals(None))
        out: list[str] = []
        size = 0
        for chunk in compiled.generate(**context):
            size += len(chunk)
            if size > MAX_OUTPUT:
                raise TooMuchWork(f"output longer than {MAX_OUTPUT} characters")
            out.append(chunk)
        return "".join(out)
    except TemplateSyntaxError as exc:
        line = _file_line(first_line, exc.lineno, is_subject)
        detail = exc.message or "syntax error"
    except UndefinedError as exc:
        line = _file_line(first_line, _traceback_line(exc, filename), is_subject)
        detail = _undefined_words(str(exc))
    except TooMuchWork as exc:
        line = _file_line(first_line, _traceback_line(exc, filename), is_subject)
        detail = f"too much work ({exc}); it was stopped"
    except Exception as exc:  # the template is the user's code: any failure is theirs to fix
        line = _file_line(first_line, _traceback_line(exc, filename), is_subject)
        detail = f"{type(exc).__name__}: {exc}"
    part = "subject" if is_subject else "body"
    raise VaultnetError(
        f"template {template.name!r} ({part}): {detail}; nothing was written", template.path, line
    ) from None


def _file_line(first_line: int, lineno: int | None, is_subject: bool) -> int:
    if is_subject or lineno is None:
        return first_line
    return first_line + lineno - 1


def _traceback_line(exc: BaseException, filename: str) -> int | None:
    line = None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == filename:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _undefined_words(message: str) -> str:
    known = ", ".join(CONTEXT_NAMES)
    m = re.match(r"^'([^']+)' is undefined$", message)
    if m:
        return f"unknown variable {m.group(1)!r} (known: {known})"
    m = re.search(r"has no (?:attribute|element) (.+)$", message)
    if m:
        return f"unknown field {m.group(1)} ({message})"
    return message


def tidy(text: str) -> str:
    """Trailing spaces off, at most one blank line in a row, one final newline."""
    lines = [line.rstrip() for line in text.splitlines()]
    out = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")
    return out + "\n" if out else ""


def nice_date(value: Any, today: date) -> str:
    """``3 December``, with the year when it is not this year's."""
    if not isinstance(value, date):
        return str(value)
    text = f"{value.day} {value:%B}"
    return text if value.year == today.year else f"{text} {value.year}"
