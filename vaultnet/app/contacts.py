"""What ``list``, ``show`` and ``check`` report about the vault's contacts."""

from __future__ import annotations

from datetime import date

from vaultnet.core.config import Config
from vaultnet.core.model import Contact, Interaction, Problem
from vaultnet.store.contacts import find_contact, load_contacts, vault_problems
from vaultnet.store.index import Index


def listed_contacts(
    index: Index,
    config: Config,
    today: date,
    kind: str | None = None,
    tag: str | None = None,
    archived: bool = False,
) -> list[Contact]:
    """Contacts by name, of ``kind`` and with ``tag`` when given; archived ones too only
    with ``archived``."""
    return [
        c
        for c in load_contacts(index, config, today)
        if (archived or not c.archived) and c.matches(kind, tag)
    ]


def contact_history(
    index: Index, config: Config, today: date, query: str
) -> tuple[Contact, list[Interaction]]:
    """The one contact ``query`` names, with open tasks, and its latest interactions."""
    contact = find_contact(index, config, today, query, with_tasks=True)
    return contact, index.interactions(contact.id, today)


def problems(index: Index) -> list[Problem]:
    """Every problem of the vault: in single notes and across notes."""
    return vault_problems(index)
