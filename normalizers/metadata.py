"""Report metadata from the title and the opening paragraph: body, level, region, year."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from nianbao.catalogue import finding
from nianbao.model import DocumentResult, Metadata
from nianbao.settings import Settings

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
UNIT = re.compile(r"[\u4e00-\u9fff]{1,7}?(?:自治区|自治州|自治县|地区|街道|省|市|州|盟|县|区|旗|镇|乡)")
_UNIT_CHARS = "省市州盟县区旗镇乡"


def region_of(body: str) -> str | None:
    """The chain of administrative units the body's name starts with (晋江市磁灶镇)."""
    pos = 0
    while m := UNIT.match(body, pos):
        pos = m.end()
    if pos and pos < len(body) and body[pos] in _UNIT_CHARS and not body[pos:].startswith("市场"):
        pos += 1  # 沙县区: the unit's own suffix follows a name that ends like a suffix
    return body[:pos] or None


# 工作 with one stray character inside it: a line cut inside 作 reads its 亻 alone as a character
# of its own ("…公开工件" + "作年度报告": copier seed 4860)
_REPORT = re.compile(r"(?:政府信息公开|政务公开|信息公开)(?:工.?作)?(?:年度)?报告")
# <body><year>年(度)?政府信息公开工作年度报告
_BODY_YEAR = re.compile(r"^(?P<body>.*?)(?P<year>(?:19|20)\d{2})年度?(?:政府信息公开|政务公开|信息公开)")
# <year>年(度)?<body>政府信息公开工作年度报告 (year first)
_YEAR_BODY = re.compile(r"^(?P<year>(?:19|20)\d{2})年度?(?P<body>.+?)(?:政府信息公开|政务公开|信息公开)")
# portal header fields of scraped pages: 标题: … / 发布机构: …
_FIELD = re.compile(
    r"^\s*(?P<key>标题|题名|名称|发布机构|发文机关|来源|信息来源|发布单位|索引号|发布时间|发布日期|成文日期)"
    # the colon, or (OCR lost its two dots on a speckled copy) a space before the value
    r"(?:\s*[:：]|\s)\s*(?P<val>.*)$"
)
_BODY_FIELDS = ("发布机构", "发文机关", "发布单位", "信息来源", "来源")
# the opening paragraph: 本报告由淮安市人民政府办公室…编制 / 由…汇总…编制而成
_BY = re.compile(
    r"(?:本(?:年度)?报告|本年报)(?:是)?[^。]{0,60}?由(?P<body>[\u4e00-\u9fff（）()]{3,30}?)"
    r"(?:根据|依据|按照|汇总|编制|负责|综合|组织|牵头)"
)
_BODY_END = re.compile(r"(?:人民政府|办事处|政府|办公厅|办公室|委员会|局|厅|委|中心|院|署|会)$")
# what a portal prints around an article: a breadcrumb or a menu is no body's name
_NAV = re.compile(r"当前位置|首页|栏目|导航")
_CRUMB_TAIL = re.compile(r"^(?:政务公开)?(?:政府)?信息公开(?:工作)?(?:年度)?(?:年报|报告)?")
_MARKUP = re.compile(r"^[#>*\s|]+|[*_|]+$")
_YEAR_ONLY = re.compile(r"^(?:19|20)\d{2}年度?")


# a stray mark before a line: OCR reads a speck or a seal's stroke as "yI", "'" or "l."; some
# producers keep a bullet ("l." may be read "1."). No title starts with Latin letters (accented
# ones too: a copier's speck read "è"), ASCII punctuation or a one- or two-digit number and a point
# (a year-first title starts "2022年").
# A speck read as a digit right before a year-first title's year ("12020年度…") is junk too, and so
# is "l." read "1." right before it ("1.2022年度…"), and before a Markdown marker ("1**2023年…**").
_LEAD_JUNK = re.compile(
    r"^(?:[\sA-Za-z\u00c0-\u024f'\".,:;!?·•`~_\-]|\d{1,2}[.．](?!\d)|\d{1,2}[.．](?=(?:19|20)\d{2}年)"
    r"|\d(?=(?:19|20)\d{2}年)|\d(?=[*#\s]+(?:19|20)\d{2}年))+"
)


# a speck or a streak across a line read as Latin letters between two characters ("公开工作年F T
# 度报告": copier seed 7713 at 150 DPI, the title's report words broken and the body lost): no title
# or body prints a Latin letter inside a Chinese word
_JUNK_INSIDE = re.compile(r"(?<=[\u4e00-\u9fff])[A-Za-z\u00c0-\u024f]{1,3}(?=[\u4e00-\u9fff])")


def _clean(text: str) -> str:
    """A line without white space, Markdown markers, the brackets of a scraped title or Latin
    letters inside a Chinese word."""
    t = _MARKUP.sub("", _LEAD_JUNK.sub("", text.strip()))
    t = _JUNK_INSIDE.sub("", re.sub(r"\s+", "", t))
    return t.strip('《》【】[]"“”')


# what no body's name holds: Latin letters and ASCII punctuation (OCR reads a speck or a seal's
# stroke as "yI" or "'"), book-title marks and their kin (a title printed as 《…》)
_NOT_IN_NAME = re.compile(r"[A-Za-z\u00c0-\u024f_~`!@#$%^&*+=|\\/<>?;'\".,:\-\[\]{}《》〈〉【】「」『』“”‘’·•]")


def _body_ok(body: str | None) -> str | None:
    if not body:
        return None
    # OCR junk before a title in book-title marks ("yI《龙岩市…》"): the name starts after the mark
    body = body.rsplit("《", 1)[-1]
    # a portal's breadcrumb or menu printed before the title ("当前位置：首页>政务公开>政府信息公开年报",
    # "栏目导航"): the name starts after its last separator or menu word, and after the breadcrumb's
    # last item when that names the report rather than a body
    body = re.split(r"[>›»]", body)[-1]
    nav = list(_NAV.finditer(body))
    if nav:
        body = body[nav[-1].end() :]
    body = _CRUMB_TAIL.sub("", body)
    # a field's name before it ("栏目导航 标题: …" where a portal's side menu shares the line): no
    # body's name holds a colon
    body = re.split(r"[:：]", body)[-1]
    body = _NOT_IN_NAME.sub("", body)
    # a dash OCR read from a speck or a rule's end before the name ("—漳州市…"): no name starts or
    # ends with one
    body = body.strip("：:，,、 —–―－")
    if len(body) < 3 or len(body) > 40 or re.search(r"\d", body):
        return None
    return body


def title_parts(title: str) -> tuple[str | None, int | None]:
    """(body, year) from a title in either order: <body><year>年… or <year>年<body>…"""
    t = _clean(title)
    # a portal's menu or breadcrumb printed on the title's line ("栏目导航 2022年宁德市…",
    # "…>政务公开>2021年度…"): a year-first title starts after its last word or separator
    nav = list(re.finditer(rf"{_NAV.pattern}|[>›»]", t))
    if nav and _YEAR_BODY.match(t[nav[-1].end() :]):
        t = t[nav[-1].end() :]
    for rx in (_YEAR_BODY, _BODY_YEAR):
        m = rx.search(t)
        if m:
            body = _body_ok(m.group("body"))
            if rx is _BODY_YEAR or body:
                return body, int(m.group("year"))
    return None, None


def _title(lines: list[str]) -> tuple[str | None, str | None, int | None]:
    """The title (joined when split over lines), its body and year."""
    for i, raw in enumerate(lines[:15]):
        t = _clean(raw)
        if not t or not _REPORT.search(t) or len(t) > 80:
            continue
        prev = _clean(lines[i - 1]) if i else ""
        title = t
        # the report words alone, or "2024年政府信息公开工作年度报告" under the body on its own line
        if (
            prev
            and len(prev) <= 40
            and not _FIELD.match(lines[i - 1])
            and (_YEAR_ONLY.match(t) or t.startswith(("政府信息公开", "政务公开")))
            and not _REPORT.search(prev)
            # a year-first title names its body itself: a speck above it read "一" is no body
            # (hard seeds 13344, 13632: the title read whole, the body lost)
            and title_parts(t)[0] is None
        ):
            title = prev + t
        elif not t.endswith("报告") and i + 1 < len(lines) and len(_clean(lines[i + 1])) < 30:
            title = t + _clean(lines[i + 1])
        body, year = title_parts(title)
        if year is None and prev and len(prev) <= 60 and not _FIELD.match(lines[i - 1]):
            # a title broken inside a word ("…2020年政" / "府信息公开工作年度报告"): the line above
            # holds its body and year
            b2, y2 = title_parts(prev + t)
            if y2 is not None:
                title, body, year = prev + t, b2, y2
        if body is None and year is not None and prev and _BODY_END.search(prev) and len(prev) <= 40:
            body = _body_ok(prev)
        return title, body, year
    # a title broken before the report words: "XX市人民政府" / "2024年政府信息" / "公开工作年度报告";
    # of the joins that give a year, the first whose body ends like a body wins (a portal's
    # breadcrumb "当前位置：首页>政务公开>…年报" above a title broken in two must not become its body)
    found: list[tuple[str, str | None, int]] = []
    for i in range(min(len(lines), 15) - 1):
        for n in (2, 3):
            joined = "".join(_clean(ln) for ln in lines[i : i + n])
            m = _REPORT.search(joined)
            if m and len(joined) <= 80:
                body, year = title_parts(joined)
                if year is not None:
                    found.append((joined[: m.end()], body, year))
    best = next((f for f in found if f[1] and _BODY_END.search(f[1]) and not _NAV.search(f[1])), None)
    return best or (found[0] if found else (None, None, None))


def _apply_hints(md: Metadata, hints: Mapping[str, str], source: str | None) -> str | None:
    """A manifest's body and year over what the filing printed; returns where the body now comes from."""
    if hints.get("body"):
        md.body = hints["body"]
        source = "manifest"
    year = hints.get("year", "")
    if year.isdigit():
        md.year = int(year)
    return source


def read_metadata(doc: DocumentResult, settings: Settings) -> DocumentResult:
    read = [ln for ln in doc.text_lines() if (ln.page or 1) <= 2][:60]
    lines = [ln.text for ln in read]
    first = next((g for g in sorted(doc.tables, key=lambda g: (g.page or 0, g.order)) if (g.page or 1) <= 1), None)
    if first is not None and first.index == 0:
        # a title printed inside the first table (a framed cover block): its first cells where the
        # table stands in reading order (a title broken over two lines above it stays whole)
        at = sum(1 for ln in read if ((ln.page or 1), ln.order) < ((first.page or 1), first.order))
        cells = [c.text for c in sorted(first.cells, key=lambda c: (c.row, c.col))][:6]
        lines = lines[:at] + cells + lines[at:]
    md = Metadata()
    source = None
    fields = {m.group("key"): m.group("val").strip() for ln in lines[:20] if (m := _FIELD.match(ln))}
    title, body, year = _title([ln for ln in lines if not _FIELD.match(ln)])
    if fields.get("标题") or fields.get("题名"):
        t = fields.get("标题") or fields.get("题名") or ""
        fb, fy = title_parts(t)
        if fy is not None and (year is None or title is None):
            title, body, year = t, fb, fy
    md.title = re.sub(r"\s+", " ", title) if title else None
    if body:
        source = "title"
    text = re.sub(r"\s+", "", " ".join(lines[:40]))
    if not body and (m := _BY.search(text)):
        body, source = _body_ok(m.group("body")), "opening"
    if not body:
        for key in _BODY_FIELDS:
            if _body_ok(fields.get(key)):
                body, source = _body_ok(fields.get(key)), "portal"
                break
    name_body, name_year = title_parts(Path(doc.path).stem)
    if not body and name_body:
        body, source = name_body, "filename"
    if year is None:
        pm = _PERIOD_YEAR.search(text)
        year = int(pm.group(1)) if pm else name_year
    md.body, md.year = body, year
    md.publisher = next((fields[k] for k in ("发布机构", "发文机关", "发布单位") if fields.get(k)), None)
    hints = (settings.metadata_hints or {}).get(doc.path)
    if hints:
        source = _apply_hints(md, hints, source)
        doc.url = hints.get("url") or doc.url
    if md.body:
        for suffix, level in LEVELS:
            if md.body.endswith(suffix):
                md.level = level
                break
        md.region = region_of(md.body)
    else:
        doc.findings.append(
            finding(
                "metadata.body_unknown",
                "the issuing body was found neither in the title, the opening paragraph, a portal header "
                "field nor the file name",
            )
        )
    doc.metadata_source = source
    if hints:
        for k in ("region", "level"):  # given by the manifest: over what the body's name implies
            if hints.get(k):
                setattr(md, k, hints[k])
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
