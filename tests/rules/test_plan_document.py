"""The words of a plan's Kế hoạch (issue 23, write a plan): plan facts in, sections out, in the seeds' forms."""
from __future__ import annotations

from datetime import date

import pytest

from bdgtrain.rules import plan_document as words
from bdgtrain.rules.plan_document import AgencyFacts, ClassFacts, DeadlineFacts, PlanFacts, TargetFacts

JULY = [date(2019, 7, d) for d in range(1, 32)]


def july(*days: int) -> tuple[date, ...]:
    return tuple(JULY[d - 1] for d in days)


@pytest.mark.parametrize("days, tentative, expected", [
    (july(10), True, "Dự kiến ngày 10/7/2019"),  # seed 004, Lớp 1
    (july(15, 16), True, "Dự kiến ngày 15-16/7/2019"),  # Lớp 3
    (july(17, 18, 19), False, "ngày 17-19/7/2019"),  # confirmed: no "Dự kiến"
    ((date(2019, 7, 30), date(2019, 7, 31), date(2019, 8, 1), date(2019, 8, 2)), True, "Dự kiến ngày 30/7-2/8/2019"),
    (july(10, 12), False, "ngày 10/7/2019, 12/7/2019"),
    ((), True, ""),
])
def test_class_days_read_as_the_seeds_write_them(days, tentative, expected):
    assert words.days_text(days, tentative) == expected


@pytest.mark.parametrize("targets, expected", [
    ([TargetFacts("trained_share", 90, date(2030, 12, 31)), TargetFacts("trained_share", 75, date(2025, 12, 31))],
     ["Tỷ lệ cán bộ nữ trong diện quy hoạch các chức danh lãnh đạo, quản lý được đào tạo, tập huấn, nâng cao năng "
      "lực đạt 75% vào năm 2025 và đạt 90% vào năm 2030."]),
    ([TargetFacts("women_pool_share", 30, date(2019, 12, 31)), TargetFacts("women_pool_share", 50, date(2030, 1, 1)),
      TargetFacts("women_pool_share", 40, date(2025, 12, 31))],
     ["Tỷ lệ cán bộ nữ trong diện quy hoạch các chức danh lãnh đạo, quản lý đạt 30% vào năm 2019, đạt 40% vào năm "
      "2025 và đạt 50% vào năm 2030."]),
    ([TargetFacts("women_committee_share", 20, date(2019, 12, 31)),
      TargetFacts("no_such_measure", 10, date(2020, 1, 1)), TargetFacts("trained_share", 75, date(2025, 12, 31))],
     ["Tỷ lệ cán bộ nữ trong diện quy hoạch các chức danh lãnh đạo, quản lý được đào tạo, tập huấn, nâng cao năng "
      "lực đạt 75% vào năm 2025.", "Tỷ lệ nữ tham gia cấp ủy Đảng đạt 20% vào năm 2019."]),
    ([], []),
])
def test_targets_become_one_sentence_per_measure_by_deadline(targets, expected):
    assert words.targets_sentences(targets) == expected


@pytest.mark.parametrize("deadline, expected", [
    (DeadlineFacts("Báo cáo 6 tháng", 25, 5), "báo cáo 6 tháng trước ngày 25/5"),  # seed 001
    (DeadlineFacts("Báo cáo năm", 18, 12), "báo cáo năm trước ngày 18/12"),
    (DeadlineFacts("Báo cáo tổng kết 5 năm", 1, 11, 2020), "báo cáo tổng kết 5 năm trước ngày 1/11/2020"),
    (DeadlineFacts("UBND huyện báo cáo", 15, 12), "UBND huyện báo cáo trước ngày 15/12"),  # an acronym keeps capitals
])
def test_report_deadlines_read_before_the_day(deadline, expected):
    assert words.deadline_text(deadline) == expected


def test_deadlines_sentence_runs_through_the_year_and_says_so_without_deadlines():
    sentence = words.deadlines_sentence([DeadlineFacts("Báo cáo năm", 18, 12), DeadlineFacts("Báo cáo 6 tháng", 25, 5)])
    assert sentence == ("Tổng hợp, báo cáo kết quả thực hiện Kế hoạch: báo cáo 6 tháng trước ngày 25/5; "
                        "báo cáo năm trước ngày 18/12.")
    assert words.deadlines_sentence([]) == "Tổng hợp, báo cáo kết quả thực hiện Kế hoạch theo quy định."


@pytest.mark.parametrize("title, expected", [
    ("Kế hoạch tổ chức tập huấn nâng cao năng lực", "Tổ chức tập huấn nâng cao năng lực"),
    ("KẾ HOẠCH  thực hiện công tác Bình đẳng giới năm 2019", "Thực hiện công tác Bình đẳng giới năm 2019"),
    ("triển khai Chương trình 2021-2030", "Triển khai Chương trình 2021-2030"),
])
def test_the_summary_line_is_the_title_without_kế_hoạch(title, expected):
    assert words.summary_of(title) == expected


@pytest.mark.parametrize("name, place", [
    ("UBND tỉnh Hà Tĩnh", "Hà Tĩnh"), ("Ủy ban nhân dân huyện Hương Sơn", "Hương Sơn"),
    ("UBND thành phố Hải Phòng", "Hải Phòng"), ("Sở Nội vụ", ""),
])
def test_a_peoples_committee_issues_from_its_place(name, place):
    assert words.place_of(name) == place
    assert words.is_peoples_committee(name) == bool(place)


def test_classes_are_numbered_in_order_with_content_audience_and_time():
    parts = words.class_parts([
        ClassFacts("Lớp tập huấn 1", content="Chương trình mục tiêu", audience="Giám đốc các sở", days=july(10)),
        ClassFacts("Lớp  tập huấn 2", audience="Thành viên Ban", days=july(11, 12), tentative=False),
        ClassFacts("Lớp tập huấn 3"),
    ])
    assert [p.heading for p in parts] == ["1.1. Lớp tập huấn 1", "1.2. Lớp tập huấn 2", "1.3. Lớp tập huấn 3"]
    assert parts[0].lines == ("- Nội dung: Chương trình mục tiêu", "- Thành phần: Giám đốc các sở",
                              "- Thời gian: Dự kiến ngày 10/7/2019.")
    assert parts[1].lines == ("- Thành phần: Thành viên Ban", "- Thời gian: ngày 11-12/7/2019.")
    assert parts[2].lines == ("- Thời gian: sẽ thông báo sau.",)


HA_TINH = PlanFacts(
    title="Kế hoạch tổ chức tập huấn về bình đẳng giới", issuing_body="UBND tỉnh Hà Tĩnh",
    organiser="Sở Lao động - Thương binh và Xã hội (Cơ quan Thường trực Ban Vì sự tiến bộ của phụ nữ tỉnh)",
    basis="Thực hiện Hướng dẫn số 09/UBQG-VP ngày 12/3/2019.", funding_source="Dự án hỗ trợ bình đẳng giới",
    classes=(ClassFacts("Lớp tập huấn 1", venue="Thành phố Hà Tĩnh"),
             ClassFacts("Lớp tập huấn 3", venue="Thành phố Hà Tĩnh")),
    trainers=("Tiến sĩ Đặng Ngọc Toàn, Chuyên gia tư vấn",),
    agencies=(AgencyFacts("Sở Nội vụ", supplies=("Lớp tập huấn 3",), leads=True,
                          partners=("Hội Liên hiệp Phụ nữ tỉnh",)),
              AgencyFacts("Hội Liên hiệp Phụ nữ tỉnh", supplies=("Lớp tập huấn 3",), partners=("Sở Nội vụ",),
                          monitors=True)),
    targets=(TargetFacts("trained_share", 75, date(2025, 12, 31)),
             TargetFacts("trained_share", 90, date(2030, 12, 31))),
    deadlines=(DeadlineFacts("Báo cáo 6 tháng", 25, 5),),
)


def test_the_assignments_name_the_organiser_then_the_suppliers_who_lead_and_support_then_the_monitor():
    lines = words.assignments_text(HA_TINH).split("\n")
    assert lines[0] == "1. " + HA_TINH.organiser
    assert "- Tổng hợp, báo cáo kết quả thực hiện Kế hoạch: báo cáo 6 tháng trước ngày 25/5." in lines
    snv, hlhpn = lines.index("2. Sở Nội vụ"), lines.index("3. Hội Liên hiệp Phụ nữ tỉnh")
    assert lines[snv + 1] == ("- Chủ trì, phối hợp với Hội Liên hiệp Phụ nữ tỉnh cung cấp danh sách học viên Lớp tập "
                              "huấn 3 theo đúng thành phần của lớp.")
    assert lines[hlhpn + 1].startswith("- Phối hợp với Sở Nội vụ cung cấp danh sách học viên Lớp tập huấn 3")
    assert lines[hlhpn + 2].startswith("- Phối hợp với Sở Lao động - Thương binh và Xã hội theo dõi, giám sát")
    assert lines[-2] == "4. Các cơ quan, đơn vị, địa phương liên quan"
    alone = words.assignments_text(PlanFacts(title="x", organiser="Sở Nội vụ",
                                             agencies=(AgencyFacts("Sở Y tế", supplies=("Lớp 1", "Lớp 2")),)))
    assert "- Chủ trì cung cấp danh sách học viên Lớp 1 và Lớp 2 theo đúng thành phần của lớp." in alone


def test_the_default_sections_carry_the_plans_facts():
    sections = words.default_sections(HA_TINH)
    assert sections.preamble == ("Thực hiện Hướng dẫn số 09/UBQG-VP ngày 12/3/2019, UBND tỉnh Hà Tĩnh ban hành Kế "
                                 "hoạch tổ chức tập huấn về bình đẳng giới với các nội dung như sau:")
    assert "đạt 75% vào năm 2025 và đạt 90% vào năm 2030." in sections.purpose
    assert sections.venue == "Thành phố Hà Tĩnh."
    assert sections.trainers == "- Tiến sĩ Đặng Ngọc Toàn, Chuyên gia tư vấn"
    assert sections.funding == "Sử dụng nguồn kinh phí Dự án hỗ trợ bình đẳng giới."
    assert all(getattr(sections, name) for name in words.SECTIONS)
    assert words.default_recipients(HA_TINH) == ("Sở Lao động - Thương binh và Xã hội;\nSở Nội vụ;\n"
                                                  "Hội Liên hiệp Phụ nữ tỉnh;\nLưu: VT.")


@pytest.mark.parametrize("source, expected", [
    ("Nguồn kinh phí sự nghiệp năm 2020.", "Sử dụng nguồn kinh phí sự nghiệp năm 2020."),
    ("", "Kinh phí tổ chức các lớp tập huấn do Sở Nội vụ bố trí từ nguồn kinh phí được giao theo quy định."),
])
def test_funding_reads_from_the_source_or_says_who_pays(source, expected):
    assert words.funding_text(PlanFacts(title="x", organiser="Sở Nội vụ (cơ quan thường trực)",
                                        funding_source=source)) == expected


@pytest.mark.parametrize("venues, expected", [
    (("Hội trường A", "Hội trường A"), "Hội trường A."),
    (("Hội trường A", "Hội trường B"), "- Lớp 1: Hội trường A.\n- Lớp 2: Hội trường B."),
    (("", ""), "Địa điểm tổ chức cụ thể do Sở Nội vụ bố trí và thông báo."),
])
def test_the_venue_is_one_sentence_when_shared_else_one_line_per_class(venues, expected):
    facts = PlanFacts(title="x", organiser="Sở Nội vụ",
                      classes=tuple(ClassFacts(f"Lớp {n}", venue=v) for n, v in enumerate(venues, start=1)))
    assert words.venue_text(facts) == expected


def test_an_edited_section_reads_as_paragraphs_and_numbered_sub_headings():
    assert words.outline("1. Sở Nội vụ\n- Chủ trì;\n\n  2.1.  Phòng  A\r\n2024 là năm bản lề.\n") == [
        (2, "1. Sở Nội vụ"), (0, "- Chủ trì;"), (3, "2.1. Phòng A"), (0, "2024 là năm bản lề.")]
