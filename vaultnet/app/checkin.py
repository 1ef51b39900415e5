"""What ``templates`` and ``checkin`` do: read the templates, pick whom to draft for,
render every draft, and save drafts as notes (no terminal here)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

from vaultnet.app.contacts import named_contact
from vaultnet.app.context import App
from vaultnet.app.interactions import recorded_text
from vaultnet.app.notices import left_out
from vaultnet.core.checkin import Draft, Template, find_template, make_draft, merge_templates
from vaultnet.core.config import Config
from vaultnet.core.errors import UsageError
from vaultnet.core.followups import followups
from vaultnet.core.model import Contact, Interaction
from vaultnet.render.drafts import note_text
from vaultnet.store.contacts import load_contacts
from vaultnet.store.index import Index, ProgressFn
from vaultnet.vault.edit import create_note, safe_filename
from vaultnet.vault.frontmatter import decode, load_yaml, split_front_matter


# -- templates ---------------------------------------------------------------------------
def parse_template(name: str, data: bytes, origin: str, path: str) -> Template:
    """A template from its file's bytes. A broken one comes back with ``problem`` set."""

    def broken(message: str, line: int | None = None) -> Template:
        return Template(name, origin, path, "", "", "", 1, None, False, message, line)

    try:
        text = decode(data)
    except UnicodeDecodeError:
        return broken("not UTF-8 text; re-save it as UTF-8")
    split = split_front_matter(text)
    if split.unclosed:
        return broken("front matter is not closed (no second '---' line)", 1)
    if split.front is None:
        return broken("no front matter: start the file with ---, subject: and description:", 1)
    try:
        meta = load_yaml(split.front)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        reason = getattr(exc, "problem", None) or "cannot be read"
        return broken(f"broken YAML front matter: {reason}", mark.line + 2 if mark else 1)
    if not isinstance(meta, dict):
        return broken("front matter is not a mapping of keys", 2)
    subject = meta.get("subject")
    if not isinstance(subject, str) or not subject.strip():
        return broken("front matter has no subject: (a line of text, may use variables)", 2)
    description = meta.get("description")
    return Template(
        name=name,
        origin=origin,
        path=path,
        subject=subject,
        description=" ".join(str(description).split()) if description is not None else "",
        body=split.body,
        body_line=split.body_line,
        subject_line=_key_line(split.front, "subject"),
    )


def _key_line(front: str, key: str) -> int | None:
    for i, line in enumerate(front.splitlines()):
        if line.startswith(f"{key}:"):
            return i + 2  # the opening fence is line 1
    return None


def builtin_templates() -> list[Template]:
    """The templates that ship with vaultnet (``vaultnet/templates/*.md``)."""
    from importlib import resources

    found = []
    for entry in resources.files("vaultnet").joinpath("templates").iterdir():
        if entry.name.endswith(".md"):
            name = entry.name[:-3]
            found.append(parse_template(name, entry.read_bytes(), "built-in", str(entry)))
    return found


def vault_templates(vault: Path, folder_name: str) -> list[Template]:
    """The templates in the vault's ``folder_name``, by file name."""
    folder = vault / folder_name
    found: list[Template] = []
    if not folder.is_dir():
        return found
    for path in sorted(folder.glob("*.md")):
        if path.name.startswith(".") or not path.is_file():
            continue  # dot files are editors' and vaultnet's temporary files
        rel = path.relative_to(vault).as_posix()
        found.append(parse_template(path.stem, path.read_bytes(), "vault", rel))
    return found


def templates_folder(config: Config) -> str:
    """The vault's templates folder, relative to the vault (config ``templates_folder``)."""
    return str(config["templates_folder"]).strip("/")


def load_templates(app: App) -> list[Template]:
    """Built-in templates merged with the vault's (a vault one replaces a built-in)."""
    return merge_templates(
        builtin_templates(), vault_templates(app.vault, templates_folder(app.config))
    )


@dataclass(frozen=True)
class TemplateList:
    """What ``templates`` lists, and the folder where more can be added."""

    templates: list[Template]
    folder: str


def list_templates(app: App) -> TemplateList:
    """Every template ``checkin`` can use, and the vault's templates folder."""
    return TemplateList(load_templates(app), templates_folder(app.config))


# -- drafting ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Checkins:
    """The drafts ``checkin`` made (none when ``--due`` found nobody) and the horizon used."""

    drafts: list[Draft]
    horizon_days: int
    notices: list[str] = field(default_factory=list)  # with ``--due``: what it left out


def _every(items: list[Contact]) -> Iterable[Contact]:
    return items


def draft_checkins(
    app: App,
    name: str | None,
    template_name: str | None,
    due: bool,
    *,
    index_progress: ProgressFn | None = None,
    each: Callable[[list[Contact]], Iterable[Contact]] = _every,
) -> Checkins:
    """Drafts for the contact ``name``, or with ``due`` for everyone ``followups`` lists.

    ``each`` wraps the contacts as they are drafted (a progress bar). Every draft is
    rendered before any is returned, so one broken template means no draft at all.
    """
    if due == (name is not None):
        raise UsageError("give a contact's NAME, or --due for everyone `followups` lists")
    templates = load_templates(app)
    if template_name is not None:
        find_template(templates, template_name)  # an unknown name fails before any work
    idx = app.index(progress=index_progress)
    horizon = int(app.config["horizon_days"])
    contacts = load_contacts(idx, app.config, app.today, with_tasks=True)
    targets = _targets(idx, app.config, contacts, name, app.today, horizon)
    me = dict(app.config["me"])
    drafts = [
        make_draft(
            c,
            templates,
            template_name,
            _latest(app, idx, c),
            me,
            app.today,
            horizon,
        )
        for c in each(targets)
    ]
    notices = left_out(idx, app.config, len(contacts), contacts) if due else []
    if drafts and not (me.get("name") or me.get("signature")):
        notices.append(
            "drafts are unsigned: set name (or signature) under [me] in .vaultnet/config.toml"
            " to sign them"
        )
    return Checkins(drafts, horizon, notices)


def _latest(app: App, idx: Index, contact: Contact) -> list[Interaction]:
    """The contact's latest interaction; a mention in a note of ``import mail`` or ``import
    calendar`` carries what its line says (the subject), not only the note's title."""
    found = idx.interactions(contact.id, app.today, 1)
    if found and found[0].kind == "mention" and found[0].where:
        text = recorded_text(app.vault, app.config, found[0].where, contact.path)
        if text:
            return [found[0]._replace(text=text)]
    return found


def _targets(
    idx: Index,
    config: Config,
    contacts: list[Contact],
    name: str | None,
    today: date,
    horizon: int,
) -> list[Contact]:
    """Whom to draft for: the contact ``name`` names, else everyone due within ``horizon``."""
    if name is None:
        return [f.contact for f in followups(contacts, today, horizon)]
    path = named_contact(idx, config, name)
    targets = [c for c in contacts if c.path == path]
    if targets[0].deceased:
        raise UsageError(f"{targets[0].name} is marked deceased; no check-in drafted")
    return targets


def write_drafts(
    app: App, drafts: list[Draft], skip_drafted: bool = False
) -> Iterator[tuple[str, bool]]:
    """Save each draft as a new note in the check-ins folder; never overwrites a note.

    Yields each note's path as shown (relative to the vault) once it is written, with
    True; with ``skip_drafted`` (``--due``, safe to repeat), a contact who has a draft of
    today already gets none, and that draft's path is yielded with False.
    """
    folder = app.vault / str(app.config["checkins_folder"]).strip("/")
    for d in drafts:
        existing = folder / f"{safe_filename(f'{app.today.isoformat()} {d.contact.name}')}.md"
        if skip_drafted and existing.is_file():
            yield existing.relative_to(app.vault).as_posix(), False
            continue
        created = create_note(
            folder,
            f"{app.today.isoformat()} {d.contact.name}",
            note_text(d, app.today),
            vault=app.vault,
        )
        shown = created.relative_to(app.vault) if created.is_relative_to(app.vault) else created
        yield shown.as_posix(), True
