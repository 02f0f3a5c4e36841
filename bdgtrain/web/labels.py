"""Vietnamese labels for stored codes (kinds, roles, statuses), translatable."""
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from ..rules.dates import AFTERNOON, MORNING

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
    "supplier": lazy_pgettext("role", "Đơn vị cung cấp danh sách"),  # one organisation, where forms name several
    "monitor": _l("Giám sát"),
}
CLASS_STATUS_LABELS = {
    "planned": _l("Dự kiến"),
    "confirmed": _l("Chính thức"),
    "cancelled": _l("Đã hủy"),
}
SEX_LABELS = {"F": _l("Nữ"), "M": _l("Nam")}
# What the reader understood each column of an uploaded list to be (importers.headers field codes).
IMPORT_FIELD_LABELS = {
    "stt": _l("Số thứ tự"),
    "name": _l("Họ và tên"),
    "given_name": _l("Tên (phần cuối của họ và tên)"),
    "birth": _l("Ngày sinh hoặc năm sinh"),
    "male": _l("Năm sinh (nam)"),
    "female": _l("Năm sinh (nữ)"),
    "sex": _l("Giới tính"),
    "ethnicity": _l("Dân tộc"),
    "position": _l("Chức vụ"),
    "unit": _l("Đơn vị công tác"),
    "position_unit": _l("Chức vụ, đơn vị"),
    "phone": _l("Số điện thoại"),
    "email": _l("E-mail"),
    "id_number": _l("Số CCCD/CMND"),
    "note": _l("Ghi chú"),
    "district": _l("Huyện"),
    "commune": _l("Xã, phường"),
    "hometown": _l("Quê quán"),
    "address": _l("Địa chỉ"),
    "education": _l("Trình độ"),
    "training_kind": _l("Loại hình đào tạo, bồi dưỡng"),
    "training_title": _l("Nội dung, tên khóa"),
    "training_provider": _l("Cơ sở đào tạo"),
    "training_started_on": _l("Từ ngày"),
    "training_ended_on": _l("Đến ngày"),
    "training_counts": _l("Tính vào chỉ tiêu"),
    "training_evidence": _l("Số chứng chỉ, quyết định"),
}
# Kinds of training outside the system (rules/external_training.KINDS).
EXTERNAL_TRAINING_KIND_LABELS = {
    "tap_huan": _l("Tập huấn"),
    "boi_duong": _l("Bồi dưỡng"),
    "llct": _l("Lý luận chính trị"),
    "qlnn": _l("Quản lý nhà nước"),
    "thac_si": _l("Thạc sĩ"),
    "tien_si": _l("Tiến sĩ"),
    "other": _l("Khác"),
}
# The labels rules.dates gives the default sessions; a label someone typed is shown as typed.
DEFAULT_SESSION_LABELS = {MORNING: _l("Sáng"), AFTERNOON: _l("Chiều")}


def session_label(label: str) -> str:
    return str(DEFAULT_SESSION_LABELS.get(label, label))


# Measures a target can name (docs/MEASURES.md), and the status of a figure against its target.
MEASURE_LABELS = {
    "trained_share": _l("Tỷ lệ cán bộ nữ trong diện quy hoạch được đào tạo, tập huấn"),
    "women_pool_share": _l("Tỷ lệ cán bộ nữ trong diện quy hoạch"),
    "women_leader_units": _l("Tỷ lệ đơn vị có lãnh đạo chủ chốt là nữ"),
    "women_sent_share": _l("Tỷ lệ nữ trong tổng số cán bộ, công chức, viên chức được cử đi đào tạo, bồi dưỡng "
                           "trong năm"),
    "women_committee_share": _l("Tỷ lệ nữ tham gia cấp ủy Đảng"),
    "women_masters_places_share": _l("Tỷ lệ nữ trong số người được cử đi đào tạo thạc sĩ"),
    "women_masters_share": _l("Tỷ lệ nữ trong số người có học vị thạc sĩ"),
    "women_doctorates_share": _l("Tỷ lệ nữ trong số người có học vị tiến sĩ"),
    "specialised_trained_share": _l("Tỷ lệ cán bộ chuyên trách được bồi dưỡng nâng cao năng lực"),
}
# Every indicator a report can show: the measures above, those without a target of their own, and the
# measure of reports generated before issue 18 (women sent / women staff), so they read as they were.
INDICATOR_LABELS = {
    **MEASURE_LABELS,
    "dtts_women": _l("Cán bộ nữ người dân tộc thiểu số trong diện quy hoạch được đào tạo, tập huấn"),
    "dtts_women_staff": _l("Tỷ lệ nữ người dân tộc thiểu số trong số cán bộ nữ"),
    "women_staff_trained": _l("Tỷ lệ nữ cán bộ, công chức, viên chức được cử đi đào tạo, bồi dưỡng trong năm"),
}
STATUS_LABELS = {
    "met": _l("Đạt"),
    "on_track": _l("Đúng tiến độ"),
    "behind": _l("Chậm tiến độ"),
    "no_figure": _l("Chưa có số liệu"),
}
