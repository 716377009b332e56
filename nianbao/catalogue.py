"""The catalogue of finding types: stable codes, default severity, one-line meaning.

Codes are part of the output contract (``findings.rule``); add new ones, never
rename. Every stage creates findings through :func:`finding` so that a code that
is not catalogued fails loudly in tests instead of reaching users.
"""

from __future__ import annotations

from dataclasses import dataclass

from nianbao.model import BBox, CellRef, Finding, Severity


@dataclass(frozen=True, slots=True)
class FindingType:
    code: str
    severity: Severity
    title: str
    title_zh: str = ""


_E, _W, _I = Severity.ERROR, Severity.WARNING, Severity.INFO

CATALOGUE: dict[str, FindingType] = {
    t.code: t
    for t in [
        # arithmetic rules of the format (勾稽关系)
        FindingType(
            "t3.balance",
            _E,
            "T3: new + carried over must equal total processed + carried forward",
            "表三：第一项加第二项之和不等于第三项加第四项之和",
        ),
        FindingType(
            "t3.results_total",
            _E,
            "T3: 总计 row must equal the sum of the result rows",
            "表三：办理结果各项之和不等于（七）总计",
        ),
        FindingType(
            "t3.applicant_total",
            _E,
            "T3: 总计 column must equal the sum of the applicant columns",
            "表三：各类申请人之和不等于总计栏",
        ),
        FindingType(
            "t4.total",
            _E,
            "T4: 总计 must equal 维持 + 纠正 + 其他 + 尚未审结",
            "表四：结果维持、结果纠正、其他结果、尚未审结之和不等于总计",
        ),
        FindingType(
            "value.domain",
            _E,
            "A count is not a non-negative whole number, or a fee is negative",
            "数值不是非负整数，或收费金额为负",
        ),
        FindingType(
            "cross_year.carry_over",
            _E,
            "This year's 上年结转 differs from last year's 结转下年度",
            "本年“上年结转”与上年报告“结转下年度继续办理”不一致",
        ),
        FindingType(
            "cross_year.stock",
            _W,
            "现行有效件数 did not move by 本年制发 − 本年废止",
            "现行有效件数的变化不等于本年制发件数减本年废止件数",
        ),
        FindingType(
            "narrative.mismatch", _W, "A count stated in prose contradicts the table", "正文所述数量与表格不一致"
        ),
        FindingType(
            "projects.percent",
            _W,
            "A project's printed percentage is not 累计完成 / 年度计划",
            "项目完成百分比不等于累计完成除以年度计划",
        ),
        FindingType(
            "projects.period",
            _W,
            "The report year is outside a project's construction period",
            "报告年度不在项目建设期内",
        ),
        FindingType(
            "projects.progress",
            _W,
            "A project's year-to-date amount is less than this month's",
            "项目年度累计完成额小于本月完成额",
        ),
        FindingType(
            "reviews.date",
            _W,
            "A reviewed publication's date is outside the report year",
            "审查记录的发布日期不在报告年度内",
        ),
        FindingType(
            "reviews.approval",
            _W,
            "An approval step of a reviewed publication is missing or not 同意",
            "审查记录缺少审批环节或审批意见不是“同意”",
        ),
        FindingType(
            "scores.weight",
            _W,
            "A self score exceeds its weight, or weights miss the printed total",
            "自评分超过权重，或权重之和与合计不符",
        ),
        FindingType(
            "value.blank_line",
            _E,
            "A whole 总计 column or row is printed blank (read as 0); the sums it breaks are linked to it",
            "整栏（或整行）空白，按0计，导致多处勾稽关系不成立",
        ),
        FindingType(
            "check.incomplete",
            _I,
            "A rule could not be evaluated because cells are missing",
            "因单元格缺失或无法识别，该规则未能核对",
        ),
        # reading problems
        FindingType(
            "value.unreadable",
            _W,
            "A cell's printed text is not a number where a number belongs",
            "应为数字的单元格内容不是数字",
        ),
        FindingType(
            "value.converted",
            _I,
            "A cell carried a unit or words beside the number; converted",
            "单元格带有单位或文字，已换算",
        ),
        FindingType(
            "extract.missing_cell",
            _W,
            "A cell of the format table was not found in the filing",
            "报告中未找到该表格单元格",
        ),
        FindingType(
            "extract.missing_column", _W, "A column of the format table is missing from the filing", "报告表格缺少该栏"
        ),
        FindingType(
            "extract.unmapped_row",
            _W,
            "A table row could not be mapped to the format's rows",
            "表格某行无法对应到格式中的行",
        ),
        FindingType(
            "extract.unmapped_column",
            _W,
            "A table column could not be mapped to the format's columns",
            "表格某栏无法对应到格式中的栏",
        ),
        FindingType(
            "extract.misaligned_row",
            _W,
            "A row prints more or fewer values than its columns; not read",
            "该行数字个数与栏数不符，未读取",
        ),
        FindingType(
            "extract.ambiguous_digits",
            _W,
            "Digits printed together split several valid ways; not read",
            "数字连写，可有多种拆分，未读取",
        ),
        FindingType(
            "extract.sums_relaxed",
            _W,
            "No split of run-together digits satisfies every column sum; split with a column's sums left out",
            "连写数字的任何拆分均不满足全部列勾稽关系，已在去掉某栏勾稽关系后拆分",
        ),
        FindingType(
            "extract.readers_disagree",
            _W,
            "The grid reader and the anchored reader read a cell differently; left empty",
            "两种读取方式结果不一致，该单元格留空",
        ),
        FindingType(
            "extract.shared_value",
            _W,
            "One printed number was read into two cells of a table; both left empty",
            "同一数字被读入两个单元格，均留空",
        ),
        FindingType(
            "extract.value_outside_columns",
            _W,
            "A table row prints a number in no column of its header; the row's blank cells are not taken as 0",
            "表格行有数字不在表头任何一列之下；该行空白单元格不按0计",
        ),
        FindingType(
            "extract.row_broken_by_page",
            _I,
            "A table row broken across a page: the digits on the next page were joined to the row's cells",
            "表格行跨页断开：下页的数字已接续到该行单元格",
        ),
        FindingType(
            "extract.readers_resolved",
            _I,
            "The two readers disagreed on a cell; the reading that satisfies the format's sums was kept",
            "两种读取方式不一致，保留满足勾稽关系的读数",
        ),
        FindingType(
            "extract.format_uncertain",
            _W,
            "Rows that tell the 2019 and 2021 formats apart were not read",
            "未读到区分2019年与2021年格式的行，格式无法确认",
        ),
        FindingType(
            "extract.table_not_found", _W, "A format table was not found in the filing", "报告中未找到该格式表格"
        ),
        FindingType(
            "extract.needs_ocr",
            _W,
            "A page has no trustworthy text layer; it needs OCR",
            "该页没有可信的文字层，需要OCR识别",
        ),
        FindingType(
            "extract.layout_lost",
            _I,
            "The whole report was on one line; it was cut again at the form's own labels",
            "全文在一行内，已按表格标签重新切分",
        ),
        FindingType(
            "extract.doubled_glyphs",
            _I,
            "Doubled (fake-bold) glyphs were removed from a page",
            "已去除该页重复（仿粗体）字符",
        ),
        FindingType(
            "extract.unsupported_format",
            _W,
            "The filing does not follow the 2019 or 2021 format",
            "报告未采用2019年或2021年格式",
        ),
        FindingType(
            "ocr.low_confidence",
            _W,
            "An OCR'd value is under the confidence threshold, or not a number",
            "OCR识别置信度低，或识别结果不是数字",
        ),
        FindingType(
            "ocr.suspect_sum",
            _W,
            "A sum fails only because of a doubtful OCR reading: another reading of one cell restores it",
            "勾稽不符仅因一个OCR读数存疑：改读该单元格即可恢复，不作为错误",
        ),
        FindingType(
            "ocr.recovered_value",
            _W,
            "A cell of an OCR'd table no reader found, read where its row and column cross: every look read "
            "the same number surely (the uncut box may read it among specks), and the cell takes it (for review)",
            "首次识别未找到的单元格，在其行列交叉处重新识别，各次读数一致且置信度高，已采用，请核对",
        ),
        FindingType(
            "ocr.reread_value",
            _W,
            "A cell of a failed sum re-read twice the same way, unlike the first OCR pass; the re-reading "
            "restores every sum and is kept",
            "失败勾稽所涉单元格两次重新识别结果一致且不同于首次识别，采用后勾稽关系全部成立",
        ),
        FindingType(
            "ocr.decimal_point",
            _W,
            "An amount OCR read as digits only, whose ink shows a decimal point between them; read with the point",
            "金额OCR识别时漏掉小数点，图像中数字间有小数点，已按含小数点读取",
        ),
        FindingType(
            "ocr.minus_sign",
            _W,
            "A 本年增/减 OCR read without a minus sign that a second look at the ink left of it sees: taken "
            "when two looks agree, otherwise reported with the value left as read",
            "本年增/减OCR识别时可能漏掉负号：两次复核一致时采用，否则仅提示，数值保持原样",
        ),
        FindingType(
            "ocr.unconfirmed_sum",
            _W,
            "A sum fails as read on a scan, but its cells' OCR readings disagree, or another reading restores it",
            "扫描件勾稽不符，但相关单元格多次识别结果不一致，另一读数可使其成立，不作为错误",
        ),
        FindingType(
            "ocr.unconfirmed_value",
            _W,
            "A value read by OCR that no sum checks, or outside its column's domain (a point in a count), whose "
            "readings are not confirmed; for review, not an error",
            "扫描件中无勾稽关系可核对或不符合取值要求的数值，识别结果未经确认，请核对，不作为错误",
        ),
        FindingType(
            "value.unconfirmed",
            _I,
            "Values that rest on one reading: no sum of the format checks them as read and no second reader "
            "read them the same (disclosure.confirmed_by = none); compare them with the filing before relying on them",
            "以下数值仅有一次读取：无可核对的勾稽关系，也无第二种读取方式印证（confirmed_by 为 none），"
            "使用前请对照原件",
        ),
        FindingType(
            "ocr.suggested_value",
            _W,
            "One doubtful OCR'd cell (read with low confidence, or under a seal whose black ink reads another "
            "number), read otherwise, would restore every failed sum",
            "若将一个存疑单元格（识别置信度低，或印章下黑色墨迹读为另一数值）改读为另一值，所有不成立的勾稽关系即可成立",
        ),
        FindingType(
            "documents.duplicate",
            _I,
            "The same report (same body and year, same tables) was read in another format; counted once",
            "同一机关同一年度的同一报告（另一格式），只计一次",
        ),
        FindingType(
            "documents.conflict",
            _W,
            "Two filings of the same body and year print different tables",
            "同一机关同一年度的两份报告表格数据不一致",
        ),
        FindingType(
            "metadata.body_unknown",
            _W,
            "The issuing body was found nowhere: title, opening, header fields, file name",
            "未能识别发布机关",
        ),
        FindingType("input.unreadable", _E, "The file could not be read", "文件无法读取"),
        FindingType(
            "input.not_a_report",
            _E,
            "The file was read but is not a government information disclosure annual report",
            "文件可以读取，但不是政府信息公开工作年度报告",
        ),
        FindingType(
            "value.corrected",
            _I,
            "A cell's value was corrected by hand (a corrections file); the printed text is kept",
            "单元格数值已人工更正（更正文件），原印文字保留",
        ),
    ]
}


def finding(
    code: str,
    message: str,
    *,
    table: str | None = None,
    cells: list[CellRef] | None = None,
    expected: object = None,
    printed: object = None,
    page: int | None = None,
    bbox: BBox | None = None,
    severity: Severity | None = None,
    subject: str | None = None,
    message_zh: str | None = None,
    group: str | None = None,
) -> Finding:
    ft = CATALOGUE[code]  # KeyError for an uncatalogued code is intended
    cells = cells or []
    if page is None and cells:
        page, bbox = cells[-1].page, cells[-1].bbox
    return Finding(
        rule=code,
        severity=severity or ft.severity,
        message=message,
        table=table,
        cells=cells,
        expected=None if expected is None else _fmt(expected),
        printed=None if printed is None else _fmt(printed),
        page=page,
        bbox=bbox,
        subject=subject,
        message_zh=message_zh or _message_zh(ft, subject, cells, printed),
        group=group,
    )


def recoded(f: Finding, code: str, message: str, message_zh: str) -> Finding:
    """The same finding (cells, values, place, subject) under another code and message: a rule
    finding demoted to a warning because the readings it rests on are in doubt."""
    return finding(
        code,
        message,
        table=f.table,
        cells=f.cells,
        expected=f.expected,
        printed=f.printed,
        page=f.page,
        bbox=f.bbox,
        subject=f.subject,
        message_zh=message_zh,
        group=f.group,  # still part of what it was part of (a blank 总计 column's sums)
    )


def _message_zh(ft: FindingType, subject: str | None, cells: list[CellRef], printed: object) -> str:
    """The catalogue's Chinese sentence, said of the cell (or row, column) the finding is about."""
    from nianbao.form.templates import zh_path

    where = ""
    if cells:
        c = cells[0]
        row, col = zh_path(c.table, c.row, c.col)
        where = f"{row}（{col}）"
    elif subject and subject.count(".") >= 1 and subject.split(".")[0] in ("t2", "t3", "t4"):
        table, _, rest = subject.partition(".")
        parts = rest.split(".")
        row, col = zh_path(table, parts[0], parts[1] if len(parts) > 1 else "")
        where = row if row != parts[0] else col
    said = f"：印为“{_fmt(printed)}”" if printed not in (None, "") else ""
    return f"{where}：{ft.title_zh}{said}" if where else ft.title_zh


def _fmt(v: object) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)
