"""The command line. Each command: parse arguments, call the core, render, echo."""

from __future__ import annotations

import contextlib
import os
import sys
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

import click

from vaultnet import __version__
from vaultnet.app.context import App
from vaultnet.cli.params import DATE, echo
from vaultnet.core.dates import check_today
from vaultnet.core.errors import UsageError, VaultnetError


class VaultnetGroup(click.Group):
    """The single error boundary: domain errors become one line on stderr and an exit status.

    Commands kept in their own modules are imported only when run (or listed by --help):
    a report does not pay for loading every other command.
    """

    lazy: ClassVar[dict[str, tuple[str, str]]] = {}  # command name -> (module, attribute)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.lazy:
            import importlib

            module, attribute = self.lazy[cmd_name]
            command = getattr(importlib.import_module(f"vaultnet.{module}"), attribute)
            self.add_command(command, cmd_name)
        return self.commands.get(cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        args = (list(ctx._protected_args), list(ctx.args))
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise  # usage errors and exits: click reports them itself
        except VaultnetError as exc:
            echo(f"vaultnet: error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            echo("vaultnet: interrupted", err=True)
            ctx.exit(130)
        except BrokenPipeError:
            # The reader went away (`vaultnet list | head`): nothing left to say to it.
            with contextlib.suppress(OSError):
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(141)
        except OSError as exc:
            if ctx.params.get("debug"):
                raise
            echo(f"vaultnet: error: {os_error_line(exc)}", err=True)
            ctx.exit(1)
        except Exception as exc:
            if _rebuilt(ctx, exc):  # a damaged index: rebuilt, and the command runs again once
                ctx._protected_args, ctx.args = args
                return self.invoke(ctx)
            if ctx.params.get("debug"):
                raise
            words = str(exc).splitlines()[0] if str(exc) else ""
            echo(
                f"vaultnet: error: unexpected {type(exc).__name__}"
                f"{': ' + words if words else ''} (run with --debug for the traceback)",
                err=True,
            )
            ctx.exit(1)


def _rebuilt(ctx: click.Context, exc: Exception) -> bool:
    app = ctx.obj
    if ctx.meta.get("vaultnet.rebuilt") or not isinstance(app, App):
        return False
    if not app.discard_damaged_index(exc):
        return False
    ctx.meta["vaultnet.rebuilt"] = True
    click.echo(f"vaultnet: the index was damaged ({exc}); rebuilding it", err=True)
    return True


def os_error_line(exc: OSError) -> str:
    """``PATH: reason`` for an error the operating system gave."""
    reason = exc.strerror or str(exc)
    if exc.filename is None:
        return reason
    return f"{exc.filename}: cannot read or write it: {reason}"


@click.group(cls=VaultnetGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--vault",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="VAULTNET_VAULT",
    help="The notes vault. Default: $VAULTNET_VAULT, else the nearest folder at or above "
    "the current one holding .vaultnet/ or .obsidian/, else the current folder.",
)
@click.option(
    "--today",
    type=DATE,
    envvar="VAULTNET_TODAY",
    help="Pretend today is this date (also $VAULTNET_TODAY): reports become reproducible.",
)
@click.option("--debug", is_flag=True, help="Show the full traceback of an unexpected error.")
@click.option(
    "--quiet",
    is_flag=True,
    help="Do not say on stderr what a report left out (notes with problems, no contacts, "
    "no cadences). Errors are still shown.",
)
@click.version_option(__version__, prog_name="vaultnet")
@click.pass_context
def main(
    ctx: click.Context, vault: Path | None, today: date | None, debug: bool, quiet: bool
) -> None:
    """vaultnet keeps up your professional network inside your notes vault.

    Contacts are Markdown notes with YAML front matter (by default everything under
    People/, or any note tagged #person). vaultnet reads them, keeps an index in
    .vaultnet/cache/, and tells you who to check in with and why.

    \b
    Start with:
      vaultnet --vault example-vault list
      vaultnet --vault example-vault followups
    """
    from vaultnet.vault.scan import find_vault

    root = find_vault(str(vault) if vault else None, Path.cwd())
    if not root.is_dir():
        raise click.BadParameter(f"{root} is not a folder", param_hint="--vault")
    if today is not None:
        try:
            check_today(today)
        except ValueError as exc:
            raise UsageError(f"--today: {exc}") from None
    app = App(vault=root, today=today or date.today(), quiet=quiet)
    ctx.obj = app
    ctx.call_on_close(app.close)
    ctx.call_on_close(lambda: _echo_skipped_links(app))  # runs first: closing is LIFO


def _echo_skipped_links(app: App) -> None:
    """Say which notes the scan skipped as links leading outside the vault."""
    index = app._index
    skipped = index.ignore.outside if index is not None else []
    if skipped and not app.quiet:
        shown = ", ".join(skipped[:5]) + (
            f" and {len(skipped) - 5} more" if len(skipped) > 5 else ""
        )
        echo(
            f"skipped {len(skipped)} note{'s' if len(skipped) != 1 else ''} that"
            f" {'are links' if len(skipped) != 1 else 'is a link'} leading outside the vault:"
            f" {shown} (follow_symlinks_outside = true in the config reads them)",
            err=True,
        )


# command -> (module, command object): one line a command, so that features do not collide.
LAZY_COMMANDS: dict[str, tuple[str, str]] = {
    "index": ("cli.contacts", "index_cmd"),
    "list": ("cli.contacts", "list_cmd"),
    "show": ("cli.contacts", "show_cmd"),
    "check": ("cli.contacts", "check_cmd"),
    "followups": ("cli.reports", "followups_cmd"),
    "upcoming": ("cli.reports", "upcoming_cmd"),
    "log": ("cli.edits", "log_cmd"),
    "add": ("cli.edits", "add_cmd"),
    "snooze": ("cli.edits", "snooze_cmd"),
    "watch": ("cli.watch", "watch_cmd"),
    "templates": ("cli.checkin", "templates_cmd"),
    "checkin": ("cli.checkin", "checkin_cmd"),
    "ics": ("cli.calendar", "ics"),
    "serve": ("cli.calendar", "serve"),
    "network": ("cli.network", "network_cmd"),
    "import": ("cli.transfer", "import_cmd"),
    "export": ("cli.transfer", "export_cmd"),
    "init": ("cli.init", "init_cmd"),
    "next": ("cli.next", "next_cmd"),
}
VaultnetGroup.lazy = LAZY_COMMANDS


def load_commands() -> dict[str, click.Command]:
    """Every command, loaded (for tests and documentation checks)."""
    ctx = click.Context(main)
    for name in main.list_commands(ctx):
        main.get_command(ctx, name)
    return dict(main.commands)
