"""Positioned glyphs and words → table grids with spans.

Three builders share one output (:class:`nianbao.model.TableGrid`):

* :func:`grid_from_cell_boxes` — ruled tables. pdfplumber reports one box per
  cell, merged cells included, but returns ``None`` for the positions a merged cell
  spans; we rebuild the grid from the boxes' edges so that every merged cell gets
  its row/column span.
* :func:`grid_from_bands` — tables with horizontal rules only, or none: rows are
  the bands between rules (or text lines), columns come from where the body
  rows' words lie on the x axis.
"""

from __future__ import annotations

import re
import statistics
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from nianbao.model import BBox, Cell, TableGrid, TextLine, Word

_CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”]")
_NUM_PART = re.compile(r"^[+\-−]?\d[\d,，]*$")
NUMERIC = re.compile(r"^[+\-−]?[\d０-９][\d０-９,，.．]*$|^[—\-/／无]$")


def cluster_values(values: Sequence[float], tol: float) -> list[float]:
    """Sorted representatives of values closer than ``tol`` to each other."""
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(g) / len(g) for g in out]


def _nearest(reps: list[float], v: float) -> int:
    """Index of the representative nearest ``v`` (the lower one on a tie); ``reps`` ascend, as
    :func:`cluster_values` gives them, so only the two round ``v``'s place can be nearest."""
    i = bisect_right(reps, v)
    if i == 0:
        return 0
    if i == len(reps) or v - reps[i - 1] <= reps[i] - v:
        return i - 1
    return i


def join_glyphs(glyphs: Sequence[Word]) -> str:
    """Reading-order text of glyphs: lines top to bottom, glyphs left to right.

    Lines are joined without a space when both sides are CJK (a label wrapped
    inside its cell, or printed vertically one glyph per line), else with one.
    """
    if not glyphs:
        return ""
    lines = group_lines(glyphs)
    parts: list[str] = []
    for line in lines:
        txt = _line_text(line)
        if parts and txt:
            prev = parts[-1]
            # CJK wraps without a space; so does a number wrapped inside a narrow cell (７，１９ / ３)
            wrapped_number = _NUM_PART.match(prev) is not None and txt[0].isdigit()
            if _CJK.match(prev[-1]) or _CJK.match(txt[0]) or wrapped_number:
                parts[-1] = prev + txt
                continue
            parts[-1] = prev + " " + txt
            continue
        if txt:
            parts.append(txt)
    return "".join(parts).strip()


@dataclass(slots=True)
class _Line:
    top: float
    bottom: float
    members: list[Word]


def group_lines(glyphs: Sequence[Word]) -> list[list[Word]]:
    """Glyphs grouped into visual lines by vertical overlap, sorted top to bottom.

    A word several lines tall (OCR of a crop that held a whole block of labels) would glue
    every line it overlaps into one: it joins the line it overlaps most without stretching it,
    and forms lines of its own only where it overlaps none (a large heading).
    """
    if not glyphs:
        return []
    typical = statistics.median(max(g.bbox.height, 0.1) for g in glyphs)
    tall = [g for g in glyphs if g.bbox.height > 2.5 * typical]
    lines = _lines_of([g for g in glyphs if g.bbox.height <= 2.5 * typical])
    alone: list[Word] = []
    for g in tall:
        overlaps = [(min(ln.bottom, g.bbox.bottom) - max(ln.top, g.bbox.top), k) for k, ln in enumerate(lines)]
        # ties go to the upper line: the crop's text starts there
        share, k = max(overlaps, key=lambda o: (o[0], -o[1]), default=(0.0, -1))
        if k >= 0 and share >= 0.5 * (lines[k].bottom - lines[k].top):
            lines[k].members.append(g)
        else:
            alone.append(g)
    lines += _lines_of(alone)
    lines.sort(key=lambda ln: ln.top)
    return [sorted(ln.members, key=lambda g: g.bbox.x0) for ln in lines]


def _lines_of(glyphs: Sequence[Word]) -> list[_Line]:
    lines: list[_Line] = []
    for g in sorted(glyphs, key=lambda g: (g.bbox.top, g.bbox.x0)):
        h = max(g.bbox.height, 0.1)
        # glyphs come sorted by top: only the last few lines can still overlap
        for line in reversed(lines[-4:]):
            overlap = min(line.bottom, g.bbox.bottom) - max(line.top, g.bbox.top)
            if overlap >= 0.5 * min(h, line.bottom - line.top):
                line.members.append(g)
                line.top, line.bottom = min(line.top, g.bbox.top), max(line.bottom, g.bbox.bottom)
                break
        else:
            lines.append(_Line(g.bbox.top, g.bbox.bottom, [g]))
    return lines


def _line_text(line: Sequence[Word]) -> str:
    out = ""
    prev: Word | None = None
    for g in line:
        text = g.text
        if prev is not None:
            gap = g.bbox.x0 - prev.bbox.x1
            if gap > 0.3 * max(g.bbox.height, 1.0):
                out += " "
            elif _split_glyph(prev, g, gap):
                text = text[1:]
        out += text
        prev = g
    return out


def _split_glyph(left: Word, right: Word, gap: float) -> bool:
    """Two OCR crops closer than a space, the right one starting with the Chinese character the
    left one ends with: a line cut inside that character, read whole from each half. On copier
    pages a title was cut between the 亻 and the 乍 of 作 and read "…公开工作" + "作年度报告", so the
    title was not found (copier seeds 3709, 3735, 3763); the halves may stand a few points apart
    ("…宁德市人民" + "民政府办公室…" 3 pt apart at 15 pt: hard seed 13354, copier seed 5272). A line
    is cut where no space parts it only where its ink moves up or down (a number beside a wrapped
    label): seldom between two whole characters alike."""
    return (
        left.source == "ocr"
        and right.source == "ocr"
        and gap < 0.3 * max(right.bbox.height, 1.0)  # wider is a space (_line_text)
        and bool(left.text)
        and bool(right.text)
        and left.text[-1] == right.text[0]
        and "\u4e00" <= right.text[0] <= "\u9fff"
    )


def text_lines(glyphs: Sequence[Word], page: int) -> list[TextLine]:
    out = []
    for line in group_lines(glyphs):
        line = _without_specks(line)
        box = BBox.enclosing([g.bbox for g in line])
        out.append(TextLine(_line_text(line), box, page, order=box.top))
    return out


def _without_specks(line: list[Word]) -> list[Word]:
    """A line's OCR words less the specks on it: read unsurely and under a third of the line's
    height ("十" at 0.16, 1.8 pt tall beside "发布机构：福建省自然资源厅": the body read "…厅 十",
    hard seed 13371)."""
    tall = max(g.bbox.height for g in line)
    kept = [g for g in line if not (g.source == "ocr" and g.confidence < 0.5 and g.bbox.height < tall / 3)]
    return kept or line


def grid_from_cell_boxes(
    boxes: Sequence[tuple[float, float, float, float]],
    glyphs: Sequence[Word],
    *,
    index: int,
    page: int,
    tol: float = 2.0,
) -> TableGrid:
    xs = cluster_values([b[0] for b in boxes] + [b[2] for b in boxes], tol)
    ys = cluster_values([b[1] for b in boxes] + [b[3] for b in boxes], tol)
    cells: list[Cell] = []
    bbs = [BBox(*b) for b in boxes]
    owner: dict[tuple[int, int], int] = {}  # grid position -> index of the cell covering it
    spans: list[tuple[int, int, int, int]] = []
    for i, bb in enumerate(bbs):
        c0, c1 = _nearest(xs, bb.x0), _nearest(xs, bb.x1)
        r0, r1 = _nearest(ys, bb.top), _nearest(ys, bb.bottom)
        spans.append((r0, r1, c0, c1))
        if c1 <= c0 or r1 <= r0 or (r0, c0) in owner:
            continue
        for r in range(r0, r1):
            for c in range(c0, c1):
                owner.setdefault((r, c), i)
    buckets: list[list[Word]] = [[] for _ in boxes]
    for g in glyphs:
        # grid position by bisection on the cell edges: O(log n) a glyph
        c = bisect_right(xs, g.bbox.cx) - 1
        r = bisect_right(ys, g.bbox.cy) - 1
        i = owner.get((r, c), -1)
        if i >= 0:
            buckets[i].append(g)
    seen: set[tuple[int, int]] = set()
    for i, (bb, members) in enumerate(zip(bbs, buckets, strict=True)):
        r0, r1, c0, c1 = spans[i]
        if c1 <= c0 or r1 <= r0 or (r0, c0) in seen or owner.get((r0, c0)) != i:
            continue
        seen.add((r0, c0))
        if r1 - r0 > 1 and _rule_lost(members):
            cells.extend(_rows_apart(bb, members, ys, r0, r1, c0, c1))
            continue
        conf = min((g.confidence for g in members), default=1.0)
        doubt = _doubt(members)
        cells.append(
            Cell(r0, c0, join_glyphs(members), bb, rowspan=r1 - r0, colspan=c1 - c0, confidence=conf, doubt=doubt)
        )
    cells.sort(key=lambda c: (c.row, c.col))
    grid = TableGrid(
        index=index,
        page=page,
        n_rows=max(len(ys) - 1, 0),
        n_cols=max(len(xs) - 1, 0),
        cells=cells,
        bbox=BBox.enclosing(bbs) if bbs else None,
        method="ruled",
        col_centers=[(xs[i] + xs[i + 1]) / 2 for i in range(len(xs) - 1)],
        order=ys[0] if ys else 0.0,
    )
    return grid


def _rule_lost(members: Sequence[Word]) -> bool:
    """A scanned cell spanning rows that holds numbers only: no value cell of the format is merged
    over rows, so the rule between them was lost on the page (a seal's star or a copier's pale
    band over it), not left out by the printer."""
    return bool(members) and all(g.source == "ocr" for g in members) and all(_is_numeric(g.text) for g in members)


def _rows_apart(
    bb: BBox, members: Sequence[Word], ys: Sequence[float], r0: int, r1: int, c0: int, c1: int
) -> list[Cell]:
    """One cell per row of a merged value cell whose rule was lost, each holding the ink inside
    its own row: a number read into the row above would be counted twice or in the wrong row
    (copier seed 7131: a seal's star hid the rule under a 27 it half covered, and the next row's 4
    was read as both rows' value). The part where no ink was read is doubted, not read as printed
    blank: the ink under the lost rule may be what was not read."""
    out: list[Cell] = []
    for r in range(r0, r1):
        own = [g for g in members if ys[r] <= g.bbox.cy < ys[r + 1]]
        box = BBox(bb.x0, max(bb.top, ys[r]), bb.x1, min(bb.bottom, ys[r + 1]))
        conf = min((g.confidence for g in own), default=1.0)
        doubt = _doubt(own) if own else "rule_lost"
        out.append(Cell(r, c0, join_glyphs(own), box, colspan=c1 - c0, confidence=conf, doubt=doubt))
    return out


def _is_numeric(text: str) -> bool:
    return bool(NUMERIC.match(text.strip()))


def grid_from_bands(
    bands: Sequence[tuple[float, float]],
    words: Sequence[Word],
    *,
    index: int,
    page: int,
    method: str,
) -> TableGrid:
    """A grid whose rows are given bands and whose columns come from word positions.

    Column edges come from the body rows (rows holding a number right of their
    first word), where every word sits inside one column; header words that span
    several columns (法人或其他组织 over five) would merge columns and are only
    used where no body word covers their column (a column printed all blank).
    """
    rows: list[list[Word]] = [[] for _ in bands]
    for w in words:
        for i, (top, bottom) in enumerate(bands):
            if top - 0.5 <= w.bbox.cy <= bottom + 0.5:
                rows[i].append(w)
                break
    body = [r for r in rows if any(_is_numeric(w.text) for w in sorted(r, key=lambda w: w.bbox.x0)[1:])]
    intervals = sorted((w.bbox.x0, w.bbox.x1) for r in body for w in r)
    cols = _merge(intervals)
    body_centers = [(a + b) / 2 for a, b in cols]
    spacings = sorted(b - a for a, b in pairwise(body_centers))
    typical = spacings[len(spacings) // 2] if spacings else 0.0
    for r in rows:
        if r in body:
            continue
        for w in r:
            hits = [c for c in cols if c[0] < w.bbox.x1 and w.bbox.x0 < c[1]]
            # a header over a column printed all blank: far from every body column
            far = all(abs(w.bbox.cx - x) > 0.75 * typical for x in body_centers)
            if not hits and far and typical > 0:
                cols = _merge(sorted([*cols, (w.bbox.x0, w.bbox.x1)]))
    centers = [(a + b) / 2 for a, b in cols]
    cells: list[Cell] = []
    for ri, r in enumerate(rows):
        per_col: dict[int, list[Word]] = {}
        for w in r:
            ci = _column_of(cols, w.bbox)
            per_col.setdefault(ci, []).append(w)
        for ci, members in sorted(per_col.items()):
            text = join_glyphs(members)
            cells.append(
                Cell(
                    ri,
                    ci,
                    text,
                    BBox.enclosing([m.bbox for m in members]),
                    confidence=min(m.confidence for m in members),
                    doubt=_doubt(members),
                )
            )
    all_boxes = [w.bbox for w in words]
    return TableGrid(
        index=index,
        page=page,
        n_rows=len(bands),
        n_cols=len(cols),
        cells=cells,
        bbox=BBox.enclosing(all_boxes) if all_boxes else None,
        method=method,
        col_centers=centers,
        order=bands[0][0] if bands else 0.0,
    )


def _merge(intervals: Sequence[tuple[float, float]], tol: float = 1.0) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for a, b in sorted(intervals):
        if out and a <= out[-1][1] + tol:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _column_of(cols: Sequence[tuple[float, float]], bb: BBox) -> int:
    best, best_ov = 0, -1e9
    for i, (a, b) in enumerate(cols):
        ov = min(b, bb.x1) - max(a, bb.x0)
        if ov <= 0:
            ov = -min(abs(bb.cx - a), abs(bb.cx - b))
        if ov > best_ov:
            best, best_ov = i, ov
    return best


def _doubt(members: Sequence[Word]) -> str | None:
    """A cell is doubted when one of its words is (the first doubt said)."""
    return next((m.doubt for m in members if m.doubt), None)
