"""The .ics feed: checked with two independent parsers over ten years of occurrences."""

from __future__ import annotations

import calendar as stdcal
import os
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import icalendar
import pytest
import recurring_ical_events
import vobject
from click.testing import CliRunner, Result
from helpers import make_vault

from vaultnet.cli import main

TODAY = "2026-11-25"
FIRST, LAST = date(2026, 1, 1), date(2035, 12, 31)  # ten whole years

ADA = """---
name: Ada Leap
kind: colleague
company: Lumen Labs
email: ada@lumen.example
phone: "+49 30 5550 0001"
birthday: 1992-02-29
work_anniversary: 2021-09-06
---
Ada keeps the SECRET-NOTE-TEXT here.

## Log
- 2026-11-01 SECRET-LOG-TEXT over coffee
- [ ] Send Ada the slides 📅 2026-12-03
- [ ] Ask Ada about the offsite
- [x] Done already 📅 2026-11-01
"""

BO = """---
name: Bo Noyear
birthday: "--07-14"
work_anniversary: "--03-01"
dates:
  leap_day: "--02-29"
  wedding: 2019-06-15
  kid_birthday: 2030-05-05
---
"""

FAY = """---
name: "Fay O'Neil, Jr.; the Third of Her Name, Keeper of Very Long Calendar Summaries"
birthday: 1985-12-31
---
"""

CY = """---
name: Cy Private
private: true
birthday: 1980-01-01
email: cy@private.example
---
- [ ] Call Cy back 📅 2026-12-05
"""

DI = """---
name: Di Archived
archived: true
birthday: 1981-02-02
---
"""

ED = """---
name: Ed Gone
deceased: 2020-01-01
birthday: 1950-03-03
---
"""

MEETING = """# Sync

- [ ] Send [[Ada Leap|Ada]] and [[Bo Noyear]] the notes, please 📅 2026-12-01
- [ ] Ask [[Cy Private]] and [[Ada Leap]] about the budget 📅 2026-12-02
- [ ] Ask [[Di Archived]] for the old contract 📅 2026-12-04
- [ ] No due date for [[Bo Noyear]]
"""

DAILY = "# A day\n\nNothing about anyone.\n"

VAULT = {
    "People/Ada Leap.md": ADA,
    "People/Bo Noyear.md": BO,
    "People/Fay.md": FAY,
    "People/Cy Private.md": CY,
    "People/Di Archived.md": DI,
    "People/Ed Gone.md": ED,
    "Meetings/2026-11-12 Sync.md": MEETING,
    "Daily/2026-11-20.md": DAILY,
}


# -- helpers ---------------------------------------------------------------------------


def run(vault: Path, *args: str, today: str = TODAY) -> Result:
    return CliRunner().invoke(main, ["--vault", str(vault), "--today", today, *args])


def feed(vault: Path, *args: str, today: str = TODAY) -> bytes:
    result = run(vault, "ics", *args, today=today)
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


def touch_later(path: Path) -> None:
    """Give an edited file a different mtime, whatever the filesystem's resolution."""
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))


def save_in(vaults: tuple[Path, ...], rel: str, text: str | None, missing_ok: bool = False) -> None:
    """The same edit in each vault: ``rel`` written (a rewrite gets a later mtime) or, for
    None, deleted (``missing_ok``: it may be gone already)."""
    for v in vaults:
        if text is None:
            (v / rel).unlink(missing_ok=missing_ok)
            continue
        (v / rel).parent.mkdir(parents=True, exist_ok=True)
        existed = (v / rel).exists()
        (v / rel).write_text(text, encoding="utf-8")
        if existed:
            touch_later(v / rel)


def occurrences(data: bytes) -> dict[str, list[date]]:
    """summary -> every start date in the ten years, expanded by recurring-ical-events."""
    cal = icalendar.Calendar.from_ical(data)
    out: dict[str, list[date]] = {}
    for event in recurring_ical_events.of(cal).between(FIRST, date(LAST.year + 1, 1, 1)):
        start = event["DTSTART"].dt
        assert type(start) is date, "all-day events only"
        assert event["DTEND"].dt == date.fromordinal(start.toordinal() + 1)
        out.setdefault(str(event["SUMMARY"]), []).append(start)
    return {k: sorted(v) for k, v in out.items()}


def vobject_occurrences(data: bytes) -> dict[str, list[date]]:
    """The same, parsed and expanded by vobject (dateutil), which shares no code with icalendar."""
    cal = vobject.readOne(data.decode("utf-8"))
    out: dict[str, list[date]] = {}
    for event in cal.vevent_list:
        starts = event.getrruleset(addRDate=True).between(
            datetime(FIRST.year, 1, 1), datetime(LAST.year, 12, 31), inc=True
        )
        if starts:
            out[event.summary.value] = sorted(d.date() for d in starts)
    return out


def yearly(month: int, day: int, since: int = FIRST.year) -> list[date]:
    """What a yearly date must give in each of the ten years: Feb 29 is Feb 28 in common years."""
    out = []
    for year in range(max(since, FIRST.year), LAST.year + 1):
        if (month, day) == (2, 29) and not stdcal.isleap(year):
            out.append(date(year, 2, 28))
        else:
            out.append(date(year, month, day))
    return out


def uids(data: bytes) -> dict[str, str]:
    cal = icalendar.Calendar.from_ical(data)
    return {str(e["SUMMARY"]): str(e["UID"]) for e in cal.walk("VEVENT")}


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    return make_vault(tmp_path, VAULT)


# -- occurrences -----------------------------------------------------------------------

FAY_SUMMARY = (
    "Fay O'Neil, Jr.; the Third of Her Name, Keeper of Very Long Calendar Summaries: "
    "birthday (born 1985)"
)
EXPECTED = {
    "Ada Leap: birthday (born 1992)": yearly(2, 29),
    "Ada Leap: work anniversary at Lumen Labs (since 2021)": yearly(9, 6),
    "Bo Noyear: birthday": yearly(7, 14),
    "Bo Noyear: work anniversary": yearly(3, 1),
    "Bo Noyear: leap day": yearly(2, 29),
    "Bo Noyear: wedding (2019)": yearly(6, 15),
    "Bo Noyear: kid birthday (2030)": yearly(5, 5, since=2030),
    FAY_SUMMARY: yearly(12, 31),
}


def test_every_occurrence_over_ten_years(vault: Path) -> None:
    data = feed(vault)
    assert occurrences(data) == EXPECTED
    assert vobject_occurrences(data) == EXPECTED


def test_leap_day_rule_and_base_year(vault: Path) -> None:
    cal = vobject.readOne(feed(vault).decode())
    by_summary = {e.summary.value: e for e in cal.vevent_list}
    ada = by_summary["Ada Leap: birthday (born 1992)"]
    assert ada.dtstart.value == date(1992, 2, 29)
    assert ada.dtend.value == date(1992, 3, 1)
    rule = dict(part.split("=") for part in ada.rrule.value.split(";"))
    assert rule == {"FREQ": "YEARLY", "BYMONTH": "2", "BYMONTHDAY": "-1"}
    # A Feb 29 without a year starts in a leap year, never on a day that does not exist.
    leap = by_summary["Bo Noyear: leap day"]
    assert stdcal.isleap(leap.dtstart.value.year)
    assert (leap.dtstart.value.month, leap.dtstart.value.day) == (2, 29)
    assert by_summary["Bo Noyear: wedding (2019)"].rrule.value == "FREQ=YEARLY"
    assert by_summary["Bo Noyear: wedding (2019)"].dtstart.value == date(2019, 6, 15)


def test_every_event_has_what_clients_need(vault: Path) -> None:
    cal = vobject.readOne(feed(vault).decode())
    events = cal.vevent_list
    assert len(events) == len(EXPECTED)
    for e in events:
        assert e.uid.value.endswith("@vaultnet")
        assert isinstance(e.dtstamp.value, datetime) and e.dtstamp.value.tzinfo is not None
        assert type(e.dtstart.value) is date and e.dtstart.params["VALUE"] == ["DATE"]
        assert type(e.dtend.value) is date
        assert e.transp.value == "TRANSPARENT"
        assert e.rrule.value.startswith("FREQ=YEARLY")
        assert not hasattr(e, "valarm")
    categories = {e.summary.value: e.categories.value for e in events}
    assert categories["Ada Leap: birthday (born 1992)"] == ["Birthday"]
    assert categories["Ada Leap: work anniversary at Lumen Labs (since 2021)"] == ["Anniversary"]
    assert categories["Bo Noyear: kid birthday (2030)"] == ["Kid birthday"]
    assert len({e.uid.value for e in events}) == len(events)


def test_calendar_properties_and_wire_format(vault: Path) -> None:
    data = feed(vault)
    assert data.startswith(b"BEGIN:VCALENDAR\r\n") and data.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")
    for line in data.split(b"\r\n"):
        assert len(line) <= 75
    unfolded = data.replace(b"\r\n ", b"").decode()
    lines = unfolded.split("\r\n")
    for wanted in (
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        "NAME:vaultnet: birthdays & anniversaries",
        "X-WR-CALNAME:vaultnet: birthdays & anniversaries",
        "REFRESH-INTERVAL;VALUE=DURATION:PT12H",
        "X-PUBLISHED-TTL:PT12H",
    ):
        assert wanted in lines
    assert any(line.startswith("PRODID:") for line in lines)
    assert "METHOD" not in unfolded  # DTSTAMP means "last revised" only without METHOD
    # Commas and semicolons in text are escaped, and the long summary was folded.
    escaped = FAY_SUMMARY.replace(",", "\\,").replace(";", "\\;")
    assert "SUMMARY:" + escaped in lines
    assert b"SUMMARY:Fay" in data and FAY_SUMMARY.encode() not in data


def test_privacy(vault: Path) -> None:
    data = feed(vault, "--include", "birthdays,anniversaries,dates,tasks").decode()
    unfolded = data.replace("\r\n ", "")
    for absent in ("Cy Private", "Di Archived", "Ed Gone", ".example", "5550", "SECRET", "budget"):
        assert absent not in unfolded
    assert "old contract" not in unfolded  # a task of an archived contact


# -- determinism and UIDs ---------------------------------------------------------------


def test_byte_identical_whatever_the_day(vault: Path) -> None:
    first = feed(vault)
    assert feed(vault) == first
    assert feed(vault, today="1999-01-01") == first
    assert feed(vault, today="2042-02-28") == first


def test_uids_survive_unrelated_edits_and_renames(vault: Path) -> None:
    before = feed(vault)
    daily = vault / "Daily/2026-11-20.md"
    daily.write_text(DAILY + "\nMore words about [[Ada Leap]].\n", encoding="utf-8")
    touch_later(daily)
    (vault / "People/Gus New.md").write_text("---\nbirthday: 1999-09-09\n---\n", encoding="utf-8")
    after = feed(vault)
    assert {k: v for k, v in uids(after).items() if not k.startswith("Gus")} == uids(before)

    # Moving the note or editing fields the feed does not show changes nothing at all.
    (vault / "People/Bo Noyear.md").rename(vault / "People/Bo.md")
    ada = vault / "People/Ada Leap.md"
    ada.write_text(ADA.replace("ada@lumen.example", "ada@new.example"), encoding="utf-8")
    touch_later(ada)
    assert feed(vault) == after

    # A new date keeps the UID; its DTSTAMP says the event was revised.
    ada.write_text(ADA.replace("1992-02-29", "1992-03-01"), encoding="utf-8")
    touch_later(ada)
    moved = feed(vault)
    old_uid = uids(after)["Ada Leap: birthday (born 1992)"]
    assert uids(moved)["Ada Leap: birthday (born 1992)"] == old_uid
    assert stamp(moved, old_uid) != stamp(after, old_uid)


def stamp(data: bytes, uid: str) -> datetime:
    cal = icalendar.Calendar.from_ical(data)
    stamps = [e["DTSTAMP"].dt for e in cal.walk("VEVENT") if str(e["UID"]) == uid]
    assert len(stamps) == 1
    return stamps[0]  # type: ignore[return-value]


def test_namesakes_get_distinct_uids(tmp_path: Path) -> None:
    vault = make_vault(
        tmp_path,
        {
            "People/Berlin/Sam Lee.md": "---\nbirthday: 1990-01-01\n---\n",
            "People/Lisbon/Sam Lee.md": "---\nbirthday: 1991-01-01\n---\n",
        },
    )
    cal = icalendar.Calendar.from_ical(feed(vault))
    assert len({str(e["UID"]) for e in cal.walk("VEVENT")}) == 2


# -- options and config ------------------------------------------------------------------


def test_alarm_option(vault: Path) -> None:
    cal = vobject.readOne(feed(vault, "--alarm", "1d").decode())
    for e in cal.vevent_list:
        alarm = e.valarm
        assert alarm.action.value == "DISPLAY"
        assert alarm.trigger.value.days == -1 and alarm.trigger.value.seconds == 0
        assert alarm.description.value == e.summary.value
    week = feed(vault, "--alarm", "1w").decode()
    assert "TRIGGER:-P7D" in week


def test_tasks_are_single_events_naming_every_contact(vault: Path) -> None:
    data = feed(vault, "--include", "tasks")
    cal = vobject.readOne(data.decode())
    tasks = {e.summary.value: e for e in cal.vevent_list}
    assert set(tasks) == {
        "Ada Leap, Bo Noyear: Send Ada and Bo Noyear the notes, please",
        "Ada Leap: Send Ada the slides",
    }
    notes = tasks["Ada Leap, Bo Noyear: Send Ada and Bo Noyear the notes, please"]
    assert notes.dtstart.value == date(2026, 12, 1)
    assert notes.dtend.value == date(2026, 12, 2)
    assert not hasattr(notes, "rrule")
    assert notes.categories.value == ["Task"]
    assert occurrences(data)["Ada Leap: Send Ada the slides"] == [date(2026, 12, 3)]


def test_config_sets_name_alarm_and_include(vault: Path) -> None:
    (vault / ".vaultnet").mkdir()
    (vault / ".vaultnet/config.toml").write_text(
        '[calendar]\nname = "Friends, family; & more"\nalarm = "2d"\n'
        'include = ["birthdays", "tasks"]\n',
        encoding="utf-8",
    )
    data = feed(vault)
    lines = data.replace(b"\r\n ", b"").decode().split("\r\n")
    assert "NAME:Friends\\, family\\; & more" in lines
    assert "X-WR-CALNAME:Friends\\, family\\; & more" in lines
    assert "TRIGGER:-P2D" in lines
    summaries = set(occurrences(data))
    assert "Ada Leap: Send Ada the slides" in summaries
    assert "Bo Noyear: birthday" in summaries
    assert not any("anniversary" in s or "wedding" in s for s in summaries)
    # The command line wins over the config.
    assert b"VALARM" not in feed(vault, "--alarm", "none")
    assert b"wedding" in feed(vault, "--include", "dates")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--include", "birthdays,parties"], "--include: unknown 'parties'"),
        (["--include", ","], "--include: choose at least one"),
        (["--alarm", "soon"], "--alarm: 'soon' is not a duration"),
        (["--alarm", "-1d"], "--alarm:"),
    ],
)
def test_bad_options_are_one_line_errors(vault: Path, args: list[str], message: str) -> None:
    result = run(vault, "ics", *args)
    assert result.exit_code == 2
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert isinstance(result.exception, SystemExit)  # a clean exit, not a crash


def test_bad_config_include(vault: Path) -> None:
    (vault / ".vaultnet").mkdir()
    (vault / ".vaultnet/config.toml").write_text(
        '[calendar]\ninclude = ["birthdays", "holidays"]\n', encoding="utf-8"
    )
    result = run(vault, "ics")
    assert result.exit_code == 2
    assert "config.toml: calendar.include: unknown 'holidays'" in result.output


def test_out_writes_only_on_change(vault: Path, tmp_path: Path) -> None:
    out = tmp_path / "feed" / "people.ics"
    first = run(vault, "ics", "--out", str(out))
    assert first.exit_code == 0, first.output
    assert "Wrote" in first.output and "8 events" in first.output
    assert out.read_bytes() == feed(vault)
    os.utime(out, ns=(1_000_000_000, 1_000_000_000))
    second = run(vault, "ics", "--out", str(out))
    assert second.exit_code == 0
    assert "is up to date" in second.output
    assert out.stat().st_mtime_ns == 1_000_000_000


def test_out_to_an_unwritable_place(vault: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run(vault, "ics", "--out", str(blocker / "feed.ics"))
    assert result.exit_code == 1
    assert "cannot write the feed" in result.output


def test_empty_vault_gives_a_valid_calendar(tmp_path: Path) -> None:
    vault = tmp_path / "empty"
    vault.mkdir()
    cal = icalendar.Calendar.from_ical(feed(vault))
    assert cal.walk("VEVENT") == []


def test_example_vault_feed_parses(tmp_path: Path) -> None:
    import shutil

    example = Path(__file__).resolve().parent.parent / "example-vault"
    vault = tmp_path / "example"
    shutil.copytree(example, vault, ignore=shutil.ignore_patterns("cache"))
    data = feed(vault, "--include", "birthdays,anniversaries,dates,tasks")
    by_summary = occurrences(data)
    assert by_summary["Amara Nwosu: birthday (born 1992)"] == yearly(2, 29)
    assert "Camille Laurent" not in data.decode()  # private
    assert len(vobject.readOne(data.decode()).vevent_list) > 20


def test_starting_the_cli_does_not_import_icalendar() -> None:
    code = "import sys, vaultnet.cli, vaultnet.cli.calendar; print('icalendar' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_commands_have_help(vault: Path) -> None:
    for command in ("ics", "serve"):
        result = run(vault, command, "--help")
        assert result.exit_code == 0
        assert "calendar" in result.output.lower()


def test_stored_events_give_the_same_bytes_and_only_changes_are_rendered(
    vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each event is rendered once and kept in the index; the feed assembled from stored
    events is byte for byte what rendering everything gives."""
    from vaultnet.core import ics as vcal
    from vaultnet.store.index import Index
    from vaultnet.vault.config import load_config

    first = feed(vault, "--alarm", "2d")
    rendered: list[str] = []
    real_event = vcal._event

    def spy(item: vcal.Occasion, uid: str, *alarm: int | None) -> object:
        rendered.append(item.summary)
        return real_event(item, uid, *alarm)

    monkeypatch.setattr(vcal, "_event", spy)
    assert feed(vault, "--alarm", "2d") == first
    assert rendered == []  # nothing changed: every event came from the index
    touch_later(vault / "People/Bo Noyear.md")
    (vault / "People/Bo Noyear.md").write_text(BO.replace("Noyear", "Newname"), encoding="utf-8")
    changed = feed(vault, "--alarm", "2d")
    assert rendered and all(s.startswith("Bo Newname") for s in rendered)
    # The same bytes as a render from nothing, with no stored events at all.
    config = load_config(vault)
    index = Index(vault, config)
    try:
        from vaultnet.store.contacts import load_contacts

        items = vcal.occasions(
            load_contacts(index, config, date(2026, 11, 25)), vcal.DEFAULT_INCLUDE
        )
        assert vcal.render_feed(items, 2, vcal.FeedSettings().name) == changed
        # What no feed uses any more is forgotten once it outgrows the feed.
        stored = index.db.execute("SELECT count(*) FROM feed_events").fetchone()[0]
        assert stored <= 2 * (len(items) + 1) + 64
    finally:
        index.close()
    monkeypatch.undo()
    assert icalendar.Calendar.from_ical(changed).walk("VEVENT")


def test_the_whole_feed_is_kept_until_a_contact_changes(
    vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Saves that touch no contact (and no task, when tasks are in the feed) cost no
    rebuilding: the feed kept in the index is served as is."""
    from vaultnet.store import contacts as contacts_mod

    loads: list[int] = []
    real_load = contacts_mod.load_contacts

    def spy(*args: object, **kwargs: object) -> object:
        loads.append(1)
        return real_load(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(contacts_mod, "load_contacts", spy)
    first = feed(vault)
    assert loads == [1]
    touch_later(vault / "Daily/2026-11-20.md")
    (vault / "Daily/2026-11-20.md").write_text(DAILY + "More.\n", encoding="utf-8")
    assert feed(vault) == first and loads == [1]
    # With tasks in the feed, a note's tasks count too.
    with_tasks = feed(vault, "--include", "birthdays,tasks")
    (vault / "Daily/2026-11-20.md").write_text(
        DAILY + "- [ ] Call [[Ada Leap]] 📅 2026-12-02\n", encoding="utf-8"
    )
    touch_later(vault / "Daily/2026-11-20.md")
    changed = feed(vault, "--include", "birthdays,tasks")
    assert changed != with_tasks and b"Call Ada Leap" in changed.replace(b"\r\n ", b"")
    # A contact's change shows at once.
    loads.clear()
    touch_later(vault / "People/Bo Noyear.md")
    (vault / "People/Bo Noyear.md").write_text(BO.replace("--07-14", "--07-16"), encoding="utf-8")
    after = feed(vault)
    assert loads == [1] and after != first and b"DTSTART;VALUE=DATE:19720716" in after


def test_a_live_feed_loads_only_the_contacts_that_changed(
    vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The watcher's and the server's feed: after a save, only the saved contact is loaded
    again, and the feed is what rendering the whole vault from nothing gives."""
    from vaultnet.app.feed import LiveFeed
    from vaultnet.core import ics as vcal
    from vaultnet.store import contacts as contacts_mod
    from vaultnet.store.index import Index
    from vaultnet.vault.config import load_config

    asked: list[object] = []
    real_load = contacts_mod.load_contacts

    def spy(*args: Any, **kwargs: Any) -> Any:
        asked.append(kwargs.get("paths"))
        return real_load(*args, **kwargs)

    monkeypatch.setattr(contacts_mod, "load_contacts", spy)
    config = load_config(vault)
    settings = vcal.FeedSettings(alarm_days=1)
    live = LiveFeed(config, settings)
    index = Index(vault, config)

    def from_nothing() -> bytes:
        people = real_load(index, config, date(2026, 11, 25))
        return vcal.render_feed(vcal.occasions(people, settings.include), 1, settings.name)

    try:
        index.update()
        assert live.render(index, date(2026, 11, 25)) == from_nothing()
        assert asked == [None]  # the first time: everyone
        for text in (BO.replace("--07-14", "--07-15"), BO.replace("Noyear", "Aardvark")):
            touch_later(vault / "People/Bo Noyear.md")
            (vault / "People/Bo Noyear.md").write_text(text, encoding="utf-8")
            index.update()
            assert live.render(index, date(2026, 11, 25)) == from_nothing()
            assert asked[-1] == ["People/Bo Noyear.md"]
        (vault / "People/Bo Noyear.md").unlink()
        (vault / "People/Zed New.md").write_text(
            "---\nbirthday: 1980-05-05\nprivate: false\n---\n", encoding="utf-8"
        )
        index.update()
        body = live.render(index, date(2026, 11, 25))
        assert body == from_nothing() and b"Zed New" in body and b"Bo " not in body
        assert asked[-1] == ["People/Zed New.md"]
    finally:
        index.close()


def test_alarm_at_a_time_of_day(vault: Path) -> None:
    """All-day events' reminders fire at midnight; 1d@09:00 fires at nine the day before."""
    day_before = feed(vault, "--alarm", "1d@09:00").decode()
    assert "TRIGGER:-PT15H" in day_before and "TRIGGER:-P1D" not in day_before
    cal = vobject.readOne(day_before)
    for e in cal.vevent_list:
        assert e.valarm.trigger.value == timedelta(hours=-15)
    assert "TRIGGER:PT8H30M" in feed(vault, "--alarm", "0@08:30").decode()
    assert "TRIGGER:-P6DT6H" in feed(vault, "--alarm", "1w@18:00").decode()
    # At midnight is what a reminder without a time does.
    assert feed(vault, "--alarm", "1d@00:00") == feed(vault, "--alarm", "1d")
    assert "TRIGGER:-P1D" in feed(vault, "--alarm", "1d").decode()


@pytest.mark.parametrize(
    ("value", "message"),
    [("1d@25:00", "is not a time of day"), ("none@09:00", "no time of day"), ("1d@9", "")],
)
def test_alarm_at_refuses_what_is_no_time(vault: Path, value: str, message: str) -> None:
    result = run(vault, "ics", "--alarm", value)
    assert result.exit_code == 2
    assert result.stderr.startswith("vaultnet: error: --alarm:") and message in result.stderr


def test_config_alarm_at_a_time_of_day(vault: Path) -> None:
    (vault / ".vaultnet").mkdir(exist_ok=True)
    (vault / ".vaultnet/config.toml").write_text('[calendar]\nalarm = "2d@07:45"\n')
    assert "TRIGGER:-P1DT16H15M" in feed(vault).decode()
    (vault / ".vaultnet/config.toml").write_text('[calendar]\nalarm = "2d@7"\n')
    result = run(vault, "ics")
    assert result.exit_code != 0 and "calendar.alarm" in result.stderr


def test_the_first_of_a_name_keeps_its_uid_when_a_namesake_appears(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {"People/Lisbon/Sam Lee.md": "---\nbirthday: 1991-01-01\n---\n"})
    before = icalendar.Calendar.from_ical(feed(vault))
    (first,) = [str(e["UID"]) for e in before.walk("VEVENT")]
    # The namesake's path sorts first: it must not take the plain UID.
    (vault / "People/Berlin").mkdir()
    (vault / "People/Berlin/Sam Lee.md").write_text("---\nbirthday: 1990-01-01\n---\n")
    after = icalendar.Calendar.from_ical(feed(vault))
    by_day = {e["DTSTART"].dt.year: str(e["UID"]) for e in after.walk("VEVENT")}
    assert by_day[1991] == first and by_day[1990] != first
    # And once the first one is gone, the namesake may have it.
    (vault / "People/Lisbon/Sam Lee.md").unlink()
    alone = icalendar.Calendar.from_ical(feed(vault))
    assert [str(e["UID"]) for e in alone.walk("VEVENT")] == [first]


def drop_plan(vault: Path) -> None:
    """Forget the feed's plan (and only it): the next feed is rendered whole."""
    import sqlite3

    (path,) = (vault / ".vaultnet/cache").glob("*.sqlite")
    with sqlite3.connect(path) as db:
        db.execute("DELETE FROM feed_events WHERE key LIKE 'plan:%'")
    db.close()


SAM = "---\nname: Sam Lee\nbirthday: {}\n---\n"


def test_a_feed_from_its_plan_is_the_feed_rendered_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After each kind of change, ``ics`` (which loads only the contacts that changed and
    their namesakes) gives the bytes the whole vault rendered again gives, on a twin vault
    that went through the same changes with its plan dropped before every run."""
    from vaultnet.store import contacts as contacts_mod

    asked: list[object] = []
    real_load = contacts_mod.load_contacts

    def spy(*args: Any, **kwargs: Any) -> Any:
        asked.append(kwargs.get("paths"))
        return real_load(*args, **kwargs)

    monkeypatch.setattr(contacts_mod, "load_contacts", spy)
    files = {**VAULT, "People/Lisbon/Sam Lee.md": SAM.format("1991-01-01")}
    planned = make_vault(tmp_path / "a", files)
    whole = make_vault(tmp_path / "b", files)
    bo, ada, lisbon, berlin = (
        f"People/{n}.md" for n in ("Bo Noyear", "Ada Leap", "Lisbon/Sam Lee", "Berlin/Sam Lee")
    )
    # What changes, how, and which contacts the feed loads for it (namesakes too).
    steps: list[tuple[str, str | None, set[str]]] = [
        # A log entry: the note keeps its id and its row (store.keptrows), nothing is loaded.
        (bo, BO + "\n## Log\n- 2026-11-20 a call\n", set()),
        (bo, BO.replace("--07-14", "--07-15"), {bo}),
        (berlin, SAM.format("1990-01-01"), {berlin, lisbon}),  # a namesake, sorted first
        (ada, ADA.replace("Ada Leap", "Sam Lee"), {ada, berlin, lisbon}),  # and another
        (lisbon, None, {ada, berlin}),  # the first of the name goes
        (bo, BO.replace("name: Bo Noyear", "name: Bo Noyear\nprivate: true"), {bo}),
        ("People/Zed New.md", "---\nbirthday: 1980-05-05\n---\n", {"People/Zed New.md"}),
        ("People/Fay.md", None, set()),
        (ada, ADA.replace("1992-02-29", "9999-12-31"), {ada, berlin}),  # left out
    ]
    assert feed(planned) == feed(whole)
    for rel, text, loads in steps:
        save_in((planned, whole), rel, text)
        drop_plan(whole)
        asked.clear()
        got = feed(planned)
        assert None not in asked, rel  # never the whole vault
        assert {p for paths in asked for p in paths} == loads, rel  # type: ignore[attr-defined]
        assert got == feed(whole), rel


def test_a_feed_whose_bytes_stay_is_not_written_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A change that changes no event (a log line) keeps the feed's bytes as they are in
    the index; one that does (a birthday, a contact gone or no longer a person, a new
    one) writes the feed anew. Every time, the bytes are those of the feed rendered whole
    (a twin vault through the same changes, its plan dropped before every run)."""
    from vaultnet.store.feedcache import FeedCache

    written: list[bool] = []
    real_store = FeedCache.store_plan

    def spy(self: FeedCache, key: str, made: tuple[str, bytes | None], *rest: Any) -> bool:
        written.append(made[1] is not None)
        return real_store(self, key, made, *rest)

    monkeypatch.setattr(FeedCache, "store_plan", spy)
    planned = make_vault(tmp_path / "a", VAULT)
    whole = make_vault(tmp_path / "b", VAULT)
    log = "\n## Log\n- 2026-11-20 a call\n"
    daily = "Daily/2026-11-21.md"
    steps: list[tuple[str, dict[str, str | None], bool]] = [
        ("a log line", {"People/Bo Noyear.md": BO + log}, False),
        ("another, and a day note", {"People/Ada Leap.md": ADA + log, daily: DAILY}, False),
        ("a day note goes with a log line", {daily: None, "People/Bo Noyear.md": BO}, False),
        ("a birthday", {"People/Bo Noyear.md": BO.replace("--07-14", "--07-15")}, True),
        (
            "no person now",
            {"People/Fay.md": FAY.replace("---\nname", "---\ntype: place\nname")},
            True,
        ),
        ("moved out of People", {"People/Ada Leap.md": None, "Notes/Ada Leap.md": ADA}, True),
        ("a new one", {"People/Gil New.md": "---\nbirthday: 1970-01-02\n---\n"}, True),
        ("one with no events goes", {"People/Di Archived.md": None}, False),
    ]
    assert feed(planned) == feed(whole)
    for what, changes, rewritten in steps:
        for rel, text in changes.items():
            save_in((planned, whole), rel, text)
        drop_plan(whole)
        written.clear()
        got = feed(planned)
        # (a note that keeps its id and its row, as with a log line, moves no contact:
        # the feed kept is the answer, its plan is not even stored again)
        assert written in (([True],) if rewritten else ([], [False])), what
        assert got == feed(whole), what
