"""The batch runner: a native crash in one worker fails only its file; every other file comes back."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import nianbao.pipeline.batch as batch
from nianbao import Settings, Status
from nianbao.pipeline.model import DocumentResult
from nianbao.pipeline.run import process
from tests.conftest import SAMPLES


def crash_on_name(path: Path, settings: Settings | None = None) -> DocumentResult:
    if Path(path).name.startswith("crash"):
        os._exit(3)  # what a segfault in a native library looks like to the pool
    return process(path, settings)


def test_crashing_file_fails_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = []
    for name in ("a.txt", "crash.txt", "b.txt", "c.txt"):
        dst = tmp_path / name
        shutil.copy(SAMPLES / "dump_tabs.txt", dst)
        files.append(dst)
    monkeypatch.setattr(batch, "process", crash_on_name)
    docs = {Path(d.path).name: d for d in batch.run_batch(files, Settings(), workers=2)}
    assert set(docs) == {"a.txt", "crash.txt", "b.txt", "c.txt"}
    assert docs["crash.txt"].status is Status.FAILED
    assert "crashed" in (docs["crash.txt"].error or "")
    assert all(docs[n].status is Status.OK for n in ("a.txt", "b.txt", "c.txt"))


def test_folders_expand_to_known_files(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    shutil.copy(SAMPLES / "dump_tabs.txt", tmp_path / "sub" / "x.txt")
    (tmp_path / "notes.xyz").write_text("ignored")
    assert [p.name for p in batch.expand([tmp_path])] == ["x.txt"]
