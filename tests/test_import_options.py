"""import --cadence and --format json; export --out --format json (#18)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import make_vault, run_cli

ANA = "---\nname: Ana Lima\nemail: ana@example.com\n---\n\n## Log\n"
ANA_AT_INITECH = "---\nname: Ana Lima\nemail: ana@example.com\ncompany: Initech\n---\n"

LINKEDIN = (
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n"
    "Ana,Lima,,ana@example.com,Acme,CTO,01 Oct 2026\r\n"
    "Bo,Chen,,bo@example.com,Acme,Engineer,02 Oct 2026\r\n"
)
VCARD = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana Lima\r\nEMAIL:ana@example.com\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bo Chen\r\nEMAIL:bo@example.com\r\nEND:VCARD\r\n"
)
GOOGLE = (
    "First Name,Last Name,E-mail 1 - Value\r\n"
    "Ana,Lima,ana@example.com\r\n"
    "Bo,Chen,bo@example.com\r\n"
)
SOURCES = {
    "linkedin": ("Connections.csv", LINKEDIN),
    "vcard": ("contacts.vcf", VCARD),
    "google": ("contacts.csv", GOOGLE),
}


def setup(tmp_path: Path, source: str, ana: str = ANA) -> tuple[Path, Path]:
    vault = make_vault(tmp_path, {"People/Ana Lima.md": ana})
    name, text = SOURCES[source]
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return vault, path


@pytest.mark.parametrize("source", sorted(SOURCES))
def test_cadence_goes_to_every_contact_created_and_no_other(tmp_path: Path, source: str) -> None:
    vault, path = setup(tmp_path, source)
    result = run_cli(vault, "import", source, str(path), "--cadence", "quarterly", "--merge")
    assert result.exit_code == 0, result.output
    bo = (vault / "People/Bo Chen.md").read_text(encoding="utf-8")
    assert "\ncadence: quarterly\n" in bo
    # A merge (LinkedIn adds Ana's company) never adds the cadence.
    assert "cadence" not in (vault / "People/Ana Lima.md").read_text(encoding="utf-8")
    shown = json.loads(run_cli(vault, "show", "Bo Chen", "--format", "json").stdout)
    assert shown["cadence_days"] == 90


def test_a_bad_cadence_is_a_usage_error_before_anything_is_read(tmp_path: Path) -> None:
    vault, path = setup(tmp_path, "vcard")
    result = run_cli(vault, "import", "vcard", str(path), "--cadence", "sometimes")
    assert result.exit_code == 2
    assert "--cadence" in result.stderr
    assert not (vault / "People/Bo Chen.md").exists()


IMPORT_KEYS = {"source", "file", "dry_run", "planned", "done", "errors", "issues", "contacts"}
CONTACT_KEYS = {
    "action",
    "name",
    "where",
    "reason",
    "path",
    "adds",
    "job_change",
    "status",
    "error",
}


def test_import_dry_run_json_is_the_plan(tmp_path: Path) -> None:
    vault, path = setup(tmp_path, "linkedin", ANA_AT_INITECH)
    result = run_cli(vault, "import", "linkedin", str(path), "--dry-run", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == IMPORT_KEYS
    assert data["source"] == "linkedin" and data["file"] == str(path)
    assert data["dry_run"] is True and data["done"] is None and data["errors"] == 0
    assert data["planned"] == {"create": 1, "merge": 0, "skip": 1}
    assert data["issues"] == []
    ana, bo = data["contacts"]
    assert set(ana) == CONTACT_KEYS and set(bo) == CONTACT_KEYS
    assert (ana["action"], ana["name"], ana["path"]) == ("skip", "Ana Lima", "People/Ana Lima.md")
    assert ana["status"] is None and ana["error"] is None
    assert ana["job_change"] == {
        "old": "Initech",
        "new": "CTO at Acme",
        "applied": False,
    }
    assert (bo["action"], bo["name"], bo["where"], bo["path"]) == (
        "create",
        "Bo Chen",
        "line 3",
        None,
    )
    assert not (vault / "People/Bo Chen.md").exists()


def test_import_json_is_the_result(tmp_path: Path) -> None:
    vault, path = setup(tmp_path, "linkedin", ANA_AT_INITECH)
    result = run_cli(vault, "import", "linkedin", str(path), "--merge", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == IMPORT_KEYS and data["dry_run"] is False
    assert data["planned"] == {"create": 1, "merge": 1, "skip": 0}
    assert data["done"] == {"created": 1, "merged": 1, "skipped": 0}
    ana, bo = data["contacts"]
    assert (ana["status"], ana["path"]) == ("merged", "People/Ana Lima.md")
    assert ana["job_change"]["applied"] is True and ana["adds"] == ["tags", "connected_on"]
    assert (bo["status"], bo["path"]) == ("created", "People/Bo Chen.md")
    assert (vault / "People/Bo Chen.md").exists()


def test_import_json_reports_the_file_s_issues(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {"People/.keep": ""})
    path = tmp_path / "contacts.vcf"
    path.write_bytes(b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Never Ends\r\n")
    result = run_cli(vault, "import", "vcard", str(path), "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["errors"] == 1 and data["contacts"] == []
    assert [set(i) for i in data["issues"]] == [{"severity", "where", "message"}]
    assert data["issues"][0] == {
        "severity": "error",
        "where": "card 1 at line 1",
        "message": "no END:VCARD at the end; skipped",
    }
    assert "error:" in result.stderr  # the issue is on stderr as it happens, as in text


def test_export_out_json_summary(tmp_path: Path) -> None:
    vault, _ = setup(tmp_path, "vcard")
    out = tmp_path / "out.vcf"
    result = run_cli(vault, "export", "vcard", "--out", str(out), "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"format": "vcard", "out": str(out), "contacts": 1}
    assert result.stderr == ""
    assert out.read_text(encoding="utf-8").count("BEGIN:VCARD") == 1
    text = run_cli(vault, "export", "vcard", "--out", str(out))
    assert text.stdout == "" and text.stderr == f"Wrote 1 contacts to {out}\n"


def test_export_json_without_out_is_a_usage_error(tmp_path: Path) -> None:
    vault, _ = setup(tmp_path, "vcard")
    result = run_cli(vault, "export", "vcard", "--format", "json")
    assert result.exit_code == 2
    assert "--out" in result.stderr and result.stdout == ""
