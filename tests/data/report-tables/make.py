"""Write how each report of ``tests/table_cases.py`` printed with the Rich report table.

Run once against the Rich renderer of leadtime 0.2.0.dev0 (commit 9a2a64b, Rich 15.0.0):
``python tests/data/report-tables/make.py``. It keeps the widths at which that table kept
every column (nothing dropped); at the others it gave numbers away, which the renderer
that replaced it does not. The files are the reference the layout tests compare with.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from leadtime.render import render_text, report_table  # noqa: E402
from leadtime.render import table as rich_table  # noqa: E402
from table_cases import CASES, WIDTHS  # noqa: E402


def main() -> None:
    chosen: list[object] = []
    original = rich_table._ReportView._table

    def recording(self, rows, total, layout, compact, widths):  # type: ignore[no-untyped-def]
        chosen.append((layout, widths))
        return original(self, rows, total, layout, compact, widths)

    rich_table._ReportView._table = recording  # type: ignore[method-assign]
    for name, case in CASES.items():
        report = case()
        for width in WIDTHS:
            chosen.clear()
            text = render_text(report_table(report), width=width)
            layout, widths = chosen[-1]  # type: ignore[misc]
            if layout.dropped or widths is None:  # type: ignore[attr-defined]
                continue
            (HERE / f"{name}-{width}.txt").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
