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

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The commands by task (daily, contacts, calendar...), not in one A-Z list."""
        listed: set[str] = set()
        for title, names in COMMAND_GROUPS:
            rows = self._rows(ctx, formatter, [n for n in names if n in self.list_commands(ctx)])
            listed.update(names)
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)
        rest = self._rows(ctx, formatter, [n for n in self.list_commands(ctx) if n not in listed])
        if rest:
            with formatter.section("Other commands"):
                formatter.write_dl(rest)

    def _rows(
        self, ctx: click.Context, formatter: click.HelpFormatter, names: list[str]
    ) -> list[tuple[str, str]]:
        limit = formatter.width - 6 - max((len(n) for n in self.list_commands(ctx)), default=0)
        rows = []
        for name in names:
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit=limit)))
        return rows

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """click's main, with every usage error as one line, the way vaultnet's own are:
        ``vaultnet: error: MESSAGE (see 'vaultnet CMD --help')``, exit status 2."""
        _safe_streams()
        if not kwargs.get("standalone_mode", True):
            return super().main(*args, **kwargs)
        kwargs["standalone_mode"] = False
        try:
            status = super().main(*args, **kwargs)
        except click.UsageError as exc:
            echo(f"vaultnet: error: {usage_line(exc)}", err=True)
            sys.exit(exc.exit_code)
        except VaultnetError as exc:  # raised while parsing, e.g. a bad --today
            echo(f"vaultnet: error: {exc}", err=True)
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except (click.Abort, EOFError):
            echo("vaultnet: aborted", err=True)
            sys.exit(1)
        sys.exit(status if isinstance(status, int) else 0)

    def invoke(self, ctx: click.Context) -> Any:
        args = (list(ctx._protected_args), list(ctx.args))
        # The command's own arguments, for the group callback (click clears them first).
        ctx.meta["vaultnet.args"] = [*ctx._protected_args, *ctx.args]
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
            quiet_stdout()
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
            # The database failing (disk full, locked) is the system's doing, like an
            # OSError: exit status 1. Anything else is a bug of vaultnet's: 3.
            ctx.exit(1 if type(exc).__module__ == "sqlite3" else EXIT_CRASH)


# Exit statuses: 0 fine; 1 problems found or partly done; 2 a usage error; 3 a crash.
EXIT_CRASH = 3

# The options of the group itself: given after a command, they get a hint.
GLOBAL_OPTIONS = ("--vault", "--today", "--debug", "--quiet", "--color", "--no-pager")

# `vaultnet --help` lists the commands by task.
COMMAND_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Daily", ("next", "followups", "upcoming", "checkin", "templates", "log", "snooze")),
    ("Contacts", ("list", "show", "add", "edit", "network")),
    ("Calendar", ("ics", "serve")),
    ("Import and export", ("import", "export")),
    ("Maintenance", ("init", "check", "index", "watch")),
)


def usage_line(exc: click.UsageError) -> str:
    """One line for a usage error click found, with a hint where it helps."""
    path = exc.ctx.command_path.split(" ")[1:] if exc.ctx is not None else []
    command = " ".join(["vaultnet", *path])
    option = getattr(exc, "option_name", None)
    if isinstance(exc, click.NoSuchOption) and option in GLOBAL_OPTIONS:
        return (
            f"{option} is a global option: put it before the command"
            f" (vaultnet {option} ... {command.split(' ', 1)[-1]})"
        )
    message = " ".join(exc.format_message().split())
    return f"{message} (see '{command} --help')"


def _safe_streams() -> None:
    """A console that cannot encode a character shows '?' rather than crashing."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and getattr(stream, "errors", "") == "strict":
            with contextlib.suppress(Exception):
                reconfigure(errors="replace")


def quiet_stdout() -> None:
    """Point stdout at the null device: its reader went away."""
    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


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
    # Checked in locate_vault, so that the error names $VAULTNET_VAULT when it came from there.
    type=click.Path(path_type=Path),
    envvar="VAULTNET_VAULT",
    help="The notes vault. Default: $VAULTNET_VAULT, else the nearest folder at or above "
    "the current one holding .vaultnet/ or .obsidian/ (none: an error; `vaultnet init` "
    "makes the current folder a vault).",
)
@click.option(
    "--today",
    type=DATE,
    envvar="VAULTNET_TODAY",
    help="Pretend today is this date (also $VAULTNET_TODAY): reports become reproducible.",
)
@click.option("--debug", is_flag=True, help="Show the full traceback of an unexpected error.")
@click.option(
    "--color",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Colour tables (overdue, today, soon). auto: on a terminal, unless $NO_COLOR is"
    " set ($FORCE_COLOR forces it).",
)
@click.option(
    "--no-pager",
    is_flag=True,
    help="Never show long output through $PAGER (on a terminal it is, by default).",
)
@click.option(
    "--quiet",
    is_flag=True,
    help="Do not say on stderr what a report left out (notes with problems, no contacts, "
    "no cadences). Errors are still shown.",
)
@click.version_option(__version__, prog_name="vaultnet")
@click.pass_context
def main(
    ctx: click.Context,
    vault: Path | None,
    today: date | None,
    debug: bool,
    quiet: bool,
    color: str,
    no_pager: bool,
) -> None:
    """vaultnet keeps up your professional network inside your notes vault.

    Contacts are Markdown notes with YAML front matter: by default every note under a
    People, Persons or Contacts folder, and any note marked as a person (a #person tag,
    type: person, categories: [[People]]). vaultnet reads them, keeps an index in
    .vaultnet/cache/, and tells you who to check in with and why.

    \b
    Start with, in your vault:
      vaultnet init
      vaultnet followups
    or try the sample vault in the example-vault/ folder of vaultnet's
    source tree (it is not installed with the package):
      vaultnet --vault path/to/example-vault list
    """
    from vaultnet.cli.params import OUTPUT_KEY, Output, reset_output

    reset_output()
    ctx.meta[OUTPUT_KEY] = Output.from_choice(color, pager=not no_pager)
    if ctx.resilient_parsing:
        return  # shell completion: no vault to look for yet
    root = locate_vault(ctx, vault)
    if today is not None:
        try:
            check_today(today)
        except ValueError as exc:
            raise UsageError(f"--today: {exc}") from None
    app = App(vault=root, today=today or date.today(), quiet=quiet)
    ctx.obj = app
    ctx.call_on_close(app.close)
    ctx.call_on_close(lambda: _echo_skipped_links(app))  # runs first: closing is LIFO


def locate_vault(ctx: click.Context, vault: Path | None) -> Path:
    """The vault ``--vault`` or ``$VAULTNET_VAULT`` names, else the one found from the
    current folder (a folder holding .vaultnet/ or .obsidian/, at or above it)."""
    source = ctx.get_parameter_source("vault")
    named = "$VAULTNET_VAULT" if source is click.core.ParameterSource.ENVIRONMENT else "--vault"
    if vault:
        root: Path | None = vault.expanduser().resolve()  # as find_vault takes a named one
    else:
        from vaultnet.vault.scan import find_vault  # the search upwards: loaded only for it

        root = find_vault(None, Path.cwd())
    rest = ctx.meta.get("vaultnet.args", [])
    if root is None and (ctx.invoked_subcommand == "init" or {"-h", "--help"} & set(rest)):
        root = Path.cwd().resolve()  # init makes the current folder a vault; help needs none
    if root is None:
        raise click.UsageError(
            f"no vault here: neither {Path.cwd()} nor a folder above it holds .vaultnet/ or"
            " .obsidian/. Name the vault with --vault PATH or $VAULTNET_VAULT, or run"
            " `vaultnet init` in it",
            ctx,
        )
    if not root.is_dir():
        what = "is a file, not a folder" if root.exists() else "is not a folder"
        raise click.BadParameter(f"{root} {what}", ctx, param_hint=named)
    return root


def _echo_skipped_links(app: App) -> None:
    """Say which notes the scan skipped as links leading outside the vault, and where the
    index lives when the vault cannot be written to."""
    index = app._index
    if index is not None and index.elsewhere and not app.quiet:
        echo(
            f"the vault cannot be written to: its index is kept in {index.path.parent}"
            " (commands that change notes will fail)",
            err=True,
        )
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
    "edit": ("cli.contacts", "edit_cmd"),
}
VaultnetGroup.lazy = LAZY_COMMANDS


def load_commands() -> dict[str, click.Command]:
    """Every command, loaded (for tests and documentation checks)."""
    ctx = click.Context(main)
    for name in main.list_commands(ctx):
        main.get_command(ctx, name)
    return dict(main.commands)


def entry() -> None:
    """The program (``vaultnet``, ``python -m vaultnet``): ``main``, then the process ends
    at once. Once the output is flushed, the interpreter's own ending (every module and
    object freed one by one: 5 to 12 ms after a report) only keeps the user waiting, so it
    is skipped (``os._exit``, after the exit handlers). Not while another thread runs (a
    watcher, a server: they end their own way) nor under a tracer or profiler."""
    try:
        main(prog_name="vaultnet")  # (``python -m vaultnet`` too: its hints name vaultnet)
        code: str | int | None = 0
    except SystemExit as exc:
        code = exc.code
    import threading

    if threading.active_count() > 1 or sys.gettrace() is not None or sys.getprofile() is not None:
        sys.exit(code)
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:  # as the interpreter does: the message is printed, and the status is 1
        with contextlib.suppress(Exception):
            print(code, file=sys.stderr)
        status = 1
    import atexit

    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BrokenPipeError:  # the reader went away (``vaultnet list | head``)
            status = status or 141
        except (OSError, ValueError, AttributeError):
            pass
    os._exit(status)
