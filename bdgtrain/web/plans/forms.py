"""Forms for plans, classes and sessions."""
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ...models import ORG_KINDS
from ..common import Form, VnDateField, VnIntegerField, VnTimeField, choices, coerce_optional_int, strip_filter
from ..labels import CLASS_STATUS_LABELS, ORG_KIND_LABELS, SEX_LABELS

REQUIRED = _l("Trường này là bắt buộc.")


class PlanForm(Form):
    code = StringField(_l("Mã kế hoạch"), filters=[strip_filter],
                       validators=[DataRequired(REQUIRED), Length(max=40)],
                       description=_l("Mã ngắn, không đổi, dùng trong đường dẫn và báo cáo, ví dụ HT-2019."))
    number = StringField(_l("Số hiệu văn bản"), filters=[strip_filter],
                         validators=[DataRequired(REQUIRED), Length(max=80)],
                         description=_l("Ví dụ: 110/KH-SNV"))
    title = TextAreaField(_l("Tên kế hoạch"), filters=[strip_filter], validators=[DataRequired(REQUIRED)])
    issuing_org_id = SelectField(_l("Cơ quan ban hành"), coerce=coerce_optional_int, validate_choice=False)
    organiser_org_id = SelectField(_l("Cơ quan tổ chức"), coerce=coerce_optional_int, validate_choice=False)
    issued_on = VnDateField(_l("Ngày ban hành"))
    period_start = VnDateField(_l("Thời gian thực hiện từ ngày"))
    period_end = VnDateField(_l("Đến ngày"))
    funding_source = TextAreaField(_l("Nguồn kinh phí"), filters=[strip_filter])
    description = TextAreaField(_l("Căn cứ, ghi chú"), filters=[strip_filter])
    deadlines = TextAreaField(
        _l("Hạn báo cáo"), filters=[strip_filter],
        description=_l("Mỗi dòng một báo cáo: \"Tên báo cáo: ngày/tháng\" (hằng năm) hoặc "
                       "\"Tên báo cáo: ngày/tháng/năm\" (một lần). Ví dụ: Báo cáo 6 tháng: 25/5"))
    monitor_org_ids = SelectMultipleField(_l("Đơn vị giám sát"), coerce=int, validate_choice=False,
                                          description=_l("Ví dụ: Hội LHPN tỉnh theo dõi, giám sát các lớp."))


class ClassForm(Form):
    code = StringField(_l("Mã lớp"), filters=[strip_filter], validators=[DataRequired(REQUIRED), Length(max=40)],
                       description=_l("Ví dụ: LOP-1"))
    title = StringField(_l("Tên lớp"), filters=[strip_filter], validators=[DataRequired(REQUIRED)])
    date_expression = StringField(
        _l("Thời gian tổ chức"), filters=[strip_filter], validators=[DataRequired(REQUIRED), Length(max=120)],
        description=_l("Viết như trong văn bản: 10/7/2019, 11-12/7/2019, 30/7-02/8/2019. "
                       "Mỗi ngày có buổi sáng 07:30-11:30 và buổi chiều 13:30-17:00, sửa được sau."))
    status = SelectField(_l("Trạng thái"),
                         choices=choices((k, CLASS_STATUS_LABELS[k]) for k in ("planned", "confirmed")))
    content = TextAreaField(_l("Nội dung"), filters=[strip_filter])
    audience = TextAreaField(_l("Thành phần tham gia"), filters=[strip_filter])
    eligible_sex = SelectField(_l("Dành cho"), coerce=lambda v: v or None,
                               choices=choices([("", _l("Cả nam và nữ"))] + list(SEX_LABELS.items())))
    eligible_org_kinds = SelectMultipleField(
        _l("Cấp đơn vị được cử học viên"), choices=choices((k, ORG_KIND_LABELS[k]) for k in ORG_KINDS),
        description=_l("Để trống nếu không giới hạn. Dùng để cảnh báo khi danh sách cử không đúng thành phần."))
    venue_id = SelectField(_l("Địa điểm"), coerce=coerce_optional_int, validate_choice=False)
    capacity = VnIntegerField(_l("Số học viên tối đa"), validators=[
        Optional(), NumberRange(min=1, max=100000, message=_l("Số học viên phải từ 1 đến 100000."))])
    trainer_ids = SelectMultipleField(_l("Giảng viên"), coerce=int, validate_choice=False)
    supplier_org_ids = SelectMultipleField(
        _l("Đơn vị cung cấp danh sách"), coerce=int, validate_choice=False,
        description=_l("Các đơn vị (ví dụ Sở Nội vụ, Hội LHPN tỉnh) được gửi danh sách học viên cho lớp này."))
    checkin_opens_minutes = VnIntegerField(
        _l("Mở điểm danh trước giờ học (phút)"), default=60,
        validators=[Optional(), NumberRange(min=0, max=1440, message=_l("Từ 0 đến 1440 phút."))])
    late_after_minutes = VnIntegerField(
        _l("Tính là đến muộn sau giờ bắt đầu (phút)"), default=15,
        validators=[Optional(), NumberRange(min=0, max=1440, message=_l("Từ 0 đến 1440 phút."))])
    room_code_seconds = VnIntegerField(
        _l("Mã phòng trên máy chiếu đổi sau (giây)"), default=20,
        validators=[Optional(), NumberRange(min=5, max=3600, message=_l("Từ 5 đến 3600 giây."))])
    completion_percent = VnIntegerField(
        _l("Hoàn thành khi dự ít nhất (phần trăm số buổi)"), default=80,
        validators=[Optional(), NumberRange(min=1, max=100, message=_l("Từ 1 đến 100."))])


class SessionForm(Form):
    label = StringField(_l("Tên buổi"), filters=[strip_filter], validators=[DataRequired(REQUIRED), Length(max=80)])
    day = VnDateField(_l("Ngày"), validators=[InputRequired(REQUIRED)])
    start = VnTimeField(_l("Giờ bắt đầu"), validators=[InputRequired(REQUIRED)])
    end = VnTimeField(_l("Giờ kết thúc"), validators=[InputRequired(REQUIRED)])
    note = TextAreaField(_l("Ghi chú"), filters=[strip_filter])


class CancelForm(Form):
    reason = TextAreaField(_l("Lý do hủy"), filters=[strip_filter],
                           validators=[DataRequired(_l("Vui lòng ghi lý do hủy lớp.")), Length(max=2000)])


class CloseForm(Form):
    reason = TextAreaField(_l("Lý do đóng lớp"), filters=[strip_filter],
                           validators=[DataRequired(_l("Vui lòng ghi lý do đóng lớp.")), Length(max=2000)])


class ReadPlanForm(Form):
    """A Kế hoạch to read: a file, or its text pasted."""

    file = FileField(_l("Tệp kế hoạch (.docx, .pdf có chữ, .txt)"), render_kw={"accept": ".docx,.pdf,.txt"})
    text = TextAreaField(_l("Hoặc dán nội dung kế hoạch"), validators=[Length(max=400_000)])


def reading_fields_from(form_data, current: dict) -> dict:
    """The draft's editable fields as the review page posted them; what the page does not edit (trainers,
    suppliers, recipients, a target's words) is kept from `current`. The service bounds and checks."""
    get = form_data.get
    fields = dict(current)
    for name in ("code", "number", "title", "issuing_body", "issued_on", "period_start", "period_end"):
        fields[name] = get(name, current.get(name, ""))
    fields["classes"] = [
        {**c, **{k: get(f"class-{i}-{k}", c.get(k, "")) for k in ("code", "name", "content", "audience",
                                                                  "date_expression", "venue")},
         "tentative": get(f"class-{i}-tentative") == "1", "suppliers": get(f"class-{i}-suppliers") == "1"}
        for i, c in enumerate(current.get("classes", []))]
    fields["targets"] = [
        {**t, "percent": get(f"target-{i}-percent", t.get("percent")), "year": get(f"target-{i}-year", t.get("year")),
         "measure": get(f"target-{i}-measure", t.get("measure", "")), "include": get(f"target-{i}-include") == "1"}
        for i, t in enumerate(current.get("targets", []))]
    fields["deadlines"] = [
        {"label": get(f"deadline-{i}-label", d.get("label")), "day": get(f"deadline-{i}-day", d.get("day")),
         "month": get(f"deadline-{i}-month", d.get("month")), "year": get(f"deadline-{i}-year", d.get("year")) or None}
        for i, d in enumerate(current.get("deadlines", []))
        if get(f"deadline-{i}-keep") == "1"]
    return fields
_SECTION_HINT = _l("Mỗi đoạn một dòng; dòng bắt đầu bằng số (“2. Sở Nội vụ”) là một mục.")


class PlanDocumentForm(Form):
    """The Kế hoạch's editable parts (issue 23); the classes come from the plan itself."""

    number = StringField(_l("Số hiệu"), filters=[strip_filter], validators=[DataRequired(REQUIRED), Length(max=80)],
                         description=_l("Ví dụ: 69/KH-UBND"))
    place = StringField(_l("Địa danh"), filters=[strip_filter], validators=[DataRequired(REQUIRED), Length(max=120)],
                        description=_l("Ví dụ: Hà Tĩnh"))
    issued_on = VnDateField(_l("Ngày ban hành"), validators=[InputRequired(REQUIRED)])
    preamble = TextAreaField(_l("Câu mở đầu (căn cứ ban hành)"), validators=[Length(max=20000)])
    purpose = TextAreaField(_l("I.1. Mục đích (gồm các chỉ tiêu)"), validators=[DataRequired(REQUIRED),
                                                                            Length(max=20000)])
    requirements = TextAreaField(_l("I.2. Yêu cầu"), validators=[DataRequired(REQUIRED), Length(max=20000)])
    venue = TextAreaField(_l("II.2. Địa điểm tổ chức"), validators=[Length(max=20000)])
    materials = TextAreaField(_l("II.3. Tài liệu và phương pháp tập huấn"), validators=[Length(max=20000)])
    trainers = TextAreaField(_l("II.4. Giảng viên tập huấn"), validators=[Length(max=20000)])
    assignments = TextAreaField(_l("III. Phân công thực hiện"), validators=[DataRequired(REQUIRED), Length(max=20000)],
                                description=_SECTION_HINT)
    funding = TextAreaField(_l("IV. Kinh phí"), validators=[DataRequired(REQUIRED), Length(max=20000)])
    closing = TextAreaField(_l("Câu kết"), validators=[Length(max=20000)])
    signer_authority = StringField(_l("Thẩm quyền ký"), filters=[strip_filter], validators=[Length(max=120)],
                                   description=_l("Ví dụ: TM. ỦY BAN NHÂN DÂN; hai dòng cách nhau bằng “/”: "
                                                  "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH"))
    signer_title = StringField(_l("Chức vụ người ký"), filters=[strip_filter], validators=[Length(max=120)],
                               description=_l("Ví dụ: PHÓ CHỦ TỊCH"))
    signer_name = StringField(_l("Họ tên người ký"), filters=[strip_filter], validators=[Length(max=120)])
    recipients = TextAreaField(_l("Nơi nhận (mỗi dòng một nơi)"), validators=[Length(max=4000)])
