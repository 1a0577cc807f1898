"""Access reviews: the periodic check against overstepping authority (R-ROL-8)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import attrs

from govkit._rrule import check_rule
from govkit._time import require_aware
from govkit.errors import InvalidDefinitionError
from govkit.roles._model import Assignment

if TYPE_CHECKING:
    from govkit.roles._matrix import RoleMatrix

__all__ = ["KINDS", "AccessReview", "Finding"]

KINDS = ("expired", "expiring", "emergency", "empty-role", "separation", "inactive")
"""The kinds of finding, in the order a report lists them."""


@attrs.frozen
class Finding:
    """One thing a reviewer should look at.

    Attributes:
        kind: ``expiring``, ``expired``, ``emergency``, ``empty-role``,
            ``separation`` or ``inactive``.
        user: The user concerned, if any.
        role: The role concerned, if any.
        detail: What was found, in one sentence.
        assignment: The assignment concerned, if any.
    """

    kind: str
    user: str | None
    role: str | None
    detail: str
    assignment: Assignment | None = None


@attrs.frozen(kw_only=True)
class AccessReview:
    """An access review report of one matrix at one instant.

    Attributes:
        at: When the review was made.
        matrix: The matrix's name and version, e.g. ``"complaint-office v3"``.
        findings: Everything to look at, grouped by kind.
        next_reviews: When the next reviews are due (from the recertification rule).
    """

    at: datetime
    matrix: str
    findings: tuple[Finding, ...]
    next_reviews: tuple[datetime, ...]

    def of_kind(self, kind: str) -> tuple[Finding, ...]:
        """The findings of one kind."""
        return tuple(f for f in self.findings if f.kind == kind)

    def explain(self) -> str:
        """The report as text, one finding per line."""
        lines = [f"Access review of {self.matrix} at {self.at.isoformat()}"]
        lines += [f"[{f.kind}] {f.detail}" for f in self.findings] or ["no findings"]
        if self.next_reviews:
            lines.append(
                "next reviews: " + ", ".join(d.date().isoformat() for d in self.next_reviews)
            )
        return "\n".join(lines)


def review_matrix(
    matrix: RoleMatrix,
    at: datetime,
    *,
    expiring_within: timedelta,
    last_use: Mapping[str, datetime] | None,
    inactive_after: timedelta,
    recertify: str | None,
    upcoming: int,
) -> AccessReview:
    """Build the report; see :meth:`RoleMatrix.review`."""
    at = require_aware(at, "at")
    if isinstance(upcoming, bool) or not isinstance(upcoming, int) or upcoming < 0:
        raise InvalidDefinitionError("upcoming", "a whole number of review dates >= 0", upcoming)
    findings: list[Finding] = []
    for a in matrix.assignments:
        if a.valid_until is not None and a.valid_until <= at:
            findings.append(
                Finding(
                    "expired",
                    a.user,
                    a.role,
                    f"{a.user} as {a.role} in {a.scope} expired at {a.valid_until.isoformat()}: "
                    "remove the assignment",
                    a,
                )
            )
        elif a.valid_until is not None and a.valid_until <= at + expiring_within:
            findings.append(
                Finding(
                    "expiring",
                    a.user,
                    a.role,
                    f"{a.user} as {a.role} in {a.scope} expires at {a.valid_until.isoformat()}",
                    a,
                )
            )
        if a.reason == "emergency" and a.active(at):
            until = a.valid_until.isoformat() if a.valid_until else "no end date"
            findings.append(
                Finding(
                    "emergency",
                    a.user,
                    a.role,
                    f"emergency powers of {a.user} as {a.role} in {a.scope} still active ({until})",
                    a,
                )
            )
    granted = {g.role for g in matrix.grants}
    for role in matrix.roles:
        reach = matrix.inherited_roles(role.name)
        if not reach & granted and matrix.assigned_users(role.name):
            holders = sorted(matrix.assigned_users(role.name))
            verb = "holds" if len(holders) == 1 else "hold"
            findings.append(
                Finding(
                    "empty-role",
                    None,
                    role.name,
                    f"role {role.name} grants nothing, yet {', '.join(holders)} {verb} it",
                )
            )
    findings += _separation_findings(matrix)
    if last_use is not None:
        for user in sorted({a.user for a in matrix.assignments if a.active(at)}):
            used = last_use.get(user)
            if used is None or at - require_aware(used, f"last_use[{user}]") > inactive_after:
                when = "never" if used is None else f"last at {used.isoformat()}"
                findings.append(
                    Finding("inactive", user, None, f"{user} holds roles but used them {when}")
                )
    order = {kind: i for i, kind in enumerate(KINDS)}
    return AccessReview(
        at=at,
        matrix=f"{matrix.name} v{matrix.version}",
        findings=tuple(sorted(findings, key=lambda f: order[f.kind])),  # stable: grouped
        next_reviews=_next_reviews(recertify, at, upcoming),
    )


def _separation_findings(matrix: RoleMatrix) -> list[Finding]:
    """Users whose roles would break a dynamic rule if they acted in all of them."""
    findings = []
    held: dict[str, set[str]] = {}
    for a in matrix.assignments:
        held.setdefault(a.user, set()).update(matrix.inherited_roles(a.role))
    for rule in matrix.dynamic_rules:
        members = set(rule.roles)
        for user, roles in sorted(held.items()):
            overlap = sorted(roles & members)
            if len(overlap) >= rule.n:
                findings.append(
                    Finding(
                        "separation",
                        user,
                        None,
                        f"{user} holds {', '.join(overlap)}: {rule.name!r} lets them act in at "
                        f"most {rule.n - 1} of these per case; check cases are split",
                    )
                )
    return findings


def _next_reviews(rule: str | None, at: datetime, upcoming: int) -> tuple[datetime, ...]:
    if rule is None:
        return ()
    parsed = check_rule(rule, "recertify", at.replace(tzinfo=None))
    out = []
    for moment in parsed.xafter(at.replace(tzinfo=None), count=upcoming):
        out.append(moment.replace(tzinfo=at.tzinfo))
    return tuple(out)
