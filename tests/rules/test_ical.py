"""The iCalendar writer, alone: structure, escaping, folding, time zones, statuses; read back by two parsers."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import icalendar
import pytest
import vobject

from bdgtrain.rules import ical
from bdgtrain.rules.retry import backoff

UTC = timezone.utc
TRICKY = "Lớp 1, buổi sáng; có dấu \\ gạch\nxuống dòng 😀 và \"ngoặc\" " * 3


def event(**overrides) -> ical.EventData:
    data = dict(uid="session-1@test", starts_at=datetime(2019, 7, 15, 0, 30, tzinfo=UTC),
                ends_at=datetime(2019, 7, 15, 4, 30, tzinfo=UTC), summary=TRICKY, status="CONFIRMED", sequence=2,
                changed_at=datetime(2019, 7, 1, 3, 4, 5, 678, tzinfo=UTC), location="Hội trường, tầng 3; 🏛",
                description=TRICKY * 2, url="https://bdg.example/plans/HT/classes/LOP-3")
    data.update(overrides)
    return ical.EventData(**data)


def document(*events, **calendar) -> bytes:
    return ical.build_calendar(ical.CalendarData(name=calendar.pop("name", "Lịch, thử; 🎓"), events=events, **calendar))


def test_calendar_has_the_properties_clients_need():
    text = document(event()).decode()
    for line in ("BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
                 "NAME:Lịch\\, thử\\; 🎓", "X-WR-CALNAME:", "X-WR-TIMEZONE:Asia/Ho_Chi_Minh",
                 "REFRESH-INTERVAL;VALUE=DURATION:PT3H", "X-PUBLISHED-TTL:PT3H", "BEGIN:VTIMEZONE",
                 "TZID:Asia/Ho_Chi_Minh", "TZOFFSETTO:+0700", "DTSTART;TZID=Asia/Ho_Chi_Minh:20190715T073000",
                 "DTEND;TZID=Asia/Ho_Chi_Minh:20190715T113000", "DTSTAMP:20190701T030405Z",
                 "LAST-MODIFIED:20190701T030405Z", "SEQUENCE:2", "STATUS:CONFIRMED", "UID:session-1@test"):
        assert line in text, line


def test_lines_end_in_crlf_and_fold_at_75_octets_between_characters():
    raw = document(event(), event(uid="session-2@test"))
    assert raw.endswith(b"\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b"")
    for line in raw.split(b"\r\n"):
        assert len(line) <= 75
        line.decode("utf-8")  # a fold never splits a character


@pytest.mark.parametrize("width", range(60, 80))
def test_fold_never_splits_an_escape_or_a_character(width):
    line = ("X-TEST:" + "é\\,😀\\\\;a" * 20).encode()
    folded = ical.fold(line, limit=width)
    parts = folded.split(b"\r\n ")
    assert b"".join(parts) == line
    for part in parts:
        assert len(part) + (0 if part is parts[0] else 1) <= width
        part.decode()
        stripped = part.rstrip(b"\\")
        assert (len(part) - len(stripped)) % 2 == 0  # no dangling half of a backslash escape


def test_text_survives_the_round_trip_in_icalendar_and_vobject():
    raw = document(event())
    parsed = next(iter(icalendar.Calendar.from_ical(raw).walk("VEVENT")))
    assert str(parsed["SUMMARY"]) == TRICKY
    assert str(parsed["DESCRIPTION"]) == TRICKY * 2
    assert str(parsed["LOCATION"]) == "Hội trường, tầng 3; 🏛"
    other = vobject.readOne(raw.decode())
    assert other.vevent.summary.value == TRICKY
    assert other.vevent.description.value == TRICKY * 2
    assert other.vevent.location.value == "Hội trường, tầng 3; 🏛"
    assert other.x_wr_calname.value == "Lịch, thử; 🎓"


def test_times_are_wall_clock_in_utc_plus_7():
    raw = document(event())
    parsed = next(iter(icalendar.Calendar.from_ical(raw).walk("VEVENT")))
    start = parsed.decoded("DTSTART")
    assert (start.hour, start.minute, start.utcoffset()) == (7, 30, timedelta(hours=7))
    assert start.astimezone(UTC) == datetime(2019, 7, 15, 0, 30, tzinfo=UTC)
    assert (vobject.readOne(raw.decode()).vevent.dtstart.value.astimezone(UTC)
            == datetime(2019, 7, 15, 0, 30, tzinfo=UTC))


def test_same_data_gives_the_same_bytes():
    assert document(event(), event(uid="b")) == document(event(), event(uid="b"))


def test_an_empty_calendar_is_valid():
    raw = document()
    assert list(icalendar.Calendar.from_ical(raw).walk("VEVENT")) == []
    assert vobject.readOne(raw.decode()).name == "VCALENDAR"


def test_itip_request_carries_organizer_attendee_and_stamp():
    stamp = datetime(2019, 7, 2, 8, 0, tzinfo=UTC)
    raw = document(event(), method="REQUEST", organizer=ical.Person("moi@so.vn", "Sở LĐ-TB&XH"),
                   attendee=ical.Person("hoa@example.vn", "Nguyễn Thị Hoa"), stamp=stamp)
    parsed = next(iter(icalendar.Calendar.from_ical(raw).walk("VEVENT")))
    assert str(parsed["ORGANIZER"]) == "mailto:moi@so.vn"
    assert str(parsed["ATTENDEE"]) == "mailto:hoa@example.vn"
    assert parsed["ATTENDEE"].params["CN"] == "Nguyễn Thị Hoa"
    assert parsed.decoded("DTSTAMP") == stamp
    assert b"METHOD:REQUEST" in raw and b"REFRESH-INTERVAL" not in raw


@pytest.mark.parametrize("class_status, session_status, expected", [
    ("planned", "scheduled", "TENTATIVE"),
    ("confirmed", "scheduled", "CONFIRMED"),
    ("confirmed", "cancelled", "CANCELLED"),
    ("cancelled", "scheduled", "CANCELLED"),
    ("planned", "cancelled", "CANCELLED"),
])
def test_event_status(class_status, session_status, expected):
    assert ical.event_status(class_status, session_status) == expected


def test_cancelled_events_stay_30_days():
    now = datetime(2020, 1, 31, tzinfo=UTC)
    assert ical.keeps_cancelled(None, now)
    assert ical.keeps_cancelled(now - timedelta(days=29, hours=23), now)
    assert not ical.keeps_cancelled(now - timedelta(days=30), now)


def test_unknown_status_or_method_is_refused():
    with pytest.raises(ValueError):
        document(event(status="MAYBE"))
    with pytest.raises(ValueError):
        document(method="REPLY")


@pytest.mark.parametrize("attempts, minutes", [(1, 1), (2, 2), (3, 4), (6, 32), (20, 360), (1000, 360)])
def test_backoff_doubles_then_caps(attempts, minutes):
    assert backoff(attempts) == timedelta(minutes=minutes)


def test_duration_text():
    assert ical.duration_text(timedelta(hours=3)) == "PT3H"
    assert ical.duration_text(timedelta(minutes=90)) == "PT90M"
