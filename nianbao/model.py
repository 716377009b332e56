"""The document model: one result object that every stage takes and returns.

Coordinate convention (the only one in the project): boxes are in PDF points
(1/72 inch) with the origin at the top-left corner of the page and y growing
downwards — the convention pdfplumber uses. Renderers and OCR engines that work
in pixels or bottom-left points convert at their boundary, never downstream.

Inputs without pages (HTML, Word, text dumps) leave ``page``/``bbox`` empty and
say where a value came from in ``Provenance.locator`` instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal

# where a value was read; "manual": set by a correction (`nianbao extract --corrections`)
Source = Literal["text", "ocr", "html", "docx", "txt", "manual"]


class Status(StrEnum):
    OK = "ok"
    PARTIAL = "partial"
    FAILED = "failed"


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class BBox:
    """A box in PDF points, top-left origin (see module docstring)."""

    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.bottom - self.top

    def union(self, other: BBox) -> BBox:
        return BBox(
            min(self.x0, other.x0),
            min(self.top, other.top),
            max(self.x1, other.x1),
            max(self.bottom, other.bottom),
        )

    def contains_point(self, x: float, y: float, tol: float = 0.0) -> bool:
        return self.x0 - tol <= x <= self.x1 + tol and self.top - tol <= y <= self.bottom + tol

    def rounded(self) -> list[float]:
        return [round(self.x0, 2), round(self.top, 2), round(self.x1, 2), round(self.bottom, 2)]

    @staticmethod
    def enclosing(boxes: list[BBox]) -> BBox:
        out = boxes[0]
        for b in boxes[1:]:
            out = out.union(b)
        return out


@dataclass(slots=True)
class Provenance:
    """Where a value was read: page and box, or a locator for page-less inputs."""

    source: Source
    raw: str
    page: int | None = None  # 1-based
    bbox: BBox | None = None
    confidence: float = 1.0  # the recogniser's own score (1.0 for a text layer)
    locator: str | None = None
    # why the reading is doubted whatever its score (a code of DOUBTS); it counts for less
    # (nianbao.settings.OcrPolicy.counts_for), is reported and read again
    doubt: str | None = None


# the locator of a value read where its row and column cross after no reader found it
# (checks/ocr_recover.py): it takes part in the sums, to find an error there, but confirms none of
# the cells beside it (read in the band the row's other values gave, it agrees with them even where
# that band is another row's)
RECOVERED = "recovered"


# What an OCR reading can be doubted for, beside its score: the extractors and readers say so
# where they change what the recogniser read, and the reading is reviewed.
DOUBTS: dict[str, str] = {
    "round_zero": "a lone round glyph read as 0",
    "speck_point": "a point with no dot on the baseline, dropped",
    "leading_dash": "a minus the ink shows and the recogniser dropped",
    "speck_dash": "a dash the ink shows left of a count, which is never negative, dropped",
    "speck_tail": "a speck read after the number, dropped",
    "speck_head": "a speck read as a point before a whole number, dropped",
    "glued_label": "digits cut off the label they were read with",
    "marks_restored": "a point or minus restored by re-reading",
    "letters_beside": "letters or strokes read beside the digits",
    "leading_zero": "a whole number read with a leading zero",
    "run_together": "two numbers read as one (far more digits than its column's other counts)",
    "point_gap": "a gap before the last digits where a decimal point may have stood",
    "rule_lost": "blank in a value cell merged with the next row's: the rule between them was lost",
}


@dataclass(slots=True)
class Word:
    text: str
    bbox: BBox
    source: Source = "text"
    confidence: float = 1.0
    doubt: str | None = None  # see DOUBTS


# The text of a cell of a text dump's grid (source "txt") that the one-line reader could not read
# and has already named in a finding (digits run together that split several valid ways): it keeps
# the cell's place in its row, and no value is made from it. In any other grid "?" is what it is:
# a cell that is not a number (value.unreadable).
UNREAD_MARK = "?"


@dataclass(slots=True, eq=False)  # identity: a merged cell is one object at many positions
class Cell:
    """One cell of a table grid; a merged cell has a span > 1 and appears once."""

    row: int
    col: int
    text: str
    bbox: BBox | None = None
    rowspan: int = 1
    colspan: int = 1
    confidence: float = 1.0
    doubt: str | None = None  # see DOUBTS: one of its words was doubted


@dataclass(slots=True)
class TableGrid:
    """A table as printed: cells on a grid of rows and columns, spans kept."""

    index: int  # order of the table in the document
    page: int | None
    n_rows: int
    n_cols: int
    cells: list[Cell]
    bbox: BBox | None = None
    method: str = "ruled"  # ruled | hrules | aligned | html | docx | txt
    source: Source = "text"
    col_centers: list[float] = field(default_factory=list)
    kind: str | None = None  # t2 | t3 | t4 | None (not a format table)
    kind_score: float = 0.0
    order: float = 0.0  # reading order, as TextLine.order

    def covering(self, row: int, col: int) -> Cell | None:
        """The cell (merged or not) that covers grid position (row, col)."""
        for c in self.cells:
            if c.row <= row < c.row + c.rowspan and c.col <= col < c.col + c.colspan:
                return c
        return None

    def matrix(self) -> list[list[Cell | None]]:
        """Row-major matrix where every position points at its covering cell."""
        m: list[list[Cell | None]] = [[None] * self.n_cols for _ in range(self.n_rows)]
        for c in self.cells:
            for r in range(c.row, min(c.row + c.rowspan, self.n_rows)):
                for k in range(c.col, min(c.col + c.colspan, self.n_cols)):
                    m[r][k] = c
        return m


@dataclass(slots=True)
class TextLine:
    """A line of text outside tables. Page-less inputs leave page/bbox empty."""

    text: str
    bbox: BBox | None
    page: int | None
    order: float = 0.0  # reading order within the page (or the file): top for PDFs, line index otherwise


@dataclass(slots=True)
class Page:
    number: int  # 1-based
    width: float
    height: float
    route: str = "text"  # text | ocr | none
    needs_ocr: bool = False
    reason: str | None = None
    lines: list[TextLine] = field(default_factory=list)
    # everything printed on the page, positioned: glyphs on the text route, recognised words on the
    # OCR route; for readers that work from positions alone (normalizers/anchored.py)
    words: list[Word] = field(default_factory=list)
    # vertical ruling lines of a text page, (x, top, bottom): two glyphs either side of one are
    # two words, however close (a browser's narrow columns put 113 and 271 a hair apart)
    vrules: list[tuple[float, float, float]] = field(default_factory=list)
    # horizontal ruling lines of a text page, (y, x0, x1): a number wrapped inside its cell has no
    # rule between its lines, two rows have one
    hrules: list[tuple[float, float, float]] = field(default_factory=list)
    has_table: bool = False
    doubled_glyphs: int = 0
    rotation: int = 0  # degrees an OCR'd page was turned to read it
    skew: float = 0.0  # degrees an OCR'd page was levelled by
    # the prepared (upright, levelled) grey image of an OCR'd page holding a format table, kept
    # only until failed sums are re-read (checks/ocr_verify.py); never written or pickled back
    image: Any = field(default=None, repr=False, compare=False)
    image_dpi: float = 0.0
    # where a seal's red ink lay on that image (255), None where it had none: a cell under a
    # seal is read again, but its re-readings see the same seal-scarred digits
    seal: Any = field(default=None, repr=False, compare=False)
    # that image's plain luminance, before the seal was taken out (only where there was one):
    # black ink under a seal is black there, the seal's ink only grey, so the digits can be read
    # once more apart from what the seal's removal left of them
    luma: Any = field(default=None, repr=False, compare=False)


@dataclass(slots=True)
class Value:
    """One canonical cell: (table, row, col) codes from the spec, value and provenance."""

    table: str
    row: str
    col: str
    value: float | int | None
    prov: Provenance
    note: str | None = None
    blank: bool = False  # printed blank / dash / 无: value 0 by the format's meaning
    # what besides its one reading says it is right: identity | readers | both | manual | none
    # (checks/confirmed.py); None while it is not decided, and for a cell not read
    confirmed_by: str | None = None


@dataclass(slots=True)
class Record:
    """One row of an embedded-table dataset: project_progress, review_log or scores."""

    dataset: str
    fields: dict[str, object]  # canonical field -> value (numbers normalised, dates ISO)
    prov: dict[str, Provenance]  # canonical field -> where its value was printed
    table: int  # index of the grid it was read from
    row: int  # grid row
    mapping: str | None = None  # how the columns were mapped (labels, relations)


@dataclass(slots=True)
class Fact:
    """A count stated in prose: 主动公开政府信息176条 → 176, 条, 主动公开政府信息."""

    number: float
    unit: str
    counts: str  # what is counted, as printed before the number (主动公开政府信息)
    after: str  # the words right after the unit (家企业负责人 → 企业负责人)
    sentence: str
    prov: Provenance
    topic: str | None = None  # a known quantity the fact states (see normalizers.facts.TOPICS)


@dataclass(slots=True)
class CellRef:
    table: str
    row: str
    col: str
    page: int | None = None
    bbox: BBox | None = None

    @property
    def key(self) -> str:
        return f"{self.table}.{self.row}.{self.col}"


@dataclass(frozen=True, slots=True)
class Correction:
    """A cell read off the page by a person (an auditor, a researcher who asked the agency): its value
    replaces the reading, the printed text is kept, and the rules run on it."""

    table: str
    row: str
    col: str
    value: float | int
    note: str = ""
    line: int = 0  # the line of the corrections file it came from

    @property
    def key(self) -> str:
        return f"{self.table}.{self.row}.{self.col}"


@dataclass(slots=True)
class Finding:
    rule: str
    severity: Severity
    message: str
    table: str | None = None
    cells: list[CellRef] = field(default_factory=list)
    expected: str | None = None
    printed: str | None = None
    page: int | None = None
    bbox: BBox | None = None
    # what the finding is about, stable across runs: a column, a row or a cell key
    subject: str | None = None
    message_zh: str | None = None  # the message in Chinese, in the form's own words
    group: str | None = None  # the subject of a finding this one is part of (a blank 总计 column)


@dataclass(slots=True)
class Metadata:
    title: str | None = None
    body: str | None = None
    level: str | None = None
    region: str | None = None
    year: int | None = None
    format: str | None = None  # "2021" | "2019" | "unsupported"
    # who published the page (a portal's 发布机构): not always the body the report is of
    publisher: str | None = None


@dataclass(slots=True)
class DocumentResult:
    """The one object that flows through every stage of the pipeline."""

    doc_id: str
    path: str
    sha256: str
    kind: str  # pdf | ofd | image | html | docx | legacy_word | txt
    status: Status = Status.OK
    error: str | None = None
    pages: list[Page] = field(default_factory=list)
    lines: list[TextLine] = field(default_factory=list)  # text of page-less inputs (HTML, Word, text)
    tables: list[TableGrid] = field(default_factory=list)
    values: list[Value] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    table_formats: dict[str, str] = field(default_factory=dict)
    # which readers produced each format table: grid+anchored | grid | anchored
    table_readers: dict[str, str] = field(default_factory=dict)
    metadata: Metadata = field(default_factory=Metadata)
    # where the issuing body was read: title | opening | portal | filename | manifest (None: not found)
    metadata_source: str | None = None
    duplicate_of: str | None = None  # doc_id of the same report read earlier in another format
    url: str | None = None  # where the filing was published (from a manifest)
    run_key: str = ""  # nianbao version and settings it was read with (a resumed run skips equal ones)
    findings: list[Finding] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def n_pages(self) -> int:
        return len(self.pages)

    def text_lines(self) -> list[TextLine]:
        """Every text line outside tables, in reading order."""
        out = [ln for p in self.pages for ln in p.lines] + self.lines
        return sorted(out, key=lambda ln: (ln.page or 0, ln.order))

    def value(self, table: str, row: str, col: str) -> Value | None:
        for v in self.values:
            if v.table == table and v.row == row and v.col == col:
                return v
        return None

    def has_errors(self) -> bool:
        return any(f.severity is Severity.ERROR for f in self.findings)
