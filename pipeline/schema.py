"""The datasets' schema: every dataset's columns (DuckDB types) and how a document becomes its rows.

The output contract of ``../shared/spec/format.md``; :mod:`nianbao.pipeline.store` writes the rows,
:mod:`nianbao.pipeline.reading` reads them back. ``method`` of ``bodies`` is exact | unit_chain |
similar_name | duplicate (a copy's row carries its canonical copy's body).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, is_dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from nianbao.form.templates import zh_path
from nianbao.model import DocumentResult, Finding, Record
from nianbao.pipeline.fulltext import blocks, display_path

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
    # where the cell is on the printed form, in its own words (三、本年度办理结果 / （三）不予公开 / …)
    "label_zh": "VARCHAR",
    "col_zh": "VARCHAR",
    # identity | readers | both | manual | none: what confirms the value (checks/confirmed.py)
    "confirmed_by": "VARCHAR",
    # why an OCR reading is doubted whatever its score (nianbao.model.DOUBTS), else empty
    "doubt": "VARCHAR",
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
    "message_zh": "VARCHAR",  # the finding in Chinese, the rule stated as the form states it
    "group": "VARCHAR",  # subject of the finding this one is part of (value.blank_line)
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
    "metadata_source": "VARCHAR",  # where the body was read: title | opening | portal | filename
    "duplicate_of": "VARCHAR",  # doc_id of the same report in another format (count it once)
    "run_key": "VARCHAR",  # nianbao version and settings: a resumed run redoes documents of another
    "url": "VARCHAR",  # where the filing was published, from a manifest
    "publisher": "VARCHAR",  # the portal's 发布机构 (发文机关, 发布单位), as printed; not the body
}
PROJECT_COLS: dict[str, str] = {
    "doc_id": "VARCHAR",
    "table": "INTEGER",
    "row": "INTEGER",
    "seq": "VARCHAR",
    "name": "VARCHAR",
    "period_start": "INTEGER",
    "period_end": "INTEGER",
    "total_investment": "DOUBLE",
    "annual_plan": "DOUBLE",
    "month_completed": "DOUBLE",
    "ytd_completed": "DOUBLE",
    "percent_of_plan": "DOUBLE",
    "progress_text": "VARCHAR",
    "unit": "VARCHAR",
    "mapping": "VARCHAR",
    "page": "INTEGER",
    "provenance": "VARCHAR",
}
N_APPROVALS = 4  # approval steps given their own columns; every step is also in `approvals` (JSON)
REVIEW_COLS: dict[str, str] = {
    "doc_id": "VARCHAR",
    "table": "INTEGER",
    "row": "INTEGER",
    "seq": "VARCHAR",
    "department": "VARCHAR",
    "title": "VARCHAR",
    "publish_date": "DATE",
    "channel": "VARCHAR",
    **{k: "VARCHAR" for i in range(1, N_APPROVALS + 1) for k in (f"approval_{i}_step", f"approval_{i}")},
    "approvals": "VARCHAR",
    "signatory": "VARCHAR",
    "signoff_date": "DATE",
    "mapping": "VARCHAR",
    "page": "INTEGER",
    "provenance": "VARCHAR",
}
SCORE_COLS: dict[str, str] = {
    "doc_id": "VARCHAR",
    "table": "INTEGER",
    "row": "INTEGER",
    "seq": "VARCHAR",
    "indicator": "VARCHAR",
    "weight": "DOUBLE",
    "responsible_unit": "VARCHAR",
    "responsible_department": "VARCHAR",
    "responsible_leader": "VARCHAR",
    "self_score": "DOUBLE",
    "self_score_raw": "VARCHAR",
    "problems": "VARCHAR",
    "remedies": "VARCHAR",
    "page": "INTEGER",
    "provenance": "VARCHAR",
}
FACT_COLS: dict[str, str] = {
    "doc_id": "VARCHAR",
    "number": "DOUBLE",
    "unit": "VARCHAR",
    "counts": "VARCHAR",
    "after": "VARCHAR",
    "topic": "VARCHAR",
    "sentence": "VARCHAR",
    "page": "INTEGER",
    "x0": "DOUBLE",
    "top": "DOUBLE",
    "x1": "DOUBLE",
    "bottom": "DOUBLE",
    "locator": "VARCHAR",
}
TABLE_COLS: dict[str, str] = {
    "doc_id": "VARCHAR",
    "table": "INTEGER",
    "page": "INTEGER",
    "kind": "VARCHAR",
    "kind_score": "DOUBLE",
    "method": "VARCHAR",
    "n_rows": "INTEGER",
    "n_cols": "INTEGER",
    # format tables: the readers whose reading stands (grid+anchored | grid | anchored)
    "readers": "VARCHAR",
}
GRID_COLS: dict[str, str] = {
    "doc_id": "VARCHAR",
    "table": "INTEGER",
    "page": "INTEGER",
    "row": "INTEGER",
    "col": "INTEGER",
    "rowspan": "INTEGER",
    "colspan": "INTEGER",
    "text": "VARCHAR",
    "x0": "DOUBLE",
    "top": "DOUBLE",
    "x1": "DOUBLE",
    "bottom": "DOUBLE",
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
                *zh_path(v.table, v.row, v.col, doc.table_formats.get(v.table)),
                v.confirmed_by,
                p.doubt,
            ]
        )
    return rows


def finding_rows(doc: DocumentResult, findings: list[Finding] | None = None) -> list[list[Any]]:
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
            f.message_zh,
            f.group,
        ]
        for f in (doc.findings if findings is None else findings)
    ]


def document_row(doc: DocumentResult) -> list[Any]:
    md = doc.metadata
    return [
        doc.doc_id,
        display_path(doc.path),
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
        doc.metadata_source,
        doc.duplicate_of,
        doc.run_key,
        doc.url,
        md.publisher,
    ]


def _provenance_json(rec: Record) -> str:
    return json.dumps(
        {
            k: {
                "raw": p.raw,
                "page": p.page,
                "bbox": None if p.bbox is None else p.bbox.rounded(),
                "locator": p.locator,
            }
            for k, p in rec.prov.items()
        },
        ensure_ascii=False,
    )


def _page(rec: Record) -> int | None:
    return next((p.page for p in rec.prov.values() if p.page is not None), None)


def project_rows(doc: DocumentResult) -> list[list[Any]]:
    out = []
    for rec in doc.records:
        if rec.dataset != "project_progress":
            continue
        f = rec.fields
        out.append(
            [
                doc.doc_id,
                rec.table,
                rec.row,
                f.get("seq"),
                f.get("name"),
                f.get("period_start"),
                f.get("period_end"),
                f.get("total_investment"),
                f.get("annual_plan"),
                f.get("month_completed"),
                f.get("ytd_completed"),
                f.get("percent_of_plan"),
                f.get("progress_text"),
                "万元",
                rec.mapping,
                _page(rec),
                _provenance_json(rec),
            ]
        )
    return out


def review_rows(doc: DocumentResult) -> list[list[Any]]:
    out = []
    for rec in doc.records:
        if rec.dataset != "review_log":
            continue
        f = rec.fields
        raw_approvals = f.get("approvals")
        approvals: dict[str, Any] = raw_approvals if isinstance(raw_approvals, dict) else {}
        raw_steps = f.get("approval_steps")
        steps: list[Any] = list(raw_steps) if isinstance(raw_steps, list) else []
        verdicts = list(approvals.values())
        flat: list[Any] = []
        for i in range(N_APPROVALS):
            flat += [steps[i] if i < len(steps) else None, verdicts[i] if i < len(verdicts) else None]
        out.append(
            [
                doc.doc_id,
                rec.table,
                rec.row,
                f.get("seq"),
                f.get("department"),
                f.get("title"),
                f.get("publish_date"),
                f.get("channel"),
                *flat,
                json.dumps(approvals, ensure_ascii=False),
                f.get("signatory"),
                f.get("signoff_date"),
                rec.mapping,
                _page(rec),
                _provenance_json(rec),
            ]
        )
    return out


def score_rows(doc: DocumentResult) -> list[list[Any]]:
    out = []
    for rec in doc.records:
        if rec.dataset != "scores":
            continue
        f = rec.fields
        raw = rec.prov["self_score"].raw if "self_score" in rec.prov else None
        out.append(
            [
                doc.doc_id,
                rec.table,
                rec.row,
                f.get("seq"),
                f.get("indicator"),
                f.get("weight"),
                f.get("responsible_unit"),
                f.get("responsible_department"),
                f.get("responsible_leader"),
                f.get("self_score"),
                raw,
                f.get("problems"),
                f.get("remedies"),
                _page(rec),
                _provenance_json(rec),
            ]
        )
    return out


def fact_rows(doc: DocumentResult) -> list[list[Any]]:
    return [
        [
            doc.doc_id,
            f.number,
            f.unit,
            f.counts,
            f.after,
            f.topic,
            f.sentence,
            f.prov.page,
            *_box(f.prov.bbox),
            f.prov.locator,
        ]
        for f in doc.facts
    ]


def table_rows(doc: DocumentResult) -> list[list[Any]]:
    rows = [
        [
            doc.doc_id,
            t.index,
            t.page,
            t.kind,
            t.kind_score,
            t.method,
            t.n_rows,
            t.n_cols,
            doc.table_readers.get(t.kind or ""),
        ]
        for t in doc.tables
    ]
    # a format table that only the anchored reader found has no grid: one row says so
    for kind, readers in doc.table_readers.items():
        if readers == "anchored" and not any(t.kind == kind for t in doc.tables):
            page = next((v.prov.page for v in doc.values if v.table == kind and v.prov.page), None)
            rows.append([doc.doc_id, None, page, kind, None, "anchored", None, None, readers])
    return rows


def grid_rows(doc: DocumentResult) -> list[list[Any]]:
    """Every table that no dataset reads, cell by cell: nothing printed is lost."""
    out = []
    for t in doc.tables:
        if t.kind not in (None, "other"):
            continue
        for c in t.cells:
            out.append([doc.doc_id, t.index, t.page, c.row, c.col, c.rowspan, c.colspan, c.text, *_box(c.bbox)])
    return out


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
        "path": display_path(doc.path),
        "sha256": doc.sha256,
        "kind": doc.kind,
        "status": doc.status.value,
        "error": doc.error,
        "metadata": _jsonable(doc.metadata),
        "table_formats": doc.table_formats,
        "duplicate_of": doc.duplicate_of,
        "pages": [
            {
                "number": p.number,
                "width": p.width,
                "height": p.height,
                "route": p.route,
                # how an OCR'd page was turned and levelled: boxes are on the page as read
                "rotation": p.rotation,
                "skew": p.skew,
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
                "confirmed_by": v.confirmed_by,
                "doubt": v.prov.doubt,
            }
            for v in doc.values
        ],
        "records": [
            {"dataset": r.dataset, "table": r.table, "row": r.row, "mapping": r.mapping, "fields": _jsonable(r.fields)}
            for r in doc.records
        ],
        "facts": [
            {"number": f.number, "unit": f.unit, "counts": f.counts, "topic": f.topic, "page": f.prov.page}
            for f in doc.facts
        ],
        "findings": [_jsonable(f) for f in doc.findings],
        # the whole report in reading order, for full-text search (see pipeline/fulltext.py)
        "text": blocks(doc),
        "timings": doc.timings,
    }


def csv_select(name: str) -> str:
    """SQL reading a dataset's CSV (its path the one parameter) with the contract's column types."""
    types = ", ".join(f"'{k}': '{v}'" for k, v in ALL_DATASETS[name].items())
    return f"SELECT * FROM read_csv(?, header=true, columns={{{types}}}, nullstr='')"


@dataclass(frozen=True, slots=True)
class Dataset:
    columns: dict[str, str]  # name -> DuckDB type
    rows: Callable[[DocumentResult], list[list[Any]]]


DATASETS: dict[str, Dataset] = {
    "disclosure": Dataset(DISCLOSURE_COLS, disclosure_rows),
    "findings": Dataset(FINDING_COLS, finding_rows),
    "documents": Dataset(DOCUMENT_COLS, lambda d: [document_row(d)]),
    "project_progress": Dataset(PROJECT_COLS, project_rows),
    "review_log": Dataset(REVIEW_COLS, review_rows),
    "scores": Dataset(SCORE_COLS, score_rows),
    "facts": Dataset(FACT_COLS, fact_rows),
    "tables": Dataset(TABLE_COLS, table_rows),
    "other_tables": Dataset(GRID_COLS, grid_rows),
}


# datasets of the whole batch, written at close (not streamed per document)
BODY_COLS: dict[str, str] = {
    "doc_id": "VARCHAR",
    "body_id": "VARCHAR",  # one issuing body across its name variants (see normalizers.bodies)
    "body": "VARCHAR",  # the body's fullest name in the batch
    "name": "VARCHAR",  # the name this filing prints
    "region": "VARCHAR",
    "level": "VARCHAR",
    "year": "INTEGER",
    "method": "VARCHAR",  # exact | unit_chain | similar_name | duplicate
    "score": "DOUBLE",  # rapidfuzz WRatio of name and body, 100 = the same name
}
ALL_DATASETS: dict[str, dict[str, str]] = {
    **{name: ds.columns for name, ds in DATASETS.items()},
    "bodies": BODY_COLS,
}
