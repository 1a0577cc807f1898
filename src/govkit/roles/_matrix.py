"""RoleMatrix: who may do what, where and until when."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import repeat
from operator import indexOf, is_
from typing import Any, TypeVar

import attrs

from govkit._time import require_aware
from govkit.audit import Event
from govkit.errors import InvalidDefinitionError, NaiveDatetimeError, UnknownNameError
from govkit.roles._decision import Decision, Permission, make_decision
from govkit.roles._model import (
    Assignment,
    DynamicSeparation,
    Effect,
    Grant,
    Role,
    StaticSeparation,
)
from govkit.roles._review import AccessReview
from govkit.roles._scope import check_scope, covers

__all__ = ["MatrixDiff", "RoleMatrix"]

_DENY = object()  # marks a (action, resource) that a role's closure denies
_MISSING = object()
_GOOD_SCOPES: set[str] = set()  # scopes already found well formed
_ANSWERS_MAX = 65_536  # entries in one matrix's allows cache before it is emptied

Key = tuple[str, str]
# A slot: what allows needs of one assignment, and the assignment.
# (perms of its role, scope, scope + "/", valid_from, valid_until, assignment)
Slot = tuple[dict[Key, object], str, str, datetime | None, datetime | None, Assignment]
# What decides one (user, action, resource, scope): the limit (or _DENY) and the
# validity window of each of the user's assignments there whose role says anything.
Entries = tuple[tuple[object, datetime | None, datetime | None], ...]


T = TypeVar("T")


def _items(value: object, kind: type[T], field: str) -> tuple[T, ...]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise InvalidDefinitionError(field, f"a list of {kind.__name__}", value)
    items = tuple(value)
    for i, item in enumerate(items):
        if not isinstance(item, kind):
            raise InvalidDefinitionError(f"{field}[{i}]", f"a {kind.__name__}", item)
    return items


def _roles(value: object) -> tuple[Role, ...]:
    return _items(value, Role, "roles")


def _grants(value: object) -> tuple[Grant, ...]:
    return _items(value, Grant, "grants")


def _assignments(value: object) -> tuple[Assignment, ...]:
    return _items(value, Assignment, "assignments")


def _static(value: object) -> tuple[StaticSeparation, ...]:
    return _items(value, StaticSeparation, "static_rules")


def _dynamic(value: object) -> tuple[DynamicSeparation, ...]:
    return _items(value, DynamicSeparation, "dynamic_rules")


def _users(value: object) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise InvalidDefinitionError("users", "a list of user ids", value)
    users = tuple(value)
    if len(set(users)) != len(users):
        raise InvalidDefinitionError("users", "user ids without repeats", users)
    return users


def _version(_instance: object, _attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidDefinitionError("version", "a whole number >= 1", value)


@attrs.frozen(kw_only=True)
class MatrixDiff:
    """What changed between two versions of a matrix (truthy when anything did).

    Attributes:
        from_version: Version of the older matrix.
        to_version: Version of the newer matrix.
        added_roles: Roles only in the newer matrix.
        removed_roles: Roles only in the older matrix.
        changed_roles: Roles in both whose inheritance or description changed.
        added_grants: Grants only in the newer matrix.
        removed_grants: Grants only in the older matrix.
        added_assignments: Assignments only in the newer matrix.
        removed_assignments: Assignments only in the older matrix.
        added_rules: Separation rules only in the newer matrix.
        removed_rules: Separation rules only in the older matrix.
    """

    from_version: int
    to_version: int
    added_roles: tuple[str, ...]
    removed_roles: tuple[str, ...]
    changed_roles: tuple[str, ...]
    added_grants: tuple[Grant, ...]
    removed_grants: tuple[Grant, ...]
    added_assignments: tuple[Assignment, ...]
    removed_assignments: tuple[Assignment, ...]
    added_rules: tuple[StaticSeparation | DynamicSeparation, ...]
    removed_rules: tuple[StaticSeparation | DynamicSeparation, ...]

    def __bool__(self) -> bool:
        return any(
            getattr(self, f.name)
            for f in attrs.fields(MatrixDiff)
            if f.name not in {"from_version", "to_version"}
        )

    def explain(self) -> str:
        """One line per change, for the yearly revision record."""
        lines = [f"version {self.from_version} -> {self.to_version}"]
        for label, items in (
            ("+ role", self.added_roles),
            ("- role", self.removed_roles),
            ("~ role", self.changed_roles),
        ):
            lines += [f"{label} {name}" for name in items]
        for sign, grants in (("+", self.added_grants), ("-", self.removed_grants)):
            for g in grants:
                limit = "" if g.limit is None else f" up to {g.limit}"
                lines.append(
                    f"{sign} grant {g.role} {g.effect.value} {g.action} {g.resource}{limit}"
                )
        for sign, assignments in (("+", self.added_assignments), ("-", self.removed_assignments)):
            lines += [f"{sign} assignment {a.user} as {a.role} in {a.scope}" for a in assignments]
        for sign, rules in (("+", self.added_rules), ("-", self.removed_rules)):
            lines += [f"{sign} rule {r.name}" for r in rules]
        return "\n".join(lines)


class _Index:
    """Derived lookup tables; built once per matrix, never serialized.

    ``answers`` is the cache behind :meth:`RoleMatrix.allows`: (user, action,
    resource, scope) -> ``True``/``False`` when neither the instant nor the
    amount can change the answer, else the :data:`Entries` to weigh them
    against. It is filled as allows asks, only for users holding a role and
    pairs some role is granted, and emptied when it reaches
    ``_ANSWERS_MAX`` entries, so user-supplied requests cannot grow it
    without bound. A matrix never shares it: answers depend on assignments.
    """

    __slots__ = (
        "answers",
        "by_user",
        "closure",
        "granted_keys",
        "granted_text",
        "granted_to",
        "grants_of",
        "perms",
        "reached",
        "roles",
        "users_of_role",
    )

    answers: dict[tuple[str, str, str, str], bool | Entries]
    by_user: dict[str, tuple[Slot, ...]]
    closure: dict[str, frozenset[str]]
    granted_keys: frozenset[Key]
    granted_text: dict[Key, str]
    granted_to: dict[Key, list[str]]
    grants_of: dict[str, list[Grant]]
    perms: dict[str, dict[Key, object]]
    reached: dict[str, dict[Key, tuple[tuple[tuple[str, ...], Grant], ...]]]
    roles: dict[str, Role]
    users_of_role: dict[str, list[Assignment]]

    def __init__(self, matrix: RoleMatrix) -> None:
        roles = {role.name: role for role in matrix.roles}
        self.roles = roles
        self.answers = {}
        self.closure = _closures(roles)
        # reached[role][(action, resource)] = ((chain, grant), ...), filled as check() asks.
        self.reached = {name: {} for name in roles}
        self.grants_of = {name: [] for name in roles}
        self.granted_keys = frozenset((g.action, g.resource) for g in matrix.grants)
        for grant in matrix.grants:
            self.grants_of[grant.role].append(grant)
        # perms[role][(action, resource)] = limit (None: unlimited) or _DENY
        self.perms = {}
        for name in roles:
            merged: dict[Key, object] = {}
            for junior in self.closure[name]:
                for grant in self.grants_of[junior]:
                    key = (grant.action, grant.resource)
                    if grant.effect is Effect.DENY or merged.get(key, 0) is _DENY:
                        merged[key] = _DENY
                    elif key not in merged:
                        merged[key] = grant.limit
                    else:
                        old = merged[key]
                        unlimited = old is None or grant.limit is None
                        merged[key] = None if unlimited else max(old, grant.limit)  # type: ignore[call-overload]  # both Decimal here
            self.perms[name] = merged
        self.granted_to = {}
        for name, merged in self.perms.items():
            for key, value in merged.items():
                if value is not _DENY:
                    self.granted_to.setdefault(key, []).append(name)
        # For check's denials: "it is granted to a, b" (one sort per pair, not per call).
        self.granted_text = {k: ", ".join(sorted(v)) for k, v in self.granted_to.items()}
        slots: dict[str, list[Slot]] = {}
        self.users_of_role = {name: [] for name in roles}
        perms = self.perms
        for a in matrix.assignments:
            # As slot(a) makes it, inline: this loop runs once per assignment.
            slot = (perms[a.role], a.scope, a.scope + "/", a.valid_from, a.valid_until, a)
            slots.setdefault(a.user, []).append(slot)
            self.users_of_role[a.role].append(a)
        self.by_user = {user: tuple(items) for user, items in slots.items()}

    def slot(self, a: Assignment) -> Slot:
        """What allows needs of ``a``, in the order it tests it."""
        return (self.perms[a.role], a.scope, a.scope + "/", a.valid_from, a.valid_until, a)

    def reassigned(self, added: Assignment | None, removed: Assignment | None) -> _Index:
        """A copy for a matrix with one assignment more or fewer (roles and grants unchanged).

        Shares every table that depends only on roles and grants (the check
        memo too); copies the two dicts keyed by user and by role, replacing
        the one entry that changes; starts an empty allows cache. A user's
        slots stay in the order of the matrix's assignments, as a full build
        makes them (a new assignment goes last).
        """
        new = _Index.__new__(_Index)
        new.roles = self.roles
        new.closure = self.closure
        new.grants_of = self.grants_of
        new.granted_keys = self.granted_keys
        new.perms = self.perms
        new.granted_to = self.granted_to
        new.granted_text = self.granted_text
        new.reached = self.reached
        new.answers = {}
        new.by_user = dict(self.by_user)
        new.users_of_role = dict(self.users_of_role)
        if removed is not None:
            kept = tuple(s for s in new.by_user[removed.user] if s[5] != removed)
            if kept:
                new.by_user[removed.user] = kept
            else:
                del new.by_user[removed.user]
            holders = new.users_of_role[removed.role]
            new.users_of_role[removed.role] = [a for a in holders if a != removed]
        if added is not None:
            new.by_user[added.user] = (*new.by_user.get(added.user, ()), new.slot(added))
            new.users_of_role[added.role] = [*new.users_of_role[added.role], added]
        return new

    def answer(self, user: str, action: str, resource: str, scope: str) -> bool | Entries:
        """The allows cache entry for this request, computed (and kept when worth it)."""
        if scope not in _GOOD_SCOPES:
            _remember_scope(scope)
        slots = self.by_user.get(user)
        key = (action, resource)
        if slots is None or key not in self.granted_keys:
            return False  # not kept: unknown users and pairs cannot fill the cache
        found = _compile(slots, key, scope)
        if len(self.answers) >= _ANSWERS_MAX:
            self.answers.clear()
        self.answers[(user, action, resource, scope)] = found
        return found


def _remember_scope(scope: str) -> None:
    """Check ``scope`` (raising, naming what is wrong) and remember it as well formed."""
    check_scope(scope, "scope")
    if len(_GOOD_SCOPES) > 65_536:  # user-supplied scopes must not grow it forever
        _GOOD_SCOPES.clear()
    _GOOD_SCOPES.add(scope)


def _compile(slots: Iterable[Slot], key: Key, scope: str) -> bool | Entries:
    """What decides ``key`` in ``scope`` for a user with these slots.

    ``False`` when no slot holding in ``scope`` says anything on ``key`` or
    one says deny without a validity window (a deny wins whatever the others
    say); ``True`` when some do and none has a window or a limit; otherwise
    the limit and window of each, for :func:`_decide` to weigh.
    """
    entries = []
    constant = True  # neither the instant nor the amount can change the answer
    for perms, assigned, prefix, valid_from, valid_until, _ in slots:
        limit = perms.get(key, _MISSING)
        if limit is _MISSING or (scope != assigned and not scope.startswith(prefix)):
            continue
        if valid_from is None and valid_until is None:
            if limit is _DENY:
                return False
            if limit is not None:
                constant = False
        else:
            constant = False
        entries.append((limit, valid_from, valid_until))
    return bool(entries) if constant else tuple(entries)


def _decide(entries: Entries, at: datetime, amount: Decimal | int | None) -> bool:
    """Whether ``entries`` allow at ``at`` for ``amount``: any deny that holds wins."""
    allowed = False
    for limit, valid_from, valid_until in entries:
        if valid_from is not None and at < valid_from:
            continue
        if valid_until is not None and at >= valid_until:
            continue
        if limit is _DENY:
            return False
        if amount is None or limit is None or amount <= limit:  # type: ignore[operator]  # limit is a Decimal here
            allowed = True
    return allowed


def _closures(roles: Mapping[str, Role]) -> dict[str, frozenset[str]]:
    """Each role with every role it inherits from, directly or not; refuses cycles.

    Iterative depth-first search, so hierarchies of any depth work.
    """
    for i, role in enumerate(roles.values()):
        for j, parent in enumerate(role.inherits):
            if parent not in roles:
                raise InvalidDefinitionError(
                    f"roles[{i}].inherits[{j}]", "the name of a defined role", parent
                )
    closure: dict[str, frozenset[str]] = {}
    on_path: set[str] = set()
    for root in roles:
        if root in closure:
            continue
        path = [root]
        pending = [iter(roles[root].inherits)]
        on_path.add(root)
        while pending:
            step = next(pending[-1], None)
            if step is None:  # every junior of path[-1] is done
                pending.pop()
                name = path.pop()
                on_path.discard(name)
                reach = {name}
                for junior in roles[name].inherits:
                    reach |= closure[junior]
                closure[name] = frozenset(reach)
            elif step in on_path:
                cycle = [*path[path.index(step) :], step]
                raise InvalidDefinitionError(
                    "roles", "an inheritance graph without cycles", " -> ".join(cycle)
                )
            elif step not in closure:
                path.append(step)
                on_path.add(step)
                pending.append(iter(roles[step].inherits))
    return closure


@attrs.frozen(kw_only=True)
class RoleMatrix:
    """A versioned permission matrix (权限矩阵表): roles, grants and assignments.

    Args:
        name: The matrix's name.
        version: Revision number (the table is revised every year, R-ROL-1).
        effective_from: First day this version applies.
        effective_until: Last day this version applies.
        roles: Roles with their inheritance (an acyclic graph of any depth).
        grants: What each role may (or may not) do.
        assignments: Who holds which role, where and when.
        users: Known user ids; when given, assignments must name one of them.
        static_rules: Static separation of duties, checked on every assignment.
        dynamic_rules: Dynamic separation of duties, checked by :meth:`may_act`.

    Every reference is checked when the matrix is built: unknown roles and
    users, inheritance cycles (the error shows the cycle) and static
    separation-of-duties violations raise :class:`InvalidDefinitionError`.
    """

    name: str = attrs.field(validator=attrs.validators.instance_of(str))
    version: int = attrs.field(default=1, validator=_version)
    effective_from: date | None = attrs.field(default=None)
    effective_until: date | None = attrs.field(default=None)
    roles: tuple[Role, ...] = attrs.field(default=(), converter=_roles)
    grants: tuple[Grant, ...] = attrs.field(default=(), converter=_grants)
    assignments: tuple[Assignment, ...] = attrs.field(default=(), converter=_assignments)
    users: tuple[str, ...] = attrs.field(default=(), converter=_users)
    static_rules: tuple[StaticSeparation, ...] = attrs.field(default=(), converter=_static)
    dynamic_rules: tuple[DynamicSeparation, ...] = attrs.field(default=(), converter=_dynamic)
    _index: _Index = attrs.field(init=False, eq=False, repr=False, hash=False)

    def __attrs_post_init__(self) -> None:
        self._check_references()
        index = _Index(self)
        object.__setattr__(self, "_index", index)
        self._check_static_rules(index)

    # -- validation ------------------------------------------------------------

    def _check_references(self) -> None:
        if (
            self.effective_from is not None
            and self.effective_until is not None
            and self.effective_until < self.effective_from
        ):
            raise InvalidDefinitionError(
                "effective_until", f"a date on or after {self.effective_from}", self.effective_until
            )
        names: set[str] = set()
        for i, role in enumerate(self.roles):
            if role.name in names:
                raise InvalidDefinitionError(f"roles[{i}].name", "a unique role name", role.name)
            names.add(role.name)
        _refuse_repeats(self.grants, "grants")
        _refuse_repeats(self.assignments, "assignments")
        for i, grant in enumerate(self.grants):
            if grant.role not in names:
                raise InvalidDefinitionError(f"grants[{i}].role", "a defined role", grant.role)
        known_users = set(self.users)
        for i, a in enumerate(self.assignments):
            if a.role not in names:
                raise InvalidDefinitionError(f"assignments[{i}].role", "a defined role", a.role)
            if known_users and a.user not in known_users:
                raise InvalidDefinitionError(f"assignments[{i}].user", "a known user", a.user)
        rule_lists: tuple[tuple[str, tuple[StaticSeparation | DynamicSeparation, ...]], ...] = (
            ("static_rules", self.static_rules),
            ("dynamic_rules", self.dynamic_rules),
        )
        for field, rules in rule_lists:
            for i, rule in enumerate(rules):
                for member in rule.roles:
                    if member not in names:
                        raise InvalidDefinitionError(f"{field}[{i}].roles", "defined roles", member)
                if rule.n > len(rule.roles):
                    raise InvalidDefinitionError(
                        f"{field}[{i}].n",
                        f"at most the number of roles ({len(rule.roles)})",
                        rule.n,
                    )

    def _check_static_rules(self, index: _Index) -> None:
        if not self.static_rules:
            return
        held: dict[str, set[str]] = {}
        for a in self.assignments:
            held.setdefault(a.user, set()).update(index.closure[a.role])
        for i, rule in enumerate(self.static_rules):
            members = set(rule.roles)
            for user, roles in held.items():
                overlap = sorted(roles & members)
                if len(overlap) >= rule.n:
                    raise InvalidDefinitionError(
                        f"static_rules[{i}]",
                        f"{rule.name!r}: no user holding {rule.n} or more of {sorted(members)}",
                        f"{user} holds {overlap}",
                    )

    # -- checks ------------------------------------------------------------------

    def allows(
        self,
        user: str,
        action: str,
        resource: str,
        *,
        scope: str,
        at: datetime,
        amount: Decimal | int | None = None,
    ) -> bool:
        """Whether ``user`` may do ``action`` on ``resource`` in ``scope`` at ``at``.

        The fast path: no explanation. A deny grant reached through any of
        the user's roles that hold here and now wins over every allow.
        ``amount`` is compared with the grants' limits. The first time a
        (user, action, resource, scope) is asked, the matrix works out which
        of the user's assignments matter and keeps the result, so that asking
        again costs one lookup (and, when assignments with a validity window
        or limited grants are among them, a test of each).
        """
        if at.tzinfo is None:
            raise NaiveDatetimeError("at", at)
        found = self._index.answers.get((user, action, resource, scope))
        if found is True:
            return True
        if found is False:
            return False
        if found is None:  # not asked before (or the cache was emptied since)
            found = self._index.answer(user, action, resource, scope)
            if found is True or found is False:
                return found
        return _decide(found, at, amount)

    def check(
        self,
        user: str,
        action: str,
        resource: str,
        *,
        scope: str,
        at: datetime,
        amount: Decimal | int | None = None,
    ) -> Decision:
        """Like :meth:`allows`, with a :class:`Decision` that says why.

        For an allow: the assignment, the role chain and the grant. For a
        deny: the deny grant that blocked, the limit that was exceeded, the
        assignment that expired or has not started, the scopes the user does
        hold roles in, or the roles that would have the missing grant.
        """
        if scope.__class__ is not str or scope not in _GOOD_SCOPES:
            _remember_scope(scope)
        at = require_aware(at, "at")
        index = self._index
        slots = index.by_user.get(user, ())
        key = (action, resource)
        exceeded: Decision | None = None
        found: Decision | None = None
        # One pass in assignment order; a role that says nothing on the key has no grant to walk.
        for perms, assigned, prefix, valid_from, valid_until, a in slots:
            if key not in perms or (scope != assigned and not scope.startswith(prefix)):
                continue
            if (valid_from is not None and at < valid_from) or (
                valid_until is not None and at >= valid_until
            ):
                continue
            paths = index.reached[a.role].get(key)
            if paths is None:
                paths = self._grants_reached(a.role, action, resource)
            for chain, grant in paths:
                if grant.effect is Effect.DENY:
                    return make_decision(
                        allowed=False,
                        reason=f"a deny grant on {action} {resource} overrides every allow",
                        assignment=a,
                        chain=chain,
                        grant=grant,
                    )
                if amount is not None and grant.limit is not None and amount > grant.limit:
                    exceeded = exceeded or make_decision(
                        allowed=False,
                        reason=f"amount {amount} exceeds the limit {grant.limit}",
                        assignment=a,
                        chain=chain,
                        grant=grant,
                    )
                elif found is None:
                    found = make_decision(
                        allowed=True,
                        reason=f"{user} may {action} {resource} in {scope}",
                        assignment=a,
                        chain=chain,
                        grant=grant,
                    )
        if found is not None:
            return found
        if exceeded is not None:
            return exceeded
        return self._why_not(user, action, resource, scope, at, slots)

    def _why_not(
        self,
        user: str,
        action: str,
        resource: str,
        scope: str,
        at: datetime,
        slots: tuple[Slot, ...],
    ) -> Decision:
        """The denial when no active assignment here reaches a usable grant on the key.

        In order of preference: an assignment here that is not active (expired
        or not started) whose role would allow it; no role at all; roles only
        in other scopes; the roles held here and those that have the grant.
        """
        if not slots:
            return make_decision(allowed=False, reason=f"{user} holds no role in this matrix")
        key = (action, resource)
        here = False
        held: set[str] = set()
        for perms, assigned, prefix, valid_from, valid_until, a in slots:
            if scope != assigned and not scope.startswith(prefix):
                continue
            here = True
            if (valid_from is None or valid_from <= at) and (
                valid_until is None or at < valid_until
            ):
                held.add(a.role)
            elif key in perms:
                reached = self._grants_reached(a.role, action, resource)
                if any(g.effect is Effect.ALLOW for _, g in reached):
                    when = (
                        f"expired at {valid_until.isoformat()}"
                        if valid_until is not None and at >= valid_until
                        else f"starts at {valid_from.isoformat() if valid_from else '?'}"
                    )
                    return make_decision(
                        allowed=False,
                        reason=f"the assignment that would allow it {when}",
                        assignment=a,
                    )
        if not here:
            scopes = slots[0][1] if len(slots) == 1 else ", ".join(sorted({s[1] for s in slots}))
            return make_decision(
                allowed=False, reason=f"{user} holds roles only in {scopes}, not in {scope}"
            )
        granted = self._index.granted_text.get(key)
        missing = f"it is granted to {granted}" if granted else "no role is granted it"
        return make_decision(
            allowed=False,
            reason=(
                f"no grant of {action} {resource} through {user}'s roles here "
                f"({', '.join(sorted(held)) or 'none active'}); {missing}"
            ),
        )

    def _grants_reached(
        self, role: str, action: str, resource: str
    ) -> tuple[tuple[tuple[str, ...], Grant], ...]:
        """Grants on (action, resource) reachable from ``role``, nearest first, with paths."""
        key = (action, resource)
        if key not in self._index.perms[role]:
            return ()  # nothing in the role's closure names it: nothing to walk or remember
        memo = self._index.reached[role]
        found = memo.get(key)
        if found is None:
            found = memo[key] = tuple(self._walk(role, action, resource))
        return found

    def _walk(
        self, role: str, action: str, resource: str
    ) -> Iterable[tuple[tuple[str, ...], Grant]]:
        roles = self._index.roles
        queue: deque[tuple[str, ...]] = deque([(role,)])
        seen = {role}
        while queue:
            chain = queue.popleft()
            for grant in self._index.grants_of[chain[-1]]:
                if grant.action == action and grant.resource == resource:
                    yield chain, grant
            for parent in roles[chain[-1]].inherits:
                if parent not in seen:
                    seen.add(parent)
                    queue.append((*chain, parent))

    # -- review functions (NIST) --------------------------------------------------

    def _active_here(self, user: str, scope: str, at: datetime) -> list[Assignment]:
        check_scope(scope, "scope")
        at = require_aware(at, "at")
        mine = (slot[5] for slot in self._index.by_user.get(user, ()))
        return [a for a in mine if covers(a.scope, scope) and a.active(at)]

    def roles_of(self, user: str, scope: str, at: datetime) -> frozenset[str]:
        """Roles ``user`` holds in ``scope`` at ``at``, inherited ones included."""
        held: set[str] = set()
        for a in self._active_here(user, scope, at):
            held |= self._index.closure[a.role]
        return frozenset(held)

    def permissions_of(self, user: str, scope: str, at: datetime) -> frozenset[Permission]:
        """What ``user`` may do in ``scope`` at ``at`` (denied actions left out)."""
        merged: dict[Key, object] = {}
        for a in self._active_here(user, scope, at):
            for key, limit in self._index.perms[a.role].items():
                if limit is _DENY or merged.get(key, 0) is _DENY:
                    merged[key] = _DENY
                elif key not in merged or limit is None:
                    merged[key] = limit
                elif merged[key] is not None:
                    merged[key] = max(merged[key], limit)  # type: ignore[call-overload]  # Decimals
        return frozenset(
            Permission(action, resource, limit)  # type: ignore[arg-type]  # not _DENY here
            for (action, resource), limit in merged.items()
            if limit is not _DENY
        )

    def who_can(
        self,
        action: str,
        resource: str,
        *,
        scope: str,
        at: datetime,
        amount: Decimal | int | None = None,
    ) -> frozenset[str]:
        """Every user for whom :meth:`allows` holds with these arguments."""
        check_scope(scope, "scope")
        require_aware(at, "at")
        index = self._index
        key = (action, resource)
        candidates = {
            a.user for role in index.granted_to.get(key, ()) for a in index.users_of_role[role]
        }
        # The rule allows applies, without its cache: these requests are rarely asked again.
        by_user = index.by_user
        allowed = set()
        for user in candidates:
            found = _compile(by_user[user], key, scope)
            if found is True or (found is not False and _decide(found, at, amount)):
                allowed.add(user)
        return frozenset(allowed)

    def users_with_roles(self) -> frozenset[str]:
        """Every user with at least one assignment (in any scope, at any time)."""
        return frozenset(self._index.by_user)

    def assigned_users(self, role: str) -> frozenset[str]:
        """Users assigned ``role`` directly, in any scope, at any time."""
        self._role(role)
        return frozenset(a.user for a in self._index.users_of_role[role])

    def authorized_users(self, role: str) -> frozenset[str]:
        """Users assigned ``role`` or a role that inherits it."""
        self._role(role)
        closure = self._index.closure
        return frozenset(a.user for a in self.assignments if role in closure[a.role])

    def role_permissions(self, role: str) -> frozenset[Permission]:
        """What ``role`` may do, inherited grants included (denied actions left out)."""
        self._role(role)
        return frozenset(
            Permission(action, resource, limit)  # type: ignore[arg-type]  # not _DENY here
            for (action, resource), limit in self._index.perms[role].items()
            if limit is not _DENY
        )

    def inherited_roles(self, role: str) -> frozenset[str]:
        """``role`` and every role it inherits from, directly or not."""
        self._role(role)
        return self._index.closure[role]

    def _role(self, name: str) -> Role:
        role = self._index.roles.get(name)
        if role is None:
            raise UnknownNameError("role", name)
        return role

    # -- dynamic separation of duties ---------------------------------------------

    def may_act(self, user: str, role: str, *, case: Iterable[tuple[str, str]]) -> Decision:
        """Whether ``user`` may act as ``role`` in a case where ``case`` acts happened.

        ``case`` lists (user, role) pairs already recorded in the same case
        (e.g. the author and earlier reviewers of a report). R-ROL-9: with
        ``DynamicSeparation("double review", ["author", "reviewer"])`` the
        author may not also review.
        """
        self._role(role)
        acts = list(case)
        for _, other in acts:
            self._role(other)
        acted = {r for u, r in acts if u == user}
        for rule in self.dynamic_rules:
            if role not in rule.roles:
                continue
            overlap = sorted((acted | {role}) & set(rule.roles))
            if len(overlap) >= rule.n:
                return Decision(
                    allowed=False,
                    reason=(
                        f"{rule.name!r}: {user} would act in {len(overlap)} of "
                        f"{sorted(rule.roles)} in one case ({', '.join(overlap)})"
                    ),
                )
        return Decision(allowed=True, reason=f"no separation rule stops {user} acting as {role}")

    # -- reviews and tables -------------------------------------------------------

    def review(
        self,
        at: datetime,
        *,
        expiring_within: timedelta = timedelta(days=30),
        last_use: Mapping[str, datetime] | None = None,
        inactive_after: timedelta = timedelta(days=90),
        recertify: str | None = None,
        upcoming: int = 3,
    ) -> AccessReview:
        """An access review report (R-ROL-8).

        Lists assignments expired or expiring within ``expiring_within``,
        emergency assignments still active, roles held that grant nothing,
        users whose roles a dynamic separation rule forbids combining in one
        case, and, when the host passes ``last_use`` (user -> last instant
        they used their access), users inactive for longer than
        ``inactive_after``. ``recertify`` is an RRULE for the review schedule
        (``"FREQ=YEARLY"``); the report lists the next ``upcoming`` dates.
        """
        from govkit.roles._review import review_matrix

        return review_matrix(
            self,
            at,
            expiring_within=expiring_within,
            last_use=last_use,
            inactive_after=inactive_after,
            recertify=recertify,
            upcoming=upcoming,
        )

    @classmethod
    def from_csv(
        cls,
        text: str,
        *,
        source: str = "<csv>",
        base: RoleMatrix | None = None,
        **fields: Any,
    ) -> RoleMatrix:
        """Build a matrix whose grants come from a CSV table.

        Columns: ``role, resource, action, limit`` and optionally ``effect``
        (``allow`` or ``deny``); amounts may use thousands separators. The
        other parts (name, version, roles, assignments, rules …) come from
        ``base`` and from keyword arguments, which win. Roles named in the
        table but defined nowhere are added without inheritance.

        Raises:
            DeserializationError: one entry per bad cell, each naming
                ``source``, the row and the column.
        """
        from govkit.roles._csv import grants_from_csv

        grants = grants_from_csv(text, source=source)
        parts: dict[str, Any] = {}
        if base is not None:
            parts = {f.name: getattr(base, f.name) for f in attrs.fields(cls) if f.init}
        parts.update(fields)
        declared = list(parts.get("roles", ()))
        names = {r.name for r in declared}
        for grant in grants:
            if grant.role not in names:
                declared.append(Role(grant.role))
                names.add(grant.role)
        parts["roles"] = declared
        parts["grants"] = grants
        return cls(**parts)

    def to_csv(self) -> str:
        """The grants as a CSV table that :meth:`from_csv` reads back."""
        from govkit.roles._csv import grants_to_csv

        return grants_to_csv(self.grants)

    # -- revisions ------------------------------------------------------------------

    def diff(self, other: RoleMatrix) -> MatrixDiff:
        """What changed from this matrix to ``other`` (e.g. last year's table to this year's)."""

        def delta(mine: Iterable[Any], theirs: Iterable[Any]) -> tuple[tuple[Any, ...], ...]:
            a, b = list(mine), list(theirs)
            return tuple(x for x in b if x not in a), tuple(x for x in a if x not in b)

        old_roles = {r.name: r for r in self.roles}
        new_roles = {r.name: r for r in other.roles}
        added_grants, removed_grants = delta(self.grants, other.grants)
        added_assignments, removed_assignments = delta(self.assignments, other.assignments)
        added_rules, removed_rules = delta(
            (*self.static_rules, *self.dynamic_rules), (*other.static_rules, *other.dynamic_rules)
        )
        return MatrixDiff(
            from_version=self.version,
            to_version=other.version,
            added_roles=tuple(sorted(set(new_roles) - set(old_roles))),
            removed_roles=tuple(sorted(set(old_roles) - set(new_roles))),
            changed_roles=tuple(
                sorted(n for n in set(old_roles) & set(new_roles) if old_roles[n] != new_roles[n])
            ),
            added_grants=added_grants,
            removed_grants=removed_grants,
            added_assignments=added_assignments,
            removed_assignments=removed_assignments,
            added_rules=added_rules,
            removed_rules=removed_rules,
        )

    # -- administration -------------------------------------------------------------

    def _changed(
        self,
        action: str,
        at: datetime,
        actor: str,
        data: Mapping[str, Any],
        *,
        index: _Index | None = None,
        **fields: Any,
    ) -> tuple[RoleMatrix, tuple[Event, ...]]:
        at = require_aware(at, "at")
        matrix = attrs.evolve(self, **fields) if index is None else self._derived(index, fields)
        event = Event(
            actor=actor,
            action=f"roles.{action}",
            subject=self.name,
            at=at,
            data={"matrix": self.name, "version": self.version, **data},
        )
        return matrix, (event,)

    def add_role(
        self, role: Role, *, at: datetime, actor: str
    ) -> tuple[RoleMatrix, tuple[Event, ...]]:
        """A new matrix with ``role`` added (its inheritance checked for cycles)."""
        data = {"role": role.name, "inherits": list(role.inherits)}
        return self._changed("role_added", at, actor, data, roles=(*self.roles, role))

    def remove_role(
        self, name: str, *, at: datetime, actor: str
    ) -> tuple[RoleMatrix, tuple[Event, ...]]:
        """A new matrix without ``name``, its grants, its assignments and its inheritance links.

        Refused while a separation rule names the role.
        """
        self._role(name)
        rules: tuple[StaticSeparation | DynamicSeparation, ...] = (
            *self.static_rules,
            *self.dynamic_rules,
        )
        for rule in rules:
            if name in rule.roles:
                raise InvalidDefinitionError(
                    "role", f"a role no separation rule names ({rule.name!r} does)", name
                )
        roles = tuple(
            attrs.evolve(r, inherits=tuple(p for p in r.inherits if p != name))
            for r in self.roles
            if r.name != name
        )
        return self._changed(
            "role_removed",
            at,
            actor,
            {"role": name},
            roles=roles,
            grants=tuple(g for g in self.grants if g.role != name),
            assignments=tuple(a for a in self.assignments if a.role != name),
        )

    def add_inheritance(
        self, senior: str, junior: str, *, at: datetime, actor: str
    ) -> tuple[RoleMatrix, tuple[Event, ...]]:
        """A new matrix where ``senior`` also inherits ``junior`` (cycles refused)."""
        self._role(senior)
        self._role(junior)
        roles = tuple(
            attrs.evolve(r, inherits=(*r.inherits, junior))
            if r.name == senior and junior not in r.inherits
            else r
            for r in self.roles
        )
        data = {"senior": senior, "junior": junior}
        return self._changed("inheritance_added", at, actor, data, roles=roles)

    def remove_inheritance(
        self, senior: str, junior: str, *, at: datetime, actor: str
    ) -> tuple[RoleMatrix, tuple[Event, ...]]:
        """A new matrix where ``senior`` no longer inherits ``junior`` directly."""
        if junior not in self._role(senior).inherits:
            raise UnknownNameError("inheritance", f"{senior} -> {junior}")
        roles = tuple(
            attrs.evolve(r, inherits=tuple(p for p in r.inherits if p != junior))
            if r.name == senior
            else r
            for r in self.roles
        )
        data = {"senior": senior, "junior": junior}
        return self._changed("inheritance_removed", at, actor, data, roles=roles)

    def add_grant(
        self, grant: Grant, *, at: datetime, actor: str
    ) -> tuple[RoleMatrix, tuple[Event, ...]]:
        """A new matrix with ``grant`` added."""
        return self._changed(
            "grant_added", at, actor, _grant_data(grant), grants=(*self.grants, grant)
        )

    def remove_grant(
        self, grant: Grant, *, at: datetime, actor: str
    ) -> tuple[RoleMatrix, tuple[Event, ...]]:
        """A new matrix without ``grant``."""
        if grant not in self.grants:
            raise UnknownNameError("grant", f"{grant.role} {grant.action} {grant.resource}")
        grants = tuple(g for g in self.grants if g != grant)
        return self._changed("grant_removed", at, actor, _grant_data(grant), grants=grants)

    def assign(
        self, assignment: Assignment, *, at: datetime, actor: str
    ) -> tuple[RoleMatrix, tuple[Event, ...]]:
        """A new matrix with ``assignment`` added (static separation rules checked)."""
        data = _assignment_data(assignment)
        assignments = (*self.assignments, assignment)
        if not self._fits(assignment):
            # The full build refuses it with the error it would give in the constructor.
            return self._changed("assigned", at, actor, data, assignments=assignments)
        index = self._index.reassigned(added=assignment, removed=None)
        return self._changed("assigned", at, actor, data, index=index, assignments=assignments)

    def unassign(
        self, assignment: Assignment, *, at: datetime, actor: str
    ) -> tuple[RoleMatrix, tuple[Event, ...]]:
        """A new matrix without ``assignment``."""
        mine = self._index.by_user.get(assignment.user, ())
        held = [slot[5] for slot in mine if slot[5] == assignment]
        if not held:
            raise UnknownNameError("assignment", f"{assignment.user} as {assignment.role}")
        # Find it by identity: comparing every assignment by value is slow on large matrices.
        i = indexOf(map(is_, self.assignments, repeat(held[0])), True)
        kept = self.assignments[:i] + self.assignments[i + 1 :]
        index = self._index.reassigned(added=None, removed=held[0])
        data = _assignment_data(assignment)
        return self._changed("unassigned", at, actor, data, index=index, assignments=kept)

    def _fits(self, new: Assignment) -> bool:
        """Whether a matrix with ``new`` added passes every check a full build would make.

        Roles, grants and every other assignment are unchanged and were
        checked when this matrix was built, so only ``new`` needs checking:
        its type and role, its user (when users are listed), that it is no
        repeat, and the static separation rules for its user.
        """
        index = self._index
        if not isinstance(new, Assignment) or new.role not in index.roles:
            return False
        if self.users and new.user not in self.users:
            return False
        mine = [slot[5] for slot in index.by_user.get(new.user, ())]
        if new in mine:
            return False
        held = set(index.closure[new.role]).union(*(index.closure[a.role] for a in mine))
        return all(len(held.intersection(rule.roles)) < rule.n for rule in self.static_rules)

    def _derived(self, index: _Index, fields: Mapping[str, Any]) -> RoleMatrix:
        """This matrix with ``fields`` replaced and ``index`` as its index, not validated again.

        Only for changes already checked as a full build would check them
        (see :meth:`_fits`); the result equals what the constructor makes.
        """
        matrix: RoleMatrix = object.__new__(RoleMatrix)
        for field in attrs.fields(RoleMatrix):
            if field.name == "_index":
                value: Any = index
            else:
                value = fields.get(field.name, getattr(self, field.name))
            object.__setattr__(matrix, field.name, value)
        return matrix


def _refuse_repeats(items: tuple[Any, ...], field: str) -> None:
    seen: set[Any] = set()
    for i, item in enumerate(items):
        if item in seen:
            raise InvalidDefinitionError(f"{field}[{i}]", "an entry not already listed", item)
        seen.add(item)


def _grant_data(grant: Grant) -> dict[str, Any]:
    return {
        "role": grant.role,
        "action": grant.action,
        "resource": grant.resource,
        "limit": None if grant.limit is None else str(grant.limit),
        "effect": grant.effect.value,
    }


def _assignment_data(a: Assignment) -> dict[str, Any]:
    return {
        "user": a.user,
        "role": a.role,
        "scope": a.scope,
        "valid_from": a.valid_from.isoformat() if a.valid_from else None,
        "valid_until": a.valid_until.isoformat() if a.valid_until else None,
        "reason": a.reason,
    }
