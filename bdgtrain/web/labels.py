"""Vietnamese labels for stored codes (kinds, roles, statuses, audit and access-log actions, devices), translatable.

A page never shows a stored code: it asks `label(value, kind)` (the Jinja filter `label`), which falls back
to the code itself only for a value no code path writes today (an old row). tests/web/test_labels.py fails
when an audit or access-log action written by the code, or a value of a model's enum, has no label here.
"""
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from markupsafe import Markup, escape

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


# Every audit action the services record (services.core.audit.record), by its dotted name.
AUDIT_ACTION_LABELS = {
    "api_token.created": _l("Tạo mã truy cập API"),
    "api_token.revoked": _l("Thu hồi mã truy cập API"),
    "auth.login.failed": _l("Đăng nhập không thành công"),
    "calendar.feed.created": _l("Tạo đường dẫn lịch"),
    "calendar.feed.revoked": _l("Thu hồi đường dẫn lịch"),
    "calendar.feed.rotated": _l("Đổi đường dẫn lịch"),
    "calendar.invitations.queued": _l("Xếp thư mời vào hàng gửi"),
    "calendar.invitations.retried": _l("Gửi lại thư mời"),
    "calendar.updates.queued": _l("Xếp thư báo thay đổi vào hàng gửi"),
    "calendar.cancellations.queued": _l("Xếp thư báo hủy vào hàng gửi"),
    "calendar.plan.access_changed": _l("Đổi quyền xem lịch của kế hoạch"),
    "certificate.issued": _l("Cấp chứng nhận"),
    "certificate.reissued": _l("Cấp lại chứng nhận"),
    "certificate.revoked": _l("Thu hồi chứng nhận"),
    "checkin.manual.changed": _l("Sửa điểm danh bằng tay"),
    "directory.trainer.created": _l("Thêm giảng viên"),
    "directory.trainer.deleted": _l("Xóa giảng viên"),
    "directory.trainer.updated": _l("Sửa thông tin giảng viên"),
    "directory.venue.created": _l("Thêm địa điểm"),
    "directory.venue.deleted": _l("Xóa địa điểm"),
    "directory.venue.updated": _l("Sửa thông tin địa điểm"),
    "feedback.settings.changed": _l("Đổi cài đặt phiếu đánh giá"),
    "feedback.trainer_link.issued": _l("Cấp đường dẫn kết quả cho giảng viên"),
    "feedback.trainer_link.revoked": _l("Thu hồi đường dẫn kết quả của giảng viên"),
    "lists.enrolment.nominated": _l("Chuyển về trạng thái được cử"),
    "lists.enrolment.confirmed": _l("Xác nhận học viên"),
    "lists.enrolment.declined": _l("Ghi nhận không tham gia"),
    "lists.enrolment.replaced": _l("Thay người"),
    "lists.enrolment.waiting": _l("Chuyển vào danh sách chờ"),
    "lists.enrolment.promoted": _l("Chuyển từ danh sách chờ vào lớp"),
    "lists.enrolment.nominated_from_pool": _l("Cử từ diện quy hoạch"),
    "lists.import.applied": _l("Nhập danh sách"),
    "lists.import.discarded": _l("Bỏ danh sách tải lên"),
    "lists.person.merged": _l("Gộp hai người trùng"),
    "lists.person.split": _l("Tách người bị gộp nhầm"),
    "lists.quota.changed": _l("Đổi số suất của đơn vị cử"),
    "lists.roster.confirmed": _l("Xác nhận danh sách lớp"),
    "org.created": _l("Thêm đơn vị"),
    "org.deleted": _l("Xóa đơn vị"),
    "org.documents.saved": _l("Lưu thông tin văn bản của đơn vị"),
    "org.ended": _l("Ghi nhận đơn vị chấm dứt hoạt động"),
    "org.headcount.saved": _l("Lưu số cán bộ của đơn vị"),
    "org.moved": _l("Chuyển đơn vị cấp trên"),
    "org.renamed": _l("Đổi tên đơn vị"),
    "org.updated": _l("Sửa thông tin đơn vị"),
    "person.contact.changed": _l("Sửa thông tin liên hệ"),
    "person.created": _l("Thêm người"),
    "plan.class.cancelled": _l("Hủy lớp"),
    "plan.class.closed": _l("Kết thúc lớp"),
    "plan.class.created": _l("Tạo lớp"),
    "plan.class.deleted": _l("Xóa lớp"),
    "plan.class.reopened": _l("Mở lại lớp đã kết thúc"),
    "plan.class.restored": _l("Khôi phục lớp đã hủy"),
    "plan.class.updated": _l("Sửa thông tin lớp"),
    "plan.created": _l("Tạo kế hoạch"),
    "plan.deleted": _l("Xóa kế hoạch"),
    "plan.document.reset": _l("Đặt lại văn bản kế hoạch"),
    "plan.document.saved": _l("Lưu văn bản kế hoạch"),
    "plan.next_year.created": _l("Tạo kế hoạch năm sau"),
    "plan.reading.confirmed": _l("Xác nhận kế hoạch đọc từ tệp"),
    "plan.reading.drafted": _l("Đọc kế hoạch từ tệp"),
    "plan.reading.edited": _l("Sửa kế hoạch đọc từ tệp"),
    "plan.report.correction_started": _l("Bắt đầu đính chính báo cáo"),
    "plan.report.draft_deleted": _l("Xóa dự thảo báo cáo"),
    "plan.report.generated": _l("Lập báo cáo"),
    "plan.report.issued": _l("Ban hành báo cáo"),
    "plan.report.updated": _l("Sửa báo cáo"),
    "plan.session.cancelled": _l("Hủy buổi học"),
    "plan.session.created": _l("Thêm buổi học"),
    "plan.session.deleted": _l("Xóa buổi học"),
    "plan.session.restored": _l("Khôi phục buổi học"),
    "plan.session.updated": _l("Sửa buổi học"),
    "plan.target.created": _l("Thêm chỉ tiêu"),
    "plan.target.deleted": _l("Xóa chỉ tiêu"),
    "plan.target.updated": _l("Sửa chỉ tiêu"),
    "plan.updated": _l("Sửa kế hoạch"),
    "pool.entry.added": _l("Thêm vào diện quy hoạch"),
    "pool.entry.carried": _l("Chuyển sang nhiệm kỳ quy hoạch mới"),
    "pool.entry.left": _l("Ra khỏi diện quy hoạch"),
    "pool.entry.rejoined": _l("Trở lại diện quy hoạch"),
    "pool.external_training.created": _l("Thêm đào tạo ngoài hệ thống"),
    "pool.external_training.deleted": _l("Xóa đào tạo ngoài hệ thống"),
    "pool.external_training.import_discarded": _l("Bỏ tệp đào tạo ngoài hệ thống"),
    "pool.external_training.imported": _l("Nhập tệp đào tạo ngoài hệ thống"),
    "pool.external_training.updated": _l("Sửa đào tạo ngoài hệ thống"),
    "pool.import.applied": _l("Nhập danh sách quy hoạch"),
    "pool.import.discarded": _l("Bỏ danh sách quy hoạch tải lên"),
    "pool.import.uploaded": _l("Tải lên danh sách quy hoạch"),
    "privacy.imports.purged": _l("Xóa tệp tải lên quá hạn lưu giữ"),
    "privacy.person.erased": _l("Xóa thông tin cá nhân"),
    "user.created": _l("Tạo tài khoản"),
    "user.login": _l("Đăng nhập"),
    "user.logout": _l("Đăng xuất"),
    "user.password.changed": _l("Đổi mật khẩu"),
    "user.sessions.ended_others": _l("Đăng xuất các phiên khác"),
    "user.updated": _l("Sửa tài khoản"),
}
# Every kind of access-log entry (web.access_log.record_access), by its dotted name.
ACCESS_ACTION_LABELS = {
    "roster.viewed": _l("Xem danh sách học viên"), "roster.exported": _l("Xuất danh sách học viên"),
    "roster.snapshot.downloaded": _l("Máy quét tải danh sách"), "signin_sheet.printed": _l("In danh sách ký tên"),
    "cards.printed": _l("In thẻ mời"), "attendance.viewed": _l("Xem bảng điểm danh"),
    "attendance.live.viewed": _l("Xem điểm danh trực tiếp"), "scans.viewed": _l("Xem nhật ký quét"),
    "enrolment.viewed": _l("Xem hồ sơ ghi danh"), "list.import.viewed": _l("Xem danh sách tải lên"),
    "duplicates.viewed": _l("Xem danh sách nghi trùng"), "invitations.viewed": _l("Xem thư mời đã gửi"),
    "person.searched": _l("Tìm người"), "person.viewed": _l("Xem dữ liệu cá nhân"),
    "person.exported": _l("Xuất dữ liệu cá nhân"),
    "training_records.viewed": _l("Xem danh sách đào tạo ngoài hệ thống"),
    "training_records.exported": _l("Xuất danh sách đào tạo ngoài hệ thống"),
    "training_records.person.viewed": _l("Xem đào tạo ngoài hệ thống của một người"),
    "training_records.person.searched": _l("Tìm người để ghi đào tạo ngoài hệ thống"),
    "training_records.import.viewed": _l("Xem tệp đào tạo ngoài hệ thống tải lên"),
    "certificates.downloaded": _l("Tải giấy chứng nhận"),
    "certificates.printed": _l("In giấy chứng nhận"),
    "certificates.viewed": _l("Xem danh sách chứng nhận"),
    "compliance.exported": _l("Xuất danh sách đúng/sai thành phần"),
    "compliance.viewed": _l("Xem danh sách đúng/sai thành phần"),
    "monitoring.dashboard.viewed": _l("Xem trang giám sát"),
    "plan.summary.exported": _l("Xuất báo cáo tổng hợp kế hoạch"),
    "plan.summary.viewed": _l("Xem báo cáo tổng hợp kế hoạch"),
    "pool.import.viewed": _l("Xem danh sách quy hoạch tải lên"),
    "pool.list.viewed": _l("Xem danh sách quy hoạch"),
    "pool.untrained.viewed": _l("Xem danh sách chưa được tập huấn"),
}
# A participant's place in a class (models.people.ENROLMENT_STATUSES): her "confirmed" is not a class's.
ENROLMENT_STATUS_LABELS = {
    "nominated": _l("Được cử"),
    "confirmed": _l("Đã xác nhận"),
    "declined": _l("Không tham gia"),
    "replaced": _l("Đã thay người"),
    "waiting": _l("Danh sách chờ"),
}
SESSION_STATUS_LABELS = {"scheduled": _l("Theo lịch"), "cancelled": _l("Đã hủy")}
# What happened, derived from the sessions and attendance (rules/class_status.py): the class and session badges.
CLASS_STATE_LABELS = {
    "planned": _l("Dự kiến"),
    "confirmed": _l("Chính thức"),
    "running": _l("Đang diễn ra"),
    "held": _l("Đã tổ chức"),
    "closed": _l("Đã kết thúc"),
    "cancelled": _l("Đã hủy"),
}
SESSION_STATE_LABELS = {
    "scheduled": _l("Theo lịch"),
    "running": _l("Đang diễn ra"),
    "held": _l("Đã học"),
    "unrecorded": _l("Đã qua, chưa điểm danh"),
    "cancelled": _l("Đã hủy"),
}
# An account (active or not) and a unit that has ended, as their badges say.
ACTIVITY_LABELS = {"active": _l("Đang hoạt động"), "inactive": _l("Ngừng hoạt động"), "ended": _l("Đã giải thể")}
ATTENDANCE_STATUS_LABELS = {
    "present": _l("Có mặt"),
    "late": _l("Đến muộn"),
    "excused": _l("Vắng có phép"),
    "absent": _l("Vắng"),
}
# How an attendance row or a scan came to be (models.attendance.ATTENDANCE_SOURCES).
ATTENDANCE_SOURCE_LABELS = {
    "scanner": _l("Máy quét"),
    "kiosk": _l("Mã phòng trên màn chiếu"),
    "manual": _l("Điểm danh bằng tay"),
    "offline": _l("Máy quét (gửi sau khi mất mạng)"),
    "api": _l("Qua API"),
    "auto": _l("Tự động khi đóng buổi"),
}
SCAN_OUTCOME_LABELS = {
    "checked_in": _l("Đã điểm danh"),
    "already": _l("Đã điểm danh trước đó"),
    "not_on_list": _l("Không có trong danh sách"),
    "wrong_class": _l("Vé của lớp khác"),
    "outside_window": _l("Ngoài giờ điểm danh"),
    "invalid_token": _l("Mã không hợp lệ"),
    "revoked": _l("Vé đã thu hồi"),
    "cancelled": _l("Lớp đã hủy"),
    "code_expired": _l("Mã phòng hết hạn"),
    "conflict": _l("Trùng mã lượt quét"),
}
MAIL_KIND_LABELS = {
    "invitation": _l("Thư mời"),
    "update": _l("Thư báo thay đổi"),
    "cancellation": _l("Thư báo hủy"),
    "completion_warning": _l("Thư nhắc chưa đủ buổi"),
}
MAIL_STATUS_LABELS = {
    "queued": _l("Chờ gửi"),
    "sending": _l("Đang gửi"),
    "sent": _l("Đã gửi"),
    "failed": _l("Gửi lỗi"),
    "skipped": _l("Không gửi"),
}
LEAVE_REASON_LABELS = {
    "appointed": _l("Đã được bổ nhiệm"),
    "moved": _l("Chuyển công tác"),
    "removed": _l("Đưa ra khỏi quy hoạch"),
    "retired": _l("Nghỉ hưu"),
    "other": _l("Lý do khác"),
}
RECEIPT_KIND_LABELS = {"form": _l("Phiếu đánh giá"), "pre_quiz": _l("Bài kiểm tra đầu khóa")}
FEED_KIND_LABELS = {
    "person": _l("Lịch của một người"),
    "class": _l("Lịch của lớp"),
    "plan": _l("Lịch của kế hoạch"),
    "organisation": _l("Lịch của đơn vị"),
    "trainer": _l("Lịch của giảng viên"),
}
REPORT_KIND_LABELS = {"six_month": _l("Báo cáo 6 tháng"), "annual": _l("Báo cáo năm")}
REPORT_STATUS_LABELS = {"draft": _l("Dự thảo"), "issued": _l("Đã ban hành")}
IMPORT_STATUS_LABELS = {
    "preview": _l("Đang xem trước"),
    "submitted": _l("Đã nhập"),
    "applied": _l("Đã nhập"),
    "discarded": _l("Đã bỏ"),
}
# What an audit event is about (its object_type, a model's class name), and the word a page names it by.
OBJECT_TYPE_LABELS = {
    "Plan": _l("Kế hoạch"),
    "TrainingClass": _l("Lớp tập huấn"),
    "ClassSession": _l("Buổi học"),
    "Organisation": _l("Đơn vị"),
    "User": _l("Tài khoản"),
    "Person": _l("Người"),
    "Enrolment": _l("Học viên"),
    "Attendance": _l("Điểm danh"),
    "Venue": _l("Địa điểm"),
    "Trainer": _l("Giảng viên"),
    "Target": _l("Chỉ tiêu"),
    "PeriodicReport": _l("Báo cáo"),
    "Certificate": _l("Giấy chứng nhận"),
    "ApiToken": _l("Mã truy cập API"),
    "CalendarFeed": _l("Đường dẫn lịch"),
    "ListImport": _l("Danh sách tải lên"),
    "PoolImport": _l("Danh sách quy hoạch tải lên"),
    "PoolEntry": _l("Diện quy hoạch"),
    "ExternalTraining": _l("Đào tạo ngoài hệ thống"),
    "ExternalTrainingImport": _l("Tệp đào tạo ngoài hệ thống"),
    "PlanReadingDraft": _l("Kế hoạch đọc từ tệp"),
    "PlanDocument": _l("Văn bản kế hoạch"),
    "SeatQuota": _l("Số suất của đơn vị cử"),
    "FeedbackSettings": _l("Cài đặt phiếu đánh giá"),
    "FeedbackTrainerLink": _l("Đường dẫn kết quả cho giảng viên"),
    "UnitHeadcount": _l("Số cán bộ của đơn vị"),
    "DocumentSettings": _l("Thông tin văn bản"),
    "ImportRetention": _l("Tệp tải lên"),
    "LoginSession": _l("Phiên đăng nhập"),
}

# Every kind of code a page may label, by the name templates give it: `{{ e.status|label('enrolment') }}`.
LABELS_BY_KIND = {
    "audit_action": AUDIT_ACTION_LABELS,
    "access_action": ACCESS_ACTION_LABELS,
    "object_type": OBJECT_TYPE_LABELS,
    "sex": SEX_LABELS,
    "role": ROLE_LABELS,
    "org_kind": ORG_KIND_LABELS,
    "class_status": CLASS_STATUS_LABELS,
    "session_status": SESSION_STATUS_LABELS,
    "class_state": CLASS_STATE_LABELS,
    "session_state": SESSION_STATE_LABELS,
    "activity": ACTIVITY_LABELS,
    "enrolment": ENROLMENT_STATUS_LABELS,
    "attendance": ATTENDANCE_STATUS_LABELS,
    "source": ATTENDANCE_SOURCE_LABELS,
    "scan_outcome": SCAN_OUTCOME_LABELS,
    "mail_kind": MAIL_KIND_LABELS,
    "mail_status": MAIL_STATUS_LABELS,
    "leave_reason": LEAVE_REASON_LABELS,
    "receipt_kind": RECEIPT_KIND_LABELS,
    "feed_kind": FEED_KIND_LABELS,
    "report_kind": REPORT_KIND_LABELS,
    "report_status": REPORT_STATUS_LABELS,
    "import_status": IMPORT_STATUS_LABELS,
    "external_training_kind": EXTERNAL_TRAINING_KIND_LABELS,
    "measure": INDICATOR_LABELS,
}


def label(value, kind: str) -> str:
    """The Vietnamese label of a stored code of `kind` (LABELS_BY_KIND); the code itself when unknown (an old
    row), "" for None."""
    if value is None or value == "":
        return ""
    if kind == "device":
        return device_label(value)
    found = LABELS_BY_KIND[kind].get(value)
    return str(found) if found is not None else str(value)


def device_label(device: str | None) -> str:
    """A scanning device as people know it: the web scanner's "web-5470cb7a" is "Máy quét 5470" (its id's first
    four characters tell two phones apart); the scanner form without JavaScript is "web"."""
    if not device:
        return ""
    if device == "web":
        return str(_l("Máy quét trên trang web"))
    if device.startswith("web-") and len(device) > 4:
        return str(_l("Máy quét %(id)s", id=device[4:8]))
    return device


# --- what the logs hold beside the action -----------------------------------------------------------

# The fields of an audit event's before/after (the services' *_FIELDS), as the audit page names them.
AUDIT_FIELD_LABELS = {
    "code": _l("Mã"), "name": _l("Tên"), "title": _l("Tên"), "number": _l("Số"), "kind": _l("Loại"),
    "status": _l("Trạng thái"), "status_note": _l("Ghi chú trạng thái"), "note": _l("Ghi chú"),
    "label": _l("Tên gọi"), "email": _l("E-mail"), "phone": _l("Số điện thoại"), "full_name": _l("Họ và tên"),
    "role": _l("Vai trò"), "organisation_id": _l("Đơn vị"), "is_active_account": _l("Đang hoạt động"),
    "parent_id": _l("Đơn vị cấp trên"), "valid_from": _l("Hoạt động từ"), "valid_to": _l("Hoạt động đến"),
    "successor_id": _l("Đơn vị kế thừa"), "starts_at": _l("Bắt đầu"), "ends_at": _l("Kết thúc"),
    "sequence": _l("Thứ tự"), "content": _l("Nội dung"), "audience": _l("Thành phần"),
    "eligible_sex": _l("Giới tính được cử"), "eligible_org_kinds": _l("Loại đơn vị được cử"),
    "capacity": _l("Sức chứa"), "date_expression": _l("Ngày học"), "venue_id": _l("Địa điểm"),
    "address": _l("Địa chỉ"), "academic_title": _l("Học hàm, học vị"), "affiliation": _l("Cơ quan công tác"),
    "measure": _l("Chỉ số"), "value_percent": _l("Chỉ tiêu, phần trăm"), "deadline": _l("Hạn"),
    "issued_on": _l("Ngày ban hành"), "replaced_by_id": _l("Người thay"), "body_org_id": _l("Đơn vị cử"),
    "sex": _l("Giới tính"), "birth_date": _l("Ngày sinh"), "birth_year": _l("Năm sinh"), "source": _l("Nguồn"),
    "checkin_opens_minutes": _l("Mở điểm danh trước (phút)"), "late_after_minutes": _l("Tính muộn sau (phút)"),
    "room_code_seconds": _l("Mã phòng đổi sau (giây)"), "completion_percent": _l("Tỷ lệ buổi để hoàn thành, phần trăm"),
    "leave_reason": _l("Lý do ra"), "reason": _l("Lý do"), "queued": _l("Số thư xếp hàng"),
    "confirmed": _l("Số người xác nhận"), "class": _l("Lớp"), "trainer": _l("Giảng viên"),
    "period": _l("Kỳ báo cáo"), "unit": _l("Đơn vị"), "cycle": _l("Nhiệm kỳ"), "filename": _l("Tên tệp"),
    "rows": _l("Số dòng"), "calendar_access": _l("Quyền xem lịch"), "feed_id": _l("Đường dẫn lịch"),
}
# Which labels a field's values take: by field name, and for "status"/"kind" by the kind of object.
_FIELD_VALUE_KINDS = {"role": "role", "sex": "sex", "eligible_sex": "sex", "eligible_org_kinds": "org_kind",
                      "leave_reason": "leave_reason", "source": "source", "measure": "measure"}
_STATUS_KINDS = {"TrainingClass": "class_status", "ClassSession": "session_status", "Enrolment": "enrolment",
                 "Attendance": "attendance", "PeriodicReport": "report_status", "ListImport": "import_status",
                 "PoolImport": "import_status"}
_KIND_KINDS = {"Organisation": "org_kind", "CalendarFeed": "feed_kind", "ExternalTraining": "external_training_kind",
               "PeriodicReport": "report_kind"}


def audit_field(field: str) -> str:
    found = AUDIT_FIELD_LABELS.get(field)
    return str(found) if found is not None else field


def audit_summary(summary: str | None) -> str:
    """An event's summary as written, except a calendar link's ("class:3", its subject) in words."""
    kind, _sep, number = (summary or "").partition(":")
    if kind in FEED_KIND_LABELS and number.isdigit():
        return str(_l("%(kind)s (số %(number)s)", kind=FEED_KIND_LABELS[kind], number=number))
    return summary or ""


def audit_value(object_type: str, field: str, value):
    """A before/after value as a reader knows it: codes by their labels, lists item by item, the rest as is."""
    kind = _FIELD_VALUE_KINDS.get(field) or {"status": _STATUS_KINDS, "kind": _KIND_KINDS}.get(field, {}).get(
        object_type)
    if field == "kind" and kind is None and isinstance(value, str) and value in FEED_KIND_LABELS:
        kind = "feed_kind"  # calendar.feed.* events are about the plan or class the feed serves
    if kind is None:
        return value
    if isinstance(value, str) and field == "eligible_org_kinds":  # stored "province,department"
        value = [v for v in value.split(",") if v]
    if isinstance(value, list):
        return [label(v, kind) for v in value]
    return label(value, kind) if isinstance(value, str) else value


_EMPTY, _YES, _NO = _l("(trống)"), _l("có"), _l("không")


def audit_shown(object_type: str, field: str, value) -> Markup:
    """A before/after value as the audit page shows it (HTML): as `audit_value` says, "(trống)" in italics
    when empty, có/không for a yes/no, a list's items joined, each escaped. A function, not a template
    macro: a page of 50 events shows some 250 values."""
    value = audit_value(object_type, field, value)
    if value is None or value == "" or value == []:
        return Markup("<em>%s</em>") % str(_EMPTY)
    if value is True or value is False:
        return escape(str(_YES if value else _NO))
    if isinstance(value, (str, int, float)) or not hasattr(value, "__iter__"):
        return escape(value)
    return Markup(", ").join(value)


# The words of an access-log entry's detail ("plan HT-2019 unit HT-CX", "erase", "xlsx").
_DETAIL_WORDS = {
    "plan": _l("kế hoạch"), "unit": _l("đơn vị"), "cycle": _l("nhiệm kỳ"), "import": _l("tệp tải lên"),
    "pool": _l("quy hoạch"), "entry": _l("mục"), "history": _l("lịch sử"), "add": _l("thêm"),
    "waiting": _l("danh sách chờ"), "erase": _l("trang xóa"), "edit": _l("trang sửa"), "new": _l("thêm mới"),
    "delete": _l("trang xóa"), "nominate": _l("cử"), "from": _l("từ"), "api": _l("API"),
}


def access_detail(detail: str | None) -> str:
    if not detail:
        return ""
    return " ".join(str(_DETAIL_WORDS.get(word, word)) for word in detail.split())
