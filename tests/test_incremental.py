"""The index kept up change by change equals one built from nothing (#17): random edits,
renames, alias changes, namesakes and deletions, applied by the reconcile or by the
watcher's path refresh, then every stored row and every report's JSON compared with a
fresh build of a copy of the vault."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from helpers import make_vault, run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vaultnet.store.index import Index
from vaultnet.vault.config import load_config

NAMES = ("Ana Lima", "Bo Chen", "Cy Diaz", "Di Eze")
ALIASES = ("Annie", "Bob", "Cyrus", "Dee")
REPORT_ARGS = (
    ("followups", "--format", "json", "--days", "30"),
    ("list", "--format", "json"),
    ("upcoming", "--days", "60"),
    ("ics",),
)


def person(name: str, aliases: tuple[str, ...], cadence: str, last: str) -> str:
    alias_line = f"aliases: [{', '.join(aliases)}]\n" if aliases else ""
    return (
        f"---\nname: {name}\n{alias_line}birthday: 1990-12-0{len(name) % 9 + 1}\n"
        f"cadence: {cadence}\n---\n\n## Log\n\n- {last} Coffee with [[{NAMES[0]}]]\n"
        f"- [ ] call [[{NAMES[1]}]] 📅 2026-12-0{len(name) % 9 + 1}\n"
    )


file_names = st.sampled_from([f"People/{n}.md" for n in NAMES] + ["People/Other/Ana Lima.md"])
ops = st.one_of(
    st.tuples(
        st.just("person"),
        file_names,
        st.sampled_from(NAMES),
        st.lists(st.sampled_from(ALIASES), max_size=2, unique=True).map(tuple),
        st.sampled_from(["30d", "7d", "none"]),
        st.sampled_from(["2026-10-01", "2026-11-20", "2027-01-01"]),
    ),
    st.tuples(
        st.just("daily"),
        st.sampled_from(["2026-11-01", "2026-11-20", "2026-12-01"]),
        st.lists(st.sampled_from(NAMES + ALIASES), max_size=3).map(tuple),
    ),
    st.tuples(st.just("delete"), file_names),
    # A line appended to a note as it is (its own rows stay: store.keptrows stores the rest).
    st.tuples(
        st.just("append"),
        st.one_of(file_names, st.sampled_from(["Daily/2026-11-10.md", "Daily/2026-11-20.md"])),
        st.sampled_from(
            [
                "Saw [[{name}]] again.",
                "- 2026-11-2{d} Call with [[{name}]]",
                "- [ ] write to [[{name}]]",
                "- [x] met [[{name}]] ✅ 2026-11-21",
                "- 2026-02-3{d} A day that is not",
            ]
        ),
        st.sampled_from(NAMES + ALIASES),
    ),
    st.tuples(st.just("rename"), file_names, file_names),
)


def apply_op(vault: Path, op: tuple[object, ...], clock: list[int]) -> list[str]:
    """Change the files as ``op`` says; the paths it touched."""
    clock[0] += 10**9
    kind = op[0]
    if kind == "person":
        _, rel, name, aliases, cadence, last = op
        write(vault, str(rel), person(str(name), aliases, str(cadence), str(last)), clock[0])  # type: ignore[arg-type]
        return [str(rel)]
    if kind == "daily":
        _, day, linked = op
        text = "".join(f"Met [[{n}]].\n" for n in linked) + "- [ ] ask [[Cy Diaz]]\n"  # type: ignore[attr-defined]
        rel = f"Daily/{day}.md"
        write(vault, rel, text, clock[0])
        return [rel]
    if kind == "append":
        _, rel, line, name = op
        path = vault / str(rel)
        if path.exists():
            filled = str(line).format(name=name, d=len(str(name)) % 10)
            text = path.read_text(encoding="utf-8") + filled + "\n"
            write(vault, str(rel), text, clock[0])
        return [str(rel)]
    if kind == "delete":
        (vault / str(op[1])).unlink(missing_ok=True)
        return [str(op[1])]
    src, dst = vault / str(op[1]), vault / str(op[2])
    if src.exists() and not dst.exists():
        dst.parent.mkdir(parents=True, exist_ok=True)
        src.rename(dst)
    return [str(op[1]), str(op[2])]


def write(vault: Path, rel: str, text: str, mtime_ns: int) -> None:
    path = vault / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(mtime_ns, mtime_ns))


def reports(vault: Path) -> dict[tuple[str, ...], str]:
    out: dict[tuple[str, ...], str] = {}
    for args in REPORT_ARGS:
        result = run_cli(vault, *args)
        assert result.exit_code == 0, result.output
        out[args] = result.stdout
    return out


def seeded_vault(base: Path) -> tuple[Path, list[int]]:
    vault = make_vault(base, {})
    for i, name in enumerate(NAMES[:3]):
        write(vault, f"People/{name}.md", person(name, (ALIASES[i],), "30d", "2026-10-01"), 1)
    write(vault, "Daily/2026-11-10.md", "Lunch with [[Annie]] and [[Bo Chen]].\n", 1)
    return vault, [1_700_000_000 * 10**9]


def assert_equals_a_rebuild(
    base: Path, vault: Path, clock: list[int], batches: list[tuple[list[tuple[object, ...]], bool]]
) -> None:
    """Apply each batch of ops to the files, then to the index at once (by its paths, as the
    watcher does, or by a reconcile); then compare with a build from nothing."""
    index = Index(vault, load_config(vault))
    try:
        index.update()
        for batch, by_paths in batches:
            touched = [rel for op in batch for rel in apply_op(vault, op, clock)]
            if by_paths:  # as the watcher does
                index.refresh_paths(touched)
            else:
                index.update()
        kept = index.snapshot()
    finally:
        index.close()
    fresh_vault = base / "fresh"
    shutil.copytree(vault, fresh_vault, ignore=shutil.ignore_patterns("cache"))
    fresh = Index(fresh_vault, load_config(fresh_vault))
    try:
        fresh.update()
        assert kept == fresh.snapshot()
    finally:
        fresh.close()
    assert reports(vault) == reports(fresh_vault)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(st.tuples(ops, st.booleans()), min_size=1, max_size=8))
def test_incremental_index_equals_a_rebuild(
    tmp_path_factory: object, steps: list[tuple[tuple[object, ...], bool]]
) -> None:
    base = Path(tmp_path_factory.mktemp("inc"))  # type: ignore[attr-defined]
    vault, clock = seeded_vault(base)
    assert_equals_a_rebuild(base, vault, clock, [([op], by_paths) for op, by_paths in steps])


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    batches=st.lists(
        st.tuples(st.lists(ops, min_size=2, max_size=6), st.booleans()), min_size=1, max_size=4
    )
)
def test_batches_of_edits_equal_a_rebuild(
    tmp_path_factory: object, batches: list[tuple[list[tuple[object, ...]], bool]]
) -> None:
    """Several contacts re-stored in one apply (a watcher's batch, a reconcile after many
    saves): their mentions are carried and re-resolved together, for the whole batch."""
    base = Path(tmp_path_factory.mktemp("batch"))  # type: ignore[attr-defined]
    vault, clock = seeded_vault(base)
    assert_equals_a_rebuild(base, vault, clock, batches)


def test_every_kind_of_name_change_in_one_batch_equals_a_rebuild(tmp_path: Path) -> None:
    """A rename, an alias added, an alias removed, a contact deleted and a namesake added,
    all in the one batch of a watcher, beside notes that mention each name."""
    vault, clock = seeded_vault(tmp_path)
    mentions = ("daily", "2026-11-20", ("Annie", "Bob", "Cyrus", "Cy Diaz", "Dee", "Di Eze"))
    batch: list[tuple[object, ...]] = [
        mentions,
        ("rename", "People/Ana Lima.md", "People/Other/Ana Lima.md"),
        ("person", "People/Bo Chen.md", "Bo Chen", ("Bob", "Dee"), "30d", "2026-11-20"),
        ("delete", "People/Cy Diaz.md"),
        ("person", "People/Di Eze.md", "Di Eze", ("Cyrus",), "7d", "2026-10-01"),
        ("person", "People/Ana Lima.md", "Ana Lima", (), "none", "2026-11-20"),
    ]
    again: list[tuple[object, ...]] = [
        ("person", "People/Bo Chen.md", "Bo Chen", (), "30d", "2026-11-20"),
        ("person", "People/Di Eze.md", "Di Eze", ("Bob", "Annie"), "7d", "2026-10-01"),
    ]
    assert_equals_a_rebuild(
        tmp_path, vault, clock, [([mentions], True), (batch, True), (again, True)]
    )


def test_the_network_of_an_index_kept_up_equals_that_of_a_rebuild(tmp_path: Path) -> None:
    """Contacts re-stored under new ids (their notes edited back and forth) give the same
    network report, map and clusters included, as an index built from nothing, whose ids
    follow the paths (the analysis numbers contacts by path, not by id)."""
    people = [f"P{i:02d} {name}" for i, name in enumerate(["Ada", "Bea", "Cal", "Dov"] * 5)]
    vault = make_vault(tmp_path / "kept", {})
    for i, name in enumerate(people):
        company = ("Acme", "Globex", "Initech")[i % 3]
        write(vault, f"People/{name}.md", f"---\nname: {name}\ncompany: {company}\n---\n", 1)
    for day in range(1, 28):
        group = [people[(day * k) % len(people)] for k in (1, 3, 7)]
        links = " and ".join(f"[[{n}]]" for n in group)
        write(vault, f"Daily/2026-11-{day:02d}.md", f"Met {links}.\n", 1)
    args = [("network", "--format", "json"), ("network", "--format", "markdown")]
    assert all(run_cli(vault, *a).exit_code == 0 for a in args)  # the index, ids by path
    # The first half of the contacts stored again, last first: their ids now run backwards.
    for n, name in enumerate(reversed(people[:10]), 2):
        path = vault / f"People/{name}.md"
        text = path.read_text(encoding="utf-8")
        write(vault, f"People/{name}.md", text + "\n", n)
        run_cli(vault, "list")
        write(vault, f"People/{name}.md", text, n + 100)
    kept = {a: run_cli(vault, *a).stdout for a in args}
    fresh = tmp_path / "fresh"
    shutil.copytree(vault, fresh, ignore=shutil.ignore_patterns("cache"))
    assert kept == {a: run_cli(fresh, *a).stdout for a in args}
