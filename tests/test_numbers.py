import pytest

from nianbao.normalizers.numbers import parse_number


@pytest.mark.parametrize(
    ("raw", "value", "blank"),
    [
        ("0", 0, False),
        ("12", 12, False),
        ("１２３", 123, False),  # full-width digits
        ("1,234", 1234, False),
        ("１，２３４", 1234, False),
        (" 7 ", 7, False),
        ("+19", 19, False),
        ("-18", -18, False),
        ("", 0, True),
        ("—", 0, True),
        ("-", 0, True),
        ("/", 0, True),
        ("无", 0, True),
        ("22（其中修订16件）", 22, False),
        ("55（含自然失效29件）", 55, False),
    ],
)
def test_counts(raw: str, value: int, blank: bool) -> None:
    p = parse_number(raw)
    assert p.value == value
    assert isinstance(p.value, int)
    assert p.blank is blank


def test_words_beside_number_are_noted() -> None:
    assert "其中修订16件" in (parse_number("22（其中修订16件）").note or "")


def test_money_in_yuan_is_converted_to_wan_yuan() -> None:
    p = parse_number("251000元", money=True)
    assert p.value == pytest.approx(25.1)
    assert "万元" in (p.note or "")
    assert parse_number("75394432.52元", money=True).value == pytest.approx(7539.443252)


def test_money_keeps_six_decimals() -> None:
    assert parse_number("5949.088667", money=True).value == pytest.approx(5949.088667)


@pytest.mark.parametrize("raw", ["abc", "0 0 0", "1 2", "约五件", "?"])
def test_not_a_number(raw: str) -> None:
    p = parse_number(raw)
    assert p.value is None
    assert p.note


def test_decimal_count_is_kept_as_printed() -> None:
    # value.domain flags it later; the reader must not round it away
    assert parse_number("2.5").value == 2.5
