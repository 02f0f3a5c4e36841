"""Forms of the lists area."""
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import Length, NumberRange, Optional

from ..common import Form, VnIntegerField, coerce_optional_int, strip_filter


class UploadForm(Form):
    source_org_id = SelectField(_l("Đơn vị gửi danh sách"), coerce=coerce_optional_int, validate_choice=False)
    file = FileField(_l("Tệp danh sách (.xlsx, .xls, .csv)"),
                     validators=[FileRequired(_l("Vui lòng chọn tệp danh sách."))],
                     render_kw={"accept": ".xlsx,.xls,.csv,.txt"})


class QuotaForm(Form):
    organisation_id = SelectField(_l("Đơn vị cử"), coerce=coerce_optional_int, validate_choice=False)
    seats = VnIntegerField(_l("Số suất được phân bổ"), validators=[Optional(), NumberRange(
        min=0, max=100000, message=_l("Số suất phải từ 0 đến 100000."))],
        description=_l("Để trống để bỏ số suất phân bổ cho đơn vị này."))


class ContactForm(Form):
    """A participant's e-mail and phone; checked again by services.lists.contacts."""
    email = StringField(_l("E-mail"), filters=[strip_filter], validators=[Length(max=255)],
                        render_kw={"type": "email", "autocomplete": "off", "inputmode": "email"})
    phone = StringField(_l("Số điện thoại"), filters=[strip_filter], validators=[Length(max=40)],
                        render_kw={"type": "tel", "autocomplete": "off", "inputmode": "tel"})


class EnrolmentForm(Form):
    action = SelectField(_l("Thay đổi"), choices=[])
    replacement_id = SelectField(_l("Người thay thế"), coerce=coerce_optional_int, validate_choice=False)
    note = TextAreaField(_l("Lý do, ghi chú"), filters=[strip_filter], validators=[Length(max=2000)])


class SearchForm(Form):
    class Meta:
        csrf = False

    q = StringField(_l("Tìm theo tên"))
