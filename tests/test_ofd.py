"""OFD (GB/T 33190) read natively, like a PDF: text OFDs written by the test kit in every style it
knows read exactly; image-only OFDs go to OCR; bad packages fail with a clear error."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from nianbao import Settings, Status, process
from nianbao.extractors.ofd import Ctm, deltas
from nianbao.pipeline.cli import main
from testkit.fuzz import FONT_MISSING, make, score
from testkit.ofd import OfdStyle, text_ofd
from tests.conftest import SAMPLES

STYLES = [
    OfdStyle(per="word", g_notation=True),
    OfdStyle(per="char", g_notation=False),
    OfdStyle(per="word", g_notation=False, ctm_scale=2.0, rules_on_template=True),
    OfdStyle(per="char", g_notation=True, ctm_scale=0.5, rules_on_template=True),
]


def test_deltas_and_ctm() -> None:
    assert deltas("g 3 3.5 1 g 2 0.5") == [3.5, 3.5, 3.5, 1.0, 0.5, 0.5]
    assert deltas(None) == []
    assert Ctm.parse("2 0 0 2 10 5").apply(1, 1) == (12, 7)
    assert Ctm.parse("2 0 0 2 0 0").scale == 2


@pytest.mark.parametrize("style", STYLES, ids=lambda s: f"{s.per}-g{int(s.g_notation)}-x{s.ctm_scale}")
def test_a_text_ofd_reads_like_its_pdf(style: OfdStyle, tmp_path: Path) -> None:
    pdf = SAMPLES / "planted_errors.pdf"
    ofd = text_ofd(pdf, tmp_path / "r.ofd", style)
    a, b = process(pdf), process(ofd)
    assert b.kind == "ofd" and b.status is Status.OK, b.error
    assert {(v.table, v.row, v.col): v.value for v in b.values} == {(v.table, v.row, v.col): v.value for v in a.values}
    assert (b.metadata.body, b.metadata.year) == (a.metadata.body, a.metadata.year)
    rules = {(f.rule, f.subject) for f in b.findings if f.severity.value == "error"}
    assert rules == {(f.rule, f.subject) for f in a.findings if f.severity.value == "error"}
    # provenance: the cell's page and box, in points from the top-left, where the PDF has it
    va = next(v for v in a.values if (v.table, v.row, v.col) == ("t3", "total_processed", "natural_person"))
    vb = next(v for v in b.values if (v.table, v.row, v.col) == ("t3", "total_processed", "natural_person"))
    assert vb.prov.page == va.prov.page and vb.prov.bbox is not None and va.prov.bbox is not None
    assert abs(vb.prov.bbox.cx - va.prov.bbox.cx) < 2 and abs(vb.prov.bbox.cy - va.prov.bbox.cy) < 3


@pytest.mark.skipif(FONT_MISSING and not os.environ.get("CI"), reason="needs fonts-wqy-zenhei to render layouts")
def test_fuzzed_layouts_as_ofd_read_exactly(tmp_path: Path) -> None:
    """Layouts the fuzzer draws, written as OFD in styles drawn per seed: every cell right or named."""
    right, cells = 0, 0
    for seed in range(30_000, 30_012):
        _, sample, pdf = make(seed, tmp_path)
        doc = process(text_ofd(pdf, tmp_path / f"{seed}.ofd", OfdStyle.draw(seed)))
        s = score(doc, sample)
        right += s.right
        cells += s.total
        assert s.wrong == 0 and s.silent == 0, (seed, OfdStyle.draw(seed), s.problems)
    assert cells > 2000 and right / cells >= 0.995


def _zip(path: Path, parts: dict[str, bytes | str]) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def test_bad_ofd_files_fail_with_a_clear_error_and_the_batch_goes_on(tmp_path: Path) -> None:
    good = text_ofd(SAMPLES / "planted_errors.pdf", tmp_path / "in" / "good.ofd")
    inp = good.parent
    (inp / "not_a_zip.ofd").write_bytes(os.urandom(2000))
    _zip(
        inp / "no_docroot.ofd", {"OFD.xml": '<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"><ofd:DocBody/></ofd:OFD>'}
    )
    with zipfile.ZipFile(good) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    broken = dict(parts)
    broken["Doc_0/Document.xml"] = b"<ofd:Document xmlns:ofd='http://www.ofdspec.org/2016'><ofd:CommonData>"
    _zip(inp / "broken_xml.ofd", broken)
    missing_page = {n: d for n, d in parts.items() if n != "Doc_0/Pages/Page_1/Content.xml"}
    _zip(inp / "missing_page.ofd", missing_page)
    no_font = dict(parts)
    no_font["Doc_0/PublicRes.xml"] = b"<ofd:Res xmlns:ofd='http://www.ofdspec.org/2016' BaseLoc='Res'/>"
    _zip(inp / "no_font.ofd", no_font)
    laughs = dict(parts)
    laughs["Doc_0/Document.xml"] = b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa">]><d>&a;</d>'
    _zip(inp / "entities.ofd", laughs)
    with zipfile.ZipFile(inp / "bomb.ofd", "w", zipfile.ZIP_DEFLATED) as z, z.open("OFD.xml", "w") as fh:
        for _ in range(210):
            fh.write(b"\0" * 1_000_000)
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["extract", str(inp), "--out", str(out), "--workers", "2"])
    assert res.exit_code == 0, res.output
    docs = pd.read_csv(out / "documents.csv", encoding="utf-8-sig")
    by = {Path(p).name: (s, str(e)) for p, s, e in zip(docs.path, docs.status, docs.error, strict=True)}
    assert by["good.ofd"][0] == "ok"
    assert "not a readable OFD file (not a zip package)" in by["not_a_zip.ofd"][1]
    assert "names no DocRoot" in by["no_docroot.ofd"][1]
    assert "broken XML" in by["broken_xml.ofd"][1]
    assert "page 2: its content Doc_0/Pages/Page_1/Content.xml is missing" in by["missing_page.ofd"][1]
    assert "font 2 of a TextObject is not among the document's resources" in by["no_font.ofd"][1]
    assert "declares a DTD or entities" in by["entities.ofd"][1]
    assert "unpacks to 210.0 MB" in by["bomb.ofd"][1]
    assert all(s == "failed" for n, (s, _) in by.items() if n != "good.ofd")
    assert set(pd.read_csv(out / "documents.csv", encoding="utf-8-sig").kind) >= {"ofd"}


def test_debug_images_draw_ofd_pages(tmp_path: Path) -> None:
    ofd = text_ofd(SAMPLES / "planted_errors.pdf", tmp_path / "r.ofd")
    doc = process(ofd, Settings(debug_dir=tmp_path / "debug"))
    pngs = sorted((tmp_path / "debug").rglob("*.png"))
    assert len(pngs) == len(doc.pages) == 2
    from PIL import Image

    img = Image.open(io.BytesIO(pngs[1].read_bytes()))
    assert img.size[0] > 1000  # drawn at the debug scale, not a thumbnail
