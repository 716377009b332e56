"""OCR speed and accuracy: the nianbao route against plain full-page RapidOCR, same pages, same run.

Both sides get the same page images (rendered at the scan's DPI) and the same
downstream (rules → cells → canonical values → comparison with the golden file);
they differ in how text is found and read:

* nianbao: rules and projection profiles cut the page into line crops; only
  recognition runs, batched by crop width;
* full page: RapidOCR's own pipeline (detection + direction classifier +
  recognition) on the whole page, its boxes used as the words.

    python benchmarks/bench_ocr.py                       # three scans (200, 300, 150 DPI)
    python benchmarks/bench_ocr.py scan_planted_200 ...  # any scanned samples by name
    python benchmarks/bench_ocr.py --fuzz 12             # generated scans: seals, photos, 150-300 DPI

``--fuzz N`` draws N layouts from samples/fuzz.py and scans them the hard way (seals over
values, phone photos; DPI cycling 150/200/300), expected values from the generator.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nianbao import Settings, process  # noqa: E402
from nianbao.extractors import ocr  # noqa: E402
from nianbao.extractors.ocr_engine import get_engine  # noqa: E402
from nianbao.pipeline.model import BBox, Word  # noqa: E402

DEFAULT = ["scan_planted_200", "scan_split_300", "scan_blanks_150"]


def accuracy(doc, gold) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    got = {(v.table, v.row, v.col): v.value for v in doc.values}
    read_tables = {v.table for v in doc.values if v.value is not None}
    ok = total = 0
    for c in gold["cells"]:
        if gold.get("partial_report") and c["table"] not in read_tables:
            continue
        total += 1
        v = got.get((c["table"], c["row"], c["col"]))
        ok += v is not None and abs(float(v) - float(c["value"])) < 1e-9
    return ok, total


def full_page_reader():  # type: ignore[no-untyped-def]
    """A replacement for extractors.ocr._read that runs RapidOCR on the whole page."""
    from rapidocr import RapidOCR

    full = RapidOCR(params={"Global.log_level": "critical"})

    def read(grey, ink, dpi, engine):  # type: ignore[no-untyped-def]
        scale = 72.0 / dpi
        horiz, vert = ocr.ruling_masks(ink)
        edges = ocr.edges_from_masks(horiz, vert, scale)
        res = full(np.repeat(grey[:, :, None], 3, axis=2))
        words = []
        for box, text, score in zip(
            res.boxes if res.boxes is not None else [], res.txts or (), res.scores or (), strict=False
        ):
            xs, ys = box[:, 0], box[:, 1]
            words.append(
                Word(
                    text,
                    BBox(xs.min() * scale, ys.min() * scale, xs.max() * scale, ys.max() * scale),
                    "ocr",
                    float(score),
                )
            )
        h, w = grey.shape
        return ocr.OcrPage(words, edges, w * scale, h * scale)

    return read


def run(names: list[str], reader, dpi: int, engine: str = "rapidocr") -> tuple[float, int, int, int]:  # type: ignore[no-untyped-def]
    original = ocr._read
    if reader is not None:
        ocr._read = reader
    try:
        seconds = pages = ok = total = 0
        for name in names:
            gold = json.loads((ROOT / "samples" / "golden" / f"{name}.json").read_text(encoding="utf-8"))
            t0 = time.perf_counter()
            doc = process(ROOT / "samples" / gold["file"], Settings(ocr_dpi=dpi, ocr_engine=engine))
            seconds += time.perf_counter() - t0
            pages += sum(1 for p in doc.pages if p.route == "ocr")
            a, b = accuracy(doc, gold)
            ok, total = ok + a, total + b
        return seconds, pages, ok, total
    finally:
        ocr._read = original


def fuzz_corpus(n: int, start: int, tmp: Path) -> list[tuple[Path, object, int]]:
    """N hard scans of fuzzed layouts: (path, sample, dpi)."""
    from samples.fuzz import make, scan_of

    out = []
    for k, seed in enumerate(range(start, start + n)):
        dpi = (150, 200, 300)[k % 3]
        _, smp, pdf = make(seed, tmp)
        out.append((scan_of(pdf, dpi, seed, hard=True), smp, dpi))
    return out


def run_fuzz(corpus, reader, engine: str = "rapidocr") -> tuple[float, int, int, int]:  # type: ignore[no-untyped-def]
    from samples.fuzz import score

    original = ocr._read
    if reader is not None:
        ocr._read = reader
    try:
        seconds = pages = ok = total = 0
        for path, smp, dpi in corpus:
            t0 = time.perf_counter()
            doc = process(path, Settings(ocr_dpi=dpi, ocr_engine=engine))
            seconds += time.perf_counter() - t0
            pages += sum(1 for p in doc.pages if p.route == "ocr")
            sc = score(doc, smp)
            ok, total = ok + sc.right, total + sc.total
        return seconds, pages, ok, total
    finally:
        ocr._read = original


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("names", nargs="*", default=DEFAULT)
    ap.add_argument("--dpi", type=int, default=200, help="resolution both sides render PDF pages at")
    ap.add_argument("--fuzz", type=int, default=0, help="N generated hard scans instead of samples")
    ap.add_argument("--start", type=int, default=40000, help="first seed of --fuzz")
    args = ap.parse_args()
    get_engine().recognize([np.full((32, 32), 255, np.uint8)])  # load the models outside the timing
    if args.fuzz:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            corpus = fuzz_corpus(args.fuzz, args.start, Path(tmp))
            ours = run_fuzz(corpus, None)
            base = run_fuzz(corpus, full_page_reader())
        print(f"{args.fuzz} generated scans (seeds {args.start}+: seals, photos, 150/200/300 DPI)")
        for label, (sec, p, ok, total) in (("nianbao OCR route", ours), ("full-page RapidOCR", base)):
            print(f"{label:20s}: {sec / p:6.2f} s/page  ({p} pages)  cells {ok}/{total} = {ok / total:.4f}")
        print(f"speed-up              : {base[0] / base[1] / (ours[0] / ours[1]):6.2f}x  (goal >= 3)")
        return
    ours = run(args.names, None, args.dpi)
    base = run(args.names, full_page_reader(), args.dpi)
    rows = [("nianbao OCR route", ours), ("full-page RapidOCR", base)]
    if importlib.util.find_spec("paddleocr") is not None:
        # the same route with native PaddleOCR recognising the line crops (nianbao[paddle])
        get_engine("paddleocr").recognize([np.full((32, 32), 255, np.uint8)])
        rows.insert(1, ("route, PaddleOCR", run(args.names, None, args.dpi, "paddleocr")))
    print(f"scans: {', '.join(args.names)}; PDF pages rendered at {args.dpi} DPI on every side")
    for label, (s, p, ok, total) in rows:
        print(f"{label:20s}: {s / p:6.2f} s/page  ({p} pages)  cells {ok}/{total} = {ok / total:.4f}")
    print(f"speed-up              : {base[0] / base[1] / (ours[0] / ours[1]):6.2f}x  (goal >= 3)")


if __name__ == "__main__":
    main()
