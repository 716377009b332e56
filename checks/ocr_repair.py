"""Suggested readings for OCR'd cells, from the format's redundancy. Never a silent change.

When arithmetic rules fail on a table read by OCR and exactly one
low-confidence cell, given another value, makes every failed rule hold again
(without breaking one that held), that value is reported beside the printed
reading as ``ocr.suggested_value``. The canonical value stays as read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from rapidfuzz.distance import Levenshtein

from nianbao.catalogue import finding
from nianbao.checks.base import Check
from nianbao.checks.decisions import overlaid
from nianbao.checks.rules import SINGLE_REPORT_CHECKS
from nianbao.form.identities import SUM_RULE_CODES
from nianbao.model import DocumentResult, Finding, Value

MAX_PAIR_SUSPECTS = 8


def _one_char_away(value: float, raw: str) -> bool:
    """An OCR confusion: the value's digits one substitution, insertion or deletion from the read ones."""
    digits = re.sub(r"\D", "", raw)
    return float(value).is_integer() and Levenshtein.distance(str(int(value)), digits) <= 1


def _one_char_neighbours(digits: str) -> set[int]:
    out: set[str] = set()
    for i in range(len(digits) + 1):
        for d in "0123456789":
            out.add(digits[:i] + d + digits[i:])  # inserted
            if i < len(digits):
                out.add(digits[:i] + d + digits[i + 1 :])  # substituted
        if i < len(digits):
            out.add(digits[:i] + digits[i + 1 :])  # deleted
    # whole numbers as printed: no leading zeros (but 0 itself)
    return {int(x) for x in out if x and (x == "0" or not x.startswith("0")) and x != digits}


def error_findings(doc: DocumentResult) -> list[Finding]:
    """The arithmetic rules' failures with the document's values as they are now."""
    return [
        f
        for check in SINGLE_REPORT_CHECKS
        if check.code in SUM_RULE_CODES
        for f in check.run(doc)
        if f.rule in SUM_RULE_CODES
    ]


def _errors(doc: DocumentResult) -> set[tuple[str, str | None]]:
    return {(f.rule, f.subject) for f in error_findings(doc)}


class OcrSuggestion(Check):
    code = "ocr.suggested_value"

    def run(self, doc: DocumentResult) -> Iterator[Finding]:
        failed = {(f.rule, f.subject) for f in doc.findings if f.rule in SUM_RULE_CODES}
        if not failed:
            return
        low = {(f.table, f.subject) for f in doc.findings if f.rule == "ocr.low_confidence"}
        suspects = [v for v in doc.values if (v.table, f"{v.table}.{v.row}.{v.col}") in low]
        fixes: list[tuple[Value, float]] = []
        for v in suspects:
            for candidate in self._candidates(doc, v):
                # judged on an overlay: the document is not touched (checks/decisions.py)
                if not _errors(overlaid(doc, {id(v): candidate})):
                    fixes.append((v, candidate))
        if len({id(v) for v, _ in fixes}) == 1:
            yield self._suggest(*fixes[0])
            return
        if fixes:
            return  # several cells could each explain it: nothing to say
        # two doubtful cells together (a 1 dropped from "10", an 8 read for a 3): only readings one
        # character away from what was read, so that two free cells cannot explain away a real error
        involved = {c.key for f in doc.findings if f.rule in SUM_RULE_CODES for c in f.cells}
        pairs = self._pairs(doc, [v for v in suspects if f"{v.table}.{v.row}.{v.col}" in involved])
        if len(pairs) == 1:
            for v, value in pairs[0]:
                yield self._suggest(v, value)

    def _suggest(self, v: Value, value: float) -> Finding:
        return finding(
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

    def _pairs(self, doc: DocumentResult, suspects: list[Value]) -> list[tuple[tuple[Value, float], ...]]:
        """Every joint reading of two doubtful cells of one table, each one character from what was
        read, that restores every failed sum (at most a few suspects are tried: the search is quadratic)."""
        found: list[tuple[tuple[Value, float], ...]] = []
        if len(suspects) > MAX_PAIR_SUSPECTS:
            return found
        for i, a in enumerate(suspects):
            for b in suspects[i + 1 :]:
                if a.table != b.table:
                    continue
                for va in [*self._near(doc, a), a.value]:
                    if va is None:
                        continue
                    failures = error_findings(overlaid(doc, {id(a): va}))
                    for vb in self._near_from(failures, b):
                        if va != a.value and not _errors(overlaid(doc, {id(a): va, id(b): vb})):
                            found.append(((a, float(va)), (b, vb)))
        return found

    def _near(self, doc: DocumentResult, v: Value) -> list[float]:
        """Every whole number one character (digit substituted, inserted or deleted) from the reading."""
        return [float(n) for n in _one_char_neighbours(re.sub(r"\D", "", v.prov.raw))]

    def _near_from(self, failures: list[Finding], v: Value) -> list[float]:
        return [c for c in candidates_from(failures, v) if _one_char_away(c, v.prov.raw)]

    @staticmethod
    def _candidates(doc: DocumentResult, v: Value) -> list[float]:
        """Values that would close each failed sum this cell takes part in."""
        return candidates_from(doc.findings, v)


def candidates_from(findings: list[Finding], v: Value) -> list[float]:
    """Values of ``v`` that would close each failed sum (of ``findings``) it takes part in."""
    out: set[float] = set()
    for f in findings:
        if f.rule not in SUM_RULE_CODES or f.expected is None or f.printed is None:
            continue
        keys = [c.key for c in f.cells]
        key = f"{v.table}.{v.row}.{v.col}"
        if key not in keys:
            continue
        diff = float(f.expected) - float(f.printed)
        current = float(v.value) if v.value is not None else 0.0
        # the cell is among the parts (expected side) or the totals (printed side)
        is_total = keys.index(key) >= len(keys) - _n_totals(f.rule)
        # rounded: 3.1 - 0.1 is 3.0000000000000004 in floating point, and no whole number
        new = round(current + diff if is_total else current - diff, 6)
        if new >= 0 and float(new).is_integer():
            out.add(new)
    return sorted(out)


def _n_totals(rule: str) -> int:
    return 2 if rule == "t3.balance" else 1
