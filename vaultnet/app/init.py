"""``vaultnet init``: look at a vault as it is and write the config that describes it.

The survey reads every note with the rules the defaults give (plus what an existing config
says beyond the keys init decides): where people are and what marks them, which spelling
the vault uses for each known field, the forms of its dates, the templates, the daily
notes (Obsidian's settings, else their names) and the broken notes. The config it proposes
sets only what says something (``contacts_folders``, ``daily_folder``/``daily_format``,
``ignore`` for template folders), keeps every other key an existing config sets, and reads
the same people as the survey. No terminal here.
"""

from __future__ import annotations

import functools
import json
import posixpath
import re
import tomllib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from vaultnet.core.config import CONFIG_DIR, CONFIG_NAME, SPEC, Config, validate
from vaultnet.core.dateformats import date_format_parser
from vaultnet.core.dates import parse_date, parse_yearly
from vaultnet.core.fieldnames import FIELD_KEYS, key_table, normal_key
from vaultnet.core.model import Problem
from vaultnet.render.init import (
    BASE_MARK,
    BaseFile,
    BasePlan,
    ConfigPlan,
    Count,
    Daily,
    DateForm,
    FieldUse,
    InitReport,
    Person,
    Suggestion,
    TemplateFolder,
    base_text,
    config_toml,
)
from vaultnet.store.index import GITIGNORE
from vaultnet.vault.fields import found_fields, text
from vaultnet.vault.obsidian import ObsidianSettings, read_settings
from vaultnet.vault.parse import Rules, in_contacts_folder
from vaultnet.vault.scan import FileStat, Ignore, scan
from vaultnet.vault.survey import NoteFacts, inspect_note

CONFIG_PATH = f"{CONFIG_DIR}/{CONFIG_NAME}"
BASE_PATH = "People.base"  # Obsidian's core Bases plugin: the people as a table
# The columns of People.base: field, heading (name is the note's own, file.name).
BASE_COLUMNS = (
    ("kind", "Kind"), ("company", "Company"), ("last_contact", "Last contact"),
    ("cadence", "Cadence"), ("birthday", "Birthday"),
)  # fmt: skip
# The keys init decides from the vault; an existing config keeps all the others.
DERIVED = ("contacts_folders", "daily_folder", "daily_format", "ignore")
DATE_FIELDS = ("birthday", "work_anniversary", "last_contact")
# Daily-note names to try when Obsidian's settings name none, most usual first.
DAILY_FORMATS = (
    "YYYY-MM-DD", "DD-MM-YYYY", "MM-DD-YYYY", "DD.MM.YYYY", "YYYY_MM_DD", "YYYYMMDD",
    "MMMM D, YYYY", "dddd, MMMM D, YYYY", "D MMMM YYYY", "YYYY/MM/YYYY-MM-DD", "YYYY/MM/DD",
)  # fmt: skip
_MIN_DAILY = 2  # notes named in one format before init calls a folder daily notes
_MIN_SUGGEST = 2  # notes that share an unknown date key before init suggests it
# Keys of a note's own dates (not a person's), never suggested as a field.
_NOTE_DATES = frozenset(
    {"date", "created", "modified", "updated", "date_created", "date_modified", "created_at",
     "updated_at", "creation_date", "last_modified", "modification_date", "published"}
)  # fmt: skip
# Fields that say a note describes a person (title, name or tags alone do not).
_CONTACT_FIELDS = frozenset(
    {"birthday", "emails", "phone", "company", "linkedin", "last_contact", "cadence",
     "how_met", "introduced_by", "work_anniversary"}
)  # fmt: skip
_TEMPLATE_FOLDER = re.compile(r"^[\W\d_]*templates?$", re.IGNORECASE)
_FORMS = (
    (re.compile(r"^(0000|1604)-\d{2}-\d{2}$"), "0000-MM-DD (year unknown)"),
    (re.compile(r"^\d{4}-\d{2}-\d{2}$"), "YYYY-MM-DD"),
    (re.compile(r"^--\d{2}-?\d{2}$"), "--MM-DD"),
    (re.compile(r"^\d{2}-\d{2}$"), "MM-DD"),
    (re.compile(r"^\d{8}$"), "YYYYMMDD"),
    (re.compile(r"^\d{1,2}([/.-])\d{1,2}\1\d{4}$"), "DD/MM/YYYY or MM/DD/YYYY"),
    (re.compile(r"^\d{1,2}(?:st|nd|rd|th)?\s+[a-z]+\.?,?(?:\s+\d{4})?$", re.I), "D Month YYYY"),
    (re.compile(r"^[a-z]+\.?\s+\d{1,2}(?:st|nd|rd|th)?,?(?:\s+\d{4})?$", re.I), "Month D, YYYY"),
)


def init_vault(
    vault: Path, *, dry_run: bool = False, force: bool = False, base: bool = False
) -> InitReport:
    """Survey ``vault``, propose its config and (unless ``dry_run``, or a config exists and
    not ``force``, or nobody was found and not ``force``) write it. With ``base``, also
    write ``People.base`` (unless ``dry_run``; never over a file that is not vaultnet's)."""
    raw, error = _existing(vault)
    existing = (vault / CONFIG_PATH).is_file()
    kept = {k: v for k, v in raw.items() if k not in DERIVED}
    values, _errors = validate(kept)  # a valid file's keys: no errors
    settings = read_settings(vault)
    config = Config(values, obsidian=settings.as_config())
    stats = list(scan(vault, Ignore(list(raw.get("ignore", [])))))
    survey = Survey(settings, _template_folders(settings, stats), key_table(values["fields"]))
    survey.daily = _daily(settings, stats, raw)
    rules = Rules.from_config(config, tuple((d.folder, d.format) for d in survey.daily))
    for stat in stats:
        survey.add(vault, stat, rules)
    plan = survey.plan(raw)
    report = survey.report(config_toml(plan), existing)
    if error is not None:
        report.changes = [f"the existing config does not load ({error}); --force replaces it"]
    elif existing:
        report.changes = changes(raw, plan.values)
    report.reason = _refusal(report, existing, dry_run, force)
    if not report.reason:
        report.written = _write(vault, report.config, existing)
    if base:
        report.base = _base(vault, survey.base_plan(), dry_run)
    return report


def changes(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """What writing ``new`` over ``old`` changes, one line a key (``me.name`` in tables)."""
    before, after = _flat(old), _flat(new)
    out = []
    for key in sorted(before.keys() | after.keys()):
        if key not in before:
            out.append(f"{key}: (unset) -> {_show(after[key])}")
        elif key not in after:
            out.append(f"{key}: {_show(before[key])} -> (unset)")
        elif before[key] != after[key]:
            out.append(f"{key}: {_show(before[key])} -> {_show(after[key])}")
    return out


@dataclass
class Survey:
    """What the notes of a vault say, gathered one note at a time."""

    settings: ObsidianSettings
    templates: list[TemplateFolder]
    table: dict[str, str]  # normal key -> field
    daily: list[Daily] = field(default_factory=list)
    notes: int = 0
    people: list[Person] = field(default_factory=list)
    folders: Counter[str] = field(default_factory=Counter)
    markers: Counter[str] = field(default_factory=Counter)
    spellings: Counter[tuple[str, str]] = field(default_factory=Counter)
    forms: Counter[tuple[str, str, bool]] = field(default_factory=Counter)
    template_notes: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    unknown_dates: Counter[str] = field(default_factory=Counter)
    lookalikes: Counter[str] = field(default_factory=Counter)  # folder -> notes
    template_counts: Counter[str] = field(default_factory=Counter)

    def add(self, vault: Path, stat: FileStat, rules: Rules) -> None:
        folder = next((t.folder for t in self.templates if _under(stat.path, t.folder)), None)
        if folder is not None:
            self.template_counts[folder] += 1
            return
        try:
            data = (vault / stat.path).read_bytes()
        except OSError as exc:
            self.problems.append(Problem(stat.path, None, f"cannot read it: {exc.strerror}"))
            return
        self.notes += 1
        facts = inspect_note(stat.path, data, rules)
        if facts.template:
            self.template_notes.append(stat.path)
            return
        self.problems.extend(facts.note.problems)
        self._count_daily(stat.path)
        if facts.note.contact is None:
            self._lookalike(stat.path, facts)
            return
        self._person(stat.path, facts)

    def _count_daily(self, path: str) -> None:
        for i, d in enumerate(self.daily):
            if _under(path, d.folder):
                read = _reader(d.format)
                inside = path[len(d.folder) + 1 if d.folder else 0 : -3]
                hit = read is not None and read(inside) is not None
                self.daily[i] = Daily(d.folder, d.format, d.source, d.notes + 1, d.matching + hit)

    def _person(self, path: str, facts: NoteFacts) -> None:
        assert facts.note.contact is not None
        reason = facts.reason or "other"
        self.people.append(Person(path, facts.note.contact.name, reason))
        if reason.startswith("folder "):
            self.folders[reason[len("folder ") :].rstrip("/")] += 1
        else:
            self.markers[reason] += 1
        found = _found(facts, self.table)
        for name, (key, value) in found.items():
            self.spellings[name, key if key in facts.meta else f"{key}::"] += 1
            if name in DATE_FIELDS:
                self.forms[(name, *_form(value, name))] += 1
        for key, value in facts.meta.items():
            k = normal_key(key)
            one = text(value)
            if k not in self.table and k not in _NOTE_DATES and one and _is_date(one):
                self.unknown_dates[key] += 1

    def _lookalike(self, path: str, facts: NoteFacts) -> None:
        if facts.note.problems or not facts.meta:
            return
        if len(_CONTACT_FIELDS & set(_found(facts, self.table))) >= 2:
            self.lookalikes[posixpath.dirname(path)] += 1

    # -- the config --------------------------------------------------------------------
    def plan(self, raw: dict[str, Any]) -> ConfigPlan:
        """The config to write: what the survey found, and every other key of ``raw``."""
        values: dict[str, Any] = {}
        why: dict[str, str] = {}
        folders = _outermost(list(self.folders))
        if folders:
            values["contacts_folders"] = folders
            why["contacts_folders"] = ", ".join(
                f"{_people(self._under_count(f))} in {f}/" for f in folders
            )
        daily_hints: list[str] = []
        if len(self.daily) == 1:
            d = self.daily[0]
            if d.folder:
                values["daily_folder"] = d.folder
            values["daily_format"] = d.format
            source = {"names": "their names", "config": "the config"}.get(d.source, d.source)
            why["daily_format"] = f"{d.matching} of {d.notes} notes named so (from {source})"
        else:
            daily_hints = [f'"{d.folder}/{d.format}" ({d.source})' for d in self.daily]
        ignore = list(raw.get("ignore", []))
        extra = [f"{t.folder}/**" for t in self.templates if t.source == "name"]
        if extra:
            why["ignore"] = "template folders " + ", ".join(f"{p[:-3]}/" for p in extra)
        ignore += [p for p in extra if p not in ignore]
        if ignore:
            values["ignore"] = ignore
        # A key init decides but found nothing for: what the existing config says stays.
        if "contacts_folders" in raw and not folders:
            values["contacts_folders"] = raw["contacts_folders"]
        for name, value in raw.items():
            values.setdefault(name, value)
        order = [key.name for key in SPEC]
        values = dict(sorted(values.items(), key=lambda kv: order.index(kv[0])))
        hints = [f'birthday = ["{s.name}"]  # or another date field' for s in self._key_hints()]
        return ConfigPlan(values, why, hints, daily_hints)

    def base_plan(self) -> BasePlan | None:
        """What People.base shows: the markers the survey found (None when nobody)."""
        if not self.people:
            return None
        tags: list[str] = []
        properties: list[tuple[str, str]] = []
        for reason, _n in self.markers.most_common():
            if reason.startswith(("tag #", "body tag #")):
                tag = reason.split("#", 1)[1].split("/", 1)[0]
                if tag.casefold() not in (t.casefold() for t in tags):
                    tags.append(tag)
            elif ": " in reason:
                key, value = reason.split(": ", 1)
                properties.append((key, value))
        columns = [(self._spelling(f), heading) for f, heading in BASE_COLUMNS]
        ignore = [t.folder for t in self.templates]
        return BasePlan(_outermost(list(self.folders)), tags, properties, ignore, columns)

    def _spelling(self, field_name: str) -> str:
        """The front-matter key most person notes use for a field, else vaultnet's own."""
        used = [
            (n, key)
            for (f, key), n in self.spellings.items()
            if f == field_name and not key.endswith("::")  # body fields: no base property
        ]
        return max(used, key=lambda u: (u[0], u[1]))[1] if used else field_name

    def _under_count(self, folder: str) -> int:
        return sum(n for f, n in self.folders.items() if _under(f + "/x", folder))

    def _key_hints(self) -> list[Suggestion]:
        return [
            Suggestion(
                "field",
                key,
                n,
                f"`{key}` holds dates in {n} person notes: if it is a birthday, add"
                f' `birthday = ["{key}"]` under [fields] (or the field it is).',
            )
            for key, n in self.unknown_dates.most_common()
            if n >= _MIN_SUGGEST
        ]

    def _folder_hints(self) -> list[Suggestion]:
        least = 1 if not self.people else _MIN_SUGGEST
        return [
            Suggestion(
                "folder",
                folder,
                n,
                f"{folder or 'the vault root'}/: {n} notes have contact fields (email, phone,"
                f" birthday...) but nothing marks them as people: tag them #person, or add"
                f' "{folder}" to contacts_folders.',
            )
            for folder, n in self.lookalikes.most_common()
            if n >= least
        ]

    def report(self, config_text: str, existing: bool) -> InitReport:
        templates = [
            TemplateFolder(t.folder, t.source, self.template_counts[t.folder])
            for t in self.templates
        ]
        return InitReport(
            notes=self.notes,
            people=self.people,
            folders=[Count(f, n) for f, n in self.folders.most_common()],
            markers=[Count(m, n) for m, n in self.markers.most_common()],
            fields=[FieldUse(f, k, n) for (f, k), n in _by_field(self.spellings)],
            date_forms=[DateForm(f, form, n, ok) for (f, form, ok), n in _by_field(self.forms)],
            template_folders=templates,
            template_notes=self.template_notes,
            daily=self.daily,
            problems=self.problems,
            suggestions=self._key_hints() + self._folder_hints(),
            config=config_text,
            config_path=CONFIG_PATH,
            existing=existing,
        )


# -- finding things ------------------------------------------------------------------------
def _existing(vault: Path) -> tuple[dict[str, Any], str | None]:
    """The existing config's raw table ({} when none), and why it does not load."""
    path = vault / CONFIG_PATH
    if not path.is_file():
        return {}, None
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        return {}, str(exc)
    _values, errors = validate(raw)
    return (raw, None) if not errors else ({}, "; ".join(errors))


def _template_folders(settings: ObsidianSettings, stats: list[FileStat]) -> list[TemplateFolder]:
    """Obsidian's template folders, and folders named like Templates that hold notes."""
    found = [TemplateFolder(f, "obsidian", 0) for f in settings.templates]
    for stat in stats:
        parts = stat.path.split("/")[:-1]
        for i, part in enumerate(parts):
            folder = "/".join(parts[: i + 1])
            if any(_under(folder + "/x", t.folder) for t in found):
                break
            if _TEMPLATE_FOLDER.match(part):
                found.append(TemplateFolder(folder, "name", 0))
                break
    return found


def _daily(settings: ObsidianSettings, stats: list[FileStat], raw: dict[str, Any]) -> list[Daily]:
    """Obsidian's daily-note settings; else the existing config's; else the folder and
    format most notes outside the people folders are named in."""
    if settings.daily:
        return [Daily(d.folder, d.format, d.source, 0, 0) for d in settings.daily]
    if raw.get("daily_format"):
        folder = str(raw.get("daily_folder", "")).strip("/")
        return [Daily(folder, str(raw["daily_format"]), "config", 0, 0)]
    paths = [s.path[:-3] for s in stats if not in_contacts_folder(s.path, Rules())]
    best: tuple[int, str, list[str]] = (0, "", [])
    for fmt in DAILY_FORMATS:
        read = date_format_parser(fmt)
        assert read is not None
        hits = [p for p in paths if read(p) is not None]
        if len(hits) > best[0]:
            best = (len(hits), fmt, hits)
    count, fmt, hits = best
    if count < _MIN_DAILY:
        return []
    depth = fmt.count("/") + 1
    folders = ["/".join(p.split("/")[:-depth]) for p in hits]
    common = posixpath.commonpath(folders) if all(folders) else ""
    return [Daily(common, fmt, "names", 0, 0)]


@functools.lru_cache(maxsize=16)
def _reader(fmt: str) -> Callable[[str], date | None] | None:
    return date_format_parser(fmt)


def _found(facts: NoteFacts, table: dict[str, str]) -> dict[str, tuple[str, Any]]:
    """field -> (key as written, value) of the first key of each known field."""
    return {f: entries[0] for f, entries in found_fields(facts.meta, table, facts.inline).items()}


def _form(value: Any, field_name: str) -> tuple[str, bool]:
    one = text(value)
    if one is None:
        return "not a date", False
    form = next((name for rx, name in _FORMS if rx.match(one)), "other")
    try:
        (parse_date if field_name == "last_contact" else parse_yearly)(one)
    except ValueError:
        return form, False
    return form, True


def _is_date(value: str) -> bool:
    if not any(ch.isdigit() for ch in value) or len(value) < 5:
        return False
    try:
        parse_yearly(value)
    except ValueError:
        return False
    return True


def _outermost(folders: list[str]) -> list[str]:
    """The folders, without those inside another of them, in path order."""
    ordered = sorted(set(folders), key=str.lower)
    return [f for f in ordered if not any(_under(f + "/x", o) and o != f for o in ordered)]


def _under(path: str, folder: str) -> bool:
    return not folder or path.lower().startswith(folder.lower().rstrip("/") + "/")


def _by_field(counts: Counter[Any]) -> list[tuple[Any, int]]:
    """Counts of (field, ...) keys: by field in FIELD_KEYS' order, the most used first."""
    order = list(FIELD_KEYS)
    return sorted(counts.items(), key=lambda kv: (order.index(kv[0][0]), -kv[1], str(kv[0])))


def _people(n: int) -> str:
    return f"{n} {'person' if n == 1 else 'people'}"


def _flat(table: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in table.items():
        if isinstance(value, dict):
            out.update({f"{key}.{sub}": v for sub, v in value.items()})
        else:
            out[key] = value
    return out


def _show(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


# -- writing -------------------------------------------------------------------------------
def _refusal(report: InitReport, existing: bool, dry_run: bool, force: bool) -> str:
    """Why the config is not written ('' when it is)."""
    if dry_run:
        return "--dry-run"
    if existing and not force:
        return f"{CONFIG_PATH} exists (run `vaultnet init --force` to replace it)"
    if not report.people and not force:
        return "nobody found, so a config would say nothing yet (--force writes it anyway)"
    return ""


def _base(vault: Path, plan: BasePlan | None, dry_run: bool) -> BaseFile:
    """Write People.base, when absent or vaultnet's own (its first line says so)."""
    from vaultnet.vault.fsio import atomic_write, read_snapshot

    if plan is None:
        return BaseFile(BASE_PATH, "", reason="nobody found, so the base would show nobody")
    out = BaseFile(BASE_PATH, base_text(plan))
    if dry_run:
        out.reason = "--dry-run"
        return out
    path = vault / BASE_PATH
    try:
        snap = read_snapshot(path)
    except FileNotFoundError:
        snap = None
    if snap is not None and snap.data.split(b"\n", 1)[0].rstrip(b"\r") != BASE_MARK.encode():
        out.reason = "it exists and is not vaultnet's (its first line is not the mark); kept"
        return out
    out.written = atomic_write(
        path, out.text.encode("utf-8"), expect=snap, create=snap is None, label="the base"
    )
    return out


def _write(vault: Path, text_: str, existing: bool) -> bool:
    from vaultnet.vault.fsio import atomic_write

    written = atomic_write(
        vault / CONFIG_PATH, text_.encode("utf-8"), create=not existing, label="the config"
    )
    gitignore = vault / CONFIG_DIR / ".gitignore"
    if not gitignore.exists():
        atomic_write(gitignore, GITIGNORE, create=True, label="the .gitignore")
    return written
