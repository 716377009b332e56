"""The Dask route: Dask's own scheduler and worker processes on 127.0.0.1 give the local route's datasets."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from nianbao.pipeline.cli import main
from tests.conftest import SAMPLES
from tests.test_resume import _datasets

FILES = ["planted_errors.pdf", "crossyear_2021.txt", "crossyear_2022.txt", "html_cms.html", "seed_shape_2022.txt"]


def test_dask_local_cluster_gives_the_local_routes_datasets(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    inp = tmp_path / "in"
    inp.mkdir()
    for name in FILES:
        shutil.copy(SAMPLES / name, inp / name)
    (inp / "broken.pdf").write_bytes(b"%PDF-1.7\n garbage")
    runner = CliRunner()
    local = runner.invoke(main, ["extract", str(inp), "--out", str(tmp_path / "local"), "--workers", "2"])
    assert local.exit_code == 0, local.output
    dask = runner.invoke(
        main, ["extract", str(inp), "--out", str(tmp_path / "dask"), "--workers", "2", "--scheduler", "local"]
    )
    assert dask.exit_code == 0, dask.output
    want, got = _datasets(tmp_path / "local"), _datasets(tmp_path / "dask")
    assert len(want["documents"]) == len(FILES) + 1
    assert any(r for r in want["findings"] if "cross_year.carry_over" in r)  # the batch-wide rules ran
    assert got == want


def test_dask_route_applies_the_time_limit_on_workers(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    from nianbao import Settings
    from nianbao.pipeline.cluster import run_dask

    files = [SAMPLES / "scan_blanks_150.pdf", SAMPLES / "dump_tabs.txt"]
    docs = {Path(d.path).name: d for d in run_dask(files, Settings(timeout=0.5), scheduler="local", workers=1)}
    slow = docs["scan_blanks_150.pdf"]
    # the timings say where a file that outran the limit was when the deadline should have fired
    assert slow.status.value == "failed" and (slow.error or "").startswith("timed out after 0.5 s"), (
        slow.status.value,
        slow.error,
        slow.timings,
    )
    assert docs["dump_tabs.txt"].status.value == "ok"
