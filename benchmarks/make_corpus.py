"""A large corpus for scale work, made from the samples instead of committed.

Each copy gets a few bytes appended after the file's end (a PDF comment, an HTML
comment, a text line), so every file has its own SHA-256 and doc_id, as real
reports do.

    python benchmarks/make_corpus.py /tmp/corpus --copies 200            # text-layer PDFs only
    python benchmarks/make_corpus.py /tmp/corpus --copies 50 --all       # every sample kind, scans too
    /usr/bin/time -v nianbao extract /tmp/corpus --out /tmp/out --workers 2
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SUFFIX = {".pdf": b"\n%% copy {k}\n", ".html": b"\n<!-- copy {k} -->\n", ".txt": b"\n", ".md": b"\n"}


def sources(every_kind: bool) -> list[Path]:
    out = []
    for g in sorted((ROOT / "samples" / "golden").glob("*.json")):
        gold = json.loads(g.read_text(encoding="utf-8"))
        path = ROOT / "samples" / gold["file"]
        text_pdf = path.suffix == ".pdf" and "source" not in gold and not gold.get("ocr_pages")
        if every_kind or text_pdf:
            out.append(path)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path)
    ap.add_argument("--copies", type=int, default=100)
    ap.add_argument("--all", action="store_true", help="every sample kind, scans and images included")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    n = 0
    for src in sources(args.all):
        data = src.read_bytes()
        for k in range(args.copies):
            extra = SUFFIX.get(src.suffix, b"").replace(b"{k}", str(k).encode()) * (
                1 if src.suffix != ".txt" else k + 1
            )
            if src.suffix not in SUFFIX and k:
                continue  # images and Word files: one copy (appending bytes would break them)
            (args.out / f"{k:05d}_{src.name}").write_bytes(data + extra)
            n += 1
    print(f"{n} files in {args.out}")


if __name__ == "__main__":
    main()
