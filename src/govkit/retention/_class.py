"""Record classes: how long a kind of record is kept, from when, and what happens after."""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from enum import Enum

import attrs

from govkit._enums import to_enum
from govkit.calendar import Period
from govkit.errors import InvalidDefinitionError
from govkit.retention._naming import NamingRule

__all__ = [
    "Action",
    "Cutoff",
    "LockMode",
    "RecordClass",
    "check_name",
    "check_trigger",
    "names",
]

_EVENT = re.compile(r"^event:([A-Za-z_][A-Za-z0-9_]*)$")
_STEPS = {"month": 1, "quarter": 3, "year": 12}


class Action(Enum):
    """What happens to a record when its retention ends (its disposition)."""

    DESTROY = "destroy"
    """Delete it, leaving a destruction certificate."""
    REVIEW = "review"
    """A person decides: destroy, or keep it longer."""
    ARCHIVE = "archive"
    """Move it to the archive (kept, no longer in the working system)."""
    TRANSFER = "transfer"
    """Hand custody to another body (e.g. a state archive)."""
    NONE = "none"
    """Nothing: the class only keeps the record for its period (Purview's
    "retain only"); when it ends the record is no longer protected by it."""


class LockMode(Enum):
    """How firmly retention is locked, after AWS S3 Object Lock."""

    NONE = "none"
    """Policy only: the schedule may be changed freely."""
    GOVERNANCE = "governance"
    """Only an actor the role matrix grants ``bypass_governance`` on ``retention``
    may shorten or remove retention, or dispose early; each bypass is an event."""
    COMPLIANCE = "compliance"
    """Nobody may shorten or remove retention or dispose before the date."""


_LOCK_RANK = {LockMode.NONE: 0, LockMode.GOVERNANCE: 1, LockMode.COMPLIANCE: 2}


def lock_rank(mode: LockMode) -> int:
    """0 for none, 1 for governance, 2 for compliance (private helper)."""
    return _LOCK_RANK[mode]


def check_name(value: object, field: str) -> str:
    """A name or id: non-empty text without surrounding whitespace."""
    if not isinstance(value, str) or not value or value != value.strip():
        raise InvalidDefinitionError(field, "a non-empty name without surrounding spaces", value)
    return value


def names(value: Iterable[str] | str, field: str) -> tuple[str, ...]:
    """A tuple of distinct names, in the order given."""
    if isinstance(value, str):
        raise InvalidDefinitionError(field, "a list of names", value)
    items = tuple(value)
    for i, item in enumerate(items):
        check_name(item, f"{field}[{i}]")
    repeated = sorted({n for n in items if items.count(n) > 1})
    if repeated:
        raise InvalidDefinitionError(field, "each name once", repeated)
    return items


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _every(_instance: object, _attribute: attrs.Attribute[str], value: object) -> None:
    if value not in _STEPS:
        raise InvalidDefinitionError("every", "one of 'month', 'quarter', 'year'", value)


def _month(_instance: object, _attribute: attrs.Attribute[int], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 12:
        raise InvalidDefinitionError("year_end_month", "a month from 1 to 12", value)


@attrs.frozen
class Cutoff:
    """Close records off at the end of a month, quarter or (fiscal) year.

    The retention period then runs from the cutoff, not from the trigger
    (NARA's "cut off at the end of the fiscal year, destroy 6 years after
    cutoff"). Quarters and years end in ``year_end_month`` (12: calendar year;
    9: a fiscal year ending in September, whose quarters end in December,
    March, June and September).

    >>> fiscal = Cutoff("year", year_end_month=9)
    >>> fiscal.apply(date(2020, 10, 1)), fiscal.apply(date(2020, 9, 30))
    (datetime.date(2021, 9, 30), datetime.date(2020, 9, 30))
    """

    # Typed str, not a Literal, so that loading a bad word reaches the validator
    # and its error names the field and the choices.
    every: str = attrs.field(validator=_every)
    year_end_month: int = attrs.field(default=12, kw_only=True, validator=_month)

    def __attrs_post_init__(self) -> None:
        if self.every == "month" and self.year_end_month != 12:
            raise InvalidDefinitionError(
                "year_end_month",
                "12 (the default) for a monthly cutoff",
                self.year_end_month,
            )

    def apply(self, day: date) -> date:
        """The last day of the month, quarter or year that contains ``day``."""
        step = _STEPS[self.every]
        ahead = (self.year_end_month - day.month) % step
        month = day.month + ahead
        year = day.year + (month - 1) // 12
        return _last_day(year, (month - 1) % 12 + 1)

    def phrase(self) -> str:
        """E.g. ``"the end of the fiscal year (ending in September)"``."""
        if self.every == "month" or self.year_end_month == 12:
            return f"the end of the {self.every}"
        name = calendar.month_name[self.year_end_month]
        return f"the end of the fiscal {self.every} (ending in {name})"

    def __str__(self) -> str:
        if self.every == "month" or self.year_end_month == 12:
            return f"end of {self.every}"
        name = calendar.month_name[self.year_end_month]
        return f"end of fiscal {self.every} (year ending in {name})"


def _period(_instance: object, _attribute: attrs.Attribute[Period], value: object) -> None:
    if not isinstance(value, Period):
        raise InvalidDefinitionError("period", "a calendar Period such as Period(years=5)", value)


def check_trigger(value: object) -> None:
    """Refuse anything but ``created``, ``modified`` or ``event:<name>``."""
    if value in ("created", "modified"):
        return
    if not isinstance(value, str) or not _EVENT.match(value):
        raise InvalidDefinitionError(
            "trigger", "'created', 'modified' or 'event:<name>' such as 'event:contract_end'", value
        )


def _selector(value: Mapping[str, str] | None) -> dict[str, str] | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise InvalidDefinitionError("applies_to", "a mapping of metadata key -> value", value)
    for key, wanted in value.items():
        check_name(key, "applies_to")
        if not isinstance(wanted, str):
            raise InvalidDefinitionError(f"applies_to.{key}", "text", wanted)
    return dict(value)


def _flags(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(names(value, "flags")))


def _roles(value: Iterable[str]) -> tuple[str, ...]:
    return names(value, "access_roles")


def _action(value: object) -> Action:
    return to_enum(Action, value, "action")


def _lock(value: object) -> LockMode:
    return to_enum(LockMode, value, "lock")


def _class_name(_instance: object, _attribute: attrs.Attribute[str], value: object) -> None:
    check_name(value, "name")


@attrs.frozen
class RecordClass:
    """A kind of record and its retention rule (one row of a retention schedule).

    Args:
        name: e.g. ``"signature-records"``.
        period: How long to keep, in years, months and days.
        trigger: When the period starts: ``"created"``, ``"modified"`` (the
            last change; the creation when never changed) or
            ``"event:<name>"``, e.g. ``"event:contract_end"``: a record whose
            event has not happened is kept and never due.
        cutoff: Close off at the end of a month, quarter or fiscal year first.
        action: What happens at the end.
        retain: ``False`` for a deletion-only rule (delete after the period,
            keep nothing): it never keeps a record alive, it only ends it.
        lock: How firmly the retention is locked (S3 Object Lock modes).
        access_roles: Roles that may read records of the class (checked
            through the role matrix); empty means no restriction here.
        flags: Handling requirements such as ``"encrypted"``.
        naming: The file naming rule for records of the class.
        applies_to: ``None``: the class applies to records that name it (a
            label, explicit). A mapping: it applies to every record whose
            metadata has these values (a policy, implicit); an empty mapping
            applies to every record (organisation-wide).
        description: Free text.

    Period counting: from the trigger's date, the period ends on the
    corresponding day (``2024-02-29`` + 5 years = ``2029-02-28``; a month
    later than ``2023-01-31`` is ``2023-02-28``, two months later
    ``2023-03-31``: always from the trigger, never step by step). After a
    cutoff the period runs from the day after it, so whole years and months
    end on a month end (``2023-06-30`` + 6 months = ``2023-12-31``).

    >>> signatures = RecordClass("signature-records", Period(years=5))
    >>> signatures.ends(date(2024, 2, 29))
    datetime.date(2029, 2, 28)
    """

    name: str = attrs.field(validator=_class_name)
    period: Period = attrs.field(validator=_period)
    trigger: str = attrs.field(
        default="created", kw_only=True, validator=lambda _i, _a, v: check_trigger(v)
    )
    cutoff: Cutoff | None = attrs.field(default=None, kw_only=True)
    action: Action = attrs.field(default=Action.DESTROY, kw_only=True, converter=_action)
    retain: bool = attrs.field(default=True, kw_only=True)
    lock: LockMode = attrs.field(default=LockMode.NONE, kw_only=True, converter=_lock)
    access_roles: tuple[str, ...] = attrs.field(default=(), kw_only=True, converter=_roles)
    flags: tuple[str, ...] = attrs.field(default=(), kw_only=True, converter=_flags)
    naming: NamingRule | None = attrs.field(default=None, kw_only=True)
    applies_to: Mapping[str, str] | None = attrs.field(
        default=None, kw_only=True, converter=_selector, hash=False
    )
    description: str = attrs.field(default="", kw_only=True)

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.retain, bool):
            raise InvalidDefinitionError("retain", "True or False", self.retain)
        if self.cutoff is not None and not isinstance(self.cutoff, Cutoff):
            raise InvalidDefinitionError("cutoff", "a Cutoff or None", self.cutoff)
        if self.naming is not None and not isinstance(self.naming, NamingRule):
            raise InvalidDefinitionError("naming", "a NamingRule or None", self.naming)
        if not self.retain and self.action is not Action.DESTROY:
            raise InvalidDefinitionError(
                "action", "'destroy' for a deletion-only class (retain=False)", self.action.value
            )
        if not self.retain and self.lock is not LockMode.NONE:
            raise InvalidDefinitionError(
                "lock", "'none' for a deletion-only class: it keeps nothing", self.lock.value
            )

    @property
    def event(self) -> str | None:
        """The event that starts the period, or ``None`` for created/modified."""
        found = _EVENT.match(self.trigger)
        return found.group(1) if found else None

    @property
    def inclusion(self) -> str:
        """``"explicit"`` (a label), ``"scoped"`` or ``"org-wide"`` (policies)."""
        if self.applies_to is None:
            return "explicit"
        return "scoped" if self.applies_to else "org-wide"

    def ends(self, trigger_date: date) -> date:
        """The last day of retention for a record whose trigger fell on ``trigger_date``."""
        if self.cutoff is None:
            return self.period.corresponding_date(trigger_date)
        closed = self.cutoff.apply(trigger_date)
        return self.period.corresponding_date(closed + timedelta(days=1)) - timedelta(days=1)

    def describe(self) -> str:
        """One line: period, trigger, cutoff and action, e.g. for explanations."""
        start = {"created": "creation", "modified": "last change"}.get(self.trigger)
        start = start or f"event {self.event!r}"
        if self.cutoff:
            start = f"{self.cutoff.phrase()} of {start}"
        keep = "keep" if self.retain else "delete after"
        then = (
            f", then {self.action.value}" if self.retain and self.action is not Action.NONE else ""
        )
        return f"{keep} {self.period} from {start}{then}"
