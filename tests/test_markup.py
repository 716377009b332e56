"""Page-less readers: HTML decoding and DOM reading, Word packages, digit runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from nianbao import Status, process
from nianbao.extractors.html import decode_html
from nianbao.extractors.markup import SpanCell, clean_text, grid_from_rows
from nianbao.form.digits import ColumnSum, solve, splits


def test_clean_text_joins_cjk_without_spaces() -> None:
    assert clean_text("法律服务\n机构") == "法律服务机构"
    assert clean_text("2\n3") == "2 3"
    assert clean_text("\u00a0 ") == ""


def test_grid_from_rows_places_spans_like_browsers() -> None:
    rows = [
        [SpanCell("a", rowspan=2), SpanCell("b", colspan=2)],
        [SpanCell("c"), SpanCell("d")],
    ]
    g = grid_from_rows(rows, index=0, order=0, source="html", method="html")
    m = g.matrix()
    assert (g.n_rows, g.n_cols) == (2, 3)
    assert [c.text if c else None for c in m[1]] == ["a", "c", "d"]
    assert m[0][1] is m[0][2]


@pytest.mark.parametrize("charset", ["gb2312", "gbk", "GB18030"])
def test_declared_gb_charsets_decode(charset: str) -> None:
    data = f'<meta charset="{charset}"><p>政府信息公开</p>'.encode("gb18030")
    assert "政府信息公开" in decode_html(data)


def test_undeclared_gbk_is_sniffed() -> None:
    assert "结转下年度" in decode_html("<p>结转下年度</p>".encode("gbk"))


def test_portal_navigation_and_footer_are_not_the_article(tmp_path: Path) -> None:
    page = (
        '<div class="nav">首页 政务公开 一、总体情况</div>'
        "<h1>某县人民政府2022年政府信息公开工作年度报告</h1><p>一、总体情况</p><p>正文</p>"
        '<div id="footer">版权所有 某县</div>'
    )
    p = tmp_path / "r.html"
    p.write_text(page, encoding="utf-8")
    doc = process(p)
    texts = [ln.text for ln in doc.lines]
    assert texts[0].startswith("某县人民政府2022年")
    assert not any("版权所有" in t or "首页" in t for t in texts)
    assert doc.metadata.year == 2022


def test_docx_that_is_not_a_zip_is_refused(tmp_path: Path) -> None:
    p = tmp_path / "r.docx"
    p.write_bytes(b"\xd0\xcf\x11\xe0 legacy word")
    doc = process(p)
    assert doc.status is Status.FAILED and doc.error and "legacy .doc" in doc.error


def test_splits_respect_leading_zeros() -> None:
    assert splits("100", 2) == [(10, 0)]
    assert splits("713000074", 7, last_is_sum=True) == [(71, 3, 0, 0, 0, 0, 74)]
    assert splits("1" * 40, 7, limit=10) is None  # too many to search: never a truncated list


def test_solve_keeps_only_readings_of_the_whole_table_and_cells_they_agree_on() -> None:
    # two parts and their total in two columns: a = (x, y), b = (u, v), t = a + b
    sums = [ColumnSum(0, ("a", "b"), ("t",)), ColumnSum(1, ("a", "b"), ("t",))]
    cands = {"a": [(1, 11), (11, 1)], "b": [(1, 11), (11, 1)], "t": [(12, 12)]}
    res = solve(cands, sums)
    # a = (1, 11) with b = (11, 1), or the other way round: both hold, nothing is decided
    assert res.joint and res.supported["a"] == [(1, 11), (11, 1)] and res.cells("a") == {}
    res = solve({**cands, "t": [(2, 22)]}, sums)
    assert res.cells("a") == {0: 1, 1: 11} and res.cells("b") == {0: 1, 1: 11}
    # a part that was not read: the others may only fall short of the total
    res = solve({"a": cands["a"], "t": [(5, 20)]}, sums, absent=["b"])
    assert res.supported["a"] == [(1, 11)]
    # no reading balances (the filing's own error): a column's sums are left out, and what the
    # readings then agree on is kept
    res = solve({"a": [(3, 4)], "b": [(5, 6)], "t": [(8, 99)]}, sums)
    assert res.relaxed == (1,) and res.cells("a") == {0: 3, 1: 4}
