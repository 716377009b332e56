"""Text dumps of the samples, as converters (tab-separated) and scrapers (flattened) write them.

Pure string building from :mod:`samples.specs` data; no font needed. The
uniqueness of every run-together row is checked here, with this module's own
enumeration, before a golden file claims the row can be read.
"""

from __future__ import annotations

import random

from samples.specs import SECTION_TITLES, T3_COLS, T3_PARTS, T4_BLOCKS, T4_MEASURES, Sample, balanced_t3


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


def _carry_from(first: Sample, second: Sample, rng: random.Random) -> dict[tuple[str, str], int]:
    """Second year's table 三 whose 上年结转 is the first year's 结转下年度, but for one planted column.

    The planted difference is in natural_person: 2022 prints one more carried over than 2021 carried
    forward, so cross_year.carry_over fires for natural_person and for total.
    """
    t = dict(second.t3)
    for c in T3_PARTS:
        carried = first.t3[("carried_forward", c)] + (1 if c == "natural_person" else 0)
        t[("carried_over", c)] = carried
        t[("new_received", c)] = t[("total_processed", c)] + t[("carried_forward", c)] - carried
        if t[("new_received", c)] < 0:
            t[("carried_forward", c)] -= t[("new_received", c)]
            t[("new_received", c)] = 0
    for code in ("carried_over", "new_received", "carried_forward"):
        t[(code, "total")] = sum(t[(code, c)] for c in T3_PARTS)
    return t


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
    from samples.specs import balanced_t4, t2_values

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
    out.append((s, flat_dump(s, set(rows)), {("t3", r, c) for r in rows for c in T3_COLS}))
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
    return out
