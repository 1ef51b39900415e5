"""A fast path for flat front matter: read it without the YAML loader, or decline.

The YAML loader is the most expensive step of reading a vault, and most front matters
are flat: `key: value` lines, `key: [a, b]` flow lists and `key:` with `  - item` lines
(or one level of `  key: value` lines), all of one-line scalars.

The promise: whatever ``fast_front`` returns is exactly what ``frontmatter.load_yaml``
gives for the same text, the same keys and values (every scalar as its text: the loader
types nothing). Anything else, or anything this code is not certain about,
gives FALLBACK, and the caller asks the loader (so does a front matter over the node
budget, MAX_NODES, which the loader's path reports). tests/test_notes_fast.py proves the
agreement.
"""

from __future__ import annotations

import re
from typing import Any

from vaultnet.core.patterns import lazy
from vaultnet.vault.frontmatter import MAX_NODES

FAST_FRONT = True  # parse_note reads it at every note; tests switch it off to compare paths
FALLBACK: Any = object()  # "not certainly flat: ask the YAML loader"

# Anything YAML may read differently from how it looks here: tabs, control characters,
# line breaks other than LF (NEL, U+2028/9), BOMs, non-characters.
# Written as the characters refused, not as the complement of those allowed (\n, \x20-\x7e,
# \xa0-\u2027, \u202a-\ud7ff, \ue000-\ufefe, \uff00-\ufffd, \U00010000-\U0010ffff): the same
# set, compiled in a tenth of the time (a class over every plane costs 5 ms a process).
_NOT_FAST = lazy(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]",
    namespace=globals(),
    name="_NOT_FAST",
)
_FAST_KEY = lazy(r"([A-Za-z_][A-Za-z0-9_-]{0,99}):(?: +|\Z)", namespace=globals(), name="_FAST_KEY")
_SINGLE = lazy(r"'((?:[^']|'')*)'(?: *| +#.*)\Z", namespace=globals(), name="_SINGLE")
_DOUBLE = lazy(r'"([^"\\]*)"(?: *| +#.*)\Z', namespace=globals(), name="_DOUBLE")
# Characters that make a scalar something else than a plain one when they come first
# ('-' is allowed when a non-space follows it, as in -5 or --07-14).
_NOT_PLAIN_START = frozenset("-?:,[]{}#&*!|>'\"%@`")
# The common line, `key: scalar`, with what _fast_entry and _fast_scalar check written into
# one regex: a plain scalar (no indicator first, `-` only before a non-space; no `: `, no `:`
# at the end; cut before a ` #` comment), or a quoted one (no escapes).
_FLOW_PLAIN = r"(?:[^ \-?:,\[\]{}#&*!|>'\"%@`]|-[^ ,\[\]{}#:])[^,\[\]{}#:]*"
_SIMPLE_ENTRY = re.compile(
    r"([A-Za-z_][A-Za-z0-9_-]{0,99}): +(?:"
    r"((?:[^ \-?:,\[\]{}#&*!|>'\"%@`]|-(?=[^ ]))[^ :]*(?:(?::(?=[^ ])| +(?=[^ #]))[^ :]*)*)"
    r"|'((?:[^']|'')*)'|\"([^\"\\]*)\""
    rf"|\[ *((?:{_FLOW_PLAIN}(?:, *{_FLOW_PLAIN})*)?)\]"  # a flow list of plain scalars
    r")(?: +#.*)? *\Z"
)
_FLOW_EMPTY = lazy(r" *\]", namespace=globals(), name="_FLOW_EMPTY")
_FLOW_ITEM = lazy(
    rf" *(?:'((?:[^']|'')*)'|\"([^\"\\]*)\"|({_FLOW_PLAIN})) *([,\]])",
    namespace=globals(),
    name="_FLOW_ITEM",
)
_FLOW_TAIL = lazy(r"(?: *| +#.*)\Z", namespace=globals(), name="_FLOW_TAIL")


def _fast_scalar(text: str) -> Any:
    """The one-line scalar after ``key: `` or ``- `` (spaces skipped), or FALLBACK."""
    if not text or text[0] == "#":
        return ""
    first = text[0]
    if first == "'":
        m = _SINGLE.match(text)
        return m.group(1).replace("''", "'") if m else FALLBACK
    if first == '"':
        m = _DOUBLE.match(text)
        return m.group(1) if m else FALLBACK
    cut = text.find(" #")
    plain = (text if cut < 0 else text[:cut]).rstrip(" ")
    if first in _NOT_PLAIN_START and not (first == "-" and len(plain) > 1 and plain[1] != " "):
        return FALLBACK
    if ": " in plain or plain[-1] == ":":
        return FALLBACK  # a nested mapping, or an error
    return plain


def _fast_flow(text: str) -> Any:
    """A one-line flow list of scalars (``[a, 'b', "c"]``), or FALLBACK."""
    items: list[Any] = []
    m = _FLOW_EMPTY.match(text, 1)
    if m:
        pos = m.end()
    else:
        pos, end = 1, ","
        while end == ",":
            m = _FLOW_ITEM.match(text, pos)
            if m is None:
                return FALLBACK
            single, double, plain, end = m.groups()
            if single is not None:
                items.append(single.replace("''", "'"))
            elif double is not None:
                items.append(double)
            else:
                items.append(plain.rstrip(" "))
            pos = m.end()
    return items if _FLOW_TAIL.match(text, pos) else FALLBACK


def _fast_entry(line: str) -> tuple[Any, Any, bool]:
    """``key: value`` as (key, value, nothing after the colon), or FALLBACK for the key."""
    m = _FAST_KEY.match(line)
    if m is None:
        return FALLBACK, None, False
    key = m.group(1)
    rest = line[m.end() :]
    value = _fast_flow(rest) if rest[:1] == "[" else _fast_scalar(rest)
    if value is FALLBACK:
        return FALLBACK, None, False
    return key, value, not rest or rest[0] == "#"


def _fast_text(front: str) -> str | None:
    """The front matter with LF line ends, or None when it holds a character _NOT_FAST."""
    if "\r" in front:
        if front.count("\r") != front.count("\r\n"):
            return None
        front = front.replace("\r\n", "\n")
    # Every character _NOT_FAST refuses is one isprintable() refuses, which is much cheaper;
    # for ASCII text both tests are the same.
    if front.replace("\n", "").isprintable():
        return front
    return None if front.isascii() or _NOT_FAST.search(front) else front


def fast_front(front: str) -> Any:  # noqa: C901 - one loop over the lines, on purpose: the hottest code of a build
    """What ``load_yaml(front)`` gives when the front matter is flat (one level of nested
    mapping allowed, as in ``dates:``), else FALLBACK."""
    text = _fast_text(front)
    if text is None:
        return FALLBACK
    meta: dict[Any, Any] = {}
    nodes = 1
    open_key: Any = FALLBACK  # a key with nothing after it: a block list or mapping may follow
    block: list[Any] | dict[Any, Any] | None = None  # that key's value, once it has lines
    indent = 0  # of the block's lines
    for line in text.split("\n"):
        if not line:
            continue
        simple = None if line[0] in " #-" else _SIMPLE_ENTRY.match(line)
        if simple is not None:
            name, plain, single, double, flow = simple.groups()
            key = name
            if plain is not None:
                value = plain
            elif flow is not None:
                value = [item.strip(" ") for item in flow.split(",")] if flow else []
                nodes += len(value)
            else:
                value = double if single is None else single.replace("''", "'")
            if value is FALLBACK or key in meta:
                return FALLBACK
            meta[key] = value
            nodes += 2
            open_key, block = FALLBACK, None
            continue
        rest = line.lstrip(" ")
        if not rest or rest[0] == "#":
            continue
        depth = len(line) - len(rest)
        if rest[0] == "-" and (len(rest) == 1 or rest[1] == " "):
            if open_key is FALLBACK or isinstance(block, dict):
                return FALLBACK
            if block is None:
                block, indent = [], depth
                meta[open_key] = block
            elif depth != indent:
                return FALLBACK
            value = _fast_scalar(rest[1:].lstrip(" "))
            if value is FALLBACK:
                return FALLBACK
            block.append(value)
            nodes += 1
            continue
        key, value, empty = _fast_entry(rest)
        if key is FALLBACK:
            return FALLBACK
        nodes += 2 + (len(value) if isinstance(value, list) else 0)
        if depth == 0:
            if key in meta:
                return FALLBACK
            meta[key] = value
            open_key, block = (key if empty else FALLBACK), None
            continue
        # An indented entry: the open key's value is a mapping of one level.
        if open_key is FALLBACK or isinstance(block, list):
            return FALLBACK
        if block is None:
            block, indent = {}, depth
            meta[open_key] = block
        elif depth != indent or key in block:
            return FALLBACK
        block[key] = value
    if nodes > MAX_NODES:
        return FALLBACK  # the loader's path reports it
    return meta or None
