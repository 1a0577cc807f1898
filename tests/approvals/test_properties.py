"""Property-based tests (Hypothesis): random operations never approve without enough approvals."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from decimal import Decimal
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from govkit.approvals import (
    AllOf,
    AnyOf,
    ApprovalChain,
    ApprovalPolicy,
    ApprovalRequest,
    ByRole,
    Delegation,
    Quorum,
    Step,
)
from govkit.audit import Event
from govkit.errors import GovkitError
from govkit.roles import RoleMatrix
from govkit.serialization import from_json, make_converter, to_json

from ._world import (
    CHAINS,
    COMMITTEE_ALL,
    MATRIX,
    MON,
    PURCHASE,
    QUALITY,
    SATISFACTION,
    THREE_LEVEL,
    submitted,
)

FAST = settings(max_examples=60, deadline=None)

MIXED = ApprovalChain(
    name="purchase-mixed",
    resource="purchase",
    steps=[
        Step(
            name="heads",
            approvers=ByRole("department-head"),
            rule=Quorum(2),
            action="endorse",
            may_send_back=True,
        ),
        Step(
            name="second",
            approvers=ByRole("department-head"),
            action="endorse",
            distinct=True,
            may_send_back=True,
        ),
        Step(
            name="finance",
            approvers=ByRole("finance", scope="company"),
            rule=AnyOf(veto=False),
        ),
        Step(
            name="ceo",
            approvers=ByRole("ceo", scope="company"),
            when={"amount": {">=": 100_000}},
            may_send_back=True,
        ),
    ],
)
"""Quorum, a distinct second signature, a non-vetoing step and a conditional step."""

CONVERTER = make_converter(definitions=[*CHAINS, MIXED])

# (definition, requester, scope): who asks under which chain or policy.
SETUPS: list[tuple[ApprovalChain | ApprovalPolicy, str, str]] = [
    (THREE_LEVEL, "li", QUALITY),
    (MIXED, "li", QUALITY),
    (MIXED, "wang", QUALITY),
    (COMMITTEE_ALL, "feng", "company"),
    (COMMITTEE_ALL, "zhou", "company"),
    (SATISFACTION, "li", QUALITY),
    (PURCHASE, "li", QUALITY),
]
ACTORS = [
    "li",
    "wang",
    "sun",
    "zhou",
    "zhao",
    "chen",
    "feng",
    "han",
    "yang",
    "zhu",
    "cust-9",
    "wu",
    "nobody",
]
AMOUNTS: list[int | None] = [None, 30_000, 80_000, 120_000, 250_000]
DELEGATIONS = [
    Delegation(
        delegator="zhao", delegate="wu", valid_from=MON, valid_until=MON + timedelta(days=365)
    ),
    Delegation(
        delegator="han", delegate="li", valid_from=MON, valid_until=MON + timedelta(days=365)
    ),
]
KINDS = [
    "approve",
    "approve",
    "approve",
    "approve",
    "approve",
    "reject",
    "send_back",
    "resubmit",
    "withdraw",
    "tick",
    "delegate",
]

Operation = tuple[str, str, int, int]
OPERATIONS = st.tuples(
    st.sampled_from(KINDS),
    st.sampled_from(ACTORS),
    st.integers(min_value=0, max_value=7),
    st.integers(min_value=1, max_value=300),
)
SCENARIOS = st.tuples(
    st.integers(min_value=0, max_value=len(SETUPS) - 1),
    st.sampled_from([30_000, 80_000, 120_000]),
    st.lists(OPERATIONS, max_size=30),
)


def holds(when: Mapping[str, Any], facts: Mapping[str, Any]) -> bool:
    """Whether ``facts`` satisfy a step's ``when`` (the comparisons the test chains use)."""
    compare = {
        "<": lambda a, b: a < b,
        "<=": lambda a, b: a <= b,
        ">": lambda a, b: a > b,
        ">=": lambda a, b: a >= b,
        "==": lambda a, b: a == b,
    }
    for fact, condition in when.items():
        value = facts.get(fact)
        if isinstance(condition, Mapping):
            for op, operand in condition.items():
                if value is None or not compare[op](value, operand):
                    return False
        elif isinstance(condition, list):
            if value not in condition:
                return False
        elif value != condition:
            return False
    return True


def needed(step: Step, request: ApprovalRequest, matrix: RoleMatrix) -> int:
    """The approvals the step's rule needs, counting the people who may sign it at all."""
    if isinstance(step.rule, AnyOf):
        return 1
    if isinstance(step.rule, Quorum) and step.rule.n is not None:
        return step.rule.n
    assert isinstance(step.rule, AllOf)  # the test chains use no percent quorum
    assert isinstance(step.approvers, ByRole)
    scope = step.approvers.where(request.scope)
    people = {
        a.user
        for a in matrix.assignments
        if step.approvers.role in matrix.roles_of(a.user, scope, request.updated_at)
    }
    return len(people - {request.requester})


def check_approved(request: ApprovalRequest) -> None:
    """Every applicable step has enough valid approvals, by distinct people, none the requester."""
    facts = request.facts_for_conditions()
    valid = request.valid_approvals()
    signed_elsewhere: dict[str, set[str]] = {}
    for step in request.chain.steps:
        people = set()
        for s in valid[step.name]:
            people |= {s.actor, s.on_behalf_of or s.actor}
        signed_elsewhere[step.name] = people
    for step in request.chain.steps:
        approvals = valid[step.name]
        if not holds(step.when, facts):
            assert approvals == ()
            continue
        principals = [s.on_behalf_of or s.actor for s in approvals]
        assert len(principals) == len(set(principals)), principals
        assert len(principals) >= needed(step, request, MATRIX), (step.name, principals)
        for s in approvals:
            assert request.requester not in {s.actor, s.on_behalf_of}
            assert s.subject_sha256 == request.subject_sha256
            assert s.decision == "approve"
            assert s.step == step.name
        if step.distinct:
            others = set().union(*(v for k, v in signed_elsewhere.items() if k != step.name))
            for s in approvals:
                assert not {s.actor, s.on_behalf_of or s.actor} & others


def apply(
    request: ApprovalRequest, operation: Operation, at: Any
) -> tuple[ApprovalRequest, tuple[Event, ...]]:
    """Carry out one random operation (it may raise a GovkitError)."""
    kind, actor, pick, _ = operation
    if kind == "approve":
        pending = request.pending_approvers(MATRIX, at)
        if pick % 2 == 0 and pending:
            actor = pending[pick % len(pending)]
        return request.approve(actor=actor, at=at, matrix=MATRIX)
    if kind == "reject":
        return request.reject(actor=actor, at=at, matrix=MATRIX)
    if kind == "delegate":
        delegation = DELEGATIONS[pick % len(DELEGATIONS)]
        return request.approve(
            actor=delegation.delegate,
            on_behalf_of=delegation.delegator,
            delegations=DELEGATIONS,
            at=at,
            matrix=MATRIX,
        )
    if kind == "send_back":
        steps = request.chain.steps
        target = None if pick == 0 else steps[pick % len(steps)].name
        pending = request.pending_approvers(MATRIX, at)
        if pending:
            actor = pending[pick % len(pending)]
        return request.send_back(target, actor=actor, at=at, matrix=MATRIX)
    if kind == "resubmit":
        amount = AMOUNTS[pick % len(AMOUNTS)]
        policy = PURCHASE if request.route is not None else None
        return request.resubmit(
            actor=request.requester, at=at, matrix=MATRIX, amount=amount, policy=policy
        )
    if kind == "withdraw":
        return request.withdraw(actor=actor if pick == 1 else request.requester, at=at)
    assert kind == "tick"
    return request.tick(at, matrix=MATRIX)


def attempt(
    request: ApprovalRequest, operation: Operation, at: Any
) -> tuple[ApprovalRequest, tuple[Event, ...]] | type[GovkitError]:
    """The outcome of ``operation``: the new snapshot and events, or the error type raised."""
    try:
        return apply(request, operation, at)
    except GovkitError as error:
        return type(error)


def reload(request: ApprovalRequest) -> ApprovalRequest:
    """``request`` through JSON and back."""
    return from_json(to_json(request, converter=CONVERTER), ApprovalRequest, converter=CONVERTER)


def run(setup: int, amount: int, operations: list[Operation]) -> ApprovalRequest:
    """Play ``operations`` on a fresh request, checking every invariant after each one."""
    definition, requester, scope = SETUPS[setup]
    request = submitted(definition, requester=requester, scope=scope, amount=amount)
    at = MON
    for operation in operations:
        at = at + timedelta(minutes=operation[3])
        text = to_json(request, converter=CONVERTER)
        loaded = reload(request)
        assert loaded == request
        outcome = attempt(request, operation, at)
        # Behaviour survives a JSON round trip: the loaded copy does exactly the same.
        assert attempt(loaded, operation, at) == outcome
        if isinstance(outcome, type):
            # Bad input changes nothing.
            assert to_json(request, converter=CONVERTER) == text
            continue
        after, events = outcome
        if events:
            assert after.version == request.version + 1
            assert after.updated_at == at
            assert after.signatures[: len(request.signatures)] == request.signatures
            assert [r.number for r in after.rounds] == list(range(1, after.round + 1))
            for event in events:
                assert event.subject == request.id
                assert event.data["chain"] == after.chain.name
        else:
            assert after is request
        for s in after.signatures[len(request.signatures) :]:
            assert s.actor != after.requester
            assert s.on_behalf_of != after.requester
        for step, approvals in after.valid_approvals().items():
            principals = [s.on_behalf_of or s.actor for s in approvals]
            assert len(principals) == len(set(principals)), (step, principals)
            assert all(s.subject_sha256 == after.subject_sha256 for s in approvals)
        if after.state == "approved":
            check_approved(after)
        request = after
    return request


@FAST
@given(SCENARIOS)
@example((0, 120_000, [("approve", "li", 0, 5), ("approve", "li", 0, 5), ("approve", "li", 0, 5)]))
@example(
    (
        1,
        120_000,
        [
            ("approve", "wang", 1, 5),
            ("approve", "wang", 1, 5),
            ("approve", "wang", 1, 5),
            ("approve", "zhou", 1, 5),
            ("delegate", "wu", 0, 5),
            ("send_back", "chen", 1, 5),
            ("approve", "sun", 1, 5),
            ("approve", "sun", 0, 5),
            ("approve", "chen", 1, 5),
        ],
    )
)
@example(
    (
        5,
        30_000,
        [
            ("approve", "wang", 1, 60),
            ("send_back", "cust-9", 3, 60),
            ("approve", "sun", 1, 60),
            ("approve", "cust-9", 1, 60),
        ],
    )
)
def test_random_operations_never_approve_without_enough_approvals(
    scenario: tuple[int, int, list[Operation]],
) -> None:
    """R-APV-1, R-APV-8, R-APV-9: approved only with enough distinct non-requester approvals."""
    run(*scenario)


def test_the_examples_reach_approval() -> None:
    """R-APV-1: the hand-written examples do end approved (the property is not vacuous)."""
    assert run(0, 120_000, [("approve", "li", 0, 5)] * 3).state == "approved"
    mixed = run(
        1,
        120_000,
        [
            ("approve", "wang", 1, 5),
            ("approve", "sun", 1, 5),
            ("approve", "zhou", 1, 5),
            ("delegate", "wu", 0, 5),
            ("approve", "chen", 1, 5),
        ],
    )
    assert mixed.state == "approved"
    assert [s.actor for s in mixed.valid_approvals()["heads"]] == ["wang", "sun"]
    assert mixed.valid_approvals()["finance"][0].on_behalf_of == "zhao"
    assert run(5, 30_000, [("approve", "li", 0, 60), ("approve", "li", 0, 60)]).state == "approved"


def reachable(request: ApprovalRequest, eligible: tuple[str, ...]) -> bool:
    """Whether the current step's rule can still be met by its votes so far plus ``eligible``."""
    step = request.current_step
    assert step is not None
    votes = [
        s
        for s in request.signatures
        if s.step == step.name and s.round == request.round and s.decision != "send_back"
    ]
    approved = {s.on_behalf_of or s.actor for s in votes if s.decision == "approve"}
    voted = {s.on_behalf_of or s.actor for s in votes}
    return len(approved) + len(eligible) >= step.rule.needed(len(set(eligible) | voted))


@FAST
@given(SCENARIOS)
def test_explain_says_stuck_exactly_when_the_rule_is_out_of_reach(
    scenario: tuple[int, int, list[Operation]],
) -> None:
    """R-APV-1: an open request is STUCK exactly when too few eligible approvers are left."""
    request = run(*scenario)
    at = request.updated_at + timedelta(minutes=1)
    text = request.explain(MATRIX, at)
    pending = request.pending_approvers(MATRIX, at)
    assert text.startswith(f"request {request.id} by {request.requester}")
    assert request.amount is None or isinstance(request.amount, Decimal)
    if request.state in {"pending", "awaiting_ratification"}:
        assert ("STUCK" in text) == (not reachable(request, pending))
        if not pending:
            assert "STUCK" in text
        else:
            assert f"      may act now: {', '.join(pending)}" in text.splitlines()
        _, events = request.tick(at, matrix=MATRIX)
        assert ("approval.stuck" in [e.action for e in events]) == (
            "STUCK" in text and not request.stuck_reported
        )
    else:
        assert pending == ()
        assert "STUCK" not in text
