"""What ``vaultnet init`` found in a vault, and the config it writes: the data, the report
(text or JSON) and the TOML text of ``.vaultnet/config.toml``."""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from vaultnet.core.config import SPEC, describe
from vaultnet.core.model import Problem
from vaultnet.core.yamltext import yaml_scalar


@dataclass(frozen=True)
class Person:
    path: str
    name: str
    reason: str  # what makes the note a person: "folder people/", "tag #person", ...


@dataclass(frozen=True)
class Count:
    name: str  # a folder, a marker such as "categories: [[People]]"
    notes: int


@dataclass(frozen=True)
class FieldUse:
    field: str  # vaultnet's name, e.g. "birthday"
    key: str  # as the vault writes it, e.g. "Birthday"; "birthday::" in the body
    notes: int


@dataclass(frozen=True)
class DateForm:
    field: str
    form: str  # "YYYY-MM-DD", "D Month YYYY", "--MM-DD", ...
    notes: int
    readable: bool  # whether vaultnet reads these values (else `check` reports them)


@dataclass(frozen=True)
class Daily:
    folder: str
    format: str  # moment.js
    source: str  # "daily-notes", "periodic-notes", or "names" (found from the notes)
    notes: int  # notes in the folder
    matching: int  # of those, named in the format


@dataclass(frozen=True)
class TemplateFolder:
    folder: str
    source: str  # "templates", "templater" (Obsidian's settings) or "name"
    notes: int


@dataclass(frozen=True)
class Suggestion:
    kind: str  # "field" or "folder"
    name: str  # the key or the folder
    notes: int
    text: str  # what to do, one line


@dataclass(frozen=True)
class ConfigPlan:
    """What the config says: TOML-ready values (tables as dicts) in SPEC's order, why init
    set each, and commented hints."""

    values: dict[str, Any]
    why: dict[str, str] = field(default_factory=dict)
    field_hints: list[str] = field(default_factory=list)  # 'birthday = ["Geburtstag"]'
    daily_hints: list[str] = field(default_factory=list)  # when several are known


@dataclass(frozen=True)
class BasePlan:
    """What ``People.base`` shows: the notes this vault marks as people, as a table."""

    folders: list[str]  # contacts folders, as the vault spells them
    tags: list[str]  # person tags, without `#`
    properties: list[tuple[str, str]]  # (key, value) as written: ("categories", "[[People]]")
    ignore: list[str]  # template folders: never people
    columns: list[tuple[str, str]]  # (front-matter key as the vault spells it, heading)


@dataclass
class BaseFile:
    """``People.base``: its text, and whether it was written (else why not)."""

    path: str  # vault-relative
    text: str
    written: bool = False
    reason: str = ""  # why it was not written, when it was not


@dataclass
class InitReport:
    notes: int
    people: list[Person]
    folders: list[Count]
    markers: list[Count]
    fields: list[FieldUse]
    date_forms: list[DateForm]
    template_folders: list[TemplateFolder]
    template_notes: list[str]
    daily: list[Daily]
    problems: list[Problem]
    suggestions: list[Suggestion]
    config: str  # the text of the config it writes (or would)
    config_path: str  # vault-relative
    existing: bool = False  # whether a config was there already
    changes: list[str] = field(default_factory=list)  # what would change in it
    written: bool = False
    reason: str = ""  # why nothing was written, when it was not
    base: BaseFile | None = None  # with --base


# -- the config file --------------------------------------------------------------------
_HELP = {key.name: key.help for key in SPEC} | {key: text for key, _d, text in describe()}
_SOURCES = {"names": "from the notes' names", "config": "from the config"}
_BARE = re.compile(r"^[A-Za-z0-9_-]+$")
_CADENCE_EXAMPLE = ('colleague = "3 months"', 'mentor = "6 weeks"')


def config_toml(plan: ConfigPlan) -> str:
    """The config as plain TOML, a comment above every key."""
    lines = [
        "# vaultnet's settings for this vault, written by `vaultnet init`.",
        "# Every key is optional: README.md (Configuration) lists them all.",
    ]
    tables = [key for key in SPEC if key.type.endswith("table")]
    for key in SPEC:
        if key not in tables and key.name in plan.values:
            lines += ["", *_comment(key.name, plan.why)]
            lines.append(f"{key.name} = {_value(plan.values[key.name])}")
            if key.name == "daily_format":
                lines += [f"# {hint}" for hint in plan.daily_hints]
    if plan.daily_hints and "daily_format" not in plan.values:
        lines += ["", "# Daily notes, as Obsidian's settings name them (read without these keys;"]
        lines += ["# setting daily_format would replace them all):"]
        lines += [f"# {hint}" for hint in plan.daily_hints]
    for key in tables:
        table = _table(key.name, key.type, plan)
        lines += ["", *table] if table else []
    return "\n".join(lines) + "\n"


def _table(name: str, type_: str, plan: ConfigPlan) -> list[str]:
    value = plan.values.get(name)
    hints = {"fields": plan.field_hints, "cadences": list(_CADENCE_EXAMPLE)}.get(name, [])
    out = _comment(name, plan.why)
    if name == "fields" and not value and not hints:
        return []
    if isinstance(value, dict):
        out.append(f"[{name}]")
        for sub, v in value.items():
            if type_ == "table":
                out += _comment(f"{name}.{sub}", {})
            out.append(f"{_key(sub)} = {_value(v)}")
        return out + [f"# {hint}" for hint in hints if name == "fields"]
    if name == "me":
        out.append(f"# [{name}]")
        for sub in ("name", "email", "signature"):
            out.append(f'# {sub} = ""  # {_HELP[f"me.{sub}"]}')
        return out
    if not hints:
        return []
    out.append(f"# [{name}]")
    return out + [f"# {hint}" for hint in hints]


def _comment(name: str, why: dict[str, str]) -> list[str]:
    words = _HELP.get(name, name) + (f" Found: {why[name]}." if name in why else "")
    return textwrap.wrap(words, 88, initial_indent="# ", subsequent_indent="# ")


def _key(name: str) -> str:
    return name if _BARE.match(name) else json.dumps(name, ensure_ascii=False)


def _value(value: Any) -> str:
    """A TOML value: JSON's strings, numbers and arrays are TOML's too."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_key(str(k))} = {_value(v)}" for k, v in value.items()) + "}"
    return json.dumps(value, ensure_ascii=False)


# -- the Obsidian base -------------------------------------------------------------------
BASE_MARK = "# Written by `vaultnet init --base`."
_MARKDOWN = 'file.ext == "md"'  # notes only: not the pictures kept beside them


def base_text(plan: BasePlan) -> str:
    """``People.base`` for Obsidian's core Bases plugin: the people as a table.

    The first line marks the file as vaultnet's: ``init --base`` replaces only such a file.
    """
    marks = [f"file.inFolder({_expr_string(f)})" for f in plan.folders]
    marks += [f"file.hasTag({_expr_string(t)})" for t in plan.tags]
    marks += [_property_mark(key, value) for key, value in plan.properties]
    lines = [
        BASE_MARK,
        "# Delete the line above to keep your own changes: init then never replaces the file.",
        "filters:",
        "  and:",
        f"    - {_yaml_quote(_MARKDOWN)}",
        "    - or:",
        *(f"        - {_yaml_quote(m)}" for m in marks),
    ]
    if plan.ignore:
        lines.append("    - not:")
        lines += [
            f"        - {_yaml_quote(f'file.inFolder({_expr_string(f)})')}" for f in plan.ignore
        ]
    lines += ["properties:", "  file.name:", "    displayName: Name"]
    for key, heading in plan.columns:
        lines += [f"  {_yaml_quote(key)}:", f"    displayName: {_yaml_quote(heading)}"]
    lines += ["views:", "  - type: table", "    name: People", "    order:", "      - file.name"]
    lines += [f"      - {_yaml_quote(key)}" for key, _heading in plan.columns]
    lines += ["    sort:", "      - property: file.name", "        direction: ASC"]
    return "\n".join(lines) + "\n"


def _property_mark(key: str, value: str) -> str:
    """A filter: the front-matter ``key`` (one value or a list) holds ``value``."""
    inner = value.strip()
    if inner.startswith("[[") and inner.endswith("]]"):
        target = inner[2:-2].split("|", 1)[0].strip()
        wanted = f"link({_expr_string(target)})"
    else:
        wanted = _expr_string(inner)
    return f"list(note[{_expr_string(key)}]).contains({wanted})"


def _expr_string(text: str) -> str:
    """A string literal of Bases' expression language."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _yaml_quote(text: str) -> str:
    """A YAML scalar that reads back as ``text`` (plain when it can be)."""
    return yaml_scalar(text)


# -- the report ---------------------------------------------------------------------------
def summary(r: InitReport) -> str:
    """One sentence: who is where, how birthdays are spelled, daily notes, templates."""
    if not r.people:
        return _nobody(r)
    parts = [f"{c.notes} in {c.name}/" for c in r.folders]
    parts += [f"{c.notes} by `{c.name}`" for c in r.markers]
    total = len(r.people)
    where = parts[0].split(" ", 1)[1] if len(parts) == 1 else ": " + _and(parts)
    lines = [f"Found {total} {_people(total)}{' ' if len(parts) == 1 else ''}{where}"]
    birthdays = [f"`{u.key}` ({_notes(u.notes)})" for u in r.fields if u.field == "birthday"]
    lines.append(f"birthdays in {_and(birthdays)}" if birthdays else "no birthdays")
    for d in r.daily:
        lines.append(f"daily notes `{_join(d.folder, d.format)}`")
    if r.template_folders:
        lines.append(
            f"templates in {_and([f'`{t.folder}/`' for t in r.template_folders])} (ignored)"
        )
    return "; ".join(lines) + "."


def _nobody(r: InitReport) -> str:
    if r.notes == 0:
        return "Found no notes (.md files) at all: is --vault the right folder?"
    return (
        f"Found nobody among {_notes(r.notes)}: none is in a folder named People, Persons or"
        " Contacts, tagged #person, #people or #contact, or has `type: person` or"
        " `categories: [[People]]`. Next: move people's notes into a People/ folder, tag"
        " them #person, or name their folder in `contacts_folders` (see the suggestions"
        " below, if any); then run `vaultnet init` again."
    )


def init_text(r: InitReport) -> str:
    """The report for a person: the summary, the details, then the config."""
    out = [summary(r), ""]
    if r.people:
        out.append(f"People ({len(r.people)} of {_notes(r.notes)}):")
        rows = [(f"{c.name}/", str(c.notes)) for c in r.folders]
        out += [*_rows(rows + [(c.name, str(c.notes)) for c in r.markers]), ""]
    out += _section("Fields (the keys this vault uses):", _fields(r))
    out += _section("Dates:", _forms(r))
    daily = [
        (
            _join(d.folder, d.format),
            f"{d.matching} of {_notes(d.notes)} named so ({_SOURCES.get(d.source, d.source)})",
        )
        for d in r.daily
    ]
    out += _section("Daily notes:", _rows(daily))
    templates = _rows(
        [(f"{t.folder}/", f"{_notes(t.notes)} ({t.source})") for t in r.template_folders]
    )
    if r.template_notes:
        templates.append(
            f"  {_notes(len(r.template_notes))} with {{{{date}}}} or <% tp %> placeholders,"
            f" e.g. {r.template_notes[0]}"
        )
    out += _section("Templates (never read as people):", templates)
    problems = [f"  {p}" for p in r.problems[:5]]
    if len(r.problems) > 5:
        problems.append(f"  ... and {len(r.problems) - 5} more")
    out += _section(f"Problems ({len(r.problems)}; `vaultnet check` lists them all):", problems)
    out += _section("Suggestions:", [f"  {s.text}" for s in r.suggestions])
    if r.changes:
        out += _section(
            f"{r.config_path} exists; this would change in it:", [f"  {c}" for c in r.changes]
        )
    elif r.existing:
        out += [f"{r.config_path} exists and already says this.", ""]
    out.append(f"{r.config_path}:")
    out.append(r.config)
    if r.base is not None and r.base.text:
        out += [f"{r.base.path}:", r.base.text]
    return "\n".join(out)


def outcome(r: InitReport) -> str:
    """For stderr: what was written, or why nothing was (a second line with --base)."""
    if r.written:
        line = f"Wrote {r.config_path}"
    else:
        line = f"Nothing written: {r.reason}" if r.reason else f"Unchanged: {r.config_path}"
    if r.base is None:
        return line
    b = r.base
    if b.written:
        return f"{line}\nWrote {b.path}"
    return f"{line}\n" + (
        f"{b.path} not written: {b.reason}" if b.reason else f"Unchanged: {b.path}"
    )


def init_json(r: InitReport) -> str:
    """The report with stable keys, for scripts."""
    data = {
        "notes": r.notes,
        "people": [{"path": p.path, "name": p.name, "reason": p.reason} for p in r.people],
        "folders": [{"folder": c.name, "people": c.notes} for c in r.folders],
        "markers": [{"marker": c.name, "people": c.notes} for c in r.markers],
        "fields": [{"field": u.field, "key": u.key, "notes": u.notes} for u in r.fields],
        "date_forms": [
            {"field": f.field, "form": f.form, "notes": f.notes, "readable": f.readable}
            for f in r.date_forms
        ],
        "templates": {
            "folders": [
                {"folder": t.folder, "source": t.source, "notes": t.notes}
                for t in r.template_folders
            ],
            "notes": r.template_notes,
        },
        "daily": [
            {
                "folder": d.folder,
                "format": d.format,
                "source": d.source,
                "notes": d.notes,
                "matching": d.matching,
            }
            for d in r.daily
        ],
        "problems": [{"path": p.path, "line": p.line, "message": p.message} for p in r.problems],
        "suggestions": [
            {"kind": s.kind, "name": s.name, "notes": s.notes, "text": s.text}
            for s in r.suggestions
        ],
        "config_path": r.config_path,
        "config": r.config,
        "existing": r.existing,
        "changes": r.changes,
        "written": r.written,
        "base": None
        if r.base is None
        else {
            "path": r.base.path,
            "written": r.base.written,
            "reason": r.base.reason,
            "text": r.base.text,
        },
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


INIT_FORMATS: dict[str, Callable[[InitReport], str]] = {"text": init_text, "json": init_json}


def _fields(r: InitReport) -> list[str]:
    by_field: dict[str, list[str]] = {}
    for u in r.fields:
        by_field.setdefault(u.field, []).append(f"{u.key} ({u.notes})")
    return _rows([(name, ", ".join(keys)) for name, keys in by_field.items()])


def _forms(r: InitReport) -> list[str]:
    by_field: dict[str, list[str]] = {}
    for f in r.date_forms:
        unread = "" if f.readable else ", unreadable: `vaultnet check`"
        by_field.setdefault(f.field, []).append(f"{f.form} ({f.notes}{unread})")
    return _rows([(name, ", ".join(forms)) for name, forms in by_field.items()])


def _rows(rows: Iterable[tuple[str, str]]) -> list[str]:
    rows = list(rows)
    width = max((len(a) for a, _b in rows), default=0)
    return [f"  {a.ljust(width)}  {b}" for a, b in rows]


def _section(title: str, lines: list[str]) -> list[str]:
    return [title, *lines, ""] if lines else []


def _join(folder: str, fmt: str) -> str:
    return f"{folder}/{fmt}" if folder else fmt


def _and(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _notes(n: int) -> str:
    return f"{n} note{'' if n == 1 else 's'}"


def _people(n: int) -> str:
    return "person" if n == 1 else "people"
