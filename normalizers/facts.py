"""Counts stated in prose: 主动公开政府信息176条, 收到依申请公开信息0条, 辖区内135家企业.

Each fact keeps its number, unit, what it counts (the words before the number,
and those right after the unit), its sentence and where it was printed. A fact
whose clause names a quantity one of the format's tables also reports gets a
``topic`` (see :data:`TOPICS`), which :class:`checks.embedded.NarrativeMismatch`
compares with the table.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from nianbao.model import DocumentResult, Fact, Provenance, Source, TextLine
from nianbao.settings import Settings

UNITS = ("人次", "万元", "条", "件", "家", "个", "人", "次", "项", "份", "场", "篇", "起", "宗", "%")
_FACT = re.compile(r"(\d[\d,，]*(?:\.\d+)?)\s*(" + "|".join(UNITS) + r")")
_CLAUSE = re.compile(r"[^，,；;。！!？?：:]+")
_SENTENCE = re.compile(r"[^。！!？?；;]+[。！!？?；;]?")
_PAGE_NO = re.compile(r"^[-—–]?\s*\d{1,3}\s*[-—–]?$|^第\s*\d+\s*页")
_LEADING_DATE = re.compile(r"^.*?(?:\d{4}\s*年(?:\s*\d{1,2}\s*月)?(?:\s*\d{1,2}\s*日)?|全年|本年度?|年内)")

# (topic, words that must all be in the clause, units accepted): what a fact states
TOPICS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("applications_received", ("依申请",), ("条", "件", "个")),
    ("review_cases", ("行政复议",), ("件", "起", "宗")),
    ("litigation_cases", ("行政诉讼",), ("件", "起", "宗")),
    ("normative_in_force", ("规范性文件", "现行有效"), ("件", "个", "份")),
    ("normative_issued", ("规范性文件", "制发"), ("件", "个", "份")),
)


def topic_of(clause: str, unit: str) -> str | None:
    for topic, words, units in TOPICS:
        if unit in units and all(w in clause for w in words):
            return topic
    return None


def _stream(doc: DocumentResult) -> tuple[str, list[tuple[int, TextLine]]]:
    """All prose as one string (lines wrapped inside a sentence rejoined), with line offsets.

    Short lines without punctuation (titles, headings) end a sentence, so that a
    heading's words are never taken as what the next number counts.
    """
    text = ""
    starts: list[tuple[int, TextLine]] = []
    for ln in doc.text_lines():
        t = ln.text.strip()
        if not t or _PAGE_NO.match(t):
            continue  # page numbers cut sentences that run across pages
        if text and ((len(t) < 20 and not re.search(r"[，。；,;]", t)) or text[-1] in "。！？；：:"):
            text += "。"
        starts.append((len(text), ln))
        text += t
    return text, starts


def read_facts(doc: DocumentResult, settings: Settings) -> DocumentResult:
    text, starts = _stream(doc)
    offsets = [o for o, _ in starts]
    for sm in _SENTENCE.finditer(text):
        sentence = sm.group(0).strip()
        for cm in _CLAUSE.finditer(sm.group(0)):
            clause = cm.group(0)
            for m in _FACT.finditer(clause):
                before = clause[: m.start()].strip()
                if re.search(r"\d\s*$", before) or re.match(r"\s*[年月日号]", clause[m.end() :]):
                    continue  # part of a date, a phone number or an address
                counts = _LEADING_DATE.sub("", before).strip(" 共计达约有为是")
                after = re.match(r"[\u4e00-\u9fff]{0,6}", clause[m.end() :])
                at = sm.start() + cm.start() + m.start()
                ln = starts[max(bisect_right(offsets, at) - 1, 0)][1]
                doc.facts.append(
                    Fact(
                        number=float(m.group(1).replace(",", "").replace("，", "")),
                        unit=m.group(2),
                        counts=counts,
                        after=after.group(0) if after else "",
                        sentence=sentence,
                        prov=Provenance(
                            source=_source(doc),
                            raw=m.group(0),
                            page=ln.page,
                            bbox=ln.bbox,
                            locator=None if ln.page else f"line {int(ln.order)}",
                        ),
                        topic=topic_of(clause, m.group(2)),
                    )
                )
    return doc


_SOURCES: dict[str, Source] = {"pdf": "text", "html": "html", "docx": "docx", "txt": "txt"}


def _source(doc: DocumentResult) -> Source:
    return _SOURCES.get(doc.kind, "text")
