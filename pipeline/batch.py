"""Many files: expand folders, run :func:`nianbao.pipeline.run.process` in workers, stream results.

A bad file yields a ``failed`` result; a crashed worker process fails only the
files it held, and the batch goes on with a fresh pool.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from pathlib import Path

from nianbao.pipeline.model import DocumentResult
from nianbao.pipeline.run import KNOWN_EXT, process
from nianbao.pipeline.settings import Settings


def expand(paths: Iterable[str | Path]) -> list[Path]:
    """Files named, plus every file with a known extension below named folders (sorted)."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            # files of a known type, and whatever else carries a report's name (a pipe, a dangling link):
            # each becomes a row saying why it was not read, never a hang or a silent skip
            out.extend(sorted(f for f in p.rglob("*") if f.suffix.lower() in KNOWN_EXT and not f.is_dir()))
        else:
            out.append(p)  # named on the command line: always a row, whatever it is
    return list(dict.fromkeys(out))


def _crashed(path: Path, why: str) -> DocumentResult:
    from nianbao.pipeline.run import _fail

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
    queue = iter(files)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        # a bounded window of files in flight: a 50,000-file batch neither submits 50,000
        # futures up front nor keeps finished results alive in them
        futs: dict[Future[DocumentResult], Path] = {}
        for f in islice(queue, 4 * workers):
            futs[pool.submit(process, f, settings)] = f
        while futs:
            done, _ = wait(futs, return_when=FIRST_COMPLETED)
            for fut in done:
                f = futs.pop(fut)
                nxt = next(queue, None)
                if nxt is not None:
                    try:
                        futs[pool.submit(process, nxt, settings)] = nxt
                    except BrokenProcessPool:
                        retry.append(nxt)
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
        retry.extend(queue)  # files never submitted because the pool broke
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
