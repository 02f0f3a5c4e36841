"""A demo plan with people who came, came late, never came, or sat in a class not meant for them.

LOP-3 (women, any level; 4 sessions, 80 % = all 4):
  Hoa   F district  SNV          present 4          -> completed
  Lan   F district  SNV + HLHPN  present 3, late 1  -> completed, late
  Minh  M district  SNV          present 4          -> completed, OUTSIDE (a man)
  Cúc   F district  HLHPN        nothing            -> no-show
  Đào   F district  SNV          present 1          -> attended, not completed
  Hạnh  F           SNV          declined           -> not counted at all
LOP-4 (communes; 6 sessions, 80 % = 5):
  Bình  F "Sở Y tế" (department)  HLHPN  present 6  -> completed, OUTSIDE (level)
  Xuân  F "UBND xã Cẩm Bình"      SNV    late 5     -> completed, late
LOP-1 is cancelled; LOP-2 has nobody.
"""
from __future__ import annotations

from sqlalchemy import select

from bdgtrain.extensions import db
from bdgtrain.models import Attendance, ClassSession, Enrolment, Nomination, Organisation, Person, TrainingClass
from bdgtrain.rules.names import fold, sort_key
from bdgtrain.services.demo.demo import load_demo
from bdgtrain.services.planning import planning
from bdgtrain.services.planning.document_settings import DocumentDefaults, save_document_defaults

PEOPLE = [
    # class, name, sex, unit, district code, agencies, statuses per session (in order), enrolment status
    ("LOP-3", "Nguyễn Thị Hoa", "F", "Huyện ủy Cẩm Xuyên", "HT-CX", ("SNV",), ["present"] * 4, "confirmed"),
    ("LOP-3", "Trần Thị Lan", "F", "UBND huyện Đức Thọ", "HT-DT", ("SNV", "HLHPN"),
     ["late", "present", "present", "present"], "confirmed"),
    ("LOP-3", "Lê Văn Minh", "M", "UBND huyện Đức Thọ", "HT-DT", ("SNV",), ["present"] * 4, "nominated"),
    ("LOP-3", "Phạm Thị Cúc", "F", "Huyện ủy Hương Sơn", "HT-HS", ("HLHPN",), [], "confirmed"),
    ("LOP-3", "Võ Thị Đào", "F", "UBND huyện Cẩm Xuyên", "HT-CX", ("SNV",), ["present"], "confirmed"),
    ("LOP-3", "Đặng Thị Hạnh", "F", "UBND huyện Can Lộc", "HT-CL", ("SNV",), ["present"] * 4, "declined"),
    ("LOP-4", "Hồ Thị Bình", "F", "Sở Y tế", None, ("HLHPN",), ["present"] * 6, "confirmed"),
    ("LOP-4", "Ngô Thị Xuân", "F", "UBND xã Cẩm Bình", "HT-CX", ("SNV",), ["late"] * 5, "confirmed"),
]


def _org(code):
    return db.session.scalar(select(Organisation).where(Organisation.code == code))


def build():
    """The demo plan with the people above; returns (plan, {name: enrolment})."""
    plan = load_demo()
    classes = {c.code: c for c in db.session.scalars(select(TrainingClass).where(TrainingClass.plan_id == plan.id))}
    planning.cancel_class(None, classes["LOP-1"], "Hoãn do thay đổi lịch công tác")
    enrolments = {}
    for code, name, sex, unit, district, agencies, statuses, status in PEOPLE:
        person = Person(full_name=name, name_folded=fold(name), name_sort_key=sort_key(name), sex=sex,
                        unit_name=unit, unit_folded=fold(unit))
        db.session.add(person)
        db.session.flush()
        enrolment = Enrolment(class_id=classes[code].id, person_id=person.id, status=status,
                              body_org_id=_org(district).id if district else None)
        db.session.add(enrolment)
        db.session.flush()
        for agency in agencies:
            db.session.add(Nomination(enrolment_id=enrolment.id, organisation_id=_org(agency).id))
        sessions = db.session.scalars(select(ClassSession).where(ClassSession.class_id == classes[code].id)
                                      .order_by(ClassSession.starts_at)).all()
        for session, mark in zip(sessions, statuses):
            db.session.add(Attendance(session_id=session.id, enrolment_id=enrolment.id, status=mark,
                                      checked_in_at=session.starts_at, source="manual"))
        enrolments[name] = enrolment
    db.session.flush()
    return plan, enrolments


SIGNER = DocumentDefaults(place="Hà Tĩnh", signer_authority="KT. Giám đốc", signer_title="Phó Giám đốc",
                          signer_name="Nguyễn Văn Bình")


def save_signer(plan):
    """The organiser's saved place and signer: no certificate is issued without a signer (issue 19)."""
    save_document_defaults(None, plan.organiser_org, SIGNER)
    db.session.flush()
