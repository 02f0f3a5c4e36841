"""The roster as people download it, .xlsx (in the Sở Nội vụ list shape) and .csv, every cell defused,
streamed (services/core/xlsx_stream.py) so that a class of 3,000 starts downloading at once."""
from __future__ import annotations

from itertools import chain
from typing import Iterable, Iterator

from ...extensions import db
from ...localtime import format_date
from ...models import TrainingClass
from ..core.xlsx_stream import Cell, Sheet, stream_csv, stream_xlsx
from .roster import RosterFilters, RosterRow, iter_roster_rows

STATUS_WORDS = {"nominated": "Được cử", "confirmed": "Đã xác nhận", "declined": "Không tham gia",
                "replaced": "Đã thay người", "waiting": "Danh sách chờ"}
SEX_WORDS = {"F": "Nữ", "M": "Nam"}
ROSTER_HEADER = ["STT", "Họ và tên", "Giới tính", "Ngày sinh", "Dân tộc", "Chức vụ", "Đơn vị công tác",
                 "Số điện thoại", "E-mail", "Số CCCD", "Đơn vị cử", "Trạng thái", "Ghi chú"]
ROSTER_WIDTHS = (6, 28, 9, 12, 10, 22, 34, 14, 24, 14, 28, 14, 24)


def _roster_values(rows: Iterable[RosterRow]):
    for number, row in enumerate(rows, start=1):
        person, enrolment = row.enrolment.person, row.enrolment
        note = enrolment.status_note or ""
        if enrolment.status == "replaced" and enrolment.replaced_by:
            note = f"Thay bằng {enrolment.replaced_by.person.full_name}" + (f" ({note})" if note else "")
        born = format_date(person.birth_date) or (str(person.birth_year) if person.birth_year else "")
        yield [number, person.full_name, SEX_WORDS.get(person.sex, ""), born, person.ethnicity or "",
               person.position or "", person.unit_name or "",
               person.phone or "", person.email or "", person.id_number or "", ", ".join(row.agencies),
               STATUS_WORDS.get(enrolment.status, enrolment.status), note]


def roster_xlsx(cls: TrainingClass, rows: Iterable[RosterRow]) -> Iterator[bytes]:
    """The roster in the Sở Nội vụ list shape, so it can be imported again unchanged; written as `rows`
    are read. Phone and ID numbers stay text, so Excel keeps their leading zeros."""
    head = [[Cell(f"DANH SÁCH HỌC VIÊN {cls.code} — {cls.title}", bold=True)],
            [f"Kế hoạch {cls.plan.code}; thời gian: {cls.date_expression}"], [],
            [Cell(text, bold=True, wrap=True) for text in ROSTER_HEADER]]
    return stream_xlsx([Sheet("Danh sách", chain(head, _roster_values(rows)), widths=ROSTER_WIDTHS)])


def roster_csv(rows: Iterable[RosterRow]) -> Iterator[bytes]:
    """UTF-8 with a BOM, so Excel opens the Vietnamese text correctly; written as `rows` are read."""
    return stream_csv(ROSTER_HEADER, _roster_values(rows))


def roster_file(class_id: int, filters: RosterFilters, kind: str) -> Iterator[bytes]:
    """The class's filtered roster as .xlsx or .csv chunks. It loads the class itself: a streamed body
    is read after the view returned and its session closed, so the view's objects are gone."""
    cls = db.session.get(TrainingClass, class_id)
    rows = iter_roster_rows(cls, filters)
    yield from (roster_xlsx(cls, rows) if kind == "xlsx" else roster_csv(rows))
