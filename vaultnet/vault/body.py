"""A note's body: dated log lines, tasks, links and Dataview fields, and which links are
interactions.

A link is an interaction only where a person would call it one: in prose, a list, a
completed task or the front matter of a dated note. A link in an open task (``- [ ] call
[[Cat]]``: a plan, not a meeting), a quote, an embed (``![[Gil]]``) or code is kept, so
tasks still find their people, but with the reason it does not count.

Log lines of a contact's note: when the note has a log section (a heading named like the
configured ``log_heading``, or Log, Interactions, Meetings, Conversations, Touchpoints),
only the dated items in such sections are log entries; dated items elsewhere are facts of
their life (``- 2007-12-17: Moved to Lisbon``). A note without any log section counts its
dated items anywhere, except under a heading like Timeline, Life events or Milestones.
"""

from __future__ import annotations

import re
from datetime import date

from vaultnet.core.dates import parse_date
from vaultnet.core.links import link_keys, note_dir
from vaultnet.core.model import Link, LogEntry, ParsedNote, Problem, Task
from vaultnet.core.patterns import lazy
from vaultnet.vault.frontmatter import fence_after, split_lines

_LOG_ITEM = re.compile(
    r"^\s*(?:[-*+]|\d+[.)])\s+(?:\[\[(\d{4}-\d{2}-\d{2})(?:\|[^\]]*)?\]\]|\*\*(\d{4}-\d{2}-\d{2})\*\*"
    r"|(\d{4}-\d{2}-\d{2}))(?![\d-])\s*(?:[:\u2014\u2013-]\s*)?(.*)$"
)
_CHECKBOX = lazy(r"^\s*(?:[-*+]|\d+[.)])\s+\[(.)\]\s*(.*)$", namespace=globals(), name="_CHECKBOX")
_DUE = lazy(
    r"(?:\U0001F4C5\ufe0f?\s*(\d{4}-\d{2}-\d{2}))|(?:[\[(]due::\s*(\d{4}-\d{2}-\d{2})\s*[\])])",
    namespace=globals(),
    name="_DUE",
)
_DONE = lazy(
    r"\u2705\ufe0f?\s*(\d{4}-\d{2}-\d{2})|[\[(]completion::\s*(\d{4}-\d{2}-\d{2})",
    namespace=globals(),
    name="_DONE",
)
_TASK_META = lazy(
    r"\s*(?:[\U0001F4C5\u23F3\U0001F6EB\u2795\u2705\u274C\U0001F501]\ufe0f?\s*\d{4}-\d{2}-\d{2}"
    r"|[\[(](?:due|completion)::\s*[^\])]*[\])])",
    namespace=globals(),
    name="_TASK_META",
)
# The emoji a _DUE or _TASK_META match may start with (one character class, which the regex
# engine scans for quickly); the other alternatives start with `[due::` or `(due::`.
_TASK_EMOJI = lazy(
    r"[\U0001F4C5\u23F3\U0001F6EB\u2795\u2705\u274C\U0001F501]",
    namespace=globals(),
    name="_TASK_EMOJI",
)
_INLINE_CODE = lazy(r"`[^`]*`", namespace=globals(), name="_INLINE_CODE")
_EMBED = lazy(r"!\[\[[^\[\]]*\]\]", namespace=globals(), name="_EMBED")
_HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*\s*$")
# Dataview fields: `key:: value` on its own line (in a list item too) or `[key:: value]`.
_INLINE_FIELD = lazy(
    r"^\s*(?:[-*+]\s+)?(?:\*\*)?([A-Za-z][\w .\-]{0,40}?)(?:\*\*)?::\s*(.*?)\s*$",
    namespace=globals(),
    name="_INLINE_FIELD",
)
_BRACKET_FIELD = lazy(
    r"[\[(]([A-Za-z][\w .\-]{0,40}?)::\s*([^\])]*)[\])]", namespace=globals(), name="_BRACKET_FIELD"
)

# A named tuple made from a tuple of all its fields, without its __new__'s Python frame
# (a build makes hundreds of thousands of links).
_new = tuple.__new__

LOG_HEADINGS = frozenset(
    {"log", "logs", "interactions", "interaction log", "contact log", "meetings", "conversations",
     "touchpoints", "calls", "catch-ups", "catch ups"}
)  # fmt: skip
LIFE_HEADINGS = frozenset(
    {"timeline", "life events", "events", "milestones", "history", "biography", "bio",
     "life", "background", "facts", "key dates"}
)  # fmt: skip


class BodyScan:
    """One pass over a body's lines (see the module docstring for what counts)."""

    def __init__(self, note: ParsedNote, is_contact: bool, log_headings: frozenset[str]):
        self.note = note
        self.is_contact = is_contact
        self.log_headings = log_headings
        self.inline: dict[str, str] = {}  # Dataview fields, first one of each key
        self._note_dir = note_dir(note.path)
        # Dated items of a contact's note: (entry, section kind) until the end decides.
        self._dated: list[tuple[LogEntry, str]] = []
        self._section = ""  # "log", "life" or "" for the heading above the current line
        self._has_log_section = False

    def run(self, body: str, first_line: int) -> None:  # noqa: C901 - one loop on purpose
        # Most lines are prose: cheap substring and first-character tests come before any
        # regex (a regex over the whole body to find the other lines is slower than this).
        fences = "```" in body or "~~~" in body
        contact = self.is_contact
        if not contact and "[" not in body:
            return  # outside a contact's note only links and tasks count: both hold a `[`
        fence = ""  # the open code fence
        lines = split_lines(body)
        log_item = _LOG_ITEM.match
        for offset, line in enumerate(lines):
            if fences and ("```" in line or "~~~" in line):
                after = fence_after(line, fence)
                if after is not None:
                    fence = after
                    continue
            if fence or not line or not (contact or "[" in line):
                continue
            lineno = first_line + offset
            first = line[:1]
            if first == "#" and contact:
                self._heading(line)
            if contact and "::" in line:
                self._fields(line)
            has_link = "[[" in line or "](" in line
            if first.isspace():
                first = line.lstrip()[:1]
            # A list item starts with -, *, + or a digit (isdigit() holds for every \d).
            if first and (first in "-*+" or first.isdigit()):
                # _CHECKBOX and _LOG_ITEM both start with a list marker, and never match
                # one line; a task's checkbox holds a `[`.
                log = log_item(line) if contact else None
                if log is not None:
                    self._log_entry(lineno, log)
                    if has_link:
                        self._links(line, lineno, None)
                    continue
                if "[" in line and self._task_item(line, lineno, has_link):
                    continue
            if has_link:
                self._links(line, lineno, "quote" if first == ">" else None)
        if self._dated:
            self._settle_logs()

    # -- lines -------------------------------------------------------------------------
    def _task_item(self, line: str, lineno: int, has_link: bool) -> bool:
        """A list item that may be a task (True when it is one)."""
        box = _CHECKBOX.match(line)
        if box is None:
            return False
        mark, text = box.group(1), box.group(2)
        completed = mark in "xX"
        start = len(self.note.links)
        keys = self._links(line, lineno, None if completed else "open task") if has_link else []
        task = _task(self.note, lineno, mark, text, keys)
        if completed and (keys or self.is_contact):
            self._completed(task, start, len(keys), line)
        return True

    def _links(self, line: str, lineno: int, why: str | None) -> list[str]:
        """Record the line's links; the keys of those that are not embeds (recorded first)."""
        if "`" not in line and "![[" not in line:  # the common line: no code, no embed
            keys = link_keys(line, self._note_dir)
            if keys:
                self.note.links.extend([_new(Link, (lineno, key, why, None)) for key in keys])
            return keys
        if "`" in line:
            line = _INLINE_CODE.sub("", line)
        embeds: list[str] = []
        if "![[" in line:
            embeds = [k for e in _EMBED.findall(line) for k in link_keys(e[1:], self._note_dir)]
            line = _EMBED.sub("", line)
        keys = link_keys(line, self._note_dir) if ("[[" in line or "](" in line) else []
        links = self.note.links
        for key in keys:
            links.append(Link(lineno, key, why))
        for key in embeds:
            links.append(Link(lineno, key, "embed"))
        return keys

    def _completed(self, task: Task, start: int, count: int, line: str) -> None:
        """A done task (``- [x] Called [[Ana]] ✅ 2026-11-20``) is an interaction on the day
        it was done: with the people its line links, or, in a contact's own note, with them."""
        if "completion::" in line:
            m = _DONE.search(line)
        else:
            # No match starts before the first ✅: the regex need not try every position.
            at = -1 if line.isascii() else line.find("\u2705")
            m = None if at < 0 else _DONE.search(line, at)
        if m is None:
            return
        try:
            when = _iso_date(m.group(1) or m.group(2))
        except ValueError:
            return
        links = self.note.links
        for i in range(start, start + count):
            line_, key, why, _ = links[i]
            links[i] = _new(Link, (line_, key, why, when))
        if self.is_contact and not task.links:
            self._dated.append((_new(LogEntry, (task.line, when, task.text)), "task"))

    def _heading(self, line: str) -> None:
        m = _HEADING.match(line)
        if m is None:
            return  # a tag line (#person), not a heading
        words = " ".join(m.group(1).strip().strip("*_").lower().split())
        if words in self.log_headings:
            self._section = "log"
            self._has_log_section = True
        elif words in LIFE_HEADINGS:
            self._section = "life"
        else:
            self._section = ""

    def _fields(self, line: str) -> None:
        m = _INLINE_FIELD.match(line)
        found = [m.groups()] if m else _BRACKET_FIELD.findall(line)
        for key, value in found:
            self.inline.setdefault(key.strip(), value.strip())

    def _log_entry(self, lineno: int, m: re.Match[str]) -> None:
        raw = m.group(1) or m.group(2) or m.group(3)
        try:
            when = _iso_date(raw)
        except ValueError as exc:
            self.note.problems.append(Problem(self.note.path, lineno, f"log entry: {exc}"))
            return
        self._dated.append((_new(LogEntry, (lineno, when, m.group(4).strip())), self._section))

    def _settle_logs(self) -> None:
        """Which dated items are log entries (the rule in the module docstring)."""
        in_log = self._has_log_section
        for entry, kind in self._dated:
            if kind == "task" or (kind == "log" if in_log else kind != "life"):
                self.note.logs.append(entry)


def _task(note: ParsedNote, lineno: int, mark: str, text: str, keys: list[str]) -> Task:
    due: date | None = None
    start = _task_meta_start(text)
    if start < 0:
        clean = " ".join(text.split())
    else:
        m = _DUE.search(text, start)
        if m:
            raw = m.group(1) or m.group(2)
            try:
                due = _iso_date(raw)
            except ValueError as exc:
                note.problems.append(Problem(note.path, lineno, f"task due date: {exc}"))
        # _TASK_META takes the spaces before each match: keep the text before those.
        head = text[:start].rstrip()
        clean = " ".join((head + _TASK_META.sub("", text[len(head) :])).split())
    done = mark.lower() == "x" or mark == "-"
    links = tuple(keys) if len(keys) < 2 else tuple(dict.fromkeys(keys))
    task = _new(Task, (lineno, clean, due, done, links))
    note.tasks.append(task)
    return task


def _task_meta_start(text: str) -> int:
    """Where the first _DUE or _TASK_META match could start, or -1 when none can.

    Those regexes try every position in turn (slowly); they are run from here on.
    """
    due = text.find("due::")
    if "::" in text and "completion::" in text:
        done = text.find("completion::")
        due = done if due < 0 else min(due, done)
    if due > 0:
        due -= 1  # the `[` or `(` before it
    emoji = None if text.isascii() else _TASK_EMOJI.search(text)
    if emoji is None:
        return due
    return emoji.start() if due < 0 else min(due, emoji.start())


def _iso_date(raw: str) -> date:
    """parse_date for text a regex matched as ``\\d{4}-\\d{2}-\\d{2}``, without its regex."""
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return parse_date(raw)  # its message, or its reading of non-ASCII digits
