"""Vietnamese labels for stored codes (kinds, roles, statuses), translatable."""
from flask_babel import lazy_gettext as _l

ORG_KIND_LABELS = {
    "province": _l("Tỉnh / thành phố"),
    "department": _l("Sở, ban, ngành"),
    "union": _l("Đoàn thể, hội"),
    "district": _l("Huyện, thị xã, thành phố thuộc tỉnh"),
    "commune": _l("Xã, phường, thị trấn"),
    "school": _l("Trường học"),
    "unit": _l("Đơn vị khác"),
}
ROLE_LABELS = {
    "admin": _l("Quản trị hệ thống"),
    "organiser": _l("Cán bộ tổ chức"),
    "supplier": _l("Đơn vị cung cấp danh sách"),
    "monitor": _l("Giám sát"),
}
CLASS_STATUS_LABELS = {
    "planned": _l("Dự kiến"),
    "confirmed": _l("Chính thức"),
    "cancelled": _l("Đã hủy"),
}
SEX_LABELS = {"F": _l("Nữ"), "M": _l("Nam")}
