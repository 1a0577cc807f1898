"""Who may decide a step: holders of a role, a named user, or the requester's manager."""

from __future__ import annotations

import weakref
from collections.abc import Iterable
from datetime import datetime
from typing import Literal

import attrs

from govkit.approvals._checks import check_kind, check_name
from govkit.roles import Assignment, RoleMatrix
from govkit.roles._scope import check_scope

__all__ = ["Approvers", "ByManager", "ByRole", "ByUser"]


def _scope_or_none(
    _instance: object, _attribute: attrs.Attribute[str | None], value: object
) -> None:
    if value is not None:
        check_scope(value, "scope")


def _holders(matrix: RoleMatrix, role: str, scope: str, at: datetime) -> Iterable[str]:
    """Users holding ``role`` (directly or by inheritance) in ``scope`` at ``at``."""
    for user in sorted(matrix.users_with_roles()):
        if role in matrix.roles_of(user, scope, at):
            yield user


# Assignments grouped by the exact scope they were made at, per matrix. A
# matrix is immutable, so the grouping never goes stale; it is dropped when
# the matrix is garbage collected.
_BY_SCOPE: dict[int, dict[str, tuple[Assignment, ...]]] = {}


def _assignments_by_scope(matrix: RoleMatrix) -> dict[str, tuple[Assignment, ...]]:
    grouped = _BY_SCOPE.get(id(matrix))
    if grouped is None:
        lists: dict[str, list[Assignment]] = {}
        for a in matrix.assignments:
            lists.setdefault(a.scope, []).append(a)
        grouped = _BY_SCOPE[id(matrix)] = {k: tuple(v) for k, v in lists.items()}
        weakref.finalize(matrix, _BY_SCOPE.pop, id(matrix), None)
    return grouped


@attrs.frozen
class ByRole:
    """Everyone who holds ``role`` in the request's scope (or in a fixed ``scope``).

    Args:
        role: A role of the role matrix, e.g. ``"finance"``.
        scope: A fixed scope such as ``"company"`` for company-wide roles;
            ``None`` to use the requester's scope.
    """

    role: str = attrs.field(validator=check_name)
    scope: str | None = attrs.field(default=None, kw_only=True, validator=_scope_or_none)
    kind: Literal["role"] = attrs.field(default="role", kw_only=True, validator=check_kind("role"))

    def where(self, requester_scope: str) -> str:
        """The scope in which the role must be held."""
        return self.scope or requester_scope

    def acting_role(self) -> str | None:
        """The role an approver acts in (for separation-of-duty checks)."""
        return self.role

    def candidates(
        self, matrix: RoleMatrix, *, requester: str, scope: str, at: datetime
    ) -> tuple[str, ...]:
        """Users who fit, sorted (authority is checked separately)."""
        return tuple(_holders(matrix, self.role, self.where(scope), at))

    def fits(
        self, user: str, matrix: RoleMatrix, *, requester: str, scope: str, at: datetime
    ) -> bool:
        """Whether ``user`` is one of this step's approvers."""
        return self.role in matrix.roles_of(user, self.where(scope), at)

    def describe(self) -> str:
        """Who, in words."""
        return f"role {self.role}" + (f" in {self.scope}" if self.scope else "")


@attrs.frozen
class ByUser:
    """One named user, e.g. the customer who must be satisfied (R-APV-11)."""

    user: str = attrs.field(validator=check_name)
    kind: Literal["user"] = attrs.field(default="user", kw_only=True, validator=check_kind("user"))

    def where(self, requester_scope: str) -> str:
        """The scope authority is checked in: the requester's."""
        return requester_scope

    def acting_role(self) -> str | None:
        """A named user acts in no particular role."""
        return None

    def candidates(
        self, matrix: RoleMatrix, *, requester: str, scope: str, at: datetime
    ) -> tuple[str, ...]:
        """The named user."""
        return (self.user,)

    def fits(
        self, user: str, matrix: RoleMatrix, *, requester: str, scope: str, at: datetime
    ) -> bool:
        """Whether ``user`` is the named user."""
        return user == self.user

    def describe(self) -> str:
        """Who, in words."""
        return f"user {self.user}"


@attrs.frozen
class ByManager:
    """The requester's manager by scope: holders of ``role`` nearest above the requester.

    Starting at the requester's own scope and walking up
    (``company/quality/line-2`` → ``company/quality`` → ``company``), the
    first scope where someone other than the requester is assigned ``role``
    gives the managers. A department head's own request thus goes to the
    head one level up.
    """

    role: str = attrs.field(validator=check_name)
    kind: Literal["manager"] = attrs.field(
        default="manager", kw_only=True, validator=check_kind("manager")
    )

    def where(self, requester_scope: str) -> str:
        """The scope authority is checked in: the requester's."""
        return requester_scope

    def acting_role(self) -> str | None:
        """The role an approver acts in (for separation-of-duty checks)."""
        return self.role

    def candidates(
        self, matrix: RoleMatrix, *, requester: str, scope: str, at: datetime
    ) -> tuple[str, ...]:
        """The managers found by walking up from the requester's scope."""
        at_scope = _assignments_by_scope(matrix)
        parts = scope.split("/")
        for depth in range(len(parts), 0, -1):
            found = sorted(
                {
                    a.user
                    for a in at_scope.get("/".join(parts[:depth]), ())
                    if a.user != requester
                    and a.active(at)
                    and self.role in matrix.inherited_roles(a.role)
                }
            )
            if found:
                return tuple(found)
        return ()

    def fits(
        self, user: str, matrix: RoleMatrix, *, requester: str, scope: str, at: datetime
    ) -> bool:
        """Whether ``user`` is one of the requester's managers."""
        return user in self.candidates(matrix, requester=requester, scope=scope, at=at)

    def describe(self) -> str:
        """Who, in words."""
        return f"the requester's {self.role} (nearest scope above)"


Approvers = ByRole | ByUser | ByManager
"""Any of the ways a step names its approvers."""
