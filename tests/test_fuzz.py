"""The layout fuzzer in CI: random layouts of tables 二/三/四 rendered at test time (testkit/fuzz.py).

Text PDFs must read exactly: every cell right, or empty with a finding naming it, never a wrong
value. Scans are held to the figures measured when the anchored reader landed (a regression
guard; the goal in the issue on layouts is higher, see docs/benchmarks.md). A failing seed prints its
layout parameters: replay with ``python benchmarks/fuzz_layouts.py --start SEED --n 1 -v``.

The scanned draws (marker ``scans``) are the long runs: deselected in the suite, run by CI after it
and by ``python -m pytest -m scans`` (docs/development.md).
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from nianbao import Settings, process
from testkit.fuzz import FONT_MISSING, LayoutParams, Score, make, scan_of, score

N_TEXT = 150
N_SCAN = 20
TEXT_SEEDS = range(10_000, 10_000 + N_TEXT)  # not the seeds the fixes were developed on (0-299)
SCAN_SEEDS = range(20_000, 20_000 + N_SCAN)
HARD_SEEDS = range(21_000, 21_000 + 12)

pytestmark = pytest.mark.skipif(
    FONT_MISSING and not os.environ.get("CI"), reason="needs fonts-wqy-zenhei to render layouts"
)


RULES = {"t3.balance", "t3.results_total", "t3.applicant_total", "t4.total"}
ALARMS: dict[int, list[str]] = {}


def _one(args: tuple[int, str, int, bool | str]) -> tuple[LayoutParams, Score, bool, list[str]]:
    """One layout: as a text PDF (``dpi`` 0), or scanned (``hard``: True with seals and photos,
    "copier" by the second degrader, testkit/copier.py)."""
    seed, tmp, dpi, hard = args
    p, s, path = make(seed, Path(tmp))
    if dpi and hard == "copier":
        from testkit.copier import copy_of

        path = copy_of(path, dpi, seed)
    elif dpi:
        path = scan_of(path, dpi, seed, hard=bool(hard))
    doc = process(path, Settings(ocr_threads=1))
    # the filings balance: an error-level rule finding is a false accusation
    alarms = [
        f"{f.rule} {f.subject}: {f.message}" for f in doc.findings if f.rule in RULES and f.severity.value == "error"
    ]
    # the fuzzer also draws how the title and header print (testkit/titles.py)
    return p, score(doc, s), (doc.metadata.body, doc.metadata.year) == (s.body, s.year), alarms


def _text(args: tuple[int, str, str]) -> tuple[LayoutParams, Score, list[str]]:
    """One text layout drawn with ``kind`` (narrow: numbers wrapping in their cells; blanks: zeros
    printed as blank marks or nothing)."""
    seed, tmp, kind = args
    p, s, path = make(seed, Path(tmp), narrow=kind == "narrow", blanks=kind == "blanks")
    doc = process(path, Settings())
    alarms = [f"{f.rule} {f.subject}" for f in doc.findings if f.rule in RULES and f.severity.value == "error"]
    return p, score(doc, s), alarms


# narrow value columns (20-28 pt) whose numbers wrap inside their cells, lost by both readers alike
# (a wrong value "confirmed_by readers", a false error): each seed of `fuzz_layouts.py --narrow`
NARROW_REPLAYS = [  # (seed, the least share of cells right)
    (7406, 1.0),  # "108" half a line above the row, "8" half a line below, read on the row's line: 1088 read 8
    (7444, 0.98),  # the same beside a group's label "（三）" and the rest of the row's label: taken for a row's start
    (7446, 1.0),  # the same where the row's label wrapped too and its first line holds the upper pieces
    (7417, 0.98),  # 27 / 81 / 2 for 27812 in a column two digits wide, the middle piece on the row's line: 812
    (7687, 1.0),  # 6.5 pt type: the pieces and the row's own numbers one line, their digits mixed ("1916")
    (7612, 1.0),  # a last piece beside a group's label in its own column ("（三）不予公"): taken for a row's start
    (7730, 1.0),  # the same beside "三、" of 三、本年度办理结果, in a ruled table
    # the same where the row's own numbers stand on a line of their own between its wrapped ones'
    # pieces: the line above holds as many numbers as pieces below, though the table has seven columns
    (7859, 1.0),
]


def _replay_text(kind: str, replays: list[tuple[int, float]], tmp: Path) -> None:
    with ProcessPoolExecutor(2) as pool:
        results = list(pool.map(_text, [(seed, str(tmp), kind) for seed, _ in replays]))
    bad = [
        f"seed {p.seed}: {sc.right}/{sc.total} right, {sc.wrong} wrong, {sc.silent} silent, alarms {alarms}"
        for (p, sc, alarms), (_, floor) in zip(results, replays, strict=True)
        if sc.wrong or sc.silent or alarms or sc.right < floor * sc.total
    ]
    assert not bad, "\n".join(bad)


def test_narrow_columns_wrapping_numbers_read_exactly(tmp_path: Path) -> None:
    _replay_text("narrow", NARROW_REPLAYS, tmp_path)


# zeros printed as nothing in tables without vertical rules (`fuzz_layouts.py --blanks`): each seed
# a text layout that lost cells or read a wrong number before the printed blank was read by position
BLANK_REPLAYS = [  # (seed, the least share of cells right)
    (23933, 1.0),  # rows of nothing (h-rules): every empty place unread; "2．没有现成…" took the next row's numbers
    (24141, 1.0),  # three rows of （四） round one line of numbers: the line is the middle row's, the others blank
    (24025, 1.0),  # table 四's 尚未审结 blank: its header merged with 总计's column, whose 9 was read as 尚未审结
    (24455, 1.0),  # "（六）其他处" is a group's heading, not a row's start; a label's first line above a page's header
    (24037, 1.0),  # "3．其他", a row printing nothing, taken for the column named 其他 and dropped
    (24029, 1.0),  # a row's first line named by a piece of its words ("申请人逾期未按收费通")
    # a label's first line nearer the row above: the first line of the next band's label. Two rows (14
    # cells) stay reported: labels 122 pt wide, group headings wrapped through them ("度办本年理结法提）无供…")
    (23974, 0.93),
]


def test_zeros_printed_as_nothing_read_as_blanks(tmp_path: Path) -> None:
    _replay_text("blanks", BLANK_REPLAYS, tmp_path)


def _run(seeds: range, tmp: Path, dpi: int = 0, hard: bool = False) -> list[tuple[LayoutParams, Score]]:
    with ProcessPoolExecutor(2) as pool:
        results = list(pool.map(_one, [(s, str(tmp), dpi, hard) for s in seeds]))
    wrong_md = [p.describe() for p, _, ok, _ in results if not ok]
    assert not wrong_md, "body or year read wrong:\n" + "\n".join(wrong_md)
    for p, _, _, alarms in results:
        ALARMS[p.seed] = alarms
    return [(p, sc) for p, sc, _, _ in results]


def _report(results: list[tuple[LayoutParams, Score]]) -> str:
    lines = []
    for p, sc in results:
        if sc.wrong or sc.silent or sc.reported:
            lines.append(f"seed {p.seed}: {p.describe()}")
            lines += [f"    {x}" for x in (sc.problems or []) if "reported" not in x][:10]
    return "\n".join(lines)


def test_fuzzed_text_layouts_read_exactly(tmp_path: Path) -> None:
    results = _run(TEXT_SEEDS, tmp_path)
    total = Score()
    for _, sc in results:
        total.add(sc)
    assert total.wrong == 0 and total.silent == 0, _report(results)
    assert total.right == total.total, f"{total.reported} cells reported instead of read\n{_report(results)}"


def _scan_guard(results: list[tuple[LayoutParams, Score]], floor: float) -> None:
    total = Score()
    for _, sc in results:
        total.add(sc)
    share = total.right / total.total
    # measured on these seeds when this test was written: see the scan figures in docs/benchmarks.md
    assert share >= floor, f"{share:.2%} of cells right\n{_report(results)}"
    assert total.wrong_unnamed == 0 and total.silent == 0, _report(results)
    alarms = {seed: a for seed, a in ALARMS.items() if a and seed in {p.seed for p, _ in results}}
    assert not alarms, f"error-level findings on balanced filings: {alarms}"


@pytest.mark.scans
def test_fuzzed_scans_never_wrong_without_a_finding(tmp_path: Path) -> None:
    _scan_guard(_run(SCAN_SEEDS, tmp_path, dpi=200), 0.97)


@pytest.mark.scans
def test_fuzzed_scans_with_seals_and_photos(tmp_path: Path) -> None:
    """Seals of several colours, sizes, angles and opacities over table values; phone photos
    (perspective, uneven light): no wrong value goes unnamed, no balanced filing is accused."""
    _scan_guard(_run(HARD_SEEDS, tmp_path, dpi=200, hard=True), 0.97)


# layouts the benchmark runs lost, each replayed with the least share of cells it read right once
# fixed (seeds of `benchmarks/fuzz_layouts.py`, which these fixes were developed on)
REPLAYS: list[tuple[int, int, bool | str, float]] = [
    (7, 200, False, 0.98),  # the rows that tell 2021 from 2019 garbled: placed by order between named rows
    # a block of labels read as one word two lines tall glued two rows into one. 0.98 until speckled
    # pages needed larger specks dropped (extractors/ocr.py despeckle: copier degrader 150 DPI
    # 84.2% -> 90.2%, hard scans 99.40% -> 99.46%); here one row's wrapped label then loses its
    # number and the row is reported (193/200, nothing wrong)
    (27, 200, False, 0.96),
    (129, 200, False, 0.98),  # an unruled landscape table taken for a page turned on its side
    (122, 200, True, 0.88),  # a seal's stroke read as an eighth number in a row of table 三
    (10, 150, True, 0.88),  # a speck on the line of table 四's heading hid the table
    (16, 150, True, 0.84),  # a fee's decimal point dropped; a 6 under a seal taken for the blank mark '/'
    (81, 150, True, 0.95),  # a leaning photographed row: one printed number read into two cells (false alarm)
    (246, 150, True, 0.90),  # '10' read '1.1' under a seal: a count "not a whole number" accused the filing
    (72, 150, True, 0.94),  # table 二's '46' read '16' with confidence: no sum holds it, no finding named it
    (137, 300, True, 0.98),  # a portrait table page turned on its side: rows of numbers read as its longest lines
    (126, 150, True, 0.96),  # a 0 the seal's removal left as '1', and its black ink cut to that box, read '1'
    # a 0 the seal's removal cut to its right stroke: "40" read "41" at 0.92 by every crop. 0.96 until
    # the seal's removal took a star's centre out (a grey blob read as 0 beside a digit at 300 DPI):
    # here two cells under the seal's characters read worse and are reported (190/200, nothing
    # wrong unnamed); 100 fresh hard scans at 150 DPI read 98.73% -> 98.92% with it
    (1056, 150, True, 0.95),
    (1090, 150, True, 0.74),  # a 6 that lost its loop under a seal read "10" surely; its black ink reads "16"
    # an unruled photographed page: a group's numbering read apart and each row's first number run
    # into its label, on every page of the table; the columns were left unfixed and the rows placed
    # by order, the numbering into 自然人 (four false errors)
    (13807, 200, True, 0.97),
    # a landscape table page copied a quarter turned, rendered at 200 DPI from the 300 DPI copy: its
    # profiles do not say it lies on its side and it was read so, then upside down (its digits read
    # surely, its labels not). Table 三 was read as 2019 from the next page's 2021 rows placed by
    # order: 36 cells wrong or missing with no finding; then (labels before the share of rows) 74 of
    # 200 right, the rest named; now a page that reads badly is asked whether it reads far better
    # turned a quarter, whatever its profiles say
    (5621, 300, "copier", 0.97),
    (6020, 300, "copier", 0.97),  # a ruled landscape table page on its side: its profiles said upright
    (5454, 150, "copier", 0.90),  # a copier's stroke beside a 0 read "10" by every crop: a confirmed error
    # a page turned a quarter whose sideways glyph columns read as surely as its lines turned (0.97
    # against 1.00, with a third of the Chinese): read on its side, table 二 and the body lost, and
    # a row's numbers placed in the row below, "confirmed" by its row sum (120/200, 3 wrong unnamed)
    (5747, 300, "copier", 0.97),
    # a 2019 table 三 on an upside-down 150 DPI copy: its （六）其他处理 row read as 2021's "3．其他",
    # the two other 2021 rows unread, and the 2019 row lost with no finding: one own row of three
    # now leaves the format uncertain, and says so
    (5601, 150, "copier", 0.80),
    (5918, 300, "copier", 0.97),  # a rule placed 5 pt off: the next cell's 2 read into "20" as "202", a false error
    # "260" under a seal's ring read "60" by every crop and by the black ink alone: two sums failed by
    # 200, errors against a balanced filing; the reading with one digit more is now a candidate
    (6238, 200, "copier", 0.90),
    # a ruled table page copied on its side at 150 DPI: its column rules band it as if upright, and its
    # stacked header cells read upright as sure nonsense ("公这" 0.9998) against its worn labels turned
    # (0.85): read upside down instead, table 三 lost (83/200). Turned, it reads far more of the form's
    # own words, and is turned
    (6714, 150, "copier", 0.88),
    # the same at 300 DPI, and not even doubted: each glyph of its labels' columns read alone and
    # surely ("项之" 1.00), its numbers too; table 三 lost (37/198). Its Chinese read in pieces now
    # makes the page doubtful, and turned it reads far better
    (7004, 300, "copier", 0.97),
    # a seal's star hid the rule under a 27 it half covered: the ruled grid merged the two rows'
    # cells of that column, and the next row's 4 was both rows' value (a false t3.balance error).
    # A scanned value cell merged over rows is cut back into its rows
    (7131, 150, "copier", 0.97),
    # 社会公益组织 unread on the page: a lost cell beside it was looked for in a box reaching over that
    # column's 3, read "31" for a 1, and the false error "confirmed". The box stops at the unread column
    (7112, 300, "copier", 0.97),
    # table 四 ruled round its two blocks only: each line of a block read as one crop, the table lost
    (7229, 300, "copier", 0.97),
]


@pytest.mark.scans
def test_replayed_layouts_stay_fixed(tmp_path: Path) -> None:
    with ProcessPoolExecutor(2) as pool:
        results = list(pool.map(_one, [(seed, str(tmp_path), dpi, hard) for seed, dpi, hard, _ in REPLAYS]))
    bad = []
    for (p, sc, _, alarms), (_, dpi, hard, floor) in zip(results, REPLAYS, strict=True):
        if sc.silent or sc.wrong_unnamed or alarms or sc.right < floor * sc.total:
            bad.append(
                f"seed {p.seed} ({dpi} DPI{', hard' if hard else ''}): {sc.right}/{sc.total} right, "
                f"{sc.silent} silent, {sc.wrong_unnamed} wrong unnamed, alarms {alarms}"
            )
    assert not bad, "\n".join(bad)


def _planted(args: tuple[int, str]) -> tuple[int, bool, list[str]]:
    seed, tmp = args
    _, s, path = make(seed, Path(tmp), plant=True)
    doc = process(scan_of(path, 200, seed, hard=True), Settings(ocr_threads=1))
    planted = {f"t3.{r}.{c}" for (_, r, c) in s.planted}
    errors = [f for f in doc.findings if f.rule in RULES and f.severity.value == "error"]
    found = any(planted & {c.key for c in f.cells} for f in errors)
    others = [f"{f.rule} {f.subject}" for f in errors if not planted & {c.key for c in f.cells}]
    return seed, found, others


# hard scans with one planted error each that the benchmark's planted runs lost (seeds 500-544,
# then 545-644): the failed sum was downgraded because one of its cells could not be confirmed
PLANTED = [
    502,  # clear 0s first read at 0.42 and 0.73 for specks round them, away from the seal
    503,  # a photographed page's grey paper taken for ink once the cell's rules were whitened
    520,  # a crimson seal's ring left strokes through digits under it ("0" read "p", "7" read "5,7"):
    # confirmed by the black ink alone, read from the page's luminance
    532,  # a seal's pale smear in the cell, darker than the paper, taken for ink by Otsu
    540,  # two seals over a photographed unruled table whose rows lean into each other (two rows
    # were read as one; a seal filter that took dark red for seal ink erased the digits under its ring)
    583,  # the planted 11 first read at 0.89: reading it as the sum wants "explained" the error (fresh run)
    637,  # the planted 7 first read at 0.76 under a crimson seal, the same suggestion (fresh run 545-644)
]


def _planted_copy(args: tuple[int, int, str]) -> tuple[int, bool, list[str]]:
    seed, dpi, tmp = args
    from testkit.copier import copy_of

    _, s, path = make(seed, Path(tmp), plant=True)
    doc = process(copy_of(path, dpi, seed), Settings(ocr_threads=1))
    planted = {f"t3.{r}.{c}" for (_, r, c) in s.planted}
    errors = [f for f in doc.findings if f.rule in RULES and f.severity.value == "error"]
    found = any(planted & {c.key for c in f.cells} for f in errors)
    return seed, found, [f"{f.rule} {f.subject}" for f in errors if not planted & {c.key for c in f.cells}]


# copier copies with one planted error each that a fresh run lost at 200 DPI and more
PLANTED_COPIES = [
    # the planted row's total read "26" at 0.98 and 0.96, "28" at 0.94: each look sure, none balancing
    (6214, 200),
    # a seal's ring joined five rows into one line: the row above the planted one lost whole, its
    # sums unchecked; the row is read half way between its neighbours
    (6305, 300),
    # a planted 5 whose top broke apart from its bowl: "ink off one line", the error called unconfirmed
    (6806, 200),
    # a planted 9 read surely by every crop, the recogniser's next best 0 at 0.03: explained away as
    # a misreading on a copy where no other cell was misread
    (6810, 200),
    # a planted 6 first read at 0.48: the suggestion that reading it as 0 restores the sums was kept,
    # though the binarised crop read 6 again at 0.94, for the wider crop's "B" (no number at all)
    (7300, 200),
    # a seal left two cells of one row blank: their two column sums and their row's sum failed, no
    # re-reading confirmed them, and the page was taken to misread; the sums give the blanks 3 and 1,
    # and the looks at them read 3 and 1 (checks/ocr_verify.py, blank_explained)
    (7403, 300),
    # "1389" under a seal read "389" (its black ink "1389") and "34" read "24" (the recogniser's next
    # best "34"): four sums failed, and with the planted error's column five; the page was taken to
    # misread (checks/ocr_verify.py, looks_explained)
    (7505, 300),
]


@pytest.mark.scans
def test_planted_errors_on_copies_are_found(tmp_path: Path) -> None:
    with ProcessPoolExecutor(2) as pool:
        results = list(pool.map(_planted_copy, [(seed, dpi, str(tmp_path)) for seed, dpi in PLANTED_COPIES]))
    lost = [seed for seed, found, _ in results if not found]
    alarms = {seed: others for seed, _, others in results if others}
    assert not lost and not alarms, f"planted errors not found: {lost}; other errors: {alarms}"


@pytest.mark.scans
def test_planted_errors_under_seals_are_found(tmp_path: Path) -> None:
    with ProcessPoolExecutor(2) as pool:
        results = list(pool.map(_planted, [(seed, str(tmp_path)) for seed in PLANTED]))
    lost = [seed for seed, found, _ in results if not found]
    alarms = {seed: others for seed, _, others in results if others}
    assert not lost and not alarms, f"planted errors not found: {lost}; other errors: {alarms}"
