"""The plans a user may see, as the pages list them: searched and paged on the plans page, whole for the
monitor's list, the first few on the dashboard. Which plans those are is `lookups.visible_plans_query`,
the query twin of the `plan.view` permission."""
from __future__ import annotations

from ...extensions import db
from ...models import Plan, User
from ...rules.names import fold
from .lookups import visible_plans_query


def query_plans(user: User, q: str = ""):
    """The plans `user` may see whose code, number or title holds `q` (accents and case folded), as a query to page."""
    query = visible_plans_query(user)
    if q:
        query = query.where(Plan.search_text.contains(fold(q), autoescape=True))
    return query


def list_visible_plans(user: User, limit: int | None = None) -> list[Plan]:
    """The plans `user` may see, newest first; the first `limit` of them if given."""
    query = visible_plans_query(user)
    if limit is not None:
        query = query.limit(limit)
    return list(db.session.scalars(query))
