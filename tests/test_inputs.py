"""Bad input gets a clear error and a status record; nothing raises."""

from __future__ import annotations

from pathlib import Path

import pytest

from nianbao import Status, process
from tests.conftest import SAMPLES


def _assert_failed(path: Path, needle: str, rule: str = "input.unreadable") -> None:
    doc = process(path)
    assert doc.status is Status.FAILED
    assert doc.error and needle in doc.error, doc.error
    assert [f.rule for f in doc.findings if f.rule.startswith("input.")] == [rule]


def test_empty_file(tmp_path: Path) -> None:
    p = tmp_path / "empty.pdf"
    p.write_bytes(b"")
    _assert_failed(p, "empty")


def test_corrupt_pdf(tmp_path: Path) -> None:
    p = tmp_path / "corrupt.pdf"
    p.write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 100)
    _assert_failed(p, "not a readable PDF")


def test_truncated_pdf(tmp_path: Path) -> None:
    data = (SAMPLES / "no_rules.pdf").read_bytes()
    p = tmp_path / "truncated.pdf"
    p.write_bytes(data[: len(data) // 2])
    doc = process(p)
    assert doc.status is Status.FAILED
    assert doc.error


def test_encrypted_pdf(tmp_path: Path) -> None:
    reportlab = pytest.importorskip("reportlab")
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen.canvas import Canvas

    assert reportlab
    p = tmp_path / "locked.pdf"
    c = Canvas(str(p), encrypt=StandardEncryption("secret", canPrint=0))
    c.drawString(100, 700, "locked")
    c.save()
    _assert_failed(p, "encrypted")


def test_pdf_that_is_not_a_report(tmp_path: Path) -> None:
    pytest.importorskip("reportlab")
    from reportlab.pdfgen.canvas import Canvas

    p = tmp_path / "sales.pdf"
    c = Canvas(str(p))
    c.drawString(72, 700, "Quarterly sales report for ACME Inc. Revenue grew by 12 percent.")
    c.save()
    # read, and not a report: said so (not "unreadable")
    _assert_failed(p, "not a government information disclosure report", "input.not_a_report")


def test_corrupt_legacy_word_fails_with_a_clear_error(tmp_path: Path) -> None:
    p = tmp_path / "report.doc"
    p.write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 100)
    _assert_failed(p, "LibreOffice")  # could not convert it, or is needed and not installed


def test_unknown_type(tmp_path: Path) -> None:
    p = tmp_path / "data.bin"
    p.write_bytes(b"\x01\x02\x03")
    _assert_failed(p, "unknown file type")


def test_missing_file(tmp_path: Path) -> None:
    _assert_failed(tmp_path / "nope.pdf", "cannot read")


def test_doc_id_is_content_hash(tmp_path: Path) -> None:
    import hashlib
    import shutil

    src = SAMPLES / "no_rules.pdf"
    copy = tmp_path / "elsewhere.pdf"
    shutil.copy(src, copy)
    a, b = process(src), process(copy)
    assert a.doc_id == b.doc_id == hashlib.sha256(src.read_bytes()).hexdigest()[:16]


def test_image_page_goes_to_ocr_with_its_reason() -> None:
    doc = process(SAMPLES / "fake_bold_scan_page.pdf")
    routes = [p.route for p in doc.pages]
    assert routes == ["text", "text", "ocr"]
    assert doc.pages[2].reason and "image" in doc.pages[2].reason
    assert doc.status is Status.OK
    assert any(p.doubled_glyphs > 0 for p in doc.pages)


def test_stage_timings_recorded() -> None:
    doc = process(SAMPLES / "no_rules.pdf")
    assert {"extract", "normalize", "check", "total"} <= set(doc.timings)
