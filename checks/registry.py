"""Every check the pipeline runs on one report, in order, and the stage that runs them."""

from __future__ import annotations

from nianbao.catalogue import finding, recoded
from nianbao.checks.base import Cells, Check, printed_blank, ref
from nianbao.checks.embedded import EMBEDDED_CHECKS
from nianbao.checks.ocr_repair import OcrSuggestion
from nianbao.checks.rules import SINGLE_REPORT_CHECKS
from nianbao.form.identities import SUM_RULE_CODES, Identity, identities, template_of
from nianbao.form.templates import zh_path
from nianbao.model import DocumentResult, Finding, Severity

# the OCR suggestion reads the other checks' findings, so it runs last
ALL_CHECKS: tuple[Check, ...] = (*SINGLE_REPORT_CHECKS, *EMBEDDED_CHECKS, OcrSuggestion())


def run_checks(doc: DocumentResult, checks: tuple[Check, ...] = ALL_CHECKS) -> DocumentResult:
    for check in checks:
        doc.findings.extend(check.run(doc))
    doc.findings.extend(blank_lines(doc))
    doc.findings = suspect_sums(doc.findings)
    return doc


def suspect_sums(findings: list[Finding]) -> list[Finding]:
    """A sum that fails only because of a doubtful OCR reading is not an error.

    When ``ocr.suggested_value`` found the one low-confidence cell whose other reading restores
    every failed sum of its table, those sums rest on that reading: each becomes
    ``ocr.suspect_sum`` (a warning naming the same cells, printed and expected values) instead of
    an error an auditor would have to retract. A table whose failures no single doubtful cell
    explains keeps its errors.
    """
    suggested: dict[str | None, list[Finding]] = {}
    for f in findings:
        if f.rule == "ocr.suggested_value":
            suggested.setdefault(f.table, []).append(f)
    if not suggested:
        return findings
    out: list[Finding] = []
    for f in findings:
        if f.table not in suggested or f.rule not in SUM_RULE_CODES or f.severity is not Severity.ERROR:
            out.append(f)
            continue
        # one doubtful cell, or a pair: each "cell as value instead of 'read'"
        readings = [(s.subject, s.expected, s.printed) for s in suggested[f.table]]
        en = " and ".join(f"{cell} as {value} instead of '{read}'" for cell, value, read in readings)
        zh = "、".join(f"{cell}（印为“{read}”）改读为 {value}" for cell, value, read in readings)
        out.append(
            recoded(
                f,
                "ocr.suspect_sum",
                f"{f.rule} fails ({f.message}), but reading {en} (doubtful OCR readings) "
                "restores every failed sum of the table",
                f"{f.message_zh or f.message}；但将存疑的OCR读数 {zh} 即可恢复全部勾稽关系，故不作为错误",
            )
        )
    return out


def format_identities(doc: DocumentResult) -> list[Identity]:
    """The identities of the formats of the filing's tables."""
    out: list[Identity] = []
    for table in ("t3", "t4"):
        tpl = template_of(table, doc.table_formats.get(table))
        if tpl is not None:
            out += identities(tpl)
    return out


def identity_of(idents: list[Identity], f: Finding) -> Identity | None:
    """The identity a failed sum reports on, found by its cells: a sum demoted to another code
    (``ocr.unconfirmed_sum``) keeps its cells and subject, not its rule. A sum with unread cells
    names only those read, so its cells may be fewer than the identity's."""
    mine = {(c.row, c.col) for c in f.cells if c.table == f.table}
    if not mine:
        return None
    found = [i for i in idents if i.table == f.table and i.subject == f.subject and mine <= i.cells()]
    exact = [i for i in found if i.cells() == mine]
    if exact or len(found) == 1:
        return (exact or found)[0]
    return None


def needed_blanks(ident: Identity | None, f: Finding) -> set[tuple[str, str, str]]:
    """The cells of a failed sum that, read other than 0, could restore it: on the side that is
    short (the totals when the parts add up to more, the parts when they add up to less). A blank
    cell on the other side is innocent: a larger value there moves the sum further off."""
    if ident is None or f.expected is None or f.printed is None:
        return {(c.table, c.row, c.col) for c in f.cells}
    parts, totals = float(f.expected), float(f.printed)
    side = ident.totals if parts > totals else ident.parts
    return {(f.table or "", r, c) for r, c in side}


def blank_lines(doc: DocumentResult) -> list[Finding]:
    """One finding for a 总计 column (or row) printed blank on several rows, naming all its cells.

    A blank total reads as 0 and breaks the sum of every row it stands in: eleven findings
    for one problem. They stay (each sum is still broken) and are linked to this one, an error.
    A line of blank cells that no failing sum needs (organisation columns left blank, legitimately
    zero, on the rows whose 总计 is blank) is a warning, and the sums are not linked to it.
    """
    cells = Cells.of(doc)
    lines: dict[tuple[str, str, str], list[Finding]] = {}  # (table, axis, code) -> findings
    needing: dict[tuple[str, str, str], list[Finding]] = {}  # ... whose sums need that line's cells
    idents = format_identities(doc)
    for f in doc.findings:
        if f.rule not in SUM_RULE_CODES or f.table is None:
            continue
        needed = needed_blanks(identity_of(idents, f), f)
        for c in f.cells:
            v = cells.get(c.table, c.row, c.col)
            if printed_blank(v):
                key = (c.table, "col", c.col) if f.subject != c.col else (c.table, "row", c.row)
                lines.setdefault(key, []).append(f)
                if (c.table, c.row, c.col) in needed:
                    needing.setdefault(key, []).append(f)
    out: list[Finding] = []
    for (table, axis, code), found in lines.items():
        found = list({id(f): f for f in found}.values())
        if len(found) < 2:
            continue
        blank = [
            v
            for v in doc.values
            if v.table == table and (v.col if axis == "col" else v.row) == code and printed_blank(v)
        ]
        subject = f"{table}.{code}"
        label = zh_path(table, blank[0].row, blank[0].col)[0 if axis == "row" else 1] if blank else code
        needed_by = list({id(f): f for f in needing.get((table, axis, code), [])}.values())
        if not needed_by:
            out.append(
                finding(
                    "value.blank_line",
                    f"{subject}: {len(blank)} cells printed blank (read as 0); no failing sum needs another value "
                    "there",
                    table=table,
                    cells=[ref(v) for v in blank],
                    subject=subject,
                    severity=Severity.WARNING,
                    message_zh=f"{label}栏空白（{len(blank)}处），按0计；不成立的勾稽关系与此无关",
                )
            )
            continue
        for f in needed_by:
            f.group = subject
        out.append(
            finding(
                "value.blank_line",
                f"{subject}: {len(blank)} cells printed blank (read as 0) break {len(needed_by)} sums",
                table=table,
                cells=[ref(v) for v in blank],
                subject=subject,
                message_zh=f"{label}栏空白（{len(blank)}处），按0计；{len(needed_by)}处勾稽关系因此不成立",
            )
        )
    return out
