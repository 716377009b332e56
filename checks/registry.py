"""Every check the pipeline runs on one report, in order, and the stage that runs them."""

from __future__ import annotations

from nianbao.checks.base import Check
from nianbao.checks.embedded import EMBEDDED_CHECKS
from nianbao.checks.ocr_repair import OcrSuggestion
from nianbao.checks.rules import SINGLE_REPORT_CHECKS
from nianbao.pipeline.model import DocumentResult

# the OCR suggestion reads the other checks' findings, so it runs last
ALL_CHECKS: tuple[Check, ...] = (*SINGLE_REPORT_CHECKS, *EMBEDDED_CHECKS, OcrSuggestion())


def run_checks(doc: DocumentResult, checks: tuple[Check, ...] = ALL_CHECKS) -> DocumentResult:
    for check in checks:
        doc.findings.extend(check.run(doc))
    return doc
