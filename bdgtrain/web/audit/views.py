"""The audit log, newest first, filterable by action and object."""
from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import login_required

from ...security import require
from ...services.core import audit
from ..common import paginate

bp = Blueprint("audit", __name__, url_prefix="/audit")


@bp.route("/")
@login_required
@require("audit.view")
def list_events():
    action = request.args.get("action", "").strip()
    object_type = request.args.get("object_type", "").strip()
    return render_template("audit/list.html", page=paginate(audit.query_events(action, object_type)), action=action,
                           object_type=object_type)
