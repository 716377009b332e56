"""The auditor's HTML report: one self-contained file, no network, no server.

Layout of the file (why it opens fast with 5,000 filings):

- the overview (counts, findings by rule, charts by year and by level of government) is drawn
  here, in Python, as static HTML and SVG;
- the list of filings is one small JSON index that the page's script pages through (100 rows at
  a time, sortable, filterable);
- each filing's tables, findings and page crops are a JSON block of their own, parsed only when
  the filing is opened, so the browser never decodes thousands of images at load.

Text from filings is untrusted: Python escapes what it writes into HTML (``html.escape``), the
script puts text into the page with ``textContent`` only, and JSON blocks have every ``<``
written as ``\\u003c`` so nothing in them can end their ``<script>`` element.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from nianbao import __version__
from nianbao.catalogue import CATALOGUE
from nianbao.pipeline.report import TABLE_ZH, TABLES, Filing, data_uri

LEVEL_ZH = {
    "province": "省级",
    "city": "市级",
    "county": "县级",
    "township": "乡镇（街道）",
    "department": "部门",
    "": "未知",
}
STATUS_ZH = {"ok": "完整", "partial": "部分读取", "failed": "失败"}
SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}


def _json_block(obj: Any) -> str:
    # "<" as \u003c: no "</script>" or "<!--" can appear inside the block, whatever a filing says
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


def _e(x: object) -> str:
    return html.escape("" if x is None else str(x), quote=True)


def _layouts() -> dict[str, list[Any]]:
    from nianbao.form.templates import layout

    out: dict[str, list[Any]] = {}
    for t in TABLES:
        for fmt in ("2021", "2019"):
            out[f"{t}/{fmt}"] = [
                [s.heading, [[r.code, r.label] for r in s.rows], [[c.code, c.label] for c in s.cols]]
                for s in layout(t, fmt)
            ]
    return out


def _detail(f: Filing) -> dict[str, Any]:
    """A filing's tables, findings and crops, compactly: 5,000 of these make most of the file.

    ``t``: each table's printed values in layout order (null: not printed); ``o``: for tables with
    OCR'd cells only, each cell's recognition score (null: not OCR'd).
    """
    tables: dict[str, list[Any]] = {}
    scores: dict[str, list[Any]] = {}
    manual: dict[str, list[Any]] = {}  # corrected cells: [value, printed text, note], else null
    fmt = f.format or "2021"
    for t in TABLES:
        cells = f.tables.get(t)
        if not cells:
            continue
        order = [cells.get(f"{r.code}.{c.code}") for s in f.sections(t) for r in s.rows for c in s.cols]
        tables[t] = [None if c is None else c.raw for c in order]
        if any(c is not None and c.source == "manual" for c in order):
            manual[t] = [
                [c.value, c.raw, c.note or ""] if c is not None and c.source == "manual" else None for c in order
            ]
        if any(c is not None and c.source == "ocr" for c in order):
            scores[t] = [
                None if c is None or c.source != "ocr" or c.confidence is None else round(c.confidence, 3)
                for c in order
            ]
    return {
        "fmt": fmt,
        "tf": {t: f.format_of(t) or fmt for t in tables},
        "t": tables,
        "o": scores,
        "m": manual,
        "f": [
            {
                "k": i.key,
                "r": i.rule,
                "s": i.severity,
                "tz": i.title_zh,
                "m": i.message,
                "mz": i.message_zh,
                "e": i.expected,
                "p": i.printed,
                "t": i.table,
                "cells": i.cells,
                "pg": i.page,
                "src": i.source,
                "conf": i.confidence,
                "crop": i.crop,
                "boxes": i.boxes,
                "note": i.crop_note,
            }
            for i in f.issues
        ],
        "c": [data_uri(c) for c in f.crops],
    }


def _bar_chart(title: str, counts: list[tuple[str, int, int]]) -> str:
    """An SVG bar chart of (label, errors, warnings), drawn here: no script, no library."""
    if not counts:
        return f'<figure class="chart"><figcaption>{_e(title)}</figcaption><p class="muted">无数据</p></figure>'
    top = max(e + w for _, e, w in counts) or 1
    # pad: room above the tallest bar for its count (it was clipped at the top edge)
    bar_w, gap, h, pad = 44, 14, 160, 18
    width = len(counts) * (bar_w + gap) + gap
    parts = [f'<svg role="img" width="{width}" height="{h + 40 + pad}" viewBox="0 {-pad} {width} {h + 40 + pad}">']
    for k, (label, e, w) in enumerate(counts):
        x = gap + k * (bar_w + gap)
        he, hw = h * e / top, h * w / top
        parts.append(
            f'<rect class="bar-err" x="{x}" y="{h - he:.1f}" width="{bar_w}" height="{he:.1f}">'
            f"<title>{_e(label)}：错误 {e}</title></rect>"
        )
        parts.append(
            f'<rect class="bar-warn" x="{x}" y="{h - he - hw:.1f}" width="{bar_w}" height="{hw:.1f}">'
            f"<title>{_e(label)}：警告 {w}</title></rect>"
        )
        parts.append(f'<text x="{x + bar_w / 2}" y="{h - he - hw - 4:.1f}" text-anchor="middle">{e + w}</text>')
        parts.append(f'<text x="{x + bar_w / 2}" y="{h + 16}" text-anchor="middle">{_e(label)}</text>')
    parts.append("</svg>")
    return f'<figure class="chart"><figcaption>{_e(title)}</figcaption>{"".join(parts)}</figure>'


def render_html(filings: Iterable[Filing], out: Path, *, source: str = "") -> dict[str, int]:
    """Write the report to ``out``; returns counts (filings, findings, crops) for the caller to print."""
    index: list[dict[str, Any]] = []
    details: list[str] = []
    by_rule: Counter[tuple[str, str]] = Counter()
    rule_docs: dict[str, set[int]] = {}
    by_year: dict[str, list[int]] = {}
    by_level: dict[str, list[int]] = {}
    status: Counter[str] = Counter()
    n_crops = 0
    for n, f in enumerate(filings):
        status[f.status] += 1
        errs = sum(1 for i in f.issues if i.severity == "error")
        warns = sum(1 for i in f.issues if i.severity == "warning")
        for i in f.issues:
            by_rule[(i.rule, i.severity)] += 1
            rule_docs.setdefault(i.rule, set()).add(n)
        y = by_year.setdefault(str(f.year) if f.year else "未知", [0, 0])
        y[0] += errs
        y[1] += warns
        lv = by_level.setdefault(LEVEL_ZH.get(f.level, f.level), [0, 0])
        lv[0] += errs
        lv[1] += warns
        index.append(
            {
                "n": n,
                "id": f.doc_id,
                "body": f.body,
                "year": f.year,
                "level": LEVEL_ZH.get(f.level, f.level),
                "region": f.region,
                "status": f.status,
                "errors": errs,
                "warnings": warns,
                "path": f.path,
                "title": f.title,
                "kind": f.kind,
                "format": f.format,
                "pages": f.pages,
                "error": f.error,
                "note": f.note,
            }
        )
        n_crops += len(f.crops)
        details.append(f'<script type="application/json" id="d-{n}">{_json_block(_detail(f))}</script>')
    n_findings = sum(by_rule.values())
    rules_rows = "".join(
        f"<tr><td><code>{_e(rule)}</code></td><td>{_e(CATALOGUE[rule].title_zh if rule in CATALOGUE else '')}</td>"
        f'<td><span class="sev {_e(sev)}">{_e(SEVERITY_ZH.get(sev, sev))}</span></td><td class="num">{count}</td>'
        f'<td class="num">{len(rule_docs[rule])}</td></tr>'
        for (rule, sev), count in sorted(by_rule.items(), key=lambda kv: (-kv[1], kv[0]))
    )
    years = sorted(by_year.items(), key=lambda kv: (kv[0] == "未知", kv[0]))
    levels = sorted(by_level.items(), key=lambda kv: -sum(kv[1]))
    made = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    fills = {
        "SOURCE": _e(source),
        "MADE": _e(made),
        "VERSION": _e(__version__),
        "N_DOCS": str(len(index)),
        "N_OK": str(status["ok"]),
        "N_PARTIAL": str(status["partial"]),
        "N_FAILED": str(status["failed"]),
        "N_FINDINGS": str(n_findings),
        "N_ERRORS": str(sum(c for (_, s), c in by_rule.items() if s == "error")),
        "N_WARNINGS": str(sum(c for (_, s), c in by_rule.items() if s == "warning")),
        "RULES": rules_rows or '<tr><td colspan="5" class="muted">没有发现问题</td></tr>',
        "CHART_YEAR": _bar_chart("按年度的发现（错误/警告）", [(k, v[0], v[1]) for k, v in years]),
        "CHART_LEVEL": _bar_chart("按行政层级的发现（错误/警告）", [(k, v[0], v[1]) for k, v in levels]),
        "INDEX": _json_block({"docs": index, "layouts": _layouts(), "tables": TABLE_ZH}),
        "DETAILS": "\n".join(details),
        "SCRIPT": SCRIPT,
        "STYLE": STYLE,
    }
    # one pass over the template: text from a filing that reads "{{SCRIPT}}" is never a placeholder
    page = re.sub(r"\{\{([A-Z_]+)\}\}", lambda m: fills[m.group(1)], TEMPLATE)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")
    return {"filings": len(index), "findings": n_findings, "crops": n_crops}


STYLE = """
:root{--err:#c62828;--warn:#e69100;--ok:#2e7d32;--muted:#777;--line:#ddd}
*{box-sizing:border-box}body{font:14px/1.5 system-ui,"Noto Sans CJK SC","WenQuanYi Zen Hei",sans-serif;margin:0;color:#222}
header{background:#1f3a5f;color:#fff;padding:10px 20px;display:flex;gap:20px;align-items:center;flex-wrap:wrap}
header h1{font-size:18px;margin:0}header .meta{opacity:.8;font-size:12px}header button{margin-left:auto}
main{padding:16px 20px}.muted{color:var(--muted)}.num{text-align:right;font-variant-numeric:tabular-nums}
.cards{display:flex;gap:12px;flex-wrap:wrap}.card{border:1px solid var(--line);border-radius:6px;padding:8px 14px;min-width:110px}
.card b{display:block;font-size:22px}.charts{display:flex;gap:24px;flex-wrap:wrap}
.chart svg text{font-size:11px;fill:#333}.bar-err{fill:var(--err)}.bar-warn{fill:var(--warn)}
table{border-collapse:collapse}td,th{border:1px solid var(--line);padding:3px 6px;vertical-align:top}
th{background:#f3f5f8;text-align:left}th[data-key]{cursor:pointer;user-select:none}
#filings tbody tr{cursor:pointer}#filings tbody tr:hover{background:#f6f9ff}
.sev{display:inline-block;padding:0 6px;border-radius:3px;color:#fff;font-size:12px}
.sev.error{background:var(--err)}.sev.warning{background:var(--warn)}.sev.info{background:#607d8b}
.st-failed{color:var(--err)}.st-partial{color:var(--warn)}.st-ok{color:var(--ok)}
.controls{display:flex;gap:10px;align-items:center;margin:8px 0;flex-wrap:wrap}
.form td.v{text-align:right;min-width:44px;font-variant-numeric:tabular-nums}
.form td.flag{outline:3px solid var(--err);outline-offset:-3px;background:#fdecea}
.form td.flag.warning{outline-color:var(--warn);background:#fff4e0}
.form td.ocr{color:#0b5394}.form td.manual{background:#e6f4ea;font-weight:bold;outline:1px dashed #188038}.form td.lbl{max-width:320px}
.finding{border:1px solid var(--line);border-left:5px solid var(--err);border-radius:4px;padding:8px 12px;margin:10px 0}
.finding.warning{border-left-color:var(--warn)}.finding.info{border-left-color:#607d8b}.finding.reviewed{opacity:.55}
.crop{position:relative;display:inline-block;margin-top:6px;border:1px solid var(--line)}
.crop img{display:block;max-width:100%}.crop .box{position:absolute;border:3px solid var(--err);pointer-events:none}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px}dl.meta dt{color:var(--muted)}
.pager{display:flex;gap:8px;align-items:center}.note{background:#fff4e0;padding:6px 10px;border-radius:4px}
"""

TEMPLATE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<title>nianbao 审核报告</title><style>{{STYLE}}</style></head>
<body>
<header><h1>政府信息公开年报审核报告</h1>
<span class="meta">nianbao {{VERSION}} · {{MADE}} · {{SOURCE}}</span>
<button id="export-reviewed" type="button">导出已复核 (CSV)</button><span id="reviewed-count" class="meta"></span></header>
<main>
<section id="overview">
<div class="cards">
<div class="card"><b id="n-docs">{{N_DOCS}}</b>份文件</div>
<div class="card"><b class="st-ok">{{N_OK}}</b>完整</div>
<div class="card"><b class="st-partial">{{N_PARTIAL}}</b>部分读取</div>
<div class="card"><b class="st-failed">{{N_FAILED}}</b>失败</div>
<div class="card"><b id="n-findings">{{N_FINDINGS}}</b>项发现</div>
<div class="card"><b style="color:var(--err)">{{N_ERRORS}}</b>错误</div>
<div class="card"><b style="color:var(--warn)">{{N_WARNINGS}}</b>警告</div>
</div>
<h2>按规则</h2>
<table id="rules"><thead><tr><th>规则</th><th>说明</th><th>级别</th><th>发现</th><th>文件数</th></tr></thead><tbody>{{RULES}}</tbody></table>
<div class="charts">{{CHART_YEAR}}{{CHART_LEVEL}}</div>
<h2>文件</h2>
<div class="controls">
<input id="filter" type="search" placeholder="筛选：机关、地区、路径…" size="30">
<select id="status"><option value="">全部状态</option><option value="ok">完整</option><option value="partial">部分读取</option><option value="failed">失败</option></select>
<label><input id="only-errors" type="checkbox"> 只看有错误的</label>
<span class="pager"><button id="prev" type="button">上一页</button><span id="page-info"></span><button id="next" type="button">下一页</button></span>
</div>
<table id="filings"><thead><tr>
<th data-key="n">序号</th><th data-key="body">机关</th><th data-key="year">年度</th><th data-key="level">层级</th><th data-key="status">状态</th>
<th data-key="errors">错误</th><th data-key="warnings">警告</th><th data-key="path">文件</th>
</tr></thead><tbody></tbody></table>
</section>
<section id="filing" hidden></section>
</main>
<script type="application/json" id="index">{{INDEX}}</script>
{{DETAILS}}
<script>{{SCRIPT}}</script>
</body></html>
"""

SCRIPT = r"""
"use strict";
const IDX = JSON.parse(document.getElementById("index").textContent);
const DOCS = IDX.docs, LAYOUTS = IDX.layouts, TNAME = IDX.tables;
const SEV = {error: "错误", warning: "警告", info: "提示"}, STATUS = {ok: "完整", partial: "部分读取", failed: "失败"};
const STORE = "nianbao-reviewed";
const PAGE = 100;
// the list opens in the filings' own order (序号 = the workbook's sheet number, #doc=序号-1)
let sortKey = "n", sortDir = 1, page = 0;

function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") e.className = v; else e.setAttribute(k, v === true ? "" : String(v));
  }
  for (const k of kids) e.append(k instanceof Node ? k : document.createTextNode(k === null || k === undefined ? "" : String(k)));
  return e;
}
function reviewed() { try { return JSON.parse(localStorage.getItem(STORE) || "{}"); } catch (e) { return {}; } }
function saveReviewed(r) { try { localStorage.setItem(STORE, JSON.stringify(r)); } catch (e) {} showReviewedCount(); }
function showReviewedCount() { document.getElementById("reviewed-count").textContent = "已复核 " + Object.keys(reviewed()).length + " 项"; }

function rows() {
  const q = document.getElementById("filter").value.trim().toLowerCase();
  const st = document.getElementById("status").value;
  const onlyErr = document.getElementById("only-errors").checked;
  let out = DOCS.filter(d => (!st || d.status === st) && (!onlyErr || d.errors > 0) &&
    (!q || [d.body, d.region, d.path, d.title, d.year].some(x => String(x || "").toLowerCase().includes(q))));
  out.sort((a, b) => {
    const x = a[sortKey], y = b[sortKey];
    if (x === y) return a.n - b.n;
    if (x === null || x === undefined || x === "") return 1;
    if (y === null || y === undefined || y === "") return -1;
    return (x < y ? -1 : 1) * sortDir;
  });
  return out;
}
function drawList() {
  const all = rows(), pages = Math.max(1, Math.ceil(all.length / PAGE));
  page = Math.min(page, pages - 1);
  const body = document.querySelector("#filings tbody");
  body.replaceChildren(...all.slice(page * PAGE, (page + 1) * PAGE).map(d => {
    const tr = el("tr", {"data-doc": d.n}, el("td", {class: "num"}, d.n + 1),
      el("td", {}, d.body || "（未识别）"), el("td", {class: "num"}, d.year || ""), el("td", {}, d.level || ""),
      el("td", {class: "st-" + d.status}, STATUS[d.status] || d.status),
      el("td", {class: "num"}, d.errors), el("td", {class: "num"}, d.warnings), el("td", {class: "muted"}, d.path));
    tr.addEventListener("click", () => { location.hash = "doc=" + d.n; });
    return tr;
  }));
  document.getElementById("page-info").textContent = `${page + 1} / ${pages}（${all.length} 份）`;
}

function flaggedCells(det) {
  const m = {};
  for (const f of det.f) for (const c of f.cells) (m[c] = m[c] || []).push(f);
  return m;
}
function drawTable(t, det, flagged) {
  const fmt = (det.tf || {})[t] || det.fmt;  // each table in its own form's layout
  const layout = LAYOUTS[t + "/" + fmt] || LAYOUTS[t + "/2021"];
  const vals = det.t[t], conf = (det.o || {})[t] || null, fixed = (det.m || {})[t] || null;
  const wrap = el("div", {class: "form", "data-table": t}, el("h3", {}, TNAME[t] || t));
  let k = 0;
  for (const [heading, rws, cols] of layout) {
    const tbl = el("table", {});
    tbl.append(el("caption", {}, heading));
    tbl.append(el("tr", {}, el("th", {}, ""), ...cols.map(c => el("th", {}, c[1]))));
    for (const [rc, rl] of rws) {
      const tr = el("tr", {}, el("td", {class: "lbl"}, rl));
      for (const [cc] of cols) {
        const v = vals[k], score = conf ? conf[k] : null, ref = t + "." + rc + "." + cc, fs = flagged[ref];
        k++;
        const td = el("td", {class: "v" + (score !== null ? " ocr" : ""), "data-cell": ref}, v === null ? "" : v);
        if (fs) {
          const worst = fs.some(f => f.s === "error") ? "error" : "warning";
          td.className += " flag " + worst;
          td.setAttribute("data-rules", fs.map(f => f.r).join(" "));
          td.title = fs.map(f => f.r + "：" + f.mz).join("\n");
        }
        if (score !== null) td.title = (td.title ? td.title + "\n" : "") + "OCR 置信度 " + score.toFixed(3);
        const fix = fixed ? fixed[k - 1] : null;
        if (fix) {  // corrected by hand: the value shown is the correction, the printed text in the title
          td.className += " manual";
          td.textContent = String(fix[0]);
          td.title = (td.title ? td.title + "\n" : "") + "人工更正：原印“" + fix[1] + "”，更正为 " + fix[0] + (fix[2] ? "（" + fix[2] + "）" : "");
        }
        tr.append(td);
      }
      tbl.append(tr);
    }
    wrap.append(tbl);
  }
  return wrap;
}
function drawFinding(f, d, det) {
  const rev = reviewed();
  const box = el("div", {class: "finding " + f.s + (rev[f.k] ? " reviewed" : ""), "data-key": f.k, "data-rule": f.r,
                         "data-cells": f.cells.join(" ")});
  const cb = el("input", {type: "checkbox"});
  cb.checked = !!rev[f.k];
  cb.addEventListener("change", () => {
    const r = reviewed();
    if (cb.checked) r[f.k] = {at: new Date().toISOString(), doc_id: d.id, body: d.body, year: d.year, rule: f.r,
                              cells: f.cells.join(";"), message: f.mz};
    else delete r[f.k];
    saveReviewed(r);
    box.classList.toggle("reviewed", cb.checked);
  });
  box.append(el("div", {}, el("span", {class: "sev " + f.s}, SEV[f.s] || f.s), " ", el("b", {}, f.tz || f.r), " ",
                el("code", {}, f.r), " ", el("label", {class: "muted"}, cb, " 已复核")));
  box.append(el("div", {class: "msg"}, f.mz));
  if (f.m && f.m !== f.mz) box.append(el("div", {class: "muted"}, f.m));
  const facts = [];
  if (f.p !== "") facts.push("印为 " + f.p);
  if (f.e !== "") facts.push("应为 " + f.e);
  if (f.pg) facts.push("第 " + f.pg + " 页");
  if (f.src) facts.push("来源 " + (f.src === "ocr" ? "OCR" : f.src === "text" ? "文本层" : f.src));
  if (f.conf !== null && f.conf !== undefined) facts.push("OCR 最低置信度 " + f.conf.toFixed(3));
  if (facts.length) box.append(el("div", {class: "muted"}, facts.join(" · ")));
  if (f.crop !== null && f.crop !== undefined) {
    const c = el("div", {class: "crop", "data-cells": f.cells.join(" ")}, el("img", {src: det.c[f.crop], alt: "第 " + f.pg + " 页截图", loading: "lazy"}));
    for (const [x0, y0, x1, y1] of f.boxes) {
      const b = el("div", {class: "box"});
      b.style.left = (100 * x0) + "%"; b.style.top = (100 * y0) + "%";
      b.style.width = (100 * (x1 - x0)) + "%"; b.style.height = (100 * (y1 - y0)) + "%";
      c.append(b);
    }
    box.append(c);
  } else if (f.note) box.append(el("div", {class: "muted"}, "无截图：" + f.note));
  return box;
}
function drawFiling(n) {
  const d = DOCS[n], sec = document.getElementById("filing");
  const det = JSON.parse(document.getElementById("d-" + n).textContent);
  const flagged = flaggedCells(det);
  const back = el("a", {href: "#"}, "← 返回列表");
  const meta = el("dl", {class: "meta"});
  for (const [k, v] of [["标题", d.title], ["机关", d.body], ["层级", d.level], ["地区", d.region], ["年度", d.year],
                        ["格式", d.format], ["页数", d.pages], ["状态", STATUS[d.status] || d.status], ["错误", d.error],
                        ["文件", d.path], ["doc_id", d.id]]) {
    if (v === null || v === undefined || v === "") continue;
    meta.append(el("dt", {}, k), el("dd", {}, v));
  }
  const kids = [back, el("h2", {}, (d.body || "（未识别机关）") + " " + (d.year || "")), meta];
  if (d.note) kids.push(el("p", {class: "note"}, d.note));
  for (const t of ["t2", "t3", "t4"]) if (det.t[t]) kids.push(drawTable(t, det, flagged));
  kids.push(el("h3", {}, "发现（" + det.f.length + "）"));
  if (!det.f.length) kids.push(el("p", {class: "muted"}, "没有发现问题"));
  for (const f of det.f) kids.push(drawFinding(f, d, det));
  sec.replaceChildren(...kids);
  sec.hidden = false;
  document.getElementById("overview").hidden = true;
  window.scrollTo(0, 0);
}
function route() {
  const m = /^#doc=(\d+)$/.exec(location.hash);
  if (m && DOCS[+m[1]]) drawFiling(+m[1]);
  else { document.getElementById("filing").hidden = true; document.getElementById("overview").hidden = false; drawList(); }
}
function exportReviewed() {
  const r = reviewed(), head = ["key", "doc_id", "body", "year", "rule", "cells", "message", "reviewed_at"];
  const q = s => '"' + String(s === null || s === undefined ? "" : s).replace(/"/g, '""') + '"';
  const lines = [head.join(",")].concat(Object.entries(r).map(([k, v]) =>
    [k, v.doc_id, v.body, v.year, v.rule, v.cells, v.message, v.at].map(q).join(",")));
  const blob = new Blob(["\ufeff" + lines.join("\r\n") + "\r\n"], {type: "text/csv;charset=utf-8"});
  const a = el("a", {href: URL.createObjectURL(blob), download: "reviewed.csv"});
  document.body.append(a); a.click(); a.remove();
}
for (const th of document.querySelectorAll("#filings th[data-key]")) {
  th.addEventListener("click", () => {
    const k = th.getAttribute("data-key");
    sortDir = k === sortKey ? -sortDir : (k === "errors" || k === "warnings" ? -1 : 1); sortKey = k; drawList();
  });
}
for (const id of ["filter", "status", "only-errors"]) document.getElementById(id).addEventListener("input", () => { page = 0; drawList(); });
document.getElementById("prev").addEventListener("click", () => { page = Math.max(0, page - 1); drawList(); });
document.getElementById("next").addEventListener("click", () => { page += 1; drawList(); });
document.getElementById("export-reviewed").addEventListener("click", exportReviewed);
window.addEventListener("hashchange", route);
showReviewedCount();
route();
// for benchmarks/bench_report.py: milliseconds from navigation to the first drawn view
console.log("nianbao-rendered-ms " + Math.round(performance.now()));
"""
