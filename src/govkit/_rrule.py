"""Checking RFC 5545 recurrence rules before dateutil reads them (private).

dateutil accepts some impossible rules (``BYMONTHDAY=40``) and then searches
for an occurrence for a long time before giving up; govkit refuses them when
the definition is made.
"""

from __future__ import annotations

import re
from datetime import datetime

from dateutil.rrule import rrule, rrulestr

from govkit.errors import InvalidDefinitionError

__all__ = ["check_rule"]

_RANGES = (("BYMONTHDAY", 1, 31), ("BYMONTH", 1, 12), ("BYYEARDAY", 1, 366), ("BYWEEKNO", 1, 53))


def check_rule(value: object, field: str, dtstart: datetime) -> rrule:
    """Parse ``value`` as an RRULE anchored at ``dtstart``, or raise naming ``field``."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidDefinitionError(field, "an RFC 5545 RRULE such as 'FREQ=MONTHLY'", value)
    for part, low, high in _RANGES:
        found = re.search(rf"{part}=([-+\d,]+)", value)
        numbers = [int(n) for n in found.group(1).split(",") if n] if found else []
        if any(not low <= abs(n) <= high for n in numbers):
            raise InvalidDefinitionError(field, f"{part} values within ±{low}..{high}", value)
    try:
        parsed = rrulestr(value.strip(), dtstart=dtstart)
    except (ValueError, TypeError) as exc:
        raise InvalidDefinitionError(field, f"an RFC 5545 RRULE ({exc})", value) from None
    if not isinstance(parsed, rrule):
        raise InvalidDefinitionError(field, "a single RRULE, not a rule set", value)
    return parsed
