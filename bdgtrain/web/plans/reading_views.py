"""Reading a Kế hoạch from a file or pasted text (issue 23): upload, review beside the sentences, confirm.

The draft belongs to the reader's organisation: another organisation's organiser gets 404, as for an
unknown link. Nothing becomes a plan until the organiser confirms on the review page.
"""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ...errors import DomainError
from ...importers.plan_text import extract_plan_text, pasted_text
from ...importers.results import ReadError
from ...models import MEASURES
from ...security import require
from ...services.plan_reading import drafts
from ..common import refused
from ..forms import ConfirmForm
from ..labels import MEASURE_LABELS
from .forms import ReadPlanForm, reading_fields_from
from .views import bp


@bp.route("/read", methods=["GET", "POST"])
@login_required
@require("plan.create")
def read_plan():
    form = ReadPlanForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            if current_user.organisation is None:
                raise DomainError("plan.reading_no_org", _("Tài khoản chưa thuộc đơn vị nào nên không tạo được "
                                                          "kế hoạch."))
            if upload and upload.filename:
                name, text = upload.filename, extract_plan_text(upload.read(), upload.filename)
            elif (form.text.data or "").strip():
                name, text = _("Nội dung dán vào"), pasted_text(form.text.data)
            else:
                raise DomainError("plan.reading_nothing", _("Hãy chọn tệp kế hoạch hoặc dán nội dung kế hoạch."))
            draft = drafts.read_into_draft(current_user, current_user.organisation, text, name)
        except ReadError as error:
            return refused("plans/read_upload.html", form, DomainError(error.code, error.message))
        except DomainError as error:
            return refused("plans/read_upload.html", form, error)
        return redirect(url_for("plans.review_reading", draft_token=draft.token), 303)
    if request.method == "POST":
        return refused("plans/read_upload.html", form)
    return render_template("plans/read_upload.html", form=form)


@bp.route("/read/<draft_token>", methods=["GET", "POST"])
@login_required
@require("plan.create")
def review_reading(draft_token):
    draft = drafts.get_draft(current_user, draft_token)
    form = ConfirmForm()
    if request.method == "POST" and draft.plan_id is None:
        if not form.validate_on_submit():
            return refused("plans/read_review.html", form, **_context(draft))
        try:
            drafts.update_draft(current_user, draft, reading_fields_from(request.form, draft.fields))
            if request.form.get("action") == "confirm":
                plan = drafts.confirm_draft(current_user, draft)
                flash(_("Đã tạo kế hoạch %(code)s với %(num)s lớp.", code=plan.code, num=len(plan.classes)),
                      "success")
                return redirect(url_for("plans.view_plan", code=plan.code), 303)
        except DomainError as error:
            # Show what was typed, but keep nothing: the request rolls back on a refusal.
            return refused("plans/read_review.html", form, error, **_context(draft))
        flash(_("Đã lưu bản nháp."), "success")
        return redirect(url_for("plans.review_reading", draft_token=draft.token), 303)
    return render_template("plans/read_review.html", form=form, **_context(draft))


def _context(draft) -> dict:
    return {"draft": draft, "fields": draft.fields, "reading": draft.reading,
            "measures": [(m, MEASURE_LABELS.get(m, m)) for m in MEASURES]}
