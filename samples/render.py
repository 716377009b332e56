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

from samples.layout import TableLayout

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
    rules: str = "full"  # full | hrules | none
    fake_bold: bool = False
    repeat_header: bool = True
    break_after: int | None = None  # force a page break after this row index


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

    def __post_init__(self) -> None:
        self.canvas = Canvas(str(self.path), pagesize=A4, invariant=1)
        self.canvas.setTitle(self.path.stem)
        self.y = self.margin
        self.W, self.H = A4

    # ---- primitives (y is measured from the top, as the pipeline measures it)
    def text(self, x: float, y_top: float, s: str, size: float, bold: bool = False) -> None:
        c = self.canvas
        c.setFont(FONT, size)
        base = self.H - y_top - size * 0.88
        c.drawString(x, base, s)
        if bold:
            c.drawString(x + 0.3, base, s)

    def hline(self, x0: float, x1: float, y: float) -> None:
        self.canvas.setLineWidth(0.6)
        self.canvas.line(x0, self.H - y, x1, self.H - y)

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
        for w in t.widths:
            xs.append(xs[-1] + w)
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
        if style.rules == "hrules":
            for r in rows:
                self.hline(x_left, x_right, ys[r])
            last = rows[-1]
            self.hline(x_left, x_right, ys[last] + heights[last])
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
                self._cell_text(c, cx0, cx1, top, bot, size, line_h, pad, style)

    def _cell_text(self, c, cx0, cx1, top, bot, size, line_h, pad, style):  # type: ignore[no-untyped-def]
        if not c.text:
            return
        top_align = style.rules != "full"
        lines = list(c.text) if c.vertical else wrap(c.text, cx1 - cx0 - 2 * pad, size)
        block_h = len(lines) * line_h
        y = top + pad if top_align else top + max(pad, (bot - top - block_h) / 2)
        for ln in lines:
            w = pdfmetrics.stringWidth(ln, FONT, size)
            x = cx0 + pad if c.align == "left" else cx0 + (cx1 - cx0 - w) / 2
            self.text(x, y + (line_h - size) / 2, ln, size, bold=style.fake_bold)
            y += line_h


def ceil_div(a: int, b: int) -> int:
    return math.ceil(a / b)
