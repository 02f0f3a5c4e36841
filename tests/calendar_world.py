"""A class with a venue, a trainer and participants (some with e-mail), for the calendar and mail tests."""
from __future__ import annotations

from bdgtrain.extensions import db
from bdgtrain.models import Enrolment, Person
from bdgtrain.rules.names import fold, sort_key
from bdgtrain.services.planning import directory
from tests import factories as make

# Characters that iCalendar must escape, and some it must carry as UTF-8 across folded lines.
TRICKY_TITLE = "Bình đẳng giới, lãnh đạo; quản lý\nkhóa 2 🎓 \\ kết thúc"
TRICKY_VENUE = "Hội trường A, tầng 3; Sở LĐ-TB&XH 🏛"
TRICKY_ADDRESS = "Số 2 Nguyễn Du,\nTP Hà Tĩnh"


def person(name: str, email: str | None = None, org=None) -> Person:
    p = Person(full_name=name, name_folded=fold(name), name_sort_key=sort_key(name), email=email,
               organisation_id=org.id if org else None, phone="0912345678")
    db.session.add(p)
    db.session.flush()
    return p


def enrol(cls, p: Person, status: str = "confirmed") -> Enrolment:
    e = Enrolment(class_id=cls.id, person_id=p.id, status=status)
    db.session.add(e)
    db.session.flush()
    return e


def build(title: str = "Lớp bình đẳng giới", date_expression: str = "15-16/7/2019", status: str = "planned"):
    """(plan, class, organiser user, [enrolments: Hoa with e-mail, Lan with e-mail, Mai phone only], trainer, unit)."""
    organiser_org = make.org("SLDTBXH", "Sở LĐ-TB&XH")
    unit = make.org("HT-CX", "Huyện Cẩm Xuyên", kind="district")
    organiser = make.user("tochuc@test.vn", "organiser", organiser_org)
    venue = directory.save_venue(None, directory.VenueInput(name=TRICKY_VENUE, address=TRICKY_ADDRESS))
    trainer = directory.save_trainer(None, directory.TrainerInput(name="Đặng Ngọc Toàn", academic_title="Tiến sĩ"))
    plan = make.plan(organiser_org, "HT-2019")
    cls = make.training_class(plan, "LOP-3", date_expression=date_expression, title=title,
                              content="Tổng quan; biện pháp, truyền thông", venue_id=venue.id,
                              trainer_ids=[trainer.id], status=status)
    people = [person("Nguyễn Thị Hoa", "hoa@example.vn", unit), person("Trần Thị Lan", "lan@example.vn"),
              person("Lê Thị Mai", None, unit)]
    enrolments = [enrol(cls, p) for p in people]
    db.session.commit()
    return plan, cls, organiser, enrolments, trainer, unit
