"""Approval definitions and requests through JSON and TOML with govkit.serialization."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from govkit.approvals import (
    AllOf,
    AnyOf,
    ApprovalChain,
    ApprovalPolicy,
    ApprovalRequest,
    ByManager,
    ByRole,
    ByUser,
    Delegation,
    OnBreach,
    Quorum,
    Step,
)
from govkit.audit import Event
from govkit.calendar import BusinessDays
from govkit.errors import DeserializationError
from govkit.serialization import from_json, from_toml, make_converter, to_json, unstructure

from ._world import (
    CHAINS,
    COMMITTEE_Q3,
    CONVERTER,
    DEPARTMENT,
    EMERGENCY,
    HEAD_8H,
    MATRIX,
    MON,
    POSTS,
    PURCHASE,
    QUALITY,
    THREE_LEVEL,
    TIMED,
    approve,
    later,
    sh,
    submit,
    submitted,
)
from ._world import round_trip as reload

Operation = Callable[[ApprovalRequest], tuple[ApprovalRequest, tuple[Event, ...]]]
LEAVE = Delegation(delegator="zhao", delegate="wu", valid_from=sh(23, 0), valid_until=sh(28, 0))


def snapshots() -> list[tuple[str, ApprovalRequest, Operation]]:
    """Requests at many points of their life, each with the operation that comes next."""
    out: list[tuple[str, ApprovalRequest, Operation]] = []
    request = submitted()
    out.append(
        ("submitted", request, lambda r: r.approve(actor="wang", at=sh(23, 11), matrix=MATRIX))
    )
    request = approve(request, "wang", sh(23, 11))
    out.append(
        (
            "endorsed",
            request,
            lambda r: r.approve(
                actor="wu", on_behalf_of="zhao", delegations=[LEAVE], at=sh(23, 12), matrix=MATRIX
            ),
        )
    )
    request = request.approve(
        actor="wu", on_behalf_of="zhao", delegations=[LEAVE], at=sh(23, 12), matrix=MATRIX
    )[0]
    out.append(
        (
            "delegated",
            request,
            lambda r: r.send_back(None, actor="chen", at=sh(23, 13), matrix=MATRIX),
        )
    )
    request = request.send_back(None, actor="chen", at=sh(23, 13), matrix=MATRIX)[0]
    out.append(
        (
            "returned",
            request,
            lambda r: r.resubmit(actor="li", at=sh(23, 14), matrix=MATRIX, amount=125_000),
        )
    )
    request = request.resubmit(actor="li", at=sh(23, 14), matrix=MATRIX, amount=125_000)[0]
    out.append(("resubmitted", request, lambda r: r.withdraw(actor="li", at=sh(23, 15))))
    approved = approve(
        approve(approve(request, "sun", sh(23, 15)), "zhao", sh(23, 16)), "chen", sh(23, 17)
    )
    out.append(("approved", approved, lambda r: r.tick(sh(30, 9), matrix=MATRIX)))
    routed = submitted(PURCHASE, amount=80_000, facts={"urgent": True, "quotes": [1.5, "two"]})
    out.append(
        (
            "routed",
            routed,
            lambda r: r.resubmit(
                actor="li", at=sh(23, 12), matrix=MATRIX, amount=30_000, policy=PURCHASE
            ),
        )
    )
    committee = submitted(COMMITTEE_Q3, requester="zhou", scope="company", amount=None)
    committee = committee.reject(actor="feng", at=sh(23, 11), matrix=MATRIX)[0]
    out.append(
        ("committee", committee, lambda r: r.reject(actor="han", at=sh(23, 12), matrix=MATRIX))
    )
    timed = submitted(TIMED["escalate"]).tick(sh(23, 16), matrix=MATRIX)[0]
    out.append(("reminded", timed, lambda r: r.tick(sh(24, 11), matrix=MATRIX)))
    escalated = timed.tick(sh(24, 11), matrix=MATRIX)[0]
    out.append(
        ("escalated", escalated, lambda r: r.approve(actor="zhou", at=sh(24, 12), matrix=MATRIX))
    )
    emergency, _ = ApprovalRequest.emergency(
        EMERGENCY,
        id="EM-1",
        actor="zhou",
        reason="data leak",
        acted_at=sh(27, 22),
        scope=QUALITY,
        at=sh(28, 9),
        matrix=MATRIX,
    )
    out.append(("emergency", emergency, lambda r: r.tick(sh(3, 9, month=12), matrix=MATRIX)))
    overdue = emergency.tick(sh(3, 9, month=12), matrix=MATRIX)[0]
    out.append(
        (
            "overdue",
            overdue,
            lambda r: r.approve(actor="chen", at=sh(3, 10, month=12), matrix=MATRIX),
        )
    )
    stuck = submitted(DEPARTMENT, amount=80_000).tick(later(MON, 1), matrix=MATRIX)[0]
    out.append(
        ("stuck", stuck, lambda r: r.withdraw(actor="li", at=later(MON, 2), reason="too dear"))
    )
    return out


SNAPSHOTS = snapshots()


@pytest.mark.parametrize(
    ("request_", "operation"),
    [(request, operation) for _, request, operation in SNAPSHOTS],
    ids=[name for name, _, _ in SNAPSHOTS],
)
def test_requests_round_trip_and_behave_alike(
    request_: ApprovalRequest, operation: Operation
) -> None:
    """R-APV-3: a request read back from JSON is equal, writes the same text, and acts the same."""
    text = to_json(request_, converter=CONVERTER)
    loaded = from_json(text, ApprovalRequest, converter=CONVERTER)
    assert loaded == request_
    assert to_json(loaded, converter=CONVERTER) == text
    mine, my_events = operation(request_)
    theirs, their_events = operation(loaded)
    assert theirs == mine
    assert their_events == my_events
    assert reload(theirs) == mine


def test_request_wire_form() -> None:
    """R-APV-3: a request refers to its chain by kind, name and version; amounts are strings."""
    request = approve(submitted(PURCHASE, amount=80_000), "wang", later(MON, 5))
    data = json.loads(to_json(request, converter=CONVERTER))
    assert data["chain"] == {"kind": "ApprovalChain", "name": "purchase-director", "version": 1}
    assert data["amount"] == "80000"
    assert data["created_at"] == "2026-11-23T10:00:00+08:00[Asia/Shanghai]"
    assert data["route"]["route"] == "director"
    assert data["route"]["reasons"] == list(request.route.reasons if request.route else ())
    assert data["signatures"][0]["actor"] == "wang"
    assert data["signatures"][0]["subject_sha256"] == request.subject_sha256
    assert data["rounds"][0]["reason"] == "submitted"
    assert data["version"] == 2
    assert "steps" not in data  # the chain is not copied into every request


def test_notified_fractions_are_written_as_decimal_strings() -> None:
    """R-APV-2: the reminders already sent are kept exactly."""
    request = submitted(TIMED["remind"]).tick(sh(23, 18), matrix=MATRIX)[0]
    data = json.loads(to_json(request, converter=CONVERTER))
    assert data["notified"] == ["0.5", "0.75"]


def test_a_request_needs_its_chain_version_in_the_converter() -> None:
    """R-APV-3: a request whose chain the converter lacks names the missing definition."""
    text = to_json(submitted(), converter=CONVERTER)
    with pytest.raises(DeserializationError) as caught:
        from_json(text, ApprovalRequest, converter=make_converter(definitions=[PURCHASE]))
    (error,) = caught.value.errors
    assert error.path == "$.chain"
    assert "purchase-three-level" in error.message
    assert "version 1" in error.message
    # Policies are definitions too, but requests refer to chains: pass policy.chains().
    assert (
        from_json(text, ApprovalRequest, converter=make_converter(definitions=PURCHASE.chains()))
        == submitted()
    )


def test_bad_request_json_lists_every_bad_field() -> None:
    """R-APV-3: a tampered request lists each bad field with its path."""
    data = json.loads(to_json(submitted(), converter=CONVERTER))
    data["colour"] = "red"
    data["version"] = "1"
    data["created_at"] = "2026-11-23T10:00:00"
    del data["requester"]
    with pytest.raises(DeserializationError) as caught:
        from_json(json.dumps(data), ApprovalRequest, converter=CONVERTER)
    paths = sorted(e.path for e in caught.value.errors)
    assert paths == ["$.colour", "$.created_at", "$.requester", "$.version"]


def test_events_round_trip() -> None:
    """R-APV-3: approval events are plain audit events: they read back equal."""
    _, events = submit(PURCHASE, amount=30_000)
    for event in events:
        assert from_json(to_json(event), Event) == event


# -- definitions ------------------------------------------------------------------------------


@pytest.mark.parametrize("chain", CHAINS, ids=[f"{c.name}-v{c.version}" for c in CHAINS])
def test_chains_round_trip_through_json(chain: ApprovalChain) -> None:
    """R-APV-1: every chain of the world reads back equal from JSON."""
    assert from_json(to_json(chain), ApprovalChain) == chain


@pytest.mark.parametrize("policy", [PURCHASE, POSTS], ids=["purchase", "posts"])
def test_policies_round_trip_through_json(policy: ApprovalPolicy) -> None:
    """R-APV-5, R-APV-8: policies read back equal and route alike."""
    again = from_json(to_json(policy), ApprovalPolicy)
    assert again == policy
    for facts in ({"amount": 30_000}, {"amount": 80_000}, {"amount": None, "major": True}):
        assert again.choose(facts) == policy.choose(facts)


def test_union_members_are_tagged_by_kind() -> None:
    """R-APV-8: vote rules and approvers carry a 'kind' tag on the wire."""
    data = unstructure(TIMED["escalate"])
    head = data["steps"][0]
    assert head["approvers"] == {"role": "department-head", "kind": "manager"}
    assert head["rule"] == {"veto": True, "kind": "any"}
    assert head["on_breach"] == {"action": "escalate", "to_role": "director"}
    assert head["sla"]["calendar"] == "china"
    assert data["steps"][1]["approvers"] == {"role": "finance", "scope": "company", "kind": "role"}
    assert unstructure(Quorum(percent=60)) == {
        "n": None,
        "percent": 60,
        "veto": False,
        "kind": "quorum",
    }
    assert unstructure(ByUser("cust-9")) == {"user": "cust-9", "kind": "user"}


APPOINTMENT_TOML = """
name = "appointment"
version = 2
resource = "appointment"
ratify_within = "3 business days"
calendar = "china"

[[steps]]
name = "committee"
approvers = { kind = "role", role = "committee", scope = "company" }
rule = { kind = "quorum", n = 2 }
meaning = "committee resolution"

[[steps]]
name = "board"
approvers = { kind = "role", role = "ceo", scope = "company" }
rule = { kind = "quorum", percent = 50, veto = true }
when = { amount = { ">=" = 100000 } }
on_breach = { action = "escalate", to_role = "director" }
may_send_back = true

[steps.sla]
name = "head-reply"
default = "standard"
calendar = "china"
goals = [{ name = "standard", target = "8 business hours" }]

[[steps]]
name = "customer"
approvers = { kind = "user", user = "cust-9" }
rule = { kind = "all" }

[[steps]]
name = "manager"
approvers = { kind = "manager", role = "department-head" }
rule = { kind = "any", veto = false }
distinct = true
"""


def test_chain_loads_from_toml_with_tagged_rules_and_approvers() -> None:
    """R-APV-8: a chain written in TOML loads with every kind of rule and approver."""
    chain = from_toml(APPOINTMENT_TOML, ApprovalChain)
    assert chain == ApprovalChain(
        name="appointment",
        version=2,
        resource="appointment",
        ratify_within=BusinessDays(3),
        calendar=THREE_LEVEL.calendar,
        steps=[
            Step(
                name="committee",
                approvers=ByRole("committee", scope="company"),
                rule=Quorum(2),
                meaning="committee resolution",
            ),
            Step(
                name="board",
                approvers=ByRole("ceo", scope="company"),
                rule=Quorum(percent=50, veto=True),
                when={"amount": {">=": 100_000}},
                sla=HEAD_8H,
                on_breach=OnBreach("escalate", to_role="director"),
                may_send_back=True,
            ),
            Step(name="customer", approvers=ByUser("cust-9"), rule=AllOf()),
            Step(
                name="manager",
                approvers=ByManager("department-head"),
                rule=AnyOf(veto=False),
                distinct=True,
            ),
        ],
    )


def test_policy_loads_from_toml() -> None:
    """R-APV-8: the posts policy written in TOML equals the one built in Python."""
    text = """
    name = "posts"
    default = "director"

    [[routes]]
    name = "major"
    when = { major = true }
    [routes.chain]
    name = "appointment"
    resource = "appointment"
    [[routes.chain.steps]]
    name = "committee"
    approvers = { kind = "role", role = "committee", scope = "company" }
    rule = { kind = "quorum", n = 3 }

    [[routes]]
    name = "director"
    [routes.chain]
    name = "post"
    resource = "post"
    [[routes.chain.steps]]
    name = "director"
    approvers = { kind = "role", role = "director", scope = "company" }
    """
    assert from_toml(text, ApprovalPolicy) == POSTS


def test_a_chain_loaded_from_toml_runs_requests() -> None:
    """R-APV-8: requests under a TOML chain serialize with a converter built from it."""
    chain = from_toml(APPOINTMENT_TOML, ApprovalChain)
    request = submitted(chain, requester="zhou", scope="company", amount=None)
    request = approve(approve(request, "feng", later(MON, 1)), "han", later(MON, 2))
    assert request.current_step is not None
    assert request.current_step.name == "customer"  # the board step does not apply
    converter = make_converter(definitions=[chain])
    text = to_json(request, converter=converter)
    assert from_json(text, ApprovalRequest, converter=converter) == request


def bad_fields(text: str, cls: type[Any] = ApprovalChain) -> dict[str, str]:
    """Path -> message of every bad field loading ``text`` reports."""
    with pytest.raises(DeserializationError) as caught:
        from_toml(text, cls)
    assert caught.value.target == cls.__name__
    return {e.path: e.message for e in caught.value.errors}


def test_bad_chain_toml_lists_every_bad_field_with_its_path() -> None:
    """R-APV-2: one DeserializationError names every bad field of a chain, however deep."""
    errors = bad_fields(
        """
        name = "appointment"
        resource = "appointment"
        version = 0
        colour = "red"

        [[steps]]
        name = "committee"
        approvers = { kind = "group", role = "committee" }
        rule = { kind = "quorum", n = 2, colour = "blue" }

        [[steps]]
        name = "ceo"
        approvers = { kind = "role", role = "ceo", scope = "company" }
        [steps.sla]
        name = "ceo-reply"
        default = "standard"
        calendar = "china"
        goals = [{ name = "standard", target = "8 business hours" }]

        [[steps]]
        name = "finance"
        approvers = { kind = "role", role = "finance" }
        rule = { kind = "majority" }

        [[steps]]
        name = "cfo"
        approvers = { kind = "role", role = "cfo" }
        on_breach = { action = "explode" }
        """
    )
    assert sorted(errors) == [
        "$.colour",
        "$.steps[0].approvers",
        "$.steps[0].rule.colour",
        "$.steps[1].on_breach",
        "$.steps[2].rule",
        "$.steps[3].on_breach.action",
        "$.version",
    ]
    assert errors["$.colour"] == "unknown field"
    assert errors["$.steps[0].rule.colour"] == "unknown field"
    assert "'group'" in errors["$.steps[0].approvers"]
    assert "'manager'" in errors["$.steps[0].approvers"]  # the message lists the known kinds
    assert "'majority'" in errors["$.steps[2].rule"]
    assert errors["$.steps[1].on_breach"] == (
        "expected an OnBreach exactly when the step has an sla, got None"
    )
    assert "'explode'" in errors["$.steps[3].on_breach.action"]


@pytest.mark.parametrize(
    ("text", "path", "mentions"),
    [
        ('name = "x"\nresource = "r"\nsteps = []', "$.steps", "non-empty"),
        (
            'name = "x"\nsteps = [{ name = "a", approvers = { kind = "user", user = "u" } }]',
            "$.resource",
            "required field missing",
        ),
        (
            'name = "x"\nresource = "r"\nsteps = [{ name = "a" }]',
            "$.steps[0].approvers",
            "required field missing",
        ),
        (
            'name = "x"\nresource = "r"\n'
            'steps = [{ name = "a", approvers = { kind = "user", user = "u" } },'
            ' { name = "a", approvers = { kind = "user", user = "v" } }]',
            "$.steps[1].name",
            "unique",
        ),
        (
            'name = "x"\nresource = "r"\n'
            'steps = [{ name = "a", approvers = { kind = "role", role = "r" },'
            ' rule = { kind = "quorum", n = 2, percent = 50 } }]',
            "$.steps[0].rule.n",
            "not both",
        ),
        (
            'name = "x"\nresource = "r"\nratify_within = "3 business days"\n'
            'steps = [{ name = "a", approvers = { kind = "user", user = "u" } }]',
            "$.calendar",
            "calendar",
        ),
        ('name = "x"\nresource = "r"\nsteps = [', "$", "not TOML"),
    ],
    ids=[
        "no-steps",
        "no-resource",
        "no-approvers",
        "repeated-step",
        "n-and-percent",
        "no-calendar",
        "syntax",
    ],
)
def test_single_bad_fields(text: str, path: str, mentions: str) -> None:
    """R-APV-1: each kind of bad chain field is reported at its path."""
    errors = bad_fields(text)
    assert path in errors, errors
    assert mentions in errors[path]


def test_bad_policy_toml_names_the_route_path() -> None:
    """R-APV-5: a bad field deep in a policy names the route, chain and step on its path."""
    errors = bad_fields(
        """
        name = "posts"
        default = "major"
        [[routes]]
        name = "major"
        [routes.chain]
        name = "appointment"
        resource = "appointment"
        [[routes.chain.steps]]
        name = "committee"
        approvers = { kind = "role", role = "committee" }
        rule = { kind = "quorum", n = "3" }
        """,
        ApprovalPolicy,
    )
    assert list(errors) == ["$.routes[0].chain.steps[0].rule.n"]
    unknown_default = bad_fields(
        """
        name = "posts"
        default = "boss"
        [[routes]]
        name = "major"
        [routes.chain]
        name = "appointment"
        resource = "appointment"
        steps = [{ name = "c", approvers = { kind = "user", user = "u" } }]
        """,
        ApprovalPolicy,
    )
    assert list(unknown_default) == ["$.default"]
    assert (
        unknown_default["$.default"] == "expected the name of one of the routes (major), got 'boss'"
    )
