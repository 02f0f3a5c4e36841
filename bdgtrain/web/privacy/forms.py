"""Forms of the personal-data pages."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, StringField
from wtforms.validators import DataRequired, Length

from ..common import Form, strip_filter


class PersonSearchForm(Form):
    """Sent by POST, so that a name or phone number never lands in a URL (nor in a proxy's log)."""

    q = StringField(_l("Họ tên, số điện thoại, e-mail hoặc số CCCD"), filters=[strip_filter],
                    validators=[DataRequired(_l("Nhập nội dung cần tìm.")),
                                Length(min=2, max=120, message=_l("Nhập từ 2 đến 120 ký tự."))])


class EraseForm(Form):
    confirm = BooleanField(_l("Tôi hiểu rằng việc xóa là vĩnh viễn, không thể khôi phục."),
                           validators=[DataRequired(_l("Hãy đánh dấu xác nhận trước khi xóa."))])
