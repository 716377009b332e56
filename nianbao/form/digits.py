"""Run-together digits ("713000074" for 71 | 3 | 0 | 0 | 0 | 0 | 74), decoded by the format's identities.

A split is accepted only when it is the one every consistent reading of the
table agrees on; otherwise the cells stay unread and the candidates are
reported (``extract.ambiguous_digits``). Nothing is guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

RUN = re.compile(r"^\d+$")
MAX_SPLITS = 5000  # splits of one run beyond this are not enumerated (reported ambiguous)


def splits(run: str, n: int, *, last_is_sum: bool = False, limit: int = MAX_SPLITS) -> list[tuple[int, ...]] | None:
    """Every way to cut ``run`` into ``n`` whole numbers written without leading zeros.

    With ``last_is_sum`` the last number must be the sum of the others (a row's
    总计), which prunes the search to the few splits that can be true. Returns
    None when there are more than ``limit`` splits: the caller must then treat the
    run as unreadable, never pick among a truncated list.
    """
    out: list[tuple[int, ...]] = []
    overflow = False

    def rec(pos: int, left: int, acc: list[int]) -> None:
        nonlocal overflow
        if overflow:
            return
        if left == 1 and last_is_sum:
            rest = run[pos:]
            if rest == str(sum(acc)):
                out.append((*acc, sum(acc)))
            return
        if left == 0:
            if pos == len(run):
                out.append(tuple(acc))
                if len(out) > limit:
                    overflow = True
            return
        if len(run) - pos < left:
            return
        if run[pos] == "0":
            rec(pos + 1, left - 1, [*acc, 0])
            return
        for end in range(pos + 1, len(run) - (left - 1) + 1):
            rec(end, left - 1, [*acc, int(run[pos:end])])

    rec(0, n, [])
    return None if overflow else out


Row = tuple[int, ...]
T = TypeVar("T")
MAX_STATES = 300_000  # partial sums kept per row of the joint solve; beyond it the sums are not applied


@dataclass(frozen=True, slots=True)
class ColumnSum:
    """One column's identity over rows: sum of the ``parts`` rows = sum of the ``totals`` rows, in
    column ``col`` of the rows' readings (an :class:`~nianbao.form.identities.Identity` along a
    column, the rows and column named as the reader holds them)."""

    col: int
    parts: tuple[str, ...]
    totals: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Solved:
    """What the joint solve kept: each row's readings that belong to some reading of the whole table
    under which every applicable column sum holds."""

    supported: dict[str, list[Row]]
    # columns whose sums had to be left out because no reading satisfies them (the filing's own error)
    relaxed: tuple[int, ...] = ()
    joint: bool = True  # False: the column sums could not be applied (too many readings, or none fits)

    def cells(self, row: str) -> dict[int, int]:
        """The row's cells (column index → value) every kept reading agrees on."""
        return agreed(self.supported.get(row, []))


def agreed(readings: Sequence[Sequence[T]]) -> dict[int, T]:
    """Column index → value for the columns on which every reading agrees (none: nothing agreed)."""
    if not readings:
        return {}
    first = readings[0]
    return {j: first[j] for j in range(len(first)) if all(r[j] == first[j] for r in readings)}


def solve(candidates: Mapping[str, Sequence[Row]], sums: Sequence[ColumnSum], absent: Iterable[str] = ()) -> Solved:
    """Keep the readings of each row that some reading of the whole table satisfying every column sum
    uses (rows have several readings when their digits ran together; a row with one is printed).

    A sum with a row that was not read (``absent``, or a row with no reading) cannot be checked
    exactly: with a missing part, the read parts may only fall short of the totals; with a missing
    total it says nothing. The search runs row by row over the vector of partial sums, totals first,
    so a part that would overshoot its total is cut at once; support is then traced back from the
    end states. Where no reading satisfies every sum (the filing's own error), each column's sums
    are left out in turn and what the readings that then fit agree on is kept; where none fits
    even so, each row keeps all its readings.
    """
    rows = {r: list(c) for r, c in candidates.items()}
    missing = set(absent) | {r for r, c in rows.items() if not c}
    rows = {r: c for r, c in rows.items() if c}
    solved = _joint(rows, list(sums), missing)
    if solved is not None:
        return Solved(solved)
    columns = sorted({s.col for s in sums})
    union: dict[str, set[Row]] = {r: set() for r in rows}
    relaxed: list[int] = []
    for col in columns:
        got = _joint(rows, [s for s in sums if s.col != col], missing)
        if got is None:
            continue
        relaxed.append(col)
        for r, cs in got.items():
            union[r].update(cs)
    if relaxed:
        return Solved({r: sorted(cs) for r, cs in union.items()}, tuple(relaxed))
    return Solved({r: sorted(set(cs)) for r, cs in rows.items()}, tuple(columns), joint=False)


def _joint(
    rows: Mapping[str, Sequence[Row]], sums: Sequence[ColumnSum], missing: set[str]
) -> dict[str, list[Row]] | None:
    """Each row's readings used by a full reading satisfying ``sums``; None when there is none (or
    the search grew past MAX_STATES)."""
    ids: list[tuple[int, dict[str, int], str]] = []  # (col, row -> ±1, "exact" | "at_most")
    for s in sums:
        gone_parts = [r for r in s.parts if r in missing or r not in rows]
        gone_totals = [r for r in s.totals if r in missing or r not in rows]
        if gone_totals:
            continue  # a missing total: the parts may add up to anything
        coef = {r: 1 for r in s.parts if r in rows}
        for r in s.totals:
            coef[r] = coef.get(r, 0) - 1
        ids.append((s.col, coef, "at_most" if gone_parts else "exact"))
    order = sorted(rows, key=lambda r: (not any(c.get(r, 0) < 0 for _, c, _ in ids),))
    # after the last row with a negative coefficient, a sum's partial value may only grow
    last_neg = [max((i for i, r in enumerate(order) if c.get(r, 0) < 0), default=-1) for _, c, _ in ids]
    deltas = [{cand: tuple(c.get(r, 0) * cand[col] for col, c, _ in ids) for cand in rows[r]} for r in order]
    layers: list[set[tuple[int, ...]]] = [{(0,) * len(ids)}]
    for i in range(len(order)):
        nxt: set[tuple[int, ...]] = set()
        grow = [k for k in range(len(ids)) if last_neg[k] <= i]
        for st in layers[-1]:
            for d in deltas[i].values():
                new = tuple(a + b for a, b in zip(st, d, strict=True))
                if any(new[k] > 0 for k in grow):
                    continue
                nxt.add(new)
        if len(nxt) > MAX_STATES or not nxt:
            return None
        layers.append(nxt)
    good = {st for st in layers[-1] if all(st[k] == 0 if ids[k][2] == "exact" else st[k] <= 0 for k in range(len(ids)))}
    if not good:
        return None
    out: dict[str, list[Row]] = {}
    for i in range(len(order) - 1, -1, -1):
        keep: set[tuple[int, ...]] = set()
        used: set[Row] = set()
        for st in layers[i]:
            for cand, d in deltas[i].items():
                if tuple(a + b for a, b in zip(st, d, strict=True)) in good:
                    keep.add(st)
                    used.add(cand)
        out[order[i]] = sorted(used)
        good = keep
    return out
