"""SLA policies and goals: definitions, validation and the choice of a goal by facts."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from govkit.calendar import BusinessCalendar, BusinessDays, BusinessHours, Duration, Period
from govkit.errors import InvalidDefinitionError, UnknownNameError
from govkit.sla import GoalChoice, SlaGoal, SlaPolicy

SH = ZoneInfo("Asia/Shanghai")
CHINA = BusinessCalendar.china()


def complaint_policy() -> SlaPolicy:
    """Urgent, large-amount and VIP goals before a standard default (R-SLA-3, R-SLA-9)."""
    return SlaPolicy(
        name="complaint-reply",
        version=3,
        goals=[
            SlaGoal(name="urgent", target=BusinessHours(8), when={"priority": "high"}),
            SlaGoal(name="large", target=BusinessDays(2), when={"amount": {">=": 50000}}),
            SlaGoal(name="vip", target=BusinessDays(3), when={"channel": ["hotline", "director"]}),
            SlaGoal(name="standard", target=BusinessDays(5)),
        ],
        default="standard",
        calendar=CHINA,
    )


# -- choosing a goal -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("facts", "goal", "matched"),
    [
        ({"priority": "high"}, "urgent", True),
        ({"priority": "low"}, "standard", False),
        ({"amount": 50000}, "large", True),
        ({"amount": 49999.99}, "standard", False),
        ({"amount": 120000, "priority": "high"}, "urgent", True),
        ({"channel": "hotline"}, "vip", True),
        ({"channel": "director"}, "vip", True),
        ({"channel": "email"}, "standard", False),
        ({}, "standard", False),
    ],
)
def test_first_matching_goal_wins_else_default(
    facts: dict[str, Any], goal: str, matched: bool
) -> None:
    """Goals are tried in order (equality, comparison, membership); no match gives the default."""
    choice = complaint_policy().choose(facts)
    assert choice.goal == goal
    assert choice.matched is matched


def test_missing_fact_fails_the_condition() -> None:
    """A condition on a fact the case does not have does not hold, and the reason says so."""
    choice = complaint_policy().choose({"channel": "email"})
    assert choice == GoalChoice(
        "standard",
        False,
        (
            "goal 'urgent' did not match: fact 'priority' is missing",
            "goal 'large' did not match: fact 'amount' is missing",
            "goal 'vip' did not match: channel is 'email', not in ['hotline', 'director']",
            "no goal matched, so the default 'standard' applies",
        ),
    )


def test_comparison_with_wrong_type_does_not_hold() -> None:
    """Comparing text with a number makes the condition fail instead of raising."""
    choice = complaint_policy().choose({"amount": "a lot"})
    assert choice.goal == "standard"
    assert "amount is 'a lot', not >= 50000" in choice.explain()


def test_range_of_comparisons_must_all_hold() -> None:
    """Several comparisons on one fact all have to hold (a range)."""
    policy = SlaPolicy(
        name="refunds",
        goals=[
            SlaGoal(name="mid", target=timedelta(hours=48), when={"amount": {">": 100, "<=": 500}}),
            SlaGoal(name="other", target=timedelta(hours=72)),
        ],
        default="other",
    )
    assert policy.choose({"amount": 300}).goal == "mid"
    assert policy.choose({"amount": 100}).goal == "other"
    assert policy.choose({"amount": 500}).goal == "mid"
    assert policy.choose({"amount": 501}).goal == "other"


def test_choice_explains_the_match() -> None:
    """The explanation names the goals that failed and the condition that matched."""
    choice = complaint_policy().choose({"priority": "low", "amount": 60000})
    assert choice.goal == "large"
    assert choice.explain() == (
        "goal 'urgent' did not match: priority is 'low', not == 'high'; "
        "goal 'large' matched: amount >= 50000"
    )


def test_start_chooses_goal_by_facts_and_records_reasons() -> None:
    """R-SLA-9: a high-priority complaint starts on the urgent goal; the event says why."""
    clock, events = complaint_policy().start(
        at=datetime(2026, 11, 23, 10, tzinfo=SH), facts={"priority": "high"}, subject="C-1"
    )
    assert clock.goal == "urgent"
    assert clock.explain_goal().goal == "urgent"
    (event,) = events
    assert event.action == "sla.started"
    assert event.data["reasons"] == ["goal 'urgent' matched: priority == 'high'"]
    assert event.data["due_at"] == "2026-11-24T10:00:00+08:00"


def test_start_with_named_goal_overrides_facts() -> None:
    """A goal given by name is used whatever the facts say."""
    clock, _ = complaint_policy().start(
        at=datetime(2026, 11, 23, 10, tzinfo=SH), facts={"priority": "high"}, goal="vip"
    )
    assert clock.goal == "vip"
    assert clock.goal_definition().target == BusinessDays(3)


def test_start_with_unknown_goal_raises() -> None:
    """Naming a goal the policy does not have raises UnknownNameError."""
    with pytest.raises(UnknownNameError) as info:
        complaint_policy().start(at=datetime(2026, 11, 23, 10, tzinfo=SH), goal="express")
    assert info.value.name == "express"


def test_policy_goal_lookup() -> None:
    """policy.goal finds a goal by name and refuses unknown names."""
    policy = complaint_policy()
    assert policy.goal("large").target == BusinessDays(2)
    with pytest.raises(UnknownNameError):
        policy.goal("Large")


# -- defining goals --------------------------------------------------------------------


def test_default_thresholds() -> None:
    """Warning thresholds default to half and three quarters of the target."""
    goal = SlaGoal(name="g", target=timedelta(hours=1))
    assert goal.thresholds == (Decimal("0.5"), Decimal("0.75"))


def test_thresholds_are_exact_decimals() -> None:
    """Float thresholds become the decimal they were written as (0.1 stays 0.1)."""
    goal = SlaGoal(name="g", target=timedelta(hours=1), thresholds=[0.1, "0.2", Decimal("0.3")])
    assert goal.thresholds == (Decimal("0.1"), Decimal("0.2"), Decimal("0.3"))


@pytest.mark.parametrize(
    "thresholds",
    [[0], [1], [1.0], [-0.5], [1.5], [0.75, 0.5], [0.5, 0.5], ["half"], [True], "0.5", 0.5],
)
def test_bad_thresholds_raise(thresholds: Any) -> None:
    """Thresholds must be increasing fractions strictly between 0 and 1 (1 is the breach)."""
    with pytest.raises(InvalidDefinitionError) as info:
        SlaGoal(name="g", target=timedelta(hours=1), thresholds=thresholds)
    assert info.value.field.startswith("thresholds")


@pytest.mark.parametrize(
    "target",
    [timedelta(0), timedelta(hours=-1), timedelta(microseconds=-1), BusinessHours(0)],
)
def test_zero_or_negative_target_raises(target: Duration) -> None:
    """A goal needs a positive target."""
    with pytest.raises(InvalidDefinitionError) as info:
        SlaGoal(name="g", target=target)
    assert info.value.field == "target"


def test_negative_business_amounts_cannot_be_built() -> None:
    """Negative working days, hours and empty periods are refused before they reach a goal."""
    with pytest.raises(InvalidDefinitionError):
        BusinessDays(-1)
    with pytest.raises(InvalidDefinitionError):
        BusinessHours(-1)
    with pytest.raises(InvalidDefinitionError):
        Period(days=0)


def test_target_of_wrong_type_raises() -> None:
    """A target that is not a duration (e.g. a number of hours) is refused."""
    with pytest.raises(InvalidDefinitionError):
        SlaGoal(name="g", target=24)  # type: ignore[arg-type]  # the point of the test


@pytest.mark.parametrize(
    "when",
    [
        {"amount": {"~": 3}},
        {"amount": {}},
        {"role": {"in": "admin"}},
        {"": "x"},
        ["priority", "high"],
    ],
)
def test_bad_when_raises(when: Any) -> None:
    """Unknown operators, empty comparisons and malformed conditions are refused at definition."""
    with pytest.raises(InvalidDefinitionError):
        SlaGoal(name="g", target=timedelta(hours=1), when=when)


# -- defining policies -----------------------------------------------------------------


@pytest.mark.parametrize("target", [BusinessDays(5), BusinessHours(8)])
def test_business_time_goal_without_calendar_raises(target: Duration) -> None:
    """A goal counting business time needs a calendar on the goal or on the policy."""
    with pytest.raises(InvalidDefinitionError) as info:
        SlaPolicy(name="p", goals=[SlaGoal(name="g", target=target)], default="g")
    assert info.value.field == "goals[0].calendar"


def test_goal_calendar_overrides_policy_calendar() -> None:
    """A goal's own calendar counts its time; other goals use the policy's."""
    night = BusinessCalendar(
        timezone="Asia/Shanghai",
        hours={"mon-sun": [("20:00", "08:00")]},
        valid_from="2026-01-01",
        valid_until="2026-12-31",
    )
    policy = SlaPolicy(
        name="p",
        goals=[
            SlaGoal(name="night", target=BusinessHours(2), calendar=night),
            SlaGoal(name="day", target=BusinessHours(2)),
        ],
        default="day",
        calendar=CHINA,
    )
    assert policy.calendar_for(policy.goal("night")) is night
    assert policy.calendar_for(policy.goal("day")) is CHINA
    start = datetime(2026, 11, 23, 19, tzinfo=SH)
    night_clock, night_events = policy.start(at=start, goal="night")
    day_clock, day_events = policy.start(at=start, goal="day")
    assert night_events[0].data["due_at"] == "2026-11-23T22:00:00+08:00"
    assert day_events[0].data["due_at"] == "2026-11-24T11:00:00+08:00"
    assert night_clock.target == day_clock.target == timedelta(hours=2)


def test_wall_time_goal_measures_wall_time_even_with_a_calendar() -> None:
    """R-SLA-1: a timedelta target counts elapsed time though the policy has a calendar."""
    policy = SlaPolicy(
        name="p", goals=[SlaGoal(name="g", target=timedelta(hours=24))], default="g", calendar=CHINA
    )
    assert not policy.measures_business_time(policy.goal("g"))


def test_period_goal_without_calendar_is_allowed() -> None:
    """R-SLA-4: a calendar-day period needs no business calendar (it ends at 24:00)."""
    policy = SlaPolicy(name="p", goals=[SlaGoal(name="g", target=Period(days=5))], default="g")
    assert not policy.measures_business_time(policy.goal("g"))


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"default": "missing"}, "default"),
        ({"version": 0}, "version"),
        ({"version": True}, "version"),
        ({"goals": []}, "goals"),
        ({"goals": "g"}, "goals"),
        (
            {
                "goals": [
                    SlaGoal(name="g", target=timedelta(hours=1)),
                    SlaGoal(name="g", target=timedelta(hours=2)),
                ]
            },
            "goals[1].name",
        ),
    ],
)
def test_bad_policy_raises(kwargs: dict[str, Any], field: str) -> None:
    """Unknown default, bad version, no goals and duplicate goal names are refused."""
    arguments: dict[str, Any] = {
        "name": "p",
        "goals": [SlaGoal(name="g", target=timedelta(hours=1))],
        "default": "g",
    }
    arguments.update(kwargs)
    with pytest.raises(InvalidDefinitionError) as info:
        SlaPolicy(**arguments)
    assert info.value.field == field


def test_policy_is_frozen_and_equal_by_value() -> None:
    """Two policies built alike are equal; a policy cannot be changed in place."""
    assert complaint_policy() == complaint_policy()
    policy = complaint_policy()
    with pytest.raises(AttributeError):
        policy.version = 4  # type: ignore[misc]  # frozen: the point of the test
