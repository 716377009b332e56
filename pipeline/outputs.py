"""Datasets users open directly: CSV and Parquet per dataset, a DuckDB file, one JSON per document.

Rows are appended to the CSV files as each document finishes, so an interrupted
batch keeps every finished document; Parquet and DuckDB are built from the CSVs
when the run closes (DuckDB streams the conversion, so memory stays flat on
50,000-document runs).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
from collections.abc import Callable
from dataclasses import asdict, dataclass, is_dataclass
from enum import Enum
from pathlib import Path
from typing import Any

import duckdb

from nianbao.checks.cross_year import YearSummary, cross_year_findings
from nianbao.normalizers.bodies import BodyLink, BodyName, link_bodies
from nianbao.normalizers.templates import zh_path
from nianbao.pipeline.catalogue import finding
from nianbao.pipeline.model import BBox, CellRef, DocumentResult, Finding, Metadata, Provenance, Record, Value

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


def display_path(path: str) -> str:
    """A path as text that can always be written: bytes of a file name that are not UTF-8 (read by
    Python as surrogates) become \\xNN escapes, so a batch never dies in the CSV writer on one name."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


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


def _printed_values(doc: DocumentResult) -> dict[tuple[str, str, str], float | int]:
    return {(v.table, v.row, v.col): v.value for v in doc.values if v.value is not None}


def _fingerprint(values: dict[tuple[str, str, str], float | int]) -> str:
    return hashlib.sha1(repr(sorted(values.items())).encode()).hexdigest()


def _read_csv_rows(path: Path) -> list[list[str]]:
    """Rows of a CSV this writer made; a last line cut off by a kill (no line end) is dropped."""
    raw = path.read_bytes()
    if raw and not raw.endswith(b"\n"):
        raw = raw[: raw.rfind(b"\n") + 1]
    text = raw.decode("utf-8-sig", errors="replace")
    return list(csv.reader(io.StringIO(text, newline="")))


def _summary_doc(path: Path) -> DocumentResult | None:
    """The little of a finished document that the batch-wide rules need, from its JSON."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    doc = DocumentResult(data["doc_id"], data["path"], data["sha256"], data["kind"])
    md = data.get("metadata") or {}
    doc.metadata = Metadata(body=md.get("body"), year=md.get("year"), region=md.get("region"), level=md.get("level"))
    doc.duplicate_of = data.get("duplicate_of")
    for v in data.get("values", []):
        bbox = BBox(*v["bbox"]) if v.get("bbox") else None
        prov = Provenance(source=v["source"], raw=v["raw"], page=v["page"], bbox=bbox)
        doc.values.append(Value(v["table"], v["row"], v["col"], v["value"], prov, blank=v["blank"]))
    return doc


# datasets of the whole batch, written at close (not streamed per document)
BODY_COLS: dict[str, str] = {
    "doc_id": "VARCHAR",
    "body_id": "VARCHAR",  # one issuing body across its name variants (see normalizers.bodies)
    "body": "VARCHAR",  # the body's fullest name in the batch
    "name": "VARCHAR",  # the name this filing prints
    "region": "VARCHAR",
    "level": "VARCHAR",
    "year": "INTEGER",
    "method": "VARCHAR",  # exact | unit_chain | similar_name
    "score": "DOUBLE",  # rapidfuzz WRatio of name and body, 100 = the same name
}
ALL_DATASETS: dict[str, dict[str, str]] = {
    **{name: ds.columns for name, ds in DATASETS.items()},
    "bodies": BODY_COLS,
}


def write_bodies(path: Path, links: list[BodyLink], names: list[BodyName], *, bom: bool = True) -> None:
    """bodies.csv: one row per counted filing with a body name, its body_id and how it was linked."""
    by_doc = {n.doc_id: n for n in names}
    tmp = path.with_suffix(".csv.tmp")
    with tmp.open("w", newline="", encoding="utf-8-sig" if bom else "utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(list(BODY_COLS))
        for link in links:
            n = by_doc[link.doc_id]
            w.writerow(
                [link.doc_id, link.body_id, link.body, link.name, n.region, n.level, n.year, link.method, link.score]
            )
    os.replace(tmp, path)


class OutputWriter:
    """Streams finished documents to ``out_dir``; :meth:`close` builds Parquet and DuckDB."""

    def __init__(
        self,
        out_dir: Path,
        *,
        parquet: bool = True,
        duckdb_file: bool = True,
        bom: bool = True,
        run_key: str = "",
        resume: bool = False,
        retry_failed: bool = False,
    ) -> None:
        self.out = out_dir
        self.out.mkdir(parents=True, exist_ok=True)
        (self.out / "documents").mkdir(exist_ok=True)
        self.parquet = parquet
        self.duckdb_file = duckdb_file
        self.run_key = run_key
        self.bom = bom
        self._files: dict[str, Any] = {}
        self._writers: dict[str, Any] = {}
        self.count = 0
        self._years: list[YearSummary] = []
        self._names: list[BodyName] = []  # every counted filing's body, linked across names at close
        self._firsts: dict[tuple[str, int], tuple[str, str]] = {}  # (body, year) -> (doc_id, fingerprint)
        # what an earlier run with the same version and settings finished: sha256 -> status
        self.done: dict[str, str] = {}
        resuming = resume and (self.out / "documents.csv").exists()
        enc = "utf-8-sig" if bom else "utf-8"
        if resuming:
            self._recover(retry_failed, enc)
        for name, ds in DATASETS.items():
            # UTF-8 with a byte-order mark by default: Excel on Chinese Windows reads a CSV without
            # one as GBK and shows every label garbled; pandas reads it with encoding="utf-8-sig",
            # DuckDB and Parquet users are not affected. bom=False (--no-bom) writes plain UTF-8.
            path = self.out / f"{name}.csv"
            append = resuming and path.exists()
            fh = path.open("a" if append else "w", newline="", encoding="utf-8" if append else enc)
            w = csv.writer(fh)
            if not append:
                w.writerow(list(ds.columns))
            self._files[name] = fh
            self._writers[name] = w

    def _recover(self, retry_failed: bool, enc: str) -> None:
        """Keep what an interrupted (or finished) earlier run wrote, as if it had stopped cleanly.

        documents.csv is written last for each document, so a document counts as done only once
        its row is there; every other dataset's rows of documents that are not done (a kill in the
        middle of one), a partial last line, and the cross-year findings (recomputed at close) are
        dropped. Documents of another version or other settings are done again.
        """
        rows = _read_csv_rows(self.out / "documents.csv")
        header, body = rows[0], rows[1:]
        col = {c: i for i, c in enumerate(header)}
        kept: set[str] = set()
        for r in body:
            if len(r) != len(header) or r[col["run_key"]] != self.run_key:
                continue
            if r[col["status"]] == "failed" and retry_failed:
                continue
            # a file that failed before it could be hashed (a pipe, a dangling link) cannot be told
            # again by its content: it is simply tried again (it fails fast)
            if r[col["doc_id"]]:
                kept.add(r[col["doc_id"]])
                self.done[r[col["sha256"]]] = r[col["status"]]
        for name in DATASETS:
            path = self.out / f"{name}.csv"
            if not path.exists():
                continue
            rows = _read_csv_rows(path)
            head = rows[0]
            i_doc = head.index("doc_id")
            i_rule = head.index("rule") if name == "findings" else -1
            keep = [
                r
                for r in rows[1:]
                if len(r) == len(head)
                and r[i_doc] in kept
                and not (i_rule >= 0 and r[i_rule].startswith("cross_year."))
            ]
            tmp = path.with_suffix(".csv.tmp")
            with tmp.open("w", newline="", encoding=enc) as fh:
                w = csv.writer(fh)
                w.writerow(head)
                w.writerows(keep)
            os.replace(tmp, path)
        for doc_id in sorted(kept):
            doc = _summary_doc(self.out / "documents" / f"{doc_id}.json")
            if doc is None:
                continue
            if doc.duplicate_of is None:
                self._count_once(doc)
                md = doc.metadata
                if md.body and md.year and doc.values and (md.body, md.year) not in self._firsts:
                    self._firsts[(md.body, md.year)] = (doc.doc_id, _fingerprint(_printed_values(doc)))
        self.count = len(kept)

    def add(self, doc: DocumentResult) -> None:
        self._mark_duplicate(doc)
        for name, ds in DATASETS.items():
            if name != "documents":
                self._writers[name].writerows(ds.rows(doc))
        if doc.duplicate_of is None:  # counted once across years
            self._count_once(doc)
        for fh in self._files.values():
            fh.flush()
        # a file that could not be read has no doc_id: its JSON is named after the path's hash
        name = doc.doc_id or "failed-" + hashlib.sha1(os.fsencode(doc.path)).hexdigest()[:16]
        with (self.out / "documents" / f"{name}.json").open("w", encoding="utf-8") as fh:
            json.dump(document_json(doc), fh, ensure_ascii=False, indent=1)
        # the documents row last: it marks the document done for a run that resumes after a kill
        self._writers["documents"].writerows(DATASETS["documents"].rows(doc))
        self._files["documents"].flush()
        self.count += 1

    def _count_once(self, doc: DocumentResult) -> None:
        summary = YearSummary.of(doc)
        if summary is not None:
            self._years.append(summary)
        md = doc.metadata
        if md.body and doc.doc_id:
            self._names.append(BodyName(doc.doc_id, md.body, md.year, md.region, md.level))

    def _mark_duplicate(self, doc: DocumentResult) -> None:
        """The same report in another format (its PDF and its web page): same body and year.

        Tables that agree: ``duplicate_of`` the first one seen (aggregates and cross-year rules
        count it once). Tables that disagree: both stay and ``documents.conflict`` names the
        cells. Only a fingerprint is kept per body and year; the first document's values are
        read back from its JSON when a conflict has to be spelled out.
        """
        md = doc.metadata
        if not (md.body and md.year and doc.values):
            return
        values = _printed_values(doc)
        print_ = _fingerprint(values)
        key = (md.body, md.year)
        first = self._firsts.get(key)
        if first is None:
            self._firsts[key] = (doc.doc_id, print_)
            return
        first_id, first_print = first
        if first_id == doc.doc_id:
            return
        if print_ == first_print:
            doc.duplicate_of = first_id
            doc.findings.append(
                finding(
                    "documents.duplicate",
                    f"same report as {first_id} ({md.body} {md.year}): tables 二/三/四 agree; counted once",
                    subject=first_id,
                )
            )
            return
        with (self.out / "documents" / f"{first_id}.json").open(encoding="utf-8") as fh:
            theirs = {(v["table"], v["row"], v["col"]): v["value"] for v in json.load(fh)["values"]}
        differ = sorted(k for k in values.keys() | theirs.keys() if values.get(k) != theirs.get(k))
        if not differ:
            doc.duplicate_of = first_id
            return
        doc.findings.append(
            finding(
                "documents.conflict",
                f"{md.body} {md.year} is also {first_id}, whose tables differ in {len(differ)} cell(s): "
                + ", ".join(".".join(k) for k in differ[:20])
                + ("…" if len(differ) > 20 else ""),
                cells=[CellRef(t, r, c) for t, r, c in differ],
                subject=first_id,
                message_zh=f"{md.body}{md.year}年另有一份报告（{first_id}），表格有{len(differ)}处数据不一致",
            )
        )

    def close(self) -> int:
        """Finish the batch: cross-year findings, then Parquet and DuckDB. Returns the cross-year count."""
        # rules across years of one body can only run once every report of the batch is in
        links = link_bodies(self._names)
        write_bodies(self.out / "bodies.csv", links, self._names, bom=self.bom)
        cross = 0
        for doc_id, f in cross_year_findings(self._years, {link.doc_id: link.body_id for link in links}):
            self._writers["findings"].writerows(finding_rows(DocumentResult(doc_id, "", "", ""), [f]))
            cross += 1
        for fh in self._files.values():
            fh.close()
        if not (self.parquet or self.duckdb_file):
            return cross
        db_path = self.out / "nianbao.duckdb"
        if db_path.exists():
            db_path.unlink()
        con = duckdb.connect(str(db_path) if self.duckdb_file else ":memory:")
        try:
            for name in ALL_DATASETS:
                con.execute(f"CREATE OR REPLACE TABLE {name} AS {csv_select(name)}", [str(self.out / f"{name}.csv")])
                if self.parquet:
                    con.execute(f"COPY {name} TO '{self.out / (name + '.parquet')}' (FORMAT PARQUET)")
        finally:
            con.close()
        if not self.duckdb_file and db_path.exists():
            db_path.unlink()
        return cross

    def __enter__(self) -> OutputWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
