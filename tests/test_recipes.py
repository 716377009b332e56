"""The notebook recipe of docs/usage.md, run as written: each report counted once, by its linked body."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from nianbao.pipeline.cli import main
from tests.conftest import ROOT, SAMPLES

BODY = "三明市明溪县城关乡人民政府"


def _recipe() -> str:
    text = (ROOT / "docs" / "usage.md").read_text(encoding="utf-8")
    after = text[text.index("Counting each report once") :]
    code = re.search(r"```python\n(.*?)```", after, re.S)
    assert code, "the recipe's code block"
    lines = code.group(1).rstrip("\n").split("\n")
    return "\n".join([*lines[:-1], "result = " + lines[-1]])  # the last expression is what a notebook shows


def test_the_recipe_counts_each_report_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inp = tmp_path / "in"
    inp.mkdir()
    text = (SAMPLES / "crossyear_2021.txt").read_text(encoding="utf-8")
    (inp / "a_2021.txt").write_text(text, encoding="utf-8")
    lines = text.split("\n")
    k = next(i for i, ln in enumerate(lines) if "本年新收政府信息公开申请数量" in ln)
    cells = lines[k].split("\t")
    printed = int(cells[-1])
    cells[2], cells[-1] = str(int(cells[2]) + 1), str(printed + 1)  # a conflicting copy of the same report
    lines[k] = "\t".join(cells)
    (inp / "b_2021_copy.txt").write_text("\n".join(lines), encoding="utf-8")
    later = (SAMPLES / "crossyear_2022.txt").read_text(encoding="utf-8")
    (inp / "c_2022.txt").write_text(later.replace(BODY, "明溪县城关乡人民政府"), encoding="utf-8")  # renamed
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["extract", str(inp), "--out", str(out), "--workers", "1"])
    assert res.exit_code == 0, res.output
    monkeypatch.chdir(tmp_path)
    scope: dict[str, object] = {}
    exec(_recipe(), scope)
    result = scope["result"]
    assert isinstance(result, pd.DataFrame)
    col = next(c for c in result.columns if c.startswith("一、本年新收"))
    # both years under the body's fullest name; 2021 counted once (the copy with the smaller doc_id)
    assert [tuple(i) for i in result.index] == [(BODY, 2021), (BODY, 2022)]
    docs = pd.read_csv(out / "documents.csv", encoding="utf-8-sig")
    canon = docs[docs.duplicate_of.isna() & docs.path.str.contains("2021")].path.iloc[0]
    assert result.loc[(BODY, 2021), col] == (printed if canon.endswith("a_2021.txt") else printed + 1)
