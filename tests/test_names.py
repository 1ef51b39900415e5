"""names: folding and resolving typed names."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vaultnet.core.names import Candidate, fold, resolve


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Zoë Martín", "zoe martin"),
        ("Søren Ødegaard", "soren odegaard"),
        ("  Daniel   KOVÁCS ", "daniel kovacs"),
        ("Straße", "strasse"),
        ("Łukasz", "lukasz"),
        ("Ｆｕｌｌｗｉｄｔｈ", "fullwidth"),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


@given(st.text())
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


def cand(path: str, name: str, *aliases: str) -> Candidate:
    stem = path.rsplit("/", 1)[-1].removesuffix(".md")
    keys = tuple(dict.fromkeys(fold(k) for k in (name, stem, *aliases)))
    return Candidate(path, name, keys)


PEOPLE = [
    cand("People/Zoë Martín.md", "Zoë Martín", "Zoe"),
    cand("People/Søren Ødegaard.md", "Søren Ødegaard"),
    cand("People/Sam Rivera.md", "Sam Rivera"),
    cand("People/Sam Lee.md", "Sam Lee"),
    cand("People/Helen Achterberg.md", "Helen Achterberg", "HA"),
]


@pytest.mark.parametrize(
    ("query", "path"),
    [
        ("Zoë Martín", "People/Zoë Martín.md"),
        ("zoe martin", "People/Zoë Martín.md"),
        ("Zoe", "People/Zoë Martín.md"),
        ("Soren Odegaard", "People/Søren Ødegaard.md"),
        ("SØREN", "People/Søren Ødegaard.md"),
        ("ha", "People/Helen Achterberg.md"),
        ("sam r", "People/Sam Rivera.md"),
    ],
)
def test_resolves_one(query: str, path: str) -> None:
    result = resolve(query, PEOPLE)
    assert [c.path for c in result.matches] == [path]


def test_ambiguous_lists_every_candidate() -> None:
    result = resolve("sam", PEOPLE)
    assert [c.name for c in result.matches] == ["Sam Lee", "Sam Rivera"]


def test_exact_beats_prefix() -> None:
    people = [cand("People/Sam.md", "Sam"), cand("People/Sam Lee.md", "Sam Lee")]
    assert [c.path for c in resolve("sam", people).matches] == ["People/Sam.md"]


def test_unknown_suggests_close_names() -> None:
    result = resolve("Helne", PEOPLE)
    assert result.matches == ()
    assert result.suggestions[0] == "Helen Achterberg"


def test_unknown_and_far_from_everyone() -> None:
    assert resolve("xyzzy", PEOPLE) == resolve("xyzzy", PEOPLE)
    assert resolve("xyzzy", PEOPLE).matches == ()
    assert resolve("xyzzy", PEOPLE).suggestions == ()


def test_empty_query_matches_nobody() -> None:
    assert resolve("  ", PEOPLE).matches == ()


def test_resolves_by_path_even_when_the_name_is_someone_s_alias() -> None:
    people = [cand("People/Good.md", "Good"), cand("People/Other.md", "Other", "Good")]
    assert len(resolve("good", people).matches) == 2
    for query in ("People/Good.md", "People/Good"):
        assert [c.path for c in resolve(query, people).matches] == ["People/Good.md"]


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_the_ascii_shortcut_folds_like_the_full_rule(text: str) -> None:
    from vaultnet.core.names import _fold_unicode

    assert fold(text) == _fold_unicode(text)
