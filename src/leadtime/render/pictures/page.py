"""The HTML page every picture is: one self-contained file, escaped by construction.

Everything a page holds is built as :class:`markupsafe.Markup`: text leadtime did not write
(titles, activities, calendar names, tags) enters only through :func:`text`, which cleans
it as every output does (:func:`leadtime.text.safe`) and escapes it for HTML, and markup is
put together with ``Markup(...).format(...)``, which escapes every argument that is not
already markup. There is no script; the page's Content-Security-Policy forbids scripts and
every network request besides, so a file opened from disk stays on the machine even if
something slipped through.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from leadtime import __version__
from leadtime.text import safe

TYPE_CHECKING = False
if TYPE_CHECKING:
    from leadtime.reports.plan import Tip

__all__ = ["Cell", "Markup", "document", "figure", "section", "table", "text"]

# One palette (Okabe & Ito), told apart with every common colour-vision deficiency. The
# categories and verdicts take the terminal's colours (see leadtime.render.charts): blue
# leadership and on target, orange hands-on and too hands-on, reddish purple too hands-off.
COLOURS = {
    "leadership": "#0072B2",
    "hands-on": "#E69F00",
    "other": "#999999",
    "unclassified": "#CC79A7",
    "planned": "#56B4E9",
    "free": "#DDDDDD",
    "gap": "#DDDDDD",
    "double-booked": "#D55E00",
}
VERDICT_COLOURS = {
    "on-target": "#0072B2",
    "too-hands-on": "#E69F00",
    "too-hands-off": "#CC79A7",
    "not-enough-data": "#999999",
    "on-track": "#0072B2",
    "at-risk": "#E69F00",
    "off-track": "#CC79A7",
}

POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'"

STYLE = """
:root { color-scheme: light; --ink: #1a1a1a; --muted: #595959; --rule: #d0d0d0; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
  sans-serif; color: var(--ink); background: #fff; max-width: 62rem; margin: 2rem auto;
  padding: 0 1rem; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; }
h2 { font-size: 1.15rem; margin: 2rem 0 .5rem; border-bottom: 1px solid var(--rule); }
.meta, .note, figcaption { color: var(--muted); }
.headline { font-size: 1.2rem; font-weight: 600; margin: .75rem 0 1.25rem; }
figure { margin: 1rem 0; }
figure svg { max-width: 100%; height: auto; }
table { border-collapse: collapse; margin: .5rem 0 1rem; font-variant-numeric: tabular-nums;
  font-size: .93rem; }
th, td { padding: .2rem .45rem; border-bottom: 1px solid var(--rule); text-align: left;
  vertical-align: top; white-space: nowrap; }
td.wrap { white-space: normal; min-width: 12rem; }
th { font-weight: 600; }
td.num, th.num { text-align: right; }
tfoot td { font-weight: 600; }
.scroll { overflow-x: auto; }
.verdict::before { content: ""; display: inline-block; width: .7em; height: .7em;
  margin-right: .35em; border-radius: 50%; background: var(--swatch, #999); }
.on-target, .on-track { --swatch: #0072B2; }
.too-hands-on, .at-risk { --swatch: #E69F00; }
.too-hands-off, .off-track { --swatch: #CC79A7; }
.not-enough-data { --swatch: #999999; }
.warning { border-left: 4px solid #E69F00; padding: .25rem .75rem; }
footer { margin-top: 2rem; color: var(--muted); font-size: .85rem; }
@media print {
  body { margin: 0; max-width: none; font-size: 10.5pt; }
  h2 { break-after: avoid; }
  figure, tr { break-inside: avoid; }
  .scroll { overflow: visible; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  @page { margin: 1.5cm; }
}
"""


def text(value: object) -> Markup:
    """Text leadtime did not write, as HTML: cleaned of control codes, then escaped.
    Markup passes unchanged."""
    if isinstance(value, Markup):
        return value
    return escape(safe(str(value), newlines=False))


@dataclass(frozen=True)
class Cell:
    """A table cell: its content, whether it is a number (right-aligned), its class."""

    content: object
    number: bool = False
    css: str = ""
    data: tuple[tuple[str, str], ...] = ()

    def html(self, tag: str = "td") -> Markup:
        classes = " ".join(part for part in ("num" if self.number else "", self.css) if part)
        attributes = Markup("").join(
            Markup(' data-{}="{}"').format(name, value) for name, value in self.data
        )
        content = self.content if isinstance(self.content, Markup) else text(self.content)
        if classes:
            return Markup('<{0} class="{1}"{2}>{3}</{0}>').format(
                Markup(tag), classes, attributes, content
            )
        return Markup("<{0}{1}>{2}</{0}>").format(Markup(tag), attributes, content)


def _cell(value: object) -> Cell:
    return value if isinstance(value, Cell) else Cell(value)


def table(
    caption: str,
    headings: Sequence[object],
    rows: Iterable[Sequence[object]],
    *,
    footer: Sequence[object] | None = None,
    row_data: Iterable[tuple[tuple[str, str], ...]] | None = None,
    css: str = "",
) -> Markup:
    """A table with a caption, a header row, body rows and an optional footer row.

    ``row_data`` gives ``data-*`` attributes per body row (the numbers as JSON writes them,
    for scripts that read the page).
    """
    head = Markup("").join((h if isinstance(h, Cell) else Cell(h)).html("th") for h in headings)
    body = []
    extras = list(row_data) if row_data is not None else None
    for index, row in enumerate(rows):
        attributes = Markup("")
        if extras is not None:
            attributes = Markup("").join(
                Markup(' data-{}="{}"').format(name, value) for name, value in extras[index]
            )
        cells = Markup("").join(_cell(value).html() for value in row)
        body.append(Markup("<tr{}>{}</tr>").format(attributes, cells))
    foot = Markup("")
    if footer is not None:
        cells = Markup("").join(_cell(value).html() for value in footer)
        foot = Markup("<tfoot><tr>{}</tr></tfoot>").format(cells)
    return Markup(
        '<div class="scroll"><table class="{}"><caption>{}</caption><thead><tr>{}</tr></thead>'
        "<tbody>{}</tbody>{}</table></div>"
    ).format(css, text(caption), head, Markup("").join(body), foot)


def figure(svg: Markup, caption: str, *, name: str) -> Markup:
    """A chart with its caption; ``name`` is the figure's id (the tests look for it)."""
    return Markup('<figure id="{}">{}<figcaption>{}</figcaption></figure>').format(
        name, svg, text(caption)
    )


def section(heading: str, *parts: Markup | str, name: str = "") -> Markup:
    """A titled section; plain strings become paragraphs."""
    body = Markup("").join(
        part if isinstance(part, Markup) else Markup("<p>{}</p>").format(text(part))
        for part in parts
    )
    return Markup('<section id="{}"><h2>{}</h2>{}</section>').format(
        name or heading.lower().replace(" ", "-"), text(heading), body
    )


def document(title: str, *, meta: str, headline: str, parts: Iterable[Markup], made: str) -> str:
    """The whole page: ``title`` as its heading, a line of ``meta``, the ``headline``
    sentence, the ``parts``, and a footer naming leadtime and ``made`` (when)."""
    return str(
        Markup(
            '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            '<meta http-equiv="Content-Security-Policy" content="{policy}">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            '<meta name="generator" content="leadtime {version}">\n'
            "<title>{title}</title>\n<style>{style}</style>\n</head>\n<body>\n<header>"
            '<h1>{title}</h1><p class="meta">{meta}</p>'
            '<p class="headline" id="headline">{headline}</p></header>\n<main>\n{parts}\n</main>\n'
            "<footer>Made by leadtime {version} on {made}.</footer>\n</body>\n</html>\n"
        ).format(
            policy=POLICY,
            version=__version__,
            title=text(title),
            style=Markup(STYLE),
            meta=text(meta),
            headline=text(headline),
            parts=Markup("\n").join(parts),
            made=made,
        )
    )


def tips_table(caption: str, tips: Sequence[Tip], shown: int, *, css: str) -> Markup:
    """The calendar series and one-off events of a period as a table (the plan's "what
    tips it", the report's "what took most time"); the calendar column only when the
    events come from several calendars."""
    from leadtime.render.plan import tip_rows

    several = len({tip.calendar for tip in tips}) > 1
    headings: list[Cell | str] = [
        "Event",
        "Category",
        "Kind",
        Cell("Count", number=True),
        Cell("h/week", number=True),
        Cell("h total", number=True),
        "Calendar",
    ]
    rows: list[list[Cell | str]] = [
        [
            Cell(row[0], css="wrap"),
            row[1],
            row[2],
            *(Cell(c, number=True) for c in row[3:6]),
            row[6],
        ]
        for row in tip_rows(tuple(tips), shown)
    ]
    if not several:
        headings, rows = headings[:-1], [row[:-1] for row in rows]
    return table(caption, headings, rows, css=css)
