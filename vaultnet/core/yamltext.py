"""YAML values as text: scalars and ``key: value`` entries that read back as written. Pure.

The writers never re-dump a document; they give the lines of one entry, so the caller
can put them into a note without touching any other byte.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

import yaml

# libyaml when present, as the vault's reader uses. The reader's one change to the safe
# loader (an impossible date stays a string) cannot matter here: text that looks like a
# date is quoted by _YAML_SPECIAL before it is ever loaded back.
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_PLAIN_SAFE = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`][^:#]*$")
_YAML_SPECIAL = re.compile(
    r"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF"
    r"|null|Null|NULL|~|[-+]?(?:\d[\d_]*)?\.?\d[\d_]*(?:[eE][-+]?\d+)?|0x[0-9a-fA-F]+|0o?[0-7]+"
    r"|\d{4}-\d{1,2}-\d{1,2}.*|[-+]?\.(?:inf|Inf|INF|nan|NaN|NAN)|\d+(?::[0-5]?\d)+(?:\.\d*)?)$"
)


def yaml_scalar(value: Any) -> str:
    """One YAML scalar as text: plain where that reads back as the same string, else quoted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (int, float)):
        return str(value)
    text = str(value)
    if (
        text
        and _PLAIN_SAFE.match(text)
        and not _YAML_SPECIAL.match(text)
        and text == text.strip()
        and _reads_back_plain(text)
    ):
        return text
    return _double_quoted(text)


def _reads_back_plain(text: str) -> bool:
    """Whether ``k: text`` loads as that very string. The patterns above miss YAML 1.1 forms
    (``0b101``, ``1.``, ``=``, ``<<``) and characters a plain scalar cannot hold."""
    try:
        loaded = yaml.load(f"k: {text}\n", Loader=_LOADER)
        return bool(loaded == {"k": text})
    except (yaml.YAMLError, ValueError):
        return False


# Characters YAML does not allow unescaped (control characters, lone surrogates, U+FFFE/F),
# and line breaks, which a double-quoted scalar would fold into spaces.
_NEEDS_ESCAPE = re.compile(
    r"[^\x09\x20-\x7e\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]|[\u2028\u2029]"
)


def _double_quoted(text: str) -> str:
    out = []
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif _NEEDS_ESCAPE.match(ch):
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def yaml_entry(key: str, value: Any, newline: str = "\n") -> list[str]:
    """``key: value`` as lines (lists and mappings in block style)."""
    if isinstance(value, (list, tuple)):
        if not value:
            return [f"{key}: []{newline}"]
        return [f"{key}:{newline}"] + [f"  - {yaml_scalar(v)}{newline}" for v in value]
    if isinstance(value, Mapping):
        if not value:
            return [f"{key}: {{}}{newline}"]
        return [f"{key}:{newline}"] + [
            f"  {yaml_scalar(k)}: {yaml_scalar(v)}{newline}" for k, v in value.items()
        ]
    return [f"{key}: {yaml_scalar(value)}{newline}"]
