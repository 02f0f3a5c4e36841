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
from ..planning.orgs import OrgInput, create_org
from .targets import load_demo_targets

PLAN_CODE = "HT-2019"
PROVINCE = ("UBND", "UBND tỉnh Hà Tĩnh", "province")
TOP_UNITS = [
    ("SLDTBXH", "Sở Lao động - Thương binh và Xã hội (Cơ quan Thường trực Ban Vì sự tiến bộ của phụ nữ tỉnh)",
     "department"),
    ("SNV", "Sở Nội vụ", "department"),
    ("HLHPN", "Hội Liên hiệp Phụ nữ tỉnh", "union"),
]
# The 13 district-level units of 2019; the district level ended on 1/7/2025.
DISTRICTS = [
    ("HT-TPHT", "Thành phố Hà Tĩnh"), ("HT-TXHL", "Thị xã Hồng Lĩnh"), ("HT-TXKA", "Thị xã Kỳ Anh"),
    ("HT-HS", "Huyện Hương Sơn"), ("HT-DT", "Huyện Đức Thọ"), ("HT-VQ", "Huyện Vũ Quang"),
    ("HT-NX", "Huyện Nghi Xuân"), ("HT-CL", "Huyện Can Lộc"), ("HT-HK", "Huyện Hương Khê"),
    ("HT-TH", "Huyện Thạch Hà"), ("HT-CX", "Huyện Cẩm Xuyên"), ("HT-KA", "Huyện Kỳ Anh"),
    ("HT-LH", "Huyện Lộc Hà"),
]
DISTRICT_LEVEL_LAST_DAY = date(2025, 6, 30)

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
        _ensure_org(code, name, "district", province, valid_from=None, valid_to=DISTRICT_LEVEL_LAST_DAY,
                    successor_id=province.id)

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
    return plan


def ensure_demo_users(password: str) -> list[str]:
    """Create the per-role demo accounts that are missing; return the e-mails created."""
    created = []
    for email, full_name, role, org_code in DEMO_USERS:
        if db.session.scalar(select(User).where(User.email == email)) is None:
            create_user(None, UserInput(email=email, full_name=full_name, role=role,
                                        organisation_id=_org(org_code).id), password)
            created.append(email)
    return created
