"""Importing both agencies' lists for Lớp 3 into one roster, on both databases."""
from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import func, select

from bdgtrain.errors import DomainError
from bdgtrain.extensions import db
from bdgtrain.models import (
    AuditEvent,
    DuplicateFlag,
    Enrolment,
    ListImport,
    Nomination,
    Organisation,
    Person,
    TrainingClass,
)
from bdgtrain.services.demo.demo import load_demo
from bdgtrain.services.lists import duplicates, import_writing, lists, roster, roster_decisions, roster_files
from tests import list_files as files

TODAY = date(2019, 7, 1)
SNV_FIRST_ROW = 8  # list_files.snv_xlsx: four title lines, a blank, the header, the (1)(2)... row


@pytest.fixture
def lop3(app):
    load_demo()
    db.session.commit()
    return db.session.scalar(select(TrainingClass).where(TrainingClass.code == "LOP-3"))


def org(code):
    return db.session.scalar(select(Organisation).where(Organisation.code == code))


def run_import(cls, source_code, data, filename="ds.xlsx"):
    read = lists.read_upload(filename, data, TODAY)
    plan = lists.plan_import(cls, org(source_code), read)
    report = import_writing.apply_import(None, plan) if not plan.rejected else plan.as_report(False)
    db.session.commit()
    return report


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_two_agencies_lists_become_one_roster_with_the_overlap_merged(lop3):
    first = run_import(lop3, "SNV", files.snv_xlsx(files.SNV_LOP3))
    assert (first["rows"], first["added"], first["matched"], first["merged"]) == (4, 4, 0, 0)
    second = run_import(lop3, "HLHPN", files.hlhpn_xlsx(files.HLHPN_LOP3), "hoi-phu-nu.xlsx")
    assert (second["rows"], second["added"], second["merged"], second["rejected"]) == (3, 1, 2, [])
    assert count(Person) == 5 and count(Enrolment) == 5
    agencies = {e.person.full_name: sorted(n.organisation.code for n in e.nominations)
                for e in db.session.scalars(select(Enrolment))}
    assert agencies == {"Nguyễn Thị Hoa": ["HLHPN", "SNV"], "Trần Thị Lan": ["HLHPN", "SNV"],
                        "Lê Thị Mai": ["SNV"], "Đặng Thị Đào": ["SNV"], "Phạm Thị Thu": ["HLHPN"]}


def test_importing_the_same_file_twice_changes_nothing(lop3):
    data = files.snv_xlsx(files.SNV_LOP3)
    run_import(lop3, "SNV", data)
    before = (count(Person), count(Enrolment), count(Nomination))
    again = run_import(lop3, "SNV", data)
    assert (again["added"], again["matched"], again["merged"], again["unchanged"]) == (0, 0, 0, 4)
    assert (count(Person), count(Enrolment), count(Nomination)) == before


def test_a_file_with_bad_rows_is_refused_whole_with_every_row_reported(lop3):
    bad = [dict(files.HOA), {"name": "", "born": date(1990, 1, 1), "unit": "Xã A", "phone": "0901000009"},
           {"name": "Võ Thị Bé", "born": "31/02/1980", "unit": "Xã B"},
           {"name": "Hồ Thị Cúc", "born": 2031, "unit": "Xã C"},
           {"name": "Lý Thị Dung", "born": 1980, "sex": "X", "unit": "Xã D"},
           {"name": "Ngô Thị Én", "born": 1980, "phone": "12345", "unit": "Xã E"}]
    report = run_import(lop3, "SNV", files.snv_xlsx(bad))
    assert report["written"] is False
    rows = sorted({problem["row"] for problem in report["rejected"]})
    assert rows == [9, 10, 11, 12, 13]  # title block (5 rows), header on 6, (1)(2)… on 7, people from 8
    columns = {problem["row"]: problem["column"] for problem in report["rejected"]}
    assert columns[9] == "Họ và tên" and columns[10] == "Ngày sinh" and columns[11] == "Ngày sinh"
    assert columns[12] == "Giới tính" and columns[13] == "Số điện thoại"
    assert count(Person) == 0 and count(Enrolment) == 0


def test_apply_refuses_a_plan_with_rejected_rows(lop3):
    read = lists.read_upload("x.xlsx", files.snv_xlsx([{"name": "", "born": 1980, "phone": "0901000009"}]), TODAY)
    with pytest.raises(DomainError) as refused:
        import_writing.apply_import(None, lists.plan_import(lop3, org("SNV"), read))
    assert refused.value.code == "lists.rows_rejected"


def test_same_name_and_year_in_another_unit_is_flagged_not_merged(lop3):
    run_import(lop3, "SNV", files.snv_xlsx([files.MAI]))
    namesake = {"name": "Lê Thị Mai", "born": 1985, "unit": "UBND xã Thạch Hạ"}
    report = run_import(lop3, "HLHPN", files.snv_xlsx([namesake]))
    assert [f["name"] for f in report["flagged"]] == ["Lê Thị Mai"]
    assert report["flagged"][0]["like"] == "Lê Thị Mai"
    assert count(Person) == 2
    flag = db.session.scalar(select(DuplicateFlag))
    assert flag.status == "open"


def test_merging_a_flagged_pair_keeps_one_person_with_both_nominations(lop3):
    run_import(lop3, "SNV", files.snv_xlsx([files.MAI]))
    run_import(lop3, "HLHPN", files.snv_xlsx([{"name": "Lê Thị Mai", "born": 1985, "unit": "Huyện ủy Can Lộc",
                                                "phone": None, "position": "Phó Bí thư"}]))
    flag = db.session.scalar(select(DuplicateFlag))
    # the unit is the same here, so she was matched, not flagged
    assert flag is None and count(Person) == 1
    run_import(lop3, "HLHPN", files.snv_xlsx([{"name": "Lê Thị Mai", "born": 1985, "unit": "Xã Thạch Hạ"}]))
    flag = db.session.scalar(select(DuplicateFlag))
    kept = duplicates.merge_people(None, flag)
    db.session.commit()
    assert count(Person) == 1 and count(Enrolment) == 1
    enrolment = db.session.scalar(select(Enrolment))
    assert enrolment.person_id == kept.id
    assert sorted(n.organisation.code for n in enrolment.nominations) == ["HLHPN", "SNV"]
    assert db.session.scalar(select(AuditEvent.action).order_by(AuditEvent.id.desc())) == "lists.person.merged"


def test_merging_moves_everything_that_named_the_merged_entry_to_the_kept_one(lop3):
    """Between the import that flagged her and the organiser's decision, the newer entry may have gained a
    pool entry, training outside the system, a personal calendar and access-log rows: all of them move to
    the person kept (before, deleting the entry failed on its foreign keys and the page answered 500)."""
    from bdgtrain.models import CalendarFeed, ExternalTraining, PersonalDataAccess, PoolEntry
    from bdgtrain.services.privacy import access_log

    run_import(lop3, "SNV", files.snv_xlsx([files.MAI]))
    run_import(lop3, "HLHPN", files.snv_xlsx([{"name": "Lê Thị Mai", "born": 1985, "unit": "Xã Thạch Hạ"}]))
    flag = db.session.scalar(select(DuplicateFlag))
    keep_id, gone_id = flag.person_id, flag.other_person_id
    db.session.add_all([
        PoolEntry(person_id=gone_id, organisation_id=org("HT-CX").id, cycle="2020-2025", added_on=date(2020, 1, 1),
                  cycle_starts_on=date(2020, 1, 1), cycle_ends_on=date(2025, 12, 31)),
        ExternalTraining(person_id=gone_id, title="Bồi dưỡng bình đẳng giới", ended_on=date(2019, 3, 1)),
        CalendarFeed(kind="person", person_id=gone_id),
    ])
    access_log.record_access("person.viewed", actor=None, person=db.session.get(Person, gone_id))
    access_log.record_access("pool.untrained.viewed", actor=None, people=[gone_id, keep_id], people_count=2)
    access_log.record_access("person.searched", actor=None, people=[gone_id], people_count=1)
    db.session.commit()
    duplicates.merge_people(None, flag)
    db.session.commit()
    assert db.session.get(Person, gone_id) is None
    for model in (PoolEntry, ExternalTraining, CalendarFeed):
        assert set(db.session.scalars(select(model.person_id))) == {keep_id}, model
    seen = sorted(a.action for a in access_log.accesses_about(db.session.get(Person, keep_id)))
    assert seen == ["person.searched", "person.viewed", "pool.untrained.viewed"]
    assert count(PersonalDataAccess) == 3


def test_merging_twin_enrolments_keeps_the_scans_and_replacements_that_named_the_dropped_one(lop3):
    """Both entries nominated to the same class: the newer one's enrolment goes, but a refused scan of her
    card (before the session opened) and a replacement pointing at her enrolment stay, on the one kept."""
    from bdgtrain.models import CheckinScan
    from bdgtrain.models.base import utcnow

    run_import(lop3, "SNV", files.snv_xlsx([files.MAI]))
    run_import(lop3, "HLHPN", files.snv_xlsx([{"name": "Lê Thị Mai", "born": 1985, "unit": "Xã Thạch Hạ"}]))
    flag = db.session.scalar(select(DuplicateFlag))
    kept_enrolment, twin = (db.session.scalar(select(Enrolment).where(Enrolment.person_id == p))
                            for p in (flag.person_id, flag.other_person_id))
    someone = Person(full_name="Hồ Thị Vân", name_folded="ho thi van", name_sort_key="van")
    db.session.add(someone)
    db.session.flush()
    replaced = Enrolment(class_id=lop3.id, person_id=someone.id, status="replaced", replaced_by_id=twin.id)
    db.session.add_all([replaced, CheckinScan(scanned_at=utcnow(), outcome="outside_window", source="scanner",
                                              class_id=lop3.id, enrolment_id=twin.id)])
    db.session.commit()
    duplicates.merge_people(None, flag)
    db.session.commit()
    assert db.session.get(Enrolment, twin.id) is None
    assert db.session.scalar(select(CheckinScan.enrolment_id)) == kept_enrolment.id
    assert db.session.get(Enrolment, replaced.id).replaced_by_id == kept_enrolment.id


def test_a_flagged_pair_can_be_marked_as_two_people(lop3):
    run_import(lop3, "SNV", files.snv_xlsx([files.MAI]))
    run_import(lop3, "HLHPN", files.snv_xlsx([{"name": "Lê Thị Mai", "born": 1985, "unit": "Xã Thạch Hạ"}]))
    flag = db.session.scalar(select(DuplicateFlag))
    duplicates.mark_distinct(None, flag)
    db.session.commit()
    assert flag.status == "distinct" and count(Person) == 2


def test_list_over_its_body_quota_is_flagged_before_confirmation(lop3):
    roster_decisions.set_quota(None, lop3, org("HT-CX").id, 0)
    read = lists.read_upload("x.xlsx", files.snv_xlsx([files.HOA]), TODAY)
    plan = lists.plan_import(lop3, org("SNV"), read)
    assert plan.quota_warnings == ["Huyện Cẩm Xuyên: 1 người, vượt số suất được phân bổ (0 suất)."]
    import_writing.apply_import(None, plan)
    lines = {line.organisation.code: (line.seats, line.filled, line.over) for line in roster.seat_lines(lop3)}
    assert lines["HT-CX"] == (0, 1, True)


def test_roster_is_sorted_the_vietnamese_way_and_searchable_without_diacritics(lop3):
    run_import(lop3, "SNV", files.snv_xlsx(files.SNV_LOP3))
    names = [e.person.full_name for e in db.session.scalars(roster.roster_query(lop3, roster.RosterFilters())).unique()]
    assert names == ["Đặng Thị Đào", "Nguyễn Thị Hoa", "Trần Thị Lan", "Lê Thị Mai"]
    found = db.session.scalars(roster.roster_query(lop3, roster.RosterFilters(q="dang"))).unique().all()
    assert [e.person.full_name for e in found] == ["Đặng Thị Đào"]
    found = db.session.scalars(roster.roster_query(lop3, roster.RosterFilters(q="nguyen thi hoa"))).unique().all()
    assert [e.person.full_name for e in found] == ["Nguyễn Thị Hoa"]


def test_a_man_in_a_class_for_women_is_warned_on_the_roster(lop3):
    run_import(lop3, "SNV", files.snv_xlsx([{"name": "Hồ Văn Nam", "born": 1980, "sex": "Nam", "unit": "Sở Nội vụ",
                                              "phone": "0901000008"}]))
    rows = roster.roster_rows(lop3,
                              db.session.scalars(roster.roster_query(lop3, roster.RosterFilters())).unique().all())
    assert rows[0].warnings == ["Lớp dành cho nữ, người này là nam."]


def test_replacing_a_nominee_keeps_who_replaced_whom(lop3):
    run_import(lop3, "SNV", files.snv_xlsx([files.HOA, files.MAI]))
    hoa, mai = (db.session.scalar(select(Enrolment).join(Person).where(Person.full_name == name))
                for name in ("Nguyễn Thị Hoa", "Lê Thị Mai"))
    roster_decisions.replace_enrolment(None, hoa, mai, "Bận công tác")
    db.session.commit()
    assert (hoa.status, hoa.replaced_by_id, hoa.status_note) == ("replaced", mai.id, "Bận công tác")
    with pytest.raises(DomainError):
        roster_decisions.set_enrolment_status(None, hoa, "confirmed")


def test_confirming_the_roster_confirms_only_the_nominated(lop3):
    run_import(lop3, "SNV", files.snv_xlsx(files.SNV_LOP3))
    first = db.session.scalars(select(Enrolment).order_by(Enrolment.id)).first()
    roster_decisions.set_enrolment_status(None, first, "declined", "Ốm")
    assert roster_decisions.confirm_nominated(None, lop3) == 3
    assert roster.status_counts(lop3) == {"declined": 1, "confirmed": 3}


def test_round_trip_import_roster_export_import_changes_nothing(lop3):
    run_import(lop3, "SNV", files.snv_xlsx(files.SNV_LOP3))
    rows = roster.roster_rows(lop3,
                              db.session.scalars(roster.roster_query(lop3, roster.RosterFilters())).unique().all())
    exported = b"".join(roster_files.roster_xlsx(lop3, rows))
    before = [(p.full_name, p.birth_date, p.phone, p.id_number, p.unit_name)
              for p in db.session.scalars(select(Person).order_by(Person.id))]
    again = run_import(lop3, "SNV", exported, "roster.xlsx")
    assert again["rejected"] == [] and (again["added"], again["unchanged"]) == (0, 4)
    after = [(p.full_name, p.birth_date, p.phone, p.id_number, p.unit_name)
             for p in db.session.scalars(select(Person).order_by(Person.id))]
    assert after == before


def test_csv_export_defuses_formulas_and_opens_in_excel(lop3):
    hostile = ("STT;Họ và tên;Năm sinh;Đơn vị công tác;Số điện thoại\r\n"
               "1;\"=HYPERLINK(\"\"http://x\"\")\";1980;@SUM(A1);0901000007\r\n")
    report = run_import(lop3, "SNV", hostile.encode("utf-8"), "hostile.csv")
    assert report["rejected"] == [] and report["added"] == 1
    rows = roster.roster_rows(lop3,
                              db.session.scalars(roster.roster_query(lop3, roster.RosterFilters())).unique().all())
    text = b"".join(roster_files.roster_csv(rows)).decode("utf-8")
    assert text.startswith("\ufeffSTT,")
    assert "'@SUM(A1)" in text and ",=" not in text


def test_supplier_not_assigned_to_the_class_is_refused(lop3):
    lop1 = db.session.scalar(select(TrainingClass).where(TrainingClass.code == "LOP-1"))
    with pytest.raises(DomainError) as refused:
        lists.check_can_supply(lop1, org("SNV"))
    assert refused.value.code == "lists.not_a_supplier"


def test_cli_import_prints_json_and_exits_nonzero_on_rejected_rows(lop3, runner, tmp_path):
    good = tmp_path / "snv.xlsx"
    good.write_bytes(files.snv_xlsx(files.SNV_LOP3))
    result = runner.invoke(args=["lists", "import", "--class", "LOP-3", "--source", "SNV", str(good), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert {k: report[k] for k in ("rows", "added", "matched", "merged", "flagged", "rejected", "written")} == {
        "rows": 4, "added": 4, "matched": 0, "merged": 0, "flagged": [], "rejected": [], "written": True}
    other = tmp_path / "hlhpn.xlsx"
    other.write_bytes(files.hlhpn_xlsx(files.HLHPN_LOP3))
    result = runner.invoke(args=["lists", "import", "--class", "LOP-3", "--source", "HLHPN", str(other), "--json",
                                 "--dry-run"])
    report = json.loads(result.output)
    assert (report["merged"], report["added"], report["written"]) == (2, 1, False)
    assert count(Person) == 4
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(files.snv_xlsx([{"name": "", "born": 1980, "phone": "0901000009"}]))
    result = runner.invoke(args=["lists", "import", "--class", "LOP-3", "--source", "SNV", str(bad), "--json"])
    assert result.exit_code == 1
    problem = json.loads(result.output)["rejected"][0]
    assert (problem["row"], problem["column"]) == (8, "Họ và tên") and "họ và tên" in problem["message"].lower()
    not_a_list = tmp_path / "ghi-chu.xlsx"
    not_a_list.write_bytes(b"this is not a spreadsheet")
    result = runner.invoke(args=["lists", "import", "--class", "LOP-3", "--source", "SNV", str(not_a_list), "--json"])
    assert result.exit_code == 2 and json.loads(result.output)["error"]["code"].startswith("file.")
    assert count(Person) == 4


def test_upload_is_kept_until_submitted_and_discard_keeps_nothing(lop3):
    data = files.snv_xlsx(files.SNV_LOP3)  # built once: an .xlsx records the second it was written
    upload = lists.store_upload(None, lop3, org("SNV"), "ds.xlsx", data)
    assert count(Person) == 0
    lists.submit_import(None, upload, TODAY)
    assert upload.status == "submitted" and count(Enrolment) == 4
    with pytest.raises(DomainError):
        lists.submit_import(None, upload, TODAY)
    other = lists.store_upload(None, lop3, org("SNV"), "ds.xlsx", data)
    assert lists.previous_submission(other) == upload
    lists.discard_import(None, other)
    assert other.content is None and other.status == "discarded"
    assert count(ListImport) == 2


def test_a_known_person_gets_her_empty_fields_filled_never_overwritten(lop3):
    run_import(lop3, "HLHPN", files.hlhpn_xlsx([files.THU, dict(files.THU, phone="0901000005")]))  # no unit, no ID
    again = dict(files.THU, born=date(1979, 4, 2), unit="Huyện ủy Lộc Hà", position="Phó Trưởng ban",
                 ethnicity="Tày", id="042179000003")
    second = dict(files.THU, phone="0901000005", born=1979, unit="Xã C", id="042190000004")
    report = run_import(lop3, "SNV", files.snv_xlsx([again, second]))
    assert (report["added"], report["merged"], report["rejected"]) == (0, 2, [])
    thu = db.session.scalars(select(Person).where(Person.phone == "0901000003")).one()
    assert (thu.birth_date, thu.unit_name, thu.unit_folded, thu.id_number) == \
           (date(1979, 4, 2), "Huyện ủy Lộc Hà", "huyen uy loc ha", "042179000003")
    assert (thu.ethnicity, thu.position) == ("Kinh", files.THU["position_unit"])  # known already: kept
    other = db.session.scalars(select(Person).where(Person.phone == "0901000005")).one()
    assert (other.id_number, other.unit_name) == ("042190000004", "Xã C")


def test_filling_keeps_a_value_stored_after_the_registry_was_read(lop3):
    run_import(lop3, "HLHPN", files.hlhpn_xlsx([files.THU]))  # no unit, no ID number
    thu = db.session.scalars(select(Person).where(Person.phone == files.THU["phone"])).one()
    plan = lists.plan_upload(lop3, org("SNV"), "ds.xlsx", files.snv_xlsx(
        [dict(files.THU, born=date(1979, 4, 2), unit="Huyện ủy Lộc Hà", id="042179000003")]), TODAY)
    assert plan.blank_fields[thu.id]  # her unit and ID number were empty when the plan was made
    # Someone else writes her unit between the plan and the write (PostgreSQL runs them concurrently).
    db.session.execute(Person.__table__.update().where(Person.id == thu.id)
                       .values(unit_name="Xã Thạch Hà", unit_folded="xa thach ha"))
    import_writing.apply_import(None, plan)
    db.session.commit()
    db.session.refresh(thu)
    assert (thu.unit_name, thu.unit_folded) == ("Xã Thạch Hà", "xa thach ha")  # not overwritten
    assert (thu.id_number, thu.birth_date) == ("042179000003", date(1979, 4, 2))  # still empty then: filled


def _two_known_women_without_id_numbers(lop3):
    run_import(lop3, "HLHPN", files.hlhpn_xlsx([files.THU, dict(files.THU, name="Lê Thị Hằng", phone="0901000005")]))
    return dict(files.THU, id="042190000004"), dict(files.THU, name="Lê Thị Hằng", phone="0901000005",
                                                     id="042190000004")


def test_one_new_id_number_for_two_known_people_is_a_bad_row_and_nothing_is_written(lop3):
    thu, hang = _two_known_women_without_id_numbers(lop3)
    before = count(Enrolment), count(Person)
    report = run_import(lop3, "SNV", files.snv_xlsx([thu, hang]))
    assert report["written"] is False and report["rows"] == 2
    [problem] = report["rejected"]
    assert problem["row"] == SNV_FIRST_ROW + 1 and "CCCD" in problem["column"]
    assert "042190000004" in problem["message"] and f"dòng {SNV_FIRST_ROW}" in problem["message"]
    assert (count(Enrolment), count(Person)) == before
    assert db.session.scalar(select(func.count()).select_from(Person).where(Person.id_number.is_not(None))) == 0
    with pytest.raises(DomainError):
        import_writing.apply_import(None, lists.plan_import(lop3, org("SNV"), lists.read_upload(
            "ds.xlsx", files.snv_xlsx([thu, hang]), TODAY)))


def test_a_newcomer_with_the_id_number_given_to_a_known_person_is_a_bad_row(lop3):
    thu, _hang = _two_known_women_without_id_numbers(lop3)
    newcomer = {"name": "Võ Thị Bé", "born": 1990, "unit": "Xã B", "phone": "0901000006", "id": "042190000004"}
    report = run_import(lop3, "SNV", files.snv_xlsx([thu, newcomer]))
    assert [p["row"] for p in report["rejected"]] == [SNV_FIRST_ROW + 1]


def test_the_same_person_twice_with_her_new_id_number_is_not_a_conflict(lop3):
    thu, _hang = _two_known_women_without_id_numbers(lop3)
    report = run_import(lop3, "SNV", files.snv_xlsx([thu, dict(thu)]))
    assert report["rejected"] == [] and report["written"] is True
    assert db.session.scalars(select(Person.id_number).where(Person.phone == files.THU["phone"])).one() == \
        "042190000004"


def test_two_known_people_sharing_a_phone_match_the_earliest_on_both_databases(app):
    from bdgtrain.models import Person
    from bdgtrain.rules.matching import Identity
    from bdgtrain.services.lists.registry import load_registry

    first = Person(full_name="Lê Thị Mai", name_folded="le thi mai", name_sort_key="mai", phone="0912000001")
    second = Person(full_name="Lê Thị Mai", name_folded="le thi mai", name_sort_key="mai", phone="0912000001")
    db.session.add_all([first, second])
    db.session.flush()
    first.position = "Chủ tịch"  # on PostgreSQL the updated row moves to the end of the table's pages
    db.session.flush()
    registry = load_registry()
    found = registry.match(Identity(("row", 9), "le thi mai", None, None, "0912000001", None, None))
    assert (found.outcome, found.key) == ("same", first.id)


def test_plan_upload_plans_what_reading_then_planning_plans(lop3):
    run_import(lop3, "SNV", files.snv_xlsx(files.SNV_LOP3))
    data = files.hlhpn_xlsx(files.HLHPN_LOP3)
    apart = lists.plan_import(lop3, org("HLHPN"), lists.read_upload("hoi-phu-nu.xlsx", data, TODAY))
    together = lists.plan_upload(lop3, org("HLHPN"), "hoi-phu-nu.xlsx", data, TODAY)
    assert together.as_report(False) == apart.as_report(False)
    assert [(p.row.row, p.outcome, p.person_id, p.same_as_row, p.body_org_id) for p in together.rows] == \
           [(p.row.row, p.outcome, p.person_id, p.same_as_row, p.body_org_id) for p in apart.rows]
    assert together.counts["merged"] == 2


def test_plan_upload_refuses_an_unreadable_file_as_reading_does_and_leaves_the_collector_on(lop3):
    import gc

    with pytest.raises(DomainError) as refused:
        lists.plan_upload(lop3, org("SNV"), "ds.xlsx", b"PK\x03\x04 not really a workbook", TODAY)
    with pytest.raises(DomainError) as by_reading:
        lists.read_upload("ds.xlsx", b"PK\x03\x04 not really a workbook", TODAY)
    assert (refused.value.code, refused.value.field) == (by_reading.value.code, "file")
    assert gc.isenabled()


def test_a_kept_preview_reads_back_as_the_plan_it_stored(lop3):
    """Every kind of row (new, known, merged, flagged, repeated, outside the audience, over the quota) and
    the file's notes come back from the stored preview as planned, and the supplier's view of it too."""
    from bdgtrain.services.lists import import_preview
    run_import(lop3, "HLHPN", files.snv_xlsx([files.MAI, files.LAN]))
    roster_decisions.set_quota(None, lop3, org("HT-CX").id, 0)
    namesake = {"name": "Lê Thị Mai", "born": 1985, "unit": "UBND xã Thạch Hạ"}
    man = {"name": "Hồ Văn Nam", "born": 1980, "sex": "Nam", "unit": "Sở Nội vụ", "phone": "0901000008"}
    data = files.snv_xlsx([files.HOA, files.LAN, namesake, files.DAO, files.DAO, man])
    list_import = lists.store_upload(None, lop3, org("SNV"), "ds.xlsx", data)
    planned = lists.plan_upload(lop3, org("SNV"), "ds.xlsx", data, TODAY, for_writing=False)
    assert {p.outcome for p in planned.rows} == {"added", "merged", "flagged", "in_file"}
    assert planned.quota_warnings and any(p.warnings for p in planned.rows) and planned.read.notes is not None
    stored = lists.kept_preview(list_import, TODAY)
    db.session.commit()
    kept = import_preview.decode(list_import, db.session.get(ListImport, list_import.id).preview)
    for plan in (stored, kept):
        assert plan.rows == planned.rows and plan.read.columns == planned.read.columns
        assert plan.quota_warnings == planned.quota_warnings and plan.flagged_names == planned.flagged_names
        assert [w.template for p in plan.rows for w in p.warnings] == [
            w.template for p in planned.rows for w in p.warnings]  # still translatable
        assert plan.for_supplier().rows == planned.for_supplier().rows and plan.counts == planned.counts


def test_a_kept_preview_is_planned_again_when_the_registry_or_the_class_changes(lop3, monkeypatch):
    data = files.snv_xlsx([files.HOA, files.LAN])
    list_import = lists.store_upload(None, lop3, org("SNV"), "ds.xlsx", data)
    assert lists.kept_preview(list_import, TODAY).counts["added"] == 2
    reads = []
    real_read = lists.read_person_list
    monkeypatch.setattr(lists, "read_person_list", lambda *a, **k: reads.append(1) or real_read(*a, **k))
    assert lists.kept_preview(list_import, TODAY).counts["added"] == 2 and reads == []  # kept: the file is not read
    run_import(lop3, "HLHPN", files.snv_xlsx([files.HOA]))  # now known, and nominated by another agency
    assert lists.kept_preview(list_import, TODAY).counts == {"merged": 1, "added": 1} and len(reads) == 2
    lop3.capacity = 1
    db.session.flush()
    assert lists.kept_preview(list_import, TODAY).waiting == 1 and len(reads) == 3
    assert lists.kept_preview(list_import, TODAY).waiting == 1 and len(reads) == 3
    lists.submit_import(None, list_import, TODAY)
    assert list_import.preview is None and list_import.preview_key is None
