"""Native PaddleOCR as the second OCR engine: model folders, offline reading, same cells as RapidOCR."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from nianbao import Settings, process
from nianbao.extractors.ocr_models import characters, export_models, model_name_of, rapidocr_models
from nianbao.pipeline.cli import main
from tests.conftest import SAMPLES

HAVE_PADDLE = importlib.util.find_spec("paddleocr") is not None
# .ci/run installs the extra in an environment of its own and runs this file there with
# NIANBAO_REQUIRE_PADDLE=1: there a missing PaddleOCR is a failure, not a skip
needs_paddle = pytest.mark.skipif(
    not HAVE_PADDLE and os.environ.get("NIANBAO_REQUIRE_PADDLE") != "1", reason="pip install 'nianbao[paddle]'"
)
SCANS = ["scan_planted_200.pdf", "scan_seal_200.pdf", "scan_rotated_200.pdf", "png_page_200.png"]

# every way onto the network refused: a connection attempt fails the run loudly. Unix-domain sockets
# stay open: they never leave the machine (the worker pool's fork server talks over one)
OFFLINE_RUN = """
import socket, sys
_connect, _connect_ex = socket.socket.connect, socket.socket.connect_ex
def refuse(*args, **kwargs):
    raise RuntimeError("network access attempted: %r" % (args[1:] if len(args) > 1 else args,))
def guarded(original):
    def connect(self, address):
        if self.family == socket.AF_UNIX:
            return original(self, address)
        refuse(self, address)
    return connect
socket.socket.connect = guarded(_connect)
socket.socket.connect_ex = guarded(_connect_ex)
socket.create_connection = refuse
socket.getaddrinfo = refuse
from nianbao import Settings, process
from nianbao.pipeline.cli import main
main(sys.argv[1:], prog_name="nianbao")
"""


def test_export_writes_paddleocr_model_folders(tmp_path: Path) -> None:
    folders = export_models(tmp_path / "models")
    assert set(folders) == {"det", "rec"}
    for kind, folder in folders.items():
        assert (folder / "inference.onnx").stat().st_size > 100_000
        meta = json.loads((folder / "inference.yml").read_text(encoding="utf-8"))  # YAML written as JSON
        assert meta["Global"]["model_name"] == model_name_of(folder) == f"PP-OCRv6_small_{kind}"
    rec = json.loads((folders["rec"] / "inference.yml").read_text(encoding="utf-8"))
    chars = rec["PostProcess"]["character_dict"]
    assert chars == characters(rapidocr_models() / "PP-OCRv6_rec_small.onnx") and len(chars) > 6000
    assert {"行", "政", "复", "议", "0", "9"} <= set(chars)
    res = CliRunner().invoke(main, ["ocr-models", "export", str(tmp_path / "cli")])
    assert res.exit_code == 0 and (tmp_path / "cli" / "rec" / "inference.yml").exists()


def test_paddleocr_engine_without_paddleocr_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "paddleocr" else real(name, *a))
    res = CliRunner().invoke(
        main, ["extract", str(SAMPLES / "png_page_200.png"), "--out", str(tmp_path), "--ocr-engine", "paddleocr"]
    )
    assert res.exit_code == 2 and "pip install 'nianbao[paddle]'" in res.output


@needs_paddle
def test_paddleocr_reads_the_scans_offline_as_rapidocr_does(tmp_path: Path) -> None:
    home, cache, tmp, work = (tmp_path / d for d in ("home", "cache", "tmp", "work"))
    for d in (home, cache, tmp, work):
        d.mkdir()
    env = {**os.environ, "HOME": str(home), "XDG_CACHE_HOME": str(cache), "TMPDIR": str(tmp)}
    env.pop("PADDLE_PDX_CACHE_HOME", None)
    files = [str(SAMPLES / s) for s in SCANS]
    cmd = [sys.executable, "-c", OFFLINE_RUN, "extract", *files, "--out", "out", "--workers", "1"]
    res = subprocess.run([*cmd, "--ocr-engine", "paddleocr"], cwd=work, env=env, capture_output=True, timeout=900)
    assert res.returncode == 0, res.stderr.decode()[-3000:]
    # nothing written outside the cache folder it was given and the --out folder
    assert not any(home.iterdir()), list(home.rglob("*"))[:5]
    assert [p.name for p in work.iterdir()] == ["out"]
    assert (cache / "nianbao").is_dir()
    cells = pd.read_csv(work / "out" / "disclosure.csv", encoding="utf-8-sig")
    findings = pd.read_csv(work / "out" / "findings.csv", encoding="utf-8-sig")
    docs = pd.read_csv(work / "out" / "documents.csv", encoding="utf-8-sig")
    assert "failed" not in set(docs["status"])  # png_page_200 is one page (table 三 only): partial, as with RapidOCR
    name_of = {r.doc_id: Path(r.path).name for r in docs.itertuples()}
    flagged = {
        (d, c) for d, cs in zip(findings["doc_id"], findings["cells"].fillna(""), strict=True) for c in cs.split(";")
    }
    read = {(name_of[r.doc_id], f"{r.table}.{r.row}.{r.col}"): r.value for r in cells.itertuples()}
    id_of = {n: d for d, n in name_of.items()}
    differ = same = 0
    for scan in SCANS:
        reference = process(SAMPLES / scan, Settings())  # the same file through RapidOCR
        for v in reference.values:
            ref = f"{v.table}.{v.row}.{v.col}"
            value = read.get((scan, ref))
            if (value is None or pd.isna(value)) and v.value is None:
                same += 1
                continue
            if value is not None and v.value is not None and abs(value - v.value) < 1e-9:
                same += 1
                continue
            differ += 1
            # a cell PaddleOCR reads otherwise than RapidOCR is never silent: a finding names it
            assert (id_of[scan], ref) in flagged, (scan, ref, value, v.value)
    assert same > 600
    print(f"{same} cells as RapidOCR reads them, {differ} otherwise and flagged")
