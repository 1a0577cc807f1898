"""between() and the open-time position it is built on, for instants in any zone and fold."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govkit.calendar import BusinessCalendar
from govkit.errors import HorizonError, NaiveDatetimeError

NY = ZoneInfo("America/New_York")
SH = ZoneInfo("Asia/Shanghai")
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# Open around the clock, so every hour of a daylight-saving night counts.
ALWAYS_NY = BusinessCalendar(
    timezone="America/New_York",
    hours={"mon-sun": [("00:00", "24:00")]},
    valid_from=date(2025, 1, 1),
    valid_until=date(2025, 12, 31),
)
OFFICE_NY = BusinessCalendar(
    timezone="America/New_York",
    hours={"mon-fri": [("01:00", "03:00"), ("09:00", "17:00")]},
    holidays=["2025-11-27"],
    valid_from=date(2025, 1, 1),
    valid_until=date(2025, 12, 31),
)
CALENDARS = [ALWAYS_NY, OFFICE_NY, BusinessCalendar.china()]
# The fall-back night of 2025 in New York (01:00-02:00 happens twice) and the days around it.
NIGHT = datetime(2025, 11, 2, 5, tzinfo=UTC)


def views(moment: datetime, zone: ZoneInfo) -> list[datetime]:
    """One instant as the calendar's zone, UTC and another zone write it."""
    return [moment.astimezone(zone), moment.astimezone(UTC), moment.astimezone(SH)]


def instants(calendar: BusinessCalendar) -> st.SearchStrategy[datetime]:
    """Instants inside the calendar's horizon, many of them on the fall-back night."""
    first = datetime.combine(calendar.valid_from, datetime.min.time(), UTC) + timedelta(days=1)
    last = datetime.combine(calendar.valid_until, datetime.min.time(), UTC)
    anywhere = st.integers(0, (last - first) // timedelta(microseconds=1)).map(
        lambda us: first + timedelta(microseconds=us)
    )
    night = st.integers(-(3 * 3600 * 10**6), 3 * 3600 * 10**6).map(
        lambda us: NIGHT + timedelta(microseconds=us)
    )
    return st.one_of(anywhere, night) if calendar.valid_until.year == 2025 else anywhere


@pytest.mark.parametrize("calendar", CALENDARS, ids=["ny-24h", "ny-office", "china"])
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_between_is_the_same_in_every_zone_and_fold(
    calendar: BusinessCalendar, data: st.DataObject
) -> None:
    """The open time between two instants does not depend on how they are written."""
    start = data.draw(instants(calendar))
    end = data.draw(instants(calendar))
    zone = ZoneInfo(calendar.timezone)
    answers = {calendar.between(a, b) for a in views(start, zone) for b in views(end, zone)}
    assert len(answers) == 1
    position = calendar._open_us
    for a, b in zip(views(start, zone), views(end, zone), strict=True):
        assert answers == {timedelta(microseconds=position(b, "end") - position(a, "start"))}


def test_the_repeated_hour_of_a_fall_back_night_counts_twice() -> None:
    """01:30 before and after the clocks go back are an hour of open time apart."""
    first = datetime(2025, 11, 2, 1, 30, tzinfo=NY)
    second = first.replace(fold=1)
    assert ALWAYS_NY.between(first, second) == timedelta(hours=1)
    assert ALWAYS_NY.between(second, first) == -timedelta(hours=1)
    assert OFFICE_NY.between(first, second) == timedelta(0)  # a Sunday
    assert ALWAYS_NY.between(datetime(2025, 11, 2, tzinfo=NY), second) == timedelta(hours=2.5)


def test_bad_instants_are_named_as_before() -> None:
    """A naive or out-of-horizon instant raises the same typed error, naming the argument."""
    inside = datetime(2025, 6, 2, 10, tzinfo=NY)
    with pytest.raises(NaiveDatetimeError) as naive:
        OFFICE_NY.between(inside, datetime(2025, 6, 3, 10))
    assert naive.value.field == "end"
    with pytest.raises(NaiveDatetimeError) as naive:
        OFFICE_NY._open_us(datetime(2025, 6, 3, 10), "at")
    assert naive.value.field == "at"
    with pytest.raises(HorizonError):
        OFFICE_NY.between(datetime(2026, 1, 2, 10, tzinfo=NY), inside)
    with pytest.raises(HorizonError):
        OFFICE_NY._open_us(datetime(2024, 12, 30, 10, tzinfo=UTC), "at")
