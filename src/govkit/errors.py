"""The errors govkit raises.

Every error subclasses :class:`GovkitError` and the builtin it is closest to,
so ``except ValueError`` in a host application keeps working::

    GovkitError (Exception)
    ├── InvalidDefinitionError (ValueError)    a policy or definition is malformed
    ├── InvalidTimeError (ValueError)          a datetime cannot be used
    │   ├── NaiveDatetimeError                 it has no time zone
    │   └── UnknownTimezoneError               the IANA name does not exist
    ├── HorizonError (ValueError)              a date lies outside a calendar's horizon
    ├── NotPermittedError (PermissionError)    the actor lacks the authority
    ├── InvalidTransitionError (ValueError)    the run's state does not allow the action
    ├── UnknownNameError (LookupError)         a referenced name is not defined
    ├── ConflictError (ValueError)             concurrent change detected
    │   └── StaleVersionError                  the snapshot is older than the stored one
    ├── DeserializationError (ValueError)      data could not be loaded; lists every bad field
    └── AuditIntegrityError (ValueError)       an audit log was altered, cut or reordered

Errors carry typed attributes (``field``, ``expected``, ``got`` …) so that a
host can turn them into API responses without parsing messages.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import attrs

__all__ = [
    "AuditIntegrityError",
    "ConflictError",
    "DeserializationError",
    "FieldError",
    "GovkitError",
    "HorizonError",
    "InvalidDefinitionError",
    "InvalidTimeError",
    "InvalidTransitionError",
    "NaiveDatetimeError",
    "NotPermittedError",
    "StaleVersionError",
    "UnknownNameError",
    "UnknownTimezoneError",
]


class GovkitError(Exception):
    """Base class of every error govkit raises."""


class InvalidDefinitionError(GovkitError, ValueError):
    """A definition (policy, calendar, matrix …) is malformed.

    Attributes:
        field: Dotted path of the offending field, e.g. ``hours.mon[1]``.
        expected: What a valid value looks like.
        got: What arrived, as text.
    """

    def __init__(self, field: str, expected: str, got: object) -> None:
        self.field = field
        self.expected = expected
        self.got = got
        super().__init__(f"{field}: expected {expected}, got {got!r}")


class InvalidTimeError(GovkitError, ValueError):
    """A datetime or time zone cannot be used.

    Attributes:
        field: The argument or field that held it.
        got: The value that arrived.
        reason: What was expected of it.
    """

    def __init__(self, field: str, got: object, reason: str) -> None:
        self.field = field
        self.got = got
        self.reason = reason
        super().__init__(f"{field}: {reason}, got {got!r}")


class NaiveDatetimeError(InvalidTimeError):
    """A datetime without a time zone was given where an instant is needed."""

    def __init__(self, field: str, got: object) -> None:
        super().__init__(field, got, "expected a timezone-aware datetime")


class UnknownTimezoneError(InvalidTimeError):
    """A time zone name is not in the IANA database."""

    def __init__(self, field: str, got: object) -> None:
        super().__init__(field, got, "expected an IANA time zone name such as 'Asia/Shanghai'")


class HorizonError(GovkitError, ValueError):
    """A computation needs a date outside the calendar's horizon.

    Calendars never guess about days they have no data for.

    Attributes:
        needed: The date the computation needed.
        valid_from: First date the calendar covers.
        valid_until: Last date the calendar covers.
    """

    def __init__(self, needed: date, valid_from: date, valid_until: date) -> None:
        self.needed = needed
        self.valid_from = valid_from
        self.valid_until = valid_until
        super().__init__(
            f"date {needed.isoformat()} is outside the calendar's horizon "
            f"[{valid_from.isoformat()}, {valid_until.isoformat()}]"
        )


class NotPermittedError(GovkitError, PermissionError):
    """The actor is not allowed to do this.

    Attributes:
        actor: Who tried.
        action: What they tried.
        explanation: Why it was refused (an explanation object or text).
    """

    def __init__(self, actor: str, action: str, explanation: object) -> None:
        self.actor = actor
        self.action = action
        self.explanation = explanation
        explain = getattr(explanation, "explain", None)  # e.g. a role matrix Decision
        reason = explain() if callable(explain) else explanation
        super().__init__(f"{actor} may not {action}: {reason}")


class InvalidTransitionError(GovkitError, ValueError):
    """The run's current state does not allow the requested action.

    Attributes:
        state: The state the run is in.
        action: The action that was refused.
    """

    def __init__(self, state: str, action: str) -> None:
        self.state = state
        self.action = action
        super().__init__(f"cannot {action} in state {state!r}")


class UnknownNameError(GovkitError, LookupError):
    """A definition refers to a name that is not defined.

    Attributes:
        kind: What kind of name (``role``, ``step`` …).
        name: The name that was not found.
    """

    def __init__(self, kind: str, name: str) -> None:
        self.kind = kind
        self.name = name
        super().__init__(f"unknown {kind}: {name!r}")

    def __str__(self) -> str:
        # LookupError's str() would wrap the message in quotes; keep it readable.
        return str(self.args[0])


class ConflictError(GovkitError, ValueError):
    """A change conflicts with another change made concurrently."""


class StaleVersionError(ConflictError):
    """A snapshot is older than the one it is supposed to replace.

    Attributes:
        expected: The version the caller believed current.
        actual: The version that is current.
    """

    def __init__(self, expected: int, actual: int) -> None:
        self.expected = expected
        self.actual = actual
        super().__init__(f"stale version: expected version {expected}, current is {actual}")


@attrs.frozen
class FieldError:
    """One bad field found while loading data.

    Attributes:
        path: Where the field is, e.g. ``$.hours.mon[0]``.
        message: What was wrong with it.
    """

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class DeserializationError(GovkitError, ValueError):
    """Data could not be turned into govkit objects.

    Attributes:
        target: Name of the type that was being loaded.
        errors: Every bad field, each with its path.
    """

    def __init__(self, target: str, errors: Sequence[FieldError]) -> None:
        self.target = target
        self.errors = tuple(errors)
        lines = "\n".join(f"  {e}" for e in self.errors)
        super().__init__(f"cannot load {target}: {len(self.errors)} bad field(s)\n{lines}")


class AuditIntegrityError(GovkitError, ValueError):
    """An audit log does not verify.

    Attributes:
        index: Position of the first entry that fails (0-based).
        reason: What is wrong there (altered, removed, reordered, truncated).
    """

    def __init__(self, index: int, reason: str) -> None:
        self.index = index
        self.reason = reason
        super().__init__(f"audit log entry {index}: {reason}")
