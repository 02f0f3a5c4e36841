"""Audience compliance as a table: who attended, completed, came late, never came, or did not fit."""
from __future__ import annotations

import pytest

from bdgtrain.rules.compliance import UNKNOWN_GROUP, ClassFacts, Nominee, outcome, place_of, summarise

WOMEN = ClassFacts(id=1, code="LOP-3", title="Lớp 3", cancelled=False, held=4, ended=4, percent=80, eligible_sex="F")
COMMUNES = ClassFacts(id=2, code="LOP-4", title="Lớp 4", cancelled=False, held=6, ended=6, percent=80,
                      eligible_kinds=("commune",))


def person(class_id=1, name="A", sex="F", kind="district", present=0, late=0, agencies=("SNV",), district="Cẩm Xuyên",
           enrolment_id=1):
    return Nominee(enrolment_id=enrolment_id, class_id=class_id, name=name, sex=sex, unit_kind=kind,
                   district=district, agencies=agencies, present=present, late=late)


@pytest.mark.parametrize("facts, nominee, attended, completed, late, no_show, fits", [
    (WOMEN, person(present=4), True, True, False, False, True),
    (WOMEN, person(present=3, late=1), True, True, True, False, True),           # late still counts as attended
    (WOMEN, person(present=3), True, False, False, False, True),                 # 3 of 4 < 80 %
    (WOMEN, person(), False, False, False, True, True),                           # nothing in 4 ended sessions
    (WOMEN, person(sex="M", present=4), True, True, False, False, False),        # a man in a women's class
    (WOMEN, person(sex=None, present=4), True, True, False, False, True),        # unknown sex: no warning
    (COMMUNES, person(class_id=2, kind="department", present=6), True, True, False, False, False),
    (COMMUNES, person(class_id=2, kind="commune", late=5), True, True, True, False, True),
    (COMMUNES, person(class_id=2, kind=None, present=1), True, False, False, False, True),
])
def test_outcome(facts, nominee, attended, completed, late, no_show, fits):
    result = outcome(facts, nominee)
    assert (result.attended, result.completed, result.late, result.no_show, result.fits) == (
        attended, completed, late, no_show, fits)


def test_nobody_is_a_no_show_before_any_session_has_ended_or_in_a_cancelled_class():
    upcoming = ClassFacts(id=1, code="X", title="X", cancelled=False, held=4, ended=0)
    cancelled = ClassFacts(id=1, code="X", title="X", cancelled=True, held=4, ended=4)
    assert not outcome(upcoming, person()).no_show
    assert not outcome(cancelled, person()).no_show
    assert not outcome(cancelled, person(present=4)).completed


@pytest.mark.parametrize("held, ended, cancelled, state", [
    (4, 4, False, "held"), (4, 2, False, "in_progress"), (4, 0, False, "planned"), (0, 0, False, "planned"),
    (4, 4, True, "cancelled"),
])
def test_class_state(held, ended, cancelled, state):
    assert ClassFacts(id=1, code="X", title="X", cancelled=cancelled, held=held, ended=ended).state == state


def test_summary_counts_each_agency_and_district_and_the_total_once_per_person():
    nominees = [
        person(enrolment_id=1, name="Hoa", present=4, agencies=("SNV",), district="Cẩm Xuyên"),
        person(enrolment_id=2, name="Lan", present=3, late=1, agencies=("HLHPN", "SNV"), district="Đức Thọ"),
        person(enrolment_id=3, name="Minh", sex="M", present=4, agencies=("SNV",), district="Đức Thọ"),
        person(enrolment_id=4, name="Cúc", agencies=("HLHPN",), district="Hương Sơn"),
        person(enrolment_id=5, class_id=2, name="Bình", kind="department", present=6, agencies=("HLHPN",),
               district=None),
        person(enrolment_id=6, class_id=99, name="elsewhere", present=4),  # a class not in the list: ignored
    ]
    result = summarise([WOMEN, COMMUNES], nominees)
    total = result.total
    assert (total.nominated, total.attended, total.completed, total.late, total.no_show,
            total.outside) == (5, 4, 4, 1, 1, 2)
    agencies = {t.name: (t.nominated, t.attended, t.completed, t.late, t.no_show, t.outside) for t in result.by_agency}
    assert agencies == {"HLHPN": (3, 2, 2, 1, 1, 1), "SNV": (3, 3, 3, 1, 0, 1)}
    districts = [(t.name, t.nominated, t.no_show, t.outside) for t in result.by_district]
    # Sorted without diacritics ("Đức" as "duc"), the unknown district last.
    assert districts == [("Cẩm Xuyên", 1, 0, 0), ("Đức Thọ", 2, 0, 1), ("Hương Sơn", 1, 1, 0), (UNKNOWN_GROUP, 1, 0, 1)]
    lop3 = result.classes[0]
    assert [o.nominee.name for o in lop3.outside] == ["Minh"]
    assert [o.nominee.name for o in lop3.no_shows] == ["Cúc"]
    assert lop3.tally.fit == 2 and lop3.tally.attendance_rate == 0.75
    assert [(code, o.nominee.name) for code, o in result.outside_people] == [("LOP-3", "Minh"), ("LOP-4", "Bình")]


def test_rates_are_none_without_anyone_to_divide_by():
    empty = summarise([WOMEN], [])
    assert empty.total.attendance_rate is None and empty.total.completion_rate is None and empty.total.fit_rate is None
    assert empty.by_agency == [] and empty.planned == 1 and empty.held == 0 and empty.unrecorded == 1


@pytest.mark.parametrize("name, place", [
    ("UBND tỉnh Hà Tĩnh", "Hà Tĩnh"), ("Ủy ban nhân dân thành phố Hà Nội", "Hà Nội"),
    ("Sở LĐ-TB&XH", "Sở LĐ-TB&XH"), (None, ""), ("Tỉnh", "Tỉnh"),
])
def test_place_of(name, place):
    assert place_of(name) == place


def test_a_class_whose_sessions_ended_without_any_attendance_is_not_counted_as_held():
    result = summarise([WOMEN, COMMUNES], [person(present=4)])
    assert [c.state for c in result.classes] == ["held", "unrecorded"]
    assert (result.held, result.unrecorded) == (1, 1)
    half = ClassFacts(id=3, code="X", title="X", cancelled=False, held=4, ended=2)
    assert summarise([half], []).classes[0].state == "planned"
    assert summarise([half], [person(class_id=3, present=1)]).classes[0].state == "in_progress"
