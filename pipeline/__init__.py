"""nianbao: 政府信息公开工作年度报告 → canonical, checked datasets.

The Python API is the product; the CLI is a thin layer over it::

    from pipeline import process, Settings
    doc = process("report.pdf", Settings())
    doc.status, doc.values, doc.findings
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pipeline.model import DocumentResult, Status
from pipeline.settings import Settings

if TYPE_CHECKING:
    from pipeline.run import process

__all__ = ["DocumentResult", "Settings", "Status", "process"]


def __getattr__(name: str) -> Any:
    # the stages import pipeline.model; importing them lazily keeps the package free of cycles
    if name == "process":
        from pipeline.run import process

        return process
    raise AttributeError(name)
