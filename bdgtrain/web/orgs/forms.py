"""Organisation forms: the unit itself, and its dated changes (move, rename, end)."""
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from ...models import ORG_KINDS
from ..common import Form, VnDateField, choices, coerce_optional_int, strip_filter
from ..labels import ORG_KIND_LABELS

REQUIRED = _l("Trường này là bắt buộc.")


class OrgForm(Form):
    code = StringField(_l("Mã đơn vị"), filters=[strip_filter], validators=[DataRequired(REQUIRED), Length(max=40)],
                       description=_l("Mã ngắn, không trùng, ví dụ SNV, HLHPN, HT-CX."))
    name = StringField(_l("Tên đơn vị"), filters=[strip_filter], validators=[DataRequired(REQUIRED), Length(max=255)])
    kind = SelectField(_l("Loại đơn vị"), choices=choices((k, ORG_KIND_LABELS[k]) for k in ORG_KINDS))
    parent_id = SelectField(_l("Đơn vị cấp trên"), coerce=coerce_optional_int, validate_choice=False)
    valid_from = VnDateField(_l("Ngày thành lập / bắt đầu hiệu lực"))
    valid_to = VnDateField(_l("Ngày giải thể / sáp nhập (ngày cuối cùng)"),
                           description=_l("Để trống nếu đơn vị còn hoạt động."))
    successor_id = SelectField(_l("Đơn vị kế thừa"), coerce=coerce_optional_int, validate_choice=False,
                               description=_l("Đơn vị tiếp nhận sau khi sáp nhập hoặc giải thể."))
    note = TextAreaField(_l("Ghi chú"), filters=[strip_filter])


class MoveForm(Form):
    moved_on = VnDateField(_l("Ngày chuyển"), description=_l(
        "Từ ngày này đơn vị trực thuộc đơn vị cấp trên mới; số liệu các ngày trước vẫn tính theo đơn vị cấp trên cũ."))
    parent_id = SelectField(_l("Đơn vị cấp trên mới"), coerce=coerce_optional_int, validate_choice=False)


class RenameForm(Form):
    renamed_on = VnDateField(_l("Ngày đổi tên"), description=_l("Báo cáo các ngày trước vẫn dùng tên cũ."))
    name = StringField(_l("Tên mới"), filters=[strip_filter], validators=[Length(max=255)])


class EndForm(Form):
    valid_to = VnDateField(_l("Ngày kết thúc (ngày cuối cùng đơn vị hoạt động)"))
    successor_ids = SelectMultipleField(_l("Đơn vị kế thừa"), coerce=int, validate_choice=False,
                                        description=_l("Một hoặc nhiều đơn vị (ví dụ các xã nhận địa bàn của huyện); "
                                                       "giữ Ctrl để chọn nhiều."))
    note = TextAreaField(_l("Ghi chú (căn cứ, quyết định)"), filters=[strip_filter])
    confirmed = HiddenField()


class DocumentSettingsForm(Form):
    """What the unit's official documents say unless the document says otherwise."""

    header_name = StringField(_l("Tên cơ quan trên tiêu đề"), filters=[strip_filter], validators=[Length(max=255)],
                              description=_l("Viết hoa như trên văn bản, ví dụ SỞ NỘI VỤ; để trống: tên đơn vị, bỏ "
                                             "phần trong ngoặc."))
    parent_header = StringField(_l("Tên cơ quan chủ quản"), filters=[strip_filter], validators=[Length(max=255)],
                                description=_l("Ví dụ: UBND TỈNH HÀ TĨNH; để trống: đơn vị cấp trên trong cây."))
    number_suffix = StringField(_l("Ký hiệu báo cáo"), filters=[strip_filter], validators=[Length(max=40)],
                                description=_l("Phần sau dấu “/” của số hiệu, ví dụ BC-SNV."))
    place = StringField(_l("Địa danh"), filters=[strip_filter], validators=[Length(max=120)],
                        description=_l("Ví dụ: Hà Tĩnh"))
    signer_authority = StringField(_l("Thẩm quyền ký"), filters=[strip_filter], validators=[Length(max=120)],
                                   description=_l("Ví dụ: KT. GIÁM ĐỐC, TM. ỦY BAN NHÂN DÂN, Q. GIÁM ĐỐC; để trống "
                                                  "khi người đứng đầu ký."))
    signer_title = StringField(_l("Chức vụ người ký"), filters=[strip_filter], validators=[Length(max=120)])
    signer_name = StringField(_l("Họ tên người ký"), filters=[strip_filter], validators=[Length(max=120)])
    recipients = TextAreaField(_l("Nơi nhận (mỗi dòng một nơi)"), validators=[Length(max=4000)])
