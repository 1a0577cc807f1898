"""Decisions that explain themselves, and permissions as review functions list them."""

from __future__ import annotations

from decimal import Decimal

import attrs

from govkit.roles._model import Assignment, Grant

__all__ = ["Decision", "Permission", "make_decision"]


@attrs.frozen(kw_only=True)
class Decision:
    """The answer to "may this user do this here, now?", with the reason.

    A decision is truthy exactly when the request is allowed, so it can be
    used wherever a ``bool`` is expected.

    Attributes:
        allowed: The answer.
        reason: Why, in one sentence.
        assignment: The assignment that allowed (or, for a deny, the one
            whose role carried the deny or the expired one), if any.
        chain: The roles from the assigned role down to the role holding the grant.
        grant: The grant that allowed, or the deny grant that blocked.
    """

    allowed: bool
    reason: str
    assignment: Assignment | None = None
    chain: tuple[str, ...] = ()
    grant: Grant | None = None

    def __bool__(self) -> bool:
        return self.allowed

    def explain(self) -> str:
        """The reason, with the assignment → role chain → grant path when there is one."""
        parts = [("ALLOWED: " if self.allowed else "DENIED: ") + self.reason]
        if self.assignment is not None:
            a = self.assignment
            parts.append(f"assignment: {a.user} as {a.role} in {a.scope}")
        if len(self.chain) > 1:
            parts.append("inherits: " + " -> ".join(self.chain))
        if self.grant is not None:
            g = self.grant
            limit = "" if g.limit is None else f" up to {g.limit}"
            parts.append(f"grant: {g.role} {g.effect.value} {g.action} {g.resource}{limit}")
        return "; ".join(parts)


@attrs.frozen
class Permission:
    """An action on a resource a user may take, with the largest amount allowed.

    Attributes:
        action: e.g. ``"approve"``.
        resource: e.g. ``"purchase"``.
        limit: The largest amount covered; ``None`` for no limit.
    """

    action: str
    resource: str
    limit: Decimal | None


# RoleMatrix.check makes a Decision per call. Decision has no validator,
# converter or post-init hook, so filling its slots directly makes the same
# object as Decision(...) at well under half the cost of the generated
# __init__ (keyword arguments through type.__call__, then object.__setattr__
# per field, as frozen classes must). tests/roles/test_fast_path.py pins that.
_new = object.__new__
_set_allowed = Decision.__dict__["allowed"].__set__
_set_reason = Decision.__dict__["reason"].__set__
_set_assignment = Decision.__dict__["assignment"].__set__
_set_chain = Decision.__dict__["chain"].__set__
_set_grant = Decision.__dict__["grant"].__set__


def make_decision(
    allowed: bool,
    reason: str,
    assignment: Assignment | None = None,
    chain: tuple[str, ...] = (),
    grant: Grant | None = None,
) -> Decision:
    """``Decision(allowed=..., reason=..., ...)``, made faster (private to govkit.roles)."""
    decision: Decision = _new(Decision)
    _set_allowed(decision, allowed)
    _set_reason(decision, reason)
    _set_assignment(decision, assignment)
    _set_chain(decision, chain)
    _set_grant(decision, grant)
    return decision
