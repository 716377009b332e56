"""Label normalisation and fuzzy matching against template labels (rapidfuzz)."""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from nianbao.form.templates import Label

# Numbering printed before labels: 一、 （一） (一) 1. 1． 1、 ① …; removed before matching
# because numbering styles vary between filings and carry no meaning the order does not.
_NUMBERING = re.compile(
    r"(?:[（(]\s*(?:[一二三四五六七八九十]+|\d{1,2})\s*[）)])"
    r"|(?:(?<![\d.])\d{1,2}\s*[.．、](?!\d))"
    r"|(?:^|(?<=[^\u4e00-\u9fff]))[一二三四五六七八九十]+\s*、"
    r"|[①②③④⑤⑥⑦⑧⑨⑩]"
)
_DROP = re.compile(r"[\s\u3000“”\"'‘’、，,。.:：;；·•（）()【】\[\]〔〕<>《》/／\-—_|]+")


# Cached: the readers compare the same few hundred label texts and template aliases with each
# other tens of thousands of times a report (bench_text: a fifth of the text route's time).
@lru_cache(maxsize=1 << 16)
def norm(text: str) -> str:
    """Canonical form of a label: NFKC, no numbering, punctuation or white space."""
    t = unicodedata.normalize("NFKC", text)
    t = _NUMBERING.sub("", t)
    return _DROP.sub("", t)


def strip_noise(text: str, noise: Iterable[str]) -> str:
    """The label without the template's noise words; a noise word written "^word" only where the
    label starts with it (a fragment of a group's heading, which elsewhere in a garbled label
    would make it match a row it is not)."""
    t = norm(text)
    for n in noise:
        lead = n.startswith("^")
        nn = norm(n[1:] if lead else n)
        if not nn or t == nn:
            continue
        if lead:
            t = t[len(nn) :] if t.startswith(nn) else t
        elif nn in t:
            t = t.replace(nn, "")
    return t


@dataclass(frozen=True, slots=True)
class Match:
    code: str
    score: float
    label: Label


def score(text_norm: str, label: Label) -> float:
    """Best rapidfuzz ratio of a normalised text against a label and its aliases."""
    best = 0.0
    for t in label.texts:
        best = max(best, fuzz.ratio(text_norm, norm(t)))
    return best


def best_match(text: str, labels: Sequence[Label], threshold: float, noise: Iterable[str] = ()) -> Match | None:
    """The best-scoring label, or None when nothing reaches the threshold.

    A tie between two different codes at the top is treated as no match: the
    caller reports the label instead of guessing between two rows.
    """
    t = strip_noise(text, noise)
    if not t:
        return None
    scored = sorted(((score(t, lab), i) for i, lab in enumerate(labels)), reverse=True)
    top, i = scored[0]
    if top < threshold:
        return None
    if len(scored) > 1 and scored[1][0] == top and labels[scored[1][1]].code != labels[i].code:
        return None
    return Match(labels[i].code, top, labels[i])


def contains_any(text: str, words: Iterable[str]) -> int:
    t = norm(text)
    return sum(1 for w in words if norm(w) in t)


# a block heading of table 二: 第二十条第（一）项 (the group: its number)
BLOCK_HEADING = re.compile(r"第二十条\s*第?\s*[（(]\s*([一二三四五六七八九十]+)\s*[）)]\s*项")


def is_section_heading(text: str) -> str | None:
    """The section code (t2, t3, s5 …) when a line is one of the report's section headings."""
    from nianbao.form.templates import SECTIONS

    t = norm(text)
    if not t or len(t) > 40:
        return None
    for code, heading in SECTIONS:
        h = norm(heading)
        if t.startswith(h[:8]) or (len(t) >= 6 and fuzz.ratio(t, h) >= 85):
            return code
    return None


@lru_cache(maxsize=1)
def _form_pairs() -> frozenset[str]:
    from nianbao.form.templates import SECTIONS, TEMPLATES

    texts = [h for _, h in SECTIONS] + ["政府信息公开工作年度报告"]
    for tpls in TEMPLATES.values():
        for tpl in tpls:
            labels = [*tpl.rows, *tpl.cols, *(x for b in tpl.blocks for x in (*b.rows, *b.cols))]
            texts += [t for lab in labels for t in lab.texts]
            texts += [b.heading for b in tpl.blocks] + list(tpl.noise) + list(tpl.markers)
    return frozenset(p for t in texts for p in _cjk_pairs(t))


def _cjk_pairs(text: str) -> list[str]:
    return [a + b for a, b in itertools.pairwise(text) if _cjk(a) and _cjk(b)]


def _cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def chinese_chars(text: str) -> int:
    """How many Chinese characters (CJK unified ideographs) the text holds."""
    return sum(1 for ch in text if _cjk(ch))


def form_pairs(text: str) -> int:
    """How many of the text's pairs of adjacent Chinese characters the form itself prints (its
    section headings, tables' labels and headings): how much a read reads as this form's language.
    A recogniser reads a page's glyphs sideways or upside down as Chinese too, and surely ("公这"
    0.9998, "分计形" 0.9998 for a table page on its side); it seldom reads them as the form's words."""
    pairs = _form_pairs()
    return sum(1 for p in _cjk_pairs(text) if p in pairs)


_GROUP = re.compile(r"[（(]\s*[一二三四五六七八九十]+\s*[）)]\s*[^\d（(]+")
_ITEM_NO = re.compile(r"^\s*\d+\s*[.．、]")
_TOP_NO = re.compile(r"^\s*[一二三四五六七八九十]+\s*、")


_ORDINAL = re.compile(r"^[（(][一二三四五六七八九十]+[）)]")
# how a row of the form's tables begins: 一、 （二） 3． 3. 3、
ROW_START = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+\s*、|[（(]\s*[一二三四五六七八九十]+\s*[）)]|\d{1,2}\s*[．.、])"
)


# an item's ordinal whose point OCR lost ("3补正后申请"): it starts a row all the same
_BARE_ORDINAL = re.compile(r"^\s*\d{1,2}[\u4e00-\u9fff]")


def starts_row(text: str) -> bool:
    """Whether a line begins as a row of the form's tables does (一、 （二） 3． or an ordinal
    whose point was lost), never as the wrapped rest of a label."""
    return bool(ROW_START.match(text) or _BARE_ORDINAL.match(text))


def group_only(label: str, rows: Sequence[Label]) -> bool:
    """A group's heading printed alone (不予公开, （三）不予公开: the rest of a group cell a page broke,
    or a table that prints the heading on a row of its own): the heading of items, none of the
    form's rows (fuzzy matching takes 不予公开 for 予以公开)."""
    t = _ORDINAL.sub("", norm(label))
    if not t:
        return False
    return any(t == _ORDINAL.sub("", norm(lab.label.split(" ", 1)[0])) for lab in rows if " " in lab.label)


def with_group_context(label: str, ctx: str) -> tuple[str, str]:
    """Prefix an item label (1．重复申请) with the group printed on an earlier row.

    Tables without vertical rules print a group label such as （五）不予处理 on the
    first row of its group only; later items (2．重复申请, 3．其他) need it back to
    be told apart from items of other groups with the same wording.
    """
    g = _GROUP.search(label)
    if g:
        return label, g.group(0).strip()
    if _ITEM_NO.match(label) and ctx:
        return f"{ctx} {label}", ctx
    if _TOP_NO.match(label):
        return label, ""
    return label, ctx
