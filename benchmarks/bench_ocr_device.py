"""OCR throughput in pages/s on a machine with many cores and, optionally, a GPU.

Reads a corpus of the scanned samples (repeated to ``--copies``) with ``--workers``
processes, once with the recogniser on the CPU (onnxruntime) and once on the GPU
(``--device cuda``), and prints pages/s for each, model loading included.

    python benchmarks/bench_ocr_device.py --workers 16 --copies 4
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nianbao.pipeline.batch import run_batch  # noqa: E402
from nianbao.settings import Settings  # noqa: E402


def corpus(copies: int, into: Path) -> list[Path]:
    files = []
    for g in sorted((ROOT / "samples" / "golden").glob("*.json")):
        gold = json.loads(g.read_text(encoding="utf-8"))
        if "source" in gold:
            for k in range(copies):
                dst = into / f"{k}_{gold['file']}"
                shutil.copy(ROOT / "samples" / gold["file"], dst)
                files.append(dst)
    return files


def measure(files: list[Path], settings: Settings, workers: int) -> tuple[float, int, int, float]:
    t0 = time.perf_counter()
    pages = failed = 0
    extract = 0.0
    for doc in run_batch(files, settings, workers=workers):
        pages += sum(1 for p in doc.pages if p.route == "ocr")
        failed += doc.status.value == "failed"
        extract += doc.timings.get("extract", 0.0)
    return time.perf_counter() - t0, pages, failed, extract


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--copies", type=int, default=2)
    ap.add_argument("--devices", default="cpu,cuda")
    args = ap.parse_args()
    base = Settings(ocr_threads=max(1, (os.cpu_count() or 1) // args.workers))
    with tempfile.TemporaryDirectory() as tmp:
        files = corpus(args.copies, Path(tmp))
        print(f"{len(files)} files, {args.workers} workers, {os.cpu_count()} cores")
        for device in args.devices.split(","):
            seconds, pages, failed, extract = measure(files, replace(base, ocr_device=device), args.workers)
            print(
                f"{device:5s}: {pages} OCR pages in {seconds:6.1f} s = {pages / seconds:6.2f} pages/s"
                f" ({failed} failed); extract stage {extract / max(pages, 1):5.2f} s per page in one worker",
                flush=True,
            )


if __name__ == "__main__":
    main()
