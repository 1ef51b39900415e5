"""Formatters for ``network``: a terminal report, stable JSON, and a note with Mermaid diagrams."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from vaultnet.core.model import Contact
from vaultnet.core.network import Composition, Map, Network, span_words
from vaultnet.render.followups import wikilink
from vaultnet.render.text import GENERATED_FRONT, last_contact_words, table

# -- JSON ----------------------------------------------------------------------------------------


def network_json(net: Network) -> str:
    """``to_json(network_dict(net))``, made a listed item at a time and joined once: at
    50k contacts the whole dict and the encoder's pieces of it held three times the text."""
    pieces = ["{"]
    for key, value in _fields(net):
        pieces.append(f"\n  {_json(key, 2)}: ")
        if not isinstance(value, Iterator):
            pieces.append(_json(value, 2))
        else:
            opening = len(pieces)
            for item in value:
                pieces.append(",\n    " if len(pieces) > opening else "[\n    ")
                pieces.append(_json(item, 4))
            pieces.append("\n  ]" if len(pieces) > opening else "[]")
        pieces.append(",")
    pieces[-1] = "\n}"
    return "".join(pieces)


def _json(value: Any, indent: int) -> str:
    """``value`` as ``to_json`` writes it ``indent`` spaces deep (no string holds a newline:
    JSON escapes them)."""
    text = json.dumps(value, ensure_ascii=False, indent=2, default=str)
    return text.replace("\n", "\n" + " " * indent)


def network_dict(net: Network) -> dict[str, Any]:
    """The stable JSON shape of the report (pinned by a test)."""
    return {k: list(v) if isinstance(v, Iterator) else v for k, v in _fields(net)}


def _fields(net: Network) -> list[tuple[str, Any]]:
    """The keys of ``network_dict`` and their values, each list of people as it is made."""
    comp = net.composition
    return [
        ("today", net.today.isoformat()),
        ("dormant_days", net.dormant_days),
        (
            "composition",
            {
                "total": comp.total,
                "kinds": [
                    {
                        "kind": k.kind,
                        "count": k.count,
                        "last_90_days": k.last_90_days,
                        "last_year": k.last_year,
                    }
                    for k in comp.kinds
                ],
                "companies": [{"company": name, "count": n} for name, n in comp.companies],
                "no_company": comp.no_company,
            },
        ),
        (
            "dormant",
            (
                {
                    **_person(d.contact),
                    "interactions": d.interactions,
                    "silent_days": d.silent_days,
                    "reason": d.text,
                }
                for d in net.dormant
            ),
        ),
        (
            "bridges",
            (
                {
                    **_person(b.contact),
                    "interactions": b.interactions,
                    "reaches": [_person(r) for r in b.reached],
                    "groups": b.groups,
                    "reason": b.text,
                }
                for b in net.bridges
            ),
        ),
        (
            "introducers",
            (
                {**_person(i.contact), "introduced": [_person(r) for r in i.introduced]}
                for i in net.introducers
            ),
        ),
        (
            "introduced_by_you",
            (
                {**_person(i.contact), "to": [_person(r) for r in i.introduced]}
                for i in net.introduced_by_you
            ),
        ),
    ]


def _person(c: Contact) -> dict[str, Any]:
    return {
        "name": c.name,
        "path": c.path,
        "kind": c.kind,
        "company": c.company,
        "last_contact": None if c.last_contact is None else c.last_contact.isoformat(),
    }


# -- the terminal --------------------------------------------------------------------------------


def network_table(net: Network) -> str:
    comp = net.composition
    out = [f"Composition: {comp.total} contact{'s' if comp.total != 1 else ''}", ""]
    out.append(table(["Kind", "Contacts", "Last 90 days", "Last year"], _kind_rows(comp)))
    if comp.companies:
        out += ["", table(["Company", "Contacts"], [[n, str(k)] for n, k in comp.companies])]
    out += ["", f"Dormant ties (once regular, silent for over {span_words(net.dormant_days)})", ""]
    if net.dormant:
        rows = [
            [d.contact.name, d.contact.kind or "", last_contact_words(d.contact, net.today), d.text]
            for d in net.dormant
        ]
        out.append(table(["Name", "Kind", "Last contact", "Why"], rows))
    else:
        out.append("None: every once-regular tie is still alive.")
    out += ["", "Weak ties that bridge", ""]
    if net.bridges:
        rows = [
            [
                b.contact.name,
                b.contact.company or "",
                last_contact_words(b.contact, net.today),
                b.text,
            ]
            for b in net.bridges
        ]
        out.append(table(["Name", "Company", "Last contact", "Why"], rows))
    else:
        out.append("None: your circle already reaches everyone your weak ties know.")
    out += ["", "Introducers", ""]
    if net.introducers:
        rows = [
            [i.contact.name, str(len(i.introduced)), ", ".join(r.name for r in i.introduced)]
            for i in net.introducers
        ]
        out.append(table(["Name", "People", "Introduced you to"], rows))
    else:
        out.append("Nobody yet (set introduced_by on a contact).")
    if net.introduced_by_you:
        out += ["", "You introduced", ""]
        rows = [
            [i.contact.name, ", ".join(r.name for r in i.introduced)] for i in net.introduced_by_you
        ]
        out.append(table(["Name", "To"], rows))
    return "\n".join(out)


def _kind_rows(comp: Composition) -> list[list[str]]:
    return [
        [
            k.kind or "(none)",
            str(k.count),
            _share(k.last_90_days, k.count),
            _share(k.last_year, k.count),
        ]
        for k in comp.kinds
    ]


def _share(part: int, whole: int) -> str:
    return f"{part} ({round(100 * part / whole)}%)" if whole else "0"


# -- the note ------------------------------------------------------------------------------------


def network_markdown(net: Network, me: str = "Me") -> str:
    """A note Obsidian renders without plugins: tables and Mermaid diagrams."""
    t = net.today
    comp = net.composition
    lines = [
        GENERATED_FRONT + "# Network",
        "",
        f"*Written by vaultnet for {t:%a} {t.day} {t:%b %Y}."
        " Regenerated on each run: edits here are overwritten.*",
        "",
        "## Composition",
        "",
        f"{comp.total} contact{'s' if comp.total != 1 else ''}, by kind, with the share contacted"
        " in the last 90 days and the last year.",
        "",
        *_md_table(["Kind", "Contacts", "Last 90 days", "Last year"], _kind_rows(comp)),
        "",
        *mermaid_pie("Contacts by kind", [(k.kind or "(none)", k.count) for k in comp.kinds]),
    ]
    if comp.companies:
        rows = [[name, str(n)] for name, n in comp.companies]
        if comp.no_company:
            rows.append(["(none)", str(comp.no_company)])
        lines += ["", *_md_table(["Company", "Contacts"], rows)]
    lines += [
        "",
        "## Dormant ties",
        "",
        f"Once regular, silent for over {span_words(net.dormant_days)}: a single check-in revives them.",
        "",
    ]
    if net.dormant:
        dormant = (
            [_link(d.contact), d.contact.kind or "", _last(d.contact, net), d.text]
            for d in net.dormant
        )  # (rows made as the table takes them: at 50k contacts, 10^4 of them)
        lines += _md_table(["Contact", "Kind", "Last contact", "Why"], dormant)
    else:
        lines.append("None.")
    lines += [
        "",
        "## Weak ties that bridge",
        "",
        "People you rarely talk to who lead where your circle does not reach.",
        "",
    ]
    if net.bridges:
        bridges = (
            [
                _link(b.contact),
                b.contact.company or "",
                _last(b.contact, net),
                _reached(b.reached),
                b.text,
            ]
            for b in net.bridges
        )
        lines += _md_table(["Contact", "Company", "Last contact", "Reaches", "Why"], bridges)
    else:
        lines.append("None.")
    lines += ["", "## Introducers", ""]
    if net.introducers:
        introducers = (
            [_link(i.contact), str(len(i.introduced)), _reached(i.introduced)]
            for i in net.introducers
        )
        lines += _md_table(["Introducer", "People", "Introduced you to"], introducers)
    else:
        lines.append("Nobody yet.")
    if net.introduced_by_you:
        lines += ["", "### You introduced", ""]
        mine = ([_link(i.contact), _reached(i.introduced)] for i in net.introduced_by_you)
        lines += _md_table(["Contact", "To"], mine)
    lines += [
        "",
        "## Map",
        "",
        "You, your strongest clusters, the weak ties that bridge (with some of the people they"
        " lead to) and the strongest dormant ties.",
        "",
        *mermaid_graph(net.map, me),
        "",  # (the last newline: joined once, not the whole note copied to add it)
    ]
    return "\n".join(lines)


def _link(c: Contact) -> str:
    return wikilink(c)


def _reached(people: Sequence[Contact]) -> str:
    return ", ".join(_link(p) for p in people)


def _last(c: Contact, net: Network) -> str:
    if c.last_contact is None:
        return "never"
    return f"{c.last_contact.isoformat()} ({last_contact_words(c, net.today)})"


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell: one line, every ``|`` escaped (in wikilinks too,
    which Obsidian reads as ``[[target\\|label]]`` there)."""
    return " ".join(re.sub(r"(?<!\\)\|", r"\\|", text).split())


def _md_table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    out = ["| " + " | ".join(headers) + " |", "|" + "|".join(" --- " for _ in headers) + "|"]
    out.extend("| " + " | ".join(_cell(c) for c in row) + " |" for row in rows)
    return out


# -- Mermaid -------------------------------------------------------------------------------------

_ARROWS = {"strong": "---", "weak": "-.-", "through": "-->", "met": "---"}
_CLASSES = {
    "you": "fill:#1f2937,color:#ffffff,stroke:#111827",
    "bridge": "fill:#fde68a,stroke:#b45309",
    "reached": "fill:#dbeafe,stroke:#1d4ed8",
    "dormant": "fill:#e5e7eb,stroke:#6b7280,stroke-dasharray:4 3",
}


def mermaid_label(text: str) -> str:
    """``text`` as a quoted Mermaid label: entity codes for what would end or break it."""
    text = " ".join(text.split())
    text = text.replace("#", "#35;")  # first: the codes below start with '#'
    for ch, code in (('"', "#quot;"), ("<", "#lt;"), (">", "#gt;"), ("`", "#96;")):
        text = text.replace(ch, code)
    return f'"{text}"'


def mermaid_pie(title: str, slices: Sequence[tuple[str, int]]) -> list[str]:
    """A pie chart; pie labels take no entity codes, so quotes become apostrophes."""
    lines = ["```mermaid", f"pie title {_pie_text(title)}"]
    lines.extend(f'    "{_pie_text(label)}" : {n}' for label, n in slices if n > 0)
    return [*lines, "```"]


def _pie_text(text: str) -> str:
    return " ".join(re.sub(r'["`\\]', "'", text).split())


def mermaid_graph(m: Map, me: str = "Me") -> list[str]:
    """A flowchart of ``m``: node ids are ``me`` and ``n<number>``, every label is quoted."""
    lines = ["```mermaid", "graph LR"]
    by_cluster: dict[int | None, list[str]] = {}
    for node in m.nodes:
        label = me if node.contact is None else node.contact.name
        shape = f"(({mermaid_label(label)}))" if node.role == "me" else f"[{mermaid_label(label)}]"
        by_cluster.setdefault(node.cluster, []).append(f"{node.id}{shape}")
    lines.extend(f"    {n}" for n in by_cluster.pop(None, []))
    for i, members in sorted(by_cluster.items(), key=lambda kv: kv[0] or 0):
        lines.append(f"    subgraph c{i}[{mermaid_label(m.clusters[i] if i is not None else '')}]")
        lines.extend(f"        {n}" for n in members)
        lines.append("    end")
    lines.extend(f"    {a} {_ARROWS[style]} {b}" for a, b, style in m.edges)
    roles: dict[str, list[str]] = {}
    for node in m.nodes:
        roles.setdefault("you" if node.role == "me" else node.role, []).append(node.id)
    for role, style in _CLASSES.items():
        if role in roles:
            lines.append(f"    classDef {role} {style}")
            lines.append(f"    class {','.join(roles[role])} {role}")
    return [*lines, "```"]


# -- the formats of the command: each gives the whole output, its last newline included ------

NetworkFormat = Callable[[Network, str], str]

NETWORK_FORMATS: dict[str, NetworkFormat] = {
    "table": lambda net, me: network_table(net) + "\n",
    "json": lambda net, me: network_json(net) + "\n",
    "markdown": network_markdown,
}
