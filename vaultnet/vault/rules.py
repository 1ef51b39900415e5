"""What the config says about reading notes (``Rules``), and what is derived from it once
for all notes of a vault (``compiled``)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from vaultnet.core.config import Config
from vaultnet.core.dateformats import date_format_parser
from vaultnet.core.fieldnames import (
    ATTENDEE_KEYS,
    PERSON_CATEGORIES,
    PERSON_TAGS,
    PERSON_TYPES,
    key_table,
    marker_text,
    normal_key,
)
from vaultnet.core.tuples import NamedTuple
from vaultnet.vault.body import LOG_HEADINGS


class Rules(NamedTuple):
    """What the config says about reading notes (see ``store.index.Index.rules``)."""

    contacts_folders: tuple[str, ...] = ()  # none: folders named like People, anywhere
    person_tags: tuple[str, ...] = PERSON_TAGS
    person_types: tuple[str, ...] = PERSON_TYPES
    person_categories: tuple[str, ...] = PERSON_CATEGORIES
    attendee_keys: tuple[str, ...] = ATTENDEE_KEYS
    fields: tuple[tuple[str, tuple[str, ...]], ...] = ()  # field -> more spellings
    log_heading: str = "Log"
    daily: tuple[tuple[str, str], ...] = ()  # (folder, moment.js format)

    @classmethod
    def from_config(cls, config: Config, daily: tuple[tuple[str, str], ...] | None = None) -> Rules:
        """The rules a vault's config gives; ``daily`` replaces its daily notes."""
        return cls(
            contacts_folders=tuple(config.contacts_folders),
            person_tags=tuple(config.person_tags),
            person_types=tuple(config["person_types"]),
            person_categories=tuple(config["person_categories"]),
            attendee_keys=tuple(config["attendee_keys"]),
            fields=tuple((k, tuple(v)) for k, v in sorted(config["fields"].items())),
            log_heading=config.log_heading,
            daily=tuple(config.daily_notes) if daily is None else daily,
        )


class Compiled(NamedTuple):
    """A Rules object's derived parts, made once (a vault's notes share one Rules)."""

    prefixes: tuple[str, ...]
    tags: frozenset[str]
    types: frozenset[str]
    categories: frozenset[str]
    attendees: frozenset[str]
    keys: dict[str, str]
    log_headings: frozenset[str]
    daily: tuple[tuple[str, Callable[[str], date | None]], ...]
    body_tag: re.Pattern[str]


def compiled(rules: Rules) -> Compiled:
    """The derived parts of ``rules``, kept for the Rules object in use (hashing one costs
    more than parsing a short note)."""
    global _last_compiled
    seen = _last_compiled  # one read: another thread may replace it meanwhile
    if seen[0] is rules and seen[1] is not None:
        return seen[1]
    compiled = _compile(rules)
    _last_compiled = (rules, compiled)
    return compiled


def _compile(rules: Rules) -> Compiled:
    tags_ = frozenset(marker_text(t) for t in rules.person_tags)
    alternatives = "|".join(sorted(re.escape(t) for t in tags_ if t)) or r"(?!)"
    return Compiled(
        prefixes=tuple(f.strip("/").lower() + "/" for f in rules.contacts_folders if f.strip("/")),
        tags=tags_,
        types=frozenset(marker_text(t) for t in rules.person_types),
        categories=frozenset(marker_text(t) for t in rules.person_categories),
        attendees=frozenset(normal_key(k) for k in rules.attendee_keys),
        keys=key_table(dict(rules.fields)),
        log_headings=LOG_HEADINGS | {" ".join(rules.log_heading.lower().split())},
        daily=_daily_parsers(rules.daily),
        # A literal `#` first lets the regex engine skip ahead fast (20x faster than a
        # lookbehind first); what comes before the `#` is checked in _body_tag.
        body_tag=re.compile(rf"#(?i:{alternatives})(?![\w-])"),
    )


_last_compiled: tuple[Rules | None, Compiled | None] = (None, None)


def _daily_parsers(
    daily: tuple[tuple[str, str], ...],
) -> tuple[tuple[str, Callable[[str], date | None]], ...]:
    out = []
    for folder, fmt in daily:
        parser = date_format_parser(fmt)
        if parser is not None:
            prefix = folder.strip("/").lower()
            out.append((prefix + "/" if prefix else "", parser))
    return tuple(out)
