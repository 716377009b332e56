"""Run-together digits ("713000074" for 71 | 3 | 0 | 0 | 0 | 0 | 74), decoded by the format's identities.

A split is accepted only when it is the one every consistent reading of the
table agrees on; otherwise the cells stay unread and the candidates are
reported (``extract.ambiguous_digits``). Nothing is guessed.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

RUN = re.compile(r"^\d+$")
MAX_SPLITS = 5000  # splits of one run beyond this are not enumerated (reported ambiguous)
MAX_COMBOS = 200_000  # joint readings of several ambiguous rows searched at most


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
Constraint = Callable[[Mapping[str, Row]], bool]


@dataclass(frozen=True, slots=True)
class Resolution:
    decided: dict[str, Row]
    ambiguous: dict[str, list[Row]]


def resolve(
    candidates: Mapping[str, Sequence[Row]],
    fixed: Mapping[str, Row],
    constraints: Sequence[tuple[frozenset[str], Constraint]],
) -> Resolution:
    """Decide each row's split from the readings that satisfy every applicable constraint.

    ``constraints`` are (rows involved, predicate over a full reading of those rows);
    a constraint applies once every row it involves is either fixed or a candidate
    row. Rows whose value is the same in every consistent joint reading are decided.
    """
    rows = sorted(candidates)
    pools = {r: list(candidates[r]) for r in rows}

    def ok(reading: Mapping[str, Row], only: set[str] | None = None) -> bool:
        for involved, pred in constraints:
            if only is not None and not (involved & only):
                continue
            if all(r in reading for r in involved) and not pred(reading):
                return False
        return True

    # first, each row alone against constraints that involve it and fixed rows only
    for r in rows:
        pools[r] = [c for c in pools[r] if ok({**fixed, r: c}, {r})]
    # then jointly, when the joint space is small enough to search
    size = 1
    for r in rows:
        size *= max(len(pools[r]), 1)
    if rows and size <= MAX_COMBOS:
        seen: dict[str, set[Row]] = {r: set() for r in rows}
        for combo in itertools.product(*(pools[r] for r in rows)):
            reading = {**fixed, **dict(zip(rows, combo, strict=True))}
            if ok(reading):
                for r, c in zip(rows, combo, strict=True):
                    seen[r].add(c)
        pools = {r: sorted(seen[r]) for r in rows}
    decided = {r: pools[r][0] for r in rows if len(pools[r]) == 1}
    ambiguous = {r: pools[r] for r in rows if len(pools[r]) != 1}
    return Resolution(decided, ambiguous)
