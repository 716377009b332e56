"""A folder of hostile inputs among good reports: every input becomes a row, the run completes."""

from __future__ import annotations

import contextlib
import os
import shutil
import struct
import time
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from click.testing import CliRunner

from nianbao.pipeline.cli import main
from tests.conftest import SAMPLES


def _png_header(width: int, height: int) -> bytes:
    """A PNG that declares its size and holds no pixels: enough for a reader that checks the header."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IEND", b"")


def test_hostile_folder_runs_to_completion(tmp_path: Path) -> None:
    inp = tmp_path / "in"
    inp.mkdir()
    good = inp / "good report.pdf"
    shutil.copy(SAMPLES / "blanks_dashes.pdf", good)
    shutil.copy(SAMPLES / "seed_shape_2022.txt", inp / "-leading dash $(echo x) 'quoted'.txt")
    bad_name = os.fsencode(inp) + b"/\xff\xfe latin1 \xe9.txt"  # not UTF-8
    with open(bad_name, "wb") as fh:
        fh.write((SAMPLES / "crossyear_2021.txt").read_bytes())
    (inp / "new\nline.txt").write_text("not a report", encoding="utf-8")
    os.symlink(inp / "missing.pdf", inp / "dangling.pdf")
    os.symlink(inp / "loop_b.pdf", inp / "loop_a.pdf")
    os.symlink(inp / "loop_a.pdf", inp / "loop_b.pdf")
    os.mkfifo(inp / "pipe.pdf")
    (inp / "huge.png").write_bytes(_png_header(30000, 30000))
    (inp / "tiny.png").write_bytes(_png_header(1, 1))
    out = tmp_path / "out"
    runner = CliRunner()
    # the FIFO and the dangling link are also named on the command line: still rows, no abort
    args = ["extract", str(inp), str(inp / "pipe.pdf"), str(inp / "dangling.pdf"), "--out", str(out), "--workers", "2"]
    res = runner.invoke(main, args)
    assert res.exit_code == 0, res.output
    docs = pd.read_csv(out / "documents.csv", encoding="utf-8-sig", keep_default_na=False)
    by_name = {Path(p).name: row for p, row in zip(docs["path"], docs.itertuples(), strict=True)}
    assert by_name["good report.pdf"].status == "ok"
    assert by_name["-leading dash $(echo x) 'quoted'.txt"].status in ("ok", "partial")
    assert by_name["\\xff\\xfe latin1 \\xe9.txt"].status == "ok"  # written with escapes, read normally
    assert "named pipe" in by_name["pipe.pdf"].error
    assert "No such file" in by_name["dangling.pdf"].error
    assert "symbolic links" in by_name["loop_a.pdf"].error or "loop" in by_name["loop_a.pdf"].error.lower()
    assert "exceeds the 200-megapixel limit" in by_name["huge.png"].error
    assert "too small to be a page" in by_name["tiny.png"].error
    assert by_name["new\nline.txt"].status == "failed"
    # nothing written outside --out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "out"]


def test_a_file_over_its_time_limit_fails_and_the_batch_goes_on(tmp_path: Path) -> None:
    from nianbao import Settings
    from nianbao.pipeline.batch import run_batch

    files = [SAMPLES / "scan_blanks_150.pdf", SAMPLES / "dump_tabs.txt"]
    docs = {Path(d.path).name: d for d in run_batch(files, Settings(timeout=0.5), workers=1)}
    slow = docs["scan_blanks_150.pdf"]
    # the timings say where a file that outran the limit was when the deadline should have fired
    assert slow.status.value == "failed" and (slow.error or "").startswith("timed out after 0.5 s"), (
        slow.status.value,
        slow.error,
        slow.timings,
    )
    assert docs["dump_tabs.txt"].status.value == "ok"


def _sleepy_stage(swallow: str) -> Callable[[Any, Any], Any]:
    """A stage that works for 2 s and loses the deadline's first exception the way real code can:
    in a finaliser (Python prints and drops it) or in a library's catch-all."""

    class Finalised:
        def __del__(self) -> None:
            time.sleep(0.6)  # the deadline fires here, inside __del__

    def stage(doc: Any, settings: Any) -> Any:
        t0 = time.monotonic()
        if swallow == "finaliser":
            Finalised()  # dropped at once: its __del__ runs now
        else:
            with contextlib.suppress(Exception):  # a library that catches everything
                time.sleep(0.6)  # the deadline fires here
        while time.monotonic() - t0 < 2.0:
            time.sleep(0.01)
        return doc

    return stage


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")  # the finaliser's, on purpose
@pytest.mark.parametrize("swallow", ["finaliser", "catch-all"])
def test_a_deadline_lost_by_a_finaliser_or_a_catch_all_still_fails_the_file(
    swallow: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nianbao import Settings
    from nianbao.pipeline import run

    monkeypatch.setattr(run, "stages_for", lambda kind: [("extract", _sleepy_stage(swallow))])
    t0 = time.monotonic()
    doc = run.process(SAMPLES / "dump_tabs.txt", Settings(timeout=0.3))
    assert doc.status.value == "failed" and (doc.error or "").startswith("timed out after 0.3 s"), doc.error
    assert time.monotonic() - t0 < 1.5  # failed when the deadline came again, not when the stage ended


def test_a_files_time_limit_counts_its_pages_and_its_engine(tmp_path: Path) -> None:
    """The limit is for a file that hangs, not a slow healthy reading: a multi-page TIFF is given
    time for each of its frames (it had one page's time), and the slower native PaddleOCR engine
    more time a page than RapidOCR (a held-out run lost a whole file to its deadline)."""
    from PIL import Image

    from nianbao import Settings
    from nianbao.pipeline.run import time_limit

    frames = [Image.new("L", (200, 300), 255) for _ in range(3)]
    tiff = tmp_path / "three.tif"
    frames[0].save(tiff, save_all=True, append_images=frames[1:])
    one = tmp_path / "one.tif"
    frames[0].save(one)
    rapid, paddle = Settings(), Settings(ocr_engine="paddleocr")
    assert time_limit(tiff, rapid) - 60 == pytest.approx(3 * (time_limit(one, rapid) - 60))
    assert time_limit(one, paddle) > time_limit(one, rapid)
    assert time_limit(one, Settings(timeout=5.0)) == 5.0
