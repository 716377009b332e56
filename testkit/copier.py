"""A second degrader: office copiers and scanners, not the layout fuzzer's own (issue 25).

The same layouts (:mod:`testkit.fuzz`) go through a degrader written apart from
:func:`testkit.fuzz.scan_of`, so that no reading rule is tuned to one degrader's habits:

- a seal placed where auditors look: over table 三's 总计 column (several rows of it), or between
  two rows of one column, in other sizes and colours (blue-red, dark red, orange), and sometimes
  none;
- the page turned a quarter or half turn (a sheet fed sideways or upside down);
- copier damage: lowered contrast and a grey cast, toner streaks down the page, salt-and-pepper
  specks, strokes thickened by toner spread, and now and then the whole page thresholded to black
  and white as a fax or a cheap copier does; JPEG at 45–80.

Seeded: a failing draw is replayed with ``benchmarks/fuzz_layouts.py --degrader copier --start SEED --n 1 -v``.
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass
from pathlib import Path

from testkit.fuzz import ScanParams, _page_words, stamp


@dataclass(frozen=True)
class CopyParams:
    dpi: int
    seal_at: str  # total_column | two_rows | none
    seal_colour: tuple[int, int, int]
    seal_radius: float
    turn: int  # 0 | 90 | 180 | 270, for the page holding table 三
    contrast: float  # 1 = as printed
    streaks: int
    specks: float  # share of pixels flipped
    spread: bool  # strokes thickened
    threshold: bool  # black and white
    jpeg: int

    def describe(self) -> str:
        return " ".join(f"{k}={v}" for k, v in asdict(self).items())


def draw_copy(seed: int, dpi: int) -> CopyParams:
    rng = random.Random(seed * 7919 + dpi + 17)
    return CopyParams(
        dpi=dpi,
        seal_at=rng.choice(["total_column", "total_column", "two_rows", "none"]),
        seal_colour=rng.choice([(200, 30, 60), (150, 20, 30), (230, 100, 30), (210, 40, 40)]),
        seal_radius=round(rng.uniform(34.0, 58.0), 1),
        turn=rng.choice([0, 0, 0, 90, 180, 270]),
        contrast=round(rng.uniform(0.55, 1.0), 2),
        streaks=rng.choice([0, 0, 1, 2, 3]),
        specks=rng.choice([0.0, 0.001, 0.003]),
        spread=rng.random() < 0.3,
        threshold=rng.random() < 0.2,
        jpeg=rng.choice([45, 60, 80]),
    )


def _seal_spot(words: list[dict], cp: CopyParams, rng: random.Random) -> tuple[float, float] | None:  # type: ignore[type-arg]
    """Where the seal goes, in points: over the 总计 column of table 三 (the column under the
    header word 总计 with the most numbers), or between two rows of a column of numbers."""
    numbers = [w for w in words if w["text"].replace(".", "").isdigit() and w["x0"] > 150]
    if len(numbers) < 8 or cp.seal_at == "none":
        return None
    if cp.seal_at == "total_column":
        heads = [w for w in words if w["text"] == "总计"]
        best: list[dict] = []  # type: ignore[type-arg]
        for h in heads:
            cx = (h["x0"] + h["x1"]) / 2
            # the header word stands centred over its cell, the numbers wherever the layout aligns them
            col = [w for w in numbers if abs((w["x0"] + w["x1"]) / 2 - cx) < 20 and w["top"] > h["bottom"]]
            if len(col) > len(best):
                best = col
        if len(best) >= 3:
            col = sorted(best, key=lambda w: w["top"])
            k = rng.randrange(0, max(1, len(col) - 3))
            w = col[k + min(2, len(col) - 1 - k)]
            return (w["x0"] + w["x1"]) / 2, (w["top"] + w["bottom"]) / 2
    # between two rows: a number and the one under it in the same column
    pairs = [
        (a, b)
        for a in numbers
        for b in numbers
        if b is not a and abs(a["x0"] - b["x0"]) < 6 and 0 < b["top"] - a["bottom"] < 14
    ]
    if not pairs:
        return None
    a, b = rng.choice(pairs)
    return (a["x0"] + a["x1"]) / 2, (a["bottom"] + b["top"]) / 2


def copy_of(pdf: Path, dpi: int, seed: int) -> Path:
    """The PDF as a copier or office scanner gives it back (see the module)."""
    import numpy as np
    import pypdfium2 as pdfium
    from PIL import Image, ImageFilter

    from testkit.degrade import _jpeg, render

    cp = draw_copy(seed, dpi)
    rng = random.Random(seed * 131 + dpi)
    nrng = np.random.default_rng(seed + dpi)
    src = pdfium.PdfDocument(str(pdf))
    words = _page_words(pdf)
    seal = ScanParams(
        dpi=dpi,
        seal="red",
        seal_radius=cp.seal_radius,
        seal_angle=round(rng.uniform(-30, 30), 1),
        seal_opacity=round(rng.uniform(0.6, 0.95), 2),
        seals_per_page=1,
        photo=False,
        warp=0.0,
    )
    k = dpi / 72
    t3_page = next((i for i, ws in enumerate(words) if any(w["text"] == "总计" for w in ws)), 0)
    images = []
    for i in range(len(src)):
        img = render(src, i, dpi, True).convert("RGB")
        spot = _seal_spot(words[i], cp, rng) if i == t3_page else None
        if spot is not None:
            img = stamp(img, spot[0] * k, spot[1] * k, seal, colour=cp.seal_colour)
        a = np.asarray(img).astype(np.float32)
        # lowered contrast with a grey cast: paper greyer, ink lighter
        a = 255 - (255 - a) * cp.contrast
        a = a * 0.93 + 8
        w = a.shape[1]
        for _ in range(cp.streaks):
            x = int(nrng.integers(0, w))
            width = int(nrng.integers(1, max(2, int(dpi / 60))))
            a[:, x : x + width] *= float(nrng.uniform(0.55, 0.85))
        out = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))
        if cp.spread:
            out = out.filter(ImageFilter.MinFilter(3))
        if cp.threshold:
            grey = np.asarray(out.convert("L"))
            out = Image.fromarray(np.where(grey < 150, 0, 255).astype(np.uint8)).convert("RGB")
        if cp.specks:
            b = np.asarray(out).copy()
            m = nrng.random(b.shape[:2])
            b[m < cp.specks / 2] = 0
            b[m > 1 - cp.specks / 2] = 255
            out = Image.fromarray(b)
        if cp.turn and i == t3_page:
            out = out.rotate(-cp.turn, expand=True)
        images.append(_jpeg(out, cp.jpeg))
    src.close()
    path = pdf.with_name(f"{pdf.stem}_copy{dpi}.pdf")
    images[0].save(path, "PDF", save_all=True, append_images=images[1:], resolution=dpi)
    return path
