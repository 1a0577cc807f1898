"""Calendars built from the third-party ``holidays`` package (private)."""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from govkit.errors import InvalidDefinitionError

if TYPE_CHECKING:
    from govkit.calendar._calendar import BusinessCalendar

__all__ = ["from_holidays_package"]


def _holidays_module() -> Any:
    try:
        return importlib.import_module("holidays")
    except ImportError:
        raise InvalidDefinitionError(
            "holidays", "the optional 'holidays' package: pip install 'govkit[holidays]'", None
        ) from None


def from_holidays_package(
    cls: type[BusinessCalendar],
    country: str,
    *,
    years: Iterable[int],
    timezone: str,
    hours: Mapping[str, Iterable[tuple[str, str]]],
    subdiv: str | None,
) -> BusinessCalendar:
    """Build a calendar from ``holidays.country_holidays`` (see ``from_holidays``)."""
    module = _holidays_module()
    year_list = sorted(set(years))
    if not year_list or not all(isinstance(y, int) and not isinstance(y, bool) for y in year_list):
        raise InvalidDefinitionError("years", "a non-empty collection of years", years)
    try:
        table = module.country_holidays(country, subdiv=subdiv, years=year_list)
    except NotImplementedError:
        raise InvalidDefinitionError(
            "country", "a country code the holidays package knows", country
        ) from None
    closed = sorted(day for day in table if isinstance(day, date))
    # Make-up working days (China's 调休, for example) where the package has them.
    weekend_workdays = getattr(table, "weekend_workdays", ()) or ()
    first, last = date(year_list[0], 1, 1), date(year_list[-1], 12, 31)
    workdays = sorted(d for d in weekend_workdays if first <= d <= last and d not in table)
    return cls(
        timezone=timezone,
        hours=hours,
        holidays=[d for d in closed if first <= d <= last],
        workdays=workdays,
        valid_from=first,
        valid_until=last,
        name=f"holidays:{country}{'-' + subdiv if subdiv else ''}",
    )
