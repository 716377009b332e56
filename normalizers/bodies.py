"""One issuing body under its name variants, across the years of a batch.

Filings name their body as they please: 晋江市磁灶镇人民政府 one year, 磁灶镇人民政府 the next,
磁灶镇 in a scraped title; a district's report comes from 区人民政府 or from its 区政府办公室.
A name is split into its chain of administrative units (晋江市 · 磁灶镇) and the rest (教育局, or
nothing for the government of the place itself, whatever government suffix it carries). Two
names are the same body when their rests agree (exactly, or by rapidfuzz ratio for a slip) and
one chain ends the other (磁灶镇 ends 晋江市·磁灶镇). Two guards keep links honest:

- a shorter name is linked only when exactly one longer body fits it (城关镇 exists in hundreds
  of counties: without its county it stays its own body);
- two filings of the same year are never one body (a body files one report a year; the same
  report twice is a duplicate, told apart before this).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from nianbao.normalizers.metadata import UNIT, region_of

# what the government of a place calls itself (the report of 区政府办公室 is the district's)
GOVERNMENT = ("人民政府办公厅", "人民政府办公室", "政府办公厅", "政府办公室", "人民政府", "政府")
# rests closer than this (rapidfuzz ratio) are one body's name with a slip (OCR, a variant character)
REST_RATIO = 90.0
# ... and so are rests this long that differ in one character (自然资源和规划局 / 自然资源与规划局);
# shorter ones do not: 教育局 and 体育局 are two bureaus
ONE_SLIP_LEN = 6


@dataclass(frozen=True, slots=True)
class BodyName:
    """A filing's body as read (or given by a manifest)."""

    doc_id: str
    name: str
    year: int | None
    region: str | None = None
    level: str | None = None


@dataclass(frozen=True, slots=True)
class BodyLink:
    doc_id: str
    body_id: str
    body: str  # the body's fullest name in the batch
    name: str  # as the filing names it
    method: str  # exact | unit_chain | similar_name
    score: float  # rapidfuzz WRatio of name and body (100: the same name)


def normalize(name: str) -> str:
    name = unicodedata.normalize("NFKC", name)
    return re.sub(r"\s+", "", name).replace("(", "（").replace(")", "）")


def units_of(region: str) -> tuple[str, ...]:
    """晋江市磁灶镇 → (晋江市, 磁灶镇); a suffix left over (沙县区) belongs to the last unit."""
    out: list[str] = []
    pos = 0
    while m := UNIT.match(region, pos):
        out.append(m.group())
        pos = m.end()
    if pos < len(region):
        if out:
            out[-1] += region[pos:]
        else:
            out.append(region[pos:])
    return tuple(out)


def split(name: str, region: str | None = None) -> tuple[tuple[str, ...], str]:
    """(chain of units, rest): the rest is "" for the government of the place itself."""
    n = normalize(name)
    own = region_of(n) or ""
    units = units_of(own)
    rest = n[len(own) :]
    for suffix in GOVERNMENT:
        if rest == suffix:
            rest = ""
            break
    if region:
        # a manifest's region names the units above the body's own (晋江市 for 磁灶镇人民政府)
        above = units_of(normalize(region))
        overlap = next((k for k in range(min(len(above), len(units)), 0, -1) if above[-k:] == units[:k]), 0)
        units = above + units[overlap:]
    return units, rest


@dataclass
class _Group:
    """Filings that print the same (normalized) name."""

    name: str
    units: tuple[str, ...]
    rest: str
    members: list[BodyName] = field(default_factory=list)

    @property
    def years(self) -> set[int]:
        return {m.year for m in self.members if m.year is not None}


def _rest_match(a: str, b: str) -> bool:
    if a == b:
        return True
    if not a or not b:
        return False
    if min(len(a), len(b)) >= ONE_SLIP_LEN and Levenshtein.distance(a, b) <= 1:
        return True
    return fuzz.ratio(a, b) >= REST_RATIO


def link_bodies(names: Iterable[BodyName]) -> list[BodyLink]:
    """One link per filing: its body's id and fullest name, how it was linked and how closely."""
    groups: dict[tuple[tuple[str, ...], str, str], _Group] = {}
    for b in names:
        if not b.name:
            continue
        units, rest = split(b.name, b.region)
        key = (units, rest, normalize(b.name))
        groups.setdefault(key, _Group(normalize(b.name), units, rest)).members.append(b)
    # fullest names first: each shorter name looks for the one body it can belong to
    order = sorted(groups.values(), key=lambda g: (-len(g.units), -len(g.members), g.name))
    parent: dict[int, int] = {i: i for i in range(len(order))}
    years: dict[int, set[int]] = {i: g.years for i, g in enumerate(order)}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, g in enumerate(order):
        fits = {
            root(j)
            for j, h in enumerate(order[:i])
            if g.units
            and len(h.units) >= len(g.units)
            and h.units[len(h.units) - len(g.units) :] == g.units
            and _rest_match(g.rest, h.rest)
        }
        fits.discard(root(i))
        if len(fits) != 1:
            continue  # none, or ambiguous (城关镇 of which county?)
        target = fits.pop()
        mine = root(i)
        if years[target] & years[mine]:
            continue  # two reports of one year: two bodies
        parent[mine] = target
        years[target] |= years.pop(mine)

    links: list[BodyLink] = []
    for i, g in enumerate(order):
        head = order[root(i)]
        body_id = "b" + hashlib.sha1(head.name.encode("utf-8")).hexdigest()[:12]
        if head is g:
            method = "exact"
        elif head.rest == g.rest:
            method = "unit_chain"
        else:
            method = "similar_name"
        for m in g.members:
            score = 100.0 if g.name == head.name else round(fuzz.WRatio(g.name, head.name), 1)
            links.append(BodyLink(m.doc_id, body_id, head.name, m.name, method, score))
    return sorted(links, key=lambda link: link.doc_id)
