"""Generate a deterministic mbox for benchmarking ``vaultnet import mail``.

    python bench/genmbox.py --messages 100000 --vault VAULT --seed 1 OUT.mbox

The user is ``me@bench.example``. About 45% of the messages are between the user and a
contact of VAULT (every address its notes hold, found by a pattern, in path order), 25%
are bulk or list mail, the rest with a pool of strangers; a tenth of the subjects and
names are RFC 2047 encoded, bodies run from a line to a few kilobytes, dates span the two
years before 2026-11-25. The same arguments give the same bytes.
"""

from __future__ import annotations

import argparse
import base64
import random
import re
import sys
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

ME = "me@bench.example"
END = datetime(2026, 11, 25, tzinfo=UTC)
SPAN_DAYS = 730
_ADDRESS = re.compile(rb"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.example")
WORDS = [
    "roadmap", "quarterly", "review", "lunch", "coffee", "intro", "offsite", "budget",
    "hiring", "contract", "draft", "notes", "follow-up", "meeting", "call", "proposal",
    "launch", "feedback", "plan", "update", "thanks", "question",
]  # fmt: skip
ACCENTED = ["Zoë", "José", "Ångström", "Łukasz", "Müller", "Siobhán", "Çelik"]


def vault_addresses(vault: Path) -> list[str]:
    """Every address the vault's notes hold (contacts' and others'), in path order."""
    found: dict[str, None] = {}
    for path in sorted(vault.rglob("*.md")):
        if ".vaultnet" in path.parts:
            continue
        for m in _ADDRESS.finditer(path.read_bytes()):
            found.setdefault(m.group(0).decode("ascii", "replace"), None)
    return list(found)


def encoded(text: str) -> str:
    return "=?utf-8?b?" + base64.b64encode(text.encode("utf-8")).decode("ascii") + "?="


def subject(rng: random.Random) -> str:
    words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 6))).capitalize()
    prefix = rng.choice(["", "", "Re: ", "Fwd: ", "Re: Re: "])
    if rng.random() < 0.1:
        return encoded(f"{prefix}{words} {rng.choice(ACCENTED)}")
    return prefix + words


def display(rng: random.Random, address: str) -> str:
    local = address.split("@", 1)[0]
    name = " ".join(part.capitalize() for part in re.split(r"[._+-]", local) if part)
    if rng.random() < 0.1:
        name = f"{name} {rng.choice(ACCENTED)}"
        return f"{encoded(name)} <{address}>"
    return f'"{name}" <{address}>' if rng.random() < 0.5 else f"{name} <{address}>"


def message(rng: random.Random, n: int, contacts: list[str], strangers: list[str]) -> str:
    when = END - timedelta(seconds=rng.randrange(SPAN_DAYS * 86400))
    zone = timezone(timedelta(hours=rng.choice([-8, -5, 0, 1, 2, 9])))
    date = when.astimezone(zone).strftime("%a, %d %b %Y %H:%M:%S %z")
    roll = rng.random()
    extra: list[str] = []
    if roll < 0.45 and contacts:
        other = rng.choice(contacts)
    elif roll < 0.70:
        other = rng.choice([f"news{n % 50}@lists.example", f"noreply@shop{n % 30}.example"])
        extra.append(f"List-Id: <list{n % 50}.lists.example>" if "news" in other else "")
    else:
        other = rng.choice(strangers)
    outgoing = rng.random() < 0.4 and not extra
    sender, to = (ME, [other]) if outgoing else (other, [ME])
    if outgoing and contacts and rng.random() < 0.2:
        to.append(rng.choice(contacts))
    lines = [
        f"From {sender.split('@')[0]}@x {when:%a %b %d %H:%M:%S %Y}",
        f"From: {display(rng, sender)}",
        "To: " + ", ".join(display(rng, a) for a in to),
    ]
    if rng.random() < 0.2:
        lines.append(f"Cc: {display(rng, rng.choice(strangers))}")
    lines += [
        f"Subject: {subject(rng)}",
        f"Date: {date}",
        f"Message-ID: <{n}.{rng.getrandbits(48):x}@bench.example>",
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=utf-8",
        *(e for e in extra if e),
        "",
    ]
    body_lines = rng.choice([1, 3, 10, 40]) if rng.random() < 0.97 else 400
    lines += [" ".join(rng.choice(WORDS) for _ in range(10)) for _ in range(body_lines)]
    if rng.random() < 0.05:
        lines.append(">From the archive, quoted.")
    return "\n".join(lines) + "\n\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--vault", type=Path, help="take the contacts' addresses from here")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.messages < 1:
        parser.error("--messages must be at least 1")
    rng = random.Random(args.seed)
    contacts = vault_addresses(args.vault) if args.vault else []
    strangers = [f"stranger{i}@people{i % 97}.example" for i in range(2000)]
    with open(args.out, "w", encoding="utf-8", newline="\n") as fh:
        for n in range(args.messages):
            fh.write(message(rng, n, contacts, strangers))
    size = args.out.stat().st_size
    print(
        f"wrote {args.messages} messages ({size / 2**20:.1f} MiB, {len(contacts)} contact addresses)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
