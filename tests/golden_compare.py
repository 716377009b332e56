"""Compare a pipeline result with a sample's golden file (shared by tests and the CLI)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from nianbao.model import DocumentResult, Severity

ARITH = {  # the single-report arithmetic rules
    "t3.balance",
    "t3.results_total",
    "t3.applicant_total",
    "t4.total",
    "value.domain",
}


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def _same(a: float | int | None, b: float | int | None) -> bool:
    if a is None or b is None:
        return a is b
    return abs(float(a) - float(b)) < 1e-9


def compare(doc: DocumentResult, gold: dict[str, Any]) -> list[str]:
    """Every difference between what was read and what the generator printed."""
    problems: list[str] = []
    got = {(v.table, v.row, v.col): v for v in doc.values}
    want = {(c["table"], c["row"], c["col"]): c for c in gold["cells"]}
    for key, c in want.items():
        v = got.get(key)
        if v is None:
            problems.append(f"{'.'.join(key)}: not in output")
            continue
        if c["value"] is None:
            if v.value is not None:
                problems.append(f"{'.'.join(key)}: read {v.value!r} from {v.prov.raw!r}; expected unread")
            continue
        if not _same(v.value, c["value"]):
            problems.append(
                f"{'.'.join(key)}: value {v.value!r} (raw {v.prov.raw!r}), printed {c['raw']!r} = {c['value']!r}"
            )
        elif v.prov.raw.replace(" ", "") != c["raw"].replace(" ", ""):
            problems.append(f"{'.'.join(key)}: raw {v.prov.raw!r}, printed {c['raw']!r}")
    for key in got.keys() - want.keys():
        problems.append(f"{'.'.join(key)}: in output but not printed")
    fw = {(f["rule"], f["subject"]) for f in gold["findings"]}
    fg = {
        (f.rule, f.subject) for f in doc.findings if f.severity is not Severity.INFO and f.rule != "extract.needs_ocr"
    }
    for f in sorted(fw - fg, key=str):
        problems.append(f"finding missing: {f}")
    for f in sorted(fg - fw, key=str):
        problems.append(f"finding not expected: {f}")
    problems += compare_records(doc, gold.get("records", []))
    unread = sorted(p.number for p in doc.pages if p.needs_ocr)
    if unread != gold["needs_ocr_pages"]:
        problems.append(f"needs_ocr pages {unread}, expected {gold['needs_ocr_pages']}")
    ocr = sorted(p.number for p in doc.pages if p.route == "ocr")
    if ocr != gold.get("ocr_pages", []):
        problems.append(f"OCR'd pages {ocr}, expected {gold.get('ocr_pages', [])}")
    md = gold["metadata"]
    if doc.metadata.year != md["year"]:
        problems.append(f"year {doc.metadata.year}, expected {md['year']}")
    if doc.metadata.body != md["body"]:
        problems.append(f"body {doc.metadata.body!r}, expected {md['body']!r}")
    if doc.metadata.format != md["format"]:
        problems.append(f"format {doc.metadata.format!r}, expected {md['format']!r}")
    if md.get("level") and doc.metadata.level != md["level"]:
        problems.append(f"level {doc.metadata.level!r}, expected {md['level']!r}")
    return problems


def compare_records(doc: DocumentResult, expected: list[dict[str, Any]]) -> list[str]:
    """Each expected embedded-table row against the record read for it (same dataset, table, 序号)."""
    problems: list[str] = []
    got = {(r.dataset, r.table, r.fields.get("seq")): r for r in doc.records}
    for exp in expected:
        key = (exp["dataset"], exp["table"], exp["seq"])
        rec = got.get(key)
        if rec is None:
            problems.append(f"record {key}: not read")
            continue
        for name, want in exp.items():
            if name in ("dataset", "table"):
                continue
            have = list(rec.fields.get("approvals", {}).values()) if name == "verdicts" else rec.fields.get(name)  # type: ignore[union-attr]
            same = _same(have, want) if isinstance(want, int | float) and not isinstance(want, bool) else have == want
            if not same:
                problems.append(f"record {key}.{name}: read {have!r}, printed {want!r}")
    return problems
