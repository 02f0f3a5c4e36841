"""Whether the application can reach its database: the one question of the health check (/healthz)."""
from __future__ import annotations

from sqlalchemy import text

from ...extensions import db


def check_database() -> bool:
    """True when the database answers a trivial statement; False whatever went wrong."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # the point is to report, not to raise
        return False
    return True
