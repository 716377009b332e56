"""A folder of the inputs the issue on bounded resources names, beside good reports.

Generated where it is needed (a test's temporary folder, a benchmark's), never committed: 21 MB of
report text, a .docx zip bomb, 200,000 nested <div>, a 300,000-row table, a GBK page whose meta says
UTF-8, random bytes named .docx, and the folder reached again through links to itself and a parent.
"""

from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path

MB = 1_000_000


def hostile_folder(inp: Path, samples: Path) -> None:
    """The inputs of the issue on bounded resources, next to two good reports."""
    shutil.copy(samples / "dump_tabs.txt", inp / "good.txt")
    shutil.copy(samples / "html_cms.html", inp / "good.html")
    # 21 MB of report text, over the 20 MB limit (the was 200 MB)
    with (inp / "huge.txt").open("wb") as fh:
        line = "本年新收政府信息公开申请数量\t1\t2\t3\n".encode()
        for _ in range(21 * MB // len(line) + 1):
            fh.write(line)
    # a .docx that unpacks to 210 MB of zeros (a few hundred KB on disk)
    with zipfile.ZipFile(inp / "bomb.docx", "w", zipfile.ZIP_DEFLATED) as z, z.open("word/document.xml", "w") as fh:
        block = b"\0" * MB
        for _ in range(210):
            fh.write(block)
    # 200,000 nested <div> (4 MB), and a 300,000-row table (9 MB)
    (inp / "nested.html").write_text("<html><body>" + "<div>" * 200_000 + "x", encoding="utf-8")
    rows = "".join("<tr><td>1</td><td>2</td></tr>" for _ in range(300_000))
    (inp / "rows.html").write_text(f"<html><body><table>{rows}</table></body></html>", encoding="utf-8")
    # a GBK page whose meta says UTF-8: read all the same
    page = (samples / "html_cms.html").read_text(encoding="utf-8")
    assert "charset=utf-8" in page
    (inp / "gbk_says_utf8.html").write_bytes(page.encode("gb18030"))
    # random bytes named like Word files
    (inp / "noise.docx").write_bytes(os.urandom(4096))
    # the folder reached again through links to itself and to a parent
    (inp / "sub").mkdir()
    shutil.copy(samples / "crossyear_2021.txt", inp / "sub" / "c.txt")
    os.symlink(inp, inp / "sub" / "up")
    os.symlink(inp / "sub", inp / "again")
