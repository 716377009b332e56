"""The auditor's reports: HTML opened in a real headless Chromium (Debian's), the workbook read back."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from nianbao.pipeline.cli import main
from nianbao.pipeline.report import gather
from nianbao.pipeline.report_xlsx import ERROR_FILL
from tests.conftest import SAMPLES

PLANTED = ["planted_errors.pdf", "scan_planted_200.pdf"]  # errors planted, a text PDF and its scan
CLEAN = "hrules_only.pdf"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"), reason="Chromium is not installed (CI installs it)"
)


def chromium(url: str, *, screenshot: Path | None = None) -> str:
    """The DOM after the page's scripts ran, from headless Chromium (and a screenshot when asked)."""
    assert CHROMIUM, "chromium is not installed"
    base = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--window-size=1300,2000"]
    if screenshot is not None:
        subprocess.run([*base, f"--screenshot={screenshot}", url], capture_output=True, timeout=120, check=True)
    res = subprocess.run([*base, "--dump-dom", url], capture_output=True, timeout=120, check=True)
    return res.stdout.decode("utf-8")


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("report")
    inp = base / "in"
    inp.mkdir()
    for name in [*PLANTED, CLEAN]:
        shutil.copy(SAMPLES / name, inp / name)
    res = CliRunner().invoke(main, ["extract", str(inp), "--out", str(base / "out"), "--workers", "2"])
    assert res.exit_code == 0, res.output
    return base / "out"


def _index(html: str) -> dict[str, int]:
    m = re.search(r'<script type="application/json" id="index">(.*?)</script>', html, re.S)
    assert m
    return {Path(d["path"]).name: d["n"] for d in json.loads(m.group(1))["docs"]}


def _attrs(dom: str, cls: str) -> list[str]:
    """Opening tags of elements whose class list has ``cls``."""
    return re.findall(rf'<[a-z]+ [^>]*class="[^"]*\b{cls}\b[^"]*"[^>]*>', dom)


@needs_chromium
def test_html_report_shows_every_planted_finding_on_its_page(run_dir: Path, tmp_path: Path) -> None:
    html_path = tmp_path / "report.html"
    res = CliRunner().invoke(main, ["report", str(run_dir), "--html", str(html_path)])
    assert res.exit_code == 0, res.output
    html = html_path.read_text(encoding="utf-8")
    assert "http://" not in html and "https://" not in html  # self-contained: nothing to fetch
    where = _index(html)
    filings = {Path(f.path).name: f for f in gather(run_dir, crops=False)}
    shot = tmp_path / "overview.png"
    overview = chromium(html_path.as_uri(), screenshot=shot)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # the overview lists every filing, and the rules table counts the planted errors
    assert overview.count("<tr data-doc=") == 3
    for name in PLANTED:
        f = filings[name]
        errors = [i for i in f.issues if i.severity == "error"]
        assert len(errors) >= 8, name  # what the sample plants (checked by its golden file)
        dom = chromium(html_path.as_uri() + f"#doc={where[name]}", screenshot=tmp_path / f"{name}.png")
        shown = {m for m in re.findall(r'class="finding [^"]*" data-key="([^"]*)"', dom)}
        assert {i.key for i in f.issues} <= {k.replace("&amp;", "&") for k in shown}, name
        flagged = {c for i in f.issues for c in i.cells if c.split(".")[0] in ("t2", "t3", "t4")}
        cells = set(re.findall(r'<td class="v[^"]*\bflag\b[^"]*" data-cell="([^"]+)"', dom))
        assert flagged == cells, name
        # every error's crop is an embedded image with one outline per cell it names
        for i in errors:
            block = dom[dom.index(f'data-key="{i.key}"') :]
            block = block[: block.find('<div class="finding', 10) if '<div class="finding' in block[10:] else None]
            assert '<img src="data:image/png;base64,' in block, (name, i.rule)
            assert block.count('class="box"') == len(i.cells), (name, i.rule)
    clean = chromium(html_path.as_uri() + f"#doc={where[CLEAN]}")
    assert not _attrs(clean, "finding") and "flag" not in " ".join(_attrs(clean, "v"))
    assert "没有发现问题" in clean


def test_crops_outline_ink_where_the_cells_are(run_dir: Path) -> None:
    """Each outlined box in a crop covers printed digits (ink), not empty paper or another cell's gap."""
    import io

    import numpy as np
    from PIL import Image

    f = next(x for x in gather(run_dir) if Path(x.path).name == "planted_errors.pdf")
    checked = 0
    for i in f.issues:
        if i.crop is None:
            continue
        img = np.asarray(Image.open(io.BytesIO(f.crops[i.crop])).convert("L"))
        h, w = img.shape
        for x0, y0, x1, y1 in i.boxes:
            assert 0 <= x0 < x1 <= 1 and 0 <= y0 < y1 <= 1
            inner = img[int(y0 * h) + 4 : int(y1 * h) - 4, int(x0 * w) + 4 : int(x1 * w) - 4]
            assert inner.size and inner.min() < 128, (i.rule, i.cells)
            checked += 1
    assert checked >= 30


@needs_chromium
def test_filing_text_is_shown_as_text_never_run(tmp_path: Path) -> None:
    inp = tmp_path / "in"
    inp.mkdir()
    # a file name and a body (from a manifest scraped off a web page) that carry markup
    name = "<img src=x onerror=alert(1)>.txt"
    shutil.copy(SAMPLES / "crossyear_2022.txt", inp / name)
    evil = "<script>document.body.setAttribute('data-pwned','1')</script>{{SCRIPT}}</script><!--"
    manifest = tmp_path / "m.csv"
    with manifest.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([["path", "body"], [str(inp / name), evil]])
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["extract", "--manifest", str(manifest), "--out", str(out), "--workers", "1"])
    assert res.exit_code == 0, res.output
    html_path = tmp_path / "r.html"
    assert CliRunner().invoke(main, ["report", str(out), "--html", str(html_path)]).exit_code == 0
    raw = html_path.read_text(encoding="utf-8")
    assert "<script>document.body" not in raw and "<img src=x" not in raw and "<!--" not in raw
    for url in (html_path.as_uri(), html_path.as_uri() + "#doc=0"):
        dom = chromium(url)
        assert 'data-pwned="1"' not in dom and '<img src="x"' not in dom
        assert "&lt;script&gt;document.body.setAttribute" in dom  # shown, as text


def test_workbook_fills_and_annotates_flagged_cells(run_dir: Path, tmp_path: Path) -> None:
    xlsx = tmp_path / "report.xlsx"
    res = CliRunner().invoke(main, ["report", str(run_dir), "--xlsx", str(xlsx)])
    assert res.exit_code == 0, res.output
    wb = load_workbook(xlsx)
    assert {"概览", "发现", "documents", "disclosure", "findings", "bodies"} <= set(wb.sheetnames)
    filings = {Path(f.path).name: f for f in gather(run_dir, crops=False)}
    overview = wb["概览"]
    sheet_of = {Path(str(r[7])).name: r[9] for r in overview.iter_rows(min_row=2, values_only=True)}
    for name in [*PLANTED, CLEAN]:
        ws = wb[sheet_of[name]]
        filled = [c for row in ws.iter_rows() for c in row if c.fill.fgColor.rgb == ERROR_FILL.fgColor.rgb]
        errors = {
            c for i in filings[name].issues if i.severity == "error" for c in i.cells if c[:2] in ("t2", "t3", "t4")
        }
        assert len(filled) == len(errors), name
        assert all(c.comment is not None and re.search(r"t[234]\.\w+|value\.domain", c.comment.text) for c in filled)
        if name == CLEAN:
            assert not filled
    # the planted t2.regulations.issued of -2 is a filled cell holding -2
    ws = wb[sheet_of["planted_errors.pdf"]]
    row = next(r for r in ws.iter_rows() if r[0].value == "规章")
    assert row[1].value == -2 and row[1].fill.fgColor.rgb == ERROR_FILL.fgColor.rgb


def test_report_without_the_original_files_says_so(run_dir: Path, tmp_path: Path) -> None:
    moved = tmp_path / "out"
    shutil.copytree(run_dir, moved)
    docs = (moved / "documents.csv").read_text(encoding="utf-8-sig").replace("/in/", "/gone/")
    (moved / "documents.csv").write_text(docs, encoding="utf-8-sig")
    for p in ("documents.parquet", "nianbao.duckdb"):
        (moved / p).unlink(missing_ok=True)
    f = next(x for x in gather(moved) if Path(x.path).name == "planted_errors.pdf")
    assert "原文件不在" in f.note and not f.crops
    assert all(i.crop_note for i in f.issues if i.cells)


@needs_chromium
def test_the_filing_list_opens_in_the_filings_own_order(run_dir: Path, tmp_path: Path) -> None:
    """Row k of the list is #doc=k-1 and sheet k of the workbook: one numbering everywhere."""
    html_path = tmp_path / "report.html"
    assert CliRunner().invoke(main, ["report", str(run_dir), "--html", str(html_path), "--no-crops"]).exit_code == 0
    dom = chromium(html_path.as_uri())
    order = re.findall(r'<tr data-doc="(\d+)"><td class="num">(\d+)</td>', dom)
    assert [(int(a), int(b)) for a, b in order] == [(k, k + 1) for k in range(len(order))] and len(order) == 3
