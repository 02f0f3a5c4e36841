"""Forms of a unit's planning pool: adding a person, leaving, joining again, carrying, importing a list."""
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ..common import Form, VnDateField, VnIntegerField, choices, strip_filter

REQUIRED = _l("Trường này là bắt buộc.")
LEAVE_REASON_LABELS = {
    "appointed": _l("Được bổ nhiệm"),
    "moved": _l("Chuyển công tác"),
    "removed": _l("Đưa ra khỏi quy hoạch"),
    "retired": _l("Nghỉ hưu"),
    "other": _l("Lý do khác"),
}
SEX_CHOICES = [("", _l("— Không rõ —")), ("F", _l("Nữ")), ("M", _l("Nam"))]


class AddEntryForm(Form):
    cycle = StringField(_l("Nhiệm kỳ"), filters=[strip_filter], validators=[DataRequired(REQUIRED), Length(max=20)],
                        description=_l("Ví dụ: 2021-2026"))
    person_id = RadioField(_l("Người đã có trong danh sách"), coerce=str, validate_choice=False,
                           validators=[Optional()])
    full_name = StringField(_l("Họ và tên (người mới)"), filters=[strip_filter], validators=[Length(max=255)])
    sex = SelectField(_l("Giới tính"), choices=choices(SEX_CHOICES), validate_choice=False)
    birth_year = VnIntegerField(_l("Năm sinh"))
    phone = StringField(_l("Số điện thoại"), filters=[strip_filter], validators=[Length(max=20)])
    position = StringField(_l("Chức vụ"), filters=[strip_filter], validators=[Length(max=255)])
    added_on = VnDateField(_l("Ngày vào quy hoạch"),
                           description=_l("Để trống: ngày đầu nhiệm kỳ. Không được sau ngày cuối nhiệm kỳ."))
    planned_posts = StringField(_l("Chức danh quy hoạch"), filters=[strip_filter], validators=[Length(max=500)])


class LeaveForm(Form):
    left_on = VnDateField(_l("Ngày rời diện quy hoạch"), validators=[InputRequired(REQUIRED)],
                          description=_l("Ngày đầu tiên người này không còn trong diện quy hoạch."))
    reason = SelectField(_l("Lý do"), choices=choices([("", _l("— Chọn lý do —")), *LEAVE_REASON_LABELS.items()]),
                         validators=[DataRequired(REQUIRED)])
    note = TextAreaField(_l("Ghi chú"), filters=[strip_filter], validators=[Length(max=1000)],
                         description=_l("Ví dụ: số quyết định"))


class RejoinForm(Form):
    added_on = VnDateField(_l("Ngày vào lại diện quy hoạch"), validators=[InputRequired(REQUIRED)])
    note = TextAreaField(_l("Ghi chú"), filters=[strip_filter], validators=[Length(max=1000)])


class CarryForm(Form):
    to_cycle = StringField(_l("Chuyển sang nhiệm kỳ"), filters=[strip_filter],
                           validators=[DataRequired(REQUIRED), Length(max=20)], description=_l("Ví dụ: 2021-2026"))


class UploadForm(Form):
    cycle = StringField(_l("Nhiệm kỳ"), filters=[strip_filter], validators=[DataRequired(REQUIRED), Length(max=20)],
                        description=_l("Ví dụ: 2021-2026 (cột “Nhiệm kỳ” của tệp, nếu có, được ưu tiên)"))
    file = FileField(_l("Danh sách quy hoạch (.xlsx)"), validators=[FileRequired(_l("Vui lòng chọn tệp."))],
                     render_kw={"accept": ".xlsx,.xls,.csv"},
                     description=_l("Các cột như danh sách của Sở Nội vụ; thêm “Chức danh quy hoạch”, “Nhiệm kỳ”, "
                                    "“Ngày vào quy hoạch” nếu có. Chưa ghi gì cho đến khi bạn xác nhận."))


class ConfirmUploadForm(Form):
    leave_missing_on = VnDateField(_l("Ngày rời diện quy hoạch của những người không còn trong danh sách"))
    keep_missing = BooleanField(_l("Giữ nguyên những người không còn trong danh sách (không ghi rời)"))
