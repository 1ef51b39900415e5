"""Benchmark vaultnet as a user runs it: whole processes on generated vaults, next to floors.

    python bench/run.py                 # 1k, 10k and 50k contacts (half an hour)
    python bench/run.py --quick         # 1k contacts only, fewer repetitions (under a minute)
    python bench/run.py --sizes 10k --repeat 7 --out results.md

Each case runs ``python -m vaultnet --vault V ...`` as a child process, once to warm up and
then ``--repeat`` times, and reports the median, the range and the peak memory (max RSS,
from ``os.wait4``, and the sampled sum of a forking command's processes), beside floors measured in the same run: what a bare Python process
needs to read every note, to stat every file, or to import click and sqlite3. The watcher
cases start ``vaultnet watch --ics FILE`` and time saves until the watcher's line names the
note and until the .ics file holds the new value. Goals are checked against the
measurements of this run, never against fixed numbers.

Generated vaults are cached in ``--workdir`` by their parameters; a run changes a few notes
and puts their bytes back at the end.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import math
import os
import platform
import queue
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
GENVAULT = HERE / "genvault.py"
GENMBOX = HERE / "genmbox.py"
TODAY = "2026-11-25"
KIB_PER_MIB = 1024
# Goals (set for 10k contacts + 30k notes; the memory goal for every size).
BUILD_X_READ = 4.0
RSS_MIB = 64
NOCHANGE_SLACK = 0.050
CHANGED_SLACK = 0.020
ICS_UNCHANGED = 0.300
ICS_CHANGED_SLACK = 0.050  # `ics --out FILE`, one contact changed: ≤ unchanged + this
NETWORK_SECONDS = 1.0  # `network` at 10k contacts
NOTE_TIMEOUT = 900.0  # `network --format markdown`: one run, stopped after this
WATCHER_X_IMPORT = 1.5
SAVE_INDEX_P95 = 0.100
SAVE_ICS_P95 = 0.500
BURST_DONE = 1.0
# What each save of a burst appends: a comment changes no row of the index (the note keeps
# its rows: ``store.keptrows``); a link changes one in every note (each is stored anew).
BURST_COMMENT = ("adding a comment", b"\n<!-- bench burst -->\n")
BURST_LINK = ("adding a link", b"\n[[Bench burst]]\n")
MAIL_SECONDS = 20.0  # `import mail --dry-run` of MAIL_MESSAGES messages at 10k contacts
MAIL_MESSAGES = 100_000
WAIT = 30.0  # longest wait for the watcher to react before a save counts as lost
PEER_SCRIPT = (
    "import sys\n"
    "from pathlib import Path\n"
    "from obsidiantools.api import Vault\n"
    "Vault(Path(sys.argv[1])).connect().gather()\n"
)
# Floors: bare Python processes doing the least any tool must do.
READ_ALL = """
import os, sys
def walk(folder):
    with os.scandir(folder) as entries:
        for e in entries:
            if e.name.startswith("."):
                continue
            if e.is_dir(follow_symlinks=False):
                walk(e.path)
            elif e.name.endswith(".md"):
                with open(e.path, "rb") as fh:
                    fh.read()
walk(sys.argv[1])
"""
STAT_ALL = """
import os, sys
def walk(folder):
    with os.scandir(folder) as entries:
        for e in entries:
            if e.name.startswith("."):
                continue
            if e.is_dir(follow_symlinks=False):
                walk(e.path)
            else:
                e.stat()
walk(sys.argv[1])
"""


class BenchError(Exception):
    """A command failed or never answered: the run cannot go on with this size."""


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VAULTNET_")}
    # An installed vaultnet runs from cached bytecode, as click and sqlite3 in the floor do;
    # with PYTHONDONTWRITEBYTECODE set, every run would compile vaultnet's modules anew.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONUNBUFFERED"] = "1"
    env["PYTHONIOENCODING"] = "utf-8"
    return env


# -- running one process -----------------------------------------------------------------


@dataclass(frozen=True)
class Proc:
    seconds: float
    rss_kib: int  # ru_maxrss of the child: KiB on Linux (its largest process, not their sum)
    code: int
    timed_out: bool = False
    stderr: str = ""
    tree_kib: int = 0  # sampled peak of the summed PSS of the child and its children


class TreeSampler:
    """Samples the memory of a process and its descendants (worker processes) every
    ``interval`` seconds: the sum of their PSS, which counts pages shared after a fork
    once. ``ru_maxrss`` only gives the largest single process. Linux only (else 0)."""

    def __init__(self, pid: int, interval: float = 0.02):
        self.pid = pid
        self.interval = interval
        self.peak_kib = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            total = sum(_pss_kib(pid) for pid in _tree(self.pid))
            self.peak_kib = max(self.peak_kib, total)
            if self._stop.wait(self.interval):
                return

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak_kib


def _tree(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as fh:
                    todo.extend(int(child) for child in fh.read().split())
        except OSError:
            continue
    return found


def _pss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def run_process(argv: Sequence[str], cwd: Path, timeout: float | None = None) -> Proc:
    """Run ``argv`` to its end; wall time from just before the fork, and its max RSS."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            list(argv), stdout=subprocess.DEVNULL, stderr=err, cwd=cwd, env=child_env()
        )
        fired = threading.Event()

        def kill() -> None:
            fired.set()
            os.kill(proc.pid, signal.SIGKILL)  # not proc.kill(): its poll() could reap the child

        sampler = TreeSampler(proc.pid)
        timer = threading.Timer(timeout, kill) if timeout else None
        if timer is not None:
            timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        if timer is not None:
            timer.cancel()
        tree = sampler.stop()
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        text = err.read().decode("utf-8", "replace")
    return Proc(seconds, usage.ru_maxrss, proc.returncode, fired.is_set(), text, tree)


def vaultnet(vault: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "vaultnet", "--vault", str(vault), "--today", TODAY, *args]


@dataclass
class Series:
    """Repeated runs of one case."""

    runs: list[Proc] = field(default_factory=list)

    @property
    def times(self) -> list[float]:
        return [r.seconds for r in self.runs]

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def rss_kib(self) -> int:
        return max(r.rss_kib for r in self.runs)

    @property
    def memory_kib(self) -> int:
        """Peak memory: the largest process, or all of them together when it forked."""
        return max(max(r.rss_kib, r.tree_kib) for r in self.runs)


def measure(
    argv: Sequence[str],
    cwd: Path,
    repeat: int,
    before: Callable[[int], None] | None = None,
    warmup: int = 1,
) -> Series:
    """``warmup`` untimed runs, then ``repeat`` timed ones; ``before(i)`` runs before each."""
    series = Series()
    for i in range(warmup + repeat):
        if before is not None:
            before(i)
        proc = run_process(argv, cwd)
        if proc.code != 0:
            tail = proc.stderr.strip().splitlines()[-3:]
            raise BenchError(f"{' '.join(argv[2:])} exited {proc.code}: {' / '.join(tail)}")
        if i >= warmup:
            series.runs.append(proc)
    return series


# -- the vault: generating, caching, changing and restoring notes -------------------------


@dataclass(frozen=True)
class Size:
    label: str
    contacts: int
    notes: int


def parse_sizes(text: str) -> list[Size]:
    sizes = []
    for part in text.split(","):
        part = part.strip().lower()
        m = re.fullmatch(r"(\d+)(k?)", part)
        if not m:
            raise argparse.ArgumentTypeError(f"{part!r} is not a size (try 1k,10k,50k)")
        contacts = int(m.group(1)) * (1000 if m.group(2) else 1)
        sizes.append(Size(part, contacts, 3 * contacts))
    return sizes


def ensure_vault(workdir: Path, size: Size, seed: int, bad: int) -> tuple[Path, dict[str, Any]]:
    """The generated vault for these parameters, made once and reused (unless left dirty)."""
    stamp = hashlib.sha256(GENVAULT.read_bytes()).hexdigest()[:8]
    name = f"vault-c{size.contacts}-n{size.notes}-s{seed}-b{bad}-{stamp}"
    vault, manifest, dirty = workdir / name, workdir / f"{name}.json", workdir / f"{name}.dirty"
    if dirty.exists() or not manifest.exists():
        shutil.rmtree(vault, ignore_errors=True)
        manifest.unlink(missing_ok=True)
        dirty.unlink(missing_ok=True)
        log(f"generating {size.contacts} contacts + {size.notes} notes in {vault}")
        tmp = workdir / f"{name}.tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        argv = [sys.executable, str(GENVAULT), "--contacts", str(size.contacts)]
        argv += ["--notes", str(size.notes), "--seed", str(seed), "--bad", str(bad)]
        argv += ["--manifest", str(manifest.with_suffix(".tmpjson")), str(tmp)]
        done = subprocess.run(argv, capture_output=True, text=True, env=child_env())
        if done.returncode != 0:
            raise BenchError(f"genvault failed: {done.stderr.strip()}")
        log(done.stdout.strip())
        tmp.rename(vault)
        manifest.with_suffix(".tmpjson").rename(manifest)
    return vault, json.loads(manifest.read_text(encoding="utf-8"))


class Edits:
    """Changes the benchmark makes to a vault, undone by ``restore()``.

    A marker file says the vault is changed until then, so that an interrupted run
    regenerates it next time instead of benchmarking a different vault.
    """

    def __init__(self, vault: Path, marker: Path):
        self.vault = vault
        self.marker = marker
        self.originals: dict[str, bytes] = {}
        self.created: list[str] = []

    def original(self, rel: str) -> bytes:
        if rel not in self.originals:
            if not self.marker.exists():
                self.marker.touch()
            self.originals[rel] = (self.vault / rel).read_bytes()
        return self.originals[rel]

    def write(self, rel: str, data: bytes, atomic: bool = False) -> None:
        """Save as an editor does: in place (open, write, close) or a temp file renamed over."""
        self.original(rel)
        path = self.vault / rel
        if atomic:
            tmp = path.with_name(f".{path.name}.bench~")
            with open(tmp, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        else:
            with open(path, "wb") as fh:
                fh.write(data)

    def create(self, rel: str, data: bytes) -> None:
        if not self.marker.exists():
            self.marker.touch()
        self.created.append(rel)
        with open(self.vault / rel, "xb") as fh:
            fh.write(data)

    def restore(self) -> None:
        for rel, data in self.originals.items():
            with open(self.vault / rel, "wb") as fh:
                fh.write(data)
        for rel in self.created:
            (self.vault / rel).unlink(missing_ok=True)
        self.originals.clear()
        self.created.clear()
        self.marker.unlink(missing_ok=True)


def with_log_line(data: bytes, n: int) -> bytes:
    """The note with one more log entry (a changed contact)."""
    return data.rstrip(b"\n") + f"\n- 2026-11-24 Bench call number {n}.\n".encode()


_BIRTHDAY = re.compile(rb"^birthday:.*$", re.MULTILINE)


def with_birthday(data: bytes, n: int) -> tuple[bytes, bytes]:
    """The note with a birthday no other note has, and the .ics line that shows it."""
    born = date(1901, 1, 1) + timedelta(days=n)
    line = f"birthday: {born.isoformat()}".encode()
    end = data.find(b"\n---", 3)
    m = _BIRTHDAY.search(data, 0, end)
    if m:
        data = data[: m.start()] + line + data[m.end() :]
    else:
        data = data.replace(b"---\n", b"---\n" + line + b"\n", 1)
    return data, f"DTSTART;VALUE=DATE:{born:%Y%m%d}".encode()


def all_notes(vault: Path) -> list[str]:
    found: list[str] = []

    def walk(folder: Path, rel: str) -> None:
        with os.scandir(folder) as entries:
            for e in sorted(entries, key=lambda e: e.name):
                if e.name.startswith("."):
                    continue
                if e.is_dir(follow_symlinks=False):
                    walk(Path(e.path), f"{rel}{e.name}/")
                elif e.name.endswith(".md"):
                    found.append(f"{rel}{e.name}")

    walk(vault, "")
    return found


# -- the watcher -----------------------------------------------------------------------------


class WatchSession:
    """``vaultnet watch --ics FILE`` as a child process; its stdout lines, time-stamped."""

    def __init__(self, vault: Path, ics: Path, cwd: Path):
        self.vault = vault
        self.ics = ics
        self.err = tempfile.TemporaryFile()  # noqa: SIM115 - read and closed in stop()
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            vaultnet(vault, "watch", "--ics", str(ics)),
            stdout=subprocess.PIPE,
            stderr=self.err,
            cwd=cwd,
            env=child_env(),
            text=True,
            encoding="utf-8",
        )
        self.sampler = TreeSampler(self.proc.pid, 0.1)
        self.lines: queue.Queue[tuple[float, str]] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        self._ics_sig: tuple[int, int, int] | None = None

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put((time.perf_counter(), line.rstrip("\n")))

    def next_line(self, timeout: float) -> tuple[float, str] | None:
        try:
            item = self.lines.get(timeout=timeout)
        except queue.Empty:
            return None
        self.seen.append(item[1])
        return item

    def drain(self) -> list[tuple[float, str]]:
        items: list[tuple[float, str]] = []
        while True:
            try:
                item = self.lines.get_nowait()
            except queue.Empty:
                return items
            self.seen.append(item[1])
            items.append(item)

    def wait_started(self) -> float:
        """Seconds until the watcher says it is watching (index current, feed written)."""
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            item = self.next_line(1.0)
            if item is not None and item[1].startswith("Watching"):
                return item[0] - self.started
            if self.proc.poll() is not None:
                break
        raise BenchError(f"the watcher did not start: {self.stderr_tail()}")

    def ics_holds(self, needle: bytes) -> bool:
        """Whether the feed holds ``needle``; reads it only when its stat changed."""
        try:
            st = os.stat(self.ics)
        except FileNotFoundError:
            return False
        sig = (st.st_ino, st.st_mtime_ns, st.st_size)
        if sig == self._ics_sig:
            return False
        self._ics_sig = sig
        return needle in self.ics.read_bytes()

    def stderr_tail(self) -> str:
        self.err.seek(0)
        lines = self.err.read().decode("utf-8", "replace").strip().splitlines()
        return " / ".join(lines[-3:]) or "(nothing on stderr)"

    def stop(self) -> Proc:
        """SIGTERM, then the exit status and max RSS of the whole session."""
        self.proc.send_signal(signal.SIGTERM)
        fired = threading.Event()

        def kill() -> None:
            fired.set()
            os.kill(self.proc.pid, signal.SIGKILL)

        timer = threading.Timer(60, kill)
        timer.start()
        _, status, usage = os.wait4(self.proc.pid, 0)
        timer.cancel()
        tree = self.sampler.stop()
        self.proc.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - self.started
        tail = self.stderr_tail()
        self.err.close()
        return Proc(seconds, usage.ru_maxrss, self.proc.returncode, fired.is_set(), tail, tree)


def names_path(line: str, rel: str) -> bool:
    """Whether a batch line (``1 updated (People/X.md, ...) in 3 ms``) names ``rel``."""
    return re.search(r"[(\s]" + re.escape(rel) + r"(?:[,)]| and )", line) is not None


_COUNT = re.compile(r"(\d+) (?:added|updated|removed)")


def reported_paths(line: str) -> int:
    return sum(int(n) for n in _COUNT.findall(line))


@dataclass
class Latency:
    index: list[float] = field(default_factory=list)
    ics: list[float] = field(default_factory=list)
    save: list[float] = field(default_factory=list)  # the write itself (open to close, rename)
    lost: int = 0


def timed_save(
    session: WatchSession, edits: Edits, rel: str, data: bytes, needle: bytes, atomic: bool
) -> tuple[float, float | None, float | None]:
    """Seconds the save took, and from just before it to the watcher's line naming the note
    and to the .ics holding ``needle`` (polled every millisecond); None for what never came."""
    session.drain()
    session.ics_holds(b"")  # remember the feed's current state
    t0 = time.perf_counter()
    edits.write(rel, data, atomic=atomic)
    saved = time.perf_counter() - t0
    to_index = to_ics = None
    wrote = False
    deadline = t0 + WAIT
    while not (to_index and to_ics and wrote) and time.perf_counter() < deadline:
        for when, line in session.drain():
            if to_index is None and names_path(line, rel):
                to_index = when - t0
            wrote = wrote or "wrote " in line
        if to_ics is None and session.ics_holds(needle):
            to_ics = time.perf_counter() - t0
        time.sleep(0.001)
    # Saves a user makes are seconds apart: let the watcher go back to waiting, or the next
    # save would find it busy and be taken for the start of a burst (longer debounce).
    time.sleep(0.05)
    return saved, to_index, to_ics


# -- the report ------------------------------------------------------------------------------


def fmt_s(seconds: float) -> str:
    if seconds >= 10:
        return f"{seconds:.1f} s"
    if seconds >= 1:
        return f"{seconds:.2f} s"
    return f"{seconds * 1000:.0f} ms"


def fmt_rss(kib: int, tree_kib: int = 0) -> str:
    """Max RSS; and the sampled peak of all processes together when workers added to it."""
    text = f"{kib / KIB_PER_MIB:.1f} MiB"
    if tree_kib > kib * 1.1:
        text += f" (with its workers: {tree_kib / KIB_PER_MIB:.1f} MiB PSS)"
    return text


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


@dataclass
class Goal:
    text: str
    met: bool
    what: str = ""  # "time", "RSS"... when a row has several goals

    @property
    def result(self) -> str:
        word = "met" if self.met else "MISSED"
        return f"{self.what} {word}".strip()


@dataclass
class Row:
    size: str
    case: str
    median: str = "—"
    spread: str = "—"
    floor: str = "—"
    rss: str = "—"
    goals: list[Goal] = field(default_factory=list)
    note: str = ""

    def cells(self) -> list[str]:
        goal = "; ".join(g.text for g in self.goals) or "—"
        result = "; ".join(x for x in (", ".join(g.result for g in self.goals), self.note) if x)
        result = result or "—"
        return [self.size, self.case, self.median, self.spread, self.floor, self.rss, goal, result]


HEADER = ["Size", "Case", "Median / p50", "Min–max / p95", "Floor (same run)", "Max RSS"]
HEADER += ["Goal", "Result"]


def series_row(size: str, case: str, s: Series) -> Row:
    spread = f"{fmt_s(min(s.times))} – {fmt_s(max(s.times))}"
    tree = max(r.tree_kib for r in s.runs)
    return Row(size, case, fmt_s(s.median), spread, rss=fmt_rss(s.rss_kib, tree))


def memory_goal(s: Series) -> Goal:
    return Goal(f"memory ≤ {RSS_MIB} MiB", s.memory_kib <= RSS_MIB * KIB_PER_MIB, "memory")


def latency_rows(size: str, what: str, lat: Latency) -> list[Row]:
    rows = []
    for target, values, limit in (
        ("index", lat.index, SAVE_INDEX_P95),
        (".ics", lat.ics, SAVE_ICS_P95),
    ):
        case = f"{what} → {target} ({len(values)} saves)"
        if not values:
            rows.append(Row(size, case, note="no save arrived"))
            continue
        worst = p95(values)
        row = Row(size, case, f"p50 {fmt_s(statistics.median(values))}")
        row.spread = f"p95 {fmt_s(worst)} (max {fmt_s(max(values))})"
        # A save that never arrived (within WAIT) misses the goal whatever the others did.
        row.goals.append(Goal(f"p95 ≤ {fmt_s(limit)}", worst <= limit and not lat.lost))
        if lat.lost:
            row.note = f"{lat.lost} saves lost"
        rows.append(row)
    return rows


def render_table(rows: list[Row]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    for row in rows:
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in row.cells()) + " |")
    return "\n".join(lines)


def machine_lines(args: argparse.Namespace) -> list[str]:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    return [
        f"- Date: {datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z')}",
        f"- Machine: {cpu}, {os.cpu_count()} cores, {ram} RAM",
        f"- Python {platform.python_version()} ({platform.python_implementation()}),"
        f" {platform.platform()}",
        f"- vaultnet {vaultnet_version()}",
        f"- Options: {' '.join(sys.argv[1:]) or '(defaults)'}; {args.repeat} timed runs a case"
        f" after {args.warmup} warm-up (none for the build); seed {args.seed};"
        f" {args.bad} malformed files a vault",
    ]


def vaultnet_dir() -> str:
    spec = importlib.util.find_spec("vaultnet")
    assert spec is not None and spec.submodule_search_locations is not None
    return next(iter(spec.submodule_search_locations))


def vaultnet_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    spec = importlib.util.find_spec("vaultnet")
    try:
        text = version("vaultnet")
    except PackageNotFoundError:
        text = "(not installed)"
    if spec is None or spec.origin is None:
        return text
    repo = Path(spec.origin).resolve().parent.parent

    def git(*args: str) -> str:
        done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True)
        return done.stdout.strip() if done.returncode == 0 else ""

    commit = git("rev-parse", "--short", "HEAD")
    if not commit:
        return f"{text} (from {repo}, not a git checkout)"
    dirty = " + uncommitted changes" if git("status", "--porcelain", "--", "vaultnet") else ""
    return f"{text}, commit {commit}{dirty} ({repo})"


# -- the cases ---------------------------------------------------------------------------------


class SizeBench:
    """Every case on one vault size."""

    def __init__(self, args: argparse.Namespace, size: Size, workdir: Path):
        self.args = args
        self.size = size
        self.label = f"{fmt_count(size.contacts)}+{fmt_count(size.notes)}"
        self.workdir = workdir
        self.vault, self.manifest = ensure_vault(workdir, size, args.seed, args.bad)
        self.edits = Edits(self.vault, self.vault.with_name(self.vault.name + ".dirty"))
        self.feed: list[str] = self.manifest["feed_contacts"]
        self.rows: list[Row] = []
        self.notes: list[str] = []
        self.edit_no = 0
        self.failed = False

    def run(self, full: bool) -> None:
        try:
            self.floors()
            self.build()
            self.unchanged()
            if full:
                self.changed()
            self.ics()
            self.listing()
            self.network()
            self.network_note()
            if full:
                self.mail()
                self.watcher()
            self.peer(full)
        except BenchError as exc:
            self.rows.append(Row(self.label, "(run stopped)", note=f"failed: {exc}"))
            self.failed = True
            log(f"{self.label}: {exc}")
        finally:
            self.edits.restore()

    def measure(
        self,
        argv: Sequence[str],
        before: Callable[[int], None] | None = None,
        warmup: int | None = None,
    ) -> Series:
        if warmup is None:
            warmup = self.args.warmup
        return measure(argv, self.workdir, self.args.repeat, before, warmup)

    def floors(self) -> None:
        log(f"{self.label}: floors")
        py = sys.executable
        self.read = self.measure([py, "-c", READ_ALL, str(self.vault)])
        self.imp = self.measure([py, "-c", "import click, sqlite3"])
        self.stat = self.measure([py, "-c", STAT_ALL, str(self.vault)])
        self.rows.append(
            series_row(self.label, "floor: Python reads every note's bytes", self.read)
        )
        self.rows.append(series_row(self.label, "floor: Python imports click, sqlite3", self.imp))
        self.rows.append(series_row(self.label, "floor: Python stats every file", self.stat))

    def build(self) -> None:
        log(f"{self.label}: index from nothing")
        cache = self.vault / ".vaultnet" / "cache"
        # No warm-up: every run starts from nothing anyway, after the floors read every note.
        argv = vaultnet(self.vault, "index")
        s = self.measure(argv, lambda i: shutil.rmtree(cache, True), warmup=0)
        row = series_row(self.label, "`index` from nothing (cache deleted)", s)
        row.floor = f"read {fmt_s(self.read.median)}"
        limit = BUILD_X_READ * self.read.median
        row.goals = [
            Goal(f"≤ {BUILD_X_READ:g}× read ({fmt_s(limit)})", s.median <= limit, "time"),
            memory_goal(s),
        ]
        self.rows.append(row)

    def unchanged(self) -> None:
        log(f"{self.label}: followups, nothing changed")
        s = self.measure(vaultnet(self.vault, "followups", "--format", "json"))
        self.nochange = s
        row = series_row(self.label, "`followups --format json`, nothing changed", s)
        row.floor = f"import {fmt_s(self.imp.median)} + stat {fmt_s(self.stat.median)}"
        limit = self.imp.median + self.stat.median + NOCHANGE_SLACK
        row.goals = [
            Goal(
                f"≤ import + stat + {fmt_s(NOCHANGE_SLACK)} ({fmt_s(limit)})",
                s.median <= limit,
                "time",
            ),
            memory_goal(s),
        ]
        self.rows.append(row)

    def change_one(self, i: int) -> None:
        """Before a timed run: a different contact gets one more log line."""
        rel = self.feed[self.edit_no % len(self.feed)]
        self.edits.write(rel, with_log_line(self.edits.original(rel), self.edit_no))
        self.edit_no += 1

    def changed(self) -> None:
        log(f"{self.label}: followups, one contact changed")
        s = self.measure(vaultnet(self.vault, "followups", "--format", "json"), self.change_one)
        row = series_row(self.label, "`followups --format json`, one contact changed", s)
        row.floor = f"no change {fmt_s(self.nochange.median)}"
        limit = self.nochange.median + CHANGED_SLACK
        row.goals = [
            Goal(
                f"≤ no change + {fmt_s(CHANGED_SLACK)} ({fmt_s(limit)})", s.median <= limit, "time"
            ),
            memory_goal(s),
        ]
        self.rows.append(row)

    def ics(self) -> None:
        log(f"{self.label}: ics")
        out = self.workdir / f"{self.vault.name}.ics"
        argv = vaultnet(self.vault, "ics", "--out", str(out))
        s = self.measure(argv)
        unchanged = s.median
        row = series_row(self.label, "`ics --out FILE`, nothing changed", s)
        row.floor = f"import {fmt_s(self.imp.median)} + stat {fmt_s(self.stat.median)}"
        row.goals = [
            Goal(f"≤ {fmt_s(ICS_UNCHANGED)}", s.median <= ICS_UNCHANGED, "time"),
            memory_goal(s),
        ]
        self.rows.append(row)
        s = self.measure(argv, self.change_one)
        row = series_row(self.label, "`ics --out FILE`, one contact changed", s)
        row.floor = f"unchanged {fmt_s(unchanged)}"
        limit = unchanged + ICS_CHANGED_SLACK
        row.goals = [
            Goal(
                f"≤ unchanged + {fmt_s(ICS_CHANGED_SLACK)} ({fmt_s(limit)})",
                s.median <= limit,
                "time",
            ),
            memory_goal(s),
        ]
        self.rows.append(row)
        out.unlink(missing_ok=True)

    def listing(self) -> None:
        log(f"{self.label}: list --format json")
        s = self.measure(vaultnet(self.vault, "list", "--format", "json"))
        row = series_row(self.label, "`list --format json`", s)
        row.goals = [memory_goal(s)]
        self.rows.append(row)

    def network(self) -> None:
        log(f"{self.label}: network")
        s = self.measure(vaultnet(self.vault, "network"))
        row = series_row(self.label, "`network`", s)
        row.goals = [
            Goal(f"≤ {fmt_s(NETWORK_SECONDS)} at 10k", s.median <= NETWORK_SECONDS, "time"),
            memory_goal(s),
        ]
        self.rows.append(row)

    def network_note(self) -> None:
        """`network --format markdown`, the note `network --write` writes, with its map: the
        one report that clusters the whole graph (``core.louvain``) and prints some 10^4
        contacts at 50k, so it is the memory goal's hardest case. One run, no warm-up: at
        50k it takes minutes."""
        log(f"{self.label}: network --format markdown (timeout {NOTE_TIMEOUT:g} s)")
        argv = vaultnet(self.vault, "network", "--format", "markdown")
        proc = run_process(argv, self.workdir, NOTE_TIMEOUT)
        case = "`network --format markdown` (the note, with its map), one run"
        row = Row(self.label, case, rss=fmt_rss(proc.rss_kib, proc.tree_kib))
        peak = max(proc.rss_kib, proc.tree_kib)
        row.goals = [Goal(f"memory ≤ {RSS_MIB} MiB", peak <= RSS_MIB * KIB_PER_MIB, "memory")]
        if proc.timed_out:
            row.median = f"> {fmt_s(NOTE_TIMEOUT)}"
            row.note = f"timed out after {NOTE_TIMEOUT:g} s"
        elif proc.code != 0:
            tail = proc.stderr.strip().splitlines()[-2:]
            row.note = f"exited {proc.code}: {' / '.join(tail)}"
            self.failed = True
        else:
            row.median = fmt_s(proc.seconds)
        self.rows.append(row)

    def mail(self) -> None:
        """`import mail --dry-run` on a generated mbox: 100,000 messages at 10k contacts
        (ten a contact at smaller sizes), the user named in a config made for the case."""
        count = min(MAIL_MESSAGES, 10 * self.size.contacts)
        stamp = hashlib.sha256(GENMBOX.read_bytes()).hexdigest()[:8]
        mbox = self.workdir / f"{self.vault.name}-m{count}-{stamp}.mbox"
        if not mbox.exists():
            log(f"{self.label}: generating an mbox of {count} messages")
            tmp = mbox.with_suffix(".tmp")
            argv = [sys.executable, str(GENMBOX), "--messages", str(count)]
            argv += ["--vault", str(self.vault), "--seed", str(self.args.seed), str(tmp)]
            done = subprocess.run(argv, capture_output=True, text=True, env=child_env())
            if done.returncode != 0:
                raise BenchError(f"genmbox failed: {done.stderr.strip()}")
            tmp.rename(mbox)
        log(f"{self.label}: import mail --dry-run")
        self.edits.create(".vaultnet/config.toml", b'[me]\nemail = "me@bench.example"\n')
        s = self.measure(vaultnet(self.vault, "import", "mail", "--dry-run", str(mbox)))
        size = mbox.stat().st_size / 2**20
        row = series_row(
            self.label, f"`import mail --dry-run`, mbox of {count:,} messages ({size:.0f} MiB)", s
        )
        row.goals = [
            Goal(f"≤ {fmt_s(MAIL_SECONDS)} at 100,000", s.median <= MAIL_SECONDS, "time"),
            memory_goal(s),
        ]
        self.rows.append(row)

    def watcher(self) -> None:
        log(f"{self.label}: watcher")
        ics = self.workdir / f"{self.vault.name}.watch.ics"
        ics.unlink(missing_ok=True)
        session = WatchSession(self.vault, ics, self.workdir)
        try:
            startup = session.wait_started()
            s = self.measure(vaultnet(self.vault, "followups", "--format", "json"))
            running = series_row(self.label, "`followups --format json`, watcher running", s)
            running.floor = f"import {fmt_s(self.imp.median)}"
            limit = WATCHER_X_IMPORT * self.imp.median
            running.goals = [
                Goal(f"≤ {WATCHER_X_IMPORT:g}× import ({fmt_s(limit)})", s.median <= limit, "time"),
                memory_goal(s),
            ]
            in_place = self.saves(session, atomic=False)
            atomic = self.saves(session, atomic=True)
            burst = self.burst(session, BURST_COMMENT) + self.burst(session, BURST_LINK)
            for what, lat in (("in place", in_place), ("by atomic rename", atomic)):
                self.notes.append(
                    f"{self.label}: a save {what} itself (included above) took"
                    f" p50 {fmt_s(statistics.median(lat.save))}, max {fmt_s(max(lat.save))}."
                )
        finally:
            proc = session.stop()
        case = "`watch --ics FILE`: start-up to its first line (RSS: the whole session)"
        watch_row = Row(self.label, case, fmt_s(startup), rss=fmt_rss(proc.rss_kib, proc.tree_kib))
        peak = max(proc.rss_kib, proc.tree_kib)
        watch_row.goals = [Goal(f"memory ≤ {RSS_MIB} MiB", peak <= RSS_MIB * KIB_PER_MIB, "memory")]
        if proc.code != 0:
            watch_row.note = f"watcher exited {proc.code}: {proc.stderr}"
            self.failed = True
        self.rows += [watch_row, running]
        self.rows += latency_rows(self.label, "save in place", in_place)
        self.rows += latency_rows(self.label, "save by atomic rename", atomic)
        self.rows += burst
        ics.unlink(missing_ok=True)

    def saves(self, session: WatchSession, atomic: bool) -> Latency:
        lat = Latency()
        count = self.args.saves
        for i in range(count + 2):  # two warm-up saves
            rel = self.feed[(self.edit_no + 7) % len(self.feed)]
            data, needle = with_birthday(self.edits.original(rel), self.edit_no)
            self.edit_no += 1
            saved, to_index, to_ics = timed_save(session, self.edits, rel, data, needle, atomic)
            if i < 2:
                continue
            lat.save.append(saved)
            if to_index is None or to_ics is None:
                lat.lost += 1
            if to_index is not None:
                lat.index.append(to_index)
            if to_ics is not None:
                lat.ics.append(to_ics)
        return lat

    def burst(self, session: WatchSession, kind: tuple[str, bytes]) -> list[Row]:
        """Rewrite many notes as fast as possible, then a new contact (the sentinel): its
        line, and its birthday in the feed, come once everything before it is applied.
        ``kind``: what each save appends to the note (``BURST_COMMENT``: a comment, which
        changes no row the index holds; ``BURST_LINK``: a link, which every note stores)."""
        what, tail = kind
        notes = all_notes(self.vault)
        count = min(self.args.burst, len(notes))
        step = len(notes) / count
        chosen = [notes[int(i * step)] for i in range(count)]
        log(f"{self.label}: burst of {count} saves {what}")
        payloads = [(rel, self.edits.original(rel) + tail) for rel in chosen]
        sentinel_rel = f"People/Bench Sentinel {self.edit_no}.md"
        born = date(1899, 1, 1) + timedelta(days=self.edit_no)
        sentinel = f"---\nname: Bench Sentinel {self.edit_no}\nbirthday: {born}\n---\n".encode()
        needle = f"DTSTART;VALUE=DATE:{born:%Y%m%d}".encode()
        self.edit_no += 1
        session.drain()
        session.ics_holds(b"")
        first = time.perf_counter()
        for rel, data in payloads:
            with open(self.vault / rel, "wb") as fh:
                fh.write(data)
        last = time.perf_counter()
        self.edits.create(sentinel_rel, sentinel)
        to_index = to_ics = None
        reported = 0
        deadline = last + 120
        while (to_index is None or to_ics is None) and time.perf_counter() < deadline:
            for when, line in session.drain():
                reported += reported_paths(line)
                if to_index is None and names_path(line, sentinel_rel):
                    to_index = when - last
            if to_ics is None and session.ics_holds(needle):
                to_ics = time.perf_counter() - last
            time.sleep(0.001)
        self.notes.append(
            f"{self.label}: the burst {what} wrote {count} notes in {fmt_s(last - first)};"
            " the watcher's"
            f" lines reported {reported} paths (the {count} and the sentinel) by the end."
        )
        rows = []
        for target, value in (("index", to_index), (".ics", to_ics)):
            case = f"burst of {count} saves {what} → {target} (after the last write)"
            row = Row(self.label, case)
            if value is None:
                row.goals = [Goal(f"≤ {fmt_s(BURST_DONE)}", False)]
                row.note = "never arrived"
                row.median = f"> {fmt_s(time.perf_counter() - last)}"
            else:
                row.median = fmt_s(value)
                row.goals = [Goal(f"≤ {fmt_s(BURST_DONE)}", value <= BURST_DONE)]
            rows.append(row)
        return rows

    def peer(self, full: bool) -> None:
        case = "reference: obsidiantools `Vault(path).connect().gather()`"
        row = Row(self.label, case)
        if importlib.util.find_spec("obsidiantools") is None:
            row.note = "not installed (pip install -r bench/requirements.txt)"
        elif not full:
            row.note = "skipped at this size"
        elif self.args.quick and not self.args.with_peers:
            row.note = "skipped with --quick (add --with-peers)"
        else:
            vault = self.vault
            if self.args.bad:
                # obsidiantools (0.11) raises at the first note that is not UTF-8, after
                # minutes at 10k: time it on the same vault without the malformed files.
                vault, _ = ensure_vault(self.workdir, self.size, self.args.seed, 0)
            self.run_peer(row, vault)
            if self.args.bad:
                row.note += f" (on the same vault without its {self.args.bad} malformed files:"
                row.note += " obsidiantools stops at a note that is not UTF-8)"
        self.rows.append(row)

    def run_peer(self, row: Row, vault: Path) -> None:
        log(f"{self.label}: obsidiantools (timeout {self.args.peer_timeout:g} s)")
        argv = [sys.executable, "-c", PEER_SCRIPT, str(vault)]
        proc = run_process(argv, self.workdir, self.args.peer_timeout)
        if proc.timed_out:
            row.note = f"timed out after {self.args.peer_timeout:g} s"
        elif proc.code != 0:
            tail = proc.stderr.strip().splitlines()[-1:] or ["?"]
            row.note = f"failed (exit {proc.code}): {tail[0][:100]}"
        else:
            row.median = fmt_s(proc.seconds)
            row.spread = "1 run"
            row.rss = fmt_rss(proc.rss_kib, proc.tree_kib)
            row.note = "reference"


def fmt_count(n: int) -> str:
    return f"{n // 1000}k" if n >= 1000 and n % 1000 == 0 else str(n)


# -- main --------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Benchmark vaultnet on generated vaults (see bench/README.md)."
    )
    parser.add_argument(
        "--quick", action="store_true", help="1k only, 3 repetitions, no warm-up runs"
    )
    parser.add_argument("--sizes", type=parse_sizes, help="e.g. 1k,10k,50k (the default)")
    parser.add_argument("--contacts", type=int, help="one custom size: this many contacts ...")
    parser.add_argument("--notes", type=int, help="... and this many notes (default 3×)")
    parser.add_argument("--repeat", type=int, help="timed runs a case (default 5, --quick 3)")
    parser.add_argument("--saves", type=int, default=20, help="saves of each kind (default 20)")
    parser.add_argument("--burst", type=int, default=5000, help="notes in the burst (5000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--bad", type=int, default=9, help="malformed files a vault (9)")
    parser.add_argument("--workdir", type=Path, help="where generated vaults are cached")
    parser.add_argument("--out", type=Path, help="also write the report to this file")
    parser.add_argument("--with-peers", action="store_true", help="obsidiantools in --quick too")
    parser.add_argument("--peer-timeout", type=float, default=600.0)
    args = parser.parse_args(argv)
    if args.repeat is None:
        args.repeat = 3 if args.quick else 5
    args.warmup = 0 if args.quick else 1
    if args.contacts is not None:
        count = args.notes if args.notes is not None else 3 * args.contacts
        sizes = [Size("custom", args.contacts, count)]
    elif args.sizes is not None:
        sizes = args.sizes
    else:
        sizes = parse_sizes("1k" if args.quick else "1k,10k,50k")
    if min(args.repeat, args.saves, args.burst) < 1:
        parser.error("--repeat, --saves and --burst must be at least 1")
    if importlib.util.find_spec("vaultnet") is None:
        print("bench: vaultnet is not importable here; run `pip install -e .`", file=sys.stderr)
        return 2
    workdir = args.workdir or Path(tempfile.gettempdir()) / "vaultnet-bench"
    workdir.mkdir(parents=True, exist_ok=True)
    workdir = workdir.resolve()

    # Compile vaultnet's bytecode once, as installing it would, so no timed run pays for it.
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(Path(vaultnet_dir()))],
        env=child_env(),
        check=False,
    )
    began = time.perf_counter()
    rows: list[Row] = []
    notes: list[str] = []
    failed = False
    for size in sizes:
        bench = SizeBench(args, size, workdir)
        # Sizes above 10k (50k): the build, the reports and the feed (for memory), no more.
        bench.run(full=size.contacts <= 10_000)
        rows += bench.rows
        notes += bench.notes
        failed = failed or bench.failed
    report = "\n".join(
        [
            "# vaultnet benchmark",
            "",
            *machine_lines(args),
            "",
            render_table(rows),
            "",
            f"Goals are set for 10k contacts + 30k notes (the memory goal for every size);"
            f" at other sizes they are shown for orientation. Whole run: {fmt_s(time.perf_counter() - began)}.",
            *(f"- {n}" for n in notes),
            "",
        ]
    )
    print(report, end="")
    if args.out is not None:
        args.out.write_text(report, encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
