"""Reading a finished run with SQL, and exporting its datasets (`nianbao query`, `nianbao export`)."""

from __future__ import annotations

from pathlib import Path

from nianbao.pipeline.reading import connect
from nianbao.pipeline.schema import ALL_DATASETS

EXCEL_MAX_ROWS = 1_048_575  # a sheet's rows, less the header


def export(out_dir: Path, fmt: str, dest: Path) -> list[Path]:
    """Every dataset to ``dest``: Parquet partitioned by report year, CSV, or one Excel workbook."""
    con = connect(out_dir)
    written: list[Path] = []
    try:
        present = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        names = [n for n in ALL_DATASETS if n in present]
        if fmt == "xlsx":
            import pandas as pd

            dest.parent.mkdir(parents=True, exist_ok=True)
            with pd.ExcelWriter(dest, engine="openpyxl") as xl:
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
            written.append(target)
    finally:
        con.close()
    return written


def _quoted(path: Path) -> str:
    """A path inside a SQL string literal (a folder name may hold a quote)."""
    return str(path).replace("'", "''")
