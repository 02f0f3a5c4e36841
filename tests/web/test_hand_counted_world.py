"""Issue 18's "done when": a small world counted by hand gives the same figures on the report page, in the
CLI's JSON, in the periodic report and in its .xlsx, on both databases.

The world (pool cycle 2021-2026; the plan's trained-share target counts training from 1/1/2019 to
31/12/2030), as of 31/12/2024:

| person | sex | pool entries | training | counted |
|---|---|---|---|---|
| An    | F | Huyện Một and Xã Hai-A from 1/3/2021 | Lớp K1, July 2019 (before joining) | trained; once above |
| Bình  | F | Huyện Một, left on 31/12/2024 (the as-of day) | — | out of the pool |
| Chi   | F | Huyện Một, left on 30/6/2023 | completed K1 | out of the pool |
| Hùng  | M | Huyện Một | completed K1 | in the pool, not a woman |
| Dung  | F | Xã Hai-A | attended the first of K2's sessions, 2022 | untrained, part-way |
| Em    | F | Xã Hai-A | outside training ended 20/5/2022, counts | trained |
| Giang | F | Xã Hai-A | outside training ended 2022, does not count | untrained |
| Hoa   | F | Huyện Hai | every held session of K3, closed before its last one | trained |
| Lan   | F | Huyện Hai | completed K0 in 2018 (before the window) | untrained |
| Mai   | F | Xã Một-M: 2016-2021 from 1/1/2018, carried into 2021-2026 | completed K1 | trained |
| Ngọc  | F | Huyện Bốn | — | untrained |

Huyện Ba has nobody. Xã Một-M was a commune of Huyện Một until 31/12/2019 and of Huyện Hai from
1/1/2020. Huyện Bốn ends on 30/6/2025, split between Xã Bốn-A and Xã Bốn-B (from 1/7/2025, under the
province). By hand, as of 31/12/2024:
- Huyện Một: pool 2 (An, Hùng), women 1, trained 1, part-way 0 (Xã Một-M is no longer its own).
- Xã Hai-A: pool 4, women 4, trained 2 (An, Em), part-way 1 (Dung).
- Xã Một-M: pool 1, women 1, trained 1 (Mai).
- Huyện Hai (itself, Xã Hai-A, Xã Một-M): pool 7, women 7, trained 4 (An, Em, Hoa, Mai), part-way 1.
- Huyện Ba: pool 0, no figure. Huyện Bốn: pool 1, women 1, trained 0.
- Province: pool 9 (An once), women 8, trained 4: 50 %; part-way 1.
As of 31/12/2019 only Mai's 2016-2021 entry counts (the others joined in 2021), in Huyện Một: 1/1.
"""
from __future__ import annotations

import io
import json
import re
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from bdgtrain.extensions import db
from bdgtrain.models import Attendance, ClassSession, Enrolment, ExternalTraining, PeriodicReport, Person, PoolEntry
from bdgtrain.services.planning import orgs, planning
from bdgtrain.services.reporting.targets import TargetInput, create_target
from tests import factories as make

AS_OF = date(2024, 12, 31)
HAND = {  # unit code: (trained, women, pool, partial)
    "H1": (1, 1, 2, 0),
    "X2A": (2, 4, 4, 1),
    "X1M": (1, 1, 1, 0),
    "H2": (4, 7, 7, 1),
    "H3": (0, 0, 0, 0),
    "H4": (0, 1, 1, 0),
    None: (4, 8, 9, 1),
}


def _person(name, sex="F"):
    person = Person(full_name=name, name_folded=name.lower(), name_sort_key=name, sex=sex)
    db.session.add(person)
    db.session.flush()
    return person


def _entry(person, unit, added=date(2021, 3, 1), left=None, reason=None, cycle=(2021, 2026)):
    db.session.add(PoolEntry(person_id=person.id, organisation_id=unit.id, cycle=f"{cycle[0]}-{cycle[1]}",
                             cycle_starts_on=date(cycle[0], 1, 1), cycle_ends_on=date(cycle[1], 12, 31),
                             added_on=added, left_on=left, leave_reason=reason))


def _attend(cls, person, sessions: slice, status="present"):
    enrolment = Enrolment(class_id=cls.id, person_id=person.id, status="confirmed")
    db.session.add(enrolment)
    db.session.flush()
    held = db.session.scalars(select(ClassSession).where(ClassSession.class_id == cls.id)
                              .order_by(ClassSession.starts_at)).all()
    for session in held[sessions]:
        db.session.add(Attendance(session_id=session.id, enrolment_id=enrolment.id, status=status))


@pytest.fixture
def hand_world(app):
    province = make.org("P", "Tỉnh Thử", kind="province")
    organiser = make.org("SNV", "Sở Nội vụ", parent=province)
    h1 = make.org("H1", "Huyện Một", kind="district", parent=province)
    h2 = make.org("H2", "Huyện Hai", kind="district", parent=province)
    make.org("H3", "Huyện Ba", kind="district", parent=province)
    h4 = make.org("H4", "Huyện Bốn", kind="district", parent=province)
    x2a = make.org("X2A", "Xã Hai-A", kind="commune", parent=h2)
    x1m = make.org("X1M", "Xã Một-M", kind="commune", parent=h1)
    orgs.move_org(None, x1m, date(2020, 1, 1), h2.id)  # a commune moved between districts in 2020
    split = [make.org(code, name, kind="commune", parent=province, valid_from=date(2025, 7, 1))
             for code, name in (("X4A", "Xã Bốn-A"), ("X4B", "Xã Bốn-B"))]
    orgs.end_org(None, h4, date(2025, 6, 30), [c.id for c in split])  # a district split in 2025
    plan = make.plan(organiser, code="KH-BDG", period_start=date(2019, 1, 1), period_end=date(2030, 12, 31))
    create_target(None, plan, TargetInput(measure="trained_share", value_percent=75, deadline=date(2025, 12, 31),
                                          starts_on=date(2021, 1, 1), window_starts_on=date(2019, 1, 1),
                                          window_ends_on=date(2030, 12, 31)))
    k0 = make.training_class(plan, code="K0", date_expression="5/6/2018")
    k1 = make.training_class(plan, code="K1", date_expression="15-16/7/2019")
    k2 = make.training_class(plan, code="K2", date_expression="10-11/3/2022")
    k3 = make.training_class(plan, code="K3", date_expression="7-8/9/2023")
    an, binh, chi, hung = _person("An"), _person("Bình"), _person("Chi"), _person("Hùng", "M")
    dung, em, giang, hoa, lan = _person("Dung"), _person("Em"), _person("Giang"), _person("Hoa"), _person("Lan")
    mai, ngoc = _person("Mai"), _person("Ngọc")
    _entry(mai, x1m, added=date(2018, 1, 1), cycle=(2016, 2021)), _entry(mai, x1m, added=date(2021, 1, 1))
    _entry(ngoc, h4)
    _entry(an, h1), _entry(an, x2a)
    _entry(binh, h1, left=AS_OF, reason="appointed")
    _entry(chi, h1, left=date(2023, 6, 30), reason="moved")
    _entry(hung, h1)
    for person in (dung, em, giang):
        _entry(person, x2a)
    _entry(hoa, h2), _entry(lan, h2)
    for person in (an, chi, hung, mai):
        _attend(k1, person, slice(None))
    _attend(k2, dung, slice(0, 1))
    _attend(k0, lan, slice(None))
    k3_sessions = db.session.scalars(select(ClassSession).where(ClassSession.class_id == k3.id)
                                     .order_by(ClassSession.starts_at)).all()
    _attend(k3, hoa, slice(0, len(k3_sessions) - 1))
    # K3 closed before its last session: the held ones keep their credit.
    planning.close_class(None, k3, k3_sessions[-1].starts_at - timedelta(minutes=1), "Bão, dừng lớp")
    assert k3_sessions[-1].status == "cancelled" and k3.status != "cancelled"
    db.session.add_all([
        ExternalTraining(person_id=em.id, title="Bồi dưỡng QLNN", started_on=date(2022, 5, 1),
                         ended_on=date(2022, 5, 20)),
        ExternalTraining(person_id=giang.id, title="Tọa đàm", ended_on=date(2022, 8, 1),
                         counts_towards_measures=False),
    ])
    make.user("tochuc@test.vn", "organiser", organiser)
    db.session.commit()
    return plan


def _figures(row) -> tuple:
    return row["trained"], row["women"], row["pool"], row["partial"]


def _page_row(html: str, code: str) -> list[str]:
    match = re.search(rf'<tr data-unit="{code}">(.*?)</tr>', html, re.S)
    assert match, code
    return [re.sub(r"<[^>]+>|\s+", " ", cell).strip() for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>",
                                                                                 match.group(1), re.S)]


def test_the_hand_count_on_the_page_the_cli_the_periodic_report_and_its_xlsx(hand_world, runner, web):
    cli = json.loads(runner.invoke(args=["report", "trained-share", "--as-of", AS_OF.isoformat(), "--plan",
                                         "KH-BDG", "--json"]).output)
    assert cli["window"] == ["2019-01-01", "2030-12-31"]
    from_cli = {u["code"]: _figures(u) for u in cli["units"] if u["code"] in HAND}
    from_cli[None] = _figures(cli["total"])
    assert from_cli == HAND
    assert cli["total"]["trained_share"] == 0.5

    web.login("tochuc@test.vn")
    page = web.client.get(f"/reports/KH-BDG?as_of={AS_OF:%d/%m/%Y}").get_data(as_text=True)
    for code, (trained, women, pool, partial) in HAND.items():
        cells = _page_row(page, code or "total")
        # unit, trained, women, share, target, status, part-way, pool
        assert (cells[1], cells[2], cells[6], cells[7]) == (str(trained), str(women), str(partial), str(pool)), code
    assert "—" in _page_row(page, "H3")[3]  # no women: no figure, never 0 %

    response = web.post("/reports/KH-BDG/periodic/new", {
        "label": "Báo cáo năm", "organisation_id": "", "period_start": "01/01/2024", "period_end": "31/12/2024",
        "kind": "annual",
        "number": "12/BC-SNV", "place": "Hà Tĩnh", "issued_on": "05/01/2025"},
        token_page="/reports/KH-BDG/periodic/new")
    assert response.status_code == 303, response.get_data(as_text=True)
    kept = db.session.scalar(select(PeriodicReport))
    from_report = {r["code"]: _figures(r) for r in kept.figures["rows"] if r["code"] in HAND}
    from_report[None] = _figures(kept.figures["total"])
    assert from_report == HAND
    sheet = load_workbook(io.BytesIO(web.client.get(f"/reports/KH-BDG/periodic/{kept.id}.xlsx").data)).active
    lines = {str(r[0]).strip(): r for r in sheet.iter_rows(values_only=True) if r and r[0]}
    names = {"H1": "Huyện Một", "X2A": "Xã Hai-A", "X1M": "Xã Một-M", "H2": "Huyện Hai", "H3": "Huyện Ba",
             "H4": "Huyện Bốn", None: "Toàn tỉnh"}
    for code, (trained, women, pool, partial) in HAND.items():
        line = lines[names[code]]  # unit, pool, women, trained, share, target, status, part-way: numbers as numbers
        assert (line[3], line[2], line[1], line[7]) == (trained, women, pool, partial), code


def test_counted_over_2021_2026_the_training_of_2019_does_not_count(hand_world, runner):
    """Over the cycle's years (2021-2026), An's and Mai's 2019 class no longer counts."""
    out = json.loads(runner.invoke(args=["report", "trained-share", "--as-of", AS_OF.isoformat(), "--from",
                                         "2021-01-01", "--to", "2026-12-31", "--json"]).output)
    assert (out["total"]["trained"], out["total"]["women"]) == (2, 8)  # Em and Hoa


def _cli(runner, *args) -> dict:
    return json.loads(runner.invoke(args=["report", "trained-share", "--plan", "KH-BDG", "--json", *args]).output)


def test_a_later_move_never_changes_an_earlier_figure(hand_world, runner):
    """As of 31/12/2019 Xã Một-M was Huyện Một's: Mai counts there, not in Huyện Hai."""
    out = _cli(runner, "--as-of", "2019-12-31")
    units = {u["code"]: u for u in out["units"]}
    assert _figures(units["H1"])[:3] == (1, 1, 1) and _figures(units["H2"])[:3] == (0, 0, 0)
    assert _figures(out["total"])[:3] == (1, 1, 1)


def test_a_split_district_keeps_its_figure_and_folds_into_its_successors_common_parent(hand_world, runner):
    out = _cli(runner, "--as-of", "2025-12-31")
    units = {u["code"]: u for u in out["units"]}
    assert "H4" in units and _figures(units["H4"])[:3] == (0, 1, 1)  # ended, still holding Ngọc's entry
    folded = _cli(runner, "--as-of", "2025-12-31", "--fold-successors")
    assert "H4" not in {u["code"] for u in folded["units"]}
    assert _figures(folded["total"]) == _figures(out["total"])


def test_after_the_cycle_ends_nobody_is_counted(hand_world, runner):
    out = json.loads(runner.invoke(args=["report", "trained-share", "--as-of", "2027-01-01", "--plan", "KH-BDG",
                                         "--json"]).output)
    assert (out["total"]["pool"], out["total"]["women"], out["total"]["trained"]) == (0, 0, 0)
