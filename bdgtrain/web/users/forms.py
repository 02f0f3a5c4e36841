"""Account forms."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from ...models import ROLES
from ..common import Form, choices, coerce_optional_int, strip_filter
from ..labels import ROLE_LABELS

REQUIRED = _l("Trường này là bắt buộc.")


class UserForm(Form):
    email = StringField(_l("E-mail"), filters=[strip_filter], validators=[DataRequired(REQUIRED), Length(max=255)])
    full_name = StringField(_l("Họ và tên"), filters=[strip_filter], validators=[Length(max=255)])
    role = SelectField(_l("Vai trò"), choices=choices((r, ROLE_LABELS[r]) for r in ROLES))
    organisation_id = SelectField(_l("Đơn vị"), coerce=coerce_optional_int, validate_choice=False,
                                  description=_l("Bắt buộc với cán bộ tổ chức, đơn vị cung cấp danh sách và giám sát."))
    is_active_account = BooleanField(_l("Tài khoản đang hoạt động"), default=True)
    password = PasswordField(_l("Mật khẩu"), validators=[Optional(), Length(min=10, message=_l(
        "Mật khẩu phải có ít nhất 10 ký tự."))], render_kw={"autocomplete": "new-password"},
        description=_l("Ít nhất 10 ký tự. Khi sửa tài khoản, để trống nếu không đổi mật khẩu."))
    password_again = PasswordField(_l("Nhập lại mật khẩu"), validators=[
        EqualTo("password", _l("Hai mật khẩu không khớp."))], render_kw={"autocomplete": "new-password"})
