"""No codes in Vietnamese screens: every action the code logs has a label, and pages show labels, not codes."""
from __future__ import annotations

import ast
import re
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bdgtrain.extensions import db
from bdgtrain.models import Attendance, AuditEvent, CheckinScan
from bdgtrain.models.people import ENROLMENT_STATUSES
from bdgtrain.security import ticket_token
from bdgtrain.services.checkin import checkin
from bdgtrain.web import labels
from tests import factories as make

PACKAGE = Path(__file__).resolve().parents[2] / "bdgtrain"
# Actions built with an f-string, and what their placeholder takes: a new one must be added here.
EXPANSIONS = {
    "calendar.{}s.queued": ("update", "cancellation"),
    "lists.enrolment.{}": ENROLMENT_STATUSES,
}


class _Module:
    """One module's tree, with each node's enclosing function, to follow an action passed as a parameter."""

    def __init__(self, path: Path):
        self.path = path
        self.tree = ast.parse(path.read_text(encoding="utf-8"))
        self.function_of: dict[ast.AST, ast.FunctionDef | None] = {}
        for function in [n for n in ast.walk(self.tree) if isinstance(n, ast.FunctionDef)]:
            for node in ast.walk(function):
                self.function_of[node] = function  # inner functions come later and win

    def values(self, node: ast.AST, depth: int = 0) -> set[str]:
        """Every string `node` may hold; raises when it cannot tell (teach this test the new shape)."""
        if depth > 5:
            raise AssertionError(f"{self.path}: action passed through too many functions")
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return {node.value}
        if isinstance(node, ast.IfExp):
            return self.values(node.body, depth) | self.values(node.orelse, depth)
        if isinstance(node, ast.JoinedStr):
            pattern = "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
            assert pattern in EXPANSIONS, f"{self.path}: add {pattern!r} to EXPANSIONS"
            return {pattern.replace("{}", value) for value in EXPANSIONS[pattern]}
        if isinstance(node, ast.Name):
            function = self.function_of.get(node)
            parameters = [a.arg for a in function.args.args] if function is not None else []
            if node.id in parameters:
                return self._passed_to(function, parameters.index(node.id), node.id, depth)
            scope = function if function is not None else self.tree
            assigned = [n.value for n in ast.walk(scope) if isinstance(n, ast.Assign)
                        and any(isinstance(t, ast.Name) and t.id == node.id for t in n.targets)]
            if not assigned and function is not None:
                assigned = [n.value for n in self.tree.body if isinstance(n, ast.Assign)
                            and any(isinstance(t, ast.Name) and t.id == node.id for t in n.targets)]
            assert assigned, f"{self.path}: cannot tell what {node.id} holds"
            return set().union(*(self.values(value, depth) for value in assigned))
        raise AssertionError(f"{self.path}:{node.lineno}: cannot tell which action {ast.unparse(node)} is")

    def _passed_to(self, function: ast.FunctionDef, position: int, name: str, depth: int) -> set[str]:
        found: set[str] = set()
        for call in self.calls(function.name):
            if position < len(call.args):
                found |= self.values(call.args[position], depth + 1)
            found |= set().union(*(self.values(k.value, depth + 1) for k in call.keywords if k.arg == name))
        assert found, f"{self.path}: {function.name} is never called with its {name}"
        return found

    def calls(self, name: str):
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Call):
                func = node.func
                if (func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)) == name:
                    yield node


def _logged_actions() -> tuple[set[str], set[str]]:
    """(audit actions, access-log actions) that the code in bdgtrain/ writes."""
    audit_actions, access_actions = set(), set()
    for path in PACKAGE.rglob("*.py"):
        module = _Module(path)
        for call in module.calls("record"):
            if isinstance(call.func, ast.Attribute) and getattr(call.func.value, "id", "") == "audit":
                audit_actions |= module.values(call.args[1])
        for call in module.calls("record_access"):
            if call.args and path.name != "access_log.py":
                access_actions |= module.values(call.args[0])
    return audit_actions, access_actions


def test_every_audit_and_access_log_action_in_the_code_has_a_vietnamese_label():
    audit_actions, access_actions = _logged_actions()
    assert len(audit_actions) > 90 and len(access_actions) > 30  # the collector still finds the calls
    assert sorted(audit_actions - set(labels.AUDIT_ACTION_LABELS)) == []
    assert sorted(access_actions - set(labels.ACCESS_ACTION_LABELS)) == []


def test_collector_follows_an_action_passed_through_a_function(tmp_path):
    source = tmp_path / "m.py"
    source.write_text("def _change(actor, obj, action):\n    audit.record(actor, action, obj)\n\n"
                      "def close(a, o):\n    _change(a, o, 'plan.class.closed' if o else 'plan.class.reopened')\n"
                      "def other(a, o):\n    _change(a, o, action=f'lists.enrolment.{o}')\n")
    module = _Module(source)
    call = next(module.calls("record"))
    assert module.values(call.args[1]) == {"plan.class.closed", "plan.class.reopened",
                                           *(f"lists.enrolment.{s}" for s in ENROLMENT_STATUSES)}


@pytest.mark.parametrize("device, shown", [("web-5470cb7a", "Máy quét 5470"), ("web", "Máy quét trên trang web"),
                                           ("may-cua-so-1", "may-cua-so-1"), (None, "")])
def test_device_is_named_as_people_know_it(app, device, shown):
    with app.test_request_context():
        assert labels.label(device, "device") == shown


def test_every_enum_value_of_the_models_has_a_label(app):
    from bdgtrain.models import attendance, calendar, feedback, people, planning, pool, reporting
    from bdgtrain.models.lists import IMPORT_STATUSES
    kinds = {"enrolment": people.ENROLMENT_STATUSES, "class_status": planning.CLASS_STATUSES,
             "session_status": planning.SESSION_STATUSES, "sex": planning.SEXES,
             "attendance": attendance.ATTENDANCE_STATUSES, "source": attendance.ATTENDANCE_SOURCES,
             "scan_outcome": attendance.SCAN_OUTCOMES, "mail_kind": calendar.MAIL_KINDS,
             "mail_status": calendar.MAIL_STATUSES, "leave_reason": pool.LEAVE_REASONS,
             "receipt_kind": feedback.RECEIPT_KINDS, "feed_kind": calendar.FEED_KINDS,
             "report_kind": reporting.REPORT_KINDS, "report_status": reporting.REPORT_STATUSES,
             "import_status": IMPORT_STATUSES + pool.POOL_IMPORT_STATUSES}
    missing = [(kind, value) for kind, values in kinds.items() for value in values
               if value not in labels.LABELS_BY_KIND[kind]]
    assert missing == []


# --- the pages ---------------------------------------------------------------------------------------

@pytest.fixture
def hall(app):
    organiser_org = make.org("SLDTBXH", "Sở LĐ-TB&XH")
    make.user("tochuc@test.vn", "organiser", organiser_org)
    make.user("admin@test.vn", "admin")
    plan = make.plan(organiser_org, "KH-1")
    cls, enrolments = make.class_open_now(plan, "LOP-3", people=2)
    hoa = enrolments[0]
    hoa.status = "nominated"
    hoa.person.birth_date, hoa.person.sex = date(1986, 5, 6), "F"
    make.commit()
    return plan, cls, enrolments


def test_audit_log_names_actions_and_objects_in_vietnamese(web, hall, count_queries):
    plan, cls, _ = hall
    web.login("admin@test.vn")
    with count_queries() as counted:
        page = web.client.get("/audit/").get_data(as_text=True)
    assert "plan.class.created" not in page.replace('value="plan.class.created"', "")
    assert "TrainingClass" not in page.replace('value="TrainingClass"', "")
    assert "<td>Tạo lớp</td>" in page and "Lớp tập huấn KH-1/LOP-3" in page and "Kế hoạch KH-1" in page
    assert "Đơn vị Sở LĐ-TB&amp;XH" in page and "Tài khoản tochuc@test.vn" in page
    names_queries = [s for s in counted.statements if "UNION ALL" in s.upper()]
    assert len(names_queries) == 1  # every object of the page named at once
    # The filters are drop-downs of labelled actions and kinds, and still filter.
    assert '<option value="plan.class.created">Tạo lớp</option>' in page
    assert '<option value="TrainingClass">Lớp tập huấn</option>' in page
    only = web.client.get("/audit/?action=plan.class.created").get_data(as_text=True)
    assert only.count("<td>Tạo lớp</td>") == 1 and "<td>Tạo kế hoạch</td>" not in only


def test_audit_log_names_as_many_objects_in_as_many_queries(web, hall, count_queries):
    plan, _cls, _ = hall
    web.login("admin@test.vn")
    with count_queries() as few:
        web.client.get("/audit/")
    for n in range(6):
        make.training_class(plan, f"LOP-X{n}")
    make.commit()
    with count_queries() as many:
        page = web.client.get("/audit/").get_data(as_text=True)
    assert "Lớp tập huấn KH-1/LOP-X5" in page
    assert len(many.statements) == len(few.statements)


def test_access_log_shows_labelled_actions_and_the_persons_name(web, hall):
    plan, cls, (hoa, _) = hall
    web.login("tochuc@test.vn")
    web.client.get(f"/plans/KH-1/classes/LOP-3/roster/{hoa.id}")
    web.client.post("/logout", data={"csrf_token": web.csrf("/")})
    web.login("admin@test.vn")
    page = web.client.get("/privacy/access-log").get_data(as_text=True)
    assert "<td>Xem hồ sơ ghi danh" in page and hoa.person.full_name in page
    assert not re.search(r">[^<]*enrolment\.viewed", page)
    assert '<option value="monitoring.dashboard.viewed">Xem trang giám sát</option>' in page
    filtered = web.client.get("/privacy/access-log?action=roster.viewed").get_data(as_text=True)
    assert "<td>Xem hồ sơ ghi danh" not in filtered


def test_person_page_says_sex_dates_and_statuses_in_vietnamese(web, hall):
    _plan, _cls, (hoa, _) = hall
    web.login("admin@test.vn")
    page = web.client.get(f"/privacy/people/{hoa.person_id}").get_data(as_text=True)
    assert re.search(r"<dt>Giới tính</dt><dd>Nữ</dd>", page)
    assert "06/05/1986" in page and "1986-05-06" not in page
    assert "(Được cử)" in page and "(nominated)" not in page


def test_scans_page_names_the_device_and_the_way_of_scanning(web, hall):
    _plan, cls, (hoa, _) = hall
    checkin.perform_checkin(ticket_token(hoa.id), source="scanner", scanner_class=cls, device="web-5470cb7a")
    make.commit()
    assert db.session.scalar(select(CheckinScan.device)) == "web-5470cb7a"
    web.login("tochuc@test.vn")
    page = web.client.get("/plans/KH-1/classes/LOP-3/scans?all=1").get_data(as_text=True)
    assert "Máy quét 5470" in page and "<td>Máy quét</td>" in page
    assert "web-5470cb7a" not in page and ">scanner<" not in page


def test_audit_object_names_survive_a_deleted_object(app, hall):
    from bdgtrain.services.core import audit
    plan, cls, _ = hall
    events = list(db.session.scalars(select(AuditEvent)))
    gone = AuditEvent(actor_label="cli", action="plan.class.deleted", object_type="TrainingClass", object_id=99999)
    names = audit.object_names([*events, gone])
    assert names[("TrainingClass", cls.id)] == "KH-1/LOP-3" and ("TrainingClass", 99999) not in names
    assert names[("Plan", plan.id)] == "KH-1"


def test_personal_data_export_for_her_is_in_vietnamese_with_local_times(web, hall):
    import io

    from openpyxl import load_workbook

    from bdgtrain.localtime import format_datetime
    _plan, cls, (hoa, _) = hall
    checkin.perform_checkin(ticket_token(hoa.id), source="scanner", scanner_class=cls, device="web-5470cb7a")
    make.commit()
    web.login("admin@test.vn")
    book = load_workbook(io.BytesIO(web.client.get(f"/privacy/people/{hoa.person_id}/export.xlsx").data))
    cells = {name: list(book[name].iter_rows(values_only=True)) for name in book.sheetnames}
    person = dict(cells["Thông tin cá nhân"][1:])
    assert person["Giới tính"] == "Nữ" and person["Ngày sinh"] == "06/05/1986"
    assert re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d \(giờ Việt Nam\)", person["Ngày lập tệp"])
    assert cells["Các lớp"][0][:4] == ("Kế hoạch", "Lớp", "Tên lớp", "Trạng thái")
    assert cells["Các lớp"][1][3] == "Được cử"
    attendance = dict(zip(cells["Điểm danh"][0], cells["Điểm danh"][1]))
    arrived = db.session.scalar(select(Attendance.checked_in_at))
    assert attendance["Giờ đến"] == format_datetime(arrived)  # Asia/Ho_Chi_Minh, dd/mm/yyyy HH:MM
    assert (attendance["Điểm danh"], attendance["Cách điểm danh"]) == ("Có mặt", "Máy quét")
    assert cells["Thư đã gửi"][1][0] == "(không có)"
    text = " ".join(str(c) for rows in cells.values() for row in rows for c in row if c is not None)
    for code in ("nominated", "present", "scanner", "full_name", "occurred_at", "roster.viewed", "T0", "+00:00"):
        assert code not in text, code


def test_a_full_page_of_the_audit_log_reads_its_total_with_its_events(web, hall, count_queries):
    """A page of the log is almost always full: its events and the log's total come in one statement (the
    count a scalar subquery), not two."""
    plan, _cls, _ = hall
    for n in range(60):
        make.training_class(plan, f"LOP-Y{n:02d}")
    make.commit()
    web.login("admin@test.vn")
    total = db.session.scalar(select(func.count()).select_from(AuditEvent))
    with count_queries() as counted:
        page = web.client.get("/audit/").get_data(as_text=True)
    assert f"— {total} mục" in page and "Lớp tập huấn KH-1/LOP-Y59" in page
    assert sum("audit_events" in statement for statement in counted.statements) == 1
