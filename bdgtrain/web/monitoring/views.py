"""The monitor's pages: her plans, a plan's dashboard, audience compliance, the plan summary report.

All read-only (GET): a monitor reads everything about the plans she monitors and changes nothing.
A supplier reaches the compliance page of a plan she sends lists to, with her own agency's rows only.
"""
from __future__ import annotations

import re
from datetime import date

from flask import Blueprint, Response, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ...i18n import translate
from ...localtime import local_today
from ...models import Plan
from ...models.base import utcnow
from ...rules.compliance import place_of
from ...rules.dates import DateExpressionError, parse_vn_date
from ...security import require
from ...services.monitoring import monitoring, monitoring_exports
from ...services.planning import visible_plans
from .. import access_log
from ..common import read_pages_beside_writers
from ..loaders import load_plan

bp = Blueprint("monitoring", __name__)
read_pages_beside_writers(bp)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _agency_filter() -> int | None:
    """A supplier reads her own agency's rows; everyone else who may see the plan reads them all."""
    return current_user.organisation_id if current_user.role == "supplier" else None


def _log_people_shown(action: str, plan: Plan, view, detail: str = "") -> None:
    """One access-log row for a plan-level page or file that names people (no-shows, people outside the
    audience), naming each of them; docs/PRIVACY.md: plan-level rows carry the plan in `detail`."""
    named = view.compliance.outside_people + view.compliance.no_show_people
    access_log.record_access(action, people=[outcome.nominee.person_id for _class, outcome in named],
                             people_count=len(named), detail=f"plan {plan.code} {detail}".strip())


def _download(body: bytes, name: str) -> Response:
    safe = re.sub(r"[^A-Za-z0-9._-]", "-", name)
    return Response(body, mimetype=XLSX, headers={"Content-Disposition": f'attachment; filename="{safe}"'})


@bp.route("/monitor/")
@login_required
@require("monitor.dashboard")
def index():
    plans = visible_plans.list_visible_plans(current_user)
    return render_template("monitoring/index.html", plans=plans)


@bp.route("/monitor/<code>")
@login_required
def plan_dashboard(code):
    plan = load_plan(code, "monitor.view")
    view = monitoring.overview(plan, utcnow())
    _log_people_shown("monitoring.dashboard.viewed", plan, view)
    return render_template("monitoring/dashboard.html", plan=plan, view=view)


@bp.route("/plans/<code>/compliance")
@login_required
def compliance(code):
    plan = load_plan(code, "compliance.view")
    view = monitoring.overview(plan, utcnow(), with_trained_share=False, with_evaluation=False,
                               agency_id=_agency_filter())
    _log_people_shown("compliance.viewed", plan, view)
    return render_template("monitoring/compliance.html", plan=plan, view=view)


@bp.route("/plans/<code>/compliance.xlsx")
@login_required
def export_compliance(code):
    plan = load_plan(code, "compliance.view")
    view = monitoring.overview(plan, utcnow(), with_trained_share=False, with_evaluation=False,
                               agency_id=_agency_filter())
    _log_people_shown("compliance.exported", plan, view, "xlsx")
    return _download(monitoring_exports.compliance_xlsx(view), f"thanh-phan-{plan.code}.xlsx")


def _report_header(plan: Plan) -> tuple[dict[str, str], str, date, str | None]:
    """The official header block; place and date may be set on the page (?place=&date=dd/mm/yyyy)."""
    superior = plan.issuing_org.name if plan.issuing_org else ""
    body = plan.organiser_org.name
    place = (request.args.get("place") or "").strip()[:80] or place_of(superior or body)
    day, problem = local_today(), None
    typed = (request.args.get("date") or "").strip()
    if typed:
        try:
            day = parse_vn_date(typed)
        except DateExpressionError as error:
            problem = translate(error.message)
    header = {"superior": superior.upper(), "body": body.upper(),
              "republic": _("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), "motto": _("Độc lập - Tự do - Hạnh phúc"),
              "title": _("BÁO CÁO KẾT QUẢ TỔ CHỨC CÁC LỚP TẬP HUẤN")}
    return header, place, day, problem


@bp.route("/plans/<code>/summary")
@login_required
def plan_summary(code):
    plan = load_plan(code, "monitor.view")
    header, place, day, problem = _report_header(plan)
    view = monitoring.overview(plan, utcnow())
    _log_people_shown("plan.summary.viewed", plan, view)
    return render_template("monitoring/summary.html", plan=plan, view=view,
                           header=header, place=place, day=day, date_problem=problem)


@bp.route("/plans/<code>/summary.xlsx")
@login_required
def export_summary(code):
    plan = load_plan(code, "monitor.view")
    header, place, day, _problem = _report_header(plan)
    view = monitoring.overview(plan, utcnow())
    _log_people_shown("plan.summary.exported", plan, view, "xlsx")
    body = monitoring_exports.summary_xlsx(view, place, day, header)
    return _download(body, f"bao-cao-ket-qua-{plan.code}.xlsx")
