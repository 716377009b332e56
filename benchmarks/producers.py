"""The same reports through PDF producers nobody here wrote: Chromium printing web pages, LibreOffice
exporting Word files. Cell accuracy by producer, and every wrong value a finding does not name.

    python benchmarks/producers.py --n 100                 # fresh draws, seeds 50000…
    python benchmarks/producers.py --n 20 --start 50100 -v # every problem of every failing draw

Each draw is a sample from the fuzzer's data (testkit.fuzz.build), laid out by testkit/tables.py and
written as a portal page (styles cms, gbk with table 三 split at （四）, Word's "save as web page"), or
as a .docx; Chromium (Debian's `chromium`, --print-to-pdf) prints the pages, LibreOffice
(`soffice --convert-to pdf`) exports the .docx; nianbao reads the PDFs. Needs both programs.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from testkit.fuzz import Score, score  # noqa: E402
from testkit.producers import PRODUCERS, produce  # noqa: E402


def one(args: tuple[int, str, str]) -> tuple[int, str, Score, str, list[str]]:
    from nianbao import Settings, process

    seed, producer, tmp = args
    try:
        s, pdf = produce(seed, producer, Path(tmp))
    except (subprocess.SubprocessError, OSError) as e:
        return seed, producer, Score(problems=[f"producer failed: {e}"]), "", []
    doc = process(pdf, Settings(ocr_threads=1))
    body_ok = (
        "" if (doc.metadata.body, doc.metadata.year) == (s.body, s.year) else f"{doc.metadata.body} {doc.metadata.year}"
    )  # type: ignore[attr-defined]
    # every drawn filing balances: any error-level finding is a false alarm
    alarms = [f"{f.rule} {f.subject}" for f in doc.findings if f.severity.value == "error"]
    pdf.unlink(missing_ok=True)
    return seed, producer, score(doc, s), body_ok, alarms  # type: ignore[arg-type]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--start", type=int, default=50_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument(
        "--producers", default=",".join(PRODUCERS), help="comma-separated subset of " + ", ".join(PRODUCERS)
    )
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    by: dict[str, Score] = defaultdict(Score)
    total = Score()
    bad_body: list[str] = []
    failing: list[tuple[int, str, Score]] = []
    false_alarms: list[str] = []
    with tempfile.TemporaryDirectory() as tmp, ProcessPoolExecutor(args.workers) as pool:
        chosen = set(args.producers.split(","))
        jobs = [(seed, PRODUCERS[seed % len(PRODUCERS)], tmp) for seed in range(args.start, args.start + args.n)]
        # a seed keeps its producer whatever the subset: a draw replays the same with or without it
        jobs = [j for j in jobs if j[1] in chosen]
        for seed, producer, sc, body, alarms in pool.map(one, jobs):
            if alarms:
                false_alarms.append(f"{seed} {producer}: {'; '.join(alarms)}")
            by[producer].add(sc)
            total.add(sc)
            if body:
                bad_body.append(f"{seed} {producer}: read {body}")
            if sc.wrong or sc.silent or sc.reported or not sc.total:
                failing.append((seed, producer, sc))
    pct = 100.0 * total.right / max(total.total, 1)
    print(f"{len(jobs)} reports through real producers, {total.total} cells: {pct:.2f}% right")
    print(
        f"  reported: {total.reported}  wrong: {total.wrong} (unnamed: {total.wrong_unnamed}; named only as "
        f"resting on one reading: {total.wrong_only_unconfirmed}; marked confirmed: {total.wrong_confirmed})  "
        f"silent: {total.silent}"
    )
    print(f"  body or year wrong: {len(bad_body)} of {len(jobs)}")
    print(f"  error-level rule findings on these balanced filings (false alarms): {len(false_alarms)}")
    for producer in (p for p in PRODUCERS if p in chosen):
        sc = by[producer]
        print(
            f"  {producer:18} cells {sc.total:6}  right {100.0 * sc.right / max(sc.total, 1):6.2f}%  "
            f"reported {sc.reported:4}  wrong {sc.wrong:3} (unnamed {sc.wrong_unnamed})  silent {sc.silent}"
        )
    for seed, producer, sc in sorted(failing, key=lambda x: -(x[2].wrong * 100 + x[2].silent * 10 + x[2].reported))[
        :30
    ]:
        print(f"  seed {seed} {producer}: right {sc.right}/{sc.total}, wrong {sc.wrong}, silent {sc.silent}")
        if args.verbose:
            for p in (sc.problems or [])[:40]:
                print(f"      {p}")
    for line in false_alarms[:20]:
        print(f"  false alarm: {line}")
    for line in bad_body[:20]:
        print(f"  body: {line}")


if __name__ == "__main__":
    main()
