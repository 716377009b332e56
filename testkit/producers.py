"""Real PDF producers for the test kit: Chromium printing portal pages, LibreOffice exporting Word.

The same report, laid out by testkit/tables.py, written as a portal page (styles cms, gbk with table
三 split into two ``<table>`` elements, Word's "save as web page") or a .docx, then printed to PDF by
Debian's ``chromium`` (--print-to-pdf) or ``soffice --convert-to pdf``: PDFs made by tools nobody here
wrote, for benchmarks/producers.py and tests/test_producers.py.
"""

from __future__ import annotations

import random
import re
import shutil
import subprocess
from pathlib import Path

from testkit.fuzz import build, draw
from testkit.specs import Sample
from testkit.tables import t2_layout, t3_layout, t4_layout
from testkit.titles import header_lines
from testkit.web import DocLook, write_docx, write_html

# libreoffice:doc saves the .docx as legacy Word (.doc, LibreOffice's MS Word 97 filter) and exports
# that: the path a .doc filing takes
PRODUCERS = ("chromium:cms", "chromium:gbk", "chromium:word", "libreoffice:docx", "libreoffice:doc")

# East Asian fonts as Word documents name them (substituted by whatever the machine has, as for
# every filing made on Windows and exported elsewhere) and installed families (Song-like, Hei, a
# bitmap-hinted Hei)
FONTS = (
    "宋体",
    "仿宋_GB2312",
    "黑体",
    "楷体_GB2312",
    "方正仿宋_GBK",
    "AR PL UMing CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Zen Hei Sharp",
)
LATIN = (None, "Times New Roman", "Calibri", "Arial", "Liberation Sans Narrow")


def draw_look(seed: int, body: str, year: int, title_shape: str) -> DocLook:
    """One office's Word template, drawn per seed: fonts, sizes, page, column widths, the title in the
    fuzzer's title shape, and on some filings the compiling office named in the opening."""
    rng = random.Random(seed * 7919 + 11)
    head, _ = header_lines(title_shape, body, year)
    # a page or a Word file prints a Markdown shape's words, not its markers
    head = [re.sub(r"^#+\s*|\*\*", "", line) for line in head]
    office = rng.choice(
        (f"{body}办公室" if not body.endswith("办公室") else f"{body}秘书科", "区政府办公室", "党政综合办公室")
    )
    # only where the title names the body: otherwise the opening's subject is the body (a shape of its own)
    names = any(body in line for line in head if "：" not in line and ":" not in line)
    compiled = f"本报告由{office}根据《中华人民共和国政府信息公开条例》编制。" if rng.random() < 0.3 and names else ""
    n = 15  # table 四's columns, the most any table has
    share = rng.choice((None, 0.8, 0.95, 1.0))
    return DocLook(
        font=rng.choice(FONTS),
        latin=rng.choice(LATIN),
        size=rng.choice((None, 9.0, 10.5, 12.0)),
        title_size=rng.choice((None, 16.0, 18.0, 22.0)),
        landscape=rng.random() < 0.2,
        margin_cm=rng.choice((None, 1.27, 2.0, 3.17)),
        width_share=share,
        width_jitter=tuple(round(rng.uniform(0.7, 1.3), 2) for _ in range(n)) if share else (),
        align=rng.choice(("left", "center", "right")),
        head=tuple(head),
        compiled_by=compiled,
    )


def chromium_pdf(html: Path, out: Path) -> Path:
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    assert exe, "apt-get install chromium"
    cmd = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer", f"--print-to-pdf={out}"]
    subprocess.run([*cmd, html.as_uri()], capture_output=True, timeout=120, check=True)
    return out


def libreoffice_pdf(docx: Path, out_dir: Path, to: str = "pdf") -> Path:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    assert exe, "apt-get install libreoffice-writer-nogui"
    profile = out_dir / "lo-profile"
    cmd = [exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", to, "--outdir"]
    subprocess.run([*cmd, str(out_dir), str(docx)], capture_output=True, timeout=180, check=True)
    return out_dir / f"{docx.stem}.{to.split(':')[0]}"


def produce(seed: int, producer: str, tmp: Path, *, look: bool = True) -> tuple[Sample, Path]:
    """The seed's report through one producer. ``look``: the drawn title shape and Word template
    (False: the plain look the committed samples were made with)."""
    p = draw(seed)
    s = build(p)
    s.vertical_group = seed % 2 == 0
    work = tmp / f"{seed}"
    work.mkdir(parents=True, exist_ok=True)
    t3, index = t3_layout(s)
    tool, style = producer.split(":")
    dl = draw_look(seed, s.body, s.year, p.title_shape) if look else DocLook()
    if tool == "chromium":
        split = index.get("denied_state_secret") if style == "gbk" else None
        html = write_html(s, style, work, t2_layout(s), t3, t4_layout(s), split, dl.head, dl.compiled_by)
        return s, chromium_pdf(html, work / f"{s.name}.pdf")
    docx = write_docx(s, work, t2_layout(s), t3, t4_layout(s), dl)
    if style == "doc":
        # the .docx goes away so the export below can only have read the .doc
        doc = libreoffice_pdf(docx, work, "doc:MS Word 97")
        docx.unlink()
        return s, libreoffice_pdf(doc, work)
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
    _, pdf = produce(seed, producer, tmp, look=False)
    return Path(shutil.copy(pdf, out_dir / f"{name}.pdf"))
