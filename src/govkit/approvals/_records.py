"""What a request keeps: signatures, rounds, delegations and emergency actions."""

from __future__ import annotations

from datetime import datetime

import attrs

from govkit._time import require_aware
from govkit.approvals._checks import check_name
from govkit.errors import InvalidDefinitionError

__all__ = ["Delegation", "EmergencyAction", "Round", "SignatureRecord"]


def _aware(_instance: object, attribute: attrs.Attribute[datetime], value: object) -> None:
    require_aware(value, attribute.name)


@attrs.frozen(kw_only=True)
class SignatureRecord:
    """The electronic signature record of one decision (R-APV-3).

    Attributes:
        request: The request's id.
        actor: Who decided (the delegate, when acting for someone).
        on_behalf_of: Whose authority was used, when delegated; else ``None``.
        role: The role the decision was made in, when the step names one.
        step: The step decided.
        round: The round it was decided in (from 1).
        decision: ``"approve"``, ``"reject"`` or ``"send_back"``.
        meaning: What the signature means (the step's meaning, e.g. "budget checked").
        comment: The decider's words.
        at: When.
        subject_sha256: SHA-256 of the canonical subject and amount that was decided on.
    """

    request: str
    actor: str
    on_behalf_of: str | None
    role: str | None
    step: str
    round: int
    decision: str
    meaning: str
    comment: str
    at: datetime
    subject_sha256: str

    def describe(self) -> str:
        """One line: who decided what, when, on which content."""
        who = self.actor + (f" for {self.on_behalf_of}" if self.on_behalf_of else "")
        return (
            f"{self.at.isoformat()} {who} {self.decision} {self.step!r} (round {self.round}): "
            f"{self.meaning}{' - ' + self.comment if self.comment else ''} "
            f"[sha256 {self.subject_sha256[:12]}]"
        )


@attrs.frozen(kw_only=True)
class Round:
    """One pass through the chain: submission, send-back or resubmission.

    Attributes:
        number: From 1.
        started_at: When it began.
        by: Who began it.
        reason: ``"submitted"``, ``"sent back to <step>"``, ``"resubmitted"`` …
        start_step: Index of the first step that needs decisions in this round;
            steps before it keep their approvals from earlier rounds.
        subject_sha256: The content decided on in this round.
    """

    number: int
    started_at: datetime
    by: str
    reason: str
    start_step: int
    subject_sha256: str


@attrs.frozen(kw_only=True)
class Delegation:
    """A dated delegation of approval authority (out of office).

    Args:
        delegator: Whose authority is delegated.
        delegate: Who may act for them.
        valid_from: First instant (inclusive).
        valid_until: End (exclusive).
        reason: e.g. ``"annual leave"``.
    """

    delegator: str = attrs.field(validator=check_name)
    delegate: str = attrs.field(validator=check_name)
    valid_from: datetime = attrs.field(validator=_aware)
    valid_until: datetime = attrs.field(validator=_aware)
    reason: str = attrs.field(default="", validator=attrs.validators.instance_of(str))

    def __attrs_post_init__(self) -> None:
        if self.delegator == self.delegate:
            raise InvalidDefinitionError(
                "delegate", "someone other than the delegator", self.delegate
            )
        if self.valid_until <= self.valid_from:
            raise InvalidDefinitionError(
                "valid_until", f"an instant after valid_from {self.valid_from}", self.valid_until
            )

    def active(self, at: datetime) -> bool:
        """Whether the delegation holds at ``at``."""
        return self.valid_from <= at < self.valid_until


@attrs.frozen(kw_only=True)
class EmergencyAction:
    """An action taken before approval, to be ratified by a deadline (R-APV-6).

    Attributes:
        actor: Who acted.
        reason: Why it could not wait.
        acted_at: When the action was taken.
        due_at: When ratification must be complete.
    """

    actor: str
    reason: str
    acted_at: datetime
    due_at: datetime
