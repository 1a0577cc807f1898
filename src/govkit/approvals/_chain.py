"""Approval chains: frozen, versioned definitions of ordered steps."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

import attrs

from govkit._facts import check_when
from govkit.approvals._approvers import Approvers, ByManager, ByRole, ByUser
from govkit.approvals._checks import check_flag, check_name
from govkit.approvals._rules import AllOf, AnyOf, Quorum, VoteRule
from govkit.calendar import BusinessCalendar, BusinessDays, BusinessHours, Duration, Period
from govkit.errors import InvalidDefinitionError, UnknownNameError
from govkit.sla import SlaPolicy

__all__ = ["BREACH_ACTIONS", "ApprovalChain", "OnBreach", "Step"]

BREACH_ACTIONS = ("remind", "escalate", "auto_reject", "auto_approve")
"""What a step can do when its time limit is used up."""


@attrs.frozen
class OnBreach:
    """What happens when a step's time limit is used up (R-APV-2).

    Args:
        action: ``"remind"`` (tell the approvers again), ``"escalate"`` (holders
            of ``to_role`` may decide the step too, R-APV-13), ``"auto_reject"``
            or ``"auto_approve"`` (the system decides, and signs as ``system``).
        to_role: The role escalated to; only with ``"escalate"``.
    """

    action: str = attrs.field()
    to_role: str | None = attrs.field(default=None, kw_only=True)

    def __attrs_post_init__(self) -> None:
        if self.action not in BREACH_ACTIONS:
            raise InvalidDefinitionError(
                "action", f"one of {', '.join(map(repr, BREACH_ACTIONS))}", self.action
            )
        if (self.action == "escalate") != (self.to_role is not None):
            raise InvalidDefinitionError(
                "to_role", "a role exactly when the action is 'escalate'", self.to_role
            )


def _action(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        check_name(_instance, attribute, value)


def _when(value: object) -> dict[str, Any]:
    return check_when(value, "when")


def _approvers(_instance: object, _attribute: attrs.Attribute[Approvers], value: object) -> None:
    if not isinstance(value, ByRole | ByUser | ByManager):
        raise InvalidDefinitionError("approvers", "ByRole, ByUser or ByManager", value)


def _rule(_instance: object, _attribute: attrs.Attribute[VoteRule], value: object) -> None:
    if not isinstance(value, AnyOf | AllOf | Quorum):
        raise InvalidDefinitionError("rule", "AnyOf, AllOf or Quorum", value)


@attrs.frozen(kw_only=True)
class Step:
    """One sign-off in a chain.

    Args:
        name: Unique within the chain, e.g. ``"finance"``.
        approvers: Who decides: :class:`ByRole`, :class:`ByUser` or :class:`ByManager`.
        rule: How many approvals satisfy the step (default: any one, who can veto).
        when: Conditions on the request's facts (``amount`` included) under
            which the step applies, e.g. ``{"amount": {">": 50000}}``; a step
            whose conditions fail is skipped.
        action: The action the role matrix must allow the approver on the
            chain's resource, with the request's amount (default ``"approve"``).
            ``None`` only for a :class:`ByUser` step whose user is outside the
            company's matrix, such as the customer confirming satisfaction (R-APV-11).
        meaning: What a signature here means, for the signature record
            (e.g. ``"budget checked"``).
        sla: A time limit for the step, counted from when it is reached.
        on_breach: What happens when the time limit is used up; required with ``sla``.
        may_send_back: Whether approvers here may send the request back.
        distinct: Whether the approver must be someone who decided no other
            step of the request in the same round (R-APV-9).
    """

    name: str = attrs.field(validator=check_name)
    approvers: Approvers = attrs.field(validator=_approvers)
    rule: VoteRule = attrs.field(factory=AnyOf, validator=_rule)
    when: Mapping[str, Any] = attrs.field(factory=dict, converter=_when, hash=False)
    action: str | None = attrs.field(default="approve", validator=_action)
    meaning: str = attrs.field(default="", validator=attrs.validators.instance_of(str))
    sla: SlaPolicy | None = attrs.field(default=None)
    on_breach: OnBreach | None = attrs.field(default=None)
    may_send_back: bool = attrs.field(default=False, validator=check_flag)
    distinct: bool = attrs.field(default=False, validator=check_flag)

    def __attrs_post_init__(self) -> None:
        if self.action is None and not isinstance(self.approvers, ByUser):
            raise InvalidDefinitionError(
                "action", "an action to check in the role matrix (None only for ByUser)", None
            )
        if self.sla is not None and not isinstance(self.sla, SlaPolicy):
            raise InvalidDefinitionError("sla", "an SlaPolicy", self.sla)
        if (self.sla is None) != (self.on_breach is None):
            raise InvalidDefinitionError(
                "on_breach", "an OnBreach exactly when the step has an sla", self.on_breach
            )

    def describe(self) -> str:
        """The step in words: who, by which rule, under which condition."""
        text = f"{self.name}: {self.approvers.describe()}, {self.rule.describe()}"
        if self.when:
            text += f", only when {_conditions(self.when)}"
        return text


def _conditions(when: Mapping[str, Any]) -> str:
    parts: list[str] = []
    for fact, condition in when.items():
        if isinstance(condition, Mapping):
            parts.extend(f"{fact} {op} {operand}" for op, operand in condition.items())
        elif isinstance(condition, list):
            parts.append(f"{fact} in {condition}")
        else:
            parts.append(f"{fact} == {condition}")
    return " and ".join(parts)


def _version(_instance: object, _attribute: attrs.Attribute[int], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidDefinitionError("version", "a whole number >= 1", value)


def _steps(value: object) -> tuple[Step, ...]:
    if isinstance(value, str) or not isinstance(value, list | tuple) or not value:
        raise InvalidDefinitionError("steps", "a non-empty list of Step", value)
    return tuple(value)


@attrs.frozen(kw_only=True)
class ApprovalChain:
    """A named, versioned sequence of steps that approve one kind of request.

    Requests pin the chain's name and version when they are submitted, so a
    new version never changes requests already running (see
    :meth:`ApprovalRequest.migrate` for an explicit move).

    Args:
        name: e.g. ``"purchase"``.
        version: Increases with every revision.
        resource: What approvers need authority over in the role matrix, e.g.
            ``"purchase"`` (checked as ``allows(actor, step.action, resource, …)``).
        steps: The steps, in order (R-APV-1).
        ratify_within: For emergency actions (R-APV-6): how long the formal
            approval may take after the action, e.g. ``BusinessDays(3)``.
        calendar: Counts business time for ``ratify_within``.
    """

    name: str = attrs.field(validator=check_name)
    version: int = attrs.field(default=1, validator=_version)
    resource: str = attrs.field(validator=check_name)
    steps: tuple[Step, ...] = attrs.field(converter=_steps)
    ratify_within: Duration | None = attrs.field(default=None)
    calendar: BusinessCalendar | None = attrs.field(default=None)

    def __attrs_post_init__(self) -> None:
        seen: set[str] = set()
        for i, step in enumerate(self.steps):
            if not isinstance(step, Step):
                raise InvalidDefinitionError(f"steps[{i}]", "a Step", step)
            if step.name in seen:
                raise InvalidDefinitionError(f"steps[{i}].name", "a unique step name", step.name)
            seen.add(step.name)
        within = self.ratify_within
        if within is not None:
            if not isinstance(within, timedelta | BusinessDays | BusinessHours | Period):
                raise InvalidDefinitionError("ratify_within", "a duration", within)
            if isinstance(within, BusinessDays | BusinessHours) and self.calendar is None:
                raise InvalidDefinitionError(
                    "calendar", "a calendar to count the business time of ratify_within", None
                )

    def index(self, name: str) -> int:
        """Position of the step called ``name``.

        Raises:
            UnknownNameError: no step has that name.
        """
        for i, step in enumerate(self.steps):
            if step.name == name:
                return i
        raise UnknownNameError("step", name)

    def to_mermaid(self) -> str:
        """A Mermaid flowchart of the steps, their conditions and the send-back loops."""
        lines = ["flowchart TD", "    submitted([submitted])"]
        previous = "submitted"
        for i, step in enumerate(self.steps):
            node = f"s{i}"
            label = (
                f"{i + 1}. {step.name}<br/>{step.approvers.describe()}<br/>{step.rule.describe()}"
            )
            lines.append(f'    {node}["{label}"]')
            if step.when:
                gate = f"c{i}"
                lines.append(f'    {gate}{{"{_conditions(step.when)}?"}}')
                lines.append(f"    {previous} --> {gate}")
                lines.append(f"    {gate} -->|yes| {node}")
                following = i + 1
                if following == len(self.steps):
                    skip_to = "approved"
                else:  # the next step may have a condition of its own
                    skip_to = f"c{following}" if self.steps[following].when else f"s{following}"
                lines.append(f"    {gate} -->|no: skip| {skip_to}")
            else:
                lines.append(f"    {previous} --> {node}")
            lines.append(f"    {node} -->|rejected| rejected([rejected])")
            if step.may_send_back:
                lines.append(f"    {node} -.->|send back| submitted")
                for j in range(i):
                    lines.append(f"    {node} -.->|send back| s{j}")
            if step.on_breach is not None:
                what = step.on_breach.action.replace("_", " ")
                if step.on_breach.to_role:
                    what += f" to {step.on_breach.to_role}"
                lines.append(f"    {node} -.->|overdue: {what}| {node}")
            previous = node
        lines.append(f"    {previous} -->|approved| approved([approved])")
        return "\n".join(lines) + "\n"
