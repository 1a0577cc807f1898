"""Business calendars: working hours, holidays, make-up days and the arithmetic on them.

>>> from datetime import datetime
>>> from zoneinfo import ZoneInfo
>>> china = BusinessCalendar.china()
>>> received = datetime(2026, 11, 23, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
>>> china.add(received, BusinessDays(5)).isoformat()  # R-SLA-3
'2026-11-30T18:00:00+08:00'
"""

from govkit.calendar._calendar import BusinessCalendar
from govkit.calendar._durations import (
    BusinessDays,
    BusinessHours,
    Duration,
    format_duration,
    parse_duration,
)
from govkit.calendar._period import Period

__all__ = [
    "BusinessCalendar",
    "BusinessDays",
    "BusinessHours",
    "Duration",
    "Period",
    "format_duration",
    "parse_duration",
]
