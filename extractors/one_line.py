"""Text whose layout was lost: the whole report body on one line, labels and numbers run together.

Scrapers that strip every tag and line break leave "…规章011行政规范性文件5238第二十条第（五）项…
一、本年新收政府信息公开申请数量4520000047二、上年结转…". :func:`relayout` finds the format's own
labels in that line, in the order the form prints them (fuzzy: labels drift, lose characters,
number their items 1． 1. 1、 （1）), and writes the report back as the lines a scraper's flattened
dump has — a label, a space, the digit run that followed it — so the text-dump reader
(:mod:`extractors.text_dump`) and its digit decoder (:mod:`nianbao.form.digits`, the format's
identities; a cell is filled only when every consistent reading agrees) read it like any dump.

Two things a flattened grid scrambles are put back here, from the form's structure rather than
guessed: table 三's header (row by row it reads 自然人 法人或其他组织 总计 商业企业 …; its values
are in column order 自然人, the five 法人 columns, 总计) and table 四, whose fifteen numbers come as
one run after the header words and are split here by its three groups' sums, or not at all.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz

from nianbao.form.digits import agreed, splits
from nianbao.form.templates import T2_2019, T2_2021, T3_2019, T3_2021, T3_COLS, T4_COLS, T4_ROWS, Template
from nianbao.model import UNREAD_MARK

# a body line this long with two table sections in it is a whole article on one line
MIN_LENGTH = 300
# a row's digits: one run, or numbers a space still separates
_RUN_AT = re.compile(r"[\d.,，]+(?: [\d.,，]+)*")
_DIGITS = re.compile(r"^" + _RUN_AT.pattern)
# quotation marks of any width: never part of what a label is matched on
_QUOTES = str.maketrans("", "", "“”‘’\"'「」『』")
SECTION_CORES = (
    ("s1", "总体情况"),
    ("t2", "主动公开政府信息情况"),
    ("t3", "收到和处理政府信息公开申请情况"),
    ("t4", "政府信息公开行政复议、行政诉讼情况"),
    ("s5", "存在的主要问题及改进情况"),
    ("s6", "其他需要报告的事项"),
)
_RUN_CHARS = set("0123456789.,，． ")
_ASCII_ITEM = re.compile(r"(\d)\.")
_ORDINAL = re.compile(r"[一二三四五六七八九十]+\s*[、.．]\s*$")
MAX_T4_READINGS = 50_000


@dataclass
class Relaid:
    lines: list[str]
    # (table, message, cells "row.col") for runs that could not be split into the cells they hold
    ambiguous: list[tuple[str, str, list[str]]] = field(default_factory=list)


# what one printed number of a table 二 column may look like: whole numbers without leading zeros;
# 本年增/减 may be negative; amounts may have decimals
_WHOLE = r"(?:0|[1-9]\d*)"
_NUMBER = {"change": rf"-?{_WHOLE}", "amount": rf"{_WHOLE}(?:\.\d+)?"}


def cell_splits(run: str, cols: list[str], limit: int = 64) -> list[tuple[str, ...]]:
    """Every way to cut ``run`` into one number per column, each the shape its column allows."""
    out: list[tuple[str, ...]] = []
    pats = [re.compile(_NUMBER.get(c, _WHOLE)) for c in cols]

    def rec(pos: int, k: int, acc: tuple[str, ...]) -> None:
        if len(out) > limit:
            return
        if k == len(cols):
            if pos == len(run):
                out.append(acc)
            return
        for end in range(pos + 1, len(run) + 1):
            piece = run[pos:end]
            if pats[k].fullmatch(piece):
                rec(end, k + 1, (*acc, piece))

    rec(0, 0, ())
    return out


_SPACE = re.compile(r"\s+")


def normal(text: str) -> str:
    """The line as the reader matches it: NFKC (full-width digits and brackets as ASCII), and no
    white space but a single one between two digits, where it is the only thing that separates
    two numbers. Pages wrap header words (社会公益 组织) and scrapers join cells with or without a
    space; neither is part of a label."""
    t = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    return _SPACE.sub(lambda m: " " if _between_digits(t, m.start(), m.end()) else "", t)


def _between_digits(t: str, s: int, e: int) -> bool:
    return s > 0 and e < len(t) and t[s - 1].isdigit() and t[e].isdigit()


@lru_cache(maxsize=4096)
def _norm_label(label: str) -> str:
    return normal(label)


def _find(text: str, label: str, start: int, span: int, cutoff: float) -> tuple[int, int] | None:
    """The first place ``label`` is printed in text[start:start+span], as absolute (start, end).

    Exactly if it is there; else the earliest fuzzy match at ``cutoff`` or better (rapidfuzz returns
    the best-scoring one, which may be a later, equally good one: the window is shrunk to find the
    first). Labels must be found in order, so the earliest is the one that follows the last row.
    """
    window = text[start : start + span]
    if not window:
        return None
    label = _norm_label(label)
    k = window.find(label)
    if k >= 0:
        return start + k, start + k + len(label)
    r = fuzz.partial_ratio_alignment(label, window, score_cutoff=cutoff)
    if r is None:
        return None
    while r.dest_end - 1 > 0:
        earlier = fuzz.partial_ratio_alignment(label, window[: r.dest_end - 1], score_cutoff=cutoff)
        if earlier is None or earlier.dest_start >= r.dest_start:
            break
        r = earlier
    s, e = r.dest_start, r.dest_end
    # a printed label that lost a character aligns one character into the digits beside it; a
    # label of the form never starts or ends with a digit, so those digits belong to the runs
    while e > s and window[e - 1] in _RUN_CHARS and label[-1:] not in _RUN_CHARS:
        e -= 1
    while s < e and window[s] in _RUN_CHARS and label[:1] not in _RUN_CHARS:
        s += 1
    return start + s, start + e


def is_one_line(line: str) -> bool:
    if len(line) < MIN_LENGTH:
        return False
    line = normal(line)
    found = sum(1 for _, core in SECTION_CORES[1:4] if _find(line, core, 0, len(line), 90) is not None)
    return found >= 2


# a row of table 三 flattened: a label's last character, then its seven numbers run together
_FLAT_ROW = re.compile(r"[\u4e00-\u9fff)）]\d{7,}")


def is_flattened(line: str) -> bool:
    """A line holding table 三 flattened (six or more labels each followed by a run of seven or
    more digits), whatever else it holds."""
    return len(line) >= 100 and len(_FLAT_ROW.findall(normal(line))) >= 6


def _sections(line: str) -> dict[str, tuple[int, int]]:
    """code -> (start of its heading, end of its heading), in order; a heading's ordinal included."""
    out: dict[str, tuple[int, int]] = {}
    pos = 0
    for code, core in SECTION_CORES:
        hit = _find(line, core, pos, len(line) - pos, 88)
        if hit is None:
            continue
        s, e = hit
        m = _ORDINAL.search(line[max(0, s - 4) : s])
        if m:
            s = max(0, s - 4) + m.start()
        out[code] = (s, e)
        pos = e
    return out


def _leading_run(text: str) -> str:
    m = _DIGITS.match(text.strip())
    return m.group().rstrip(".．,，") if m else ""


def _core(label: str) -> str:
    """A row label without its group and item number: what to look for in the line."""
    text = label.split(" ", 1)[1] if " " in label and label.startswith("（") else label
    text = re.sub(r"^\d{1,2}\s*[.．、]\s*", "", text)
    return text


def _item_number(label: str) -> int | None:
    m = re.search(r"(?:^|\s)(\d{1,2})\s*[.．]", label)
    return int(m.group(1)) if m else None


def _rows(text: str, tpl: Template, start: int, end: int) -> list[tuple[str, str]]:
    """(label, run) for each row of ``tpl`` found in text[start:end], in order."""
    rows: list[tuple[str, str, int, int]] = []  # label, the next row's item number, (start, end) in text
    pos = start
    for k, lab in enumerate(tpl.rows):
        hit = None
        # the label as the form prints it, else a shorter form (（二）部分公开 without its parenthesis)
        for text_form in lab.texts:
            core = _core(text_form)
            cutoff = 90 if len(core) <= 4 else 82
            hit = _find(text, core, pos, len(core) + 140, cutoff)
            if hit is not None and hit[1] <= end:
                break
            hit = None
        if hit is None and rows:
            nxt = tpl.rows[k + 1].texts if k + 1 < len(tpl.rows) else ()
            hit = _next_to_last(text, pos, end, lab.texts, nxt, tpl.noise)
        if hit is None:
            continue
        # a label whose last character changed ends one or two characters short of its digits
        gap = re.match(r"[^\d()]{1,2}(?=\d)", text[hit[1] : hit[1] + 3])
        if gap:
            hit = (hit[0], hit[1] + gap.end())
        following = tpl.rows[k + 1].label if k + 1 < len(tpl.rows) else ""
        rows.append((lab.label, str(_item_number(following) or ""), hit[0], hit[1]))
        digits = _RUN_AT.match(text, hit[1])
        # the next label is looked for from the last digits of this row (they may be its number)
        pos = max(hit[1], digits.end() - 2) if digits else hit[1]
    out: list[tuple[str, str]] = []
    for k, (label, _, _, e) in enumerate(rows):
        nxt_start = rows[k + 1][2] if k + 1 < len(rows) else end
        between = text[e:nxt_start]
        run = _leading_run(between)
        nxt_no = rows[k][1]
        # the next item's number printed right after the digits ("…00033．危及" for …0003, 3．危及)
        after = between.strip()[len(run) :][:1]
        if run and nxt_no and run.endswith(nxt_no) and len(run) > len(nxt_no) and after in ("", ".", "、"):
            run = run[: -len(nxt_no)].rstrip()
        out.append((label, run))
    return out


def _next_to_last(
    text: str, pos: int, end: int, forms: Sequence[str], following: Sequence[str], noise: Sequence[str] = ()
) -> tuple[int, int] | None:
    """A label printed right after the last row's digits that lost or changed a character too many
    for the search at large (重复伸请 for 重复申请, （二）部分公 for （二）部分公开): what stands there is
    taken for it when it is nearer to one of the label's forms than to any form of the label after
    it, so a row the page left out never takes its neighbour's place. A heading printed between the
    two rows (三、本年度办理结果, the template's noise) is passed over."""
    cores = [_norm_label(_core(f)) for f in forms]
    lead = re.match(r"[\d.,、 ]*", text[pos:end])
    skip = lead.end() if lead else 0
    for n in (_norm_label(w) for w in noise):
        if n and text.startswith(n, pos + skip):
            skip += len(n)
    window = text[pos : min(end, pos + skip + max(map(len, cores), default=0) + 10)]
    m = re.search(r"[^\d.,、()（） ]", window[skip:])
    if m is None:
        return None
    start = skip + m.start()
    if start > 0 and window[start - 1] == "(":
        start -= 1  # a group's ordinal ("(一)子以公"): part of the label as its form prints it
    seg = re.split(r"\d", window[start:], maxsplit=1)[0]
    if not seg:
        return None
    near = max(fuzz.ratio(c, seg) for c in cores)
    if near < 60 or any(fuzz.ratio(_norm_label(_core(f)), seg) >= near for f in following):
        return None
    return pos + start, pos + start + len(seg)


def _t2(text: str, start: int, end: int, ambiguous: list[tuple[str, str, list[str]]]) -> list[str]:
    best: list[str] = []
    best_found = -1
    best_amb: list[tuple[str, str, list[str]]] = []
    for tpl in (T2_2021, T2_2019):
        lines: list[str] = []
        amb: list[tuple[str, str, list[str]]] = []
        found = 0
        pos = start
        for blk in tpl.blocks:
            hit = _find(text, blk.heading, pos, end - pos, 85)
            if hit is None:
                continue
            pos = hit[1]
            # the header words are passed over; the columns are the block's, whatever a page's
            # wrapping or a lost character did to their printed words
            for c in blk.cols:
                ch = _find(text, c.label, pos, len(c.label) + 30, 80)
                if ch is not None:
                    pos = ch[1]
            cols = list(blk.cols)
            lines.append(blk.heading)
            lines.append(" ".join(["信息内容", *(c.label for c in cols)]))
            for k, r in enumerate(blk.rows):
                rh = None
                for t in r.texts:
                    rh = _find(text, t, pos, len(t) + 60, 80 if len(t) >= 5 else 95)
                    if rh is not None:
                        break
                if rh is None:
                    following = blk.rows[k + 1].texts if k + 1 < len(blk.rows) else ()
                    rh = _next_to_last(text, pos, end, r.texts, following)
                cells = [f"{r.code}.{c.code}" for c in cols]
                if rh is None:
                    amb.append(
                        ("t2", f"table 二 {blk.heading} {r.label}: the row was not found in the one-line text", cells)
                    )
                    continue
                found += 1
                nxt = re.search(r"[^\d.,，\s\-]", text[rh[1] : end])
                run_end = rh[1] + (nxt.start() if nxt else end - rh[1])
                printed = text[rh[1] : run_end].strip()
                pos = run_end
                # numbers a space still separates are read as printed; digits run together are split
                parts = printed.split()
                readings = (
                    [tuple(parts)]
                    if len(parts) == len(cols)
                    else cell_splits("".join(parts), [c.code for c in cols])
                    if parts
                    else []
                )
                same = agreed(readings)
                if len(same) == len(cols):
                    lines.append(" ".join([r.label, *readings[0]]))
                    continue
                # the row keeps its place; what could not be split is marked unread
                lines.append(" ".join([r.label, *(same.get(j, UNREAD_MARK) for j in range(len(cols)))]))
                # the cells the splits disagree on stay empty and are named here, never shifted
                shown = "; ".join(" ".join(x) for x in readings[:6]) + ("…" if len(readings) > 6 else "")
                amb.append(
                    (
                        "t2",
                        f"table 二 {r.label}: the digits '{printed}' split {len(readings)} ways into "
                        f"{len(cols)} columns ({shown or 'none fits'}); "
                        + ("not read" if not same else "only the columns every split agrees on read"),
                        [cell for j, cell in enumerate(cells) if j not in same],
                    )
                )
        if found > best_found:
            best, best_found, best_amb = lines, found, amb
    ambiguous.extend(best_amb)
    return best


def _t3(text: str, start: int, end: int) -> list[str]:
    head = ["申请人情况", " ".join(c.label for c in T3_COLS)]
    best: list[tuple[str, str]] = []
    best_found = -1
    for tpl in (T3_2021, T3_2019):
        rows = _rows(text, tpl, start, end)
        # rows found with digits after them: a 2021 label found inside a 2019 one ("其他" in
        # "（六）其他处理") has none, so the format the filing prints wins
        found = sum(1 for _, run in rows if run)
        if found > best_found:
            best, best_found = rows, found
    # items numbered as the form prints them (1．): an ASCII "1." beside digits reads as a number
    return head + [(_ASCII_ITEM.sub(r"\1．", label) + " " + run).rstrip() for label, run in best]


def t4_readings(run: str) -> list[tuple[int, ...]]:
    """Every split of table 四's run into its 15 numbers whose three groups each end with their sum."""
    out: list[tuple[int, ...]] = []
    width = len(T4_COLS)

    def rec(pos: int, acc: tuple[int, ...]) -> None:
        if len(out) > MAX_T4_READINGS:
            return
        if len(acc) == width * len(T4_ROWS):
            if pos == len(run):
                out.append(acc)
            return
        rest = run[pos:]
        groups_left = len(T4_ROWS) - len(acc) // width
        # each group takes at least its 5 digits; try every prefix that leaves room for the rest
        for cut in range(width, len(rest) - width * (groups_left - 1) + 1):
            for parts in splits(rest[:cut], width, last_is_sum=True) or []:
                rec(pos + cut, acc + parts)

    rec(0, ())
    return out


def _t4(text: str, start: int, end: int, ambiguous: list[tuple[str, str, list[str]]]) -> list[str]:
    measures = " ".join(c.label for c in T4_COLS)
    head = ["行政复议 行政诉讼", "未经复议直接起诉 复议后起诉", " ".join([measures] * len(T4_ROWS))]
    # the numbers follow the last header word
    pos = start
    last = None
    while True:
        hit = _find(text, T4_COLS[-1].label, pos, end - pos, 100)
        if hit is None:
            break
        last, pos = hit, hit[1]
    if last is None:
        return head
    run = _leading_run(text[last[1] : end]).replace(" ", "")
    readings = t4_readings(run) if run else []
    width = len(T4_COLS) * len(T4_ROWS)
    same = agreed(readings) if len(readings) <= MAX_T4_READINGS else {}
    cells = [f"{r.code}.{c.code}" for r in T4_ROWS for c in T4_COLS]
    if len(same) == width:
        return [*head, " ".join(str(v) for v in readings[0])]
    if run:
        shown = "; ".join(" ".join(map(str, r)) for r in readings[:5]) + ("…" if len(readings) > 5 else "")
        ambiguous.append(
            (
                "t4",
                f"table 四's run '{run}' splits {len(readings)} ways into its 15 numbers: {shown or 'none fits'}"
                + ("; only the cells every split agrees on read" if same else ""),
                [cell for j, cell in enumerate(cells) if j not in same],
            )
        )
        return [*head, " ".join(str(same[j]) if j in same else UNREAD_MARK for j in range(width))]
    return head


def relayout(line: str) -> Relaid:
    """The one-line article as the lines of a flattened dump (see the module's doc)."""
    line = normal(line)
    sec = _sections(line)
    codes = list(sec)
    bounds = {c: (sec[c][0], sec[codes[k + 1]][0] if k + 1 < len(codes) else len(line)) for k, c in enumerate(codes)}
    lines: list[str] = []
    ambiguous: list[tuple[str, str, list[str]]] = []
    first = sec[codes[0]][0] if codes else len(line)
    if line[:first].strip():
        lines.append(line[:first].strip())
    for code in codes:
        s, e = bounds[code]
        head_end = sec[code][1]
        lines.append(line[s:head_end].strip())
        if code == "t2":
            lines += _t2(line, head_end, e, ambiguous)
        elif code == "t3":
            lines += _t3(line, head_end, e)
        elif code == "t4":
            lines += _t4(line, head_end, e, ambiguous)
        elif line[head_end:e].strip():
            lines.append(line[head_end:e].strip())
        lines.append("")
    return Relaid(lines, ambiguous)
