"""``--debug-dir``: pages rendered with what the pipeline saw drawn on them.

Blue: text lines outside tables. Green: table cells (merged cells once, thicker).
Red: cells that became canonical values. Orange: cells named by findings. OCR'd
pages are drawn upright and levelled, as the OCR route read them, so that boxes
fall on their text. One PNG per page.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageDraw, ImageSequence

from nianbao.extractors.ofd import page_image as ofd_page_image
from nianbao.model import BBox, DocumentResult

SCALE = 2.0  # pixels per PDF point in the debug images


def _px(b: BBox) -> tuple[float, float, float, float]:
    return (b.x0 * SCALE, b.top * SCALE, b.x1 * SCALE, b.bottom * SCALE)


def as_read(rgb: np.ndarray, rotation: int, skew: float) -> Image.Image:
    """The page image turned and levelled the way the OCR route read it (boxes are on this image)."""
    from nianbao.extractors.ocr import rotate

    if rotation in (90, 270):
        rgb = cv2.rotate(rgb, cv2.ROTATE_90_CLOCKWISE)
    if abs(skew) > 0.05:
        rgb = np.dstack([rotate(np.ascontiguousarray(rgb[:, :, i]), skew) for i in range(3)])
    if rotation in (180, 270):
        rgb = cv2.rotate(rgb, cv2.ROTATE_180)
    return Image.fromarray(rgb)


def _page_images(doc: DocumentResult) -> list[Image.Image]:
    if doc.kind == "ofd":
        return [ofd_page_image(doc.path, p.number, SCALE * 72) for p in doc.pages]
    if doc.kind == "pdf":
        pdf = pdfium.PdfDocument(doc.path)
        try:
            return [pdf[p.number - 1].render(scale=SCALE).to_pil().convert("RGB") for p in doc.pages]
        finally:
            pdf.close()
    frames = [f.convert("RGB") for f in ImageSequence.Iterator(Image.open(doc.path))]
    out = []
    for frame, page in zip(frames, doc.pages, strict=False):
        w, h = frame.size
        # the frame at the debug scale: its size in points is the page's before any turn
        pw, ph = (page.height, page.width) if page.rotation in (90, 270) else (page.width, page.height)
        out.append(frame.resize((int(pw * SCALE), int(ph * SCALE))) if (w, h) != (pw * SCALE, ph * SCALE) else frame)
    return out


def draw_debug_pages(doc: DocumentResult, out_dir: Path) -> list[Path]:
    if doc.kind not in ("pdf", "image", "ofd"):
        return []
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for page, img in zip(doc.pages, _page_images(doc), strict=False):
        if page.route == "ocr":
            img = as_read(np.asarray(img), page.rotation, page.skew)
        d = ImageDraw.Draw(img)
        for ln in page.lines:
            if ln.bbox is not None:
                d.rectangle(_px(ln.bbox), outline=(60, 120, 255))
        for t in doc.tables:
            if t.page != page.number:
                continue
            for c in t.cells:
                if c.bbox is not None:
                    d.rectangle(_px(c.bbox), outline=(0, 170, 0), width=2 if c.rowspan * c.colspan > 1 else 1)
            if t.bbox is not None:
                label = f"table {t.index} {t.kind or ''} {t.method} {t.source}"
                d.text((t.bbox.x0 * SCALE, t.bbox.top * SCALE - 12), label, fill=(0, 120, 0))
        for v in doc.values:
            if v.prov.page == page.number and v.prov.bbox is not None:
                d.rectangle(_px(v.prov.bbox), outline=(220, 0, 0))
        for f in doc.findings:
            for ref in f.cells:
                if ref.page == page.number and ref.bbox is not None:
                    d.rectangle(_px(ref.bbox), outline=(255, 140, 0), width=3)
        p = out_dir / f"{doc.doc_id}_p{page.number:03d}.png"
        img.save(p)
        written.append(p)
    return written
