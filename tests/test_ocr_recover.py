"""Cells no reader found on an OCR'd table are read where their row and column cross
(checks/ocr_recover.py)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from nianbao import Settings, process
from nianbao.catalogue import finding
from nianbao.checks.ocr_recover import _bare_digits, _lost_row_bands, cell_box, recover_cells
from nianbao.model import BBox, DocumentResult, Page, Provenance, Value


def _v(row: str, col: str, x0: float, top: float, x1: float) -> Value:
    return Value("t3", row, col, 1, Provenance("ocr", "1", 2, BBox(x0, top, x1, top + 5), 0.99))


def test_the_cell_box_is_the_rows_band_and_the_columns_extent_to_its_neighbours() -> None:
    read = [
        _v("granted", "natural_person", 300, 100, 306),
        _v("granted", "research", 380, 100.4, 390),
        _v("denied_state_secret", "commercial", 338, 120, 346),
        _v("denied_state_secret", "natural_person", 299, 120, 305),
    ]
    page, box = cell_box("granted", "commercial", read) or (0, BBox(0, 0, 0, 0))
    assert page == 2
    assert (box.top, box.bottom) == (100.2, 105.2)  # the row's band
    # half way to the columns beside it (centres 302.5 and 385), never less than the column's own ink
    assert (box.x0, box.x1) == (322.25, 363.5)
    # a row with no value on the page, or a column with none there: no box
    assert cell_box("other", "commercial", read) is None
    assert cell_box("granted", "total", read) is None


def test_the_cell_box_stops_short_of_a_column_beside_it_that_nothing_was_read_in() -> None:
    # copier seed 7112: 社会公益组织 unread on the page; 法律服务机构's box reached half way to
    # 科研机构, over social_welfare's 3, and read "31" for a 1
    cols = (("natural_person", 300), ("commercial", 340), ("research", 380), ("legal_service", 460), ("other_org", 500))
    read = [_v("granted", c, x, 100, x + 6) for c, x in cols]
    read.append(_v("denied_state_secret", "natural_person", 300, 120, 306))
    _, box = cell_box("denied_state_secret", "legal_service", read) or (0, BBox(0, 0, 0, 0))
    # the pitch of the columns read side by side is 40: social_welfare's centre stands about 423,
    # so the box starts half way to it (443), not half way to research's centre 383 (423)
    assert (box.x0, box.x1) == (443.0, 483.0)
    # no two columns read side by side: no pitch, and no box where a neighbour is unread
    sparse = [_v("granted", "natural_person", 300, 100, 306), _v("granted", "research", 380, 100, 386)]
    assert cell_box("granted", "research", sparse) is None


def _rows_at(tops: dict[str, float]) -> list[Value]:
    return [
        _v(row, col, x, top, x + 6)
        for row, top in tops.items()
        for col, x in (("natural_person", 300), ("commercial", 340))
    ]


def test_a_row_none_of_whose_values_was_read_lies_half_way_between_its_neighbours() -> None:
    # copier seed 6305 at 300 DPI: a seal's ring joined five rows into one line, one row was lost
    # whole and the planted error in the row below went unchecked
    read = _rows_at({"new_received": 100, "carried_over": 120, "granted": 140, "denied_state_secret": 180,
                     "denied_law_prohibited": 200})  # fmt: skip
    bands = _lost_row_bands("t3", "2021", {"partially_granted"}, read)
    assert bands == {"partially_granted": (2, 160.0, 165.0)}
    page, box = cell_box("partially_granted", "commercial", read, bands["partially_granted"]) or (0, BBox(0, 0, 0, 0))
    assert page == 2 and (box.top, box.bottom) == (160.0, 165.0)
    # its neighbours one row apart (the filing does not print it), or no pitch to measure: no band
    close = _rows_at({"new_received": 100, "carried_over": 120, "granted": 140, "denied_state_secret": 160,
                      "denied_law_prohibited": 180})  # fmt: skip
    assert _lost_row_bands("t3", "2021", {"partially_granted"}, close) == {}
    few = _rows_at({"granted": 140, "denied_state_secret": 180})
    assert _lost_row_bands("t3", "2021", {"partially_granted"}, few) == {}
    # no format told: no order of rows to go by
    assert _lost_row_bands("t3", None, {"partially_granted"}, read) == {}


def test_a_first_row_lost_whole_is_looked_for_a_pitch_above_the_row_after_it() -> None:
    # copier seed 6715 at 150 DPI: 一、本年新收 lost whole under the header; no row is printed
    # before it, so it lies one pitch above the row after it, where the rows after stand in step
    read = _rows_at({"carried_over": 120, "granted": 140, "partially_granted": 160, "denied_state_secret": 180})
    assert _lost_row_bands("t3", "2021", {"new_received"}, read) == {"new_received": (2, 100.0, 105.0)}
    # the rows after it not in step (a row between them lost too): no band
    gap = _rows_at({"carried_over": 120, "partially_granted": 160, "denied_state_secret": 180,
                    "denied_law_prohibited": 200, "denied_three_securities": 220})  # fmt: skip
    assert _lost_row_bands("t3", "2021", {"new_received"}, gap) == {}


def test_the_uncut_box_may_read_a_lone_digit_among_specks_marks_but_no_other_digit() -> None:
    # copier seed 6305: lone 0s read "0" surely by both cut crops, "o" or ".0" by the uncut box
    assert [_bare_digits(t) for t in ("o", ".0", "0:", "25", "i7", "l0", "1o")] == ["0", "0", "0", "25", "", "", "10"]


def _recover_on(doc: DocumentResult, img: np.ndarray) -> None:
    """Recover the lost cells of row 部分公开 of ``doc``, its table printed on ``img`` (144 DPI)."""
    page = Page(number=1, width=380, height=130, route="ocr")
    page.image, page.image_dpi = img, 144.0
    doc.pages.append(page)
    doc.findings.append(finding("extract.missing_cell", "2 cells", table="t3", subject="t3.partially_granted"))
    recover_cells(doc, Settings())


def test_a_lost_cell_is_read_where_its_row_and_column_cross_and_named() -> None:
    """Two rows of table 三 printed on a page image (144 DPI), 部分公开's 商业企业 lost by the readers:
    read off the page where its row and column cross, taken, named as recovered; a cell where
    nothing is printed stays empty: this filing prints its zeros as 0, and leaves none blank."""
    import cv2

    from nianbao.model import RECOVERED

    img = np.full((260, 760), 255, np.uint8)
    doc = DocumentResult(doc_id="x", path="x", sha256="x", kind="image", table_formats={"t3": "2021"})
    printed = {"granted": (2, 3, 0, 1, 6), "partially_granted": (4, 7, 1, 0, 12)}
    cols = ("natural_person", "commercial", "research", "social_welfare", "legal_service")
    for r, (row, numbers) in enumerate(printed.items()):
        for c, (col, n) in enumerate(zip(cols, numbers, strict=True)):
            x, y = 80 + 140 * c, 90 + 100 * r  # px: 2 a point
            cv2.putText(img, str(n), (x, y), cv2.FONT_HERSHEY_SIMPLEX, 1.2, 0, 3)
            bbox = BBox(x / 2, (y - 30) / 2, (x + 24 * len(str(n))) / 2, y / 2)
            lost = (row, col) in (("partially_granted", "commercial"), ("partially_granted", "research"))
            prov = Provenance("ocr", "", None) if lost else Provenance("ocr", str(n), 1, bbox, 0.99)
            doc.values.append(Value("t3", row, col, None if lost else n, prov))
    # nothing printed where 科研机构 of the second row is
    img[110:200, 350:500] = 255
    _recover_on(doc, img)
    got = doc.value("t3", "partially_granted", "commercial")
    assert got is not None and got.value == 7 and got.prov.locator == RECOVERED
    assert [f.subject for f in doc.findings if f.rule == "ocr.recovered_value"] == ["t3.partially_granted.commercial"]
    empty = doc.value("t3", "partially_granted", "research")
    assert empty is not None and empty.value is None


def test_a_lost_cell_printing_a_slash_is_read_as_that_printed_blank() -> None:
    """Copier seed 7957: zeros printed "/" in a table ruled across only; the cut crops read each
    slash "1", the uncut box "/", and 57 cells stayed unread. A lost cell whose own ink is one
    straight leaning stroke is the mark: 0, printed blank, recovered (it confirms no sum)."""
    import cv2

    from nianbao.model import RECOVERED

    img = np.full((260, 760), 255, np.uint8)
    doc = DocumentResult(doc_id="x", path="x", sha256="x", kind="image", table_formats={"t3": "2021"})
    cols = ("natural_person", "commercial", "research", "social_welfare", "legal_service")
    for r, row in enumerate(("granted", "partially_granted")):
        for c, col in enumerate(cols):
            x, y = 80 + 140 * c, 90 + 100 * r  # px: 2 a point
            lost = row == "partially_granted" and col in ("commercial", "research")
            if col == "commercial" and lost:
                cv2.line(img, (x + 2, y), (x + 16, y - 30), 0, 3)  # a "/" a digit tall
            elif not lost:
                cv2.putText(img, "4", (x, y), cv2.FONT_HERSHEY_SIMPLEX, 1.2, 0, 3)
            bbox = BBox(x / 2, (y - 30) / 2, (x + 24) / 2, y / 2)
            prov = Provenance("ocr", "", None) if lost else Provenance("ocr", "4", 1, bbox, 0.99)
            doc.values.append(Value("t3", row, col, None if lost else 4, prov))
    _recover_on(doc, img)
    got = doc.value("t3", "partially_granted", "commercial")
    assert got is not None
    assert (got.value, got.blank, got.prov.raw, got.prov.locator, got.prov.page) == (0, True, "/", RECOVERED, 1)
    named = {f.subject: f.message for f in doc.findings if f.rule == "ocr.recovered_value"}
    assert "one straight stroke" in named["t3.partially_granted.commercial"]
    # nothing printed, in a table that prints no 0: its zero printed as nothing
    empty = doc.value("t3", "partially_granted", "research")
    assert empty is not None and (empty.value, empty.blank, empty.prov.raw) == (0, True, "")


def test_a_planted_error_on_a_copy_is_found_whichever_reader_reads_its_cell(tmp_path: Path) -> None:
    """A copier's 200 DPI copy (seed 3624) where the first pass once found no number in the planted
    cell (2 printed, 0 + … balanced) and it was read where its row and column cross; since the
    column headers read with their group headings (5747), the grid reads it: the error is found
    either way, and a recovered cell is named as such."""
    from testkit.copier import copy_of
    from testkit.fuzz import make

    _, sample, pdf = make(3624, tmp_path, plant=True)
    doc = process(copy_of(pdf, 200, 3624), Settings(ocr_threads=1))
    key = "t3.denied_inquiry_matter.social_welfare"
    [(_, row, col)] = list(sample.planted)
    assert f"t3.{row}.{col}" == key
    v = next(v for v in doc.values if (v.table, v.row, v.col) == ("t3", row, col))
    assert v.value == sample.planted[("t3", row, col)]
    recovered = [f.subject for f in doc.findings if f.rule == "ocr.recovered_value" and f.subject == key]
    assert recovered == ([key] if v.prov.locator == "recovered" else [])
    errors = [f for f in doc.findings if f.severity.value == "error"]
    assert errors and all(key in {c.key for c in f.cells} for f in errors)
