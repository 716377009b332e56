"""The ``nianbao`` command: a thin click layer over :mod:`nianbao.pipeline.batch` and `.outputs`."""

from __future__ import annotations

import os
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from nianbao import __version__
from nianbao.pipeline.batch import expand, run_batch
from nianbao.pipeline.catalogue import CATALOGUE
from nianbao.pipeline.model import DocumentResult, Severity
from nianbao.pipeline.outputs import OutputWriter
from nianbao.pipeline.settings import Settings, SettingsError

DEFAULTS = Settings()


def _settings(
    debug_dir: Path | None = None,
    threshold: float = DEFAULTS.match_threshold,
    ocr: bool = True,
    ocr_dpi: int = DEFAULTS.ocr_dpi,
    device: str = "cpu",
) -> Settings:
    try:
        return Settings(debug_dir=debug_dir, match_threshold=threshold, ocr=ocr, ocr_dpi=ocr_dpi, ocr_device=device)
    except SettingsError as e:
        raise click.BadParameter(str(e)) from e


def _default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


@dataclass
class Tally:
    """What a run remembers of each document: counts and failures, not the documents.

    A batch of 50,000 reports must not hold 50,000 results in memory; each is
    written (or printed) as it finishes and then dropped.
    """

    status: Counter[str] = field(default_factory=Counter)
    errors: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)

    def add(self, doc: DocumentResult) -> None:
        self.status[doc.status.value] += 1
        self.errors += sum(1 for f in doc.findings if f.severity is Severity.ERROR)
        if doc.error:
            self.failed.append((doc.path, doc.error))

    @property
    def total(self) -> int:
        return sum(self.status.values())


def _run(
    paths: tuple[str, ...],
    settings: Settings,
    workers: int,
    console: Console,
    on_done: Callable[[DocumentResult], None],
) -> Tally:
    files = expand(paths)
    if not files:
        raise click.UsageError("no input files found in the given paths")
    tally = Tally()
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        disable=not console.is_terminal,
    ) as progress:
        task = progress.add_task("reading", total=len(files))
        for doc in run_batch(files, settings, workers=workers):
            on_done(doc)
            tally.add(doc)
            progress.advance(task)
    return tally


@click.group()
@click.version_option(version=__version__, prog_name="nianbao")
def main() -> None:
    """Read 政府信息公开工作年度报告 into canonical, checked datasets."""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--out", "out_dir", required=True, type=click.Path(path_type=Path), help="Output folder.")
@click.option("--workers", default=_default_workers, show_default="cores, at most 8", type=click.IntRange(1, 256))
@click.option("--debug-dir", type=click.Path(path_type=Path), help="Draw words, tables and cells on page images here.")
@click.option("--ocr/--no-ocr", default=True, show_default=True, help="OCR pages without a text layer, and images.")
@click.option(
    "--ocr-dpi",
    default=DEFAULTS.ocr_dpi,
    show_default=True,
    type=click.IntRange(72, 600),
    help="Resolution PDF pages are rendered at for OCR.",
)
@click.option(
    "--device", type=click.Choice(["cpu", "cuda"]), default="cpu", show_default=True, help="Where the OCR models run."
)
@click.option("--no-parquet", is_flag=True, help="Write CSV and JSON only.")
@click.option(
    "--threshold", default=DEFAULTS.match_threshold, type=float, show_default=True, help="Label match score (0-100)."
)
def extract(
    paths: tuple[str, ...],
    out_dir: Path,
    workers: int,
    debug_dir: Path | None,
    ocr: bool,
    ocr_dpi: int,
    device: str,
    no_parquet: bool,
    threshold: float,
) -> None:
    """Extract tables 二/三/四, metadata and findings from files or folders.

    Writes disclosure, findings and documents as CSV and Parquet, nianbao.duckdb,
    and one JSON per document under OUT/documents/.

    \b
    Example:
        nianbao extract samples/ --out out/
        nianbao extract report.pdf --out out/ --debug-dir out/debug
        nianbao extract scans/ --out out/ --ocr-dpi 300
    """
    console = Console(stderr=True)
    settings = _settings(debug_dir, threshold, ocr, ocr_dpi, device)
    if workers > 1:
        # several OCR engines share the cores: each gets its share instead of all of them
        settings = replace(settings, ocr_threads=max(1, (os.cpu_count() or 1) // workers))
    writer = OutputWriter(out_dir, parquet=not no_parquet, duckdb_file=not no_parquet)
    try:
        tally = _run(paths, settings, workers, console, on_done=writer.add)
    finally:
        cross = writer.close()
    console.print(
        f"{tally.total} documents: {tally.status['ok']} ok, {tally.status['partial']} partial, "
        f"{tally.status['failed']} failed; {tally.errors} error findings, {cross} across years → {out_dir}"
    )
    for path, error in tally.failed:
        console.print(f"[red]failed[/red] {escape(path)}: {escape(error)}")


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--workers", default=_default_workers, show_default="cores, at most 8", type=click.IntRange(1, 256))
@click.option(
    "--severity",
    type=click.Choice(["error", "warning", "info"]),
    default="warning",
    show_default=True,
    help="Lowest severity shown.",
)
@click.option("--ocr/--no-ocr", default=True, show_default=True, help="OCR pages without a text layer, and images.")
def check(paths: tuple[str, ...], workers: int, severity: str, ocr: bool) -> None:
    """Print the findings of each filing; exit 1 when any filing has an error.

    \b
    Example:
        nianbao check samples/planted_errors.pdf
        nianbao check reports/ --severity error
    """
    console = Console()
    order = {"error": 0, "warning": 1, "info": 2}

    def show(d: DocumentResult) -> None:
        fs = [f for f in d.findings if order[f.severity.value] <= order[severity]]
        head = f"{d.path}  [{d.status.value}]"
        if d.metadata.body or d.metadata.year:
            head += f"  {d.metadata.body or ''} {d.metadata.year or ''}"
        console.print(f"[bold]{escape(head)}[/bold]")
        if not fs:
            console.print("  no findings")
            return
        for f in fs:
            style = {"error": "red", "warning": "yellow", "info": "dim"}[f.severity.value]
            where = "" if f.page is None else f" (page {f.page})"
            values = f" expected {f.expected}, printed {f.printed}" if f.expected is not None else ""
            console.print(
                f"  [{style}]{f.severity.value:<7}[/{style}] [bold]{f.rule}[/bold] {escape(f.subject or '')}"
                f"{escape(values)}{where}",
                soft_wrap=True,
            )
            console.print(f"          {escape(f.message)}", style="dim", soft_wrap=True)

    # printed as each filing finishes: a folder of thousands is never held in memory
    tally = _run(paths, _settings(ocr=ocr), workers, Console(stderr=True), on_done=show)
    if tally.errors:
        sys.exit(1)


@main.command()
def rules() -> None:
    """List every finding code with its default severity.

    \b
    Example:
        nianbao rules
    """
    t = Table("code", "severity", "meaning", box=None)
    for ft in CATALOGUE.values():
        t.add_row(ft.code, ft.severity.value, ft.title)
    Console().print(t)


if __name__ == "__main__":  # pragma: no cover
    main()
