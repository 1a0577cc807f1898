"""Benchmark govkit.roles: allows/check latency, flat growth, who_can, build, memory, vs casbin.

Run from the repository root (``make bench`` runs it after the others)::

    .venv/bin/python benchmarks/bench_roles.py            # full run
    .venv/bin/python benchmarks/bench_roles.py --quick    # fewer calls and repetitions
    .venv/bin/python benchmarks/bench_roles.py --profile  # plus a cProfile of govkit

Method (the conventions of bench_calendar.py, helpers in _harness.py): every
call is timed on its own with ``time.perf_counter_ns`` after a warm-up; each
call gets a different request, drawn from a fixed-seed RNG; the rows compared
take turns in 50 rounds (10 with ``--quick``) so that drift in machine speed
hits them alike; the garbage collector is off while single calls are timed and
on for the build rows. Medians and 90th percentiles are per call, in
microseconds, harness included.

The matrix: 1,000 users in 10 departments (each with 4 teams below it), 100
roles in 4 levels whose inheritance is a DAG (some roles inherit two roles, so
many junior roles have several seniors), 50 resources x 5 actions, 5 grants
per role (1 in 50 of them a deny), every user holding 1-2 roles in a
department or one of its teams, 10 % of users also a role in a second
department, a few company-wide. The growth rows repeat the recipe with 400
roles and with 16,000 users.

``allows`` keeps, per matrix, what decides each (user, action, resource,
scope) it has been asked (up to 65,536 of them). The request generators ask
``allows`` about every request they keep, so the allowed, denied and growth
rows time requests asked once before, as a host's repeated questions are; the
"first ask" row times requests never asked before, on a freshly built matrix.
``check`` and ``who_can`` keep no answers.

The peer is pycasbin: ``casbin.FastEnforcer`` (a policy index keyed on the
request's object and action) when the installed version has it, else
``casbin.Enforcer``; both are timed when FastEnforcer exists, on an RBAC model
with domains made equivalent to the matrix (see CASBIN_MODEL and
``casbin_enforcer``). Before timing, casbin's answer is compared with govkit's
on every request either is timed on. Without casbin its rows say
"not installed". The script measures and prints; it never asserts. Results
are described in docs/performance.md.
"""

from __future__ import annotations

import gc
import random
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from govkit.roles import Assignment, Effect, Grant, Role, RoleMatrix
from govkit.roles._matrix import _ANSWERS_MAX as ANSWERS_MAX

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import (
    Checks,
    Contender,
    Row,
    Stats,
    Timing,
    dist_version,
    govkit_row,
    harness_floor,
    needed,
    optional_import,
    parse_arguments,
    peer_row,
    print_environment,
    print_footer,
    print_lines,
    print_profile,
    print_rows,
    print_table,
    show_ratio,
    speed_probe,
    time_interleaved,
    wait_for_load,
    yes_no,
)

SEED = 20240601
AT = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # every request is asked at this instant
ACTIONS = ("read", "create", "update", "approve", "delete")
ROOT = "company"
TEAMS_PER_DEPARTMENT = 4
LEVEL_SHARES = (0.4, 0.3, 0.2, 0.1)  # roles per level, most junior first
SECOND_JUNIOR = 0.3  # share of roles above level 0 that inherit a second role
DENY_SHARE = 0.02  # share of grants that deny
TWO_ROLES_AT_HOME = 0.3  # share of users with a second role in their own department
COMPANY_WIDE = 0.005  # share of users who also hold a role at the root scope
TIME_BOUNDED = 0.05  # share of assignments that end in 30-365 days (active at AT)
EXPIRED = 0.02  # users with one more assignment that expired before AT

BUILD_TARGET_MS = 150
WHO_CAN_TARGET_US = 100
MEMORY_TARGET = 5 * 1024 * 1024

casbin: Any = optional_import("casbin")
casbin_model: Any = optional_import("casbin.model")

# r = sub, obj, act, dom puts obj and act at the same positions (1, 2) in the
# request and the policy, which is what FastEnforcer's cache_key_order needs.
CASBIN_MODEL = """
[request_definition]
r = sub, obj, act, dom

[policy_definition]
p = sub, obj, act, eft

[role_definition]
g = _, _, _

[policy_effect]
e = some(where (p.eft == allow)) && !some(where (p.eft == deny))

[matchers]
m = r.obj == p.obj && r.act == p.act && g(r.sub, p.sub, r.dom)
"""
ANY_SCOPE = "*"  # the casbin domain that holds the role-to-role links


# -- settings ---------------------------------------------------------------------------


@dataclass(kw_only=True)
class Settings(Timing):
    build_reps: int  # repetitions of each build row
    plain_casbin: int  # requests per kind for casbin.Enforcer (slow: ~2-3 ms per call)


FULL = Settings(
    calls=20_000, warmup=200, rounds=50, budget_s=2.5, min_calls=50, build_reps=9, plain_casbin=800
)
QUICK = Settings(
    calls=3_000, warmup=50, rounds=10, budget_s=0.5, min_calls=10, build_reps=3, plain_casbin=150
)

ROWS: list[Row] = []
MEMORY: list[tuple[str, str, str, str]] = []  # (measure, value, target, met?)
CHECKS = Checks()
NOTES: list[str] = []


# -- the matrix ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Shape:
    users: int = 1_000
    departments: int = 10
    roles: int = 100
    resources: int = 50
    grants_per_role: int = 5
    second_department: float = 0.10  # share of users with a role in a second department

    def label(self) -> str:
        return f"{self.users:,} users, {self.roles} roles"


DEFAULT = Shape()
MORE_ROLES = Shape(roles=400)
MORE_USERS = Shape(users=16_000)
BOTH = Shape(users=16_000, roles=400)


@dataclass
class World:
    """A matrix's parts, the matrix, and what the request generators need to know."""

    shape: Shape
    roles: list[Role]
    grants: list[Grant]
    assignments: list[Assignment]
    users: list[str]
    departments: list[str]
    below: dict[str, list[str]]  # scope -> itself and every scope under it
    keys: list[tuple[str, str]]  # every (action, resource)
    matrix: RoleMatrix
    home: dict[str, str]  # user -> home department

    @property
    def scopes(self) -> list[str]:
        return self.below[ROOT]

    def active(self) -> list[Assignment]:
        return [a for a in self.assignments if a.active(AT)]


def role_graph(shape: Shape, rng: random.Random) -> list[Role]:
    """Roles in 4 levels; each above the lowest inherits one role of the level below, some two."""
    sizes = [round(shape.roles * share) for share in LEVEL_SHARES]
    sizes[0] += shape.roles - sum(sizes)
    levels: list[list[str]] = [
        [f"L{level}-{i:03d}" for i in range(size)] for level, size in enumerate(sizes)
    ]
    roles = [Role(name) for name in levels[0]]
    for level in range(1, len(levels)):
        for name in levels[level]:
            juniors = [rng.choice(levels[level - 1])]
            if rng.random() < SECOND_JUNIOR:
                pool = levels[level - 1] + (levels[level - 2] if level >= 2 else [])
                second = rng.choice(pool)
                if second not in juniors:
                    juniors.append(second)
            roles.append(Role(name, inherits=juniors))
    return roles


def make_world(shape: Shape, seed: int) -> World:
    """Build the parts and the matrix for ``shape``, deterministically from ``seed``."""
    rng = random.Random(seed)
    roles = role_graph(shape, rng)
    resources = [f"resource-{i:02d}" for i in range(shape.resources)]
    keys = [(action, resource) for resource in resources for action in ACTIONS]
    grants = []
    for role in roles:
        for action, resource in rng.sample(keys, shape.grants_per_role):
            effect = Effect.DENY if rng.random() < DENY_SHARE else Effect.ALLOW
            grants.append(Grant(role.name, action, resource, effect=effect))
    departments = [f"{ROOT}/dept-{d:02d}" for d in range(shape.departments)]
    below: dict[str, list[str]] = {ROOT: [ROOT]}
    for dept in departments:
        teams = [f"{dept}/team-{t}" for t in range(TEAMS_PER_DEPARTMENT)]
        below[dept] = [dept, *teams]
        below[ROOT] += below[dept]
        for team in teams:
            below[team] = [team]
    names = [role.name for role in roles]
    users = [f"u{i:05d}" for i in range(shape.users)]
    home = {user: rng.choice(departments) for user in users}
    second = set(rng.sample(users, round(shape.users * shape.second_department)))
    assignments = []

    given: set[tuple[str, str, str]] = set()  # (user, role, scope): a matrix refuses repeats

    def assign(user: str, dept: str) -> None:
        scope = rng.choice(below[dept])  # the department (1 in 5) or one of its teams
        role = rng.choice(names)
        while (user, role, scope) in given:
            role = rng.choice(names)
        given.add((user, role, scope))
        until = None
        if rng.random() < TIME_BOUNDED:
            until = AT + timedelta(days=rng.randint(30, 365))
        assignments.append(Assignment(user, role, scope, valid_until=until))

    for user in users:
        assign(user, home[user])
        if rng.random() < TWO_ROLES_AT_HOME:
            assign(user, home[user])
        if user in second:
            assign(user, rng.choice([d for d in departments if d != home[user]]))
        if rng.random() < COMPANY_WIDE:
            assignments.append(Assignment(user, rng.choice(names), ROOT))
        if rng.random() < EXPIRED:
            ended = AT - timedelta(days=rng.randint(1, 365))
            assignments.append(
                Assignment(
                    user,
                    rng.choice(names),
                    home[user],
                    valid_from=ended - timedelta(days=90),
                    valid_until=ended,
                )
            )
    matrix = build_matrix(roles, grants, assignments, users)
    return World(shape, roles, grants, assignments, users, departments, below, keys, matrix, home)


def build_matrix(
    roles: Sequence[Role], grants: Sequence[Grant], assignments: Sequence[Assignment], users: Any
) -> RoleMatrix:
    return RoleMatrix(
        name="bench", roles=roles, grants=grants, assignments=assignments, users=users
    )


def describe(world: World) -> str:
    roles = world.roles
    by_level = [sum(r.name.startswith(f"L{k}-") for r in roles) for k in range(4)]
    seniors: dict[str, int] = {}
    for role in roles:
        for junior in role.inherits:
            seniors[junior] = seniors.get(junior, 0) + 1
    two = sum(len(r.inherits) == 2 for r in roles)
    many = sum(n >= 2 for n in seniors.values())
    closure = [len(world.matrix.inherited_roles(r.name)) for r in roles]
    denies = sum(g.effect is Effect.DENY for g in world.grants)
    active = world.active()
    depts: dict[str, set[str]] = {}
    for a in active:
        if a.scope != ROOT:
            depts.setdefault(a.user, set()).add("/".join(a.scope.split("/")[:2]))
    two_depts = sum(len(d) >= 2 for d in depts.values())
    return (
        f"{world.shape.label()}: roles per level {by_level} (junior first), "
        f"{sum(len(r.inherits) for r in roles)} inheritance links, {two} roles inherit two, "
        f"{many} roles are inherited by two or more; a role reaches {min(closure)}-"
        f"{max(closure)} roles (mean {sum(closure) / len(closure):.1f}) with itself; "
        f"{len(world.keys)} (action, resource) pairs, {len(world.grants):,} grants "
        f"({denies} deny); {len(world.assignments):,} assignments "
        f"({len(world.assignments) - len(active)} expired at AT, "
        f"{sum(a.valid_until is not None for a in active)} active with an end date, "
        f"{sum(a.scope == ROOT for a in active)} company-wide), "
        f"{two_depts / world.shape.users:.1%} of users with roles in two departments; "
        f"{len(world.scopes)} scopes"
    )


# -- requests ----------------------------------------------------------------------------

Request = tuple[str, str, str, str]  # user, action, resource, scope


def allowed_requests(world: World, rng: random.Random, count: int) -> list[Request]:
    """A granted (action, resource) asked by a holder, at its scope or one under it."""
    matrix = world.matrix
    active = world.active()
    granted = {
        r.name: sorted((p.action, p.resource) for p in matrix.role_permissions(r.name))
        for r in world.roles
    }
    out: list[Request] = []
    while len(out) < count:
        a = rng.choice(active)
        if not granted[a.role]:
            continue
        action, resource = rng.choice(granted[a.role])
        request = (a.user, action, resource, rng.choice(world.below[a.scope]))
        if matrix.allows(*request[:3], scope=request[3], at=AT):  # a deny may still win
            out.append(request)
    return out


def denied_requests(world: World, rng: random.Random, count: int) -> list[Request]:
    """3 in 4: a random (action, resource) in the user's own department or team;
    1 in 4: something one of the user's roles grants, asked in another department."""
    matrix = world.matrix
    active = [a for a in world.active() if a.scope != ROOT]
    out: list[Request] = []
    while len(out) < count:
        if rng.random() < 0.75:
            user = rng.choice(world.users)
            action, resource = rng.choice(world.keys)
            scope = rng.choice(world.below[world.home[user]])
        else:
            a = rng.choice(active)
            perms = sorted((p.action, p.resource) for p in matrix.role_permissions(a.role))
            if not perms:
                continue
            user = a.user
            action, resource = rng.choice(perms)
            here = "/".join(a.scope.split("/")[:2])
            scope = rng.choice(world.below[rng.choice([d for d in world.departments if d != here])])
        if not matrix.allows(user, action, resource, scope=scope, at=AT):
            out.append((user, action, resource, scope))
    return out


def mixed_requests(world: World, rng: random.Random, count: int) -> list[Request]:
    """Half allowed, half denied, shuffled."""
    half = count // 2
    requests = allowed_requests(world, rng, half) + denied_requests(world, rng, count - half)
    rng.shuffle(requests)
    return requests


def as_called(fn: Callable[..., object]) -> Callable[[str, str, str, str], object]:
    """``fn`` called the way a host calls it: ``fn(user, action, resource, scope=s, at=now)``.

    The wrapper's own cost is in the "harness floor" row of each group: the
    same wrapper around a function that does nothing.
    """

    def call(user: str, action: str, resource: str, scope: str, fn: Any = fn, at: Any = AT) -> Any:
        return fn(user, action, resource, scope=scope, at=at)

    return call


def as_called_who(fn: Callable[..., object]) -> Callable[[str, str, str], object]:
    """``fn(action, resource, scope=s, at=now)``, as for who_can."""

    def call(action: str, resource: str, scope: str, fn: Any = fn, at: Any = AT) -> Any:
        return fn(action, resource, scope=scope, at=at)

    return call


def nothing(*args: object, scope: str, at: datetime) -> None:
    """A no-op with the signature of allows/check/who_can, for the harness floor rows."""
    return None


def floor_row(operation: str, stats: Stats) -> Row:
    return Row(operation, "(harness)", stats, target="(info; inside the rows above)")


def classify(reason: str) -> str:
    """The kind of a denial, from check()'s reason."""
    for marker, kind in (
        ("holds roles only in", "no role held in that scope"),
        ("no grant of", "no role held there grants it"),
        ("a deny grant", "a deny grant wins"),
        ("holds no role", "user holds no role"),
        ("the assignment that would allow it", "the assignment has expired"),
    ):
        if marker in reason:
            return kind
    return "other: " + reason


# -- casbin --------------------------------------------------------------------------------


def scope_covers(requested: str, stored: str) -> bool:
    """casbin domain matching: links stored under ``stored`` hold in ``requested``.

    The same rule as govkit's scopes (segment by segment), plus ANY_SCOPE, under
    which the role-to-role links are stored once for every domain.
    """
    return stored == ANY_SCOPE or requested == stored or requested.startswith(stored + "/")


def casbin_enforcer(world: World, *, fast: bool) -> Any:
    """An enforcer whose answers are the matrix's at AT (expired assignments left out)."""
    if fast:
        model = casbin_model.FastModel([1, 2])
        model.load_model_from_text(CASBIN_MODEL)
        enforcer = casbin.FastEnforcer(model, cache_key_order=[1, 2])
    else:
        model = casbin_model.Model()
        model.load_model_from_text(CASBIN_MODEL)
        enforcer = casbin.Enforcer(model)
    enforcer.add_named_domain_matching_func("g", scope_covers)
    enforcer.add_policies([[g.role, g.resource, g.action, g.effect.value] for g in world.grants])
    links = [[r.name, junior, ANY_SCOPE] for r in world.roles for junior in r.inherits]
    holds = [[a.user, a.role, a.scope] for a in world.active()]
    enforcer.add_grouping_policies(links + holds)
    return enforcer


def casbin_args(requests: Sequence[Request]) -> list[tuple[str, str, str, str]]:
    return [(user, resource, action, scope) for user, action, resource, scope in requests]


# -- the benchmark groups ------------------------------------------------------------------


def bench_decisions(settings: Settings, rng: random.Random, world: World) -> None:
    """allows and check on allowed and denied requests; casbin on the same requests."""
    matrix = world.matrix
    n = needed(settings)
    allowed = allowed_requests(world, rng, n)
    denied = denied_requests(world, rng, n)
    CHECKS.compare(
        "govkit check(...).allowed == allows(...), every request timed below",
        (
            (q, matrix.check(q[0], q[1], q[2], scope=q[3], at=AT).allowed, want)
            for requests, want in ((allowed, True), (denied, False))
            for q in requests
        ),
        other="expected",
    )
    # First asks: each request once, on a matrix that has answered nothing yet.
    first = list(dict.fromkeys(q for pair in zip(allowed, denied, strict=True) for q in pair))
    fresh = build_matrix(world.roles, world.grants, world.assignments, world.users)
    unasked = build_matrix(world.roles, world.grants, world.assignments, world.users)
    CHECKS.compare(
        "govkit allows on a fresh matrix (first asks) == allows on the timed matrix",
        (
            (q, unasked.allows(*q[:3], scope=q[3], at=AT), matrix.allows(*q[:3], scope=q[3], at=AT))
            for q in first
        ),
        other="timed matrix",
    )
    contenders = [
        Contender(as_called(matrix.allows), allowed),
        Contender(as_called(matrix.allows), denied),
        Contender(as_called(matrix.check), allowed),
        Contender(as_called(matrix.check), denied),
        Contender(as_called(nothing), allowed),
        Contender(as_called(fresh.allows), first),
    ]
    kinds = ("allowed", "denied")
    peers: list[tuple[str, Contender, int]] = []  # (library, contender, index of kind)
    fast_name = "casbin FastEnforcer.enforce" if hasattr(casbin, "FastEnforcer") else ""
    if casbin is not None:
        main_name = fast_name or "casbin Enforcer.enforce"
        enforcer = casbin_enforcer(world, fast=bool(fast_name))
        for k, requests in enumerate((allowed, denied)):
            args = casbin_args(requests)
            CHECKS.compare(
                f"{main_name} == govkit allows, every {kinds[k]} request timed below",
                ((q, k == 0, enforcer.enforce(*c)) for q, c in zip(requests, args, strict=True)),
            )
            peers.append((main_name, Contender(enforcer.enforce, args, warmup=50), k))
        if fast_name:
            plain = casbin_enforcer(world, fast=False)
            m = settings.plain_casbin
            for k, requests in enumerate((allowed, denied)):
                args = casbin_args(requests[:m])
                CHECKS.compare(
                    f"casbin Enforcer.enforce == govkit allows, every {kinds[k]} request it "
                    f"is timed on (the first {m})",
                    (
                        (q, k == 0, plain.enforce(*c))
                        for q, c in zip(requests[:m], args, strict=True)
                    ),
                )
                peers.append(
                    (
                        "casbin Enforcer.enforce (no index)",
                        Contender(plain.enforce, args, warmup=10),
                        k,
                    )
                )
    else:
        CHECKS.skipped("casbin")
    stats = time_interleaved(contenders + [c for _, c, _ in peers], settings)
    mine, theirs = stats[: len(contenders)], stats[len(contenders) :]
    for k, kind in enumerate(kinds):
        op = f"allows(), {kind} requests"
        ROWS.append(govkit_row(op, mine[k], target_us=1))
        if casbin is None:
            ROWS.append(peer_row(op, "casbin", None, mine[k], min_ratio=200))
            continue
        for (library, _, kk), st in zip(peers, theirs, strict=True):
            if kk == k:
                target = 200 if library == (fast_name or "casbin Enforcer.enforce") else None
                ROWS.append(peer_row(op, library, st, mine[k], min_ratio=target))
    ROWS.append(
        govkit_row(
            "allows(), first ask of each request (empty cache), half allowed, half denied",
            mine[5],
            target="(info)",
        )
    )
    for k, kind in enumerate(kinds):
        ROWS.append(govkit_row(f"check() -> Decision, {kind} requests", mine[2 + k], target_us=5))
    ROWS.append(floor_row("wrapper as above around a no-op (harness floor of these rows)", mine[4]))
    reasons: dict[str, int] = {}
    for q in denied:
        kind = classify(matrix.check(q[0], q[1], q[2], scope=q[3], at=AT).reason)
        reasons[kind] = reasons.get(kind, 0) + 1
    NOTES.append(
        f"allowed requests: {len(allowed):,} (a holder asks for something its role grants, at "
        f"the assignment's scope or below); denied requests: {len(denied):,}, by check()'s "
        f"reason: "
        + ", ".join(f"{k} {v:,}" for k, v in sorted(reasons.items(), key=lambda x: -x[1]))
    )


def bench_growth(settings: Settings, rng: random.Random, worlds: dict[Shape, World]) -> None:
    """allows on mixed requests for the default shape, 400 roles, 16,000 users, and both."""
    n = needed(settings)
    contenders = []
    for world in worlds.values():
        contenders.append(Contender(as_called(world.matrix.allows), mixed_requests(world, rng, n)))
    stats = time_interleaved(contenders, settings)
    shapes = list(worlds)
    ref = stats[0]
    for shape, st in zip(shapes, stats, strict=True):
        op = f"allows(), half allowed, half denied, {shape.label()}"
        if shape == DEFAULT:
            ROWS.append(govkit_row(op, st, target="(reference for the next rows)"))
            continue
        factor = st.median_us / ref.median_us
        row = Row(op, "govkit", st, ratio=show_ratio(factor))
        if shape == BOTH:
            row.target = "(info)"
        else:
            row.target = "<= 1.5x the default shape"
            row.met = yes_no(factor <= 1.5)
        ROWS.append(row)


def bench_who_can(settings: Settings, rng: random.Random, worlds: Sequence[World]) -> None:
    """who_can on a granted (action, resource) in a random scope; checked by brute force."""
    contenders = []
    for world in worlds:
        matrix = world.matrix
        granted = sorted(
            {(p.action, p.resource) for r in world.roles for p in matrix.role_permissions(r.name)}
        )
        inputs = [(*rng.choice(granted), rng.choice(world.scopes)) for _ in range(needed(settings))]
        sample = inputs[:: max(1, len(inputs) // 200)]
        CHECKS.compare(
            f"govkit who_can(...) == users for whom allows(...) holds, {world.shape.label()}, "
            f"{len(sample)} requests",
            (
                (
                    q,
                    matrix.who_can(q[0], q[1], scope=q[2], at=AT),
                    frozenset(
                        u for u in world.users if matrix.allows(u, *q[:2], scope=q[2], at=AT)
                    ),
                )
                for q in sample
            ),
            other="brute force",
        )
        sizes = [len(matrix.who_can(a, r, scope=s, at=AT)) for a, r, s in sample]
        NOTES.append(
            f"who_can, {world.shape.label()}: {len(granted)} granted pairs, scope uniform over "
            f"{len(world.scopes)} scopes; answers hold {min(sizes)}-{max(sizes)} users "
            f"(mean {sum(sizes) / len(sizes):.1f})"
        )
        contenders.append(Contender(as_called_who(matrix.who_can), inputs))
        floor_inputs = inputs
    if casbin is not None and hasattr(casbin, "FastEnforcer"):
        world = worlds[0]
        enforcer = casbin_enforcer(world, fast=True)
        matrix = world.matrix
        granted = sorted(
            {(p.action, p.resource) for r in world.roles for p in matrix.role_permissions(r.name)}
        )
        sample = [(*rng.choice(granted), rng.choice(world.scopes)) for _ in range(8)]
        CHECKS.compare(
            f"casbin FastEnforcer: users u with enforce(u, ...) == govkit who_can(...), "
            f"{world.shape.label()}, {len(sample)} requests",
            (
                (
                    q,
                    matrix.who_can(q[0], q[1], scope=q[2], at=AT),
                    frozenset(u for u in world.users if enforcer.enforce(u, q[1], q[0], q[2])),
                )
                for q in sample
            ),
        )
    contenders.append(Contender(as_called_who(nothing), floor_inputs))
    stats = time_interleaved(contenders, settings)
    for world, st in zip(worlds, stats[:-1], strict=True):
        op = f"who_can(action, resource), {world.shape.label()}"
        if world.shape == DEFAULT:
            ROWS.append(govkit_row(op, st, target_us=WHO_CAN_TARGET_US))
        else:
            ROWS.append(govkit_row(op, st, target="(info)"))
    ROWS.append(
        floor_row("wrapper as above around a no-op (harness floor of these rows)", stats[-1])
    )


def bench_changes(
    world: World,
    contenders: list[Contender],
    labels: list[tuple[str, str, float | None]],
    inputs: list[tuple[Any, ...]],
) -> None:
    """Add assign and unassign of one assignment on ``world``'s matrix to the build rows.

    Before timing, each new matrix is checked against one built from its parts.
    """
    held = {(a.user, a.role, a.scope) for a in world.assignments}
    user = world.users[0]
    role = next(r.name for r in world.roles if (user, r.name, ROOT) not in held)
    added = Assignment(user, role, ROOT)
    removed = world.assignments[len(world.assignments) // 2]
    matrix = world.matrix

    def assign() -> RoleMatrix:
        return matrix.assign(added, at=AT, actor="bench")[0]

    def unassign() -> RoleMatrix:
        return matrix.unassign(removed, at=AT, actor="bench")[0]

    sample = mixed_requests(world, random.Random(SEED), 2_000)
    for label, change in (
        ("assign(...) one more assignment", assign),
        ("unassign(...) one assignment", unassign),
    ):
        changed = change()
        rebuilt = build_matrix(changed.roles, changed.grants, changed.assignments, changed.users)
        CHECKS.compare(
            f"govkit {label}, {world.shape.label()}: the new matrix == one built from its "
            f"parts, and allows agrees on {len(sample):,} requests",
            [(("matrix",), changed, rebuilt)]
            + [
                (
                    q,
                    changed.allows(*q[:3], scope=q[3], at=AT),
                    rebuilt.allows(*q[:3], scope=q[3], at=AT),
                )
                for q in sample
            ],
            other="rebuilt",
        )
        contenders.append(Contender(change, inputs))
        labels.append((f"{label}, {world.shape.label()} (new matrix + event)", "govkit", None))


def bench_build(settings: Settings, worlds: Sequence[World]) -> None:
    """RoleMatrix construction from prebuilt parts; the parts too, and casbin's, for info."""
    reps = settings.build_reps
    build_settings = Settings(calls=reps, warmup=1, rounds=reps, build_reps=reps, plain_casbin=0)
    inputs: list[tuple[Any, ...]] = [()] * (reps + 1)
    contenders = []
    labels: list[tuple[str, str, float | None]] = []  # (operation, library, target in us)
    for world in worlds:
        parts = (world.roles, world.grants, world.assignments, world.users)
        contenders.append(Contender(lambda parts=parts: build_matrix(*parts), inputs))
        big = world.shape.users > DEFAULT.users
        labels.append(
            (
                f"build RoleMatrix, {world.shape.label()} (parts built before)",
                "govkit",
                BUILD_TARGET_MS * 1000 if big else None,
            )
        )
    big = worlds[-1]
    records = [(a.user, a.role, a.scope, a.valid_from, a.valid_until) for a in big.assignments]

    def from_records() -> None:
        assignments = [
            Assignment(u, r, s, valid_from=f, valid_until=t) for u, r, s, f, t in records
        ]
        build_matrix(big.roles, big.grants, assignments, big.users)

    contenders.append(Contender(from_records, inputs))
    labels.append((f"build Assignment objects + RoleMatrix, {big.shape.label()}", "govkit", None))
    bench_changes(worlds[-1], contenders, labels, inputs)
    if casbin is not None:
        world = worlds[0]
        fast = hasattr(casbin, "FastEnforcer")
        contenders.append(Contender(lambda: casbin_enforcer(world, fast=fast), inputs))
        library = "casbin FastEnforcer" if fast else "casbin Enforcer"
        labels.append((f"build enforcer + policy, {world.shape.label()} (lazy)", library, None))
    stats = time_interleaved(contenders, build_settings, disable_gc=False)
    for (op, library, target_us), st in zip(labels, stats, strict=True):
        row = govkit_row(op, st, target_us=target_us, target="(info)")
        row.library = library
        row.ratio = ""
        if target_us is not None:
            row.target = f"median <= {BUILD_TARGET_MS} ms"
        ROWS.append(row)


def traced(make: Callable[[], object]) -> tuple[object, int, int]:
    """Build something under tracemalloc: (it, bytes retained, peak bytes during the build)."""
    gc.collect()
    tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    made = make()
    gc.collect()
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return made, current - base, peak - base


def mib(n: int) -> str:
    return f"{n / 1024 / 1024:,.2f} MiB"


def bench_memory(worlds: Sequence[World], checked: RoleMatrix) -> None:
    """Traced size of a matrix built from parts that exist before tracing."""
    for world in worlds:
        parts = (world.roles, world.grants, world.assignments, world.users)
        built, kept, peak = traced(lambda parts=parts: build_matrix(*parts))
        label = world.shape.label()
        if world.shape == DEFAULT:
            MEMORY.append(
                (
                    f"RoleMatrix, {label}: traced bytes kept after construction "
                    f"(roles, grants, assignments built before tracing)",
                    mib(kept),
                    "<= 5 MiB",
                    yes_no(kept <= MEMORY_TARGET),
                )
            )
            MEMORY.append(("  peak while constructing it", mib(peak), "(info)", ""))
        else:
            MEMORY.append((f"RoleMatrix, {label}: the same", mib(kept), "(info)", ""))
        del built
    world = worlds[0]

    def parts() -> object:
        rebuilt = make_world(DEFAULT, SEED)
        return rebuilt.roles, rebuilt.grants, rebuilt.assignments

    made, kept, _ = traced(parts)
    del made
    MEMORY.append(
        (
            f"  for comparison: the parts of {world.shape.label()} (Role, Grant and "
            f"Assignment objects, user ids)",
            mib(kept),
            "(info)",
            "",
        )
    )
    reached = checked._index.reached
    MEMORY.append(
        (
            "  check() path memo of the timed matrix after the run (_index.reached): entries",
            f"{sum(len(paths) for paths in reached.values()):,}",
            "(info)",
            "",
        )
    )
    MEMORY.append(
        (
            "  allows() cache of the timed matrix after the run (_index.answers): entries",
            f"{len(checked._index.answers):,}",
            "(info)",
            "",
        )
    )

    def full_cache() -> object:
        matrix = build_matrix(world.roles, world.grants, world.assignments, world.users)
        rng = random.Random(SEED)
        answers = matrix._index.answers
        while len(answers) < ANSWERS_MAX:
            user, (action, resource) = rng.choice(world.users), rng.choice(world.keys)
            matrix.allows(user, action, resource, scope=rng.choice(world.scopes), at=AT)
        return matrix

    made, kept, _ = traced(full_cache)
    del made
    MEMORY.append(
        (
            f"  the matrix with a full allows() cache ({ANSWERS_MAX:,} entries, its bound)",
            mib(kept),
            "(info)",
            "",
        )
    )
    if casbin is not None:
        fast = hasattr(casbin, "FastEnforcer")

        def warmed() -> object:
            enforcer = casbin_enforcer(world, fast=fast)
            for scope in world.scopes:
                enforcer.enforce(world.users[0], "resource-00", "read", scope)
            return enforcer

        made, kept, _ = traced(warmed)
        del made
        library = "casbin FastEnforcer" if fast else "casbin Enforcer"
        MEMORY.append(
            (
                f"{library}, {world.shape.label()}: traced bytes after build and one "
                f"enforce per scope",
                mib(kept),
                "(info)",
                "",
            )
        )


def profile(settings: Settings, rng: random.Random, world: World) -> None:
    """cProfile of allows, check and who_can on the default shape."""
    import cProfile

    matrix = world.matrix
    n = settings.calls
    allowed = allowed_requests(world, rng, n)
    denied = denied_requests(world, rng, n)
    granted = sorted(
        {(p.action, p.resource) for r in world.roles for p in matrix.role_permissions(r.name)}
    )
    who = [(*rng.choice(granted), rng.choice(world.scopes)) for _ in range(n // 10)]
    cases: list[tuple[str, int, Callable[[], object]]] = [
        (
            "allows, allowed",
            n,
            lambda: [matrix.allows(u, a, r, scope=s, at=AT) for u, a, r, s in allowed],
        ),
        (
            "allows, denied",
            n,
            lambda: [matrix.allows(u, a, r, scope=s, at=AT) for u, a, r, s in denied],
        ),
        (
            "check, allowed",
            n,
            lambda: [matrix.check(u, a, r, scope=s, at=AT) for u, a, r, s in allowed],
        ),
        (
            "check, denied",
            n,
            lambda: [matrix.check(u, a, r, scope=s, at=AT) for u, a, r, s in denied],
        ),
        ("who_can", len(who), lambda: [matrix.who_can(a, r, scope=s, at=AT) for a, r, s in who]),
    ]
    print("cProfile (its own overhead inflates every entry; use it for proportions):")
    for label, calls, run in cases:
        profiler = cProfile.Profile()
        profiler.runcall(run)
        print(f"== {calls:,} x {label}")
        print_profile(profiler, calls, top=8)
    print()
    print(
        "Median cost of the steps (no profiler), the same requests half allowed, half denied; "
        "uses private helpers and must change with the code:"
    )
    for label, median in step_costs(settings, matrix, allowed[: n // 2] + denied[: n // 2], who):
        print(f"  {median:8.2f} us  {label}" if median == median else f"              {label}")


def step_costs(
    settings: Settings,
    matrix: RoleMatrix,
    requests: list[Request],
    who: list[tuple[str, str, str]],
) -> list[tuple[str, float]]:
    """Median cost of the parts of allows, check and who_can."""
    from govkit._time import require_aware
    from govkit.roles import Decision
    from govkit.roles._decision import make_decision
    from govkit.roles._matrix import _GOOD_SCOPES

    random.Random(SEED).shuffle(requests)
    index = matrix._index
    by_user = index.by_user
    answers = index.answers

    def slot_pass(u: str, a: str, r: str, s: str) -> object:
        """check's pass over the user's assignments, with the grant paths of those that count."""
        key = (a, r)
        for perms, assigned, prefix, valid_from, valid_until, x in by_user.get(u, ()):
            if key not in perms or (s != assigned and not s.startswith(prefix)):
                continue
            if (valid_from is not None and valid_from > AT) or (
                valid_until is not None and valid_until <= AT
            ):
                continue
            matrix._grants_reached(x.role, a, r)
        return None

    def fast_decision(u: str, a: str, r: str, s: str) -> object:
        return make_decision(allowed=True, reason=f"{u} may {a} {r} in {s}", chain=(r,))

    def decision(u: str, a: str, r: str, s: str) -> object:
        return Decision(allowed=True, reason=f"{u} may {a} {r} in {s}", chain=(r,))

    def why_not(u: str, a: str, r: str, s: str) -> object:
        return matrix._why_not(u, a, r, s, AT, by_user.get(u, ()))

    def candidates(a: str, r: str, s: str) -> object:
        return {
            x.user for role in index.granted_to.get((a, r), ()) for x in index.users_of_role[role]
        }

    four: list[tuple[str, Callable[..., object]]] = [
        ("lambda u, a, r, s: None (floor for the steps below)", lambda u, a, r, s: None),
        ("allows(...), all of it, through as_called", as_called(matrix.allows)),
        ("  at.tzinfo is None", lambda u, a, r, s: AT.tzinfo is None),
        (
            "  _index.answers.get((user, action, resource, scope)) (asked before: a hit)",
            lambda u, a, r, s: answers.get((u, a, r, s)),
        ),
        ("check(...), all of it, through as_called", as_called(matrix.check)),
        ("  scope in _GOOD_SCOPES (scopes already checked)", lambda u, a, r, s: s in _GOOD_SCOPES),
        ("  require_aware(at)", lambda u, a, r, s: require_aware(AT, "at")),
        ("  one pass over the user's assignments, with grant paths (memo)", slot_pass),
        ("  make_decision(allowed=True, reason=f'...', chain=...)", fast_decision),
        ("  (for comparison) Decision(allowed=True, reason=f'...', chain=...)", decision),
        ("  _why_not(...): the denial's reason (on allowed requests too)", why_not),
    ]
    three: list[tuple[str, Callable[..., object]]] = [
        ("who_can(...), all of it, through as_called_who", as_called_who(matrix.who_can)),
        ("  candidate users (granted_to x users_of_role), as a set", candidates),
    ]
    steps = Settings(calls=len(who) - 100, warmup=100, rounds=20, build_reps=0, plain_casbin=0)
    single = Settings(
        calls=len(requests) - 200, warmup=200, rounds=20, build_reps=0, plain_casbin=0
    )
    out = []
    stats = time_interleaved([Contender(fn, requests) for _, fn in four], single)
    out += [(label, st.median_us) for (label, _), st in zip(four, stats, strict=True)]
    stats = time_interleaved([Contender(fn, who) for _, fn in three], steps)
    out += [(label, st.median_us) for (label, _), st in zip(three, stats, strict=True)]
    sizes = sorted(len(candidates(*q)) for q in who)
    out.append(
        (
            f"  (candidate users per who_can call: median {sizes[len(sizes) // 2]}, "
            f"max {sizes[-1]}; each costs one pass over its assignments, as allows makes uncached)",
            float("nan"),
        )
    )
    return out


# -- main ---------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_arguments(
        __doc__,
        argv,
        quick="fewer calls and repetitions",
        profile="also print a cProfile of allows, check, who_can",
    )
    settings = QUICK if args.quick else FULL

    load = wait_for_load(args.max_load)
    started = time.perf_counter()
    rng = random.Random(SEED)
    print_environment("govkit.roles benchmark", ("govkit", "attrs", "casbin", "simpleeval"))
    worlds = {
        shape: make_world(shape, SEED + i)
        for i, shape in enumerate((DEFAULT, MORE_ROLES, MORE_USERS, BOTH))
    }
    for world in worlds.values():
        print(f"matrix    {describe(world)}")
    if casbin is None:
        print("casbin    not installed")
    else:
        which = "FastEnforcer" if hasattr(casbin, "FastEnforcer") else "Enforcer"
        print(
            f"casbin    {which} {dist_version('casbin')}: RBAC with domains, "
            f"r = sub, obj, act, dom; p = sub, obj, act, eft; g = _, _, _; allow unless a "
            f"deny matches; domain matching function = govkit's scope rule, role links "
            f"under '{ANY_SCOPE}', assignments active at AT only"
        )
    floor = harness_floor(settings)
    print(
        f"mode      {'--quick' if args.quick else 'full'}: up to {settings.calls:,} timed "
        f"calls per row in {settings.rounds} interleaved rounds (a row stops after "
        f"~{settings.budget_s:g} s, at least {settings.min_calls} calls), "
        f"{settings.warmup} warm-up calls; {settings.build_reps} repetitions per build row"
    )
    print(load)
    print(f"speed probe (fixed 100k-iteration Python loop) at start: {speed_probe()}")
    print(
        f"harness floor (timing a no-op call): median {floor.median_us:.3f} us, "
        f"p90 {floor.p90_us:.3f} us; included in every number below"
    )
    print()

    default, users = worlds[DEFAULT], worlds[MORE_USERS]
    bench_decisions(settings, rng, default)
    bench_growth(settings, rng, worlds)
    del worlds  # the 400-role matrices are not needed any more
    bench_who_can(settings, rng, [default, users])
    bench_build(settings, [default, users])
    bench_memory([default, users], default.matrix)

    print_lines(
        "Agreement checks (before timing; casbin answers vs govkit on the timed requests):", CHECKS
    )
    print_lines("Inputs:", NOTES)
    print_rows(ROWS)
    print()
    print_table(("memory", "value", "target", "met?"), MEMORY, {1})
    print()
    print(
        "ratio vs govkit = peer median / govkit median on the same requests (the govkit "
        "row above it); for the growth rows, median / the default shape's median."
    )
    print_footer(ROWS, started)
    if args.profile:
        print()
        profile(settings, rng, default)


if __name__ == "__main__":
    main()
