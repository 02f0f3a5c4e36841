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
