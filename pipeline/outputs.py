"""Datasets users open directly: CSV and Parquet per dataset, a DuckDB file, one JSON per document.

Rows are appended to the CSV files as each document finishes, so an interrupted
batch keeps every finished document; Parquet and DuckDB are built from the CSVs
when the run closes (DuckDB streams the conversion, so memory stays flat on
50,000-document runs).
"""

from __future__ import annotations

import csv
import json
from dataclasses import asdict, is_dataclass
from enum import Enum
from pathlib import Path
from typing import Any

import duckdb

from pipeline.model import DocumentResult

DISCLOSURE_COLS: dict[str, str] = {
    "doc_id": "VARCHAR",
    "table": "VARCHAR",
    "row": "VARCHAR",
    "col": "VARCHAR",
    "value": "DOUBLE",
    "raw": "VARCHAR",
    "blank": "BOOLEAN",
    "note": "VARCHAR",
    "page": "INTEGER",
    "x0": "DOUBLE",
    "top": "DOUBLE",
    "x1": "DOUBLE",
    "bottom": "DOUBLE",
    "source": "VARCHAR",
    "confidence": "DOUBLE",
    "locator": "VARCHAR",
    "format": "VARCHAR",
}
FINDING_COLS: dict[str, str] = {
    "doc_id": "VARCHAR",
    "rule": "VARCHAR",
    "severity": "VARCHAR",
    "table": "VARCHAR",
    "subject": "VARCHAR",
    "cells": "VARCHAR",
    "expected": "VARCHAR",
    "printed": "VARCHAR",
    "message": "VARCHAR",
    "page": "INTEGER",
    "x0": "DOUBLE",
    "top": "DOUBLE",
    "x1": "DOUBLE",
    "bottom": "DOUBLE",
}
DOCUMENT_COLS: dict[str, str] = {
    "doc_id": "VARCHAR",
    "path": "VARCHAR",
    "sha256": "VARCHAR",
    "kind": "VARCHAR",
    "title": "VARCHAR",
    "body": "VARCHAR",
    "level": "VARCHAR",
    "region": "VARCHAR",
    "year": "INTEGER",
    "format": "VARCHAR",
    "pages": "INTEGER",
    "status": "VARCHAR",
    "error": "VARCHAR",
    "n_errors": "INTEGER",
    "n_warnings": "INTEGER",
    "seconds": "DOUBLE",
}
DATASETS: dict[str, dict[str, str]] = {
    "disclosure": DISCLOSURE_COLS,
    "findings": FINDING_COLS,
    "documents": DOCUMENT_COLS,
}


def _box(b: Any) -> list[Any]:
    return [None] * 4 if b is None else b.rounded()


def disclosure_rows(doc: DocumentResult) -> list[list[Any]]:
    rows = []
    for v in doc.values:
        p = v.prov
        rows.append(
            [
                doc.doc_id,
                v.table,
                v.row,
                v.col,
                v.value,
                p.raw,
                v.blank,
                v.note,
                p.page,
                *_box(p.bbox),
                p.source,
                p.confidence,
                p.locator,
                doc.table_formats.get(v.table),
            ]
        )
    return rows


def finding_rows(doc: DocumentResult) -> list[list[Any]]:
    return [
        [
            doc.doc_id,
            f.rule,
            f.severity.value,
            f.table,
            f.subject,
            ";".join(c.key for c in f.cells),
            f.expected,
            f.printed,
            f.message,
            f.page,
            *_box(f.bbox),
        ]
        for f in doc.findings
    ]


def document_row(doc: DocumentResult) -> list[Any]:
    md = doc.metadata
    return [
        doc.doc_id,
        doc.path,
        doc.sha256,
        doc.kind,
        md.title,
        md.body,
        md.level,
        md.region,
        md.year,
        md.format,
        doc.n_pages,
        doc.status.value,
        doc.error,
        sum(1 for f in doc.findings if f.severity.value == "error"),
        sum(1 for f in doc.findings if f.severity.value == "warning"),
        doc.timings.get("total"),
    ]


def _jsonable(o: Any) -> Any:
    if isinstance(o, Enum):
        return o.value
    if is_dataclass(o) and not isinstance(o, type):
        return {k: _jsonable(v) for k, v in asdict(o).items()}
    if isinstance(o, dict):
        return {k: _jsonable(v) for k, v in o.items()}
    if isinstance(o, list | tuple):
        return [_jsonable(v) for v in o]
    if isinstance(o, Path):
        return str(o)
    return o


def document_json(doc: DocumentResult) -> dict[str, Any]:
    """The document as JSON: status, metadata, pages, tables (shape), values, findings, timings.

    Built field by field rather than with ``asdict`` over the whole result: the
    positioned lines and raw grids stay out (they are in ``--debug-dir`` images),
    and serialising is no longer a visible share of a run.
    """
    return {
        "doc_id": doc.doc_id,
        "path": doc.path,
        "sha256": doc.sha256,
        "kind": doc.kind,
        "status": doc.status.value,
        "error": doc.error,
        "metadata": _jsonable(doc.metadata),
        "table_formats": doc.table_formats,
        "pages": [
            {
                "number": p.number,
                "width": p.width,
                "height": p.height,
                "route": p.route,
                "needs_ocr": p.needs_ocr,
                "reason": p.reason,
                "has_table": p.has_table,
                "doubled_glyphs": p.doubled_glyphs,
                "lines": len(p.lines),
            }
            for p in doc.pages
        ],
        "tables": [
            {
                "index": t.index,
                "page": t.page,
                "n_rows": t.n_rows,
                "n_cols": t.n_cols,
                "method": t.method,
                "kind": t.kind,
            }
            for t in doc.tables
        ],
        "values": [
            {
                "table": v.table,
                "row": v.row,
                "col": v.col,
                "value": v.value,
                "raw": v.prov.raw,
                "blank": v.blank,
                "note": v.note,
                "page": v.prov.page,
                "bbox": None if v.prov.bbox is None else v.prov.bbox.rounded(),
                "source": v.prov.source,
                "confidence": v.prov.confidence,
                "locator": v.prov.locator,
            }
            for v in doc.values
        ],
        "findings": [_jsonable(f) for f in doc.findings],
        "timings": doc.timings,
    }


class OutputWriter:
    """Streams finished documents to ``out_dir``; :meth:`close` builds Parquet and DuckDB."""

    def __init__(self, out_dir: Path, *, parquet: bool = True, duckdb_file: bool = True) -> None:
        self.out = out_dir
        self.out.mkdir(parents=True, exist_ok=True)
        (self.out / "documents").mkdir(exist_ok=True)
        self.parquet = parquet
        self.duckdb_file = duckdb_file
        self._files = {}
        self._writers = {}
        for name, cols in DATASETS.items():
            fh = (self.out / f"{name}.csv").open("w", newline="", encoding="utf-8")
            w = csv.writer(fh)
            w.writerow(list(cols))
            self._files[name] = fh
            self._writers[name] = w
        self.count = 0

    def add(self, doc: DocumentResult) -> None:
        self._writers["disclosure"].writerows(disclosure_rows(doc))
        self._writers["findings"].writerows(finding_rows(doc))
        self._writers["documents"].writerow(document_row(doc))
        for fh in self._files.values():
            fh.flush()
        name = doc.doc_id or Path(doc.path).name
        with (self.out / "documents" / f"{name}.json").open("w", encoding="utf-8") as fh:
            json.dump(document_json(doc), fh, ensure_ascii=False, indent=1)
        self.count += 1

    def close(self) -> None:
        for fh in self._files.values():
            fh.close()
        if not (self.parquet or self.duckdb_file):
            return
        db_path = self.out / "nianbao.duckdb"
        if db_path.exists():
            db_path.unlink()
        con = duckdb.connect(str(db_path) if self.duckdb_file else ":memory:")
        try:
            for name, cols in DATASETS.items():
                csv_path = str(self.out / f"{name}.csv")
                types = ", ".join(f"'{k}': '{v}'" for k, v in cols.items())
                con.execute(
                    f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM read_csv(?, header=true, "
                    f"columns={{{types}}}, nullstr='')",
                    [csv_path],
                )
                if self.parquet:
                    con.execute(f"COPY {name} TO '{self.out / (name + '.parquet')}' (FORMAT PARQUET)")
        finally:
            con.close()
        if not self.duckdb_file and db_path.exists():
            db_path.unlink()

    def __enter__(self) -> OutputWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
