"""The preview of a unit's pool upload, kept with the upload: the file is read and planned against the
registry and the pool once, and each later view reads the stored outcome (as an uploaded participant
list keeps its own, services/lists/import_preview.py, whose value encoding this shares).

What is kept: each row's outcome (new, already known, unchanged ...), the rejected rows, the notes and
the (unit, cycle) pairs the file covers. Who would leave the pool (the open entries of those pairs
whose person the file does not list) is not kept: the page counts and pages it in SQL at each view
(pool.missing_query), so it always shows the pool as it is.

When it is still right: the plan depends on the file, the day it is read, the registry (who is known),
the pool (whose entries are open, when each left) and the units (the districts rows name). `state_key`
hashes the upload's checksum with the day and, for each of those tables, its row count, highest id and
latest `updated_at` (one statement): an insert, a delete or an update of any of them gives another key,
and the next view plans again and stores the new preview. Confirming still plans from the file:
planning is deterministic, so under an unchanged key it writes exactly what the preview showed.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func

from ...importers.person_list import ReadResult, RowProblem
from ...models import Organisation, Person, PoolEntry, PoolImport
from ..lists.import_preview import read_row, read_value, state_hash, stored_row, stored_value, table_state

PREVIEW_VERSION = 1  # bump when the stored shape or the planning changes: every kept preview is planned again


def state_key(pool_import: PoolImport, today: date) -> str:
    """A hash of everything the upload's plan depends on besides the file (see the module's docstring)."""
    return state_hash((PREVIEW_VERSION, pool_import.sha256, pool_import.cycle, pool_import.organisation_id,
                       today.isoformat()),
                      table_state(Person), table_state(PoolEntry, extra=[func.count(PoolEntry.left_on).label("left")]),
                      table_state(Organisation))


def forget_preview(pool_import: PoolImport) -> None:
    """Nothing of the preview is kept once the upload is confirmed or discarded."""
    pool_import.preview = pool_import.preview_key = None


def encode(plan) -> dict:
    return {
        "rows": [[stored_row(p.row), p.outcome, p.unit_id, [p.cycle[0], p.cycle[1].isoformat(), p.cycle[2].isoformat()],
                  p.added_on.isoformat(), p.person_id, p.same_as_row, p.reason] for p in plan.rows],
        "problems": [[p.row, p.column, stored_value(p.message)] for p in plan.problems],
        "notes": [stored_value(n) for n in (*plan.read.notes, *plan.notes)],
        "covered": sorted([unit_id, cycle] for unit_id, cycle in plan.covered),
    }


@dataclass
class KeptPlan:
    """The stored preview read back: pool.PoolPlan's parts, each row as PoolRowPlan's arguments."""
    read: ReadResult
    rows: list[tuple]
    problems: list[RowProblem]
    covered: set[tuple[int, str]]


def decode(data: dict) -> KeptPlan:
    rows = [(read_row(values), outcome, unit_id, (cycle[0], date.fromisoformat(cycle[1]), date.fromisoformat(cycle[2])),
             date.fromisoformat(added_on), person_id, same_as_row, reason)
            for values, outcome, unit_id, cycle, added_on, person_id, same_as_row, reason in data["rows"]]
    read = ReadResult([r[0] for r in rows], [], [], 0, None, [read_value(n) for n in data["notes"]])
    return KeptPlan(read, rows, [RowProblem(r, c, read_value(m)) for r, c, m in data["problems"]],
                    {(unit_id, cycle) for unit_id, cycle in data["covered"]})
