"""Checks of the embedded tables and of prose against the tables, one class per rule."""

from __future__ import annotations

from collections.abc import Iterator

from nianbao.catalogue import finding
from nianbao.checks.base import Cells, Check
from nianbao.model import CellRef, DocumentResult, Finding, Record, Severity
from nianbao.normalizers.embedded import printed_weight_total


def _ref(rec: Record, fld: str) -> CellRef:
    p = rec.prov.get(fld)
    return CellRef(rec.dataset, str(rec.fields.get("seq", rec.row)), fld, p.page if p else None, p.bbox if p else None)


def _subject(rec: Record) -> str:
    return f"{rec.dataset}[{rec.table}].{rec.fields.get('seq', rec.row)}"


def _num(v: object) -> float | None:
    return float(v) if isinstance(v, int | float) else None


class ProjectsPercent(Check):
    """占年度计划投资比 must equal 累计完成 / 年度计划 within the precision the filing prints."""

    code = "projects.percent"

    def run(self, doc: DocumentResult) -> Iterator[Finding]:
        for rec in doc.records:
            if rec.dataset != "project_progress":
                continue
            plan, ytd, pct = (_num(rec.fields.get(k)) for k in ("annual_plan", "ytd_completed", "percent_of_plan"))
            if not plan or ytd is None or pct is None:
                continue
            decimals = int(rec.fields.get("percent_decimals") or 0)  # type: ignore[call-overload]
            exact = ytd / plan * 100
            half = 0.5 * 10**-decimals
            diff = abs(pct - exact)
            cells = [_ref(rec, "annual_plan"), _ref(rec, "ytd_completed"), _ref(rec, "percent_of_plan")]
            shown = f"{exact:.{decimals + 2}f}%"
            if diff > half + 1e-9:
                yield finding(
                    self.code,
                    f"row {rec.fields.get('seq')}: printed {pct:g}% but {ytd:g}/{plan:g} = {shown}",
                    table=rec.dataset,
                    cells=cells,
                    expected=f"{round(exact, decimals):g}%",
                    printed=f"{pct:g}%",
                    subject=_subject(rec),
                )
            elif abs(diff - half) < 1e-9:
                yield finding(
                    self.code,
                    f"row {rec.fields.get('seq')}: printed {pct:g}% for {shown}, a tie at the printed precision "
                    f"({10**-decimals:g}%); accepted, as truncating or rounding half down gives it "
                    "(rounding half up would print the next unit)",
                    table=rec.dataset,
                    cells=cells,
                    expected=shown,
                    printed=f"{pct:g}%",
                    subject=_subject(rec),
                    severity=Severity.INFO,
                )


class ProjectsPeriod(Check):
    """The report year lies within the project's construction period (建设年限)."""

    code = "projects.period"

    def run(self, doc: DocumentResult) -> Iterator[Finding]:
        year = doc.metadata.year
        for rec in doc.records:
            if rec.dataset != "project_progress" or year is None:
                continue
            start, end = rec.fields.get("period_start"), rec.fields.get("period_end")
            if isinstance(start, int) and isinstance(end, int) and not start <= year <= end:
                yield finding(
                    self.code,
                    f"row {rec.fields.get('seq')}: the {year} report lists a project built {start}-{end}",
                    table=rec.dataset,
                    cells=[_ref(rec, "period")],
                    expected=f"a period containing {year}",
                    printed=f"{start}-{end}",
                    subject=_subject(rec),
                )


class ProjectsProgress(Check):
    """The year-to-date amount is at least this month's amount."""

    code = "projects.progress"

    def run(self, doc: DocumentResult) -> Iterator[Finding]:
        for rec in doc.records:
            if rec.dataset != "project_progress":
                continue
            month, ytd = _num(rec.fields.get("month_completed")), _num(rec.fields.get("ytd_completed"))
            if month is not None and ytd is not None and ytd < month:
                yield finding(
                    self.code,
                    f"row {rec.fields.get('seq')}: year to date {ytd:g} is less than this month's {month:g}",
                    table=rec.dataset,
                    cells=[_ref(rec, "month_completed"), _ref(rec, "ytd_completed")],
                    expected=f">= {month:g}",
                    printed=f"{ytd:g}",
                    subject=_subject(rec),
                )


class ReviewsDate(Check):
    """Publication dates fall in the report year or the month after it."""

    code = "reviews.date"

    def run(self, doc: DocumentResult) -> Iterator[Finding]:
        year = doc.metadata.year
        for rec in doc.records:
            if rec.dataset != "review_log" or year is None or "publish_date" not in rec.prov:
                continue
            date = rec.fields.get("publish_date")
            raw = rec.prov["publish_date"].raw
            ok = isinstance(date, str) and (date.startswith(f"{year}-") or date.startswith(f"{year + 1}-01-"))
            if not ok:
                yield finding(
                    self.code,
                    f"row {rec.fields.get('seq')}: date '{raw}' is "
                    + ("not a date" if date is None else f"outside {year} and January {year + 1}"),
                    table=rec.dataset,
                    cells=[_ref(rec, "publish_date")],
                    expected=f"a date in {year} or January {year + 1}",
                    printed=raw,
                    subject=_subject(rec),
                )


class ReviewsApproval(Check):
    """Every approval step is present and says 同意."""

    code = "reviews.approval"

    def run(self, doc: DocumentResult) -> Iterator[Finding]:
        for rec in doc.records:
            if rec.dataset != "review_log":
                continue
            approvals = rec.fields.get("approvals")
            if not isinstance(approvals, dict):
                continue
            bad = {k: v for k, v in approvals.items() if str(v).strip() != "同意"}
            if bad:
                yield finding(
                    self.code,
                    f"row {rec.fields.get('seq')}: "
                    + ", ".join(f"{k} {'missing' if not str(v).strip() else repr(v)}" for k, v in bad.items()),
                    table=rec.dataset,
                    cells=[_ref(rec, f"approval.{k}") for k in bad],
                    expected="同意",
                    printed="; ".join(str(v) or "(blank)" for v in bad.values()),
                    subject=_subject(rec),
                )


class ScoresWeight(Check):
    """自评得分 ≤ 权重; the weights add up to the printed 合计权重 when every row is printed."""

    code = "scores.weight"

    def run(self, doc: DocumentResult) -> Iterator[Finding]:
        by_table: dict[int, list[Record]] = {}
        for rec in doc.records:
            if rec.dataset == "scores":
                by_table.setdefault(rec.table, []).append(rec)
                w, s = _num(rec.fields.get("weight")), _num(rec.fields.get("self_score"))
                if w is not None and s is not None and s > w:
                    yield finding(
                        self.code,
                        f"row {rec.fields.get('seq')}: self score {s:g} exceeds the weight {w:g}",
                        table=rec.dataset,
                        cells=[_ref(rec, "weight"), _ref(rec, "self_score")],
                        expected=f"<= {w:g}",
                        printed=f"{s:g}",
                        subject=_subject(rec),
                    )
        for index, recs in by_table.items():
            total, _ = printed_weight_total(doc, doc.tables[index])
            if total is None:
                continue
            seqs = sorted(r.fields.get("seq") for r in recs if isinstance(r.fields.get("seq"), int))  # type: ignore[type-var]
            weights = [_num(r.fields.get("weight")) for r in recs]
            subject = f"scores[{index}].total"
            if seqs != list(range(1, len(seqs) + 1)) or None in weights:
                yield finding(
                    self.code,
                    f"weights not added up: rows {seqs[0]}…{seqs[-1]} are printed with gaps, the printed total "
                    f"{total:g} covers rows that are not in the filing"
                    if seqs
                    else "no numbered rows",
                    table="scores",
                    subject=subject,
                    severity=Severity.INFO,
                )
                continue
            s = sum(w for w in weights if w is not None)
            if abs(s - total) > 1e-9:
                yield finding(
                    self.code,
                    f"weights add up to {s:g}, the printed total is {total:g}",
                    table="scores",
                    expected=f"{s:g}",
                    printed=f"{total:g}",
                    subject=subject,
                )


# topic -> (table cells whose sum the prose states, what the prose says)
NARRATIVE_TABLE: dict[str, tuple[list[tuple[str, str, str]], str]] = {
    "applications_received": ([("t3", "new_received", "total")], "applications received (table 三 本年新收 总计)"),
    "review_cases": ([("t4", "review", "total")], "administrative reviews (table 四 行政复议 总计)"),
    "litigation_cases": (
        [("t4", "litigation_direct", "total"), ("t4", "litigation_after_review", "total")],
        "lawsuits (table 四 行政诉讼 总计)",
    ),
    "normative_in_force": ([("t2", "normative_documents", "in_force")], "normative documents in force (table 二)"),
    "normative_issued": ([("t2", "normative_documents", "issued")], "normative documents issued (table 二)"),
}


class NarrativeMismatch(Check):
    """A count stated in prose agrees with the table that reports the same quantity."""

    code = "narrative.mismatch"

    def run(self, doc: DocumentResult) -> Iterator[Finding]:
        cells = Cells.of(doc)
        for fact in doc.facts:
            if fact.topic not in NARRATIVE_TABLE:
                continue
            keys, what = NARRATIVE_TABLE[fact.topic]
            vals = [cells.get(*k) for k in keys]
            if any(v is None or v.value is None for v in vals):
                continue
            table_value = sum(v.value for v in vals if v is not None and v.value is not None)
            if abs(table_value - fact.number) > 1e-9:
                refs = [CellRef(v.table, v.row, v.col, v.prov.page, v.prov.bbox) for v in vals if v is not None]
                refs.append(CellRef("facts", fact.topic, "number", fact.prov.page, fact.prov.bbox))
                yield finding(
                    self.code,
                    f"the text says {fact.number:g}{fact.unit} {what}: '{fact.sentence[:60]}'; the table prints "
                    f"{table_value:g}",
                    table=keys[0][0],
                    cells=refs,
                    expected=f"{table_value:g}",
                    printed=f"{fact.number:g}",
                    subject=fact.topic,
                )


EMBEDDED_CHECKS: tuple[Check, ...] = (
    ProjectsPercent(),
    ProjectsPeriod(),
    ProjectsProgress(),
    ReviewsDate(),
    ReviewsApproval(),
    ScoresWeight(),
    NarrativeMismatch(),
)
