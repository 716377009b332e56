"""What a table reader returns, and how one printed cell becomes a canonical value."""

from __future__ import annotations

from dataclasses import dataclass, field

from nianbao.normalizers.numbers import parse_number
from nianbao.normalizers.templates import MONEY_COLS, Template
from nianbao.pipeline.model import Cell, Finding, Provenance, TableGrid, Value
from nianbao.pipeline.settings import Settings


@dataclass(slots=True)
class ReadOut:
    """What one reader made of a table: values, findings and a quality score."""

    template: Template
    values: dict[tuple[str, str], Value] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    score: float = 0.0
    mapped_rows: set[str] = field(default_factory=set)
    mapped_cols: set[str] = field(default_factory=set)


def make_value(table: str, row: str, col: str, grid: TableGrid, cell: Cell, settings: Settings) -> Value:
    money = (table, col) in MONEY_COLS
    p = parse_number(cell.text, money=money, decimals=settings.money_decimals)
    prov = Provenance(
        source=grid.source,
        raw=cell.text,
        page=grid.page,
        bbox=cell.bbox,
        confidence=cell.confidence,
        locator=f"table[{grid.index}]/r{cell.row}/c{cell.col}",
    )
    return Value(table, row, col, p.value, prov, note=p.note, blank=p.blank)
