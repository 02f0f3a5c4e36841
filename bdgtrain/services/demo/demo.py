"""The Hà Tĩnh 2019 demo (seed 004): its organisations, plan, four classes, trainer and venue.

Loading is idempotent: whatever already exists under a stable code is left as it is, so a
second run changes nothing, and an organiser's edits to the demo survive a restart.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from ...extensions import db
from ...models import Organisation, Plan, Trainer, TrainingClass, User, Venue
from ..accounts.accounts import UserInput, create_user
from ..planning import planning
from ..planning.directory import TrainerInput, VenueInput, save_trainer, save_venue
from ..planning.orgs import OrgInput, create_org, end_org
from .documents import load_demo_document_settings
from .targets import load_demo_targets

PLAN_CODE = "HT-2019"
PROVINCE = ("UBND", "UBND tỉnh Hà Tĩnh", "province")
TOP_UNITS = [
    ("SLDTBXH", "Sở Lao động - Thương binh và Xã hội (Cơ quan Thường trực Ban Vì sự tiến bộ của phụ nữ tỉnh)",
     "department"),
    ("SNV", "Sở Nội vụ", "department"),
    ("HLHPN", "Hội Liên hiệp Phụ nữ tỉnh", "union"),
]
# The 13 district-level units of 2019; the district level ended on 1/7/2025 (last day 30/6/2025).
DISTRICTS = [
    ("HT-TPHT", "Thành phố Hà Tĩnh"), ("HT-TXHL", "Thị xã Hồng Lĩnh"), ("HT-TXKA", "Thị xã Kỳ Anh"),
    ("HT-HS", "Huyện Hương Sơn"), ("HT-DT", "Huyện Đức Thọ"), ("HT-VQ", "Huyện Vũ Quang"),
    ("HT-NX", "Huyện Nghi Xuân"), ("HT-CL", "Huyện Can Lộc"), ("HT-HK", "Huyện Hương Khê"),
    ("HT-TH", "Huyện Thạch Hà"), ("HT-CX", "Huyện Cẩm Xuyên"), ("HT-KA", "Huyện Kỳ Anh"),
    ("HT-LH", "Huyện Lộc Hà"),
]
DISTRICT_LEVEL_LAST_DAY = date(2025, 6, 30)
# The 2025 reorganisation as it happened to the demo's units (docs/DEMO.md): Sở LĐ-TB&XH merged into Sở Nội
# vụ, which took over its gender-equality work on 1/3/2025; each district split among the new communes of
# 1/7/2025 (a sample of two each, directly under the province, as the arrangement made them).
DEPARTMENT_MERGER_LAST_DAY = date(2025, 2, 28)
NEW_COMMUNES_FROM = date(2025, 7, 1)
NEW_COMMUNES = {
    "HT-TPHT": ["Phường Thành Sen", "Phường Trần Phú"], "HT-TXHL": ["Phường Bắc Hồng Lĩnh", "Phường Nam Hồng Lĩnh"],
    "HT-TXKA": ["Phường Sông Trí", "Phường Hải Ninh"], "HT-HS": ["Xã Hương Sơn", "Xã Sơn Tây"],
    "HT-DT": ["Xã Đức Thọ", "Xã Đức Minh"], "HT-VQ": ["Xã Vũ Quang", "Xã Mai Hoa"],
    "HT-NX": ["Xã Nghi Xuân", "Xã Tiên Điền"], "HT-CL": ["Xã Can Lộc", "Xã Đồng Lộc"],
    "HT-HK": ["Xã Hương Khê", "Xã Phúc Trạch"], "HT-TH": ["Xã Thạch Hà", "Xã Thạch Khê"],
    "HT-CX": ["Xã Cẩm Xuyên", "Xã Thiên Cầm"], "HT-KA": ["Xã Kỳ Anh", "Xã Kỳ Xuân"],
    "HT-LH": ["Xã Lộc Hà", "Xã Mai Phụ"],
}

VENUE = VenueInput(name="Thành phố Hà Tĩnh",
                   address="Địa điểm cụ thể do Cơ quan Thường trực Ban Vì sự tiến bộ của phụ nữ tỉnh bố trí")
TRAINER = TrainerInput(name="Đặng Ngọc Toàn", academic_title="Tiến sĩ",
                       affiliation="Chuyên gia tư vấn phát triển về giới, dự án nâng cấp đô thị loại 2 của ADB")

PLAN = dict(
    number="…/KH-UBND",  # the seed does not give the plan's number
    title=("Kế hoạch tổ chức tập huấn nâng cao năng lực và hiệu quả quản lý nhà nước về bình đẳng giới "
           "và tăng cường sự tham gia của phụ nữ vào các vị trí quản lý, lãnh đạo và cơ quan dân cử"),
    funding_source=("Dự án hỗ trợ thực hiện mục tiêu quốc gia bình đẳng giới thuộc Chương trình mục tiêu Phát "
                    "triển hệ thống trợ giúp xã hội giai đoạn 2016-2020 của tỉnh Hà Tĩnh (Công văn số "
                    "607/LĐTBXH-BĐG ngày 15/02/2019 của Bộ Lao động - Thương binh và Xã hội)"),
    period_start=date(2019, 1, 1),
    period_end=date(2019, 12, 31),
    description=("Thực hiện Chương trình công tác số 08/CTr-UBQG ngày 12/03/2019 và Hướng dẫn số 09/UBQG-VP "
                 "ngày 12/3/2019 của Ủy ban quốc gia Vì sự tiến bộ phụ nữ Việt Nam."),
)

CLASSES = [
    dict(code="LOP-1", title="Lớp tập huấn 1", date_expression="10/7/2019",
         content=("Chương trình mục tiêu Quốc gia về bình đẳng giới; thông tin, giáo dục, truyền thông về bình "
                  "đẳng giới trong lĩnh vực chính trị; giải pháp góp phần đảm bảo tỷ lệ nữ tham gia cấp ủy đảng "
                  "và đại biểu HĐND các cấp."),
         audience=("Giám đốc, thủ trưởng các sở, ban, ngành, đoàn thể đơn vị cấp tỉnh. Bí thư, Chủ tịch UBND "
                   "các huyện, thành phố, thị xã."),
         eligible_org_kinds=["province", "department", "union", "district"]),
    dict(code="LOP-2", title="Lớp tập huấn 2", date_expression="11-12/7/2019",
         content=("Tổng quan về bình đẳng giới và công tác quản lý nhà nước về bình đẳng giới, lồng ghép giới "
                  "trong xây dựng các văn bản quy phạm pháp luật, các biện pháp thúc đẩy bình đẳng giới."),
         audience=("Thành viên Ban Vì sự tiến bộ của phụ nữ tỉnh; trưởng ban, phó ban, thư ký Ban Vì sự tiến "
                   "bộ của phụ nữ của các sở, ban, ngành, đoàn thể, đơn vị cấp tỉnh và các huyện, thành phố, "
                   "thị xã."),
         eligible_org_kinds=[]),
    dict(code="LOP-3", title="Lớp tập huấn 3", date_expression="15-16/7/2019",
         content=("Tổng quan về bình đẳng giới; các biện pháp thúc đẩy bình đẳng giới; thông tin, giáo dục, "
                  "truyền thông về bình đẳng giới trong lĩnh vực chính trị cho phụ nữ tham gia ứng cử."),
         audience=("Cán bộ nữ dự kiến dự nguồn tham gia cấp ủy Đảng cấp tỉnh, cấp huyện và dự kiến dự nguồn "
                   "tham gia ứng cử đại biểu HĐND cấp tỉnh và huyện nhiệm kỳ 2021-2026 của các huyện, thành "
                   "phố, thị xã."),
         eligible_sex="F", eligible_org_kinds=[], suppliers=["SNV", "HLHPN"]),
    dict(code="LOP-4", title="Lớp tập huấn 4", date_expression="17-19/7/2019",
         content=("Tổng quan về bình đẳng giới; thông tin, giáo dục, truyền thông về bình đẳng giới trong lĩnh "
                  "vực chính trị; giải pháp góp phần đảm bảo tỷ lệ nữ tham gia cấp ủy đảng các cấp và đại biểu "
                  "hội đồng nhân dân các cấp; vai trò, trách nhiệm của các cơ quan, tổ chức, gia đình và cá "
                  "nhân trong việc thực hiện và bảo đảm cho bình đẳng giới."),
         audience="Bí thư Đảng ủy, Chủ tịch UBND xã, phường, thị trấn.",
         eligible_org_kinds=["commune"]),
]

# One account per role, for trying the app; the password is printed by `make run`.
DEMO_USERS = [
    ("to-chuc@demo.local", "Cán bộ tổ chức (Sở LĐ-TB&XH)", "organiser", "SLDTBXH"),
    ("noi-vu@demo.local", "Cán bộ Sở Nội vụ", "supplier", "SNV"),
    ("phu-nu@demo.local", "Cán bộ Hội LHPN tỉnh", "supplier", "HLHPN"),
    ("giam-sat@demo.local", "Giám sát (Hội LHPN tỉnh)", "monitor", "HLHPN"),
]


def _org(code: str) -> Organisation | None:
    return db.session.scalar(select(Organisation).where(Organisation.code == code))


def _ensure_org(code: str, name: str, kind: str, parent: Organisation | None, **extra) -> Organisation:
    return _org(code) or create_org(None, OrgInput(code=code, name=name, kind=kind,
                                                   parent_id=parent.id if parent else None, **extra))


def load_demo() -> Plan:
    """Create whatever part of the demo is missing; return the plan."""
    province = _ensure_org(*PROVINCE, parent=None)
    for code, name, kind in TOP_UNITS:
        _ensure_org(code, name, kind, province)
    for code, name in DISTRICTS:
        _ensure_org(code, name, "district", province)
    _record_2025_reorganisation(province)

    venue = db.session.scalar(select(Venue).where(Venue.name == VENUE.name)) or save_venue(None, VENUE)
    trainer = (db.session.scalar(select(Trainer).where(Trainer.name == TRAINER.name))
               or save_trainer(None, TRAINER))

    plan = db.session.scalar(select(Plan).where(Plan.code == PLAN_CODE))
    if plan is None:
        plan = planning.create_plan(None, planning.PlanInput(
            code=PLAN_CODE, organiser_org_id=_org("SLDTBXH").id, issuing_org_id=province.id,
            monitor_org_ids=[_org("HLHPN").id], **PLAN))
    for spec in CLASSES:
        exists = db.session.scalar(select(TrainingClass).where(TrainingClass.plan_id == plan.id,
                                                               TrainingClass.code == spec["code"]))
        if exists is None:
            data = {k: v for k, v in spec.items() if k != "suppliers"}
            planning.create_class(None, plan, planning.ClassInput(
                venue_id=venue.id, trainer_ids=[trainer.id],
                supplier_org_ids=[_org(c).id for c in spec.get("suppliers", [])], **data))
    load_demo_targets(plan, province)
    load_demo_document_settings([code for code, _name in DISTRICTS])
    return plan


def _record_2025_reorganisation(province: Organisation) -> None:
    """End Sở LĐ-TB&XH (Sở Nội vụ succeeds it) and the districts (their new communes succeed them), once:
    a district is ended when its communes are created, so an install loaded before keeps its own edits
    until then and gets the reorganisation on its next load."""
    department = _org("SLDTBXH")
    if department.valid_to is None:
        end_org(None, department, DEPARTMENT_MERGER_LAST_DAY, [_org("SNV").id],
                note="Sắp xếp tổ chức 2025: Sở Nội vụ tiếp nhận chức năng về bình đẳng giới")
    for district_code, names in NEW_COMMUNES.items():
        created, communes = False, []
        for n, name in enumerate(names, start=1):
            code = f"{district_code}-X{n}"
            created = created or _org(code) is None
            communes.append(_ensure_org(code, name, "commune", province, valid_from=NEW_COMMUNES_FROM))
        district = _org(district_code)
        if created or district.valid_to is None:
            end_org(None, district, DISTRICT_LEVEL_LAST_DAY, [c.id for c in communes],
                    note="Kết thúc hoạt động cấp huyện từ 01/7/2025")


def ensure_demo_users(password: str) -> list[str]:
    """Create the per-role demo accounts that are missing; return the e-mails created."""
    created = []
    for email, full_name, role, org_code in DEMO_USERS:
        if db.session.scalar(select(User).where(User.email == email)) is None:
            create_user(None, UserInput(email=email, full_name=full_name, role=role,
                                        organisation_id=_org(org_code).id), password)
            created.append(email)
    return created
