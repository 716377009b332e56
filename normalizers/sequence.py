"""Reading tables whose columns cannot be trusted by position (text dumps).

A converter's text dump keeps each row's values in order but not in place: a
label split over two cells pushes the values one column right, a lost column
leaves no gap. Here the header gives the *order* of the columns that are
printed, and each row's values are read in that order. Rows that print fewer
or more values than there are columns are not shifted: their cells stay unread
and a finding says so, unless the difference is a run of digits printed
together, which is decoded by the format's identities (:mod:`nianbao.form.digits`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from nianbao.catalogue import finding
from nianbao.form.digits import RUN, ColumnSum, solve, splits
from nianbao.form.identities import SUM_RULES, Identity
from nianbao.form.labels import best_match, with_group_context
from nianbao.form.templates import Template
from nianbao.model import UNREAD_MARK, Cell, CellRef, Provenance, TableGrid
from nianbao.normalizers.numbers import BLANK_FORMS
from nianbao.normalizers.readout import ReadOut, make_value
from nianbao.settings import Settings

_ITEMS = re.compile(r"(?:^|\s)(\d{1,2})\s*[.．、]\s*")
_MULTI = re.compile(r"^\s*[\d,.]+(?:\s+[\d,.]+)+\s*$")


def _is_value(text: str) -> bool:
    t = unicodedata.normalize("NFKC", text).strip()
    return t in BLANK_FORMS or t == UNREAD_MARK or bool(re.fullmatch(r"[+\-−]?[\d,，.．]+%?|[\d\s,.]+", t))


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


def column_sums(tpl: Template, codes: Sequence[str]) -> list[ColumnSum]:
    """The format's sums down the columns (:mod:`nianbao.form.identities`), over rows read in the
    printed column order ``codes``: one per identity whose column is printed."""
    at = {c: i for i, c in enumerate(codes)}
    return [
        ColumnSum(at[i.subject], tuple(r for r, _ in i.parts), tuple(r for r, _ in i.totals))
        for rule in SUM_RULES
        if rule.along == "col"
        for i in rule.over(tpl)
        if i.subject in at
    ]


def row_holds(tpl: Template, codes: Sequence[str], row: str, reading: Sequence[int]) -> bool:
    """Whether a reading of ``row`` (ordered like ``codes``) satisfies the format's sums across it
    (:meth:`nianbao.form.identities.Identity.holds`; a sum over a column not printed says nothing)."""
    values: dict[tuple[str, str], float | None] = {(row, c): v for c, v in zip(codes, reading, strict=True)}
    return all(i.holds(values) is not False for i in row_identities(tpl, row))


@lru_cache(maxsize=256)
def row_identities(tpl: Template, row: str) -> tuple[Identity, ...]:
    """The format's sums across ``row`` (made once per template and row: every split is judged)."""
    return tuple(i for rule in SUM_RULES if rule.along == "row" for i in rule.over(tpl) if i.subject == row)


@dataclass(slots=True)
class _SequenceReader:
    """State of one table read in printed column order (see the module docstring)."""

    tpl: Template
    settings: Settings
    out: ReadOut
    codes: list[str] = field(default_factory=list)
    code_col: dict[str, int] = field(default_factory=dict)
    # first value column of a row that prints every column -> offsets from the header
    offsets: dict[int, set[int]] = field(default_factory=dict)
    fixed: dict[str, tuple[int, ...]] = field(default_factory=dict)
    candidates: dict[str, list[tuple[int, ...]]] = field(default_factory=dict)
    rows: dict[str, SeqRow] = field(default_factory=dict)

    @property
    def col_codes(self) -> list[str]:
        return self.codes or [c.code for c in self.tpl.cols]

    def read(self, grids: Sequence[TableGrid]) -> ReadOut:
        for grid in grids:
            self._grid(grid)
        self.out.mapped_cols.update(self.col_codes)
        if self.candidates:
            self._resolve_runs()
        self.out.score += 10 * len(self.col_codes)
        return self.out

    def _grid(self, grid: TableGrid) -> None:
        rows = split_rows(grid)
        ctx = ""
        matched: list[tuple[SeqRow, str, float]] = []
        for row in rows:
            label, ctx = with_group_context(row.label, ctx)
            m = best_match(label, self.tpl.rows, self.settings.match_threshold, self.tpl.noise) if label else None
            if m is not None:
                matched.append((row, m.code, m.score))
        if matched and not self.codes:
            matrix = grid.matrix()
            found = header_codes([matrix[r] for r in range(matched[0][0].grid_row)], self.tpl, self.settings)
            self.codes = [c for c, _ in found]
            self.code_col = dict(found)
        short: list[tuple[SeqRow, str]] = []
        for row, code, sc in matched:
            if code in self.out.mapped_rows:
                continue
            self.out.mapped_rows.add(code)
            self.out.score += sc
            self.rows[code] = row
            if len(row.raws) == len(self.col_codes):
                self._full_row(row, code)
            elif not self._run_row(row, code):
                short.append((row, code))
        for row, code in short:
            if not self._place_like_siblings(row, code):
                self._report(
                    "extract.misaligned_row",
                    code,
                    f"{len(row.raws)} values printed for {len(self.col_codes)} columns ({' | '.join(row.raws)}); "
                    "which column each belongs to cannot be told, so none is read",
                    " | ".join(row.raws),
                )

    def _full_row(self, row: SeqRow, code: str) -> None:
        nums = [_int_or_none(x) for x in row.raws]
        known = [v for v in nums if v is not None]
        if len(known) == len(nums):
            self.fixed[code] = tuple(known)
        self._emit(code, self.col_codes, row.raws, row)
        if self.codes and row.cells and len(set(row.value_cols)) == len(row.raws):
            first = row.value_cols[0]
            self.offsets.setdefault(first, set()).add(first - self.code_col[self.codes[0]])

    def _run_row(self, row: SeqRow, code: str) -> bool:
        """A row with fewer values than columns because digits ran together: collect its splits."""
        raws, n = row.raws, len(self.col_codes)
        runs = [k for k, x in enumerate(raws) if RUN.match(x) and len(x) > 1]
        others = [_int_or_none(x) for x in raws]
        if len(raws) >= n or len(runs) != 1:
            return False
        k = runs[0]
        if any(v is None for j, v in enumerate(others) if j != k):
            return False
        # a lone run holding the whole row ends with its 总计: prune by the sum
        sum_last = len(raws) == 1 and _sum_is_last(self.tpl, self.col_codes)
        found = splits(raws[k], n - (len(raws) - 1), last_is_sum=sum_last)
        if found is None:
            self._report(
                "extract.ambiguous_digits", code, f"digits '{raws[k]}' split too many ways to search; not read", raws[k]
            )
            return True
        before = tuple(v for v in others[:k] if v is not None)
        after = tuple(v for v in others[k + 1 :] if v is not None)
        self.candidates[code] = [before + sp + after for sp in found]
        return True

    def _place_like_siblings(self, row: SeqRow, code: str) -> bool:
        """A short row laid out like a full row (same first value column) shares its offset."""
        offs = self.offsets.get(row.value_cols[0], set()) if row.cells else set()
        if len(offs) != 1 or len(set(row.value_cols)) != len(row.raws):
            return False
        d = next(iter(offs))
        by_col = {col: c for c, col in self.code_col.items()}
        placed = [(by_col.get(v - d), raw) for v, raw in zip(row.value_cols, row.raws, strict=True)]
        if any(c is None for c, _ in placed):
            return False
        for col_code, raw in placed:
            self._emit(
                code, [str(col_code)], [raw], row, "placed by column like the rows above that print every column"
            )
        return True

    def _resolve_runs(self) -> None:
        """All rows at once: each run's splits that satisfy its own row sum, then the readings of the
        whole table under which the column sums hold (:func:`nianbao.form.digits.solve`); a cell is
        read where every such reading agrees, and named with its candidates where they differ."""
        codes = self.col_codes
        cands: dict[str, list[tuple[int, ...]]] = {r: [v] for r, v in self.fixed.items()}
        for r, cs in self.candidates.items():
            cands[r] = [c for c in cs if row_holds(self.tpl, codes, r, c)]
        absent = [lab.code for lab in self.tpl.rows if lab.code not in cands]
        res = solve(cands, column_sums(self.tpl, codes), absent)
        t = self.tpl.table
        for code in self.candidates:
            row = self.rows[code]
            printed = " ".join(row.raws)
            kept = res.supported.get(code, [])
            cells = res.cells(code)
            how = "the row's own sum" if not res.joint else "the format's row and column sums"
            note = f"decoded from run-together digits '{printed}' by {how}"
            for j, v in sorted(cells.items()):
                self._emit(code, [codes[j]], [str(v)], row, note)
            open_cols = [j for j in range(len(codes)) if j not in cells]
            if not open_cols:
                continue
            shown = (
                "; ".join(" | ".join(map(str, c)) for c in kept[:6]) + ("…" if len(kept) > 6 else "")
                if kept
                else "none satisfies the row's own sum"
            )
            names = ", ".join(codes[j] for j in open_cols)
            self.out.findings.append(
                finding(
                    "extract.ambiguous_digits",
                    f"{t}.{code}: digits '{printed}' split {len(kept)} ways consistent with {how} ({shown}); "
                    f"{names} not read",
                    table=t,
                    printed=printed,
                    subject=f"{t}.{code}",
                    cells=[CellRef(t, code, codes[j]) for j in open_cols],
                )
            )
        if res.relaxed and self.candidates:
            cols = ", ".join(codes[j] for j in res.relaxed)
            self.out.findings.append(
                finding(
                    "extract.sums_relaxed",
                    f"{t}: no split of the run-together rows satisfies every column sum of the format; "
                    f"the rows were split with the sums of {cols} left out (see the arithmetic findings)",
                    table=t,
                    subject=t,
                )
            )

    def _report(self, rule: str, code: str, message: str, printed: str) -> None:
        t = self.tpl.table
        self.out.findings.append(
            finding(rule, f"{t}.{code}: {message}", table=t, printed=printed, subject=f"{t}.{code}")
        )

    def _emit(self, code: str, cols: Sequence[str], raws: Sequence[str], row: SeqRow, note: str | None = None) -> None:
        for col, raw in zip(cols, raws, strict=False):
            v = make_value(self.tpl.table, code, col, row.grid, Cell(row.grid_row, -1, raw), self.settings)
            # a dump has no boxes: the provenance is the table and its row
            v.prov = Provenance(source=row.grid.source, raw=raw, locator=f"table[{row.grid.index}]/r{row.grid_row}")
            if note:
                v.note = note
            self.out.values[(code, col)] = v


def read_sequence(grids: Sequence[TableGrid], tpl: Template, settings: Settings) -> ReadOut:
    return _SequenceReader(tpl, settings, ReadOut(tpl)).read(grids)


def _sum_is_last(tpl: Template, codes: Sequence[str]) -> bool:
    parts = {c.code for c in tpl.cols if c.role == "part"}
    sums = [c.code for c in tpl.cols if c.role == "sum"]
    return bool(codes) and codes[-1] in sums and parts <= set(codes)


def _int_or_none(text: str) -> int | None:
    t = unicodedata.normalize("NFKC", text).strip().replace(",", "")
    if t in BLANK_FORMS:
        return 0
    return int(t) if re.fullmatch(r"\d+", t) else None
