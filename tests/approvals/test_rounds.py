"""Rounds: send-backs, returns, resubmissions (stale approvals dismissed) and migrations."""

from __future__ import annotations

from decimal import Decimal

import pytest

from govkit.approvals import ApprovalChain, ApprovalRequest, ByRole, Round, Step
from govkit.errors import (
    InvalidDefinitionError,
    InvalidTransitionError,
    NotPermittedError,
    UnknownNameError,
)

from ._world import (
    COMPLAINTS,
    HEAD_ENDORSES,
    MATRIX,
    MON,
    POSTS,
    PURCHASE,
    SATISFACTION,
    THREE_LEVEL,
    actions,
    approve,
    later,
    submitted,
    untyped,
)
from ._world import round_trip as reload


def at_ceo() -> ApprovalRequest:
    """li's 120,000 purchase endorsed by wang and checked by zhao, waiting for chen."""
    request = approve(submitted(), "wang", later(MON, 30))
    return approve(request, "zhao", later(MON, 60))


def signers(request: ApprovalRequest) -> dict[str, list[str]]:
    """Per step, who signed the approvals that still count."""
    return {step: [s.actor for s in signed] for step, signed in request.valid_approvals().items()}


# -- send back to an earlier step -----------------------------------------------------------------


def test_send_back_to_a_step_opens_a_round_keeping_earlier_approvals() -> None:
    """R-APV-1: chen sends back to finance: round 2 starts there, wang's endorsement stands."""
    request = at_ceo()
    back, events = request.send_back(
        "finance", actor="chen", at=later(MON, 90), matrix=MATRIX, comment="quote too old"
    )
    assert (back.state, back.round, back.step) == ("pending", 2, 1)
    assert actions(events) == ["approval.sent_back", "approval.step_reached"]
    assert events[0].data == {
        "chain": "purchase-three-level",
        "chain_version": 1,
        "step": "ceo",
        "to": "finance",
        "comment": "quote too old",
    }
    assert events[1].data["round"] == 2
    assert back.rounds[-1] == Round(
        number=2,
        started_at=later(MON, 90),
        by="chen",
        reason="sent back to finance by chen",
        start_step=1,
        subject_sha256=request.subject_sha256,
    )
    assert signers(back) == {"head": ["wang"], "finance": [], "ceo": []}
    assert back.pending_approvers(MATRIX, later(MON, 90)) == ("zhao",)
    last = back.signatures[-1]
    assert (last.actor, last.decision, last.step, last.round, last.meaning) == (
        "chen",
        "send_back",
        "ceo",
        1,
        "sent back at ceo: final decision",
    )


def test_after_a_send_back_the_round_is_completed_again() -> None:
    """R-APV-1: in round 2 finance and the CEO decide again; history keeps both rounds."""
    back, _ = at_ceo().send_back("finance", actor="chen", at=later(MON, 90), matrix=MATRIX)
    back = approve(back, "zhao", later(MON, 120))
    done = approve(back, "chen", later(MON, 150))
    assert done.state == "approved"
    assert [(s.actor, s.step, s.round, s.decision) for s in done.history] == [
        ("wang", "head", 1, "approve"),
        ("zhao", "finance", 1, "approve"),
        ("chen", "ceo", 1, "send_back"),
        ("zhao", "finance", 2, "approve"),
        ("chen", "ceo", 2, "approve"),
    ]
    assert signers(done) == {"head": ["wang"], "finance": ["zhao"], "ceo": ["chen"]}


def test_send_back_to_the_first_step_dismisses_everything() -> None:
    """R-APV-1: sending back to the head restarts the chain in a new round."""
    back, _ = at_ceo().send_back("head", actor="chen", at=later(MON, 90), matrix=MATRIX)
    assert (back.round, back.step) == (2, 0)
    assert signers(back) == {"head": [], "finance": [], "ceo": []}
    assert back.pending_approvers(MATRIX, later(MON, 90)) == ("sun", "wang")


def test_send_back_to_the_current_step_retakes_its_votes() -> None:
    """R-APV-11: a step may send back to itself: a fresh round at the same step."""
    back, _ = at_ceo().send_back("ceo", actor="chen", at=later(MON, 90), matrix=MATRIX)
    assert (back.round, back.step) == (2, 2)
    assert signers(back) == {"head": ["wang"], "finance": ["zhao"], "ceo": []}


def test_send_back_refusals_leave_the_request_unchanged() -> None:
    """R-APV-11: send-back to an unknown step, ahead, or where not allowed is refused."""
    request = at_ceo()
    before = reload(request)
    with pytest.raises(UnknownNameError) as unknown:
        request.send_back("cfo", actor="chen", at=later(MON, 90), matrix=MATRIX)
    assert unknown.value.name == "cfo"
    at_finance = approve(submitted(), "wang", later(MON, 30))
    with pytest.raises(InvalidDefinitionError) as ahead:
        at_finance.send_back("ceo", actor="zhao", at=later(MON, 90), matrix=MATRIX)
    assert ahead.value.field == "to_step"
    assert ahead.value.expected == "a step at or before the current step 'finance'"
    with pytest.raises(NotPermittedError) as forbidden:
        at_finance.send_back("head", actor="zhao", at=later(MON, 90), matrix=MATRIX)
    assert forbidden.value.explanation == "step 'finance' does not allow it"
    with pytest.raises(NotPermittedError):
        request.send_back("finance", actor="zhao", at=later(MON, 90), matrix=MATRIX)
    assert request == before


def test_only_the_steps_approvers_may_send_back() -> None:
    """R-APV-1: the requester and other steps' approvers cannot send back from the CEO step."""
    request = at_ceo()
    for actor in ("li", "wang", "zhao"):
        with pytest.raises(NotPermittedError):
            request.send_back(None, actor=actor, at=later(MON, 90), matrix=MATRIX)


# -- return to the requester and resubmit ----------------------------------------------------------


def returned() -> ApprovalRequest:
    """li's purchase returned to her by chen for a third quote."""
    request, _ = at_ceo().send_back(
        None, actor="chen", at=later(MON, 90), matrix=MATRIX, comment="need a third quote"
    )
    return request


def test_send_back_to_the_requester_returns_the_request() -> None:
    """R-APV-11: send_back(None) returns the request to li; no one decides until resubmission."""
    request, events = at_ceo().send_back(None, actor="chen", at=later(MON, 90), matrix=MATRIX)
    assert (request.state, request.step, request.round) == ("returned", 2, 1)
    assert request.current_step is None
    assert request.step_started_at is None
    assert actions(events) == ["approval.sent_back"]
    assert events[0].data["to"] == "the requester"
    assert request.pending_approvers(MATRIX, later(MON, 90)) == ()
    assert "  - ceo: returned to li for changes" in request.explain().splitlines()
    with pytest.raises(InvalidTransitionError) as caught:
        request.approve(actor="chen", at=later(MON, 91), matrix=MATRIX)
    assert (caught.value.state, caught.value.action) == ("returned", "advance")
    with pytest.raises(InvalidTransitionError):
        request.reject(actor="chen", at=later(MON, 91), matrix=MATRIX)
    assert request.status(later(MON, 91)).step is None


def test_resubmit_without_change_resumes_at_the_step_that_returned_it() -> None:
    """R-APV-11: resubmitted unchanged, it goes back to the CEO; earlier approvals stand."""
    request, events = returned().resubmit(
        actor="li", at=later(MON, 120), matrix=MATRIX, comment="third quote attached"
    )
    assert (request.state, request.step, request.round) == ("pending", 2, 2)
    assert actions(events) == ["approval.resubmitted", "approval.step_reached"]
    assert events[0].data["changed"] is False
    assert events[0].data["comment"] == "third quote attached"
    assert request.rounds[-1].reason == "resubmitted"
    assert request.rounds[-1].start_step == 2
    assert request.rounds[-1].by == "li"
    assert signers(request) == {"head": ["wang"], "finance": ["zhao"], "ceo": []}
    assert request.pending_approvers(MATRIX, later(MON, 120)) == ("chen",)
    assert approve(request, "chen", later(MON, 150)).state == "approved"


def test_resubmit_with_a_changed_amount_dismisses_stale_approvals() -> None:
    """R-APV-3: a changed amount makes earlier approvals stale: dismissed, restart at the head."""
    request = returned()
    again, events = request.resubmit(actor="li", at=later(MON, 120), matrix=MATRIX, amount=135_000)
    assert actions(events) == [
        "approval.resubmitted",
        "approval.approvals_dismissed",
        "approval.step_reached",
    ]
    assert events[0].data["changed"] is True
    assert events[1].data["dismissed"] == ["head:wang", "finance:zhao"]
    assert events[1].data["reason"] == "the request changed after they were given"
    assert (again.state, again.step, again.round) == ("pending", 0, 2)
    assert again.amount == Decimal(135_000)
    assert again.subject_sha256 != request.subject_sha256
    assert again.rounds[-1].reason == "resubmitted with changes"
    assert again.rounds[-1].subject_sha256 == again.subject_sha256
    assert signers(again) == {"head": [], "finance": [], "ceo": []}
    assert again.history == request.history  # nothing is forgotten
    again = approve(again, "sun", later(MON, 150))
    assert again.signatures[-1].subject_sha256 == again.subject_sha256
    assert again.signatures[0].subject_sha256 == request.subject_sha256


def test_resubmit_with_a_changed_subject_dismisses_too() -> None:
    """R-APV-3: a changed subject is a different thing to sign: every approval is stale."""
    again, events = returned().resubmit(
        actor="li",
        at=later(MON, 120),
        matrix=MATRIX,
        subject={"item": "spectrometer", "supplier": "Beifen"},
    )
    assert actions(events)[1] == "approval.approvals_dismissed"
    assert events[0].data["sha256"] == again.subject_sha256
    assert again.step == 0
    assert again.subject == {"item": "spectrometer", "supplier": "Beifen"}


def test_resubmit_while_pending_with_changes_restarts() -> None:
    """R-APV-3: the requester may amend a pending request: its approvals are dismissed."""
    request = approve(submitted(), "wang", later(MON, 30))
    again, events = request.resubmit(actor="li", at=later(MON, 40), matrix=MATRIX, amount=110_000)
    assert again.step == 0
    assert events[1].data["dismissed"] == ["head:wang"]


def test_resubmit_of_a_fresh_request_dismisses_nothing() -> None:
    """R-APV-3: with no approvals yet, a change emits no approval.approvals_dismissed."""
    again, events = submitted().resubmit(
        actor="li", at=later(MON, 1), matrix=MATRIX, amount=110_000
    )
    assert actions(events) == ["approval.resubmitted", "approval.step_reached"]
    assert again.round == 2


def test_resubmit_refusals() -> None:
    """R-APV-11: only li may resubmit; a pending request needs a change; floats are refused."""
    request = returned()
    before = reload(request)
    with pytest.raises(NotPermittedError):
        request.resubmit(actor="wang", at=later(MON, 120), matrix=MATRIX)
    pending = approve(submitted(), "wang", later(MON, 30))
    with pytest.raises(InvalidDefinitionError) as unchanged:
        pending.resubmit(actor="li", at=later(MON, 40), matrix=MATRIX)
    assert unchanged.value.field == "subject"
    with pytest.raises(InvalidDefinitionError) as same:
        pending.resubmit(
            actor="li", at=later(MON, 40), matrix=MATRIX, amount=120_000, subject=pending.subject
        )
    assert same.value.field == "subject"
    with pytest.raises(InvalidDefinitionError) as wrong:
        request.resubmit(actor="li", at=later(MON, 120), matrix=MATRIX, amount=untyped(130_000.0))
    assert wrong.value.field == "amount"
    assert request == before


def test_resubmit_refuses_an_amount_fact_like_submit() -> None:
    """R-APV-5: facts never carry the amount, at submission or resubmission."""
    request = returned()
    with pytest.raises(InvalidDefinitionError):
        request.resubmit(actor="li", at=later(MON, 120), matrix=MATRIX, facts={"amount": 5})


def test_the_same_amount_written_differently_is_no_change() -> None:
    """R-APV-3: 120000.00 is the amount that was signed; resubmitting it keeps the approvals."""
    request = returned()
    again, events = request.resubmit(
        actor="li", at=later(MON, 120), matrix=MATRIX, amount=Decimal("120000.00")
    )
    assert "approval.approvals_dismissed" not in actions(events)
    assert again.step == 2


# -- policy-routed requests ------------------------------------------------------------------


def test_resubmit_of_a_routed_request_chooses_the_route_again() -> None:
    """R-APV-5: lowering 80,000 to 30,000 moves the request from the director to the head."""
    request = approve(submitted(PURCHASE, amount=80_000), "wang", later(MON, 5))
    assert request.chain.name == "purchase-director"
    again, events = request.resubmit(
        actor="li", at=later(MON, 10), matrix=MATRIX, amount=30_000, policy=PURCHASE
    )
    assert again.route is not None
    assert (again.route.route, again.chain.name, again.step) == (
        "department",
        "purchase-department",
        0,
    )
    assert events[1].data["dismissed"] == ["head:wang"]
    assert events[-1].data["chain"] == "purchase-department"
    assert again.pending_approvers(MATRIX, later(MON, 10)) == ("sun", "wang")
    assert approve(again, "wang", later(MON, 20)).state == "approved"


def test_resubmit_of_a_routed_request_needs_the_same_policy() -> None:
    """R-APV-5: a changed routed request needs its own policy (name and version) to route again."""
    request = approve(submitted(PURCHASE, amount=80_000), "wang", later(MON, 5))
    before = reload(request)
    newer = PURCHASE.__class__(
        name=PURCHASE.name, version=2, routes=PURCHASE.routes, default=PURCHASE.default
    )
    for policy in (None, POSTS, newer):
        with pytest.raises(InvalidDefinitionError) as caught:
            request.resubmit(
                actor="li", at=later(MON, 10), matrix=MATRIX, amount=30_000, policy=policy
            )
        assert caught.value.field == "policy"
        assert caught.value.expected == (
            "policy purchase-authority v1 to route the changed request"
        )
    assert request == before


def test_resubmit_with_changed_facts_can_change_the_route() -> None:
    """R-APV-7: a complaint reclassified as major moves to the three-step chain."""
    request = submitted(
        COMPLAINTS, id="C-2026-200", requester="cust-9", amount=None, facts={"severity": "minor"}
    )
    assert request.chain.name == "complaint-small"
    again, _ = request.resubmit(
        actor="cust-9",
        at=later(MON, 5),
        matrix=MATRIX,
        facts={"severity": "major"},
        policy=COMPLAINTS,
    )
    assert again.chain.name == "complaint"
    assert again.facts == {"severity": "major"}


# -- R-APV-11: the customer sends the complaint back until satisfied -------------------------------


def test_r_apv_11_customer_sends_back_twice_until_satisfied() -> None:
    """R-APV-11: cust-9 sends the resolution back twice, then is satisfied; every round is kept."""
    request = submitted(
        SATISFACTION,
        id="C-2026-117",
        amount=None,
        subject={"complaint": "late delivery", "customer": "cust-9"},
    )
    at = MON
    for attempt, head in enumerate(("wang", "wang"), start=1):
        at = later(at, 60)
        request = approve(request, head, at)
        assert request.pending_approvers(MATRIX, at) == ("cust-9",)
        at = later(at, 60)
        request, events = request.send_back(
            "resolve", actor="cust-9", at=at, matrix=MATRIX, comment=f"not satisfied ({attempt})"
        )
        assert (request.state, request.round, request.step) == ("pending", attempt + 1, 0)
        assert actions(events) == ["approval.sent_back", "approval.step_reached"]
    request = approve(request, "sun", later(at, 60))
    request, events = request.approve(
        actor="cust-9", at=later(at, 120), matrix=MATRIX, comment="satisfied"
    )
    assert request.state == "approved"
    assert actions(events) == ["approval.step_approved", "approval.approved"]
    assert [(r.number, r.by, r.reason, r.start_step) for r in request.rounds] == [
        (1, "li", "submitted", 0),
        (2, "cust-9", "sent back to resolve by cust-9", 0),
        (3, "cust-9", "sent back to resolve by cust-9", 0),
    ]
    assert [(s.actor, s.step, s.round, s.decision, s.role) for s in request.history] == [
        ("wang", "resolve", 1, "approve", "department-head"),
        ("cust-9", "customer", 1, "send_back", None),
        ("wang", "resolve", 2, "approve", "department-head"),
        ("cust-9", "customer", 2, "send_back", None),
        ("sun", "resolve", 3, "approve", "department-head"),
        ("cust-9", "customer", 3, "approve", None),
    ]
    assert [s.comment for s in request.history if s.decision == "send_back"] == [
        "not satisfied (1)",
        "not satisfied (2)",
    ]
    assert signers(request) == {"resolve": ["sun"], "customer": ["cust-9"]}


def test_r_apv_11_only_the_named_customer_confirms() -> None:
    """R-APV-11: the ByUser step accepts cust-9 only."""
    request = approve(submitted(SATISFACTION, amount=None), "wang", later(MON, 10))
    with pytest.raises(NotPermittedError) as caught:
        request.approve(actor="zhou", at=later(MON, 20), matrix=MATRIX)
    assert caught.value.explanation == "zhou is not among its approvers (user cust-9)"


# -- migration to a newer chain version ------------------------------------------------------

V2 = ApprovalChain(
    name=THREE_LEVEL.name,
    version=2,
    resource="purchase",
    steps=[
        HEAD_ENDORSES,
        Step(name="budget", approvers=ByRole("finance", scope="company"), meaning="budget matches"),
        Step(name="ceo", approvers=ByRole("ceo", scope="company"), meaning="final decision"),
    ],
    ratify_within=THREE_LEVEL.ratify_within,
    calendar=THREE_LEVEL.calendar,
)


def test_migrate_moves_a_running_request_with_an_explicit_step_map() -> None:
    """R-APV-1: at 'finance' a request moves to v2's 'budget' in a new round; head stays done."""
    request = approve(submitted(), "wang", later(MON, 30))
    moved, events = request.migrate(
        V2, steps={"finance": "budget"}, at=later(MON, 40), actor="admin"
    )
    assert moved.chain == V2
    assert (moved.step, moved.round, moved.state) == (1, 2, "pending")
    assert actions(events) == ["approval.migrated", "approval.step_reached"]
    assert events[0].actor == "admin"
    assert events[0].data == {
        "chain": THREE_LEVEL.name,
        "chain_version": 2,
        "from_version": 1,
        "to_version": 2,
        "step": "budget",
    }
    assert moved.rounds[-1].reason == "migrated to v2"
    assert signers(moved) == {"head": ["wang"], "budget": [], "ceo": []}
    done = approve(approve(moved, "zhao", later(MON, 50)), "chen", later(MON, 60))
    assert done.state == "approved"
    assert done.chain.version == 2


def test_migrate_a_returned_request_keeps_it_returned() -> None:
    """R-APV-1: a returned request migrates without a new round; resubmission continues in v2."""
    request = returned()
    moved, events = request.migrate(V2, steps={"ceo": "ceo"}, at=later(MON, 100), actor="admin")
    assert moved.state == "returned"
    assert actions(events) == ["approval.migrated"]
    again, _ = moved.resubmit(actor="li", at=later(MON, 110), matrix=MATRIX)
    assert again.chain == V2
    assert again.pending_approvers(MATRIX, later(MON, 110)) == ("chen",)


@pytest.mark.parametrize(
    ("chain", "steps", "error", "field"),
    [
        (THREE_LEVEL, {"finance": "finance"}, InvalidDefinitionError, "chain.version"),
        (PURCHASE.route("department").chain, {"finance": "head"}, InvalidDefinitionError, "chain"),
        (V2, {"head": "head"}, InvalidDefinitionError, "steps"),
        (V2, {}, InvalidDefinitionError, "steps"),
        (V2, {"finance": "treasury"}, UnknownNameError, None),
    ],
    ids=["same-version", "other-chain", "wrong-step", "no-mapping", "unknown-target"],
)
def test_migrate_refusals(
    chain: ApprovalChain,
    steps: dict[str, str],
    error: type[Exception],
    field: str | None,
) -> None:
    """R-APV-1: migrating to the same version, another chain or without a mapping is refused."""
    request = approve(submitted(), "wang", later(MON, 30))
    before = reload(request)
    with pytest.raises(error) as caught:
        request.migrate(chain, steps=steps, at=later(MON, 40), actor="admin")
    if field is not None:
        assert isinstance(caught.value, InvalidDefinitionError)
        assert caught.value.field == field
    assert request == before


def test_migrate_refuses_an_older_version() -> None:
    """R-APV-1: a request already on v2 cannot move back to v1."""
    moved, _ = approve(submitted(), "wang", later(MON, 30)).migrate(
        V2, steps={"finance": "budget"}, at=later(MON, 40), actor="admin"
    )
    with pytest.raises(InvalidDefinitionError) as caught:
        moved.migrate(THREE_LEVEL, steps={"budget": "finance"}, at=later(MON, 50), actor="admin")
    assert caught.value.expected == "a version after 2"


def test_finished_requests_do_not_migrate() -> None:
    """R-APV-1: migration applies to running requests only."""
    done = approve(at_ceo(), "chen", later(MON, 90))
    with pytest.raises(InvalidTransitionError):
        done.migrate(V2, steps={"ceo": "ceo"}, at=later(MON, 100), actor="admin")
