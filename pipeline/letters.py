"""A findings letter per filing (整改清单): its error findings in Chinese, in the form's words, ready to send.

``nianbao report OUT --letters DIR`` writes one Markdown file per filing with at least one error
finding, numbered like the filings of the HTML report. Each item says where (page), what the rule
says and which numbers were printed; the letter says it was made from the printed numbers, so the
body checks them against its own report.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from nianbao.pipeline.report import Filing

_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


def _number(s: str | None) -> bool:
    try:
        float(s or "")
    except ValueError:
        return False
    return True


def letter(f: Filing) -> str | None:
    """The letter for one filing; None when it has no error finding."""
    errors = [i for i in f.issues if i.severity == "error"]
    if not errors or f.duplicate_of:  # a copy of a report that counts elsewhere: one letter per report
        return None
    title = f.title or f"{f.year or ''}年政府信息公开工作年度报告"
    body = f.body or "（报送单位）"
    lines = [
        f"# 关于《{title}》数据问题的函",
        "",
        f"{body}：",
        "",
        f"经核对贵单位报送的《{title}》，发现以下{len(errors)}处数据与《中华人民共和国政府信息公开工作"
        "年度报告格式》规定的勾稽关系或填报要求不符，请核实原始数据，更正后重新报送：",
        "",
    ]
    for k, i in enumerate(errors, start=1):
        where = f"第{i.page}页，" if i.page else ""
        said = i.message_zh or i.title_zh or i.message
        numbers = ""
        if i.printed and _number(i.expected) and i.expected not in said:
            numbers = f"（印为{i.printed}，应为{i.expected}）"
        lines.append(f"{k}. {where}{said}{numbers}")
    lines += [
        "",
        "以上问题由 nianbao 根据报告所印数据逐项核对生成；规则编号与单元格见所附数据（findings.csv，"
        f"doc_id {f.doc_id}）。",
        "",
    ]
    return "\n".join(lines)


def write_letters(filings: Iterable[Filing], dest: Path) -> int:
    """One letter per filing with errors, named by its number, year and body; returns how many."""
    dest.mkdir(parents=True, exist_ok=True)
    n = 0
    for number, f in enumerate(filings, start=1):
        text = letter(f)
        if text is None:
            continue
        name = _UNSAFE.sub("_", f"{number:04d}_{f.year or ''}{f.body or Path(f.path).stem}")[:120]
        (dest / f"{name}.md").write_text(text, encoding="utf-8")
        n += 1
    return n
