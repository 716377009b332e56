"""Issuing body and year from the title layouts real filings print (testkit/titles.py), text and OCR."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from nianbao import process
from testkit.dumps import tab_dump
from testkit.specs import Sample, balanced_t3, balanced_t4, t2_values
from testkit.titles import SHAPES, dump_with_header
from tests.conftest import SAMPLES

BODIES = [
    ("上海市人民政府办公厅", "department"),
    ("淮安市人民政府办公室", "department"),
    ("平潭综合实验区管理委员会", "department"),
    ("泉州市鲤城区人民政府", "county"),
    ("南平市建瓯市东峰镇人民政府", "township"),
    ("福州市仓山区城门镇人民政府", "township"),
]


def _sample(body: str, year: int) -> Sample:
    rng = random.Random(year)
    s = Sample(name="t", body=body, year=year)
    s.t2, s.t3, s.t4 = t2_values(rng, "2021"), balanced_t3(rng, "2021"), balanced_t4(rng)
    return s


@pytest.mark.parametrize("shape", sorted(SHAPES))
@pytest.mark.parametrize("k", range(len(BODIES)))
def test_body_and_year_from_every_title_shape(shape: str, k: int, tmp_path: Path) -> None:
    body, level = BODIES[k]
    year = 2021 + k % 4
    text, file = dump_with_header(shape, body, year, tab_dump(_sample(body, year)))
    path = tmp_path / f"{file or 'report'}.txt"
    path.write_text(text, encoding="utf-8")
    doc = process(path)
    md = doc.metadata
    assert (md.body, md.year, md.level) == (body, year, level), text[:200]
    assert doc.metadata_source in ("title", "opening", "portal", "filename")
    assert not [f for f in doc.findings if f.rule == "metadata.body_unknown"]


def test_body_unknown_is_a_finding(tmp_path: Path) -> None:
    s = _sample("某某", 2022)
    text = "\n".join(["政府信息公开工作年度报告", *tab_dump(s).split("\n")[1:]])
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    doc = process(path)
    assert doc.metadata.body is None
    assert [f.rule for f in doc.findings if f.rule == "metadata.body_unknown"] == ["metadata.body_unknown"]


OCR_SHAPES = sorted(SHAPES)


@pytest.mark.parametrize("shape", OCR_SHAPES)
def test_body_and_year_from_ocr_title_pages(shape: str, tmp_path: Path) -> None:
    from testkit.fuzz import FONT_MISSING

    if FONT_MISSING:
        pytest.skip("needs fonts-wqy-zenhei to draw the page")
    from PIL import Image, ImageDraw, ImageFont

    from testkit.render import FONT_PATHS
    from testkit.titles import OPENING, header_lines

    body, level = BODIES[OCR_SHAPES.index(shape) % len(BODIES)]
    year = 2022
    lines, file = header_lines(shape, body, year)
    img = Image.new("L", (1654, 2339), 255)  # A4 at 200 DPI: a scanned first page
    d = ImageDraw.Draw(img)
    big, small = ImageFont.truetype(FONT_PATHS[0], 44), ImageFont.truetype(FONT_PATHS[0], 30)
    y = 220
    for ln in lines:
        if len(ln) > 30:  # a sentence (an opening paragraph): body text, wrapped
            for k in range(0, len(ln), 40):
                d.text((160, y), ln[k : k + 40], fill=20, font=small)
                y += 52
            continue
        w = d.textlength(ln, font=big)
        d.text(((1654 - w) / 2, y), ln, fill=20, font=big)
        y += 80
    opening = OPENING.format(y=year)
    for k in range(0, len(opening), 40):
        d.text((160, y + 40), opening[k : k + 40], fill=20, font=small)
        y += 52
    path = tmp_path / f"{file or 'page'}.png"
    img.save(path, dpi=(200, 200))
    md = process(path).metadata
    assert (md.body, md.year, md.level) == (body, year, level)


def test_title_printed_inside_the_first_table(tmp_path: Path) -> None:
    # a framed cover block: the title sits in the first cell of a table, the article follows
    html = (SAMPLES / "html_cms.html").read_text(encoding="utf-8")
    title = "福州市仓山区城门镇人民政府2022年政府信息公开工作年度报告"
    assert title in html
    framed = html.replace(title, "政府信息公开")  # neither the page title nor the article's heading says it
    framed = framed.replace("<body>", f"<body><table><tr><td>{title.replace('2022', '<br>2022')}</td></tr></table>", 1)
    path = tmp_path / "framed.html"
    path.write_text(framed, encoding="utf-8")
    doc = process(path)
    assert (doc.metadata.body, doc.metadata.year) == ("福州市仓山区城门镇人民政府", 2022)


def test_titles_as_browsers_print_portal_pages() -> None:
    """Lines Chromium printed from portal pages (benchmarks/producers.py): a breadcrumb above the
    title, the title broken over two lines, once inside a word; the body is the body's name alone."""
    from nianbao.normalizers.metadata import _title, title_parts

    nav = ["首页|政务公开|办事服务", "当前位置：首页>政务公开>政府信息公开年报"]
    broken = [*nav, "漳州市龙海区海澄镇人民政府2022年政府信息公开", "工作年度报告", "本报告根据……要求编制。"]
    assert _title(broken)[1:] == ("漳州市龙海区海澄镇人民政府", 2022)
    in_word = [*nav, "栏目导航 龙岩市新罗区西陂街道办事处2020年政", "府信息公开工作年度报告"]
    assert _title(in_word)[1:] == ("龙岩市新罗区西陂街道办事处", 2020)
    glued = "当前位置：首页>政务公开>政府信息公开年报宁德市人民政府办公室2020年政府信息公开工作年度报告"
    assert title_parts(glued) == ("宁德市人民政府办公室", 2020)


def test_portal_fields_read_when_ocr_lost_the_colon() -> None:
    from nianbao.normalizers.metadata import _FIELD, title_parts

    m = _FIELD.match("发布机构 南平市建阳区人民政府")
    assert m is not None and (m.group("key"), m.group("val")) == ("发布机构", "南平市建阳区人民政府")
    assert _FIELD.match("来源于群众的意见") is None  # a sentence is no field
    # a speck before the title: a Latin letter, an accented one, or a digit before the year
    assert title_parts("12020年度南平市建阳区人民政府政府信息公开工作年度报告") == ("南平市建阳区人民政府", 2020)
    assert title_parts("1.2022年度南平市建阳区人民政府政府信息公开工作年度报告") == ("南平市建阳区人民政府", 2022)
    # before a Markdown marker (hard scan seed 9677), and a dash before the name (seed 12050)
    title = "1**2023年龙岩市新罗区西陂街道办事处政府信息公开工作年度报告**"
    assert title_parts(title) == ("龙岩市新罗区西陂街道办事处", 2023)
    title = "—漳州市龙海区海澄镇人民政府2021年政府信息公开工作年度报告"
    assert title_parts(title) == ("漳州市龙海区海澄镇人民政府", 2021)


def test_a_year_first_title_after_a_portal_menu_on_its_line() -> None:
    """A page whose side menu shares the title's printed line (Chromium printing a layout table):
    "栏目导航 2022 年…" and "栏目导航 标题: …" still name the body as the title prints it."""
    from nianbao.normalizers.metadata import _title, title_parts

    assert title_parts("栏目导航 2022 年宁德市人民政府办公室政府信息公开工作年度报告") == ("宁德市人民政府办公室", 2022)
    crumb = "当前位置：首页>政务公开>2021年度福州市鼓楼区温泉街道办事处政府信息公开工作年度报告"
    assert title_parts(crumb) == ("福州市鼓楼区温泉街道办事处", 2021)
    split = ["首页 | 政务公开", "栏目导航 2022 年宁德市人民政府办公室政府信息", "公开工作年度报告"]
    assert _title(split)[1:] == ("宁德市人民政府办公室", 2022)
    field = "栏目导航 标题: 宁德市人民政府办公室2022年政府信息公开工作年度报告"
    assert title_parts(field) == ("宁德市人民政府办公室", 2022)


def test_a_title_ocr_cut_inside_a_character_reads_that_character_once() -> None:
    """A copier's bold title cut between the 亻 and the 乍 of 作, each half read as 作 (copier seeds
    3709, 3735, 3763): touching OCR crops give the character once; a gap, or a text layer, keeps both."""
    from nianbao.extractors.grid import text_lines
    from nianbao.model import BBox, Word

    def line(right_x0: float, source: str = "ocr") -> str:
        words = [
            Word("2020年度南平市建阳区人民政府政府信息公开工作", BBox(99, 56, 423, 72), source, 0.98),
            Word("作年度报告", BBox(right_x0, 56, 493, 72), source, 1.0),
        ]
        return text_lines(words, 1)[0].text

    assert line(424.5) == "2020年度南平市建阳区人民政府政府信息公开工作年度报告"
    assert line(424.5, "text") == "2020年度南平市建阳区人民政府政府信息公开工作作年度报告"
    assert line(440) == "2020年度南平市建阳区人民政府政府信息公开工作 作年度报告"  # apart: two words

    # the halves a few points apart (hard seed 13354: 3 pt at 15 pt); a space's width apart: two words
    def pieces(left: str, right: str, gap: float, source: str = "ocr") -> str:
        words = [
            Word(left, BBox(214, 57, 341, 72.1), source, 0.96),
            Word(right, BBox(341 + gap, 57, 628, 72.1), source, 1.0),
        ]
        return text_lines(words, 1)[0].text

    assert pieces("**2020年宁德市人民", "民政府办公室政府信息公开工作年度报告**", 3.0).startswith(
        "**2020年宁德市人民政府"
    )
    assert pieces("**2020年宁德市人民", "民政府办公室", 5.0) == "**2020年宁德市人民 民政府办公室"
    assert pieces("**2020年宁德市人民", "民政府办公室", 3.0, "text") == "**2020年宁德市人民民政府办公室"


def test_a_title_read_with_the_radical_of_one_character_apart_is_found() -> None:
    from nianbao.normalizers.metadata import _title

    # copier seed 4860 at 150 DPI: the line cut inside 作, its 亻 read alone as 件
    assert _title(["福州市鼓楼区温泉街道办事处2023年政府信息", "公开工件作年度报告", "本报告根据……"])[1:] == (
        "福州市鼓楼区温泉街道办事处",
        2023,
    )


def test_latin_letters_a_streak_left_inside_the_report_words_are_no_part_of_the_title() -> None:
    from nianbao.normalizers.metadata import _title

    # copier seed 7713 at 150 DPI: a streak across the title's second line read "F T" inside 年度
    assert _title(["yl福建省自然资源厅2020年政府信息", "公开工作年F T 度报告", "本报告根据……"])[1:] == (
        "福建省自然资源厅",
        2020,
    )


def test_a_year_first_title_under_a_speck_keeps_its_own_body() -> None:
    from nianbao.normalizers.metadata import _title

    # hard seeds 13344, 13632: a speck at the page's top edge read "一" above a title read whole
    assert _title(["一", "2020年度福州市鼓楼区温泉街道办事处政府信息公开工作年度报告", "本报告根据……"])[1:] == (
        "福州市鼓楼区温泉街道办事处",
        2020,
    )
    # the year and report words under the body on its own line still take it
    assert _title(["福州市鼓楼区温泉街道办事处", "2020年政府信息公开工作年度报告"])[1:] == (
        "福州市鼓楼区温泉街道办事处",
        2020,
    )


def test_a_speck_on_a_portal_field_line_is_not_part_of_its_value() -> None:
    # hard seed 13371 at 150 DPI: "十" read at 0.16, 1.8 pt tall, beside the 发布机构 field
    from nianbao.extractors.grid import text_lines
    from nianbao.model import BBox, Word

    words = [Word("发布机构：福建省自然资源厅", BBox(75, 90, 213, 100.8), "ocr", 1.0)]
    speck = Word("十", BBox(449, 97, 451, 98.8), "ocr", 0.16)
    assert [ln.text for ln in text_lines([*words, speck], 1)] == ["发布机构：福建省自然资源厅"]
    # read surely, or as tall as the line, a word stays
    sure = Word("十", BBox(449, 97, 451, 98.8), "ocr", 0.9)
    assert text_lines([*words, sure], 1)[0].text.endswith("十")
