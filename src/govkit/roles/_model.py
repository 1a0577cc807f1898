"""The parts of a role matrix: roles, grants, assignments and separation rules."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from enum import Enum

import attrs

from govkit._enums import to_enum
from govkit._time import require_aware
from govkit.errors import InvalidDefinitionError
from govkit.roles._scope import check_scope

__all__ = [
    "Assignment",
    "DynamicSeparation",
    "Effect",
    "Grant",
    "Role",
    "StaticSeparation",
]


def _name(_instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str) or not value or value != value.strip():
        raise InvalidDefinitionError(attribute.name, "a non-empty name", value)


def _names(value: object) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise InvalidDefinitionError("roles", "a list of role names", value)
    names = tuple(value)
    for i, name in enumerate(names):
        if not isinstance(name, str) or not name:
            raise InvalidDefinitionError(f"roles[{i}]", "a role name", name)
    if len(set(names)) != len(names):
        raise InvalidDefinitionError("roles", "role names without repeats", names)
    return names


def _parents(value: object) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise InvalidDefinitionError("inherits", "a list of role names", value)
    return tuple(value)


def parse_limit(value: object) -> Decimal | None:
    """An amount limit from a number or text; ``None`` for no limit."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise InvalidDefinitionError("limit", "an amount such as 50000, or none", value)
    try:
        amount = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except ArithmeticError:
        raise InvalidDefinitionError("limit", "an amount such as 50000", value) from None
    if not amount.is_finite() or amount < 0:
        raise InvalidDefinitionError("limit", "a finite amount >= 0", value)
    return amount


def _scope(value: object) -> str:
    return check_scope(value, "scope")


def _aware_or_none(
    _instance: object, attribute: attrs.Attribute[datetime | None], value: object
) -> None:
    if value is not None:
        require_aware(value, attribute.name)


def _effect(value: object) -> Effect:
    return to_enum(Effect, value, "effect")


class Effect(Enum):
    """Whether a grant allows or denies; a deny overrides every allow."""

    ALLOW = "allow"
    DENY = "deny"


@attrs.frozen
class Role:
    """A role, and the roles whose permissions it inherits.

    Args:
        name: Unique name, e.g. ``"department-head"``.
        inherits: Junior roles: this role may do everything they may (NIST
            hierarchical RBAC). The inheritance graph must be acyclic.
        description: What the role is, for people reading the matrix.
    """

    name: str = attrs.field(validator=_name)
    inherits: tuple[str, ...] = attrs.field(default=(), converter=_parents, kw_only=True)
    description: str = attrs.field(default="", kw_only=True)


@attrs.frozen(cache_hash=True)
class Grant:
    """A role may (or, with ``Effect.DENY``, may not) do ``action`` on ``resource``.

    Args:
        role: The role that holds the grant (and every role that inherits it).
        action: e.g. ``"approve"``, ``"read"``.
        resource: e.g. ``"purchase"``, ``"contract-archive"``.
        limit: For allows: the largest amount the grant covers (R-APV-5:
            department head approves purchases up to 50,000); ``None`` for no limit.
        effect: ``Effect.ALLOW`` (default) or ``Effect.DENY``.
    """

    role: str = attrs.field(validator=_name)
    action: str = attrs.field(validator=_name)
    resource: str = attrs.field(validator=_name)
    limit: Decimal | None = attrs.field(default=None, converter=parse_limit, kw_only=True)
    effect: Effect = attrs.field(default=Effect.ALLOW, converter=_effect, kw_only=True)

    def __attrs_post_init__(self) -> None:
        if self.effect is Effect.DENY and self.limit is not None:
            raise InvalidDefinitionError("limit", "no limit on a deny grant", self.limit)


@attrs.frozen(cache_hash=True)
class Assignment:
    """A user holds a role in a scope, possibly for a limited time.

    Args:
        user: The user's id.
        role: The role held.
        scope: Where it holds, and below (``"company/quality"``).
        valid_from: First instant it holds (inclusive); ``None`` for always.
        valid_until: Instant it stops holding (exclusive); ``None`` for never.
        reason: Why, e.g. ``"emergency"`` for temporary powers (R-ROL-10).
    """

    user: str = attrs.field(validator=_name)
    role: str = attrs.field(validator=_name)
    scope: str = attrs.field(converter=_scope)
    valid_from: datetime | None = attrs.field(default=None, kw_only=True, validator=_aware_or_none)
    valid_until: datetime | None = attrs.field(default=None, kw_only=True, validator=_aware_or_none)
    reason: str | None = attrs.field(default=None, kw_only=True)

    def __attrs_post_init__(self) -> None:
        if (
            self.valid_from is not None
            and self.valid_until is not None
            and self.valid_until <= self.valid_from
        ):
            raise InvalidDefinitionError(
                "valid_until", f"an instant after valid_from {self.valid_from}", self.valid_until
            )

    def active(self, at: datetime) -> bool:
        """Whether the assignment holds at ``at``."""
        if self.valid_from is not None and at < self.valid_from:
            return False
        return self.valid_until is None or at < self.valid_until


def _cardinality(_instance: object, _attribute: attrs.Attribute[int], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 2:
        raise InvalidDefinitionError("n", "a whole number >= 2 (ANSI cardinality)", value)


@attrs.frozen
class StaticSeparation:
    """No user may be assigned ``n`` or more roles of ``roles`` (ANSI static SoD).

    Roles count as held when assigned directly or reached through inheritance,
    in any scope. Checked whenever an assignment is made.
    """

    name: str = attrs.field(validator=_name)
    roles: tuple[str, ...] = attrs.field(converter=_names)
    n: int = attrs.field(default=2, validator=_cardinality, kw_only=True)


@attrs.frozen
class DynamicSeparation:
    """Within one case, no person may act in ``n`` or more roles of ``roles``.

    R-ROL-9: the author and the reviewer of a sensitive report must be two
    people. Checked by :meth:`RoleMatrix.may_act`, which approval chains call.
    """

    name: str = attrs.field(validator=_name)
    roles: tuple[str, ...] = attrs.field(converter=_names)
    n: int = attrs.field(default=2, validator=_cardinality, kw_only=True)
