"""Recording audit events, called directly by the services that change things; reading them back for the audit page."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Iterable

from sqlalchemy import String, cast, literal, select, union_all

from ...extensions import db
from ...models import (
    ApiToken,
    Attendance,
    AuditEvent,
    Certificate,
    ClassSession,
    DocumentSettings,
    Enrolment,
    ExternalTraining,
    ExternalTrainingImport,
    FeedbackSettings,
    FeedbackTrainerLink,
    ListImport,
    Organisation,
    PeriodicReport,
    Person,
    Plan,
    PlanDocument,
    PlanReadingDraft,
    PoolEntry,
    PoolImport,
    SeatQuota,
    Trainer,
    TrainingClass,
    UnitHeadcount,
    User,
    Venue,
)


def _plain(value: Any) -> Any:
    """JSON-safe copy of a column value."""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def snapshot(obj: Any, fields: Iterable[str]) -> dict[str, Any]:
    return {name: _plain(getattr(obj, name)) for name in fields}


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict, dict]:
    """Only the fields that changed, so the log reads as a diff."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def record(actor: User | None, action: str, obj: Any, *, before: dict | None = None,
           after: dict | None = None, summary: str = "") -> AuditEvent:
    """Add one event for `obj`; the object must have been flushed so that it has an id."""
    event = AuditEvent(
        actor_id=actor.id if actor is not None else None,
        actor_label=actor.email if actor is not None else "cli",
        action=action,
        object_type=type(obj).__name__,
        object_id=getattr(obj, "id", None),
        summary=summary,
        before=before,
        after=after,
    )
    db.session.add(event)
    return event


EVENT_COLUMNS = (AuditEvent.id, AuditEvent.occurred_at, AuditEvent.actor_id, AuditEvent.actor_label, AuditEvent.action,
                 AuditEvent.object_type, AuditEvent.object_id, AuditEvent.summary, AuditEvent.before, AuditEvent.after)


def query_events(action: str = "", object_type: str = ""):
    """Events newest first, as a query to page: those whose action starts with `action`, of `object_type`.
    Their columns, read as rows with the events' attribute names, not entities: the log is only read."""
    query = select(*EVENT_COLUMNS).order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
    if action:
        query = query.where(AuditEvent.action.startswith(action))
    if object_type:
        query = query.where(AuditEvent.object_type == object_type)
    return query


def _class_name():
    return Plan.code + "/" + TrainingClass.code


# How to name each kind of object an event may be about: its id column, the name, and the joins the name
# needs (left out: kinds whose only name is a code, e.g. a target's measure, shown by their kind alone).
_NAMES = {
    "Plan": lambda: select(Plan.id, Plan.code),
    "TrainingClass": lambda: select(TrainingClass.id, _class_name()).join(Plan, Plan.id == TrainingClass.plan_id),
    "ClassSession": lambda: select(ClassSession.id, ClassSession.label + " — " + _class_name())
    .join(TrainingClass, TrainingClass.id == ClassSession.class_id).join(Plan, Plan.id == TrainingClass.plan_id),
    "Organisation": lambda: select(Organisation.id, Organisation.name),
    "User": lambda: select(User.id, User.email),
    "Person": lambda: select(Person.id, Person.full_name),
    "Enrolment": lambda: select(Enrolment.id, Person.full_name + " — " + _class_name())
    .join(Person, Person.id == Enrolment.person_id).join(TrainingClass, TrainingClass.id == Enrolment.class_id)
    .join(Plan, Plan.id == TrainingClass.plan_id),
    "Attendance": lambda: select(Attendance.id, Person.full_name + " — " + ClassSession.label)
    .join(Enrolment, Enrolment.id == Attendance.enrolment_id).join(Person, Person.id == Enrolment.person_id)
    .join(ClassSession, ClassSession.id == Attendance.session_id),
    "Certificate": lambda: select(Certificate.id, Certificate.number),
    "Venue": lambda: select(Venue.id, Venue.name),
    "Trainer": lambda: select(Trainer.id, Trainer.name),
    "ApiToken": lambda: select(ApiToken.id, ApiToken.label),
    "PeriodicReport": lambda: select(PeriodicReport.id, PeriodicReport.label),
    "ListImport": lambda: select(ListImport.id, ListImport.filename),
    "PoolImport": lambda: select(PoolImport.id, PoolImport.filename),
    "ExternalTrainingImport": lambda: select(ExternalTrainingImport.id, ExternalTrainingImport.filename),
    "ExternalTraining": lambda: select(ExternalTraining.id, ExternalTraining.title),
    "PoolEntry": lambda: select(PoolEntry.id, Person.full_name).join(Person, Person.id == PoolEntry.person_id),
    "SeatQuota": lambda: select(SeatQuota.id, Organisation.name + " — " + _class_name())
    .join(Organisation, Organisation.id == SeatQuota.organisation_id)
    .join(TrainingClass, TrainingClass.id == SeatQuota.class_id).join(Plan, Plan.id == TrainingClass.plan_id),
    "UnitHeadcount": lambda: select(UnitHeadcount.id, Organisation.name)
    .join(Organisation, Organisation.id == UnitHeadcount.organisation_id),
    "DocumentSettings": lambda: select(DocumentSettings.id, Organisation.name)
    .join(Organisation, Organisation.id == DocumentSettings.organisation_id),
    "PlanDocument": lambda: select(PlanDocument.id, Plan.code).join(Plan, Plan.id == PlanDocument.plan_id),
    "PlanReadingDraft": lambda: select(PlanReadingDraft.id, Plan.code).join(Plan, Plan.id == PlanReadingDraft.plan_id),
    "FeedbackSettings": lambda: select(FeedbackSettings.id, Plan.code).join(Plan, Plan.id == FeedbackSettings.plan_id),
    "FeedbackTrainerLink": lambda: select(FeedbackTrainerLink.id, _class_name())
    .join(TrainingClass, TrainingClass.id == FeedbackTrainerLink.class_id).join(Plan, Plan.id == TrainingClass.plan_id),
}
NAMED_OBJECT_TYPES = tuple(_NAMES)


def object_names(events: Iterable[AuditEvent]) -> dict[tuple[str, int], str]:
    """The names of the objects a page of events is about, by (object_type, object_id), in ONE query (a UNION
    of one SELECT per kind on the page). Objects deleted since, and kinds without a name, are absent."""
    wanted: dict[str, set[int]] = {}
    for event in events:
        if event.object_id is not None and event.object_type in _NAMES:
            wanted.setdefault(event.object_type, set()).add(event.object_id)
    if not wanted:
        return {}
    parts = []
    for kind, ids in sorted(wanted.items()):
        query = _NAMES[kind]()
        id_column, name = query.selected_columns
        parts.append(query.with_only_columns(literal(kind, String).label("kind"), id_column.label("id"),
                                             cast(name, String).label("name")).where(id_column.in_(sorted(ids))))
    return {(row.kind, row.id): row.name for row in db.session.execute(union_all(*parts))}

