"""The derived index that makes calendar arithmetic O(log n) (private).

A calendar definition is expanded once, on first use, into flat sorted lists
over its whole horizon:

* ``starts``/``ends``: open intervals as UTC epoch microseconds, merged when
  back to back (so a 24/7 calendar has no gap at midnight);
* ``cum``: open microseconds before each interval, so the business time
  between two instants is two binary searches and a subtraction;
* ``rank``: working days before each day of the horizon, and ``workdays``,
  the day numbers of the working days, so working-day arithmetic is a lookup.

Local wall times become instants per local date, which is how daylight-saving
days are handled: a 22:00–06:00 shift on a spring-forward night is 7 hours.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from govkit.errors import InvalidDefinitionError

__all__ = ["CalendarIndex", "build_index"]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_US = 1_000_000
_US_PER_DAY = 86_400 * _US
_US_PER_MINUTE = 60 * _US

Spans = tuple[tuple[int, int], ...]


class CalendarIndex:
    """Flat lookup tables for one calendar; immutable once built."""

    __slots__ = (
        "close",
        "cum",
        "day0",
        "ends",
        "first_instant",
        "last_instant",
        "rank",
        "starts",
        "utc_day0",
        "utc_day_lo",
        "workdays",
    )

    def __init__(
        self,
        day0: int,
        starts: list[int],
        ends: list[int],
        close: list[int],
        first_instant: int,
        last_instant: int,
    ) -> None:
        self.day0 = day0
        self.starts = starts
        self.ends = ends
        self.close = close
        self.first_instant = first_instant
        self.last_instant = last_instant
        cum = [0]
        total = 0
        for start, end in zip(starts, ends, strict=True):
            total += end - start
            cum.append(total)
        self.cum = cum
        rank = [0]
        workdays = []
        count = 0
        for day, closing in enumerate(close):
            if closing >= 0:
                workdays.append(day)
                count += 1
            rank.append(count)
        self.rank = rank
        self.workdays = workdays
        # For each UTC day, how many intervals end by its midnight: a search
        # for an instant then only looks among that day's few intervals.
        self.utc_day0 = first_instant // _US_PER_DAY - 1
        days = last_instant // _US_PER_DAY - self.utc_day0 + 2
        lo: list[int] = []
        k = 0
        for day in range(days):
            midnight = (self.utc_day0 + day) * _US_PER_DAY
            while k < len(ends) and ends[k] <= midnight:
                k += 1
            lo.append(k)
        self.utc_day_lo = lo

    def _search(self, instant: int) -> int:
        """``bisect_right(ends, instant)`` for an instant inside the horizon."""
        day = instant // _US_PER_DAY - self.utc_day0
        lo = self.utc_day_lo
        return bisect_right(self.ends, instant, lo[day], lo[day + 1])

    def position(self, instant: int) -> int:
        """Open microseconds from the horizon's start up to ``instant``."""
        k = self._search(instant)
        if k == len(self.starts):
            return self.cum[k]
        start = self.starts[k]
        return self.cum[k] + (instant - start if instant > start else 0)

    def advance(self, instant: int, amount: int) -> int | None:
        """Earliest instant with ``amount`` (> 0) open microseconds since ``instant``.

        ``None`` when the horizon ends first.
        """
        cum = self.cum
        j = self._search(instant)
        if j == len(self.starts):
            return None
        start = self.starts[j]
        target = cum[j] + (instant - start if instant > start else 0) + amount
        if target > cum[-1]:
            return None
        # The interval where the target is reached: the last j with cum[j] < target.
        j = bisect_left(cum, target, j + 1) - 1
        return self.starts[j] + (target - cum[j])

    def next_open(self, instant: int) -> int | None:
        """``instant`` if open, else the next opening; ``None`` past the last one."""
        k = self._search(instant)
        if k == len(self.starts):
            return None
        start = self.starts[k]
        return instant if instant >= start else start


def _local_to_utc_factory(tz: ZoneInfo) -> Callable[[int, int], int]:
    """Return ``f(day_ordinal, minute) -> epoch µs`` for wall time in ``tz``."""

    def convert(ordinal: int, minute: int) -> int:
        day = date.fromordinal(ordinal + minute // 1440)
        wall = datetime.combine(day, time(minute % 1440 // 60, minute % 60), tz)
        return (wall - _EPOCH) // timedelta(microseconds=1)

    return convert


def build_index(
    tz: ZoneInfo,
    valid_from: date,
    valid_until: date,
    spans_of_day: Callable[[date], Spans],
    max_spill_minutes: int,
) -> CalendarIndex:
    """Expand a definition over its horizon into a :class:`CalendarIndex`."""
    convert = _local_to_utc_factory(tz)
    first = valid_from.toordinal()
    last = valid_until.toordinal()
    starts: list[int] = []
    ends: list[int] = []
    close: list[int] = []

    # Most days have one UTC offset from midnight to the end of any overnight
    # spill; for those, wall minutes map to instants by plain arithmetic.
    def offset_us(ordinal: int) -> int:
        midnight = datetime.combine(date.fromordinal(ordinal), time(), tz)
        delta = midnight.utcoffset()
        assert delta is not None  # ZoneInfo always answers
        return delta // timedelta(microseconds=1)

    offset_today = offset_us(first)
    offset_next = offset_us(first + 1)
    offset_after = offset_us(first + 2)
    for ordinal in range(first, last + 1):
        spans: Sequence[tuple[int, int]] = spans_of_day(date.fromordinal(ordinal))
        if not spans:
            close.append(-1)
        else:
            day_close = -1
            uniform = offset_today == offset_next == offset_after
            base = (ordinal - _EPOCH_ORDINAL) * _US_PER_DAY - offset_today
            for s_min, e_min in spans:
                if uniform:
                    s_us = base + s_min * _US_PER_MINUTE
                    e_us = base + e_min * _US_PER_MINUTE
                else:
                    s_us = convert(ordinal, s_min)
                    e_us = convert(ordinal, e_min)
                day_close = e_us
                if e_us <= s_us:
                    # A wall-time interval swallowed by a DST gap has no length.
                    continue
                if ends and s_us < ends[-1]:
                    raise InvalidDefinitionError(
                        f"hours of {date.fromordinal(ordinal).isoformat()}",
                        "intervals that do not overlap the previous day's overnight hours",
                        spans,
                    )
                if ends and s_us == ends[-1]:
                    ends[-1] = e_us  # back to back: one interval
                else:
                    starts.append(s_us)
                    ends.append(e_us)
            close.append(day_close)
        offset_today, offset_next = offset_next, offset_after
        offset_after = offset_us(ordinal + 3)
    first_instant = convert(first, max_spill_minutes)
    # The last day's overnight hours are known to their end.
    last_instant = max(convert(last + 1, 0), ends[-1] if ends else 0)
    return CalendarIndex(first, starts, ends, close, first_instant, last_instant)
