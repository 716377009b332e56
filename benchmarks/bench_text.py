"""Text-layer speed: the whole pipeline against bare pdfplumber ``extract_tables``.

Both sides read every page of the same files in the same run, one process each,
alternating rounds so that machine noise hits both alike. The pipeline side
includes everything a user waits for: extract, normalise, check and writing
CSV/Parquet/DuckDB/JSON.

    python benchmarks/bench_text.py                 # the committed text-layer PDF samples, 5 rounds
    python benchmarks/bench_text.py DIR --rounds 3  # any folder of PDFs
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pdfplumber

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nianbao.pipeline.batch import expand, run_batch  # noqa: E402
from nianbao.pipeline.store import OutputWriter  # noqa: E402
from nianbao.settings import Settings  # noqa: E402


def text_samples() -> list[Path]:
    """The sample PDFs whose every page has a text layer (pages that need OCR are bench_ocr.py's)."""
    out = []
    for g in sorted((ROOT / "samples" / "golden").glob("*.json")):
        gold = json.loads(g.read_text(encoding="utf-8"))
        if gold["file"].endswith(".pdf") and "source" not in gold and not gold.get("ocr_pages"):
            out.append(ROOT / "samples" / gold["file"])
    return out


def bare_pdfplumber(files: list[Path]) -> tuple[float, int]:
    t0 = time.perf_counter()
    pages = 0
    for f in files:
        with pdfplumber.open(f) as pdf:
            for page in pdf.pages:
                page.extract_tables()
                pages += 1
    return time.perf_counter() - t0, pages


def whole_pipeline(files: list[Path]) -> tuple[float, int]:
    t0 = time.perf_counter()
    pages = 0
    with tempfile.TemporaryDirectory() as tmp:
        writer = OutputWriter(Path(tmp))
        for doc in run_batch(files, Settings(), workers=1, on_done=writer.add):
            pages += doc.n_pages
        writer.close()
    return time.perf_counter() - t0, pages


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("paths", nargs="*", default=None)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    files = [f for f in expand(args.paths) if f.suffix.lower() == ".pdf"] if args.paths else text_samples()
    whole_pipeline(files[:1])  # warm imports and caches for both sides
    bare_pdfplumber(files[:1])
    ours: list[float] = []
    bare: list[float] = []
    n_pages = 0
    for _ in range(args.rounds):
        t, n_pages = whole_pipeline(files)
        ours.append(t)
        t, _ = bare_pdfplumber(files)
        bare.append(t)
    o, b = statistics.median(ours), statistics.median(bare)
    print(f"files: {len(files)}  pages: {n_pages}  rounds: {args.rounds} (median)")
    print(f"nianbao whole pipeline   : {o:7.3f} s  {n_pages / o:7.1f} pages/s")
    print(f"pdfplumber extract_tables: {b:7.3f} s  {n_pages / b:7.1f} pages/s")
    print(f"ratio pipeline / bare    : {o / b:7.3f}  (goal <= 1.0)")


if __name__ == "__main__":
    main()
