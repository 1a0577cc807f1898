"""Retention schedules: a versioned set of record classes, and the verdicts they give."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import attrs

from govkit._time import require_aware, zone
from govkit.audit import Event
from govkit.errors import InvalidDefinitionError, UnknownNameError
from govkit.retention._class import LockMode, RecordClass, check_name, lock_rank
from govkit.retention._decision import RetentionDecision
from govkit.retention._engine import Engine
from govkit.retention._record import LegalHold, Record, event_of, require_bypass

if TYPE_CHECKING:
    from govkit.roles import RoleMatrix

__all__ = ["RetentionSchedule"]

# Trigger days on which a revised class is compared with the old one: two
# whole leap cycles and the century year 2100 (no 29 February), which covers
# every way month and year arithmetic can fall.
_SAMPLE_SPANS = ((date(2023, 1, 1), date(2031, 12, 31)), (date(2096, 1, 1), date(2104, 12, 31)))


def _version(_instance: object, _attribute: attrs.Attribute[int], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidDefinitionError("version", "a whole number >= 1", value)


def _classes(value: Iterable[RecordClass]) -> tuple[RecordClass, ...]:
    items = tuple(value)
    for i, item in enumerate(items):
        if not isinstance(item, RecordClass):
            raise InvalidDefinitionError(f"classes[{i}]", "a RecordClass", item)
    return items


def _timezone(_instance: object, _attribute: attrs.Attribute[str], value: object) -> None:
    zone(value, "timezone")


def _sample_days() -> Iterator[date]:
    for first, last in _SAMPLE_SPANS:
        day = first
        while day <= last:
            yield day
            day += timedelta(days=1)


def shortens(old: RecordClass, new: RecordClass | None) -> str | None:
    """Why ``new`` may keep some record for less time than ``old`` did, or ``None``."""
    if new is None:
        return "the class was removed"
    if lock_rank(new.lock) < lock_rank(old.lock):
        return f"the lock went from {old.lock.value} to {new.lock.value}"
    if old.retain and not new.retain:
        return "the class no longer retains records"
    if old.applies_to is not None and (
        new.applies_to is None or not new.applies_to.items() <= old.applies_to.items()
    ):
        # Records that name the class keep it; those it reached through their
        # metadata would lose it unless the new selector asks for no more.
        return f"it applies to fewer records (applies_to {new.applies_to!r})"
    if new.trigger != old.trigger:
        return f"the trigger changed from {old.trigger!r} to {new.trigger!r}"
    for day in _sample_days():
        if new.ends(day) < old.ends(day):
            return f"a record of {day} would be kept until {new.ends(day)}, not {old.ends(day)}"
    return None


@attrs.frozen
class RetentionSchedule:
    """A frozen, versioned set of record classes and what they decide.

    Args:
        name: e.g. ``"company-records"``.
        version: Grows with every revision; decisions name the version that made them.
        classes: The record classes, each name once.
        timezone: IANA zone whose calendar dates the periods count in.

    >>> from datetime import datetime
    >>> from zoneinfo import ZoneInfo
    >>> from govkit.calendar import Period
    >>> schedule = RetentionSchedule(
    ...     "records", 1, [RecordClass("signature-records", Period(years=5))],
    ...     timezone="Asia/Shanghai")
    >>> signed = datetime(2026, 11, 23, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
    >>> record = Record("SIG-1", ["signature-records"], created=signed)
    >>> schedule.evaluate(record, at=signed).explain().splitlines()[0]
    'retain until 2031-11-23, then destroy'
    """

    name: str = attrs.field(validator=lambda _i, _a, v: check_name(v, "name"))
    version: int = attrs.field(validator=_version)
    classes: tuple[RecordClass, ...] = attrs.field(converter=_classes)
    timezone: str = attrs.field(kw_only=True, validator=_timezone)
    _engine: Engine = attrs.field(init=False, eq=False, repr=False, hash=False)

    def __attrs_post_init__(self) -> None:
        if not self.classes:
            raise InvalidDefinitionError("classes", "at least one record class", ())
        seen: set[str] = set()
        for i, record_class in enumerate(self.classes):
            if record_class.name in seen:
                raise InvalidDefinitionError(
                    f"classes[{i}].name", "a name not used by another class", record_class.name
                )
            seen.add(record_class.name)
        object.__setattr__(self, "_engine", Engine(self))

    def local_date(self, at: datetime) -> date:
        """The date of ``at`` in the schedule's time zone (periods count in whole dates)."""
        return self._engine.day(require_aware(at, "at"))

    def record_class(self, name: str) -> RecordClass:
        """The class called ``name``.

        Raises:
            UnknownNameError: no class has that name.
        """
        found = self._engine.by_name.get(name)
        if found is None:
            raise UnknownNameError("record class", name)
        return found

    # -- verdicts ---------------------------------------------------------------------

    def evaluate(
        self, record: Record, *, at: datetime, holds: Iterable[LegalHold] = ()
    ) -> RetentionDecision:
        """The verdict on ``record`` at ``at``: keep, on hold, waiting or due, and why.

        Raises:
            NaiveDatetimeError: ``at`` has no time zone.
            UnknownNameError: the record names a class, or carries an event,
                that the schedule does not know; a hold names an unknown class.
            InvalidDefinitionError: no class applies to the record.
        """
        engine = self._engine
        at = require_aware(at, "at")
        if not isinstance(record, Record):
            raise InvalidDefinitionError("record", "a Record", record)
        return engine.single(record, engine.day(at).toordinal(), holds, at)

    def evaluate_many(
        self, records: Iterable[Record], *, at: datetime, holds: Iterable[LegalHold] = ()
    ) -> Iterator[RetentionDecision]:
        """Verdicts for many records at one instant, lazily, in order.

        Each equals ``evaluate(record, at=at, holds=holds)``; records with the
        same classes, trigger days, lock and holds share one decision object.
        ``at`` and ``holds`` are checked at once; a bad record raises when
        reached, with a note naming its position and id.
        """
        engine = self._engine
        at = require_aware(at, "at")
        by_id, selecting = engine.active_holds(holds, at)
        return engine.many(records, engine.day(at).toordinal(), by_id, selecting)

    # -- handling rules ---------------------------------------------------------------------

    def flags_for(self, record: Record) -> frozenset[str]:
        """Handling flags (e.g. ``"encrypted"``) of every class that applies to ``record``."""
        return frozenset(f for c in self._applicable(record) for f in c.flags)

    def may_read(
        self, user: str, record: Record, *, matrix: RoleMatrix, scope: str, at: datetime
    ) -> bool:
        """Whether ``user`` holds an access role of every restricted class of ``record``.

        Roles come from the role matrix (inherited roles included) in ``scope``
        at ``at``; a class without access roles restricts nothing.
        """
        restricted = [c for c in self._applicable(record) if c.access_roles]
        if not restricted:
            return True
        held = matrix.roles_of(user, scope, require_aware(at, "at"))
        return all(any(role in held for role in c.access_roles) for c in restricted)

    def check_name(self, record: Record) -> None:
        """Check ``record.name`` against the naming rule of each of its classes.

        Raises:
            InvalidDefinitionError: the name is missing or does not match,
                naming the part that is wrong.
        """
        for record_class in self._applicable(record):
            if record_class.naming is None:
                continue
            if record.name is None:
                raise InvalidDefinitionError(
                    "name", f"a file name following {record_class.naming.template!r}", None
                )
            record_class.naming.validate(record.name)

    def _applicable(self, record: Record) -> tuple[RecordClass, ...]:
        return tuple(c for c, _inclusion, _slot in self._engine.plan(record).entries)

    # -- revisions -------------------------------------------------------------------------

    def revise(
        self,
        new: RetentionSchedule,
        *,
        actor: str,
        at: datetime,
        matrix: RoleMatrix | None = None,
        scope: str | None = None,
    ) -> tuple[RetentionSchedule, list[Event]]:
        """Replace this schedule by ``new``, refusing what its locks forbid.

        A compliance-locked class may not be removed, weakened or shortened
        (for any trigger day); a governance-locked one only by an actor the
        role matrix allows ``bypass_governance`` on ``retention`` in
        ``scope`` at ``at`` (each bypass is an event). Extending is always
        allowed. Records locked under this version keep their lock anyway.

        Raises:
            InvalidDefinitionError: ``new`` has another name or no higher version.
            NotPermittedError: a lock forbids the change.
        """
        at = require_aware(at, "at")
        if not isinstance(new, RetentionSchedule):
            raise InvalidDefinitionError("new", "a RetentionSchedule", new)
        if new.name != self.name:
            raise InvalidDefinitionError("new.name", repr(self.name), new.name)
        if new.version <= self.version:
            raise InvalidDefinitionError(
                "new.version", f"a version above {self.version}", new.version
            )
        events: list[Event] = []
        moved = None
        if new.timezone != self.timezone:
            # Local dates move with the zone: a record's period may start a day earlier.
            moved = f"the time zone changed from {self.timezone} to {new.timezone}"
        for old in sorted(self.classes, key=lambda c: -lock_rank(c.lock)):  # compliance first
            if old.lock is LockMode.NONE:
                continue
            why = moved or shortens(old, new._engine.by_name.get(old.name))
            if why is None:
                continue
            what = f"shorten retention class {old.name!r} ({why})"
            require_bypass(old.lock, actor=actor, what=what, at=at, matrix=matrix, scope=scope)
            events.append(
                event_of(
                    actor,
                    "retention.governance_bypassed",
                    f"{self.name}/{old.name}",
                    at,
                    {"from_version": self.version, "to_version": new.version, "why": why},
                )
            )
        events.append(
            event_of(
                actor,
                "retention.schedule_revised",
                self.name,
                at,
                {"from_version": self.version, "to_version": new.version, **_changes(self, new)},
            )
        )
        return new, events

    # -- tables ------------------------------------------------------------------------------

    @classmethod
    def from_csv(
        cls, text: str, *, name: str, version: int, timezone: str, source: str = "<csv>"
    ) -> RetentionSchedule:
        """A schedule whose classes come from a CSV table, one class per row.

        Columns: ``class`` and ``period`` (e.g. ``5 years``) are required;
        ``trigger``, ``cutoff`` (``month``, ``quarter``, ``year``),
        ``year_end_month``, ``action``, ``retain`` (``yes``/``no``), ``lock``,
        ``access_roles`` and ``flags`` (separated by ``;``), ``applies_to``
        (empty: a label; ``*``: every record; ``key=value; key=value``),
        ``naming`` (a template), ``naming_patterns`` (``field=regex;
        field=regex``) and ``description`` are optional.

        Raises:
            DeserializationError: one entry per bad cell, naming ``source``,
                the row and the column.
        """
        from govkit.retention._table import classes_from_csv

        return cls(
            name,
            version,
            classes_from_csv(text, source=source),
            timezone=timezone,
        )

    def to_csv(self) -> str:
        """The classes as a CSV table that :meth:`from_csv` reads back."""
        from govkit.retention._table import classes_to_csv

        return classes_to_csv(self.classes)


def _changes(old: RetentionSchedule, new: RetentionSchedule) -> dict[str, Any]:
    before = {c.name: c for c in old.classes}
    after = {c.name: c for c in new.classes}
    return {
        "added": sorted(after.keys() - before.keys()),
        "removed": sorted(before.keys() - after.keys()),
        "changed": sorted(n for n in before.keys() & after.keys() if before[n] != after[n]),
    }
