"""Hand-computed examples of calendar arithmetic (China calendar, DST zones, horizons)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest

from govkit.calendar import BusinessCalendar, BusinessDays, BusinessHours
from govkit.errors import HorizonError

SH = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
CHINA = BusinessCalendar.china()


def sh(y: int, m: int, d: int, hh: int = 0, mm: int = 0, ss: int = 0, us: int = 0) -> datetime:
    """A wall time in Shanghai."""
    return datetime(y, m, d, hh, mm, ss, us, tzinfo=SH)


def iso(moment: datetime) -> str:
    """The ISO text of an instant; carries the UTC offset, so DST mistakes show."""
    return moment.isoformat()


def zone_key(moment: datetime) -> str:
    """The IANA key of an aware datetime's zone."""
    assert isinstance(moment.tzinfo, ZoneInfo)
    return moment.tzinfo.key


def night_shift(tz: str) -> BusinessCalendar:
    """A 22:00–06:00 shift every night, over 2026."""
    return BusinessCalendar(
        timezone=tz,
        hours={"mon-sun": [("22:00", "06:00")]},
        valid_from=date(2026, 1, 1),
        valid_until=date(2026, 12, 31),
    )


# -- BusinessHours -----------------------------------------------------------------

HOURS_CASES: list[tuple[str, datetime, object, str]] = [
    ("inside-morning", sh(2026, 11, 23, 10), 1, "2026-11-23T11:00:00+08:00"),
    ("ends-at-noon-close", sh(2026, 11, 23, 11), 1, "2026-11-23T12:00:00+08:00"),
    ("ends-at-evening-close", sh(2026, 11, 23, 17), 1, "2026-11-23T18:00:00+08:00"),
    ("spans-lunch", sh(2026, 11, 23, 11), 2, "2026-11-23T14:00:00+08:00"),
    ("from-lunch-break", sh(2026, 11, 23, 12, 30), 1, "2026-11-23T14:00:00+08:00"),
    ("from-noon-close", sh(2026, 11, 23, 12), 1, "2026-11-23T14:00:00+08:00"),
    ("before-opening", sh(2026, 11, 23, 8), 1, "2026-11-23T10:00:00+08:00"),
    ("after-close", sh(2026, 11, 23, 19), 1, "2026-11-24T10:00:00+08:00"),
    ("at-evening-close", sh(2026, 11, 23, 18), 1, "2026-11-24T10:00:00+08:00"),
    ("ends-at-close-from-morning", sh(2026, 11, 23, 9), 8, "2026-11-23T18:00:00+08:00"),
    ("one-more-hour-next-day", sh(2026, 11, 23, 9), 9, "2026-11-24T10:00:00+08:00"),
    ("friday-to-monday", sh(2026, 11, 27, 17), 2, "2026-11-30T10:00:00+08:00"),
    ("from-saturday", sh(2026, 11, 28, 10), 1, "2026-11-30T10:00:00+08:00"),
    ("a-full-week", sh(2026, 11, 23, 10), 40, "2026-11-30T10:00:00+08:00"),
    # National Day 2026: Oct 1–7 closed, Oct 8 (Thu) open.
    ("from-holiday", sh(2026, 10, 1, 10), 1, "2026-10-08T10:00:00+08:00"),
    ("into-holiday", sh(2026, 9, 30, 17), 2, "2026-10-08T10:00:00+08:00"),
    # Spring Festival 2026: Sat Feb 14 is a make-up day, Feb 15–23 closed.
    ("onto-makeup-saturday", sh(2026, 2, 13, 17), 2, "2026-02-14T10:00:00+08:00"),
    ("ends-at-makeup-close", sh(2026, 2, 13, 17), 9, "2026-02-14T18:00:00+08:00"),
    ("over-spring-festival", sh(2026, 2, 13, 17), 10, "2026-02-24T10:00:00+08:00"),
    ("half-hour", sh(2026, 11, 23, 9), Decimal("0.5"), "2026-11-23T09:30:00+08:00"),
    ("half-hour-float", sh(2026, 11, 23, 11, 45), 0.5, "2026-11-23T13:15:00+08:00"),
    ("a-third-exact", sh(2026, 11, 23, 9), Fraction(1, 3), "2026-11-23T09:20:00+08:00"),
    (
        "a-third-ish",
        sh(2026, 11, 23, 9),
        Decimal("0.3333333"),
        "2026-11-23T09:19:59.999880+08:00",
    ),
    (
        "tenth-micro-hour",
        sh(2026, 11, 23, 9),
        Decimal("0.0000001"),
        "2026-11-23T09:00:00.000360+08:00",
    ),
    ("zero-from-open", sh(2026, 11, 23, 10), 0, "2026-11-23T10:00:00+08:00"),
]


@pytest.mark.parametrize(
    ("start", "hours", "expected"),
    [(s, h, e) for _, s, h, e in HOURS_CASES],
    ids=[i for i, _, _, _ in HOURS_CASES],
)
def test_add_business_hours(start: datetime, hours: object, expected: str) -> None:
    """add(start, BusinessHours(h)) is the earliest instant with h open hours; closes are kept."""
    result = CHINA.add(start, BusinessHours(hours))
    assert iso(result) == expected
    assert zone_key(result) == "Asia/Shanghai"


def test_add_business_hours_from_another_zone() -> None:
    """A start given in UTC is the same instant; the answer is in the calendar's zone."""
    result = CHINA.add(datetime(2026, 11, 23, 2, tzinfo=UTC), BusinessHours(1))  # 10:00 local
    assert iso(result) == "2026-11-23T11:00:00+08:00"
    assert zone_key(result) == "Asia/Shanghai"


def test_add_zero_hours_from_closed_instant_is_start() -> None:
    """BusinessHours(0) returns the start itself (between(start, start) is already 0)."""
    result = CHINA.add(sh(2026, 11, 23, 12, 30), BusinessHours(0))
    assert iso(result) == "2026-11-23T12:30:00+08:00"


# -- BusinessDays ------------------------------------------------------------------

DAYS_CASES: list[tuple[str, datetime, int, str]] = [
    ("r-sla-3", sh(2026, 11, 23, 10), 5, "2026-11-30T18:00:00+08:00"),
    ("one-day", sh(2026, 11, 23, 10), 1, "2026-11-24T18:00:00+08:00"),
    ("start-before-opening-not-counted", sh(2026, 11, 23, 8), 1, "2026-11-24T18:00:00+08:00"),
    ("start-after-close", sh(2026, 11, 23, 20), 1, "2026-11-24T18:00:00+08:00"),
    ("from-saturday", sh(2026, 11, 28, 10), 1, "2026-11-30T18:00:00+08:00"),
    ("zero-before-close", sh(2026, 11, 23, 10), 0, "2026-11-23T18:00:00+08:00"),
    ("zero-in-lunch", sh(2026, 11, 23, 12, 30), 0, "2026-11-23T18:00:00+08:00"),
    ("zero-before-opening", sh(2026, 11, 23, 7), 0, "2026-11-23T18:00:00+08:00"),
    ("zero-at-close", sh(2026, 11, 23, 18), 0, "2026-11-24T18:00:00+08:00"),
    ("zero-after-close", sh(2026, 11, 23, 19), 0, "2026-11-24T18:00:00+08:00"),
    ("zero-on-saturday", sh(2026, 11, 28, 10), 0, "2026-11-30T18:00:00+08:00"),
    ("zero-on-holiday", sh(2026, 10, 3, 10), 0, "2026-10-08T18:00:00+08:00"),
    # National Day 2025: Oct 1–8 closed; Sun Sep 28 and Sat Oct 11 are make-up days.
    ("nd2025-onto-makeup-sunday", sh(2025, 9, 26, 10), 1, "2025-09-28T18:00:00+08:00"),
    ("nd2025-over-holiday", sh(2025, 9, 26, 10), 4, "2025-10-09T18:00:00+08:00"),
    ("nd2025-from-eve", sh(2025, 9, 30, 10), 1, "2025-10-09T18:00:00+08:00"),
    ("nd2025-onto-makeup-saturday", sh(2025, 9, 30, 10), 3, "2025-10-11T18:00:00+08:00"),
    ("nd2025-after-makeup-saturday", sh(2025, 9, 30, 10), 4, "2025-10-13T18:00:00+08:00"),
    ("nd2025-from-holiday", sh(2025, 10, 5, 10), 1, "2025-10-09T18:00:00+08:00"),
    # Spring Festival 2026: Sat Feb 14 and Sat Feb 28 are make-up days, Feb 15–23 closed.
    ("sf2026-onto-makeup-saturday", sh(2026, 2, 13, 10), 1, "2026-02-14T18:00:00+08:00"),
    ("sf2026-over-holiday", sh(2026, 2, 13, 10), 2, "2026-02-24T18:00:00+08:00"),
    ("sf2026-to-friday", sh(2026, 2, 13, 10), 5, "2026-02-27T18:00:00+08:00"),
    ("sf2026-onto-second-makeup", sh(2026, 2, 13, 10), 6, "2026-02-28T18:00:00+08:00"),
    ("sf2026-after-second-makeup", sh(2026, 2, 13, 10), 7, "2026-03-02T18:00:00+08:00"),
    ("sf2026-from-holiday", sh(2026, 2, 18, 10), 1, "2026-02-24T18:00:00+08:00"),
    ("sf2026-zero-on-makeup", sh(2026, 2, 14, 10), 0, "2026-02-14T18:00:00+08:00"),
]


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [(s, n, e) for _, s, n, e in DAYS_CASES],
    ids=[i for i, _, _, _ in DAYS_CASES],
)
def test_add_business_days(start: datetime, days: int, expected: str) -> None:
    """R-SLA-3: BusinessDays(n) ends at close of business of the n-th working day after start."""
    result = CHINA.add(start, BusinessDays(days))
    assert iso(result) == expected
    assert zone_key(result) == "Asia/Shanghai"


def test_business_days_use_start_local_date() -> None:
    """R-SLA-3: the start day is the local date: Sunday 20:00 UTC is Monday 04:00 in Shanghai."""
    start = datetime(2026, 11, 22, 20, tzinfo=UTC)  # Monday 2026-11-23 04:00 +08:00
    assert iso(CHINA.add(start, BusinessDays(5))) == "2026-11-30T18:00:00+08:00"
    assert iso(CHINA.add(start, BusinessDays(0))) == "2026-11-23T18:00:00+08:00"


# -- elapsed time ------------------------------------------------------------------


def test_timedelta_is_elapsed_time() -> None:
    """add(start, timedelta) is plain elapsed time, ignoring hours and holidays."""
    result = CHINA.add(sh(2026, 10, 1, 10), timedelta(hours=24))
    assert iso(result) == "2026-10-02T10:00:00+08:00"
    assert zone_key(result) == "Asia/Shanghai"


def test_timedelta_across_spring_forward_is_24_real_hours() -> None:
    """One day of elapsed time across Berlin's spring-forward is 24 real hours (13:00 next day)."""
    cal = BusinessCalendar(
        timezone="Europe/Berlin",
        hours={"mon-fri": [("09:00", "17:00")]},
        valid_from=date(2026, 1, 1),
        valid_until=date(2026, 12, 31),
    )
    start = datetime(2026, 3, 28, 12, tzinfo=BERLIN)
    result = cal.add(start, timedelta(days=1))
    assert iso(result) == "2026-03-29T13:00:00+02:00"
    assert result.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=24)
    assert zone_key(result) == "Europe/Berlin"


def test_timedelta_across_fall_back_is_24_real_hours() -> None:
    """One day of elapsed time across New York's fall-back is 24 real hours (11:00 next day)."""
    cal = BusinessCalendar(
        timezone="America/New_York",
        hours={"mon-fri": [("09:00", "17:00")]},
        valid_from=date(2026, 1, 1),
        valid_until=date(2026, 12, 31),
    )
    start = datetime(2026, 10, 31, 12, tzinfo=NEW_YORK)
    result = cal.add(start, timedelta(days=1))
    assert iso(result) == "2026-11-01T11:00:00-05:00"


# -- DST -----------------------------------------------------------------------------

DST_NIGHTS: list[tuple[str, date, timedelta]] = [
    ("Europe/Berlin", date(2026, 3, 28), timedelta(hours=7)),
    ("Europe/Berlin", date(2026, 10, 24), timedelta(hours=9)),
    ("Europe/Berlin", date(2026, 6, 13), timedelta(hours=8)),
    ("America/New_York", date(2026, 3, 7), timedelta(hours=7)),
    ("America/New_York", date(2026, 10, 31), timedelta(hours=9)),
    ("America/New_York", date(2026, 6, 13), timedelta(hours=8)),
]


@pytest.mark.parametrize(("tz", "night", "length"), DST_NIGHTS)
def test_night_shift_on_dst_nights(tz: str, night: date, length: timedelta) -> None:
    """A 22:00–06:00 shift counts 7 h on a spring-forward night, 9 h on a fall-back night."""
    cal = night_shift(tz)
    zone = ZoneInfo(tz)
    noon = datetime.combine(night, datetime.min.time(), zone) + timedelta(hours=12)
    assert cal.between(noon, noon + timedelta(hours=20)) == length
    close = cal.close_of_business(night)
    assert close is not None
    expected = datetime.combine(night + timedelta(days=1), time(6), zone)
    assert iso(close) == iso(expected)


def test_night_shift_add_on_spring_forward_night_berlin() -> None:
    """Berlin 2026-03-28: 7 h from 22:00 is the 06:00 CEST close; 8 h is 23:00 the next night."""
    cal = night_shift("Europe/Berlin")
    start = datetime(2026, 3, 28, 22, tzinfo=BERLIN)
    assert iso(cal.add(start, BusinessHours(7))) == "2026-03-29T06:00:00+02:00"
    assert iso(cal.add(start, BusinessHours(8))) == "2026-03-29T23:00:00+02:00"
    assert iso(cal.add(start, BusinessHours(4))) == "2026-03-29T03:00:00+02:00"
    assert iso(cal.add(start, BusinessDays(0))) == "2026-03-29T06:00:00+02:00"


def test_night_shift_add_on_fall_back_night_new_york() -> None:
    """New York 2026-10-31: 9 h from 22:00 is the 06:00 EST close; 3 h and 4 h are both 01:00."""
    cal = night_shift("America/New_York")
    start = datetime(2026, 10, 31, 22, tzinfo=NEW_YORK)
    assert iso(cal.add(start, BusinessHours(9))) == "2026-11-01T06:00:00-05:00"
    assert iso(cal.add(start, BusinessHours(3))) == "2026-11-01T01:00:00-04:00"
    assert iso(cal.add(start, BusinessHours(4))) == "2026-11-01T01:00:00-05:00"
    assert iso(cal.add(start, BusinessHours(10))) == "2026-11-01T23:00:00-05:00"


def test_day_calendar_closes_keep_local_wall_time_across_dst() -> None:
    """Close of business is 17:00 local before and after Berlin's clock change."""
    cal = BusinessCalendar(
        timezone="Europe/Berlin",
        hours={"mon-fri": [("09:00", "17:00")]},
        valid_from=date(2026, 1, 1),
        valid_until=date(2026, 12, 31),
    )
    before = cal.close_of_business(date(2026, 3, 27))
    after = cal.close_of_business(date(2026, 3, 30))
    assert before is not None
    assert after is not None
    assert iso(before) == "2026-03-27T17:00:00+01:00"
    assert iso(after) == "2026-03-30T17:00:00+02:00"
    friday = datetime(2026, 3, 27, 16, tzinfo=BERLIN)
    assert iso(cal.add(friday, BusinessHours(2))) == "2026-03-30T10:00:00+02:00"
    assert cal.between(friday, datetime(2026, 3, 30, 10, tzinfo=BERLIN)) == timedelta(hours=2)


# -- between, is_open, next_open -------------------------------------------------------


def test_between_examples() -> None:
    """between counts open time in [start, end): lunch, nights, weekends and holidays excluded."""
    assert CHINA.between(sh(2026, 11, 23, 10), sh(2026, 11, 23, 14)) == timedelta(hours=3)
    assert CHINA.between(sh(2026, 11, 23), sh(2026, 11, 30)) == timedelta(hours=40)
    assert CHINA.between(sh(2026, 11, 28, 10), sh(2026, 11, 29, 10)) == timedelta(0)
    # Sep 30 (8 h), Oct 1–7 closed, Oct 8 (8 h).
    assert CHINA.between(sh(2026, 9, 30), sh(2026, 10, 9)) == timedelta(hours=16)
    # Make-up Saturday Feb 14 counts; Feb 15–23 do not.
    assert CHINA.between(sh(2026, 2, 14), sh(2026, 2, 24)) == timedelta(hours=8)
    assert CHINA.between(sh(2026, 11, 23, 10), sh(2026, 11, 23, 10)) == timedelta(0)
    assert CHINA.between(sh(2026, 11, 23, 9), sh(2026, 11, 23, 9, 0, 0, 1)) == timedelta(
        microseconds=1
    )


def test_between_negative_when_end_before_start() -> None:
    """between(end, start) is minus between(start, end)."""
    assert CHINA.between(sh(2026, 11, 23, 14), sh(2026, 11, 23, 10)) == timedelta(hours=-3)
    assert CHINA.between(sh(2026, 11, 30), sh(2026, 11, 23)) == timedelta(hours=-40)


def test_between_mixed_zones() -> None:
    """between compares instants, whatever zone each argument is written in."""
    start = datetime(2026, 11, 23, 1, tzinfo=UTC)  # 09:00 Shanghai
    end = datetime(2026, 11, 23, 5, tzinfo=BERLIN)  # 12:00 Shanghai
    assert CHINA.between(start, end) == timedelta(hours=3)


def test_is_open_half_open_intervals() -> None:
    """Intervals are [open, close): 09:00 open, 12:00 closed, 11:59:59.999999 open."""
    assert CHINA.is_open(sh(2026, 11, 23, 9))
    assert CHINA.is_open(sh(2026, 11, 23, 11, 59, 59, 999_999))
    assert not CHINA.is_open(sh(2026, 11, 23, 12))
    assert CHINA.is_open(sh(2026, 11, 23, 13))
    assert not CHINA.is_open(sh(2026, 11, 23, 18))
    assert not CHINA.is_open(sh(2026, 11, 23, 8, 59, 59, 999_999))
    assert not CHINA.is_open(sh(2026, 11, 28, 10))  # Saturday
    assert CHINA.is_open(sh(2026, 2, 14, 10))  # make-up Saturday
    assert not CHINA.is_open(sh(2026, 10, 8, 8))
    assert not CHINA.is_open(sh(2026, 10, 2, 10))  # National Day


def test_next_open_examples() -> None:
    """next_open is the moment itself when open, else the next opening."""
    assert iso(CHINA.next_open(sh(2026, 11, 23, 10))) == "2026-11-23T10:00:00+08:00"
    assert iso(CHINA.next_open(sh(2026, 11, 23, 12))) == "2026-11-23T13:00:00+08:00"
    assert iso(CHINA.next_open(sh(2026, 11, 27, 18))) == "2026-11-30T09:00:00+08:00"
    assert iso(CHINA.next_open(sh(2026, 9, 30, 18))) == "2026-10-08T09:00:00+08:00"
    assert iso(CHINA.next_open(sh(2026, 2, 13, 19))) == "2026-02-14T09:00:00+08:00"
    assert zone_key(CHINA.next_open(datetime(2026, 11, 23, tzinfo=UTC))) == "Asia/Shanghai"


def test_close_of_business_examples() -> None:
    """close_of_business is 18:00 on working days (make-up days too) and None when closed."""
    monday = CHINA.close_of_business(date(2026, 11, 23))
    makeup = CHINA.close_of_business(date(2026, 2, 28))
    assert monday is not None
    assert makeup is not None
    assert iso(monday) == "2026-11-23T18:00:00+08:00"
    assert iso(makeup) == "2026-02-28T18:00:00+08:00"
    assert CHINA.close_of_business(date(2026, 11, 28)) is None
    assert CHINA.close_of_business(date(2026, 10, 5)) is None


# -- working days ------------------------------------------------------------------


def test_is_working_day_examples() -> None:
    """R-SLA-3: working days follow holidays and make-up days, not just the weekday."""
    assert CHINA.is_working_day(date(2026, 11, 23))
    assert not CHINA.is_working_day(date(2026, 11, 28))
    assert not CHINA.is_working_day(date(2026, 10, 1))
    assert CHINA.is_working_day(date(2026, 10, 10))  # make-up Saturday
    assert CHINA.is_working_day(date(2026, 9, 20))  # make-up Sunday
    assert not CHINA.is_working_day(date(2026, 2, 23))  # Monday inside Spring Festival


WORKDAY_CASES: list[tuple[date, int, date]] = [
    (date(2026, 9, 30), 1, date(2026, 10, 8)),
    (date(2026, 10, 8), -1, date(2026, 9, 30)),
    (date(2026, 10, 1), 1, date(2026, 10, 8)),
    (date(2026, 10, 1), -1, date(2026, 9, 29)),  # rolls back to Sep 30, then one more
    (date(2026, 10, 1), 0, date(2026, 10, 1)),
    (date(2026, 11, 28), 0, date(2026, 11, 28)),
    (date(2026, 2, 13), 1, date(2026, 2, 14)),
    (date(2026, 2, 13), 7, date(2026, 3, 2)),
    (date(2026, 3, 2), -7, date(2026, 2, 13)),
    (date(2026, 11, 23), 5, date(2026, 11, 30)),
    (date(2026, 11, 28), 1, date(2026, 11, 30)),
    (date(2026, 11, 28), -1, date(2026, 11, 26)),
]


@pytest.mark.parametrize(("day", "n", "expected"), WORKDAY_CASES)
def test_add_working_days_examples(day: date, n: int, expected: date) -> None:
    """add_working_days moves n working days; n == 0 returns the date itself."""
    assert CHINA.add_working_days(day, n) == expected


WDB_CASES: list[tuple[date, date, int]] = [
    (date(2026, 9, 30), date(2026, 10, 8), 1),
    (date(2026, 10, 8), date(2026, 9, 30), -1),
    (date(2026, 11, 23), date(2026, 11, 23), 0),
    (date(2026, 11, 23), date(2026, 11, 30), 5),
    (date(2026, 2, 13), date(2026, 3, 2), 7),
    (date(2026, 3, 2), date(2026, 2, 13), -7),
    (date(2026, 10, 1), date(2026, 10, 7), 0),
    (date(2026, 10, 1), date(2026, 9, 29), -1),
]


@pytest.mark.parametrize(("a", "b", "expected"), WDB_CASES)
def test_working_days_between_examples(a: date, b: date, expected: int) -> None:
    """working_days_between counts working days d with a < d <= b, negative when b < a."""
    assert CHINA.working_days_between(a, b) == expected


# -- horizon -----------------------------------------------------------------------


def test_business_days_past_horizon_raise() -> None:
    """A BusinessDays deadline beyond 2026-12-31 raises HorizonError instead of guessing."""
    with pytest.raises(HorizonError) as info:
        CHINA.add(sh(2026, 12, 31, 10), BusinessDays(1))
    assert info.value.needed == date(2027, 1, 1)
    assert iso(CHINA.add(sh(2026, 12, 31, 10), BusinessDays(0))) == "2026-12-31T18:00:00+08:00"


def test_business_hours_past_horizon_raise() -> None:
    """BusinessHours ending exactly at the last close work; one microsecond more raises."""
    start = sh(2026, 12, 31, 10)
    assert iso(CHINA.add(start, BusinessHours(7))) == "2026-12-31T18:00:00+08:00"
    with pytest.raises(HorizonError) as info:
        CHINA.add(start, BusinessHours(Decimal(7) + Decimal(1) / 3_600_000_000))
    assert info.value.needed == date(2027, 1, 1)


def test_next_open_past_horizon_raises() -> None:
    """After the last close of the horizon there is no known opening: HorizonError."""
    with pytest.raises(HorizonError) as info:
        CHINA.next_open(sh(2026, 12, 31, 18))
    assert info.value.needed == date(2027, 1, 1)


def test_add_working_days_past_horizon_end_raises() -> None:
    """add_working_days past valid_until raises HorizonError naming a date after the horizon."""
    with pytest.raises(HorizonError) as info:
        CHINA.add_working_days(date(2026, 12, 31), 1)
    assert info.value.needed == date(2027, 1, 1)


def test_add_working_days_before_horizon_start_raises() -> None:
    """add_working_days before valid_from raises HorizonError naming a date before the horizon."""
    with pytest.raises(HorizonError) as info:
        CHINA.add_working_days(date(2020, 1, 2), -1)  # 2020-01-01 is a holiday
    assert info.value.needed < CHINA.valid_from


def test_horizon_error_before_first_overnight_names_outside_date() -> None:
    """An instant maybe in the unknown previous night's shift names a date before the horizon."""
    cal = night_shift("UTC")
    with pytest.raises(HorizonError) as info:
        cal.between(datetime(2026, 1, 1, 3, tzinfo=UTC), datetime(2026, 1, 2, tzinfo=UTC))
    assert info.value.needed < cal.valid_from


def test_last_night_shift_usable_up_to_its_close() -> None:
    """The last night shift runs past valid_until; between/is_open accept what add returns there."""
    cal = night_shift("UTC")
    start = datetime(2026, 12, 31, 23, tzinfo=UTC)
    result = cal.add(start, BusinessHours(2))
    assert result == datetime(2027, 1, 1, 1, tzinfo=UTC)
    assert cal.close_of_business(date(2026, 12, 31)) == datetime(2027, 1, 1, 6, tzinfo=UTC)
    assert cal.between(start, result) == timedelta(hours=2)
    assert cal.is_open(result)


def test_microseconds_exact_far_in_the_future() -> None:
    """Results keep every microsecond past 2242, where floats of epoch seconds no longer do."""
    cal = BusinessCalendar(
        timezone="Asia/Shanghai",
        hours={"mon-fri": [("09:00", "18:00")]},
        valid_from=date(2290, 1, 1),
        valid_until=date(2300, 12, 31),
    )
    start = datetime(2295, 3, 6, 10, 42, 25, 373330, tzinfo=ZoneInfo("Asia/Shanghai"))
    result = cal.add(start, BusinessHours(1))
    assert result == datetime(2295, 3, 6, 11, 42, 25, 373330, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert cal.between(start, result) == timedelta(hours=1)


def test_repeated_wall_hour_keeps_its_fold_far_in_the_future() -> None:
    """A result in the second 01:xx of a fall-back night is the later instant, microseconds kept."""
    berlin = ZoneInfo("Europe/Berlin")
    cal = BusinessCalendar(
        timezone="Europe/Berlin",
        hours={"mon-sun": [("00:00", "24:00")]},
        valid_from=date(2290, 1, 1),
        valid_until=date(2290, 12, 31),
    )
    # 2290-10-26 is the last Sunday of October: 03:00 CEST falls back to 02:00 CET.
    start = datetime(2290, 10, 26, 0, 30, tzinfo=berlin)
    result = cal.add(start, BusinessHours("2.500001"))
    assert result.fold == 1
    assert (result.hour, result.minute, result.microsecond) == (2, 0, 3600)
    assert cal.between(start, result) == timedelta(hours=2, minutes=30, microseconds=3600)
