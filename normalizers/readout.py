"""What a table reader returns, and how one printed cell becomes a canonical value."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from nianbao.form.templates import MONEY_COLS, SIGNED_COLS, Template
from nianbao.model import Cell, Finding, Provenance, TableGrid, Value
from nianbao.normalizers.numbers import parse_number
from nianbao.settings import Settings


@dataclass(slots=True)
class ReadOut:
    """What one reader made of a table: values, findings and a quality score."""

    template: Template
    values: dict[tuple[str, str], Value] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    score: float = 0.0
    mapped_rows: set[str] = field(default_factory=set)
    mapped_cols: set[str] = field(default_factory=set)


_LEADING_ZERO = re.compile(r"^0\d+$")
_LEADING_POINT = re.compile(r"^[.．·]\d+$")


def make_value(table: str, row: str, col: str, grid: TableGrid, cell: Cell, settings: Settings) -> Value:
    prov = Provenance(
        source=grid.source,
        raw=cell.text,
        page=grid.page,
        bbox=cell.bbox,
        confidence=cell.confidence,
        locator=f"table[{grid.index}]/r{cell.row}/c{cell.col}",
        doubt=cell.doubt,
    )
    return value_of(table, row, col, prov, settings)


def value_of(table: str, row: str, col: str, prov: Provenance, settings: Settings) -> Value:
    """The canonical value of a printed cell (its text in ``prov.raw``): money in 万元, blanks as 0."""
    money = (table, col) in MONEY_COLS
    if prov.doubt == "point_gap" and not money:
        prov.doubt = None  # no count is printed with a point: a gap between its digits is spacing
    if prov.doubt == "leading_dash" and (table, col) not in SIGNED_COLS and prov.raw.startswith("-"):
        # the minus came from the ink test beside the digits, not from the recogniser; in a column
        # that is never negative that dash is a streak or a rule's stub (a copier's "-8" for 8 in
        # table 三, re-read the same from the same ink: a false value.domain error and two false
        # sums, copier seed 3601). Still doubted: the cell is reviewed, and read again in a sum
        prov.raw, prov.doubt = prov.raw[1:], "speck_dash"
    if prov.source == "ocr" and not money and _LEADING_POINT.match(prov.raw.strip()):
        # no count is printed with a point, least of all before its first digit: a speck left of
        # the digits read as one (".6" at 0.91 for a planted 6, the cell left unread and the error
        # lost: copier seed 3604). Doubted, as a speck read as a point between digits is
        prov.raw, prov.doubt = prov.raw.strip()[1:], "speck_point"
    p = parse_number(prov.raw, money=money, decimals=settings.money_decimals)
    if prov.doubt == "rule_lost" and p.blank:
        # a blank where the page lost the rule beside it is no printed blank: not 0, left unread
        return Value(table, row, col, None, prov, note="no ink read where a rule was lost", blank=False)
    if prov.source == "ocr" and p.value is not None and not prov.doubt:
        if p.note and "words beside" in p.note:
            # OCR'd ink beside the digits (a letter, a stroke of a seal, the next row's digits read
            # into the cell: "3001 C" where 34 is printed) is doubt, not a unit: the number is reviewed
            prov.doubt = "letters_beside"
        elif _LEADING_ZERO.match(prov.raw.strip()):
            # no count is printed with a leading zero: "07" is a 97 or a 67 whose first digit lost
            # its loop under a seal, never 7
            prov.doubt = "leading_zero"
    return Value(table, row, col, p.value, prov, note=p.note, blank=p.blank)
