"""Whole-article-on-one-line text dumps: how many cells are read, and none wrong.

Each draw is a random balanced filing (format 2021 or 2019) written by
``testkit.dumps.one_line_dump`` with random drift: labels losing a character, the items' numbering
style (1． 1. 1、 （1） "1. "), 行政复议 printed 行政法复议. The pipeline reads the text; every cell is
compared with what was printed: right, wrong (a value that is not the printed one), or unread — and
an unread cell must be named by a finding (extract.ambiguous_digits, extract.missing_cell, …).

    python benchmarks/one_line.py --n 200
    python benchmarks/one_line.py --start 17 --n 1 -v     # replay one draw, every problem listed
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nianbao import Settings, process  # noqa: E402
from testkit.dumps import NUMBERING, markdown_draw, one_line_dump  # noqa: E402
from testkit.scraper import draw as scraper_draw  # noqa: E402
from testkit.scraper import unreadable  # noqa: E402
from testkit.specs import Sample, balanced_t3, balanced_t4, t2_values  # noqa: E402


def draw(seed: int) -> tuple[Sample, str, dict[str, object]]:
    rng = random.Random(seed)
    fmt = rng.choice(["2021", "2019"])
    s = Sample(
        name=f"oneline_{seed}",
        body="某某市某某区某某街道办事处",
        year=2022 if fmt == "2021" else 2020,
        note="",
        fmt=fmt,
    )
    s.t2 = t2_values(rng, fmt)
    s.t3 = balanced_t3(rng, fmt, scale=rng.choice([3, 6, 12, 30]))
    s.t4 = balanced_t4(rng)
    params = {
        "fmt": fmt,
        "drift": rng.choice([0.0, 0.05, 0.15]),
        "numbering": rng.choice(NUMBERING),
        "review_typo": rng.random() < 0.3,
    }
    text = one_line_dump(
        s,
        rng,
        drift=float(params["drift"]),
        numbering=str(params["numbering"]),
        review_typo=bool(params["review_typo"]),
    )
    return s, text, params


def score(s: Sample, doc) -> tuple[Counter[str], list[str]]:  # type: ignore[no-untyped-def]
    got = {(v.table, v.row, v.col): v.value for v in doc.values}
    named = {(c.table, c.row, c.col) for f in doc.findings for c in f.cells}
    named_rows = {(f.table, (f.subject or "").split(".")[-1]) for f in doc.findings}
    tally: Counter[str] = Counter()
    problems: list[str] = []
    for t, r, c in s.cells():
        want = s.value(t, r, c)
        v = got.get((t, r, c))
        group = "t34" if t in ("t3", "t4") else "t2"
        tally[f"{group}_total"] += 1
        if v is None:
            tally[f"{group}_unread"] += 1
            if (
                (t, r, c) not in named
                and (t, r) not in named_rows
                and f"{t}.{r}" not in str([f.message for f in doc.findings])
            ):
                tally[f"{group}_silent"] += 1
                problems.append(f"{t}.{r}.{c}: unread and no finding names it")
        elif abs(float(v) - float(want)) < 1e-9:
            tally[f"{group}_right"] += 1
        else:
            tally[f"{group}_wrong"] += 1
            problems.append(f"{t}.{r}.{c}: read {v}, printed {s.raw(t, r, c)}")
    return tally, problems


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--start", type=int, default=70000)
    ap.add_argument("--kind", choices=["oneline", "scraper", "markdown"], default="oneline")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    drawer = {"scraper": scraper_draw, "markdown": markdown_draw}.get(args.kind, draw)
    suffix = ".md" if args.kind == "markdown" else ".txt"
    total: Counter[str] = Counter()
    by_fmt: dict[str, Counter[str]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for seed in range(args.start, args.start + args.n):
            s, text, params = drawer(seed)
            path = Path(tmp) / f"{seed}{suffix}"
            path.write_text(text, encoding="utf-8")
            doc = process(path, Settings())
            tally, problems = score(s, doc)
            if args.kind == "scraper":
                # cells no reader can take: readings that keep every sum disagree on them
                tally["inherent"] += len(unreadable(s))
            tally["docs"] += 1
            tally["body_right"] += doc.metadata.body == s.body
            tally["year_right"] += doc.metadata.year == s.year
            if doc.metadata.body != s.body or doc.metadata.year != s.year:
                problems.append(
                    f"metadata: body {doc.metadata.body!r} year {doc.metadata.year}, printed {s.body!r} {s.year}"
                )
            total.update(tally)
            by_fmt.setdefault(str(params["fmt"]), Counter()).update(tally)
            if args.verbose or any(p for p in problems if "read " in p or "metadata" in p):
                print(f"seed {seed} {params}: {tally['t34_right']}/{tally['t34_total']} t3/t4 right")
                for p in problems[:40]:
                    print("   ", p)
    for label, t in [("all", total), *sorted(by_fmt.items())]:
        t34, t2 = t["t34_total"], t["t2_total"]
        right = t["t34_right"] + t["t2_right"]
        readable = t34 + t2 - t["inherent"]
        print(
            f"{label:>5}: tables 二/三/四 {right}/{t34 + t2} = {right / (t34 + t2):.2%}"
            + (
                f"; of the {readable} cells one reading of the digits allows, {right / readable:.2%}"
                if t["inherent"]
                else ""
            )
        )
        print(
            f"{label:>5}: tables 三/四 {t['t34_right']}/{t34} read right = {t['t34_right'] / t34:.2%}, "
            f"{t['t34_wrong']} wrong, {t['t34_unread']} unread ({t['t34_silent']} without a finding); "
            f"table 二 {t['t2_right']}/{t2} = {t['t2_right'] / t2:.2%}, {t['t2_wrong']} wrong, "
            f"{t['t2_silent']} unread without a finding; body {t['body_right']}/{t['docs']}, "
            f"year {t['year_right']}/{t['docs']}"
        )


if __name__ == "__main__":
    main()
