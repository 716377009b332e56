"""Text-layer PDFs: glyphs and ruling lines → positioned text lines and table grids.

Two engines read a page's glyphs and ruling edges; everything after that is shared
(pdfplumber's edge → cell algorithm, our grid builders):

* ``pdfium`` (default): pypdfium2 reads glyphs and path objects in C, about
  10x faster than pdfminer; rules come from path bounds (see
  :func:`extractors.textlayer._edges_of`).
* ``pdfplumber``: pdfminer's interpreter reads the page; slower, kept as the
  reference reader and for PDFs whose paths pdfium bounds describe badly.

Either way pypdfium2 triages every page first, and only pages that hold rules or
table words are searched for tables.
"""

from __future__ import annotations

import re
import statistics
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from itertools import pairwise
from pathlib import Path
from typing import Any

import pdfplumber
import pypdfium2 as pdfium
from pdfplumber.table import cells_to_tables, edges_to_intersections, intersections_to_cells, merge_edges

from nianbao.catalogue import finding
from nianbao.errors import InputError
from nianbao.extractors.grid import (
    NUMERIC,
    grid_from_bands,
    grid_from_cell_boxes,
    group_lines,
    text_lines,
)
from nianbao.extractors.textlayer import PageTriage, triage
from nianbao.form.labels import ROW_START, is_section_heading, starts_row
from nianbao.model import BBox, DocumentResult, Page, Source, TableGrid, Word
from nianbao.settings import Settings


def open_pdf(path: Path) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as e:
        msg = str(e)
        if "password" in msg.lower():
            raise InputError("encrypted PDF: it needs a password to open") from e
        raise InputError(f"not a readable PDF ({msg})") from e


def extract_pdf(doc: DocumentResult, settings: Settings) -> DocumentResult:
    path = Path(doc.path)
    pdf = open_pdf(path)
    try:
        n = len(pdf)
        if n == 0:
            raise InputError("the PDF has no pages")
        if n > settings.max_pages:
            raise InputError(f"more than {settings.max_pages} pages ({n})")
        triages = [triage(pdf[i], i + 1, settings) for i in range(n)]
        table_pages = [t for t in triages if t.has_table]
        use_plumber = settings.table_engine == "pdfplumber" and table_pages
        plumber = pdfplumber.open(str(path)) if use_plumber else None
        try:
            for t in triages:
                doc.pages.append(_read_page(doc, pdf, plumber, t, settings))
        finally:
            if plumber is not None:
                plumber.close()
    finally:
        pdf.close()
    return doc


def _read_page(
    doc: DocumentResult, pdf: pdfium.PdfDocument, plumber: pdfplumber.PDF | None, t: PageTriage, settings: Settings
) -> Page:
    page = Page(t.number, t.width, t.height, doubled_glyphs=t.doubled)
    if not t.trusted:
        page.reason = t.reason
        ocr_page(doc, page, lambda: render_page(pdf, t.number, settings.ocr_dpi), settings.ocr_dpi, settings)
    elif t.has_table:
        page.has_table = True
        glyphs, edges = t.glyphs, t.edges
        if plumber is not None:
            glyphs, edges, dropped = _plumber_page(plumber, t)
            page.doubled_glyphs = max(page.doubled_glyphs, dropped)
        find_tables(glyphs, edges, t.number, t.width, doc)
        page.lines = text_lines(_outside(glyphs, doc.tables, t.number), t.number)
        page.words = list(glyphs)
        page.vrules = [
            ((float(e["x0"]) + float(e["x1"])) / 2, float(e["top"]), float(e["bottom"]))
            for e in edges
            if e["orientation"] == "v"
        ]
        page.hrules = [
            ((float(e["top"]) + float(e["bottom"])) / 2, float(e["x0"]), float(e["x1"]))
            for e in edges
            if e["orientation"] == "h"
        ]
    else:
        page.lines = text_lines(t.glyphs, t.number)
        page.words = list(t.glyphs)
    if page.doubled_glyphs:
        doc.findings.append(
            finding(
                "extract.doubled_glyphs",
                f"page {t.number}: {page.doubled_glyphs} doubled glyphs removed",
                page=t.number,
            )
        )
    return page


def render_page(pdf: pdfium.PdfDocument, number: int, dpi: int) -> Any:
    # RGB byte order: pdfium renders BGR by default, and the seal filter reads the red channel
    return pdf[number - 1].render(scale=dpi / 72, rev_byteorder=True).to_numpy()


_NUMBER_WORD = re.compile(r"^[+\-−]?\d+(?:[.,]\d+)?$")
# a page of prose prints few lone numbers (a page number, a date's pieces); a table's rows print
# one a cell
_NUMBERS_TO_KEEP = 5


def ocr_page(doc: DocumentResult, page: Page, image: Callable[[], Any], dpi: float, settings: Settings) -> None:
    """Read a page without a text layer by OCR, or say why it was not read."""
    from nianbao.extractors.ocr import ocr_image
    from nianbao.extractors.ocr_engine import engine_for

    why = page.reason or "no text layer"
    if not settings.ocr:
        page.route, page.needs_ocr = "none", True
        doc.findings.append(finding("extract.needs_ocr", f"page {page.number}: {why}; OCR is off", page=page.number))
        return
    try:
        engine = engine_for(settings)
    except InputError as e:
        page.route, page.needs_ocr, page.reason = "none", True, f"{why}; {e}"
        doc.findings.append(finding("extract.needs_ocr", f"page {page.number}: {page.reason}", page=page.number))
        return
    result = ocr_image(image(), dpi, engine)
    page.route, page.width, page.height = "ocr", result.width, result.height
    page.rotation, page.skew = result.rotation, result.skew
    find_tables(result.words, result.edges, page.number, result.width, doc, source="ocr")
    page.lines = text_lines(_outside(result.words, doc.tables, page.number), page.number)
    page.words = result.words
    page.has_table = any(g.page == page.number for g in doc.tables)
    # kept for re-reading its cells: a page holding a grid, or numbers a grid was not found round
    # (a table's unruled last rows on a page of their own, read by the anchored reader: without the
    # image those cells were never read again, and an error rested on their first reading alone,
    # copier seed 4836)
    numbers = sum(1 for w in result.words if _NUMBER_WORD.match(w.text.strip()))
    if page.has_table or numbers >= _NUMBERS_TO_KEEP:
        page.image, page.image_dpi, page.seal, page.luma = result.image, dpi, result.seal, result.luma


def _outside(glyphs: Sequence[Word], tables: Sequence[TableGrid], page: int) -> list[Word]:
    boxes = [tb.bbox for tb in tables if tb.page == page and tb.bbox is not None]
    return [g for g in glyphs if not any(b.contains_point(g.bbox.cx, g.bbox.cy, 1) for b in boxes)]


def _plumber_page(plumber: pdfplumber.PDF, t: PageTriage) -> tuple[list[Word], list[dict[str, Any]], int]:
    """Glyphs (fake bold removed) and ruling edges of one page as pdfplumber reads them."""
    ppage = plumber.pages[t.number - 1]
    n_raw = len(ppage.chars)
    ppage = ppage.dedupe_chars(tolerance=1)
    glyphs = [
        Word(c["text"], BBox(c["x0"], c["top"], c["x1"], c["bottom"])) for c in ppage.chars if not c["text"].isspace()
    ]
    return glyphs, list(ppage.edges), n_raw - len(ppage.chars)


def find_tables(
    glyphs: Sequence[Word],
    edges: Sequence[dict[str, Any]],
    page: int,
    width: float,
    doc: DocumentResult,
    source: Source = "text",
) -> None:
    """Every table on a page, ruled, h-ruled or unruled, appended to ``doc.tables``.

    Ruled tables come from pdfplumber's edge → intersection → cell algorithm run
    on the page's edges (whichever library read them).
    """
    segs = [e for e in edges if (e["x1"] - e["x0"] if e["orientation"] == "h" else e["bottom"] - e["top"]) >= 3]
    merged = merge_edges(segs, 3, 3, 3, 3)
    cell_groups = cells_to_tables(intersections_to_cells(edges_to_intersections(merged, 3, 3)))
    used: list[BBox] = []
    for cells in cell_groups:
        box = BBox(
            min(c[0] for c in cells), min(c[1] for c in cells), max(c[2] for c in cells), max(c[3] for c in cells)
        )
        inside = [g for g in glyphs if box.contains_point(g.bbox.cx, g.bbox.cy, 1)]
        grid = grid_from_cell_boxes(cells, inside, index=len(doc.tables), page=page)
        grid.source = source
        if grid.n_rows and grid.n_cols:
            doc.tables.append(grid)
            used.append(box)
    rest = [g for g in glyphs if not any(b.contains_point(g.bbox.cx, g.bbox.cy, 1) for b in used)]
    # tables ruled with horizontal lines only
    hedges = [
        e
        for e in merged
        if e["orientation"] == "h"
        and e["x1"] - e["x0"] > 0.3 * width
        and not any(b.contains_point((e["x0"] + e["x1"]) / 2, e["top"], 2) for b in used)
    ]
    headings = [ln.order for ln in text_lines(rest, page) if is_section_heading(ln.text)]
    for group in _rule_groups(hedges, headings):
        ys = sorted({round(e["top"], 1) for e in group})
        region = BBox(min(e["x0"] for e in group), ys[0], max(e["x1"] for e in group), ys[-1])
        inside = [g for g in rest if region.contains_point(g.bbox.cx, g.bbox.cy)]
        if not inside:
            continue
        bands = [(ys[i], ys[i + 1]) for i in range(len(ys) - 1) if ys[i + 1] - ys[i] > 2]
        grid = grid_from_bands(bands, words_from_glyphs(inside), index=len(doc.tables), page=page, method="hrules")
        grid.bbox, grid.source = region, source
        doc.tables.append(grid)
        rest = [g for g in rest if not region.contains_point(g.bbox.cx, g.bbox.cy)]
    # tables with no rules at all: blocks of lines whose words stand in columns
    for bands, words in _aligned_tables(rest):
        grid = grid_from_bands(bands, words, index=len(doc.tables), page=page, method="aligned")
        grid.source = source
        doc.tables.append(grid)


def _rule_groups(edges: list[dict[str, float]], headings: Sequence[float]) -> list[list[dict[str, float]]]:
    """Horizontal rules of similar extent stacked closely: one group per table.

    A section heading between two rules ends a table even when the next table
    starts right below it with rules of the same width.
    """
    groups: list[list[dict[str, float]]] = []
    for e in sorted(edges, key=lambda e: e["top"]):
        if groups:
            last = groups[-1][-1]
            same_span = abs(last["x0"] - e["x0"]) < 20 and abs(last["x1"] - e["x1"]) < 20
            split = any(last["top"] < y < e["top"] for y in headings)
            if same_span and e["top"] - last["top"] < 120 and not split:
                groups[-1].append(e)
                continue
        groups.append([e])
    return [g for g in groups if len({round(e["top"]) for e in g}) >= 3]


def words_from_glyphs(glyphs: Sequence[Word]) -> list[Word]:
    """Glyphs joined into words: a gap wider than half a glyph height splits words."""
    return [w for line in word_lines(glyphs) for w in line]


def word_lines(glyphs: Sequence[Word], vrules: Sequence[tuple[float, float, float]] = ()) -> list[list[Word]]:
    """Visual lines of words, top to bottom (each line left to right). A gap wider than half a
    glyph's height splits two words, and so does a vertical rule between two glyphs (x, top,
    bottom): ink either side of a rule is never one word."""
    out: list[list[Word]] = []
    rules = sorted(vrules)
    xs = [x for x, _, _ in rules]
    for line in (part for grouped in group_lines(glyphs) for part in _unstacked(grouped)):
        words: list[Word] = []
        cur: list[Word] = []
        for g in line:
            if cur and (
                g.bbox.x0 - cur[-1].bbox.x1 > 0.5 * max(g.bbox.height, 1.0) or _ruled_apart(cur[-1], g, rules, xs)
            ):
                words.append(_word(cur))
                cur = []
            cur.append(g)
        if cur:
            words.append(_word(cur))
        out.append(words)
    return out


def _unstacked(line: list[Word]) -> list[list[Word]]:
    """One grouped line, or the lines it holds where digits stand one over another in it.

    Lines are grouped by vertical overlap, and a line grows as it takes glyphs: in 6.5 pt type a
    number centred and wrapped ("116" / "9" for 1169) overlaps its row's own numbers, which overlap
    the wrapped number's second piece, and all were one line whose words mixed the pieces' digits
    ("1916": narrow fuzz layout 7687). Two digits one over the other are never one line; there the
    line's glyphs are parted where their centres step down by more than a third of a glyph's height
    (a fake-bold glyph printed twice stands a fraction of a point off, on its line)."""
    digits = sorted((g for g in line if g.text.isdigit()), key=lambda g: g.bbox.x0)
    stacked = any(
        min(a.bbox.x1, b.bbox.x1) - max(a.bbox.x0, b.bbox.x0) > 0.5 * min(a.bbox.width, b.bbox.width)
        and abs(a.bbox.cy - b.bbox.cy) > 0.4 * max(a.bbox.height, b.bbox.height)
        for a, b in pairwise(digits)
    )
    if not stacked:
        return [line]
    parts: list[list[Word]] = []
    for g in sorted(line, key=lambda g: g.bbox.cy):
        if parts and g.bbox.cy - parts[-1][-1].bbox.cy <= max(g.bbox.height, 1.0) / 3:
            parts[-1].append(g)
        else:
            parts.append([g])
    return [sorted(part, key=lambda g: g.bbox.x0) for part in parts]


def join_wrapped_numbers(
    lines: list[list[Word]], hrules: Sequence[tuple[float, float, float]], vrules: Sequence[tuple[float, float, float]]
) -> list[list[Word]]:
    """Numbers a narrow cell wrapped onto a second line ("103" / "6" for 1036: Word, LibreOffice and
    report generators wrap a number that does not fit its column), joined into one word.

    Only digits under digits (the lower piece's centre under the upper piece: left, right or centre
    aligned), one candidate above, no vertical rule between them, and no horizontal rule between
    them. Then either the ruling shows one cell (a rule under the lower piece within a line's
    height: two rows of a ruled table always have a rule between them), or (an unruled table, rows
    ruled only between blocks) the lower line holds nothing but such pieces, each
    under a number of the line above, closer than half a line's height (a row's own line spacing,
    not the gap between two rows; a row of its own prints its label on its line). The joined number
    goes to the line its row prints its label on when that lies between the pieces (a number centred
    in its row), else to the upper piece's line."""
    hs = sorted(hrules)
    ys = [y for y, _, _ in hs]
    vs = sorted(vrules)
    vx = [x for x, _, _ in vs]

    def h_rule(lo: float, hi: float, x: float) -> bool:
        k = bisect_right(ys, lo)
        while k < len(hs) and hs[k][0] < hi:
            if hs[k][1] - 1 <= x <= hs[k][2] + 1:
                return True
            k += 1
        return False

    def v_rule(x0: float, x1: float, y: float) -> bool:
        left, right = sorted((x0, x1))
        return any(vs[j][1] <= y <= vs[j][2] for j in range(bisect_right(vx, left), bisect_right(vx, right)))

    def piece_above(out: list[list[Word]], i: int, w: Word) -> tuple[int, Word] | None:
        # the line right above may be another column's (a vertical group label, a character a line)
        for src in range(i - 1, max(-1, i - 4), -1):
            over = [a for a in out[src] if a.text.isdigit() and a.bbox.x0 - 1 <= w.bbox.cx <= a.bbox.x1 + 1]
            if over or any(a.bbox.x0 - 1 <= w.bbox.cx <= a.bbox.x1 + 1 for a in out[src]):
                return (src, over[0]) if len(over) == 1 else None
        return None

    def closed_below(out: list[list[Word]], i: int, w: Word, h: float, edge: float | None) -> bool:
        """The ruling shows one cell: the next rule under the lower piece, with nothing between
        them in its column but further pieces, each right under the one before (a number wrapped
        over three or four lines in a column one digit wide; a row whose label runs longer)."""
        k = bisect_right(ys, w.bbox.bottom - 0.5)
        while k < len(hs) and not hs[k][1] - 1 <= w.bbox.cx <= hs[k][2] + 1:
            k += 1
        if k == len(hs) or hs[k][0] > w.bbox.bottom + 6 * h:
            return False
        rule_y = hs[k][0]
        if opens_row(out[i], edge):
            return False
        piece = w
        between = sorted(
            (
                (x, line)
                for line in out[i + 1 :]
                for x in line
                if x.bbox.top < rule_y and x.bbox.x0 - 1 <= w.bbox.cx <= x.bbox.x1 + 1
            ),
            key=lambda xl: xl[0].bbox.top,
        )
        for x, line in between:
            # a line that starts a row of its own (an unruled table's next row) ends the cell
            if not x.text.isdigit() or not 0 <= x.bbox.top - piece.bbox.bottom <= 0.8 * h or opens_row(line, edge):
                return False
            piece = x
        return True

    def opens_row(line: list[Word], edge: float | None) -> bool:
        # ``edge``: where the rows' labels start, left of which a group's label stands
        return bool(ROW_START.match("".join(x.text for x in _row_label(line, edge))))

    out = [list(line) for line in lines]
    for i in range(1, len(out)):
        here = out[i]
        pairs = [(w, piece_above(out, i, w)) for w in here if w.text.isdigit()]
        words = [w for w in here if not w.text.isdigit()]
        edge = _label_edge(out, i)
        # a group's label in a column of its own ("（三）不予公开", "三、本年度办理结果" written down the
        # rows) beside the pieces: the line is still a row's rest, not a row, when it holds fewer
        # numbers than the table has columns (a row of its own prints every column)
        grouped = edge is not None and any(w.bbox.x1 <= edge - 1 for w in words)
        fewer = not grouped or len(pairs) < _columns(out[max(0, i - 6) : i + 1])
        # besides the pieces, at most the rest of a label the row wrapped too ("…不计其他情形" / "）"):
        # left of the pieces, and not the start of a row of its own (一、 （二） 3．)
        label_tail = not words or (
            bool(pairs)
            and fewer
            and max(w.bbox.x1 for w in words) <= min(w.bbox.x0 for w, _ in pairs)
            and not opens_row(here, edge)
        )
        only_pieces = bool(pairs) and label_tail and all(found is not None for _, found in pairs)
        centred = _centred_pieces(out, i, pairs)
        for w, found in pairs:
            if found is None:
                continue
            src, a = found
            h = max(w.bbox.height, 1.0)
            gap = w.bbox.top - a.bbox.bottom
            mid = (w.bbox.top + w.bbox.bottom) / 2
            if not -0.3 * h <= gap <= 0.8 * h or v_rule(a.bbox.cx, w.bbox.cx, mid):
                continue
            if h_rule(a.bbox.cy, w.bbox.cy, w.bbox.cx) or h_rule(a.bbox.cy, w.bbox.cy, a.bbox.cx):
                continue  # a rule between them (their centres: a tight row's rule crosses the glyph boxes)
            if id(w) in centred and gap <= 0.5 * h:
                # the row's own line: the joined number stands on it, where its lower piece was read
                joined = Word(
                    a.text + w.text, BBox.enclosing([a.bbox, w.bbox]), a.source, min(a.confidence, w.confidence)
                )
                out[src].remove(a)
                here[here.index(w)] = joined
                continue
            ruled = closed_below(out, i, w, h, edge)
            unruled = only_pieces and gap <= 0.5 * h
            if not (ruled or unruled):
                continue
            joined = Word(a.text + w.text, BBox.enclosing([a.bbox, w.bbox]), a.source, min(a.confidence, w.confidence))
            here.remove(w)
            above = out[src]
            row = next(
                (
                    out[k]
                    for k in range(src + 1, i)
                    # the row's own line: its other numbers stand on it (a line holding only the
                    # rest of a wrapped label is not the row's line)
                    if any(x.text.isdigit() for x in out[k])
                    and a.bbox.top < statistics.median(x.bbox.cy for x in out[k]) < w.bbox.bottom
                ),
                None,
            )
            if row is None:
                above[above.index(a)] = joined
            else:
                above.remove(a)
                row.append(joined)
                row.sort(key=lambda x: x.bbox.x0)
    return [line for line in out if line]


def _columns(lines: Sequence[Sequence[Word]]) -> int:
    """How many columns the numbers of these lines stand in (numbers of one column overlap across,
    whatever their alignment; a row's line may hold only some of them, the rest wrapped)."""
    count, right = 0, float("-inf")
    for w in sorted((w for ln in lines for w in ln if w.text.isdigit()), key=lambda w: w.bbox.x0):
        if w.bbox.x0 > right:
            count += 1
        right = max(right, w.bbox.x1) if w.bbox.x0 <= right else w.bbox.x1
    return count


def _label_edge(out: list[list[Word]], i: int) -> float | None:
    """Where the rows' labels start: the row label of the nearest line above holding numbers."""
    for line in reversed(out[max(0, i - 3) : i]):
        if any(w.text.isdigit() for w in line):
            label = _row_label(line)
            if label:
                return label[0].bbox.x0
    return None


def _row_label(line: list[Word], edge: float | None = None) -> list[Word]:
    """The words of a line's row label: a group's label printed left of it, apart ("（三）" of a
    block label written down the rows, beside "止公开", the rest of a row's wrapped label: narrow
    fuzz layout 7444), or in a column of its own left of ``edge`` (where the rows' labels start:
    "（三）不予公" beside a wrapped number's last piece, 7612, 7673; "三、" of 三、本年度办理结果,
    7730), starts no row of this line."""
    words = sorted((w for w in line if not w.text.isdigit()), key=lambda w: w.bbox.x0)
    if edge is not None:
        words = [w for w in words if w.bbox.x1 > edge - 1]
    while len(words) > 1 and words[0].bbox.x1 + 0.5 * words[0].bbox.height < words[1].bbox.x0:
        words = words[1:]
    return words


def _centred_pieces(out: list[list[Word]], i: int, pairs: list[tuple[Word, tuple[int, Word] | None]]) -> set[int]:
    """The lower pieces (by ``id``) of numbers wrapped in cells that centre them in their row:
    "108" half a line above the row's line, "8" half a line below, read as one line with the row's
    label and other numbers (narrow fuzz layout 7406: both readers read 1088 as 8). Only where the
    line above holds no number but first pieces, each with its last piece in this line (and at most
    labels left of them: the row's label wrapped, a group's label: 7446, 7471), and each pair
    straddles the row's other numbers evenly: a row's own numbers stand on its line, a number
    wrapped and centred stands half a line above and below it. A row of its own above prints a
    number in every column, so no number of this line would be the row's own."""
    by_src: dict[int, list[tuple[Word, Word]]] = {}
    for w, found in pairs:
        # a piece right above (a number of the row above, further up, is no piece of this one)
        if found is not None and -0.3 <= (w.bbox.top - found[1].bbox.bottom) / max(w.bbox.height, 1.0) <= 0.5:
            by_src.setdefault(found[0], []).append((w, found[1]))
    if len(by_src) != 1:
        return set()
    ((src, both),) = by_src.items()
    lower = {id(w) for w, _ in both}
    upper = {id(a) for _, a in both}
    first = min(a.bbox.x0 for _, a in both)
    if len(upper) != len(both) or any(id(x) not in upper and (x.text.isdigit() or x.bbox.x1 > first) for x in out[src]):
        return set()  # the line above holds a number with no piece below, or words among the pieces
    own = [w.bbox.cy for w, _ in pairs if id(w) not in lower]
    centre = statistics.median(own) if own else None
    ok = set()
    for w, a in both:
        h = max(w.bbox.height, 1.0)
        if centre is not None and (
            w.bbox.cy - centre >= 0.25 * h
            and centre - a.bbox.cy >= 0.25 * h
            and abs(a.bbox.cy + w.bbox.cy - 2 * centre) <= 0.5 * h
        ):
            ok.add(id(w))
        elif _piece_below(out, i, w):
            # the middle of three pieces: the row's line (27 / 81 / 2 for 27812 in a column two
            # digits wide, 7417); the last piece joins it after, as the piece under a number
            ok.add(id(w))
    return ok if len(ok) == len(both) else set()


def _piece_below(out: list[list[Word]], i: int, w: Word) -> bool:
    """A digit right under ``w`` (within half a line), on a line holding nothing but numbers."""
    h = max(w.bbox.height, 1.0)
    for line in out[i + 1 : i + 4]:
        under = [x for x in line if x.bbox.x0 - 1 <= w.bbox.cx <= x.bbox.x1 + 1]
        if under:
            x = under[0]
            return (
                len(under) == 1
                and x.text.isdigit()
                and 0 <= x.bbox.top - w.bbox.bottom <= 0.5 * h
                and all(y.text.isdigit() for y in line)
            )
    return False


def _ruled_apart(a: Word, b: Word, rules: Sequence[tuple[float, float, float]], xs: Sequence[float]) -> bool:
    """A vertical rule runs between glyph a and glyph b (right of a's centre, left of b's, over
    their line). ``rules`` sorted by x, ``xs`` their x: only the rules between the two are looked at."""
    mid = (a.bbox.top + a.bbox.bottom) / 2
    k = bisect_right(xs, a.bbox.cx)
    while k < len(rules) and rules[k][0] < b.bbox.cx:
        if rules[k][1] <= mid <= rules[k][2]:
            return True
        k += 1
    return False


def _word(glyphs: list[Word]) -> Word:
    return Word(
        "".join(g.text for g in glyphs),
        BBox.enclosing([g.bbox for g in glyphs]),
        glyphs[0].source,
        min(g.confidence for g in glyphs),
    )


def _aligned_tables(glyphs: Sequence[Word]) -> list[tuple[list[tuple[float, float]], list[Word]]]:
    """Tables printed without rules: blocks of lines holding 3+ tabular lines.

    Lines are split into blocks at section headings, paragraph lines (one long
    run of text, or text ending in 。) and wide vertical gaps. A block with at least
    three tabular lines (numbers in columns, or several words with wide gaps) is a
    table; its bands are its lines, a line set tight under the previous one (a
    label or header wrapped inside its cell) joining the band above.
    """
    words = ordinals_into_labels(words_from_glyphs(glyphs))
    if not words:
        return []
    lines = _table_lines(words)
    x_min = min(w.bbox.x0 for w in words)
    x_max = max(w.bbox.x1 for w in words)
    blocks: list[list[list[Word]]] = [[]]
    prev_bottom = None
    texts: dict[int, str] = {}  # each line's text, left to right (by id of the line)
    for ln in lines:
        top = min(w.bbox.top for w in ln)
        bottom = max(w.bbox.bottom for w in ln)
        h = bottom - top
        text = texts[id(ln)] = "".join(w.text for w in sorted(ln, key=lambda w: w.bbox.x0))
        paragraph = (len(ln) == 1 and ln[0].bbox.width > 0.7 * (x_max - x_min)) or text.endswith("。")
        if is_section_heading(text) or paragraph:
            blocks.append([])
            prev_bottom = None
            continue
        if prev_bottom is not None and top - prev_bottom > 2.5 * h:
            blocks.append([])
        blocks[-1].append(ln)
        prev_bottom = bottom
    out: list[tuple[list[tuple[float, float]], list[Word]]] = []
    for block in blocks:
        if sum(1 for ln in block if _tabular(ln)) < 3:
            continue
        bands: list[tuple[float, float]] = []
        for ln in block:
            top = min(w.bbox.top for w in ln)
            bottom = max(w.bbox.bottom for w in ln)
            numeric = any(NUMERIC.match(w.text) for w in ln)
            # a line that starts a row (一、 （三） 4．) is no wrapped tail of the row above, however
            # close: where a row's numbers stand centred between its label's two lines, the next
            # row's label starts right under the previous row's tail
            # (or its ordinal without the point OCR lost: "3补正后申请", joined to its label above)
            starts = starts_row(texts[id(ln)])
            if bands and not numeric and not starts and top - bands[-1][1] < 0.5 * (bottom - top):
                bands[-1] = (bands[-1][0], bottom)
            else:
                if bands and bands[-1][1] > top:
                    # a row's line starts inside the band above (which took in a group label
                    # centred between two rows): the band above ends where this row begins, or
                    # the row's words fall into it and two rows' numbers are read as one cell
                    bands[-1] = (bands[-1][0], top)
                bands.append((top, bottom))
        out.append((bands, [w for ln in block for w in ln]))
    return out


_ORDINAL_WORD = re.compile(r"^\d{1,2}\s*[.．、]?$")


def ordinals_into_labels(words: list[Word]) -> list[Word]:
    """A row's ordinal set apart from its label ("6 . 属于四类过程性信息": OCR cuts at the spaces, and
    may lose the point) is the label's, not a number in a column of its own: where no number
    stands left of it on its line and a word starting with a Chinese character follows within a
    character or so, the two are one word. Left a number, the ordinals of the rows make a column
    of values, and a row's first count is read as its ordinal (6 for 0: hard scan seed 9815)."""
    ordinals = [w for w in words if _ORDINAL_WORD.match(w.text)]
    if not ordinals:
        return words
    # the words a label can start with, by their left edge: most ordinal-like words are a table's
    # counts, with no Chinese word right after them, and are passed over without a look at the page
    cjk = sorted((w for w in words if "\u4e00" <= w.text[:1] <= "\u9fff"), key=lambda w: w.bbox.x0)
    xs = [w.bbox.x0 for w in cjk]
    # and every word by its top, for the words on an ordinal's line
    by_top = sorted(words, key=lambda w: w.bbox.top)
    tops = [w.bbox.top for w in by_top]
    tallest = max(w.bbox.height for w in words)
    gone: set[int] = set()
    merged: dict[int, Word] = {}
    for o in ordinals:
        h = o.bbox.height
        top, bottom = o.bbox.top, o.bbox.bottom
        lo, hi = bisect_left(xs, o.bbox.x1 - 1.0), bisect_right(xs, o.bbox.x1 + 1.5 * h)
        nxt = [
            w
            for w in cjk[lo:hi]
            if w.bbox.top < bottom and w.bbox.bottom > top and id(w) not in gone and _overlap(o, w) > 0.5
        ]
        if not nxt:
            continue
        near = by_top[bisect_left(tops, top - tallest) : bisect_left(tops, bottom)]
        line = [w for w in near if w.bbox.bottom > top and w is not o and _overlap(o, w) > 0.5]
        if any(NUMERIC.match(w.text) and w.bbox.x1 <= o.bbox.x0 for w in line):
            continue  # a number of a row, after the row's other numbers
        if any(o.bbox.x0 - 2 * h <= w.bbox.x1 <= o.bbox.x0 + 1 for w in line):
            continue  # right after other words (a label's count): it starts no label
        label = min(nxt, key=lambda w: w.bbox.x0)
        gone |= {id(o), id(label)}
        merged[id(o)] = Word(
            o.text + label.text,
            BBox.enclosing([o.bbox, label.bbox]),
            o.source,
            min(o.confidence, label.confidence),
            o.doubt or label.doubt,
        )
    return [merged.get(id(w), w) for w in words if id(w) not in gone or id(w) in merged]


def _overlap(a: Word, b: Word) -> float:
    """How much two words share a line: their vertical overlap over the shorter one's height."""
    ov = min(a.bbox.bottom, b.bbox.bottom) - max(a.bbox.top, b.bbox.top)
    return ov / max(min(a.bbox.height, b.bbox.height), 1e-6)


def _table_lines(words: Sequence[Word]) -> list[list[Word]]:
    """The lines of a region that may hold an unruled table, top to bottom.

    A row's numbers stand on one line, evenly; its label may not (a group label centred between
    two rows, a label wrapped to two lines, a character of a vertical label): numbers make the
    lines first, and any other word joins the number line it shares most of its height with. A
    word that shares none makes lines with other such words, as before. Joining a word to the
    first line it touches let a group label between two rows pull the next row's label away
    from that row's numbers."""

    def group(ws: Sequence[Word], lines: list[list[Word]]) -> list[list[Word]]:
        for w in sorted(ws, key=lambda w: (w.bbox.top, w.bbox.x0)):
            for line in lines:
                if _overlap(line[0], w) > 0.5:
                    line.append(w)
                    break
            else:
                lines.append([w])
        return lines

    numbers = group([w for w in words if NUMERIC.match(w.text)], [])
    # each number line's extent: a word is measured against the lines it meets at all
    extents = [(min(x.bbox.top for x in ln), max(x.bbox.bottom for x in ln)) for ln in numbers]
    rest: list[Word] = []
    for w in words:
        if NUMERIC.match(w.text):
            continue
        near = [
            ln
            for ln, (top, bottom) in zip(numbers, extents, strict=True)
            if top < w.bbox.bottom and bottom > w.bbox.top
        ]
        shares = [max(_overlap(x, w) for x in ln) for ln in near]
        best = max(range(len(near)), key=lambda i: shares[i], default=None)  # the first of equals
        if best is not None and shares[best] > 0.5:
            near[best].append(w)
        else:
            rest.append(w)
    lines = group(rest, [])
    lines = numbers + lines
    lines.sort(key=lambda ln: min(w.bbox.top for w in ln))
    return lines


def _tabular(line: Sequence[Word]) -> bool:
    if len(line) < 2:
        return False
    ws = sorted(line, key=lambda w: w.bbox.x0)
    gaps = [b.bbox.x0 - a.bbox.x1 for a, b in pairwise(ws)]
    h = max(w.bbox.height for w in ws)
    return any(NUMERIC.match(w.text) for w in ws[1:]) or (len(ws) >= 3 and min(gaps) > 0.8 * h)
