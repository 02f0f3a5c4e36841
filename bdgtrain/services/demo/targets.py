"""The demo's targets and report deadlines, taken from seeds 000, 001 and 002, beside the Hà Tĩnh plan,
and a few units' 2019 headcounts so the headcount page and the periodic report show figures.

Seed 000 (Đắk Lắk's education sector, programme 2021-2030) commits to 75% of the women in the
leadership planning pool trained by 2025 and 90% by 2030, a pool 40%/50% women, and 60%/75% of
units with a woman in their key leadership; seed 001 (Sở Nội vụ's 2019 plan) to a pool at least 30%
women, at least 20% women in party committees, 30% of master's places to women and, each year, at
least 50% women among those sent to training, with a 6-month report due before 25/5 and an annual
report before 18/12; seed 002 (Hà Nội's education sector, 2020) to women holding 50% of master's and
25% of doctoral degrees, and 80% of specialised staff trained. The demo holds them against Hà Tĩnh's
units (scope: the province), counting from the Hà Tĩnh plan's first day, so the districts' shares
after Lớp 3 are judged against 75%/90%, counting training from 1/1/2019 to 31/12/2030 (seed 000's
programme); the other seeds' targets count within their own year. The headcounts are invented for
the demo (the seeds give none). Idempotent: a plan that already has targets (or deadlines) keeps its
own, and a unit's year already entered is left as it is.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from ...extensions import db
from ...models import Organisation, Plan, ReportDeadline, UnitHeadcount
from ..reporting.headcounts import HeadcountInput, save_headcount
from ..reporting.targets import TargetInput, create_target

SEED_000 = "Seed 000: Kế hoạch Sở GDĐT Đắk Lắk (Chương trình 2021-2030), mục I"
SEED_001 = "Seed 001: Kế hoạch 110/KH-SNV thực hiện công tác bình đẳng giới năm 2019, mục II"
SEED_002 = "Seed 002: Kế hoạch Ban VSTBPN ngành GDĐT Hà Nội năm 2020, mục I.2"
START = date(2019, 1, 1)
# Counting windows: seed 000's targets belong to its programme; the demo holds Hà Tĩnh to them from its
# own plan of 2019, so training from 1/1/2019 to the end of the programme counts. Seeds 001's and 002's
# are yearly.
PROGRAMME = (START, date(2030, 12, 31))
END_2019, END_2020 = date(2019, 12, 31), date(2020, 12, 31)
TARGETS = [
    ("trained_share", 75, date(2025, 12, 31), SEED_000 + ".3"),
    ("trained_share", 90, date(2030, 12, 31), SEED_000 + ".3"),
    ("women_pool_share", 30, END_2019, SEED_001 + ".1.a, chỉ tiêu 1"),
    ("women_pool_share", 40, date(2025, 12, 31), SEED_000 + ".2"),
    ("women_pool_share", 50, date(2030, 12, 31), SEED_000 + ".2"),
    ("women_leader_units", 60, date(2025, 12, 31), SEED_000 + ".1"),
    ("women_leader_units", 75, date(2030, 12, 31), SEED_000 + ".1"),
    ("women_committee_share", 20, END_2019, SEED_001 + ".1.a, chỉ tiêu 2"),
    ("women_masters_places_share", 30, END_2019, SEED_001 + ".2.a, chỉ tiêu 1"),
    ("women_sent_share", 50, END_2019, SEED_001 + ".2.a, chỉ tiêu 2 (hằng năm)"),
    ("women_masters_share", 50, END_2020, SEED_002 + ", mục tiêu 3"),
    ("women_doctorates_share", 25, END_2020, SEED_002 + ", mục tiêu 3"),
    ("specialised_trained_share", 80, END_2020, SEED_002 + ", mục tiêu 9"),
]
DEADLINES = [("Báo cáo 6 tháng", 25, 5), ("Báo cáo năm", 18, 12)]
# Invented 2019 figures of a few units (the seeds give none): staff (total, women, DTTS, DTTS women),
# sent to training (everyone, women), a woman in the key leadership, party committee (members, women),
# master's places (total, women), master's degrees, doctorates, specialised staff (total, trained).
HEADCOUNT_YEAR = 2019
HEADCOUNTS = {
    "SNV": HeadcountInput(62, 30, 2, 1, 14, True, staff_sent_to_training=25, committee_total=9, committee_women=2,
                          masters_places_total=5, masters_places_women=2, masters_total=21, masters_women=9,
                          doctorates_total=3, doctorates_women=1, specialised_total=4, specialised_trained=4),
    "HLHPN": HeadcountInput(35, 31, 1, 1, 12, True, staff_sent_to_training=13, committee_total=7, committee_women=6,
                            masters_places_total=2, masters_places_women=2, masters_total=8, masters_women=7,
                            doctorates_total=0, doctorates_women=0, specialised_total=10, specialised_trained=7),
    "HT-CL": HeadcountInput(120, 48, 0, 0, 20, False, staff_sent_to_training=45, committee_total=15,
                            committee_women=2, masters_places_total=4, masters_places_women=1, masters_total=18,
                            masters_women=6, doctorates_total=1, doctorates_women=0, specialised_total=6,
                            specialised_trained=3),
    "HT-HK": HeadcountInput(140, 61, 12, 7, 25, True, staff_sent_to_training=40, committee_total=15,
                            committee_women=3, masters_total=15, masters_women=8),
}


def load_demo_targets(plan: Plan, province: Organisation) -> None:
    if not plan.report_deadlines:
        plan.report_deadlines = [ReportDeadline(label=label, due_day=day, due_month=month)
                                 for label, day, month in DEADLINES]
        db.session.flush()
    load_demo_headcounts()
    has_targets = db.session.scalar(select(Plan.id).where(Plan.id == plan.id, Plan.targets.any()))
    if has_targets:
        return
    for measure, value, deadline, source in TARGETS:
        window = PROGRAMME if source.startswith(SEED_000) else (date(deadline.year, 1, 1), deadline)
        create_target(None, plan, TargetInput(measure=measure, value_percent=value, deadline=deadline,
                                              starts_on=START, scope_org_id=province.id, source=source,
                                              window_starts_on=window[0], window_ends_on=window[1]))


def load_demo_headcounts() -> None:
    """The invented 2019 headcounts of a few units; a unit's year already entered keeps its own."""
    entered = set(db.session.scalars(select(UnitHeadcount.organisation_id)
                                     .where(UnitHeadcount.year == HEADCOUNT_YEAR)))
    for code, data in HEADCOUNTS.items():
        org = db.session.scalar(select(Organisation).where(Organisation.code == code))
        if org is not None and org.id not in entered:
            save_headcount(None, org, HEADCOUNT_YEAR, data)
