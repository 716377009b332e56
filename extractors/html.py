"""Saved report pages (HTML) → text lines and table grids, read from the DOM.

Government CMS pages wrap the article in navigation, often inside layout
tables, and Word-exported markup nests every cell's text in ``<p><span>``.
The reader keeps the article: text outside ``nav``/``header``/``footer``/
``script``/``style`` and outside elements whose id or class names navigation;
tables that contain tables are layout, their text read as paragraphs; the page
starts at the report's title. Cells keep their row and column spans.
Provenance is the element's position: ``table[i]/rR/cC``.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from nianbao.errors import InputError
from nianbao.extractors.markup import SpanCell, clean_text, grid_from_rows
from nianbao.model import DocumentResult, TextLine
from nianbao.settings import Settings

_CHARSET = re.compile(rb"""charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.I)
_SKIP_TAGS = {"script", "style", "nav", "header", "footer", "noscript", "select", "button", "iframe"}
_SKIP_CLASS = re.compile(r"nav|menu|footer|header|breadcrumb|sidebar|copyright|crumb|toolbar|share", re.I)
_BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "section", "article", "tr", "dd", "dt", "center"}
_FOOTER_WORDS = ("版权所有", "主办单位", "网站标识码", "ICP备", "技术支持", "承办单位", "网站地图", "联系我们")
_VOID = {"br", "img", "hr", "meta", "link", "input", "col", "wbr", "area", "base", "source"}


def decode_html(data: bytes) -> str:
    """Declared charset first (GB2312/GBK read as GB18030, their superset), then UTF-8, then GB18030."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    m = _CHARSET.search(data[:4096])
    if m:
        enc = m.group(1).decode("ascii").lower()
        if enc in ("gb2312", "gbk", "gb18030", "x-gbk", "cp936"):
            enc = "gb18030"
        try:
            return data.decode(enc)
        except (LookupError, UnicodeDecodeError):
            pass
    for enc in ("utf-8", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise InputError("the page is neither UTF-8 nor GB18030/GBK and declares no readable charset")


class _Table:
    def __init__(self, order: float) -> None:
        self.order = order
        self.rows: list[list[SpanCell]] = []
        self.cell: SpanCell | None = None
        self.buf: list[str] = []
        self.cell_raw: list[str] = []  # the current cell's text so far, nested tables cut out
        self.nested = False
        # (order, raw text) of each stretch of cell text: a layout table's paragraphs
        self.segments: list[tuple[float, str]] = []


# a start tag of these closes an open one of its own kind (and what is open inside it) within the
# nearest of the boundary tags: HTML lets pages leave </td>, </tr>, </li> and </p> out, and old CMS
# pages do, so without this the open-element stack grew with every row
_IMPLIED_END = {
    "td": ("td", "th"),
    "th": ("td", "th"),
    "tr": ("tr",),  # and the cell open inside it
    "li": ("li",),
    "p": ("p",),
    "dt": ("dt", "dd"),
    "dd": ("dt", "dd"),
    "option": ("option",),
}
_BOUNDARY = {
    "td": ("tr", "table"),
    "th": ("tr", "table"),
    "tr": ("table",),
    "li": ("ul", "ol"),
    "p": ("div", "td", "th", "li", "table", "section", "article", "blockquote", "body"),
    "dt": ("dl",),
    "dd": ("dl",),
    "option": ("select",),
}


class _Reader(HTMLParser):
    """The article's text and tables, in one pass: every step is bounded by the page's size, the
    depth of open elements by ``max_depth`` and their number by ``max_elements``."""

    def __init__(self, max_depth: int = 1000, max_elements: int = 500_000) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, skipped)
        self.skipped = 0  # entries of the stack that are skipped: `skipping` without a scan
        self.max_depth = max_depth
        self.max_elements = max_elements
        self.elements = 0
        self.tables: list[_Table] = []
        self.done_tables: list[_Table] = []
        self.lines: list[tuple[float, str]] = []
        self.buf: list[str] = []
        self.order = 0.0

    @property
    def skipping(self) -> bool:
        return self.skipped > 0

    def _pop_to(self, i: int) -> None:
        """Close the elements of the stack from position ``i`` on."""
        self.skipped -= sum(1 for _, skip in self.stack[i:] if skip)
        del self.stack[i:]

    def _imply_end(self, tag: str) -> None:
        ends, bounds = _IMPLIED_END.get(tag), _BOUNDARY.get(tag, ())
        if not ends:
            return
        for i in range(len(self.stack) - 1, -1, -1):
            name = self.stack[i][0]
            if name in bounds:
                return
            if name in ends:
                self.handle_endtag(name)
                return

    def _tick(self) -> float:
        self.order += 1
        return self.order

    def _flush_text(self) -> None:
        text = clean_text("".join(self.buf))
        self.buf = []
        if text:
            self.lines.append((self._tick(), text))

    def _sink(self) -> list[str]:
        if self.tables and self.tables[-1].cell is not None:
            return self.tables[-1].buf
        return self.buf

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements += 1
        if self.elements > self.max_elements:
            raise InputError(
                f"the page holds more than {self.max_elements:,} elements; not a report page "
                "(raise it for one run with --limit max_html_elements=N)"
            )
        self._imply_end(tag)
        a = {k: v or "" for k, v in attrs}
        skip = tag in _SKIP_TAGS or bool(_SKIP_CLASS.search(a.get("class", "") + " " + a.get("id", "")))
        if tag not in _VOID:
            if len(self.stack) >= self.max_depth:
                raise InputError(
                    f"the page nests elements more than {self.max_depth:,} deep; not a report page "
                    "(raise it for one run with --limit max_html_depth=N)"
                )
            self.stack.append((tag, skip))
            self.skipped += skip
        if self.skipping:
            return
        if tag == "table":
            if self.tables:
                self.tables[-1].nested = True
                self._cut_segment()
            else:
                self._flush_text()
            self.tables.append(_Table(self._tick()))
        elif tag == "tr" and self.tables:
            self._end_cell()
            self.tables[-1].rows.append([])
        elif tag in ("td", "th") and self.tables:
            t = self.tables[-1]
            self._end_cell()
            if not t.rows:
                t.rows.append([])
            t.cell = SpanCell("", _int(a.get("rowspan")), _int(a.get("colspan")))
            t.rows[-1].append(t.cell)
        elif tag == "br" or tag in _BLOCK:
            self._sink().append("\n")
            if tag in _BLOCK and not self.tables:
                self._flush_text()

    def handle_endtag(self, tag: str) -> None:
        was_skipping = self.skipping
        # close up to the matching tag: HTML in the wild leaves tags open
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                self._pop_to(i)
                break
        if was_skipping and self.skipping:
            return
        if tag == "table" and self.tables:
            self._end_cell()
            t = self.tables.pop()
            if t.nested:
                # a layout table: its own text is the article's paragraphs, not a grid
                for order, raw in t.segments:
                    for k, part in enumerate(raw.split("\n")):
                        text = clean_text(part)
                        if text:
                            self.lines.append((order + k / 1000, text))
            else:
                self.done_tables.append(t)
        elif tag in ("td", "th") and self.tables:
            self._end_cell()
        elif tag in _BLOCK:
            self._sink().append("\n")
            if not self.tables:
                self._flush_text()

    def _cut_segment(self) -> None:
        t = self.tables[-1]
        raw = "".join(t.buf)
        t.buf = []
        t.cell_raw.append(raw)
        if raw.strip():
            t.segments.append((self._tick(), raw))

    def _end_cell(self) -> None:
        t = self.tables[-1]
        if t.cell is not None:
            self._cut_segment()
            t.cell.text = clean_text("\n".join(t.cell_raw))
            t.cell = None
            t.cell_raw = []

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self._sink().append(data)

    def close(self) -> None:
        super().close()
        while self.tables:
            self.handle_endtag("table")
        self._flush_text()


def _int(v: str | None) -> int:
    try:
        return max(1, int(str(v).strip()))
    except ValueError:
        return 1


def extract_html(doc: DocumentResult, settings: Settings) -> DocumentResult:
    text = decode_html(Path(doc.path).read_bytes())
    reader = _Reader(settings.max_html_depth, settings.max_html_elements)
    reader.feed(text)
    reader.close()
    lines = sorted(reader.lines)
    # the article starts at the report's title; what stands above it is the portal's
    start = next((o for o, t in lines if "年度报告" in t and len(t) < 80), None)
    for order, t in lines:
        if start is not None and order < start:
            continue
        if any(w in t for w in _FOOTER_WORDS):
            continue
        doc.lines.append(TextLine(t, None, None, order=order))
    for table in sorted(reader.done_tables, key=lambda tb: tb.order):
        if start is not None and table.order < start:
            continue
        if table.rows:
            grid = grid_from_rows(table.rows, index=len(doc.tables), order=table.order, source="html", method="html")
            doc.tables.append(grid)
    if not doc.lines and not doc.tables:
        raise InputError("the page holds no article text")
    return doc
