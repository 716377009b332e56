"""Two readers, one table (normalizers/agreement.py): where nothing is printed is no reading."""

from __future__ import annotations

from nianbao.form.templates import TEMPLATES
from nianbao.model import BBox, Provenance, Value
from nianbao.normalizers.agreement import merge
from nianbao.normalizers.anchored import Anchored
from nianbao.normalizers.readout import ReadOut

T3 = next(t for t in TEMPLATES["t3"] if t.format == "2021")
COLS = [c.code for c in T3.cols]


def _row(printed: dict[str, str], x: float = 0.0) -> dict[tuple[str, str], Value]:
    """Row granted as a reader read it: a column not in ``printed`` is a place nothing is printed
    (raw ''), read as blank."""
    out = {}
    for k, col in enumerate(COLS):
        raw = printed.get(col, "")
        prov = Provenance("text", raw, page=1, bbox=BBox(x + 40 * k, 100, x + 40 * k + 30, 110))
        out[("granted", col)] = Value("t3", "granted", col, int(raw) if raw else 0, prov, blank=not raw)
    return out


def _readers(grid: dict[tuple[str, str], Value], anchored: dict[tuple[str, str], Value]) -> tuple[ReadOut, Anchored]:
    g = ReadOut(T3, values=grid, mapped_rows={"granted"}, mapped_cols=set(COLS))
    a = Anchored(T3, values=anchored, rows={"granted"})
    return g, a


def test_two_readers_finding_nothing_printed_confirm_nothing() -> None:
    g, a = _readers(_row({"commercial": "5", "total": "5"}), _row({"commercial": "5", "total": "5"}))
    merged, _ = merge(g, a, T3)
    assert merged.values[("granted", "commercial")].confirmed_by == "readers"
    # the blank rests on where the row's numbers stand; the sums confirm it, not the two readers
    assert merged.values[("granted", "natural_person")].confirmed_by is None


def test_a_place_read_as_nothing_printed_never_outvotes_a_number() -> None:
    # the grid reader's blank satisfies the row's sum and the anchored reader's 9 breaks it, as a
    # filing's own error in that cell would (fuzz seed 24410): no reading is chosen by the sums
    g, a = _readers(
        _row({"commercial": "5", "total": "5"}), _row({"natural_person": "9", "commercial": "5", "total": "5"})
    )
    merged, _ = merge(g, a, T3)
    assert ("granted", "natural_person") not in merged.values
    assert [f.rule for f in merged.findings] == ["extract.readers_disagree"]
    # the other way round the number is kept: the grid reader read it, the anchored reader nothing
    g, a = _readers(
        _row({"natural_person": "9", "commercial": "5", "total": "14"}), _row({"commercial": "5", "total": "14"})
    )
    merged, _ = merge(g, a, T3)
    assert merged.values[("granted", "natural_person")].value == 9
