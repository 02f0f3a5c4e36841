"""The login form, and the button that logs out her other sessions."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Length

from ..common import Form


class LoginForm(Form):
    email = StringField(_l("E-mail"), validators=[DataRequired(_l("Vui lòng nhập e-mail.")), Length(max=255)],
                        render_kw={"autocomplete": "username", "inputmode": "email"})
    password = PasswordField(_l("Mật khẩu"), validators=[DataRequired(_l("Vui lòng nhập mật khẩu."))],
                             render_kw={"autocomplete": "current-password"})
    remember = BooleanField(_l("Ghi nhớ đăng nhập trên máy này"))
    next = HiddenField()


class EndSessionsForm(Form):
    """A button only: the CSRF token is what is checked."""
