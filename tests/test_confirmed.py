"""disclosure.confirmed_by: what besides its one reading says a value is right (checks/confirmed.py)."""

from __future__ import annotations

from collections import Counter

from nianbao import Settings, process
from tests.conftest import SAMPLES


def _by(doc, table: str) -> Counter[str | None]:  # type: ignore[no-untyped-def]
    return Counter(v.confirmed_by for v in doc.values if v.table == table)


def test_a_balanced_text_pdf_is_confirmed_by_both_its_sums_and_its_two_readers() -> None:
    doc = process(SAMPLES / "cizao_2022.pdf", Settings())
    assert _by(doc, "t3") == {"both": 175} and _by(doc, "t4") == {"both": 15}
    # table 二 has no sum: its numbers are confirmed by the two readers only
    assert _by(doc, "t2") == {"readers": 10}


def test_cells_of_a_failing_sum_are_not_confirmed_by_it() -> None:
    doc = process(SAMPLES / "planted_errors.pdf", Settings())
    failing = {(c.table, c.row, c.col) for f in doc.findings if f.rule.startswith(("t3.", "t4.")) for c in f.cells}
    assert failing
    for v in doc.values:
        if (v.table, v.row, v.col) in failing:
            assert v.confirmed_by in ("readers", "none"), v
    assert any(v.confirmed_by == "both" for v in doc.values)


def test_a_scan_is_confirmed_by_its_sums_only_and_one_reader_by_nothing() -> None:
    scan = process(SAMPLES / "scan_seal_200.pdf", Settings())
    assert {v.confirmed_by for v in scan.values if v.table in ("t3", "t4")} == {"identity"}
    # a text dump has one reader: table 二's runs rest on it alone; a cell not read has nothing
    dump = process(SAMPLES / "scraper_portal_2021.txt", Settings())
    assert {v.confirmed_by for v in dump.values if v.table == "t2" and v.value is not None} == {"none"}
    assert all(v.confirmed_by is None for v in dump.values if v.value is None)


def test_a_value_read_where_row_and_column_cross_confirms_no_sum() -> None:
    """Hard seed 10521: a row read from the band below it, its one missing cell read in that same
    band, adds up; it confirmed four wrong values. A recovered value takes part in the sums (to
    find an error) but confirms none."""
    from nianbao.checks.confirmed import confirm_values
    from nianbao.model import RECOVERED, DocumentResult, Provenance, Value

    def doc(locator: str | None) -> DocumentResult:
        d = DocumentResult(doc_id="x", path="x", sha256="x", kind="image", table_formats={"t4": "2021"})
        for m, n in (("upheld", 2), ("corrected", 1), ("other", 0), ("pending", 1), ("total", 4)):
            prov = Provenance("ocr", str(n), 1, confidence=0.99, locator=locator if m == "other" else None)
            d.values.append(Value("t4", "review", m, n, prov))
        return confirm_values(d, Settings())

    assert {v.confirmed_by for v in doc(None).values} == {"identity"}
    assert {v.confirmed_by for v in doc(RECOVERED).values} == {"none"}


def test_every_value_nothing_confirms_is_named_by_one_finding_per_table() -> None:
    """Copier seed 5747: a row's numbers placed in the row below, re-read the same (the ink was
    read right, the row was not), in sums with cells unread: three wrong values stood with no
    finding. A value is trusted only when something confirms it; otherwise a finding names it."""
    from nianbao.checks.confirmed import confirm_values
    from nianbao.model import DocumentResult, Provenance, Value

    d = DocumentResult(doc_id="x", path="x", sha256="x", kind="image", table_formats={"t4": "2021", "t2": "2021"})
    for m, n in (("upheld", 2), ("corrected", 1), ("other", 0), ("pending", 1), ("total", 4)):
        d.values.append(Value("t4", "review", m, n, Provenance("ocr", str(n), 1, confidence=0.99)))
    # a total left unread: the row's other cells rest on their one reading
    for m, n in (("upheld", 1), ("corrected", 0), ("total", None)):
        d.values.append(Value("t4", "litigation_direct", m, n, Provenance("ocr", str(n or ""), 1, confidence=0.99)))
    d.values.append(Value("t2", "fees", "amount", 1.5, Provenance("ocr", "1.5", 1, confidence=0.99)))
    confirm_values(d, Settings())
    named = {f.table: [c.key for c in f.cells] for f in d.findings if f.rule == "value.unconfirmed"}
    assert named == {
        "t4": ["t4.litigation_direct.upheld", "t4.litigation_direct.corrected"],
        "t2": ["t2.fees.amount"],
    }
    # its subject is no table, row or column: it names its cells, not every cell of the table
    assert {f.subject for f in d.findings if f.rule == "value.unconfirmed"} == {"t4.unconfirmed", "t2.unconfirmed"}


def test_a_confirmed_filing_has_no_unconfirmed_value() -> None:
    doc = process(SAMPLES / "cizao_2022.pdf", Settings())
    assert not [f for f in doc.findings if f.rule == "value.unconfirmed"]
