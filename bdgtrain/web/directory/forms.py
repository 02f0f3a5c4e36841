"""Trainer and venue forms."""
from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional

from ..common import Form, VnIntegerField, strip_filter

REQUIRED = _l("Trường này là bắt buộc.")


class TrainerForm(Form):
    name = StringField(_l("Họ và tên"), filters=[strip_filter], validators=[DataRequired(REQUIRED), Length(max=255)])
    academic_title = StringField(_l("Học hàm, học vị"), filters=[strip_filter], validators=[Length(max=80)],
                                 description=_l("Ví dụ: Tiến sĩ, Thạc sĩ, PGS.TS."))
    affiliation = StringField(_l("Cơ quan công tác"), filters=[strip_filter], validators=[Length(max=255)])
    email = StringField(_l("E-mail"), filters=[strip_filter],
                        validators=[Optional(), Email(_l("E-mail không hợp lệ.")), Length(max=255)])


class VenueForm(Form):
    name = StringField(_l("Tên địa điểm"), filters=[strip_filter], validators=[DataRequired(REQUIRED), Length(max=255)])
    address = TextAreaField(_l("Địa chỉ"), filters=[strip_filter])
    capacity = VnIntegerField(_l("Sức chứa (người)"), validators=[
        Optional(), NumberRange(min=1, max=100000, message=_l("Sức chứa phải từ 1 đến 100000."))])
