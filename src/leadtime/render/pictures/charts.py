"""The charts of the HTML pictures: Vega-Lite specifications, rendered offline to SVG.

The specifications are data (the numbers and the colours); ``vl-convert`` renders them
with its bundled Vega, with no browser and no network. It is imported only here, and only
when a picture is asked for. Every chart gets a text alternative: an SVG ``<title>`` and an
``aria-label`` on the root (``role="img"``), while its marks stay out of the accessibility
tree (the same numbers are in a table beside each chart).
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from typing import Any

from markupsafe import Markup

from leadtime.errors import ConfigError
from leadtime.render.pictures.page import COLOURS, VERDICT_COLOURS

__all__ = ["activity_bars", "render", "share_line", "stacked_hours", "timeline"]

SVG = "http://www.w3.org/2000/svg"
WIDTH, HEIGHT = 760, 240
BAND = "#CDE6F5"  # the target band: a pale tint of the leadership blue
AXIS_LABELS = 12  # at most this many week labels along an axis
_CONFIG = {
    "aria": False,  # the marks: the chart as a whole is labelled instead
    "font": "sans-serif",
    "view": {"stroke": None},
    "axis": {"labelFontSize": 11, "titleFontSize": 12, "titleFontWeight": "normal"},
    "legend": {"labelFontSize": 12, "orient": "top", "title": None},
}
VERDICT_SHAPES = {
    "on-target": "circle",
    "too-hands-on": "triangle-down",
    "too-hands-off": "triangle-up",
    "not-enough-data": "cross",
}


def _library() -> Any:
    try:
        import vl_convert
    except ImportError:
        raise ConfigError(
            "the HTML pictures need the plotting package vl-convert-python, which is not installed",
            hint="pip install 'leadtime[pictures]' (or: pipx inject leadtime vl-convert-python)",
        ) from None
    return vl_convert


def render(spec: dict[str, Any], *, label: str) -> Markup:
    """The chart ``spec`` as inline SVG, labelled ``label`` (``<title>`` and ``aria-label``)."""
    vl_convert = _library()
    spec = {"config": _CONFIG, "background": "white", **spec}
    drawn = vl_convert.vegalite_to_svg(spec)
    ET.register_namespace("", SVG)
    root = ET.fromstring(drawn)
    root.set("role", "img")
    root.set("aria-label", label)
    title = ET.Element(f"{{{SVG}}}title")
    title.text = label
    root.insert(0, title)
    return Markup(ET.tostring(root, encoding="unicode"))


def _week_axis(weeks: Sequence[str], title: str | None = None) -> dict[str, Any]:
    step = max(1, math.ceil(len(weeks) / AXIS_LABELS))
    return {
        "field": "week",
        "type": "ordinal",
        "sort": list(weeks),
        "scale": {"domain": list(weeks)},
        "title": title,
        "axis": {"values": list(weeks[::step]), "labelAngle": -40 if len(weeks) > 6 else 0},
    }


def share_line(
    rows: Sequence[dict[str, Any]], *, low: float, high: float, target: float
) -> dict[str, Any]:
    """The leadership share per week (``week``, ``share`` 0..1 or None, ``verdict``) as a
    line inside the band ``low``..``high``, with the target as a dashed rule. Each week's
    point has the verdict's colour and shape."""
    weeks = [row["week"] for row in rows]
    x = _week_axis(weeks)
    points = len(rows) <= 60
    y = {
        "field": "share",
        "type": "quantitative",
        "title": "leadership share",
        "scale": {"domain": [0, 1]},
        "axis": {"format": ".0%", "values": [0, 0.25, 0.5, low, high, 1]},
    }
    verdicts = list(VERDICT_SHAPES)
    layers: list[dict[str, Any]] = [
        {
            "mark": {"type": "rect", "color": BAND},
            "encoding": {"y": {"datum": low, "type": "quantitative"}, "y2": {"datum": high}},
        },
        {
            "mark": {"type": "rule", "color": COLOURS["leadership"], "strokeDash": [4, 3]},
            "encoding": {"y": {"datum": target, "type": "quantitative"}},
        },
        {
            "transform": [{"filter": "datum.share != null"}],
            "mark": {"type": "line", "color": "#333333", "strokeWidth": 1.5},
            "encoding": {"x": x, "y": y},
        },
    ]
    if points:
        layers.append(
            {
                "transform": [{"filter": "datum.share != null"}],
                "mark": {"type": "point", "filled": True, "size": 70, "opacity": 1},
                "encoding": {
                    "x": x,
                    "y": y,
                    "color": {
                        "field": "verdict",
                        "type": "nominal",
                        "scale": {
                            "domain": verdicts,
                            "range": [VERDICT_COLOURS[v] for v in verdicts],
                        },
                        "legend": {"labelExpr": "replace(datum.label, /-/g, ' ')"},
                    },
                    "shape": {
                        "field": "verdict",
                        "type": "nominal",
                        "scale": {"domain": verdicts, "range": list(VERDICT_SHAPES.values())},
                    },
                },
            }
        )
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "data": {"values": list(rows)},
        "layer": layers,
    }


def stacked_hours(
    rows: Sequence[dict[str, Any]],
    *,
    weeks: Sequence[str],
    series: Sequence[str],
    rule: Sequence[dict[str, Any]] = (),
) -> dict[str, Any]:
    """Hours per week (``week``, ``series``, ``hours``) stacked in the order of ``series``;
    ``rule`` rows (``week``, ``hours``) draw a black tick per week (the caption says what)."""
    order = {name: index for index, name in enumerate(series)}
    values = [{**row, "order": order[row["series"]]} for row in rows if row["hours"] > 0]
    x = _week_axis(weeks)
    layers: list[dict[str, Any]] = [
        {
            "data": {"values": values},
            "mark": {
                "type": "bar",
                "stroke": "white",
                "strokeWidth": 0.5 if len(weeks) < 60 else 0,
            },
            "encoding": {
                "x": x,
                "y": {"field": "hours", "type": "quantitative", "stack": "zero", "title": "hours"},
                "color": {
                    "field": "series",
                    "type": "nominal",
                    "scale": {"domain": list(series), "range": [COLOURS[s] for s in series]},
                },
                "order": {"field": "order", "type": "quantitative"},
            },
        }
    ]
    if rule:
        layers.append(
            {
                "data": {"values": list(rule)},
                "mark": {"type": "tick", "thickness": 2, "color": "#000000"},
                "encoding": {"x": x, "y": {"field": "hours", "type": "quantitative"}},
            }
        )
    return {"width": WIDTH, "height": HEIGHT, "layer": layers}


def activity_bars(rows: Sequence[dict[str, Any]], *, categories: Sequence[str]) -> dict[str, Any]:
    """Hours per activity (``label``, unique; ``category``; ``hours``) as horizontal bars in
    the order given, coloured by category."""
    return {
        "width": WIDTH - 200,
        "height": {"step": 18},
        "data": {"values": list(rows)},
        "mark": {"type": "bar"},
        "encoding": {
            "y": {
                "field": "label",
                "type": "nominal",
                "sort": None,
                "title": None,
                "axis": {"labelLimit": 220},
            },
            "x": {"field": "hours", "type": "quantitative", "title": "hours"},
            "color": {
                "field": "category",
                "type": "nominal",
                "scale": {"domain": list(categories), "range": [COLOURS[c] for c in categories]},
            },
        },
    }


def timeline(
    rows: Sequence[dict[str, Any]], *, lanes: Sequence[str], first: float, last: float
) -> dict[str, Any]:
    """A day as bars on lanes: ``lane``, ``start``/``end`` in hours since local midnight,
    ``kind`` (the colour: a category, ``gap`` or ``double-booked``), ``planned``."""
    kinds = [k for k in (*COLOURS,) if k not in ("planned", "free")]
    ticks = list(range(math.floor(first), math.ceil(last) + 1))
    return {
        "width": WIDTH,
        "height": {"step": 28},
        "data": {"values": list(rows)},
        "mark": {"type": "bar", "cornerRadius": 2, "stroke": "white", "strokeWidth": 1},
        "encoding": {
            "y": {
                "field": "lane",
                "type": "nominal",
                "sort": list(lanes),
                "title": None,
                "scale": {"domain": list(lanes)},
            },
            "x": {
                "field": "start",
                "type": "quantitative",
                "title": None,
                "scale": {"domain": [first, last], "nice": False},
                "axis": {
                    "values": ticks,
                    "labelExpr": "format(datum.value, '02d') + ':00'",
                    "grid": True,
                },
            },
            "x2": {"field": "end"},
            "color": {
                "field": "kind",
                "type": "nominal",
                "scale": {"domain": kinds, "range": [COLOURS[k] for k in kinds]},
                "legend": None,
            },
            "opacity": {
                "field": "planned",
                "type": "nominal",
                "scale": {"domain": [False, True], "range": [1, 0.45]},
                "legend": None,
            },
        },
    }
