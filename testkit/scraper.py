"""Scraped portal articles, drawn the ways real scrapers and archives write them (issue 26).

A scraper that keeps a page's text but not its layout writes a header block (标题:, 发布时间:,
发布机构:, 原文链接:) and then the whole article on one line: each table walked row by row, every cell's
text run into the next. Real archives add what this module draws with random parameters, one stream
of draws per seed:

1. header cells broken by spaces where the page wrapped them (社会公益 组织, 法律服务 机构, 本年制发 件数),
   labels that lost or changed a character, punctuation of either width, items numbered 1． 1. 1、 （1）;
2. 2019-format tables beside 2021-format ones;
3. rows whose numbers run together where the row's own sum allows several splits (large numbers);
4. the article on one line, or one line per section (a scraper that keeps only paragraph breaks);
5. a scraper header block whose 标题 names the body (a 新区 or 综合实验区 as a whole, a 管委会,
   a short form such as 区卫健委) and whose 发布机构 names the publisher, not always the body.

Every draw returns the truth (a :class:`testkit.specs.Sample`), the text and its parameters, so a
failing draw can be replayed (``benchmarks/one_line.py --kind scraper --start SEED --n 1 -v``).
"""

from __future__ import annotations

import random

from testkit.specs import (
    SECTION_TITLES,
    T2_2019,
    T2_2021,
    T3_COLS,
    T4_BLOCKS,
    T4_MEASURES,
    Sample,
    balanced_t3,
    balanced_t4,
    t2_values,
)

# (body as the title prints it, region part used for a publisher that is not the body)
BODIES = [
    ("福州市鼓楼区温泉街道办事处", "福州市鼓楼区"),
    ("南平市建阳区人民政府", "南平市建阳区"),
    ("漳州市龙海区海澄镇人民政府", "漳州市龙海区"),
    ("福建省自然资源厅", "福建省"),
    ("平潭综合实验区", "平潭综合实验区"),
    ("福州新区", "福州市"),
    ("厦门火炬高技术产业开发区管理委员会", "厦门市"),
    ("泉州台商投资区管委会", "泉州市"),
    ("晋江市卫健局", "晋江市"),
    ("三明市沙县区发改局", "三明市沙县区"),
    ("莆田市城厢区龙桥街道", "莆田市城厢区"),
    ("龙岩市新罗区西陂街道办事处", "龙岩市新罗区"),
]
REPORT = "政府信息公开工作年度报告"

# characters a careless page (or an OCR'd source page) prints for others, both ways
SWAPS = {"政": "正", "申": "伸", "请": "清", "处": "外", "理": "里", "息": "悉", "数": "效", "量": "最", "予": "子"}
# header words of table 三 and 二 as a page that wrapped them prints them
WRAPS = {
    "社会公益组织": ("社会公益 组织", "社会 公益组织"),
    "法律服务机构": ("法律服务 机构", "法律 服务机构"),
    "法人或其他组织": ("法人或其他 组织", "法人或 其他组织"),
    "本年制发件数": ("本年制发 件数",),
    "本年废止件数": ("本年废止 件数",),
    "现行有效件数": ("现行有效 件数",),
    "本年处理决定数量": ("本年处理 决定数量",),
    "本年收费金额（单位：万元）": ("本年收费金额 （单位：万元）", "本年收费 金额（单位：万元）"),
    "上一年项目数量": ("上一年项目 数量",),
    "本年新制作数量": ("本年新制作 数量",),
    "本年新公开数量": ("本年新公开 数量",),
    "对外公开总数量": ("对外公开 总数量",),
}
NUMBERING = ["{n}．", "{n}.", "{n}、", "（{n}）", "{n}. "]


def _drift(label: str, rng: random.Random, p_lose: float, p_swap: float) -> str:
    """A label as a careless page prints it: a character lost or changed (never the first)."""
    if len(label) > 5 and rng.random() < p_lose:
        k = rng.randrange(1, len(label))
        if label[k] not in "（）()0123456789．.、":
            label = label[:k] + label[k + 1 :]
    if rng.random() < p_swap:
        at = [k for k, ch in enumerate(label) if ch in SWAPS and k > 0]
        if at:
            k = rng.choice(at)
            label = label[:k] + SWAPS[label[k]] + label[k + 1 :]
    return label


def _punct(label: str, half: bool) -> str:
    """Parentheses and quotes of the other width, as many portals print them."""
    if not half:
        return label
    return label.replace("（", "(").replace("）", ")").replace("“", '"').replace("”", '"').replace("，", ",")


def _header(word: str, rng: random.Random, wrap: float) -> str:
    if word in WRAPS and rng.random() < wrap:
        return rng.choice(WRAPS[word])
    return word


def _count(rng: random.Random, zero: float, top: int) -> int:
    """A count as filings print them: often 0, else spread over orders of magnitude up to ``top``."""
    if rng.random() < zero:
        return 0
    return min(top, int(10 ** rng.uniform(0, len(str(top)))))


def t2_as_filed(rng: random.Random, fmt: str) -> dict[tuple[str, str], float]:
    """Table 二 with the spread real filings print: 规章 nearly always 0, a few documents issued or
    repealed, tens in force, licences and penalties from none to thousands, fees often nil.
    (:func:`testkit.specs.t2_values` draws every cell from 0–60, which a fifth of the draws keep.)"""
    t: dict[tuple[str, str], float] = {}
    for _, cols, rows in T2_2021 if fmt == "2021" else T2_2019:
        for r, _ in rows:
            for c, _ in cols:
                if c == "amount":
                    t[(r, c)] = 0 if rng.random() < 0.5 else round(rng.uniform(0.01, 800), rng.choice([0, 1, 2]))
                elif c == "change":
                    t[(r, c)] = 0 if rng.random() < 0.6 else rng.randint(-12, 12)
                elif r == "regulations":
                    t[(r, c)] = _count(rng, 0.85, 5)
                elif c in ("issued", "repealed", "made", "published"):
                    t[(r, c)] = _count(rng, 0.4, 30)
                elif c in ("in_force", "published_total", "prior_items", "items"):
                    t[(r, c)] = _count(rng, 0.15, 300)
                else:
                    t[(r, c)] = _count(rng, 0.3, 5000)
    return t


def draw(seed: int) -> tuple[Sample, str, dict[str, object]]:
    """One scraped article: the truth, the text, and the parameters that made it."""
    rng = random.Random(seed)
    fmt = rng.choice(["2021", "2021", "2019"])
    body, _ = rng.choice(BODIES)
    year = rng.choice([2021, 2022, 2023]) if fmt == "2021" else rng.choice([2019, 2020])
    p: dict[str, object] = {
        "seed": seed,
        "fmt": fmt,
        "body": body,
        "scale": rng.choice([2, 4, 8, 20, 60, 200]),
        "zero_share": rng.choice([0.4, 0.6, 0.8]),
        "sep": rng.choice(["", "", " "]),  # between a row's label cells and header words (never digits)
        "wrap": rng.choice([0.0, 0.3, 0.8]),  # header words broken by a space
        "lose": rng.choice([0.0, 0.05, 0.12]),
        "swap": rng.choice([0.0, 0.05, 0.12]),
        "half": rng.random() < 0.3,  # (一) and "" rather than （一） and “”
        "numbering": rng.choice(NUMBERING),
        "note": rng.random() < 0.5,  # 勾稽 note printed in table 三's corner
        "publisher": rng.choice(["body", "office", "none"]),
        "header": rng.choice(["portal", "portal_fw", "plain"]),
        "title": rng.choice(["body_first", "year_first", "brackets"]),
        "partial_paren": rng.random() < 0.7,  # （二）部分公开 printed with its parenthesis
        # the article on one line, or a line per section (a scraper that keeps <p> breaks only)
        "lines": rng.choice(["one", "one", "sections"]),
    }
    s = Sample(name=f"scraper_{seed}", body=body, year=year, note="", fmt=fmt)
    s.t2 = t2_as_filed(rng, fmt) if rng.random() < 0.8 else t2_values(rng, fmt)
    s.t3 = balanced_t3(rng, fmt, scale=int(p["scale"]), zero_share=float(p["zero_share"]))  # type: ignore[arg-type]
    s.t4 = balanced_t4(rng, scale=rng.choice([2, 4, 12]))
    return s, _text(s, rng, p), p


def _text(s: Sample, rng: random.Random, p: dict[str, object]) -> str:
    sep = str(p["sep"])
    wrap, lose, swap, half = float(p["wrap"]), float(p["lose"]), float(p["swap"]), bool(p["half"])  # type: ignore[arg-type]

    def lab(text: str) -> str:
        return _punct(_drift(text, rng, lose, swap), half)

    out: list[str] = [
        SECTION_TITLES["s1"],
        f"{s.year}年，{s.body}认真贯彻落实政务公开工作要求，全年主动公开政府信息{rng.randint(20, 900)}条。",
    ]
    out.append(SECTION_TITLES["t2"])
    for heading, cols, items in s.t2_blocks():
        out.append(sep.join([_punct(heading, half), "信息内容", *(_header(lb, rng, wrap) for _, lb in cols)]))
        for code, label in items:
            out.append(lab(label) + sep + "".join(s.raw("t2", code, c) for c, _ in cols))
    out.append(SECTION_TITLES["t3"])
    head = ["申请人情况", "自然人", _header("法人或其他组织", rng, wrap), "总计"]
    head += [_header(w, rng, wrap) for w in ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")]
    if p["note"]:
        head.insert(0, _punct("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", half))
    out.append(sep.join(head))
    last_group = None
    for code, group, item in s.t3_rows():
        text = item
        if code == "partially_granted" and not p["partial_paren"]:
            text = "（二）部分公开"
        if code == "carried_over" or code == "new_received" or code == "carried_forward":
            text = lab(text)
        elif group:
            num, _, rest = text.partition("．")
            text = str(p["numbering"]).format(n=num) + lab(rest)
        elif code != "total_processed":
            text = lab(text)
        if group and group != last_group:
            text = _punct(group, half) + sep + text
        if code == "granted":
            text = "三、本年度办理结果" + sep + text
        last_group = group
        out.append(_punct(text, half) + sep + "".join(s.raw("t3", code, c) for c in T3_COLS))
    out.append(SECTION_TITLES["t4"])
    measures = [t for _, t in T4_MEASURES]
    out.append(sep.join(["行政复议", "行政诉讼", *measures, "未经复议直接起诉", "复议后起诉", *measures, *measures]))
    out.append("".join(s.raw("t4", b, c) for b, _ in T4_BLOCKS for c, _ in T4_MEASURES))
    out.append(SECTION_TITLES["s5"] + "一是公开内容的针对性有待加强。" + SECTION_TITLES["s6"] + "无。")
    article = sep.join(out)
    if p["lines"] == "sections":
        for code in ("t2", "t3", "t4", "s5", "s6"):
            article = article.replace(SECTION_TITLES[code], "\n" + SECTION_TITLES[code], 1)
    return "\n".join([*_head(s, rng, p), article, ""])


def _head(s: Sample, rng: random.Random, p: dict[str, object]) -> list[str]:
    title = {
        "body_first": f"{s.body}{s.year}年{REPORT}",
        "year_first": f"{s.year}年{s.body}{REPORT}",
        "brackets": f"《{s.body}{s.year}年度{REPORT}》",
    }[str(p["title"])]
    region = next(r for b, r in BODIES if b == s.body)
    publisher = {"body": s.body, "office": f"{region}人民政府办公室", "none": ""}[str(p["publisher"])]
    date = f"{s.year + 1}-01-{rng.randint(10, 31):02d}"
    link = f"http://www.example.gov.cn/zwgk/{s.year}/t{rng.randint(10000, 99999)}.html"
    if p["header"] == "plain":
        return [title, f"发布时间：{date}", f"来源：{link}", "-" * 40]
    colon = "：" if p["header"] == "portal_fw" else ": "
    lines = [f"标题{colon}{title}", f"发布时间{colon}{date}"]
    if publisher:
        lines.append(f"发布机构{colon}{publisher}")
    lines.append(f"原文链接{colon}{link}")
    return [*lines, ""]


# ------------------------------------------------------------------ samples, and what they can be read as


def unreadable(s: Sample) -> set[tuple[str, str, str]]:
    """Cells no reader can take from the text: where the readings of the digit runs that satisfy
    every sum of the form disagree. This module's own enumeration (:mod:`testkit.dumps`'s row,
    table 二 and table 四 splits, and its column sums of table 三), not the pipeline's solver."""
    from testkit.dumps import ambiguous_cells, t2_run_readings, t4_run_readings

    out: set[tuple[str, str, str]] = set()
    for _, cols, items in s.t2_blocks():
        for code, _ in items:
            readings = t2_run_readings(s, code)
            for j, (c, _) in enumerate(cols):
                if len({r[j] for r in readings}) != 1:
                    out.add(("t2", code, c))
    run4 = "".join(s.raw("t4", b, c) for b, _ in T4_BLOCKS for c, _ in T4_MEASURES)
    r4 = t4_run_readings(run4)
    cells4 = [(b, c) for b, _ in T4_BLOCKS for c, _ in T4_MEASURES]
    out |= {("t4", b, c) for j, (b, c) in enumerate(cells4) if len({r[j] for r in r4}) != 1}
    # table 三: every row's digits run together
    return out | ambiguous_cells(s, [code for code, _, _ in s.t3_rows()])


def scraper_samples() -> list[tuple[Sample, str, set[tuple[str, str, str]]]]:
    """Committed scraper samples (issue 26): the first draws from fixed seeds with the properties
    named, and the cells no reader can take (:func:`unreadable`), which the pipeline must leave
    empty and name."""
    from testkit.dumps import row_readings

    wanted = (
        (
            "scraper_portal_2021",
            96000,
            "a scraper's portal header block (标题/发布机构), the article on one line, header words broken by "
            "spaces, rows whose digits split several ways alone but one way under the column sums",
            lambda p, s: p["fmt"] == "2021" and p["header"] != "plain" and p["lines"] == "one" and float(p["wrap"]) > 0,
        ),
        (
            "scraper_sections_2019",
            97000,
            "2019 format flattened by a scraper that kept a line per section, half-width brackets and quotes",
            lambda p, s: p["fmt"] == "2019" and p["lines"] == "sections" and bool(p["half"]),
        ),
    )
    out: list[tuple[Sample, str, set[tuple[str, str, str]]]] = []
    for name, start, note, ok in wanted:
        for seed in range(start, start + 5000):
            s, text, p = draw(seed)
            if not ok(p, s):
                continue
            # a row that reads several ways on its own, so the column sums are what reads it
            alone = [
                r
                for r, _, _ in s.t3_rows()
                if len(row_readings("".join(s.raw("t3", r, c) for c in T3_COLS), len(T3_COLS))) > 1
            ]
            unread = unreadable(s)
            if not alone or any(t == "t3" for t, _, _ in unread) or len(unread) > 6:
                continue
            s.name, s.note = name, f"{note} (testkit.scraper seed {seed})"
            s.expected_findings = sorted(
                {("extract.ambiguous_digits", f"{t}.{r}" if t != "t4" else "t4") for t, r, _ in unread}
            )
            out.append((s, text, unread))
            break
    return out
