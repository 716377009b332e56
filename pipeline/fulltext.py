"""The whole report as text, for full-text search: prose under its headings, every table in place.

``documents/<doc_id>.md`` (Markdown: the section headings of the form as ``##``, tables as pipe
tables) and the ``text`` list of ``documents/<doc_id>.json`` (blocks: heading, paragraph or table,
each with its page) are written for every document, in reading order: page by page, top to bottom
(or line by line for page-less inputs), tables where they stand.
"""

from __future__ import annotations

import os
import re
from typing import Any

from nianbao.model import DocumentResult, TableGrid, TextLine

# 一、总体情况 / （一）主动公开 / 二、主动公开政府信息情况: the report's own section headings
_HEADING = re.compile(r"^(?:[一二三四五六七八九十]{1,3}、|（[一二三四五六七八九十]{1,3}）)\S{2,40}$")


def _rows(grid: TableGrid) -> list[list[str]]:
    """The grid's text, row by row; a merged cell's text stands in its first position only."""
    rows = [[""] * grid.n_cols for _ in range(grid.n_rows)]
    for c in grid.cells:
        if 0 <= c.row < grid.n_rows and 0 <= c.col < grid.n_cols:
            rows[c.row][c.col] = " ".join(c.text.split())
    return rows


_END = ("。", "；", "：", "！", "？", "」", "”", ":", ";")


def _continues(prev: TextLine, line: TextLine) -> bool:
    """The next printed line of the same paragraph: same page, right below (page-less lines never)."""
    if prev.bbox is None or line.bbox is None or prev.page != line.page:
        return False
    height = max(prev.bbox.height, 1.0)
    below = 0 <= line.bbox.top - prev.bbox.bottom < height
    # a wrapped line runs to the right margin (a title or a paragraph's last line stops short)
    full = prev.bbox.x1 >= line.bbox.x1 - height
    return below and full and abs(line.bbox.x0 - prev.bbox.x0) < 3 * height


def blocks(doc: DocumentResult) -> list[dict[str, Any]]:
    """The report's text as blocks in reading order: heading, paragraph or table (with its rows)."""
    items: list[tuple[int, float, int, dict[str, Any]]] = []
    last: tuple[dict[str, Any], TextLine] | None = None
    for k, line in enumerate(doc.text_lines()):
        text = line.text.strip()
        if not text:
            continue
        kind = "heading" if _HEADING.match(text) else "paragraph"
        if (
            kind == "paragraph"
            and last is not None
            and _continues(last[1], line)
            and not last[0]["text"].endswith(_END)
        ):
            # a printed line wrapped inside its paragraph: one paragraph, as written
            last[0]["text"] += text
            last = (last[0], line)
            continue
        block: dict[str, Any] = {"kind": kind, "page": line.page, "text": text}
        items.append((line.page or 0, line.order, k, block))
        last = (block, line) if kind == "paragraph" else None
    for k, grid in enumerate(doc.tables):
        block = {"kind": "table", "page": grid.page, "table": grid.index, "form": grid.kind, "rows": _rows(grid)}
        items.append((grid.page or 0, grid.order, k, block))
    items.sort(key=lambda it: (it[0], it[1], it[3]["kind"] != "table", it[2]))
    return [it[3] for it in items]


def display_path(path: str) -> str:
    """A path as text that can always be written: bytes of a file name that are not UTF-8 (read by
    Python as surrogates) become \\xNN escapes, so a batch never dies in the CSV writer on one name."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown(doc: DocumentResult, text: list[dict[str, Any]] | None = None) -> str:
    """The report as Markdown, from its text blocks (``text``: :func:`blocks` already made)."""
    md = doc.metadata
    path = display_path(doc.path)
    out = [f"# {md.title or path}", ""]
    about = [f"{k}：{v}" for k, v in (("机关", md.body), ("年度", md.year), ("文件", path)) if v]
    out += ["  ".join(about), ""]
    for b in blocks(doc) if text is None else text:
        if b["kind"] == "heading":
            out += [f"## {b['text']}", ""]
        elif b["kind"] == "paragraph":
            out += [b["text"], ""]
        else:
            rows = b["rows"]
            if not rows:
                continue
            width = max(len(r) for r in rows)
            rows = [r + [""] * (width - len(r)) for r in rows]
            out.append("| " + " | ".join(_cell(c) for c in rows[0]) + " |")
            out.append("|" + "---|" * width)
            out += ["| " + " | ".join(_cell(c) for c in r) + " |" for r in rows[1:]]
            out.append("")
    return "\n".join(out).rstrip() + "\n"
