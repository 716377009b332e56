"""The second reader of tables 二/三/四: anchored on the template, from positioned words alone.

The grid reader (:mod:`normalizers.tables`) needs a table grid; this one needs none. The
format is national, so the rows, their order and the columns are known in advance:

1. the section is found by its heading (``三、收到和处理…``) and ends at the next heading;
2. every line of the section holding numbers is a *band*; the numbers' x-positions give the
   value columns (bands that print every column fix them; the others are placed by them);
3. the words left of the values are the labels: each label line joins the band it is nearest
   to, so labels wrapped over two or three lines, and group labels printed vertically or in a
   narrow column, end up beside their numbers whatever the rules look like;
4. bands are aligned to the template's rows in order (a monotone alignment that rewards label
   similarity): a band is read only when its label matches its row, or when every band aligned
   one-to-one with every row, in order.

It works on text-layer pages and OCR'd pages alike (same words-with-boxes model). A band whose
numbers cannot be placed in columns one-to-one is not read; the caller reports its cells.
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise

from rapidfuzz import fuzz

from nianbao.extractors.grid import group_lines
from nianbao.extractors.pdf import join_wrapped_numbers, ordinals_into_labels, word_lines
from nianbao.form.labels import BLOCK_HEADING, is_section_heading, norm, starts_row
from nianbao.form.templates import TEMPLATES, Label, Template
from nianbao.model import BBox, DocumentResult, Provenance, Value, Word
from nianbao.normalizers.numbers import BLANK_FORMS
from nianbao.normalizers.readout import value_of
from nianbao.settings import OcrPolicy, Settings

_VALUE = re.compile(r"^[+\-−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_PAGE_NO = re.compile(r"^(?:[-—－–]\s*\d{1,3}\s*[-—－–]|第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?|\d{1,3}\s*/\s*\d{1,3})$")


def _header_words() -> tuple[str, ...]:
    """Words of the column headers (every template's column labels and the header groups):
    a line made of these is a header, not a row label."""
    words = {"申请人情况", "法人或其他组织", "信息内容", "行政复议", "行政诉讼", "未经复议直接起诉", "复议后起诉"}
    words |= {"单位", "万元", "件", "个", "项"}
    for tpls in TEMPLATES.values():
        for tpl in tpls:
            cols = list(tpl.cols) + [c for b in tpl.blocks for c in b.cols]
            words |= {t for c in cols for t in c.texts}
    return tuple(sorted(words, key=lambda w: len(norm(w)), reverse=True))


_HEADER_WORDS = _header_words()


@dataclass(slots=True)
class Token:
    text: str
    bbox: BBox
    page: int
    source: str
    confidence: float
    note: str | None = None  # what was done to the recogniser's text (see _despeck)
    doubt: str | None = None  # nianbao.model.DOUBTS


@dataclass(slots=True)
class Band:
    """A line holding numbers, with the label words that belong to it."""

    page: int
    top: float
    bottom: float
    values: list[Token]
    label: list[tuple[float, str]] = field(default_factory=list)  # (x0, text) of label fragments
    # every word of its line(s) from a text layer: where no number stands, none is printed
    text_layer: bool = False
    # a row printing no number: the row its label's first line names (see _rows_alone)
    row: str | None = None

    @property
    def label_text(self) -> str:
        return "".join(t for _, t in sorted(self.label, key=lambda p: p[0]))


@dataclass(slots=True)
class Anchored:
    """What the anchored reader made of one table."""

    template: Template
    values: dict[tuple[str, str], Value] = field(default_factory=dict)
    rows: set[str] = field(default_factory=set)
    score: float = 0.0
    # the rows whose labels said which row they are (not placed by order alone)
    by_label: set[str] = field(default_factory=set)


def is_value(text: str) -> bool:
    t = unicodedata.normalize("NFKC", text).strip()
    return bool(_VALUE.match(t)) or (t != "" and t in BLANK_FORMS)


def _split(w: Word, page: int) -> list[Token]:
    """OCR may return several numbers as one word ('12 0 3'): one token each, boxes by share of characters."""
    parts = w.text.split()
    if len(parts) <= 1 or not all(is_value(p) for p in parts):
        return [Token(w.text.strip(), w.bbox, page, w.source, w.confidence, doubt=w.doubt)]
    out, pos, n = [], 0, max(len(w.text), 1)
    for p in parts:
        i = w.text.index(p, pos)
        x0 = w.bbox.x0 + w.bbox.width * i / n
        x1 = w.bbox.x0 + w.bbox.width * (i + len(p)) / n
        out.append(Token(p, BBox(x0, w.bbox.top, x1, w.bbox.bottom), page, w.source, w.confidence, doubt=w.doubt))
        pos = i + len(p)
    return out


Lines = list[tuple[int, list[Token]]]

# A number the recogniser read with a speck after it: a point or comma at its end ('4.', '2,':
# never part of a count or an amount), or a character the box has no room for ('4度' in a box one
# digit wide: a speck of noise read as a glyph). Left as it was, the token is no value, the band
# is a column short and its row, or the whole table when it has one row (表四), is not read.
_TAILED = re.compile(r"^([+\-−]?\d+(?:\.\d+)?)([^\d\s]{1,2})$")
SPECK_MARKS = frozenset(".,:;'`·、。_")
# ... or a speck read before it as a point ('.4': copier seed 7680 at 150 DPI, table 四's last
# number; its one band a number short, the table was lost): a whole number after a mark only
_HEADED = re.compile(r"^([.,:;'`·、。_]{1,2})(\d+)$")
# a printed digit's box is 0.6-0.8 of its height wide (measured on OCR'd scans); a glyph after it
# would take at least half the height more
_DIGIT_WIDTH = 0.9


def _despeck(toks: list[Token]) -> list[Token]:
    """OCR'd numbers with a speck read after them (see ``_TAILED``) or a point before them
    (``_HEADED``), as the number, on a line of values only: a label's own numbering ('3.' before
    '危及…') is followed by its words."""
    out = list(toks)  # the line's order is kept: readers downstream read it as given
    by_x = sorted(range(len(toks)), key=lambda i: toks[i].bbox.x0)
    values = [is_value(t.text) for t in toks]
    for k, i in enumerate(by_x):
        t = toks[i]
        text = unicodedata.normalize("NFKC", t.text).strip()
        m = _TAILED.match(text) if t.source == "ocr" else None
        head = _HEADED.match(text) if t.source == "ocr" else None
        if values[i]:
            continue
        if m is not None:
            number, tail = m.groups()
            digits = sum(ch.isdigit() for ch in number)
            if not (set(tail) <= SPECK_MARKS or t.bbox.width <= _DIGIT_WIDTH * t.bbox.height * digits):
                continue
        elif head is not None:
            tail, number = head.groups()
        else:
            continue
        followed_by_words = k + 1 < len(by_x) and not values[by_x[k + 1]]
        # a label's numbering stands before its words; a number after its row's label is the
        # row's value, on a line of values or alone (table 二's "行政处罚 35.": left as it was, the
        # line was label text for the next row, and a blank the grid reader made of a cell a
        # copier's streak cut off stood unchallenged as 0, copier seed 4837)
        after_words = k > 0 and not values[by_x[k - 1]]
        if followed_by_words or not (any(values) or after_words):  # values[i] is False: any other is a value
            continue
        note = f"OCR read '{t.text}': '{tail}' taken for a speck beside the number"
        doubt = "speck_tail" if m is not None else "speck_head"
        out[i] = Token(number, t.bbox, t.page, t.source, t.confidence, note, doubt=doubt)
    return out


def sections(doc: DocumentResult, policy: OcrPolicy | None = None) -> dict[str, Lines]:
    """The lines (page, tokens) of every section, from its heading to the next heading, in one pass
    over the document (a heading printed twice, as in a table of contents, starts its section again)."""
    policy = policy or OcrPolicy()
    out: dict[str, Lines] = {}
    current: str | None = None
    for page in doc.pages:
        if not page.words:
            continue
        # a row's ordinal cut from its label is the label's here too ("6" / "属于四类…": no count)
        words = ordinals_into_labels(page.words)
        lines = (
            group_lines(words)
            if page.route == "ocr"
            else join_wrapped_numbers(word_lines(words, page.vrules), page.hrules, page.vrules)
        )
        for line in lines:
            vals = [w for w in line if is_value(w.text)]
            # one unsure "number" on a heading's line is a speck or a seal's stroke (OCR), not a
            # value: a row of a table ("四、结转下年度继续办理" and its seven numbers) is no heading.
            # Nor is one left of every word of the line, however sure: a row's values follow its
            # label (a speck read '-' at 0.95 before "三、收到和处理…" lost the whole section)
            stray = (
                len(vals) == 1
                and vals[0].source == "ocr"
                and (
                    policy.counts_for(vals[0].confidence, vals[0].doubt) < policy.sure
                    or all(vals[0].bbox.x1 <= w.bbox.x0 for w in line if w is not vals[0])
                )
            )
            text = "".join(w.text for w in line if not (stray and w is vals[0]))
            sec = is_section_heading(text) if len(text) <= 60 else None
            if sec is not None and (not vals or stray):
                current = sec
                out[sec] = []
                continue
            if current is not None:
                toks = _despeck([t for w in line for t in _split(w, page.number) if t.text])
                if toks:
                    out[current].append((page.number, toks))
    return out


def bands_of(lines: Lines, n: int, rows: Sequence[Label] = ()) -> tuple[list[Band], ColumnSets]:
    """Bands of a section and its value columns. A blank mark or number left of the value columns
    ("（四）无" wrapped to "（四）无 / 法提供" leaves a lone 无) is label text, not a value. With the
    template's ``rows``, a text layer's row printing no number at all is a band of its own (see
    ``_rows_alone``)."""
    first = _bands(lines, rows=rows)
    cols = _columns(first, n)
    if not cols:
        return first, cols
    return _bands(lines, cols.left(), rows), cols


def _bands(lines: Lines, left: dict[int, float] | None = None, rows: Sequence[Label] = ()) -> list[Band]:
    bands: list[Band] = []
    loose: list[tuple[int, float, float, list[Token]]] = []  # label-only lines
    own: dict[int, list[str]] = {}  # id of a band -> the label fragments printed on its own line
    for page, toks in lines:
        text = "".join(t.text for t in toks)
        if _PAGE_NO.match(text.replace(" ", "")):
            continue  # a page number printed in the table's way
        edge = left.get(page) if left else None
        if edge is not None:
            toks = [piece for t in toks for piece in _glued(t, edge)]
        vals = [t for t in toks if is_value(t.text) and (edge is None or t.bbox.cx >= edge)]
        digits = [t.bbox.height for t in vals if t.source == "ocr" and t.text.isdigit()]
        if len(digits) >= 3:
            # a "digit" far shorter than the line's digits is a speck or a seal's stroke (OCR);
            # a dash printed for nothing is short by nature and stays
            typical = statistics.median(digits)
            vals = [t for t in vals if t.source != "ocr" or not t.text.isdigit() or t.bbox.height >= 0.6 * typical]
        # table 二's block headings (第二十条第（一）项) head blocks; they are no row's label
        words = [t for t in toks if t not in vals and not BLOCK_HEADING.fullmatch(norm_keep(t.text))]
        top = min(t.bbox.top for t in toks)
        bottom = max(t.bbox.bottom for t in toks)
        if vals:
            band = Band(page, top, bottom, sorted(vals, key=lambda t: t.bbox.x0))
            band.label = [(t.bbox.x0, t.text) for t in words]
            band.text_layer = all(t.source == "text" for t in toks)
            own[id(band)] = [t.text for t in sorted(words, key=lambda t: t.bbox.x0)]
            bands.append(band)
        elif words:
            loose.append((page, top, bottom, words))
    attached: dict[int, list[tuple[float, float, list[Token]]]] = {}  # id of a band -> its label-only lines
    far: list[Band] = []  # rows printing nothing, too far from every line of numbers to be their label
    for page, top, bottom, words in loose:
        text_row = rows and all(t.source == "text" for t in words) and any(_head(t.text, rows) for t in words)
        if _is_header(words) and not text_row:
            continue  # a row's label is no header, though "3．其他" is a column's name
        cy = (top + bottom) / 2
        best, dist = None, float("inf")
        for b in bands:
            if b.page != page:
                continue
            d = 0.0 if b.top <= cy <= b.bottom else min(abs(cy - b.top), abs(cy - b.bottom))
            if d < dist:
                best, dist = b, d
        if best is not None and dist < 4 * max(bottom - top, 1.0):
            attached.setdefault(id(best), []).append((top, bottom, words))
        elif rows and (k := _far_row(words, rows)) is not None:
            far.append(Band(page, top, bottom, [], [(t.bbox.x0, t.text) for t in words], text_layer=True, row=k))
    empty: list[Band] = []
    moved: dict[int, list[list[Token]]] = {}  # id of a band -> row heads given to it from a band above
    alone = {id(b): _rows_alone(b, own.get(id(b), []), attached.get(id(b), []), rows) for b in bands} if rows else {}
    headless = [b for b in bands if b.text_layer and not _has_head(own.get(id(b), []), attached.get(id(b), []), rows)]
    for b in bands:
        for top, bottom, words in attached.get(id(b), []):
            row = next((rows[k].code for k, w in alone.get(id(b), []) if w is words), None)
            below = next((o for o in headless if o.page == b.page and o.top >= bottom), None) if row else None
            if (
                row is not None
                and below is not None
                and not any(o.page == b.page and bottom <= o.top < below.top for o in bands if o is not below)
            ):
                # the first line of the next band's label, whose numbers stand beside its lower lines
                moved.setdefault(id(below), []).append(words)
            elif row is not None:
                label = [(t.bbox.x0, t.text) for t in words]
                empty.append(Band(b.page, top, bottom, [], label, text_layer=True, row=row))
            else:
                b.label += [(t.bbox.x0, t.text) for t in words]
    for b in bands:
        for words in moved.get(id(b), []):
            b.label += [(t.bbox.x0, t.text) for t in words]
    empty += far
    return sorted([*bands, *empty], key=lambda b: (b.page, b.top)) if empty else bands


def _far_row(words: Sequence[Token], rows: Sequence[Label]) -> str | None:
    """The row a text layer's label line names where no line of numbers is near enough to take it:
    a row of its own that prints nothing (fuzz seed 24037: "3．其他" between two blank rows)."""
    if any(t.source != "text" for t in words) or not any(_head(t.text, rows) for t in words):
        return None
    k = _first_line(_line_text(words), rows)
    return rows[k].code if k is not None else None


def _has_head(
    fragments: Sequence[str], lines: Sequence[tuple[float, float, list[Token]]], rows: Sequence[Label]
) -> bool:
    """Whether a band's label has a line that starts as a row does, on its line or joined to it."""
    return any(_head(t, rows) for t in fragments) or any(_head(t.text, rows) for _, _, ws in lines for t in ws)


def _head(text: str, rows: Sequence[Label]) -> bool:
    """A label fragment that starts a row: its ordinal (一、 （二） 3．), not a group's heading
    ("（六）其他处", "（四）": a group's items are the rows; fuzz seed 24455)."""
    if not starts_row(text):
        return False
    t = norm(text)
    return bool(t) and not any(g.startswith(t) or t.startswith(g) for g in _groups(tuple(rows)))


@lru_cache(maxsize=8)
def _groups(rows: tuple[Label, ...]) -> frozenset[str]:
    """The group headings of a template's rows (不予公开, 其他处理 …), normalised."""
    return frozenset(norm(r.label.split(" ", 1)[0]) for r in rows if " " in r.label)


def _rows_alone(
    band: Band,
    fragments: Sequence[str],
    lines: Sequence[tuple[float, float, list[Token]]],
    rows: Sequence[Label],
) -> list[tuple[int, list[Token]]]:
    """The label-only lines joined to a band that are rows of their own, printing no number (a text
    layer's zeros printed as nothing), with the row each names. A line that starts as a row does
    and names a row (``_first_line``) is a row's first line; where a band gathers two or more such
    rows, its own is the one on its line, else the one nearest its middle (numbers centred beside a
    label of two lines), and the others print nothing. Joined to the band as wrapped label, they
    named it, and a row's numbers were read as another's (fuzz seeds 23933: "2．没有现成信息需要另行
    制作" over "3．补正后申请内容仍不明确 75 270 345"; 24141: three rows of （四） round one line of numbers).
    A label wrapped over two lines starts a row on its first line only."""
    if not band.text_layer:
        return []
    starts: list[tuple[float, int, list[Token]]] = []
    for top, bottom, words in lines:
        if any(t.source != "text" for t in words) or not any(_head(t.text, rows) for t in words):
            continue
        k = _first_line(_line_text(words), rows)
        if k is not None:
            starts.append((abs((top + bottom) / 2 - (band.top + band.bottom) / 2), k, words))
    on_line = _first_line("".join(fragments), rows) if any(_head(t, rows) for t in fragments) else None
    if on_line is None and len(starts) < 2:
        return []
    keep = on_line if on_line is not None else min(starts, key=lambda s: s[0])[1]
    return [(k, words) for _, k, words in starts if k != keep]


def _line_text(words: Sequence[Token]) -> str:
    return "".join(t.text for t in sorted(words, key=lambda t: t.bbox.x0))


def _first_line(text: str, rows: Sequence[Label]) -> int | None:
    """The row a label's first line names: most of one row's words (label similarity 0.8), or a
    piece of them (partial similarity 0.9, six characters at least: "申请人逾期未按收费通" of a label
    wrapped in a narrow column) ten points clear of every other row's."""
    t = norm(text)
    sims = [_similarity_norm(r, t) for r in rows]
    whole = max(range(len(rows)), key=sims.__getitem__)
    if sims[whole] >= 0.8:
        return whole  # the row's words, most of them (a short label whole: "（一）予以公开")
    if len(t) < 6:
        return None
    scored = sorted(((max(fuzz.partial_ratio(k, t) for k in _keys(r)), i) for i, r in enumerate(rows)), reverse=True)
    (best, k), runner = scored[0], scored[1][0] if len(scored) > 1 else 0.0
    return k if best >= 90 and best - runner >= 10 else None


_GLUED = re.compile(r"^(.*[^\d.,，．\s])\s*(\d+)$")


def _glued(t: Token, edge: float) -> list[Token]:
    """An OCR'd label that runs into the value columns with a number at its end ("补正后申请内容
    仍不明确0": the first cell read in one crop with the label beside it) is two tokens: the label,
    and the number, its box cut by the characters' widths (a Chinese character twice a digit's)."""
    m = _GLUED.match(t.text) if t.source == "ocr" and t.bbox.x1 > edge else None
    if m is None:
        return [t]
    label, digits = m.group(1), m.group(2)
    units = sum(2 if ord(ch) > 0x2E80 else 1 for ch in label) + len(digits)
    cut = t.bbox.x1 - t.bbox.width * len(digits) / max(units, 1)
    if cut < edge:
        return [t]  # the number would stand left of the columns: a label's own numbering
    return [
        Token(label, BBox(t.bbox.x0, t.bbox.top, cut, t.bbox.bottom), t.page, t.source, t.confidence),
        Token(
            digits, BBox(cut, t.bbox.top, t.bbox.x1, t.bbox.bottom), t.page, t.source, t.confidence, doubt="glued_label"
        ),
    ]


def norm_keep(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace(" ", "")


def _is_header(words: Sequence[Token]) -> bool:
    t = norm("".join(w.text for w in words))
    if not t:
        return True
    rest = t
    for h in _HEADER_WORDS:
        rest = rest.replace(norm(h), "")
    return len(rest) <= max(1, len(t) // 5)


# ------------------------------------------------------------------ columns


@dataclass(slots=True)
class Columns:
    """Value columns of one page: x-intervals, left to right."""

    spans: list[tuple[float, float]]

    def place(self, toks: Sequence[Token]) -> list[Token | None] | None:
        """Tokens into columns one-to-one, or None when that is impossible.

        A band of one token too many (a stroke of a seal or a speck read as a digit) keeps what
        is certain: a token outside every column is dropped, and a column holding two tokens is
        left unread (its cell is then reported missing), never guessed."""
        n = len(self.spans)
        if len(toks) == n:
            return list(toks)
        extra = len(toks) > n
        out: list[Token | None] = [None] * n
        clash: set[int] = set()
        for t in toks:
            hits = [k for k, (a, b) in enumerate(self.spans) if a - 2 <= t.bbox.cx <= b + 2]
            if len(hits) != 1:
                if extra:
                    continue
                return None
            if out[hits[0]] is not None:
                if not extra:
                    return None
                clash.add(hits[0])
            out[hits[0]] = t
        for k in clash:
            out[k] = None
        return out

    def fits(self, toks: Sequence[Token | None]) -> bool:
        """Every token inside its own column: digits of two cells read as one run (OCR of
        unruled rows) stretch over their neighbours and are not a value. The last column has no
        neighbour to stretch over: its extent is only the widest value the fixing rows printed
        there, and a wider one reaches past it (copier seed 6827: table 三's first row lost whole
        for a 总计 "170" 2 pt past the two-digit totals of the rows that fixed the columns)."""
        last = len(self.spans) - 1
        return all(
            t is None or (a - 2 <= t.bbox.x0 and (k == last or t.bbox.x1 <= b + 2))
            for k, (t, (a, b)) in enumerate(zip(toks, self.spans, strict=True))
        )


@dataclass(slots=True)
class ColumnSets:
    """The value columns of each page, part by part: a table printed as two parts on one page (a
    browser sizes each ``<table>`` on its own) has its columns at other x in each part."""

    by_page: dict[int, list[tuple[float, Columns]]] = field(default_factory=dict)  # (top of the part, columns)

    def __bool__(self) -> bool:
        return bool(self.by_page)

    def get(self, band: Band) -> Columns | None:
        """The columns of the part the band stands in (the last part that begins above it)."""
        parts = self.by_page.get(band.page)
        if not parts:
            return None
        chosen = parts[0][1]
        for start, c in parts:
            if start <= band.top:
                chosen = c
        return chosen

    def left(self) -> dict[int, float]:
        """Per page, where the leftmost value column begins (tokens left of it are label text)."""
        return {p: min(c.spans[0][0] for _, c in parts) for p, parts in self.by_page.items()}


def _columns_of(full: Sequence[Band], n: int) -> Columns | None:
    """The column intervals fixed by bands that print all ``n`` columns (None: they cannot)."""
    full = _in_step(full, n)
    spans = []
    for k in range(n):
        xs0 = [b.values[k].bbox.x0 for b in full]
        xs1 = [b.values[k].bbox.x1 for b in full]
        spans.append((min(xs0), max(xs1)))
    centres = [(a + b) / 2 for a, b in spans]
    pitch = statistics.median(b - a for a, b in pairwise(centres)) if n > 1 else float("inf")
    # a column wider than the distance between columns holds a stray token (a label's
    # numbering "3." read apart from its text on a page of two rows): this page's bands cannot
    # fix the columns, another page's do. (A total wider than its parts is no such column.)
    sound = all(b - a <= 1.2 * pitch for a, b in spans)
    # nor does a gap between two neighbouring columns three pitches wide: the only band of a page
    # with a stroke in the label column read as a dash and one number lost is n tokens too, and
    # would fix its page's first column over the labels, every number then one column off (copier
    # seed 4532); without it the page takes the columns of the table's other pages
    sound = sound and all(b - a <= 3 * pitch for a, b in pairwise(centres))
    if not (sound and all(a[1] < b[0] for a, b in pairwise(spans))):
        return None
    # widen each interval to the gap's middle: a short number in a wide cell still lands
    mids = [(a[1] + b[0]) / 2 for a, b in pairwise(spans)]
    width = statistics.median(b - a for a, b in spans)
    edges = [spans[0][0] - width, *mids, spans[-1][1] + width]
    return Columns([(edges[k], edges[k + 1]) for k in range(n)])


def _in_step(full: Sequence[Band], n: int) -> Sequence[Band]:
    """The full bands whose every token stands within half a pitch of its column's usual centre,
    where they are most of three or more. On an unruled photographed page a group's first row
    prints its item's numbering "1．" apart from its text, and the row's first number runs into the
    label beside it: still ``n`` tokens, the first in the label column. On every page of the table
    such bands made the columns unsound, and with no columns the rows were placed by order: the
    numbering read into 自然人 of four rows, four false errors (hard scan seed 13807, 200 DPI)."""
    if len(full) < 3 or n < 2:
        return full
    centres = [statistics.median(b.values[k].bbox.cx for b in full) for k in range(n)]
    pitch = statistics.median(b - a for a, b in pairwise(centres))
    if pitch <= 0:
        return full
    kept = [b for b in full if all(abs(b.values[k].bbox.cx - centres[k]) <= pitch / 2 for k in range(n))]
    return kept if len(kept) >= 2 and len(kept) > len(full) / 2 else full


def _parts(full: Sequence[Band]) -> list[list[Band]]:
    """Full bands of one page, top to bottom, split where the columns jump: a band most of whose
    value centres stand more than a third of the column pitch away from the band above begins a
    part (a browser sizes every column of a table's second part anew; one token out of place is a
    stray, a label's "3." read apart, not a new part)."""
    parts: list[list[Band]] = []
    for b in sorted(full, key=lambda b: b.top):
        if parts:
            prev = [t.bbox.cx for t in parts[-1][-1].values]
            here = [t.bbox.cx for t in b.values]
            pitch = statistics.median(y - x for x, y in pairwise(prev)) if len(prev) > 1 else float("inf")
            moved = sum(1 for x, y in zip(prev, here, strict=True) if abs(x - y) > pitch / 3)
            if moved <= len(prev) / 2:
                parts[-1].append(b)
                continue
        parts.append([b])
    return parts


def _columns(bands: Sequence[Band], n: int) -> ColumnSets:
    """Per page (and per part of a page), the column intervals fixed by the bands that print all
    ``n`` columns."""
    by_page: dict[int, list[Band]] = {}
    for b in bands:
        if len(b.values) == n:
            by_page.setdefault(b.page, []).append(b)
    cols = ColumnSets()
    for page, full in by_page.items():
        # parts on text pages only: an OCR'd photo's rows lean and drift, and a jump between two of
        # its bands is a misread more often than a new part (seed 16 of the hard scans at 150 DPI)
        ocr = any(t.source == "ocr" for b in full for t in b.values)
        parts = [sorted(full, key=lambda b: b.top)] if ocr else _parts(full)
        for k, part in enumerate(parts):
            c = _columns_of(part, n)
            if c is None:
                continue
            # a part begins halfway between the last full band above it and its own first one
            start = float("-inf") if k == 0 else (parts[k - 1][-1].bottom + part[0].top) / 2
            cols.by_page.setdefault(page, []).append((start, c))
    pages = sorted({b.page for b in bands})
    last: list[tuple[float, Columns]] | None = None
    for p in pages:  # a continuation page without a full band takes the previous page's columns
        if p in cols.by_page:
            last = cols.by_page[p]
        elif last is not None:
            cols.by_page[p] = [(float("-inf"), last[-1][1])]
    first = next((cols.by_page[p] for p in pages if p in cols.by_page), None)
    for p in pages:
        if p not in cols.by_page and first is not None:
            cols.by_page[p] = [(float("-inf"), first[0][1])]
    return cols


# ------------------------------------------------------------------ rows


@lru_cache(maxsize=1024)
def _keys(label: Label) -> tuple[str, ...]:
    """The texts that identify a row: its specific words (the item), not its group's."""
    # "（六）其他处理 3.其他": the item after the group names the row
    main = label.label.rsplit(" ", 1)[1] if " " in label.label else label.label
    keys = tuple(norm(t) for t in (main, *label.aliases) if len(norm(t)) >= 2)
    return keys or (norm(label.label),)


def label_similarity(label: Label, text: str) -> float:
    return _similarity_norm(label, norm(text))


def _similarity_norm(label: Label, t: str) -> float:
    """label_similarity of an already normalised text."""
    if not t:
        return 0.0
    best = 0.0
    for k in _keys(label):
        cover = min(len(t), len(k)) / len(k)
        best = max(best, fuzz.partial_ratio(k, t) / 100 * cover)
    return best


def align(bands: Sequence[Band], rows: Sequence[Label]) -> list[tuple[int, int, float]]:
    """Monotone alignment of bands to template rows: (band, row, similarity) pairs.

    Assigning a band to a row earns 0.3 plus the label similarity; leaving a band or a row
    out costs 0.3. Bands in order with unreadable labels still align one-to-one when their
    count is right; a band whose label clearly names a later row jumps there.
    """
    m, n = len(bands), len(rows)
    texts = [norm(b.label_text) for b in bands]
    sim = [[_similarity_norm(r, t) for r in rows] for t in texts]
    neg = float("-inf")
    dp = [[neg] * (n + 1) for _ in range(m + 1)]
    back: list[list[tuple[int, int] | None]] = [[None] * (n + 1) for _ in range(m + 1)]
    dp[0][0] = 0.0
    skip = 0.3
    for i in range(m + 1):
        for j in range(n + 1):
            if i == 0 and j == 0:
                continue
            best, arg = neg, None
            if i > 0 and j > 0 and dp[i - 1][j - 1] > neg:
                v = dp[i - 1][j - 1] + 0.3 + sim[i - 1][j - 1]
                if v > best:
                    best, arg = v, (i - 1, j - 1)
            if i > 0 and dp[i - 1][j] - skip > best:
                best, arg = dp[i - 1][j] - skip, (i - 1, j)
            if j > 0 and dp[i][j - 1] - skip > best:
                best, arg = dp[i][j - 1] - skip, (i, j - 1)
            dp[i][j], back[i][j] = best, arg
    pairs: list[tuple[int, int, float]] = []
    i, j = m, n
    while (i, j) != (0, 0):
        prev = back[i][j]
        assert prev is not None
        if prev == (i - 1, j - 1):
            pairs.append((i - 1, j - 1, sim[i - 1][j - 1]))
        i, j = prev
    return pairs[::-1]


# ------------------------------------------------------------------ readers


def _value(table: str, row: str, col: str, tok: Token, settings: Settings) -> Value:
    prov = Provenance(
        source=tok.source,  # type: ignore[arg-type]
        raw=tok.text,
        page=tok.page,
        bbox=tok.bbox,
        confidence=tok.confidence,
        locator="anchored",
        doubt=tok.doubt,
    )
    v = value_of(table, row, col, prov, settings)
    if tok.note:
        v.note = f"{v.note}; {tok.note}" if v.note else tok.note
    return v


def read_rows(lines: Lines, tpl: Template, settings: Settings) -> Anchored:
    """Table 三 (and any table of rows × columns) anchored on its template rows."""
    out = Anchored(tpl)
    n = len(tpl.cols)
    found, cols = bands_of(lines, n, tpl.rows)
    bands = [b for b in found if len(b.values) <= n + 1]
    if not bands:
        return out
    pairs = align(bands, tpl.rows)
    in_order = len(pairs) == len(bands) == len(tpl.rows)
    # a label that does not say which row it is is taken only where order alone says it: the
    # whole table in order, or a run of bands between two named rows as long as the rows between them
    named = [(bi, ri, sim) for bi, ri, sim in pairs if sim >= 0.6 or in_order or bands[bi].row == tpl.rows[ri].code]
    taken = sorted(named + _between(named, bands, n))
    read = {bi for bi, _, _ in taken}
    # a row printing nothing beside a line of numbers that is no row's: the numbers may be its, the
    # label's first line parted from the rest by a page's repeated header (fuzz seed 24455)
    taken = [(bi, ri, sim) for bi, ri, sim in taken if bands[bi].values or not _orphan_beside(bands, bi, read)]
    for bi, ri, sim in taken:
        band, row = bands[bi], tpl.rows[ri]
        c = cols.get(band)
        placed = c.place(band.values) if c is not None else (list(band.values) if len(band.values) == n else None)
        if placed is None or (c is not None and not c.fits(placed)):
            continue
        out.rows.add(row.code)
        out.score += sim
        if sim >= 0.6:
            out.by_label.add(row.code)
        # a text layer prints a word for every number: a column the band leaves empty is printed
        # blank (a ruled table's empty cell is read so too); OCR may have missed a number there
        blank = band.text_layer and c is not None and len(band.values) < n
        for k, (col, tok) in enumerate(zip(tpl.cols, placed, strict=True)):
            if tok is not None:
                out.values[(row.code, col.code)] = _value(tpl.table, row.code, col.code, tok, settings)
            elif blank and c is not None:
                x0, x1 = c.spans[k]
                slot = Token("", BBox(x0, band.top, x1, band.bottom), band.page, "text", 1.0)
                out.values[(row.code, col.code)] = _value(tpl.table, row.code, col.code, slot, settings)
    return out


def _orphan_beside(bands: Sequence[Band], bi: int, read: set[int]) -> bool:
    """Whether a band next to band ``bi`` on its page holds numbers no row was given."""
    return any(
        0 <= k < len(bands) and k not in read and bands[k].values and bands[k].page == bands[bi].page
        for k in (bi - 1, bi + 1)
    )


def _between(named: Sequence[tuple[int, int, float]], bands: Sequence[Band], n: int) -> list[tuple[int, int, float]]:
    """Bands between two named rows whose count equals the count of template rows between them,
    every one printing a row of numbers (one may be unread): row k of the gap is band k. (An OCR'd
    label garbled past recognition under a seal or a vertical group label still has its place.)"""
    out: list[tuple[int, int, float]] = []
    anchors = sorted(named)
    for (b0, r0, _), (b1, r1, _) in pairwise(anchors):
        if b1 - b0 != r1 - r0 or b1 - b0 < 2:
            continue
        gap = bands[b0 + 1 : b1]
        if all(len(b.values) >= n - 1 for b in gap):
            out.extend((b0 + k, r0 + k, 0.0) for k in range(1, b1 - b0))
    return out


def _pitch(values: Sequence[Token]) -> tuple[list[float], list[float], float] | None:
    """The numbers' centres, the gaps between them and their median: None under three gaps."""
    xs = [t.bbox.cx for t in values]
    gaps = [b - a for a, b in pairwise(xs)]
    return (xs, gaps, statistics.median(gaps)) if len(gaps) >= 3 else None


def _one_gap(values: Sequence[Token]) -> list[Token | None] | None:
    """A band of evenly spaced numbers with one missing inside it (a cell OCR could not read):
    the tokens with a hole where one gap between centres is twice the others. None when the gaps
    do not say so plainly (uneven columns, or the missing one at either end)."""
    pitch = _pitch(values)
    if pitch is None:
        return None
    _, gaps, step = pitch
    wide = [k for k, g in enumerate(gaps) if g > 1.4 * step]
    if len(wide) != 1 or not 1.7 * step <= gaps[wide[0]] <= 2.3 * step:
        return None
    if any(not 0.75 * step <= g <= 1.3 * step for k, g in enumerate(gaps) if k != wide[0]):
        return None
    out: list[Token | None] = list(values)
    out.insert(wide[0] + 1, None)
    return out


def _end_gap(band: Band) -> list[Token | None] | None:
    """A band of evenly spaced numbers one short, where a glyph or two that are no number stand one
    step past its first or last (a 4 at 150 DPI read 'L': copier seed 7710, table 四's one band a
    number short and the table lost): the tokens with a hole there. None when the gaps are uneven
    or nothing stands there."""
    pitch = _pitch(band.values)
    if pitch is None:
        return None
    xs, gaps, step = pitch
    if any(not 0.75 * step <= g <= 1.3 * step for g in gaps):
        return None
    # a label fragment keeps its left edge only: a glyph's centre is a few points right of it
    junk = [x0 for x0, text in band.label if 0 < len(text.strip()) <= 2]
    out: list[Token | None] = list(band.values)
    if any(abs(x0 - (xs[-1] + step)) <= 0.5 * step for x0 in junk):
        return [*out, None]
    if any(abs(x0 - (xs[0] - step)) <= 0.5 * step for x0 in junk):
        return [None, *out]
    return None


def read_t4(lines: Lines, tpl: Template, settings: Settings) -> Anchored:
    """Table 四: one band of 3 × 5 numbers (blocks × measures), in the format's order."""
    out = Anchored(tpl)
    n = len(tpl.rows) * len(tpl.cols)
    bands = _bands(lines)
    full: list[list[Token | None]] = [list(b.values) for b in bands if len(b.values) == n]
    slots: list[Token] = []  # the blank slots of a short band, in the format's order
    short = [b for b in bands if 0 < len(b.values) < n]
    if not full and len(short) == 1 and short[0].text_layer:
        # a text layer's band of fewer numbers, its zeros printed as nothing: placed under the
        # header's fifteen leaves; an empty column is printed blank
        b = short[0]
        header = _leaf_columns(lines, b, tpl)
        placed = header.place(b.values) if header is not None else None
        if header is not None and placed is not None and _centred(header, placed):
            full = [placed]
            slots = [Token("", BBox(x0, b.top, x1, b.bottom), b.page, "text", 1.0) for x0, x1 in header.spans]
    if not full:
        # one number unread (OCR) where the gaps say: its cell is left unread, not blank
        full = [t for b in bands if len(b.values) == n - 1 and (t := _one_gap(b.values) or _end_gap(b)) is not None]
    if len(full) != 1:
        return out  # none, or several candidates: nothing to anchor on
    toks = iter(full[0])
    blanks = iter(slots)
    for row in tpl.rows:
        out.rows.add(row.code)
        for col in tpl.cols:
            tok = next(toks)
            slot = next(blanks, None)
            tok = tok if tok is not None else slot
            if tok is not None:
                out.values[(row.code, col.code)] = _value(tpl.table, row.code, col.code, tok, settings)
    out.score = float(len(tpl.rows))
    return out


def _leaf_columns(lines: Lines, band: Band, tpl: Template) -> Columns | None:
    """Table 四's value columns from its header: above the band on its page, the words that are
    pieces of the measures' labels (结果维持 … 总计; a label wrapped in a narrow column is two
    words one over the other, joined), which must read the measures in the format's order once
    per block. Each column reaches half way to the next; the band's numbers are placed by their
    centres (a number right-aligned in a wide cell stands right of its centred header)."""
    leaves = {norm(t) for c in tpl.cols for t in c.texts}
    pieces = [
        t
        for page, toks in lines
        if page == band.page
        for t in toks
        if t.bbox.bottom <= band.top + 0.5 and norm(t.text) and any(norm(t.text) in leaf for leaf in leaves)
    ]
    clusters: list[list[Token]] = []
    for t in sorted(pieces, key=lambda t: t.bbox.x0):
        if clusters and t.bbox.x0 < max(u.bbox.x1 for u in clusters[-1]) - 1:
            clusters[-1].append(t)
        else:
            clusters.append([t])
    codes = []
    for cl in clusters:
        text = norm("".join(t.text for t in sorted(cl, key=lambda t: t.bbox.top)))
        code = next((c.code for c in tpl.cols if text in {norm(x) for x in c.texts}), None)
        codes.append(code)
    if codes != [c.code for c in tpl.cols] * len(tpl.rows):
        return None
    centres = [statistics.fmean(t.bbox.cx for t in cl) for cl in clusters]
    mids = [(a + b) / 2 for a, b in pairwise(centres)]
    pitch = statistics.median(b - a for a, b in pairwise(centres))
    edges = [centres[0] - pitch / 2, *mids, centres[-1] + pitch / 2]
    return Columns([(edges[k], edges[k + 1]) for k in range(len(centres))])


def _centred(cols: Columns, placed: Sequence[Token | None]) -> bool:
    """Every number's centre inside its column, and its box reaching no further than a quarter of
    a column into the next (a number wider than its column is two cells' digits run together)."""
    for (a, b), t in zip(cols.spans, placed, strict=True):
        if t is None:
            continue
        reach = (b - a) / 4
        if not (a <= t.bbox.cx <= b and t.bbox.x0 >= a - reach and t.bbox.x1 <= b + reach):
            return False
    return True


def read_t2(lines: Lines, tpl: Template, settings: Settings) -> Anchored:
    """Table 二: each band's label names one row of one block; its numbers are that block's columns."""
    out = Anchored(tpl)
    rows = [(blk, r) for blk in tpl.blocks for r in blk.rows]
    for band in _bands(lines):
        text = norm(band.label_text)
        if not text:
            continue
        scored = sorted((label_similarity(r, text), k) for k, (_, r) in enumerate(rows))
        best, k = scored[-1]
        runner = max((s for s, j in scored if j != k), default=0.0)
        blk, row = rows[k]
        if best < 0.8 or best - runner < 0.15 or len(band.values) != len(blk.cols) or row.code in out.rows:
            continue
        out.rows.add(row.code)
        out.score += best
        for col, tok in zip(blk.cols, band.values, strict=True):
            out.values[(row.code, col.code)] = _value(tpl.table, row.code, col.code, tok, settings)
    return out


READERS = {"t2": read_t2, "t3": read_rows, "t4": read_t4}
