"""Disposition: a due record is reviewed, approved and then destroyed, archived or transferred.

Each step is authorised (role matrix), recorded as an event, and a
destruction leaves a :class:`DestructionCertificate`, the proof of
destruction of ISO 15489 that is itself kept as a record.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from functools import lru_cache
from typing import TYPE_CHECKING

import attrs
from transitions import Machine, MachineError

from govkit._time import require_aware
from govkit.audit import Event
from govkit.errors import (
    ConflictError,
    InvalidDefinitionError,
    InvalidTransitionError,
    NotPermittedError,
)
from govkit.retention._class import Action, LockMode
from govkit.retention._decision import RetentionStatus
from govkit.retention._record import LegalHold, Record, RetentionLock, event_of, require_bypass

if TYPE_CHECKING:
    from govkit.approvals import ApprovalRequest
    from govkit.retention._schedule import RetentionSchedule
    from govkit.roles import RoleMatrix

__all__ = ["DestructionCertificate", "Disposition"]

STATES = ("pending", "approved", "extended", "destroyed", "archived", "transferred")
APPROVE = "approve_disposal"  # the permission a disposal reviewer needs on the record class
_DONE = {Action.DESTROY: "destroyed", Action.REVIEW: "destroyed", Action.ARCHIVE: "archived"}


@lru_cache(maxsize=1)
def _machine() -> Machine:
    # One machine for every disposition: the run's data lives in the snapshot.
    machine = Machine(model=None, states=list(STATES), initial="pending", auto_transitions=False)
    machine.add_transition("sign", "pending", "=")
    machine.add_transition("approve", "pending", "approved")
    machine.add_transition("extend", "pending", "extended")
    machine.add_transition("destroy", "approved", "destroyed")
    machine.add_transition("archive", "approved", "archived")
    machine.add_transition("transfer", "approved", "transferred")
    return machine


class _Cursor:
    __slots__ = ("state",)

    def __init__(self, state: str) -> None:
        self.state = state


def _fire(action: str, state: str) -> str:
    cursor = _Cursor(state)
    try:
        _machine().events[action].trigger(cursor)
    except MachineError:
        raise InvalidTransitionError(state, action) from None
    return cursor.state


@attrs.frozen(kw_only=True)
class DestructionCertificate:
    """Proof that a record was destroyed under its schedule (ISO 15489).

    Attributes:
        record_id: The destroyed record.
        record_class: The class whose disposal applied.
        schedule: The schedule's name.
        schedule_version: The version that made it due.
        created: When the record was created.
        keep_until: The last day it had to be kept (``None``: only a deletion rule applied).
        dispose_after: The day after which it could go.
        approved_by: Who approved the destruction, in order.
        destroyed_by: Who carried it out.
        destroyed_at: When.
        record_sha256: SHA-256 of the record's metadata (:meth:`Record.metadata_sha256`).
    """

    record_id: str
    record_class: str
    schedule: str
    schedule_version: int
    created: datetime
    keep_until: date | None
    dispose_after: date
    approved_by: tuple[str, ...]
    destroyed_by: str
    destroyed_at: datetime
    record_sha256: str

    def to_record(self, record_class: str) -> Record:
        """The certificate as a record of ``record_class``, to be kept in its turn."""
        return Record(
            f"certificate:{self.record_id}",
            [record_class],
            created=self.destroyed_at,
            metadata={
                "destroyed_record": self.record_id,
                "record_class": self.record_class,
                "record_sha256": self.record_sha256,
                "approved_by": ", ".join(self.approved_by),
            },
        )


@attrs.frozen(kw_only=True)
class Disposition:
    """One due record on its way out: a frozen run (``pending`` → ``approved`` → done).

    Start it from a due :class:`RetentionDecision`; reviewers the role matrix
    allows ``approve_disposal`` on the record class approve it (or extend the
    retention instead); then :meth:`execute` destroys, archives or transfers
    it. ``review`` classes end in destruction once approved. Every operation
    returns ``(new_disposition, events)`` and changes nothing on bad input.
    """

    record_id: str
    record_class: str
    action: Action
    state: str
    schedule: str
    schedule_version: int
    created: datetime
    keep_until: date | None
    dispose_after: date
    record_sha256: str
    classes: tuple[str, ...]
    record_lock: RetentionLock | None
    required_approvals: int
    approved_by: tuple[str, ...]
    early: bool
    extended_until: date | None
    started_at: datetime
    updated_at: datetime
    version: int

    @classmethod
    def start(
        cls,
        record: Record,
        schedule: RetentionSchedule,
        *,
        at: datetime,
        holds: Iterable[LegalHold] = (),
        actor: str = "system",
        required_approvals: int = 1,
        early: bool = False,
        matrix: RoleMatrix | None = None,
        scope: str | None = None,
    ) -> tuple[Disposition, list[Event]]:
        """Open the disposition of ``record``, which ``schedule`` must find due at ``at``.

        The schedule evaluates the record here (with ``holds``), so the
        disposition always rests on the record's own verdict. ``early=True``
        starts a record that is still retained: refused while a compliance
        lock is in force; otherwise the actor needs ``bypass_governance`` on
        ``retention`` in ``scope`` of the role matrix, and the bypass is an event.

        Raises:
            InvalidTransitionError: the record is on hold, waiting for its
                event, expired with nothing to do, or (without ``early``) not due.
            NotPermittedError: an early start the lock or the matrix forbids.
        """
        at = require_aware(at, "at")
        if isinstance(required_approvals, bool) or not isinstance(required_approvals, int):
            raise InvalidDefinitionError(
                "required_approvals", "a whole number >= 1", required_approvals
            )
        if required_approvals < 1:
            raise InvalidDefinitionError(
                "required_approvals", "a whole number >= 1", required_approvals
            )
        from govkit.retention._schedule import RetentionSchedule

        if not isinstance(schedule, RetentionSchedule):
            raise InvalidDefinitionError("schedule", "a RetentionSchedule", schedule)
        decision = schedule.evaluate(record, at=at, holds=holds)
        status = decision.status
        events: list[Event] = []
        due = status in (RetentionStatus.DUE_FOR_REVIEW, RetentionStatus.DUE_FOR_DISPOSAL)
        ahead = early and status is RetentionStatus.RETAIN and decision.action is not Action.NONE
        if not (due or ahead):
            raise InvalidTransitionError(status.value, f"start the disposition of {record.id!r}")
        assert decision.dispose_after is not None  # due or retained: dates are known
        assert decision.action is not None
        if status is RetentionStatus.RETAIN:
            lock = decision.lock
            in_force = lock is not None and lock.until >= schedule.local_date(at)
            mode = lock.mode if lock is not None and in_force else LockMode.GOVERNANCE
            what = f"dispose of record {record.id!r} before {decision.due_on}"
            require_bypass(mode, actor=actor, what=what, at=at, matrix=matrix, scope=scope)
            events.append(
                event_of(
                    actor,
                    "retention.governance_bypassed",
                    record.id,
                    at,
                    {
                        "dispose_after": decision.dispose_after.isoformat(),
                        "reason": "early disposal",
                    },
                )
            )
        disposition = cls(
            record_id=record.id,
            record_class=decision.disposal_class or "",
            action=decision.action,
            state="pending",
            schedule=decision.schedule,
            schedule_version=decision.schedule_version,
            created=record.created,
            keep_until=decision.keep_until,
            dispose_after=decision.dispose_after,
            record_sha256=record.metadata_sha256(),
            classes=tuple(o.record_class for o in decision.outcomes),
            record_lock=record.lock,
            required_approvals=required_approvals,
            approved_by=(),
            early=early and status is RetentionStatus.RETAIN,
            extended_until=None,
            started_at=at,
            updated_at=at,
            version=1,
        )
        events.append(
            event_of(
                actor,
                "retention.disposition_started",
                record.id,
                at,
                {
                    "record_class": disposition.record_class,
                    "action": disposition.action.value,
                    "dispose_after": disposition.dispose_after.isoformat(),
                    "schedule_version": disposition.schedule_version,
                },
            )
        )
        return disposition, events

    def _at(self, at: datetime) -> datetime:
        at = require_aware(at, "at")
        if at < self.updated_at:
            raise InvalidDefinitionError("at", f"an instant at or after {self.updated_at}", at)
        return at

    def approve(
        self,
        actor: str,
        *,
        at: datetime,
        matrix: RoleMatrix,
        scope: str,
        comment: str = "",
    ) -> tuple[Disposition, list[Event]]:
        """One reviewer's approval; the last one required moves it to ``approved``.

        Raises:
            NotPermittedError: the matrix does not allow ``approve_disposal``
                on the record class, or the actor already approved.
            InvalidTransitionError: the disposition is no longer pending.
        """
        at = self._at(at)
        _fire("sign", self.state)
        decision = matrix.check(actor, APPROVE, self.record_class, scope=scope, at=at)
        if not decision:
            raise NotPermittedError(actor, f"approve the disposal of {self.record_id!r}", decision)
        if actor in self.approved_by:
            raise NotPermittedError(
                actor, f"approve the disposal of {self.record_id!r}", "already approved it once"
            )
        return self._signed((*self.approved_by, actor), at, actor, comment)

    def approve_by(
        self, request: ApprovalRequest, *, at: datetime, matrix: RoleMatrix, scope: str
    ) -> tuple[Disposition, list[Event]]:
        """Approve through a finished approval chain (multi-stage review).

        ``request`` must be approved and its subject must name this record
        (``{"record_id": ...}``). Its approvers in the final round count as
        this disposition's reviewers, so each must also be allowed
        ``approve_disposal`` on the record class; together with earlier
        approvals they must reach ``required_approvals``.
        """
        at = self._at(at)
        _fire("sign", self.state)
        if request.state != "approved":
            raise InvalidTransitionError(request.state, "approve a disposal by this request")
        if request.subject.get("record_id") != self.record_id:
            raise InvalidDefinitionError(
                "request.subject.record_id", repr(self.record_id), request.subject.get("record_id")
            )
        signers = [s.actor for sigs in request.valid_approvals().values() for s in sigs]
        for signer in dict.fromkeys(signers):
            decision = matrix.check(signer, APPROVE, self.record_class, scope=scope, at=at)
            if not decision:
                what = f"approve the disposal of {self.record_id!r} (request {request.id})"
                raise NotPermittedError(signer, what, decision)
        approvers = tuple(dict.fromkeys((*self.approved_by, *signers)))
        return self._signed(approvers, at, "system", f"approval request {request.id}")

    def _signed(
        self,
        approvers: tuple[str, ...],
        at: datetime,
        actor: str,
        comment: str,
    ) -> tuple[Disposition, list[Event]]:
        enough = len(approvers) >= self.required_approvals
        state = _fire("approve" if enough else "sign", self.state)
        changed = attrs.evolve(
            self, state=state, approved_by=approvers, updated_at=at, version=self.version + 1
        )
        event = event_of(
            actor,
            "retention.disposal_approved" if enough else "retention.disposal_signed",
            self.record_id,
            at,
            {"approved_by": list(approvers), "comment": comment},
        )
        return changed, [event]

    def extend(
        self,
        actor: str,
        *,
        until: date,
        at: datetime,
        matrix: RoleMatrix,
        scope: str,
        comment: str = "",
    ) -> tuple[Disposition, list[Event]]:
        """A reviewer keeps the record longer instead (Purview's "extend").

        The host records the new date on the record (e.g. a lock or an event)
        so that it is not due again before ``until``.
        """
        at = self._at(at)
        _fire("extend", self.state)
        if (
            isinstance(until, datetime)
            or not isinstance(until, date)
            or until <= self.dispose_after
        ):
            raise InvalidDefinitionError("until", f"a date after {self.dispose_after}", until)
        decision = matrix.check(actor, APPROVE, self.record_class, scope=scope, at=at)
        if not decision:
            raise NotPermittedError(actor, f"extend the retention of {self.record_id!r}", decision)
        changed = attrs.evolve(
            self, state="extended", extended_until=until, updated_at=at, version=self.version + 1
        )
        event = event_of(
            actor,
            "retention.extended",
            self.record_id,
            at,
            {"until": until.isoformat(), "comment": comment},
        )
        return changed, [event]

    def execute(
        self,
        record: Record,
        *,
        at: datetime,
        actor: str,
        holds: Iterable[LegalHold] = (),
    ) -> tuple[Disposition, DestructionCertificate | None, list[Event]]:
        """Carry out the approved action; a destruction returns its certificate.

        Raises:
            InvalidTransitionError: not approved yet, or a hold placed since
                covers the record (``on_hold``).
            ConflictError: the record changed since the disposition started.
        """
        at = self._at(at)
        done = _DONE.get(self.action, "transferred")
        _fire({"destroyed": "destroy", "archived": "archive"}.get(done, "transfer"), self.state)
        if (
            record.id != self.record_id
            or record.metadata_sha256() != self.record_sha256
            or record.lock != self.record_lock
        ):
            raise ConflictError(
                f"record {record.id!r} (or its lock) changed since its disposition started; "
                "evaluate it again"
            )
        held = sorted(h.id for h in holds if h.active(at) and h.covers(record, self.classes))
        if held:
            raise InvalidTransitionError(
                "on_hold", f"dispose of {record.id!r} (holds {', '.join(held)})"
            )
        changed = attrs.evolve(self, state=done, updated_at=at, version=self.version + 1)
        certificate = None
        if done == "destroyed":
            certificate = DestructionCertificate(
                record_id=self.record_id,
                record_class=self.record_class,
                schedule=self.schedule,
                schedule_version=self.schedule_version,
                created=self.created,
                keep_until=self.keep_until,
                dispose_after=self.dispose_after,
                approved_by=self.approved_by,
                destroyed_by=actor,
                destroyed_at=at,
                record_sha256=self.record_sha256,
            )
        event = event_of(
            actor,
            f"retention.{done}",
            self.record_id,
            at,
            {"record_class": self.record_class, "record_sha256": self.record_sha256},
        )
        return changed, certificate, [event]
