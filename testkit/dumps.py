"""Text dumps of the samples, as converters (tab-separated) and scrapers (flattened) write them.

Pure string building from :mod:`testkit.specs` data; no font needed. The
uniqueness of every run-together row is checked here, with this module's own
enumeration, before a golden file claims the row can be read.
"""

from __future__ import annotations

import random

from testkit.specs import (
    SECTION_TITLES,
    T2_2019,
    T2_2021,
    T3_COLS,
    T3_IN,
    T3_OUT,
    T3_PARTS,
    T3_TOTAL,
    T4_BLOCKS,
    T4_MEASURES,
    Sample,
    balanced_t3,
)


def _intro(s: Sample) -> list[str]:
    return [
        s.title,
        "",
        f"本报告根据《中华人民共和国政府信息公开条例》要求编制。本报告中所列数据的统计期限自{s.year}年1月1日起至{s.year}年12月31日止。",
        "",
        "一、总体情况",
        "",
        f"{s.year}年，{s.body}认真贯彻落实政务公开工作要求，持续推进政府信息公开工作。",
        "",
    ]


def _outro() -> list[str]:
    return [
        "",
        "五、存在的主要问题及改进情况",
        "",
        "一是公开内容的针对性有待加强。",
        "",
        "六、其他需要报告的事项",
        "",
        "无。",
        "",
    ]


def _t2_lines(s: Sample, sep: str) -> list[str]:
    out = [SECTION_TITLES["t2"], ""]
    for heading, cols, items in s.t2_blocks():
        out.append(heading + (sep * len(cols) if sep == "\t" else ""))
        out.append(sep.join(["信息内容", *[label for _, label in cols]]))
        for code, label in items:
            out.append(sep.join([label, *[s.raw("t2", code, c) for c, _ in cols]]))
    return [*out, ""]


def _t4_lines(s: Sample, sep: str) -> list[str]:
    m = [t for _, t in T4_MEASURES]
    vals = [s.raw("t4", b, c) for b, _ in T4_BLOCKS for c, _ in T4_MEASURES]
    if sep == "\t":
        return [
            SECTION_TITLES["t4"],
            "",
            "\t".join(["行政复议", "", "", "", "", "行政诉讼"] + [""] * 9),
            "\t".join([*m, "未经复议直接起诉", "", "", "", "", "复议后起诉", "", "", "", ""]),
            "\t".join([""] * 5 + m + m),
            "\t".join(vals),
            "",
        ]
    return [
        SECTION_TITLES["t4"],
        "",
        "行政复议 行政诉讼",
        "未经复议直接起诉 复议后起诉",
        " ".join(m * 3),
        " ".join(vals),
        "",
    ]


def tab_dump(s: Sample) -> str:
    """A converter's dump: tab-separated rows, a label broken over two lines, a page break."""
    lines = _intro(s) + _t2_lines(s, "\t")
    lines += [SECTION_TITLES["t3"], ""]
    lines.append(
        "\t".join(["", "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况"] + [""] * 6)
    )
    lines.append("\t".join(["", "", "自然人", "法人或其他组织", "", "", "", "", "总计"]))
    lines.append("\t".join(["", "", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", ""]))
    for i, (code, group, item) in enumerate(s.t3_rows()):
        label = item if not group else f"{group} {item}"
        vals = [s.raw("t3", code, c) for c in T3_COLS]
        if code == "carried_over":
            # a label broken across lines, as converters break long cells
            lines.append(label[:8])
            label = label[8:]
        lines.append("\t".join(["", label, *vals]))
        if i == 11:
            lines += ["", "- 2 -", ""]  # the page break inside the table
    lines.append("")
    return "\n".join(lines + _t4_lines(s, "\t") + _outro())


def flat_dump(s: Sample, run_rows: set[str]) -> str:
    """A scraper's dump: rows as label + numbers; the rows in ``run_rows`` lose their spaces."""
    lines = _intro(s) + _t2_lines(s, " ")
    lines += [
        SECTION_TITLES["t3"],
        "",
        "申请人情况",
        " ".join(["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]),
    ]
    for code, group, item in s.t3_rows():
        label = item if not group else f"{group} {item}"
        vals = [s.raw("t3", code, c) for c in T3_COLS]
        lines.append(f"{label} {''.join(vals) if code in run_rows else ' '.join(vals)}")
    lines.append("")
    return "\n".join(lines + _t4_lines(s, " ") + _outro())


SEED_LOST_COL = "other_org"  # the seed's dump lost the 其他 column of table 三
SEED_SHORT_GROUPS = ("（四）无法提供", "（五）不予处理", "（六）其他处理")  # these rows lost their 总计


def seed_dump(s: Sample) -> str:
    """The reference seed's shape (a PDF dumped to text, ../shared/seeds/): a title broken by spaces,
    table 三 with each block's items merged into one cell ("1. … 2. …") and their values as
    space-separated runs ("0 0 0"), the 其他 column lost, and the blocks （四）–（六） printing no 总计."""
    cols = [c for c in T3_COLS if c != SEED_LOST_COL]
    lines = [f"{s.body} {s.year} 年政府信息 公开工作年度报告", "", *_intro(s)[2:], *_t2_lines(s, "\t")]
    lines += [SECTION_TITLES["t3"], ""]
    lines.append(
        "\t".join(["", "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况"] + [""] * 6)
    )
    lines.append("\t".join(["", "", "自然人", "法人或其他组织", "", "", "", "总计", ""]))
    lines.append(
        "\t".join(["三、本年度办理结果", "", "", "商业企业", "科研机构", "社会公益组织", "法律服务 机构", "", ""])
    )
    rows = s.t3_rows()
    i = 0
    while i < len(rows):
        code, group, item = rows[i]
        if group:  # a block: its items in one cell, each column's values as one space-separated run
            block = [r for r in rows[i:] if r[1] == group]
            keep = [c for c in cols if not (group in SEED_SHORT_GROUPS and c == "total")]
            items = " ".join(label.replace("．", ". ", 1) for _, _, label in block)
            runs = [" ".join(s.raw("t3", r, c) for r, _, _ in block) for c in keep]
            lines.append("\t".join(["", group.replace("（", "(").replace("）", ") "), items, *runs, ""]))
            i += len(block)
            continue
        vals = [s.raw("t3", code, c) for c in cols]
        if code == "total_processed":
            lines.append("\t".join(["(七) 总计", "", *vals, ""]))
        elif group is None and code == "carried_forward":
            lines.append("\t".join([item, "", *vals, ""]))
        else:
            lines.append("\t".join(["", item.replace("（", "(").replace("）", ") "), *vals, ""]))
        i += 1
    lines.append("")
    return "\n".join(lines + _t4_lines(s, "\t") + _outro())


def seed_unread(s: Sample) -> set[tuple[str, str]]:
    """(row, col) of table 三 that the seed's shape does not print: left empty, with findings."""
    out = {(r, SEED_LOST_COL) for r, _, _ in s.t3_rows()}
    out |= {(r, "total") for r, g, _ in s.t3_rows() if g in SEED_SHORT_GROUPS}
    return out


# ------------------------------------------------------------------ the whole article on one line

# numbering styles of table 三's items as filings print them
NUMBERING = ("{n}．", "{n}.", "{n}、", "（{n}）", "{n}. ")


def _drift(label: str, rng: random.Random, p: float) -> str:
    """A label as a careless page prints it: now and then a character lost (never the first)."""
    if len(label) > 5 and rng.random() < p:
        k = rng.randrange(1, len(label))
        if label[k] not in "（）()0123456789．.、":
            label = label[:k] + label[k + 1 :]
    return label


def one_line_dump(
    s: Sample, rng: random.Random, *, drift: float = 0.0, numbering: str = "{n}．", review_typo: bool = False
) -> str:
    """A scraper's text with the whole report body on ONE line: metadata lines (title, date, source,
    a separator), then every heading, label and number run together with no separator at all.

    Tables are flattened the way a scraper walks the HTML grid, row by row: table 三's header
    comes out as 申请人情况 自然人 法人或其他组织 总计 商业企业 …, table 四's as its three header rows
    and then the 15 numbers. ``drift``: the chance a label loses a character; ``numbering``: how items
    are numbered; ``review_typo``: 行政复议 printed 行政法复议.
    """
    out: list[str] = [SECTION_TITLES["s1"], f"{s.year}年，{s.body}认真贯彻落实政务公开工作要求。"]
    out.append(SECTION_TITLES["t2"])
    for heading, cols, items in s.t2_blocks():
        out.append(heading + "信息内容" + "".join(label for _, label in cols))
        for code, label in items:
            out.append(_drift(label, rng, drift) + "".join(s.raw("t2", code, c) for c, _ in cols))
    out.append(SECTION_TITLES["t3"])
    out.append("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）申请人情况")
    out.append("自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他")
    last_group = None
    for code, group, item in s.t3_rows():
        if group and group != last_group:
            out.append(group)
        last_group = group
        label = item
        if group:  # an item: its number in this filing's style
            num, _, text = item.partition("．")
            label = numbering.format(n=num) + _drift(text, rng, drift)
        else:
            label = _drift(item, rng, drift)
        if code == "total_processed":
            label = item
        out.append(label + "".join(s.raw("t3", code, c) for c in T3_COLS))
    out.append(SECTION_TITLES["t4"])
    review = "行政法复议" if review_typo else "行政复议"
    measures = "".join(t for _, t in T4_MEASURES)
    out.append(f"{review}行政诉讼{measures}未经复议直接起诉复议后起诉{measures}{measures}")
    out.append("".join(s.raw("t4", b, c) for b, _ in T4_BLOCKS for c, _ in T4_MEASURES))
    out.append(SECTION_TITLES["s5"] + "一是公开内容的针对性有待加强。" + SECTION_TITLES["s6"] + "无。")
    head = [
        s.title,
        f"发布时间：{s.year + 1}-01-20",
        f"来源：http://www.example.gov.cn/zwgk/{s.year}/nb.html",
        "------------------------------------------------------------",
    ]
    return "\n".join([*head, "".join(out), ""])


# ------------------------------------------------------------------ this module's own uniqueness check


def row_readings(run: str, n: int) -> list[tuple[int, ...]]:
    """Splits of ``run`` into n numbers (no leading zeros) whose first n-1 add up to the last."""
    out: list[tuple[int, ...]] = []
    stack: list[tuple[int, tuple[int, ...]]] = [(0, ())]
    while stack:
        pos, parts = stack.pop()
        if len(parts) == n - 1:
            if run[pos:] == str(sum(parts)):
                out.append((*parts, sum(parts)))
            continue
        if pos >= len(run):
            continue
        ends = [pos + 1] if run[pos] == "0" else range(pos + 1, len(run))
        for end in ends:
            stack.append((end, (*parts, int(run[pos:end]))))
    return sorted(out)


def unique_rows(s: Sample) -> bool:
    for code, _, _ in s.t3_rows():
        run = "".join(s.raw("t3", code, c) for c in T3_COLS)
        if len(row_readings(run, len(T3_COLS))) != 1:
            return False
    return True


def decodable(s: Sample, rng: random.Random, scale: int) -> Sample:
    """Redraw table 三 until every row, printed run-together, reads one way only."""
    while not unique_rows(s):
        s.t3 = balanced_t3(rng, s.fmt, scale=scale, zero_share=0.5)
    return s


def _carry_from(first: Sample, second: Sample) -> dict[tuple[str, str], int]:
    """Second year's table 三 whose 上年结转 is the first year's 结转下年度, but one more for natural persons.

    So cross_year.carry_over fires for natural_person and for the total column, nowhere else.
    """
    t = dict(second.t3)
    for c in T3_PARTS:
        carried = first.t3[("carried_forward", c)] + (1 if c == "natural_person" else 0)
        t[("carried_over", c)] = carried
        t[("new_received", c)] = t[("total_processed", c)] + t[("carried_forward", c)] - carried
        if t[("new_received", c)] < 0:  # keep the year balanced with non-negative counts
            t[("carried_forward", c)] -= t[("new_received", c)]
            t[("new_received", c)] = 0
    for code in ("carried_over", "new_received", "carried_forward"):
        t[(code, "total")] = sum(t[(code, c)] for c in T3_PARTS)
    return t


def ambiguous_cells(s: Sample, run_rows: list[str]) -> set[tuple[str, str, str]]:
    """The cells of the run-together rows on which their readings that keep every sum of table 三
    true disagree (this module's own enumeration; the other rows are printed one value a cell)."""
    from itertools import product

    rows = [code for code, _, _ in s.t3_rows()]
    fixed = {r: tuple(int(s.value("t3", r, c)) for c in T3_COLS) for r in rows}
    pools = {r: row_readings("".join(s.raw("t3", r, c) for c in T3_COLS), len(T3_COLS)) for r in run_rows}
    results = [r for r in rows if r not in (*T3_IN, *T3_OUT, T3_TOTAL)]
    seen: dict[str, set[tuple[int, ...]]] = {r: set() for r in run_rows}
    for combo in product(*(pools[r] for r in run_rows)):
        v = fixed | dict(zip(run_rows, combo, strict=True))
        if all(
            sum(v[r][j] for r in T3_IN) == v[T3_TOTAL][j] + sum(v[r][j] for r in T3_OUT)
            and sum(v[r][j] for r in results) == v[T3_TOTAL][j]
            for j in range(len(T3_COLS))
        ):
            for r in run_rows:
                seen[r].add(v[r])
    return {("t3", r, c) for r in run_rows for j, c in enumerate(T3_COLS) if len({x[j] for x in seen[r]}) != 1}


def plant_ambiguity(s: Sample) -> list[str]:
    """Make 本年新收, 予以公开 and 总计 read two ways that satisfy every sum of the format.

    Their natural_person / commercial values are 1 / 11 (run "111…"); reading 11 / 1
    instead keeps every row, column and balance sum true, as long as no other row
    has anything in those two columns.
    """
    rows = ["new_received", "granted", "total_processed"]
    for code, _, _ in s.t3_rows():
        for c in ("natural_person", "commercial"):
            s.t3[(code, c)] = 0
    for code in rows:
        s.t3[(code, "natural_person")] = 1
        s.t3[(code, "commercial")] = 11
    # keep the other sums true: 总计 column and the balance of the other columns
    for code, _, _ in s.t3_rows():
        s.t3[(code, "total")] = sum(s.t3[(code, c)] for c in T3_PARTS)
    results = [r for r, g, _ in s.t3_rows() if g is not None and r != "total_processed"]
    for c in T3_COLS:
        s.t3[("total_processed", c)] = sum(s.t3[(r, c)] for r in results)
        s.t3[("new_received", c)] = (
            s.t3[("total_processed", c)] + s.t3[("carried_forward", c)] - s.t3[("carried_over", c)]
        )
    return rows


def dump_samples() -> list[tuple[Sample, str, set[tuple[str, str, str]]]]:
    """(sample, text of the dump, cells (table, row, col) that must stay unread) for every text-dump sample."""
    from testkit.specs import balanced_t4, t2_values

    rng = random.Random(5150)
    out: list[tuple[Sample, str, set[tuple[str, str, str]]]] = []

    def mk(name: str, body: str, year: int, note: str, scale: int = 6) -> Sample:
        s = Sample(name=name, body=body, year=year, note=note)
        s.t2 = t2_values(rng, "2021")
        s.t3 = balanced_t3(rng, "2021", scale=scale)
        s.t4 = balanced_t4(rng)
        return s

    s = mk(
        "dump_tabs",
        "厦门市思明区鹭江街道办事处",
        2022,
        "a converter's tab-separated dump: a label broken over two lines, table 三 interrupted by a page number",
    )
    s.level = "township"
    out.append((s, tab_dump(s), set()))
    all_rows = {code for code, _, _ in s.t3_rows()}
    s = decodable(
        mk(
            "flat_runs_small",
            "莆田市城厢区龙桥街道办事处",
            2022,
            "a scraper's dump: every row of table 三 printed with its digits run together",
        ),
        rng,
        6,
    )
    s.level = "township"
    out.append((s, flat_dump(s, all_rows), set()))
    s = decodable(
        mk(
            "flat_runs_large", "福建省生态环境厅", 2023, "run-together rows with two- and three-digit counts", scale=150
        ),
        rng,
        150,
    )
    s.level = "department"
    out.append((s, flat_dump(s, all_rows), set()))
    # two consecutive years of one body (batch rules): 2022 carries over what 2021 did not carry forward
    first = mk("crossyear_2021", "三明市明溪县城关乡人民政府", 2021, "cross-year pair, first year (tab dump)")
    second = mk(
        "crossyear_2022",
        "三明市明溪县城关乡人民政府",
        2022,
        "cross-year pair, second year: 上年结转 differs from 2021's 结转下年度 for natural persons; "
        "现行有效 of 规范性文件 does not follow 制发 − 废止",
    )
    first.level = second.level = "township"
    second.t3 = _carry_from(first, second)
    nd = ("normative_documents", "in_force")
    second.t2[nd] = (
        first.t2[nd] + second.t2[("normative_documents", "issued")] - second.t2[("normative_documents", "repealed")] + 4
    )
    second.t2[("regulations", "in_force")] = (
        first.t2[("regulations", "in_force")]
        + second.t2[("regulations", "issued")]
        - second.t2[("regulations", "repealed")]
    )
    out.append((first, tab_dump(first), set()))
    out.append((second, tab_dump(second), set()))
    s = mk(
        "flat_ambiguous",
        "宁德市福安市城阳镇人民政府",
        2022,
        "three run-together rows that read two ways, both satisfying every sum of the format",
    )
    s.level = "township"
    rows = plant_ambiguity(s)
    s.expected_findings = [("extract.ambiguous_digits", f"t3.{r}") for r in rows]
    out.append((s, flat_dump(s, set(rows)), ambiguous_cells(s, rows)))
    # the README's first example: a dump in the shape of the reference seed (../shared/seeds/)
    s = mk(
        "seed_shape_2022",
        "泉州市南安市官桥镇人民政府",
        2022,
        "a PDF dumped to text in the reference seed's shape: merged item cells with space-separated runs, "
        "the 其他 column of table 三 lost, blocks （四）–（六） without 总计",
    )
    s.level = "township"
    unread = seed_unread(s)
    s.expected_findings = [("extract.missing_column", f"t3.{SEED_LOST_COL}")] + [
        ("extract.missing_cell", f"t3.{r}")
        for r, c in sorted(unread, key=lambda rc: [x for x, _, _ in s.t3_rows()].index(rc[0]))
        if c == "total"
    ]
    out.append((s, seed_dump(s), {("t3", r, c) for r, c in unread}))
    out += one_line_samples()
    return out


def one_line_samples() -> list[tuple[Sample, str, set[tuple[str, str, str]]]]:
    """The whole article on one line (scrapers): both formats, and drifted labels with a one-row （六）.

    Their own random stream, so that they are made without drawing the other dump samples first.
    """
    from testkit.specs import balanced_t4

    rng = random.Random(2024)
    out: list[tuple[Sample, str, set[tuple[str, str, str]]]] = []
    for name, body, year, fmt, kw, note in (
        (
            "oneline_2021",
            "漳州市龙海区石码街道办事处",
            2022,
            "2021",
            {},
            "a scraper's text: the whole report on one line",
        ),
        (
            "oneline_2019",
            "南平市建瓯市东峰镇人民政府",
            2020,
            "2019",
            {"numbering": "{n}."},
            "the whole report on one line, 2019 format, items numbered 1.",
        ),
        (
            "oneline_drift",
            "三明市沙县区凤岗街道办事处",
            2021,
            "2019",
            {"numbering": "（{n}）", "drift": 0.25, "review_typo": True},
            "the whole report on one line: labels losing characters, items numbered （1）, 行政法复议, "
            "（六）其他处理 printed as one row",
        ),
    ):
        s = Sample(name=name, body=body, year=year, note=note, fmt=fmt)
        s.level = "township"
        s.t2 = one_line_t2(rng, fmt)
        # small counts, as townships print them: every row's run then reads one way often enough
        s.t3 = balanced_t3(rng, fmt, scale=3)
        s = decodable(s, rng, 3)
        s.t4 = balanced_t4(rng)
        while len(t4_run_readings("".join(s.raw("t4", b, c) for b, _ in T4_BLOCKS for c, _ in T4_MEASURES))) != 1:
            s.t4 = balanced_t4(rng)
        assert all(len(t2_run_readings(s, code)) == 1 for _, _, items in s.t2_blocks() for code, _ in items)
        out.append((s, one_line_dump(s, random.Random(year), **kw), set()))  # type: ignore[arg-type]
    return out


def one_line_t2(rng: random.Random, fmt: str) -> dict[tuple[str, str], float]:
    """Table 二 values a one-line dump can print readably: one digit in rows of several columns
    (a run of n digits for n columns splits one way only), any value in a row of one column."""
    from testkit.specs import t2_values

    vals = t2_values(rng, fmt)
    blocks = T2_2021 if fmt == "2021" else T2_2019
    for _, cols, items in blocks:
        if len(cols) < 2:
            continue
        for code, _ in items:
            for c, _ in cols:
                v = rng.randrange(0, 10)
                vals[(code, c)] = -v if c == "change" and rng.random() < 0.3 else v
    return vals


def t2_run_readings(s: Sample, code: str) -> list[tuple[str, ...]]:
    """This module's own enumeration: splits of a table 二 row's run into its columns (whole numbers
    without leading zeros; 本年增/减 may carry a minus; amounts may carry decimals)."""
    blk = next(b for b in s.t2_blocks() if any(c == code for c, _ in b[2]))
    cols = [c for c, _ in blk[1]]
    run = "".join(s.raw("t2", code, c) for c in cols)
    if len(cols) == 1:
        return [(run,)]
    out: list[tuple[str, ...]] = []

    def ok(piece: str, col: str) -> bool:
        body = piece[1:] if col == "change" and piece.startswith("-") else piece
        if col == "amount" and body.count(".") == 1:
            whole, decimals = body.split(".")
            return whole.isdigit() and decimals.isdigit() and (whole == "0" or not whole.startswith("0"))
        return body.isdigit() and (body == "0" or not body.startswith("0"))

    def rec(pos: int, k: int, acc: tuple[str, ...]) -> None:
        if k == len(cols):
            if pos == len(run):
                out.append(acc)
            return
        for end in range(pos + 1, len(run) + 1):
            if ok(run[pos:end], cols[k]):
                rec(end, k + 1, (*acc, run[pos:end]))

    rec(0, 0, ())
    return out


def t4_run_readings(run: str) -> list[tuple[int, ...]]:
    """This module's own enumeration: table 四's 15 numbers as three groups that end with their sums."""
    out: list[tuple[int, ...]] = []
    for a in range(5, len(run) - 9):
        for b in range(a + 5, len(run) - 4):
            for g1 in row_readings(run[:a], 5):
                for g2 in row_readings(run[a:b], 5):
                    for g3 in row_readings(run[b:], 5):
                        out.append((*g1, *g2, *g3))
    return out


# ------------------------------------------------------------------ converter Markdown


def _pipe_rows(t, repeat_spans: bool = False) -> list[list[str]]:  # type: ignore[no-untyped-def]
    """A table layout as a converter writes it in Markdown: each spanned cell's text in its first
    position, blanks elsewhere; with ``repeat_spans`` (converters that flatten merged cells) the
    text in every column it spans, header rows only."""
    n_cols = len(t.widths)
    out = []
    for k, row in enumerate(t.rows):
        cells = [""] * n_cols
        for c in row:
            cells[c.col] = c.text
            if repeat_spans and k < t.header_rows:
                for j in range(c.col + 1, min(n_cols, c.col + c.colspan)):
                    cells[j] = c.text
        out.append(cells)
    return out


def _pipe_table(rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
    return lines + ["| " + " | ".join(r) + " |" for r in rows[1:]]


def markdown_dump(
    s: Sample,
    *,
    html_tables: tuple[str, ...] = ("t4",),
    wrap: dict[str, int] | None = None,
    split: dict[str, int] | None = None,
    slide_total: bool = True,
    repeat_spans: bool = False,
    swap: str | None = None,
) -> str:
    """A PDF-to-Markdown converter's output: headings as ``##``, tables as pipe tables with the
    converter's damage, and the tables in ``html_tables`` as HTML ``<table>`` blocks.

    Damage to table 三 (row code → where): ``wrap`` cuts a row's label at that character and puts
    the first part on a row of its own; ``split`` prints the row's first n values on one row and the
    rest on the next; ``slide_total`` moves the header's 总计 into the header row below;
    ``repeat_spans`` writes a merged header cell's text into every column it spans; ``swap`` prints
    that row (with its label) after the row that follows it, out of the form's order. By default
    the （二） label wraps after its first comma and 本年新收 splits after three values.
    """
    from testkit.tables import t2_layout, t3_layout, t4_layout
    from testkit.web import table_html

    if wrap is None:
        label = next(item for code, _, item in s.t3_rows() if code == "partially_granted")
        wrap = {"partially_granted": label.index("，") + 1}
    split = {"new_received": 3} if split is None else split
    t3, row_index = t3_layout(s)
    code_at = {i: code for code, i in row_index.items()}
    layouts = {"t2": t2_layout(s), "t3": t3, "t4": t4_layout(s)}
    out = [f"# {s.title}", "", *(_intro(s)[2:4]), f"## {SECTION_TITLES['s1']}", "", _intro(s)[6], ""]
    for table in ("t2", "t3", "t4"):
        out += [f"## {SECTION_TITLES[table]}", ""]
        t = layouts[table]
        if table in html_tables:
            out += table_html(t, "cms", blank="").strip().split("\n")
            out.append("")
            continue
        rows = _pipe_rows(t, repeat_spans)
        if table == "t3" and swap is not None and row_index.get(swap, len(rows)) + 1 < len(rows):
            # a row printed after the next one, its label with it
            i = row_index[swap]
            rows[i], rows[i + 1] = rows[i + 1], rows[i]
            code_at[i], code_at[i + 1] = code_at.get(i + 1), swap  # type: ignore[assignment]
        if table == "t3":
            fixed: list[list[str]] = []
            for i, r in enumerate(rows):
                code = code_at.get(i)
                label_at = max(k for k, c in enumerate(r[: len(r) - len(T3_COLS)]) if c) if code else 0
                if code in wrap:  # the converter wrapped the long label
                    cut, label = wrap[code], r[label_at]
                    fixed.append([*r[:label_at], label[:cut], *[""] * (len(r) - label_at - 1)])
                    r = [*[""] * label_at, label[cut:], *r[label_at + 1 :]]
                if code in split:  # the row's values over two rows
                    n, at = split[code], len(r) - len(T3_COLS)
                    fixed.append([*r[: at + n], *[""] * (len(T3_COLS) - n)])
                    fixed.append([*[""] * (at + n), *r[at + n :]])
                else:
                    fixed.append(r)
            if slide_total and not repeat_spans:
                # a header cell slid into the row below: 总计 (spanning both header rows) under 其他's row
                h = next(k for k, r in enumerate(fixed) if "自然人" in r)
                j = fixed[h].index("总计")
                fixed[h][j], fixed[h + 1][j] = "", "总计"
            rows = fixed
        out += _pipe_table(rows)
        out.append("")
    out += [
        f"## {SECTION_TITLES['s5']}",
        "",
        "一是公开内容的针对性有待加强。",
        "",
        f"## {SECTION_TITLES['s6']}",
        "",
        "无。",
        "",
    ]
    return "\n".join(out)


def markdown_samples() -> list[tuple[Sample, str, set[tuple[str, str, str]]]]:
    """Two converter-Markdown filings: pipe tables with the converter's damage (2021), and HTML
    <table> blocks inside Markdown for tables 三 and 四 (2019)."""
    from testkit.specs import balanced_t4, t2_values

    rng = random.Random(4242)
    out: list[tuple[Sample, str, set[tuple[str, str, str]]]] = []
    for name, body, year, fmt, html_tables, note in (
        (
            "md_pipes_2021",
            "龙岩市新罗区东城街道办事处",
            2022,
            "2021",
            ("t4",),
            "converter Markdown: pipe tables, a wrapped label on a row of its own, one row's values split "
            "over two rows, a header cell slid into the row below, table 四 as an HTML block",
        ),
        (
            "md_html_2019",
            "宁德市霞浦县松城街道办事处",
            2020,
            "2019",
            ("t3", "t4"),
            "converter Markdown, 2019 format: table 二 as a pipe table, tables 三 and 四 as HTML blocks",
        ),
    ):
        s = Sample(name=name, body=body, year=year, note=note, fmt=fmt)
        s.level = "township"
        s.t2 = t2_values(rng, fmt)
        s.t3 = balanced_t3(rng, fmt)
        s.t4 = balanced_t4(rng)
        out.append((s, markdown_dump(s, html_tables=html_tables), set()))
    return out


def markdown_draw(seed: int) -> tuple[Sample, str, dict[str, object]]:
    """A random converter-Markdown filing and its damage (the neighbours of the Markdown samples)."""
    from testkit.specs import balanced_t4, t2_values

    rng = random.Random(seed)
    fmt = rng.choice(["2021", "2019"])
    year = 2022 if fmt == "2021" else 2020
    s = Sample(name=f"md_{seed}", body="某某市某某区某某街道办事处", year=year, note="", fmt=fmt)
    s.t2, s.t3, s.t4 = t2_values(rng, fmt), balanced_t3(rng, fmt), balanced_t4(rng)
    long_rows = [(code, item) for code, _, item in s.t3_rows() if len(item) >= 6]
    # converters wrap at the column's width: a few characters in at least
    wrap = {code: rng.randrange(4, len(item) - 1) for code, item in rng.sample(long_rows, rng.randint(0, 3))}
    codes = [code for code, _, _ in s.t3_rows()]
    split = {code: rng.randint(1, len(T3_COLS) - 1) for code in rng.sample(codes, rng.randint(0, 3))}
    html_tables = tuple(t for t in ("t2", "t3", "t4") if rng.random() < (0.2 if t == "t3" else 0.4))
    params: dict[str, object] = {
        "fmt": fmt,
        "html": html_tables,
        "wrap": wrap,
        "split": split,
        "slide_total": rng.random() < 0.5,
    }
    # drawn from a stream of their own, so every other draw of a seed stays what it was
    more = random.Random(seed * 7 + 1)
    params["repeat_spans"] = more.random() < 0.4
    # a row whose label says which row it is (a group's first item or a row of its own), printed late
    own = [code for code, group, _ in s.t3_rows() if group is None or group == ""]
    params["swap"] = more.choice(own) if more.random() < 0.4 else None
    text = markdown_dump(
        s,
        html_tables=html_tables,
        wrap=wrap,
        split=split,
        slide_total=bool(params["slide_total"]),
        repeat_spans=bool(params["repeat_spans"]),
        swap=params["swap"],  # type: ignore[arg-type]
    )
    return s, text, params
