"""Audience compliance and class outcomes of a plan, counted by the database.

Two statements whatever the number of classes and people: the classes with their held and ended
sessions (and their dates, for the pages); then, reading each enrolment's marks once, the enrolments
counted by what their outcome depends on (class, marks, late or not, and sex and unit kind where the
class's audience asks), by district and by nominating agency (GROUP BY, a few rows per class), and the
people the pages may name (the possible no-shows and people outside the audience), with who nominated
them. The decisions (attended, completed, late, no-show, outside the audience) are the pure
rules/compliance.py's, so a page, an export and the plan summary agree.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from sqlalchemy import Integer, Text, and_, bindparam, case, cast, func, literal, null, or_, select, text, union_all
from sqlalchemy.orm import aliased

from ...extensions import db
from ...models import Attendance, ClassSession, Enrolment, Nomination, Organisation, Person, Plan, TrainingClass
from ...rules.compliance import (
    ClassCompliance,
    ClassFacts,
    Compliance,
    Nominee,
    Outcome,
    Profile,
    summarise,
    summarise_counted,
)
from ...rules.eligibility import guess_org_kind
from ...rules.names import fold
from ..core.paging import CountedPager, page_of_list
from ..lists.lists import ACTIVE_STATUSES


def class_facts(plan: Plan, now: datetime) -> list[ClassFacts]:
    return class_facts_and_spans(plan, now)[0]


def class_facts_and_spans(plan: Plan, now: datetime) -> tuple[list[ClassFacts], dict[int, tuple[datetime, datetime]]]:
    """The plan's classes by code with their held and ended sessions counted, and, for those with held
    sessions, the first start and the last end of them (a page's dates): one statement. MIN and MAX keep
    the column's type, so the times come back as aware UTC on both databases."""
    held = ClassSession.status != "cancelled"
    rows = db.session.connection().execute(
        select(TrainingClass.id, TrainingClass.code, TrainingClass.title, TrainingClass.status,
               TrainingClass.completion_percent, TrainingClass.eligible_sex, TrainingClass.eligible_org_kinds,
               func.count(ClassSession.id).filter(held),
               func.count(ClassSession.id).filter(held, ClassSession.ends_at <= now),
               func.min(ClassSession.starts_at).filter(held), func.max(ClassSession.ends_at).filter(held))
        .outerjoin(ClassSession, ClassSession.class_id == TrainingClass.id)
        .where(TrainingClass.plan_id == plan.id)
        .group_by(TrainingClass.id, TrainingClass.code, TrainingClass.title, TrainingClass.status,
                  TrainingClass.completion_percent, TrainingClass.eligible_sex, TrainingClass.eligible_org_kinds)
        .order_by(TrainingClass.code)).all()
    facts = [ClassFacts(id=r[0], code=r[1], title=r[2], cancelled=r[3] == "cancelled", percent=r[4],
                        eligible_sex=r[5], eligible_kinds=tuple(k for k in (r[6] or "").split(",") if k),
                        held=r[7] or 0, ended=r[8] or 0) for r in rows]
    return facts, {r[0]: (r[9], r[10]) for r in rows if r[7]}


def _held_sessions(plan_id):
    """The ids of the plan's held (non-cancelled) sessions, as a subquery."""
    return (select(ClassSession.id).join(TrainingClass, TrainingClass.id == ClassSession.class_id)
            .where(ClassSession.status != "cancelled", TrainingClass.plan_id == plan_id))


def _marks(plan_id, agency_id=None):
    """Each enrolment's present and late marks in the plan's held sessions (GROUP BY), as a subquery. The
    attendance rows are picked by their session among the plan's held ones (an index on the session,
    the status and the enrolment answers without the table), not joined row by row to their sessions.
    With `agency_id`, only the marks of the enrolments her agency nominated are counted: a supplier's
    page reads her own people's marks, not the whole plan's."""
    query = (select(Attendance.enrolment_id,
                    func.count().filter(Attendance.status == "present").label("present"),
                    func.count().filter(Attendance.status == "late").label("late"))
             .where(Attendance.session_id.in_(_held_sessions(plan_id))))
    if agency_id is not None:
        query = query.where(Attendance.enrolment_id.in_(
            select(Nomination.enrolment_id).where(Nomination.organisation_id == agency_id)))
    return query.group_by(Attendance.enrolment_id).subquery()


def _marks_joined(plan_id):
    """The same marks as _marks, each attendance joined to its session and class: the per-person oracle's
    own way (plan_compliance_per_person), so that the tests comparing it with plan_compliance check
    _marks too."""
    return (select(Attendance.enrolment_id,
                   func.count().filter(Attendance.status == "present").label("present"),
                   func.count().filter(Attendance.status == "late").label("late"))
            .join(ClassSession, ClassSession.id == Attendance.session_id)
            .join(TrainingClass, TrainingClass.id == ClassSession.class_id)
            .where(ClassSession.status != "cancelled", TrainingClass.plan_id == plan_id)
            .group_by(Attendance.enrolment_id)).subquery()


def _active(query, plan_id, agency_id):
    """`query` restricted to the active enrolments of the plan's classes (and those `agency_id` nominated);
    `plan_id` and `agency_id` are values or bound parameters."""
    query = query.where(TrainingClass.plan_id == plan_id, Enrolment.status.in_(ACTIVE_STATUSES))
    if agency_id is not None:
        # Her agency's nominations lead to the enrolments (an index on the agency), rather than each of the
        # plan's enrolments looking for one; its own alias: the statement may join Nomination too.
        hers = aliased(Nomination)
        query = query.where(Enrolment.id.in_(select(hers.enrolment_id).where(hers.organisation_id == agency_id)))
    return query


def nominees(plan: Plan, *, agency_id: int | None = None, marks_of=_marks) -> list[Nominee]:
    """Every active enrolment of the plan's classes with her marks counted and who nominated her, in
    one statement (a row per nomination); only those `agency_id` nominated when given (a supplier's own
    rows, and only her agency's nominations). `marks_of` counts the marks (the per-person oracle counts
    them its own way)."""
    person_org, body, agency = aliased(Organisation), aliased(Organisation), aliased(Organisation)
    marks = marks_of(plan.id)
    nominated = Nomination.enrolment_id == Enrolment.id
    if agency_id is not None:
        nominated = and_(nominated, Nomination.organisation_id == agency_id)
    query = _active(select(Enrolment.id, Enrolment.class_id, Person.full_name, Person.sex, Person.unit_name,
                           person_org.kind, body.name, func.coalesce(marks.c.present, 0),
                           func.coalesce(marks.c.late, 0), Enrolment.person_id, agency.name)
                    .join(Person, Person.id == Enrolment.person_id)
                    .join(TrainingClass, TrainingClass.id == Enrolment.class_id)
                    .outerjoin(person_org, person_org.id == Person.organisation_id)
                    .outerjoin(body, body.id == Enrolment.body_org_id)
                    .outerjoin(marks, marks.c.enrolment_id == Enrolment.id)
                    .outerjoin(Nomination, nominated)
                    .outerjoin(agency, agency.id == Nomination.organisation_id), plan.id, agency_id)
    rows: dict[int, tuple] = {}  # enrolment -> her row, in name order (her nominations' rows are adjacent)
    agencies = defaultdict(list)
    for r in db.session.execute(query.order_by(Person.name_sort_key, Enrolment.id)):
        rows.setdefault(r[0], r)
        if r[10] is not None:
            agencies[r[0]].append(r[10])
    return [Nominee(enrolment_id=r[0], class_id=r[1], name=r[2], sex=r[3], unit_name=r[4],
                    unit_kind=r[5] or guess_org_kind(r[4]), district=r[6],
                    agencies=tuple(sorted(agencies.get(r[0], ()))), present=int(r[7]), late=int(r[8]),
                    person_id=r[9])
            for r in rows.values()]


class _UnitKinds:
    """A unit's kind: its organisation's, else guessed from its text (rules/eligibility.py), each distinct
    text guessed once per call: the people of a plan repeat a few hundred unit texts."""

    def __init__(self):
        self._guessed: dict[str | None, str | None] = {}

    def __call__(self, kind: str | None, unit_text: str | None) -> str | None:
        if kind:
            return kind
        if unit_text not in self._guessed:
            self._guessed[unit_text] = guess_org_kind(unit_text)
        return self._guessed[unit_text]


@lru_cache(maxsize=2)
def _counted_statement(agency_only: bool):
    """The plan's active enrolments counted by what their outcome depends on (GROUP BY): class, marks, a
    late mark or not, and, only in the classes whose audience asks about them, sex and unit kind (the
    unit's text when its organisation gives no kind); once with the district, once per nominating agency.
    A few rows per class whatever the number of people. And, with their names, those who may be named
    (see _maybe_named), as nominees() reads them. One statement (UNION ALL, ordered by the part, then as
    nominees() orders): each enrolment's marks and profile are read once, in a WITH clause the three parts
    share. Built once per shape (everyone's rows, or one agency's) with its values bound when it runs
    (`plan_id`, `agency_id`, and _named_classes'): building it cost more than a tenth of the page."""
    plan_id = bindparam("plan_id", type_=Integer)
    agency_id = bindparam("agency_id", type_=Integer) if agency_only else None
    marks = _marks(plan_id, agency_id)
    late = func.coalesce(marks.c.late, 0)
    kinds_asked = func.coalesce(TrainingClass.eligible_org_kinds, "") != ""
    person_org = aliased(Organisation)
    enrolment = _active(
        select(Enrolment.id.label("enrolment_id"), Enrolment.person_id, Enrolment.body_org_id,
               Enrolment.class_id.label("g_class"), (func.coalesce(marks.c.present, 0) + late).label("g_marks"),
               case((late > 0, 1), else_=0).label("g_late"), late.label("late"),
               case((func.coalesce(TrainingClass.eligible_sex, "") != "", Person.sex)).label("g_sex"),
               case((kinds_asked, person_org.kind)).label("g_kind"),
               case((and_(kinds_asked, func.coalesce(person_org.kind, "") == ""), Person.unit_name)).label("g_unit"),
               case((_maybe_named(marks, person_org), 1), else_=0).label("named"))
        .select_from(Enrolment)
        .join(Person, Person.id == Enrolment.person_id)
        .join(TrainingClass, TrainingClass.id == Enrolment.class_id)
        .outerjoin(person_org, person_org.id == Person.organisation_id)
        .outerjoin(marks, marks.c.enrolment_id == Enrolment.id), plan_id, agency_id).cte("profiled")
    nominated = Nomination.enrolment_id == enrolment.c.enrolment_id
    if agency_id is not None:
        nominated = and_(nominated, Nomination.organisation_id == agency_id)
    # The counted parts leave the named part's columns empty, typed (PostgreSQL matches a UNION's types pairwise).
    unnamed = [cast(null(), kind).label(name) for name, kind in (
        ("e_id", Integer), ("e_name", Text), ("e_district", Text), ("e_person", Integer), ("e_sort", Text))]

    def counted(by_agency: bool):
        # Grouped by the organisation's id, its name read once per group below: tallies go by name (two
        # agencies of one name are one row of the table), and rules/compliance.py adds them up by name.
        group_org = Nomination.organisation_id if by_agency else enrolment.c.body_org_id
        columns = [literal(int(by_agency)).label("g_by"), enrolment.c.g_class, enrolment.c.g_marks,
                   enrolment.c.g_late, enrolment.c.g_sex, enrolment.c.g_kind, enrolment.c.g_unit,
                   group_org.label("g_org")]
        query = select(*columns, func.count().label("n"), func.sum(enrolment.c.late).label("late_marks"), *unnamed)
        if by_agency:
            query = query.select_from(enrolment).outerjoin(Nomination, nominated)
        else:
            query = query.select_from(enrolment)
        return query.group_by(*(text(c.name) for c in columns[1:]))

    def named():
        """Those who may be named, a row per nomination, in the columns of nominees()."""
        unit_org, district = aliased(Organisation), aliased(Organisation)
        return (select(literal(2).label("g_by"), enrolment.c.g_class, enrolment.c.g_marks, enrolment.c.g_late,
                       Person.sex.label("g_sex"), unit_org.kind.label("g_kind"), Person.unit_name.label("g_unit"),
                       Nomination.organisation_id.label("g_org"), literal(1).label("n"),
                       enrolment.c.late.label("late_marks"),
                       enrolment.c.enrolment_id.label("e_id"), Person.full_name.label("e_name"),
                       district.name.label("e_district"), Person.id.label("e_person"),
                       Person.name_sort_key.label("e_sort"))
                .select_from(enrolment)
                .join(Person, Person.id == enrolment.c.person_id)
                .outerjoin(unit_org, unit_org.id == Person.organisation_id)
                .outerjoin(district, district.id == enrolment.c.body_org_id)
                .outerjoin(Nomination, nominated)
                .where(enrolment.c.named == 1))

    parts = union_all(counted(False), counted(True), named()).subquery("parts")
    group_org = aliased(Organisation)
    return (select(*(group_org.name.label("g_group") if c.name == "g_org" else c for c in parts.c))
            .select_from(parts).outerjoin(group_org, group_org.id == parts.c.g_org)
            .order_by(parts.c.g_by, parts.c.e_sort, parts.c.e_id))


def _counted(plan: Plan, agency_id: int | None,
             facts: list[ClassFacts]) -> tuple[list[Profile], list[Profile], list[Nominee]]:
    """_counted_statement's profiles, by district and by agency, and the nominees who may be named."""
    values = {"plan_id": plan.id, **_named_classes(facts)}
    if agency_id is not None:
        values["agency_id"] = agency_id
    by_district, by_agency = [], []
    rows: dict[int, tuple] = {}  # enrolment -> her row, in name order (her nominations' rows are adjacent)
    agencies = defaultdict(list)
    kind_of = _UnitKinds()
    # A Core statement on the connection (the ORM's would build each row through its loading machinery),
    # its rows unpacked by position: a row's attributes by name cost more than the rest of the loop.
    for row in db.session.connection().execute(_counted_statement(agency_id is not None), values).all():
        part, class_id, marks_n, is_late, sex, kind, unit, group, n, late_marks, e_id = row[:11]
        if part == 2:
            rows.setdefault(e_id, row)
            if group is not None:
                agencies[e_id].append(group)
            continue
        (by_agency if part else by_district).append(Profile(
            class_id=class_id, marks=int(marks_n), late=bool(is_late), count=int(n), late_marks=int(late_marks or 0),
            sex=sex, unit_kind=kind_of(kind, unit), group=group))
    named_nominees = [
        Nominee(enrolment_id=e_id, class_id=class_id, name=e_name, sex=sex, unit_name=unit,
                unit_kind=kind_of(kind, unit), district=e_district, agencies=tuple(sorted(agencies.get(e_id, ()))),
                present=int(marks_n) - int(late_marks), late=int(late_marks), person_id=e_person)
        for (_, class_id, marks_n, _, sex, kind, unit, _, _, late_marks, e_id, e_name, e_district, e_person, _)
        in rows.values()]
    return by_district, by_agency, named_nominees


def _named_classes(facts: list[ClassFacts]) -> dict[str, list[int]]:
    """The classes _maybe_named asks about: those with an ended session (`ended`: their nominees without a
    mark are no-shows) and those whose audience is set (`asked`), cancelled ones in neither."""
    ended = [c.id for c in facts if not c.cancelled and c.ended > 0]
    asked = [c.id for c in facts if not c.cancelled and c.held and (c.eligible_sex or c.eligible_kinds)]
    return {"ended": ended or [-1], "asked": asked or [-1]}


def _maybe_named(marks, person_org):
    """The condition, on _counted_statement's enrolments, of those who may be no-shows (no mark in an
    `ended` class) or outside the audience (a mark, in an `asked` class, and a sex or a unit kind that may
    not fit): a superset, which rules/compliance.py's outcome() then decides on exactly. The classes are
    bound when the statement runs (_named_classes)."""
    count = func.coalesce(marks.c.present, 0) + func.coalesce(marks.c.late, 0)
    kinds = func.coalesce(TrainingClass.eligible_org_kinds, "")
    other_sex = and_(func.coalesce(TrainingClass.eligible_sex, "") != "", func.coalesce(Person.sex, "") != "",
                     Person.sex != TrainingClass.eligible_sex)
    # Outside the class's kinds unless ",kind," is one of ",k1,k2,": no kind known (the unit's text
    # decides in Python) or not listed.
    other_kind = and_(kinds != "", or_(func.coalesce(person_org.kind, "") == "",
                                       (literal(",") + kinds + literal(",")).not_like(
                                           literal("%,") + person_org.kind + literal(",%"))))
    return or_(and_(Enrolment.class_id.in_(bindparam("ended", expanding=True, type_=Integer)), count == 0),
               and_(Enrolment.class_id.in_(bindparam("asked", expanding=True, type_=Integer)), count > 0,
                    or_(other_sex, other_kind)))


def plan_compliance(plan: Plan, now: datetime, *, agency_id: int | None = None,
                    facts: list[ClassFacts] | None = None) -> Compliance:
    """The plan's compliance from counts (see _counted): the people are read only when they may be named.
    `facts` are the plan's class_facts at `now` when the caller read them already."""
    facts = class_facts(plan, now) if facts is None else facts
    return summarise_counted(facts, *_counted(plan, agency_id, facts))


def plan_compliance_per_person(plan: Plan, now: datetime, *, agency_id: int | None = None) -> Compliance:
    """The same from every nominee, one by one: what plan_compliance must equal (tests compare them)."""
    return summarise(class_facts(plan, now), nominees(plan, agency_id=agency_id, marks_of=_marks_joined))


PEOPLE_PER_PAGE = 100  # a plan of 200 classes can name tens of thousands: the pages show one page of them


@dataclass
class PeoplePage(CountedPager):
    """One page of the people a compliance page names (outside the audience first, then the no-shows):
    `rows` are (class code, "outside" or "no_show", outcome). The tallies stay whole in `Compliance`;
    only the names are paged. Shaped like Flask-SQLAlchemy's Pagination for the `pagination` macro."""
    rows: list[tuple[str, str, Outcome]]
    total: int              # the people matching `q`
    page: int
    per_page: int
    q: str
    outside_total: int      # before the search: which empty state to show
    no_show_total: int


def people_page(compliance: Compliance, *, q: str = "", page: int = 1,
                per_page: int = PEOPLE_PER_PAGE) -> PeoplePage:
    """The people outside their class's audience and the no-shows whose folded name contains the folded
    `q`, page `page` of them; a page past the last shows the last."""
    outside, absent = compliance.outside_people, compliance.no_show_people
    wanted = fold(q)
    found = [(code, kind, o) for kind, named in (("outside", outside), ("no_show", absent)) for code, o in named
             if not wanted or wanted in fold(o.nominee.name)]
    listed = page_of_list(found, page, per_page)
    return PeoplePage(rows=listed.items, total=listed.total, page=listed.page, per_page=per_page, q=q,
                      outside_total=len(outside), no_show_total=len(absent))


CLASSES_PER_PAGE = 50  # a plan of 200 classes: its compliance page shows them a page at a time


@dataclass
class ClassesPage(CountedPager):
    """One page of a plan's classes with their tallies, those whose folded code or title contains the
    folded `q`. The plan's total and the agencies' and districts' tallies stay whole in `Compliance`;
    only the class rows are paged. Shaped like Flask-SQLAlchemy's Pagination for the `pagination` macro."""
    rows: list[ClassCompliance]
    total: int              # the classes matching `q`
    page: int
    per_page: int
    q: str


def classes_page(compliance: Compliance, *, q: str = "", page: int = 1,
                 per_page: int = CLASSES_PER_PAGE) -> ClassesPage:
    """The classes (in the plan's order, by code) whose folded code or title contains the folded `q`,
    page `page` of them; a page past the last shows the last."""
    wanted = fold(q)
    found = [c for c in compliance.classes
             if not wanted or wanted in fold(c.facts.code) or wanted in fold(c.facts.title)]
    listed = page_of_list(found, page, per_page)
    return ClassesPage(rows=listed.items, total=listed.total, page=listed.page, per_page=per_page, q=q)
