"""An answer kept item by item (``app.parts``, ``store.parts``): after any edit, what the
splice of the contacts a change concerned prints is byte for byte what computing the
whole report prints, and a few kinds of edit (a log line, a mention, a task) are spliced,
not computed whole."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import make_vault, run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vaultnet.app import answers
from vaultnet.app import parts as parts_mod

NAMES = ("Ana Lima", "Bo Chen", "Cy Diaz", "Di Eze")
ALIASES = ("Annie", "Bob", "Cyrus", "Dee")
TODAY = "2026-11-25"
EXTRAS = (
    "",
    "snooze_until: 2026-12-20\n",
    "archived: true\n",
    "birthday: 1990-11-27\n",
    "kind: mentor\n",
    "cadence: none\n",
)


def person(name: str, aliases: tuple[str, ...], cadence: str, last: str, extra: str) -> str:
    alias_line = f"aliases: [{', '.join(aliases)}]\n" if aliases else ""
    return (
        f"---\nname: {name}\n{alias_line}cadence: {cadence}\n{extra}---\n\n## Log\n\n"
        f"- {last} Coffee with [[{NAMES[0]}]]\n- [ ] call [[{NAMES[1]}]] 📅 2026-11-2{len(name) % 9}\n"
    )


def write(vault: Path, rel: str, text: str, clock: list[int]) -> None:
    clock[0] += 10**9
    path = vault / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(clock[0], clock[0]))


def seeded(tmp_path: Path) -> tuple[Path, list[int]]:
    vault = make_vault(tmp_path, {".vaultnet/config.toml": "[cadences]\nmentor = 14\n"})
    clock = [1_700_000_000 * 10**9]
    for i, name in enumerate(NAMES[:3]):
        write(
            vault, f"People/{name}.md", person(name, (ALIASES[i],), "30d", "2026-10-01", ""), clock
        )
    write(vault, "Daily/2026-11-10.md", "Lunch with [[Annie]] and [[Bo Chen]].\n", clock)
    write(
        vault, "Projects/Plan.md", "With [[Cy Diaz]].\n\n- [ ] send the plan 📅 2026-11-26\n", clock
    )
    return vault, clock


contact_files = st.sampled_from([f"People/{n}.md" for n in NAMES])
days = st.sampled_from(["2026-10-01", "2026-11-20", "2026-11-24", "2026-12-24"])
ops = st.one_of(
    st.tuples(st.just("log"), contact_files, days),
    st.tuples(
        st.just("person"),
        contact_files,
        st.sampled_from(NAMES),
        st.lists(st.sampled_from(ALIASES), max_size=2, unique=True).map(tuple),
        st.sampled_from(["30d", "7d", "none"]),
        days,
        st.sampled_from(EXTRAS),
    ),
    st.tuples(
        st.just("daily"),
        days,
        st.lists(st.sampled_from(NAMES + ALIASES), max_size=3).map(tuple),
        st.sampled_from(
            ["", "- [ ] follow up 📅 2026-11-26\n", "- [ ] ask [[Di Eze]] 📅 2026-11-25\n"]
        ),
    ),
    st.tuples(
        st.just("done"), st.sampled_from(["Projects/Plan.md", *[f"People/{n}.md" for n in NAMES]])
    ),
    st.tuples(st.just("broken"), contact_files),
    st.tuples(
        st.just("delete"),
        st.sampled_from(["Daily/2026-11-10.md", *[f"People/{n}.md" for n in NAMES]]),
    ),
)


def apply_op(vault: Path, op: tuple[Any, ...], clock: list[int]) -> None:
    kind, rel = op[0], op[1]
    path = vault / rel
    if kind == "log":
        if path.exists():
            write(vault, rel, path.read_text(encoding="utf-8") + f"- {op[2]} Call\n", clock)
    elif kind == "person":
        write(vault, rel, person(*op[2:]), clock)
    elif kind == "daily":
        text = "".join(f"Met [[{n}]].\n" for n in op[2]) + op[3]
        write(vault, f"Daily/{rel}.md", text, clock)
    elif kind == "done":
        if path.exists():
            write(vault, rel, path.read_text(encoding="utf-8").replace("- [ ]", "- [x]", 1), clock)
    elif kind == "broken":
        if path.exists():
            write(vault, rel, "---\nname: [unclosed\n---\n", clock)
    else:
        path.unlink(missing_ok=True)


def followups(vault: Path, *extra: str) -> tuple[int, str, str]:
    result = run_cli(vault, "followups", "--format", "json", *extra, today=TODAY)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """How often the whole report and a splice's contacts were computed."""
    calls = {"whole": 0, "fresh": 0}
    for module, name, what in (
        (parts_mod, "followups_whole", "whole"),
        (parts_mod, "followups_fresh", "fresh"),
    ):
        real = getattr(module, name)

        def spy(*args: Any, _real: Any = real, _what: str = what, **kwargs: Any) -> Any:
            calls[_what] += 1
            return _real(*args, **kwargs)

        monkeypatch.setattr(module, name, spy)
    return calls


@pytest.fixture
def whole(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """The report computed whole from the same index, nothing replayed nor kept."""

    def compute(vault: Path, *extra: str) -> tuple[int, str, str]:
        with monkeypatch.context() as m:
            m.setattr(answers, "REPLAY_AFTER_SCAN", False)
            return followups(vault, *extra)

    yield compute


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    steps=st.lists(ops, min_size=1, max_size=6),
    extra=st.sampled_from([(), ("--days", "40"), ("--limit", "2"), ("--days", "0")]),
)
def test_a_spliced_answer_equals_the_whole_report_after_any_edit(
    tmp_path_factory: Any, whole: Any, steps: list[tuple[Any, ...]], extra: tuple[str, ...]
) -> None:
    vault, clock = seeded(Path(tmp_path_factory.mktemp("parts")))
    assert followups(vault, *extra) == whole(vault, *extra)
    for op in steps:
        apply_op(vault, op, clock)
        assert followups(vault, *extra) == whole(vault, *extra), op
        assert followups(vault, *extra) == whole(vault, *extra), op  # replayed


def test_a_log_line_a_mention_and_a_task_are_spliced_a_rename_is_computed_whole(
    tmp_path: Path, counted: dict[str, int], whole: Any
) -> None:
    vault, clock = seeded(tmp_path)
    first = followups(vault)
    assert counted == {"whole": 1, "fresh": 0} and first[0] == 0
    assert followups(vault) == first and counted == {"whole": 1, "fresh": 0}  # replayed
    spliced = [
        ("log", "People/Bo Chen.md", "2026-11-24"),
        ("daily", "2026-11-24", ("Cyrus", "Ana Lima"), ""),
        ("daily", "2026-11-24", ("Bob",), "- [ ] follow up 📅 2026-11-26\n"),
        ("done", "Projects/Plan.md"),
        ("delete", "Daily/2026-11-10.md"),
        ("person", "People/Ana Lima.md", "Ana Lima", ("Annie",), "7d", "2026-11-01", ""),
    ]
    for op in spliced:
        apply_op(vault, op, clock)
        fresh = counted["fresh"]
        shown = followups(vault)
        assert counted["fresh"] == fresh + 1 and counted["whole"] == 1, op
        assert shown == whole(vault), op  # (computed the other way: not counted)
    # A name or an alias that comes or goes may re-resolve links anywhere: computed whole.
    apply_op(
        vault, ("person", "People/Bo Chen.md", "Bo Chen", ("Bobby",), "7d", "2026-11-01", ""), clock
    )
    shown = followups(vault)
    assert counted["whole"] == 2 and shown == whole(vault)


def test_an_edit_by_another_process_between_two_runs_means_computing_whole(
    tmp_path: Path, counted: dict[str, int], whole: Any
) -> None:
    """The kept items are what the index held when they were kept: an update by anyone
    else since (here: an index refresh of another process) is not known by this run's
    update, so its splice would miss it."""
    from vaultnet.store.index import Index
    from vaultnet.vault.config import load_config

    vault, clock = seeded(tmp_path)
    followups(vault)
    apply_op(vault, ("log", "People/Cy Diaz.md", "2026-11-24"), clock)
    other = Index(vault, load_config(vault))
    try:
        other.update()
    finally:
        other.close()
    apply_op(vault, ("log", "People/Ana Lima.md", "2026-11-24"), clock)
    assert followups(vault) == whole(vault)
    assert counted["fresh"] == 0 and counted["whole"] == 2


def test_a_change_that_concerns_more_contacts_than_a_splice_takes_is_computed_whole(
    tmp_path: Path, counted: dict[str, int], whole: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    vault, clock = seeded(tmp_path)
    followups(vault)
    monkeypatch.setattr(answers, "SPLICE_AT_MOST", 1)
    apply_op(vault, ("daily", "2026-11-24", ("Cyrus", "Ana Lima"), ""), clock)  # two contacts
    assert followups(vault) == whole(vault)
    assert counted == {"whole": 2, "fresh": 0}
