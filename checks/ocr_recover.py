"""Cells of an OCR'd table 三 that no reader found, read where their row and column cross.

The first OCR pass cuts a page into line crops; a digit it missed (a lone "2" a copier's streak
touched, a number the line finder merged with a rule) leaves its cell empty, and every sum through
that cell unchecked: a real error there is lost for want of a reading (copier seed 3624: the
planted cell was the one not found). Before any rule runs, such a cell is looked for on the page
image: its row's band (the other values of the row; for a row none of whose values was read, half
way between the rows printed before and after it, where they stand two rows apart) and its
column's extent (the column's other values on the page, out to half way to the columns beside
it). Ink found there is read as a failed sum's cells are re-read (the binarised crop and the wider
one, both cut round the ink found: :mod:`checks.ocr_verify`), once more from the whole box uncut (a
faint digit the cut left out), and under a seal from the black ink alone. The cell takes the
number only where every look reads it, each surely (the uncut box may read those digits among
specks' marks instead: a lone 0 read "o" or ".0"). A filing's zero printed as a mark or as nothing
leaves the same hole: ink that is one straight stroke of a blank mark is that mark, and paper with no
ink half a digit tall that no look reads a digit in, in a row read on its page, is a blank printed as
nothing; either is 0. A recovered cell is named by ``ocr.recovered_value``, so the
auditor sees which cells the first pass missed, and the row keeps its ``extract.missing_cell``. It takes part in the
sums, to find an error there, but confirms no cell beside it (:mod:`checks.confirmed`). A cell
some reader explained (two readers that disagree, a number shared by two cells) is not looked for:
its ink was seen and is in doubt.
"""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Sequence
from dataclasses import replace

import cv2
import numpy as np

from nianbao.catalogue import finding
from nianbao.checks.cell_ink import PageImage, black_ink, crops_of, own_ink, without_rules
from nianbao.form.identities import template_of
from nianbao.form.templates import TEMPLATES
from nianbao.model import RECOVERED, BBox, CellRef, DocumentResult, Provenance, Value
from nianbao.normalizers.readout import value_of
from nianbao.settings import Settings

# table 三, whose rows and columns are the page's: table 四 prints its three blocks side by side on
# one line, so a "column" of it lies at three places on that line (a box round them read the whole
# line as one 20-digit number: copier seed 3730)
TABLES = ("t3",)
# each table's columns in the order the form prints them, left to right
_COLUMNS = {t: tuple(c.code for c in TEMPLATES[t][0].cols) for t in TABLES}


def recover_cells(doc: DocumentResult, settings: Settings) -> DocumentResult:
    """The pipeline stage (see the module)."""
    images = {p.number: PageImage(p.image, p.image_dpi, p.seal, p.luma) for p in doc.pages if p.image is not None}
    if not images:
        return doc
    missing_rows = {f.subject for f in doc.findings if f.rule == "extract.missing_cell"}
    explained = {c.key for f in doc.findings if f.rule != "extract.missing_cell" for c in f.cells}
    explained |= {f.subject for f in doc.findings if f.rule != "extract.missing_cell" and f.subject}
    for table in TABLES:
        read = placed(doc, table, images)
        lost = [
            v
            for v in doc.values
            if v.table == table
            and v.prov.page is None
            and not v.prov.raw
            and f"{table}.{v.row}" in missing_rows
            and f"{table}.{v.row}.{v.col}" not in explained
        ]
        if not read or not lost:
            continue
        bands = _lost_row_bands(table, doc.table_formats.get(table), {v.row for v in lost}, read)
        # a filing that prints its zeros as 0 prints them neither as a mark nor as nothing: there a
        # cell with no digit legible is a digit the copy lost (copier seed 8025: a 1 leaning on a
        # 150 DPI copy read as a slash, a faint one as nothing)
        blanks = not any(v.prov.raw.strip() in ("0", "０") for v in read)
        found = [v for v in lost if _look(v, read, images, settings, bands.get(v.row), blanks)]
        if found:
            _restate_missing(doc, table, found)
    return doc


def placed(doc: DocumentResult, table: str, images: dict[int, PageImage]) -> list[Value]:
    """The values of ``table`` OCR read with a box on a page whose image is kept: what
    :func:`cell_box` places rows and columns by."""
    return [
        v
        for v in doc.values
        if v.table == table and v.prov.source == "ocr" and v.prov.bbox is not None and v.prov.page in images
    ]


Band = tuple[int, float, float]  # a row's page, and the top and bottom of its digits there


def _band(row: str, read: Sequence[Value]) -> Band | None:
    """The page most of a row's values lie on, and the median top and bottom of their boxes."""
    in_row = [v for v in read if v.row == row]
    if not in_row:
        return None
    page = statistics.mode(v.prov.page for v in in_row)
    boxes = [v.prov.bbox for v in in_row if v.prov.page == page and v.prov.bbox is not None]
    if page is None or not boxes:
        return None
    return page, statistics.median(b.top for b in boxes), statistics.median(b.bottom for b in boxes)


def _lost_row_bands(table: str, fmt: str | None, rows: set[str], read: Sequence[Value]) -> dict[str, Band]:
    """Where rows none of whose values was read lie: half way between the rows the form prints just
    before and after them, where those two lie on one page two rows' pitch apart (the median
    distance of rows read next to each other there, 0.8 to 1.25 times twice it). Copier seed 6305
    at 300 DPI: a seal's ring joined five rows into one line and a whole row was lost, the planted
    error in the row below unchecked; a row the filing does not print leaves no such gap."""
    tpl = template_of(table, fmt)
    if tpl is None:
        return {}
    codes = [r.code for r in tpl.rows]
    bands = {code: b for code in codes if (b := _band(code, read)) is not None}
    # the distances between the centres of rows read next to each other, page by page
    pitches: dict[int, list[float]] = {}
    for a, b in ((bands.get(x), bands.get(y)) for x, y in itertools.pairwise(codes)):
        if a is not None and b is not None and a[0] == b[0] and b[1] + b[2] > a[1] + a[2]:
            pitches.setdefault(a[0], []).append((b[1] + b[2] - a[1] - a[2]) / 2)
    out: dict[str, Band] = {}
    for i, code in enumerate(codes):
        if code not in rows or code in bands:
            continue
        before = bands.get(codes[i - 1]) if i > 0 else None
        after = bands.get(codes[i + 1]) if i + 1 < len(codes) else None
        if i == 0 and after is not None and len(pitches.get(after[0], [])) >= 3:
            # the first row, under the header: a pitch above the row after it, where that row and
            # the one after it are read a pitch apart (the form prints no row before the first;
            # copier seed 6715 at 150 DPI: 一、本年新收 lost whole under a seal). Never below the
            # last row: the page's number may be printed there
            page = after[0]
            pitch = statistics.median(pitches[page])
            nxt = bands.get(codes[i + 2]) if i + 2 < len(codes) else None
            step = None if nxt is None or nxt[0] != page else (nxt[1] + nxt[2] - after[1] - after[2]) / 2
            if step is None or not 0.8 * pitch <= step <= 1.25 * pitch:
                continue
            centre = (after[1] + after[2]) / 2 - pitch
        elif before is not None and after is not None and before[0] == after[0]:
            page = before[0]
            if len(pitches.get(page, [])) < 3:
                continue
            pitch = statistics.median(pitches[page])
            up, down = (before[1] + before[2]) / 2, (after[1] + after[2]) / 2
            if not 1.6 * pitch <= down - up <= 2.5 * pitch:
                continue
            centre = (up + down) / 2
        else:
            continue
        half = statistics.median([(b[2] - b[1]) / 2 for b in bands.values() if b[0] == page])
        out[code] = (page, centre - half, centre + half)
    return out


def cell_box(row: str, col: str, read: Sequence[Value], band: Band | None = None) -> tuple[int, BBox] | None:
    """The page and box where a cell's row and column cross, from the values read round it: the
    row's band on the page most of its values lie on (or ``band``, where none of them was read),
    the column's extent there widened to half way to the columns beside it. None where the row or
    the column has no value on that page."""
    band = _band(row, read) or band
    if band is None:
        return None
    page, top, bottom = band
    # every value read here has a box (recover_cells keeps those only)
    boxes: dict[str, list[BBox]] = {}
    for v in read:
        if v.prov.page == page and v.prov.bbox is not None:
            boxes.setdefault(v.col, []).append(v.prov.bbox)
    boxes_col = boxes.get(col, [])
    if not boxes_col:
        return None
    centres = {c: statistics.median(b.cx for b in bs) for c, bs in boxes.items()}
    mine = centres[col]
    left = max((x for x in centres.values() if x < mine), default=None)
    right = min((x for x in centres.values() if x > mine), default=None)
    # a column beside this one in the form's order that nothing was read in on this page still
    # prints there: the box stops half way to where the columns' pitch puts it, not half way to the
    # next column read (copier seed 7112: 社会公益组织 unread on the page, 法律服务机构's box
    # reached over its 3 and read "31" for a 1, a false error confirmed)
    order = _COLUMNS.get(read[0].table, ()) if read else ()
    if col in order:
        i = order.index(col)
        steps = [centres[b] - centres[a] for a, b in itertools.pairwise(order) if a in centres and b in centres]
        pitch = statistics.median(steps) if steps else None
        for k, side in ((i - 1, -1), (i + 1, 1)):
            if not 0 <= k < len(order) or order[k] in centres:
                continue
            if pitch is None or pitch <= 0:
                return None  # no column read beside it: where this one ends is not known
            guess = mine + side * pitch
            if side < 0:
                left = guess if left is None else max(left, guess)
            else:
                right = guess if right is None else min(right, guess)
    x0 = min(b.x0 for b in boxes_col)
    x1 = max(b.x1 for b in boxes_col)
    x0 = min(x0, (left + mine) / 2) if left is not None else x0 - (bottom - top)
    x1 = max(x1, (mine + right) / 2) if right is not None else x1 + (bottom - top)
    return page, BBox(x0, top, x1, bottom)


def _look(
    v: Value,
    read: Sequence[Value],
    images: dict[int, PageImage],
    settings: Settings,
    band: Band | None = None,
    blanks: bool = True,
) -> bool:
    """Read one lost cell off its page; True when every look reads the same number surely (the
    value then takes it), or (where ``blanks``: the table prints no 0) the cell prints a blank mark
    or nothing at all."""
    from nianbao.extractors.ocr_engine import engine_for  # loaded by the filings that need it

    where = cell_box(v.row, v.col, read, band)
    if where is None:
        return False
    page, box = where
    image = images[page]
    own = own_ink(image.grey, box, image.dpi)
    sealed = image.sealed(box)
    # a digit's height in the own ink's pixels (twice the page's size)
    digit_h = 2 * image.dpi / 72 * (box.bottom - box.top)
    # where the row was read on its page, paper the filing left empty is its zero printed as nothing
    blank_paper = blanks and _band(v.row, read) is not None and not sealed
    if own.region.size == 0 or not own.ink.any():
        return blank_paper and _printed_nothing(v, [], own.ink, digit_h, page, box)
    # not under a seal, whose ring's arcs are strokes too
    if blanks and not sealed and _printed_mark(v, own.ink, digit_h, page, box):
        return True
    # the two crops cut round the ink found, and the whole box uncut: a faint digit the cut left
    # out ("17" on a thresholded 150 DPI copy, its 1 too thin to count as ink: "7" by both cut
    # crops, a false error, copier seed 3774) is read there
    crops = [*crops_of(own), _box_crop(image, box)]
    if sealed:
        dark = black_ink(image, own)
        if dark is None:
            return False  # under a seal only the black ink can say which strokes are the digits'
        crops.append(dark)
    looks = [(t.strip().replace(" ", ""), float(s)) for t, s in engine_for(settings).recognize(crops)]
    if blank_paper and _printed_nothing(v, looks, own.ink, digit_h, page, box):
        return True
    prov = Provenance("ocr", "", page, box)
    numbers = [value_of(v.table, v.row, v.col, replace(prov, raw=t), settings) for t, _ in looks]
    first = numbers[0]
    if first.value is None:
        return False
    bare: set[int] = set()  # looks that read the digits only among specks
    for i, (n, (text, score)) in enumerate(zip(numbers, looks, strict=True)):
        if n.value == first.value and not n.prov.doubt and score >= settings.ocr_policy.sure:
            continue
        # the uncut box is read to find a digit the cut left out, not to read the cut's digits
        # again: where it reads those digits and no other (a lone 0 read "o" or ".0" among the
        # specks round it, copier seed 6305: four 0s left unread, the sums through them unchecked)
        # it has found none
        if i == BOX_LOOK and score >= BOX_FLOOR and _bare_digits(text) == looks[0][0]:
            bare.add(i)
            continue
        return False
    k = image.dpi / 72
    y0, y1, x0, x1 = own.rect
    ink_box = BBox(x0 / k, y0 / k, x1 / k, y1 / k)
    text = looks[0][0]
    v.value, v.note, v.blank = first.value, first.note, first.blank
    sure = min(s for i, (_, s) in enumerate(looks) if i not in bare)
    v.prov = Provenance("ocr", text, page, ink_box, sure, locator=RECOVERED)
    return True


def _printed_mark(v: Value, ink: np.ndarray, digit_h: float, page: int, box: BBox) -> bool:
    """A lost cell whose own ink is one straight stroke of a blank mark ('/', '—', '-': the
    extractor's test of a lone word, :func:`extractors.ocr.blank_mark`) is that mark, a printed
    blank: the cut crops read a slash "1" at 0.6-0.96, the uncut box "/" (copier seed 7957 at 200
    DPI, table 三's zeros printed "/" in a table ruled across only: 57 cells unread). The value is 0
    and, recovered, confirms no sum."""
    from nianbao.extractors.ocr import blank_mark  # the OCR extractor's own test of the shape

    mark = blank_mark(ink, max(1, round(digit_h)))
    if mark is None:
        return False
    _take_blank(v, mark, f"a printed '{mark}' by its ink's shape (one straight stroke)", page, box)
    return True


def _printed_nothing(
    v: Value, looks: Sequence[tuple[str, float]], ink: np.ndarray, digit_h: float, page: int, box: BBox
) -> bool:
    """A lost cell of a row read on its page where no look reads a digit and no ink there stands
    half a digit tall: a copy's specks on paper the filing left empty, its zero printed as nothing
    (copier seed 7966 at 200 DPI, a table ruled across only: the specks read "常過" at 0.61 or
    nothing, 85 cells unread). Blank (0), recovered: it confirms no sum, and a failed sum that a
    higher count there would make hold is not the filing's error (checks.ocr_verify)."""
    if any(ch.isdigit() for text, _ in looks for ch in text):
        return False
    n, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    if n > 1 and int(stats[1:, cv2.CC_STAT_HEIGHT].max()) >= 0.5 * digit_h:
        return False
    _take_blank(v, "", "nothing printed: no ink half a digit tall, no look reads a digit", page, box)
    return True


def _take_blank(v: Value, raw: str, note: str, page: int, box: BBox) -> None:
    """A lost cell read as a printed blank (0) where its row and column cross: recovered."""
    v.value, v.blank, v.note = 0, True, note
    v.prov = Provenance("ocr", raw, page, box, 1.0, locator=RECOVERED)


# the looks' order in _look: the two cut crops, the uncut box, the black ink under a seal
BOX_LOOK = 2
BOX_FLOOR = 0.5
# what a recogniser makes of specks beside digits in a crop: dropped before comparing digits
_SPECKS = str.maketrans({"o": "0", "O": "0", **{c: None for c in ".,:;·'`‘’_ "}})


def _bare_digits(text: str) -> str:
    """A reading's digits, a round letter taken for 0 and the specks' marks dropped ("" where
    anything else remains: an "i" may be a thin 1)."""
    bare = text.translate(_SPECKS)
    return bare if bare.isdigit() else ""


def _box_crop(image: PageImage, box: BBox) -> np.ndarray:
    """The grey page inside the box, a fifth of its height above and below, rules turned to paper."""
    k = image.dpi / 72
    h = (box.bottom - box.top) * k
    y0, y1 = max(0, int(box.top * k - 0.2 * h)), int(box.bottom * k + 0.2 * h) + 1
    x0, x1 = max(0, int(box.x0 * k)), int(box.x1 * k) + 1
    region = image.grey[y0:y1, x0:x1]
    return np.ascontiguousarray(without_rules(region, h)) if region.size else region


def _restate_missing(doc: DocumentResult, table: str, found: list[Value]) -> None:
    """Each found cell named; the rows' extract.missing_cell findings stay (the readers did not find
    those cells, and the row's other values rest on the band they gave) and say which were read
    again."""
    again: dict[str, list[str]] = {}
    for v in found:
        again.setdefault(f"{table}.{v.row}", []).append(v.col)
    for f in doc.findings:
        if f.rule == "extract.missing_cell" and f.table == table and f.subject in again:
            cols = ", ".join(again[f.subject])
            f.message += f"; read again where row and column cross: {cols} (ocr.recovered_value)"
    for v in found:
        key = f"{v.table}.{v.row}.{v.col}"
        if v.blank and not v.prov.raw:
            how, how_zh = f"as blank (0): {v.note}", "为空白（未印任何内容：无半个数字高的墨迹，各次均未读出数字）"
        elif v.blank:
            how, how_zh = f"as '{v.prov.raw}', {v.note}", f"为“{v.prov.raw}”（据墨迹形状：一笔直线）"
        else:
            how = f"as '{v.prov.raw}' by every look, each surely (lowest {v.prov.confidence:.2f})"
            how_zh = f"为“{v.prov.raw}”，各次均一致且置信度高"
        doc.findings.append(
            finding(
                "ocr.recovered_value",
                f"{key}: no reader found this cell; read where its row and column cross {how}: taken, for review",
                table=v.table,
                cells=[CellRef(v.table, v.row, v.col, v.prov.page, v.prov.bbox)],
                printed=v.prov.raw,
                subject=key,
                message_zh=f"首次识别未找到该单元格；在其行列交叉处重新识别{how_zh}，已采用，请核对",
            )
        )
