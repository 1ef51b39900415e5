"""What ``init`` learns from a note: the same decisions ``parse`` makes, with their reasons
(what makes it a person, whether it is a template) and the keys as the note writes them.

Not on the hot path: ``init`` runs once. It uses the parser's own steps, so the survey and
the index can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from vaultnet.core.model import ParsedNote
from vaultnet.vault.body import BodyScan
from vaultnet.vault.frontmatter import decode, split_parts
from vaultnet.vault.parse import _TEMPLATE, _load_front, _name_date, parse_note
from vaultnet.vault.people import person_reason as _person_reason
from vaultnet.vault.rules import Rules
from vaultnet.vault.rules import compiled as _compiled


def person_reason(rel_path: str, data: bytes, rules: Rules) -> str | None:
    """What makes a note a person (``"folder People/"``, ``"tag #person"``, ``"type:
    person"``, ``"categories: [[People]]"``, ``"body tag #contact"``), or None when it is
    not one. For ``init``'s report; parse_note decides the same way."""
    note = parse_note(rel_path, data, rules)
    if note.contact is None:
        return None
    text_ = decode(data)
    front, body, _line, _unclosed = split_parts(text_)
    meta: dict[str, Any] = {}
    if front is not None:
        loaded, _fast = _load_front(rel_path, front, ParsedNote(path=rel_path, stem=note.stem))
        meta = loaded or {}
    r = _compiled(rules)
    named = _name_date(rel_path, note.stem, r) is not None
    return _person_reason(rel_path, note.stem, meta, body, named, r)


@dataclass(frozen=True)
class NoteFacts:
    """What ``init`` learns from one note: the parsed note, whether it is a template, what
    makes it a person (see ``person_reason``), and its front matter and (for a person) its
    Dataview fields, keys as written."""

    note: ParsedNote
    template: bool
    reason: str | None
    meta: dict[str, Any]
    inline: dict[str, str]


def inspect_note(rel_path: str, data: bytes, rules: Rules) -> NoteFacts:
    """A note as ``init`` surveys it (parse_note decides the same way). Never raises."""
    note = parse_note(rel_path, data, rules)
    try:
        text_ = decode(data)
    except UnicodeDecodeError:
        return NoteFacts(note, False, None, {}, {})
    if ("{{" in text_ or "<%" in text_) and _TEMPLATE.search(text_):
        return NoteFacts(note, True, None, {}, {})
    front, body, body_line, unclosed = split_parts(text_)
    meta: dict[str, Any] = {}
    if front is not None and not unclosed:
        loaded, _fast = _load_front(rel_path, front, ParsedNote(path=rel_path, stem=note.stem))
        meta = loaded or {}
    if note.contact is None:
        return NoteFacts(note, False, None, meta, {})
    r = _compiled(rules)
    named = _name_date(rel_path, note.stem, r) is not None
    reason = _person_reason(rel_path, note.stem, meta, body, named, r)
    scan = BodyScan(ParsedNote(path=rel_path, stem=note.stem), True, r.log_headings)
    scan.run(body, body_line)
    return NoteFacts(note, False, reason, meta, scan.inline)
