"""The R-SLA rules of requirements.md, each with real dates on the PRC legal calendar.

R-SLA-5 (recurring reports) is in test_recurring.py and R-SLA-8 (breach
streaks) in test_streak.py.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from govkit.audit import Event
from govkit.calendar import BusinessCalendar, BusinessDays, Period
from govkit.sla import SlaGoal, SlaPolicy, ThresholdCrossing

SH = ZoneInfo("Asia/Shanghai")
CHINA = BusinessCalendar.china()
US = timedelta(microseconds=1)


def sh(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """An instant in Shanghai."""
    return datetime(year, month, day, hour, minute, tzinfo=SH)


def actions(events: tuple[Event, ...]) -> list[tuple[str, datetime]]:
    """(action, instant) of each event."""
    return [(event.action, event.at) for event in events]


# -- R-SLA-1 and R-SLA-2: elapsed hours ------------------------------------------------

MINUTES = SlaPolicy(
    name="meeting-minutes",
    goals=[
        SlaGoal(name="board", target=timedelta(hours=12), when={"meeting": "board"}),
        SlaGoal(name="minutes", target=timedelta(hours=24)),
    ],
    default="minutes",
    calendar=CHINA,  # present, but a timedelta target counts wall time
)


def test_r_sla_1_minutes_within_24_hours_run_through_a_holiday() -> None:
    """R-SLA-1: minutes of a meeting ending Wed 2026-09-30 17:00 are due Thu Oct 1 17:00."""
    clock, events = MINUTES.start(at=sh(2026, 9, 30, 17), subject="meeting-88")
    assert clock.goal == "minutes"
    assert events[0].data["due_at"] == "2026-10-01T17:00:00+08:00"
    # National Day is a holiday, but elapsed time does not stop for it.
    assert clock.status(sh(2026, 10, 1, 5)).elapsed == timedelta(hours=12)
    assert clock.stop(sh(2026, 10, 1, 16, 59))[0].state == "met"
    assert clock.stop(sh(2026, 10, 1, 17))[0].state == "met"
    assert clock.status(sh(2026, 10, 1, 17) + US).breached
    assert clock.stop(sh(2026, 10, 1, 17) + US)[0].state == "missed"


def test_r_sla_1_or_x_hours_chosen_by_facts() -> None:
    """R-SLA-1: a board meeting's minutes are due within 12 hours instead of 24."""
    clock, events = MINUTES.start(at=sh(2026, 9, 30, 17), facts={"meeting": "board"})
    assert clock.goal == "board"
    assert clock.status(sh(2026, 9, 30, 17)).due_at == sh(2026, 10, 1, 5)
    assert events[0].data["reasons"] == ["goal 'board' matched: meeting == 'board'"]


OWNERS = SlaPolicy(
    name="resolution-owner",
    goals=[SlaGoal(name="assign", target=timedelta(hours=24))],
    default="assign",
)


def test_r_sla_2_owner_assigned_within_24_hours() -> None:
    """R-SLA-2: a resolution of Fri 2026-11-27 15:00 assigned Sat 14:00 is in time."""
    clock, _ = OWNERS.start(at=sh(2026, 11, 27, 15), subject="resolution-2026-41")
    assigned, events = clock.stop(sh(2026, 11, 28, 14), actor="secretary")
    assert assigned.state == "met"
    assert actions(events) == [
        ("sla.threshold_crossed", sh(2026, 11, 28, 3)),
        ("sla.threshold_crossed", sh(2026, 11, 28, 9)),
        ("sla.met", sh(2026, 11, 28, 14)),
    ]
    assert events[-1].actor == "secretary"


def test_r_sla_2_owner_assigned_late_is_missed_with_breach_at_24_hours() -> None:
    """R-SLA-2: assigned Sat 16:00, the breach is stamped at Sat 15:00 and the cycle missed."""
    clock, _ = OWNERS.start(at=sh(2026, 11, 27, 15), subject="resolution-2026-41")
    ticked, events = clock.tick(sh(2026, 11, 28, 15, 30))
    assert actions(events)[-1] == ("sla.breached", sh(2026, 11, 28, 15))
    assigned, events = ticked.stop(sh(2026, 11, 28, 16))
    assert actions(events) == [("sla.missed", sh(2026, 11, 28, 16))]
    assert assigned.history[0].outcome == "missed"
    assert assigned.history[0].elapsed == timedelta(hours=25)


# -- R-SLA-3: five working days with make-up days --------------------------------------

COMPLAINTS = SlaPolicy(
    name="complaint-reply",
    goals=[SlaGoal(name="reply", target=BusinessDays(5))],
    default="reply",
    calendar=CHINA,
)


def test_r_sla_3_spring_festival_with_make_up_saturday() -> None:
    """R-SLA-3: received Fri 2026-02-13 10:00, Sat 2/14 counts, 2/15-2/23 do not: due Fri 2/27."""
    clock, events = COMPLAINTS.start(at=sh(2026, 2, 13, 10), subject="C-2026-0213")
    assert events[0].data["due_at"] == "2026-02-27T18:00:00+08:00"
    assert clock.target == timedelta(hours=47)  # Fri 7 h + five working days of 8 h
    # The make-up Saturday counts: Fri 7 h + Sat 09-12.
    assert clock.status(sh(2026, 2, 14, 12)).elapsed == timedelta(hours=10)
    # Nothing counts during the holiday.
    assert clock.status(sh(2026, 2, 16, 12)).elapsed == timedelta(hours=15)
    assert clock.status(sh(2026, 2, 23, 23)).elapsed == timedelta(hours=15)
    _, events = clock.tick(sh(2026, 2, 27, 18) + US)
    assert actions(events) == [
        ("sla.threshold_crossed", sh(2026, 2, 25, 9, 30)),
        ("sla.threshold_crossed", sh(2026, 2, 26, 14, 15)),
        ("sla.breached", sh(2026, 2, 27, 18)),
    ]
    assert clock.stop(sh(2026, 2, 27, 18))[0].state == "met"


def test_r_sla_3_national_day_with_make_up_sunday() -> None:
    """R-SLA-3: received Thu 2025-09-25 10:00, Sun 9/28 counts, Oct 1-8 do not: due Thu 10/9."""
    clock, events = COMPLAINTS.start(at=sh(2025, 9, 25, 10), subject="C-2025-0925")
    assert events[0].data["due_at"] == "2025-10-09T18:00:00+08:00"
    # Thu 7 h + Fri 8 h + Sun 09-12 3 h.
    assert clock.status(sh(2025, 9, 28, 12)).elapsed == timedelta(hours=18)
    assert clock.status(sh(2025, 10, 5, 12)).elapsed == timedelta(hours=39)
    assert clock.status(sh(2025, 10, 9, 18)).fraction_used == 1.0
    assert not clock.status(sh(2025, 10, 9, 18)).breached


def test_r_sla_3_pause_waiting_for_complainant_moves_due_to_make_up_saturday() -> None:
    """R-SLA-3: paused Mon 9/29 10:00 to Thu 10/9 10:00, 23 h remain: due make-up Sat 10/11."""
    clock, _ = COMPLAINTS.start(at=sh(2025, 9, 25, 10), subject="C-2025-0925")
    paused, events = clock.pause(sh(2025, 9, 29, 10), actor="desk")
    assert [e.action for e in events] == ["sla.threshold_crossed", "sla.paused"]
    assert paused.status(sh(2025, 10, 9, 10)).elapsed == timedelta(hours=24)
    resumed, _ = paused.resume(sh(2025, 10, 9, 10))
    status = resumed.status(sh(2025, 10, 9, 10))
    assert status.remaining == timedelta(hours=23)
    assert status.due_at == sh(2025, 10, 11, 18)
    assert resumed.stop(sh(2025, 10, 11, 17))[0].state == "met"


# -- R-SLA-4: five calendar days -------------------------------------------------------


def test_r_sla_4_five_calendar_days_ending_in_holiday_roll_to_next_working_day() -> None:
    """R-SLA-4: applied Mon 2026-09-28, day 5 is Sat 10/3 in the holiday: due Thu 10/8 18:00."""
    policy = SlaPolicy(
        name="review-assessment",
        goals=[SlaGoal(name="assess", target=Period(days=5))],
        default="assess",
        calendar=CHINA,
    )
    clock, events = policy.start(at=sh(2026, 9, 28, 10), subject="review-17")
    assert events[0].data["due_at"] == "2026-10-08T18:00:00+08:00"
    assert clock.stop(sh(2026, 10, 8, 18))[0].state == "met"
    assert clock.stop(sh(2026, 10, 9, 9))[0].state == "missed"


def test_r_sla_4_five_calendar_days_without_calendar_end_at_midnight() -> None:
    """R-SLA-4: without a calendar five days from Mon 2026-09-28 end at 24:00 on Sat 10/3."""
    policy = SlaPolicy(
        name="review-assessment",
        goals=[SlaGoal(name="assess", target=Period(days=5))],
        default="assess",
    )
    clock, events = policy.start(at=sh(2026, 9, 28, 10))
    assert events[0].data["due_at"] == "2026-10-04T00:00:00+08:00"
    assert clock.target == timedelta(days=5, hours=14)
    assert clock.stop(sh(2026, 10, 3, 23, 59))[0].state == "met"
    assert clock.status(sh(2026, 10, 4) + US).breached


# -- R-SLA-6: chained deadlines --------------------------------------------------------

IMPROVEMENT = SlaPolicy(
    name="technical-improvement",
    goals=[
        SlaGoal(name="plan", target=BusinessDays(10)),
        SlaGoal(name="review", target=BusinessDays(3)),
    ],
    default="plan",
    calendar=CHINA,
)


def test_r_sla_6_review_clock_starts_when_plan_is_delivered() -> None:
    """R-SLA-6: plan delivered Tue 2026-04-28 16:00; review due 3 working days later, Wed 5/6."""
    plan, events = IMPROVEMENT.start(at=sh(2026, 4, 20, 9), subject="TI-9")
    assert events[0].data["due_at"] == "2026-05-07T18:00:00+08:00"
    delivered, _ = plan.stop(sh(2026, 4, 28, 16), actor="engineer")
    assert delivered.state == "met"
    assert delivered.ended_at is not None
    review, events = IMPROVEMENT.start(
        at=delivered.ended_at, subject="TI-9", goal="review", actor="engineer"
    )
    assert events[0].at == sh(2026, 4, 28, 16)
    # Wed 4/29, Thu 4/30, then the Labour Day holiday May 1-5, then Wed 5/6.
    assert events[0].data["due_at"] == "2026-05-06T18:00:00+08:00"
    late, events = review.stop(sh(2026, 5, 7, 10), actor="director")
    assert late.state == "missed"
    assert ("sla.breached", sh(2026, 5, 6, 18)) in actions(events)


def test_r_sla_6_late_plan_moves_the_review_deadline() -> None:
    """R-SLA-6: the review counts from the plan's delivery, even when the plan was late."""
    plan, _ = IMPROVEMENT.start(at=sh(2026, 4, 20, 9), subject="TI-9")
    delivered, _ = plan.stop(sh(2026, 5, 8, 11))
    assert delivered.history[-1].outcome == "missed"
    assert delivered.ended_at == sh(2026, 5, 8, 11)
    review, _ = IMPROVEMENT.start(at=delivered.ended_at, goal="review")
    # Sat 5/9 is a make-up working day: Sat, Mon 5/11, Tue 5/12.
    assert review.status(sh(2026, 5, 8, 11)).due_at == sh(2026, 5, 12, 18)


# -- R-SLA-7: retroactive approval -----------------------------------------------------

RETROACTIVE = SlaPolicy(
    name="emergency-approval",
    goals=[SlaGoal(name="approve", target=BusinessDays(3))],
    default="approve",
    calendar=CHINA,
)


def test_r_sla_7_clock_started_retroactively_reports_past_thresholds() -> None:
    """R-SLA-7: an emergency act of Sat 2026-05-02 22:00 logged 5/8 reports past thresholds."""
    clock, events = RETROACTIVE.start(at=sh(2026, 5, 2, 22), subject="EMG-3", actor="duty")
    assert events[0].at == sh(2026, 5, 2, 22)
    # Three working days after the holiday Saturday: Wed 5/6, Thu 5/7, Fri 5/8.
    assert events[0].data["due_at"] == "2026-05-08T18:00:00+08:00"
    now = sh(2026, 5, 8, 11, 30)
    assert clock.status(now).crossed == (
        ThresholdCrossing(Decimal("0.5"), sh(2026, 5, 7, 14)),
        ThresholdCrossing(Decimal("0.75"), sh(2026, 5, 8, 11)),
    )
    ticked, events = clock.tick(now)
    assert actions(events) == [
        ("sla.threshold_crossed", sh(2026, 5, 7, 14)),
        ("sla.threshold_crossed", sh(2026, 5, 8, 11)),
    ]
    assert ticked.next_check_at(now) == sh(2026, 5, 8, 18) + US
    approved, events = ticked.stop(sh(2026, 5, 8, 17), actor="director")
    assert approved.state == "met"
    assert actions(events) == [("sla.met", sh(2026, 5, 8, 17))]


def test_r_sla_7_retroactive_clock_already_breached_when_logged() -> None:
    """R-SLA-7: logged after the due instant, the first tick reports the breach at Fri 18:00."""
    clock, _ = RETROACTIVE.start(at=sh(2026, 5, 2, 22), subject="EMG-4")
    ticked, events = clock.tick(sh(2026, 5, 9, 10))
    assert actions(events)[-1] == ("sla.breached", sh(2026, 5, 8, 18))
    assert ticked.status(sh(2026, 5, 9, 10)).breached
    assert ticked.stop(sh(2026, 5, 9, 10))[0].state == "missed"


# -- R-SLA-11: rectification with a deadline, followed up until closed -----------------

RECTIFICATION = SlaPolicy(
    name="rectification",
    goals=[
        SlaGoal(name="rectify", target=Period(days=15)),
        SlaGoal(name="re-rectify", target=BusinessDays(5)),
    ],
    default="rectify",
    calendar=CHINA,
)


def test_r_sla_11_missed_rectification_gets_a_new_cycle() -> None:
    """R-SLA-11: notice of Mon 2026-06-01 missed on 6/16; a second deadline is met on 6/24."""
    notice, events = RECTIFICATION.start(at=sh(2026, 6, 1, 10), subject="RN-12")
    assert events[0].data["due_at"] == "2026-06-16T18:00:00+08:00"
    inspected, events = notice.stop(sh(2026, 6, 18, 10), actor="inspector")
    assert inspected.state == "missed"
    assert ("sla.breached", sh(2026, 6, 16, 18)) in actions(events)
    again, events = inspected.start(sh(2026, 6, 18, 10), goal="re-rectify", actor="inspector")
    assert again.cycle == 2
    assert events[0].data["cycle"] == 2
    # Dragon Boat Festival June 19-21: Mon 6/22 ... Fri 6/26.
    assert events[0].data["due_at"] == "2026-06-26T18:00:00+08:00"
    closed, events = again.stop(sh(2026, 6, 24, 15), actor="inspector")
    assert closed.state == "met"
    assert events[-1].data["cycle"] == 2
    assert [(c.number, c.goal, c.outcome) for c in closed.history] == [
        (1, "rectify", "missed"),
        (2, "re-rectify", "met"),
    ]


# -- R-SLA-12: milestones at fractions of the project cycle ----------------------------


def test_r_sla_12_milestones_at_fractions_of_a_wall_time_project() -> None:
    """R-SLA-12: a project of 6 months from 2026-01-01 has milestones at 1/4, 1/2 and 3/4."""
    policy = SlaPolicy(
        name="project",
        goals=[SlaGoal(name="cycle", target=Period(months=6), thresholds=[0.25, 0.5, 0.75])],
        default="cycle",
    )
    kickoff = sh(2026, 1, 1)
    clock, _ = policy.start(at=kickoff, subject="P-1")
    assert clock.target == timedelta(days=182)  # until 24:00 on 2026-07-01
    assert clock.next_check_at(kickoff) == sh(2026, 2, 15, 12)
    _, events = clock.tick(sh(2026, 7, 2) + US)
    assert actions(events) == [
        ("sla.threshold_crossed", sh(2026, 2, 15, 12)),
        ("sla.threshold_crossed", sh(2026, 4, 2)),
        ("sla.threshold_crossed", sh(2026, 5, 17, 12)),
        ("sla.breached", sh(2026, 7, 2)),
    ]
    assert [e.data.get("fraction") for e in events] == ["0.25", "0.5", "0.75", None]


def test_r_sla_12_milestones_on_working_days() -> None:
    """R-SLA-12: kickoff Mon 2026-03-02, 3 months; mid-term after 32 of 64 working days, 4/15."""
    policy = SlaPolicy(
        name="project",
        goals=[SlaGoal(name="cycle", target=Period(months=3), thresholds=[0.25, 0.5, 0.75])],
        default="cycle",
        calendar=CHINA,
    )
    kickoff = sh(2026, 3, 2, 9)
    clock, events = policy.start(at=kickoff, subject="P-2")
    assert events[0].data["due_at"] == "2026-06-02T18:00:00+08:00"
    assert clock.target == timedelta(hours=64 * 8)
    status = clock.status(sh(2026, 6, 2, 18))
    assert status.crossed == (
        ThresholdCrossing(Decimal("0.25"), sh(2026, 3, 23, 18)),
        ThresholdCrossing(Decimal("0.5"), sh(2026, 4, 15, 18)),
        ThresholdCrossing(Decimal("0.75"), sh(2026, 5, 11, 18)),
    )
    assert not status.breached
    for crossing in status.crossed:
        assert CHINA.between(kickoff, crossing.at) == clock.target * float(crossing.fraction)


# -- R-SLA-13: retake within three months ----------------------------------------------


def test_r_sla_13_retake_within_three_months_month_end_and_make_up_day() -> None:
    """R-SLA-13: failed Sun 2025-11-30; 3 months end Sat 2026-02-28, a make-up working day."""
    policy = SlaPolicy(
        name="certification",
        goals=[SlaGoal(name="retake", target=Period(months=3))],
        default="retake",
        calendar=CHINA,
    )
    clock, events = policy.start(at=sh(2025, 11, 30, 15), subject="exam-li")
    assert events[0].data["due_at"] == "2026-02-28T18:00:00+08:00"
    assert clock.stop(sh(2026, 2, 28, 10))[0].state == "met"
    assert clock.stop(sh(2026, 3, 2, 9))[0].state == "missed"


def test_r_sla_13_retake_without_calendar_ends_at_midnight() -> None:
    """R-SLA-13: without a calendar the three months end at 24:00 on 2026-02-28."""
    policy = SlaPolicy(
        name="certification",
        goals=[SlaGoal(name="retake", target=Period(months=3))],
        default="retake",
    )
    clock, _ = policy.start(at=sh(2025, 11, 30, 15))
    assert clock.status(sh(2025, 11, 30, 15)).due_at == sh(2026, 3, 1)
    assert clock.stop(sh(2026, 3, 1))[0].state == "met"
    assert clock.stop(sh(2026, 3, 1) + US)[0].state == "missed"
