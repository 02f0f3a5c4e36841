"""Reading a Kế hoạch: tables of real sentences, every seed's expected draft, and plans written differently."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bdgtrain.rules.dates import DateExpressionError, find_date_phrase
from bdgtrain.rules.plan_reading import guess_measure, read_plan_text

SEEDS = Path(__file__).resolve().parents[1] / "documents" / "seeds"  # copies of the five seed plans


def seed(number: str) -> str:
    return next(SEEDS.glob(f"{number}_*.txt")).read_text(encoding="utf-8")


def days(*texts: str) -> list[date]:
    return [date.fromisoformat(t) for t in texts]


# --- dates in a sentence -------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("Thời gian: Dự kiến ngày 10/7/2019.", days("2019-07-10")),
    ("Dự kiến ngày 15-16/7/2019", days("2019-07-15", "2019-07-16")),
    ("ngày 17, 18 và 19 tháng 7 năm 2019", days("2019-07-17", "2019-07-18", "2019-07-19")),
    ("từ ngày 17/7/2019 đến ngày 19/7/2019", days("2019-07-17", "2019-07-18", "2019-07-19")),
    ("02 ngày, từ ngày 30/7 đến ngày 01/8/2019, tại Hội trường", days("2019-07-30", "2019-07-31", "2019-08-01")),
    ("từ ngày 17 tháng 7 đến ngày 18 tháng 7 năm 2019", days("2019-07-17", "2019-07-18")),
    ("ngày 30/7-02/8/2019", days("2019-07-30", "2019-07-31", "2019-08-01", "2019-08-02")),
])
def test_dates_inside_a_sentence(text, expected):
    assert find_date_phrase(text).days == expected


@pytest.mark.parametrize("text", ["Quý III năm 2019", "tháng 7/2019", "Sẽ thông báo sau"])
def test_a_sentence_naming_no_day_gives_none(text):
    assert find_date_phrase(text) is None


def test_a_day_that_does_not_exist_is_an_error():
    with pytest.raises(DateExpressionError) as caught:
        find_date_phrase("Dự kiến ngày 31/2/2019")
    assert caught.value.code == "date.invalid"
    assert "31/2/2019" in caught.value.message


# --- targets -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("sentence, expected", [
    ("Tỷ lệ cán bộ nữ trong diện quy hoạch được đào tạo, tập huấn, nâng cao năng lực đạt 75% vào năm 2025 và "
     "đạt 90% vào năm 2030.", [(0.75, 2025, False, "trained_share"), (0.9, 2030, False, "trained_share")]),
    ("Tỷ lệ cán bộ nữ trong diện quy hoạch các chức danh lãnh đạo, quản lý đạt ít nhất 40% vào năm 2025 và đạt "
     "50% vào năm 2030.", [(0.4, 2025, True, "women_pool_share"), (0.5, 2030, False, "women_pool_share")]),
    ("Đến năm 2025 đạt 60% và đến năm 2030 đạt 75%, các đơn vị trực thuộc có lãnh đạo chủ chốt là nữ.",
     [(0.6, 2025, False, "women_leader_units"), (0.75, 2030, False, "women_leader_units")]),
    ("Tỷ lệ nữ thạc sỹ đạt 50% và tỷ lệ nữ tiến sỹ đạt 25% vào năm 2020 trên tổng số người có cùng học vị.",
     [(0.5, 2020, False, "women_masters_share"), (0.25, 2020, False, "women_doctorates_share")]),
    ("Chỉ tiêu 2: Hằng năm, phân đầu ít nhất có 50% nữ cán bộ, công chức, viên chức được cử đi đào tạo bồi dưỡng.",
     [(0.5, None, True, "women_sent_share")]),
    ("Đảm bảo tỷ lệ nữ tham gia cấp ủy đạt tối thiểu 20%.", [(0.2, None, True, "women_committee_share")]),
    ("Hơn 80% nữ cán bộ, giáo viên được tuyên truyền về phẩm chất, đạo đức phụ nữ Việt Nam;",
     [(0.8, None, True, None)]),
    ("Tỷ lệ nữ công chức được tiếp cận dịch vụ y tế đến năm 2020 là 100%;", [(1.0, 2020, False, None)]),
])
def test_targets_in_real_sentences(sentence, expected):
    reading = read_plan_text(f"KẾ HOẠCH\nThử\n{sentence}")
    assert [(t.share, t.year, t.at_least, t.measure) for t in reading.targets] == expected
    assert all(t.source == sentence.removeprefix("Chỉ tiêu 2: ") or t.source == sentence for t in reading.targets)


def test_shared_subject_of_two_targets():
    reading = read_plan_text("KẾ HOẠCH\nThử\n3. Tỷ lệ cán bộ nữ được đào tạo đạt 75% vào năm 2025 và đạt 90% vào "
                             "năm 2030.")
    assert [t.subject for t in reading.targets] == ["Tỷ lệ cán bộ nữ được đào tạo"] * 2
    assert [t.text for t in reading.targets] == ["đạt 75% vào năm 2025", "đạt 90% vào năm 2030"]


def test_a_target_over_100_percent_is_an_error():
    reading = read_plan_text("KẾ HOẠCH\nThử\nTỷ lệ cán bộ nữ được đào tạo đạt 120% vào năm 2025.")
    assert reading.targets == []
    assert [e.code for e in reading.errors] == ["target.over_100"]


@pytest.mark.parametrize("subject, measure", [
    ("Tỷ lệ cán bộ nữ trong diện quy hoạch được đào tạo, tập huấn", "trained_share"),
    ("Tỷ lệ công chức, viên chức nữ trong quy hoạch các chức danh lãnh đạo", "women_pool_share"),
    ("Cán bộ chuyên trách được bồi dưỡng nâng cao năng lực", "specialised_trained_share"),
    ("Các cơ sở giáo dục tổ chức khám sức khỏe định kỳ", None),
])
def test_measure_only_when_the_subject_names_it(subject, measure):
    assert guess_measure(subject) == measure


# --- deadlines ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("sentence, expected", [
    ("Tổng hợp gửi báo cáo kết quả thực hiện 6 tháng trước ngày 25/5/2019 và báo cáo năm trước ngày 18/12/2019 "
     "về Sở Lao động - Thương binh và Xã hội.", [("Báo cáo 6 tháng", 25, 5, 2019), ("Báo cáo năm", 18, 12, 2019)]),
    ("Báo cáo định kỳ: báo cáo 06 tháng đầu năm gửi trước ngày 28 tháng 5; báo cáo cuối năm gửi trước ngày 01 "
     "tháng 11.", [("Báo cáo 6 tháng", 28, 5, None), ("Báo cáo năm", 1, 11, None)]),
    ("Các đơn vị báo cáo kết quả trước ngày 25/5.", [("Báo cáo kết quả", 25, 5, None)]),
])
def test_report_deadlines(sentence, expected):
    reading = read_plan_text(f"KẾ HOẠCH\nThử\n{sentence}")
    assert [(d.label, d.day, d.month, d.year) for d in reading.report_deadlines] == expected


def test_an_impossible_deadline_is_an_error():
    reading = read_plan_text("KẾ HOẠCH\nThử\nCác đơn vị gửi báo cáo năm trước ngày 31/11.")
    assert reading.report_deadlines == []
    assert [e.code for e in reading.errors] == ["deadline.invalid"]


# --- assignments -----------------------------------------------------------------------------------------

def test_suppliers_from_a_sentence_that_names_its_subject():
    reading = read_plan_text("KẾ HOẠCH\nThử\nSở Nội vụ chủ trì, phối hợp với Hội Liên hiệp phụ nữ tỉnh cung cấp "
                             "danh sách cán bộ nữ dự kiến tham gia cấp ủy.")
    assert [s.value for s in reading.suppliers] == ["Sở Nội vụ", "Hội Liên hiệp phụ nữ tỉnh"]


# --- not a plan -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, code", [
    ("", "text.empty"),
    ("Hôm nay trời đẹp. Chúng tôi đi chơi công viên.", "text.not_a_plan"),
])
def test_not_a_plan(text, code):
    assert [e.code for e in read_plan_text(text).errors] == [code]


# --- the five seeds ----------------------------------------------------------------------------------

def test_seed_004_ha_tinh_reads_as_the_demo_plan():
    from bdgtrain.services.demo.demo import CLASSES, PLAN, TRAINER, VENUE
    reading = read_plan_text(seed("004"))
    assert reading.errors == []
    assert reading.title.value == PLAN["title"]
    assert reading.issuing_body.value == "Ủy ban nhân dân tỉnh"
    assert [(c.code, c.name) for c in reading.classes] == [(c["code"], c["title"]) for c in CLASSES]
    assert [c.content.value for c in reading.classes] == [c["content"] for c in CLASSES]
    assert [c.audience.value.rstrip(".") for c in reading.classes] == [c["audience"].rstrip(".") for c in CLASSES]
    assert [c.dates for c in reading.classes] == [
        days("2019-07-10"), days("2019-07-11", "2019-07-12"), days("2019-07-15", "2019-07-16"),
        days("2019-07-17", "2019-07-18", "2019-07-19")]
    assert all(c.tentative for c in reading.classes)
    assert reading.classes[2].dates_source == "- Thời gian: Dự kiến ngày 15-16/7/2019."
    assert reading.venue.value == VENUE.name
    assert [(t.academic_title, t.name, t.affiliation) for t in reading.trainers] == [
        (TRAINER.academic_title, TRAINER.name, TRAINER.affiliation)]
    assert reading.organiser.value == "Sở Lao động - Thương binh và Xã hội"
    assert [s.value for s in reading.suppliers] == ["Sở Nội vụ", "Hội Liên hiệp Phụ nữ tỉnh"]
    assert "cung cấp danh sách" in reading.suppliers[0].source
    assert reading.targets == [] and reading.report_deadlines == []
    assert len(reading.recipients) == 10 and reading.recipients[0].value == "Ủy ban quốc gia VSTBCPN Việt Nam"
    assert not any(r.value.startswith("Lưu") for r in reading.recipients)
    assert reading.year == 2019
    assert "Mời một số đồng chí lãnh đạo tỉnh tham gia tập huấn." in [n.source.lstrip("- ")
                                                                       for n in reading.unrecognised]


def test_seed_000_dak_lak_targets():
    reading = read_plan_text(seed("000"))
    assert reading.errors == [] and reading.classes == []
    assert reading.title.value.startswith("Kế hoạch triển khai thực hiện Chương trình “Tăng cường sự tham gia")
    assert reading.issuing_body.value == "Sở Giáo dục và Đào tạo (GDĐT) tỉnh Đắk Lắk"
    assert reading.period[:2] == (date(2021, 1, 1), date(2030, 12, 31))
    assert [(t.measure, t.share, t.year) for t in reading.targets] == [
        ("women_leader_units", 0.6, 2025), ("women_leader_units", 0.75, 2030),
        ("women_pool_share", 0.4, 2025), ("women_pool_share", 0.5, 2030),
        ("trained_share", 0.75, 2025), ("trained_share", 0.9, 2030)]
    assert reading.targets[2].at_least and reading.targets[2].text == "đạt ít nhất 40% vào năm 2025"
    assert reading.targets[4].subject.endswith("được đào tạo, tập huấn, nâng cao năng lực")
    assert reading.report_deadlines == [] and reading.organiser is None and reading.suppliers == []
    assert [r.value for r in reading.recipients] == ["Sở Nội vụ (để báo cáo)", "UBND tỉnh (để báo cáo)",
                                                      "Các PGĐ Sở GDĐT", "Các phòng CM, NV Sở GDĐT"]


def test_seed_001_thanh_hoa_targets_and_deadlines():
    reading = read_plan_text(seed("001"))
    assert reading.errors == [] and reading.classes == []
    assert reading.title.value == "Kế hoạch thực hiện công tác Bình đẳng giới năm 2019"
    assert reading.number.value == "110/KH-SNV"
    assert reading.issued_on[0] == date(2019, 3, 4)
    assert reading.issuing_body.value == "Sở Nội vụ"
    assert [(t.measure, t.share, t.year, t.at_least) for t in reading.targets] == [
        ("women_pool_share", 0.3, None, True), ("women_committee_share", 0.2, None, True),
        ("women_masters_places_share", 0.3, None, False), ("women_sent_share", 0.5, None, True),
        (None, 1.0, None, False)]
    assert [(d.label, d.day, d.month, d.year) for d in reading.report_deadlines] == [
        ("Báo cáo 6 tháng", 25, 5, 2019), ("Báo cáo năm", 18, 12, 2019)]
    assert reading.year == 2019


def test_seed_002_ha_noi_targets_and_deadline():
    reading = read_plan_text(seed("002"))
    assert reading.errors == [] and reading.classes == []
    assert reading.issuing_body.value == "Ban VSTBPN"
    assert reading.organiser.value == "Phòng Tổ chức cán bộ"
    measures = [(t.measure, t.share, t.year) for t in reading.targets if t.measure]
    assert measures == [("women_committee_share", 0.5, None), ("women_leader_units", 0.95, None),
                        ("women_masters_share", 0.5, 2020), ("women_doctorates_share", 0.25, 2020),
                        ("specialised_trained_share", 0.8, None)]
    assert len(reading.targets) == 11
    assert [(d.label, d.day, d.month, d.year) for d in reading.report_deadlines] == [
        ("Báo cáo kết quả thực hiện", 15, 12, 2020)]
    assert "deadline.no_day" in [n.code for n in reading.unrecognised]  # "vào tháng 6 và tháng 12 hàng năm"


def test_seed_003_hai_phong_letter():
    reading = read_plan_text(seed("003"))
    assert reading.errors == []
    assert reading.title.value.startswith("Triển khai Quyết định số 2282/QĐ-TTg ngày 31/12/2020")
    assert reading.title.value.endswith("của Bộ GD&ĐT")
    assert reading.issuing_body.value == "BAN VÌ SỰ TIẾN BỘ PHỤ NỮ NGÀNH GD&ĐT, SỞ GIÁO DỤC VÀ ĐÀO TẠO HP"
    assert [(d.label, d.day, d.month, d.year) for d in reading.report_deadlines] == [
        ("Báo cáo 6 tháng", 28, 5, None), ("Báo cáo năm", 1, 11, None)]
    assert [r.value for r in reading.recipients] == ["Trưởng phòng thuộc Sở", "Hiệu trưởng trường THPT",
                                                      "Thủ trưởng đơn vị trực thuộc Sở"]
    assert reading.targets == [] and reading.classes == []


# --- plans written differently -----------------------------------------------------------------------------

OTHER_PLAN = """UBND TỈNH QUẢNG TRỊ
SỞ NỘI VỤ
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Số: 45/KH-SNV
Quảng Trị, ngày 02 tháng 4 năm 2021
KẾ HOẠCH
Tập huấn kiến thức về bình đẳng giới năm 2021
I. MỤC TIÊU
Tỷ lệ cán bộ nữ trong diện quy hoạch được đào tạo, tập huấn đạt ít nhất 40% vào năm 2021.
II. CÁC LỚP TẬP HUẤN
a) Lớp thứ nhất: Thành phần: Cán bộ nữ cấp huyện — Thời gian: ngày 17, 18 và 19 tháng 7 năm 2021 \
— Địa điểm: Hội trường Sở Nội vụ
b) Lớp thứ hai
+ Nội dung: Lồng ghép giới
+ Đối tượng tham gia: Cán bộ cấp xã
+ Thời gian: từ ngày 03/8/2021 đến ngày 04/8/2021
III. TỔ CHỨC THỰC HIỆN
1. Văn phòng Sở (bộ phận thường trực)
- Chuẩn bị hội trường.
2. Hội Liên hiệp Phụ nữ tỉnh
- Chủ trì, phối hợp với Sở Nội vụ lập danh sách học viên.
- Báo cáo kết quả trước ngày 15/12/2021.
"""


def test_a_plan_written_differently():
    reading = read_plan_text(OTHER_PLAN)
    assert reading.errors == []
    assert reading.title.value == "Kế hoạch tập huấn kiến thức về bình đẳng giới năm 2021"
    assert reading.number.value == "45/KH-SNV" and reading.issued_on[0] == date(2021, 4, 2)
    assert reading.issuing_body.value == "SỞ NỘI VỤ, UBND TỈNH QUẢNG TRỊ"
    first, second = reading.classes
    assert (first.code, first.audience.value, first.venue.value) == ("LOP-1", "Cán bộ nữ cấp huyện",
                                                                      "Hội trường Sở Nội vụ")
    assert first.dates == days("2021-07-17", "2021-07-18", "2021-07-19") and not first.tentative
    assert (second.code, second.content.value, second.audience.value) == ("LOP-2", "Lồng ghép giới", "Cán bộ cấp xã")
    assert second.dates == days("2021-08-03", "2021-08-04")
    assert [(t.share, t.year, t.at_least, t.measure) for t in reading.targets] == [(0.4, 2021, True, "trained_share")]
    assert reading.organiser.value == "Văn phòng Sở"
    assert [s.value for s in reading.suppliers] == ["Hội Liên hiệp Phụ nữ tỉnh", "Sở Nội vụ"]
    assert [(d.day, d.month, d.year) for d in reading.report_deadlines] == [(15, 12, 2021)]


def test_a_class_with_an_impossible_date_is_an_error():
    reading = read_plan_text("KẾ HOẠCH\nThử\n1. Lớp tập huấn 1\n- Thời gian: ngày 31/2/2019")
    assert [e.code for e in reading.errors] == ["date.invalid"]
    assert "31/2/2019" in reading.errors[0].message and reading.classes[0].dates == []


def test_a_class_with_no_date_is_listed_not_guessed():
    reading = read_plan_text("KẾ HOẠCH\nThử\n1. Lớp tập huấn 1\n- Thời gian: Quý III năm 2019")
    assert reading.classes[0].dates == []
    assert "class.no_date" in [n.code for n in reading.unrecognised]


def test_a_pdf_wrapped_sentence_is_joined():
    reading = read_plan_text("KẾ HOẠCH\nThử\n1.1. Lớp tập huấn 1\n- Thành phần: Bí thư Đảng ủy, Chủ tịch\nUBND "
                             "xã\n- Thời gian: Dự kiến ngày\n10/7/2019")
    assert reading.classes[0].dates == days("2019-07-10")


def test_a_class_heading_with_its_topic_and_time_with_place():
    reading = read_plan_text("KẾ HOẠCH\nThử\n2.1. Lớp 1: Kỹ năng lãnh đạo\n- Thời gian, địa điểm: ngày 10/7/2019 tại "
                             "Hội trường UBND tỉnh.")
    cls = reading.classes[0]
    assert (cls.name, cls.code, cls.dates) == ("Lớp 1: Kỹ năng lãnh đạo", "LOP-1", days("2019-07-10"))
    assert cls.venue.value == "Hội trường UBND tỉnh"
