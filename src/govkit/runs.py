"""Run rules over a series of outcomes: "k of the last n", "n in a row on one side".

R-SLA-8's "three consecutive timeouts" is ``RunRule(3, 3)`` over missed
deadlines; R-KPI-8 applies the same rule to KPI results below target. The SLA
package's :class:`~govkit.sla.BreachStreak` is this rule specialised to clock
outcomes.

>>> RunRule(2, 3).evaluate([True, False, True]).fired
True
>>> SideRun(3).evaluate([5, 7, 8, 9], center=6).fired
True
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

import attrs

from govkit.errors import InvalidDefinitionError

__all__ = ["RunRule", "RunVerdict", "SideRun"]


def _positive(_instance: object, attribute: attrs.Attribute[int], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidDefinitionError(attribute.name, "a whole number >= 1", value)


@attrs.frozen
class RunVerdict:
    """Whether a run rule fired, how many hits it counted in its window, and why."""

    fired: bool
    hits: int
    window: tuple[bool, ...]
    explanation: str


@attrs.frozen
class RunRule:
    """Fires when at least ``k`` of the last ``n`` outcomes are hits (``True``)."""

    k: int = attrs.field(validator=_positive)
    n: int = attrs.field(validator=_positive)

    def __attrs_post_init__(self) -> None:
        if self.k > self.n:
            raise InvalidDefinitionError("k", f"at most n ({self.n})", self.k)

    def evaluate(self, hits: Iterable[bool]) -> RunVerdict:
        """Judge a series of outcomes, oldest first; ``True`` marks a hit (a miss, a breach)."""
        series = []
        for i, hit in enumerate(hits):
            if not isinstance(hit, bool):
                raise InvalidDefinitionError(f"outcomes[{i}]", "True or False", hit)
            series.append(hit)
        window = tuple(series[-self.n :])
        count = sum(window)
        fired = len(window) == self.n and count >= self.k
        explanation = (
            f"{count} of the last {len(window)} outcomes hit "
            f"(rule: {self.k} of {self.n}) -> {'fires' if fired else 'does not fire'}"
        )
        return RunVerdict(fired=fired, hits=count, window=window, explanation=explanation)


@attrs.frozen
class SideRun:
    """Fires when the last ``n`` values all lie on one side of a center line.

    A run above (or below) a target for ``n`` periods in a row, e.g. a KPI
    below target three quarters running. Values equal to the center break the run.
    """

    n: int = attrs.field(validator=_positive)
    side: str = attrs.field(default="either", kw_only=True)

    def __attrs_post_init__(self) -> None:
        if self.side not in {"above", "below", "either"}:
            raise InvalidDefinitionError("side", "'above', 'below' or 'either'", self.side)

    def evaluate(self, values: Sequence[Decimal | int], *, center: Decimal | int) -> RunVerdict:
        """Judge the values, oldest first, against ``center``."""
        tail = list(values)[-self.n :]
        above = tuple(v > center for v in tail)
        below = tuple(v < center for v in tail)
        full = len(tail) == self.n
        all_above, all_below = full and all(above), full and all(below)
        up = all_above and self.side in {"above", "either"}
        down = all_below and self.side in {"below", "either"}
        fired = up or down
        where = "above" if all_above else "below" if all_below else "on both sides of"
        explanation = (
            f"last {len(tail)} values {where} {center} (rule: {self.n} in a row, {self.side})"
            f" -> {'fires' if fired else 'does not fire'}"
        )
        window = above if up or not down else below
        return RunVerdict(fired=fired, hits=sum(window), window=window, explanation=explanation)
