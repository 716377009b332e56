"""Batch throughput and memory: files/s and pages/s with 1 and 2 workers, peak memory for 10 vs N filings.

Builds a corpus of N filings from the samples (text-layer PDFs, text dumps, web pages and Word
files; a share of scans and photos read by OCR; 2% broken: truncated PDFs, bytes that are no
file type, empty files), each with its own SHA-256. Then runs the real command,
``python -m nianbao extract CORPUS --out OUT --workers W``, and samples the memory of the whole
process tree (the command and its workers; proportional set size, so that pages forked workers
share with the command count once) every 0.25 s.

    python benchmarks/bench_batch.py                    # 500 filings, 5% scans: ~10 minutes on 2 cores
    python benchmarks/bench_batch.py --n 100 --scan-share 0.02
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import suppress
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SUFFIX = {".pdf": b"\n%% copy {k}\n", ".html": b"\n<!-- copy {k} -->\n", ".txt": b"\n", ".md": b"\n"}


def _kinds() -> tuple[list[Path], list[Path]]:
    text, scans = [], []
    for g in sorted((SAMPLES / "golden").glob("*.json")):
        gold = json.loads(g.read_text(encoding="utf-8"))
        path = SAMPLES / gold["file"]
        if path.suffix in SUFFIX:  # kinds a copy can be made distinct of (bytes after the end)
            (scans if gold.get("ocr_pages") else text).append(path)
    return text, scans


def make_corpus(out: Path, n: int, scan_share: float, seed: int = 7, *, every_scan: bool = False) -> dict[str, int]:
    """n filings: scan_share read by OCR, 2% broken, the rest text; every file distinct.

    ``every_scan``: the small batch whose memory is compared holds every kind of scan once (the
    300-DPI one is the heaviest file of the large batch): the comparison then measures memory that
    accumulates over a batch, not which file happened to be the largest.
    """
    rng = random.Random(seed)
    text, scans = _kinds()
    n_broken = max(1, round(0.02 * n))
    n_scan = round(scan_share * n)
    if every_scan and scan_share > 0:
        n_scan = min(len(scans), n - n_broken - 1)
    n_text = n - n_broken - n_scan
    out.mkdir(parents=True, exist_ok=True)
    made = 0

    def put(src: Path, k: int) -> None:
        nonlocal made
        data = src.read_bytes()
        tail = SUFFIX[src.suffix]
        data += tail.replace(b"{k}", str(k).encode()) * (k + 1 if src.suffix in (".txt", ".md") else 1)
        (out / f"{made:05d}_{src.name}").write_bytes(data)
        made += 1

    for k in range(n_text):
        put(text[k % len(text)], k)
    for k in range(n_scan):
        put(scans[k % len(scans)], k)
    good_pdf = (SAMPLES / "planted_errors.pdf").read_bytes()
    for k in range(n_broken):
        kind = k % 3
        name = out / f"{made:05d}_broken_{k}.pdf"
        if kind == 0:
            name.write_bytes(good_pdf[: len(good_pdf) // 3])  # truncated download
        elif kind == 1:
            name.write_bytes(bytes(rng.randrange(256) for _ in range(4096)))  # not a PDF at all
        else:
            name.write_bytes(b"")  # empty
        made += 1
    return {"text": n_text, "scan": n_scan, "broken": n_broken}


def _tree_memory(proc: psutil.Process) -> int:
    """Proportional set size of the command and its workers: pages a forked worker shares with the
    command count once, not once per process (summing RSS would count them in every worker)."""
    total = 0
    for p in [proc, *proc.children(recursive=True)]:
        with suppress(psutil.Error):  # a worker that just left
            total += p.memory_full_info().pss
    return total


def run(corpus: Path, out: Path, workers: int, ocr_threads: int | None = None) -> dict[str, float]:
    cmd = [sys.executable, "-m", "nianbao", "extract", str(corpus), "--out", str(out), "--workers", str(workers)]
    if ocr_threads:
        cmd += ["--ocr-threads", str(ocr_threads)]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    ps = psutil.Process(proc.pid)
    peak = [0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            with suppress(psutil.Error):
                peak[0] = max(peak[0], _tree_memory(ps))
            stop.wait(0.25)  # reading smaps costs CPU: often enough for peaks that last seconds

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    _, err = proc.communicate()
    stop.set()
    th.join()
    secs = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"extract failed ({proc.returncode}): {err.decode(errors='replace')[-2000:]}")
    with (out / "documents.csv").open(encoding="utf-8-sig", newline="") as fh:
        docs = list(csv.DictReader(fh))
    pages = sum(int(d["pages"] or 0) for d in docs)
    status = {s: sum(1 for d in docs if d["status"] == s) for s in ("ok", "partial", "failed")}
    return {
        "files": len(docs),
        "pages": pages,
        "seconds": secs,
        "files_s": len(docs) / secs,
        "pages_s": pages / secs,
        "peak_rss_mb": peak[0] / 2**20,
        **status,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=500)
    ap.add_argument("--scan-share", type=float, default=0.05)
    ap.add_argument("--small", type=int, default=10, help="the small batch whose peak memory is compared")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        mix = make_corpus(base / "corpus", args.n, args.scan_share)
        make_corpus(base / "small", args.small, args.scan_share, every_scan=True)
        print(f"corpus: {args.n} filings ({mix['text']} text, {mix['scan']} scans, {mix['broken']} broken)")
        rows = {}
        for label, corpus, workers, threads in (
            ("1 worker", "corpus", 1, None),
            ("1 worker, 1 OCR thread", "corpus", 1, 1),
            ("2 workers", "corpus", 2, None),
            (f"2 workers, {args.small} files", "small", 2, None),
        ):
            r = run(base / corpus, base / f"out-{corpus}-{workers}-{threads}", workers, threads)
            rows[label] = r
            print(
                f"{label:>24}: {r['files']:.0f} files, {r['pages']:.0f} pages in {r['seconds']:.1f} s = "
                f"{r['files_s']:.2f} files/s, {r['pages_s']:.2f} pages/s; peak memory {r['peak_rss_mb']:.0f} MB "
                f"(ok {r['ok']:.0f}, partial {r['partial']:.0f}, failed {r['failed']:.0f})"
            )
        one, two = rows["1 worker"], rows["2 workers"]
        small = rows[f"2 workers, {args.small} files"]
        single = rows["1 worker, 1 OCR thread"]
        print(f"speed-up, 2 workers over 1: {two['files_s'] / one['files_s']:.2f}x files/s")
        print(
            f"speed-up, 2 workers (one core each) over 1 worker on one core: "
            f"{two['files_s'] / single['files_s']:.2f}x files/s"
        )
        print(
            f"peak memory (PSS), {args.n} vs {args.small} filings (2 workers): {two['peak_rss_mb']:.0f} MB vs "
            f"{small['peak_rss_mb']:.0f} MB ({100 * (two['peak_rss_mb'] / small['peak_rss_mb'] - 1):+.0f}%)"
        )


if __name__ == "__main__":
    main()
