"""Build the files shipped with the classification from their sources.

    python -m leadtime.rules.build          # write them
    python -m leadtime.rules.build --check  # exit 1 if a shipped file is out of date

* ``default_rules.compiled``: ``default_rules.toml`` parsed, with its keywords' keys;
* ``learned.model``: the learned tier's counts, trained on ``corpus/*.tsv``.

Both are read at run time instead of their sources, which are too slow to read in a
command that must start fast. Tests check that the shipped files are current.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

HERE = Path(__file__).parent


def targets() -> dict[Path, tuple[Callable[[], bool], Callable[[], bytes]]]:
    """Every shipped file: whether it is current, and how to make it."""
    from leadtime.rules import compiled, learned

    text = (HERE / "default_rules.toml").read_text(encoding="utf-8")
    return {
        compiled.PATH: (lambda: compiled.is_current(text), lambda: compiled.compile_text(text)),
        learned.PATH: (learned.model_is_current, learned.build_model_file),
    }


def stale_files() -> list[Path]:
    """The shipped files that are not made from their sources as they are."""
    return [path for path, (current, _) in targets().items() if not current()]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m leadtime.rules.build")
    parser.add_argument("--check", action="store_true", help="only check, write nothing")
    parser.add_argument("--force", action="store_true", help="write them even if current")
    args = parser.parse_args(argv)
    stale = []
    for path, (current, make) in targets().items():
        if current() and not args.force:
            continue
        stale.append(path)
        if not args.check:
            data = make()
            path.write_bytes(data)
            print(f"wrote {path.name} ({len(data):,} bytes)")
    if args.check and stale:
        print("out of date: " + ", ".join(p.name for p in stale), file=sys.stderr)
        return 1
    if not stale:
        print("up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
