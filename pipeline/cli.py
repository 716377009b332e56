"""The ``nianbao`` command: a thin click layer over :mod:`nianbao.pipeline.batch` and `.outputs`."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import stat
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import click
import duckdb
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from nianbao import __version__
from nianbao.catalogue import CATALOGUE
from nianbao.model import Correction, DocumentResult, Finding, Severity
from nianbao.normalizers.corrections import (
    CorrectionsError,
    corrections_for_file,
    merge,
    read_corrections,
    write_corrections,
)
from nianbao.pipeline.batch import expand, run_batch
from nianbao.pipeline.collection import Collection, Outcome
from nianbao.pipeline.run import sha256_of
from nianbao.pipeline.schema import display_path
from nianbao.pipeline.store import OutputWriter
from nianbao.settings import Settings, SettingsError

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
    skipped: int = 0  # finished by an earlier run (resumed)
    failed: list[tuple[str, str]] = field(default_factory=list)

    def add(self, doc: DocumentResult) -> None:
        self.status[doc.status.value] += 1
        self.errors += sum(1 for f in doc.findings if f.severity is Severity.ERROR)
        if doc.error:
            self.failed.append((display_path(doc.path), doc.error))

    @property
    def total(self) -> int:
        return sum(self.status.values())


def require_paths(paths: tuple[str, ...]) -> None:
    """A path named on the command line that does not exist is a usage error (exit 2), before anything
    is created. A dangling link exists as a link: it becomes a failed row like any unreadable file."""
    missing = [p for p in paths if not os.path.lexists(p)]
    if missing:
        raise click.UsageError("no such file or folder: " + ", ".join(missing))


class Reporter:
    """Progress: on a terminal a bar with the last file finished and the time left; elsewhere (nohup,
    a notebook, CI) a line every ``every`` files or ``seconds``, whichever comes first."""

    def __init__(self, console: Console, total: int, every: int = 25, seconds: float = 30.0) -> None:
        self.console, self.total, self.every, self.seconds = console, total, every, seconds
        self.done = 0
        self.t0 = self.last = time.monotonic()
        self.progress: Progress | None = None
        if console.is_terminal:
            self.progress = Progress(
                TextColumn("[bold]{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                TextColumn("ETA"),
                TimeRemainingColumn(),
                console=console,
            )
            self.task = self.progress.add_task("reading", total=total)
            self.progress.start()

    def advance(self, doc: DocumentResult) -> None:
        self.done += 1
        name = Path(display_path(doc.path)).name
        if self.progress is not None:
            self.progress.update(self.task, advance=1, description=f"{escape(name[:40])} ({doc.status.value})")
            return
        now = time.monotonic()
        # a line every `every` files or `seconds`: a short run prints none, a long one shows it lives
        if self.done % self.every and now - self.last < self.seconds:
            return
        self.last = now
        elapsed = now - self.t0
        left = elapsed / self.done * (self.total - self.done)
        self.console.print(
            f"[{self.done}/{self.total}] {100 * self.done / max(self.total, 1):.0f}% "
            f"elapsed {_clock(elapsed)}, ETA {_clock(left)}; last: {name} ({doc.status.value})",
            markup=False,
            highlight=False,
        )

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()


def _clock(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"


def _run(
    paths: tuple[str, ...],
    settings: Settings,
    workers: int,
    console: Console,
    on_done: Callable[[DocumentResult], None],
    done: dict[str, str] | None = None,
    scheduler: str | None = None,
) -> Tally:
    passed: list[Path] = []
    files = expand(paths, skipped=passed)
    if passed:
        kinds = Counter(p.suffix.lower() or "(no extension)" for p in passed)
        said = ", ".join(f"{k} ×{n}" for k, n in sorted(kinds.items()))
        console.print(f"skipped {len(passed)} file(s) of a kind nianbao does not read: {said}", markup=False)
    if not files:
        raise click.UsageError("no input files found in the given paths")
    tally = Tally()
    if done:
        # resuming: files whose content an earlier run with the same version and settings finished
        todo = [f for f in files if _sha_if_file(f) not in done]
        tally.skipped = len(files) - len(todo)
        files = todo
    reporter = Reporter(console, len(files))
    try:
        if scheduler:
            from nianbao.pipeline.cluster import run_dask

            docs = run_dask(files, settings, scheduler=scheduler, workers=workers)
        else:
            docs = run_batch(files, settings, workers=workers)
        for doc in docs:
            on_done(doc)
            tally.add(doc)
            reporter.advance(doc)
    finally:
        reporter.close()
    return tally


def _corrections(out_dir: Path, given: Path | None, fresh: bool) -> dict[str, tuple[Correction, ...]]:
    """The corrections a run applies: those kept in OUT by earlier runs, with the new file's over them."""
    kept = out_dir / "corrections.csv"
    try:
        before = read_corrections(kept) if kept.exists() and not fresh else {}
        new = read_corrections(given) if given else {}
    except CorrectionsError as e:
        raise click.UsageError(str(e)) from e
    return merge(before, new)


MANIFEST_FIELDS = ("body", "region", "level", "year", "url")


def read_manifest(path: Path) -> dict[str, dict[str, str]]:
    """path -> the manifest's values for that file (relative paths are relative to the manifest)."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        if reader.fieldnames is None or "path" not in reader.fieldnames:
            raise click.UsageError(f"{path}: a manifest needs a 'path' column")
        out: dict[str, dict[str, str]] = {}
        for row in reader:
            p = Path(row["path"])
            if not p.is_absolute():
                p = path.parent / p
            out[str(p)] = {k: (row.get(k) or "").strip() for k in MANIFEST_FIELDS if (row.get(k) or "").strip()}
    return out


def _sha_if_file(path: Path) -> str | None:
    try:
        return sha256_of(path) if stat.S_ISREG(path.stat().st_mode) else None
    except OSError:
        return None


def ocr_engine_options(f: Callable[..., None]) -> Callable[..., None]:
    """--ocr-engine and its model folders, shared by the commands that read files."""
    opts = [
        click.option(
            "--ocr-engine",
            type=click.Choice(["rapidocr", "paddleocr"]),
            default="rapidocr",
            show_default=True,
            help="Who recognises text: RapidOCR (bundled), or native PaddleOCR (pip install 'nianbao[paddle]').",
        ),
        click.option(
            "--ocr-model-dir",
            type=click.Path(exists=True, file_okay=False, path_type=Path),
            help="PaddleOCR model folders det/ and rec/ (`nianbao ocr-models export` writes them); default: bundled.",
        ),
        click.option("--ocr-rec-model-dir", type=click.Path(exists=True, file_okay=False, path_type=Path)),
        click.option("--ocr-det-model-dir", type=click.Path(exists=True, file_okay=False, path_type=Path)),
    ]
    for opt in reversed(opts):
        f = opt(f)
    return f


def fail_on_option(default: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """--fail-on: which outcome makes the command exit 1, for scripts and cron jobs."""
    return click.option(
        "--fail-on",
        type=click.Choice(["never", "failed", "error"]),
        default=default,
        show_default=True,
        help="Exit 1 when a file failed (failed), or when a file failed or a filing has an error finding (error).",
    )


def limit_options(f: Callable[..., None]) -> Callable[..., None]:
    """--limit NAME=VALUE and --max-memory, shared by the commands that read files."""
    f = click.option(
        "--max-memory",
        type=click.IntRange(min=256),
        default=None,
        metavar="MB",
        help=f"Memory one worker may use; a file past it fails, the batch goes on  [default: {DEFAULTS.max_memory_mb}]",
    )(f)
    return click.option(
        "--limit",
        "limits",
        multiple=True,
        metavar="NAME=VALUE",
        help="Raise (or lower) a limit for this run, e.g. --limit max_text_mb=100; `nianbao limits` lists them.",
    )(f)


def with_limits(settings: Settings, limits: tuple[str, ...], max_memory: int | None) -> Settings:
    known = settings.limits()
    changes: dict[str, float | int] = {}
    for item in limits:
        name, sep, raw = item.partition("=")
        name = name.strip().replace("-", "_")
        if not name.startswith("max_"):
            name = "max_" + name
        if not sep or name not in known:
            raise click.BadParameter(f"{item!r}: give NAME=VALUE with NAME one of {', '.join(sorted(known))}")
        try:
            changes[name] = type(known[name])(float(raw)) if isinstance(known[name], int) else float(raw)
        except ValueError as e:
            raise click.BadParameter(f"{item!r}: {raw!r} is not a number") from e
    if max_memory is not None:
        changes["max_memory_mb"] = max_memory
    try:
        return replace(settings, **changes) if changes else settings  # type: ignore[arg-type]
    except SettingsError as e:
        raise click.BadParameter(str(e)) from e


def with_ocr_engine(
    settings: Settings, engine: str, model_dir: Path | None, rec_dir: Path | None, det_dir: Path | None
) -> Settings:
    if engine == "paddleocr":
        import importlib.util

        from nianbao.extractors.ocr_engine import PADDLE_HINT

        if importlib.util.find_spec("paddleocr") is None:
            raise click.UsageError(f"--ocr-engine paddleocr needs PaddleOCR, which is not installed: {PADDLE_HINT}")
    try:
        return replace(
            settings, ocr_engine=engine, ocr_model_dir=model_dir, ocr_rec_model_dir=rec_dir, ocr_det_model_dir=det_dir
        )
    except SettingsError as e:
        raise click.BadParameter(str(e)) from e


def run_key(settings: Settings) -> str:
    """Version and the settings that change what is read (not where debug images go, not threads)."""
    described = {
        k: str(v)
        for k, v in settings.describe().items()
        if k not in ("debug_dir", "ocr_threads", "timeout", "convert_timeout", "ocr_cache_dir", "metadata_hints")
    }
    digest = hashlib.sha1(json.dumps(described, sort_keys=True).encode()).hexdigest()[:12]
    return f"{__version__}:{digest}"


def _default_lang() -> str:
    """zh when the locale is Chinese (LANG=zh_CN.UTF-8 …), else en."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        val = os.environ.get(var)
        if val:
            return "zh" if val.lower().startswith("zh") else "en"
    return "en"


LANG = click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default=_default_lang,
    show_default="from the locale",
    help="Language of messages and labels.",
)


@click.group()
@click.version_option(version=__version__, prog_name="nianbao")
def main() -> None:
    """Read 政府信息公开工作年度报告 into canonical, checked datasets."""


@main.command()
# not click.Path(exists=True): one bad argument (a dangling link) must be a failed row, not abort the run
@click.argument("paths", nargs=-1, type=click.Path())
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
@click.option("--no-bom", is_flag=True, help="Write CSVs as plain UTF-8 (default: with a BOM, for Excel).")
@fail_on_option("never")
@click.option("--fresh", is_flag=True, help="Start over: discard what an earlier run wrote to --out.")
@click.option(
    "--manifest",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="CSV of files to read (column path; optional body, region, level, year, url override what the title says).",
)
@click.option(
    "--ocr-threads",
    type=click.IntRange(min=1),
    default=None,
    help="Threads each OCR engine uses  [default: the cores shared among --workers]",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    help="Seconds one file may take  [default: 60 + 20 per page]",
)
@click.option("--retry-failed", is_flag=True, help="When resuming, read again the files that failed before.")
@click.option(
    "--corrections",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="CSV of cells read off the page by hand (doc_id or path, table, row, col, value, note); "
    "kept in OUT and applied on every later run.",
)
@click.option(
    "--scheduler",
    metavar="tcp://HOST:PORT|local",
    help="Read on a Dask cluster (workers need nianbao and the files at the same paths); "
    "'local' starts one of --workers processes here.",
)
@click.option("--dask", "dask_local", type=click.Choice(["local"]), help="Same as --scheduler local.")
@ocr_engine_options
@limit_options
@click.option(
    "--threshold", default=DEFAULTS.match_threshold, type=float, show_default=True, help="Label match score (0-100)."
)
@LANG
def extract(
    paths: tuple[str, ...],
    out_dir: Path,
    workers: int,
    debug_dir: Path | None,
    ocr: bool,
    ocr_dpi: int,
    device: str,
    no_parquet: bool,
    no_bom: bool,
    fail_on: str,
    fresh: bool,
    manifest: Path | None,
    ocr_threads: int | None,
    timeout: float | None,
    retry_failed: bool,
    corrections: Path | None,
    scheduler: str | None,
    dask_local: str | None,
    ocr_engine: str,
    ocr_model_dir: Path | None,
    ocr_rec_model_dir: Path | None,
    ocr_det_model_dir: Path | None,
    max_memory: int | None,
    limits: tuple[str, ...],
    threshold: float,
    lang: str,
) -> None:
    """Extract tables 二/三/四, metadata and findings from files or folders.

    Writes disclosure, findings and documents as CSV and Parquet, nianbao.duckdb,
    and one JSON per document under OUT/documents/. Running it again on the same
    --out resumes: files already read with this version and settings are skipped
    (also after a kill); --fresh starts over, --retry-failed reads failed ones again.

    \b
    Example:
        nianbao extract samples/ --out out/
        nianbao extract report.pdf --out out/ --debug-dir out/debug
        nianbao extract scans/ --out out/ --ocr-dpi 300
        nianbao extract /shared/reports/ --out out/ --scheduler tcp://10.0.0.5:8786
        nianbao extract scans/ --out out/ --ocr-engine paddleocr --ocr-model-dir my-models/
    """
    require_paths(paths)
    console = Console(stderr=True, soft_wrap=True)  # piped logs keep one line per message
    settings = replace(_settings(debug_dir, threshold, ocr, ocr_dpi, device), timeout=timeout)
    settings = with_ocr_engine(settings, ocr_engine, ocr_model_dir, ocr_rec_model_dir, ocr_det_model_dir)
    settings = with_limits(settings, limits, max_memory)
    if ocr_threads is not None:
        settings = replace(settings, ocr_threads=ocr_threads)
    elif workers > 1:
        # several OCR engines share the cores: each gets its share instead of all of them
        settings = replace(settings, ocr_threads=max(1, (os.cpu_count() or 1) // workers))
    given = read_manifest(manifest) if manifest else {}
    if given:  # read as hints when each file's metadata is read, before any finding is made
        settings = replace(settings, metadata_hints=given)
    paths = (*paths, *given)
    if not paths:
        raise click.UsageError("name files or folders, or give --manifest")
    fixes = _corrections(out_dir, corrections, fresh)
    if fixes:
        settings = replace(settings, corrections=fixes)
    key = run_key(settings)

    def key_of(doc_id: str, sha256: str, path: str) -> str:
        # a file with corrections is read again when they change (its key names them)
        mine = corrections_for_file(fixes, doc_id, sha256, path)
        if not mine:
            return key
        said = json.dumps(sorted((c.key, c.value, c.note) for c in mine), ensure_ascii=False)
        return f"{key}:{hashlib.sha1(said.encode()).hexdigest()[:8]}"

    writer = OutputWriter(
        out_dir,
        parquet=not no_parquet,
        duckdb_file=not no_parquet,
        bom=not no_bom,
        run_key=key,
        resume=not fresh,
        retry_failed=retry_failed,
        key_of=key_of,
    )
    if fixes:
        write_corrections(out_dir / "corrections.csv", fixes)

    def add(doc: DocumentResult) -> None:
        doc.run_key = key_of(doc.doc_id, doc.sha256, doc.path)
        writer.add(doc)

    try:
        tally = _run(
            paths, settings, workers, console, on_done=add, done=writer.done, scheduler=scheduler or dask_local
        )
    finally:
        cross = writer.close()
    if lang == "zh":
        console.print(
            f"{tally.total} 份文件：{tally.status['ok']} 份完整，{tally.status['partial']} 份部分读取，"
            f"{tally.status['failed']} 份失败；错误 {tally.errors} 处，跨年度 {cross} 处 → {out_dir}"
            + (f"（{tally.skipped} 份已读，跳过）" if tally.skipped else "")
        )
    else:
        console.print(
            f"{tally.total} documents: {tally.status['ok']} ok, {tally.status['partial']} partial, "
            f"{tally.status['failed']} failed; {tally.errors} error findings, {cross} across years → {out_dir}"
            + (f" ({tally.skipped} already read, skipped)" if tally.skipped else "")
        )
    for path, error in tally.failed:
        console.print(f"[red]{'失败' if lang == 'zh' else 'failed'}[/red] {escape(path)}: {escape(error)}")
    if _fails(fail_on, tally, writer.outcome):
        sys.exit(1)


def _fails(fail_on: str, tally: Tally, outcome: Outcome | None = None) -> bool:
    """Whether --fail-on asks for exit status 1 (a cron job notices)."""
    if fail_on == "never":
        return False
    if tally.status["failed"]:
        return True
    batch_errors = 0
    if outcome is not None:
        batch_errors = sum(1 for found in outcome.findings.values() for f in found if f.severity is Severity.ERROR)
    return fail_on == "error" and (tally.errors + batch_errors) > 0


ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass
class Filing:
    """What `check` keeps of a filing until it prints them all, sorted: a few fields, not the document."""

    path: str
    status: str
    body: str | None
    year: int | None
    findings: list[Finding]


@main.command()
# not click.Path(exists=True): one bad argument (a dangling link) must be a failed row, not abort the run
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--workers", default=_default_workers, show_default="cores, at most 8", type=click.IntRange(1, 256))
@click.option(
    "--severity",
    type=click.Choice(["error", "warning", "info"]),
    default="warning",
    show_default=True,
    help="Lowest severity shown; filings with nothing at that level are left out.",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True, help="Output."
)
@LANG
@click.option("--ocr/--no-ocr", default=True, show_default=True, help="OCR pages without a text layer, and images.")
@fail_on_option("error")
@click.option("--no-bom", is_flag=True, help="--format csv: plain UTF-8 (default: with a BOM, for Excel).")
@limit_options
def check(
    paths: tuple[str, ...],
    workers: int,
    severity: str,
    fmt: str,
    lang: str,
    ocr: bool,
    fail_on: str,
    no_bom: bool,
    max_memory: int | None,
    limits: tuple[str, ...],
) -> None:
    """Print the findings of each filing, the same as `extract` writes (rules across years included);
    exit 1 when any filing has an error.

    \b
    Example:
        nianbao check samples/planted_errors.pdf
        nianbao check reports/ --severity error --lang zh
        nianbao check reports/ --format csv > findings.csv
    """
    require_paths(paths)
    filings: dict[str, Filing] = {}
    batch = Collection()  # the same batch step as `extract`: duplicates, conflicts, bodies, years

    def keep(d: DocumentResult) -> None:
        filings[d.doc_id or d.path] = Filing(
            display_path(d.path), d.status.value, d.metadata.body, d.metadata.year, d.findings
        )
        batch.add(d)

    settings = with_limits(_settings(ocr=ocr), limits, max_memory)
    tally = _run(paths, settings, workers, Console(stderr=True), on_done=keep)
    outcome = batch.finish()
    for doc_id, found in outcome.findings.items():
        filings[doc_id].findings.extend(found)
    # files that are no filing at all are counted apart (a folder's stray PDF is not a report)
    not_reports = sum(1 for x in filings.values() if any(f.rule == "input.not_a_report" for f in x.findings))
    unreadable = sum(1 for x in filings.values() if any(f.rule == "input.unreadable" for f in x.findings))
    reports = [x for x in filings.values() if not any(f.rule.startswith("input.") for f in x.findings)]
    n_err = sum(1 for x in reports if any(f.severity is Severity.ERROR for f in x.findings))
    n_warn = sum(1 for x in reports if any(f.severity is Severity.WARNING for f in x.findings))
    shown = sorted(filings.values(), key=lambda x: x.path)
    for filing in shown:
        filing.findings = [f for f in filing.findings if ORDER[f.severity.value] <= ORDER[severity]]
    # a filing is listed when it has something at the chosen level (all filings with --severity info)
    shown = [x for x in shown if x.findings or severity == "info"]
    if fmt == "json":
        out = [
            {
                "path": x.path,
                "status": x.status,
                "body": x.body,
                "year": x.year,
                "findings": [_finding_dict(f, lang) for f in x.findings],
            }
            for x in shown
        ]
        click.echo(json.dumps(out, ensure_ascii=False, indent=1))
    elif fmt == "csv":
        if not no_bom:  # Excel on Chinese Windows reads a CSV without one as GBK
            sys.stdout.write("\ufeff")
        w = csv.writer(sys.stdout)
        w.writerow(
            ["path", "status", "body", "year", "rule", "severity", "subject", "expected", "printed", "page", "message"]
        )
        for x in shown:
            for f in x.findings:
                d = _finding_dict(f, lang)
                w.writerow(
                    [
                        x.path,
                        x.status,
                        x.body,
                        x.year,
                        *(d[k] for k in ("rule", "severity", "subject", "expected", "printed", "page", "message")),
                    ]
                )
    else:
        _print_text(shown, lang)
    summary = (
        f"{len(reports)} 份报告：{n_err} 份有错误，{n_warn} 份有警告"
        if lang == "zh"
        else f"{len(reports)} filings: {n_err} with errors, {n_warn} with warnings"
    )
    if not_reports or unreadable:
        summary += (
            f"；另有 {not_reports} 个文件不是年度报告，{unreadable} 个文件无法读取"
            if lang == "zh"
            else f"; {not_reports} file(s) not a report, {unreadable} unreadable"
        )
    click.echo(summary, err=fmt != "text")
    if _fails(fail_on, tally, outcome):
        sys.exit(1)


def _finding_dict(f: Finding, lang: str) -> dict[str, object]:
    return {
        "rule": f.rule,
        "severity": f.severity.value,
        "subject": f.subject,
        "expected": f.expected,
        "printed": f.printed,
        "page": f.page,
        "message": (f.message_zh or f.message) if lang == "zh" else f.message,
    }


def _print_text(shown: list[Filing], lang: str) -> None:
    # soft wrap: piped output keeps one finding per line whatever the terminal's width
    console = Console(soft_wrap=True, highlight=False)
    for x in shown:
        head = f"{x.path}  [{x.status}]"
        if x.body or x.year:
            head += f"  {x.body or ''} {x.year or ''}"
        console.print(f"[bold]{escape(head)}[/bold]")
        if not x.findings:
            console.print("  无" if lang == "zh" else "  no findings")
        for f in x.findings:
            style = {"error": "red", "warning": "yellow", "info": "dim"}[f.severity.value]
            where = "" if f.page is None else (f" (第{f.page}页)" if lang == "zh" else f" (page {f.page})")
            values = ""
            if f.expected is not None:
                values = (
                    f" 应为 {f.expected}，印为 {f.printed}"
                    if lang == "zh"
                    else f" expected {f.expected}, printed {f.printed}"
                )
            console.print(
                f"  [{style}]{f.severity.value:<7}[/{style}] [bold]{f.rule}[/bold] {escape(f.subject or '')}"
                f"{escape(values)}{where}"
            )
            msg = (f.message_zh or f.message) if lang == "zh" else f.message
            console.print(f"          {escape(msg)}", style="dim")


@main.command()
@click.argument("out_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("sql")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV instead of a table.")
def query(out_dir: Path, sql: str, as_csv: bool) -> None:
    """Run SQL on what `nianbao extract` wrote to OUT_DIR (its DuckDB, read-only).

    Tables: disclosure, findings, documents, project_progress, review_log, scores,
    facts, tables, other_tables.

    \b
    Example:
        nianbao query out/ "SELECT rule, count(*) FROM findings GROUP BY rule ORDER BY 2 DESC"
        nianbao query out/ "SELECT body, year, n_errors FROM documents WHERE n_errors > 0" --csv
    """
    from nianbao.pipeline.reading import connect

    try:
        con = connect(out_dir)
    except FileNotFoundError as e:
        raise click.UsageError(str(e)) from e
    try:
        cur = con.execute(sql)
        cols = [d[0] for d in cur.description or []]
        rows = cur.fetchall()
    except duckdb.Error as e:
        raise click.UsageError(f"SQL error: {e}") from e
    finally:
        con.close()
    if as_csv:
        w = csv.writer(sys.stdout)
        w.writerow(cols)
        w.writerows(rows)
        return
    t = Table(*cols, box=None)
    for r in rows:
        t.add_row(*("" if v is None else str(v) for v in r))
    Console(soft_wrap=True).print(t)
    click.echo(f"{len(rows)} rows", err=True)


@main.command(name="export")
@click.argument("out_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["parquet", "csv", "xlsx", "wide"]), required=True)
@click.option("--out", "dest", required=True, type=click.Path(path_type=Path), help="Folder (or .xlsx/.csv file).")
@click.option("--no-bom", is_flag=True, help="CSV as plain UTF-8 (default: with a BOM, for Excel).")
def export_cmd(out_dir: Path, fmt: str, dest: Path, no_bom: bool) -> None:
    """Export every dataset of a run: Parquet partitioned by report year, CSV, one Excel workbook (its
    first sheet, 汇总, the wide table), or the wide table alone: one row per filing, duplicates left
    out, the linked body, year, level and the key indicators under Chinese headers.

    \b
    Example:
        nianbao export out/ --format parquet --out lake/      # lake/disclosure/year=2022/…
        nianbao export out/ --format xlsx --out datasets.xlsx
        nianbao export out/ --format wide --out summary.csv
    """
    from nianbao.pipeline.export import export

    try:
        written = export(out_dir, fmt, dest, bom=not no_bom)
    except (FileNotFoundError, ValueError) as e:
        raise click.UsageError(str(e)) from e
    click.echo(f"{len(written)} written → {dest}", err=True)


@main.command()
@click.argument("out_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--html", "html_out", type=click.Path(dir_okay=False, path_type=Path), help="Write the HTML report here.")
@click.option("--xlsx", "xlsx_out", type=click.Path(dir_okay=False, path_type=Path), help="Write the workbook here.")
@click.option("--no-crops", is_flag=True, help="Leave out page crops (the original files are not at hand).")
@click.option(
    "--letters",
    "letters_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write a findings letter (整改清单, in Chinese) for each filing with errors into this folder.",
)
def report(
    out_dir: Path, html_out: Path | None, xlsx_out: Path | None, no_crops: bool, letters_dir: Path | None
) -> None:
    """Reports for auditors from what `nianbao extract` wrote to OUT_DIR.

    --html: one self-contained HTML file (no network, no server): an overview of
    findings by rule, year and level, a sortable list of filings, and per filing
    its tables with flagged cells highlighted and a crop of the page for each
    finding (rendered from the original files, which must still be where
    documents.path says). Reviewed marks are kept in the browser and export as CSV.
    --xlsx: a workbook with the datasets and one sheet per filing, flagged cells
    filled and commented. --letters: one letter per filing with errors, its
    error findings in the form's words, ready to send.

    \b
    Example:
        nianbao report out/ --html report.html
        nianbao report out/ --html report.html --xlsx report.xlsx
        nianbao report out/ --letters letters/
    """
    from nianbao.pipeline.report import gather

    if html_out is None and xlsx_out is None and letters_dir is None:
        raise click.UsageError("say what to write: --html FILE, --xlsx FILE, --letters DIR, or several")
    if not (out_dir / "documents.csv").exists():
        raise click.UsageError(f"{out_dir} has no documents.csv: is it the --out folder of `nianbao extract`?")
    if html_out is not None:
        from nianbao.pipeline.report_html import render_html

        n = render_html(gather(out_dir, crops=not no_crops), html_out, source=str(out_dir))
        click.echo(f"{n['filings']} filings, {n['findings']} findings, {n['crops']} page crops → {html_out}", err=True)
    if xlsx_out is not None:
        from nianbao.pipeline.report_xlsx import render_xlsx

        n = render_xlsx(gather(out_dir, crops=False), out_dir, xlsx_out)
        click.echo(f"{n['filings']} filings, {n['flagged_cells']} flagged cells → {xlsx_out}", err=True)
    if letters_dir is not None:
        from nianbao.pipeline.letters import write_letters

        k = write_letters(gather(out_dir, crops=False), letters_dir)
        click.echo(f"{k} letters (filings with errors) → {letters_dir}", err=True)


@main.group(name="ocr-models")
def ocr_models() -> None:
    """PaddleOCR model folders for --ocr-engine paddleocr."""


@ocr_models.command(name="export")
@click.argument("dest", type=click.Path(file_okay=False, path_type=Path))
def ocr_models_export(dest: Path) -> None:
    """Write the bundled PP-OCR models as PaddleOCR model folders DEST/det and DEST/rec.

    Each holds inference.onnx and inference.yml (model name, processing, and for rec the
    character list): the shape your own models must have for --ocr-model-dir. Nothing is
    downloaded.

    \b
    Example:
        nianbao ocr-models export models/
        nianbao extract scans/ --out out/ --ocr-engine paddleocr --ocr-model-dir models/
    """
    from nianbao.extractors.ocr_models import export_models

    for kind, folder in export_models(dest).items():
        click.echo(f"{kind}: {folder}")


@main.command()
@LANG
def codes(lang: str) -> None:
    """List every finding code with its severity and meaning, in Chinese and English.

    \b
    Example:
        nianbao codes
        nianbao codes --lang en
    """
    # one line per code, tab-separated: readable in a terminal, greppable and pasteable into a sheet
    head = ["code", "severity", "含义", "meaning"] if lang == "zh" else ["code", "severity", "meaning", "含义"]
    click.echo("\t".join(head))
    for ft in CATALOGUE.values():
        first, second = (ft.title_zh, ft.title) if lang == "zh" else (ft.title, ft.title_zh)
        click.echo("\t".join([ft.code, ft.severity.value, first, second]))


@main.command()
def limits() -> None:
    """List the limits a run applies to each input, and their defaults (raise one with --limit).

    \b
    Example:
        nianbao limits
        nianbao extract big/ --out out/ --limit max_text_mb=100 --max-memory 6000
    """
    for name, value in DEFAULTS.limits().items():
        click.echo(f"{name}\t{value:g}")


@main.command()
def rules() -> None:
    """List every finding code with its default severity (English; `nianbao codes` adds Chinese).

    \b
    Example:
        nianbao rules
    """
    t = Table("code", "severity", "meaning", box=None)
    for ft in CATALOGUE.values():
        t.add_row(ft.code, ft.severity.value, ft.title)
    Console(soft_wrap=True).print(t)


if __name__ == "__main__":  # pragma: no cover
    main()
