"""The one converter: wire forms, exact round trips and complete error reports."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from enum import Enum
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govkit.audit import Event
from govkit.calendar import BusinessCalendar, BusinessDays, BusinessHours, Duration
from govkit.errors import DeserializationError
from govkit.serialization import from_json, make_converter, structure, to_json, unstructure

SHANGHAI = ZoneInfo("Asia/Shanghai")
ZONES = [ZoneInfo(name) for name in ("Asia/Shanghai", "Europe/Berlin", "America/New_York", "UTC")]


class Priority(Enum):
    HIGH = "high"
    LOW = "low"


@attrs.frozen
class Sample:
    at: datetime
    day: date
    amount: Decimal
    target: Duration
    priority: Priority


aware_datetimes = st.datetimes(
    min_value=datetime(1971, 1, 1),
    max_value=datetime(2099, 12, 31),
    timezones=st.sampled_from(ZONES),
    allow_imaginary=False,  # wall times skipped by a DST change name no instant
)
durations: st.SearchStrategy[Duration] = st.one_of(
    st.timedeltas(min_value=timedelta(days=-3000), max_value=timedelta(days=3000)),
    st.builds(BusinessHours, st.decimals(min_value=0, max_value=10_000, places=3)),
    st.builds(BusinessDays, st.integers(min_value=0, max_value=5000)),
)
samples = st.builds(
    Sample,
    at=aware_datetimes,
    day=st.dates(),
    amount=st.decimals(allow_nan=False, allow_infinity=False),
    target=durations,
    priority=st.sampled_from(Priority),
)


@given(samples)
@settings(max_examples=200)
def test_round_trip_is_exact(sample: Sample) -> None:
    """Anything built from govkit wire types survives JSON and back unchanged, zone included."""
    loaded = from_json(to_json(sample), Sample)
    assert loaded == sample
    assert loaded.at.tzinfo == sample.at.tzinfo
    assert loaded.at.utcoffset() == sample.at.utcoffset()
    assert str(loaded.amount) == str(sample.amount)


@given(durations)
def test_duration_union_round_trips(duration: Duration) -> None:
    """A duration of any kind comes back as the same kind and amount."""
    converter = make_converter()
    wire = converter.unstructure(duration, Duration)
    # cattrs types a union argument as type[Never]; the hook for it is registered.
    assert converter.structure(wire, Duration) == duration  # type: ignore[arg-type]


def test_wire_forms() -> None:
    """Datetimes carry offset and zone, decimals are strings, durations text, enums values."""
    sample = Sample(
        at=datetime(2026, 11, 23, 10, tzinfo=SHANGHAI),
        day=date(2026, 11, 30),
        amount=Decimal("50000.10"),
        target=BusinessDays(5),
        priority=Priority.HIGH,
    )
    assert unstructure(sample) == {
        "at": "2026-11-23T10:00:00+08:00[Asia/Shanghai]",
        "day": "2026-11-30",
        "amount": "50000.10",
        "target": "5 business days",
        "priority": "high",
    }
    assert unstructure(timedelta(hours=24)) == "PT24H"
    assert unstructure(BusinessHours(0.5)) == "0.5 business hours"


def test_plain_offsets_are_accepted() -> None:
    """A datetime with an offset but no zone name loads as a fixed-offset instant."""
    at = structure("2026-11-23T02:00:00+00:00", datetime)
    assert at == datetime(2026, 11, 23, 2, tzinfo=UTC)
    assert at.utcoffset() == timedelta(0)
    assert unstructure(datetime(2026, 1, 1, tzinfo=timezone(timedelta(hours=8)))) == (
        "2026-01-01T00:00:00+08:00"
    )


def test_naive_datetimes_refused_both_ways() -> None:
    """Naive datetimes are refused when writing and when reading."""
    with pytest.raises(ValueError, match="timezone-aware"):
        unstructure(datetime(2026, 11, 23, 10))
    with pytest.raises(DeserializationError) as caught:
        structure("2026-11-23T10:00:00", datetime)
    assert "timezone-aware" in str(caught.value)


def test_every_bad_field_is_reported_with_its_path() -> None:
    """One error lists all bad fields: naive time, bad decimal, bad duration, unknown key."""
    data = {
        "at": "2026-11-23T10:00:00",
        "day": "2026-13-01",
        "amount": "0.1.2",
        "target": "3 fortnights",
        "priority": "urgent",
        "colour": "red",
    }
    with pytest.raises(DeserializationError) as caught:
        structure(data, Sample)
    paths = {error.path for error in caught.value.errors}
    assert {"$.at", "$.day", "$.amount", "$.target", "$.priority"} <= paths
    assert "$.colour" in paths
    assert caught.value.target == "Sample"


def test_missing_field_reported() -> None:
    """A missing required field is named."""
    with pytest.raises(DeserializationError) as caught:
        structure({"actor": "li", "action": "x", "subject": "C-1"}, Event)
    assert [e.path for e in caught.value.errors] == ["$.at"]


def test_not_json_is_a_deserialization_error() -> None:
    """Text that is not JSON fails with the same error type."""
    with pytest.raises(DeserializationError):
        from_json("{not json", Event)


def test_unknown_zone_name_in_brackets_refused() -> None:
    """A zone name that does not exist is refused, not dropped."""
    with pytest.raises(DeserializationError, match="IANA"):
        structure("2026-11-23T10:00:00+08:00[Asia/Shangai]", datetime)


calendars = st.builds(
    BusinessCalendar,
    timezone=st.sampled_from(["Asia/Shanghai", "Europe/Berlin", "UTC"]),
    hours=st.sampled_from(
        [
            {"mon-fri": [("09:00", "12:00"), ("13:00", "18:00")]},
            {"mon-sun": [("00:00", "24:00")]},
            {"mon-fri": [("22:00", "06:00")], "sat": [("10:00", "14:00")]},
        ]
    ),
    holidays=st.lists(
        st.dates(min_value=date(2025, 1, 1), max_value=date(2025, 6, 30)), max_size=5
    ),
    workdays=st.lists(
        st.dates(min_value=date(2025, 7, 1), max_value=date(2025, 12, 31)), max_size=3
    ),
    valid_from=st.just(date(2025, 1, 1)),
    valid_until=st.just(date(2026, 12, 31)),
)


@given(calendars)
@settings(max_examples=50)
def test_calendar_round_trip(calendar: BusinessCalendar) -> None:
    """A calendar's definition round-trips; its derived index is rebuilt on load."""
    text = to_json(calendar)
    loaded = from_json(text, BusinessCalendar)
    assert loaded == calendar
    assert hash(loaded) == hash(calendar)
    assert "_index" not in json.loads(text)
    day = date(2025, 3, 3)
    assert loaded.is_working_day(day) == calendar.is_working_day(day)


def test_china_calendar_json_is_readable() -> None:
    """The official calendar is written by name; a variant keys hours by weekday, dates as ISO."""
    assert json.loads(to_json(BusinessCalendar.china())) == "china"
    assert from_json('"china"', BusinessCalendar) is BusinessCalendar.china()
    variant = BusinessCalendar.china(holidays=[date(2026, 12, 31)])
    data = json.loads(to_json(variant))
    assert from_json(to_json(variant), BusinessCalendar) == variant
    assert "2026-12-31" in data["holidays"]
    assert data["hours"]["mon"] == [["09:00", "12:00"], ["13:00", "18:00"]]
    assert "2026-02-14" in data["workdays"]
    assert data["valid_until"] == "2026-12-31"


def test_calendar_load_names_bad_field() -> None:
    """A calendar with an unknown field or bad hours fails naming the field."""
    good = json.loads(to_json(BusinessCalendar.china(holidays=[date(2026, 12, 31)])))
    with pytest.raises(DeserializationError) as caught:
        structure({**good, "weekend": "sat"}, BusinessCalendar)
    assert caught.value.errors[0].path == "$.weekend"
    with pytest.raises(DeserializationError) as caught:
        structure({**good, "hours": {"mon": [["09:00", "25:00"]]}}, BusinessCalendar)
    assert caught.value.errors[0].path == "$.hours.mon[0][1]"


def test_calendar_load_reports_every_bad_field() -> None:
    """Loading a calendar with three bad fields reports all three, each at its path."""
    text = (
        '{"timezone": "Asia/Shangai", "hours": {"mon-fri": [["09:00", "25:00"]]},'
        ' "holidays": ["2026-13-01"], "colour": "red"}'
    )
    with pytest.raises(DeserializationError) as caught:
        from_json(text, BusinessCalendar)
    assert [e.path for e in caught.value.errors] == [
        "$.colour",
        "$.timezone",
        "$.hours.mon-fri[0][1]",
        "$.holidays[0]",
    ]
    with pytest.raises(DeserializationError) as caught:
        from_json('{"hours": {"mon": [["09:00", "17:00"]]}}', BusinessCalendar)
    assert [(e.path, e.message) for e in caught.value.errors] == [
        ("$.timezone", "required field missing")
    ]


def test_no_silent_coercion_of_scalars() -> None:
    """Numbers are not turned into text, nor text into numbers, nor strings into mappings."""
    data = {"actor": 5, "action": 5.5, "subject": True, "at": "2026-11-23T10:00:00+08:00"}
    with pytest.raises(DeserializationError) as caught:
        structure(data, Event)
    assert [e.path for e in caught.value.errors] == ["$.actor", "$.action", "$.subject"]
    good = {"actor": "li", "action": "x", "subject": "C-1", "at": "2026-11-23T10:00:00+08:00"}
    with pytest.raises(DeserializationError) as caught:
        structure({**good, "data": "email"}, Event)
    assert [e.path for e in caught.value.errors] == ["$.data"]


def test_unknown_fields_named_one_by_one() -> None:
    """Each unknown field gets its own path."""
    good = {"actor": "li", "action": "x", "subject": "C-1", "at": "2026-11-23T10:00:00+08:00"}
    with pytest.raises(DeserializationError) as caught:
        structure({**good, "colour": 1, "size": 2}, Event)
    assert [(e.path, e.message) for e in caught.value.errors] == [
        ("$.colour", "unknown field"),
        ("$.size", "unknown field"),
    ]
