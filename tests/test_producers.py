"""Reports printed by producers nobody here wrote (Chromium, LibreOffice): no wrong value unnamed,
no cell lost without a finding; a table 三 split in two parts by a web page reads whole."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from nianbao import process
from testkit.fuzz import FONT_MISSING, score
from testkit.producers import PRODUCERS, produce

HAVE = shutil.which("chromium") and shutil.which("soffice")
pytestmark = pytest.mark.skipif(
    not (HAVE and not FONT_MISSING) and not os.environ.get("CI"),
    reason="needs Debian's chromium, libreoffice-writer-nogui and fonts-wqy-zenhei (CI installs them)",
)


@pytest.mark.parametrize("seed", range(51_000, 51_008))
def test_every_producer_reads_right_or_names_the_cell(seed: int, tmp_path: Path) -> None:
    producer = PRODUCERS[seed % len(PRODUCERS)]
    sample, pdf = produce(seed, producer, tmp_path)
    s = score(process(pdf), sample)
    assert s.wrong_unnamed == 0 and s.silent == 0, (producer, s.problems)
    assert s.right >= 0.5 * s.total, (producer, s.problems)


@pytest.mark.parametrize("seed", [50009, 50013, 50017, 50021, 54009, 54037])
def test_a_table_split_in_two_by_a_web_page_and_printed_by_a_browser_reads_whole(seed: int, tmp_path: Path) -> None:
    """Word's "save as web page" splits table 三 in two <table>s; Chromium sizes each part's columns
    on its own. The second part's columns are the first part's, in order, not the nearest by x (which
    put values one column away), and the anchored reader takes each part's own columns. (54009, 54037:
    table 三's header printed alone at the foot of a page is still table 三's.)"""
    sample, pdf = produce(seed, "chromium:gbk", tmp_path)
    s = score(process(pdf), sample)
    assert s.wrong == 0 and s.right == s.total, s.problems


@pytest.mark.parametrize("seed", [53005, 54025])
def test_a_split_part_that_lost_a_ruling_line_is_reported_never_misplaced(seed: int, tmp_path: Path) -> None:
    """Narrow value columns where a rule is lost: the part's few columns that still line up with the
    part above by x do so by chance; nothing is placed by them (all reported, none wrong)."""
    sample, pdf = produce(seed, "chromium:gbk", tmp_path)
    s = score(process(pdf), sample)
    assert s.wrong == 0 and s.silent == 0, s.problems


@pytest.mark.parametrize(
    ("seed", "producer"),
    [
        (60104, "libreoffice:doc"),
        (61078, "libreoffice:docx"),
        (62433, "libreoffice:docx"),
        (62019, "libreoffice:doc"),
        (63119, "libreoffice:doc"),
        (63273, "libreoffice:docx"),
        (62669, "libreoffice:doc"),
        (62883, "libreoffice:docx"),
    ],
)
def test_word_tables_with_wrapped_numbers_and_rows_broken_by_a_page_read_whole(
    seed: int, producer: str, tmp_path: Path
) -> None:
    """A drawn Word template with narrow value columns: numbers wrap inside their cells ("103" over
    "6"), a row breaks across a page (60104: its total's "28" above the break, "5" below), and a
    vertical group label prints "三、本年度" on one page and "办理结果" on the next (61078: the 总计
    row was lost); a row broken with its label ("2．申请人逾期未按收" / "费通知…", 62433); a group's
    heading alone over the break taken for 予以公开 (62019); two tight rows whose rule crosses the
    glyph boxes, never one wrapped number (63119: 176 over 0 was read 1760); table 四's one row
    broken by the page into a part of its own (63273); the header row broken by the page ("商业" over
    the break, "企业" under it: 62669 mapped two columns of seven on the next page); the last row's
    digits carried to a part whose label cells lost the rule between them, one column fewer (62883:
    "4" / "7" for 47 read as 4, two false alarms). Every cell read, no error on these balanced
    filings."""
    sample, pdf = produce(seed, producer, tmp_path)
    doc = process(pdf)
    s = score(doc, sample)
    assert s.wrong == 0 and s.right == s.total, s.problems
    assert not [f for f in doc.findings if f.severity.value == "error"]
