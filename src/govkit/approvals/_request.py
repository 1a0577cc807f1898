"""ApprovalRequest: one request moving through a chain, as frozen snapshots.

Lifecycle (checked by one ``transitions`` state machine shared by every chain)::

    pending ──approve (last step)──▶ approved
    pending ──reject──▶ rejected
    pending ──send back to the requester──▶ returned ──resubmit──▶ pending
    pending | returned ──withdraw──▶ withdrawn
    awaiting_ratification ──approve (last step)──▶ ratified     (R-APV-6)
    awaiting_ratification ──reject──▶ rejected

Within ``pending`` (and ``awaiting_ratification``) the request sits at one
step of one round. Votes are keyed by (step, round): a send-back to an
earlier step opens a new round in which that step and every later one need
fresh decisions, while the steps before it keep theirs; a resubmission that
changes the subject, the amount or the facts opens a round from the first
step, so every earlier approval is stale (GitHub's "dismiss stale reviews").
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any, ClassVar

import attrs
from transitions import Machine, MachineError

from govkit._facts import match_when
from govkit._time import require_aware
from govkit.approvals._chain import ApprovalChain, Step
from govkit.approvals._checks import require_name
from govkit.approvals._policy import ApprovalPolicy, RouteChoice
from govkit.approvals._records import Delegation, EmergencyAction, Round, SignatureRecord
from govkit.approvals._rules import AnyOf
from govkit.audit import Event
from govkit.calendar import BusinessDays, BusinessHours, Duration, Period
from govkit.errors import (
    InvalidDefinitionError,
    InvalidTimeError,
    InvalidTransitionError,
    NotPermittedError,
    StaleVersionError,
)
from govkit.roles import RoleMatrix
from govkit.roles._scope import check_scope
from govkit.serialization import canonical_json

__all__ = ["ApprovalRequest", "ApprovalStatus"]

STATES = (
    "pending",
    "returned",
    "awaiting_ratification",
    "approved",
    "ratified",
    "rejected",
    "withdrawn",
)
OPEN = ("pending", "awaiting_ratification")
FINISHED = frozenset({"approved", "ratified", "rejected", "withdrawn"})
_BREACH = Decimal(1)
_SYSTEM = "system"


@lru_cache(maxsize=1)
def _machine() -> Machine:
    # The lifecycle is the same for every chain: steps and rounds live in the
    # snapshot, so one machine serves every request (never one per request).
    machine = Machine(model=None, states=list(STATES), initial="pending", auto_transitions=False)
    machine.add_transition("advance", list(OPEN), "=")
    machine.add_transition("finish", "pending", "approved")
    machine.add_transition("finish", "awaiting_ratification", "ratified")
    machine.add_transition("reject", list(OPEN), "rejected")
    machine.add_transition("send_back", list(OPEN), "=")
    machine.add_transition("return", "pending", "returned")
    machine.add_transition("resubmit", ["pending", "returned"], "pending")
    machine.add_transition("withdraw", ["pending", "returned"], "withdrawn")
    machine.add_transition("migrate", [*OPEN, "returned"], "=")
    return machine


class _Cursor:
    __slots__ = ("state",)

    def __init__(self, state: str) -> None:
        self.state = state


@lru_cache(maxsize=256)
def _outcome(action: str, state: str) -> str | None:
    # The machine has no conditions, so its answer depends on (action, state)
    # only: ask it once per pair.
    cursor = _Cursor(state)
    try:
        _machine().events[action].trigger(cursor)
    except MachineError:
        return None
    return cursor.state


def _fire(action: str, state: str) -> str:
    after = _outcome(action, state)
    if after is None:
        raise InvalidTransitionError(state, action)
    return after


def _amount(value: object) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise InvalidDefinitionError("amount", "a Decimal or int (never a float)", value)
    amount = Decimal(value)
    if not amount.is_finite() or amount < 0:
        raise InvalidDefinitionError("amount", "a finite amount >= 0", value)
    return amount


def _plain(value: object, field: str) -> dict[str, Any]:
    expected = "a mapping of plain JSON values (str, int, float, bool, None, lists, objects)"
    if not isinstance(value, Mapping) or not all(isinstance(k, str) for k in value):
        raise InvalidDefinitionError(field, expected, value)
    try:
        # A deep copy in JSON form: the caller's later changes cannot reach the
        # request, and the stored subject is exactly what its hash covers.
        copied: dict[str, Any] = json.loads(canonical_json(dict(value)))
    except (TypeError, ValueError):
        raise InvalidDefinitionError(field, expected, value) from None
    return copied


def _facts(value: object) -> dict[str, Any]:
    known = _plain(value, "facts")
    if "amount" in known:
        raise InvalidDefinitionError("facts", "no 'amount' fact (pass amount=)", known)
    return known


def _digest(request_id: str, subject: Mapping[str, Any], amount: Decimal | None) -> str:
    body = {
        "id": request_id,
        "subject": dict(subject),
        # 120000 and 120000.00 are the same amount: hash its normalised form.
        "amount": None if amount is None else format(amount.normalize(), "f"),
    }
    return hashlib.sha256(canonical_json(body).encode("utf-8")).hexdigest()


def _deadline(chain: ApprovalChain, start: datetime, within: Duration) -> datetime:
    if isinstance(within, timedelta):
        return (start.astimezone(UTC) + within).astimezone(start.tzinfo)
    calendar = chain.calendar
    if calendar is None:
        assert isinstance(within, Period)  # the chain refuses business time without a calendar
        return within.end_of(start)
    return calendar.add(start, within)


@attrs.frozen(kw_only=True)
class ApprovalStatus:
    """Where a request stands at one instant: its step, round and deadlines.

    Attributes:
        at: The instant asked about.
        state: The request's state.
        step: The current step's name, or ``None`` when none is waiting.
        round: The current round.
        step_due_at: When the current step's time limit is used up, if it has one.
        step_overdue: Whether that limit has passed.
        ratification_due_at: For an emergency action: when ratification is due.
        ratification_overdue: Whether that deadline passed before ratification.
    """

    at: datetime
    state: str
    step: str | None
    round: int
    step_due_at: datetime | None
    step_overdue: bool
    ratification_due_at: datetime | None
    ratification_overdue: bool


@attrs.frozen(kw_only=True)
class ApprovalRequest:
    """A frozen snapshot of one request under an approval chain.

    Create requests with :meth:`submit` (or :meth:`emergency` for an action
    already taken). Every operation takes the instant it happened (``at``,
    never before the last change) and the role matrix in force, and returns
    ``(new_request, events)``; bad input raises and changes nothing.
    ``version`` grows with every change: pass ``expected_version`` to refuse
    a change made from a stale snapshot (two approvers racing on one version).
    """

    __govkit_definition__: ClassVar[str] = "chain"

    chain: ApprovalChain = attrs.field(repr=False)
    id: str
    requester: str
    scope: str
    subject: Mapping[str, Any] = attrs.field(hash=False)
    amount: Decimal | None
    facts: Mapping[str, Any] = attrs.field(hash=False)
    subject_sha256: str
    route: RouteChoice | None
    state: str
    step: int
    round: int
    rounds: tuple[Round, ...]
    signatures: tuple[SignatureRecord, ...]
    step_started_at: datetime | None
    notified: tuple[Decimal, ...]
    escalated: bool
    stuck_reported: bool
    emergency_action: EmergencyAction | None
    overdue_reported: bool
    created_at: datetime
    updated_at: datetime
    version: int

    # -- creation --------------------------------------------------------------

    @classmethod
    def submit(
        cls,
        definition: ApprovalPolicy | ApprovalChain,
        *,
        id: str,
        requester: str,
        scope: str,
        at: datetime,
        matrix: RoleMatrix,
        subject: Mapping[str, Any] | None = None,
        amount: Decimal | int | None = None,
        facts: Mapping[str, Any] | None = None,
    ) -> tuple[ApprovalRequest, tuple[Event, ...]]:
        """Submit a request: choose its chain (from a policy) and reach the first step.

        Args:
            definition: An :class:`ApprovalPolicy` (the route is chosen from
                the facts and amount) or an :class:`ApprovalChain`.
            id: The request's id, e.g. ``"PO-2026-0042"``.
            requester: Who asks; they never decide their own request.
            scope: The requester's scope, e.g. ``"company/quality"``: where
                step roles are looked up and authority is checked.
            at: When it was submitted.
            matrix: The role matrix in force (steps with no one eligible are
                reported by :meth:`explain` and :meth:`tick`, never deadlock silently).
            subject: What is approved, as plain JSON values; its SHA-256 goes
                into every signature.
            amount: The amount at stake (R-APV-5), compared with grant limits.
            facts: Facts that choose the route and step conditions (e.g. severity).
        """
        return cls._create(
            definition,
            id=id,
            requester=requester,
            scope=scope,
            at=at,
            matrix=matrix,
            subject=subject,
            amount=amount,
            facts=facts,
            emergency=None,
        )

    @classmethod
    def emergency(
        cls,
        definition: ApprovalPolicy | ApprovalChain,
        *,
        id: str,
        actor: str,
        reason: str,
        acted_at: datetime,
        scope: str,
        at: datetime,
        matrix: RoleMatrix,
        subject: Mapping[str, Any] | None = None,
        amount: Decimal | int | None = None,
        facts: Mapping[str, Any] | None = None,
        ratify_within: Duration | None = None,
    ) -> tuple[ApprovalRequest, tuple[Event, ...]]:
        """Record an action already taken, to be ratified after the fact (R-APV-6).

        The request waits in ``awaiting_ratification`` while the chain's
        approvers ratify (approve) or reject it; the deadline is
        ``ratify_within`` (default: the chain's) counted from ``acted_at`` on
        the chain's calendar. :meth:`tick` and :meth:`status` report it overdue.
        """
        acted_at = require_aware(acted_at, "acted_at")
        require_name(reason, "reason")
        return cls._create(
            definition,
            id=id,
            requester=actor,
            scope=scope,
            at=at,
            matrix=matrix,
            subject=subject,
            amount=amount,
            facts=facts,
            emergency=(reason, acted_at, ratify_within),
        )

    @classmethod
    def _create(
        cls,
        definition: ApprovalPolicy | ApprovalChain,
        *,
        id: str,
        requester: str,
        scope: str,
        at: datetime,
        matrix: RoleMatrix,
        subject: Mapping[str, Any] | None,
        amount: Decimal | int | None,
        facts: Mapping[str, Any] | None,
        emergency: tuple[str, datetime, Duration | None] | None,
    ) -> tuple[ApprovalRequest, tuple[Event, ...]]:
        at = require_aware(at, "at")
        require_name(id, "id")
        require_name(requester, "requester")
        check_scope(scope, "scope")
        if not isinstance(matrix, RoleMatrix):
            raise InvalidDefinitionError("matrix", "a RoleMatrix", matrix)
        money = _amount(amount)
        content = _plain(subject or {}, "subject")
        known = _facts(facts or {})
        route: RouteChoice | None = None
        if isinstance(definition, ApprovalPolicy):
            route = definition.choose({**known, "amount": money})
            chain = definition.route(route.route).chain
        elif isinstance(definition, ApprovalChain):
            chain = definition
        else:
            raise InvalidDefinitionError(
                "definition", "an ApprovalPolicy or ApprovalChain", definition
            )
        action: EmergencyAction | None = None
        if emergency is not None:
            reason, acted_at, within = emergency
            within = within if within is not None else chain.ratify_within
            if not isinstance(within, timedelta | BusinessDays | BusinessHours | Period):
                raise InvalidDefinitionError(
                    "ratify_within",
                    "a timedelta, BusinessDays, BusinessHours or Period (on the chain or here)",
                    within,
                )
            if isinstance(within, BusinessDays | BusinessHours) and chain.calendar is None:
                raise InvalidDefinitionError(
                    "ratify_within",
                    f"a timedelta or Period (chain {chain.name!r} has no calendar)",
                    within,
                )
            if acted_at > at:
                raise InvalidTimeError(
                    "acted_at", acted_at, f"expected an instant at or before {at}"
                )
            due = _deadline(chain, acted_at, within)
            action = EmergencyAction(actor=requester, reason=reason, acted_at=acted_at, due_at=due)
        digest = _digest(id, content, money)
        request = cls(
            chain=chain,
            id=id,
            requester=requester,
            scope=scope,
            subject=content,
            amount=money,
            facts=known,
            subject_sha256=digest,
            route=route,
            state="pending" if action is None else "awaiting_ratification",
            step=0,
            round=1,
            rounds=(
                Round(
                    number=1,
                    started_at=at,
                    by=requester,
                    reason="submitted" if action is None else "emergency action recorded",
                    start_step=0,
                    subject_sha256=digest,
                ),
            ),
            signatures=(),
            step_started_at=None,
            notified=(),
            escalated=False,
            stuck_reported=False,
            emergency_action=action,
            overdue_reported=False,
            created_at=at,
            updated_at=at,
            version=1,
        )
        data: dict[str, Any] = {"round": 1}
        if route is not None:
            data["route"] = route.route
            data["reasons"] = list(route.reasons)
        if action is not None:
            data.update(
                reason=action.reason,
                acted_at=action.acted_at.isoformat(),
                due_at=action.due_at.isoformat(),
            )
        verb = "approval.submitted" if action is None else "approval.emergency_recorded"
        first = request._event(verb, at, requester, **data)
        reached, events = request._reach(0, at, requester)
        return reached, (first, *events)

    # -- reading -----------------------------------------------------------------

    @property
    def current_step(self) -> Step | None:
        """The step waiting for decisions, or ``None`` when none is."""
        if self.state not in OPEN:
            return None
        return self.chain.steps[self.step]

    @property
    def history(self) -> tuple[SignatureRecord, ...]:
        """Every decision ever made on the request, every round included, oldest first."""
        return self.signatures

    def facts_for_conditions(self) -> dict[str, Any]:
        """The facts step and route conditions see: the request's facts plus ``amount``."""
        return {**self.facts, "amount": self.amount}

    def valid_approvals(self) -> dict[str, tuple[SignatureRecord, ...]]:
        """Per step, the approvals that still count for the current content and round."""
        out: dict[str, tuple[SignatureRecord, ...]] = {}
        for i, step in enumerate(self.chain.steps):
            since = max(r.number for r in self.rounds if r.start_step <= i)
            out[step.name] = tuple(
                s
                for s in self.signatures
                if s.step == step.name and s.decision == "approve" and s.round >= since
            )
        return out

    def pending_approvers(self, matrix: RoleMatrix, at: datetime) -> tuple[str, ...]:
        """Who may decide the current step now, sorted; empty when no one may."""
        return self._screen(matrix, require_aware(at, "at"))[0]

    def status(self, at: datetime) -> ApprovalStatus:
        """Deadlines of the current step and of ratification at ``at``."""
        at = require_aware(at, "at")
        step = self.current_step
        due: datetime | None = None
        if step is not None and step.sla is not None and self.step_started_at is not None:
            clock, _ = step.sla.start(
                at=self.step_started_at, facts=self.facts_for_conditions(), subject=self.id
            )
            due = clock.status(max(at, self.step_started_at)).due_at
        ratify_due = self.emergency_action.due_at if self.emergency_action is not None else None
        # Overdue while waiting past the deadline, or ratified only after it.
        settled_at = self._ratified_at() if self.state == "ratified" else None
        waiting = self.state == "awaiting_ratification"
        return ApprovalStatus(
            at=at,
            state=self.state,
            step=None if step is None else step.name,
            round=self.round,
            step_due_at=due,
            step_overdue=due is not None and at > due,
            ratification_due_at=ratify_due,
            ratification_overdue=ratify_due is not None
            and (
                (waiting and at > ratify_due)
                or (settled_at is not None and settled_at > ratify_due)
            ),
        )

    def explain(self, matrix: RoleMatrix | None = None, at: datetime | None = None) -> str:
        """What happened and what is left: route, decisions, who may act now, deadlines.

        With ``matrix`` and ``at`` it also names who may decide the current
        step, who is excluded and why, and says so when no one is left.
        """
        lines = [f"request {self.id} by {self.requester} ({self.scope}): {self.state}"]
        lines.append(f"  chain {self.chain.name} v{self.chain.version}, round {self.round}")
        if self.route is not None:
            lines.append("  route: " + self.route.explain())
        if self.emergency_action is not None:
            e = self.emergency_action
            lines.append(
                f"  emergency action by {e.actor} at {e.acted_at.isoformat()}: {e.reason}; "
                f"ratification due {e.due_at.isoformat()}"
            )
        facts = self.facts_for_conditions()
        approvals = self.valid_approvals()
        for i, step in enumerate(self.chain.steps):
            applies, why = match_when(step.when, facts) if step.when else (True, ())
            done = approvals[step.name]
            if not applies:
                lines.append(f"  - {step.name}: skipped ({why[-1]})")
            elif done and (i < self.step or self.state in {"approved", "ratified"}):
                who = ", ".join(_signer(s) for s in done)
                lines.append(f"  - {step.name}: approved by {who}")
            elif i == self.step and self.state in OPEN:
                lines.append(
                    f"  - {step.name}: waiting "
                    f"({step.approvers.describe()}, {step.rule.describe()})"
                )
                if done:
                    lines.append("      approved so far by " + ", ".join(_signer(s) for s in done))
                if matrix is not None and at is not None:
                    eligible, excluded = self._screen(matrix, require_aware(at, "at"))
                    lines.append("      may act now: " + (", ".join(eligible) or "no one"))
                    for user, reason in excluded:
                        lines.append(f"      excluded: {user} ({reason})")
                    if not self._reachable(eligible):
                        lines.append(
                            "      STUCK: too few eligible approvers are left for the rule; "
                            "assign one, delegate, or send the request elsewhere"
                        )
                status = self.status(at or self.updated_at)
                if status.step_due_at is not None:
                    late = " (OVERDUE)" if status.step_overdue else ""
                    lines.append(f"      due {status.step_due_at.isoformat()}{late}")
            elif self.state == "returned" and i == self.step:
                lines.append(f"  - {step.name}: returned to {self.requester} for changes")
            elif self.state in FINISHED:
                lines.append(f"  - {step.name}: not reached")
            else:
                lines.append(f"  - {step.name}: to do ({step.approvers.describe()})")
        last = self.signatures[-1] if self.signatures else None
        if last is not None and last.decision in {"reject", "send_back"}:
            lines.append("  last decision: " + last.describe())
        return "\n".join(lines)

    # -- decisions ---------------------------------------------------------------

    def approve(
        self,
        *,
        actor: str,
        at: datetime,
        matrix: RoleMatrix,
        on_behalf_of: str | None = None,
        delegations: Iterable[Delegation] = (),
        comment: str = "",
        expected_version: int | None = None,
    ) -> tuple[ApprovalRequest, tuple[Event, ...]]:
        """Approve (or, for an emergency action, ratify) the current step.

        ``on_behalf_of`` names the absent approver whose authority a
        delegate uses; one of ``delegations`` must cover it at ``at``.

        Raises:
            NotPermittedError: the actor (or the person they act for) may not
                decide this step now; the error carries the reason.
        """
        return self._decide(
            "approve", actor, at, matrix, on_behalf_of, delegations, comment, expected_version
        )

    def reject(
        self,
        *,
        actor: str,
        at: datetime,
        matrix: RoleMatrix,
        on_behalf_of: str | None = None,
        delegations: Iterable[Delegation] = (),
        comment: str = "",
        expected_version: int | None = None,
    ) -> tuple[ApprovalRequest, tuple[Event, ...]]:
        """Reject at the current step.

        The request ends when the step's rule gives a veto or the step can no
        longer be satisfied; otherwise the rejection is counted and others may
        still approve.
        """
        return self._decide(
            "reject", actor, at, matrix, on_behalf_of, delegations, comment, expected_version
        )

    def send_back(
        self,
        to_step: str | None = None,
        *,
        actor: str,
        at: datetime,
        matrix: RoleMatrix,
        on_behalf_of: str | None = None,
        delegations: Iterable[Delegation] = (),
        comment: str = "",
        expected_version: int | None = None,
    ) -> tuple[ApprovalRequest, tuple[Event, ...]]:
        """Send the request back to an earlier step (a new round) or to the requester.

        With ``to_step`` the named step (at or before the current one) and
        every later step need fresh decisions in a new round (R-APV-11); with
        ``None`` the request is ``returned`` until the requester resubmits.
        """
        at, step = self._begin(at, expected_version, "send_back" if to_step else "return")
        target = self.step if to_step is None else self.chain.index(to_step)
        if target > self.step:
            raise InvalidDefinitionError(
                "to_step", f"a step at or before the current step {step.name!r}", to_step
            )
        if not step.may_send_back:
            raise NotPermittedError(actor, "send back", f"step {step.name!r} does not allow it")
        principal, role = self._authority(actor, on_behalf_of, delegations, at, matrix, step)
        record = self._signature(actor, principal, role, step, "send_back", comment, at)
        base = self._with(signatures=(*self.signatures, record))
        where = "the requester" if to_step is None else to_step
        sent = base._event(
            "approval.sent_back", at, actor, step=step.name, to=where, comment=comment
        )
        if to_step is None:
            returned = base._with(state=_fire("return", self.state), step_started_at=None)
            return returned._bump(at), (sent,)
        opened = base._open_round(at, actor, f"sent back to {to_step} by {actor}", target)
        reached, events = opened._reach(target, at, actor)
        return reached._bump(at), (sent, *events)

    def resubmit(
        self,
        *,
        actor: str,
        at: datetime,
        matrix: RoleMatrix,
        subject: Mapping[str, Any] | None = None,
        amount: Decimal | int | None = None,
        facts: Mapping[str, Any] | None = None,
        policy: ApprovalPolicy | None = None,
        comment: str = "",
        expected_version: int | None = None,
    ) -> tuple[ApprovalRequest, tuple[Event, ...]]:
        """Resubmit, with changes or without, as a new round.

        A change to the subject, amount or facts makes every earlier approval
        stale: the new round starts at the first step (and, for a request
        routed by a policy, the route is chosen again: pass the same
        ``policy``). Without changes a returned request goes back to the step
        that returned it, keeping the approvals before it. ``matrix`` is taken
        like every other operation's, although resubmitting needs no authority
        beyond being the requester.
        """
        at, _ = self._begin(at, expected_version, "resubmit", need_step=False)
        if actor != self.requester:
            raise NotPermittedError(actor, "resubmit", f"only the requester {self.requester} may")
        content = self.subject if subject is None else _plain(subject, "subject")
        money = self.amount if amount is None else _amount(amount)
        known = self.facts if facts is None else _facts(facts)
        digest = _digest(self.id, content, money)
        changed = digest != self.subject_sha256 or dict(known) != dict(self.facts)
        if not changed and self.state != "returned":
            raise InvalidDefinitionError(
                "subject", "a change to the subject, amount or facts (nothing changed)", subject
            )
        base = self._with(subject=content, amount=money, facts=known, subject_sha256=digest)
        events: list[Event] = []
        if changed and self.route is not None:
            if policy is None or (policy.name, policy.version) != (
                self.route.policy,
                self.route.policy_version,
            ):
                raise InvalidDefinitionError(
                    "policy",
                    f"policy {self.route.policy} v{self.route.policy_version} "
                    "to route the changed request",
                    policy,
                )
            route = policy.choose(base.facts_for_conditions())
            base = base._with(route=route, chain=policy.route(route.route).chain)
        start = 0 if changed else self.step
        if changed:
            stale = [s for ss in self.valid_approvals().values() for s in ss]
            if stale:
                events.append(
                    base._event(
                        "approval.approvals_dismissed",
                        at,
                        actor,
                        dismissed=[f"{s.step}:{_signer(s)}" for s in stale],
                        reason="the request changed after they were given",
                    )
                )
        state = _fire("resubmit", self.state)
        opened = base._with(state=state)._open_round(
            at, actor, "resubmitted with changes" if changed else "resubmitted", start
        )
        first = opened._event(
            "approval.resubmitted", at, actor, changed=changed, comment=comment, sha256=digest
        )
        reached, more = opened._reach(start, at, actor)
        return reached._bump(at), (first, *events, *more)

    def withdraw(
        self, *, actor: str, at: datetime, reason: str = "", expected_version: int | None = None
    ) -> tuple[ApprovalRequest, tuple[Event, ...]]:
        """The requester withdraws the request."""
        at, _ = self._begin(at, expected_version, "withdraw", need_step=False)
        if actor != self.requester:
            raise NotPermittedError(actor, "withdraw", f"only the requester {self.requester} may")
        done = self._with(state=_fire("withdraw", self.state), step_started_at=None)
        return done._bump(at), (done._event("approval.withdrawn", at, actor, reason=reason),)

    def migrate(
        self,
        chain: ApprovalChain,
        *,
        steps: Mapping[str, str],
        at: datetime,
        actor: str,
        expected_version: int | None = None,
    ) -> tuple[ApprovalRequest, tuple[Event, ...]]:
        """Move a running request to a newer version of its chain, explicitly.

        ``steps`` maps the current step's name to its name in ``chain``; the
        request continues there in a new round (the current step's votes are
        taken again under the new definition; earlier steps stay done).
        """
        at, _ = self._begin(at, expected_version, "migrate", need_step=False)
        if not isinstance(chain, ApprovalChain) or chain.name != self.chain.name:
            raise InvalidDefinitionError("chain", f"a version of chain {self.chain.name!r}", chain)
        if chain.version <= self.chain.version:
            raise InvalidDefinitionError(
                "chain.version", f"a version after {self.chain.version}", chain.version
            )
        current = self.chain.steps[self.step].name
        if current not in steps:
            raise InvalidDefinitionError(
                "steps", f"a mapping for the current step {current!r}", dict(steps)
            )
        target = chain.index(steps[current])
        moved = self._with(chain=chain, step=target)
        event = moved._event(
            "approval.migrated",
            at,
            actor,
            from_version=self.chain.version,
            to_version=chain.version,
            step=steps[current],
        )
        if self.state == "returned":
            return moved._bump(at), (event,)
        opened = moved._open_round(at, actor, f"migrated to v{chain.version}", target)
        reached, events = opened._reach(target, at, actor)
        return reached._bump(at), (event, *events)

    def tick(
        self, at: datetime, *, matrix: RoleMatrix
    ) -> tuple[ApprovalRequest, tuple[Event, ...]]:
        """Fire what is due by ``at``: reminders, breach actions, overdue ratification, stuck steps.

        Each event carries the instant it became due, so a late tick reports
        the past correctly. Calling it again changes nothing.
        """
        at = self._check_at(at)
        request: ApprovalRequest = self
        events: list[Event] = []
        e = self.emergency_action
        if e is not None and not self.overdue_reported and self.status(at).ratification_overdue:
            request = request._with(overdue_reported=True)
            events.append(
                request._event("approval.ratification_overdue", e.due_at, _SYSTEM, acted_by=e.actor)
            )
        for _ in range(len(self.chain.steps) + 1):  # each pass may finish one step
            request, caused = request._tick_step(at)
            events.extend(caused)
            if not caused or request.state not in OPEN:
                break
        if request.state in OPEN and not request.stuck_reported:
            eligible, excluded = request._screen(matrix, at)
            if not request._reachable(eligible):
                request = request._with(stuck_reported=True)
                events.append(
                    request._event(
                        "approval.stuck",
                        at,
                        _SYSTEM,
                        step=request.chain.steps[request.step].name,
                        excluded=[f"{u}: {why}" for u, why in excluded],
                    )
                )
        if not events:
            return self, ()
        return request._bump(at), tuple(events)

    # -- internals ----------------------------------------------------------------

    def _check_at(self, at: datetime) -> datetime:
        at = require_aware(at, "at")
        if at < self.updated_at:
            raise InvalidTimeError(
                "at",
                at,
                f"expected an instant at or after the request's last change {self.updated_at}",
            )
        return at

    def _begin(
        self, at: datetime, expected_version: int | None, action: str, *, need_step: bool = True
    ) -> tuple[datetime, Step]:
        at = self._check_at(at)
        if expected_version is not None and expected_version != self.version:
            raise StaleVersionError(expected_version, self.version)
        _fire(action, self.state)  # refuse an impossible action before any work
        step = self.chain.steps[min(self.step, len(self.chain.steps) - 1)]
        if need_step and self.state not in OPEN:
            raise InvalidTransitionError(self.state, action)
        return at, step

    def _with(self, **changes: Any) -> ApprovalRequest:
        # attrs.evolve re-reads the class's fields on every call; requests
        # change several times per decision, so keep one list of names.
        values = {name: getattr(self, name) for name in _FIELDS}
        values.update(changes)
        return ApprovalRequest(**values)

    def _bump(self, at: datetime) -> ApprovalRequest:
        # Only ever called on a snapshot this operation has just built and not
        # yet returned, so stamping it in place is invisible to every caller.
        object.__setattr__(self, "version", self.version + 1)
        object.__setattr__(self, "updated_at", at)
        return self

    def _event(self, action: str, at: datetime, actor: str, **data: Any) -> Event:
        return Event(
            actor=actor,
            action=action,
            subject=self.id,
            at=at,
            data={"chain": self.chain.name, "chain_version": self.chain.version, **data},
        )

    def _ratified_at(self) -> datetime | None:
        if self.state != "ratified":
            return None
        return self.signatures[-1].at if self.signatures else self.updated_at

    def _open_round(self, at: datetime, actor: str, reason: str, start: int) -> ApprovalRequest:
        number = self.round + 1
        opened = Round(
            number=number,
            started_at=at,
            by=actor,
            reason=reason,
            start_step=start,
            subject_sha256=self.subject_sha256,
        )
        return self._with(round=number, rounds=(*self.rounds, opened))

    def _reach(self, start: int, at: datetime, actor: str) -> tuple[ApprovalRequest, list[Event]]:
        """Move to the first step from ``start`` whose conditions hold, or finish."""
        facts = self.facts_for_conditions()
        events: list[Event] = []
        for i in range(start, len(self.chain.steps)):
            step = self.chain.steps[i]
            if step.when:
                applies, why = match_when(step.when, facts)
                if not applies:
                    events.append(
                        self._event(
                            "approval.step_skipped", at, _SYSTEM, step=step.name, reason=why[-1]
                        )
                    )
                    continue
            reached = self._with(
                step=i,
                step_started_at=at,
                notified=(),
                escalated=False,
                stuck_reported=False,
            )
            events.append(
                reached._event(
                    "approval.step_reached", at, _SYSTEM, step=step.name, round=self.round
                )
            )
            return reached, events
        finished = self._with(
            state=_fire("finish", self.state),
            step=len(self.chain.steps) - 1,
            step_started_at=None,
        )
        verb = "approval.ratified" if finished.state == "ratified" else "approval.approved"
        events.append(finished._event(verb, at, actor, round=self.round))
        return finished, events

    def _votes(self, step: Step) -> tuple[list[str], list[str]]:
        """Who approved and who rejected ``step`` in the current round (by authority used)."""
        approved: list[str] = []
        rejected: list[str] = []
        for s in self.signatures:
            if s.step == step.name and s.round == self.round:
                who = s.on_behalf_of or s.actor
                if s.decision == "approve":
                    approved.append(who)
                elif s.decision == "reject":
                    rejected.append(who)
        return approved, rejected

    def _voters(self, step: Step) -> set[str]:
        """Everyone who took part in a vote on ``step`` this round, delegates included."""
        people: set[str] = set()
        for s in self.signatures:
            if s.step == step.name and s.round == self.round:
                people.add(s.actor)
                if s.on_behalf_of:
                    people.add(s.on_behalf_of)
        return people

    def _others(self, step: Step) -> list[SignatureRecord]:
        """Valid approvals of the other steps (for distinct approvers and SoD)."""
        return [
            s
            for name, signed in self.valid_approvals().items()
            if name != step.name
            for s in signed
        ]

    def _fits(self, user: str, step: Step, matrix: RoleMatrix, at: datetime) -> str | None:
        """The role ``user`` would act in at ``step`` ("" for a named user), or None."""
        if step.approvers.fits(user, matrix, requester=self.requester, scope=self.scope, at=at):
            return step.approvers.acting_role() or ""
        breach = step.on_breach
        if (
            self.escalated
            and breach is not None
            and breach.to_role is not None
            and breach.to_role in matrix.roles_of(user, self.scope, at)
        ):
            return breach.to_role
        return None

    def _refusal(
        self, person: str, step: Step, role: str, matrix: RoleMatrix, at: datetime
    ) -> object | None:
        """Why ``person`` may not decide ``step`` now (text or a matrix Decision), or None."""
        excluded = self._exclusion(person, step, role, matrix)
        return excluded if excluded is not None else self._authority_of(person, step, matrix, at)

    def _exclusion(self, person: str, step: Step, role: str, matrix: RoleMatrix) -> object | None:
        """Why ``person`` may take no part in ``step`` whatever their authority, or None."""
        if person == self.requester:
            return "the requester never decides their own request"
        if person in self._voters(step):
            return f"already decided step {step.name!r} in round {self.round}"
        others = self._others(step) if step.distinct or matrix.dynamic_rules else []
        if step.distinct:
            for s in others:
                if person in {s.actor, s.on_behalf_of}:
                    return f"already approved step {s.step!r}; this step needs someone else"
        if role and matrix.dynamic_rules:
            case = [(s.on_behalf_of or s.actor, s.role) for s in others if s.role]
            separation = matrix.may_act(person, role, case=case)
            if not separation:
                return separation
        return None

    def _authority_of(
        self, person: str, step: Step, matrix: RoleMatrix, at: datetime
    ) -> object | None:
        """The matrix's refusal when ``person`` lacks the step's authority now, else None."""
        if step.action is None:  # a named outsider, e.g. the customer (R-APV-11)
            return None
        where = step.approvers.where(self.scope)
        authority = matrix.check(
            person, step.action, self.chain.resource, scope=where, at=at, amount=self.amount
        )
        if not authority:
            return authority
        return None

    def _authority(
        self,
        actor: str,
        on_behalf_of: str | None,
        delegations: Iterable[Delegation],
        at: datetime,
        matrix: RoleMatrix,
        step: Step,
    ) -> tuple[str, str]:
        """Check that ``actor`` may decide ``step`` now; return whose authority and which role."""
        require_name(actor, "actor")
        if not isinstance(matrix, RoleMatrix):
            raise InvalidDefinitionError("matrix", "a RoleMatrix", matrix)
        doing = f"decide step {step.name!r} of {self.id}"
        principal = actor
        if on_behalf_of is not None:
            require_name(on_behalf_of, "on_behalf_of")
            covering = [
                d
                for d in delegations
                if isinstance(d, Delegation)
                and d.delegator == on_behalf_of
                and d.delegate == actor
                and d.active(at)
            ]
            if not covering:
                raise NotPermittedError(
                    actor,
                    doing,
                    f"no delegation from {on_behalf_of} to {actor} holds at {at.isoformat()}",
                )
            principal = on_behalf_of
        role = self._fits(principal, step, matrix, at)
        if role is None:
            why = f"{principal} is not among its approvers ({step.approvers.describe()})"
            matrix_says = self._authority_of(principal, step, matrix, at)
            if matrix_says is not None:  # e.g. the assignment expired: say so too
                why += "; " + str(getattr(matrix_says, "explain", lambda: matrix_says)())
            raise NotPermittedError(actor, doing, why)
        # The delegate is a person in the case too: the same exclusions apply to them.
        for person in dict.fromkeys((principal, actor)):
            refusal = self._exclusion(person, step, role, matrix)
            if refusal is not None:
                raise NotPermittedError(actor, doing, refusal)
        authority = self._authority_of(principal, step, matrix, at)
        if authority is not None:
            raise NotPermittedError(actor, doing, authority)
        return principal, role

    def _signature(
        self,
        actor: str,
        principal: str,
        role: str,
        step: Step,
        decision: str,
        comment: str,
        at: datetime,
    ) -> SignatureRecord:
        if not isinstance(comment, str):
            raise InvalidDefinitionError("comment", "text", comment)
        verb = {"approve": "approved", "reject": "rejected at", "send_back": "sent back at"}
        said = verb[decision]
        if decision == "approve" and self.state == "awaiting_ratification":
            said = "ratified"
        meaning = f"{said} {step.name}" + (f": {step.meaning}" if step.meaning else "")
        return SignatureRecord(
            request=self.id,
            actor=actor,
            on_behalf_of=None if principal == actor else principal,
            role=role or None,
            step=step.name,
            round=self.round,
            decision=decision,
            meaning=meaning,
            comment=comment,
            at=at,
            subject_sha256=self.subject_sha256,
        )

    def _decide(
        self,
        decision: str,
        actor: str,
        at: datetime,
        matrix: RoleMatrix,
        on_behalf_of: str | None,
        delegations: Iterable[Delegation],
        comment: str,
        expected_version: int | None,
    ) -> tuple[ApprovalRequest, tuple[Event, ...]]:
        at, step = self._begin(
            at, expected_version, "reject" if decision == "reject" else "advance"
        )
        principal, role = self._authority(actor, on_behalf_of, delegations, at, matrix, step)
        record = self._signature(actor, principal, role, step, decision, comment, at)
        voted = self._with(signatures=(*self.signatures, record))
        data: dict[str, Any] = {"step": step.name, "round": self.round, "comment": comment}
        if record.on_behalf_of:
            data["on_behalf_of"] = record.on_behalf_of
        verb = "approval.step_approved" if decision == "approve" else "approval.step_rejected"
        events = [voted._event(verb, at, actor, **data)]
        after, more = voted._settle(step, at, actor, matrix, decision)
        return after._bump(at), (*events, *more)

    def _settle(
        self, step: Step, at: datetime, actor: str, matrix: RoleMatrix, decision: str
    ) -> tuple[ApprovalRequest, list[Event]]:
        """After a vote: finish the step, end the request, or keep waiting."""
        if decision == "reject" and step.rule.veto:
            done = self._with(state=_fire("reject", self.state), step_started_at=None)
            return done, [done._event("approval.rejected", at, actor, step=step.name, veto=True)]
        needs_pool = not isinstance(step.rule, AnyOf) or decision == "reject"
        eligible: Sequence[str] = self._screen(matrix, at)[0] if needs_pool else ()
        approved, possible, needed = self._tally(eligible)
        if decision == "approve" and approved >= needed:
            return self._reach(self.step + 1, at, actor)
        if decision == "reject" and possible < needed:
            done = self._with(state=_fire("reject", self.state), step_started_at=None)
            return done, [
                done._event(
                    "approval.rejected",
                    at,
                    actor,
                    step=step.name,
                    veto=False,
                    reason=f"{needed} approvals needed, at most {possible} possible",
                )
            ]
        return self, []

    def _tally(self, eligible: Sequence[str]) -> tuple[int, int, int]:
        """For the current step: approvals so far, the most still possible, and those needed.

        The rule counts everyone who may still vote or has voted either way: a
        rejection counts against AllOf and percentage quorums, it does not shrink them.
        """
        approved, rejected = self._votes(self.chain.steps[self.step])
        pool = len(set(eligible) | set(approved) | set(rejected))
        needed = self.chain.steps[self.step].rule.needed(pool)
        return len(approved), len(approved) + len(eligible), needed

    def _reachable(self, eligible: Sequence[str]) -> bool:
        """Whether the current step can still get the approvals its rule needs."""
        _, possible, needed = self._tally(eligible)
        return possible >= needed

    def _screen(
        self, matrix: RoleMatrix, at: datetime
    ) -> tuple[tuple[str, ...], list[tuple[str, str]]]:
        """Who may decide the current step now, and who fits but is excluded (with why)."""
        step = self.current_step
        if step is None:
            return (), []
        fitting = set(
            step.approvers.candidates(matrix, requester=self.requester, scope=self.scope, at=at)
        )
        breach = step.on_breach
        if self.escalated and breach is not None and breach.to_role is not None:
            fitting |= {
                u
                for u in matrix.users_with_roles()
                if breach.to_role in matrix.roles_of(u, self.scope, at)
            }
        voted = self._voters(step)
        eligible: list[str] = []
        excluded: list[tuple[str, str]] = []
        for user in sorted(fitting - voted):
            role = self._fits(user, step, matrix, at)
            if role is None:
                continue
            refusal = self._refusal(user, step, role, matrix, at)
            if refusal is None:
                eligible.append(user)
            else:
                text = refusal.explain() if hasattr(refusal, "explain") else str(refusal)
                excluded.append((user, text))
        return tuple(eligible), excluded

    def _tick_step(self, at: datetime) -> tuple[ApprovalRequest, list[Event]]:
        step = self.current_step
        if (
            step is None
            or step.sla is None
            or step.on_breach is None
            or self.step_started_at is None
        ):
            return self, []
        clock, _ = step.sla.start(
            at=self.step_started_at, facts=self.facts_for_conditions(), subject=self.id
        )
        crossed = clock.status(at).crossed
        events: list[Event] = []
        request = self
        for crossing in crossed:
            if crossing.fraction in request.notified:
                continue
            request = request._with(notified=(*request.notified, crossing.fraction))
            if crossing.fraction != _BREACH:
                events.append(
                    request._event(
                        "approval.reminder",
                        crossing.at,
                        _SYSTEM,
                        step=step.name,
                        fraction=str(crossing.fraction),
                    )
                )
                continue
            breach = step.on_breach
            late = crossing.at
            events.append(
                request._event(
                    "approval.step_overdue", late, _SYSTEM, step=step.name, on_breach=breach.action
                )
            )
            if breach.action == "remind":
                events.append(
                    request._event("approval.reminder", late, _SYSTEM, step=step.name, fraction="1")
                )
            elif breach.action == "escalate":
                request = request._with(escalated=True, stuck_reported=False)
                events.append(
                    request._event(
                        "approval.escalated", late, _SYSTEM, step=step.name, to_role=breach.to_role
                    )
                )
            else:
                decision = "approve" if breach.action == "auto_approve" else "reject"
                record = request._signature(
                    _SYSTEM, _SYSTEM, "", step, decision, f"{breach.action} on breach", late
                )
                request = request._with(signatures=(*request.signatures, record))
                if decision == "reject":
                    request = request._with(
                        state=_fire("reject", request.state), step_started_at=None
                    )
                    events.append(
                        request._event(
                            "approval.rejected", late, _SYSTEM, step=step.name, veto=True
                        )
                    )
                else:
                    request, more = request._reach(request.step + 1, late, _SYSTEM)
                    events.extend(more)
        return request, events


_FIELDS = tuple(f.name for f in attrs.fields(ApprovalRequest))


def _signer(s: SignatureRecord) -> str:
    return s.actor + (f" for {s.on_behalf_of}" if s.on_behalf_of else "")
