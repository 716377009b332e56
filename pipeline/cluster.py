"""The batch on a Dask distributed cluster: the same per-file function, the same limits.

The client submits paths and receives finished :class:`DocumentResult` objects; the single
:class:`~nianbao.pipeline.store.OutputWriter` stays in the client, so the datasets are written
exactly as on the local route. Workers need only ``pip install nianbao`` and the files at the
same paths (a shared file system).

Dask runs tasks in threads, where the in-process deadline (a signal) cannot fire, and a native
crash would take the Dask worker down with it. So each Dask worker process keeps a small
:class:`~nianbao.pipeline.pool.WorkerPool` of its own, and every file is read in one of its
child processes: killed when hung, recycled after N files, a crash failing only its file —
the local route's guarantees, on every worker.
"""

from __future__ import annotations

import itertools
import multiprocessing as mp
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from itertools import islice
from pathlib import Path
from typing import Any

from nianbao.model import DocumentResult
from nianbao.pipeline.pool import WorkerPool, failed
from nianbao.settings import Settings

# one pool per Dask worker process and settings; a lock per pool (a worker may run tasks in threads)
_POOLS: dict[Settings, tuple[WorkerPool, threading.Lock]] = {}
_POOLS_LOCK = threading.Lock()


def read_on_worker(path: str, settings: Settings) -> DocumentResult:
    """The Dask task: read one file in a child process of this worker (see the module's doc)."""
    with _POOLS_LOCK:
        if settings not in _POOLS:
            # the pool's default start method (forkserver) suits a Dask worker, which runs threads
            _POOLS[settings] = (WorkerPool(settings, workers=1), threading.Lock())
        pool, lock = _POOLS[settings]
    with lock, _may_have_children():
        return pool.read_one(Path(path))


@contextmanager
def _may_have_children() -> Iterator[None]:
    """Let this (daemonic) Dask worker start its reading processes.

    multiprocessing refuses children to a daemonic process so that none outlive it. Ours cannot:
    each reads its next file from a pipe to this process and leaves when the pipe closes, and a
    hung one is killed by the pool. Clearing the flag beats asking every cluster operator to start
    workers with ``distributed.worker.daemon: False``.
    """
    config = mp.current_process()._config  # type: ignore[attr-defined]
    was = config.get("daemon")
    config["daemon"] = False
    try:
        yield
    finally:
        if was is not None:
            config["daemon"] = was


def run_dask(
    files: Sequence[Path],
    settings: Settings,
    *,
    scheduler: str,
    workers: int = 2,
    on_done: Callable[[DocumentResult], None] | None = None,
) -> Iterator[DocumentResult]:
    """Yield one result per file, in completion order, read on a Dask cluster.

    ``scheduler``: ``tcp://HOST:PORT`` of a running scheduler, or ``local`` for a
    ``LocalCluster`` of ``workers`` single-threaded worker processes on 127.0.0.1.
    """
    from distributed import Client, LocalCluster, as_completed

    cluster: Any = None
    if scheduler == "local":
        cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        )
        client = Client(cluster)
    else:
        client = Client(scheduler)
    try:
        slots = max(1, sum(client.nthreads().values()))
        queue = iter(files)
        # a bounded window in flight: 50,000 files are never all futures at once
        pending = as_completed()
        for f in islice(queue, 2 * slots):
            pending.add(_submit(client, f, settings))
        for fut in pending:
            try:
                doc: DocumentResult = fut.result()
            except Exception as e:  # the Dask worker itself died, or the task could not run
                doc = _lost(fut.key, e)
            fut.release()
            nxt = next(queue, None)
            if nxt is not None:
                pending.add(_submit(client, nxt, settings))
            if on_done:
                on_done(doc)
            yield doc
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _submit(client: Any, path: Path, settings: Settings) -> Any:
    # the key carries the path, so a task lost with its worker still says which file it was;
    # pure=False: the same file named twice is read twice, as on the local route
    return client.submit(read_on_worker, str(path), settings, key=f"nianbao-read-{next(_KEYS)}|{path}", pure=False)


# task keys: a counter (next() on itertools.count is atomic under the GIL)
_KEYS = itertools.count(1)


def _lost(key: str, e: BaseException) -> DocumentResult:
    path = key.split("|", 1)[1] if "|" in key else key
    return failed(path, f"the cluster lost this file: {type(e).__name__}: {e}")
