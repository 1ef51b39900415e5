"""A feed with a few contacts changed is spliced into the feed kept (``app.feed``): the
changed contacts' old events cut out, their new ones put in place. It must give the bytes
of the feed rendered whole, whatever changed: a date, a name (the contact moves in the
feed), a namesake (UIDs change), a contact added first or last, one gone, one with no
event left."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from helpers import make_vault
from test_calendar import drop_plan, feed, save_in

from vaultnet.app import feed as feed_mod


def person(name: str, day: str) -> str:
    return f"---\nname: {name}\nbirthday: {day}\n---\n"


NAMES = ["Ada Berg", "Bo Chen", "Cy Diaz", "Di Egan", "Ed Fox", "Flo Gray", "Gus Hale", "Ivy Ito"]


def test_a_spliced_feed_is_the_feed_rendered_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wholes: list[int] = []
    real = feed_mod._Planned._assembled

    def spy(self: Any, *args: Any) -> bytes:
        wholes.append(1)
        return real(self, *args)

    monkeypatch.setattr(feed_mod._Planned, "_assembled", spy)
    files = {
        f"People/{n}.md": person(n, f"1980-0{i % 9 + 1}-1{i % 9}") for i, n in enumerate(NAMES)
    }
    planned = make_vault(tmp_path / "a", files)
    whole = make_vault(tmp_path / "b", files)
    assert feed(planned) == feed(whole)
    rng = random.Random(7)
    steps: list[dict[str, str | None]] = [
        {"People/Aa First.md": person("Aa First", "1970-01-01")},  # before everyone
        {"People/Zz Last.md": person("Zz Last", "1970-01-02")},  # after everyone
        {"People/Bo Chen.md": person("Ed Fox", "1981-03-03")},  # a namesake, moved
        {"People/Cy Diaz.md": "---\nname: Cy Diaz\n---\n"},  # no event left
        {"People/Di Egan.md": None, "People/Gus Hale.md": person("Gus Hale", "1990-12-12")},
        {"People/Cy Diaz.md": person("Cy Diaz", "1985-05-05")},  # events again
    ]
    for _ in range(12):  # and random ones, a few at a time
        step: dict[str, str | None] = {}
        for _ in range(rng.randint(1, 3)):
            name = rng.choice([*NAMES, "Hal New", "Bo Chen"])
            rel = f"People/{rng.choice(NAMES)}.md" if rng.random() < 0.7 else f"People/{name} 2.md"
            day = f"19{rng.randint(50, 99)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            step[rel] = None if rng.random() < 0.15 else person(name, day)
        steps.append(step)
    for step in steps:
        for rel, text in step.items():
            save_in((planned, whole), rel, text, missing_ok=True)
        drop_plan(whole)
        wholes.clear()
        got = feed(planned)
        assert got == feed(whole), step
        assert wholes == [], step  # spliced, not assembled
