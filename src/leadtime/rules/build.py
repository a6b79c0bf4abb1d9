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
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).parent


def targets() -> dict[Path, bytes]:
    """Every shipped file and what it should hold."""
    from leadtime.rules import compiled, learned

    text = (HERE / "default_rules.toml").read_text(encoding="utf-8")
    out = {compiled.PATH: compiled.compile_text(text)}
    out[learned.PATH] = learned.build_model_file()
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m leadtime.rules.build")
    parser.add_argument("--check", action="store_true", help="only check, write nothing")
    args = parser.parse_args(argv)
    stale = []
    for path, data in targets().items():
        current = path.read_bytes() if path.exists() else None
        if current == data:
            continue
        stale.append(path)
        if not args.check:
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
