"""nianbao: 政府信息公开工作年度报告 → canonical, checked datasets.

The Python API is the product; the CLI is a thin layer over it::

    from pipeline import process, Settings
    doc = process("report.pdf", Settings())
    doc.status, doc.values, doc.findings
"""

from pipeline.model import DocumentResult, Status
from pipeline.process import process
from pipeline.settings import Settings

__all__ = ["DocumentResult", "Settings", "Status", "process"]
