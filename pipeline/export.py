"""Reading a finished run with SQL, and exporting its datasets (`nianbao query`, `nianbao export`)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from nianbao.pipeline.reading import connect
from nianbao.pipeline.schema import ALL_DATASETS

EXCEL_MAX_ROWS = 1_048_575  # a sheet's rows, less the header


LEVEL_ZH = {"township": "乡镇", "county": "区县", "city": "市", "province": "省", "department": "部门"}
STATUS_ZH = {"ok": "完整", "partial": "部分读取", "failed": "失败"}
# the wide table's indicators: (header, SQL over the filing's cells c[key] of tables 三/四)
INDICATORS: tuple[tuple[str, str], ...] = (
    ("本年新收", "c['t3.new_received.total']"),
    ("上年结转", "c['t3.carried_over.total']"),
    ("予以公开", "c['t3.granted.total']"),
    ("部分公开", "c['t3.partially_granted.total']"),
    ("办理总计", "c['t3.total_processed.total']"),
    (
        "予以公开占比",
        "round(c['t3.granted.total'] / nullif(c['t3.total_processed.total'], 0), 4)",
    ),
    ("结转下年度", "c['t3.carried_forward.total']"),
    ("行政复议总计", "c['t4.review.total']"),
    ("行政诉讼总计", "c['t4.litigation_direct.total'] + c['t4.litigation_after_review.total']"),
)


def wide_sql() -> str:
    """One row per counted filing (duplicates left out, failed files too), its body as linked across
    name variants, and the key indicators under Chinese headers; a cell the filing did not print is
    empty, a blank cell is 0 (the format's meaning)."""
    levels = " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in LEVEL_ZH.items())
    statuses = " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in STATUS_ZH.items())
    cols = ",\n  ".join(f'{sql} AS "{name}"' for name, sql in INDICATORS)
    return f"""
WITH cells AS (
  SELECT doc_id, map_from_entries(list(struct_pack(k := "table" || '.' || "row" || '.' || col, v := value))) AS c
  FROM disclosure WHERE "table" IN ('t3', 't4') AND value IS NOT NULL GROUP BY doc_id
)
SELECT
  coalesce(b.body, d.body) AS "机关",
  b.body_id AS "机关编号",
  d.year AS "年度",
  CASE d.level {levels} ELSE d.level END AS "层级",
  d.region AS "地区",
  CASE d.status {statuses} ELSE d.status END AS "状态",
  {cols},
  d.n_errors AS "错误数",
  d.n_warnings AS "警告数",
  d.doc_id AS doc_id,
  d.path AS "文件"
FROM documents d
LEFT JOIN bodies b USING (doc_id)
LEFT JOIN cells USING (doc_id)
WHERE d.duplicate_of IS NULL AND d.status <> 'failed'
ORDER BY "机关" NULLS LAST, "年度", doc_id
"""


def wide(out_dir: Path) -> Any:
    """The wide table as a pandas DataFrame (`nianbao export --format wide`, the workbook's 汇总 sheet)."""
    con = connect(out_dir)
    try:
        return _whole(con.execute(wide_sql()).df())
    finally:
        con.close()


def _whole(df: Any) -> Any:
    """Counts as whole numbers (151, not 151.0) where every value of the column is one."""
    for name, _ in INDICATORS:
        col = df[name]
        if col.notna().any() and (col.dropna() % 1 == 0).all():
            df[name] = col.astype("Int64")
    return df


def add_bom(path: Path) -> None:
    """Prefix a CSV DuckDB wrote with a byte-order mark (Excel on Chinese Windows needs it)."""
    tmp = path.with_suffix(path.suffix + ".tmp")
    with path.open("rb") as src, tmp.open("wb") as dst:
        dst.write(b"\xef\xbb\xbf")
        shutil.copyfileobj(src, dst, 1 << 20)
    os.replace(tmp, path)


def export(out_dir: Path, fmt: str, dest: Path, *, bom: bool = True) -> list[Path]:
    """Every dataset to ``dest``: Parquet partitioned by report year, CSV, or one Excel workbook (with the
    wide table as its first sheet, 汇总); or the wide table alone, ``fmt="wide"``, as one CSV file."""
    if fmt == "wide":
        dest.parent.mkdir(parents=True, exist_ok=True)
        wide(out_dir).to_csv(dest, index=False, encoding="utf-8-sig" if bom else "utf-8")
        return [dest]
    con = connect(out_dir)
    written: list[Path] = []
    try:
        present = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        names = [n for n in ALL_DATASETS if n in present]
        if fmt == "xlsx":
            import pandas as pd

            dest.parent.mkdir(parents=True, exist_ok=True)
            with pd.ExcelWriter(dest, engine="openpyxl") as xl:
                _whole(con.execute(wide_sql()).df()).to_excel(xl, sheet_name="汇总", index=False)
                for name in names:
                    n = con.execute(f"SELECT count(*) FROM {name}").fetchone()[0]  # type: ignore[index]
                    if n > EXCEL_MAX_ROWS:
                        raise ValueError(
                            f"{name} has {n:,} rows, more than an Excel sheet holds ({EXCEL_MAX_ROWS:,}): "
                            "export Parquet or CSV instead"
                        )
                    con.execute(f"SELECT * FROM {name}").df().to_excel(xl, sheet_name=name, index=False)
            return [dest]
        dest.mkdir(parents=True, exist_ok=True)
        for name in names:
            if fmt == "parquet":
                # partitioned by the report's year (documents carry it; the other datasets take it from there)
                year = "year" if name == "documents" else "d.year"
                select = (
                    f"SELECT * FROM {name}"
                    if name == "documents"
                    else f"SELECT t.*, {year} AS year FROM {name} t LEFT JOIN documents d USING (doc_id)"
                )
                target = dest / name
                con.execute(
                    f"COPY ({select}) TO '{_quoted(target)}' (FORMAT PARQUET, PARTITION_BY (year), OVERWRITE_OR_IGNORE)"
                )
            else:
                target = dest / f"{name}.csv"
                con.execute(f"COPY {name} TO '{_quoted(target)}' (HEADER, DELIMITER ',')")
                if bom:
                    add_bom(target)
            written.append(target)
    finally:
        con.close()
    return written


def _quoted(path: Path) -> str:
    """A path inside a SQL string literal (a folder name may hold a quote)."""
    return str(path).replace("'", "''")
