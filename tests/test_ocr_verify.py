"""Failed sums on scans are re-read before anyone is accused (checks/ocr_verify.py).

The decision is tested on readings given by hand (what the re-reading would return); the
re-reading itself is tested on a committed scan whose first reading is spoilt on purpose.
"""

from __future__ import annotations

from nianbao import Settings
from nianbao.checks import ocr_verify
from nianbao.checks.ocr_verify import BINARISED, FIRST, WIDER, Readings, settle, verify_readings
from nianbao.checks.registry import run_checks
from nianbao.pipeline.model import DocumentResult, Provenance, Severity, Value
from nianbao.pipeline.run import stages_for
from tests.conftest import SAMPLES

SETTINGS = Settings()


def _t4(values: dict[str, int]) -> DocumentResult:
    doc = DocumentResult(doc_id="x", path="x", sha256="x", kind="image", table_formats={"t4": "2021"})
    for b in ("review", "litigation_direct", "litigation_after_review"):
        for m in ("upheld", "corrected", "other", "pending", "total"):
            v = values.get(f"{b}.{m}", 0)
            doc.values.append(Value("t4", b, m, v, Provenance(source="ocr", raw=str(v), page=1, confidence=0.97)))
    return doc


def _readings(doc: DocumentResult, rereads: dict[str, list[str]]) -> list[Readings]:
    """Readings of the review block: the first pass's, then the given re-readings (or the same)."""
    out = []
    for v in doc.values:
        if v.row != "review":
            continue
        texts = rereads.get(v.col, [v.prov.raw])
        r = Readings(v, [(FIRST, v.prov.raw, v.prov.confidence, v.value)])
        for how, text in zip((BINARISED, WIDER), texts, strict=False):
            r.reads.append((how, text, 0.95, int(text) if text.isdigit() else None))
        out.append(r)
    return out


def _settled(doc: DocumentResult, rereads: dict[str, list[str]]) -> DocumentResult:
    run_checks(doc)
    errors = [f for f in doc.findings if f.rule == "t4.total" and f.severity is Severity.ERROR]
    assert errors, "the case must start from a failed sum"
    settle(doc, "t4", errors, _readings(doc, rereads), SETTINGS)
    from nianbao.checks.registry import suspect_sums

    doc.findings = suspect_sums(doc.findings)
    return doc


# printed 2 + 3 + 0 + 1 = 6; the first pass read the 3 as 8
MISREAD = {"review.upheld": 2, "review.corrected": 8, "review.pending": 1, "review.total": 6}


def test_two_rereadings_that_agree_and_restore_the_sums_are_kept() -> None:
    doc = _settled(_t4(MISREAD), {"corrected": ["3", "3"]})
    v = doc.value("t4", "review", "corrected")
    assert v is not None and v.value == 3 and "'8'" in (v.note or "")
    kept = [f for f in doc.findings if f.rule == "ocr.reread_value"]
    assert len(kept) == 1 and kept[0].printed == "8" and kept[0].expected == "3"
    assert "binarised crop '3'" in kept[0].message and "wider crop '3'" in kept[0].message
    assert not [f for f in doc.findings if f.severity is Severity.ERROR]


def test_one_rereading_that_restores_the_sums_is_suggested_not_kept() -> None:
    doc = _settled(_t4(MISREAD), {"corrected": ["3", "8"]})
    assert doc.value("t4", "review", "corrected").value == 8  # type: ignore[union-attr]
    assert [f.expected for f in doc.findings if f.rule == "ocr.suggested_value"] == ["3"]
    assert not [f for f in doc.findings if f.severity is Severity.ERROR]
    assert [f.severity.value for f in doc.findings if f.rule == "ocr.suspect_sum"] == ["warning"]


def test_readings_that_all_agree_keep_the_error_and_say_so() -> None:
    doc = _settled(_t4(MISREAD), {})
    errors = [f for f in doc.findings if f.severity is Severity.ERROR]
    assert [f.rule for f in errors] == ["t4.total"] and "confirmed" in errors[0].message


def test_several_explanations_make_the_sum_unconfirmed_not_an_error() -> None:
    # the 8 could be a 3, or the 6 a 11: the readings cannot tell which
    doc = _settled(_t4(MISREAD), {"corrected": ["3", "8"], "total": ["11", "6"]})
    assert not [f for f in doc.findings if f.severity is Severity.ERROR]
    unconfirmed = [f for f in doc.findings if f.rule == "ocr.unconfirmed_sum"]
    assert len(unconfirmed) == 1 and unconfirmed[0].severity is Severity.WARNING
    assert "t4.review.corrected" in unconfirmed[0].message and "t4.review.total" in unconfirmed[0].message


def test_readings_that_disagree_make_the_sum_unconfirmed_even_if_none_restores_it() -> None:
    # the 2 re-read once as 7: which is printed is not settled, so neither is the failure
    doc = _settled(_t4(MISREAD), {"upheld": ["7", "2"]})
    assert not [f for f in doc.findings if f.severity is Severity.ERROR]
    unconfirmed = [f for f in doc.findings if f.rule == "ocr.unconfirmed_sum"]
    assert len(unconfirmed) == 1 and "disagree" in unconfirmed[0].message
    assert "t4.review.upheld" in unconfirmed[0].message


def test_a_failed_rereading_is_no_doubt_and_the_error_stays() -> None:
    # the binarised crop read nothing; the wider one read the 2 again: no other number was seen
    doc = _settled(_t4(MISREAD), {"upheld": ["", "2"]})
    errors = [f for f in doc.findings if f.severity is Severity.ERROR]
    assert [f.rule for f in errors] == ["t4.total"] and "no reading tried" in errors[0].message


def test_a_spoilt_first_reading_of_a_real_scan_is_read_again_from_the_page() -> None:
    """磁灶镇's table 三 scanned in colour under a red seal: one 0 of the first pass is spoilt
    into an 8 before the checks run. Re-reading the page image finds the 0 twice, the sums
    close, and no error is left; the page image is dropped afterwards."""
    doc = DocumentResult(doc_id="x", path=str(SAMPLES / "scan_seal_200.pdf"), sha256="x", kind="pdf")
    stages = dict(stages_for("pdf"))
    for name in ("extract", "metadata", "normalize", "format", "embedded", "facts"):
        doc = stages[name](doc, SETTINGS)
    assert any(p.image is not None for p in doc.pages)
    spoilt = next(
        v for v in doc.values if v.table == "t3" and v.prov.source == "ocr" and v.value == 0 and v.prov.raw == "0"
    )
    spoilt.value, spoilt.prov.raw = 8, "8"
    doc = stages["check"](doc, SETTINGS)
    assert [f for f in doc.findings if f.severity is Severity.ERROR and f.table == "t3"]
    doc = verify_readings(doc, SETTINGS)
    assert spoilt.value == 0
    assert [f.subject for f in doc.findings if f.rule == "ocr.reread_value"] == [f"t3.{spoilt.row}.{spoilt.col}"]
    assert not [f for f in doc.findings if f.severity is Severity.ERROR and f.table == "t3"]
    assert all(p.image is None for p in doc.pages)


def test_errors_planted_in_a_scan_are_confirmed_by_rereading() -> None:
    from nianbao import process

    doc = process(SAMPLES / "scan_planted_200.pdf", SETTINGS)
    errors = [f for f in doc.findings if f.severity is Severity.ERROR and f.rule in ocr_verify.ARITHMETIC]
    assert errors and all("re-read" in f.message or "confirmed" in f.message for f in errors)
