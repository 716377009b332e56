"""Imports run one way: ground < extractors < normalizers < checks < pipeline < the public API.

The ground (``nianbao/*.py`` and ``nianbao/form/``: the document model, settings, the finding
catalogue and the form itself) imports no stage; a stage imports the ground and the stages before
it, never one after it; nothing below ``pipeline/`` (orchestration, outputs, the CLI) imports it.
Imports inside functions count too: a late import is still a dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

LAYERS = ("ground", "extractors", "normalizers", "checks", "pipeline")
STAGES = LAYERS[1:]


def _layer_of_module(name: str) -> str | None:
    """The layer a ``nianbao…`` module belongs to; None for the package root (the public API)."""
    parts = name.split(".")
    if parts[0] != "nianbao":
        return None
    if len(parts) == 1:
        return None
    return parts[1] if parts[1] in STAGES else "ground"


def _files() -> list[tuple[str, Path]]:
    out = [(stage, f) for stage in STAGES for f in sorted((ROOT / stage).glob("*.py"))]
    ground = [f for f in sorted((ROOT / "nianbao").rglob("*.py")) if not any(p.is_symlink() for p in f.parents)]
    out += [
        ("ground", f) for f in ground if f.parent != ROOT / "nianbao" or f.name not in ("__init__.py", "__main__.py")
    ]
    return out


def _imports(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
            # `from nianbao import model` imports the module nianbao.model
            found += [(node.lineno, f"{node.module}.{a.name}") for a in node.names if node.module == "nianbao"]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
    return found


def test_every_import_goes_to_the_same_or_a_lower_layer() -> None:
    files = _files()
    assert {layer for layer, _ in files} == set(LAYERS)
    assert any(f.name == "model.py" for layer, f in files if layer == "ground")
    backwards = []
    for layer, path in files:
        for line, module in _imports(path):
            target = _layer_of_module(module)
            if module == "nianbao" and layer != "pipeline":
                backwards.append(f"{path.relative_to(ROOT)}:{line} imports the package root (the public API)")
            elif target is not None and LAYERS.index(target) > LAYERS.index(layer):
                backwards.append(f"{path.relative_to(ROOT)}:{line} ({layer}) imports {module} ({target})")
    assert not backwards, "imports from a later layer:\n" + "\n".join(backwards)


def test_the_check_sees_a_backward_import(tmp_path: Path) -> None:
    """The rule above can fail: an extractor importing a normalizer is caught."""
    bad = tmp_path / "x.py"
    bad.write_text("def f():\n    from nianbao.normalizers.tables import normalize_tables\n", encoding="utf-8")
    (line, module), *_ = _imports(bad)
    assert (line, _layer_of_module(module)) == (2, "normalizers")
    assert LAYERS.index("normalizers") > LAYERS.index("extractors")
