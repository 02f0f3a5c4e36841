"""Completion of a class: who counts as trained.

A participant completes a class when she was present or late in at least `percent` of its held
sessions (cancelled sessions do not count). "Excused" is not attendance: the content was missed.
Sessions not yet closed count as still possible, so the organiser sees early who can no longer
reach the threshold; she completes as soon as she has attended enough, even with sessions left.
Pure: statuses in, a Completion out.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

DEFAULT_PERCENT = 80
ATTENDED = ("present", "late")
# A session with a mark among these was held: a roll was called (absent marks included, as the roll
# showed who missed it). Cancelling it afterwards would rewrite who completed, so it is refused;
# an "excused" mark alone, written ahead of a session, is not a roll call.
ROLL_CALL = ("present", "late", "absent")


@dataclass(frozen=True)
class Completion:
    attended: int
    held: int          # sessions that count: every non-cancelled session of the class
    remaining: int     # of those, sessions not yet closed
    percent: int

    @property
    def needed(self) -> int:
        """Sessions she must attend: the smallest count whose share reaches `percent`."""
        return -(-self.held * self.percent // 100) if self.held else 0

    @property
    def completed(self) -> bool:
        return self.held > 0 and self.attended >= self.needed

    @property
    def can_still_complete(self) -> bool:
        return self.held > 0 and self.attended + self.remaining >= self.needed

    @property
    def below_threshold(self) -> bool:
        """Her share of the sessions closed so far is under the threshold (the organiser's list)."""
        closed = self.held - self.remaining
        return closed > 0 and self.attended * 100 < closed * self.percent


def completion(statuses: Sequence[str | None], *, held: int, remaining: int, percent: int = DEFAULT_PERCENT
               ) -> Completion:
    """`statuses`: her attendance status in each held session that has a row (None for none)."""
    return completion_of_count(sum(1 for status in statuses if status in ATTENDED), held=held, remaining=remaining,
                               percent=percent)


def completion_of_count(attended: int, *, held: int, remaining: int, percent: int = DEFAULT_PERCENT) -> Completion:
    """`attended`: the held sessions she was present or late in (counted by the database for a whole class)."""
    if not 1 <= percent <= 100:
        raise ValueError("percent must be between 1 and 100")
    if remaining > held:
        raise ValueError("more sessions remaining than held")
    return Completion(attended=min(attended, held), held=held, remaining=remaining, percent=percent)
