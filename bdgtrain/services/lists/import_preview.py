"""The preview of an uploaded list, kept with the upload: the file is read and matched against the
registry once, and each later view reads the stored outcome.

Why a stored JSON and not a table of staged rows: the preview is one document that lives and dies with
its upload (discarded, submitted, withdrawn by an erasure, purged with the file), is only ever read
whole by the page that pages it, and the writing path re-plans from the file anyway (below). One
column on `list_imports` keeps that life-cycle in one place; a table would need its own deletes in each.

When it is still right: the plan depends on the file, the day it is read (ages, years), the registry
(who is known), the class (its enrolments and nominations, seats, quotas, audience) and the units
(districts, quota names). `state_key` hashes the upload's checksum with the day and, for each of
those tables, its row count, highest id and latest `updated_at` (one statement, a scan of the
registry's rows without reading them into Python): an insert, a delete or an update of any of them
gives another key, and the next view plans again and stores the new preview.

Submitting still plans from the file under the class's lock (lists.submit_import): planning is
deterministic, so under an unchanged key it writes exactly what the stored preview shows, and when
something changed since, what the preview would now show.
"""
from __future__ import annotations

import hashlib
from datetime import date

from sqlalchemy import func, select, true

from ...extensions import db
from ...importers.person_list import PersonRow, ReadResult
from ...importers.results import ColumnInfo, RowProblem
from ...messages import Message, PluralMessage
from ...models import Enrolment, ListImport, Nomination, Organisation, Person, SeatQuota, TrainingClass
from .import_plan import ImportPlan, RowPlan

PREVIEW_VERSION = 1  # bump when the stored shape or the planning changes: every kept preview is planned again
_ROW_FIELDS = ("row", "full_name", "sex", "birth_date", "birth_year", "ethnicity", "position", "unit_name", "phone",
               "email", "id_number", "note", "extra")


def table_state(model, *where, extra=()):
    """One row: the count, highest id and latest `updated_at` of `model`'s rows matching `where`, plus the
    `extra` aggregates. An insert, a delete or an update that sets updated_at changes one of them."""
    name = model.__tablename__
    return select(func.count().label(f"{name}_count"), func.max(model.id).label(f"{name}_top"),
                  func.max(model.updated_at).label(f"{name}_at"), *extra).where(*where).subquery()


def state_hash(fixed: tuple, *states) -> str:
    """The hash of `fixed` and the rows of `states` (subqueries of one row each), read in one statement."""
    joined = states[0]
    for part in states[1:]:
        joined = joined.join(part, true())  # one row of each: a cross join, said so to SQLAlchemy's linter
    row = db.session.execute(select(*states).select_from(joined)).one()
    return hashlib.sha256(repr((*fixed, *(str(value) for value in row))).encode()).hexdigest()


def state_key(list_import: ListImport, today: date) -> str:
    """A hash of everything the upload's plan depends on besides the file (see the module's docstring)."""
    class_id = list_import.class_id
    # Nominations and quotas carry no updated_at: their units' sum stands for a moved nomination or quota.
    nominations = select(func.count().label("nominations"), func.max(Nomination.id).label("nomination_top"),
                         func.coalesce(func.sum(Nomination.organisation_id), 0).label("nomination_sum")).join(
        Enrolment, Enrolment.id == Nomination.enrolment_id).where(Enrolment.class_id == class_id).subquery()
    quotas = select(func.count().label("quotas"), func.coalesce(func.sum(SeatQuota.seats), 0).label("seats"),
                    func.max(SeatQuota.id).label("quota_top"),
                    func.coalesce(func.sum(SeatQuota.organisation_id), 0).label("quota_sum")).where(
        SeatQuota.class_id == class_id).subquery()
    training_class = select(TrainingClass.updated_at, TrainingClass.capacity, TrainingClass.eligible_sex,
                            TrainingClass.eligible_org_kinds).where(TrainingClass.id == class_id).subquery()
    return state_hash((PREVIEW_VERSION, list_import.sha256, today.isoformat()),
                      table_state(Person), table_state(Enrolment, Enrolment.class_id == class_id), nominations,
                      quotas, table_state(Organisation), training_class)


def forget_preview(list_import: ListImport) -> None:
    """Nothing of the preview is kept once the upload is submitted or discarded."""
    list_import.preview = list_import.preview_key = None


# --- the stored form ------------------------------------------------------------------------------

def _value(value):
    """JSON for a Message (its template and parameters, translated when shown), a date, or plain values."""
    if isinstance(value, Message):
        return {"$m": [value.template, value.plural, value.num,
                       {k: _value(v) for k, v in value.params.items()}]}
    if isinstance(value, date):
        return {"$d": value.isoformat()}
    if isinstance(value, dict):
        return {"$o": {k: _value(v) for k, v in value.items()}}
    if value is None or isinstance(value, (str, int, float)):
        return value
    return str(value)  # a lazy string: kept as read


def _unvalue(value):
    if isinstance(value, dict):
        if "$m" in value:
            template, plural, num, params = value["$m"]
            params = {k: _unvalue(v) for k, v in params.items()}
            if plural is None:
                return Message(template, **params)
            params.pop("num", None)
            return PluralMessage(template, plural, num, **params)
        if "$d" in value:
            return date.fromisoformat(value["$d"])
        return {k: _unvalue(v) for k, v in value["$o"].items()}
    return value


def encode(plan: ImportPlan) -> dict:
    read = plan.read
    return {
        "rows": [[[_value(getattr(p.row, name)) for name in _ROW_FIELDS], p.outcome, p.person_id, p.same_as_row,
                  p.reason, p.body_org_id, [_value(w) for w in p.warnings], p.waiting] for p in plan.rows],
        "problems": [[p.row, p.column, _value(p.message)] for p in read.problems],
        "conflicts": [[p.row, p.column, _value(p.message)] for p in plan.conflicts],
        "columns": [[c.index, c.letter, c.header, c.field] for c in read.columns],
        "header_row": read.header_row, "sheet": read.sheet, "notes": [_value(n) for n in read.notes],
        "quota_warnings": [_value(w) for w in plan.quota_warnings],
        "flagged_names": [[k, v] for k, v in plan.flagged_names.items()],
        "capacity": plan.capacity,
    }


def decode(list_import: ListImport, data: dict) -> ImportPlan:
    rows = [RowPlan(PersonRow(*(_unvalue(v) for v in values)), outcome, person_id, same_as_row, reason, body_org_id,
                    [_unvalue(w) for w in warnings], waiting)
            for values, outcome, person_id, same_as_row, reason, body_org_id, warnings, waiting in data["rows"]]
    read = ReadResult([p.row for p in rows], [RowProblem(r, c, _unvalue(m)) for r, c, m in data["problems"]],
                      [ColumnInfo(*c) for c in data["columns"]], data["header_row"], data["sheet"],
                      [_unvalue(n) for n in data["notes"]])
    return ImportPlan(list_import.training_class, list_import.source_org, read, rows,
                      [_unvalue(w) for w in data["quota_warnings"]], {k: v for k, v in data["flagged_names"]},
                      [RowProblem(r, c, _unvalue(m)) for r, c, m in data["conflicts"]], None, data["capacity"])


# --- shared with the pool upload's kept preview (services/pool/pool_preview.py) --------------------

stored_value, read_value = _value, _unvalue


def stored_row(row: PersonRow) -> list:
    return [_value(getattr(row, name)) for name in _ROW_FIELDS]


def read_row(values: list) -> PersonRow:
    return PersonRow(*(_unvalue(v) for v in values))
