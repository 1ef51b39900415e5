"""Matching people's names the way a user types them: case- and accent-insensitive."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence

from vaultnet.core.patterns import lazy
from vaultnet.core.tuples import NamedTuple


def fold(text: str) -> str:
    """Lower-case, accent-free, single-spaced form of a name, for matching."""
    if text.isascii():  # most names, and much cheaper: nothing to decompose
        return " ".join(text.lower().split())
    return _fold_unicode(text)


@functools.lru_cache(maxsize=4096)
def _fold_unicode(text: str) -> str:
    import unicodedata  # (here: an ASCII name, most of them, never loads it)

    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    # Letters that do not decompose into a base letter and a mark.
    stripped = stripped.translate(_NO_DECOMPOSITION)
    return " ".join(stripped.casefold().split())


_NO_DECOMPOSITION = str.maketrans(
    {
        "ø": "o",
        "Ø": "O",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ß": "ss",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ð": "d",
        "Ð": "D",
        "þ": "th",
        "Þ": "TH",
        "ı": "i",
    }
)


# Typography that differs between sources for the same name: curly and straight
# apostrophes, the hyphens and dashes of word processors and phones.
_TYPOGRAPHY = str.maketrans(
    {
        "\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u00b4": "'", "`": "'",
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
        "\u2212": "-", "\u00ad": None,
    }
)  # fmt: skip
_BRACKETED = lazy(r"\s*[(\[{][^)\]}]*[)\]}]", namespace=globals(), name="_BRACKETED")
# What LinkedIn members put after their name, after a comma: credentials (CFP, MBA, PhD:
# more capitals than small letters) and suffixes.
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "phd", "ph.d", "md", "esq"})


def _is_credential(part: str) -> bool:
    words = part.split()
    for word in words:
        upper = sum(ch.isupper() for ch in word)
        lower = sum(ch.islower() for ch in word)
        if word.casefold().rstrip(".") not in _SUFFIXES and not (upper >= 2 and upper >= lower):
            return False
    return bool(words)


def plain_name(name: str) -> str:
    """A name without what sources decorate it with, case kept: emoji and symbols (®, ™),
    parenthesised notes and pronouns (``(he/him)``), credentials after a comma
    (``Sandvig, CFP®, AAMS™`` -> ``Sandvig``); the name itself when nothing is left."""
    import unicodedata

    text = "".join(
        ch
        for ch in name
        if unicodedata.category(ch) not in ("So", "Sk", "Cs", "Co", "Cf")
        and not 0xFE00 <= ord(ch) <= 0xFE0F
    )
    text = _BRACKETED.sub("", text)
    head, *rest = [p.strip() for p in text.split(",")]
    if rest and (len(head.split()) >= 2 or all(_is_credential(p) or not p for p in rest)):
        text = head
    text = " ".join(text.split()).strip(" -|/")
    return text or " ".join(name.split())


def match_key(name: str) -> str:
    """``fold`` of a name as sources write it: typography (curly apostrophes, dashes) and
    decorations (``plain_name``) do not count, so ``Siobhán O’Neil (she/her)`` matches
    ``Siobhan O'Neil``."""
    if name.isascii() and "(" not in name and "," not in name and "`" not in name:
        return fold(name)  # most names: nothing to strip
    return fold(plain_name(name.translate(_TYPOGRAPHY)))


class Candidate(NamedTuple):
    """One contact as name resolution sees it."""

    path: str
    name: str
    keys: tuple[str, ...]  # folded name, aliases and file stem


class Resolution(NamedTuple):
    """The outcome of resolving a typed name: one match, several, or none with suggestions."""

    matches: tuple[Candidate, ...]
    suggestions: tuple[str, ...] = ()


def resolve(query: str, candidates: Sequence[Candidate]) -> Resolution:
    """The note's vault-relative path, else the exact (folded) name, alias or file name, else a
    unique word-prefix match."""
    path = query.strip().replace("\\", "/")
    by_path = [c for c in candidates if path in (c.path, c.path.removesuffix(".md"))]
    if by_path:
        # The one way to reach a contact whose name another contact uses as an alias.
        return Resolution(tuple(_unique(by_path)))
    wanted = fold(query)
    exact = _unique(c for c in candidates if wanted in c.keys)
    if exact:
        return Resolution(tuple(exact))
    words = wanted.split()
    partial = _unique(
        c for c in candidates if words and any(_prefix_match(words, k) for k in c.keys)
    )
    if partial:
        return Resolution(tuple(partial))
    return Resolution((), _suggest(wanted, candidates))


def _suggest(wanted: str, candidates: Sequence[Candidate], most: int = 3) -> tuple[str, ...]:
    """Names close to a mistyped one, comparing whole keys and single words ("Helne" ~ "Helen")."""
    import difflib  # (only a name that matched nobody pays for loading it)

    scored: dict[str, float] = {}
    matcher = difflib.SequenceMatcher(b=wanted)
    for c in candidates:
        best = 0.0
        for key in c.keys:
            for part in (key, *key.split()):
                matcher.set_seq1(part)
                if matcher.real_quick_ratio() >= 0.6 and matcher.quick_ratio() >= 0.6:
                    best = max(best, matcher.ratio())
        if best >= 0.6:
            scored[c.name] = max(best, scored.get(c.name, 0.0))
    ranked = sorted(scored, key=lambda name: (-scored[name], fold(name)))
    return tuple(ranked[:most])


def _prefix_match(words: list[str], key: str) -> bool:
    """Every typed word starts a word of ``key``, in order: "ali sm" finds "alice smith"."""
    key_words = key.split()
    i = 0
    for kw in key_words:
        if i < len(words) and kw.startswith(words[i]):
            i += 1
    return i == len(words)


def _unique(items: Iterable[Candidate]) -> list[Candidate]:
    seen: dict[str, Candidate] = {}
    for c in items:
        seen.setdefault(c.path, c)
    return sorted(seen.values(), key=lambda c: (fold(c.name), c.path))
