"""Calendar periods: years, months and calendar days (relativedelta semantics)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import attrs
from dateutil.relativedelta import relativedelta

from govkit._time import require_aware
from govkit.errors import InvalidDefinitionError

__all__ = ["Period"]


def _count(_instance: object, attribute: attrs.Attribute[int], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidDefinitionError(f"Period.{attribute.name}", "a whole number >= 0", value)


@attrs.frozen
class Period:
    """A span of calendar time: years, months and calendar days.

    Counting follows the PRC Civil Code (arts. 201–203): the start day is not
    counted; a period of months or years ends on the *corresponding day* of
    the last month, and when that month has no such day, on its last day. So
    ``2024-02-29 + Period(years=5)`` ends on ``2029-02-28`` and
    ``2026-01-31 + Period(months=1)`` on ``2026-02-28``. Years and months are
    added before days, as ``dateutil.relativedelta`` does.

    >>> from datetime import date
    >>> Period(years=5).corresponding_date(date(2024, 2, 29))
    datetime.date(2029, 2, 28)
    """

    years: int = attrs.field(default=0, kw_only=True, validator=_count)
    months: int = attrs.field(default=0, kw_only=True, validator=_count)
    days: int = attrs.field(default=0, kw_only=True, validator=_count)

    def __attrs_post_init__(self) -> None:
        if not (self.years or self.months or self.days):
            raise InvalidDefinitionError("Period", "at least one of years, months, days > 0", 0)

    def corresponding_date(self, start: date) -> date:
        """The last day of the period that starts the day after ``start``."""
        if isinstance(start, datetime) or not isinstance(start, date):
            raise InvalidDefinitionError("start", "a date", start)
        shifted: date = start + relativedelta(years=self.years, months=self.months)
        return shifted + timedelta(days=self.days)

    def end_of(self, start: datetime) -> datetime:
        """24:00 of the corresponding date, in ``start``'s zone (no business hours).

        This is the Civil Code's default end of a period's last day (art. 203).
        """
        moment = require_aware(start, "start")
        last = self.corresponding_date(moment.date())
        return datetime.combine(last + timedelta(days=1), time(), moment.tzinfo)

    def __str__(self) -> str:
        from govkit.calendar._durations import format_duration

        return format_duration(self)
