"""The template-anchored reader on positioned words given by hand (normalizers/anchored.py).

The layout fuzzer measures the reader over hundreds of rendered layouts; these tests pin the
decisions it makes on the cases OCR produces, where a label or a number is garbled or missing.
"""

from __future__ import annotations

import pytest

from nianbao import Settings
from nianbao.extractors.grid import group_lines
from nianbao.form.templates import TEMPLATES
from nianbao.model import BBox, DocumentResult, Page, Word
from nianbao.normalizers.anchored import Lines, Token, bands_of, read_rows, read_t2, read_t4, sections

SETTINGS = Settings()
T3 = next(t for t in TEMPLATES["t3"] if t.format == "2021")
T4 = TEMPLATES["t4"][0]
COLS_X = [200.0 + 40.0 * k for k in range(7)]


def _tok(text: str, x: float, y: float, w: float = 10.0, conf: float = 0.98) -> Token:
    return Token(text, BBox(x, y, x + w, y + 9.0), 1, "ocr", conf)


def _t3_lines(labels: dict[int, str] | None = None, drop: frozenset[int] = frozenset()) -> Lines:
    """Table 三 as OCR lines: each row its label and seven numbers (row r, column c holds 10r+c)."""
    lines: Lines = []
    for r, row in enumerate(T3.rows):
        if r in drop:
            continue
        y = 100.0 + 15.0 * r
        label = (labels or {}).get(r, row.label)
        toks = [_tok(label, 40.0, y, 150.0)] + [_tok(str(10 * r + c), x, y) for c, x in enumerate(COLS_X)]
        lines.append((1, toks))
    return lines


def _read(lines: Lines) -> dict[tuple[str, str], float | int | None]:
    return {k: v.value for k, v in read_rows(lines, T3, SETTINGS).values.items()}


def test_rows_whose_labels_are_garbled_are_placed_by_order_between_two_named_rows() -> None:
    garbled = {20: "期不 政行息关", 21: "理其他处府信", 22: "■■"}
    got = _read(_t3_lines(garbled))
    for r in garbled:
        code = T3.rows[r].code
        assert [got.get((code, c.code)) for c in T3.cols] == [10 * r + c for c in range(7)]


def test_garbled_rows_are_not_guessed_when_the_count_between_named_rows_differs() -> None:
    # a row missing among garbled ones: three rows, two bands; order cannot say which is which
    got = _read(_t3_lines({20: "期不 政行息关", 21: "理其他处府信", 22: "■■"}, drop=frozenset({21})))
    assert not [k for k in got if k[0] in {T3.rows[r].code for r in (20, 21, 22)}]
    assert got[(T3.rows[23].code, "total")] == 236  # the named rows after them still read


def test_one_token_too_many_keeps_the_cells_it_does_not_touch() -> None:
    lines = _t3_lines()
    page, toks = lines[4]
    # a seal's stroke read as a digit inside the third column, then a speck right of the columns
    lines[4] = (page, [*toks, _tok("1", COLS_X[2] + 4.0, toks[0].bbox.top, 4.0, 0.5)])
    got = _read(lines)
    code = T3.rows[4].code
    assert got.get((code, T3.cols[2].code)) is None  # two tokens in one column: neither is taken
    assert [got.get((code, c.code)) for k, c in enumerate(T3.cols) if k != 2] == [40, 41, 43, 44, 45, 46]
    lines[4] = (page, [*toks, _tok("7", 520.0, toks[0].bbox.top, 4.0, 0.5)])
    assert [_read(lines).get((code, c.code)) for c in T3.cols] == [40, 41, 42, 43, 44, 45, 46]


def test_a_total_reaching_past_the_last_columns_extent_is_read() -> None:
    # copier seed 6827: table 三's first row, one number unread, its 总计 "170" 2 pt past the
    # extent the rows that fixed the columns gave the last column: the row was lost whole
    lines = _t3_lines()
    page, toks = lines[0]
    _, cols = bands_of(lines, len(T3.cols))
    spans = cols.by_page[1][0][1].spans

    def reaching(tok: Token, text: str, k: int) -> Token:
        return Token(text, BBox(tok.bbox.x0, tok.bbox.top, spans[k][1] + 3.0, tok.bbox.bottom), 1, "ocr", 0.98)

    lines[0] = (page, [toks[0], toks[1], *toks[3:-1], reaching(toks[-1], "170", 6)])
    got = _read(lines)
    code = T3.rows[0].code
    assert [got.get((code, c.code)) for c in T3.cols] == [0, None, 2, 3, 4, 5, 170]
    # a number reaching over a neighbour is still no value of a column with one to its right
    lines[0] = (page, [toks[0], toks[1], *toks[3:-2], reaching(toks[-2], "55", 5), toks[-1]])
    assert not [k for k in _read(lines) if k[0] == code]


def _t4_band(values: list[str], xs: list[float]) -> Lines:
    header = [_tok("结果维持", x, 80.0, 30.0) for x in xs]
    return [(1, header), (1, [_tok(v, x, 100.0) for v, x in zip(values, xs, strict=True)])]


def test_table_4_with_one_number_unread_keeps_the_other_fourteen() -> None:
    xs = [60.0 + 34.0 * k for k in range(15)]
    values = [str(k) for k in range(15)]
    del values[3], xs[3]
    read = read_t4(_t4_band(values, xs), T4, SETTINGS)
    cells = [(r.code, c.code) for r in T4.rows for c in T4.cols]
    assert cells[3] not in read.values
    assert [read.values[k].value for k in cells if k in read.values] == [k for k in range(15) if k != 3]


@pytest.mark.parametrize("missing", [0, 14])
def test_table_4_missing_a_number_at_either_end_is_not_guessed(missing: int) -> None:
    xs = [60.0 + 34.0 * k for k in range(15)]
    values = [str(k) for k in range(15)]
    del values[missing], xs[missing]
    assert not read_t4(_t4_band(values, xs), T4, SETTINGS).values


def _doc(lines: list[list[Word]]) -> DocumentResult:
    doc = DocumentResult(doc_id="x", path="x", sha256="x", kind="image")
    page = Page(number=1, width=600, height=800, route="ocr")
    page.words = [w for line in lines for w in line]
    doc.pages.append(page)
    return doc


def _w(text: str, x: float, y: float, w: float = 10.0, h: float = 9.0, conf: float = 0.99) -> Word:
    return Word(text, BBox(x, y, x + w, y + h), "ocr", conf)


def test_a_heading_with_one_unsure_speck_on_its_line_still_starts_its_section() -> None:
    heading = [_w("四、政府信息公开行政复议、行政诉讼情况", 56.0, 100.0, 250.0), _w("3", 350.0, 100.0, conf=0.42)]
    doc = _doc([heading, [_w("24", 60.0, 130.0), _w("7", 100.0, 130.0)]])
    assert [t.text for _, toks in sections(doc)["t4"] for t in toks] == ["24", "7"]
    # nor one read with confidence left of the heading's words: a row's values follow its label
    speck = [_w("-", 40.0, 104.0, 3.0, conf=0.95), _w("三、收到和处理政府信息公开申请情况", 56.0, 100.0, 250.0)]
    doc = _doc([speck, [_w("24", 60.0, 130.0), _w("7", 100.0, 130.0)]])
    assert [t.text for _, toks in sections(doc)["t3"] for t in toks] == ["24", "7"]
    # a row of a table (numbers read with confidence) is never a heading
    row = [_w("四、结转下年度继续办理", 56.0, 100.0, 150.0), _w("3", 350.0, 100.0, conf=0.99)]
    assert "t3" not in sections(_doc([row]))


def test_a_word_several_lines_tall_does_not_glue_the_lines_it_overlaps() -> None:
    block = _w("A", 40.0, 98.0, 100.0, 40.0, conf=0.6)  # a crop of a whole block of labels
    first = [_w("0", 200.0, 100.0), _w("2", 240.0, 100.0)]
    second = [_w("5", 200.0, 125.0), _w("6", 240.0, 125.0)]
    lines = group_lines([block, *first, *second])
    assert [[w.text for w in line] for line in lines] == [["A", "0", "2"], ["5", "6"]]
    # a large heading overlapping no line of ordinary words is a line of its own
    title = _w("标题", 40.0, 10.0, 80.0, 40.0)
    assert [[w.text for w in line] for line in group_lines([title, *first])] == [["标题"], ["0", "2"]]


def test_a_speck_read_as_a_digit_beside_a_row_of_numbers_is_not_a_value() -> None:
    xs = [60.0 + 34.0 * k for k in range(15)]
    lines = _t4_band([str(k) for k in range(15)], xs)
    speck = Token("1", BBox(581.0, 103.6, 582.4, 105.8), 1, "ocr", 0.41)  # a fifth of a digit's height
    lines[1] = (1, [*lines[1][1], speck])
    read = read_t4(lines, T4, SETTINGS)
    assert [v.value for v in read.values.values()] == list(range(15))


def test_columns_fixed_by_a_page_of_two_rows_with_a_stray_number_come_from_another_page() -> None:
    lines = _t3_lines()
    # table 三's last two rows on a page of their own; the first lost its natural_person value
    # and has its label's numbering "3" read apart at the left
    tail = [(2, [Token(t.text, t.bbox, 2, t.source, t.confidence) for t in toks]) for _, toks in lines[-2:]]
    first = tail[0][1]
    tail[0] = (2, [first[0], _tok("3", 123.0, first[0].bbox.top, 5.0), *first[2:]])
    got = _read(lines[:-2] + tail)
    row = T3.rows[-2].code
    assert got.get((row, "natural_person")) is None
    assert [got.get((row, c.code)) for c in T3.cols[1:]] == [231, 232, 233, 234, 235, 236]


def test_a_page_whose_only_row_has_a_stray_dash_and_a_lost_number_takes_the_other_pages_columns() -> None:
    # copier seed 4532: table 三's first row alone at the foot of page 1, a seal's stroke in its
    # label column read "—" and its other_org number lost under the seal: still seven tokens
    lines = [(2, [Token(t.text, t.bbox, 2, t.source, t.confidence) for t in toks]) for _, toks in _t3_lines()[1:]]
    label, *nums = _t3_lines()[0][1]
    first = [label, _tok("—", 20.0, label.bbox.top, 6.0), *nums[:5], nums[6]]
    got = _read([(1, first), *lines])
    row = T3.rows[0].code
    assert [got.get((row, c.code)) for c in T3.cols] == [0, 1, 2, 3, 4, None, 6]


def test_a_total_column_wider_than_its_parts_keeps_the_page_columns() -> None:
    lines: Lines = []
    for r, row in enumerate(T3.rows):
        y = 100.0 + 15.0 * r
        # row 5 lost its third number: only the page's columns say where the others belong
        parts = [_tok("1", x, y, 5.0) for k, x in enumerate(COLS_X[:-1]) if not (r == 5 and k == 2)]
        lines.append((1, [_tok(row.label, 40.0, y, 150.0), *parts, _tok("123456", COLS_X[-1], y, 30.0)]))
    got = _read(lines)
    assert len(got) == 25 * 7 - 1 and (T3.rows[5].code, T3.cols[2].code) not in got
    assert all(v == (123456 if c == "total" else 1) for (_, c), v in got.items())


def test_one_printed_number_is_never_two_cells() -> None:
    # the grid reader put a row's total where the anchored reader put the next row's (a leaning
    # photographed row read from the band below): the merged reading would show the same printed
    # "4" twice; neither cell keeps it, and a finding names both
    from nianbao.model import Provenance, Value
    from nianbao.normalizers.agreement import merge
    from nianbao.normalizers.anchored import Anchored
    from nianbao.normalizers.readout import ReadOut

    box = BBox(416.2, 519.1, 420.5, 525.2)
    four = Provenance("ocr", "4", 2, box, confidence=1.0)
    grid = ReadOut(T3)
    grid.values[("other_unpaid_fee", "total")] = Value("t3", "other_unpaid_fee", "total", 4, four)
    grid.values[("granted", "total")] = Value("t3", "granted", "total", 8, Provenance("ocr", "8", 1, BBox(1, 2, 3, 4)))
    anchored = Anchored(T3)
    anchored.values[("other_no_correction", "total")] = Value("t3", "other_no_correction", "total", 4, four)
    out, _ = merge(grid, anchored, T3)
    assert set(out.values) == {("granted", "total")}
    shared = [f for f in out.findings if f.rule == "extract.shared_value"]
    assert len(shared) == 1 and {c.key for c in shared[0].cells} == {
        "t3.other_no_correction.total",
        "t3.other_unpaid_fee.total",
    }


def test_a_cell_both_readers_read_alike_keeps_the_reading_from_its_own_row() -> None:
    # the grid reader read 不予处理 row 3 from row 2's words (a shifted row) and agrees on the number
    # by chance; the anchored reader read it from its own row: the cell takes that word, so that
    # the place shown for it is its own, and row 2 keeps its word
    from nianbao.model import Provenance, Value
    from nianbao.normalizers.agreement import merge
    from nianbao.normalizers.anchored import Anchored
    from nianbao.normalizers.readout import ReadOut

    row2, row3 = BBox(211.0, 299.9, 215.3, 307.1), BBox(211.0, 322.6, 215.3, 329.8)
    grid = ReadOut(T3)
    grid.values[("not_processed_publication", "natural_person")] = Value(
        "t3", "not_processed_publication", "natural_person", 5, Provenance("text", "5", 2, row2)
    )
    anchored = Anchored(T3)
    for row, box in (("not_processed_duplicate", row2), ("not_processed_publication", row3)):
        anchored.values[(row, "natural_person")] = Value(
            "t3", row, "natural_person", 5, Provenance("text", "5", 2, box)
        )
    out, _ = merge(grid, anchored, T3)
    assert out.values[("not_processed_publication", "natural_person")].prov.bbox == row3
    assert out.values[("not_processed_duplicate", "natural_person")].prov.bbox == row2
    assert not [f for f in out.findings if f.rule == "extract.shared_value"]


def _t4_page(first: Word) -> DocumentResult:
    """Table 四 on an OCR'd page: its heading, and a row of fifteen numbers whose first is ``first``."""
    heading = [_w("四、政府信息公开行政复议、行政诉讼情况", 56.0, 60.0, 250.0)]
    row = [first] + [_w(str(k), 60.0 + 34.0 * k, 100.0, 5.0, 6.0) for k in range(1, 15)]
    return _doc([heading, row])


@pytest.mark.parametrize(
    ("text", "width"),
    [
        ("4度", 4.5),  # a speck read as a character the box has no room for (seed 299 at 300 DPI)
        ("4.", 7.0),  # a speck read as a point after the digit (seed 1103 at 150 DPI)
        ("4,", 7.0),
        (".4", 7.0),  # a speck read as a point before the digit (copier seed 7680 at 150 DPI)
    ],
)
def test_a_number_read_with_a_speck_after_it_is_read_as_the_number(text: str, width: float) -> None:
    # before: the token was no value, the row a number short, and table 四 "not found"
    read = read_t4(sections(_t4_page(_w(text, 60.0, 100.0, width, 6.0, conf=0.7)))["t4"], T4, SETTINGS)
    first = read.values[(T4.rows[0].code, T4.cols[0].code)]
    assert first.value == 4
    # doubted: the verify stage re-reads it
    assert first.prov.raw == "4" and first.prov.doubt == ("speck_head" if text.startswith(".") else "speck_tail")
    assert first.note is not None and f"OCR read '{text}'" in first.note
    assert [v.value for v in read.values.values()] == [4, *range(1, 15)]


@pytest.mark.parametrize("end", ["last", "first"])
def test_a_glyph_one_step_past_the_end_of_table_fours_row_is_its_unread_number(end: str) -> None:
    # copier seed 7710 at 150 DPI: the last 4 read 'L', fourteen numbers and the table lost
    heading = [_w("四、政府信息公开行政复议、行政诉讼情况", 56.0, 60.0, 250.0)]
    xs = [60.0 + 34.0 * k for k in range(15)]
    junk_at = 14 if end == "last" else 0
    row = [_w("L" if k == junk_at else str(k % 10), x, 100.0, 5.0, 6.0) for k, x in enumerate(xs)]
    read = read_t4(sections(_doc([heading, row]))["t4"], T4, SETTINGS)
    cells = [(r.code, c.code) for r in T4.rows for c in T4.cols]
    assert cells[junk_at] not in read.values
    assert [read.values[k].value for k in cells if k in read.values] == [k % 10 for k in range(15) if k != junk_at]
    # a word there, not a glyph or two, or no glyph at all: nothing to anchor on
    for text in ("诉讼情况", None):
        row = [_w(text if k == junk_at else str(k % 10), x, 100.0, 5.0, 6.0) for k, x in enumerate(xs)]
        row = [w for w in row if w.text is not None]
        assert not read_t4(sections(_doc([heading, row]))["t4"], T4, SETTINGS).values


def test_a_character_with_room_in_the_box_or_a_label_numbering_is_not_a_speck() -> None:
    # '4度' two glyphs wide: the character is printed, the token is no number (its cell unread;
    # the fourteen numbers after it are read, the glyphs standing where the first would)
    read = read_t4(sections(_t4_page(_w("4度", 60.0, 100.0, 10.0, 6.0)))["t4"], T4, SETTINGS)
    assert (T4.rows[0].code, T4.cols[0].code) not in read.values and len(read.values) == 14
    # '3.' before its label's words is the label's numbering, not a value: it joins the label
    line = [
        _w("3.", 40.0, 100.0, 6.0, 6.0),
        _w("危及“三安全一稳定”", 50.0, 100.0, 80.0, 6.0),
        _w("0", 200.0, 100.0, 5.0, 6.0),
    ]
    heading = [_w("三、收到和处理政府信息公开申请情况", 56.0, 60.0, 250.0)]
    toks = sections(_doc([heading, line]))["t3"][0][1]
    assert [t.text for t in toks] == ["3.危及“三安全一稳定”", "0"]


def test_a_number_with_a_speck_after_its_row_label_alone_on_its_line_is_the_rows_value() -> None:
    # copier seed 4837: "行政处罚 35." was label text joined to the next row, which then named two
    # rows and was read as neither; the grid reader's blank stood alone, 0 for a printed 35
    heading = [_w("二、主动公开政府信息情况", 56.0, 60.0, 200.0)]
    rows = [
        [_w("行政处罚", 110.0, 100.0, 40.0), _w("35.", 520.0, 100.0, 14.0, 7.0, conf=0.89)],
        [_w("行政强制", 110.0, 118.0, 40.0), _w("35", 520.0, 118.0, 11.0, 7.0)],
    ]
    t2 = next(t for t in TEMPLATES["t2"] if t.format == "2021")
    read = read_t2(sections(_doc([heading, *rows]))["t2"], t2, SETTINGS)
    got = {k: (v.value, v.prov.doubt) for k, v in read.values.items()}
    assert got == {("punishment", "decisions"): (35, "speck_tail"), ("enforcement", "decisions"): (35, None)}


def test_the_format_is_the_one_whose_rows_both_readers_read() -> None:
    """Hard seed 10698: a 2019 table 三. The anchored reader aligns bands to rows in order, so the
    2021 template (25 rows) took the （六）其他处理 band for its three 其他处理 rows and read more rows
    in all than the 2019 one (23); the grid reader found no 2021 row for that band. The rows both
    readers read decide; where one read nothing, the rows either read do, as before."""
    from nianbao.form.templates import TEMPLATES
    from nianbao.normalizers.anchored import Anchored
    from nianbao.normalizers.readout import ReadOut
    from nianbao.normalizers.tables import _choose_template

    t2021, t2019 = (next(t for t in TEMPLATES["t3"] if t.format == f) for f in ("2021", "2019"))
    shared = {r.code for r in t2019.rows} & {r.code for r in t2021.rows}
    cols = {c.code for c in t2019.cols}
    reads = [
        ReadOut(t2021, mapped_rows=set(shared), mapped_cols=cols),
        ReadOut(t2019, mapped_rows=shared | {"other"}, mapped_cols=cols),
    ]
    anchored = [
        Anchored(t2021, rows=shared | {"other_no_correction", "other_unpaid_fee", "other_other"}),
        Anchored(t2019, rows=shared | {"other"}),
    ]
    assert _choose_template(TEMPLATES["t3"], reads, anchored) is t2019
    # one reader read nothing: the rows the other read decide (the grid reader alone here)
    assert _choose_template(TEMPLATES["t3"], reads, []) is t2019
    assert _choose_template(TEMPLATES["t3"], [], anchored) is t2021


def test_the_rows_only_one_format_prints_known_by_their_labels_decide_first() -> None:
    """Narrow layout seed 7406: a 2021 table 三 whose three 其他处理 labels wrapped into pieces. The
    grid reader matched none of them to a 2021 row but its （六）其他处理 cell to 2019's row, one
    row more both readers read under 2019; the anchored reader knew all three 2021 rows by their
    labels. Read as 2019, the three rows were lost with no finding."""
    from nianbao.normalizers.anchored import Anchored
    from nianbao.normalizers.readout import ReadOut
    from nianbao.normalizers.tables import _choose_template

    t2021, t2019 = (next(t for t in TEMPLATES["t3"] if t.format == f) for f in ("2021", "2019"))
    shared = {r.code for r in t2019.rows} & {r.code for r in t2021.rows}
    own_2021 = {"other_no_correction", "other_unpaid_fee", "other_other"}
    cols = {c.code for c in t2019.cols}
    reads = [
        ReadOut(t2021, mapped_rows=set(shared), mapped_cols=cols),
        ReadOut(t2019, mapped_rows=shared | {"other"}, mapped_cols=cols),
    ]
    anchored = [
        Anchored(t2021, rows=shared | own_2021, by_label=shared | own_2021),
        Anchored(t2019, rows=shared | {"other"}, by_label=shared),
    ]
    assert _choose_template(TEMPLATES["t3"], reads, anchored) is t2021
    # 2019's own row known by its label, 2021's taken by order (hard seed 10698): 2019
    anchored = [
        Anchored(t2021, rows=shared | own_2021, by_label=set(shared)),
        Anchored(t2019, rows=shared | {"other"}, by_label=shared | {"other"}),
    ]
    assert _choose_template(TEMPLATES["t3"], reads, anchored) is t2019


def test_a_row_whose_number_stands_in_no_header_column_leaves_its_blank_cells_empty() -> None:
    # copier seed 4837: a streak read as a rule cut the value cell of 行政处罚 in two; the number
    # stood in the part under no header, the part under the header read blank: 0 for a printed 35
    from nianbao.model import Cell, TableGrid
    from nianbao.normalizers.tables import read_t2 as grid_t2

    t2 = next(t for t in TEMPLATES["t2"] if t.format == "2021")

    def grid(number_col: int) -> TableGrid:
        cells = [
            Cell(0, 0, "第二十条第（六）项", colspan=3),
            Cell(1, 0, "信息内容"),
            Cell(1, 1, "本年处理决定数量"),
            Cell(2, 0, "行政处罚"),
            Cell(2, 1, "35" if number_col == 1 else ""),
            Cell(2, 2, "35" if number_col == 2 else ""),
        ]
        return TableGrid(0, 1, 3, 3, cells, method="ruled", source="ocr", kind="t2")

    out = grid_t2([grid(2)], t2, SETTINGS)
    v = out.values[("punishment", "decisions")]
    assert v.value is None
    [f] = [f for f in out.findings if f.rule == "extract.value_outside_columns"]
    assert [c.key for c in f.cells] == ["t2.punishment.decisions"] and f.printed == "35"
    # the number under its header: read, nothing said
    out = grid_t2([grid(1)], t2, SETTINGS)
    assert out.values[("punishment", "decisions")].value == 35 and not out.findings


def test_full_bands_out_of_step_with_the_rest_fix_no_columns() -> None:
    # hard seed 13807: on an unruled photographed page each group's first row read its numbering
    # "1．" apart and its first number ran into its label: still seven tokens, the first in the
    # label column. Those bands must not widen the first column over the labels
    from nianbao.normalizers.anchored import Band, _columns_of

    xs = [178, 210, 242, 274, 306, 338, 370]
    usual = [Band(1, y, y + 8, [_tok("5", x, y) for x in xs]) for y in (100, 130, 160, 190)]
    stray = [Band(1, y, y + 8, [_tok("1", 115, y), *(_tok("5", x, y) for x in xs[1:])]) for y in (115, 145)]
    cols = _columns_of(sorted(usual + stray, key=lambda b: b.top), 7)
    assert cols is not None and cols.spans[0][0] > 140
    # where the stray bands are as many as the rest, nothing says which are in step
    assert _columns_of(usual[:2] + stray, 7) is None
