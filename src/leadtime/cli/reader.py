"""Reading a command line by the one declaration (:mod:`leadtime.cli.spec`), as Click would.

Loading Typer costs several times what a daily command does, so a command line is first
read here, following Click's own parsing rules step for step: options before and after the
arguments, ``--opt=value`` and ``--opt value``, short options with their value attached
(``-t=foo`` is the value ``=foo``, as in Click) or clustered flags (``-yf json``), the last
of a repeated option, ``--`` ending the options, and the value of an option's environment
variable. A line is read here only when Click would accept it with the same values; for
anything else — a help request, an unknown option or command, a missing or extra argument,
a value that is not one of the choices or out of its range, shell completion — :func:`read`
returns None and the Typer application reads it and explains what is wrong.
"""

from __future__ import annotations

import os

from leadtime.cli.spec import (
    BY_WORDS,
    DEBUG,
    GLOBAL,
    GROUP_BY_WORD,
    Argument,
    Command,
    Invocation,
    Kind,
    Option,
)

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing on every run
if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

HELP = ("-h", "--help")
COMPLETION = "_LEADTIME_COMPLETE"


class _NotRead(Exception):
    """Typer reads this line."""


class _Table:
    """The options one parser knows, by flag, as Click splits them: a flag of one dash and
    one character is short, anything else long."""

    def __init__(self, options: Iterable[Option]) -> None:
        self.options = tuple(options)
        self.long: dict[str, Option] = {}
        self.short: dict[str, Option] = {}
        for option in self.options:
            for flag in option.flags:
                short = len(flag) == 2 and flag[0] == "-" and flag[1] != "-"
                (self.short if short else self.long)[flag] = option


_ROOT = _Table(GLOBAL)
_TABLES: dict[str, _Table] = {}


def _table(command: Command) -> _Table:
    table = _TABLES.get(command.name)
    if table is None:
        table = _TABLES[command.name] = _Table((*command.options, DEBUG))
    return table


def read(argv: Sequence[str]) -> Invocation | None:
    """The command line read by the declaration, or None when Typer must read it."""
    if COMPLETION in os.environ:
        return None
    try:
        return _read(list(argv))
    except _NotRead:
        return None


def _read(args: list[str]) -> Invocation:
    globals_ = _initial(GLOBAL)
    rest = _options(args, _ROOT, globals_, interspersed=False)
    for option in GLOBAL:
        if option.envvar and globals_[option.dest] is None:
            globals_[option.dest] = os.environ.get(option.envvar) or None
    if not rest:
        raise _NotRead  # no command: the help
    word = rest.pop(0)
    group = GROUP_BY_WORD.get(word)
    if group is None:
        command = _known((word,))
    else:
        if group.default is not None:
            values = _initial((*group.default.options, DEBUG))
            rest = _options(rest, _table(group.default), values, interspersed=False)
            if not rest:  # the group's own command: its options are the group's
                return Invocation(group.default, values, globals_)
        elif not rest:
            raise _NotRead  # the group's help
        elif rest[0][:1] == "-" and len(rest[0]) > 1:
            raise _NotRead  # a group's only option is --help
        command = _known((word, rest.pop(0)))
    values = _initial((*command.options, DEBUG))
    positional = _options(rest, _table(command), values, interspersed=True)
    values.update(_arguments(command.arguments, positional))
    return Invocation(command, values, globals_)


def _known(words: tuple[str, ...]) -> Command:
    command = BY_WORDS.get(words)
    if command is None:
        raise _NotRead
    return command


def _initial(options: Iterable[Option]) -> dict[str, object]:
    return {option.dest: option.initial() for option in options}


def _options(
    args: list[str], table: _Table, values: dict[str, object], *, interspersed: bool
) -> list[str]:
    """Take the options out of ``args`` into ``values``; return what is left, in order (the
    arguments, or with ``interspersed`` off everything from the first argument on)."""
    left: list[str] = []
    while args:
        arg = args.pop(0)
        if arg == "--":
            return left + args
        if arg[:1] == "-" and len(arg) > 1:
            _option(arg, args, table, values)
        elif interspersed:
            left.append(arg)
        else:
            return [arg, *args]
    return left


def _option(arg: str, args: list[str], table: _Table, values: dict[str, object]) -> None:
    name, equals, attached = arg.partition("=")
    if name in HELP or arg in HELP:
        raise _NotRead
    option = table.long.get(name)
    if option is not None:
        if option.kind == "flag":
            if equals:
                raise _NotRead  # "Option '--force' does not take a value."
            values[option.dest] = True
            return
        _store(option, attached if equals else _next(args), values)
        return
    if arg[:2] == "--":
        raise _NotRead  # no such option
    for at, letter in enumerate(arg[1:], start=2):
        if "-" + letter in HELP:
            raise _NotRead
        option = table.short.get("-" + letter)
        if option is None:
            raise _NotRead
        if option.kind == "flag":
            values[option.dest] = True
            continue
        _store(option, arg[at:] if at < len(arg) else _next(args), values)
        return


def _next(args: list[str]) -> str:
    if not args:
        raise _NotRead  # "Option '--at' requires an argument."
    return args.pop(0)


def _store(option: Option, raw: str, values: dict[str, object]) -> None:
    value = _convert(option.kind, raw, option)
    if option.many:
        listed = values[option.dest]
        assert isinstance(listed, list)
        listed.append(value)
    else:
        values[option.dest] = value


def _convert(kind: Kind, raw: str, option: Option | None = None) -> object:
    """The value as Click's types convert it; anything they would refuse goes to Typer."""
    if kind == "path":
        from pathlib import Path

        return Path(raw)
    if kind == "choice":
        assert option is not None
        if raw not in option.choices:
            raise _NotRead
        return raw
    if kind in ("int", "float"):
        try:
            number: float = int(raw) if kind == "int" else float(raw)
        except ValueError:
            raise _NotRead from None
        if option is not None and not (
            (option.low is None or number >= option.low)
            and (option.high is None or number <= option.high)
        ):
            raise _NotRead
        return number
    return raw


def _arguments(arguments: tuple[Argument, ...], positional: list[str]) -> dict[str, object]:
    """The positional values by ``dest``, as Click assigns them: one each in order, and
    every remaining one to the argument that takes many (the last, where there is one)."""
    values: dict[str, object] = {}
    single = [a for a in arguments if not a.many]
    many = [a for a in arguments if a.many]
    if len(positional) > len(single) and not many:
        raise _NotRead  # "Got unexpected extra argument"
    for argument in single:
        if positional:
            values[argument.dest] = _convert(argument.kind, positional.pop(0))
        elif argument.required:
            raise _NotRead  # "Missing argument"
        else:
            values[argument.dest] = None
    for argument in many:
        if argument.required and not positional:
            raise _NotRead
        values[argument.dest] = [_convert(argument.kind, value) for value in positional]
    return values
