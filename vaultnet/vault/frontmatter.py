"""A note's text and its front matter: decoding, the fences, lines, and the YAML loader.

The rules here are shared by the reader (``parse``) and the writers (``edit``, check-ins),
so that both agree on where the front matter ends and how lines are numbered.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from vaultnet.core.patterns import lazy
from vaultnet.core.tuples import NamedTuple

# Every scalar is read as the text it is, never typed by YAML 1.1's rules (`0301234567`
# would be an octal number, `NO` false, `1:30` the number 90, `2026-02-30` an error): the
# schema types the fields it knows (``vault.parse``) and every other key keeps its text.

BOM = "\ufeff"
_FENCE_OPEN = re.compile(r"^---[ \t]*\r?$")
_FENCE_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.MULTILINE)
# Walking a YAML alias bomb explodes; a budget of visited nodes stops it.
MAX_NODES = 20_000


def decode(data: bytes) -> str:
    """Text of a note. UTF-8 (with or without BOM) or UTF-16 with a BOM; else UnicodeDecodeError."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    text = data.decode("utf-8")
    return text[1:] if text.startswith(BOM) else text


class Split(NamedTuple):
    """A note's text cut into front matter and body. Lines are 1-based in the file."""

    front: str | None  # YAML text between the fences, None when there is no front matter
    body: str
    body_line: int  # file line number of the body's first line
    unclosed: bool = False


def split_front_matter(text: str) -> Split:
    """Find ``---`` ... ``---`` (or ``...``) at the very top of the note."""
    return Split(*split_parts(text))


def split_parts(text: str) -> tuple[str | None, str, int, bool]:
    """split_front_matter's fields as a tuple (front, body, body_line, unclosed)."""
    # parse_note calls this once a note: it skips building the Split.
    if not text.startswith("---"):
        return None, text, 1, False
    first_end = text.find("\n")
    if not _FENCE_OPEN.match(text if first_end < 0 else text[:first_end]):
        return None, text, 1, False
    close = _closing_fence(text, first_end) if first_end >= 0 else None
    if close is None:
        return None, text, 1, True
    # close.end() is at the closing line's LF, or at the end of the text.
    front, body = text[first_end + 1 : close.start()], text[close.end() + 1 :]
    return front, body, text.count("\n", 0, close.start()) + 2, False


def _closing_fence(text: str, at: int) -> re.Match[str] | None:
    """The first line after the LF at ``at`` that closes the front matter.

    Same as ``_FENCE_CLOSE.search(text, at + 1)``; finding its candidates with str.find is
    much faster than a regex that tries every position.
    """
    while True:
        dashes, dots = text.find("\n---", at), text.find("\n...", at)
        if dashes < 0 and dots < 0:
            return None
        at = dashes if dots < 0 or 0 <= dashes < dots else dots
        close = _FENCE_CLOSE.match(text, at + 1)
        if close is not None:
            return close
        at += 1


def split_lines(text: str, keepends: bool = False) -> list[str]:
    """Lines as editors number them: split at LF (CRLF's CR stays with its line unless dropped).

    ``str.splitlines`` also splits at form feeds, U+2028, U+0085 and friends, which pasted
    text carries; that would shift every line number reported after them.
    """
    parts = text.split("\n")
    if keepends:
        out = [part + "\n" for part in parts[:-1]]
        return [*out, parts[-1]] if parts[-1] else out
    if not parts[-1]:
        parts.pop()
    if "\r" not in text:
        return parts
    return [part[:-1] if part.endswith("\r") else part for part in parts]


@functools.cache
def yaml_loader() -> Any:
    """libyaml's base loader (about 4x faster), or the pure-Python one when it is absent.
    PyYAML loads on first use: most notes are read by ``fastyaml`` without it, and its
    import is a third of the parser's (10-15 ms: one changed note should not pay it)."""
    import yaml

    return getattr(yaml, "CBaseLoader", yaml.BaseLoader)


def load_yaml(front: str) -> Any:
    """The front matter's YAML as PyYAML's base loader reads it (every scalar text)."""
    import yaml

    return yaml.load(front, Loader=yaml_loader())


def too_large(value: Any) -> bool:
    """Whether a loaded YAML value has more than MAX_NODES keys, values and items."""
    # Iterative, so that a self-referencing alias (`a: &a [*a]`) exhausts the budget
    # instead of Python's recursion limit.
    seen = 0
    stack = [value]
    while stack:
        item = stack.pop()
        seen += 1
        if seen > MAX_NODES:
            return True
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


# A code fence: 3+ backticks or tildes. It is closed only by a fence of the same character,
# at least as long, with nothing after it (CommonMark); a backtick fence's info string holds
# no backtick. Indentation is allowed (fences inside list items).
_FENCE_LINE = lazy(r"^[ \t]*(`{3,}|~{3,})(.*?)\r?\n?$", namespace=globals(), name="_FENCE_LINE")


def fence_after(line: str, fence: str) -> str | None:
    """When ``line`` is a fence line, the code fence open after it (``""``: none), given
    the fence open before it; None when it is no fence line (an ordinary line)."""
    m = _FENCE_LINE.match(line)
    if m is None:
        return None
    marks, info = m.groups()
    if not fence:
        return None if marks[0] == "`" and "`" in info else marks
    if marks[0] == fence[0] and len(marks) >= len(fence) and not info.strip():
        return ""
    return fence  # a fence-like line inside code is code
