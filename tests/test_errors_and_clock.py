"""Errors subclass the fitting builtins and carry typed fields; clocks behave."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from govkit.clock import Clock, SystemClock
from govkit.errors import (
    AuditIntegrityError,
    ConflictError,
    DeserializationError,
    FieldError,
    GovkitError,
    HorizonError,
    InvalidDefinitionError,
    InvalidTimeError,
    InvalidTransitionError,
    NaiveDatetimeError,
    NotPermittedError,
    StaleVersionError,
    UnknownNameError,
    UnknownTimezoneError,
)
from govkit.testing import ManualClock

T0 = datetime(2026, 11, 23, 9, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.mark.parametrize(
    ("error", "builtin"),
    [
        (InvalidDefinitionError("hours.mon[0]", "a pair", "x"), ValueError),
        (NaiveDatetimeError("at", datetime(2026, 1, 1)), ValueError),
        (UnknownTimezoneError("timezone", "Mars/Base"), ValueError),
        (HorizonError(date(2030, 1, 1), date(2020, 1, 1), date(2026, 12, 31)), ValueError),
        (NotPermittedError("li", "approve", "no grant"), PermissionError),
        (InvalidTransitionError("met", "pause"), ValueError),
        (UnknownNameError("role", "cfo"), LookupError),
        (StaleVersionError(3, 4), ValueError),
        (DeserializationError("X", [FieldError("$.a", "bad")]), ValueError),
        (AuditIntegrityError(2, "was altered"), ValueError),
    ],
)
def test_errors_subclass_govkit_and_builtin(error: GovkitError, builtin: type) -> None:
    """Every error is a GovkitError and the builtin a host would catch."""
    assert isinstance(error, GovkitError)
    assert isinstance(error, builtin)
    assert str(error)


def test_error_messages_name_field_and_expectation() -> None:
    """An invalid definition names the field path, what was expected and what arrived."""
    error = InvalidDefinitionError("hours.mon[1]", "a wall time 'HH:MM'", "25:00")
    assert error.field == "hours.mon[1]"
    assert str(error) == "hours.mon[1]: expected a wall time 'HH:MM', got '25:00'"
    assert isinstance(NaiveDatetimeError("at", None), InvalidTimeError)
    assert isinstance(StaleVersionError(1, 2), ConflictError)
    assert str(UnknownNameError("role", "cfo")) == "unknown role: 'cfo'"


def test_horizon_error_carries_dates() -> None:
    """A horizon error says which date was needed and which range is known."""
    error = HorizonError(date(2027, 1, 4), date(2020, 1, 1), date(2026, 12, 31))
    assert (error.needed, error.valid_until) == (date(2027, 1, 4), date(2026, 12, 31))
    assert "2027-01-04" in str(error)
    assert "2026-12-31" in str(error)


def test_deserialization_error_lists_every_field() -> None:
    """The message of a deserialization error lists each bad field on its own line."""
    error = DeserializationError("Event", [FieldError("$.at", "naive"), FieldError("$.x", "extra")])
    assert [e.path for e in error.errors] == ["$.at", "$.x"]
    assert "2 bad field(s)" in str(error)
    assert "$.x: extra" in str(error)


def test_system_clock_is_aware_and_in_its_zone() -> None:
    """SystemClock returns aware datetimes in the zone it was given."""
    clock = SystemClock("Asia/Shanghai")
    now = clock.now()
    assert now.utcoffset() == timedelta(hours=8)
    assert isinstance(clock, Clock)
    assert abs(now - datetime.now(UTC)) < timedelta(minutes=1)


def test_system_clock_refuses_unknown_zone() -> None:
    """An unknown zone name fails at construction, naming the field."""
    with pytest.raises(UnknownTimezoneError) as caught:
        SystemClock("Asia/Shangai")
    assert caught.value.field == "timezone"


def test_manual_clock_moves_forward_only() -> None:
    """ManualClock advances and sets forward; going backwards is refused and changes nothing."""
    clock = ManualClock(T0)
    assert isinstance(clock, Clock)
    assert clock.advance(timedelta(hours=1)) == T0 + timedelta(hours=1)
    with pytest.raises(InvalidTimeError):
        clock.set(T0)
    with pytest.raises(InvalidTimeError):
        clock.advance(timedelta(seconds=-1))
    assert clock.now() == T0 + timedelta(hours=1)
    assert clock.set(T0 + timedelta(days=1)) == T0 + timedelta(days=1)


def test_manual_clock_refuses_naive_start() -> None:
    """A naive start instant is refused."""
    with pytest.raises(NaiveDatetimeError):
        ManualClock(datetime(2026, 11, 23, 9))
    with pytest.raises(NaiveDatetimeError):
        ManualClock(T0).set(datetime(2027, 1, 1))
