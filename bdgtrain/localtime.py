"""Conversions between stored UTC and the wall clock of Asia/Ho_Chi_Minh, and display formats."""
from __future__ import annotations

from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def local_to_utc(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=LOCAL_TZ).astimezone(timezone.utc)


def local_today() -> date:
    """Today's date in Hà Tĩnh (a file read just after midnight UTC+7 belongs to the new day)."""
    return datetime.now(timezone.utc).astimezone(LOCAL_TZ).date()


def to_local(moment: datetime) -> datetime:
    return moment.astimezone(LOCAL_TZ)


def format_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_local(value).date()
    return value.strftime("%d/%m/%Y")


def format_time(value: datetime | None) -> str:
    return "" if value is None else to_local(value).strftime("%H:%M")


def format_datetime(value: datetime | None) -> str:
    return "" if value is None else to_local(value).strftime("%d/%m/%Y %H:%M")
