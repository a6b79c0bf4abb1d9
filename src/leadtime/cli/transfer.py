"""Moving data: ``export`` every stored field, and ``restore`` an export."""

from __future__ import annotations

import sys
from pathlib import Path

from leadtime.app.workspace import Workspace
from leadtime.cli.out import note, say, warn, write_output
from leadtime.errors import InputError
from leadtime.text import safe


def export(ws: Workspace, *, format: str, output: Path | None, force: bool) -> None:
    from leadtime.app import transfer as app

    if format == "csv":
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


def restore(ws: Workspace, *, file: Path) -> None:
    from leadtime.app import transfer as app

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
