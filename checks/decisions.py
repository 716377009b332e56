"""What a verification step decides, and the one place it is applied to the document.

The verify stage (:mod:`checks.ocr_verify`) reads cells again and judges the failed sums; it never
changes the document while it judges. Each of its steps returns :class:`Decisions` — values that
take another reading, findings added, removed, replaced by another, or amended with what the
re-reading showed — and the stage applies them with :meth:`Decisions.apply` before its next step
(which judges on the values as decided). A candidate value is evaluated on an overlay
(:func:`overlaid`): a view of the document with some values replaced, the document untouched.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from nianbao.model import DocumentResult, Finding, Value


@dataclass(frozen=True, slots=True)
class ValueChange:
    """A cell takes another reading of its ink."""

    value: Value  # the cell, as it stands in the document
    new: float | int
    raw: str
    note: str
    doubt: str | None  # nianbao.model.DOUBTS, or None: the new reading is not doubted
    confidence: float | None = None  # the new reading's score; None keeps the first's


@dataclass(slots=True)
class Decisions:
    values: list[ValueChange] = field(default_factory=list)
    added: list[Finding] = field(default_factory=list)
    removed: list[Finding] = field(default_factory=list)
    replaced: list[tuple[Finding, Finding]] = field(default_factory=list)
    # (finding, what to add to its message, to its Chinese message)
    amended: list[tuple[Finding, str, str]] = field(default_factory=list)

    def extend(self, other: Decisions) -> None:
        self.values += other.values
        self.added += other.added
        self.removed += other.removed
        self.replaced += other.replaced
        self.amended += other.amended

    def overlay(self) -> dict[int, float | int]:
        """The decided values, as an overlay for :func:`overlaid`."""
        return {id(c.value): c.new for c in self.values}

    def apply(self, doc: DocumentResult) -> None:
        """Carry the decisions out on the document (findings added first: a later decision of the
        same step may amend or replace one of them)."""
        for c in self.values:
            v = c.value
            v.value, v.prov.raw, v.note, v.prov.doubt = c.new, c.raw, c.note, c.doubt
            if c.confidence is not None:
                v.prov.confidence = c.confidence
        findings = [*doc.findings, *self.added]
        for f, en, zh in self.amended:
            f.message += en
            f.message_zh = (f.message_zh or "") + zh
        gone = {id(f) for f in self.removed}
        instead = {id(old): new for old, new in self.replaced}
        doc.findings = [instead.get(id(f), f) for f in findings if id(f) not in gone]


def overlaid(doc: DocumentResult, overlay: Mapping[int, float | int]) -> DocumentResult:
    """A view of the document with some values replaced (by the id of their Value): what the
    checks say if those cells read so. The document itself is not changed."""
    if not overlay:
        return doc
    values = [replace(v, value=overlay[id(v)]) if id(v) in overlay else v for v in doc.values]
    return replace(doc, values=values)
