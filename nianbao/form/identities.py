"""The form's arithmetic identities (勾稽关系), defined once, as data over the templates' roles.

Four sums hold on every filing; each is ``sum(parts) = sum(totals)`` along every column (or every
row) of a table, the parts and totals named by the ``role`` of the templates' labels
(:mod:`nianbao.form.templates`). Who needs them takes them from here:

- the checks (:mod:`nianbao.checks.rules`) turn each failed identity into a finding;
- the second reader's agreement (:mod:`nianbao.normalizers.agreement`) judges two readings of a
  cell by the identities that involve it;
- the one-line and run-together readers (:mod:`nianbao.normalizers.sequence`) keep only the digit
  splits every identity allows;
- OCR repair and verification (:mod:`nianbao.checks.ocr_repair`, ``ocr_verify``) re-read the cells
  of failed identities.
"""

from __future__ import annotations

from dataclasses import dataclass

from nianbao.form.templates import TEMPLATES, Template

Key = tuple[str, str]  # (row, col) within one table


@dataclass(frozen=True, slots=True)
class Identity:
    """One instance of a sum: ``sum(parts) = sum(totals)`` over cells of one table."""

    rule: str  # the rule's code (t3.balance …)
    table: str
    subject: str  # the column (a rule along columns) or the row (along rows) it holds on
    parts: tuple[Key, ...]
    totals: tuple[Key, ...]

    def cells(self) -> set[Key]:
        return set(self.parts) | set(self.totals)

    def holds(self, values: dict[Key, float | None]) -> bool | None:
        """True/False, or None when a cell of it is not known."""
        got = [values.get(k) for k in self.parts + self.totals]
        if any(v is None for v in got):
            return None
        a = sum(values[k] or 0 for k in self.parts)
        b = sum(values[k] or 0 for k in self.totals)
        return abs(a - b) < 1e-6


@dataclass(frozen=True, slots=True)
class SumRule:
    """sum(parts) = sum(totals), for every column (or every row) of a table.

    The four sums of the format differ only in data: which table, whether the sum runs down each
    column or across each row, and which template roles are the parts and the totals.
    """

    code: str
    table: str
    along: str  # "col": rows are summed within each column; "row": columns within each row
    parts: tuple[str, ...]  # roles summed
    totals: tuple[str, ...]  # roles they must equal
    describe: str
    describe_zh: str = ""  # the rule as the form states it; {parts} and {totals} are the printed sums

    def over(self, tpl: Template) -> list[Identity]:
        """The rule's instances on a template: one per column (or row), in the form's order."""
        if tpl.table != self.table:
            return []
        # along columns the rows are the parts and totals; along rows, the columns
        lines, members = (tpl.cols, tpl.rows) if self.along == "col" else (tpl.rows, tpl.cols)
        parts = [m.code for m in members if m.role in self.parts]
        totals = [m.code for role in self.totals for m in members if m.role == role]
        if not parts or not totals:
            return []

        def key(line: str, member: str) -> Key:
            return (member, line) if self.along == "col" else (line, member)

        return [
            Identity(
                self.code,
                self.table,
                line.code,
                tuple(key(line.code, m) for m in parts),
                tuple(key(line.code, m) for m in totals),
            )
            for line in lines
        ]


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

SUM_RULES: tuple[SumRule, ...] = (T3_BALANCE, T3_RESULTS_TOTAL, T3_APPLICANT_TOTAL, T4_TOTAL)
# the codes of the format's arithmetic rules (an OCR'd cell they involve is read again)
SUM_RULE_CODES: frozenset[str] = frozenset(r.code for r in SUM_RULES)


def identities(tpl: Template) -> list[Identity]:
    """Every identity of the format on a template."""
    return [i for rule in SUM_RULES for i in rule.over(tpl)]


def checked_cells(tpl: Template, values: dict[Key, float | None]) -> set[Key]:
    """The cells some identity checks as read: those of every identity whose cells are all known.
    A cell outside them rests on its one reading, whatever table it is in (a table 三 whose column
    was lost to a seal checks none of the cells of the rows that column ends)."""
    out: set[Key] = set()
    for ident in identities(tpl):
        if ident.holds(values) is not None:
            out |= ident.cells()
    return out


def template_of(table: str, fmt: str | None) -> Template | None:
    """The template of a table in a format (None: the format was not told)."""
    return next((t for t in TEMPLATES[table] if t.format == fmt), None)
