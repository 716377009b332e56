"""PP-OCR model folders for native PaddleOCR, made from the models RapidOCR's wheel ships.

PaddleOCR reads a model from a folder: the weights (``inference.onnx``, or Paddle's
``inference.json`` + ``inference.pdiparams``) and ``inference.yml`` beside them, which names the
model (``Global.model_name``) and its pre- and post-processing; a recogniser's yml also holds
its character list (``PostProcess.character_dict``). :func:`export_models` writes RapidOCR's
bundled PP-OCRv6 detection and recognition models in that shape, so ``--ocr-engine paddleocr``
works without any download, and users see the shape their own models must have.

The yml is written as JSON (YAML is a superset of JSON): no YAML library is needed to export,
and PaddleOCR reads it as it reads its own. The processing blocks are the ones PaddleX 3.7
generates for these models (``build_inference_meta``); the character list is the one stored in
the ONNX recogniser's own metadata (key ``character``), so the folder decodes exactly what
RapidOCR decodes.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

REC_MODEL = "PP-OCRv6_small_rec"
DET_MODEL = "PP-OCRv6_small_det"
BUNDLED = {"det": ("PP-OCRv6_det_small.onnx", DET_MODEL), "rec": ("PP-OCRv6_rec_small.onnx", REC_MODEL)}

_PRE_REC: dict[str, Any] = {
    "transform_ops": [
        {"DecodeImage": {"channel_first": False, "img_mode": "BGR"}},
        {"MultiLabelEncode": {"gtc_encode": "NRTRLabelEncode"}},
        {"RecResizeImg": {"image_shape": [3, 48, 320]}},
        {"KeepKeys": {"keep_keys": ["image", "label_ctc", "label_gtc", "length", "valid_ratio"]}},
    ]
}
_PRE_DET: dict[str, Any] = {
    "transform_ops": [
        {"DecodeImage": {"channel_first": False, "img_mode": "BGR"}},
        {"DetLabelEncode": None},
        {"DetResizeForTest": {"resize_long": 960}},
        {
            "NormalizeImage": {
                "mean": [0.485, 0.456, 0.406],
                "std": [0.229, 0.224, 0.225],
                "scale": "1./255.",
                "order": "hwc",
            }
        },
        {"ToCHWImage": None},
        {"KeepKeys": {"keep_keys": ["image", "shape", "polys", "ignore_tags"]}},
    ]
}
_POST_DET = {"name": "DBPostProcess", "thresh": 0.3, "box_thresh": 0.6, "max_candidates": 1000, "unclip_ratio": 1.5}


def rapidocr_models() -> Path:
    import rapidocr

    return Path(rapidocr.__file__).parent / "models"


def characters(onnx_path: Path) -> list[str]:
    """The recogniser's character list, as its ONNX file stores it (metadata key ``character``)."""
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.log_severity_level = 3
    meta = ort.InferenceSession(str(onnx_path), opts, providers=["CPUExecutionProvider"]).get_modelmeta()
    text = meta.custom_metadata_map.get("character")
    if not text:
        raise ValueError(f"{onnx_path}: no character list in the model's metadata")
    return text.split("\n")


def inference_meta(kind: str, model_name: str, chars: list[str] | None = None) -> dict[str, Any]:
    if kind == "rec":
        return {
            "Global": {"model_name": model_name},
            "PreProcess": _PRE_REC,
            "PostProcess": {"name": "CTCLabelDecode", "character_dict": chars or []},
        }
    return {"Global": {"model_name": model_name}, "PreProcess": _PRE_DET, "PostProcess": _POST_DET}


def export_models(dest: Path) -> dict[str, Path]:
    """Write ``dest/det`` and ``dest/rec`` (ONNX weights + inference.yml); returns the folders.

    Written into a temporary sibling and renamed into place, so an interrupted export never leaves
    a folder that looks complete.
    """
    src = rapidocr_models()
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    out: dict[str, Path] = {}
    for kind, (file, model_name) in BUNDLED.items():
        final = dest / kind
        tmp = dest / f".{kind}.tmp-{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        shutil.copyfile(src / file, tmp / "inference.onnx")
        chars = characters(src / file) if kind == "rec" else None
        meta = inference_meta(kind, model_name, chars)
        (tmp / "inference.yml").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
        if final.exists():
            shutil.rmtree(final)
        os.replace(tmp, final)
        out[kind] = final
    (dest / "README.txt").write_text(
        "PP-OCR model folders for `nianbao extract --ocr-engine paddleocr --ocr-model-dir THIS_FOLDER`.\n"
        "Each of det/ and rec/ holds the weights (inference.onnx, or Paddle's inference.json +\n"
        "inference.pdiparams) and inference.yml naming the model (Global.model_name) and its processing;\n"
        "rec/inference.yml also lists the characters (PostProcess.character_dict). Put your own models in\n"
        "the same shape. Exported from RapidOCR's bundled models by `nianbao ocr-models export`.\n",
        encoding="utf-8",
    )
    return out


def default_cache() -> Path:
    """Where bundled models are exported once when no model folder is given."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "nianbao"


def bundled_folders(cache_dir: Path | None = None) -> dict[str, Path]:
    """The bundled models as PaddleOCR folders, exported into the cache on first use."""
    from importlib.metadata import version

    # one folder per RapidOCR version: its bundled models change with it
    root = (cache_dir or default_cache()) / f"ocr-models-rapidocr-{version('rapidocr')}"
    folders = {kind: root / kind for kind in BUNDLED}
    if all((f / "inference.yml").exists() and (f / "inference.onnx").exists() for f in folders.values()):
        return folders
    return export_models(root)


def model_name_of(folder: Path) -> str:
    """``Global.model_name`` of a model folder's inference.yml (PaddleOCR insists on it)."""
    path = folder / "inference.yml"
    if not path.exists():
        raise FileNotFoundError(f"{folder}: no inference.yml (a PaddleOCR model folder has one beside the weights)")
    text = path.read_text(encoding="utf-8")
    try:
        data = json.loads(text)
    except ValueError:
        import yaml  # PaddleOCR's own ymls are YAML; PyYAML comes with paddleocr

        data = yaml.safe_load(text)
    name = (data.get("Global") or {}).get("model_name")
    if not name:
        raise ValueError(f"{path}: no Global.model_name")
    return str(name)


def weights_engine(folder: Path) -> str:
    """Which PaddleOCR inference engine reads the folder's weights."""
    if (folder / "inference.onnx").exists():
        return "onnxruntime"
    if (folder / "inference.json").exists() or (folder / "inference.pdmodel").exists():
        return "paddle"
    raise FileNotFoundError(f"{folder}: no inference.onnx, inference.json or inference.pdmodel")
