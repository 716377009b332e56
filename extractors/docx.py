"""Word (.docx) reports → text lines and table grids, through python-docx.

Paragraphs and tables are read in body order. A merged cell is one ``<w:tc>``
element that python-docx returns at every grid position it covers (across for
``gridSpan``, down for ``vMerge``); grouping positions by that element gives
each merged cell once, with its spans. Provenance: ``table[i]/rR/cC``.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from nianbao.errors import InputError
from nianbao.extractors.markup import clean_text
from nianbao.model import Cell, DocumentResult, TableGrid, TextLine
from nianbao.settings import Settings


def check_unzipped_size(path: Path, max_mb: float) -> None:
    """Refuse a zip container that would unpack to more than ``max_mb`` (a zip bomb), from its
    directory alone: nothing is unpacked to find out."""
    try:
        with zipfile.ZipFile(path) as z:
            total = sum(i.file_size for i in z.infolist())
    except (zipfile.BadZipFile, OSError) as e:
        raise InputError(f"not a readable zip package ({type(e).__name__}: {e})") from e
    if total > max_mb * 1e6:
        raise InputError(
            f"the package unpacks to {total / 1e6:,.1f} MB, over the {max_mb:g} MB limit "
            f"(a zip bomb, or raise it for one run with --limit max_unzipped_mb=MB)"
        )


def _open(path: Path, max_mb: float) -> Any:
    try:
        import docx
    except ImportError as e:  # pragma: no cover - python-docx is a dependency
        raise InputError("reading .docx needs python-docx: pip install python-docx") from e
    if not zipfile.is_zipfile(path):
        raise InputError("not a readable .docx (not a zip package); a legacy .doc must be converted first")
    check_unzipped_size(path, max_mb)
    try:
        return docx.Document(str(path))
    except Exception as e:
        raise InputError(f"not a readable .docx ({type(e).__name__}: {e})") from e


def _grid(table: Any, index: int, order: float) -> TableGrid:
    positions: dict[int, list[tuple[int, int]]] = {}
    first: dict[int, Any] = {}
    n_cols = 0
    rows = list(table.rows)
    for r, row in enumerate(rows):
        cells = row.cells
        n_cols = max(n_cols, len(cells))
        for c, cell in enumerate(cells):
            key = id(cell._tc)
            positions.setdefault(key, []).append((r, c))
            first.setdefault(key, cell)
    out: list[Cell] = []
    for key, pos in positions.items():
        r0, c0 = min(p[0] for p in pos), min(p[1] for p in pos)
        r1, c1 = max(p[0] for p in pos), max(p[1] for p in pos)
        text = clean_text("\n".join(p.text for p in first[key].paragraphs))
        # an empty cell is kept: a blank printed where a value belongs reads as 0
        out.append(Cell(r0, c0, text, rowspan=r1 - r0 + 1, colspan=c1 - c0 + 1))
    out.sort(key=lambda c: (c.row, c.col))
    return TableGrid(
        index=index,
        page=None,
        n_rows=len(rows),
        n_cols=n_cols,
        cells=out,
        method="docx",
        source="docx",
        col_centers=[float(i) for i in range(n_cols)],
        order=order,
    )


def extract_docx(doc: DocumentResult, settings: Settings) -> DocumentResult:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    d = _open(Path(doc.path), settings.max_unzipped_mb)
    for order, block in enumerate(d.element.body.iterchildren()):
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = clean_text(Paragraph(block, d).text)
            if text:
                doc.lines.append(TextLine(text, None, None, order=float(order)))
        elif tag == "tbl":
            doc.tables.append(_grid(Table(block, d), len(doc.tables), float(order)))
    if not doc.lines and not doc.tables:
        raise InputError("the document holds no text")
    return doc
