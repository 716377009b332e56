"""Reading printed numbers: full-width digits, separators, blanks, units, words beside."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Printed forms that mean "nothing" (the format's 0). Kept apart from a printed 0 by
# ParsedNumber.blank so auditors can count them separately.
BLANK_FORMS = frozenset({"", "—", "——", "-", "--", "－", "/", "／", "无", "\\", "–", "―", "─", "×"})

_NUM = re.compile(r"^[+\-−]?\d{1,3}(?:,\d{3})+(?:\.\d+)?|^[+\-−]?\d+(?:\.\d+)?")
_UNIT = re.compile(r"^\s*(万元|元|件|条|个|项|次|人次)")


@dataclass(frozen=True, slots=True)
class ParsedNumber:
    value: float | int | None
    blank: bool = False
    note: str | None = None  # what was done besides reading digits
    unit: str | None = None


def parse_number(raw: str | None, *, money: bool = False, decimals: int = 6) -> ParsedNumber:
    """Read one cell. Counts come back as int, money (万元) as float.

    ``money`` cells convert an amount printed in 元 to 万元 and say so in ``note``.
    Anything that is not a number where a number belongs yields ``value=None``.
    """
    if raw is None:
        return ParsedNumber(0, blank=True)
    t = unicodedata.normalize("NFKC", raw).strip()
    t = t.replace("\u3000", " ").strip()
    if t in BLANK_FORMS:
        return ParsedNumber(0, blank=True)
    if re.fullmatch(r"[+\-−]?[\d,.]+(?:\s+[+\-−]?[\d,.]+)+", t):
        # several numbers in one cell: a merged or flattened row, never one value
        return ParsedNumber(None, note="several numbers in one cell")
    compact = t
    m = _NUM.match(compact)
    if not m:
        return ParsedNumber(None, note="not a number")
    digits = m.group(0).replace(",", "").replace("−", "-")
    rest = compact[m.end() :].strip()
    unit_m = _UNIT.match(rest)
    unit = unit_m.group(1) if unit_m else None
    note = None
    if rest and not unit_m:
        note = f"words beside the number: {rest}"
    elif unit_m and rest[unit_m.end() :].strip():
        note = f"words beside the number: {rest[unit_m.end() :].strip()}"
    val_f = float(digits)
    if money:
        if unit == "元":
            val_f = round(val_f / 10000, decimals)
            note = (note + "; " if note else "") + "converted 元 to 万元"
        return ParsedNumber(val_f, note=note, unit=unit)
    if "." in digits:
        # a count printed with decimals: keep what is printed; value.domain flags it
        return ParsedNumber(val_f, note=note, unit=unit)
    return ParsedNumber(int(digits), note=note, unit=unit)
