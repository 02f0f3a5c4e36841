"""The audit log, newest first, filterable by action and object; actions and objects shown by their Vietnamese names."""
from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import login_required

from ...rules.names import fold
from ...security import require
from ...services.core import audit
from ..common import paginate
from ..labels import AUDIT_ACTION_LABELS, OBJECT_TYPE_LABELS

bp = Blueprint("audit", __name__, url_prefix="/audit")


@bp.route("/")
@login_required
@require("audit.view")
def list_events():
    action = request.args.get("action", "").strip()
    object_type = request.args.get("object_type", "").strip()
    page = paginate(audit.query_events(action, object_type))
    return render_template("audit/list.html", page=page, action=action, object_type=object_type,
                           names=audit.object_names(page.items), actions=_choices(AUDIT_ACTION_LABELS, action),
                           object_types=_choices(OBJECT_TYPE_LABELS, object_type))


def _choices(labels: dict, chosen: str) -> list[tuple[str, str]]:
    """(code, label) in the order of the labels; a code typed into an old link stays chosen, shown as typed."""
    choices = sorted(((code, str(text)) for code, text in labels.items()), key=lambda choice: fold(choice[1]))
    if chosen and chosen not in labels:
        choices.insert(0, (chosen, chosen))
    return choices
