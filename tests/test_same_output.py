"""Same inputs, same datasets: in any order, with any number of workers, on the Dask route, resumed.

The corpus holds what makes a batch's result depend on more than one file: the same report as a
text PDF, a web page and a scan (which copy counts is decided by rule: fewest unread cells, then
the source, then the smallest doc_id), a conflicting copy (one cell changed), and a body whose
name changes between years (linked, the rule across years applied). Every run must write the
same rows, byte for byte apart from the wall-clock column, in the same order.
"""

from __future__ import annotations

import csv
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from nianbao.pipeline.cli import main
from testkit.fuzz import FONT_MISSING, scan_of
from testkit.generate import render, render_web, web_samples
from testkit.render import register_font
from tests.conftest import SAMPLES

pytestmark = pytest.mark.skipif(
    FONT_MISSING and not os.environ.get("CI"), reason="needs fonts-wqy-zenhei to render the report"
)
VARYING = {"seconds"}  # wall-clock time of each document


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    d = tmp_path_factory.mktemp("corpus")
    register_font()
    smp, kind, style = web_samples()[0]  # one report: a portal page, its PDF and a scan of the PDF
    render_web(smp, kind, style, d)
    render(smp, d)
    pdf = d / f"{smp.name}.pdf"
    scan = scan_of(pdf, 200, 7)
    shutil.move(scan, d / "scanned_copy.pdf")
    text = (SAMPLES / "crossyear_2021.txt").read_text(encoding="utf-8")
    (d / "c_2021.txt").write_text(text, encoding="utf-8")
    lines = text.split("\n")
    k = next(i for i, ln in enumerate(lines) if "本年新收政府信息公开申请数量" in ln)
    cells = lines[k].split("\t")
    cells[2] = str(int(cells[2]) + 1)  # 自然人 of 本年新收, printed differently in this copy
    lines[k] = "\t".join(cells)
    (d / "d_2021_changed.txt").write_text("\n".join(lines), encoding="utf-8")
    later = (SAMPLES / "crossyear_2022.txt").read_text(encoding="utf-8")
    renamed = later.replace("三明市明溪县城关乡人民政府", "明溪县城关乡人民政府")
    assert renamed != later
    (d / "e_2022_renamed.txt").write_text(renamed, encoding="utf-8")
    return sorted(p for p in d.iterdir() if p.suffix in (".pdf", ".html", ".txt"))


def _datasets(out: Path) -> dict[str, list[tuple[str, ...]]]:
    """Every CSV's rows in the order written, the wall-clock column left out."""
    got = {}
    for f in sorted(out.glob("*.csv")):
        with f.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh))
        drop = [i for i, c in enumerate(rows[0]) if c in VARYING]
        got[f.stem] = [tuple(v for i, v in enumerate(r) if i not in drop) for r in rows]
    return got


def _extract(files: list[Path], out: Path, *extra: str) -> dict[str, list[tuple[str, ...]]]:
    res = CliRunner().invoke(main, ["extract", *map(str, files), "--out", str(out), *extra])
    assert res.exit_code == 0, res.output
    return _datasets(out)


def test_order_workers_dask_and_resume_give_the_same_datasets(corpus: list[Path], tmp_path: Path) -> None:
    want = _extract(corpus, tmp_path / "sorted", "--workers", "1")
    docs = {Path(r[1]).name: r for r in want["documents"][1:]}
    head = want["documents"][0]
    dup = head.index("duplicate_of")
    # the report read three ways counts once: its text PDF (fewest unread cells, text layer)
    pdf, page, scan = docs["html_cms.pdf"], docs["html_cms.html"], docs["scanned_copy.pdf"]
    assert pdf[dup] == "" and page[dup] == pdf[0] and scan[dup] == pdf[0]
    # of two conflicting copies one counts (the smaller doc_id: same source, no cell unread) and the
    # other names every cell that differs
    c, d = docs["c_2021.txt"], docs["d_2021_changed.txt"]
    canon, other = sorted([c, d], key=lambda r: r[0])
    assert canon[dup] == "" and other[dup] == canon[0]
    findings = want["findings"]
    fh = findings[0]
    conflict = [r for r in findings[1:] if r[fh.index("rule")] == "documents.conflict"]
    assert [(r[0], r[fh.index("subject")], r[fh.index("cells")]) for r in conflict] == [
        (other[0], canon[0], "t3.new_received.natural_person")
    ]
    # the renamed body is linked to its earlier name, and the carry-over rule ran between them
    bodies = {r[0]: r for r in want["bodies"][1:]}
    e = docs["e_2022_renamed.txt"]
    assert bodies[e[0]][1] == bodies[canon[0]][1]
    assert [r[0] for r in findings[1:] if r[fh.index("rule")].startswith("cross_year.")]
    # rows are sorted by document
    for name, rows in want.items():
        if name != "bodies":
            ids = [r[0] for r in rows[1:]]
            assert ids == sorted(ids), name

    rng = random.Random(5)
    shuffled = corpus[:]
    rng.shuffle(shuffled)
    runs = {
        "reversed, 2 workers": (corpus[::-1], ("--workers", "2")),
        "shuffled, 2 workers": (shuffled, ("--workers", "2")),
        "shuffled, Dask": (shuffled, ("--workers", "2", "--dask", "local")),
    }
    for what, (files, extra) in runs.items():
        assert _extract(files, tmp_path / what.replace(" ", "_").replace(",", ""), *extra) == want, what
    # resumed: a run over part of the corpus, then the whole corpus on the same --out
    out = tmp_path / "resumed"
    _extract(shuffled[: len(shuffled) // 2], out, "--workers", "2")
    assert _extract(corpus[::-1], out, "--workers", "1") == want
    # killed: a real run killed once two documents are written, then resumed in another order
    out = tmp_path / "killed"
    cmd = [sys.executable, "-m", "nianbao", "extract", *map(str, corpus), "--out", str(out), "--workers", "1"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    done = out / "documents.csv"
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline:
        if done.exists() and done.read_bytes().count(b"\n") >= 3:
            break
        time.sleep(0.02)
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert _extract(shuffled, out, "--workers", "2") == want


def test_check_prints_what_extract_writes(corpus: list[Path], tmp_path: Path) -> None:
    out = tmp_path / "out"
    data = _extract(corpus, out, "--workers", "2")
    head = data["findings"][0]
    written = sorted((r[head.index("rule")], r[head.index("subject")] or "") for r in data["findings"][1:] if r[0])
    res = CliRunner().invoke(main, ["check", *map(str, corpus[::-1]), "--severity", "info", "--format", "csv"])
    assert res.exit_code in (0, 1), res.output
    rows = list(csv.reader(res.stdout.splitlines()))
    ch = rows[0]
    printed = sorted((r[ch.index("rule")], r[ch.index("subject")] or "") for r in rows[1:])
    assert printed == written
    assert any(rule == "documents.conflict" for rule, _ in printed)
    assert any(rule.startswith("cross_year.") for rule, _ in printed)
