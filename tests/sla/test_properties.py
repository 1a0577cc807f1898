"""Property-based tests (Hypothesis) of SLA clocks under random pauses and resumes."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import example, given, settings
from hypothesis import strategies as st

from govkit.calendar import BusinessCalendar, BusinessDays, BusinessHours, Duration, Period
from govkit.serialization import from_json, make_converter, to_json
from govkit.sla import SlaClock, SlaGoal, SlaPolicy, SlaStatus

SH = ZoneInfo("Asia/Shanghai")
CHINA = BusinessCalendar.china()
US = timedelta(microseconds=1)
ZERO = timedelta(0)
FIRST = datetime(2025, 1, 1, tzinfo=SH)
LAST = datetime(2026, 8, 1, tzinfo=SH)  # leaves room before the calendar's horizon
FAST = settings(max_examples=100, deadline=None)

Measure = Callable[[datetime, datetime], timedelta]


def wall(start: datetime, end: datetime) -> timedelta:
    """Elapsed time, the measure of a timedelta goal."""
    return end - start


@dataclass(frozen=True)
class Window:
    """One snapshot of a clock and the instants for which it is the latest snapshot."""

    clock: SlaClock
    since: datetime
    until: datetime

    def instants(self) -> list[datetime]:
        """Instants to ask this snapshot about: its bounds, a midpoint and near the end."""
        middle = self.since + (self.until - self.since) / 2
        near = max(self.since, self.until - US)
        return sorted({self.since, middle, near, self.until})


@dataclass(frozen=True, repr=False)
class Scenario:
    """A clock started at ``start`` and paused/resumed at increasing instants."""

    policy: SlaPolicy
    start: datetime
    windows: tuple[Window, ...]
    spans: tuple[tuple[datetime, datetime | None], ...]
    end: datetime
    measure: Measure

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        # Hypothesis prints failing examples with this; dataclass fields would print the
        # whole calendar (tens of kilobytes).
        printer.text(repr(self))

    def __repr__(self) -> str:
        goal = self.policy.goal("goal")
        changes = [w.until.isoformat() for w in self.windows[:-1]]
        return (
            f"Scenario(target={goal.target!r}, thresholds={[str(t) for t in goal.thresholds]}, "
            f"start={self.start.isoformat()}, pause/resume at {changes}, "
            f"end={self.end.isoformat()})"
        )

    @property
    def final(self) -> SlaClock:
        return self.windows[-1].clock

    def samples(self) -> Iterator[tuple[SlaClock, datetime]]:
        """Every (snapshot, instant) pair worth checking, in time order."""
        for window in self.windows:
            for moment in window.instants():
                yield window.clock, moment

    def counted(self, moment: datetime) -> timedelta:
        """Time counted by the running spans up to ``moment``, from first principles."""
        total = ZERO
        for start, end in self.spans:
            stop = moment if end is None else min(end, moment)
            if stop > start:
                total += self.measure(start, stop)
        return total

    def first_reached(self, needed: timedelta, until: datetime) -> datetime | None:
        """The first instant by ``until`` at which the running spans had counted ``needed``."""
        total = ZERO
        for start, end in self.spans:
            stop = until if end is None else min(end, until)
            if stop < start:
                break
            here = self.measure(start, stop)
            if total + here >= needed:
                rest = needed - total
                if self.measure is wall:
                    return (start.astimezone(UTC) + rest).astimezone(SH)
                return CHINA.add_open_time(start, rest)
            total += here
        return None

    def ran_after(self, moment: datetime, until: datetime) -> bool:
        """Whether the clock ran at some instant in (moment, until)."""
        for start, end in self.spans:
            stop = until if end is None else min(end, until)
            if stop > max(start, moment):
                return True
        return False


GOALS: st.SearchStrategy[Duration] = st.one_of(
    st.integers(1, 80).map(lambda quarters: BusinessHours(Decimal(quarters) / 4)),
    st.integers(1, 5).map(BusinessDays),
    st.integers(1, 7).map(lambda days: Period(days=days)),
    st.integers(1, 24 * 60 * 3).map(lambda minutes: timedelta(minutes=minutes)),
)

MINUTES: st.SearchStrategy[timedelta] = st.integers(0, 4 * 24 * 60).map(
    lambda minutes: timedelta(minutes=minutes)
)
GAPS: st.SearchStrategy[timedelta] = st.one_of(
    MINUTES,
    MINUTES,
    st.sampled_from([ZERO, US, timedelta(minutes=1), timedelta(hours=1), timedelta(days=1)]),
    st.integers(0, 10**9).map(lambda us: timedelta(microseconds=us)),
)

# The last stretch is often long, so that thresholds and breaches are reached.
LONG_GAPS: st.SearchStrategy[timedelta] = st.builds(
    lambda days, minutes: timedelta(days=days, minutes=minutes),
    st.integers(0, 20),
    st.integers(0, 24 * 60 - 1),
)

# Days next to public holidays and make-up working days (调休), where counting is delicate.
ANCHORS = [
    date(2025, 1, 24),
    date(2025, 4, 25),
    date(2025, 9, 26),
    date(2025, 9, 30),
    date(2026, 2, 12),
    date(2026, 2, 13),
    date(2026, 4, 30),
    date(2026, 5, 8),
    date(2026, 6, 18),
    date(2026, 9, 18),
]
DAYS: st.SearchStrategy[date] = st.one_of(
    st.sampled_from(ANCHORS),
    st.integers(0, (LAST - FIRST).days).map(lambda n: FIRST.date() + timedelta(days=n)),
)
MINUTE_OF_DAY: st.SearchStrategy[int] = st.one_of(
    st.sampled_from([0, 9 * 60, 12 * 60, 13 * 60, 18 * 60, 18 * 60 - 1]),
    st.integers(0, 24 * 60 - 1),
)


# A step moves time on by a gap, or to the clock's next check or due instant, so that
# pauses and resumes land exactly on thresholds and due instants now and then.
Step = timedelta | str
STEPS: st.SearchStrategy[Step] = st.one_of(GAPS, st.sampled_from(["next", "due"]))


def advance(clock: SlaClock, moment: datetime, step: Step) -> datetime:
    """The instant ``step`` leads to from ``moment`` (never earlier)."""
    if isinstance(step, timedelta):
        return moment + step
    target = clock.next_check_at(moment) if step == "next" else clock.status(moment).due_at
    return moment if target is None else max(moment, target)


def build(
    target: Duration,
    thresholds: list[Decimal],
    start: datetime,
    steps: list[Step],
    last: Step,
) -> Scenario:
    """Start a clock at ``start``, then pause and resume it at each step in turn."""
    policy = SlaPolicy(
        name="property",
        goals=[SlaGoal(name="goal", target=target, thresholds=thresholds)],
        default="goal",
        calendar=CHINA,
    )
    measure: Measure = wall if isinstance(target, timedelta) else CHINA.between
    clock, _ = policy.start(at=start, subject="case")
    moment = start
    windows: list[Window] = []
    spans: list[tuple[datetime, datetime | None]] = []
    running_since: datetime | None = start
    for step in steps:
        moment = advance(clock, moment, step)
        windows.append(Window(clock, clock.updated_at, moment))
        if clock.state == "running":
            assert running_since is not None
            spans.append((running_since, moment))
            running_since = None
            clock, _ = clock.pause(moment)
        else:
            running_since = moment
            clock, _ = clock.resume(moment)
    end = advance(clock, moment, last)
    windows.append(Window(clock, clock.updated_at, end))
    if running_since is not None:
        spans.append((running_since, None))
    return Scenario(policy, start, tuple(windows), tuple(spans), end, measure)


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    """A random goal and start, then pauses and resumes at increasing instants."""
    fractions = draw(st.lists(st.integers(1, 99), unique=True, min_size=1, max_size=3))
    return build(
        target=draw(GOALS),
        thresholds=[Decimal(f) / 100 for f in sorted(fractions)],
        start=datetime.combine(draw(DAYS), time(), SH) + timedelta(minutes=draw(MINUTE_OF_DAY)),
        steps=draw(st.lists(STEPS, max_size=7)),
        last=draw(st.one_of(LONG_GAPS, LONG_GAPS, STEPS)),
    )


# Paused exactly when the target is used up, resumed a minute later, asked at the resume.
PAUSED_AT_DUE = build(
    target=timedelta(minutes=1),
    thresholds=[Decimal("0.5")],
    start=datetime(2026, 3, 2, 9, tzinfo=SH),
    steps=["due", timedelta(minutes=1)],
    last=ZERO,
)
# The same on business time: paused at the close of the due day, resumed next morning.
PAUSED_AT_CLOSE = build(
    target=BusinessDays(1),
    thresholds=[Decimal("0.5")],
    start=datetime(2026, 3, 2, 10, tzinfo=SH),
    steps=["due", timedelta(hours=15)],
    last=ZERO,
)


def amount(target: timedelta, fraction: Decimal) -> timedelta:
    """The counted time at which ``fraction`` of ``target`` is used (rounded up to 1 µs)."""
    return US * math.ceil(Decimal(target // US) * fraction)


@FAST
@given(scenario=scenarios())
@example(scenario=PAUSED_AT_DUE)
@example(scenario=PAUSED_AT_CLOSE)
def test_elapsed_is_the_time_counted_while_running(scenario: Scenario) -> None:
    """Elapsed equals the open time of the running spans, never more than from start to now."""
    for clock, moment in scenario.samples():
        status = clock.status(moment)
        assert status.elapsed == scenario.counted(moment)
        assert status.elapsed <= scenario.measure(scenario.start, moment)
        assert status.elapsed <= moment - scenario.start
        assert status.remaining == max(ZERO, status.target - status.elapsed)


@FAST
@given(scenario=scenarios())
@example(scenario=PAUSED_AT_DUE)
@example(scenario=PAUSED_AT_CLOSE)
def test_pausing_never_increases_elapsed(scenario: Scenario) -> None:
    """A clock with pauses has counted no more than the same clock never paused."""
    unpaused, _ = scenario.policy.start(at=scenario.start, subject="case")
    for clock, moment in scenario.samples():
        paused = clock.status(moment)
        always = unpaused.status(moment)
        assert paused.elapsed <= always.elapsed
        assert paused.fraction_used <= always.fraction_used
        assert always.elapsed == scenario.measure(scenario.start, moment)


@FAST
@given(scenario=scenarios())
@example(scenario=PAUSED_AT_DUE)
@example(scenario=PAUSED_AT_CLOSE)
def test_status_is_monotone_in_time(scenario: Scenario) -> None:
    """Elapsed and fraction never fall, crossings only accumulate, a breach never heals."""
    previous: SlaStatus | None = None
    for clock, moment in scenario.samples():
        status = clock.status(moment)
        if previous is not None:
            assert status.at >= previous.at
            assert status.elapsed >= previous.elapsed
            assert status.fraction_used >= previous.fraction_used
            assert set(previous.crossed) <= set(status.crossed)
            assert status.breached or not previous.breached
        previous = status


@FAST
@given(scenario=scenarios())
@example(scenario=PAUSED_AT_DUE)
@example(scenario=PAUSED_AT_CLOSE)
def test_paused_clock_elapsed_is_constant(scenario: Scenario) -> None:
    """While paused, elapsed, remaining and crossings do not change."""
    for window in scenario.windows:
        if window.clock.state != "paused":
            continue
        statuses = [window.clock.status(moment) for moment in window.instants()]
        assert len({s.elapsed for s in statuses}) == 1
        assert len({s.remaining for s in statuses}) == 1
        assert len({s.crossed for s in statuses}) == 1
        assert len({s.breached for s in statuses}) == 1


@FAST
@given(scenario=scenarios())
@example(scenario=PAUSED_AT_DUE)
@example(scenario=PAUSED_AT_CLOSE)
def test_tick_then_status_agrees_with_status(scenario: Scenario) -> None:
    """Recording crossings with tick changes no answer status gives, now or later."""
    for clock, moment in scenario.samples():
        ticked, events = clock.tick(moment)
        assert ticked.status(moment) == clock.status(moment)
        assert ticked.status(scenario.end) == clock.status(scenario.end)
        assert [e.at for e in events] == sorted(e.at for e in events)
        assert all(e.at <= moment for e in events)
        assert len(events) == len(set(ticked.crossed) - set(clock.crossed))


@FAST
@given(scenario=scenarios())
@example(scenario=PAUSED_AT_DUE)
@example(scenario=PAUSED_AT_CLOSE)
def test_crossing_instants_are_where_counted_time_reaches_the_threshold(
    scenario: Scenario,
) -> None:
    """Each crossing is the first instant the running spans counted its share of the target."""
    status = scenario.final.status(scenario.end)
    crossed = {c.fraction: c.at for c in status.crossed}
    for fraction in (*scenario.policy.goal("goal").thresholds, Decimal(1)):
        needed = amount(status.target, fraction)
        reached = scenario.first_reached(needed, scenario.end)
        if fraction in crossed:
            assert scenario.counted(crossed[fraction]) == needed
            assert scenario.counted(crossed[fraction] - US) < needed
        if fraction < 1:
            assert crossed.get(fraction) == reached
        else:
            breached = reached is not None and scenario.ran_after(reached, scenario.end)
            assert crossed.get(fraction) == (reached if breached else None)
            assert status.breached is breached


@FAST
@given(scenario=scenarios())
@example(scenario=PAUSED_AT_DUE)
@example(scenario=PAUSED_AT_CLOSE)
def test_json_round_trip_keeps_every_status(scenario: Scenario) -> None:
    """A clock loaded from JSON answers every status exactly as the original."""
    converter = make_converter(definitions=[scenario.policy])
    for window in scenario.windows:
        loaded = from_json(
            to_json(window.clock, converter=converter), SlaClock, converter=converter
        )
        assert loaded == window.clock
        for moment in window.instants():
            assert loaded.status(moment) == window.clock.status(moment)


@FAST
@given(scenario=scenarios())
@example(scenario=PAUSED_AT_DUE)
@example(scenario=PAUSED_AT_CLOSE)
def test_next_check_at_is_the_next_change(scenario: Scenario) -> None:
    """next_check_at is after now; nothing changes before it, crossings or breach change at it."""
    for clock, moment in scenario.samples():
        upcoming = clock.next_check_at(moment)
        now = clock.status(moment)
        if upcoming is None:
            assert clock.state != "running" or (
                now.breached and len(now.crossed) == len(clock.goal_definition().thresholds) + 1
            )
            continue
        assert clock.state == "running"
        assert upcoming > moment
        before = clock.status(upcoming - US)
        at = clock.status(upcoming)
        assert (before.crossed, before.breached) == (now.crossed, now.breached)
        assert (at.crossed, at.breached) != (before.crossed, before.breached)


@FAST
@given(scenario=scenarios())
@example(scenario=PAUSED_AT_DUE)
@example(scenario=PAUSED_AT_CLOSE)
def test_stop_outcome_matches_the_breach(scenario: Scenario) -> None:
    """Stopping is met exactly when the clock is not breached at that instant; history keeps it."""
    for clock, moment in scenario.samples():
        status = clock.status(moment)
        stopped, events = clock.stop(moment)
        assert stopped.state == ("missed" if status.breached else "met")
        assert events[-1].action == f"sla.{stopped.state}"
        cycle = stopped.history[-1]
        assert (cycle.outcome, cycle.elapsed, cycle.ended_at) == (
            stopped.state,
            status.elapsed,
            moment,
        )
        assert stopped.status(scenario.end + timedelta(days=30)).elapsed == status.elapsed
