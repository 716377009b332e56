"""Time and peak memory of a batch of hostile inputs beside good reports, on 2 workers.

    python benchmarks/bench_hostile.py            # default limits (max_memory_mb 3072 per worker)

Runs `nianbao extract` on a generated folder (testkit/hostile.py) and samples the resident memory of
the command and all its processes every 0.1 s; prints the wall time, the peak, and each file's status.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from testkit.hostile import hostile_folder  # noqa: E402


def tree_rss(p: psutil.Process) -> int:
    total = 0
    for q in [p, *p.children(recursive=True)]:
        try:
            total += q.memory_info().rss
        except psutil.Error:
            continue
    return total


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        inp, out = Path(tmp) / "in", Path(tmp) / "out"
        inp.mkdir()
        hostile_folder(inp, ROOT / "samples")
        cmd = [sys.executable, "-m", "nianbao", "extract", str(inp), "--out", str(out), "--workers", "2"]
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        watch = psutil.Process(proc.pid)
        peak = 0
        while proc.poll() is None:
            peak = max(peak, tree_rss(watch))
            time.sleep(0.1)
        wall = time.perf_counter() - t0
        docs = pd.read_csv(out / "documents.csv", encoding="utf-8-sig")
        print(f"exit {proc.returncode}; {len(docs)} files in {wall:.1f} s")
        print(f"peak resident memory of the command and its workers: {peak / 1e6:,.0f} MB")
        for row in docs.sort_values("path").itertuples():
            error = row.error if isinstance(row.error, str) else ""
            print(f"  {Path(row.path).name:22} {row.status:8} {row.seconds:8.2f} s  {error}"[:200])


if __name__ == "__main__":
    main()
