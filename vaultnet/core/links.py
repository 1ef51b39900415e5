"""Links between notes, one copy each: the patterns, the keys they resolve by, the text a
reader sees, and a note's name."""

from __future__ import annotations

import functools
import posixpath
import re
from urllib.parse import unquote

from vaultnet.core.names import fold
from vaultnet.core.patterns import lazy

WIKILINK = re.compile(r"\[\[([^\[\]|#^]*)(?:[#^][^\[\]|]*)?(?:\|[^\[\]]*)?\]\]")
MDLINK = re.compile(r"\[[^\[\]]*\]\((?:<([^<>]+)>|([^()\s]+))\)")
_MD_LINK_TEXT = lazy(r"\[([^\[\]]*)\]\([^()]*\)", namespace=globals(), name="_MD_LINK_TEXT")


def note_name(path: str) -> str:
    """A note's name as Obsidian shows and links it: its file name without ``.md``."""
    base = path.rsplit("/", 1)[-1]
    return base[:-3] if base.lower().endswith(".md") else base


def wikilink(path: str, name: str) -> str:
    """``[[stem]]``, or ``[[stem|Name]]`` when the note's file is named otherwise: the way
    Obsidian links a note."""
    stem = note_name(path)
    return f"[[{stem}]]" if stem == name else f"[[{stem}|{name}]]"


def note_dir(rel_path: str) -> str:
    """posixpath.dirname for a vault-relative path, at a fraction of its cost."""
    i = rel_path.rfind("/")
    return rel_path[:i] if i > 0 else ""


def path_stem(rel_path: str) -> str:
    """posixpath.splitext(posixpath.basename(rel_path))[0], at a fraction of its cost."""
    base = rel_path[rel_path.rfind("/") + 1 :]
    dot = base.rfind(".")
    # splitext ignores the dots a name starts with (".md" has no extension).
    return base[:dot] if dot > 0 and base[:dot].lstrip(".") else base


def link_keys(text: str, note_dir: str) -> list[str]:
    """Folded targets of the wikilinks and Markdown links to notes in ``text``."""
    if "[[" in text:
        keys = [key for key in map(wikilink_key, WIKILINK.findall(text)) if key is not None]
    else:
        keys = []
    if "](" in text:
        for angled, bare in MDLINK.findall(text):
            key = _markdown_key(angled or bare or "", note_dir)
            if key is not None:
                keys.append(key)
    return keys


@functools.lru_cache(maxsize=1024)
def _markdown_key(href: str, note_dir: str) -> str | None:
    """The key of a Markdown link's target from a note in ``note_dir``; None when it is no
    link to a note (a web address, a file that is no note)."""
    target = unquote(href).split("#", 1)[0]
    if "://" in target or not target.lower().endswith(".md"):
        return None
    return link_key(posixpath.normpath(posixpath.join(note_dir, target)))


# A vault links the same few names over and over; folding is the costly part.
@functools.lru_cache(maxsize=1024)
def link_key(target: str) -> str:
    """The folded key a link to ``target`` (a path or a name) resolves by."""
    return fold(note_name(target))


@functools.lru_cache(maxsize=1024)
def wikilink_key(target: str) -> str | None:
    """The key of a ``[[target]]`` (None for an empty one)."""
    target = target.strip()
    return fold(note_name(target)) if target else None


def plain_text(text: str, markdown_links: bool = False) -> str:
    """Links as a reader sees them: ``[[People/Ana|Ana]]`` -> ``Ana``, ``[[Bo#Work]]`` -> ``Bo``
    (and ``[text](url)`` -> ``text`` with ``markdown_links``)."""

    def label(m: re.Match[str]) -> str:
        whole = m.group(0)
        if "|" in whole:
            return whole[2:-2].split("|", 1)[1] or note_name(m.group(1).strip())
        if not whole[2:-2].strip(" \t#^"):
            return whole  # ``[[]]``, ``[[^]]``, ``[[#]]`` link nothing: shown as typed
        return note_name(m.group(1).strip())

    text = WIKILINK.sub(label, text)
    if markdown_links and "](" in text:
        text = _MD_LINK_TEXT.sub(lambda m: m.group(1), text)
    return text
