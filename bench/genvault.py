"""Generate a realistic, deterministic Obsidian-style vault for benchmarking vaultnet.

    python bench/genvault.py --contacts 10000 --notes 30000 --seed 1 [--bad 12] OUT

Contacts (People/, People/<Company>/, and a few tagged #person elsewhere) use every field
of the vault format, with unicode names, aliases, log sections and tasks; daily notes,
meeting notes and other notes link them as ``[[Name]]``, ``[[Alias]]``, ``[[Name|label]]``
and Markdown links. ``--bad K`` adds K malformed or unusual files (broken YAML, non-UTF-8
bytes, a BOM, CRLF, empty files, unclosed front matter, a YAML alias bomb, ...).

The same arguments give a byte-identical tree. Files are written as they are generated;
only the contacts' names are kept in memory. ``--manifest FILE`` writes a JSON description
(the bad files and what they are, contacts safe to edit) for bench/run.py and the tests.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import quote

TODAY = date(2026, 11, 25)  # the benchmark's --today; dates cluster around it
FIRST_DAY = date(2014, 1, 1)

# -- name material ---------------------------------------------------------------------

LATIN_FIRST = [
    "Zoë",
    "Søren",
    "Inês",
    "José",
    "Łukasz",
    "Anaïs",
    "Björn",
    "Renée",
    "Chloé",
    "François",
    "Jürgen",
    "Ólafur",
    "Siobhán",
    "Nikolaj",
    "Mateus",
    "Aurélie",
    "Ngozi",
    "Oluwaseun",
    "Priya",
    "Aarav",
    "Ananya",
    "Kenji",
    "Yuki",
    "Mei",
    "Wei",
    "Hana",
    "Thảo",
    "Minh",
    "Chinedu",
    "Amara",
    "Fatima",
    "Omar",
    "Layla",
    "Youssef",
    "Noor",
    "Ahmet",
    "Elif",
    "Zeynep",
    "Dmitri",
    "Olga",
    "Irina",
    "Katarzyna",
    "Agnieszka",
    "Tomás",
    "Lucía",
    "Álvaro",
    "Camila",
    "Joaquín",
    "Mariana",
    "Emma",
    "Liam",
    "Olivia",
    "Noah",
    "Ava",
    "Lucas",
    "Mia",
    "Leon",
    "Sofia",
    "Elena",
    "Marco",
    "Giulia",
    "Hannah",
    "Jonas",
    "Lena",
    "Felix",
    "Maya",
    "Sam",
    "Alex",
    "Grace",
    "Daniel",
    "Helen",
    "Rafael",
    "Aisha",
    "Camille",
    "Nikolai",
    "Kwame",
    "Abena",
    "Tariq",
    "Ingrid",
    "Astrid",
    "Maëlle",
    "Benoît",
    "Hélène",
    "Gonçalo",
    "João",
    "Sebastián",
    "Martina",
    "Matías",
    "Valentina",
    "Andrés",
    "Paula",
    "Ewa",
    "Piotr",
    "Zsófia",
    "Bálint",
    "Dagný",
    "Eiríkur",
    "Aleksandra",
    "Miloš",
    "Jovana",
    "Ayşe",
    "Emre",
    "Rania",
    "Karim",
    "Leïla",
    "Yasmin",
    "Jasper",
    "Freya",
    "Marit",
    "Sanne",
    "Pieter",
    "Annelies",
    "Kaisa",
    "Aino",
    "Oskar",
    "Ville",
    "Saoirse",
    "Ciarán",
    "Niamh",
    "Eoin",
    "Ruth",
    "Miriam",
    "Ezra",
    "Tobias",
    "Clara",
    "Henrik",
    "Sigrid",
    "Matteo",
    "Chiara",
    "Lorenzo",
    "Bianca",
    "Ravi",
    "Deepa",
    "Arjun",
    "Kavya",
    "Sanjay",
    "Meera",
    "Rohan",
    "Ishaan",
    "Tanvi",
    "Adebayo",
    "Chiamaka",
    "Femi",
    "Nia",
    "Kofi",
    "Efua",
]
LATIN_LAST = [
    "Martín",
    "Ødegaard",
    "Duarte",
    "Kovács",
    "Müller",
    "Schröder",
    "Nováková",
    "Wiśniewski",
    "García",
    "Fernández",
    "Okafor",
    "Nwosu",
    "Adeyemi",
    "Mensah",
    "Raman",
    "Sharma",
    "Iyer",
    "Watanabe",
    "Tanaka",
    "Nakamura",
    "Kim",
    "Park",
    "Lee",
    "Nguyễn",
    "Trần",
    "Chen",
    "Wang",
    "Liu",
    "Zhang",
    "O'Brien",
    "MacLeod",
    "Fitzgerald",
    "Rossi",
    "Bianchi",
    "Dubois",
    "Lefèvre",
    "Laurent",
    "Lindqvist",
    "Johansson",
    "Virtanen",
    "Kowalski",
    "Petrov",
    "Ivanova",
    "Haddad",
    "Yılmaz",
    "Öztürk",
    "Costa",
    "Silva",
    "Oliveira",
    "Herrera",
    "Rahman",
    "Achterberg",
    "Smith",
    "Johnson",
    "Brown",
    "Taylor",
    "Anderson",
    "Thomas",
    "Walker",
    "Hughes",
    "Murphy",
    "Schmidt",
    "Fischer",
    "Weber",
    "Wagner",
    "Becker",
    "Hoffmann",
    "Schäfer",
    "Koch",
    "Richter",
    "Dvořák",
    "Černý",
    "Horváth",
    "Szabó",
    "Tóth",
    "Nagy",
    "Jónsdóttir",
    "Sigurðsson",
    "Hansen",
    "Nielsen",
    "Jensen",
    "Pedersen",
    "Larsen",
    "Andersson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Berg",
    "Haugen",
    "Korhonen",
    "Mäkinen",
    "Leclerc",
    "Girard",
    "Moreau",
    "Fontaine",
    "Rousseau",
    "Marchetti",
    "Romano",
    "Ricci",
    "Esposito",
    "Conti",
    "Gallo",
    "Moreno",
    "Jiménez",
    "Ruiz",
    "Álvarez",
    "Romero",
    "Navarro",
    "Domínguez",
    "Vázquez",
    "Ramos",
    "Gil",
    "Serrano",
    "Núñez",
    "Pereira",
    "Santos",
    "Ferreira",
    "Rodrigues",
    "Almeida",
    "Carvalho",
    "Sousa",
    "Gomes",
    "Lopes",
    "Marques",
    "Okonkwo",
    "Balogun",
    "Eze",
    "Boateng",
    "Asante",
    "Owusu",
    "Kamau",
    "Wanjiru",
    "Odhiambo",
    "Banerjee",
    "Chatterjee",
    "Reddy",
    "Nair",
    "Pillai",
    "Menon",
    "Gupta",
    "Mehta",
    "Joshi",
    "Kapoor",
    "Malhotra",
    "Friedman",
    "Cohen",
    "Levi",
    "Mizrahi",
]
LATIN_LAST += ["de Vries", "van der Berg", "van Dijk", "Al-Sayed", "dos Santos", "Le Roux"]
# Native-script names with the romanisation that serves as their alias.
CHINESE_FAMILY = [("王", "Wang"), ("李", "Li"), ("张", "Zhang"), ("刘", "Liu"), ("陈", "Chen")]
CHINESE_FAMILY += [("杨", "Yang"), ("黄", "Huang"), ("赵", "Zhao"), ("吴", "Wu"), ("周", "Zhou")]
CHINESE_GIVEN = [("伟", "Wei"), ("芳", "Fang"), ("娜", "Na"), ("敏", "Min"), ("静", "Jing")]
CHINESE_GIVEN += [("磊", "Lei"), ("洋", "Yang"), ("婷", "Ting"), ("强", "Qiang"), ("丽", "Li")]
CHINESE_GIVEN += [("晓明", "Xiaoming"), ("思远", "Siyuan"), ("嘉怡", "Jiayi"), ("子涵", "Zihan")]
JAPANESE_FAMILY = [("田中", "Tanaka"), ("佐藤", "Sato"), ("鈴木", "Suzuki"), ("高橋", "Takahashi")]
JAPANESE_FAMILY += [
    ("渡辺", "Watanabe"),
    ("伊藤", "Ito"),
    ("山本", "Yamamoto"),
    ("中村", "Nakamura"),
]
JAPANESE_GIVEN = [("花子", "Hanako"), ("健", "Ken"), ("一郎", "Ichiro"), ("美咲", "Misaki")]
JAPANESE_GIVEN += [("翔太", "Shota"), ("結衣", "Yui"), ("大輝", "Daiki"), ("さくら", "Sakura")]
KOREAN_FAMILY = [("김", "Kim"), ("이", "Lee"), ("박", "Park"), ("최", "Choi"), ("정", "Jung")]
KOREAN_GIVEN = [("민준", "Min-jun"), ("서연", "Seo-yeon"), ("지훈", "Ji-hoon"), ("하은", "Ha-eun")]
KOREAN_GIVEN += [("도윤", "Do-yoon"), ("수빈", "Su-bin"), ("예준", "Ye-jun"), ("지우", "Ji-woo")]
OTHER_SCRIPTS = [
    # (given names, family names), each (native, romanised)
    (
        [("Анна", "Anna"), ("Дмитрий", "Dmitry"), ("Ольга", "Olga"), ("Сергей", "Sergey")],
        [("Петрова", "Petrova"), ("Соколов", "Sokolov"), ("Волкова", "Volkova")],
    ),
    (
        [("Γιώργος", "Giorgos"), ("Ελένη", "Eleni"), ("Νίκος", "Nikos"), ("Μαρία", "Maria")],
        [("Παπαδόπουλος", "Papadopoulos"), ("Οικονόμου", "Oikonomou"), ("Νικολάου", "Nikolaou")],
    ),
    (
        [("ليلى", "Layla"), ("يوسف", "Youssef"), ("مريم", "Maryam"), ("عمر", "Omar")],
        [("حداد", "Haddad"), ("منصور", "Mansour"), ("خوري", "Khoury")],
    ),
    (
        [("נועה", "Noa"), ("איתי", "Itai"), ("תמר", "Tamar"), ("יונתן", "Yonatan")],
        [("כהן", "Cohen"), ("לוי", "Levi"), ("מזרחי", "Mizrahi")],
    ),
    (
        [("अनन्या", "Ananya"), ("राहुल", "Rahul"), ("प्रिया", "Priya"), ("विक्रम", "Vikram")],
        [("शर्मा", "Sharma"), ("वर्मा", "Verma"), ("गुप्ता", "Gupta")],
    ),
]
MIDDLE = "ABCDEFGHIJKLMNOPRSTVWZ"

COMPANY_A = [
    "Lumen",
    "Northwind",
    "Verdant",
    "Halcyon",
    "Quill",
    "Contoso",
    "Fabrikam",
    "Aurora",
    "Basalt",
    "Cinder",
    "Driftwood",
    "Ember",
    "Fjord",
    "Granite",
    "Harbor",
    "Iris",
    "Juniper",
    "Kestrel",
    "Lattice",
    "Meridian",
    "Nimbus",
    "Onyx",
    "Pinnacle",
    "Quarry",
    "Riverbend",
    "Sable",
    "Tidal",
    "Umbra",
    "Vantage",
    "Willow",
    "Zephyr",
    "Atlas",
    "Beacon",
    "Cobalt",
    "Delta",
    "Evergreen",
    "Foundry",
    "Glacier",
    "Helix",
    "Indigo",
    "Jade",
    "Keystone",
    "Lighthouse",
    "Mosaic",
    "Nova",
    "Orchard",
]
COMPANY_B = [
    "Labs",
    "Grid",
    "Systems",
    "Analytics",
    "Health",
    "Capital",
    "Robotics",
    "Studio",
    "Logistics",
    "Energy",
    "Bank",
    "Software",
    "Foods",
    "Media",
    "Partners",
    "Bio",
    "Mobility",
    "Security",
    "Cloud",
    "Works",
]
KINDS = ["colleague", "mentor", "peer", "manager", "alumni", "friend", "family", "other"]
KIND_WEIGHTS = [30, 6, 20, 5, 10, 14, 5, 6]
TITLES = [
    "Staff Product Designer",
    "Engineering Manager",
    "Senior Software Engineer",
    "Head of Data",
    "VP Engineering",
    "Product Manager",
    "Founder & CEO",
    "CTO",
    "Recruiter",
    "UX Researcher",
    "Site Reliability Engineer",
    "Principal Engineer",
    "Director of Product",
    "Sales Lead, EMEA",
    "Data Scientist",
    "Partner",
    "Chief of Staff",
]
CITIES = [
    "Berlin",
    "Lisbon",
    "London",
    "Paris",
    "Amsterdam",
    "Zürich",
    "Kraków",
    "Tokyo",
    "Seoul",
    "São Paulo",
    "New York",
    "San Francisco",
    "Toronto",
    "Nairobi",
    "Lagos",
    "Bengaluru",
    "Singapore",
    "Melbourne",
    "Reykjavík",
    "Malmö",
    "Düsseldorf",
    "Montréal",
    "Ciudad de México",
    "İstanbul",
    "Tel Aviv",
    "Athens",
    "Warsaw",
    "Helsinki",
]
TAGS = [
    "design",
    "design-systems",
    "platform",
    "data",
    "ml",
    "frontend",
    "backend",
    "infra",
    "hiring",
    "investor",
    "community",
    "speaker",
    "climate",
    "fintech",
    "health",
    "open-source",
    "writing",
    "product",
    "research",
    "leadership",
    "security",
    "mobile",
    "go",
    "rust",
    "python",
    "climbing",
    "running",
    "board-games",
]
CADENCES = [
    "2w", "monthly", "30", "6 weeks", "quarterly", "none", "3m", "1y", "biweekly",
    "weekly", "90 days", "every 2 months", "45", "yearly", "6m",
]  # fmt: skip
DATE_LABELS = ["promotion", "kid_birthday", "wedding", "moved_to_berlin", "name_day", "phd"]
PLACES = [
    "Markthalle Neun",
    "the Landwehrkanal",
    "Fábrica",
    "the office kitchen",
    "Café Einstein",
    "a ramen place near the station",
    "the climbing gym",
    "Zoom",
    "the conference hallway",
    "Bergmannstraße",
]
TOPICS = [
    "the Q1 roadmap",
    "hiring a staff engineer",
    "the tokens migration",
    "event-bus partitioning",
    "pricing experiments",
    "her promotion case",
    "his move to Lisbon",
    "the design systems meetup",
    "an RFC on observability",
    "burnout and boundaries",
    "the partnership one-pager",
    "fundraising for the seed round",
    "a reference for a CTO candidate",
    "the offsite agenda",
    "moving from IC to management",
    "open-sourcing the CLI",
]
MEETING_TITLES = [
    "Platform sync",
    "Design systems guild",
    "Roadmap review",
    "1-1",
    "Partnership call",
    "Hiring debrief",
    "Quarterly planning",
    "Incident review",
    "Intro call",
    "Coffee chat",
    "Board prep",
    "Customer interview",
]
WORDS = [
    "we",
    "talked",
    "about",
    "the",
    "plan",
    "for",
    "next",
    "quarter",
    "and",
    "agreed",
    "to",
    "follow",
    "up",
    "after",
    "the",
    "review",
    "she",
    "mentioned",
    "a",
    "new",
    "role",
    "at",
    "the",
    "company",
    "he",
    "is",
    "moving",
    "to",
    "another",
    "team",
    "the",
    "project",
    "needs",
    "more",
    "time",
    "budget",
    "and",
    "people",
    "they",
    "want",
    "feedback",
    "on",
    "the",
    "draft",
    "proposal",
    "next",
    "week",
    "good",
    "energy",
    "overall",
    "but",
    "the",
    "deadline",
    "feels",
    "tight",
    "remember",
    "to",
    "send",
    "the",
    "notes",
    "and",
    "the",
    "links",
    "from",
    "the",
    "meetup",
    "coffee",
    "lunch",
    "walk",
    "call",
    "video",
    "async",
    "thread",
    "migration",
    "release",
    "retro",
    "launch",
    "metrics",
    "onboarding",
    "interview",
    "offsite",
    "conference",
    "talk",
    "workshop",
    "demo",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
]  # fmt: skip
BAD_KINDS = [
    "broken_yaml",
    "non_utf8",
    "bom",
    "crlf",
    "empty",
    "unclosed",
    "alias_bomb",
    "bad_date",
    "list_front",
]
# Which bad kinds `vaultnet check` must report; the others are unusual but valid.
BAD_IS_PROBLEM = {
    "broken_yaml": True,
    "non_utf8": True,
    "bom": False,
    "crlf": False,
    "empty": False,
    "unclosed": True,
    "alias_bomb": True,
    "bad_date": True,
    "list_front": True,
}
YAML_WORDS = {"yes", "no", "on", "off", "true", "false", "null", "y", "n", "~"}
YAML_SPECIAL = set(":#[]{},&*!|>'\"%@`")

OBSIDIAN_FILES = {
    "app.json": '{\n  "alwaysUpdateLinks": true,\n  "newFileLocation": "folder",\n'
    '  "newFileFolderPath": "Inbox",\n  "attachmentFolderPath": "Attachments"\n}',
    "appearance.json": '{\n  "baseFontSize": 16,\n  "theme": "obsidian"\n}',
    "core-plugins.json": '[\n  "file-explorer",\n  "global-search",\n  "graph",\n'
    '  "backlink",\n  "daily-notes",\n  "templates"\n]',
    "community-plugins.json": '[\n  "dataview",\n  "obsidian-tasks-plugin"\n]',
    "daily-notes.json": '{\n  "folder": "Daily",\n  "template": "Templates/Daily"\n}',
    "workspace.json": '{\n  "main": {"id": "a1b2c3", "type": "split", "children": []},\n'
    '  "lastOpenFiles": ["Home.md"]\n}',
    "plugins/dataview/manifest.json": '{\n  "id": "dataview",\n  "version": "0.5.67"\n}',
    "plugins/dataview/data.json": '{\n  "inlineQueryPrefix": "=",\n  "enableDataviewJs": false\n}',
    "plugins/obsidian-tasks-plugin/manifest.json": '{\n  "id": "obsidian-tasks-plugin"\n}',
}


# -- small helpers -------------------------------------------------------------------------


def fold(text: str) -> str:
    """Case- and accent-insensitive form of a name (as vaultnet matches names)."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = stripped.translate(_NO_DECOMPOSITION)
    return " ".join(stripped.casefold().split())


_NO_DECOMPOSITION = str.maketrans(
    {"ø": "o", "Ø": "O", "æ": "ae", "ß": "ss", "ł": "l", "Ł": "L", "ð": "d", "ı": "i"}
)


def ascii_name(text: str) -> str:
    """``Zoë Martín`` -> ``Zoe Martin`` (keeps case; for aliases, emails and file names)."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_NO_DECOMPOSITION))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def yaml_str(value: str, rng: random.Random) -> str:
    """A YAML scalar for ``value``: plain when that is safe (and mostly then), else quoted."""
    safe = (
        value
        and value[0].isalpha()
        and value.strip() == value
        and not (set(value) & YAML_SPECIAL)
        and value.lower() not in YAML_WORDS
    )
    roll = rng.random()
    if safe and roll < 0.8:
        return value
    if "'" not in value and roll < 0.9:
        return f"'{value}'"
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def iso(d: date) -> str:
    return d.isoformat()


def day_between(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange((end - start).days + 1))


def recent_day(rng: random.Random, span_days: int = 3 * 365) -> date:
    """A day before TODAY, more often recent than not."""
    return TODAY - timedelta(days=int(span_days * rng.random() ** 2))


def sentence(rng: random.Random, words: int = 0) -> str:
    n = words or rng.randint(6, 16)
    text = " ".join(rng.choice(WORDS) for _ in range(n))
    return text[0].upper() + text[1:] + "."


# -- people --------------------------------------------------------------------------------


@dataclass(slots=True)
class Person:
    name: str  # the name: field (or the file name when there is none)
    stem: str  # the file name without .md
    folder: str
    first: str  # what a label would say: a first name
    aliases: list[str] = field(default_factory=list)
    company: str | None = None
    feed: bool = True  # shows in the calendar feed (not private, archived or deceased)

    @property
    def path(self) -> str:
        return f"{self.folder}/{self.stem}.md"


class NameBook:
    """Unique people: no two share a name, alias or file name (ignoring case and accents)."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.taken: set[str] = set()

    def free(self, *names: str) -> bool:
        return all(fold(n) not in self.taken for n in names)

    def take(self, *names: str) -> None:
        self.taken.update(fold(n) for n in names)

    def person_name(self) -> tuple[str, str, str | None]:
        """(name, first name, romanised alias or None)."""
        rng = self.rng
        roll = rng.random()
        for attempt in range(200):
            if roll < 0.78:
                first, last = rng.choice(LATIN_FIRST), rng.choice(LATIN_LAST)
                name, alias = f"{first} {last}", None
                if attempt >= 2:
                    name = f"{first} {rng.choice(MIDDLE)}. {last}"
                if attempt >= 40:
                    name = f"{first} {rng.choice(MIDDLE)}. {rng.choice(MIDDLE)}. {last}"
            elif roll < 0.9:
                script = rng.random()
                if script < 0.45:
                    (fam, fam_r), (giv, giv_r) = (
                        rng.choice(CHINESE_FAMILY),
                        rng.choice(CHINESE_GIVEN),
                    )
                    name, first, alias = f"{fam}{giv}", giv, f"{fam_r} {giv_r}"
                elif script < 0.75:
                    (fam, fam_r), (giv, giv_r) = (
                        rng.choice(JAPANESE_FAMILY),
                        rng.choice(JAPANESE_GIVEN),
                    )
                    name, first, alias = f"{fam} {giv}", giv, f"{giv_r} {fam_r}"
                else:
                    (fam, fam_r), (giv, giv_r) = (
                        rng.choice(KOREAN_FAMILY),
                        rng.choice(KOREAN_GIVEN),
                    )
                    name, first, alias = f"{fam}{giv}", giv, f"{fam_r} {giv_r}"
                if attempt >= 2:
                    tag = rng.choice(MIDDLE)
                    name, alias = f"{name} {tag}", f"{alias} {tag}"
                if attempt >= 20:
                    tag = f"{rng.choice(MIDDLE)}{rng.randrange(10, 99)}"
                    name, alias = f"{name}{tag}", f"{alias}{tag}"
            else:
                given, family = rng.choice(OTHER_SCRIPTS)
                (giv, giv_r), (fam, fam_r) = rng.choice(given), rng.choice(family)
                name, first, alias = f"{giv} {fam}", giv, f"{giv_r} {fam_r}"
                if attempt >= 2:
                    tag = f"{rng.choice(MIDDLE)}{rng.randrange(10, 99)}"
                    name, alias = f"{name} {tag}", f"{alias} {tag}"
            if roll < 0.78:
                first = name.split(" ", 1)[0]
            names = (name,) if alias is None else (name, alias)
            if self.free(*names):
                self.take(*names)
                return name, first, alias
        raise RuntimeError("could not find a free name")  # pragma: no cover

    def extra_alias(self, candidate: str) -> str | None:
        if self.free(candidate):
            self.take(candidate)
            return candidate
        return None


def companies(rng: random.Random, count: int) -> list[str]:
    seen: list[str] = []
    pairs = [(a, b) for a in COMPANY_A for b in COMPANY_B]
    rng.shuffle(pairs)
    for a, b in pairs[:count]:
        seen.append(a if rng.random() < 0.15 else f"{a} {b}")
    return list(dict.fromkeys(seen))


def make_people(rng: random.Random, count: int, book: NameBook) -> list[Person]:
    firms = companies(rng, max(8, min(900, count // 12)))
    foldered = set(firms[: min(12, len(firms))])  # big employers get a subfolder
    people: list[Person] = []
    for _ in range(count):
        name, first, alias = book.person_name()
        company = None
        if rng.random() < 0.7:
            # A few employers hold many of the contacts.
            company = firms[int(len(firms) * rng.random() ** 2.5)]
        folder = "People"
        roll = rng.random()
        if roll < 0.05:
            folder = rng.choice(["Network", "Network/Investors", "Family"])
        elif company in foldered and roll < 0.6:
            folder = f"People/{company}"
        stem = name
        if roll > 0.93 and ascii_name(name) != name:
            stem = ascii_name(name)  # the file name without accents, the real name inside
        elif alias is not None and roll > 0.9:
            stem = alias
        aliases = [alias] if alias is not None else []
        if rng.random() < 0.25:
            nick = f"{first} {name.split()[-1][0]}." if " " in name else None
            if nick and book.extra_alias(nick):
                aliases.append(nick)
        if rng.random() < 0.15 and ascii_name(name) != name:
            aliases.append(ascii_name(name))  # folds like the name: not a duplicate
        people.append(Person(name, stem, folder, first, aliases, company))
    return people


def pick(rng: random.Random, people: list[Person]) -> Person:
    """Someone to mention: half the time one of a close circle (the first 150 at most)."""
    if rng.random() < 0.5:
        return people[rng.randrange(max(1, min(150, len(people) // 10)))]
    return rng.choice(people)


def link(rng: random.Random, p: Person, from_dir: str = "") -> str:
    """A link to ``p`` in one of the ways people write them."""
    roll = rng.random()
    if roll < 0.55:
        return f"[[{p.stem}]]" if p.stem != p.name and rng.random() < 0.5 else f"[[{p.name}]]"
    if roll < 0.7 and p.aliases:
        return f"[[{p.aliases[0]}]]"
    if roll < 0.82:
        return f"[[{p.stem}|{p.first}]]"
    if roll < 0.88:
        return f"[[{p.stem}#Log]]"
    if roll < 0.94:
        return f"[[{p.folder}/{p.stem}]]"
    up = "../" * (from_dir.count("/") + 1) if from_dir else ""
    return f"[{p.first}]({up}{quote(p.path)})"


# -- contact notes -----------------------------------------------------------------------


def contact_note(rng: random.Random, p: Person, people: list[Person], index: int) -> str:
    lines = ["---"]
    add = lines.append
    if p.stem != p.name or rng.random() < 0.85:
        add(f"name: {yaml_str(p.name, rng)}")
    if p.aliases:
        if len(p.aliases) == 1 and rng.random() < 0.3:
            add(f"aliases: {yaml_str(p.aliases[0], rng)}")
        elif rng.random() < 0.5:
            add("aliases: [" + ", ".join(yaml_str(a, rng) for a in p.aliases) + "]")
        else:
            add("aliases:")
            lines.extend(f"  - {yaml_str(a, rng)}" for a in p.aliases)
    if p.folder.startswith(("Network", "Family")) and rng.random() < 0.5:
        add("type: person")
    if rng.random() < 0.85:
        kind = rng.choices(KINDS, KIND_WEIGHTS)[0]
        if rng.random() < 0.03:
            kind = rng.choice(["investor", "Client", "neighbour"])
        add(f"kind: {kind}")
    if p.company:
        add(f"company: {yaml_str(p.company, rng)}")
    if rng.random() < 0.6:
        add(f"title: {yaml_str(rng.choice(TITLES), rng)}")
    user = ascii_name(p.name).lower().replace(" ", ".").replace("'", "")
    if not user.isascii():
        user = f"contact{index}"
    domain = (p.company or "mail").split()[0].lower()
    domain = ascii_name(domain) + ".example"
    roll = rng.random()
    if roll < 0.45:
        add(f"email: {user}@{domain}")
    elif roll < 0.55:
        add(f"email: [{user}@{domain}, {user.split('.')[0]}@home.example]")
    elif roll < 0.6:
        add("emails:")
        add(f"  - {user}@{domain}")
        add(f"  - {user.split('.')[0]}.private@mail.example")
    if rng.random() < 0.4:
        add(f'phone: "+{rng.randint(1, 99)} {rng.randint(10, 999)} {rng.randint(1000, 9999)} '
            f'{rng.randint(1000, 9999)}"')  # fmt: skip
    if rng.random() < 0.4:
        add(f"linkedin: https://www.linkedin.com/in/{quote(user.replace('.', '-'))}-{index}")
    if rng.random() < 0.6:
        add(f"location: {yaml_str(rng.choice(CITIES), rng)}")
    tags = rng.sample(TAGS, rng.randint(0, 3))
    if p.folder.startswith(("Network", "Family")) and "type: person" not in lines:
        tags.insert(0, "person")
    if tags:
        roll = rng.random()
        if roll < 0.6:
            add("tags: [" + ", ".join(tags) + "]")
        elif roll < 0.8:
            add("tags:")
            lines.extend(f"  - {t}" for t in tags)
        else:
            add('tags: "' + " ".join(f"#{t}" for t in tags) + '"')
    roll = rng.random()
    if roll < 0.3:
        add(f"birthday: {iso(day_between(rng, date(1950, 1, 1), date(2004, 12, 31)))}")
    elif roll < 0.42:
        born = day_between(rng, date(2001, 1, 1), date(2001, 12, 31))
        add(f'birthday: "--{born.month:02d}-{born.day:02d}"')
    elif roll < 0.44:
        born = day_between(rng, date(2001, 1, 1), date(2001, 12, 31))
        add(f'birthday: "{born.month:02d}-{born.day:02d}"')
    elif roll < 0.45:
        add('birthday: "--02-29"')
    elif roll < 0.47:
        add(f"birthday: {rng.choice([1980, 1984, 1988, 1992, 1996])}-02-29")
    if rng.random() < 0.3:
        add(f"work_anniversary: {iso(day_between(rng, date(2005, 1, 1), date(2026, 6, 30)))}")
    if rng.random() < 0.15:
        add("dates:")
        for label in rng.sample(DATE_LABELS, rng.randint(1, 3)):
            when = day_between(rng, date(1995, 1, 1), date(2026, 10, 31))
            if rng.random() < 0.2:
                add(f'  {label}: "--{when.month:02d}-{when.day:02d}"')
            else:
                add(f"  {label}: {iso(when)}")
    if rng.random() < 0.15:  # people set a cadence for the ones they mean to keep up with
        cadence = rng.choice(CADENCES)
        add(
            f"cadence: {cadence if rng.random() < 0.7 or not cadence[0].isdigit() else repr(cadence)}"
        )
    if rng.random() < 0.2:
        when = recent_day(rng, 2000)
        add(f"last_contact: {iso(when)}" + (" 18:30" if rng.random() < 0.1 else ""))
    if rng.random() < 0.05:
        add(f"snooze_until: {iso(TODAY + timedelta(days=rng.randint(-30, 60)))}")
    if index > 0 and rng.random() < 0.15:
        other = people[rng.randrange(index)]
        add(f'introduced_by: "[[{other.name}]]"')
    if index > 1 and rng.random() < 0.03:
        others = rng.sample(people[:index], min(index, rng.randint(1, 3)))
        add("introduced_to: [" + ", ".join(f'"[[{o.name}]]"' for o in others) + "]")
    if rng.random() < 0.2:
        add(f"how_met: {yaml_str(sentence(rng, 6)[:-1], rng)}")
    if rng.random() < 0.1:
        add(f"connected_on: {iso(day_between(rng, date(2010, 1, 1), date(2026, 11, 1)))}")
    if rng.random() < 0.03:
        add("positions:")
        add(f"  - {rng.choice(TITLES).split(',')[0]} at {rng.choice(COMPANY_A)} (until 2024-03-01)")
    hidden = rng.random()
    if hidden < 0.03:
        add("archived: true")
    elif hidden < 0.04:
        add("deceased: " + ("true" if rng.random() < 0.5 else "2024-09-14"))
    elif hidden < 0.09:
        add("private: true")
    p.feed = hidden >= 0.09
    if rng.random() < 0.1:
        add(f"pronouns: {rng.choice(['she/her', 'he/him', 'they/them'])}")
    if rng.random() < 0.05:
        add(f"created: {iso(recent_day(rng, 1500))}T10:{rng.randint(10, 59)}:00")
    lines.append("---")
    if rng.random() < 0.08:
        lines.insert(-1, "# notes below are mine, not the import's")
    lines.append("")
    lines.append(f"# {p.name}")
    lines.append("")
    if rng.random() < 0.8:
        lines.append(" ".join(sentence(rng) for _ in range(rng.randint(1, 4))))
        lines.append("")
    if rng.random() < 0.3:
        lines.append(f"- Likes: {' '.join(rng.sample(WORDS, 3))}")
        lines.append(f"- Kids: {rng.randint(0, 3)}")
        lines.append("")
    if rng.random() < 0.03:
        lines += ["```", "- 2020-01-01 not a log entry: inside a code block", "```", ""]
    # A few contacts have a long history; most a handful of entries.
    entries = rng.randint(40, 150) if rng.random() < 0.01 else int(rng.random() ** 2 * 14)
    if entries or rng.random() < 0.5:
        lines.append("## Log")
        lines.append("")
        days = sorted(recent_day(rng, 2800) for _ in range(entries))
        if days and rng.random() < 0.03:
            days.append(TODAY + timedelta(days=rng.randint(1, 20)))  # a planned meeting
        for d in days:
            lines.append(log_line(rng, d, people, p.folder))
        lines.append("")
    if rng.random() < 0.2:
        lines.append("## Tasks")
        lines.append("")
        for _ in range(rng.randint(1, 4)):
            what = f"{rng.choice(['Send', 'Ask', 'Share'])} {p.first}"
            lines.append(task_line(rng, what, recent_day(rng, 700)))
        lines.append("")
    return "\n".join(lines)


def log_line(rng: random.Random, d: date, people: list[Person], folder: str) -> str:
    roll = rng.random()
    stamp = iso(d) if roll < 0.8 else (f"[[{iso(d)}]]" if roll < 0.93 else f"**{iso(d)}**")
    what = rng.random()
    if what < 0.35:
        text = f"Coffee at {rng.choice(PLACES)}: {rng.choice(TOPICS)}."
    elif what < 0.55:
        text = f"Call about {rng.choice(TOPICS)}. {sentence(rng)}"
    elif what < 0.7:
        text = f"Lunch with {link(rng, pick(rng, people), folder)}, {rng.choice(TOPICS)}."
    else:
        text = sentence(rng)
    sep = " " if rng.random() < 0.8 else (": " if rng.random() < 0.5 else " — ")
    return f"- {stamp}{sep}{text}"


def task_line(rng: random.Random, text: str, written: date) -> str:
    """A task written on ``written``, due soon after; most older ones are done by now."""
    due = written + timedelta(days=rng.randint(0, 21))
    what = f"{text} {rng.choice(TOPICS)}"
    age = (TODAY - due).days
    if rng.random() < (0.97 if age > 60 else 0.85 if age > 14 else 0.3):
        done = max(written, min(due, TODAY) - timedelta(days=rng.randint(0, 5)))
        return f"- [x] {what} ✅ {iso(done)}"
    roll = rng.random()
    if roll < 0.65:
        return f"- [ ] {what} 📅 {iso(due)}"
    if roll < 0.9:
        return f"- [ ] {what} [due:: {iso(due)}]"
    return f"- [ ] {what}"


# -- other notes ---------------------------------------------------------------------------


def daily_note(rng: random.Random, d: date, people: list[Person]) -> str:
    lines = []
    if rng.random() < 0.2:
        lines += ["---", f"date: {iso(d)}", "tags: [daily]", "---", ""]
    lines.append(f"# {WEEKDAYS[d.weekday()]}, {d.day} {MONTHS[d.month - 1]} {d.year}")
    lines.append("")
    for _ in range(rng.randint(1, 6)):
        roll = rng.random()
        if roll < 0.5:
            who = link(rng, pick(rng, people), "Daily")
            lines.append(
                f"- {rng.randint(8, 18)}:{rng.choice(['00', '30'])} {who}: {sentence(rng)}"
            )
        elif roll < 0.7:
            lines.append(
                task_line(rng, f"Follow up with {link(rng, pick(rng, people), 'Daily')}:", d)
            )
        else:
            lines.append(f"- {sentence(rng)}")
    lines.append("")
    return "\n".join(lines)


def meeting_note(rng: random.Random, d: date, title: str, people: list[Person]) -> str:
    attendees = [pick(rng, people) for _ in range(rng.randint(1, 6))]
    attendees = list({id(p): p for p in attendees}.values())
    lines = ["---", f"date: {iso(d)}", "type: meeting"]
    if rng.random() < 0.8:
        lines.append("attendees:")
        lines.extend(f'  - "[[{p.name}]]"' for p in attendees)
    if rng.random() < 0.02:
        lines.append("status: draft")
    lines += ["---", "", f"# {title}", "", "## Notes", ""]
    for _ in range(rng.randint(2, 8)):
        if rng.random() < 0.4:
            lines.append(f"- {link(rng, rng.choice(attendees), 'Meetings/x')}: {sentence(rng)}")
        else:
            lines.append(f"- {sentence(rng)}")
    lines += ["", "## Actions", ""]
    for _ in range(rng.randint(0, 4)):
        owner = rng.choice(attendees)
        if rng.random() < 0.5:
            lines.append(task_line(rng, f"Ask {link(rng, owner, 'Meetings/x')} about", d))
        else:
            lines.append(task_line(rng, "Write up", d))
    lines.append("")
    return "\n".join(lines)


def other_note(rng: random.Random, title: str, folder: str, people: list[Person]) -> str:
    lines = []
    if rng.random() < 0.5:
        lines += ["---", f"tags: [{rng.choice(['project', 'idea', 'reading', 'area'])}]"]
        lines += [f"status: {rng.choice(['active', 'done', 'someday'])}", "---", ""]
    lines += [f"# {title}", ""]
    for _ in range(rng.randint(1, 5)):
        lines.append(" ".join(sentence(rng) for _ in range(rng.randint(1, 3))))
        lines.append("")
    if rng.random() < 0.5:
        lines.append(
            "Related: " + ", ".join(link(rng, pick(rng, people), folder) for _ in range(2))
        )
        lines.append("")
    if rng.random() < 0.3:
        lines.append(task_line(rng, "Draft", recent_day(rng, 700)))
        lines.append("")
    return "\n".join(lines)


def daily_dates(rng: random.Random, count: int) -> Iterator[date]:
    """Up to ``count`` days going back from TODAY, skipping about one in five."""
    d = TODAY
    made = 0
    while made < count and d >= date(2000, 1, 1):
        if rng.random() < 0.8:
            made += 1
            yield d
        d -= timedelta(days=1)


# -- malformed and unusual files ------------------------------------------------------


def bad_file(kind: str, n: int, p: Person) -> bytes:
    ok = f"---\nname: {p.name}\nkind: peer\nbirthday: 1987-0{1 + n % 9}-1{n % 10}\n---\n\n"
    ok += f"# {p.name}\n\n## Log\n\n- 2026-10-0{1 + n % 9} Call about the offsite.\n"
    if kind == "broken_yaml":
        fronts = [
            "name: {name}\ntags: [design, lumen\nkind: peer\n",
            "name: {name}\ntitle: Head of: Sales\n",
            "name: {name}\naliases:\n\t- Tab Indented\n",
        ]
        front = fronts[n % len(fronts)].format(name=p.name)
        return f"---\n{front}---\n\n# {p.name}\n".encode()
    if kind == "non_utf8":
        return f"---\nname: {p.name}\nlocation: Zürich\n---\n\nCafé at Bäckerei.\n".encode(
            "latin-1", "replace"
        )
    if kind == "bom":
        return b"\xef\xbb\xbf" + ok.encode()
    if kind == "crlf":
        return ok.replace("\n", "\r\n").encode()
    if kind == "empty":
        return b""
    if kind == "unclosed":
        return f"---\nname: {p.name}\nkind: peer\n\n# {p.name}\n\nNo closing fence.\n".encode()
    if kind == "alias_bomb":
        levels = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
        for i, letter in enumerate("bcdefghi"):
            prev = "abcdefghi"[i]
            levels.append(f"{letter}: &{letter} [" + ", ".join([f"*{prev}"] * 9) + "]")
        return ("---\n" + "\n".join(levels) + f"\nname: {p.name}\n---\n\nBoom.\n").encode()
    if kind == "bad_date":
        return ok.replace("birthday: 1987", "birthday: 1985-02-30\nold_birthday: 1987").encode()
    if kind == "list_front":
        return f"---\n- {p.name}\n- peer\n---\n\nA list, not a mapping.\n".encode()
    raise ValueError(kind)


# -- the writer ----------------------------------------------------------------------------


class Writer:
    """Writes files under ``root``, creating folders once, counting what it wrote."""

    def __init__(self, root: Path):
        self.root = root
        self.made: set[str] = set()
        self.files = 0
        self.bytes = 0

    def write(self, rel: str, data: str | bytes) -> None:
        folder = rel.rpartition("/")[0]
        if folder not in self.made:
            os.makedirs(self.root / folder, exist_ok=True)
            self.made.add(folder)
        raw = data.encode("utf-8") if isinstance(data, str) else data
        with open(self.root / rel, "xb") as fh:
            fh.write(raw)
        self.files += 1
        self.bytes += len(raw)


@dataclass
class Summary:
    contacts: int
    notes: int
    bad: dict[str, str]
    files: int
    bytes: int
    seconds: float
    feed_contacts: list[str]


def generate(out: Path, contacts: int, notes: int, seed: int, bad: int = 0) -> Summary:
    """Write the vault into ``out`` (which must not exist or be empty)."""
    start = time.perf_counter()
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    if any(out.iterdir()):
        raise FileExistsError(f"{out} is not empty")
    w = Writer(out)
    for rel, text in OBSIDIAN_FILES.items():
        w.write(f".obsidian/{rel}", text + "\n")
    book = NameBook(rng)
    people = make_people(rng, max(1, contacts), book)
    for i, p in enumerate(people[:contacts]):
        w.write(p.path, contact_note(rng, p, people, i))
    feed = [p.path for p in people[:contacts] if p.feed][:2000]

    # Notes: daily notes for recent days, meetings by year, and notes that are neither.
    n_daily = min(int(notes * 0.35), 4500)
    n_meetings = int((notes - n_daily) * 0.6)
    n_other = notes - n_daily - n_meetings
    for d in daily_dates(rng, n_daily):
        w.write(f"Daily/{iso(d)}.md", daily_note(rng, d, people))
    used: set[str] = set()
    # About four meetings a day at most, over ten years or more.
    span = max(3650, n_meetings // 4)
    for _ in range(n_meetings):
        d = TODAY - timedelta(days=rng.randrange(span))
        title = rng.choice(MEETING_TITLES)
        if rng.random() < 0.4:
            title = f"{title} {pick(rng, people).company or rng.choice(COMPANY_A)}"
        rel = f"Meetings/{d.year}/{iso(d)} {title}.md"
        k = 2
        while rel in used:
            rel = f"Meetings/{d.year}/{iso(d)} {title} {k}.md"
            k += 1
        used.add(rel)
        w.write(rel, meeting_note(rng, d, title, people))
    used.clear()
    areas = ["Projects", "Areas", "Resources/Books", "Resources/Articles", "Ideas", "Inbox"]
    for i in range(n_other):
        folder = areas[i % len(areas)]
        words = rng.sample(WORDS, 3)
        title = " ".join(words).capitalize()
        rel = f"{folder}/{title}.md"
        k = 2
        while rel in used:
            rel = f"{folder}/{title} {k}.md"
            k += 1
        used.add(rel)
        w.write(rel, other_note(rng, title, folder, people))
    w.write("Home.md", "# Home\n\n- [[Follow-ups]]\n- [[Network]]\n")
    w.write("Templates/Daily.md", "# {{date:dddd, D MMMM YYYY}}\n\n- \n")
    w.write(".trash/Old note.md", "# Deleted\n\n- [[Nobody]]\n")
    w.write("Attachments/diagram.png", bytes(range(256)) * 4)

    bad_paths: dict[str, str] = {}
    for n in range(bad):
        kind = BAD_KINDS[n % len(BAD_KINDS)]
        name, first, _alias = book.person_name()
        p = Person(name, name, "People", first)
        rel = p.path if kind != "empty" else ("Untitled.md" if n < 9 else f"Untitled {n // 9}.md")
        w.write(rel, bad_file(kind, n, p))
        bad_paths[rel] = kind
    return Summary(contacts, notes, bad_paths, w.files, w.bytes, time.perf_counter() - start, feed)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--contacts", type=int, default=1000, help="contact notes (default 1000)")
    parser.add_argument("--notes", type=int, default=3000, help="other notes (default 3000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--bad", type=int, default=0, help="malformed or unusual files to add")
    parser.add_argument("--manifest", type=Path, help="write a JSON description here")
    parser.add_argument("out", type=Path, help="the vault folder to create (must be empty)")
    args = parser.parse_args(argv)
    if min(args.contacts, args.notes, args.bad) < 0:
        parser.error("counts must not be negative")
    try:
        s = generate(args.out, args.contacts, args.notes, args.seed, args.bad)
    except FileExistsError as exc:
        print(f"genvault: {exc}", file=sys.stderr)
        return 2
    if args.manifest is not None:
        manifest = {
            "contacts": s.contacts,
            "notes": s.notes,
            "seed": args.seed,
            "bad": s.bad,
            "bad_problems": sorted(p for p, k in s.bad.items() if BAD_IS_PROBLEM[k]),
            "feed_contacts": s.feed_contacts,
        }
        args.manifest.write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n")
    print(
        f"genvault: {s.contacts} contacts, {s.notes} notes, {len(s.bad)} bad files"
        f" ({s.files} files, {s.bytes / 2**20:.1f} MiB) in {args.out}"
        f" (seed {args.seed}) in {s.seconds:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
