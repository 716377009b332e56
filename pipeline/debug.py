"""``--debug-dir``: pages rendered with what the pipeline saw drawn on them.

Blue: text lines outside tables. Green: table cells (merged cells once, with
their span). Red: cells that became canonical values, labelled with their code.
Orange: boxes named by findings. One PNG per page that has any of these.
"""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
from PIL import ImageDraw

from pipeline.model import BBox, DocumentResult

SCALE = 2.0  # pixels per PDF point in the debug images


def _px(b: BBox) -> tuple[float, float, float, float]:
    return (b.x0 * SCALE, b.top * SCALE, b.x1 * SCALE, b.bottom * SCALE)


def draw_debug_pages(doc: DocumentResult, out_dir: Path) -> list[Path]:
    if doc.kind != "pdf":
        return []
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    pdf = pdfium.PdfDocument(doc.path)
    try:
        for page in doc.pages:
            img = pdf[page.number - 1].render(scale=SCALE).to_pil().convert("RGB")
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
                    d.text(
                        (t.bbox.x0 * SCALE, t.bbox.top * SCALE - 12),
                        f"table {t.index} {t.kind or ''} {t.method}",
                        fill=(0, 120, 0),
                    )
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
    finally:
        pdf.close()
    return written
