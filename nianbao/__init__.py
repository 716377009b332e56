"""nianbao: 政府信息公开工作年度报告 → canonical, checked datasets.

Everything the distribution installs lives under this one name. The stage packages are
``nianbao.pipeline``, ``nianbao.extractors``, ``nianbao.normalizers`` and ``nianbao.checks``;
this module is the public API a notebook needs::

    import nianbao
    doc = nianbao.process("report.pdf", nianbao.Settings())
    doc.status, doc.values, doc.findings

    out = nianbao.open("out/")          # what `nianbao extract … --out out/` wrote
    out.disclosure.merge(out.documents, on="doc_id")

    batch = nianbao.Collection()        # what depends on more than one file, decided by rule
    for doc in nianbao.run_batch(nianbao.expand(["reports/"]), nianbao.Settings(), workers=2):
        batch.add(doc)
    outcome = batch.finish()            # duplicate_of, conflicts, linked bodies, rules across years
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

# the one place the version lives: pyproject reads it (dynamic version) and so does the CLI
__version__ = "0.2.0"

from nianbao.model import DocumentResult, Finding, Severity, Status, Value
from nianbao.pipeline.reading import Outputs, open
from nianbao.settings import Settings, SettingsError

if TYPE_CHECKING:
    from nianbao.pipeline.batch import expand, run_batch
    from nianbao.pipeline.collection import Collection
    from nianbao.pipeline.run import process

__all__ = [
    "Collection",
    "DocumentResult",
    "Finding",
    "Outputs",
    "Settings",
    "SettingsError",
    "Severity",
    "Status",
    "Value",
    "__version__",
    "expand",
    "open",
    "process",
    "run_batch",
]


def __getattr__(name: str) -> Any:
    # the stages import nianbao.model; loading them on first use keeps `import nianbao`
    # cheap and free of import cycles
    if name == "process":
        from nianbao.pipeline.run import process

        return process
    if name == "Collection":
        from nianbao.pipeline.collection import Collection

        return Collection
    if name in ("run_batch", "expand"):
        from nianbao.pipeline import batch

        return getattr(batch, name)
    raise AttributeError(f"module 'nianbao' has no attribute {name!r}")
