"""Check-in drafts as text: what ``checkin`` prints, the note ``--write`` saves, and the
``templates`` listing."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import quote

from vaultnet.core.checkin import Draft, Template, tidy
from vaultnet.core.links import plain_text, wikilink
from vaultnet.core.yamltext import yaml_entry
from vaultnet.render.text import to_json

DRAFT_SEPARATOR = "\n" + "-" * 40 + "\n\n"

_MD_LINK = re.compile(r"!?\[([^\[\]]*)\]\(<?([^()<>\s]+)>?\)")
_MD_INLINE = (
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"), r"\1"),
    (re.compile(r"(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])"), r"\1"),
    (re.compile(r"~~(.+?)~~"), r"\1"),
    (re.compile(r"`([^`]+)`"), r"\1"),
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!])"), r"\1"),
)
_MD_LINE = (
    (re.compile(r"^#{1,6}\s+(.*?)\s*#*$"), r"\1"),
    (re.compile(r"^>\s?"), ""),
    (re.compile(r"^(\s*)[*+]\s+"), r"\1- "),
)


def to_plain_text(markdown: str) -> str:
    """The body without Markdown syntax, fit for an email client."""
    out = []
    for line in markdown.splitlines():
        if re.match(r"^\s*(```|~~~)", line):
            continue
        for pattern, repl in _MD_LINE:
            line = pattern.sub(repl, line)
        line = plain_text(line)
        line = _MD_LINK.sub(
            lambda m: (
                m.group(1)
                if m.group(1) in ("", m.group(2)) or m.group(2).startswith("mailto:")
                else f"{m.group(1)} ({m.group(2)})"
            ),
            line,
        )
        for pattern, repl in _MD_INLINE:
            line = pattern.sub(repl, line)
        out.append(line)
    return tidy("\n".join(out))


def mailto(address: str, subject: str, body: str) -> str:
    """A ``mailto:`` link; line breaks become CRLF as RFC 6068 asks."""
    crlf = body.replace("\r\n", "\n").replace("\n", "\r\n")
    return (
        f"mailto:{quote(address, safe='@')}"
        f"?subject={quote(subject, safe='')}&body={quote(crlf, safe='')}"
    )


def draft_text(draft: Draft, fmt: str) -> str:
    """What ``checkin`` prints for one draft: who, which template and why, subject, body."""
    c = draft.contact
    body = draft.body if fmt == "markdown" else to_plain_text(draft.body)
    to = f"{c.name} <{c.emails[0]}>" if c.emails else f"{c.name} (no email on file)"
    lines = [
        f"To: {to}",
        f"Template: {draft.template.name} ({draft.why})",
        f"Subject: {draft.subject}",
        "",
        body.rstrip("\n"),
    ]
    if c.emails:
        lines += ["", mailto(c.emails[0], draft.subject, to_plain_text(draft.body))]
    return "\n".join(lines) + "\n"


def drafts_text(drafts: list[Draft], fmt: str) -> str:
    """Every draft ``checkin`` made, one after the other between dashed lines."""
    return DRAFT_SEPARATOR.join(draft_text(d, fmt) for d in drafts)


def nobody_text(horizon_days: int) -> str:
    """What ``checkin --due`` says when ``followups`` lists nobody."""
    return f"Nobody to check in with within {horizon_days} days."


def note_text(draft: Draft, today: date) -> str:
    """The check-in note: front matter that links the contact, then the Markdown body."""
    lines = ["---\n"]
    for key, value in (
        ("contact", wikilink(draft.contact.path, draft.contact.name)),
        ("template", draft.template.name),
        ("date", today),
        ("subject", draft.subject),
        ("status", "draft"),
    ):
        lines.extend(yaml_entry(key, value))
    lines.append("---\n\n")
    return "".join(lines) + draft.body


def templates_table(templates: list[Template], vault_folder: str) -> str:
    """``vaultnet templates``: name, where it comes from, and what it is for."""
    rows = [("NAME", "FROM", "DESCRIPTION")]
    for t in templates:
        origin = "built-in" if t.origin == "built-in" else t.path
        if t.replaces_builtin:
            origin += " (replaces built-in)"
        about = f"BROKEN: {t.problem}" if t.problem else t.description
        rows.append((t.name, origin, about))
    widths = [max(len(r[i]) for r in rows) for i in range(2)]
    out = [f"{r[0]:<{widths[0]}}  {r[1]:<{widths[1]}}  {r[2]}".rstrip() for r in rows]
    out.append("")
    out.append(
        f"Add or replace templates in {vault_folder}/ (NAME.md with subject: and description:)."
    )
    return "\n".join(out)


def templates_json(templates: list[Template]) -> str:
    """``templates --format json``: one object a template, keys pinned by a test."""
    return to_json(
        [
            {
                "name": t.name,
                "origin": t.origin,
                "path": None if t.origin == "built-in" else t.path,
                "description": t.description,
                "subject": t.subject,
                "replaces_builtin": t.replaces_builtin,
                "problem": t.problem,
            }
            for t in templates
        ]
    )


def drafts_json(drafts: list[Draft]) -> str:
    """``checkin --format json``: one object a draft, keys pinned by a test."""
    return to_json(
        [
            {
                "name": d.contact.name,
                "path": d.contact.path,
                "email": d.contact.emails[0] if d.contact.emails else None,
                "template": d.template.name,
                "why": d.why,
                "subject": d.subject,
                "body": d.body,
                "mailto": mailto(d.contact.emails[0], d.subject, to_plain_text(d.body))
                if d.contact.emails
                else None,
            }
            for d in drafts
        ]
    )
