"""Scanned and photographed versions of the text samples, made reproducibly from their PDFs.

    python -m testkit.degrade        # writes samples/scan_*.pdf, photo_*.jpg, *.tif and golden files

Each scan names its source sample; its golden file is the source's golden file
(what the generator printed) with the file name changed and the pages that go
through OCR listed. Degradations: resolution (150/200/300 DPI), skew, a page
turned by 90°, noise, blur, JPEG artefacts, a red seal over table cells, uneven
lighting. Random choices use fixed seeds, so the files are the same on every run.
"""

from __future__ import annotations

import io
import json
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageDraw, ImageFilter

# the committed samples live in samples/ (data only); this kit writes them there
HERE = Path(__file__).resolve().parent.parent / "samples"
GOLDEN = HERE / "golden"


@dataclass
class Scan:
    name: str
    source: str  # sample whose PDF is scanned
    dpi: int
    out: str = "pdf"  # pdf | jpg | png | tif | nomap (the text PDF with its fonts' Unicode maps removed)
    skew: dict[int, float] = field(default_factory=dict)  # page -> degrees (counter-clockwise)
    turn: dict[int, int] = field(default_factory=dict)  # page -> 90 | 180 | 270
    noise: float = 0.0  # share of pixels flipped to random grey
    blur: float = 0.0
    jpeg: int = 75
    seal_page: int | None = None
    lighting: bool = False
    keep_text: set[int] = field(default_factory=set)  # pages left as text (a mixed PDF)
    pages: list[int] | None = None  # only these pages (1-based)
    colour: bool = False
    note: str = ""


SCANS = [
    Scan(
        "scan_planted_200",
        "planted_errors",
        200,
        skew={2: 1.2},
        noise=0.002,
        jpeg=70,
        note="planted errors scanned at 200 DPI, page 2 skewed 1.2°, light noise",
    ),
    Scan(
        "scan_split_300",
        "split_vertical",
        300,
        skew={1: -0.8, 2: -2.0},
        blur=0.6,
        jpeg=45,
        note="table 三 split across pages with a vertical group label, 300 DPI, skewed, blurred",
    ),
    Scan("scan_blanks_150", "blanks_dashes", 150, noise=0.003, jpeg=70, note="blanks and dashes at 150 DPI with noise"),
    Scan(
        "scan_rotated_200",
        "format_2019",
        200,
        turn={2: 90},
        jpeg=70,
        note="the 2019 format, page 2 scanned turned by 90°",
    ),
    Scan(
        "scan_seal_200",
        "cizao_2022",
        200,
        seal_page=4,
        colour=True,
        jpeg=70,
        pages=[3, 4],
        note="磁灶镇 pages 3-4 in colour with a red seal over table 三's cells",
    ),
    Scan(
        "mixed_text_scan",
        "split_repeat_header",
        200,
        keep_text={1, 3},
        noise=0.001,
        jpeg=70,
        note="a text PDF whose page 2 is a scanned image",
    ),
    Scan(
        "photo_page_200",
        "no_rules",
        200,
        out="jpg",
        pages=[2],
        lighting=True,
        blur=0.8,
        jpeg=80,
        note="a photographed page (uneven lighting, blur) of a table printed without rules",
    ),
    Scan("tiff_hrules_200", "hrules_only", 200, out="tif", note="a two-page TIFF of the h-ruled sample"),
    Scan(
        "nomap_glyphs",
        "hrules_only",
        200,
        out="nomap",
        note="the text PDF with its fonts' /ToUnicode maps removed: glyphs without a Unicode map, read by OCR",
    ),
    Scan(
        "png_page_200",
        "fullwidth_thousands",
        200,
        out="png",
        pages=[2],
        noise=0.001,
        note="one page as a PNG: full-width digits and thousands separators",
    ),
]


def render(pdf: pdfium.PdfDocument, index: int, dpi: int, colour: bool) -> Image.Image:
    img = pdf[index].render(scale=dpi / 72).to_pil()
    return img.convert("RGB") if colour else img.convert("L")


def seal(img: Image.Image, rng: random.Random) -> Image.Image:
    """A red round seal multiplied over the page (ink under it stays dark)."""
    w, h = img.size
    r = int(w * 0.11)
    cx, cy = int(w * 0.55), int(h * 0.42)
    layer = Image.new("RGB", img.size, (255, 255, 255))
    d = ImageDraw.Draw(layer)
    red = (225, 40, 40)
    d.ellipse([cx - r, cy - r, cx + r, cy + r], outline=red, width=max(4, r // 12))
    d.ellipse([cx - r // 6, cy - r // 6, cx + r // 6, cy + r // 6], fill=red)
    for k in range(12):
        a = k * np.pi / 6
        x, y = cx + int(0.7 * r * np.cos(a)), cy + int(0.7 * r * np.sin(a))
        d.rectangle([x - r // 14, y - r // 14, x + r // 14, y + r // 14], fill=red)
    base = np.asarray(img.convert("RGB"), dtype=np.float32) / 255
    over = np.asarray(layer, dtype=np.float32) / 255
    return Image.fromarray((base * over * 255).astype(np.uint8))


def lighting(img: Image.Image) -> Image.Image:
    """Uneven light: a corner-to-corner gradient and a soft shadow band, as on a phone photo."""
    a = np.asarray(img, dtype=np.float32)
    h, w = a.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w]
    gain = 0.72 + 0.28 * (xx / w * 0.5 + (1 - yy / h) * 0.5)
    gain -= 0.12 * np.exp(-(((xx - 0.8 * w) / (0.15 * w)) ** 2))
    if a.ndim == 3:
        gain = gain[:, :, None]
    return Image.fromarray(np.clip(a * gain, 0, 255).astype(np.uint8))


def noisy(img: Image.Image, share: float, rng: np.random.Generator) -> Image.Image:
    a = np.array(img)
    mask = rng.random(a.shape[:2]) < share
    a[mask] = (
        rng.integers(60, 255, size=int(mask.sum()))[:, None]
        if a.ndim == 3
        else rng.integers(60, 255, size=int(mask.sum()))
    )
    return Image.fromarray(a)


def degrade(img: Image.Image, scan: Scan, page: int, rng: random.Random, nrng: np.random.Generator) -> Image.Image:
    if scan.seal_page == page:
        img = seal(img, rng)
    if scan.lighting:
        img = lighting(img)
    if page in scan.skew:
        fill = (255, 255, 255) if img.mode == "RGB" else 255
        img = img.rotate(scan.skew[page], resample=Image.BICUBIC, expand=False, fillcolor=fill)
    if scan.blur:
        img = img.filter(ImageFilter.GaussianBlur(scan.blur))
    if scan.noise:
        img = noisy(img, scan.noise, nrng)
    if page in scan.turn:
        img = img.rotate(-scan.turn[page], expand=True)
    return img


def _jpeg(img: Image.Image, quality: int) -> Image.Image:
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality)
    buf.seek(0)
    return Image.open(buf)


def make(scan: Scan) -> dict:  # type: ignore[type-arg]
    src = pdfium.PdfDocument(str(HERE / f"{scan.source}.pdf"))
    rng, nrng = random.Random(scan.name), np.random.default_rng(7)
    pages = scan.pages or list(range(1, len(src) + 1))
    gold = json.loads((GOLDEN / f"{scan.source}.json").read_text(encoding="utf-8"))
    ext = "pdf" if scan.out == "nomap" else scan.out
    path = HERE / f"{scan.name}.{ext}"
    if scan.out == "nomap":
        _strip_unicode_maps(HERE / f"{scan.source}.pdf", path)
        ocr_pages = pages
    elif scan.keep_text:
        _mixed(src, scan, path, rng, nrng)
        ocr_pages = [p for p in pages if p not in scan.keep_text]
    else:
        images = [
            _jpeg(degrade(render(src, p - 1, scan.dpi, scan.colour), scan, p, rng, nrng), scan.jpeg) for p in pages
        ]
        if scan.out == "pdf":
            images[0].save(path, "PDF", save_all=True, append_images=images[1:], resolution=scan.dpi)
        elif scan.out == "jpg":
            images[0].save(path, "JPEG", quality=scan.jpeg, dpi=(scan.dpi, scan.dpi))
        elif scan.out == "png":
            images[0].convert("L").save(path, "PNG", optimize=True, dpi=(scan.dpi, scan.dpi))
        else:
            images[0].save(
                path, "TIFF", save_all=True, append_images=images[1:], compression="tiff_lzw", dpi=(scan.dpi, scan.dpi)
            )
        ocr_pages = list(range(1, len(pages) + 1))
    src.close()
    gold.update(
        sample=scan.name,
        file=path.name,
        note=f"{scan.note} (scan of {scan.source})",
        needs_ocr_pages=[],
        ocr_pages=ocr_pages,
        source=scan.source,
        dpi=scan.dpi,
    )
    if scan.pages:
        # only part of the report is scanned: its cells are those of the tables on those pages
        gold["partial_report"] = True
    gold.pop("records", None)
    return gold


def _strip_unicode_maps(src: Path, dst: Path) -> None:
    """Blank out every font's /ToUnicode reference (same length, so the xref offsets stay valid)."""
    data = src.read_bytes()
    data = re.sub(rb"/ToUnicode \d+ 0 R", lambda m: b" " * len(m.group(0)), data)
    dst.write_bytes(data)


def _mixed(src: pdfium.PdfDocument, scan: Scan, path: Path, rng: random.Random, nrng: np.random.Generator) -> None:
    """Pages in ``keep_text`` copied as they are; the others replaced by a scanned image."""
    out = pdfium.PdfDocument.new()
    for i in range(len(src)):
        p = i + 1
        if p in scan.keep_text:
            out.import_pages(src, [i])
            continue
        w, h = src[i].get_size()
        img = _jpeg(degrade(render(src, i, scan.dpi, False), scan, p, rng, nrng), scan.jpeg)
        page = out.new_page(w, h)
        obj = pdfium.PdfImage.new(out)
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=scan.jpeg)
        buf.seek(0)
        obj.load_jpeg(buf, inline=False)
        obj.set_matrix(pdfium.PdfMatrix().scale(w, h))
        page.insert_obj(obj)
        page.gen_content()
    out.save(str(path))


def main() -> None:
    import argparse

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "names", nargs="*", help="only these scans (default: all; rebuilt PDFs differ in their creation date only)"
    )
    args = ap.parse_args()
    for scan in SCANS:
        if args.names and scan.name not in args.names:
            continue
        gold = make(scan)
        (GOLDEN / f"{scan.name}.json").write_text(
            json.dumps(gold, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        size = (HERE / gold["file"]).stat().st_size
        print(f"{scan.name}: {gold['file']} {size // 1024} KB, OCR pages {gold['ocr_pages']}")


if __name__ == "__main__":
    main()
