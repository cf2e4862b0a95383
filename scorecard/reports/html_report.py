"""A small builder for self-contained, accessible HTML reports (the annual complaints report,
the committee pack): a title page, headings in order, paragraphs, tables from DataFrames and
Plotly figures, each figure with a text alternative and its data table.

The file makes no network requests and runs no script: CSS is inline, fonts are the reader's
own, and each chart is a static SVG image drawn by Kaleido (Plotly's exporter) in the local
Chromium, so a pack stays light enough to email and publish. Print CSS lays it out for A4,
so Chromium can turn it into a PDF. Where Chromium is not installed the charts are left out
with a note; their data tables are always there.
"""

from __future__ import annotations

import asyncio
import hashlib
import html
import logging
import math
import numbers
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
from plotly.io.json import to_json_plotly

from . import pdf

LOG = logging.getLogger(__name__)
FIGURE_WIDTH = 680  # px: the width of A4 less 15 mm margins, so print never crops a chart
SHORT_TABLE = 15  # rows: a table this short is kept on one printed page
SVG_CACHE_SIZE = 512  # charts drawn before: a pack made again draws only what changed
_SVGS: dict[str, bytes] = {}

CSS = """
:root { color-scheme: light; }
body { font-family: Arial, "Helvetica Neue", Helvetica, sans-serif; color: #1A1A1A;
  background: #fff; line-height: 1.5; font-size: 16px; margin: 0 auto; max-width: 46rem;
  padding: 1.5rem; }
h1 { font-size: 2rem; line-height: 1.2; margin: 0 0 1rem; }
h2 { font-size: 1.5rem; margin: 2.2rem 0 0.6rem; border-bottom: 2px solid #1A1A1A; }
h3 { font-size: 1.2rem; margin: 1.6rem 0 0.4rem; }
a { color: #0B4F8A; }
.cover { border-bottom: 6px solid #0072B2; padding-bottom: 1.5rem; margin-bottom: 1.5rem; }
.cover p { font-size: 1.1rem; margin: 0.3rem 0; }
.cover .organisation { font-size: 1.3rem; font-weight: 700; }
nav ol { padding-left: 1.4rem; }
figure { margin: 1.2rem 0 1.8rem; }
figcaption { font-weight: 700; font-size: 1.05rem; margin-bottom: 0.4rem; }
.chart { width: 100%; }
.chart svg { display: block; max-width: 100%; height: auto; }
.note { color: #404040; font-size: 0.92rem; margin: 0.3rem 0 0.8rem; }
table { border-collapse: collapse; width: 100%; margin: 0.6rem 0 1.2rem; font-size: 0.9rem; }
caption { text-align: left; font-weight: 700; padding: 0.3rem 0; }
th, td { border-bottom: 1px solid #BFBFBF; padding: 0.3rem 0.45rem; text-align: left;
  vertical-align: top; }
thead th { border-bottom: 2px solid #1A1A1A; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.key { display: grid; grid-template-columns: repeat(auto-fill, minmax(13rem, 1fr));
  gap: 0.6rem; margin: 1rem 0; padding: 0; list-style: none; }
.key li { border: 1px solid #BFBFBF; border-left: 6px solid #0072B2; padding: 0.5rem 0.7rem; }
.key .figure { display: block; font-size: 1.5rem; font-weight: 700; }
.print-only { display: none; }
@page { size: A4; margin: 15mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  .cover { break-after: page; }
  h2, h3, caption { break-after: avoid; }
  figure, tr, table.short, .key li { break-inside: avoid; }
  nav a, a { color: #1A1A1A; text-decoration: none; }
  tr.older { display: none; }
  .print-only { display: block; }
}
"""


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"


def cell(value) -> str:
    """A value for a table cell: thousands separators, one decimal place, '–' when blank."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, numbers.Integral):
        return f"{int(value):,}"
    if isinstance(value, numbers.Real):
        return f"{float(value):,.1f}"
    return str(value)


def _is_number(series: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)


def table_html(
    frame: pd.DataFrame, caption: str, row_headers: bool = True, print_last: int | None = None
) -> str:
    """A data table with a caption, column headers and (first column) row headers; with
    `print_last`, only the last rows are printed (the file on screen keeps them all), so a
    long series does not make a paper heavy."""
    numeric = [_is_number(frame[c]) for c in frame.columns]
    head = "".join(
        f'<th scope="col"{" class=num" if n else ""}>{html.escape(str(c))}</th>'
        for c, n in zip(frame.columns, numeric)
    )
    rows = []
    hide_before = len(frame) - print_last if print_last and len(frame) > print_last else 0
    for number, values in enumerate(frame.itertuples(index=False)):
        cells = []
        for i, (value, n) in enumerate(zip(values, numeric)):
            tag = "th" if i == 0 and row_headers else "td"
            scope = ' scope="row"' if tag == "th" else ""
            cls = ' class="num"' if n else ""
            cells.append(f"<{tag}{scope}{cls}>{html.escape(cell(value))}</{tag}>")
        older = ' class="older"' if number < hide_before else ""
        rows.append(f"<tr{older}>" + "".join(cells) + "</tr>")
    short = ' class="short"' if len(frame) <= SHORT_TABLE else ""
    note = (
        (
            f'<p class="note print-only">Printed: the latest {print_last} of {len(frame)} '
            "periods; the HTML file and the dashboard's download have them all.</p>"
        )
        if hide_before
        else ""
    )
    return (
        f"<table{short}><caption>{html.escape(caption)}</caption><thead><tr>{head}</tr>"
        f"</thead><tbody>{''.join(rows)}</tbody></table>{note}"
    )


@dataclass
class Document:
    """An HTML report built block by block; `render()` gives the finished page."""

    title: str
    lang: str = "en-GB"
    blocks: list[str] = field(default_factory=list)
    contents: list[tuple[str, str]] = field(default_factory=list)
    figures: int = 0
    charts: list = field(default_factory=list)  # (placeholder, figure, alt), drawn on render
    _level: int = 1
    _ids: set = field(default_factory=set)

    def _id(self, text: str) -> str:
        base, n = _slug(text), 1
        anchor = base
        while anchor in self._ids:
            n += 1
            anchor = f"{base}-{n}"
        self._ids.add(anchor)
        return anchor

    def cover(self, lines: list[str], organisation: str = "") -> None:
        """The title page: organisation, the document title (the only h1), then lines."""
        org = f'<p class="organisation">{html.escape(organisation)}</p>' if organisation else ""
        body = "".join(f"<p>{html.escape(line)}</p>" for line in lines)
        self.blocks.append(
            f'<header class="cover">{org}<h1>{html.escape(self.title)}</h1>{body}</header>'
        )

    def heading(self, text: str, level: int = 2) -> str:
        """A section heading; levels may not skip (an h2 before any h3). Returns its id."""
        if level < 2 or level > self._level + 1:
            raise ValueError(f"Heading '{text}' at level {level} skips a level")
        self._level = level
        anchor = self._id(text)
        if level == 2:
            self.contents.append((anchor, text))
        self.blocks.append(f'<h{level} id="{anchor}">{html.escape(text)}</h{level}>')
        return anchor

    def paragraph(self, text: str, css_class: str = "") -> None:
        """A paragraph of plain text (escaped)."""
        cls = f' class="{css_class}"' if css_class else ""
        self.blocks.append(f"<p{cls}>{html.escape(text)}</p>")

    def sanitised(self, block: str) -> None:
        """HTML already made safe by its maker (commentary, sanitised by nh3)."""
        self.blocks.append(block)

    def bullets(self, items: list[str]) -> None:
        """A bulleted list of plain text."""
        self.blocks.append("<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in items) + "</ul>")

    def key_figures(self, items: list[tuple[str, str]]) -> None:
        """Headline figures as a list of labelled boxes: (figure, what it is)."""
        self.blocks.append(
            '<ul class="key">'
            + "".join(
                f'<li><span class="figure">{html.escape(v)}</span>{html.escape(label)}</li>'
                for v, label in items
            )
            + "</ul>"
        )

    def table(self, frame: pd.DataFrame, caption: str, row_headers: bool = True) -> None:
        """A DataFrame as an accessible table with a caption."""
        self.blocks.append(table_html(frame, caption, row_headers))

    def figure(
        self,
        fig,
        title: str,
        alt: str,
        table: pd.DataFrame | None = None,
        note: str = "",
        print_last: int | None = None,
    ) -> None:
        """A numbered figure: caption (the finding), the chart as an image with `alt` as its
        text alternative and a note; then the data table behind it, captioned 'Data for
        figure N'."""
        self.figures += 1
        n, anchor = self.figures, self._id(f"figure-{self.figures}")
        caption = f"Figure {n}. {title}"
        chart = ""
        if fig is not None:
            chart = f"<!--chart-{anchor}-->"
            self.charts.append((chart, fig, alt))
        parts = [
            f'<figure id="{anchor}" aria-labelledby="{anchor}-caption">',
            f'<figcaption id="{anchor}-caption">{html.escape(caption)}</figcaption>',
            chart,
            f'<p class="note">{html.escape(note)}</p>' if note else "",
            "</figure>",
        ]
        # the table follows the figure (not inside it) so a long one can run over a page
        # while the caption, chart and note stay together
        if table is not None and len(table):
            parts.append(table_html(table, f"Data for figure {n}: {title}", print_last=print_last))
        self.blocks.append("".join(parts))

    def render(self) -> str:
        """The whole page: inline CSS, contents, each chart as a static SVG image."""
        drawn = draw_svgs([fig for _, fig, _ in self.charts])
        images = {mark: _image(svg, alt) for (mark, _, alt), svg in zip(self.charts, drawn)}
        nav = (
            (
                '<nav aria-labelledby="contents"><h2 id="contents">Contents</h2><ol>'
                + "".join(f'<li><a href="#{a}">{html.escape(t)}</a></li>' for a, t in self.contents)
                + "</ol></nav>"
            )
            if self.contents
            else ""
        )
        blocks = self.blocks[:1] + [nav] + self.blocks[1:]
        return (
            f'<!DOCTYPE html>\n<html lang="{self.lang}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{html.escape(self.title)}</title><style>{CSS}</style>"
            f"</head><body><main>{_fill(''.join(blocks), images)}</main></body></html>\n"
        )

    def write(self, path: Path | str) -> Path:
        """Write the page to `path` (UTF-8) and return the path."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.render(), encoding="utf-8")
        return path


NOT_DRAWN = (
    "Chart not drawn: Chromium is not installed where this paper was made. The "
    "figures are in the data table that follows."
)


def draw_svgs(figures: list) -> list[bytes | None]:
    """Each figure as SVG at print width, drawn in one Chromium session by Kaleido; None for
    each when Chromium is missing or the drawing fails (logged, never raised). A figure drawn
    before (the same figure, to the byte) is not drawn again."""
    executable = pdf.chromium()
    if not figures or executable is None:
        return [None] * len(figures)
    keys = [_figure_key(fig) for fig in figures]
    new = {key: fig for key, fig in zip(keys, figures) if key not in _SVGS}
    if new:
        try:
            # in a thread of its own: the caller may already run an event loop (Playwright,
            # Streamlit's server), and asyncio.run needs a thread without one
            with ThreadPoolExecutor(max_workers=1) as pool:
                drawn = pool.submit(asyncio.run, _draw(list(new.values()), executable)).result()
        except Exception:  # a paper without charts beats no paper: the tables carry them
            LOG.exception("Kaleido could not draw the charts")
            return [None] * len(figures)
        while len(_SVGS) + len(new) > SVG_CACHE_SIZE and _SVGS:
            del _SVGS[next(iter(_SVGS))]  # the oldest first
        _SVGS.update(zip(new, drawn))
    return [_SVGS.get(key) for key in keys]


def _figure_key(fig) -> str:
    """A digest of the whole figure as Plotly writes it (every array in full)."""
    text = to_json_plotly(fig)
    return hashlib.blake2b(text.encode(), digest_size=20).hexdigest()


async def _draw(figures: list, executable: str) -> list[bytes]:
    import kaleido  # imported here: only papers need it, and it starts a browser

    async with kaleido.Kaleido(n=1, mathjax=False, path=executable) as drawer:
        out = []
        for fig in figures:
            fig = go.Figure(fig)
            opts = {"format": "svg", "width": FIGURE_WIDTH, "height": int(fig.layout.height or 400)}
            out.append(await drawer.calc_fig(fig, opts=opts))
        return out


def _image(svg: bytes | None, alt: str) -> str:
    """A chart as inline SVG with its text alternative, or a note when it was not drawn."""
    if svg is None:
        return f'<p class="note">{html.escape(NOT_DRAWN)}</p>'
    drawing = svg.decode("utf-8")
    drawing = drawing[drawing.index("<svg") :]  # no XML prolog inside HTML
    return (
        f'<div class="chart" role="img" aria-label="{html.escape(alt, quote=True)}">{drawing}</div>'
    )


def _fill(body: str, images: dict[str, str]) -> str:
    """Put each drawn chart in its place."""
    for mark, image in images.items():
        body = body.replace(mark, image, 1)
    return body
