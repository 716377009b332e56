"""OFD (GB/T 33190) files of the samples and the fuzzer's layouts, for the OFD reader's tests.

    python -m testkit.ofd        # samples/ofd_text_2021.ofd, samples/ofd_scan_200.ofd and their golden files

:func:`text_ofd` writes a text PDF's pages as a text OFD: its characters (read with pdfplumber, a
reader independent of nianbao's) as TextObjects — a word or a character per object, positions as
DeltaX lists with or without the ``g`` repeat notation, optionally in a scaled coordinate space
undone by a CTM — and its ruling lines as PathObjects, in the page or on a template page.
:func:`image_ofd` writes a scan: each page one JPEG ImageObject, as scanners write OFD.
"""

from __future__ import annotations

import io
import json
import random
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

MM_PER_PT = 25.4 / 72
NS = "http://www.ofdspec.org/2016"
HERE = Path(__file__).resolve().parent.parent / "samples"


@dataclass(frozen=True, slots=True)
class OfdStyle:
    """How the producer writes: what a TextObject holds, how positions are written, where rules go."""

    per: str = "word"  # word | char: one TextObject per run of characters, or per character
    g_notation: bool = True  # DeltaX repeats as "g N V"
    ctm_scale: float = 1.0  # coordinates written divided by this, a CTM scaling them back
    rules_on_template: bool = False  # ruling lines on a template page under the page

    @classmethod
    def draw(cls, seed: int) -> OfdStyle:
        rng = random.Random(seed * 31 + 7)
        return cls(
            per=rng.choice(["word", "word", "char"]),
            g_notation=rng.random() < 0.6,
            ctm_scale=rng.choice([1.0, 1.0, 2.0, 0.5]),
            rules_on_template=rng.random() < 0.4,
        )


def _n(v: float) -> str:
    return f"{v:.3f}".rstrip("0").rstrip(".") or "0"


def _deltas(values: Sequence[float], g: bool) -> str:
    out: list[str] = []
    i = 0
    while i < len(values):
        j = i
        while j + 1 < len(values) and abs(values[j + 1] - values[i]) < 1e-6:
            j += 1
        if g and j > i:
            out += ["g", str(j - i + 1), _n(values[i])]
        else:
            out += [_n(v) for v in values[i : j + 1]]
        i = j + 1
    return " ".join(out)


def _runs(chars: list[dict], per: str) -> list[list[dict]]:  # type: ignore[type-arg]
    """Characters grouped as a producer writes them: runs on one baseline with no gap, or one each."""
    if per == "char":
        return [[c] for c in chars if c["text"].strip()]
    ordered = sorted(chars, key=lambda c: (round(c["bottom"], 1), c["x0"]))
    runs: list[list[dict]] = []  # type: ignore[type-arg]
    for c in ordered:
        if not c["text"].strip():
            continue
        last = runs[-1][-1] if runs else None
        same_line = last is not None and abs(last["bottom"] - c["bottom"]) < 0.5 and abs(last["size"] - c["size"]) < 0.1
        if same_line and 0 <= c["x0"] - last["x1"] < 0.3 * c["size"]:
            runs[-1].append(c)
        else:
            runs.append([c])
    return runs


def _text_object(oid: int, run: list[dict], font: int, style: OfdStyle) -> str:  # type: ignore[type-arg]
    size = run[0]["size"] * MM_PER_PT
    baseline = run[0]["bottom"] * MM_PER_PT - 0.14 * size
    x0 = run[0]["x0"] * MM_PER_PT
    top = baseline - size
    width = (run[-1]["x1"] - run[0]["x0"]) * MM_PER_PT
    k = style.ctm_scale
    dx = [(b["x0"] - a["x0"]) * MM_PER_PT / k for a, b in pairwise(run)]
    attrs = f'ID="{oid}" Boundary="{_n(x0)} {_n(top)} {_n(width + size)} {_n(size * 1.3)}" Font="{font}"'
    attrs += f' Size="{_n(size / k)}"'
    if k != 1.0:
        attrs += f' CTM="{_n(k)} 0 0 {_n(k)} 0 0"'
    delta = f" DeltaX={quoteattr(_deltas(dx, style.g_notation))}" if dx else ""
    text = escape("".join(c["text"] for c in run))
    return (
        f'<ofd:TextObject {attrs}><ofd:TextCode X="0" Y="{_n((baseline - top) / k)}"{delta}>{text}'
        "</ofd:TextCode></ofd:TextObject>"
    )


def _path_object(oid: int, edge: dict) -> str:  # type: ignore[type-arg]
    x0, x1 = edge["x0"] * MM_PER_PT, edge["x1"] * MM_PER_PT
    top, bottom = edge["top"] * MM_PER_PT, edge["bottom"] * MM_PER_PT
    if edge["orientation"] == "h":
        data = f"M 0 0 L {_n(x1 - x0)} 0"
        box = f"{_n(x0)} {_n(top)} {_n(max(x1 - x0, 0.1))} 0.1"
    else:
        data = f"M 0 0 L 0 {_n(bottom - top)}"
        box = f"{_n(x0)} {_n(top)} 0.1 {_n(max(bottom - top, 0.1))}"
    return (
        f'<ofd:PathObject ID="{oid}" Boundary="{box}" LineWidth="0.25">'
        f"<ofd:AbbreviatedData>{data}</ofd:AbbreviatedData></ofd:PathObject>"
    )


def _page_xml(w: float, h: float, objects: list[str], template: int | None = None) -> str:
    tpl = f'<ofd:Template TemplateID="{template}" ZOrder="Background"/>' if template is not None else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="{NS}"><ofd:Area><ofd:PhysicalBox>0 0 {_n(w)} '
        f'{_n(h)}</ofd:PhysicalBox></ofd:Area>{tpl}<ofd:Content><ofd:Layer ID="{len(objects) + 9000}" Type="Body">'
        + "".join(objects)
        + "</ofd:Layer></ofd:Content></ofd:Page>"
    )


def _package(out: Path, pages: list[str], templates: list[str], media: dict[int, tuple[str, bytes]]) -> Path:
    """Zip the parts: OFD.xml → Doc_0/Document.xml → pages, templates, resources."""
    w, h = 210, 297
    tpl_refs = "".join(
        f'<ofd:TemplatePage ID="{5000 + i}" BaseLoc="Tpls/Tpl_{i}/Content.xml"/>' for i in range(len(templates))
    )
    page_refs = "".join(f'<ofd:Page ID="{1000 + i}" BaseLoc="Pages/Page_{i}/Content.xml"/>' for i in range(len(pages)))
    document = (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="{NS}"><ofd:CommonData>'
        f"<ofd:MaxUnitID>99999</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 {w} {h}</ofd:PhysicalBox>"
        f"</ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes><ofd:DocumentRes>DocumentRes.xml"
        f"</ofd:DocumentRes>{tpl_refs}</ofd:CommonData><ofd:Pages>{page_refs}</ofd:Pages></ofd:Document>"
    )
    public = (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Res xmlns:ofd="{NS}" BaseLoc="Res"><ofd:Fonts>'
        '<ofd:Font ID="2" FontName="宋体" FamilyName="宋体"/></ofd:Fonts></ofd:Res>'
    )
    medias = "".join(
        f'<ofd:MultiMedia ID="{mid}" Type="Image"><ofd:MediaFile>{name}</ofd:MediaFile></ofd:MultiMedia>'
        for mid, (name, _) in media.items()
    )
    docres = (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Res xmlns:ofd="{NS}" BaseLoc="Res">'
        f"<ofd:MultiMedias>{medias}</ofd:MultiMedias></ofd:Res>"
    )
    ofd = (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="{NS}" Version="1.0" DocType="OFD"><ofd:DocBody>'
        "<ofd:DocInfo><ofd:DocID>nianbao-testkit</ofd:DocID><ofd:Creator>nianbao testkit</ofd:Creator></ofd:DocInfo>"
        "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    parts: list[tuple[str, str | bytes]] = [
        ("OFD.xml", ofd),
        ("Doc_0/Document.xml", document),
        ("Doc_0/PublicRes.xml", public),
        ("Doc_0/DocumentRes.xml", docres),
        *((f"Doc_0/Pages/Page_{i}/Content.xml", xml) for i, xml in enumerate(pages)),
        *((f"Doc_0/Tpls/Tpl_{i}/Content.xml", xml) for i, xml in enumerate(templates)),
        *((f"Doc_0/Res/{name}", data) for name, data in media.values()),
    ]
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts:
            # a fixed time: regenerating a sample does not change its bytes for nothing
            z.writestr(zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)
    return out


def text_ofd(pdf: Path, out: Path, style: OfdStyle | None = None) -> Path:
    """A text PDF's pages as a text OFD (see the module docstring)."""
    import pdfplumber

    style = style or OfdStyle()
    pages: list[str] = []
    templates: list[str] = []
    oid = 10
    with pdfplumber.open(str(pdf)) as doc:
        for page in doc.pages:
            w, h = float(page.width) * MM_PER_PT, float(page.height) * MM_PER_PT
            texts = []
            for run in _runs(page.chars, style.per):
                texts.append(_text_object(oid, run, 2, style))
                oid += 1
            rules = []
            for edge in page.edges:
                rules.append(_path_object(oid, edge))
                oid += 1
            if style.rules_on_template:
                templates.append(_page_xml(w, h, rules))
                pages.append(_page_xml(w, h, texts, template=5000 + len(templates) - 1))
            else:
                pages.append(_page_xml(w, h, rules + texts))
    return _package(out, pages, templates, {})


def image_ofd(scan_pdf: Path, out: Path, dpi: int = 200, quality: int = 60) -> Path:
    """A scanned PDF's page images as an image-only OFD: one JPEG ImageObject per page."""
    import pypdfium2 as pdfium

    pages: list[str] = []
    media: dict[int, tuple[str, bytes]] = {}
    src = pdfium.PdfDocument(str(scan_pdf))
    try:
        for i in range(len(src)):
            page = src[i]
            w, h = page.get_width() * MM_PER_PT, page.get_height() * MM_PER_PT
            img = page.render(scale=dpi / 72).to_pil().convert("L")
            buf = io.BytesIO()
            img.save(buf, "JPEG", quality=quality)
            mid = 7000 + i
            media[mid] = (f"image_{i}.jpg", buf.getvalue())
            obj = (
                f'<ofd:ImageObject ID="{mid + 100}" Boundary="0 0 {_n(w)} {_n(h)}" CTM="{_n(w)} 0 0 {_n(h)} 0 0" '
                f'ResourceID="{mid}"/>'
            )
            pages.append(_page_xml(w, h, [obj]))
    finally:
        src.close()
    return _package(out, pages, [], media)


def make_samples() -> None:
    """The committed OFD samples and their golden files: the source sample's cells and findings."""
    from testkit.fuzz import scan_of

    golden = HERE / "golden"
    jobs = [
        ("ofd_text_2021", "planted_errors", "text", OfdStyle(per="word", g_notation=True, rules_on_template=True)),
        ("ofd_scan_200", "blanks_dashes", "image", None),
    ]
    for name, source, kind, style in jobs:
        out = HERE / f"{name}.ofd"
        if kind == "text":
            text_ofd(HERE / f"{source}.pdf", out, style)
            ocr_pages: list[int] = []
            note = "a text OFD (words as TextObjects, g notation, rules on a template page)"
        else:
            scan = scan_of(HERE / f"{source}.pdf", 200, 3)
            image_ofd(scan, out, 200)
            scan.unlink()
            ocr_pages = [1, 2]
            note = "an image-only OFD: each page a scanned JPEG at 200 DPI"
        gold = json.loads((golden / f"{source}.json").read_text(encoding="utf-8"))
        gold.update(sample=name, file=out.name, note=f"{note} (of {source})", needs_ocr_pages=[], ocr_pages=ocr_pages)
        if kind == "image":
            gold["source"] = source  # read like the scans (tests/test_ocr.py); a text OFD reads exactly
            gold["dpi"] = 200
        gold.pop("records", None)
        (golden / f"{name}.json").write_text(json.dumps(gold, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"{out.name}: {out.stat().st_size / 1e3:.0f} KB")


if __name__ == "__main__":
    make_samples()
