"""The README's five-minute tour, run as written: every command, and every output line it shows."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from nianbao.pipeline.cli import main
from tests.conftest import ROOT


def _tour() -> list[tuple[str, list[str]]]:
    """(command, the output lines shown under it) for each `$ nianbao …` of the tour's console blocks."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    tour = text[text.index("## A five-minute tour") : text.index("## Where to read on")]
    steps: list[tuple[str, list[str]]] = []
    for block in re.findall(r"```console\n(.*?)```", tour, re.S):
        for line in block.splitlines():
            if line.startswith("$ "):
                steps.append((line[2:], []))
            elif line.strip():
                steps[-1][1].append(line)
    return steps


def _squeeze(s: str) -> str:
    return " ".join(s.split())


def test_the_tour_runs_as_the_readme_shows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    steps = _tour()
    assert len(steps) >= 5
    (tmp_path / "samples").symlink_to(ROOT / "samples")
    monkeypatch.chdir(tmp_path)
    for command, shown in steps:
        args = shlex.split(command)
        assert args[0] == "nianbao"
        res = CliRunner().invoke(main, args[1:])
        if args[1] != "check":  # check exits 1 when a filing has an error, as the tour says
            assert res.exit_code == 0, (command, res.output)
        got = _squeeze(res.output)
        for line in shown:
            assert _squeeze(line) in got, (command, line, res.output)
    assert (tmp_path / "out" / "report.html").exists() and (tmp_path / "out" / "report.xlsx").exists()
