"""Closing a class held in part through its pages: the class page offers "Đóng lớp" instead of "Hủy lớp",
the confirmation lists what is cancelled and what is kept, and cancelling anyway is refused in Vietnamese."""
from __future__ import annotations

from sqlalchemy import select

from bdgtrain.extensions import db
from bdgtrain.models import AuditEvent, ClassSession, TrainingClass
from tests import factories as make
from tests.services.test_close_class import held_in_part  # noqa: F401

CLASS = "/plans/KH-DONG/classes/LOP-DONG"


def _state(cls_id: int):
    db.session.expire_all()
    cls = db.session.get(TrainingClass, cls_id)
    return cls.status, cls.closed_at, [s.status for s in cls.sessions]


def _actions() -> list[str]:
    return db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()


def test_class_page_offers_close_instead_of_cancel(held_in_part, web):  # noqa: F811
    cls, *_ = held_in_part
    web.login("tochuc@test.vn")
    page = web.client.get(CLASS).get_data(as_text=True)
    assert f'href="{CLASS}/close"' in page and f'href="{CLASS}/cancel"' not in page
    assert "Lớp đã có điểm danh nên không thể hủy" in page
    assert page.count("Đã điểm danh: không thể hủy") == 2  # the two held sessions lose their cancel button
    cancel_buttons = [f"{CLASS}/sessions/{s.id}/cancel" in page for s in cls.sessions]
    assert cancel_buttons == [False, False, True, True]  # the two still to come keep theirs


def test_cancelling_anyway_is_refused_with_what_to_do_instead(held_in_part, web):  # noqa: F811
    cls, *_ = held_in_part
    web.login("tochuc@test.vn")
    before, events = _state(cls.id), len(_actions())
    page = web.client.get(f"{CLASS}/cancel").get_data(as_text=True)
    assert "không thể hủy" in page and f'href="{CLASS}/close"' in page and 'name="reason"' not in page
    response = web.post(f"{CLASS}/cancel", {"reason": "Hết kinh phí"})  # a form left open in another tab
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Lớp đã có điểm danh nên không thể hủy" in html and "Đóng lớp" in html
    assert _state(cls.id) == before and len(_actions()) == events


def test_cancelling_a_held_session_is_refused_with_a_message(held_in_part, web):  # noqa: F811
    cls, *_ = held_in_part
    held = cls.sessions[0].id
    web.login("tochuc@test.vn")
    response = web.post(f"{CLASS}/sessions/{held}/cancel", follow_redirects=True)
    assert "Buổi học đã được điểm danh nên không thể hủy" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(ClassSession, held).status == "scheduled"


def test_close_confirmation_lists_the_sessions_then_closes(held_in_part, web):  # noqa: F811
    cls, *_ = held_in_part
    cls_id = cls.id
    web.login("tochuc@test.vn")
    page = web.client.get(f"{CLASS}/close").get_data(as_text=True)
    assert "2 buổi chưa diễn ra sẽ bị hủy" in page and "2 buổi đã diễn ra được giữ nguyên" in page
    assert "kết quả điểm danh của các buổi đó được giữ nguyên" in page
    assert _state(cls_id)[2] == ["scheduled"] * 4  # a GET changes nothing

    refused = web.post(f"{CLASS}/close", {"reason": "  "})
    assert refused.status_code == 422 and "Vui lòng ghi lý do đóng lớp" in refused.get_data(as_text=True)
    assert _state(cls_id)[2] == ["scheduled"] * 4

    done = web.post(f"{CLASS}/close", {"reason": "Giảng viên ốm dài ngày"})
    assert done.status_code == 303
    status, closed_at, statuses = _state(cls_id)
    assert (status, closed_at is not None, statuses) == ("planned", True, ["scheduled"] * 2 + ["cancelled"] * 2)
    assert "plan.class.closed" in _actions()
    page = web.client.get(CLASS).get_data(as_text=True)
    assert "Lớp đã đóng ngày" in page and "Giảng viên ốm dài ngày" in page
    assert f'href="{CLASS}/close"' not in page
    again = web.client.get(f"{CLASS}/close").get_data(as_text=True)
    assert "Lớp này đã được đóng ngày" in again and 'name="reason"' not in again


def test_another_organiser_cannot_close(held_in_part, web):  # noqa: F811
    cls, *_ = held_in_part
    make.user("khac@test.vn", "organiser", make.org("SNV", "Sở Nội vụ"))
    make.commit()
    web.login("khac@test.vn")
    assert web.client.get(f"{CLASS}/close").status_code in (403, 404)
    assert web.post(f"{CLASS}/close", {"reason": "Không phải lớp của tôi"}).status_code in (403, 404)
    assert _state(cls.id)[2] == ["scheduled"] * 4 and "plan.class.closed" not in _actions()
