"""Runs of missed deadlines: "three consecutive timeouts mean mandatory training"."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import attrs

from govkit.audit import Event
from govkit.errors import InvalidDefinitionError
from govkit.runs import RunRule
from govkit.sla._clock import Cycle

__all__ = ["BreachStreak", "StreakVerdict"]

_OUTCOMES = ("met", "missed")


@attrs.frozen
class StreakVerdict:
    """Whether a streak rule fired, on which outcomes, and why."""

    fired: bool
    missed: int
    window: tuple[str, ...]
    explanation: str


@attrs.frozen
class BreachStreak:
    """Fires when ``k`` of the last ``n`` outcomes of one assignee were missed.

    R-SLA-8 ("three consecutive complaint-handling timeouts → intensive
    training") is ``BreachStreak(k=3, n=3)``. Cancelled cycles had no outcome
    for the goal and are skipped.

    >>> BreachStreak(3, 3).evaluate(["missed", "met", "missed", "missed", "missed"]).fired
    True
    """

    k: int
    n: int
    action: str = attrs.field(default="sla.streak", kw_only=True)

    def __attrs_post_init__(self) -> None:
        RunRule(self.k, self.n)  # the same checks on k and n

    def evaluate(self, outcomes: Iterable[str | Cycle]) -> StreakVerdict:
        """Judge the outcomes, oldest first (strings or completed :class:`Cycle` values)."""
        counted = []
        for i, item in enumerate(outcomes):
            outcome = item.outcome if isinstance(item, Cycle) else item
            if outcome == "cancelled":
                continue
            if outcome not in _OUTCOMES:
                raise InvalidDefinitionError(
                    f"outcomes[{i}]", "'met', 'missed' or 'cancelled'", outcome
                )
            counted.append(outcome)
        verdict = RunRule(self.k, self.n).evaluate(o == "missed" for o in counted)
        window = tuple(counted[-self.n :])
        explanation = (
            f"{verdict.hits} of the last {len(window)} outcomes missed "
            f"(rule: {self.k} of {self.n}) -> {'fires' if verdict.fired else 'does not fire'}"
        )
        return StreakVerdict(
            fired=verdict.fired, missed=verdict.hits, window=window, explanation=explanation
        )

    def check(
        self, outcomes: Iterable[str | Cycle], *, assignee: str, at: datetime
    ) -> Event | None:
        """The event a host turns into action (e.g. mandatory training), or ``None``."""
        verdict = self.evaluate(outcomes)
        if not verdict.fired:
            return None
        return Event(
            actor="system",
            action=self.action,
            subject=assignee,
            at=at,
            data={
                "k": self.k,
                "n": self.n,
                "missed": verdict.missed,
                "window": list(verdict.window),
            },
        )
