"""Calendar periods: months and years with the 29-February rule, on and off the calendar."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from govkit.calendar import BusinessCalendar, Period
from govkit.errors import HorizonError, InvalidDefinitionError

SH = ZoneInfo("Asia/Shanghai")
CHINA = BusinessCalendar.china()


@pytest.mark.parametrize(
    ("start", "period", "expected"),
    [
        (date(2024, 2, 29), Period(years=5), date(2029, 2, 28)),
        (date(2024, 2, 29), Period(years=4), date(2028, 2, 29)),
        (date(2026, 1, 31), Period(months=1), date(2026, 2, 28)),
        (date(2026, 3, 31), Period(months=3), date(2026, 6, 30)),
        (date(2026, 11, 23), Period(days=5), date(2026, 11, 28)),
        (date(2026, 1, 31), Period(months=1, days=1), date(2026, 3, 1)),
    ],
)
def test_corresponding_date(start: date, period: Period, expected: date) -> None:
    """R-RET-1, R-SLA-13: a month or year period ends on the corresponding day, else month end."""
    assert period.corresponding_date(start) == expected


def test_period_on_calendar_ends_at_close_of_business() -> None:
    """R-SLA-13: a retake within 3 months ends at close of business of the corresponding day."""
    failed = datetime(2026, 3, 18, 15, tzinfo=SH)  # Wednesday
    assert CHINA.add(failed, Period(months=3)) == datetime(2026, 6, 18, 18, tzinfo=SH)


def test_period_ending_on_a_closed_day_moves_to_next_working_day() -> None:
    """R-SLA-4: five calendar days ending on a Saturday end on Monday's close (art. 203)."""
    applied = datetime(2026, 11, 23, 10, tzinfo=SH)
    assert CHINA.add(applied, Period(days=5)) == datetime(2026, 11, 30, 18, tzinfo=SH)
    # Ending inside the National Day holiday 2026 (Oct 1-7): the next working day is Oct 8.
    assert CHINA.add(datetime(2026, 9, 2, 9, tzinfo=SH), Period(months=1)) == datetime(
        2026, 10, 8, 18, tzinfo=SH
    )


def test_period_without_calendar_ends_at_midnight() -> None:
    """Without business hours a period ends at 24:00 of its last day, in the start's zone."""
    start = datetime(2024, 2, 29, 10, tzinfo=SH)
    assert Period(years=1).end_of(start) == datetime(2025, 3, 1, 0, 0, tzinfo=SH)


def test_period_beyond_horizon_raises() -> None:
    """A period that ends after the calendar's horizon raises, it never guesses."""
    with pytest.raises(HorizonError):
        CHINA.add(datetime(2026, 11, 23, 10, tzinfo=SH), Period(months=2))


def test_period_refuses_empty_and_negative() -> None:
    """A period must be longer than zero and made of whole non-negative counts."""
    with pytest.raises(InvalidDefinitionError):
        Period()
    with pytest.raises(InvalidDefinitionError) as caught:
        Period(months=-1)
    assert caught.value.field == "Period.months"


def test_add_open_time_inverts_between() -> None:
    """add_open_time is the inverse of between, for amounts held as timedelta."""
    start = datetime(2026, 2, 13, 17, tzinfo=SH)
    # Friday 1 h, make-up Saturday 8 h, then the Spring Festival holiday to Feb 23.
    end = CHINA.add_open_time(start, timedelta(hours=10))
    assert end == datetime(2026, 2, 24, 10, tzinfo=SH)
    assert CHINA.between(start, end) == timedelta(hours=10)
    assert CHINA.add_open_time(start, timedelta(hours=9)) == datetime(2026, 2, 14, 18, tzinfo=SH)
    with pytest.raises(InvalidDefinitionError):
        CHINA.add_open_time(start, timedelta(hours=-1))
