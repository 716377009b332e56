"""Markdown from PDF-to-Markdown converters: pipe tables and HTML ``<table>`` blocks → grids.

Converters scramble tables in a few recurring ways, repaired here only where the repair cannot
move a value to another cell:

* a long label wrapped onto a row of its own ("| （二）部分公开（区分处理的， | | | |" then
  "| 只计这一情形，不计其他情形） | 0 | 0 | …"): a row that holds only labels, followed by a row
  whose one label (in the same column) does not start a row of its own (no 一、 （一） 1． 第二十条 …),
  is joined to it — also when a group's label stands beside the wrapped one;
* one row's values split over two rows ("| 一、本年新收… | 3 | 0 | | |" then "| | | | 1 | 4 |"):
  a row with no label whose filled positions are all empty in the row above fills them, position
  by position, never shifted;
* the separator row (``|---|---|``) and Markdown emphasis (``**…**``) around labels are dropped.

HTML blocks are read by the web page reader's table model (rowspan/colspan kept). Everything
else is left to the template matching, which reports what it cannot place.
"""

from __future__ import annotations

import re

from nianbao.extractors.html import _Reader
from nianbao.extractors.markup import SpanCell, grid_from_rows
from nianbao.model import DocumentResult

_PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_ROW_START = re.compile(
    r"^(?:[（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+\s*[、.．]|\d{1,2}\s*[.．、]|第二十条|信息内容)"
)
_EMPHASIS = re.compile(r"^\s*(?:\*\*|__)(.*?)(?:\*\*|__)\s*$")
_HEADING = re.compile(r"^\s*#{1,6}\s*")


def plain(line: str) -> str:
    """A Markdown heading or emphasised line as its text (## 二、… → 二、…)."""
    line = _HEADING.sub("", line)
    m = _EMPHASIS.match(line)
    return m.group(1) if m else line


def _cells(line: str) -> list[str]:
    inner = line.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") else inner
    return [plain(c.strip()).replace("<br>", "").replace("<br/>", "") for c in inner.split("|")]


def _is_value(text: str) -> bool:
    return bool(text) and bool(re.fullmatch(r"[-—–/\d.,，%\s]+|无", text))


def repair(rows: list[list[str]]) -> list[list[str]]:
    """Join wrapped labels and split value rows (see the module's doc); nothing moves sideways."""
    out: list[list[str]] = []
    for row in rows:
        filled = [k for k, v in enumerate(row) if v]
        texts = [k for k in filled if not _is_value(row[k])]
        if out and len(out[-1]) == len(row):
            prev = out[-1]
            prev_filled = [k for k, v in enumerate(prev) if v]
            # the first part of a wrapped label: a row of labels only (a group's label may stand beside
            # it); this row's one label, in the column of the last of those and not the start of a row of
            # its own, continues it, and the row takes the labels it left blank from the row above
            prev_texts = [k for k in prev_filled if not _is_value(prev[k])]
            if (
                prev_texts
                and prev_texts == prev_filled
                and len(texts) == 1
                and texts[0] == prev_texts[-1]
                and len(filled) > len(texts)
                and not _ROW_START.match(row[texts[0]])
            ):
                k = texts[0]
                out[-1] = [prev[i] if i < k and not row[i] else row[i] for i in range(len(row))]
                out[-1][k] = prev[k] + row[k]
                continue
            # the rest of the row above: values only, in positions the row above left empty
            if (
                filled
                and not texts
                and prev_filled
                and not set(prev_filled) & set(filled)
                and any(not _is_value(prev[k]) for k in prev_filled)
            ):
                out[-1] = [v or row[k] for k, v in enumerate(prev)]
                continue
        out.append(list(row))
    return out


def take_tables(doc: DocumentResult, lines: list[str]) -> list[str]:
    """Add the Markdown and HTML tables in ``lines`` to ``doc.tables``; return the lines without them
    (blank in their place, so line numbers stay those of the file)."""
    out = list(lines)
    i = 0
    while i < len(out):
        ln = out[i]
        if "<table" in ln.lower():
            j = i
            while j < len(out) and "</table>" not in out[j].lower():
                j += 1
            block = "\n".join(out[i : j + 1])
            reader = _Reader()
            reader.feed(block)
            reader.close()
            for t in sorted(reader.done_tables, key=lambda tb: tb.order):
                if t.rows:
                    doc.tables.append(
                        grid_from_rows(t.rows, index=len(doc.tables), order=i, source="txt", method="html")
                    )
            for k in range(i, min(j + 1, len(out))):
                out[k] = ""
            i = j + 1
            continue
        if _PIPE_ROW.match(ln):
            j = i
            rows: list[list[str]] = []
            while j < len(out) and _PIPE_ROW.match(out[j]):
                if not _SEPARATOR.match(out[j]):
                    rows.append(_cells(out[j]))
                out[j] = ""
                j += 1
            width = max(len(r) for r in rows) if rows else 0
            rows = repair([r + [""] * (width - len(r)) for r in rows])
            if rows:
                grid = [[SpanCell(c) for c in r] for r in rows]
                doc.tables.append(grid_from_rows(grid, index=len(doc.tables), order=i, source="txt", method="markdown"))
            i = j
            continue
        out[i] = plain(ln)
        i += 1
    return out
