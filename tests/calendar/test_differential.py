"""Differential tests: govkit's working days against numpy's busday functions and `holidays`."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays as holidays_pkg
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govkit.calendar import BusinessCalendar
from govkit.errors import HorizonError, InvalidDefinitionError

WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
FIRST = date(2025, 1, 1)
LAST = date(2026, 12, 31)
CHINA_YEARS = range(2020, 2027)
CHINA_HOURS = {"mon-fri": [("09:00", "12:00"), ("13:00", "18:00")]}


def all_days(first: date, last: date) -> list[date]:
    """Every date from first to last inclusive."""
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def np_offset(day: date, n: int, weekmask: str, holidays: list[date]) -> date:
    """numpy's busday_offset with roll='backward', as a date."""
    result = np.busday_offset(day, n, roll="backward", weekmask=weekmask, holidays=holidays)
    return date.fromisoformat(str(result))


def np_count(start: date, end: date, weekmask: str, holidays: list[date]) -> int:
    """numpy's busday_count over [start, end), for start <= end."""
    assert start <= end  # numpy counts (end, start] when reversed, not -[end, start)
    return int(np.busday_count(start, end, weekmask=weekmask, holidays=holidays))


@st.composite
def weekmasks(draw: st.DrawFn) -> str:
    """A numpy weekmask ('1111100') with at least one working weekday."""
    bits = draw(st.lists(st.booleans(), min_size=7, max_size=7).filter(any))
    return "".join("1" if bit else "0" for bit in bits)


def calendar_for(weekmask: str, holidays: list[date]) -> BusinessCalendar:
    """A govkit calendar with the same working weekdays and holidays, over 2025–2026."""
    hours = {
        name: [("09:00", "17:00")]
        for name, bit in zip(WEEKDAY_NAMES, weekmask, strict=True)
        if bit == "1"
    }
    return BusinessCalendar(
        timezone="Europe/Berlin",
        hours=hours,
        holidays=holidays,
        valid_from=FIRST,
        valid_until=LAST,
    )


DATES = st.dates(min_value=FIRST, max_value=LAST)


@settings(max_examples=80, deadline=None)
@given(
    weekmask=weekmasks(),
    holidays=st.lists(DATES, max_size=40, unique=True),
    queries=st.lists(
        st.tuples(DATES, st.integers(min_value=-300, max_value=300).filter(bool)),
        min_size=1,
        max_size=15,
    ),
)
def test_add_working_days_matches_numpy_busday_offset(
    weekmask: str, holidays: list[date], queries: list[tuple[date, int]]
) -> None:
    """add_working_days(d, n) == np.busday_offset(d, n, roll='backward') for n != 0."""
    cal = calendar_for(weekmask, holidays)
    for day, n in queries:
        expected = np_offset(day, n, weekmask, holidays)
        if FIRST <= expected <= LAST:
            assert cal.add_working_days(day, n) == expected, (day, n)
        else:
            with pytest.raises(HorizonError):
                cal.add_working_days(day, n)


@settings(max_examples=80, deadline=None)
@given(
    weekmask=weekmasks(),
    holidays=st.lists(DATES, max_size=40, unique=True),
    pairs=st.lists(st.tuples(DATES, DATES), min_size=1, max_size=15),
)
def test_working_days_between_matches_numpy_busday_count(
    weekmask: str, holidays: list[date], pairs: list[tuple[date, date]]
) -> None:
    """working_days_between(a, b) == np.busday_count(a + 1 day, b + 1 day); b < a negates it."""
    cal = calendar_for(weekmask, holidays)
    one = timedelta(days=1)
    for a, b in pairs:
        low, high = sorted((a, b))
        forward = np_count(low + one, high + one, weekmask, holidays)
        assert cal.working_days_between(low, high) == forward
        assert cal.working_days_between(high, low) == -forward


@settings(max_examples=30, deadline=None)
@given(weekmask=weekmasks(), holidays=st.lists(DATES, max_size=40, unique=True))
def test_working_day_status_matches_numpy_is_busday(weekmask: str, holidays: list[date]) -> None:
    """is_working_day agrees with np.is_busday on every day of the horizon."""
    cal = calendar_for(weekmask, holidays)
    days = all_days(FIRST, LAST)
    expected = np.is_busday(days, weekmask=weekmask, holidays=holidays).tolist()
    assert [cal.is_working_day(d) for d in days] == expected


# -- China: the data file against the `holidays` package --------------------------------


def holidays_package_status() -> dict[date, bool]:
    """Working status of each day 2020–2026 per holidays.China and its weekend_workdays.

    ``country_holidays("CN")`` is ``holidays.China``; it is called this way because the
    package's lazy ``China`` attribute is invisible to mypy.
    """
    table = holidays_pkg.country_holidays("CN", years=list(CHINA_YEARS))
    makeup = set(table.weekend_workdays)
    return {
        d: (d.weekday() < 5 and d not in table) or d in makeup
        for d in all_days(date(2020, 1, 1), date(2026, 12, 31))
    }


def test_china_matches_holidays_package_every_day() -> None:
    """R-SLA-3: china() has the same working/non-working status as `holidays` on 2020–2026."""
    expected = holidays_package_status()
    cal = BusinessCalendar.china()
    got = {d: cal.is_working_day(d) for d in expected}
    mismatches = {d: (got[d], want) for d, want in expected.items() if got[d] != want}
    assert mismatches == {}
    assert sum(got.values()) == sum(expected.values())


def test_china_makeup_days_match_holidays_package() -> None:
    """R-SLA-3: every weekend make-up day known to `holidays` for 2020–2026 is open in china()."""
    table = holidays_pkg.country_holidays("CN", years=list(CHINA_YEARS))
    makeup = sorted(d for d in table.weekend_workdays if d.year in CHINA_YEARS)
    assert len(makeup) >= 40
    cal = BusinessCalendar.china()
    assert all(d.weekday() >= 5 and cal.is_working_day(d) for d in makeup)
    assert set(cal.workdays) == set(makeup)


def test_from_holidays_cn_equals_china_status() -> None:
    """from_holidays('CN') has the same status, closes and hours as china() on every day."""
    built = BusinessCalendar.from_holidays(
        "CN", years=CHINA_YEARS, timezone="Asia/Shanghai", hours=CHINA_HOURS
    )
    china = BusinessCalendar.china()
    assert (built.valid_from, built.valid_until) == (china.valid_from, china.valid_until)
    days = all_days(date(2020, 1, 1), date(2026, 12, 31))
    assert [built.is_working_day(d) for d in days] == [china.is_working_day(d) for d in days]
    assert [built.close_of_business(d) for d in days] == [china.close_of_business(d) for d in days]
    zone = ZoneInfo("Asia/Shanghai")
    start = datetime.combine(date(2020, 1, 1), time(), zone)
    end = datetime.combine(date(2027, 1, 1), time(), zone)
    assert built.between(start, end) == china.between(start, end)


def test_from_holidays_unknown_country_refused() -> None:
    """An unknown country code raises InvalidDefinitionError on field 'country'."""
    with pytest.raises(InvalidDefinitionError) as info:
        BusinessCalendar.from_holidays("XX", years=[2026], timezone="UTC", hours=CHINA_HOURS)
    assert info.value.field == "country"


def test_from_holidays_without_years_refused() -> None:
    """An empty year list raises InvalidDefinitionError on field 'years'."""
    with pytest.raises(InvalidDefinitionError) as info:
        BusinessCalendar.from_holidays("CN", years=[], timezone="UTC", hours=CHINA_HOURS)
    assert info.value.field == "years"


def test_from_holidays_germany_subdivision() -> None:
    """from_holidays('DE', subdiv='BY') closes Bavarian holidays and keeps the given years."""
    cal = BusinessCalendar.from_holidays(
        "DE",
        years=[2026],
        timezone="Europe/Berlin",
        hours={"mon-fri": [("09:00", "17:00")]},
        subdiv="BY",
    )
    assert (cal.valid_from, cal.valid_until) == (date(2026, 1, 1), date(2026, 12, 31))
    assert not cal.is_working_day(date(2026, 1, 6))  # Epiphany, a Tuesday, Bavaria only
    assert not cal.is_working_day(date(2026, 5, 1))  # Labour Day, a Friday
    assert cal.is_working_day(date(2026, 1, 7))
    with pytest.raises(HorizonError):
        cal.is_working_day(date(2027, 1, 4))
