"""fastyaml, the fast path for flat front matter: whatever it accepts, the loader reads the same.

A grammar of keys, tricky scalars (YAML 1.1 words, numbers, dates valid and not, quoted
strings, comments, URLs...) and layouts (flow and block lists, one nested mapping, CRLF,
stray indentation) drives a property test against ``yaml.load`` with the project's loader;
the example vault and a corpus of nasty notes must parse to the same ParsedNote either way.
"""

from __future__ import annotations

import math
import posixpath
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from vaultnet.core import links
from vaultnet.core.dates import parse_date
from vaultnet.core.model import Link, LogEntry, ParsedNote, Problem, Task
from vaultnet.vault import body as body_mod
from vaultnet.vault import fastyaml, frontmatter
from vaultnet.vault.body import LIFE_HEADINGS, LOG_HEADINGS, BodyScan
from vaultnet.vault.fastyaml import FALLBACK, fast_front
from vaultnet.vault.frontmatter import yaml_loader
from vaultnet.vault.parse import Rules, parse_note

EXAMPLE_VAULT = Path(__file__).resolve().parent.parent / "example-vault"


def loader(front: str) -> Any:
    return yaml.load(front, Loader=yaml_loader())


def same(a: Any, b: Any) -> bool:
    """Equal values of the same types, all the way down (``True`` is not ``1``)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return len(a) == len(b) and all(
            same(ka, kb) and same(va, vb)
            for (ka, va), (kb, vb) in zip(a.items(), b.items(), strict=True)
        )
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float):
        return (math.isnan(a) and math.isnan(b)) or (
            a == b and math.copysign(1, a) == math.copysign(1, b)
        )
    if isinstance(a, datetime):
        return a == b and a.tzinfo == b.tzinfo and a.utcoffset() == b.utcoffset()
    return bool(a == b)


# -- the grammar ------------------------------------------------------------------------

WORDS = [
    *(c for w in ("yes", "no", "true", "false", "on", "off", "y", "n", "null") for c in (w, w.upper(), w.title())),
    *("yEs", "nO", "tRUE", "oN", "nULL", "Nu", "ye", "~", "~~", "=", "<<", "<", "."),
]  # fmt: skip
NUMBERS = [
    "0", "-0", "+0", "00", "07", "08", "0_7", "0o7", "0x1F", "0x1f", "0X1F", "0xg", "0x_",
    "0b101", "0b", "0b_", "-0b11", "1_000", "1__0", "_1", "1_", "1:30", "-1:30", "1:30:59",
    "1:60", "01:30", "190:20:30", "1.5", "-1.5", "+1.5", "1.", ".5", "._", "1._", "1e3",
    "1.0e+3", "1.0e3", "1.0E-3", "1.e+3", ".inf", "-.inf", "+.INF", ".Inf", ".iNf", ".nan",
    ".NaN", ".NAN", "+.nan", "1:30.5", "-1:30.5", "12345678901234567890", "1" * 5000, "٣",
    "1,000", "$5", "5%", "3/4", "0.0.1", "1-2",
]  # fmt: skip
DATES = [
    "2023-01-01", "2023-02-30", "2023-13-01", "2024-02-29", "2023-02-29", "0000-01-01",
    "9999-12-31", "2023-2-3", "2023-02-03 10:00:00", "2023-02-03T10:00:00Z",
    "2023-02-03t10:00:00", "2023-02-03 10:00:00.123 +02:00", "2023-02-03 10:00:00.1234567",
    "2023-02-03T10:00:00-5", "2023-02-03T10:00:00+25:00", "2023-02-03  1:02:03 Z",
    "2023-02-03T25:00:00", "2023-02-03T10:60:00", "2023-02-03T10:00:60", "2023-02-03 18:30",
    "2023-02-03T10:00:00.", "--07-14", "07-14", "--0714", "2023-01-01x", "2023-01-01 ",
    "20230101", "2023-W01-1", "2023-01-01T10:00:00+01:00:00",
]  # fmt: skip
TEXTS = [
    "Ana", "Zoë Martín", "Søren Ødegaard", "陈强", "ليلى", "O'Brien", 'say "hi"', "a, b",
    "a [b]", "a {b}", "a: b", "a:b", "a:", "a :b", "a #c", "a#c", "a # c: d", "#c", "# c",
    "http://x.example/a?b=1#frag", "https://www.linkedin.com/in/x-1", "me@example.com",
    "[[Maya Okafor]]", "[[A|b]]", "[]", "[a, b]", "[a,]", "[a, [b]]", "{a: 1}", "{}", "&a x",
    "*a", "!x y", "!!str 1", "|", ">", "|-", "? x", "?x", "- x", "-x", "-", "--", "---",
    "...", "%x", "@x", "`x`", ",x", ":x", "a  b", "a\u00a0", "\u00a0a", "a\u3000", "a\\b",
    "a\\", "'", '"', "a'", 'a"', "'a", "'a'b", "\u200b", "\U0001f4c5 2026-01-01", "a -b",
    "a - b", "a ? b", "a | b", "a > b", "a & b", "a * b", "a ! b", "a % b", "a @ b",
]  # fmt: skip
KEYS = [
    "name", "aliases", "email", "tags", "dates", "birthday", "a", "b", "_x", "a-b", "a_b",
    "A1", "yes", "No", "on", "OFF", "y", "n", "null", "Null", "true", "x-", "k" * 100,
]  # fmt: skip
ODD_KEYS = [
    "-k", "1", "2023-01-01", "a b", "'q'", '"q"', "k:", "? k", "~", "<<", "é", "[k]", "k#",
    "k ", "k" * 101, "&a k", "*a", "!k",
]  # fmt: skip
CHARS = list("abXY01 9-_:#'\",[]{}&*!|>%@`?.~=<+\\/tnyoé\u00a0日\t\r")


def rare(draw: st.DrawFn) -> bool:
    """True about one time in 16, so that a front matter of several entries is often flat."""
    return all(draw(st.booleans()) for _ in range(4))


usual_plain = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(NUMBERS),
    st.sampled_from(DATES),
    st.integers(-(10**20), 10**20).map(str),
    st.floats(allow_nan=True).map(repr),
    st.dates().map(date.isoformat),
    st.datetimes().map(lambda d: d.isoformat(sep=" ")),
    st.from_regex(r"[A-Za-zé日][A-Za-z0-9é日 ./@'-]{0,10}[A-Za-z0-9é日.]", fullmatch=True),
)
odd_plain = st.one_of(
    st.sampled_from(TEXTS),
    st.text(st.characters(exclude_categories=["C", "Z"]), min_size=1, max_size=8),
    st.text(st.sampled_from(CHARS), min_size=1, max_size=12),
)


@st.composite
def quoted_inners(draw: st.DrawFn) -> str:
    return draw(st.one_of(odd_plain, st.text(max_size=10)) if rare(draw) else usual_plain)


quoted_inner = quoted_inners()
single = quoted_inner.map(lambda t: "'" + t.replace("'", "''") + "'")
double = quoted_inner.map(lambda t: '"' + t.replace("\\", "\\\\").replace('"', '\\"') + '"')
raw_double = quoted_inner.map(lambda t: f'"{t}"')  # escapes as they fall, or broken
usual_trailer = st.sampled_from(["", "", "", " ", " # note", "  # a: b # c"])
odd_trailer = st.sampled_from(["# x", "  #: x", "\t", " #", "\r", ":", " x: y"])
usual_line = st.sampled_from(["", "# comment", "  # c", " "])
odd_line = st.sampled_from(["\t", " stray", "---", "...", "%YAML 1.1", "? k", ": v"])


@st.composite
def plains(draw: st.DrawFn) -> str:
    return draw(odd_plain if rare(draw) else usual_plain)


plain = plains()
item = st.one_of(plain, plain, plain, single, double, raw_double)


@st.composite
def keys(draw: st.DrawFn) -> str:
    return draw(st.sampled_from(ODD_KEYS if rare(draw) else KEYS))


key = keys()


@st.composite
def inlines(draw: st.DrawFn) -> str:
    value = draw(st.one_of(double, st.just("")) if rare(draw) else item)
    return value + draw(odd_trailer if rare(draw) else usual_trailer)


inline = inlines()


@st.composite
def flows(draw: st.DrawFn) -> str:
    items = draw(st.lists(item, max_size=5))
    sep = draw(st.sampled_from([" , ", ",  ", " ,"] if rare(draw) else [", ", ","]))
    opening = draw(st.sampled_from(["[ ", "[[", "[ ,"])) if rare(draw) else "["
    closing = draw(st.sampled_from([" ]", ",]", ", ]", "]]", ""])) if rare(draw) else "]"
    return opening + sep.join(items) + closing + draw(odd_trailer if rare(draw) else usual_trailer)


flow = flows()


@st.composite
def block_list(draw: st.DrawFn) -> list[str]:
    indent = draw(st.sampled_from([0, 2, 2, 4]))
    lines = []
    for _ in range(draw(st.integers(1, 4))):
        here = draw(st.sampled_from([0, 1, 3, 6])) if rare(draw) else indent
        value = draw(st.one_of(st.just(""), flow) if rare(draw) else inline)
        lines.append(" " * here + "-" + (" " + value if value else ""))
        if not draw(st.integers(0, 5)):
            odd = st.one_of(odd_line, st.sampled_from(["    more", "  - - x"]))
            lines.append(draw(odd if rare(draw) else usual_line))
    return lines


@st.composite
def nested(draw: st.DrawFn) -> list[str]:
    indent = draw(st.sampled_from([2, 2, 4, 1]))
    lines = []
    for _ in range(draw(st.integers(1, 3))):
        here = draw(st.sampled_from([0, 3, 6])) if rare(draw) else indent
        value = draw(flow if rare(draw) else inline)
        lines.append(f"{' ' * here}{draw(key)}:{' ' + value if value else ''}")
        if not draw(st.integers(0, 5)):
            odd = st.one_of(odd_line, st.sampled_from(["      deeper: x", "  - x"]))
            lines.append(draw(odd if rare(draw) else usual_line))
    return lines


@st.composite
def entries(draw: st.DrawFn) -> list[str]:
    name = draw(key)
    colon = draw(st.sampled_from([":", " : "] if rare(draw) else [": ", ": ", ":  "]))
    kind = draw(st.integers(0, 9))
    if kind <= 4:
        return [name + colon + draw(inline)]
    if kind <= 6:
        return [name + colon + draw(flow)]
    head = name + ":" + (" x" if rare(draw) else draw(st.sampled_from(["", "", " # c", " "])))
    if kind <= 8:
        return [head, *draw(block_list())]
    return [head, *draw(nested())]


entry = entries()


@st.composite
def fronts(draw: st.DrawFn) -> str:
    lines: list[str] = []
    for chunk in draw(st.lists(entry, max_size=6, unique_by=lambda lines: lines[0][:4])):
        lines.extend(chunk)
        if not draw(st.integers(0, 6)):
            lines.append(draw(odd_line if rare(draw) else usual_line))
    nl = draw(st.sampled_from(["\n", "\n", "\n", "\r\n"]))
    return "".join(line + nl for line in lines)


# -- the fast path against the loader -----------------------------------------------------


def check_against_loader(front: str) -> Any:
    fast = fast_front(front)
    try:
        slow = loader(front)
    except Exception:
        assert fast is FALLBACK, f"accepted what the loader rejects: {front!r}"
        return fast
    if fast is not FALLBACK:
        assert same(fast, slow), f"{front!r}: fast {fast!r} != loader {slow!r}"
    return fast


@settings(max_examples=150)
@given(fronts())
def test_fast_path_agrees_with_the_loader(front: str) -> None:
    check_against_loader(front)


@settings(max_examples=100)
@given(st.lists(st.tuples(key, inline), max_size=8))
def test_fast_path_agrees_on_scalars(pairs: list[tuple[str, str]]) -> None:
    check_against_loader("".join(f"{key}: {value}\n" for key, value in pairs))


@given(st.text(st.sampled_from([*CHARS, "\n", "\n", " ", " "]), max_size=60))
def test_fast_path_agrees_on_noise(front: str) -> None:
    check_against_loader(front)


def test_every_listed_scalar() -> None:
    for value in [*WORDS, *NUMBERS, *DATES, *TEXTS]:
        for front in (
            f"k: {value}\n",
            f"k: [{value}]\n",
            f"k:\n- {value}\n",
            f"d:\n  k: {value}\n",
        ):
            check_against_loader(front)


# -- the fast path is really taken ----------------------------------------------------------

USUAL = [
    "name: Ana\n",
    "name: 'Ana'\naliases: [A, \"Ann\"]\n",
    "tags:\n  - a\n  - b\n",
    "tags:\n- a\n- b\nkind: peer\n",
    "# comment\nname: Ana  # inline\n\nbirthday: '--07-14'\n",
    'dates:\n  promotion: 2025-11-27\n  kid: "--07-04"\ncadence: 2w\n',
    'date: 2026-11-12\ntype: meeting\nattendees:\n  - "[[Ana]]"\n  - "[[Bo]]"\n',
    "linkedin: https://www.linkedin.com/in/x\nemail: [a@x.example, b@y.example]\n",
    "archived: yes\nprivate: false\ndeceased: 2024-09-14\n",
    "last_contact: 2026-01-02 18:30\ncreated: 2024-05-23T10:36:00\n",
    "name: Ana\r\nkind: peer\r\n",
    "",
    "# only a comment\n",
]


@pytest.mark.parametrize("front", USUAL)
def test_usual_front_matters_take_the_fast_path(front: str) -> None:
    assert check_against_loader(front) is not FALLBACK


def example_notes() -> list[Path]:
    return sorted(EXAMPLE_VAULT.rglob("*.md"))


def test_every_example_front_matter_takes_the_fast_path() -> None:
    people = [p for p in example_notes() if "People" in p.parts]
    assert len(people) > 10
    for path in example_notes():
        split = frontmatter.split_front_matter(frontmatter.decode(path.read_bytes()))
        if split.front is not None:
            assert check_against_loader(split.front) is not FALLBACK, path


# -- whole notes, fast path on and off ------------------------------------------------------


@contextmanager
def fast(enabled: bool) -> Iterator[None]:
    saved = fastyaml.FAST_FRONT
    fastyaml.FAST_FRONT = enabled
    try:
        yield
    finally:
        fastyaml.FAST_FRONT = saved


def outcome(rel_path: str, data: bytes, enabled: bool) -> str:
    """repr of the ParsedNote (repr tells True from 1), or of what parse_note raised."""
    with fast(enabled):
        try:
            return repr(parse_note(rel_path, data, Rules()))
        except Exception as exc:
            return f"raised {exc!r}"


def both_ways(rel_path: str, data: bytes) -> tuple[str, str]:
    return outcome(rel_path, data, True), outcome(rel_path, data, False)


@pytest.mark.parametrize("path", example_notes(), ids=lambda p: p.name)
def test_example_vault_parses_the_same_both_ways(path: Path) -> None:
    on, off = both_ways(path.relative_to(EXAMPLE_VAULT).as_posix(), path.read_bytes())
    assert on == off


NASTY = [
    "name: no\naliases: [yes, 12, ~, null, 1.5, .inf, 0x1F, 1:30]\ncompany: 3.5\n",
    "name: Ana\nname: Bo\n",
    "yes: 1\ny: 2\n",
    "birthday: 2023-02-30\nlast_contact: 2023-13-01\nsnooze_until: 2026-02-29\n",
    "birthday: --07-14\nwork_anniversary: 07-14\n",
    "dates:\n  promotion: 2025-11-27\n  bad: 2025-02-30\n  none:\n",
    "dates: 2025-01-01\n",
    "dates:\n  a: 1\n    b: 2\n",
    "dates:\n  a:\n    b: 2\n",
    'tags: "#a #b"\n',
    "tags:\n  - person\n  -\n  - 'x'\n",
    "introduced_by: [[Maya]]\nmet_with: [[Ana]]\n",
    'introduced_by: "[[People/Maya Okafor|Maya]]"\n',
    "how_met: a: b\n",
    "how_met: a\n  continued\n",
    "how_met: >\n  folded\n  text\n",
    "how_met: |\n  literal\n",
    "a: &x 1\nb: *x\n",
    "a: !!str 1\n",
    "a: {b: 1}\n",
    "? a\n: b\n",
    "a:\tb\n",
    'a: \'it\'\'s\'\nb: "q\\"uote"\nc: "tab\\tx"\n',
    "a: 'unclosed\n",
    "a: 0b_\n",
    "cadence: 2 weeks\nprivate: On\narchived: NO\n",
    "deceased: 2024-09-14\n",
    "created: 2024-05-23T10:36:00+02:00\nupdated: 2024-05-23 10:36:00.5 Z\n",
    "a: 1\r\nb: 2\r",
    "a: x\u2028y\n",
    "a: x\x85y\n",
    "  name: indented\n",
    "name: Ana\n  - stray\n",
    "- a\n- b\n",
    "just text\n",
    "attendees:\n  - \"[[Ana]]\"\n  - '[[Bo|B]]'\n  - [[Cy]]\n",
    "nan: .nan\nneg: -0.0\nbig: 123456789012345678901234567890\n",
    "k: " + ", ".join(["x"] * 20_001) + "\n",
    "k: [" + ", ".join(["x"] * 20_001) + "]\n",
]


@pytest.mark.parametrize("front", NASTY)
def test_nasty_front_matters_parse_the_same_both_ways(front: str) -> None:
    check_against_loader(front)
    for rel_path in ("People/Nasty.md", "Notes/2026-01-02 Nasty.md"):
        data = f"---\n{front}---\n- 2026-01-02 log line [[Ana]]\n- [ ] task 📅 2026-02-30\n"
        on, off = both_ways(rel_path, data.encode("utf-8"))
        assert on == off


@settings(max_examples=50)
@given(fronts())
def test_generated_notes_parse_the_same_both_ways(front: str) -> None:
    data = f"---\n{front}---\n# Body\n- 2026-01-02 call\n".encode()
    on, off = both_ways("People/Gen.md", data)
    assert on == off


# -- the body scan and the split against their plain line-by-line definitions -----------------


def reference_scan(path: str, body: str, first_line: int, is_contact: bool) -> ParsedNote:
    """The body scan's definition (vault/body.py's docstring), every regex on every line."""
    note = ParsedNote(path=path, stem="x")
    note_dir = posixpath.dirname(path)
    fence = ""
    dated: list[tuple[LogEntry, str]] = []
    section, has_log_section = "", False
    headings = LOG_HEADINGS | {"log"}
    for offset, line in enumerate(frontmatter.split_lines(body)):
        after = frontmatter.fence_after(line, fence)
        if after is not None:
            fence = after
            continue
        if fence:
            continue
        lineno = first_line + offset
        heading = body_mod._HEADING.match(line) if is_contact and line.startswith("#") else None
        if heading:
            words = " ".join(heading.group(1).strip().strip("*_").lower().split())
            section = "log" if words in headings else "life" if words in LIFE_HEADINGS else ""
            has_log_section = has_log_section or section == "log"
        listed = body_mod._CHECKBOX.match(line) or (is_contact and body_mod._LOG_ITEM.match(line))
        log = body_mod._LOG_ITEM.match(line) if is_contact else None
        box = None if log else body_mod._CHECKBOX.match(line)
        plain = body_mod._INLINE_CODE.sub("", line)
        embeds = [
            k for e in body_mod._EMBED.findall(plain) for k in links.link_keys(e[1:], note_dir)
        ]
        keys = links.link_keys(body_mod._EMBED.sub("", plain), note_dir)
        why = None
        if box is not None and box.group(1) not in "xX":
            why = "open task"
        elif not listed and line.lstrip().startswith(">"):
            why = "quote"
        start = len(note.links)
        note.links.extend(Link(lineno, key, why) for key in keys)
        note.links.extend(Link(lineno, key, "embed") for key in embeds)
        if log is not None:
            try:
                when = parse_date(log.group(1) or log.group(2) or log.group(3))
            except ValueError as exc:
                note.problems.append(Problem(path, lineno, f"log entry: {exc}"))
                continue
            dated.append((LogEntry(lineno, when, log.group(4).strip()), section))
        elif box is not None:
            mark, text = box.group(1), box.group(2)
            due = None
            m = body_mod._DUE.search(text)
            if m:
                try:
                    due = parse_date(m.group(1) or m.group(2))
                except ValueError as exc:
                    note.problems.append(Problem(path, lineno, f"task due date: {exc}"))
            clean = " ".join(body_mod._TASK_META.sub("", text).split())
            task = Task(
                lineno, clean, due, mark.lower() == "x" or mark == "-", tuple(dict.fromkeys(keys))
            )
            note.tasks.append(task)
            done = body_mod._DONE.search(line) if mark in "xX" else None
            if done is not None:
                try:
                    when = parse_date(done.group(1) or done.group(2))
                except ValueError:
                    continue
                for i in range(start, start + len(keys)):
                    note.links[i] = Link(lineno, note.links[i].key, None, when)
                if is_contact and not task.links:
                    dated.append((LogEntry(lineno, when, clean), "task"))
    for entry, kind in dated:
        if kind == "task" or (kind == "log" if has_log_section else kind != "life"):
            note.logs.append(entry)
    return note


SPACES = [" ", " ", "  ", "\t", "\u00a0", "\u3000", "\x0b", ""]
MARKERS = ["-", "*", "+", "1.", "12)", "٣.", "-", "-", "•", "1"]
STAMPS = ["2026-01-02", "2026-02-30", "[[2026-01-02]]", "[[2026-01-02|Fri]]", "**2026-01-02**",
          "2026-01-02-03", "20260102", "٢٠٢٦-٠١-٠٢", "2026-1-2"]  # fmt: skip
METAS = ["📅 2026-03-04", "📅️ 2026-03-04", "📅2026-02-30", "⏳ 2026-01-01", "✅ 2026-01-01",
         "🔁 2026-01-01", "[due:: 2026-03-04]", "(due:: 2026-03-04)", "[due:: soon]", "due::",
         "📅", "[due::2026-13-01]"]  # fmt: skip
LINKS = ["[[Ana]]", "[[People/Bo Li|Bo]]", "[[Zoë#Work]]", "[[ ]]", "[[a|b|c]]", "[x](Ana.md)",
         "[x](<People/Cy D.md>)", "[x](https://a.example/b.md)", "[[", "](", "[[Ana]", "[[Søren Ødegaard]]"]  # fmt: skip
WORDS_ = [
    "call",
    "Lunch",
    ":",
    "—",
    "–",
    "-",
    "x",
    "[x]",
    "[ ]",
    "[-]",
    "[X]",
    "[]",
    "[[",
    "é",
    "#tag",
    ">",
    "![[Ana]]",
    "`[[Ana]]`",
    "`x",
    "✅ 2026-01-05",
    "[completion:: 2026-01-05]",
    "✅ 2026-02-30",
]


@st.composite
def body_lines(draw: st.DrawFn) -> str:
    kind = draw(st.integers(0, 11))
    words = draw(st.lists(st.sampled_from([*WORDS_, *LINKS, *METAS, *STAMPS]), max_size=5))
    tail = " ".join(words)
    if kind == 0:
        return tail
    if kind == 10:
        level = draw(st.sampled_from(["#", "##", "###", "#", "##x"]))
        title = draw(
            st.sampled_from(
                ["Log", "log ", "Timeline", "Notes", "**Interactions**", "Life events", "Log ##"]
            )
        )
        return f"{level} {title}"
    if kind == 11:
        return draw(st.sampled_from(["> ", ">", "  > "])) + tail
    if kind == 1:
        return draw(
            st.sampled_from(
                ["```", "~~~", "  ```python", "`` `", "", "````", "~~~~", "```x`", "``` "]
            )
        )
    if kind == 2:
        return draw(st.text(max_size=20))
    lead, gap = draw(st.sampled_from(SPACES)), draw(st.sampled_from(SPACES))
    head = lead + draw(st.sampled_from(MARKERS)) + gap
    if kind <= 5:
        box = draw(st.sampled_from(["[ ]", "[x]", "[X]", "[-]", "[/]", "[]", "[[ ]"]))
        return head + box + draw(st.sampled_from(SPACES)) + tail
    sep = draw(st.sampled_from(["", " ", ": ", " — ", " - ", "-", "–"]))
    return head + draw(st.sampled_from(STAMPS)) + sep + tail


bodies = st.tuples(st.lists(body_lines(), max_size=12), st.sampled_from(["\n", "\r\n", "\r"]))


@settings(max_examples=150)
@given(bodies, st.booleans(), st.booleans())
def test_body_scan_agrees_with_its_definition(
    body_parts: tuple[list[str], str], is_contact: bool, final_newline: bool
) -> None:
    lines, nl = body_parts
    body = nl.join(lines) + (nl if final_newline else "")
    for path in ("People/Ana.md", "Meetings/2026/Sync.md"):
        got = ParsedNote(path=path, stem="x")
        BodyScan(got, is_contact, LOG_HEADINGS | {"log"}).run(body, 5)
        assert repr(got) == repr(reference_scan(path, body, 5, is_contact)), body


def reference_split(text: str) -> tuple[str | None, str, int, bool]:
    """split_front_matter as first written: line by line."""
    if not text.startswith("---"):
        return None, text, 1, False
    lines = frontmatter.split_lines(text, keepends=True)
    if not frontmatter._FENCE_OPEN.match(lines[0].rstrip("\n")):
        return None, text, 1, False
    for i in range(1, len(lines)):
        if frontmatter._FENCE_CLOSE.match(lines[i].rstrip("\n")):
            return "".join(lines[1:i]), "".join(lines[i + 1 :]), i + 2, False
    return None, text, 1, True


fence_text = st.lists(
    st.sampled_from(
        [
            "---",
            "--- ",
            "---\t",
            "---x",
            "...",
            "... ",
            "....",
            "-- -",
            "a: 1",
            "",
            " ---",
            "---\r",
            "\r",
            "x\u2028y",
            "\n",
        ]
    ),
    max_size=8,
)


@given(fence_text, st.sampled_from(["\n", "\r\n"]), st.booleans())
def test_split_agrees_with_its_definition(parts: list[str], nl: str, final: bool) -> None:
    text = nl.join(parts) + (nl if final else "")
    s = frontmatter.split_front_matter(text)
    assert (s.front, s.body, s.body_line, s.unclosed) == reference_split(text)


@given(st.text(st.sampled_from(list("ab./ .é")), max_size=12))
def test_path_stem_is_splitext_of_basename(path: str) -> None:
    assert links.path_stem(path) == posixpath.splitext(posixpath.basename(path))[0]


@given(st.text(max_size=40))
def test_fast_text_refuses_exactly_what_not_fast_matches(text: str) -> None:
    lf = text.replace("\r\n", "\n")
    expected = None if "\r" in lf or fastyaml._NOT_FAST.search(lf) else lf
    assert fastyaml._fast_text(text) == expected


def test_the_refused_characters_are_the_complement_of_those_allowed() -> None:
    """``_NOT_FAST`` lists what it refuses (cheaper to compile): exactly what is not one of
    the characters YAML reads as they look here, over every code point."""
    import re

    from vaultnet.vault import fastyaml

    allowed = re.compile(
        "[\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
    )
    text = "".join(map(chr, range(0x110000)))
    refused = {m.start() for m in fastyaml._NOT_FAST.finditer(text)}
    assert refused == {i for i in range(0x110000) if not allowed.match(text, i)}
