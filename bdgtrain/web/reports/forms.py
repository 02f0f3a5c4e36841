"""Forms for targets, periodic reports and nominating from the planning pool."""
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from ..common import Form, VnDateField, VnIntegerField, choices, coerce_optional_int, strip_filter
from ..labels import MEASURE_LABELS

REQUIRED = _l("Trường này là bắt buộc.")


class TargetForm(Form):
    measure = SelectField(_l("Chỉ tiêu đo"), choices=choices(MEASURE_LABELS.items()))
    value_percent = VnIntegerField(_l("Giá trị, phần trăm"), validators=[
        InputRequired(REQUIRED), NumberRange(min=1, max=100, message=_l("Giá trị phải từ 1 đến 100."))])
    deadline = VnDateField(_l("Thời hạn đạt"), validators=[InputRequired(REQUIRED)],
                           description=_l("Ví dụ: 31/12/2025"))
    starts_on = VnDateField(_l("Bắt đầu tính từ ngày"),
                            description=_l("Ngày bắt đầu chương trình; tiến độ được ước tính theo đường thẳng từ "
                                           "số liệu ngày này. Để trống: ngày bắt đầu của kế hoạch."))
    window_starts_on = VnDateField(_l("Thời kỳ tính: từ ngày"),
                                   description=_l("Thời kỳ của văn bản đặt ra chỉ tiêu (Chương trình 2021-2030: "
                                                  "01/01/2021); cán bộ được tính là đã tập huấn khi có khóa học "
                                                  "trong thời kỳ này, trước hay sau khi vào diện quy hoạch."))
    window_ends_on = VnDateField(_l("Thời kỳ tính: đến ngày"), description=_l("Ví dụ: 31/12/2030"))
    scope_org_id = SelectField(_l("Phạm vi (đơn vị và các đơn vị trực thuộc)"), coerce=coerce_optional_int,
                               validate_choice=False)
    source = TextAreaField(_l("Căn cứ"), filters=[strip_filter],
                           description=_l("Ví dụ: Kế hoạch số 69/KH-UBND, mục I.3"))


REPORT_KIND_CHOICES = [("six_month", _l("Báo cáo 6 tháng")), ("annual", _l("Báo cáo năm")),
                       ("", _l("Khác (kỳ tự chọn)"))]


class ReportForm(Form):
    kind = SelectField(_l("Loại báo cáo"), choices=choices(REPORT_KIND_CHOICES), default="",
                       description=_l("Kỳ báo cáo 6 tháng từ 15/12 năm trước đến 14/6, kỳ năm từ 15/12 năm trước "
                                      "đến 14/12 (Nghị định 09/2019/NĐ-CP); sửa được."))
    label = StringField(_l("Tên báo cáo"), filters=[strip_filter], validators=[DataRequired(REQUIRED), Length(max=120)])
    organisation_id = SelectField(_l("Đơn vị"), coerce=coerce_optional_int, validate_choice=False,
                                  description=_l("Báo cáo của một đơn vị mang tiêu đề, số hiệu và người ký của đơn vị "
                                                 "đó."))
    period_start = VnDateField(_l("Kỳ báo cáo từ ngày"), validators=[InputRequired(REQUIRED)])
    period_end = VnDateField(_l("Đến ngày (số liệu tính đến ngày này)"), validators=[InputRequired(REQUIRED)])
    number = StringField(_l("Số hiệu"), filters=[strip_filter], validators=[DataRequired(REQUIRED), Length(max=80)],
                         description=_l("Ví dụ: 25/BC-SLĐTBXH"))
    place = StringField(_l("Địa danh"), filters=[strip_filter], validators=[DataRequired(REQUIRED), Length(max=120)],
                        description=_l("Ví dụ: Hà Tĩnh"))
    issued_on = VnDateField(_l("Ngày ban hành"), validators=[InputRequired(REQUIRED)],
                            description=_l("Không trước ngày cuối kỳ báo cáo."))
    results_text = TextAreaField(_l("I. Kết quả thực hiện (phần lời, trước các bảng số liệu)"),
                                 validators=[Length(max=20000)])
    shortcomings_text = TextAreaField(_l("II. Tồn tại, hạn chế và nguyên nhân"), validators=[Length(max=20000)])
    tasks_text = TextAreaField(_l("III. Nhiệm vụ trọng tâm kỳ tới"), validators=[Length(max=20000)])
    recommendations_text = TextAreaField(_l("IV. Kiến nghị, đề xuất"), validators=[Length(max=20000)])
    signer_authority = StringField(_l("Thẩm quyền ký"), filters=[strip_filter], validators=[Length(max=120)],
                                   description=_l("Ví dụ: KT. GIÁM ĐỐC, TM. ỦY BAN NHÂN DÂN; để trống khi người "
                                                  "đứng đầu ký."))
    signer_title = StringField(_l("Chức vụ người ký"), filters=[strip_filter], validators=[Length(max=120)],
                               description=_l("Ví dụ: PHÓ GIÁM ĐỐC"))
    signer_name = StringField(_l("Họ tên người ký"), filters=[strip_filter], validators=[Length(max=120)])
    recipients = TextAreaField(_l("Nơi nhận (mỗi dòng một nơi)"), validators=[Length(max=4000)],
                               description=_l("Ví dụ: Như trên; UBND tỉnh (để báo cáo); Lưu: VT."))


class NominateForm(Form):
    class_id = SelectField(_l("Lớp sắp tổ chức"), coerce=coerce_optional_int, validate_choice=False,
                           validators=[InputRequired(_l("Hãy chọn lớp."))])


class HeadcountForm(Form):
    staff_total = VnIntegerField(_l("Tổng số cán bộ, công chức, viên chức"), validators=[InputRequired(REQUIRED)])
    staff_women = VnIntegerField(_l("Trong đó nữ"), validators=[InputRequired(REQUIRED)])
    staff_dtts = VnIntegerField(_l("Người dân tộc thiểu số (DTTS)"))
    women_dtts = VnIntegerField(_l("Nữ người DTTS"))
    staff_sent_to_training = VnIntegerField(_l("Tổng số được cử đi đào tạo, bồi dưỡng trong năm (cả nam và nữ)"))
    women_sent_to_training = VnIntegerField(_l("Trong đó nữ được cử đi đào tạo, bồi dưỡng"))
    committee_total = VnIntegerField(_l("Tổng số cấp ủy viên (cấp ủy Đảng của đơn vị)"))
    committee_women = VnIntegerField(_l("Trong đó nữ cấp ủy viên"))
    masters_places_total = VnIntegerField(_l("Số người được cử đi đào tạo thạc sĩ trong năm"))
    masters_places_women = VnIntegerField(_l("Trong đó nữ được cử đi đào tạo thạc sĩ"))
    masters_total = VnIntegerField(_l("Số người có học vị thạc sĩ"))
    masters_women = VnIntegerField(_l("Trong đó nữ thạc sĩ"))
    doctorates_total = VnIntegerField(_l("Số người có học vị tiến sĩ"))
    doctorates_women = VnIntegerField(_l("Trong đó nữ tiến sĩ"))
    specialised_total = VnIntegerField(_l("Số cán bộ chuyên trách"))
    specialised_trained = VnIntegerField(_l("Trong đó được bồi dưỡng nâng cao năng lực trong năm"))
    key_leadership_has_woman = SelectField(
        _l("Lãnh đạo chủ chốt của đơn vị có nữ"),
        coerce=lambda v: ({"1": True, "0": False, "True": True, "False": False}.get(str(v))
                          if v not in ("", None, "None") else None),
        choices=choices([("", _l("Chưa báo cáo")), ("1", _l("Có")), ("0", _l("Không"))]))


class HeadcountImportForm(Form):
    file = FileField(_l("Tệp số liệu cán bộ (.xlsx)"), validators=[FileRequired(_l("Vui lòng chọn tệp."))],
                     render_kw={"accept": ".xlsx"},
                     description=_l("Các cột: Mã đơn vị, Năm, Tổng số, Nữ, DTTS, Nữ DTTS, Tổng số được cử đào tạo, "
                                    "Nữ được cử đào tạo, Lãnh đạo chủ chốt có nữ (Có/Không), Cấp ủy, Nữ cấp ủy, "
                                    "Cử học thạc sĩ, Nữ cử học thạc sĩ, Thạc sĩ, Nữ thạc sĩ, Tiến sĩ, Nữ tiến sĩ, "
                                    "Cán bộ chuyên trách, Chuyên trách được bồi dưỡng. Ô để trống: chưa có số "
                                    "liệu (không tính là 0). Có dòng lỗi thì không ghi dòng nào."))
