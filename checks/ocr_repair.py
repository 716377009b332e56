"""Suggested readings for OCR'd cells, from the format's redundancy. Never a silent change.

When arithmetic rules fail on a table read by OCR and exactly one
low-confidence cell, given another value, makes every failed rule hold again
(without breaking one that held), that value is reported beside the printed
reading as ``ocr.suggested_value``. The canonical value stays as read.
"""

from __future__ import annotations

from collections.abc import Iterator

from nianbao.checks.base import Check
from nianbao.checks.rules import SINGLE_REPORT_CHECKS
from nianbao.pipeline.catalogue import finding
from nianbao.pipeline.model import DocumentResult, Finding, Value

ARITHMETIC = ("t3.balance", "t3.results_total", "t3.applicant_total", "t4.total")


def _errors(doc: DocumentResult) -> set[tuple[str, str | None]]:
    out: set[tuple[str, str | None]] = set()
    for check in SINGLE_REPORT_CHECKS:
        if check.code in ARITHMETIC:
            out |= {(f.rule, f.subject) for f in check.run(doc) if f.rule in ARITHMETIC}
    return out


class OcrSuggestion(Check):
    code = "ocr.suggested_value"

    def run(self, doc: DocumentResult) -> Iterator[Finding]:
        failed = {(f.rule, f.subject) for f in doc.findings if f.rule in ARITHMETIC}
        if not failed:
            return
        low = {(f.table, f.subject) for f in doc.findings if f.rule == "ocr.low_confidence"}
        suspects = [v for v in doc.values if (v.table, f"{v.table}.{v.row}.{v.col}") in low]
        fixes: list[tuple[Value, float]] = []
        for v in suspects:
            for candidate in self._candidates(doc, v):
                original = v.value
                v.value = candidate
                try:
                    if not _errors(doc):
                        fixes.append((v, candidate))
                finally:
                    v.value = original
        if len({id(v) for v, _ in fixes}) != 1:
            return  # none, or several cells could each explain it: nothing to say
        v, value = fixes[0]
        yield finding(
            self.code,
            f"{v.table}.{v.row}.{v.col}: read '{v.prov.raw}' with confidence {v.prov.confidence:.2f}; reading it "
            f"as {value:g} restores every failed sum of the table (the value stays as read)",
            table=v.table,
            cells=[],
            expected=value,
            printed=v.prov.raw,
            page=v.prov.page,
            bbox=v.prov.bbox,
            subject=f"{v.table}.{v.row}.{v.col}",
        )

    @staticmethod
    def _candidates(doc: DocumentResult, v: Value) -> list[float]:
        """Values that would close each failed sum this cell takes part in."""
        out: set[float] = set()
        for f in doc.findings:
            if f.rule not in ARITHMETIC or f.expected is None or f.printed is None:
                continue
            keys = [c.key for c in f.cells]
            key = f"{v.table}.{v.row}.{v.col}"
            if key not in keys:
                continue
            diff = float(f.expected) - float(f.printed)
            current = float(v.value) if v.value is not None else 0.0
            # the cell is among the parts (expected side) or the totals (printed side)
            is_total = keys.index(key) >= len(keys) - _n_totals(f.rule)
            new = current + diff if is_total else current - diff
            if new >= 0 and float(new).is_integer():
                out.add(new)
        return sorted(out)


def _n_totals(rule: str) -> int:
    return 2 if rule == "t3.balance" else 1
