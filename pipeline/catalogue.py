"""The catalogue of finding types: stable codes, default severity, one-line meaning.

Codes are part of the output contract (``findings.rule``); add new ones, never
rename. Every stage creates findings through :func:`finding` so that a code that
is not catalogued fails loudly in tests instead of reaching users.
"""

from __future__ import annotations

from dataclasses import dataclass

from nianbao.pipeline.model import BBox, CellRef, Finding, Severity


@dataclass(frozen=True, slots=True)
class FindingType:
    code: str
    severity: Severity
    title: str


_E, _W, _I = Severity.ERROR, Severity.WARNING, Severity.INFO

CATALOGUE: dict[str, FindingType] = {
    t.code: t
    for t in [
        # arithmetic rules of the format (勾稽关系)
        FindingType("t3.balance", _E, "T3: new + carried over must equal total processed + carried forward"),
        FindingType("t3.results_total", _E, "T3: 总计 row must equal the sum of the result rows"),
        FindingType("t3.applicant_total", _E, "T3: 总计 column must equal the sum of the applicant columns"),
        FindingType("t4.total", _E, "T4: 总计 must equal 维持 + 纠正 + 其他 + 尚未审结"),
        FindingType("value.domain", _E, "A count is not a non-negative whole number, or a fee is negative"),
        FindingType("cross_year.carry_over", _E, "This year's 上年结转 differs from last year's 结转下年度"),
        FindingType("cross_year.stock", _W, "现行有效件数 did not move by 本年制发 − 本年废止"),
        FindingType("narrative.mismatch", _W, "A count stated in prose contradicts the table"),
        FindingType("projects.percent", _W, "A project's printed percentage is not 累计完成 / 年度计划"),
        FindingType("projects.period", _W, "The report year is outside a project's construction period"),
        FindingType("projects.progress", _W, "A project's year-to-date amount is less than this month's"),
        FindingType("reviews.date", _W, "A reviewed publication's date is outside the report year"),
        FindingType("reviews.approval", _W, "An approval step of a reviewed publication is missing or not 同意"),
        FindingType("scores.weight", _W, "A self score exceeds its weight, or weights miss the printed total"),
        FindingType("check.incomplete", _I, "A rule could not be evaluated because cells are missing"),
        # reading problems
        FindingType("value.unreadable", _W, "A cell's printed text is not a number where a number belongs"),
        FindingType("value.converted", _I, "A cell carried a unit or words beside the number; converted"),
        FindingType("extract.missing_cell", _W, "A cell of the format table was not found in the filing"),
        FindingType("extract.missing_column", _W, "A column of the format table is missing from the filing"),
        FindingType("extract.unmapped_row", _W, "A table row could not be mapped to the format's rows"),
        FindingType("extract.unmapped_column", _W, "A table column could not be mapped to the format's columns"),
        FindingType("extract.misaligned_row", _W, "A row prints more or fewer values than its columns; not read"),
        FindingType("extract.ambiguous_digits", _W, "Digits printed together split several valid ways; not read"),
        FindingType(
            "extract.readers_disagree",
            _W,
            "The grid reader and the anchored reader read a cell differently; left empty",
        ),
        FindingType(
            "extract.readers_resolved",
            _I,
            "The two readers disagreed on a cell; the reading that satisfies the format's sums was kept",
        ),
        FindingType("extract.format_uncertain", _W, "Rows that tell the 2019 and 2021 formats apart were not read"),
        FindingType("extract.table_not_found", _W, "A format table was not found in the filing"),
        FindingType("extract.needs_ocr", _W, "A page has no trustworthy text layer; it needs OCR"),
        FindingType("extract.doubled_glyphs", _I, "Doubled (fake-bold) glyphs were removed from a page"),
        FindingType("extract.unsupported_format", _W, "The filing does not follow the 2019 or 2021 format"),
        FindingType("ocr.low_confidence", _W, "An OCR'd value is under the confidence threshold, or not a number"),
        FindingType(
            "ocr.suggested_value", _W, "One low-confidence cell, read otherwise, would restore every failed sum"
        ),
        FindingType(
            "metadata.body_unknown", _W, "The issuing body was found nowhere: title, opening, header fields, file name"
        ),
        FindingType("input.unreadable", _E, "The file could not be read"),
    ]
}


def finding(
    code: str,
    message: str,
    *,
    table: str | None = None,
    cells: list[CellRef] | None = None,
    expected: object = None,
    printed: object = None,
    page: int | None = None,
    bbox: BBox | None = None,
    severity: Severity | None = None,
    subject: str | None = None,
) -> Finding:
    ft = CATALOGUE[code]  # KeyError for an uncatalogued code is intended
    cells = cells or []
    if page is None and cells:
        page, bbox = cells[-1].page, cells[-1].bbox
    return Finding(
        rule=code,
        severity=severity or ft.severity,
        message=message,
        table=table,
        cells=cells,
        expected=None if expected is None else _fmt(expected),
        printed=None if printed is None else _fmt(printed),
        page=page,
        bbox=bbox,
        subject=subject,
    )


def _fmt(v: object) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)
