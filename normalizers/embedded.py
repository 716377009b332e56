"""Embedded tables → datasets: project progress, review logs, performance scores, raw grids.

Tables that are not the format's 二/三/四 are classified by their header words
(:data:`nianbao.form.templates.EMBEDDED_MARKERS`) and read into :class:`Record` rows.
Headers of these tables are often mangled by converters, so project columns are
matched by label *and* checked by the numbers' relations (the column pair whose
ratio reproduces the printed percentage is the plan and the year-to-date); each
record says which mapping was used.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from nianbao.form.labels import contains_any, norm
from nianbao.form.templates import (
    APPROVAL_STEPS,
    APPROVAL_WORDS,
    EMBEDDED_MARKERS,
    PROJECT_COLS,
    REVIEW_COLS,
    SCORE_COLS,
    Label,
)
from nianbao.model import Cell, DocumentResult, Provenance, Record, TableGrid
from nianbao.settings import Settings

_SEQ = re.compile(r"^\s*\d{1,4}\s*$")
_PERIOD = re.compile(r"((?:19|20)\d{2})\s*(?:年)?\s*[-—–~～至到]\s*((?:19|20)\d{2})")
_PCT = re.compile(r"^\s*([+\-]?\d+(?:\.\d+)?)\s*[%％]\s*$")
_NUM = re.compile(r"^\s*[+\-]?\d[\d,]*(?:\.\d+)?\s*$")
_YTD = re.compile(r"1\s*[-—~至]\s*\d{1,2}\s*月|累计|截至")
_MONTH = re.compile(r"\d{1,2}\s*月\s*完|本月|当月")


@dataclass(slots=True)
class Layout:
    """A grid split into header text per column and data rows (rows that start with a 序号)."""

    header: dict[int, str]  # grid column -> header text (stacked header cells joined)
    rows: list[int]  # grid rows holding data
    matrix: list[list[Cell | None]]
    notes: list[int]  # rows after the data (signatures, remarks, totals)


def layouts(grid: TableGrid) -> list[Layout]:
    """The grid's runs of data rows, each with the header rows above it and the notes below.

    A converter often writes two tables one after the other into one grid (the
    seed's review log and its 保密审查表): a run of 序号 rows that restarts after
    other rows starts a new table with its own header.
    """
    m = grid.matrix()
    runs: list[tuple[list[int], list[int], list[int]]] = []  # (header rows, data rows, note rows)
    pending: list[int] = []
    for r in range(grid.n_rows):
        cells = [c for c in dict.fromkeys(m[r]) if c is not None and c.text]
        is_data = bool(cells) and _SEQ.match(cells[0].text) is not None and len(cells) >= 2
        if is_data:
            if runs and not runs[-1][2] and not pending:
                runs[-1][1].append(r)
            else:
                runs.append((pending, [r], []))
                pending = []
        elif runs and not pending and not _looks_like_header(cells):
            runs[-1][2].append(r)
        else:
            pending.append(r)
    if not runs:
        return [Layout(_header(grid, m, range(min(1, grid.n_rows))), [], m, [])]
    out = []
    for head, data, notes in runs:
        out.append(
            Layout(_header(grid, m, head), data, m, notes + pending if (head, data, notes) == runs[-1] else notes)
        )
    return out


def _looks_like_header(cells: Sequence[Cell]) -> bool:
    return len(cells) >= 2 and any(w in c.text for c in cells for w in ("序号", "名称", "意见", "科室", "权重"))


def _header(grid: TableGrid, m: list[list[Cell | None]], rows: Sequence[int]) -> dict[int, str]:
    header: dict[int, str] = {}
    for c in range(grid.n_cols):
        parts: list[str] = []
        for r in rows:
            cell = m[r][c]
            # a title row spanning the whole table is not a column header
            if cell is not None and cell.text and cell.colspan < grid.n_cols and cell.text not in parts:
                parts.append(cell.text)
        header[c] = " ".join(parts)
    return header


def layout(grid: TableGrid) -> Layout:
    return layouts(grid)[0]


def classify_embedded(grid: TableGrid) -> tuple[str, float]:
    lay = layout(grid)
    head = " ".join(lay.header.values())
    scores = {k: contains_any(head, words) for k, words in EMBEDDED_MARKERS.items()}
    kind, sc = max(scores.items(), key=lambda kv: kv[1])
    return (kind, float(sc)) if sc >= 2 and lay.rows else ("other", float(sc))


def _match_columns(header: dict[int, str], labels: Sequence[Label]) -> dict[str, int]:
    """Column codes by label containment in the header text; longest label wins."""
    cands: list[tuple[int, int, str]] = []
    for col, text in header.items():
        h = norm(text)
        if not h:
            continue
        for lab in labels:
            best = max((len(norm(t)) for t in lab.texts if norm(t) and norm(t) in h), default=0)
            if best:
                cands.append((best, col, lab.code))
    out: dict[str, int] = {}
    used: set[int] = set()
    for _, col, code in sorted(cands, key=lambda t: (-t[0], t[1])):
        if code not in out and col not in used:
            out[code] = col
            used.add(col)
    return out


def _text(lay: Layout, r: int, c: int | None) -> tuple[str, Cell | None]:
    if c is None:
        return "", None
    cell = lay.matrix[r][c]
    return (cell.text if cell is not None else ""), cell


def _prov(grid: TableGrid, cell: Cell | None, raw: str) -> Provenance:
    return Provenance(
        source=grid.source,
        raw=raw,
        page=grid.page,
        bbox=cell.bbox if cell is not None else None,
        confidence=cell.confidence if cell is not None else 1.0,
        locator=f"table[{grid.index}]/r{cell.row}/c{cell.col}" if cell is not None else f"table[{grid.index}]",
    )


def number(text: str) -> float | None:
    t = unicodedata.normalize("NFKC", text).strip().replace(",", "")
    m = _PCT.match(t)
    if m:
        return float(m.group(1))
    return float(t) if _NUM.match(t) else None


def _decimals(text: str) -> int:
    t = unicodedata.normalize("NFKC", text).strip().rstrip("%")
    return len(t.split(".")[1]) if "." in t else 0


# ------------------------------------------------------------------ project progress


def read_projects(grid: TableGrid, settings: Settings) -> list[Record]:
    return [r for lay in layouts(grid) for r in _projects(grid, lay)]


def _projects(grid: TableGrid, lay: Layout) -> list[Record]:
    cols = _match_columns(lay.header, PROJECT_COLS)
    # mangled headers: say 1-12月 / 累计 → year to date, N月完 → this month, whatever the labels said
    for c, text in lay.header.items():
        if _YTD.search(text) and c not in cols.values():
            cols.setdefault("ytd_completed", c)
        elif _MONTH.search(text) and c not in cols.values():
            cols.setdefault("month_completed", c)
    kinds = _column_kinds(lay)
    pct_col = cols.get("percent_of_plan")
    if pct_col is None or kinds.get(pct_col) != "percent":
        pct_col = next((c for c, k in kinds.items() if k == "percent"), None)
    mapping = "labels"
    numeric = [c for c, k in kinds.items() if k == "number" and c not in (cols.get("seq"),)]
    if pct_col is not None and len(numeric) >= 2:
        pair, hits = _plan_and_ytd(lay, numeric, pct_col)
        if pair is not None:
            annual, ytd = pair
            by_label = (cols.get("annual_plan"), cols.get("ytd_completed"))
            if by_label != (annual, ytd):
                mapping = (
                    f"relations: columns {annual + 1} and {ytd + 1} reproduce the printed percentage in "
                    f"{hits}/{len(lay.rows)} rows (labels said {lay.header.get(annual, '')!r} / "
                    f"{lay.header.get(ytd, '')!r})"
                )
            else:
                mapping = f"labels, confirmed by the percentage in {hits}/{len(lay.rows)} rows"
            taken = {annual, ytd, pct_col}
            for code in ("annual_plan", "ytd_completed", "percent_of_plan"):
                cols.pop(code, None)
            cols.update(annual_plan=annual, ytd_completed=ytd, percent_of_plan=pct_col)
            rest = [c for c in numeric if c not in taken]
            for code in ("month_completed", "total_investment"):
                if cols.get(code) in taken:
                    cols.pop(code)
            if "month_completed" not in cols:
                smaller = [c for c in rest if _all_le(lay, c, ytd)]
                if smaller:
                    cols["month_completed"] = smaller[-1]
            if "total_investment" not in cols:
                left = [c for c in rest if c != cols.get("month_completed")]
                if left:
                    cols["total_investment"] = left[0]
    if "progress_text" in cols and kinds.get(cols["progress_text"]) != "text":
        cols.pop("progress_text")
    if "progress_text" not in cols:
        texts = [c for c, k in kinds.items() if k == "text" and c not in (cols.get("name"), cols.get("seq"))]
        if texts:
            cols["progress_text"] = texts[-1]
    unit = _unit_factor(" ".join(lay.header.values()))
    out: list[Record] = []
    for r in lay.rows:
        fields: dict[str, object] = {}
        prov: dict[str, Provenance] = {}
        for code in (
            "seq",
            "name",
            "period",
            "total_investment",
            "annual_plan",
            "month_completed",
            "ytd_completed",
            "percent_of_plan",
            "progress_text",
        ):
            raw, cell = _text(lay, r, cols.get(code))
            if cols.get(code) is None:
                continue
            prov[code] = _prov(grid, cell, raw)
            if code in ("total_investment", "annual_plan", "month_completed", "ytd_completed"):
                v = number(raw)
                fields[code] = None if v is None else round(v * unit, 6)
            elif code == "percent_of_plan":
                fields[code] = number(raw)
                fields["percent_decimals"] = _decimals(raw)
            elif code == "seq":
                fields[code] = int(raw) if _SEQ.match(raw) else raw
            elif code == "period":
                m = _PERIOD.search(raw)
                fields["period_start"] = int(m.group(1)) if m else None
                fields["period_end"] = int(m.group(2)) if m else None
                fields[code] = raw
            else:
                fields[code] = raw
        out.append(Record("project_progress", fields, prov, grid.index, r, mapping))
    return out


def _column_kinds(lay: Layout) -> dict[int, str]:
    out: dict[int, str] = {}
    n_cols = len(lay.header)
    for c in range(n_cols):
        vals = [_text(lay, r, c)[0] for r in lay.rows]
        vals = [v for v in vals if v]
        if not vals:
            continue
        if all(_PCT.match(unicodedata.normalize("NFKC", v)) for v in vals):
            out[c] = "percent"
        elif all(_PERIOD.search(v) for v in vals):
            out[c] = "period"
        elif all(number(v) is not None for v in vals):
            out[c] = "number"
        else:
            out[c] = "text"
    return out


def _plan_and_ytd(lay: Layout, numeric: list[int], pct_col: int) -> tuple[tuple[int, int] | None, int]:
    best: tuple[int, int] | None = None
    best_hits = 0
    for a in numeric:
        for y in numeric:
            if a == y:
                continue
            hits = 0
            for r in lay.rows:
                av, yv, pv = (number(_text(lay, r, c)[0]) for c in (a, y, pct_col))
                if av and yv is not None and pv is not None and abs(yv / av * 100 - pv) <= 2.0:
                    hits += 1
            if hits > best_hits:
                best, best_hits = (a, y), hits
    # a pair must explain most rows to override the labels
    if best is None or best_hits * 2 < len(lay.rows):
        return None, best_hits
    return best, best_hits


def _all_le(lay: Layout, c: int, other: int) -> bool:
    for r in lay.rows:
        a, b = number(_text(lay, r, c)[0]), number(_text(lay, r, other)[0])
        if a is None or b is None or a > b:
            return False
    return True


def _unit_factor(header: str) -> float:
    """Money in the dataset is 万元: a header in 亿元 or 元 is converted."""
    if "亿元" in header:
        return 10000.0
    if re.search(r"[（(]\s*元\s*[）)]", header):
        return 0.0001
    return 1.0


# ------------------------------------------------------------------ review logs

_DATE = (
    re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?"),
    re.compile(r"((?:19|20)\d{2})\s*[.\-/]\s*(\d{1,2})\s*[.\-/]\s*(\d{1,2})"),
    re.compile(r"(?<!\d)((?:19|20)\d{2})(\d{2})(\d{2})(?!\d)"),
)


def iso_date(text: str) -> str | None:
    """20220104, 2022年1月4日, 2022.1.4, 2022-01-04, 2022/1/4 → 2022-01-04."""
    t = unicodedata.normalize("NFKC", text)
    for pat in _DATE:
        m = pat.search(t)
        if m:
            y, mo, d = (int(x) for x in m.groups())
            if 1 <= mo <= 12 and 1 <= d <= 31:
                return f"{y:04d}-{mo:02d}-{d:02d}"
    return None


_VERDICT = re.compile(r"^(同意|不同意|已阅|通过|不通过)$")
_CHANNEL_WORDS = ("网站", "公开栏", "公众号", "微信", "微博", "信函", "政务新媒体", "客户端", "公告栏")


def read_reviews(grid: TableGrid, settings: Settings) -> list[Record]:
    return [r for lay in layouts(grid) for r in _reviews(grid, lay)]


def _review_kinds(lay: Layout) -> dict[int, str]:
    out: dict[int, str] = {}
    for c in range(len(lay.header)):
        vals = [v for v in (_text(lay, r, c)[0] for r in lay.rows) if v]
        if not vals:
            continue
        if all(_SEQ.match(v) for v in vals) and c == 0:
            out[c] = "seq"
        elif all(iso_date(v) for v in vals):
            out[c] = "date"
        elif all(_VERDICT.match(v.strip()) for v in vals):
            out[c] = "verdict"
        elif all(any(w in v for w in _CHANNEL_WORDS) for v in vals):
            out[c] = "channel"
        else:
            out[c] = "text"
    return out


_REVIEW_KIND_OF = {"seq": "seq", "publish_date": "date", "department": "text", "title": "text", "channel": "channel"}


def _typed_columns(head: dict[int, str], kinds: dict[int, str]) -> dict[str, int]:
    """Review columns by label, each label looked for only among columns holding its kind of value."""
    out: dict[str, int] = {}
    for lab in REVIEW_COLS:
        sub = {c: h for c, h in head.items() if kinds.get(c) == _REVIEW_KIND_OF[lab.code] and c not in out.values()}
        found = _match_columns(sub, (lab,))
        if lab.code in found:
            out[lab.code] = found[lab.code]
    return out


def _reviews(grid: TableGrid, lay: Layout) -> list[Record]:
    kinds = _review_kinds(lay)
    # converters shift header rows against the data: take the offset under which the
    # labels agree best with what the columns hold (dates under 发布日期, verdicts under 意见)
    best_d, best_hits = 0, -1
    for d in (0, 1, -1):
        head = {c: lay.header.get(c + d, "") for c in kinds}
        hits = sum(1 for c, k in kinds.items() if k == "verdict" and any(w in head[c] for w in APPROVAL_WORDS))
        hits += len(_typed_columns(head, kinds))
        if hits > best_hits:
            best_d, best_hits = d, hits
    head = {c: lay.header.get(c + best_d, "") for c in range(len(lay.header))}
    cols = _typed_columns(head, kinds)
    # what the columns hold decides where labels are missing
    for code, kind in (("publish_date", "date"), ("channel", "channel")):
        found = [c for c, k in kinds.items() if k == kind and c not in cols.values()]
        if code not in cols and found:
            cols[code] = found[0]
    texts = [c for c, k in kinds.items() if k == "text" and c not in cols.values()]
    if "title" not in cols and texts:
        cols["title"] = max(texts, key=lambda c: sum(len(_text(lay, r, c)[0]) for r in lay.rows))
        texts.remove(cols["title"])
    if "department" not in cols and texts and texts[0] < cols.get("title", 99):
        cols["department"] = texts[0]
    if "seq" not in cols and kinds.get(0) == "seq":
        cols["seq"] = 0
    steps: list[tuple[str, int]] = []
    for k, c in enumerate(c for c, kind in sorted(kinds.items()) if kind == "verdict"):
        code = next(
            (lab.code for lab in APPROVAL_STEPS if any(norm(t) in norm(head.get(c, "")) for t in lab.texts)),
            f"step_{k + 1}",
        )
        if code in [s for s, _ in steps]:
            code = f"step_{k + 1}"
        steps.append((code, c))
    mapping = "labels" if best_d == 0 else f"labels shifted by {best_d} column(s) to match the columns' contents"
    signatory, signoff = _signatures(lay)
    out: list[Record] = []
    for r in lay.rows:
        fields: dict[str, object] = {}
        prov: dict[str, Provenance] = {}
        for code in ("seq", "department", "title", "publish_date", "channel"):
            if code not in cols:
                continue
            raw, cell = _text(lay, r, cols[code])
            prov[code] = _prov(grid, cell, raw)
            if code == "publish_date":
                fields[code] = iso_date(raw)
            elif code == "seq":
                fields[code] = int(raw) if _SEQ.match(raw) else raw
            else:
                fields[code] = raw
        approval: dict[str, str] = {}
        for code, c in steps:
            raw, cell = _text(lay, r, c)
            approval[code] = raw
            prov[f"approval.{code}"] = _prov(grid, cell, raw)
        fields["approvals"] = approval
        fields["approval_steps"] = [head.get(c, "") or code for code, c in steps]
        fields["signatory"] = signatory
        fields["signoff_date"] = signoff
        out.append(Record("review_log", fields, prov, grid.index, r, mapping))
    return out


def _signatures(lay: Layout) -> tuple[str | None, str | None]:
    name = date = None
    for r in lay.notes:
        text = " ".join(c.text for c in dict.fromkeys(lay.matrix[r]) if c is not None and c.text)
        m = re.search(r"(?:签字|承办人)\s*[:：]?\s*(?:\(签字\)|（签字）)?\s*(?:<u>)?\s*([\u4e00-\u9fff]{2,4})", text)
        if m and name is None:
            name = m.group(1)
        if ("时间" in text or "日期" in text) and date is None:
            date = iso_date(text)
    return name, date


# ------------------------------------------------------------------ performance scores


def read_scores(grid: TableGrid, settings: Settings) -> list[Record]:
    return [r for lay in layouts(grid) for r in _scores(grid, lay)]


def _scores(grid: TableGrid, lay: Layout) -> list[Record]:
    cols = _match_columns(lay.header, SCORE_COLS)
    kinds = _column_kinds(lay)
    if "problems" in cols and "remedies" not in cols:
        # an unlabelled text column right after 存在问题 is its 整改措施 (the seed's last column)
        nxt = cols["problems"] + 1
        if not lay.header.get(nxt) and kinds.get(nxt) == "text":
            cols["remedies"] = nxt
    out: list[Record] = []
    for r in lay.rows:
        fields: dict[str, object] = {}
        prov: dict[str, Provenance] = {}
        for lab in SCORE_COLS:
            if lab.code not in cols:
                continue
            raw, cell = _text(lay, r, cols[lab.code])
            prov[lab.code] = _prov(grid, cell, raw)
            if lab.code in ("weight", "self_score"):
                fields[lab.code] = number(raw)
            elif lab.code == "seq":
                fields[lab.code] = int(raw) if _SEQ.match(raw) else raw
            else:
                fields[lab.code] = raw
        out.append(Record("scores", fields, prov, grid.index, r, "labels"))
    return out


def printed_weight_total(doc: DocumentResult, grid: TableGrid) -> tuple[float | None, Provenance | None]:
    """合计权重 printed in the table's last rows or in the line right after it."""
    pat = re.compile(r"合计(?:权重)?\s*[:：]?\s*(\d+(?:\.\d+)?)")
    for c in grid.cells:
        m = pat.search(c.text)
        if m:
            return float(m.group(1)), _prov(grid, c, c.text)
    after = [ln for ln in doc.text_lines() if (ln.page or 0) == (grid.page or 0) and ln.order > grid.order]
    for ln in sorted(after, key=lambda ln: ln.order)[:3]:
        m = pat.search(ln.text)
        if m:
            return float(m.group(1)), Provenance(source=grid.source, raw=ln.text, page=ln.page, bbox=ln.bbox)
    return None, None


READERS = {"project_progress": read_projects, "review_log": read_reviews, "scores": read_scores}


def normalize_embedded(doc: DocumentResult, settings: Settings) -> DocumentResult:
    for grid in doc.tables:
        if grid.kind is not None:
            continue
        kind, score = classify_embedded(grid)
        grid.kind, grid.kind_score = kind, score
        if kind in READERS:
            doc.records.extend(READERS[kind](grid, settings))
    return doc
