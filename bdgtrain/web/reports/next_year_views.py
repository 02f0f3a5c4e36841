"""The forecast of the trained share per unit (the province table) and the draft of next year's plan made from
it (issue 23). Routes of the reports blueprint (web/__init__.py imports this module)."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ...errors import DomainError
from ...extensions import db
from ...localtime import local_today
from ...security import can
from ...services.reporting import forecast, next_year, targets
from ..loaders import load_plan
from .views import Filters, _context, bp

DRAFT = "plans/next_year_draft.html"
MAX_CLASSES = 200


@bp.route("/<code>/forecast")
@login_required
def forecast_report(code):
    plan = load_plan(code, "report.view")
    filters = Filters(request.args)
    table = None
    if not filters.errors:
        table = forecast.forecast_table(filters.as_of, targets.target_specs(plan), window=filters.window,
                                        fold_successors=filters.fold, max_depth=1)
    return render_template("reports/forecast.html", filters=filters, forecast=table,
                           can_draft=can("report.manage", plan), **_context(plan)), (422 if filters.errors else 200)


def _number(text: str) -> int | None:
    text = (text or "").strip()
    return int(text) if text.isdigit() and len(text) <= 6 else None


def _draft_from_form(form) -> next_year.NextYearDraft:
    """The draft as the organiser edited it: the plan's fields, then class-1-..., class-2-..."""
    year = _number(form.get("year"))
    count = _number(form.get("classes"))
    if year is None or not 2000 <= year <= 2100 or count is None or count > MAX_CLASSES:
        abort(400)
    classes = []
    for n in range(1, count + 1):
        classes.append(next_year.DraftClass(
            title=form.get(f"class-{n}-title", ""), audience=form.get(f"class-{n}-audience", ""),
            seats=_number(form.get(f"class-{n}-seats")), date_expression=form.get(f"class-{n}-dates", "").strip(),
            keep=form.get(f"class-{n}-keep") == "1"))
    return next_year.NextYearDraft(year=year, code=form.get("code", "").strip(), number=form.get("number", ""),
                                   title=form.get("title", ""), capacity=_number(form.get("capacity")) or 0,
                                   classes=classes, token=form.get("token", "")[:64])


@bp.route("/<code>/next-year", methods=["GET", "POST"])
@login_required
def next_year_draft(code):
    """GET: the draft proposed from the forecast; POST: the edited draft confirmed into a plan (once)."""
    plan = load_plan(code, "report.manage")
    if request.method == "POST":
        draft = _draft_from_form(request.form)
        try:
            new, created = next_year.confirm(current_user, plan, draft)
        except DomainError as error:
            db.session.rollback()
            return render_template(DRAFT, draft=draft, error=error, **_context(plan)), 422
        db.session.commit()
        if created:
            flash(_("Đã lập kế hoạch %(code)s với %(count)s lớp (dự kiến) và các chỉ tiêu của kế hoạch %(source)s.",
                    code=new.code, count=len(new.classes), source=plan.code), "success")
        else:
            flash(_("Dự thảo này đã được lập thành kế hoạch %(code)s trước đó; không lập thêm.", code=new.code), "info")
        return redirect(url_for("plans.view_plan", code=new.code), 303)
    filters = Filters(request.args)
    as_of = filters.as_of if not filters.errors else local_today()
    draft = next_year.propose(plan, as_of)
    return render_template(DRAFT, draft=draft, error=None, as_of=as_of, **_context(plan))
