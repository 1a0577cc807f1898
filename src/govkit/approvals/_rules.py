"""Vote rules: how many approvals satisfy a step, and what a rejection does."""

from __future__ import annotations

import math
from typing import Literal

import attrs

from govkit.approvals._checks import check_flag, check_kind
from govkit.errors import InvalidDefinitionError

__all__ = ["AllOf", "AnyOf", "Quorum", "VoteRule"]


@attrs.frozen
class AnyOf:
    """One approval by an eligible approver satisfies the step.

    Args:
        veto: Whether one rejection rejects the request (the default). Without
            it a rejection only counts against the step, which fails once no
            eligible approver is left to approve.
    """

    veto: bool = attrs.field(default=True, kw_only=True, validator=check_flag)
    kind: Literal["any"] = attrs.field(default="any", kw_only=True, validator=check_kind("any"))

    def needed(self, candidates: int) -> int:
        """Approvals needed when ``candidates`` people may vote."""
        return 1

    def describe(self) -> str:
        """The rule in words."""
        return "any one approver" + ("" if self.veto else " (rejections do not veto)")


@attrs.frozen
class AllOf:
    """Every eligible approver must approve (at least one).

    Args:
        veto: Whether one rejection rejects the request (the default; with
            every approval needed, a rejection always makes the step fail).
    """

    veto: bool = attrs.field(default=True, kw_only=True, validator=check_flag)
    kind: Literal["all"] = attrs.field(default="all", kw_only=True, validator=check_kind("all"))

    def needed(self, candidates: int) -> int:
        """Approvals needed when ``candidates`` people may vote."""
        return max(1, candidates)

    def describe(self) -> str:
        """The rule in words."""
        return "every eligible approver"


def _whole(_instance: object, attribute: attrs.Attribute[int | None], value: object) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidDefinitionError(attribute.name, "a whole number >= 1", value)


@attrs.frozen
class Quorum:
    """At least ``n`` approvals, or ``percent`` of the eligible approvers (rounded up).

    Args:
        n: The number of approvals needed.
        percent: Instead of ``n``: the share of eligible approvers, 1-100.
        veto: Whether one rejection rejects the request. Off by default: a
            committee (R-APV-8) rejects once the quorum can no longer be reached.
    """

    n: int | None = attrs.field(default=None, validator=_whole)
    percent: int | None = attrs.field(default=None, kw_only=True, validator=_whole)
    veto: bool = attrs.field(default=False, kw_only=True, validator=check_flag)
    kind: Literal["quorum"] = attrs.field(
        default="quorum", kw_only=True, validator=check_kind("quorum")
    )

    def __attrs_post_init__(self) -> None:
        if (self.n is None) == (self.percent is None):
            raise InvalidDefinitionError(
                "n", "either n or percent, not both", (self.n, self.percent)
            )
        if self.percent is not None and self.percent > 100:
            raise InvalidDefinitionError("percent", "a whole number from 1 to 100", self.percent)

    def needed(self, candidates: int) -> int:
        """Approvals needed when ``candidates`` people may vote."""
        if self.n is not None:
            return self.n
        assert self.percent is not None
        return max(1, math.ceil(candidates * self.percent / 100))

    def describe(self) -> str:
        """The rule in words."""
        how = f"{self.n} approvals" if self.n is not None else f"{self.percent}% of approvers"
        return how + (" (one rejection vetoes)" if self.veto else "")


VoteRule = AnyOf | AllOf | Quorum
"""Any of the vote rules."""
