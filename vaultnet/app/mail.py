"""``import mail``: the user's own mail as interactions with their contacts.

Only the headers are read (From, To, Cc, Bcc, Date, Subject, Message-ID and what marks
bulk mail), never a body: an mbox is read line by line and each message's body skipped,
so a mailbox of gigabytes streams in flat memory. Maildir folders (with their subfolders)
and folders of ``.eml`` files are read through the standard library's ``mailbox``, one
message file at a time.
"""

from __future__ import annotations

import contextlib
import functools
import mailbox
import os
from collections import Counter
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from email.header import decode_header, make_header
from email.message import Message
from email.parser import BytesHeaderParser
from email.policy import compat32
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import Path
from typing import Any, BinaryIO

from vaultnet.app.context import App
from vaultnet.app.interactions import Progress, StreamedRun, mail_book
from vaultnet.core.errors import UsageError
from vaultnet.core.interactions import (
    MAIL,
    MailBook,
    MailDays,
    Tally,
    is_bulk,
    my_addresses,
    normal_address,
    short_id,
)
from vaultnet.store.index import Index

_PARSER = BytesHeaderParser(policy=compat32)
_BULK_HEADERS = ("list-id", "list-unsubscribe", "precedence", "auto-submitted")
_PROGRESS_EVERY = 1 << 20  # bytes of an mbox, or 256 message files, between two ticks
COUNTS = ("read", "matched", "bulk", "not_yours", "undated", "outside")


def import_mail(
    app: App,
    path: Path,
    index: Index,
    *,
    since: date | None = None,
    dry_run: bool = False,
    subjects: bool = True,
    progress: Progress | None = None,
    me_addresses: Sequence[str] = (),
) -> StreamedRun:
    """Read the mailbox at ``path``, find the messages between the user and their
    contacts, and (unless a dry run) write them into the day notes, one day at a time as
    the run's notes are read (``StreamedRun.notes``).

    The user's addresses are ``[me] email`` and ``emails`` in the config plus
    ``me_addresses`` (``--me``); with none, nothing is written: the error names the
    mailbox's most frequent sender who is no contact as the likely user."""
    for address in me_addresses:
        if "@" not in address:
            raise UsageError(f"--me {address!r} is not an email address")
    me = my_addresses(app.config["me"]["email"], [*app.config["me"]["emails"], *me_addresses])
    book = mail_book(index)
    if not me:
        raise UsageError(_who_are_you(likely_user(path, book, progress)))
    tally = Tally(dict.fromkeys(COUNTS, 0))
    days = MailDays()
    window = (since or date.min, app.today)
    for headers in read_headers(path, progress):
        _found(headers, me, book, tally, window, days, subjects)
    return StreamedRun(
        app.vault,
        app.config,
        MAIL,
        (tally.counts, tally.top_strangers()),
        (days, book.people),
        subjects=subjects,
        dry_run=dry_run,
    )


def likely_user(
    path: Path, book: MailBook, progress: Progress | None = None
) -> tuple[str, int] | None:
    """The mailbox's most frequent sender that is neither bulk mail nor a contact, and how
    many messages they sent; None when there is none."""
    sent: Counter[str] = Counter()
    for msg in read_headers(path, progress):
        senders = _addresses(msg, "from")
        sender = senders[0][1] if senders else ""
        if not sender or book.numbers(sender):
            continue
        if not is_bulk({h: str(msg.get(h, "")) for h in _BULK_HEADERS if h in msg}, sender):
            sent[sender] += 1
    if not sent:
        return None
    address, count = min(sent.items(), key=lambda kv: (-kv[1], kv[0]))
    return address, count


def _who_are_you(guess: tuple[str, int] | None) -> str:
    where = "[me] emails in .vaultnet/config.toml"
    if guess is None:
        return (
            "vaultnet does not know your email addresses: set email (and emails, a list of"
            " the others) under [me] in .vaultnet/config.toml, or pass --me ADDRESS;"
            " nothing was written"
        )
    address, count = guess
    return (
        f"vaultnet does not know your email addresses: you seem to be {address}"
        f" ({count} message{'s' if count != 1 else ''} sent); add it to {where}, or pass"
        f" --me {address}; nothing was written"
    )


def _found(
    msg: Message,
    me: frozenset[str],
    book: MailBook,
    tally: Tally,
    window: tuple[date, date],
    days: MailDays,
    subjects: bool,
) -> None:
    """Count one message in ``tally`` as what it is, and in ``days`` when it is mail with
    contacts (its subject only when ``subjects``: nothing else shows it)."""
    counts = tally.counts
    counts["read"] += 1
    senders = _addresses(msg, "from")
    sender = senders[0][1] if senders else ""
    if is_bulk({h: str(msg.get(h, "")) for h in _BULK_HEADERS if h in msg}, sender):
        counts["bulk"] += 1
        return
    recipients = [a for h in ("to", "cc", "bcc") for a in _addresses(msg, h)]
    if sender in me:
        others = [(n, a) for n, a in recipients if a not in me]
    elif any(a in me for _, a in recipients):
        others = list(senders[:1])
    else:
        counts["not_yours"] += 1
        return
    when = _date(msg)
    if when is None:
        counts["undated"] += 1
        return
    if not window[0] <= when.date() <= window[1]:
        counts["outside"] += 1
        return
    people: dict[int, None] = {}
    for name, address in others:
        found = book.numbers(address)
        if not found:
            tally.stranger(name, address)
        people.update(dict.fromkeys(found))
    if not people:
        return
    counts["matched"] += 1
    ident = str(msg.get("message-id", "")).strip() or "|".join(
        (str(msg.get("date", "")), sender, str(msg.get("subject", "")))
    )
    subject = _text(msg.get("subject", "")) if subjects else ""
    days.add(when.date(), people, subject, short_id(ident), when.timestamp())


def _addresses(msg: Message, header: str) -> tuple[tuple[str, str], ...]:
    """(decoded name, normalised address) of each address a header holds."""
    values = msg.get_all(header)
    if not values:
        return ()
    return _parsed(tuple(str(v) for v in values))


@functools.lru_cache(maxsize=1024)
def _parsed(values: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    # The same few values come again and again (the user's own address above all):
    # parsing is most of the time a message takes, and a few recent ones are kept.
    return tuple(
        (_text(name), normal_address(addr)) for name, addr in getaddresses(values) if "@" in addr
    )


def _text(value: object) -> str:
    """A header's text: RFC 2047 words decoded, raw 8-bit bytes read as UTF-8."""
    text = str(value)
    if not text.isascii():
        text = text.encode("ascii", "surrogateescape").decode("utf-8", "replace")
    if "=?" in text:
        # A malformed encoded word: keep the text as written.
        with contextlib.suppress(ValueError, LookupError, UnicodeError):
            text = str(make_header(decode_header(text)))
    return " ".join(text.split())


def _date(msg: Message) -> datetime | None:
    raw = msg.get("date")
    if not raw:
        return None
    try:
        return parsedate_to_datetime(str(raw))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


# -- reading mailboxes ---------------------------------------------------------------------
def read_headers(path: Path, progress: Progress | None = None) -> Iterator[Message]:
    """The headers of every message at ``path``: an mbox file, a Maildir folder, or a
    folder of ``.eml`` files."""
    if path.is_file():
        yield from _mbox(path, progress)
    elif (path / "cur").is_dir() or (path / "new").is_dir():
        yield from _maildir(mailbox.Maildir(path, create=False), progress)
    elif path.is_dir():
        yield from _eml_files(sorted(path.rglob("*.eml")), progress)
    else:
        raise UsageError(f"{path}: neither a mailbox file nor a folder of mail")


def _mbox(path: Path, progress: Progress | None) -> Iterator[Message]:
    """The headers of each message of an mbox: read line by line, the bodies skipped."""
    total = os.path.getsize(path)
    with open(path, "rb") as fh:
        yield from _mbox_messages(fh, total, progress)
    if progress is not None:
        progress(total, total)


def _mbox_messages(fh: BinaryIO, total: int, progress: Progress | None) -> Iterator[Message]:
    # A message starts at a "From " line at the top or after a blank line (a body's own
    # "From " lines are escaped as ">From " by every writer of mboxes).
    head: list[bytes] | None = None  # the current message's header lines; None in a body
    done = next_tick = 0
    blank = True
    for line in fh:
        done += len(line)
        if blank and line.startswith(b"From "):
            if head:
                yield _PARSER.parsebytes(b"".join(head))
            head = []
            if progress is not None and done >= next_tick:
                progress(done, total)
                next_tick = done + _PROGRESS_EVERY
            blank = False
            continue
        blank = line in (b"\n", b"\r\n")
        if head is None:
            continue
        if blank:
            yield _PARSER.parsebytes(b"".join(head))
            head = None
        else:
            head.append(line)
    if head:
        yield _PARSER.parsebytes(b"".join(head))


def _maildir(box: mailbox.Maildir, progress: Progress | None) -> Iterator[Message]:
    """The headers of a Maildir's messages and of its subfolders' (Sent, Archive...)."""
    boxes = [box]
    for folder in boxes:
        boxes.extend(folder.get_folder(name) for name in sorted(folder.list_folders()))
    keys = [(b, key) for b in boxes for key in sorted(b.iterkeys())]
    total = len(keys)
    for i, (b, key) in enumerate(keys):
        with b.get_file(key) as fh:
            yield _PARSER.parsebytes(_header_block(fh))
        _tick(progress, i, total)


def _eml_files(paths: list[Path], progress: Progress | None) -> Iterator[Message]:
    total = len(paths)
    for i, file in enumerate(paths):
        with open(file, "rb") as fh:
            yield _PARSER.parsebytes(_header_block(fh))
        _tick(progress, i, total)


def _tick(progress: Progress | None, i: int, total: int) -> None:
    if progress is not None and (i % 256 == 0 or i + 1 == total):
        progress(i + 1, total)


def _header_block(fh: Any) -> bytes:
    head = []
    for line in iter(fh.readline, b""):
        if line in (b"\n", b"\r\n"):
            break
        head.append(line)
    return b"".join(head)
