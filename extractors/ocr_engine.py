"""OCR engines behind one small interface; the default runs PaddleOCR's PP-OCR models via RapidOCR.

RapidOCR's wheel ships the PP-OCRv6 detection/recognition and the direction
classifier as ONNX files, so nothing is downloaded at run time; the version is
pinned in ``pyproject.toml`` because bundled models change output. The pipeline
only needs *recognition* of line crops (layout comes from ruling lines and
projection profiles, see :mod:`extractors.ocr`), so that is what the interface
asks for. The native ``paddleocr`` engine (optional extra ``nianbao[paddle]``)
reads local PaddleOCR model folders (:mod:`extractors.ocr_models`).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from nianbao.errors import InputError

if TYPE_CHECKING:
    from nianbao.settings import Settings

INSTALL_HINT = "pip install 'rapidocr==3.10.0' onnxruntime"


class OcrEngine(Protocol):
    name: str

    def recognize(self, crops: Sequence[np.ndarray]) -> list[tuple[str, float]]:
        """Text and confidence (0-1) of each single-line crop (RGB or grey uint8)."""
        ...


class RapidOcrEngine:
    name = "rapidocr"

    def __init__(self, device: str = "cpu", threads: int = 0, batch: int = 32) -> None:
        self.batch = batch
        try:
            import onnxruntime
            from rapidocr import RapidOCR
            from rapidocr.ch_ppocr_rec import TextRecInput
        except ImportError as e:
            raise InputError(f"OCR needs RapidOCR and onnxruntime: {INSTALL_HINT}") from e
        ort_cuda = "CUDAExecutionProvider" in onnxruntime.get_available_providers()
        params: dict[str, object] = {
            "Global.log_level": "critical",
            "Rec.rec_batch_num": batch,
            # the recogniser pads every crop of a batch to this width at least (in units of
            # its height); 96/48 = 2 keeps digit crops cheap without losing their scores
            "Rec.rec_img_shape": [3, 48, 96],
            "EngineConfig.onnxruntime.use_cuda": device == "cuda" and ort_cuda,
            # onnxruntime's memory arena keeps the buffers of one run for the next: without it
            # (RapidOCR's default) every batch allocates and faults in its activations afresh, a
            # quarter of the recogniser's time on line crops of ever-changing widths
            "EngineConfig.onnxruntime.enable_cpu_mem_arena": True,
        }
        if threads:
            params["EngineConfig.onnxruntime.intra_op_num_threads"] = threads
        self._ocr = RapidOCR(params=params)
        self._rec = self._ocr._load_rec_model()
        self._input = TextRecInput
        if device == "cuda" and not ort_cuda:
            # onnxruntime without its CUDA provider (the usual CPU wheel): run the same ONNX
            # recognition model through PyTorch on the GPU; RapidOCR keeps its pre/post-processing
            self._rec.session = torch_session(self._rec_model_path(), "cuda")

    def _rec_model_path(self) -> str:
        import rapidocr

        return str(Path(rapidocr.__file__).parent / "models" / "PP-OCRv6_rec_small.onnx")

    def recognize(self, crops: Sequence[np.ndarray]) -> list[tuple[str, float]]:
        """Crops batched by similar width: a batch is padded to its widest crop, so mixing a
        digit with a long label would pay for the label's width once per digit."""
        rgb = [c if c.ndim == 3 else np.repeat(c[:, :, None], 3, axis=2) for c in crops]
        out: list[tuple[str, float]] = [("", 0.0)] * len(rgb)
        for group in ratio_groups([c.shape[1] / max(c.shape[0], 1) for c in rgb], self.batch):
            res = self._rec(self._input(img=[rgb[i] for i in group]))
            txts = res.txts or ("",) * len(group)
            for i, t, s in zip(group, txts, res.scores, strict=False):
                out[i] = (str(t), float(s))
        return out

    def recognize_with_alternatives(
        self, crops: Sequence[np.ndarray], floor: float
    ) -> list[tuple[str, float, list[tuple[str, float]]]]:
        """``recognize``, and for each crop the texts one digit away from its text that the
        recogniser itself gave at least ``floor`` probability: at each digit it emitted, the other
        digit it scored highest over that digit's frames. The same batches and the same decoding as
        ``recognize`` (RapidOCR's own preprocessing and CTC decoder), so the texts are the same.

        A copy at 150 DPI closes the gap of a 6 and every crop of the same ink reads 8 surely; the
        recogniser still gives the 6 a few percent where it would give it nothing on a clean digit."""
        rgb = [c if c.ndim == 3 else np.repeat(c[:, :, None], 3, axis=2) for c in crops]
        out: list[tuple[str, float, list[tuple[str, float]]]] = [("", 0.0, [])] * len(rgb)
        rec = self._rec
        chars = rec.postprocess_op.character
        digits = np.array([k for k, ch in enumerate(chars) if len(ch) == 1 and ch.isdigit() and ch.isascii()])
        _, height, width = rec.rec_image_shape[:3]
        for group in ratio_groups([c.shape[1] / max(c.shape[0], 1) for c in rgb], self.batch):
            ratio = max([width / height] + [rgb[i].shape[1] / max(rgb[i].shape[0], 1) for i in group])
            batch = np.concatenate([rec.resize_norm_img(rgb[i], ratio)[np.newaxis, :] for i in group])
            preds = rec.session(batch.astype(np.float32))
            texts, _ = rec.postprocess_op(preds)
            for i, (text, score), pred in zip(group, texts, preds, strict=True):
                out[i] = (str(text), float(score), _one_digit_away(pred, digits, chars, floor))
        return out


def _one_digit_away(
    pred: np.ndarray, digits: np.ndarray, chars: Sequence[str], floor: float
) -> list[tuple[str, float]]:
    """Texts with one emitted digit replaced by the digit scored next highest over its frames
    (CTC: a character is the run of frames whose best class it is; blank is class 0)."""
    best = pred.argmax(axis=1)
    emitted: list[tuple[int, int, int]] = []  # (class, first frame, last frame)
    for t, k in enumerate(best):
        if k != 0 and emitted and t > 0 and best[t - 1] == k:
            emitted[-1] = (int(k), emitted[-1][1], t)
        elif k != 0:
            emitted.append((int(k), t, t))
    text = [chars[k] for k, _, _ in emitted]
    out: list[tuple[str, float]] = []
    for pos, (k, t0, t1) in enumerate(emitted):
        if k not in digits:
            continue
        scores = pred[t0 : t1 + 1][:, digits].max(axis=0)
        scores[digits == k] = 0.0
        j = int(scores.argmax())
        if scores[j] >= floor:
            out.append(("".join([*text[:pos], chars[digits[j]], *text[pos + 1 :]]), float(scores[j])))
    return out


class _TorchSession:
    """Callable like RapidOCR's onnxruntime session: a float32 batch in, the model's output out."""

    def __init__(self, module: Any, device: str) -> None:
        import torch

        self._torch = torch
        self.device = device
        self.module = module.to(device).eval()

    def __call__(self, batch: np.ndarray) -> np.ndarray:
        with self._torch.inference_mode():
            out = self.module(self._torch.from_numpy(batch).to(self.device, non_blocking=True))
        return np.asarray(out.float().cpu().numpy())


def torch_session(onnx_path: str, device: str) -> _TorchSession:
    """The ONNX recognition model as a PyTorch module (onnx2torch) on ``device``.

    Three nodes of PP-OCRv6's recogniser use ``auto_pad=SAME_UPPER`` (kernel 2x2,
    stride 1), which onnx2torch does not convert; written out as explicit
    ``pads=[0, 0, 1, 1]`` they compute the same thing (checked against onnxruntime:
    same argmax on every position, largest difference 2e-6).
    """
    try:
        import onnx
        import torch
        from onnx import helper
        from onnx2torch import convert
    except ImportError as e:
        raise InputError(
            "--device cuda needs onnxruntime-gpu, or PyTorch with CUDA plus onnx and onnx2torch "
            "(pip install 'nianbao[gpu]')"
        ) from e
    if device == "cuda" and not torch.cuda.is_available():
        raise InputError("--device cuda: no CUDA device is visible to PyTorch")
    import warnings

    # onnx2torch's Slice indexes with a list, which PyTorch announces on every call
    warnings.filterwarnings("ignore", message="Using a non-tuple sequence", category=UserWarning)
    model = onnx.load(onnx_path)
    for node in model.graph.node:
        for attr in list(node.attribute):
            if attr.name == "auto_pad" and attr.s in (b"SAME_UPPER", b"SAME_LOWER"):
                node.attribute.remove(attr)
                node.attribute.append(helper.make_attribute("pads", [0, 0, 1, 1]))
    return _TorchSession(convert(model), device)


def ratio_groups(ratios: Sequence[float], size: int, spread: float = 1.3) -> list[list[int]]:
    """Indices grouped by width/height ratio: at most ``size`` each, widest at most ``spread`` x the narrowest."""
    groups: list[list[int]] = []
    start = 0.0
    for i in sorted(range(len(ratios)), key=lambda k: ratios[k]):
        if not groups or len(groups[-1]) >= size or ratios[i] > start * spread:
            groups.append([])
            start = max(ratios[i], 1e-6)
        groups[-1].append(i)
    return groups


PADDLE_HINT = "pip install 'nianbao[paddle]'  (paddlepaddle 3.3.1 and paddleocr 3.7.0)"


class PaddleOcrEngine:
    """Native PaddleOCR (``paddleocr.TextRecognition``) on a local model folder; never downloads.

    The folder is a PaddleOCR model folder (``nianbao ocr-models export`` writes the bundled ones):
    ONNX weights run on onnxruntime, Paddle-format weights on Paddle Inference. Only recognition is
    used, as with RapidOCR: lines come from ruling lines and projection profiles.
    """

    name = "paddleocr"

    def __init__(
        self,
        rec_dir: Path | None = None,
        device: str = "cpu",
        threads: int = 0,
        batch: int = 32,
        cache_dir: Path | None = None,
    ) -> None:
        import os

        from nianbao.extractors.ocr_models import bundled_folders, default_cache, model_name_of, weights_engine

        cache = cache_dir or default_cache()
        # PaddleX checks a model hub for every model unless told not to, and writes its cache under
        # the home folder unless told where: both are set here, before paddleocr is imported
        os.environ["PADDLE_PDX_DISABLE_MODEL_SOURCE_CHECK"] = "True"
        os.environ.setdefault("PADDLE_PDX_CACHE_HOME", str(cache / "paddlex"))
        try:
            from paddleocr import TextRecognition
        except ImportError as e:
            raise InputError(f"--ocr-engine paddleocr needs PaddleOCR: {PADDLE_HINT}") from e
        folder = Path(rec_dir) if rec_dir is not None else bundled_folders(cache)["rec"]
        self.batch = batch
        self.folder = folder
        kwargs: dict[str, Any] = {
            "model_name": model_name_of(folder),
            "model_dir": str(folder),
            "engine": weights_engine(folder),
            "device": "gpu:0" if device == "cuda" else "cpu",
        }
        if threads:
            kwargs["cpu_threads"] = threads  # one of PaddleOCR's common arguments
        self._rec = TextRecognition(**kwargs)

    def recognize(self, crops: Sequence[np.ndarray]) -> list[tuple[str, float]]:
        # PaddleOCR takes BGR images (OpenCV's order); batches of similar width, as for RapidOCR
        bgr = [
            np.repeat(c[:, :, None], 3, axis=2) if c.ndim == 2 else np.ascontiguousarray(c[:, :, ::-1]) for c in crops
        ]
        out: list[tuple[str, float]] = [("", 0.0)] * len(bgr)
        for group in ratio_groups([c.shape[1] / max(c.shape[0], 1) for c in bgr], self.batch):
            res = self._rec.predict([bgr[i] for i in group], batch_size=len(group))
            for i, r in zip(group, res, strict=False):
                out[i] = (str(r["rec_text"]), float(r["rec_score"]))
        return out


ENGINES = ("rapidocr", "paddleocr")


def get_engine(
    name: str = "rapidocr",
    device: str = "cpu",
    threads: int = 0,
    rec_dir: Path | None = None,
    cache_dir: Path | None = None,
) -> OcrEngine:
    """One engine per process and configuration: loading the models costs about a second."""
    return _engine(name, device, threads, rec_dir, cache_dir)


def engine_for(settings: Settings) -> OcrEngine:
    """The engine a run's settings name (engine, device, threads, model folders)."""
    return get_engine(
        settings.ocr_engine, settings.ocr_device, settings.ocr_threads, settings.ocr_rec_dir, settings.ocr_cache_dir
    )


@lru_cache(maxsize=4)
def _engine(name: str, device: str, threads: int, rec_dir: Path | None, cache_dir: Path | None) -> OcrEngine:
    if name == "rapidocr":
        return RapidOcrEngine(device=device, threads=threads)
    if name == "paddleocr":
        return PaddleOcrEngine(rec_dir=rec_dir, device=device, threads=threads, cache_dir=cache_dir)
    raise InputError(f"unknown OCR engine '{name}' (available: {', '.join(ENGINES)})")
