"""Writing a planned import: new people, enrolments, nominations and duplicate flags in bulk, and
the blanks a list may fill in for people already known, inside the caller's transaction."""
from __future__ import annotations

from collections import defaultdict

from flask_babel import lazy_ngettext
from sqlalchemy import select

from ...errors import DomainError
from ...extensions import db
from ...models import DuplicateFlag, Enrolment, ListImport, Nomination, Organisation, Person, User
from ...models.base import utcnow
from ...rules.names import fold
from ..core import audit
from ..core.bulk import collector_paused, insert_rows, update_rows
from .import_plan import ImportPlan, RowPlan
from .registry import (
    IN_CHUNK,
    PERSON_COLUMNS,
    PERSON_FILLABLE,
    load_blank_fields,
    person_values,
    reserve_ids,
    taken_id_numbers,
)
from .seats import free_seats, lock_class, seats_taken

# Enrolments and nominations get new ids and one class, so they land at the end of their indexes:
# several rows a statement (bulk.insert_rows). New people do not (names, phones), so one a statement.
_ROWS_PER_STATEMENT = 500


@collector_paused()
def apply_import(actor: User | None, plan: ImportPlan, list_import: ListImport | None = None) -> dict:
    """Write the plan: new people, enrolments, nominations and duplicate flags, in bulk. Refuses a plan
    with rejected rows: a file with any bad row is refused whole.

    The class row is locked first (seats.lock_class): a second import of the class waits until this one
    commits, then finds the seats this one took, so that together they never exceed the capacity."""
    if plan.rejected:
        rows = len({p.row for p in plan.rejected})
        raise DomainError("lists.rows_rejected", lazy_ngettext(
            "Tệp có %(num)s dòng lỗi nên không được ghi; hãy sửa các dòng được liệt kê rồi tải lên lại.",
            "Tệp có %(num)s dòng lỗi nên không được ghi; hãy sửa các dòng được liệt kê rồi tải lên lại.", rows))
    cls, source = plan.training_class, plan.source_org
    import_id = list_import.id if list_import is not None else None
    capacity = lock_class(cls)
    now = utcnow()
    person_of_row = _add_new_people(plan, now)
    _fill_blanks(plan, now)
    enrolment_of, waiting = _enrol_new_people(plan, person_of_row, now, capacity)
    _nominate(plan, person_of_row, enrolment_of, import_id)
    _flag_look_alikes(plan, person_of_row, import_id, now)
    report = plan.as_report(written=True)
    report["waiting"] = waiting  # as written, under the lock: the preview's figure may have grown since
    audit.record(actor, "lists.import.applied", list_import or cls,
                 after={k: (len(v) if isinstance(v, list) else v) for k, v in report.items()},
                 summary=f"{cls.plan.code}/{cls.code} ← {source.code}")
    db.session.flush()
    return report


def _add_new_people(plan: ImportPlan, now) -> dict[int, int]:
    """Insert the people the registry did not know; answers the person id of every row of the file."""
    orgs_by_name = {fold(name): org_id
                    for org_id, name in db.session.execute(select(Organisation.id, Organisation.name))}
    new_rows = [p for p in plan.rows if p.outcome in ("added", "flagged")]
    new_ids = reserve_ids(Person, len(new_rows))
    sort_keys: dict[str, str] = {}
    # A flagged row may give an ID number its look-alike holds (rules.matching): she is written without it.
    taken = taken_id_numbers(p.row.id_number for p in new_rows if p.outcome == "flagged")
    insert_rows(Person.__table__, PERSON_COLUMNS, [
        person_values(person_id, p.row, orgs_by_name.get(fold(p.row.unit_name or "")), sort_keys, now,
                      taken)
        for p, person_id in zip(new_rows, new_ids, strict=True)])
    person_of_row: dict[int, int] = {}
    for p, person_id in zip(new_rows, new_ids, strict=True):
        person_of_row[p.row.row] = person_id
    for p in plan.rows:
        if p.person_id and p.outcome != "flagged":
            person_of_row[p.row.row] = p.person_id
    for p in plan.rows:
        if p.outcome == "in_file":
            person_of_row[p.row.row] = person_of_row[p.same_as_row]
    return person_of_row


def _enrol_new_people(plan: ImportPlan, person_of_row: dict[int, int], now,
                      capacity: int | None) -> tuple[dict[int, int], int]:
    """Enrolments for people not yet in the class, one per person however often she appears, in row
    order: "nominated" while the class has a free seat, "waiting" once it is full. Answers the enrolment
    id of every person of the class, and how many were put on the waiting list."""
    class_id = plan.training_class.id  # read once, not per row through the ORM
    existing = dict(db.session.execute(select(Enrolment.person_id, Enrolment.id)
                                       .where(Enrolment.class_id == class_id)).all())
    to_enrol: dict[int, RowPlan] = {}
    for p in plan.rows:
        person_id = person_of_row[p.row.row]
        if person_id not in existing and person_id not in to_enrol:
            to_enrol[person_id] = p
    waiting = 0
    if to_enrol:
        seats = free_seats(capacity, seats_taken(plan.training_class))
        seats = len(to_enrol) if seats is None else seats
        waiting = max(len(to_enrol) - seats, 0)
        ids = sorted(reserve_ids(Enrolment, len(to_enrol)))  # ascending: the waiting list's order (seats.waiting_query)
        insert_rows(Enrolment.__table__, ("id", "class_id", "person_id", "status", "body_org_id", "created_at",
                                          "updated_at"),
                    [(enrolment_id, class_id, person_id, "nominated" if i < seats else "waiting", p.body_org_id,
                      now, now)
                     for i, (enrolment_id, (person_id, p)) in enumerate(zip(ids, to_enrol.items(), strict=True))],
                    rows_per_statement=_ROWS_PER_STATEMENT)
        existing.update(zip(to_enrol, ids, strict=True))
    return existing, waiting


def _nominate(plan: ImportPlan, person_of_row: dict[int, int], enrolment_of: dict[int, int],
              import_id: int | None) -> None:
    """The sending agency's nomination of each person it had not nominated to this class yet."""
    class_id, source_id = plan.training_class.id, plan.source_org.id
    nominated = {e for (e,) in db.session.execute(select(Nomination.enrolment_id).join(Enrolment).where(
        Enrolment.class_id == class_id, Nomination.organisation_id == source_id))}
    nominations = []
    for p in plan.rows:
        enrolment_id = enrolment_of[person_of_row[p.row.row]]
        if enrolment_id not in nominated:
            nominated.add(enrolment_id)
            nominations.append((enrolment_id, source_id, import_id, p.row.row))
    insert_rows(Nomination.__table__, ("enrolment_id", "organisation_id", "list_import_id", "source_row"), nominations,
                rows_per_statement=_ROWS_PER_STATEMENT)


def _flag_look_alikes(plan: ImportPlan, person_of_row: dict[int, int], import_id: int | None, now) -> None:
    """A duplicate flag for each row the matcher could only say looks like someone, for a human to settle."""
    flags = []
    for p in plan.rows:
        if p.outcome == "flagged":
            other = p.person_id or person_of_row.get(p.same_as_row)
            if other and other != person_of_row[p.row.row]:
                flags.append((other, person_of_row[p.row.row], p.reason, "open", import_id, now, now))
    insert_rows(DuplicateFlag.__table__, ("person_id", "other_person_id", "reason", "status", "list_import_id",
                                          "created_at", "updated_at"), flags)


def _fill_blanks(plan: ImportPlan, now) -> None:
    """A list may know more about a known person than the registry: fill what is empty, never overwrite."""
    # Her empty fields, as loaded with the registry (or now, for a plan made without them): one scan,
    # not a select of these people by id. A person in two rows is filled from the later one.
    blank_fields = plan.blank_fields if plan.blank_fields is not None else load_blank_fields()
    known = {p.person_id: p.row for p in plan.rows
             if p.outcome in ("matched", "merged", "unchanged") and blank_fields.get(p.person_id)}
    updates = []
    for person_id, row in known.items():
        mask, values = blank_fields[person_id], {}
        for i, name in enumerate(PERSON_FILLABLE):
            if mask >> i & 1 and (new := getattr(row, name)):
                values[name] = new
        if values:
            updates.append((person_id, values))
    # An ID number another person holds is left for a human.
    wanted = list({values["id_number"] for _, values in updates if "id_number" in values})
    table, taken = Person.__table__, set()
    for start in range(0, len(wanted), IN_CHUNK):
        taken.update(db.session.scalars(select(table.c.id_number).where(
            table.c.id_number.in_(wanted[start:start + IN_CHUNK]))))
    # One executemany per set of columns filled (not the ORM, which would send one per row). The
    # statement itself keeps a value stored since the registry was read: filling never overwrites.
    by_columns: dict[tuple[str, ...], list[tuple]] = defaultdict(list)
    for person_id, values in updates:
        if values.get("id_number") in taken:
            del values["id_number"]
        if "unit_name" in values:
            values["unit_folded"] = fold(values["unit_name"])
        if values:
            columns = tuple(sorted(values))
            by_columns[columns].append((*(values[name] for name in columns), now, person_id))
    for columns, rows in by_columns.items():
        empty_only = {name: "unit_name" if name == "unit_folded" else name for name in columns}
        update_rows(table, (*columns, "updated_at"), rows, where_empty=empty_only)
