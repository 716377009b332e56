"""Many files: expand folders, run :func:`pipeline.run.process` in workers, stream results.

A bad file yields a ``failed`` result; a crashed worker process fails only the
files it held, and the batch goes on with a fresh pool.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from pipeline.model import DocumentResult, Status
from pipeline.run import KNOWN_EXT, process
from pipeline.settings import Settings


def expand(paths: Iterable[str | Path]) -> list[Path]:
    """Files named, plus every file with a known extension below named folders (sorted)."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in KNOWN_EXT))
        else:
            out.append(p)
    return list(dict.fromkeys(out))


def _crashed(path: Path, why: str) -> DocumentResult:
    from pipeline.run import _fail

    return _fail(DocumentResult(doc_id="", path=str(path), sha256="", kind="unknown"), why)


def run_batch(
    files: Sequence[Path],
    settings: Settings,
    *,
    workers: int = 1,
    on_done: Callable[[DocumentResult], None] | None = None,
) -> Iterator[DocumentResult]:
    """Yield one result per file, in completion order when ``workers > 1``."""
    if workers <= 1 or len(files) <= 1:
        for f in files:
            doc = process(f, settings)
            if on_done:
                on_done(doc)
            yield doc
        return
    retry: list[Path] = []
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futs: dict[Future[DocumentResult], Path] = {pool.submit(process, f, settings): f for f in files}
        for fut in as_completed(futs):
            f = futs[fut]
            try:
                doc = fut.result()
            except BrokenProcessPool:
                # some worker died (a native crash); we cannot tell which file did it
                retry.append(f)
                continue
            except Exception as e:
                doc = _crashed(f, f"worker error: {type(e).__name__}: {e}")
            if on_done:
                on_done(doc)
            yield doc
    for f in retry:
        # each suspect alone in its own process: only the file that crashes fails
        with ProcessPoolExecutor(max_workers=1) as solo:
            try:
                doc = solo.submit(process, f, settings).result()
            except BrokenProcessPool:
                doc = _crashed(f, "the worker process crashed while reading this file")
        if on_done:
            on_done(doc)
        yield doc


def summary(docs: Iterable[DocumentResult]) -> dict[str, int]:
    out = {s.value: 0 for s in Status}
    for d in docs:
        out[d.status.value] += 1
    return out
