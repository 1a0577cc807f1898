"""SlaClock: one timed case under an SLA policy, as frozen snapshots.

Lifecycle (checked by a ``transitions`` state machine)::

    running ⇄ paused → met | missed
    running | paused → cancelled
    met | missed | cancelled → running   (start: a new cycle)

Time is measured per goal: wall time for a ``timedelta`` target, open time of
the goal's calendar otherwise. The clock keeps the running spans of its
current cycle, so every answer (elapsed, due instant, the instant a threshold
was crossed) is computed from what happened, never from "now".

The breach rule follows the Civil Code's reading of a deadline: acting *at*
the due instant is in time. A clock is breached once it has been running
after the instant its target was used up; a clock paused exactly at that
instant is not (yet) breached.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any, ClassVar

import attrs
from transitions import Machine, MachineError

from govkit._time import require_aware
from govkit.audit import Event
from govkit.calendar import BusinessCalendar, BusinessDays, BusinessHours, Period, format_duration
from govkit.errors import InvalidTimeError, InvalidTransitionError, StaleVersionError
from govkit.sla._policy import GoalChoice, SlaGoal, SlaPolicy

__all__ = ["Cycle", "SlaClock", "SlaStatus", "Span", "ThresholdCrossing"]

_ONE_US = timedelta(microseconds=1)
_ZERO = timedelta(0)
_BREACH = Decimal(1)

STATES = ("running", "paused", "met", "missed", "cancelled")


@lru_cache(maxsize=1)
def _machine() -> Machine:
    # The lifecycle is the same for every policy and version, so one machine
    # serves all clocks; it runs on throwaway cursors, never on snapshots.
    machine = Machine(model=None, states=list(STATES), initial="running", auto_transitions=False)
    machine.add_transition("pause", "running", "paused")
    machine.add_transition("resume", "paused", "running")
    machine.add_transition("stop", ["running", "paused"], "met", conditions="within")
    machine.add_transition("stop", ["running", "paused"], "missed")
    machine.add_transition("cancel", ["running", "paused"], "cancelled")
    machine.add_transition("start", ["met", "missed", "cancelled"], "running")
    machine.add_transition("retarget", ["running", "paused"], "=")
    return machine


class _Cursor:
    __slots__ = ("state", "within")

    def __init__(self, state: str, within: bool) -> None:
        self.state = state
        self.within = within


def _fire(action: str, state: str, *, within: bool = True) -> str:
    cursor = _Cursor(state, within)
    try:
        _machine().events[action].trigger(cursor)
    except MachineError:
        raise InvalidTransitionError(state, action) from None
    return cursor.state


@attrs.frozen
class Span:
    """A stretch of time during which the clock ran, and the time it counted."""

    start: datetime
    end: datetime
    elapsed: timedelta


@attrs.frozen
class ThresholdCrossing:
    """A threshold the clock passed: the fraction of the target and when.

    For the breach (fraction 1) ``at`` is the instant the target was used up;
    the clock is breached from just after it.
    """

    fraction: Decimal
    at: datetime


@attrs.frozen(kw_only=True)
class Cycle:
    """A completed cycle: its goal, span, outcome and the time it used."""

    number: int
    goal: str
    started_at: datetime
    ended_at: datetime
    outcome: str
    elapsed: timedelta
    target: timedelta
    due_at: datetime


@attrs.frozen(kw_only=True)
class SlaStatus:
    """Where a clock stands at one instant.

    Attributes:
        at: The instant asked about.
        state: running, paused, met, missed or cancelled.
        goal: The goal in force.
        cycle: The cycle number (from 1).
        elapsed: Time counted so far (business time on a calendar goal).
        target: The time the goal allows, in the same measure.
        remaining: ``target - elapsed``, never below zero.
        due_at: When the target was or will be used up, projected from the
            pauses so far (as if resumed now when paused); for a finished
            cycle, the due instant in force when it ended.
        fraction_used: ``elapsed / target``.
        breached: Whether the clock has run past its due instant.
        crossed: Thresholds passed, each with the instant it was crossed.
    """

    at: datetime
    state: str
    goal: str
    cycle: int
    elapsed: timedelta
    target: timedelta
    remaining: timedelta
    due_at: datetime | None
    fraction_used: float
    breached: bool
    crossed: tuple[ThresholdCrossing, ...]

    def explain(self) -> str:
        """One paragraph a person can read."""
        parts = [
            f"{self.state}, goal {self.goal!r} (cycle {self.cycle}): used "
            f"{self.fraction_used:.0%} ({_hours(self.elapsed)} of {_hours(self.target)})"
        ]
        if self.due_at is not None:
            parts.append(f"due {self.due_at.isoformat()}")
        for crossing in self.crossed:
            label = "breach" if crossing.fraction == _BREACH else f"{crossing.fraction:%}"
            parts.append(f"{label} at {crossing.at.isoformat()}")
        if self.breached:
            parts.append("BREACHED")
        return "; ".join(parts)


def _hours(amount: timedelta) -> str:
    minutes = round(amount / timedelta(minutes=1))
    return f"{minutes // 60}h{minutes % 60:02d}"


def _real_time(start: datetime, end: datetime) -> timedelta:
    """Elapsed time between two instants.

    Subtracting datetimes that share a tzinfo gives the difference of their
    wall clocks (Python's rule), which is an hour off across a DST change.
    """
    return end.astimezone(UTC) - start.astimezone(UTC)


class _Meter:
    """How one goal counts time: a calendar's open time, or the wall clock."""

    __slots__ = ("calendar",)

    def __init__(self, calendar: BusinessCalendar | None) -> None:
        self.calendar = calendar

    def measure(self, start: datetime, end: datetime) -> timedelta:
        if self.calendar is None:
            return _real_time(start, end)
        return self.calendar.between(start, end)

    def reach(self, start: datetime, amount: timedelta) -> datetime:
        """The earliest instant at which ``amount`` has been counted since ``start``."""
        if self.calendar is None:
            return (start.astimezone(UTC) + amount).astimezone(start.tzinfo)
        return self.calendar.add_open_time(start, amount)


def _meter(policy: SlaPolicy, goal: SlaGoal) -> _Meter:
    return _Meter(policy.calendar_for(goal) if policy.measures_business_time(goal) else None)


def _target(policy: SlaPolicy, goal: SlaGoal, start: datetime) -> timedelta:
    """The goal's target as an amount of counted time, for a cycle starting at ``start``."""
    target = goal.target
    if isinstance(target, timedelta):
        return target
    if isinstance(target, BusinessHours):
        return target.as_timedelta()
    calendar = policy.calendar_for(goal)
    if calendar is None:  # a Period without a calendar: until 24:00 of its last day
        assert isinstance(target, Period)
        return _real_time(start, target.end_of(start))
    assert isinstance(target, BusinessDays | Period)
    return calendar.between(start, calendar.add(start, target))


def _given(policy: SlaPolicy, goal: str) -> GoalChoice:
    """The choice of a goal named by the caller rather than chosen by facts."""
    return GoalChoice(policy.goal(goal).name, True, (f"goal {goal!r} was given",))


def _threshold(target: timedelta, fraction: Decimal) -> timedelta:
    us = target // _ONE_US
    return _ONE_US * math.ceil(Decimal(us) * fraction)


@lru_cache(maxsize=4096)
def _amounts(
    thresholds: tuple[Decimal, ...], target: timedelta
) -> tuple[tuple[Decimal, timedelta], ...]:
    """Each warning fraction with the time it stands for, then the breach (the whole target)."""
    return (*((f, _threshold(target, f)) for f in thresholds), (_BREACH, target))


@attrs.frozen(kw_only=True)
class SlaClock:
    """A frozen snapshot of one case's SLA clock; every change returns a new one.

    Create clocks with :meth:`SlaPolicy.start`. Each operation takes the
    instant it happened (``at``, never before the clock's last change) and
    returns ``(new_clock, events)``; bad input raises and changes nothing.
    ``version`` grows with every change: pass ``expected_version`` to refuse
    a change made from a stale snapshot.
    """

    __govkit_definition__: ClassVar[str] = "policy"

    policy: SlaPolicy = attrs.field(repr=False)
    subject: str
    facts: Mapping[str, Any] = attrs.field(hash=False)
    goal: str
    state: str
    version: int
    cycle: int
    started_at: datetime
    target: timedelta
    banked: timedelta
    running_since: datetime | None
    segments: tuple[Span, ...]
    crossed: tuple[ThresholdCrossing, ...]
    updated_at: datetime
    ended_at: datetime | None
    history: tuple[Cycle, ...]
    # Planned at each change and fixed until the next, so that a status only
    # locates `at` on the calendar: where each threshold (and the breach) is
    # reached in this cycle's spans, and the calendar's open time up to
    # `running_since` (on a calendar goal, while running).
    _planned: tuple[datetime | None, ...] | None = attrs.field(
        init=False, default=None, eq=False, repr=False, hash=False
    )
    _since_us: int | None = attrs.field(init=False, default=None, eq=False, repr=False, hash=False)

    # -- construction --------------------------------------------------------

    @classmethod
    def begin(
        cls,
        policy: SlaPolicy,
        *,
        at: datetime,
        facts: Mapping[str, Any],
        subject: str,
        goal: str | None,
        actor: str,
    ) -> tuple[SlaClock, tuple[Event, ...]]:
        """Start a clock (use :meth:`SlaPolicy.start`)."""
        at = require_aware(at, "at")
        choice = _given(policy, goal) if goal is not None else policy.choose(facts)
        chosen = policy.goal(choice.goal)
        clock = cls(
            policy=policy,
            subject=subject,
            facts=dict(facts),
            goal=chosen.name,
            state="running",
            version=1,
            cycle=1,
            started_at=at,
            target=_target(policy, chosen, at),
            banked=_ZERO,
            running_since=at,
            segments=(),
            crossed=(),
            updated_at=at,
            ended_at=None,
            history=(),
        )
        due = clock._meter().reach(at, clock.target)
        event = clock._event(
            "sla.started", at, actor, due_at=due.isoformat(), reasons=list(choice.reasons)
        )
        clock._schedule()  # plan the thresholds now, so that status() only measures
        return clock, (event,)

    # -- reading ---------------------------------------------------------------

    def goal_definition(self) -> SlaGoal:
        """The goal in force, from the policy."""
        return self.policy.goal(self.goal)

    def explain_goal(self) -> GoalChoice:
        """Why the policy chooses this clock's goal for its facts."""
        return self.policy.choose(self.facts)

    def status(self, at: datetime) -> SlaStatus:
        """Where the clock stands at ``at`` (not before its last change)."""
        at = self._check_at(at)
        return self._status(at, self._elapsed(at))

    @staticmethod
    def status_many(clocks: Iterable[SlaClock], at: datetime) -> Iterator[SlaStatus]:
        """The status of each clock at one instant, as :meth:`status` gives it, in order.

        Faster than calling :meth:`status` in a loop: ``at`` is checked once
        and located once on each calendar. Statuses are made one at a time as
        the iterator is consumed, so a host can write each away and keep
        none; a clock that cannot answer raises when its turn comes.

        Raises:
            NaiveDatetimeError: ``at`` has no time zone (raised at once).
            InvalidTimeError: ``at`` is before a clock's last change; the
                message names the clock by index and subject.
            HorizonError: ``at`` is outside the horizon of a clock's calendar.
        """
        return SlaClock._status_each(clocks, require_aware(at, "at"))

    def next_check_at(self, at: datetime) -> datetime | None:
        """The next instant after ``at`` at which the status changes, or ``None``.

        That is the next threshold crossing, or the first microsecond of the
        breach. A host schedules one timer per clock for this instant and
        calls :meth:`tick` when it fires. Only a running clock has one.
        """
        at = self._check_at(at)
        if self.state != "running" or self.running_since is None:
            return None
        elapsed = self._elapsed(at)
        amounts = self._amounts()
        done = {c.fraction for c in self._crossings(at, elapsed, amounts)}
        for (fraction, amount), planned in zip(amounts, self._schedule(), strict=True):
            if fraction in done:
                continue
            if amount > elapsed and planned is not None:
                moment = planned
            else:  # used up at or before `at`; late from the first instant run after both
                used_up = self._used_up(elapsed) or at
                moment = max(used_up, self.running_since)
            return moment + _ONE_US if fraction == _BREACH else moment
        return None

    # -- changes ---------------------------------------------------------------

    def tick(self, at: datetime, *, actor: str = "system") -> tuple[SlaClock, tuple[Event, ...]]:
        """Record thresholds and breaches passed by ``at``, each event at its own instant."""
        at = self._check_at(at)
        return self._record(at, actor)

    def pause(
        self, at: datetime, *, actor: str = "system", expected_version: int | None = None
    ) -> tuple[SlaClock, tuple[Event, ...]]:
        """Stop counting (e.g. while waiting for the customer)."""
        return self._change("pause", at, actor, expected_version)

    def resume(
        self, at: datetime, *, actor: str = "system", expected_version: int | None = None
    ) -> tuple[SlaClock, tuple[Event, ...]]:
        """Count again after a pause."""
        return self._change("resume", at, actor, expected_version)

    def stop(
        self, at: datetime, *, actor: str = "system", expected_version: int | None = None
    ) -> tuple[SlaClock, tuple[Event, ...]]:
        """Finish the cycle: met when within target, missed otherwise."""
        return self._change("stop", at, actor, expected_version)

    def cancel(
        self, at: datetime, *, actor: str = "system", expected_version: int | None = None
    ) -> tuple[SlaClock, tuple[Event, ...]]:
        """Abandon the cycle without an outcome for the goal."""
        return self._change("cancel", at, actor, expected_version)

    def start(
        self,
        at: datetime,
        *,
        goal: str | None = None,
        actor: str = "system",
        expected_version: int | None = None,
    ) -> tuple[SlaClock, tuple[Event, ...]]:
        """Open a new cycle after a stop or cancel; completed cycles keep their outcome."""
        return self._change("start", at, actor, expected_version, goal=goal)

    def retarget(
        self,
        goal: str,
        at: datetime,
        *,
        keep_elapsed: bool = True,
        facts: Mapping[str, Any] | None = None,
        actor: str = "system",
        expected_version: int | None = None,
    ) -> tuple[SlaClock, tuple[Event, ...]]:
        """Switch the running cycle to another goal (e.g. the priority changed).

        With ``keep_elapsed`` the time already counted counts against the new
        goal, whose target runs from the cycle's start; without it counting
        starts afresh at ``at``. ``facts`` replaces the case's facts (so that
        later cycles choose by them). Completed cycles are never rewritten.
        """
        self.policy.goal(goal)  # unknown goal: refuse before anything else
        return self._change(
            "retarget",
            at,
            actor,
            expected_version,
            goal=goal,
            keep_elapsed=keep_elapsed,
            facts=None if facts is None else dict(facts),
        )

    # -- internals -------------------------------------------------------------

    def _meter(self) -> _Meter:
        return _Meter(self.policy._goal_and_calendar(self.goal)[1])

    def _check_at(self, at: datetime) -> datetime:
        at = require_aware(at, "at")
        if at < self.updated_at:
            raise self._too_early(at, "the clock's last change")
        return at

    def _too_early(self, at: datetime, change: str) -> InvalidTimeError:
        return InvalidTimeError(
            "at", at, f"expected an instant at or after {change} {self.updated_at}"
        )

    @staticmethod
    def _status_each(clocks: Iterable[SlaClock], at: datetime) -> Iterator[SlaStatus]:
        ends: dict[int, int] = {}  # shared by the clocks: `at` located once per calendar
        for i, clock in enumerate(clocks):
            if at < clock.updated_at:
                which = f"clocks[{i}] (subject {clock.subject!r})"
                raise clock._too_early(at, f"the last change of {which},")
            yield clock._status(at, clock._elapsed(at, ends))

    def _status(self, at: datetime, elapsed: timedelta) -> SlaStatus:
        """The status at ``at`` (checked), when ``elapsed`` has been counted by then."""
        crossed = self._crossings(at, elapsed, self._amounts())
        if crossed and crossed[-1].fraction == _BREACH:
            due: datetime | None = crossed[-1].at
            # A breach found from the plan is one the clock ran after; a
            # recorded one is checked.
            breached = not self.crossed or self._ran_after(crossed[-1].at, at)
        else:
            # Not breached: the target is used up by `at` only where the clock
            # has not run since (the breach would be among the crossings).
            breached = False
            due = self._used_up(elapsed)
            if due is None:
                if self.running_since is not None:
                    due = self._due_planned()
                elif self.state == "paused":
                    due = self._meter().reach(at, self.target - elapsed)
                else:
                    due = self.history[-1].due_at
        target = self.target
        return SlaStatus(
            at=at,
            state=self.state,
            goal=self.goal,
            cycle=self.cycle,
            elapsed=elapsed,
            target=target,
            remaining=target - elapsed if elapsed < target else _ZERO,
            due_at=due,
            fraction_used=elapsed / target,  # int µs / int µs, as timedelta divides
            breached=breached,
            crossed=crossed,
        )

    def _event(self, action: str, at: datetime, actor: str, **data: Any) -> Event:
        return Event(
            actor=actor,
            action=action,
            subject=self.subject,
            at=at,
            data={
                "policy": self.policy.name,
                "policy_version": self.policy.version,
                "goal": self.goal,
                "cycle": self.cycle,
                **data,
            },
        )

    def _amounts(self) -> tuple[tuple[Decimal, timedelta], ...]:
        return _amounts(self.policy._goal_and_calendar(self.goal)[0].thresholds, self.target)

    def _schedule(self) -> tuple[datetime | None, ...]:
        """Where each amount is reached in this cycle's spans, one entry per amount.

        The closed spans fix where amounts up to ``banked`` were reached; the
        running span, where the rest will be if it keeps running (``None``
        when it is not). Also records where the running span starts on the
        goal's calendar. Both hold until the next change.
        """
        planned = self._planned
        if planned is None:
            calendar = self.policy._goal_and_calendar(self.goal)[1]
            meter = _Meter(calendar)
            entries: list[datetime | None] = []
            counted = _ZERO
            spans = iter(self.segments)
            span: Span | None = None
            for _, amount in self._amounts():
                moment: datetime | None = None
                if amount > self.banked:
                    if self.running_since is not None:
                        moment = meter.reach(self.running_since, amount - self.banked)
                else:  # the first closed span that brings the count to the amount
                    while span is None or counted + span.elapsed < amount:
                        if span is not None:
                            counted += span.elapsed
                        span = next(spans, None)
                        if span is None:  # pragma: no cover - banked is the sum of the spans
                            break
                    if span is not None:
                        moment = meter.reach(span.start, amount - counted)
                entries.append(moment)
            if self.running_since is not None and calendar is not None:
                since = calendar._open_us(self.running_since, "start")
                object.__setattr__(self, "_since_us", since)
            planned = tuple(entries)
            object.__setattr__(self, "_planned", planned)
        return planned

    def _elapsed(self, at: datetime, ends: dict[int, int] | None = None) -> timedelta:
        """Time counted by ``at`` (checked), as the goal measures it.

        ``ends`` keeps the open time up to ``at`` of each calendar met, by
        identity (calendars compare by value, which is slow), for other
        clocks asked about the same instant.
        """
        running_since = self.running_since
        if running_since is None:
            return self.banked
        calendar = self.policy._goal_and_calendar(self.goal)[1]
        if calendar is None:
            return self.banked + _real_time(running_since, at)
        end = None if ends is None else ends.get(id(calendar))
        if end is None:
            end = calendar._open_us(at, "end")
            if ends is not None:
                ends[id(calendar)] = end
        since = self._since_us
        if since is None:  # not planned yet (a clock loaded from JSON)
            self._schedule()
            since = self._since_us
            assert since is not None  # running on a calendar goal
        return self.banked + _ONE_US * (end - since)

    def _due_planned(self) -> datetime:
        """Where a running clock's spans use the target up."""
        breach = self._schedule()[-1]
        assert breach is not None  # the running span reaches any amount
        return breach

    def _used_up(self, elapsed: timedelta) -> datetime | None:
        """When the target was used up, if it had been with ``elapsed`` counted."""
        for crossing in self.crossed:
            if crossing.fraction == _BREACH:
                return crossing.at
        return self._reached(self._schedule()[-1], self.target, elapsed)

    def _reached(
        self, planned: datetime | None, amount: timedelta, elapsed: timedelta
    ) -> datetime | None:
        """The planned instant of ``amount``, if the cycle has counted it (``elapsed``)."""
        if planned is not None and (amount <= self.banked or elapsed >= amount):
            return planned
        return None

    def _ran_after(self, moment: datetime, at: datetime) -> bool:
        """Whether the clock was running at some instant after ``moment`` (up to ``at``).

        A span that counted nothing after ``moment`` (resumed and stopped at
        the same instant) does not make the clock late.
        """
        if self.running_since is not None and at > max(moment, self.running_since):
            return True
        return any(span.end > max(moment, span.start) for span in reversed(self.segments))

    def _crossings(
        self, at: datetime, elapsed: timedelta, amounts: tuple[tuple[Decimal, timedelta], ...]
    ) -> tuple[ThresholdCrossing, ...]:
        """The thresholds passed by ``at`` with ``elapsed`` counted: recorded, else planned."""
        planned = self._schedule()
        banked = self.banked
        recorded = {c.fraction: c for c in self.crossed} if self.crossed else {}
        breach = len(amounts) - 1  # the last amount is the whole target
        found = []
        for i, (fraction, amount) in enumerate(amounts):
            crossing = recorded.get(fraction) if recorded else None
            if crossing is None:
                moment = planned[i]  # as _reached(), inline: this is every status's loop
                if moment is None or (amount > banked and elapsed < amount):
                    continue
                if i == breach and not self._ran_after(moment, at):
                    continue
                crossing = ThresholdCrossing(fraction, moment)
            found.append(crossing)
        return tuple(found)

    def _record(self, at: datetime, actor: str) -> tuple[SlaClock, tuple[Event, ...]]:
        known = {c.fraction for c in self.crossed}
        crossings = self._crossings(at, self._elapsed(at), self._amounts())
        new = [c for c in crossings if c.fraction not in known]
        if not new:
            return self, ()
        events = tuple(self._crossing_event(c, actor) for c in sorted(new, key=lambda c: c.at))
        clock = attrs.evolve(self, crossed=crossings, version=self.version + 1, updated_at=at)
        # Recording changes no span, so the plan holds for the new snapshot too.
        planned = self._schedule()
        object.__setattr__(clock, "_since_us", self._since_us)
        object.__setattr__(clock, "_planned", planned)
        return clock, events

    def _crossing_event(self, crossing: ThresholdCrossing, actor: str) -> Event:
        if crossing.fraction == _BREACH:
            return self._event("sla.breached", crossing.at, actor, due_at=crossing.at.isoformat())
        return self._event(
            "sla.threshold_crossed", crossing.at, actor, fraction=str(crossing.fraction)
        )

    def _close_span(self, at: datetime) -> dict[str, Any]:
        """Fields that end the running span at ``at`` (nothing when not running)."""
        if self.running_since is None:
            return {}
        counted = self._meter().measure(self.running_since, at)
        span = Span(self.running_since, at, counted)
        return {
            "segments": (*self.segments, span),
            "banked": self.banked + counted,
            "running_since": None,
        }

    def _change(
        self,
        action: str,
        at: datetime,
        actor: str,
        expected_version: int | None,
        **options: Any,
    ) -> tuple[SlaClock, tuple[Event, ...]]:
        at = self._check_at(at)
        if expected_version is not None and expected_version != self.version:
            raise StaleVersionError(expected_version, self.version)
        _fire(action, self.state)  # refuse an impossible action before any work
        clock, events = self._record(at, actor)
        breached = any(c.fraction == _BREACH for c in clock.crossed)
        state = _fire(action, clock.state, within=not breached)
        changed, caused = clock._apply(action, state, at, actor, **options)
        changed = attrs.evolve(changed, version=self.version + 1, updated_at=at)
        changed._schedule()
        return changed, (*events, *caused)

    def _apply(
        self, action: str, state: str, at: datetime, actor: str, **options: Any
    ) -> tuple[SlaClock, tuple[Event, ...]]:
        if action == "pause":
            clock = attrs.evolve(self, state=state, **self._close_span(at))
            return clock, (clock._event("sla.paused", at, actor),)
        if action == "resume":
            clock = attrs.evolve(self, state=state, running_since=at)
            return clock, (clock._event("sla.resumed", at, actor),)
        if action in {"stop", "cancel"}:
            ended = attrs.evolve(self, state=state, ended_at=at, **self._close_span(at))
            meter = ended._meter()
            # The due instant in force at the end: when the target was used up,
            # or when it would have been had the clock kept running.
            due = ended._used_up(ended.banked) or meter.reach(at, self.target - ended.banked)
            cycle = Cycle(
                number=self.cycle,
                goal=self.goal,
                started_at=self.started_at,
                ended_at=at,
                outcome=state,
                elapsed=ended.banked,
                target=self.target,
                due_at=due,
            )
            clock = attrs.evolve(ended, history=(*self.history, cycle))
            elapsed = format_duration(ended.banked)
            return clock, (clock._event(f"sla.{state}", at, actor, elapsed=elapsed),)
        if action == "start":
            goal_name = options.get("goal")
            choice = (
                self.policy.choose(self.facts)
                if goal_name is None
                else _given(self.policy, goal_name)
            )
            goal = self.policy.goal(choice.goal)
            clock = attrs.evolve(
                self,
                state=state,
                goal=goal.name,
                cycle=self.cycle + 1,
                started_at=at,
                target=_target(self.policy, goal, at),
                banked=_ZERO,
                running_since=at,
                segments=(),
                crossed=(),
                ended_at=None,
            )
            due = clock._meter().reach(at, clock.target)
            reasons = list(choice.reasons)
            return clock, (
                clock._event("sla.started", at, actor, due_at=due.isoformat(), reasons=reasons),
            )
        assert action == "retarget"
        base = self if options["facts"] is None else attrs.evolve(self, facts=options["facts"])
        return base._retarget(options["goal"], at, actor, keep_elapsed=options["keep_elapsed"])

    def _retarget(
        self, goal_name: str, at: datetime, actor: str, *, keep_elapsed: bool
    ) -> tuple[SlaClock, tuple[Event, ...]]:
        goal = self.policy.goal(goal_name)
        meter = _meter(self.policy, goal)
        if keep_elapsed:
            # Re-count the spans: the new goal may count time on another calendar.
            spans = tuple(
                Span(s.start, s.end, meter.measure(s.start, s.end)) for s in self.segments
            )
            base = attrs.evolve(
                self,
                goal=goal.name,
                target=_target(self.policy, goal, self.started_at),
                segments=spans,
                banked=sum((s.elapsed for s in spans), _ZERO),
                crossed=(),
            )
        else:
            base = attrs.evolve(
                self,
                goal=goal.name,
                target=_target(self.policy, goal, at),
                segments=(),
                banked=_ZERO,
                running_since=at if self.running_since is not None else None,
                crossed=(),
            )
        clock = attrs.evolve(base, crossed=base._crossings(at, base._elapsed(at), base._amounts()))
        event = clock._event(
            "sla.retargeted",
            at,
            actor,
            previous_goal=self.goal,
            keep_elapsed=keep_elapsed,
            target=format_duration(clock.target),
        )
        # Crossings under the new target that were not already reported as they are.
        before = set(self.crossed)
        passed = tuple(clock._crossing_event(c, actor) for c in clock.crossed if c not in before)
        return clock, (event, *passed)
