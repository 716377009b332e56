"""Rules across years of one body, run by the output writer once a batch is in."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from nianbao.checks.cross_year import YearSummary, cross_year_findings
from nianbao.model import DocumentResult, Metadata, Provenance, Value
from nianbao.pipeline.store import OutputWriter


def _doc(
    doc_id: str, year: int, carried_over: int, carried_forward: int, stock: tuple[int, int, int]
) -> DocumentResult:
    doc = DocumentResult(doc_id=doc_id, path=f"{doc_id}.pdf", sha256=doc_id, kind="pdf")
    doc.metadata = Metadata(body="某县人民政府", year=year)
    cells = {
        ("t3", "carried_over", "total"): carried_over,
        ("t3", "carried_forward", "total"): carried_forward,
        ("t2", "normative_documents", "issued"): stock[0],
        ("t2", "normative_documents", "repealed"): stock[1],
        ("t2", "normative_documents", "in_force"): stock[2],
    }
    for (t, r, c), v in cells.items():
        doc.values.append(Value(t, r, c, v, Provenance(source="text", raw=str(v), page=2)))
    return doc


def test_consecutive_years_are_compared() -> None:
    y1 = _doc("a", 2021, carried_over=0, carried_forward=4, stock=(2, 0, 30))
    y2 = _doc("b", 2022, carried_over=3, carried_forward=0, stock=(5, 1, 33))  # 30 + 5 - 1 = 34, printed 33
    found = [
        (doc_id, f.rule, f.subject, f.expected, f.printed)
        for doc_id, f in cross_year_findings([YearSummary.of(y1), YearSummary.of(y2)])
    ]  # type: ignore[list-item]
    assert ("b", "cross_year.carry_over", "total", "4", "3") in found
    assert ("b", "cross_year.stock", "normative_documents", "34", "33") in found
    assert len(found) == 2


def test_other_bodies_and_gaps_are_not_compared() -> None:
    y1 = _doc("a", 2020, carried_over=0, carried_forward=4, stock=(0, 0, 1))
    y3 = _doc("c", 2022, carried_over=0, carried_forward=0, stock=(0, 0, 9))
    other = _doc("d", 2021, carried_over=7, carried_forward=0, stock=(0, 0, 5))
    other.metadata.body = "另一个镇人民政府"
    summaries = [YearSummary.of(d) for d in (y1, y3, other)]
    assert not list(cross_year_findings([s for s in summaries if s]))


def test_writer_adds_cross_year_findings(tmp_path: Path) -> None:
    with OutputWriter(tmp_path, parquet=False, duckdb_file=False) as w:
        w.add(_doc("a", 2021, 0, 4, (0, 0, 1)))
        w.add(_doc("b", 2022, 4, 0, (0, 0, 1)))
        w.add(_doc("c", 2023, 1, 0, (0, 0, 1)))
    findings = pd.read_csv(tmp_path / "findings.csv", encoding="utf-8-sig")
    rows = findings[findings["rule"] == "cross_year.carry_over"]
    assert list(rows["doc_id"]) == ["c"]  # 2023 carries over 1 where 2022 carried 0 forward


def test_sample_pair_of_consecutive_years(tmp_path: Path) -> None:
    """samples/crossyear_2022 carries over one more natural-person application than 2021 carried
    forward, and its 规范性文件 in force are 4 more than 2021's stock + issued − repealed."""
    from click.testing import CliRunner

    from nianbao.pipeline.cli import main
    from tests.conftest import SAMPLES

    files = [str(SAMPLES / "crossyear_2021.txt"), str(SAMPLES / "crossyear_2022.txt")]
    res = CliRunner().invoke(main, ["extract", *files, "--out", str(tmp_path), "--workers", "1", "--no-parquet"])
    assert res.exit_code == 0, res.output
    assert "3 across years" in res.output
    findings = pd.read_csv(tmp_path / "findings.csv", encoding="utf-8-sig")
    cross = findings[findings["rule"].str.startswith("cross_year")]
    assert sorted(zip(cross["rule"], cross["subject"], strict=True)) == [
        ("cross_year.carry_over", "natural_person"),
        ("cross_year.carry_over", "total"),
        ("cross_year.stock", "normative_documents"),
    ]
