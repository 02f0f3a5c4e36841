"""A class with a capacity, its two suppliers and lists to send it, for the seats and contacts tests (issue 21)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from bdgtrain.extensions import db
from bdgtrain.models import Enrolment, Organisation, Person, TrainingClass
from bdgtrain.services.lists import import_writing, lists
from bdgtrain.services.planning import planning
from tests import factories
from tests.list_files import _save

HEADER = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Chức vụ", "Đơn vị công tác", "Số điện thoại",
          "Địa chỉ thư điện tử", "Ghi chú"]

TODAY = date(2019, 7, 1)
GIVEN = ["An", "Bình", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hoa", "Hương", "Khánh", "Lan", "Linh", "Mai",
         "Nga", "Ngọc", "Nhung", "Oanh", "Phương", "Quyên", "Thảo", "Thu", "Trang", "Uyên", "Vân", "Yến"]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ", "Đặng", "Bùi"]


@dataclass
class SeatsWorld:
    organiser: Organisation
    snv: Organisation
    hlhpn: Organisation
    other: Organisation  # an agency that supplies another plan's class
    cls: TrainingClass


def build(capacity: int | None = 3) -> SeatsWorld:
    organiser = factories.org("SLDTBXH", "Sở Lao động - Thương binh và Xã hội")
    snv = factories.org("SNV", "Sở Nội vụ")
    hlhpn = factories.org("HLHPN", "Hội Liên hiệp Phụ nữ tỉnh")
    other = factories.org("SNV-NA", "Sở Nội vụ Nghệ An")
    factories.user("org@example.vn", "organiser", organiser)
    factories.user("snv@example.vn", "supplier", snv)
    factories.user("hlhpn@example.vn", "supplier", hlhpn)
    factories.user("other@example.vn", "supplier", other)
    plan = factories.plan(organiser, "KH-2019")
    cls = factories.training_class(plan, "LOP-3", capacity=capacity, supplier_org_ids=[snv.id, hlhpn.id])
    other_plan = factories.plan(organiser, "KH-NA")
    factories.training_class(other_plan, "LOP-NA", supplier_org_ids=[other.id])
    factories.commit()
    return SeatsWorld(organiser, snv, hlhpn, other, cls)


def people(count: int, start: int = 0, unit: str = "UBND huyện Hương Sơn", emails: bool = False) -> list[dict]:
    """`count` different women, the n-th with the n-th name (distinct names, years and phones)."""
    result = []
    for n in range(start, start + count):
        name = f"{FAMILY[n % len(FAMILY)]} Thị {GIVEN[n % len(GIVEN)]}"
        if n >= len(GIVEN):
            name += f" {GIVEN[n // len(GIVEN)]}"
        person = {"name": name, "born": date(1970 + n % 30, 1 + n % 12, 1 + n % 28), "unit": unit,
                  "position": "Phó Chủ tịch", "phone": f"0912{n:06d}"}
        if emails:
            person["email"] = f"nguoi{n}@hatinh.gov.vn"
        result.append(person)
    return result


def list_xlsx(rows: list[dict]) -> bytes:
    """A supplier's list with a title block, the header and an e-mail column, as openpyxl writes it."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "DS"
    sheet.append(["UBND TỈNH HÀ TĨNH"])
    sheet.append(["DANH SÁCH CÁN BỘ NỮ THAM GIA LỚP TẬP HUẤN"])
    sheet.append([])
    sheet.append(HEADER)
    for number, person in enumerate(rows, start=1):
        sheet.append([number, person["name"], person.get("born"), "Nữ", person.get("position"), person.get("unit"),
                      person.get("phone"), person.get("email"), None])
    return _save(book)


FIRST_ROW = 5  # the first person's row in list_xlsx


def plan_list(cls: TrainingClass, source: Organisation, rows: list[dict]):
    read = lists.read_upload("ds.xlsx", list_xlsx(rows), TODAY)
    return lists.plan_import(cls, source, read)


def send_list(cls: TrainingClass, source: Organisation, rows: list[dict]) -> dict:
    plan = plan_list(cls, source, rows)
    assert not plan.rejected, plan.rejected
    report = import_writing.apply_import(None, plan)
    db.session.commit()
    return report


def statuses(cls: TrainingClass) -> dict[str, str]:
    """Name -> status, for the class."""
    return dict(db.session.execute(select(Person.full_name, Enrolment.status).join(Enrolment.person)
                                   .where(Enrolment.class_id == cls.id)).all())


def waiting_names(cls: TrainingClass) -> list[str]:
    return list(db.session.scalars(select(Person.full_name).join(Enrolment.person).where(
        Enrolment.class_id == cls.id, Enrolment.status == "waiting").order_by(Enrolment.id)))


def class_input(cls: TrainingClass, **changes) -> planning.ClassInput:
    data = dict(code=cls.code, title=cls.title, date_expression=cls.date_expression, capacity=cls.capacity,
                status=cls.status, supplier_org_ids=[o.id for o in cls.supplier_orgs])
    data.update(changes)
    return planning.ClassInput(**data)


