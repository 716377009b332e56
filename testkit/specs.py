"""The samples as data: what each generated filing prints, and what must be read back.

This module is the source of the golden files. It does not import the pipeline:
labels are written here as the format prints them (with the drift and quirks a
sample exercises), values are chosen here, and the expected findings of the
planted-error sample are written by hand from the planted changes.
"""

from __future__ import annotations

import random
import zlib
from dataclasses import dataclass, field

# ------------------------------------------------------------------ the format as printed

T3_COLS = ["natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org", "total"]
T3_PARTS = T3_COLS[:-1]

# (code, group label, item label); group None = the row's label spans the label columns
T3_ROWS_2021: list[tuple[str, str | None, str]] = [
    ("new_received", None, "一、本年新收政府信息公开申请数量"),
    ("carried_over", None, "二、上年结转政府信息公开申请数量"),
    ("granted", "", "（一）予以公开"),
    ("partially_granted", "", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    ("denied_state_secret", "（三）不予公开", "1．属于国家秘密"),
    ("denied_law_prohibited", "（三）不予公开", "2．其他法律行政法规禁止公开"),
    ("denied_three_securities", "（三）不予公开", "3．危及“三安全一稳定”"),
    ("denied_third_party", "（三）不予公开", "4．保护第三方合法权益"),
    ("denied_internal_affairs", "（三）不予公开", "5．属于三类内部事务信息"),
    ("denied_process_info", "（三）不予公开", "6．属于四类过程性信息"),
    ("denied_enforcement_file", "（三）不予公开", "7．属于行政执法案卷"),
    ("denied_inquiry_matter", "（三）不予公开", "8．属于行政查询事项"),
    ("unavailable_not_held", "（四）无法提供", "1．本机关不掌握相关政府信息"),
    ("unavailable_needs_creation", "（四）无法提供", "2．没有现成信息需要另行制作"),
    ("unavailable_unclear", "（四）无法提供", "3．补正后申请内容仍不明确"),
    ("not_processed_petition", "（五）不予处理", "1．信访举报投诉类申请"),
    ("not_processed_duplicate", "（五）不予处理", "2．重复申请"),
    ("not_processed_publication", "（五）不予处理", "3．要求提供公开出版物"),
    ("not_processed_excessive", "（五）不予处理", "4．无正当理由大量反复申请"),
    ("not_processed_confirmation", "（五）不予处理", "5．要求行政机关确认或重新出具已获取信息"),
    ("other_no_correction", "（六）其他处理", "1．申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("other_unpaid_fee", "（六）其他处理", "2．申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("other_other", "（六）其他处理", "3．其他"),
    ("total_processed", "", "（七）总计"),
    ("carried_forward", None, "四、结转下年度继续办理"),
]
T3_ROWS_2019 = [r for r in T3_ROWS_2021 if not r[0].startswith("other_")]
T3_ROWS_2019.insert(20, ("other", "", "（六）其他处理"))
T3_IN, T3_OUT, T3_TOTAL = ["new_received", "carried_over"], ["carried_forward"], "total_processed"

T4_BLOCKS = [
    ("review", "行政复议"),
    ("litigation_direct", "未经复议直接起诉"),
    ("litigation_after_review", "复议后起诉"),
]
T4_MEASURES = [
    ("upheld", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
    ("total", "总计"),
]

# table 二: (block heading, header labels → col codes, rows)
T2_2021 = [
    (
        "第二十条第（一）项",
        [("issued", "本年制发件数"), ("repealed", "本年废止件数"), ("in_force", "现行有效件数")],
        [("regulations", "规章"), ("normative_documents", "行政规范性文件")],
    ),
    ("第二十条第（五）项", [("decisions", "本年处理决定数量")], [("licensing", "行政许可")]),
    (
        "第二十条第（六）项",
        [("decisions", "本年处理决定数量")],
        [("punishment", "行政处罚"), ("enforcement", "行政强制")],
    ),
    ("第二十条第（八）项", [("amount", "本年收费金额（单位：万元）")], [("fees", "行政事业性收费")]),
]
T2_2019 = [
    (
        "第二十条第（一）项",
        [("made", "本年新制作数量"), ("published", "本年新公开数量"), ("published_total", "对外公开总数量")],
        [("regulations", "规章"), ("normative_documents", "规范性文件")],
    ),
    (
        "第二十条第（五）项",
        [("prior_items", "上一年项目数量"), ("change", "本年增/减"), ("decisions", "处理决定数量")],
        [("licensing", "行政许可"), ("other_services", "其他对外管理服务事项")],
    ),
    (
        "第二十条第（六）项",
        [("prior_items", "上一年项目数量"), ("change", "本年增/减"), ("decisions", "处理决定数量")],
        [("punishment", "行政处罚"), ("enforcement", "行政强制")],
    ),
    ("第二十条第（八）项", [("prior_items", "上一年项目数量"), ("change", "本年增/减")], [("fees", "行政事业性收费")]),
    (
        "第二十条第（九）项",
        [("items", "采购项目数量"), ("amount", "采购总金额（万元）")],
        [("procurement", "政府集中采购")],
    ),
]

# the report's section headings as printed (the spec's 一 … 六)
SECTION_TITLES = {
    "s1": "一、总体情况",
    "t2": "二、主动公开政府信息情况",
    "t3": "三、收到和处理政府信息公开申请情况",
    "t4": "四、政府信息公开行政复议、行政诉讼情况",
    "s5": "五、存在的主要问题及改进情况",
    "s6": "六、其他需要报告的事项",
}

FULLWIDTH = str.maketrans("0123456789,.", "０１２３４５６７８９，．")


# ------------------------------------------------------------------ a sample


@dataclass
class Sample:
    name: str
    body: str
    year: int
    fmt: str = "2021"  # table 二/三 format
    rules: str = "full"  # full | hrules | none
    level: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    t2: dict[tuple[str, str], float] = field(default_factory=dict)
    t3: dict[tuple[str, str], int] = field(default_factory=dict)
    t4: dict[tuple[str, str], int] = field(default_factory=dict)
    # printed text per cell where it differs from str(value): blanks, dashes, full-width, errors
    printed: dict[tuple[str, str, str], str] = field(default_factory=dict)
    # values that are printed (and so must read back) but differ from the balanced data
    planted: dict[tuple[str, str, str], float] = field(default_factory=dict)
    split_t3_after: str | None = None  # force table 三 to continue on the next page after this row
    repeat_header: bool = True
    vertical_group: bool = True
    fake_bold: bool = False
    image_page: bool = False  # add a page that is only a picture
    drift: dict[str, str] = field(default_factory=dict)  # printed label → drifted label
    expected_findings: list[tuple[str, str]] = field(default_factory=list)  # (rule, subject)
    embedded: list[list[list[str]]] = field(default_factory=list)  # extra tables, printed as grids
    tables: list[EmbeddedTable] = field(default_factory=list)  # embedded tables with expected records
    note: str = ""

    @property
    def title(self) -> str:
        return f"{self.body}{self.year}年政府信息公开工作年度报告"

    def t3_rows(self) -> list[tuple[str, str | None, str]]:
        return T3_ROWS_2021 if self.fmt == "2021" else T3_ROWS_2019

    def t2_blocks(self) -> list:  # type: ignore[type-arg]
        return T2_2021 if self.fmt == "2021" else T2_2019

    def raw(self, table: str, row: str, col: str) -> str:
        key = (table, row, col)
        if key in self.printed:
            return self.printed[key]
        v = self.value(table, row, col)
        return _fmt(v)

    def value(self, table: str, row: str, col: str) -> float:
        key = (table, row, col)
        if key in self.planted:
            return self.planted[key]
        src = {"t2": self.t2, "t3": self.t3, "t4": self.t4}[table]
        return src[(row, col)]

    def cells(self) -> list[tuple[str, str, str]]:
        out = []
        for _, cols, rows in self.t2_blocks():
            for r, _ in rows:
                for c, _ in cols:
                    out.append(("t2", r, c))
        for r, _, _ in self.t3_rows():
            for c in T3_COLS:
                out.append(("t3", r, c))
        for b, _ in T4_BLOCKS:
            for m, _ in T4_MEASURES:
                out.append(("t4", b, m))
        return out


def _fmt(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


# ------------------------------------------------------------------ balanced data


def balanced_t3(rng: random.Random, fmt: str, scale: int = 6, zero_share: float = 0.6) -> dict[tuple[str, str], int]:
    rows = T3_ROWS_2021 if fmt == "2021" else T3_ROWS_2019
    results = [r for r, _, _ in rows if r not in (*T3_IN, *T3_OUT, T3_TOTAL)]
    t: dict[tuple[str, str], int] = {}
    for col in T3_PARTS:
        for r in results:
            t[(r, col)] = 0 if rng.random() < zero_share else rng.randint(1, scale)
        total = sum(t[(r, col)] for r in results)
        t[(T3_TOTAL, col)] = total
        fwd = rng.randint(0, max(1, scale // 2))
        t[("carried_forward", col)] = fwd
        co = rng.randint(0, min(total + fwd, scale))
        t[("carried_over", col)] = co
        t[("new_received", col)] = total + fwd - co
    for r, _, _ in rows:
        t[(r, "total")] = sum(t[(r, c)] for c in T3_PARTS)
    return t


def balanced_t4(rng: random.Random, scale: int = 4) -> dict[tuple[str, str], int]:
    t: dict[tuple[str, str], int] = {}
    for b, _ in T4_BLOCKS:
        parts = [rng.randint(0, scale) for _ in range(4)]
        for (m, _), v in zip(T4_MEASURES[:4], parts, strict=True):
            t[(b, m)] = v
        t[(b, "total")] = sum(parts)
    return t


def t2_values(rng: random.Random, fmt: str) -> dict[tuple[str, str], float]:
    t: dict[tuple[str, str], float] = {}
    blocks = T2_2021 if fmt == "2021" else T2_2019
    for _, cols, rows in blocks:
        for r, _ in rows:
            for c, _ in cols:
                if c == "amount":
                    t[(r, c)] = round(rng.uniform(0, 500), 2)
                elif c == "change":
                    t[(r, c)] = rng.randint(-20, 20)
                else:
                    t[(r, c)] = rng.randint(0, 60)
    return t


def _zero_t3() -> dict[tuple[str, str], int]:
    return {(r, c): 0 for r, _, _ in T3_ROWS_2021 for c in T3_COLS}


# ------------------------------------------------------------------ the 磁灶镇 reference case

CIZAO_PARAGRAPHS = [
    "晋江市磁灶镇人民政府 2022 年政府信息公开工作年度报告是根据《中华人民共和国政府信息公开条例》和国务院办公厅政府信息与政务公开办公室关于印发《中华人民共和国政府信息公开工作年度报告格式》的通知（国办公开办函〔2021〕30 号）等文件要求规定编制而成。",
    "本年报中所列数据的统计期限从 2022 年 1 月 1 日至 2022 年 12 月 31 日止，主要由总体情况、行政机关主动公开政府信息情况、行政机关收到和处理政府信息公开申请情况、因政府信息公开工作被申请行政复议及提起行政诉讼情况、政府信息公开工作存在的主要问题及改进情况、其他需要报告的事项共 6 个部分组成。",
    "本报告的电子版可通过泉州市晋江市人民政府门户网站 (http://www.jinjiang.gov.cn/) 的政务公开专栏下载。如对本报告有任何疑问，请与晋江市磁灶镇人民政府党政办公室联系（地址：晋江市磁灶镇延泽南路 1 号，邮编：362214，电话：0595-85880883，电子邮箱：cizaozhen2014@vip.163.com）。",
]
CIZAO_S1 = [
    "2022 年磁灶镇人民政府深入贯彻落实政务公开相关要求，强化组织领导，规范公开内容，完善工作制度，加大公开力度，结合工作实际，坚持将政务公开工作作为镇年度工作的一项重要内容进行部署落实，以公正便民、勤政廉政为基本要求，切实推进政务公开工作有序开展，充分发挥政务公开对政府职能转变和政府治理能力提升的助推作用。现将有关情况汇报如下：",
    "（一）主动公开情况：为保证工作顺利开展，由镇主要领导牵头负责，明确分管责任人调度，具体经办人员落实，确保全面推进基层政务决策公开、执行公开、管理公开、服务公开、结果公开，切实保障人民群众的知情权、参与权、表达权、监督权。2022年主动公开政府信息176条，全文电子化率达100%。",
    "注重加强涉及市场主体的信息公开，2022年7月6日，联合晋江市市场监管局、工信局、科技局、市建材陶瓷行业协会等单位举办惠企政策宣讲培训会，辖区内135家企业负责人参加。",
    "依法依规做好扩重大建设项目建设信息公开，积极引导市场预期，每个月在晋江市人民政府网“重点领域信息公开”专栏公开重大建设项目信息，公开内容包括：项目名称、建设年限、总投资（万元）、2022年工作目标、X月完成投资(万元)、截至X月累计完成投资(万元)、占年度计划投资比%、工程形象进度等内容。",
]
CIZAO_PROJECTS = [
    [
        "序号",
        "项目名称",
        "建设年限",
        "总投资计划",
        "2022年12月形象进度计划表",
        "12月完成投资",
        "1-12月完成投资",
        "占年度计划投资比%",
        "工程形象进度",
    ],
    ["1", "磁灶镇村级敬老院项目", "2021-2022", "8000", "4000", "800", "7550", "189%", "完成工程扫尾并投入使用"],
    [
        "2",
        "晋兴职业中专学校迁建项目",
        "2022-2025",
        "18000",
        "8500",
        "850",
        "11250",
        "132%",
        "学生公寓完成1-11层砌体，正在进行外墙装饰，教学楼完成1-6层砌体，正在进行内外墙装饰。",
    ],
    [
        "3",
        "磁灶镇村级改片改造项目",
        "2022-2023",
        "6000",
        "4000",
        "500",
        "7450",
        "188%",
        "新垵村完工，南兜村、前垵村主体建设",
    ],
    ["4", "公众合联物联网电子商务产业园", "2020-2022", "50000", "12000", "2000", "21300", "177%", "已使用"],
]
CIZAO_S1_B = [
    "强化稳就业、保就业政策宣讲及培训力度，2022年2月15日，举办磁灶镇2022年“春风行动”公益招聘会，提供招聘岗位3779个，并开展就业、创业相关政策宣传。",
    "（二）依申请公开情况：公民、法人或者其他组织可依法申请获取相关政府信息。我镇在公开政府信息前，将依照《中华人民共和国保守国家秘密法》以及其他法律、法规和国家有关规定对拟公开的政府信息进行审查，在保证不泄密的前提下将便民惠民信息告知群众。在 2022 全年我镇共收到依申请公开信息 0 条。",
    "（三）政府信息管理情况：一是加强组织领导优化分工协作。二是严格把关审查紧盯一字一句，对拟公开的信息先审后发，严把政治关、法律关、政策关、保密关、文字关。",
]
CIZAO_REVIEW = [
    [
        "序号",
        "科室（部门）",
        "信息名称",
        "发布日期",
        "科室（部门）意见（同意或不同意）",
        "分管领导意见（同意或不同意）",
        "主管领导意见（同意或不同意）",
    ],
    ["1", "综合执法队", "磁灶综合执法队严打元旦期间违法建设", "20220104", "同意", "同意", "同意"],
    ["2", "综合执法队", "磁灶持续开展严厉打击拆违行动", "20220117", "同意", "同意", "同意"],
    ["3", "综合执法队", "违法必究！磁灶拆除三宗违法建筑", "20220118", "同意", "同意", "同意"],
    ["4", "综合执法队", "磁灶镇多措并举开展小广告清理整治行动", "20220128", "同意", "同意", "同意"],
    ["5", "综合执法队", "磁灶开展节前燃气安全隐患排查", "20220129", "同意", "同意", "同意"],
]
CIZAO_SCORES = [
    ["序号", "指标名称", "权重", "市主管责任单位", "责任部门", "责任领导", "自评得分", "存在问题"],
    ["1", "项目攻坚", "50", "发改局", "发改办（经济工作局）各项目责任部门", "吴贻锐 洪树林", "", "待下发方案"],
    ["2", "固定资产投资", "50", "发改局", "发改办（统计岗）", "吴贻锐 洪树林", "47.5", "增量贡献率不能得满分。"],
    ["31", "社会治安满意度", "10", "政法委", "社会治理办（综治工作岗）", "吴贻锐", "8", "宣传不够全面。"],
    [
        "32",
        "政务公开",
        "10",
        "政府办",
        "党政办 党建工作办（宣传思想岗）",
        "蔡海林 许志文",
        "待定",
        "磁灶凤来公众号出现错误4次。",
    ],
    ["33", "12345诉求办理", "20", "政府办", "社会治理办（信访维稳岗）", "吴志坚", "20", ""],
]
CIZAO_S5 = [
    "（一）主要问题",
    "一是政府信息公开的内容比较单一，多以文字形式展现，多媒体形式较少；二是日常公开管理标准化、规范化还未完善，存在公开不迅速，群众不知情的情况。",
    "（二）改进措施",
    "一是在公开形式上狠下功夫。二是完善政务日常管理机制。三是进一步将完善的信息公布制度推广进村（社区）事务公开。",
]


def cizao() -> Sample:
    t2 = {(r, c): 0.0 for _, cols, rows in T2_2021 for r, _ in rows for c, _ in cols}
    t2[("normative_documents", "issued")] = 2
    t2[("normative_documents", "repealed")] = 3
    t2[("normative_documents", "in_force")] = 27
    return Sample(
        name="cizao_2022",
        body="晋江市磁灶镇人民政府",
        year=2022,
        level="township",
        paragraphs=CIZAO_PARAGRAPHS,
        t2=t2,
        t3=_zero_t3(),
        t4={(b, m): 0 for b, _ in T4_BLOCKS for m, _ in T4_MEASURES},
        embedded=[CIZAO_PROJECTS, CIZAO_REVIEW, CIZAO_SCORES],
        # the seed's row 3 prints 188% where 7450/4000 is 186.25% (row 4's 177% for 177.5% is a tie, accepted)
        expected_findings=[("projects.percent", "project_progress[0].3")],
        note="the seed report rebuilt: narrative, embedded tables, tables 二/三/四 in the full 2021 layout",
    )


# ------------------------------------------------------------------ generated filings


def all_samples() -> list[Sample]:
    out = [cizao()]
    rng = random.Random(20241128)

    def mk(name: str, body: str, year: int, fmt: str = "2021", **kw) -> Sample:  # type: ignore[no-untyped-def]
        s = Sample(name=name, body=body, year=year, fmt=fmt, **kw)
        s.t2 = t2_values(rng, fmt)
        s.t3 = balanced_t3(rng, fmt)
        s.t4 = balanced_t4(rng)
        return s

    out.append(
        mk(
            "split_vertical",
            "上杭县古田镇人民政府",
            2022,
            level="township",
            split_t3_after="denied_internal_affairs",
            repeat_header=False,
            note="table 三 continues on the next page without its header; group label printed vertically",
        )
    )
    out.append(
        mk(
            "split_repeat_header",
            "福州市鼓楼区人民政府",
            2023,
            level="county",
            split_t3_after="not_processed_duplicate",
            repeat_header=True,
            note="table 三 continues on the next page with its header repeated; merged header cells",
        )
    )
    out.append(
        mk(
            "hrules_only",
            "龙岩市新罗区西城街道办事处",
            2022,
            rules="hrules",
            vertical_group=False,
            level="township",
            note="tables drawn with horizontal rules only",
        )
    )
    out.append(
        mk(
            "no_rules",
            "南平市建阳区将口镇人民政府",
            2021,
            rules="none",
            vertical_group=False,
            level="township",
            note="tables printed with no rules at all, cells top-aligned",
        )
    )
    out.append(
        mk(
            "format_2019",
            "三明市沙县区人民政府",
            2020,
            fmt="2019",
            level="county",
            note="the 2019 format: table 二 with 五 blocks, table 三 with one （六）其他处理 row",
        )
    )
    s = mk(
        "blanks_dashes",
        "宁德市蕉城区漳湾镇人民政府",
        2022,
        level="township",
        note="zeros printed as blank, —, -, / and 无",
    )
    forms = ["", "—", "-", "/", "无"]
    i = 0
    for table, row, col in s.cells():
        if s.value(table, row, col) == 0:
            s.printed[(table, row, col)] = forms[i % len(forms)]
            i += 1
    out.append(s)
    s = mk(
        "fullwidth_thousands",
        "福建省市场监督管理局",
        2022,
        level="department",
        note="full-width digits, thousands separators and a fee with decimals",
    )
    s.t3 = balanced_t3(rng, "2021", scale=900, zero_share=0.3)
    s.t2[("fees", "amount")] = 5949.088667
    for table, row, col in s.cells():
        v = s.value(table, row, col)
        txt = f"{int(v):,}" if float(v).is_integer() else f"{v}"
        if (zlib.crc32(f"{row}.{col}".encode()) & 1) or v >= 1000:
            txt = txt.translate(FULLWIDTH)
        s.printed[(table, row, col)] = txt
    out.append(s)
    s = mk(
        "planted_errors",
        "泉州市丰泽区东海街道办事处",
        2023,
        level="township",
        drift={"行政复议": "行政法复议"},
        note="errors planted so that every single-report rule fires at least once",
    )
    # (a) 总计 row printed 21 where natural_person's result rows add up to more: the results
    #     total, the column's balance and the row's applicant total all break.
    s.t3[("granted", "natural_person")] = 27
    s.t3[("total_processed", "natural_person")] = sum(s.t3[(r, "natural_person")] for r, _, _ in T3_ROWS_2021[2:23])
    s.t3[("new_received", "natural_person")] = (
        s.t3[("total_processed", "natural_person")]
        + s.t3[("carried_forward", "natural_person")]
        - s.t3[("carried_over", "natural_person")]
    )
    for r, _, _ in T3_ROWS_2021:
        s.t3[(r, "total")] = sum(s.t3[(r, c)] for c in T3_PARTS)
    s.planted[("t3", "total_processed", "natural_person")] = 21
    # (b) 上年结转 of research and of the total column raised by 2: balance breaks in both
    #     columns, the row still adds up across.
    s.planted[("t3", "carried_over", "research")] = s.t3[("carried_over", "research")] + 2
    s.planted[("t3", "carried_over", "total")] = s.t3[("carried_over", "total")] + 2
    # (c) table 四: 未经复议直接起诉 总计 printed 0 while its parts are not
    s.t4[("litigation_direct", "upheld")] = 3
    s.t4[("litigation_direct", "total")] = sum(s.t4[("litigation_direct", m)] for m, _ in T4_MEASURES[:4])
    s.planted[("t4", "litigation_direct", "total")] = 0
    # (d) a negative count and a negative fee
    s.planted[("t2", "regulations", "issued")] = -2
    s.planted[("t2", "fees", "amount")] = -0.5
    s.expected_findings = [
        ("t3.results_total", "natural_person"),
        ("t3.balance", "natural_person"),
        ("t3.applicant_total", "total_processed"),
        ("t3.balance", "research"),
        ("t3.balance", "total"),
        ("t4.total", "litigation_direct"),
        ("value.domain", "t2.regulations.issued"),
        ("value.domain", "t2.fees.amount"),
    ]
    out.append(s)
    out.append(
        mk(
            "fake_bold_scan_page",
            "漳州市芗城区人民政府办公室",
            2022,
            fake_bold=True,
            image_page=True,
            level="department",
            note="fake-bold doubled glyphs in the title and tables; one page is only an image (needs OCR)",
        )
    )
    return out


# ------------------------------------------------------------------ embedded tables (project progress, reviews, scores)


@dataclass
class EmbeddedTable:
    """An embedded table as printed: header rows (cells with spans) and data rows, plus what must be read.

    ``records`` holds, per data row, the canonical fields a reader must produce
    (written here from the printed values, by hand for the 磁灶镇 rows).
    """

    dataset: str
    header: list[list[tuple[int, str, int, int]]]  # per header row: (col, text, colspan, rowspan)
    rows: list[list[str]]
    records: list[dict[str, object]]
    widths: list[float] | None = None


def _iso(y: int, m: int, d: int) -> str:
    return f"{y:04d}-{m:02d}-{d:02d}"


CIZAO_RECORDS = {
    # read off the seed's project table (lines 38-42): plan is the column headed 形象进度计划表
    "project_progress": [
        {
            "seq": 1,
            "period_start": 2021,
            "period_end": 2022,
            "total_investment": 8000,
            "annual_plan": 4000,
            "month_completed": 800,
            "ytd_completed": 7550,
            "percent_of_plan": 189,
        },
        {
            "seq": 2,
            "period_start": 2022,
            "period_end": 2025,
            "total_investment": 18000,
            "annual_plan": 8500,
            "month_completed": 850,
            "ytd_completed": 11250,
            "percent_of_plan": 132,
        },
        {
            "seq": 3,
            "period_start": 2022,
            "period_end": 2023,
            "total_investment": 6000,
            "annual_plan": 4000,
            "month_completed": 500,
            "ytd_completed": 7450,
            "percent_of_plan": 188,
        },
        {
            "seq": 4,
            "period_start": 2020,
            "period_end": 2022,
            "total_investment": 50000,
            "annual_plan": 12000,
            "month_completed": 2000,
            "ytd_completed": 21300,
            "percent_of_plan": 177,
        },
    ],
    "review_log": [
        {"seq": i + 1, "department": "综合执法队", "publish_date": _iso(2022, 1, d)}
        for i, d in enumerate([4, 17, 18, 28, 29])
    ],
    "scores": [
        {"seq": 1, "weight": 50, "self_score": None},
        {"seq": 2, "weight": 50, "self_score": 47.5},
        {"seq": 31, "weight": 10, "self_score": 8},
        {"seq": 32, "weight": 10, "self_score": None},
        {"seq": 33, "weight": 20, "self_score": 20},
    ],
}

_PROJECT_NAMES = [
    "城区污水管网改造工程",
    "中心小学综合楼建设项目",
    "农村公路提级改造工程",
    "滨江公园二期工程",
    "保障性住房建设项目",
    "智慧园区基础设施项目",
]
_TITLES = [
    "关于开展春季植树活动的通知",
    "关于公布2022年第一批惠民政策的公告",
    "防汛防台工作部署会召开",
    "关于调整部分公交线路的通告",
    "城区交通综合整治情况通报",
    "关于征集民生实事项目的公告",
]


def project_table(rng: random.Random, year: int, style: str, planted: dict[int, str] | None = None) -> EmbeddedTable:
    """A project-progress table in one of three layouts.

    ``a``: plain header, columns reordered (建设年限 near the end).
    ``b``: two-level merged header (投资情况 over the money columns), percent with one decimal.
    ``planted`` maps a row number to the error planted there (percent | period | progress).
    """
    planted = planted or {}
    rows: list[list[str]] = []
    records: list[dict[str, object]] = []
    for i in range(4):
        seq = i + 1
        total = rng.randrange(2000, 60000, 100)
        plan = rng.randrange(500, min(total, 20000), 50)
        ytd = rng.randrange(100, plan * 2, 10)
        month = rng.randrange(10, max(ytd // 4, 11), 10)
        start, end = year - rng.randint(0, 2), year + rng.randint(0, 3)
        decimals = 1 if style == "b" else 0
        pct = round(ytd / plan * 100, decimals)
        if planted.get(seq) == "percent":
            pct = round(pct + 3, decimals)
        if planted.get(seq) == "period":
            start, end = year + 1, year + 3
        if planted.get(seq) == "progress":
            month = ytd + 100
        pct_txt = f"{pct:.{decimals}f}%"
        name = _PROJECT_NAMES[(i + len(style)) % len(_PROJECT_NAMES)]
        progress = "主体施工中" if i % 2 else "已完成竣工验收"
        rec = {
            "seq": seq,
            "name": name,
            "period_start": start,
            "period_end": end,
            "total_investment": total,
            "annual_plan": plan,
            "month_completed": month,
            "ytd_completed": ytd,
            "percent_of_plan": pct,
            "progress_text": progress,
        }
        records.append(rec)
        if style == "a":
            rows.append(
                [str(seq), name, str(total), str(plan), str(ytd), str(month), pct_txt, f"{start}-{end}", progress]
            )
        else:
            rows.append(
                [str(seq), name, f"{start}—{end}", str(total), str(plan), str(month), str(ytd), pct_txt, progress]
            )
    if style == "a":
        header = [
            [
                (0, "序号", 1, 1),
                (1, "项目名称", 1, 1),
                (2, "总投资（万元）", 1, 1),
                (3, "年度计划投资（万元）", 1, 1),
                (4, "1-12月累计完成投资（万元）", 1, 1),
                (5, "12月完成投资（万元）", 1, 1),
                (6, "占年度计划投资比%", 1, 1),
                (7, "建设年限", 1, 1),
                (8, "工程形象进度", 1, 1),
            ]
        ]
    else:
        header = [
            [
                (0, "序号", 1, 2),
                (1, "项目名称", 1, 2),
                (2, "建设起止年限", 1, 2),
                (3, "投资情况（万元）", 4, 1),
                (7, "完成率", 1, 2),
                (8, "形象进度", 1, 2),
            ],
            [(3, "总投资", 1, 1), (4, "年度计划投资", 1, 1), (5, "本月完成投资", 1, 1), (6, "累计完成投资", 1, 1)],
        ]
    return EmbeddedTable("project_progress", header, rows, records)


def review_table(rng: random.Random, year: int, style: str, planted: dict[int, str] | None = None) -> EmbeddedTable:
    """A review log: ``a`` dates as 2022年3月5日, two approval steps; ``b`` dates as 2022.3.5 with the
    channel column first; ``c`` ISO dates, three steps. ``planted``: row → date | approval."""
    planted = planted or {}
    rows: list[list[str]] = []
    records: list[dict[str, object]] = []
    steps = 3 if style == "c" else 2
    for i in range(4):
        seq = i + 1
        y, m, d = year, rng.randint(1, 12), rng.randint(1, 28)
        if planted.get(seq) == "date":
            y = year - 1
        date_txt = {"a": f"{y}年{m}月{d}日", "b": f"{y}.{m}.{d}", "c": f"{y}-{m:02d}-{d:02d}"}[style]
        verdicts = ["同意"] * steps
        if planted.get(seq) == "approval":
            verdicts[-1] = "不同意"
        dept = ["办公室", "经济发展办", "社会事务办", "综合执法队"][i]
        title = _TITLES[(i + len(style)) % len(_TITLES)]
        channel = "网站公开" if i % 2 else "政务公开栏"
        records.append(
            {
                "seq": seq,
                "department": dept,
                "title": title,
                "publish_date": _iso(y, m, d),
                "channel": channel,
                "verdicts": verdicts,
            }
        )
        if style == "b":
            rows.append([str(seq), channel, dept, title, date_txt, *verdicts])
        else:
            rows.append([str(seq), dept, title, date_txt, channel, *verdicts])
    step_labels = ["科室负责人意见", "分管领导意见", "主要领导意见"][:steps]
    if style == "b":
        labels = ["序号", "发布形式", "科室（部门）", "信息名称", "发布日期", *step_labels]
    else:
        labels = ["序号", "科室（部门）", "信息名称", "发布日期", "发布形式", *step_labels]
    return EmbeddedTable("review_log", [[(i, t, 1, 1) for i, t in enumerate(labels)]], rows, records)


def score_table(planted_over: int | None = None) -> EmbeddedTable:
    """A complete scoring table (rows 1..4) whose weights add up to the printed total 100."""
    items = [("依申请公开办理", 30, 28.0), ("主动公开", 30, 30.0), ("政策解读", 20, 18.5), ("平台建设", 20, 19.0)]
    rows, records = [], []
    for i, (name, w, sc) in enumerate(items):
        if planted_over == i + 1:
            sc = w + 2
        rows.append([str(i + 1), name, str(w), "政府办", "党政办", "张三", f"{sc:g}", "无", "持续改进"])
        records.append({"seq": i + 1, "indicator": name, "weight": w, "self_score": sc})
    rows.append(["", "合计权重：100", "", "", "", "", "", "", ""])
    labels = ["序号", "指标名称", "权重", "责任单位", "责任部门", "责任领导", "自评得分", "存在问题", "整改措施"]
    return EmbeddedTable("scores", [[(i, t, 1, 1) for i, t in enumerate(labels)]], rows, records)


def embedded_samples() -> list[Sample]:
    """Filings that embed project, review and scoring tables in new layouts (issue: embedded datasets)."""
    rng = random.Random(4040)
    out = []

    def mk(name: str, body: str, year: int, note: str, level: str) -> Sample:
        s = Sample(name=name, body=body, year=year, note=note, level=level)
        s.t2 = t2_values(rng, "2021")
        s.t3 = balanced_t3(rng, "2021")
        s.t4 = balanced_t4(rng)
        return s

    s = mk(
        "embedded_layout_a",
        "厦门市湖里区禾山街道办事处",
        2022,
        "project table with reordered columns; review log with dates as 2022年3月5日",
        "township",
    )
    s.tables = [project_table(rng, 2022, "a"), review_table(rng, 2022, "a")]
    out.append(s)
    s = mk(
        "embedded_layout_b",
        "漳州市龙海区海澄镇人民政府",
        2023,
        "merged two-level project header, percent with one decimal, review dates as 2022.3.5 with the channel "
        "first; planted: a wrong percent, a period outside the year, year-to-date below the month, a date in "
        "the year before, an approval of 不同意",
        "township",
    )
    s.tables = [
        project_table(rng, 2023, "b", {2: "percent", 3: "period", 4: "progress"}),
        review_table(rng, 2023, "b", {1: "date", 3: "approval"}),
    ]
    s.expected_findings = [
        ("projects.percent", "project_progress[0].2"),
        ("projects.period", "project_progress[0].3"),
        ("projects.progress", "project_progress[0].4"),
        ("reviews.date", "review_log[1].1"),
        ("reviews.approval", "review_log[1].3"),
    ]
    out.append(s)
    s = mk(
        "narrative_mismatch",
        "莆田市秀屿区东庄镇人民政府",
        2022,
        "prose counts that contradict tables 二/三/四; ISO review dates with three steps; a complete scoring "
        "table with one self score above its weight",
        "township",
    )
    s.tables = [review_table(rng, 2022, "c"), score_table(planted_over=3)]
    received = s.t3[("new_received", "total")]
    reviews = s.t4[("review", "total")]
    in_force = int(s.t2[("normative_documents", "in_force")])
    s.paragraphs = [
        "本报告中所列数据的统计期限自2022年1月1日起至2022年12月31日止。",
        f"2022年，我镇共收到依申请公开信息{received + 5}件，现行有效规范性文件{in_force + 3}件。",
        f"全年发生政府信息公开行政复议案件{reviews + 1}件。",
    ]
    s.expected_findings = [
        ("narrative.mismatch", "applications_received"),
        ("narrative.mismatch", "normative_in_force"),
        ("narrative.mismatch", "review_cases"),
        ("scores.weight", "scores[1].3"),
    ]
    out.append(s)
    return out
