"""The auditor's workbook: the datasets as sheets, and each filing's tables with flagged cells filled.

Sheets: 汇总 (the wide table: one row per counted filing, key indicators), 概览 (one row per filing,
linked to its sheet), 发现 (every finding), then the run's
datasets as written (documents, disclosure, bodies, …; a dataset longer than Excel's row limit
continues on further sheets), then one sheet per filing with its tables 二/三/四 laid out as
the form prints them. A cell a finding names is filled (red: error, amber: warning) and carries
a comment with each finding's rule and message.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from nianbao.pipeline.export import LEVEL_ZH, STATUS_ZH, wide
from nianbao.pipeline.reading import open as open_run
from nianbao.pipeline.report import TABLE_ZH, TABLES, Filing

ERROR_FILL = PatternFill("solid", start_color="FFF4B6B0", end_color="FFF4B6B0")
WARNING_FILL = PatternFill("solid", start_color="FFFFE0A3", end_color="FFFFE0A3")
HEAD_FILL = PatternFill("solid", start_color="FFE8ECF2", end_color="FFE8ECF2")
BOLD = Font(bold=True)
SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}
EXCEL_ROWS = 1_048_576
# Excel refuses these in sheet names, and names longer than 31 characters
_BAD_SHEET = re.compile(r"[\[\]:*?/\\]")
# characters openpyxl (and Excel) cannot store in a cell: control characters other than tab/newline
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _cell_text(v: Any) -> Any:
    if isinstance(v, str):
        v = _ILLEGAL.sub("\ufffd", v)
        # a filing's text is data, never a formula: Excel would run "=HYPERLINK(…)" or "=cmd|…"
        if v[:1] in ("=", "+", "-", "@") and not _is_number(v):
            return "'" + v
    return v


def _is_number(s: str) -> bool:
    try:
        float(s)
    except ValueError:
        return False
    return True


def _sheet_name(f: Filing, used: set[str], number: int) -> str:
    """The filing's number in the list (as in 概览 and the HTML report's #doc=N), its year and body:
    "3 2022磁灶镇人民政府", never a hash; cut to Excel's 31 characters."""
    who = f.body or Path(f.path or "").stem or "无名"
    name = _BAD_SHEET.sub("_", f"{number} {f.year or ''}{who}")[:31]
    while name in used:  # cannot happen with distinct numbers, unless cut short: say so by a mark
        name = name[:30] + "~"
    used.add(name)
    return name


def _number(v: Any) -> Any:
    """印为/应为 as numbers where they are numbers (Excel sums and sorts them), text otherwise."""
    if isinstance(v, str) and _is_number(v):
        x = float(v)
        return int(x) if x.is_integer() else x
    return v


def _autosize(ws: Any, widths: dict[int, int]) -> None:
    for col, w in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = min(60, max(8, w))


def render_xlsx(filings: Iterable[Filing], out_dir: Path, out: Path) -> dict[str, int]:
    """Write the workbook; returns counts (filings, flagged cells)."""
    wb = Workbook()
    summary = wb.active
    summary.title = "汇总"
    _summary(summary, out_dir)
    overview = wb.create_sheet("概览")
    overview.append(["机关", "年度", "层级", "地区", "状态", "错误", "警告", "文件", "doc_id", "工作表"])
    found = wb.create_sheet("发现")
    found.append(
        ["doc_id", "机关", "年度", "规则", "说明", "级别", "单元格", "印为", "应为", "页", "来源", "说明（英文）"]
    )
    filing_sheets: list[tuple[Filing, str]] = []
    used = {"汇总", "概览", "发现"}
    flagged_total = 0
    for number, f in enumerate(filings, start=1):
        name = _sheet_name(f, used, number)
        filing_sheets.append((f, name))
        errs = sum(1 for i in f.issues if i.severity == "error")
        warns = sum(1 for i in f.issues if i.severity == "warning")
        overview.append(
            [
                _cell_text(x)
                for x in (
                    f.body,
                    f.year,
                    LEVEL_ZH.get(f.level or "", f.level),
                    f.region,
                    STATUS_ZH.get(f.status or "", f.status),
                    errs,
                    warns,
                    f.path,
                    f.doc_id,
                    name,
                )
            ]
        )
        link = overview.cell(row=overview.max_row, column=10)
        link.hyperlink = f"#'{name}'!A1"
        link.font = Font(color="FF1F3A8F", underline="single")
        for i in f.issues:
            found.append(
                [
                    _cell_text(x)
                    for x in (
                        f.doc_id,
                        f.body,
                        f.year,
                        i.rule,
                        i.message_zh,
                        SEVERITY_ZH.get(i.severity, i.severity),
                        ";".join(i.cells),
                        _number(i.printed),
                        _number(i.expected),
                        i.page,
                        i.source,
                        i.message,
                    )
                ]
            )
    for ws in (summary, overview, found):
        for c in ws[1]:
            c.font, c.fill = BOLD, HEAD_FILL
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = ws.dimensions  # the filter buttons on the header row
    _autosize(overview, {1: 28, 2: 8, 3: 10, 4: 16, 5: 8, 6: 6, 7: 6, 8: 40, 9: 18, 10: 24})
    _autosize(found, {1: 18, 2: 24, 3: 8, 4: 20, 5: 60, 6: 8, 7: 40, 8: 10, 9: 10, 10: 5, 11: 8, 12: 40})
    _datasets(wb, out_dir)
    for f, name in filing_sheets:
        flagged_total += _filing_sheet(wb.create_sheet(name), f)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return {"filings": len(filing_sheets), "flagged_cells": flagged_total}


def _summary(ws: Any, out_dir: Path) -> None:
    """汇总: the wide table, one row per counted filing (`nianbao export --format wide`)."""
    df = wide(out_dir)
    ws.append(list(df.columns))
    for row in df.itertuples(index=False):
        ws.append([None if pd.isna(x) else _cell_text(x.item() if hasattr(x, "item") else x) for x in row])
    _autosize(ws, {i + 1: max(8, len(str(c)) * 2 + 2) for i, c in enumerate(df.columns)} | {1: 28})


def _datasets(wb: Workbook, out_dir: Path) -> None:
    with open_run(out_dir) as run:
        for name in run.names:
            try:
                df = run[name]
            except (FileNotFoundError, KeyError):
                continue
            cols = list(df.columns)
            rows = df.astype(object).where(df.notna(), None).itertuples(index=False, name=None)
            part, ws = 0, None
            for k, row in enumerate(rows):
                if k % (EXCEL_ROWS - 1) == 0:
                    part += 1
                    ws = wb.create_sheet(name if part == 1 else f"{name} ({part})")
                    ws.append(cols)
                    for c in ws[1]:
                        c.font, c.fill = BOLD, HEAD_FILL
                    ws.freeze_panes = "A2"
                assert ws is not None
                ws.append([_cell_text(v) for v in row])
            if ws is None:
                ws = wb.create_sheet(name)
                ws.append(cols)


def _filing_sheet(ws: Any, f: Filing) -> int:
    ws.append([_cell_text(f.title or f.body or f.path)])
    ws["A1"].font = Font(bold=True, size=13)
    for label, v in (("机关", f.body), ("年度", f.year), ("格式", f.format), ("状态", f.status), ("文件", f.path)):
        if v not in (None, ""):
            ws.append([label, _cell_text(v)])
    if f.error:
        ws.append(["错误", _cell_text(f.error)])
    flagged = f.flagged
    n_flagged = 0
    width = 2
    for t in TABLES:
        cells = f.tables.get(t)
        if not cells:
            continue
        ws.append([])
        ws.append([TABLE_ZH[t]])
        ws.cell(row=ws.max_row, column=1).font = Font(bold=True, size=12)
        for sec in f.sections(t):
            ws.append([sec.heading, *[c.label for c in sec.cols]])
            for c in ws[ws.max_row]:
                c.font, c.fill = BOLD, HEAD_FILL
                c.alignment = Alignment(wrap_text=True, vertical="top")
            width = max(width, len(sec.cols) + 1)
            for r in sec.rows:
                row_vals: list[Any] = [r.label]
                for c in sec.cols:
                    cell = cells.get(f"{r.code}.{c.code}")
                    row_vals.append(None if cell is None else (cell.value if cell.value is not None else cell.raw))
                ws.append([_cell_text(v) for v in row_vals])
                for k, col in enumerate(sec.cols, start=2):
                    issues = flagged.get(f"{t}.{r.code}.{col.code}")
                    if not issues:
                        continue
                    xl = ws.cell(row=ws.max_row, column=k)
                    worst = "error" if any(i.severity == "error" for i in issues) else "warning"
                    xl.fill = ERROR_FILL if worst == "error" else WARNING_FILL
                    xl.comment = Comment("\n".join(f"{i.rule}：{i.message_zh}" for i in issues)[:2000], "nianbao")
                    n_flagged += 1
    if f.issues:
        ws.append([])
        ws.append(["发现"])
        ws.cell(row=ws.max_row, column=1).font = Font(bold=True, size=12)
        for i in f.issues:
            ws.append([_cell_text(x) for x in (i.rule, i.severity, i.message_zh, i.printed, i.expected)])
    ws.column_dimensions["A"].width = 48
    for k in range(2, width + 1):
        ws.column_dimensions[get_column_letter(k)].width = 14
    return n_flagged
