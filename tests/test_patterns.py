"""``core.patterns.lazy``: a pattern compiled on first use, then in its stand-in's place."""

from __future__ import annotations

import re
from typing import Any

from vaultnet.core.patterns import lazy
from vaultnet.vault import body


def test_a_lazy_pattern_compiles_on_first_use_and_takes_its_place() -> None:
    space: dict[str, Any] = {}
    space["DAY"] = lazy(r"(\d{4})-(\d{2})", namespace=space, name="DAY")
    stand_in = space["DAY"]
    assert not isinstance(stand_in, re.Pattern)
    m = stand_in.match("2026-12 and more")
    assert m is not None and m.groups() == ("2026", "12")
    assert isinstance(space["DAY"], re.Pattern)  # the name now holds the pattern itself
    assert stand_in.findall("1999-01, 2000-02") == [("1999", "01"), ("2000", "02")]


def test_a_lazy_pattern_without_a_namespace_keeps_what_it_compiled() -> None:
    word = lazy(r"[a-z]+", re.I)
    assert word.sub("_", "Ab1cD") == "_1_"
    assert word.fullmatch("xyz") is not None and word.flags & re.I


def test_a_name_bound_to_something_else_meanwhile_is_left_alone() -> None:
    space: dict[str, Any] = {}
    stand_in = lazy("a+", namespace=space, name="A")
    space["A"] = "another value"
    assert stand_in.match("aaa") is not None
    assert space["A"] == "another value"


def test_the_parser_reads_tasks_with_its_lazy_patterns(tmp_path: Any) -> None:
    """A task line (the first use of the task patterns in a process, or not) is read as
    before, and the module's names end up holding compiled patterns."""
    from vaultnet.core.model import ParsedNote

    note = ParsedNote(path="Daily/2026-11-20.md", stem="2026-11-20")
    scan = body.BodyScan(note, False, body.LOG_HEADINGS)
    scan.run("- [ ] call [[Ana]] 📅 2026-12-01\n- [x] sent `code` ![[Bo]] ✅ 2026-11-21\n", 1)
    assert [(t.text, str(t.due), t.done) for t in note.tasks] == [
        ("call [[Ana]]", "2026-12-01", False),
        ("sent `code` ![[Bo]]", "None", True),
    ]
    assert [(li.key, li.why) for li in note.links] == [("ana", "open task"), ("bo", "embed")]
    for name in ("_CHECKBOX", "_DUE", "_TASK_META", "_TASK_EMOJI", "_INLINE_CODE", "_EMBED"):
        assert isinstance(getattr(body, name), re.Pattern), name
