"""Legacy Word (.doc, Kingsoft .wps) → .docx through LibreOffice headless, then the .docx reader.

``soffice --headless --convert-to docx`` runs in a temp folder with its own user profile (so it
never touches, nor waits on, a profile of a LibreOffice the user has open), in its own process
group, under a timeout; the group is killed on timeout and the folder removed either way, so no
LibreOffice process or profile is left behind. Provenance of every value says the file was
converted (``converted from .doc by LibreOffice; table[i]/rR/cC``).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from nianbao.errors import InputError
from nianbao.extractors.docx import extract_docx
from nianbao.model import DocumentResult
from nianbao.settings import Settings

INSTALL_HINT = "install LibreOffice (Debian/Ubuntu: apt-get install libreoffice-writer-nogui)"


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_docx(path: Path, out_dir: Path, timeout: float) -> Path:
    """The .docx LibreOffice makes of ``path`` in ``out_dir``; InputError when it cannot."""
    exe = soffice()
    if exe is None:
        raise InputError(f"reading a legacy {path.suffix} file needs LibreOffice: {INSTALL_HINT}")
    profile = out_dir / "profile"
    # a copy with a plain name: LibreOffice names its output after the input, and odd names
    # (spaces, quotes, leading dashes) must not reach its command line
    src = out_dir / f"input{path.suffix.lower()}"
    shutil.copyfile(path, src)
    cmd = [
        exe,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        "docx:MS Word 2007 XML",
        "--outdir",
        str(out_dir),
        str(src),
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        output, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired as e:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise InputError(f"LibreOffice did not convert the file within {timeout:.0f} s") from e
    finally:
        if proc.poll() is None:  # pragma: no cover - killed above
            os.killpg(proc.pid, signal.SIGKILL)
    out = out_dir / "input.docx"
    if proc.returncode != 0 or not out.exists():
        said = output.decode("utf-8", "replace").strip().splitlines()[-1:] if output else []
        raise InputError(f"LibreOffice could not convert the file ({'; '.join(said) or f'exit {proc.returncode}'})")
    return out


def extract_legacy_word(doc: DocumentResult, settings: Settings) -> DocumentResult:
    src = Path(doc.path)
    with tempfile.TemporaryDirectory(prefix="nianbao-lo-") as tmp:
        converted = convert_to_docx(src, Path(tmp), settings.convert_timeout)
        original = doc.path
        doc.path = str(converted)
        try:
            extract_docx(doc, settings)
        finally:
            doc.path = original
    for grid in doc.tables:
        grid.method = f"docx (converted from {src.suffix.lower()} by LibreOffice)"
    return doc
