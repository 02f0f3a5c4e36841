"""The audit log, newest first, filterable by action and object."""
from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import login_required
from sqlalchemy import select

from ...models import AuditEvent
from ...security import require
from ..common import paginate

bp = Blueprint("audit", __name__, url_prefix="/audit")


@bp.route("/")
@login_required
@require("audit.view")
def list_events():
    query = select(AuditEvent).order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
    action = request.args.get("action", "").strip()
    object_type = request.args.get("object_type", "").strip()
    if action:
        query = query.where(AuditEvent.action.startswith(action))
    if object_type:
        query = query.where(AuditEvent.object_type == object_type)
    return render_template("audit/list.html", page=paginate(query), action=action, object_type=object_type)
