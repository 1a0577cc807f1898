"""Separation of duties: static rules on assignments, dynamic rules within one case (R-ROL-9)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from govkit.errors import InvalidDefinitionError
from govkit.roles import (
    Assignment,
    DynamicSeparation,
    Grant,
    Role,
    RoleMatrix,
    StaticSeparation,
)

NOW = datetime(2026, 11, 23, 2, tzinfo=UTC)

ROLES = [
    Role("purchaser"),
    Role("approver"),
    Role("finance"),
    Role("manager", inherits=["approver"]),
    Role("author"),
    Role("reviewer"),
    Role("publisher"),
]
BUDGET = StaticSeparation("purchase apart from approval", ["purchaser", "approver"])
DOUBLE_REVIEW = DynamicSeparation("double review", ["author", "reviewer"])


def build(assignments: list[Assignment], **changes: Any) -> RoleMatrix:
    """A matrix with the separation rules above and the given assignments."""
    fields: dict[str, Any] = {
        "name": "sod",
        "roles": ROLES,
        "grants": [Grant("approver", "approve", "purchase"), Grant("purchaser", "buy", "goods")],
        "assignments": assignments,
        "static_rules": [BUDGET],
        "dynamic_rules": [DOUBLE_REVIEW],
    }
    fields.update(changes)
    return RoleMatrix(**fields)


BASE = build([Assignment("li", "purchaser", "company"), Assignment("qian", "approver", "company")])


# -- static separation ------------------------------------------------------------------


def test_static_rule_refuses_one_user_holding_both_roles_at_construction() -> None:
    """ANSI static SoD: no user may be assigned two of the rule's roles."""
    with pytest.raises(InvalidDefinitionError) as caught:
        build([Assignment("li", "purchaser", "company"), Assignment("li", "approver", "company")])
    assert caught.value.field == "static_rules[0]"
    assert "purchase apart from approval" in caught.value.expected
    assert caught.value.got == "li holds ['approver', 'purchaser']"


def test_static_rule_counts_roles_in_any_scope() -> None:
    """Static SoD counts assignments in every scope, not just overlapping ones."""
    with pytest.raises(InvalidDefinitionError):
        build(
            [
                Assignment("li", "purchaser", "company/rnd"),
                Assignment("li", "approver", "company/quality"),
            ]
        )


def test_static_rule_counts_inherited_roles() -> None:
    """Static SoD counts roles reached through inheritance: a manager is an approver."""
    with pytest.raises(InvalidDefinitionError):
        build([Assignment("li", "purchaser", "company"), Assignment("li", "manager", "company")])


def test_static_rule_refuses_a_role_inheriting_both() -> None:
    """A single assignment of a role that inherits both separated roles is refused."""
    roles = [*ROLES, Role("buyer-boss", inherits=["purchaser", "manager"])]
    with pytest.raises(InvalidDefinitionError):
        build([Assignment("li", "buyer-boss", "company")], roles=roles)


def test_static_rule_counts_assignments_outside_their_validity_window() -> None:
    """Static SoD is about assignments, so an ended assignment still counts."""
    ended = Assignment("li", "approver", "company", valid_until=NOW - timedelta(days=1))
    with pytest.raises(InvalidDefinitionError):
        build([Assignment("li", "purchaser", "company"), ended])


def test_static_rule_allows_different_users_in_the_separated_roles() -> None:
    """Two people, one purchaser and one approver, satisfy the rule."""
    assert BASE.allows("qian", "approve", "purchase", scope="company", at=NOW)
    assert BASE.allows("li", "buy", "goods", scope="company", at=NOW)


def test_static_rule_with_cardinality_three() -> None:
    """With n=3, two of three roles are fine and the third is refused."""
    rule = StaticSeparation("three-way", ["purchaser", "approver", "finance"], n=3)
    two = [Assignment("li", "purchaser", "company"), Assignment("li", "finance", "company")]
    matrix = build(two, static_rules=[rule])
    assert matrix.roles_of("li", "company", NOW) == {"purchaser", "finance"}
    with pytest.raises(InvalidDefinitionError):
        matrix.assign(Assignment("li", "approver", "company"), at=NOW, actor="hr")


def test_assign_refuses_a_static_violation_and_leaves_the_matrix_unchanged() -> None:
    """A refused assignment raises and the original matrix stays as it was."""
    before = build(
        [Assignment("li", "purchaser", "company"), Assignment("qian", "approver", "company")]
    )
    with pytest.raises(InvalidDefinitionError) as caught:
        BASE.assign(Assignment("li", "manager", "company/quality"), at=NOW, actor="hr")
    assert caught.value.field == "static_rules[0]"
    assert before == BASE
    assert not BASE.allows("li", "approve", "purchase", scope="company/quality", at=NOW)
    assert BASE.roles_of("li", "company/quality", NOW) == {"purchaser"}


def test_assign_of_an_unrelated_role_passes_the_static_rule() -> None:
    """Assigning a role outside every static rule is accepted."""
    matrix, events = BASE.assign(Assignment("li", "author", "company"), at=NOW, actor="hr")
    assert matrix.roles_of("li", "company", NOW) == {"purchaser", "author"}
    assert len(events) == 1


# -- dynamic separation (R-ROL-9, R-APV-9) ----------------------------------------------


def test_dynamic_rule_lets_one_user_hold_both_roles() -> None:
    """R-ROL-9: a dynamic rule does not stop holding both roles, only acting in both per case."""
    matrix = build(
        [Assignment("wang", "author", "company"), Assignment("wang", "reviewer", "company")]
    )
    assert matrix.roles_of("wang", "company", NOW) == {"author", "reviewer"}


def test_r_rol_9_author_may_not_review_the_same_report() -> None:
    """R-ROL-9, R-APV-9: whoever wrote the report may not review it; someone else may."""
    decision = BASE.may_act("wang", "reviewer", case=[("wang", "author")])
    assert not decision
    assert decision.allowed is False
    assert decision.reason == (
        "'double review': wang would act in 2 of ['author', 'reviewer'] in one case "
        "(author, reviewer)"
    )
    assert BASE.may_act("li", "reviewer", case=[("wang", "author")])


def test_r_rol_9_reviewer_may_not_become_the_author_either() -> None:
    """R-ROL-9: the rule is symmetric: a reviewer of the case may not write it."""
    assert not BASE.may_act("li", "author", case=[("li", "reviewer"), ("wang", "reviewer")])


def test_r_rol_9_first_act_in_a_case_is_allowed() -> None:
    """R-ROL-9: with nothing recorded yet, anyone may act in any role."""
    decision = BASE.may_act("wang", "author", case=[])
    assert decision
    assert decision.reason == "no separation rule stops wang acting as author"


def test_r_rol_9_acting_twice_in_the_same_role_is_not_a_violation() -> None:
    """R-ROL-9: reviewing twice is one role, not two."""
    assert BASE.may_act("li", "reviewer", case=[("li", "reviewer"), ("wang", "author")])


def test_dynamic_rule_ignores_roles_outside_the_rule() -> None:
    """Acting as a publisher after authoring is outside the double-review rule."""
    assert BASE.may_act("wang", "publisher", case=[("wang", "author")])
    assert BASE.may_act("wang", "reviewer", case=[("wang", "publisher")])


def test_dynamic_rule_with_cardinality_three() -> None:
    """With n=3, a person may act in two of the three roles per case but not all three."""
    rule = DynamicSeparation("three eyes", ["author", "reviewer", "publisher"], n=3)
    matrix = build([], dynamic_rules=[rule])
    assert matrix.may_act("wang", "reviewer", case=[("wang", "author")])
    assert not matrix.may_act("wang", "publisher", case=[("wang", "author"), ("wang", "reviewer")])
    assert matrix.may_act("wang", "publisher", case=[("wang", "author"), ("li", "reviewer")])


def test_may_act_accepts_any_iterable_case() -> None:
    """The case may be a generator of (user, role) pairs."""
    acts = (pair for pair in [("li", "author"), ("wang", "reviewer")])
    assert not BASE.may_act("li", "reviewer", case=acts)


def test_may_act_refuses_unknown_roles_in_the_case() -> None:
    """R-ROL-9: a case naming a role the matrix does not define is refused, not ignored."""
    from govkit.errors import UnknownNameError

    matrix = RoleMatrix(
        name="m",
        roles=[Role("author"), Role("reviewer")],
        dynamic_rules=[DynamicSeparation("double review", ["author", "reviewer"])],
    )
    with pytest.raises(UnknownNameError):
        matrix.may_act("li", "reviewer", case=[("li", "writer")])
    assert not matrix.may_act("li", "reviewer", case=[("li", "author")])
