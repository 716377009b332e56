"""Tables 二/三/四 and other tables of a sample as printed in the reference layout (:class:`TableLayout`).

The one place the reference layout of a sample's tables is built: the PDF generator, the web and
Word writers and the dumps that print a table as a converter would all draw from here.
"""

from __future__ import annotations

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


def _drift(s: Sample, text: str) -> str:
    for a, b in s.drift.items():
        text = text.replace(a, b)
    return text


def t3_layout(s: Sample):  # type: ignore[no-untyped-def]
    vertical = s.vertical_group and s.rules == "full"
    label_w = [16.0, 60.0, 140.0] if vertical else [62.0, 154.0]
    L = len(label_w)
    rows: list[list[CellSpec]] = t3_header(L, note_align="left")
    data = s.t3_rows()
    n_results, counts = group_counts(data)
    seen_groups: set[str] = set()
    row_index: dict[str, int] = {}
    for code, group, item in data:
        row: list[CellSpec] = []
        if group is None:
            row.append(CellSpec(0, item, colspan=L, align="left"))
        else:
            if vertical and code == "granted":
                row.append(CellSpec(0, "三、本年度办理结果", rowspan=n_results, vertical=True))
            elif not vertical and code == "granted":
                rows.append([CellSpec(0, "三、本年度办理结果", colspan=L, align="left")])
            if group == "":
                row.append(CellSpec(L - 2, item, colspan=2, align="left"))
            else:
                if group not in seen_groups:
                    seen_groups.add(group)
                    row.append(CellSpec(L - 2, group, rowspan=counts[group], align="left"))
                row.append(CellSpec(L - 1, item, align="left"))
        for i, col in enumerate(T3_COLS):
            row.append(CellSpec(L + i, s.raw("t3", code, col)))
        row_index[code] = len(rows)
        rows.append(row)
    return TableLayout(label_w + [38.0] * 7, rows, header_rows=3, font_size=7.0), row_index


def t4_layout(s: Sample):  # type: ignore[no-untyped-def]
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
    return TableLayout([33.0] * 15, rows, header_rows=3, font_size=6.5)


def t2_layout(s: Sample):  # type: ignore[no-untyped-def]
    rows: list[list[CellSpec]] = []
    for heading, cols, items in s.t2_blocks():
        rows.append([CellSpec(0, heading, colspan=4, align="left")])
        head = [CellSpec(0, "信息内容")]
        span = 3 if len(cols) == 1 else 1
        for i, (_, label) in enumerate(cols):
            head.append(CellSpec(1 + i, label, colspan=span))
        rows.append(head)
        for code, label in items:
            row = [CellSpec(0, label)]
            for i, (col, _) in enumerate(cols):
                row.append(CellSpec(1 + i, s.raw("t2", code, col), colspan=span))
            rows.append(row)
    return TableLayout([150.0, 110.0, 110.0, 110.0], rows, header_rows=0, font_size=8.0)


def raw_layout(grid: list[list[str]]):  # type: ignore[no-untyped-def]
    n = len(grid[0])
    total = 484.0
    first = 24.0
    w = (total - first) / (n - 1)
    rows = [[CellSpec(i, t, align="left" if i and len(t) > 8 else "center") for i, t in enumerate(r)] for r in grid]
    return TableLayout([first] + [w] * (n - 1), rows, header_rows=1, font_size=6.5)
