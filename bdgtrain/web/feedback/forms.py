"""The plan's feedback settings form; the participants' answers are read as plain form fields (keys q1.., k1..)."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, TextAreaField

from ..common import Form, VnIntegerField, choices, strip_filter


class FeedbackSettingsForm(Form):
    anonymous = BooleanField(_l("Phiếu ẩn danh (chỉ ghi nhận là người đó đã trả lời, không ghi ai trả lời gì)"))
    opens_when = SelectField(_l("Mở phiếu khi"), choices=choices([
        ("last_ended", _l("buổi học cuối cùng kết thúc")),
        ("last_started", _l("buổi học cuối cùng bắt đầu")),
    ]))
    close_after_days = VnIntegerField(_l("Đóng phiếu sau (ngày)"), description=_l("Từ 1 đến 90 ngày sau khi mở."))
    questions_text = TextAreaField(
        _l("Câu hỏi"), filters=[strip_filter],
        description=_l("Mỗi dòng một câu: \"[1-5] câu hỏi\" để chấm điểm 1-5, \"[văn bản] câu hỏi\" để viết ý kiến; "
                       "thêm * ở đầu dòng nếu bắt buộc."))
    quiz_text = TextAreaField(
        _l("Bài kiểm tra kiến thức đầu và cuối khóa (không bắt buộc)"), filters=[strip_filter],
        description=_l("Mỗi câu một đoạn, cách nhau bằng một dòng trống: dòng đầu là câu hỏi, các dòng sau là "
                       "phương án, bắt đầu bằng \"-\" (sai) hoặc \"*\" (đúng). Để trống nếu không kiểm tra."))
