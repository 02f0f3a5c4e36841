"""The one form certificates need: revoking, with its reason."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from ...services.certificates.certificates import REASON_MAX
from ..common import Form, strip_filter


class RevokeForm(Form):
    reason = TextAreaField(_l("Lý do thu hồi"), filters=[strip_filter],
                           validators=[DataRequired(_l("Hãy ghi lý do thu hồi.")),
                                       Length(max=REASON_MAX, message=_l("Lý do dài quá %(max)d ký tự."))])
