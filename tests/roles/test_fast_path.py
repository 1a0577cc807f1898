"""The allows cache, the fast Decision and incremental assign: answers never depend on history.

``RoleMatrix.allows`` keeps, per matrix, what decides each (user, action,
resource, scope) it was asked; ``assign`` and ``unassign`` derive the new
matrix's lookup tables from the old one's. These tests pin that a warm cache
answers as a cold one and as a naive reference does, that derived matrices
answer as freshly built ones do (and leave their parent alone), and that
requests a host passes through cannot grow the cache without bound.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govkit.errors import (
    GovkitError,
    InvalidDefinitionError,
    NaiveDatetimeError,
    UnknownNameError,
)
from govkit.roles import (
    Assignment,
    Decision,
    Effect,
    Grant,
    Role,
    RoleMatrix,
    StaticSeparation,
    _matrix,
)
from govkit.roles._decision import make_decision

T0 = datetime(2026, 6, 1, tzinfo=UTC)
USERS = ("u0", "u1", "u2")
ASKED_USERS = (*USERS, "ghost")  # "ghost" holds no role
KEYS = (("read", "file"), ("approve", "purchase"))
ASKED_KEYS = (*KEYS, ("fly", "moon"))  # no role is granted ("fly", "moon")
SCOPES = ("c", "c/a", "c/a/x", "c/ab", "d")
INSTANTS = tuple(T0 + timedelta(hours=h) for h in (-1, 2, 5, 12))
AMOUNTS: tuple[Decimal | int | None, ...] = (None, 50, Decimal("100.5"))
FAST = settings(max_examples=60, deadline=None)

Question = tuple[str, str, str, str, datetime, Decimal | int | None]


def hour(h: int) -> datetime:
    """T0 plus whole hours."""
    return T0 + timedelta(hours=h)


@st.composite
def matrices(draw: st.DrawFn) -> RoleMatrix:
    """A random matrix: role DAG, (limited) allows, denies, windows; maybe users and a rule."""
    count = draw(st.integers(min_value=1, max_value=5))
    names = [f"r{i}" for i in range(count)]
    roles = [
        Role(
            name,
            inherits=[names[j] for j in sorted(draw(st.sets(st.integers(0, i - 1), max_size=2)))]
            if i
            else [],
        )
        for i, name in enumerate(names)
    ]
    grants = draw(st.lists(grants_of(names), max_size=8, unique=True))
    assignments = draw(st.lists(assignments_of(names), max_size=6, unique=True))
    static = []
    if count >= 2 and draw(st.booleans()):
        pair = draw(st.lists(st.sampled_from(names), min_size=2, max_size=2, unique=True))
        static.append(StaticSeparation("apart", pair))
    users = USERS if draw(st.booleans()) else ()
    try:
        return RoleMatrix(
            name="random",
            roles=roles,
            grants=grants,
            assignments=assignments,
            users=users,
            static_rules=static,
        )
    except InvalidDefinitionError:  # the drawn assignments break the static rule
        return RoleMatrix(name="random", roles=roles, grants=grants, assignments=assignments)


def grants_of(names: list[str]) -> st.SearchStrategy[Grant]:
    """An allow (with or without a limit) or a deny, for one of ``names``."""

    @st.composite
    def grant(draw: st.DrawFn) -> Grant:
        role = draw(st.sampled_from(names))
        action, resource = draw(st.sampled_from(KEYS))
        if draw(st.integers(0, 3)) == 0:
            return Grant(role, action, resource, effect=Effect.DENY)
        limit = draw(st.one_of(st.none(), st.integers(0, 100)))
        return Grant(role, action, resource, limit=limit)

    return grant()


def assignments_of(names: list[str]) -> st.SearchStrategy[Assignment]:
    """An assignment of one of ``names``, half of them with a validity window."""

    @st.composite
    def assignment(draw: st.DrawFn) -> Assignment:
        start = draw(st.one_of(st.none(), st.integers(0, 8)))
        length = draw(st.one_of(st.none(), st.integers(1, 8)))
        return Assignment(
            draw(st.sampled_from(USERS)),
            draw(st.sampled_from(names)),
            draw(st.sampled_from(SCOPES)),
            valid_from=None if start is None else hour(start),
            valid_until=None if length is None else hour((start or 0) + length),
        )

    return assignment()


def questions() -> Iterator[Question]:
    """Every combination of the users, pairs, scopes, instants and amounts asked about."""
    for user in ASKED_USERS:
        for action, resource in ASKED_KEYS:
            for scope in SCOPES:
                for at in INSTANTS:
                    for amount in AMOUNTS:
                        yield user, action, resource, scope, at, amount


def reference(m: RoleMatrix, q: Question) -> bool:
    """The rule, computed naively from the matrix's parts (no index, no cache)."""
    user, action, resource, scope, at, amount = q
    parents = {r.name: r.inherits for r in m.roles}
    roles: set[str] = set()
    for a in m.assignments:
        holds_here = scope == a.scope or scope.startswith(a.scope + "/")
        if a.user == user and holds_here and a.active(at):
            stack = [a.role]
            while stack:
                name = stack.pop()
                if name not in roles:
                    roles.add(name)
                    stack.extend(parents[name])
    allowed = False
    for g in m.grants:
        if g.role in roles and (g.action, g.resource) == (action, resource):
            if g.effect is Effect.DENY:
                return False
            if amount is None or g.limit is None or amount <= g.limit:
                allowed = True
    return allowed


def allows(m: RoleMatrix, q: Question) -> bool:
    """``m.allows`` for a question."""
    user, action, resource, scope, at, amount = q
    return m.allows(user, action, resource, scope=scope, at=at, amount=amount)


def check(m: RoleMatrix, q: Question) -> Decision:
    """``m.check`` for a question."""
    user, action, resource, scope, at, amount = q
    return m.check(user, action, resource, scope=scope, at=at, amount=amount)


def rebuilt(m: RoleMatrix) -> RoleMatrix:
    """A matrix built from scratch from ``m``'s parts."""
    return RoleMatrix(**{f.name: getattr(m, f.name) for f in attrs.fields(RoleMatrix) if f.init})


def everything(m: RoleMatrix) -> list[object]:
    """Every query's answer to every question (allows, check, who_can, review functions)."""
    out: list[object] = []
    for q in questions():
        user, action, resource, scope, at, amount = q
        out += [allows(m, q), check(m, q)]
        if user == USERS[0]:
            out.append(m.who_can(action, resource, scope=scope, at=at, amount=amount))
        if amount is None and (action, resource) == KEYS[0]:
            out += [m.roles_of(user, scope, at), m.permissions_of(user, scope, at)]
    for role in m.roles:
        out += [m.assigned_users(role.name), m.authorized_users(role.name)]
    out.append(m.users_with_roles())
    return out


# -- the allows cache --------------------------------------------------------------------------


@FAST
@given(matrices(), st.randoms(use_true_random=False))
def test_warm_and_cold_answers_equal_the_reference(m: RoleMatrix, rng: Any) -> None:
    """R-ROL-3, R-ROL-10: allows answers as the naive rule, in any order, cold or warm."""
    asked = list(questions())
    rng.shuffle(asked)  # the cache fills in a different order each time
    for q in asked:  # cold: first time each is asked
        assert allows(m, q) is reference(m, q), q
    for q in asked:  # warm: every one asked before, other instants and amounts among them
        assert allows(m, q) is reference(m, q), q
        assert check(m, q).allowed is allows(m, q), q


@FAST
@given(matrices())
def test_who_can_is_the_users_allows_lets_through_with_a_warm_cache(m: RoleMatrix) -> None:
    """R-ROL-8: who_can equals the users for whom a warm allows says yes, at every instant."""
    for q in questions():
        allows(m, q)
    for action, resource in ASKED_KEYS:
        for scope in SCOPES:
            for at in INSTANTS:
                for amount in AMOUNTS:
                    found = m.who_can(action, resource, scope=scope, at=at, amount=amount)
                    expected = {
                        u
                        for u in ASKED_USERS
                        if m.allows(u, action, resource, scope=scope, at=at, amount=amount)
                    }
                    assert found == expected


def test_a_cached_answer_still_weighs_the_instant_and_the_amount() -> None:
    """R-ROL-10, R-APV-5: once cached, a temporary, limited grant still ends and still caps."""
    m = RoleMatrix(
        name="emergency",
        roles=[Role("crisis-lead")],
        grants=[Grant("crisis-lead", "approve", "purchase", limit=1_000)],
        assignments=[Assignment("he", "crisis-lead", "c", valid_from=hour(0), valid_until=hour(6))],
    )
    ask = m.allows
    assert ask("he", "approve", "purchase", scope="c/a", at=hour(1), amount=500)  # now cached
    assert not ask("he", "approve", "purchase", scope="c/a", at=hour(6), amount=500)
    assert not ask("he", "approve", "purchase", scope="c/a", at=hour(-1), amount=500)
    assert not ask("he", "approve", "purchase", scope="c/a", at=hour(1), amount=1_001)
    assert ask("he", "approve", "purchase", scope="c/a", at=hour(5), amount=1_000)
    assert ask("he", "approve", "purchase", scope="c/a", at=hour(5))


def test_an_always_holding_deny_is_cached_as_a_plain_no() -> None:
    """R-ROL-8: a deny without a validity window wins at every instant and amount, warm or cold."""
    m = RoleMatrix(
        name="office",
        roles=[Role("head"), Role("probation")],
        grants=[
            Grant("head", "approve", "purchase"),
            Grant("probation", "approve", "purchase", effect=Effect.DENY),
        ],
        assignments=[
            Assignment("gao", "head", "c", valid_until=hour(6)),
            Assignment("gao", "probation", "c/a"),
        ],
    )
    for at in INSTANTS:
        for amount in AMOUNTS:
            assert not m.allows("gao", "approve", "purchase", scope="c/a", at=at, amount=amount)
            assert m.allows("gao", "approve", "purchase", scope="c", at=at, amount=amount) is (
                at < hour(6)
            )


def test_naive_instants_and_bad_scopes_are_refused_warm_or_cold() -> None:
    """R-ROL-3: a warm cache still refuses naive instants and malformed scopes, every time."""
    m = RoleMatrix(
        name="office",
        roles=[Role("clerk")],
        grants=[Grant("clerk", "read", "file")],
        assignments=[Assignment("li", "clerk", "c")],
    )
    assert m.allows("li", "read", "file", scope="c/a", at=T0)  # cached now
    for _ in range(2):
        with pytest.raises(NaiveDatetimeError):
            m.allows("li", "read", "file", scope="c/a", at=T0.replace(tzinfo=None))
        for scope in ("c//a", "", " c", "c/"):
            with pytest.raises(InvalidDefinitionError):
                m.allows("li", "read", "file", scope=scope, at=T0)
    assert all("//" not in key[3] and key[3] for key in m._index.answers)


def test_unknown_users_and_pairs_leave_the_cache_empty() -> None:
    """R-ROL-8: requests naming users without roles or pairs nobody is granted are not kept."""
    m = RoleMatrix(
        name="office",
        roles=[Role("clerk")],
        grants=[Grant("clerk", "read", "file")],
        assignments=[Assignment("li", "clerk", "c")],
    )
    for i in range(5_000):
        assert not m.allows(f"user-{i}", "read", "file", scope="c", at=T0)
        assert not m.allows("li", f"action-{i}", "file", scope="c", at=T0)
        assert not m.allows("li", "read", f"resource-{i}", scope="c", at=T0)
        assert not m.check("li", "read", f"resource-{i}", scope="c", at=T0)
    assert m._index.answers == {}
    assert m._index.reached == {"clerk": {}}


def test_the_cache_is_emptied_when_full_and_answers_stay_right() -> None:
    """R-ROL-3: 70,000 distinct request scopes never grow the cache past its bound."""
    m = RoleMatrix(
        name="office",
        roles=[Role("clerk")],
        grants=[Grant("clerk", "read", "file"), Grant("clerk", "read", "plan", limit=10)],
        assignments=[Assignment("li", "clerk", "c/a")],
    )
    answers = m._index.answers
    largest = 0
    for i in range(_matrix._ANSWERS_MAX + 5_000):
        scope = f"c/{'a' if i % 2 else 'b'}/s{i}"
        assert m.allows("li", "read", "file", scope=scope, at=T0) is (i % 2 == 1)
        largest = max(largest, len(answers))
    assert largest == _matrix._ANSWERS_MAX
    assert len(answers) <= _matrix._ANSWERS_MAX
    assert len(_matrix._GOOD_SCOPES) <= 65_537
    assert m.allows("li", "read", "plan", scope="c/a/s1", at=T0, amount=10)
    assert not m.allows("li", "read", "plan", scope="c/a/s1", at=T0, amount=11)


# -- derived matrices ----------------------------------------------------------------------------

Change = Callable[[RoleMatrix], RoleMatrix]


@dataclass(frozen=True)
class Step:
    """One administrative change to try: a label, the change, and what it asks to add."""

    label: str
    apply: Change
    adds: dict[str, list[Any]] = field(default_factory=dict)  # field -> its new list


@st.composite
def steps(draw: st.DrawFn, m: RoleMatrix) -> Step:
    """assign (new, repeated or of an unknown user), unassign, add_grant or remove_grant."""
    names = [r.name for r in m.roles]
    kind = draw(st.sampled_from(["assign", "assign", "unassign", "add_grant", "remove_grant"]))
    if kind == "unassign" and m.assignments:
        gone = draw(st.sampled_from(m.assignments))
        copy = attrs.evolve(gone)  # equal, not the same object

        def unassign(x: RoleMatrix) -> RoleMatrix:
            return x.unassign(copy, at=T0, actor="admin")[0]

        return Step(f"unassign {gone}", unassign)
    if kind == "remove_grant" and m.grants:
        old = draw(st.sampled_from(m.grants))

        def remove_grant(x: RoleMatrix) -> RoleMatrix:
            return x.remove_grant(old, at=T0, actor="admin")[0]

        return Step(f"remove_grant {old}", remove_grant)
    if kind == "add_grant":
        new = draw(grants_of(names))

        def add_grant(x: RoleMatrix) -> RoleMatrix:
            return x.add_grant(new, at=T0, actor="admin")[0]

        return Step(f"add_grant {new}", add_grant, {"grants": [*m.grants, new]})
    a = draw(st.one_of(assignments_of(names), st.sampled_from(m.assignments or [None])))
    if a is None:
        a = draw(assignments_of(names))
    if draw(st.integers(0, 5)) == 0:
        a = attrs.evolve(a, user="stranger")  # refused when the matrix lists its users

    def assign(x: RoleMatrix) -> RoleMatrix:
        return x.assign(a, at=T0, actor="admin")[0]

    return Step(f"assign {a}", assign, {"assignments": [*m.assignments, a]})


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_changed_matrices_answer_as_freshly_built_ones(data: st.DataObject) -> None:
    """R-ROL-1: after assign, unassign and grant changes, a warm matrix answers as a fresh one."""
    m = data.draw(matrices())
    for _ in range(data.draw(st.integers(1, 4))):
        before = everything(m)  # also warms m's caches before it is changed
        step = data.draw(steps(m))
        refused: GovkitError | None = None
        try:
            changed = step.apply(m)
        except GovkitError as error:
            refused = error
        if refused is not None:
            # Only additions are refused here (a repeat, an unknown user, a static
            # rule); the constructor refuses the same lists with the same error.
            assert step.adds, (step.label, refused)
            parts = {f.name: getattr(m, f.name) for f in attrs.fields(RoleMatrix) if f.init}
            with pytest.raises(type(refused)) as built:
                RoleMatrix(**{**parts, **step.adds})
            assert str(built.value) == str(refused)
            assert everything(m) == before
            continue
        fresh = rebuilt(changed)
        assert changed == fresh
        assert everything(changed) == everything(fresh), step.label
        assert everything(m) == before, "the change altered the matrix it came from"
        for q in questions():
            assert check(changed, q).allowed is allows(changed, q) is reference(changed, q), q
        m = changed


def test_unassign_takes_an_equal_assignment_and_keeps_the_order() -> None:
    """R-ROL-10: an emergency assignment ends through an equal copy; the rest keep their order."""
    emergency = Assignment("he", "lead", "c", reason="emergency")
    m = RoleMatrix(
        name="office",
        roles=[Role("lead"), Role("clerk")],
        grants=[Grant("lead", "approve", "purchase")],
        assignments=[
            Assignment("he", "clerk", "c"),
            emergency,
            Assignment("li", "clerk", "c"),
        ],
    )
    assert m.allows("he", "approve", "purchase", scope="c", at=T0)
    ended, _ = m.unassign(attrs.evolve(emergency), at=T0, actor="admin")
    assert ended.assignments == (Assignment("he", "clerk", "c"), Assignment("li", "clerk", "c"))
    assert not ended.allows("he", "approve", "purchase", scope="c", at=T0)
    assert m.allows("he", "approve", "purchase", scope="c", at=T0)
    with pytest.raises(UnknownNameError):
        ended.unassign(emergency, at=T0, actor="admin")


def test_check_names_the_earliest_assignment_after_assign_and_unassign() -> None:
    """R-ROL-4: with two roles allowing, check names the one assigned first, as a fresh build."""
    first = Assignment("li", "specialist", "c")
    m = RoleMatrix(
        name="office",
        roles=[Role("specialist"), Role("rnd"), Role("qc")],
        grants=[Grant(role, "read", "file") for role in ("specialist", "rnd", "qc")],
        assignments=[Assignment("li", "rnd", "c/a"), first],
    )

    def ask(x: RoleMatrix) -> Decision:
        return x.check("li", "read", "file", scope="c/a", at=T0)

    assert ask(m).assignment == Assignment("li", "rnd", "c/a")
    later, _ = m.assign(Assignment("li", "qc", "c/a"), at=T0, actor="admin")
    without, _ = later.unassign(Assignment("li", "rnd", "c/a"), at=T0, actor="admin")
    for changed, expected in ((later, Assignment("li", "rnd", "c/a")), (without, first)):
        assert ask(changed).assignment == expected
        assert ask(changed) == ask(rebuilt(changed))


def test_assign_and_unassign_give_equal_matrices_and_refuse_as_the_constructor() -> None:
    """R-ROL-9: incremental changes still check the static rules, users and repeats."""
    m = RoleMatrix(
        name="office",
        roles=[Role("author"), Role("senior", inherits=["author"]), Role("reviewer")],
        grants=[Grant("author", "write", "report"), Grant("reviewer", "review", "report")],
        assignments=[Assignment("li", "senior", "c")],
        users=["li", "wang"],
        static_rules=[StaticSeparation("double review", ["author", "reviewer"])],
    )
    refused = [
        Assignment("li", "reviewer", "c/a"),  # li holds author through senior
        Assignment("li", "senior", "c"),  # a repeat
        Assignment("tang", "author", "c"),  # not a known user
        Assignment("wang", "board", "c"),  # not a defined role
    ]
    for a in refused:
        with pytest.raises(InvalidDefinitionError) as incremental:
            m.assign(a, at=T0, actor="admin")
        parts = {f.name: getattr(m, f.name) for f in attrs.fields(RoleMatrix) if f.init}
        with pytest.raises(InvalidDefinitionError) as built:
            RoleMatrix(**{**parts, "assignments": [*m.assignments, a]})
        assert str(incremental.value) == str(built.value)
    added, _ = m.assign(Assignment("wang", "reviewer", "c"), at=T0, actor="admin")
    assert added == rebuilt(added)
    assert added.allows("wang", "review", "report", scope="c/a", at=T0)
    assert not m.allows("wang", "review", "report", scope="c/a", at=T0)
    removed, _ = added.unassign(Assignment("wang", "reviewer", "c"), at=T0, actor="admin")
    assert removed == m
    assert not removed.allows("wang", "review", "report", scope="c/a", at=T0)
    assert removed.users_with_roles() == {"li"}


# -- the fast Decision ---------------------------------------------------------------------------


def test_decision_has_nothing_the_fast_constructor_would_skip() -> None:
    """R-ROL-8: make_decision skips only what Decision lacks: validators, converters, hooks."""
    assert not hasattr(Decision, "__attrs_post_init__")
    for f in attrs.fields(Decision):
        assert f.validator is None
        assert f.converter is None


@given(
    st.booleans(),
    st.text(max_size=20),
    st.one_of(st.none(), st.just(Assignment("li", "clerk", "c"))),
    st.lists(st.sampled_from(["a", "b"]), max_size=3).map(tuple),
    st.one_of(st.none(), st.just(Grant("clerk", "read", "file"))),
)
def test_make_decision_equals_the_constructor(
    allowed: bool,
    reason: str,
    assignment: Assignment | None,
    chain: tuple[str, ...],
    grant: Grant | None,
) -> None:
    """R-ROL-8: check's fast Decision equals Decision(...): fields, eq, hash, repr, explain."""
    fast = make_decision(
        allowed=allowed, reason=reason, assignment=assignment, chain=chain, grant=grant
    )
    slow = Decision(allowed=allowed, reason=reason, assignment=assignment, chain=chain, grant=grant)
    assert type(fast) is Decision
    assert fast == slow
    assert hash(fast) == hash(slow)
    assert repr(fast) == repr(slow)
    assert fast.explain() == slow.explain()
    assert bool(fast) is allowed
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        fast.allowed = not allowed  # type: ignore[misc]  # frozen: the assignment must fail
