"""Parsing a note into a ``ParsedNote``: its front matter read, a contact's fields, the body.

The text and the front matter come from ``frontmatter`` (read fast by ``fastyaml`` when it
is flat); here they become what vaultnet knows about the note: its date, the contact's
fields, dated log lines, tasks and links. No SQL and no terminal here. Every problem
becomes a ``Problem`` with a line number; a note with a problem in one field keeps its
other fields.
"""

from __future__ import annotations

import contextlib
import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import yaml

from vaultnet.core.dates import parse_cadence, parse_date, parse_yearly
from vaultnet.core.links import WIKILINK, link_keys, path_stem
from vaultnet.core.model import KNOWN_KINDS, ContactData, Link, LogEntry, ParsedNote, Problem, Task
from vaultnet.vault import fastyaml
from vaultnet.vault.fastyaml import FALLBACK, fast_front
from vaultnet.vault.frontmatter import (
    decode,
    load_yaml,
    split_lines,
    split_parts,
    too_large,
)

_DATED_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_CHECKBOX = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+\[(.)\]\s*(.*)$")
_LOG_ITEM = re.compile(
    r"^\s*(?:[-*+]|\d+[.)])\s+(?:\[\[(\d{4}-\d{2}-\d{2})(?:\|[^\]]*)?\]\]|\*\*(\d{4}-\d{2}-\d{2})\*\*"
    r"|(\d{4}-\d{2}-\d{2}))(?![\d-])\s*(?:[:\u2014\u2013-]\s*)?(.*)$"
)
_DUE = re.compile(
    r"(?:\U0001F4C5\ufe0f?\s*(\d{4}-\d{2}-\d{2}))|(?:[\[(]due::\s*(\d{4}-\d{2}-\d{2})\s*[\])])"
)
_TASK_META = re.compile(
    r"\s*(?:[\U0001F4C5\u23F3\U0001F6EB\u2795\u2705\u274C\U0001F501]\ufe0f?\s*\d{4}-\d{2}-\d{2}"
    r"|[\[(]due::\s*[^\])]*[\])])"
)
# The emoji a _DUE or _TASK_META match may start with (one character class, which the regex
# engine scans for quickly); the other alternatives start with `[due::` or `(due::`.
_TASK_EMOJI = re.compile(r"[\U0001F4C5\u23F3\U0001F6EB\u2795\u2705\u274C\U0001F501]")
_TAG_SEPARATORS = re.compile(r"[,\s]+")
_CODE_FENCE = re.compile(r"^\s*(```|~~~)")


@dataclass(frozen=True)
class Rules:
    """What makes a note a contact (from the config)."""

    contacts_folders: tuple[str, ...] = ("People",)
    person_tags: tuple[str, ...] = ("person",)


def parse_note(rel_path: str, data: bytes, rules: Rules) -> ParsedNote:
    """Everything vaultnet needs from one note. Never raises for bad content."""
    stem = path_stem(rel_path)
    note = ParsedNote(path=rel_path, stem=stem)
    try:
        text = decode(data)
    except UnicodeDecodeError as exc:
        note.problems.append(
            Problem(
                rel_path,
                None,
                f"not UTF-8 text (bad byte at offset {exc.start}); re-save it as UTF-8",
            )
        )
        return note
    front, body, body_line, unclosed = split_parts(text)
    meta: dict[str, Any] = {}
    links_in_front = False
    if unclosed:
        note.problems.append(
            Problem(rel_path, 1, "front matter is not closed (no second '---' line)")
        )
        return note
    if front is not None:
        loaded, read_fast = _load_front(rel_path, front, note)
        if loaded is None:
            return note
        meta = loaded
        # What the fast path reads are pieces of the text: no `[[` or `](` there, no links.
        links_in_front = not read_fast or "[[" in front or "](" in front

    note.date = _note_date(note, meta, front)
    if _is_contact(rel_path, meta, rules):
        note.contact = _contact(rel_path, stem, meta, front, note.problems)
        note.front = {k: v if type(v) in _JSON_SCALARS else jsonable(v) for k, v in meta.items()}
    _scan_body(note, body, body_line, is_contact=note.contact is not None)
    if links_in_front:
        _links_in_front(note, meta)
    return note


def _note_date(note: ParsedNote, meta: dict[str, Any], front: str | None) -> date | None:
    """The day a note records: ``date:`` in its front matter, else a date its name starts
    with; none for a draft (a drafted check-in links the person but is no interaction yet)."""
    when = None
    dated = _DATED_NAME.match(note.stem)
    if dated:
        with contextlib.suppress(ValueError):
            when = _iso_date(dated.group(1))
    if meta.get("date") is not None:
        try:
            when = parse_date(meta["date"])
        except ValueError as exc:
            note.problems.append(Problem(note.path, _key_line(front, "date"), f"date: {exc}"))
    if isinstance(meta.get("status"), str) and meta["status"].strip().lower() == "draft":
        return None
    return when


def _load_front(rel_path: str, front: str, note: ParsedNote) -> tuple[dict[str, Any] | None, bool]:
    """The front matter's mapping (None when it is broken), and whether fast_front read it."""
    loaded = fast_front(front) if fastyaml.FAST_FRONT else FALLBACK
    read_fast = loaded is not FALLBACK
    if not read_fast:
        try:
            loaded = load_yaml(front)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 2 if mark is not None else 1
            reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            note.problems.append(Problem(rel_path, line, f"broken YAML front matter: {reason}"))
            return None, read_fast
        if isinstance(loaded, dict) and too_large(loaded):
            note.problems.append(
                Problem(rel_path, 2, "front matter is too large or too deeply nested")
            )
            return None, read_fast
    if loaded is None:
        return {}, read_fast
    if not isinstance(loaded, dict):
        note.problems.append(
            Problem(
                rel_path, 2, f"front matter is a {type(loaded).__name__}, not a mapping of keys"
            )
        )
        return None, read_fast
    return {str(k): v for k, v in loaded.items()}, read_fast


def _is_contact(rel_path: str, meta: dict[str, Any], rules: Rules) -> bool:
    prefixes, wanted = _rule_parts(rules)
    if rel_path.startswith(prefixes):
        return True
    kind = meta.get("type")
    if isinstance(kind, str) and kind.strip().lower() in ("person", "contact"):
        return True
    for tag in _tags(meta.get("tags")):
        tag = tag.lower()
        if tag in wanted or tag.split("/", 1)[0] in wanted:
            return True
    return False


def _rule_parts(rules: Rules) -> tuple[tuple[str, ...], frozenset[str]]:
    """The contacts folders as path prefixes, and the person tags as compared."""
    global _last_rules
    seen = _last_rules  # one read: another thread may replace it meanwhile
    if seen[0] is rules:  # a vault's notes are all parsed with the same Rules object
        return seen[1]
    prefixes = (folder.strip("/") + "/" for folder in rules.contacts_folders)
    wanted = frozenset(t.lower().lstrip("#") for t in rules.person_tags)
    parts = tuple(p for p in prefixes if p != "/"), wanted
    _last_rules = (rules, parts)
    return parts


_last_rules: tuple[Rules | None, tuple[tuple[str, ...], frozenset[str]]] = (None, ((), frozenset()))


def _tags(value: Any) -> list[str]:
    if value is None:
        return []
    items = value if isinstance(value, list) else _TAG_SEPARATORS.split(str(value))
    out = []
    for item in items:
        if isinstance(item, (str, int, float)) and not isinstance(item, bool):
            tag = str(item).strip().lstrip("#")
            if tag:
                out.append(tag)
    return out


def _str_list(value: Any) -> list[str]:
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    return [str(v).strip() for v in items if isinstance(v, (str, int, float)) and str(v).strip()]


def _key_line(front: str | None, key: str) -> int | None:
    """File line of ``key:`` in the front matter (the opening fence is line 1)."""
    if front is None:
        return None
    pattern = re.compile(rf"^['\"]?{re.escape(key)}['\"]?\s*:")
    for i, line in enumerate(split_lines(front)):
        if pattern.match(line):
            return i + 2
    return None


def _scalar(value: Any) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if value is None or isinstance(value, (dict, list)):
        return None
    if isinstance(value, bool):
        return None
    text = str(value).strip()
    return text or None


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("true", "yes", "y", "1", "on")
    return bool(value) and not isinstance(value, (dict, list))


def _contact(  # noqa: C901 - one rule a field, until the rules become a table (#14)
    rel_path: str, stem: str, meta: dict[str, Any], front: str | None, problems: list[Problem]
) -> ContactData:
    def problem(key: str, message: str) -> None:
        problems.append(Problem(rel_path, _key_line(front, key), f"{key}: {message}"))

    c = ContactData(name=_scalar(meta.get("name")) or stem)
    c.aliases = _str_list(meta.get("aliases", meta.get("alias")))
    kind = _scalar(meta.get("kind"))
    if kind is not None:
        c.kind = kind.lower() if kind.lower() in KNOWN_KINDS else kind
    c.company = _scalar(meta.get("company"))
    c.title = _scalar(meta.get("title"))
    c.emails = _str_list(meta.get("email", meta.get("emails")))
    c.phone = ", ".join(_str_list(meta.get("phone"))) or None
    c.linkedin = _scalar(meta.get("linkedin"))
    c.location = _scalar(meta.get("location"))
    c.tags = _tags(meta.get("tags"))
    c.how_met = _scalar(meta.get("how_met"))
    for key in ("birthday", "work_anniversary"):
        if meta.get(key) is not None:
            try:
                setattr(c, key, parse_yearly(meta[key]))
            except ValueError as exc:
                problem(key, str(exc))
    raw_dates = meta.get("dates")
    if isinstance(raw_dates, dict):
        for label, value in raw_dates.items():
            if value is None:
                continue
            try:
                c.dates[str(label)] = parse_yearly(value)
            except ValueError as exc:
                problem("dates", f"{label}: {exc}")
    elif raw_dates is not None:
        problem("dates", "must be a mapping of label: date, e.g. promotion: 2025-11-27")
    if "cadence" in meta:
        try:
            c.cadence_days = parse_cadence(meta["cadence"])
            c.cadence_set = True
        except ValueError as exc:
            problem("cadence", str(exc))
    for key in ("last_contact", "snooze_until"):
        if meta.get(key) is not None:
            try:
                setattr(c, key, parse_date(meta[key]))
            except ValueError as exc:
                problem(key, str(exc))
    introduced = meta.get("introduced_by")
    if isinstance(introduced, list) and len(introduced) == 1:
        introduced = introduced[0]  # [[Name]] unquoted in YAML is a nested list
        if isinstance(introduced, list) and len(introduced) == 1:
            introduced = introduced[0]
    if introduced is not None:
        text = _scalar(introduced)
        if text:
            m = WIKILINK.search(text)
            c.introduced_by = (m.group(1).strip() if m else text).rsplit("/", 1)[-1]
    c.archived = _truthy(meta.get("archived"))
    deceased = meta.get("deceased")
    c.deceased = isinstance(deceased, (date, datetime)) or _truthy(deceased)
    c.private = _truthy(meta.get("private"))
    return c


def jsonable(value: Any) -> Any:
    """A JSON-safe copy of a YAML value (dates become ISO strings)."""
    if type(value) in _JSON_SCALARS:
        return value
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [jsonable(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


_JSON_SCALARS = frozenset({str, int, float, bool, type(None)})


def _scan_body(note: ParsedNote, body: str, first_line: int, is_contact: bool) -> None:
    # Most lines are prose: cheap substring and first-character tests come before any regex
    # (a regex over the whole body to find the other lines is slower than this loop).
    note_dir = posixpath.dirname(note.path)
    fences = "```" in body or "~~~" in body
    in_code = False
    for offset, line in enumerate(split_lines(body)):
        if fences and ("```" in line or "~~~" in line) and _CODE_FENCE.match(line):
            in_code = not in_code
            continue
        if in_code:
            continue
        keys = link_keys(line, note_dir) if ("[[" in line or "](" in line) else []
        for key in keys:
            note.links.append(Link(first_line + offset, key))
        first = line[:1]
        if first.isspace():
            first = line.lstrip()[:1]
        # A list item starts with -, *, + or a digit (isdigit() holds for every \d).
        if not first or not (first in "-*+" or first.isdigit()):
            continue
        # _CHECKBOX and _LOG_ITEM both start with _LIST_ITEM, and never match the same line.
        log = _LOG_ITEM.match(line) if is_contact else None
        if log is not None:
            _log_entry(note, first_line + offset, log)
            continue
        box = _CHECKBOX.match(line)
        if box:
            _task(note, first_line + offset, box.group(1), box.group(2), keys)


def _task(note: ParsedNote, lineno: int, mark: str, text: str, keys: list[str]) -> None:
    due: date | None = None
    start = _task_meta_start(text)
    if start < 0:
        clean = " ".join(text.split())
    else:
        m = _DUE.search(text, start)
        if m:
            raw = m.group(1) or m.group(2)
            try:
                due = _iso_date(raw)
            except ValueError as exc:
                note.problems.append(Problem(note.path, lineno, f"task due date: {exc}"))
        # _TASK_META takes the spaces before each match: keep the text before those.
        head = text[:start].rstrip()
        clean = " ".join((head + _TASK_META.sub("", text[len(head) :])).split())
    done = mark.lower() == "x" or mark == "-"
    links = tuple(keys) if len(keys) < 2 else tuple(dict.fromkeys(keys))
    note.tasks.append(Task(lineno, clean, due, done, links))


def _task_meta_start(text: str) -> int:
    """Where the first _DUE or _TASK_META match could start, or -1 when none can.

    Those regexes try every position in turn (slowly); they are run from here on.
    """
    due = text.find("due::")
    if due > 0:
        due -= 1  # the `[` or `(` before it
    emoji = None if text.isascii() else _TASK_EMOJI.search(text)
    if emoji is None:
        return due
    return emoji.start() if due < 0 else min(due, emoji.start())


def _log_entry(note: ParsedNote, lineno: int, m: re.Match[str]) -> None:
    raw = m.group(1) or m.group(2) or m.group(3)
    try:
        when = _iso_date(raw)
    except ValueError as exc:
        note.problems.append(Problem(note.path, lineno, f"log entry: {exc}"))
        return
    note.logs.append(LogEntry(lineno, when, m.group(4).strip()))


def _links_in_front(note: ParsedNote, meta: dict[str, Any]) -> None:
    """Wikilinks in front-matter values (``attendees: ["[[Ana]]"]``) count as links too."""
    for key, value in meta.items():
        if key == "introduced_by":
            continue  # an introduction is not an interaction
        if isinstance(value, str):
            texts: Iterable[str] = (value,)
        elif isinstance(value, list):
            texts = _strings(value)
        else:
            continue  # _strings gives nothing else
        for text in texts:
            if "[[" in text or "](" in text:
                note_dir = posixpath.dirname(note.path)
                for k in link_keys(text, note_dir):
                    note.links.append(Link(1, k))


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        # [[Name]] unquoted in YAML is a list inside a list, at the top or as an item.
        nested = len(value) == 1 and isinstance(value[0], list) and len(value[0]) == 1
        if nested and isinstance(value[0][0], str):
            yield f"[[{value[0][0]}]]"
            return
        for v in value:
            if isinstance(v, str):
                yield v  # what _strings(v) gives, without a generator for it
            elif isinstance(v, list):
                yield from _strings(v)


def _iso_date(raw: str) -> date:
    """parse_date for text a regex matched as ``\\d{4}-\\d{2}-\\d{2}``, without its regex."""
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return parse_date(raw)  # its message, or its reading of non-ASCII digits
