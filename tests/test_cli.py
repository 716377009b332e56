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
        csv = pd.read_csv(out / f"{name}.csv")
        pq = pd.read_parquet(out / f"{name}.parquet")
        assert contract <= set(csv.columns), name
        assert len(csv) == len(pq), name
    docs = pd.read_csv(out / "documents.csv")
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
    assert clean.exit_code == 0 and "no findings" in clean.output


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
