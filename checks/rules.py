"""The format's arithmetic rules (勾稽关系) and value domains, one class per rule."""

from __future__ import annotations

from collections.abc import Iterator

from checks.base import Cells, Check, ref, sum_rule
from normalizers.templates import MONEY_COLS, SIGNED_COLS, TEMPLATES, Template
from pipeline.catalogue import finding
from pipeline.model import DocumentResult, Finding


def _template(doc: DocumentResult, table: str) -> Template | None:
    fmt = doc.table_formats.get(table)
    for t in TEMPLATES[table]:
        if t.format == fmt:
            return t
    return None


def _roles(tpl: Template, role: str) -> list[str]:
    return [r.code for r in tpl.rows if r.role == role]


class T3Balance(Check):
    """For every column: 本年新收 + 上年结转 = 总计 + 结转下年度."""

    code = "t3.balance"

    def run(self, doc: DocumentResult) -> Iterator[Finding]:
        tpl = _template(doc, "t3")
        if tpl is None:
            return
        cells = Cells.of(doc)
        for col in (c.code for c in tpl.cols):
            parts = [cells.get("t3", r, col) for r in _roles(tpl, "in")]
            totals = [cells.get("t3", r, col) for r in (*_roles(tpl, "total"), *_roles(tpl, "out"))]
            yield from sum_rule(self.code, "t3", col, parts, totals, "new + carried over ≠ processed + carried forward")


class T3ResultsTotal(Check):
    """For every column: （七）总计 = the sum of the result rows （一）…（六）."""

    code = "t3.results_total"

    def run(self, doc: DocumentResult) -> Iterator[Finding]:
        tpl = _template(doc, "t3")
        if tpl is None:
            return
        cells = Cells.of(doc)
        for col in (c.code for c in tpl.cols):
            parts = [cells.get("t3", r, col) for r in _roles(tpl, "result")]
            totals = [cells.get("t3", r, col) for r in _roles(tpl, "total")]
            yield from sum_rule(self.code, "t3", col, parts, totals, "result rows do not add up to 总计")


class T3ApplicantTotal(Check):
    """For every row: 总计 = 自然人 + the five 法人或其他组织 columns."""

    code = "t3.applicant_total"

    def run(self, doc: DocumentResult) -> Iterator[Finding]:
        tpl = _template(doc, "t3")
        if tpl is None:
            return
        cells = Cells.of(doc)
        part_cols = [c.code for c in tpl.cols if c.role == "part"]
        sum_col = [c.code for c in tpl.cols if c.role == "sum"]
        for row in (r.code for r in tpl.rows):
            parts = [cells.get("t3", row, c) for c in part_cols]
            totals = [cells.get("t3", row, c) for c in sum_col]
            yield from sum_rule(self.code, "t3", row, parts, totals, "applicant columns do not add up to 总计")


class T4Total(Check):
    """For each block: 总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结."""

    code = "t4.total"

    def run(self, doc: DocumentResult) -> Iterator[Finding]:
        tpl = _template(doc, "t4")
        if tpl is None:
            return
        cells = Cells.of(doc)
        part_cols = [c.code for c in tpl.cols if c.role == "part"]
        sum_col = [c.code for c in tpl.cols if c.role == "sum"]
        for row in (r.code for r in tpl.rows):
            parts = [cells.get("t4", row, c) for c in part_cols]
            totals = [cells.get("t4", row, c) for c in sum_col]
            yield from sum_rule(self.code, "t4", row, parts, totals, "parts do not add up to 总计")


class ValueDomain(Check):
    """Counts are non-negative whole numbers; money is a non-negative amount."""

    code = "value.domain"

    def run(self, doc: DocumentResult) -> Iterator[Finding]:
        for v in doc.values:
            if v.value is None:
                continue
            key = (v.table, v.col)
            signed = key in SIGNED_COLS
            money = key in MONEY_COLS
            problem = None
            if v.value < 0 and not signed:
                problem = "negative"
            elif not money and not float(v.value).is_integer():
                problem = "not a whole number"
            if problem:
                yield finding(
                    self.code,
                    f"{v.table}.{v.row}.{v.col}: printed '{v.prov.raw}' is {problem}",
                    table=v.table,
                    cells=[ref(v)],
                    expected="a non-negative amount" if money else "a non-negative whole number",
                    printed=v.prov.raw,
                    subject=f"{v.table}.{v.row}.{v.col}",
                )


SINGLE_REPORT_CHECKS: tuple[Check, ...] = (
    T3Balance(),
    T3ResultsTotal(),
    T3ApplicantTotal(),
    T4Total(),
    ValueDomain(),
)
