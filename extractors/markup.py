"""Shared by the page-less readers (HTML, Word): grids from rows of spanned cells, cell text."""

from __future__ import annotations

import re
from dataclasses import dataclass

from nianbao.model import Cell, Source, TableGrid

_CJK_END = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”]$")
_CJK_START = re.compile(r"^[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”]")
_WS = re.compile(r"[ \t\r\f\v\u00a0\u3000]+")


def clean_text(text: str) -> str:
    """Cell or paragraph text: lines trimmed, joined without a space between CJK characters."""
    out = ""
    for raw in text.split("\n"):
        line = _WS.sub(" ", raw).strip()
        if not line:
            continue
        if out and not (_CJK_END.search(out) or _CJK_START.search(line)):
            out += " "
        out += line
    return out


MAX_COLSPAN = 1000


@dataclass(slots=True)
class SpanCell:
    text: str
    rowspan: int = 1
    colspan: int = 1


def grid_from_rows(rows: list[list[SpanCell]], *, index: int, order: float, source: Source, method: str) -> TableGrid:
    """The HTML table model: each cell takes the next free grid position of its row."""
    taken: set[tuple[int, int]] = set()
    cells: list[Cell] = []
    n_cols = 0
    for r, row in enumerate(rows):
        c = 0
        for sc in row:
            while (r, c) in taken:
                c += 1
            # spans as HTML caps them (colspan 1000) and never past the table's last row: a page
            # asking for rowspan=999999 colspan=999999 must not fill memory with positions
            rs, cs = min(max(sc.rowspan, 1), len(rows) - r), min(max(sc.colspan, 1), MAX_COLSPAN)
            for dr in range(rs):
                for dc in range(cs):
                    taken.add((r + dr, c + dc))
            # an empty cell is kept: a blank printed where a value belongs reads as 0
            cells.append(Cell(r, c, sc.text, rowspan=min(rs, len(rows) - r), colspan=cs))
            c += cs
            n_cols = max(n_cols, c)
    n_cols = max([n_cols] + [c + 1 for _, c in taken])
    return TableGrid(
        index=index,
        page=None,
        n_rows=len(rows),
        n_cols=n_cols,
        cells=cells,
        method=method,
        source=source,
        # no geometry: column index stands for position, so a continuation part
        # with the same columns lines up with the part above
        col_centers=[float(i) for i in range(n_cols)],
        order=order,
    )
