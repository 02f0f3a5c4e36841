"""Vietnamese date expressions as provincial plans write them, and a class's default half-day sessions.

Reading (case-insensitive; spaces around separators are free; en/em dashes count as "-"):

    expression := item { ("," | ";" | "và" | ", và") item }
    item       := ["từ"] ["ngày"] point [ ("-" | "đến") ["ngày"] point ]
    point      := d | d/m | d/m/yyyy          ("." may replace "/"; a lone item may be d-m-yyyy)

A point that leaves out its month or year takes it from the next point written to its right, as in
"11-12/7/2019", "30/7-02/8/2019" or "10, 12/7/2019"; so the last point must be complete. Ranges
include both ends and span at most 366 days. Years have four digits, 1900-2100: "10/7/19" is
refused (date.syntax), not guessed, because a wrong century would silently move a class.

Writing (the canonical form): day and month unpadded, the year in full, as the plans write them:
"10/7/2019", "11-12/7/2019", "30/7-2/8/2019", "30/12/2019-2/1/2020"; runs of consecutive days
become ranges and runs are joined by ", ". format_vn_date alone writes the padded "dd/mm/yyyy".

Error codes: date.empty, date.syntax, date.invalid, date.reversed, date.too_long.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import NamedTuple

from ..messages import Message

MIN_YEAR, MAX_YEAR = 1900, 2100
MAX_RANGE_DAYS = 366
MAX_TEXT_LENGTH = 1000  # far above any real plan; keeps a pasted document out of the parser
EXAMPLES = Message("10/7/2019, 11-12/7/2019 hoặc 30/7-2/8/2019")


class DateExpressionError(ValueError):
    """A date the user wrote that cannot be read: a stable `code` and a Vietnamese `message` (a Message)."""

    def __init__(self, code: str, message: Message):
        super().__init__(message)
        self.code = code
        self.message = message


# Hyphen, non-breaking hyphen, figure dash, en dash, em dash, horizontal bar, minus sign.
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"), "-")

_TOKEN = re.compile(r"""
      (?P<space>\s+)
    | (?P<dashed>(?<![0-9/.-])[0-9]{1,2}-[0-9]{1,2}-[0-9]+(?![0-9/.-]))   # 10-07-2019 standing alone
    | (?P<point>[0-9]+(?:\s*[/.]\s*[0-9]+)*)
    | (?P<dash>-)
    | (?P<comma>[,;])
    | (?P<word>[^\W\d_]+)
""", re.VERBOSE)
_WORDS = {"ngày": "day", "từ": "from", "đến": "to", "và": "and"}


class _Token(NamedTuple):
    kind: str  # point, dashed, dash, comma, or a _WORDS value
    text: str
    start: int
    end: int


class _Point(NamedTuple):
    day: int
    month: int | None
    year: int | None


def _prepare(text: str) -> str:
    return unicodedata.normalize("NFC", text).translate(_DASHES).strip()


def _shown(text: str) -> str:
    return text if len(text) <= 60 else text[:60] + "…"


def _syntax(text: str) -> DateExpressionError:
    return DateExpressionError("date.syntax", Message("Không đọc được ngày “%(text)s”. Hãy viết như %(examples)s.",
                                                      text=_shown(text), examples=EXAMPLES))


def _tokens(text: str) -> list[_Token]:
    tokens, pos = [], 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        kind = match.lastgroup if match else None
        if kind == "word":
            kind = _WORDS.get(match.group().lower())
        if kind is None:
            bad = _shown(match.group() if match else text[pos])
            raise DateExpressionError("date.syntax", Message(
                "Không hiểu “%(bad)s” trong “%(text)s”. Hãy viết ngày như %(examples)s.",
                bad=bad, text=_shown(text), examples=EXAMPLES))
        if kind != "space":
            tokens.append(_Token(kind, match.group(), match.start(), match.end()))
        pos = match.end()
    return tokens


def _year(digits: str, written: str) -> int:
    if len(digits) != 4:  # checked before int(): a 5000-digit "year" must not reach the parser
        raise DateExpressionError("date.syntax", Message(
            "Năm trong “%(text)s” phải viết đủ bốn chữ số, ví dụ 10/7/2019.", text=written))
    return int(digits)


def _point(token: _Token, source: str) -> _Point:
    written = "".join(token.text.split())
    separators = set(re.findall(r"[/.-]", written))
    parts = re.split(r"[/.-]", written)
    if len(separators) > 1 or len(parts) > 3 or any(len(part) > 2 for part in parts[:2]):
        raise _syntax(source)
    day, month = int(parts[0]), int(parts[1]) if len(parts) > 1 else None
    year = _year(parts[2], written) if len(parts) > 2 else None
    return _Point(day, month, year)


def _items(tokens: list[_Token], source: str) -> list[tuple[list[_Token], list[_Point]]]:
    """Each item as (its one or two point tokens, their points), following the grammar in the module docstring."""
    items, i = [], 0

    def take(*kinds: str) -> _Token | None:
        nonlocal i
        if i < len(tokens) and tokens[i].kind in kinds:
            i += 1
            return tokens[i - 1]
        return None

    def point() -> _Token:
        take("day")
        found = take("point", "dashed")
        if found is None:
            raise _syntax(source)
        return found

    while True:
        take("from")
        first = point()
        ends = [first, point()] if take("dash", "to") else [first]
        items.append((ends, [_point(end, source) for end in ends]))
        if i == len(tokens):
            return items
        if take("comma"):
            take("and")
        elif not take("and"):
            raise _syntax(source)


def _make_date(day: int, month: int, year: int) -> date:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise DateExpressionError("date.invalid", Message("Năm %(year)s nằm ngoài khoảng %(min)s–%(max)s.",
                                                          year=year, min=MIN_YEAR, max=MAX_YEAR))
    try:
        return date(year, month, day)
    except ValueError:
        raise DateExpressionError("date.invalid", Message("Ngày %(date)s không tồn tại.",
                                                          date=f"{day}/{month}/{year}")) from None


def _short(d: date) -> str:
    return f"{d.day}/{d.month}/{d.year:04d}"


def parse_date_expression(text: str) -> list[date]:
    """The days a plan's date expression names, sorted and unique."""
    source = _prepare(text)
    if not source:
        raise DateExpressionError("date.empty", Message("Chưa nhập ngày."))
    if len(source) > MAX_TEXT_LENGTH:
        raise DateExpressionError("date.too_long", Message("Chuỗi ngày quá dài (tối đa %(max)s ký tự).",
                                                           max=MAX_TEXT_LENGTH))
    items = _items(_tokens(source), source)

    # Missing months and years come from the right, so complete the points right to left...
    month = year = None
    completed: list[tuple[int, int, int]] = []
    for p in reversed([p for _, points in items for p in points]):
        month = month if p.month is None else p.month
        year = year if p.year is None else p.year
        if year is None:
            raise DateExpressionError("date.syntax", Message(
                "Thiếu năm trong “%(text)s”: ngày cuối phải viết đủ ngày/tháng/năm, ví dụ 12/7/2019.",
                text=_shown(source)))
        completed.append((p.day, month, year))
    # ...then check them left to right, so the first mistake reported is the first one written.
    dates = iter([_make_date(*triple) for triple in reversed(completed)])

    days: set[date] = set()
    for ends, _ in items:
        first = next(dates)
        last = next(dates) if len(ends) == 2 else first
        written = source[ends[0].start:ends[-1].end]
        if first > last:
            raise DateExpressionError("date.reversed", Message(
                "Khoảng ngày “%(text)s” bị ngược: %(first)s sau %(last)s.",
                text=written, first=_short(first), last=_short(last)))
        length = (last - first).days + 1
        if length > MAX_RANGE_DAYS:
            raise DateExpressionError("date.too_long", Message(
                "Khoảng ngày “%(text)s” dài %(num)s ngày, quá %(max)s ngày.",
                text=written, num=length, max=MAX_RANGE_DAYS))
        days.update(first + timedelta(days=n) for n in range(length))
    return sorted(days)


def format_date_expression(days: Iterable[date]) -> str:
    """The canonical compact form of a set of days ("" for none); parse_date_expression reads it back."""
    runs: list[list[date]] = []
    for day in sorted(set(days)):
        # A run stops at MAX_RANGE_DAYS so that every range written can be read back.
        if runs and (day - runs[-1][1]).days == 1 and (day - runs[-1][0]).days < MAX_RANGE_DAYS:
            runs[-1][1] = day
        else:
            runs.append([day, day])
    return ", ".join(_format_run(first, last) for first, last in runs)


def _format_run(first: date, last: date) -> str:
    if first == last:
        return _short(last)
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}-{_short(last)}"
    if first.year == last.year:
        return f"{first.day}/{first.month}-{_short(last)}"
    return f"{_short(first)}-{_short(last)}"


_VN_DATE = re.compile(r"([0-9]{1,2})([/.-])([0-9]{1,2})\2([0-9]+)")


def parse_vn_date(text: str) -> date:
    """One date written dd/mm/yyyy (also d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy)."""
    source = _prepare(text)
    if not source:
        raise DateExpressionError("date.empty", Message("Chưa nhập ngày."))
    match = _VN_DATE.fullmatch(source)
    if not match:
        raise DateExpressionError("date.syntax", Message(
            "Không đọc được ngày “%(text)s”. Hãy viết ngày/tháng/năm, ví dụ 10/7/2019.", text=_shown(source)))
    return _make_date(int(match[1]), int(match[3]), _year(match[4], source))


def format_vn_date(d: date) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"


MORNING, AFTERNOON = "Sáng", "Chiều"


@dataclass(frozen=True)
class SessionSlot:
    """A half-day session (buổi) in local Asia/Ho_Chi_Minh wall-clock time; the caller attaches the zone."""

    day: date
    label: str  # MORNING or AFTERNOON
    start: time
    end: time


def default_sessions(days: Iterable[date],
                     morning: tuple[time, time] = (time(7, 30), time(11, 30)),
                     afternoon: tuple[time, time] = (time(13, 30), time(17, 0))) -> list[SessionSlot]:
    """A morning and an afternoon session on each day, in day order, morning first."""
    if not morning[0] < morning[1] <= afternoon[0] < afternoon[1]:
        raise ValueError(f"sessions must not overlap and must end after they start: {morning}, {afternoon}")
    return [SessionSlot(day, label, start, end)
            for day in sorted(set(days))
            for label, (start, end) in ((MORNING, morning), (AFTERNOON, afternoon))]


# --- dates inside a sentence of a plan ---------------------------------------------------------------

# "17, 18 và 19 tháng 7 năm 2019" and "17 tháng 7/2019" become "17, 18 và 19/7/2019".
_WORDED = re.compile(r"\b([0-9]{1,2})\s+tháng\s+([0-9]{1,2})(?:(?:\s+năm\s+|\s*/\s*)([0-9]{4}))?\b", re.IGNORECASE)
# A duration ("02 ngày", "(03 buổi)") is not a date: it would run into the dates that follow it.
_DURATION = re.compile(r"\(?\b[0-9]{1,2}\s+(?:ngày|buổi)\b\s*\)?(?!\s*[0-9])", re.IGNORECASE)
# The longest stretch made only of what a date expression may hold.
_FULL_DAY = re.compile(r"[0-9]{1,2}\s*[/.]\s*[0-9]{1,2}\s*[/.]\s*[0-9]{4}\b")  # a run must name one whole day
_RUN = re.compile(r"(?:\b(?:từ|ngày|đến|và)\b|[0-9]+|[/.,;\-]|\s)+", re.IGNORECASE)
_LEADING_JOINERS = re.compile(r"^(?:(?:và|đến)\s+)+", re.IGNORECASE)  # "và 16/7/2019" -> "16/7/2019"


@dataclass(frozen=True)
class DatePhrase:
    written: str  # the expression as found in the sentence, in the form parse_date_expression reads
    days: list[date]


def find_date_phrase(text: str) -> DatePhrase | None:
    """The days a sentence of a plan names ("Thời gian: Dự kiến ngày 17, 18 và 19 tháng 7 năm 2019"),
    or None when it names no day. A day that does not exist ("31/2/2019") raises DateExpressionError:
    a wrong date is told, never skipped."""
    source = _prepare(text)[:MAX_TEXT_LENGTH]
    source = _WORDED.sub(lambda m: f"{m[1]}/{m[2]}" + (f"/{m[3]}" if m[3] else ""), source)
    source = _DURATION.sub(" ", source)
    best = ""
    for match in _RUN.finditer(source):
        run = match.group().strip(" ,;.-")
        if _FULL_DAY.search(run) and len(run) > len(best):
            best = run
    if not best:
        return None
    best = _LEADING_JOINERS.sub("", best)
    return DatePhrase(written=best, days=parse_date_expression(best))
