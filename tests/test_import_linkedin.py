"""`vaultnet import linkedin`: LinkedIn's Connections.csv into contact notes."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import yaml
from helpers import make_vault, run_cli

PREAMBLE = (
    "Notes:\r\n"
    '"When exporting your connection data, you may notice that some of the email addresses'
    " are missing. You will only see email addresses for connections who have allowed their"
    ' connections to see or download their email address using this setting, see https://www.linkedin.com/psettings/privacy/email"\r\n'
    "\r\n"
)
HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n"
# The day the test exports were "downloaded": LinkedIn's file has no date of its own, so
# its modification time says as of when its positions are (see `position_from`).
EXPORTED = datetime(2026, 11, 20, 12, 0).timestamp()

GRACE = """---
name: Grace Liu
# mentor since 2023
kind: mentor
company: Liu Advisory
title: Executive coach
email: grace@liu.example
tags: [mentor]
last_contact: 2026-08-27
---

# Grace Liu

## Log

- 2026-08-27 Session on 2027 plans.

## Tasks

- [ ] Send the memo
"""


def write_csv(
    tmp_path: Path, rows: list[str], bom: bool = True, name: str = "Connections.csv"
) -> Path:
    path = tmp_path / name
    text = PREAMBLE + HEADER + "".join(r + "\r\n" for r in rows)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    os.utime(path, (EXPORTED, EXPORTED))
    return path


def front(path: Path) -> dict:  # type: ignore[type-arg]
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---\n")[1])


def people(vault: Path) -> list[str]:
    return sorted(p.name for p in (vault / "People").iterdir())


def test_preamble_empty_email_and_quoted_commas(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {"People/.keep": ""})
    csv = write_csv(
        tmp_path,
        [
            'Alex,Chen,https://www.linkedin.com/in/alex-chen,,"Northwind, Inc.","Staff Engineer, Platform",25 Nov 2026',
            "Zoë,Ångström,https://www.linkedin.com/in/zoe,zoe@example.com,Contoso,CTO,03 Feb 2021",
        ],
    )
    result = run_cli(vault, "import", "linkedin", str(csv))
    assert result.exit_code == 0, result.output
    assert "Created 2, merged 0, skipped 0, errors 0." in result.stdout
    alex = front(vault / "People" / "Alex Chen.md")
    assert alex == {
        "name": "Alex Chen",
        "company": "Northwind, Inc.",
        "title": "Staff Engineer, Platform",
        "position_from": "linkedin 2026-11-25",  # connected after the file's date
        "linkedin": "https://www.linkedin.com/in/alex-chen",
        "tags": ["linkedin"],
        "connected_on": __import__("datetime").date(2026, 11, 25),
    }
    zoe = front(vault / "People" / "Zoë Ångström.md")
    assert zoe["email"] == "zoe@example.com" and zoe["title"] == "CTO"
    # The same note layout `vaultnet add` writes: front matter, then an empty log section.
    assert (
        (vault / "People" / "Alex Chen.md").read_text(encoding="utf-8").endswith("---\n\n## Log\n")
    )
    listed = run_cli(vault, "list", "--format", "json")
    assert {"Alex Chen", "Zoë Ångström"} <= {
        c["name"] for c in __import__("json").loads(listed.stdout)
    }


def test_same_names_and_unsafe_characters_get_distinct_safe_files(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {"People/.keep": ""})
    csv = write_csv(
        tmp_path,
        [
            "Alex,Chen,https://www.linkedin.com/in/alex-chen,,Northwind,Engineer,1 Jan 2020",
            "Alex,Chen,https://www.linkedin.com/in/alex-chen-2,,Contoso,Designer,1 Jan 2021",
            "Ana,Pérez: PhD,https://www.linkedin.com/in/ana,,A/B Labs,Analyst,1 Jan 2022",
            "Jo,AC/DC,https://www.linkedin.com/in/jo,,,,1 Jan 2022",
        ],
    )
    result = run_cli(vault, "import", "linkedin", str(csv))
    assert result.exit_code == 0, result.output
    assert people(vault) == [
        ".keep",
        "Alex Chen 2.md",
        "Alex Chen.md",
        "Ana Pérez - PhD.md",
        "Jo AC-DC.md",
    ]
    assert front(vault / "People" / "Alex Chen 2.md")["company"] == "Contoso"
    assert (
        "create  Alex Chen (line 6): new contact (same name as line 5 of this file: an alias"
        " tells them apart) \u2192 People/Alex Chen 2.md"
    ) in result.stdout
    assert front(vault / "People" / "Ana Pérez - PhD.md")["name"] == "Ana Pérez: PhD"
    assert front(vault / "People" / "Jo AC-DC.md")["name"] == "Jo AC/DC"
    # Importing again: every row finds its own note by URL; nothing new, nothing changed.
    before = {p: p.read_bytes() for p in (vault / "People").iterdir()}
    again = run_cli(vault, "import", "linkedin", str(csv))
    assert "Created 0, merged 0, skipped 4, errors 0." in again.stdout
    assert {p: p.read_bytes() for p in (vault / "People").iterdir()} == before


def test_namesakes_without_keys_are_both_created_then_ambiguous(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {"People/.keep": ""})
    csv = write_csv(tmp_path, ["Sam,Lee,,,A,,", "Sam,Lee,,,B,,"])
    first = run_cli(vault, "import", "linkedin", str(csv))
    assert "Created 2," in first.stdout
    again = run_cli(vault, "import", "linkedin", str(csv), "--merge")
    assert "Created 0, merged 0, skipped 2, errors 0." in again.stdout
    assert "same name as 2 contacts" in again.stdout


def test_in_file_duplicates_by_url_are_created_once(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {"People/.keep": ""})
    csv = write_csv(
        tmp_path,
        [
            "Alex,Chen,https://www.linkedin.com/in/alex-chen/,,Northwind,,",
            "Alexander,Chen,http://linkedin.com/in/Alex-Chen,alex@nw.example,,,",
        ],
    )
    result = run_cli(vault, "import", "linkedin", str(csv), "--merge")
    assert "Created 1, merged 0, skipped 1, errors 0." in result.stdout
    assert "same LinkedIn URL as line 5 of this file" in result.stdout
    # With --merge the duplicate's missing fields go into the new note.
    assert front(vault / "People" / "Alex Chen.md")["email"] == "alex@nw.example"


def test_duplicates_by_email_url_name_and_alias(tmp_path: Path) -> None:
    vault = make_vault(
        tmp_path,
        {
            "People/Grace Liu.md": GRACE,
            "People/Daniel Kovács.md": "---\nname: Daniel Kovács\n---\n",
            "People/Priya.md": "---\nname: Priya Raman\naliases: [PR, Pri Raman]\n---\n",
            "People/Noah.md": "---\nname: Noah Lee\nlinkedin: https://www.linkedin.com/in/noah/\n---\n",
        },
    )
    csv = write_csv(
        tmp_path,
        [
            "G.,L.,,GRACE@liu.example,Liu Advisory,Executive coach,",
            "N,L,https://de.linkedin.com/in/noah?trk=x,,,,",
            "DANIEL,kovacs,,,,,",
            "Pri,Raman,,,,,",
        ],
    )
    before = {p: p.read_bytes() for p in (vault / "People").iterdir()}
    result = run_cli(vault, "import", "linkedin", str(csv))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "same email as People/Grace Liu.md" in out
    assert "same LinkedIn URL as People/Noah.md" in out
    assert "same name as People/Daniel Kovács.md" in out
    assert "same name as People/Priya.md" in out
    assert "Created 0, merged 0, skipped 4, errors 0." in out
    assert {p: p.read_bytes() for p in (vault / "People").iterdir()} == before


def test_different_linkedin_urls_make_namesakes_distinct(tmp_path: Path) -> None:
    vault = make_vault(
        tmp_path,
        {
            "People/Noah.md": "---\nname: Noah Lee\nlinkedin: https://www.linkedin.com/in/noah\n---\n"
        },
    )
    csv = write_csv(tmp_path, ["Noah,Lee,https://www.linkedin.com/in/noah-lee-2,,,,"])
    result = run_cli(vault, "import", "linkedin", str(csv))
    assert "Created 1," in result.stdout
    assert (vault / "People" / "Noah Lee.md").exists()


def test_merge_adds_only_missing_fields_byte_carefully(tmp_path: Path) -> None:
    original = "\ufeff" + GRACE.replace("title: Executive coach\n", "").replace("\n", "\r\n")
    vault = make_vault(tmp_path, {"People/Grace Liu.md": original})
    csv = write_csv(
        tmp_path,
        [
            "Grace,Liu,https://www.linkedin.com/in/grace,grace@liu.example,Liu Advisory,Coach,12 Mar 2024"
        ],
    )
    dry = run_cli(vault, "import", "linkedin", str(csv))
    assert "--merge would add title, position_from, linkedin, connected_on" in dry.stdout
    result = run_cli(vault, "import", "linkedin", str(csv), "--merge")
    assert result.exit_code == 0, result.output
    assert "Created 0, merged 1, skipped 0, errors 0." in result.stdout
    data = (vault / "People" / "Grace Liu.md").read_bytes().decode("utf-8")
    expected = original.replace(
        "last_contact: 2026-08-27\r\n",
        "last_contact: 2026-08-27\r\ntitle: Coach\r\nposition_from: linkedin 2026-11-20\r\n"
        'linkedin: "https://www.linkedin.com/in/grace"\r\nconnected_on: 2024-03-12\r\n',
    )
    assert data == expected  # BOM, CRLF, comment, flow list, body: all as they were
    again = run_cli(vault, "import", "linkedin", str(csv), "--merge")
    assert "Created 0, merged 0, skipped 1, errors 0." in again.stdout
    assert "nothing new" in again.stdout


def test_job_change_reported_without_merge_and_applied_with_it(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {"People/Grace Liu.md": GRACE})
    csv = write_csv(
        tmp_path, ["Grace,Liu,,grace@liu.example,Contoso,Director of Product,12 Mar 2024"]
    )
    report = run_cli(vault, "import", "linkedin", str(csv))
    assert report.exit_code == 0, report.output
    assert (
        "job change: Grace Liu: Executive coach at Liu Advisory \u2192 Director of Product at Contoso"
        in report.stdout
    )
    assert "run again with --merge" in report.stdout
    assert (vault / "People" / "Grace Liu.md").read_text(encoding="utf-8") == GRACE

    result = run_cli(vault, "import", "linkedin", str(csv), "--merge")
    assert result.exit_code == 0, result.output
    text = (vault / "People" / "Grace Liu.md").read_text(encoding="utf-8")
    meta = front(vault / "People" / "Grace Liu.md")
    assert meta["company"] == "Contoso" and meta["title"] == "Director of Product"
    assert meta["positions"] == ["Executive coach at Liu Advisory (until 2026-11-25)"]
    assert "# mentor since 2023\n" in text
    assert (
        "- 2026-08-27 Session on 2027 plans.\n"
        "- Job change noticed on 2026-11-25: Executive coach at Liu Advisory"
        " \u2192 Director of Product at Contoso\n\n## Tasks\n"
    ) in text
    # Noticing a new job is not an interaction: the last contact stays where it was.
    shown = run_cli(vault, "show", "Grace Liu")
    assert "2026-08-27" in shown.stdout
    # A later export with another move appends to the history.
    csv2 = write_csv(
        tmp_path, ["Grace,Liu,,grace@liu.example,Fabrikam,,1 Jan 2027"], name="later.csv"
    )
    later = run_cli(vault, "import", "linkedin", str(csv2), "--merge", today="2027-03-01")
    assert later.exit_code == 0, later.output
    meta = front(vault / "People" / "Grace Liu.md")
    assert meta["company"] == "Fabrikam" and "title" not in meta
    assert meta["positions"] == [
        "Executive coach at Liu Advisory (until 2026-11-25)",
        "Director of Product at Contoso (until 2027-03-01)",
    ]


def test_dry_run_writes_nothing(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {"People/Grace Liu.md": GRACE})
    csv = write_csv(
        tmp_path,
        [
            "Alex,Chen,https://www.linkedin.com/in/alex-chen,,Northwind,Engineer,1 Jan 2020",
            "Grace,Liu,,grace@liu.example,Contoso,Director,12 Mar 2024",
        ],
    )
    before = sorted((p.relative_to(vault), p.read_bytes()) for p in vault.rglob("*.md"))
    result = run_cli(vault, "import", "linkedin", str(csv), "--dry-run", "--merge")
    assert result.exit_code == 0, result.output
    assert "create  Alex Chen (line 5): new contact" in result.stdout
    assert "merge   Grace Liu (line 6): same email as People/Grace Liu.md" in result.stdout
    assert result.stdout.strip().endswith(
        "Would create 1, merge 1, skip 0; errors 0 (dry run: nothing was written)."
    )
    after = sorted((p.relative_to(vault), p.read_bytes()) for p in vault.rglob("*.md"))
    assert after == before


def test_bad_rows_are_reported_by_line_and_skipped(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {"People/.keep": ""})
    csv = write_csv(
        tmp_path,
        [
            "Alex,Chen,,,Northwind,Engineer,1 Jan 2020",
            ",,https://www.linkedin.com/in/nobody,,X,Y,1 Jan 2020",
            "Too,Many,a,b,c,d,1 Jan 2020,extra",
            "Bea,Bad Date,,,,,someday",
            "Cy,Ok,,,,,2 Feb 2022",
        ],
    )
    result = run_cli(vault, "import", "linkedin", str(csv))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    errors = result.stderr.strip().splitlines()
    # A row without a name is a hidden profile: counted in one line, not an error (#16).
    assert errors == [
        f"error: {csv}: line 7: expected 7 fields, found 8 (a quote or comma out of place?); skipped",
        f"warning: {csv}: 1 row with no name: hidden profiles (members who do not share"
        " their data); skipped",
        f"warning: {csv}: Connected On could not be read in 1 row (line 8); left out",
    ]
    assert "Created 3, merged 0, skipped 0, errors 1." in result.stdout
    assert "connected_on" not in (vault / "People" / "Bea Bad Date.md").read_text(encoding="utf-8")


def test_non_utf8_file_is_read_as_cp1252_with_a_warning(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {"People/.keep": ""})
    path = tmp_path / "Connections.csv"
    path.write_bytes(
        (HEADER + "Ren\u00e9e,M\u00fcller,,,Caf\u00e9 \u2013 Bar,,\r\n").encode("cp1252")
    )
    result = run_cli(vault, "import", "linkedin", str(path))
    assert result.exit_code == 0, result.output
    assert "not UTF-8" in result.stderr and "Windows-1252" in result.stderr
    meta = front(vault / "People" / "Renée Müller.md")
    assert meta["company"] == "Café \u2013 Bar"


def test_kind_and_tag_options(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {"People/.keep": ""})
    csv = write_csv(tmp_path, ["Alex,Chen,,,,,"], bom=False)
    result = run_cli(
        vault, "import", "linkedin", str(csv), "--kind", "colleague", "--tag", "#conf-2026"
    )
    assert result.exit_code == 0, result.output
    meta = front(vault / "People" / "Alex Chen.md")
    assert meta["kind"] == "colleague" and meta["tags"] == ["linkedin", "conf-2026"]


def test_not_a_connections_file(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {"People/.keep": ""})
    path = tmp_path / "other.csv"
    path.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    result = run_cli(vault, "import", "linkedin", str(path))
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        f"vaultnet: error: {path}: no header row found; expected one like"
        " First Name,Last Name,URL,Email Address,Company,Position,Connected On"
    ]
