"""Daily-note names in the vault's own moment.js format (Obsidian's Daily notes and the
Periodic Notes plugin): ``date_format_parser("DD-MM-YYYY")`` reads ``23-11-2026``. Pure."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from functools import lru_cache

from vaultnet.core.dates import _MONTHS, MONTH_NAMES, WEEKDAY_NAMES, is_leap

DEFAULT_DAILY_FORMAT = "YYYY-MM-DD"  # what Obsidian uses when the format setting is empty


def _names(names: list[str]) -> str:
    return "(?i:" + "|".join(names) + ")"


_ORDINAL_SUFFIX = "(?:st|nd|rd|th)"
# token -> (pattern, field), after moment.js's format tokens. A field names what its group
# sets; the tokens without one (weekday, quarter, week, time) must match but are not read.
_TOKENS: dict[str, tuple[str, str | None]] = {
    "YYYY": ("([0-9]{4})", "year"),
    "Y": ("([0-9]{4})", "year"),
    "YY": ("([0-9]{2})", "yy"),
    "MMMM": (f"({_names(list(MONTH_NAMES))})", "month_name"),
    "MMM": (f"({_names([m[:3] for m in MONTH_NAMES])})", "month_name"),
    "MM": ("([0-9]{2})", "month"),
    "Mo": ("([0-9]{1,2})" + _ORDINAL_SUFFIX, "month"),
    "M": ("([0-9]{1,2})", "month"),
    "DDDD": ("([0-9]{3})", "yday"),
    "DDDo": ("([0-9]{1,3})" + _ORDINAL_SUFFIX, "yday"),
    "DDD": ("([0-9]{1,3})", "yday"),
    "DD": ("([0-9]{2})", "day"),
    "Do": ("([0-9]{1,2})" + _ORDINAL_SUFFIX, "day"),
    "D": ("([0-9]{1,2})", "day"),
    "dddd": (_names(list(WEEKDAY_NAMES)), None),
    "ddd": (_names([d[:3] for d in WEEKDAY_NAMES]), None),
    "dd": (_names([d[:2] for d in WEEKDAY_NAMES]), None),
    "do": ("[0-6]" + _ORDINAL_SUFFIX, None),
    "d": ("[0-6]", None),
    "e": ("[0-6]", None),
    "E": ("[1-7]", None),
    "Qo": ("[1-4]" + _ORDINAL_SUFFIX, None),
    "Q": ("[1-4]", None),
    **dict.fromkeys(("w", "W", "H", "h", "k", "m", "s"), ("[0-9]{1,2}", None)),
    **dict.fromkeys(("ww", "WW", "gg", "GG", "HH", "hh", "kk", "mm", "ss"), ("[0-9]{2}", None)),
    **dict.fromkeys(("wo", "Wo"), ("[0-9]{1,2}" + _ORDINAL_SUFFIX, None)),
    **dict.fromkeys(("gggg", "GGGG"), ("[0-9]{4}", None)),
    **{t: (f"[0-9]{{{len(t)}}}", None) for t in ("S", "SS", "SSS")},
    "A": ("(?:AM|PM)", None),
    "a": ("(?:am|pm)", None),
    "ZZ": ("[+-][0-9]{4}", None),
    "Z": ("[+-][0-9]{2}:[0-9]{2}", None),
}
# moment's English long formats, spelled out in the tokens above.
_LONG_FORMATS = {
    "LTS": "h:mm:ss A",
    "LT": "h:mm A",
    "LLLL": "dddd, MMMM D, YYYY h:mm A",
    "LLL": "MMMM D, YYYY h:mm A",
    "LL": "MMMM D, YYYY",
    "L": "MM/DD/YYYY",
    "llll": "ddd, MMM D, YYYY h:mm A",
    "lll": "MMM D, YYYY h:mm A",
    "ll": "MMM D, YYYY",
    "l": "M/D/YYYY",
}
_TIMESTAMPS = ("X", "x")  # a moment, not a day: which day depends on the time zone
_FORMAT_TOKEN = re.compile(
    r"\[([^\]]*)\]|\\(.)|("
    + "|".join(sorted([*_TOKENS, *_LONG_FORMATS, *_TIMESTAMPS], key=len, reverse=True))
    + r")|(.)",
    re.S,
)


@lru_cache(maxsize=64)
def date_format_parser(fmt: str) -> Callable[[str], date | None] | None:
    """A reader of daily-note names written in the moment.js format ``fmt`` (Obsidian's
    Daily notes and Periodic Notes settings, e.g. ``YYYY/MM/YYYY-MM-DD``; an empty format is
    Obsidian's default, ``YYYY-MM-DD``), or None when the format cannot name a single day
    (a week, a month, a timestamp).

    The reader maps a note's path relative to the daily-notes folder, without ``.md``
    (``2026/11/2026-11-23``), to its date, or None when it is not such a name. Slashes in
    the format are folders; the format matches the end of the path, so notes moved into
    folders the format does not name still count (Obsidian reads only the file name).
    Month and weekday names are English, in any case; weekdays, quarters, weeks and times
    must match but are not checked. When a part repeats, the last one counts, as in moment.
    """
    pattern: list[str] = []
    fields: list[str] = []
    if not _compile_format(fmt or DEFAULT_DAILY_FORMAT, pattern, fields):
        return None
    if not _names_a_day({_READ[f][0] for f in fields}):
        return None
    rx = re.compile("(?:.*/)?" + "".join(pattern), re.ASCII)
    readers = tuple(_READ[f] for f in fields)

    def read(path: str) -> date | None:
        m = rx.fullmatch(path)
        if m is None:
            return None
        # A dict keeps the last of repeated parts, as moment does.
        parts = {key: conv(text) for (key, conv), text in zip(readers, m.groups(), strict=True)}
        return _day_of(parts)

    return read


def _two_digit_year(text: str) -> int:
    """moment's pivot: 69..99 are the 1900s, 00..68 the 2000s."""
    n = int(text)
    return n + (1900 if n > 68 else 2000)


def _month_number(name: str) -> int:
    return _MONTHS[name.lower()]


# A token's field -> the part of the date it gives and how to read it.
_READ: dict[str, tuple[str, Callable[[str], int]]] = {
    "year": ("year", int),
    "yy": ("year", _two_digit_year),
    "month": ("month", int),
    "month_name": ("month", _month_number),
    "day": ("day", int),
    "yday": ("yday", int),
}


def _names_a_day(parts: set[str]) -> bool:
    return "year" in parts and ({"month", "day"} <= parts or "yday" in parts)


def _day_of(parts: dict[str, int]) -> date | None:
    """The day named by the parts one format always gives, or None when there is none."""
    try:
        if "month" in parts and "day" in parts:
            return date(parts["year"], parts["month"], parts["day"])
        year, yday = parts["year"], parts["yday"]
        if 1 <= yday <= (366 if is_leap(year) else 365):
            return date(year, 1, 1) + timedelta(days=yday - 1)
    except ValueError:
        pass
    return None


def _compile_format(fmt: str, pattern: list[str], fields: list[str]) -> bool:
    """Append the regex of ``fmt`` to ``pattern`` and its groups' fields to ``fields``;
    False when the format holds a token that cannot be read back as a day."""
    for m in _FORMAT_TOKEN.finditer(fmt):
        literal, escaped, token, other = m.groups()
        if token in _TIMESTAMPS:
            return False
        if token in _LONG_FORMATS:
            _compile_format(_LONG_FORMATS[token], pattern, fields)
        elif token is not None:
            regex, field = _TOKENS[token]
            pattern.append(regex)
            if field is not None:
                fields.append(field)
        else:
            pattern.append(re.escape(literal if literal is not None else escaped or other))
    return True
