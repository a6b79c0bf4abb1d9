"""Moving data: ``export`` every stored field, and ``restore`` an export."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path

import typer

from leadtime.app import transfer as app
from leadtime.cli.options import force_option, note, say, warn, workspace, write_output
from leadtime.errors import InputError
from leadtime.text import safe


class ExportFormat(StrEnum):
    jsonl = "jsonl"
    csv = "csv"


def export(
    ctx: typer.Context,
    fmt: ExportFormat = typer.Option(ExportFormat.jsonl, "--format", "-f", help="jsonl or csv."),
    output: Path | None = typer.Option(
        None, "--output", "-o", metavar="FILE", help="Write here, not to standard output."
    ),
    force: bool = force_option(),
) -> None:
    """Export every entry with every stored field (JSONL round-trips through 'restore').

    Examples:

      leadtime export -o backup.jsonl

      leadtime export --format csv > entries.csv
    """
    ws = workspace(ctx)
    if fmt is ExportFormat.csv:
        from leadtime.render.entries import entries_csv

        entries = app.all_entries(ws)
        text = entries_csv(entries)
    else:
        entries, text = app.export_lines(ws)
    if output is None:
        sys.stdout.write(text)
        return
    write_output(ws, output, text, force=force)
    note(f"exported {len(entries)} entries to {output}")


def restore(
    ctx: typer.Context,
    file: Path = typer.Argument(
        ..., metavar="FILE", help="A file written by 'leadtime export' (JSONL), or -."
    ),
) -> None:
    """Restore entries from an export; entries already present (same id) are kept as they are.

    Example:

      leadtime restore backup.jsonl
    """
    ws = workspace(ctx)
    backup = app.parse_export(_read(file), str(file))
    done = app.restore(ws, backup)
    for line in done.changed:
        warn(safe(line, newlines=False))
    for source in done.masked:
        note(
            safe(
                f"'{source.name}' ({source.source}) was not re-created: exports leave its "
                f"secret address out; import it again: leadtime import ADDRESS --calendar "
                f"{source.name}",
                newlines=False,
            )
        )
    say(
        f"restored {done.added} entries"
        + (f", {done.present} already present" if done.present else "")
        + (f", {len(done.sources)} sources" if done.sources else "")
    )


def _read(file: Path) -> str:
    try:
        data = sys.stdin.buffer.read() if str(file) == "-" else file.read_bytes()
        return data.decode("utf-8-sig")
    except IsADirectoryError:
        raise InputError(f"{file} is a directory, not an export") from None
    except OSError as exc:
        raise InputError(f"cannot read {file}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise InputError(f"{file} is not a leadtime export (not UTF-8 text)") from None


def register(cli: typer.Typer) -> None:
    cli.command(rich_help_panel="Data")(export)
    cli.command(rich_help_panel="Data")(restore)
