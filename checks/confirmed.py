"""How each value is confirmed: by the form's identities, by two readers, by both, or not at all.

A value is trusted when something besides its one reading says it is right:

- ``identity``: a sum of the form that involves the cell holds with every cell of it read, and
  none that involves it fails (:mod:`nianbao.form.identities`: each cell of table 三 is in a row
  sum and two column sums, table 四's in its row sum; table 二 has none). A wrong number then
  needs a second wrong number in the same sum to pass;
- ``readers``: the grid reader and the anchored reader, each mapping the table by its own header,
  read the same number (set where the two readings are merged, :mod:`normalizers.agreement`);
- ``both``; ``manual`` for a value taken from the user's corrections file; ``none`` otherwise.

A value read where its row and column cross after no reader found it (``RECOVERED``) confirms no
sum: read in the band its row's other values gave, it agrees with them even where that band is
another row's (hard seed 10521: a row read from the band below, completed by its recovered cell,
"confirmed" four wrong values).

``disclosure.confirmed_by`` carries it, so a researcher can keep only confirmed numbers and an
auditor can see which ones rest on a single reading. A value that is not read has none.
"""

from __future__ import annotations

from nianbao.form.identities import identities, template_of
from nianbao.model import RECOVERED, DocumentResult, Value
from nianbao.settings import Settings

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
    return doc


def _verdict(v: Value, verdicts: list[bool | None]) -> str | None:
    if v.value is None:
        return None
    if v.prov.source == "manual":
        return "manual"
    by_sums = any(x is True for x in verdicts) and not any(x is False for x in verdicts)
    by_readers = v.confirmed_by == READERS
    if by_sums and by_readers:
        return "both"
    if by_sums:
        return "identity"
    return READERS if by_readers else "none"
