"""Forms of the external-training pages."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from ..common import Form, VnDateField, choices, strip_filter
from ..labels import EXTERNAL_TRAINING_KIND_LABELS


class TrainingForm(Form):
    kind = SelectField(_l("Loại hình"), validate_choice=False)
    title = StringField(_l("Nội dung, tên khóa"), filters=[strip_filter])
    provider = StringField(_l("Cơ sở đào tạo"), filters=[strip_filter], validators=[Length(max=255)])
    started_on = VnDateField(_l("Từ ngày"))
    ended_on = VnDateField(_l("Đến ngày"), description=_l(
        "Khóa được tính từ ngày kết thúc; khóa chưa kết thúc thì để trống."))
    counts_towards_measures = BooleanField(_l("Tính vào chỉ tiêu (tỷ lệ cán bộ nữ được đào tạo, tập huấn)"),
                                           default=True)
    evidence = TextAreaField(_l("Số chứng chỉ, quyết định"), filters=[strip_filter], validators=[Length(max=500)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = choices((code, str(label)) for code, label in EXTERNAL_TRAINING_KIND_LABELS.items())


class PersonSearchForm(Form):
    """Sent by POST, so that a name or ID number never lands in a URL."""

    q = StringField(_l("Họ tên, số điện thoại hoặc số CCCD"), filters=[strip_filter],
                    validators=[DataRequired(_l("Nhập nội dung cần tìm.")),
                                Length(min=2, max=120, message=_l("Nhập từ 2 đến 120 ký tự."))])


class UploadForm(Form):
    file = FileField(_l("Tệp danh sách đào tạo, bồi dưỡng (.xlsx, .xls, .csv)"),
                     validators=[FileRequired(_l("Vui lòng chọn tệp."))], render_kw={"accept": ".xlsx,.xls,.csv"})
