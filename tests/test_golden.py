"""Every sample against its golden file (written by testkit/generate.py from its input data)."""

from __future__ import annotations

import pytest

from nianbao import Settings, process
from tests.conftest import GOLDEN, SAMPLES, golden_names
from tests.golden_compare import compare, load


@pytest.fixture(scope="module", autouse=True)
def _maybe_regenerate(regen_golden: bool) -> None:
    if regen_golden:
        from testkit.generate import generate

        generate(SAMPLES, render_files=False)


def test_regenerate_switch_is_off(regen_golden: bool) -> None:
    assert not regen_golden, "--regen-golden rewrote samples/golden/: review the diff, then run without it"


SAMPLE_EXT = {".pdf", ".ofd", ".txt", ".md", ".html", ".htm", ".docx", ".jpg", ".png", ".tif"}


def test_every_sample_has_a_golden_file() -> None:
    files = sorted(p.stem for p in SAMPLES.iterdir() if p.suffix in SAMPLE_EXT)
    assert files == golden_names()
    assert sum(1 for p in SAMPLES.glob("*.pdf")) >= 9


def _cases() -> list[tuple[str, str]]:
    """Every sample with a text layer or markup, on both PDF engines; scans are tests/test_ocr.py's."""
    out = []
    for name in golden_names():
        gold = load(GOLDEN / f"{name}.json")
        if "source" in gold:
            continue
        pdf = gold["file"].endswith(".pdf")
        out += [(name, "pdfium"), (name, "pdfplumber")] if pdf else [(name, "pdfium")]
    return out


@pytest.mark.parametrize(("name", "engine"), _cases())
def test_sample_reads_back_exactly(name: str, engine: str) -> None:
    gold = load(GOLDEN / f"{name}.json")
    doc = process(SAMPLES / gold["file"], Settings(table_engine=engine))
    problems = compare(doc, gold)
    assert not problems, "\n".join(problems)


def test_golden_covers_every_cell_of_the_format() -> None:
    for name in golden_names():
        gold = load(GOLDEN / f"{name}.json")
        t3 = [c for c in gold["cells"] if c["table"] == "t3"]
        t4 = [c for c in gold["cells"] if c["table"] == "t4"]
        assert len(t3) == (175 if gold["metadata"]["format"] == "2021" else 161)
        assert len(t4) == 15


def test_planted_errors_trip_every_single_report_rule() -> None:
    gold = load(GOLDEN / "planted_errors.json")
    rules = {f["rule"] for f in gold["findings"]}
    assert rules == {"t3.balance", "t3.results_total", "t3.applicant_total", "t4.total", "value.domain"}
