"""What the auditor's reports show, gathered once from a run's output folder.

:func:`gather` reads what ``nianbao extract`` wrote (the datasets and each document's JSON) and
returns one :class:`Filing` per document: its metadata, its tables 二/三/四 laid out as the form
prints them (:func:`nianbao.form.templates.layout`), and its findings, each with the page
crop that shows the cells it names. The HTML report (:mod:`nianbao.pipeline.report_html`) and
the workbook (:mod:`nianbao.pipeline.report_xlsx`) only draw these.

Page crops come from the original files, which must still be where ``documents.path`` says;
a filing whose file has moved or changed says so instead of showing a wrong page.
"""

from __future__ import annotations

import base64
import io
import json
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from PIL import Image, ImageDraw

from nianbao.catalogue import CATALOGUE
from nianbao.form.templates import Section, layout
from nianbao.model import BBox
from nianbao.pipeline.reading import Outputs
from nianbao.pipeline.reading import open as open_run

TABLES = ("t2", "t3", "t4")
TABLE_ZH = {
    "t2": "二、主动公开政府信息情况",
    "t3": "三、收到和处理政府信息公开申请情况",
    "t4": "四、行政复议、行政诉讼情况",
}
CROP_SCALE = 1.5  # pixels per PDF point in page crops (108 DPI: digits legible, files small)
CROP_MAX_WIDTH = 760
# crops are stored as 2-bit grey PNGs: printed forms are black on white, four grey levels keep digits
# and strokes legible (anti-aliasing included), and a crop is a quarter of a colour JPEG's size
# (measured on the samples: 55 KB against 220 KB), which is what keeps a 5,000-filing report small
GREYS = 4
MAX_CROPS_PER_FILING = 30  # a filing read wrong everywhere would otherwise fill the report with its pages
PAGED = ("pdf", "image", "ofd")  # kinds whose pages can be drawn (crops); the others have no page


@dataclass(slots=True)
class Cell:
    value: float | None
    raw: str
    source: str | None = None
    confidence: float | None = None
    page: int | None = None
    bbox: BBox | None = None
    note: str | None = None  # a corrected cell's note ("corrected by hand: …")


@dataclass(slots=True)
class Issue:
    """A finding as a report shows it."""

    key: str  # stable across regenerations: doc_id|rule|cells (the reviewed marks are kept by it)
    rule: str
    severity: str
    title_zh: str
    message: str
    message_zh: str
    expected: str
    printed: str
    table: str
    cells: list[str]  # table.row.col
    page: int | None
    source: str  # text | ocr | text+ocr | "" (no cell)
    confidence: float | None  # the lowest of its cells (OCR)
    crop: int | None = None  # index into Filing.crops: the page band that shows its cells
    boxes: list[tuple[float, float, float, float]] = field(default_factory=list)  # cells in the band, 0..1
    crop_note: str = ""  # why there is no crop
    bbox: BBox | None = None  # where the finding itself points (rows of embedded tables, lines of text)


@dataclass(slots=True)
class Filing:
    doc_id: str
    path: str
    kind: str
    title: str
    body: str
    level: str
    region: str
    year: int | None
    format: str
    pages: int | None
    status: str
    error: str
    n_errors: int
    n_warnings: int
    duplicate_of: str = ""  # another copy of the same report counts (see pipeline/collection.py)
    tables: dict[str, dict[str, Cell]] = field(default_factory=dict)  # table -> "row.col" -> cell
    # each table's own format: a filing may print table 三 in the 2021 form and table 二 in the 2019 one
    table_formats: dict[str, str] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    # page bands (PNG) shared by the findings on one table of one page; each finding outlines its cells
    crops: list[bytes] = field(default_factory=list)
    note: str = ""  # e.g. the original file is gone: no page crops

    def format_of(self, table: str) -> str | None:
        return self.table_formats.get(table) or self.format or None

    def sections(self, table: str) -> tuple[Section, ...]:
        return layout(table, self.format_of(table))

    @property
    def flagged(self) -> dict[str, list[Issue]]:
        """ "table.row.col" -> the findings that name it."""
        out: dict[str, list[Issue]] = {}
        for i in self.issues:
            for c in i.cells:
                out.setdefault(c, []).append(i)
        return out


def _s(v: Any) -> str:
    """A dataset value as text; missing (None, NaN, pandas' NA) as ""."""
    if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and math.isnan(v)):
        return ""
    return str(v)


def _num(v: Any) -> float | None:
    s = _s(v)
    return float(s) if s else None


def _int(v: Any) -> int | None:
    s = _s(v)
    return int(float(s)) if s else None


def gather(out_dir: Path, *, crops: bool = True) -> Iterator[Filing]:
    """One Filing per document of the run in ``out_dir``, ordered by body, year and path."""
    run: Outputs = open_run(out_dir)
    docs = run.documents.sort_values(["body", "year", "path"], na_position="last")
    values = run.disclosure.groupby("doc_id", sort=False) if len(run.disclosure) else None
    findings = run.findings.groupby("doc_id", sort=False) if len(run.findings) else None
    value_groups = dict(iter(values)) if values is not None else {}
    finding_groups = dict(iter(findings)) if findings is not None else {}
    for d in docs.itertuples(index=False):
        f = Filing(
            doc_id=_s(d.doc_id),
            path=_s(d.path),
            kind=_s(d.kind),
            title=_s(d.title),
            body=_s(d.body),
            level=_s(d.level),
            region=_s(d.region),
            year=_int(d.year),
            format=_s(d.format),
            pages=_int(d.pages),
            status=_s(d.status),
            error=_s(d.error),
            n_errors=_int(d.n_errors) or 0,
            n_warnings=_int(d.n_warnings) or 0,
            duplicate_of=_s(d.duplicate_of),
        )
        vals = value_groups.get(f.doc_id)
        if vals is not None:
            for v in vals.itertuples(index=False):
                box = None
                x0, top, x1, bottom = (_num(v.x0), _num(v.top), _num(v.x1), _num(v.bottom))
                if x0 is not None and top is not None and x1 is not None and bottom is not None:
                    box = BBox(x0, top, x1, bottom)
                if _s(v.format):
                    f.table_formats.setdefault(_s(v.table), _s(v.format))
                f.tables.setdefault(_s(v.table), {})[f"{v.row}.{v.col}"] = Cell(
                    _num(v.value),
                    _s(v.raw),
                    _s(v.source) or None,
                    _num(v.confidence),
                    _int(v.page),
                    box,
                    _s(v.note) or None,
                )
        rows = finding_groups.get(f.doc_id)
        if rows is not None:
            for r in rows.itertuples(index=False):
                f.issues.append(_issue(f, r))
        f.issues.sort(key=lambda i: ({"error": 0, "warning": 1}.get(i.severity, 2), i.table, i.rule))
        if crops:
            _add_crops(f, out_dir)
        yield f


def _box(r: Any) -> BBox | None:
    x0, top, x1, bottom = (_num(r.x0), _num(r.top), _num(r.x1), _num(r.bottom))
    if x0 is None or top is None or x1 is None or bottom is None:
        return None
    return BBox(x0, top, x1, bottom)


def _issue(f: Filing, r: Any) -> Issue:
    cells = [c for c in _s(r.cells).split(";") if c]
    involved = [f.tables.get(c.split(".", 1)[0], {}).get(c.split(".", 1)[1]) for c in cells if "." in c]
    sources = sorted({c.source for c in involved if c is not None and c.source})
    confs = [c.confidence for c in involved if c is not None and c.confidence is not None and c.source == "ocr"]
    ftype = CATALOGUE.get(_s(r.rule))
    return Issue(
        key=f"{f.doc_id}|{_s(r.rule)}|{_s(r.cells) or _s(r.subject)}",
        rule=_s(r.rule),
        severity=_s(r.severity),
        title_zh=ftype.title_zh if ftype is not None else "",
        message=_s(r.message),
        message_zh=_s(r.message_zh) or _s(r.message),
        expected=_s(r.expected),
        printed=_s(r.printed),
        table=_s(r.table),
        cells=cells,
        page=_int(r.page),
        source="+".join(sources),
        confidence=min(confs) if confs else None,
        bbox=_box(r),
    )


# ------------------------------------------------------------------------------------ page crops
def _doc_pages(out_dir: Path, doc_id: str) -> dict[int, dict[str, Any]]:
    try:
        data = json.loads((out_dir / "documents" / f"{doc_id}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {p["number"]: p for p in data.get("pages", [])}


def _add_crops(f: Filing, out_dir: Path) -> None:
    wanted = [i for i in f.issues if (i.cells or i.bbox) and i.page is not None][:MAX_CROPS_PER_FILING]
    for i in f.issues:
        if (i.cells or i.bbox) and i.page is None:
            i.crop_note = "无页面图像（文本来源）" if f.kind not in PAGED else "单元格无位置"
    if not wanted:
        return
    if f.kind not in PAGED:
        return
    path = Path(f.path)
    if not path.is_file():
        f.note = f"原文件不在 {f.path}：无法显示页面截图 (the original file is not where documents.path says)"
        for i in wanted:
            i.crop_note = "原文件已移动或删除"
        return
    pages = _doc_pages(out_dir, f.doc_id)
    # the cells each finding names, on its page
    located: dict[int, list[BBox]] = {}
    for n, i in enumerate(wanted):
        boxes = [
            c.bbox
            for ref in i.cells
            if "." in ref
            and (c := f.tables.get(ref.split(".", 1)[0], {}).get(ref.split(".", 1)[1])) is not None
            and c.bbox is not None
            and c.page == i.page
        ]
        if not boxes and i.bbox is not None:
            boxes = [i.bbox]  # cells outside tables 二/三/四 (a project's row): the finding's own box
        if boxes:
            located[n] = boxes
        else:
            i.crop_note = "单元格无位置"
    # one band per table and page, across every finding's cells there: three findings on table 三
    # share one image (a 5,000-filing report stays small), each outlining its own cells
    bands: dict[tuple[int, str], list[int]] = {}
    for n in located:
        bands.setdefault((wanted[n].page or 0, wanted[n].table), []).append(n)
    images: dict[int, Image.Image | None] = {}
    for (page_no, _table), members in bands.items():
        if page_no not in images:
            images[page_no] = _page_image(path, f.kind, page_no, pages.get(page_no, {}))
        img = images[page_no]
        if img is None:
            for n in members:
                wanted[n].crop_note = "页面无法渲染"
            continue
        png, window = band(img, [b for n in members for b in located[n]])
        f.crops.append(png)
        for n in members:
            wanted[n].crop = len(f.crops) - 1
            wanted[n].boxes = [_within(b, window) for b in located[n]]
    for img in images.values():
        if img is not None:
            img.close()


def _within(b: BBox, window: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """A cell's box as fractions of the band (x0, top, x1, bottom in page points)."""
    x0, y0, x1, y1 = window
    w, h = x1 - x0, y1 - y0
    return (
        round((b.x0 - x0) / w, 4),
        round((b.top - y0) / h, 4),
        round((b.x1 - x0) / w, 4),
        round((b.bottom - y0) / h, 4),
    )


def _page_image(path: Path, kind: str, number: int, page: dict[str, Any]) -> Image.Image | None:
    """The page as the pipeline read it, at CROP_SCALE pixels per point (None when it cannot be drawn)."""
    import numpy as np

    from nianbao.pipeline.debug import as_read

    try:
        if kind == "pdf":
            import pypdfium2 as pdfium

            pdf = pdfium.PdfDocument(str(path))
            try:
                img = pdf[number - 1].render(scale=CROP_SCALE).to_pil().convert("RGB")
            finally:
                pdf.close()
        elif kind == "ofd":
            from nianbao.extractors.ofd import page_image

            img = page_image(path, number, CROP_SCALE * 72)
        else:
            from PIL import ImageSequence

            with Image.open(path) as im:
                frame = next(f for k, f in enumerate(ImageSequence.Iterator(im), 1) if k == number).convert("RGB")
            rot = page.get("rotation", 0)
            w, h = page.get("width"), page.get("height")
            if w and h:
                pw, ph = (h, w) if rot in (90, 270) else (w, h)
                frame = frame.resize((int(pw * CROP_SCALE), int(ph * CROP_SCALE)))
            img = frame
    except Exception:  # a file changed since the run, or a page that no longer renders: no crop, said so
        return None
    if page.get("route") == "ocr":
        img = as_read(np.asarray(img), int(page.get("rotation", 0)), float(page.get("skew", 0.0)))
    return img


def band(img: Image.Image, boxes: list[BBox]) -> tuple[bytes, tuple[float, float, float, float]]:
    """The page across the cells' rows (row labels included), as PNG; and its window in page points.

    The cells are not drawn into the image: each finding outlines its own on top of it.
    """
    s = CROP_SCALE
    top = min(b.top for b in boxes) * s - 28
    bottom = max(b.bottom for b in boxes) * s + 28
    left = min(b.x0 for b in boxes) * s
    right = max(b.x1 for b in boxes) * s
    # the whole width of the table's part of the page: the row labels sit left of the cells
    x0 = max(0.0, min(left - 40, img.width * 0.06))
    x1 = min(float(img.width), max(right + 40, img.width * 0.94))
    y0, y1 = max(0.0, top), min(float(img.height), bottom)
    part = img.crop((int(x0), int(y0), int(x1), int(y1))).convert("L")
    if part.width > CROP_MAX_WIDTH:
        part = part.resize((CROP_MAX_WIDTH, max(1, int(part.height * CROP_MAX_WIDTH / part.width))))
    step = 256 // GREYS
    grey = part.point(lambda v: (v // step) * (255 // (GREYS - 1))).quantize(GREYS)
    buf = io.BytesIO()
    grey.save(buf, format="PNG", optimize=True, bits=2)
    return buf.getvalue(), (int(x0) / s, int(y0) / s, int(x1) / s, int(y1) / s)


def outlined(png: bytes, boxes: list[tuple[float, float, float, float]]) -> Image.Image:
    """A band with a finding's cells drawn in red (for people and tests looking at one finding)."""
    img = Image.open(io.BytesIO(png)).convert("RGB")
    d = ImageDraw.Draw(img)
    for x0, y0, x1, y1 in boxes:
        d.rectangle((x0 * img.width, y0 * img.height, x1 * img.width, y1 * img.height), outline=(220, 20, 20), width=3)
    return img


def data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")
