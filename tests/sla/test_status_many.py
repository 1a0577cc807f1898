"""SlaClock.status_many: many clocks at one instant, answered exactly as status() answers each."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govkit.audit import Event
from govkit.calendar import BusinessCalendar, BusinessDays, BusinessHours, Period
from govkit.errors import HorizonError, InvalidTimeError, NaiveDatetimeError
from govkit.serialization import from_json, make_converter, to_json
from govkit.sla import SlaClock, SlaGoal, SlaPolicy, SlaStatus

SH = ZoneInfo("Asia/Shanghai")
NY = ZoneInfo("America/New_York")
CHINA = BusinessCalendar.china()
# A second calendar, in a zone with daylight saving time, for the goal that names it.
NEW_YORK = BusinessCalendar(
    name="new york desk",
    timezone="America/New_York",
    hours={"mon-fri": [("09:00", "17:00")]},
    valid_from=date(2024, 1, 1),
    valid_until=date(2027, 12, 31),
)
POLICY = SlaPolicy(
    name="complaint-reply",
    goals=[
        SlaGoal(name="urgent", target=BusinessHours(8), when={"priority": "high"}),
        SlaGoal(name="minutes", target=timedelta(hours=24), thresholds=[0.25], when={"kind": "m"}),
        SlaGoal(name="week", target=Period(days=7), when={"kind": "w"}),
        SlaGoal(name="abroad", target=BusinessHours(6), calendar=NEW_YORK, when={"kind": "ny"}),
        SlaGoal(name="standard", target=BusinessDays(5), thresholds=[0.5, 0.8]),
    ],
    default="standard",
    calendar=CHINA,
)
CONVERTER = make_converter(definitions=[POLICY])
FACTS = [{"priority": "high"}, {"kind": "m"}, {"kind": "w"}, {"kind": "ny"}, {}]
MON = datetime(2026, 11, 23, 10, tzinfo=SH)
FAST = settings(max_examples=60, deadline=None)

Change = Callable[[SlaClock, datetime], tuple[SlaClock, tuple[Event, ...]]]
# What a clock may do next in each state; a history picks among them by index.
NEXT: dict[str, list[Change]] = {
    "running": [
        lambda c, t: c.pause(t),
        lambda c, t: c.pause(t),
        lambda c, t: c.tick(t),
        lambda c, t: c.stop(t),
        lambda c, t: c.cancel(t),
        lambda c, t: c.retarget("urgent", t),
    ],
    "paused": [
        lambda c, t: c.resume(t),
        lambda c, t: c.resume(t),
        lambda c, t: c.stop(t),
        lambda c, t: c.cancel(t),
        lambda c, t: c.retarget("standard", t, keep_elapsed=False),
    ],
    "met": [lambda c, t: c.start(t)],
    "missed": [lambda c, t: c.start(t)],
    "cancelled": [lambda c, t: c.start(t)],
}

GAPS: st.SearchStrategy[timedelta] = st.one_of(
    st.integers(0, 3 * 24 * 60).map(lambda minutes: timedelta(minutes=minutes)),
    st.sampled_from([timedelta(0), timedelta(microseconds=1), timedelta(hours=1)]),
    st.integers(0, 10**10).map(lambda us: timedelta(microseconds=us)),
)


@st.composite
def histories(draw: st.DrawFn) -> SlaClock:
    """A clock started in 2025-2026 that then paused, resumed, stopped ... at random."""
    start = datetime(2025, 1, 6, tzinfo=draw(st.sampled_from([SH, NY]))) + timedelta(
        minutes=draw(st.integers(0, 600 * 24 * 60))
    )
    clock, _ = POLICY.start(
        at=start, facts=draw(st.sampled_from(FACTS)), subject=f"C-{draw(st.integers(1, 99))}"
    )
    moment = start
    for _ in range(draw(st.integers(0, 8))):
        moment += draw(GAPS)
        options = NEXT[clock.state]
        clock, _ = options[draw(st.integers(0, len(options) - 1))](clock, moment)
    return clock


def each(clocks: list[SlaClock], at: datetime) -> list[SlaStatus]:
    """The statuses one call to status() per clock gives."""
    return [clock.status(at) for clock in clocks]


def started(facts: dict[str, str] | None = None, *, subject: str = "C-1") -> SlaClock:
    """A clock on POLICY started on Monday 23 November 2026 at 10:00."""
    clock, _ = POLICY.start(at=MON, facts=facts or {}, subject=subject)
    return clock


def day(n: int, hour: int = 10) -> datetime:
    """An instant in Shanghai, ``n`` days after MON, at ``hour``."""
    return MON.replace(hour=hour) + timedelta(days=n)


@FAST
@given(clocks=st.lists(histories(), min_size=1, max_size=6), later=GAPS)
def test_equals_status_of_each_clock(clocks: list[SlaClock], later: timedelta) -> None:
    """R-SLA-3: status_many gives status() of every clock, in order, on any history."""
    at = max(clock.updated_at for clock in clocks) + later
    assert list(SlaClock.status_many(clocks, at)) == each(clocks, at)


@FAST
@given(clocks=st.lists(histories(), min_size=1, max_size=4), later=GAPS)
def test_equals_status_of_clocks_loaded_from_json(clocks: list[SlaClock], later: timedelta) -> None:
    """R-SLA-3: clocks loaded from JSON (nothing planned yet) answer as the originals do."""
    loaded = [
        from_json(to_json(c, converter=CONVERTER), SlaClock, converter=CONVERTER) for c in clocks
    ]
    at = max(clock.updated_at for clock in clocks) + later
    assert list(SlaClock.status_many(loaded, at)) == each(clocks, at)
    fresh = [
        from_json(to_json(c, converter=CONVERTER), SlaClock, converter=CONVERTER) for c in clocks
    ]
    assert each(fresh, at) == each(clocks, at)


def test_every_state_and_both_kinds_of_goal_in_one_batch() -> None:
    """R-SLA-1: running, paused, met, missed and cancelled clocks, wall and business time."""
    urgent = started({"priority": "high"}, subject="urgent")
    minutes = started({"kind": "m"}, subject="minutes")
    abroad = started({"kind": "ny"}, subject="abroad")
    paused, _ = started(subject="paused").pause(day(1))
    met, _ = started(subject="met").stop(day(2))
    missed, _ = urgent.stop(day(3))
    cancelled, _ = minutes.cancel(day(0, 15))
    ticked, _ = minutes.tick(day(2))
    clocks = [urgent, minutes, abroad, paused, met, missed, cancelled, ticked]
    at = day(4)
    statuses = list(SlaClock.status_many(clocks, at))
    assert statuses == each(clocks, at)
    assert [s.state for s in statuses] == [
        "running",
        "running",
        "running",
        "paused",
        "met",
        "missed",
        "cancelled",
        "running",
    ]
    assert [s.breached for s in statuses] == [True, True, True, False, False, True, False, True]
    assert statuses[1].crossed == ticked.crossed  # the wall-time goal, ticked or not


def test_no_clocks_gives_no_statuses() -> None:
    """R-SLA-3: an empty batch is no error and gives nothing."""
    assert list(SlaClock.status_many([], MON)) == []
    assert list(SlaClock.status_many(iter(()), MON)) == []


def test_statuses_come_one_at_a_time() -> None:
    """R-SLA-3: the batch is lazy: each status is made as it is consumed, from any iterable."""
    clocks = (started(subject=f"C-{i}") for i in range(3))
    batch = SlaClock.status_many(clocks, day(1))
    first = next(batch)
    assert first.elapsed == timedelta(hours=8)
    assert len(list(batch)) == 2


def test_naive_instant_raises_like_status_even_without_clocks() -> None:
    """R-SLA-3: a naive datetime raises NaiveDatetimeError at once, as status() does."""
    naive = datetime(2026, 11, 24, 10)
    clock = started()
    with pytest.raises(NaiveDatetimeError) as single:
        clock.status(naive)
    with pytest.raises(NaiveDatetimeError) as batch:
        SlaClock.status_many([clock], naive)
    assert (batch.value.field, batch.value.got) == (single.value.field, single.value.got)
    with pytest.raises(NaiveDatetimeError):
        SlaClock.status_many([], naive)


def test_instant_before_a_clocks_last_change_names_that_clock() -> None:
    """R-SLA-3: an instant before one clock's last change raises InvalidTimeError naming it."""
    early = started(subject="C-1")
    late, _ = started(subject="C-2").pause(day(2))
    at = day(1)
    with pytest.raises(InvalidTimeError) as single:
        late.status(at)
    batch = SlaClock.status_many([early, late, early], at)
    assert next(batch) == early.status(at)
    with pytest.raises(InvalidTimeError) as raised:
        next(batch)
    assert type(raised.value) is type(single.value)
    assert (raised.value.field, raised.value.got) == ("at", at)
    assert "clocks[1]" in str(raised.value)
    assert "'C-2'" in str(raised.value)
    assert str(late.updated_at) in str(raised.value)


def test_instant_past_the_calendar_horizon_raises_like_status() -> None:
    """R-SLA-3: an instant the calendar does not know raises HorizonError, as status() does."""
    clock = started()
    beyond = datetime(CHINA.valid_until.year + 1, 1, 5, 10, tzinfo=SH)
    with pytest.raises(HorizonError) as single:
        clock.status(beyond)
    with pytest.raises(HorizonError) as batch:
        list(SlaClock.status_many([clock], beyond))
    assert batch.value.needed == single.value.needed


def test_status_after_each_change_matches_a_fresh_plan() -> None:
    """R-SLA-3: the thresholds a snapshot plans at a change give what a fresh snapshot computes."""
    clock = started({"priority": "high"})
    moments = [day(0, 11), day(0, 14), day(1, 9), day(1, 16), day(2, 11)]
    for change, moment in zip(
        [SlaClock.pause, SlaClock.resume, SlaClock.tick, SlaClock.pause, SlaClock.resume],
        moments,
        strict=True,
    ):
        before = [clock.status(moment + timedelta(hours=h)) for h in (0, 1, 30)]
        fresh = from_json(to_json(clock, converter=CONVERTER), SlaClock, converter=CONVERTER)
        assert [fresh.status(s.at) for s in before] == before
        clock, _ = change(clock, moment)
    last = clock.status(day(3))
    assert last.breached
    assert last.crossed[-1].fraction == Decimal(1)
