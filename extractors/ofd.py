"""OFD (GB/T 33190-2016, 版式文档) → pages of positioned glyphs and ruling lines, like a text PDF.

An OFD file is a zip of XML: ``OFD.xml`` names the document's root (``DocBody/DocRoot``), whose
``Document.xml`` lists the pages (``Pages/Page@BaseLoc``), template pages (``CommonData/TemplatePage``)
and resources (``PublicRes``, ``DocumentRes``: fonts, images). Each page's ``Content.xml`` holds layers
of ``TextObject`` (``Boundary``, ``Font``, ``Size``, ``CTM``, and ``TextCode`` with ``X``/``Y`` of its
first glyph's baseline and ``DeltaX``/``DeltaY`` between glyphs, ``g N V`` standing for N times V),
``PathObject`` (``AbbreviatedData`` of M/L/Q/B/A/C commands) and ``ImageObject`` (a ``MultiMedia``
resource). Units are millimetres with the origin at the top-left, y down: the product's coordinate
convention once scaled to points (:mod:`nianbao.model`).

Text pages become glyph :class:`Word`\\ s and edges and go through the PDF route's table finder
(:func:`nianbao.extractors.pdf.find_tables`); a page with images and no text is a scan and goes to OCR
with the page rendered from its images (:func:`render_page`). Template pages are drawn under their
page, in drawing order. Signatures and seals (``Signs``) are not content. Read with the standard
library's zip and XML modules only; a container is checked for what it unpacks to before anything
is unpacked.
"""

from __future__ import annotations

import io
import posixpath
import re
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

from nianbao.errors import InputError
from nianbao.extractors.docx import check_unzipped_size
from nianbao.extractors.grid import text_lines
from nianbao.extractors.pdf import _outside, find_tables, ocr_page
from nianbao.extractors.textlayer import _edge
from nianbao.model import BBox, DocumentResult, Page, Word
from nianbao.settings import Settings

PT_PER_MM = 72 / 25.4
_NUM = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
# how much of the font size a glyph's box takes above and below the baseline
_ASCENT, _DESCENT = 0.86, 0.14


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(el: ET.Element, name: str) -> ET.Element | None:
    return next((c for c in el if _local(c.tag) == name), None)


def _children(el: ET.Element, name: str) -> list[ET.Element]:
    return [c for c in el if _local(c.tag) == name]


def _floats(text: str | None) -> list[float]:
    return [float(x) for x in _NUM.findall(text or "")]


def _origin(el: ET.Element) -> tuple[float, float]:
    """Where an object's Boundary starts: its own coordinates count from there."""
    v = _floats(el.get("Boundary"))
    return (v[0], v[1]) if len(v) >= 2 else (0.0, 0.0)


def deltas(text: str | None) -> list[float]:
    """A DeltaX/DeltaY list with the ``g N V`` repeats expanded."""
    out: list[float] = []
    toks = (text or "").split()
    i = 0
    while i < len(toks):
        if toks[i] == "g" and i + 2 < len(toks):
            out += [float(toks[i + 2])] * int(float(toks[i + 1]))
            i += 3
        else:
            out.append(float(toks[i]))
            i += 1
    return out


@dataclass(frozen=True, slots=True)
class Ctm:
    """A transformation (a b c d e f): x' = a x + c y + e, y' = b x + d y + f."""

    a: float = 1.0
    b: float = 0.0
    c: float = 0.0
    d: float = 1.0
    e: float = 0.0
    f: float = 0.0

    @classmethod
    def parse(cls, text: str | None) -> Ctm:
        v = _floats(text)
        return cls(*v[:6]) if len(v) >= 6 else cls()

    def apply(self, x: float, y: float) -> tuple[float, float]:
        return self.a * x + self.c * y + self.e, self.b * x + self.d * y + self.f

    @property
    def scale(self) -> float:
        return float(abs(self.a * self.d - self.b * self.c) ** 0.5) or 1.0


@dataclass(slots=True)
class OfdPage:
    number: int
    width: float  # mm
    height: float
    glyphs: list[Word] = field(default_factory=list)  # boxes in points
    edges: list[dict[str, Any]] = field(default_factory=list)  # in points, pdfplumber's edge shape
    images: list[tuple[BBox, str]] = field(default_factory=list)  # (box in points, media path in the zip)

    @property
    def has_text(self) -> bool:
        return any(g.text.strip() for g in self.glyphs)


class OfdReader:
    """The pages of one OFD package: resources resolved, templates merged, in drawing order."""

    def __init__(self, path: Path, settings: Settings) -> None:
        if not zipfile.is_zipfile(path):
            raise InputError("not a readable OFD file (not a zip package)")
        check_unzipped_size(path, settings.max_unzipped_mb)
        self.zip = zipfile.ZipFile(path)
        # part name without a leading "/" -> the name as stored (some producers store "/Doc_0/…")
        self.names = {n.lstrip("/"): n for n in self.zip.namelist()}
        ofd = self._xml("OFD.xml", "the package has no OFD.xml: not an OFD file")
        body = next((b for b in ofd.iter() if _local(b.tag) == "DocBody"), None)
        root = _child(body, "DocRoot") if body is not None else None
        if root is None or not (root.text or "").strip():
            raise InputError("OFD.xml names no DocRoot: the package holds no document")
        self.doc_path = self._resolve("", root.text or "")
        self.base = posixpath.dirname(self.doc_path)
        doc = self._xml(self.doc_path, f"the document {self.doc_path} named by DocRoot is missing")
        common = _child(doc, "CommonData")
        self.default_box = self._box(common) if common is not None else (0.0, 0.0, 210.0, 297.0)
        self.fonts: set[str] = set()
        self.media: dict[str, str] = {}
        self.templates: dict[str, str] = {}
        if common is not None:
            for res_name in ("PublicRes", "DocumentRes"):
                for res in _children(common, res_name):
                    self._load_res(self._resolve(self.base, res.text or ""))
            for tpl in _children(common, "TemplatePage"):
                self.templates[tpl.get("ID", "")] = self._resolve(self.base, tpl.get("BaseLoc", ""))
        pages_el = _child(doc, "Pages")
        self.pages = [
            (p.get("ID", ""), self._resolve(self.base, p.get("BaseLoc", "")))
            for p in (_children(pages_el, "Page") if pages_el is not None else [])
        ]
        if not self.pages:
            raise InputError("the OFD document has no pages")

    def close(self) -> None:
        self.zip.close()

    # -- the package ---------------------------------------------------------------------------
    def _resolve(self, base: str, loc: str) -> str:
        loc = loc.strip()
        path = loc.lstrip("/") if loc.startswith("/") else posixpath.join(base, loc)
        return posixpath.normpath(path)

    def _xml(self, name: str, missing: str) -> ET.Element:
        if name not in self.names:
            raise InputError(missing)
        data = self.zip.read(self.names[name])
        if b"<!DOCTYPE" in data[:2048] or b"<!ENTITY" in data[:4096]:
            # XML entities are a billion-laughs and external-entity door: an OFD part has no DTD
            raise InputError(f"{name}: declares a DTD or entities, which OFD parts never do")
        try:
            return ET.fromstring(data)
        except ET.ParseError as e:
            raise InputError(f"{name}: broken XML ({e})") from e

    def _load_res(self, name: str) -> None:
        if name not in self.names:
            raise InputError(f"the resource file {name} named by Document.xml is missing")
        res = self._xml(name, "")
        base = self._resolve(posixpath.dirname(name), res.get("BaseLoc", ""))
        for el in res.iter():
            tag = _local(el.tag)
            if tag == "Font":
                self.fonts.add(el.get("ID", ""))
            elif tag == "MultiMedia":
                media = _child(el, "MediaFile")
                if media is not None and media.text:
                    self.media[el.get("ID", "")] = self._resolve(base, media.text)

    def _box(self, el: ET.Element) -> tuple[float, float, float, float]:
        area = _child(el, "PageArea")
        if area is None:
            area = _child(el, "Area")
        phys = _child(area, "PhysicalBox") if area is not None else None
        v = _floats(phys.text if phys is not None else None)
        return (v[0], v[1], v[2], v[3]) if len(v) == 4 else self.default_box

    # -- pages ---------------------------------------------------------------------------------
    def page(self, number: int) -> OfdPage:
        _, loc = self.pages[number - 1]
        root = self._xml(loc, f"page {number}: its content {loc} is missing")
        area = _child(root, "Area")
        box = self._box(root) if area is not None else self.default_box
        page = OfdPage(number, box[2], box[3])
        for tpl in _children(root, "Template"):
            tloc = self.templates.get(tpl.get("TemplateID", ""))
            if tloc is None:
                raise InputError(f"page {number}: template {tpl.get('TemplateID')} is not in the document")
            self._objects(self._xml(tloc, f"page {number}: its template {tloc} is missing"), page)
        self._objects(root, page)
        return page

    def _objects(self, root: ET.Element, page: OfdPage) -> None:
        content = _child(root, "Content")
        if content is None:
            return
        for el in content.iter():
            tag = _local(el.tag)
            if tag == "TextObject":
                self._text(el, page)
            elif tag == "PathObject":
                self._path(el, page)
            elif tag == "ImageObject":
                self._image(el, page)

    def _text(self, el: ET.Element, page: OfdPage) -> None:
        font = el.get("Font", "")
        if font and font not in self.fonts:
            raise InputError(f"page {page.number}: font {font} of a TextObject is not among the document's resources")
        bx, by = _origin(el)
        ctm = Ctm.parse(el.get("CTM"))
        size = float(el.get("Size", "3.5")) * ctm.scale
        for code in _children(el, "TextCode"):
            text = code.text or ""
            x, y = float(code.get("X", "0")), float(code.get("Y", "0"))
            dx, dy = deltas(code.get("DeltaX")), deltas(code.get("DeltaY"))
            for i, ch in enumerate(text):
                gx, gy = ctm.apply(x, y)
                # the glyph's advance: to the next glyph, else its usual width (CJK full, Latin half)
                adv = dx[i] * ctm.scale if i < len(dx) else size * (1.0 if ord(ch) > 0x2E80 else 0.5)
                vertical = i < len(dy) and not dx
                width = size if vertical else min(max(adv, size * 0.3), size * (1.0 if ord(ch) > 0x2E80 else 0.6))
                x0, base = bx + gx, by + gy
                if ch.strip():
                    page.glyphs.append(
                        Word(
                            ch,
                            BBox(
                                x0 * PT_PER_MM,
                                (base - size * _ASCENT) * PT_PER_MM,
                                (x0 + width) * PT_PER_MM,
                                (base + size * _DESCENT) * PT_PER_MM,
                            ),
                        )
                    )
                if i < len(dx):
                    x += dx[i]
                if i < len(dy):
                    y += dy[i]

    def _path(self, el: ET.Element, page: OfdPage) -> None:
        if el.get("Stroke", "true") == "false" and el.get("Fill", "false") != "true":
            return
        bx, by = _origin(el)
        ctm = Ctm.parse(el.get("CTM"))
        data = _child(el, "AbbreviatedData")
        toks = (data.text or "").split() if data is not None else []
        cur: tuple[float, float] | None = None
        start: tuple[float, float] | None = None
        args = {"S": 2, "M": 2, "L": 2, "Q": 4, "B": 6, "A": 7, "C": 0}
        i = 0
        while i < len(toks):
            op = toks[i]
            n = args.get(op)
            if n is None:
                i += 1
                continue
            nums = [float(t) for t in toks[i + 1 : i + 1 + n]] if n else []
            i += 1 + n
            if op in ("S", "M"):
                cur = start = (nums[0], nums[1])
            elif op == "L" and cur is not None:
                nxt = (nums[0], nums[1])
                self._segment(page, bx, by, ctm, cur, nxt)
                cur = nxt
            elif op in ("Q", "B", "A") and len(nums) >= 2:
                cur = (nums[-2], nums[-1])  # curves are no ruling lines
            elif op == "C" and cur is not None and start is not None:
                self._segment(page, bx, by, ctm, cur, start)
                cur = start

    def _segment(
        self, page: OfdPage, bx: float, by: float, ctm: Ctm, p: tuple[float, float], q: tuple[float, float]
    ) -> None:
        (x0, y0), (x1, y1) = ctm.apply(*p), ctm.apply(*q)
        x0, x1, y0, y1 = (bx + x0) * PT_PER_MM, (bx + x1) * PT_PER_MM, (by + y0) * PT_PER_MM, (by + y1) * PT_PER_MM
        if abs(y1 - y0) < 0.5:
            y = (y0 + y1) / 2
            page.edges.append(_edge(min(x0, x1), max(x0, x1), y, y, "h"))
        elif abs(x1 - x0) < 0.5:
            x = (x0 + x1) / 2
            page.edges.append(_edge(x, x, min(y0, y1), max(y0, y1), "v"))

    def _image(self, el: ET.Element, page: OfdPage) -> None:
        media = self.media.get(el.get("ResourceID", ""))
        if media is None:
            raise InputError(f"page {page.number}: image resource {el.get('ResourceID')} is not in the document")
        v = _floats(el.get("Boundary"))
        if len(v) == 4:
            box = BBox(v[0] * PT_PER_MM, v[1] * PT_PER_MM, (v[0] + v[2]) * PT_PER_MM, (v[1] + v[3]) * PT_PER_MM)
            page.images.append((box, media))

    def image_bytes(self, media: str) -> bytes:
        if media not in self.names:
            raise InputError(f"the image {media} is missing from the package")
        return self.zip.read(self.names[media])


def render_page(reader: OfdReader, page: OfdPage, dpi: float, *, text: bool = False) -> np.ndarray:
    """The page as RGB pixels: its images where they stand, its rules, and (``text``) its glyphs."""
    from PIL import Image, ImageDraw

    k = dpi / 72
    w, h = max(1, int(page.width * PT_PER_MM * k)), max(1, int(page.height * PT_PER_MM * k))
    canvas = Image.new("RGB", (w, h), "white")
    for box, media in page.images:
        try:
            img = Image.open(io.BytesIO(reader.image_bytes(media))).convert("RGB")
        except OSError as e:
            raise InputError(f"page {page.number}: the image {media} cannot be decoded ({e})") from e
        size = (max(1, int(box.width * k)), max(1, int(box.height * k)))
        canvas.paste(img.resize(size), (int(box.x0 * k), int(box.top * k)))
    draw = ImageDraw.Draw(canvas)
    for edge in page.edges:
        ends = [(edge["x0"] * k, edge["top"] * k), (edge["x1"] * k, edge["bottom"] * k)]
        draw.line(ends, fill="black", width=max(1, int(k)))
    if text and page.glyphs:
        font = _font(int(max(8, (page.glyphs[0].bbox.height) * k * 0.85)))
        for g in page.glyphs:
            draw.text((g.bbox.x0 * k, g.bbox.top * k), g.text, fill="black", font=font)
    return np.asarray(canvas)


def page_image(path: str | Path, number: int, dpi: float) -> Any:
    """One page of an OFD file drawn as a PIL image (debug images, report crops)."""
    from PIL import Image

    reader = OfdReader(Path(path), Settings())
    try:
        return Image.fromarray(render_page(reader, reader.page(number), dpi, text=True))
    finally:
        reader.close()


def _font(px: int) -> Any:
    from PIL import ImageFont

    for path in ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", "/usr/share/fonts/truetype/arphic/uming.ttc"):
        try:
            return ImageFont.truetype(path, px)
        except OSError:
            continue
    return ImageFont.load_default()


def extract_ofd(doc: DocumentResult, settings: Settings) -> DocumentResult:
    reader = OfdReader(Path(doc.path), settings)
    try:
        if len(reader.pages) > settings.max_pages:
            raise InputError(f"more than {settings.max_pages} pages ({len(reader.pages)})")
        for number in range(1, len(reader.pages) + 1):
            op = reader.page(number)
            page = Page(number, op.width * PT_PER_MM, op.height * PT_PER_MM)
            if not op.has_text and op.images:
                # a scanned page: the images rendered as the page, then OCR like a scanned PDF
                page.reason = "an OFD page holding images and no text"
                ocr_page(doc, page, partial(render_page, reader, op, settings.ocr_dpi), settings.ocr_dpi, settings)
            else:
                find_tables(op.glyphs, op.edges, number, page.width, doc)
                page.has_table = any(g.page == number for g in doc.tables)
                page.lines = text_lines(_outside(op.glyphs, doc.tables, number), number)
                page.words = list(op.glyphs)
            doc.pages.append(page)
    finally:
        reader.close()
    return doc
