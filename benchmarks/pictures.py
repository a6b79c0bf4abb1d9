"""Measure the plotting libraries the HTML pictures could be drawn with.

Each candidate draws the report's two charts — the leadership share per week as a line
inside the target band, and the hours per week stacked by category — for 8 and for 520
weeks of made-up but deterministic data, in a fresh process per run. The figures:

- ``import``: CPU seconds (user + sys) to import what the candidate needs;
- ``render``: CPU seconds to draw both charts for the given number of weeks, as SVG text;
- ``size``: bytes of the two SVGs;
- ``title``/``aria``: whether the SVG carries a ``<title>`` / ``<desc>`` or ``aria-label``.

Run it with an interpreter that has the candidates installed (they are not leadtime's
dependencies): ``pip install matplotlib pygal vl-convert-python`` in a scratch virtual
environment, then ``python benchmarks/pictures.py [--runs 5] [--png DIR]``. ``--png``
also writes each candidate's 8-week share chart as PNG (through headless Chromium) to look at.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

CANDIDATES = ("matplotlib", "pygal", "vl-convert")
BLUE, ORANGE, GREY, PURPLE = "#0072B2", "#E69F00", "#999999", "#CC79A7"

CHILD = r"""
import json, re, resource, sys

def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime

name, weeks = sys.argv[1], int(sys.argv[2])
BLUE, ORANGE, GREY, PURPLE = "#0072B2", "#E69F00", "#999999", "#CC79A7"
labels = [f"{2016 + i // 52}-W{i % 52 + 1:02d}" for i in range(weeks)]
shares = [0.45 + ((i * 37) % 50) / 100 for i in range(weeks)]
hours = [[12 + (i * 7) % 9, 6 + (i * 5) % 7, (i * 3) % 4, (i * 11) % 3] for i in range(weeks)]
cats = ["leadership", "hands-on", "other", "unclassified"]
colours = [BLUE, ORANGE, GREY, PURPLE]
before = cpu()
if name == "matplotlib":
    import io
    import matplotlib
    matplotlib.use("svg")
    from matplotlib.figure import Figure
elif name == "pygal":
    import pygal
    from pygal.style import Style
else:
    import vl_convert
imported = cpu()

def mpl():
    out = []
    fig = Figure(figsize=(8, 3))
    ax = fig.add_subplot()
    ax.axhspan(65, 75, color=BLUE, alpha=0.15, label="target band")
    ax.plot(range(weeks), [s * 100 for s in shares], color=BLUE, marker="o" if weeks < 60 else None)
    ax.set_xticks(range(0, weeks, max(1, weeks // 8)), labels[:: max(1, weeks // 8)])
    ax.set_ylim(0, 100)
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Title": "share"})
    out.append(buffer.getvalue())
    fig = Figure(figsize=(8, 3))
    ax = fig.add_subplot()
    bottom = [0.0] * weeks
    for k, colour in enumerate(colours):
        values = [row[k] for row in hours]
        ax.bar(range(weeks), values, bottom=bottom, color=colour, label=cats[k])
        bottom = [b + v for b, v in zip(bottom, values)]
    ax.legend()
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg")
    out.append(buffer.getvalue())
    return out

def pyg():
    style = Style(colors=(BLUE, ORANGE, GREY, PURPLE), background="white", plot_background="white")
    line = pygal.Line(style=style, js=[], width=800, height=300, show_dots=weeks < 60,
                      x_labels_major_every=max(1, weeks // 8), show_minor_x_labels=False,
                      range=(0, 100), title="Leadership share per week")
    line.x_labels = labels
    line.add("share", [s * 100 for s in shares])
    line.add("target -5", [65] * weeks, show_dots=False, stroke_style={"dasharray": "3"})
    line.add("target +5", [75] * weeks, show_dots=False, stroke_style={"dasharray": "3"})
    bars = pygal.StackedBar(style=style, js=[], width=800, height=300,
                            x_labels_major_every=max(1, weeks // 8), show_minor_x_labels=False,
                            title="Hours per week")
    bars.x_labels = labels
    for k, cat in enumerate(cats):
        bars.add(cat, [row[k] for row in hours])
    return [line.render(is_unicode=True), bars.render(is_unicode=True)]

def vl():
    rows = [{"week": w, "share": s} for w, s in zip(labels, shares)]
    share = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "description": "Leadership share per week with the target band",
        "width": 700, "height": 220, "data": {"values": rows},
        "layer": [
            {"mark": {"type": "rect", "color": BLUE, "opacity": 0.15},
             "encoding": {"y": {"datum": 0.65, "type": "quantitative"}, "y2": {"datum": 0.75}}},
            {"mark": {"type": "line", "color": BLUE, "point": weeks < 60},
             "encoding": {"x": {"field": "week", "type": "ordinal", "sort": None},
                          "y": {"field": "share", "type": "quantitative",
                                "axis": {"format": "%"}, "scale": {"domain": [0, 1]}}}},
        ],
    }
    long = [{"week": w, "category": c, "hours": row[k]}
            for w, row in zip(labels, hours) for k, c in enumerate(cats)]
    bars = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "description": "Hours per week by category",
        "width": 700, "height": 220, "data": {"values": long}, "mark": "bar",
        "encoding": {"x": {"field": "week", "type": "ordinal", "sort": None},
                     "y": {"field": "hours", "type": "quantitative", "aggregate": "sum"},
                     "color": {"field": "category", "sort": cats,
                               "scale": {"domain": cats, "range": colours}}},
    }
    return [vl_convert.vegalite_to_svg(share), vl_convert.vegalite_to_svg(bars)]

svgs = {"matplotlib": mpl, "pygal": pyg, "vl-convert": vl}[name]()
rendered = cpu()
first = svgs[0]
print(json.dumps({
    "import": imported - before, "render": rendered - imported,
    "size": sum(len(s.encode()) for s in svgs),
    "title": "<title" in first or "<desc" in first, "aria": "aria-" in first,
    "external": sorted({u for s in svgs for u in re.findall(r"https?://[^\s\"<>)]+", s)
                        if not u.startswith("http://www.w3.org/")}),
    "svg": first if weeks <= 8 else "",
}))
"""


def measure(name: str, weeks: int, runs: int) -> dict[str, object]:
    found = [
        json.loads(
            subprocess.run(
                [sys.executable, "-c", CHILD, name, str(weeks)],
                capture_output=True, text=True, check=True,
            ).stdout
        )
        for _ in range(runs)
    ]  # fmt: skip
    result = dict(found[0])
    for key in ("import", "render"):
        result[key] = statistics.median(float(run[key]) for run in found)
    return result


def screenshot(svg: str, target: Path) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        page = Path(scratch) / "chart.html"
        page.write_text(f"<!doctype html><body style='margin:0;background:#fff'>{svg}", "utf-8")
        subprocess.run(
            ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
             f"--user-data-dir={scratch}/profile", f"--screenshot={target}",
             "--window-size=860,360", page.as_uri()],
            capture_output=True, check=True, timeout=60,
        )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--png", type=Path, default=None)
    args = parser.parse_args()
    print(
        "| candidate | weeks | import s | render s | size KB | <title>/<desc> | aria | external |"
    )
    print("| --- | ---: | ---: | ---: | ---: | --- | --- | --- |")
    for name in CANDIDATES:
        for weeks in (8, 520):
            found = measure(name, weeks, args.runs)
            print(
                f"| {name} | {weeks} | {found['import']:.3f} | {found['render']:.3f} "
                f"| {int(found['size']) / 1024:.0f} | {found['title']} | {found['aria']} "
                f"| {found['external'] or 'none'} |"
            )
            if args.png and weeks == 8:
                args.png.mkdir(parents=True, exist_ok=True)
                screenshot(str(found["svg"]), args.png / f"{name}.png")


if __name__ == "__main__":
    main()
