"""Command: watch."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

import click

from vaultnet.app.context import App
from vaultnet.cli.params import pass_app

if TYPE_CHECKING:
    from vaultnet.live.watcher import Watcher


@click.command("watch")
@click.option(
    "--ics",
    "ics_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Keep this .ics calendar file current (settings from [calendar] in the config).",
)
@click.option(
    "--dashboard",
    is_flag=True,
    help="Keep the follow-ups dashboard note current (config `dashboard`, default "
    "Follow-ups.md); rewritten when the day changes too.",
)
@click.option(
    "--polling",
    is_flag=True,
    help="Poll the vault every second instead of using file system notifications "
    "(for network drives; used anyway when notifications cannot start).",
)
@click.option("--quiet", "-q", is_flag=True, help="No line per batch; problems are still shown.")
@pass_app
def watch_cmd(app: App, ics_file: Path | None, dashboard: bool, polling: bool, quiet: bool) -> None:
    """Keep the index current while you edit, and regenerate outputs when they change.

    Brings the index up to date, then follows the vault: each burst of saves is applied
    as one short batch, and the --ics file and --dashboard note are rewritten only when
    their content changes. A broken note is reported once per change. One watcher a
    vault; Ctrl-C or SIGTERM stops it cleanly.
    """
    import warnings
    from datetime import date

    from vaultnet.live import watcher as watch

    # watchdog warns when a folder moved within the vault was already watched: harmless.
    warnings.filterwarnings("ignore", "Callback with id", RuntimeWarning)

    outputs = []
    if ics_file is not None:
        outputs.append(watch.file_output(str(ics_file), ics_file, watch.ics_render(app.config)))
    if dashboard:
        name = str(app.config["dashboard"])
        path = app.vault / name
        outputs.append(watch.file_output(name, path, watch.dashboard_render(app.config)))
    fixed_today = click.get_current_context().find_root().params.get("today") is not None

    def on_batch(report: watch.BatchReport) -> None:
        for p in report.problems:
            where = p.path if p.line is None else f"{p.path}:{p.line}"
            click.echo(f"{where}: {p.message}", err=True)
        if not quiet:
            click.echo(f"{time.strftime('%H:%M:%S')} {watch.batch_line(report)}")

    def on_notice(text: str) -> None:
        click.echo(f"vaultnet: {text}", err=True)

    watcher = watch.Watcher(
        app.index(update=False),
        outputs=outputs,
        today=(lambda: app.today) if fixed_today else date.today,
        polling=polling,
        on_batch=on_batch,
        on_notice=on_notice,
    )
    first = watcher.start()
    try:
        on_batch(first)
        if not quiet:
            click.echo(f"Watching {app.vault} ({watcher.observer_kind}). Ctrl-C to stop.")
        _wait_for_signal(watcher)
    finally:
        watcher.stop()
    if not quiet:
        click.echo("Stopped.", err=True)


def _wait_for_signal(watcher: Watcher) -> None:
    """Return on Ctrl-C or SIGTERM, or when the worker thread ended."""
    import signal
    import threading

    done = threading.Event()
    previous = signal.signal(signal.SIGTERM, lambda signum, frame: done.set())
    try:
        while not done.wait(1.0) and watcher.alive:
            pass
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
