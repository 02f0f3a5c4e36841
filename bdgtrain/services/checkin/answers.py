"""What a scan is answered: the result every entry point gets (CheckinResult, and its JSON for the
scanner, the kiosk and the API) and the Vietnamese sentence for each outcome."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l

from ...localtime import format_datetime, format_time
from ...rules import checkin as table

MESSAGES = {
    table.CHECKED_IN: _l("Đã điểm danh."),
    table.ALREADY: _l("Đã điểm danh trước đó."),
    table.NOT_ON_LIST: _l("Không có tên trong danh sách lớp."),
    table.WRONG_CLASS: _l("Vé này thuộc lớp khác."),
    table.OUTSIDE_WINDOW: _l("Chưa đến hoặc đã hết giờ điểm danh."),
    table.INVALID_TOKEN: _l("Mã không hợp lệ."),
    table.REVOKED: _l("Vé đã bị thu hồi (người này đã được thay hoặc không tham gia)."),
    table.CANCELLED: _l("Lớp đã bị hủy."),
    table.CONFLICT: _l("Mã lượt quét này đã được dùng cho một vé khác: lượt quét không được ghi. Hãy quét lại."),
    table.CODE_EXPIRED: _l("Mã phòng không đúng hoặc đã hết hạn: hãy quét (hoặc nhập) mã đang hiển thị trên màn hình."),
}


@dataclass
class CheckinResult:
    outcome: str
    message: str
    person_name: str | None = None
    unit: str | None = None
    class_label: str | None = None
    session_label: str | None = None
    status: str | None = None
    checked_in_at: datetime | None = None
    next_opens_at: datetime | None = None
    enrolment_id: int | None = None

    @property
    def accepted(self) -> bool:
        return self.outcome in table.ACCEPTED

    def as_json(self) -> dict:
        """What the scanner, the kiosk and the API answer; no ids, only what the person at the door needs."""
        return {
            "status": self.outcome,
            "accepted": self.accepted,
            "message": self.message,
            "name": self.person_name,
            "unit": self.unit,
            "class": self.class_label,
            "session": self.session_label,
            "attendance": self.status,
            "checked_in_at": self.checked_in_at.isoformat() if self.checked_in_at else None,
            "checked_in_at_local": format_time(self.checked_in_at) if self.checked_in_at else None,
            "next_opens_at": self.next_opens_at.isoformat() if self.next_opens_at else None,
        }


def message_for(outcome: str, *, at: datetime | None = None, next_opens_at: datetime | None = None) -> str:
    if outcome == table.ALREADY and at is not None:
        return str(_l("Đã điểm danh lúc %(time)s.", time=format_time(at)))
    if outcome == table.OUTSIDE_WINDOW:
        if next_opens_at is not None:
            return str(_l("Chưa đến giờ điểm danh: mở lúc %(when)s.", when=format_datetime(next_opens_at)))
        return str(_l("Đã hết giờ điểm danh: lớp không còn buổi nào."))
    return str(MESSAGES[outcome])
