"""Title and header variants of real filings, for the metadata reader (issue on auditor-readable output).

Each shape returns the lines a filing starts with (and, for one, the file name that carries the title)
for a body and a year. Pure strings; :func:`dump_with_header` puts them in front of a tab dump of tables
二/三/四 so the whole report can be read.
"""

from __future__ import annotations

from collections.abc import Callable

REPORT = "政府信息公开工作年度报告"
OPENING = "本报告根据《中华人民共和国政府信息公开条例》要求编制，所列数据的统计期限自{y}年1月1日起至{y}年12月31日止。"


def _s(lines: list[str], file: str | None = None) -> tuple[list[str], str | None]:
    return lines, file


SHAPES: dict[str, Callable[[str, int], tuple[list[str], str | None]]] = {
    "one_line": lambda b, y: _s([f"{b}{y}年{REPORT}"]),
    "body_own_line": lambda b, y: _s([b, f"{y}年{REPORT}"]),
    "year_first": lambda b, y: _s([f"{y}年{b}{REPORT}"]),
    "year_first_du": lambda b, y: _s([f"{y}年度{b}{REPORT}"]),
    "split_two_lines": lambda b, y: _s([f"{b}{y}年政府信息", "公开工作年度报告"]),
    "spaced_like_seed": lambda b, y: _s([f"{b} {y} 年政府信息 公开工作年度报告"]),
    "portal_fields": lambda b, y: _s(
        [f"标题: {b}{y}年{REPORT}", f"发布时间: {y + 1}-01-20", f"发布机构: {b}", "-" * 20]
    ),
    "portal_fields_short_title": lambda b, y: _s(
        [f"标题：{y}年{REPORT}", f"发布时间：{y + 1}-01-25 09:30", f"发布机构：{b}", "来源：本站"]
    ),
    "markdown_heading": lambda b, y: _s([f"# {b}{y}年{REPORT}"]),
    "markdown_bold_year_first": lambda b, y: _s([f"**{y}年{b}{REPORT}**"]),
    "book_brackets": lambda b, y: _s([f"《{b}{y}年{REPORT}》"]),
    "title_without_body_opening_by": lambda b, y: _s(
        [f"{y}年{REPORT}", f"本报告由{b}根据《中华人民共和国政府信息公开条例》编制。"]
    ),
    "summary_opening": lambda b, y: _s(
        [REPORT, f"（{y}年度）", f"本报告是由{b}汇总各有关单位政府信息公开工作情况编制而成。"]
    ),
    "file_name_only": lambda b, y: _s([f"{y}年度政府信息公开工作报告"], file=f"{b}{y}年{REPORT}"),
}


def header_lines(shape: str, body: str, year: int) -> tuple[list[str], str | None]:
    return SHAPES[shape](body, year)


def dump_with_header(shape: str, body: str, year: int, tables_dump: str) -> tuple[str, str | None]:
    """A tab dump whose header is the shape's (its own title line replaced)."""
    lines, file = header_lines(shape, body, year)
    rest = tables_dump.split("\n", 1)[1]  # drop the dump's own title line
    return "\n".join([*lines, "", OPENING.format(y=year), rest]), file
