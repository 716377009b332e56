"""Cell accuracy of tables 二/三/四 over fuzzed layouts, overall and by each layout parameter.

    python benchmarks/fuzz_layouts.py --n 2000            # text PDFs
    python benchmarks/fuzz_layouts.py --n 300 --scan 200  # the same layouts scanned at 200 DPI
    python benchmarks/fuzz_layouts.py --n 300 --scan 200 --hard   # + seals over values, phone photos
    python benchmarks/fuzz_layouts.py --n 100 --scan 200 --hard --plant   # + one planted error each
    python benchmarks/fuzz_layouts.py --n 300 --scan 150,200,300 --hard   # DPI by seed, figures by DPI
    python benchmarks/fuzz_layouts.py --n 300 --ofd                # as text OFDs (producer styles drawn per seed)
    python benchmarks/fuzz_layouts.py --n 40 --scan 200 --ofd      # as image-only OFDs

Layouts come from testkit/fuzz.py (seeded; a failing seed is replayed with --start SEED --n 1 -v).
A cell is right, reported (empty, and a finding names it) or wrong; "silent" is a missing cell that
no finding names. Needs reportlab and fonts-wqy-zenhei.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from testkit.fuzz import LayoutParams, Score, draw_scan, make, scan_of, score  # noqa: E402
from testkit.ofd import OfdStyle, image_ofd, text_ofd  # noqa: E402

RULES = ("t3.balance", "t3.results_total", "t3.applicant_total", "t4.total", "value.domain")


def one(
    args: tuple[int, str, int | None, bool, bool, bool, str, bool, bool],
) -> tuple[LayoutParams, Score, float, int, int, dict[str, str], int, str]:
    from nianbao import Settings, process

    seed, tmp, dpi, hard, plant, ofd, degrader, narrow, blanks = args
    p, s, path = make(seed, Path(tmp), plant=plant, narrow=narrow, blanks=blanks)
    scan: dict[str, str] = {}
    if dpi and degrader == "copier":
        from testkit.copier import copy_of, draw_copy

        path = copy_of(path, dpi, seed)
        cp = draw_copy(seed, dpi)
        scan = {"dpi": str(dpi), "seal_at": cp.seal_at, "turn": str(cp.turn), "threshold": str(cp.threshold)}
        scan["streaks"] = str(cp.streaks)
    elif dpi:
        path = scan_of(path, dpi, seed, hard=hard)
        if hard:
            sp = draw_scan(seed, dpi)
            scan = {"seal": sp.seal, "photo": str(sp.photo)}
        scan["dpi"] = str(dpi)
    if ofd:  # the same layout as an OFD file: a text OFD in a producer style drawn per seed, or a scan's images
        style = OfdStyle.draw(seed)
        out = Path(tmp) / f"{seed}.ofd"
        path = image_ofd(path, out, dpi) if dpi else text_ofd(path, out, style)
        if not dpi:
            scan = {"ofd_per": style.per, "ofd_g": str(style.g_notation), "ofd_ctm": str(style.ctm_scale)}
            scan["ofd_template"] = str(style.rules_on_template)
    t0 = time.perf_counter()
    doc = process(path, Settings(ocr_threads=1))
    seconds = time.perf_counter() - t0
    planted = {f"t3.{r}.{c}" for (_, r, c) in s.planted}
    errors = [f for f in doc.findings if f.rule in RULES and f.severity.value == "error"]
    # an error naming the planted cell finds the plant; any other error is a false alarm
    found = sum(1 for key in planted if any(key in {c.key for c in f.cells} for f in errors))
    false_alarms = sum(1 for f in errors if not planted & {c.key for c in f.cells})
    suspect = sum(1 for f in doc.findings if f.rule == "ocr.suspect_sum")
    Path(path).unlink(missing_ok=True)
    md = doc.metadata
    # the issuing body and year as the report prints them; '' when both are right
    meta = "" if (md.body, md.year) == (s.body, s.year) else f"{md.body!r} {md.year} for {s.body!r} {s.year}"
    return p, score(doc, s), seconds, false_alarms, suspect, scan, found, meta


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--start", type=int, default=0)
    ap.add_argument(
        "--scan", default="0", help="scan at this DPI, or seed by seed at each of 150,200,300 (0: text PDFs)"
    )
    ap.add_argument("--hard", action="store_true", help="scans with seals over values and phone photos")
    ap.add_argument("--plant", action="store_true", help="plant one error in each filing's table 三")
    ap.add_argument("--ofd", action="store_true", help="as OFD files: text OFDs, or image-only OFDs with --scan")
    ap.add_argument(
        "--degrader",
        choices=["fuzz", "copier"],
        default="fuzz",
        help="with --scan: the layout fuzzer's scans, or the copier's (testkit/copier.py: seals over the 总计 "
        "column or two rows, quarter and half turns, streaks, specks, black and white)",
    )
    ap.add_argument(
        "--narrow",
        action="store_true",
        help="value columns 20-28 pt wide and table 三 counts in the thousands: numbers wrap inside their cells",
    )
    ap.add_argument(
        "--blanks",
        action="store_true",
        help="zeros of tables 三/四 printed as a blank mark (empty, —, -, /, 无): one per filing or each its own",
    )
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("-v", "--verbose", action="store_true", help="print every problem of every failing seed")
    args = ap.parse_args()
    dpis = [int(d) for d in args.scan.split(",")]
    total = Score()
    by: dict[tuple[str, str], Score] = defaultdict(Score)
    failing: list[tuple[LayoutParams, Score]] = []
    seconds = 0.0
    alarms = suspects = alarm_files = found = 0
    alarm_seeds: list[int] = []
    unnamed_seeds: list[int] = []
    lost_seeds: list[int] = []  # with --plant: the planted error not found as an error
    meta_wrong: list[str] = []
    with tempfile.TemporaryDirectory() as tmp, ProcessPoolExecutor(args.workers) as pool:
        jobs = [
            (
                seed,
                tmp,
                dpis[seed % len(dpis)] or None,
                args.hard,
                args.plant,
                args.ofd,
                args.degrader,
                args.narrow,
                args.blanks,
            )
            for seed in range(args.start, args.start + args.n)
        ]
        for p, sc, sec, n_alarms, n_suspect, scan, n_found, meta in pool.map(one, jobs):
            seconds += sec
            if meta:
                meta_wrong.append(f"seed {p.seed} ({p.title_shape}): {meta}")
            found += n_found
            if args.plant and not n_found:
                lost_seeds.append(p.seed)
            for k, v in scan.items():
                by[(k, v)].add(sc)
            alarms, suspects, alarm_files = alarms + n_alarms, suspects + n_suspect, alarm_files + (n_alarms > 0)
            total.add(sc)
            if n_alarms:
                alarm_seeds.append(p.seed)
            if sc.wrong_unnamed or sc.wrong_only_unconfirmed:
                unnamed_seeds.append(p.seed)
            for k, v in asdict(p).items():
                if k in ("seed", "break_after"):
                    v = "none" if p.break_after is None else "set" if k == "break_after" else v
                    if k == "seed":
                        continue
                if isinstance(v, float):
                    continue
                by[(k, str(v))].add(sc)
            for k, v, edges in (
                ("font_size", p.font_size, (7.0, 8.0)),
                ("value_w", p.value_w, (36.0, 42.0)),
                ("label_w", p.label_w, (150.0, 190.0)),
                ("block_w", p.block_w, (35.0, 50.0)),
            ):
                band = "low" if v < edges[0] else "mid" if v < edges[1] else "high"
                by[(k, band)].add(sc)
            if sc.wrong or sc.silent or sc.reported:
                failing.append((p, sc))
    pct = 100.0 * total.right / max(total.total, 1)
    kind = f"scans at {args.scan} DPI" if any(dpis) else "text PDFs"
    if args.ofd:
        kind = f"image-only OFDs of scans at {args.scan} DPI" if any(dpis) else "text OFDs"
    kind += ", seals and photos" if args.hard and any(dpis) else ""
    print(f"{args.n} fuzzed layouts ({kind}), {total.total} cells: {pct:.2f}% right")
    print(
        f"  reported (empty + finding): {total.reported}  wrong: {total.wrong} "
        f"(no finding names the cell: {total.wrong_unnamed})  silent: {total.silent}"
    )
    print(
        f"  of the wrong: named only as resting on one reading (value.unconfirmed) {total.wrong_only_unconfirmed}, "
        f"marked confirmed (confirmed_by identity/readers/both) {total.wrong_confirmed}"
    )
    if args.plant:
        print(f"  planted errors found as an error naming the cell: {found} of {args.n}")
        if lost_seeds:
            print(f"  seeds whose planted error was not found: {lost_seeds}")
    print(f"  issuing body and year right: {args.n - len(meta_wrong)} of {args.n}")
    for line in meta_wrong[:10]:
        print(f"    {line}")
    print(f"  pipeline seconds per file: {seconds / max(args.n, 1):.2f}")
    print(
        f"  error-level rule findings (false alarms: the filings balance): {alarms} in {alarm_files} files; "
        f"ocr.suspect_sum warnings instead: {suspects}"
    )
    if alarm_seeds or unnamed_seeds:
        print(
            f"  seeds with a false alarm: {alarm_seeds}; with a wrong value no finding of its own names: "
            f"{unnamed_seeds}"
        )
    print()
    print(f"{'parameter':<14}{'value':<12}{'cells':>8}{'right %':>9}{'wrong':>7}{'silent':>8}")
    for (k, v), sc in sorted(by.items()):
        print(f"{k:<14}{v:<12}{sc.total:>8}{100.0 * sc.right / max(sc.total, 1):>9.2f}{sc.wrong:>7}{sc.silent:>8}")
    if failing:
        print(f"\n{len(failing)} layouts not read fully, worst first (replay: --start SEED --n 1 -v):")
        failing.sort(key=lambda f: (f[1].right / max(f[1].total, 1), f[0].seed))
        for p, sc in failing[: 50 if not args.verbose else None]:
            print(
                f"  seed {p.seed}: right {sc.right}/{sc.total}, wrong {sc.wrong}, silent {sc.silent} | {p.describe()}"
            )
            if args.verbose:
                for line in (sc.problems or [])[:40]:
                    print("     ", line)


if __name__ == "__main__":
    main()
