"""One import name: the public API under `nianbao`, `python -m nianbao`, and reading a run back."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import nianbao
from nianbao.pipeline.cli import main
from tests.conftest import ROOT, SAMPLES


def test_public_api_is_under_one_name() -> None:
    assert callable(nianbao.process) and callable(nianbao.run_batch) and callable(nianbao.open)
    doc = nianbao.process(SAMPLES / "seed_shape_2022.txt", nianbao.Settings())
    assert isinstance(doc, nianbao.DocumentResult)
    assert doc.status in (nianbao.Status.OK, nianbao.Status.PARTIAL)
    assert doc.metadata.body == "泉州市南安市官桥镇人民政府"


def test_version_comes_from_one_place() -> None:
    res = CliRunner().invoke(main, ["--version"])
    assert res.exit_code == 0 and nianbao.__version__ in res.output
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'version = { attr = "nianbao.__version__" }' in pyproject
    assert (ROOT / "nianbao" / "py.typed").exists()


def test_python_dash_m_runs_the_command(tmp_path: Path) -> None:
    res = subprocess.run(
        [sys.executable, "-m", "nianbao", "--version"], capture_output=True, text=True, cwd=tmp_path, check=False
    )
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == f"nianbao, version {nianbao.__version__}"


def test_the_command_reads_files_from_a_folder_holding_a_clone_named_nianbao(tmp_path: Path) -> None:
    """The README's `git clone … nianbao`, then `cd ..`: the workers must import the installed
    package, not the clone's folder (they once all died: "cannot import name '__version__'")."""
    clone = tmp_path / "nianbao"
    for part in ("nianbao", "pipeline", "extractors", "normalizers", "checks", "samples", "pyproject.toml"):
        src = ROOT / part
        (shutil.copytree(src, clone / part, symlinks=True) if src.is_dir() else shutil.copy(src, clone / part))
    script = Path(sys.executable).parent / "nianbao"
    assert script.exists(), "the console script of the installed package"
    res = subprocess.run(
        [str(script), "extract", "nianbao/samples/seed_shape_2022.txt", "--out", "out", "--workers", "2"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert res.returncode == 0, res.stderr
    assert "crashed" not in res.stderr, res.stderr
    docs = nianbao.open(tmp_path / "out").documents
    assert list(docs["status"]) == ["partial"], res.stderr  # the sample's lost 其他 column
    assert list(docs["body"]) == ["泉州市南安市官桥镇人民政府"]


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out")
    files = [str(SAMPLES / "seed_shape_2022.txt"), str(SAMPLES / "planted_errors.pdf")]
    res = CliRunner().invoke(main, ["extract", *files, "--out", str(out), "--workers", "1"])
    assert res.exit_code == 0, res.output
    return out


def test_open_returns_dataframes_and_duckdb(run_dir: Path) -> None:
    with nianbao.open(run_dir) as out:
        assert set(out.names) >= {"disclosure", "findings", "documents"}
        joined = out.disclosure.merge(out.documents[["doc_id", "body", "year"]], on="doc_id")
        assert len(joined) == len(out.disclosure) > 0
        assert set(joined["body"]) == {"泉州市南安市官桥镇人民政府", *set(out.documents["body"])} - {None}
        n = out.db.execute("SELECT count(*) FROM findings WHERE severity = 'error'").fetchone()
        assert n is not None and n[0] == int((out.findings["severity"] == "error").sum()) > 0
        assert out["findings"] is out.findings
        with pytest.raises(KeyError):
            out["nope"]


def test_open_reads_csv_of_an_unclosed_run(run_dir: Path, tmp_path: Path) -> None:
    # a run killed before it closed has CSVs only: the same rows come back
    for f in run_dir.glob("*.csv"):
        (tmp_path / f.name).write_bytes(f.read_bytes())
    full, partial = nianbao.open(run_dir), nianbao.open(tmp_path)
    assert len(partial.disclosure) == len(full.disclosure)
    assert partial.disclosure["value"].sum() == pytest.approx(full.disclosure["value"].sum())
    assert partial.db.execute("SELECT count(*) FROM documents").fetchone() == (2,)


def test_open_refuses_a_folder_without_output(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no nianbao output"):
        nianbao.open(tmp_path)
