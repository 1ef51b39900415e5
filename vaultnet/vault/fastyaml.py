"""A fast path for flat front matter: read it without the YAML loader, or decline.

The YAML loader is the most expensive step of reading a vault, and most front matters
are flat: `key: value` lines, `key: [a, b]` flow lists and `key:` with `  - item` lines
(or one level of `  key: value` lines), all of one-line scalars.

The promise: whatever ``fast_front`` returns is exactly what ``frontmatter.load_yaml``
gives for the same text, the same keys, values and types (scalars are typed with the
loader's own resolver table). Anything else, or anything this code is not certain about,
gives FALLBACK, and the caller asks the loader (so does a front matter over the node
budget, MAX_NODES, which the loader's path reports). tests/test_notes_fast.py proves the
agreement.
"""

from __future__ import annotations

import functools
import re
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from typing import Any

from vaultnet.vault.frontmatter import MAX_NODES, Loader

FAST_FRONT = True  # parse_note reads it at every note; tests switch it off to compare paths
FALLBACK: Any = object()  # "not certainly flat: ask the YAML loader"

# Anything YAML may read differently from how it looks here: tabs, control characters,
# line breaks other than LF (NEL, U+2028/9), BOMs, non-characters.
_NOT_FAST = re.compile(
    "[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)
_FAST_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_-]{0,99}):(?: +|\Z)")
_SINGLE = re.compile(r"'((?:[^']|'')*)'(?: *| +#.*)\Z")
_DOUBLE = re.compile(r'"([^"\\]*)"(?: *| +#.*)\Z')
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
_FLOW_EMPTY = re.compile(r" *\]")
_FLOW_ITEM = re.compile(rf" *(?:'((?:[^']|'')*)'|\"([^\"\\]*)\"|({_FLOW_PLAIN})) *([,\]])")
_FLOW_TAIL = re.compile(r"(?: *| +#.*)\Z")

_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class _Everything:
    def __contains__(self, item: object) -> bool:
        return True


_RESOLVERS: dict[Any, list[tuple[str, re.Pattern[str]]]] = Loader.yaml_implicit_resolvers
_WILDCARD = list(_RESOLVERS.get(None, []))
_RESOLVERS_BY_FIRST = {
    first: [*resolvers, *_WILDCARD] for first, resolvers in _RESOLVERS.items() if first is not None
}
# A plain scalar starting with anything else is a string (unless a resolver takes any start).
_TYPED_FIRST: Any = set(_RESOLVERS_BY_FIRST) if not _WILDCARD else _Everything()


def _yaml_int(text: str) -> int:
    # Mirrors SafeConstructor.construct_yaml_int.
    digits = text.replace("_", "")
    sign = -1 if digits[0] == "-" else 1
    if digits[0] in "+-":
        digits = digits[1:]
    if digits == "0":
        return 0
    if digits.startswith("0b"):
        return sign * int(digits[2:], 2)
    if digits.startswith("0x"):
        return sign * int(digits[2:], 16)
    if digits[0] == "0":
        return sign * int(digits, 8)
    if ":" in digits:
        total, base = 0, 1
        for part in reversed(digits.split(":")):
            total += int(part) * base
            base *= 60
        return sign * total
    return sign * int(digits)


def _yaml_float(text: str) -> float:
    # Mirrors SafeConstructor.construct_yaml_float.
    digits = text.replace("_", "").lower()
    sign = -1 if digits[0] == "-" else 1
    if digits[0] in "+-":
        digits = digits[1:]
    if digits == ".inf":
        return sign * float(Loader.inf_value)
    if digits == ".nan":
        return float(Loader.nan_value)
    if ":" in digits:
        total, base = 0.0, 1
        for part in reversed(digits.split(":")):
            total += float(part) * base
            base *= 60
        return sign * total
    return sign * float(digits)


def _yaml_timestamp(text: str) -> Any:
    # Mirrors SafeConstructor.construct_yaml_timestamp with Loader's rule: an impossible
    # date or time stays a string.
    m = Loader.timestamp_regexp.match(text)
    if m is None:
        return FALLBACK
    g = m.groupdict()
    try:
        day = date(int(g["year"]), int(g["month"]), int(g["day"]))
        if not g["hour"]:
            return day
        micro = int(g["fraction"][:6].ljust(6, "0")) if g["fraction"] else 0
        zone: tzinfo | None = None
        if g["tz_sign"]:
            delta = timedelta(hours=int(g["tz_hour"]), minutes=int(g["tz_minute"] or 0))
            zone = timezone(-delta if g["tz_sign"] == "-" else delta)
        elif g["tz"]:
            zone = UTC
        clock = (int(g["hour"]), int(g["minute"]), int(g["second"]), micro)
        return datetime(day.year, day.month, day.day, *clock, tzinfo=zone)
    except ValueError:
        return text


_CONSTRUCT: dict[str, Any] = {
    "tag:yaml.org,2002:null": lambda text: None,
    "tag:yaml.org,2002:bool": lambda text: Loader.bool_values[text.lower()],
    "tag:yaml.org,2002:int": _yaml_int,
    "tag:yaml.org,2002:float": _yaml_float,
    "tag:yaml.org,2002:timestamp": _yaml_timestamp,
}


def _typed(plain: str) -> Any:
    """A plain scalar typed as the loader types it (YAML 1.1: `no` is False, `~` None...)."""
    if len(plain) == 10 and _ISO_DAY.match(plain):
        # What the resolver and _yaml_timestamp make of the most common typed value.
        try:
            return date.fromisoformat(plain)
        except ValueError:
            return plain
    for tag, regexp in _RESOLVERS_BY_FIRST.get(plain[:1], _WILDCARD):
        if regexp.match(plain):
            construct = _CONSTRUCT.get(tag)
            if construct is None:
                return FALLBACK  # `<<`, `=`: the loader decides
            try:
                return construct(plain)
            except (ValueError, ArithmeticError):
                return FALLBACK  # the loader raises too (int("", 2) for `0b_`)
    return plain


# Keys, and many values (kinds, places, cadences, `true`), repeat from note to note.
_typed_cached = functools.lru_cache(maxsize=4096)(_typed)


def _fast_scalar(text: str) -> Any:
    """The one-line scalar after ``key: `` or ``- `` (spaces skipped), or FALLBACK."""
    if not text or text[0] == "#":
        return None
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
    return _typed(plain)


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
                value = _typed(plain.rstrip(" "))
                if value is FALLBACK:
                    return FALLBACK
                items.append(value)
            pos = m.end()
    return items if _FLOW_TAIL.match(text, pos) else FALLBACK


def _fast_entry(line: str) -> tuple[Any, Any, bool]:
    """``key: value`` as (key, value, nothing after the colon), or FALLBACK for the key."""
    m = _FAST_KEY.match(line)
    if m is None:
        return FALLBACK, None, False
    key = _typed_cached(m.group(1))
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
            key = _typed_cached(name)
            if plain is not None:
                value = _typed_cached(plain) if plain[0] in _TYPED_FIRST else plain
            elif flow is not None:
                value = [_typed_cached(item.strip(" ")) for item in flow.split(",")] if flow else []
                if FALLBACK in value:
                    return FALLBACK
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
