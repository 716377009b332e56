"""A rule finding on a scan rests on readings that agree, never on one OCR pass.

When an arithmetic rule fails on a table read by OCR, every OCR'd cell the failed rules
name is read again from the page image: first a binarised crop of the cell's own ink, then,
only where that reading and the first disagree or neither is confident, a wider crop with
its contrast stretched. Ruling lines inside the crop are whitened first, so that a rule is
never read as a 1. Then, per table:

* a cell is **confirmed** when its readings give one value and one of them at least has the
  recogniser's confidence;
* the fewest (one or two) doubtful cells whose re-readings restore every failed sum of the
  table (no new failure) are the explanation, when they are the only one. A cell whose two
  re-readings agree on the new value takes it, with an ``ocr.reread_value`` finding naming
  all its readings; otherwise the re-reading is reported as ``ocr.suggested_value`` and the
  failed sums become ``ocr.suspect_sum`` (see :func:`checks.registry.suspect_sums`);
* a failed sum with a cell whose readings give two different numbers, or that several
  readings could restore, becomes ``ocr.unconfirmed_sum`` (a warning naming those cells and
  every reading);
* any other stays an error, and its message says it was re-read.

Re-reading costs only where a sum fails on an OCR'd table; page images are kept until
this stage for the pages that hold a format table, then dropped.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import cv2
import numpy as np

from nianbao.checks.base import Cells, ref
from nianbao.checks.ocr_repair import ARITHMETIC, error_findings
from nianbao.checks.registry import suspect_sums
from nianbao.normalizers.readout import value_of
from nianbao.pipeline.catalogue import finding, recoded
from nianbao.pipeline.model import BBox, DocumentResult, Finding, Severity, Value
from nianbao.pipeline.settings import Settings

MAX_COMBINATIONS = 256
FIRST, BINARISED, WIDER = "first reading", "binarised crop", "wider crop"
ZH = {FIRST: "首次识别", BINARISED: "二值化重读", WIDER: "扩大裁切重读"}

Reading = tuple[str, str, float, float | int | None]  # how, text, confidence, value


@dataclass(slots=True)
class Readings:
    """The readings of one cell: the first pass's, then the re-readings."""

    value: Value
    reads: list[Reading] = field(default_factory=list)

    @property
    def key(self) -> str:
        return ref(self.value).key

    @property
    def values(self) -> list[float | int | None]:
        return [r[3] for r in self.reads]

    def confirmed(self, min_confidence: float) -> bool:
        """Two readings at least, one value, one of them confident."""
        vals = self.values
        return (
            len(vals) >= 2
            and vals[0] is not None
            and all(v == vals[0] for v in vals)
            and max(r[2] for r in self.reads) >= min_confidence
        )

    def disagree(self) -> bool:
        """Readings that give two different numbers (a failed read, '' or '。', says nothing)."""
        return len({v for v in self.values if v is not None}) > 1

    def alternatives(self) -> list[float | int]:
        """Values the re-readings give that differ from the current one."""
        current = self.value.value
        return list(dict.fromkeys(v for v in self.values[1:] if v is not None and v != current))

    def agreed(self) -> float | int | None:
        """The value both re-readings give, when there are two and they agree."""
        rereads = self.values[1:]
        return rereads[0] if len(rereads) == 2 and rereads[0] is not None and rereads[0] == rereads[1] else None

    def describe(self) -> str:
        return "; ".join(f"{how} '{text}' ({conf:.2f})" for how, text, conf, _ in self.reads)

    def describe_zh(self) -> str:
        return "；".join(f"{ZH[how]}“{text}”" for how, text, _, _ in self.reads)


def verify_readings(doc: DocumentResult, settings: Settings) -> DocumentResult:
    """The pipeline stage: re-read the cells of failed sums on OCR'd tables (see the module)."""
    try:
        images = {p.number: (p.image, p.image_dpi) for p in doc.pages if p.image is not None}
        failed = [f for f in doc.findings if f.rule in ARITHMETIC and f.severity is Severity.ERROR]
        if not images or not failed:
            return doc
        lookup = Cells.of(doc)
        tables: dict[str, list[Finding]] = {}
        for f in failed:
            if f.table is not None:
                tables.setdefault(f.table, []).append(f)
        for table, errors in tables.items():
            named = {(c.table, c.row, c.col): None for f in errors for c in f.cells}
            found = (lookup.get(*k) for k in named)
            cells = [v for v in found if v is not None and v.prov.source == "ocr"]
            if not cells:
                continue  # read from a text layer: nothing to doubt
            readings = reread(cells, images, settings)
            settle(doc, table, errors, readings, settings)
        doc.findings = suspect_sums(doc.findings)
        return doc
    finally:
        for p in doc.pages:
            p.image = None


def reread(cells: Sequence[Value], images: dict[int, tuple[np.ndarray, float]], settings: Settings) -> list[Readings]:
    """Every cell's first reading and its re-readings.

    The binarised crop is read first, for every cell in one recogniser batch; only cells where
    it disagrees with the first reading, or neither is confident, are read a third time (the
    wider crop): two readings that agree with confidence settle a cell at half the cost.
    """
    out = [Readings(v, [(FIRST, v.prov.raw, v.prov.confidence, v.value)]) for v in cells]
    crops = {
        i: variants(images[v.prov.page][0], v.prov.bbox, images[v.prov.page][1])
        for i, v in enumerate(cells)
        if v.prov.page in images and v.prov.bbox is not None
    }
    if not crops:
        return out
    _read_into(out, [(i, crops[i][1]) for i in crops], BINARISED, settings)
    unsettled = [i for i in crops if not out[i].confirmed(settings.ocr_min_confidence)]
    _read_into(out, [(i, crops[i][0]) for i in unsettled], WIDER, settings)
    return out


def _read_into(out: list[Readings], jobs: list[tuple[int, np.ndarray]], how: str, settings: Settings) -> None:
    # imported here: loading the recogniser is left to the filings that need it
    from nianbao.extractors.ocr_engine import engine_for

    if not jobs:
        return
    for (i, _), (text, score) in zip(jobs, engine_for(settings).recognize([c for _, c in jobs]), strict=True):
        v = out[i].value
        text = text.strip().replace(" ", "")
        parsed = value_of(v.table, v.row, v.col, replace(v.prov, raw=text), settings)
        out[i].reads.append((how, text, float(score), parsed.value))


def variants(grey: np.ndarray, bbox: BBox, dpi: float) -> list[np.ndarray]:
    """The two re-reading crops of a value: the grey crop with its contrast stretched, and the
    crop binarised at twice the size. Both are cut round the value's own ink, found inside its
    box (a cell of a ruled table, or a word) with ruling lines whitened first: a rule beside a
    digit reads as a 1."""
    k = dpi / 72
    x0, top, x1, bottom = (float(v) * k for v in (bbox.x0, bbox.top, bbox.x1, bbox.bottom))
    h = max(bottom - top, 4.0)
    m = 0.3 * h
    ys0, ys1 = max(0, int(top - m)), min(grey.shape[0], int(bottom + m) + 1)
    xs0, xs1 = max(0, int(x0 - m)), min(grey.shape[1], int(x1 + m) + 1)
    region = grey[ys0:ys1, xs0:xs1]
    if region.size == 0:
        return [region, region]
    region = _without_rules(region, h)
    _, ink = cv2.threshold(region, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    n, _, stats, centres = cv2.connectedComponentsWithStats(ink, connectivity=8)
    # the value's own ink: blobs centred inside its box (the margin only catches a digit that
    # overflows the box, never the digits of the cells above and below)
    inside_x, inside_y = (x0 - xs0, x1 - xs0), (top - ys0, bottom - ys0)
    keep = [
        i
        for i in range(1, n)
        if stats[i, cv2.CC_STAT_AREA] >= max(3, (dpi / 100) ** 2)
        and inside_x[0] <= centres[i][0] <= inside_x[1]
        and inside_y[0] <= centres[i][1] <= inside_y[1]
    ]
    if keep:
        left = min(stats[i, cv2.CC_STAT_LEFT] for i in keep)
        right = max(stats[i, cv2.CC_STAT_LEFT] + stats[i, cv2.CC_STAT_WIDTH] for i in keep)
        upper = min(stats[i, cv2.CC_STAT_TOP] for i in keep)
        lower = max(stats[i, cv2.CC_STAT_TOP] + stats[i, cv2.CC_STAT_HEIGHT] for i in keep)
        pad = max(2, int(0.3 * (lower - upper)))
        region = region[max(0, upper - pad) : lower + pad, max(0, left - pad) : right + pad]
    lo, hi = np.percentile(region, (2, 98))
    stretched = np.clip((region.astype(np.float32) - lo) * 255.0 / max(hi - lo, 1.0), 0, 255).astype(np.uint8)
    big = cv2.resize(region, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)
    _, binary = cv2.threshold(cv2.GaussianBlur(big, (3, 3), 0), 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return [np.ascontiguousarray(stretched), np.ascontiguousarray(binary)]


def _without_rules(region: np.ndarray, box_h: float) -> np.ndarray:
    """The region with ruling lines turned to paper: ink runs longer than a digit is tall or wide."""
    _, ink = cv2.threshold(region, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    h, w = ink.shape
    long_h = max(10, int(min(0.9 * w, 1.2 * box_h)))
    long_v = max(10, int(0.75 * h))
    rules = cv2.bitwise_or(
        cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (long_h, 1))),
        cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, long_v))),
    )
    out = region.copy()
    out[cv2.dilate(rules, np.ones((3, 3), np.uint8)) > 0] = 255
    return out


def _restores(doc: DocumentResult, table: str, change: dict[int, float | int], cells: list[Readings]) -> bool:
    """True when the table has no failed sum with the changed values (restored afterwards)."""
    saved = {i: cells[i].value.value for i in change}
    try:
        for i, v in change.items():
            cells[i].value.value = v
        return not any(f.table == table for f in error_findings(doc))
    finally:
        for i, old in saved.items():
            cells[i].value.value = old


def settle(
    doc: DocumentResult, table: str, errors: list[Finding], readings: list[Readings], settings: Settings
) -> None:
    doubtful = [i for i, r in enumerate(readings) if not r.confirmed(settings.ocr_min_confidence) and r.alternatives()]
    failed_cells = [{c.key for c in f.cells} for f in errors]
    explanations: list[dict[int, float | int]] = []
    for size in (1, 2):  # one or two misread cells; more is not a misreading an auditor can be shown
        tried = 0
        for subset in itertools.combinations(doubtful, size):
            keys = {readings[i].key for i in subset}
            if not all(keys & cells for cells in failed_cells):
                continue  # a failed sum none of these cells is part of stays failed
            for values in itertools.product(*(readings[i].alternatives() for i in subset)):
                tried += 1
                change = dict(zip(subset, values, strict=True))
                if _restores(doc, table, change, readings):
                    explanations.append(change)
                if tried >= MAX_COMBINATIONS:
                    break
            if tried >= MAX_COMBINATIONS:
                break
        if explanations:
            break  # the fewest cells that explain the failures
    if len(explanations) == 1:
        _explain(doc, table, errors, explanations[0], readings)
        return
    # several explanations and none chosen, or readings of a cell that disagree: the sum does not
    # rest on readings that agree, and is not an error against the filing
    in_doubt = {i for change in explanations for i in change} | {i for i, r in enumerate(readings) if r.disagree()}
    for f in errors:
        keys = {c.key for c in f.cells}
        mine = [r for r in readings if r.key in keys]
        doubted = [readings[i] for i in sorted(in_doubt) if readings[i].key in keys]
        if doubted:
            _downgrade(doc, f, doubted, restorable=bool(explanations))
        else:
            _confirm(f, mine, settings.ocr_min_confidence)


def _explain(
    doc: DocumentResult, table: str, errors: list[Finding], change: dict[int, float | int], readings: list[Readings]
) -> None:
    adopt = {i: v for i, v in change.items() if readings[i].agreed() == v}
    if len(adopt) == len(change):
        # both re-readings agree on every changed cell, and together they restore every failed
        # sum: the first pass misread. The value takes the re-reading; the finding keeps all three
        for i, v in adopt.items():
            r = readings[i]
            _, first, first_conf, _ = r.reads[0]
            text, conf = r.reads[1][1], max(r.reads[1][2], r.reads[2][2])
            r.value.value = v
            r.value.prov.raw, r.value.prov.confidence = text, conf
            r.value.note = f"re-read: the first OCR pass read '{first}'"
            doc.findings.append(
                finding(
                    "ocr.reread_value",
                    f"{r.key}: first read '{first}' ({first_conf:.2f}); re-read twice as '{text}' "
                    f"({r.describe()}); the re-reading restores every failed sum of the table and is kept",
                    table=r.value.table,
                    cells=[ref(r.value)],
                    expected=v,
                    printed=first,
                    subject=r.key,
                    message_zh=f"首次OCR识别为“{first}”，两次重新识别均为“{text}”（{r.describe_zh()}），"
                    "采用重新识别值后本表勾稽关系全部成立",
                )
            )
        doc.findings = [f for f in doc.findings if f not in errors]
        return
    for i, v in change.items():
        r = readings[i]
        doc.findings.append(
            finding(
                "ocr.suggested_value",
                f"{r.key}: read '{r.reads[0][1]}' with confidence {r.reads[0][2]:.2f}; re-reading it ({r.describe()}) "
                f"gives {v:g}, which restores every failed sum of the table (the value stays as read)",
                table=r.value.table,
                expected=v,
                printed=r.reads[0][1],
                page=r.value.prov.page,
                bbox=r.value.prov.bbox,
                subject=r.key,
            )
        )


def _downgrade(doc: DocumentResult, f: Finding, doubtful: list[Readings], restorable: bool) -> None:
    where = "; ".join(f"{r.key}: {r.describe()}" for r in doubtful)
    where_zh = "；".join(r.describe_zh() for r in doubtful)
    why = "another reading restores it" if restorable else "the readings of these cells disagree"
    i = doc.findings.index(f)
    doc.findings[i] = recoded(
        f,
        "ocr.unconfirmed_sum",
        f"{f.rule} fails as read ({f.message}), but its OCR readings are not confirmed: {where}. "
        f"As {why}, it is not reported as an error",
        f"{f.message_zh or f.message}；但相关OCR读数未经确认（{where_zh}），"
        f"{'另一读数可使其成立' if restorable else '多次识别结果不一致'}，故不作为错误",
    )


def _confirm(f: Finding, mine: list[Readings], min_confidence: float) -> None:
    if all(r.confirmed(min_confidence) for r in mine):
        f.message += f" (confirmed: each of its {len(mine)} OCR'd cells read the same again from a binarised crop)"
        f.message_zh = (f.message_zh or "") + f"（已复核：{len(mine)}个OCR单元格重新识别结果一致）"
    else:
        doubtful = [f"{r.key}: {r.describe()}" for r in mine if not r.confirmed(min_confidence)]
        f.message += f" (re-read: no reading tried of {'; '.join(doubtful)} restores it)"
        f.message_zh = (f.message_zh or "") + "（已复核：存疑单元格的各种读数均不能使其成立）"
