"""The whole article on one line (scraper text without a single break): cut again at the form's labels."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest

from nianbao import Settings, process
from testkit.dumps import T3_COLS, one_line_samples, row_readings, t2_run_readings, t4_run_readings
from testkit.specs import T4_BLOCKS, T4_MEASURES
from tests.conftest import ROOT, SAMPLES

ONE_LINE = ["oneline_2021", "oneline_2019", "oneline_drift"]


def test_committed_one_line_samples_are_the_generators_and_claim_only_unique_readings() -> None:
    made = {s.name: (s, text) for s, text, _ in one_line_samples()}
    assert sorted(made) == sorted(ONE_LINE)
    for name, (s, text) in made.items():
        assert (SAMPLES / f"{name}.txt").read_text(encoding="utf-8") == text
        body = text.split("\n")
        assert max(len(ln) for ln in body) > 900 and sum(1 for ln in body if ln.strip()) == 5  # 4 header lines + 1
        # this module's own enumerations: every cell the golden file claims reads one way only
        for code, _, _ in s.t3_rows():
            assert len(row_readings("".join(s.raw("t3", code, c) for c in T3_COLS), len(T3_COLS))) == 1
        assert len(t4_run_readings("".join(s.raw("t4", b, c) for b, _ in T4_BLOCKS for c, _ in T4_MEASURES))) == 1
        for _, _, items in s.t2_blocks():
            for code, _ in items:
                assert len(t2_run_readings(s, code)) == 1


def test_one_line_text_is_relaid_and_says_so() -> None:
    doc = process(SAMPLES / "oneline_drift.txt", Settings())
    lost = [f for f in doc.findings if f.rule == "extract.layout_lost"]
    assert len(lost) == 1 and "line 5" in lost[0].message
    assert doc.metadata.body == "三明市沙县区凤岗街道办事处" and doc.metadata.year == 2021
    assert doc.value("t4", "review", "total").value is not None  # 行政法复议 printed, still read


@pytest.mark.parametrize("start", [71000])
def test_random_one_line_dumps_read_right_or_say_why(start: int, tmp_path: Path) -> None:
    """40 random filings (both formats, drifted labels, numbering styles): tables 三/四 ≥ 97% read,
    no value wrong anywhere, every unread cell named by a finding (benchmarks/one_line.py, 200 draws)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from one_line import draw, score

    total: Counter[str] = Counter()
    for seed in range(start, start + 40):
        s, text, _ = draw(seed)
        path = tmp_path / f"{seed}.txt"
        path.write_text(text, encoding="utf-8")
        tally, problems = score(s, process(path, Settings()))
        assert not problems, (seed, problems)
        total.update(tally)
    assert total["t34_wrong"] == 0 and total["t2_wrong"] == 0
    assert total["t34_right"] / total["t34_total"] >= 0.97


def test_committed_markdown_samples_are_the_generators() -> None:
    from testkit.dumps import markdown_samples

    made = {s.name: text for s, text, _ in markdown_samples()}
    assert sorted(made) == ["md_html_2019", "md_pipes_2021"]
    for name, text in made.items():
        assert (SAMPLES / f"{name}.md").read_text(encoding="utf-8") == text


def test_converter_markdown_damage_is_repaired_without_moving_a_value() -> None:
    from nianbao.extractors.markdown import repair

    wrapped = [["", "（二）部分公开（区分处理的，", "", ""], ["", "只计这一情形，不计其他情形）", "1", "2"]]
    assert repair(wrapped) == [["", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "1", "2"]]
    split = [["一、本年新收", "3", "0", "", ""], ["", "", "", "1", "4"]]
    assert repair(split) == [["一、本年新收", "3", "0", "1", "4"]]
    # a row that starts a row of its own is never joined; values that overlap are never merged
    rows = [["", "（三）不予公开", "", ""], ["", "1．属于国家秘密", "0", "1"]]
    assert repair(rows) == rows
    overlap = [["一、本年新收", "3", "0", "", ""], ["", "5", "", "1", "4"]]
    assert repair(overlap) == overlap


def test_random_converter_markdown_reads_right_or_says_why(tmp_path: Path) -> None:
    """40 random Markdown filings (both formats; labels wrapped anywhere, also beside a group's label;
    values split over two rows at any column; 总计 slid; tables as HTML blocks at random): no value
    wrong, every unread cell named by a finding."""
    from testkit.dumps import markdown_draw

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from one_line import score

    total: Counter[str] = Counter()
    for seed in range(40):
        s, text, params = markdown_draw(seed)
        path = tmp_path / f"{seed}.md"
        path.write_text(text, encoding="utf-8")
        tally, problems = score(s, process(path, Settings()))
        assert not problems, (seed, params, problems)
        total.update(tally)
    assert total["t34_wrong"] == 0 and total["t2_wrong"] == 0
    assert total["t34_right"] / total["t34_total"] >= 0.99


def test_committed_scraper_samples_are_the_generators() -> None:
    from testkit.scraper import scraper_samples

    made = scraper_samples()
    assert [s.name for s, _, _ in made] == ["scraper_portal_2021", "scraper_sections_2019"]
    for s, text, _ in made:
        assert (SAMPLES / f"{s.name}.txt").read_text(encoding="utf-8") == text


def test_scraper_portal_header_names_body_and_publisher() -> None:
    doc = process(SAMPLES / "scraper_portal_2021.txt", Settings())
    text = (SAMPLES / "scraper_portal_2021.txt").read_text(encoding="utf-8")
    field = next(ln for ln in text.splitlines() if ln.startswith("发布机构"))
    assert doc.metadata.publisher == field.split(":", 1)[-1].split("：", 1)[-1].strip()
    # a row whose digits split several ways on their own is read: only the column sums pin it
    notes = [v.note or "" for v in doc.values if v.table == "t3"]
    assert any("row and column sums" in n for n in notes)


def test_random_scraper_articles_read_right_or_say_why(tmp_path: Path) -> None:
    """40 random scraped articles (testkit/scraper.py: portal header blocks, header words broken by
    spaces, labels that lost or changed a character, both formats, the article on one line or a
    line per section, counts up to hundreds): no value wrong anywhere, every unread cell named,
    tables 三/四 ≥ 98% read, body and year right (benchmarks/one_line.py --kind scraper, 300 draws)."""
    from testkit.scraper import draw

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from one_line import score

    total: Counter[str] = Counter()
    for seed in range(98000, 98040):
        s, text, params = draw(seed)
        path = tmp_path / f"{seed}.txt"
        path.write_text(text, encoding="utf-8")
        doc = process(path, Settings())
        tally, problems = score(s, doc)
        assert not problems, (seed, params, problems)
        assert (doc.metadata.body, doc.metadata.year) == (s.body, s.year), (seed, params)
        total.update(tally)
    assert total["t34_wrong"] == 0 and total["t2_wrong"] == 0
    assert total["t34_right"] / total["t34_total"] >= 0.98


@pytest.mark.parametrize("seed", [130020, 130133])
def test_every_cell_one_reading_allows_is_read(seed: int, tmp_path: Path) -> None:
    """Labels a scraper changed past the search at large, right after the last row's digits:
    "三、本年度办理结果(一)子以公" (a heading between the rows, 予→子, 开 lost) and "（二）部分公" (the
    short form that lost 开). Every cell the test kit's own enumeration says a reader can take is
    read (testkit.scraper.unreadable), none wrong."""
    from testkit.scraper import draw, unreadable

    s, text, _ = draw(seed)
    path = tmp_path / f"{seed}.txt"
    path.write_text(text, encoding="utf-8")
    doc = process(path, Settings())
    got = {(v.table, v.row, v.col): v.value for v in doc.values}
    can = [k for k in s.cells() if k not in unreadable(s)]
    assert [k for k in can if got.get(k) != s.value(*k)] == []
