"""The contacts table as the contact fields' declarations make it (``core.model``): its
columns, their definitions, the statement that inserts a row and the row of one note.
Loaded with the model, by what stores or reads contacts (``store.schema`` is not)."""

from __future__ import annotations

import json
from typing import Any

from vaultnet.core.model import CONTACT_FIELDS, ContactData

# The note's id and path, each declared field, then every front-matter key as JSON. Read
# back under the names ``Contact`` takes (``note_id`` as ``id``).
CONTACT_COLUMNS = ("note_id", "path", *(f.name for f in CONTACT_FIELDS), "fields")
CONTACT_DEFS = ",\n    ".join(f"{f.name} {f.codec.sql}" for f in CONTACT_FIELDS)
CONTACT_INSERT = f"INSERT INTO contacts VALUES ({','.join('?' * len(CONTACT_COLUMNS))})"

_quoted = json.encoder.encode_basestring_ascii  # a str as json.dumps writes it


def _texts_json(value: Any) -> str:
    """json.dumps(value), cheaper for the usual list of strings (a contact's aliases,
    emails, tags: several a contact, most of them empty or short)."""
    if type(value) is list and all(type(v) is str for v in value):
        return "[" + ", ".join(map(_quoted, value)) + "]"
    return json.dumps(value)


_ENCODERS = tuple(
    (f.name, _texts_json if f.codec.encode is json.dumps else f.codec.encode)
    for f in CONTACT_FIELDS
)


def contact_row(nid: int, path: str, c: ContactData, front: dict[str, Any]) -> tuple[Any, ...]:
    """The contacts row of one note, in ``CONTACT_COLUMNS`` order."""
    values: list[Any] = [nid, path]
    for name, encode in _ENCODERS:
        value = getattr(c, name)
        values.append(value if encode is None or value is None else encode(value))
    values.append(json.dumps(front))
    return tuple(values)
