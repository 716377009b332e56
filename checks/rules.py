"""The format's arithmetic rules (勾稽关系), as data on one sum class, and the value domains."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from nianbao.checks.base import Cells, Check, ref, sum_rule
from nianbao.normalizers.templates import MONEY_COLS, SIGNED_COLS, TEMPLATES, Template
from nianbao.pipeline.catalogue import finding
from nianbao.pipeline.model import DocumentResult, Finding


def _template(doc: DocumentResult, table: str) -> Template | None:
    fmt = doc.table_formats.get(table)
    for t in TEMPLATES[table]:
        if t.format == fmt:
            return t
    return None


@dataclass(frozen=True, slots=True)
class SumRule(Check):
    """sum(parts) = sum(totals), for every column (or every row) of a table.

    The four sums of the format differ only in data: which table, whether the
    sum runs down each column or across each row, and which template roles are
    the parts and the totals (see the ``role`` of the labels in
    :mod:`normalizers.templates`).
    """

    code: str
    table: str
    along: str  # "col": rows are summed within each column; "row": columns within each row
    parts: tuple[str, ...]  # roles summed
    totals: tuple[str, ...]  # roles they must equal
    describe: str
    describe_zh: str = ""  # the rule as the form states it; {parts} and {totals} are the printed sums

    def run(self, doc: DocumentResult) -> Iterator[Finding]:
        tpl = _template(doc, self.table)
        if tpl is None:
            return
        cells = Cells.of(doc)
        if self.along == "col":
            for col in (c.code for c in tpl.cols):
                parts = [cells.get(self.table, r.code, col) for r in tpl.rows if r.role in self.parts]
                totals = [
                    cells.get(self.table, r.code, col) for role in self.totals for r in tpl.rows if r.role == role
                ]
                yield from sum_rule(self.code, self.table, col, parts, totals, self.describe, self.describe_zh)
        else:
            for row in (r.code for r in tpl.rows):
                parts = [cells.get(self.table, row, c.code) for c in tpl.cols if c.role in self.parts]
                totals = [cells.get(self.table, row, c.code) for c in tpl.cols if c.role in self.totals]
                yield from sum_rule(self.code, self.table, row, parts, totals, self.describe, self.describe_zh)


# 本年新收 + 上年结转 = 总计 + 结转下年度, for every column
T3_BALANCE = SumRule(
    "t3.balance",
    "t3",
    "col",
    ("in",),
    ("total", "out"),
    "new + carried over ≠ processed + carried forward",
    "第一项加第二项之和（{parts}）不等于第三项加第四项之和（{totals}）",
)
# （七）总计 = the result rows （一）…（六）, for every column
T3_RESULTS_TOTAL = SumRule(
    "t3.results_total",
    "t3",
    "col",
    ("result",),
    ("total",),
    "result rows do not add up to 总计",
    "办理结果（一）至（六）各项之和（{parts}）不等于（七）总计（{totals}）",
)
# 总计 = 自然人 + the five 法人或其他组织 columns, for every row
T3_APPLICANT_TOTAL = SumRule(
    "t3.applicant_total",
    "t3",
    "row",
    ("part",),
    ("sum",),
    "applicant columns do not add up to 总计",
    "自然人与法人或其他组织各栏之和（{parts}）不等于总计栏（{totals}）",
)
# 总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结, for each block
T4_TOTAL = SumRule(
    "t4.total",
    "t4",
    "row",
    ("part",),
    ("sum",),
    "parts do not add up to 总计",
    "结果维持、结果纠正、其他结果、尚未审结之和（{parts}）不等于总计（{totals}）",
)


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
    T3_BALANCE,
    T3_RESULTS_TOTAL,
    T3_APPLICANT_TOTAL,
    T4_TOTAL,
    ValueDomain(),
)
