"""Recurring deadlines: reports due on the 5th of each month, at quarter end, every year."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from enum import Enum
from typing import Any, Literal
from zoneinfo import ZoneInfo

import attrs
from dateutil.rrule import DAILY, MONTHLY, WEEKLY, YEARLY, rrule

from govkit._enums import to_enum
from govkit._rrule import check_rule
from govkit._time import require_aware, zone
from govkit.calendar import BusinessCalendar
from govkit.errors import InvalidDefinitionError

__all__ = ["Occurrence", "RecurringDeadline", "Roll"]

_ANCHOR = datetime(2000, 1, 1)
_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
# How far rolling can move a date: longer than any run of closed days.
_ROLL_MARGIN = timedelta(days=40)


class Roll(Enum):
    """What happens to a due date that falls on a closed day."""

    PRECEDING = "preceding"
    """Move back to the last working day before it."""
    FOLLOWING = "following"
    """Move on to the next working day (Civil Code art. 203)."""
    NONE = "none"
    """Keep the date."""


def _rule(value: object) -> str:
    check_rule(value, "rule", _ANCHOR)
    text = str(value).strip()
    if "\n" not in text:
        text = text.removeprefix("RRULE:")  # one rule line: keep it in one canonical form
    return text


def _roll(value: object) -> Roll:
    return to_enum(Roll, value, "roll")


def _time(value: object) -> str:
    if value == "close" or (isinstance(value, str) and _HHMM.match(value)):
        return str(value)
    raise InvalidDefinitionError("time", "'HH:MM' or 'close' (close of business)", value)


def _window(_instance: object, _attribute: attrs.Attribute[int | None], value: int | None) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
        raise InvalidDefinitionError(
            "window", "a whole number of working days >= 1, or None", value
        )


@attrs.frozen
class Occurrence:
    """One due instance of a recurring deadline.

    Attributes:
        nominal: The date the rule names (before rolling).
        due: The due instant (after rolling, at the deadline's time).
        opens: When the window to deliver opens, if the deadline has one.
    """

    nominal: date
    due: datetime
    opens: datetime | None


@attrs.frozen(kw_only=True)
class RecurringDeadline:
    """A deadline that recurs by an RFC 5545 rule, on a business calendar.

    Args:
        name: What is due, e.g. ``"monthly report"``.
        rule: An RRULE (``"FREQ=MONTHLY;BYMONTHDAY=5"``); may carry its own
            ``DTSTART``, otherwise dates count from 2000-01-01.
        calendar: The calendar that says which days are working days.
        roll: What to do when the rule's date is closed.
        time: ``"HH:MM"`` local time, or ``"close"`` for the close of business
            (24:00 when the day stays closed under ``Roll.NONE``).
        window: Working days before the due instant during which delivery is
            expected (``"within the last 3 days of the quarter"``); the window
            opens at the close of business that many working days before.

    >>> from govkit.calendar import BusinessCalendar
    >>> monthly = RecurringDeadline(name="monthly report", rule="FREQ=MONTHLY;BYMONTHDAY=5",
    ...                             calendar=BusinessCalendar.china())
    >>> from datetime import datetime
    >>> from zoneinfo import ZoneInfo
    >>> monthly.next_due(datetime(2026, 9, 10, tzinfo=ZoneInfo("Asia/Shanghai"))).due.isoformat()
    '2026-10-08T18:00:00+08:00'
    """

    name: str = attrs.field(validator=attrs.validators.instance_of(str))
    rule: str = attrs.field(converter=_rule)
    calendar: BusinessCalendar = attrs.field(
        validator=attrs.validators.instance_of(BusinessCalendar)
    )
    roll: Roll = attrs.field(default=Roll.FOLLOWING, converter=_roll)
    time: str = attrs.field(default="close", converter=_time)
    window: int | None = attrs.field(default=None, validator=_window)

    @classmethod
    def from_parts(
        cls,
        *,
        name: str,
        calendar: BusinessCalendar,
        freq: str,
        roll: Roll | str = Roll.FOLLOWING,
        time: str = "close",
        window: int | None = None,
        **parts: Any,
    ) -> RecurringDeadline:
        """Build the rule from keyword parts, e.g. ``freq="monthly", bymonthday=5``.

        ``parts`` are dateutil ``rrule`` keywords (``interval``, ``bymonth``,
        ``bymonthday``, ``byweekday`` …).
        """
        frequencies: dict[str, Literal[0, 1, 2, 3]] = {
            "yearly": YEARLY,
            "monthly": MONTHLY,
            "weekly": WEEKLY,
            "daily": DAILY,
        }
        if freq.lower() not in frequencies:
            raise InvalidDefinitionError("freq", f"one of {', '.join(frequencies)}", freq)
        try:
            built = rrule(frequencies[freq.lower()], dtstart=_ANCHOR, **parts)
        except (ValueError, TypeError) as exc:
            raise InvalidDefinitionError("parts", f"valid rrule keywords ({exc})", parts) from None
        text = str(built).split("\n", 1)[1]  # the RRULE line; the anchor is implied
        return cls(
            name=name, rule=text, calendar=calendar, roll=Roll(roll), time=time, window=window
        )

    def _dates(self, start: date) -> Iterator[date]:
        rule = check_rule(self.rule, "rule", _ANCHOR)
        after = datetime.combine(start, time()) - timedelta(microseconds=1)
        for moment in rule.xafter(after, inc=True):
            yield moment.date()

    def _occurrence(self, nominal: date) -> Occurrence:
        calendar = self.calendar
        day = nominal
        if self.roll is Roll.FOLLOWING:
            day = calendar.roll_forward(day)
        elif self.roll is Roll.PRECEDING:
            day = calendar.roll_backward(day)
        if self.time == "close":
            closing = calendar.close_of_business(day)
            if closing is None:
                due = datetime.combine(day + timedelta(days=1), time(), _zone(calendar))
            else:
                due = closing
        else:
            hours, minutes = (int(part) for part in self.time.split(":"))
            due = datetime.combine(day, time(hours, minutes), _zone(calendar))
        opens = None
        if self.window is not None:
            first = calendar.add_working_days(day, -self.window)
            opens = calendar.close_of_business(first)
        return Occurrence(nominal=nominal, due=due, opens=opens)

    def _from(self, moment: datetime) -> Iterator[Occurrence]:
        """Occurrences whose due instant may be at or after ``moment``, in order.

        Rolling never reorders dates (a later date never rolls before an
        earlier one), so due instants come out in order and the scan can
        start a little before ``moment``: no run of closed days is that long.
        """
        first = max(
            moment.astimezone(_zone(self.calendar)).date() - _ROLL_MARGIN, self.calendar.valid_from
        )
        for nominal in self._dates(first):
            yield self._occurrence(nominal)

    def occurrences(self, start: datetime, end: datetime) -> list[Occurrence]:
        """Every occurrence whose due instant lies in ``[start, end)``, in order."""
        start = require_aware(start, "start")
        end = require_aware(end, "end")
        last_day = end.astimezone(_zone(self.calendar)).date()
        found = []
        first = max(
            start.astimezone(_zone(self.calendar)).date() - _ROLL_MARGIN, self.calendar.valid_from
        )
        for nominal in self._dates(first):
            # Only a preceding roll can bring a later date back into the range.
            if self.roll is not Roll.PRECEDING and nominal > last_day:
                break
            occurrence = self._occurrence(nominal)
            if occurrence.due >= end:
                break
            if occurrence.due >= start:
                found.append(occurrence)
        return found

    def next_due(self, after: datetime) -> Occurrence:
        """The first occurrence due strictly after ``after``.

        Raises:
            HorizonError: the calendar does not reach far enough.
            InvalidDefinitionError: the rule has no occurrence after ``after``.
        """
        after = require_aware(after, "after")
        for occurrence in self._from(after):
            if occurrence.due > after:
                return occurrence
        raise InvalidDefinitionError("rule", "a rule with occurrences after the instant", after)


def _zone(calendar: BusinessCalendar) -> ZoneInfo:
    return zone(calendar.timezone)
