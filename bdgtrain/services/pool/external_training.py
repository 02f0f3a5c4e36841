"""Training outside the system (đào tạo, bồi dưỡng ngoài hệ thống), recorded per person: by hand, or from an
.xlsx file imported all or nothing.

A record counts towards the trained share when `counts_towards_measures` is set and it has an end day, and is
done on that day (docs/MEASURES.md; the reports read the table themselves). The checks of one record are pure
(rules/external_training.py); here they become DomainErrors naming the field, nothing written.

The import of a file of such records is services/pool/external_training_import.py.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import chain
from typing import Iterator

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, extract, func, or_, select

from ...errors import DomainError
from ...extensions import db
from ...importers.training_template import (
    EXPORT_COLUMNS,
    EXPORT_COUNTS_WORDS,
    EXPORT_SEX_WORDS,
    EXPORT_SHEET,
    KIND_LABELS,
)
from ...models import (
    EXTERNAL_TRAINING_KINDS,
    ExternalTraining,
    Person,
    User,
)
from ...rules.external_training import RecordError, TrainingRecord, check_record
from ...rules.names import fold
from ..core import audit
from ..core.xlsx_stream import Cell, Sheet, stream_xlsx
from ..lists.reach import people_in_reach

FIELDS = ("kind", "title", "provider", "started_on", "ended_on", "evidence", "counts_towards_measures")


def _refusal(error: RecordError) -> DomainError:
    return DomainError(f"external_training.bad_{error.field}", error.message, field=error.field)


def _checked(data: TrainingRecord, today: date) -> TrainingRecord:
    try:
        return check_record(data, today)
    except RecordError as error:
        raise _refusal(error) from None


# --- one record by hand ----------------------------------------------------------------------------

def create_training(actor: User | None, person: Person, data: TrainingRecord, today: date) -> ExternalTraining:
    record = _checked(data, today)
    training = ExternalTraining(person=person, **{name: getattr(record, name) for name in FIELDS})
    db.session.add(training)
    db.session.flush()
    audit.record(actor, "pool.external_training.created", training, after=audit.snapshot(training, FIELDS),
                 summary=f"{person.full_name}: {training.title}")
    return training


def update_training(actor: User | None, training: ExternalTraining, data: TrainingRecord,
                    today: date) -> ExternalTraining:
    record = _checked(data, today)
    before = audit.snapshot(training, FIELDS)
    for name in FIELDS:
        setattr(training, name, getattr(record, name))
    db.session.flush()
    old, new = audit.changed_fields(before, audit.snapshot(training, FIELDS))
    if new:
        audit.record(actor, "pool.external_training.updated", training, before=old, after=new,
                     summary=f"{training.person.full_name}: {training.title}")
        db.session.flush()
    return training


def delete_training(actor: User | None, training: ExternalTraining) -> None:
    audit.record(actor, "pool.external_training.deleted", training, before=audit.snapshot(training, FIELDS),
                 summary=f"{training.person.full_name}: {training.title}")
    db.session.delete(training)
    db.session.flush()


def _reach(user: User):
    """The people `user` may read here (issue 20): reach.people_in_reach, None for an admin."""
    return people_in_reach(user)


def _in_reach(user: User, person_id: int) -> bool:
    reach = _reach(user)
    return reach is None or db.session.scalar(select(Person.id).where(Person.id == person_id, reach)) is not None


def get_training(training_id: int, user: User) -> ExternalTraining:
    """A record of someone within `user`'s reach; out of it, the same answer as an unknown id."""
    training = db.session.get(ExternalTraining, training_id)
    if training is None or not _in_reach(user, training.person_id):
        raise DomainError("not_found", _l("Không tìm thấy khóa đào tạo, bồi dưỡng này."))
    return training


def get_person(person_id: int, user: User) -> Person:
    """Someone within `user`'s reach; out of it, the same answer as an unknown id (no existence oracle)."""
    person = db.session.get(Person, person_id)
    if person is None or person.erased_at is not None or not _in_reach(user, person.id):
        raise DomainError("not_found", _l("Không tìm thấy người này."))
    return person


def trainings_of(person: Person) -> list[ExternalTraining]:
    """Her records, the latest first (those not ended yet on top)."""
    return list(db.session.scalars(select(ExternalTraining).where(ExternalTraining.person_id == person.id)
                                   .order_by(ExternalTraining.ended_on.desc().nulls_first(),
                                             ExternalTraining.started_on.desc(), ExternalTraining.id.desc())))


def find_people(text: str, user: User, limit: int = 50) -> list[Person]:
    """People of the registry within `user`'s reach whose name (folded), phone or ID number matches, to record
    a training for."""
    text = " ".join((text or "").split())
    if len(text) < 2:
        raise DomainError("external_training.search_too_short", _l("Nhập ít nhất 2 ký tự để tìm."), field="q")
    query = select(Person).where(Person.erased_at.is_(None), or_(
        Person.name_folded.contains(fold(text), autoescape=True), Person.phone == text, Person.id_number == text))
    if (reach := _reach(user)) is not None:
        query = query.where(reach)
    return list(db.session.scalars(query.order_by(Person.name_sort_key, Person.id).limit(limit)))


# --- the list: search, filters, export -------------------------------------------------------------

@dataclass(frozen=True)
class TrainingFilters:
    q: str = ""           # her name (without diacritics), or words of the title
    kind: str = ""        # one of EXTERNAL_TRAINING_KINDS, or every kind
    year: int | None = None  # the year it ended in (the day it counts), else started in

    @property
    def active(self) -> bool:
        return bool(self.q or self.kind or self.year)


def query_trainings(filters: TrainingFilters, user: User) -> Select:
    """Records of the people within `user`'s reach, with their person, in Vietnamese name order, as a query
    the list page pages through."""
    query = select(ExternalTraining).join(Person, Person.id == ExternalTraining.person_id)
    if (reach := _reach(user)) is not None:
        query = query.where(reach)
    if filters.q:
        folded = fold(filters.q)
        query = query.where(or_(Person.name_folded.contains(folded, autoescape=True),
                                ExternalTraining.title.ilike(f"%{_escaped(filters.q.strip())}%", escape="\\")))
    if filters.kind in EXTERNAL_TRAINING_KINDS:
        query = query.where(ExternalTraining.kind == filters.kind)
    if filters.year:
        query = query.where(extract("year", func.coalesce(ExternalTraining.ended_on, ExternalTraining.started_on))
                            == filters.year)
    return query.order_by(Person.name_sort_key, Person.id, ExternalTraining.ended_on.desc().nulls_first(),
                          ExternalTraining.id)


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def export_rows(filters: TrainingFilters, user: User) -> list[ExternalTraining]:
    return list(db.session.scalars(query_trainings(filters, user)))


EXPORT_BATCH = 2000  # rows fetched at a time while the file is sent (a server-side cursor on PostgreSQL)


def export_query(filters: TrainingFilters, user: User) -> Select:
    """The export's columns, in the list's order and within `user`'s reach: built while the request's
    objects are loaded (it reads `user`), run as the file is sent (`export_file`)."""
    return query_trainings(filters, user).with_only_columns(
        Person.full_name, Person.birth_date, Person.birth_year, Person.sex, Person.id_number, Person.unit_name,
        ExternalTraining.kind, ExternalTraining.title, ExternalTraining.provider, ExternalTraining.started_on,
        ExternalTraining.ended_on, ExternalTraining.counts_towards_measures, ExternalTraining.evidence,
        maintain_column_froms=True)


def export_people(filters: TrainingFilters, user: User) -> set[int]:
    """Whom the export names, for the access log: ids only, one statement."""
    query = query_trainings(filters, user).with_only_columns(ExternalTraining.person_id,
                                                             maintain_column_froms=True).order_by(None)
    return set(db.session.scalars(query.distinct()))


def _export_values(query: Select):
    for (name, born, born_year, sex, id_number, unit, kind, title, provider, started, ended, counts,
         evidence) in db.session.execute(query.execution_options(yield_per=EXPORT_BATCH)):
        yield [name, born or born_year, EXPORT_SEX_WORDS.get(sex or "", ""), id_number, unit,
               KIND_LABELS.get(kind, kind), title, provider, started, ended, EXPORT_COUNTS_WORDS[bool(counts)],
               evidence]


def export_file(query: Select) -> Iterator[bytes]:
    """The list as an .xlsx in the template's columns (so that it can be imported again), text cells
    defused, written as the rows are read (services/core/xlsx_stream.py): 100,000 rows start at once."""
    header = [Cell(text, bold=True, wrap=True) for text, _width, _format in EXPORT_COLUMNS]
    return stream_xlsx([Sheet(EXPORT_SHEET, chain([header], _export_values(query)),
                              widths=[width for _text, width, _format in EXPORT_COLUMNS])])
