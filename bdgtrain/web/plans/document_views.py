"""A plan's Kế hoạch (issue 23, "write a plan"): edit its generated texts, download it as .docx or PDF, or
go back to the generated texts. Routes of the plans blueprint (web/__init__.py imports this module).

Only the plan's organiser (and admins) write its Kế hoạch. Someone who may not even see the plan (an
organiser of another province) is answered 404, as for a plan that does not exist."""
from __future__ import annotations

import re

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ...errors import DomainError
from ...rules.plan_document import class_parts
from ...security import authorise, can
from ...services.planning import lookups
from ...services.planning import plan_document as documents
from ..common import confirmation_page, is_confirmed, refused
from .forms import PlanDocumentForm
from .views import bp

FORM = "plans/document_form.html"


def _load(code: str):
    """The plan, 404 to whoever may not see it, 403 to whoever sees it but may not write its Kế hoạch."""
    plan = lookups.get_plan(code)
    if current_user.is_authenticated and not can("plan.view", plan):
        abort(404)
    authorise("plan.edit", plan)
    return plan


def _input(form: PlanDocumentForm) -> documents.PlanDocumentInput:
    return documents.PlanDocumentInput(**{name: getattr(form, name).data or ("" if name != "issued_on" else None)
                                          for name in documents.PlanDocumentInput.__dataclass_fields__})


def _context(plan, facts=None):
    """What the form shows beside the texts: the classes part, from the facts when read already."""
    facts = facts if facts is not None else documents.document_and_facts(plan)[1]
    return dict(plan=plan, saved=documents.saved_document(plan) is not None,
                classes=class_parts(facts.classes))


@bp.route("/<code>/document", methods=["GET", "POST"])
@login_required
def plan_document(code):
    plan = _load(code)
    data, facts = documents.document_and_facts(plan) if request.method == "GET" else (None, None)
    form = PlanDocumentForm(obj=data)
    if form.validate_on_submit():
        try:
            documents.save_plan_document(current_user, plan, _input(form))
        except DomainError as error:
            return refused(FORM, form, error, **_context(plan))
        flash(_("Đã lưu nội dung Kế hoạch; tải .docx hoặc PDF để xem bản in."), "success")
        return redirect(url_for("plans.plan_document", code=plan.code), 303)
    if request.method == "POST":
        return refused(FORM, form, **_context(plan))
    return render_template(FORM, form=form, **_context(plan, facts))


@bp.route("/<code>/document/reset", methods=["POST"])
@login_required
def reset_plan_document(code):
    plan = _load(code)
    if not is_confirmed():
        return confirmation_page(title=_("Khôi phục nội dung tạo tự động?"),
                                 consequences=[_("Mọi nội dung đã sửa của văn bản kế hoạch bị bỏ và soạn lại "
                                                 "từ kế hoạch.")],
                                 confirm_label=_("Khôi phục nội dung tạo tự động"),
                                 cancel_url=url_for("plans.plan_document", code=plan.code))
    documents.reset_plan_document(current_user, plan)
    flash(_("Đã khôi phục nội dung tạo tự động từ kế hoạch."), "success")
    return redirect(url_for("plans.plan_document", code=plan.code), 303)


@bp.route("/<code>/document.<fmt>")
@login_required
def plan_document_file(code, fmt):
    if fmt not in documents.FORMATS:
        abort(404)
    plan = _load(code)
    safe_code = re.sub(r"[^A-Za-z0-9_-]", "-", plan.code)  # the header carries only plain ASCII
    return Response(documents.plan_document_file(plan, fmt), mimetype=documents.FORMATS[fmt][0],
                    headers={"Content-Disposition": f'attachment; filename="ke-hoach-{safe_code}.{fmt}"',
                             "Cache-Control": "private, no-store"})
