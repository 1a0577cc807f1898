"""Property-based tests (Hypothesis) of calendar arithmetic, including DST zones."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govkit.calendar import BusinessCalendar, BusinessDays, BusinessHours

US_PER_HOUR = 3_600_000_000
ONE_US = timedelta(microseconds=1)
MAX_HOURS = 200
FAST = settings(max_examples=60, deadline=None)


@dataclass(frozen=True)
class Case:
    """A calendar under test and the safe window to draw instants and dates from."""

    name: str
    cal: BusinessCalendar
    closed: tuple[date, ...]

    @property
    def first(self) -> date:
        return self.cal.valid_from + timedelta(days=200)

    @property
    def last(self) -> date:
        return self.cal.valid_until - timedelta(days=200)


def _case(name: str, cal: BusinessCalendar) -> Case:
    first = cal.valid_from + timedelta(days=200)
    last = cal.valid_until - timedelta(days=200)
    days = (first + timedelta(days=i) for i in range((last - first).days + 1))
    return Case(name, cal, tuple(d for d in days if not cal.is_working_day(d)))


CASES = [
    _case("china", BusinessCalendar.china()),
    _case(
        "berlin-shifts",
        BusinessCalendar(
            timezone="Europe/Berlin",
            hours={
                "mon-fri": [("08:00", "12:00"), ("22:00", "02:30")],
                "sat": [("22:00", "06:00")],
            },
            holidays=[date(2025, 12, 25), date(2025, 12, 26), date(2026, 5, 1), date(2026, 12, 24)],
            # Make-up Sundays, two of them on DST-change days.
            workdays=[date(2025, 10, 26), date(2026, 3, 29), date(2026, 6, 7)],
            workday_hours={date(2026, 6, 7): [("10:00", "11:00")]},
            valid_from=date(2025, 1, 1),
            valid_until=date(2027, 12, 31),
        ),
    ),
    _case(
        "new-york-saturday-night",
        BusinessCalendar(
            timezone="America/New_York",
            hours={"mon-fri": [("09:00", "17:00")], "sat": [("23:00", "03:00")]},
            holidays=[date(2025, 7, 4), date(2025, 11, 27), date(2026, 11, 26)],
            valid_from=date(2025, 1, 1),
            valid_until=date(2027, 12, 31),
        ),
    ),
    _case(
        "lord-howe-24-7",
        BusinessCalendar(
            timezone="Australia/Lord_Howe",  # half-hour DST
            hours={"mon-sun": [("00:00", "24:00")]},
            valid_from=date(2025, 1, 1),
            valid_until=date(2026, 12, 31),
        ),
    ),
]
IDS = [case.name for case in CASES]


def instants(case: Case) -> st.SearchStrategy[datetime]:
    """Aware UTC instants well inside the case's horizon."""
    return st.datetimes(
        min_value=datetime.combine(case.first, time()),
        max_value=datetime.combine(case.last, time()),
        timezones=st.just(UTC),
    )


def days(case: Case) -> st.SearchStrategy[date]:
    """Dates well inside the horizon, with extra weight on closed days."""
    any_day = st.dates(min_value=case.first, max_value=case.last)
    if not case.closed:
        return any_day
    return st.one_of(any_day, st.sampled_from(case.closed))


def hours_us(max_hours: int = MAX_HOURS) -> st.SearchStrategy[int]:
    """Business hours as whole microseconds, 0..max_hours."""
    return st.integers(min_value=0, max_value=max_hours * US_PER_HOUR)


def bh(us: int) -> BusinessHours:
    """BusinessHours of exactly ``us`` microseconds."""
    amount = BusinessHours(Fraction(us, US_PER_HOUR))
    assert amount.microseconds == us
    return amount


def utc(moment: datetime) -> datetime:
    """The instant in UTC, so comparisons ignore wall time and fold."""
    return moment.astimezone(UTC)


def zone_key(moment: datetime) -> str:
    """The IANA key of an aware datetime's zone."""
    assert isinstance(moment.tzinfo, ZoneInfo)
    return moment.tzinfo.key


@pytest.mark.parametrize("case", CASES, ids=IDS)
@FAST
@given(data=st.data())
def test_add_between_inverse(case: Case, data: st.DataObject) -> None:
    """between(s, add(s, BusinessHours(h))) == h exactly; add gives the earliest such instant."""
    start = data.draw(instants(case))
    us = data.draw(hours_us())
    end = case.cal.add(start, bh(us))
    assert zone_key(end) == case.cal.timezone
    assert case.cal.between(start, end) == timedelta(microseconds=us)
    if us > 0:
        before = utc(end) - ONE_US
        assert case.cal.between(start, before) == timedelta(microseconds=us - 1)
        assert case.cal.is_open(before)
    else:
        assert utc(end) == start


@pytest.mark.parametrize("case", CASES, ids=IDS)
@FAST
@given(data=st.data())
def test_add_monotonic_in_start(case: Case, data: st.DataObject) -> None:
    """A later start never gives an earlier add() result."""
    a, b = sorted([data.draw(instants(case)), data.draw(instants(case))])
    amount = bh(data.draw(hours_us()))
    assert utc(case.cal.add(a, amount)) <= utc(case.cal.add(b, amount))


@pytest.mark.parametrize("case", CASES, ids=IDS)
@FAST
@given(data=st.data())
def test_add_monotonic_in_amount(case: Case, data: st.DataObject) -> None:
    """More business hours never give an earlier add() result."""
    start = data.draw(instants(case))
    small, large = sorted([data.draw(hours_us()), data.draw(hours_us())])
    assert utc(case.cal.add(start, bh(small))) <= utc(case.cal.add(start, bh(large)))


@pytest.mark.parametrize("case", CASES, ids=IDS)
@FAST
@given(data=st.data())
def test_add_span_independence(case: Case, data: st.DataObject) -> None:
    """add(s, h1 + h2) == add(add(s, h1), h2): splitting an amount changes nothing."""
    start = data.draw(instants(case))
    h1 = data.draw(hours_us())
    h2 = data.draw(hours_us())
    whole = case.cal.add(start, bh(h1 + h2))
    split = case.cal.add(case.cal.add(start, bh(h1)), bh(h2))
    assert utc(whole) == utc(split)


@pytest.mark.parametrize("case", CASES, ids=IDS)
@FAST
@given(data=st.data())
def test_between_additive(case: Case, data: st.DataObject) -> None:
    """between(a, b) + between(b, c) == between(a, c) for instants in any order."""
    a, b, c = (data.draw(instants(case)) for _ in range(3))
    cal = case.cal
    assert cal.between(a, b) + cal.between(b, c) == cal.between(a, c)
    assert cal.between(a, b) == -cal.between(b, a)
    assert cal.between(a, a) == timedelta(0)


@pytest.mark.parametrize("case", CASES, ids=IDS)
@FAST
@given(data=st.data())
def test_between_never_exceeds_wall_time(case: Case, data: st.DataObject) -> None:
    """Business time between two instants is at most the elapsed time, with the same sign."""
    a = data.draw(instants(case))
    b = data.draw(instants(case))
    counted = case.cal.between(a, b)
    assert abs(counted) <= abs(b - a)
    assert (counted >= timedelta(0)) == (b >= a) or counted == timedelta(0)


@pytest.mark.parametrize("case", CASES, ids=IDS)
@FAST
@given(data=st.data())
def test_next_open_and_is_open_agree(case: Case, data: st.DataObject) -> None:
    """next_open(s) is s when open, else a later opening with no business time before it."""
    start = data.draw(instants(case))
    found = case.cal.next_open(start)
    assert zone_key(found) == case.cal.timezone
    assert utc(found) >= start
    assert case.cal.is_open(found)
    assert case.cal.between(start, found) == timedelta(0)
    assert case.cal.is_open(start) == (utc(found) == start)


@pytest.mark.parametrize("case", CASES, ids=IDS)
@FAST
@given(data=st.data())
def test_same_instant_any_zone(case: Case, data: st.DataObject) -> None:
    """An instant written in the calendar's zone or in UTC gives the same answers."""
    start = data.draw(instants(case))
    local = start.astimezone(ZoneInfo(case.cal.timezone))
    amount = bh(data.draw(hours_us()))
    assert utc(case.cal.add(local, amount)) == utc(case.cal.add(start, amount))
    assert case.cal.is_open(local) == case.cal.is_open(start)
    assert case.cal.add(local, BusinessDays(3)) == case.cal.add(start, BusinessDays(3))


@pytest.mark.parametrize("case", CASES, ids=IDS)
@FAST
@given(data=st.data())
def test_working_days_inverse(case: Case, data: st.DataObject) -> None:
    """working_days_between(a, add_working_days(a, n)) == n for every n, from any day."""
    day = data.draw(days(case))
    n = data.draw(st.integers(min_value=-100, max_value=100))
    result = case.cal.add_working_days(day, n)
    assert case.cal.working_days_between(day, result) == n
    if n == 0:
        assert result == day
    else:
        assert case.cal.is_working_day(result)
        assert (result > day) == (n > 0)


@pytest.mark.parametrize("case", CASES, ids=IDS)
@FAST
@given(data=st.data())
def test_working_days_between_additive(case: Case, data: st.DataObject) -> None:
    """working_days_between is additive and antisymmetric, and counts days d with a < d <= b."""
    a, b, c = (data.draw(days(case)) for _ in range(3))
    cal = case.cal
    assert cal.working_days_between(a, b) + cal.working_days_between(b, c) == (
        cal.working_days_between(a, c)
    )
    assert cal.working_days_between(a, b) == -cal.working_days_between(b, a)
    step = cal.working_days_between(a, a + timedelta(days=1))
    assert step == (1 if cal.is_working_day(a + timedelta(days=1)) else 0)


@pytest.mark.parametrize("case", CASES, ids=IDS)
@FAST
@given(data=st.data())
def test_business_days_are_close_of_nth_working_day(case: Case, data: st.DataObject) -> None:
    """R-SLA-3: add(s, BusinessDays(n)) is the close of add_working_days(local date of s, n)."""
    start = data.draw(instants(case))
    n = data.draw(st.integers(min_value=1, max_value=60))
    local_day = start.astimezone(ZoneInfo(case.cal.timezone)).date()
    due = case.cal.add(start, BusinessDays(n))
    expected = case.cal.close_of_business(case.cal.add_working_days(local_day, n))
    assert expected is not None
    assert utc(due) == utc(expected)
    assert zone_key(due) == case.cal.timezone
    zero = case.cal.add(start, BusinessDays(0))
    assert utc(zero) > start
    assert utc(zero) <= utc(case.cal.add(start, BusinessDays(1)))


# -- make-up days, on calendars drawn at random ---------------------------------------

DAYS_2026 = [date(2026, 1, 1) + timedelta(days=i) for i in range(365)]
WEEKEND_2026 = [d for d in DAYS_2026 if d.weekday() >= 5]
WORKWEEK_2026 = [d for d in DAYS_2026 if d.weekday() < 5]


@settings(max_examples=40, deadline=None)
@given(
    makeup=st.sets(st.sampled_from(WEEKEND_2026), max_size=12),
    holidays=st.sets(st.sampled_from(WORKWEEK_2026), max_size=20),
    tz=st.sampled_from(["Asia/Shanghai", "Europe/Berlin", "America/New_York"]),
)
def test_makeup_days_counted(makeup: set[date], holidays: set[date], tz: str) -> None:
    """R-SLA-3: make-up days are working days with a normal day's 8 hours; holidays count 0."""
    cal = BusinessCalendar(
        timezone=tz,
        hours={"mon-fri": [("09:00", "12:00"), ("13:00", "18:00")]},
        holidays=holidays,
        workdays=makeup,
        valid_from=date(2026, 1, 1),
        valid_until=date(2026, 12, 31),
    )
    zone = ZoneInfo(tz)
    working = [(d.weekday() < 5 and d not in holidays) or d in makeup for d in DAYS_2026]
    assert [cal.is_working_day(d) for d in DAYS_2026] == working
    assert cal.working_days_between(date(2026, 1, 1), date(2026, 12, 31)) == sum(working[1:])
    year_start = datetime(2026, 1, 1, tzinfo=zone)
    year_end = datetime(2027, 1, 1, tzinfo=zone)
    assert cal.between(year_start, year_end) == timedelta(hours=8 * sum(working))
    for day in sorted(makeup | holidays):
        midnight = datetime.combine(day, time(), zone)
        expected = timedelta(hours=8 if day in makeup else 0)
        assert cal.between(midnight, midnight + timedelta(days=1)) == expected
