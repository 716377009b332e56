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


def page(s: Sample, style: str, t2: TableLayout, t3: TableLayout, t4: TableLayout, t3_split: int | None) -> str:
    p = (
        (lambda x: f"<p class=MsoNormal><span>{html.escape(x)}<o:p></o:p></span></p>\n")
        if style == "word"
        else (lambda x: f"<p>{html.escape(x)}</p>\n")
    )
    article = f"<h1>{html.escape(s.title)}</h1>\n" if style != "word" else p(s.title)
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
    s: Sample, style: str, out: Path, t2: TableLayout, t3: TableLayout, t4: TableLayout, t3_split: int | None = None
) -> Path:
    text = page(s, style, t2, t3, t4, t3_split)
    path = out / f"{s.name}.html"
    path.write_bytes(text.encode("gb18030" if style == "gbk" else "utf-8"))
    return path


def write_docx(s: Sample, out: Path, t2: TableLayout, t3: TableLayout, t4: TableLayout) -> Path:
    import docx

    d = docx.Document()
    d.add_heading(s.title, level=1)
    d.add_paragraph(
        f"本报告根据《中华人民共和国政府信息公开条例》要求编制。统计期限自{s.year}年1月1日起至{s.year}年12月31日止。"
    )
    d.add_paragraph(SECTION_TITLES["s1"])
    d.add_paragraph(f"{s.year}年，{s.body}持续推进政府信息公开工作。")
    for key, layout in (("t2", t2), ("t3", t3), ("t4", t4)):
        d.add_paragraph(SECTION_TITLES[key])
        table = d.add_table(rows=len(layout.rows), cols=len(layout.widths))
        table.style = "Table Grid"
        for r, row in enumerate(layout.rows):
            for c in row:
                cell = table.cell(r, c.col)
                if c.rowspan > 1 or c.colspan > 1:
                    cell = cell.merge(table.cell(r + c.rowspan - 1, c.col + c.colspan - 1))
                cell.text = c.text
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
