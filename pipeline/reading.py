"""Reading a run back: ``nianbao.open(OUT)`` gives the datasets of ``nianbao extract … --out OUT``.

For notebooks: every dataset is a pandas DataFrame read on first use (from Parquet when the run
wrote it, else from the CSV), and :attr:`Outputs.db` is a DuckDB connection over the run's
``nianbao.duckdb`` (read-only, so a notebook never alters a finished run)::

    out = nianbao.open("out/")
    out.disclosure.merge(out.documents[["doc_id", "body", "year"]], on="doc_id")
    out.db.sql("SELECT rule, count(*) FROM findings GROUP BY rule").df()
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from nianbao.pipeline.schema import ALL_DATASETS, csv_select


class Outputs:
    """The datasets of one output folder. Attribute access (``out.findings``) or ``out["findings"]``."""

    def __init__(self, out_dir: str | Path) -> None:
        self.dir = Path(out_dir)
        if not (self.dir / "documents.csv").exists():
            raise FileNotFoundError(
                f"{self.dir} holds no nianbao output (no documents.csv): run `nianbao extract … --out {self.dir}` first"
            )
        self._frames: dict[str, pd.DataFrame] = {}

    @property
    def names(self) -> list[str]:
        """The dataset names, in the output contract's order."""
        return list(ALL_DATASETS)

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in ALL_DATASETS:
            raise KeyError(f"no dataset {name!r}; datasets: {', '.join(ALL_DATASETS)}")
        if name not in self._frames:
            self._frames[name] = self._read(name)
        return self._frames[name]

    def __getattr__(self, name: str) -> pd.DataFrame:
        if name in ALL_DATASETS:
            return self[name]
        raise AttributeError(name)

    def __dir__(self) -> list[str]:
        return [*super().__dir__(), *ALL_DATASETS]

    def _read(self, name: str) -> pd.DataFrame:
        parquet = self.dir / f"{name}.parquet"
        if parquet.exists():
            # nullable dtypes: a year or page that some rows lack stays an integer (Int64), not a float
            return pd.read_parquet(parquet, dtype_backend="numpy_nullable")
        # a run interrupted before it closed has CSVs only; read them with the contract's types
        cols: dict[str, Any] = {}
        for col, typ in ALL_DATASETS[name].items():
            cols[col] = {"VARCHAR": "string", "BOOLEAN": "boolean", "INTEGER": "Int32", "DOUBLE": "Float64"}.get(
                typ, "string"
            )
        path = self.dir / f"{name}.csv"
        if not path.exists():
            # a dataset of the whole batch (bodies) is written when a run closes: an interrupted run, or
            # one written by an older nianbao, has none yet; it reads as empty, with the contract's columns
            return pd.DataFrame({c: pd.Series(dtype=t) for c, t in cols.items()})
        return pd.read_csv(path, dtype=cols, keep_default_na=False, na_values=[""], encoding="utf-8-sig")

    @cached_property
    def db(self) -> duckdb.DuckDBPyConnection:
        """DuckDB over ``nianbao.duckdb`` (read-only); over the CSVs when the run wrote no database."""
        return connect(self.dir)

    def close(self) -> None:
        if "db" in self.__dict__:
            self.db.close()
            del self.__dict__["db"]

    def __enter__(self) -> Outputs:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"nianbao.Outputs({str(self.dir)!r})"


def connect(out_dir: Path) -> duckdb.DuckDBPyConnection:
    """Read-only DuckDB over a run: its nianbao.duckdb, or views over its CSVs (a run that never closed)."""
    db = out_dir / "nianbao.duckdb"
    if db.exists():
        return duckdb.connect(str(db), read_only=True)
    if not (out_dir / "documents.csv").exists():
        raise FileNotFoundError(f"{out_dir} holds no nianbao output: run `nianbao extract … --out {out_dir}` first")
    con = duckdb.connect(":memory:")
    for name in ALL_DATASETS:
        path = out_dir / f"{name}.csv"
        if path.exists():
            # a view takes no parameters: the path goes in as a quoted literal
            literal = "'" + str(path).replace("'", "''") + "'"
            con.execute(f"CREATE VIEW {name} AS {csv_select(name).replace('?', literal, 1)}")
    return con


def open(out_dir: str | Path) -> Outputs:
    """The datasets written by ``nianbao extract … --out OUT_DIR``."""
    return Outputs(out_dir)
