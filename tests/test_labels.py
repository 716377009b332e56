import pytest

from nianbao.form.labels import best_match, form_pairs, is_section_heading, norm
from nianbao.form.templates import T3_2019, T3_2021, T3_COLS, T4_ROWS
from nianbao.normalizers.tables import with_group_context


def test_norm_drops_numbering_and_punctuation() -> None:
    assert (
        norm("（二）部分公开（区分处理的，只计这一情形，不计其他情形）") == "部分公开区分处理的只计这一情形不计其他情形"
    )
    assert norm("1．属于国家秘密") == norm("1.属于国家秘密") == norm("(1) 属于国家秘密") == "属于国家秘密"
    assert norm("危及“三安全一稳定”") == "危及三安全一稳定"
    # a number that is part of the label survives
    assert norm("12345诉求办理") == "12345诉求办理"


@pytest.mark.parametrize(
    ("printed", "code"),
    [
        ("一、本年新收政府信息公开申请数量", "new_received"),
        ("1. 本年新收政府信息公开申请数量", "new_received"),
        ("二、上年结转政府信息\n公开申请数量", "carried_over"),  # line break inside the label
        ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "partially_granted"),
        ("(三) 不予公开 1. 属于国家秘密", "denied_state_secret"),
        ("三、本年度办理结果（三）不予公开 3．危及“三安全一稳定”", "denied_three_securities"),
        ("（五）不予处理 2．重复申请", "not_processed_duplicate"),
        ("（六）其他处理 3．其他", "other_other"),
        ("（七）总计", "total_processed"),
        ("四、结转下年度继续办理", "carried_forward"),
        ("（四）无法提供 1.本机关不掌握相关政府信息", "unavailable_not_held"),
    ],
)
def test_t3_rows_2021(printed: str, code: str) -> None:
    m = best_match(printed, T3_2021.rows, 72, T3_2021.noise)
    assert m is not None and m.code == code


def test_single_other_row_maps_to_other_in_2019_template() -> None:
    m = best_match("（六）其他处理", T3_2019.rows, 72, T3_2019.noise)
    assert m is not None and m.code == "other"


def test_bare_item_without_group_is_not_guessed() -> None:
    # "3.其他" alone could be several rows; it must not map without its group
    assert best_match("3．其他", T3_2021.rows, 72, T3_2021.noise) is None


def test_group_context_restores_item_labels() -> None:
    label, ctx = with_group_context("（五）不予处理 1．信访举报投诉类申请", "")
    assert ctx.startswith("（五）不予处理")
    label, ctx = with_group_context("2．重复申请", ctx)
    m = best_match(label, T3_2021.rows, 72, T3_2021.noise)
    assert m is not None and m.code == "not_processed_duplicate"
    _, ctx = with_group_context("四、结转下年度继续办理", ctx)
    assert ctx == ""


@pytest.mark.parametrize(
    ("printed", "code"),
    [
        ("自然人", "natural_person"),
        ("商业企业", "commercial"),
        ("法律服务\n机构", "legal_service"),
        ("社会公益组织", "social_welfare"),
        ("其他", "other_org"),
        ("总计", "total"),
    ],
)
def test_t3_columns(printed: str, code: str) -> None:
    m = best_match(printed, T3_COLS, 72)
    assert m is not None and m.code == code


def test_drifted_wording_maps() -> None:
    m = best_match("行政法复议", T4_ROWS, 72)
    assert m is not None and m.code == "review"


def test_unrelated_label_does_not_map() -> None:
    assert best_match("项目名称", T3_2021.rows, 72, T3_2021.noise) is None
    assert best_match("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", T3_2021.rows, 72) is None


def test_section_headings() -> None:
    assert is_section_heading("三、收到和处理政府信息公开申请情况") == "t3"
    assert is_section_heading("四、政府信息公开行政复议、行政诉讼情况") == "t4"
    assert is_section_heading("一、本年新收政府信息公开申请数量") is None
    assert is_section_heading("四、结转下年度继续办理") is None


def test_a_column_header_read_together_with_its_group_headings_is_matched() -> None:
    """Copier seed 5747: a vertical header group on a copy, OCR read "申请人情况", "法人或其他组织"
    and "社会公益组织" into one cell; the column was taken as not printed."""
    from nianbao import Settings
    from nianbao.form.templates import T3_2021
    from nianbao.model import Cell, TableGrid
    from nianbao.normalizers.tables import read_rows_cols

    heads = [
        "",
        "自然人",
        "商业企业",
        "科研机构",
        "申请人情况法人或其他组织社会公益组织",
        "法律服务机构",
        "其他",
        "总计",
    ]
    row = ["（一）予以公开", "6", "5", "0", "1", "2", "0", "14"]
    cells = [Cell(r, c, text) for r, texts in enumerate((heads, row)) for c, text in enumerate(texts) if text]
    grid = TableGrid(index=0, page=1, n_rows=2, n_cols=8, cells=cells, method="aligned", source="ocr")
    out = read_rows_cols([grid], T3_2021, Settings())
    assert {col: v.value for (r, col), v in out.values.items() if r == "granted"} == {
        "natural_person": 6,
        "commercial": 5,
        "research": 0,
        "social_welfare": 1,
        "legal_service": 2,
        "other_org": 0,
        "total": 14,
    }
    # the group heading alone still names no column
    grid.cells[3] = Cell(0, 4, "法人或其他组织")
    out = read_rows_cols([grid], T3_2021, Settings())
    assert "social_welfare" not in out.mapped_cols


@pytest.mark.parametrize(
    ("text", "pairs"),
    [
        # a worn scan's labels still read as the form's words (copier seed 6714, turned the right way)
        ("一、本年新收政不信点", 4),  # 本年 年新 新收 收政
        ("(二) 部分公开（区", 3),  # 部分 分公 公开
        # the same page's glyphs read on their side: sure, and none of the form's words
        ("公这", 0),
        ("分计形", 0),
        ("律务构", 0),
        ("0.97 12", 0),  # digits are no evidence either way
    ],
)
def test_form_pairs_count_the_forms_own_words(text: str, pairs: int) -> None:
    assert form_pairs(text) == pairs
