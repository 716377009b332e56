"""Two readers, one table: where the grid reader and the anchored reader agree, and where they do not.

Rules (the issue on layouts):
- a cell both readers read the same way stands (with the grid reader's provenance);
- a cell only one reader read stands;
- a cell they read differently is left empty with ``extract.readers_disagree`` naming both
  readings, unless exactly one of the two readings satisfies every identity of the format that
  involves the cell while the other breaks one: that reading is kept and
  ``extract.readers_resolved`` says so;
- one printed number is one cell: where the merged reading puts a word in two cells, a cell whose
  other reader read the same number from another word takes that reading (both agreed on the
  value, one of them from a shifted row: the place shown to an auditor must be the right one);
  a word still in two cells (a row of a leaning photographed table read from the band below) is
  put in neither, and ``extract.shared_value`` names the cells.
"""

from __future__ import annotations

from nianbao.catalogue import finding
from nianbao.form.identities import identities
from nianbao.form.templates import Template
from nianbao.model import CellRef, Value
from nianbao.normalizers.anchored import Anchored
from nianbao.normalizers.readout import ReadOut

Key = tuple[str, str]  # (row, col)


def _same(a: Value, b: Value) -> bool:
    if a.value is None and b.value is None:
        return a.prov.raw == b.prov.raw
    if a.value is None or b.value is None:
        return False
    return abs(float(a.value) - float(b.value)) < 1e-9


def merge(grid: ReadOut | None, anchored: Anchored | None, tpl: Template) -> tuple[ReadOut, str]:
    """One reading of the table from both readers; also which readers produced it."""
    out = ReadOut(tpl)
    g = grid.values if grid is not None and grid.template is tpl else {}
    a = anchored.values if anchored is not None and anchored.template is tpl else {}
    if grid is not None and grid.template is tpl:
        out.findings = list(grid.findings)
        out.score = grid.score
        out.mapped_rows = set(grid.mapped_rows)
        out.mapped_cols = set(grid.mapped_cols)
    if anchored is not None and anchored.template is tpl:
        out.mapped_rows |= anchored.rows
        out.mapped_cols |= {col for _, col in anchored.values}
        out.score = max(out.score, anchored.score)
    disputed: list[Key] = []
    for key in g.keys() | a.keys():
        gv, av = g.get(key), a.get(key)
        if gv is not None and gv.value is None and av is not None and av.value is not None:
            gv = None  # the grid reader found no number there (a label slid into the cell): not a reading
        if gv is not None and av is not None and not _same(gv, av):
            disputed.append(key)
        else:
            if gv is not None and av is not None and gv.value is not None and gv.prov.source != "ocr" and gv.prov.raw:
                # both read this number in this cell, each mapping the table by its own header
                # (checks/confirmed.py). Not on a scan: there both read the one OCR reading of it;
                # nor where nothing is printed (a blank by where the row's numbers stand): the sums
                # confirm that
                gv.confirmed_by = "readers"
            out.values[key] = gv if gv is not None else av  # type: ignore[assignment]
    readers = "+".join(n for n, vals in (("grid", g), ("anchored", a)) if vals) or "none"
    if not disputed:
        _one_cell_per_word(out, g, a)
        _drop_explained(out)
        return out, readers
    ids = identities(tpl)
    # each reader's whole reading: cells of a row often disagree together (a row read shifted),
    # so a cell's sums are judged with every disputed cell read the same reader's way
    whole = []
    for reading in (g, a):
        vals: dict[Key, float | None] = {k: v.value for k, v in out.values.items()}
        vals.update({k: reading[k].value for k in disputed})
        whole.append(vals)
    # a reading is a whole: when one reader's table satisfies every sum and the other's breaks one,
    # every disputed cell is judged on all the sums (a shifted row also breaks its column's sums)
    table_verdicts = [[i.holds(vals) for i in ids] for vals in whole]
    whole_ok = [bool(v) and all(x is not False for x in v) and any(x is True for x in v) for v in table_verdicts]
    whole_breaks = [any(x is False for x in v) for v in table_verdicts]
    decided = whole_ok[0] != whole_ok[1] and (whole_breaks[0] or whole_breaks[1])
    for key in sorted(disputed):
        gv, av = g[key], a[key]
        if decided:
            (g_ok, a_ok), (g_breaks, a_breaks) = whole_ok, whole_breaks
        else:
            verdicts = [[i.holds(vals) for i in ids if key in i.cells()] for vals in whole]
            g_ok = bool(verdicts[0]) and all(v is True for v in verdicts[0])
            a_ok = bool(verdicts[1]) and all(v is True for v in verdicts[1])
            g_breaks = any(v is False for v in verdicts[0])
            a_breaks = any(v is False for v in verdicts[1])
        ref = CellRef(tpl.table, key[0], key[1], av.prov.page or gv.prov.page, av.prov.bbox or gv.prov.bbox)
        both = f"grid reader '{gv.prov.raw}', anchored reader '{av.prov.raw}'"
        kept, name = (gv, "grid") if g_ok else (av, "anchored")
        other = av if kept is gv else gv
        # on a text layer, a place where one reader found nothing printed never outvotes a number
        # the other found there: the sums favour a blank wherever the filing's own error is in that
        # cell (fuzz seed 24410: a planted 9 beside a row the grid reader took from the line above,
        # read blank). On a scan a ruled cell seen empty is evidence against a speck read as a digit
        unprinted = _nothing_printed(kept) and bool(other.prov.raw.strip())
        if ((g_ok and a_breaks) or (a_ok and g_breaks)) and not unprinted:
            out.values[key] = kept
            out.findings.append(
                finding(
                    "extract.readers_resolved",
                    f"{tpl.table}.{key[0]}.{key[1]}: {both}; the {name} reading is kept because it satisfies "
                    "every sum of the format the other breaks",
                    table=tpl.table,
                    cells=[ref],
                    printed=kept.prov.raw,
                    subject=f"{tpl.table}.{key[0]}.{key[1]}",
                )
            )
        else:
            out.findings.append(
                finding(
                    "extract.readers_disagree",
                    f"{tpl.table}.{key[0]}.{key[1]}: {both}; left empty",
                    table=tpl.table,
                    cells=[ref],
                    subject=f"{tpl.table}.{key[0]}.{key[1]}",
                )
            )
    _one_cell_per_word(out, g, a)
    _drop_explained(out)
    return out, readers


Word = tuple[int | None, tuple[float, ...]]


def _word(v: Value) -> Word | None:
    b = v.prov.bbox
    if v.value is None or b is None or _nothing_printed(v):
        return None  # no word to share (on a scan, one cell seen empty is one)
    return v.prov.page, tuple(round(float(x), 1) for x in (b.x0, b.top, b.x1, b.bottom))


def _nothing_printed(v: Value) -> bool:
    """A text layer's place where no word stands, read as blank by where its row's numbers stand."""
    return v.prov.source == "text" and not v.prov.raw.strip()


def _by_word(values: dict[Key, Value]) -> dict[Word, list[Key]]:
    out: dict[Word, list[Key]] = {}
    for key, v in values.items():
        w = _word(v)
        if w is not None:
            out.setdefault(w, []).append(key)
    return out


def _one_cell_per_word(out: ReadOut, g: dict[Key, Value], a: dict[Key, Value]) -> None:
    """A word in two cells: a cell the other reader read the same from a word of its own takes
    that reading (the grid reader's cells first: it shifts whole rows); cells still sharing a
    word are left empty, with a finding."""
    used = set(_by_word(out.values))
    for word, keys in _by_word(out.values).items():
        for key in sorted(keys, key=lambda k: out.values[k] is not g.get(k)):
            if sum(1 for k in keys if _word(out.values[k]) == word) < 2:
                break  # the word is one cell's again
            current = out.values[key]
            other = a.get(key) if current is g.get(key) else g.get(key)
            w = _word(other) if other is not None else None
            if other is not None and w is not None and w not in used and _same(current, other):
                out.values[key] = other
                used.add(w)
    tpl = out.template
    for (page, _), keys in _by_word(out.values).items():
        if len(keys) < 2:
            continue
        first = out.values[keys[0]]
        cells = [CellRef(tpl.table, r, c, page, first.prov.bbox) for r, c in sorted(keys)]
        names = ", ".join(f"{tpl.table}.{r}.{c}" for r, c in sorted(keys))
        for key in keys:
            del out.values[key]
        out.findings.append(
            finding(
                "extract.shared_value",
                f"{names}: one printed number '{first.prov.raw}' was read into {len(keys)} cells; left empty",
                table=tpl.table,
                cells=cells,
                printed=first.prov.raw,
                subject=names.split(", ")[0],
                message_zh=f"同一数字“{first.prov.raw}”被读入{len(keys)}个单元格（{names}），均留空",
            )
        )


def _drop_explained(out: ReadOut) -> None:
    """Grid-reader complaints about rows the merged reading has after all are no longer true."""
    out.findings = [
        f
        for f in out.findings
        if not (f.rule == "extract.unmapped_row" and f.subject and f.subject.split(".")[-1] in out.mapped_rows)
    ]
