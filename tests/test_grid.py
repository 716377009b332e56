"""Ruled grids from cell boxes (extractors/grid.py): merged cells, and value cells merged only
because a scan lost the rule between them."""

from __future__ import annotations

from nianbao import Settings
from nianbao.extractors.grid import grid_from_cell_boxes
from nianbao.model import BBox, Word
from nianbao.normalizers.readout import make_value

# a label column (x 0-100) and one value column (x 100-140), three rows 20 pt apart; the value
# column's box spans rows 1 and 2: the rule between them was lost (a seal's star over it)
BOXES = [
    (0.0, 0.0, 100.0, 20.0),
    (100.0, 0.0, 140.0, 20.0),
    (0.0, 20.0, 100.0, 40.0),
    (0.0, 40.0, 100.0, 60.0),
    (100.0, 20.0, 140.0, 60.0),
]


def _words(source: str) -> list[Word]:
    return [
        Word("一、本年新收", BBox(5, 5, 60, 15), source),  # type: ignore[arg-type]
        Word("12", BBox(120, 5, 130, 15), source),  # type: ignore[arg-type]
        Word("二、上年结转", BBox(5, 25, 60, 35), source),  # type: ignore[arg-type]
        Word("三、本年办理", BBox(5, 45, 60, 55), source),  # type: ignore[arg-type]
        Word("4", BBox(125, 45, 130, 55), source),  # type: ignore[arg-type]
    ]


def test_a_scanned_value_cell_merged_over_rows_is_read_row_by_row() -> None:
    # copier seed 7131: the next row's 4 was the value of both rows, the 27 its star hid read as 4
    grid = grid_from_cell_boxes(BOXES, _words("ocr"), index=0, page=1)
    m = grid.matrix()
    upper, lower = m[1][1], m[2][1]
    assert upper is not None and lower is not None and upper is not lower
    assert (upper.text, upper.doubt) == ("", "rule_lost")
    assert (lower.text, lower.doubt) == ("4", None)
    assert upper.bbox == BBox(100, 20, 140, 40) and lower.bbox == BBox(100, 40, 140, 60)
    # the blank part is not a printed blank (0): it is left unread
    v = make_value("t3", "carried_over", "natural_person", grid, upper, Settings())
    assert v.value is None and not v.blank
    assert make_value("t3", "total_processed", "natural_person", grid, lower, Settings()).value == 4


def test_a_merged_cell_of_a_text_layer_or_of_words_stays_merged() -> None:
    # the printer merged it (a text layer does not lose rules), and a merged label is a label
    grid = grid_from_cell_boxes(BOXES, _words("text"), index=0, page=1)
    m = grid.matrix()
    assert m[1][1] is m[2][1] and m[1][1] is not None and m[1][1].text == "4"
    words = [*_words("ocr")[:4], Word("合计", BBox(120, 45, 135, 55), "ocr")]
    m = grid_from_cell_boxes(BOXES, words, index=0, page=1).matrix()
    assert m[1][1] is m[2][1]
