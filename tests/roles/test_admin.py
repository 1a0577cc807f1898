"""Administration: changes return a new matrix and its events; refused ones change nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from govkit.audit import AuditLog, Event
from govkit.errors import InvalidDefinitionError, NaiveDatetimeError, UnknownNameError
from govkit.roles import (
    Assignment,
    DynamicSeparation,
    Effect,
    Grant,
    Role,
    RoleMatrix,
    StaticSeparation,
)
from govkit.serialization import canonical_json, unstructure

NOW = datetime(2026, 11, 23, 2, tzinfo=UTC)
NAIVE = datetime(2026, 11, 23, 10)
ADMIN = "admin-zhou"


def build() -> RoleMatrix:
    """The office matrix every test starts from (a fresh copy each time)."""
    return RoleMatrix(
        name="office",
        version=3,
        roles=[
            Role("specialist"),
            Role("department-head", inherits=["specialist"]),
            Role("director", inherits=["department-head"]),
            Role("finance"),
            Role("author"),
            Role("reviewer"),
            Role("legal"),
        ],
        grants=[
            Grant("specialist", "handle", "complaint"),
            Grant("department-head", "approve", "purchase", limit=50_000),
            Grant("director", "approve", "purchase"),
            Grant("finance", "check-budget", "purchase"),
            Grant("legal", "read", "contract-archive"),
        ],
        assignments=[
            Assignment("zhao", "director", "company"),
            Assignment("qian", "department-head", "company/complaints"),
            Assignment("wang", "specialist", "company/complaints"),
            Assignment("zheng", "finance", "company"),
            Assignment("zhou", "legal", "company"),
        ],
        users=["zhao", "qian", "wang", "zheng", "zhou", "li"],
        static_rules=[StaticSeparation("budget apart", ["finance", "department-head"])],
        dynamic_rules=[DynamicSeparation("double review", ["author", "reviewer"])],
    )


OFFICE = build()


def only(events: tuple[Event, ...]) -> Event:
    """The single event of a change."""
    assert len(events) == 1
    return events[0]


# -- successful changes ------------------------------------------------------------------


def test_add_role_returns_a_new_matrix_and_an_event() -> None:
    """add_role adds the role to a new matrix and emits roles.role_added."""
    matrix, events = OFFICE.add_role(
        Role("senior-specialist", inherits=["specialist"]), at=NOW, actor=ADMIN
    )
    assert matrix.inherited_roles("senior-specialist") == {"senior-specialist", "specialist"}
    assert "senior-specialist" not in {r.name for r in OFFICE.roles}
    assert build() == OFFICE
    assert only(events) == Event(
        actor=ADMIN,
        action="roles.role_added",
        subject="office",
        at=NOW,
        data={
            "matrix": "office",
            "version": 3,
            "role": "senior-specialist",
            "inherits": ["specialist"],
        },
    )


def test_remove_role_cascades_to_grants_assignments_and_inheritance() -> None:
    """remove_role drops the role, its grants, its assignments and seniors' links to it."""
    matrix, events = OFFICE.remove_role("specialist", at=NOW, actor=ADMIN)
    assert "specialist" not in {r.name for r in matrix.roles}
    assert all(g.role != "specialist" for g in matrix.grants)
    assert all(a.role != "specialist" for a in matrix.assignments)
    assert matrix.inherited_roles("department-head") == {"department-head"}
    assert matrix.inherited_roles("director") == {"director", "department-head"}
    assert not matrix.allows("zhao", "handle", "complaint", scope="company", at=NOW)
    assert matrix.roles_of("wang", "company/complaints", NOW) == frozenset()
    assert only(events).action == "roles.role_removed"
    assert only(events).data["role"] == "specialist"
    assert OFFICE.allows("zhao", "handle", "complaint", scope="company", at=NOW)


def test_add_inheritance_extends_what_a_senior_may_do() -> None:
    """add_inheritance makes the senior inherit the junior's grants."""
    assert not OFFICE.allows("zhao", "read", "contract-archive", scope="company", at=NOW)
    matrix, events = OFFICE.add_inheritance("director", "legal", at=NOW, actor=ADMIN)
    decision = matrix.check("zhao", "read", "contract-archive", scope="company", at=NOW)
    assert decision.chain == ("director", "legal")
    assert only(events).action == "roles.inheritance_added"
    assert only(events).data == {
        "matrix": "office",
        "version": 3,
        "senior": "director",
        "junior": "legal",
    }
    assert not OFFICE.allows("zhao", "read", "contract-archive", scope="company", at=NOW)


def test_add_inheritance_twice_keeps_one_link() -> None:
    """Adding an inheritance that already exists leaves one link, not two."""
    matrix, _ = OFFICE.add_inheritance("director", "department-head", at=NOW, actor=ADMIN)
    director = next(r for r in matrix.roles if r.name == "director")
    assert director.inherits == ("department-head",)


def test_remove_inheritance_narrows_what_a_senior_may_do() -> None:
    """remove_inheritance takes the junior's grants away from the senior."""
    matrix, events = OFFICE.remove_inheritance("department-head", "specialist", at=NOW, actor=ADMIN)
    assert not matrix.allows("qian", "handle", "complaint", scope="company/complaints", at=NOW)
    assert not matrix.allows("zhao", "handle", "complaint", scope="company/complaints", at=NOW)
    assert matrix.allows("wang", "handle", "complaint", scope="company/complaints", at=NOW)
    assert only(events).action == "roles.inheritance_removed"


def test_add_and_remove_grant() -> None:
    """add_grant and remove_grant change what a role may do and emit events."""
    grant = Grant("department-head", "read", "contract-archive")
    added, events = OFFICE.add_grant(grant, at=NOW, actor=ADMIN)
    assert added.allows("qian", "read", "contract-archive", scope="company/complaints", at=NOW)
    assert only(events).action == "roles.grant_added"
    assert only(events).data == {
        "matrix": "office",
        "version": 3,
        "role": "department-head",
        "action": "read",
        "resource": "contract-archive",
        "limit": None,
        "effect": "allow",
    }
    removed, events = added.remove_grant(grant, at=NOW, actor=ADMIN)
    assert removed == OFFICE
    assert only(events).action == "roles.grant_removed"


def test_add_deny_grant_overrides_an_inherited_allow() -> None:
    """A deny added to the director blocks what the director inherited."""
    deny = Grant("director", "handle", "complaint", effect=Effect.DENY)
    matrix, events = OFFICE.add_grant(deny, at=NOW, actor=ADMIN)
    assert not matrix.allows("zhao", "handle", "complaint", scope="company", at=NOW)
    assert matrix.allows("qian", "handle", "complaint", scope="company/complaints", at=NOW)
    assert only(events).data["effect"] == "deny"


def test_assign_and_unassign() -> None:
    """assign gives a user a role from a new matrix; unassign takes it back."""
    until = NOW + timedelta(days=7)
    assignment = Assignment(
        "li", "specialist", "company/complaints", valid_until=until, reason="emergency"
    )
    assigned, events = OFFICE.assign(assignment, at=NOW, actor=ADMIN)
    assert assigned.allows("li", "handle", "complaint", scope="company/complaints", at=NOW)
    assert only(events).action == "roles.assigned"
    assert only(events).data == {
        "matrix": "office",
        "version": 3,
        "user": "li",
        "role": "specialist",
        "scope": "company/complaints",
        "valid_from": None,
        "valid_until": until.isoformat(),
        "reason": "emergency",
    }
    unassigned, events = assigned.unassign(assignment, at=NOW, actor=ADMIN)
    assert unassigned == OFFICE
    assert only(events).action == "roles.unassigned"
    assert not OFFICE.allows("li", "handle", "complaint", scope="company/complaints", at=NOW)


def test_change_events_chain_into_an_audit_log() -> None:
    """Every change's events are plain data an AuditLog can chain and verify."""
    log = AuditLog()
    matrix = OFFICE
    changes: list[Callable[[RoleMatrix], tuple[RoleMatrix, tuple[Event, ...]]]] = [
        lambda m: m.add_role(Role("auditor"), at=NOW, actor=ADMIN),
        lambda m: m.add_grant(Grant("auditor", "sample", "file"), at=NOW, actor=ADMIN),
        lambda m: m.assign(Assignment("li", "auditor", "company"), at=NOW, actor=ADMIN),
        lambda m: m.add_inheritance("director", "auditor", at=NOW, actor=ADMIN),
        lambda m: m.remove_inheritance("director", "auditor", at=NOW, actor=ADMIN),
        lambda m: m.unassign(Assignment("li", "auditor", "company"), at=NOW, actor=ADMIN),
        lambda m: m.remove_grant(Grant("auditor", "sample", "file"), at=NOW, actor=ADMIN),
        lambda m: m.remove_role("auditor", at=NOW, actor=ADMIN),
    ]
    for change in changes:
        matrix, events = change(matrix)
        log.extend(events)
        canonical_json(unstructure(events[0]))  # plain JSON data
    assert matrix == OFFICE
    log.verify()
    assert [entry.event.action for entry in log] == [
        "roles.role_added",
        "roles.grant_added",
        "roles.assigned",
        "roles.inheritance_added",
        "roles.inheritance_removed",
        "roles.unassigned",
        "roles.grant_removed",
        "roles.role_removed",
    ]
    assert {entry.event.actor for entry in log} == {ADMIN}


# -- refused changes ----------------------------------------------------------------------

Change = Callable[[RoleMatrix], object]

REFUSED: list[tuple[str, Change, type[Exception], str | None]] = [
    (
        "duplicate role",
        lambda m: m.add_role(Role("legal"), at=NOW, actor=ADMIN),
        InvalidDefinitionError,
        None,
    ),
    (
        "role inheriting an unknown role",
        lambda m: m.add_role(Role("chairman", inherits=["board"]), at=NOW, actor=ADMIN),
        InvalidDefinitionError,
        None,
    ),
    (
        "role inheriting itself",
        lambda m: m.add_role(Role("chairman", inherits=["chairman"]), at=NOW, actor=ADMIN),
        InvalidDefinitionError,
        "chairman -> chairman",
    ),
    (
        "removing an unknown role",
        lambda m: m.remove_role("chairman", at=NOW, actor=ADMIN),
        UnknownNameError,
        None,
    ),
    (
        "removing a role a static rule names",
        lambda m: m.remove_role("finance", at=NOW, actor=ADMIN),
        InvalidDefinitionError,
        "budget apart",
    ),
    (
        "removing a role a dynamic rule names",
        lambda m: m.remove_role("reviewer", at=NOW, actor=ADMIN),
        InvalidDefinitionError,
        "double review",
    ),
    (
        "inheritance cycle",
        lambda m: m.add_inheritance("specialist", "director", at=NOW, actor=ADMIN),
        InvalidDefinitionError,
        "specialist -> director -> department-head -> specialist",
    ),
    (
        "inheritance from an unknown senior",
        lambda m: m.add_inheritance("chairman", "director", at=NOW, actor=ADMIN),
        UnknownNameError,
        None,
    ),
    (
        "inheritance of an unknown junior",
        lambda m: m.add_inheritance("director", "board", at=NOW, actor=ADMIN),
        UnknownNameError,
        None,
    ),
    (
        "inheritance making a static violation",
        lambda m: m.add_inheritance("department-head", "finance", at=NOW, actor=ADMIN),
        InvalidDefinitionError,
        "budget apart",
    ),
    (
        "removing an inheritance that is not a direct link",
        lambda m: m.remove_inheritance("director", "specialist", at=NOW, actor=ADMIN),
        UnknownNameError,
        None,
    ),
    (
        "grant to an unknown role",
        lambda m: m.add_grant(Grant("board", "read", "file"), at=NOW, actor=ADMIN),
        InvalidDefinitionError,
        None,
    ),
    (
        "removing a grant that is not there",
        lambda m: m.remove_grant(Grant("legal", "read", "file"), at=NOW, actor=ADMIN),
        UnknownNameError,
        None,
    ),
    (
        "assignment of an unknown role",
        lambda m: m.assign(Assignment("li", "board", "company"), at=NOW, actor=ADMIN),
        InvalidDefinitionError,
        None,
    ),
    (
        "assignment of an unknown user",
        lambda m: m.assign(Assignment("tang", "specialist", "company"), at=NOW, actor=ADMIN),
        InvalidDefinitionError,
        "tang",
    ),
    (
        "assignment breaking a static rule",
        lambda m: m.assign(Assignment("zheng", "director", "company"), at=NOW, actor=ADMIN),
        InvalidDefinitionError,
        "budget apart",
    ),
    (
        "removing an assignment that is not there",
        lambda m: m.unassign(Assignment("li", "legal", "company"), at=NOW, actor=ADMIN),
        UnknownNameError,
        None,
    ),
]


@pytest.mark.parametrize(
    ("change", "error", "mentions"),
    [pytest.param(c, e, m, id=name) for name, c, e, m in REFUSED],
)
def test_refused_change_raises_a_typed_error_and_changes_nothing(
    change: Change, error: type[Exception], mentions: str | None
) -> None:
    """Every refused change raises its typed error and leaves the matrix equal to before."""
    matrix = build()
    with pytest.raises(error) as caught:
        change(matrix)
    if mentions is not None:
        assert mentions in str(caught.value)
    assert matrix == build()
    assert matrix.allows("zhao", "approve", "purchase", scope="company", at=NOW, amount=10**6)
    assert not matrix.allows("li", "handle", "complaint", scope="company", at=NOW)


NAIVE_CHANGES: dict[str, Callable[[RoleMatrix, datetime], tuple[RoleMatrix, tuple[Event, ...]]]] = {
    "add_role": lambda m, at: m.add_role(Role("auditor"), at=at, actor=ADMIN),
    "remove_role": lambda m, at: m.remove_role("legal", at=at, actor=ADMIN),
    "add_inheritance": lambda m, at: m.add_inheritance("director", "legal", at=at, actor=ADMIN),
    "remove_inheritance": lambda m, at: m.remove_inheritance(
        "director", "department-head", at=at, actor=ADMIN
    ),
    "add_grant": lambda m, at: m.add_grant(Grant("legal", "read", "file"), at=at, actor=ADMIN),
    "remove_grant": lambda m, at: m.remove_grant(
        Grant("legal", "read", "contract-archive"), at=at, actor=ADMIN
    ),
    "assign": lambda m, at: m.assign(Assignment("li", "legal", "company"), at=at, actor=ADMIN),
    "unassign": lambda m, at: m.unassign(
        Assignment("zhou", "legal", "company"), at=at, actor=ADMIN
    ),
}


@pytest.mark.parametrize("name", sorted(NAIVE_CHANGES))
def test_change_at_a_naive_instant_is_refused(name: str) -> None:
    """Every change refuses a naive at= and leaves the matrix unchanged."""
    matrix = build()
    with pytest.raises(NaiveDatetimeError):
        NAIVE_CHANGES[name](matrix, NAIVE)
    assert matrix == build()
    new, events = NAIVE_CHANGES[name](matrix, NOW)
    assert only(events).at == NOW
    assert new != matrix


# -- diff ------------------------------------------------------------------------------


def test_diff_lists_added_removed_and_changed_parts() -> None:
    """diff names added, removed and changed roles, grants, assignments and rules."""
    matrix = OFFICE
    matrix, _ = matrix.add_role(Role("auditor"), at=NOW, actor=ADMIN)
    matrix, _ = matrix.add_inheritance("director", "legal", at=NOW, actor=ADMIN)
    matrix, _ = matrix.add_grant(Grant("auditor", "sample", "file"), at=NOW, actor=ADMIN)
    matrix, _ = matrix.remove_grant(Grant("legal", "read", "contract-archive"), at=NOW, actor=ADMIN)
    matrix, _ = matrix.assign(Assignment("li", "auditor", "company"), at=NOW, actor=ADMIN)
    matrix, _ = matrix.unassign(
        Assignment("wang", "specialist", "company/complaints"), at=NOW, actor=ADMIN
    )
    rule = StaticSeparation("audit apart", ["auditor", "finance"])
    revised = RoleMatrix(
        name=matrix.name,
        version=4,
        roles=[r for r in matrix.roles if r.name != "author"],
        grants=matrix.grants,
        assignments=matrix.assignments,
        users=matrix.users,
        static_rules=[*matrix.static_rules, rule],
    )
    diff = OFFICE.diff(revised)
    assert diff
    assert (diff.from_version, diff.to_version) == (3, 4)
    assert diff.added_roles == ("auditor",)
    assert diff.removed_roles == ("author",)
    assert diff.changed_roles == ("director",)
    assert diff.added_grants == (Grant("auditor", "sample", "file"),)
    assert diff.removed_grants == (Grant("legal", "read", "contract-archive"),)
    assert diff.added_assignments == (Assignment("li", "auditor", "company"),)
    assert diff.removed_assignments == (Assignment("wang", "specialist", "company/complaints"),)
    assert diff.added_rules == (rule,)
    assert diff.removed_rules == (DynamicSeparation("double review", ["author", "reviewer"]),)
    assert diff.explain().splitlines() == [
        "version 3 -> 4",
        "+ role auditor",
        "- role author",
        "~ role director",
        "+ grant auditor allow sample file",
        "- grant legal allow read contract-archive",
        "+ assignment li as auditor in company",
        "- assignment wang as specialist in company/complaints",
        "+ rule audit apart",
        "- rule double review",
    ]


def test_diff_of_equal_matrices_is_empty_and_falsy() -> None:
    """A matrix compared with itself (or a copy) has no changes."""
    diff = OFFICE.diff(build())
    assert not diff
    assert diff.explain() == "version 3 -> 3"


def test_diff_sees_a_limit_change_as_a_removed_and_an_added_grant() -> None:
    """R-APV-5: raising the head's limit shows the old grant removed and the new one added."""
    old = Grant("department-head", "approve", "purchase", limit=50_000)
    new = Grant("department-head", "approve", "purchase", limit=80_000)
    matrix, _ = OFFICE.remove_grant(old, at=NOW, actor=ADMIN)
    matrix, _ = matrix.add_grant(new, at=NOW, actor=ADMIN)
    diff = OFFICE.diff(matrix)
    assert (diff.added_grants, diff.removed_grants) == ((new,), (old,))
