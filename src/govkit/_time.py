"""Shared checks for instants and time zones (private)."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from govkit.errors import NaiveDatetimeError, UnknownTimezoneError

__all__ = ["require_aware", "zone"]


def require_aware(value: object, field: str) -> datetime:
    """Return ``value`` if it is a timezone-aware datetime, else raise."""
    if not isinstance(value, datetime):
        raise NaiveDatetimeError(field, value)
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        raise NaiveDatetimeError(field, value)
    return value


@lru_cache(maxsize=256)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def zone(name: object, field: str = "timezone") -> ZoneInfo:
    """Resolve an IANA time zone name, raising :class:`UnknownTimezoneError`."""
    if not isinstance(name, str) or not name or name != name.strip():
        raise UnknownTimezoneError(field, name)
    try:
        return _zone(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise UnknownTimezoneError(field, name) from None
