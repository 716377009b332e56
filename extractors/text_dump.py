"""Text dumps (.txt, .md) made by converters and scrapers → text lines and table grids.

Two shapes are read:

* tab-separated rows, as PDF-to-text converters write them (the 磁灶镇 seed):
  consecutive lines holding tabs form a table; a short line without tabs right
  before a row is the first part of a label broken across lines; blank lines,
  page numbers ("- 3 -") and running heads between rows do not end a table.
* flattened rows, as scrapers write them: a label followed by numbers separated
  by spaces, or run together ("一、本年新收政府信息公开申请数量 713000074"); header
  lines are words separated by spaces. Such rows are read inside the sections
  that hold the format's tables.

Provenance is the line: ``locator`` = ``line N`` for text, ``table[i]/rR/cC`` for cells.
"""

from __future__ import annotations

import re
from pathlib import Path

from nianbao.catalogue import finding
from nianbao.errors import InputError
from nianbao.form.labels import is_section_heading
from nianbao.model import Cell, CellRef, DocumentResult, TableGrid, TextLine
from nianbao.settings import Settings

_PAGE_NO = re.compile(r"^\s*[-—–]?\s*\d{1,3}\s*[-—–]?\s*$|^\s*第\s*\d+\s*页")
# a label, then numbers separated by spaces ("?" holds the place of a cell the one-line reader
# could not split and named: model.UNREAD_MARK)
_FLAT_ROW = re.compile(r"^(?P<label>.*?[^\d\s.,，%?])\s+(?P<nums>[\d\s.,，—\-/?]*[\d?][\d\s.,，—\-/?]*)$")
_NUMISH = re.compile(r"^[\d.,，—\-/]+$")


def decode_bytes(data: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030 (a superset of GBK and GB2312)."""
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise InputError("the text is neither UTF-8 nor GB18030/GBK")


def _table_sections(lines: list[str]) -> list[str]:
    """For each line, the section code it stands in (from the report's headings)."""
    out: list[str] = []
    cur = ""
    for ln in lines:
        code = is_section_heading(ln.replace("\t", " ")) if "\t" not in ln.strip() else None
        if code:
            cur = code
        out.append(cur)
    return out


def _flat_cells(line: str) -> list[str] | None:
    """A flattened row (label then numbers) or header line (several words) as cells."""
    s = line.strip()
    m = _FLAT_ROW.match(s)
    if m:
        return [m.group("label").strip(), *m.group("nums").split()]
    parts = s.split()
    if len(parts) >= 2 and all(len(p) <= 16 for p in parts):
        return parts
    return None


def extract_text(doc: DocumentResult, settings: Settings) -> DocumentResult:
    text = decode_bytes(Path(doc.path).read_bytes())
    if not text.strip():
        raise InputError("the text file is empty")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines = _relaid(doc, lines)
    if any(ln.lstrip().startswith("|") or "<table" in ln.lower() or ln.lstrip().startswith("#") for ln in lines):
        from nianbao.extractors.markdown import take_tables

        lines = take_tables(doc, lines)
    sections = _table_sections(lines)
    rows: list[tuple[int, list[str]]] = []  # (line index, cells) of the table being collected
    pending_label: str | None = None

    def flush() -> None:
        nonlocal rows
        if len(rows) >= 2:
            _add_grid(doc, rows)
        elif rows:
            for i, cells in rows:
                doc.lines.append(TextLine(" ".join(c for c in cells if c), None, None, order=i))
        rows = []

    for i, raw in enumerate(lines):
        ln = raw.rstrip("\n")
        stripped = ln.strip()
        if not stripped or _PAGE_NO.match(stripped):
            continue  # blank lines and page numbers do not end a table
        if "\t" in ln:
            cells = [c.strip() for c in ln.split("\t")]
            while cells and not cells[-1]:
                cells.pop()
            if pending_label is not None:
                first = next((k for k, c in enumerate(cells) if c), None)
                if first is not None and not _NUMISH.match(cells[first]):
                    cells[first] = pending_label + cells[first]
                pending_label = None
            rows.append((i, cells))
            continue
        heading = is_section_heading(stripped)
        in_table_section = sections[i] in ("t2", "t3", "t4") and not heading
        flat = _flat_cells(stripped) if in_table_section else None
        if flat is not None:
            rows.append((i, flat))
            continue
        if rows and len(stripped) <= 30 and not heading and not stripped.endswith("。"):
            # the first part of a label broken across lines: joins the next row
            pending_label = (pending_label or "") + stripped
            continue
        if pending_label is not None:
            doc.lines.append(TextLine(pending_label, None, None, order=i - 0.5))
            pending_label = None
        flush()
        doc.lines.append(TextLine(stripped, None, None, order=i))
    flush()
    return doc


def _relaid(doc: DocumentResult, lines: list[str]) -> list[str]:
    """Lines that hold a whole article are cut again at the form's labels (extractors.one_line)."""
    from nianbao.extractors.one_line import is_flattened, is_one_line, relayout

    # each line is judged once: the judgement normalises and searches the whole line
    one = [is_one_line(ln) for ln in lines]
    if not any(one):
        flat = next((k for k, ln in enumerate(lines) if is_flattened(ln)), None)
        if flat is not None:
            # the article kept its paragraph breaks but its tables were flattened, each on a line
            # of its own: read from the first section heading on as one line (the lines above it
            # are the scraper's header block and the title)
            first = next((k for k, ln in enumerate(lines) if is_section_heading(ln.strip()[:40])), flat)
            joined = "".join(ln.strip() for ln in lines[first:])
            if is_one_line(joined):
                lines, one = [*lines[:first], joined], [*[False] * first, True]
    out: list[str] = []
    for n, (ln, whole) in enumerate(zip(lines, one, strict=True), start=1):
        if not whole:
            out.append(ln)
            continue
        relaid = relayout(ln)
        doc.findings.append(
            finding(
                "extract.layout_lost",
                f"line {n} ({len(ln)} characters) held the whole report; cut again at the form's labels "
                f"into {len(relaid.lines)} lines (locators below count those lines)",
                message_zh=f"第{n}行（{len(ln)}字）包含全文，已按表格标签重新切分为{len(relaid.lines)}行",
            )
        )
        for table, why, cells in relaid.ambiguous:
            refs = [CellRef(table, c.split(".", 1)[0], c.split(".", 1)[1]) for c in cells]
            rows = {r.row for r in refs}
            # a table 二 row, or table 四 (its fifteen numbers are one run)
            subject = f"{table}.{rows.pop()}" if table != "t4" and len(rows) == 1 else table
            doc.findings.append(finding("extract.ambiguous_digits", why, table=table, cells=refs, subject=subject))
        out.extend(relaid.lines)
    return out


def _add_grid(doc: DocumentResult, rows: list[tuple[int, list[str]]]) -> None:
    # leading cells empty in every row are the dump's indentation, not a column
    lead = min((next((k for k, c in enumerate(cells) if c), len(cells)) for _, cells in rows), default=0)
    n_cols = max(len(cells) for _, cells in rows) - lead
    index = len(doc.tables)
    cells_out: list[Cell] = []
    for r, (_, cells) in enumerate(rows):
        for c, text in enumerate(cells[lead:]):
            if text:
                cells_out.append(Cell(r, c, text))
    doc.tables.append(
        TableGrid(
            index=index,
            page=None,
            n_rows=len(rows),
            n_cols=max(n_cols, 1),
            cells=cells_out,
            method="txt",
            source="txt",
            order=rows[0][0],
        )
    )
