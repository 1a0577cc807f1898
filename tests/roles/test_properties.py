"""Property-based tests (Hypothesis): the matrix against a naive reference implementation.

Random role DAGs (each role inherits only lower-numbered roles, so the graph
is acyclic), random allow/deny grants with and without limits, random
assignments with scopes and validity windows, and random requests. The
reference walks the inheritance graph from each active assignment covering
the requested scope; a deny anywhere wins; a limit caps only its own grant.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from govkit.roles import Assignment, Effect, Grant, Permission, Role, RoleMatrix

T0 = datetime(2026, 6, 1, tzinfo=UTC)
HOURS = 12
USERS = ("u0", "u1", "u2", "u3")
KEYS = (("read", "file"), ("approve", "purchase"), ("delete", "record"))
SCOPES = ("c", "c/a", "c/a/x", "c/ab", "c/b", "d")
FAST = settings(max_examples=100, deadline=None)

Amount = Decimal | int | None
AMOUNTS: st.SearchStrategy[Amount] = st.one_of(
    st.none(),
    st.integers(min_value=0, max_value=120),
    st.decimals(min_value=0, max_value=120, places=2),
)


@dataclass(frozen=True)
class Request:
    """One question to ask the matrix."""

    user: str
    action: str
    resource: str
    scope: str
    at: datetime
    amount: Amount


@dataclass(frozen=True)
class World:
    """A random matrix and requests to ask it."""

    matrix: RoleMatrix
    parents: dict[str, tuple[str, ...]]
    requests: tuple[Request, ...]

    def closure(self, role: str) -> set[str]:
        """The role and every role it inherits, by a plain graph walk."""
        seen: set[str] = set()
        stack = [role]
        while stack:
            name = stack.pop()
            if name not in seen:
                seen.add(name)
                stack.extend(self.parents[name])
        return seen

    def active_here(self, user: str, scope: str, at: datetime) -> list[Assignment]:
        """The user's assignments that hold in ``scope`` at ``at``."""
        return [
            a
            for a in self.matrix.assignments
            if a.user == user
            and covers(a.scope, scope)
            and (a.valid_from is None or a.valid_from <= at)
            and (a.valid_until is None or at < a.valid_until)
        ]

    def reachable_grants(self, user: str, scope: str, at: datetime) -> list[Grant]:
        """Every grant reached through the roles the user holds here and now."""
        roles: set[str] = set()
        for a in self.active_here(user, scope, at):
            roles |= self.closure(a.role)
        return [g for g in self.matrix.grants if g.role in roles]

    def allows(self, r: Request) -> bool:
        """The reference decision."""
        allowed = False
        for g in self.reachable_grants(r.user, r.scope, r.at):
            if (g.action, g.resource) != (r.action, r.resource):
                continue
            if g.effect is Effect.DENY:
                return False
            if r.amount is None or g.limit is None or r.amount <= g.limit:
                allowed = True
        return allowed

    def permissions(self, user: str, scope: str, at: datetime) -> set[Permission]:
        """The reference permissions: allowed keys with their largest limit (None: unlimited)."""
        denied: set[tuple[str, str]] = set()
        limits: dict[tuple[str, str], list[Decimal | None]] = {}
        for g in self.reachable_grants(user, scope, at):
            key = (g.action, g.resource)
            if g.effect is Effect.DENY:
                denied.add(key)
            else:
                limits.setdefault(key, []).append(g.limit)
        out = set()
        for key, found in limits.items():
            if key not in denied:
                numbers = [x for x in found if x is not None]
                largest = None if None in found else max(numbers)
                out.add(Permission(key[0], key[1], largest))
        return out


def covers(assigned: str, requested: str) -> bool:
    """Whether ``assigned`` is ``requested`` or one of its ancestors, segment by segment."""
    mine, theirs = assigned.split("/"), requested.split("/")
    return theirs[: len(mine)] == mine


def instant(hour: int) -> datetime:
    """T0 plus whole hours."""
    return T0 + timedelta(hours=hour)


@st.composite
def worlds(draw: st.DrawFn) -> World:
    """A random acyclic role graph, grants, assignments and requests."""
    count = draw(st.integers(min_value=1, max_value=7))
    names = [f"r{i}" for i in range(count)]
    parents = {
        name: tuple(
            names[j]
            for j in sorted(draw(st.sets(st.integers(min_value=0, max_value=i - 1), max_size=3)))
        )
        if i
        else ()
        for i, name in enumerate(names)
    }
    roles = [Role(name, inherits=parents[name]) for name in reversed(names)]
    grants = []
    for _ in range(draw(st.integers(min_value=0, max_value=10))):
        role = draw(st.sampled_from(names))
        action, resource = draw(st.sampled_from(KEYS))
        if draw(st.booleans()) and draw(st.booleans()):
            grants.append(Grant(role, action, resource, effect=Effect.DENY))
        else:
            limit = draw(st.one_of(st.none(), st.integers(min_value=0, max_value=100)))
            grants.append(Grant(role, action, resource, limit=limit))
    assignments = []
    for _ in range(draw(st.integers(min_value=0, max_value=8))):
        start = draw(st.one_of(st.none(), st.integers(min_value=0, max_value=HOURS)))
        length = draw(st.one_of(st.none(), st.integers(min_value=1, max_value=HOURS)))
        assignments.append(
            Assignment(
                draw(st.sampled_from(USERS)),
                draw(st.sampled_from(names)),
                draw(st.sampled_from(SCOPES)),
                valid_from=None if start is None else instant(start),
                valid_until=None if length is None else instant((start or 0) + length),
            )
        )
    # A matrix refuses repeated entries; keep the first of each.
    grants = list(dict.fromkeys(grants))
    assignments = list(dict.fromkeys(assignments))
    matrix = RoleMatrix(name="random", roles=roles, grants=grants, assignments=assignments)
    requests = tuple(
        Request(
            draw(st.sampled_from(USERS)),
            *draw(st.sampled_from(KEYS)),
            draw(st.sampled_from(SCOPES)),
            instant(draw(st.integers(min_value=-1, max_value=2 * HOURS))),
            draw(AMOUNTS),
        )
        for _ in range(draw(st.integers(min_value=1, max_value=4)))
    )
    return World(matrix=matrix, parents=parents, requests=requests)


def everywhere(requests: tuple[Request, ...]) -> list[Request]:
    """Each request asked by every user in every scope, so near-miss scopes are always tried."""
    return [
        Request(user, r.action, r.resource, scope, r.at, r.amount)
        for r in requests
        for user in USERS
        for scope in SCOPES
    ]


@FAST
@given(worlds())
def test_allows_and_check_match_the_reference(world: World) -> None:
    """allows equals the naive graph walk, and check(...).allowed always equals allows."""
    m = world.matrix
    for r in everywhere(world.requests):
        allowed = m.allows(r.user, r.action, r.resource, scope=r.scope, at=r.at, amount=r.amount)
        assert allowed is world.allows(r), r
        decision = m.check(r.user, r.action, r.resource, scope=r.scope, at=r.at, amount=r.amount)
        assert decision.allowed is allowed, (r, decision)
        assert bool(decision) is allowed


@FAST
@given(worlds())
def test_allowing_decisions_show_a_real_path(world: World) -> None:
    """An allow names an active assignment here, a chain of real inheritance links, and a grant."""
    m = world.matrix
    for r in world.requests:
        decision = m.check(r.user, r.action, r.resource, scope=r.scope, at=r.at, amount=r.amount)
        if not decision:
            continue
        a, grant = decision.assignment, decision.grant
        assert a is not None
        assert grant is not None
        assert a in world.active_here(r.user, r.scope, r.at)
        assert decision.chain[0] == a.role
        assert decision.chain[-1] == grant.role
        for senior, junior in zip(decision.chain, decision.chain[1:], strict=False):
            assert junior in world.parents[senior]
        assert grant in m.grants
        assert (grant.action, grant.resource, grant.effect) == (r.action, r.resource, Effect.ALLOW)
        assert r.amount is None or grant.limit is None or r.amount <= grant.limit


@FAST
@given(worlds())
def test_who_can_is_the_set_of_users_allowed(world: World) -> None:
    """who_can(...) == {u for u in users if allows(u, ...)} for every request's question."""
    m = world.matrix
    for r in world.requests:
        expected = {
            u
            for u in USERS
            if m.allows(u, r.action, r.resource, scope=r.scope, at=r.at, amount=r.amount)
        }
        found = m.who_can(r.action, r.resource, scope=r.scope, at=r.at, amount=r.amount)
        assert found == expected
        assert found == {u for u in USERS if world.allows(Request(u, *_rest(r)))}


def _rest(r: Request) -> tuple[str, str, str, datetime, Amount]:
    return r.action, r.resource, r.scope, r.at, r.amount


@FAST
@given(worlds())
def test_roles_of_is_the_union_of_closures(world: World) -> None:
    """roles_of equals the union of the closures of the active assignments covering the scope."""
    m = world.matrix
    for r in everywhere(world.requests):
        expected: set[str] = set()
        for a in world.active_here(r.user, r.scope, r.at):
            expected |= world.closure(a.role)
        assert m.roles_of(r.user, r.scope, r.at) == expected


@FAST
@given(worlds())
def test_permissions_of_matches_the_reference(world: World) -> None:
    """permissions_of lists the allowed actions with their largest limit, denied ones left out."""
    m = world.matrix
    for r in everywhere(world.requests):
        assert m.permissions_of(r.user, r.scope, r.at) == world.permissions(r.user, r.scope, r.at)


@FAST
@given(worlds())
def test_role_review_functions_match_the_graph(world: World) -> None:
    """inherited_roles is the closure; authorized_users and assigned_users follow assignments."""
    m = world.matrix
    for role in world.parents:
        assert m.inherited_roles(role) == world.closure(role)
        assert m.assigned_users(role) == {a.user for a in m.assignments if a.role == role}
        assert m.authorized_users(role) == {
            a.user for a in m.assignments if role in world.closure(a.role)
        }
