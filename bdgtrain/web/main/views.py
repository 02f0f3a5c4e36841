"""The dashboard, the language switch and the health check."""
from __future__ import annotations

from flask import Blueprint, jsonify, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required

from ...localtime import local_today
from ...models.base import utcnow
from ...security import can
from ...services.core import health
from ...services.planning import planning, visible_plans
from ...services.reporting import measures, periodic_reports
from ..common import read_pages_beside_writers, safe_next

bp = Blueprint("main", __name__)
read_pages_beside_writers(bp)


@bp.route("/")
@login_required
def dashboard():
    plans = visible_plans.list_visible_plans(current_user, limit=20)
    sessions = planning.upcoming_sessions(current_user, utcnow())
    # Reports due (issue 6): the deadlines of the plans whose reports the user reads.
    readable = [p for p in plans if can("report.view", p)]
    due = periodic_reports.due_reports(readable, local_today())
    shares = measures.dashboard_shares(readable, local_today())
    return render_template("main/dashboard.html", plans=plans, sessions=sessions, due_reports=due, shares=shares)


@bp.route("/locale", methods=["POST"])
def set_locale():
    lang = request.form.get("lang")
    if lang in ("vi", "en"):
        session["locale"] = lang
    return redirect(safe_next(request.form.get("next"), url_for("main.dashboard")))


@bp.route("/healthz")
def healthz():
    if health.check_database():
        return jsonify({"status": "ok", "database": "ok"})
    return jsonify({"status": "error", "database": "unreachable"}), 503
