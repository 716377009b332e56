"""Checks across years of the same body (batch mode): carry-over and the stock of documents.

A report's 上年结转 must equal the previous year's 结转下年度, column by column
(``cross_year.carry_over``, an error); 现行有效件数 should move by 本年制发 − 本年废止
(``cross_year.stock``, a warning: bodies also clean up their stock). Only
consecutive years of one issuing body are compared, and only cells both reports
print.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from nianbao.catalogue import finding
from nianbao.checks.base import ref
from nianbao.form.templates import T3_COLS
from nianbao.model import DocumentResult, Finding, Value

T3_COL_CODES = tuple(c.code for c in T3_COLS)
STOCK_ROWS = ("regulations", "normative_documents")


@dataclass(slots=True)
class YearSummary:
    """What the cross-year rules need of one report, kept small for 50,000-report batches."""

    doc_id: str
    body: str
    year: int
    cells: dict[tuple[str, str, str], Value] = field(default_factory=dict)

    @classmethod
    def of(cls, doc: DocumentResult) -> YearSummary | None:
        if not doc.metadata.body or not doc.metadata.year:
            return None
        keep = {("t3", "carried_over"), ("t3", "carried_forward")} | {("t2", r) for r in STOCK_ROWS}
        cells = {(v.table, v.row, v.col): v for v in doc.values if (v.table, v.row) in keep and v.value is not None}
        return cls(doc.doc_id, doc.metadata.body, doc.metadata.year, cells)


def cross_year_findings(
    summaries: Iterable[YearSummary], body_of: Mapping[str, str] | None = None
) -> Iterator[tuple[str, Finding]]:
    """(doc_id of the later report, finding) for every pair of consecutive years of one body.

    ``body_of`` maps doc_id to the linked body (:func:`nianbao.normalizers.bodies.link_bodies`),
    so 磁灶镇人民政府 2022 follows 晋江市磁灶镇人民政府 2021; without it, the name as printed.
    """
    by_body: dict[str, dict[int, YearSummary]] = {}
    for s in summaries:
        key = (body_of or {}).get(s.doc_id, s.body)
        by_body.setdefault(key, {})[s.year] = s
    for years in by_body.values():
        for year, this in sorted(years.items()):
            last = years.get(year - 1)
            if last is None:
                continue
            yield from ((this.doc_id, f) for f in _carry_over(last, this))
            yield from ((this.doc_id, f) for f in _stock(last, this))


def _carry_over(last: YearSummary, this: YearSummary) -> Iterator[Finding]:
    for col in T3_COL_CODES:
        before = last.cells.get(("t3", "carried_forward", col))
        now = this.cells.get(("t3", "carried_over", col))
        if before is None or now is None or before.value == now.value:
            continue
        yield finding(
            "cross_year.carry_over",
            f"{this.year} 上年结转 [{col}] is {now.value:g}; the {last.year} report carried {before.value:g} forward "
            f"(report {last.doc_id})",
            table="t3",
            cells=[ref(now)],
            expected=before.value,
            printed=now.value,
            subject=col,
        )


def _stock(last: YearSummary, this: YearSummary) -> Iterator[Finding]:
    for row in STOCK_ROWS:
        before = last.cells.get(("t2", row, "in_force"))
        now = this.cells.get(("t2", row, "in_force"))
        issued = this.cells.get(("t2", row, "issued"))
        repealed = this.cells.get(("t2", row, "repealed"))
        if before is None or now is None or issued is None or repealed is None:
            continue
        expected = float(before.value or 0) + float(issued.value or 0) - float(repealed.value or 0)
        if abs(expected - float(now.value or 0)) > 1e-9:
            yield finding(
                "cross_year.stock",
                f"{row}: in force {now.value:g} in {this.year}; {last.year}'s {before.value:g} + issued "
                f"{issued.value:g} − repealed {repealed.value:g} = {expected:g}",
                table="t2",
                cells=[ref(now)],
                expected=expected,
                printed=now.value,
                subject=row,
            )
