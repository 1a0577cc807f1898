"""Helpers for testing host applications that use govkit."""

from __future__ import annotations

from datetime import datetime, timedelta

from govkit._time import require_aware
from govkit.errors import InvalidTimeError

__all__ = ["ManualClock"]


class ManualClock:
    """A clock that moves only when told to; it never goes backwards.

    It is deliberately mutable (tests advance it), so it is not a value class.

    >>> from datetime import UTC, datetime, timedelta
    >>> clock = ManualClock(datetime(2026, 11, 23, 9, tzinfo=UTC))
    >>> clock.advance(timedelta(hours=2)).isoformat()
    '2026-11-23T11:00:00+00:00'
    """

    __slots__ = ("_now",)

    def __init__(self, start: datetime) -> None:
        self._now = require_aware(start, "start")

    def now(self) -> datetime:
        """Return the clock's current instant."""
        return self._now

    def set(self, at: datetime) -> datetime:
        """Move the clock to ``at``; refuses instants before the current one."""
        at = require_aware(at, "at")
        if at < self._now:
            raise InvalidTimeError("at", at, f"clock cannot go backwards from {self._now}")
        self._now = at
        return at

    def advance(self, by: timedelta) -> datetime:
        """Move the clock forward by ``by``; refuses negative steps."""
        if by < timedelta(0):
            raise InvalidTimeError("by", by, "expected a non-negative timedelta")
        self._now = self._now + by
        return self._now
