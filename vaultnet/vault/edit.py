"""Byte-careful edits of the user's notes, and new contact notes.

Edits work on the note's lines with their own line endings, so every byte vaultnet does
not own (key order, comments, quoting, blank lines, BOM, CRLF, final newline) stays as it
was. The YAML is never re-dumped: one key's line is replaced or added, then the result is
parsed again to prove that only that key changed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from vaultnet.core.errors import NoteError, WriteError
from vaultnet.core.yamltext import yaml_entry, yaml_scalar
from vaultnet.vault.frontmatter import BOM, fence_after, load_yaml, split_lines, too_large
from vaultnet.vault.fsio import atomic_write, outside, read_settled, vault_lock, vault_of

_FENCE = re.compile(r"^---[ \t]*\r?\n?$")
_FENCE_END = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?\n?$")
_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t#]*\r?\n?$")


class Lines:
    """A note as lines that keep their own endings, plus what frames them (BOM, style)."""

    def __init__(self, text: str):
        self.bom = text.startswith(BOM)
        body = text[1:] if self.bom else text
        if "\r" in body and "\n" not in body:
            # Lone-CR line endings (classic Mac): the lines end at CR.
            self.lines = [part + "\r" for part in body.split("\r")]
            self.lines[-1] = self.lines[-1][:-1]
            if not self.lines[-1]:
                self.lines.pop()
            self.newline = "\r"
        else:
            # Split at LF only, as the reader numbers lines (form feeds, U+2028 stay inside).
            self.lines = split_lines(body, keepends=True)
            # A note of mixed endings: new lines take the ending most of its lines have.
            crlf = body.count("\r\n")
            self.newline = "\r\n" if crlf and crlf * 2 >= body.count("\n") else "\n"
        self.final_newline = body.endswith(("\n", "\r"))

    def text(self) -> str:
        return (BOM if self.bom else "") + "".join(self.lines)

    def ensure_line_ends(self) -> None:
        """Give the last line an ending before anything is appended after it."""
        if self.lines and not self.lines[-1].endswith(("\n", "\r")):
            self.lines[-1] += self.newline

    def restore_final_newline(self) -> None:
        """Keep a note that ended without a newline ending without one."""
        if not self.final_newline and self.lines:
            self.lines[-1] = self.lines[-1].rstrip("\r\n")

    def front_bounds(self) -> tuple[int, int] | None:
        """(index of the opening fence, index of the closing fence), or None."""
        if not self.lines or not _FENCE.match(self.lines[0]):
            return None
        for i in range(1, len(self.lines)):
            if _FENCE_END.match(self.lines[i]):
                return 0, i
        raise NoteError("front matter is not closed (no second '---' line); not editing it")

    def front_text(self) -> str:
        bounds = self.front_bounds()
        if bounds is None:
            return ""
        return "".join(self.lines[bounds[0] + 1 : bounds[1]])


def parse_front(lines: Lines) -> dict[str, Any]:
    """The front matter as a mapping; NoteError when it is broken."""
    text = lines.front_text()
    try:
        loaded = load_yaml(text) if text.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        raise NoteError(
            f"broken YAML front matter{where}; fix it first, nothing was changed"
        ) from None
    if loaded is None:
        return {}
    if too_large(loaded):  # an alias bomb: comparing it would never end
        raise NoteError("front matter is too large (aliases?); nothing was changed")
    if not isinstance(loaded, dict):
        raise NoteError("front matter is not a mapping of keys; nothing was changed")
    return loaded


# -- editing front matter ----------------------------------------------------------------
def set_field(lines: Lines, key: str, value: Any) -> None:
    """Set one top-level key, replacing its lines or adding it before the closing fence."""
    before = parse_front(lines)
    bounds = lines.front_bounds()
    nl = lines.newline
    if bounds is None:
        lines.lines[0:0] = [f"---{nl}", *yaml_entry(key, value, nl), f"---{nl}"]
    else:
        start, end = bounds
        found = _key_span(lines.lines, start + 1, end, key)
        if found is None:
            lines.lines[end:end] = yaml_entry(key, value, nl)
        else:
            first, stop = found
            new = yaml_entry(key, value, nl)
            if len(new) == 1 and stop == first + 1:
                new = [_keep_style(lines.lines[first], key, value, nl)]
            else:
                new[0] = _keep_comment(lines.lines[first], new[0])
            lines.lines[first:stop] = new
    after = parse_front(lines)
    others_same = {k: v for k, v in after.items() if k != key} == {
        k: v for k, v in before.items() if k != key
    }
    if not others_same or key not in after or not _same_meaning(after[key], value):
        raise NoteError(f"could not set {key!r} without changing other keys; nothing was changed")


def remove_field(lines: Lines, key: str) -> bool:
    """Remove one top-level key and its lines; False when the note has no such key."""
    bounds = lines.front_bounds()
    found = None if bounds is None else _key_span(lines.lines, bounds[0] + 1, bounds[1], key)
    if found is None:
        return False
    before = parse_front(lines)
    del lines.lines[found[0] : found[1]]
    if {k: v for k, v in before.items() if k != key} != parse_front(lines):
        raise NoteError(f"could not remove {key!r} without changing other keys")
    return True


def _same_meaning(loaded: Any, value: Any) -> bool:
    """Whether the YAML read back means ``value`` (a quoted date still counts as that date)."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return str(loaded) == value.isoformat() or loaded == value
    expected = load_yaml("".join(yaml_entry("k", value)))["k"]
    return bool(loaded == expected)


def _key_span(all_lines: list[str], start: int, end: int, key: str) -> tuple[int, int] | None:
    """Lines [first, stop) holding top-level ``key`` and its indented or dash continuation."""
    pattern = re.compile(rf"^(['\"]?){re.escape(key)}\1[ \t]*:")
    for i in range(start, end):
        if pattern.match(all_lines[i]):
            stop = i + 1
            while stop < end:
                line = all_lines[stop]
                if line.startswith((" ", "\t", "- ", "-\n", "-\r")) or not line.strip():
                    stop += 1
                else:
                    break
            # Blank lines after the value belong to what follows, not to this key.
            while stop > i + 1 and not all_lines[stop - 1].strip():
                stop -= 1
            return i, stop
    return None


_SCALAR_LINE = re.compile(
    r"^(?P<head>[^:]+:[ \t]*)(?P<value>.*?)(?P<tail>[ \t]+#.*)?(?P<nl>\r?\n?)$"
)


def _keep_style(old: str, key: str, value: Any, nl: str) -> str:
    """Replace a scalar value keeping the key's spelling, a trailing comment and the quotes."""
    m = _SCALAR_LINE.match(old)
    if m is None:
        return yaml_entry(key, value, nl)[0]
    head, old_value, tail = m.group("head"), m.group("value"), m.group("tail") or ""
    if old_value.startswith("#"):
        # `key:  # comment` has no value, only a comment: the value goes before it.
        stripped = head.rstrip(" \t")
        head, tail = stripped + " ", head[len(stripped) :] + old_value
        old_value = ""
    elif not head.endswith((" ", "\t")):
        head += " "  # `key:` with nothing after it: YAML needs a space after the colon
    new_value = yaml_scalar(value)
    quote = (
        old_value[:1] if old_value[:1] in ("'", '"') and old_value.endswith(old_value[:1]) else ""
    )
    if quote and not new_value.startswith(('"', "'")):
        new_value = f"{quote}{new_value}{quote}"
    return f"{head}{new_value}{tail}{m.group('nl') or nl}"


_KEY_COMMENT = re.compile(r"^[^:#]+:(?P<comment>[ \t]+#.*?)\r?\n?$")


def _keep_comment(old: str, new: str) -> str:
    """``key:   # comment`` replaced by a block value keeps its comment on the key's line."""
    m = _KEY_COMMENT.match(old)
    if m is None or not new.rstrip("\r\n").endswith(":"):
        return new
    ending = new[len(new.rstrip("\r\n")) :]
    return new.rstrip("\r\n") + m.group("comment") + ending


# -- the log section -----------------------------------------------------------------------
def append_to_section(
    lines: Lines, heading: str, new_lines: list[str], when: date | None = None
) -> None:
    """Append lines at the end of the ``## heading`` section, creating it at the end if absent.

    With ``when`` (the date of the new lines) and a section whose dated entries are in date
    order, the lines go before the first entry dated after ``when`` instead, so that a
    back-dated entry keeps the section in order.
    """
    bounds = lines.front_bounds()
    body_start = 0 if bounds is None else bounds[1] + 1
    nl = lines.newline
    section = _find_section(lines.lines, body_start, heading)
    entries = [f"{text}{nl}" for text in new_lines]
    if section is None:
        lines.ensure_line_ends()
        block: list[str] = []
        if len(lines.lines) > body_start and lines.lines[-1].strip():
            block.append(nl)
        block.append(f"## {heading}{nl}")
        lines.lines.extend(block + entries)
    else:
        head, end = section
        later = None if when is None else _first_dated_after(lines.lines, head + 1, end, when)
        if later is not None:
            lines.lines[later:later] = entries
            return
        last = end
        while last > head + 1 and not lines.lines[last - 1].strip():
            last -= 1
        if last == len(lines.lines):
            lines.ensure_line_ends()
        lines.lines[last:last] = entries
    lines.restore_final_newline()


# A top-level dated list item, as the reader sees log entries: `- 2026-11-25`,
# `- [[2026-11-25]]`, `- **2026-11-25**` (an indented one belongs to the item above it).
_DATED_ITEM = re.compile(
    r"^(?:[-*+]|\d+[.)])[ \t]+(?:\[\[(\d{4}-\d{2}-\d{2})(?:\|[^\]]*)?\]\]"
    r"|\*\*(\d{4}-\d{2}-\d{2})\*\*|(\d{4}-\d{2}-\d{2}))(?![\d-])"
)


def _first_dated_after(all_lines: list[str], start: int, end: int, when: date) -> int | None:
    """The line of the first entry in [start, end) dated after ``when``, when the section's
    dated entries are in date order; None when none is later or they are out of order."""
    fence = ""
    previous: date | None = None
    found: int | None = None
    for i in range(start, end):
        line = all_lines[i]
        after = fence_after(line, fence)
        if after is not None:
            fence = after
            continue
        m = None if fence else _DATED_ITEM.match(line)
        if m is None:
            continue
        try:
            day = date.fromisoformat(m.group(1) or m.group(2) or m.group(3))
        except ValueError:
            continue  # not a real day: it has no place in the order
        if previous is not None and day < previous:
            return None  # out of order: the new lines are appended as they always were
        previous = day
        if found is None and day > when:
            found = i
    return found


def _find_section(all_lines: list[str], start: int, heading: str) -> tuple[int, int] | None:
    """(heading line, end of section) for the first heading named ``heading`` (any level)."""
    wanted = heading.strip().casefold()
    fence = ""  # the open code fence ("" outside code)
    found: tuple[int, int] | None = None
    level = 0
    for i in range(start, len(all_lines)):
        line = all_lines[i]
        after = fence_after(line, fence)
        if after is not None:
            fence = after
            continue
        if fence:
            continue
        m = _HEADING.match(line)
        if not m:
            continue
        if found is not None and len(m.group(1)) <= level:
            return found[0], i
        if found is None and m.group(2).strip().casefold() == wanted:
            found = (i, len(all_lines))
            level = len(m.group(1))
    return found


# -- whole-file edits ----------------------------------------------------------------------
def edit_note(path: Path, change: Callable[[Lines], None], vault: Path | None = None) -> bool:
    """Read ``path``, apply ``change`` to its lines, and write it back atomically.

    Returns whether the file changed. Refuses (NoteError, file untouched) when the note is
    not UTF-8, its front matter is broken, it is a link that leads outside ``vault`` (by
    default the vault it lies in), or it changed on disk meanwhile. Other vaultnet writers
    of the vault wait while the note is read, changed and written.
    """
    vault = vault or vault_of(path)
    with vault_lock(vault):
        return _edit_note(path, change, vault)


def _edit_note(path: Path, change: Callable[[Lines], None], vault: Path | None) -> bool:
    if vault is not None and outside(vault, path):
        raise NoteError("is a link that leads outside the vault; not editing it", path)
    try:
        snap = read_settled(path)
    except FileNotFoundError:
        raise NoteError("the note is gone", path) from None
    try:
        text = snap.data.decode("utf-8")
    except UnicodeDecodeError:
        raise NoteError("not UTF-8 text; vaultnet will not edit it", path) from None
    lines = Lines(text)
    try:
        change(lines)
    except NoteError as exc:
        raise NoteError(exc.message, path) from None
    new = lines.text().encode("utf-8")
    if new == snap.data:
        return False
    return atomic_write(path, new, expect=snap, vault=vault)


# -- new notes -----------------------------------------------------------------------------
_UNSAFE = re.compile(r'[\\/:*?"<>|#^\[\]\x00-\x1f\x7f]')
_RESERVED = re.compile(r"^(?:con|prn|aux|nul|com[0-9]|lpt[0-9])(?:\..*)?$", re.IGNORECASE)
_MAX_NAME_BYTES = 120


def safe_filename(name: str) -> str:
    """A file name (without ``.md``) that works on every OS and in [[links]]."""
    text = unicodedata.normalize("NFC", name)
    text = _UNSAFE.sub("-", text.replace(": ", " - "))
    text = " ".join(text.split()).strip(" .-") or "Unnamed"
    if _RESERVED.match(text):
        text = f"{text}_"
    while len(text.encode("utf-8")) > _MAX_NAME_BYTES:
        text = text[:-1]
    return text.rstrip(" .")


def unique_path(folder: Path, stem: str) -> Path:
    """``folder/stem.md``, or ``stem 2.md``, ``stem 3.md``... when taken (case-insensitively)."""
    taken = {p.name.casefold() for p in folder.iterdir()} if folder.is_dir() else set()
    candidate = f"{stem}.md"
    n = 2
    while candidate.casefold() in taken:
        candidate = f"{stem} {n}.md"
        n += 1
    return folder / candidate


def new_note_text(fields: Mapping[str, Any], body: str = "", log_heading: str = "Log") -> str:
    """A new contact note: front matter of ``fields`` (in order, empty ones left out), the
    body, and an empty log section."""
    lines = ["---\n"]
    for key, value in fields.items():
        if value is None or value == [] or value == {} or value == "":
            continue
        lines.extend(yaml_entry(key, value))
    lines.append("---\n")
    text = "".join(lines)
    if body.strip():
        text += "\n" + body.strip("\n") + "\n"
    text += f"\n## {log_heading}\n"
    return text


def create_note(folder: Path, name: str, text: str, vault: Path | None = None) -> Path:
    """Write a new note named after ``name`` in ``folder``; never clobbers an existing file,
    nor writes into a folder that is a link leading outside ``vault``."""
    vault = vault or vault_of(folder / "x.md")
    if vault is not None and outside(vault, folder):
        raise NoteError("is a link that leads outside the vault; not writing into it", folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WriteError.from_os(exc, folder, "create the folder") from exc
    for _ in range(5):
        path = unique_path(folder, safe_filename(name))
        try:
            atomic_write(path, text.encode("utf-8"), create=True, vault=vault)
            return path
        except NoteError:
            continue  # taken between the check and the write: pick the next free name
    raise NoteError("could not find a free file name", folder / safe_filename(name))
