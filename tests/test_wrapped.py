"""Word and LibreOffice tables: a number wrapped inside its narrow cell, a row broken by a page.

Real Word files set narrow value columns; a number that does not fit wraps inside its cell ("103" over
"6" for 1036), and a row may break across a page (its last digits at the top of the next page). The
ruling tells one cell from two rows; the form's sums check every join."""

from __future__ import annotations

from nianbao.extractors.pdf import join_wrapped_numbers, word_lines
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


def _texts(lines: list[list[Word]]) -> list[list[str]]:
    return [[w.text for w in ln] for ln in lines]


def test_a_centred_number_whose_last_piece_is_read_on_the_rows_line_is_one_number() -> None:
    """Unruled, a number centred in its row: "108" half a line above the row's own numbers, "8" half a
    line below, read on the row's line (narrow fuzz layout 7406 read 1088 as 8 by both readers)."""
    lines = [
        [_w("108", 122, 95)],
        [_w("1．本机关不掌握", 40, 100), _w("345", 102, 100), _w("8", 127, 105), _w("859", 142, 100)],
    ]
    assert _texts(join_wrapped_numbers(lines, [], [])) == [["1．本机关不掌握", "345", "1088", "859"]]
    # a row of its own above, each number over one of this row's: no number here is the row's own
    rows = [
        [_w("3．其他", 40, 95), _w("10", 102, 95), _w("7", 122, 95)],
        [_w("4．保护", 40, 100), _w("2", 107, 104), _w("5", 122, 104)],
    ]
    assert _texts(join_wrapped_numbers(rows, [], [])) == _texts(rows)
    # the line above holds a number with no piece under it: a row of its own
    other = [[_w("108", 122, 95), _w("6", 160, 95)], lines[1]]
    assert _texts(join_wrapped_numbers(other, [], [])) == _texts(other)


def test_a_groups_label_beside_the_rest_of_a_wrapped_label_starts_no_row() -> None:
    """ "（三）" of a group's label written down the rows stands left of "止公开", the rest of the row's
    label, on the line of the wrapped numbers' last pieces (7444): not a row of its own."""
    lines = [
        [_w("2．其他法律", 60, 90), _w("118", 122, 90)],
        [_w("0", 102, 95), _w("375", 142, 95)],
        [_w("（三）", 20, 100), _w("止公开", 60, 100), _w("2", 132, 100)],
    ]
    assert _texts(join_wrapped_numbers(lines, [], [])) == [["2．其他法律"], ["0", "1182", "375"], ["（三）", "止公开"]]
    # a row's label starting on that line is a row of its own
    row = [lines[0], lines[1], [_w("（三）", 20, 100), _w("3．危及", 60, 100), _w("2", 132, 100)]]
    assert _texts(join_wrapped_numbers(row, [], []))[2] == ["（三）", "3．危及", "2"]


def test_a_groups_label_in_a_column_of_its_own_beside_a_last_piece_starts_no_row() -> None:
    """ "（三）不予公" of a group's label, in its own column left of where the rows' labels start, on
    the line of a centred number's last piece "0" (1920: 7612); "三、" of 三、本年度办理结果 (7730)."""
    lines = [
        [_w("192", 142, 95)],
        [_w("4．保护第三方", 60, 100), _w("459", 82, 100), _w("677", 102, 100), _w("2", 122, 100)],
        [_w("（三）不予公", 10, 105), _w("0", 152, 105)],
    ]
    assert _texts(join_wrapped_numbers(lines, [], [])) == [
        ["4．保护第三方", "459", "677", "2", "1920"],
        ["（三）不予公"],
    ]
    # a line of numbers in every column the row above prints is a row of its own, group label or not
    row = [lines[1], [_w("（三）不予公", 10, 105), _w("1", 87, 105), _w("2", 107, 105), _w("3", 122, 105)]]
    assert _texts(join_wrapped_numbers(row, [], [])) == _texts(row)


def test_a_number_wrapped_over_three_lines_centred_on_its_row_is_one_number() -> None:
    """27 / 81 / 2 for 27812 in a column two digits wide, the middle piece on the label's line (7417)."""
    lines = [[_w("27", 142, 90)], [_w("一、本年新收", 40, 100), _w("81", 142, 100)], [_w("2", 147, 110)]]
    assert _texts(join_wrapped_numbers(lines, [], [])) == [["一、本年新收", "27812"]]


def _glyphs(text: str, x0: float, top: float, h: float = 6.5) -> list[Word]:
    return [Word(c, BBox(x0 + 3.9 * k, top, x0 + 3.9 * (k + 1), top + h), "text", 1.0) for k, c in enumerate(text)]


def test_digits_one_over_another_are_never_one_line() -> None:
    """6.5 pt type: "116" over "9" (1169 wrapped and centred) overlap the row's own numbers, and were
    one line whose word mixed their digits ("1916", 7687). Fake bold (a glyph twice, a fraction of a
    point apart) stays one line."""
    # a group's label written a character a line beside them chains the lines together
    label = [*_glyphs("三", 58.0, 630.9), *_glyphs("（", 69.4, 635.2), *_glyphs("、", 58.0, 639.4)]
    glyphs = [*label, *_glyphs("116", 248.6, 632.2), *_glyphs("0", 227.1, 636.4), *_glyphs("9", 248.6, 640.6)]
    assert _texts(word_lines(glyphs)) == [["三", "116"], ["（", "0"], ["、", "9"]]
    bold = [*_glyphs("12", 100, 50), *_glyphs("12", 100.3, 50.3)]
    assert len(word_lines(bold)) == 1
