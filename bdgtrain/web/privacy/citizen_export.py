"""The personal-data export handed to the person herself (.xlsx): in Vietnamese, whatever the admin's language.

services.privacy.person_dossier gives everything held about her as plain values (ISO times in UTC, stored
codes); that is the machine-readable export.json (docs/PRIVACY.md). This module turns the same dossier into
what a citizen reads: Vietnamese sheet names and headings, times in Asia/Ho_Chi_Minh as dd/mm/yyyy HH:MM,
dates as dd/mm/yyyy, and a label for every code ("F" is "Nữ", "roster.viewed" is "Xem danh sách học viên").
Vietnamese by design, like the other documents sent outside (tests/web/test_translations.py).
"""
from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from flask_babel import force_locale

from ...localtime import format_date, format_datetime
from ..labels import label, session_label

# One sheet per part of the dossier: its key, its name, and its columns (key, heading, how shown).
# "how": "datetime", "date", "bool", "list", "json", "object", "scope", "session", a LABELS_BY_KIND kind, or None.
PERSON_FIELDS = (
    ("full_name", "Họ và tên", None), ("sex", "Giới tính", "sex"), ("birth_date", "Ngày sinh", "date"),
    ("birth_year", "Năm sinh", None), ("ethnicity", "Dân tộc", None), ("position", "Chức vụ", None),
    ("unit_name", "Đơn vị (theo danh sách)", None), ("organisation", "Đơn vị", None),
    ("phone", "Số điện thoại", None), ("email", "E-mail", None), ("id_number", "Số CCCD/CMND", None),
    ("id", "Số hồ sơ trong danh bạ", None), ("created_at", "Ngày ghi vào danh bạ", "datetime"),
    ("erased_at", "Ngày xóa thông tin cá nhân", "datetime"),
)
SHEETS = (
    ("enrolments", "Các lớp", (
        ("plan", "Kế hoạch", None), ("class", "Lớp", None), ("class_title", "Tên lớp", None),
        ("status", "Trạng thái", "enrolment"), ("status_note", "Ghi chú", None),
        ("created_at", "Ngày ghi danh", "datetime"), ("nominated_by", "Đơn vị cử", "list"))),
    ("attendance", "Điểm danh", (
        ("class", "Lớp", None), ("session", "Buổi", "session"), ("session_starts_at", "Bắt đầu", "datetime"),
        ("status", "Điểm danh", "attendance"), ("checked_in_at", "Giờ đến", "datetime"),
        ("source", "Cách điểm danh", "source"), ("reason", "Lý do", None))),
    ("pool_entries", "Diện quy hoạch", (
        ("organisation", "Đơn vị", None), ("cycle", "Nhiệm kỳ", None), ("planned_posts", "Chức danh quy hoạch", None),
        ("added_on", "Ngày vào", "date"), ("left_on", "Ngày ra", "date"), ("leave_reason", "Lý do ra", "leave_reason"),
        ("note", "Ghi chú", None))),
    ("external_trainings", "Đào tạo ngoài hệ thống", (
        ("title", "Nội dung, tên khóa", None), ("provider", "Cơ sở đào tạo", None), ("started_on", "Từ ngày", "date"),
        ("ended_on", "Đến ngày", "date"), ("evidence", "Số chứng chỉ, quyết định", None),
        ("counts_towards_measures", "Tính vào chỉ tiêu", "bool"))),
    ("emails", "Thư đã gửi", (
        ("kind", "Loại thư", "mail_kind"), ("status", "Trạng thái", "mail_status"), ("recipient", "Người nhận", None),
        ("subject", "Tiêu đề", None), ("created_at", "Tạo lúc", "datetime"), ("sent_at", "Gửi lúc", "datetime"))),
    ("certificates", "Giấy chứng nhận", (
        ("class", "Lớp", None), ("number", "Số", None), ("issued_at", "Ngày cấp", "datetime"),
        ("revoked_at", "Ngày thu hồi", "datetime"), ("revoke_reason", "Lý do thu hồi", None))),
    ("feedback_answered", "Phiếu đã trả lời", (
        ("class", "Lớp", None), ("kind", "Loại phiếu", "receipt_kind"), ("answered_on", "Ngày trả lời", "date"))),
    ("audit_events", "Nhật ký thay đổi", (
        ("occurred_at", "Thời gian", "datetime"), ("actor", "Người thực hiện", None),
        ("action", "Hành động", "audit_action"), ("object", "Đối tượng", "object"), ("summary", "Tóm tắt", None),
        ("before", "Trước khi đổi", "json"), ("after", "Sau khi đổi", "json"))),
    ("access_log", "Nhật ký truy cập", (
        ("occurred_at", "Thời gian", "datetime"), ("actor", "Người xem", None),
        ("action", "Hành động", "access_action"), ("scope", "Phạm vi", "scope"), ("people_count", "Số người", None),
        ("detail", "Chi tiết", None))),
)
NONE = "(không có)"


def _instant(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    return datetime.fromisoformat(value) if isinstance(value, str) and value else None


def _day(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    return date.fromisoformat(value[:10]) if isinstance(value, str) and value else None


def _object(value: str | None) -> str:
    """"Enrolment #5" (type and id, as the JSON gives it) as "Học viên (số 5)"."""
    kind, _sep, number = (value or "").partition(" #")
    shown = label(kind, "object_type")
    return f"{shown} (số {number})" if number and number != "None" else shown


def _scope(value: str | None) -> str:
    """A class ("KH-1/LOP-3") as it is; "person #5" (a page about her alone) in words."""
    if value and value.startswith("person #"):
        return f"Trang về người này (số {value.removeprefix('person #')})"
    return f"Lớp {value}" if value else ""


def shown(value: Any, how: str | None) -> Any:
    """One cell as the reader sees it."""
    if value is None or value == "" or value == []:
        return ""
    if how == "datetime":
        return format_datetime(_instant(value))
    if how == "date":
        return format_date(_day(value))
    if how == "bool":
        return "Có" if value else "Không"
    if how == "list":
        return ", ".join(str(v) for v in value)
    if how == "json":
        return json.dumps(value, ensure_ascii=False)
    if how == "object":
        return _object(value)
    if how == "scope":
        return _scope(value)
    if how == "session":
        return session_label(value)
    if how is not None:
        return label(value, how)
    return value


def sheets(dossier: dict[str, Any]) -> list[tuple[str, list[str], list[list[Any]]]]:
    """The dossier as (sheet name, headings, rows), in Vietnamese; an empty part says so in its one row."""
    with force_locale("vi"):
        person = dossier["person"]
        made = ["Ngày lập tệp", f"{format_datetime(_instant(dossier['generated_at']))} (giờ Việt Nam)"]
        result = [("Thông tin cá nhân", ["Thông tin", "Nội dung"],
                   [[heading, shown(person.get(key), how)] for key, heading, how in PERSON_FIELDS] + [made])]
        for key, title, columns in SHEETS:
            rows = [[shown(row.get(name), how) for name, _heading, how in columns] for row in dossier[key]]
            result.append((title, [heading for _name, heading, _how in columns], rows or [[NONE]]))
        return result
