"""Per-page triage of a PDF through pypdfium2: is the text layer trustworthy?

pypdfium2 reads a page's glyphs and objects about 10-50x faster than pdfminer,
so every page goes through here first; only pages that hold tables are handed
to pdfplumber (see :mod:`extractors.pdf`). The verdict names its reason so that a
page routed to OCR can be explained to a user.
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from nianbao.model import BBox, Word
from nianbao.settings import Settings

# Words that only appear where the format's (or an embedded) table is printed.
TABLE_HINTS = (
    "信息内容",
    "本年新收",
    "结果维持",
    "第二十条",
    "申请人情况",
    "尚未审结",
    "序号",
)


@dataclass(slots=True)
class PageTriage:
    number: int
    width: float
    height: float
    glyphs: list[Word] = field(default_factory=list)
    text: str = ""
    n_paths: int = 0
    image_cover: float = 0.0
    bad_glyphs: int = 0
    doubled: int = 0
    # ruling lines as pdfplumber-style edge dicts (x0, x1, top, bottom, orientation), top-left origin
    edges: list[dict[str, float | str]] = field(default_factory=list)
    trusted: bool = True
    reason: str | None = None
    has_table: bool = False


def _is_bad(u: int) -> bool:
    return u in (0, 0xFFFD) or 0xE000 <= u <= 0xF8FF or (u < 0x20 and u not in (9, 10, 13))


def dedupe(glyphs: list[Word], tol: float = 1.0) -> tuple[list[Word], int]:
    """Drop glyphs drawn twice at (almost) the same place — fake bold.

    Only an identical glyph overlapping an already kept one within ``tol`` points
    is dropped, the same rule pdfplumber's ``dedupe_chars`` applies.
    """
    kept: list[Word] = []
    seen: dict[tuple[str, int, int], list[Word]] = {}
    dropped = 0
    for g in glyphs:
        key = (g.text, int(g.bbox.x0 // 4), int(g.bbox.top // 4))
        dup = False
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for k in seen.get((key[0], key[1] + dx, key[2] + dy), ()):
                    if abs(k.bbox.x0 - g.bbox.x0) <= tol and abs(k.bbox.top - g.bbox.top) <= tol:
                        dup = True
                        break
        if dup:
            dropped += 1
            continue
        kept.append(g)
        seen.setdefault(key, []).append(g)
    return kept, dropped


def triage(page: pdfium.PdfPage, number: int, settings: Settings) -> PageTriage:
    width, height = page.get_size()
    t = PageTriage(number, float(width), float(height))
    tp = page.get_textpage()
    try:
        n = tp.count_chars()
        raw: list[Word] = []
        bad = 0
        chars: list[str] = []
        for i in range(n):
            if pdfium_c.FPDFText_IsGenerated(tp.raw, i) == 1:
                continue
            u = pdfium_c.FPDFText_GetUnicode(tp.raw, i)
            if u in (10, 13):
                continue
            if _is_bad(u) or pdfium_c.FPDFText_HasUnicodeMapError(tp.raw, i) == 1:
                bad += 1
                continue
            ch = chr(u)
            chars.append(ch)
            if ch.isspace():
                continue
            left, bottom, right, top = tp.get_charbox(i, loose=True)
            raw.append(Word(ch, BBox(left, height - top, right, height - bottom)))
        t.glyphs, t.doubled = dedupe(raw)
        t.text = "".join(chars)
        t.bad_glyphs = bad
    finally:
        tp.close()

    page_area = max(width * height, 1.0)
    covered = 0.0
    for kind, obj in _drawn_objects(page):
        if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            t.n_paths += 1
            t.edges.extend(_edges_of(obj, height))
        else:
            left, bottom, right, top = _bounds(obj)
            covered += max(0.0, right - left) * max(0.0, top - bottom)
    t.image_cover = min(covered / page_area, 1.0)

    n_glyphs = len(t.glyphs) + t.bad_glyphs
    if n_glyphs < settings.min_chars and t.image_cover >= settings.image_cover:
        t.trusted, t.reason = False, f"image page: {t.image_cover:.0%} of the page is an image, {n_glyphs} characters"
    elif n_glyphs == 0:
        t.trusted, t.reason = False, "no text layer: the page has no characters"
    elif n_glyphs and t.bad_glyphs / n_glyphs > settings.max_bad_glyph_share:
        t.trusted, t.reason = (
            False,
            f"glyphs without a Unicode map: {t.bad_glyphs} of {n_glyphs} characters",
        )
    t.has_table = t.trusted and (t.n_paths >= 6 or any(h in t.text for h in TABLE_HINTS))
    return t


_DRAWN = (pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_IMAGE)


def _drawn_objects(page: pdfium.PdfPage) -> Iterator[tuple[int, Any]]:
    """(type, raw handle) of the page's paths and images, and those of the forms drawn on it, one
    level down (what ``get_objects(max_depth=2)`` walks). Raw handles: most of a text page's
    objects are text, and wrapping each one in a helper object took a quarter of the triage."""

    def walk(parent: Any, count: Any, get: Any, level: int) -> Iterator[tuple[int, Any]]:
        for i in range(count(parent)):
            obj = get(parent, i)
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            if kind in _DRAWN:
                yield kind, obj
            elif kind == pdfium_c.FPDF_PAGEOBJ_FORM and level == 0:
                yield from walk(obj, pdfium_c.FPDFFormObj_CountObjects, pdfium_c.FPDFFormObj_GetObject, 1)

    return walk(page.raw, pdfium_c.FPDFPage_CountObjects, pdfium_c.FPDFPage_GetObject, 0)


def _bounds(obj: Any) -> tuple[float, float, float, float]:
    """Left, bottom, right, top of a raw page object, PDF coordinates (bottom-left origin)."""
    left, bottom, right, top = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    if not pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
        return 0.0, 0.0, 0.0, 0.0
    return left.value, bottom.value, right.value, top.value


def _edges_of(obj: Any, page_height: float) -> list[dict[str, float | str]]:
    """Ruling edges of one path object, from its bounds.

    A thin path is one line (a stroked segment, or a filled hairline rectangle as
    Word exports draw borders); a stroked rectangle of 4-5 segments is four
    edges. Other shapes (seals, logos, fills) draw no rules.
    """
    left, bottom, right, top = _bounds(obj)
    w, h = right - left, top - bottom
    y_top = page_height - top
    thin = 2.5
    # a thin path's line runs its whole length, as pdfplumber (the reference engine) takes a
    # rectangle's sides: shortened by half its thickness, the line under a browser's double cell
    # border (two borders 2.2 pt apart) ended 3.2 pt short of the column rule and the header cells
    # above it merged with the cell below
    if h <= thin and w > 3 * h:
        y = y_top + h / 2
        return [_edge(left, right, y, y, "h")]
    if w <= thin and h > 3 * w:
        x = left + w / 2
        return [_edge(x, x, y_top, y_top + h, "v")]
    n_seg = pdfium_c.FPDFPath_CountSegments(obj)
    fill = ctypes.c_int(0)
    stroke = ctypes.c_int(0)
    pdfium_c.FPDFPath_GetDrawMode(obj, fill, stroke)
    if stroke.value and n_seg in (4, 5) and w > 3 and h > 3:
        yb = y_top + h
        return [
            _edge(left, right, y_top, y_top, "h"),
            _edge(left, right, yb, yb, "h"),
            _edge(left, left, y_top, yb, "v"),
            _edge(right, right, y_top, yb, "v"),
        ]
    return []


def _edge(x0: float, x1: float, top: float, bottom: float, orientation: str) -> dict[str, float | str]:
    return {
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "width": x1 - x0,
        "height": bottom - top,
        "orientation": orientation,
    }
