"""The audit log, newest first, filterable by action and object; actions and objects shown by their Vietnamese names."""
from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from flask import Blueprint, render_template, request
from flask_babel import get_locale
from flask_login import login_required
from markupsafe import Markup

from ...localtime import format_datetime
from ...rules.names import fold
from ...security import require
from ...services.core import audit
from ..common import paginate
from ..labels import AUDIT_ACTION_LABELS, AUDIT_FIELD_LABELS, OBJECT_TYPE_LABELS, audit_shown, audit_summary

bp = Blueprint("audit", __name__, url_prefix="/audit")


@bp.route("/")
@login_required
@require("audit.view")
def list_events():
    action = request.args.get("action", "").strip()
    object_type = request.args.get("object_type", "").strip()
    page = paginate(audit.query_events(action, object_type), count_alongside=True)  # a log's pages are full
    locale = str(get_locale() or "vi")
    return render_template("audit/list.html", page=page, action=action, object_type=object_type,
                           events=_event_rows(page.items, locale), action_options=_options("action", action, locale),
                           object_type_options=_options("object_type", object_type, locale))


class EventRow(NamedTuple):
    """An event as the log's table shows it, worked out by the view rather than by the template's loop (a
    page of 50 events: their times, labels, names and some 250 changed values)."""
    occurred: str                        # local time, as written
    actor: str | None
    action: str                          # the action's label (its code when it has none)
    object_kind: str                     # the object's kind's label
    object_name: str | None              # the object's name, while it exists
    summary: str                         # audit_summary, "" for none
    changes: list[tuple[str, Markup]]    # _changes


def _event_rows(events: list, locale: str) -> list[EventRow]:
    names = audit.object_names(events)
    actions, kinds, fields = _labels("action", locale), _labels("object_type", locale), _labels("field", locale)
    return [EventRow(format_datetime(e.occurred_at), e.actor_label, actions.get(e.action, e.action),
                     kinds.get(e.object_type, e.object_type or ""), names.get((e.object_type, e.object_id)),
                     audit_summary(e.summary) if e.summary else "", _changes(e, fields)) for e in events]


_ARROW = Markup("%s → %s")


def _changes(event, field_labels: dict[str, str]) -> list[tuple[str, Markup]]:
    """The fields an event lists under its details, as (label, value shown): with both a before and an after,
    the fields whose value changed (and those only before had), shown "before → after"; with one of them,
    its every field. Worked out here rather than in the template's loops: a page shows some 250 of them."""
    before, after = event.before, event.after
    before_values, after_values = before or {}, after or {}
    both = bool(before and after)
    keys = [key for key in after_values if not both or before_values.get(key) != after_values.get(key)]
    keys += [key for key in before_values if key not in after_values]
    kind = event.object_type
    if before is not None and after is not None:
        def shown(key):
            return _ARROW % (audit_shown(kind, key, before_values.get(key)),
                             audit_shown(kind, key, after_values.get(key)))
    else:
        values = after_values if after is not None else before_values

        def shown(key):
            return audit_shown(kind, key, values.get(key))
    return [(field_labels.get(key, key), shown(key)) for key in keys]


_LABELS = {"action": AUDIT_ACTION_LABELS, "object_type": OBJECT_TYPE_LABELS, "field": AUDIT_FIELD_LABELS}


def _options(kind: str, chosen: str, locale: str) -> Markup:
    """The <option>s of a filter's select, in the order of the labels, `chosen` selected; a code typed into an
    old link stays chosen, shown as typed, first. The options are drawn once per kind and language
    (_drawn_options); a view only marks the chosen one."""
    drawn = _drawn_options(kind, locale)
    if not chosen:
        return drawn
    if chosen not in _LABELS[kind]:
        return Markup('<option value="%s" selected>%s</option>') % (chosen, chosen) + drawn
    unmarked = Markup('<option value="%s">') % chosen
    return Markup(drawn.replace(unmarked, unmarked[:-1] + Markup(" selected>"), 1))


@lru_cache(maxsize=8)
def _drawn_options(kind: str, locale: str) -> Markup:
    """The <option>s of the labels of `kind` in `locale`, none selected: some 125 drawn once per worker and
    language rather than by the template on every view of the log."""
    option = Markup('<option value="%s">%s</option>')
    return Markup("").join(option % choice for choice in _sorted_labels(kind, locale))


@lru_cache(maxsize=8)
def _sorted_labels(kind: str, locale: str) -> tuple[tuple[str, str], ...]:
    """The labels of `kind` in `locale`, sorted: some 200 labels translated and folded once per worker and
    language, not on every view of the log (`locale` is the cache's key: the labels follow it)."""
    return tuple(sorted(_labels(kind, locale).items(), key=lambda choice: fold(choice[1])))


@lru_cache(maxsize=8)
def _labels(kind: str, locale: str) -> dict[str, str]:
    """The labels of `kind` (actions, object types, fields of before/after) translated into `locale`, once:
    a page of 50 events shows some 350 of them. Read only."""
    return {code: str(text) for code, text in _LABELS[kind].items()}
