"""SlaClock: lifecycle, the breach rule, pauses, thresholds, retargeting and bad input."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from govkit.audit import Event
from govkit.calendar import BusinessCalendar, BusinessDays, BusinessHours
from govkit.errors import (
    HorizonError,
    InvalidTimeError,
    InvalidTransitionError,
    NaiveDatetimeError,
    StaleVersionError,
    UnknownNameError,
)
from govkit.serialization import make_converter, to_json
from govkit.sla import Cycle, SlaClock, SlaGoal, SlaPolicy, ThresholdCrossing

SH = ZoneInfo("Asia/Shanghai")
CHINA = BusinessCalendar.china()
US = timedelta(microseconds=1)
Step = Callable[[SlaClock], tuple[SlaClock, tuple[Event, ...]]]
ACTIONS = {
    "sla.started",
    "sla.paused",
    "sla.resumed",
    "sla.threshold_crossed",
    "sla.breached",
    "sla.met",
    "sla.missed",
    "sla.cancelled",
    "sla.retargeted",
}

POLICY = SlaPolicy(
    name="complaint-reply",
    version=2,
    goals=[
        SlaGoal(name="urgent", target=BusinessHours(8), when={"priority": "high"}),
        SlaGoal(name="standard", target=BusinessDays(5)),
        SlaGoal(name="day", target=timedelta(hours=24), thresholds=[0.25, 0.5]),
    ],
    default="standard",
    calendar=CHINA,
)

# Mon 2026-11-23 10:00: five working days end Mon 2026-11-30 18:00 (47 business hours).
MON = datetime(2026, 11, 23, 10, tzinfo=SH)
DUE = datetime(2026, 11, 30, 18, tzinfo=SH)


def at(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    """An instant in Shanghai in 2026."""
    return datetime(2026, month, day, hour, minute, tzinfo=SH)


def started(goal: str | None = None, start: datetime = MON) -> SlaClock:
    """A clock on POLICY started at ``start``."""
    clock, _ = POLICY.start(at=start, subject="C-7", goal=goal, actor="li")
    return clock


def actions(events: tuple[Event, ...]) -> list[str]:
    """The actions of ``events``, in order."""
    return [event.action for event in events]


# -- starting --------------------------------------------------------------------------


def test_start_event_and_snapshot() -> None:
    """R-SLA-3: starting records the goal, the target in business time and the due instant."""
    clock, events = POLICY.start(at=MON, subject="C-7", actor="li")
    assert (clock.state, clock.goal, clock.cycle, clock.version) == ("running", "standard", 1, 1)
    assert clock.target == timedelta(hours=47)
    (event,) = events
    assert (event.actor, event.action, event.subject, event.at) == ("li", "sla.started", "C-7", MON)
    assert event.data["due_at"] == "2026-11-30T18:00:00+08:00"
    assert clock.status(MON).due_at == DUE


def test_status_fields_while_running() -> None:
    """R-SLA-3: status counts business time only (lunch and the evening do not count)."""
    status = started().status(at(24, 14, 30))
    # Mon 10-12, 13-18 (7 h) + Tue 09-12, 13-14:30 (4.5 h)
    assert status.state == "running"
    assert status.elapsed == timedelta(hours=11, minutes=30)
    assert status.target == timedelta(hours=47)
    assert status.remaining == timedelta(hours=35, minutes=30)
    assert status.due_at == DUE
    assert status.fraction_used == pytest.approx(11.5 / 47)
    assert not status.breached
    assert status.crossed == ()
    assert status.cycle == 1
    assert status.goal == "standard"


def test_explain_mentions_state_usage_due_and_crossings() -> None:
    """The status explains itself in one line with every crossing and the breach."""
    clock, _ = started().tick(at(30, 18, 1))
    text = clock.status(at(30, 18, 1)).explain()
    assert text.startswith("running, goal 'standard' (cycle 1): used 100% (47h00 of 47h00)")
    assert "due 2026-11-30T18:00:00+08:00" in text
    assert "50% at 2026-11-26T09:30:00+08:00" in text
    assert "75% at 2026-11-27T14:15:00+08:00" in text
    assert "breach at 2026-11-30T18:00:00+08:00" in text
    assert text.endswith("BREACHED")


# -- the breach rule -------------------------------------------------------------------


def test_stop_exactly_at_due_is_met() -> None:
    """R-SLA-3: answering at the due instant is in time (Civil Code: the last day counts)."""
    clock, events = started().stop(DUE)
    assert clock.state == "met"
    assert actions(events) == ["sla.threshold_crossed", "sla.threshold_crossed", "sla.met"]
    assert clock.history == (
        Cycle(
            number=1,
            goal="standard",
            started_at=MON,
            ended_at=DUE,
            outcome="met",
            elapsed=timedelta(hours=47),
            target=timedelta(hours=47),
            due_at=DUE,
        ),
    )


def test_status_at_due_is_not_breached_one_microsecond_later_is() -> None:
    """A running clock is breached from the first microsecond after its due instant."""
    clock = started()
    assert not clock.status(DUE).breached
    after = clock.status(DUE + US)
    assert after.breached
    assert after.crossed[-1] == ThresholdCrossing(Decimal(1), DUE)


def test_stop_after_due_is_missed_even_when_the_office_is_closed() -> None:
    """R-SLA-3: a reply on the evening of the due day is late, although no business time passed."""
    clock = started()
    late, events = clock.stop(at(30, 19))
    assert late.state == "missed"
    assert late.status(at(30, 19)).elapsed == timedelta(hours=47)
    assert actions(events)[-2:] == ["sla.breached", "sla.missed"]
    breached = events[-2]
    assert breached.at == DUE
    assert breached.data["due_at"] == "2026-11-30T18:00:00+08:00"
    assert events[-1].at == at(30, 19)
    assert late.history[0].outcome == "missed"


def test_pause_before_due_is_never_breached_while_paused() -> None:
    """A clock paused before its due instant stays unbreached however long the pause."""
    paused, _ = started().pause(at(30, 17))
    for moment in (DUE, DUE + US, at(30, 19), at(20, 9, month=12)):
        status = paused.status(moment)
        assert not status.breached
        assert status.elapsed == timedelta(hours=46)
        assert status.remaining == timedelta(hours=1)


def test_pause_pushes_due_instant_later() -> None:
    """R-SLA-3: while the customer is asked for details the clock stops; the due instant moves."""
    paused, _ = started().pause(at(24, 10))  # 8 business hours used
    # While paused the due instant is projected as if resumed now.
    assert paused.status(at(25, 10)).due_at == at(1, 18, month=12)
    resumed, _ = paused.resume(at(26, 9))  # Tue 10:00 to Thu 09:00 not counted
    status = resumed.status(at(26, 9))
    assert status.elapsed == timedelta(hours=8)
    # 39 hours left from Thu 09:00: Thu 8, Fri 8, Mon 8, Tue 8, Wed 7 -> Wed 17:00.
    assert status.due_at == at(2, 17, month=12)
    assert not resumed.status(at(30, 19)).breached
    done, _ = resumed.stop(at(2, 17, month=12))
    assert done.state == "met"


def test_pause_exactly_at_due_then_stop_while_paused_is_met() -> None:
    """A clock paused at the due instant has not run after it: stopping it later is met."""
    paused, events = started().pause(DUE)
    assert "sla.breached" not in actions(events)
    assert not paused.status(at(2, 9, month=12)).breached
    stopped, events = paused.stop(at(2, 9, month=12))
    assert stopped.state == "met"
    assert actions(events) == ["sla.met"]


def test_resume_after_target_used_up_breaches_once_running() -> None:
    """A clock resumed with its target used up is breached as soon as it runs again."""
    paused, _ = started().pause(DUE)
    resumed, _ = paused.resume(at(2, 9, month=12))
    assert resumed.status(at(2, 9, month=12) + US).breached
    late, _ = resumed.stop(at(2, 10, month=12))
    assert late.state == "missed"


def test_zero_length_resume_after_pause_at_due_does_not_change_the_outcome() -> None:
    """Resuming and stopping at one instant runs the clock for no time: met, as stopping paused."""
    paused, _ = started().pause(DUE)
    later = at(2, 9, month=12)
    assert paused.stop(later)[0].state == "met"
    resumed, _ = paused.resume(later)
    assert not resumed.status(later).breached
    assert resumed.stop(later)[0].state == "met"
    assert resumed.status(later + US).breached


def test_next_check_after_resuming_a_used_up_clock_is_just_after_the_resume() -> None:
    """A clock resumed with its target used up breaches one microsecond after the resume."""
    paused, _ = started().pause(DUE)
    later = at(2, 9, month=12)
    resumed, _ = paused.resume(later)
    assert resumed.next_check_at(later) == later + US
    _, events = resumed.tick(later + US)
    assert actions(events) == ["sla.breached"]
    assert events[0].at == DUE


def test_breach_decided_by_business_time_not_wall_time() -> None:
    """R-SLA-3: a weekend inside the window adds no business time, so it is no breach."""
    clock = started()
    # Sat 2026-11-28 noon: 122 wall hours after the start, 39 business hours counted.
    status = clock.status(at(28, 12))
    assert status.elapsed == timedelta(hours=39)
    assert not status.breached


# -- thresholds, tick and next_check_at ------------------------------------------------


def test_tick_records_thresholds_at_the_instants_they_were_crossed() -> None:
    """Ticking late still stamps each threshold event with the instant it was crossed."""
    clock = started()
    ticked, events = clock.tick(at(2, 9, month=12), actor="timer")
    assert actions(events) == ["sla.threshold_crossed", "sla.threshold_crossed", "sla.breached"]
    # 23.5 h: Mon 7, Tue 8, Wed 8, Thu 0.5; 35.25 h: then Thu 8, Fri 09-12 and 13:00-14:15.
    assert [e.at for e in events] == [at(26, 9, 30), at(27, 14, 15), DUE]
    assert [e.data.get("fraction") for e in events] == ["0.5", "0.75", None]
    assert all(e.actor == "timer" for e in events)
    assert ticked.version == clock.version + 1
    assert ticked.crossed == (
        ThresholdCrossing(Decimal("0.5"), at(26, 9, 30)),
        ThresholdCrossing(Decimal("0.75"), at(27, 14, 15)),
        ThresholdCrossing(Decimal(1), DUE),
    )


def test_tick_with_nothing_new_changes_nothing() -> None:
    """A tick that passes no threshold returns the same snapshot and no events."""
    clock = started()
    same, events = clock.tick(at(23, 11))
    assert events == ()
    assert same == clock
    assert same.version == clock.version


def test_tick_does_not_repeat_events() -> None:
    """A threshold is reported once: a second tick after it reports only what is new."""
    first, events = started().tick(at(26, 12))
    assert actions(events) == ["sla.threshold_crossed"]
    second, events = first.tick(at(30, 18, 30))
    assert actions(events) == ["sla.threshold_crossed", "sla.breached"]
    third, events = second.tick(at(1, 9, month=12))
    assert events == ()
    assert third == second


def test_next_check_at_walks_thresholds_then_breach() -> None:
    """next_check_at gives each threshold instant, then the first microsecond after the due."""
    clock = started()
    assert clock.next_check_at(MON) == at(26, 9, 30)
    clock, _ = clock.tick(at(26, 9, 30))
    assert clock.next_check_at(at(26, 9, 30)) == at(27, 14, 15)
    clock, _ = clock.tick(at(27, 14, 15))
    assert clock.next_check_at(at(27, 14, 15)) == DUE + US
    clock, events = clock.tick(DUE + US)
    assert actions(events) == ["sla.breached"]
    assert clock.next_check_at(DUE + US) is None


def test_next_check_at_is_none_unless_running() -> None:
    """Only a running clock has a next check; paused and finished clocks have none."""
    paused, _ = started().pause(at(24, 9))
    assert paused.next_check_at(at(24, 9)) is None
    stopped, _ = paused.stop(at(24, 10))
    assert stopped.next_check_at(at(24, 10)) is None
    cancelled, _ = started().cancel(at(24, 9))
    assert cancelled.next_check_at(at(24, 9)) is None


def test_next_check_at_after_resume_follows_the_pause() -> None:
    """After a pause the next check is later by the business time the pause held back."""
    paused, _ = started().pause(at(24, 10))
    resumed, _ = paused.resume(at(25, 10))  # one working day (8 h) not counted
    assert resumed.next_check_at(at(25, 10)) == at(27, 9, 30)


def test_thresholds_on_wall_time_goal() -> None:
    """R-SLA-1: thresholds of a 24-hour goal fall at 6 and 12 hours, nights included."""
    clock = started("day", start=at(27, 16))
    ticked, events = clock.tick(at(28, 16, 1))
    assert [(e.action, e.at) for e in events] == [
        ("sla.threshold_crossed", at(27, 22)),
        ("sla.threshold_crossed", at(28, 4)),
        ("sla.breached", at(28, 16)),
    ]
    assert ticked.status(at(28, 16, 1)).breached


def test_wall_time_goal_across_daylight_saving_change() -> None:
    """R-SLA-1: 24 hours of elapsed time across the spring DST change end at 13:00 local."""
    berlin = ZoneInfo("Europe/Berlin")
    policy = SlaPolicy(
        name="minutes", goals=[SlaGoal(name="m", target=timedelta(hours=24))], default="m"
    )
    start = datetime(2026, 3, 28, 12, tzinfo=berlin)
    clock, events = policy.start(at=start)
    due = datetime(2026, 3, 29, 13, tzinfo=berlin)
    assert events[0].data["due_at"] == "2026-03-29T13:00:00+02:00"
    assert clock.status(start).due_at == due
    assert clock.stop(due)[0].state == "met"
    assert clock.stop(due + US)[0].state == "missed"


# -- cycles ----------------------------------------------------------------------------


def test_cancel_then_start_a_new_cycle() -> None:
    """A cancelled cycle is kept in history; start opens cycle 2 with a fresh target."""
    clock = started()
    cancelled, events = clock.cancel(at(24, 10), actor="li")
    assert cancelled.state == "cancelled"
    assert actions(events) == ["sla.cancelled"]
    assert events[0].data["elapsed"] == "PT8H"  # the wire form of durations
    assert cancelled.history[0].outcome == "cancelled"
    again, events = cancelled.start(at(25, 9))
    assert (again.state, again.cycle) == ("running", 2)
    assert again.status(at(25, 9)).elapsed == timedelta(0)
    assert again.started_at == at(25, 9)
    assert actions(events) == ["sla.started"]
    assert events[0].data["cycle"] == 2
    assert events[0].data["due_at"] == "2026-12-02T18:00:00+08:00"
    assert len(again.history) == 1


def test_start_new_cycle_with_another_goal() -> None:
    """A new cycle may run on another goal, chosen by name."""
    missed, _ = started().stop(at(1, 10, month=12))
    assert missed.state == "missed"
    again, events = missed.start(at(1, 10, month=12), goal="urgent")
    assert again.goal == "urgent"
    assert again.target == timedelta(hours=8)
    assert events[0].data["due_at"] == "2026-12-02T10:00:00+08:00"
    assert [c.outcome for c in again.history] == ["missed"]


def test_start_new_cycle_with_unknown_goal_raises_and_changes_nothing() -> None:
    """Opening a cycle on a goal the policy does not have raises UnknownNameError."""
    clock = _met()
    with pytest.raises(UnknownNameError):
        clock.start(at(24, 9), goal="express")
    assert clock == _met()


def test_new_cycle_with_given_goal_says_so() -> None:
    """The start event of a cycle on a named goal gives that as its reason."""
    _, events = _met().start(at(24, 9), goal="urgent")
    assert events[0].data["reasons"] == ["goal 'urgent' was given"]


def test_cycle_keeps_the_due_instant_in_force() -> None:
    """A cycle met early records the due instant it was working towards."""
    met, _ = started().stop(at(25, 12))
    assert met.history[0].due_at == DUE
    assert met.status(at(25, 12)).due_at == DUE


def test_status_of_finished_cycle_is_frozen() -> None:
    """A met clock's elapsed time no longer grows and it is never breached later."""
    met, _ = started().stop(at(25, 12))
    for moment in (at(25, 12), DUE + US, at(20, 9, month=12)):
        status = met.status(moment)
        assert status.state == "met"
        assert status.elapsed == timedelta(hours=18)
        assert not status.breached


def test_version_grows_with_every_change() -> None:
    """Every change returns a snapshot whose version is one more."""
    clock = started()
    versions = [clock.version]
    steps: list[Step] = [
        lambda c: c.pause(at(23, 11)),
        lambda c: c.resume(at(23, 14)),
        lambda c: c.tick(at(27, 9)),
        lambda c: c.retarget("urgent", at(27, 10)),
        lambda c: c.stop(at(27, 11)),
        lambda c: c.start(at(27, 12)),
    ]
    for step in steps:
        clock, _ = step(clock)
        versions.append(clock.version)
    assert versions == [1, 2, 3, 4, 5, 6, 7]


def test_expected_version_accepted_when_current() -> None:
    """A change made from the current snapshot with its version goes through."""
    clock = started()
    paused, _ = clock.pause(at(23, 11), expected_version=1)
    assert paused.version == 2


def test_every_event_names_policy_version_goal_and_cycle() -> None:
    """Every event carries the policy, its version, the goal and the cycle."""
    clock, events = POLICY.start(at=MON, subject="C-7")
    collected = list(events)
    steps: list[Step] = [
        lambda c: c.pause(at(23, 11)),
        lambda c: c.resume(at(23, 14)),
        lambda c: c.retarget("urgent", at(24, 9)),
        lambda c: c.tick(at(26, 9)),
        lambda c: c.stop(at(26, 10)),
        lambda c: c.start(at(26, 11)),
        lambda c: c.cancel(at(26, 12)),
        lambda c: c.start(at(26, 13)),
        lambda c: c.stop(at(26, 14)),
    ]
    for step in steps:
        clock, events = step(clock)
        collected.extend(events)
    assert {e.action for e in collected} == ACTIONS
    for event in collected:
        assert event.data["policy"] == "complaint-reply"
        assert event.data["policy_version"] == 2
        assert event.data["goal"] in {"standard", "urgent"}
        assert event.data["cycle"] in {1, 2, 3}
        assert event.subject == "C-7"
    # Events serialize (plain JSON data) for the audit log.
    assert all(to_json(e) for e in collected)


# -- retargeting -----------------------------------------------------------------------


def test_retarget_keeping_elapsed_counts_time_against_new_goal() -> None:
    """R-SLA-9: raised to high priority, the 8 business hours run from the original start."""
    clock = started()
    changed, events = clock.retarget("urgent", at(23, 15))
    assert changed.goal == "urgent"
    assert changed.target == timedelta(hours=8)
    status = changed.status(at(23, 15))
    assert status.elapsed == timedelta(hours=4)
    assert status.due_at == at(24, 10)
    assert actions(events) == ["sla.retargeted", "sla.threshold_crossed"]
    assert events[0].data["previous_goal"] == "standard"
    assert events[0].data["keep_elapsed"] is True
    assert events[1].at == at(23, 15)  # half of 8 h used at Mon 15:00
    assert changed.cycle == 1


def test_retarget_without_keeping_elapsed_starts_afresh() -> None:
    """Retargeting with keep_elapsed=False counts the new goal from the change."""
    changed, events = started().retarget("urgent", at(23, 15), keep_elapsed=False)
    status = changed.status(at(23, 15))
    assert status.elapsed == timedelta(0)
    assert status.due_at == at(24, 15)
    assert actions(events) == ["sla.retargeted"]
    assert events[0].data["keep_elapsed"] is False


def test_retarget_to_a_used_up_goal_reports_breach() -> None:
    """Retargeting past the new goal's target reports the breach at the instant it was used up."""
    clock = started()
    changed, events = clock.retarget("urgent", at(25, 9))
    assert actions(events) == [
        "sla.retargeted",
        "sla.threshold_crossed",
        "sla.threshold_crossed",
        "sla.breached",
    ]
    assert events[-1].at == at(24, 10)
    assert [e.at for e in events[1:3]] == [at(23, 15), at(23, 17)]
    assert changed.status(at(25, 9)).breached
    assert changed.stop(at(25, 9))[0].state == "missed"


def test_retarget_while_paused_stays_paused() -> None:
    """A paused clock can be retargeted and stays paused."""
    paused, _ = started().pause(at(23, 11))
    changed, _ = paused.retarget("day", at(24, 9))
    assert changed.state == "paused"
    assert changed.goal == "day"
    # The one running hour counts in wall time now.
    assert changed.status(at(25, 9)).elapsed == timedelta(hours=1)


def test_retarget_with_new_facts_chooses_later_cycles_by_them() -> None:
    """R-SLA-9: retargeting with the new facts makes the next cycle choose by them."""
    clock, _ = POLICY.start(at=MON, facts={"priority": "low"})
    changed, _ = clock.retarget("urgent", at(23, 11), facts={"priority": "high"})
    assert changed.facts == {"priority": "high"}
    assert changed.explain_goal().goal == "urgent"
    done, _ = changed.stop(at(23, 12))
    again, events = done.start(at(24, 9))
    assert again.goal == "urgent"
    assert events[0].data["reasons"] == ["goal 'urgent' matched: priority == 'high'"]
    # The old snapshot keeps its facts.
    assert clock.facts == {"priority": "low"}


def test_retarget_to_unknown_goal_raises_and_changes_nothing() -> None:
    """Retargeting to a goal the policy does not have raises UnknownNameError."""
    clock = started()
    with pytest.raises(UnknownNameError):
        clock.retarget("express", at(23, 15))
    assert clock == started()


# -- illegal transitions and bad input -------------------------------------------------


def _running() -> SlaClock:
    clock, _ = started().pause(at(23, 11))
    clock, _ = clock.resume(at(23, 13))
    return clock


def _paused() -> SlaClock:
    return _running().pause(at(23, 14))[0]


def _met() -> SlaClock:
    return _running().stop(at(23, 15))[0]


def _missed() -> SlaClock:
    return _running().stop(at(1, 12, month=12))[0]


def _cancelled() -> SlaClock:
    return _paused().cancel(at(23, 16))[0]


ILLEGAL: list[tuple[str, Callable[[], SlaClock], Callable[[SlaClock], object]]] = [
    ("pause while paused", _paused, lambda c: c.pause(at(2, 9, month=12))),
    ("resume while running", _running, lambda c: c.resume(at(2, 9, month=12))),
    ("start while running", _running, lambda c: c.start(at(2, 9, month=12))),
    ("start while paused", _paused, lambda c: c.start(at(2, 9, month=12))),
    ("stop after stop", _met, lambda c: c.stop(at(2, 9, month=12))),
    ("stop after miss", _missed, lambda c: c.stop(at(2, 9, month=12))),
    ("cancel after stop", _met, lambda c: c.cancel(at(2, 9, month=12))),
    ("cancel after cancel", _cancelled, lambda c: c.cancel(at(2, 9, month=12))),
    ("pause after stop", _met, lambda c: c.pause(at(2, 9, month=12))),
    ("resume after stop", _met, lambda c: c.resume(at(2, 9, month=12))),
    ("resume after cancel", _cancelled, lambda c: c.resume(at(2, 9, month=12))),
    ("pause after cancel", _cancelled, lambda c: c.pause(at(2, 9, month=12))),
    ("retarget after stop", _met, lambda c: c.retarget("urgent", at(2, 9, month=12))),
    ("retarget after miss", _missed, lambda c: c.retarget("urgent", at(2, 9, month=12))),
]


@pytest.mark.parametrize(
    ("build", "action"), [(b, a) for _, b, a in ILLEGAL], ids=[name for name, _, _ in ILLEGAL]
)
def test_illegal_transition_raises_and_leaves_clock_unchanged(
    build: Callable[[], SlaClock], action: Callable[[SlaClock], object]
) -> None:
    """Every action the state does not allow raises InvalidTransitionError and changes nothing."""
    clock = build()
    converter = make_converter(definitions=[POLICY])
    before = to_json(clock, converter=converter)
    with pytest.raises(InvalidTransitionError) as info:
        action(clock)
    assert info.value.state == clock.state
    assert clock == build()
    assert to_json(clock, converter=converter) == before


@pytest.mark.parametrize(
    "action",
    [
        lambda c: c.pause(at(23, 12)),
        lambda c: c.resume(at(23, 12)),
        lambda c: c.stop(at(23, 12)),
        lambda c: c.cancel(at(23, 12)),
        lambda c: c.tick(at(23, 12)),
        lambda c: c.retarget("urgent", at(23, 12)),
        lambda c: c.status(at(23, 12)),
        lambda c: c.next_check_at(at(23, 12)),
    ],
    ids=["pause", "resume", "stop", "cancel", "tick", "retarget", "status", "next_check_at"],
)
def test_instant_before_last_change_raises(action: Callable[[SlaClock], object]) -> None:
    """Anything asked at an instant before the clock's last change raises InvalidTimeError."""
    clock = _running()  # last change: resumed Mon 13:00
    with pytest.raises(InvalidTimeError) as info:
        action(clock)
    assert not isinstance(info.value, NaiveDatetimeError)
    assert clock == _running()


def test_start_of_new_cycle_before_end_raises() -> None:
    """A new cycle cannot start before the previous one ended."""
    with pytest.raises(InvalidTimeError):
        _met().start(at(23, 14))


def test_naive_datetimes_are_refused() -> None:
    """Naive datetimes raise NaiveDatetimeError everywhere an instant is taken."""
    naive = datetime(2026, 11, 24, 9)
    with pytest.raises(NaiveDatetimeError):
        POLICY.start(at=naive)
    clock = started()
    methods: list[Callable[[datetime], object]] = [
        clock.pause,
        clock.stop,
        clock.cancel,
        clock.tick,
        clock.status,
        clock.next_check_at,
    ]
    for action in methods:
        with pytest.raises(NaiveDatetimeError):
            action(naive)
    with pytest.raises(NaiveDatetimeError):
        clock.retarget("urgent", naive)
    with pytest.raises(NaiveDatetimeError):
        _paused().resume(naive)
    with pytest.raises(NaiveDatetimeError):
        _met().start(naive)
    assert clock == started()


def test_stale_expected_version_raises_and_changes_nothing() -> None:
    """A change from a stale snapshot (expected_version mismatch) raises StaleVersionError."""
    clock = _running()
    assert clock.version == 3
    stale: list[Step] = [
        lambda c: c.pause(at(24, 9), expected_version=2),
        lambda c: c.stop(at(24, 9), expected_version=4),
        lambda c: c.cancel(at(24, 9), expected_version=1),
        lambda c: c.retarget("urgent", at(24, 9), expected_version=2),
    ]
    for action in stale:
        with pytest.raises(StaleVersionError) as info:
            action(clock)
        assert info.value.actual == 3
    with pytest.raises(StaleVersionError):
        _paused().resume(at(24, 9), expected_version=3)
    with pytest.raises(StaleVersionError):
        _met().start(at(24, 9), expected_version=1)
    assert clock == _running()


def test_horizon_is_respected() -> None:
    """A calendar goal never guesses beyond its calendar's horizon."""
    with pytest.raises(HorizonError):
        POLICY.start(at=datetime(2026, 12, 28, 10, tzinfo=SH))


def test_other_time_zones_are_instants() -> None:
    """Instants in another zone are the same instants: UTC input gives the same status."""
    clock = started()
    utc = at(24, 14, 30).astimezone(UTC)
    assert clock.status(utc).elapsed == timedelta(hours=11, minutes=30)
    assert clock.status(utc).due_at == DUE
