"""iCalendar documents (RFC 5545, RFC 7986, iTIP RFC 5546) from plain event data, with the icalendar package.

Pure: no Flask, no database, no clock. The caller passes every value, including each event's
DTSTAMP (the session's last change, for feeds), so the same data always gives the same bytes:
a feed that did not change is byte-identical and keeps its ETag.

icalendar builds the components and writes their content lines; the folding of those lines at
75 octets is done here on bytes, because the package folds character by character in Python,
which is most of the time of a 300-event feed. The result is the same: lines of at most 75
octets, folded between UTF-8 characters and never inside a backslash escape, joined by CRLF.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from typing import Iterable, Sequence
from zoneinfo import ZoneInfo

from icalendar import Calendar, Timezone, TimezoneStandard
from icalendar.prop import vCalAddress, vDDDTypes, vInt, vText, vUri

TZID = "Asia/Ho_Chi_Minh"
LOCAL_TZ = ZoneInfo(TZID)
PRODID = "-//bdgtrain//Lich tap huan binh dang gioi//VI"
# A cancelled event stays in a feed this long, so that every client has a chance to remove it.
CANCELLED_KEPT = timedelta(days=30)
FOLD_OCTETS = 75
FORMAT_VERSION = "1"  # part of every ETag: changing how feeds are written must change their ETags

METHODS = ("PUBLISH", "REQUEST", "CANCEL")
STATUSES = ("TENTATIVE", "CONFIRMED", "CANCELLED")


@dataclass(frozen=True)
class Person:
    email: str
    name: str = ""


@dataclass(frozen=True)
class EventData:
    uid: str
    starts_at: datetime  # aware; written in Asia/Ho_Chi_Minh with its TZID
    ends_at: datetime
    summary: str
    status: str  # TENTATIVE, CONFIRMED or CANCELLED
    sequence: int
    changed_at: datetime  # LAST-MODIFIED, and DTSTAMP unless the calendar gives one
    location: str | None = None
    description: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class CalendarData:
    name: str
    method: str = "PUBLISH"
    refresh: timedelta = timedelta(hours=3)
    description: str | None = None
    organizer: Person | None = None  # iTIP messages need one
    attendee: Person | None = None
    stamp: datetime | None = None  # DTSTAMP of every event of an iTIP message: when it was made
    events: Sequence[EventData] = field(default_factory=tuple)


def event_status(class_status: str, session_status: str) -> str:
    """STATUS of a session's event: a cancelled class or session is CANCELLED, a planned class TENTATIVE."""
    if class_status == "cancelled" or session_status == "cancelled":
        return "CANCELLED"
    return "CONFIRMED" if class_status == "confirmed" else "TENTATIVE"


def keeps_cancelled(cancelled_at: datetime | None, as_of: datetime) -> bool:
    """Whether an event cancelled at `cancelled_at` is still written (as CANCELLED) into feeds."""
    return cancelled_at is None or as_of - cancelled_at < CANCELLED_KEPT


def duration_text(value: timedelta) -> str:
    """An RFC 5545 DURATION for whole hours or minutes: PT3H, PT90M."""
    minutes = int(value.total_seconds() // 60)
    return f"PT{minutes // 60}H" if minutes % 60 == 0 else f"PT{minutes}M"


def fold(line: bytes, limit: int = FOLD_OCTETS) -> bytes:
    """Fold one content line (UTF-8 bytes) into lines of at most `limit` octets."""
    if len(line) <= limit:
        return line
    parts = []
    start, width = 0, limit  # the first line holds `limit` octets; the others a space and limit - 1
    while len(line) - start > width:
        cut = start + width
        while line[cut] & 0xC0 == 0x80:  # never inside a UTF-8 sequence
            cut -= 1
        if line[cut - 1] == 0x5C and _escape_opens_at(line, start, cut - 1):
            cut -= 1  # never between a backslash and the character it escapes
        parts.append(line[start:cut])
        start, width = cut, limit - 1
    parts.append(line[start:])
    return b"\r\n ".join(parts)


def _escape_opens_at(line: bytes, start: int, index: int) -> bool:
    """Whether the backslash at `index` begins an escape (an even run of backslashes before it)."""
    run = 0
    while index - 1 - run >= start and line[index - 1 - run] == 0x5C:
        run += 1
    return run % 2 == 0


@lru_cache(maxsize=1)
def _vtimezone() -> Timezone:
    """Asia/Ho_Chi_Minh: UTC+7 without daylight saving since 1975."""
    zone = Timezone()
    zone.add("tzid", TZID)
    zone.add("x-lic-location", TZID)
    standard = TimezoneStandard()
    standard.add("dtstart", datetime(1970, 1, 1))
    standard.add("tzoffsetfrom", timedelta(hours=7))
    standard.add("tzoffsetto", timedelta(hours=7))
    standard.add("tzname", "+07")
    zone.add_component(standard)
    return zone


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(timezone.utc).replace(microsecond=0)


def _address(person: Person, **params: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{person.email}")
    if person.name:
        address.params["CN"] = person.name
    address.params.update(params)
    return address


def _event_properties(data: EventData, organizer: Person | None, attendee: Person | None,
                      stamp: datetime | None) -> list[tuple[str, object]]:
    """The VEVENT's properties as icalendar values (which do the escaping and the date formats)."""
    props: list[tuple[str, object]] = [
        ("UID", vText(data.uid)),
        ("DTSTAMP", vDDDTypes(_utc(stamp or data.changed_at))),
        ("DTSTART", vDDDTypes(data.starts_at.astimezone(LOCAL_TZ).replace(microsecond=0))),
        ("DTEND", vDDDTypes(data.ends_at.astimezone(LOCAL_TZ).replace(microsecond=0))),
        ("SUMMARY", vText(data.summary)),
    ]
    if data.location:
        props.append(("LOCATION", vText(data.location)))
    if data.description:
        props.append(("DESCRIPTION", vText(data.description)))
    if data.url:
        props.append(("URL", vUri(data.url)))
    props += [("LAST-MODIFIED", vDDDTypes(_utc(data.changed_at))), ("SEQUENCE", vInt(data.sequence)),
              ("STATUS", vText(data.status)),
              ("TRANSP", vText("TRANSPARENT" if data.status == "CANCELLED" else "OPAQUE"))]
    if organizer is not None:
        props.append(("ORGANIZER", _address(organizer)))
    if attendee is not None:
        props.append(("ATTENDEE", _address(attendee, ROLE="REQ-PARTICIPANT", PARTSTAT="NEEDS-ACTION",
                                           RSVP="FALSE", CUTYPE="INDIVIDUAL")))
    return props


def _content_line(name: str, value) -> bytes:
    """NAME;PARAMS:VALUE, from the value's own to_ical() and its parameters' (quoted as needed)."""
    params = getattr(value, "params", None)
    head = name.encode() + (b";" + params.to_ical() if params else b"")
    return fold(head + b":" + value.to_ical())


def _lines(component) -> list[bytes]:
    return [fold(line.encode()) for line in component.content_lines() if line]


@lru_cache(maxsize=8192)
def _event_block(data: EventData, organizer: Person | None, attendee: Person | None,
                 stamp: datetime | None) -> bytes:
    """One VEVENT's lines. Its output depends on its arguments alone, so a feed asked for again
    after one session changed rewrites that session's event and reuses the others.

    Written property by property rather than through Event.to_ical(): the same values and the
    same escaping, without the per-line parameter objects that made a 300-event feed slow."""
    if data.status not in STATUSES:
        raise ValueError(f"unknown event status {data.status!r}")
    lines = [b"BEGIN:VEVENT"]
    lines += [_content_line(name, value) for name, value in _event_properties(data, organizer, attendee, stamp)]
    lines.append(b"END:VEVENT")
    return b"\r\n".join(lines)


def build_calendar(calendar: CalendarData) -> bytes:
    """The iCalendar document: the calendar's properties, the VTIMEZONE, one VEVENT per event."""
    if calendar.method not in METHODS:
        raise ValueError(f"unknown iTIP method {calendar.method!r}")
    document = Calendar()
    document.add("version", "2.0")
    document.add("prodid", PRODID)
    document.add("calscale", "GREGORIAN")
    document.add("method", calendar.method)
    # Set as TEXT explicitly: for X- names (and NAME) the package would write the value unescaped.
    document["NAME"] = vText(calendar.name)
    document["X-WR-CALNAME"] = vText(calendar.name)
    document["X-WR-TIMEZONE"] = vText(TZID)
    if calendar.description:
        document["DESCRIPTION"] = vText(calendar.description)
        document["X-WR-CALDESC"] = vText(calendar.description)
    if calendar.method == "PUBLISH":
        refresh = duration_text(calendar.refresh)
        document["REFRESH-INTERVAL"] = _duration_value(refresh)
        document["X-PUBLISHED-TTL"] = vText(refresh)
    document.add_component(_vtimezone())
    lines = _lines(document)  # BEGIN:VCALENDAR ... END:VTIMEZONE, END:VCALENDAR
    events = [_event_block(data, calendar.organizer, calendar.attendee, calendar.stamp) for data in calendar.events]
    return b"\r\n".join(lines[:-1] + events + lines[-1:]) + b"\r\n"


def _duration_value(text: str):
    value = vText(text)
    value.params["VALUE"] = "DURATION"
    return value


def version_tag(parts: Iterable[object]) -> str:
    """A short, stable digest of whatever decides a feed's content: its ETag."""
    digest = hashlib.sha256(FORMAT_VERSION.encode())
    for part in parts:
        digest.update(repr(part).encode())
        digest.update(b"\x1f")
    return digest.hexdigest()[:32]
