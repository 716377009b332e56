"""The auditor's report at scale: size of the HTML for N filings and the time its overview takes
to render in headless Chromium (Debian's ``chromium``).

Reading 5,000 filings takes a while and is measured by ``bench_batch.py``; this benchmark is about
the report. It reads the samples once (``nianbao extract``), then makes a run folder of N filings
by giving copies of those documents new doc_ids (every dataset row and every document JSON), so
that the report has N filings whose findings and page crops are real, rendered from the sample
files as ``documents.path`` says.

    python benchmarks/bench_report.py              # 5,000 filings
    python benchmarks/bench_report.py --n 500 --xlsx
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
# text-layer PDFs with and without findings, a scan with planted errors, web page and text dump
BASE = [
    "planted_errors.pdf",
    "scan_planted_200.pdf",
    "cizao_2022.pdf",
    "hrules_only.pdf",
    "format_2019.pdf",
    "no_rules.pdf",
    "blanks_dashes.pdf",
    "split_vertical.pdf",
    "layout_short_tail.pdf",
    "narrative_mismatch.pdf",
    "html_cms.html",
    "dump_tabs.txt",
    "crossyear_2021.txt",
    "crossyear_2022.txt",
    "docx_2019.docx",
]


def replicate(src: Path, dst: Path, n: int) -> None:
    """A run folder of n filings: the documents of ``src`` over and over, each copy its own doc_id."""
    dst.mkdir(parents=True)
    (dst / "documents").mkdir()
    with (src / "documents.csv").open(encoding="utf-8-sig", newline="") as fh:
        base_ids = [r["doc_id"] for r in csv.DictReader(fh)]
    copies = -(-n // len(base_ids))
    new_id = {(k, d): hashlib.sha1(f"{k}:{d}".encode()).hexdigest()[:16] for k in range(copies) for d in base_ids}
    keep = {(k, d) for k, d in sorted(new_id, key=lambda kd: (kd[0], base_ids.index(kd[1])))[:n]}
    for f in src.glob("*.csv"):
        with f.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh))
        head, body = rows[0], rows[1:]
        i = head.index("doc_id")
        with (dst / f.name).open("w", encoding="utf-8-sig", newline="") as out:
            w = csv.writer(out)
            w.writerow(head)
            for k in range(copies):
                for r in body:
                    if (k, r[i]) in keep:
                        w.writerow([*r[:i], new_id[(k, r[i])], *r[i + 1 :]])
    for d in base_ids:
        data = json.loads((src / "documents" / f"{d}.json").read_text(encoding="utf-8"))
        for k in range(copies):
            if (k, d) in keep:
                data["doc_id"] = new_id[(k, d)]
                (dst / "documents" / f"{new_id[(k, d)]}.json").write_text(json.dumps(data), encoding="utf-8")


def render(chromium: str, url: str, shot: Path) -> tuple[float, float]:
    """(wall seconds of a headless Chromium that opens ``url`` and screenshots it, and the page's
    own milliseconds from navigation to its first drawn view, which it logs to the console)."""
    cmd = [
        chromium,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--enable-logging=stderr",
        "--v=0",
        "--window-size=1300,2000",
        f"--screenshot={shot}",
        url,
    ]
    subprocess.run(cmd, capture_output=True, timeout=120)  # warm Chromium's own files once
    t0 = time.perf_counter()
    res = subprocess.run(cmd, capture_output=True, timeout=120, check=True)
    wall = time.perf_counter() - t0
    m = re.search(rb"nianbao-rendered-ms (\d+)", res.stderr)
    return wall, float(m.group(1)) if m else float("nan")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=5000)
    ap.add_argument("--xlsx", action="store_true", help="time the workbook too")
    args = ap.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        inp = base / "in"
        inp.mkdir()
        for name in BASE:
            shutil.copy(SAMPLES / name, inp / name)
        nb = [sys.executable, "-m", "nianbao"]
        subprocess.run([*nb, "extract", str(inp), "--out", str(base / "one"), "--no-parquet"], check=True)
        run = base / "run"
        replicate(base / "one", run, args.n)
        html = base / "report.html"
        t0 = time.perf_counter()
        subprocess.run([*nb, "report", str(run), "--html", str(html)], check=True)
        t_html = time.perf_counter() - t0
        print(f"{args.n} filings: HTML report written in {t_html:.1f} s, {html.stat().st_size / 2**20:.1f} MB")
        if chromium:
            for label, url in (("overview", html.as_uri()), ("one filing opened", html.as_uri() + "#doc=1")):
                wall, page_ms = render(chromium, url, base / "shot.png")
                print(
                    f"{label} in headless Chromium: {wall:.1f} s wall (start, load, first view, screenshot); "
                    f"first view drawn {page_ms / 1000:.1f} s after navigation"
                )
        else:
            print("chromium not installed: render time not measured")
        if args.xlsx:
            xlsx = base / "report.xlsx"
            t0 = time.perf_counter()
            subprocess.run([*nb, "report", str(run), "--xlsx", str(xlsx)], check=True)
            print(f"workbook: {time.perf_counter() - t0:.1f} s, {xlsx.stat().st_size / 2**20:.1f} MB")


if __name__ == "__main__":
    main()
