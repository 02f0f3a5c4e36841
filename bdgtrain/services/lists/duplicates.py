"""Possible duplicates in the registry: the pairs the matcher could only flag, the ones a user may settle
(both people within her reach), and settling them: two different people, or one, merged into the older
entry with everything that names her."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, exists, insert, literal, or_, select, update
from sqlalchemy.orm import aliased, joinedload

from ...errors import DomainError
from ...extensions import db
from ...models import (
    Attendance,
    CalendarFeed,
    CheckinScan,
    DuplicateFlag,
    Enrolment,
    ExternalTraining,
    Nomination,
    Person,
    PersonalDataAccess,
    PersonalDataAccessPerson,
    PoolEntry,
    User,
)
from ...models.base import utcnow
from ..core import audit
from .reach import people_in_reach


def _flags_in_reach(user: User, query):
    """Only the pairs whose two people are both within `user`'s reach: the page shows both, and a merge
    changes both."""
    reach = people_in_reach(user)
    if reach is None:
        return query
    # Each flag's two people are looked up and tested, rather than the flags' ids matched against the
    # set of everyone in reach: SQLite built that set (the whole registry, 100,000 people at province
    # scale, each with its EXISTS tests) and the duplicates page took minutes (bench/pages.py).
    return query.where(exists().where(Person.id == DuplicateFlag.person_id, reach),
                       exists().where(Person.id == DuplicateFlag.other_person_id, reach))


def open_flags(user: User | None = None):
    """The open pairs, of the people `user` may decide about (people_in_reach) when a user is given."""
    query = (select(DuplicateFlag).where(DuplicateFlag.status == "open")
             .options(joinedload(DuplicateFlag.person), joinedload(DuplicateFlag.other_person))
             .order_by(DuplicateFlag.created_at, DuplicateFlag.id))
    return _flags_in_reach(user, query) if user is not None else query


def get_flag(flag_id: int) -> DuplicateFlag:
    flag = db.session.get(DuplicateFlag, flag_id)
    if flag is None:
        raise DomainError("not_found", _l("Không tìm thấy cặp nghi trùng."))
    return flag


def flag_in_reach(user: User, flag: DuplicateFlag) -> bool:
    """Whether `user` may see and settle this pair: both of its people are within her reach."""
    return db.session.scalar(_flags_in_reach(user, select(DuplicateFlag.id).where(DuplicateFlag.id == flag.id))) \
        is not None


PERSON_SNAPSHOT = ("full_name", "sex", "birth_date", "birth_year", "position", "unit_name", "phone", "id_number")


def mark_distinct(actor: User | None, flag: DuplicateFlag) -> None:
    if flag.status != "open":
        raise DomainError("lists.flag_closed", _l("Cặp này đã được xử lý."))
    flag.status, flag.resolved_by_id, flag.resolved_at = "distinct", actor.id if actor else None, utcnow()
    db.session.flush()
    audit.record(actor, "lists.person.split", flag, summary=f"{flag.person.full_name} ≠ {flag.other_person.full_name}")


# What else names a person, and moves with her when two entries are merged: between the import that
# flagged the pair and the organiser's decision, the newer entry may have been put in the planning
# pool, given training outside the system, subscribed to her calendar, or seen on a logged page.
_NAMING_PERSON = (PoolEntry, ExternalTraining, CalendarFeed, PersonalDataAccess)


def _repoint_person(gone_id: int, keep_id: int) -> None:
    for model in _NAMING_PERSON:
        db.session.execute(update(model).where(model.person_id == gone_id).values(person_id=keep_id),
                           execution_options={"synchronize_session": False})
    # The pages that named the merged entry now name the kept one (once: a page may have named both);
    # the merged entry's own rows go with it (ON DELETE CASCADE).
    named, other = PersonalDataAccessPerson, aliased(PersonalDataAccessPerson)
    moved = select(named.access_id, literal(keep_id)).where(
        named.person_id == gone_id, ~exists().where(other.access_id == named.access_id, other.person_id == keep_id))
    db.session.execute(insert(named).from_select(["access_id", "person_id"], moved))


def merge_people(actor: User | None, flag: DuplicateFlag) -> Person:
    """Keep the older entry; move the newer one's enrolments and nominations to it, and what else names
    her (_NAMING_PERSON); fill its blanks; delete the newer entry."""
    if flag.status != "open":
        raise DomainError("lists.flag_closed", _l("Cặp này đã được xử lý."))
    keep, gone = flag.person, flag.other_person
    before = {"kept": audit.snapshot(keep, PERSON_SNAPSHOT), "merged": audit.snapshot(gone, PERSON_SNAPSHOT)}
    for name in ("sex", "birth_date", "birth_year", "ethnicity", "position", "unit_name", "unit_folded",
                 "organisation_id", "phone", "email"):
        if getattr(keep, name) in (None, "") and getattr(gone, name) not in (None, ""):
            setattr(keep, name, getattr(gone, name))
    if keep.id_number is None and gone.id_number is not None:
        keep.id_number, gone.id_number = gone.id_number, None
        db.session.flush()  # free the unique ID number before it moves
    for enrolment in list(db.session.scalars(select(Enrolment).where(Enrolment.person_id == gone.id))):
        twin = db.session.scalar(select(Enrolment).where(Enrolment.person_id == keep.id,
                                                         Enrolment.class_id == enrolment.class_id))
        if twin is None:
            enrolment.person_id = keep.id
            continue
        if db.session.scalar(select(exists().where(Attendance.enrolment_id == enrolment.id))):
            raise DomainError("lists.merge_attended",
                              _l("Cả hai người cùng có tên và đã điểm danh trong một lớp; không thể gộp tự động."))
        known = {n.organisation_id for n in twin.nominations}
        for nomination in list(enrolment.nominations):
            if nomination.organisation_id not in known:
                twin.nominations.append(Nomination(organisation_id=nomination.organisation_id,
                                                   list_import_id=nomination.list_import_id,
                                                   source_row=nomination.source_row))
        # A refused scan of her card, or someone replaced by her: they now name the enrolment kept.
        for column in (CheckinScan.enrolment_id, Enrolment.replaced_by_id):
            db.session.execute(update(column.class_).where(column == enrolment.id).values({column.key: twin.id}),
                               execution_options={"synchronize_session": False})
        db.session.delete(enrolment)
    db.session.flush()
    _repoint_person(gone.id, keep.id)
    audit.record(actor, "lists.person.merged", keep, before=before, after=audit.snapshot(keep, PERSON_SNAPSHOT),
                 summary=f"{gone.full_name} (#{gone.id}) → {keep.full_name} (#{keep.id})")
    # The merged entry disappears with the flags that named it; the audit event keeps the history.
    db.session.execute(delete(DuplicateFlag).where(or_(DuplicateFlag.person_id == gone.id,
                                                       DuplicateFlag.other_person_id == gone.id)))
    db.session.expunge(flag)
    db.session.delete(gone)
    db.session.flush()
    return keep
