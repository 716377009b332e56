"""A value's own ink on a page image: the crops its re-readings read, and under a seal its black ink.

Shared by the re-reading of failed sums and unchecked cells (:mod:`checks.ocr_verify`) and the
recovery of cells no reader found (:mod:`checks.ocr_recover`): each cuts a cell's crops round its
own digits, ruling lines turned to the paper first, in the page's pixels (PDF points times dpi/72).
"""

from __future__ import annotations

from typing import NamedTuple

import cv2
import numpy as np

from nianbao.model import BBox


class PageImage(NamedTuple):
    """An OCR'd page as it was read: its prepared grey image, resolution and seal zone, and
    where there was a seal, the page's plain luminance (see :func:`black_ink`)."""

    grey: np.ndarray
    dpi: float
    seal: np.ndarray | None = None
    luma: np.ndarray | None = None

    def sealed(self, bbox: BBox) -> bool:
        """True when red ink lay over the box (a seal's ring, characters or smear)."""
        if self.seal is None:
            return False
        k = self.dpi / 72
        y0, y1, x0, x1 = (max(0, int(v * k)) for v in (bbox.top, bbox.bottom, bbox.x0, bbox.x1))
        return bool(self.seal[y0 : y1 + 1, x0 : x1 + 1].any())


def variants(grey: np.ndarray, bbox: BBox, dpi: float) -> list[np.ndarray]:
    """The two re-reading crops of a value: the grey crop with its contrast stretched, and the
    crop binarised at twice the size. Both are cut round the value's own ink, found inside its
    box (a cell of a ruled table, or a word) with ruling lines turned to the paper first: a rule
    beside a digit reads as a 1."""
    return crops_of(own_ink(grey, bbox, dpi))


def crops_of(own: OwnInk) -> list[np.ndarray]:
    region, big_ink, (lo, paper), _ = own
    if region.size == 0:
        return [region, region]
    # ink to black, paper to white: a seal's pale smear or a shadow between them stays light
    # (stretched between the 2nd and 98th percentiles it turned as dark as the digits)
    stretched = np.clip((region.astype(np.float32) - lo) * 255.0 / max(paper - lo, 1.0), 0, 255).astype(np.uint8)
    return [np.ascontiguousarray(stretched), np.ascontiguousarray(255 - big_ink)]


def _levels(region: np.ndarray) -> tuple[float, float]:
    """The ink's level (the darkest percent) and the paper's (the median) of a crop."""
    lo, paper = np.percentile(region, (1, 50))
    return float(lo), float(paper)


def _ink_of(region: np.ndarray, levels: tuple[float, float]) -> np.ndarray:
    """Ink = 255: darker than halfway from the paper's level to the ink's. Otsu splits a crop in
    two classes whatever they are: a pale seal smear or a shadow covering more of the crop than
    the digits do becomes the ink class."""
    lo, paper = levels
    if paper - lo < 40:  # no ink darker than the paper: let Otsu find what there is
        return cv2.threshold(region, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)[1]
    return cv2.threshold(region, (lo + paper) / 2, 255, cv2.THRESH_BINARY_INV)[1]


class OwnInk(NamedTuple):
    """A value's own ink, cut from the page (see :func:`own_ink`)."""

    region: np.ndarray  # the grey crop round it, ruling lines turned to the paper
    ink: np.ndarray  # that crop's ink (255) at twice the size
    levels: tuple[float, float]  # ink's and paper's grey levels round it
    rect: tuple[int, int, int, int]  # where the crop lies on the page: y0, y1, x0, x1 (pixels)


def line_ink(grey: np.ndarray, bbox: BBox, dpi: float) -> np.ndarray:
    """The ink of a box's line, uncut (ruling lines turned to paper), at twice the size: a minus
    left of the digits is in it wherever it stands within the box."""
    k = dpi / 72
    x0, top, x1, bottom = (float(v) * k for v in (bbox.x0, bbox.top, bbox.x1, bbox.bottom))
    h = max(bottom - top, 4.0)
    # rules are found on the taller crop own_ink takes: in a crop 1.3 digits tall the stem of a 1
    # crosses three quarters of it and was taken for a column rule, and the paper put over it
    # spread over a minus beside it ("-19" at 200 DPI read "19" at 1.00, its minus seen by no
    # look: fuzz hard scan seed 10543); the line is then cut as before
    ys0 = max(0, int(top - 0.3 * h))
    tall = grey[ys0 : int(bottom + 0.3 * h) + 1, max(0, int(x0)) : int(x1) + 1]
    if tall.size == 0:
        return np.zeros((1, 1), np.uint8)
    tall = without_rules(tall, h)
    region = tall[max(0, int(top - 0.15 * h)) - ys0 : int(bottom + 0.15 * h) + 1 - ys0]
    if region.size == 0:
        return np.zeros((1, 1), np.uint8)
    levels = _levels(region)
    big = cv2.resize(region, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)
    return _ink_of(cv2.GaussianBlur(big, (3, 3), 0), levels)


def own_ink(grey: np.ndarray, bbox: BBox, dpi: float) -> OwnInk:
    """The grey crop round a value's own ink, that ink (ink = 255) at twice the size, and the
    levels of ink and paper round it. The value's own ink: blobs centred inside its box (the
    margin only catches a digit that overflows the box, never the digits of the cells above and
    below) on the digits' line, ruling lines turned to the paper first."""
    k = dpi / 72
    x0, top, x1, bottom = (float(v) * k for v in (bbox.x0, bbox.top, bbox.x1, bbox.bottom))
    h = max(bottom - top, 4.0)
    m = 0.3 * h
    ys0, ys1 = max(0, int(top - m)), min(grey.shape[0], int(bottom + m) + 1)
    xs0, xs1 = max(0, int(x0 - m)), min(grey.shape[1], int(x1 + m) + 1)
    region = grey[ys0:ys1, xs0:xs1]
    if region.size == 0:
        return OwnInk(region, region, (0.0, 255.0), (ys0, ys0, xs0, xs0))
    inside = (x0 - xs0, x1 - xs0), (top - ys0, bottom - ys0)
    found = _kept(region, h, None, inside, dpi)
    if _a_rule(found, x1 - x0):
        # what was kept is a line along the box, not digits: a rule along a cell's edge runs the
        # box's width at least, even where the table ends with it and the crop's margin holds no
        # more of it (the heavy top rule of a table's part on a new page, its last column: copier
        # seed 7810 at 200 DPI, a 6 re-read as "_____" by every crop, its row's planted error
        # unconfirmed). Only then: the tops of a bold "55" run together across its word's box
        # (copier seed 7834)
        found = _kept(region, h, x1 - x0, inside, dpi)
    region, levels, stats, keep = found
    cy0, cy1, cx0, cx1 = 0, region.shape[0], 0, region.shape[1]
    if keep:
        cy0, cy1, cx0, cx1 = _round(stats, keep, region.shape)
        region = region[cy0:cy1, cx0:cx1]
    big = cv2.resize(region, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)
    rect = (ys0 + cy0, ys0 + cy1, xs0 + cx0, xs0 + cx1)
    return OwnInk(region, _ink_of(cv2.GaussianBlur(big, (3, 3), 0), levels), levels, rect)


Kept = tuple[np.ndarray, tuple[float, float], np.ndarray, list[int]]


def _kept(
    region: np.ndarray,
    h: float,
    box_w: float | None,
    inside: tuple[tuple[float, float], tuple[float, float]],
    dpi: float,
) -> Kept:
    """The crop with its rules turned to paper, its ink's and paper's levels, its blobs' stats and
    the blobs kept as the value's own (see :func:`own_ink`)."""
    inside_x, inside_y = inside
    rules = _rules(region, h, box_w)
    inside_x = _own_side(rules[2], inside_x, 2 * dpi / 72)
    region = _papered(region, *rules)
    levels = _levels(region)  # of the whole crop: cut round the digits, paper may not be most of it
    ink = _ink_of(region, levels)
    n, labels, stats, centres = cv2.connectedComponentsWithStats(ink, connectivity=8)
    keep = [
        i
        for i in range(1, n)
        if stats[i, cv2.CC_STAT_AREA] >= max(3, (dpi / 100) ** 2)
        and inside_x[0] <= centres[i][0] <= inside_x[1]
        and inside_y[0] <= centres[i][1] <= inside_y[1]
    ]
    return region, levels, stats, _on_the_digits_line(keep, labels, stats, centres, region, levels)


def _a_rule(found: Kept, box_w: float) -> bool:
    """What was kept spans four fifths of the box's width at least, and is a sixth as tall as wide
    at most: a line, not digits."""
    _, _, stats, keep = found
    if not keep:
        return False
    left = min(int(stats[i, cv2.CC_STAT_LEFT]) for i in keep)
    right = max(int(stats[i, cv2.CC_STAT_LEFT] + stats[i, cv2.CC_STAT_WIDTH]) for i in keep)
    upper = min(int(stats[i, cv2.CC_STAT_TOP]) for i in keep)
    lower = max(int(stats[i, cv2.CC_STAT_TOP] + stats[i, cv2.CC_STAT_HEIGHT]) for i in keep)
    return right - left >= 0.8 * box_w and 6 * (lower - upper) <= right - left


def _own_side(vert: np.ndarray, inside_x: tuple[float, float], edge: float) -> tuple[float, float]:
    """The box's span, or its larger side of a vertical rule (``vert``, :func:`_rules`) that runs
    inside it, more than ``edge`` pixels from its ends, where its own rules are: the box reaches
    into the next cell. A copy's grid placed a rule 5 pt off, and the next cell's "2" read into
    "20" as "202" by every crop of the same box: an error against a filing that balanced (copier
    seed 5918, 300 DPI)."""
    lo, hi = inside_x
    cols = np.nonzero(vert.any(axis=0))[0]
    cols = cols[(cols > lo + edge) & (cols < hi - edge)]
    if not cols.size:
        return inside_x
    split = float(np.median(cols))
    return (lo, split) if split - lo >= hi - split else (split, hi)


def _round(stats: np.ndarray, keep: list[int], shape: tuple[int, ...]) -> tuple[int, int, int, int]:
    """The rectangle round the kept blobs, with a margin of 0.3 of their height: y0, y1, x0, x1."""
    left = min(int(stats[i, cv2.CC_STAT_LEFT]) for i in keep)
    right = max(int(stats[i, cv2.CC_STAT_LEFT] + stats[i, cv2.CC_STAT_WIDTH]) for i in keep)
    upper = min(int(stats[i, cv2.CC_STAT_TOP]) for i in keep)
    lower = max(int(stats[i, cv2.CC_STAT_TOP] + stats[i, cv2.CC_STAT_HEIGHT]) for i in keep)
    pad = max(2, int(0.3 * (lower - upper)))
    return max(0, upper - pad), min(shape[0], lower + pad), max(0, left - pad), min(shape[1], right + pad)


def black_ink(image: PageImage, own: OwnInk) -> np.ndarray | None:
    """The value's crop read from the page's plain luminance, ink only where darker than halfway
    to the seal's own grey: black ink printed under a seal stays black there, while the seal's
    ring and characters are grey (red, vermilion and crimson ink a luminance of 85-170, a faded
    seal lighter). Independent of the seal's removal, which keys on colour and leaves a ring's
    stroke dark where JPEG and blur mixed it with a digit's edge ("0" read "p"), or takes part
    of a digit away ("0" read "1"): so the digits are found again in this ink, every blob that
    reaches into them whole, and those as tall as a digit on their line beside them (the box
    the first pass gave may hold only what was left of a 0, its right stroke). None where no
    seal ink lies round the value (the binarised crop is already this reading) or the seal is
    too dark to be told from the ink."""
    if image.luma is None or image.seal is None:
        return None
    if own.region.size == 0:
        return None
    # the digits found on the seal-free grey, and a digit's height either way beside them: a
    # digit the seal's removal took away in part lies there (the next column's digits further)
    y0, y1, x0, x1 = own.rect
    h = max(2.0, (y1 - y0) / 1.6)  # the crop's margin round the digits is 0.3 of their height
    core = (x0 + 0.3 * h, y0 + 0.3 * h, x1 - 0.3 * h, y1 - 0.3 * h)
    ys0, ys1, xs0, xs1 = y0, y1, max(0, int(x0 - h)), min(image.grey.shape[1], int(x1 + h) + 1)
    grey = image.grey[ys0:ys1, xs0:xs1]
    luma = image.luma[ys0:ys1, xs0:xs1].copy()
    sealed = image.seal[ys0:ys1, xs0:xs1] > 0
    # ruling lines, found on the seal-free grey (in the luminance a seal's grey stroke running
    # into a digit's would make a "rule" of both), turned to the paper
    no_rules = without_rules(grey, h)
    rules = no_rules != grey
    clear = ~rules & ~sealed
    paper = float(np.median(luma[clear])) if clear.any() else 255.0
    luma[rules] = int(paper)
    lo = float(np.percentile(luma, 1))
    # the seal's ink: what its removal turned to paper and was visibly darker than paper
    g_lo, g_paper = _levels(no_rules)
    seal_ink = luma[sealed & (no_rules > (g_lo + g_paper) / 2) & (luma < paper - 25)]
    if seal_ink.size < 3:
        return None
    seal_level = float(np.median(seal_ink))
    if seal_level - lo < 40:
        return None
    t = (lo + seal_level) / 2
    ink = (luma < t).astype(np.uint8)
    n, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    cx0, cy0, cx1, cy1 = core[0] - xs0, core[1] - ys0, core[2] - xs0, core[3] - ys0

    def beside(i: int) -> bool:
        """A blob in the digits' rectangle, or beside it as tall as a digit on their line."""
        left, upper, w, hh = (int(v) for v in stats[i, :4])
        if left <= cx1 and left + w >= cx0 and upper <= cy1 and upper + hh >= cy0:
            return True
        overlap = min(upper + hh, cy1) - max(upper, cy0)
        return hh >= 0.5 * (cy1 - cy0) and overlap >= 0.6 * (cy1 - cy0)

    keep = [i for i in range(1, n) if stats[i, cv2.CC_STAT_AREA] >= max(3, (image.dpi / 100) ** 2) and beside(i)]
    if not keep:
        return None
    cy0, cy1, cx0, cx1 = _round(stats, keep, luma.shape)
    crop = luma[cy0:cy1, cx0:cx1]
    big = cv2.GaussianBlur(cv2.resize(crop, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC), (3, 3), 0)
    return np.ascontiguousarray(255 - cv2.threshold(big, t, 255, cv2.THRESH_BINARY_INV)[1])


def off_one_line(ink: np.ndarray) -> bool:
    """A tall blob of a value's ink (at least half the tallest) that stands off the line of the
    rest of it: past the rest's foot by three tenths of the tallest while its top is a fifth below
    the rest's top (or the same upwards). The digits of one number stand on one line, so it is no
    digit of it: a copier's stray stroke beside a 0, lower than the 0 by a third at its top and by
    almost half at its foot, read "10" from every crop, and the error it made was confirmed (copier
    seed 5454, 150 DPI). The rest is every blob but specks: the pieces of a broken digit (a 7's bar
    and its stem apart, a 3 in two halves: copier seed 5608) each lie within the line the others
    draw, and a page left skewed by a degree shifts two digits side by side by a twentieth; where the
    rest draws less than four fifths of a wide blob's own height, it draws no line that blob could
    stand off (a stroke, thin, stands off a digit shorter than itself)."""
    n, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    if n < 3:
        return False
    tops = stats[1:n, cv2.CC_STAT_TOP]
    feet = tops + stats[1:n, cv2.CC_STAT_HEIGHT]
    tallest = int(stats[1:n, cv2.CC_STAT_HEIGHT].max())
    size = np.maximum(stats[1:n, cv2.CC_STAT_WIDTH], stats[1:n, cv2.CC_STAT_HEIGHT])
    blobs = [i for i in range(n - 1) if size[i] >= 0.25 * tallest]
    for i in blobs:
        if feet[i] - tops[i] < 0.5 * tallest:
            continue
        rest = [k for k in blobs if k != i]
        if not rest:
            continue
        top, foot = int(tops[rest].min()), int(feet[rest].max())
        height = feet[i] - tops[i]
        if foot - top < 0.8 * height and stats[i + 1, cv2.CC_STAT_WIDTH] > 0.35 * height:
            # a glyph's body, no stroke, beside pieces that draw no line it could stand off: one
            # broken digit, stacked (a 5 whose top and bowl broke apart read "5" surely by every
            # crop, and the planted error it held was called unconfirmed: copier seed 6806 at 200 DPI)
            continue
        lower = feet[i] - foot >= 0.3 * tallest and tops[i] - top >= 0.2 * tallest
        higher = top - tops[i] >= 0.3 * tallest and foot - feet[i] >= 0.2 * tallest
        if lower or higher:
            return True
    return False


def _on_the_digits_line(
    keep: list[int],
    labels: np.ndarray,
    stats: np.ndarray,
    centres: np.ndarray,
    region: np.ndarray,
    levels: tuple[float, float],
) -> list[int]:
    """The blobs on the line of the value's darkest blob (a digit: the most pixels of ink's own
    darkness), no smaller than a third of its height either way (a minus is wide and flat). A
    seal's leftovers and specks in a ruled cell are paler or smaller, and lie anywhere in it:
    kept, they widened the crop to the whole cell and read as letters."""
    if len(keep) < 2:
        return keep
    lo, paper = levels
    dark = np.bincount(labels[region < lo + 0.3 * (paper - lo)], minlength=len(stats))
    main = max(keep, key=lambda i: dark[i])
    top = stats[main, cv2.CC_STAT_TOP]
    h = stats[main, cv2.CC_STAT_HEIGHT]
    return [
        i
        for i in keep
        if i == main
        or (
            top - 0.25 * h <= centres[i][1] <= top + 1.25 * h
            and max(stats[i, cv2.CC_STAT_WIDTH], stats[i, cv2.CC_STAT_HEIGHT]) >= 0.3 * h
        )
    ]


def without_rules(region: np.ndarray, box_h: float) -> np.ndarray:
    """The region with ruling lines turned to paper: ink runs longer than a digit is tall or wide."""
    return _papered(region, *_rules(region, box_h))


def _rules(region: np.ndarray, box_h: float, box_w: float | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The region's ink (Otsu, ink = 255) and, of it, the horizontal and the vertical rules."""
    _, ink = cv2.threshold(region, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    h, w = ink.shape
    # a rule crosses the crop; the strokes of digits run together by blur (the tops of "36")
    # make a bar a digit or two wide, never three
    long_h = max(10, int(min(0.9 * w, 3.0 * box_h)))
    if box_w is not None:
        # ... and a rule along a cell's edge runs its box's width at least, even where the table
        # ends with it: the crop's own margin then holds no rule to make the run long enough (the
        # heavy top rule of a table's part on a new page, its last column: copier seed 7810 at
        # 200 DPI, a 6 re-read as "_____" by every crop and its row's planted error unconfirmed).
        # Asked for only where a first cut kept a line (own_ink): across a word's box the bold
        # tops of a "55" run as long (copier seed 7834)
        long_h = max(10, min(long_h, int(max(0.85 * box_w, 1.5 * box_h))))
    long_v = max(10, int(0.75 * h))
    return (
        ink,
        cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (long_h, 1))),
        cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, long_v))),
    )


def _papered(region: np.ndarray, ink: np.ndarray, horiz: np.ndarray, vert: np.ndarray) -> np.ndarray:
    """The region with the rules found by :func:`_rules` turned to paper."""
    out = region.copy()
    # a rule becomes the paper's own level, not white: on a grey photographed page white rules
    # would be the crop's lightest class, and Otsu would then take the paper for ink
    paper = region[ink == 0]
    rules = cv2.bitwise_or(horiz, vert)
    out[cv2.dilate(rules, np.ones((3, 3), np.uint8)) > 0] = int(np.median(paper)) if paper.size else 255
    return out


def holds_ink(image: PageImage, bbox: BBox) -> bool:
    """A cell read as printed blank holds ink a digit's size: a stroke at least a third of the
    cell's inner height or width, not a speck (a thresholded copy's black seal ring over a 2,
    read blank and then taken for a printed blank that broke two sums: copier seed 5240).
    Looked for inside the cell, away from its edges where its rules run."""
    k = image.dpi / 72
    x0, top, x1, bottom = (float(v) * k for v in (bbox.x0, bbox.top, bbox.x1, bbox.bottom))
    inset_x, inset_y = 0.12 * (x1 - x0), 0.12 * (bottom - top)
    ys, xs = (
        slice(max(0, int(top + inset_y)), max(0, int(bottom - inset_y))),
        slice(max(0, int(x0 + inset_x)), max(0, int(x1 - inset_x))),
    )
    region = image.grey[ys, xs]
    if region.size == 0 or min(region.shape) < 4:
        return False
    levels = _levels(region)
    if levels[1] - levels[0] < 60:  # nothing darker than the paper round it but noise
        return False
    # the cell's own rules lie in the inset; a line across its inside is no rule of this cell (a
    # thresholded seal's ring is as black and as long, and the grid may take it for one)
    ink = _ink_of(region, levels)
    n, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    h, w = region.shape
    least = max(4, int((image.dpi / 50) ** 2))
    return any(
        stats[i, cv2.CC_STAT_AREA] >= least
        and (stats[i, cv2.CC_STAT_HEIGHT] >= h / 3 or stats[i, cv2.CC_STAT_WIDTH] >= w / 3)
        for i in range(1, n)
    )
