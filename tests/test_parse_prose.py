"""The body scan looks only at lines that may count: prose added between them changes
nothing but the line numbers, and hostile lines (a megabyte of `[[`) cost linear time."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from vaultnet.core.model import ParsedNote
from vaultnet.vault.body import LOG_HEADINGS, BodyScan
from vaultnet.vault.parse import Rules, parse_note

# Lines that do count somewhere: log entries, tasks, links, headings, fields, fences.
COUNTED = [
    "## Log",
    "# Timeline",
    "- 2026-01-02 Lunch with [[Ana]]",
    "- **2026-01-03** call",
    "- [[2026-01-04|Sun]]: walk",
    "- [x] Called [[Bo]] ✅ 2026-01-05",
    "- [ ] call [[Cy]] 📅 2026-02-01",
    "  * [-] dropped [due:: 2026-03-04]",
    "Met [[Dee]] and [x](People/Eve.md)",
    "> quoting [[Fay]]",
    "![[Gil]] and `[[Hal]]`",
    "phone:: 0301234567",
    "- [email:: a@b.example]",
    "```",
    "~~~",
    "1. 2026-02-30 bad date",
]
# Prose: no `[`, no `::`, no list marker, heading or fence first.
PROSE = st.text(st.sampled_from(list("abc é.,;:!?()'\"—")), max_size=30).filter(
    lambda s: "::" not in s and not s.lstrip().startswith(("-", "*", "+", "#"))
)


def scan(path: str, body: str, contact: bool) -> ParsedNote:
    note = ParsedNote(path=path, stem="x")
    BodyScan(note, contact, LOG_HEADINGS).run(body, 1)
    return note


def renumbered(note: ParsedNote, lines: dict[int, int]) -> str:
    """The note's repr with each line number replaced by its counted line's index."""
    note.logs[:] = [e._replace(line=lines[e.line]) for e in note.logs]
    note.tasks[:] = [t._replace(line=lines[t.line]) for t in note.tasks]
    note.links[:] = [li._replace(line=lines[li.line]) for li in note.links]
    note.problems[:] = [p._replace(line=lines[p.line] if p.line else p.line) for p in note.problems]
    return repr(note)


@settings(max_examples=100)
@given(
    st.lists(st.sampled_from(COUNTED), min_size=1, max_size=10),
    st.lists(st.lists(PROSE, max_size=3), min_size=11, max_size=11),
    st.booleans(),
)
def test_prose_between_counted_lines_changes_nothing(
    counted: list[str], prose: list[list[str]], contact: bool
) -> None:
    plain = "\n".join(counted) + "\n"
    mixed: list[str] = []
    where: dict[int, int] = {}
    for i, line in enumerate(counted):
        mixed.extend(prose[i])
        mixed.append(line)
        where[len(mixed)] = i + 1
    mixed.extend(prose[-1])
    same = {i + 1: i + 1 for i in range(len(counted))}
    for path in ("People/Ana.md", "Daily/2026-01-02.md"):
        expected = renumbered(scan(path, plain, contact), same)
        assert renumbered(scan(path, "\n".join(mixed) + "\n", contact), where) == expected


def test_a_megabyte_of_brackets_is_read_in_linear_time() -> None:
    line = "[" * 1_000_000
    for body in (line, f"- [x] {line}", f"- 2026-01-02 {line}", f"{line}::", f"[[{line}]]"):
        for path in ("People/Ana.md", "Daily/2026-01-02.md"):
            note = parse_note(path, f"---\ntags: [person]\n---\n{body}\n".encode(), Rules())
            assert note.links == []
