"""Parsing and checking working hours written in local wall time (private).

Intervals are kept as ``(start_minute, end_minute)`` pairs counted from the
local midnight of the day they start on; an interval that crosses midnight has
``end_minute > 1440``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import time
from itertools import pairwise

from govkit.errors import InvalidDefinitionError

__all__ = [
    "WEEKDAYS",
    "Intervals",
    "WeeklyHours",
    "format_intervals",
    "normalize_intervals",
    "normalize_weekly",
    "weekly_minutes",
]

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_MINUTES_PER_DAY = 1440
_MINUTES_PER_WEEK = 7 * _MINUTES_PER_DAY
_HHMM = re.compile(r"^([01]\d|2[0-4]):([0-5]\d)$")

Intervals = tuple[tuple[str, str], ...]
"""Canonical intervals of one day: ``(("09:00", "12:00"), ("13:00", "18:00"))``."""
WeeklyHours = tuple[tuple[str, Intervals], ...]
"""Canonical weekly hours: ``(("mon", intervals), ...)`` for the days that open."""


def _minute(value: object, field: str) -> int:
    if isinstance(value, time):
        if value.second or value.microsecond or value.tzinfo is not None:
            raise InvalidDefinitionError(field, "a naive wall time in whole minutes", value)
        return value.hour * 60 + value.minute
    if isinstance(value, str):
        match = _HHMM.match(value.strip())
        if match:
            minute = int(match[1]) * 60 + int(match[2])
            if minute <= _MINUTES_PER_DAY:
                return minute
    raise InvalidDefinitionError(field, "a wall time 'HH:MM' between 00:00 and 24:00", value)


def _minutes(pair: object, field: str) -> tuple[int, int]:
    if isinstance(pair, str) or not isinstance(pair, Sequence) or len(pair) != 2:
        raise InvalidDefinitionError(field, "a pair (start, end) such as ('09:00', '12:00')", pair)
    start = _minute(pair[0], f"{field}[0]")
    end = _minute(pair[1], f"{field}[1]")
    if start == _MINUTES_PER_DAY:
        raise InvalidDefinitionError(f"{field}[0]", "a start before 24:00", pair[0])
    if end == start or (start == 0 and end == 0):
        raise InvalidDefinitionError(field, "an interval of positive length", pair)
    if end < start:
        end += _MINUTES_PER_DAY  # crosses midnight into the next day
    return start, end


def _check_no_overlap(spans: list[tuple[int, int]], field: str, period: int | None) -> None:
    """Refuse overlapping spans; with ``period`` the spans wrap around (a week)."""
    ordered = sorted(spans)
    weekly = period is not None
    for a, b in pairwise(ordered):
        if b[0] < a[1]:
            raise InvalidDefinitionError(
                field, "intervals that do not overlap", _show(a, b, weekly)
            )
    if period is not None and ordered and ordered[-1][1] - period > ordered[0][0]:
        clash = _show(ordered[-1], ordered[0], weekly)
        raise InvalidDefinitionError(field, "intervals that do not overlap", clash)


def _show(a: tuple[int, int], b: tuple[int, int], weekly: bool) -> str:
    """Two clashing spans as people write them: 'sun 22:00-06:00 overlaps mon 05:00-09:00'."""

    def one(span: tuple[int, int]) -> str:
        midnight = span[0] - span[0] % _MINUTES_PER_DAY
        ((start, end),) = format_intervals([(span[0] - midnight, span[1] - midnight)])
        prefix = f"{WEEKDAYS[span[0] // _MINUTES_PER_DAY % 7]} " if weekly else ""
        return f"{prefix}{start}-{end}"

    return f"{one(a)} overlaps {one(b)}"


def normalize_intervals(value: object, field: str) -> tuple[tuple[int, int], ...]:
    """Parse one day's intervals into sorted minute pairs; refuse overlaps."""
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise InvalidDefinitionError(field, "a list of (start, end) pairs", value)
    spans = [_minutes(pair, f"{field}[{i}]") for i, pair in enumerate(value)]
    _check_no_overlap(spans, field, None)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and merged[-1][1] == start:  # back-to-back: one interval
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    if merged and merged[-1][1] - merged[0][0] > _MINUTES_PER_DAY:
        raise InvalidDefinitionError(field, "intervals spanning at most 24 hours", value)
    return tuple(merged)


def _days_of_key(key: object, field: str) -> list[int]:
    if not isinstance(key, str):
        raise InvalidDefinitionError(field, "a weekday name 'mon'..'sun' or a range 'mon-fri'", key)
    name = key.strip().lower()
    if name in WEEKDAYS:
        return [WEEKDAYS.index(name)]
    first, dash, last = name.partition("-")
    if dash and first in WEEKDAYS and last in WEEKDAYS:
        a, b = WEEKDAYS.index(first), WEEKDAYS.index(last)
        return [(a + i) % 7 for i in range((b - a) % 7 + 1)]
    raise InvalidDefinitionError(field, "a weekday name 'mon'..'sun' or a range 'mon-fri'", key)


def normalize_weekly(value: object) -> tuple[tuple[tuple[int, int], ...], ...]:
    """Parse weekly hours into seven tuples of minute pairs (Monday first)."""
    if isinstance(value, Mapping):
        items = list(value.items())
    elif isinstance(value, Iterable) and not isinstance(value, str):
        items = list(value)
        if not all(isinstance(item, tuple | list) and len(item) == 2 for item in items):
            raise InvalidDefinitionError("hours", "a mapping of weekday -> intervals", value)
    else:
        raise InvalidDefinitionError("hours", "a mapping of weekday -> intervals", value)
    week: list[tuple[tuple[int, int], ...] | None] = [None] * 7
    for key, intervals in items:
        field = f"hours.{key}"
        spans = normalize_intervals(intervals, field)
        for day in _days_of_key(key, field):
            if week[day] is not None:
                raise InvalidDefinitionError(field, f"{WEEKDAYS[day]} given only once", key)
            week[day] = spans
    result = tuple(spans or () for spans in week)
    weekly = [
        (day * _MINUTES_PER_DAY + s, day * _MINUTES_PER_DAY + e) for day, s, e in _flat(result)
    ]
    _check_no_overlap(weekly, "hours", _MINUTES_PER_WEEK)
    return result


def _flat(week: Sequence[Sequence[tuple[int, int]]]) -> list[tuple[int, int, int]]:
    return [(day, s, e) for day, spans in enumerate(week) for s, e in spans]


def _hhmm(minute: int) -> str:
    minute %= _MINUTES_PER_DAY
    return f"{minute // 60:02d}:{minute % 60:02d}"


def format_intervals(spans: Iterable[tuple[int, int]]) -> Intervals:
    """Write minute pairs back as ``("HH:MM", "HH:MM")`` strings."""
    out = []
    for start, end in spans:
        end_text = "24:00" if end == _MINUTES_PER_DAY else _hhmm(end)
        out.append((_hhmm(start), end_text))
    return tuple(out)


def weekly_minutes(week: Sequence[Sequence[tuple[int, int]]]) -> WeeklyHours:
    """Write a parsed week back in its canonical, serializable form."""
    return tuple(
        (WEEKDAYS[day], format_intervals(spans)) for day, spans in enumerate(week) if spans
    )
