"""Cells no reader found on an OCR'd table are read where their row and column cross
(checks/ocr_recover.py)."""

from __future__ import annotations

from pathlib import Path

from nianbao import Settings, process
from nianbao.checks.ocr_recover import cell_box
from nianbao.model import BBox, Provenance, Value


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


def test_a_lost_cell_with_a_planted_error_is_found_and_named(tmp_path: Path) -> None:
    """A copier's 200 DPI copy (seed 3624) where the first pass found no number in the planted
    cell (2 printed, 0 + … balanced): read where its row and column cross, the error is found, and
    the cell is named as recovered."""
    from testkit.copier import copy_of
    from testkit.fuzz import make

    _, sample, pdf = make(3624, tmp_path, plant=True)
    doc = process(copy_of(pdf, 200, 3624), Settings(ocr_threads=1))
    key = "t3.denied_inquiry_matter.social_welfare"
    [(_, row, col)] = list(sample.planted)
    assert f"t3.{row}.{col}" == key
    v = next(v for v in doc.values if (v.table, v.row, v.col) == ("t3", row, col))
    assert v.value == sample.planted[("t3", row, col)] and v.prov.locator == "recovered"
    assert [f.subject for f in doc.findings if f.rule == "ocr.recovered_value" and f.subject == key] == [key]
    errors = [f for f in doc.findings if f.severity.value == "error"]
    assert errors and all(key in {c.key for c in f.cells} for f in errors)
