"""The demo's document defaults: who signs what the department, Sở Nội vụ and the districts issue.

The names are made up (docs/DEMO.md): a real install enters its own on each unit's "Văn bản" page.
"""
from __future__ import annotations

from sqlalchemy import select

from ...extensions import db
from ...models import Organisation
from ..planning.document_settings import DocumentDefaults, save_document_defaults, settings_of

PROVINCE_RECIPIENTS = "UBND tỉnh (để báo cáo);\nBan Vì sự tiến bộ của phụ nữ tỉnh;\nLưu: VT, BĐG."
DEPARTMENTS = {
    "SLDTBXH": DocumentDefaults(header_name="SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI", parent_header="UBND TỈNH HÀ TĨNH",
                                number_suffix="BC-SLĐTBXH", place="Hà Tĩnh", signer_authority="KT. GIÁM ĐỐC",
                                signer_title="PHÓ GIÁM ĐỐC", signer_name="Nguyễn Văn A",
                                recipients=PROVINCE_RECIPIENTS),
    "SNV": DocumentDefaults(header_name="SỞ NỘI VỤ", parent_header="UBND TỈNH HÀ TĨNH", number_suffix="BC-SNV",
                            place="Hà Tĩnh", signer_authority="KT. GIÁM ĐỐC", signer_title="PHÓ GIÁM ĐỐC",
                            signer_name="Trần Thị B", recipients=PROVINCE_RECIPIENTS),
}
DISTRICT_PREFIXES = ("Thành phố ", "Thị xã ", "Huyện ")


def district_defaults(name: str) -> DocumentDefaults:
    """A district's People's Committee: "ỦY BAN NHÂN DÂN / HUYỆN HƯƠNG SƠN", signed on behalf of the committee."""
    place = name
    for prefix in DISTRICT_PREFIXES:
        place = place.removeprefix(prefix)
    return DocumentDefaults(header_name=name.upper(), parent_header="ỦY BAN NHÂN DÂN", number_suffix="BC-UBND",
                            place=place, signer_authority="TM. ỦY BAN NHÂN DÂN", signer_title="CHỦ TỊCH",
                            signer_name="Lê Văn C",
                            recipients="Sở Lao động - Thương binh và Xã hội (để tổng hợp);\nLưu: VT.")


def load_demo_document_settings(district_codes: list[str]) -> None:
    """Save the defaults of the units that have none (an install's own edits are kept)."""
    units = {o.code: o for o in db.session.scalars(select(Organisation).where(
        Organisation.code.in_(list(DEPARTMENTS) + district_codes)))}
    for code, unit in units.items():
        if settings_of(unit) is None:
            save_document_defaults(None, unit, DEPARTMENTS.get(code) or district_defaults(unit.name))
