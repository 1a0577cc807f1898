"""Recurring deadlines (R-SLA-5): monthly, quarterly and annual reports on the China calendar."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from govkit.calendar import BusinessCalendar
from govkit.errors import HorizonError, InvalidDefinitionError, NaiveDatetimeError
from govkit.sla import Occurrence, RecurringDeadline, Roll

SH = ZoneInfo("Asia/Shanghai")
CHINA = BusinessCalendar.china()
US = timedelta(microseconds=1)

MONTHLY = RecurringDeadline(name="monthly report", rule="FREQ=MONTHLY;BYMONTHDAY=5", calendar=CHINA)
QUARTERLY = RecurringDeadline(
    name="quarterly report",
    rule="FREQ=MONTHLY;BYMONTH=3,6,9,12;BYMONTHDAY=-1",
    calendar=CHINA,
    roll=Roll.PRECEDING,
    window=3,
)
ANNUAL = RecurringDeadline(
    name="annual report", rule="FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=31", calendar=CHINA
)


def sh(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """An instant in Shanghai."""
    return datetime(year, month, day, hour, minute, tzinfo=SH)


def close(year: int, month: int, day: int) -> datetime:
    """18:00 (close of business on the China calendar) of a date."""
    return sh(year, month, day, 18)


# -- monthly -------------------------------------------------------------------------


def test_r_sla_5_monthly_report_due_5th_rolls_past_national_day() -> None:
    """R-SLA-5: the report due 2026-10-05 (National Day holiday) is due Thu 10/8 at close."""
    occurrence = MONTHLY.next_due(sh(2026, 9, 10))
    assert occurrence == Occurrence(nominal=date(2026, 10, 5), due=close(2026, 10, 8), opens=None)
    assert occurrence.due.isoformat() == "2026-10-08T18:00:00+08:00"


@pytest.mark.parametrize(
    ("nominal", "due"),
    [
        (date(2026, 1, 5), date(2026, 1, 5)),  # Monday
        (date(2026, 4, 5), date(2026, 4, 7)),  # Qingming holiday Apr 4-6
        (date(2026, 5, 5), date(2026, 5, 6)),  # Labour Day holiday May 1-5
        (date(2026, 7, 5), date(2026, 7, 6)),  # Sunday
        (date(2026, 9, 5), date(2026, 9, 7)),  # Saturday
        (date(2026, 10, 5), date(2026, 10, 8)),  # National Day holiday Oct 1-7
    ],
)
def test_r_sla_5_monthly_report_rolls_to_next_working_day(nominal: date, due: date) -> None:
    """R-SLA-5: a 5th that is closed moves to the next working day (Civil Code art. 203)."""
    occurrence = MONTHLY.next_due(sh(nominal.year, nominal.month, 1))
    assert occurrence.nominal == nominal
    assert occurrence.due == close(due.year, due.month, due.day)


def test_r_sla_5_monthly_occurrences_in_a_range() -> None:
    """R-SLA-5: occurrences lists every report due in [start, end), in order."""
    found = MONTHLY.occurrences(sh(2026, 3, 1), sh(2026, 8, 1))
    assert [o.nominal for o in found] == [date(2026, m, 5) for m in range(3, 8)]
    assert [o.due.date() for o in found] == [
        date(2026, 3, 5),
        date(2026, 4, 7),
        date(2026, 5, 6),
        date(2026, 6, 5),
        date(2026, 7, 6),
    ]


def test_occurrences_range_is_half_open() -> None:
    """An occurrence due exactly at start is included, one due exactly at end is not."""
    found = MONTHLY.occurrences(close(2026, 4, 7), close(2026, 6, 5))
    assert [o.due for o in found] == [close(2026, 4, 7), close(2026, 5, 6)]
    assert MONTHLY.occurrences(close(2026, 4, 7) + US, close(2026, 5, 6)) == []


def test_occurrences_up_to_the_end_of_the_calendar_horizon() -> None:
    """R-SLA-5: every monthly report of 2026 is listed on a calendar that ends on 2026-12-31."""
    found = MONTHLY.occurrences(sh(2026, 1, 1), sh(2026, 12, 31))
    assert len(found) == 12
    assert found[-1] == Occurrence(nominal=date(2026, 12, 5), due=close(2026, 12, 7), opens=None)


def test_next_due_is_strictly_after() -> None:
    """next_due at a due instant gives the next occurrence; just before it, this one."""
    assert MONTHLY.next_due(close(2026, 10, 8) - US).nominal == date(2026, 10, 5)
    assert MONTHLY.next_due(close(2026, 10, 8)).nominal == date(2026, 11, 5)


def test_next_due_keeps_order_when_rolling() -> None:
    """R-SLA-5: asked on 10/6 (after the nominal 5th, before its rolled due), the 5th is next."""
    assert MONTHLY.next_due(sh(2026, 10, 6, 12)).due == close(2026, 10, 8)


def test_from_parts_builds_the_same_rule() -> None:
    """from_parts(freq='monthly', bymonthday=5) behaves as the RRULE text."""
    built = RecurringDeadline.from_parts(
        name="monthly report", calendar=CHINA, freq="monthly", bymonthday=5
    )
    assert built.occurrences(sh(2025, 1, 1), sh(2026, 11, 1)) == MONTHLY.occurrences(
        sh(2025, 1, 1), sh(2026, 11, 1)
    )
    quarterly = RecurringDeadline.from_parts(
        name="quarterly report",
        calendar=CHINA,
        freq="MONTHLY",
        bymonth=(3, 6, 9, 12),
        bymonthday=-1,
        roll="preceding",
        window=3,
    )
    assert quarterly.roll is Roll.PRECEDING
    assert quarterly.occurrences(sh(2024, 1, 1), sh(2026, 11, 1)) == QUARTERLY.occurrences(
        sh(2024, 1, 1), sh(2026, 11, 1)
    )


# -- quarterly: within the last three working days -----------------------------------------


@pytest.mark.parametrize(
    ("quarter_end", "due", "opens"),
    [
        (date(2026, 3, 31), date(2026, 3, 31), date(2026, 3, 26)),  # Fri, Mon, Tue
        (date(2026, 6, 30), date(2026, 6, 30), date(2026, 6, 25)),
        # Mid-Autumn Sep 25-27: the last three working days are Mon 28, Tue 29, Wed 30.
        (date(2026, 9, 30), date(2026, 9, 30), date(2026, 9, 24)),
        # Make-up Sunday 2024-09-29 is one of the last three working days.
        (date(2024, 9, 30), date(2024, 9, 30), date(2024, 9, 26)),
        (date(2024, 12, 31), date(2024, 12, 31), date(2024, 12, 26)),
    ],
)
def test_r_sla_5_quarterly_report_in_last_three_working_days(
    quarter_end: date, due: date, opens: date
) -> None:
    """R-SLA-5: the quarterly window opens at the close three working days before the due day."""
    occurrence = QUARTERLY.next_due(sh(quarter_end.year, quarter_end.month, 1))
    assert occurrence.nominal == quarter_end
    assert occurrence.due == close(due.year, due.month, due.day)
    assert occurrence.opens == close(opens.year, opens.month, opens.day)
    assert CHINA.working_days_between(opens, due) == 3


@pytest.mark.parametrize(
    ("quarter_end", "due", "opens"),
    [
        # Sun 2024-03-31: last working day Fri 3/29; window Wed 27, Thu 28, Fri 29.
        (date(2024, 3, 31), date(2024, 3, 29), date(2024, 3, 26)),
        # Sun 2024-06-30: last working day Fri 6/28; window Wed 26, Thu 27, Fri 28.
        (date(2024, 6, 30), date(2024, 6, 28), date(2024, 6, 25)),
    ],
)
def test_r_sla_5_quarter_ending_on_sunday_rolls_back_to_friday(
    quarter_end: date, due: date, opens: date
) -> None:
    """R-SLA-5: Roll.PRECEDING moves a closed quarter end to the last working day before it."""
    occurrence = QUARTERLY.next_due(sh(quarter_end.year, quarter_end.month, 1))
    assert occurrence.nominal == quarter_end
    assert occurrence.due == close(due.year, due.month, due.day)
    assert occurrence.opens == close(opens.year, opens.month, opens.day)


# -- annual: a fixed date ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "due"),
    [
        (2021, date(2021, 2, 1)),  # Sunday
        (2022, date(2022, 2, 7)),  # Spring Festival Jan 31-Feb 6
        (2023, date(2023, 1, 31)),  # Tuesday
        (2025, date(2025, 2, 5)),  # Spring Festival Jan 28-Feb 4
    ],
)
def test_r_sla_5_annual_report_on_fixed_date(year: int, due: date) -> None:
    """R-SLA-5: the annual report due January 31 rolls past weekends and the Spring Festival."""
    occurrence = ANNUAL.next_due(sh(year, 1, 1))
    assert occurrence.nominal == date(year, 1, 31)
    assert occurrence.due == close(due.year, due.month, due.day)


def test_annual_report_occurrences_over_years() -> None:
    """R-SLA-5: one annual occurrence per year, in order."""
    found = ANNUAL.occurrences(sh(2021, 1, 1), sh(2025, 12, 31))
    assert [o.nominal.year for o in found] == [2021, 2022, 2023, 2024, 2025]


def test_roll_none_keeps_closed_date_and_ends_at_midnight() -> None:
    """With Roll.NONE a closed date is kept; 'close' on a closed day means 24:00."""
    national_day = RecurringDeadline(
        name="holiday duty roster",
        rule="FREQ=YEARLY;BYMONTH=10;BYMONTHDAY=1",
        calendar=CHINA,
        roll=Roll.NONE,
    )
    assert national_day.next_due(sh(2026, 1, 1)).due == sh(2026, 10, 2)
    at_ten = RecurringDeadline(
        name="holiday duty roster",
        rule="FREQ=YEARLY;BYMONTH=10;BYMONTHDAY=1",
        calendar=CHINA,
        roll="none",
        time="10:00",
    )
    assert at_ten.next_due(sh(2026, 1, 1)).due == sh(2026, 10, 1, 10)


def test_fixed_time_of_day_after_rolling() -> None:
    """time='HH:MM' is the local time on the (rolled) due day."""
    noon = RecurringDeadline(
        name="monthly report", rule="FREQ=MONTHLY;BYMONTHDAY=5", calendar=CHINA, time="12:00"
    )
    assert noon.next_due(sh(2026, 9, 10)).due == sh(2026, 10, 8, 12)


def test_rule_with_its_own_dtstart_and_count() -> None:
    """A rule may carry DTSTART and COUNT; after its last occurrence next_due refuses."""
    three = RecurringDeadline(
        name="pilot reports",
        rule="DTSTART:20260101T000000\nRRULE:FREQ=MONTHLY;COUNT=3;BYMONTHDAY=5",
        calendar=CHINA,
    )
    found = three.occurrences(sh(2025, 1, 1), sh(2026, 12, 1))
    assert [o.nominal for o in found] == [date(2026, 1, 5), date(2026, 2, 5), date(2026, 3, 5)]
    with pytest.raises(InvalidDefinitionError):
        three.next_due(sh(2026, 6, 1))


# -- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=SOMETIMES",
        "garbage",
        "",
        "   ",
        "BYMONTHDAY=5",
        "FREQ=MONTHLY;BYDAY=XX",
        "FREQ=MONTHLY;BYMONTHDAY=40",
        "FREQ=YEARLY;BYMONTH=13;BYMONTHDAY=1",
    ],
)
def test_rule_that_does_not_parse_raises(rule: str) -> None:
    """An RRULE that does not parse is refused with InvalidDefinitionError on 'rule'."""
    with pytest.raises(InvalidDefinitionError) as info:
        RecurringDeadline(name="report", rule=rule, calendar=CHINA)
    assert info.value.field == "rule"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"time": "25:00"}, "time"),
        ({"time": "9:00"}, "time"),
        ({"time": "noon"}, "time"),
        ({"window": 0}, "window"),
        ({"window": -3}, "window"),
        ({"window": True}, "window"),
        ({"roll": "sideways"}, "roll"),
    ],
)
def test_bad_options_raise(kwargs: dict[str, Any], field: str) -> None:
    """A bad time, window or roll is refused with InvalidDefinitionError naming the field."""
    with pytest.raises(InvalidDefinitionError) as info:
        RecurringDeadline(name="report", rule="FREQ=MONTHLY", calendar=CHINA, **kwargs)
    assert info.value.field == field


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"freq": "hourly"}, "freq"),
        ({"freq": "monthly", "bymonthday": "fifth"}, "parts"),
        ({"freq": "monthly", "on": 5}, "parts"),
    ],
)
def test_from_parts_bad_parts_raise(kwargs: dict[str, Any], field: str) -> None:
    """from_parts refuses unknown frequencies and bad rrule keywords."""
    with pytest.raises(InvalidDefinitionError) as info:
        RecurringDeadline.from_parts(name="report", calendar=CHINA, **kwargs)
    assert info.value.field == field


def test_calendar_is_required() -> None:
    """A recurring deadline needs a BusinessCalendar to know which days are open."""
    with pytest.raises(TypeError):
        RecurringDeadline(name="report", rule="FREQ=MONTHLY", calendar="china")  # type: ignore[arg-type]  # the point of the test


def test_naive_datetimes_are_refused() -> None:
    """next_due and occurrences refuse naive datetimes."""
    with pytest.raises(NaiveDatetimeError):
        MONTHLY.next_due(datetime(2026, 9, 10))
    with pytest.raises(NaiveDatetimeError):
        MONTHLY.occurrences(datetime(2026, 1, 1), sh(2026, 3, 1))
    with pytest.raises(NaiveDatetimeError):
        MONTHLY.occurrences(sh(2026, 1, 1), datetime(2026, 3, 1))


def test_beyond_the_horizon_raises() -> None:
    """An occurrence the calendar cannot place (after 2026) raises HorizonError, never guesses."""
    with pytest.raises(HorizonError):
        MONTHLY.next_due(sh(2026, 12, 10))
