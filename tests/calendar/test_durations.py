"""Text forms of durations: parse_duration / format_duration."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from fractions import Fraction

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govkit.calendar import (
    BusinessDays,
    BusinessHours,
    Duration,
    Period,
    format_duration,
    parse_duration,
)
from govkit.errors import InvalidDefinitionError

PARSED: list[tuple[str, Duration]] = [
    ("PT24H", timedelta(hours=24)),
    ("P5D", timedelta(days=5)),
    ("P2W", timedelta(weeks=2)),
    ("P1DT2H30M", timedelta(days=1, hours=2, minutes=30)),
    ("PT1M", timedelta(minutes=1)),
    ("PT0.5S", timedelta(milliseconds=500)),
    ("PT0.000001S", timedelta(microseconds=1)),
    ("-PT1H", timedelta(hours=-1)),
    ("P0D", timedelta(0)),
    ("PT0S", timedelta(0)),
    ("  PT2H  ", timedelta(hours=2)),
    ("8 business hours", BusinessHours(8)),
    ("1 business hour", BusinessHours(1)),
    ("0.5 business hours", BusinessHours(Decimal("0.5"))),
    ("5 business days", BusinessDays(5)),
    ("1 business day", BusinessDays(1)),
    ("0 business days", BusinessDays(0)),
]


@pytest.mark.parametrize(("text", "expected"), PARSED, ids=[t for t, _ in PARSED])
def test_parse_duration_examples(text: str, expected: Duration) -> None:
    """parse_duration reads ISO 8601 elapsed time and 'N business hours/days'."""
    parsed = parse_duration(text)
    assert parsed == expected
    assert type(parsed) is type(expected)


FORMATTED: list[tuple[Duration, str]] = [
    (timedelta(days=1), "PT24H"),
    (timedelta(days=1, hours=2, minutes=30), "PT26H30M"),
    (timedelta(minutes=-90), "-PT1H30M"),
    (timedelta(0), "PT0S"),
    (timedelta(microseconds=1), "PT0.000001S"),
    (timedelta(seconds=1, microseconds=500_000), "PT1.5S"),
    (BusinessHours(1), "1 business hour"),
    (BusinessHours(8), "8 business hours"),
    (BusinessHours(Decimal("0.50")), "0.5 business hours"),
    (BusinessHours(Decimal("1E+2")), "100 business hours"),
    (BusinessDays(1), "1 business day"),
    (BusinessDays(5), "5 business days"),
]


@pytest.mark.parametrize(("duration", "text"), FORMATTED, ids=[t for _, t in FORMATTED])
def test_format_duration_examples(duration: Duration, text: str) -> None:
    """format_duration writes elapsed time in hours (never days) and business amounts in words."""
    assert format_duration(duration) == text
    assert parse_duration(text) == duration


REFUSED = [
    "P1Y1H",
    "PT1M1Y",
    "0 months",
    "3 weeks",
    "",
    "   ",
    "P",
    "-P",
    "PT",
    "P1DT",
    "5 business",
    "business days",
    "1.5 business days",
    "-1 business days",
    "5 business weeks",
    "P1.5D",
    "PT1.1234567S",
    "1 day",
    "PT1H30",
    "24h",
]


PERIODS = [
    ("P1Y", Period(years=1), "1 year"),
    ("P3M", Period(months=3), "3 months"),
    ("P1Y2M10D", Period(years=1, months=2, days=10), "1 year 2 months 10 calendar days"),
    ("5 calendar days", Period(days=5), "5 calendar days"),
    ("2 years 1 month", Period(years=2, months=1), "2 years 1 month"),
]


@pytest.mark.parametrize(("text", "period", "written"), PERIODS, ids=[t for t, _, _ in PERIODS])
def test_periods_parse_and_format(text: str, period: Period, written: str) -> None:
    """R-SLA-13: years and months are calendar periods, written back in words."""
    assert parse_duration(text) == period
    assert format_duration(period) == written
    assert parse_duration(written) == period


def test_plain_iso_days_stay_elapsed_time() -> None:
    """P5D is 120 elapsed hours; calendar days are said as '5 calendar days'."""
    assert parse_duration("P5D") == timedelta(days=5)


@pytest.mark.parametrize("text", REFUSED)
def test_parse_duration_refuses(text: str) -> None:
    """Empty and malformed texts raise InvalidDefinitionError on the given field."""
    with pytest.raises(InvalidDefinitionError) as info:
        parse_duration(text, field="policy.deadline")
    assert info.value.field == "policy.deadline"
    assert info.value.got == text


def test_parse_duration_refuses_non_text() -> None:
    """A non-string raises InvalidDefinitionError on the default field 'duration'."""
    with pytest.raises(InvalidDefinitionError) as info:
        parse_duration(24)  # type: ignore[arg-type]  # deliberately not a str
    assert info.value.field == "duration"


def test_business_hours_amounts() -> None:
    """BusinessHours keeps an exact Decimal and converts to whole microseconds."""
    assert BusinessHours(1.5).microseconds == 5_400_000_000
    assert BusinessHours(0.1).hours == Decimal("0.1")
    assert BusinessHours(Fraction(1, 3)).microseconds == 1_200_000_000
    assert BusinessHours(Decimal("0.0000001")).microseconds == 360
    assert BusinessHours("2.25").as_timedelta() == timedelta(hours=2, minutes=15)
    assert BusinessHours(0.5) == BusinessHours(Fraction(1, 2)) == BusinessHours("0.50")
    assert hash(BusinessHours(0.5)) == hash(BusinessHours("0.50"))
    assert str(BusinessHours(8)) == "8 business hours"
    assert str(BusinessDays(5)) == "5 business days"


def test_durations_are_frozen() -> None:
    """BusinessHours and BusinessDays are frozen."""
    amount = BusinessHours(8)
    days = BusinessDays(5)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        amount.hours = Decimal(9)  # type: ignore[misc]  # proving read-only
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        days.days = 6  # type: ignore[misc]  # proving read-only
    assert amount.microseconds == 8 * 3_600_000_000
    assert days.days == 5


ROUND_TRIP = settings(max_examples=150, deadline=None)


@ROUND_TRIP
@given(st.timedeltas(min_value=timedelta(days=-10_000), max_value=timedelta(days=10_000)))
def test_timedelta_round_trip(delta: timedelta) -> None:
    """parse_duration(format_duration(td)) == td for any timedelta, to the microsecond."""
    text = format_duration(delta)
    assert text.lstrip("-").startswith("PT")
    assert parse_duration(text) == delta


@ROUND_TRIP
@given(
    st.decimals(min_value=0, max_value=1_000_000, places=6, allow_nan=False, allow_infinity=False)
)
def test_business_hours_round_trip(hours: Decimal) -> None:
    """parse_duration(format_duration(BusinessHours(h))) == BusinessHours(h)."""
    amount = BusinessHours(hours)
    text = format_duration(amount)
    assert text.endswith(("business hours", "business hour"))
    parsed = parse_duration(text)
    assert parsed == amount
    assert isinstance(parsed, BusinessHours)
    assert parsed.microseconds == amount.microseconds


@ROUND_TRIP
@given(st.integers(min_value=0, max_value=100_000))
def test_business_days_round_trip(days: int) -> None:
    """parse_duration(format_duration(BusinessDays(n))) == BusinessDays(n)."""
    text = format_duration(BusinessDays(days))
    assert text == f"{days} business day{'' if days == 1 else 's'}"
    assert parse_duration(text) == BusinessDays(days)
