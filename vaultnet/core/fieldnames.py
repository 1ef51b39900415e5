"""How real vaults spell the fields vaultnet knows, and what marks a note as a person.

People's notes come from many templates and tools: `Birthday`, `BDAY`, `bday`,
`date_of_birth`, `prm-birthday` (the Obsidian PRM plugins), `lastContact`,
`EMAIL[HOME]`, `TEL[CELL]` (vCard converters), `N.GN`/`N.FN`. Every key is compared in a
normal form (``normal_key``) and looked up in one table of spellings a field; a vault
adds its own with ``[fields]`` in the config. Pure: no I/O.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping

# field -> its spellings in normal form (see normal_key); the first is vaultnet's own.
FIELD_KEYS: dict[str, tuple[str, ...]] = {
    "name": ("name", "full_name", "fullname", "fn", "display_name", "contact_name"),
    "aliases": ("aliases", "alias", "aka", "nickname", "nicknames", "also_known_as"),
    "kind": ("kind", "relationship", "relation", "relationship_type", "contact_type"),
    "company": (
        "company", "org", "organization", "organisation", "employer", "works_at", "workplace",
        "current_company",
    ),
    "title": ("title", "job_title", "jobtitle", "role", "position", "occupation", "job"),
    "emails": ("email", "emails", "e_mail", "mail", "email_address", "email_addresses"),
    "phone": (
        "phone", "phones", "tel", "telephone", "mobile", "cell", "phone_number", "mobile_phone",
        "cell_phone", "work_phone", "home_phone",
    ),
    "linkedin": ("linkedin", "linked_in", "linkedin_url", "linkedin_profile"),
    "location": ("location", "city", "based_in", "lives_in", "hometown", "town"),
    "tags": ("tags", "tag"),
    "birthday": (
        "birthday", "bday", "birthdate", "birth_date", "date_of_birth", "dob", "born",
        "birth_day",
    ),
    "work_anniversary": (
        "work_anniversary", "job_anniversary", "hire_date", "hired", "job_start",
        "started_job", "employment_start",
    ),
    "dates": ("dates", "important_dates", "key_dates"),
    "cadence": (
        "cadence", "frequency", "contact_frequency", "check_in_frequency",
        "checkin_frequency", "check_in_every", "keep_in_touch", "reach_out_every",
        "follow_up_every",
    ),
    "last_contact": (
        "last_contact", "last_contacted", "last_chat", "last_contact_date", "last_spoke",
        "last_talked", "last_met", "last_seen", "last_interaction", "last_touch",
        "last_touchpoint", "last_catch_up",
    ),
    "snooze_until": ("snooze_until", "snoozed_until", "snooze"),
    "introduced_by": ("introduced_by", "introducer", "referred_by", "met_through", "referral"),
    "how_met": ("how_met", "how_we_met", "met", "met_at", "where_met", "met_how"),
    "archived": ("archived", "archive", "inactive"),
    "deceased": ("deceased", "died", "date_of_death", "passed_away"),
    "private": ("private",),
}  # fmt: skip

# Parts of a name written apart: top-level keys (vCard's N.GN/N.FN, CRM templates'
# first_name/last_name) and, inside a `name:` mapping, also plain `first`/`last`.
GIVEN_KEYS = ("first_name", "firstname", "given_name", "givenname", "n_gn")
FAMILY_KEYS = ("last_name", "lastname", "family_name", "familyname", "surname", "n_fn")
NESTED_GIVEN = (*GIVEN_KEYS, "first", "given")
NESTED_FAMILY = (*FAMILY_KEYS, "last", "family")

# What marks a note as a person besides its folder (compared folded, `#` and [[ ]] stripped).
PERSON_TAGS = ("person", "people", "contact", "contacts")
PERSON_TYPES = ("person", "people", "contact", "contacts")
PERSON_CATEGORIES = ("people", "person", "contacts", "contact")
# Folder names that hold people, with or without a number or emoji in front: `People/`,
# `contacts/`, `👤 People/`, `10 Example Data/people/`.
PEOPLE_FOLDERS = ("people", "persons", "person", "contacts", "contact")
# Front-matter keys of a meeting or daily note that list who was there, by link or by name.
ATTENDEE_KEYS = ("attendees", "people", "participants", "with", "attendee", "participant")

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_SEPARATORS = re.compile(r"[\s\-.]+")
_SUFFIX = re.compile(r"\[[^\]]*\]$|;.*$")  # EMAIL[HOME], TEL;CELL
_FOLDER_PREFIX = re.compile(r"^[\W\d_]+")  # "10 ", "👤 ", "01 - "


@functools.lru_cache(maxsize=4096)
def normal_key(key: str) -> str:
    """A front-matter key as compared: ``Last Contacted``, ``lastContacted``,
    ``last-contacted`` and ``prm-last-contacted`` are all ``last_contacted``;
    ``EMAIL[HOME]`` is ``email``; ``N.GN`` is ``n_gn``."""
    k = _SUFFIX.sub("", key.strip())
    k = _CAMEL.sub("_", k).lower()
    k = _SEPARATORS.sub("_", k).strip("_")
    return k[4:] if k.startswith("prm_") else k


def key_table(extra: Mapping[str, Iterable[str]] | None = None) -> dict[str, str]:
    """normal key -> field, with the vault's own spellings (``[fields]``) first."""
    table: dict[str, str] = {}
    for field, keys in (extra or {}).items():
        for key in keys:
            table.setdefault(normal_key(key), field)
    for field, keys in FIELD_KEYS.items():
        for key in keys:
            table.setdefault(key, field)
    return table


def folder_holds_people(name: str) -> bool:
    """Whether a folder's name is one of the usual names for people (`People`, `👤 contacts`)."""
    return _FOLDER_PREFIX.sub("", name).strip().lower() in PEOPLE_FOLDERS


def marker_text(value: str) -> str:
    """A tag, type or category as compared: ``#People/work`` -> ``people``,
    ``[[People]]`` -> ``people``."""
    text = value.strip().strip("[]").strip().lstrip("#").lower()
    return text.split("/", 1)[0].split("|", 1)[0].strip()
