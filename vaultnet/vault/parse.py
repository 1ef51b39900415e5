"""Parsing a note into a ``ParsedNote``: what kind of note it is, its date, a contact's
fields (``fields``), and its body (``body``).

The text and the front matter come from ``frontmatter`` (read fast by ``fastyaml`` when it
is flat), every value as text. Here vaultnet meets the vault as it is:

- **A person** is a note in a contacts folder (the configured ones; else any folder named
  People, Persons or Contacts, in any case, with a number or emoji in front or not), or
  one marked as a person anywhere: by a tag (front matter or body, nested too: `#person`,
  `#people/colleague`), by `type:` (a string or a list) or by `categories: [[People]]`.
  In a contacts folder, a note named by a date (an interaction filed with the person), one
  whose `type:` says it is something else, and an index note (`People.md`, `README`) are
  not people, and neither is a helper note whose name starts with `_` or holds "template".
- **A note's date**: `date:` in its front matter; else its name in the vault's daily-note
  format; else a date its name starts with or holds (`Meeting - 2026-11-23 1000`).
- **Templates** (notes in a folder named Templates, or with `{{date}}` or `<% tp... %>`
  placeholders) are not read at all.

No SQL and no terminal here. Every problem becomes a ``Problem`` with a line number; a
note with a problem in one field keeps its other fields.
"""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Iterable
from datetime import date
from typing import Any

from vaultnet.core.dates import parse_date
from vaultnet.core.fieldnames import (
    normal_key,
)
from vaultnet.core.links import link_keys, note_dir, path_stem
from vaultnet.core.model import Link, ParsedNote, Problem
from vaultnet.core.names import fold
from vaultnet.core.patterns import lazy
from vaultnet.vault import fastyaml
from vaultnet.vault.body import BodyScan
from vaultnet.vault.fastyaml import FALLBACK, fast_front
from vaultnet.vault.fields import contact_data, found_fields, is_null, text
from vaultnet.vault.frontmatter import decode, load_yaml, split_lines, split_parts, too_large
from vaultnet.vault.people import in_contacts_folder, is_contact, templates_dir
from vaultnet.vault.rules import Compiled, Rules, compiled

__all__ = ["Rules", "in_contacts_folder", "jsonable", "parse_note"]

# A date in a note's name: `2026-11-23`, `Meeting - 2026-11-23 1000`, or a timestamp that
# starts it (`202204101611 Meeting`, Zettelkasten style).
_NAME_DATE = lazy(r"\d{4}-\d{2}-\d{2}", namespace=globals(), name="_NAME_DATE")
_STAMP = lazy(
    r"((?:19|20)\d{2})(\d{2})(\d{2})(?:\d{2}){1,3}(?!\d)", namespace=globals(), name="_STAMP"
)
_TEMPLATE = lazy(
    r"\{\{\s*(?:date|time|title)\b[^}]*\}\}|<%[-_]?\*?\s*(?:tp\.|await\b)",
    namespace=globals(),
    name="_TEMPLATE",
)
_TOO_LARGE = "front matter is too large or too deeply nested"


def parse_note(rel_path: str, data: bytes, rules: Rules) -> ParsedNote:
    """Everything vaultnet needs from one note. Never raises for bad content."""
    stem = path_stem(rel_path)
    note = ParsedNote(path=rel_path, stem=stem)
    try:
        text_ = decode(data)
    except UnicodeDecodeError as exc:
        note.problems.append(
            Problem(
                rel_path,
                None,
                f"not UTF-8 text (bad byte at offset {exc.start}); re-save it as UTF-8",
            )
        )
        return note
    if templates_dir(note_dir(rel_path)) or (
        ("{{" in text_ or "<%" in text_) and _TEMPLATE.search(text_)
    ):
        return note  # a template: its placeholders are neither a person nor a problem
    front, body, body_line, unclosed = split_parts(text_)
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
        if meta.get("generated_by") == "vaultnet":
            return note  # the dashboard or network note: no source of tasks or mentions
        # What the fast path reads are pieces of the text: no `[[` or `](` there, no links.
        links_in_front = not read_fast or "[[" in front or "](" in front
    r = compiled(rules)
    named_by_date = _note_date(note, meta, front, r)
    contact = is_contact(note, meta, body, named_by_date, r)
    scan = BodyScan(note, contact, r.log_headings)
    scan.run(body, body_line)
    if contact:

        def problem(key: str, message: str) -> None:
            note.problems.append(Problem(rel_path, _key_line(front, key), f"{key}: {message}"))

        found = found_fields(meta, r.keys, scan.inline)
        note.contact = contact_data(stem, meta, found, problem)
        note.front = {k: v if type(v) in _JSON_SCALARS else jsonable(v) for k, v in meta.items()}
    if meta:
        _links_in_front(note, meta, r, links_in_front)
    return note


def _note_date(note: ParsedNote, meta: dict[str, Any], front: str | None, r: Compiled) -> bool:
    """Set the day a note records (see the module docstring); none for a draft (a drafted
    check-in links the person but is no interaction yet). Whether its name gave the date."""
    when = _name_date(note.path, note.stem, r)
    named = when is not None
    raw_key = "date" if "date" in meta else _date_key(meta) if meta else None
    if raw_key is not None and not is_null(meta[raw_key]):
        raw = text(meta[raw_key])
        try:
            when = parse_date(raw if raw is not None else meta[raw_key])
        except ValueError as exc:
            note.problems.append(Problem(note.path, _key_line(front, raw_key), f"{raw_key}: {exc}"))
    if "status" in meta:
        status = text(meta["status"])
        if status is not None and status.lower() == "draft":
            when = None
    note.date = when
    return named


def _date_key(meta: dict[str, Any]) -> str | None:
    """`Date:` or `DATE:` (a meeting note's), when the note has no `date:`."""
    for key in meta:
        if len(key) == 4 and key.lower() == "date":
            return key
    return None


def _name_date(rel_path: str, stem: str, r: Compiled) -> date | None:
    if r.daily:
        lower = rel_path.lower()
        for prefix, parser in r.daily:
            if lower.startswith(prefix):
                inside = rel_path[len(prefix) :]
                when = parser(inside[:-3] if inside.lower().endswith(".md") else inside)
                if when is not None:
                    return when
    # Most names hold no date: an ISO date needs a dash, a timestamp a digit first.
    if "-" in stem:
        for m in _NAME_DATE.finditer(stem):
            start, end = m.span()
            if (start == 0 or not stem[start - 1].isdigit()) and not stem[end : end + 1].isdigit():
                with contextlib.suppress(ValueError):
                    return _iso_date(m.group(0))
                break
    if stem[:1].isdigit():
        s = _STAMP.match(stem)
        if s is not None:
            with contextlib.suppress(ValueError):
                return date(int(s.group(1)), int(s.group(2)), int(s.group(3)))
    return None


# -- people ------------------------------------------------------------------------------
# -- links in the front matter -------------------------------------------------------------
def _links_in_front(note: ParsedNote, meta: dict[str, Any], r: Compiled, any_links: bool) -> None:
    """Links in front-matter values (``attendees: ["[[Ana]]"]``) count as links too, and
    so do plain names under the attendee keys (``attendees: [Chuck Blake, bernie]``); they
    come before the body's, as their lines do (a link added at the end of the body is
    the last of the note's: ``store.keptrows`` stores only it)."""
    people = r.attendees if note.contact is None else frozenset()
    if not (any_links or people):
        return
    keys = [(key, normal_key(key)) for key in meta]
    if not any_links and not any(k in people for _, k in keys):
        return
    folder = note_dir(note.path)
    links: list[Link] = []
    for key, k in keys:
        attendees = k in people
        if (attendees or any_links) and k != "introduced_by":
            # (an introduction is not an interaction)
            value = meta[key]
            for item in (value,) if type(value) is str else _strings(value):
                # Outside the attendee keys only a text with a link gives links.
                if attendees or "[[" in item or "](" in item:
                    links.extend(_front_links(item, folder, attendees))
    if links:  # before the body's: a note's links in the order of their lines
        note.links[:0] = links


def _front_links(item: str, note_dir: str, attendees: bool) -> list[Link]:
    """The links of one front-matter text: its links, or the names an attendee key lists."""
    if "](" in item:
        return [Link(1, found) for found in link_keys(item, note_dir)]
    if "[[" in item:
        return [_new(Link, (1, found, None, None)) for found in _wikilink_keys(item)]
    if not attendees:
        return []
    names = item.split(",") if "," in item else (item,)
    return [_new(Link, (1, found, None, None)) for name in names for found in _name_keys(name)]


_new = tuple.__new__  # a named tuple from all its fields, without its __new__'s frame


# Meeting notes list the same attendees over and over: their keys are kept.
@functools.lru_cache(maxsize=1024)
def _wikilink_keys(item: str) -> tuple[str, ...]:
    """link_keys of a text without Markdown links (which alone depend on the note's folder)."""
    return tuple(link_keys(item, ""))


@functools.lru_cache(maxsize=1024)
def _name_keys(name: str) -> tuple[str, ...]:
    """The keys a plain name or slug may be known by: `Chuck Blake`, `ben-cohen`."""
    words = name.strip().strip("@").strip()
    if not words or is_null(words):
        return ()
    key = fold(words)
    spaced = fold(words.replace("-", " ").replace("_", " ").replace(".", " "))
    if spaced != key:
        return (key, " ".join(spaced.split()))
    return (key,)


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


# -- the front matter ----------------------------------------------------------------------
def _load_front(rel_path: str, front: str, note: ParsedNote) -> tuple[dict[str, Any] | None, bool]:
    """The front matter's mapping (None when it is broken), and whether fast_front read it."""
    loaded = fast_front(front) if fastyaml.FAST_FRONT else FALLBACK
    read_fast = loaded is not FALLBACK
    if not read_fast:
        import yaml  # loaded by load_yaml: only notes fastyaml declines need it

        try:
            loaded = load_yaml(front)
        except yaml.YAMLError as exc:
            if "recursive" in str(getattr(exc, "problem", "")):  # `a: &a [*a]`
                note.problems.append(Problem(rel_path, 2, _TOO_LARGE))
                return None, read_fast
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 2 if mark is not None else 1
            reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            note.problems.append(Problem(rel_path, line, f"broken YAML front matter: {reason}"))
            return None, read_fast
        if isinstance(loaded, dict) and too_large(loaded):
            note.problems.append(Problem(rel_path, 2, _TOO_LARGE))
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
    if read_fast:
        return loaded, read_fast  # a new dict, its keys already text
    return {str(k): v for k, v in loaded.items()}, read_fast


def _key_line(front: str | None, key: str) -> int | None:
    """File line of ``key:`` in the front matter (the opening fence is line 1)."""
    if front is None:
        return None
    pattern = re.compile(rf"^['\"]?{re.escape(key)}['\"]?\s*:")
    for i, line in enumerate(split_lines(front)):
        if pattern.match(line):
            return i + 2
    return None


def jsonable(value: Any) -> Any:
    """A JSON-safe copy of a YAML value."""
    if type(value) in _JSON_SCALARS:
        return value
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [jsonable(v) for v in value]
    return str(value)


_JSON_SCALARS = frozenset({str, int, float, bool, type(None)})


def _iso_date(raw: str) -> date:
    """parse_date for text a regex matched as ``\\d{4}-\\d{2}-\\d{2}``, without its regex."""
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return parse_date(raw)  # its message, or its reading of non-ASCII digits
