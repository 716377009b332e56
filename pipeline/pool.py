"""Worker processes that read one file at a time, watched by the parent's clock.

Why not ``concurrent.futures.ProcessPoolExecutor``: it cannot say which file a dead worker
held, cannot kill a worker stuck in native code (pdfium, onnxruntime, a decoder that never
returns to Python, so the in-process deadline of :func:`nianbao.pipeline.run.process` never
fires), and cannot tell the difference between the two. Here each worker holds exactly one
file, so the parent knows:

- a worker that dies (a segfault, the OOM killer) fails only its file, with its exit status;
- a worker past its file's time limit plus a grace period is killed and replaced, and its file
  fails as hung;
- a worker whose resident memory passes ``Settings.max_memory_mb`` is killed and replaced, and its
  file fails as over the memory limit (watched from here: a limit set inside the worker, such as
  RLIMIT_AS, makes onnxruntime and pdfium abort on address space they reserve but never use);
- a worker is retired after ``max_files`` files and a fresh one forked, because native PDF and
  OCR libraries keep memory that Python never gives back.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import suppress
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from nianbao.model import DocumentResult
from nianbao.pipeline.run import _fail, process, time_limit
from nianbao.settings import Settings

Reader = Callable[[Path, Settings], DocumentResult]

# seconds a worker may run past its file's own deadline before the parent kills it: the
# in-process deadline normally fires first; this is for code that never returns to Python
GRACE = 30.0
# files one worker reads before it is replaced by a fresh process
MAX_FILES_PER_WORKER = 50


def _default_context() -> Any:
    """forkserver where there is one (Linux, macOS), else spawn; never a plain fork.

    Forking the calling process copies its threads' locks in whatever state they are (a notebook's
    kernel threads, a Dask client's event loop, a progress bar): a worker forked after the Dask test
    died in garbage collection with a segfault. The fork server is a clean single-threaded process
    with nianbao already imported, so workers still start in milliseconds.
    """
    if "forkserver" in mp.get_all_start_methods():
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(["nianbao.pipeline.run"])
        _start_forkserver()
        return ctx
    return mp.get_context("spawn")


def _start_forkserver() -> None:
    """Start the fork server with the working folder kept off its ``sys.path``.

    The server is ``python -c …``, which puts the working folder first on ``sys.path``, and Python
    3.11's server ignores the parent's path: run from a folder holding a clone named ``nianbao``,
    every worker imported that folder instead of the installed package and died on its first file
    ("cannot import name '__version__' from 'nianbao'"). ``PYTHONSAFEPATH`` (Python ≥ 3.11) keeps
    the folder off; it is set for the server's start only, so other programs this process starts
    keep their usual path.
    """
    from multiprocessing import forkserver

    before = os.environ.get("PYTHONSAFEPATH")
    os.environ["PYTHONSAFEPATH"] = "1"
    try:
        forkserver.ensure_running()
    finally:
        if before is None:
            del os.environ["PYTHONSAFEPATH"]
        else:
            os.environ["PYTHONSAFEPATH"] = before


def _serve(conn: Connection, fn: Reader, settings: Settings, max_files: int) -> None:
    """A worker's life: up to ``max_files`` files, each answered with ('limit', s) then ('doc', doc)."""
    # Ctrl-C goes to the whole process group; the parent decides what happens to workers
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for _ in range(max_files):
        try:
            path = conn.recv()
        except EOFError:
            return
        if path is None:
            return
        limit = time_limit(path, settings)
        conn.send(("limit", limit))
        try:
            # the limit is sized once (it opens a PDF to count pages): the file runs under it
            doc = fn(path, replace(settings, timeout=limit))
        except Exception as e:  # process() never raises for a bad file: this is a bug, said as such
            doc = failed(path, f"worker error: {type(e).__name__}: {e}")
        try:
            conn.send(("doc", doc))
        except (TypeError, AttributeError, ValueError) as e:  # a result that cannot be pickled
            conn.send(("doc", failed(path, f"worker error: result not transferable: {e}")))
        del doc
        _trim()
    conn.close()


def _load_trim() -> Callable[[int], object] | None:
    try:
        import ctypes
        import ctypes.util

        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc.malloc_trim if hasattr(libc, "malloc_trim") else None
    except OSError:
        return None


_MALLOC_TRIM = _load_trim()


def _trim() -> None:
    """Hand freed heap back to the system between files (glibc only).

    OCR allocates and frees large buffers of many sizes; glibc keeps the freed memory in its
    arenas, so a worker that has read a few scans holds twice what it needs (measured: 533 MB
    without, 244 MB with, after 16 scanned files; benchmarks/bench_batch.py shows the batch-wide
    effect). ``malloc_trim(0)`` costs about a millisecond.
    """
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)


def failed(path: str | Path, why: str) -> DocumentResult:
    """A failed result for a file that has no result of its own (its worker died or hung)."""
    return _fail(DocumentResult(doc_id="", path=str(path), sha256="", kind="unknown"), why)


@dataclass
class _Worker:
    proc: Any  # multiprocessing.Process of the chosen context
    conn: Connection
    served: int = 0
    path: Path | None = None
    started: float = 0.0
    deadline: float = 0.0  # monotonic time after which the worker is killed


class WorkerPool:
    """``workers`` processes reading files with ``fn``; results in completion order.

    ``timeout`` overrides the per-file limit the worker reports (tests); ``grace`` is added to it.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        workers: int = 1,
        fn: Reader = process,
        max_files: int = MAX_FILES_PER_WORKER,
        grace: float = GRACE,
        context: Any = None,
    ) -> None:
        if workers < 1 or max_files < 1:
            raise ValueError("workers and max_files must be >= 1")
        self.settings = settings
        self.size = workers
        self.fn = fn
        self.max_files = max_files
        self.grace = grace
        self.ctx = context or _default_context()
        self._idle: list[_Worker] = []
        self._busy: list[_Worker] = []
        self.started = 0  # worker processes started (recycling and replacements included)

    # -- workers -------------------------------------------------------------------------------
    def _spawn(self) -> _Worker:
        parent, child = self.ctx.Pipe()
        proc = self.ctx.Process(
            target=_serve, args=(child, self.fn, self.settings, self.max_files), daemon=True, name="nianbao-worker"
        )
        proc.start()
        child.close()
        self.started += 1
        return _Worker(proc, parent)

    def _retire(self, w: _Worker, *, kill: bool = False) -> None:
        if kill and w.proc.is_alive():
            w.proc.kill()
        else:
            with suppress(OSError, ValueError):  # a worker that left after max_files closed its end
                w.conn.send(None)
        w.proc.join(timeout=5)
        if w.proc.is_alive():
            w.proc.kill()
            w.proc.join()
        w.conn.close()
        w.proc.close()

    def _assign(self, path: Path) -> None:
        w = self._idle.pop() if self._idle else self._spawn()
        w.path = path
        w.started = time.monotonic()
        # until the worker says how long this file may take (it sizes the limit from the page count)
        w.deadline = w.started + (self.settings.timeout or 60.0) + self.grace
        w.conn.send(path)
        self._busy.append(w)

    def _finish(self, w: _Worker) -> None:
        self._busy.remove(w)
        w.path = None
        w.served += 1
        if w.served >= self.max_files:
            self._retire(w)  # the worker leaves on its own after max_files; join it
        else:
            self._idle.append(w)

    def _replace(self, w: _Worker) -> None:
        self._busy.remove(w)
        self._retire(w, kill=True)

    # -- the run -------------------------------------------------------------------------------
    def map(self, files: Iterable[Path]) -> Iterator[DocumentResult]:
        """Read every file; yield one result per file, in completion order. Closes the pool."""
        queue = deque(Path(f) for f in files)
        try:
            while queue or self._busy:
                while queue and len(self._busy) < self.size:
                    self._assign(queue.popleft())
                yield from self._step()
        finally:
            self.close()

    def read_one(self, path: Path) -> DocumentResult:
        """Read one file in a worker and keep the pool open (a long-lived caller: a Dask worker)."""
        self._assign(Path(path))
        while True:
            for doc in self._step():
                return doc

    def _step(self) -> list[DocumentResult]:
        """Wait (at most a quarter second, or until the nearest deadline) and collect what came back."""
        wake = min(w.deadline for w in self._busy) - time.monotonic()
        # the memory watch looks at every busy worker this often: a file reading 200 MB of text
        # grew by about 100 MB in that time
        ready = wait([w.conn for w in self._busy], timeout=max(0.0, min(wake, MEMORY_POLL)))
        out = []
        for w in list(self._busy):
            doc = self._poll(w, w.conn in ready)
            if doc is not None:
                out.append(doc)
        return out

    def _poll(self, w: _Worker, readable: bool) -> DocumentResult | None:
        assert w.path is not None
        path = w.path
        if readable:
            try:
                kind, payload = w.conn.recv()
            except (EOFError, OSError):
                w.proc.join(timeout=5)
                code = w.proc.exitcode
                self._replace(w)
                return failed(path, _death(code))
            if kind == "limit":
                w.deadline = w.started + float(payload) + self.grace
                return None
            self._finish(w)
            return payload
        if time.monotonic() > w.deadline:
            waited = time.monotonic() - w.started
            self._replace(w)
            return failed(path, f"the worker hung: killed after {waited:.0f} s and replaced")
        used = resident_mb(w.proc.pid)
        if used is not None and used > self.settings.max_memory_mb:
            self._replace(w)
            return failed(
                path,
                f"over the memory limit ({self.settings.max_memory_mb} MB): its worker used {used:,.0f} MB and was "
                "killed and replaced (raise it for one run with --max-memory MB)",
            )
        return None

    def close(self) -> None:
        for w in self._busy:
            self._retire(w, kill=True)
        for w in self._idle:
            self._retire(w)
        self._busy, self._idle = [], []


MEMORY_POLL = 0.25
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def resident_mb(pid: int | None) -> float | None:
    """A process's resident memory in MB, from /proc (None where there is no /proc: no watch)."""
    if pid is None:
        return None
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * _PAGE / 1e6
    except (OSError, ValueError, IndexError):
        return None


def _death(code: int | None) -> str:
    if code is not None and code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        return f"the worker process crashed while reading this file ({name})"
    return f"the worker process crashed while reading this file (exit status {code})"
