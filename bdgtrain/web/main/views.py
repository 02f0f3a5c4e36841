"""The dashboard, the language switch and the health check."""
from __future__ import annotations

from datetime import time, timedelta

from flask import (
    Blueprint,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    send_from_directory,
    session,
    url_for,
)
from flask_login import current_user, login_required

from ...localtime import local_to_utc, local_today, to_local
from ...models.base import utcnow
from ...security import can
from ...services.core import health
from ...services.planning import lookups, visible_plans
from ...services.reporting import measures, periodic_reports
from ..common import read_pages_beside_writers, safe_next

bp = Blueprint("main", __name__)
read_pages_beside_writers(bp)


@bp.route("/")
@login_required
def dashboard():
    plans = visible_plans.list_visible_plans(current_user, limit=20)
    sessions = lookups.upcoming_sessions(current_user, utcnow())
    # The training day (issue 21): today's and tomorrow's sessions, local time, each a tap from the door.
    today = local_today()
    soon = lookups.sessions_between(current_user, local_to_utc(today, time()),
                                     local_to_utc(today + timedelta(days=2), time()))
    tomorrow = today + timedelta(days=1)
    days = [(today, [s for s in soon if to_local(s.starts_at).date() < tomorrow]),
            (tomorrow, [s for s in soon if to_local(s.starts_at).date() >= tomorrow])]
    # Reports due (issue 6): the deadlines of the plans whose reports the user reads.
    readable = [p for p in plans if can("report.view", p)]
    due = periodic_reports.due_reports(readable, local_today())
    shares = measures.dashboard_shares(readable, local_today())
    return render_template("main/dashboard.html", plans=plans, sessions=sessions, due_reports=due, shares=shares,
                           training_days=days if soon else [])


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


@bp.route("/favicon.ico")
def favicon():
    """Browsers and feed readers ask for /favicon.ico whatever the page links (base.html links the SVG):
    the same picture, so that the request is not a 404 in every log (issue 21)."""
    response = send_from_directory(current_app.static_folder, "favicon.svg", mimetype="image/svg+xml", max_age=86400)
    return response
