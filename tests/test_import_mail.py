"""`vaultnet import mail`: an mbox, a Maildir and a folder of .eml files as day notes."""

from __future__ import annotations

import json
import mailbox
from pathlib import Path

from helpers import make_vault, run_cli

CONFIG = '[me]\nemail = "me@example.com"\nemails = ["Me.Work@corp.example"]\n'
ANN = "---\nemail: ann.lee@example.org\ncadence: monthly\n---\n# Ann Lee\n"
BO = "---\nemail:\n  - bo@old.example\n  - Bo.Chen@corp.example\ncadence: weekly\n---\n# Bo\n"


def message(
    sender: str,
    to: str,
    subject: str,
    date: str,
    msgid: str | None,
    cc: str = "",
    extra: str = "",
) -> str:
    headers = [f"From: {sender}", f"To: {to}"]
    if cc:
        headers.append(f"Cc: {cc}")
    headers += [f"Subject: {subject}", f"Date: {date}"]
    if msgid:
        headers.append(f"Message-ID: <{msgid}>")
    if extra:
        headers.append(extra)
    return "\n".join(headers) + "\n\nThe body is never read.\n>From the body too.\n"


# The mailbox of every case: (message, why).
MESSAGES = [
    # The user writes to Ann (a +tag address, any case) and to a stranger.
    message(
        "Me <me@example.com>",
        "Ann Lee <Ann.Lee+work@Example.ORG>, Sam Ortiz <sam@ortiz.example>",
        "=?utf-8?q?Re=3A_Q1_roadmap?=",
        "Fri, 20 Nov 2026 10:00:00 +0100",
        "m1@example.com",
    ),
    # Ann writes back later that day: still one line for Ann.
    message(
        "=?iso-8859-1?q?Ann_L=E9e?= <ann.lee@example.org>",
        "me@example.com",
        "Re: Re: Q1 roadmap",
        "Fri, 20 Nov 2026 15:00:00 +0100",
        "m2@example.org",
    ),
    # To two contacts at once, from the user's other address; Cc'd Sam again.
    message(
        "Me Work <me.work@corp.example>",
        "Ann Lee <ann.lee@example.org>",
        "Offsite [[planning]] #person",
        "Sat, 21 Nov 2026 09:00:00 +0000",
        "m3@corp.example",
        cc="Bo Chen <bo.chen@corp.example>, Sam Ortiz <sam@ortiz.example>",
    ),
    # Bulk and list mail, even from a contact's address.
    message(
        "Ann Lee <ann.lee@example.org>",
        "me@example.com",
        "Newsletter",
        "Sat, 21 Nov 2026 12:00:00 +0000",
        "m4@example.org",
        extra="List-Id: <news.example.org>",
    ),
    message(
        "Bo <bo@old.example>",
        "me@example.com",
        "Digest",
        "Sat, 21 Nov 2026 12:00:00 +0000",
        "m5@old.example",
        extra="Precedence: bulk",
    ),
    message(
        "Robot <no-reply@corp.example>",
        "me@example.com",
        "Your invoice",
        "Sat, 21 Nov 2026 12:00:00 +0000",
        "m6@corp.example",
    ),
    # Between two others: not the user's.
    message(
        "Ann Lee <ann.lee@example.org>",
        "Bo Chen <bo.chen@corp.example>",
        "Between them",
        "Sat, 21 Nov 2026 12:00:00 +0000",
        "m7@example.org",
    ),
    # Bo writes to the user without a Message-ID.
    message(
        "Bo Chen <bo@old.example>",
        "Me <ME@example.com>",
        "Lunch?",
        "Sun, 22 Nov 2026 08:30:00 +0000",
        None,
    ),
]

NOTE_20 = (
    "---\n"
    "date: 2026-11-20\n"
    "mail_ids: {ids}\n"
    "---\n"
    "- \u2709\ufe0f [[Ann Lee]] \u2014 Re: Q1 roadmap\n"
)
NOTE_21 = (
    "---\n"
    "date: 2026-11-21\n"
    "mail_ids: {ids}\n"
    "---\n"
    "- \u2709\ufe0f [[Ann Lee]] \u2014 Offsite \\[\\[planning\\]\\] \\#person\n"
    "- \u2709\ufe0f [[Bo Chen]] \u2014 Offsite \\[\\[planning\\]\\] \\#person\n"
)
NOTE_22 = "---\ndate: 2026-11-22\nmail_ids: {ids}\n---\n- \u2709\ufe0f [[Bo Chen]] \u2014 Lunch?\n"


def vault_with_contacts(tmp_path: Path) -> Path:
    return make_vault(
        tmp_path,
        {
            ".vaultnet/config.toml": CONFIG,
            "People/Ann Lee.md": ANN,
            "People/Bo Chen.md": BO,
        },
    )


def write_mbox(path: Path, messages: list[str]) -> Path:
    text = "".join(f"From sender@example Sat Nov 21 00:00:00 2026\n{m}\n" for m in messages)
    path.write_text(text, encoding="utf-8")
    return path


def ids_of(note: str) -> list[str]:
    line = next(ln for ln in note.splitlines() if ln.startswith("mail_ids:"))
    return line.split(":", 1)[1].split()


def read(vault: Path, day: str) -> str:
    return (vault / "Interactions" / "2026" / f"{day} Mail.md").read_text(encoding="utf-8")


def test_an_mbox_becomes_day_notes_byte_for_byte(tmp_path: Path) -> None:
    vault = vault_with_contacts(tmp_path)
    mbox = write_mbox(tmp_path / "all.mbox", MESSAGES)
    result = run_cli(vault, "import", "mail", str(mbox))
    assert result.exit_code == 0, result.output
    n20, n21, n22 = read(vault, "2026-11-20"), read(vault, "2026-11-21"), read(vault, "2026-11-22")
    assert len(ids_of(n20)) == 2 and len(ids_of(n21)) == 1 and len(ids_of(n22)) == 1
    assert n20 == NOTE_20.format(ids=" ".join(ids_of(n20)))
    assert n21 == NOTE_21.format(ids=" ".join(ids_of(n21)))
    assert n22 == NOTE_22.format(ids=" ".join(ids_of(n22)))
    assert sorted(p.name for p in (vault / "Interactions" / "2026").iterdir()) == [
        "2026-11-20 Mail.md",
        "2026-11-21 Mail.md",
        "2026-11-22 Mail.md",
    ]
    out = result.stdout
    assert "8 messages read, 4 with contacts, 3 skipped as bulk or list mail" in out
    assert "1 neither from nor to you" in out
    assert "Added 4 lines in 3 notes." in out
    assert "2  Sam Ortiz <sam@ortiz.example>" in out


def test_the_same_mailbox_again_adds_nothing(tmp_path: Path) -> None:
    vault = vault_with_contacts(tmp_path)
    mbox = write_mbox(tmp_path / "all.mbox", MESSAGES)
    assert run_cli(vault, "import", "mail", str(mbox)).exit_code == 0
    before = {p: p.read_bytes() for p in (vault / "Interactions").rglob("*.md")}
    again = run_cli(vault, "import", "mail", str(mbox))
    assert again.exit_code == 0, again.output
    assert {p: p.read_bytes() for p in (vault / "Interactions").rglob("*.md")} == before
    assert "Added 0 lines in 0 notes; 4 already imported." in again.stdout


def test_a_newer_export_adds_only_what_is_new_and_respects_edits(tmp_path: Path) -> None:
    vault = vault_with_contacts(tmp_path)
    first = write_mbox(tmp_path / "first.mbox", MESSAGES[:1])
    assert run_cli(vault, "import", "mail", str(first)).exit_code == 0
    note = vault / "Interactions" / "2026" / "2026-11-20 Mail.md"
    old = note.read_text(encoding="utf-8")
    (old_id,) = ids_of(old)
    # The user writes in the note: CRLF line endings, a comment, a line of their own.
    edited = (
        old.replace("\n", "\r\n").replace("date: 2026-11-20", "date: 2026-11-20  # the day")
        + "\r\nWe agreed on the scope.\r\n"
    )
    note.write_bytes(edited.encode("utf-8"))
    newer = write_mbox(tmp_path / "newer.mbox", MESSAGES)
    result = run_cli(vault, "import", "mail", str(newer), "--no-subjects")
    assert result.exit_code == 0, result.output
    ids = sorted([old_id, *[i for i in ids_of(read(vault, "2026-11-20")) if i != old_id]])
    assert len(ids) == 2
    # Ann already has her line: only the id of her reply is added, every other byte kept.
    assert note.read_bytes() == edited.replace(
        f"mail_ids: {old_id}", f"mail_ids: {' '.join(ids)}"
    ).encode("utf-8")
    assert read(vault, "2026-11-22") == (
        f"---\ndate: 2026-11-22\nmail_ids: {ids_of(read(vault, '2026-11-22'))[0]}\n---\n"
        "- \u2709\ufe0f [[Bo Chen]]\n"
    )
    assert "1 already imported" in result.stdout


def test_maildir_and_eml_folder_read_the_same(tmp_path: Path) -> None:
    mbox_vault = vault_with_contacts(tmp_path / "a")
    assert run_cli(mbox_vault, "import", "mail", str(write_mbox(tmp_path / "m", MESSAGES)))
    expected = {
        p.relative_to(mbox_vault): p.read_bytes()
        for p in (mbox_vault / "Interactions").rglob("*.md")
    }
    # A Maildir with the sent mail in a subfolder, as mbsync lays it out.
    maildir = mailbox.Maildir(tmp_path / "Maildir", create=True)
    sent = maildir.add_folder("Sent")
    for text in MESSAGES:
        (sent if text.startswith("From: Me") else maildir).add(text.encode("utf-8"))
    # A folder of .eml files with CRLF line endings, in subfolders.
    eml = tmp_path / "eml"
    for i, text in enumerate(MESSAGES):
        path = eml / ("sent" if i % 2 else "inbox") / f"{i:02d}.eml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    for name, source in (("b", tmp_path / "Maildir"), ("c", eml)):
        vault = vault_with_contacts(tmp_path / name)
        result = run_cli(vault, "import", "mail", str(source))
        assert result.exit_code == 0, result.output
        assert "8 messages read, 4 with contacts" in result.stdout
        got = {p.relative_to(vault): p.read_bytes() for p in (vault / "Interactions").rglob("*.md")}
        assert got == expected


def test_duplicates_across_two_exports_count_once(tmp_path: Path) -> None:
    vault = vault_with_contacts(tmp_path)
    both = tmp_path / "eml"
    both.mkdir()
    (both / "inbox-copy.eml").write_text(MESSAGES[0], encoding="utf-8")
    (both / "sent-copy.eml").write_text(MESSAGES[0], encoding="utf-8")
    result = run_cli(vault, "import", "mail", str(both))
    assert result.exit_code == 0, result.output
    assert len(ids_of(read(vault, "2026-11-20"))) == 1


def test_dry_run_prints_the_plan_and_writes_nothing(tmp_path: Path) -> None:
    vault = vault_with_contacts(tmp_path)
    mbox = write_mbox(tmp_path / "all.mbox", MESSAGES)
    result = run_cli(vault, "import", "mail", str(mbox), "--dry-run")
    assert result.exit_code == 0, result.output
    assert not (vault / "Interactions").exists()
    assert result.stdout.splitlines()[:2] == [
        "create Interactions/2026/2026-11-20 Mail.md",
        "  - \u2709\ufe0f [[Ann Lee]] \u2014 Re: Q1 roadmap",
    ]
    assert "Would add 4 lines in 3 notes (dry run: nothing was written)." in result.stdout


def test_since_and_json(tmp_path: Path) -> None:
    vault = vault_with_contacts(tmp_path)
    mbox = write_mbox(tmp_path / "all.mbox", MESSAGES)
    result = run_cli(
        vault, "import", "mail", str(mbox), "--since", "2026-11-21", "--format", "json"
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert sorted(data) == [
        "already_imported", "counts", "dry_run", "not_contacts", "notes", "source"
    ]  # fmt: skip
    assert data["source"] == "mail" and data["dry_run"] is False
    assert data["counts"] == {
        "read": 8, "matched": 2, "bulk": 3, "not_yours": 1, "undated": 0, "outside": 2
    }  # fmt: skip
    assert [n["path"] for n in data["notes"]] == [
        "Interactions/2026/2026-11-21 Mail.md",
        "Interactions/2026/2026-11-22 Mail.md",
    ]
    assert sorted(data["notes"][0]) == ["error", "ids", "lines", "new", "path", "status"]
    assert data["notes"][0]["status"] == "created"
    assert data["not_contacts"] == [{"name": "Sam Ortiz", "email": "sam@ortiz.example", "count": 1}]


def test_followups_and_show_see_the_mail(tmp_path: Path) -> None:
    vault = vault_with_contacts(tmp_path)
    before = run_cli(vault, "followups", "--format", "json", today="2026-11-25")
    assert {c["name"] for c in json.loads(before.stdout)} == {"Ann Lee", "Bo Chen"}
    mbox = write_mbox(tmp_path / "all.mbox", MESSAGES)
    assert run_cli(vault, "import", "mail", str(mbox)).exit_code == 0
    shown = run_cli(vault, "show", "Ann Lee", today="2026-11-25")
    assert (
        "Last contact: 2026-11-21 (4 days ago; mentioned in Interactions/2026/2026-11-21 Mail.md)"
        in shown.stdout
    )
    # Monthly Ann is not due four days after the mail; weekly Bo is, a week after his.
    # (Bo, weekly, comes within the week's horizon.)
    due = run_cli(vault, "followups", "--format", "json", today="2026-11-25")
    (bo,) = json.loads(due.stdout)
    assert (bo["name"], bo["last_contact"], bo["due"]) == ("Bo Chen", "2026-11-22", "2026-11-29")


def test_a_checkin_knows_the_last_mail(tmp_path: Path) -> None:
    vault = vault_with_contacts(tmp_path)
    mbox = write_mbox(tmp_path / "all.mbox", MESSAGES)
    assert run_cli(vault, "import", "mail", str(mbox)).exit_code == 0
    result = run_cli(vault, "checkin", "Bo Chen", "--template", "follow-up", today="2026-12-20")
    assert result.exit_code == 0, result.output
    # "last time" is the line of the day note, not its title "Mail" (#19).
    assert "our conversation on 22 November (Lunch?)." in result.stdout


def test_last_time_is_the_line_that_links_the_contact(tmp_path: Path) -> None:
    vault = vault_with_contacts(tmp_path)
    probe = "---\nsubject: s\ndescription: t\n---\n{{ last_interaction.text }}|\n"
    (vault / "Templates" / "vaultnet").mkdir(parents=True)
    (vault / "Templates" / "vaultnet" / "probe.md").write_text(probe, encoding="utf-8")
    # Ann's last mail is on the 21st, with Markdown escaped in its subject.
    mbox = write_mbox(tmp_path / "all.mbox", MESSAGES)
    assert run_cli(vault, "import", "mail", str(mbox)).exit_code == 0
    ann = run_cli(vault, "checkin", "Ann Lee", "-t", "probe")
    assert ann.exit_code == 0, ann.output
    assert "\nOffsite planning #person|\n" in ann.stdout
    # Imported without subjects: the line says nothing, and the note's title stands in.
    other = make_vault(tmp_path / "other", {
        ".vaultnet/config.toml": CONFIG, "People/Bo Chen.md": BO,
        "Templates/vaultnet/probe.md": probe,
    })  # fmt: skip
    assert run_cli(other, "import", "mail", str(mbox), "--no-subjects").exit_code == 0
    bo = run_cli(other, "checkin", "Bo Chen", "-t", "probe")
    assert "\nMail|\n" in bo.stdout
    # A note elsewhere that happens to be called "... Mail" is read by its title as before.
    (vault / "Notes").mkdir()
    (vault / "Notes" / "2026-11-24 Mail.md").write_text(
        "- \u2709\ufe0f [[Ann Lee]] \u2014 not an import\n", encoding="utf-8"
    )
    assert "\nMail|\n" in run_cli(vault, "checkin", "Ann Lee", "-t", "probe").stdout


def test_without_your_addresses_it_says_where_to_set_them(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {"People/Ann Lee.md": ANN})
    mbox = write_mbox(tmp_path / "all.mbox", MESSAGES)
    result = run_cli(vault, "import", "mail", str(mbox))
    assert result.exit_code == 2
    assert "[me]" in result.stderr and "config.toml" in result.stderr
    assert not (vault / "Interactions").exists()


def test_without_your_addresses_it_names_the_likely_one(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {"People/Ann Lee.md": ANN})
    # The user's Sent mail; Ann (a contact) and a newsletter write more often.
    sent = [
        message("Me <me@example.com>", "x@y.example", "a", f"Mon, {d} Nov 2026 10:00 +0000", None)
        for d in (2, 3, 4)
    ]
    ann = message(
        "ann.lee@example.org", "me@example.com", "hi", "Mon, 2 Nov 2026 11:00 +0000", None
    )
    news = message("news@shop.example", "me@example.com", "sale", "Mon, 2 Nov 2026 1:00 +0000", None,
                   extra="List-Id: <shop>")  # fmt: skip
    mbox = write_mbox(tmp_path / "all.mbox", [*sent, ann, ann, ann, ann, news, news, news, news])
    for args in ((), ("--dry-run",)):
        result = run_cli(vault, "import", "mail", str(mbox), *args)
        assert result.exit_code == 2
        assert (
            "you seem to be me@example.com (3 messages sent); add it to [me] emails in"
            " .vaultnet/config.toml, or pass --me me@example.com; nothing was written"
        ) in result.stderr
        assert result.stdout == ""
    assert not (vault / "Interactions").exists()


def test_me_gives_your_addresses_for_this_import(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, {"People/Ann Lee.md": ANN, "People/Bo Chen.md": BO})
    mbox = write_mbox(tmp_path / "all.mbox", MESSAGES)
    args = ("--me", "me@example.com", "--me", "Me.Work@corp.example")
    result = run_cli(vault, "import", "mail", str(mbox), *args)
    assert result.exit_code == 0, result.output
    n20, n21 = read(vault, "2026-11-20"), read(vault, "2026-11-21")
    assert n20 == NOTE_20.format(ids=" ".join(ids_of(n20)))
    assert n21 == NOTE_21.format(ids=" ".join(ids_of(n21)))
    assert not (vault / ".vaultnet" / "config.toml").exists()  # nothing remembered
    bad = run_cli(vault, "import", "mail", str(mbox), "--me", "me")
    assert bad.exit_code == 2 and "--me 'me' is not an email address" in bad.stderr


def test_interactions_folder_is_configurable(tmp_path: Path) -> None:
    vault = vault_with_contacts(tmp_path)
    config = vault / ".vaultnet" / "config.toml"
    config.write_text('interactions_folder = "Journal/Mail"\n' + CONFIG, encoding="utf-8")
    mbox = write_mbox(tmp_path / "all.mbox", MESSAGES[:1])
    assert run_cli(vault, "import", "mail", str(mbox)).exit_code == 0
    assert (vault / "Journal" / "Mail" / "2026" / "2026-11-20 Mail.md").is_file()


def test_a_broken_note_is_an_error_of_its_own(tmp_path: Path) -> None:
    vault = vault_with_contacts(tmp_path)
    broken = vault / "Interactions" / "2026" / "2026-11-20 Mail.md"
    broken.parent.mkdir(parents=True)
    broken.write_text("---\ndate: [2026\n---\nmine\n", encoding="utf-8")
    mbox = write_mbox(tmp_path / "all.mbox", MESSAGES)
    result = run_cli(vault, "import", "mail", str(mbox))
    assert result.exit_code == 1
    assert broken.read_text(encoding="utf-8") == "---\ndate: [2026\n---\nmine\n"
    assert "2026-11-20 Mail.md" in result.stderr
    assert read(vault, "2026-11-21").startswith("---\ndate: 2026-11-21\n")
