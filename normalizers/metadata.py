"""Report metadata from the title and the opening paragraph: body, level, region, year."""

from __future__ import annotations

import re

from nianbao.pipeline.catalogue import finding
from nianbao.pipeline.model import DocumentResult, Metadata
from nianbao.pipeline.settings import Settings

_TITLE_YEAR = re.compile(r"^(?P<body>.*?)\s*(?P<year>(?:19|20)\d{2})\s*年\s*度?\s*(?:政府信息公开|政务公开|信息公开)")
_PERIOD_YEAR = re.compile(r"统计期限.*?((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日")

# (suffix of the body, level): first match wins, so departments come before places.
LEVELS: tuple[tuple[str, str], ...] = (
    ("街道办事处", "township"),
    ("街道", "township"),
    ("镇人民政府", "township"),
    ("乡人民政府", "township"),
    ("镇", "township"),
    ("乡", "township"),
    ("办公厅", "department"),
    ("办公室", "department"),
    ("局", "department"),
    ("委员会", "department"),
    ("厅", "department"),
    ("县人民政府", "county"),
    ("区人民政府", "county"),
    ("市人民政府", "city"),
    ("省人民政府", "province"),
    ("自治区人民政府", "province"),
)
# one administrative unit: a short name and its suffix (晋江市, 磁灶镇, 东海街道)
_UNIT = re.compile(r"[\u4e00-\u9fff]{1,7}?(?:自治区|自治州|自治县|地区|街道|省|市|州|盟|县|区|旗|镇|乡)")
_UNIT_CHARS = "省市州盟县区旗镇乡"


def region_of(body: str) -> str | None:
    """The chain of administrative units the body's name starts with (晋江市磁灶镇)."""
    pos = 0
    while m := _UNIT.match(body, pos):
        pos = m.end()
    if pos and pos < len(body) and body[pos] in _UNIT_CHARS and not body[pos:].startswith("市场"):
        pos += 1  # 沙县区: the unit's own suffix follows a name that ends like a suffix
    return body[:pos] or None


def read_metadata(doc: DocumentResult, settings: Settings) -> DocumentResult:
    lines = [ln.text for ln in doc.text_lines() if (ln.page or 1) <= 2][:60]
    md = Metadata()
    for i, text in enumerate(lines[:12]):
        t = text.strip()
        if "报告" in t or "年度" in t:
            title = t
            if not title.endswith("报告") and i + 1 < len(lines) and len(lines[i + 1]) < 30:
                title += lines[i + 1].strip()
            md.title = re.sub(r"\s+", " ", title)
            break
    compact_title = re.sub(r"\s+", "", md.title or "")
    m = _TITLE_YEAR.search(compact_title)
    if m:
        md.body = m.group("body") or None
        md.year = int(m.group("year"))
    else:
        pm = _PERIOD_YEAR.search(re.sub(r"\s+", "", " ".join(lines[:30])))
        if pm:
            md.year = int(pm.group(1))
    if md.body:
        for suffix, level in LEVELS:
            if md.body.endswith(suffix):
                md.level = level
                break
        md.region = region_of(md.body)
    if md.year is not None and md.year < 2019:
        md.format = "unsupported"
        doc.findings.append(
            finding(
                "extract.unsupported_format",
                f"a {md.year} report follows a local template older than the 2019 format; tables not read",
            )
        )
    doc.metadata = md
    return doc
