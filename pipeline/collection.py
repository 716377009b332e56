"""What depends on more than one file, decided once every file of a batch is in.

Per-file results are added in whatever order they finish (workers, a Dask cluster, a resumed run);
:meth:`Collection.finish` then decides, by rule and never by arrival:

- **which copy of a report counts.** Copies are filings of one body (its name as printed, width and
  spacing aside) and one year that print tables 二/三/四. The canonical copy is the one with the
  fewest unread cells, then the best source (text layer, web page, Word, text dump, OCR: see
  :data:`SOURCE_RANK`), then the smallest ``doc_id``. Every other copy is ``duplicate_of`` it, with
  ``documents.duplicate`` when the tables agree and ``documents.conflict`` naming every cell that
  differs when they do not. Aggregates leave ``duplicate_of`` rows out: each report counted once.
- **one body under its name variants** (:func:`nianbao.normalizers.bodies.link_bodies`), over the
  counted copies; a duplicate gets its canonical copy's body.
- **the rules across years** (:mod:`nianbao.checks.cross_year`), on counted copies of linked bodies.

The same object serves ``nianbao extract`` (through :class:`nianbao.pipeline.store.OutputWriter`,
which also feeds it what a resumed run had finished), ``nianbao check``, the Dask route and the
Python API::

    batch = Collection()
    for doc in run_batch(files, settings):
        batch.add(doc)
    outcome = batch.finish()
    outcome.duplicate_of, outcome.findings, outcome.links
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from nianbao.catalogue import finding
from nianbao.checks.cross_year import YearSummary, cross_year_findings
from nianbao.form.templates import TEMPLATES, Template
from nianbao.model import CellRef, DocumentResult, Finding
from nianbao.normalizers.bodies import BodyLink, BodyName, link_bodies

Key = tuple[str, str, str]  # (table, row, col)
Printed = dict[Key, float | int]

# which reading of the same report is worth most, best first: the worst source among a copy's values
SOURCE_RANK: dict[str, int] = {"text": 0, "html": 1, "docx": 2, "txt": 3, "ocr": 4}
# finding rules made here, never by a document's own stages (a resumed run drops and remakes them)
BATCH_RULES: tuple[str, ...] = ("documents.duplicate", "documents.conflict", "cross_year.")
FORM_TABLES = ("t2", "t3", "t4")


def is_batch_rule(rule: str) -> bool:
    return rule.startswith(BATCH_RULES)


def _cells_of(tpl: Template) -> int:
    if tpl.blocks:
        return sum(len(b.rows) * len(b.cols) for b in tpl.blocks)
    return len(tpl.rows) * len(tpl.cols)


def _template_cells(table: str, fmt: str | None) -> int:
    templates = TEMPLATES[table]
    tpl = next((t for t in templates if t.format == fmt), templates[0])
    return _cells_of(tpl)


def printed_values(doc: DocumentResult) -> Printed:
    return {(v.table, v.row, v.col): v.value for v in doc.values if v.value is not None}


def fingerprint(values: Printed) -> str:
    return hashlib.sha1(repr(sorted(values.items())).encode()).hexdigest()


def unread_cells(doc: DocumentResult) -> int:
    """Cells of tables 二/三/四 the filing's form has and this reading has no value for."""
    n = 0
    for table in FORM_TABLES:
        vals = [v for v in doc.values if v.table == table]
        size = _template_cells(table, doc.table_formats.get(table))
        n += max(size, len(vals)) - sum(1 for v in vals if v.value is not None)
    return n


def source_rank(doc: DocumentResult) -> int:
    ranks = [SOURCE_RANK.get(v.prov.source, len(SOURCE_RANK)) for v in doc.values if v.value is not None]
    return max(ranks, default=len(SOURCE_RANK))


def _body_key(body: str) -> str:
    return "".join(unicodedata.normalize("NFKC", body).split())


@dataclass(slots=True)
class Copy:
    """What the batch step keeps of one finished filing: a few fields, not the document."""

    doc_id: str
    body: str | None
    year: int | None
    region: str | None
    level: str | None
    unread: int
    rank: int
    fingerprint: str | None  # of tables 二/三/四 as printed; None when nothing was read
    summary: YearSummary | None

    @classmethod
    def of(cls, doc: DocumentResult, values: Printed) -> Copy:
        md = doc.metadata
        return cls(
            doc.doc_id,
            md.body,
            md.year,
            md.region,
            md.level,
            unread_cells(doc),
            source_rank(doc),
            fingerprint(values) if values else None,
            YearSummary.of(doc),
        )

    @property
    def order(self) -> tuple[int, int, str]:
        """The canonical copy of a report sorts first."""
        return (self.unread, self.rank, self.doc_id)


@dataclass(slots=True)
class Outcome:
    """What :meth:`Collection.finish` decided: by doc_id, every list sorted."""

    duplicate_of: dict[str, str] = field(default_factory=dict)
    findings: dict[str, list[Finding]] = field(default_factory=dict)
    links: list[BodyLink] = field(default_factory=list)  # one per filing with a body, sorted by doc_id
    names: list[BodyName] = field(default_factory=list)

    def findings_of(self, doc_id: str) -> list[Finding]:
        return self.findings.get(doc_id, [])


def _sort_key(f: Finding) -> tuple[str, str, str]:
    return (f.rule, f.subject or "", ";".join(c.key for c in f.cells))


class Collection:
    """The per-file results of one batch; :meth:`finish` decides what depends on more than one.

    ``values_of`` reads a filing's printed values back by doc_id (the writer reads them from the
    document's JSON, so 50,000 filings are not held in memory); without it they are kept here.
    """

    def __init__(self, values_of: Callable[[str], Printed] | None = None) -> None:
        self._copies: dict[str, Copy] = {}
        self._values_of = values_of
        self._kept: dict[str, Printed] = {}

    def __len__(self) -> int:
        return len(self._copies)

    def add(self, doc: DocumentResult) -> None:
        """A finished filing (a failed one without a doc_id takes no part)."""
        if not doc.doc_id:
            return
        values = printed_values(doc)
        self._copies[doc.doc_id] = Copy.of(doc, values)
        if self._values_of is None:
            self._kept[doc.doc_id] = values

    def _values(self, doc_id: str) -> Printed:
        return self._kept[doc_id] if self._values_of is None else self._values_of(doc_id)

    def finish(self) -> Outcome:
        out = Outcome()
        copies = [self._copies[k] for k in sorted(self._copies)]
        groups: dict[tuple[str, int], list[Copy]] = {}
        for c in copies:
            if c.body and c.year and c.fingerprint:
                groups.setdefault((_body_key(c.body), c.year), []).append(c)
        for members in groups.values():
            if len(members) < 2:
                continue
            canon, *others = sorted(members, key=lambda c: c.order)
            for other in others:
                out.duplicate_of[other.doc_id] = canon.doc_id
                out.findings.setdefault(other.doc_id, []).append(self._compare(other, canon))
        counted = [c for c in copies if c.doc_id not in out.duplicate_of]
        out.names = [BodyName(c.doc_id, c.body, c.year, c.region, c.level) for c in counted if c.body]
        links = {link.doc_id: link for link in link_bodies(out.names)}
        for c in copies:
            canon_id = out.duplicate_of.get(c.doc_id)
            if canon_id is not None and canon_id in links and c.body:
                lk = links[canon_id]
                links[c.doc_id] = BodyLink(c.doc_id, lk.body_id, lk.body, c.body, "duplicate", lk.score)
                out.names.append(BodyName(c.doc_id, c.body, c.year, c.region, c.level))
        out.links = [links[k] for k in sorted(links)]
        out.names.sort(key=lambda n: n.doc_id)
        body_of = {k: link.body_id for k, link in links.items()}
        summaries = [c.summary for c in counted if c.summary is not None]
        for doc_id, f in cross_year_findings(summaries, body_of):
            out.findings.setdefault(doc_id, []).append(f)
        for found in out.findings.values():
            found.sort(key=_sort_key)
        return out

    def _compare(self, other: Copy, canon: Copy) -> Finding:
        what = f"{other.body} {other.year}"
        if other.fingerprint == canon.fingerprint:
            return finding(
                "documents.duplicate",
                f"same report as {canon.doc_id} ({what}): tables 二/三/四 agree; counted once, as {canon.doc_id}",
                subject=canon.doc_id,
            )
        mine, theirs = self._values(other.doc_id), self._values(canon.doc_id)
        differ = sorted(k for k in mine.keys() | theirs.keys() if mine.get(k) != theirs.get(k))
        return finding(
            "documents.conflict",
            f"{what} is also {canon.doc_id}, which counts (fewer unread cells or a better source), and whose tables "
            f"differ in {len(differ)} cell(s): "
            + ", ".join(".".join(k) for k in differ[:20])
            + ("…" if len(differ) > 20 else ""),
            cells=[CellRef(t, r, c) for t, r, c in differ],
            subject=canon.doc_id,
            message_zh=f"{other.body}{other.year}年另有一份报告（{canon.doc_id}，计入统计），"
            f"表格有{len(differ)}处数据不一致",
        )
