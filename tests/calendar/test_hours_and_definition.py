"""Calendar definitions: accepted shapes of working hours and the typed errors for bad input."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import cast
from zoneinfo import ZoneInfo

import attrs
import pytest

from govkit.calendar import BusinessCalendar, BusinessDays, BusinessHours, Duration
from govkit.errors import (
    GovkitError,
    HorizonError,
    InvalidDefinitionError,
    NaiveDatetimeError,
    UnknownTimezoneError,
)

SH = ZoneInfo("Asia/Shanghai")
OFFICE = {"mon-fri": [("09:00", "12:00"), ("13:00", "18:00")]}


def make(
    hours: object,
    timezone: str = "UTC",
    *,
    holidays: object = (),
    workdays: object = (),
    workday_hours: object = (),
) -> BusinessCalendar:
    """A calendar over the year 2026."""
    return BusinessCalendar(
        timezone=timezone,
        hours=hours,
        holidays=holidays,
        workdays=workdays,
        workday_hours=workday_hours,
        valid_from=date(2026, 1, 1),
        valid_until=date(2026, 12, 31),
    )


def office_2026(
    *, holidays: object = (), workdays: object = (), workday_hours: object = ()
) -> BusinessCalendar:
    """Mon–Fri 09–12/13–18 in Shanghai over the year 2026."""
    return make(
        OFFICE,
        "Asia/Shanghai",
        holidays=holidays,
        workdays=workdays,
        workday_hours=workday_hours,
    )


CAL = office_2026()
NAIVE = datetime(2026, 3, 2, 10, 0)
AWARE = datetime(2026, 3, 2, 10, 0, tzinfo=SH)


# -- naive datetimes -----------------------------------------------------------

NAIVE_CALLS: list[tuple[str, str, Callable[[BusinessCalendar], object]]] = [
    ("add-hours", "start", lambda c: c.add(NAIVE, BusinessHours(1))),
    ("add-days", "start", lambda c: c.add(NAIVE, BusinessDays(1))),
    ("add-timedelta", "start", lambda c: c.add(NAIVE, timedelta(hours=1))),
    ("between-start", "start", lambda c: c.between(NAIVE, AWARE)),
    ("between-end", "end", lambda c: c.between(AWARE, NAIVE)),
    ("is_open", "moment", lambda c: c.is_open(NAIVE)),
    ("next_open", "moment", lambda c: c.next_open(NAIVE)),
]


@pytest.mark.parametrize(
    ("field", "call"), [(f, c) for _, f, c in NAIVE_CALLS], ids=[i for i, _, _ in NAIVE_CALLS]
)
def test_naive_datetime_refused_by_every_instant_method(
    field: str, call: Callable[[BusinessCalendar], object]
) -> None:
    """A naive datetime raises NaiveDatetimeError naming the argument, and changes nothing."""
    before = office_2026()
    with pytest.raises(NaiveDatetimeError) as info:
        call(CAL)
    assert info.value.field == field
    assert info.value.got == NAIVE
    assert isinstance(info.value, ValueError)
    assert isinstance(info.value, GovkitError)
    assert before == CAL
    assert CAL.between(AWARE, AWARE + timedelta(hours=3)) == timedelta(hours=2)


DATE_CALLS: list[tuple[str, str, Callable[[BusinessCalendar], object]]] = [
    ("is_working_day", "day", lambda c: c.is_working_day(NAIVE)),
    ("close_of_business", "day", lambda c: c.close_of_business(NAIVE)),
    ("add_working_days", "day", lambda c: c.add_working_days(NAIVE, 1)),
    ("working_days_between-start", "start", lambda c: c.working_days_between(NAIVE, AWARE)),
    ("working_days_between-end", "end", lambda c: c.working_days_between(date(2026, 3, 2), NAIVE)),
]


@pytest.mark.parametrize(
    ("field", "call"), [(f, c) for _, f, c in DATE_CALLS], ids=[i for i, _, _ in DATE_CALLS]
)
def test_datetime_refused_by_every_date_method(
    field: str, call: Callable[[BusinessCalendar], object]
) -> None:
    """A (naive) datetime where a date is expected raises InvalidDefinitionError on that field."""
    with pytest.raises(InvalidDefinitionError) as info:
        call(CAL)
    assert info.value.field == field


def test_unknown_amount_type_refused() -> None:
    """add() refuses an amount that is not a timedelta, BusinessHours or BusinessDays."""
    with pytest.raises(InvalidDefinitionError) as info:
        CAL.add(AWARE, cast(Duration, 5))
    assert info.value.field == "amount"


# -- time zones ----------------------------------------------------------------


@pytest.mark.parametrize("name", ["Mars/Olympus_Mons", "", " Asia/Shanghai", "Asia/Shang hai"])
def test_unknown_timezone_refused(name: str) -> None:
    """An unknown IANA zone name raises UnknownTimezoneError on field 'timezone'."""
    with pytest.raises(UnknownTimezoneError) as info:
        make(OFFICE, name)
    assert info.value.field == "timezone"
    assert info.value.got == name


# -- malformed hours -----------------------------------------------------------

BAD_HOURS: list[tuple[str, object, str]] = [
    ("one-digit-hour", {"mon": [("9:00", "12:00")]}, "hours.mon[0][0]"),
    ("hour-25", {"mon": [("09:00", "25:00")]}, "hours.mon[0][1]"),
    ("24:30", {"mon": [("09:00", "24:30")]}, "hours.mon[0][1]"),
    ("minute-60", {"mon": [("09:60", "12:00")]}, "hours.mon[0][0]"),
    ("start-24:00", {"mon": [("24:00", "02:00")]}, "hours.mon[0][0]"),
    ("empty-interval", {"mon": [("12:00", "12:00")]}, "hours.mon[0]"),
    ("not-a-pair", {"mon": [("09:00", "12:00", "13:00")]}, "hours.mon[0]"),
    ("string-intervals", {"mon": "09:00-12:00"}, "hours.mon"),
    ("unknown-weekday", {"funday": [("09:00", "12:00")]}, "hours.funday"),
    ("unknown-range", {"mon-xyz": [("09:00", "12:00")]}, "hours.mon-xyz"),
    (
        "weekday-twice",
        {"mon-fri": [("09:00", "12:00")], "mon": [("13:00", "18:00")]},
        "hours.mon",
    ),
    (
        "weekday-twice-by-ranges",
        {"mon-wed": [("09:00", "12:00")], "wed-fri": [("13:00", "18:00")]},
        "hours.wed-fri",
    ),
    ("overlap-same-day", {"mon": [("09:00", "12:00"), ("11:00", "13:00")]}, "hours.mon"),
    ("overlap-contained", {"tue": [("09:00", "18:00"), ("10:00", "11:00")]}, "hours.tue"),
    (
        "overnight-sunday-overlaps-monday",
        {"sun": [("22:00", "06:00")], "mon": [("05:00", "09:00")]},
        "hours",
    ),
    (
        "overnight-monday-overlaps-tuesday",
        {"mon": [("22:00", "06:00")], "tue": [("05:30", "09:00")]},
        "hours",
    ),
    ("more-than-24h-in-a-day", {"mon": [("06:00", "12:00"), ("22:00", "08:00")]}, "hours.mon"),
    ("not-a-mapping", "mon-fri 09:00-18:00", "hours"),
]


@pytest.mark.parametrize(
    ("hours", "field"), [(h, f) for _, h, f in BAD_HOURS], ids=[i for i, _, _ in BAD_HOURS]
)
def test_malformed_hours_refused(hours: object, field: str) -> None:
    """Malformed or overlapping hours raise InvalidDefinitionError naming the exact field."""
    with pytest.raises(InvalidDefinitionError) as info:
        make(hours, "Asia/Shanghai")
    assert info.value.field == field


def test_overnight_sunday_touching_monday_is_allowed() -> None:
    """A Sunday night shift ending exactly when Monday opens is back to back, not an overlap."""
    cal = make({"sun": [("22:00", "06:00")], "mon": [("06:00", "09:00")]})
    sunday = datetime(2026, 3, 1, 22, tzinfo=UTC)
    assert cal.between(sunday, sunday + timedelta(hours=12)) == timedelta(hours=11)
    assert cal.add(sunday, BusinessHours(10)) == datetime(2026, 3, 2, 8, tzinfo=UTC)


# -- durations -------------------------------------------------------------------


@pytest.mark.parametrize("hours", [-1, -0.5, Decimal("-0.000001"), float("nan"), float("inf")])
def test_bad_business_hours_refused(hours: object) -> None:
    """Negative or non-finite BusinessHours raise InvalidDefinitionError (BusinessHours.hours)."""
    with pytest.raises(InvalidDefinitionError) as info:
        BusinessHours(hours)
    assert info.value.field == "BusinessHours.hours"


@pytest.mark.parametrize("days", [-1, 1.5, True, "5"])
def test_bad_business_days_refused(days: object) -> None:
    """Negative, fractional or non-int BusinessDays raise InvalidDefinitionError."""
    with pytest.raises(InvalidDefinitionError) as info:
        BusinessDays(days)
    assert info.value.field == "BusinessDays.days"


# -- holidays, make-up days, horizon ---------------------------------------------------


def test_holiday_that_is_also_a_makeup_day_refused() -> None:
    """A date that is both a holiday and a make-up working day is refused."""
    with pytest.raises(InvalidDefinitionError) as info:
        office_2026(holidays=[date(2026, 3, 7)], workdays=[date(2026, 3, 7)])
    assert info.value.field == "workdays[2026-03-07]"


def test_workday_hours_on_a_holiday_refused() -> None:
    """Own hours for a date that is also a holiday are refused."""
    with pytest.raises(InvalidDefinitionError) as info:
        office_2026(
            holidays=[date(2026, 3, 7)], workday_hours={date(2026, 3, 7): [("10:00", "14:00")]}
        )
    assert info.value.field == "workday_hours.2026-03-07"


def test_valid_until_before_valid_from_refused() -> None:
    """valid_until earlier than valid_from raises InvalidDefinitionError on 'valid_until'."""
    with pytest.raises(InvalidDefinitionError) as info:
        BusinessCalendar(
            timezone="UTC",
            hours=OFFICE,
            valid_from=date(2026, 1, 2),
            valid_until=date(2026, 1, 1),
        )
    assert info.value.field == "valid_until"


def test_single_day_horizon_allowed() -> None:
    """valid_until == valid_from is a one-day calendar."""
    cal = BusinessCalendar(
        timezone="UTC", hours=OFFICE, valid_from=date(2026, 3, 2), valid_until=date(2026, 3, 2)
    )
    assert cal.is_working_day(date(2026, 3, 2))
    assert cal.close_of_business(date(2026, 3, 2)) == datetime(2026, 3, 2, 18, tzinfo=UTC)


BEFORE = date(2025, 12, 31)
AFTER = date(2027, 1, 1)
LATE = datetime(2027, 1, 1, 10, tzinfo=SH)
EARLY = datetime(2025, 12, 31, 10, tzinfo=SH)

HORIZON_CALLS: list[tuple[str, date, Callable[[BusinessCalendar], object]]] = [
    ("add-hours-before", BEFORE, lambda c: c.add(EARLY, BusinessHours(1))),
    ("add-hours-after", AFTER, lambda c: c.add(LATE, BusinessHours(1))),
    ("add-days-before", BEFORE, lambda c: c.add(EARLY, BusinessDays(1))),
    ("add-days-after", AFTER, lambda c: c.add(LATE, BusinessDays(0))),
    ("between-start", BEFORE, lambda c: c.between(EARLY, AWARE)),
    ("between-end", AFTER, lambda c: c.between(AWARE, LATE)),
    ("is_open", AFTER, lambda c: c.is_open(LATE)),
    ("next_open", BEFORE, lambda c: c.next_open(EARLY)),
    ("is_working_day-before", BEFORE, lambda c: c.is_working_day(BEFORE)),
    ("is_working_day-after", AFTER, lambda c: c.is_working_day(AFTER)),
    ("close_of_business", AFTER, lambda c: c.close_of_business(AFTER)),
    ("add_working_days", BEFORE, lambda c: c.add_working_days(BEFORE, 1)),
    ("add_working_days-zero", AFTER, lambda c: c.add_working_days(AFTER, 0)),
    ("working_days_between-start", BEFORE, lambda c: c.working_days_between(BEFORE, AFTER)),
    (
        "working_days_between-end",
        AFTER,
        lambda c: c.working_days_between(date(2026, 6, 1), AFTER),
    ),
]


@pytest.mark.parametrize(
    ("needed", "call"), [(n, c) for _, n, c in HORIZON_CALLS], ids=[i for i, _, _ in HORIZON_CALLS]
)
def test_date_outside_horizon_raises_horizon_error(
    needed: date, call: Callable[[BusinessCalendar], object]
) -> None:
    """Every method needing a date outside the horizon raises HorizonError naming it."""
    with pytest.raises(HorizonError) as info:
        call(CAL)
    assert info.value.needed == needed
    assert info.value.valid_from == date(2026, 1, 1)
    assert info.value.valid_until == date(2026, 12, 31)


def test_horizon_edges_are_inside() -> None:
    """The first and last day of the horizon are usable; local midnight ending it is too."""
    assert CAL.is_working_day(date(2026, 1, 1))  # a Thursday
    assert CAL.close_of_business(date(2026, 12, 31)) == datetime(2026, 12, 31, 18, tzinfo=SH)
    start = datetime(2026, 1, 1, 0, 0, tzinfo=SH)
    end = datetime(2027, 1, 1, 0, 0, tzinfo=SH)
    # 2026 has 261 weekdays (no holidays in this calendar) of 8 hours each.
    assert CAL.between(start, end) == timedelta(hours=8 * 261)
    with pytest.raises(HorizonError):
        CAL.between(start - timedelta(microseconds=1), end)
    with pytest.raises(HorizonError):
        CAL.between(start, end + timedelta(microseconds=1))


def test_default_horizon_from_weekly_hours_alone() -> None:
    """Built from weekly hours alone, the horizon covers at least 1970–2100."""
    cal = BusinessCalendar(timezone="Europe/Berlin", hours=OFFICE)
    assert cal.valid_from <= date(1970, 1, 1)
    assert cal.valid_until >= date(2100, 12, 31)
    assert cal.is_working_day(date(1970, 1, 2))  # a Friday
    assert not cal.is_working_day(date(2100, 12, 25))  # a Saturday
    assert cal.close_of_business(date(2100, 12, 31)) == datetime(
        2100, 12, 31, 18, tzinfo=ZoneInfo("Europe/Berlin")
    )


def test_default_horizon_follows_named_dates() -> None:
    """With holidays but no explicit horizon, the horizon is the named years (documented)."""
    cal = BusinessCalendar(
        timezone="UTC", hours=OFFICE, holidays=[date(2025, 5, 1)], workdays=[date(2026, 2, 14)]
    )
    assert (cal.valid_from, cal.valid_until) == (date(2025, 1, 1), date(2026, 12, 31))


# -- accepted shapes ---------------------------------------------------------------


def test_range_sat_sun() -> None:
    """A 'sat-sun' key opens Saturday and Sunday only."""
    cal = make({"sat-sun": [("10:00", "16:00")]})
    week = [cal.is_working_day(date(2026, 3, 2) + timedelta(days=i)) for i in range(7)]
    assert week == [False, False, False, False, False, True, True]
    assert cal.hours == (
        ("sat", (("10:00", "16:00"),)),
        ("sun", (("10:00", "16:00"),)),
    )


def test_range_wrapping_fri_mon() -> None:
    """A 'fri-mon' key wraps the week end: Friday, Saturday, Sunday and Monday."""
    cal = make({"fri-mon": [("10:00", "16:00")]})
    week = [cal.is_working_day(date(2026, 3, 2) + timedelta(days=i)) for i in range(7)]
    assert week == [True, False, False, False, True, True, True]
    assert [day for day, _ in cal.hours] == ["mon", "fri", "sat", "sun"]


def test_equivalent_spellings_are_equal_and_hash_equal() -> None:
    """'mon-fri' and five single-day keys define the same, equal and hash-equal calendar."""
    one = make({"mon-fri": [("09:00", "17:00")]})
    day = [("09:00", "17:00")]
    five = make({"mon": day, "tue": day, "wed": day, "thu": day, "fri": day})
    assert one == five
    assert hash(one) == hash(five)
    assert len({one, five}) == 1
    other = make({"mon-fri": [("09:00", "16:00")]})
    assert one != other


def test_calendar_is_frozen() -> None:
    """Setting an attribute of a calendar raises FrozenInstanceError and changes nothing."""
    cal = office_2026()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        cal.timezone = "UTC"  # type: ignore[misc]  # proving the attribute is read-only
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        cal.holidays = (date(2026, 3, 2),)  # type: ignore[misc]  # proving read-only
    assert cal.timezone == "Asia/Shanghai"
    assert cal.holidays == ()
    assert cal == office_2026()


def test_calendars_differing_in_holidays_are_not_equal() -> None:
    """Calendars with different holidays compare unequal; identical ones compare equal."""
    a = office_2026(holidays=[date(2026, 5, 1)])
    b = office_2026(holidays=[date(2026, 5, 1)])
    c = office_2026(holidays=[date(2026, 5, 4)])
    assert a == b
    assert hash(a) == hash(b)
    assert a != c
    shuffled = office_2026(holidays=[date(2026, 5, 4), date(2026, 5, 1), date(2026, 5, 1)])
    assert shuffled == office_2026(holidays=[date(2026, 5, 1), date(2026, 5, 4)])
    assert shuffled.holidays == (date(2026, 5, 1), date(2026, 5, 4))


def test_crossing_midnight() -> None:
    """An interval ('22:00', '06:00') belongs to its start day and runs into the next morning."""
    cal = make({"mon-fri": [("22:00", "06:00")]})
    monday = datetime(2026, 3, 2, tzinfo=UTC)
    assert cal.between(monday, monday + timedelta(days=1)) == timedelta(hours=2)
    assert cal.is_open(datetime(2026, 3, 3, 3, tzinfo=UTC))  # Monday's shift
    assert cal.is_open(datetime(2026, 3, 7, 3, tzinfo=UTC))  # Friday's shift, Saturday morning
    assert not cal.is_open(datetime(2026, 3, 8, 3, tzinfo=UTC))  # Sunday: no Saturday shift
    assert cal.close_of_business(date(2026, 3, 2)) == datetime(2026, 3, 3, 6, tzinfo=UTC)
    assert not cal.is_working_day(date(2026, 3, 7))
    assert cal.add(datetime(2026, 3, 2, 23, tzinfo=UTC), BusinessHours(8)) == datetime(
        2026, 3, 3, 23, tzinfo=UTC
    )
    assert cal.add(datetime(2026, 3, 2, 23, tzinfo=UTC), BusinessHours(7)) == datetime(
        2026, 3, 3, 6, tzinfo=UTC
    )
    assert cal.hours[0] == ("mon", (("22:00", "06:00"),))


def test_back_to_back_intervals_merge() -> None:
    """Back-to-back intervals of a day merge into one in the canonical hours."""
    cal = make({"mon": [("12:00", "18:00"), ("09:00", "12:00")]})
    assert cal.hours == (("mon", (("09:00", "18:00"),)),)
    noon = datetime(2026, 3, 2, 12, tzinfo=UTC)
    assert cal.is_open(noon)
    assert cal.next_open(noon) == noon
    assert cal.add(datetime(2026, 3, 2, 11, tzinfo=UTC), BusinessHours(2)) == datetime(
        2026, 3, 2, 13, tzinfo=UTC
    )


def test_overnight_shift_back_to_back_with_next_morning() -> None:
    """Monday's 22:00–06:00 and Tuesday's 06:00–10:00 count as one continuous stretch."""
    cal = make({"mon": [("22:00", "06:00")], "tue": [("06:00", "10:00")]})
    six = datetime(2026, 3, 3, 6, tzinfo=UTC)
    assert cal.is_open(six)
    assert cal.next_open(six) == six
    assert cal.add(datetime(2026, 3, 2, 23, tzinfo=UTC), BusinessHours(10)) == datetime(
        2026, 3, 3, 9, tzinfo=UTC
    )


def test_twenty_four_seven_has_no_gap_at_midnight() -> None:
    """A 24/7 calendar counts 168 hours a week and adds across midnight without a gap."""
    cal = make({"mon-sun": [("00:00", "24:00")]})
    monday = datetime(2026, 3, 2, tzinfo=UTC)
    assert cal.between(monday, monday + timedelta(days=7)) == timedelta(hours=168)
    late = datetime(2026, 3, 2, 23, 30, tzinfo=UTC)
    assert cal.add(late, BusinessHours(1)) == datetime(2026, 3, 3, 0, 30, tzinfo=UTC)
    assert cal.add(late, BusinessHours(Decimal("0.5"))) == datetime(2026, 3, 3, tzinfo=UTC)
    midnight = datetime(2026, 3, 3, tzinfo=UTC)
    assert cal.is_open(midnight)
    assert cal.next_open(midnight) == midnight
    assert cal.hours == tuple(
        (d, (("00:00", "24:00"),)) for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    )


def test_makeup_day_keeps_normal_hours() -> None:
    """A make-up Saturday without own hours works a normal day's 09–12/13–18 (8 hours)."""
    cal = office_2026(workdays=[date(2026, 3, 7)])
    saturday = datetime(2026, 3, 7, tzinfo=SH)
    assert cal.is_working_day(date(2026, 3, 7))
    assert cal.between(saturday, saturday + timedelta(days=1)) == timedelta(hours=8)
    assert cal.close_of_business(date(2026, 3, 7)) == datetime(2026, 3, 7, 18, tzinfo=SH)
    assert not cal.is_open(datetime(2026, 3, 7, 12, 30, tzinfo=SH))


def test_makeup_day_with_own_hours() -> None:
    """A make-up day given workday_hours works exactly those hours."""
    cal = office_2026(
        workdays=[date(2026, 3, 7)], workday_hours={date(2026, 3, 7): [("10:00", "14:00")]}
    )
    saturday = datetime(2026, 3, 7, tzinfo=SH)
    assert cal.between(saturday, saturday + timedelta(days=1)) == timedelta(hours=4)
    assert cal.close_of_business(date(2026, 3, 7)) == datetime(2026, 3, 7, 14, tzinfo=SH)
    assert cal.next_open(saturday) == datetime(2026, 3, 7, 10, tzinfo=SH)
    assert cal.is_open(datetime(2026, 3, 7, 12, 30, tzinfo=SH))


def test_holiday_closes_a_weekday() -> None:
    """A holiday on a weekday is closed: no hours, no close of business."""
    cal = office_2026(holidays=[date(2026, 3, 4)])
    assert not cal.is_working_day(date(2026, 3, 4))
    assert cal.close_of_business(date(2026, 3, 4)) is None
    wed = datetime(2026, 3, 4, tzinfo=SH)
    assert cal.between(wed, wed + timedelta(days=1)) == timedelta(0)


def test_workday_hours_shorten_a_normal_weekday() -> None:
    """workday_hours on an ordinary weekday replaces its hours (a half day)."""
    cal = office_2026(workday_hours={date(2026, 12, 24): [("09:00", "12:00")]})
    eve = datetime(2026, 12, 24, tzinfo=SH)
    assert cal.between(eve, eve + timedelta(days=1)) == timedelta(hours=3)
    assert cal.close_of_business(date(2026, 12, 24)) == datetime(2026, 12, 24, 12, tzinfo=SH)
    assert cal.add(datetime(2026, 12, 24, 11, tzinfo=SH), BusinessHours(2)) == datetime(
        2026, 12, 25, 10, tzinfo=SH
    )


def test_makeup_day_takes_the_most_common_weekday_hours() -> None:
    """With a short Friday, a make-up Saturday keeps the Mon–Thu hours (the usual day)."""
    cal = make(
        {"mon-thu": [("09:00", "18:00")], "fri": [("09:00", "15:00")]},
        workdays=[date(2026, 3, 7)],
    )
    saturday = datetime(2026, 3, 7, tzinfo=UTC)
    assert cal.between(saturday, saturday + timedelta(days=1)) == timedelta(hours=9)


def test_workday_hours_overlapping_previous_overnight_shift_refused() -> None:
    """Own hours of a date that start before the previous night's shift ends are refused."""
    with pytest.raises(InvalidDefinitionError) as info:
        make(
            {"mon-fri": [("22:00", "06:00")]},
            workday_hours={date(2026, 3, 3): [("05:00", "09:00")]},
        )
    assert info.value.field == "hours of 2026-03-03"


def test_bad_dates_in_definition_refused() -> None:
    """A holiday, make-up day or horizon that is not a date raises InvalidDefinitionError."""
    with pytest.raises(InvalidDefinitionError) as holiday:
        make(OFFICE, holidays=[date(2026, 5, 1), "1st of May"])
    assert holiday.value.field == "holidays[1]"
    with pytest.raises(InvalidDefinitionError) as makeup:
        make(OFFICE, workdays="2026-03-07")
    assert makeup.value.field == "workdays"
    with pytest.raises(InvalidDefinitionError) as horizon:
        BusinessCalendar(
            timezone="UTC",
            hours=OFFICE,
            valid_from=datetime(2026, 1, 1, tzinfo=UTC),
            valid_until=date(2026, 12, 31),
        )
    assert horizon.value.field == "valid_from"
