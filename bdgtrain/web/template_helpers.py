"""What every template may use: the permission check, the Vietnamese date and number filters, labels, the
locale."""
from __future__ import annotations

from flask import Flask
from flask_babel import get_locale, get_translations
from flask_babel import gettext as _
from flask_login import current_user
from jinja2 import Undefined, pass_eval_context
from markupsafe import Markup

from .. import localtime
from ..i18n import translate
from ..rules import numbers
from ..rules.unit_names import short_unit_name
from ..security import can
from .common import code_links, id_link_parts, id_links
from .labels import (
    INDICATOR_LABELS,
    STATUS_LABELS,
    access_detail,
    audit_field,
    audit_shown,
    audit_summary,
    audit_value,
    label,
    session_label,
)
from .layout import layout_url, main_nav


def _locale() -> str:
    return str(get_locale() or "vi")


def _figure(value):
    """A key missing from a kept report's figures (reports made before a column existed) is no figure."""
    return None if isinstance(value, Undefined) else value


# --- numbers: every figure a page shows goes through bdgtrain.rules.numbers (tests/web/test_number_format.py) --

def percent(share, digits: int = 1) -> str:
    """A fraction: 0.4167 -> "41,7%" ("41.7%" in English)."""
    return numbers.percent(_figure(share), digits, _locale())


def percent_value(value, digits: int = 1) -> str:
    """A figure already in percent: 41.67 -> "41,7%"."""
    return numbers.percent_value(_figure(value), digits, _locale())


def decimal(value, digits: int = 2) -> str:
    return numbers.decimal(_figure(value), digits, _locale())


def integer(value) -> str:
    """A count: 3006 -> "3.006" ("3,006" in English)."""
    return numbers.integer(_figure(value), _locale())


def points(value) -> str:
    """A score on a scale (feedback averages): 4.25 -> "4,25"."""
    return numbers.points(_figure(value), _locale())


def percent_points(change) -> str:
    """The change between two shares: 0.125 -> "+12,5 điểm %"."""
    if _figure(change) is None:
        return numbers.MISSING
    return _("%(points)s điểm %%", points=numbers.percentage_points(change, locale=_locale()))


NUMBER_FILTERS = {"percent": percent, "percent_value": percent_value, "decimal": decimal, "integer": integer,
                  "points": points, "percent_points": percent_points,
                  # the names the feedback pages used before issue 21, kept so a branch using them still renders
                  "vn_decimal": decimal, "vn_percent": percent, "vn_gain": percent_points}


def register_template_helpers(app: Flask) -> None:
    app.jinja_env.globals.update(can=can, main_nav=main_nav, layout_url=layout_url,
                                 target_measure_label=lambda measure: INDICATOR_LABELS.get(measure, measure),
                                 target_status_label=lambda status: STATUS_LABELS.get(status, status),
                                 audit_field=audit_field, audit_value=audit_value, audit_shown=audit_shown,
                                 audit_summary=audit_summary, id_links=id_links, id_link_parts=id_link_parts,
                                 code_links=code_links)
    app.jinja_env.filters.update(vn_date=localtime.format_date, vn_time=localtime.format_time,
                                 vn_datetime=localtime.format_datetime, translate=translate,
                                 session_label=session_label, label=label,
                                 access_detail=access_detail, **NUMBER_FILTERS)
    app.jinja_env.filters["short_unit"] = short_unit_name  # narrow first columns; full name in title=

    @app.context_processor
    def _current_locale():
        # The user behind Flask-Login's proxy, as its own context processor gives it: the layout reads
        # current_user a dozen times, and each read through the proxy finds the request's user again.
        return {"current_locale": str(get_locale() or "vi"), "current_user": current_user._get_current_object(),
                **gettext_callables(get_translations())}


def gettext_callables(translations) -> dict:
    """`_`, `gettext`, `ngettext`, `pgettext`, `npgettext` for one render, bound to the catalogue of its
    request: as Jinja's new-style callables that Flask-Babel installs (escaped when the template
    autoescapes, always formatted with the named values), without finding the catalogue again for each
    message (a layout translates some twenty, a list page a few per row). They take the evaluation context
    (autoescape), not the template's: Jinja copies the template's context, with the loop's variables, for
    every call of a callable that takes it inside a loop. Macros imported without context keep the
    environment's own callables."""
    ugettext, ungettext = translations.ugettext, translations.ungettext
    upgettext, unpgettext = translations.upgettext, translations.unpgettext

    @pass_eval_context
    def gettext(eval_ctx, string, **variables):
        text = ugettext(string)
        return (Markup(text) if eval_ctx.autoescape else text) % variables

    @pass_eval_context
    def ngettext(eval_ctx, singular, plural, num, **variables):
        variables.setdefault("num", num)
        text = ungettext(singular, plural, num)
        return (Markup(text) if eval_ctx.autoescape else text) % variables

    @pass_eval_context
    def pgettext(eval_ctx, string_context, string, **variables):
        variables.setdefault("context", string_context)
        text = upgettext(string_context, string)
        return (Markup(text) if eval_ctx.autoescape else text) % variables

    @pass_eval_context
    def npgettext(eval_ctx, string_context, singular, plural, num, **variables):
        variables.setdefault("context", string_context)
        variables.setdefault("num", num)
        text = unpgettext(string_context, singular, plural, num)
        return (Markup(text) if eval_ctx.autoescape else text) % variables

    return {"_": gettext, "gettext": gettext, "ngettext": ngettext, "pgettext": pgettext, "npgettext": npgettext}
