"""Legacy Word through LibreOffice for real: a .doc made from a .docx sample reads the same cells."""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

import pytest

from nianbao import Status, process
from nianbao.extractors import legacy_word
from tests.conftest import GOLDEN, SAMPLES
from tests.golden_compare import compare, load

HAVE_LO = legacy_word.soffice() is not None
needs_lo = pytest.mark.skipif(not HAVE_LO and not os.environ.get("CI"), reason="LibreOffice is not installed")


def _to_doc(docx: Path, out: Path) -> Path:
    exe = legacy_word.soffice()
    assert exe, "CI installs libreoffice-writer-nogui: " + legacy_word.INSTALL_HINT
    profile = out / "profile"
    subprocess.run(
        [
            exe,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "doc",
            "--outdir",
            str(out),
            str(docx),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return out / f"{docx.stem}.doc"


def _soffice_running() -> bool:
    """A LibreOffice process the pipeline started, still running (read from /proc: no procps
    needed). Its own: a conversion's profile lies in its nianbao-lo-* folder. Any soffice on the
    machine would make the test depend on what else runs there (a benchmark printing Word files
    beside the suite failed it)."""
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                cmdline = (proc / "cmdline").read_bytes()
            except OSError:
                continue
            if b"soffice" in cmdline and b"nianbao-lo-" in cmdline:
                return True
    return False


@needs_lo
@pytest.mark.parametrize("name", ["docx_merged", "docx_2019"])
def test_doc_made_from_a_docx_reads_the_same_cells(name: str, tmp_path: Path) -> None:
    doc_file = _to_doc(SAMPLES / f"{name}.docx", tmp_path)
    before = set(Path(tempfile.gettempdir()).glob("nianbao-lo-*"))
    got = process(doc_file)
    assert got.status is not Status.FAILED, got.error
    as_docx = process(SAMPLES / f"{name}.docx")
    assert {(v.table, v.row, v.col): v.value for v in got.values} == {
        (v.table, v.row, v.col): v.value for v in as_docx.values
    }
    gold = load(GOLDEN / f"{name}.json")
    assert not [p for p in compare(got, gold) if "not in output" in p or "value" in p]
    assert all("converted from .doc by LibreOffice" in t.method for t in got.tables)
    # nothing left behind: no LibreOffice process, no profile or temp folder
    assert not _soffice_running()
    assert set(Path(tempfile.gettempdir()).glob("nianbao-lo-*")) == before


def test_without_libreoffice_the_error_names_the_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(legacy_word, "soffice", lambda: None)
    p = tmp_path / "report.wps"
    p.write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 100)
    doc = process(p)
    assert doc.status is Status.FAILED
    assert doc.error and "libreoffice-writer-nogui" in doc.error
