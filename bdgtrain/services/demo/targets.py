"""The demo's targets and report deadlines, taken from seeds 000 and 001, beside the Hà Tĩnh plan.

Seed 000 (Đắk Lắk's education sector, programme 2021-2030) commits to 75% of the women in the
leadership planning pool trained by 2025 and 90% by 2030, a pool 40%/50% women, and 60%/75% of
units with a woman in their key leadership; seed 001 (Sở Nội vụ's 2019 plan) to at least 50% of
women staff sent to training each year and a pool at least 30% women, with a 6-month report due
before 25/5 and an annual report before 18/12. The demo holds them against Hà Tĩnh's units (scope:
the province), counting from the Hà Tĩnh plan's first day, so the districts' shares after Lớp 3 are
judged against 75%/90%, counting training from 1/1/2019 to 31/12/2030. Idempotent: a plan that already
has targets (or deadlines) keeps its own.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from ...extensions import db
from ...models import Organisation, Plan, ReportDeadline
from ..reporting.targets import TargetInput, create_target

SEED_000 = "Seed 000: Kế hoạch Sở GDĐT Đắk Lắk (Chương trình 2021-2030), mục I"
SEED_001 = "Seed 001: Kế hoạch 110/KH-SNV thực hiện công tác bình đẳng giới năm 2019, mục II"
START = date(2019, 1, 1)
# Counting windows: seed 000's targets belong to its programme; the demo holds Hà Tĩnh to them from its
# own plan of 2019, so training from 1/1/2019 to the end of the programme counts. Seed 001's are yearly.
PROGRAMME = (START, date(2030, 12, 31))
TARGETS = [
    ("trained_share", 75, date(2025, 12, 31), SEED_000 + ".3"),
    ("trained_share", 90, date(2030, 12, 31), SEED_000 + ".3"),
    ("women_pool_share", 40, date(2025, 12, 31), SEED_000 + ".2"),
    ("women_pool_share", 50, date(2030, 12, 31), SEED_000 + ".2"),
    ("women_leader_units", 60, date(2025, 12, 31), SEED_000 + ".1"),
    ("women_leader_units", 75, date(2030, 12, 31), SEED_000 + ".1"),
    ("women_staff_trained", 50, date(2019, 12, 31), SEED_001 + ".2 (chỉ tiêu 2, hằng năm)"),
]
DEADLINES = [("Báo cáo 6 tháng", 25, 5), ("Báo cáo năm", 18, 12)]


def load_demo_targets(plan: Plan, province: Organisation) -> None:
    if not plan.report_deadlines:
        plan.report_deadlines = [ReportDeadline(label=label, due_day=day, due_month=month)
                                 for label, day, month in DEADLINES]
        db.session.flush()
    has_targets = db.session.scalar(select(Plan.id).where(Plan.id == plan.id, Plan.targets.any()))
    if has_targets:
        return
    for measure, value, deadline, source in TARGETS:
        window = PROGRAMME if source.startswith(SEED_000) else (date(deadline.year, 1, 1), deadline)
        create_target(None, plan, TargetInput(measure=measure, value_percent=value, deadline=deadline,
                                              starts_on=START, scope_org_id=province.id, source=source,
                                              window_starts_on=window[0], window_ends_on=window[1]))
