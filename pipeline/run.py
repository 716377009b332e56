"""One document through the stages: a pure function of (file, settings) → result.

Every stage has the same signature, ``(DocumentResult, Settings) -> DocumentResult``,
and the list of stages depends only on the kind of input. Nothing here keeps
state between documents, so :func:`process` runs unchanged in worker processes.
"""

from __future__ import annotations

import hashlib
import signal
import stat
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from nianbao.catalogue import finding
from nianbao.checks.confirmed import confirm_values
from nianbao.checks.ocr_recover import recover_cells
from nianbao.checks.ocr_verify import verify_readings
from nianbao.checks.registry import run_checks
from nianbao.errors import InputError
from nianbao.extractors.docx import extract_docx
from nianbao.extractors.html import extract_html
from nianbao.extractors.image import extract_image
from nianbao.extractors.legacy_word import extract_legacy_word
from nianbao.extractors.ofd import extract_ofd
from nianbao.extractors.pdf import extract_pdf
from nianbao.extractors.text_dump import extract_text
from nianbao.model import DocumentResult, Status
from nianbao.normalizers.corrections import apply_corrections
from nianbao.normalizers.embedded import normalize_embedded
from nianbao.normalizers.facts import read_facts
from nianbao.normalizers.metadata import read_metadata
from nianbao.normalizers.tables import normalize_tables
from nianbao.settings import Settings

Stage = Callable[[DocumentResult, Settings], DocumentResult]

PDF_EXT = {".pdf"}
IMAGE_EXT = {".png", ".jpg", ".jpeg", ".tif", ".tiff"}
HTML_EXT = {".html", ".htm"}
TEXT_EXT = {".txt", ".md"}
LEGACY_WORD = {".doc", ".wps"}
OFD_EXT = {".ofd"}
KNOWN_EXT = PDF_EXT | IMAGE_EXT | HTML_EXT | TEXT_EXT | LEGACY_WORD | OFD_EXT | {".docx"}


def _normalize_unless_unsupported(doc: DocumentResult, settings: Settings) -> DocumentResult:
    return doc if doc.metadata.format == "unsupported" else normalize_tables(doc, settings)


def _format(doc: DocumentResult, settings: Settings) -> DocumentResult:
    """The report's format is its table 三's (else table 二's), known once the tables are read."""
    if doc.metadata.format != "unsupported":
        doc.metadata.format = doc.table_formats.get("t3") or doc.table_formats.get("t2")
    return doc


def _checks(doc: DocumentResult, settings: Settings) -> DocumentResult:
    return run_checks(doc)


def _debug(doc: DocumentResult, settings: Settings) -> DocumentResult:
    if settings.debug_dir is not None:
        from nianbao.pipeline.debug import draw_debug_pages

        draw_debug_pages(doc, settings.debug_dir)
    return doc


# what every input goes through once its pages (or lines) and grids are extracted
READING: tuple[tuple[str, Stage], ...] = (
    ("metadata", read_metadata),
    ("normalize", _normalize_unless_unsupported),
    ("format", _format),
    ("embedded", normalize_embedded),
    ("facts", read_facts),
    ("corrections", apply_corrections),
    ("recover", recover_cells),
    ("check", _checks),
    ("verify", verify_readings),
    ("confirm", confirm_values),
)
PDF_STAGES: tuple[tuple[str, Stage], ...] = (("extract", extract_pdf), *READING, ("debug", _debug))
IMAGE_STAGES: tuple[tuple[str, Stage], ...] = (("extract", extract_image), *READING, ("debug", _debug))
# page-less inputs: no page images to draw
TEXT_STAGES: tuple[tuple[str, Stage], ...] = (("extract", extract_text), *READING)
HTML_STAGES: tuple[tuple[str, Stage], ...] = (("extract", extract_html), *READING)
DOCX_STAGES: tuple[tuple[str, Stage], ...] = (("extract", extract_docx), *READING)
LEGACY_WORD_STAGES: tuple[tuple[str, Stage], ...] = (("extract", extract_legacy_word), *READING)
OFD_STAGES: tuple[tuple[str, Stage], ...] = (("extract", extract_ofd), *READING, ("debug", _debug))


def sniff_kind(path: Path) -> str:
    with path.open("rb") as fh:
        head = fh.read(1024)
    if head.startswith(b"%PDF") or b"%PDF-" in head[:1024]:
        return "pdf"
    ext = path.suffix.lower()
    if ext in PDF_EXT:
        return "pdf"  # a .pdf without a header: opening it gives the clear error
    if ext in IMAGE_EXT:
        return "image"
    if ext in HTML_EXT:
        return "html"
    if ext == ".docx":
        return "docx"
    if ext in OFD_EXT:
        return "ofd"
    if ext in TEXT_EXT:
        return "txt"
    if ext in LEGACY_WORD:
        return "legacy_word"
    return "unknown"


def stages_for(kind: str) -> Sequence[tuple[str, Stage]]:
    if kind == "pdf":
        return PDF_STAGES
    if kind == "txt":
        return TEXT_STAGES
    if kind == "html":
        return HTML_STAGES
    if kind == "docx":
        return DOCX_STAGES
    if kind == "legacy_word":
        return LEGACY_WORD_STAGES
    if kind == "image":
        return IMAGE_STAGES
    if kind == "ofd":
        return OFD_STAGES
    raise InputError("unknown file type: not a PDF, OFD, image, HTML, Word or text file")


# the size on disk each kind may have, by the Settings field that says it (PDFs and images are
# bounded by pages and pixels instead, checked when they are opened)
SIZE_LIMITS = {
    "txt": "max_text_mb",
    "html": "max_html_mb",
    "docx": "max_word_mb",
    "legacy_word": "max_word_mb",
    "ofd": "max_ofd_mb",
}


def over_size_limit(kind: str, size: int, settings: Settings) -> str | None:
    """Why a file of this kind and size is refused before it is read (None: it is not)."""
    name = SIZE_LIMITS.get(kind)
    if name is None:
        return None
    limit = float(getattr(settings, name))
    if size <= limit * 1e6:
        return None
    return (
        f"the file is {size / 1e6:,.1f} MB, over the {limit:g} MB limit for its kind ({kind}); "
        f"raise it for one run with --limit {name}=MB"
    )


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


class FileTimeout(Exception):
    """One file took longer than its wall-clock limit."""


# after the deadline, the signal comes again this often: Python drops an exception raised while it
# runs a finaliser (a weakref callback, ``__del__``, the garbage collector: pypdfium2 closes pages
# and documents that way) or where a library catches every exception, and the file ran on to "ok"
_REFIRE = 0.2


@contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """Raise FileTimeout in the running stage after ``seconds``, and again every ``_REFIRE`` seconds
    until the caller leaves (main thread only: batch workers and the single-process CLI run files
    there). Native code is interrupted when it returns to Python."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: object) -> None:
        _EXPIRED[0] = True
        raise FileTimeout

    _EXPIRED[0] = False
    old = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds, _REFIRE)
    try:
        yield
    finally:
        _disarm()
        signal.signal(signal.SIGALRM, old)


def _disarm() -> None:
    if threading.current_thread() is threading.main_thread():
        signal.setitimer(signal.ITIMER_REAL, 0)


# set when the deadline fired: a library that catches the exception and raises its own (onnxruntime
# wraps it in an ONNXRuntimeError) still fails the file as timed out, not as an internal error
_EXPIRED = [False]


# wall-clock seconds a page may take, by OCR engine. The limit is there for a file that hangs, never
# to cut a slow healthy reading short: a page read by OCR and re-read cell by cell takes a few
# seconds with RapidOCR on a quiet machine, several times that on a loaded one, and the native
# PaddleOCR engine is slower again. (At 20 s a page for every engine, a held-out run with PaddleOCR
# lost a whole file to its deadline in one run of three: 94.2% became 88.7%, one file of 18.)
PAGE_SECONDS = {"rapidocr": 60.0, "paddleocr": 180.0}


def time_limit(path: str | Path, settings: Settings) -> float:
    """Wall-clock seconds one file may take: ``settings.timeout``, else 60 s plus
    ``PAGE_SECONDS[engine]`` a page (a multi-page TIFF counts its frames)."""
    if settings.timeout:
        return settings.timeout
    p = Path(path)
    try:
        kind = sniff_kind(p) if p.is_file() else "unknown"
    except OSError:
        kind = "unknown"
    return 60.0 + PAGE_SECONDS.get(settings.ocr_engine, 180.0) * _page_estimate(p, kind)


def _page_estimate(path: Path, kind: str) -> int:
    """Pages a file will have, cheaply, to size its time limit (1 when unknown)."""
    try:
        if kind == "pdf":
            import pypdfium2 as pdfium

            pdf = pdfium.PdfDocument(str(path))
            try:
                return max(1, len(pdf))
            finally:
                pdf.close()
        if kind == "image":
            from PIL import Image

            with Image.open(path) as im:  # the header only: frames are counted, not decoded
                return max(1, int(getattr(im, "n_frames", 1)))
    except Exception:  # a broken file fails in its own stage with its own message
        return 1
    return 1


_NOT_FILE = {
    stat.S_IFDIR: "a folder",
    stat.S_IFIFO: "a named pipe (FIFO)",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
}


def process(path: str | Path, settings: Settings | None = None) -> DocumentResult:
    """Run every stage on one file. Never raises for a bad file: see ``status``/``error``."""
    settings = settings or Settings()
    p = Path(path)
    t_start = time.perf_counter()
    try:
        # never open what is not a regular file: a named pipe blocks the reader forever, a device
        # streams without end; a dangling or looping link fails here with its reason
        mode = p.stat().st_mode
        if not stat.S_ISREG(mode):
            what = _NOT_FILE.get(stat.S_IFMT(mode), "not a regular file")
            doc = DocumentResult(doc_id="", path=str(p), sha256="", kind="unknown")
            return _fail(doc, f"{what}: not opened")
        sha = sha256_of(p)
        kind = sniff_kind(p)
    except OSError as e:
        doc = DocumentResult(doc_id="", path=str(p), sha256="", kind="unknown")
        return _fail(doc, f"cannot read the file: {e.strerror or e}")
    doc = DocumentResult(doc_id=sha[:16], path=str(p), sha256=sha, kind=kind)
    size = p.stat().st_size
    if size == 0:
        return _fail(doc, "empty file")
    if (over := over_size_limit(kind, size, settings)) is not None:
        return _fail(doc, over)
    try:
        stages = stages_for(kind)
    except InputError as e:
        return _fail(doc, str(e))
    limit = time_limit(p, settings)
    stage_name = ""
    try:
        with _deadline(limit):
            for name, stage in stages:
                stage_name = name
                t0 = time.perf_counter()
                try:
                    doc = stage(doc, settings)
                    if _EXPIRED[0]:  # the deadline fired and something swallowed it: still too late
                        raise FileTimeout
                except Exception as e:
                    # first of all: a deadline coming again must not interrupt the failure's own record
                    _disarm()
                    # a library may catch the deadline's exception and raise its own: the flag tells
                    if isinstance(e, FileTimeout) or _EXPIRED[0]:
                        return _fail(doc, f"timed out after {limit:g} s (in stage '{name}')")
                    if isinstance(e, InputError):
                        return _fail(doc, str(e))
                    return _fail(doc, f"internal error in stage '{name}': {type(e).__name__}: {e}")
                finally:
                    doc.timings[name] = round(time.perf_counter() - t0, 4)
    except FileTimeout:
        # the deadline can fire between two statements, outside a stage's own handler
        return _fail(doc, f"timed out after {limit:g} s (in stage '{stage_name}')")
    doc.timings["total"] = round(time.perf_counter() - t_start, 4)
    for page in doc.pages:
        # every glyph of every page was needed by the readers; results that travel between
        # processes and stay in memory in batches keep the values, lines and grids instead
        page.words = []
        page.image = page.seal = page.luma = None
    doc.status = _status(doc)
    if doc.status is Status.FAILED and doc.error is None:
        doc.error = "not a government information disclosure report: no format table or section heading found"
        doc.findings.append(finding("input.not_a_report", doc.error))
    return doc


def _status(doc: DocumentResult) -> Status:
    if not doc.values and doc.metadata.format != "unsupported":
        if not any(p.needs_ocr for p in doc.pages):
            title = doc.metadata.title or ""
            if "公开" not in title:
                return Status.FAILED
        return Status.PARTIAL
    partial_rules = {"extract.needs_ocr", "extract.table_not_found", "extract.missing_column", "extract.missing_cell"}
    if any(f.rule in partial_rules for f in doc.findings) or doc.metadata.format == "unsupported":
        return Status.PARTIAL
    return Status.OK


def _fail(doc: DocumentResult, error: str) -> DocumentResult:
    for page in doc.pages:
        page.image = page.seal = page.luma = None
    doc.status = Status.FAILED
    doc.error = error
    doc.findings.append(finding("input.unreadable", error))
    return doc
