"""NIST review functions: roles_of, permissions_of, who_can, assigned/authorized users, closures."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from govkit.errors import GovkitError, UnknownNameError
from govkit.roles import Assignment, Effect, Grant, Permission, Role, RoleMatrix

NOW = datetime(2026, 11, 23, 2, tzinfo=UTC)
DAY = timedelta(days=1)

MATRIX = RoleMatrix(
    name="office",
    roles=[
        Role("specialist"),
        Role("department-head", inherits=["specialist"]),
        Role("director", inherits=["department-head"]),
        Role("legal"),
        Role("auditor"),
        Role("emergency-group"),
        Role("unused"),
    ],
    grants=[
        Grant("specialist", "read", "complaint-file"),
        Grant("specialist", "approve", "purchase", limit=5_000),
        Grant("department-head", "approve", "purchase", limit=50_000),
        Grant("department-head", "approve", "purchase", limit=20_000),
        Grant("director", "approve", "purchase"),
        Grant("legal", "read", "contract-archive"),
        Grant("auditor", "read", "complaint-file", effect=Effect.DENY),
        Grant("auditor", "sample", "file"),
        Grant("emergency-group", "read", "customer-data"),
    ],
    assignments=[
        Assignment("zhao", "director", "company"),
        Assignment("qian", "department-head", "company/quality"),
        Assignment("qian", "specialist", "company"),
        Assignment("li", "specialist", "company/quality"),
        Assignment("li", "auditor", "company/quality/line-2"),
        Assignment("zhou", "legal", "company"),
        Assignment(
            "wang", "emergency-group", "company", valid_from=NOW - 7 * DAY, valid_until=NOW - DAY
        ),
        Assignment("wang", "specialist", "company/rnd", valid_from=NOW + DAY),
    ],
)
USERS = ["li", "qian", "tang", "wang", "zhao", "zhou"]


# -- roles_of ----------------------------------------------------------------------------


def test_roles_of_includes_inherited_roles() -> None:
    """roles_of returns the assigned roles and every role they inherit."""
    assert MATRIX.roles_of("zhao", "company/quality", NOW) == {
        "director",
        "department-head",
        "specialist",
    }


def test_roles_of_unions_every_assignment_covering_the_scope() -> None:
    """R-ROL-4: roles from several assignments covering the scope are combined."""
    assert MATRIX.roles_of("li", "company/quality/line-2", NOW) == {"specialist", "auditor"}
    assert MATRIX.roles_of("li", "company/quality", NOW) == {"specialist"}
    assert MATRIX.roles_of("li", "company", NOW) == frozenset()


def test_roles_of_leaves_out_expired_and_future_assignments() -> None:
    """R-ROL-10: roles held only at other times are not held now."""
    assert MATRIX.roles_of("wang", "company/rnd", NOW) == frozenset()
    assert MATRIX.roles_of("wang", "company/rnd", NOW - 2 * DAY) == {"emergency-group"}
    assert MATRIX.roles_of("wang", "company/rnd", NOW + 2 * DAY) == {"specialist"}
    assert MATRIX.roles_of("tang", "company", NOW) == frozenset()


# -- permissions_of ----------------------------------------------------------------------


def test_permissions_of_lists_actions_with_the_largest_limit() -> None:
    """A permission carries the largest limit of the user's grants, None if unlimited."""
    assert MATRIX.permissions_of("qian", "company/quality", NOW) == {
        Permission("read", "complaint-file", None),
        Permission("approve", "purchase", Decimal(50_000)),
    }
    assert MATRIX.permissions_of("qian", "company/rnd", NOW) == {
        Permission("read", "complaint-file", None),
        Permission("approve", "purchase", Decimal(5_000)),
    }
    assert Permission("approve", "purchase", None) in MATRIX.permissions_of("zhao", "company", NOW)


def test_permissions_of_leaves_out_denied_actions() -> None:
    """A deny through any role held here removes the action from the user's permissions."""
    assert MATRIX.permissions_of("li", "company/quality/line-2", NOW) == {
        Permission("approve", "purchase", Decimal(5_000)),
        Permission("sample", "file", None),
    }
    assert Permission("read", "complaint-file", None) in MATRIX.permissions_of(
        "li", "company/quality", NOW
    )


@pytest.mark.parametrize("user", USERS)
@pytest.mark.parametrize("scope", ["company", "company/quality", "company/quality/line-2"])
def test_permissions_of_agrees_with_allows(user: str, scope: str) -> None:
    """Every permission listed is allowed up to its limit and refused just above it."""
    permissions = MATRIX.permissions_of(user, scope, NOW)
    listed = {(p.action, p.resource) for p in permissions}
    for grant in MATRIX.grants:
        key = (grant.action, grant.resource)
        assert (key in listed) is MATRIX.allows(user, *key, scope=scope, at=NOW)
    for p in permissions:
        assert MATRIX.allows(user, p.action, p.resource, scope=scope, at=NOW, amount=p.limit)
        if p.limit is not None:
            above = p.limit + Decimal("0.01")
            assert not MATRIX.allows(user, p.action, p.resource, scope=scope, at=NOW, amount=above)


# -- who_can -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "resource", "scope", "amount", "expected"),
    [
        ("read", "complaint-file", "company/quality", None, {"zhao", "qian", "li"}),
        ("read", "complaint-file", "company/quality/line-2", None, {"zhao", "qian"}),
        ("approve", "purchase", "company/quality", 30_000, {"zhao", "qian"}),
        ("approve", "purchase", "company/quality", 60_000, {"zhao"}),
        ("approve", "purchase", "company/rnd", 30_000, {"zhao"}),
        ("read", "contract-archive", "company", None, {"zhou"}),
        ("read", "customer-data", "company", None, set()),
        ("shred", "record", "company", None, set()),
    ],
)
def test_who_can_lists_exactly_the_users_allowed(
    action: str, resource: str, scope: str, amount: int | None, expected: set[str]
) -> None:
    """who_can(...) == {u for u in users if allows(u, ...)}, limits and denies included."""
    found = MATRIX.who_can(action, resource, scope=scope, at=NOW, amount=amount)
    assert found == expected
    allowed = {
        u for u in USERS if MATRIX.allows(u, action, resource, scope=scope, at=NOW, amount=amount)
    }
    assert found == allowed


def test_who_can_respects_validity_windows() -> None:
    """R-ROL-10: during the crisis the emergency group may read customer data; not after."""
    during = NOW - 3 * DAY
    assert MATRIX.who_can("read", "customer-data", scope="company", at=during) == {"wang"}
    assert MATRIX.who_can("read", "customer-data", scope="company", at=NOW) == frozenset()


# -- role-centred review functions ------------------------------------------------------


def test_assigned_users_are_direct_assignments_in_any_scope_and_time() -> None:
    """assigned_users lists users assigned the role itself, whatever the scope or validity."""
    assert MATRIX.assigned_users("specialist") == {"qian", "li", "wang"}
    assert MATRIX.assigned_users("emergency-group") == {"wang"}
    assert MATRIX.assigned_users("unused") == frozenset()


def test_authorized_users_include_holders_of_senior_roles() -> None:
    """authorized_users lists users assigned the role or any role inheriting it."""
    assert MATRIX.authorized_users("specialist") == {"zhao", "qian", "li", "wang"}
    assert MATRIX.authorized_users("department-head") == {"zhao", "qian"}
    assert MATRIX.authorized_users("director") == {"zhao"}


def test_role_permissions_include_inherited_grants() -> None:
    """role_permissions lists a role's own and inherited grants, with the largest limit."""
    assert MATRIX.role_permissions("department-head") == {
        Permission("read", "complaint-file", None),
        Permission("approve", "purchase", Decimal(50_000)),
    }
    assert MATRIX.role_permissions("director") == {
        Permission("read", "complaint-file", None),
        Permission("approve", "purchase", None),
    }
    assert MATRIX.role_permissions("auditor") == {Permission("sample", "file", None)}
    assert MATRIX.role_permissions("unused") == frozenset()


def test_inherited_roles_is_the_closure() -> None:
    """inherited_roles is the role and every role it inherits, directly or not."""
    assert MATRIX.inherited_roles("director") == {"director", "department-head", "specialist"}
    assert MATRIX.inherited_roles("legal") == {"legal"}


ROLE_QUERIES: dict[str, Callable[[str], object]] = {
    "assigned_users": MATRIX.assigned_users,
    "authorized_users": MATRIX.authorized_users,
    "role_permissions": MATRIX.role_permissions,
    "inherited_roles": MATRIX.inherited_roles,
    "may_act": lambda role: MATRIX.may_act("li", role, case=[]),
}


@pytest.mark.parametrize("query", sorted(ROLE_QUERIES))
def test_unknown_role_raises_unknown_name_error(query: str) -> None:
    """Asking about a role the matrix does not define raises UnknownNameError."""
    with pytest.raises(UnknownNameError) as caught:
        ROLE_QUERIES[query]("chairman")
    assert (caught.value.kind, caught.value.name) == ("role", "chairman")
    assert isinstance(caught.value, LookupError)
    assert isinstance(caught.value, GovkitError)
    assert str(caught.value) == "unknown role: 'chairman'"
