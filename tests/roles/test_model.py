"""The parts of a matrix on their own: roles, grants, assignments, separation rules, decisions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from govkit.errors import GovkitError, InvalidDefinitionError, NaiveDatetimeError
from govkit.roles import (
    Assignment,
    Decision,
    DynamicSeparation,
    Effect,
    Grant,
    Role,
    StaticSeparation,
)

T0 = datetime(2026, 6, 10, 1, tzinfo=UTC)
NAIVE = datetime(2026, 6, 10, 9)


# -- Role ----------------------------------------------------------------------------------


def test_role_inherits_becomes_a_tuple() -> None:
    """A role's junior roles are kept as a tuple in the order given."""
    role = Role("director", inherits=["department-head", "legal"], description="top")
    assert role.inherits == ("department-head", "legal")
    assert Role("specialist").inherits == ()


@pytest.mark.parametrize("name", ["", " director", "director ", 7, None])
def test_role_name_must_be_a_trimmed_non_empty_string(name: Any) -> None:
    """A role without a usable name is refused, naming the field."""
    with pytest.raises(InvalidDefinitionError) as caught:
        Role(name)
    assert caught.value.field == "name"


def test_role_inherits_as_a_bare_string_is_refused() -> None:
    """inherits="head" is refused instead of being read as the roles h, e, a, d."""
    with pytest.raises(InvalidDefinitionError) as caught:
        Role("director", inherits="head")
    assert caught.value.field == "inherits"


def test_roles_are_frozen_and_hashable() -> None:
    """A role is frozen data: equal roles hash alike and cannot be changed in place."""
    role = Role("director", inherits=["head"])
    assert hash(role) == hash(Role("director", inherits=("head",)))
    with pytest.raises(AttributeError):
        role.name = "boss"  # type: ignore[misc]  # the mutation under test


# -- Grant ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("limit", "expected"),
    [
        (None, None),
        (50_000, Decimal(50_000)),
        ("50000", Decimal(50_000)),
        (Decimal("49999.99"), Decimal("49999.99")),
        (0.1, Decimal("0.1")),
        (0, Decimal(0)),
    ],
)
def test_grant_limit_is_kept_as_a_decimal(limit: Any, expected: Decimal | None) -> None:
    """R-APV-5: limits become exact Decimals (0.1 stays 0.1), None meaning no limit."""
    assert Grant("department-head", "approve", "purchase", limit=limit).limit == expected


@pytest.mark.parametrize("limit", [-1, "abc", "NaN", "Infinity", float("inf"), True, [5]])
def test_grant_limit_must_be_a_finite_non_negative_amount(limit: Any) -> None:
    """A negative, non-numeric, infinite or boolean limit is refused."""
    with pytest.raises(InvalidDefinitionError) as caught:
        Grant("department-head", "approve", "purchase", limit=limit)
    assert caught.value.field == "limit"


def test_grant_effect_accepts_the_enum_or_its_value() -> None:
    """effect="deny" and Effect.DENY are the same; the default is allow."""
    assert Grant("a", "b", "c", effect="deny") == Grant("a", "b", "c", effect=Effect.DENY)
    assert Grant("a", "b", "c").effect is Effect.ALLOW
    assert [e.value for e in Effect] == ["allow", "deny"]


def test_grant_unknown_effect_is_refused() -> None:
    """An effect other than allow or deny is refused."""
    with pytest.raises(ValueError, match="maybe"):
        Grant("a", "b", "c", effect="maybe")


def test_deny_grant_with_a_limit_is_refused() -> None:
    """A deny grant has no amount to limit; giving it one is an error."""
    with pytest.raises(InvalidDefinitionError) as caught:
        Grant("director", "appoint", "major-post", limit=1, effect=Effect.DENY)
    assert caught.value.field == "limit"


@pytest.mark.parametrize("field", ["role", "action", "resource"])
def test_grant_names_must_be_non_empty(field: str) -> None:
    """A grant with an empty role, action or resource is refused, naming the field."""
    values = {"role": "legal", "action": "read", "resource": "contract-archive", field: ""}
    with pytest.raises(InvalidDefinitionError) as caught:
        Grant(values["role"], values["action"], values["resource"])
    assert caught.value.field == field


# -- Assignment ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "scope", ["", "a//b", "/a", "a/", "/", " company", "company /quality", "company/ quality"]
)
def test_assignment_malformed_scope_is_refused(scope: str) -> None:
    """R-ROL-3: a scope is a path of non-empty, trimmed segments separated by single '/'."""
    with pytest.raises(InvalidDefinitionError) as caught:
        Assignment("li", "specialist", scope)
    assert caught.value.field == "scope"
    assert caught.value.got == scope


def test_assignment_scope_must_be_text() -> None:
    """A scope that is not a string is refused."""
    with pytest.raises(InvalidDefinitionError):
        Assignment("li", "specialist", ["company"])


@pytest.mark.parametrize("field", ["valid_from", "valid_until"])
def test_assignment_naive_validity_bound_is_refused(field: str) -> None:
    """A validity bound without a time zone is refused, never guessed."""
    bounds: dict[str, datetime | None] = {"valid_from": None, "valid_until": None, field: NAIVE}
    with pytest.raises(NaiveDatetimeError) as caught:
        Assignment(
            "wang",
            "emergency-group",
            "company",
            valid_from=bounds["valid_from"],
            valid_until=bounds["valid_until"],
        )
    assert caught.value.field == field
    assert isinstance(caught.value, GovkitError)
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize("until", [T0, T0 - timedelta(days=1)])
def test_assignment_valid_until_not_after_valid_from_is_refused(until: datetime) -> None:
    """R-ROL-10: an assignment must end after it starts (valid_until is exclusive)."""
    with pytest.raises(InvalidDefinitionError) as caught:
        Assignment("wang", "emergency-group", "company", valid_from=T0, valid_until=until)
    assert caught.value.field == "valid_until"


def test_assignment_active_from_inclusive_until_exclusive() -> None:
    """R-ROL-10: an assignment holds from valid_from (inclusive) to valid_until (exclusive)."""
    end = T0 + timedelta(days=7)
    a = Assignment("wang", "emergency-group", "company", valid_from=T0, valid_until=end)
    tick = timedelta(microseconds=1)
    assert not a.active(T0 - tick)
    assert a.active(T0)
    assert a.active(end - tick)
    assert not a.active(end)
    assert Assignment("li", "specialist", "company").active(datetime(1, 1, 2, tzinfo=UTC))


def test_assignment_validity_compares_instants_across_zones() -> None:
    """An assignment ending 09:00 Shanghai has ended at 01:00 UTC the same day."""
    from zoneinfo import ZoneInfo

    end = datetime(2026, 6, 17, 9, tzinfo=ZoneInfo("Asia/Shanghai"))
    a = Assignment("wang", "emergency-group", "company", valid_until=end)
    assert a.active(datetime(2026, 6, 17, 0, 59, tzinfo=UTC))
    assert not a.active(datetime(2026, 6, 17, 1, tzinfo=UTC))


# -- Separation rules ----------------------------------------------------------------------


@pytest.mark.parametrize("rule", [StaticSeparation, DynamicSeparation])
@pytest.mark.parametrize("n", [0, 1, True, 2.0])
def test_separation_cardinality_must_be_a_whole_number_of_at_least_two(
    rule: type[StaticSeparation] | type[DynamicSeparation], n: Any
) -> None:
    """ANSI cardinality n is a whole number >= 2."""
    with pytest.raises(InvalidDefinitionError) as caught:
        rule("sod", ["author", "reviewer"], n=n)
    assert caught.value.field == "n"


@pytest.mark.parametrize("rule", [StaticSeparation, DynamicSeparation])
@pytest.mark.parametrize("roles", [["author", "author"], "author", ["author", ""], ["author", 3]])
def test_separation_roles_must_be_distinct_role_names(
    rule: type[StaticSeparation] | type[DynamicSeparation], roles: Any
) -> None:
    """A separation rule names distinct roles in a list (a bare string is refused)."""
    with pytest.raises(InvalidDefinitionError):
        rule("sod", roles)


def test_separation_rule_defaults_to_two() -> None:
    """Without n, holding (or acting in) two of the roles is what the rule forbids."""
    assert StaticSeparation("sod", ["a", "b"]).n == 2
    assert DynamicSeparation("sod", ("a", "b", "c"), n=3).roles == ("a", "b", "c")


# -- Decision ------------------------------------------------------------------------------


def test_decision_is_truthy_exactly_when_allowed() -> None:
    """A Decision can stand in for a bool: truthy iff allowed."""
    assert Decision(allowed=True, reason="ok")
    assert not Decision(allowed=False, reason="no")


def test_decision_explain_shows_assignment_chain_and_grant() -> None:
    """explain() joins the reason, the assignment, the inheritance chain and the grant."""
    decision = Decision(
        allowed=True,
        reason="zhao may approve purchase in company/complaints",
        assignment=Assignment("zhao", "director", "company"),
        chain=("director", "department-head"),
        grant=Grant("department-head", "approve", "purchase", limit=50_000),
    )
    assert decision.explain() == (
        "ALLOWED: zhao may approve purchase in company/complaints; "
        "assignment: zhao as director in company; "
        "inherits: director -> department-head; "
        "grant: department-head allow approve purchase up to 50000"
    )


def test_decision_explain_without_a_path_is_the_reason() -> None:
    """A denial with no assignment, chain or grant explains itself with its reason alone."""
    assert Decision(allowed=False, reason="tang holds no role").explain() == (
        "DENIED: tang holds no role"
    )
