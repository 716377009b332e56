"""Page images (PNG, JPEG, TIFF with one or more frames) → OCR'd pages.

The resolution comes from the file (its DPI tag) or, when the file has none,
from the image's size taken as an A4 page; boxes are PDF points as everywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image, ImageSequence, UnidentifiedImageError

from nianbao.errors import InputError
from nianbao.extractors.pdf import ocr_page
from nianbao.model import DocumentResult, Page
from nianbao.settings import Settings

A4_HEIGHT_IN = 11.69


def _dpi(img: Image.Image) -> float:
    dpi = img.info.get("dpi")
    if dpi and float(dpi[0]) >= 50:
        return float(dpi[0])
    # no usable tag: assume the longer side is an A4 page's height
    return max(img.size) / A4_HEIGHT_IN


def _constant(rgb: np.ndarray) -> Callable[[], np.ndarray]:
    return lambda: rgb


MIN_SIDE = 200  # pixels: smaller than a legible page at any resolution


def check_size(width: int, height: int, settings: Settings) -> None:
    """Refuse images that cannot be a page before any pixel is decoded: too small to hold text,
    or so large that decoding them would take gigabytes (a decompression bomb or a mistake)."""
    mp = width * height / 1e6
    if mp > settings.max_megapixels:
        raise InputError(f"image of {mp:,.0f} megapixels exceeds the {settings.max_megapixels:,.0f}-megapixel limit")
    if min(width, height) < MIN_SIDE:
        raise InputError(f"image of {width}×{height} pixels is too small to be a page of a report")


def extract_image(doc: DocumentResult, settings: Settings) -> DocumentResult:
    try:
        # the header alone: size checked before decoding (Pillow's own bomb guard would raise an
        # "internal error"-looking DecompressionBombError instead)
        Image.MAX_IMAGE_PIXELS = None
        img = Image.open(Path(doc.path))
        check_size(*img.size, settings)
        frames = []
        for f in ImageSequence.Iterator(img):
            check_size(*f.size, settings)
            frames.append(f.copy())
            if len(frames) > settings.max_pages:
                break
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as e:
        raise InputError(f"not a readable image ({e})") from e
    if len(frames) > settings.max_pages:
        raise InputError(f"more than {settings.max_pages} pages")
    for i, frame in enumerate(frames):
        dpi = _dpi(frame)
        rgb = np.asarray(frame.convert("RGB"))
        h, w = rgb.shape[:2]
        page = Page(i + 1, w * 72 / dpi, h * 72 / dpi, reason="an image file")
        ocr_page(doc, page, _constant(rgb), dpi, settings)
        doc.pages.append(page)
    return doc
