"""Records, their retention locks, and legal holds."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection, Iterable, Mapping
from datetime import date, datetime, tzinfo
from typing import TYPE_CHECKING, Any

import attrs

from govkit._enums import to_enum
from govkit._time import require_aware
from govkit.audit import Event
from govkit.errors import InvalidDefinitionError, NotPermittedError
from govkit.retention._class import LockMode, check_name, lock_rank, names
from govkit.serialization import canonical_json

if TYPE_CHECKING:
    from govkit.roles import RoleMatrix

__all__ = ["LegalHold", "Record", "RetentionLock", "event_of", "require_bypass"]

_EVENT_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
BYPASS = ("bypass_governance", "retention")  # the permission a governance bypass needs


def _id(_instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    check_name(value, attribute.name)


def _aware(_instance: object, attribute: attrs.Attribute[datetime], value: object) -> None:
    require_aware(value, attribute.name)


def _maybe_aware(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        require_aware(value, attribute.name)


_SHARED: dict[tuple[str, ...], tuple[str, ...]] = {}


def _classes(value: Iterable[str]) -> tuple[str, ...]:
    # Records name few distinct class tuples: share one object per tuple, which
    # saves memory over millions of records and keeps the batch loop's reads hot.
    found = names(value, "classes")
    if len(_SHARED) >= 4096:
        _SHARED.clear()
    return _SHARED.setdefault(found, found)


def _hold_classes(value: Iterable[str]) -> tuple[str, ...]:
    return names(value, "classes")


def _record_ids(value: Iterable[str]) -> tuple[str, ...]:
    return names(value, "records")


def _events(value: Mapping[str, date]) -> dict[str, date]:
    if not isinstance(value, Mapping):
        raise InvalidDefinitionError("events", "a mapping of event name -> date", value)
    for key, day in value.items():
        if not isinstance(key, str) or not _EVENT_NAME.match(key):
            raise InvalidDefinitionError("events", "event names such as 'contract_end'", key)
        if isinstance(day, datetime) or not isinstance(day, date):
            raise InvalidDefinitionError(f"events.{key}", "a date", day)
    return dict(value)


def _metadata(value: Mapping[str, str]) -> dict[str, str]:
    if not isinstance(value, Mapping):
        raise InvalidDefinitionError("metadata", "a mapping of key -> text", value)
    for key, text in value.items():
        check_name(key, "metadata")
        if not isinstance(text, str):
            raise InvalidDefinitionError(f"metadata.{key}", "text", text)
    return dict(value)


def _mode(value: object) -> LockMode:
    mode = to_enum(LockMode, value, "lock.mode")
    if mode is LockMode.NONE:
        raise InvalidDefinitionError("lock.mode", "'governance' or 'compliance'", value)
    return mode


def _version(_instance: object, _attribute: attrs.Attribute[int], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidDefinitionError("lock.schedule_version", "a whole number >= 1", value)


def _day(_instance: object, attribute: attrs.Attribute[date], value: object) -> None:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise InvalidDefinitionError(attribute.name, "a date", value)


@attrs.frozen
class RetentionLock:
    """A record's retention lock, after an S3 Object Lock retain-until date.

    Set from :attr:`RetentionDecision.lock` when a locked class first governs
    the record; later schedule versions never give the record a shorter
    retention than ``until``.

    Attributes:
        mode: Governance or compliance.
        until: The last day the record is locked.
        record_class: The class that locked it.
        schedule_version: The schedule version that locked it.
    """

    mode: LockMode = attrs.field(converter=_mode)
    until: date = attrs.field(validator=_day)
    record_class: str = attrs.field(kw_only=True, validator=_id)
    schedule_version: int = attrs.field(kw_only=True, validator=_version)

    def covers(self, other: RetentionLock | None) -> bool:
        """Whether this lock is at least as long and as firm as ``other``."""
        if other is None:
            return True
        return self.until >= other.until and lock_rank(self.mode) >= lock_rank(other.mode)


@attrs.frozen
class Record:
    """A record under retention: what it is, when it was made and what has happened to it.

    Args:
        id: The record's id.
        classes: The record classes it is labelled with (explicitly).
        created: When it was created (timezone-aware).
        modified: When it last changed, if ever.
        events: Dates of the named events known so far, e.g.
            ``{"contract_end": date(2026, 6, 30)}``.
        metadata: Text facts used by class and hold selectors, e.g.
            ``{"department": "complaints"}``.
        name: Its file name, checked by :meth:`RetentionSchedule.check_name`.
        lock: Its retention lock, once a locked class has governed it.
    """

    id: str = attrs.field(validator=_id)
    classes: tuple[str, ...] = attrs.field(default=(), converter=_classes)
    created: datetime = attrs.field(kw_only=True, validator=_aware)
    modified: datetime | None = attrs.field(default=None, kw_only=True, validator=_maybe_aware)
    events: Mapping[str, date] = attrs.field(
        factory=dict, kw_only=True, converter=_events, hash=False
    )
    metadata: Mapping[str, str] = attrs.field(
        factory=dict, kw_only=True, converter=_metadata, hash=False
    )
    name: str | None = attrs.field(default=None, kw_only=True)
    lock: RetentionLock | None = attrs.field(default=None, kw_only=True)
    # Read by the batch path of RetentionSchedule.evaluate_many: kept on the record
    # itself so that a nightly run touches one object per record, not three.
    _plain: tuple[str, ...] | None = attrs.field(init=False, eq=False, repr=False, hash=False)
    _zone: tzinfo | None = attrs.field(init=False, eq=False, repr=False, hash=False)
    _ordinal: int = attrs.field(init=False, eq=False, repr=False, hash=False)

    def __attrs_post_init__(self) -> None:
        if self.modified is not None and self.modified < self.created:
            raise InvalidDefinitionError(
                "modified", f"an instant at or after created ({self.created})", self.modified
            )
        if self.lock is not None and not isinstance(self.lock, RetentionLock):
            raise InvalidDefinitionError("lock", "a RetentionLock or None", self.lock)
        plain = self.classes if self.lock is None and not self.events else None
        object.__setattr__(self, "_plain", plain)
        object.__setattr__(self, "_zone", self.created.tzinfo)
        object.__setattr__(self, "_ordinal", self.created.toordinal())

    def metadata_sha256(self) -> str:
        """SHA-256 of the record's canonical description (id, classes, dates, events, metadata).

        A destruction certificate keeps it: proof of what was destroyed
        without keeping the record itself.
        """
        body = {
            "id": self.id,
            "classes": list(self.classes),
            "created": self.created.isoformat(),
            "modified": self.modified.isoformat() if self.modified else None,
            "events": {k: v.isoformat() for k, v in self.events.items()},
            "metadata": dict(self.metadata),
            "name": self.name,
        }
        return hashlib.sha256(canonical_json(body).encode("utf-8")).hexdigest()

    def with_event(self, event: str, day: date) -> Record:
        """A copy that knows ``event`` happened on ``day`` (e.g. the contract ended)."""
        return attrs.evolve(self, events={**self.events, event: day})

    def with_lock(self, lock: RetentionLock | None) -> Record:
        """A copy carrying ``lock`` (from a decision); a lock is only ever extended here.

        Raises:
            NotPermittedError: ``lock`` is shorter or weaker than the current
                one; shortening needs :meth:`shorten_retention`.
        """
        if lock is None or lock == self.lock:
            return self
        if self.lock is not None and not lock.covers(self.lock):
            raise NotPermittedError(
                "anyone",
                f"replace the retention lock of record {self.id!r}",
                f"the new lock ({lock.mode.value} until {lock.until}) is shorter or weaker "
                f"than the current one ({self.lock.mode.value} until {self.lock.until}); "
                "use shorten_retention",
            )
        return attrs.evolve(self, lock=lock)

    def shorten_retention(
        self,
        until: date | None,
        *,
        actor: str,
        at: datetime,
        matrix: RoleMatrix,
        scope: str,
        reason: str,
    ) -> tuple[Record, Event]:
        """Shorten (``until``) or remove (``None``) the record's governance lock.

        Under compliance nobody may; under governance only an actor the role
        matrix allows ``bypass_governance`` on ``retention`` in ``scope`` at
        ``at``. The bypass is returned as an audit event.

        Raises:
            NotPermittedError: compliance mode, or the actor lacks the permission.
            InvalidDefinitionError: no lock, or ``until`` does not shorten it.
        """
        at = require_aware(at, "at")
        current = self.lock
        if current is None:
            raise InvalidDefinitionError("lock", f"a lock on record {self.id!r}", None)
        if until is not None:
            _day(None, attrs.fields(RetentionLock).until, until)
            if until >= current.until:
                raise InvalidDefinitionError(
                    "until", f"a date before {current.until} (extending needs no bypass)", until
                )
        what = f"shorten the retention of record {self.id!r}"
        require_bypass(current.mode, actor=actor, what=what, at=at, matrix=matrix, scope=scope)
        lock = None if until is None else attrs.evolve(current, until=until)
        event = event_of(
            actor,
            "retention.governance_bypassed",
            self.id,
            at,
            {
                "record_class": current.record_class,
                "from": current.until.isoformat(),
                "to": until.isoformat() if until else None,
                "reason": reason,
            },
        )
        return attrs.evolve(self, lock=lock), event


def event_of(actor: str, action: str, subject: str, at: datetime, data: dict[str, Any]) -> Event:
    """An audit event of the retention package."""
    return Event(actor=actor, action=action, subject=subject, at=at, data=data)


def require_bypass(
    mode: LockMode,
    *,
    actor: str,
    what: str,
    at: datetime,
    matrix: RoleMatrix | None,
    scope: str | None,
) -> None:
    """Refuse under compliance; otherwise demand the bypass permission in ``scope``."""
    if mode is LockMode.COMPLIANCE:
        raise NotPermittedError(
            actor, what, "it is under a compliance lock: nobody may shorten it or dispose early"
        )
    if matrix is None or scope is None:
        raise NotPermittedError(
            actor, what, "a governance bypass is checked in a role matrix: pass matrix and scope"
        )
    decision = matrix.check(actor, BYPASS[0], BYPASS[1], scope=scope, at=at)
    if not decision:
        raise NotPermittedError(actor, what, decision)


@attrs.frozen
class LegalHold:
    """A legal hold: records that must not be disposed of while a matter is open.

    A hold covers the records it names by id, and the records that match all
    of its selectors: ``classes`` (any of them applies to the record) and
    ``metadata`` (every key has that value). It is active from ``placed``
    until ``released``; a hold always wins over retention rules, and after
    its release the normal rules apply again.
    """

    id: str = attrs.field(validator=_id)
    matter: str = attrs.field(validator=_id)
    placed: datetime = attrs.field(kw_only=True, validator=_aware)
    released: datetime | None = attrs.field(default=None, kw_only=True, validator=_maybe_aware)
    records: tuple[str, ...] = attrs.field(default=(), kw_only=True, converter=_record_ids)
    classes: tuple[str, ...] = attrs.field(default=(), kw_only=True, converter=_hold_classes)
    metadata: Mapping[str, str] = attrs.field(
        factory=dict, kw_only=True, converter=_metadata, hash=False
    )
    _ids: frozenset[str] = attrs.field(init=False, eq=False, repr=False, hash=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_ids", frozenset(self.records))
        if not (self.records or self.classes or self.metadata):
            raise InvalidDefinitionError(
                "records", "record ids, classes or metadata for the hold to cover", ()
            )
        if self.released is not None and self.released < self.placed:
            raise InvalidDefinitionError(
                "released", f"an instant at or after placed ({self.placed})", self.released
            )

    @classmethod
    def place(
        cls,
        id: str,
        matter: str,
        *,
        at: datetime,
        actor: str,
        records: Iterable[str] = (),
        classes: Iterable[str] = (),
        metadata: Mapping[str, str] | None = None,
    ) -> tuple[LegalHold, Event]:
        """A hold placed at ``at`` by ``actor``, and the event that records it."""
        hold = cls(id, matter, placed=at, records=records, classes=classes, metadata=metadata or {})
        event = event_of(
            actor,
            "retention.hold_placed",
            hold.id,
            hold.placed,
            {
                "matter": hold.matter,
                "records": list(hold.records),
                "classes": list(hold.classes),
                "metadata": dict(hold.metadata),
            },
        )
        return hold, event

    def active(self, at: datetime) -> bool:
        """Whether the hold is in force at ``at``."""
        at = require_aware(at, "at")
        return self.placed <= at and (self.released is None or at < self.released)

    def covers(self, record: Record, applicable: Collection[str] | None = None) -> bool:
        """Whether the hold covers ``record``.

        ``applicable`` is every class that applies to the record (labels and
        policies); by default the classes the record names.
        """
        if record.id in self._ids:
            return True
        if not (self.classes or self.metadata):
            return False
        have = record.classes if applicable is None else applicable
        if self.classes and not any(c in have for c in self.classes):
            return False
        return all(record.metadata.get(k) == v for k, v in self.metadata.items())

    def release(self, *, at: datetime, actor: str) -> tuple[LegalHold, Event]:
        """The released hold and the event that records it."""
        at = require_aware(at, "at")
        if self.released is not None:
            raise InvalidDefinitionError("released", f"an open hold ({self.id!r})", self.released)
        if at < self.placed:
            raise InvalidDefinitionError("at", f"an instant at or after {self.placed}", at)
        event = event_of(actor, "retention.hold_released", self.id, at, {"matter": self.matter})
        return attrs.evolve(self, released=at), event
