"""The OCR route: scanned, photographed and mixed filings against their source's golden values.

Uses only the PP-OCR models that RapidOCR's wheel ships; no network, no GPU.
"""

from __future__ import annotations

import json
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace

import cv2
import numpy as np
import pytest

from nianbao import Settings, process
from nianbao.checks.registry import run_checks
from nianbao.extractors import ocr
from nianbao.extractors.ocr_engine import _one_digit_away, ratio_groups
from nianbao.model import BBox, DocumentResult, Provenance, Value, Word
from tests.conftest import GOLDEN, SAMPLES

ARITH = {"t3.balance", "t3.results_total", "t3.applicant_total", "t4.total", "value.domain"}


def _scans() -> list[str]:
    return sorted(p.stem for p in GOLDEN.glob("*.json") if "source" in json.loads(p.read_text(encoding="utf-8")))


def test_there_are_scanned_samples_of_every_kind() -> None:
    files = {json.loads((GOLDEN / f"{n}.json").read_text(encoding="utf-8"))["file"] for n in _scans()}
    assert {f.rsplit(".", 1)[1] for f in files} >= {"pdf", "jpg", "tif"}
    assert len(files) >= 8


def _read_scan(name: str) -> tuple[dict, DocumentResult]:  # type: ignore[type-arg]
    gold = json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))
    return gold, process(SAMPLES / gold["file"], Settings(ocr_threads=1))


@pytest.fixture(scope="module")
def scans() -> dict[str, tuple[dict, DocumentResult]]:  # type: ignore[type-arg]
    """Every scanned sample read once, two at a time (OCR costs seconds a page; one recogniser
    thread a process uses two cores better than two threads on one page's batches)."""
    names = _scans()
    with ProcessPoolExecutor(2) as pool:
        return dict(zip(names, pool.map(_read_scan, names), strict=True))


def _wrong_cells(gold: dict, doc: DocumentResult) -> tuple[list[str], int]:  # type: ignore[type-arg]
    got = {(v.table, v.row, v.col): v for v in doc.values}
    read_tables = {v.table for v in doc.values if v.value is not None}
    wrong, total = [], 0
    for c in gold["cells"]:
        if gold.get("partial_report") and c["table"] not in read_tables:
            continue  # only some pages of the report were scanned
        total += 1
        key = (c["table"], c["row"], c["col"])
        v = got.get(key)
        if v is None or v.value is None or abs(float(v.value) - float(c["value"])) > 1e-9:
            wrong.append(".".join(key))
    return wrong, total


@pytest.mark.parametrize("name", _scans())
def test_scan_reads_back(name: str, scans) -> None:  # type: ignore[no-untyped-def]
    gold, doc = scans[name]
    assert sorted(p.number for p in doc.pages if p.route == "ocr") == gold["ocr_pages"]
    wrong, total = _wrong_cells(gold, doc)
    assert 1 - len(wrong) / total >= 0.98, wrong
    # every cell read wrong carries a finding that sends a person to it
    flagged: set[str] = set()
    for f in doc.findings:
        if f.rule in ARITH or f.rule.startswith(("ocr.", "value.")):
            flagged |= {c.key for c in f.cells}
            flagged.add(f.subject or "")
    assert not [k for k in wrong if k not in flagged], wrong
    # the errors planted in the source are still found
    read_tables = {v.table for v in doc.values if v.value is not None}
    expected = {(f["rule"], f["subject"]) for f in gold["findings"]}
    if gold.get("partial_report"):
        # pages that were not scanned cannot show their findings
        expected = {(r, s) for r, s in expected if r.split(".")[0] in read_tables or r == "value.domain"}
    assert expected <= {(f.rule, f.subject) for f in doc.findings}


@pytest.mark.parametrize(("min_dpi", "max_dpi", "floor"), [(200, 600, 0.995), (72, 199, 0.98)])
def test_cell_accuracy_by_resolution(scans, min_dpi: int, max_dpi: int, floor: float) -> None:  # type: ignore[no-untyped-def]
    wrong = total = 0
    for gold, doc in scans.values():
        if min_dpi <= gold["dpi"] <= max_dpi:
            w, t = _wrong_cells(gold, doc)
            wrong, total = wrong + len(w), total + t
    assert total > 0
    assert 1 - wrong / total >= floor, (wrong, total)


def test_seal_is_removed_but_ink_under_it_stays() -> None:
    rgb = np.full((60, 60, 3), 255, np.uint8)
    rgb[:, :, 1:] = 60  # red everywhere
    rgb[20:40, 28:32] = 0  # black stroke under the seal
    grey = ocr.suppress_seals(rgb)
    assert grey[5, 5] == 255 and grey[30, 30] < 50


def test_the_seal_zone_says_where_red_ink_was() -> None:
    rgb = np.full((80, 120, 3), 235, np.uint8)
    rgb[10:70, 10:70] = (222, 35, 35)
    rgb[20:60, 38:42] = (20, 8, 10)  # black ink printed under it
    grey, zone = ocr.without_seals(rgb)
    assert grey[15, 15] > 200 and grey[40, 40] < 60
    assert zone is not None and zone[15, 15] == 255 and zone[40, 40] == 255 and zone[40, 100] == 0
    assert ocr.without_seals(np.full((40, 40, 3), 235, np.uint8))[1] is None


@pytest.mark.parametrize("angle", [-4.0, -1.5, 0.0, 2.5])
def test_skew_is_measured(angle: float) -> None:
    page = np.full((800, 600), 255, np.uint8)
    for y in range(100, 700, 60):
        cv2.line(page, (50, y), (550, y), 0, 2)
    est = ocr.skew_angle(ocr.binarize(ocr.rotate(page, angle)))
    assert abs(est + angle) < 0.2


def test_quarter_turn_is_seen() -> None:
    page = np.full((800, 600), 255, np.uint8)
    for y in range(100, 700, 30):
        cv2.line(page, (50, y), (500, y), 0, 6)
    ink = ocr.binarize(page)
    assert not ocr.quarter_turn(ink)
    assert ocr.quarter_turn(np.ascontiguousarray(np.rot90(ink)))


def test_blank_marks_by_shape() -> None:
    dash = np.zeros((20, 30), np.uint8)
    dash[9:11, 8:20] = 255
    assert ocr.blank_mark(dash, 20) == "-"
    slash = np.zeros((20, 20), np.uint8)
    for y in range(2, 18):
        slash[y, 15 - (y - 2) // 2 : 17 - (y - 2) // 2] = 255
    assert ocr.blank_mark(slash, 20) == "/"


@pytest.mark.parametrize("digits", ["30", "6", "7", "1"])
def test_digits_that_lean_or_run_together_are_no_blank_mark(digits: str) -> None:
    # at 150 DPI "30" is one blob, and a 6 or 7 leans like a slash; a "/" read from them turned
    # a count into 0 with full confidence
    img = np.full((24, 40), 255, np.uint8)
    cv2.putText(img, digits, (2, 20), cv2.FONT_HERSHEY_SIMPLEX, 0.7, 0, 3, cv2.LINE_AA)
    _, ink = cv2.threshold(img, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    ys, xs = np.nonzero(ink)
    assert ocr.blank_mark(np.ascontiguousarray(ink[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]), 20) is None


def test_ratio_groups_bound_padding() -> None:
    groups = ratio_groups([1.0, 1.1, 10.0, 1.2, 12.0, 30.0], size=32)
    assert [sorted(g) for g in groups] == [[0, 1, 3], [2, 4], [5]]


def _t4_doc(values: dict[str, int], low: set[str]) -> DocumentResult:
    doc = DocumentResult(doc_id="x", path="x", sha256="x", kind="image", table_formats={"t4": "2021"})
    for b in ("review", "litigation_direct", "litigation_after_review"):
        for m in ("upheld", "corrected", "other", "pending", "total"):
            key = f"{b}.{m}"
            v = values.get(key, 0)
            conf = 0.5 if key in low else 0.99
            doc.values.append(Value("t4", b, m, v, Provenance(source="ocr", raw=str(v), page=1, confidence=conf)))
    return doc


def test_one_low_confidence_cell_that_restores_the_sums_is_suggested() -> None:
    from nianbao.catalogue import finding

    # printed 2+3+0+1 = 6, read as 8: only the doubtful 8 explains the failure
    doc = _t4_doc({"review.upheld": 2, "review.corrected": 3, "review.pending": 1, "review.total": 8}, {"review.total"})
    doc.findings.append(finding("ocr.low_confidence", "x", table="t4", subject="t4.review.total"))
    run_checks(doc)
    sug = [f for f in doc.findings if f.rule == "ocr.suggested_value"]
    assert len(sug) == 1 and sug[0].expected == "6" and sug[0].printed == "8"
    assert doc.value("t4", "review", "total").value == 8  # never replaced silently
    # the failed sum rests on the doubtful reading: a warning, not an error against the filing
    assert not [f for f in doc.findings if f.rule == "t4.total"]
    suspect = [f for f in doc.findings if f.rule == "ocr.suspect_sum"]
    assert len(suspect) == 1 and suspect[0].severity.value == "warning"
    assert "t4.review.total" in {c.key for c in suspect[0].cells} and "as 6" in suspect[0].message


def test_no_suggestion_when_the_doubtful_cell_cannot_explain_it() -> None:
    from nianbao.catalogue import finding

    doc = _t4_doc({"review.upheld": 2, "review.total": 8, "litigation_direct.total": 5}, {"review.upheld"})
    doc.findings.append(finding("ocr.low_confidence", "x", table="t4", subject="t4.review.upheld"))
    run_checks(doc)
    assert not [f for f in doc.findings if f.rule == "ocr.suggested_value"]
    # nothing explains the failures: they stay errors
    assert {f.rule for f in doc.findings if f.severity.value == "error"} == {"t4.total"}


def test_ocr_off_marks_pages_instead_of_guessing() -> None:
    doc = process(SAMPLES / "fake_bold_scan_page.pdf", Settings(ocr=False))
    assert [p.number for p in doc.pages if p.needs_ocr] == [3]
    assert any(f.rule == "extract.needs_ocr" for f in doc.findings)


def test_glyphs_without_unicode_map_send_pages_to_ocr(scans) -> None:  # type: ignore[no-untyped-def]
    _, doc = scans["nomap_glyphs"]
    assert [p.route for p in doc.pages] == ["ocr", "ocr"]
    assert all(p.reason and "without a Unicode map" in p.reason for p in doc.pages)


def test_two_doubtful_cells_one_character_off_explain_the_sums_together() -> None:
    from nianbao.catalogue import finding

    # printed 2+3+0+1 = 6 and 1+1+2+1 = 5; the totals read 8 and 9, both doubtful
    values = {
        "review.upheld": 2,
        "review.corrected": 3,
        "review.pending": 1,
        "review.total": 8,
        "litigation_direct.upheld": 1,
        "litigation_direct.corrected": 1,
        "litigation_direct.other": 2,
        "litigation_direct.pending": 1,
        "litigation_direct.total": 9,
    }
    doc = _t4_doc(values, {"review.total", "litigation_direct.total"})
    for key in ("t4.review.total", "t4.litigation_direct.total"):
        doc.findings.append(finding("ocr.low_confidence", "x", table="t4", subject=key))
    run_checks(doc)
    sug = {f.subject: f.expected for f in doc.findings if f.rule == "ocr.suggested_value"}
    assert sug == {"t4.review.total": "6", "t4.litigation_direct.total": "5"}
    assert not [f for f in doc.findings if f.severity.value == "error"]
    assert len([f for f in doc.findings if f.rule == "ocr.suspect_sum"]) == 2


def test_two_doubtful_cells_far_from_what_was_read_explain_nothing() -> None:
    from nianbao.catalogue import finding

    # the totals read 80 and 9: 80 → 6 is two characters away, not an OCR slip; the errors stay
    values = {"review.upheld": 2, "review.corrected": 3, "review.pending": 1, "review.total": 80}
    values |= {"litigation_direct.upheld": 1, "litigation_direct.other": 3, "litigation_direct.total": 9}
    doc = _t4_doc(values, {"review.total", "litigation_direct.total"})
    for key in ("t4.review.total", "t4.litigation_direct.total"):
        doc.findings.append(finding("ocr.low_confidence", "x", table="t4", subject=key))
    run_checks(doc)
    assert not [f for f in doc.findings if f.rule == "ocr.suggested_value"]
    assert len([f for f in doc.findings if f.rule == "t4.total" and f.severity.value == "error"]) == 2


def test_pdf_pages_reach_ocr_in_rgb_order() -> None:
    """pdfium renders BGR unless asked: the seal filter reads the red channel, and a red seal
    read as blue stayed on the page (scanned PDFs with seals lost whole tables to its ring)."""
    import pypdfium2 as pdfium

    from nianbao.extractors.pdf import render_page

    pdf = pdfium.PdfDocument(str(SAMPLES / "scan_seal_200.pdf"))
    try:
        rgb = render_page(pdf, 2, 100).astype(int)
    finally:
        pdf.close()
    reddish = (rgb[:, :, 0] - rgb[:, :, 2]) > 60
    bluish = (rgb[:, :, 2] - rgb[:, :, 0]) > 60
    assert reddish.sum() > 1000 and bluish.sum() < reddish.sum() // 100


@pytest.mark.parametrize("colour", [(222, 35, 35), (236, 128, 128), (186, 36, 88)])
def test_seal_ring_leaves_no_ink_after_jpeg(colour: tuple[int, int, int]) -> None:
    """Red, faded pink and crimson rings, half transparent and JPEG-compressed (colour at half
    resolution smears the stroke's edge), leave no ink; a black digit under the ring stays."""
    page = np.full((240, 240, 3), 255, np.uint8)
    cv2.putText(page, "0", (100, 140), cv2.FONT_HERSHEY_SIMPLEX, 1.6, (0, 0, 0), 4)
    ring = np.full_like(page, 255)
    cv2.circle(ring, (120, 120), 80, colour, 7)
    cv2.circle(ring, (120, 120), 25, colour, -1)
    blended = (page.astype(np.float32) / 255 * (1 - 0.7 * (1 - ring.astype(np.float32) / 255)) * 255).astype(np.uint8)
    ok, jpg = cv2.imencode(".jpg", cv2.cvtColor(blended, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, 60])
    assert ok
    rgb = cv2.cvtColor(cv2.imdecode(jpg, cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)
    ink = ocr.binarize(ocr.suppress_seals(rgb))
    ring_only = np.zeros(ink.shape, np.uint8)
    cv2.circle(ring_only, (120, 120), 80, 255, 13)
    assert (ink[ring_only > 0] > 0).mean() < 0.01
    digit = np.zeros(ink.shape, np.uint8)
    cv2.putText(digit, "0", (100, 140), cv2.FONT_HERSHEY_SIMPLEX, 1.6, 255, 4)
    # the same digit on white paper keeps 81% of its drawn pixels as ink; under the seal it may
    # lose a little of its rim (reddened by JPEG) but keeps its shape
    assert (ink[digit > 0] > 0).mean() > 0.7


@pytest.mark.parametrize("angle", [-1.2, 0.4, 1.5])
def test_skew_of_an_unruled_page_is_measured_from_its_rows(angle: float) -> None:
    """No rules: a label column and short numbers in columns, rows at a steady pitch. Text
    lines smeared into bars merge diagonally on such a page; the row profile does not."""
    page = np.full((1100, 850), 255, np.uint8)
    for k, y in enumerate(range(120, 1000, 34)):
        cv2.putText(page, "ABCDEFGH" if k % 3 else "ABCDEFGHIJKL", (60, y), cv2.FONT_HERSHEY_SIMPLEX, 0.6, 0, 2)
        for x in range(330, 800, 70):
            cv2.putText(page, str((k * 7 + x) % 97), (x, y), cv2.FONT_HERSHEY_SIMPLEX, 0.6, 0, 2)
    # one long stroke (a heading's underline) must not set the angle on its own
    cv2.line(page, (60, 80), (700, 80), 0, 3)
    est = ocr.skew_angle(ocr.binarize(ocr.rotate(page, angle)))
    assert abs(est + angle) < 0.15


def test_rows_that_lean_into_each_other_are_cut_apart() -> None:
    """A phone photo of an unruled table: its rows lean (perspective), so the page's row profile
    has no gap between them and its bands are many rows tall. The page's line height taken from
    its glyphs (as ``_read`` does) lets each band be cut into single lines again."""
    ink = np.zeros((420, 1200), np.uint8)
    for r in range(10):
        for x in [*range(50, 330, 16), 600, 700, 800, 900, 1000, 1100]:  # a label, six numbers
            top = int(40 + 34 * r + 0.02 * x)
            ink[top : top + 14, x : x + 11] = 255
    glyph_h = ocr._glyph_height(ink, 5)
    assert glyph_h == 14
    boxes = ocr.text_lines_in(ink, 0, 0, 1200, 420, 5, page_line_h=1.3 * glyph_h)
    assert len(boxes) == 70 and max(b[3] - b[1] for b in boxes) < 1.5 * glyph_h
    # the band heights alone (the old measure) leave every crop many rows tall
    assert max(b[3] - b[1] for b in ocr.text_lines_in(ink, 0, 0, 1200, 420, 5)) > 5 * glyph_h


def test_a_number_beside_a_wrapped_label_is_cut_out_of_it() -> None:
    """An unruled row: a label wrapped to two lines, its number printed centred beside them,
    a few pixels to the right of the label. One crop would read two lines as one; the cut
    gives the label's two lines and the number apart."""
    page = np.full((120, 420), 255, np.uint8)
    cv2.putText(page, "ABCDEF", (10, 40), cv2.FONT_HERSHEY_SIMPLEX, 0.8, 0, 2)
    cv2.putText(page, "GHIJ", (10, 75), cv2.FONT_HERSHEY_SIMPLEX, 0.8, 0, 2)
    cv2.putText(page, "36", (128, 58), cv2.FONT_HERSHEY_SIMPLEX, 0.8, 0, 2)
    boxes = ocr.text_lines_in(ocr.binarize(page), 0, 0, 420, 120, 5)
    assert len(boxes) == 3, boxes
    number = max(boxes, key=lambda b: b[0])
    assert number[0] >= 120 and number[2] <= 175


def test_a_ruled_cell_whose_lines_part_side_by_side_is_a_block_not_a_cell() -> None:
    """Table 四 ruled round its two blocks only (copier seed 7229): one "cell" holds five columns'
    headers and numbers. Cut as a cell, each line was one crop ("尚未审持正果结2227245"); its lines
    part into pieces side by side, as an unruled table's do. A wrapped label or a number does not."""
    block = np.full((120, 600), 255, np.uint8)
    for k, (head, num) in enumerate((("AB", "22"), ("CD", "2"), ("EF", "7"), ("GH", "24"), ("IJ", "55"))):
        cv2.putText(block, head, (10 + 115 * k, 40), cv2.FONT_HERSHEY_SIMPLEX, 0.8, 0, 2)
        cv2.putText(block, num, (10 + 115 * k, 90), cv2.FONT_HERSHEY_SIMPLEX, 0.8, 0, 2)
    ink = ocr.binarize(block)
    assert len(ocr.text_lines_in(ink, 0, 0, 600, 120, 5, split=False)) == 2  # as a cell: two lines
    cut = ocr.text_lines_in(ink, 0, 0, 600, 120, 5)
    assert len(cut) == 10 and ocr._side_by_side(cut)
    label = np.full((120, 600), 255, np.uint8)
    cv2.putText(label, "ABCDEFGHIJ", (10, 40), cv2.FONT_HERSHEY_SIMPLEX, 0.8, 0, 2)
    cv2.putText(label, "KLMN", (10, 90), cv2.FONT_HERSHEY_SIMPLEX, 0.8, 0, 2)
    assert not ocr._side_by_side(ocr.text_lines_in(ocr.binarize(label), 0, 0, 600, 120, 5))


def test_the_longest_lines_of_a_table_page_are_its_labels_not_rows_of_numbers() -> None:
    """The upright/turned test reads the starts of a page's longest lines. A block label and row
    labels wrapped at other heights fill each other's gaps, so the row profile's band is four lines
    tall; a row of numbers 90 px apart beside them is no longer "one line" once the page's line
    height (not the band's) bounds the gap between words. Read as a line of digits it scored so
    badly that a portrait table page was turned on its side."""
    page = np.full((900, 1400), 255, np.uint8)
    for r in range(6):
        for k in range(4):
            cv2.putText(page, "ABCDEFG", (20, 60 + 140 * r + 26 * k), cv2.FONT_HERSHEY_SIMPLEX, 0.7, 0, 2)
            cv2.putText(page, "HIJ", (160, 73 + 140 * r + 26 * k), cv2.FONT_HERSHEY_SIMPLEX, 0.7, 0, 2)
        for c in range(10):
            cv2.putText(page, "0", (300 + 90 * c, 60 + 140 * r + 40), cv2.FONT_HERSHEY_SIMPLEX, 0.7, 0, 2)
    boxes: list[tuple[int, int, int, int]] = []
    original = ocr.text_lines_in

    def capture(*args: object, **kwargs: object) -> list[tuple[int, int, int, int]]:
        out = original(*args, **kwargs)  # type: ignore[arg-type]
        boxes.extend(out)
        return out

    ocr.text_lines_in = capture  # type: ignore[assignment]
    try:
        ocr._line_starts(page, ocr.binarize(page), 200)
    finally:
        ocr.text_lines_in = original  # type: ignore[assignment]
    longest = sorted(boxes, key=lambda b: b[0] - b[2])[:4]
    assert all(b[0] < 250 for b in longest), longest


def test_a_copiers_streak_is_no_ruling_line_but_a_tables_rule_stays() -> None:
    """A toner streak runs the page from top to bottom, lighter than ink; binarised as it is it is a
    rule that cuts every table it crosses. A table's rule stops at the table (the page's margins)."""
    page = np.full((1200, 900), 245, np.uint8)
    page[150:1050, 300:302] = 20  # a table's vertical rule, 75% of the page's height
    page[:, 600:604] = (page[:, 600:604] * 0.6).astype(np.uint8)  # a streak: darker paper, all the way down
    cv2.putText(page, "1234", (560, 500), cv2.FONT_HERSHEY_SIMPLEX, 1.2, 10, 3)  # ink over the streak
    flat = ocr.flatten_streaks(page)
    _, vert = ocr.ruling_masks(ocr.binarize(flat))
    assert vert[:, 296:306].any() and not vert[:, 590:612].any()  # the rule stays, the streak is gone
    _, before = ocr.ruling_masks(ocr.binarize(page))
    assert before[:, 590:612].any()  # (left in, the streak was a rule)
    assert int(flat[100, 601]) >= 240 and (flat[470:505, 560:660] < 100).any()  # paper back, ink still ink
    assert np.array_equal(ocr.flatten_streaks(np.full((300, 200), 240, np.uint8)), np.full((300, 200), 240, np.uint8))


def test_a_speckled_page_keeps_its_text_and_loses_its_specks() -> None:
    rng = np.random.default_rng(3)
    ink = np.zeros((800, 600), np.uint8)
    cv2.putText(ink, "1234", (100, 200), cv2.FONT_HERSHEY_SIMPLEX, 1.0, 255, 2)
    text = int(ink.sum())
    specks = rng.random(ink.shape) < 0.004  # salt and pepper, single pixels
    ink[specks] = 255
    blob = np.zeros_like(ink)
    blob[600:604, 400:404] = 255  # a speck smeared to 4x4 by JPEG, far from any text
    out = ocr.despeckle(cv2.bitwise_or(ink, blob), 150)
    assert out[600:604, 400:404].sum() == 0  # on a speckled page a 16-pixel blob alone is noise
    assert int(out[150:215, 90:240].sum()) >= 0.95 * text  # the text stays whole


def test_a_streak_under_a_seal_is_still_a_streak() -> None:
    """Taking a seal out makes its pixels paper-white; they must not count as the streak's paper."""
    page = np.full((1000, 800), 245, np.uint8)
    page[:, 400:403] = (page[:, 400:403] * 0.6).astype(np.uint8)
    seal = np.zeros_like(page)
    seal[300:450, 330:480] = 255
    page[seal > 0] = 245  # what the seal's removal left
    assert int(ocr.flatten_streaks(page)[800, 401]) < 200  # counted as paper, the streak stays
    assert int(ocr.flatten_streaks(page, seal)[800, 401]) >= 240


def _digits(text: str, gap_after: int | None = None) -> np.ndarray:
    """Ink (255) of ``text`` drawn digit by digit, a wide gap after ``gap_after`` digits."""
    img = np.zeros((40, 20 * len(text) + 40), np.uint8)
    x = 4
    for i, ch in enumerate(text):
        cv2.putText(img, ch, (x, 32), cv2.FONT_HERSHEY_SIMPLEX, 1.0, 255, 2)
        x += 20 + (12 if gap_after is not None and i + 1 == gap_after else 0)
    return img


def test_a_gap_where_a_decimal_point_stood_is_doubted_in_amounts_only() -> None:
    """'357 88' for 357.88 万元 (the point taken by a seal's removal, hard scan seed 12054 at 150 DPI)
    was read 35788 at 1.00 and named by no finding: the gap before the last digits doubts it. A
    count is printed with no point, so there the gap is spacing."""
    from nianbao.extractors.ocr import _gap_before_tail
    from nianbao.normalizers.readout import value_of

    assert _gap_before_tail(_digits("35788", gap_after=3), 5)
    assert not _gap_before_tail(_digits("35788"), 5)
    assert not _gap_before_tail(_digits("35788", gap_after=1), 5)  # four digits after the gap
    prov = Provenance("ocr", "35788", 1, confidence=1.0, doubt="point_gap")
    assert value_of("t2", "procurement", "amount", replace(prov), Settings()).prov.doubt == "point_gap"
    assert value_of("t3", "granted", "total", replace(prov), Settings()).prov.doubt is None


def test_a_dash_the_ink_shows_left_of_a_count_is_no_minus() -> None:
    """The first pass adds a minus the ink shows left of the digits (the recogniser drops a short
    one). Only 本年增/减 is ever negative: elsewhere that dash is a copier's streak or a rule's
    stub ("-8" for 8 in table 三, a false value.domain error and two false sums: copier seed 3601),
    dropped and still doubted."""
    from nianbao.normalizers.readout import value_of

    prov = Provenance("ocr", "-8", 1, confidence=1.0, doubt="leading_dash")
    count = value_of("t3", "denied_enforcement_file", "social_welfare", replace(prov), Settings())
    assert (count.value, count.prov.raw, count.prov.doubt) == (8, "8", "speck_dash")
    change = value_of("t2", "licensing", "change", replace(prov), Settings())
    assert (change.value, change.prov.raw, change.prov.doubt) == (-8, "-8", "leading_dash")
    # a minus the recogniser itself read is what was printed: the filing's error, if any, stands
    read = value_of("t3", "granted", "total", Provenance("ocr", "-8", 1, confidence=1.0), Settings())
    assert read.value == -8


def test_a_point_before_a_counts_first_digit_is_a_speck() -> None:
    """ ".6" where 6 is printed (copier seed 3604): no count prints a point, least of all first."""
    from nianbao.normalizers.readout import value_of

    count = value_of(
        "t3", "not_processed_duplicate", "legal_service", Provenance("ocr", ".6", 1, confidence=0.91), Settings()
    )
    assert (count.value, count.prov.raw, count.prov.doubt) == (6, "6", "speck_point")
    # an amount may be printed so: read as the filing prints it, whatever that parses to
    fee = value_of("t2", "fees", "amount", Provenance("ocr", ".6", 1, confidence=0.91), Settings())
    assert fee.prov.raw == ".6" and fee.prov.doubt != "speck_point"


def test_the_digit_scored_next_is_offered_one_emitted_digit_at_a_time() -> None:
    chars = ["blank", *"0123456789", "a"]
    digits = np.arange(1, 11)
    # frames: 2 2 _ 8 _ a  (the 8 with 0.40 on 6; the 2 sure); CTC: "28a"
    pred = np.full((6, len(chars)), 0.0)
    for t, (k, p) in enumerate([(3, 1.0), (3, 1.0), (0, 1.0), (9, 0.55), (0, 1.0), (11, 1.0)]):
        pred[t, k] = p
    pred[3, 7] = 0.40
    assert _one_digit_away(pred, digits, chars, 0.02) == [("26a", pytest.approx(0.40))]
    assert _one_digit_away(pred, digits, chars, 0.5) == []


def _numbers_page(rows: int) -> np.ndarray:
    """An RGB page at 200 DPI printing ``rows`` lines of three numbers, no rules round them and no
    columns either (no grid is found: what is left of a table whose rows a seal or a fold tore)."""
    img = np.full((1600, 1200, 3), 255, np.uint8)
    for r in range(rows):
        for c in range(3):
            x = 200 + 260 * c + 90 * r
            cv2.putText(img, str(10 * r + c), (x, 300 + 90 * r), cv2.FONT_HERSHEY_SIMPLEX, 1.0, (0, 0, 0), 2)
    return img


def test_a_page_of_numbers_without_a_grid_keeps_its_image_to_be_read_again() -> None:
    # copier seed 4836: table 三's unruled last rows on a page of their own were read by the
    # anchored reader, but the page's image was dropped, and no cell of it could be read again
    from nianbao.extractors.pdf import ocr_page
    from nianbao.model import DocumentResult, Page

    for rows, kept in ((4, True), (1, False)):
        doc = DocumentResult(doc_id="x", path="x", sha256="x", kind="image")
        page = Page(number=1, width=432, height=576)
        ocr_page(doc, page, lambda rows=rows: _numbers_page(rows), 200, Settings(ocr_threads=1))  # type: ignore[misc]
        assert not page.has_table and sum(w.text.isdigit() for w in page.words) == 3 * rows
        assert (page.image is not None) is kept, rows


@pytest.mark.parametrize(
    ("turned", "upright", "turn"),
    [
        # copier seed 5747 at 300 DPI: on its side the page's longest "lines" are a few glyphs of
        # its columns, read surely ("告告" 0.997): about the same score, a third of the Chinese
        ((1.0, 30.0, 0), (0.968, 8.7, 0), True),
        ((0.95, 12.0, 0), (0.70, 10.0, 0), True),  # clearly better by score, as before
        # a landscape page of ruled tables: turned, its columns of digits read surely but are no
        # Chinese; upright its labels are
        ((0.97, 2.0, 0), (0.93, 28.0, 0), False),
        ((1.0, 16.0, 0), (0.98, 12.0, 0), False),  # about the same both ways: left as it is
        ((0.80, 40.0, 0), (0.98, 8.0, 0), False),  # far more Chinese, but read much worse
        # copier seed 6714 at 150 DPI (rendered at 200): a ruled table page on its side; upright its
        # stacked header cells read as sure nonsense ("公这", "分计形"), turned its worn labels read
        # as the form's words ("一、本年新收政不信点"): 11 pairs of the form's characters against none
        ((0.845, 26.6, 11), (0.96, 10.5, 0), True),
        ((0.80, 20.0, 5), (0.98, 8.0, 0), False),  # a few of the form's words: not enough alone
        ((0.80, 20.0, 14), (0.98, 12.0, 5), False),  # the form's words both ways: not far more
    ],
)
def test_a_page_the_profiles_call_turned_is_turned_where_it_reads_better(
    turned: tuple[float, float, int], upright: tuple[float, float, int], turn: bool
) -> None:
    assert ocr._reads_better_turned(ocr.Reads(*turned), ocr.Reads(*upright)) is turn


@pytest.mark.parametrize(
    ("turned", "upright", "turn"),
    [
        # copier seed 5621 at 200 DPI: a table page on its side whose profiles band either way
        # (ratio 1.1); read upright its lines score 0.32 with one character, turned 0.97 with 27
        ((0.971, 27.3, 0), (0.318, 1.16, 0), True),
        # what turned a page that was upright: worn, it reads badly either way
        ((0.75, 14.0, 0), (0.55, 12.0, 0), False),
        ((1.0, 30.0, 0), (0.968, 8.7, 0), False),  # as well, with more Chinese: not enough unasked
        ((0.845, 26.6, 11), (0.96, 10.5, 0), True),  # 6714: far more of the form's words, asked or not
    ],
)
def test_a_page_the_profiles_do_not_call_turned_is_turned_only_where_it_reads_far_better(
    turned: tuple[float, float, int], upright: tuple[float, float, int], turn: bool
) -> None:
    assert ocr._reads_better_turned(ocr.Reads(*turned), ocr.Reads(*upright), clearly=True) is turn


def _page_of(texts: list[str]) -> ocr.OcrPage:
    box = BBox(0, 0, 10, 10)
    return ocr.OcrPage([Word(t, box, "ocr", 0.99) for t in texts])


@pytest.mark.parametrize(
    ("texts", "doubtful"),
    [
        # copier seed 7004 at 300 DPI: a ruled table page on its side, each glyph of its labels'
        # columns read alone or in pairs, surely; its numbers read surely too
        (["项之", "为加", "系项", "关三", "稽第"] * 5 + ["社", "法", "0", "12"] * 10, True),
        # upright, a table page's labels read whole: most words with Chinese have three or more
        (["一、本年新收政府信息公开申请数量", "予以公开", "同意", "0", "12"] * 8, False),
        # a review log's approvals ("同意") beside its items' names
        (["同意"] * 20 + ["关于印发工作方案的通知", "办公室"] * 6, False),
        (["项之", "为加", "0"] * 5, False),  # too few words with Chinese to tell by their length
    ],
)
def test_a_page_whose_chinese_reads_in_pieces_is_doubtful(texts: list[str], doubtful: bool) -> None:
    assert ocr._doubtful(_page_of(texts)) is doubtful
