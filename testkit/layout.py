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


def t3_header(n_label_cols: int, note_align: str = "center") -> list[list[CellSpec]]:
    """The three header rows of table 三 after ``n_label_cols`` label columns (both formats)."""
    L = n_label_cols
    return [
        [
            CellSpec(
                0,
                "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
                colspan=L,
                rowspan=3,
                align=note_align,
            ),
            CellSpec(L, "申请人情况", colspan=7),
        ],
        [
            CellSpec(L, "自然人", rowspan=2),
            CellSpec(L + 1, "法人或其他组织", colspan=5),
            CellSpec(L + 6, "总计", rowspan=2),
        ],
        [
            CellSpec(L + 1 + i, t)
            for i, t in enumerate(["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"])
        ],
    ]


def group_counts(data: list[tuple[str, str | None, str]]) -> tuple[int, dict[str, int]]:
    """Rows under 三、本年度办理结果, and rows of each block (（三）不予公开: 8), of table 三's rows."""
    counts: dict[str, int] = {}
    for _, g, _ in data:
        if g:
            counts[g] = counts.get(g, 0) + 1
    return sum(1 for _, g, _ in data if g is not None), counts
