"""Many files: expand folders, run :func:`nianbao.pipeline.run.process` in workers, stream results.

A bad file yields a ``failed`` result; a crashed or hung worker process fails only the
file it held (see :mod:`nianbao.pipeline.pool`), and the batch goes on.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from nianbao.model import DocumentResult
from nianbao.pipeline.pool import MAX_FILES_PER_WORKER, WorkerPool
from nianbao.pipeline.run import KNOWN_EXT, process
from nianbao.settings import Settings


def expand(paths: Iterable[str | Path], skipped: list[Path] | None = None) -> list[Path]:
    """Files named, plus every file with a known extension below named folders (sorted).

    Files of other kinds found in folders are added to ``skipped`` when it is given. Links to folders
    are followed, but a folder is walked once however often it is reached (a link
    to itself or to a parent once made a batch read everything again and again), and a file reached
    by two paths is read once, by the first.
    """
    out: list[Path] = []
    seen_dirs: set[tuple[int, int]] = set()
    seen_files: set[tuple[int, int]] = set()

    def once(f: Path) -> bool:
        try:
            st = f.stat()
        except OSError:
            return True  # a dangling or looping link: a row that says so
        key = (st.st_dev, st.st_ino)
        if key in seen_files:
            return False
        seen_files.add(key)
        return True

    for p in map(Path, paths):
        if p.is_dir():
            found: list[Path] = []
            for root, dirs, names in os.walk(p, followlinks=True):
                st = os.stat(root)
                if (st.st_dev, st.st_ino) in seen_dirs:
                    dirs[:] = []
                    continue
                seen_dirs.add((st.st_dev, st.st_ino))
                dirs.sort()
                # files of a known type, and whatever else carries a report's name (a pipe, a dangling
                # link): each becomes a row saying why it was not read, never a hang or a silent skip
                found += [f for f in (Path(root) / n for n in names) if f.suffix.lower() in KNOWN_EXT]
                if skipped is not None:  # what a folder holds that nianbao does not read: said, not read
                    skipped += [Path(root) / n for n in sorted(names) if Path(n).suffix.lower() not in KNOWN_EXT]
            out.extend(f for f in sorted(found) if once(f))
        else:
            out.append(p)  # named on the command line: always a row, whatever it is
    return list(dict.fromkeys(out))


def run_batch(
    files: Sequence[Path],
    settings: Settings,
    *,
    workers: int = 1,
    on_done: Callable[[DocumentResult], None] | None = None,
    isolate: bool = True,
    max_files_per_worker: int = MAX_FILES_PER_WORKER,
) -> Iterator[DocumentResult]:
    """Yield one result per file, in completion order.

    Files are read in worker processes (``isolate``, the default, even with one worker): a native
    crash or hang fails only its file, and workers are recycled after ``max_files_per_worker``
    files. ``isolate=False`` reads in this process, one file after another (debuggers, profilers).
    """
    if not isolate:
        for f in files:
            doc = process(f, settings)
            if on_done:
                on_done(doc)
            yield doc
        return
    pool = WorkerPool(settings, workers=workers, fn=process, max_files=max_files_per_worker)
    for doc in pool.map(files):
        if on_done:
            on_done(doc)
        yield doc
