"""`vaultnet import google`: Google Contacts CSV exports, current and older header styles."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import yaml
from helpers import make_vault, run_cli

NEW_HEADER = [
    "First Name", "Middle Name", "Last Name", "Phonetic First Name", "Name Prefix",
    "Name Suffix", "Nickname", "File As", "Organization Name", "Organization Title",
    "Organization Department", "Birthday", "Notes", "Photo", "Labels",
    "E-mail 1 - Label", "E-mail 1 - Value", "E-mail 2 - Label", "E-mail 2 - Value",
    "Phone 1 - Label", "Phone 1 - Value", "Address 1 - Label", "Address 1 - City",
    "Address 1 - Country", "Website 1 - Label", "Website 1 - Value",
    "Event 1 - Label", "Event 1 - Value",
]  # fmt: skip
OLD_HEADER = [
    "Name", "Given Name", "Additional Name", "Family Name", "Nickname", "Birthday",
    "Notes", "Group Membership", "E-mail 1 - Type", "E-mail 1 - Value",
    "Phone 1 - Type", "Phone 1 - Value", "Organization 1 - Type", "Organization 1 - Name",
    "Organization 1 - Title", "Website 1 - Type", "Website 1 - Value",
]  # fmt: skip


def google_csv(tmp_path: Path, header: list[str], rows: list[dict[str, str]]) -> Path:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(h, "") for h in header])
    path = tmp_path / "contacts.csv"
    path.write_bytes(b"\xef\xbb\xbf" + out.getvalue().encode("utf-8"))
    return path


def front(path: Path) -> dict:  # type: ignore[type-arg]
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def test_current_header_style(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {"People/.keep": ""})
    path = google_csv(
        tmp_path,
        NEW_HEADER,
        [
            {
                "First Name": "Maya",
                "Middle Name": "J.",
                "Last Name": "Okafor",
                "Nickname": "May",
                "Organization Name": "Verdant Grid",
                "Organization Title": "Head of Data, EMEA",
                "Birthday": "--03-15",
                "Notes": "Met at PyCon.\nLikes chess.",
                "Labels": "* myContacts ::: Conference Friends ::: * starred",
                "E-mail 1 - Label": "* Work",
                "E-mail 1 - Value": "maya@verdant.example ::: maya@old.example",
                "E-mail 2 - Value": "maya@home.example",
                "Phone 1 - Value": "+44 20 7946 0018",
                "Address 1 - City": "London",
                "Address 1 - Country": "UK",
                "Website 1 - Label": "Profile",
                "Website 1 - Value": "https://www.linkedin.com/in/maya-okafor",
                "Event 1 - Label": "Anniversary",
                "Event 1 - Value": "2019-09-21",
            },
            {"Organization Name": "Only A Company"},
            {"First Name": "Ben", "Birthday": "1990-02-30"},
        ],
    )
    result = run_cli(vault, "import", "google", str(path))
    assert result.exit_code == 0  # a row without a name is named after its company (#16)
    assert result.stderr.strip().splitlines() == [
        f"warning: {path}: line 4: no name; named after its organization 'Only A Company'",
        f"warning: {path}: line 5: Birthday: '1990-02-30' is not a valid date; left out",
    ]
    assert "Created 3, merged 0, skipped 0, errors 0." in result.stdout
    maya = vault / "People" / "Maya J. Okafor.md"
    assert front(maya) == {
        "name": "Maya J. Okafor",
        "aliases": ["May"],
        "company": "Verdant Grid",
        "title": "Head of Data, EMEA",
        "position_from": "google 2026-11-25",
        "email": ["maya@verdant.example", "maya@old.example", "maya@home.example"],
        "phone": "+44 20 7946 0018",
        "linkedin": "https://www.linkedin.com/in/maya-okafor",
        "location": "London, UK",
        "birthday": "--03-15",
        "dates": {"anniversary": date(2019, 9, 21)},
        "tags": ["Conference-Friends"],
    }
    assert "\nMet at PyCon.\nLikes chess.\n\n## Log\n" in maya.read_text(encoding="utf-8")


def test_older_header_style(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {"People/.keep": ""})
    path = google_csv(
        tmp_path,
        OLD_HEADER,
        [
            {
                "Name": "Dr. Tomás Herrera",
                "Given Name": "Tomás",
                "Family Name": "Herrera",
                "Birthday": "1979-11-02",
                "Group Membership": "* My Contacts ::: Mentors",
                "E-mail 1 - Type": "* Work",
                "E-mail 1 - Value": "tomas@herrera.example",
                "Organization 1 - Name": "Herrera & Hijos",
                "Organization 1 - Title": "Founder",
                "Website 1 - Type": "Blog",
                "Website 1 - Value": "https://tomas.example",
            },
            {"Given Name": "Lena", "Family Name": "Fischer"},
        ],
    )
    result = run_cli(vault, "import", "google", str(path), "--tag", "imported")
    assert result.exit_code == 0, result.output
    assert front(vault / "People" / "Dr. Tomás Herrera.md") == {
        "name": "Dr. Tomás Herrera",
        "first_name": "Tomás",  # Google's own split: not the guess ("Dr. Tomás")
        "last_name": "Herrera",
        "company": "Herrera & Hijos",
        "title": "Founder",
        "position_from": "google 2026-11-25",
        "email": "tomas@herrera.example",
        "website": "https://tomas.example",
        "birthday": date(1979, 11, 2),
        "tags": ["Mentors", "imported"],
    }
    assert front(vault / "People" / "Lena Fischer.md")["name"] == "Lena Fischer"


def test_columns_are_found_by_name_not_position(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {"People/.keep": ""})
    shuffled = list(reversed(NEW_HEADER))
    path = google_csv(
        tmp_path,
        shuffled,
        [{"Last Name": "Nwosu", "First Name": "Amara", "E-mail 1 - Value": "a@p.example"}],
    )
    assert run_cli(vault, "import", "google", str(path)).exit_code == 0
    assert front(vault / "People" / "Amara Nwosu.md")["email"] == "a@p.example"


def test_duplicate_by_email_then_merge(tmp_path: Path) -> None:
    vault = make_vault(
        tmp_path,
        {"People/Amara.md": "---\nname: Amara N.\nemail: [A@P.example]\n---\n\n## Log\n"},
    )
    path = google_csv(
        tmp_path,
        NEW_HEADER,
        [{"First Name": "Amara", "Last Name": "Nwosu", "E-mail 1 - Value": "a@p.example",
          "Organization Name": "Parcelly"}],
    )  # fmt: skip
    result = run_cli(vault, "import", "google", str(path), "--merge")
    assert (
        "merge   Amara Nwosu (line 2): same email as People/Amara.md; adds company,"
        " position_from, aliases" in result.stdout
    )
    assert front(vault / "People" / "Amara.md") == {
        "name": "Amara N.",
        "email": ["A@P.example"],
        "company": "Parcelly",
        "position_from": "google 2026-11-25",
        "aliases": ["Amara Nwosu"],  # the name the email match goes by (#16)
    }
