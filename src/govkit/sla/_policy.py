"""SLA policies: named, versioned sets of goals chosen by the facts of a case."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from govkit._facts import check_when, match_when
from govkit.calendar import BusinessCalendar, BusinessDays, BusinessHours, Duration, Period
from govkit.errors import InvalidDefinitionError, UnknownNameError

if TYPE_CHECKING:
    from govkit.audit import Event
    from govkit.sla._clock import SlaClock

__all__ = ["GoalChoice", "SlaGoal", "SlaPolicy"]

_DEFAULT_THRESHOLDS = (Decimal("0.5"), Decimal("0.75"))


def _thresholds(value: object) -> tuple[Decimal, ...]:
    if isinstance(value, str) or not isinstance(value, list | tuple):
        raise InvalidDefinitionError("thresholds", "a list of fractions between 0 and 1", value)
    out: list[Decimal] = []
    for i, item in enumerate(value):
        if isinstance(item, bool) or not isinstance(item, int | float | Decimal | str):
            raise InvalidDefinitionError(f"thresholds[{i}]", "a fraction such as 0.75", item)
        try:
            fraction = Decimal(repr(item)) if isinstance(item, float) else Decimal(item)
        except ArithmeticError:
            raise InvalidDefinitionError(f"thresholds[{i}]", "a fraction", item) from None
        if not 0 < fraction < 1:
            raise InvalidDefinitionError(
                f"thresholds[{i}]", "a fraction strictly between 0 and 1 (1 is the breach)", item
            )
        if out and fraction <= out[-1]:
            raise InvalidDefinitionError(f"thresholds[{i}]", "fractions in increasing order", item)
        out.append(fraction)
    return tuple(out)


def _when(value: object) -> dict[str, Any]:
    return check_when(value, "when")


def _check_target(
    _instance: object, _attribute: attrs.Attribute[Duration], value: Duration
) -> None:
    if isinstance(value, timedelta):
        if value <= timedelta(0):
            raise InvalidDefinitionError("target", "a positive timedelta", value)
    elif isinstance(value, BusinessHours):
        if value.microseconds <= 0:
            raise InvalidDefinitionError("target", "more than 0 business hours", value)
    elif not isinstance(value, BusinessDays | Period):
        raise InvalidDefinitionError(
            "target", "a timedelta, BusinessHours, BusinessDays or Period", value
        )


@attrs.frozen(kw_only=True)
class SlaGoal:
    """One target of a policy, and the facts that select it.

    Args:
        name: Unique within the policy, e.g. ``"urgent"``.
        target: ``timedelta`` (elapsed time), ``BusinessHours``,
            ``BusinessDays`` or a calendar ``Period``.
        when: Conditions on the case's facts (see :class:`SlaPolicy`); empty
            for a goal that is only used as the default or by name.
        calendar: The calendar that counts business time for this goal;
            defaults to the policy's calendar.
        thresholds: Warning fractions of the target, increasing, each in
            ``(0, 1)``; the breach is the whole target (1.0).
    """

    name: str = attrs.field(validator=attrs.validators.instance_of(str))
    target: Duration = attrs.field(validator=_check_target)
    when: Mapping[str, Any] = attrs.field(factory=dict, converter=_when, hash=False)
    calendar: BusinessCalendar | None = attrs.field(default=None)
    thresholds: tuple[Decimal, ...] = attrs.field(
        default=_DEFAULT_THRESHOLDS, converter=_thresholds
    )


@attrs.frozen
class GoalChoice:
    """Which goal a policy chose for a case, and why.

    Attributes:
        goal: The chosen goal's name.
        matched: True when a goal's conditions matched; False when the default applied.
        reasons: One line per goal considered, in order.
    """

    goal: str
    matched: bool
    reasons: tuple[str, ...]

    def explain(self) -> str:
        """The reasons as one readable paragraph."""
        return "; ".join(self.reasons)


def _version(_instance: object, _attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidDefinitionError("version", "a whole number >= 1", value)


def _goals(value: object) -> tuple[SlaGoal, ...]:
    if isinstance(value, str) or not isinstance(value, list | tuple) or not value:
        raise InvalidDefinitionError("goals", "a non-empty list of SlaGoal", value)
    return tuple(value)


@attrs.frozen(kw_only=True)
class SlaPolicy:
    """A named, versioned SLA definition: goals, how one is chosen, and a calendar.

    Goals are tried in order and the first whose ``when`` conditions all hold
    for the case's facts wins; when none matches, the goal named ``default``
    applies. Clocks record the policy's name and version, so a new version
    never changes clocks already running under an old one.

    Args:
        name: The policy's name, e.g. ``"complaint-reply"``.
        version: Increases with every revision.
        goals: The goals, in the order they are tried.
        default: Name of the goal used when no goal's conditions match.
        calendar: Calendar for goals that count business time and name none.
    """

    name: str = attrs.field(validator=attrs.validators.instance_of(str))
    version: int = attrs.field(default=1, validator=_version)
    goals: tuple[SlaGoal, ...] = attrs.field(converter=_goals)
    default: str = attrs.field()
    calendar: BusinessCalendar | None = attrs.field(default=None)
    # Each goal by name, with the calendar that counts its time (None: wall
    # time): clocks look their goal up on every status.
    _by_name: dict[str, tuple[SlaGoal, BusinessCalendar | None]] = attrs.field(
        init=False, eq=False, repr=False, hash=False
    )

    def __attrs_post_init__(self) -> None:
        names: set[str] = set()
        for i, goal in enumerate(self.goals):
            if not isinstance(goal, SlaGoal):
                raise InvalidDefinitionError(f"goals[{i}]", "an SlaGoal", goal)
            if goal.name in names:
                raise InvalidDefinitionError(f"goals[{i}].name", "a unique goal name", goal.name)
            names.add(goal.name)
            needs_calendar = isinstance(goal.target, BusinessHours | BusinessDays)
            if needs_calendar and goal.calendar is None and self.calendar is None:
                raise InvalidDefinitionError(
                    f"goals[{i}].calendar",
                    "a calendar (on the goal or the policy) to count business time",
                    None,
                )
        if self.default not in names:
            raise InvalidDefinitionError(
                "default",
                f"the name of one of the goals ({', '.join(sorted(names))})",
                self.default,
            )
        by_name = {
            goal.name: (
                goal,
                self.calendar_for(goal) if self.measures_business_time(goal) else None,
            )
            for goal in self.goals
        }
        object.__setattr__(self, "_by_name", by_name)

    def goal(self, name: str) -> SlaGoal:
        """The goal called ``name``.

        Raises:
            UnknownNameError: no goal has that name.
        """
        return self._goal_and_calendar(name)[0]

    def _goal_and_calendar(self, name: str) -> tuple[SlaGoal, BusinessCalendar | None]:
        """The goal called ``name`` and the calendar that counts its time (None: wall time)."""
        try:
            return self._by_name[name]
        except (KeyError, TypeError):
            raise UnknownNameError("goal", name) from None

    def calendar_for(self, goal: SlaGoal) -> BusinessCalendar | None:
        """The calendar that counts time for ``goal`` (its own, else the policy's)."""
        return goal.calendar if goal.calendar is not None else self.calendar

    def measures_business_time(self, goal: SlaGoal) -> bool:
        """Whether ``goal`` counts open time of a calendar rather than wall time."""
        if isinstance(goal.target, timedelta):
            return False
        return self.calendar_for(goal) is not None

    def choose(self, facts: Mapping[str, Any]) -> GoalChoice:
        """Pick the goal for a case: first match wins, else the default, with reasons."""
        reasons = []
        for goal in self.goals:
            if not goal.when:
                continue
            matched, why = match_when(goal.when, facts)
            if matched:
                reasons.append(f"goal {goal.name!r} matched: {' and '.join(why)}")
                return GoalChoice(goal.name, True, tuple(reasons))
            reasons.append(f"goal {goal.name!r} did not match: {why[-1]}")
        reasons.append(f"no goal matched, so the default {self.default!r} applies")
        return GoalChoice(self.default, False, tuple(reasons))

    def start(
        self,
        *,
        at: datetime,
        facts: Mapping[str, Any] | None = None,
        subject: str = "",
        goal: str | None = None,
        actor: str = "system",
    ) -> tuple[SlaClock, tuple[Event, ...]]:
        """Start a clock for one case at ``at`` (which may lie in the past).

        Args:
            at: When the clock starts; a past instant starts it retroactively,
                and thresholds already passed are reported with the instants
                they were crossed.
            facts: Facts of the case that choose the goal (e.g. priority).
            subject: What the clock times (a complaint number …), for events.
            goal: Force a goal by name instead of choosing by facts.
            actor: Who started it, for the events.

        Returns:
            The running clock and the events it caused.
        """
        from govkit.sla._clock import SlaClock

        return SlaClock.begin(
            self, at=at, facts=dict(facts or {}), subject=subject, goal=goal, actor=actor
        )
