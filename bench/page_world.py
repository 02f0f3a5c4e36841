"""A province-scale world for the page crawler (bench/pages.py) and the statement-bound tests, built
through the services.

At scale 1.0: the Hà Tĩnh demo plan (load_demo: the province, its 13 districts and their communes, the
four classes) grown to 200 more classes of 40 participants with attendance, Lớp 3 grown to a class of
3,000 (a province's online conference to the communes), a registry of 100,000 people, a planning pool
of 100,000 entries over the province's units, feedback answers and certificates; plus one object of
every kind a route names (a list waiting in preview, a duplicate pair, a kept report, a feed, a trainer
link, a record of training outside the system, a plan-reading draft), as tests/web/test_access_matrix.py
builds them. `scale` multiplies every count (at least a handful of each remains).

The demo, the classes, the objects the routes name, the certificates and the feedback go through the
services one by one, as a user would make them; the registry, the enrolments, the nominations, the
attendance and the pool go through the bulk path the imports use (services.lists.registry.person_values,
reserve_ids and services.core.bulk.insert_rows), since 100,000 people one request at a time would take
longer than the benchmark itself.

    from bench.page_world import build
    world = build(scale=0.01)     # inside an app context on a migrated, empty database; commits
    world.accounts["organiser"]   # the e-mail of each role's account (password factories.PASSWORD)
    world.args                    # url_for values: code, class_code, token, report_id, ...
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select

from bdgtrain.extensions import db
from bdgtrain.importers.results import PersonRow
from bdgtrain.models import (
    Attendance,
    ClassSession,
    Enrolment,
    Nomination,
    Organisation,
    Person,
    PoolEntry,
    Trainer,
    TrainingClass,
    Venue,
)
from bdgtrain.models.base import utcnow
from bdgtrain.services.core.bulk import insert_rows
from bdgtrain.services.lists.registry import PERSON_COLUMNS, person_values, reserve_ids

PASSWORD = "mat-khau-thu-nghiem"  # tests.factories.PASSWORD
CLASS_SIZE = 40
GIVEN = ["An", "Bình", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hoa", "Hương", "Khánh", "Lan", "Linh", "Mai",
         "Nga", "Ngọc", "Nhung", "Oanh", "Phương", "Quyên", "Thảo", "Thu", "Trang", "Uyên", "Vân", "Yến"]
MIDDLE = ["Thị", "Thu", "Thanh", "Ngọc", "Minh", "Hồng", "Kim"]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ", "Đặng", "Bùi", "Hồ", "Phan", "Đỗ", "Dương"]


@dataclass
class Sizes:
    classes: int
    big_class: int
    registry: int
    pool: int

    @classmethod
    def at(cls, scale: float) -> Sizes:
        classes = max(2, round(200 * scale))
        big = max(12, round(3000 * scale))
        return cls(classes=classes, big_class=big, registry=max(round(100_000 * scale), big + classes * CLASS_SIZE),
                   pool=max(20, round(100_000 * scale)))


@dataclass
class World:
    sizes: Sizes
    accounts: dict[str, str]  # role -> e-mail
    args: dict = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)


def _org(code: str) -> Organisation:
    return db.session.scalar(select(Organisation).where(Organisation.code == code))


def _name(n: int) -> str:
    return (f"{FAMILY[n % len(FAMILY)]} {MIDDLE[n // len(FAMILY) % len(MIDDLE)]} "
            f"{GIVEN[n // (len(FAMILY) * len(MIDDLE)) % len(GIVEN)]} {n:06d}")


def build(scale: float = 1.0, progress=None, sizes: Sizes | None = None) -> World:
    """Build the world in the current app context's empty database; commits as it goes. `sizes`, when
    given, instead of the scale's."""
    say = progress or (lambda _text: None)
    sizes = sizes or Sizes.at(scale)
    timings: dict[str, float] = {}
    started = time.perf_counter()

    def lap(label: str) -> None:
        nonlocal started
        now = time.perf_counter()
        timings[label] = now - started
        started = now
        say(f"  {label}: {timings[label]:.1f} s")

    world = _base_world(sizes)
    db.session.commit()
    lap("demo and the routes' objects")
    plan = db.session.get(TrainingClass, world.args["class_id"]).plan
    classes = _more_classes(plan, sizes.classes)
    db.session.commit()
    lap(f"{sizes.classes} classes")
    person_ids = _registry(sizes.registry)
    db.session.commit()
    lap(f"registry of {sizes.registry:,} people")
    big = db.session.get(TrainingClass, world.args["class_id"])
    cursor = 0
    enrolled: dict[int, list[int]] = {}
    enrolled[big.id] = _enrol(big, person_ids[:sizes.big_class], _org("SNV").id)
    cursor = sizes.big_class
    hlhpn = _org("HLHPN").id
    for cls in classes:
        enrolled[cls.id] = _enrol(cls, person_ids[cursor:cursor + CLASS_SIZE], hlhpn)
        cursor += CLASS_SIZE
    db.session.commit()
    lap(f"enrolments ({sum(len(v) for v in enrolled.values()):,})")
    rows = _attendance(enrolled)
    db.session.commit()
    lap(f"attendance ({rows:,} rows)")
    _pool(person_ids, sizes.pool)
    db.session.commit()
    lap(f"pool ({sizes.pool:,} entries)")
    from bdgtrain.services.reporting import completions

    completions.refresh(everything=True)
    db.session.commit()
    lap("stored completions")
    issued = _certificates([big, *classes[:3]])
    db.session.commit()
    lap(f"certificates ({issued:,})")
    from bdgtrain.services.demo.feedback import answer_sample_forms

    answers = answer_sample_forms(plan, 0.3, seed=22)
    db.session.commit()
    lap(f"feedback ({answers:,} answers)")
    world.timings = timings
    return world


def _base_world(sizes: Sizes) -> World:
    """The demo plan and one object of every kind a route names (as tests/web/test_access_matrix.py's world)."""
    from bdgtrain.models import Certificate, DuplicateFlag, ExternalTraining
    from bdgtrain.security import ticket_token
    from bdgtrain.services.calendar import calendar_feeds
    from bdgtrain.services.certificates.certificates import certificate_token
    from bdgtrain.services.checkin.rooms import room_token
    from bdgtrain.services.demo.demo import load_demo
    from bdgtrain.services.feedback import feedback, trainer_links
    from bdgtrain.services.lists import lists
    from bdgtrain.services.plan_reading import drafts
    from bdgtrain.services.pool import external_training_import, pool
    from bdgtrain.services.reporting import periodic_reports
    from tests import factories as make
    from tests import list_files
    from tests.plan_files import seed_text
    from tests.training_files import row, training_xlsx

    plan = load_demo()
    users = {
        "admin": make.user("admin@test.vn", "admin"),
        "organiser": make.user("tochuc@test.vn", "organiser", _org("SLDTBXH")),
        "supplier": make.user("snv@test.vn", "supplier", _org("SNV")),
        "supplier_hlhpn": make.user("hlhpn@test.vn", "supplier", _org("HLHPN")),
        "monitor": make.user("giamsat@test.vn", "monitor", _org("HLHPN")),
    }
    lop3 = db.session.scalar(select(TrainingClass).where(TrainingClass.code == "LOP-3"))
    args = {
        "code": plan.code, "class_code": lop3.code, "class_id": lop3.id,
        "session_id": db.session.scalars(select(ClassSession.id).where(ClassSession.class_id == lop3.id)).first(),
        "trainer_id": db.session.scalars(select(Trainer.id)).first(),
        "venue_id": db.session.scalars(select(Venue.id)).first(),
        "user_id": users["organiser"].id,
    }
    upload = lists.store_upload(None, lop3, _org("SNV"), "ds.xlsx", list_files.snv_xlsx([list_files.HOA]))
    people = [Person(full_name=n, name_folded=n.lower(), name_sort_key=n.lower(), sex="F")
              for n in ("Mai Thị An", "Mai Thị Bình")]
    db.session.add_all(people)
    db.session.flush()
    enrolment = Enrolment(class_id=lop3.id, person_id=people[0].id, status="confirmed")
    flag = DuplicateFlag(person_id=people[0].id, other_person_id=people[1].id, reason="name_birth_year")
    db.session.add_all([enrolment, flag])
    db.session.flush()
    db.session.add(Nomination(enrolment_id=enrolment.id, organisation_id=_org("SNV").id))
    args.update(import_id=upload.id, enrolment_id=enrolment.id, flag_id=flag.id, shape="snv", decision="distinct")
    pool_entry = PoolEntry(person_id=people[0].id, organisation_id=_org("HT-CX").id, cycle="2016-2021",
                           cycle_starts_on=date(2016, 1, 1), cycle_ends_on=date(2021, 12, 31),
                           added_on=date(2018, 6, 1))
    db.session.add(pool_entry)
    pool_upload = pool.store_pool_upload(None, _org("HT-CX"), "2016-2021", "qh.xlsx",
                                         list_files.snv_xlsx([list_files.HOA]), date(2026, 1, 1))
    args.update(entry_id=pool_entry.id, pool_import_id=pool_upload.id)
    kept = periodic_reports.generate_report(None, plan, periodic_reports.ReportInput(
        label="Báo cáo năm", period_start=date(2019, 1, 1), period_end=date(2019, 12, 18), number="1/BC",
        place="Hà Tĩnh", issued_on=date(2019, 12, 18)))
    args.update(person_id=people[0].id, target_id=plan.targets[0].id, report_id=kept.id, year=2019, fmt="pdf")
    certificate = Certificate(enrolment_id=enrolment.id, number="HT-2019/LOP-3/000")
    db.session.add(certificate)
    db.session.flush()
    args.update(certificate_id=certificate.id, certificate_token=certificate_token(certificate))
    plan.calendar_access = "public"  # so that the public feeds answer
    feed = calendar_feeds.ensure_feed(None, "class", lop3.id)
    with db.session.no_autoflush:
        args.update(token=ticket_token(enrolment.id), kind="png", room=room_token(lop3), room_code="000000",
                    plan_code=plan.code, org_code="HT-CX")
        args["feed_token"] = calendar_feeds.feed_token(feed)
    link = trainer_links.issue_trainer_link(None, lop3, args["trainer_id"], utcnow())
    args.update(form_token=feedback.form_token(lop3), link_token=trainer_links.trainer_link_token(link))
    record = ExternalTraining(person_id=people[0].id, kind="llct", title="Trung cấp LLCT", ended_on=date(2021, 1, 1))
    db.session.add(record)
    training_import = external_training_import.store_upload(users["organiser"], "dt.xlsx", training_xlsx([row()]))
    args.update(record_id=record.id, training_import_id=training_import.id)
    draft = drafts.read_into_draft(users["organiser"], _org("SLDTBXH"), seed_text("004"), "ke-hoach.txt")
    args.update(draft_token=draft.token)
    return World(sizes=sizes, accounts={role: user.email for role, user in users.items()}, args=args)


def _more_classes(plan, count: int) -> list[TrainingClass]:
    """`count` one-day classes through planning.create_class, on weekdays of the second half of 2019."""
    from bdgtrain.services.planning import planning

    venue = db.session.scalars(select(Venue.id)).first()
    trainer = db.session.scalars(select(Trainer.id)).first()
    supplier = _org("HLHPN").id
    day, classes = date(2019, 8, 1), []
    for n in range(count):
        while day.weekday() >= 5:
            day += timedelta(days=1)
        classes.append(planning.create_class(None, plan, planning.ClassInput(
            code=f"L-{n + 1:03d}", title=f"Lớp tập huấn cấp xã số {n + 1}", date_expression=f"{day:%d/%m/%Y}",
            venue_id=venue, trainer_ids=[trainer], supplier_org_ids=[supplier])))
        if n % 2:
            day += timedelta(days=1)
    return classes


def _registry(count: int) -> list[int]:
    """`count` women in the registry, through the imports' bulk path; answers their ids."""
    communes = list(db.session.execute(select(Organisation.id, Organisation.name)
                                       .where(Organisation.kind.in_(("commune", "district")))).all())
    ids = reserve_ids(Person, count)
    now, sort_keys = utcnow(), {}
    rows = []
    for n, person_id in enumerate(ids):
        org_id, unit = communes[n % len(communes)]
        row = PersonRow(row=n + 1, full_name=_name(n), sex="F", birth_year=1965 + n % 30,
                        position="Phó Chủ tịch UBND xã", unit_name=unit, phone=f"09{n:08d}")
        rows.append(person_values(person_id, row, org_id, sort_keys, now))
    for start in range(0, len(rows), 20_000):
        insert_rows(Person.__table__, PERSON_COLUMNS, rows[start:start + 20_000])
    return ids


def _enrol(cls: TrainingClass, person_ids: list[int], supplier_id: int) -> list[int]:
    """Confirmed enrolments, each nominated by the supplier, as an applied list leaves them."""
    now = utcnow()
    ids = sorted(reserve_ids(Enrolment, len(person_ids)))
    insert_rows(Enrolment.__table__, ("id", "class_id", "person_id", "status", "created_at", "updated_at"),
                [(e, cls.id, p, "confirmed", now, now) for e, p in zip(ids, person_ids, strict=True)],
                rows_per_statement=500)
    insert_rows(Nomination.__table__, ("enrolment_id", "organisation_id", "source_row"),
                [(e, supplier_id, n + 1) for n, e in enumerate(ids)], rows_per_statement=500)
    return ids


def _attendance(enrolled: dict[int, list[int]]) -> int:
    """Every session of every class marked: nine in ten present, one in twenty late, the rest absent."""
    sessions: dict[int, list[tuple[int, datetime]]] = {}
    for session_id, class_id, starts_at in db.session.execute(select(
            ClassSession.id, ClassSession.class_id, ClassSession.starts_at)
            .where(ClassSession.class_id.in_(list(enrolled)))):
        sessions.setdefault(class_id, []).append((session_id, starts_at))
    now, rows = utcnow(), []
    for class_id, enrolment_ids in enrolled.items():
        for session_id, starts_at in sessions.get(class_id, []):
            for n, enrolment_id in enumerate(enrolment_ids):
                if n % 20 == 19:
                    continue
                late = n % 20 == 7
                rows.append((session_id, enrolment_id, "late" if late else "present",
                             starts_at + timedelta(minutes=30 if late else -5), "manual", now, now))
    for start in range(0, len(rows), 50_000):
        insert_rows(Attendance.__table__, ("session_id", "enrolment_id", "status", "checked_in_at", "source",
                                           "created_at", "updated_at"), rows[start:start + 50_000],
                    rows_per_statement=500)
    return len(rows)


def _pool(person_ids: list[int], count: int) -> None:
    """`count` pool entries of the 2016-2021 cycle over Cẩm Xuyên (HT-CX, whose report pages the crawler
    reads) and the other districts and communes; the enrolled women come first, so some are trained."""
    units = [_org("HT-CX").id] + list(db.session.scalars(select(Organisation.id).where(
        Organisation.kind.in_(("commune", "district")), Organisation.code != "HT-CX")))
    now, rows = utcnow(), []
    for n in range(count):
        person_id = person_ids[n % len(person_ids)]
        unit = units[0] if n % 4 == 0 else units[n % len(units)]
        rows.append((person_id, unit, "2016-2021", date(2016, 1, 1), date(2021, 12, 31), date(2018, 6, 1),
                     n + 1, now, now))
    for start in range(0, len(rows), 50_000):
        insert_rows(PoolEntry.__table__, ("person_id", "organisation_id", "cycle", "cycle_starts_on",
                                          "cycle_ends_on", "added_on", "source_row", "created_at", "updated_at"),
                    rows[start:start + 50_000], rows_per_statement=500)


def _certificates(classes: list[TrainingClass]) -> int:
    from bdgtrain.services.certificates import certificates

    issued = 0
    for cls in classes:
        details = certificates.CertificateDetails(
            issued_on=certificates.last_held_day(cls), place="Hà Tĩnh", signer_authority="KT. GIÁM ĐỐC",
            signer_title="PHÓ GIÁM ĐỐC", signer_name="Nguyễn Văn Bình")
        issued += len(certificates.issue_certificates(None, cls, details=details))
    return issued
