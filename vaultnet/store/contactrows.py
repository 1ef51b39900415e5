"""Contacts as the index stores them, read back: the columns in ``Contact``'s own order
and each decoded by its field's codec (``Queries.stored_contacts``)."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from json.decoder import JSONDecoder
from json.scanner import make_scanner
from typing import Any

from vaultnet.core.dates import UNKNOWN_YEARS, YearlyDate, parse_yearly
from vaultnet.core.model import CONTACT_FIELDS, TEXTS, YEARLIES, YEARLY, Codec, Contact
from vaultnet.store.contactschema import CONTACT_COLUMNS

# Contacts are read back in the order of ``Contact``'s own fields, so that a row becomes
# one by position (no mapping of 25 names a row): each column under the name ``Contact``
# gives it (``note_id`` as ``id``), NULL for what depends on today and the config, up to
# the last stored one; only fields with a decoder cost a call per row.
_AS = {"id": "note_id", "fields_json": "fields"}
_INIT = [f for f in dataclasses.fields(Contact) if f.init]
_LAST = max(i for i, f in enumerate(_INIT) if _AS.get(f.name, f.name) in CONTACT_COLUMNS)
CONTACT_SELECT = ", ".join(
    _AS.get(f.name, f.name) if _AS.get(f.name, f.name) in CONTACT_COLUMNS else "NULL"
    for f in _INIT[: _LAST + 1]
)
_NAMES = tuple(f.name for f in _INIT[: _LAST + 1])
assert {_AS.get(n, n) for n in _NAMES} >= set(CONTACT_COLUMNS)  # every column is read
assert all(  # a field not stored is filled in later, from None
    f.default is None for f in _INIT[: _LAST + 1] if _AS.get(f.name, f.name) not in CONTACT_COLUMNS
)


# The JSON the index wrote itself needs none of ``json.loads``' checks: its C scanner
# reads a short list in a fifth of the time.
_SCAN_JSON: Any = make_scanner(JSONDecoder())  # type: ignore[arg-type]


def quick(decode: Any) -> Any:
    """``decode``, without its call for an empty list or mapping (most contacts' lists are
    empty, and ``json.loads`` costs a few microseconds even for ``[]``)."""
    if decode is json.loads:
        return lambda text: [] if text == "[]" else _SCAN_JSON(text, 0)[0]
    return lambda text: {} if text == "{}" else decode(text)


def _stored_yearly(text: str) -> YearlyDate:
    """A yearly date as the index writes it (``str(YearlyDate)``: YYYY-MM-DD or --MM-DD,
    checked when the note was parsed), without parsing it anew."""
    if len(text) == 10 and text[4] == "-" and text[7] == "-" and text[:4].isdigit():
        year = int(text[:4])
        if year not in UNKNOWN_YEARS:
            return YearlyDate(int(text[5:7]), int(text[8:10]), year)
    elif len(text) == 7 and text[:2] == "--" and text[4] == "-":
        return YearlyDate(int(text[2:4]), int(text[5:7]), None)
    return parse_yearly(text)


def _decoder(codec: Codec) -> Any:
    if codec in (TEXTS, YEARLIES):
        return quick(codec.decode)
    return _stored_yearly if codec is YEARLY else codec.decode


_DECODERS = tuple(
    (_NAMES.index(f.name), _decoder(f.codec), "NOT NULL" not in f.codec.sql)
    for f in CONTACT_FIELDS
    if f.codec.decode is not None
)


def contacts_of(rows: list[tuple[Any, ...]]) -> Iterator[Contact]:
    """Contacts of stored rows, decoded a column at a time (no loop over fields a row)."""
    columns: list[Any] = list(zip(*rows, strict=True))
    for i, decode, nullable in _DECODERS:
        column = columns[i]
        if nullable:
            columns[i] = [None if v is None else decode(v) for v in column]
        else:
            columns[i] = list(map(decode, column))
    return map(Contact, *columns)
