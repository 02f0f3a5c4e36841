"""The tour: the demo world as `make run` leaves it, and the main pages each role opens in it.

Shared by the accessibility check (tests/browser/test_accessibility_e2e.py) and the screenshots
(`make screenshots`, tests/browser/screenshots.py), so that both look at the same pages.

`build_world()` runs, inside the app context, the same commands as `make demo-activity` and `make run`
(the Hà Tĩnh 2019 plan, Lớp 3's two lists, sample attendance, the planning pool, sample feedback and
the practice class of today), except that the Women's Union's list of Lớp 3 is left waiting in its
preview (the import preview page needs one), and it adds one account per role with the test password.
It returns the values the page paths need. `TOUR` lists the pages: `TourPage.path(ids)` fills them.
"""
from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from bdgtrain.extensions import db
from tests import factories as make

ACCOUNTS = {
    "admin": "quantri@test.vn",
    "organiser": "tochuc@test.vn",
    "supplier": "snv@test.vn",
    "monitor": "giamsat@test.vn",
}
ROLE_ORGS = {"admin": None, "organiser": "SLDTBXH", "supplier": "SNV", "monitor": "HLHPN"}
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
VIEWPORTS = {"1366x900": DESKTOP, "390x844": PHONE}


@dataclass(frozen=True)
class TourPage:
    slug: str        # file name of its screenshot, and the test id
    title: str       # what the page is, in the SCREENSHOTS.md index
    role: str        # who opens it: a key of ACCOUNTS, or "anonymous"
    template: str    # path with {placeholders} filled from build_world()'s ids

    def path(self, ids: dict) -> str:
        return self.template.format(**ids)


C3 = "/plans/HT-2019/classes/LOP-3"
PRACTICE = "/plans/{practice_plan}/classes/{practice_class}"
TOUR = [
    TourPage("login", "Đăng nhập", "anonymous", "/login"),
    TourPage("ticket", "Vé của học viên (lớp thực hành)", "anonymous", "/t/{ticket}"),
    TourPage("feedback-form", "Phiếu đánh giá lớp (lớp thực hành)", "anonymous", "/f/{form}"),
    TourPage("dashboard-organiser", "Trang chủ của người tổ chức", "organiser", "/"),
    TourPage("plans", "Danh sách kế hoạch", "organiser", "/plans/"),
    TourPage("plan", "Kế hoạch HT-2019", "organiser", "/plans/HT-2019"),
    TourPage("class", "Trang lớp (Lớp 3)", "organiser", C3),
    TourPage("roster", "Danh sách học viên (Lớp 3)", "organiser", C3 + "/roster"),
    TourPage("import-preview", "Xem trước danh sách nhập (Hội LHPN, Lớp 3)", "organiser",
             "/lists/imports/{import_id}"),
    TourPage("invitations", "Giấy mời (Lớp 3)", "organiser", C3 + "/invitations"),
    TourPage("attendance", "Điểm danh (Lớp 3)", "organiser", C3 + "/attendance"),
    TourPage("scanner", "Quét mã điểm danh (lớp thực hành)", "organiser", PRACTICE + "/scanner"),
    TourPage("kiosk", "Mã phòng cho máy chiếu (lớp thực hành)", "organiser", PRACTICE + "/kiosk"),
    TourPage("live", "Theo dõi trực tiếp (lớp thực hành)", "organiser", PRACTICE + "/live"),
    TourPage("class-feedback", "Kết quả đánh giá (Lớp 3)", "organiser", C3 + "/feedback"),
    TourPage("report", "Báo cáo kế hoạch HT-2019", "organiser", "/reports/HT-2019"),
    TourPage("unit-report", "Báo cáo một đơn vị (Huyện Cẩm Xuyên)", "organiser", "/reports/HT-2019/units/HT-CX"),
    TourPage("periodic-reports", "Báo cáo định kỳ", "organiser", "/reports/HT-2019/periodic"),
    TourPage("monitoring", "Bảng giám sát (người tổ chức)", "organiser", "/monitor/HT-2019"),
    TourPage("pool", "Diện quy hoạch", "organiser", "/pool/"),
    TourPage("organisations", "Đơn vị", "organiser", "/organisations/"),
    TourPage("feedback-settings", "Cài đặt phiếu đánh giá", "organiser", "/plans/HT-2019/feedback/settings"),
    TourPage("document-settings", "Cài đặt văn bản của đơn vị", "organiser", "/organisations/SLDTBXH/documents"),
    TourPage("dashboard-supplier", "Trang chủ của đơn vị gửi danh sách", "supplier", "/"),
    TourPage("upload", "Gửi danh sách (Sở Nội vụ, Lớp 3)", "supplier", C3 + "/lists/upload"),
    TourPage("dashboard-monitor", "Trang chủ của người giám sát", "monitor", "/"),
    TourPage("monitoring-monitor", "Bảng giám sát (Hội LHPN)", "monitor", "/monitor/HT-2019"),
    TourPage("audit", "Nhật ký thao tác", "admin", "/audit/"),
    TourPage("access-log", "Nhật ký truy cập dữ liệu cá nhân", "admin", "/privacy/access-log"),
    TourPage("person", "Trang một người (dữ liệu cá nhân)", "admin", "/privacy/people/{person_id}"),
    TourPage("users", "Tài khoản", "admin", "/users/"),
]
ROLE_ORDER = ["anonymous", "organiser", "supplier", "monitor", "admin"]


def _invoke(runner, *args: str) -> str:
    result = runner.invoke(args=list(args))
    assert result.exit_code == 0, f"flask {' '.join(args)}: {result.output}{result.exception!r}"
    return result.output


def build_world(app) -> dict:
    """The demo of `make run` (see the module docstring); returns the ids the tour's paths need."""
    from bdgtrain.models import Enrolment, Organisation, Person, TrainingClass
    from bdgtrain.security import ticket_token
    from bdgtrain.services.demo.practice import PRACTICE_CLASS_CODE, PRACTICE_PLAN_CODE
    from bdgtrain.services.feedback.feedback import form_token
    from bdgtrain.services.lists import lists

    runner = app.test_cli_runner()
    with tempfile.TemporaryDirectory() as folder:
        files = Path(folder)
        _invoke(runner, "demo", "load")
        _invoke(runner, "demo", "lists", folder)
        _invoke(runner, "lists", "import", "--class", "LOP-3", "--source", "SNV", str(files / "LOP-3-SNV.xlsx"))
        _invoke(runner, "demo", "attendance")
        _invoke(runner, "demo", "pool", str(files / "pool.xlsx"))
        _invoke(runner, "pool", "import", "--cycle", "2016-2021", str(files / "pool.xlsx"))
        _invoke(runner, "demo", "carry-pool")
        _invoke(runner, "feedback", "sample", "HT-2019", "--yes")
        _invoke(runner, "demo", "practice")
        hlhpn_list = (files / "LOP-3-HLHPN.xlsx").read_bytes()

    def org(code):
        return db.session.scalar(select(Organisation).where(Organisation.code == code))

    for role, email in ACCOUNTS.items():
        make.user(email, role, org(ROLE_ORGS[role]) if ROLE_ORGS[role] else None)
    lop3 = db.session.scalar(select(TrainingClass).where(TrainingClass.code == "LOP-3"))
    waiting = lists.store_upload(None, lop3, org("HLHPN"), "LOP-3-HLHPN.xlsx", hlhpn_list)
    practice = db.session.scalar(select(TrainingClass).where(TrainingClass.code == PRACTICE_CLASS_CODE))
    first_ticket = db.session.scalars(select(Enrolment.id).where(Enrolment.class_id == practice.id)
                                      .order_by(Enrolment.id)).first()
    person_id = db.session.scalars(select(Enrolment.person_id).where(Enrolment.class_id == lop3.id)
                                   .join(Person).order_by(Enrolment.id)).first()
    ids = {"practice_plan": PRACTICE_PLAN_CODE, "practice_class": PRACTICE_CLASS_CODE,
           "ticket": ticket_token(first_ticket), "form": form_token(practice),
           "import_id": waiting.id, "person_id": person_id}
    db.session.commit()
    db.session.close()  # the server threads write (SQLite: BEGIN IMMEDIATE)
    return ids


def pages_by_role() -> list[tuple[str, list[TourPage]]]:
    """The tour grouped by role, in ROLE_ORDER: one login per role."""
    return [(role, [p for p in TOUR if p.role == role]) for role in ROLE_ORDER]
