"""Events and the hash-chained, append-only audit log.

Every change to a run leaves an :class:`Event`. An :class:`AuditLog` chains
events by SHA-256: each entry's hash covers its position, its event in
canonical JSON and the previous entry's hash, so altering, removing or
reordering an entry breaks the chain at that entry. Cutting entries off the
end cannot be seen from the log alone: keep the :attr:`AuditLog.head` hash
somewhere else and pass it to :meth:`AuditLog.verify`.

Events keep one shape on the wire: what is specific to an action goes in
``data`` (plain JSON values), so any log can be read back without knowing
the event types that wrote it.

>>> from datetime import UTC, datetime
>>> log = AuditLog()
>>> entry = log.append(Event(actor="li", action="complaint.received", subject="C-17",
...                          at=datetime(2026, 11, 23, 2, tzinfo=UTC)))
>>> log.verify()
>>> len(log)
1
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from typing import Any

import attrs

from govkit._time import require_aware
from govkit.errors import (
    AuditIntegrityError,
    DeserializationError,
    FieldError,
    InvalidDefinitionError,
)
from govkit.serialization import canonical_json, structure, unstructure

__all__ = ["GENESIS", "AuditEntry", "AuditLog", "Event"]

GENESIS = "0" * 64
"""The previous-hash of the first entry."""


def _aware(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    require_aware(value, attribute.name)


# Values that come back from JSON as themselves (floats may be NaN, so they take the slow path).
_SCALARS = frozenset({str, int, bool, type(None)})


def _plain(value: object) -> dict[str, Any]:
    expected = "a mapping of plain JSON values (str, int, float, bool, None, lists, objects)"
    if not isinstance(value, Mapping):
        raise InvalidDefinitionError("data", expected, value)
    if all(type(k) is str and type(v) in _SCALARS for k, v in value.items()):
        return dict(value)  # the common case: nothing nested, nothing to convert
    try:
        # Round-tripping through JSON both checks and copies the shape.
        data: dict[str, Any] = json.loads(json.dumps(dict(value), allow_nan=False))
    except (TypeError, ValueError):
        raise InvalidDefinitionError("data", expected, value) from None
    return data


@attrs.frozen(kw_only=True)
class Event:
    """Something that happened: who did what to which subject, and when.

    Args:
        actor: Who acted (a user id, or ``"system"`` for timers).
        action: Dotted verb, e.g. ``"sla.breached"``.
        subject: What it happened to (a request id, a record id …).
        at: When, timezone-aware.
        data: Action-specific details as plain JSON values.
    """

    actor: str = attrs.field(validator=attrs.validators.instance_of(str))
    action: str = attrs.field(validator=attrs.validators.instance_of(str))
    subject: str = attrs.field(validator=attrs.validators.instance_of(str))
    at: datetime = attrs.field(validator=_aware)
    data: Mapping[str, Any] = attrs.field(factory=dict, converter=_plain, hash=False)


@attrs.frozen(kw_only=True)
class AuditEntry:
    """One link of the chain.

    Attributes:
        seq: Position in the log, from 0.
        event: The event recorded.
        prev_hash: Hash of the entry before (``GENESIS`` for the first).
        hash: SHA-256 over ``seq``, ``prev_hash`` and the event's canonical JSON.
    """

    seq: int
    event: Event
    prev_hash: str
    hash: str


def _digest(seq: int, prev_hash: str, event: Event) -> str:
    body = canonical_json({"seq": seq, "prev": prev_hash, "event": unstructure(event)})
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


class AuditLog:
    """An append-only, hash-chained sequence of events.

    The log is a container the host fills, so it is mutable by design; its
    entries are frozen.
    """

    __slots__ = ("_entries",)

    def __init__(self, entries: Iterable[AuditEntry] = ()) -> None:
        self._entries: list[AuditEntry] = list(entries)

    def append(self, event: Event) -> AuditEntry:
        """Add ``event`` at the end of the chain and return its entry."""
        if not isinstance(event, Event):
            raise InvalidDefinitionError("event", "an Event", event)
        seq = len(self._entries)
        prev = self.head
        entry = AuditEntry(seq=seq, event=event, prev_hash=prev, hash=_digest(seq, prev, event))
        self._entries.append(entry)
        return entry

    def extend(self, events: Iterable[Event]) -> None:
        """Append several events in order."""
        for event in events:
            self.append(event)

    @property
    def head(self) -> str:
        """Hash of the last entry (``GENESIS`` when empty); store it to detect truncation."""
        return self._entries[-1].hash if self._entries else GENESIS

    @property
    def entries(self) -> tuple[AuditEntry, ...]:
        """All entries, oldest first."""
        return tuple(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[AuditEntry]:
        return iter(tuple(self._entries))

    def verify(self, *, expected_head: str | None = None) -> None:
        """Check the chain; raise at the first entry that was altered, removed or reordered.

        Args:
            expected_head: A head hash kept elsewhere; when given, a log cut
                short (or extended) is detected too.

        Raises:
            AuditIntegrityError: naming the first bad entry and what is wrong with it.
        """
        prev = GENESIS
        for index, entry in enumerate(self._entries):
            if entry.seq != index:
                reason = (
                    f"has sequence number {entry.seq}: entries before it were removed"
                    if entry.seq > index
                    else f"has sequence number {entry.seq}: entries were reordered or duplicated"
                )
                raise AuditIntegrityError(index, reason)
            if entry.prev_hash != prev:
                raise AuditIntegrityError(
                    index, "does not follow the entry before it: an entry was removed or reordered"
                )
            if _digest(entry.seq, entry.prev_hash, entry.event) != entry.hash:
                raise AuditIntegrityError(index, "was altered: its hash does not match its content")
            prev = entry.hash
        if expected_head is not None and expected_head != prev:
            raise AuditIntegrityError(
                len(self._entries), f"log ends at head {prev[:12]}…, expected {expected_head[:12]}…"
            )

    def to_jsonl(self) -> str:
        """Export as JSON lines, one entry per line, in the serialization wire form."""
        return "".join(canonical_json(unstructure(entry)) + "\n" for entry in self._entries)

    @classmethod
    def from_jsonl(cls, text: str, *, verify: bool = True) -> AuditLog:
        """Import a log exported by :meth:`to_jsonl`.

        Raises:
            DeserializationError: a line is not a valid entry (the path names the line).
            AuditIntegrityError: ``verify`` is true and the chain does not verify.
        """
        entries = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except json.JSONDecodeError as exc:
                raise DeserializationError(
                    "AuditEntry", [FieldError(f"line {number}", f"not JSON: {exc}")]
                ) from exc
            try:
                entries.append(structure(data, AuditEntry))
            except DeserializationError as exc:
                errors = [FieldError(f"line {number} {e.path}", e.message) for e in exc.errors]
                raise DeserializationError("AuditEntry", errors) from exc
        log = cls(entries)
        if verify:
            log.verify()
        return log
