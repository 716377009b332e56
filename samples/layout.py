"""Tables as the generator lays them out: cells at explicit grid positions with spans.

Shared by the PDF renderer (reportlab) and the HTML/Word writers; no font needed.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class CellSpec:
    col: int
    text: str
    colspan: int = 1
    rowspan: int = 1
    vertical: bool = False
    align: str = "center"  # left | center | right
    shade: bool = False  # a filled (grey) background, as section rows of table 二 often are


@dataclass
class TableLayout:
    widths: list[float]
    rows: list[list[CellSpec]]
    header_rows: int = 0  # rows repeated on a continuation page when asked
    font_size: float = 7.5
    block_starts: frozenset[int] = frozenset()  # rows that open a block (rules between blocks only)
