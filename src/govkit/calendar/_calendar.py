"""BusinessCalendar: working hours, holidays and make-up days in one time zone."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import attrs

from govkit._time import require_aware, zone
from govkit.calendar._durations import BusinessDays, BusinessHours, Duration
from govkit.calendar._hours import (
    Intervals,
    WeeklyHours,
    format_intervals,
    normalize_intervals,
    normalize_weekly,
    weekly_minutes,
)
from govkit.calendar._index import CalendarIndex, Spans, build_index
from govkit.calendar._period import Period
from govkit.errors import HorizonError, InvalidDefinitionError

__all__ = ["CALENDAR_FIELD_CHECKS", "BusinessCalendar"]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_ONE_US = timedelta(microseconds=1)
_FLOAT_EXACT_US = 2**33 * 1_000_000
_DEFAULT_FROM = date(1970, 1, 1)
_DEFAULT_UNTIL = date(2100, 12, 31)


def _epoch_us(moment: datetime, tz: ZoneInfo, local_epoch: datetime) -> int:
    """Microseconds from 1970-01-01 UTC to ``moment``; TypeError when it is not aware.

    ``local_epoch`` is 1970-01-01 00:00 in ``tz``.
    """
    if type(moment) is datetime and moment.tzinfo is tz:
        # Python defines the UTC instant as wall time minus the offset. In the
        # calendar's own zone object that is one offset lookup instead of two
        # (a same-zone difference is a plain wall-time difference).
        offset = tz.utcoffset(moment)
        if offset is not None:
            return (moment - local_epoch - offset) // _ONE_US
    return (moment - _EPOCH) // _ONE_US


def _date(value: object, field: str) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        raise InvalidDefinitionError(field, "a date (YYYY-MM-DD)", value)
    return value


def _dates(value: object, field: str) -> tuple[date, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InvalidDefinitionError(field, "a collection of dates", value)
    return tuple(sorted({_date(item, f"{field}[{i}]") for i, item in enumerate(value)}))


def _holidays(value: object) -> tuple[date, ...]:
    return _dates(value, "holidays")


def _workdays(value: object) -> tuple[date, ...]:
    return _dates(value, "workdays")


def _valid_from(value: object) -> date:
    return _date(value, "valid_from")


def _valid_until(value: object) -> date:
    return _date(value, "valid_until")


def _weekly(value: object) -> WeeklyHours:
    return weekly_minutes(normalize_weekly(value))


def _day_hours(value: object) -> tuple[tuple[date, Intervals], ...]:
    if not isinstance(value, Mapping):
        if isinstance(value, Iterable) and not isinstance(value, str):
            value = dict(value)
        else:
            raise InvalidDefinitionError("workday_hours", "a mapping of date -> intervals", value)
    out = {}
    for key, intervals in value.items():
        day = _date(key, f"workday_hours[{key!r}]")
        spans = normalize_intervals(intervals, f"workday_hours.{day.isoformat()}")
        if not spans:
            raise InvalidDefinitionError(
                f"workday_hours.{day.isoformat()}", "at least one interval", intervals
            )
        out[day] = format_intervals(spans)
    return tuple(sorted(out.items()))


def _name(value: object) -> str:
    if not isinstance(value, str):
        raise InvalidDefinitionError("name", "a text label", value)
    return value


CALENDAR_FIELD_CHECKS: dict[str, Callable[[object], object]] = {
    "timezone": zone,
    "hours": _weekly,
    "holidays": _holidays,
    "workdays": _workdays,
    "workday_hours": _day_hours,
    "valid_from": _valid_from,
    "valid_until": _valid_until,
    "name": _name,
}
"""Per-field checks, so that loaders can report every bad field at once."""


@attrs.frozen(kw_only=True)
class BusinessCalendar:
    """When a business is open, in one IANA time zone, over a bounded horizon.

    Args:
        timezone: IANA zone name; wall times below are local to it.
        hours: Weekly working intervals keyed by weekday (``"mon"``) or range
            (``"mon-fri"``), e.g. ``{"mon-fri": [("09:00", "12:00"), ("13:00", "18:00")]}``.
            An interval may cross midnight (``("22:00", "06:00")``).
        holidays: Dates that are closed although the week says open.
        workdays: Make-up working days (调休): dates that are open although the
            week says closed. They keep the hours of a normal working day.
        workday_hours: Hours of particular dates, overriding everything but holidays.
        valid_from: First date the calendar knows. Default: 1970-01-01, or
            1 January of the earliest year named in ``holidays``/``workdays``.
        valid_until: Last date the calendar knows. Default: 2100-12-31, or
            31 December of the latest year named in ``holidays``/``workdays``.
        name: A label used in explanations.

    Every computation that needs a date outside ``[valid_from, valid_until]``
    raises :class:`~govkit.errors.HorizonError`: a calendar never guesses.
    """

    timezone: str = attrs.field()
    hours: WeeklyHours = attrs.field(converter=_weekly)
    holidays: tuple[date, ...] = attrs.field(default=(), converter=_holidays)
    workdays: tuple[date, ...] = attrs.field(default=(), converter=_workdays)
    workday_hours: tuple[tuple[date, Intervals], ...] = attrs.field(
        default=(), converter=_day_hours
    )
    valid_from: date = attrs.field(converter=_valid_from)
    valid_until: date = attrs.field(converter=_valid_until)
    name: str = attrs.field(default="", validator=attrs.validators.instance_of(str))
    _tz: ZoneInfo = attrs.field(init=False, eq=False, repr=False, hash=False)
    _local_epoch: datetime = attrs.field(init=False, eq=False, repr=False, hash=False)
    _week: tuple[Spans, ...] = attrs.field(init=False, eq=False, repr=False, hash=False)
    _special: dict[date, Spans] = attrs.field(init=False, eq=False, repr=False, hash=False)
    _index: CalendarIndex | None = attrs.field(
        init=False, default=None, eq=False, repr=False, hash=False
    )

    @valid_from.default
    def _default_from(self) -> date:
        named = self._named_dates()
        return date(min(named).year, 1, 1) if named else _DEFAULT_FROM

    @valid_until.default
    def _default_until(self) -> date:
        named = self._named_dates()
        return date(max(named).year, 12, 31) if named else _DEFAULT_UNTIL

    def _named_dates(self) -> list[date]:
        return [*self.holidays, *self.workdays, *(d for d, _ in self.workday_hours)]

    def __attrs_post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "_tz", zone(self.timezone))
        set_(self, "_local_epoch", datetime(1970, 1, 1, tzinfo=self._tz))
        week = normalize_weekly(self.hours)
        set_(self, "_week", week)
        if self.valid_until < self.valid_from:
            raise InvalidDefinitionError(
                "valid_until", f"a date on or after valid_from {self.valid_from}", self.valid_until
            )
        closed = set(self.holidays)
        for day in self.workdays:
            if day in closed:
                raise InvalidDefinitionError(
                    f"workdays[{day.isoformat()}]", "a date that is not also a holiday", day
                )
        special: dict[date, Spans] = {}
        normal = self._normal_day(week)
        for day in self.workdays:
            special[day] = normal
        for day, intervals in self.workday_hours:
            if day in closed:
                raise InvalidDefinitionError(
                    f"workday_hours.{day.isoformat()}", "a date that is not also a holiday", day
                )
            special[day] = normalize_intervals(intervals, f"workday_hours.{day.isoformat()}")
        for day in self.holidays:
            special[day] = ()
        set_(self, "_special", special)
        self._check_overnight_neighbours()

    @staticmethod
    def _normal_day(week: tuple[Spans, ...]) -> Spans:
        """The hours a make-up day keeps: the most common non-empty weekday pattern."""
        patterns = [spans for spans in week if spans]
        if not patterns:
            raise InvalidDefinitionError("hours", "at least one working interval in the week", ())
        return max(patterns, key=patterns.count)  # ties: the earliest weekday

    def _spans(self, day: date) -> Spans:
        special = self._special.get(day)
        return self._week[day.weekday()] if special is None else special

    def _check_overnight_neighbours(self) -> None:
        """Refuse special days whose hours collide with a neighbour's overnight shift."""
        for day in self._special:
            for first in (day - timedelta(days=1), day):
                before, after = self._spans(first), self._spans(first + timedelta(days=1))
                if before and after and before[-1][1] - 1440 > after[0][0]:
                    raise InvalidDefinitionError(
                        f"hours of {(first + timedelta(days=1)).isoformat()}",
                        "hours that start after the previous day's overnight hours end",
                        format_intervals(after),
                    )

    # -- the derived index -------------------------------------------------

    def _idx(self) -> CalendarIndex:
        index = self._index
        if index is None:
            spans = [s for s in self._week if s] + [s for s in self._special.values() if s]
            spill = max((max(0, s[-1][1] - 1440) for s in spans), default=0)
            index = build_index(self._tz, self.valid_from, self.valid_until, self._spans, spill)
            object.__setattr__(self, "_index", index)
        return index

    def _before_horizon(self) -> date:
        return self.valid_from - timedelta(days=1)

    def _horizon_error(self, needed: date) -> HorizonError:
        return HorizonError(needed, self.valid_from, self.valid_until)

    def _instant(self, value: object, field: str) -> int:
        try:
            # Subtracting from an aware epoch fails for naive datetimes and
            # non-datetimes alike; the check below then names the problem.
            moment: datetime = value  # type: ignore[assignment]  # checked by except
            us = _epoch_us(moment, self._tz, self._local_epoch)
        except TypeError:
            require_aware(value, field)
            raise
        index = self._idx()
        if us < index.first_instant or us > index.last_instant:
            local = moment.astimezone(self._tz).date()
            if us < index.first_instant:
                # Before the first known instant: that includes the tail of an
                # overnight shift begun the evening before valid_from.
                local = min(local, self._before_horizon())
            raise self._horizon_error(local)
        return us

    def _datetime(self, us: int) -> datetime:
        if us % 1_000_000 == 0:
            return datetime.fromtimestamp(us // 1_000_000, self._tz)
        if -_FLOAT_EXACT_US < us < _FLOAT_EXACT_US:
            # Within ±2**33 s of 1970 (1697–2242) a float of epoch seconds
            # still carries every microsecond, and this path is twice as fast.
            return datetime.fromtimestamp(us / 1_000_000, self._tz)
        # replace() keeps the fold of a repeated wall time, "+ timedelta" would not.
        whole = datetime.fromtimestamp(us // 1_000_000, self._tz)
        return whole.replace(microsecond=us % 1_000_000)

    def _day(self, value: object, field: str) -> int:
        day = _date(value, field)
        index = self._idx()
        offset = day.toordinal() - index.day0
        if offset < 0 or offset >= len(index.close):
            raise self._horizon_error(day)
        return offset

    def _nth_workday(self, index: CalendarIndex, rank: int) -> int:
        """Day number of the working day with 0-based ``rank``, or a horizon error."""
        if rank < 0:
            raise self._horizon_error(self._before_horizon())
        if rank >= len(index.workdays):
            raise self._horizon_error(self.valid_until + timedelta(days=1))
        return index.workdays[rank]

    # -- public operations -------------------------------------------------

    def add(self, start: datetime, amount: Duration) -> datetime:
        """Return the instant ``amount`` after ``start``.

        * ``timedelta``: plain elapsed time.
        * ``BusinessHours(h)``: the earliest instant ``t`` with
          ``between(start, t) >= h``. Ending exactly at a close gives the
          close; counting from a closed instant starts at the next opening.
        * ``BusinessDays(n)``: the close of business of the n-th working day
          after the start's local date (the start day is not counted).
        * ``Period``: the close of business of the corresponding date
          (:meth:`Period.corresponding_date` of the start's local date), or of
          the next working day when that date is closed (Civil Code art. 203).

        The result is an aware datetime in the calendar's zone.

        Raises:
            NaiveDatetimeError: ``start`` has no time zone.
            HorizonError: the answer needs days outside the horizon.
        """
        if isinstance(amount, BusinessHours):
            index = self._idx()
            us = self._instant(start, "start")
            if amount.microseconds == 0:
                return self._datetime(us)
            end = index.advance(us, amount.microseconds)
            if end is None:
                raise self._horizon_error(self.valid_until + timedelta(days=1))
            return self._datetime(end)
        if isinstance(amount, BusinessDays):
            index = self._idx()
            us = self._instant(start, "start")
            local_day = start.astimezone(self._tz).date()
            offset = self._day(local_day, "start")
            closing = index.close[offset]
            if amount.days == 0 and closing >= 0 and us < closing:
                return self._datetime(closing)
            rank = index.rank[offset + 1] + max(amount.days, 1) - 1
            return self._datetime(index.close[self._nth_workday(index, rank)])
        if isinstance(amount, Period):
            self._instant(start, "start")
            last = amount.corresponding_date(start.astimezone(self._tz).date())
            index = self._idx()
            offset = self._day(self.roll_forward(last), "start")
            return self._datetime(index.close[offset])
        if isinstance(amount, timedelta):
            moment = require_aware(start, "start")
            # Elapsed time is added on the UTC timeline: aware-datetime "+" in
            # Python adds wall time, which is wrong across a DST change.
            return (moment.astimezone(UTC) + amount).astimezone(self._tz)
        raise InvalidDefinitionError("amount", "a timedelta, BusinessHours or BusinessDays", amount)

    def add_open_time(self, start: datetime, amount: timedelta) -> datetime:
        """The inverse of :meth:`between`: where ``amount`` of open time after ``start`` ends.

        ``between(start, add_open_time(start, x)) == x`` for every ``x >= 0``;
        it is ``add(start, BusinessHours(...))`` for an amount already held as
        a ``timedelta`` (as :meth:`between` returns it).
        """
        if not isinstance(amount, timedelta) or amount < timedelta(0):
            raise InvalidDefinitionError("amount", "a timedelta >= 0", amount)
        us = self._instant(start, "start")
        if not amount:
            return self._datetime(us)
        end = self._idx().advance(us, amount // _ONE_US)
        if end is None:
            raise self._horizon_error(self.valid_until + timedelta(days=1))
        return self._datetime(end)

    def between(self, start: datetime, end: datetime) -> timedelta:
        """Business time in ``[start, end)``; negative when ``end < start``.

        Raises:
            NaiveDatetimeError: either instant has no time zone.
            HorizonError: either instant is outside the horizon.
        """
        index = self._index
        if index is not None:
            # The common case inline: two aware instants inside the horizon.
            try:
                a = _epoch_us(start, self._tz, self._local_epoch)
                b = _epoch_us(end, self._tz, self._local_epoch)
            except TypeError:
                pass  # the checks below name the bad argument
            else:
                first, last = index.first_instant, index.last_instant
                if first <= a <= last and first <= b <= last:
                    return _ONE_US * (index.position(b) - index.position(a))
        index = self._idx()
        a = self._instant(start, "start")
        b = self._instant(end, "end")
        return _ONE_US * (index.position(b) - index.position(a))

    def _open_us(self, moment: datetime, field: str) -> int:
        """Open microseconds from the horizon's start to ``moment`` (checked as ``field``).

        ``between(s, e)`` is the difference of two of these; a caller that
        counts from many instants to one (SLA clocks) locates that one once.
        """
        index = self._index
        if index is not None:  # the common case inline, as in between()
            try:
                us = _epoch_us(moment, self._tz, self._local_epoch)
            except TypeError:
                pass  # _instant names the problem
            else:
                if index.first_instant <= us <= index.last_instant:
                    return index.position(us)
        return self._idx().position(self._instant(moment, field))

    def is_working_day(self, day: date) -> bool:
        """Whether ``day`` has working hours (make-up days included, holidays excluded)."""
        return self._idx().close[self._day(day, "day")] >= 0

    def is_open(self, moment: datetime) -> bool:
        """Whether the business is open at ``moment`` (intervals are half-open)."""
        us = self._instant(moment, "moment")
        return self._idx().next_open(us) == us

    def next_open(self, moment: datetime) -> datetime:
        """``moment`` itself when open, else the next opening.

        Raises:
            HorizonError: no opening is known before the horizon ends.
        """
        found = self._idx().next_open(self._instant(moment, "moment"))
        if found is None:
            raise self._horizon_error(self.valid_until + timedelta(days=1))
        return self._datetime(found)

    def close_of_business(self, day: date) -> datetime | None:
        """When ``day``'s last working interval ends; ``None`` on a closed day."""
        closing = self._idx().close[self._day(day, "day")]
        return None if closing < 0 else self._datetime(closing)

    def roll_forward(self, day: date) -> date:
        """``day`` when it is a working day, else the next working day."""
        offset = self._day(day, "day")
        index = self._idx()
        if index.close[offset] >= 0:
            return _date(day, "day")
        return date.fromordinal(index.day0 + self._nth_workday(index, index.rank[offset + 1]))

    def roll_backward(self, day: date) -> date:
        """``day`` when it is a working day, else the working day before it."""
        offset = self._day(day, "day")
        index = self._idx()
        if index.close[offset] >= 0:
            return _date(day, "day")
        return date.fromordinal(index.day0 + self._nth_workday(index, index.rank[offset + 1] - 1))

    def add_working_days(self, day: date, n: int) -> date:
        """The date ``n`` working days after ``day`` (before it when ``n < 0``).

        ``n == 0`` returns ``day``. For ``n != 0`` the answer is always a
        working day and ``working_days_between(day, result) == n``; counting
        back from a closed day starts from the working day before it.
        """
        if isinstance(n, bool) or not isinstance(n, int):
            raise InvalidDefinitionError("n", "a whole number of working days", n)
        offset = self._day(day, "day")
        if n == 0:
            return _date(day, "day")
        index = self._idx()
        result = self._nth_workday(index, index.rank[offset + 1] + n - 1)
        return date.fromordinal(index.day0 + result)

    def working_days_between(self, start: date, end: date) -> int:
        """Working days ``d`` with ``start < d <= end``; negative when ``end < start``."""
        index = self._idx()
        a = self._day(start, "start")
        b = self._day(end, "end")
        return index.rank[b + 1] - index.rank[a + 1]

    # -- constructors for official calendars -------------------------------

    @classmethod
    def china(
        cls,
        *,
        hours: Mapping[str, Iterable[tuple[str, str]]] | None = None,
        holidays: Iterable[date] = (),
        workdays: Iterable[date] = (),
    ) -> BusinessCalendar:
        """The PRC legal working calendar (Asia/Shanghai), from State Council notices.

        Mon–Fri 09:00–12:00 and 13:00–18:00 unless ``hours`` says otherwise;
        official public holidays and make-up working days (调休) from the
        package's data file; the horizon is the years that file covers.
        ``holidays``/``workdays`` add company-specific days on top.
        """
        from govkit.calendar._china import china_calendar

        return china_calendar(cls, hours=hours, holidays=holidays, workdays=workdays)

    @classmethod
    def from_holidays(
        cls,
        country: str,
        *,
        years: Iterable[int],
        timezone: str,
        hours: Mapping[str, Iterable[tuple[str, str]]],
        subdiv: str | None = None,
    ) -> BusinessCalendar:
        """Build a calendar from the ``holidays`` package (``pip install govkit[holidays]``).

        Takes the country's public holidays and, where the package has them,
        its make-up working days. The horizon is the given years.

        Raises:
            InvalidDefinitionError: the extra is missing or the country is unknown.
        """
        from govkit.calendar._adapters import from_holidays_package

        return from_holidays_package(
            cls, country, years=years, timezone=timezone, hours=hours, subdiv=subdiv
        )
