"""Queued scans an offline scanner sends in one batch, each answered through perform_checkin, and the
instants those scanners write (ISO 8601 or JavaScript's milliseconds)."""
from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Callable

from flask_babel import lazy_gettext as _l

from ...errors import DomainError
from ...models import TrainingClass, User
from ...security import ClassRef
from .checkin import perform_checkin


def redeem_batch(items: list, *, actor: User | None, scanner_class: TrainingClass | None = None,
                 default_device: str | None = None,
                 may_scan: Callable[[TrainingClass | ClassRef], bool] | None = None
                 ) -> list[dict]:
    """Each queued scan answered in order; a malformed entry gets its own error, the others go on.

    A scan of a class the user may not scan is answered `forbidden` and not recorded; the batch goes on.
    """
    answers = []
    for position, item in enumerate(items):
        if not isinstance(item, dict) or not isinstance(item.get("token"), str):
            answers.append({"index": position, "status": "malformed",
                            "message": str(_l("Mục không hợp lệ: cần trường “token”."))})
            continue
        scanned_at = parse_instant(item.get("scanned_at"))
        if item.get("scanned_at") is not None and scanned_at is None:
            answers.append({"index": position, "status": "malformed",
                            "message": str(_l("Thời điểm quét không hợp lệ."))})
            continue
        nonce = item.get("nonce") if isinstance(item.get("nonce"), str) else None
        device = item.get("device") if isinstance(item.get("device"), str) else default_device
        try:
            result = perform_checkin(item["token"], source="offline", scanner_class=scanner_class,
                                     scanned_at=scanned_at, device=device, nonce=nonce, actor=actor,
                                     may_scan=may_scan)
        except DomainError as error:
            answers.append({"index": position, "nonce": nonce, "status": error.code, "accepted": False,
                            "message": str(error.message)})
            continue
        answers.append({"index": position, "nonce": nonce, **result.as_json()})
    return answers


def parse_instant(value) -> datetime | None:
    """An ISO 8601 instant with its offset, or a Unix time in milliseconds (what JavaScript's Date gives)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        try:
            return datetime.fromtimestamp(value / 1000, tz=timezone.utc)
        except (OverflowError, OSError, ValueError):
            return None
    if isinstance(value, str):
        # RFC 3339 allows a lower-case t/z and a leap second (23:59:60), which fromisoformat refuses.
        text = re.sub(r"(T\d{2}:\d{2}):60", r"\1:59", value.strip().upper()).replace("Z", "+00:00")
        try:
            parsed = datetime.fromisoformat(text)
            return parsed.astimezone(timezone.utc) if parsed.tzinfo is not None else None
        except (ValueError, OverflowError):  # OverflowError: 0001-01-01T00:00+14:00 is before year 1 in UTC
            return None
    return None
