"""Durations that say what kind of time they count.

``timedelta`` is elapsed wall time, :class:`BusinessHours` counts open hours of
a calendar and :class:`BusinessDays` counts working days. Each has a text form
used in policy files and JSON (see :func:`parse_duration`).
"""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from fractions import Fraction

import attrs

from govkit.calendar._period import Period
from govkit.errors import InvalidDefinitionError

__all__ = ["BusinessDays", "BusinessHours", "Duration", "format_duration", "parse_duration"]


_US_PER_HOUR = 3_600_000_000


def _to_decimal(value: object) -> Decimal:
    if isinstance(value, bool):
        raise InvalidDefinitionError("BusinessHours.hours", "a number of hours", value)
    try:
        if isinstance(value, Decimal):
            number = value
        elif isinstance(value, int | str):
            number = Decimal(value)
        elif isinstance(value, float):
            # repr() gives the shortest decimal that round-trips: 0.1 stays 0.1.
            number = Decimal(repr(value))
        elif isinstance(value, Fraction):
            number = Decimal(value.numerator) / Decimal(value.denominator)
        else:
            raise InvalidDefinitionError("BusinessHours.hours", "a number of hours", value)
    except InvalidOperation:
        raise InvalidDefinitionError("BusinessHours.hours", "a number of hours", value) from None
    if not number.is_finite() or number < 0:
        raise InvalidDefinitionError("BusinessHours.hours", "a finite number >= 0", value)
    return number


@attrs.frozen
class BusinessHours:
    """A number of open hours of a business calendar (whole or fractional).

    The amount is kept as an exact ``Decimal``; arithmetic is done in whole
    microseconds (amounts finer than that round half-even).

    >>> BusinessHours(8)
    BusinessHours(hours=Decimal('8'))
    >>> BusinessHours(1.5).microseconds
    5400000000
    """

    hours: Decimal = attrs.field(converter=_to_decimal)
    _us: int = attrs.field(init=False, eq=False, repr=False, hash=False)

    def __attrs_post_init__(self) -> None:
        us = (self.hours * _US_PER_HOUR).to_integral_value()
        object.__setattr__(self, "_us", int(us))

    @property
    def microseconds(self) -> int:
        """The amount in whole microseconds of open time."""
        return self._us

    def as_timedelta(self) -> timedelta:
        """The amount as a ``timedelta`` (of open time, not wall time)."""
        return timedelta(microseconds=self._us)

    def __str__(self) -> str:
        return format_duration(self)


def _whole_days(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidDefinitionError("BusinessDays.days", "a whole number of days >= 0", value)
    return value


@attrs.frozen
class BusinessDays:
    """A number of working days, counted as the PRC Civil Code counts days.

    The start day is not counted; the deadline is the close of business of
    the last working day. ``BusinessDays(0)`` is the close of business of the
    start day (or of the next working day when the start day is closed or
    already past its close).

    >>> BusinessDays(5)
    BusinessDays(days=5)
    """

    days: int = attrs.field(converter=_whole_days)

    def __str__(self) -> str:
        return format_duration(self)


Duration = timedelta | BusinessHours | BusinessDays | Period
"""Any amount of time govkit can add to an instant: elapsed time, open hours,
working days or a calendar period."""

_ISO = re.compile(
    r"^(?P<sign>-)?P(?:(?P<w>\d+)W)?(?:(?P<d>\d+)D)?"
    r"(?:T(?:(?P<h>\d+)H)?(?:(?P<m>\d+)M)?(?:(?P<s>\d+(?:\.\d{1,6})?)S)?)?$"
)
_BUSINESS = re.compile(r"^(?P<n>\d+(?:\.\d+)?)\s+business\s+(?P<unit>hours?|days?)$")
_PERIOD_WORDS = re.compile(
    r"^(?:(?P<y>\d+)\s+years?)?\s*(?:(?P<m>\d+)\s+months?)?\s*(?:(?P<d>\d+)\s+calendar\s+days?)?$"
)
_PERIOD_ISO = re.compile(r"^P(?:(?P<y>\d+)Y)?(?:(?P<m>\d+)M)?(?:(?P<d>\d+)D)?$")


def parse_duration(text: str, *, field: str = "duration") -> Duration:
    """Read a duration from its text form.

    Accepted forms:

    * ISO 8601 elapsed time: ``PT24H``, ``P5D``, ``P1DT2H30M``, ``PT0.5S``,
      ``P2W``, with an optional leading ``-``. Years and months are refused:
      they have no fixed length.
    * ``"8 business hours"`` (fractions allowed: ``"0.5 business hours"``).
    * ``"5 business days"`` (whole days).
    * a calendar :class:`Period`: ``"3 months"``, ``"1 year 6 months"``,
      ``"5 calendar days"``, or ISO 8601 with years or months (``P3M``, ``P1Y``).
      A plain ``P5D`` is elapsed time (5 × 24 hours), not a period.

    >>> parse_duration("PT24H")
    datetime.timedelta(days=1)
    >>> parse_duration("5 business days")
    BusinessDays(days=5)

    Raises:
        InvalidDefinitionError: the text is none of these forms.
    """
    if not isinstance(text, str):
        raise InvalidDefinitionError(field, "a duration text such as 'PT24H'", text)
    cleaned = text.strip()
    business = _BUSINESS.match(cleaned)
    if business:
        number = business["n"]
        if business["unit"].startswith("hour"):
            return BusinessHours(Decimal(number))
        if "." in number:
            raise InvalidDefinitionError(field, "a whole number of business days", text)
        return BusinessDays(int(number))
    period = _PERIOD_ISO.match(cleaned) if ("Y" in cleaned or "M" in cleaned) else None
    period = period or (_PERIOD_WORDS.match(cleaned) if cleaned and cleaned[0].isdigit() else None)
    if period and any(period.groupdict().values()):
        counts = {k: int(v) for k, v in period.groupdict().items() if v is not None}
        if not any(counts.values()):
            raise InvalidDefinitionError(field, "a period longer than zero", text)
        return Period(years=counts.get("y", 0), months=counts.get("m", 0), days=counts.get("d", 0))
    iso = _ISO.match(cleaned)
    if not iso or cleaned in {"P", "-P"} or cleaned.endswith("T"):
        raise InvalidDefinitionError(
            field,
            "ISO 8601 'PnDTnHnMnS' or 'PnYnMnD', 'N business hours', 'N business days' "
            "or 'N years M months D calendar days'",
            text,
        )
    parts = {k: v for k, v in iso.groupdict().items() if k != "sign" and v is not None}
    if not parts:
        raise InvalidDefinitionError(field, "a duration with at least one component", text)
    delta = timedelta(
        weeks=int(parts.get("w", 0)),
        days=int(parts.get("d", 0)),
        hours=int(parts.get("h", 0)),
        minutes=int(parts.get("m", 0)),
        microseconds=int(Decimal(parts.get("s", "0")) * 1_000_000),
    )
    return -delta if iso["sign"] else delta


def _format_timedelta(delta: timedelta) -> str:
    sign = "-" if delta < timedelta(0) else ""
    total_us = abs(delta) // timedelta(microseconds=1)
    # Elapsed time is written in hours, never days: "P1D" reads like a calendar
    # day, which is not always 24 hours long.
    hours, rest_us = divmod(total_us, 3_600_000_000)
    minutes, rest_us = divmod(rest_us, 60_000_000)
    seconds, micros = divmod(rest_us, 1_000_000)
    out = f"{sign}P"
    time_part = ""
    if hours:
        time_part += f"{hours}H"
    if minutes:
        time_part += f"{minutes}M"
    if seconds or micros:
        frac = f".{micros:06d}".rstrip("0") if micros else ""
        time_part += f"{seconds}{frac}S"
    if time_part:
        out += "T" + time_part
    if out.endswith("P"):
        out += "T0S"
    return out


def format_duration(duration: Duration) -> str:
    """Write a duration in the text form :func:`parse_duration` reads.

    >>> from datetime import timedelta
    >>> format_duration(timedelta(days=1))
    'PT24H'
    >>> format_duration(BusinessHours(1))
    '1 business hour'
    """
    if isinstance(duration, BusinessHours):
        number = format(duration.hours, "f")
        if "." in number:  # strip trailing zeros without normalize()'s 28-digit rounding
            number = number.rstrip("0").rstrip(".")
        return f"{number} business hour{'' if duration.hours == 1 else 's'}"
    if isinstance(duration, BusinessDays):
        return f"{duration.days} business day{'' if duration.days == 1 else 's'}"
    if isinstance(duration, Period):
        words = [
            f"{n} {unit}{'' if n == 1 else 's'}"
            for n, unit in (
                (duration.years, "year"),
                (duration.months, "month"),
                (duration.days, "calendar day"),
            )
            if n
        ]
        return " ".join(words)
    if isinstance(duration, timedelta):
        return _format_timedelta(duration)
    raise InvalidDefinitionError("duration", "a timedelta, BusinessHours or BusinessDays", duration)
