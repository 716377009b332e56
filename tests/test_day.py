"""A researcher's and an auditor's day: corrections that stick, the wide table, honest exit codes,
Excel-ready CSVs everywhere, progress that says something, non-reports told apart."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
from pathlib import Path

import pandas as pd
from click.testing import CliRunner
from openpyxl import load_workbook
from rich.console import Console

from nianbao.model import DocumentResult, Status
from nianbao.pipeline.cli import Reporter, main
from tests.conftest import SAMPLES
from tests.test_report import CHROMIUM, chromium, needs_chromium

BOM = b"\xef\xbb\xbf"


def _extract(*args: str) -> str:
    res = CliRunner().invoke(main, ["extract", *args, "--workers", "1"])
    assert res.exit_code == 0, res.output
    return res.output


def test_a_missing_path_is_a_usage_error_and_creates_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    for cmd in (["extract", str(tmp_path / "nope.pdf"), "--out", str(out)], ["check", str(tmp_path / "nope.pdf")]):
        res = CliRunner().invoke(main, cmd)
        assert res.exit_code == 2, res.output
        assert "nope.pdf" in res.output
    assert not out.exists()


def test_corrections_stick_across_reruns(tmp_path: Path) -> None:
    pdf = tmp_path / "planted.pdf"
    shutil.copy(SAMPLES / "planted_errors.pdf", pdf)
    out = tmp_path / "out"
    _extract(str(pdf), "--out", str(out))
    doc_id = pd.read_csv(out / "documents.csv", encoding="utf-8-sig").doc_id[0]
    before = pd.read_csv(out / "findings.csv", encoding="utf-8-sig")
    assert len(before[(before.rule == "t3.results_total") & (before.subject == "natural_person")]) == 1
    # the auditor reads （七）总计 / 自然人 off the page: 63, where the filing's sums say it must be
    fixes = tmp_path / "fixes.csv"
    fixes.write_text(
        f"doc_id,table,row,col,value,note\n{doc_id},t3,total_processed,natural_person,63,read off page 2\n",
        encoding="utf-8",
    )
    _extract(str(pdf), "--out", str(out), "--corrections", str(fixes))
    cells = pd.read_csv(out / "disclosure.csv", encoding="utf-8-sig", dtype={"raw": str})
    cell = cells[(cells.table == "t3") & (cells.row == "total_processed") & (cells.col == "natural_person")].iloc[0]
    assert (cell.value, cell.source, str(cell.raw)) == (63, "manual", "21")  # the printed text is kept
    assert "read off page 2" in cell.note
    after = pd.read_csv(out / "findings.csv", encoding="utf-8-sig")
    # the three sums the wrong 总计 broke hold now; the filing's other planted errors stay
    gone = {("t3.results_total", "natural_person"), ("t3.balance", "natural_person")}
    gone |= {("t3.applicant_total", "total_processed")}
    assert not gone & set(zip(after.rule, after.subject, strict=True))
    assert len(after[after.rule == "t4.total"]) == 1
    assert after[after.rule == "value.corrected"].subject.tolist() == ["t3.total_processed.natural_person"]
    # kept in the output folder: a rerun without --corrections applies it again (the file is not re-read)
    assert (out / "corrections.csv").exists()
    log = _extract(str(pdf), "--out", str(out))
    assert "already read, skipped" in log
    again = pd.read_csv(out / "disclosure.csv", encoding="utf-8-sig")
    assert again[again.source == "manual"].value.tolist() == [63]
    # a correction naming no cell of the form is an error naming its line, and nothing is read
    bad = tmp_path / "bad.csv"
    bad.write_text(
        f"doc_id,table,row,col,value,note\n{doc_id},t3,granted,natural_person,1,\n{doc_id},t3,nope,total,1,\n"
    )
    res = CliRunner().invoke(main, ["extract", str(pdf), "--out", str(tmp_path / "o2"), "--corrections", str(bad)])
    assert res.exit_code == 2 and "line 3" in res.output and "'nope'" in res.output
    # the report shows the corrected cell as such
    html = tmp_path / "report.html"
    assert CliRunner().invoke(main, ["report", str(out), "--html", str(html), "--no-crops"]).exit_code == 0
    if CHROMIUM or os.environ.get("CI"):  # CI installs Chromium: there the check must run
        dom = chromium(html.as_uri() + "#doc=0")
        manual = [t for t in dom.split("<td") if "manual" in t.split(">")[0]]
        assert len(manual) == 1 and ">63<" in manual[0] and "人工更正" in manual[0]


def test_the_wide_table_and_boms_everywhere(tmp_path: Path) -> None:
    out = tmp_path / "out"
    files = ["crossyear_2021.txt", "crossyear_2022.txt", "planted_errors.pdf", "scan_planted_200.pdf"]
    _extract(*(str(SAMPLES / f) for f in files), "--out", str(out))
    wide = tmp_path / "wide.csv"
    assert CliRunner().invoke(main, ["export", str(out), "--format", "wide", "--out", str(wide)]).exit_code == 0
    assert wide.read_bytes().startswith(BOM)
    table = pd.read_csv(wide, encoding="utf-8-sig")
    # one row per filing: the scan of planted_errors.pdf is a duplicate and is left out
    assert len(table) == 3
    assert list(table.columns[:6]) == ["机关", "机关编号", "年度", "层级", "地区", "状态"]
    row = table[table["年度"] == 2021].iloc[0]
    assert (row["机关"], row["层级"], row["本年新收"], row["办理总计"]) == (
        "三明市明溪县城关乡人民政府",
        "乡镇",
        151,
        159,
    )
    assert row["予以公开占比"] == round(6 / 159, 4)
    # every CSV the product writes has a BOM unless asked not to
    csvs = tmp_path / "csv"
    assert CliRunner().invoke(main, ["export", str(out), "--format", "csv", "--out", str(csvs)]).exit_code == 0
    assert all(p.read_bytes().startswith(BOM) for p in csvs.glob("*.csv"))
    plain = tmp_path / "plain"
    args = ["export", str(out), "--format", "csv", "--out", str(plain), "--no-bom"]
    assert CliRunner().invoke(main, args).exit_code == 0
    assert not any(p.read_bytes().startswith(BOM) for p in plain.glob("*.csv"))
    assert (out / "findings.csv").read_bytes().startswith(BOM)
    # the workbook opens on 汇总, with Chinese words and filters on its lists
    xlsx = tmp_path / "report.xlsx"
    assert CliRunner().invoke(main, ["report", str(out), "--xlsx", str(xlsx), "--no-crops"]).exit_code == 0
    wb = load_workbook(xlsx)
    assert wb.sheetnames[:3] == ["汇总", "概览", "发现"]
    overview = wb["概览"]
    assert overview.auto_filter.ref and wb["发现"].auto_filter.ref
    assert {overview.cell(row=r, column=5).value for r in range(2, overview.max_row + 1)} <= {
        "完整",
        "部分读取",
        "失败",
    }
    assert not any(len(name) > 31 or name[-7:-6] == "-" for name in wb.sheetnames)
    found = wb["发现"]
    printed = [found.cell(row=r, column=8).value for r in range(2, found.max_row + 1)]
    assert any(isinstance(v, int | float) for v in printed)


def test_fail_on_gives_cron_jobs_an_exit_code(tmp_path: Path) -> None:
    planted = str(SAMPLES / "planted_errors.pdf")
    runner = CliRunner()
    assert runner.invoke(main, ["extract", planted, "--out", str(tmp_path / "a")]).exit_code == 0
    assert runner.invoke(main, ["extract", planted, "--out", str(tmp_path / "b"), "--fail-on", "error"]).exit_code == 1
    assert runner.invoke(main, ["extract", planted, "--out", str(tmp_path / "c"), "--fail-on", "failed"]).exit_code == 0
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    res = runner.invoke(main, ["extract", str(empty), "--out", str(tmp_path / "d"), "--fail-on", "failed"])
    assert res.exit_code == 1
    assert runner.invoke(main, ["check", planted, "--fail-on", "never"]).exit_code == 0


def test_check_tells_a_non_report_and_a_skipped_file_apart(tmp_path: Path) -> None:
    shutil.copy(SAMPLES / "dump_tabs.txt", tmp_path / "report.txt")
    (tmp_path / "memo.txt").write_text("会议纪要：下周一开会，请各部门准时参加。\n" * 5, encoding="utf-8")
    (tmp_path / "list.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["check", str(tmp_path), "--severity", "error", "--lang", "en"])
    assert "skipped 1 file(s) of a kind nianbao does not read: .csv ×1" in res.output
    assert "input.not_a_report" in res.output and "input.unreadable" not in res.output
    assert "1 filings: 0 with errors, 0 with warnings; 1 file(s) not a report, 0 unreadable" in res.output


def test_progress_names_files_and_time_left() -> None:
    def doc(name: str) -> DocumentResult:
        return DocumentResult(doc_id="x", path=f"/in/{name}", sha256="", kind="txt", status=Status.OK)

    buf = io.StringIO()
    log = Reporter(Console(file=buf, force_terminal=False, width=200), total=5, every=2, seconds=3600)
    for k in range(5):
        log.advance(doc(f"f{k}.pdf"))
    log.close()
    lines = buf.getvalue().splitlines()
    assert len(lines) == 2  # every second file, not after each
    assert lines[0].startswith("[2/5] 40% elapsed 0:00:00, ETA 0:00:00; last: f1.pdf (ok)")
    term = io.StringIO()
    bar = Reporter(Console(file=term, force_terminal=True, width=200), total=3)
    bar.advance(doc("磁灶镇.pdf"))
    assert bar.progress is not None and "磁灶镇.pdf" in bar.progress.tasks[0].description
    bar.close()
    assert "ETA" in term.getvalue()


def test_check_csv_is_excel_ready(tmp_path: Path) -> None:
    res = CliRunner().invoke(main, ["check", str(SAMPLES / "planted_errors.pdf"), "--format", "csv", "--no-bom"])
    assert not res.stdout.startswith("\ufeff")
    rows = list(csv.reader(res.stdout.splitlines()))
    assert rows[0][0] == "path" and len(rows) > 5


@needs_chromium
def test_the_report_lays_out_each_table_in_its_own_form(tmp_path: Path) -> None:
    """A filing whose table 二 is printed in the 2019 form beside a 2021 table 三: table 二 is shown
    with its values, not blank (its cells are laid out by its own format)."""
    out = tmp_path / "out"
    _extract(str(SAMPLES / "format_2019.pdf"), "--out", str(out), "--no-parquet")
    docs = out / "documents.csv"
    frame = pd.read_csv(docs, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert frame.format.tolist() == ["2019"]
    frame["format"] = "2021"  # the filing's table 三 in the 2021 form; table 二 stays 2019 in disclosure
    frame.to_csv(docs, index=False, encoding="utf-8-sig")
    cells = pd.read_csv(out / "disclosure.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    t2 = cells[cells.table == "t2"]
    assert set(t2.format) == {"2019"}
    html = tmp_path / "report.html"
    assert CliRunner().invoke(main, ["report", str(out), "--html", str(html), "--no-crops"]).exit_code == 0
    dom = chromium(html.as_uri() + "#doc=0")
    form = dom[dom.index('data-table="t2"') :]
    form = form[: form.index("</div>")]
    shown = re.findall(r'<td class="v[^"]*" data-cell="t2\.[^"]+"[^>]*>([^<]*)</td>', form)
    printed = [r for r in t2.raw if r.strip()]
    assert len([v for v in shown if v.strip()]) == len(printed) > 10


def test_a_findings_letter_per_filing_with_errors(tmp_path: Path) -> None:
    out = tmp_path / "out"
    files = [
        "planted_errors.pdf",
        "scan_planted_200.pdf",
        "hrules_only.pdf",
        "crossyear_2021.txt",
        "crossyear_2022.txt",
    ]
    _extract(*(str(SAMPLES / f) for f in files), "--out", str(out))
    letters = tmp_path / "letters"
    res = CliRunner().invoke(main, ["report", str(out), "--letters", str(letters)])
    assert res.exit_code == 0, res.output
    # the planted report once (its scan is a copy of it), the 2022 filing for its carry-over; not the clean ones
    written = sorted(p.name for p in letters.glob("*.md"))
    assert len(written) == 2 and any("东海街道" in n for n in written) and any("2022三明市" in n for n in written)
    text = next(letters.glob("*东海街道*.md")).read_text(encoding="utf-8")
    assert text.startswith("# 关于《泉州市丰泽区东海街道办事处2023年政府信息公开工作年度报告》数据问题的函")
    assert "发现以下8处数据" in text and "第2页，行政诉讼 / 未经复议直接起诉" in text
    carry = next(letters.glob("*三明市*.md")).read_text(encoding="utf-8")
    assert "印为2，应为1" in carry  # across years: what last year's report carried forward
    assert "a non-negative" not in text  # in Chinese, in the form's words


def test_the_whole_report_as_markdown_and_json(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _extract(str(SAMPLES / "cizao_2022.pdf"), "--out", str(out))
    md = next((out / "documents").glob("*.md")).read_text(encoding="utf-8")
    assert md.startswith("# 晋江市磁灶镇人民政府2022年政府信息公开工作年度报告")
    # headings of the form, prose joined across printed lines, tables in place
    assert "\n## 一、总体情况\n" in md and "\n## 三、收到和处理政府信息公开申请情况\n" in md
    assert "主要由总体情况、行政机关主动公开政府信息情况、行政机关收到和处理政府信息公开申请情况" in md
    assert md.index("## 二、主动公开政府信息情况") < md.index("| 信息内容 |") < md.index("## 三、")
    doc = json.loads(next((out / "documents").glob("*.json")).read_text(encoding="utf-8"))
    kinds = [b["kind"] for b in doc["text"]]
    assert kinds.count("table") >= 4 and "heading" in kinds and "paragraph" in kinds
