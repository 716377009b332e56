"""The batch runner: a native crash in one worker fails only its file; every other file comes back."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import nianbao.pipeline.batch as batch
from nianbao import Settings, Status
from nianbao.model import DocumentResult
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


def hang_on_name(path: Path, settings: Settings | None = None) -> DocumentResult:
    if Path(path).name.startswith("hang"):
        # native code that never returns to Python: the in-process deadline cannot fire
        import signal

        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        while True:
            os.sched_yield()
    return process(path, settings)


def test_hung_worker_is_killed_and_replaced(tmp_path: Path) -> None:
    from nianbao.pipeline.pool import WorkerPool

    files = []
    for name in ("a.txt", "hang.txt", "b.txt", "c.txt"):
        dst = tmp_path / name
        shutil.copy(SAMPLES / "dump_tabs.txt", dst)
        files.append(dst)
    pool = WorkerPool(Settings(timeout=1.0), workers=1, fn=hang_on_name, grace=1.0)
    docs = {Path(d.path).name: d for d in pool.map(files)}
    assert set(docs) == {"a.txt", "hang.txt", "b.txt", "c.txt"}
    hung = docs["hang.txt"]
    assert hung.status is Status.FAILED and "hung" in (hung.error or "")
    assert all(docs[n].status is Status.OK for n in ("a.txt", "b.txt", "c.txt"))
    assert pool.started == 2  # the hung worker's replacement read the files after it


def pid_reader(path: Path, settings: Settings | None = None) -> DocumentResult:
    doc = process(path, settings)
    doc.error = str(os.getpid())  # which process read the file
    return doc


def test_workers_are_recycled_after_max_files(tmp_path: Path) -> None:
    from nianbao.pipeline.pool import WorkerPool

    files = []
    for i in range(7):
        dst = tmp_path / f"f{i}.txt"
        shutil.copy(SAMPLES / "dump_tabs.txt", dst)
        files.append(dst)
    pool = WorkerPool(Settings(), workers=1, fn=pid_reader, max_files=3)
    pids = [d.error for d in pool.map(files)]
    assert len(pids) == 7
    # files 1-3 in one process, 4-6 in the next, 7 in a third: a process never reads a 4th file
    assert [pids.count(p) for p in dict.fromkeys(pids)] == [3, 3, 1]
    assert pool.started == 3 and os.getpid() not in {int(p) for p in pids if p}
