"""Real PDF producers for the test kit: Chromium printing portal pages, LibreOffice exporting Word.

The same report, laid out by testkit/tables.py, written as a portal page (styles cms, gbk with table
三 split into two ``<table>`` elements, Word's "save as web page") or a .docx, then printed to PDF by
Debian's ``chromium`` (--print-to-pdf) or ``soffice --convert-to pdf``: PDFs made by tools nobody here
wrote, for benchmarks/producers.py and tests/test_producers.py.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from testkit.fuzz import build, draw
from testkit.specs import Sample
from testkit.tables import t2_layout, t3_layout, t4_layout
from testkit.web import write_docx, write_html

PRODUCERS = ("chromium:cms", "chromium:gbk", "chromium:word", "libreoffice:docx")


def chromium_pdf(html: Path, out: Path) -> Path:
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    assert exe, "apt-get install chromium"
    cmd = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer", f"--print-to-pdf={out}"]
    subprocess.run([*cmd, html.as_uri()], capture_output=True, timeout=120, check=True)
    return out


def libreoffice_pdf(docx: Path, out_dir: Path) -> Path:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    assert exe, "apt-get install libreoffice-writer-nogui"
    profile = out_dir / "lo-profile"
    cmd = [exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf", "--outdir"]
    subprocess.run([*cmd, str(out_dir), str(docx)], capture_output=True, timeout=180, check=True)
    return out_dir / (docx.stem + ".pdf")


def produce(seed: int, producer: str, tmp: Path) -> tuple[Sample, Path]:
    s = build(draw(seed))
    s.vertical_group = seed % 2 == 0
    work = tmp / f"{seed}"
    work.mkdir(parents=True, exist_ok=True)
    t3, index = t3_layout(s)
    tool, style = producer.split(":")
    if tool == "chromium":
        split = index.get("denied_state_secret") if style == "gbk" else None
        html = write_html(s, style, work, t2_layout(s), t3, t4_layout(s), split)
        return s, chromium_pdf(html, work / f"{s.name}.pdf")
    docx = write_docx(s, work, t2_layout(s), t3, t4_layout(s))
    return s, libreoffice_pdf(docx, work)


# committed samples, one per producer class the issue on producers names: (name, seed, producer, note)
SAMPLES = (
    (
        "producer_chromium_split",
        55005,
        "chromium:gbk",
        "a portal page with table 三 split into two <table>s, printed by Chromium: the second part's value "
        "columns ~22 pt wide, two numbers a hair apart across a ruling line",
    ),
    (
        "producer_libreoffice_docx",
        55003,
        "libreoffice:docx",
        "a python-docx report exported to PDF by LibreOffice",
    ),
)


def producer_samples() -> list[tuple[Sample, int, str]]:
    """The committed producer samples' data (their golden files come from it), with seed and producer."""
    out = []
    for name, seed, producer, note in SAMPLES:
        s = build(draw(seed))
        s.vertical_group = seed % 2 == 0
        s.name, s.note = name, f"{note} (testkit.producers seed {seed})"
        out.append((s, seed, producer))
    return out


def render_producer_sample(name: str, out_dir: Path, tmp: Path) -> Path:
    """Make one committed producer sample again (needs Chromium or LibreOffice)."""
    seed, producer = next((seed, producer) for n, seed, producer, _ in SAMPLES if n == name)
    _, pdf = produce(seed, producer, tmp)
    return Path(shutil.copy(pdf, out_dir / f"{name}.pdf"))
