"""Imports meet what real software writes (#16): every fixture here is written for this
test, after the habits of ownCloud, KAddressBook, flutter_contacts, Apple Contacts,
Google Contacts and six years of LinkedIn exports."""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path

import yaml
from helpers import make_vault, run_cli

LINKEDIN_HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n"
LINKEDIN_2018_HEADER = "First Name,Last Name,Email Address,Company,Position,Connected On\r\n"


def front(path: Path) -> dict:  # type: ignore[type-arg]
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def write(path: Path, data: str | bytes, day: date | None = None) -> Path:
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    if day is not None:
        stamp = datetime(day.year, day.month, day.day, 12).timestamp()
        os.utime(path, (stamp, stamp))
    return path


def card(*lines: str) -> str:
    return "BEGIN:VCARD\r\nVERSION:3.0\r\n" + "".join(f"{x}\r\n" for x in lines) + "END:VCARD\r\n"


def notes(vault: Path) -> list[str]:
    return sorted(p.name for p in (vault / "People").glob("*.md"))


# -- data lost or garbled --------------------------------------------------------------
def test_a_fold_inside_a_utf8_character_garbles_nothing(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {"People/.keep": ""})
    name = "최유림".encode()
    folded = (
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:" + name[:4] + b"\r\n " + name[4:] + b"\r\n"
        b"N:\xec\xb5\x9c;\xec\x9c\xa0\r\n \xeb\xa6\xbc;;;\r\nEMAIL:yurim@example.kr\r\n"
        b"END:VCARD\r\n"
    )
    latin1 = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ren\xe9e Caf\xe9\r\nEND:VCARD\r\n"
    plain = card("FN:Zoë Ångström").encode()
    vcf = write(tmp_path / "owncloud.vcf", folded + latin1 + plain)
    result = run_cli(vault, "import", "vcard", str(vcf))
    assert result.exit_code == 0, result.output
    # Only the one card that is not UTF-8 is read otherwise, and said so.
    assert result.stderr.strip().splitlines() == [
        f"warning: {vcf}: card 2 at line 9: not UTF-8 (line 11); read as Windows-1252,"
        " check accented names"
    ]
    assert notes(vault) == ["Renée Café.md", "Zoë Ångström.md", "최유림.md"]
    assert front(vault / "People" / "최유림.md")["name"] == "최유림"


def test_a_corrected_file_repairs_a_garbled_name(tmp_path: Path) -> None:
    garbled = "최유림".encode().decode("cp1252")  # what the old import made of it: ìœ...
    vault = make_vault(
        tmp_path, {"People/Yurim.md": f"---\nname: {garbled}\nemail: yurim@example.kr\n---\n"}
    )
    vcf = write(tmp_path / "fixed.vcf", card("FN:최유림", "EMAIL:yurim@example.kr"))
    result = run_cli(vault, "import", "vcard", str(vcf), "--merge")
    assert result.exit_code == 0, result.output
    assert "adds aliases" in result.stdout
    assert front(vault / "People" / "Yurim.md")["aliases"] == ["최유림"]
    shown = run_cli(vault, "show", "최유림")
    assert shown.exit_code == 0 and "yurim@example.kr" in shown.stdout


def test_an_unreadable_line_costs_that_line_only(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {"People/.keep": ""})
    kde = card(
        "FN:Bob Kramer",
        "X-messaging/twitter-All:@bobk",
        "TEL;TYPE=cell;=oops:+49 151 0000000",
        "FN",
        "EMAIL:bob@kde.example",
        "TITLE:Maintainer",
    )
    vcf = write(tmp_path / "kaddressbook.vcf", kde)
    result = run_cli(vault, "import", "vcard", str(vcf))
    assert result.exit_code == 0, result.output
    assert result.stderr.strip().splitlines() == [
        f"warning: {vcf}: card 1 at line 1: line 4: cannot read"
        " 'X-messaging/twitter-All:@bobk'; line skipped",
        f"warning: {vcf}: card 1 at line 1: line 5: cannot read"
        " 'TEL;TYPE=cell;=oops:+49 151 0000000'; line skipped",
        f"warning: {vcf}: card 1 at line 1: line 6: cannot read 'FN'; line skipped",
    ]
    meta = front(vault / "People" / "Bob Kramer.md")
    assert meta["email"] == "bob@kde.example" and meta["title"] == "Maintainer"


def test_nameless_cards_and_rows_are_named_as_address_books_show_them(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {"People/.keep": ""})
    vcf = write(
        tmp_path / "nameless.vcf",
        card("ORG:Bike Shop;Repairs", "TEL:+1 555 0100")
        + card("EMAIL:only.mail@example.com")
        + card("TEL;TYPE=cell:+44 7700 900123")
        + card("NOTE:nothing to call it by"),
    )
    result = run_cli(vault, "import", "vcard", str(vcf))
    assert result.exit_code == 1  # the last card has nothing to name it by
    assert result.stderr.strip().splitlines() == [
        f"warning: {vcf}: card 1 at line 1: no name (FN or N); named after its ORG 'Bike Shop'",
        f"warning: {vcf}: card 2 at line 6: no name (FN or N); named after its email"
        " 'only.mail@example.com'",
        f"warning: {vcf}: card 3 at line 10: no name (FN or N); named after its phone"
        " '+44 7700 900123'",
        f"error: {vcf}: card 4 at line 14: no name (FN or N), organization, email or phone;"
        " skipped",
    ]
    assert notes(vault) == ["+44 7700 900123.md", "Bike Shop.md", "only.mail@example.com.md"]
    assert front(vault / "People" / "Bike Shop.md")["company"] == "Bike Shop"
    # A Google row with only a phone: the same rule.
    google = write(
        tmp_path / "google.csv",
        "First Name,Last Name,Phone 1 - Label,Phone 1 - Value\r\n,,Mobile,+33 6 12 34 56 78\r\n",
    )
    rows = run_cli(vault, "import", "google", str(google))
    assert rows.exit_code == 0, rows.output
    assert "named after its phone '+33 6 12 34 56 78'" in rows.stderr
    assert front(vault / "People" / "+33 6 12 34 56 78.md")["phone_types"] == {
        "+33 6 12 34 56 78": "cell"
    }


def test_placeholder_years_mean_no_year(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {"People/.keep": ""})
    vcf = write(
        tmp_path / "years.vcf",
        card("FN:Flutter Zero", "BDAY:0000-07-23")
        + card("FN:Apple Plain", "BDAY:1604-03-01")
        + card("FN:Apple Omit", "BDAY;X-APPLE-OMIT-YEAR=1604:1604-05-09")
        + card("FN:Khard Nineteen", "BDAY:19000119")
        + card("FN:Real Year", "BDAY:1990-02-28"),
    )
    result = run_cli(vault, "import", "vcard", str(vcf))
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    birthdays = {p.stem: front(p)["birthday"] for p in (vault / "People").glob("*.md")}
    assert birthdays == {
        "Flutter Zero": "--07-23",
        "Apple Plain": "--03-01",
        "Apple Omit": "--05-09",
        "Khard Nineteen": "--01-19",
        "Real Year": date(1990, 2, 28),
    }
    # Nobody "turns 126": the calendar knows no age for them.
    upcoming = run_cli(vault, "upcoming", "--days", "365")
    assert upcoming.exit_code == 0, upcoming.output
    assert "126" not in upcoming.stdout and "422" not in upcoming.stdout
    assert run_cli(vault, "check").exit_code == 0


def test_custom_dates_keep_their_label(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {"People/.keep": ""})
    vcf = write(
        tmp_path / "apple.vcf",
        card(
            "FN:Dana Brooks",
            "item1.X-ABDATE:2016-09-03",
            "item1.X-ABLabel:_$!<Anniversary>!$_",
            "item2.X-ABDATE;X-APPLE-OMIT-YEAR=1604:1604-04-01",
            "item2.X-ABLabel:Gotcha Day",
            "item3.X-ABDATE:2011-06-15",
            "item3.X-ABLabel:_$!<Other>!$_",
        ),
    )
    assert run_cli(vault, "import", "vcard", str(vcf)).exit_code == 0
    assert front(vault / "People" / "Dana Brooks.md")["dates"] == {
        "anniversary": date(2016, 9, 3),
        "Gotcha Day": "--04-01",
        "other": date(2011, 6, 15),
    }


def test_same_email_twice_in_one_file_is_one_contact(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {"People/.keep": ""})
    vcf = write(
        tmp_path / "twice.vcf",
        card("FN:Lee Park", "EMAIL:lee@park.example", "TEL;TYPE=cell:+82 10 1234 5678")
        + card("FN:Lee Park", "EMAIL:LEE@park.example", "TEL;TYPE=work:+82 2 555 0100"),
    )
    result = run_cli(vault, "import", "vcard", str(vcf))
    assert result.exit_code == 0, result.output
    assert "Created 1, merged 0, skipped 1, errors 0." in result.stdout
    assert "its phones, phone_types added to that new contact" in result.stdout
    meta = front(vault / "People" / "Lee Park.md")
    assert meta["phone"] == ["+82 10 1234 5678", "+82 2 555 0100"]
    assert meta["phone_types"] == {"+82 10 1234 5678": "cell", "+82 2 555 0100": "work"}


def test_merge_adds_what_is_new_not_only_what_is_empty(tmp_path: Path) -> None:
    vault = make_vault(
        tmp_path,
        {
            "People/Mo.md": (
                "---\nname: Mo Salah\nEmail: mo@one.example\nphone: +20 100 000 0001\n---\n"
            )
        },
    )
    vcf = write(
        tmp_path / "mo.vcf",
        card(
            "FN:Mohamed Salah",
            "EMAIL:mo@one.example",
            "EMAIL:mo@two.example",
            "TEL:+20 100 000 0001",
            "TEL:+20 2 000 0002",
        ),
    )
    dry = run_cli(vault, "import", "vcard", str(vcf))
    assert "--merge would add email, phone, aliases" in dry.stdout
    result = run_cli(vault, "import", "vcard", str(vcf), "--merge")
    assert result.exit_code == 0, result.output
    text = (vault / "People" / "Mo.md").read_text(encoding="utf-8")
    assert text == (
        "---\nname: Mo Salah\nEmail:\n  - mo@one.example\n  - mo@two.example\n"
        "phone:\n  - +20 100 000 0001\n  - +20 2 000 0002\n"
        "aliases:\n  - Mohamed Salah\n---\n"
    )
    again = run_cli(vault, "import", "vcard", str(vcf), "--merge")
    assert "nothing new" in again.stdout


# -- LinkedIn --------------------------------------------------------------------------
def linkedin(
    tmp_path: Path,
    rows: list[str],
    header: str = LINKEDIN_HEADER,
    day: date | None = None,
    name: str = "Connections.csv",
) -> Path:
    """A Connections.csv with LinkedIn's notes above the header, downloaded on ``day``."""
    text = 'Notes:\r\n"Some emails are missing."\r\n\r\n' + header
    return write(tmp_path / name, text + "".join(r + "\r\n" for r in rows), day)


def test_every_connected_on_form_linkedin_has_used(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {"People/.keep": ""})
    csv = linkedin(
        tmp_path,
        [
            "Ann,One,https://www.linkedin.com/in/a1,,,,12 Mar 2024",
            "Ben,Two,https://www.linkedin.com/in/a2,,,,23-Apr-23",
            "Cat,Three,https://www.linkedin.com/in/a3,,,,06-May-22",
            'Dev,Four,https://www.linkedin.com/in/a4,,,,"1/8/18, 6:14 PM"',
            "Eve,Five,https://www.linkedin.com/in/a5,,,,2019-10-01",
            "Fay,Six,https://www.linkedin.com/in/a6,,,,sometime",
            "Gus,Seven,https://www.linkedin.com/in/a7,,,,31/31/31",
        ],
    )
    result = run_cli(vault, "import", "linkedin", str(csv))
    assert result.exit_code == 0, result.output
    assert result.stderr.strip().splitlines() == [
        f"warning: {csv}: Connected On could not be read in 2 rows (line 10, line 11); left out"
    ]
    connected = {p.stem: front(p).get("connected_on") for p in (vault / "People").glob("*.md")}
    assert connected == {
        "Ann One": date(2024, 3, 12),
        "Ben Two": date(2023, 4, 23),
        "Cat Three": date(2022, 5, 6),
        "Dev Four": date(2018, 1, 8),
        "Eve Five": date(2019, 10, 1),
        "Fay Six": None,
        "Gus Seven": None,
    }


def test_hidden_profiles_are_counted_not_errors(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {"People/.keep": ""})
    csv = linkedin(
        tmp_path,
        [",,,,,,02 Jun 2022", "Ann,One,https://www.linkedin.com/in/a1,,,,12 Mar 2024"]
        + [",,,,,,0" + str(d) + " Jan 2023" for d in range(1, 4)],
    )
    result = run_cli(vault, "import", "linkedin", str(csv))
    assert result.exit_code == 0, result.output
    assert result.stderr.strip() == (
        f"warning: {csv}: 4 rows with no name: hidden profiles (members who do not share"
        " their data); skipped"
    )
    assert "Created 1, merged 0, skipped 0, errors 0." in result.stdout


def test_a_2018_member_id_is_no_email(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {"People/.keep": ""})
    csv = linkedin(
        tmp_path,
        [
            'Kim,Lo,urn:li:member:664293716,Initech,Analyst,"1/8/18, 6:14 PM"',
            "Raj,Iyer,raj@iyer.example,Initech,Manager,2/28/18",
        ],
        header=LINKEDIN_2018_HEADER,
    )
    result = run_cli(vault, "import", "linkedin", str(csv))
    assert result.exit_code == 0, result.output
    kim = front(vault / "People" / "Kim Lo.md")
    assert "email" not in kim and kim["linkedin"] == "urn:li:member:664293716"
    assert front(vault / "People" / "Raj Iyer.md")["email"] == "raj@iyer.example"
    # The id finds the note again: the second import changes nothing.
    again = run_cli(vault, "import", "linkedin", str(csv))
    assert "same LinkedIn URL as People/Kim Lo.md" in again.stdout
    assert "Created 0, merged 0, skipped 2, errors 0." in again.stdout


def test_each_importer_knows_its_own_header(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {"People/.keep": ""})
    google = write(
        tmp_path / "google.csv",
        "First Name,Last Name,E-mail 1 - Value,Organization Name\r\nAl,Bo,al@bo.example,X\r\n",
    )
    wrong = run_cli(vault, "import", "linkedin", str(google))
    assert wrong.exit_code == 2
    assert wrong.stderr.strip() == (
        f"vaultnet: error: {google}: this is not a linkedin export: it looks like a google one;"
        " use `vaultnet import google FILE`"
    )
    csv = linkedin(tmp_path, ["Ann,One,https://www.linkedin.com/in/a1,,,,12 Mar 2024"])
    other = run_cli(vault, "import", "google", str(csv))
    assert other.exit_code == 2
    assert "it looks like a linkedin one; use `vaultnet import linkedin FILE`" in other.stderr
    as_vcard = run_cli(vault, "import", "vcard", str(csv))
    assert as_vcard.exit_code == 2
    assert "no vCard in this file (no BEGIN:VCARD line); it looks like a linkedin export" in (
        as_vcard.stderr
    )
    assert notes(vault) == []


def test_decorated_names_are_cleaned_and_match_across_typography(tmp_path: Path) -> None:
    vault = make_vault(
        tmp_path,
        {
            "People/Siobhan.md": "---\nname: Siobhán O'Neil-Byrne\ncompany: Acme\n---\n",
            "People/Tom.md": "---\nname: Tom Sule\n---\n",
        },
    )
    csv = linkedin(
        tmp_path,
        [
            'Jane,"Sandvig, CFP®, AAMS™",https://www.linkedin.com/in/js,,Vanguard,Advisor,'
            "12 Mar 2024",
            "Siobhan,O’Neil–Byrne (she/her),https://www.linkedin.com/in/sob,,Acme,CTO,12 Mar 2024",
            "Abayomi,Sule (MBBS; MBA) 🩺,https://www.linkedin.com/in/as,,,,12 Mar 2024",
            "Tom 🚀,Sule,https://www.linkedin.com/in/ts,,,,12 Mar 2024",
        ],
    )
    result = run_cli(vault, "import", "linkedin", str(csv))
    assert result.exit_code == 0, result.output
    assert "same name as People/Siobhan.md" in result.stdout
    assert "same name as People/Tom.md" in result.stdout
    jane = front(vault / "People" / "Jane Sandvig.md")
    assert jane["name"] == "Jane Sandvig"
    assert jane["aliases"] == ["Jane Sandvig, CFP®, AAMS™"]  # as LinkedIn wrote it
    abayomi = front(vault / "People" / "Abayomi Sule.md")
    assert abayomi["aliases"] == ["Abayomi Sule (MBBS; MBA) 🩺"]
    assert "last_name" not in abayomi  # the guess from the clean name is right


def test_a_common_name_alone_is_only_a_possible_match(tmp_path: Path) -> None:
    note = "---\nname: Alex Kim\ncompany: Northwind\ntitle: Nurse\n---\n"
    vault = make_vault(tmp_path, {"People/Alex Kim.md": note})
    csv = linkedin(tmp_path, ["Alex,Kim,https://www.linkedin.com/in/ak,,Contoso,CFO,12 Mar 2024"])
    result = run_cli(vault, "import", "linkedin", str(csv), "--merge")
    assert result.exit_code == 0, result.output
    assert (
        "skip    Alex Kim (line 5): possible match: same name as People/Alex Kim.md, but CFO"
        " at Contoso rather than Nurse at Northwind; nothing changed"
    ) in result.stdout
    assert "job change" not in result.stdout
    assert (vault / "People" / "Alex Kim.md").read_text(encoding="utf-8") == note
    trusted = run_cli(vault, "import", "linkedin", str(csv), "--merge", "--trust-names")
    assert trusted.exit_code == 0, trusted.output
    meta = front(vault / "People" / "Alex Kim.md")
    assert meta["company"] == "Contoso" and meta["positions"] == [
        "Nurse at Northwind (until 2026-11-25)"
    ]


def test_job_changes_do_not_flip_flop_between_sources(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {"People/.keep": ""})
    row = (
        "Grace,Liu,https://www.linkedin.com/in/grace,grace@liu.example,Contoso,Director,1 Feb 2020"
    )
    first = linkedin(tmp_path, [row], day=date(2024, 3, 12))
    assert run_cli(vault, "import", "linkedin", str(first), "--merge").exit_code == 0
    path = vault / "People" / "Grace Liu.md"
    assert front(path)["position_from"] == "linkedin 2024-03-12"
    # An old phone export (REV 2021) still has her previous job: reported, not applied.
    phone = write(
        tmp_path / "phone.vcf",
        card(
            "FN:Grace Liu",
            "EMAIL:grace@liu.example",
            "ORG:Liu Advisory",
            "TITLE:Executive coach",
            "REV:20210605T101500Z",
        ),
    )
    older = run_cli(vault, "import", "vcard", str(phone), "--merge")
    assert older.exit_code == 0, older.output
    assert (
        "its position (Executive coach at Liu Advisory, vcard 2021-06-05) is older than the"
        " note's (linkedin 2024-03-12): kept the note's"
    ) in older.stdout
    assert "job change" not in older.stdout
    # LinkedIn again, today: the same position; nothing to write.
    again = linkedin(tmp_path, [row], day=date(2026, 11, 25), name="today.csv")
    today = run_cli(vault, "import", "linkedin", str(again), "--merge")
    assert "Created 0, merged 0, skipped 1, errors 0." in today.stdout
    meta = front(path)
    assert meta["company"] == "Contoso" and "positions" not in meta
    assert "Job change" not in path.read_text(encoding="utf-8")
    # A phone card edited since (REV 2026) is newer: its job change applies.
    newer = write(
        tmp_path / "newer.vcf",
        card("FN:Grace Liu", "EMAIL:grace@liu.example", "ORG:Fabrikam", "TITLE:VP Product",
             "REV:2026-10-01T08:00:00Z"),
    )  # fmt: skip
    applied = run_cli(vault, "import", "vcard", str(newer), "--merge")
    assert applied.exit_code == 0, applied.output
    meta = front(path)
    assert meta["company"] == "Fabrikam" and meta["position_from"] == "vcard 2026-10-01"
    assert meta["positions"] == ["Director at Contoso (until 2026-11-25)"]


def test_check_passes_right_after_importing_namesakes(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {"People/.keep": ""})
    csv = linkedin(
        tmp_path,
        [
            "Alison,Hill,https://www.linkedin.com/in/alison-hill,,Acme,Engineer,1 Jan 2020",
            "Alison,Hill,https://www.linkedin.com/in/alison-hill-2,,Umbrella,Nurse,1 Jan 2021",
            "Sam,Lee,,,,,1 Jan 2021",
            "Sam,Lee,,,,,2 Jan 2021",
        ],
    )
    assert run_cli(vault, "import", "linkedin", str(csv)).exit_code == 0
    assert notes(vault) == ["Alison Hill 2.md", "Alison Hill.md", "Sam Lee 2.md", "Sam Lee.md"]
    checked = run_cli(vault, "check")
    # The Alisons are told apart by their profiles; the Sams by nothing: those are reported.
    assert "alison hill" not in checked.stdout
    assert "People/Sam Lee.md:1: name 'sam lee' is also used by People/Sam Lee 2.md" in (
        checked.stdout
    )
    (vault / "People" / "Sam Lee 2.md").unlink()
    assert run_cli(vault, "check").exit_code == 0
    # Looking the name up still says it is ambiguous, and lists both.
    shown = run_cli(vault, "show", "Alison Hill")
    assert shown.exit_code != 0
    assert "People/Alison Hill.md" in shown.stderr and "People/Alison Hill 2.md" in shown.stderr


def test_control_characters_never_reach_a_note(tmp_path: Path) -> None:
    vcf = tmp_path / "evil.vcf"
    vcf.write_bytes(
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Eve \x1b]52;c;ZXZpbA==\x07Mallory\r\n"
        b"EMAIL:eve@example.com\r\nEND:VCARD\r\n"
    )
    vault = tmp_path / "vault"
    (vault / "People").mkdir(parents=True)
    result = run_cli(vault, "import", "vcard", str(vcf))
    assert result.exit_code == 0, result.output
    (note,) = (vault / "People").iterdir()
    text = note.read_text(encoding="utf-8")
    assert "\x1b" not in text and "\x07" not in text and "\x1b" not in note.name
    assert "Eve ]52;c;ZXZpbA==Mallory" in text
