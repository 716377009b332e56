"""Pixels → the same page model as the text route: positioned words and ruling edges.

The route, for one page image:

1. suppress red seals and stamps (colour mask) so digits under them read;
2. undo page rotation (0/90/180/270: a page whose projection profiles run
   across, or that reads badly as it lies, is turned a quarter when the starts
   of its longest lines read better so, with far more Chinese; upside-down from
   recognition scores) and skew up to ±5° (angle of the long ruling lines, else
   of the text lines);
3. find ruling lines with OpenCV morphology; they become edges in PDF points;
4. cut text into single lines with projection profiles — inside every table
   cell, and across the rest of the page — and recognise each line crop, all
   crops of a page in one batch. No detection model runs: layout comes from the
   rules and the profiles, which is what makes the route several times faster
   than full-page OCR.

Words carry ``source="ocr"`` and the recogniser's score as ``confidence``;
boxes are converted to PDF points (top-left origin) at the page's DPI.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple, cast

import cv2
import numpy as np
from pdfplumber.table import cells_to_tables, edges_to_intersections, intersections_to_cells, merge_edges

from nianbao.extractors.ocr_engine import OcrEngine
from nianbao.extractors.textlayer import _edge
from nianbao.form.labels import chinese_chars, form_pairs
from nianbao.model import BBox, Word

MAX_SKEW = 5.0
_NUMBER = re.compile(r"^\d[\d,.]*$")
_ROUND_ZERO = frozenset({"o", "O", "〇", "°", "º"})
_SPACED_NUMBER = re.compile(r"^\d[\d,.，．]*(?:\s+[\d,.，．]+)+$")


def blank_mark(ink: np.ndarray, line_h: int) -> str | None:
    """'—', '-' or '/' when the crop holds one stroke of that shape, else None."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    if n < 2:
        return None
    biggest = int(stats[1:n, cv2.CC_STAT_AREA].max())
    comps = [i for i in range(1, n) if stats[i, cv2.CC_STAT_AREA] > max(2, 0.3 * biggest)]
    if len(comps) != 1:
        return None
    _, _, w, h, area = stats[comps[0]]
    if h <= 0.3 * line_h and w >= 2 * h:
        return "—" if w >= 0.9 * line_h else "-"
    # a slash is one thin diagonal stroke: taller than wide, filling little of its box (a copy's
    # thickened stroke at 150 DPI fills 0.52-0.53 of it: read "1", copier seed 7941 with its zeros
    # printed "/", 29 false 1s), its ink close to one straight line. Digits run together at 150 DPI
    # ("30") or a 6 half erased under a seal also lean, but are wide, full or curved
    if h >= 0.5 * line_h and 0.25 * h <= w <= 0.9 * h and area <= 0.6 * w * h:
        ys, xs = np.nonzero(labels == comps[0])
        fit = np.polyfit(ys, xs, 1)
        slope = fit[0]  # x change per row going down
        off = float(np.abs(xs - np.polyval(fit, ys)).mean())
        # a fuller stroke must lean and run straight the more: a 1 or 2 worn thin on a 150 DPI
        # copy fills as much of its box (copier seeds 8001, 8025: read as blanks)
        full = area > 0.5 * w * h
        if slope < (-0.35 if full else -0.25) and off <= (0.1 if full else 0.12) * h:
            return "/"
    return None


def _baseline_dot(ink: np.ndarray, dpi: float) -> bool:
    """A small blob sitting in the bottom quarter of the line, bigger than a speck: a decimal point."""
    n, _, stats, centroids = cv2.connectedComponentsWithStats(ink, connectivity=8)
    line_h = ink.shape[0]
    min_area = max(3, int((dpi / 90) ** 2))
    for i in range(1, n):
        w, h = stats[i, cv2.CC_STAT_WIDTH], stats[i, cv2.CC_STAT_HEIGHT]
        big_enough = stats[i, cv2.CC_STAT_AREA] >= min_area
        if big_enough and w <= 0.3 * line_h and h <= 0.3 * line_h and centroids[i][1] >= 0.72 * line_h:
            return True
    return False


def point_position(ink: np.ndarray, dpi: float) -> tuple[int, int] | None:
    """(glyphs, position): how many glyph columns the number's ink holds, and after how many of
    them a decimal point sits on the baseline; None when there is not exactly one such point
    between glyphs. Read from the ink, for a recogniser that drops a point at 150 DPI with full
    confidence ('488.2' read '4882')."""
    n, _, stats, centroids = cv2.connectedComponentsWithStats(ink, connectivity=8)
    if n < 3:
        return None
    comps = [(tuple(int(v) for v in stats[i][:5]), float(centroids[i][1]), float(centroids[i][0])) for i in range(1, n)]
    tall = max(c[0][3] for c in comps)
    glyphs = [c for c in comps if c[0][3] >= 0.55 * tall]
    top = min(c[0][1] for c in glyphs)
    bottom = max(c[0][1] + c[0][3] for c in glyphs)
    min_area = max(3, int((dpi / 90) ** 2))
    dots = [
        cx
        for (x, y, w, h, area), cy, cx in comps
        if h < 0.55 * tall
        and area >= min_area
        and w <= 0.35 * tall
        and h <= 0.35 * tall
        and cy >= top + 0.72 * (bottom - top)
    ]
    # a digit broken into pieces is one glyph column
    merged: list[list[int]] = []
    for (x, _, w, _, _), _, _ in sorted(glyphs, key=lambda c: c[0][0]):
        if merged and x < merged[-1][1] - 1:
            merged[-1][1] = max(merged[-1][1], x + w)
        else:
            merged.append([x, x + w])
    inner = [d for d in dots if merged[0][1] <= d <= merged[-1][0]]
    if len(inner) != 1:
        return None
    return len(merged), sum(1 for _, right in merged if right <= inner[0])


def _gap_before_tail(ink: np.ndarray, n_digits: int) -> bool:
    """The ink of a number read as ``n_digits`` digits with a gap before its last one or two digits
    (at most 2.2 glyph heights of ink after it) at least twice every other gap between its glyphs
    and a third of their height: where a decimal point stood (a dot a seal's removal or a coarse
    scan took away). Digits that touch make one glyph of the ink; that does not matter here."""
    if ink.size == 0 or n_digits < 3:
        return False
    glyphs = [(a, b) for a, b in _runs(ink.sum(axis=0) > 0, merge_thin=False) if b - a >= 2]
    if len(glyphs) < 2:
        return False
    rows = np.flatnonzero(ink.sum(axis=1) > 0)
    height = int(rows[-1] - rows[0] + 1) if rows.size else 0
    gaps = [b0 - a1 for (_, a1), (b0, _) in itertools.pairwise(glyphs)]
    for k in range(len(gaps) - 1, -1, -1):
        tail = glyphs[-1][1] - glyphs[k + 1][0]
        if tail > 2.2 * height:
            break  # more than two digits after the gap
        others = gaps[:k] + gaps[k + 1 :]
        if gaps[k] >= height / 3 and (not others or gaps[k] >= 2 * max(others)):
            return True
    return False


def leading_dash(ink: np.ndarray, min_len: float = 0.3, flat: float = 2.5) -> bool:
    """A flat blob left of everything else, at mid-height of the line: a minus sign. ``min_len``:
    its least length, as a share of the line's height (a speck of noise is shorter); ``flat``: how
    many times longer than thick it is at least."""
    n, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    if n < 3:
        return False
    comps = sorted(stats[1:n].tolist(), key=lambda st: st[0])
    x, y, w, h, _ = comps[0]
    line_h = ink.shape[0]
    mid = y + h / 2
    rest_x = min(c[0] for c in comps[1:])
    return (
        w >= flat * h
        and w >= min_len * line_h  # a speck of noise is shorter than a minus sign
        and h <= 0.2 * line_h
        and 0.3 * line_h <= mid <= 0.75 * line_h
        and x + w <= rest_x
        and rest_x - (x + w) <= 0.5 * line_h
    )


@dataclass(slots=True)
class OcrPage:
    words: list[Word] = field(default_factory=list)
    edges: list[dict[str, Any]] = field(default_factory=list)
    width: float = 0.0  # points
    height: float = 0.0
    rotation: int = 0  # degrees the page was turned to read it
    skew: float = 0.0
    image: np.ndarray | None = None  # the prepared (upright, deskewed) grey image
    seal: np.ndarray | None = None  # where red ink was on that image (255), None without any
    luma: np.ndarray | None = None  # that image's luminance before the seal was taken out (with a seal only)


def suppress_seals(rgb: np.ndarray) -> np.ndarray:
    """Grey image with red and pink ink (seals, stamps) turned to paper (see :func:`without_seals`)."""
    return without_seals(rgb)[0]


def without_seals(rgb: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    """Grey image with red and pink ink (seals, stamps) turned to paper, and where that ink was
    (255 round anything reddish; None when nothing was).

    Grey is taken from the red channel wherever that is brighter: red ink is bright there, its
    pale anti-aliased rim and the pink of a faded or half-transparent seal too, while black
    text (also black text under a seal, which prints black over red) stays dark. Round anything
    reddish, a few pixels wide (JPEG keeps colour at half resolution and smears a stroke's
    rim), whatever is not dark becomes the paper's own level around it: white on a grey photo
    would draw the seal's outline for the adaptive threshold.
    """
    r, g, b = (rgb[:, :, i].astype(np.int16) for i in range(3))
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    out = np.maximum(grey, rgb[:, :, 0])
    reddish = ((r > 100) & (r - np.maximum(g, b) > 15)).astype(np.uint8)
    if not reddish.any():
        return out, None
    zone = cv2.dilate(reddish, np.ones((7, 7), np.uint8))
    h, w = out.shape
    n, _, stats, _ = cv2.connectedComponentsWithStats(zone, connectivity=8)
    for x, y, bw, bh, area in stats[1:n]:
        if area < 20:
            continue
        ys, xs = slice(max(0, y - 20), min(h, y + bh + 20)), slice(max(0, x - 20), min(w, x + bw + 20))
        # the paper's level: the median of the neighbourhood (paper is most of it; the max would
        # pick the brightest grain and leave a light seal-shaped patch)
        around = out[ys, xs]
        paper = cv2.medianBlur(around, 31)
        # a dark red left dark (crimson, two seals over each other) cannot be told from black
        # digits under a seal's ring by colour: JPEG and a phone's blur give both a red of 100-140
        light = (zone[ys, xs] > 0) & (around.astype(np.int16) > 0.6 * paper)
        # what the seal's ink becomes: inside ink wider than the window (a star's centre, a thick
        # ring at 300 DPI) the neighbourhood's median is that ink, which would stay in place, a
        # grey blob beside a digit that a crop stretched to its own levels reads as a 0. So the
        # seal's zone counts at the level of the paper round it, where the window is mostly seal
        # (elsewhere the local median is the paper's own level, shading of a photo included)
        clear = zone[ys, xs] == 0
        deep = cv2.boxFilter((~clear).astype(np.float32), -1, (31, 31)) > 0.5
        if deep.any():
            # the mean of the paper outside the seal within 45 px (a photo's shading followed)
            m = (clear & (around >= 0.8 * paper)).astype(np.float32)
            num = cv2.boxFilter(around.astype(np.float32) * m, -1, (91, 91), normalize=False)
            den = cv2.boxFilter(m, -1, (91, 91), normalize=False)
            est = np.where(den > 0, num / np.maximum(den, 1e-6), paper)
            paper = np.where(deep, np.clip(est, 0, 255), paper).astype(np.uint8)
        out[ys, xs][light] = paper[light]
    return out, zone * 255


def flatten_streaks(grey: np.ndarray, ignore: np.ndarray | None = None) -> np.ndarray:
    """A copier's toner streaks and a scanner's lamp bands taken out: a column (or row) whose paper
    is darker than the page's paper all the way down is brightened back by its own paper level.

    The paper level of a column is its 98th-percentile brightness: a table's rule never runs the
    page's full height (margins), a streak does, so only streaks move it. Left in, a streak
    binarises to a rule from the top of the page to the bottom and cuts every table it crosses
    into false columns. Columns within 8% of the paper round them are left exactly as they are.
    ``ignore`` (the seal's pixels, made paper-white) does not count as paper.
    """
    out = grey
    for axis in (0, 1):  # columns (paper level down each column), then rows
        # where a seal was taken out the page was made paper-white: no evidence of the paper's level
        stats = out if ignore is None else np.where(ignore > 0, 0, out)
        paper = np.percentile(stats, 98, axis=axis).astype(np.float32)
        # against the paper round it: a streak is a narrow dip; light falling off across a
        # photographed page is no streak and is left to the binarisation
        k = max(3, min(paper.size // 4, int(paper.size / 40)) | 1)
        padded = np.pad(paper, k // 2, mode="edge")
        local = np.percentile(np.lib.stride_tricks.sliding_window_view(padded, k), 75, axis=1)
        dark = paper < 0.92 * local
        if not dark.any():
            continue
        gain = np.where(dark, local / np.maximum(paper, 1.0), 1.0).astype(np.float32)
        scaled = out.astype(np.float32) * (gain[None, :] if axis == 0 else gain[:, None])
        out = np.clip(scaled, 0, 255).astype(np.uint8)
    return out


def binarize(grey: np.ndarray) -> np.ndarray:
    """Ink = 255. Adaptive threshold copes with uneven lighting of photographed pages."""
    block = max(15, (min(grey.shape) // 40) | 1)
    return cv2.adaptiveThreshold(grey, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY_INV, block, 15)


def _profile_score(ink: np.ndarray) -> float:
    """How strongly ink comes in horizontal bands (text lines, rules): variance of the row profile."""
    rows = ink.mean(axis=1)
    return float(rows.var())


def quarter_turn(ink: np.ndarray) -> bool:
    """True when the text runs vertically (page turned by 90 or 270 degrees)."""
    small = cv2.resize(ink, (ink.shape[1] // 4, ink.shape[0] // 4), interpolation=cv2.INTER_AREA)
    return _profile_score(small.T) > 1.5 * _profile_score(small)


def skew_angle(ink: np.ndarray) -> float:
    """Degrees to rotate counter-clockwise to level the page (from long lines, else text lines).

    Long, thin ink components — rules, or text lines smeared into bars — are
    fitted with a straight line each; the median angle wins. Measured on a
    half-size image, which still resolves about 0.05° on a line half the page wide.
    """
    small = cv2.resize(ink, (ink.shape[1] // 2, ink.shape[0] // 2), interpolation=cv2.INTER_AREA)
    w = small.shape[1]
    angles = _component_angles(cv2.morphologyEx(small, cv2.MORPH_OPEN, _rect(w // 60, 1)), w // 5)
    # rules agree with each other; a lone "rule" may be a text line smeared into a bar
    if len(angles) >= 2 and max(angles) - min(angles) <= 0.3:
        return float(np.median(angles))
    return profile_angle(ink)


def profile_angle(ink: np.ndarray) -> float:
    """Skew of a page without long rules: the angle whose row profile has the sharpest text lines.

    Smearing text lines into bars and fitting them (as for rules) goes wrong on pages of
    short, staggered runs (unruled tables, numbers in columns): bars of neighbouring rows
    merge diagonally. Rotating and scoring the row profile (sum of squared row sums) reads
    the page as a whole; a coarse pass on a quarter-size image, then two finer passes.
    """
    best = 0.0
    for factor, span, step in ((4, MAX_SKEW, 0.5), (2, 0.5, 0.1), (2, 0.1, 0.025)):
        small = cv2.resize(ink, (ink.shape[1] // factor, ink.shape[0] // factor), interpolation=cv2.INTER_AREA)
        h, w = small.shape
        centre = (w / 2, h / 2)
        scores = []
        candidates = np.arange(best - span, best + span + step / 2, step)
        for a in candidates:
            m = cv2.getRotationMatrix2D(centre, float(a), 1.0)
            turned = cv2.warpAffine(small, m, (w, h), flags=cv2.INTER_NEAREST, borderValue=0)
            rows = turned.sum(axis=1, dtype=np.float64)
            scores.append(float((rows**2).sum()))
        best = float(candidates[int(np.argmax(scores))])
    return best if abs(best) <= MAX_SKEW else 0.0


def _rect(w: int, h: int) -> np.ndarray:
    return cv2.getStructuringElement(cv2.MORPH_RECT, (max(w, 1), max(h, 1)))


def _component_angles(mask: np.ndarray, min_len: int) -> list[float]:
    # a skewed rule is a staircase of short runs: close the steps first
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, _rect(15, 5))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    out: list[float] = []
    for i in range(1, n):
        x, y, bw, bh, _ = stats[i]
        if bw < min_len or bh > bw * 0.12:
            continue
        ys, xs = np.nonzero(labels[y : y + bh, x : x + bw] == i)
        if xs.size < 10:
            continue
        slope = np.polyfit(xs[:: max(1, xs.size // 2000)], ys[:: max(1, xs.size // 2000)], 1)[0]
        a = float(np.degrees(np.arctan(slope)))
        if abs(a) <= MAX_SKEW:
            out.append(a)
    return out


def rotate(grey: np.ndarray, angle: float, border: int = 255) -> np.ndarray:
    h, w = grey.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(grey, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=border)


def ruling_masks(ink: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    h, w = ink.shape
    horiz = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(w // 40, 20), 1)))
    vert = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(h // 60, 20))))
    # close the small gaps a faint or broken rule has
    horiz = cv2.dilate(horiz, cv2.getStructuringElement(cv2.MORPH_RECT, (9, 3)))
    vert = cv2.dilate(vert, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 9)))
    return horiz, vert


def edges_from_masks(horiz: np.ndarray, vert: np.ndarray, scale: float) -> list[dict[str, Any]]:
    """Connected rule components as pdfplumber-style edges, in points (``scale`` = points per pixel)."""
    out: list[dict[str, Any]] = []
    for mask, orient in ((horiz, "h"), (vert, "v")):
        for x, y, bw, bh in component_boxes(mask):
            if orient == "h" and bw > 3 * bh:
                yc = (y + bh / 2) * scale
                out.append(_edge(x * scale, (x + bw) * scale, yc, yc, "h"))
            elif orient == "v" and bh > 3 * bw:
                xc = (x + bw / 2) * scale
                out.append(_edge(xc, xc, y * scale, (y + bh) * scale, "v"))
    return out


def component_boxes(mask: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Bounding boxes (x, y, w, h) of a sparse mask's 8-connected components, top to bottom.

    The outer contours of the components (holes left out), a tenth of the time of labelling
    every pixel of a page on a mask that holds only rules: the same boxes as
    ``connectedComponentsWithStats``, in (y, x) order instead of its label order."""
    contours, hierarchy = cv2.findContours(mask, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    if hierarchy is None:
        return []
    boxes = [cv2.boundingRect(c) for c, link in zip(contours, hierarchy[0], strict=True) if link[3] == -1]
    return sorted(((int(x), int(y), int(w), int(h)) for x, y, w, h in boxes), key=lambda b: (b[1], b[0]))


def cell_boxes(edges: Sequence[dict[str, Any]]) -> list[tuple[float, float, float, float]]:
    merged = merge_edges(list(edges), 3, 3, 3, 3)
    return [c for t in cells_to_tables(intersections_to_cells(edges_to_intersections(merged, 3, 3))) for c in t]


def text_lines_in(
    ink: np.ndarray,
    x0: int,
    y0: int,
    x1: int,
    y1: int,
    min_h: int,
    split: bool = True,
    depth: int = 0,
    line_h: float | None = None,
    page_line_h: float | None = None,
) -> list[tuple[int, int, int, int]]:
    """Single text lines (pixel boxes) in a region, by the row profile then the column profile.

    With ``split``, a line is cut where a gap wider than most spaces separates its
    ink (the columns of a table without vertical rules); inside a ruled cell it is
    not, since full-width digits and commas leave wide gaps inside one number.

    Where rules do not separate the columns, a band of the row profile can hold
    lines of several columns at different heights (a block label centred beside a
    label wrapped to two lines): each piece of such a band is cut again on its own
    row profile (a recursive XY-cut), so that no crop holds two lines of text.
    """
    region = ink[y0:y1, x0:x1]
    if region.size == 0:
        return []
    runs = _runs(region.sum(axis=1) > 0, merge_thin=depth > 0)
    if line_h is None:
        # the usual height of one line: most bands are one line tall
        heights = [b - a for a, b in runs if b - a >= min_h]
        line_h = float(np.median(heights)) if heights else float(min_h)
    if depth == 0 and page_line_h is not None and split:
        # on a photographed page whose rows lean (a phone's perspective), most bands of the row
        # profile are two rows that lean into each other: their median is no line height
        line_h = min(line_h, page_line_h)
    out: list[tuple[int, int, int, int]] = []
    for start, end in runs:
        if end - start < min_h:
            continue
        band = region[start:end]
        # a band two lines tall (a label wrapped beside one line of numbers) does not make the gap
        # between two numbers of an unruled row twice as wide: the page's line height bounds it
        tall = end - start if page_line_h is None else min(end - start, 1.5 * page_line_h)
        gap = max(0.8 * tall, 6) if split else band.shape[1]
        for piece in _pieces(band, x0, y0 + start, y0 + end, gap, split):
            if split:
                piece = _tight(ink, piece)
            px0, top, px1, bottom = piece
            if not split or depth >= 3 or bottom - top < max(2 * min_h, 1.6 * line_h):
                out.append(piece)
                continue
            sub = ink[top:bottom, px0:px1]
            if _stacked(sub, min_h):
                out.extend(text_lines_in(ink, px0, top, px1, bottom, min_h, split, depth + 1, line_h, page_line_h))
                continue
            # lines of two columns interleaved (a vertical label beside a block label wrapped
            # at other heights): no row is empty, but a gap runs down all of them. Characters of
            # wrapped lines stand on one grid too, with gaps far narrower than half a line
            narrow = _pieces(sub, px0, top, bottom, max(0.4 * line_h, 6), split) if _several_lines(sub) else []
            if len(narrow) > 1:
                for n0, _, n1, _ in narrow:
                    out.extend(text_lines_in(ink, n0, top, n1, bottom, min_h, split, depth + 1, line_h, page_line_h))
            else:
                out.append(piece)
    return out


def _side_by_side(boxes: Sequence[tuple[int, int, int, int]]) -> bool:
    """True when two of the boxes share a line: each spans most of the other's height."""
    for (ax0, at, ax1, ab), (bx0, bt, bx1, bb) in itertools.combinations(boxes, 2):
        overlap = min(ab, bb) - max(at, bt)
        if overlap > 0.6 * min(ab - at, bb - bt) and (ax1 <= bx0 or bx1 <= ax0):
            return True
    return False


def _several_lines(piece: np.ndarray) -> bool:
    """True when the piece's characters are much shorter than the piece: lines of text stacked
    (a heading in a larger type is one line as tall as its characters)."""
    n, _, stats, _ = cv2.connectedComponentsWithStats(piece, connectivity=8)
    heights = stats[1:n, cv2.CC_STAT_HEIGHT]
    heights = heights[heights >= 3]
    return bool(heights.size) and float(np.percentile(heights, 90)) < 0.6 * piece.shape[0]


def _tight(ink: np.ndarray, piece: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
    """The piece's box shrunk to its own ink rows (a piece cut from a band of several lines
    keeps the band's height otherwise)."""
    x0, top, x1, bottom = piece
    rows = np.flatnonzero(ink[top:bottom, x0:x1].sum(axis=1) > 0)
    return (x0, top + int(rows[0]), x1, top + int(rows[-1]) + 1) if rows.size else piece


def _runs(rows: np.ndarray, merge_thin: bool) -> list[tuple[int, int]]:
    """Runs of True (inked rows, or columns); with ``merge_thin``, a run much thinner than the
    tallest (a stroke of 三 or 二, a dash over a line) joins its nearer neighbour instead of
    standing as a line."""
    runs: list[tuple[int, int]] = []
    start = None
    for i, on in enumerate([*rows.tolist(), False]):
        if on and start is None:
            start = i
        elif not on and start is not None:
            runs.append((start, i))
            start = None
    if not merge_thin or len(runs) < 2:
        return runs
    tallest = max(b - a for a, b in runs)
    merged = list(runs)
    while len(merged) > 1:
        thin = [k for k, (a, b) in enumerate(merged) if b - a < 0.5 * tallest]
        if not thin:
            break
        k = thin[0]
        gap_up = merged[k][0] - merged[k - 1][1] if k > 0 else None
        gap_down = merged[k + 1][0] - merged[k][1] if k + 1 < len(merged) else None
        j = k - 1 if gap_down is None or (gap_up is not None and gap_up <= gap_down) else k + 1
        a, b = sorted((k, j))
        merged[a : b + 1] = [(merged[a][0], merged[b][1])]
    return merged


def _stacked(piece: np.ndarray, min_h: int) -> bool:
    """True when a piece holds two or more text lines one above the other."""
    runs = _runs(piece.sum(axis=1) > 0, merge_thin=True)
    return sum(1 for a, b in runs if b - a >= min_h) >= 2


def _pieces(
    band: np.ndarray, x0: int, top: int, bottom: int, gap: float, split: bool
) -> list[tuple[int, int, int, int]]:
    """The band cut at column gaps wider than ``gap`` (wider than a space between words),
    then where its ink moves up or down (``split`` only)."""
    cols = np.flatnonzero(band.sum(axis=0) > 0)
    if cols.size == 0:
        return []
    out = []
    seg_start = prev = int(cols[0])
    for c in cols[1:]:
        c = int(c)
        if c - prev > gap:
            out.append((x0 + seg_start, top, x0 + prev + 1, bottom))
            seg_start = c
        prev = c
    out.append((x0 + seg_start, top, x0 + prev + 1, bottom))
    if not split:
        return out
    return [cut for piece in out for cut in _shift_cuts(band[:, piece[0] - x0 : piece[2] - x0], piece)]


def _shift_cuts(ink: np.ndarray, piece: tuple[int, int, int, int]) -> list[tuple[int, int, int, int]]:
    """A piece cut where its ink moves up or down by part of a line: two columns, not one line.

    An unruled table's value printed centred beside a label wrapped to two lines sits
    between the label's lines, a few points to the right of its last character: too close
    for a gap to part them, but no glyph of one shares a line with a glyph of the other.
    Glyph columns (runs of inked pixel columns) whose ink bands do not overlap by most of the
    smaller band are parted.
    """
    x0, top, _x1, bottom = piece
    glyphs = [
        (start, end, _runs(ink[:, start:end].sum(axis=1) > 0, merge_thin=False))
        for start, end in _runs(ink.sum(axis=0) > 0, merge_thin=False)
    ]
    if len(glyphs) < 2:
        return [piece]
    size = [max(b - a for a, b in runs) for _, _, runs in glyphs]
    # only glyphs of the text's size decide: a speck of noise in a gap, a dot, a comma or the
    # one stroke of 一 sits off the line's middle without starting another column
    big = [k for k, s in enumerate(size) if s >= 0.5 * max(size)]
    out = []
    first = glyphs[0][0]
    for a, b in itertools.pairwise(big):
        if not _share_line(glyphs[a][2], glyphs[b][2]):
            # small glyphs between the two go with the left one
            out.append((x0 + first, top, x0 + glyphs[b - 1][1], bottom))
            first = glyphs[b][0]
    out.append((x0 + first, top, x0 + glyphs[-1][1], bottom))
    return out


def _share_line(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> bool:
    for a0, a1 in a:
        for b0, b1 in b:
            overlap = min(a1, b1) - max(a0, b0)
            if overlap >= 0.7 * min(a1 - a0, b1 - b0):
                return True
    return False


# a page's planes as it is read: the grey image, the seal mask and the luminance (see OcrPage)
Planes = tuple[np.ndarray, np.ndarray | None, np.ndarray | None]


def _turned(planes: Planes, way: int) -> Planes:
    return cast(Planes, tuple(None if a is None else cv2.rotate(a, way) for a in planes))


def _degrees(way: int) -> int:
    """``OcrPage.rotation`` of a cv2 quarter turn."""
    return 270 if way == cv2.ROTATE_90_COUNTERCLOCKWISE else 90


def _levelled(planes: Planes) -> tuple[Planes, np.ndarray, float]:
    """The planes deskewed, the grey image's ink, and the angle they were turned by."""
    grey, seal, luma = planes
    ink = binarize(grey)
    angle = skew_angle(ink)
    if abs(angle) > 0.05:
        grey = rotate(grey, angle)
        ink = binarize(grey)
        seal = None if seal is None else rotate(seal, angle, border=0)
        luma = None if luma is None else rotate(luma, angle)
    return (grey, seal, luma), ink, angle


def _quarter_way(grey: np.ndarray, ink: np.ndarray, dpi: float, engine: OcrEngine, clearly: bool) -> int | None:
    """The cv2 rotation that reads the page's lines, when they read better turned a quarter
    (:func:`_reads_better_turned`), else None. Turned clockwise the lines are read both ways up:
    a page turned the other way reads upside down after a clockwise turn, and its numbers, read
    surely that way too, leave it undoubted (copier seed 5621: a table page read upside down, its
    labels backwards, table 三 lost). The page as it lies is read both ways up too: one upside
    down reads badly upright, and better turned a quarter than that (copier seed 5601 at 150 DPI:
    a landscape table page upside down was turned on its side and lost)."""
    turned = cv2.rotate(grey, cv2.ROTATE_90_CLOCKWISE)
    t_reads, down = _line_reads(turned, binarize(turned), dpi, engine, both_ways=True)
    u_reads, _ = _line_reads(grey, ink, dpi, engine, both_ways=True)
    if not _reads_better_turned(t_reads, u_reads, clearly=clearly):
        return None
    return cv2.ROTATE_90_COUNTERCLOCKWISE if down else cv2.ROTATE_90_CLOCKWISE


def ocr_image(rgb: np.ndarray, dpi: float, engine: OcrEngine) -> OcrPage:
    """Read one page image (RGB uint8) into words and edges in PDF points."""
    grey, seal = without_seals(rgb) if rgb.ndim == 3 else (rgb, None)
    grey = flatten_streaks(grey, seal)
    # the plain luminance goes along only where a seal was taken out (see OcrPage.luma)
    luma = None if seal is None else cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    plain, plain_ink = (grey, seal, luma), binarize(grey)
    # the profiles of a landscape page of dense ruled tables look turned too: the page is turned
    # only if its text reads better that way
    way = _quarter_way(grey, plain_ink, dpi, engine, clearly=False) if quarter_turn(plain_ink) else None
    planes = plain if way is None else _turned(plain, way)
    rotation = 0 if way is None else _degrees(way)
    (grey, seal, luma), ink, angle = _levelled(planes)
    page = _read(grey, ink, dpi, engine)
    if _doubtful(page):
        # a page that read badly and was not turned: asked whether it reads far better turned a
        # quarter. A ruled table page on its side bands any way: its columns' rules now run
        # across it (copier seed 6020 at 300 DPI: 0.44, its table 三 not found; 5621: 1.1)
        way = _quarter_way(plain[0], plain_ink, dpi, engine, clearly=True) if rotation == 0 else None
        if way is not None:
            rotation = _degrees(way)
            (grey, seal, luma), ink, angle = _levelled(_turned(plain, way))
            page = _read(grey, ink, dpi, engine)
        # whether the page is upside down is asked only of a page that read badly: read upright, a
        # page's words score 0.99 (median), upside down 0.4-0.65; most pages are upright and pay nothing
        elif _upside_down(grey, ink, dpi, engine):
            grey = cv2.rotate(grey, cv2.ROTATE_180)
            ink = binarize(grey)
            rotation = (rotation + 180) % 360
            seal, luma = (None if a is None else cv2.rotate(a, cv2.ROTATE_180) for a in (seal, luma))
            page = _read(grey, ink, dpi, engine)
    page.rotation, page.skew, page.image, page.seal, page.luma = rotation, angle, grey, seal, luma
    return page


class Reads(NamedTuple):
    """How the starts of a page's longest text lines read one way up (:func:`_line_reads`)."""

    score: float  # mean recognition score, a crop of fewer than two Chinese characters counted half
    mass: float  # the Chinese characters read, weighted by score
    form: int  # pairs of adjacent characters the form prints (labels.form_pairs)


def _line_reads(
    grey: np.ndarray, ink: np.ndarray, dpi: float, engine: OcrEngine, both_ways: bool = False
) -> tuple[Reads, bool]:
    """How well the starts of the page's longest text lines read (best way up if asked): their
    mean recognition score, the Chinese characters they read weighted by score, the pairs of
    characters of the form's own words they read, and whether they read best upside down.

    In the score a crop that reads as fewer than two Chinese characters counts half: turned a
    quarter, the columns of an unruled table of numbers become long "lines" of digits that read
    confidently, and a landscape table page would be turned on its side for them."""
    crops = _line_starts(grey, ink, dpi)
    if not crops:
        return Reads(0.0, 0.0, 0), False
    reads = engine.recognize([c for pair in crops for c in pair])
    cjk = [chinese_chars(t) for t, _ in reads]
    scores = [s * (1.0 if n >= 2 else 0.5) for (_, s), n in zip(reads, cjk, strict=True)]
    mass = [s * n for (_, s), n in zip(reads, cjk, strict=True)]
    down = both_ways and sum(scores[1::2]) > sum(scores[0::2])
    way = slice(1, None, 2) if down else slice(0, None, 2)
    form = sum(form_pairs(t) for t, _ in reads[way])
    return Reads(sum(scores[way]) / len(crops), sum(mass[way]), form), down


def _reads_better_turned(turned: Reads, upright: Reads, clearly: bool = False) -> bool:
    """Whether a page the profiles say is turned reads better turned a quarter (``_line_reads``
    of both). By score, clearly; or about as well, with far more Chinese read: on its side a
    page's longest "lines" are a few glyphs of its columns, and those read surely too (copier
    seed 5747 at 300 DPI: upright 0.97 with 9 characters, "告告", "加之"; turned 1.00 with 30,
    "本报告根据《中华"; the page was read on its side and its tables lost).

    Or, whatever the scores, where turned its lines read far more of the form's own words: on its
    side a table page's stacked header cells read as sure nonsense ("公这" 0.9998, "分计形"), turned
    its labels read, worn, as the form's ("一、本年新收政不信点" 0.86: copier seed 6714 at 150 DPI,
    a ruled table page on its side was read upside down instead and its table 三 lost)."""
    (t_score, t_mass, t_form), (u_score, u_mass, u_form) = turned, upright
    if t_form >= 2 * u_form + 6:
        return True
    more_chinese = t_mass >= 2 * u_mass + 4
    if clearly:
        # ``clearly``: the profiles did not call the page turned; a worn upright page reads badly
        # either way, so both must say so, by a wide margin
        return t_score > u_score + 0.3 and more_chinese
    return t_score > u_score + 0.1 or (t_score >= u_score - 0.05 and more_chinese)


def _line_starts(grey: np.ndarray, ink: np.ndarray, dpi: float) -> list[tuple[np.ndarray, np.ndarray]]:
    """Crops (upright, upside down) of the starts of the four longest text lines, rules removed."""
    text = despeckle(ink, dpi)
    horiz, vert = ruling_masks(ink)
    text = cv2.bitwise_and(text, cv2.bitwise_not(cv2.bitwise_or(horiz, vert)))
    min_h = max(4, int(dpi / 40))
    # cut as the page is read: with the band heights alone, a row of numbers beside labels wrapped
    # to four lines stays one "line" of digits, the longest of the page, and reads badly upright
    line_h = _page_line_height(text, min_h)
    boxes = sorted(
        text_lines_in(text, 0, 0, ink.shape[1], ink.shape[0], min_h, page_line_h=line_h), key=lambda b: b[0] - b[2]
    )[:4]
    out = []
    for x0, y0, x1, y1 in boxes:
        width = min(x1 - x0, 8 * (y1 - y0))
        out.append(
            (
                np.ascontiguousarray(grey[y0:y1, x0 : x0 + width]),
                np.ascontiguousarray(grey[y0:y1, x1 - width : x1][::-1, ::-1]),
            )
        )
    return out


def _doubtful(page: OcrPage) -> bool:
    """Too few words of two characters or more to tell, or their median score under 0.85; or its
    Chinese read in pieces: of 20 words or more with Chinese in them, under a fifth with three
    characters. A ruled table page on its side reads each glyph of its labels' columns alone and
    surely ("项之" 1.00, "为加" 1.00: copier seed 7004 at 300 DPI, 1 word of 275 with three Chinese
    characters, its table 三 lost); upright, a table page's labels read 70-95% so."""
    scores = [w.confidence for w in page.words if len(w.text) >= 2]
    chinese = [n for n in (chinese_chars(w.text) for w in page.words) if n]
    pieces = len(chinese) >= 20 and sum(1 for n in chinese if n >= 3) < 0.2 * len(chinese)
    return len(scores) < 8 or float(np.median(scores)) < 0.85 or pieces


def _upside_down(grey: np.ndarray, ink: np.ndarray, dpi: float, engine: OcrEngine) -> bool:
    """Recognise the start of the page's longest lines both ways up; the better scores are up.

    Crops are cut to about eight characters: enough to tell, at a fraction of the
    cost of reading whole lines twice. Rules are left out: they are the longest
    "lines" of a ruled page and read the same both ways up.
    """
    crops = _line_starts(grey, ink, dpi)
    if not crops:
        return False
    scores = [s for _, s in engine.recognize([c for pair in crops for c in pair])]
    return sum(scores[1::2]) > sum(scores[0::2]) + 0.4


def despeckle(ink: np.ndarray, dpi: float) -> np.ndarray:
    """Ink without scanner noise: small blobs are kept only next to larger ones.

    A decimal point is as small as a speck of noise, but it stands beside digits;
    noise stands alone.
    """
    return _despeckle(ink, dpi)[0]


def _despeckle(ink: np.ndarray, dpi: float) -> tuple[np.ndarray, np.ndarray]:
    """:func:`despeckle`, and the stats rows (``connectedComponentsWithStats``) of the blobs it
    kept: whole blobs are kept or dropped, so they are the result's own blobs, and the page's
    glyph height needs no second labelling of the page."""
    _, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    area = stats[:, cv2.CC_STAT_AREA]
    # a page sown with specks (a copier's salt and pepper, thousands of one- and two-pixel dots a
    # page where a clean scan has none) has larger ones too, smeared by JPEG: then a blob must be
    # larger to stand alone (beside text it is kept as before: a stroke broken by the noise)
    tiny = int(np.count_nonzero(area[1:] <= 2))
    noisy = tiny > 300 * ink.size / 1e6
    # (a speck smeared by JPEG covers 9-13 pixels whatever the resolution: at 200 DPI and more the
    # usual floor already drops it)
    limit = (dpi / 35) ** 2 if noisy else (dpi / 50) ** 2
    is_small = area < max(4, int(limit))
    is_small[0] = False
    if not is_small.any():
        return ink, stats[1:]
    # a lookup by label, not np.isin: a page has tens of thousands of labels
    small = is_small[labels]
    big = ink.copy()
    big[small] = 0
    near = cv2.dilate(big, _rect(int(dpi / 10), int(dpi / 40)))
    # a small blob touching that neighbourhood is kept whole (a minus sign, a decimal point)
    kept = ~is_small
    kept[labels[small & (near > 0)]] = True
    kept[0] = False
    big[small & kept[labels]] = 255
    return big, stats[kept]


def _page_line_height(text_ink: np.ndarray, min_h: int, blobs: np.ndarray | None = None) -> float | None:
    """The page's usual line height: most bands of its row profile are one line of text or of a
    table, but no more than 1.3 times its tall glyphs (rows that lean on a photographed page run
    into each other in the profile). ``blobs``: the stats rows of ``text_ink``'s blobs, where known."""
    rows = [b - a for a, b in _runs(text_ink.sum(axis=1) > 0, merge_thin=False) if b - a >= min_h]
    line_h = float(np.median(rows)) if rows else None
    glyph_h = _glyph_height(text_ink, min_h, blobs)
    if line_h is not None and glyph_h is not None:
        line_h = min(line_h, 1.3 * glyph_h)
    return line_h


def _glyph_height(text_ink: np.ndarray, min_h: int, blobs: np.ndarray | None = None) -> float | None:
    """The height of the page's tall glyphs (the upper quartile of its blobs: digits and whole
    characters; radicals and punctuation are shorter)."""
    if blobs is None:
        _, _, stats, _ = cv2.connectedComponentsWithStats(text_ink, connectivity=8)
        blobs = stats[1:]
    heights = blobs[:, cv2.CC_STAT_HEIGHT]
    heights = heights[(heights >= min_h) & (blobs[:, cv2.CC_STAT_WIDTH] >= min_h // 2)]
    return float(np.percentile(heights, 75)) if heights.size >= 20 else None


def _read(grey: np.ndarray, ink: np.ndarray, dpi: float, engine: OcrEngine) -> OcrPage:
    scale = 72.0 / dpi
    h, w = grey.shape
    horiz, vert = ruling_masks(ink)
    edges = edges_from_masks(horiz, vert, scale)
    text_ink, blobs = _despeckle(cv2.subtract(ink, cv2.bitwise_or(horiz, vert)), dpi)
    min_h = max(4, int(dpi / 40))
    pad = max(1, int(dpi / 100))
    boxes: list[tuple[int, int, int, int]] = []
    covered = np.zeros((h, w), dtype=bool)
    page_line_h = _page_line_height(text_ink, min_h, blobs)
    for c0, t0, c1, t1 in cell_boxes(edges):
        x0, y0, x1, y1 = (round(v / scale) for v in (c0, t0, c1, t1))
        covered[y0:y1, x0:x1] = True
        # a "cell" a third of the page wide is a frame round an unruled table (an outer box
        # only, a shaded band): its columns are cut apart as on an unruled page
        frame = x1 - x0 > w / 3
        inside = (text_ink, x0 + pad, y0 + pad, x1 - pad, y1 - pad, min_h)
        lines = text_lines_in(*inside, split=frame, page_line_h=page_line_h)
        if not frame and len(lines) > 1:
            # a wide "cell" whose lines part into pieces side by side is a block of a table ruled
            # round its blocks only (table 四 boxed as 行政复议 | 行政诉讼: its five columns' headers
            # and numbers read as one line each, "尚未审持正果结2227245", and the table lost; copier
            # seed 7229: 13 pieces, 17 times their height wide). A value cell's spaced digits part
            # too ("2 , 4 2" over "7": 3 pieces in a cell 5-7 times their height wide, samples/
            # png_page_200.png: cut apart, table 三's first rows were lost)
            cut = text_lines_in(*inside, page_line_h=page_line_h)
            tall = statistics.median(b[3] - b[1] for b in cut) if cut else 0
            if len(cut) >= 4 and x1 - x0 >= 10 * tall and _side_by_side(cut):
                lines = cut
        boxes.extend(lines)
    rest = text_ink.copy()
    rest[covered] = 0
    boxes.extend(text_lines_in(rest, 0, 0, w, h, min_h, page_line_h=page_line_h))
    crops = []
    for x0, y0, x1, y1 in boxes:
        m = max(2, (y1 - y0) // 4)
        crops.append(grey[max(0, y0 - m) : min(h, y1 + m), max(0, x0 - m) : min(w, x1 + m)])
    read = engine.recognize(crops)
    words = []
    # the page's usual line height: a lone dash makes a line box only as tall as itself
    line_h = int(np.median([b[3] - b[1] for b in boxes])) if boxes else 0
    for (x0, y0, x1, y1), (text, score) in zip(boxes, read, strict=True):
        text = text.strip()
        doubt: str | None = None  # nianbao.model.DOUBTS
        if text.isdigit() and (y1 - y0) < min(0.5 * line_h, 3.0 / scale):
            # a "digit" under 3 pt tall (a 5 pt digit is 3.6) and half a line: a speck, or what is
            # left of a seal's stroke
            continue
        if text in _ROUND_ZERO and (y1 - y0) >= 0.6 * line_h:
            # a lone round glyph of a digit's height in a page of tables is a 0 read without
            # context (the recogniser says o, O, 〇 or °): doubted, so it is reviewed
            text, doubt = "0", "round_zero"
        if _SPACED_NUMBER.match(text):
            # full-width digits leave wide gaps that the recogniser reads as spaces: one number. A
            # gap before the last one or two digits of a number with no point is where a decimal
            # point stood that a seal's removal or a coarse scan took ("357 88" for 357.88 万元,
            # read 35788 at 1.00 and never named): doubted, so that it is reported and read again
            lost_point = bool(re.search(r"\d\s+\d{1,2}$", text)) and not re.search(r"[.．,，]", text)
            text = re.sub(r"\s+", "", text)
            doubt = "point_gap" if lost_point else doubt
        elif text.isdigit() and len(text) >= 3 and _gap_before_tail(text_ink[y0:y1, x0:x1], len(text)):
            doubt = "point_gap"  # the same gap, read without a space
        if _NUMBER.match(text) and "." in text and not _baseline_dot(text_ink[y0:y1, x0:x1], dpi):
            # a point read between digits with no dot on the baseline is a speck of noise
            text, doubt = text.replace(".", ""), "speck_point"
        # only a lone mark the width of a character can be one of the blank forms
        lone = len(text) <= 2 and (x1 - x0) <= 1.5 * max(line_h, y1 - y0)
        shape = blank_mark(text_ink[y0:y1, x0:x1], max(line_h, y1 - y0)) if lone else None
        if shape is not None and shape != text and not (len(text) == 2 and text.isdigit() and score >= 0.9):
            # one stroke printed for "nothing" (— - /): its geometry is surer than the recogniser,
            # which reads a lone / as 1 and a dash as 2 at low resolution
            text, score = shape, max(score, 0.95)
        elif _NUMBER.match(text) and leading_dash(text_ink[y0:y1, x0:x1]):
            # the recogniser drops a short leading minus; the ink shows it. Doubted, so that
            # the reading is reviewed (ocr.low_confidence)
            text, doubt = "-" + text, "leading_dash"
        # a smudge read as punctuation is not text
        if text and (any(ch.isalnum() for ch in text) or score >= 0.9):
            words.append(Word(text, BBox(x0 * scale, y0 * scale, x1 * scale, y1 * scale), "ocr", score, doubt))
    return OcrPage(words, edges, w * scale, h * scale)
