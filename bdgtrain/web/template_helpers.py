"""What every template may use: the permission check, the Vietnamese date filters, labels, the locale."""
from __future__ import annotations

from flask import Flask
from flask_babel import get_locale
from flask_login import current_user

from .. import localtime
from ..i18n import translate
from ..rules.unit_names import short_unit_name
from ..security import can
from .labels import (
    INDICATOR_LABELS,
    STATUS_LABELS,
    access_detail,
    audit_field,
    audit_summary,
    audit_value,
    label,
    session_label,
)


def register_template_helpers(app: Flask) -> None:
    app.jinja_env.globals.update(can=can, target_measure_label=lambda measure: INDICATOR_LABELS.get(measure, measure),
                                 target_status_label=lambda status: STATUS_LABELS.get(status, status),
                                 audit_field=audit_field, audit_value=audit_value,
                                 audit_summary=audit_summary)
    app.jinja_env.filters.update(vn_date=localtime.format_date, vn_time=localtime.format_time,
                                 vn_datetime=localtime.format_datetime, translate=translate,
                                 session_label=session_label, label=label,
                                 access_detail=access_detail)
    app.jinja_env.filters["short_unit"] = short_unit_name  # narrow first columns; full name in title=

    @app.context_processor
    def _locale():
        return {"current_locale": str(get_locale() or "vi"), "current_user": current_user}
