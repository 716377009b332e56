"""The format's arithmetic rules (勾稽关系, :mod:`nianbao.form.identities`) as checks; the value domains."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from nianbao.catalogue import finding
from nianbao.checks.base import Cells, Check, ref, sum_rule
from nianbao.form.identities import SUM_RULES, SumRule, template_of
from nianbao.form.templates import MONEY_COLS, SIGNED_COLS
from nianbao.model import DocumentResult, Finding, Value


@dataclass(frozen=True, slots=True)
class SumCheck(Check):
    """A sum of the format (:mod:`nianbao.form.identities`), checked on every column or row it holds on."""

    rule: SumRule

    @property
    def code(self) -> str:  # type: ignore[override]
        return self.rule.code

    def run(self, doc: DocumentResult) -> Iterator[Finding]:
        tpl = template_of(self.rule.table, doc.table_formats.get(self.rule.table))
        if tpl is None:
            return
        cells = Cells.of(doc)
        t = self.rule.table
        for ident in self.rule.over(tpl):
            parts = [cells.get(t, r, c) for r, c in ident.parts]
            totals = [cells.get(t, r, c) for r, c in ident.totals]
            yield from sum_rule(
                self.rule.code, t, ident.subject, parts, totals, self.rule.describe, self.rule.describe_zh
            )


T3_BALANCE, T3_RESULTS_TOTAL, T3_APPLICANT_TOTAL, T4_TOTAL = (SumCheck(r) for r in SUM_RULES)


def domain_problem(v: Value) -> str | None:
    """Why a value is no value its column prints (a negative count, a count with a fraction), or None."""
    if v.value is None:
        return None
    key = (v.table, v.col)
    if v.value < 0 and key not in SIGNED_COLS:
        return "negative"
    if key not in MONEY_COLS and not float(v.value).is_integer():
        return "not a whole number"
    return None


class ValueDomain(Check):
    """Counts are non-negative whole numbers; money is a non-negative amount."""

    code = "value.domain"

    def run(self, doc: DocumentResult) -> Iterator[Finding]:
        for v in doc.values:
            problem = domain_problem(v)
            if problem:
                money = (v.table, v.col) in MONEY_COLS
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
