"""Disposition: a due record is approved and destroyed, archived or transferred, with proof."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import attrs
import pytest

from govkit.approvals import ApprovalChain, ApprovalRequest, ByRole, Step
from govkit.calendar import Period
from govkit.errors import (
    ConflictError,
    InvalidDefinitionError,
    InvalidTransitionError,
    NaiveDatetimeError,
    NotPermittedError,
    UnknownNameError,
)
from govkit.retention import (
    Action,
    DestructionCertificate,
    Disposition,
    Record,
    RecordClass,
    RetentionDecision,
    RetentionStatus,
)
from govkit.serialization import from_json, to_json

from ._world import (
    MATRIX,
    OFFICE,
    SCOPE,
    day,
    hold,
    record,
    schedule,
    untyped,
    utc,
)

SIGNATURE = record("SIG-1", ["signature-records"])
"""Created 2020-01-01 (20:00 in Shanghai): kept until 2025-01-01 under a compliance lock."""
DUE_AT = utc(2025, 1, 2)
CONTRACT = record("K-1", ["contracts"], events={"contract_end": date(2012, 6, 30)})
MINUTES = record("MIN-1", ["minutes"])
PROJECT = record("PRJ-1", ["project-docs"], events={"acceptance": date(2012, 1, 31)})
REPORT = record("REP-1", ["reports"])


def started(
    rec: Record = SIGNATURE, at: datetime = DUE_AT, **kwargs: Any
) -> tuple[Disposition, RetentionDecision]:
    """A disposition of ``rec`` started under the office schedule at ``at``, and its verdict."""
    decision = OFFICE.evaluate(rec, at=at, holds=kwargs.get("holds", ()))
    return Disposition.start(rec, OFFICE, at=at, **kwargs)[0], decision


def approved(rec: Record = SIGNATURE, approver: str = "ann") -> Disposition:
    """A disposition of ``rec`` approved by ``approver`` a day after it started."""
    disposition, _ = started(rec)
    return disposition.approve(approver, at=utc(2025, 1, 3), matrix=MATRIX, scope=SCOPE)[0]


def actions(events: list[Any]) -> list[str]:
    """The actions of ``events``."""
    return [e.action for e in events]


# -- the whole way -----------------------------------------------------------------------------


def test_due_signature_record_is_destroyed_with_a_certificate() -> None:
    """R-RET-1: a due record is started, approved, destroyed, and a certificate proves it."""
    decision = OFFICE.evaluate(SIGNATURE, at=DUE_AT)
    assert decision.status is RetentionStatus.DUE_FOR_DISPOSAL
    pending, start_events = Disposition.start(SIGNATURE, OFFICE, at=DUE_AT, actor="ann")
    assert (pending.state, pending.action, pending.version, pending.early) == (
        "pending",
        Action.DESTROY,
        1,
        False,
    )
    assert actions(start_events) == ["retention.disposition_started"]
    assert start_events[0].data == {
        "record_class": "signature-records",
        "action": "destroy",
        "dispose_after": "2025-01-01",
        "schedule_version": 1,
    }
    ok, approve_events = pending.approve("ann", at=utc(2025, 1, 3), matrix=MATRIX, scope=SCOPE)
    assert (ok.state, ok.approved_by, ok.version) == ("approved", ("ann",), 2)
    assert actions(approve_events) == ["retention.disposal_approved"]
    done, certificate, done_events = ok.execute(SIGNATURE, at=utc(2025, 1, 4), actor="bob")
    assert (done.state, done.version) == ("destroyed", 3)
    assert actions(done_events) == ["retention.destroyed"]
    assert done_events[0].data == {
        "record_class": "signature-records",
        "record_sha256": SIGNATURE.metadata_sha256(),
    }
    assert certificate == DestructionCertificate(
        record_id="SIG-1",
        record_class="signature-records",
        schedule="office-records",
        schedule_version=1,
        created=SIGNATURE.created,
        keep_until=day(2025, 1, 1),
        dispose_after=day(2025, 1, 1),
        approved_by=("ann",),
        destroyed_by="bob",
        destroyed_at=utc(2025, 1, 4),
        record_sha256=SIGNATURE.metadata_sha256(),
    )
    assert len(certificate.record_sha256) == 64
    # every step returned a new snapshot: the earlier ones are unchanged
    assert (pending.state, ok.state) == ("pending", "approved")


def test_certificate_is_kept_as_a_record_in_its_turn() -> None:
    """R-RET-7: the destruction certificate becomes a record of the certificates class."""
    _, certificate, _ = approved().execute(SIGNATURE, at=utc(2025, 1, 4), actor="bob")
    assert certificate is not None
    kept = certificate.to_record("destruction-certificates")
    assert kept.id == "certificate:SIG-1"
    assert kept.classes == ("destruction-certificates",)
    assert kept.created == utc(2025, 1, 4)
    assert kept.metadata == {
        "destroyed_record": "SIG-1",
        "record_class": "signature-records",
        "record_sha256": SIGNATURE.metadata_sha256(),
        "approved_by": "ann",
    }
    decision = OFFICE.evaluate(kept, at=utc(2025, 1, 4))
    assert decision.keep_until == day(2055, 1, 4)
    assert decision.action is Action.REVIEW


def test_certificate_and_disposition_round_trip_json() -> None:
    """R-RET-7: dispositions and certificates are stored as JSON and read back equal."""
    disposition = approved()
    assert from_json(to_json(disposition), Disposition) == disposition
    _, certificate, _ = disposition.execute(SIGNATURE, at=utc(2025, 1, 4), actor="bob")
    assert certificate is not None
    assert from_json(to_json(certificate), DestructionCertificate) == certificate


def test_metadata_hash_covers_what_the_record_says() -> None:
    """R-RET-7: the SHA-256 changes with the record's facts, not with an equal copy."""
    same = record("SIG-1", ["signature-records"])
    assert same.metadata_sha256() == SIGNATURE.metadata_sha256()
    for changed in (
        record("SIG-2", ["signature-records"]),
        record("SIG-1", ["signature-records"], metadata={"dept": "x"}),
        record("SIG-1", ["signature-records"], name="sig-1.pdf"),
        record("SIG-1", ["signature-records"], modified=utc(2020, 2, 1)),
        SIGNATURE.with_event("closed", date(2020, 1, 1)),
    ):
        assert changed.metadata_sha256() != SIGNATURE.metadata_sha256()


@pytest.mark.parametrize(
    ("rec", "approver", "state", "with_certificate"),
    [
        (CONTRACT, "lea", "archived", False),
        (MINUTES, "ann", "destroyed", True),
        (PROJECT, "bob", "transferred", False),
    ],
)
def test_each_action_ends_in_its_state(
    rec: Record, approver: str, state: str, with_certificate: bool
) -> None:
    """R-RET-2, R-RET-4, R-RET-10: archive, review (then destroy) and transfer end as they say."""
    disposition = approved(rec, approver)
    done, certificate, events = disposition.execute(rec, at=utc(2025, 1, 4), actor=approver)
    assert done.state == state
    assert (certificate is not None) is with_certificate
    assert actions(events) == [f"retention.{state}"]


def test_review_decision_starts_a_disposition_too() -> None:
    """R-RET-4: a record due for review is started like one due for disposal."""
    disposition, decision = started(MINUTES)
    assert decision.status is RetentionStatus.DUE_FOR_REVIEW
    assert (disposition.action, disposition.record_class) == (Action.REVIEW, "minutes")


# -- approvals ---------------------------------------------------------------------------------


def test_two_approvals_from_two_people() -> None:
    """R-RET-7: with two approvals required, the first signs, the second approves."""
    pending, _ = started(required_approvals=2)
    signed, events = pending.approve("ann", at=utc(2025, 1, 3), matrix=MATRIX, scope=SCOPE)
    assert (signed.state, signed.approved_by) == ("pending", ("ann",))
    assert actions(events) == ["retention.disposal_signed"]
    with pytest.raises(NotPermittedError) as twice:
        signed.approve("ann", at=utc(2025, 1, 3, 13), matrix=MATRIX, scope=SCOPE)
    assert "already approved" in str(twice.value)
    with pytest.raises(InvalidTransitionError):
        signed.execute(SIGNATURE, at=utc(2025, 1, 4), actor="bob")
    done, events = signed.approve("bob", at=utc(2025, 1, 4), matrix=MATRIX, scope=SCOPE)
    assert (done.state, done.approved_by) == ("approved", ("ann", "bob"))
    assert actions(events) == ["retention.disposal_approved"]
    assert events[0].data["approved_by"] == ["ann", "bob"]


@pytest.mark.parametrize(
    ("rec", "actor"),
    [(SIGNATURE, "carl"), (SIGNATURE, "lea"), (SIGNATURE, "olga"), (CONTRACT, "carl")],
)
def test_approval_needs_the_permission_on_the_record_class(rec: Record, actor: str) -> None:
    """R-RET-7: only those granted approve_disposal on the record's class may approve."""
    pending, _ = started(rec)
    with pytest.raises(NotPermittedError) as caught:
        pending.approve(actor, at=utc(2025, 1, 3), matrix=MATRIX, scope=SCOPE)
    assert caught.value.actor == actor
    assert pending.state == "pending"
    assert pending.approved_by == ()


def test_approval_after_approval_is_refused() -> None:
    """R-RET-7: an approved disposition takes no more approvals."""
    with pytest.raises(InvalidTransitionError):
        approved().approve("bob", at=utc(2025, 1, 4), matrix=MATRIX, scope=SCOPE)


REVIEW_CHAIN = ApprovalChain(
    name="disposal-review",
    resource="disposal",
    steps=[
        Step(name="records", approvers=ByRole("records-manager", scope=SCOPE)),
        Step(name="legal", approvers=ByRole("legal", scope=SCOPE)),
    ],
)
"""A records manager, then legal counsel, approve a disposal."""


def review_request(record_id: str, *signers: str) -> ApprovalRequest:
    """A disposal review of ``record_id`` submitted by carl, approved by ``signers`` in turn."""
    request, _ = ApprovalRequest.submit(
        REVIEW_CHAIN,
        id=f"DR-{record_id}",
        requester="carl",
        scope=SCOPE,
        at=utc(2025, 1, 2, 13),
        matrix=MATRIX,
        subject={"record_id": record_id},
    )
    for hour, signer in enumerate(signers, start=14):
        request, _ = request.approve(actor=signer, at=utc(2025, 1, 2, hour), matrix=MATRIX)
    return request


def test_approval_through_an_approval_request() -> None:
    """R-RET-7: a finished two-stage review approves the disposal; its signers are recorded."""
    request = review_request("K-1", "ann", "lea")
    assert request.state == "approved"
    pending, _ = started(CONTRACT, required_approvals=2)
    ok, events = pending.approve_by(request, at=utc(2025, 1, 3), matrix=MATRIX, scope=SCOPE)
    assert (ok.state, ok.approved_by, ok.version) == ("approved", ("ann", "lea"), 2)
    assert actions(events) == ["retention.disposal_approved"]
    assert events[0].data == {"approved_by": ["ann", "lea"], "comment": "approval request DR-K-1"}
    done, _, _ = ok.execute(CONTRACT, at=utc(2025, 1, 4), actor="lea")
    assert done.state == "archived"


def test_approval_request_must_be_finished_and_for_this_record() -> None:
    """R-RET-7: an unfinished request, or one about another record, approves nothing."""
    pending, _ = started(CONTRACT)
    half = review_request("K-1", "ann")
    assert half.state != "approved"
    with pytest.raises(InvalidTransitionError):
        pending.approve_by(half, at=utc(2025, 1, 3), matrix=MATRIX, scope=SCOPE)
    other = review_request("K-2", "ann", "lea")
    with pytest.raises(InvalidDefinitionError) as caught:
        pending.approve_by(other, at=utc(2025, 1, 3), matrix=MATRIX, scope=SCOPE)
    assert caught.value.field == "request.subject.record_id"
    assert (pending.state, pending.approved_by, pending.version) == ("pending", (), 1)
    finished = review_request("SIG-1", "ann", "lea")
    with pytest.raises(InvalidTransitionError):
        approved().approve_by(finished, at=utc(2025, 1, 4), matrix=MATRIX, scope=SCOPE)


def test_each_signer_of_the_request_needs_approve_disposal_on_the_class() -> None:
    """R-RET-7: legal counsel signed the review but may not approve disposing of a signature."""
    request = review_request("SIG-1", "ann", "lea")
    assert request.state == "approved"
    pending, _ = started(SIGNATURE)
    with pytest.raises(NotPermittedError) as caught:
        pending.approve_by(request, at=utc(2025, 1, 3), matrix=MATRIX, scope=SCOPE)
    assert caught.value.actor == "lea"
    assert "DR-SIG-1" in str(caught.value)
    assert (pending.state, pending.approved_by, pending.version) == ("pending", (), 1)
    # the same two signers may approve a contract's disposal: both hold the permission there
    contract, _ = started(CONTRACT)
    ok, _ = contract.approve_by(
        review_request("K-1", "ann", "lea"), at=utc(2025, 1, 3), matrix=MATRIX, scope=SCOPE
    )
    assert ok.state == "approved"


def test_each_signer_is_checked_in_the_scope_given() -> None:
    """R-RET-7: the signers' approve_disposal is looked up in the scope passed, not assumed."""
    pending, _ = started(CONTRACT)
    with pytest.raises(NotPermittedError) as caught:
        pending.approve_by(
            review_request("K-1", "ann", "lea"), at=utc(2025, 1, 3), matrix=MATRIX, scope="branch"
        )
    assert caught.value.actor == "ann"
    assert pending.state == "pending"


def test_request_signers_count_towards_the_required_approvals() -> None:
    """R-RET-7: a request's signers add to earlier approvals; too few leave it pending."""
    request = review_request("K-1", "ann", "lea")
    three, _ = started(CONTRACT, required_approvals=3)
    signed, events = three.approve_by(request, at=utc(2025, 1, 3), matrix=MATRIX, scope=SCOPE)
    assert (signed.state, signed.approved_by) == ("pending", ("ann", "lea"))
    assert actions(events) == ["retention.disposal_signed"]
    with pytest.raises(InvalidTransitionError):
        signed.execute(CONTRACT, at=utc(2025, 1, 4), actor="lea")
    done, events = signed.approve("bob", at=utc(2025, 1, 4), matrix=MATRIX, scope=SCOPE)
    assert (done.state, done.approved_by) == ("approved", ("ann", "lea", "bob"))
    assert actions(events) == ["retention.disposal_approved"]
    # an earlier approval by someone else completes the count ...
    by_bob, _ = three.approve("bob", at=utc(2025, 1, 3), matrix=MATRIX, scope=SCOPE)
    ok, events = by_bob.approve_by(request, at=utc(2025, 1, 4), matrix=MATRIX, scope=SCOPE)
    assert (ok.state, ok.approved_by) == ("approved", ("bob", "ann", "lea"))
    assert actions(events) == ["retention.disposal_approved"]
    # ... but a signer who already approved counts once
    by_ann, _ = three.approve("ann", at=utc(2025, 1, 3), matrix=MATRIX, scope=SCOPE)
    again, events = by_ann.approve_by(request, at=utc(2025, 1, 4), matrix=MATRIX, scope=SCOPE)
    assert (again.state, again.approved_by) == ("pending", ("ann", "lea"))
    assert actions(events) == ["retention.disposal_signed"]


# -- extending instead ---------------------------------------------------------------------------


def test_reviewer_may_extend_instead() -> None:
    """R-RET-4: a reviewer keeps the record longer; the disposition ends there."""
    pending, _ = started(MINUTES)
    kept, events = pending.extend(
        "ann",
        until=day(2030, 1, 1),
        at=utc(2025, 1, 3),
        matrix=MATRIX,
        scope=SCOPE,
        comment="audit",
    )
    assert (kept.state, kept.extended_until, kept.version) == ("extended", day(2030, 1, 1), 2)
    assert actions(events) == ["retention.extended"]
    assert events[0].data == {"until": "2030-01-01", "comment": "audit"}
    with pytest.raises(InvalidTransitionError):
        kept.execute(MINUTES, at=utc(2025, 1, 4), actor="ann")
    with pytest.raises(InvalidTransitionError):
        kept.approve("bob", at=utc(2025, 1, 4), matrix=MATRIX, scope=SCOPE)


def test_extend_refuses_bad_dates_and_unauthorised_actors() -> None:
    """R-RET-4: an extension must be later than the due date and made by a reviewer."""
    pending, _ = started(MINUTES)
    for until in (day(2023, 3, 31), pending.dispose_after):
        with pytest.raises(InvalidDefinitionError) as caught:
            pending.extend("ann", until=until, at=utc(2025, 1, 3), matrix=MATRIX, scope=SCOPE)
        assert caught.value.field == "until"
    with pytest.raises(InvalidDefinitionError):
        pending.extend(
            "ann", until=untyped(utc(2030, 1, 1)), at=utc(2025, 1, 3), matrix=MATRIX, scope=SCOPE
        )
    with pytest.raises(NotPermittedError):
        pending.extend(
            "carl", until=day(2030, 1, 1), at=utc(2025, 1, 3), matrix=MATRIX, scope=SCOPE
        )
    assert (pending.state, pending.version) == ("pending", 1)


# -- refusals at the start -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rec", "at", "holds", "status"),
    [
        (SIGNATURE, utc(2024, 12, 31), [], RetentionStatus.RETAIN),
        (SIGNATURE, DUE_AT, [hold(records=["SIG-1"])], RetentionStatus.ON_HOLD),
        (SIGNATURE, DUE_AT, [hold(classes=["signature-records"])], RetentionStatus.ON_HOLD),
        (record("PRJ-2", ["project-docs"]), DUE_AT, [], RetentionStatus.AWAITING_EVENT),
    ],
)
def test_start_needs_a_due_record(
    rec: Record, at: datetime, holds: list[Any], status: RetentionStatus
) -> None:
    """R-RET-7: a retained, held or waiting record cannot be started (early or not when held)."""
    assert OFFICE.evaluate(rec, at=at, holds=holds).status is status
    with pytest.raises(InvalidTransitionError) as caught:
        Disposition.start(rec, OFFICE, at=at, holds=holds)
    assert caught.value.state == status.value
    if status is not RetentionStatus.RETAIN:
        with pytest.raises(InvalidTransitionError) as early:
            Disposition.start(
                rec,
                OFFICE,
                at=at,
                holds=holds,
                early=True,
                actor="olga",
                matrix=MATRIX,
                scope=SCOPE,
            )
        assert early.value.state == status.value


def test_start_weighs_only_the_holds_active_at_its_instant() -> None:
    """R-RET-7: a hold released, or not yet placed, at the start does not stop it."""
    released = hold(records=["SIG-1"], placed=utc(2021, 1, 1), released=utc(2025, 1, 1))
    future = hold("H-2", records=["SIG-1"], placed=utc(2025, 2, 1))
    pending, _ = started(holds=[released, future])
    assert pending.state == "pending"
    with pytest.raises(InvalidTransitionError):
        Disposition.start(SIGNATURE, OFFICE, at=utc(2025, 2, 1), holds=[released, future])


def test_expired_record_has_nothing_to_dispose() -> None:
    """R-RET-7: a retain-only class that ended leaves nothing to start, early or not."""
    kept_only = schedule(RecordClass("kept-only", Period(years=1), action="none"))
    rec = record("X-1", ["kept-only"])
    assert kept_only.evaluate(rec, at=utc(2030, 1, 1)).status is RetentionStatus.EXPIRED
    for early in (False, True):
        with pytest.raises(InvalidTransitionError) as caught:
            Disposition.start(
                rec,
                kept_only,
                at=utc(2030, 1, 1),
                early=early,
                actor="olga",
                matrix=MATRIX,
                scope=SCOPE,
            )
        assert caught.value.state == "expired"


def test_start_rests_on_the_record_own_verdict() -> None:
    """R-RET-1: a younger record of a due record's class is not due; start refuses it."""
    younger = record("SIG-2", ["signature-records"], created=utc(2024, 1, 1))
    assert OFFICE.evaluate(SIGNATURE, at=DUE_AT).due
    with pytest.raises(InvalidTransitionError) as caught:
        Disposition.start(younger, OFFICE, at=DUE_AT)
    assert caught.value.state == "retain"
    with pytest.raises(NotPermittedError) as early:  # locked (compliance) until 2029
        Disposition.start(
            younger, OFFICE, at=DUE_AT, early=True, actor="olga", matrix=MATRIX, scope=SCOPE
        )
    assert "compliance" in str(early.value)


def test_start_rests_on_the_schedule_it_is_given() -> None:
    """R-RET-1: the schedule passed decides: a version keeping six years refuses, four starts."""
    six = RecordClass("signature-records", Period(years=6), lock="compliance")
    four = RecordClass("signature-records", Period(years=4), lock="compliance")
    longer = schedule(six, name="office-records", version=2, timezone="Asia/Shanghai")
    shorter = schedule(four, name="office-records", version=3, timezone="Asia/Shanghai")
    with pytest.raises(InvalidTransitionError):
        Disposition.start(SIGNATURE, longer, at=DUE_AT)
    pending, events = Disposition.start(SIGNATURE, shorter, at=DUE_AT)
    assert (pending.schedule, pending.schedule_version) == ("office-records", 3)
    assert (pending.keep_until, pending.dispose_after) == (day(2024, 1, 1), day(2024, 1, 1))
    assert events[0].data["schedule_version"] == 3


def test_compliance_lock_forbids_early_disposal_to_everyone() -> None:
    """R-RET-1: under a compliance lock nobody, not even the bypass holder, disposes early."""
    at = utc(2024, 6, 1)
    decision = OFFICE.evaluate(SIGNATURE, at=at)
    assert decision.status is RetentionStatus.RETAIN
    assert decision.lock is not None
    for actor in ("olga", "ann"):
        with pytest.raises(NotPermittedError) as caught:
            Disposition.start(
                SIGNATURE, OFFICE, at=at, early=True, actor=actor, matrix=MATRIX, scope=SCOPE
            )
        assert caught.value.actor == actor
        assert "compliance" in str(caught.value)


def test_record_lock_in_force_forbids_early_disposal_under_a_later_version() -> None:
    """R-RET-1: a record locked under v1 is not disposed early under a v2 without the lock."""
    locked = SIGNATURE.with_lock(OFFICE.evaluate(SIGNATURE, at=utc(2020, 1, 2)).lock)
    v2 = schedule(
        RecordClass("signature-records", Period(years=1)),
        name="office-records",
        version=2,
        timezone="Asia/Shanghai",
    )
    at = utc(2023, 1, 1)
    assert v2.evaluate(locked, at=at).status is RetentionStatus.RETAIN
    with pytest.raises(NotPermittedError) as caught:
        Disposition.start(locked, v2, at=at, early=True, actor="olga", matrix=MATRIX, scope=SCOPE)
    assert "compliance" in str(caught.value)
    pending, _ = Disposition.start(SIGNATURE, v2, at=at)  # without its lock: due
    assert not pending.early


def test_governance_bypass_allows_early_disposal_and_is_audited() -> None:
    """R-RET-1: the bypass holder may start a governance-locked record early; it is an event."""
    at = utc(2021, 6, 1)
    assert OFFICE.evaluate(REPORT, at=at).status is RetentionStatus.RETAIN
    for partial in ({}, {"matrix": MATRIX}, {"scope": SCOPE}):
        with pytest.raises(NotPermittedError) as missing:
            Disposition.start(REPORT, OFFICE, at=at, early=True, actor="olga", **partial)
        assert "role matrix" in str(missing.value)
    with pytest.raises(NotPermittedError):
        Disposition.start(
            REPORT, OFFICE, at=at, early=True, actor="ann", matrix=MATRIX, scope=SCOPE
        )
    with pytest.raises(InvalidTransitionError):  # not early: a retained record is refused
        Disposition.start(REPORT, OFFICE, at=at, actor="olga", matrix=MATRIX, scope=SCOPE)
    early, events = Disposition.start(
        REPORT, OFFICE, at=at, early=True, actor="olga", matrix=MATRIX, scope=SCOPE
    )
    assert early.early is True
    assert actions(events) == ["retention.governance_bypassed", "retention.disposition_started"]
    assert (events[0].actor, events[0].subject) == ("olga", "REP-1")
    assert events[0].data == {"dispose_after": "2022-01-01", "reason": "early disposal"}
    done, certificate, _ = early.approve("ann", at=at, matrix=MATRIX, scope=SCOPE)[0].execute(
        REPORT, at=at, actor="ann"
    )
    assert done.state == "destroyed"
    assert certificate is not None


def test_due_record_started_with_early_is_not_early() -> None:
    """R-RET-7: early=True on a record already due needs no bypass and is not marked early."""
    pending, events = Disposition.start(SIGNATURE, OFFICE, at=DUE_AT, early=True, actor="carl")
    assert pending.early is False
    assert actions(events) == ["retention.disposition_started"]


def test_unlocked_record_needs_the_bypass_to_go_early_as_well() -> None:
    """R-RET-4: disposing early of an unlocked record still needs bypass_governance."""
    at = utc(2021, 6, 1)
    decision = OFFICE.evaluate(MINUTES, at=at)
    assert (decision.status, decision.lock) == (RetentionStatus.RETAIN, None)
    with pytest.raises(NotPermittedError):
        Disposition.start(
            MINUTES, OFFICE, at=at, early=True, actor="carl", matrix=MATRIX, scope=SCOPE
        )
    with pytest.raises(NotPermittedError):
        Disposition.start(MINUTES, OFFICE, at=at, early=True, actor="olga")
    disposition, events = Disposition.start(
        MINUTES, OFFICE, at=at, early=True, actor="olga", matrix=MATRIX, scope=SCOPE
    )
    assert disposition.early
    assert "retention.governance_bypassed" in actions(events)


def test_expired_compliance_lock_no_longer_forbids_early_disposal() -> None:
    """R-RET-1: after a compliance lock's date, early disposal needs only the governance bypass."""
    rec = record("SIG-7", ["signature-records", "destruction-certificates"])
    at = utc(2026, 6, 1)
    decision = OFFICE.evaluate(rec, at=at)
    assert decision.status is RetentionStatus.RETAIN
    assert decision.lock is not None
    assert decision.lock.until < OFFICE.local_date(at)
    with pytest.raises(NotPermittedError):
        Disposition.start(rec, OFFICE, at=at, early=True, actor="ann", matrix=MATRIX, scope=SCOPE)
    disposition, events = Disposition.start(
        rec, OFFICE, at=at, early=True, actor="olga", matrix=MATRIX, scope=SCOPE
    )
    assert disposition.early
    assert (disposition.action, disposition.record_class) == (Action.DESTROY, "signature-records")
    assert actions(events)[0] == "retention.governance_bypassed"


def test_compliance_lock_is_in_force_through_its_last_local_day() -> None:
    """R-RET-1: the lock (until 2025-01-01) holds all that day in Shanghai, then lapses."""
    rec = record("SIG-7", ["signature-records", "destruction-certificates"])
    last_day = utc(2024, 12, 31, 17)  # 2025-01-01 01:00 in Shanghai
    next_day = utc(2025, 1, 1, 17)  # 2025-01-02 01:00 in Shanghai, still 2025-01-01 in UTC
    assert OFFICE.local_date(last_day) == day(2025, 1, 1)
    with pytest.raises(NotPermittedError) as caught:
        Disposition.start(
            rec, OFFICE, at=last_day, early=True, actor="olga", matrix=MATRIX, scope=SCOPE
        )
    assert "compliance" in str(caught.value)
    disposition, _ = Disposition.start(
        rec, OFFICE, at=next_day, early=True, actor="olga", matrix=MATRIX, scope=SCOPE
    )
    assert disposition.early


def test_start_refuses_bad_arguments() -> None:
    """R-RET-7: approvals count from one; the schedule must be a schedule, the instant aware."""
    for count in (0, -1, untyped(True), untyped(1.5)):
        with pytest.raises(InvalidDefinitionError) as caught:
            Disposition.start(SIGNATURE, OFFICE, at=DUE_AT, required_approvals=count)
        assert caught.value.field == "required_approvals"
    for not_schedule in ("office-records", OFFICE.evaluate(SIGNATURE, at=DUE_AT), None):
        with pytest.raises(InvalidDefinitionError) as caught:
            Disposition.start(SIGNATURE, untyped(not_schedule), at=DUE_AT)
        assert caught.value.field == "schedule"
    with pytest.raises(InvalidDefinitionError) as not_record:
        Disposition.start(untyped("SIG-1"), OFFICE, at=DUE_AT)
    assert not_record.value.field == "record"
    with pytest.raises(UnknownNameError):
        Disposition.start(record("X-1", ["ledgers"]), OFFICE, at=DUE_AT)
    with pytest.raises(NaiveDatetimeError):
        Disposition.start(SIGNATURE, OFFICE, at=datetime(2025, 1, 2))


# -- refusals at the end ---------------------------------------------------------------------------


def test_execute_refuses_a_record_changed_since_the_start() -> None:
    """R-RET-7: a record edited after the start conflicts; the disposition is unchanged."""
    ready = approved()
    for changed in (
        attrs.evolve(SIGNATURE, metadata={"dept": "legal"}),
        attrs.evolve(SIGNATURE, modified=utc(2025, 1, 3)),
        record("SIG-2", ["signature-records"]),
        SIGNATURE.with_lock(OFFICE.evaluate(SIGNATURE, at=DUE_AT).lock),
    ):
        with pytest.raises(ConflictError):
            ready.execute(changed, at=utc(2025, 1, 4), actor="bob")
    assert (ready.state, ready.version) == ("approved", 2)
    done, _, _ = ready.execute(SIGNATURE, at=utc(2025, 1, 4), actor="bob")
    assert done.state == "destroyed"


def test_execute_refuses_under_an_active_hold() -> None:
    """R-RET-7: a hold placed after approval stops the destruction until it is released."""
    ready = approved()
    placed = hold(records=["SIG-1"], placed=utc(2025, 1, 3, 18))
    with pytest.raises(InvalidTransitionError) as caught:
        ready.execute(SIGNATURE, at=utc(2025, 1, 4), actor="bob", holds=[placed])
    assert caught.value.state == "on_hold"
    assert "H-1" in str(caught.value)
    assert ready.state == "approved"
    released, _ = placed.release(at=utc(2025, 2, 1), actor="counsel")
    done, certificate, _ = ready.execute(
        SIGNATURE, at=utc(2025, 2, 2), actor="bob", holds=[released]
    )
    assert done.state == "destroyed"
    assert certificate is not None


def test_execute_sees_holds_on_a_policy_that_reaches_the_record() -> None:
    """R-RET-9: a hold on a scoped policy class stops records the policy reaches by metadata."""
    customer = record("MIN-9", ["minutes"], metadata={"contains": "customer-data"})
    decision = OFFICE.evaluate(customer, at=DUE_AT)
    assert decision.status is RetentionStatus.DUE_FOR_REVIEW
    pending, _ = Disposition.start(customer, OFFICE, at=DUE_AT)
    ready, _ = pending.approve("ann", at=utc(2025, 1, 3), matrix=MATRIX, scope=SCOPE)
    on_policy = hold(classes=["customer-data"], placed=utc(2025, 1, 3, 18))
    assert OFFICE.evaluate(customer, at=utc(2025, 1, 4), holds=[on_policy]).status is (
        RetentionStatus.ON_HOLD
    )
    with pytest.raises(InvalidTransitionError):
        ready.execute(customer, at=utc(2025, 1, 4), actor="ann", holds=[on_policy])


def test_execute_refuses_going_back_in_time_and_naive_instants() -> None:
    """R-RET-7: every step happens at or after the previous one, at an aware instant."""
    ready = approved()
    with pytest.raises(InvalidDefinitionError) as caught:
        ready.execute(SIGNATURE, at=utc(2025, 1, 2), actor="bob")
    assert caught.value.field == "at"
    with pytest.raises(NaiveDatetimeError):
        ready.execute(SIGNATURE, at=datetime(2025, 1, 4), actor="bob")
    assert ready.version == 2


def test_execute_before_approval_and_twice_is_refused() -> None:
    """R-RET-7: only an approved disposition is carried out, and only once."""
    pending, _ = started()
    with pytest.raises(InvalidTransitionError):
        pending.execute(SIGNATURE, at=utc(2025, 1, 4), actor="bob")
    done, _, _ = approved().execute(SIGNATURE, at=utc(2025, 1, 4), actor="bob")
    with pytest.raises(InvalidTransitionError):
        done.execute(SIGNATURE, at=utc(2025, 1, 5), actor="bob")
