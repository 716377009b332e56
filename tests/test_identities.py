"""The form's identities, defined once (nianbao/form/identities.py), stated here from the form's text."""

from __future__ import annotations

from nianbao.form.identities import SUM_RULE_CODES, identities
from nianbao.form.templates import T3_2019, T3_2021, T4
from nianbao.normalizers.sequence import column_sums, row_holds

T3_COLS = ("natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org", "total")


def test_table_three_identities_as_the_form_states_them() -> None:
    ids = {(i.rule, i.subject): i for i in identities(T3_2021)}
    assert {r for r, _ in ids} == {"t3.balance", "t3.results_total", "t3.applicant_total"}
    for col in T3_COLS:
        # 一、本年新收 + 二、上年结转 = （七）总计 + 四、结转下年度
        bal = ids[("t3.balance", col)]
        assert bal.parts == (("new_received", col), ("carried_over", col))
        assert bal.totals == (("total_processed", col), ("carried_forward", col))
        # （一）…（六） = （七）总计: 2021 prints 21 result rows
        res = ids[("t3.results_total", col)]
        assert len(res.parts) == 21 and res.totals == (("total_processed", col),)
    # 自然人 + five 法人或其他组织 columns = 总计, on every row of the table
    rows = [r.code for r in T3_2021.rows]
    assert [s for r, s in ids if r == "t3.applicant_total"] == rows
    app = ids[("t3.applicant_total", "granted")]
    assert app.parts == tuple(("granted", c) for c in T3_COLS[:-1]) and app.totals == (("granted", "total"),)
    # the 2019 format: （一）（二）, eight （三）, three （四）, five （五） and one （六）其他处理 row
    assert len(next(i for i in identities(T3_2019) if i.rule == "t3.results_total").parts) == 19


def test_table_four_and_the_codes() -> None:
    ids = identities(T4)
    assert {i.rule for i in ids} == {"t4.total"} and len(ids) == len(T4.rows)
    assert {"t3.balance", "t3.results_total", "t3.applicant_total", "t4.total"} == SUM_RULE_CODES
    one = ids[0]
    assert [c for _, c in one.parts] == ["upheld", "corrected", "other", "pending"]
    assert [c for _, c in one.totals] == ["total"]
    assert one.holds({**dict.fromkeys(one.parts, 1), one.totals[0]: 4}) is True
    assert one.holds({**dict.fromkeys(one.parts, 1), one.totals[0]: 5}) is False
    assert one.holds(dict.fromkeys(one.parts, 1)) is None


def test_the_run_together_reader_takes_the_same_sums() -> None:
    """A row reading holds exactly when its columns add up; down the columns the reader gets one sum
    per identity of the form, over the rows the form names."""
    assert row_holds(T3_2021, T3_COLS, "granted", (1, 2, 0, 0, 0, 0, 3))
    assert not row_holds(T3_2021, T3_COLS, "granted", (1, 2, 0, 0, 0, 0, 4))
    sums = column_sums(T3_2021, T3_COLS)
    assert len(sums) == 2 * len(T3_COLS)  # the balance and the results total, in every column
    results = [r.code for r in T3_2021.rows if r.role == "result"]
    by_col = [s for s in sums if s.col == T3_COLS.index("commercial")]
    assert {(s.parts, s.totals) for s in by_col} == {
        (("new_received", "carried_over"), ("total_processed", "carried_forward")),
        (tuple(results), ("total_processed",)),
    }
    # a column that is not printed has no sums
    assert all(s.col < 6 for s in column_sums(T3_2021, T3_COLS[:6]))
