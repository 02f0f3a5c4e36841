"""When to try an e-mail again: exponential backoff, capped. Pure: attempts in, a delay out."""
from __future__ import annotations

from datetime import timedelta

FIRST_DELAY = timedelta(minutes=1)
LONGEST_DELAY = timedelta(hours=6)


def backoff(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failure: 1, 2, 4, 8 ... minutes, never more than six hours."""
    if attempts < 1:
        return timedelta(0)
    return min(FIRST_DELAY * 2 ** min(attempts - 1, 20), LONGEST_DELAY)
