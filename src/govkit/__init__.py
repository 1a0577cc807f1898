"""govkit: typed governance primitives that host applications embed.

The main nouns are re-exported here; each subpackage documents its own.
"""

from govkit.audit import AuditEntry, AuditLog, Event
from govkit.calendar import BusinessCalendar, BusinessDays, BusinessHours
from govkit.clock import Clock, SystemClock
from govkit.errors import (
    AuditIntegrityError,
    ConflictError,
    DeserializationError,
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
from govkit.serialization import from_json, make_converter, to_json

__all__ = [
    "AuditEntry",
    "AuditIntegrityError",
    "AuditLog",
    "BusinessCalendar",
    "BusinessDays",
    "BusinessHours",
    "Clock",
    "ConflictError",
    "DeserializationError",
    "Event",
    "GovkitError",
    "HorizonError",
    "InvalidDefinitionError",
    "InvalidTimeError",
    "InvalidTransitionError",
    "NaiveDatetimeError",
    "NotPermittedError",
    "StaleVersionError",
    "SystemClock",
    "UnknownNameError",
    "UnknownTimezoneError",
    "from_json",
    "make_converter",
    "to_json",
]

__version__ = "0.1.0.dev0"
