"""How each value is confirmed: by the form's identities, by two readers, by both, or not at all.

A value is trusted when something besides its one reading says it is right:

- ``identity``: every sum of the form that involves the cell holds, with every cell of it read
  (:mod:`nianbao.form.identities`: each cell of table 三 is in a row sum and two column sums,
  table 四's in its row sum; table 二 has none). A wrong number then needs a second wrong number
  in the same sum to pass, and a number placed in another row breaks a column sum;
- ``readers``: the grid reader and the anchored reader, each mapping the table by its own header,
  read the same number (set where the two readings are merged, :mod:`normalizers.agreement`);
- ``both``; ``manual`` for a value taken from the user's corrections file; ``none`` otherwise.

A value read where its row and column cross after no reader found it (``RECOVERED``) confirms no
sum: read in the band its row's other values gave, it agrees with them even where that band is
another row's (hard seed 10521: a row read from the band below, completed by its recovered cell,
"confirmed" four wrong values).

``disclosure.confirmed_by`` carries it, so a researcher can keep only confirmed numbers and an
auditor can see which ones rest on a single reading. A value that is not read has none.

Every value left at ``none`` is also named, table by table, in one ``value.unconfirmed`` finding:
a value is trusted only when something confirms it, and otherwise a finding says so. Re-reading a
cell's ink confirms the ink, not the row it was placed in: copier seed 5747 (no rules between rows,
a wrapped label) placed a row's numbers in the row below, the re-readings agreed, the sums that
would have caught it had cells unread, and three wrong values stood with no finding.
"""

from __future__ import annotations

from nianbao.catalogue import finding
from nianbao.checks.base import ref
from nianbao.form.identities import identities, template_of
from nianbao.model import RECOVERED, DocumentResult, Finding, Value
from nianbao.settings import Settings

TABLE_ZH = {"t2": "二", "t3": "三", "t4": "四"}
READERS = "readers"  # what the merge of two readings marks on a value both read the same


def sum_inputs(values: list[Value]) -> dict[tuple[str, str], float | None]:
    """A table's values as its identities take them, (row, col) -> value, without the recovered
    ones (see the module): what a sum that holds confirms, and what makes a cell checked."""
    return {(v.row, v.col): v.value for v in values if v.prov.locator != RECOVERED}


def confirm_values(doc: DocumentResult, settings: Settings) -> DocumentResult:
    """The pipeline stage: ``confirmed_by`` on every value read (see the module)."""
    by_table: dict[str, list[Value]] = {}
    for v in doc.values:
        by_table.setdefault(v.table, []).append(v)
    for table, values in by_table.items():
        tpl = template_of(table, doc.table_formats.get(table))
        held: dict[tuple[str, str], list[bool | None]] = {}
        if tpl is not None:
            known = sum_inputs(values)
            for ident in identities(tpl):
                verdict = ident.holds(known)
                for key in ident.cells():
                    held.setdefault(key, []).append(verdict)
        for v in values:
            v.confirmed_by = _verdict(v, held.get((v.row, v.col), []))
        alone = [v for v in values if v.confirmed_by == "none"]
        if alone:
            doc.findings.append(_unconfirmed(table, alone))
    return doc


def _unconfirmed(table: str, values: list[Value]) -> Finding:
    """The one finding that names a table's values nothing confirms. Its subject is not the table
    (that would name every cell of it), and it points at no single cell's place."""
    keys = ", ".join(f"{v.row}.{v.col}" for v in values)
    f = finding(
        "value.unconfirmed",
        f"{table}: {len(values)} value(s) rest on one reading (no sum of the format checks them as read, no "
        f"second reader read them the same): {keys}",
        table=table,
        cells=[ref(v) for v in values],
        subject=f"{table}.unconfirmed",
        message_zh=f"表{TABLE_ZH.get(table, table)}：{len(values)}个数值仅有一次读取"
        "（无可核对的勾稽关系，也无第二种读取方式印证），使用前请对照原件",
    )
    f.page = f.bbox = None
    return f


def _verdict(v: Value, verdicts: list[bool | None]) -> str | None:
    if v.value is None:
        return None
    if v.prov.source == "manual":
        return "manual"
    # every sum the cell is in holds: one left unknown by an unread cell does not count as held.
    # A row sum that holds says the numbers were read right, not that the row is theirs (copier
    # seed 5747: a row's numbers read in the row below, its column sums unknown, "confirmed" by
    # its row sum); the column sums say that
    by_sums = bool(verdicts) and all(x is True for x in verdicts)
    by_readers = v.confirmed_by == READERS
    if by_sums and by_readers:
        return "both"
    if by_sums:
        return "identity"
    return READERS if by_readers else "none"
