"""Bad input raises a typed error and changes nothing; stale snapshots lose races."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from govkit.approvals import ApprovalRequest
from govkit.audit import Event
from govkit.errors import (
    ConflictError,
    GovkitError,
    InvalidDefinitionError,
    InvalidTimeError,
    InvalidTransitionError,
    NaiveDatetimeError,
    NotPermittedError,
    StaleVersionError,
    UnknownNameError,
)
from govkit.serialization import to_json

from ._world import (
    COMMITTEE_Q3,
    CONVERTER,
    MATRIX,
    MON,
    actions,
    approve,
    later,
    submitted,
    untyped,
)
from ._world import round_trip as reload

Outcome = tuple[ApprovalRequest, tuple[Event, ...]]
NAIVE = datetime(2026, 11, 23, 12)
SOON = later(MON, 60)
EARLY = later(MON, 10)  # before the last change at MON + 30 minutes


def at_finance() -> ApprovalRequest:
    """li's 120,000 purchase, endorsed by wang at 10:30, waiting for zhao (version 2)."""
    return approve(submitted(), "wang", later(MON, 30))


def voting() -> ApprovalRequest:
    """A committee vote (Quorum 3) in which feng has approved (version 2)."""
    request = submitted(COMMITTEE_Q3, requester="zhou", scope="company", amount=None)
    return approve(request, "feng", later(MON, 30))


def finished(state: str) -> ApprovalRequest:
    """li's purchase, approved, rejected, or withdrawn."""
    request = at_finance()
    if state == "approved":
        return approve(approve(request, "zhao", later(MON, 40)), "chen", later(MON, 50))
    if state == "rejected":
        return request.reject(actor="zhao", at=later(MON, 40), matrix=MATRIX)[0]
    return request.withdraw(actor="li", at=later(MON, 40))[0]


Operation = Callable[[ApprovalRequest], Outcome]
Case = tuple[Callable[[], ApprovalRequest], Operation, type[Exception]]

AFTER_THE_END: dict[str, Operation] = {
    "approve": lambda r: r.approve(actor="chen", at=SOON, matrix=MATRIX),
    "reject": lambda r: r.reject(actor="chen", at=SOON, matrix=MATRIX),
    "return": lambda r: r.send_back(None, actor="chen", at=SOON, matrix=MATRIX),
    "send back": lambda r: r.send_back("head", actor="chen", at=SOON, matrix=MATRIX),
    "resubmit": lambda r: r.resubmit(actor="li", at=SOON, matrix=MATRIX, amount=1),
    "withdraw": lambda r: r.withdraw(actor="li", at=SOON),
}


def finished_case(state: str, operation: Operation) -> Case:
    """``operation`` on a request that is already ``state``: refused as a transition."""
    return (lambda: finished(state), operation, InvalidTransitionError)


def resubmit_amount(amount: object) -> Operation:
    """li resubmits with ``amount`` (of any type)."""

    def operation(request: ApprovalRequest) -> Outcome:
        return request.resubmit(actor="li", at=SOON, matrix=MATRIX, amount=untyped(amount))

    return operation


CASES: dict[str, Case] = {
    # who may decide
    "approve by the requester": (
        at_finance,
        lambda r: r.approve(actor="li", at=SOON, matrix=MATRIX),
        NotPermittedError,
    ),
    "approve by an unknown user": (
        at_finance,
        lambda r: r.approve(actor="nobody", at=SOON, matrix=MATRIX),
        NotPermittedError,
    ),
    "approve by the next step's approver": (
        at_finance,
        lambda r: r.approve(actor="chen", at=SOON, matrix=MATRIX),
        NotPermittedError,
    ),
    "reject by an earlier step's approver": (
        at_finance,
        lambda r: r.reject(actor="wang", at=SOON, matrix=MATRIX),
        NotPermittedError,
    ),
    "double approval": (
        voting,
        lambda r: r.approve(actor="feng", at=SOON, matrix=MATRIX),
        NotPermittedError,
    ),
    "reject after approving": (
        voting,
        lambda r: r.reject(actor="feng", at=SOON, matrix=MATRIX),
        NotPermittedError,
    ),
    "withdraw by someone else": (
        at_finance,
        lambda r: r.withdraw(actor="zhao", at=SOON),
        NotPermittedError,
    ),
    "resubmit by someone else": (
        at_finance,
        lambda r: r.resubmit(actor="wang", at=SOON, matrix=MATRIX, amount=1),
        NotPermittedError,
    ),
    # finished requests
    **{
        f"{verb} when {state}": finished_case(state, operation)
        for state in ("approved", "rejected", "withdrawn")
        for verb, operation in AFTER_THE_END.items()
    },
    # versions
    "stale expected_version": (
        at_finance,
        lambda r: r.approve(actor="zhao", at=SOON, matrix=MATRIX, expected_version=1),
        StaleVersionError,
    ),
    "future expected_version": (
        at_finance,
        lambda r: r.withdraw(actor="li", at=SOON, expected_version=3),
        StaleVersionError,
    ),
    # send-backs
    "send back to an unknown step": (
        lambda: approve(at_finance(), "zhao", later(MON, 40)),
        lambda r: r.send_back("cfo", actor="chen", at=SOON, matrix=MATRIX),
        UnknownNameError,
    ),
    "send back to a step ahead": (
        at_finance,
        lambda r: r.send_back("ceo", actor="zhao", at=SOON, matrix=MATRIX),
        InvalidDefinitionError,
    ),
    # time
    "approve with a naive instant": (
        at_finance,
        lambda r: r.approve(actor="zhao", at=NAIVE, matrix=MATRIX),
        NaiveDatetimeError,
    ),
    "reject with a naive instant": (
        at_finance,
        lambda r: r.reject(actor="zhao", at=NAIVE, matrix=MATRIX),
        NaiveDatetimeError,
    ),
    "withdraw with a naive instant": (
        at_finance,
        lambda r: r.withdraw(actor="li", at=NAIVE),
        NaiveDatetimeError,
    ),
    "tick with a naive instant": (
        at_finance,
        lambda r: r.tick(NAIVE, matrix=MATRIX),
        NaiveDatetimeError,
    ),
    "approve before the last change": (
        at_finance,
        lambda r: r.approve(actor="zhao", at=EARLY, matrix=MATRIX),
        InvalidTimeError,
    ),
    "withdraw before the last change": (
        at_finance,
        lambda r: r.withdraw(actor="li", at=EARLY),
        InvalidTimeError,
    ),
    "resubmit before the last change": (
        at_finance,
        lambda r: r.resubmit(actor="li", at=EARLY, matrix=MATRIX, amount=1),
        InvalidTimeError,
    ),
    "tick before the last change": (
        at_finance,
        lambda r: r.tick(EARLY, matrix=MATRIX),
        InvalidTimeError,
    ),
    # amounts and other values
    **{
        f"resubmit with amount {amount!r}": (
            at_finance,
            resubmit_amount(amount),
            InvalidDefinitionError,
        )
        for amount in (130_000.0, "130000", True, -1, Decimal("NaN"), Decimal("-Infinity"))
    },
    "resubmit with a subject that is not JSON": (
        at_finance,
        lambda r: r.resubmit(actor="li", at=SOON, matrix=MATRIX, subject={"when": MON}),
        InvalidDefinitionError,
    ),
    "approve with an empty actor": (
        at_finance,
        lambda r: r.approve(actor="", at=SOON, matrix=MATRIX),
        InvalidDefinitionError,
    ),
    "approve with a comment that is not text": (
        at_finance,
        lambda r: r.approve(actor="zhao", at=SOON, matrix=MATRIX, comment=untyped(5)),
        InvalidDefinitionError,
    ),
    "approve without a role matrix": (
        at_finance,
        lambda r: r.approve(actor="zhao", at=SOON, matrix=untyped({"zhao": "finance"})),
        InvalidDefinitionError,
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input_raises_a_typed_error_and_changes_nothing(name: str) -> None:
    """R-APV-3, R-ROL-8: bad input raises a typed GovkitError and leaves the snapshot as it was."""
    make, operation, error = CASES[name]
    request = make()
    text = to_json(request, converter=CONVERTER)
    copy = reload(request)
    with pytest.raises(error) as caught:
        operation(request)
    assert isinstance(caught.value, GovkitError)
    assert request == copy
    assert to_json(request, converter=CONVERTER) == text


@pytest.mark.parametrize("amount", [120_000.0, "120000", True, False, Decimal("NaN"), -5], ids=repr)
def test_submit_refuses_amounts_of_the_wrong_type(amount: Any) -> None:
    """R-APV-5: amounts are Decimal or int, finite and not negative: never float, str or bool."""
    with pytest.raises(InvalidDefinitionError) as caught:
        submitted(amount=amount)
    assert caught.value.field == "amount"
    assert repr(caught.value.got) == repr(amount)


def test_submit_refuses_naive_instants() -> None:
    """R-APV-3: a submission at a naive datetime is refused (signatures need real instants)."""
    with pytest.raises(NaiveDatetimeError) as caught:
        submitted(at=NAIVE)
    assert caught.value.field == "at"


def test_reading_refuses_naive_instants() -> None:
    """R-APV-2: pending_approvers, status and explain refuse naive instants too."""
    request = at_finance()
    with pytest.raises(NaiveDatetimeError):
        request.pending_approvers(MATRIX, NAIVE)
    with pytest.raises(NaiveDatetimeError):
        request.status(NAIVE)
    with pytest.raises(NaiveDatetimeError):
        request.explain(MATRIX, NAIVE)


def test_instant_at_the_last_change_is_accepted() -> None:
    """R-APV-3: the same instant as the last change is not 'before' it."""
    request = at_finance()
    done = approve(request, "zhao", request.updated_at)
    assert done.updated_at == request.updated_at


def test_instants_in_another_zone_compare_as_instants() -> None:
    """R-APV-3: an instant in UTC after the last change (in Shanghai) is accepted."""
    request = at_finance()
    utc = (request.updated_at + timedelta(minutes=1)).astimezone(UTC)
    assert utc.hour == 2
    assert approve(request, "zhao", utc).state == "pending"


# -- optimistic concurrency ------------------------------------------------------------------


def test_two_approvers_racing_on_one_version() -> None:
    """R-APV-1: zhao and his delegate race on version 2: one wins, the other gets a conflict."""
    from govkit.approvals import Delegation

    cover = Delegation(
        delegator="zhao", delegate="wu", valid_from=MON, valid_until=MON + timedelta(days=5)
    )
    stored = at_finance()
    seen = stored.version
    stored, events = stored.approve(
        actor="zhao", at=later(MON, 40), matrix=MATRIX, expected_version=seen
    )
    assert actions(events) == ["approval.step_approved", "approval.step_reached"]
    assert stored.version == seen + 1
    with pytest.raises(StaleVersionError) as caught:
        stored.approve(
            actor="wu",
            on_behalf_of="zhao",
            delegations=[cover],
            at=later(MON, 41),
            matrix=MATRIX,
            expected_version=seen,
        )
    assert (caught.value.expected, caught.value.actual) == (seen, seen + 1)
    assert isinstance(caught.value, ConflictError)


def test_committee_members_racing_retry_on_the_new_version() -> None:
    """R-APV-8: han's vote on a stale version is refused; retried on the new one it counts."""
    stored = voting()
    seen = stored.version
    stored = approve(stored, "yang", later(MON, 40), expected_version=seen)
    with pytest.raises(StaleVersionError):
        stored.approve(actor="han", at=later(MON, 41), matrix=MATRIX, expected_version=seen)
    done = approve(stored, "han", later(MON, 42), expected_version=stored.version)
    assert done.state == "approved"


def test_every_change_bumps_the_version_by_one() -> None:
    """R-APV-1: each successful decision returns version + 1 and the instant it happened."""
    request = submitted()
    assert request.version == 1
    for expected, (actor, minutes) in enumerate((("wang", 5), ("zhao", 6), ("chen", 7)), start=2):
        request = approve(request, actor, later(MON, minutes))
        assert request.version == expected
        assert request.updated_at == later(MON, minutes)


def test_the_caller_cannot_change_a_submitted_subject() -> None:
    """R-APV-3: what was signed stays what was submitted, whatever the caller does afterwards."""
    items = ["spectrometer"]
    request = submitted(subject={"items": items})
    before = reload(request)
    items.append("laser")
    assert request.subject == {"items": ["spectrometer"]}
    assert request == before
