"""HTML pages and Word files of the samples, in the styles real portals and offices produce.

* ``cms``: a UTF-8 portal page — navigation, breadcrumbs and footer around the
  article, ``<br>`` inside headers, ``&nbsp;`` for blank cells.
* ``gbk``: a GBK-encoded page whose article sits in a layout table, with table
  三 split into two ``<table>`` elements.
* ``word``: "Save as web page" markup from Word — ``MsoNormalTable``,
  ``<p class=MsoNormal><span>…<o:p></o:p></span></p>`` in every cell,
  conditional comments.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

from testkit.layout import CellSpec, TableLayout
from testkit.specs import SECTION_TITLES, Sample


def _filled_rows(t: TableLayout, rows: range | None = None) -> list[list[CellSpec]]:
    """Layout rows with an empty cell at every grid position no cell covers (HTML needs them)."""
    n_cols = len(t.widths)
    idx = list(rows if rows is not None else range(len(t.rows)))
    covered: set[tuple[int, int]] = set()
    for r in idx:
        for c in t.rows[r]:
            for dr in range(c.rowspan):
                for dc in range(c.colspan):
                    covered.add((r + dr, c.col + dc))
    out = []
    for r in idx:
        cells = list(t.rows[r])
        for col in range(n_cols):
            if (r, col) not in covered:
                cells.append(CellSpec(col, ""))
        out.append(sorted(cells, key=lambda c: c.col))
    return out


def _td(c: CellSpec, style: str, blank: str) -> str:
    attrs = ""
    if c.rowspan > 1:
        attrs += f' rowspan="{c.rowspan}"' if style != "word" else f" rowspan={c.rowspan}"
    if c.colspan > 1:
        attrs += f' colspan="{c.colspan}"' if style != "word" else f" colspan={c.colspan}"
    text = html.escape(c.text)
    if style == "cms":
        text = text.replace("（区分处理的", "<br>（区分处理的").replace("法律服务机构", "法律服务<br>机构")
        text = text or blank
    if style == "word":
        inner = text or "&nbsp;"
        return (
            f'<td width=60 valign=top style="border:solid windowtext 1.0pt"{attrs}><p class=MsoNormal '
            f'align=center style="text-align:center"><span lang=EN-US style="font-size:9.0pt">{inner}'
            f"<o:p></o:p></span></p></td>"
        )
    return f"<td{attrs}>{text}</td>"


def table_html(t: TableLayout, style: str, rows: range | None = None, blank: str = "") -> str:
    cls = " class=MsoNormalTable border=1 cellspacing=0 cellpadding=0" if style == "word" else ' border="1"'
    body = "".join("<tr>" + "".join(_td(c, style, blank) for c in row) + "</tr>\n" for row in _filled_rows(t, rows))
    return f"<table{cls}>\n{body}</table>\n"


def page(
    s: Sample,
    style: str,
    t2: TableLayout,
    t3: TableLayout,
    t4: TableLayout,
    t3_split: int | None,
    head: tuple[str, ...] = (),
    compiled_by: str = "",
) -> str:
    p = (
        (lambda x: f"<p class=MsoNormal><span>{html.escape(x)}<o:p></o:p></span></p>\n")
        if style == "word"
        else (lambda x: f"<p>{html.escape(x)}</p>\n")
    )
    article = ""
    for line in head or (s.title,):
        article += f"<h1>{html.escape(line)}</h1>\n" if style != "word" and not _is_field(line) else p(line)
    if compiled_by:
        article += p(compiled_by)
    article += p(
        f"本报告根据《中华人民共和国政府信息公开条例》要求编制。统计期限自{s.year}年1月1日起至{s.year}年12月31日止。"
    )
    article += p(SECTION_TITLES["s1"]) + p(f"{s.year}年，{s.body}持续推进政府信息公开工作。")
    article += p(SECTION_TITLES["t2"]) + table_html(t2, style, blank="&nbsp;")
    article += p(SECTION_TITLES["t3"])
    if t3_split is None:
        article += table_html(t3, style, blank="&nbsp;")
    else:
        article += table_html(t3, style, range(0, t3_split), blank="&nbsp;")
        article += p("（续表）") + table_html(t3, style, range(t3_split, len(t3.rows)), blank="&nbsp;")
    article += p(SECTION_TITLES["t4"]) + table_html(t4, style, blank="&nbsp;")
    article += p(SECTION_TITLES["s5"]) + p("一是公开内容的针对性有待加强。") + p(SECTION_TITLES["s6"]) + p("无。")
    charset = "gb2312" if style == "gbk" else "utf-8"
    head = f'<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">'
    head += f"<title>{html.escape(s.title)}</title>"
    if style == "word":
        head += "<!--[if gte mso 9]><xml><w:WordDocument><w:View>Normal</w:View></w:WordDocument></xml><![endif]-->"
        return f"{head}</head><body lang=ZH-CN><div class=WordSection1>\n{article}</div></body></html>\n"
    nav = (
        '<div class="top-nav"><a href="/">首页</a> | <a href="/zwgk/">政务公开</a> | <a href="/bsfw/">办事服务</a>'
        '</div>\n<div class="breadcrumb">当前位置：首页 &gt; 政务公开 &gt; 政府信息公开年报</div>\n'
    )
    foot = '<div class="footer">版权所有：' + html.escape(s.body) + " 网站标识码：3505000001 闽ICP备00000000号</div>\n"
    share = '<div class="share">分享到：微信 微博</div>\n'
    if style == "gbk":
        layout = '<table width="100%" class="layout"><tr><td width="20%">栏目导航</td><td>'
        body = f"{nav}{layout}\n{article}{share}</td></tr></table>\n{foot}"
    else:
        body = f'{nav}<div class="article">\n{article}</div>\n{share}{foot}'
    return f"{head}</head><body>\n{body}</body></html>\n"


def write_html(
    s: Sample,
    style: str,
    out: Path,
    t2: TableLayout,
    t3: TableLayout,
    t4: TableLayout,
    t3_split: int | None = None,
    head: tuple[str, ...] = (),
    compiled_by: str = "",
) -> Path:
    text = page(s, style, t2, t3, t4, t3_split, head, compiled_by)
    path = out / f"{s.name}.html"
    path.write_bytes(text.encode("gb18030" if style == "gbk" else "utf-8"))
    return path


@dataclass(frozen=True)
class DocLook:
    """How an office's Word template sets a report (the producers fuzz draws one per seed,
    :func:`testkit.producers.draw_look`); the defaults are the committed .docx samples' look.

    Fonts are named as Word documents name them (宋体, 仿宋_GB2312: LibreOffice substitutes what the
    machine has, as it does for every filing made on Windows) or as installed families."""

    font: str | None = None  # East Asian font of body and tables; None: python-docx's template
    latin: str | None = None  # the digits' font (w:ascii)
    size: float | None = None  # pt, body and tables
    title_size: float | None = None  # None: a Heading 1 title; else a centred bold paragraph
    landscape: bool = False
    margin_cm: float | None = None
    # the tables' column widths: None lets Word fit them; else the layout's widths, scaled to this
    # share of the text width, each column times its factor (narrow value columns squeeze numbers)
    width_share: float | None = None
    width_jitter: tuple[float, ...] = ()
    align: str = "left"  # value cells: left | center | right
    head: tuple[str, ...] = ()  # title lines (testkit/titles.py shapes); () prints s.title
    compiled_by: str = ""  # an opening sentence naming the compiling office (not the body)


def _is_field(line: str) -> bool:
    """A header line that prints as a paragraph, not a title: a portal field or an opening sentence."""
    return "：" in line or ":" in line or line.startswith("本报告")


def _run_font(run, look: DocLook, size: float | None = None, bold: bool = False) -> None:  # type: ignore[no-untyped-def]
    from docx.oxml.ns import qn
    from docx.shared import Pt

    if look.latin:
        run.font.name = look.latin
    if look.font:
        rpr = run._element.get_or_add_rPr()
        fonts = rpr.get_or_add_rFonts()
        fonts.set(qn("w:eastAsia"), look.font)
    if size or look.size:
        run.font.size = Pt(size or look.size)
    run.font.bold = bold or None


def _widths(layout: TableLayout, text_width_pt: float, look: DocLook) -> list[float]:
    share = look.width_share or 1.0
    w = [
        x * (look.width_jitter[i % len(look.width_jitter)] if look.width_jitter else 1.0)
        for i, x in enumerate(layout.widths)
    ]
    scale = text_width_pt * share / sum(w)
    return [x * scale for x in w]


def write_docx(
    s: Sample, out: Path, t2: TableLayout, t3: TableLayout, t4: TableLayout, look: DocLook | None = None
) -> Path:
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    look = look or DocLook()
    d = docx.Document()
    sec = d.sections[0]
    if look.landscape:
        sec.orientation = WD_ORIENT.LANDSCAPE
        sec.page_width, sec.page_height = sec.page_height, sec.page_width
    if look.margin_cm:
        sec.left_margin = sec.right_margin = sec.top_margin = sec.bottom_margin = Cm(look.margin_cm)
    if look.font or look.size or look.latin:
        from docx.oxml.ns import qn

        normal = d.styles["Normal"]
        if look.latin:
            normal.font.name = look.latin
        if look.size:
            normal.font.size = Pt(look.size)
        if look.font:
            normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), look.font)
    text_width = (sec.page_width - sec.left_margin - sec.right_margin) / 12700  # EMU → pt
    align = {"left": None, "center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT}[look.align]
    for line in look.head or (s.title,):
        if _is_field(line):
            d.add_paragraph(line)
        elif look.title_size is None:
            d.add_heading(line, level=1)
        else:
            para = d.add_paragraph()
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _run_font(para.add_run(line), look, look.title_size, bold=True)
    if look.compiled_by:
        d.add_paragraph(look.compiled_by)
    d.add_paragraph(
        f"本报告根据《中华人民共和国政府信息公开条例》要求编制。统计期限自{s.year}年1月1日起至{s.year}年12月31日止。"
    )
    d.add_paragraph(SECTION_TITLES["s1"])
    d.add_paragraph(f"{s.year}年，{s.body}持续推进政府信息公开工作。")
    for key, layout in (("t2", t2), ("t3", t3), ("t4", t4)):
        d.add_paragraph(SECTION_TITLES[key])
        table = d.add_table(rows=len(layout.rows), cols=len(layout.widths))
        table.style = "Table Grid"
        if look.width_share:
            table.autofit = False
            for col, w in zip(table.columns, _widths(layout, text_width, look), strict=True):
                col.width = Pt(w)  # the grid's width: what LibreOffice lays out by
                for cell in col.cells:
                    cell.width = Pt(w)
        for r, row in enumerate(layout.rows):
            for c in row:
                cell = table.cell(r, c.col)
                if c.rowspan > 1 or c.colspan > 1:
                    cell = cell.merge(table.cell(r + c.rowspan - 1, c.col + c.colspan - 1))
                cell.text = c.text
                if align is not None and c.text.isdigit():
                    cell.paragraphs[0].alignment = align
    d.add_paragraph(SECTION_TITLES["s5"])
    d.add_paragraph("一是公开内容的针对性有待加强。")
    d.add_paragraph(SECTION_TITLES["s6"])
    d.add_paragraph("无。")
    import datetime

    # fixed dates: regenerating a sample does not change its bytes for nothing
    d.core_properties.created = d.core_properties.modified = datetime.datetime(2024, 1, 1)
    path = out / f"{s.name}.docx"
    d.save(str(path))
    return path
