"""Double review (distinct steps, dynamic separation of duties) and delegated authority."""

from __future__ import annotations

from datetime import datetime, timedelta

import attrs
import pytest

from govkit.approvals import ApprovalChain, ApprovalRequest, Delegation
from govkit.errors import InvalidDefinitionError, NaiveDatetimeError, NotPermittedError
from govkit.roles import Assignment, Decision

from ._world import (
    AUTHOR_THEN_REVIEW,
    DOUBLE,
    MATRIX,
    MON,
    approve,
    build_matrix,
    later,
    sh,
    submitted,
)
from ._world import round_trip as reload

REPORT = {"report": "Q3 quality report", "desensitized": True}

LEAVE = Delegation(
    delegator="zhao",
    delegate="wu",
    valid_from=sh(23, 0),
    valid_until=sh(28, 0),
    reason="annual leave",
)


def report(chain: ApprovalChain = DOUBLE) -> ApprovalRequest:
    """li's sensitive report awaiting review under ``chain``."""
    return submitted(chain, id="RPT-2026-Q3", amount=None, subject=REPORT)


def at_finance() -> ApprovalRequest:
    """li's purchase, endorsed by wang, waiting for finance."""
    return approve(submitted(), "wang", later(MON, 30))


# -- R-APV-9: two different reviewers ------------------------------------------------------------


def test_r_apv_9_the_first_reviewer_may_not_review_again() -> None:
    """R-APV-9: after qin's first review, qin may not do the second; xu may."""
    request = approve(report(), "qin", later(MON, 10))
    assert request.pending_approvers(MATRIX, later(MON, 11)) == ("xu",)
    with pytest.raises(NotPermittedError) as caught:
        request.approve(actor="qin", at=later(MON, 11), matrix=MATRIX)
    assert caught.value.explanation == (
        "already approved step 'first-review'; this step needs someone else"
    )
    assert (
        "      excluded: qin (already approved step 'first-review'; this step needs someone else)"
        in request.explain(MATRIX, later(MON, 11)).splitlines()
    )
    done = approve(request, "xu", later(MON, 12))
    assert done.state == "approved"
    assert [s.actor for s in done.signatures] == ["qin", "xu"]


def test_r_apv_9_a_delegate_is_a_person_in_the_case_too() -> None:
    """R-APV-9: qin cannot do the second review as xu's delegate after doing the first."""
    request = approve(report(), "qin", later(MON, 10))
    cover = Delegation(delegator="xu", delegate="qin", valid_from=sh(23, 0), valid_until=sh(30, 0))
    with pytest.raises(NotPermittedError) as caught:
        request.approve(
            actor="qin", on_behalf_of="xu", delegations=[cover], at=later(MON, 11), matrix=MATRIX
        )
    assert "already approved step 'first-review'" in str(caught.value.explanation)


def test_r_apv_9_a_principal_who_approved_may_not_return_through_a_delegate() -> None:
    """R-APV-9: xu's deputy cannot do the second review for xu after xu did the first."""
    request = approve(report(), "xu", later(MON, 10))
    cover = Delegation(delegator="xu", delegate="wu", valid_from=sh(23, 0), valid_until=sh(30, 0))
    with pytest.raises(NotPermittedError):
        request.approve(
            actor="wu", on_behalf_of="xu", delegations=[cover], at=later(MON, 11), matrix=MATRIX
        )
    assert request.pending_approvers(MATRIX, later(MON, 11)) == ("qin",)


def test_r_apv_9_without_distinct_one_person_may_sign_both() -> None:
    """R-APV-9: the distinct flag is what demands two people (the control experiment)."""
    lax = attrs.evolve(
        DOUBLE,
        name="report-lax-review",
        steps=[attrs.evolve(step, distinct=False) for step in DOUBLE.steps],
    )
    request = approve(report(lax), "qin", later(MON, 10))
    assert request.pending_approvers(MATRIX, later(MON, 11)) == ("qin", "xu")
    assert approve(request, "qin", later(MON, 11)).state == "approved"


# -- R-ROL-9: dynamic separation of duties from the role matrix --------------------------------


def test_r_rol_9_the_author_may_not_review_the_same_report() -> None:
    """R-ROL-9: xu confirmed redaction as author, so may_act refuses xu as its reviewer."""
    request = report(AUTHOR_THEN_REVIEW)
    assert request.pending_approvers(MATRIX, MON) == ("xu",)
    request = approve(request, "xu", later(MON, 10))
    assert request.signatures[0].role == "author"
    assert request.pending_approvers(MATRIX, later(MON, 11)) == ("qin",)
    with pytest.raises(NotPermittedError) as caught:
        request.approve(actor="xu", at=later(MON, 11), matrix=MATRIX)
    decision = caught.value.explanation
    assert isinstance(decision, Decision)
    assert not decision.allowed
    assert decision.reason == (
        "'double review': xu would act in 2 of ['author', 'reviewer'] in one case "
        "(author, reviewer)"
    )
    assert decision == MATRIX.may_act("xu", "reviewer", case=[("xu", "author")])
    assert "DENIED: 'double review'" in request.explain(MATRIX, later(MON, 11))
    done = approve(request, "qin", later(MON, 12))
    assert done.state == "approved"


def test_r_rol_9_without_the_rule_the_author_may_review() -> None:
    """R-ROL-9: remove the matrix's dynamic rule and xu may sign both steps."""
    lax = build_matrix(dynamic_rules=[])
    request = approve(report(AUTHOR_THEN_REVIEW), "xu", later(MON, 10), matrix=lax)
    assert request.pending_approvers(lax, later(MON, 11)) == ("qin", "xu")
    done = approve(request, "xu", later(MON, 11), matrix=lax)
    assert done.state == "approved"


def test_r_rol_9_separation_survives_a_json_round_trip() -> None:
    """R-ROL-9: the reloaded request refuses xu as reviewer just the same."""
    request = reload(approve(report(AUTHOR_THEN_REVIEW), "xu", later(MON, 10)))
    with pytest.raises(NotPermittedError):
        request.approve(actor="xu", at=later(MON, 11), matrix=MATRIX)


# -- delegation -------------------------------------------------------------------------------


def test_a_delegate_approves_for_the_absent_approver() -> None:
    """R-APV-3: wu signs for zhao; the signature and the event show both names."""
    request = at_finance()
    assert request.pending_approvers(MATRIX, later(MON, 60)) == ("zhao",)
    done, events = request.approve(
        actor="wu", on_behalf_of="zhao", delegations=[LEAVE], at=later(MON, 60), matrix=MATRIX
    )
    signature = done.signatures[-1]
    assert (signature.actor, signature.on_behalf_of, signature.role, signature.step) == (
        "wu",
        "zhao",
        "finance",
        "finance",
    )
    assert " wu for zhao approve 'finance' " in signature.describe()
    assert events[0].actor == "wu"
    assert events[0].data["on_behalf_of"] == "zhao"
    assert "  - finance: approved by wu for zhao" in done.explain().splitlines()
    assert done.pending_approvers(MATRIX, later(MON, 60)) == ("chen",)


def test_a_delegate_among_other_delegations_finds_the_right_one() -> None:
    """R-ROL-8: only a delegation from this delegator to this delegate counts."""
    others = [
        Delegation(delegator="chen", delegate="wu", valid_from=sh(23, 0), valid_until=sh(28, 0)),
        Delegation(delegator="zhao", delegate="han", valid_from=sh(23, 0), valid_until=sh(28, 0)),
    ]
    request = at_finance()
    with pytest.raises(NotPermittedError):
        request.approve(
            actor="wu", on_behalf_of="zhao", delegations=others, at=later(MON, 60), matrix=MATRIX
        )
    done, _ = request.approve(
        actor="wu",
        on_behalf_of="zhao",
        delegations=(d for d in [*others, LEAVE]),
        at=later(MON, 60),
        matrix=MATRIX,
    )
    assert done.signatures[-1].on_behalf_of == "zhao"


@pytest.mark.parametrize(
    ("delegations", "at", "reason"),
    [
        ([], later(MON, 60), "no delegation from zhao to wu holds at 2026-11-23T11:00:00+08:00"),
        ([LEAVE], sh(28, 9), "no delegation from zhao to wu holds at 2026-11-28T09:00:00+08:00"),
        ([LEAVE], sh(28, 0), "no delegation from zhao to wu holds at 2026-11-28T00:00:00+08:00"),
        (
            [
                Delegation(
                    delegator="zhao", delegate="wu", valid_from=sh(24, 0), valid_until=sh(28, 0)
                )
            ],
            later(MON, 60),
            "no delegation from zhao to wu holds at 2026-11-23T11:00:00+08:00",
        ),
    ],
    ids=["missing", "expired", "ends-exclusive", "not-yet"],
)
def test_a_delegate_without_a_current_delegation_is_refused(
    delegations: list[Delegation], at: datetime, reason: str
) -> None:
    """R-ROL-8: missing, expired (end exclusive) or future delegations give no authority."""
    request = at_finance()
    before = reload(request)
    with pytest.raises(NotPermittedError) as caught:
        request.approve(
            actor="wu", on_behalf_of="zhao", delegations=delegations, at=at, matrix=MATRIX
        )
    assert caught.value.explanation == reason
    assert request == before


def test_the_requester_may_not_act_as_a_delegate() -> None:
    """R-ROL-8: li cannot approve her own purchase even with zhao's delegation."""
    to_li = Delegation(delegator="zhao", delegate="li", valid_from=sh(23, 0), valid_until=sh(28, 0))
    request = at_finance()
    with pytest.raises(NotPermittedError) as caught:
        request.approve(
            actor="li", on_behalf_of="zhao", delegations=[to_li], at=later(MON, 60), matrix=MATRIX
        )
    assert caught.value.explanation == "the requester never decides their own request"


def test_no_one_may_act_for_the_requester() -> None:
    """R-ROL-8: a delegation from the requester gives no authority over her own request."""
    from_li = Delegation(delegator="li", delegate="wu", valid_from=sh(23, 0), valid_until=sh(28, 0))
    request = at_finance()
    with pytest.raises(NotPermittedError):
        request.approve(
            actor="wu", on_behalf_of="li", delegations=[from_li], at=later(MON, 60), matrix=MATRIX
        )


def test_a_delegation_from_someone_who_is_no_approver_gives_nothing() -> None:
    """R-ROL-8: wu acting for chen at finance is refused: chen is no finance approver."""
    from_chen = Delegation(
        delegator="chen", delegate="wu", valid_from=sh(23, 0), valid_until=sh(28, 0)
    )
    request = at_finance()
    with pytest.raises(NotPermittedError) as caught:
        request.approve(
            actor="wu",
            on_behalf_of="chen",
            delegations=[from_chen],
            at=later(MON, 60),
            matrix=MATRIX,
        )
    assert caught.value.explanation == "chen is not among its approvers (role finance in company)"


def test_a_delegate_may_reject_too() -> None:
    """R-APV-3: a delegate's rejection is signed with both names as well."""
    rejected, _ = at_finance().reject(
        actor="wu", on_behalf_of="zhao", delegations=[LEAVE], at=later(MON, 60), matrix=MATRIX
    )
    assert rejected.state == "rejected"
    assert (rejected.signatures[-1].actor, rejected.signatures[-1].on_behalf_of) == ("wu", "zhao")


def test_bad_delegations_are_refused() -> None:
    """R-ROL-8: delegations to oneself, with an empty window or naive instants are refused."""
    with pytest.raises(InvalidDefinitionError) as caught:
        Delegation(delegator="zhao", delegate="zhao", valid_from=sh(23, 0), valid_until=sh(28, 0))
    assert caught.value.field == "delegate"
    with pytest.raises(InvalidDefinitionError) as caught:
        Delegation(delegator="zhao", delegate="wu", valid_from=sh(23, 0), valid_until=sh(23, 0))
    assert caught.value.field == "valid_until"
    with pytest.raises(NaiveDatetimeError):
        Delegation(
            delegator="zhao",
            delegate="wu",
            valid_from=datetime(2026, 11, 23),
            valid_until=sh(28, 0),
        )
    with pytest.raises(InvalidDefinitionError):
        Delegation(delegator="", delegate="wu", valid_from=sh(23, 0), valid_until=sh(28, 0))


def test_delegation_is_active_in_its_half_open_window() -> None:
    """R-ROL-8: a delegation holds from valid_from (inclusive) to valid_until (exclusive)."""
    assert LEAVE.active(sh(23, 0))
    assert LEAVE.active(sh(28, 0) - timedelta(microseconds=1))
    assert not LEAVE.active(sh(28, 0))
    assert not LEAVE.active(sh(22, 23, 59))


# -- assignments with an end -------------------------------------------------------------------


def test_an_expired_assignment_gives_no_authority() -> None:
    """R-ROL-1: gao's temporary finance assignment ends at noon; afterwards gao may not approve."""
    matrix = build_matrix(Assignment("gao", "finance", "company", valid_until=sh(23, 12)))
    request = at_finance()
    assert request.pending_approvers(matrix, sh(23, 11)) == ("gao", "zhao")
    assert request.pending_approvers(matrix, sh(23, 12)) == ("zhao",)
    before = reload(request)
    with pytest.raises(NotPermittedError) as caught:
        request.approve(actor="gao", at=sh(23, 13), matrix=matrix)
    explanation = str(caught.value.explanation)
    assert explanation.startswith("gao is not among its approvers (role finance in company)")
    assert "expired at 2026-11-23T12:00:00+08:00" in explanation  # the matrix says why
    assert request == before
    done = approve(request, "gao", sh(23, 11, 59), matrix=matrix)
    assert done.signatures[-1].actor == "gao"


def test_r_apv_9_a_delegate_is_held_to_dynamic_separation() -> None:
    """R-ROL-9: an author may not review by standing in for a reviewer."""
    from govkit.approvals import ApprovalChain, ApprovalRequest, ByRole, Delegation, Step
    from govkit.errors import NotPermittedError
    from govkit.roles import Assignment, DynamicSeparation, Grant, Role, RoleMatrix

    matrix = RoleMatrix(
        name="m",
        version=1,
        roles=[Role("author"), Role("reviewer"), Role("staff")],
        grants=[Grant("author", "approve", "x"), Grant("reviewer", "approve", "x")],
        assignments=[
            Assignment("p", "author", "company"),
            Assignment("q", "reviewer", "company"),
            Assignment("s", "staff", "company"),
        ],
        dynamic_rules=[DynamicSeparation("two people", ["author", "reviewer"])],
    )
    chain = ApprovalChain(
        name="r",
        resource="x",
        steps=[
            Step(name="write", approvers=ByRole("author")),
            Step(name="check", approvers=ByRole("reviewer")),
        ],
    )
    request, _ = ApprovalRequest.submit(
        chain, id="R", requester="s", scope="company", at=sh(23, 9), matrix=matrix
    )
    request, _ = request.approve(actor="p", at=sh(23, 10), matrix=matrix)
    leave = Delegation(delegator="q", delegate="p", valid_from=sh(23, 0), valid_until=sh(24, 0))
    with pytest.raises(NotPermittedError, match="two people"):
        request.approve(
            actor="p", on_behalf_of="q", delegations=[leave], at=sh(23, 11), matrix=matrix
        )


def test_a_delegate_does_not_vote_twice_in_one_step() -> None:
    """R-APV-9: a delegate who voted in a step may not vote again there for someone else."""
    from govkit.approvals import ApprovalChain, ApprovalRequest, ByRole, Delegation, Quorum, Step
    from govkit.errors import NotPermittedError
    from govkit.roles import Assignment, Grant, Role, RoleMatrix

    matrix = RoleMatrix(
        name="m",
        version=1,
        roles=[Role("member"), Role("staff")],
        grants=[Grant("member", "approve", "x")],
        assignments=[
            *(Assignment(u, "member", "company") for u in ("a", "b", "c")),
            Assignment("s", "staff", "company"),
        ],
    )
    chain = ApprovalChain(
        name="q",
        resource="x",
        steps=[Step(name="vote", approvers=ByRole("member"), rule=Quorum(2))],
    )
    request, _ = ApprovalRequest.submit(
        chain, id="Q", requester="s", scope="company", at=sh(23, 9), matrix=matrix
    )
    request, _ = request.approve(actor="a", at=sh(23, 10), matrix=matrix)
    proxy = Delegation(delegator="b", delegate="a", valid_from=sh(23, 0), valid_until=sh(24, 0))
    with pytest.raises(NotPermittedError, match="already decided"):
        request.approve(
            actor="a", on_behalf_of="b", delegations=[proxy], at=sh(23, 11), matrix=matrix
        )
    assert request.pending_approvers(matrix, sh(23, 11)) == ("b", "c")
