"""The store: a batch's datasets written as CSV (streamed), then Parquet, DuckDB and one JSON per document.

Rows are appended to the CSV files as each document finishes, so an interrupted batch keeps every
finished document; when the batch closes, what depends on more than one document is decided
(:class:`nianbao.pipeline.collection.Collection`), every CSV is sorted by document and Parquet and
DuckDB are built from the CSVs (DuckDB streams the conversion, so memory stays flat on
50,000-document runs). The columns are :mod:`nianbao.pipeline.schema`'s.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
import os
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

import duckdb

from nianbao.model import BBox, DocumentResult, Finding, Metadata, Provenance, Severity, Value
from nianbao.normalizers.bodies import BodyLink, BodyName
from nianbao.pipeline.collection import Collection, Outcome, Printed, is_batch_rule
from nianbao.pipeline.fulltext import markdown
from nianbao.pipeline.schema import (
    ALL_DATASETS,
    BODY_COLS,
    DATASETS,
    _jsonable,
    csv_select,
    document_json,
    finding_rows,
)


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
    doc.table_formats = dict(data.get("table_formats") or {})
    for v in data.get("values", []):
        bbox = BBox(*v["bbox"]) if v.get("bbox") else None
        prov = Provenance(source=v["source"], raw=v["raw"], page=v["page"], bbox=bbox)
        doc.values.append(Value(v["table"], v["row"], v["col"], v["value"], prov, blank=v["blank"]))
    # what an earlier close decided of it (is it to be rewritten when this batch closes?)
    doc.duplicate_of = data.get("duplicate_of")
    doc.findings = [f for f in map(_finding_of, data.get("findings", [])) if f is not None]
    return doc


def _finding_of(data: dict[str, Any]) -> Finding | None:
    """A batch finding as an earlier close wrote it to a document's JSON (only whether there is one
    matters on resume: the batch decides again)."""
    rule = data.get("rule", "")
    return (
        Finding(rule, Severity(data.get("severity", "info")), data.get("message", "")) if is_batch_rule(rule) else None
    )


def _json_values(path: Path) -> Printed:
    """A finished document's printed values, read back from its JSON (to spell out a conflict)."""
    with path.open(encoding="utf-8") as fh:
        values = json.load(fh)["values"]
    return {(v["table"], v["row"], v["col"]): v["value"] for v in values if v["value"] is not None}


def _records(fh: BinaryIO, start: int) -> Iterator[tuple[list[str], int, int]]:
    """CSV records of a file open in binary, from byte ``start`` on, each with the byte range it spans.

    The csv module pulls one line at a time and only as many as a record needs (a quoted field may
    hold line breaks), so the offset after each record is where the next one starts.
    """
    pos = start
    fh.seek(start)

    def text() -> Iterator[str]:
        nonlocal pos
        for line in fh:
            pos += len(line)
            yield line.decode("utf-8")

    begin = start
    for row in csv.reader(text()):
        yield row, begin, pos
        begin = pos


def sort_by_document(path: Path, extra: dict[str, list[list[Any]]] | None = None) -> None:
    """Rewrite a dataset's CSV with its documents in doc_id order, each document's rows as it wrote
    them (the form's order), then its ``extra`` rows. Rows are moved as bytes: nothing is re-typed.

    A batch's rows arrive in completion order, which depends on workers and timing; sorted, two runs
    of the same inputs diff cleanly. Memory holds each document's byte ranges, not its rows.
    """
    extra = extra or {}
    blocks: dict[str, list[tuple[int, int]]] = {}
    tmp = path.with_suffix(".csv.tmp")
    with path.open("rb") as src, tmp.open("wb") as dst:
        bom = len(codecs.BOM_UTF8) if src.read(len(codecs.BOM_UTF8)) == codecs.BOM_UTF8 else 0
        recs = _records(src, bom)
        header, _, body_start = next(recs)
        i_doc = header.index("doc_id")
        for row, begin, end in recs:
            spans = blocks.setdefault(row[i_doc] if len(row) > i_doc else "", [])
            if spans and spans[-1][1] == begin:
                spans[-1] = (spans[-1][0], end)
            else:
                spans.append((begin, end))
        src.seek(0)
        dst.write(src.read(body_start))
        for doc_id in sorted(blocks.keys() | extra.keys()):
            for begin, end in blocks.get(doc_id, []):
                src.seek(begin)
                dst.write(src.read(end - begin))
            if doc_id in extra:
                buf = io.StringIO(newline="")
                csv.writer(buf).writerows(extra[doc_id])
                dst.write(buf.getvalue().encode("utf-8"))
    os.replace(tmp, path)


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
    """Streams finished documents to ``out_dir``; :meth:`close` finishes the batch.

    Each document's rows are appended as it finishes (an interrupted batch keeps every finished
    document). What depends on more than one document (duplicates and conflicts, body linking, the
    rules across years) is decided by :class:`nianbao.pipeline.collection.Collection` when the batch
    closes, never by arrival; then every CSV is sorted by document (:data:`SORT_KEYS`) and Parquet and
    DuckDB are built from them.
    """

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
        key_of: Callable[[str, str, str], str] | None = None,
    ) -> None:
        self.out = out_dir
        # the run key a document must have been read with to be kept by a resumed run, by
        # (doc_id, sha256, path): the run's own, or one that also names the document's corrections
        self.key_of = key_of or (lambda doc_id, sha256, path: run_key)
        self.out.mkdir(parents=True, exist_ok=True)
        (self.out / "documents").mkdir(exist_ok=True)
        self.parquet = parquet
        self.duckdb_file = duckdb_file
        self.run_key = run_key
        self.bom = bom
        self._files: dict[str, Any] = {}
        self._writers: dict[str, Any] = {}
        self.count = 0
        self.batch = Collection(values_of=lambda doc_id: _json_values(self._json_path(doc_id)))
        # documents whose JSON holds what an earlier close decided (it is decided again)
        self._had_batch: set[str] = set()
        self.outcome: Outcome | None = None
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

    def _json_path(self, doc_id: str) -> Path:
        return self.out / "documents" / f"{doc_id}.json"

    def _recover(self, retry_failed: bool, enc: str) -> None:
        """Keep what an interrupted (or finished) earlier run wrote, as if it had stopped cleanly.

        documents.csv is written last for each document, so a document counts as done only once
        its row is there; every other dataset's rows of documents that are not done (a kill in the
        middle of one), a partial last line, and the batch's own findings (decided again at close)
        are dropped. Documents of another version or other settings are done again.
        """
        rows = _read_csv_rows(self.out / "documents.csv")
        header, body = rows[0], rows[1:]
        col = {c: i for i, c in enumerate(header)}
        kept: set[str] = set()
        for r in body:
            if len(r) != len(header):
                continue
            if r[col["run_key"]] != self.key_of(r[col["doc_id"]], r[col["sha256"]], r[col["path"]]):
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
                if len(r) == len(head) and r[i_doc] in kept and not (i_rule >= 0 and is_batch_rule(r[i_rule]))
            ]
            tmp = path.with_suffix(".csv.tmp")
            with tmp.open("w", newline="", encoding=enc) as fh:
                w = csv.writer(fh)
                w.writerow(head)
                w.writerows(keep)
            os.replace(tmp, path)
        for doc_id in sorted(kept):
            doc = _summary_doc(self._json_path(doc_id))
            if doc is not None:
                self.batch.add(doc)
                if doc.duplicate_of or doc.findings:  # its JSON holds an earlier close's decisions
                    self._had_batch.add(doc_id)
        self.count = len(kept)

    def add(self, doc: DocumentResult) -> None:
        for name, ds in DATASETS.items():
            if name != "documents":
                self._writers[name].writerows(ds.rows(doc))
        for fh in self._files.values():
            fh.flush()
        # a file that could not be read has no doc_id: its JSON is named after the path's hash
        name = doc.doc_id or "failed-" + hashlib.sha1(os.fsencode(doc.path)).hexdigest()[:16]
        data = document_json(doc)
        with (self.out / "documents" / f"{name}.json").open("w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, indent=1)
        if doc.doc_id:  # the whole report as Markdown, for full-text search (the JSON's text blocks)
            (self.out / "documents" / f"{name}.md").write_text(markdown(doc, data["text"]), encoding="utf-8")
        # the documents row last: it marks the document done for a run that resumes after a kill
        self._writers["documents"].writerows(DATASETS["documents"].rows(doc))
        self._files["documents"].flush()
        self.batch.add(doc)
        self.count += 1

    def close(self) -> int:
        """Finish the batch: its decisions, sorted CSVs, Parquet and DuckDB. Returns the cross-year count."""
        if self.outcome is not None:
            return self._cross_year()
        for fh in self._files.values():
            fh.close()
        outcome = self.outcome = self.batch.finish()
        write_bodies(self.out / "bodies.csv", outcome.links, outcome.names, bom=self.bom)
        extra = {
            doc_id: finding_rows(DocumentResult(doc_id, "", "", ""), found)
            for doc_id, found in outcome.findings.items()
        }
        for name in DATASETS:
            if name != "documents":
                sort_by_document(self.out / f"{name}.csv", extra if name == "findings" else None)
        self._finish_documents(outcome)
        self._update_json(outcome)
        if self.parquet or self.duckdb_file:
            self._database()
        return self._cross_year()

    def _cross_year(self) -> int:
        assert self.outcome is not None
        return sum(1 for found in self.outcome.findings.values() for f in found if f.rule.startswith("cross_year."))

    def _finish_documents(self, outcome: Outcome) -> None:
        """documents.csv sorted by doc_id (then path), with the batch's duplicate_of and finding counts."""
        path = self.out / "documents.csv"
        rows = _read_csv_rows(path)
        head, body = rows[0], [r for r in rows[1:] if len(r) == len(rows[0])]
        col = {c: i for i, c in enumerate(head)}
        # counted from findings.csv, which now holds the batch's findings too (a resumed run's rows
        # already counted an earlier close's: adding to them would count those twice)
        counts: Counter[tuple[str, str]] = Counter()
        found_rows = _read_csv_rows(self.out / "findings.csv")
        i_doc, i_sev = found_rows[0].index("doc_id"), found_rows[0].index("severity")
        for r in found_rows[1:]:
            counts[(r[i_doc], r[i_sev])] += 1
        for r in body:
            doc_id = r[col["doc_id"]]
            r[col["duplicate_of"]] = outcome.duplicate_of.get(doc_id, "")
            if doc_id:  # a file that failed before it was hashed keeps its own count
                r[col["n_errors"]] = str(counts[(doc_id, "error")])
                r[col["n_warnings"]] = str(counts[(doc_id, "warning")])
        body.sort(key=lambda r: (r[col["doc_id"]], r[col["path"]]))
        tmp = path.with_suffix(".csv.tmp")
        with tmp.open("w", newline="", encoding="utf-8-sig" if self.bom else "utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(head)
            w.writerows(body)
        os.replace(tmp, path)

    def _update_json(self, outcome: Outcome) -> None:
        """Each document's JSON says what the batch decided of it (and no longer what it no longer is)."""
        touched = self._had_batch | outcome.duplicate_of.keys() | outcome.findings.keys()
        for doc_id in sorted(touched):
            path = self._json_path(doc_id)
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            own = [f for f in data.get("findings", []) if not is_batch_rule(f.get("rule", ""))]
            new = {
                **data,
                "duplicate_of": outcome.duplicate_of.get(doc_id),
                "findings": own + [_jsonable(f) for f in outcome.findings_of(doc_id)],
            }
            if new != data:
                tmp = path.with_suffix(".json.tmp")
                tmp.write_text(json.dumps(new, ensure_ascii=False, indent=1), encoding="utf-8")
                os.replace(tmp, path)

    def _database(self) -> None:
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

    def __enter__(self) -> OutputWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
