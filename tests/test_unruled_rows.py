"""Rows of a table printed without rules: which words make a row.

The geometry is what OCR read off two fuzzed hard scans (seeds 9495 and 9444 of
``benchmarks/fuzz_layouts.py --hard --plant``), where a group label printed between two rows and a
label wrapped round its row's centred numbers put two rows' numbers into one cell ("0" over "7" read
"07") or a row's numbers under the next row's label."""

from __future__ import annotations

from nianbao.extractors.pdf import find_tables
from nianbao.model import BBox, DocumentResult, Word


def _w(text: str, x0: float, top: float, x1: float, bottom: float) -> Word:
    return Word(text, BBox(x0, top, x1, bottom), "ocr", 0.99)


def _row(y: float, values: list[str], h: float = 4.6) -> list[Word]:
    xs = [318.0, 358.3, 398.9, 439.2, 477.6, 520.1, 560.4]
    return [_w(v, x, y, x + 3.6 * len(v), y + h) for v, x in zip(values, xs, strict=True)]


def _rows(doc: DocumentResult) -> list[tuple[str, list[str]]]:
    (grid,) = doc.tables
    m = grid.matrix()
    out = []
    for r in range(grid.n_rows):
        cells = [c for c in m[r] if c is not None]
        label = " ".join(c.text for c in cells if not c.text.isdigit())
        out.append((label, [c.text for c in cells if c.text.isdigit()]))
    return out


def _doc() -> DocumentResult:
    return DocumentResult(doc_id="t", path="t.pdf", sha256="", kind="pdf")


def test_a_group_label_between_two_rows_keeps_them_apart() -> None:
    """'(三) 不予公' shares a little of row 4's line and '开' of row 5's: the rows stay two."""
    words = [
        _w("2.其他法律行政法规禁止公开", 106.3, 150.2, 189.6, 156.7),
        *_row(151.4, ["0", "243", "0", "218", "85", "203", "749"]),
        _w("3.危及“三安全一稳定”", 105.6, 164.4, 167.8, 170.6),
        *_row(165.4, ["0", "0", "0", "189", "217", "0", "406"]),
        _w("(三) 不予公", 62.6, 181.4, 94.7, 187.9),
        _w("4. 保护第三方合法权益", 106.2, 178.2, 169.6, 184.3),
        *_row(178.9, ["0", "0", "0", "0", "0", "0", "0"]),
        _w("开", 59.0, 189.4, 64.8, 195.1),
        _w("5. 属于三类内部事务信息", 106.2, 192.2, 175.7, 198.4),
        *_row(193.0, ["0", "0", "7", "0", "0", "0", "0"]),
        _w("6.属于四类过程性信息", 106.3, 205.9, 171.1, 212.2),
        *_row(206.6, ["0", "0", "0", "0", "0", "0", "0"]),
    ]
    doc = _doc()
    find_tables(words, [], 1, 600.0, doc, source="ocr")
    rows = {label: values for label, values in _rows(doc) if values}
    four = next(v for k, v in rows.items() if "4." in k)
    five = next(v for k, v in rows.items() if "5." in k)
    assert four == ["0"] * 7
    assert five == ["0", "0", "7", "0", "0", "0", "0"]


def test_a_row_starting_under_the_last_rows_tail_is_its_own() -> None:
    """Numbers centred between a label's two lines: '3.危及“三安全一' above row 3's numbers, '稳定”'
    below, then '(三)不予公开 4.保护第三方合' right under it, above row 4's numbers. The next row's
    label is no wrapped tail of the row above."""
    words = [
        _w("1. 属于国家秘密", 122.0, 645.5, 180.0, 652.0),
        *_row(646.6, ["0", "0", "0", "86", "0", "0", "86"], h=5.0),
        _w("2. 其他法律行政", 122.0, 660.2, 180.0, 667.4),
        _w("法规禁止公开", 122.0, 669.2, 170.0, 676.4),
        *_row(665.6, ["172", "0", "0", "0", "0", "0", "172"], h=5.0),
        _w("3.危及“三安全一", 122.4, 684.4, 180.7, 691.6),
        _w("稳定”", 122.0, 693.4, 138.2, 700.9),
        *_row(689.8, ["108", "0", "0", "118", "0", "113", "339"], h=5.0),
        _w("(三)不予公开", 60.8, 704.9, 106.9, 712.4),
        _w("4.保护第三方合", 122.0, 708.1, 177.8, 715.3),
        _w("法权益", 122.4, 717.1, 146.5, 725.0),
        *_row(713.9, ["0", "193", "104", "0", "0", "275", "564"], h=5.0),
    ]
    doc = _doc()
    find_tables(words, [], 1, 600.0, doc, source="ocr")
    rows = _rows(doc)
    with_numbers = [(label, values) for label, values in rows if values]
    three = next(v for k, v in with_numbers if "108" in v)
    four = next((k, v) for k, v in with_numbers if "104" in v)
    assert three == ["108", "0", "0", "118", "0", "113", "339"]
    # row 4's numbers are not on the band of row 3's tail, nor of its own label's first line
    assert "稳定" not in four[0] and "3." not in four[0]
    assert not any("4.保护" in label for label, values in rows if "108" in values)


def test_a_rows_ordinal_cut_from_its_label_is_the_labels() -> None:
    """OCR cut "6" (its point lost) from "属于四类过程性信息0" (the first count glued on): left a number,
    the ordinals of the rows made a column of values and 6 was read for the 0 (hard scan seed 9815).
    A number after other words, or after a row's numbers, is no ordinal."""
    from nianbao.extractors.pdf import ordinals_into_labels

    words = [
        _w("6", 127.8, 251.3, 132.5, 257.8),
        _w("属于四类过程性信息0", 141.8, 250.2, 235.1, 259.2),
        _w("226", 269.3, 251.6, 284.4, 258.1),
        _w("7．", 124.9, 268.6, 134.5, 275.0),
        _w("属于行政执法案卷", 141.8, 267.5, 211.0, 276.5),
        _w("行政许可", 60.0, 290.0, 95.0, 297.0),
        _w("12", 97.0, 290.0, 106.0, 297.0),  # a count right after its label
        _w("行政处罚", 110.0, 290.0, 145.0, 297.0),
    ]
    texts = [w.text for w in ordinals_into_labels(words)]
    assert texts == ["6属于四类过程性信息0", "226", "7．属于行政执法案卷", "行政许可", "12", "行政处罚"]


def test_a_label_starting_with_an_ordinal_that_lost_its_point_is_no_tail() -> None:
    """'3' + '补正后申请' joined into one word (the ordinal cut from its label) starts a row as
    '3．补正后申请' does: it is not the wrapped tail of the row above (hard scan seed 9779)."""
    words = [
        _w("1.本机关不掌握相关政府信息", 122.0, 230.0, 200.0, 236.5),
        *_row(230.5, ["4", "6", "0", "2", "0", "0", "12"], h=5.0),
        _w("2.没有现成信息需要另行制作", 122.0, 243.0, 200.0, 249.5),
        *_row(243.5, ["0", "0", "0", "6", "0", "0", "6"], h=5.0),
        _w("3", 122.0, 251.0, 126.0, 257.5),
        _w("补正后申请", 130.0, 251.0, 170.0, 257.5),
        _w("内容仍不明确", 122.0, 264.0, 170.0, 270.5),
        *_row(259.5, ["2", "0", "2", "0", "0", "7", "11"], h=5.0),
    ]
    doc = _doc()
    find_tables(words, [], 1, 600.0, doc, source="ocr")
    rows = _rows(doc)
    assert not any("补正" in label for label, values in rows if "6" in values and "12" not in values)


def test_a_label_over_two_lines_with_the_numbers_on_the_second_is_one_row() -> None:
    """Seed 9779's （六）其他: each item's label wraps, its numbers stand on the second line, and both
    items' second lines end alike (…行政机关不再处理其政府信息公开申请). Read apart, the lower half of
    item 2 named item 1 and took its numbers."""
    from nianbao.form.templates import TEMPLATES
    from nianbao.normalizers.tables import read_rows_cols
    from nianbao.settings import Settings

    heads = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    xs = [318.0, 358.3, 398.9, 439.2, 477.6, 520.1, 560.4]
    words = [_w(h, x - 2, 112.0, x + 3.6 * len(h), 116.6) for h, x in zip(heads, xs, strict=True)]
    words += [
        _w("1. 申请人无正当理由逾期不补正、行政机", 106.0, 120.0, 230.0, 124.6),
        _w("关不再处理其政府信息公开申请", 106.0, 130.0, 200.0, 134.6),
        *_row(130.0, ["2", "0", "2", "0", "0", "7", "11"]),
        _w("(六)其他", 62.0, 145.0, 90.0, 149.6),
        _w("2申请人逾期未按收费通知要求缴纳费用", 106.0, 145.0, 230.0, 149.6),
        _w("行政机关不再处理其政府信息公开申请", 106.0, 155.0, 215.0, 159.6),
        *_row(155.0, ["0", "5", "1", "1", "2", "1", "10"]),
        _w("3.其他", 106.0, 170.0, 125.0, 174.6),
        *_row(170.0, ["0", "0", "0", "0", "0", "6", "6"]),
    ]
    doc = _doc()
    find_tables(words, [], 1, 600.0, doc, source="ocr")
    tpl = next(t for t in TEMPLATES["t3"] if t.format == "2021")
    out = read_rows_cols(doc.tables, tpl, Settings())

    def row(code: str) -> list[float | None]:
        return [
            v.value if (v := out.values.get((code, c))) is not None else None for c in [lab.code for lab in tpl.cols]
        ]

    assert row("other_no_correction") == [2, 0, 2, 0, 0, 7, 11]
    assert row("other_unpaid_fee") == [0, 5, 1, 1, 2, 1, 10]
    assert row("other_other") == [0, 0, 0, 0, 0, 6, 6]
