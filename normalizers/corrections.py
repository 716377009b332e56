"""Corrections that stick: cells a person read off the page, applied on every run before the rules.

A corrections file is a CSV with the columns ``doc_id`` (or ``path`` or ``sha256``), ``table``, ``row``,
``col``, ``value`` and ``note``, the codes those of ``disclosure.csv``. Each line is checked when the
file is read: a table, row or column the form does not have, or a value that is not a number, is an
error naming the line. Applied to a filing (:func:`apply_corrections`, a stage after the tables are
read), the cell takes the value, its source becomes ``manual``, the printed text stays in ``raw``, the
note goes into ``note``, and a ``value.corrected`` finding says what changed; the rules then run on the
corrected value, so a finding the correction resolves is not made.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Mapping
from pathlib import Path

from nianbao.catalogue import finding
from nianbao.form.templates import TEMPLATES
from nianbao.model import Correction, DocumentResult, Provenance, Value
from nianbao.settings import Settings

KEY_COLUMNS = ("doc_id", "sha256", "path")
COLUMNS = ("table", "row", "col", "value")


class CorrectionsError(ValueError):
    """A corrections file that cannot be used as it is (the message names the line)."""


def _codes(table: str) -> tuple[set[str], set[str]]:
    rows: set[str] = set()
    cols: set[str] = set()
    for tpl in TEMPLATES[table]:
        if tpl.blocks:
            for b in tpl.blocks:
                rows |= {r.code for r in b.rows}
                cols |= {c.code for c in b.cols}
        rows |= {r.code for r in tpl.rows}
        cols |= {c.code for c in tpl.cols}
    return rows, cols


def file_key(value: str, column: str, base: Path) -> str:
    """The key a file is found by: a doc_id (16 hex digits), a sha256, or an absolute path."""
    if column == "path":
        p = Path(value)
        return os.path.abspath(p if p.is_absolute() else base / p)
    return value.strip().lower()


def read_corrections(path: Path) -> dict[str, tuple[Correction, ...]]:
    """File key -> its corrections, from a corrections CSV; a later line wins for the same cell."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        head = reader.fieldnames or []
        key_cols = [k for k in KEY_COLUMNS if k in head]
        missing = [c for c in COLUMNS if c not in head]
        if not key_cols or missing:
            raise CorrectionsError(
                f"{path}: a corrections file needs the columns doc_id (or path or sha256), "
                f"table, row, col, value and note; missing: {', '.join(missing or ['doc_id'])}"
            )
        by_file: dict[str, dict[str, Correction]] = {}
        for line, rec in enumerate(reader, start=2):
            where = f"{path}, line {line}"
            table, row, col = ((rec.get(k) or "").strip() for k in ("table", "row", "col"))
            if table not in TEMPLATES:
                raise CorrectionsError(f"{where}: no table {table!r} in the form (t2, t3 or t4)")
            rows, cols = _codes(table)
            if row not in rows:
                raise CorrectionsError(f"{where}: table {table} has no row {row!r} (the codes of disclosure.csv)")
            if col not in cols:
                raise CorrectionsError(f"{where}: table {table} has no column {col!r} (the codes of disclosure.csv)")
            raw = (rec.get("value") or "").strip().replace(",", "")
            try:
                number = float(raw)
            except ValueError as e:
                raise CorrectionsError(f"{where}: value {raw!r} is not a number") from e
            value: float | int = int(number) if number.is_integer() else number
            key_col = next((k for k in key_cols if (rec.get(k) or "").strip()), None)
            if key_col is None:
                raise CorrectionsError(f"{where}: no {' or '.join(key_cols)} names the file")
            ident = (rec.get(key_col) or "").strip()
            c = Correction(table, row, col, value, (rec.get("note") or "").strip(), line)
            by_file.setdefault(file_key(ident, key_col, path.parent), {})[c.key] = c
    return {k: tuple(v.values()) for k, v in by_file.items()}


def merge(
    old: Mapping[str, tuple[Correction, ...]], new: Mapping[str, tuple[Correction, ...]]
) -> dict[str, tuple[Correction, ...]]:
    """Corrections of an earlier run with new ones over them, cell by cell."""
    out = {k: {c.key: c for c in v} for k, v in old.items()}
    for k, v in new.items():
        out.setdefault(k, {}).update({c.key: c for c in v})
    return {k: tuple(v.values()) for k, v in out.items()}


def write_corrections(path: Path, corrections: Mapping[str, tuple[Correction, ...]]) -> None:
    """The corrections a run applies, kept beside its datasets (a rerun applies them again)."""
    tmp = path.with_suffix(".csv.tmp")
    with tmp.open("w", newline="", encoding="utf-8-sig") as fh:
        w = csv.writer(fh)
        w.writerow([*KEY_COLUMNS, *COLUMNS, "note"])
        for key in sorted(corrections):
            # a key is a doc_id (16 hex digits), a sha256 (64) or an absolute path
            ids = [key if len(key) == 16 and "/" not in key else "", key if len(key) == 64 else "", ""]
            ids[2] = "" if any(ids) else key
            for c in corrections[key]:
                w.writerow([*ids, c.table, c.row, c.col, c.value, c.note])
    os.replace(tmp, path)


def corrections_for_file(
    corrections: Mapping[str, tuple[Correction, ...]] | None, doc_id: str, sha256: str, path: str
) -> list[Correction]:
    """A file's corrections, whichever key names it (by path, then sha256, then doc_id: the later wins)."""
    if not corrections:
        return []
    found: dict[str, Correction] = {}
    for key in (os.path.abspath(path) if path else "", sha256, doc_id):
        for c in corrections.get(key, ()) if key else ():
            found[c.key] = c
    return list(found.values())


def corrections_for(doc: DocumentResult, corrections: Mapping[str, tuple[Correction, ...]] | None) -> list[Correction]:
    return corrections_for_file(corrections, doc.doc_id, doc.sha256, doc.path)


def apply_corrections(doc: DocumentResult, settings: Settings) -> DocumentResult:
    """The stage: each correction of this filing sets its cell (see the module docstring)."""
    for c in corrections_for(doc, settings.corrections):
        v = doc.value(c.table, c.row, c.col)
        if v is None:
            v = Value(c.table, c.row, c.col, None, Provenance(source="manual", raw=""))
            doc.values.append(v)
        before = v.value
        v.value, v.blank = c.value, False
        v.prov = Provenance(
            source="manual", raw=v.prov.raw, page=v.prov.page, bbox=v.prov.bbox, confidence=1.0, locator=v.prov.locator
        )
        v.note = f"corrected by hand: {c.note}" if c.note else "corrected by hand"
        printed = "not read" if before is None else f"{before:g}"
        doc.findings.append(
            finding(
                "value.corrected",
                f"{c.key}: {printed} corrected to {c.value:g} by hand" + (f" ({c.note})" if c.note else ""),
                table=c.table,
                subject=c.key,
                expected=c.value,
                printed=v.prov.raw or None,
                page=v.prov.page,
                bbox=v.prov.bbox,
                message_zh=f"{c.key}：原读为{printed}，人工更正为{c.value:g}" + (f"（{c.note}）" if c.note else ""),
            )
        )
    return doc
