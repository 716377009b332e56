"""Linking one body's filings across name variants (normalizers.bodies) and the bodies dataset."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from click.testing import CliRunner

from nianbao.normalizers.bodies import BodyName, link_bodies, split
from nianbao.pipeline.cli import main
from tests.conftest import SAMPLES


def _ids(names: list[BodyName]) -> dict[str, str]:
    return {link.doc_id: link.body_id for link in link_bodies(names)}


def test_name_variants_of_a_township_are_one_body() -> None:
    ids = _ids(
        [
            BodyName("a", "晋江市磁灶镇人民政府", 2021),
            BodyName("b", "磁灶镇人民政府", 2022),
            BodyName("c", "磁灶镇", 2023),
            BodyName("d", "晋江市 磁灶镇人民政府", 2024),  # a space from the title's line break
        ]
    )
    assert len(set(ids.values())) == 1


def test_district_office_and_district_government_are_one_body() -> None:
    ids = _ids([BodyName("a", "鲤城区人民政府", 2021), BodyName("b", "鲤城区政府办公室", 2022)])
    assert ids["a"] == ids["b"]


def test_ambiguous_short_name_stays_alone() -> None:
    # 城关镇 exists in many counties: without its county, it cannot be told which
    ids = _ids(
        [
            BodyName("a", "甲县城关镇人民政府", 2021),
            BodyName("b", "乙县城关镇人民政府", 2021),
            BodyName("c", "城关镇人民政府", 2022),
        ]
    )
    assert len({ids["a"], ids["b"], ids["c"]}) == 3


def test_same_year_means_two_bodies() -> None:
    ids = _ids([BodyName("a", "晋江市磁灶镇人民政府", 2022), BodyName("b", "磁灶镇人民政府", 2022)])
    assert ids["a"] != ids["b"]


def test_departments_of_other_places_or_other_names_stay_apart() -> None:
    ids = _ids(
        [
            BodyName("a", "晋江市教育局", 2021),
            BodyName("b", "泉州市教育局", 2022),
            BodyName("c", "晋江市体育局", 2022),  # one character from 教育局: another bureau
        ]
    )
    assert len(set(ids.values())) == 3


def test_manifest_region_places_a_bare_name() -> None:
    assert split("磁灶镇人民政府", "晋江市") == (("晋江市", "磁灶镇"), "")
    ids = _ids([BodyName("a", "晋江市磁灶镇人民政府", 2021), BodyName("b", "磁灶镇", 2022, region="晋江市")])
    assert ids["a"] == ids["b"]


def test_long_names_with_a_slip_are_linked_with_their_score() -> None:
    links = {
        link.doc_id: link
        for link in link_bodies(
            [
                BodyName("a", "福建省泉州市晋江市自然资源和规划局", 2021),
                BodyName("b", "福建省泉州市晋江市自然资源与规划局", 2022),
            ]
        )
    }
    assert links["a"].body_id == links["b"].body_id
    linked = [link for link in links.values() if link.method != "exact"]
    assert [link.method for link in linked] == ["similar_name"] and 80 <= linked[0].score < 100


def test_cross_year_rules_follow_linked_names(tmp_path: Path) -> None:
    """crossyear_2022 renamed 城关乡人民政府 (no county, no city) is still 2021's successor."""
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "y2021.txt").write_bytes((SAMPLES / "crossyear_2021.txt").read_bytes())
    text = (SAMPLES / "crossyear_2022.txt").read_text(encoding="utf-8")
    (inp / "y2022.txt").write_text(text.replace("三明市明溪县城关乡人民政府", "明溪县城关乡", 1), encoding="utf-8")
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["extract", str(inp), "--out", str(out), "--workers", "1"])
    assert res.exit_code == 0, res.output
    bodies = pd.read_csv(out / "bodies.csv", encoding="utf-8-sig")
    assert bodies["body_id"].nunique() == 1 and set(bodies["body"]) == {"三明市明溪县城关乡人民政府"}
    assert sorted(bodies["method"]) == ["exact", "unit_chain"]
    findings = pd.read_csv(out / "findings.csv", encoding="utf-8-sig")
    assert (findings["rule"] == "cross_year.carry_over").sum() == 2
    import duckdb

    con = duckdb.connect(str(out / "nianbao.duckdb"), read_only=True)
    assert con.execute("SELECT count(DISTINCT body_id) FROM bodies JOIN documents USING (doc_id)").fetchone() == (1,)


def test_an_interrupted_run_reads_bodies_as_empty(tmp_path: Path) -> None:
    """bodies is written when a run closes: before that (a kill), nianbao.open gives it empty and typed."""
    import nianbao

    res = CliRunner().invoke(main, ["extract", str(SAMPLES / "dump_tabs.txt"), "--out", str(tmp_path), "--no-parquet"])
    assert res.exit_code == 0, res.output
    (tmp_path / "bodies.csv").unlink()
    (tmp_path / "nianbao.duckdb").unlink(missing_ok=True)
    out = nianbao.open(tmp_path)
    assert len(out.documents) == 1 and len(out.bodies) == 0
    assert list(out.bodies.columns)[:3] == ["doc_id", "body_id", "body"]
