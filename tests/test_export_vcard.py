"""`vaultnet export vcard`: vCard 4.0 for a phone's address book, and back."""

from __future__ import annotations

from pathlib import Path

import vobject
from helpers import make_vault, run_cli

from vaultnet.app.context import App
from vaultnet.render.vcard import escape, fold
from vaultnet.store.contacts import load_contacts

LONG_TITLE = (
    "Vice President of Developer Relations; Platform, Tools & Ecosystem (EMEA) — Zürich office"
)
FILES = {
    "People/Ana.md": (
        '---\nname: Ana de la Peña\naliases: [Anita, "A, P"]\nkind: friend\n'
        'company: "Peña; Hijos, S.L."\ntitle: ' + LONG_TITLE + "\n"
        'email: [ana@pena.example, ana@home.example]\nphone: ["+34 600 000 001", "+34 91 000 0002"]\n'
        "linkedin: https://www.linkedin.com/in/ana-pena\nwebsite: https://ana.example/a,b\n"
        "birthday: --02-29\ndates:\n  anniversary: 2012-05-05\n  promotion: 2020-01-01\n"
        "tags: [family, madrid/2024]\n---\n\nNotes stay in the vault.\n\n## Log\n"
    ),
    "People/Kenji.md": (
        "---\nname: 渡辺 健二 Kenji Watanabe\nemail: kenji@example.jp\nbirthday: 1985-12-24\n---\n"
    ),
    "People/Secret.md": "---\nname: Secret Person\nprivate: true\nemail: s@example.com\n---\n",
    "People/Cher.md": "---\nname: Cher\n---\n",
}


def snapshot(vault: Path) -> dict[str, dict[str, object]]:
    """What the round trip must keep, per contact name."""
    app = App(vault=vault, today=__import__("datetime").date(2026, 11, 25))
    try:
        contacts = load_contacts(app.index(), app.config, app.today)
    finally:
        app.close()
    return {
        c.name: {
            "aliases": c.aliases,
            "emails": c.emails,
            "phone": c.phone,
            "company": c.company,
            "title": c.title,
            "birthday": str(c.birthday) if c.birthday else None,
            "anniversary": str(c.dates.get("anniversary")) if c.dates.get("anniversary") else None,
            "linkedin": c.linkedin,
            "website": c.fields.get("website"),
            "tags": c.tags,
        }
        for c in contacts
        if not c.private
    }


def test_escape_and_fold() -> None:
    assert escape("a\\b,c;d\ne") == "a\\\\b\\,c\\;d\\ne"
    line = "NOTE:" + "é" * 100
    folded = fold(line)
    parts = folded.split("\r\n")
    assert parts[-1] == ""
    assert all(len(p.encode("utf-8")) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:-1])
    assert "".join(p[1:] if i else p for i, p in enumerate(parts[:-1])) == line


def test_export_is_valid_vcard_4(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, FILES)
    out = tmp_path / "out" / "contacts.vcf"
    out.parent.mkdir()  # export creates no folders (issue #15)
    result = run_cli(vault, "export", "vcard", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert f"Wrote 3 contacts to {out}" in result.stderr
    data = out.read_bytes()
    assert data.count(b"\r\n") == data.count(b"\n")  # CRLF only
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))
    assert b"Secret" not in data and b"Notes stay" not in data

    cards = list(vobject.readComponents(data.decode("utf-8")))
    assert [c.fn.value for c in cards] == ["Ana de la Peña", "Cher", "渡辺 健二 Kenji Watanabe"]
    ana = cards[0]
    assert ana.version.value == "4.0"
    assert ana.org.value == ["Peña; Hijos, S.L."]
    assert ana.title.value == LONG_TITLE
    assert [e.value for e in ana.email_list] == ["ana@pena.example", "ana@home.example"]
    assert [t.value for t in ana.tel_list] == ["+34 600 000 001", "+34 91 000 0002"]
    assert ana.bday.value == "--0229"
    assert ana.anniversary.value == "20120505"
    # The particles belong to the family name (#16: no more `de Graaff` -> `Graaff`).
    assert ana.n.value.family == "de la Peña" and ana.n.value.given == "Ana"
    assert cards[2].bday.value == "19851224"
    assert len({c.uid.value for c in cards}) == 3

    # Without --out the cards go to standard output, the same bytes.
    shown = run_cli(vault, "export", "vcard")
    assert shown.stdout_bytes == data


def test_round_trip_into_an_empty_vault(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, FILES)
    out = tmp_path / "contacts.vcf"
    assert run_cli(vault, "export", "vcard", "--out", str(out)).exit_code == 0
    empty = tmp_path / "empty"
    (empty / "People").mkdir(parents=True)
    result = run_cli(empty, "import", "vcard", str(out))
    assert result.exit_code == 0, result.output
    assert "Created 3, merged 0, skipped 0, errors 0." in result.stdout
    assert snapshot(empty) == snapshot(vault)
    # And the export of the copy is the export of the original, but for the UIDs (paths).
    out2 = tmp_path / "again.vcf"
    assert run_cli(empty, "export", "vcard", "--out", str(out2)).exit_code == 0

    def without_uid(p: Path) -> list[bytes]:
        return [x for x in p.read_bytes().split(b"\r\n") if not x.startswith(b"UID:")]

    assert without_uid(out2) == without_uid(out)


# -- everything the vault knows goes along (#16) ----------------------------------------
RICH = {
    "People/Jan.md": (
        "---\nname: Jan de Graaff\nkind: colleague\ncompany: Rijkswaterstaat\n"
        "title: Hydrologist\nposition_from: linkedin 2026-11-20\n"
        "email: [jan@rws.example, jan@home.example]\n"
        'phone: ["+31 6 1234 5678", "+31 70 000 0000", "+31 70 000 0001"]\n'
        "phone_types:\n  +31 6 1234 5678: cell\n  +31 70 000 0000: work fax\n"
        "  +31 70 000 0001: Studio\n"
        "location: Delft, Zuid-Holland, NL\nlinkedin: https://www.linkedin.com/in/jan\n"
        "birthday: --07-23\nwork_anniversary: 2019-04-01\n"
        "dates:\n  anniversary: 2012-05-05\n  Gotcha Day: --04-01\n"
        "connected_on: 2021-02-03\ntags: [water]\n---\n\n"
        "# Jan de Graaff\n\nMet at the delta works tour;\nloves eels, dislikes boats.\n\n"
        "Second paragraph stays home.\n\n## Log\n- 2026-01-02 Call.\n"
    ),
    "People/Abayomi.md": (
        "---\nname: Abayomi Sule (MBBS, MBA)\nemail: as@example.ng\n---\n\n## Log\n"
    ),
    "People/Li.md": (
        "---\nname: Li Wei\nfirst_name: Wei\nlast_name: Li\nlinkedin: urn:li:member:42\n---\n"
    ),
}


def everything(vault: Path) -> dict[str, dict[str, object]]:
    """Every field an export carries, per contact name, as the index reads it."""
    app = App(vault=vault, today=__import__("datetime").date(2026, 11, 25))
    try:
        contacts = load_contacts(app.index(), app.config, app.today)
    finally:
        app.close()
    out: dict[str, dict[str, object]] = {}
    for c in contacts:
        f = c.fields
        out[c.name] = {
            "aliases": c.aliases,
            "emails": c.emails,
            "phone": c.phone,
            "phone_types": f.get("phone_types"),
            "company": c.company,
            "title": c.title,
            "location": c.location,
            "linkedin": c.linkedin,
            "website": f.get("website"),
            "birthday": str(c.birthday) if c.birthday else None,
            "work_anniversary": str(c.work_anniversary) if c.work_anniversary else None,
            "dates": {k: str(v) for k, v in c.dates.items()},
            "connected_on": f.get("connected_on"),
            "tags": c.tags,
            "first_name": f.get("first_name"),
            "last_name": f.get("last_name"),
        }
    return out


def test_export_keeps_what_the_vault_knows(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, RICH)
    out = tmp_path / "rich.vcf"
    result = run_cli(vault, "export", "vcard", "--out", str(out), "--with-notes")
    assert result.exit_code == 0, result.output
    cards = {c.fn.value: c for c in vobject.readComponents(out.read_text(encoding="utf-8"))}
    jan = cards["Jan de Graaff"]
    assert (jan.n.value.given, jan.n.value.family) == ("Jan", "de Graaff")
    tels = [(t.value, t.params.get("TYPE")) for t in jan.tel_list]
    assert tels == [
        ("+31 6 1234 5678", ["cell"]),
        ("+31 70 000 0000", ["work", "fax"]),
        ("+31 70 000 0001", None),  # a kind vCard has no TYPE for: Apple's label
    ]
    labels = {x.group: x.value for x in jan.contents["x-ablabel"]}
    assert labels[jan.tel_list[2].group] == "Studio"
    assert jan.adr.value.city == "Delft, Zuid-Holland, NL"
    assert jan.note.value == "Met at the delta works tour;\nloves eels, dislikes boats."
    assert jan.bday.value == "--0723" and jan.anniversary.value == "20120505"
    dates = {labels[d.group]: d.value for d in jan.contents["x-abdate"]}
    assert dates == {
        "Gotcha Day": "--0401",
        "work anniversary": "20190401",
        "connected on": "20210203",
    }
    sule = cards["Abayomi Sule (MBBS, MBA)"]
    assert (sule.n.value.given, sule.n.value.family) == ("Abayomi", "Sule")
    li = cards["Li Wei"]
    assert (li.n.value.given, li.n.value.family) == ("Wei", "Li")
    assert li.contents["x-socialprofile"][0].value == "urn:li:member:42"
    assert "note" not in cards["Li Wei"].contents
    # Without --with-notes the notes stay in the vault.
    plain = run_cli(vault, "export", "vcard")
    assert "delta works" not in plain.stdout


def test_round_trip_field_by_field(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {**FILES, **RICH})
    out = tmp_path / "all.vcf"
    assert run_cli(vault, "export", "vcard", "--out", str(out), "--with-notes").exit_code == 0
    empty = tmp_path / "empty"
    (empty / "People").mkdir(parents=True)
    result = run_cli(empty, "import", "vcard", str(out))
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    before, after = everything(vault), everything(empty)
    del before["Secret Person"]  # private: never exported
    assert sorted(after) == sorted(before)
    for name, fields in before.items():
        for key, value in fields.items():
            assert after[name][key] == value, f"{name}: {key}"
    body = next((empty / "People").glob("Jan de Graaff*.md")).read_text(encoding="utf-8")
    assert "\nMet at the delta works tour;\nloves eels, dislikes boats.\n" in body
    # And importing the export again creates nothing.
    again = run_cli(empty, "import", "vcard", str(out))
    assert "Created 0," in again.stdout and again.exit_code == 0
