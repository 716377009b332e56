"""Validated run settings. One frozen dataclass, passed explicitly to every stage."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path

from nianbao.model import Correction


class SettingsError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class OcrPolicy:
    """How sure an OCR reading is taken to be: every threshold the OCR stages judge by, in one place.

    A reading the extractors doubt (:data:`nianbao.model.DOUBTS`: a lone round glyph read as 0, a
    point with no dot under it, a minus the recogniser dropped, a speck cut off a number) keeps the
    recogniser's own score in its provenance and names its doubt; what it *counts for* is capped
    here, under ``Settings.ocr_min_confidence``, so that it is reported (``ocr.low_confidence``)
    and read again before a sum is reported on it. Settings checks that relation.
    """

    # a first reading under this needs two re-readings that agree, one of them sure
    unsure: float = 0.75
    # ... or, away from seals, both re-readings of the same number, no look under this: of 12,222
    # cells re-read in 196 hard scans and 100 copier copies with a planted error each (seeds
    # 11000-11195, 3800-3899), the 5 this confirms more were all right (lone 0s, read at 0.51-0.99)
    agreed: float = 0.5
    # a re-reading this confident confirms a cell (the black ink under a seal too)
    sure: float = 0.9
    # under a seal a first reading needs more: of 1,970 cells under seals first read at 0.9 or more in
    # 100 hard scans at 150 DPI (seeds 1000-1099), 8 of 102 read at 0.90-0.95 were wrong, 4 of 156 at
    # 0.95-0.98, 8 of 1,712 above
    sealed_sure: float = 0.95
    # what a doubted reading counts for at most
    doubtful: float = 0.85
    # a lone round glyph of a digit's height read as 0 counts for a little more: it is a 0 far more
    # often than anything else, but was read without the context of other digits
    round_zero: float = 0.89
    # a digit the recogniser scored at least this next to the one it read is an alternative the
    # failed sums may take (never a value on its own: it must restore every failed sum of its
    # table); 0 turns it off. A 6 whose gap a 150 DPI copy closed reads 8 from every crop, the 6
    # still scored a few percent (copier seeds 4842, 4849)
    runner_up: float = 0.02
    # ... and only in a table where at least this many re-read cells read two numbers (by any
    # look): the next best explained the truth on copies whose re-reads misread digits (copier
    # seed 5110 at 200 DPI: 20 cells read two ways; 6940: 2), and explained planted errors away
    # where no cell of the table was read two ways (a planted 9, its next best 0 at 0.03: copier
    # seeds 6810 at 200 DPI, 6218 at 300)
    runner_up_evidence: int = 1
    # a blank mark ('/', '—') read in a box more than this many times the page's type height is a
    # stroke from elsewhere, a seal's across two rows, not a printed mark (checks.ocr_verify.tall_marks)
    tall_mark: float = 1.8

    def counts_for(self, confidence: float, doubt: str | None) -> float:
        """The confidence a reading counts for: the recogniser's, capped where it is doubted."""
        if doubt is None:
            return confidence
        return min(confidence, self.round_zero if doubt == "round_zero" else self.doubtful)

    def check(self, min_confidence: float) -> None:
        """The thresholds in their order, and a doubted reading always under ``min_confidence``."""
        if not 0 < self.agreed <= self.unsure < self.sure <= self.sealed_sure <= 1:
            raise SettingsError("OcrPolicy: need 0 < agreed <= unsure < sure <= sealed_sure <= 1")
        if max(self.doubtful, self.round_zero) >= min_confidence:
            raise SettingsError(
                f"ocr_min_confidence {min_confidence} is not above what a doubted OCR reading counts for "
                f"({max(self.doubtful, self.round_zero)}): such readings would pass without review; lower "
                "OcrPolicy.doubtful and OcrPolicy.round_zero with it"
            )
        if not 0 <= self.runner_up < self.agreed:
            raise SettingsError("OcrPolicy.runner_up must be at least 0 and under OcrPolicy.agreed")
        if self.tall_mark <= 1:
            raise SettingsError("OcrPolicy: tall_mark must be more than 1 (a printed mark is as tall as the type)")
        if self.runner_up_evidence < 0:
            raise SettingsError("OcrPolicy.runner_up_evidence must be at least 0")
        if self.unsure >= min_confidence:
            raise SettingsError(f"OcrPolicy.unsure must be under ocr_min_confidence ({min_confidence})")


@dataclass(frozen=True, slots=True)
class Settings:
    # label matching: minimum rapidfuzz ratio (0-100) for a row/column label to map
    match_threshold: float = 72.0
    # text-layer trust: a page with fewer characters than this and an image is an image page
    min_chars: int = 20
    # share of the page an image must cover to make a low-text page a scanned page
    image_cover: float = 0.5
    # share of characters that may be unmapped glyphs before the layer is distrusted
    max_bad_glyph_share: float = 0.05
    # files with more pages are refused (protects batches from 10,000-page PDFs; reports have tens)
    max_pages: int = 300
    # images (and image frames) larger than this are refused before decoding
    max_megapixels: float = 200.0
    # files larger than this on disk are refused before they are read, by kind (a report's text
    # is a few hundred KB; 200 MB of text once took 1.75 GB and a minute before anything was said)
    max_text_mb: float = 20.0  # .txt, .md
    max_html_mb: float = 20.0  # .html, .htm
    max_word_mb: float = 50.0  # .docx, .doc, .wps
    max_ofd_mb: float = 100.0  # .ofd (a scanned OFD holds its page images)
    # what a zip container (.docx, .ofd) unpacks to, from its directory, before anything is unpacked
    max_unzipped_mb: float = 200.0
    # a web page nesting elements deeper, or holding more elements, is refused while it is parsed
    # (200,000 nested <div> once took the whole time limit)
    max_html_depth: int = 1000
    max_html_elements: int = 500_000
    # a worker process using more memory than this (resident, MB) is killed and replaced, and its
    # file fails as over the memory limit; two workers at the default fit an 8 GB laptop
    max_memory_mb: int = 3072
    # where to draw boxes and cells for inspection; None disables
    debug_dir: Path | None = None
    # decimal places kept when converting 元 to 万元
    money_decimals: int = 6
    # who reads glyphs and rules of table pages: pdfium (fast) or pdfplumber (reference)
    table_engine: str = "pdfium"
    # OCR of pages without a trustworthy text layer, and of image files
    ocr: bool = True
    ocr_engine: str = "rapidocr"  # rapidocr | paddleocr (native PaddleOCR, extra nianbao[paddle])
    # PaddleOCR model folders: one with det/ and rec/ (ocr_model_dir), or each named; the pipeline
    # recognises line crops only, so only rec is loaded. None: the bundled models, exported once
    # into ocr_cache_dir
    ocr_model_dir: Path | None = None
    ocr_rec_model_dir: Path | None = None
    ocr_det_model_dir: Path | None = None
    # where bundled models are exported and PaddleX keeps its cache; None: $XDG_CACHE_HOME/nianbao
    ocr_cache_dir: Path | None = None
    ocr_dpi: int = 200  # PDF pages are rendered at this resolution for OCR
    ocr_device: str = "cpu"  # cpu | cuda
    # threads one OCR engine uses on the CPU; 0 = all cores (right for one process, not for many)
    ocr_threads: int = 0
    # recognition score under which an OCR'd value gets an ocr.low_confidence finding
    ocr_min_confidence: float = 0.9
    # the thresholds OCR readings are judged by, and what a doubted reading counts for
    ocr_policy: OcrPolicy = field(default_factory=OcrPolicy)
    # seconds LibreOffice may take to convert a legacy .doc/.wps before the file fails
    convert_timeout: float = 120.0
    # wall-clock seconds one file may take; None: sized from its page count and OCR engine
    # (nianbao.pipeline.run.time_limit: 60 s + 60 s a page, 180 s with the native PaddleOCR engine)
    timeout: float | None = None
    # what a manifest says of each file (path as given -> body, region, level, year, url): applied
    # when the metadata is read, before any finding is made. Not part of a run's key: a resumed run
    # does not read a finished file again because its manifest row changed (--fresh does)
    metadata_hints: Mapping[str, Mapping[str, str]] | None = field(default=None, compare=False, hash=False)
    # cells read off the page by a person, by file (doc_id, sha256 or absolute path -> corrections):
    # applied after the tables are read, before any rule runs (`nianbao extract --corrections`)
    corrections: Mapping[str, tuple[Correction, ...]] | None = field(default=None, compare=False, hash=False)

    def __post_init__(self) -> None:
        if not 0 <= self.match_threshold <= 100:
            raise SettingsError("match_threshold must be within 0..100")
        if self.min_chars < 0:
            raise SettingsError("min_chars must be >= 0")
        if not 0 < self.image_cover <= 1:
            raise SettingsError("image_cover must be within (0, 1]")
        if not 0 <= self.max_bad_glyph_share <= 1:
            raise SettingsError("max_bad_glyph_share must be within 0..1")
        if self.max_pages < 1:
            raise SettingsError("max_pages must be >= 1")
        if self.max_megapixels <= 0:
            raise SettingsError("max_megapixels must be > 0")
        for name in ("max_text_mb", "max_html_mb", "max_word_mb", "max_ofd_mb", "max_unzipped_mb"):
            if getattr(self, name) <= 0:
                raise SettingsError(f"{name} must be > 0")
        if self.max_html_depth < 16 or self.max_html_elements < 1000:
            raise SettingsError("max_html_depth must be >= 16 and max_html_elements >= 1000")
        if self.max_memory_mb < 256:
            raise SettingsError("max_memory_mb must be >= 256")
        if not 72 <= self.ocr_dpi <= 600:
            raise SettingsError("ocr_dpi must be within 72..600")
        if self.ocr_device not in ("cpu", "cuda"):
            raise SettingsError("ocr_device must be 'cpu' or 'cuda'")
        if self.ocr_engine not in ("rapidocr", "paddleocr"):
            raise SettingsError("ocr_engine must be 'rapidocr' or 'paddleocr'")
        if self.ocr_engine != "paddleocr" and (self.ocr_model_dir or self.ocr_rec_model_dir or self.ocr_det_model_dir):
            raise SettingsError("OCR model folders are for ocr_engine='paddleocr'")
        for name in ("ocr_model_dir", "ocr_rec_model_dir", "ocr_det_model_dir"):
            folder = getattr(self, name)
            if folder is not None and not Path(folder).is_dir():
                raise SettingsError(f"{name}: {folder} is not a folder")
        if (
            self.ocr_model_dir is not None
            and self.ocr_rec_model_dir is None
            and not (Path(self.ocr_model_dir) / "rec").is_dir()
        ):
            raise SettingsError(f"ocr_model_dir: {self.ocr_model_dir} has no rec/ model folder")
        if self.ocr_threads < 0:
            raise SettingsError("ocr_threads must be >= 0")
        if not 0 <= self.ocr_min_confidence <= 1:
            raise SettingsError("ocr_min_confidence must be within 0..1")
        self.ocr_policy.check(self.ocr_min_confidence)
        if self.table_engine not in ("pdfium", "pdfplumber"):
            raise SettingsError("table_engine must be 'pdfium' or 'pdfplumber'")
        if self.timeout is not None and self.timeout <= 0:
            raise SettingsError("timeout must be > 0 (or None)")
        if self.convert_timeout <= 0:
            raise SettingsError("convert_timeout must be > 0")
        if not 0 <= self.money_decimals <= 10:
            raise SettingsError("money_decimals must be within 0..10")

    @property
    def ocr_rec_dir(self) -> Path | None:
        """The recognition model folder the paddleocr engine loads (None: the bundled one)."""
        if self.ocr_rec_model_dir is not None:
            return Path(self.ocr_rec_model_dir)
        if self.ocr_model_dir is not None:
            return Path(self.ocr_model_dir) / "rec"
        return None

    def limits(self) -> dict[str, float]:
        """Every ``max_*`` limit by name: what ``--limit NAME=VALUE`` may raise for one run."""
        return {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if f.name.startswith("max_") and f.name != "max_bad_glyph_share"
        }

    def describe(self) -> dict[str, object]:
        return {f.name: getattr(self, f.name) for f in fields(self)}
