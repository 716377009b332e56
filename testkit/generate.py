"""Generate the sample filings (PDF) and their golden files (JSON).

    python -m testkit.generate            # PDFs + golden files (needs reportlab and fonts-wqy-zenhei)
    python -m testkit.generate --golden   # golden files only (pure data, no font needed)

Golden values come from the sample data in :mod:`testkit.specs` — what the
generator prints — never from the pipeline's output.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from testkit.dumps import dump_samples, markdown_samples
from testkit.scraper import scraper_samples
from testkit.specs import SECTION_TITLES, Sample, all_samples, embedded_samples
from testkit.tables import embedded_layout, raw_layout, t2_layout, t3_layout, t4_layout

# the committed samples live in samples/ (data only); this kit writes them there
HERE = Path(__file__).resolve().parent.parent / "samples"
GOLDEN = HERE / "golden"


def golden(s: Sample, ext: str = "pdf", unread: frozenset[tuple[str, str, str]] = frozenset()) -> dict:  # type: ignore[type-arg]
    """The golden file of a sample: its printed cells and values, from the sample data.

    Cells in ``unread`` (table, row, col) are not printed, or printed in a way that cannot be
    read unambiguously (see testkit/dumps.py); the pipeline must leave them empty.
    """
    cells = [
        {"table": t, "row": r, "col": c, "value": s.value(t, r, c), "raw": s.raw(t, r, c)}
        if (t, r, c) not in unread
        else {"table": t, "row": r, "col": c, "value": None, "raw": ""}
        for t, r, c in s.cells()
    ]
    return {
        "sample": s.name,
        "file": f"{s.name}.{ext}",
        "note": s.note,
        "metadata": {"title": s.title, "body": s.body, "year": s.year, "format": s.fmt, "level": s.level},
        "cells": cells,
        "findings": [{"rule": r, "subject": subj} for r, subj in s.expected_findings],
        "records": _expected_records(s),
        "needs_ocr_pages": [],
        "ocr_pages": [],  # filled in by render() when the sample has an image page
    }


def _expected_records(s: Sample) -> list[dict]:  # type: ignore[type-arg]
    from testkit.specs import CIZAO_RECORDS

    out: list[dict] = []  # type: ignore[type-arg]
    if s.name == "cizao_2022":
        for table, dataset in enumerate(("project_progress", "review_log", "scores")):
            out += [{"dataset": dataset, "table": table, **rec} for rec in CIZAO_RECORDS[dataset]]
    for table, emb in enumerate(s.tables):
        out += [{"dataset": emb.dataset, "table": table, **rec} for rec in emb.records]
    return out


# ------------------------------------------------------------------ rendering


def scan_png(path: Path, lines: list[str]) -> None:
    """A grey, slightly noisy page picture standing for a scanned page."""
    import random

    from PIL import Image, ImageDraw, ImageFont

    from testkit.render import FONT_PATHS

    img = Image.new("L", (827, 1169), 250)  # A4 at 100 dpi
    d = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT_PATHS[0], 18)
    y = 110
    for ln in lines:
        d.text((100, y), ln, fill=30, font=font)
        y += 34
    rng = random.Random(7)
    for _ in range(3000):
        img.putpixel((rng.randrange(827), rng.randrange(1169)), rng.randrange(150, 256))
    img.save(path, optimize=True)


def render(s: Sample, out_dir: Path) -> dict:  # type: ignore[type-arg]
    from testkit.render import Flow, Style

    g = golden(s)
    flow = Flow(out_dir / f"{s.name}.pdf")
    flow.fake_bold_text = s.fake_bold
    title = s.title if s.name != "cizao_2022" else "晋江市磁灶镇人民政府 2022 年政府信息公开工作年度报告"
    g["metadata"]["title"] = title
    flow.title(title)
    paras = s.paragraphs or [
        f"本报告根据《中华人民共和国政府信息公开条例》和《中华人民共和国政府信息公开工作年度报告格式》要求编制。"
        f"本报告中所列数据的统计期限自{s.year}年1月1日起至{s.year}年12月31日止。"
    ]
    for p in paras:
        flow.paragraph(p)
    flow.paragraph(SECTION_TITLES["s1"], size=12, indent=0, bold=s.fake_bold)
    if s.name == "cizao_2022":
        from testkit.specs import CIZAO_S1, CIZAO_S1_B

        for p in CIZAO_S1:
            flow.paragraph(p)
        flow.space(4)
        flow.table(raw_layout(s.embedded[0]), Style(rules="full"))
        for p in CIZAO_S1_B:
            flow.paragraph(p)
        flow.space(4)
        flow.table(raw_layout(s.embedded[1]), Style(rules="full"))
        flow.space(4)
        flow.table(raw_layout(s.embedded[2]), Style(rules="full"))
    else:
        flow.paragraph(
            f"{s.year}年，{s.body.replace('人民政府', '')}认真贯彻落实政务公开工作要求，持续推进政府信息公开工作。"
        )
        for emb in s.tables:
            flow.space(4)
            flow.table(embedded_layout(emb), Style(rules="full"))
    style = Style(rules=s.rules, fake_bold=s.fake_bold, repeat_header=s.repeat_header)
    flow.ensure(40)
    flow.paragraph(SECTION_TITLES["t2"], size=12, indent=0, bold=s.fake_bold)
    flow.table(t2_layout(s), style)
    t3, index = t3_layout(s)
    if s.split_t3_after is None:
        flow.ensure(470)
    flow.paragraph(SECTION_TITLES["t3"], size=12, indent=0, bold=s.fake_bold)
    t3_style = Style(
        rules=s.rules,
        fake_bold=s.fake_bold,
        repeat_header=s.repeat_header,
        break_after=index[s.split_t3_after] if s.split_t3_after else None,
    )
    flow.table(t3, t3_style)
    flow.ensure(120)
    flow.paragraph(SECTION_TITLES["t4"], size=12, indent=0, bold=s.fake_bold)
    flow.table(t4_layout(s), style)
    flow.paragraph(SECTION_TITLES["s5"], size=12, indent=0, bold=s.fake_bold)
    if s.name == "cizao_2022":
        from testkit.specs import CIZAO_S5

        for p in CIZAO_S5:
            flow.paragraph(p)
    else:
        flow.paragraph("一是公开内容的针对性有待加强；二是政策解读形式较为单一。下一步将进一步完善工作机制。")
    flow.paragraph(SECTION_TITLES["s6"], size=12, indent=0, bold=s.fake_bold)
    flow.paragraph("无其他需要报告的事项。")
    if s.image_page:
        png = out_dir / f"_{s.name}_scan.png"
        scan_png(
            png,
            [
                "附件：政府信息公开工作情况说明（扫描件）",
                "本页为扫描图片，没有文字层。",
                f"{s.body}",
                f"{s.year}年12月31日",
            ],
        )
        flow.image_page(png)
        g["ocr_pages"] = [flow.page_no]  # an image page: read by OCR
        png.unlink()
    flow.save()
    return g


def web_samples() -> list[tuple[Sample, str, str]]:
    """(sample, kind, style) for the HTML and Word samples."""
    import random

    from testkit.specs import balanced_t3, balanced_t4, t2_values

    rng = random.Random(8080)
    out = []
    for name, body, year, fmt, kind, style, note in [
        (
            "html_cms",
            "福州市仓山区城门镇人民政府",
            2022,
            "2021",
            "html",
            "cms",
            "a UTF-8 portal page: navigation and footer around the article, <br> in headers, &nbsp; blanks",
        ),
        (
            "html_gbk_split",
            "泉州市洛江区万安街道办事处",
            2022,
            "2021",
            "html",
            "gbk",
            "a GBK page, article inside a layout table, table 三 split into two <table> elements",
        ),
        (
            "html_word_export",
            "南平市延平区人民政府",
            2021,
            "2021",
            "html",
            "word",
            "Word's 'save as web page' markup: MsoNormalTable, <p><span> in every cell, conditional comments",
        ),
        (
            "docx_merged",
            "三明市永安市燕西街道办事处",
            2022,
            "2021",
            "docx",
            "",
            "a Word report: merged header cells, a vertically merged group label",
        ),
        ("docx_2019", "龙岩市长汀县人民政府", 2020, "2019", "docx", "", "a Word report in the 2019 format"),
    ]:
        smp = Sample(name=name, body=body, year=year, fmt=fmt, note=note)
        smp.t2 = t2_values(rng, fmt)
        smp.t3 = balanced_t3(rng, fmt)
        smp.t4 = balanced_t4(rng)
        smp.vertical_group = style != "gbk"
        if style == "cms":
            for key in smp.cells():
                if smp.value(*key) == 0 and key[0] == "t3":
                    smp.printed[key] = ""
        out.append((smp, kind, style))
    return out


def render_web(smp: Sample, kind: str, style: str, out_dir: Path) -> None:
    from testkit.web import write_docx, write_html

    t3, index = t3_layout(smp)
    if kind == "html":
        split = index["denied_state_secret"] if style == "gbk" else None
        write_html(smp, style, out_dir, t2_layout(smp), t3, t4_layout(smp), split)
    else:
        write_docx(smp, out_dir, t2_layout(smp), t3, t4_layout(smp))


def _write_golden(g: dict) -> None:  # type: ignore[type-arg]
    (GOLDEN / f"{g['sample']}.json").write_text(json.dumps(g, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{g['sample']}: {len(g['cells'])} cells, {len(g['findings'])} expected findings")


def generate(out_dir: Path, *, render_files: bool) -> None:
    """Write every golden file from the sample data; with ``render_files`` also the samples."""
    GOLDEN.mkdir(exist_ok=True)
    if render_files:
        from testkit.render import register_font

        register_font()
    for smp, kind, style in web_samples():
        if render_files:
            render_web(smp, kind, style, out_dir)
        _write_golden(golden(smp, "html" if kind == "html" else "docx"))
    for smp, text, unread in dump_samples():
        if render_files:
            (out_dir / f"{smp.name}.txt").write_text(text, encoding="utf-8")
        _write_golden(golden(smp, "txt", frozenset(unread)))
    from testkit.producers import producer_samples, render_producer_sample

    for smp, _, _ in producer_samples():
        if render_files:
            import tempfile

            with tempfile.TemporaryDirectory() as tmp:
                render_producer_sample(smp.name, out_dir, Path(tmp))
        _write_golden(golden(smp))
    for smp, text, unread in scraper_samples():
        if render_files:
            (out_dir / f"{smp.name}.txt").write_text(text, encoding="utf-8")
        _write_golden(golden(smp, "txt", frozenset(unread)))
    for smp, text, unread in markdown_samples():
        if render_files:
            (out_dir / f"{smp.name}.md").write_text(text, encoding="utf-8")
        _write_golden(golden(smp, "md", frozenset(unread)))
    from testkit.fuzz import layout_samples, render_layout

    for params, smp in layout_samples():
        if render_files:
            render_layout(smp, params, out_dir / f"{smp.name}.pdf")
        _write_golden(golden(smp))
    for smp in all_samples() + embedded_samples():
        if render_files:
            g = render(smp, out_dir)
        else:
            g = golden(smp)
            old = GOLDEN / f"{smp.name}.json"
            if old.exists():  # keep what only rendering knows (page numbers, printed title)
                prev = json.loads(old.read_text(encoding="utf-8"))
                g["ocr_pages"] = prev.get("ocr_pages", [])
                g["metadata"]["title"] = prev["metadata"]["title"]
        _write_golden(g)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--golden", action="store_true", help="write golden files only (no samples, no font needed)")
    ap.add_argument("--out", type=Path, default=HERE, help="where the samples go (default: samples/)")
    args = ap.parse_args()
    generate(args.out, render_files=not args.golden)


if __name__ == "__main__":
    main()
