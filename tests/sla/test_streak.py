"""Breach streaks (R-SLA-8): three consecutive timeouts send the specialist to training."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from govkit.calendar import BusinessCalendar, BusinessHours
from govkit.errors import InvalidDefinitionError
from govkit.sla import BreachStreak, Cycle, SlaClock, SlaGoal, SlaPolicy

SH = ZoneInfo("Asia/Shanghai")
R_SLA_8 = BreachStreak(3, 3)


def sh(day: int, hour: int) -> datetime:
    """An instant in November 2026, Shanghai."""
    return datetime(2026, 11, day, hour, tzinfo=SH)


@pytest.mark.parametrize(
    ("outcomes", "fired"),
    [
        (["missed", "missed", "missed"], True),
        (["met", "missed", "missed", "missed"], True),
        (["missed", "missed", "missed", "met"], False),
        (["missed", "met", "missed", "missed"], False),
        (["missed", "missed"], False),
        ([], False),
        (["missed", "cancelled", "missed", "cancelled", "missed"], True),
        (["missed", "missed", "met", "cancelled"], False),
        (["met", "met", "met"], False),
    ],
)
def test_r_sla_8_three_consecutive_timeouts(outcomes: list[str], fired: bool) -> None:
    """R-SLA-8: the rule fires on three misses in a row; cancelled cycles are skipped."""
    assert R_SLA_8.evaluate(outcomes).fired is fired


def test_verdict_explains_itself() -> None:
    """The verdict names the window judged, the misses in it and the rule."""
    verdict = R_SLA_8.evaluate(["met", "missed", "cancelled", "missed", "missed"])
    assert verdict.fired
    assert verdict.missed == 3
    assert verdict.window == ("missed", "missed", "missed")
    assert verdict.explanation == "3 of the last 3 outcomes missed (rule: 3 of 3) -> fires"


def test_short_history_does_not_fire() -> None:
    """With fewer than n outcomes the rule cannot fire, and says how many it saw."""
    verdict = R_SLA_8.evaluate(["missed", "missed"])
    assert not verdict.fired
    assert verdict.explanation == "2 of the last 2 outcomes missed (rule: 3 of 3) -> does not fire"


@pytest.mark.parametrize(
    ("outcomes", "fired"),
    [
        (["missed", "met", "missed", "met", "missed"], True),
        (["missed", "met", "met", "missed", "missed"], True),
        (["missed", "met", "met", "met", "missed", "missed"], False),
        (["missed", "missed", "met", "met", "met", "missed"], False),
    ],
)
def test_k_of_n(outcomes: list[str], fired: bool) -> None:
    """BreachStreak(3, 5) fires when 3 of the last 5 outcomes were missed; older ones drop out."""
    assert BreachStreak(3, 5).evaluate(outcomes).fired is fired


def test_check_returns_event_for_the_assignee() -> None:
    """R-SLA-8: check gives the event a host turns into mandatory training."""
    at = sh(30, 9)
    event = R_SLA_8.check(["met", "missed", "missed", "missed"], assignee="wang", at=at)
    assert event is not None
    assert (event.actor, event.action, event.subject, event.at) == (
        "system",
        "sla.streak",
        "wang",
        at,
    )
    assert event.data == {"k": 3, "n": 3, "missed": 3, "window": ["missed", "missed", "missed"]}


def test_check_returns_none_when_not_fired() -> None:
    """No event when the rule does not fire."""
    assert R_SLA_8.check(["missed", "met", "missed"], assignee="wang", at=sh(30, 9)) is None


def test_custom_action_name() -> None:
    """The event's action can be named for the host (e.g. a training order)."""
    streak = BreachStreak(3, 3, action="training.required")
    event = streak.check(["missed"] * 3, assignee="wang", at=sh(30, 9))
    assert event is not None
    assert event.action == "training.required"


def _cycles_of_one_specialist() -> tuple[Cycle, ...]:
    """Four complaints handled by one specialist on an 8-business-hour goal."""
    policy = SlaPolicy(
        name="complaint-handling",
        goals=[SlaGoal(name="handle", target=BusinessHours(8))],
        default="handle",
        calendar=BusinessCalendar.china(),
    )
    clock: SlaClock
    clock, _ = policy.start(at=sh(16, 9), subject="wang")
    clock, _ = clock.stop(sh(16, 17))  # met
    for day in (17, 19, 23):
        clock, _ = clock.start(sh(day, 9))
        clock, _ = clock.stop(sh(day + 1, 11))  # 10 business hours: missed
    clock, _ = clock.start(sh(25, 9))
    clock, _ = clock.cancel(sh(25, 10))
    return clock.history


def test_r_sla_8_on_real_cycles() -> None:
    """R-SLA-8: three missed cycles of a clock (a cancelled one after them) fire the rule."""
    cycles = _cycles_of_one_specialist()
    assert [c.outcome for c in cycles] == ["met", "missed", "missed", "missed", "cancelled"]
    assert R_SLA_8.evaluate(cycles).fired
    assert not R_SLA_8.evaluate(cycles[:3]).fired
    event = R_SLA_8.check(cycles, assignee="wang", at=sh(25, 10))
    assert event is not None
    assert event.data["window"] == ["missed", "missed", "missed"]


def test_mixed_strings_and_cycles() -> None:
    """Outcomes may mix strings and Cycle values."""
    cycles = _cycles_of_one_specialist()
    assert R_SLA_8.evaluate(["missed", *cycles[:2]]).fired is False
    assert R_SLA_8.evaluate([*cycles[1:3], "missed"]).fired is True


@pytest.mark.parametrize(
    ("k", "n", "field"),
    [(0, 3, "k"), (3, 0, "n"), (4, 3, "k"), (-1, 3, "k"), (True, 3, "k"), (2.0, 3, "k")],
)
def test_bad_streak_definition_raises(k: Any, n: Any, field: str) -> None:
    """k and n are whole numbers >= 1 with k <= n."""
    with pytest.raises(InvalidDefinitionError) as info:
        BreachStreak(k, n)
    assert info.value.field == field


@pytest.mark.parametrize("outcome", ["late", "MISSED", "", "running"])
def test_unknown_outcome_raises(outcome: str) -> None:
    """Outcomes other than met, missed and cancelled are refused, with their position."""
    with pytest.raises(InvalidDefinitionError) as info:
        R_SLA_8.evaluate(["met", outcome])
    assert info.value.field == "outcomes[1]"
