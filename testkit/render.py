"""Drawing report pages with reportlab: paragraphs, ruled/unruled tables with spans.

Only the sample generator uses this (it needs reportlab and an installed CJK
font); the pipeline and the tests read the committed PDFs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from testkit.layout import TableLayout

FONT = "WQY"
FONT_PATHS = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
)


def register_font() -> str:
    for p in FONT_PATHS:
        if Path(p).exists():
            pdfmetrics.registerFont(TTFont(FONT, p, subfontIndex=0))
            return p
    raise SystemExit("no CJK font: apt-get install fonts-wqy-zenhei")


@dataclass
class Style:
    rules: str = "full"  # full | hrules | none | box (outer frame only)
    fake_bold: bool = False
    repeat_header: bool = True
    break_after: int | None = None  # force a page break after this row index
    # "three-line" tables (rules == "hrules"): heavier top and bottom rules, a short rule under
    # each header group over its own columns only, and rules between every row or between blocks
    heavy_frame: bool = False
    row_rules: str = "all"  # all | blocks | none
    group_rules: bool = False
    value_align: str | None = None  # override the alignment of value cells: left | center | right
    top_align: bool | None = None  # text at the top of its cell (None: unruled tables only)


def wrap(text: str, width: float, size: float) -> list[str]:
    """Break text into lines that fit ``width`` (CJK: any character may start a line)."""
    lines: list[str] = []
    for para in text.split("\n"):
        cur = ""
        for ch in para:
            if pdfmetrics.stringWidth(cur + ch, FONT, size) > width and cur:
                lines.append(cur)
                cur = ch
            else:
                cur += ch
        lines.append(cur)
    return lines


@dataclass
class Flow:
    path: Path
    margin: float = 56.0
    canvas: Canvas = field(init=False)
    y: float = field(init=False)
    page_no: int = field(init=False, default=1)
    fake_bold_text: bool = False

    landscape: bool = False

    def __post_init__(self) -> None:
        size = (A4[1], A4[0]) if self.landscape else A4
        self.canvas = Canvas(str(self.path), pagesize=size, invariant=1)
        self.canvas.setTitle(self.path.stem)
        self.y = self.margin
        self.W, self.H = size

    # ---- primitives (y is measured from the top, as the pipeline measures it)
    def text(self, x: float, y_top: float, s: str, size: float, bold: bool = False) -> None:
        c = self.canvas
        c.setFont(FONT, size)
        base = self.H - y_top - size * 0.88
        c.drawString(x, base, s)
        if bold:
            c.drawString(x + 0.3, base, s)

    def hline(self, x0: float, x1: float, y: float, width: float = 0.6) -> None:
        self.canvas.setLineWidth(width)
        self.canvas.line(x0, self.H - y, x1, self.H - y)

    def shade(self, x0: float, x1: float, top: float, bottom: float) -> None:
        c = self.canvas
        c.saveState()
        c.setFillGray(0.85)
        c.rect(x0, self.H - bottom, x1 - x0, bottom - top, stroke=0, fill=1)
        c.restoreState()

    def vline(self, x: float, y0: float, y1: float) -> None:
        self.canvas.setLineWidth(0.6)
        self.canvas.line(x, self.H - y0, x, self.H - y1)

    def new_page(self) -> None:
        self._footer()
        self.canvas.showPage()
        self.page_no += 1
        self.y = self.margin

    def _footer(self) -> None:
        s = f"- {self.page_no} -"
        w = pdfmetrics.stringWidth(s, FONT, 9)
        self.text((self.W - w) / 2, self.H - 36, s, 9)

    def save(self) -> None:
        self._footer()
        self.canvas.save()

    # ---- flow elements
    def space(self, h: float) -> None:
        self.y += h

    def ensure(self, h: float) -> None:
        if self.y + h > self.H - self.margin:
            self.new_page()

    def paragraph(self, s: str, size: float = 10.5, indent: float = 21.0, bold: bool = False) -> None:
        width = self.W - 2 * self.margin
        lines = wrap(s, width - indent, size)
        for i, ln in enumerate(lines):
            self.ensure(size * 1.6)
            self.text(self.margin + (indent if i == 0 else 0), self.y, ln, size, bold)
            self.y += size * 1.6

    def title(self, s: str, size: float = 15.0) -> None:
        width = self.W - 2 * self.margin
        for ln in wrap(s, width, size):
            w = pdfmetrics.stringWidth(ln, FONT, size)
            self.text((self.W - w) / 2, self.y, ln, size, bold=self.fake_bold_text)
            self.y += size * 1.7
        self.y += 6

    def image_page(self, png: Path) -> None:
        """A page that is only a picture (a scanned page inside a text PDF)."""
        self.new_page()
        self.canvas.drawImage(str(png), 0, 0, width=self.W, height=self.H)

    def table(self, t: TableLayout, style: Style) -> None:
        size = t.font_size
        line_h = size * 1.3
        pad = 3.0
        x0 = self.margin
        xs = [x0]
        # a table may run into the right margin, as Word lets it, but never off the paper: a scan
        # cannot show digits the paper did not hold
        room = self.W - x0 - self.margin / 2
        fit = min(1.0, room / sum(t.widths))
        for w in t.widths:
            xs.append(xs[-1] + w * fit)
        n = len(t.rows)
        heights = [line_h + 2 * pad] * n
        for r, row in enumerate(t.rows):
            for c in row:
                if c.rowspan != 1 or c.vertical:
                    continue
                w = xs[c.col + c.colspan] - xs[c.col] - 2 * pad
                need = len(wrap(c.text, w, size)) * line_h + 2 * pad
                heights[r] = max(heights[r], need)
        for r, row in enumerate(t.rows):
            for c in row:
                if c.rowspan == 1 and not c.vertical:
                    continue
                w = xs[c.col + c.colspan] - xs[c.col] - 2 * pad
                lines = len(c.text) if c.vertical else len(wrap(c.text, w, size))
                need = lines * line_h + 2 * pad
                have = sum(heights[r : r + c.rowspan])
                if need > have:
                    heights[r + c.rowspan - 1] += need - have
        # paginate into parts: (first row, last row exclusive)
        parts: list[tuple[int, int]] = []
        start = 0
        y = self.y
        bottom = self.H - self.margin
        for r in range(n):
            forced = style.break_after is not None and r == style.break_after + 1
            if (y + heights[r] > bottom or forced) and r > start:
                parts.append((start, r))
                start = r
                y = self.margin + (sum(heights[: t.header_rows]) if style.repeat_header else 0)
            y += heights[r]
        parts.append((start, n))
        for pi, (a, b) in enumerate(parts):
            if pi > 0:
                self.new_page()
            rows = list(range(a, b))
            if pi > 0 and style.repeat_header:
                rows = list(range(t.header_rows)) + rows
            ys = {}
            y = self.y
            for r in rows:
                ys[r] = y
                y += heights[r]
            end_y = y
            self._draw_part(t, style, xs, heights, rows, ys, size, line_h, pad)
            self.y = end_y + 8

    def _draw_part(self, t, style, xs, heights, rows, ys, size, line_h, pad):  # type: ignore[no-untyped-def]
        rowset = set(rows)
        x_left, x_right = xs[0], xs[-1]
        last = rows[-1]
        part_top, part_bot = ys[rows[0]], ys[last] + heights[last]
        for r in range(len(t.rows)):  # shading first: rules and text go over it
            for c in t.rows[r]:
                if c.shade and r in rowset:
                    self.shade(xs[c.col], xs[c.col + c.colspan], ys[r], ys[r] + heights[r])
        if style.rules == "hrules":
            frame = 1.4 if style.heavy_frame else 0.6
            self.hline(x_left, x_right, part_top, frame)
            self.hline(x_left, x_right, part_bot, frame)
            for r in rows[1:]:
                if r < t.header_rows:
                    continue  # header rows: only the short group rules below
                if (
                    r == t.header_rows
                    or style.row_rules == "all"
                    or (style.row_rules == "blocks" and r in t.block_starts)
                ):
                    self.hline(x_left, x_right, ys[r])
            if style.group_rules:
                for r in rows:
                    if r >= t.header_rows:
                        continue
                    for c in t.rows[r]:
                        if c.colspan > 1 and c.rowspan == 1 and r + 1 < t.header_rows + 1:
                            self.hline(xs[c.col] + 2, xs[c.col + c.colspan] - 2, ys[r] + heights[r])
        elif style.rules == "box":
            self.hline(x_left, x_right, part_top)
            self.hline(x_left, x_right, part_bot)
            self.vline(x_left, part_top, part_bot)
            self.vline(x_right, part_top, part_bot)
        for r in range(len(t.rows)):
            for c in t.rows[r]:
                span = [k for k in range(r, r + c.rowspan) if k in rowset]
                if not span:
                    continue
                top = ys[span[0]]
                bot = ys[span[-1]] + heights[span[-1]]
                cx0, cx1 = xs[c.col], xs[c.col + c.colspan]
                if style.rules == "full":
                    self.hline(cx0, cx1, top)
                    self.hline(cx0, cx1, bot)
                    self.vline(cx0, top, bot)
                    self.vline(cx1, top, bot)
                lines = list(c.text) if c.vertical else wrap(c.text, cx1 - cx0 - 2 * pad, size)
                if len(span) < c.rowspan and c.text:
                    # a row-spanning cell cut by a page break: its text continues on the next page,
                    # as word processors print it ("（四）无" here, "法提供" there)
                    lines = self._lines_in_part(c, r, span, heights, lines, line_h, pad)
                self._cell_text(c, lines, cx0, cx1, top, bot, size, line_h, pad, style)

    @staticmethod
    def _lines_in_part(c, r, span, heights, lines, line_h, pad):  # type: ignore[no-untyped-def]
        total = sum(heights[r : r + c.rowspan])
        before = sum(heights[r : span[0]])
        have = sum(heights[k] for k in span)
        block = len(lines) * line_h
        start = max(pad, (total - block) / 2)  # where the text starts in the whole (unsplit) cell
        out = [ln for i, ln in enumerate(lines) if before <= start + (i + 0.5) * line_h < before + have]
        return out

    def _cell_text(self, c, lines, cx0, cx1, top, bot, size, line_h, pad, style):  # type: ignore[no-untyped-def]
        if not c.text or not lines:
            return
        top_align = style.top_align if style.top_align is not None else style.rules != "full"
        block_h = len(lines) * line_h
        y = top + pad if top_align else top + max(pad, (bot - top - block_h) / 2)
        align = c.align
        if style.value_align and _is_value(c.text):
            align = style.value_align
        for ln in lines:
            w = pdfmetrics.stringWidth(ln, FONT, size)
            if align == "left":
                x = cx0 + pad
            elif align == "right":
                x = cx1 - pad - w
            else:
                x = cx0 + (cx1 - cx0 - w) / 2
            self.text(x, y + (line_h - size) / 2, ln, size, bold=style.fake_bold)
            y += line_h


def _is_value(text: str) -> bool:
    return bool(text) and all(ch in "0123456789.,-—/无０１２３４５６７８９" for ch in text)


def ceil_div(a: int, b: int) -> int:
    return math.ceil(a / b)
