"""A rule finding on a scan rests on readings that agree, never on one OCR pass.

When an arithmetic rule fails on a table read by OCR, every OCR'd cell the failed rules
name is read again from the page image: first a binarised crop of the cell's own ink, then,
only where that reading and the first disagree or neither is confident, a wider crop with
its contrast stretched. Ruling lines inside the crop are turned to the paper first, so that a
rule is never read as a 1. Then, per table:

* a cell is **confirmed** when its readings give one value and one of them at least has the
  recogniser's confidence;
* the fewest (one or two) doubtful cells whose re-readings restore every failed sum of the
  table (no new failure) are the explanation, when they are the only one. A cell whose two
  re-readings agree on the new value takes it, with an ``ocr.reread_value`` finding naming
  all its readings; otherwise the re-reading is reported as ``ocr.suggested_value`` and the
  failed sums become ``ocr.suspect_sum`` (see :func:`checks.registry.suspect_sums`);
* a failed sum with a cell whose readings give two different numbers, or that several
  readings could restore, or whose first reading is unsure (:meth:`Readings.unsure`: under a
  seal, the re-readings see the same scar, unless the black ink alone, read from the page's
  luminance where the seal is only grey, reads the same), becomes ``ocr.unconfirmed_sum`` (a
  warning naming those cells and every reading);
* under a seal the black ink is read for every cell of a failed sum: it never doubts a reading,
  but a sure black-ink number that makes a sum hold (breaking none) is a candidate like a
  re-reading, and a sum it alone restores is unconfirmed (:func:`_look_restores`); so are the
  digits the recogniser scored next to those it read (RapidOCR, ``OcrPolicy.runner_up``), and
  under a seal the number a failed sum needs where it is the reading with one digit more (a digit
  the seal's ink hid from every look, :attr:`Readings.hidden`);
* a failed sum whose doubted cells were each read surely by every look, the looks disagreeing,
  stays an error where no number read or offered there makes it hold (:func:`_fails_every_reading`);
* any other stays an error, and its message says it was re-read.

A suggestion the checks made from a low confidence alone is tested first: where the cells it
doubts read the same again, the sums are errors again (:func:`refute_suggestions`). A value
outside its column's domain is settled the same way as a sum (:func:`out_of_domain`); the cells
no sum holds (table 二) are read twice on every OCR'd filing (:func:`unsummed`), and named on a page
whose own sums show its OCR misreads (:func:`untrusted_pages`); amounts and
增/减 looked at again for a point or a minus (:func:`restore_marks`). Other re-reading costs only
where a sum fails on an OCR'd table; page images (and where seals lay on them) are kept until
this stage for the pages that hold a format table, then dropped.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from nianbao.catalogue import finding, recoded
from nianbao.checks.base import Cells, printed_blank, ref
from nianbao.checks.cell_ink import PageImage, black_ink, crops_of, holds_ink, line_ink, off_one_line, own_ink, variants
from nianbao.checks.confirmed import sum_inputs
from nianbao.checks.decisions import Decisions, ValueChange, overlaid
from nianbao.checks.ocr_recover import cell_box, placed
from nianbao.checks.ocr_repair import candidates_from, error_findings
from nianbao.checks.registry import format_identities, identity_of, needed_blanks, suspect_sums
from nianbao.checks.rules import ValueDomain, domain_problem
from nianbao.extractors.ocr import leading_dash, point_position
from nianbao.form.identities import SUM_RULE_CODES, Identity, checked_cells, identities, template_of
from nianbao.form.templates import MONEY_COLS, SIGNED_COLS
from nianbao.model import RECOVERED, BBox, DocumentResult, Finding, Severity, Value
from nianbao.normalizers.anchored import SPECK_MARKS
from nianbao.normalizers.numbers import BLANK_FORMS
from nianbao.normalizers.readout import value_of
from nianbao.settings import OcrPolicy, Settings

MAX_COMBINATIONS = 256
Overlay = dict[int, float | int]  # values decided but not yet applied, by the id of their Value
# the thresholds readings are judged by: Settings.ocr_policy (nianbao.settings.OcrPolicy)
FIRST, BINARISED, WIDER, DARK = "first reading", "binarised crop", "wider crop", "black ink under the seal"
ZH = {FIRST: "首次识别", BINARISED: "二值化重读", WIDER: "扩大裁切重读", DARK: "印章下黑色墨迹重读"}


@dataclass(frozen=True, slots=True)
class Reading:
    """One reading of a cell: how it was read, the text, the recogniser's confidence, the number."""

    how: str
    text: str
    confidence: float
    value: float | int | None


_DIGITS = re.compile(r"^\d+$")


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


@dataclass(slots=True)
class Readings:
    """The readings of one cell: the first pass's, then the re-readings."""

    value: Value
    reads: list[Reading] = field(default_factory=list)
    sealed: bool = False  # red ink lay over the cell
    # the reading of the black ink alone, under a seal (see black_ink): it can confirm a first
    # reading, or offer a number that restores a failed sum, never doubt one otherwise (it loses a
    # thin stroke now and then: of 2,102 cells under seals read right in 100 hard scans at 150 DPI
    # its sure reading gave another number for 42; it agreed with none of the 61 read as a wrong number)
    dark: Reading | None = None
    policy: OcrPolicy = field(default_factory=OcrPolicy)
    # what the failed sums make of a cell read as no count can be ('33' read '3.1' at 0.99, and so
    # again by every crop of the same ink): the one reading the form says is not what was printed
    # offers the values its sums need as candidates too (they must still restore every failed sum)
    derived: list[float | int] = field(default_factory=list)
    # numbers one digit away from a re-reading that the recogniser scored next to the digit it read
    # (OcrPolicy.runner_up): candidates for the failed sums, like the other looks' numbers
    runner_up: list[float | int] = field(default_factory=list)
    # under a seal, the number a failed sum needs where it is the reading with one digit more: a
    # digit the seal's ink hid from every look ("260" read "60" by every crop and by the black ink
    # alone, the 2 under the ring; two sums failed by 200, an error against a balanced filing:
    # copier seed 6238 at 200 DPI). A candidate like the others, never a value on its own
    hidden: list[float | int] = field(default_factory=list)
    # the number both crops of the cell's whole extent (its row's band, its column's extent: as a
    # lost cell is looked for, checks/ocr_recover.py) read surely, where it is the reading with one
    # digit more: the box the first pass gave cut a digit off ("943" read "94" by every crop of
    # that box, its 3 outside it; a false error: copier seed 6442 at 200 DPI). A candidate
    whole: list[float | int] = field(default_factory=list)
    # read as printed blank, but the cell holds ink a digit's size (cell_ink.holds_ink): its
    # re-readings, which read nothing again, confirm no blank
    inked: bool = False
    # the ink read stands on two lines (cell_ink.off_one_line): a stray mark was read as a digit,
    # by every look alike
    off_line: bool = False
    # read as a blank mark ('/', '—') whose box is taller than the page's type (:func:`tall_marks`):
    # a stroke from elsewhere, not a printed mark; re-readings that read nothing confirm no blank
    stroke: bool = False

    @property
    def key(self) -> str:
        return ref(self.value).key

    @property
    def values(self) -> list[float | int | None]:
        return [r.value for r in self.reads]

    @property
    def numbers(self) -> set[float | int]:
        """The numbers its looks read (a look that read none says nothing)."""
        return {v for v in self.values if v is not None}

    def confirmed(self, min_confidence: float) -> bool:
        """Two readings at least, one value, one of them confident."""
        vals = self.values
        return (
            len(vals) >= 2
            and vals[0] is not None
            and all(v == vals[0] for v in vals)
            and max(r.confidence for r in self.reads) >= min_confidence
        )

    def read_again(self, min_confidence: float) -> bool:
        """Away from seals, the first reading's number read again by a re-reading and by no look
        another number, one of them confident: a look that read no number says nothing. A planted 6
        first read at 0.48, the binarised crop "6" at 0.94, the wider crop "B" at 0.50: the reading
        the suggestion supposed wrong was read again, and the error stands (copier seed 7300 at 200
        DPI: it was lost as a suggestion). Under a seal every look must read it (:meth:`confirmed`)."""
        if self.sealed:
            return self.confirmed(min_confidence)
        first = self.values[0]
        same = [r for r in self.reads if r.value is not None and r.value == first]
        return (
            first is not None
            and self.numbers == {first}
            and len(same) >= 2
            and max(r.confidence for r in same) >= min_confidence
        )

    def disagree(self) -> bool:
        """Readings that give two different numbers (a failed read, '' or '。', says nothing), unless
        away from seals the first reading's number is read surely by two looks and every other
        number only unsurely ('7' read at 1.00 by the first pass and the wider crop, '1' at 0.79 by
        the binarised crop, which thinned the 7's bar away). Of 7,926 cells re-read in 196 hard
        scans with a planted error each (seeds 11000-11195, 150-300 DPI), 5 such cells away from
        seals were all read right; under seals, one of 4 was wrong (1385 read 1345 twice): there
        the dissent still counts."""
        numbers = self.numbers
        if len(numbers) <= 1:
            return False
        first = self.reads[0]
        if self.sealed:
            # ... unless every other number is a guess (under ``agreed``) against the first
            # reading's read surely, then again by a crop and by the black ink alone, the look
            # apart from the seal: a planted 4 read so by three looks, '1' at 0.27 by the binarised
            # crop, was lost as "readings disagree" (hard seed 15001 at 200 DPI)
            guesses = all(r.confidence < self.policy.agreed for r in self.reads if r.value not in (None, first.value))
            again = any(r.value == first.value and r.confidence >= self.policy.sure for r in self.reads[1:])
            surely = first.value is not None and first.confidence >= self.policy.sure
            return not (surely and guesses and again and self.sure_dark() == first.value)
        sure = [r for r in self.reads if r.value == first.value and r.confidence >= self.policy.sure]
        others = [r for r in self.reads if r.value is not None and r.value != first.value]
        return not (first.value is not None and len(sure) >= 2 and all(r.confidence < self.policy.sure for r in others))

    def unread(self) -> bool:
        """Re-read, and no re-reading gave a number: the first reading stands alone (a digit half
        erased under a seal that the first pass took for a blank mark '/' re-reads as a dot),
        unless the black ink under the seal reads it (a ring's stroke through a 0 reads "p")."""
        return len(self.reads) >= 2 and all(v is None for v in self.values[1:]) and not self.black_ink_agrees()

    def not_reread(self) -> bool:
        """Its first reading is all there is: no image of its page was kept to read it again, so
        nothing confirms it (copier seed 4836: an error rested on a 6 read 8 on such a page)."""
        return len(self.reads) < 2 and self.dark is None

    def hesitant(self) -> bool:
        """First read under 0.75 (a speck beside a digit, a seal's stroke)."""
        return self.reads[0].confidence < self.policy.unsure

    def unsure(self) -> bool:
        """Away from seals: first read under 0.75, and not re-read twice the same way, once surely
        and once at 0.75 at least. Under a seal: first read under 0.95, or not read the same at 0.9
        by a re-reading, and not read the same with confidence from the black ink alone. Under a
        seal what the recogniser hesitated over (a stroke beside a 0 read as "10", what the seal's
        removal left of a 0 read as "1") its re-readings of the same seal-scarred image read the
        same way, so they cannot confirm it; the page's luminance, where the seal is grey and the
        digits black, can. Elsewhere the re-readings of the cell's own ink can."""
        if self.value.prov.doubt in ("run_together", "glued_label"):
            # the same glued crop reads the same glued number again, and a crop cut off the label
            # cannot give back a digit the cut took ("34" for 934, its 9 read into the label): they
            # confirm nothing (of 5 such cells re-read in 196 hard scans, 3 were wrong)
            return True
        if self.sealed:
            if self.black_ink_longer() or self.black_ink_conflicts():
                return True
            if self.black_ink_agrees():
                return False
            # a black ink that reads no digit doubts nothing either: it told a ring through an 8
            # whose rest every crop read "3" surely ('r' at 0.35, copier seed 5751, a false error)
            # no better than a right "190" under a photographed seal ('いう' at 0.39, hard seed
            # 14304: its planted error was lost when it doubted), the seal's share of both boxes 0.5
            # the first pass's own confidence says little where the seal's removal took strokes
            # away ("158" read "18" at 0.95, the binarised crop "18" at 0.48): a re-reading must
            # read it surely too
            first = self.reads[0]
            return first.confidence < self.policy.sealed_sure or not any(
                r.confidence >= self.policy.sure and r.value == first.value for r in self.reads[1:]
            )
        if not self.hesitant():
            return False
        if len(self.reads) < 3:
            return True
        # the binarised crop is cut to the digits' line, the wider one keeps the specks that made
        # the first pass hesitate: one sure re-reading of the same number, and no look reading
        # another (in 109 cells first read under 0.75 away from seals, all read right, 22 failed
        # two at 0.9; of 7,926 cells re-read in 196 hard scans, seeds 11000-11195, the 2 more this
        # lets through, whose other re-reading was itself hesitant or read no number, were right)
        # A reading the first pass doubted (a speck dropped, a round glyph taken for 0, letters
        # beside the digits) keeps the stricter rule: both re-readings, one sure, neither hesitant
        number = self.reads[0].value
        numbers = self.numbers
        rereads = sorted(r.confidence for r in self.reads[1:])
        if (
            number is not None
            and set(self.values) == {number}
            and min(r.confidence for r in self.reads) >= self.policy.agreed
        ):
            # three looks, one number, none of them a guess: a lone 0 on a grey copy reads at
            # 0.56, 0.82 and 0.78 (copier seed 3600: the planted error beside it was not reported)
            return False
        if self.value.prov.doubt is not None:
            return not (
                len(set(self.values)) == 1 and rereads[-1] >= self.policy.sure and rereads[0] >= self.policy.unsure
            )
        return not (
            number is not None
            and numbers == {number}
            and any(r.confidence >= self.policy.sure and r.value == number for r in self.reads[1:])
        )

    def black_ink_agrees(self) -> bool:
        """The black ink alone under a seal reads the first reading's number with confidence, and
        no reading gives another number (the seal-scarred crops may give none: "0" read "p")."""
        first = self.reads[0].value
        return first is not None and not self.disagree() and self.sure_dark() == first

    def sure_dark(self) -> float | int | None:
        """The number the black ink under a seal reads with confidence, if any."""
        return self.dark.value if self.dark is not None and self.dark.confidence >= self.policy.sure else None

    def alternatives(self) -> list[float | int]:
        """Values the re-readings, and the black ink read with confidence, give that differ from
        the current one: candidates to restore the failed sums, nothing more."""
        current = self.value.value
        looks = [*self.values[1:], self.sure_dark(), *self.derived, *self.runner_up, *self.hidden, *self.whole]
        return list(dict.fromkeys(v for v in looks if v is not None and v != current))

    def black_ink_longer(self) -> bool:
        """The black ink under a seal reads, with confidence, more digits than the first reading,
        those digits among them ("03" where "3" was read): the seal's removal took the rest of the
        number ("503" under a star over the 总计 column, read "3" at 1.00 by the first pass and the
        binarised crop of the same image, an error against a balanced filing: copier seed 3620)."""
        if self.dark is None or self.dark.confidence < self.policy.sure:
            return False
        first, dark = _digits(self.reads[0].text), _digits(self.dark.text)
        return bool(first) and len(dark) > len(first) and (dark.endswith(first) or dark.startswith(first))

    def black_ink_conflicts(self) -> bool:
        """The black ink under a seal reads, with confidence, digits that are no number but begin
        otherwise than the first reading ("13:" where "151" was read twice: printed 131, the seal's
        removal had made its 3 a 5; hard seed 13311 at 150 DPI, a false error)."""
        if self.dark is None or self.dark.confidence < self.policy.sure or self.dark.value is not None:
            return False
        first, dark = _digits(self.reads[0].text), _digits(self.dark.text)
        n = min(len(first), len(dark))
        return n >= 2 and first[:n] != dark[:n]

    def black_ink_differs(self) -> bool:
        """The black ink under a seal reads, with confidence, a number other than the current one
        (the seal's removal took part of a 6 away: "10" read by every crop, "16" by the ink)."""
        dark = self.sure_dark()
        return dark is not None and dark != self.value.value

    def agreed(self) -> float | int | None:
        """The value both re-readings give, when there are two and they agree."""
        rereads = self.values[1:]
        return rereads[0] if len(rereads) == 2 and rereads[0] is not None and rereads[0] == rereads[1] else None

    def looks(self) -> list[Reading]:
        """Every reading, the black ink's last."""
        return self.reads + ([self.dark] if self.dark else [])

    def describe(self) -> str:
        looks = "; ".join(f"{r.how} '{r.text}' ({r.confidence:.2f})" for r in self.looks())
        rival = ", ".join(f"{v:g}" for v in self.runner_up)
        whole = ", ".join(f"{v:g}" for v in self.whole)
        hidden = ", ".join(f"{v:g}" for v in self.hidden)
        looks = f"{looks}; the recogniser's next best: {rival}" if rival else looks
        looks = f"{looks}; the cell's whole extent read surely: {whole}" if whole else looks
        return f"{looks}; under the seal, the sum's number with one digit more: {hidden}" if hidden else looks

    def describe_zh(self) -> str:
        looks = "；".join(f"{ZH[r.how]}“{r.text}”" for r in self.looks())
        rival = "、".join(f"{v:g}" for v in self.runner_up)
        whole = "、".join(f"{v:g}" for v in self.whole)
        hidden = "、".join(f"{v:g}" for v in self.hidden)
        looks = f"{looks}；识别器次选“{rival}”" if rival else looks
        looks = f"{looks}；整个单元格重读为“{whole}”" if whole else looks
        return f"{looks}；印章下可能遮住一位数字，勾稽所需值为“{hidden}”" if hidden else looks


def verify_readings(doc: DocumentResult, settings: Settings) -> DocumentResult:
    """The pipeline stage: re-read the cells of failed sums on OCR'd tables (see the module)."""
    try:
        images = {p.number: PageImage(p.image, p.image_dpi, p.seal, p.luma) for p in doc.pages if p.image is not None}
        # each step judges on the document as the steps before it decided (checks/decisions.py)
        restore_marks(doc, images, settings).apply(doc)
        unsummed(doc, images, settings).apply(doc)
        if images:
            refute_suggestions(doc, images, settings).apply(doc)
        failed = [f for f in doc.findings if f.rule in SUM_RULE_CODES and f.severity is Severity.ERROR]
        if images and failed:
            _settle_sums(doc, failed, images, settings).apply(doc)
            # a sum that fails only for a reading the re-reading suggests is not an error
            doc.findings = suspect_sums(doc.findings)
        out_of_domain(doc, images, settings).apply(doc)
        if images:
            explained_sums(doc, images, settings).apply(doc)
        untrusted_pages(doc).apply(doc)
        _blank_lines_follow(doc)
        return doc
    finally:
        for p in doc.pages:
            p.image = p.seal = p.luma = None


# a failed sum as the checks report it, or as re-reading left it
_SUM_LIKE = frozenset({*SUM_RULE_CODES, "ocr.unconfirmed_sum", "ocr.suspect_sum"})


def _blank_lines_follow(doc: DocumentResult) -> None:
    """A blank 总计 line (``value.blank_line``) is an error for the sums it breaks; where re-reading
    left none of them an error (their readings, the blanks among them, unconfirmed), neither is it
    (copier seed 5240: a black seal ring over two totals read blank, their sums unconfirmed, the
    line still an error against the filing). The sums it breaks are those that need its cells
    (:func:`needed_blanks`): a real error whose parts already exceed its total, with blanks among
    the parts, is no blank's doing (copier seed 7403: a planted error's column held a blank line's
    cell, and the line was accused)."""
    idents = format_identities(doc)
    # each sum with the cells it needs, found once for every line
    needs = [(g, needed_blanks(identity_of(idents, g), g)) for g in doc.findings if g.rule in _SUM_LIKE]
    for k, f in enumerate(doc.findings):
        if f.rule != "value.blank_line" or f.severity is not Severity.ERROR:
            continue
        # the sums over its cells that need them (a blank cell is in a row's sum and a column's)
        mine = {(c.table, c.row, c.col) for c in f.cells}
        linked = [g for g, needed in needs if mine & needed]
        if linked and not any(g.severity is Severity.ERROR for g in linked):
            doc.findings[k] = replace(
                f,
                severity=Severity.WARNING,
                message=f"{f.message}; none of those sums rests on confirmed OCR readings",
                message_zh=f"{f.message_zh or f.message}；相关勾稽关系的OCR读数均未经确认",
            )


def _settle_sums(
    doc: DocumentResult, failed: list[Finding], images: dict[int, PageImage], settings: Settings
) -> Decisions:
    """Every table's failed sums settled on the re-readings of their OCR'd cells."""
    out = Decisions()
    lookup = Cells.of(doc)
    tables: dict[str, list[Finding]] = {}
    for f in failed:
        if f.table is not None:
            tables.setdefault(f.table, []).append(f)
    for table, errors in tables.items():
        named = {(c.table, c.row, c.col): None for f in errors for c in f.cells}
        found = (lookup.get(*k) for k in named)
        cells = [v for v in found if v is not None and v.prov.source == "ocr"]
        if not cells:
            continue  # read from a text layer: nothing to doubt
        # every look before anyone is accused: a 150 DPI copy's 7 read "1" at 0.97 and again by the
        # binarised crop at 0.91 made a false error; the wider crop read "7" (copier seed 3735)
        readings = reread(cells, images, settings, every_look=True)
        tall_marks(doc, readings)
        for r in readings:
            if domain_problem(r.value) is not None:
                r.derived = [v for v in candidates_from(errors, r.value) if float(v).is_integer()]
        _read_whole_cells(doc, readings, images, settings)
        _runner_ups_where_misread(readings, settings.ocr_policy.runner_up_evidence)
        out.extend(settle(doc, table, errors, readings, settings))
    return out


def tall_marks(doc: DocumentResult, readings: list[Readings]) -> None:
    """Marks each reading of a blank mark ('/', '—') whose recognised box is taller than its page's
    type by ``OcrPolicy.tall_mark`` as a stroke (:attr:`Readings.stroke`): a printed mark is as tall
    as the digits round it at most, a seal's stroke across two rows is not (copier seed 7597 at 200
    DPI: a 66 under a seal read '/' in a box 28 pt tall, a false error confirmed by crops that read
    nothing). The type is the median height of the page's recognised numbers; the mark's box is
    the recognised word's own, not its cell's."""
    marks = [r for r in readings if r.value.prov.raw.strip() in BLANK_FORMS - {""} and r.value.prov.bbox is not None]
    if not marks:
        return
    pages = {p.number: p for p in doc.pages}
    type_h: dict[int, float] = {}
    for number in {r.value.prov.page for r in marks if r.value.prov.page in pages}:
        digits = [w.bbox.bottom - w.bbox.top for w in pages[number].words if w.source == "ocr" and w.text.isdigit()]
        # too few numbers on the page to know its type: nothing is judged there
        if len(digits) >= TYPE_SAMPLE:
            type_h[number] = float(np.median(digits))
    for r in marks:
        v = r.value
        if v.prov.page not in type_h or v.prov.bbox is None:
            continue
        page, box = pages[v.prov.page], v.prov.bbox
        words = [
            w
            for w in page.words
            if w.source == "ocr"
            and w.text.strip() == v.prov.raw.strip()
            and min(w.bbox.x1, box.x1) > max(w.bbox.x0, box.x0)
            and min(w.bbox.bottom, box.bottom) > max(w.bbox.top, box.top)
        ]
        r.stroke = any(w.bbox.bottom - w.bbox.top > r.policy.tall_mark * type_h[v.prov.page] for w in words)


# how many recognised numbers a page needs before its type height is taken from them
TYPE_SAMPLE = 8


def _runner_ups_where_misread(readings: list[Readings], evidence: int) -> None:
    """The recogniser's next best digits stay candidates for a table's failed sums only where at
    least ``evidence`` of its re-read cells read two numbers, by any look (``OcrPolicy.
    runner_up_evidence``): a digit every look read alike is taken for another only on a copy that
    shows misreading. A planted 9 read at 0.93-1.00 by every crop, its next best 0 at 0.03,
    restored both failed sums and the error became a suggestion (copier seed 6810 at 200 DPI, no
    cell of table 三 read two ways); a 46 read "48" by every crop beside a 26 read "28", "26",
    "28" is the copy's misreading (6940 at 200 DPI: two false errors without the next best)."""
    misread = sum(1 for r in readings if len(r.numbers) > 1)
    if misread < evidence:
        for r in readings:
            r.runner_up = []


def refute_suggestions(doc: DocumentResult, images: dict[int, PageImage], settings: Settings) -> Decisions:
    """A suggestion made from confidence alone, tested. Before this stage, a table whose failed
    sums one or two cells first read under the confidence threshold could restore has them as
    ``ocr.suspect_sum`` warnings (:class:`checks.ocr_repair.OcrSuggestion`): a planted error in a
    cell read at 0.89 is restored by reading that very cell as the sum wants. Those cells are
    read again here; where every one reads the same again with confidence (and is not unsure:
    under a seal, its black ink agrees), the misreading the suggestion supposed is not there, the
    suggestion goes and the table's failed sums are errors again, settled with the others."""
    out = Decisions()
    suggested: dict[str, list[Finding]] = {}
    for f in doc.findings:
        if f.rule == "ocr.suggested_value" and f.table is not None and f.subject is not None:
            suggested.setdefault(f.table, []).append(f)
    lookup = Cells.of(doc)
    for table, suggestions in suggested.items():
        found = [lookup.get(*(s.subject or "").split(".")) for s in suggestions]
        cells = [v for v in found if v is not None and v.prov.source == "ocr"]
        if len(cells) != len(suggestions):
            continue
        readings = reread(cells, images, settings)
        if not all(r.read_again(settings.ocr_min_confidence) and not r.unsure() for r in readings):
            continue
        looks = "; ".join(f"{r.key}: {r.describe()}" for r in readings)
        looks_zh = "；".join(r.describe_zh() for r in readings)
        # the suggestion, the sums it made suspect and any failed sum left beside them: all derived again
        gone = ("ocr.suggested_value", "ocr.suspect_sum", *SUM_RULE_CODES)
        out.removed += [f for f in doc.findings if f.table == table and f.rule in gone]
        for f in error_findings(doc):
            if f.table == table:
                f.message += f" (the low-confidence reading that could explain it read the same again: {looks})"
                f.message_zh = (
                    f.message_zh or f.message
                ) + f"（可解释该差异的低置信度读数经重新识别结果一致：{looks_zh}）"
                out.added.append(f)
    return out


UNSUMMED = ("t2",)  # tables no sum of the format holds


def unchecked(doc: DocumentResult) -> set[tuple[str, str, str]]:
    """(table, row, col) of the values no sum checks as read: all of table 二's, and those of
    tables 三 and 四 whose every sum has a cell unread (a column lost under a seal leaves the
    rows it ends and the columns beside it unchecked: hard scan seed 10140 read 28 as 26 at 0.91
    there, and nothing named it)."""
    out: set[tuple[str, str, str]] = set()
    by_table: dict[str, list[Value]] = {}
    for v in doc.values:
        by_table.setdefault(v.table, []).append(v)
    for table, values in by_table.items():
        tpl = template_of(table, doc.table_formats.get(table))
        checked = checked_cells(tpl, sum_inputs(values)) if tpl is not None else set()
        out |= {(table, v.row, v.col) for v in values if table in UNSUMMED or (v.row, v.col) not in checked}
    return out


def unsummed(doc: DocumentResult, images: dict[int, PageImage], settings: Settings) -> Decisions:
    """Cells no sum checks (:func:`unchecked`), read once more: a misreading there ('46' read '16'
    at 150 DPI with confidence, a seal's stroke over an erased number read as the blank mark '/')
    breaks nothing and would pass unseen. A cell whose re-reading gives another number or no number,
    or that is read as a blank mark under a seal, is named by ``ocr.unconfirmed_value``; one first read under
    the confidence threshold already is (``ocr.low_confidence``), one out of its domain is settled
    by :func:`out_of_domain`."""
    out = Decisions()
    domain = {f.subject for f in doc.findings if f.rule == "value.domain"}
    alone = unchecked(doc)
    cells = [
        v
        for v in doc.values
        if (v.table, v.row, v.col) in alone
        and ref(v).key not in domain
        and v.prov.source == "ocr"
        and v.prov.page in images
        and v.prov.bbox is not None
        and settings.ocr_policy.counts_for(v.prov.confidence, v.prov.doubt) >= settings.ocr_min_confidence
    ]
    if not cells:
        return out
    readings = reread(cells, images, settings)
    tall_marks(doc, readings)
    for r in readings:
        blank = (r.sealed or r.stroke) and r.value.prov.raw.strip() in BLANK_FORMS
        # no re-reading giving a number leaves the first reading alone: a 150 DPI copy's "85.11",
        # its point fused with the 5, read "8511" at 1.00 and again as "M11" and "AR11" (copier seed
        # 3717: silent). Of 4,289 table 二 cells re-read in 300 planted scans (hard seeds 11000-11195,
        # copier 3800-3899) one was so, and it was wrong ("17" for 7 under a seal)
        # under a seal, the black ink reading another number that is also the recogniser's next best
        # for the seal-free crops: two looks apart from the seal's damage say the same ("47" read
        # "41" by every crop, its 7's bar taken with the seal; the black ink "47" at 0.75, the
        # runner-up 47: copier seed 5260, silent)
        dark = r.dark.value if r.sealed and r.dark is not None and r.dark.confidence >= r.policy.agreed else None
        rival = dark is not None and dark != r.value.value and dark in r.runner_up
        if not (r.disagree() or blank or r.unread() or (r.sealed and r.unsure()) or rival or r.off_line or r.inked):
            continue
        if blank and r.stroke:
            why, why_zh = (
                "the blank mark read is taller than the page's type: a stroke, not a printed mark",
                "读为空白符号的笔画高于页面字号，并非印刷的空白符号",
            )
        elif blank:
            why, why_zh = "it is a blank mark under a seal", "印章下读为空白符号"
        elif r.inked:
            # a black-and-white copy's seal ring over a 2, nothing read there, taken for a cell the
            # filing left blank (copier seed 5736: its row's 总计 and a cell of its column unread)
            why = "it was read as left blank, but the cell holds ink a digit's size"
            why_zh = "读为空白，但单元格内有数字大小的墨迹"
        elif r.off_line and not r.disagree():
            # a stray stroke beside a digit reads as a 1 from every crop (copier seed 5454's "10")
            why, why_zh = "the ink read does not stand on one line", "被识别的墨迹不在同一行上"
        elif rival:
            why, why_zh = (
                "under the seal its black ink and the recogniser's next best read another number",
                "印章下黑色墨迹与识别器次选均为另一数字",
            )
        elif r.disagree() or not r.unread():
            why, why_zh = "its readings differ", "多次识别结果不一致"
        else:
            why, why_zh = "no re-reading gave a number", "重新识别未得到数字"
        out.added.append(
            _unconfirmed_value(
                r.value,
                f", but {why} ({r.describe()}); no sum of the format checks this cell as read: compare it with the "
                "filing",
                f"，但{why_zh}（{r.describe_zh()}），该单元格无可核对的勾稽关系，请对照原件",
            )
        )
    return out


# findings that say a sum on a page failed as read and its OCR readings could not be confirmed
# (table 二's readings that differ do not count: they are common on any hard scan, and counting
# them demoted planted errors whose own readings were confirmed: fuzz seeds 9384, 9484, 9556)
_MISREAD = ("ocr.unconfirmed_sum", "ocr.suspect_sum")
# what settle adds to a sum it keeps an error though cells of it read unsurely (:func:`_fails_whatever`):
# those cells are misread evidence too (hard seed 12966: kept so, the page's count of such sums fell
# under UNTRUSTED_AT and a total read "106" by every look made three false errors there)
NOT_CONFIRMED = " (not confirmed: "
# what explained_sums adds to a failed sum a look or the blanks explain
EXPLAINED = " (explained: "
# how many of them make a page's readings untrusted: one misread cell of table 三 breaks its row
# sum and its column sum (two); three or more is more than one cell misread
UNTRUSTED_AT = 3


def untrusted_pages(doc: DocumentResult) -> Decisions:
    """Cells no sum checks, on a page whose own sums show its OCR misreads: named; a sum failed there
    on OCR'd cells: not an error.

    A 150 DPI copy whose strokes broke read 6 and 9 as 0 across table 三 (ten sums failed as read,
    none confirmed) and "59" as "50" in table 二 at 0.95, the same on every re-reading: a cell no sum
    checks cannot be confirmed by re-reading the same ink. Where a page holds ``UNTRUSTED_AT`` or
    more unconfirmed sums, every OCR'd cell of table 二 on it not yet named gets
    ``ocr.unconfirmed_value`` saying why. A sum the looks or the blanks explain
    (:func:`explained_sums`) shows where the page misread, not that it misreads throughout: it does
    not count."""
    out = Decisions()
    bad: dict[int, int] = {}
    for f in doc.findings:
        if EXPLAINED in f.message:
            continue
        if f.rule in _MISREAD or (f.rule in SUM_RULE_CODES and NOT_CONFIRMED in f.message):
            for page in {c.page for c in f.cells if c.page is not None}:
                bad[page] = bad.get(page, 0) + 1
    pages = {p for p, n in bad.items() if n >= UNTRUSTED_AT}
    if not pages:
        return out
    # an error there rests on readings whose agreement proves nothing: the re-readings of the same
    # ink agreed on a 4 read as 1 (a 150 DPI copy turned a quarter, its strokes broken)
    ocr = {ref(v).key for v in doc.values if v.prov.source == "ocr"}
    for f in doc.findings:
        if f.rule not in SUM_RULE_CODES or f.severity is not Severity.ERROR:
            continue
        on = sorted({c.page for c in f.cells if c.key in ocr and c.page in pages})
        if not on:
            continue
        n = max(bad[p] for p in on)
        out.replaced.append(
            (
                f,
                recoded(
                    f,
                    "ocr.unconfirmed_sum",
                    f"{f.rule} fails as read ({f.message}), but page {on[0]}'s own sums show its OCR misreads ({n} "
                    "sums on it failed as read and could not be confirmed): re-reading the same ink "
                    "confirms nothing there, so it is not reported as an error",
                    f"{f.message_zh or f.message}；但第{on[0]}页有{n}处勾稽关系识别结果未能确认，本页识别不可靠，"
                    "重复识别同一墨迹不能确认读数，故不作为错误",
                ),
            )
        )
    named = {c.key for f in doc.findings for c in f.cells}
    alone = unchecked(doc)
    for v in doc.values:
        if (v.table, v.row, v.col) not in alone:
            continue
        if v.prov.source != "ocr" or v.prov.page not in pages or ref(v).key in named:
            continue
        n = bad[v.prov.page]
        out.added.append(
            _unconfirmed_value(
                v,
                f"; no sum of the format checks this cell as read, and page {v.prov.page}'s own sums show its OCR "
                f"misreads ({n} sums on it failed as read and could not be confirmed): compare it with the filing",
                f"，该单元格无可核对的勾稽关系，且第{v.prov.page}页有{n}处勾稽关系识别结果未能确认，本页识别不可靠，请对照原件",
            )
        )
    return out


def explained_sums(doc: DocumentResult, images: dict[int, PageImage], settings: Settings) -> Decisions:
    """Failed sums of OCR'd cells that cells read blank explain together (:func:`blank_explained`)
    or a number a look offers restores with another sum (:func:`looks_explained`): the message says
    how; one that was an error becomes ``ocr.unconfirmed_sum``, since it rests on a misreading the
    re-reading found. Nor does such a sum count as a sign that its page misreads throughout
    (:func:`untrusted_pages`). The values stay as read.

    A 200 DPI copy read "66" as "86" at 0.97 by every crop, the recogniser's next best 66: its row's
    sum was unconfirmed, its column's an error against a filing that balanced (copier seed 7630),
    while its page counted three unconfirmed sums and was taken to misread."""
    out = Decisions()
    failed = [
        f
        for f in doc.findings
        if f.table is not None
        and (f.rule in _MISREAD or (f.rule in SUM_RULE_CODES and f.severity is Severity.ERROR))
        and EXPLAINED not in f.message
    ]
    if len(failed) < 2:
        return out
    why = blank_explained(doc, failed, images, settings)
    by_looks, misread = looks_explained(doc, [f for f in failed if id(f) not in why], images, settings)
    why |= by_looks
    out.added += misread_alike(doc, misread)
    for f in failed:
        if id(f) not in why:
            continue
        en, zh = why[id(f)]
        if f.severity is Severity.ERROR:
            out.replaced.append(
                (
                    f,
                    recoded(
                        f,
                        "ocr.unconfirmed_sum",
                        f"{f.rule} fails as read ({f.message}){EXPLAINED}{en}), so it is not reported as an error",
                        f"{f.message_zh or f.message}；但{zh}，故不作为错误",
                    ),
                )
            )
        else:
            out.amended.append((f, f"{EXPLAINED}{en})", f"（{zh}）"))
    return out


Explained = dict[int, tuple[str, str]]  # a failed sum's id -> how it is explained (English, Chinese)


def blank_explained(
    doc: DocumentResult, failed: list[Finding], images: dict[int, PageImage], settings: Settings
) -> Explained:
    """The failed sums among ``failed`` that cells read blank explain together: the sums through
    those cells (the failed ones and those that hold as read) give each blank one count, none
    negative, and a look at each blank given more than 0 reads that count.

    A seal over two cells of one row left them blank on a 300 DPI copy: their column sums and
    their row's sum failed, three sums no re-reading confirmed, and the page was taken to misread,
    so a planted error elsewhere on it, confirmed by every look, was not reported (copier seed 7403:
    the sums gave the blanks 3 and 1, and the looks at them read 3 and 1). Where the sums leave a
    blank open, give it a negative count, or its looks read another number, nothing is explained
    (a real error among those sums leaves no count its looks read)."""
    out: Explained = {}
    idents = format_identities(doc)
    sum_of = {id(f): identity_of(idents, f) for f in failed}
    for table in sorted({f.table for f in failed if f.table is not None}):
        cells = {(v.row, v.col): v for v in doc.values if v.table == table}
        blank = {k for k, v in cells.items() if printed_blank(v) and v.prov.source == "ocr"}
        mine = [i for i in idents if i.table == table and i.cells() & blank]
        for group in _linked(mine, blank):
            counts = _blank_counts(group, cells, blank)
            if counts is None:
                continue
            given = [cells[k] for k, n in counts.items() if n > 0]
            looks = reread(given, images, settings, every_look=True) if given else []
            if any(counts[(r.value.row, r.value.col)] not in r.numbers for r in looks):
                continue
            said = ", ".join(f"{table}.{r}.{c} {n}" for (r, c), n in counts.items())
            en = f"cells read blank ({said}): the sums through them give them these counts, and a look at each reads so"
            zh = f"空白单元格（{said}）：相关勾稽关系给出上述数值，重新识别亦读为该数"
            for f in failed:
                if any(sum_of[id(f)] is i for i in group):
                    out[id(f)] = (en, zh)
    return out


def looks_explained(
    doc: DocumentResult, failed: list[Finding], images: dict[int, PageImage], settings: Settings
) -> tuple[Explained, list[tuple[Readings, float | int]]]:
    """The failed sums among ``failed`` that a number a look offers at one of their cells
    (:meth:`Readings.alternatives`, the recogniser's next best only where the table shows
    misreading) restores, two at least with that one number (the cell's row and its column),
    breaking none that holds: a misreading the re-reading found. On a 300 DPI copy "1389" under a
    seal read "389" (its black ink "1389") and "34" read "24" (the recogniser's next best "34")
    broke four sums, with the planted error's column five, and the planted error, confirmed by
    every look, was not reported (copier seed 7505). Taken one cell at a time, each on those taken
    before. Returns them, and each cell so explained with the number that restores its sums."""
    out: Explained = {}
    misread: list[tuple[Readings, float | int]] = []
    idents = format_identities(doc)
    sum_of = {id(f): identity_of(idents, f) for f in failed}
    lookup = Cells.of(doc)
    for table in sorted({f.table for f in failed if f.table is not None}):
        mine = [f for f in failed if f.table == table]
        count = Counter(k for f in mine for k in {(c.table, c.row, c.col) for c in f.cells})
        cells = [v for k, n in count.items() if n >= 2 and (v := lookup.get(*k)) is not None and v.prov.source == "ocr"]
        if not cells:
            continue
        readings = reread(cells, images, settings, every_look=True)
        _runner_ups_where_misread(readings, settings.ocr_policy.runner_up_evidence)
        for r, alt, restored in restored_by_looks(doc, table, readings):
            misread.append((r, alt))
            n, first = len(restored), r.reads[0].text
            en = f"{r.key} read '{first}', and a look offers {alt:g} ({r.describe()}), restoring {n} sums through it"
            zh = f"{r.key}读为“{first}”，重新识别给出{alt:g}（{r.describe_zh()}），可使经过该单元格的{n}处勾稽关系成立"
            for f in mine:
                ident = sum_of[id(f)]
                if ident is not None and f"{ident.rule} {ident.subject}" in restored:
                    out[id(f)] = (en, zh)
    return out, misread


def _unconfirmed_value(v: Value, why: str, why_zh: str) -> Finding:
    """``ocr.unconfirmed_value`` naming a cell no sum checks, ``why`` (and ``why_zh``) after its reading."""
    key = ref(v).key
    return finding(
        "ocr.unconfirmed_value",
        f"{key}: read as {v.value} ('{v.prov.raw}'){why}",
        table=v.table,
        cells=[ref(v)],
        printed=v.prov.raw,
        subject=key,
        message_zh=f"OCR读为“{v.prov.raw}”{why_zh}",
    )


# how many cells, each restoring two sums with one digit other than read, show that a copy
# misreads that digit (:func:`misread_alike`)
MISREAD_ALIKE_AT = 2


def misread_alike(doc: DocumentResult, misread: list[tuple[Readings, float | int]]) -> list[Finding]:
    """Cells no sum checks (:func:`unchecked`) that hold a digit the copy was shown to misread:
    ``MISREAD_ALIKE_AT`` cells or more of the filing, each read with that digit where one other
    digit in its place restores two sums through it (:func:`looks_explained`), name every OCR'd
    cell no sum checks that holds it and no finding names yet (``ocr.unconfirmed_value``). A 150
    DPI copy read 36 as "38" and 46 as "48" in table 三, their row and column sums saying so, and
    table 二's 36 as "38" by every look: no sum holds table 二, and the reading rested on itself
    alone (copier seed 7737). Values stay as read."""
    cells: dict[str, dict[str, str]] = {}  # a digit read -> {cell key: the digit its sums want}
    for r, alt in misread:
        read = _digits(r.reads[0].text)
        want = str(int(alt)) if float(alt).is_integer() and alt >= 0 else ""
        apart = [(a, b) for a, b in zip(read, want, strict=False) if a != b]
        if len(read) == len(want) and len(apart) == 1:
            cells.setdefault(apart[0][0], {})[r.key] = apart[0][1]
    shown = {d: keys for d, keys in cells.items() if len(keys) >= MISREAD_ALIKE_AT}
    if not shown:
        return []
    named = {c.key for f in doc.findings for c in f.cells}
    alone = unchecked(doc)
    out = []
    for v in doc.values:
        key = ref(v).key
        if v.prov.source != "ocr" or (v.table, v.row, v.col) not in alone or key in named:
            continue
        for d in sorted(set(_digits(v.prov.raw)) & set(shown)):
            where = ", ".join(f"{k} read {d} for {w}" for k, w in sorted(shown[d].items()))
            out.append(
                _unconfirmed_value(
                    v,
                    f", but this copy read the digit {d} where the sums say another ({where}: each restores two "
                    "sums); no sum of the format checks this cell as read: compare it with the filing",
                    f"，但本件多处将其他数字误识为“{d}”（{where}），该单元格无可核对的勾稽关系，请对照原件",
                )
            )
            break
    return out


def restored_by_looks(
    doc: DocumentResult, table: str, readings: list[Readings]
) -> list[tuple[Readings, float | int, set[str]]]:
    """The cells whose looks offer a number that restores failed sums of the table, two at least
    and breaking none (:func:`looks_explained`): each with that number and the sums ("rule
    subject") it restores."""
    out = []
    failing = _failing(doc, table, {}, readings, {})
    taken: dict[int, float | int] = {}
    for i, r in enumerate(readings):
        for alt in r.alternatives():
            after = _failing(doc, table, {**taken, i: alt}, readings, {})
            if after <= failing and len(failing - after) >= 2:
                out.append((r, alt, failing - after))
                taken, failing = {**taken, i: alt}, after
                break
    return out


def _linked(sums: list[Identity], blank: set[tuple[str, str]]) -> list[list[Identity]]:
    """The sums in groups that share blank cells, directly or through other sums of the group."""
    groups: list[tuple[set[tuple[str, str]], list[Identity]]] = []
    for ident in sums:
        keys, members = ident.cells() & blank, [ident]
        for g in [g for g in groups if g[0] & keys]:
            keys |= g[0]
            members += g[1]
            groups.remove(g)
        groups.append((keys, members))
    return [members for _, members in groups]


def _blank_counts(
    sums: list[Identity], cells: dict[tuple[str, str], Value], blank: set[tuple[str, str]]
) -> dict[tuple[str, str], int] | None:
    """The one count each blank cell of the sums must print for all of them to hold (the other
    cells as read), or None where the sums leave a blank open, contradict each other or need a
    count that is negative or not whole."""
    unknown = sorted({k for i in sums for k in i.cells() if k in blank})
    where = {k: j for j, k in enumerate(unknown)}
    rows: list[list[float]] = []
    rhs: list[float] = []
    for ident in sums:
        row, known = [0.0] * len(unknown), 0.0
        for keys, sign in ((ident.parts, 1.0), (ident.totals, -1.0)):
            for k in keys:
                v = cells.get(k)
                if k in where:
                    row[where[k]] += sign
                elif v is None or v.value is None:
                    break
                else:
                    known += sign * float(v.value)
            else:
                continue
            break  # a cell of the sum unread: it says nothing here
        else:
            rows.append(row)
            rhs.append(-known)
    if not rows:
        return None
    a, b = np.array(rows), np.array(rhs)
    if np.linalg.matrix_rank(a) < len(unknown):
        return None
    x = np.linalg.lstsq(a, b, rcond=None)[0]
    if np.abs(a @ x - b).max() > 1e-6 or x.min() < -1e-6 or np.abs(x - np.round(x)).max() > 1e-6:
        return None
    return {k: round(float(x[j])) for k, j in where.items()}


def out_of_domain(doc: DocumentResult, images: dict[int, PageImage], settings: Settings) -> Decisions:
    """A value outside its column's domain on an OCR'd page ('10' read '1.1' in a count) is an
    error only when it reads the same again, as a failed sum is; otherwise ``ocr.unconfirmed_value``.
    Run after the sums are settled: a value their re-reading replaced ('-26' read again as 26)
    is out of its domain no more, and its finding goes."""
    out = Decisions()
    domain = [f for f in doc.findings if f.rule == "value.domain" and f.severity is Severity.ERROR]
    if not images or not domain:
        return out
    still = {f.subject for f in ValueDomain().run(doc)}
    lookup = Cells.of(doc)
    for f in domain:
        if f.subject not in still:
            out.removed.append(f)
            continue
        found = (lookup.get(c.table, c.row, c.col) for c in f.cells)
        cells = [v for v in found if v is not None and v.prov.source == "ocr"]
        if not cells:
            continue
        # every look before it is reported, as for a failed sum: a 33 under a seal read "3.3" by
        # the first pass and the binarised crop, "33" by the wider crop and the black ink, was an
        # error on the two readings of the same cut alone (hard seed 15024 at 150 DPI)
        readings = reread(cells, images, settings, every_look=True)
        # a suggestion that restores every failed sum names this very reading: the form's sums say
        # it is a misreading, whatever the crops of the same ink read
        explained = any(g.rule == "ocr.suggested_value" and g.subject == f.subject for g in doc.findings)
        if not explained and all(
            r.confirmed(settings.ocr_min_confidence) and not r.unsure() and not r.black_ink_differs() for r in readings
        ):
            out.amended.append(_confirm(f, readings, settings.ocr_min_confidence))
            continue
        where = "; ".join(f"{r.key}: {r.describe()}" for r in readings)
        where_zh = "；".join(r.describe_zh() for r in readings)
        new = recoded(
            f,
            "ocr.unconfirmed_value",
            f"{f.message}, as read; its OCR readings are not confirmed ({where}): not reported as an error",
            f"{f.message_zh or f.message}；但OCR读数未经确认（{where_zh}），不作为错误",
        )
        out.replaced.append((f, new))
    return out


def restore_marks(doc: DocumentResult, images: dict[int, PageImage], settings: Settings) -> Decisions:
    """Decimal points and minus signs the first OCR pass dropped, in the columns that print them.

    No sum of the format holds an amount or a 本年增/减 to catch a factor of 100 or a lost sign,
    so these cells are looked at again whatever the checks say: an amount read as digits only
    takes a point, a 增/减 read without a sign takes a minus, where two of three independent looks
    agree (the two re-reading crops, and the ink). A minus that one look only sees is reported,
    the value left as read. The recogniser drops a point at 150 DPI with full confidence
    ('361.02' read '36102'), and a thin minus under a seal."""
    out = Decisions()
    for v in doc.values:
        if v.prov.source != "ocr" or v.prov.bbox is None or v.prov.page not in images:
            continue
        key = (v.table, v.col)
        if key in MONEY_COLS and _DIGITS.match(v.prov.raw) and len(v.prov.raw) >= 2:
            out.extend(_restore_point(v, images[v.prov.page], settings))
        elif key in SIGNED_COLS and _DIGITS.match(v.prov.raw) and v.value:
            # a single digit too: "-1" read "1" at 1.00, its minus plain in the ink, was named by
            # nothing while only numbers of two digits were looked at (hard seed 13033)
            out.extend(_restore_minus(v, images[v.prov.page], settings))
    return out


def _restore_point(v: Value, image: PageImage, settings: Settings) -> Decisions:
    grey, dpi = image.grey, image.dpi
    bbox, first = v.prov.bbox or BBox(0, 0, 0, 0), v.prov.raw
    r = reread([v], {v.prov.page or 0: image}, settings)[0]
    votes = [x.text for x in r.reads[1:] if "." in x.text and x.text.replace(".", "") == first]
    found = point_position(own_ink(grey, bbox, dpi).ink, 2 * dpi)
    if found is not None and found[0] == len(first) and 0 < found[1] < len(first):
        votes.append(first[: found[1]] + "." + first[found[1] :])
    dotted = next((t for t in dict.fromkeys(votes) if votes.count(t) >= 2), None)
    if dotted is None:
        return Decisions()
    looks = f"{r.describe()}{'; the ink shows a point there' if found else ''}"
    return _take(v, dotted, looks, settings, "ocr.decimal_point", "小数点")


def _restore_minus(v: Value, image: PageImage, settings: Settings) -> Decisions:
    grey, dpi = image.grey, image.dpi
    b, first = v.prov.bbox or BBox(0, 0, 0, 0), v.prov.raw
    # the box is the digits' own: a minus apart from them lies left of it
    wide = BBox(b.x0 - 1.5 * b.height, b.top, b.x1, b.bottom)
    own = own_ink(grey, wide, dpi)
    region, ink = own.region, own.ink
    if region.size == 0:
        return Decisions()
    from nianbao.extractors.ocr_engine import engine_for  # see _read_into

    reads = engine_for(settings).recognize(variants(grey, wide, dpi))
    texts = [unicodedata.normalize("NFKC", t).replace(" ", "").replace("—", "-").replace("−", "-") for t, _ in reads]
    signed = "-" + first
    # the ink round the digits is cut to them; a minus set apart lies left of that cut, so the ink
    # is looked at uncut too (a thin minus two points left of "16" at 200 DPI, 0.28 of the line's
    # height long: in a 本年增/减 cell a shorter dash still counts, one vote of the two it needs;
    # a hyphen-like minus at 300 DPI is 0.16 of the uncut crop's height, whose margins make it
    # taller than the digits: "-13" read "13" at 1.00 and named by no finding, hard scan seed 9849).
    # That ink is blurred at twice the size, a pixel thicker each side: a hyphen-like minus of 9 x 4
    # px there is flat enough (seed 10543's "-19" at 200 DPI; one look, so named, not taken); a
    # copier's pale minus is 0.13 of the line's height long ("-16" read "16" at 1.00 and named by
    # nothing, copier seed 4542; of 40 positive 增/减 cells of copier seeds 4100-4160 no blob left of
    # the digits was as flat at mid-height)
    dash = leading_dash(ink) or leading_dash(line_ink(grey, wide, dpi), min_len=0.12, flat=2.0)
    votes = sum(1 for t in texts if t == signed) + (1 if dash else 0)
    if not votes:
        return Decisions()
    looks = "; ".join(f"{how} '{t}' ({sc:.2f})" for how, (t, sc) in zip((WIDER, BINARISED), reads, strict=True))
    if votes >= 2:
        return _take(v, signed, looks, settings, "ocr.minus_sign", "负号")
    key = ref(v).key
    return Decisions(
        added=[
            finding(
                "ocr.minus_sign",
                f"{key}: OCR read '{first}'; read again with the ink left of it, one look sees a minus ({looks}): "
                f"the filing may print {signed}. The value stays as read",
                table=v.table,
                cells=[ref(v)],
                expected=None,
                printed=first,
                subject=key,
                message_zh=f"OCR识别为“{first}”；连同左侧重新识别，有一次读到负号，可能印为“{signed}”，数值保持原样",
            )
        ]
    )


def _take(v: Value, text: str, looks: str, settings: Settings, rule: str, mark_zh: str) -> Decisions:
    """The value takes ``text``, and a finding names the cell with every look."""
    parsed = value_of(v.table, v.row, v.col, replace(v.prov, raw=text), settings)
    if parsed.value is None:
        return Decisions()
    first = v.prov.raw
    key = ref(v).key
    # doubted: it counts for less, so a sum resting on it is read again
    change = ValueChange(v, parsed.value, text, f"re-read: the first OCR pass read '{first}'", "marks_restored")
    return Decisions(
        values=[change],
        added=[
            finding(
                rule,
                f"{key}: OCR read '{first}'; two looks agree on '{text}' ({looks}): read as {text}",
                table=v.table,
                cells=[ref(v)],
                expected=parsed.value,
                printed=first,
                subject=key,
                message_zh=f"OCR首次识别为“{first}”，两次复核一致含{mark_zh}，按“{text}”读取",
            )
        ],
    )


def reread(
    cells: Sequence[Value], images: dict[int, PageImage], settings: Settings, every_look: bool = False
) -> list[Readings]:
    """Every cell's first reading and its re-readings.

    The binarised crop is read first, for every cell in one recogniser batch; only cells where
    it disagrees with the first reading, or neither is confident, are read a third time (the
    wider crop): two readings that agree with confidence settle a cell at half the cost. A cell
    first read without confidence is read all three ways (see :meth:`Readings.unsure`); a cell
    under a seal once more, from the black ink alone (:func:`black_ink`). With ``every_look``
    every cell is read all three ways (the cells of failed sums, before an error is reported).
    """
    out = [
        Readings(
            v,
            # the first reading counts for what its doubt leaves of its score
            [Reading(FIRST, v.prov.raw, settings.ocr_policy.counts_for(v.prov.confidence, v.prov.doubt), v.value)],
            sealed=v.prov.page in images and v.prov.bbox is not None and images[v.prov.page].sealed(v.prov.bbox),
            policy=settings.ocr_policy,
        )
        for v in cells
    ]
    for r in out:
        v = r.value
        if printed_blank(v) and v.prov.page in images and v.prov.bbox is not None:
            r.inked = holds_ink(images[v.prov.page], v.prov.bbox)
    own = {
        i: own_ink(images[v.prov.page].grey, v.prov.bbox, images[v.prov.page].dpi)
        for i, v in enumerate(cells)
        if v.prov.page in images and v.prov.bbox is not None
    }
    for i, o in own.items():
        out[i].off_line = not printed_blank(cells[i]) and off_one_line(o.ink)
    crops = {i: crops_of(o) for i, o in own.items()}
    if not crops:
        return out
    _read_into(out, [(i, crops[i][1]) for i in crops], BINARISED, settings)
    unsettled = [
        i
        for i in crops
        if every_look
        or not out[i].confirmed(settings.ocr_min_confidence)
        or (out[i].hesitant() and not out[i].sealed)
        # under a seal a re-reading must be sure
        or (out[i].sealed and out[i].reads[-1].confidence < settings.ocr_policy.sure)
    ]
    _read_into(out, [(i, crops[i][0]) for i in unsettled], WIDER, settings)
    dark = []
    for i, o in own.items():
        page = cells[i].prov.page
        # wherever the seal may have scarred what was read: a confident first reading too (what
        # the seal's removal left of a 6 read "10" at 0.92 and again at 0.99 from the same image)
        if out[i].sealed and page is not None:
            crop = black_ink(images[page], o)
            if crop is not None:
                dark.append((i, crop))
    _read_into(out, dark, DARK, settings)
    return out


def _read_whole_cells(
    doc: DocumentResult, readings: list[Readings], images: dict[int, PageImage], settings: Settings
) -> None:
    """Each table 三 cell of ``readings`` read once more from its whole extent, where its row and
    column cross (:func:`checks.ocr_recover.cell_box`); a number both crops read surely that is its
    reading with one digit more becomes a candidate (:attr:`Readings.whole`)."""
    read = placed(doc, "t3", images)
    jobs: list[tuple[int, list[np.ndarray]]] = []
    for i, r in enumerate(readings):
        v = r.value
        if v.table != "t3" or v.value is None or v.prov.page not in images:
            continue
        where = cell_box(v.row, v.col, read)
        if where is None or where[0] != v.prov.page:
            continue
        image = images[where[0]]
        own = own_ink(image.grey, where[1], image.dpi)
        if own.region.size and own.ink.any():
            jobs.append((i, crops_of(own)))
    if not jobs:
        return
    from nianbao.extractors.ocr_engine import engine_for

    texts = engine_for(settings).recognize([c for _, pair in jobs for c in pair])
    for k, (i, _) in enumerate(jobs):
        r = readings[i]
        looks = texts[2 * k : 2 * k + 2]
        numbers = {_parsed(r.value, t.strip().replace(" ", ""), settings) for t, _ in looks}
        n = numbers.pop() if len(numbers) == 1 else None
        sure = min(float(c) for _, c in looks) >= settings.ocr_policy.sure
        if n is not None and sure and _one_digit_more(r.value.value, float(n)):
            r.whole.append(n)


def _read_into(out: list[Readings], jobs: list[tuple[int, np.ndarray]], how: str, settings: Settings) -> None:
    # imported here: loading the recogniser is left to the filings that need it
    from nianbao.extractors.ocr_engine import engine_for

    if not jobs:
        return
    engine = engine_for(settings)
    crops = [c for _, c in jobs]
    floor = settings.ocr_policy.runner_up
    with_alternatives = getattr(engine, "recognize_with_alternatives", None)
    # only the RapidOCR engine gives the recogniser's scores of the digits it did not read
    read: list[tuple[str, float, list[tuple[str, float]]]] = (
        with_alternatives(crops, floor)
        if with_alternatives and floor > 0
        else [(text, score, []) for text, score in engine.recognize(crops)]
    )
    for (i, _), (text, score, rivals) in zip(jobs, read, strict=True):
        v = out[i].value
        text = text.strip().replace(" ", "")
        reading = Reading(how, text, float(score), _parsed(v, text, settings))
        if how == DARK:
            out[i].dark = reading
        else:
            out[i].reads.append(reading)
        # the black ink alone is what a seal's removal left of the digits: what else the recogniser
        # saw in it is that damage, not the print (a planted 6 under a seal: its black ink offered 0,
        # the balanced value, and the error became a suspect sum: copier seed 5084)
        for alt, _ in rivals if how != DARK else []:
            n = _parsed(v, alt, settings)
            if n is not None and n != v.value and n not in out[i].runner_up:
                out[i].runner_up.append(n)


def _parsed(v: Value, text: str, settings: Settings) -> float | int | None:
    """The number a reading of cell ``v`` gives (its text without spaces), as the cell's own
    reading would be parsed."""
    # a point or comma read after a count's digits is a speck or a rule's end, as the first pass
    # takes it (normalizers/anchored.py, _TAILED): "0." read by both crops of a 0 whose first
    # reading was 0 left a planted error's row unconfirmed (copier seed 7810 at 200 DPI)
    if (v.table, v.col) not in MONEY_COLS and (m := _SPECK_TAIL.match(text)) is not None:
        text = m.group(1)
    parsed = value_of(v.table, v.row, v.col, replace(v.prov, raw=text, doubt=None), settings)
    # a re-reading with ink beside the digits, or a leading zero, again reads no number a filing
    # prints: it confirms nothing
    return None if parsed.prov.doubt in ("letters_beside", "leading_zero") else parsed.value


# the marks the first pass takes for a speck after a number (normalizers/anchored.py)
_SPECK_TAIL = re.compile(rf"^(\d+)[{re.escape(''.join(sorted(SPECK_MARKS)))}]$")


def _one_digit_more(read: float | int | None, v: float) -> bool:
    """``v`` is the whole number ``read`` with one digit more before or after its digits."""
    if read is None or read < 0 or not float(read).is_integer() or not float(v).is_integer():
        return False
    short, long = str(int(read)), str(int(v))
    return len(long) == len(short) + 1 and (long.startswith(short) or long.endswith(short))


def _failing(
    doc: DocumentResult, table: str, change: dict[int, float | int], cells: list[Readings], base: Overlay
) -> set[str]:
    """The failed sums of the table (rule and subject) if the cells read as ``change`` says, on top
    of the values already decided (``base``): judged on an overlay, the document untouched."""
    overlay = {**base, **{id(cells[i].value): v for i, v in change.items()}}
    return {f"{f.rule} {f.subject}" for f in error_findings(overlaid(doc, overlay)) if f.table == table}


def settle(
    doc: DocumentResult,
    table: str,
    errors: list[Finding],
    readings: list[Readings],
    settings: Settings,
    base: Overlay | None = None,
) -> Decisions:
    base = base or {}
    for r in readings:
        if r.sealed and not r.derived:
            r.hidden = [v for v in candidates_from(errors, r.value) if _one_digit_more(r.value.value, v)]
    doubtful = [
        i
        for i, r in enumerate(readings)
        if (
            not r.confirmed(settings.ocr_min_confidence)
            or r.black_ink_differs()
            or r.derived
            or r.runner_up
            or r.hidden
            or r.whole
        )
        and r.alternatives()
    ]
    failed_cells = [{c.key for c in f.cells} for f in errors]
    explanations: list[dict[int, float | int]] = []
    for size in (1, 2):  # one or two misread cells; more is not a misreading an auditor can be shown
        tried = 0
        for subset in itertools.combinations(doubtful, size):
            keys = {readings[i].key for i in subset}
            if not all(keys & cells for cells in failed_cells):
                continue  # a failed sum none of these cells is part of stays failed
            for values in itertools.product(*(readings[i].alternatives() for i in subset)):
                tried += 1
                change = dict(zip(subset, values, strict=True))
                if not _failing(doc, table, change, readings, base):
                    explanations.append(change)
                if tried >= MAX_COMBINATIONS:
                    break
            if tried >= MAX_COMBINATIONS:
                break
        if explanations:
            break  # the fewest cells that explain the failures
    if len(explanations) == 1:
        return _explain(errors, explanations[0], readings)
    if not explanations:
        partial = _partial_fixes(doc, table, errors, readings, settings, base)
        if partial is not None:
            return partial
    # several explanations and none chosen, or readings of a cell that disagree: the sum does not
    # rest on readings that agree, and is not an error against the filing
    out = Decisions()
    in_doubt = {i for change in explanations for i in change} | {
        i
        for i, r in enumerate(readings)
        if r.disagree() or r.unread() or r.unsure() or r.not_reread() or r.inked or r.off_line or r.stroke
    }
    tpl = template_of(table, doc.table_formats.get(table))
    sums: dict[tuple[str, str | None], Identity] = {(i.rule, i.subject): i for i in (identities(tpl) if tpl else [])}
    placed = _placed_apart(doc, table)
    for f in errors:
        keys = {c.key for c in f.cells}
        mine = [r for r in readings if r.key in keys]
        doubted = [readings[i] for i in sorted(in_doubt) if readings[i].key in keys]
        # what else a sum that fails whatever its doubted cells print must not rest on: a value
        # recovered where its row and column cross, or one its grid put in another column than the
        # rest of its column's (its re-readings confirm the ink, not where it belongs: hard seed 246,
        # a 3 from the next column read into a row of a table's second part)
        unsure = {id(r) for r in doubted}
        apart = [r for r in mine if id(r) not in unsure and (r.key in placed or r.value.prov.locator == RECOVERED)]
        if doubted and (short := _fails_whatever(f, sums.get((f.rule, f.subject)), doubted + apart, base)) is not None:
            rest = [r for r in mine if id(r) not in unsure]
            _, en, zh = _confirm(f, rest, settings.ocr_min_confidence, other=True) if rest else (f, "", "")
            where = "; ".join(f"{r.key}: {r.describe()}" for r in doubted)
            unsure_zh = "、".join(r.key for r in doubted)
            out.amended.append(
                (
                    f,
                    f"{en}{NOT_CONFIRMED}{where}; but no count printed there makes the sum hold: {short})",
                    f"{zh}（{unsure_zh}读数未经确认，但无论其为何非负整数，该勾稽关系均不成立）",
                )
            )
        elif doubted and _fails_every_reading(doc, table, f, readings, doubted, base):
            rest = [r for r in mine if id(r) not in unsure]
            _, en, zh = _confirm(f, rest, settings.ocr_min_confidence, other=True) if rest else (f, "", "")
            where = "; ".join(f"{r.key}: {r.describe()}" for r in doubted)
            unsure_zh = "、".join(r.key for r in doubted)
            out.amended.append(
                (
                    f,
                    f"{en}{NOT_CONFIRMED}{where}; but each look read its number surely, and the sum fails "
                    "with every number read there)",
                    f"{zh}（{unsure_zh}各次识别结果不一致，但均置信度高，且无论取哪一读数该勾稽关系均不成立）",
                )
            )
        elif doubted:
            out.replaced.append((f, _downgraded(f, doubted, restorable=bool(explanations))))
        elif restored := (
            _look_restores(doc, table, f, readings, base, _black_ink_look)
            or _look_restores(doc, table, f, readings, base, _runner_up_look)
            or _look_restores(doc, table, f, readings, base, _whole_look)
            or _look_restores(doc, table, f, readings, base, _hidden_look)
        ):
            out.replaced.append((f, _downgraded(f, [restored], restorable=True)))
        else:
            out.amended.append(_confirm(f, mine, settings.ocr_min_confidence))
    return out


def _placed_apart(doc: DocumentResult, table: str) -> set[str]:
    """Cells of a table that a grid read from another grid column than most cells of their column
    in the same grid: a row whose cells sit one column off the others (``table[k]/rR/cC`` locators)."""
    cols: dict[tuple[str, str], dict[str, int]] = {}
    found: list[tuple[str, tuple[str, str], str]] = []
    for v in doc.values:
        m = _GRID_CELL.match(v.prov.locator or "") if v.table == table else None
        if m is None:
            continue
        where = (m.group(1), v.col)
        counts = cols.setdefault(where, {})
        counts[m.group(2)] = counts.get(m.group(2), 0) + 1
        found.append((ref(v).key, where, m.group(2)))
    out = set()
    for key, where, col in found:
        counts = cols[where]
        usual = max(counts, key=lambda c: counts[c])
        if col != usual and counts[usual] >= 2:
            out.add(key)
    return out


_GRID_CELL = re.compile(r"^table\[(\d+)\]/r\d+/c(\d+)$")


def _fails_every_reading(
    doc: DocumentResult, table: str, f: Finding, readings: list[Readings], doubted: list[Readings], base: Overlay
) -> bool:
    """The failed sum ``f`` fails whichever of the numbers read there its doubted cells print, where
    their only doubt is that looks read surely disagree: every look of each read a number, surely,
    and no number any look or the recogniser offered makes the sum hold. A total read "26" at 0.98
    and 0.96 and "28" at 0.94, the parts already 32 without an unread cell: the planted error was
    lost as "readings disagree" (copier seed 6214, 200 DPI). A cell hesitated over, read as no
    number, unread again or a blank holding ink keeps the sum unconfirmed."""
    sure = doubted[0].policy.sure
    for r in doubted:
        looks = r.looks()
        if (
            not r.disagree()
            or r.inked
            or r.stroke
            or r.off_line
            or r.value.value is None
            or len(r.reads) < 3
            or any(x.value is None or x.confidence < sure for x in looks)
        ):
            return False
    index = {id(r): i for i, r in enumerate(readings)}
    options = [[r.value.value, *r.alternatives()] for r in doubted]
    for tried, values in enumerate(itertools.product(*options), start=1):
        if tried > MAX_COMBINATIONS:
            return False
        change = {index[id(r)]: v for r, v in zip(doubted, values, strict=True) if v is not None}
        if f"{f.rule} {f.subject}" not in _failing(doc, table, change, readings, base):
            return False
    return True


def _fails_whatever(f: Finding, ident: Identity | None, doubted: list[Readings], base: Overlay) -> str | None:
    """Why the failed sum ``f`` cannot hold whatever counts its doubted cells print, or None when
    some could make it hold. A count is never negative: doubted parts can lower the parts by at
    most what they read, doubted totals the totals likewise, and doubted cells on both sides can
    make up any difference. A planted error whose row and column both failed stayed a warning for
    a 0 under a seal read unsurely in each, though the parts already exceeded the total without
    them (fuzz hard scan seed 10944: every cell read right, the error lost)."""
    if ident is None or f.expected is None or f.printed is None:
        return None
    gap = float(f.expected) - float(f.printed)  # parts minus totals, as read
    parts = totals = 0.0
    sides = set()
    for r in doubted:
        v = r.value
        x = base.get(id(v), v.value)
        if x is None or x < 0 or (v.table, v.col) in SIGNED_COLS:
            return None
        if (v.row, v.col) in ident.parts:
            sides.add("parts")
            parts += x
        elif (v.row, v.col) in ident.totals:
            sides.add("totals")
            totals += x
        else:
            return None
    if sides == {"parts"} and gap > parts + 1e-9:
        return f"without them the parts already exceed the totals by at least {gap - parts:g}"
    if sides == {"totals"} and -gap > totals + 1e-9:
        return f"without them the totals already exceed the parts by at least {-gap - totals:g}"
    return None


def _look_restores(
    doc: DocumentResult,
    table: str,
    f: Finding,
    readings: list[Readings],
    base: Overlay,
    looks: Callable[[Readings], Sequence[float | int]],
) -> Readings | None:
    """A cell of the failed sum for which one look (``looks``: the numbers it offers for a cell)
    gives the number that makes this sum hold and breaks none that holds. Other failures of the
    table need not go with it (a photographed page at 150 DPI may have several); a wrong reading
    restores a sum only by chance. The looks asked:

    * the black ink under a seal, read with confidence (:func:`_black_ink_look`): the sum rests on
      what the seal's removal left of a digit;
    * the digits the recogniser scored next (:attr:`Readings.runner_up`): every crop of the same ink
      reads the same, but the recogniser itself was not sure of that digit ("28" read at 0.75 from
      all three crops, the 6 it prints scored 0.43: copier seed 4842);
    * the cell read from its whole extent (:attr:`Readings.whole`): the box read cut a digit off;
    * under a seal, the reading with one digit more that the sum needs (:attr:`Readings.hidden`): a
      digit the seal hid from every look ("125" read "12" by every crop under a seal's ring, a real
      error elsewhere in the table: copier seed 6543 at 150 DPI, a false error)."""
    keys = {c.key for c in f.cells}
    before = _failing(doc, table, {}, readings, base)
    for i, r in enumerate(readings):
        if r.key not in keys:
            continue
        for alt in looks(r):
            after = _failing(doc, table, {i: alt}, readings, base)
            if f"{f.rule} {f.subject}" not in after and after <= before:
                return r
    return None


def _black_ink_look(r: Readings) -> list[float | int]:
    dark = r.sure_dark()
    return [dark] if dark is not None and r.black_ink_differs() else []


def _runner_up_look(r: Readings) -> list[float | int]:
    return r.runner_up


def _whole_look(r: Readings) -> list[float | int]:
    return r.whole


def _hidden_look(r: Readings) -> list[float | int]:
    return r.hidden


def _partial_fixes(
    doc: DocumentResult,
    table: str,
    errors: list[Finding],
    readings: list[Readings],
    settings: Settings,
    base: Overlay,
) -> Decisions | None:
    """More misread cells than one or two, each re-read twice the same way: a cell whose two
    agreeing re-readings (each surer than the first reading, or sure and read so by the black ink
    under a seal too) restore some failed sums and break none is taken, one at a time, the least
    confident first reading first; what still fails is settled again, on the values taken. None
    when no cell was taken."""

    def outvoted(r: Readings, v: float | int) -> bool:
        rereads = min(r.reads[1].confidence, r.reads[2].confidence)
        if rereads > max(r.reads[0].confidence, r.policy.unsure):
            return True
        # three sure looks against one: "559" under a seal first read "59" at 1.00, both crops and
        # the black ink "559" at 1.00; a real error in another row kept any one change from
        # restoring every failed sum, the page counted four misread sums, and the real error was
        # not reported (copier seed 5911 with a planted error, 200 DPI)
        return rereads >= r.policy.sure and r.sure_dark() == v

    candidates = sorted(
        (i for i, r in enumerate(readings) if (v := r.agreed()) is not None and v != r.value.value and outvoted(r, v)),
        key=lambda i: readings[i].reads[0].confidence,
    )
    taken: dict[int, float | int] = {}
    failing = _failing(doc, table, taken, readings, base)
    for i in candidates:
        agreed = readings[i].agreed()
        assert agreed is not None  # a candidate has two agreeing re-readings
        trial = {**taken, i: agreed}
        after = _failing(doc, table, trial, readings, base)
        if after < failing:  # fewer failures, and none that was not there
            taken, failing = trial, after
    if not taken:
        return None
    restored = len(errors) - len(failing)
    out = Decisions(removed=list(errors))
    for i, v in taken.items():
        out.extend(
            _adopt(
                readings[i],
                v,
                f"with the other re-read cells it restores {restored} of the table's failed sums and breaks none",
                f"采用后本表{restored}项不符的勾稽关系成立，且无新的不符",
            )
        )
    now = {**base, **out.overlay()}
    remaining = [f for f in error_findings(overlaid(doc, now)) if f.table == table]
    out.added += remaining
    if remaining:
        rest = [r for k, r in enumerate(readings) if k not in taken]
        out.extend(settle(doc, table, remaining, rest, settings, now))
    return out


def _adopt(r: Readings, v: float | int, why: str, why_zh: str) -> Decisions:
    """The value takes its two agreeing re-readings; the finding keeps all three."""
    first, first_conf = r.reads[0].text, r.reads[0].confidence
    text, conf = r.reads[1].text, max(r.reads[1].confidence, r.reads[2].confidence)
    # two re-readings agree on it: not doubted
    change = ValueChange(r.value, v, text, f"re-read: the first OCR pass read '{first}'", None, conf)
    return Decisions(
        values=[change],
        added=[
            finding(
                "ocr.reread_value",
                f"{r.key}: first read '{first}' ({first_conf:.2f}); re-read twice as '{text}' ({r.describe()}); {why}",
                table=r.value.table,
                cells=[ref(r.value)],
                expected=v,
                printed=first,
                subject=r.key,
                message_zh=f"首次OCR识别为“{first}”，两次重新识别均为“{text}”（{r.describe_zh()}），{why_zh}",
            )
        ],
    )


def _explain(errors: list[Finding], change: dict[int, float | int], readings: list[Readings]) -> Decisions:
    adopt = {i: v for i, v in change.items() if readings[i].agreed() == v}
    out = Decisions()
    if len(adopt) == len(change):
        # both re-readings agree on every changed cell, and together they restore every failed
        # sum: the first pass misread. The value takes the re-reading; the finding keeps all three
        for i, v in adopt.items():
            out.extend(
                _adopt(
                    readings[i],
                    v,
                    "the re-reading restores every failed sum of the table and is kept",
                    "采用重新识别值后本表勾稽关系全部成立",
                )
            )
        out.removed += errors
        return out
    for i, v in change.items():
        r = readings[i]
        first = r.reads[0]
        if v in r.derived:
            gives = (
                f"no count is printed so, and re-reading it ({r.describe()}) gives no other number; the sums give {v:g}"
            )
        elif v in r.whole and v not in r.values:
            gives = (
                f"read from the cell's whole extent it gives {v:g}, its reading with one digit more (the box "
                f"it was read from cut a digit off; {r.describe()})"
            )
        elif v in r.hidden and v not in r.values:
            gives = (
                f"it lies under a seal, and the sums give {v:g}, its reading with one digit more, which the "
                f"seal's ink may hide from every look ({r.describe()})"
            )
        else:
            gives = f"re-reading it ({r.describe()}) gives {v:g}"
        out.added.append(
            finding(
                "ocr.suggested_value",
                f"{r.key}: read '{first.text}' with confidence {first.confidence:.2f}; {gives}, "
                "which restores every failed sum of the table (the value stays as read)",
                table=r.value.table,
                expected=v,
                printed=r.reads[0].text,
                page=r.value.prov.page,
                bbox=r.value.prov.bbox,
                subject=r.key,
            )
        )
    return out


def _downgraded(f: Finding, doubtful: list[Readings], restorable: bool) -> Finding:
    """The failed sum as ``ocr.unconfirmed_sum``: the readings it rests on do not agree."""
    where = "; ".join(f"{r.key}: {r.describe()}" for r in doubtful)
    where_zh = "；".join(r.describe_zh() for r in doubtful)
    if restorable:
        why, why_zh = "another reading restores it", "另一读数可使其成立"
    elif any(r.not_reread() for r in doubtful):
        why, why_zh = "a cell could not be read again", "单元格无法重新识别"
    elif any(r.inked for r in doubtful):
        why, why_zh = "a cell read as printed blank holds ink", "读为空白的单元格内有墨迹"
    elif any(r.stroke for r in doubtful):
        why, why_zh = (
            "a blank mark read in a cell is taller than the page's type (a stroke, not a printed mark)",
            "单元格内读为空白符号的笔画高于页面字号（并非印刷的空白符号）",
        )
    elif any(r.off_line for r in doubtful):
        why, why_zh = "the ink read in a cell does not stand on one line", "单元格内被识别的墨迹不在同一行上"
    elif any(r.unread() for r in doubtful):
        why, why_zh = "a cell read again gave no number", "重新识别未得到数字"
    elif not any(r.disagree() for r in doubtful) and any(
        r.sealed and r.reads[0].confidence >= r.policy.sure for r in doubtful
    ):
        why, why_zh = (
            "a cell under a seal was not read surely enough and its black ink does not read it the same",
            "印章下单元格识别置信度不足，且黑色墨迹重读结果不一致",
        )
    elif not any(r.disagree() for r in doubtful):
        why, why_zh = "a cell was first read with low confidence", "单元格首次识别置信度低"
    else:
        why, why_zh = "the readings of these cells disagree", "多次识别结果不一致"
    return recoded(
        f,
        "ocr.unconfirmed_sum",
        f"{f.rule} fails as read ({f.message}), but its OCR readings are not confirmed: {where}. "
        f"As {why}, it is not reported as an error",
        f"{f.message_zh or f.message}；但相关OCR读数未经确认（{where_zh}），{why_zh}，故不作为错误",
    )


def _confirm(f: Finding, mine: list[Readings], min_confidence: float, other: bool = False) -> tuple[Finding, str, str]:
    """What the re-reading adds to a failed sum it leaves an error (a Decisions amendment);
    ``other``: ``mine`` are the sum's cells but those named apart."""
    dark = [r for r in mine if r.black_ink_agrees()]
    by_ink = "; ".join(f"{r.key}: {r.describe()}" for r in dark)
    if all(r.confirmed(min_confidence) or r.black_ink_agrees() for r in mine):
        its = "each of its other" if other else "each of its"
        en = f" (confirmed: {its} {len(mine)} OCR'd cells read the same again from a binarised crop"
        en += f"; under a seal, from the black ink alone: {by_ink})" if dark else ")"
        return f, en, f"（已复核：{'其余' if other else ''}{len(mine)}个OCR单元格重新识别结果一致）"
    doubtful = [
        f"{r.key}: {r.describe()}" for r in mine if not r.confirmed(min_confidence) and not r.black_ink_agrees()
    ]
    return (
        f,
        f" (re-read: no reading tried of {'; '.join(doubtful)} restores it)",
        "（已复核：存疑单元格的各种读数均不能使其成立）",
    )
