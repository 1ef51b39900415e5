"""`vaultnet import vcard`: .vcf files of vCard 2.1, 3.0 and 4.0."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import yaml
from helpers import make_vault, run_cli

V21 = (
    "BEGIN:VCARD\r\n"
    "VERSION:2.1\r\n"
    "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;J=C3=BCrgen;;;\r\n"
    "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:J=C3=BCrgen M=C3=BCller, Jr=2E\r\n"
    "TEL;CELL:+49 170 1234567\r\n"
    "TEL;WORK;VOICE:+49 30 1234\r\n"
    "EMAIL;INTERNET:juergen@example.de\r\n"
    "ORG;QUOTED-PRINTABLE:M=C3=BCller, Sons & Co\r\n"
    "TITLE:VP, Engineering\r\n"
    "NOTE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Met at the Berlin meetup, =\r\n"
    "=C3=BCber-nice.=0D=0ASecond line.\r\n"
    "BDAY:1980-03-15\r\n"
    "PHOTO;ENCODING=BASE64;TYPE=JPEG:/9j/4AAQSkZJRgABAQEASABIAAD/\r\n"
    " 2wBDAAMCAgMCAgMDAwMEAwMEBQgFBQQEBQoHBwYI\r\n"
    "\r\n"
    "END:VCARD\r\n"
)
V21_LATIN1 = (
    b"BEGIN:VCARD\r\nVERSION:2.1\r\n"
    b"FN;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:Ren=E9e Caf=\r\n=E9\r\n"
    b"END:VCARD\r\n"
)
V30 = (
    "BEGIN:VCARD\r\n"
    "VERSION:3.0\r\n"
    "PRODID:-//Apple Inc.//macOS 14.0//EN\r\n"
    "N:Chen;Alex;;;\r\n"
    "FN:Alex Chen\r\n"
    "NICKNAME:Al,Ally\r\n"
    "ORG:Northwind\\, Inc.;Platform\r\n"
    "TITLE:Staff Engineer\r\n"
    "EMAIL;type=INTERNET;type=WORK:alex@northwind.example\r\n"
    "EMAIL;type=INTERNET;type=HOME;type=pref:alex@home.example\r\n"
    "TEL;type=CELL;type=VOICE;type=pref:+1 (555) 010-0199\r\n"
    "item1.BDAY;X-APPLE-OMIT-YEAR=1604:1604-07-04\r\n"
    "item2.X-ABDATE;type=pref:2015-06-12\r\n"
    "item2.X-ABLabel:_$!<Anniversary>!$_\r\n"
    "URL;type=WORK:https://alexchen.example\r\n"
    "X-SOCIALPROFILE;type=linkedin:https://www.linkedin.com/in/alex-chen\r\n"
    "ADR;type=HOME:;;1 Main St;Portland;OR;97201;USA\r\n"
    "CATEGORIES:Friends,Work Stuff\r\n"
    "NOTE:Loves climbing\\, hates mornings.\\nAsk about the \r\n"
    " boulder trip.\r\n"
    "PHOTO;ENCODING=b;TYPE=JPEG:!!! not base64 at all !!!\r\n"
    "END:VCARD\r\n"
)
V40 = (
    "BEGIN:VCARD\r\n"
    "VERSION:4.0\r\n"
    "FN:Zoë Ångström\r\n"
    "N:Ångström;Zoë;;;\r\n"
    "BDAY:--0415\r\n"
    "ANNIVERSARY:20100612\r\n"
    "TEL;VALUE=uri;TYPE=cell:tel:+1-555-555-0100\r\n"
    "EMAIL;PREF=1:zoe@example.com\r\n"
    "EMAIL:zoe@work.example\r\n"
    "URL:https://de.linkedin.com/in/zoe\r\n"
    "END:VCARD\r\n"
)


def front(path: Path) -> dict:  # type: ignore[type-arg]
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def write(tmp_path: Path, name: str, data: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def test_every_version_with_the_tricky_properties(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {"People/.keep": ""})
    vcf = write(tmp_path, "all.vcf", V21 + V30 + "\r\n" + V40)
    result = run_cli(vault, "import", "vcard", str(vcf))
    assert result.exit_code == 0, result.output
    assert "Created 3, merged 0, skipped 0, errors 0." in result.stdout
    assert result.stderr == ""

    juergen = vault / "People" / "Jürgen Müller, Jr.md"
    assert front(juergen) == {
        "name": "Jürgen Müller, Jr.",
        "company": "Müller, Sons & Co",
        "title": "VP, Engineering",
        "position_from": "vcard 2026-11-25",  # no REV: as of the import
        "email": "juergen@example.de",
        "phone": ["+49 170 1234567", "+49 30 1234"],
        "phone_types": {"+49 170 1234567": "cell", "+49 30 1234": "work"},
        "birthday": date(1980, 3, 15),
    }
    body = juergen.read_text(encoding="utf-8").split("---\n", 2)[2]
    assert body == "\nMet at the Berlin meetup, über-nice.\nSecond line.\n\n## Log\n"

    alex = vault / "People" / "Alex Chen.md"
    assert front(alex) == {
        "name": "Alex Chen",
        "aliases": ["Al", "Ally"],
        "company": "Northwind, Inc.",
        "title": "Staff Engineer",
        "position_from": "vcard 2026-11-25",
        "email": ["alex@home.example", "alex@northwind.example"],  # the preferred one first
        "phone": "+1 (555) 010-0199",
        "phone_types": {"+1 (555) 010-0199": "cell"},
        "linkedin": "https://www.linkedin.com/in/alex-chen",
        "website": "https://alexchen.example",
        "location": "Portland, OR, USA",
        "birthday": "--07-04",  # Apple's year 1604 means "no year"
        "dates": {"anniversary": date(2015, 6, 12)},
        "tags": ["Friends", "Work-Stuff"],
    }
    assert "Loves climbing, hates mornings.\nAsk about the boulder trip.\n" in alex.read_text(
        encoding="utf-8"
    )

    zoe = front(vault / "People" / "Zoë Ångström.md")
    assert zoe["birthday"] == "--04-15"
    assert zoe["dates"] == {"anniversary": date(2010, 6, 12)}
    assert zoe["phone"] == "+1-555-555-0100"
    assert zoe["email"] == ["zoe@example.com", "zoe@work.example"]
    assert zoe["linkedin"] == "https://de.linkedin.com/in/zoe"

    # The index reads what was written: year-less birthday, anniversary date, no problems.
    upcoming = run_cli(vault, "upcoming", "--days", "365", "--format", "json")
    assert upcoming.exit_code == 0, upcoming.output
    assert run_cli(vault, "check").exit_code == 0


def test_quoted_printable_in_another_charset(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {"People/.keep": ""})
    vcf = write(tmp_path, "old.vcf", V21_LATIN1)
    result = run_cli(vault, "import", "vcard", str(vcf))
    assert result.exit_code == 0, result.output
    assert front(vault / "People" / "Renée Café.md")["name"] == "Renée Café"


def test_bad_cards_are_reported_by_number_and_skipped(tmp_path: Path) -> None:
    # Since #16 an unreadable line costs only that line, and a card without a name is
    # named after its email: only the unfinished card is left out.
    vault = make_vault(tmp_path, {"People/.keep": ""})
    broken_line = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Broken\r\nthis line has no colon\r\nEND:VCARD\r\n"
    )
    nameless = "BEGIN:VCARD\r\nVERSION:3.0\r\nEMAIL:x@example.com\r\nEND:VCARD\r\n"
    bad_date = "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Bea\r\nBDAY:circa 1980\r\nEND:VCARD\r\n"
    unfinished = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Never Ends\r\n"
    vcf = write(tmp_path, "mixed.vcf", V40 + broken_line + nameless + bad_date + unfinished)
    result = run_cli(vault, "import", "vcard", str(vcf))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.stderr.strip().splitlines() == [
        f"warning: {vcf}: card 2 at line 12: line 15: cannot read 'this line has no colon';"
        " line skipped",
        f"warning: {vcf}: card 3 at line 17: no name (FN or N); named after its email"
        " 'x@example.com'",
        f"warning: {vcf}: card 4 at line 21: BDAY: 'circa 1980' is not a date I can read; left out",
        f"error: {vcf}: card 5 at line 26: no END:VCARD at the end; skipped",
    ]
    assert "Created 4, merged 0, skipped 0, errors 1." in result.stdout
    assert sorted(p.name for p in (vault / "People").glob("*.md")) == [
        "Bea.md",
        "Broken.md",
        "Zoë Ångström.md",
        "x@example.com.md",
    ]


def test_file_without_cards(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {"People/.keep": ""})
    vcf = write(tmp_path, "empty.vcf", "hello\n")
    result = run_cli(vault, "import", "vcard", str(vcf))
    assert result.exit_code == 2
    assert (
        result.stderr.strip()
        == f"vaultnet: error: {vcf}: no vCard in this file (no BEGIN:VCARD line)"
    )


def test_second_import_creates_nothing_and_merge_fills_gaps(tmp_path: Path) -> None:
    vault = make_vault(
        tmp_path,
        {"People/Zoe.md": "---\nname: Zoe Angstrom\ntags: [friend]\n---\n\nKnown from school.\n"},
    )
    vcf = write(tmp_path, "zoe.vcf", V40)
    first = run_cli(vault, "import", "vcard", str(vcf))
    assert "same name as People/Zoe.md" in first.stdout
    assert "Created 0, merged 0, skipped 1, errors 0." in first.stdout
    merged = run_cli(vault, "import", "vcard", str(vcf), "--merge")
    assert merged.exit_code == 0, merged.output
    text = (vault / "People" / "Zoe.md").read_text(encoding="utf-8")
    assert text == (
        "---\nname: Zoe Angstrom\ntags: [friend]\n"
        "email:\n  - zoe@example.com\n  - zoe@work.example\n"
        "phone: +1-555-555-0100\n"
        "phone_types:\n  +1-555-555-0100: cell\n"
        'linkedin: "https://de.linkedin.com/in/zoe"\n'
        'birthday: "--04-15"\n'
        "dates:\n  anniversary: 2010-06-12\n"
        "---\n\nKnown from school.\n"
    )
    again = run_cli(vault, "import", "vcard", str(vcf), "--merge")
    assert "Created 0, merged 0, skipped 1, errors 0." in again.stdout
    listed = json.loads(run_cli(vault, "list", "--format", "json").stdout)
    assert [c["name"] for c in listed] == ["Zoe Angstrom"]


def test_utf16_file_with_bom(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {"People/.keep": ""})
    vcf = write(tmp_path, "outlook.vcf", V40.encode("utf-16"))
    result = run_cli(vault, "import", "vcard", str(vcf))
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert front(vault / "People" / "Zoë Ångström.md")["birthday"] == "--04-15"
