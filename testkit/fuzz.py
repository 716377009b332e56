"""The layout fuzzer: random layouts of tables 二/三/四, rendered as text PDFs with their expected values.

    python -m testkit.fuzz --n 20 --out /tmp/fuzz          # draw, render, print the parameters

Every draw is reproducible from its seed: :func:`draw` gives the layout parameters, :func:`build`
the sample data (balanced tables, both formats) and :func:`render_layout` the PDF. Expected values
come from the sample data (what the generator printed), never from the pipeline. Needs reportlab and
a CJK font (``apt-get install fonts-wqy-zenhei``); nothing is committed, files go to a temp folder.
"""

from __future__ import annotations

import argparse
import random
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from testkit import tables
from testkit.layout import TableLayout
from testkit.render import FONT_PATHS
from testkit.specs import SECTION_TITLES, Sample, balanced_t3, balanced_t4, t2_values
from testkit.tables import TableStyle
from testkit.titles import SHAPES, header_lines

# every title shape but the one that lives in the file name (fuzzed files are named fuzz_N.pdf)
TITLE_SHAPES = sorted(k for k in SHAPES if k != "file_name_only")

FONT_MISSING = not any(Path(p).exists() for p in FONT_PATHS)

BODIES = [
    ("福州市鼓楼区温泉街道办事处", "township"),
    ("南平市建阳区人民政府", "county"),
    ("漳州市龙海区海澄镇人民政府", "township"),
    ("福建省自然资源厅", "department"),
    ("宁德市人民政府办公室", "department"),
    ("龙岩市新罗区西陂街道办事处", "township"),
]


@dataclass(frozen=True)
class LayoutParams:
    """One layout of the three tables. Every field is a parameter the benchmark breaks figures down by."""

    seed: int
    fmt: str  # 2021 | 2019
    rules: str  # full | hrules | none | box
    row_rules: str  # hrules only: all | blocks | none
    heavy_frame: bool
    group_rules: bool  # hrules only: short rule under 法人或其他组织 over its five columns
    font_size: float
    value_w: float  # width of each value column (points)
    label_w: float  # width of the row-label area (points), split over 2 or 3 columns
    group: str  # how 三、本年度办理结果 is printed: vertical | wrapped | horizontal
    block_w: float  # width of the column of block labels （三）不予公开 (narrow: they wrap)
    repeat_header: bool
    break_after: int | None  # force a page break in table 三 after this data row (None: natural breaks)
    landscape: bool
    shaded: bool  # table 二's section rows shaded
    t2_split: bool  # table 二 as one table per section
    align: str  # value alignment: left | center | right
    top_align: bool
    title_shape: str = "one_line"  # how the title and header print (testkit/titles.py)
    # what OCR makes of a speck or a seal's stroke before the title ("yI《…》"): not part of the body
    title_junk: str = ""

    def describe(self) -> str:
        return " ".join(f"{k}={v}" for k, v in asdict(self).items())


def draw(seed: int) -> LayoutParams:
    rng = random.Random(seed)
    rules = rng.choice(["full", "full", "hrules", "hrules", "none", "box"])
    fmt = rng.choice(["2021", "2021", "2019"])
    n_rows = 26 if fmt == "2021" else 23
    return LayoutParams(
        seed=seed,
        fmt=fmt,
        rules=rules,
        row_rules=rng.choice(["all", "blocks", "none"]) if rules == "hrules" else "all",
        heavy_frame=rng.random() < 0.5,
        group_rules=rules == "hrules" and rng.random() < 0.7,
        font_size=round(rng.uniform(6.0, 9.0), 1),
        value_w=round(rng.uniform(30.0, 48.0), 1),
        label_w=round(rng.uniform(110.0, 230.0), 1),
        group=rng.choice(["vertical", "wrapped", "horizontal"]),
        block_w=round(rng.uniform(22.0, 70.0), 1),
        repeat_header=rng.random() < 0.5,
        break_after=rng.randrange(n_rows - 1) if rng.random() < 0.6 else None,
        landscape=rng.random() < 0.2,
        shaded=rng.random() < 0.4,
        t2_split=rng.random() < 0.4,
        align=rng.choice(["left", "center", "right"]),
        top_align=rng.random() < 0.3,
        # drawn last: the layout of a seed stays what it was before titles were fuzzed
        title_shape=rng.choice(TITLE_SHAPES),
        # from a stream of its own: every other parameter of a seed stays what it was
        title_junk=_junk(seed),
    )


# printed before the title on one layout in six (text PDFs too: a stray mark a producer kept)
TITLE_JUNK = ("yI", "'", "l.", "·", "I", "-.")


def _junk(seed: int) -> str:
    rng = random.Random(seed * 104_729 + 3)
    return rng.choice(TITLE_JUNK) if rng.random() < 1 / 6 else ""


def build(p: LayoutParams) -> Sample:
    """Balanced tables for the layout's format (values drawn from the seed)."""
    rng = random.Random(p.seed * 7919 + 1)
    body, level = BODIES[p.seed % len(BODIES)]
    s = Sample(name=f"fuzz_{p.seed}", body=body, year=rng.choice([2020, 2021, 2022, 2023]), fmt=p.fmt)
    s.level = level
    s.t2 = t2_values(rng, p.fmt)
    s.t3 = balanced_t3(rng, p.fmt, scale=rng.choice([3, 6, 40, 300]))
    s.t4 = balanced_t4(rng, scale=rng.choice([2, 4, 30]))
    s.rules = p.rules
    return s


# ------------------------------------------------------------------ layouts


def _label_widths(p: LayoutParams) -> tuple[float, ...]:
    """Columns of the row-label area: [group, block, item] (group: vertical/wrapped) or [block, item]."""
    if p.group in ("vertical", "wrapped"):
        gw = p.font_size * (1.6 if p.group == "vertical" else 3.4)
        item = max(p.label_w - gw - p.block_w, p.font_size * 5)
        return (gw, p.block_w, item)
    item = max(p.label_w - p.block_w, p.font_size * 5)
    return (p.block_w, item)


def style_of(p: LayoutParams, width: float) -> TableStyle:
    """The drawn layout as a style for the one set of table builders (testkit/tables.py)."""
    label = min(150.0, min(width, 480.0) * 0.32)
    rest = (min(width, 480.0) - label) / 3
    return TableStyle(
        label_w=_label_widths(p),
        group=p.group,
        value_w=p.value_w,
        font_size=p.font_size,
        note_align="center",
        t4_width=min(width, 520.0),
        t4_font=min(p.font_size, 7.0),
        t2_widths=(label, rest, rest, rest),
        t2_font=min(p.font_size + 1, 9.0),
        t2_split=p.t2_split,
        shaded=p.shaded,
        t2_fill=True,
    )


def t3_layout(s: Sample, p: LayoutParams) -> tuple[TableLayout, dict[int, int]]:
    """Table 三 as printed in this layout; also data row index → table row index."""
    layout, by_code = tables.t3_layout(s, style_of(p, 480.0))
    return layout, {i: by_code[code] for i, (code, _, _) in enumerate(s.t3_rows())}


def render_layout(s: Sample, p: LayoutParams, path: Path) -> None:
    from testkit.render import Flow, Style

    flow = Flow(path, landscape=p.landscape)
    width = flow.W - 2 * flow.margin
    head, _ = header_lines(p.title_shape, s.body, s.year)
    if p.title_junk and not p.title_shape.startswith("portal_fields"):
        head = [p.title_junk + head[0], *head[1:]]
    if p.title_shape in ("portal_fields", "portal_fields_short_title") or "opening" in p.title_shape:
        # header fields and opening sentences print as paragraphs, a title as a title
        for line in head:
            (flow.paragraph if "：" in line or ":" in line or line.startswith("本报告") else flow.title)(line)
    else:
        for line in head:
            flow.title(line)
    flow.paragraph(
        f"本报告根据《中华人民共和国政府信息公开条例》要求编制。本报告中所列数据的统计期限自{s.year}年1月1日起至"
        f"{s.year}年12月31日止。"
    )
    flow.paragraph(SECTION_TITLES["s1"], size=12, indent=0)
    flow.paragraph(f"{s.year}年，本机关认真贯彻落实政务公开工作要求，持续推进政府信息公开工作。")
    style = Style(
        rules=p.rules,
        repeat_header=p.repeat_header,
        heavy_frame=p.heavy_frame,
        row_rules=p.row_rules,
        group_rules=p.group_rules,
        value_align=p.align,
        top_align=p.top_align,
    )
    flow.paragraph(SECTION_TITLES["t2"], size=12, indent=0)
    st = style_of(p, width)
    for t in tables.t2_layouts(s, st):
        flow.table(t, style)
    t3, index = t3_layout(s, p)
    flow.ensure(60)
    flow.paragraph(SECTION_TITLES["t3"], size=12, indent=0)
    t3_style = Style(**{**style.__dict__, "break_after": index[p.break_after] if p.break_after is not None else None})
    flow.table(t3, t3_style)
    flow.ensure(100)
    flow.paragraph(SECTION_TITLES["t4"], size=12, indent=0)
    flow.table(tables.t4_layout(s, st), style)
    flow.paragraph(SECTION_TITLES["s5"], size=12, indent=0)
    flow.paragraph("一是公开内容的针对性有待加强；二是政策解读形式较为单一。")
    flow.paragraph(SECTION_TITLES["s6"], size=12, indent=0)
    flow.paragraph("无其他需要报告的事项。")
    flow.save()


# how filings print a count of nothing, beside "0": left empty, a dash, a slash, 无
BLANK_MARKS = ("", "—", "-", "/", "无")


def make(
    seed: int, out_dir: Path, plant: bool = False, narrow: bool = False, blanks: bool = False
) -> tuple[LayoutParams, Sample, Path]:
    """Draw, build and render one layout; returns its parameters, data and PDF path.

    With ``plant``, one applicant cell of table 三 is printed 1–9 higher than its balanced
    value (``s.planted``): the filing is inconsistent there, and a reader must say so. With
    ``narrow``, value columns 20–28 pt wide and table 三 counts in the thousands: numbers wrap
    inside their cells (the held-out set's narrow columns of four-digit numbers). With ``blanks``,
    the zeros of tables 三 and 四 are printed as a blank mark (:data:`BLANK_MARKS`): one mark for the
    whole filing, or each zero its own, drawn per seed (a printed '/' must not be taken for a seal's
    stroke, nor a stroke for a printed '/': checks.ocr_verify.tall_marks)."""
    from testkit.render import register_font
    from testkit.specs import T3_PARTS

    register_font()
    p = draw(seed)
    s = build(p)
    if narrow:
        rng_n = random.Random(seed * 31 + 17)
        p = replace(p, value_w=round(rng_n.uniform(20.0, 28.0), 1))
        s.t3 = balanced_t3(rng_n, p.fmt, scale=rng_n.choice([300, 1500]))
    if plant:
        rng = random.Random(seed * 7 + 3)
        row = rng.choice([code for code, _, _ in s.t3_rows() if code != "total_processed"])
        col = rng.choice(T3_PARTS)
        s.planted[("t3", row, col)] = s.t3[(row, col)] + rng.randint(1, 9)
    if blanks:
        # a stream of its own: the layout, data and plant of a seed stay what they were
        rng_b = random.Random(seed * 41 + 5)
        one = rng_b.choice([*BLANK_MARKS, None])  # None: each zero its own mark
        for table, row, col in s.cells():
            if table != "t2" and s.value(table, row, col) == 0:
                s.printed[(table, row, col)] = one if one is not None else rng_b.choice(BLANK_MARKS)
    path = out_dir / f"fuzz_{seed}.pdf"
    render_layout(s, p, path)
    return p, s, path


def scan_of(pdf: Path, dpi: int, seed: int, hard: bool = False) -> Path:
    """The PDF scanned at ``dpi``: random skew (±1.5°), noise, blur and JPEG per page (seeded).

    With ``hard``, a page may also carry a seal over table values and be photographed
    (:func:`draw_scan` says which; the plain draws of a seed stay what they were)."""
    import numpy as np
    import pypdfium2 as pdfium

    from testkit.degrade import Scan, _jpeg, degrade, render

    rng, nrng = random.Random(seed), np.random.default_rng(seed)
    src = pdfium.PdfDocument(str(pdf))
    n = len(src)
    scan = Scan(
        name=pdf.stem,
        source=pdf.stem,
        dpi=dpi,
        skew={k: round(rng.uniform(-1.5, 1.5), 2) for k in range(1, n + 1) if rng.random() < 0.6},
        noise=rng.choice([0.0, 0.001, 0.002]),
        blur=rng.choice([0.0, 0.0, 0.5]),
        jpeg=rng.choice([60, 75, 90]),
    )
    sp = draw_scan(seed, dpi) if hard else None
    sealed = sp is not None and sp.seal != "none"
    words = _page_words(pdf) if sealed else []
    images = []
    for k in range(1, n + 1):
        img = render(src, k - 1, dpi, sp is not None and (sp.seal != "none" or sp.photo))
        if sp is not None and sealed:
            for cx, cy in _seal_spots(words[k - 1], f"{pdf.stem}-{k}", dpi, sp):
                img = stamp(img, cx, cy, sp)
        img = degrade(img, scan, k, rng, nrng)
        if sp is not None and sp.photo:
            img = photograph(img, sp, random.Random(seed * 31 + k))
        images.append(_jpeg(img, scan.jpeg))
    src.close()
    out = pdf.with_name(f"{pdf.stem}_scan{dpi}.pdf")
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=dpi)
    return out


SEAL_COLOURS = {
    "red": (222, 35, 35),
    "vermilion": (236, 72, 40),
    "faded": (236, 128, 128),
    "crimson": (186, 36, 88),
}


@dataclass(frozen=True)
class ScanParams:
    """How a hard scan is spoilt beyond skew, noise, blur and JPEG (drawn from the seed)."""

    dpi: int
    seal: str  # none | one of SEAL_COLOURS
    seal_radius: float  # points
    seal_angle: float  # degrees the seal is turned
    seal_opacity: float
    seals_per_page: int
    photo: bool  # perspective, uneven light, colour
    warp: float  # corner displacement of the perspective, share of the page side

    def describe(self) -> str:
        return " ".join(f"{k}={v}" for k, v in asdict(self).items())


def draw_scan(seed: int, dpi: int) -> ScanParams:
    rng = random.Random(seed * 104729 + dpi)
    seal = rng.choice(["none", "red", "red", "vermilion", "faded", "crimson"])
    return ScanParams(
        dpi=dpi,
        seal=seal,
        seal_radius=round(rng.uniform(30.0, 62.0), 1),
        seal_angle=round(rng.uniform(-40.0, 40.0), 1),
        seal_opacity=round(rng.uniform(0.55, 1.0), 2),
        seals_per_page=rng.choice([1, 1, 2]),
        photo=rng.random() < 0.3,
        warp=round(rng.uniform(0.004, 0.015), 4),
    )


def _page_words(pdf: Path) -> list[list[dict]]:  # type: ignore[type-arg]
    """Every page's words as pdfplumber reads the text PDF (the seals go over its numbers)."""
    import pdfplumber

    with pdfplumber.open(str(pdf)) as doc:
        return [page.extract_words() for page in doc.pages]


def _seal_spots(words: list[dict], page_id: str, dpi: int, sp: ScanParams) -> list[tuple[float, float]]:  # type: ignore[type-arg]
    """Seal centres in pixels: over numbers of the page's tables (from the text PDF's own digits)."""
    rng = random.Random(f"{page_id}-{sp.describe()}")
    numbers = [w for w in words if w["text"].replace(".", "").isdigit() and w["x0"] > 150]
    if len(numbers) < 8:
        return []
    k = dpi / 72
    out = []
    for w in rng.sample(numbers, min(sp.seals_per_page, len(numbers))):
        dx, dy = (rng.uniform(-0.4, 0.4) * sp.seal_radius for _ in range(2))
        out.append(((w["x0"] + w["x1"]) / 2 * k + dx * k, (w["top"] + w["bottom"]) / 2 * k + dy * k))
    return out


def stamp(img: object, cx: float, cy: float, sp: ScanParams, colour: tuple[int, int, int] | None = None) -> object:
    """A round official seal (ring, star, the body's name round the ring, a line under the
    star) multiplied over the page at ``opacity``: ink under it stays dark, as on paper."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFont

    page = img.convert("RGB")  # type: ignore[attr-defined]
    k = sp.dpi / 72
    r = int(sp.seal_radius * k)
    size = 2 * r + 8
    layer = Image.new("L", (size, size), 0)  # seal ink coverage
    d = ImageDraw.Draw(layer)
    c = size // 2
    d.ellipse([c - r, c - r, c + r, c + r], outline=255, width=max(3, r // 14))
    star = [
        (
            c + 0.28 * r * np.cos(np.pi / 2 + j * np.pi / 5) * (1 if j % 2 == 0 else 0.4),
            c - 0.28 * r * np.sin(np.pi / 2 + j * np.pi / 5) * (1 if j % 2 == 0 else 0.4),
        )
        for j in range(10)
    ]
    d.polygon(star, fill=255)
    font_path = next((p for p in FONT_PATHS if Path(p).exists()), None)
    if font_path is not None:
        font = ImageFont.truetype(font_path, max(8, int(r * 0.24)))
        name = "政府信息公开专用章人民政府"
        for j, ch in enumerate(name):
            a = np.radians(200 - j * (220 / (len(name) - 1)))
            glyph = Image.new("L", (int(r * 0.3), int(r * 0.3)), 0)
            ImageDraw.Draw(glyph).text((0, 0), ch, fill=255, font=font)
            glyph = glyph.rotate(np.degrees(a) - 90, expand=True)
            gx, gy = c + 0.72 * r * np.cos(a), c - 0.72 * r * np.sin(a)
            layer.paste(255, (int(gx - glyph.width / 2), int(gy - glyph.height / 2)), glyph)
        d.text((c - int(r * 0.36), c + int(r * 0.4)), "公开专用", fill=255, font=font)
    layer = layer.rotate(sp.seal_angle, resample=Image.BILINEAR)
    x0, y0 = int(cx - size / 2), int(cy - size / 2)
    base = np.asarray(page, dtype=np.float32) / 255
    cover = np.zeros(base.shape[:2], dtype=np.float32)
    h, w = cover.shape
    lx0, ly0 = max(0, -x0), max(0, -y0)
    px0, py0 = max(0, x0), max(0, y0)
    px1, py1 = min(w, x0 + size), min(h, y0 + size)
    if px1 <= px0 or py1 <= py0:
        return page
    cover[py0:py1, px0:px1] = np.asarray(layer, dtype=np.float32)[ly0 : ly0 + py1 - py0, lx0 : lx0 + px1 - px0] / 255
    ink = np.array(colour or SEAL_COLOURS[sp.seal], dtype=np.float32) / 255
    over = 1 - sp.seal_opacity * cover[:, :, None] * (1 - ink[None, None, :])
    return Image.fromarray((base * over * 255).astype(np.uint8))


def photograph(img: object, sp: ScanParams, rng: random.Random) -> object:
    """A phone photo of the page: perspective (corners moved by up to ``warp`` of the side),
    uneven light, a slight blur; the page keeps its size."""
    import cv2
    import numpy as np
    from PIL import Image, ImageFilter

    from testkit.degrade import lighting

    a = np.asarray(img.convert("RGB"))  # type: ignore[attr-defined]
    h, w = a.shape[:2]
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    dst = np.float32([[x + rng.uniform(-1, 1) * sp.warp * w, y + rng.uniform(-1, 1) * sp.warp * h] for x, y in src])
    m = cv2.getPerspectiveTransform(src, dst)
    warped = cv2.warpPerspective(a, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=(236, 234, 228))
    out = lighting(Image.fromarray(warped))
    return out.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 0.8)))


@dataclass
class Score:
    right: int = 0
    reported: int = 0  # left empty, and a finding names the cell, its row, column or table
    wrong: int = 0  # a value that differs from the printed one (whatever the findings say)
    wrong_unnamed: int = 0  # ... and no finding names the cell (the auditor's worst case)
    # ... named only as resting on one reading (value.unconfirmed), by no finding of its own
    wrong_only_unconfirmed: int = 0
    # ... and marked confirmed (confirmed_by identity, readers or both): a wrong value vouched for
    wrong_confirmed: int = 0
    silent: int = 0  # missing with no finding naming it
    problems: list[str] | None = None

    @property
    def total(self) -> int:
        return self.right + self.reported + self.wrong + self.silent

    def add(self, other: Score) -> None:
        self.right += other.right
        self.reported += other.reported
        self.wrong += other.wrong
        self.wrong_unnamed += other.wrong_unnamed
        self.wrong_only_unconfirmed += other.wrong_only_unconfirmed
        self.wrong_confirmed += other.wrong_confirmed
        self.silent += other.silent


def _named(doc: object, table: str, row: str, col: str, but: str | None = None) -> bool:
    """A finding names the cell, its row, column or table (``but``: a rule that does not count)."""
    names = {table, f"{table}.{row}", f"{table}.{col}", f"{table}.{row}.{col}"}
    for f in doc.findings:  # type: ignore[attr-defined]
        if f.rule == but:
            continue
        if f.subject in names or any(c.key == f"{table}.{row}.{col}" for c in f.cells):
            return True
        if f.rule == "extract.table_not_found" and f.table == table:
            return True
    return False


def score(doc: object, s: Sample) -> Score:
    """Every printed cell of tables 二/三/四: read right, left empty with a finding, or wrong."""
    got = {(v.table, v.row, v.col): v.value for v in doc.values}  # type: ignore[attr-defined]
    vouched = {(v.table, v.row, v.col): v.confirmed_by for v in doc.values}  # type: ignore[attr-defined]
    out = Score(problems=[])
    for t, r, c in s.cells():
        want = s.value(t, r, c)
        v = got.get((t, r, c))
        if v is not None and abs(float(v) - float(want)) < 1e-9:
            out.right += 1
        elif v is not None:
            out.wrong += 1
            named = _named(doc, t, r, c)
            out.wrong_unnamed += not named
            own = _named(doc, t, r, c, but="value.unconfirmed")
            out.wrong_only_unconfirmed += named and not own
            out.wrong_confirmed += vouched.get((t, r, c)) not in (None, "none")
            note = (
                "a finding names it"
                if own
                else "named only as resting on one reading"
                if named
                else "NO FINDING NAMES IT"
            )
            note += f", confirmed_by {vouched.get((t, r, c))}"
            out.problems.append(f"{t}.{r}.{c}: read {v!r}, printed {want!r} ({note})")  # type: ignore[union-attr]
        elif _named(doc, t, r, c):
            out.reported += 1
            out.problems.append(f"{t}.{r}.{c}: empty, reported")  # type: ignore[union-attr]
        else:
            out.silent += 1
            out.problems.append(f"{t}.{r}.{c}: missing, no finding")  # type: ignore[union-attr]
    return out


def layout_samples() -> list[tuple[LayoutParams, Sample]]:
    """The committed samples of the layout families that failed before the anchored reader
    (issue on layouts): each a fixed draw of the fuzzer's parameters, with its own name."""
    base = draw(0)
    fams = [
        (
            "layout_hrules_wrapped",
            "three-line table: heavy top/bottom rules, a short rule under 法人或其他组织, rules between blocks only, "
            "no vertical lines; group and block labels wrapped in narrow columns",
            dict(
                rules="hrules",
                row_rules="blocks",
                heavy_frame=True,
                group_rules=True,
                group="wrapped",
                block_w=26.0,
                label_w=130.0,
                break_after=None,
                fmt="2021",
            ),
        ),
        (
            "layout_short_tail",
            "table 三 split so that only （六）3.其他, （七）总计 and 四、结转下年度 stand on the next page, no header",
            dict(rules="full", group="vertical", repeat_header=False, break_after=22, fmt="2021"),
        ),
        (
            "layout_cut_block",
            "table 三 split inside block （四）: its label, wrapped in a narrow column, is cut across the page break",
            dict(rules="full", group="wrapped", block_w=24.0, repeat_header=False, break_after=12, fmt="2021"),
        ),
        (
            "layout_vertical_wrap",
            "ruled grid: vertical group label in a row-spanning cell beside row labels wrapped to two lines",
            dict(
                rules="full", group="vertical", block_w=40.0, label_w=120.0, font_size=8.5, break_after=None, fmt="2021"
            ),
        ),
        (
            "layout_t2_shaded",
            "table 二 with shaded 第二十条 section rows, each with its own header row, one table per section",
            dict(rules="full", shaded=True, t2_split=True, align="right", fmt="2019", break_after=None),
        ),
    ]
    out = []
    for k, (name, note, kw) in enumerate(fams):
        p = LayoutParams(**{**asdict(base), "seed": 9000 + k, **kw})  # type: ignore[arg-type]
        smp = build(p)
        smp.name, smp.note = name, note
        out.append((p, smp))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=10)
    ap.add_argument("--start", type=int, default=0)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for seed in range(args.start, args.start + args.n):
        p, _, path = make(seed, args.out)
        print(path, p.describe())


if __name__ == "__main__":
    main()
