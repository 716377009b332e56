"""Bounded resources: limits before reading, a memory cap per worker, pathological pages refused fast.

The large inputs are generated here, in a temporary folder, never committed. Each one fails at once
with a message naming its limit (or is read within the limits), and the good reports beside it in
the same batch are read.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
from click.testing import CliRunner

from nianbao import Settings, Status
from nianbao.model import DocumentResult
from nianbao.pipeline.batch import expand
from nianbao.pipeline.cli import main
from nianbao.pipeline.pool import WorkerPool
from nianbao.pipeline.run import process
from testkit.hostile import MB, hostile_folder
from tests.conftest import SAMPLES


def test_hostile_inputs_fail_fast_and_the_batch_goes_on(tmp_path: Path) -> None:
    inp = tmp_path / "in"
    inp.mkdir()
    hostile_folder(inp, SAMPLES)
    files = expand([inp])
    # every file once, whatever the links: the folder is not walked again through them
    names = ["good.txt", "good.html", "huge.txt", "bomb.docx", "nested.html", "rows.html", "gbk_says_utf8.html"]
    assert sorted(p.name for p in files) == sorted([*names, "noise.docx", "c.txt"])
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["extract", str(inp), "--out", str(out), "--workers", "2"])
    assert res.exit_code == 0, res.output
    docs = pd.read_csv(out / "documents.csv", encoding="utf-8-sig")
    by = {Path(p).name: row for p, row in zip(docs.path, docs.itertuples(), strict=True)}
    assert len(by) == 9
    for name in ("good.txt", "good.html", "c.txt", "gbk_says_utf8.html"):
        assert by[name].status in ("ok", "partial"), (name, by[name].error)
    errors = {name: str(by[name].error) for name in by}
    assert "over the 20 MB limit" in errors["huge.txt"] and "max_text_mb" in errors["huge.txt"]
    assert "unpacks to 210.0 MB, over the 200 MB limit" in errors["bomb.docx"]
    assert "nests elements more than 1,000 deep" in errors["nested.html"]
    assert "more than 500,000 elements" in errors["rows.html"]
    assert "not a readable .docx" in errors["noise.docx"]
    # none of them ran into the time limit: each was refused by its own limit
    assert not any("timed out" in e for e in errors.values())


def test_a_limit_can_be_raised_or_lowered_for_one_run(tmp_path: Path) -> None:
    shutil.copy(SAMPLES / "dump_tabs.txt", tmp_path / "a.txt")
    out = tmp_path / "out"
    res = CliRunner().invoke(
        main, ["extract", str(tmp_path / "a.txt"), "--out", str(out), "--limit", "max_text_mb=0.001"]
    )
    assert res.exit_code == 0, res.output
    doc = pd.read_csv(out / "documents.csv", encoding="utf-8-sig").iloc[0]
    assert doc.status == "failed" and "over the 0.001 MB limit" in doc.error
    res = CliRunner().invoke(
        main, ["extract", str(tmp_path / "a.txt"), "--out", str(tmp_path / "o2"), "--limit", "x=1"]
    )
    assert res.exit_code == 2 and "max_text_mb" in res.output
    res = CliRunner().invoke(main, ["limits"])
    assert "max_memory_mb\t3072" in res.output and "max_html_depth\t1000" in res.output


def hog_on_name(path: Path, settings: Settings | None = None) -> DocumentResult:
    """A reader whose memory runs away on one file (what 200 MB of text once did)."""
    if Path(path).name.startswith("hog"):
        import time

        hoard = []
        for _ in range(40):
            hoard.append(bytearray(50 * MB))  # touched: resident, not only reserved
            time.sleep(0.05)
        time.sleep(30)
    return process(path, settings)


def test_a_worker_over_the_memory_limit_fails_its_file_and_is_replaced(tmp_path: Path) -> None:
    files = []
    for name in ("a.txt", "hog.txt", "b.txt"):
        shutil.copy(SAMPLES / "dump_tabs.txt", tmp_path / name)
        files.append(tmp_path / name)
    pool = WorkerPool(Settings(max_memory_mb=700), workers=2, fn=hog_on_name)
    docs = {Path(d.path).name: d for d in pool.map(files)}
    assert docs["hog.txt"].status is Status.FAILED
    assert "over the memory limit (700 MB)" in (docs["hog.txt"].error or "")
    assert docs["a.txt"].status is Status.OK and docs["b.txt"].status is Status.OK
