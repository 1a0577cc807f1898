"""Chains, steps, vote rules and policies: validation, routing, descriptions and diagrams."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import attrs
import pytest

from govkit.approvals import (
    BREACH_ACTIONS,
    AllOf,
    AnyOf,
    ApprovalChain,
    ApprovalPolicy,
    ByManager,
    ByRole,
    ByUser,
    OnBreach,
    Quorum,
    Route,
    Step,
)
from govkit.calendar import BusinessDays, BusinessHours, Period
from govkit.errors import InvalidDefinitionError, UnknownNameError

from ._world import (
    CEO,
    CHINA,
    COMMITTEE_Q3,
    COMPLAINT,
    COMPLAINTS,
    DEPARTMENT,
    DIRECTOR,
    FINANCE,
    HEAD_8H,
    POSTS,
    PURCHASE,
    SATISFACTION,
    SMALL_COMPLAINT,
    THREE_LEVEL,
    TIMED,
    untyped,
)

# -- vote rules ----------------------------------------------------------------------------


def test_any_of_needs_one_approval_and_vetoes_by_default() -> None:
    """R-APV-1: a plain step needs one approval; a rejection ends the request."""
    rule = AnyOf()
    assert [rule.needed(n) for n in (0, 1, 5)] == [1, 1, 1]
    assert rule.veto is True
    assert rule.describe() == "any one approver"
    assert AnyOf(veto=False).describe() == "any one approver (rejections do not veto)"


def test_all_of_needs_every_eligible_approver() -> None:
    """R-APV-8: AllOf needs every eligible approver, and at least one."""
    rule = AllOf()
    assert [rule.needed(n) for n in (0, 1, 4)] == [1, 1, 4]
    assert rule.veto is True
    assert rule.describe() == "every eligible approver"


@pytest.mark.parametrize(
    ("rule", "candidates", "needed"),
    [
        (Quorum(3), 4, 3),
        (Quorum(3), 10, 3),
        (Quorum(percent=50), 4, 2),
        (Quorum(percent=50), 5, 3),
        (Quorum(percent=60), 4, 3),
        (Quorum(percent=100), 7, 7),
        (Quorum(percent=1), 0, 1),
    ],
)
def test_quorum_counts_n_or_a_share_rounded_up(rule: Quorum, candidates: int, needed: int) -> None:
    """R-APV-8: Quorum(n) needs n approvals; Quorum(percent=p) p% of the approvers, rounded up."""
    assert rule.needed(candidates) == needed


def test_quorum_does_not_veto_by_default() -> None:
    """R-APV-8: a committee rejects only when its quorum becomes unreachable (no veto)."""
    assert Quorum(3).veto is False
    assert Quorum(3).describe() == "3 approvals"
    assert Quorum(percent=50, veto=True).describe() == "50% of approvers (one rejection vetoes)"


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda: Quorum(), "n"),
        (lambda: Quorum(2, percent=50), "n"),
        (lambda: Quorum(0), "n"),
        (lambda: Quorum(True), "n"),
        (lambda: Quorum(percent=0), "percent"),
        (lambda: Quorum(percent=101), "percent"),
        (lambda: AnyOf(veto=untyped(1)), "veto"),  # TOML's 1 is not true
        (lambda: AnyOf(kind=untyped("all")), "kind"),
    ],
)
def test_bad_vote_rules_are_refused(make: Any, field: str) -> None:
    """R-APV-8: a vote rule with a bad count, share, flag or tag is refused, naming the field."""
    with pytest.raises(InvalidDefinitionError) as caught:
        make()
    assert caught.value.field == field


# -- approvers ---------------------------------------------------------------------------


def test_approvers_describe_themselves() -> None:
    """R-APV-4: each way of naming approvers says who, in words."""
    assert ByRole("finance", scope="company").describe() == "role finance in company"
    assert ByRole("department-head").describe() == "role department-head"
    assert ByUser("cust-9").describe() == "user cust-9"
    assert ByManager("department-head").describe() == (
        "the requester's department-head (nearest scope above)"
    )


def test_approvers_say_which_role_the_approver_acts_in() -> None:
    """R-ROL-9: role-based approvers act in their role; a named user in none."""
    assert ByRole("finance").acting_role() == "finance"
    assert ByManager("department-head").acting_role() == "department-head"
    assert ByUser("cust-9").acting_role() is None


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda: ByRole(""), "role"),
        (lambda: ByRole(" finance"), "role"),
        (lambda: ByRole("finance", scope="company//x"), "scope"),
        (lambda: ByUser(""), "user"),
        (lambda: ByManager("head", kind=untyped("role")), "kind"),
    ],
)
def test_bad_approvers_are_refused(make: Any, field: str) -> None:
    """R-APV-4: approvers with an empty or padded name, a bad scope or a wrong tag are refused."""
    with pytest.raises(InvalidDefinitionError) as caught:
        make()
    assert caught.value.field == field


# -- steps and chains ------------------------------------------------------------------


def test_step_defaults() -> None:
    """R-APV-1: a step defaults to one vetoing approval of 'approve', no limit, no send-back."""
    step = Step(name="finance", approvers=ByRole("finance"))
    assert step.rule == AnyOf()
    assert (step.action, step.meaning, step.when) == ("approve", "", {})
    assert (step.sla, step.on_breach, step.may_send_back, step.distinct) == (
        None,
        None,
        False,
        False,
    )


def test_step_describes_who_how_and_when() -> None:
    """R-APV-5: a step's description names its approvers, rule and condition."""
    assert (
        CEO.describe() == "ceo: role ceo in company, any one approver, only when amount >= 100000"
    )
    assert FINANCE.describe() == "finance: role finance in company, any one approver"


def test_breach_actions_are_the_four_documented() -> None:
    """R-APV-2: a step's time limit can remind, escalate, auto-reject or auto-approve."""
    assert BREACH_ACTIONS == ("remind", "escalate", "auto_reject", "auto_approve")
    for action in ("remind", "auto_reject", "auto_approve"):
        assert OnBreach(action).to_role is None
    assert OnBreach("escalate", to_role="director").to_role == "director"


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda: OnBreach("explode"), "action"),
        (lambda: OnBreach("escalate"), "to_role"),
        (lambda: OnBreach("remind", to_role="director"), "to_role"),
        (lambda: Step(name="", approvers=ByRole("a")), "name"),
        (lambda: Step(name="a", approvers=untyped("finance")), "approvers"),
        (lambda: Step(name="a", approvers=ByRole("a"), rule=untyped("any")), "rule"),
        (lambda: Step(name="a", approvers=ByRole("a"), when={"amount": {"~": 1}}), "when.amount"),
        (lambda: Step(name="a", approvers=ByRole("a"), sla=HEAD_8H), "on_breach"),
        (lambda: Step(name="a", approvers=ByRole("a"), on_breach=OnBreach("remind")), "on_breach"),
        (
            lambda: Step(
                name="a", approvers=ByRole("a"), sla=untyped("8h"), on_breach=OnBreach("remind")
            ),
            "sla",
        ),
        (lambda: Step(name="a", approvers=ByRole("a"), distinct=untyped("yes")), "distinct"),
        (lambda: Step(name="a", approvers=ByRole("a"), may_send_back=untyped(1)), "may_send_back"),
    ],
)
def test_bad_steps_are_refused(make: Any, field: str) -> None:
    """R-APV-2: a step with a bad field (e.g. an SLA without on_breach) is refused, naming it."""
    with pytest.raises(InvalidDefinitionError) as caught:
        make()
    assert caught.value.field == field


def step(name: str) -> Step:
    """A plain finance step called ``name``."""
    return Step(name=name, approvers=ByRole("finance"))


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"steps": []}, "steps"),
        ({"steps": "head"}, "steps"),
        ({"steps": [step("a"), "b"]}, "steps[1]"),
        ({"steps": [step("a"), step("b"), step("a")]}, "steps[2].name"),
        ({"version": 0}, "version"),
        ({"version": True}, "version"),
        ({"name": " purchase"}, "name"),
        ({"resource": ""}, "resource"),
        ({"ratify_within": BusinessDays(3)}, "calendar"),
        ({"ratify_within": BusinessHours(8)}, "calendar"),
        ({"ratify_within": "3 days"}, "ratify_within"),
    ],
)
def test_bad_chains_are_refused(fields: dict[str, Any], field: str) -> None:
    """R-APV-1: a chain without steps, with repeated names or a bad version is refused."""
    values: dict[str, Any] = {"name": "purchase", "resource": "purchase", "steps": [step("a")]}
    values.update(fields)
    with pytest.raises(InvalidDefinitionError) as caught:
        ApprovalChain(**values)
    assert caught.value.field == field


def test_ratify_within_in_wall_time_or_periods_needs_no_calendar() -> None:
    """R-APV-6: elapsed time and calendar periods can be counted without a business calendar."""
    for within in (timedelta(hours=72), Period(days=5)):
        chain = ApprovalChain(
            name="x", resource="purchase", steps=[step("a")], ratify_within=within
        )
        assert chain.calendar is None
    assert THREE_LEVEL.ratify_within == BusinessDays(3)
    assert THREE_LEVEL.calendar == CHINA


def test_chain_index_finds_steps_by_name() -> None:
    """R-APV-1: steps keep their order; an unknown name is a typed lookup error."""
    assert [THREE_LEVEL.index(name) for name in ("head", "finance", "ceo")] == [0, 1, 2]
    with pytest.raises(UnknownNameError) as caught:
        THREE_LEVEL.index("cfo")
    assert (caught.value.kind, caught.value.name) == ("step", "cfo")
    assert isinstance(caught.value, LookupError)


def test_steps_accept_a_list_and_keep_a_tuple() -> None:
    """R-APV-1: definitions are frozen: steps become a tuple, fields cannot be reassigned."""
    assert isinstance(THREE_LEVEL.steps, tuple)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        THREE_LEVEL.version = 2  # type: ignore[misc]  # the point of the test
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        CEO.name = "cfo"  # type: ignore[misc]  # the point of the test


# -- policies: routing (R-APV-5, R-APV-7, R-APV-8) ---------------------------------------------


def test_r_apv_5_first_matching_route_wins() -> None:
    """R-APV-5: 30,000 matches both 'department' (< 50,000) and 'director'; the first wins."""
    choice = PURCHASE.choose({"amount": Decimal(30_000)})
    assert (choice.route, choice.chain, choice.chain_version, choice.matched) == (
        "department",
        "purchase-department",
        1,
        True,
    )
    assert choice.reasons == ("route 'department' matched: amount < 50000",)
    assert (choice.policy, choice.policy_version) == ("purchase-authority", 1)


def test_r_apv_5_a_later_route_explains_why_earlier_ones_failed() -> None:
    """R-APV-5: 80,000 fails the department limit and goes to the director, saying why."""
    choice = PURCHASE.choose({"amount": Decimal(80_000)})
    assert choice.route == "director"
    assert choice.reasons == (
        "route 'department' did not match: amount is Decimal('80000'), not < 50000",
        "route 'director' matched: amount < 200000",
    )


def test_r_apv_5_the_default_route_is_explained() -> None:
    """R-APV-5: above every tier the default applies, and explain() says so."""
    choice = PURCHASE.choose({"amount": Decimal(250_000)})
    assert (choice.route, choice.chain, choice.matched) == (
        "three-level",
        "purchase-three-level",
        False,
    )
    assert choice.explain() == (
        "policy purchase-authority v1 chose route 'three-level' (chain purchase-three-level v1): "
        "route 'department' did not match: amount is Decimal('250000'), not < 50000; "
        "route 'director' did not match: amount is Decimal('250000'), not < 200000; "
        "no route matched, so the default 'three-level' applies"
    )


def test_r_apv_5_tier_boundaries() -> None:
    """R-APV-5: 49,999.99 stays with the head; exactly 50,000 goes to the director."""
    assert PURCHASE.choose({"amount": Decimal("49999.99")}).route == "department"
    assert PURCHASE.choose({"amount": Decimal(50_000)}).route == "director"
    assert PURCHASE.choose({"amount": Decimal(199_999)}).route == "director"
    assert PURCHASE.choose({"amount": Decimal(200_000)}).route == "three-level"


def test_a_missing_fact_falls_to_the_default_with_its_reason() -> None:
    """R-APV-5: a request without an amount matches no tier; the reason names the missing fact."""
    choice = PURCHASE.choose({"amount": None})
    assert choice.route == "three-level"
    assert choice.reasons[0] == "route 'department' did not match: amount is None, not < 50000"
    unnamed = COMPLAINTS.choose({})
    assert unnamed.route == "small"
    assert unnamed.reasons[0] == "route 'major' did not match: fact 'severity' is missing"


def test_r_apv_7_major_complaints_need_the_director() -> None:
    """R-APV-7: a major complaint goes through the director; a small one a specialist settles."""
    assert COMPLAINTS.choose({"severity": "major"}).chain == COMPLAINT.name
    assert COMPLAINTS.choose({"severity": "critical"}).chain == COMPLAINT.name
    assert COMPLAINTS.choose({"severity": "minor"}).chain == SMALL_COMPLAINT.name
    assert COMPLAINT.steps[-1].approvers == ByRole("director", scope="company")


def test_r_apv_8_major_appointments_go_to_the_committee() -> None:
    """R-APV-8, R-ROL-5: the committee decides major appointments, the director the rest."""
    assert POSTS.choose({"major": True}).chain == COMMITTEE_Q3.name
    assert POSTS.choose({"major": False}).chain == "post"
    assert POSTS.choose({}).chain == "post"


def test_policy_lists_its_chains_once_each() -> None:
    """R-APV-5: every chain a policy can route to, once, for make_converter(definitions=...)."""
    assert PURCHASE.chains() == (DEPARTMENT, DIRECTOR, THREE_LEVEL)
    twice = ApprovalPolicy(
        name="p",
        routes=[
            Route(name="a", chain=DEPARTMENT, when={"amount": {"<": 10}}),
            Route(name="b", chain=DEPARTMENT),
        ],
        default="b",
    )
    assert twice.chains() == (DEPARTMENT,)


def test_policy_route_lookup() -> None:
    """R-APV-5: a policy finds routes by name; an unknown route is a typed lookup error."""
    assert PURCHASE.route("director").chain == DIRECTOR
    with pytest.raises(UnknownNameError) as caught:
        PURCHASE.route("ceo")
    assert (caught.value.kind, caught.value.name) == ("route", "ceo")


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"default": "nowhere"}, "default"),
        ({"routes": []}, "routes"),
        ({"routes": [Route(name="a", chain=DEPARTMENT), "b"]}, "routes[1]"),
        (
            {"routes": [Route(name="a", chain=DEPARTMENT), Route(name="a", chain=DIRECTOR)]},
            "routes[1].name",
        ),
        ({"version": 0}, "version"),
    ],
)
def test_bad_policies_are_refused(fields: dict[str, Any], field: str) -> None:
    """R-APV-5: a policy with an unknown default, no routes or repeated route names fails."""
    values: dict[str, Any] = {
        "name": "p",
        "routes": [Route(name="a", chain=DEPARTMENT)],
        "default": "a",
    }
    values.update(fields)
    with pytest.raises(InvalidDefinitionError) as caught:
        ApprovalPolicy(**values)
    assert caught.value.field == field


# -- diagrams --------------------------------------------------------------------------------


def test_mermaid_shows_every_step_gate_and_send_back_edge() -> None:
    """R-APV-1: the diagram has every step, the CEO's amount gate and the CEO's send-back edges."""
    text = THREE_LEVEL.to_mermaid()
    lines = text.splitlines()
    assert lines[0] == "flowchart TD"
    for i, item in enumerate(THREE_LEVEL.steps):
        assert any(line.strip().startswith(f's{i}["{i + 1}. {item.name}<br/>') for line in lines)
    assert '    c2{"amount >= 100000?"}' in lines
    assert "    s1 --> c2" in lines
    assert "    c2 -->|yes| s2" in lines
    assert "    c2 -->|no: skip| approved" in lines
    # The CEO may send back to the requester or to any earlier step.
    assert "    s2 -.->|send back| submitted" in lines
    assert "    s2 -.->|send back| s0" in lines
    assert "    s2 -.->|send back| s1" in lines
    assert not any("s0 -.->|send back|" in line or "s1 -.->|send back|" in line for line in lines)
    assert "    s2 -->|approved| approved([approved])" in lines
    assert text.endswith("\n")


def test_mermaid_shows_breach_actions_and_the_customer_loop() -> None:
    """R-APV-2, R-APV-11: overdue edges name the breach action; the customer loops back."""
    timed = TIMED["escalate"].to_mermaid()
    assert "    s0 -.->|overdue: escalate to director| s0" in timed
    assert "    s1 -.->|overdue: remind| s1" in timed
    loop = SATISFACTION.to_mermaid()
    assert "    s1 -.->|send back| s0" in loop
    assert 's1["2. customer<br/>user cust-9<br/>any one approver"]' in loop


def test_mermaid_skip_edge_goes_through_the_next_steps_gate() -> None:
    """R-APV-5: when a skipped step is followed by another conditional step, skip to its gate."""
    chain = ApprovalChain(
        name="gated",
        resource="purchase",
        steps=[
            step("a"),
            Step(name="b", approvers=ByRole("finance"), when={"urgent": True}),
            Step(name="c", approvers=ByRole("ceo"), when={"amount": {">=": 100_000}}),
        ],
    )
    lines = chain.to_mermaid().splitlines()
    assert "    c1 -->|no: skip| c2" in lines
    assert "    c1 -->|no: skip| s2" not in lines
