"""Word and LibreOffice tables: a number wrapped inside its narrow cell, a row broken by a page.

Real Word files set narrow value columns; a number that does not fit wraps inside its cell ("103" over
"6" for 1036), and a row may break across a page (its last digits at the top of the next page). The
ruling tells one cell from two rows; the form's sums check every join."""

from __future__ import annotations

from nianbao.extractors.pdf import join_wrapped_numbers
from nianbao.model import BBox, Word


def _w(text: str, x0: float, top: float, h: float = 9.0) -> Word:
    return Word(text, BBox(x0, top, x0 + 5.0 * len(text), top + h), "text", 1.0)


# a table 三 row with three value cells, columns 20 pt wide, rules at x = 100, 120, 140, 160; the
# row's rules at y = 98 and 122
V = [(x, 90.0, 200.0) for x in (100.0, 120.0, 140.0, 160.0)]
ROW = [(98.0, 100.0, 160.0), (122.0, 100.0, 160.0)]


def test_a_number_wrapped_inside_its_ruled_cell_is_one_number() -> None:
    lines = [
        [_w("总计", 40, 100), _w("17", 102, 100), _w("151", 122, 100), _w("103", 142, 100)],
        [_w("9", 102, 110), _w("6", 142, 110)],
    ]
    out = join_wrapped_numbers(lines, ROW, V)
    assert [w.text for w in out[0]] == ["总计", "179", "151", "1036"]
    assert len(out) == 1


def test_two_rows_with_a_rule_between_are_never_joined() -> None:
    rules = [*ROW, (109.5, 100.0, 160.0)]  # a rule between the two lines: two rows
    lines = [[_w("17", 102, 100), _w("151", 122, 100)], [_w("9", 102, 111), _w("6", 122, 111)]]
    assert [[w.text for w in ln] for ln in join_wrapped_numbers(lines, rules, V)] == [["17", "151"], ["9", "6"]]


def test_unruled_pieces_join_only_when_nothing_else_is_on_their_line() -> None:
    """Without rules, the lower line must hold nothing but pieces (and the rest of a label the row
    wrapped too), each under a number, closer than half a line: a row of its own prints its label."""
    pieces = [
        [_w("本年新收", 40, 100), _w("17", 102, 100), _w("103", 142, 100)],
        [_w("）", 40, 110), _w("9", 102, 110)],
    ]
    assert [[w.text for w in ln] for ln in join_wrapped_numbers(pieces, [], [])] == [["本年新收", "179", "103"], ["）"]]
    row = [[_w("1．属于国家秘密", 40, 100), _w("17", 102, 100)], [_w("2．其他", 40, 110), _w("9", 102, 110)]]
    assert [[w.text for w in ln] for ln in join_wrapped_numbers(row, [], [])] == [
        ["1．属于国家秘密", "17"],
        ["2．其他", "9"],
    ]
    apart = [[_w("17", 102, 100)], [_w("9", 102, 114)]]  # 5 pt below a 9 pt line: the next row's
    assert [[w.text for w in ln] for ln in join_wrapped_numbers(apart, [], [])] == [["17"], ["9"]]


def test_a_number_centred_in_its_row_joins_the_rows_line() -> None:
    """A wrapped number centred in its row prints "3945" above the label's line and "0" below."""
    lines = [[_w("3945", 102, 95)], [_w("一、本年新收", 40, 100), _w("6475", 142, 100)], [_w("0", 102, 105)]]
    out = join_wrapped_numbers(lines, ROW, V)
    assert [[w.text for w in ln] for ln in out] == [["一、本年新收", "39450", "6475"]]


def test_digits_beside_a_number_across_a_vertical_rule_are_another_cell() -> None:
    lines = [[_w("17", 102, 100)], [_w("9", 121, 110)]]  # below, but right of the rule at x = 120
    out = join_wrapped_numbers(lines, ROW, V)
    assert [[w.text for w in ln] for ln in out] == [["17"], ["9"]]
