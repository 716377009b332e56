"""Reading tables whose columns cannot be trusted by position (text dumps).

A converter's text dump keeps each row's values in order but not in place: a
label split over two cells pushes the values one column right, a lost column
leaves no gap. Here the header gives the *order* of the columns that are
printed, and each row's values are read in that order. Rows that print fewer
or more values than there are columns are not shifted: their cells stay unread
and a finding says so, unless the difference is a run of digits printed
together, which is decoded by the format's identities (:mod:`normalizers.digits`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from normalizers.digits import RUN, Constraint, resolve, splits
from normalizers.labels import best_match
from normalizers.numbers import BLANK_FORMS
from normalizers.templates import Template
from pipeline.catalogue import finding
from pipeline.model import Cell, Provenance, TableGrid, Value
from pipeline.settings import Settings

_ITEMS = re.compile(r"(?:^|\s)(\d{1,2})\s*[.．、]\s*")
_MULTI = re.compile(r"^\s*[\d,.]+(?:\s+[\d,.]+)+\s*$")


def _is_value(text: str) -> bool:
    t = unicodedata.normalize("NFKC", text).strip()
    return t in BLANK_FORMS or bool(re.fullmatch(r"[+\-−]?[\d,，.．]+%?|[\d\s,.]+", t))


@dataclass(slots=True)
class SeqRow:
    label: str
    raws: list[str]
    grid: TableGrid
    cells: list[Cell]
    grid_row: int = 0

    @property
    def value_cols(self) -> list[int]:
        return [c.col for c in self.cells]


def split_rows(grid: TableGrid) -> list[SeqRow]:
    """Each grid row as (label, values in order), merged sub-rows expanded.

    A row whose last label cell lists k numbered items (1. … 2. … 3. …) and whose
    value cells each hold k numbers is k rows printed as one (the seed's 不予公开).
    """
    matrix = grid.matrix()
    out: list[SeqRow] = []
    for r in range(grid.n_rows):
        cells = [c for c in dict.fromkeys(matrix[r]) if c is not None and c.text]
        first_val = next((i for i, c in enumerate(cells) if _is_value(c.text)), len(cells))
        labels, values = cells[:first_val], cells[first_val:]
        # label cells after the values (a trailing note) are not values
        while values and not _is_value(values[-1].text):
            values.pop()
        if not labels:
            out.append(SeqRow("", [c.text for c in values], grid, values, r))
            continue
        item_cell = labels[-1].text
        items = _split_items(item_cell)
        multi = [v for v in values if _MULTI.match(v.text)]
        if (
            len(items) >= 2
            and multi
            and all(len(v.text.split()) == len(items) for v in multi)
            and len(multi) == len(values)
        ):
            group = " ".join(c.text for c in labels[:-1])
            for k, item in enumerate(items):
                out.append(SeqRow(f"{group} {item}".strip(), [v.text.split()[k] for v in values], grid, values, r))
            continue
        out.append(SeqRow(" ".join(c.text for c in labels), [c.text for c in values], grid, values, r))
    return out


def _split_items(text: str) -> list[str]:
    marks = list(_ITEMS.finditer(text))
    if len(marks) < 2 or [int(m.group(1)) for m in marks] != list(range(1, len(marks) + 1)):
        return [text]
    out = []
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        out.append(f"{m.group(1)}．{text[m.end() : end].strip()}")
    return out


def header_codes(grids_rows: Sequence[list[Cell | None]], tpl: Template, settings: Settings) -> list[tuple[str, int]]:
    """Column codes in printed order, with the grid column each header stands in."""
    found: list[tuple[int, int, str]] = []
    for r, row in enumerate(grids_rows):
        for c in dict.fromkeys(row):
            if c is None or not c.text:
                continue
            for part in [c.text, *c.text.split()]:
                m = best_match(part, tpl.cols, settings.match_threshold)
                if m is not None:
                    found.append((c.col, r, m.code))
                    break
    codes: list[tuple[str, int]] = []
    for col, _, code in sorted(found):
        if code not in [c for c, _ in codes]:
            codes.append((code, col))
    return codes


def identity_constraints(
    tpl: Template, codes: Sequence[str], rows: Sequence[str]
) -> list[tuple[frozenset[str], Constraint]]:
    """The format's sums as predicates over row readings (tuples ordered like ``codes``)."""
    out: list[tuple[frozenset[str], Constraint]] = []
    parts = [codes.index(c.code) for c in tpl.cols if c.role == "part" and c.code in codes]
    sums = [codes.index(c.code) for c in tpl.cols if c.role == "sum" and c.code in codes]
    n_parts = sum(1 for c in tpl.cols if c.role == "part")
    if sums and len(parts) == n_parts:
        s = sums[0]
        for r in rows:

            def row_ok(reading: Mapping[str, tuple[int, ...]], r: str = r) -> bool:
                v = reading[r]
                return sum(v[i] for i in parts) == v[s]

            out.append((frozenset({r}), row_ok))
    role = {lab.code: lab.role for lab in tpl.rows}
    results = [r for r in rows if role.get(r) == "result"]
    totals = [r for r in rows if role.get(r) == "total"]
    ins = [r for r in rows if role.get(r) == "in"]
    outs = [r for r in rows if role.get(r) == "out"]
    all_results = [lab.code for lab in tpl.rows if lab.role == "result"]
    if totals and len(results) == len(all_results):
        t = totals[0]

        def results_ok(reading: Mapping[str, tuple[int, ...]]) -> bool:
            return all(sum(reading[r][j] for r in results) == reading[t][j] for j in range(len(codes)))

        out.append((frozenset([*results, t]), results_ok))
    if totals and len(ins) == 2 and outs:
        t, o = totals[0], outs[0]

        def balance_ok(reading: Mapping[str, tuple[int, ...]]) -> bool:
            return all(
                reading[ins[0]][j] + reading[ins[1]][j] == reading[t][j] + reading[o][j] for j in range(len(codes))
            )

        out.append((frozenset([*ins, t, o]), balance_ok))
    return out


def read_sequence(grids: Sequence[TableGrid], tpl: Template, settings: Settings):  # type: ignore[no-untyped-def]
    from normalizers.tables import ReadOut, _value, with_group_context

    out = ReadOut(tpl)
    codes: list[str] = []
    code_col: dict[str, int] = {}
    offsets: dict[int, set[int]] = {}  # first value column of a full row -> its offset from the header
    fixed: dict[str, tuple[int, ...]] = {}
    candidates: dict[str, list[tuple[int, ...]]] = {}
    row_src: dict[str, SeqRow] = {}
    for grid in grids:
        rows = split_rows(grid)
        matrix = grid.matrix()
        ctx = ""
        first_data: int | None = None
        matched: list[tuple[SeqRow, str, float]] = []
        for i, row in enumerate(rows):
            label, ctx = with_group_context(row.label, ctx)
            m = best_match(label, tpl.rows, settings.match_threshold, tpl.noise) if label else None
            if m is None:
                continue
            if first_data is None:
                first_data = i
            matched.append((row, m.code, m.score))
        if first_data is not None and first_data > 0 and not codes:
            header_rows = [matrix[r] for r in range(rows[first_data].grid_row)]
            found = header_codes(header_rows, tpl, settings)
            codes = [c for c, _ in found]
            code_col = dict(found)
        short: list[tuple[SeqRow, str]] = []
        for row, code, sc in matched:
            if code in out.mapped_rows:
                continue
            out.mapped_rows.add(code)
            out.score += sc
            row_src[code] = row
            n = len(codes) if codes else len(tpl.cols)
            raws = row.raws
            if len(raws) == n:
                nums = [_int_or_none(x) for x in raws]
                if all(v is not None for v in nums):
                    fixed[code] = tuple(v for v in nums if v is not None)
                _emit(out, tpl, code, codes or [c.code for c in tpl.cols], raws, row, settings, _value)
                if codes and row.cells and len(set(row.value_cols)) == len(raws):
                    offsets.setdefault(row.value_cols[0], set()).add(row.value_cols[0] - code_col[codes[0]])
                continue
            runs = [k for k, x in enumerate(raws) if RUN.match(x) and len(x) > 1]
            if len(raws) < n and len(runs) == 1:
                k = runs[0]
                others = [_int_or_none(x) for x in raws]
                if all(v is not None for j, v in enumerate(others) if j != k):
                    width = n - (len(raws) - 1)
                    # the run ends the row and the row's last column is its 总计: prune by the sum
                    sum_last = k == len(raws) - 1 and len(raws) == 1 and _sum_is_last(tpl, codes)
                    found = splits(raws[k], width, last_is_sum=sum_last)
                    if found is None:
                        out.findings.append(
                            finding(
                                "extract.ambiguous_digits",
                                f"{tpl.table}.{code}: digits '{raws[k]}' split too many ways to search; not read",
                                table=tpl.table,
                                printed=raws[k],
                                subject=f"{tpl.table}.{code}",
                            )
                        )
                        continue
                    cands = []
                    for sp in found:
                        vals = [v for v in others[:k] if v is not None] + list(sp)
                        vals += [v for v in others[k + 1 :] if v is not None]
                        cands.append(tuple(vals))
                    candidates[code] = cands
                    continue
            short.append((row, code))
        for row, code in short:
            raws, n = row.raws, len(codes) if codes else len(tpl.cols)
            offs = offsets.get(row.value_cols[0], set()) if row.cells else set()
            if len(raws) < n and len(offs) == 1 and len(set(row.value_cols)) == len(raws):
                # rows laid out like a sibling that prints every column (same first value
                # column) share its offset from the header: place each value by its column
                d = next(iter(offs))
                by_col = {col: c for c, col in code_col.items()}
                placed = {by_col.get(v - d): raw for v, raw in zip(row.value_cols, raws, strict=True)}
                if None not in placed:
                    for col_code, raw in placed.items():
                        _emit(
                            out,
                            tpl,
                            code,
                            [str(col_code)],
                            [raw],
                            row,
                            settings,
                            _value,
                            note="placed by column like the rows above that print every column",
                        )
                    continue
            out.findings.append(
                finding(
                    "extract.misaligned_row",
                    f"{tpl.table}.{code}: {len(raws)} values printed for {n} columns ({' | '.join(raws)}); "
                    "which column each belongs to cannot be told, so none is read",
                    table=tpl.table,
                    printed=" | ".join(raws),
                    subject=f"{tpl.table}.{code}",
                )
            )
    col_codes = codes or [c.code for c in tpl.cols]
    out.mapped_cols.update(col_codes)
    if candidates:
        res = resolve(candidates, fixed, identity_constraints(tpl, col_codes, [*fixed, *candidates]))
        for code, vals in res.decided.items():
            row = row_src[code]
            _emit(
                out,
                tpl,
                code,
                col_codes,
                [str(v) for v in vals],
                row,
                settings,
                _value,
                note=f"decoded from run-together digits '{' '.join(row.raws)}'",
            )
        for code, cands in res.ambiguous.items():
            shown = "; ".join(" | ".join(map(str, c)) for c in cands[:6]) or "none satisfies the format's sums"
            out.findings.append(
                finding(
                    "extract.ambiguous_digits",
                    f"{tpl.table}.{code}: digits '{' '.join(row_src[code].raws)}' split {len(cands)} ways "
                    f"consistent with the format's sums ({shown}); not read",
                    table=tpl.table,
                    printed=" ".join(row_src[code].raws),
                    subject=f"{tpl.table}.{code}",
                )
            )
    out.score += 10 * len(col_codes)
    return out


def _sum_is_last(tpl: Template, codes: Sequence[str]) -> bool:
    parts = {c.code for c in tpl.cols if c.role == "part"}
    sums = [c.code for c in tpl.cols if c.role == "sum"]
    return bool(codes) and codes[-1] in sums and parts <= set(codes)


def _int_or_none(text: str) -> int | None:
    t = unicodedata.normalize("NFKC", text).strip().replace(",", "")
    if t in BLANK_FORMS:
        return 0
    return int(t) if re.fullmatch(r"\d+", t) else None


def _emit(out, tpl, code, codes, raws, row, settings, make, note=None):  # type: ignore[no-untyped-def]
    for col, raw in zip(codes, raws, strict=False):
        cell = Cell(row.grid_row, -1, raw)
        v: Value = make(tpl.table, code, col, row.grid, cell, settings)
        v.prov = Provenance(
            source=row.grid.source,
            raw=raw,
            page=None,
            bbox=None,
            locator=f"table[{row.grid.index}]/r{cell.row}",
        )
        if note:
            v.note = note
        out.values[(code, col)] = v
