"""Certificates' forms: issuing a class's certificates (the day, place and signer they print), revoking."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from ...services.certificates.certificates import DETAIL_MAX, REASON_MAX
from ..common import Form, VnDateField, strip_filter


class RevokeForm(Form):
    reason = TextAreaField(_l("Lý do thu hồi"), filters=[strip_filter],
                           validators=[DataRequired(_l("Hãy ghi lý do thu hồi.")),
                                       Length(max=REASON_MAX, message=_l("Lý do dài quá %(max)d ký tự."))])


class _Needed:
    """Marks a field required (the star, the browser's check) and leaves the refusal to the service, which
    the command line calls too: one place for the rule and its message."""

    field_flags = {"required": True}

    def __call__(self, form, field):
        return None


def _text(label, needed: bool = True):
    return StringField(label, filters=[strip_filter], validators=[_Needed()] if needed else [],
                       render_kw={"maxlength": DETAIL_MAX})


class IssueForm(Form):
    """Pre-filled with the class's last held day and the organising unit's saved place and signer."""

    issued_on = VnDateField(_l("Ngày cấp"), validators=[_Needed()])
    place = _text(_l("Địa danh (nơi cấp)"))
    signer_authority = _text(_l("Thẩm quyền ký (TM., KT., Q., ...)"), needed=False)
    signer_title = _text(_l("Chức vụ người ký"))
    signer_name = _text(_l("Họ và tên người ký"))
