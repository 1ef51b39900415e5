"""Which notes are people: in a contacts folder (not a dated, index or helper note), or
marked as a person anywhere (tags, `type:`, `categories:`, a tag in the body). See
``parse``'s docstring for the rules in words."""

from __future__ import annotations

import functools
import posixpath
import re
from typing import Any

from vaultnet.core.fieldnames import folder_holds_people, marker_text
from vaultnet.core.model import ParsedNote
from vaultnet.core.names import fold
from vaultnet.vault.fields import tags, texts
from vaultnet.vault.rules import Compiled, Rules, compiled

_MARKER_KEYS = frozenset({"tags", "tag", "categories", "category", "type"})
_INDEX_NAMES = frozenset({"index", "_index", "readme", "people", "persons", "contacts", "moc"})


def is_contact(
    note: ParsedNote, meta: dict[str, Any], body: str, named_by_date: bool, r: Compiled
) -> bool:
    """Whether ``person_reason`` gives a reason, without making its text (every note asks)."""
    marked = _marked(meta, r) if meta else None
    if marked is not None:
        return isinstance(marked, str)
    if in_people_folder(note.path, r):
        return not (named_by_date or _is_index(note.path, note.stem))
    return "#" in body and _body_tag(body, r.body_tag) is not None


def person_reason(
    rel_path: str, stem: str, meta: dict[str, Any], body: str, named_by_date: bool, r: Compiled
) -> str | None:
    marked = _marked(meta, r)
    if marked is not None:
        return marked if isinstance(marked, str) else None
    if in_people_folder(rel_path, r):
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


def _people_folder(rel_path: str, r: Compiled) -> str:
    """The contacts folder a note is in, as the vault spells it."""
    if r.prefixes:
        lower = rel_path.lower()
        prefix = next(p for p in r.prefixes if lower.startswith(p))
        return rel_path[: len(prefix) - 1]
    parts = posixpath.dirname(rel_path).split("/")
    last = max(i for i, part in enumerate(parts) if folder_holds_people(part))
    return "/".join(parts[: last + 1])


def _marked(meta: dict[str, Any], r: Compiled) -> str | bool | None:
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
    return in_people_folder(rel_path, compiled(rules))


def in_people_folder(rel_path: str, r: Compiled) -> bool:
    if r.prefixes:
        return rel_path.lower().startswith(r.prefixes)
    return _people_dir(posixpath.dirname(rel_path))


@functools.lru_cache(maxsize=1024)
def _people_dir(folder: str) -> bool:
    return bool(folder) and any(folder_holds_people(part) for part in folder.split("/"))


@functools.lru_cache(maxsize=1024)
def templates_dir(folder: str) -> bool:
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
    return (
        name in _INDEX_NAMES
        or name == _folded_parent(rel_path[: rel_path.rfind("/") + 1])
        or name.endswith(" moc")
        or "template" in name
    )


@functools.lru_cache(maxsize=1024)
def _folded_parent(head: str) -> str:
    """The folded name of the folder a note is in (``head``: its path up to the last `/`;
    posixpath.dirname depends on nothing else)."""
    return fold(posixpath.basename(posixpath.dirname(head + "x")))
