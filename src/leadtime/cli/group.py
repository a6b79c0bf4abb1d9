"""The Typer application, generated from the one declaration in :mod:`leadtime.cli.spec`.

It prints the help, completes in the shell and explains usage errors; a command line it
reads runs through :func:`leadtime.cli.run.execute`, as one the reader reads does.
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Callable, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Any, cast

import typer
from typer import _click
from typer.core import TyperArgument, TyperGroup

from leadtime import __version__
from leadtime.cli import failure
from leadtime.cli.run import execute
from leadtime.cli.spec import (
    COMMANDS,
    DEBUG,
    GLOBAL,
    GROUPS,
    Argument,
    Command,
    Group,
    Invocation,
    Option,
)

EXIT_CODES_HELP = (
    "Exit codes: 0 success or on target, 1 off target, 2 usage error, "
    "3 bad configuration or rules file, 4 bad input or storage error, "
    "5 not enough data to judge, 70 internal error."
)


def _usage_name(self: TyperArgument) -> str:
    """``TITLE``, ``[DURATION]``, ``ID...``: an argument as the usage line shows it."""
    name = self.display_name_raw
    if self.nargs != 1 and not name.endswith("..."):
        name += "..."
    return name if self.required else f"[{name}]"


def _show_usage_error(self: Any, file: Any = None) -> None:
    """A usage error as leadtime prints every error: ``error:`` and a ``hint:``."""
    ctx = self.ctx
    hint = None
    if ctx is not None:
        usage = ctx.get_usage().removeprefix("Usage:").strip()
        hint = f"usage: {usage}; '{ctx.command_path} --help' shows more"
    failure.fail(self.format_message(), hint)


# Typer prints arguments as ``{TITLE} <str>`` and usage errors in Click's own form; leadtime
# shows ``TITLE`` (the help text says what it is) and errors as ``error:`` / ``hint:``.
cast(Any, TyperArgument)._usage_display_name = _usage_name
cast(Any, TyperArgument).display_type_rich = lambda self, ctx: None
cast(Any, _click.exceptions.UsageError).show = _show_usage_error


def _from_the_framework(exc: BaseException) -> bool:
    """Typer's (and its Click's) own signals: usage errors, exits, aborts. They pass through."""
    return type(exc).__module__.split(".")[0] in ("typer", "click")


class LeadtimeGroup(TyperGroup):
    """Errors outside a command's body (which :func:`execute` handles) end the same way."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except Exception as exc:
            if _from_the_framework(exc):
                raise
            sys.exit(failure.exit_code_of(exc, debug="--debug" in sys.argv))
        except KeyboardInterrupt as exc:
            sys.exit(failure.exit_code_of(exc, debug="--debug" in sys.argv))


app = typer.Typer(
    cls=LeadtimeGroup,
    name="leadtime",
    help="Where did the week go? Track your leadership / hands-on split against 70/30.",
    epilog=EXIT_CODES_HELP,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def run_typer(args: Sequence[str]) -> int:
    """Run a command line through Typer; its exit code."""
    from leadtime.errors import OutputError

    try:
        app(args=list(args), prog_name="leadtime")
    except (OutputError, BrokenPipeError) as exc:  # e.g. --help into a full disk
        return failure.exit_code_of(exc, debug=False)
    except SystemExit as done:
        code = done.code
        if code is None:
            return 0
        if isinstance(code, int):
            return code
        print(code, file=sys.stderr)
        return 1
    return 0


def _version(value: bool) -> None:
    if value:
        typer.echo(f"leadtime {__version__}")
        raise typer.Exit()


# --------------------------------------------------------------------------- generation

_ENUMS: dict[tuple[str, ...], type[StrEnum]] = {}


def _choice_enum(choices: tuple[str, ...]) -> type[StrEnum]:
    """Typer offers choices through an enum; one per set of choices."""
    found = _ENUMS.get(choices)
    if found is None:
        made: Any = StrEnum("Choice", {c: c for c in choices})  # type: ignore[misc]
        found = _ENUMS[choices] = made
    return found


def _annotation(kind: str, many: bool, choices: tuple[str, ...]) -> Any:
    one: Any = {"flag": bool, "int": int, "float": float, "path": Path}.get(kind, str)
    if kind == "choice":
        one = _choice_enum(choices)
    if many:
        return list[one]
    return one if kind == "flag" else one | None


def _option_parameter(option: Option) -> inspect.Parameter:
    default: Any = option.initial()
    if option.kind == "choice" and default is not None:
        default = _choice_enum(option.choices)(default)
    info = typer.Option(
        default,
        *option.flags,
        help=option.help or None,
        metavar=option.metavar,
        min=option.low,
        max=option.high,
        hidden=option.hidden,
        envvar=option.envvar,
        show_envvar=option.envvar is not None,
        show_default=option.kind not in ("flag", "text", "path") and default is not None,
    )
    return inspect.Parameter(
        option.dest,
        inspect.Parameter.KEYWORD_ONLY,
        default=info,
        annotation=_annotation(option.kind, option.many, option.choices),
    )


def _argument_parameter(argument: Argument) -> inspect.Parameter:
    info = typer.Argument(
        ... if argument.required else None,
        metavar=argument.metavar,
        help=argument.help or None,
        show_default=False,
    )
    return inspect.Parameter(
        argument.dest,
        inspect.Parameter.KEYWORD_ONLY,
        default=info,
        annotation=_annotation(argument.kind, argument.many, ()),
    )


def _plain(value: Any) -> Any:
    """Typer's values as the reader gives them: choices as text, many values as a list."""
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


def _values(command: Command, given: dict[str, Any]) -> dict[str, object]:
    values = {name: _plain(value) for name, value in given.items()}
    parameters: tuple[Argument | Option, ...] = (*command.arguments, *command.options)
    for parameter in parameters:
        if parameter.many and not values.get(parameter.dest):
            values[parameter.dest] = []
    return values


def _signed(
    function: Callable[..., Any], parameters: list[inspect.Parameter], command: Command
) -> Callable[..., Any]:
    context = inspect.Parameter("ctx", inspect.Parameter.KEYWORD_ONLY, annotation=typer.Context)
    signature = inspect.Signature([context, *parameters])
    function.__signature__ = signature  # type: ignore[attr-defined]
    function.__annotations__ = {p.name: p.annotation for p in signature.parameters.values()}
    function.__doc__ = inspect.cleandoc(command.help)
    function.__name__ = command.words[-1] if command.words else "leadtime"
    return function


def _typer_command(command: Command) -> Callable[..., Any]:
    """The Typer function of ``command``: its parameters from the declaration, its body the
    one that runs whichever front end read the line."""
    options = (*command.options, _hidden(DEBUG))
    parameters = [_argument_parameter(a) for a in command.arguments]
    parameters += [_option_parameter(o) for o in options]

    def run(ctx: typer.Context, **given: Any) -> None:
        code = execute(Invocation(command, _values(command, given), _globals(ctx)))
        if code:
            raise typer.Exit(code)

    return _signed(run, parameters, command)


def _group_callback(group: Group) -> Callable[..., Any]:
    default = group.default

    if default is None:

        def nothing(ctx: typer.Context) -> None:
            return None

        return nothing
    parameters = [_option_parameter(o) for o in (*default.options, _hidden(DEBUG))]

    def run(ctx: typer.Context, **given: Any) -> None:
        if ctx.invoked_subcommand is not None:
            return
        code = execute(Invocation(default, _values(default, given), _globals(ctx)))
        if code:
            raise typer.Exit(code)

    return _signed(run, parameters, default)


def _hidden(option: Option) -> Option:
    return option.hide()


def _globals(ctx: typer.Context) -> dict[str, object]:
    found = ctx.find_root().obj
    return dict(found) if isinstance(found, dict) else {}


def _root(parameters: list[inspect.Parameter]) -> Callable[..., Any]:
    def root(ctx: typer.Context, version: bool = False, **given: Any) -> None:
        """Where did the week go? Track your leadership / hands-on split against 70/30."""
        ctx.obj = _values(_ROOT_COMMAND, given)

    version = inspect.Parameter(
        "version",
        inspect.Parameter.KEYWORD_ONLY,
        default=typer.Option(
            False, "--version", callback=_version, is_eager=True,
            help="Show the version and exit.",
        ),
        annotation=bool,
    )  # fmt: skip
    return _signed(root, [*parameters, version], _ROOT_COMMAND)


_ROOT_COMMAND = Command(
    (), "", "Where did the week go? Track your leadership / hands-on split against 70/30."
)


def _register() -> None:
    app.callback()(_root([_option_parameter(o) for o in GLOBAL]))
    groups = {}
    for group in GROUPS:
        sub = typer.Typer(
            help=group.help,
            no_args_is_help=group.default is None,
            invoke_without_command=group.default is not None,
        )
        sub.callback()(_group_callback(group))
        groups[group.word] = sub
        app.add_typer(sub, name=group.word, rich_help_panel=group.panel)
    for command in COMMANDS:
        function = _typer_command(command)
        if len(command.words) == 1:
            app.command(command.words[0], rich_help_panel=command.panel or None)(function)
        else:
            groups[command.words[0]].command(command.words[1])(function)


_register()
