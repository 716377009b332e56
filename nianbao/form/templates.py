"""The format's tables as data: canonical codes, printed labels and their aliases.

Nothing here is code that decides; the readers in :mod:`normalizers.tables` walk
these records. Labels are written as printed by the 2021 and 2019 formats;
aliases cover wording seen in real filings (drift, short forms). Matching is done
on normalised text (see :func:`nianbao.form.labels.norm`), so numbering,
punctuation and white space in these strings do not matter.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache


@dataclass(frozen=True, slots=True)
class Label:
    code: str
    label: str
    aliases: tuple[str, ...] = ()
    # role in the arithmetic rules: in | result | total | out | part | sum
    role: str = ""

    @property
    def texts(self) -> tuple[str, ...]:
        return (self.label, *self.aliases)


@dataclass(frozen=True, slots=True)
class Block:
    """A block of table 二: its heading, its rows and the columns it measures."""

    heading: str
    rows: tuple[Label, ...]
    cols: tuple[Label, ...]


@dataclass(frozen=True, slots=True)
class Template:
    table: str  # t2 | t3 | t4
    format: str  # 2021 | 2019
    rows: tuple[Label, ...] = ()
    cols: tuple[Label, ...] = ()
    blocks: tuple[Block, ...] = ()
    # phrases printed in spanning group cells; removed before matching row labels
    noise: tuple[str, ...] = field(default_factory=tuple)
    # words whose presence identifies the table (classification)
    markers: tuple[str, ...] = ()
    # group headings printed above the column headers; removed before matching a column's header
    # where OCR read them into one cell with it ("申请人情况法人或其他组织社会公益组织": a vertical
    # header group on a copy, copier seed 5747, its column lost)
    col_noise: tuple[str, ...] = ()


def _L(code: str, label: str, *aliases: str, role: str = "") -> Label:
    return Label(code, label, tuple(aliases), role)


# ---------------------------------------------------------------- table 三
_T3_HEAD = (
    _L(
        "new_received",
        "一、本年新收政府信息公开申请数量",
        "本年新收政府信息公开申请数量",
        "本年新收申请数量",
        role="in",
    ),
    _L(
        "carried_over",
        "二、上年结转政府信息公开申请数量",
        "上年结转政府信息公开申请数量",
        "上年结转申请数量",
        role="in",
    ),
    _L("granted", "（一）予以公开", "予以公开", role="result"),
    _L("partially_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "部分公开", role="result"),
    _L("denied_state_secret", "（三）不予公开 1.属于国家秘密", "属于国家秘密", role="result"),
    _L("denied_law_prohibited", "（三）不予公开 2.其他法律行政法规禁止公开", "其他法律行政法规禁止公开", role="result"),
    _L("denied_three_securities", "（三）不予公开 3.危及“三安全一稳定”", "危及三安全一稳定", role="result"),
    _L("denied_third_party", "（三）不予公开 4.保护第三方合法权益", "保护第三方合法权益", role="result"),
    _L("denied_internal_affairs", "（三）不予公开 5.属于三类内部事务信息", "属于三类内部事务信息", role="result"),
    _L("denied_process_info", "（三）不予公开 6.属于四类过程性信息", "属于四类过程性信息", role="result"),
    _L("denied_enforcement_file", "（三）不予公开 7.属于行政执法案卷", "属于行政执法案卷", role="result"),
    _L("denied_inquiry_matter", "（三）不予公开 8.属于行政查询事项", "属于行政查询事项", role="result"),
    _L("unavailable_not_held", "（四）无法提供 1.本机关不掌握相关政府信息", "本机关不掌握相关政府信息", role="result"),
    _L(
        "unavailable_needs_creation",
        "（四）无法提供 2.没有现成信息需要另行制作",
        "没有现成信息需要另行制作",
        role="result",
    ),
    _L("unavailable_unclear", "（四）无法提供 3.补正后申请内容仍不明确", "补正后申请内容仍不明确", role="result"),
    _L("not_processed_petition", "（五）不予处理 1.信访举报投诉类申请", "信访举报投诉类申请", role="result"),
    _L("not_processed_duplicate", "（五）不予处理 2.重复申请", role="result"),
    _L("not_processed_publication", "（五）不予处理 3.要求提供公开出版物", "要求提供公开出版物", role="result"),
    _L("not_processed_excessive", "（五）不予处理 4.无正当理由大量反复申请", "无正当理由大量反复申请", role="result"),
    _L(
        "not_processed_confirmation",
        "（五）不予处理 5.要求行政机关确认或重新出具已获取信息",
        "要求行政机关确认或重新出具已获取信息",
        role="result",
    ),
)
_T3_OTHER_2021 = (
    _L(
        "other_no_correction",
        "（六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "申请人无正当理由逾期不补正行政机关不再处理其政府信息公开申请",
        "逾期不补正",
        role="result",
    ),
    _L(
        "other_unpaid_fee",
        "（六）其他处理 2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "申请人逾期未按收费通知要求缴纳费用行政机关不再处理其政府信息公开申请",
        "逾期未按收费通知要求缴纳费用",
        role="result",
    ),
    _L("other_other", "（六）其他处理 3.其他", role="result"),
)
_T3_OTHER_2019 = (_L("other", "（六）其他处理", role="result"),)
_T3_TAIL = (
    _L("total_processed", "（七）总计", "总计", role="total"),
    _L("carried_forward", "四、结转下年度继续办理", "结转下年度继续办理", role="out"),
)
T3_COLS = (
    _L("natural_person", "自然人", role="part"),
    _L("commercial", "商业企业", role="part"),
    _L("research", "科研机构", role="part"),
    _L("social_welfare", "社会公益组织", role="part"),
    _L("legal_service", "法律服务机构", "法律服务", role="part"),
    _L("other_org", "其他", role="part"),
    _L("total", "总计", "合计", role="sum"),
)
# the group's words beside every result row; a page that breaks a vertical group cell prints part of
# them on each page ("三、本年度" above the break, "办理结果" below), at the start of a row's label
# only (strip_noise's "^")
_T3_NOISE = ("三、本年度办理结果", "本年度办理结果", "申请人情况", "^三、本年度", "^办理结果")
# the rows' words, and the header's: a header printed alone (a browser broke the page right after it)
# is still table 三's, and the parts after it take its columns
_T3_MARKERS = (
    "本年新收",
    "上年结转",
    "予以公开",
    "不予公开",
    "无法提供",
    "不予处理",
    "结转下年度",
    "申请人情况",
    "法人或其他组织",
    "社会公益组织",
    "法律服务机构",
)

_T3_COL_NOISE = ("申请人情况", "法人或其他组织")
T3_2021 = Template(
    "t3",
    "2021",
    _T3_HEAD + _T3_OTHER_2021 + _T3_TAIL,
    T3_COLS,
    noise=_T3_NOISE,
    markers=_T3_MARKERS,
    col_noise=_T3_COL_NOISE,
)
T3_2019 = Template(
    "t3",
    "2019",
    _T3_HEAD + _T3_OTHER_2019 + _T3_TAIL,
    T3_COLS,
    noise=_T3_NOISE,
    markers=_T3_MARKERS,
    col_noise=_T3_COL_NOISE,
)

# ---------------------------------------------------------------- table 四
T4_ROWS = (
    _L("review", "行政复议", "行政法复议"),
    _L("litigation_direct", "未经复议直接起诉", "未经复议直接"),
    _L("litigation_after_review", "复议后起诉"),
)
T4_COLS = (
    _L("upheld", "结果维持", role="part"),
    _L("corrected", "结果纠正", role="part"),
    _L("other", "其他结果", role="part"),
    _L("pending", "尚未审结", role="part"),
    _L("total", "总计", "合计", role="sum"),
)
T4 = Template("t4", "2021", T4_ROWS, T4_COLS, markers=("结果维持", "结果纠正", "尚未审结", "复议后起诉"))

# ---------------------------------------------------------------- table 二
_ITEM = "信息内容"
T2_2021 = Template(
    "t2",
    "2021",
    blocks=(
        Block(
            "第二十条第（一）项",
            (_L("regulations", "规章"), _L("normative_documents", "行政规范性文件", "规范性文件")),
            (
                _L("issued", "本年制发件数", "本年新制作数量"),
                _L("repealed", "本年废止件数"),
                _L("in_force", "现行有效件数"),
            ),
        ),
        Block("第二十条第（五）项", (_L("licensing", "行政许可"),), (_L("decisions", "本年处理决定数量"),)),
        Block(
            "第二十条第（六）项",
            (_L("punishment", "行政处罚"), _L("enforcement", "行政强制")),
            (_L("decisions", "本年处理决定数量"),),
        ),
        Block(
            "第二十条第（八）项",
            (_L("fees", "行政事业性收费"),),
            (_L("amount", "本年收费金额（单位：万元）", "本年收费金额"),),
        ),
    ),
    noise=(_ITEM,),
    markers=("第二十条", "信息内容", "本年制发件数", "现行有效件数", "行政许可", "行政事业性收费"),
)
_PRIOR = _L("prior_items", "上一年项目数量")
_CHANGE = _L("change", "本年增/减", "本年增减")
T2_2019 = Template(
    "t2",
    "2019",
    blocks=(
        Block(
            "第二十条第（一）项",
            (_L("regulations", "规章"), _L("normative_documents", "规范性文件", "行政规范性文件")),
            (
                _L("made", "本年新制作数量"),
                _L("published", "本年新公开数量"),
                _L("published_total", "对外公开总数量"),
            ),
        ),
        Block(
            "第二十条第（五）项",
            (_L("licensing", "行政许可"), _L("other_services", "其他对外管理服务事项")),
            (_PRIOR, _CHANGE, _L("decisions", "处理决定数量")),
        ),
        Block(
            "第二十条第（六）项",
            (_L("punishment", "行政处罚"), _L("enforcement", "行政强制")),
            (_PRIOR, _CHANGE, _L("decisions", "处理决定数量")),
        ),
        Block("第二十条第（八）项", (_L("fees", "行政事业性收费"),), (_PRIOR, _CHANGE)),
        Block(
            "第二十条第（九）项",
            (_L("procurement", "政府集中采购"),),
            (_L("items", "采购项目数量"), _L("amount", "采购总金额")),
        ),
    ),
    noise=(_ITEM,),
    markers=("第二十条", "信息内容", "本年新制作数量", "对外公开总数量", "政府集中采购"),
)

TEMPLATES: dict[str, tuple[Template, ...]] = {
    "t2": (T2_2021, T2_2019),
    "t3": (T3_2021, T3_2019),
    "t4": (T4,),
}

# Section headings of the report (the spec's 一 … 六); tables are located by them.
SECTIONS: tuple[tuple[str, str], ...] = (
    ("s1", "一、总体情况"),
    ("t2", "二、主动公开政府信息情况"),
    ("t3", "三、收到和处理政府信息公开申请情况"),
    ("t4", "四、政府信息公开行政复议、行政诉讼情况"),
    ("s5", "五、存在的主要问题及改进情况"),
    ("s6", "六、其他需要报告的事项"),
)

# Columns whose values are money in 万元 (decimals allowed); every other cell is a count.
MONEY_COLS: frozenset[tuple[str, str]] = frozenset({("t2", "amount")})
# Columns that may be negative (2019 本年增/减).
SIGNED_COLS: frozenset[tuple[str, str]] = frozenset({("t2", "change")})


# ---------------------------------------------------------------- embedded tables
# Column labels of the tables that filings embed in sections 一 and 五. Headers are
# often mangled by converters ("12月完 成投资"), so readers match these by
# containment on normalised text and check numeric columns by their relations.

EMBEDDED_MARKERS: dict[str, tuple[str, ...]] = {
    "project_progress": ("项目名称", "总投资", "完成投资", "形象进度", "建设年限", "年度计划投资"),
    "review_log": ("发布日期", "信息名称", "意见", "审核", "保密审查", "发布形式"),
    "scores": ("指标名称", "权重", "自评得分", "责任单位", "存在问题", "整改措施"),
}

PROJECT_COLS = (
    _L("seq", "序号"),
    _L("name", "项目名称", "名称"),
    _L("period", "建设年限", "建设起止年限", "建设期限", "起止年限"),
    _L("total_investment", "总投资", "计划总投资"),
    _L("annual_plan", "年度计划投资", "计划投资", "年计划投资", "年度投资计划"),
    _L("month_completed", "本月完成投资", "月完成投资", "当月完成投资"),
    _L("ytd_completed", "累计完成投资", "1-月完成投资", "截至月累计完成投资", "年度累计完成投资"),
    _L("percent_of_plan", "占年度计划投资比", "占年度计划比", "完成率", "投资完成率"),
    _L("progress_text", "工程形象进度", "形象进度", "工程进度", "进展情况"),
)

REVIEW_COLS = (
    _L("seq", "序号"),
    _L("department", "科室（部门）", "科室", "部门", "单位", "责任科室"),
    _L("title", "信息名称", "标题", "信息标题", "稿件名称"),
    _L("publish_date", "发布日期", "日期", "发布时间"),
    _L("channel", "发布形式", "发布渠道", "载体", "公开方式"),
)
# an approval column's header names who decides and says 意见/审核/审查/签批
APPROVAL_WORDS = ("意见", "审核", "审查", "签批", "审批")
APPROVAL_STEPS = (
    _L("department_head", "科室（部门）意见", "科室意见", "部门意见", "科室负责人意见"),
    _L("reviewer", "工作机构或者人员审查意见", "审查意见", "保密审查意见"),
    _L("leader_in_charge", "分管领导意见", "分管领导"),
    _L("leader_main", "主管领导意见", "主要领导意见", "主管领导"),
)

SCORE_COLS = (
    _L("seq", "序号"),
    _L("indicator", "指标名称", "考核指标", "指标"),
    _L("weight", "权重", "分值"),
    _L("responsible_unit", "市主管责任单位", "主管责任单位", "责任单位"),
    _L("responsible_department", "责任部门", "责任科室"),
    _L("responsible_leader", "责任领导", "分管领导"),
    _L("self_score", "自评得分", "自评分", "得分"),
    _L("problems", "存在问题", "问题"),
    _L("remedies", "整改措施", "改进措施", "措施"),
)


# ---------------------------------------------------------------- Chinese paths (label_zh, col_zh)
# Where a row or column sits on the printed form, group by group, so an auditor can find a code
# on the paper: "三、本年度办理结果 / （三）不予公开 / 5.属于三类内部事务信息".
T3_RESULTS_GROUP = "三、本年度办理结果"
T3_APPLICANTS = "申请人情况"
T3_ORGS = "法人或其他组织"
T4_ROW_PATHS = {
    "review": "行政复议",
    "litigation_direct": "行政诉讼 / 未经复议直接起诉",
    "litigation_after_review": "行政诉讼 / 复议后起诉",
}


@lru_cache(maxsize=4096)
def zh_path(table: str, row: str, col: str, fmt: str | None = None) -> tuple[str, str]:
    """(label_zh, col_zh) of a cell: the printed labels of its row and column with their groups."""
    tpls = sorted(TEMPLATES.get(table, ()), key=lambda t: t.format != (fmt or "2021"))
    for tpl in tpls:
        for blk in tpl.blocks:
            r = next((x for x in blk.rows if x.code == row), None)
            c = next((x for x in blk.cols if x.code == col), None)
            if r is not None and c is not None:
                return f"{blk.heading} / {r.label}", c.label
        r = next((x for x in tpl.rows if x.code == row), None)
        c = next((x for x in tpl.cols if x.code == col), None)
        if r is None or c is None:
            continue
        if table == "t4":
            return T4_ROW_PATHS.get(row, r.label), c.label
        label = r.label.replace(" ", " / ")
        if r.role in ("result", "total"):
            label = f"{T3_RESULTS_GROUP} / {label}"
        if c.role == "part" and c.code != "natural_person":
            return label, f"{T3_APPLICANTS} / {T3_ORGS} / {c.label}"
        return label, f"{T3_APPLICANTS} / {c.label}"
    return row, col


@dataclass(frozen=True, slots=True)
class Section:
    """A printable part of a table: a heading, its rows and its columns (codes and printed labels)."""

    heading: str
    rows: tuple[Label, ...]
    cols: tuple[Label, ...]


@lru_cache(maxsize=16)
def layout(table: str, fmt: str | None = None) -> tuple[Section, ...]:
    """How a table is drawn for people (reports, workbooks): table 二 block by block, 三 and 四 whole.

    The cells of a table, in this order (section, row, column), are the order reports store values in.
    """
    tpls = TEMPLATES.get(table, ())
    tpl = next((t for t in tpls if t.format == (fmt or "2021")), tpls[0] if tpls else None)
    if tpl is None:
        return ()
    if tpl.blocks:
        return tuple(Section(b.heading, b.rows, b.cols) for b in tpl.blocks)
    return (Section(dict(SECTIONS)[table], tpl.rows, tpl.cols),)
