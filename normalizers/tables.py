"""Grids → canonical values of tables 二/三/四, by section heading and label.

Readers never trust position: rows are mapped by their printed labels and columns
by their printed headers, each fuzzily matched (rapidfuzz) against the template
data in :mod:`nianbao.form.templates`. A cell whose row or column cannot be mapped
is reported, never shifted into a neighbour.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from itertools import pairwise

from nianbao.catalogue import finding
from nianbao.form.identities import identities
from nianbao.form.labels import (
    BLOCK_HEADING,
    ROW_START,
    best_match,
    contains_any,
    group_only,
    is_section_heading,
    starts_row,
    with_group_context,
)
from nianbao.form.templates import (
    MONEY_COLS,
    TEMPLATES,
    Block,
    Label,
    Template,
)
from nianbao.model import (
    DOUBTS,
    UNREAD_MARK,
    BBox,
    Cell,
    CellRef,
    DocumentResult,
    Finding,
    Provenance,
    Source,
    TableGrid,
    Value,
)
from nianbao.normalizers.agreement import merge
from nianbao.normalizers.anchored import READERS as ANCHORED
from nianbao.normalizers.anchored import Anchored, label_similarity, sections
from nianbao.normalizers.numbers import BLANK_FORMS, parse_number
from nianbao.normalizers.readout import ReadOut, make_value, value_of
from nianbao.normalizers.sequence import read_sequence
from nianbao.settings import Settings

_NUMERIC_CELL = re.compile(r"^[+\-−]?[\d,，.．]+\s*(万元|元)?$")


def is_value_text(text: str) -> bool:
    """A cell that holds a value (a number or a printed blank such as — / 无)."""
    t = unicodedata.normalize("NFKC", text).strip()
    return t in BLANK_FORMS or t == UNREAD_MARK or bool(_NUMERIC_CELL.match(t))


def _row_label(grid: TableGrid, matrix: list[list[Cell | None]], r: int) -> str:
    seen: list[Cell] = []
    for c in matrix[r]:
        if c is not None and c not in seen and c.text and not is_value_text(c.text):
            seen.append(c)
    return " ".join(c.text for c in seen)


# ------------------------------------------------------------------ row × column reader (t3)


@dataclass(slots=True)
class ColumnMap:
    """Grid column → column code, with the x centre of each column for continuations."""

    cols: dict[int, str] = field(default_factory=dict)
    centers: dict[str, float] = field(default_factory=dict)


def _column_map(
    grid: TableGrid,
    matrix: list[list[Cell | None]],
    header_rows: Sequence[int],
    labels: Sequence[Label],
    settings: Settings,
    above: dict[int, list[str]] | None = None,
    noise: Sequence[str] = (),
) -> ColumnMap:
    """Grid columns to column codes by their header cells. ``above``: per column, the header texts
    the part above printed over it (a header row a page broke: "商业" / "企业")."""
    cands: list[tuple[float, int, str]] = []
    for c in range(grid.n_cols):
        stack: list[Cell] = []
        for r in header_rows:
            cell = matrix[r][c]
            if cell is not None and cell.text and cell not in stack:
                stack.append(cell)
        up = (above or {}).get(c, [])
        if not stack and not up:
            continue
        # the leaf header first, then the leaf joined with the cells above it: a
        # header wrapped over two unruled lines (结果维 / 持) is two stacked cells
        heres = ["".join(s.text for s in stack[-k:]) for k in range(1, len(stack) + 1)] or [""]
        # a header the page broke is read whole first: its tail alone ("机构") may name a neighbour
        texts = ["".join(up[-j:]) + here for here in heres for j in range(1, len(up) + 1)] + [h for h in heres if h]
        m = None
        for text in texts:
            m = best_match(text, labels, settings.match_threshold)
            if m is not None:
                break
        if m is None and noise:
            # the group headings read into the leaf's cell: the leaf without them
            m = best_match(heres[-1], labels, settings.match_threshold, noise)
        if m is not None:
            cands.append((m.score, c, m.code))
    cmap = ColumnMap()
    for _, c, code in sorted(cands, reverse=True):
        if code in cmap.cols.values() or c in cmap.cols:
            continue
        cmap.cols[c] = code
        if grid.col_centers:
            cmap.centers[code] = grid.col_centers[c]
    cmap.cols = dict(sorted(cmap.cols.items()))
    return cmap


def _header_above(prev: TableGrid, prev_matrix: list[list[Cell | None]], grid: TableGrid) -> dict[int, list[str]]:
    """Per column of ``grid``, the header texts (top to bottom) a part printing only its header
    holds over the same place: the column whose centre is within a third of the pitch."""
    out: dict[int, list[str]] = {}
    if not prev.col_centers or not grid.col_centers:
        return out
    pitch = min((b - a for a, b in pairwise(sorted(grid.col_centers))), default=36.0)
    for c, x in enumerate(grid.col_centers):
        pc = min(range(len(prev.col_centers)), key=lambda k: abs(prev.col_centers[k] - x))
        if abs(prev.col_centers[pc] - x) > pitch / 3:
            continue
        texts: list[str] = []
        seen: list[Cell] = []
        for row in prev_matrix:
            cell = row[pc] if pc < len(row) else None
            if cell is not None and cell.text and cell not in seen:
                seen.append(cell)
                texts.append(cell.text)
        if texts:
            out[c] = texts
    return out


def _value_columns(grid: TableGrid, matrix: list[list[Cell | None]]) -> list[int]:
    """Columns of a grid whose own cells hold numbers on most rows (not a label spanning them)."""
    out = []
    for c in range(grid.n_cols):
        own = [cell for row in matrix if (cell := row[c]) is not None and cell.col == c and cell.colspan == 1]
        if own and sum(1 for cell in own if cell.text and is_value_text(cell.text)) >= 0.5 * grid.n_rows:
            out.append(c)
    return out


def _inherit_columns(grid: TableGrid, matrix: list[list[Cell | None]], prev: ColumnMap) -> ColumnMap:
    """A continuation part without a header: the part above's columns.

    When the part prints as many value columns as the part above maps, they are those columns in
    order. A browser printing a table split into two ``<table>`` elements (a Word "save as web page"
    export splits table 三 at （三） or （四）) sizes each part's columns on its own: matched by x, a
    part whose columns moved took its neighbours' codes and put values one column away. Otherwise
    by x, each column to the one within a third of the column pitch (and 12 pt), never two to one,
    and only when most of the columns line up.
    """
    out = ColumnMap()
    values = _value_columns(grid, matrix)
    if prev.cols and len(values) == len(prev.cols):
        codes = [code for _, code in sorted(prev.cols.items())]
        out.cols = dict(zip(values, codes, strict=True))
        out.centers = {code: grid.col_centers[i] for i, code in out.cols.items() if i < len(grid.col_centers)}
        return out
    centers = grid.col_centers
    pitch = min((b - a for a, b in pairwise(sorted(centers))), default=36.0)
    for code, x in prev.centers.items():
        if not centers:
            break
        i = min(range(len(centers)), key=lambda k: abs(centers[k] - x))
        if abs(centers[i] - x) <= min(12.0, pitch / 3) and i not in out.cols:
            out.cols[i] = code
            out.centers[code] = centers[i]
    if len(out.cols) <= len(prev.cols) // 2:
        # most columns moved: the few that still line up do so by chance (a part printed with its
        # own widths and a ruling line lost), and they would put values in another column's place
        return ColumnMap()
    out.cols = dict(sorted(out.cols.items()))
    return out


def read_rows_cols(grids: Sequence[TableGrid], tpl: Template, settings: Settings) -> ReadOut:
    out = ReadOut(tpl)
    prev: ColumnMap | None = None
    row_scores: dict[str, float] = {}
    last_row: str | None = None  # the previous part's last row when it was a data row (a page broke it?)
    # the previous part's last row when no label matched it ("2．申请人逾期未按收": a page broke the
    # row and its label): its grid, cells, label, columns and extract.unmapped_row finding
    pending: tuple[TableGrid, list[Cell | None], str, ColumnMap, Finding] | None = None
    open_header: tuple[TableGrid, list[list[Cell | None]]] | None = None  # a part that ended in its header
    for grid in grids:
        matrix = grid.matrix()
        data: list[tuple[int, str, float]] = []
        unmapped: dict[int, Finding] = {}  # grid row → its extract.unmapped_row finding
        ctx = ""
        labels = _joined_labels(grid, matrix, tpl, settings)
        for r in range(grid.n_rows):
            label, ctx = with_group_context(labels[r], ctx)
            heading = group_only(label, tpl.rows)
            m = best_match(label, tpl.rows, settings.match_threshold, tpl.noise) if label and not heading else None
            if m is not None:
                data.append((r, m.code, m.score))
            elif label and any(c is not None and c.text and is_value_text(c.text) for c in matrix[r]):
                # the row it most resembles: when the other reader reads that row, this is explained
                guess = max(tpl.rows, key=lambda lab: label_similarity(lab, label))
                unmapped[r] = finding(
                    "extract.unmapped_row",
                    f"row '{label}' of table {tpl.table} matches no row of the {tpl.format} format",
                    table=tpl.table,
                    page=grid.page,
                    bbox=grid.bbox,
                    subject=f"{tpl.table}.{guess.code}" if label_similarity(guess, label) >= 0.6 else None,
                )
                out.findings.append(unmapped[r])
        first = data[0][0] if data else grid.n_rows
        header_rows = list(range(first))
        cmap = (
            _column_map(grid, matrix, header_rows, tpl.cols, settings, noise=tpl.col_noise)
            if header_rows
            else ColumnMap()
        )
        if open_header is not None and header_rows:
            # the part above ended in its header: a page broke the header row ("商业" / "企业")
            read_whole = _column_map(
                grid, matrix, header_rows, tpl.cols, settings, _header_above(*open_header, grid), tpl.col_noise
            )
            if len(read_whole.cols) > len(cmap.cols):
                cmap = read_whole
        open_header = (grid, matrix) if not data and grid.n_rows else None
        inherited = not cmap.cols and prev is not None
        if inherited and prev is not None:
            cmap = _inherit_columns(grid, matrix, prev)
        if cmap.cols:
            prev = cmap
        out.mapped_cols.update(cmap.cols.values())
        # the second half of a label never starts as a row does (3．要求提供…: a row of its own)
        rest = _row_label(grid, matrix, 0) if grid.n_rows else ""
        if pending is not None and inherited and rest and not ROW_START.match(rest.split(" ")[-1]):
            # the row's label broken too: the two halves together name it
            p_grid, p_cells, p_label, p_cmap, p_finding = pending
            whole = best_match(p_label + rest, tpl.rows, settings.match_threshold, tpl.noise)
            if whole is not None and whole.code not in out.mapped_rows:
                out.mapped_rows.add(whole.code)
                row_scores[whole.code] = whole.score
                out.score += whole.score
                for c, col in p_cmap.cols.items():
                    if (cell := p_cells[c]) is not None:
                        out.values[(whole.code, col)] = make_value(tpl.table, whole.code, col, p_grid, cell, settings)
                _join_broken_row(out, whole.code, grid, matrix[0], cmap, settings, label_continues=True)
                out.findings = [f for f in out.findings if f is not p_finding and f is not unmapped.get(0)]
                data = [d for d in data if d[0] != 0]
                first = -1  # row 0 is taken
        pending = None
        # the part's first row is the rest of the part above's last when it has no label of its own
        # or the rest of that row's label (a long label broken with the row: it matches the same row)
        same = bool(data) and data[0][0] == 0 and data[0][1] == last_row
        if last_row is not None and inherited and (first > 0 or same):
            joined = _join_broken_row(out, last_row, grid, matrix[0], cmap, settings, label_continues=same)
            if same:
                data = data[1:]  # its numbers, if any, were joined above: never the row's reading itself
            elif joined and 0 in unmapped:  # the row is the part above's last, not an unknown one
                out.findings = [f for f in out.findings if f is not unmapped[0]]
        last_row = data[-1][1] if data and data[-1][0] == grid.n_rows - 1 else None
        # only a label's first half: it starts as a row does (2．申请人逾期未按收), never "信息"
        tail = grid.n_rows - 1
        if tail in unmapped and grid.source != "ocr" and ROW_START.match(_row_label(grid, matrix, tail).split(" ")[-1]):
            pending = (grid, matrix[tail], _row_label(grid, matrix, tail), cmap, unmapped[tail])
        for r, code, sc in data:
            if code in out.mapped_rows and row_scores.get(code, 0) >= sc:
                out.findings.append(
                    finding(
                        "extract.unmapped_row",
                        f"row '{_row_label(grid, matrix, r)}' repeats row {code}; the better match is kept",
                        table=tpl.table,
                        page=grid.page,
                    )
                )
                continue
            row_scores[code] = sc
            out.mapped_rows.add(code)
            out.score += sc
            for c, col in cmap.cols.items():
                cell = matrix[r][c]
                if cell is None:
                    cell = _blank_slot(grid, matrix, r, c, cmap)
                if cell is None or (cell.col < min(cmap.cols) and cell.colspan > 1):
                    continue
                out.values[(code, col)] = make_value(tpl.table, code, col, grid, cell, settings)
    out.score += 10 * len(out.mapped_cols)
    return out


# grids whose columns come from the words' positions on a text layer (extractors.grid.grid_from_bands)
_POSITIONED = frozenset({"hrules", "aligned"})


def _blank_slot(grid: TableGrid, matrix: list[list[Cell | None]], r: int, c: int, cmap: ColumnMap) -> Cell | None:
    """The printed blank where a mapped row of a table without vertical rules prints nothing in
    a mapped column: a ruled table's empty cell is a cell, read as blank (0); a table ruled with
    horizontal lines only, or not at all, leaves no word there, and the cell was reported unread
    (a filing printing its zeros as nothing lost a third of table 三: fuzz seed 23933, 98 of 200
    cells). Only on a text layer, where a number printed there would be a word: on an OCR'd page a
    number the recogniser missed leaves the same hole (its cells are looked for where their row and
    column cross, checks.ocr_recover). A row needs a number of its own in a mapped column, placed
    in its column's extent, or a band of its own between two rules (an all-blank row of an
    h-ruled table); a line of label alone in an unruled table may be half a wrapped label. The
    blank is confirmed by the form's sums only (checks.confirmed): it rests on where the row's
    other numbers stand."""
    if grid.source != "text" or grid.method not in _POSITIONED:
        return None
    own = [cell for k in cmap.cols if (cell := matrix[r][k]) is not None and cell.row == r and cell.col == k]
    numbers = [cell for cell in own if cell.text and is_value_text(cell.text)]
    if not numbers and grid.method != "hrules":
        return None
    column = [cell for row in matrix if (cell := row[c]) is not None and cell.col == c and cell.colspan == 1]
    in_row = [cell.bbox for cell in matrix[r] if cell is not None and cell.row == r and cell.bbox is not None]
    boxes = [cell.bbox for cell in column if cell.bbox is not None]
    if not boxes or not in_row:
        return None
    row_box, col_box = BBox.enclosing(in_row), BBox.enclosing(boxes)
    return Cell(r, c, "", BBox(col_box.x0, row_box.top, col_box.x1, row_box.bottom))


def _joined_labels(grid: TableGrid, matrix: list[list[Cell | None]], tpl: Template, settings: Settings) -> list[str]:
    """Each row's label, where an unruled table printed a label over two lines with the numbers on
    the second: a line of label alone that starts as a row does ("2申请人逾期未按收费通知要求缴纳费用")
    and the line below with the numbers, whose label does not ("行政机关不再处理其政府信息公开申请"),
    are one row, when the two labels together match the form better than the lower one alone.

    Read apart, the lower half named the row above it (the two rows of （六）其他 end alike): its
    numbers went to that row, the readers disagreed and a planted error there was left unread
    (hard scans, seeds 9772 and 9779). Bands of a ruled table keep a label in one cell."""
    labels = [_row_label(grid, matrix, r) for r in range(grid.n_rows)]
    if grid.method != "aligned":
        return labels
    valued = [any(c is not None and c.text and is_value_text(c.text) for c in row) for row in matrix]
    for r in range(grid.n_rows - 1):
        upper, lower = labels[r], labels[r + 1]
        if not upper or not lower or valued[r] or not valued[r + 1]:
            continue
        if not starts_row(upper) or starts_row(lower) or group_only(upper, tpl.rows):
            continue
        whole = best_match(upper + lower, tpl.rows, settings.match_threshold, tpl.noise)
        alone = best_match(lower, tpl.rows, settings.match_threshold, tpl.noise)
        if whole is not None and (alone is None or whole.score > alone.score):
            labels[r], labels[r + 1] = "", upper + lower
    return labels


def _join_broken_row(
    out: ReadOut,
    code: str,
    grid: TableGrid,
    row: list[Cell | None],
    cmap: ColumnMap,
    settings: Settings,
    label_continues: bool = False,
) -> bool:
    """The first row of a part without a header, when it is the rest of the part above's last row.

    Word and LibreOffice let a row break across a page: a number wrapped in a narrow column prints
    its last digits at the top of the next page ("28" / "5" for 285), the label column a character
    or none. That row matches no label of the form; its digits are the row's own, joined to the
    cells above (``label_continues``: its label cell holds the rest of the row's label, which
    matches the same row). Only on a text layer (an OCR'd row whose label was misread is a row of
    its own), only where no cell holds more than a label's tail, and only digits joined to digits; every joined cell is
    named (``extract.row_broken_by_page``) and the form's sums confirm it or report it.
    """
    if grid.source == "ocr":
        return False
    value_cols = set(cmap.cols)
    texts = {
        c: cell.text.strip() for c, cell in enumerate(row) if cell is not None and cell.col == c and cell.text.strip()
    }
    digits = {c: t for c, t in texts.items() if c in value_cols and t.isdigit()}
    labels = [t for c, t in texts.items() if c not in value_cols]
    if not digits or any(c in value_cols and not t.isdigit() for c, t in texts.items()):
        return False
    if not label_continues and any(len(t) > 12 for t in labels):  # more than a label's tail: a row of its own
        return False
    joins: dict[tuple[str, str], tuple[Value, str]] = {}
    for c, tail in sorted(digits.items()):
        above = out.values.get((code, cmap.cols[c]))
        if above is None or not above.prov.raw.strip().isdigit():
            return False
        joins[(code, cmap.cols[c])] = (above, tail)
    return _join_tails(out, joins, f"row {code} of table {out.template.table}", grid.page, settings)


# ------------------------------------------------------------------ header-path reader (t4)


def read_t4(grids: Sequence[TableGrid], tpl: Template, settings: Settings) -> ReadOut:
    # a t4 printed with one row per block is read like table 三
    by_rows = read_rows_cols(grids, tpl, settings)
    if len(by_rows.mapped_rows) >= 2 and by_rows.values:
        return by_rows
    out = ReadOut(tpl)
    # the data row read last, when it was its grid's last row: a page may have broken it
    broken: dict[int, tuple[str, str, Cell]] = {}  # grid column -> (block, measure, cell above)
    for grid in grids:
        matrix = grid.matrix()
        if broken and grid.n_rows and grid.source != "ocr":
            _join_broken_t4(out, broken, grid, matrix[0], settings)
        broken = {}
        data_rows = [
            r
            for r in range(grid.n_rows)
            # printed values: an empty cell (a converter's header filler) is no value
            if sum(1 for c in matrix[r] if c is not None and c.text and c.text.strip() and is_value_text(c.text)) >= 5
        ]
        if not data_rows:
            continue
        dr = data_rows[0]
        header_rows = list(range(dr))
        measures = _all_measure_cols(grid, matrix, header_rows, tpl, settings)
        # blocks: the measure sequence (维持 … 总计) restarts at every block
        order = [lab.code for lab in tpl.cols]
        blocks: list[list[int]] = []
        last = len(order)
        for c in sorted(measures):
            idx = order.index(measures[c])
            if idx <= last:
                blocks.append([])
            blocks[-1].append(c)
            last = idx
        used_blocks: set[str] = set()
        for bi, cols in enumerate(blocks):
            stack_text = " ".join(
                dict.fromkeys(
                    matrix[r][c].text  # type: ignore[union-attr]
                    for r in header_rows
                    for c in cols
                    if matrix[r][c] is not None and matrix[r][c].text  # type: ignore[union-attr]
                )
            )
            # the block label printed over these columns; where the header names
            # several (a flattened dump), the format's fixed order decides
            named = [
                lab.code for lab in tpl.rows if lab.code not in used_blocks and contains_any(stack_text, lab.texts)
            ]
            block = named[0] if len(named) == 1 else None
            if block is None and len(blocks) != len(tpl.rows):
                continue  # unnamed, and some block's header is missing: its place in the order is unknown
            if block is None:
                remaining = [lab.code for lab in tpl.rows if lab.code not in used_blocks]
                if bi < len(tpl.rows) and tpl.rows[bi].code in remaining:
                    block = tpl.rows[bi].code
                elif remaining:
                    block = remaining[0]
                else:
                    continue
            used_blocks.add(block)
            out.mapped_rows.add(block)
            for c in cols:
                cell = matrix[dr][c]
                if cell is None:
                    continue
                col = measures[c]
                out.mapped_cols.add(col)
                out.values[(block, col)] = make_value(tpl.table, block, col, grid, cell, settings)
                out.score += 10
                if dr == grid.n_rows - 1:
                    broken[c] = (block, col, cell)
    return out if out.values else by_rows


def _join_broken_t4(
    out: ReadOut, last: dict[int, tuple[str, str, Cell]], grid: TableGrid, row: list[Cell | None], settings: Settings
) -> None:
    """Table 四's one data row broken by a page (its numbers wrapped in narrow columns: "2" above the
    break, "4" below): the next part's first row holds only the digits' tails, each under its cell
    above by x (the same table, the same columns). Joined where every non-empty cell of that row is
    digits under a cell above, and no block's row sum gets worse; every joined cell is named."""
    cells = [c for k, c in enumerate(row) if c is not None and c.col == k and c.text.strip()]
    if not cells or any(not c.text.strip().isdigit() or c.bbox is None for c in cells):
        return
    joins: dict[tuple[str, str], tuple[Value, str]] = {}
    for c in cells:
        assert c.bbox is not None
        cx = (c.bbox.x0 + c.bbox.x1) / 2
        above = [
            (block, col)
            for block, col, a in last.values()
            if a.bbox is not None and a.bbox.x0 - 1 <= cx <= a.bbox.x1 + 1
        ]
        if len(above) != 1 or above[0] not in out.values:
            return
        v = out.values[above[0]]
        if not v.prov.raw.strip().isdigit():
            return
        joins[above[0]] = (v, c.text.strip())
    _join_tails(out, joins, f"table {out.template.table}'s row", grid.page, settings)


def _join_tails(
    out: ReadOut, joins: dict[tuple[str, str], tuple[Value, str]], what: str, page: int | None, settings: Settings
) -> bool:
    """Each cell above takes the digits a page carried to the next: its raw text joined to the tail.
    Not where a sum that held before fails after (the line below was a row of its own); every joined
    cell is named (``extract.row_broken_by_page``)."""
    table = out.template.table
    new = {
        k: value_of(table, k[0], k[1], replace(v.prov, raw=v.prov.raw.strip() + tail), settings)
        for k, (v, tail) in joins.items()
    }
    before = {k: v.value for k, v in out.values.items()}
    after = before | {k: v.value for k, v in new.items()}
    if any(
        i.holds(before) is True and i.holds(after) is False for i in identities(out.template) if i.cells() & set(new)
    ):
        return False
    out.values.update(new)
    out.findings.append(
        finding(
            "extract.row_broken_by_page",
            f"{what} continues on page {page}: "
            + ", ".join(f"{r}.{c} {v.prov.raw.strip()}+{tail}" for (r, c), (v, tail) in sorted(joins.items())),
            table=table,
            cells=[CellRef(table, r, c, v.prov.page, v.prov.bbox) for (r, c), (v, _) in joins.items()],
            page=page,
        )
    )
    return True


def _all_measure_cols(
    grid: TableGrid, matrix: list[list[Cell | None]], header_rows: Sequence[int], tpl: Template, settings: Settings
) -> dict[int, str]:
    """Every column whose leaf header is a measure (the same code repeats per block)."""
    out: dict[int, str] = {}
    for c in range(grid.n_cols):
        leaf: Cell | None = None
        for r in header_rows:
            cell = matrix[r][c]
            if cell is not None and cell.text:
                leaf = cell
        if leaf is None or leaf.col != c:
            continue  # a header cell spanning several grid columns (a converter's drift) counts once
        if len({lab.code for lab in tpl.cols if contains_any(leaf.text, lab.texts)}) > 1:
            # two measures' headers in one column ("尚未审结 总计"): the column of a measure printed
            # blank, which left no number to part them, was merged with its neighbour's; the
            # neighbour's number is not the blank one's (fuzz seed 24025)
            continue
        m = best_match(leaf.text, tpl.cols, settings.match_threshold)
        if m is not None:
            out[c] = m.code
    return out


# ------------------------------------------------------------------ block reader (t2)


def _block_of(text: str, tpl: Template) -> Block | None:
    m = BLOCK_HEADING.search(text)
    if not m:
        return None
    for b in tpl.blocks:
        bm = BLOCK_HEADING.search(b.heading)
        if bm and bm.group(1) == m.group(1):
            return b
    return None


def read_t2(grids: Sequence[TableGrid], tpl: Template, settings: Settings) -> ReadOut:
    out = ReadOut(tpl)
    all_rows = tuple(r for b in tpl.blocks for r in b.rows)
    all_cols = tuple({c.code + c.label: c for b in tpl.blocks for c in b.cols}.values())
    for grid in grids:
        matrix = grid.matrix()
        block: Block | None = None
        header: dict[int, tuple[str, str]] = {}  # grid col -> (code, header text)
        for r in range(grid.n_rows):
            cells = [c for c in dict.fromkeys(matrix[r]) if c is not None]
            text = " ".join(c.text for c in cells if c.text)
            b = _block_of(text, tpl)
            if b is not None and not any(is_value_text(c.text) for c in cells if c.text):
                block, header = b, {}
                cells = [c for c in cells if not BLOCK_HEADING.search(c.text)]
                if not cells:
                    continue
            col_labels = block.cols if block else all_cols
            hdr: dict[int, tuple[str, str]] = {}
            for c in cells:
                if not c.text or is_value_text(c.text):
                    continue
                m = best_match(c.text, col_labels, settings.match_threshold)
                if m is not None:
                    hdr[c.col] = (m.code, c.text)
            if hdr:
                header = hdr
                out.mapped_cols.update(code for code, _ in hdr.values())
                continue
            labels = [c for c in cells if c.text and not is_value_text(c.text)]
            if not labels:
                continue
            row_labels = block.rows if block else all_rows
            m = best_match(labels[0].text, row_labels, settings.match_threshold, tpl.noise)
            if m is None:
                m = best_match(labels[0].text, all_rows, settings.match_threshold, tpl.noise)
            if m is None:
                continue
            out.mapped_rows.add(m.code)
            out.score += m.score
            read: list[tuple[str, Value]] = []
            for gc, (col, htext) in header.items():
                cell = matrix[r][gc]
                if cell is None or cell is labels[0]:
                    continue
                v = make_value(tpl.table, m.code, col, grid, cell, settings)
                if (tpl.table, col) in MONEY_COLS and "元" in htext and "万元" not in htext and v.value is not None:
                    p = parse_number(cell.text + "元", money=True, decimals=settings.money_decimals)
                    v.value, v.note = p.value, "converted 元 (header unit) to 万元"
                out.values[(m.code, col)] = v
                read.append((col, v))
            _doubt_blanks_beside_strays(out, grid, cells, labels[0], header, m.code, read)
    out.score += 10 * len(out.mapped_cols)
    return out


def _doubt_blanks_beside_strays(
    out: ReadOut,
    grid: TableGrid,
    cells: Sequence[Cell],
    label: Cell,
    header: dict[int, tuple[str, str]],
    row: str,
    read: Sequence[tuple[str, Value]],
) -> None:
    """A row of table 二 whose number stands right of its label in no column of the header: its
    blank cells are not 0 (a copier's streak read as a rule cut a value cell in two; the number
    in the part without a header, the blank part read as printed blank: 0 for a printed 35, and
    no sum of the format checks table 二: copier seed 4837). They are left empty and named."""
    stray = [c for c in cells if c.col not in header and c.col > label.col and c.text and is_value_text(c.text)]
    blanks = [(col, v) for col, v in read if v.prov.raw.strip() == ""]
    if not stray or not blanks:
        return
    for _, v in blanks:
        v.value = None
    refs = [CellRef(out.template.table, row, col, v.prov.page, v.prov.bbox) for col, v in blanks]
    printed = ", ".join(c.text for c in stray)
    out.findings.append(
        finding(
            "extract.value_outside_columns",
            f"{out.template.table}.{row}: '{printed}' printed in no column of the header; "
            f"{', '.join(r.key for r in refs)} read blank and left empty",
            table=out.template.table,
            cells=refs,
            printed=printed,
            page=grid.page,
            subject=f"{out.template.table}.{row}",
        )
    )


# ------------------------------------------------------------------ locating


def _section_of_tables(doc: DocumentResult) -> dict[int, str]:
    """The report section (t2/t3/t4/s1/s5/s6) each table stands in, by headings."""
    items: list[tuple[int, float, str | None, int]] = []
    for ln in doc.text_lines():
        items.append((ln.page or 0, ln.order, is_section_heading(ln.text), -1))
    for grid in doc.tables:
        items.append((grid.page or 0, grid.order, None, grid.index))
    items.sort(key=lambda it: (it[0], it[1]))
    current = ""
    out: dict[int, str] = {}
    for _, _, heading, index in items:
        if index < 0:
            current = heading or current
        else:
            out[index] = current
    return out


def classify(doc: DocumentResult) -> None:
    """Name each grid t2/t3/t4 or leave it None, from its words and its section."""
    sections = _section_of_tables(doc)
    for grid in doc.tables:
        text = " ".join(c.text for c in grid.cells)
        scores: dict[str, float] = {k: contains_any(text, tpls[0].markers) for k, tpls in TEMPLATES.items()}
        sec = sections.get(grid.index, "")
        if sec in scores:
            scores[sec] += 1.5  # the section a table stands in is strong evidence
        kind, sc = max(scores.items(), key=lambda kv: kv[1])
        if sc >= 2.5 or (sc >= 2 and sec == ""):
            grid.kind, grid.kind_score = kind, float(sc)
    # a part holding nothing but numbers right after a table, at the top of the next page, as wide
    # as it: the rest of the table's last row a page broke (table 四's numbers wrapped over the break)
    for before, grid in pairwise(doc.tables):
        values_only = all(not c.text.strip() or is_value_text(c.text) for c in grid.cells)
        if (
            grid.kind is None
            and before.kind is not None
            and values_only
            and grid.n_rows <= 2
            and (grid.n_cols == before.n_cols or _as_wide(grid, before))
            and grid.page is not None
            and before.page is not None
            and grid.page == before.page + 1
            and sections.get(grid.index, "") in ("", before.kind)
        ):
            grid.kind, grid.kind_score = before.kind, 1.0


def _as_wide(a: TableGrid, b: TableGrid) -> bool:
    """Two grids spanning the same width (a part whose label cells lost a rule between them, so
    fewer columns, is still the table's)."""
    return (
        a.bbox is not None
        and b.bbox is not None
        and abs(a.bbox.x0 - b.bbox.x0) <= 3
        and abs(a.bbox.x1 - b.bbox.x1) <= 3
    )


READERS = {"t2": read_t2, "t3": read_rows_cols, "t4": read_t4}


def normalize_tables(doc: DocumentResult, settings: Settings) -> DocumentResult:
    classify(doc)
    by_section = sections(doc, settings.ocr_policy) if doc.pages else {}
    for table, templates in TEMPLATES.items():
        grids = [g for g in doc.tables if g.kind == table]
        best: ReadOut | None = None
        reads: list[ReadOut] = []
        if grids:
            reader = READERS[table]
            if table == "t3" and all(g.method == "txt" for g in grids):
                reader = read_sequence
            reads = [reader(grids, tpl, settings) for tpl in templates]
            best = max(reads, key=lambda r: (r.score, r.template.format == "2021"))
        # the second reader works from positioned words, whatever the grid looked like
        lines = by_section.get(table, [])
        anchored = [ANCHORED[table](lines, tpl, settings) for tpl in templates] if lines else []
        anchor = max(anchored, key=lambda r: (r.score, r.template.format == "2021"), default=None)
        if anchor is not None and not anchor.values:
            anchor = None
        if best is not None and not best.values and anchor is not None:
            best = None  # the grid reader found the table but read nothing: the anchored reading stands
        if best is None and anchor is None:
            doc.findings.append(
                finding("extract.table_not_found", f"table {table} was not found", table=table, subject=table)
            )
            continue
        tpl = _choose_template(templates, reads if best is not None else [], anchored)
        best = next((r for r in reads if r.template is tpl), None) if best is not None else None
        anchor = next((r for r in anchored if r.template is tpl and r.values), None)
        merged, readers = merge(best, anchor, tpl)
        others = [t for t in templates if t is not tpl]
        own = _own_rows(tpl, others) if others else set()
        told = own & merged.mapped_rows
        if own and 2 * len(told) < len(own):
            # nothing, or less than half, of what only this format prints was read: 2019 and 2021
            # cannot be told apart. One row of three is not enough: 2021's "3．其他" took a 2019
            # table's "（六）其他处理" on a page read badly, the other two 2021 rows unread, and the
            # 2019 row was lost with no finding (copier seed 5601 at 150 DPI, upside down)
            what = "none of the rows" if not told else f"only {len(told)} of the {len(own)} rows"
            doc.findings.append(
                finding(
                    "extract.format_uncertain",
                    f"table {table}: {what} that tell the {tpl.format} format from the others "
                    f"{'was' if not told else 'were'} read; read as {tpl.format}",
                    table=table,
                    subject=table,
                )
            )
        doc.table_formats[table] = tpl.format
        doc.table_readers[table] = readers
        doc.findings.extend(merged.findings)
        page = grids[0].page if grids else next((v.prov.page for v in merged.values.values()), None)
        source: Source = grids[0].source if grids else next((v.prov.source for v in merged.values.values()), "text")
        _complete(doc, merged, page, source, settings)
    return doc


def _own_rows(tpl: Template, others: Sequence[Template]) -> set[str]:
    """Rows of a template that no other template of its table has."""
    rows = {r.code for r in tpl.rows} | {r.code for b in tpl.blocks for r in b.rows}
    for o in others:
        rows -= {r.code for r in o.rows} | {r.code for b in o.blocks for r in b.rows}
    return rows


def _choose_template(templates: Sequence[Template], reads: Sequence[ReadOut], anchored: Sequence[Anchored]) -> Template:
    """The template of which both readers read the most rows, then either reader (then the most
    columns, then the labels most like the template's, then the larger share, then 2021): the rows
    and columns the formats do not share decide, so a partly read table keeps its format (a table
    二 with one row read and the 2019 headers is 2019).

    Rows both read come first: the anchored reader aligns bands to a template's rows in order, so
    the format with more rows takes more of them whatever is printed (a 2019 table 三 whose
    （六）其他处理 band the 2021 template's three 其他处理 rows took by order, the grid reader finding
    no 2021 row for it: read as 2021, the row lost with no finding, hard seed 10698). Where one
    reader read nothing, every template ties on them and the rows either read decide, as before."""

    def coverage(tpl: Template) -> tuple[int, int, int, int, float, float, bool]:
        grid = next((r.mapped_rows for r in reads if r.template is tpl), set())
        anchor = next((r.rows for r in anchored if r.template is tpl), set())
        rows = grid | anchor
        # first, the rows only this format prints that the anchored reader knew by their labels:
        # 2021's three 其他处理 rows against 2019's one. Narrow columns wrap those labels into pieces
        # the grid reader matched to no 2021 row but to 2019's （六）其他处理 (the group label's own
        # cell), one row more both read under 2019: a 2021 table 三 read as 2019, its three rows
        # lost with no finding and three false errors (narrow layout seed 7406)
        others = {r.code for t in templates if t is not tpl for r in t.rows}
        own = len(next((r.by_label for r in anchored if r.template is tpl), set()) - others)
        cols = len(next((r.mapped_cols for r in reads if r.template is tpl), set()))
        share = len(rows) / max(len(tpl.rows) or sum(len(b.rows) for b in tpl.blocks), 1)
        # then how well the anchored rows' labels read as the template's: where only one page of
        # table 三 was read, the 2019 template took its 2021 rows by order as many as the 2021
        # template took by their labels, and its smaller share chose it (copier seed 5621: three
        # rows' numbers in other rows, no finding)
        similarity = round(next((r.score for r in anchored if r.template is tpl), 0.0), 6)
        return own, len(grid & anchor), len(rows), cols, similarity, share, tpl.format == "2021"

    return max(templates, key=coverage)


def _expected_cells(tpl: Template) -> list[tuple[str, str]]:
    if tpl.blocks:
        return [(r.code, c.code) for b in tpl.blocks for r in b.rows for c in b.cols]
    return [(r.code, c.code) for r in tpl.rows for c in tpl.cols]


def _doubt_run_together(read: ReadOut) -> None:
    """An OCR'd count with six digits or more, at least twice as many as any other count of its
    column, is two numbers read as one: a grid whose value columns merged read "1137" and "1006" as
    11371006, and re-reading the same crop reads it again (a false alarm, hard seed 9332). Doubted
    (``run_together``): reported, and no sum resting on it is an error."""
    digits: dict[str, list[int]] = {}
    for (_, col), v in read.values.items():
        if v.value is not None and float(v.value).is_integer():
            digits.setdefault(col, []).append(len(str(abs(int(v.value)))))
    for (_, col), v in read.values.items():
        if v.prov.source != "ocr" or v.prov.doubt or v.value is None or not float(v.value).is_integer():
            continue
        d = len(str(abs(int(v.value))))
        others = list(digits.get(col, []))
        others.remove(d)
        if d >= 6 and others and d >= 2 * max(others):
            v.prov.doubt = "run_together"


def _complete(doc: DocumentResult, read: ReadOut, page: int | None, source: Source, settings: Settings) -> None:
    """Emit every cell of the template, reporting the ones the filing lacks."""
    tpl = read.template
    _doubt_run_together(read)
    all_cols = [c.code for c in tpl.cols] or list(dict.fromkeys(c.code for b in tpl.blocks for c in b.cols))
    for col in all_cols:
        if col not in read.mapped_cols and not tpl.blocks:
            doc.findings.append(
                finding(
                    "extract.missing_column",
                    f"column {col} of table {tpl.table} is not printed; its cells are left empty",
                    table=tpl.table,
                    page=page,
                    subject=f"{tpl.table}.{col}",
                )
            )
    missing_rows: dict[str, list[str]] = {}
    for row, col in _expected_cells(tpl):
        v = read.values.get((row, col))
        if v is not None and v.prov.raw == UNREAD_MARK and v.prov.source == "txt":
            # the extractor could not read it and named it (extract.ambiguous_digits)
            v.value, v.note = None, "not read: its digits split several valid ways"
            doc.values.append(v)
            continue
        if v is None:
            prov = Provenance(source=source, raw="", page=None)
            doc.values.append(Value(tpl.table, row, col, None, prov, note="not printed"))
            if col in read.mapped_cols or tpl.blocks:
                missing_rows.setdefault(row, []).append(col)
            continue
        doc.values.append(v)
        counts = settings.ocr_policy.counts_for(v.prov.confidence, v.prov.doubt)
        if v.prov.source == "ocr" and (v.value is None or counts < settings.ocr_min_confidence):
            doubt = f" ({DOUBTS.get(v.prov.doubt, v.prov.doubt)})" if v.prov.doubt else ""
            doc.findings.append(
                finding(
                    "ocr.low_confidence",
                    f"{tpl.table}.{row}.{col}: read '{v.prov.raw}' with confidence {v.prov.confidence:.2f}{doubt}"
                    + ("" if v.value is not None else ", not a number"),
                    table=tpl.table,
                    cells=[CellRef(tpl.table, row, col, v.prov.page, v.prov.bbox)],
                    printed=v.prov.raw,
                    subject=f"{tpl.table}.{row}.{col}",
                )
            )
        if v.value is None:
            doc.findings.append(
                finding(
                    "value.unreadable",
                    f"{tpl.table}.{row}.{col}: '{v.prov.raw}' is not a number ({v.note})",
                    table=tpl.table,
                    cells=[CellRef(tpl.table, row, col, v.prov.page, v.prov.bbox)],
                    printed=v.prov.raw,
                )
            )
        elif (v.note and "words beside" in v.note) or (v.note and "converted" in v.note):
            doc.findings.append(
                finding(
                    "value.converted",
                    f"{tpl.table}.{row}.{col}: read {v.value} from '{v.prov.raw}' ({v.note})",
                    table=tpl.table,
                    cells=[CellRef(tpl.table, row, col, v.prov.page, v.prov.bbox)],
                    printed=v.prov.raw,
                )
            )
    already = {f.subject for f in read.findings}  # rows the reader explained (misaligned, ambiguous)
    for row, cols in missing_rows.items():
        if f"{tpl.table}.{row}" in already:
            continue
        doc.findings.append(
            finding(
                "extract.missing_cell",
                f"{tpl.table}.{row}: {len(cols)} cell(s) not found ({', '.join(cols)})",
                table=tpl.table,
                page=page,
                subject=f"{tpl.table}.{row}",
            )
        )
