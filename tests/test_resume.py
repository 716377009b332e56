"""Resumable runs: kill a real `nianbao extract` at random moments, rerun, get the same datasets."""

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

from tests.conftest import SAMPLES

FILES = [
    "blanks_dashes.pdf",
    "crossyear_2021.txt",
    "crossyear_2022.txt",
    "seed_shape_2022.txt",
    "planted_errors.pdf",
    "html_cms.html",
    "dump_tabs.txt",
    "hrules_only.pdf",
]
VARYING = {"seconds"}  # wall-clock time of each document


def _extract(inp: Path, out: Path, *extra: str) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "nianbao", "extract", str(inp), "--out", str(out), "--workers", "1", *extra]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)


def _datasets(out: Path) -> dict[str, list[tuple[str, ...]]]:
    got = {}
    for f in sorted(out.glob("*.csv")):
        with f.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh))
        head = rows[0]
        drop = [i for i, c in enumerate(head) if c in VARYING]
        got[f.stem] = sorted(tuple(v for i, v in enumerate(r) if i not in drop) for r in rows[1:])
    return got


def test_killed_runs_resume_to_the_same_datasets(tmp_path: Path) -> None:
    inp = tmp_path / "in"
    inp.mkdir()
    for k in range(3):  # three distinct copies of each (a byte appended): a run long enough to kill
        for name in FILES:
            (inp / f"{k}_{name}").write_bytes((SAMPLES / name).read_bytes() + b"\n" * k)
    ref = tmp_path / "ref"
    assert _extract(inp, ref).wait(timeout=300) == 0
    want = _datasets(ref)
    assert len(want["documents"]) == 3 * len(FILES)
    rng = random.Random(11)
    out = tmp_path / "out"
    kills = 0

    def n_done() -> int:
        path = out / "documents.csv"
        return path.read_bytes().count(b"\n") - 1 if path.exists() else 0

    for _ in range(4):
        # kill a few documents further on, at a random moment inside the next one's writing or reading
        target = n_done() + rng.randint(1, 5)
        p = _extract(inp, out)
        while p.poll() is None and n_done() < target:
            time.sleep(0.01)
        time.sleep(rng.uniform(0.0, 0.15))
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGKILL)
            kills += 1
        p.wait()
    assert kills >= 2
    final = _extract(inp, out)
    log = final.communicate(timeout=300)[0].decode()
    assert final.returncode == 0, log
    assert _datasets(out) == want
    # a finished run is not read again
    again = _extract(inp, out)
    log = again.communicate(timeout=300)[0].decode()
    assert f"({3 * len(FILES)} already read, skipped)" in log, log
    assert _datasets(out) == want


def test_fresh_starts_over_and_other_settings_read_again(tmp_path: Path) -> None:
    inp = tmp_path / "in"
    inp.mkdir()
    shutil.copy(SAMPLES / "blanks_dashes.pdf", inp / "a.pdf")
    out = tmp_path / "out"
    assert _extract(inp, out).wait(timeout=120) == 0
    log = _extract(inp, out, "--threshold", "80").communicate(timeout=120)[0].decode()
    assert "skipped" not in log  # another setting: read again, its old rows replaced
    assert len(_datasets(out)["documents"]) == 1
    log = _extract(inp, out, "--fresh").communicate(timeout=120)[0].decode()
    assert "skipped" not in log and len(_datasets(out)["documents"]) == 1
