"""The PRC legal working calendar, loaded from the package's data file (private)."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from functools import lru_cache
from importlib.resources import files
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from govkit.calendar._calendar import BusinessCalendar

__all__ = ["CHINA_HOURS", "china_calendar", "china_official_days"]

CHINA_HOURS: Mapping[str, Iterable[tuple[str, str]]] = {
    "mon-fri": [("09:00", "12:00"), ("13:00", "18:00")]
}


@lru_cache(maxsize=1)
def china_official_days() -> tuple[tuple[date, ...], tuple[date, ...], date, date]:
    """Return (rest days, make-up working days, first date, last date) from the data file."""
    raw: dict[str, Any] = tomllib.loads(
        files("govkit.calendar").joinpath("data/china.toml").read_text(encoding="utf-8")
    )
    rest: list[date] = []
    work: list[date] = []
    for year in raw["years"].values():
        for first, last in year["rest"]:
            day, end = date.fromisoformat(first), date.fromisoformat(last)
            while day <= end:
                rest.append(day)
                day += timedelta(days=1)
        work.extend(date.fromisoformat(text) for text in year["workdays"])
    meta = raw["meta"]
    first_day = date(int(meta["first_year"]), 1, 1)
    last_day = date(int(meta["last_year"]), 12, 31)
    return tuple(rest), tuple(work), first_day, last_day


def china_calendar(
    cls: type[BusinessCalendar],
    *,
    hours: Mapping[str, Iterable[tuple[str, str]]] | None,
    holidays: Iterable[date],
    workdays: Iterable[date],
) -> BusinessCalendar:
    """Build the China calendar; see :meth:`BusinessCalendar.china`."""
    holidays, workdays = tuple(holidays), tuple(workdays)
    if hours is None and not holidays and not workdays:
        # The standard calendar is shared, so its index is built once per process.
        return _standard_china(cls)
    return _build(cls, hours=hours, holidays=holidays, workdays=workdays)


_STANDARD: dict[type, BusinessCalendar] = {}


def _standard_china(cls: type[BusinessCalendar]) -> BusinessCalendar:
    calendar = _STANDARD.get(cls)
    if calendar is None:
        calendar = _STANDARD[cls] = _build(cls, hours=None, holidays=(), workdays=())
    return calendar


def _build(
    cls: type[BusinessCalendar],
    *,
    hours: Mapping[str, Iterable[tuple[str, str]]] | None,
    holidays: tuple[date, ...],
    workdays: tuple[date, ...],
) -> BusinessCalendar:
    rest, work, first_day, last_day = china_official_days()
    return cls(
        timezone="Asia/Shanghai",
        hours=CHINA_HOURS if hours is None else hours,
        holidays=(*rest, *holidays),
        workdays=(*work, *workdays),
        valid_from=first_day,
        valid_until=last_day,
        name="china",
    )
