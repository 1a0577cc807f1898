"""Where "now" comes from.

Library code never calls ``datetime.now()``: operations take ``at=`` or read
an injected :class:`Clock`. Hosts pass :class:`SystemClock` in production and
:class:`govkit.testing.ManualClock` in tests.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol, runtime_checkable

import attrs

from govkit._time import zone

__all__ = ["Clock", "SystemClock"]


@runtime_checkable
class Clock(Protocol):
    """Anything that can tell the current instant as an aware datetime."""

    def now(self) -> datetime:
        """Return the current instant, timezone-aware."""
        ...


@attrs.frozen
class SystemClock:
    """The machine's clock.

    Args:
        timezone: IANA zone the returned datetimes are expressed in (default UTC).
    """

    timezone: str = attrs.field(default="UTC")

    @timezone.validator
    def _check_timezone(self, _attribute: object, value: str) -> None:
        zone(value)

    def now(self) -> datetime:
        """Return the current instant in :attr:`timezone`."""
        return datetime.now(UTC).astimezone(zone(self.timezone))
