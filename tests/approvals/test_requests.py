"""Requests moving through chains: order, signatures, authority, routing, votes and managers."""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from typing import Any

import pytest

from govkit.approvals import (
    AllOf,
    AnyOf,
    ApprovalChain,
    ApprovalRequest,
    ByRole,
    Quorum,
    SignatureRecord,
    Step,
)
from govkit.audit import Event
from govkit.errors import InvalidDefinitionError, NotPermittedError
from govkit.roles import Decision

from ._world import (
    ASSIGNMENTS,
    COMMITTEE,
    COMMITTEE_ALL,
    COMMITTEE_Q3,
    COMPLAINT,
    COMPLAINTS,
    DEPARTMENT,
    MATRIX,
    MON,
    POSTS,
    PURCHASE,
    QUALITY,
    actions,
    approve,
    build_matrix,
    committee_chain,
    later,
    sh,
    submit,
    submitted,
    untyped,
)

SUBJECT = {"item": "spectrometer", "supplier": "Huaxin"}
STUCK = (
    "      STUCK: too few eligible approvers are left for the rule; assign one, delegate, or send "
    "the request elsewhere"
)


def digest(request_id: str, subject: dict[str, Any], amount: Decimal | None) -> str:
    """SHA-256 of the canonical JSON of id, subject and amount, computed independently."""
    body = {"id": request_id, "subject": subject, "amount": None if amount is None else str(amount)}
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def through_three_levels() -> tuple[ApprovalRequest, list[tuple[Event, ...]]]:
    """R-APV-1: li's 120,000 purchase endorsed by wang, checked by zhao, approved by chen."""
    request, submitted_events = submit()
    trail = [submitted_events]
    for actor, minutes in (("wang", 30), ("zhao", 90), ("chen", 240)):
        request, events = request.approve(
            actor=actor, at=later(MON, minutes), matrix=MATRIX, comment=f"ok by {actor}"
        )
        trail.append(events)
    return request, trail


# -- R-APV-1 and R-APV-3: three levels in order, each leaving a signature -----------------------


def test_r_apv_1_submission_reaches_the_head_first() -> None:
    """R-APV-1: a submitted purchase waits at the head step, for li's department heads."""
    request, events = submit()
    assert (request.state, request.step, request.round, request.version) == ("pending", 0, 1, 1)
    assert request.current_step is not None
    assert request.current_step.name == "head"
    assert request.pending_approvers(MATRIX, MON) == ("sun", "wang")
    assert actions(events) == ["approval.submitted", "approval.step_reached"]
    assert events[0].actor == "li"
    assert events[0].subject == "PO-2026-0042"
    assert events[1].actor == "system"
    assert events[1].data == {
        "chain": "purchase-three-level",
        "chain_version": 1,
        "step": "head",
        "round": 1,
    }
    assert request.amount == Decimal(120_000)
    assert isinstance(request.amount, Decimal)


def test_r_apv_1_steps_are_decided_in_order() -> None:
    """R-APV-1: head, then finance, then CEO: each step waits for the one before it."""
    request = submitted()
    assert request.pending_approvers(MATRIX, MON) == ("sun", "wang")
    with pytest.raises(NotPermittedError):
        request.approve(actor="zhao", at=later(MON, 1), matrix=MATRIX)
    with pytest.raises(NotPermittedError):
        request.approve(actor="chen", at=later(MON, 1), matrix=MATRIX)
    request = approve(request, "wang", later(MON, 30))
    assert request.pending_approvers(MATRIX, later(MON, 30)) == ("zhao",)
    with pytest.raises(NotPermittedError):
        request.approve(actor="chen", at=later(MON, 31), matrix=MATRIX)
    request = approve(request, "zhao", later(MON, 90))
    assert request.pending_approvers(MATRIX, later(MON, 90)) == ("chen",)
    request = approve(request, "chen", later(MON, 240))
    assert request.state == "approved"
    assert request.current_step is None
    assert request.pending_approvers(MATRIX, later(MON, 240)) == ()


def test_r_apv_1_events_carry_the_chain_name_and_version() -> None:
    """R-APV-1: every event names the chain and its version, the request and the actor."""
    request, trail = through_three_levels()
    assert [actions(events) for events in trail] == [
        ["approval.submitted", "approval.step_reached"],
        ["approval.step_approved", "approval.step_reached"],
        ["approval.step_approved", "approval.step_reached"],
        ["approval.step_approved", "approval.approved"],
    ]
    for events in trail:
        for event in events:
            assert event.subject == "PO-2026-0042"
            assert event.data["chain"] == "purchase-three-level"
            assert event.data["chain_version"] == 1
    approved = trail[3][0]
    assert (approved.actor, approved.at) == ("chen", later(MON, 240))
    assert approved.data == {
        "chain": "purchase-three-level",
        "chain_version": 1,
        "step": "ceo",
        "round": 1,
        "comment": "ok by chen",
    }
    assert trail[3][1].actor == "chen"
    assert request.version == 4
    assert request.updated_at == later(MON, 240)
    assert request.created_at == MON


def test_r_apv_3_every_step_leaves_a_signature_record() -> None:
    """R-APV-3: one signature per step: actor, role, meaning, round, time and the subject hash."""
    request, _ = through_three_levels()
    expected = digest("PO-2026-0042", SUBJECT, Decimal(120_000))
    assert request.subject_sha256 == expected
    assert request.signatures == request.history
    assert request.signatures == (
        SignatureRecord(
            request="PO-2026-0042",
            actor="wang",
            on_behalf_of=None,
            role="department-head",
            step="head",
            round=1,
            decision="approve",
            meaning="approved head: need and price confirmed",
            comment="ok by wang",
            at=later(MON, 30),
            subject_sha256=expected,
        ),
        SignatureRecord(
            request="PO-2026-0042",
            actor="zhao",
            on_behalf_of=None,
            role="finance",
            step="finance",
            round=1,
            decision="approve",
            meaning="approved finance: budget matches",
            comment="ok by zhao",
            at=later(MON, 90),
            subject_sha256=expected,
        ),
        SignatureRecord(
            request="PO-2026-0042",
            actor="chen",
            on_behalf_of=None,
            role="ceo",
            step="ceo",
            round=1,
            decision="approve",
            meaning="approved ceo: final decision",
            comment="ok by chen",
            at=later(MON, 240),
            subject_sha256=expected,
        ),
    )


def test_r_apv_3_the_subject_hash_depends_on_subject_amount_and_id() -> None:
    """R-APV-3: the signed hash changes with the subject, the amount or the request id."""
    base = submitted().subject_sha256
    assert submitted(subject={**SUBJECT, "supplier": "Other"}).subject_sha256 != base
    assert submitted(amount=120_001).subject_sha256 != base
    assert submitted(id="PO-2026-0043").subject_sha256 != base
    # Key order does not matter: the JSON is canonical.
    reordered = {"supplier": "Huaxin", "item": "spectrometer"}
    assert submitted(subject=reordered).subject_sha256 == base


def test_r_apv_3_signature_describes_itself_in_one_line() -> None:
    """R-APV-3: a signature record reads as who decided what, when, on which content."""
    request, _ = through_three_levels()
    assert request.signatures[1].describe() == (
        "2026-11-23T11:30:00+08:00 zhao approve 'finance' (round 1): "
        f"approved finance: budget matches - ok by zhao [sha256 {request.subject_sha256[:12]}]"
    )


def test_r_apv_1_valid_approvals_per_step() -> None:
    """R-APV-1: valid_approvals lists, per step, the approvals that still count."""
    request, _ = through_three_levels()
    valid = request.valid_approvals()
    assert list(valid) == ["head", "finance", "ceo"]
    assert [[s.actor for s in signed] for signed in valid.values()] == [
        ["wang"],
        ["zhao"],
        ["chen"],
    ]


def test_r_apv_1_explain_tells_the_whole_story() -> None:
    """R-APV-1: explain() names the chain, each step's approver, and who may act now."""
    request = approve(submitted(), "wang", later(MON, 30))
    text = request.explain(MATRIX, later(MON, 31))
    assert text.splitlines() == [
        "request PO-2026-0042 by li (company/quality): pending",
        "  chain purchase-three-level v1, round 1",
        "  - head: approved by wang",
        "  - finance: waiting (role finance in company, any one approver)",
        "      may act now: zhao",
        "  - ceo: to do (role ceo in company)",
    ]
    done = approve(approve(request, "zhao", later(MON, 40)), "chen", later(MON, 50))
    assert done.explain().splitlines()[-3:] == [
        "  - head: approved by wang",
        "  - finance: approved by zhao",
        "  - ceo: approved by chen",
    ]


def test_rejection_ends_the_request_with_a_signature() -> None:
    """R-APV-1, R-APV-3: a veto at finance rejects the request; the CEO is never asked."""
    request = approve(submitted(), "wang", later(MON, 30))
    rejected, events = request.reject(
        actor="zhao", at=later(MON, 60), matrix=MATRIX, comment="no budget left"
    )
    assert rejected.state == "rejected"
    assert actions(events) == ["approval.step_rejected", "approval.rejected"]
    assert events[1].data["veto"] is True
    last = rejected.signatures[-1]
    assert (last.actor, last.decision, last.meaning, last.comment) == (
        "zhao",
        "reject",
        "rejected at finance: budget matches",
        "no budget left",
    )
    lines = rejected.explain().splitlines()
    assert "  - ceo: not reached" in lines
    assert lines[-1].startswith("  last decision: 2026-11-23T11:00:00+08:00 zhao reject 'finance'")


# -- R-APV-5: tiers by amount, grant limits and step conditions -----------------------------------


def test_r_apv_5_policy_routes_by_amount_and_records_the_choice() -> None:
    """R-APV-5: a 30,000 purchase goes to the head alone; the request keeps the route and why."""
    request, events = submit(PURCHASE, amount=30_000)
    assert request.chain.name == "purchase-department"
    assert request.route is not None
    assert request.route.route == "department"
    assert events[0].data["route"] == "department"
    assert events[0].data["reasons"] == ["route 'department' matched: amount < 50000"]
    assert "route: policy purchase-authority v1 chose route 'department'" in request.explain()
    done = approve(request, "wang", later(MON, 5))
    assert done.state == "approved"


def test_r_apv_5_above_the_tier_the_director_must_approve() -> None:
    """R-APV-5: 80,000 goes to the director after the head's endorsement."""
    request = submitted(PURCHASE, amount=80_000)
    assert request.chain.name == "purchase-director"
    request = approve(request, "wang", later(MON, 5))
    assert request.pending_approvers(MATRIX, later(MON, 5)) == ("zhou",)
    done = approve(request, "zhou", later(MON, 10))
    assert done.state == "approved"
    assert done.signatures[-1].role == "director"


def test_r_apv_5_a_head_cannot_approve_above_the_grant_limit() -> None:
    """R-APV-5: wang's limit is 50,000: approving 80,000 is refused with the matrix decision."""
    request = submitted(DEPARTMENT, amount=80_000)
    with pytest.raises(NotPermittedError) as caught:
        request.approve(actor="wang", at=later(MON, 5), matrix=MATRIX)
    error = caught.value
    assert error.actor == "wang"
    assert error.action == "decide step 'head' of PO-2026-0042"
    assert isinstance(error.explanation, Decision)
    assert not error.explanation
    assert error.explanation.reason == "amount 80000 exceeds the limit 50000"
    assert error.explanation.grant is not None
    assert error.explanation.grant.limit == Decimal(50_000)
    assert "amount 80000 exceeds the limit 50000" in str(error)
    assert isinstance(error, PermissionError)


def test_r_apv_5_nobody_within_limits_means_stuck() -> None:
    """R-APV-5: with both heads over their limit, explain() lists why and says STUCK."""
    request = submitted(DEPARTMENT, amount=80_000)
    assert request.pending_approvers(MATRIX, MON) == ()
    lines = request.explain(MATRIX, MON).splitlines()
    assert "      may act now: no one" in lines
    assert (
        "      excluded: wang (DENIED: amount 80000 exceeds the limit 50000; assignment: wang as "
        "department-head in company/quality; grant: department-head allow approve purchase up to "
        "50000)"
    ) in lines
    assert lines[-1] == STUCK


def test_r_apv_5_the_limit_is_inclusive() -> None:
    """R-APV-5: exactly 50,000 is within the head's limit."""
    request = submitted(DEPARTMENT, amount=50_000)
    assert approve(request, "sun", later(MON, 1)).state == "approved"


def test_r_apv_5_step_conditions_skip_steps() -> None:
    """R-APV-5: below 100,000 the CEO step is skipped, with an approval.step_skipped event."""
    request = approve(submitted(amount=30_000), "wang", later(MON, 5))
    done, events = request.approve(actor="zhao", at=later(MON, 10), matrix=MATRIX)
    assert done.state == "approved"
    assert actions(events) == [
        "approval.step_approved",
        "approval.step_skipped",
        "approval.approved",
    ]
    skipped = events[1]
    assert (skipped.actor, skipped.at) == ("system", later(MON, 10))
    assert skipped.data == {
        "chain": "purchase-three-level",
        "chain_version": 1,
        "step": "ceo",
        "reason": "amount is Decimal('30000'), not >= 100000",
    }
    assert "  - ceo: skipped (amount is Decimal('30000'), not >= 100000)" in done.explain()
    assert done.valid_approvals()["ceo"] == ()


def test_a_skipped_first_step_is_passed_at_submission() -> None:
    """R-APV-5: when the first steps do not apply, the request starts at the first that does."""
    chain = ApprovalChain(
        name="big-only",
        resource="purchase",
        steps=[
            Step(name="ceo", approvers=ByRole("ceo", scope="company"), when={"amount": {">": 1}}),
            Step(name="finance", approvers=ByRole("finance", scope="company")),
        ],
    )
    request, events = submit(chain, amount=1)
    assert request.current_step is not None
    assert request.current_step.name == "finance"
    assert actions(events) == [
        "approval.submitted",
        "approval.step_skipped",
        "approval.step_reached",
    ]
    everything_skipped = ApprovalChain(name="never", resource="purchase", steps=[chain.steps[0]])
    approved, events = submit(everything_skipped, amount=1)
    assert approved.state == "approved"
    assert actions(events)[-1] == "approval.approved"
    assert approved.signatures == ()


# -- R-APV-4 and R-APV-7: complaints, managers by scope -------------------------------------------


def test_r_apv_4_complaint_specialist_head_director() -> None:
    """R-APV-4: a customer's complaint is received by li, reviewed by a head, closed by zhou."""
    request = submitted(
        COMPLAINTS,
        id="C-2026-117",
        requester="cust-9",
        amount=None,
        subject={"complaint": "late delivery"},
        facts={"severity": "major"},
    )
    assert request.chain == COMPLAINT
    assert request.pending_approvers(MATRIX, MON) == ("li", "sun", "wang", "zhou")
    request = approve(request, "li", later(MON, 10))
    assert request.pending_approvers(MATRIX, later(MON, 10)) == ("sun", "wang")
    request = approve(request, "wang", later(MON, 20))
    assert request.pending_approvers(MATRIX, later(MON, 20)) == ("zhou",)
    request = approve(request, "zhou", later(MON, 30))
    assert request.state == "approved"
    assert [(s.actor, s.role) for s in request.signatures] == [
        ("li", "specialist"),
        ("wang", "department-head"),
        ("zhou", "director"),
    ]


def test_r_apv_7_a_specialist_settles_a_small_complaint_alone() -> None:
    """R-APV-7: a minor complaint needs only a specialist's signature."""
    request = submitted(
        COMPLAINTS, id="C-2026-118", requester="cust-9", amount=None, facts={"severity": "minor"}
    )
    assert request.chain.name == "complaint-small"
    done = approve(request, "li", later(MON, 10))
    assert done.state == "approved"
    assert len(done.signatures) == 1


@pytest.mark.parametrize(
    ("requester", "scope", "managers"),
    [
        ("li", QUALITY, ("sun", "wang")),
        ("li", "company/quality/line-2", ("sun", "wang")),
        ("wang", QUALITY, ("sun",)),
        ("qian", "company/service", ("zhou",)),
        ("li", "company/service", ("qian",)),
    ],
)
def test_r_apv_4_by_manager_walks_up_the_scopes(
    requester: str, scope: str, managers: tuple[str, ...]
) -> None:
    """R-APV-4: the nearest heads above the requester decide; a head's own request goes higher."""
    request = submitted(DEPARTMENT, requester=requester, scope=scope, amount=1_000)
    assert request.pending_approvers(MATRIX, MON) == managers


def test_r_apv_4_a_sole_heads_request_is_approved_by_the_director() -> None:
    """R-APV-4: qian heads company/service alone, so her own request goes up to zhou."""
    request = submitted(DEPARTMENT, requester="qian", scope="company/service", amount=1_000)
    with pytest.raises(NotPermittedError):
        request.approve(actor="qian", at=later(MON, 1), matrix=MATRIX)
    with pytest.raises(NotPermittedError):
        request.approve(actor="wang", at=later(MON, 1), matrix=MATRIX)
    done = approve(request, "zhou", later(MON, 2))
    assert done.state == "approved"
    assert done.signatures[0].role == "department-head"


def test_by_manager_finds_no_one_above_the_top() -> None:
    """R-APV-4: the director's own request finds no head above: it is stuck, and says so."""
    request = submitted(DEPARTMENT, requester="zhou", scope="company", amount=1_000)
    assert request.pending_approvers(MATRIX, MON) == ()
    assert "STUCK" in request.explain(MATRIX, MON)


# -- the requester never decides ----------------------------------------------------------------


def test_the_requester_never_approves_their_own_request() -> None:
    """R-ROL-8: the requester is excluded from the approvers, and explain() says why."""
    chain = ApprovalChain(
        name="head-review",
        resource="purchase",
        steps=[Step(name="head", approvers=ByRole("department-head"), action="endorse")],
    )
    request = submitted(chain, requester="wang")
    assert request.pending_approvers(MATRIX, MON) == ("sun", "zhou")
    with pytest.raises(NotPermittedError) as caught:
        request.approve(actor="wang", at=later(MON, 1), matrix=MATRIX)
    assert caught.value.explanation == "the requester never decides their own request"
    with pytest.raises(NotPermittedError):
        request.reject(actor="wang", at=later(MON, 1), matrix=MATRIX)
    assert "      excluded: wang (the requester never decides their own request)" in (
        request.explain(MATRIX, MON).splitlines()
    )


def test_stuck_request_is_explained_and_reported_once() -> None:
    """R-APV-1: the CEO's own CEO-only request is STUCK; tick() reports approval.stuck once."""
    chain = ApprovalChain(
        name="ceo-only",
        resource="purchase",
        steps=[Step(name="ceo", approvers=ByRole("ceo", scope="company"))],
    )
    request = submitted(chain, requester="chen", scope="company")
    assert request.pending_approvers(MATRIX, MON) == ()
    text = request.explain(MATRIX, MON)
    assert "      may act now: no one" in text
    assert STUCK in text.splitlines()
    ticked, events = request.tick(later(MON, 5), matrix=MATRIX)
    assert actions(events) == ["approval.stuck"]
    assert events[0].data == {
        "chain": "ceo-only",
        "chain_version": 1,
        "step": "ceo",
        "excluded": ["chen: the requester never decides their own request"],
    }
    assert ticked.stuck_reported
    assert ticked.version == request.version + 1
    again, more = ticked.tick(later(MON, 60), matrix=MATRIX)
    assert more == ()
    assert again is ticked


def test_a_request_with_approvers_is_never_reported_stuck() -> None:
    """R-APV-1: tick() says nothing about a request someone may decide."""
    request = submitted()
    ticked, events = request.tick(later(MON, 5), matrix=MATRIX)
    assert events == ()
    assert ticked == request


# -- R-APV-8: committees ---------------------------------------------------------------------


def committee(chain: ApprovalChain = COMMITTEE_Q3, requester: str = "zhou") -> ApprovalRequest:
    """A major appointment proposed by ``requester`` for the committee to decide."""
    return submitted(
        chain,
        id="HR-2026-7",
        requester=requester,
        scope="company",
        amount=None,
        subject={"post": "quality director", "candidate": "he"},
    )


def test_r_apv_8_major_appointment_goes_to_the_committee() -> None:
    """R-APV-8: the posts policy sends a major appointment to the committee, others to zhou."""
    major = submitted(POSTS, requester="li", scope="company", amount=None, facts={"major": True})
    assert major.pending_approvers(MATRIX, MON) == COMMITTEE
    minor = submitted(POSTS, requester="li", scope="company", amount=None, facts={"major": False})
    assert minor.pending_approvers(MATRIX, MON) == ("zhou",)


def test_r_apv_8_quorum_of_three() -> None:
    """R-APV-8: Quorum(3): two approvals wait; the third approves; voters drop from the list."""
    request = committee()
    request = approve(request, "feng", later(MON, 1))
    request, events = request.approve(actor="han", at=later(MON, 2), matrix=MATRIX)
    assert request.state == "pending"
    assert actions(events) == ["approval.step_approved"]
    assert request.pending_approvers(MATRIX, later(MON, 2)) == ("yang", "zhu")
    assert "      approved so far by feng, han" in request.explain(MATRIX, later(MON, 2))
    request, events = request.approve(actor="zhu", at=later(MON, 3), matrix=MATRIX)
    assert request.state == "approved"
    assert actions(events) == ["approval.step_approved", "approval.approved"]
    assert [s.actor for s in request.valid_approvals()["committee"]] == ["feng", "han", "zhu"]


def test_r_apv_8_rejections_count_until_the_quorum_is_unreachable() -> None:
    """R-APV-8: Quorum(3) of 4: one rejection leaves 3 possible; the second makes it unreachable."""
    request = committee()
    request, events = request.reject(actor="feng", at=later(MON, 1), matrix=MATRIX)
    assert request.state == "pending"
    assert actions(events) == ["approval.step_rejected"]
    request = approve(request, "han", later(MON, 2))
    assert request.state == "pending"
    request, events = request.reject(actor="yang", at=later(MON, 3), matrix=MATRIX)
    assert request.state == "rejected"
    assert actions(events) == ["approval.step_rejected", "approval.rejected"]
    assert events[1].data["veto"] is False
    assert events[1].data["reason"] == "3 approvals needed, at most 2 possible"


def test_r_apv_8_committee_can_still_approve_after_a_rejection() -> None:
    """R-APV-8: one no-vote does not stop three yes-votes."""
    request = committee()
    request, _ = request.reject(actor="zhu", at=later(MON, 1), matrix=MATRIX)
    for minutes, member in enumerate(("feng", "han", "yang"), start=2):
        request = approve(request, member, later(MON, minutes))
    assert request.state == "approved"


def test_r_apv_8_a_quorum_larger_than_the_committee_is_stuck() -> None:
    """R-APV-8: with two members left, Quorum(3) is out of reach: STUCK though two may vote."""
    smaller = build_matrix(
        assignments=[a for a in ASSIGNMENTS if a.user not in {"yang", "zhu"}],
    )
    request = committee()
    assert request.pending_approvers(smaller, MON) == ("feng", "han")
    lines = request.explain(smaller, MON).splitlines()
    assert "      may act now: feng, han" in lines
    assert STUCK in lines
    assert STUCK not in request.explain(MATRIX, MON).splitlines()
    ticked, events = request.tick(later(MON, 1), matrix=smaller)
    assert actions(events) == ["approval.stuck"]
    assert ticked.tick(later(MON, 2), matrix=smaller)[1] == ()


def test_r_apv_8_a_vetoing_quorum_ends_at_the_first_rejection() -> None:
    """R-APV-8: Quorum(3, veto=True): one rejection rejects at once."""
    request = committee(committee_chain(Quorum(3, veto=True), "appointment-veto"))
    rejected, events = request.reject(actor="feng", at=later(MON, 1), matrix=MATRIX)
    assert rejected.state == "rejected"
    assert events[-1].data["veto"] is True


def test_r_apv_8_percent_quorum() -> None:
    """R-APV-8: Quorum(percent=50) of a 4-member committee needs 2 approvals."""
    request = committee(committee_chain(Quorum(percent=50), "appointment-half"))
    request = approve(request, "feng", later(MON, 1))
    assert request.state == "pending"
    request = approve(request, "yang", later(MON, 2))
    assert request.state == "approved"


def test_r_apv_8_percent_quorum_with_one_rejection_stays_open() -> None:
    """R-APV-8: 50% of 4 with one rejection: two approvals are still possible, so it waits."""
    request = committee(committee_chain(Quorum(percent=50), "appointment-half"))
    request, _ = request.reject(actor="feng", at=later(MON, 1), matrix=MATRIX)
    assert request.state == "pending"
    request, _ = request.reject(actor="han", at=later(MON, 2), matrix=MATRIX)
    assert request.state == "pending"  # yang and zhu can still make 2 of 4


def test_r_apv_8_percent_quorum_unreachable_after_three_rejections() -> None:
    """R-APV-8: 50% of 4 needs 2; after 3 rejections only 1 is possible, so it is rejected."""
    request = committee(committee_chain(Quorum(percent=50), "appointment-half"))
    for minutes, member in enumerate(("feng", "han", "yang"), start=1):
        request, _ = request.reject(actor=member, at=later(MON, minutes), matrix=MATRIX)
    assert request.state == "rejected"


def test_r_apv_8_percent_quorum_never_approves_below_its_share() -> None:
    """R-APV-8: 50% of a 4-member committee is never met by a single approval."""
    request = committee(committee_chain(Quorum(percent=50), "appointment-half"))
    for minutes, member in enumerate(("feng", "han", "yang"), start=1):
        request, _ = request.reject(actor=member, at=later(MON, minutes), matrix=MATRIX)
    if request.state == "pending":
        request = approve(request, "zhu", later(MON, 10))
    assert request.state != "approved"


def test_any_of_vetoes_by_default() -> None:
    """R-APV-1: with AnyOf (the default) one rejection rejects, even if others could approve."""
    request = submitted()
    rejected, _ = request.reject(actor="sun", at=later(MON, 1), matrix=MATRIX)
    assert rejected.state == "rejected"


def test_any_of_without_veto_waits_for_the_others() -> None:
    """R-APV-8: AnyOf(veto=False) counts a rejection; the step fails once no approver is left."""
    chain = ApprovalChain(
        name="head-no-veto",
        resource="purchase",
        steps=[Step(name="head", approvers=ByRole("department-head"), rule=AnyOf(veto=False))],
    )
    request = submitted(chain, amount=1_000)
    assert request.pending_approvers(MATRIX, MON) == ("sun", "wang", "zhou")
    request, _ = request.reject(actor="wang", at=later(MON, 1), matrix=MATRIX)
    assert request.state == "pending"
    assert request.pending_approvers(MATRIX, later(MON, 1)) == ("sun", "zhou")
    request, _ = request.reject(actor="sun", at=later(MON, 2), matrix=MATRIX)
    assert request.state == "pending"
    rejected, events = request.reject(actor="zhou", at=later(MON, 3), matrix=MATRIX)
    assert rejected.state == "rejected"
    assert events[-1].data["reason"] == "1 approvals needed, at most 0 possible"
    approved = approve(request, "zhou", later(MON, 3))
    assert approved.state == "approved"


def test_all_of_needs_every_eligible_member() -> None:
    """R-APV-8: AllOf: three of four approvals wait; the fourth approves."""
    request = committee(COMMITTEE_ALL)
    for minutes, member in enumerate(COMMITTEE[:3], start=1):
        request = approve(request, member, later(MON, minutes))
        assert request.state == "pending"
    assert request.pending_approvers(MATRIX, later(MON, 3)) == ("zhu",)
    assert approve(request, "zhu", later(MON, 4)).state == "approved"


def test_all_of_leaves_out_the_requester() -> None:
    """R-APV-8: a member who proposes the appointment is not among the 'all' who must approve."""
    request = committee(COMMITTEE_ALL, requester="feng")
    assert request.pending_approvers(MATRIX, MON) == ("han", "yang", "zhu")
    for minutes, member in enumerate(("han", "yang", "zhu"), start=1):
        request = approve(request, member, later(MON, minutes))
    assert request.state == "approved"


def test_all_of_vetoes_by_default() -> None:
    """R-APV-8: with AllOf one rejection rejects."""
    request = approve(committee(COMMITTEE_ALL), "feng", later(MON, 1))
    rejected, events = request.reject(actor="han", at=later(MON, 2), matrix=MATRIX)
    assert rejected.state == "rejected"
    assert events[-1].data["veto"] is True


def test_all_of_without_veto_still_fails_on_a_rejection() -> None:
    """R-APV-8: with every approval needed, one rejection makes the step fail."""
    request = committee(committee_chain(AllOf(veto=False), "appointment-all-soft"))
    request, _ = request.reject(actor="feng", at=later(MON, 1), matrix=MATRIX)
    for minutes, member in enumerate(("han", "yang", "zhu"), start=2):
        if request.state != "pending":
            break
        request = approve(request, member, later(MON, minutes))
    assert request.state == "rejected"


def test_submission_validates_its_input() -> None:
    """R-APV-5: submit refuses bad ids, scopes, definitions, subjects and an 'amount' fact."""
    cases: list[tuple[dict[str, Any], str]] = [
        ({"id": ""}, "id"),
        ({"requester": " li"}, "requester"),
        ({"scope": "company//quality"}, "scope"),
        ({"subject": {"when": object()}}, "subject"),
        ({"subject": {1: "x"}}, "subject"),
        ({"facts": {"amount": 3}}, "facts"),
        ({"matrix": "company"}, "matrix"),
    ]
    for changes, field in cases:
        with pytest.raises(InvalidDefinitionError) as caught:
            submit(**changes)
        assert caught.value.field == field, changes
    with pytest.raises(InvalidDefinitionError) as wrong:
        ApprovalRequest.submit(
            untyped("purchase"),
            id="x",
            requester="li",
            scope=QUALITY,
            at=MON,
            matrix=MATRIX,
        )
    assert wrong.value.field == "definition"


def test_submission_at_a_later_date_uses_that_instant() -> None:
    """R-APV-3: a request keeps its submission instant as created_at and updated_at."""
    request = submitted(at=sh(24, 9, 30))
    assert request.created_at == request.updated_at == sh(24, 9, 30)
    assert request.rounds[0].started_at == sh(24, 9, 30)
    assert request.step_started_at == sh(24, 9, 30)
