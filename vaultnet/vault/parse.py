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
import posixpath
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import yaml

from vaultnet.core.config import Config
from vaultnet.core.dates import date_format_parser, parse_date
from vaultnet.core.fieldnames import (
    ATTENDEE_KEYS,
    PERSON_CATEGORIES,
    PERSON_TAGS,
    PERSON_TYPES,
    folder_holds_people,
    key_table,
    marker_text,
    normal_key,
)
from vaultnet.core.links import link_keys, path_stem
from vaultnet.core.model import Link, ParsedNote, Problem
from vaultnet.core.names import fold
from vaultnet.vault import fastyaml
from vaultnet.vault.body import LOG_HEADINGS, BodyScan
from vaultnet.vault.fastyaml import FALLBACK, fast_front
from vaultnet.vault.fields import contact_data, found_fields, is_null, tags, text, texts
from vaultnet.vault.frontmatter import decode, load_yaml, split_lines, split_parts, too_large

# A date in a note's name: `2026-11-23`, `Meeting - 2026-11-23 1000`, or a timestamp that
# starts it (`202204101611 Meeting`, Zettelkasten style).
_NAME_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_STAMP = re.compile(r"((?:19|20)\d{2})(\d{2})(\d{2})(?:\d{2}){1,3}(?!\d)")
_TEMPLATE = re.compile(r"\{\{\s*(?:date|time|title)\b[^}]*\}\}|<%[-_]?\*?\s*(?:tp\.|await\b)")
_MARKER_KEYS = frozenset({"tags", "tag", "categories", "category", "type"})
_TOO_LARGE = "front matter is too large or too deeply nested"
_INDEX_NAMES = frozenset({"index", "_index", "readme", "people", "persons", "contacts", "moc"})


@dataclass(frozen=True)
class Rules:
    """What the config says about reading notes (see ``store.index.Index.rules``)."""

    contacts_folders: tuple[str, ...] = ()  # none: folders named like People, anywhere
    person_tags: tuple[str, ...] = PERSON_TAGS
    person_types: tuple[str, ...] = PERSON_TYPES
    person_categories: tuple[str, ...] = PERSON_CATEGORIES
    attendee_keys: tuple[str, ...] = ATTENDEE_KEYS
    fields: tuple[tuple[str, tuple[str, ...]], ...] = ()  # field -> more spellings
    log_heading: str = "Log"
    daily: tuple[tuple[str, str], ...] = ()  # (folder, moment.js format)

    @classmethod
    def from_config(cls, config: Config, daily: tuple[tuple[str, str], ...] | None = None) -> Rules:
        """The rules a vault's config gives; ``daily`` replaces its daily notes."""
        return cls(
            contacts_folders=tuple(config.contacts_folders),
            person_tags=tuple(config.person_tags),
            person_types=tuple(config["person_types"]),
            person_categories=tuple(config["person_categories"]),
            attendee_keys=tuple(config["attendee_keys"]),
            fields=tuple((k, tuple(v)) for k, v in sorted(config["fields"].items())),
            log_heading=config.log_heading,
            daily=tuple(config.daily_notes) if daily is None else daily,
        )


@dataclass(frozen=True)
class _Compiled:
    """A Rules object's derived parts, made once (a vault's notes share one Rules)."""

    prefixes: tuple[str, ...]
    tags: frozenset[str]
    types: frozenset[str]
    categories: frozenset[str]
    attendees: frozenset[str]
    keys: dict[str, str]
    log_headings: frozenset[str]
    daily: tuple[tuple[str, Callable[[str], date | None]], ...]
    body_tag: re.Pattern[str]


def _compiled(rules: Rules) -> _Compiled:
    """The derived parts of ``rules``, kept for the Rules object in use (hashing one costs
    more than parsing a short note)."""
    global _last_compiled
    seen = _last_compiled  # one read: another thread may replace it meanwhile
    if seen[0] is rules and seen[1] is not None:
        return seen[1]
    compiled = _compile(rules)
    _last_compiled = (rules, compiled)
    return compiled


def _compile(rules: Rules) -> _Compiled:
    tags_ = frozenset(marker_text(t) for t in rules.person_tags)
    alternatives = "|".join(sorted(re.escape(t) for t in tags_ if t)) or r"(?!)"
    return _Compiled(
        prefixes=tuple(f.strip("/").lower() + "/" for f in rules.contacts_folders if f.strip("/")),
        tags=tags_,
        types=frozenset(marker_text(t) for t in rules.person_types),
        categories=frozenset(marker_text(t) for t in rules.person_categories),
        attendees=frozenset(normal_key(k) for k in rules.attendee_keys),
        keys=key_table(dict(rules.fields)),
        log_headings=LOG_HEADINGS | {" ".join(rules.log_heading.lower().split())},
        daily=_daily_parsers(rules.daily),
        # A literal `#` first lets the regex engine skip ahead fast (20x faster than a
        # lookbehind first); what comes before the `#` is checked in _body_tag.
        body_tag=re.compile(rf"#(?i:{alternatives})(?![\w-])"),
    )


_last_compiled: tuple[Rules | None, _Compiled | None] = (None, None)


def _daily_parsers(
    daily: tuple[tuple[str, str], ...],
) -> tuple[tuple[str, Callable[[str], date | None]], ...]:
    out = []
    for folder, fmt in daily:
        parser = date_format_parser(fmt)
        if parser is not None:
            prefix = folder.strip("/").lower()
            out.append((prefix + "/" if prefix else "", parser))
    return tuple(out)


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
    if _templates_dir(_dirname(rel_path)) or (
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
    r = _compiled(rules)
    named_by_date = _note_date(note, meta, front, r)
    contact = _is_contact(note, meta, body, named_by_date, r)
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


def _note_date(note: ParsedNote, meta: dict[str, Any], front: str | None, r: _Compiled) -> bool:
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


def _name_date(rel_path: str, stem: str, r: _Compiled) -> date | None:
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
def _is_contact(
    note: ParsedNote, meta: dict[str, Any], body: str, named_by_date: bool, r: _Compiled
) -> bool:
    return _person_reason(note.path, note.stem, meta, body, named_by_date, r) is not None


def _person_reason(
    rel_path: str, stem: str, meta: dict[str, Any], body: str, named_by_date: bool, r: _Compiled
) -> str | None:
    marked = _marked(meta, r)
    if marked is not None:
        return marked if isinstance(marked, str) else None
    if _in_people_folder(rel_path, r):
        if named_by_date or _is_index(rel_path, stem):
            return None
        return f"folder {_people_folder(rel_path, r)}/"
    found = _body_tag(body, r.body_tag) if "#" in body else None
    return None if found is None else f"body tag {found}"


def _body_tag(body: str, pattern: re.Pattern[str]) -> str | None:
    """A person tag in the body, standing as a tag: at a line's start or after a space."""
    for m in pattern.finditer(body):
        i = m.start()
        if i == 0 or body[i - 1] in " \t\n\r(,":
            return m.group(0)
    return None


def _people_folder(rel_path: str, r: _Compiled) -> str:
    """The contacts folder a note is in, as the vault spells it."""
    if r.prefixes:
        lower = rel_path.lower()
        prefix = next(p for p in r.prefixes if lower.startswith(p))
        return rel_path[: len(prefix) - 1]
    parts = posixpath.dirname(rel_path).split("/")
    last = max(i for i, part in enumerate(parts) if folder_holds_people(part))
    return "/".join(parts[: last + 1])


def _marked(meta: dict[str, Any], r: _Compiled) -> str | bool | None:
    """How the front matter marks a person (a reason), False when its `type:` says it is
    something else, None when it says neither."""
    typed: bool | None = None
    for key, value in meta.items():
        k = key.lower()
        if k not in _MARKER_KEYS:
            continue
        if k in ("tags", "tag"):
            hit = _tag_hit(value, r.tags)
            if hit is not None:
                return f"tag #{hit}"
            continue
        elif k in ("categories", "category", "type"):
            found = _marker_texts(value)
            wanted = r.types if k == "type" else r.categories
        else:
            continue
        hit = next((t for t in found if marker_text(t) in wanted), None)
        if hit is not None:
            return f"{key}: {hit}"
        if k == "type" and found:
            typed = False
    return typed


def _tag_hit(value: Any, wanted: frozenset[str]) -> str | None:
    """The first tag of ``value`` that marks a person (``people/colleague`` counts as
    ``people``). Most notes have tags, so plain strings are tested without ``tags()``."""
    items = value if isinstance(value, list) else None
    if items is None or not all(type(item) is str for item in items):
        items = tags(value)
    for item in items:
        tag = item.strip().lstrip("#")
        if tag.lower().split("/", 1)[0] in wanted:
            return tag
    return None


def _marker_texts(value: Any) -> list[str]:
    if isinstance(value, list):
        return [
            t
            for item in value
            for t in (_marker_texts(item) if isinstance(item, list) else texts(item))
        ]
    return texts(value)


def in_contacts_folder(rel_path: str, rules: Rules) -> bool:
    """Whether a note sits where contacts live (the configured folders, else any folder
    named like People)."""
    return _in_people_folder(rel_path, _compiled(rules))


def _in_people_folder(rel_path: str, r: _Compiled) -> bool:
    if r.prefixes:
        return rel_path.lower().startswith(r.prefixes)
    return _people_dir(posixpath.dirname(rel_path))


@functools.lru_cache(maxsize=4096)
def _people_dir(folder: str) -> bool:
    return bool(folder) and any(folder_holds_people(part) for part in folder.split("/"))


@functools.lru_cache(maxsize=4096)
def _templates_dir(folder: str) -> bool:
    """A folder named Templates (any case, `_templates`, `99 - Templates`): what it holds is
    templates, even where Obsidian's settings do not say so."""
    return bool(folder) and any(
        part.lstrip("_-. 0123456789").lower() in ("templates", "template")
        for part in folder.split("/")
    )


def _is_index(rel_path: str, stem: str) -> bool:
    """An index, folder or helper note of a people folder (`People/People.md`, `README`,
    `_template.md`, `_aliases.md`: a leading underscore marks a vault's own helpers)."""
    if stem.startswith("_"):
        return True
    name = fold(stem).strip(" ")
    parent = posixpath.basename(posixpath.dirname(rel_path))
    return (
        name in _INDEX_NAMES or name == fold(parent) or name.endswith(" moc") or "template" in name
    )


# -- links in the front matter -------------------------------------------------------------
def _links_in_front(note: ParsedNote, meta: dict[str, Any], r: _Compiled, any_links: bool) -> None:
    """Links in front-matter values (``attendees: ["[[Ana]]"]``) count as links too, and
    so do plain names under the attendee keys (``attendees: [Chuck Blake, bernie]``)."""
    attendee_keys = (
        [k for k in meta if normal_key(k) in r.attendees] if note.contact is None else []
    )
    if not (any_links or attendee_keys):
        return
    note_dir = _dirname(note.path)
    for key, value in meta.items():
        attendees = key in attendee_keys
        if (attendees or any_links) and normal_key(key) != "introduced_by":
            # (an introduction is not an interaction)
            for item in _strings(value):
                note.links.extend(_front_links(item, note_dir, attendees))


def _front_links(item: str, note_dir: str, attendees: bool) -> list[Link]:
    """The links of one front-matter text: its links, or the names an attendee key lists."""
    if "[[" in item or "](" in item:
        return [Link(1, found) for found in link_keys(item, note_dir)]
    if not attendees:
        return []
    names = item.split(",") if "," in item else (item,)
    return [Link(1, found) for name in names for found in _name_keys(name)]


def _dirname(path: str) -> str:
    """posixpath.dirname for a vault-relative path, at a fraction of its cost."""
    i = path.rfind("/")
    return path[:i] if i > 0 else ""


def _name_keys(name: str) -> list[str]:
    """The keys a plain name or slug may be known by: `Chuck Blake`, `ben-cohen`."""
    words = name.strip().strip("@").strip()
    if not words or is_null(words):
        return []
    keys = [fold(words)]
    spaced = fold(words.replace("-", " ").replace("_", " ").replace(".", " "))
    if spaced != keys[0]:
        keys.append(" ".join(spaced.split()))
    return keys


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
