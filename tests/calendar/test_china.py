"""The PRC legal working calendar: R-SLA-3, its horizon and its data file."""

from __future__ import annotations

import tomllib
from datetime import UTC, date, datetime, timedelta
from importlib.resources import files
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from govkit.calendar import BusinessCalendar, BusinessDays, BusinessHours
from govkit.errors import HorizonError

SH = ZoneInfo("Asia/Shanghai")
YEARS = range(2020, 2027)


def load_data() -> dict[str, Any]:
    """The packaged china.toml."""
    text = files("govkit.calendar").joinpath("data/china.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def test_r_sla_3_complaint_answer_due_in_five_working_days() -> None:
    """R-SLA-3: a complaint received Mon 2026-11-23 10:00 is due Mon 2026-11-30 18:00 +08:00."""
    china = BusinessCalendar.china()
    received = datetime(2026, 11, 23, 10, tzinfo=SH)
    due = china.add(received, BusinessDays(5))
    assert due.isoformat() == "2026-11-30T18:00:00+08:00"
    assert isinstance(due.tzinfo, ZoneInfo)
    assert due.tzinfo.key == "Asia/Shanghai"
    assert china.working_days_between(received.date(), due.date()) == 5


def test_r_sla_3_company_holiday_moves_deadline() -> None:
    """R-SLA-3: a company holiday on Fri 2026-11-27 added to china() moves the deadline to Tue."""
    china = BusinessCalendar.china(holidays=[date(2026, 11, 27)])
    due = china.add(datetime(2026, 11, 23, 10, tzinfo=SH), BusinessDays(5))
    assert due.isoformat() == "2026-12-01T18:00:00+08:00"


def test_r_sla_3_company_makeup_day_and_hours() -> None:
    """R-SLA-3: china() accepts extra make-up days and its own office hours."""
    china = BusinessCalendar.china(
        hours={"mon-fri": [("08:30", "12:00"), ("13:30", "17:30")]},
        workdays=[date(2026, 11, 28)],
    )
    due = china.add(datetime(2026, 11, 23, 10, tzinfo=SH), BusinessDays(5))
    assert due.isoformat() == "2026-11-28T17:30:00+08:00"
    assert china.next_open(datetime(2026, 11, 28, 7, tzinfo=SH)).isoformat() == (
        "2026-11-28T08:30:00+08:00"
    )


def test_r_sla_3_complaint_over_national_day() -> None:
    """R-SLA-3: received Tue 2025-09-30, 5 working days skip Oct 1–8 and count Sat Oct 11."""
    china = BusinessCalendar.china()
    due = china.add(datetime(2025, 9, 30, 15, tzinfo=SH), BusinessDays(5))
    # Oct 9 (1), Oct 10 (2), Sat Oct 11 make-up (3), Mon Oct 13 (4), Tue Oct 14 (5).
    assert due.isoformat() == "2025-10-14T18:00:00+08:00"


def test_china_definition() -> None:
    """china() is Asia/Shanghai, Mon–Fri 09–12/13–18, frozen and equal to itself rebuilt."""
    china = BusinessCalendar.china()
    assert china.timezone == "Asia/Shanghai"
    day = (("09:00", "12:00"), ("13:00", "18:00"))
    assert china.hours == tuple((name, day) for name in ("mon", "tue", "wed", "thu", "fri"))
    assert china == BusinessCalendar.china()
    assert hash(china) == hash(BusinessCalendar.china())
    assert china != BusinessCalendar.china(holidays=[date(2026, 11, 27)])


def test_china_horizon() -> None:
    """china() covers exactly 2020-01-01..2026-12-31 and refuses dates outside."""
    china = BusinessCalendar.china()
    assert china.valid_from == date(2020, 1, 1)
    assert china.valid_until == date(2026, 12, 31)
    for outside in (date(2019, 12, 31), date(2027, 1, 1)):
        with pytest.raises(HorizonError) as info:
            china.is_working_day(outside)
        assert info.value.needed == outside
    with pytest.raises(HorizonError) as late:
        china.add(datetime(2027, 1, 4, 10, tzinfo=SH), BusinessHours(1))
    assert late.value.needed == date(2027, 1, 4)
    with pytest.raises(HorizonError) as early:
        china.between(datetime(2019, 12, 31, 15, 59, tzinfo=UTC), datetime(2020, 1, 2, tzinfo=SH))
    assert early.value.needed == date(2019, 12, 31)


def test_china_horizon_edge_instants() -> None:
    """Shanghai midnight 2020-01-01 (16:00 UTC the day before) is inside; 1 µs earlier is not."""
    china = BusinessCalendar.china()
    first = datetime(2019, 12, 31, 16, tzinfo=UTC)
    assert china.next_open(first).isoformat() == "2020-01-02T09:00:00+08:00"
    with pytest.raises(HorizonError):
        china.next_open(first - timedelta(microseconds=1))


def test_data_file_notices_cover_every_year() -> None:
    """Each year 2020–2026 in china.toml names its notice, its rest days and make-up days."""
    data = load_data()
    assert data["meta"]["first_year"] == 2020
    assert data["meta"]["last_year"] == 2026
    assert data["meta"]["timezone"] == "Asia/Shanghai"
    assert sorted(data["years"]) == [str(y) for y in YEARS]
    for year in YEARS:
        entry = data["years"][str(year)]
        assert f"国务院办公厅关于{year}年部分节假日安排的通知" in entry["notice"]
        assert len(entry["rest"]) >= 6
        assert len(entry["workdays"]) >= 5
        for first, last in entry["rest"]:
            start, end = date.fromisoformat(first), date.fromisoformat(last)
            assert start.year == end.year == year
            assert start <= end
        for text in entry["workdays"]:
            makeup = date.fromisoformat(text)
            assert makeup.year == year
            assert makeup.weekday() >= 5  # make-up working days are weekend days


def test_data_file_matches_calendar() -> None:
    """Every rest day in china.toml is closed in china() and every make-up day is open."""
    china = BusinessCalendar.china()
    for entry in load_data()["years"].values():
        for first, last in entry["rest"]:
            day = date.fromisoformat(first)
            while day <= date.fromisoformat(last):
                assert not china.is_working_day(day), day
                day += timedelta(days=1)
        for text in entry["workdays"]:
            assert china.is_working_day(date.fromisoformat(text)), text


def test_2020_spring_festival_extension() -> None:
    """2020 Spring Festival ran Jan 24–Feb 2: Feb 1 and 2 rest, Sun Jan 19 was a make-up day."""
    china = BusinessCalendar.china()
    assert not china.is_working_day(date(2020, 2, 1))  # the cancelled make-up Saturday
    assert not china.is_working_day(date(2020, 2, 2))
    assert not china.is_working_day(date(2020, 1, 31))  # extension on a Friday
    assert china.is_working_day(date(2020, 1, 19))
    assert china.is_working_day(date(2020, 2, 3))
    due = china.add(datetime(2020, 1, 23, 10, tzinfo=SH), BusinessDays(1))
    assert due.isoformat() == "2020-02-03T18:00:00+08:00"
    # Jan 24..Feb 2 inclusive: ten closed days in a row.
    assert china.working_days_between(date(2020, 1, 23), date(2020, 2, 2)) == 0


@pytest.mark.parametrize(
    ("year", "working_days"),
    [(2020, 249), (2021, 250), (2022, 249), (2023, 249), (2024, 251), (2025, 248), (2026, 248)],
)
def test_working_days_per_year(year: int, working_days: int) -> None:
    """Each year's count of working days matches the official calendar (from holidays+notices)."""
    china = BusinessCalendar.china()
    start = date(year, 1, 1)
    count = china.working_days_between(start, date(year, 12, 31))
    count += 1 if china.is_working_day(start) else 0
    assert count == working_days
