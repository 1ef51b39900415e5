"""Command: watch."""

from __future__ import annotations

import time
from pathlib import Path

import click

from vaultnet.app.context import App
from vaultnet.cli.params import echo, pass_app, pinned_today


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
    from vaultnet.live.outputs import watch_outputs
    from vaultnet.live.report import BatchReport, batch_line
    from vaultnet.live.session import following, wait_for_signal

    def on_batch(report: BatchReport) -> None:
        if not quiet:
            echo(f"{time.strftime('%H:%M:%S')} {batch_line(report)}")

    with following(
        app.index(update=False),
        watch_outputs(app.config, app.vault, ics_file, dashboard),
        log=lambda line: echo(line, err=True),
        today=pinned_today(app),
        on_batch=on_batch,
        polling=polling,
    ) as watcher:
        if not quiet:
            echo(f"Watching {app.vault} ({watcher.observer_kind}). Ctrl-C to stop.")
        wait_for_signal(watcher)
    if not quiet:
        echo("Stopped.", err=True)
