"""Checks: small classes that read canonical values and yield findings.

Each check has a stable ``code`` (see :mod:`nianbao.catalogue`) and one method.
A check that cannot evaluate because cells are missing says so
(``check.incomplete``) instead of passing silently.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from nianbao.catalogue import finding
from nianbao.model import CellRef, DocumentResult, Finding, Value


class Check:
    code: str  # the catalogue code of the findings the check yields

    def run(self, doc: DocumentResult) -> Iterator[Finding]:  # pragma: no cover - interface
        raise NotImplementedError


@dataclass(slots=True)
class Cells:
    """Lookup of a document's canonical values by (table, row, col)."""

    by_key: dict[tuple[str, str, str], Value]

    @classmethod
    def of(cls, doc: DocumentResult) -> Cells:
        return cls({(v.table, v.row, v.col): v for v in doc.values})

    def get(self, table: str, row: str, col: str) -> Value | None:
        return self.by_key.get((table, row, col))

    def rows(self, table: str) -> list[str]:
        return list(dict.fromkeys(k[1] for k in self.by_key if k[0] == table))

    def cols(self, table: str) -> list[str]:
        return list(dict.fromkeys(k[2] for k in self.by_key if k[0] == table))


def printed_blank(v: Value | None) -> bool:
    """A cell left empty on the form (read as 0), as opposed to one printing —, / or 无."""
    return v is not None and v.blank and not (v.prov.raw or "").strip()


def ref(v: Value) -> CellRef:
    return CellRef(v.table, v.row, v.col, v.prov.page, v.prov.bbox)


def sum_rule(
    code: str,
    table: str,
    subject: str,
    parts: Sequence[Value | None],
    totals: Sequence[Value | None],
    describe: str,
    describe_zh: str = "",
) -> Iterator[Finding]:
    """sum(parts) must equal sum(totals); yields one finding or a check.incomplete."""
    missing = [p for p in (*parts, *totals) if p is None or p.value is None]
    lhs = sum(p.value for p in parts if p is not None and p.value is not None)
    rhs = sum(t.value for t in totals if t is not None and t.value is not None)
    if missing:
        over = _fails_whatever_missing(parts, totals, lhs, rhs)
        if over is None:
            yield finding(
                "check.incomplete",
                f"{code} [{subject}] not evaluated: {len(missing)} cell(s) missing or unreadable",
                table=table,
                subject=subject,
            )
            return
        # the counts read already break the sum, whatever the unread ones hold (a count is never
        # negative): a real error is not lost because a seal or a misprint took one of its cells
        cells = [ref(v) for v in (*parts, *totals) if v is not None and v.value is not None]
        side = "parts" if over == "parts" else "totals"
        yield finding(
            code,
            f"{describe} [{subject}]: the {side} read add up to {_n(lhs if over == 'parts' else rhs)}, more than "
            f"{_n(rhs if over == 'parts' else lhs)} on the other side, with {len(missing)} cell(s) of the {side} "
            "unread: a count is never negative, so the sum cannot hold",
            table=table,
            cells=cells,
            expected=lhs,
            printed=rhs,
            subject=subject,
        )
        return
    if abs(lhs - rhs) > 1e-9:
        cells = [ref(v) for v in (*parts, *totals) if v is not None]
        blank = [v for v in (*parts, *totals) if v is not None and printed_blank(v)]
        said = f" ({', '.join(f'{v.row}.{v.col}' for v in blank)} printed blank, read as 0)" if blank else ""
        yield finding(
            code,
            f"{describe} [{subject}]: expected {_n(lhs)}, printed {_n(rhs)}{said}",
            table=table,
            cells=cells,
            expected=lhs,
            printed=rhs,
            subject=subject,
            message_zh=_zh(table, subject, parts, totals, describe_zh) if describe_zh else None,
        )


def _fails_whatever_missing(
    parts: Sequence[Value | None], totals: Sequence[Value | None], lhs: float, rhs: float
) -> str | None:
    """'parts' when the parts read already exceed the totals and only parts are unread, 'totals'
    the other way round; None when the unread cells could still make the sum hold (or a value read
    is negative: the bound needs counts)."""
    unread = [v is None or v.value is None for v in parts], [v is None or v.value is None for v in totals]
    if any(v is not None and v.value is not None and v.value < 0 for v in (*parts, *totals)):
        return None
    if any(unread[0]) and not any(unread[1]) and lhs > rhs + 1e-9:
        return "parts"
    if any(unread[1]) and not any(unread[0]) and rhs > lhs + 1e-9:
        return "totals"
    return None


def _sum_text(vals: Sequence[Value | None]) -> str:
    """'21+0=21' as the form's rule is checked by hand; a single cell is just its value."""
    nums = [_n(v.value) for v in vals if v is not None and v.value is not None]
    total = _n(sum(v.value for v in vals if v is not None and v.value is not None))
    return total if len(nums) == 1 else f"{'+'.join(nums)}={total}"


def _zh(table: str, subject: str, parts: Sequence[Value | None], totals: Sequence[Value | None], rule: str) -> str:
    """The rule in the form's words with the printed numbers; blank cells are said to be blank."""
    from nianbao.form.templates import zh_path

    cell = next(v for v in (*parts, *totals) if v is not None)
    row, col = zh_path(table, cell.row, cell.col)
    where = col if subject == cell.col else row  # a column-wise rule names its column, else its row
    text = f"{where}：{rule.format(parts=_sum_text(parts), totals=_sum_text(totals))}"
    blank = [v for v in (*parts, *totals) if v is not None and printed_blank(v)]
    if blank:
        names = "、".join(dict.fromkeys(zh_path(table, v.row, v.col)[1 if where == row else 0] for v in blank))
        text += f"（{names}空白，按0计）"
    return text


def _n(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)
