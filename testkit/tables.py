"""Tables 二/三/四 and other tables of a sample as printed in the reference layout (:class:`TableLayout`).

The one place the reference layout of a sample's tables is built: the PDF generator, the web and
Word writers and the dumps that print a table as a converter would all draw from here.
"""

from __future__ import annotations

from dataclasses import dataclass

from testkit.layout import CellSpec, TableLayout, group_counts, t3_header
from testkit.specs import T3_COLS, T4_BLOCKS, T4_MEASURES, Sample


def embedded_layout(emb):  # type: ignore[no-untyped-def]
    """An embedded table with its (possibly two-level, merged) header as a TableLayout."""
    n = len(emb.rows[0])
    rows = [[CellSpec(c, t, colspan=cs, rowspan=rs) for c, t, cs, rs in hrow] for hrow in emb.header]
    rows += [[CellSpec(i, t, align="left" if len(t) > 8 else "center") for i, t in enumerate(r)] for r in emb.rows]
    widths = emb.widths or [24.0] + [(484.0 - 24.0) / (n - 1)] * (n - 1)
    return TableLayout(widths, rows, header_rows=len(emb.header), font_size=6.5)


# ------------------------------------------------------------------ layouts


@dataclass(frozen=True)
class TableStyle:
    """How tables 二/三/四 are laid out: the reference layout (the defaults), or one the layout fuzzer
    drew (:func:`testkit.fuzz.style_of`). The one set of builders below serves both."""

    # the row-label area of table 三: [group,] block, item columns
    label_w: tuple[float, ...] = (62.0, 154.0)
    group: str = "horizontal"  # how 三、本年度办理结果 prints: vertical | wrapped | horizontal
    value_w: float = 38.0
    font_size: float = 7.0
    note_align: str = "left"  # the 勾稽 note in table 三's corner
    t4_width: float = 495.0
    t4_font: float = 6.5
    t2_widths: tuple[float, ...] = (150.0, 110.0, 110.0, 110.0)
    t2_font: float = 8.0
    t2_split: bool = False  # one table per section of table 二
    shaded: bool = False  # table 二's section rows shaded
    # a two-column block of table 二 (2019's （九）) spans two columns each and every row fills the
    # table's width (the fuzzer's); the reference leaves the last column empty
    t2_fill: bool = False


def _reference_t3(s: Sample) -> TableStyle:
    if s.vertical_group and s.rules == "full":
        return TableStyle(label_w=(16.0, 60.0, 140.0), group="vertical")
    return TableStyle()


def _drift(s: Sample, text: str) -> str:
    for a, b in s.drift.items():
        text = text.replace(a, b)
    return text


def t3_layout(s: Sample, st: TableStyle | None = None) -> tuple[TableLayout, dict[str, int]]:
    """Table 三 as printed; also each row code's table row."""
    st = st or _reference_t3(s)
    label_w = list(st.label_w)
    L = len(label_w)
    rows: list[list[CellSpec]] = t3_header(L, note_align=st.note_align)
    data = s.t3_rows()
    n_results, counts = group_counts(data)
    seen_groups: set[str] = set()
    row_index: dict[str, int] = {}
    block_starts: set[int] = set()
    for code, group, item in data:
        row: list[CellSpec] = []
        if group is None:
            row.append(CellSpec(0, item, colspan=L, align="left"))
            block_starts.add(len(rows))
        else:
            if code == "granted":
                if st.group == "horizontal":
                    block_starts.add(len(rows))
                    rows.append([CellSpec(0, "三、本年度办理结果", colspan=L, align="left")])
                else:
                    row.append(CellSpec(0, "三、本年度办理结果", rowspan=n_results, vertical=st.group == "vertical"))
            if group == "":
                block_starts.add(len(rows))
                row.append(CellSpec(L - 2, item, colspan=2, align="left"))
            else:
                if group not in seen_groups:
                    seen_groups.add(group)
                    block_starts.add(len(rows))
                    row.append(CellSpec(L - 2, group, rowspan=counts[group], align="left"))
                row.append(CellSpec(L - 1, item, align="left"))
        for i, col in enumerate(T3_COLS):
            row.append(CellSpec(L + i, s.raw("t3", code, col)))
        row_index[code] = len(rows)
        rows.append(row)
    layout = TableLayout(
        label_w + [st.value_w] * 7,
        rows,
        header_rows=3,
        font_size=st.font_size,
        block_starts=frozenset(block_starts),
    )
    return layout, row_index


def t4_layout(s: Sample, st: TableStyle | None = None) -> TableLayout:
    st = st or TableStyle()
    m = [t for _, t in T4_MEASURES]
    rows = [
        [CellSpec(0, _drift(s, "行政复议"), colspan=5), CellSpec(5, "行政诉讼", colspan=10)],
        [CellSpec(i, m[i], rowspan=2) for i in range(5)]
        + [CellSpec(5, "未经复议直接起诉", colspan=5), CellSpec(10, "复议后起诉", colspan=5)],
        [CellSpec(5 + i, m[i % 5]) for i in range(10)],
        [
            CellSpec(i, s.raw("t4", b, mc))
            for i, (b, mc) in enumerate((b, mc) for b, _ in T4_BLOCKS for mc, _ in T4_MEASURES)
        ],
    ]
    return TableLayout([st.t4_width / 15] * 15, rows, header_rows=3, font_size=st.t4_font)


def t2_layouts(s: Sample, st: TableStyle | None = None) -> list[TableLayout]:
    """Table 二 as printed: one table, or one per section (``t2_split``)."""
    st = st or TableStyle()
    widths = list(st.t2_widths)
    tables: list[TableLayout] = []
    rows: list[list[CellSpec]] = []
    for heading, cols, items in s.t2_blocks():
        if st.t2_split and rows:
            tables.append(TableLayout(widths, rows, font_size=st.t2_font))
            rows = []
        rows.append([CellSpec(0, heading, colspan=4, align="left", shade=st.shaded)])
        if st.t2_fill:
            span = 3 if len(cols) == 1 else (2 if len(cols) == 2 else 1)
            head = [CellSpec(0, "信息内容")]
            for i, (_, lab) in enumerate(cols):
                head.append(CellSpec(1 + i * span, lab, colspan=span if i == len(cols) - 1 or span > 1 else 1))
            rows.append(_fit(head, 4))
        else:
            span = 3 if len(cols) == 1 else 1
            head = [CellSpec(0, "信息内容"), *(CellSpec(1 + i, lab, colspan=span) for i, (_, lab) in enumerate(cols))]
            rows.append(head)
        for code, label in items:
            row = [CellSpec(0, label)]
            for i, (col, _) in enumerate(cols):
                row.append(CellSpec(1 + i * (span if st.t2_fill else 1), s.raw("t2", code, col), colspan=span))
            rows.append(_fit(row, 4) if st.t2_fill else row)
    tables.append(TableLayout(widths, rows, font_size=st.t2_font))
    return tables


def t2_layout(s: Sample) -> TableLayout:
    """Table 二 in the reference layout: one table."""
    return t2_layouts(s)[0]


def _fit(row: list[CellSpec], n: int) -> list[CellSpec]:
    """Stretch the last cell so the row covers all n columns."""
    last = row[-1]
    last.colspan = n - last.col
    return row


def raw_layout(grid: list[list[str]]):  # type: ignore[no-untyped-def]
    n = len(grid[0])
    total = 484.0
    first = 24.0
    w = (total - first) / (n - 1)
    rows = [[CellSpec(i, t, align="left" if i and len(t) > 8 else "center") for i, t in enumerate(r)] for r in grid]
    return TableLayout([first] + [w] * (n - 1), rows, header_rows=1, font_size=6.5)
