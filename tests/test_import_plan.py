"""Import planning as pure functions: matching keys, namesakes, merges, job changes."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from vaultnet.app.importers import decode_bytes, tag_from_label
from vaultnet.app.importers.plan import Known, linkedin_key, plan, with_options
from vaultnet.core.incoming import Incoming, Parsed


def known(name: str, path: str, **kw: object) -> Known:
    from vaultnet.core.names import match_key

    return Known(
        name=name,
        label=path,
        names={match_key(name)},
        emails=set(kw.pop("emails", set())),  # type: ignore[call-overload]
        linkedin=kw.pop("linkedin", None),  # type: ignore[arg-type]
        present=set(kw.pop("present", {"name"})),  # type: ignore[call-overload]
        **kw,  # type: ignore[arg-type]
    )


def rec(name: str, where: str = "line 2", **kw: object) -> Incoming:
    return Incoming(where=where, name=name, **kw)  # type: ignore[arg-type]


def test_linkedin_key() -> None:
    assert (
        linkedin_key("https://de.linkedin.com/in/Alex-Chen/?trk=abc#x")
        == "linkedin.com/in/alex-chen"
    )
    assert linkedin_key("http://www.linkedin.com/in/alex-chen") == "linkedin.com/in/alex-chen"
    assert linkedin_key("linkedin.com/in/alex-chen/") == "linkedin.com/in/alex-chen"
    assert linkedin_key("  ") is None and linkedin_key(None) is None


def test_strongest_key_wins() -> None:
    by_name = known("Alex Chen", "People/Alex Chen.md")
    by_mail = known("A. C.", "People/AC.md", emails={"alex@x.example"})
    actions = plan([rec("Alex Chen", emails=["ALEX@x.example"])], [by_name, by_mail], False)
    assert actions[0].kind == "skip" and actions[0].path == "People/AC.md"
    assert actions[0].reason.startswith("same email as People/AC.md")


def test_accent_and_case_insensitive_names_and_ambiguity() -> None:
    one = known("Søren Ødegaard", "People/Søren.md")
    assert plan([rec("soren odegaard")], [one], False)[0].path == "People/Søren.md"
    two = known("Søren Ødegaard", "Network/Søren.md")
    action = plan([rec("Soren Odegaard")], [one, two], True)[0]
    assert action.kind == "skip" and "same name as 2 contacts" in action.reason


def test_namesakes_in_one_file_are_two_people_unless_a_key_is_shared() -> None:
    actions = plan([rec("Sam Lee", "line 2"), rec("Sam Lee", "line 3")], [], False)
    assert [a.kind for a in actions] == ["create", "create"]
    actions = plan(
        [
            rec("Sam Lee", "line 2", emails=["sam@x.example"]),
            rec("Samuel Lee", "line 3", emails=["sam@x.example"], company="Acme"),
        ],
        [],
        True,
    )
    assert [a.kind for a in actions] == ["create", "skip"]
    assert (
        actions[1].reason
        == "same email as line 2 of this file; its aliases, company added to that new contact"
    )
    assert actions[0].record.company == "Acme"
    assert actions[0].record.aliases == ["Samuel Lee"]


def test_job_change_only_when_both_sides_say_something() -> None:
    # Matched by email: a name alone is no proof of a job change (see the next test).
    note = known("Alex Chen", "People/Alex.md", company="Northwind", title="Staff Engineer",
                 emails={"alex@x.example"}, present={"name", "company", "title", "email"})  # fmt: skip
    mail = ["alex@x.example"]
    action = plan([rec("Alex Chen", company="Contoso", emails=mail)], [note], False)[0]
    assert action.kind == "skip" and action.job is not None
    # A new employer without a title: the old title does not carry over.
    assert str(action.job) == "Alex Chen: Staff Engineer at Northwind \u2192 Contoso"
    same = plan([rec("Alex Chen", company="NORTHWIND", title=None, emails=mail)], [note], True)[0]
    assert same.job is None and same.kind == "skip"
    bare = known("Alex Chen", "People/Alex.md")
    filled = plan([rec("Alex Chen", company="Contoso", title="CTO")], [bare], True)[0]
    assert filled.job is None and filled.kind == "merge" and filled.adds == ["company", "title"]


def test_a_name_only_match_elsewhere_is_a_possible_match() -> None:
    note = known("Alex Chen", "People/Alex.md", company="Northwind", title="Staff Engineer",
                 present={"name", "company", "title"})  # fmt: skip
    other = rec("Alex Chen", company="Contoso", title="Nurse")
    action = plan([other], [note], True)[0]
    assert action.kind == "skip" and action.job is None and action.adds == []
    assert action.reason.startswith(
        "possible match: same name as People/Alex.md, but Nurse at Contoso rather than"
        " Staff Engineer at Northwind; nothing changed"
    )
    trusted = plan([other], [note], True, trust_names=True)[0]
    assert trusted.kind == "merge" and trusted.job is not None
    # The same company (a promotion) or the same title is evidence enough.
    again = known("Alex Chen", "People/Alex.md", company="Northwind", title="Staff Engineer",
                  present={"name", "company", "title"})  # fmt: skip
    promoted = plan([rec("Alex Chen", company="Northwind", title="CTO")], [again], True)[0]
    assert promoted.kind == "merge" and promoted.job is not None


def test_merge_updates_what_later_rows_see() -> None:
    note = known("Alex Chen", "People/Alex.md", company="Northwind", title="Engineer",
                 present={"name", "company", "title"})  # fmt: skip
    rows = [rec("Alex Chen", company="Northwind", title="CTO"), rec("Alex Chen", title="CTO")]
    actions = plan(rows, [note], True)
    assert actions[0].kind == "merge" and actions[0].job is not None
    assert actions[1].kind == "skip" and actions[1].job is None


def test_an_older_source_does_not_change_the_job() -> None:
    note = known("Alex Chen", "People/Alex.md", company="Northwind", title="Engineer",
                 emails={"a@x.example"}, present={"name", "company", "title", "email"},
                 position_from="linkedin 2024-03-12")  # fmt: skip
    old = rec("Alex Chen", emails=["a@x.example"], company="Acme", title="Intern",
              source="vcard", as_of=date(2021, 5, 1))  # fmt: skip
    action = plan([old], [note], True)[0]
    assert action.kind == "skip" and action.job is None
    assert "older than the note's (linkedin 2024-03-12): kept the note's" in action.reason
    new = replace(old, as_of=date(2024, 3, 12))  # as recent as the note's: it may
    assert plan([new], [note], True)[0].job is not None


def test_with_options_and_tags() -> None:
    out = with_options([rec("A", tags=["linkedin"])], "colleague", ["#Conf", "LinkedIn"])
    assert out[0].kind == "colleague" and out[0].tags == ["linkedin", "Conf"]
    assert tag_from_label("Close Friends, 2024") == "Close-Friends-2024"


def test_decode_bytes() -> None:
    parsed = Parsed()
    assert decode_bytes("\ufeffZoë".encode(), parsed) == "Zoë" and not parsed.issues
    assert decode_bytes("Zoë".encode("utf-16"), parsed) == "Zoë" and not parsed.issues
    assert decode_bytes(b"Zo\xeb \x81", parsed) == "Zo\xeb \x81"
    assert [i.severity for i in parsed.issues] == ["warning"]
    assert "Latin-1" in parsed.issues[0].message
