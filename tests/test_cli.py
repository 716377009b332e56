"""The CLI through click's CliRunner: outputs on disk, exit codes, bad files in a batch."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pandas as pd
from click.testing import CliRunner

from nianbao.pipeline.cli import main
from tests.conftest import SAMPLES

DISCLOSURE_CONTRACT = {
    "doc_id",
    "table",
    "row",
    "col",
    "value",
    "raw",
    "page",
    "x0",
    "top",
    "x1",
    "bottom",
    "source",
    "confidence",
}
FINDINGS_CONTRACT = {"doc_id", "rule", "severity", "table", "cells", "expected", "printed", "message", "page"}
DOCUMENTS_CONTRACT = {"doc_id", "path", "sha256", "title", "body", "year", "format", "pages", "status", "error"}


def test_extract_writes_the_output_contract(tmp_path: Path) -> None:
    inp = tmp_path / "in"
    inp.mkdir()
    for name in ("planted_errors.pdf", "blanks_dashes.pdf"):
        shutil.copy(SAMPLES / name, inp / name)
    (inp / "broken.pdf").write_bytes(b"%PDF-1.4 this is not a pdf")
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["extract", str(inp), "--out", str(out), "--workers", "2"])
    assert res.exit_code == 0, res.output
    for name, contract in (
        ("disclosure", DISCLOSURE_CONTRACT),
        ("findings", FINDINGS_CONTRACT),
        ("documents", DOCUMENTS_CONTRACT),
    ):
        csv = pd.read_csv(out / f"{name}.csv", encoding="utf-8-sig")
        pq = pd.read_parquet(out / f"{name}.parquet")
        assert contract <= set(csv.columns), name
        assert len(csv) == len(pq), name
    docs = pd.read_csv(out / "documents.csv", encoding="utf-8-sig")
    assert sorted(docs["status"]) == ["failed", "ok", "ok"]
    assert docs.loc[docs["status"] == "failed", "error"].str.contains("not a readable PDF").all()
    disclosure = pd.read_parquet(out / "disclosure.parquet")
    assert len(disclosure) == 2 * 200
    # a blank printed cell keeps its raw text and counts as 0
    blanks = disclosure[disclosure["blank"]]
    assert len(blanks) > 0 and (blanks["value"] == 0).all()
    assert set(blanks["raw"].fillna("")) <= {"", "—", "-", "/", "无"}
    con = duckdb.connect(str(out / "nianbao.duckdb"), read_only=True)
    n_err = con.execute("select count(*) from findings where severity = 'error'").fetchone()
    assert n_err is not None and n_err[0] >= 8
    con.close()
    assert len(list((out / "documents").glob("*.json"))) == 3


def test_check_exit_codes() -> None:
    runner = CliRunner()
    bad = runner.invoke(main, ["check", str(SAMPLES / "planted_errors.pdf"), "--workers", "1"])
    assert bad.exit_code == 1
    assert "t3.results_total" in bad.output and "t4.total" in bad.output
    # warnings do not fail a filing: 磁灶镇's project table prints 188% for 186.25%
    good = runner.invoke(main, ["check", str(SAMPLES / "cizao_2022.pdf"), "--workers", "1"])
    assert good.exit_code == 0, good.output
    assert "projects.percent" in good.output
    clean = runner.invoke(main, ["check", str(SAMPLES / "no_rules.pdf"), "--workers", "1"])
    # a clean filing is counted in the summary, not listed (issue on auditor-readable output)
    assert clean.exit_code == 0 and "1 filings: 0 with errors, 0 with warnings" in clean.output
    assert "no_rules.pdf" not in clean.output


def test_check_of_unreadable_file_is_an_error(tmp_path: Path) -> None:
    p = tmp_path / "x.pdf"
    p.write_bytes(b"")
    res = CliRunner().invoke(main, ["check", str(p), "--workers", "1"])
    assert res.exit_code == 1
    assert "input.unreadable" in res.output


def test_debug_dir_draws_pages(tmp_path: Path) -> None:
    res = CliRunner().invoke(
        main,
        [
            "extract",
            str(SAMPLES / "split_vertical.pdf"),
            "--out",
            str(tmp_path / "o"),
            "--debug-dir",
            str(tmp_path / "d"),
            "--workers",
            "1",
            "--no-parquet",
        ],
    )
    assert res.exit_code == 0, res.output
    assert len(list((tmp_path / "d").glob("*.png"))) == 2


def test_every_command_has_an_example_in_help() -> None:
    runner = CliRunner()
    for cmd in ("extract", "check", "rules"):
        res = runner.invoke(main, [cmd, "--help"])
        assert res.exit_code == 0
        assert "Example" in res.output


def test_rules_lists_the_spec_codes() -> None:
    res = CliRunner().invoke(main, ["rules"])
    for code in ("t3.balance", "t3.results_total", "t3.applicant_total", "t4.total", "value.domain"):
        assert code in res.output


def test_bad_threshold_is_a_usage_error(tmp_path: Path) -> None:
    res = CliRunner().invoke(
        main, ["extract", str(SAMPLES / "no_rules.pdf"), "--out", str(tmp_path), "--threshold", "300"]
    )
    assert res.exit_code == 2


def test_debug_dir_draws_ocr_pages_of_image_files(tmp_path: Path) -> None:
    res = CliRunner().invoke(
        main,
        [
            "extract",
            str(SAMPLES / "photo_page_200.jpg"),
            "--out",
            str(tmp_path / "o"),
            "--debug-dir",
            str(tmp_path / "d"),
            "--workers",
            "1",
            "--no-parquet",
        ],
    )
    assert res.exit_code == 0, res.output
    assert len(list((tmp_path / "d").glob("*.png"))) == 1


def test_check_equals_extract_with_cross_year_rules_sorted_with_summary(tmp_path: Path) -> None:
    files = [str(SAMPLES / n) for n in ("crossyear_2022.txt", "planted_errors.pdf", "crossyear_2021.txt")]
    res = CliRunner().invoke(main, ["check", *files, "--workers", "1", "--format", "json", "--severity", "info"])
    assert res.exit_code == 1, res.output  # planted errors
    import json

    shown = json.loads(res.stdout)
    assert [Path(x["path"]).name for x in shown] == sorted(Path(f).name for f in files)
    out = tmp_path / "out"
    assert CliRunner().invoke(main, ["extract", *files, "--out", str(out), "--workers", "1"]).exit_code == 0
    written = pd.read_csv(out / "findings.csv", encoding="utf-8-sig")
    docs = pd.read_csv(out / "documents.csv", encoding="utf-8-sig").set_index("doc_id")["path"]
    from_extract = sorted((Path(docs[r.doc_id]).name, r.rule, str(r.subject)) for r in written.itertuples())
    from_check = sorted((Path(x["path"]).name, f["rule"], str(f["subject"])) for x in shown for f in x["findings"])
    assert from_check == from_extract
    assert any(r == "cross_year.carry_over" for _, r, _ in from_check)
    assert "3 filings: 2 with errors" in res.stderr


def test_check_severity_error_lists_only_filings_with_errors_in_chinese() -> None:
    files = [str(SAMPLES / n) for n in ("blanks_dashes.pdf", "planted_errors.pdf")]
    res = CliRunner().invoke(main, ["check", *files, "--workers", "1", "--severity", "error", "--lang", "zh"])
    assert res.exit_code == 1
    assert "planted_errors.pdf" in res.stdout and "blanks_dashes.pdf" not in res.stdout
    assert "第一项加第二项之和" in res.stdout
    assert "2 份报告：1 份有错误" in res.stdout
    # piped output is not wrapped: each message stays on its line
    assert all(len(line) < 400 for line in res.stdout.splitlines())
    assert any(len(line) > 80 for line in res.stdout.splitlines())


def test_check_csv_format_and_codes_command() -> None:
    res = CliRunner().invoke(main, ["check", str(SAMPLES / "planted_errors.pdf"), "--format", "csv", "--lang", "en"])
    assert res.stdout.startswith("\ufeff")  # a BOM by default: Excel on Chinese Windows needs it
    rows = list(__import__("csv").reader(res.stdout.lstrip("\ufeff").splitlines()))
    assert rows[0][:5] == ["path", "status", "body", "year", "rule"]
    assert {r[4] for r in rows[1:]} >= {"t3.balance", "t4.total", "value.domain"}
    codes = CliRunner().invoke(main, ["codes", "--lang", "zh"])
    assert codes.exit_code == 0 and "t3.balance" in codes.output and "第一项加第二项之和" in codes.output


def test_csvs_carry_a_bom_for_excel_unless_asked(tmp_path: Path) -> None:
    f = str(SAMPLES / "blanks_dashes.pdf")
    CliRunner().invoke(main, ["extract", f, "--out", str(tmp_path / "a"), "--workers", "1"])
    CliRunner().invoke(main, ["extract", f, "--out", str(tmp_path / "b"), "--workers", "1", "--no-bom"])
    assert (tmp_path / "a" / "disclosure.csv").read_bytes().startswith(b"\xef\xbb\xbfdoc_id")
    assert (tmp_path / "b" / "disclosure.csv").read_bytes().startswith(b"doc_id")
    cells = pd.read_csv(tmp_path / "a" / "disclosure.csv", encoding="utf-8-sig")
    row = cells[(cells.table == "t3") & (cells.row == "denied_internal_affairs") & (cells.col == "commercial")].iloc[0]
    assert row.label_zh == "三、本年度办理结果 / （三）不予公开 / 5.属于三类内部事务信息"
    assert row.col_zh == "申请人情况 / 法人或其他组织 / 商业企业"
    assert cells["label_zh"].notna().all() and cells["col_zh"].notna().all()
    # DuckDB and Parquet read the BOM'd CSVs as the same table
    assert len(pd.read_parquet(tmp_path / "a" / "disclosure.parquet")) == len(cells)


def test_same_report_twice_is_a_duplicate_and_a_changed_copy_a_conflict(tmp_path: Path) -> None:
    inp = tmp_path / "in"
    inp.mkdir()
    pdf = (SAMPLES / "blanks_dashes.pdf").read_bytes()
    (inp / "a_report.pdf").write_bytes(pdf)
    (inp / "b_same_report.pdf").write_bytes(pdf + b"\n% the same report saved again\n")
    text = (SAMPLES / "crossyear_2021.txt").read_text(encoding="utf-8")
    (inp / "c_2021.txt").write_text(text, encoding="utf-8")
    lines = text.split("\n")
    k = next(i for i, ln in enumerate(lines) if "本年新收政府信息公开申请数量" in ln)
    cells = lines[k].split("\t")
    cells[2] = str(int(cells[2]) + 1)  # 自然人 of 本年新收, printed differently in the second copy
    lines[k] = "\t".join(cells)
    (inp / "d_2021_changed.txt").write_text("\n".join(lines), encoding="utf-8")
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["extract", str(inp), "--out", str(out), "--workers", "1"])
    assert res.exit_code == 0, res.output
    docs = pd.read_csv(out / "documents.csv", encoding="utf-8-sig").set_index("path")
    by_name = {Path(p).name: row for p, row in docs.iterrows()}
    # the same file twice: the copy with the smaller doc_id counts, whatever order they finished in
    a, b = sorted([by_name["a_report.pdf"], by_name["b_same_report.pdf"]], key=lambda r: r.doc_id)
    assert pd.isna(a.duplicate_of) and b.duplicate_of == a.doc_id
    # two copies that differ: one counts (same source, nothing unread: the smaller doc_id), the other is
    # its duplicate and names the cells that differ; a sum over non-duplicates counts the report once
    c, d = sorted([by_name["c_2021.txt"], by_name["d_2021_changed.txt"]], key=lambda r: r.doc_id)
    assert pd.isna(c.duplicate_of) and d.duplicate_of == c.doc_id
    findings = pd.read_csv(out / "findings.csv", encoding="utf-8-sig")
    conflict = findings[findings.rule == "documents.conflict"]
    assert len(conflict) == 1
    assert (conflict.iloc[0].doc_id, conflict.iloc[0].subject) == (d.doc_id, c.doc_id)
    assert conflict.iloc[0].cells == "t3.new_received.natural_person"


def test_query_and_export(tmp_path: Path) -> None:
    files = [str(SAMPLES / n) for n in ("crossyear_2021.txt", "crossyear_2022.txt", "planted_errors.pdf")]
    out = tmp_path / "out"
    assert CliRunner().invoke(main, ["extract", *files, "--out", str(out), "--workers", "1"]).exit_code == 0
    sql = (
        "SELECT d.body, d.year, f.subject FROM findings f JOIN documents d USING (doc_id) "
        "WHERE f.rule = 'cross_year.stock' ORDER BY ALL"
    )
    res = CliRunner().invoke(main, ["query", str(out), sql, "--csv"])
    assert res.exit_code == 0, res.output
    rows = list(__import__("csv").reader(res.stdout.splitlines()))
    assert rows[0] == ["body", "year", "subject"]
    assert rows[1][:2] == ["三明市明溪县城关乡人民政府", "2022"]
    bad = CliRunner().invoke(main, ["query", str(out), "SELECT nope FROM findings"])
    assert bad.exit_code != 0 and "SQL error" in bad.output
    lake = tmp_path / "lake"
    assert CliRunner().invoke(main, ["export", str(out), "--format", "parquet", "--out", str(lake)]).exit_code == 0
    assert sorted(p.name for p in (lake / "disclosure").iterdir()) == ["year=2021", "year=2022", "year=2023"]
    back = pd.read_parquet(lake / "disclosure")
    assert len(back) == len(pd.read_parquet(out / "disclosure.parquet"))
    xlsx = tmp_path / "datasets.xlsx"
    assert CliRunner().invoke(main, ["export", str(out), "--format", "xlsx", "--out", str(xlsx)]).exit_code == 0
    sheets = pd.read_excel(xlsx, sheet_name=None)
    assert set(sheets) >= {"disclosure", "findings", "documents"}
    assert len(sheets["disclosure"]) == len(back)


def test_manifest_values_override_the_title(tmp_path: Path) -> None:
    shutil.copy(SAMPLES / "blanks_dashes.pdf", tmp_path / "a.pdf")
    shutil.copy(SAMPLES / "dump_tabs.txt", tmp_path / "b.txt")
    # a filing whose title names no body: the manifest's body is there before any finding is made
    dump = (SAMPLES / "dump_tabs.txt").read_text(encoding="utf-8").split("\n")
    (tmp_path / "c.txt").write_text("\n".join(["政府信息公开工作年度报告", *dump[1:]]), encoding="utf-8")
    (tmp_path / "list.csv").write_text(
        "path,body,year,url\na.pdf,厦门市同安区大同街道办事处,2021,https://example.gov.cn/a\nb.txt,,,\n"
        "c.txt,厦门市思明区鹭江街道办事处,2022,\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["extract", "--manifest", str(tmp_path / "list.csv"), "--out", str(out)])
    assert res.exit_code == 0, res.output
    docs = pd.read_csv(out / "documents.csv", encoding="utf-8-sig").set_index("path")
    a = docs.loc[str(tmp_path / "a.pdf")]
    assert (a.body, a.year, a.level, a.region, a.metadata_source) == (
        "厦门市同安区大同街道办事处",
        2021,
        "township",
        "厦门市同安区大同街道",
        "manifest",
    )
    assert a.url == "https://example.gov.cn/a"
    b = docs.loc[str(tmp_path / "b.txt")]
    assert b.metadata_source == "title" and pd.isna(b.url)
    c = docs.loc[str(tmp_path / "c.txt")]
    assert (c.body, c.year, c.metadata_source) == ("厦门市思明区鹭江街道办事处", 2022, "manifest")
    findings = pd.read_csv(out / "findings.csv", encoding="utf-8-sig")
    assert not len(findings[(findings.doc_id == c.doc_id) & (findings.rule == "metadata.body_unknown")])
