"""RoleMatrix construction and the allows/check decisions: inheritance, denies, limits, scopes."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from govkit.errors import InvalidDefinitionError, NaiveDatetimeError
from govkit.roles import (
    Assignment,
    DynamicSeparation,
    Effect,
    Grant,
    Role,
    RoleMatrix,
    StaticSeparation,
)

NOW = datetime(2026, 11, 23, 2, tzinfo=UTC)
DAY = timedelta(days=1)
US = timedelta(microseconds=1)

ROLES = [
    Role("specialist"),
    Role("department-head", inherits=["specialist"]),
    Role("director", inherits=["department-head"]),
    Role("probation"),
    Role("acting-head", inherits=["department-head", "probation"]),
    Role("legal"),
    Role("auditor"),
]
GRANTS = [
    Grant("specialist", "read", "complaint-file"),
    Grant("specialist", "approve", "purchase", limit=5_000),
    Grant("department-head", "approve", "purchase", limit=50_000),
    Grant("director", "approve", "purchase"),
    Grant("director", "delete", "record"),
    Grant("probation", "approve", "purchase", effect=Effect.DENY),
    Grant("legal", "read", "contract-archive"),
    Grant("auditor", "delete", "record", effect=Effect.DENY),
]
ASSIGNMENTS = [
    Assignment("zhao", "director", "company"),
    Assignment("qian", "department-head", "company/quality"),
    Assignment("li", "specialist", "company/quality"),
    Assignment("gao", "acting-head", "company/rnd"),
    Assignment("zhou", "legal", "company"),
    Assignment("ma", "director", "company/quality"),
    Assignment("ma", "auditor", "company/quality/line-2"),
    Assignment("wu", "director", "company"),
    Assignment("wu", "auditor", "company", valid_until=NOW - DAY),
    Assignment("he", "director", "company"),
    Assignment("he", "auditor", "company", valid_from=NOW + DAY),
]


def build(**changes: Any) -> RoleMatrix:
    """The plant's matrix, with some fields replaced."""
    fields: dict[str, Any] = {
        "name": "plant",
        "roles": ROLES,
        "grants": GRANTS,
        "assignments": ASSIGNMENTS,
    }
    fields.update(changes)
    return RoleMatrix(**fields)


PLANT = build()


# -- construction ----------------------------------------------------------------------


def test_matrix_defaults() -> None:
    """A matrix needs only a name: version 1, no dates, nothing granted."""
    empty = RoleMatrix(name="empty")
    assert empty.version == 1
    assert (empty.effective_from, empty.effective_until) == (None, None)
    assert (empty.roles, empty.grants, empty.assignments) == ((), (), ())
    assert not empty.allows("zhao", "read", "file", scope="company", at=NOW)


def test_matrix_lists_become_tuples_and_equal_matrices_are_equal() -> None:
    """Lists are stored as tuples; two matrices built alike are equal and hash alike."""
    assert isinstance(PLANT.roles, tuple)
    assert isinstance(PLANT.assignments, tuple)
    assert build() == PLANT
    assert hash(build()) == hash(PLANT)


@pytest.mark.parametrize("version", [0, -1, True, "2"])
def test_version_must_be_a_positive_whole_number(version: Any) -> None:
    """R-ROL-1: the revision number is a whole number >= 1."""
    with pytest.raises(InvalidDefinitionError) as caught:
        build(version=version)
    assert caught.value.field == "version"


def test_duplicate_role_names_are_refused() -> None:
    """Two roles with one name are refused, naming the second."""
    with pytest.raises(InvalidDefinitionError) as caught:
        build(roles=[*ROLES, Role("legal", inherits=["specialist"])])
    assert caught.value.field == f"roles[{len(ROLES)}].name"
    assert caught.value.got == "legal"


def test_unknown_role_in_a_grant_is_refused() -> None:
    """A grant to a role the matrix does not define is refused."""
    with pytest.raises(InvalidDefinitionError) as caught:
        build(grants=[*GRANTS, Grant("chairman", "read", "contract-archive")])
    assert caught.value.field == f"grants[{len(GRANTS)}].role"
    assert caught.value.got == "chairman"


def test_unknown_role_in_an_assignment_is_refused() -> None:
    """An assignment to a role the matrix does not define is refused."""
    with pytest.raises(InvalidDefinitionError) as caught:
        build(assignments=[Assignment("zhao", "chairman", "company")])
    assert caught.value.field == "assignments[0].role"


def test_unknown_role_in_inheritance_is_refused() -> None:
    """A role inheriting a role the matrix does not define is refused."""
    with pytest.raises(InvalidDefinitionError) as caught:
        build(roles=[*ROLES, Role("chairman", inherits=["director", "board"])])
    assert caught.value.field.startswith("roles[")
    assert caught.value.field.endswith("].inherits[1]")
    assert caught.value.got == "board"


@pytest.mark.parametrize("kind", [StaticSeparation, DynamicSeparation])
def test_unknown_role_in_a_separation_rule_is_refused(
    kind: type[StaticSeparation] | type[DynamicSeparation],
) -> None:
    """A separation rule naming an undefined role is refused."""
    field = "static_rules" if kind is StaticSeparation else "dynamic_rules"
    with pytest.raises(InvalidDefinitionError) as caught:
        build(**{field: [kind("sod", ["legal", "board"])]})
    assert caught.value.field == f"{field}[0].roles"
    assert caught.value.got == "board"


def test_separation_cardinality_above_the_number_of_roles_is_refused() -> None:
    """A rule forbidding 3 of 2 roles could never apply and is refused."""
    with pytest.raises(InvalidDefinitionError) as caught:
        build(dynamic_rules=[DynamicSeparation("sod", ["legal", "auditor"], n=3)])
    assert caught.value.field == "dynamic_rules[0].n"


def test_unknown_user_is_refused_when_users_are_given() -> None:
    """With a user list, an assignment naming someone else is refused."""
    users = sorted({a.user for a in ASSIGNMENTS} - {"gao"})
    with pytest.raises(InvalidDefinitionError) as caught:
        build(users=users)
    assert caught.value.field == "assignments[3].user"
    assert caught.value.got == "gao"
    assert build(users=[*users, "gao", "tang"]).users[-1] == "tang"


def test_repeated_users_are_refused() -> None:
    """A user list with repeats is refused."""
    with pytest.raises(InvalidDefinitionError) as caught:
        build(users=["zhao", "qian", "zhao"])
    assert caught.value.field == "users"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("roles", [Role("a"), "b"]),
        ("roles", "director"),
        ("grants", [("a", "read", "file")]),
        ("assignments", [Assignment("zhao", "director", "company"), None]),
        ("static_rules", [DynamicSeparation("sod", ["legal", "auditor"])]),
    ],
)
def test_parts_of_the_wrong_type_are_refused(field: str, value: Any) -> None:
    """Each list holds its own kind of part; anything else is refused, naming the field."""
    with pytest.raises(InvalidDefinitionError) as caught:
        build(**{field: value})
    assert caught.value.field.startswith(field)


# -- cycles and depth ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("roles", "cycle"),
    [
        ([Role("a", inherits=["a"])], "a -> a"),
        ([Role("a", inherits=["b"]), Role("b", inherits=["a"])], "a -> b -> a"),
        (
            [Role("a", inherits=["b"]), Role("b", inherits=["c"]), Role("c", inherits=["a"])],
            "a -> b -> c -> a",
        ),
        (
            [
                Role("root"),
                Role("x", inherits=["root", "y"]),
                Role("y", inherits=["z"]),
                Role("z", inherits=["x"]),
            ],
            "x -> y -> z -> x",
        ),
    ],
)
def test_inheritance_cycles_are_refused_naming_the_cycle(roles: list[Role], cycle: str) -> None:
    """The inheritance graph must be acyclic; the error shows the cycle path."""
    with pytest.raises(InvalidDefinitionError) as caught:
        RoleMatrix(name="cyclic", roles=roles)
    assert caught.value.field == "roles"
    assert caught.value.got == cycle
    assert cycle in str(caught.value)


def test_diamond_inheritance_is_not_a_cycle() -> None:
    """Two seniors sharing a junior, joined again above, is a valid DAG."""
    matrix = RoleMatrix(
        name="diamond",
        roles=[
            Role("base"),
            Role("left", inherits=["base"]),
            Role("right", inherits=["base"]),
            Role("top", inherits=["left", "right"]),
        ],
        grants=[Grant("base", "read", "file")],
        assignments=[Assignment("u", "top", "c")],
    )
    assert matrix.inherited_roles("top") == {"top", "left", "right", "base"}
    assert matrix.allows("u", "read", "file", scope="c", at=NOW)


@pytest.mark.parametrize("senior_first", [False, True])
def test_deep_hierarchies_have_no_depth_limit(senior_first: bool) -> None:
    """A chain of 1,500 roles (deeper than Python's recursion limit) still resolves."""
    depth = 1_500
    chain = [Role("r0"), *(Role(f"r{i}", inherits=[f"r{i - 1}"]) for i in range(1, depth))]
    if senior_first:
        chain.reverse()
    matrix = RoleMatrix(
        name="deep",
        roles=chain,
        grants=[Grant("r0", "read", "file")],
        assignments=[Assignment("u", f"r{depth - 1}", "c")],
    )
    assert matrix.allows("u", "read", "file", scope="c", at=NOW)
    decision = matrix.check("u", "read", "file", scope="c", at=NOW)
    assert len(decision.chain) == depth
    assert decision.chain[0] == f"r{depth - 1}"
    assert decision.chain[-1] == "r0"
    assert len(matrix.inherited_roles(f"r{depth - 1}")) == depth


# -- inheritance and denies --------------------------------------------------------------


def test_senior_role_may_do_all_its_juniors_may() -> None:
    """The director may read complaint files through department head -> specialist."""
    decision = PLANT.check("zhao", "read", "complaint-file", scope="company/quality", at=NOW)
    assert decision
    assert decision.chain == ("director", "department-head", "specialist")
    assert decision.assignment == Assignment("zhao", "director", "company")
    assert decision.grant == Grant("specialist", "read", "complaint-file")
    assert decision.reason == "zhao may read complaint-file in company/quality"


def test_junior_role_may_not_do_what_its_seniors_may() -> None:
    """A specialist may not delete records, which only the director may."""
    assert not PLANT.allows("li", "delete", "record", scope="company/quality", at=NOW)


def test_deny_overrides_allow_where_both_roles_hold() -> None:
    """A deny through any role held here and now overrides every allow."""
    assert PLANT.allows("ma", "delete", "record", scope="company/quality", at=NOW)
    decision = PLANT.check("ma", "delete", "record", scope="company/quality/line-2", at=NOW)
    assert not decision
    assert decision.grant == Grant("auditor", "delete", "record", effect=Effect.DENY)
    assert decision.assignment == Assignment("ma", "auditor", "company/quality/line-2")
    assert decision.chain == ("auditor",)
    assert decision.reason == "a deny grant on delete record overrides every allow"


def test_deny_reached_through_inheritance_overrides_an_inherited_allow() -> None:
    """An acting head inherits the head's allow and probation's deny: the deny wins."""
    for amount in (None, 1, 50_000):
        assert not PLANT.allows(
            "gao", "approve", "purchase", scope="company/rnd", at=NOW, amount=amount
        )
    decision = PLANT.check("gao", "approve", "purchase", scope="company/rnd", at=NOW, amount=1)
    assert decision.chain == ("acting-head", "probation")
    assert decision.grant is not None
    assert decision.grant.effect is Effect.DENY
    # The deny does not touch what probation does not deny.
    assert PLANT.allows("gao", "read", "complaint-file", scope="company/rnd", at=NOW)


def test_deny_from_an_expired_or_future_assignment_does_not_apply() -> None:
    """Only roles held here and now deny: an ended or not-yet-started auditor role does not."""
    assert PLANT.allows("wu", "delete", "record", scope="company", at=NOW)
    assert not PLANT.allows("wu", "delete", "record", scope="company", at=NOW - 2 * DAY)
    assert PLANT.allows("he", "delete", "record", scope="company", at=NOW)
    assert not PLANT.allows("he", "delete", "record", scope="company", at=NOW + DAY)


# -- limits ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user", "amount", "expected"),
    [
        ("li", None, True),
        ("li", 5_000, True),
        ("li", Decimal("5000.01"), False),
        ("qian", 5_001, True),
        ("qian", 50_000, True),
        ("qian", 50_001, False),
        ("zhao", 10**12, True),
        ("zhou", 1, False),
    ],
)
def test_amount_above_a_limit_is_covered_only_by_another_grant(
    user: str, amount: int | Decimal | None, expected: bool
) -> None:
    """R-APV-5: a limit caps its own grant; a higher or unlimited grant may still cover."""
    scope = "company/quality"
    assert PLANT.allows(user, "approve", "purchase", scope=scope, at=NOW, amount=amount) is expected
    decision = PLANT.check(user, "approve", "purchase", scope=scope, at=NOW, amount=amount)
    assert decision.allowed is expected


def test_amount_within_the_higher_limit_names_the_grant_that_covers_it() -> None:
    """R-APV-5: 20,000 is above the specialist's 5,000 but within the head's 50,000."""
    decision = PLANT.check(
        "qian", "approve", "purchase", scope="company/quality", at=NOW, amount=20_000
    )
    assert decision.grant == Grant("department-head", "approve", "purchase", limit=50_000)
    assert decision.chain == ("department-head",)


def test_exceeded_limit_is_explained() -> None:
    """R-APV-5: above every covering limit, the denial names the amount and the limit."""
    decision = PLANT.check(
        "li", "approve", "purchase", scope="company/quality", at=NOW, amount=6_000
    )
    assert not decision
    assert decision.reason == "amount 6000 exceeds the limit 5000"
    assert decision.grant == Grant("specialist", "approve", "purchase", limit=5_000)
    assert "grant: specialist allow approve purchase up to 5000" in decision.explain()


# -- scopes --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("assigned", "requested", "expected"),
    [
        ("company/quality", "company/quality", True),
        ("company/quality", "company/quality/line-2", True),
        ("company/quality", "company/quality/line-2/cell-7", True),
        ("company/quality", "company/quality-lab", False),
        ("company/quality", "company/qualityx/line-2", False),
        ("company/quality", "company", False),
        ("company/quality", "company/rnd", False),
        ("company/quality", "quality", False),
        ("company", "company/quality", True),
        ("company", "companyx", False),
    ],
)
def test_scopes_are_compared_segment_by_segment(
    assigned: str, requested: str, expected: bool
) -> None:
    """R-ROL-3: an assignment holds in its scope and below, never in a sibling or a parent."""
    matrix = build(assignments=[Assignment("li", "specialist", assigned)])
    assert matrix.allows("li", "read", "complaint-file", scope=requested, at=NOW) is expected
    assert bool(matrix.check("li", "read", "complaint-file", scope=requested, at=NOW)) is expected
    assert ("specialist" in matrix.roles_of("li", requested, NOW)) is expected


BAD_SCOPES = ["", "a//b", "/a", "a/", "company/", "/company", " company"]


def test_allows_refuses_a_malformed_scope_like_check() -> None:
    """allows and check agree on a malformed request scope: both raise InvalidDefinitionError."""
    accepted = []
    for scope in BAD_SCOPES:
        with pytest.raises(InvalidDefinitionError):
            PLANT.check("zhao", "read", "complaint-file", scope=scope, at=NOW)
        try:
            PLANT.allows("zhao", "read", "complaint-file", scope=scope, at=NOW)
        except InvalidDefinitionError:
            continue
        accepted.append(scope)
    assert accepted == []


QUERIES: dict[str, Callable[[RoleMatrix, str, datetime], object]] = {
    "allows": lambda m, s, t: m.allows("zhao", "read", "complaint-file", scope=s, at=t),
    "check": lambda m, s, t: m.check("zhao", "read", "complaint-file", scope=s, at=t),
    "who_can": lambda m, s, t: m.who_can("read", "complaint-file", scope=s, at=t),
    "roles_of": lambda m, s, t: m.roles_of("zhao", s, t),
    "permissions_of": lambda m, s, t: m.permissions_of("zhao", s, t),
}


@pytest.mark.parametrize("query", sorted(QUERIES))
def test_queries_refuse_a_scope_with_an_empty_segment(query: str) -> None:
    """Every query refuses the scope "company//quality" with InvalidDefinitionError."""
    with pytest.raises(InvalidDefinitionError):
        QUERIES[query](PLANT, "company//quality", NOW)


@pytest.mark.parametrize("query", sorted(QUERIES))
def test_queries_refuse_naive_datetimes(query: str) -> None:
    """Every query refuses an instant without a time zone, never guessing one."""
    with pytest.raises(NaiveDatetimeError):
        QUERIES[query](PLANT, "company/quality", datetime(2026, 11, 23, 10))


# -- validity windows ----------------------------------------------------------------


def test_assignment_validity_window_is_half_open() -> None:
    """An assignment holds from valid_from (inclusive) until valid_until (exclusive)."""
    start, end = NOW, NOW + 7 * DAY
    matrix = build(
        assignments=[Assignment("li", "specialist", "company", valid_from=start, valid_until=end)]
    )
    expected = {start - US: False, start: True, end - US: True, end: False}
    for at, allowed in expected.items():
        assert matrix.allows("li", "read", "complaint-file", scope="company", at=at) is allowed
        assert bool(matrix.check("li", "read", "complaint-file", scope="company", at=at)) is allowed


# -- explanations of denials ---------------------------------------------------------


def test_user_with_no_role_is_told_so() -> None:
    """A user the matrix does not assign is denied: they hold no role."""
    decision = PLANT.check("tang", "read", "complaint-file", scope="company", at=NOW)
    assert not decision
    assert decision.reason == "tang holds no role in this matrix"
    assert decision.assignment is None
    assert not PLANT.allows("tang", "read", "complaint-file", scope="company", at=NOW)


def test_user_with_roles_elsewhere_is_told_where() -> None:
    """A user with roles only in other scopes is told which scopes those are."""
    decision = PLANT.check("li", "read", "complaint-file", scope="company/rnd", at=NOW)
    assert decision.reason == "li holds roles only in company/quality, not in company/rnd"


def test_missing_grant_names_the_roles_that_have_it() -> None:
    """A missing grant is explained with the user's roles here and the roles that have it."""
    decision = PLANT.check("li", "read", "contract-archive", scope="company/quality", at=NOW)
    assert decision.reason == (
        "no grant of read contract-archive through li's roles here (specialist); "
        "it is granted to legal"
    )
    nobody = PLANT.check("li", "shred", "contract-archive", scope="company/quality", at=NOW)
    assert nobody.reason.endswith("no role is granted it")


def test_missing_grant_lists_every_role_reaching_it() -> None:
    """The roles listed as having a grant include seniors who inherit it, but not denied ones."""
    decision = PLANT.check("zhou", "approve", "purchase", scope="company", at=NOW)
    assert decision.reason.endswith("it is granted to department-head, director, specialist")


def test_expired_deny_is_not_explained_as_an_assignment_that_would_allow() -> None:
    """An ended role that only denies the action is not offered as one that would allow it."""
    matrix = build(
        assignments=[
            Assignment("wu", "auditor", "company", valid_until=NOW - DAY),
            Assignment("he", "auditor", "company", valid_from=NOW + DAY),
        ]
    )
    for user in ("wu", "he"):
        decision = matrix.check(user, "delete", "record", scope="company", at=NOW)
        assert not decision
        assert "would allow" not in decision.reason, decision.reason


def test_expired_assignment_that_would_allow_is_explained() -> None:
    """A denial because the only allowing assignment ended names that assignment."""
    ended = Assignment("li", "specialist", "company", valid_until=NOW - DAY)
    matrix = build(assignments=[ended])
    decision = matrix.check("li", "read", "complaint-file", scope="company", at=NOW)
    assert decision.assignment == ended
    assert decision.reason == (
        f"the assignment that would allow it expired at {(NOW - DAY).isoformat()}"
    )


# -- check and allows agree ----------------------------------------------------------


def test_check_and_allows_agree_on_every_request_of_a_grid() -> None:
    """check(...).allowed == allows(...) for every user, action, scope, instant and amount."""
    users = sorted({a.user for a in ASSIGNMENTS} | {"tang"})
    keys = sorted({(g.action, g.resource) for g in GRANTS} | {("shred", "record")})
    scopes = ["company", "company/quality", "company/quality/line-2", "company/rnd", "partner"]
    instants = [NOW - 2 * DAY, NOW, NOW + 2 * DAY]
    amounts: list[int | None] = [None, 5_000, 50_001]
    checked = 0
    for user, (action, resource), scope, at, amount in itertools.product(
        users, keys, scopes, instants, amounts
    ):
        allowed = PLANT.allows(user, action, resource, scope=scope, at=at, amount=amount)
        decision = PLANT.check(user, action, resource, scope=scope, at=at, amount=amount)
        assert decision.allowed is allowed, (user, action, resource, scope, at, amount)
        assert bool(decision) is allowed
        checked += allowed
    assert checked > 100  # the grid is not all denials


def test_repeated_grants_and_assignments_are_refused() -> None:
    """A grant or assignment listed twice is refused, naming the repeat's position."""
    with pytest.raises(InvalidDefinitionError) as caught:
        RoleMatrix(name="m", roles=[Role("a")], grants=[Grant("a", "read", "x")] * 2)
    assert caught.value.field == "grants[1]"
    with pytest.raises(InvalidDefinitionError) as caught:
        RoleMatrix(name="m", roles=[Role("a")], assignments=[Assignment("u", "a", "company")] * 2)
    assert caught.value.field == "assignments[1]"
