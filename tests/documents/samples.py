"""Sample documents for the writer tests: Vietnamese text with every letter of the alphabet in both cases,
two tables (an int and a percent column), a QR image, a signer with an authority line and recipients."""
from __future__ import annotations

from datetime import date
from io import BytesIO

import segno

from bdgtrain.documents.model import (
    Column,
    Document,
    Header,
    Heading,
    Image,
    Paragraph,
    Signature,
    Table,
)

VIETNAMESE_LOWER = (
    "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ"
)
VIETNAMESE_UPPER = VIETNAMESE_LOWER.upper()
HOSTILE = ("=HYPERLINK(\"http://evil\",\"x\")", "-1+2", "@SUM(1)", "+1", "\tx", "\rx")


def qr_png() -> bytes:
    buffer = BytesIO()
    segno.make("https://x.example/verify/abc").save(buffer, kind="png", scale=4)
    return buffer.getvalue()


def report(**changes) -> Document:
    header = Header(
        issuing_body="Sở Lao động - Thương binh và Xã hội",
        number="25/BC-SLĐTBXH",
        place="Hà Tĩnh",
        issued_on=date(2020, 2, 5),
        parent_body="UBND tỉnh Hà Tĩnh",
    )
    units = Table(
        columns=(Column("Đơn vị", width=40), Column("Số lớp", "int", 15), Column("Tỷ lệ", "percent", 15)),
        rows=(("Huyện Kỳ Anh", 1234, 0.753), ("Huyện Can Lộc", 7, None), ("Tổng cộng", 1241, 0.5)),
        title="Bảng 1. Kết quả theo đơn vị",
        note="Tỷ lệ tính trên số người trong danh sách.",
        total_row=True,
    )
    letters = Table(
        columns=(Column("Chữ thường"), Column("CHỮ HOA")),
        rows=((VIETNAMESE_LOWER, VIETNAMESE_UPPER),),
        title="Bảng 2. Bảng chữ cái",
    )
    body = (
        Heading("I. KẾT QUẢ THỰC HIỆN"),
        Paragraph("Thực hiện Kế hoạch số 12/KH-UBND, Sở báo cáo kết quả như sau.\n\nĐoạn thứ hai của báo cáo."),
        Heading("1. Công tác tổ chức lớp", level=2),
        units,
        Heading("a) Chữ cái tiếng Việt", level=3),
        Paragraph(f"{VIETNAMESE_LOWER} {VIETNAMESE_UPPER}"),
        letters,
        Image(qr_png(), width_mm=30, caption="Mã kiểm tra"),
        Paragraph("Trên đây là báo cáo của Sở Lao động - Thương binh và Xã hội."),
    )
    values = dict(
        header=header,
        kind="Báo cáo",
        summary="Kết quả thực hiện Kế hoạch đào tạo năm 2019",
        body=body,
        signature=Signature(title="Phó Giám đốc", name="Nguyễn Văn Ánh", authority="KT. Giám đốc"),
        recipients=("Như trên;", "UBND tỉnh (để b/c);", "Lưu: VT, LĐVL."),
    )
    values.update(changes)
    return Document(**values)


def certificate(name: str = "Trần Thị Bích") -> Document:
    header = Header(issuing_body="Trung tâm Dịch vụ việc làm", number="7/GCN-TTDVVL", place="Hà Tĩnh",
                    issued_on=date(2020, 12, 15), parent_body="Sở Lao động - Thương binh và Xã hội")
    body = (
        Paragraph(f"Chứng nhận bà {name}", bold=True, align="center", size=20),
        Paragraph("Đã hoàn thành lớp bồi dưỡng kỹ năng từ ngày 01/12/2020 đến ngày 10/12/2020.", align="center"),
        Image(qr_png(), width_mm=25, caption="Quét mã để kiểm tra"),
    )
    return Document(header=header, kind="Giấy chứng nhận", summary="Hoàn thành lớp bồi dưỡng", body=body,
                    signature=Signature(title="Giám đốc", name="Lê Văn Cường"), landscape=True)


def big_summary(classes: int = 204, agencies: int = 60, districts: int = 13) -> Document:
    """A plan summary's shape at bench scale 1.0: a 13-column table of `classes` rows and a total, two 11-column
    tallies, an evaluation table and the trained share — about 4,500 cells, landscape."""
    tally = tuple(Column(title, kind, 9) for title, kind in (
        ("Được cử", "int"), ("Có mặt", "int"), ("Hoàn thành", "int"), ("Đi muộn", "int"), ("Vắng cả lớp", "int"),
        ("Đúng thành phần", "int"), ("Ngoài thành phần", "int"), ("Tỷ lệ có mặt", "percent"),
        ("Tỷ lệ hoàn thành", "percent")))

    def counts(seed: int) -> tuple:
        return (seed % 40 + 10, seed % 37 + 5, seed % 31, seed % 5, seed % 3, seed % 29, seed % 2,
                (seed % 97) / 100, None if seed % 11 == 0 else (seed % 89) / 100)

    class_rows = [(number, f"L{number:04d}: Lớp bồi dưỡng kỹ năng lãnh đạo, quản lý cho cán bộ nữ {number}",
                   "Đã tổ chức", "01/03/2024 – 05/03/2024", *counts(number), number % 30)
                  for number in range(1, classes + 1)]
    class_rows.append(("", "Tổng cộng", "", "", *counts(classes * 7), 1234))
    class_columns = (Column("STT", "int", 7), Column("Lớp", "text", 22), Column("Tình trạng", "text", 11),
                     Column("Thời gian", "text", 13), *tally, Column("Giấy chứng nhận", "int", 10))

    def group(count: int, heading: str) -> Table:
        rows = tuple((number, f"{heading} số {number} {VIETNAMESE_LOWER[:number % 40]}", *counts(number * 3))
                     for number in range(1, count + 1))
        return Table((Column("STT", "int", 7), Column(heading, "text", 30), *tally), rows)

    evaluation_columns = (Column("Lớp", "text", 14), Column("Số phiếu", "int", 9), Column("Được cử", "int", 9),
                          *(Column(f"Câu hỏi đánh giá số {q} về nội dung lớp", "points", 14) for q in range(1, 5)),
                          Column("Mức tăng kiến thức", "percent", 12))
    evaluation_rows = tuple((f"L{number:04d}", number % 40, number % 45, *(None if number % 13 == 0 else
                            1 + (number * q % 40) / 10 for q in range(1, 5)), (number % 50) / 100)
                            for number in range(1, classes + 1))
    share = tuple((f"Huyện {number}", number * 3, number * 5, 0.6, number * 2, 0.7) for number in range(1, 14))
    body = (
        Paragraph("Thực hiện KH-01: Kế hoạch tập huấn năm 2024."),
        Heading("1. Các lớp đã tổ chức", level=2),
        Paragraph("Theo kế hoạch: 204 lớp; đã tổ chức: 200; đã hủy: 4."),
        Table(class_columns, tuple(class_rows), total_row=True),
        Heading("2. Thành phần tham dự", level=2),
        Heading("Theo cơ quan cử", level=3),
        group(agencies, "Cơ quan cử"),
        Heading("Theo huyện, đơn vị", level=3),
        group(districts, "Huyện, đơn vị"),
        Heading("3. Đánh giá của học viên", level=2),
        Table(evaluation_columns, evaluation_rows, note="Lớp có dưới 5 phiếu: điểm được ẩn để giữ ẩn danh.",
              total_row=True),
        Heading("4. Tỷ lệ nữ trong diện quy hoạch đã được tập huấn", level=2),
        Table((Column("Đơn vị", "text", 34), Column("Nữ đã tập huấn", "int", 12),
               Column("Nữ trong quy hoạch", "int", 12), Column("Tỷ lệ đã tập huấn", "percent", 12),
               Column("Nữ chưa tập huấn", "int", 12), Column("Chỉ tiêu", "percent", 10)), share),
    )
    return report(kind="Báo cáo", summary="Kết quả tổ chức các lớp tập huấn thuộc Kế hoạch KH-01", body=body,
                  landscape=True)
