"""SLA clocks, policies and recurring deadlines through JSON and TOML."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from govkit.audit import Event
from govkit.calendar import BusinessCalendar, BusinessDays, BusinessHours, Period
from govkit.errors import DeserializationError
from govkit.serialization import from_json, from_toml, make_converter, to_json
from govkit.sla import BreachStreak, RecurringDeadline, Roll, SlaClock, SlaGoal, SlaPolicy

SH = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")
CHINA = BusinessCalendar.china()
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "policies" / "complaint_reply.toml"

NIGHT_DESK = BusinessCalendar(
    name="night desk",
    timezone="Asia/Shanghai",
    hours={"mon-sun": [("20:00", "08:00")]},
    holidays=["2026-12-24"],
    valid_from="2026-01-01",
    valid_until="2026-12-31",
)

POLICY = SlaPolicy(
    name="complaint-reply",
    version=4,
    goals=[
        SlaGoal(name="urgent", target=BusinessHours(8), when={"priority": "high"}),
        SlaGoal(
            name="large",
            target=BusinessDays(2),
            when={"amount": {">=": 50000, "<": 200000}, "channel": ["hotline", "director"]},
            thresholds=[0.25, 0.5, 0.9],
        ),
        SlaGoal(name="night", target=BusinessHours(1.5), calendar=NIGHT_DESK, thresholds=[]),
        SlaGoal(name="assess", target=Period(days=5)),
        SlaGoal(name="minutes", target=timedelta(hours=24)),
        SlaGoal(name="standard", target=BusinessDays(5)),
    ],
    default="standard",
    calendar=CHINA,
)
CONVERTER = make_converter(definitions=[POLICY])


def sh(day: int, hour: int, minute: int = 0) -> datetime:
    """An instant in November 2026, Shanghai."""
    return datetime(2026, 11, day, hour, minute, tzinfo=SH)


def fresh() -> SlaClock:
    clock, _ = POLICY.start(
        at=sh(23, 10),
        subject="C-2026-1123",
        facts={"priority": "low", "amount": 12.5, "tags": ["hr", "pay"], "vip": False, "n": None},
    )
    return clock


def paused() -> SlaClock:
    return fresh().pause(sh(24, 10, 30))[0]


def resumed() -> SlaClock:
    return paused().resume(sh(25, 9, 15))[0]


def ticked() -> SlaClock:
    return resumed().tick(sh(1, 17).replace(month=12))[0]


def breached_paused() -> SlaClock:
    return ticked().pause(sh(1, 17, 30).replace(month=12))[0]


def met() -> SlaClock:
    return resumed().stop(sh(27, 11))[0]


def second_cycle() -> SlaClock:
    clock, _ = ticked().stop(sh(2, 9).replace(month=12))
    clock, _ = clock.start(sh(2, 10).replace(month=12), goal="urgent")
    return clock


def cancelled() -> SlaClock:
    return second_cycle().cancel(sh(2, 11).replace(month=12))[0]


def retargeted() -> SlaClock:
    return resumed().retarget("night", sh(25, 21), keep_elapsed=False)[0]


def wall_time_in_berlin() -> SlaClock:
    start = datetime(2026, 3, 28, 12, tzinfo=BERLIN)
    clock, _ = POLICY.start(at=start, goal="minutes", subject="minutes-9")
    return clock.tick(start + timedelta(hours=13))[0]


def period_goal() -> SlaClock:
    clock, _ = POLICY.start(at=sh(23, 10), goal="assess")
    return clock.tick(sh(27, 10))[0]


BUILDERS: list[Callable[[], SlaClock]] = [
    fresh,
    paused,
    resumed,
    ticked,
    breached_paused,
    met,
    second_cycle,
    cancelled,
    retargeted,
    wall_time_in_berlin,
    period_goal,
]


@pytest.mark.parametrize("build", BUILDERS, ids=[b.__name__ for b in BUILDERS])
def test_clock_round_trips_exactly(build: Callable[[], SlaClock]) -> None:
    """A clock in any state loads back equal, and writes back to the same text."""
    clock = build()
    text = to_json(clock, converter=CONVERTER)
    loaded = from_json(text, SlaClock, converter=CONVERTER)
    assert loaded == clock
    assert loaded.policy is POLICY
    assert to_json(loaded, converter=CONVERTER) == text
    # Instants keep their zone, not only their offset.
    assert loaded.started_at.tzinfo == clock.started_at.tzinfo


@pytest.mark.parametrize("build", BUILDERS, ids=[b.__name__ for b in BUILDERS])
def test_loaded_clock_answers_as_the_original(build: Callable[[], SlaClock]) -> None:
    """Status, next check and further changes of a loaded clock equal the original's."""
    clock = build()
    loaded = from_json(to_json(clock, converter=CONVERTER), SlaClock, converter=CONVERTER)
    later = clock.updated_at + timedelta(hours=30)
    for moment in (clock.updated_at, later):
        assert loaded.status(moment) == clock.status(moment)
        assert loaded.next_check_at(moment) == clock.next_check_at(moment)
    assert loaded.tick(later) == clock.tick(later)


def test_clock_refers_to_policy_by_name_and_version() -> None:
    """The JSON names the policy (kind, name, version) instead of copying it."""
    data = json.loads(to_json(fresh(), converter=CONVERTER))
    assert data["policy"] == {"kind": "SlaPolicy", "name": "complaint-reply", "version": 4}
    assert "goals" not in json.dumps(data)


def test_clock_without_registered_policy_fails_at_policy_path() -> None:
    """Loading a clock whose policy the converter does not know fails at $.policy."""
    text = to_json(fresh(), converter=CONVERTER)
    with pytest.raises(DeserializationError) as info:
        from_json(text, SlaClock)
    assert [e.path for e in info.value.errors] == ["$.policy"]
    assert "complaint-reply" in str(info.value)


def test_clock_with_other_policy_version_registered_fails() -> None:
    """A converter that knows only version 5 of the policy refuses a version-4 clock."""
    newer = SlaPolicy(
        name=POLICY.name,
        version=5,
        goals=list(POLICY.goals),
        default=POLICY.default,
        calendar=POLICY.calendar,
    )
    text = to_json(fresh(), converter=CONVERTER)
    with pytest.raises(DeserializationError) as info:
        from_json(text, SlaClock, converter=make_converter(definitions=[newer]))
    assert [e.path for e in info.value.errors] == ["$.policy"]


def test_bad_clock_json_lists_every_bad_field() -> None:
    """A damaged clock reports each bad field with its path."""
    data = json.loads(to_json(resumed(), converter=CONVERTER))
    data["version"] = "three"
    data["started_at"] = "2026-11-23T10:00:00"  # naive
    data["target"] = "soon"
    data["surprise"] = 1
    with pytest.raises(DeserializationError) as info:
        from_json(json.dumps(data), SlaClock, converter=CONVERTER)
    paths = {e.path for e in info.value.errors}
    assert {"$.version", "$.started_at", "$.target", "$.surprise"} <= paths


def test_policy_round_trips_through_json() -> None:
    """A policy with comparisons, memberships, periods and its own calendars loads back equal."""
    text = to_json(POLICY)
    loaded = from_json(text, SlaPolicy)
    assert loaded == POLICY
    assert to_json(loaded) == text
    assert loaded.goal("night").calendar == NIGHT_DESK
    assert loaded.goal("large").thresholds == (Decimal("0.25"), Decimal("0.5"), Decimal("0.9"))
    data = json.loads(text)
    assert data["calendar"] == "china"
    assert data["goals"][0]["target"] == "8 business hours"
    assert data["goals"][3]["target"] == "5 calendar days"
    assert data["goals"][4]["target"] == "PT24H"


def test_loaded_policy_starts_the_same_clock() -> None:
    """A clock started from the loaded policy equals one started from the original."""
    loaded = from_json(to_json(POLICY), SlaPolicy)
    facts = {"amount": 60000, "channel": "hotline"}
    clock, events = loaded.start(at=sh(23, 10), facts=facts)
    original, original_events = POLICY.start(at=sh(23, 10), facts=facts)
    assert clock == original
    assert events == original_events
    assert clock.goal == "large"


def test_example_policy_file_loads_from_toml() -> None:
    """R-SLA-3: the complaint office's TOML policy loads and times a complaint."""
    policy = from_toml(EXAMPLE.read_text(encoding="utf-8"), SlaPolicy)
    assert policy.name == "complaint-reply"
    assert policy.calendar == CHINA
    assert [g.name for g in policy.goals] == ["urgent", "standard"]
    assert policy.goal("urgent").target == BusinessHours(8)
    assert policy.goal("standard").target == BusinessDays(5)
    assert policy.goal("standard").thresholds == (Decimal("0.5"), Decimal("0.8"))
    clock, events = policy.start(at=datetime(2026, 2, 13, 10, tzinfo=SH))
    assert clock.goal == "standard"
    assert events[0].data["due_at"] == "2026-02-27T18:00:00+08:00"
    assert policy.choose({"priority": "high"}).goal == "urgent"


BAD_POLICY = """
name = "complaint-reply"
version = 0
default = "standard"
calendar = "mars"

[[goals]]
name = "urgent"
target = "8 bananas"
when = { priority = "high" }
thresholds = [0.5, 1.5]

[[goals]]
name = "standard"
target = "PT0S"
colour = "red"
"""


def test_bad_policy_file_lists_every_bad_field() -> None:
    """A bad TOML policy reports every bad field at once, each with its path."""
    with pytest.raises(DeserializationError) as info:
        from_toml(BAD_POLICY, SlaPolicy)
    paths = {e.path for e in info.value.errors}
    assert paths == {
        "$.version",
        "$.calendar",
        "$.goals[0].target",
        "$.goals[0].thresholds[1]",
        "$.goals[1].target",
        "$.goals[1].colour",
    }


def test_policy_file_with_cross_field_error() -> None:
    """A default naming no goal is reported at $.default once the fields are valid."""
    text = EXAMPLE.read_text(encoding="utf-8").replace(
        'default = "standard"', 'default = "express"'
    )
    with pytest.raises(DeserializationError) as info:
        from_toml(text, SlaPolicy)
    assert [e.path for e in info.value.errors] == ["$.default"]


def test_policy_file_with_business_goal_and_no_calendar() -> None:
    """A business-days goal in a file without a calendar is refused with its path."""
    text = EXAMPLE.read_text(encoding="utf-8").replace('calendar = "china"', "")
    with pytest.raises(DeserializationError) as info:
        from_toml(text, SlaPolicy)
    assert [e.path for e in info.value.errors] == ["$.goals[0].calendar"]


def test_events_round_trip() -> None:
    """SLA events load back equal (they go to the audit log as JSON)."""
    clock = resumed()
    _, events = clock.stop(sh(2, 9).replace(month=12))
    assert [e.action for e in events][-1] == "sla.missed"
    for event in events:
        assert from_json(to_json(event), Event) == event


def test_recurring_deadline_round_trips() -> None:
    """R-SLA-5: a recurring deadline loads back equal, the China calendar written by name."""
    quarterly = RecurringDeadline(
        name="quarterly report",
        rule="FREQ=MONTHLY;BYMONTH=3,6,9,12;BYMONTHDAY=-1",
        calendar=CHINA,
        roll=Roll.PRECEDING,
        window=3,
    )
    text = to_json(quarterly)
    assert json.loads(text)["roll"] == "preceding"
    assert json.loads(text)["calendar"] == "china"
    assert from_json(text, RecurringDeadline) == quarterly


def test_recurring_deadline_from_toml_with_bad_fields() -> None:
    """A bad recurring deadline file names each bad field."""
    text = """
name = "monthly report"
rule = "FREQ=SOMETIMES"
calendar = "china"
time = "25:00"
window = 0
"""
    with pytest.raises(DeserializationError) as info:
        from_toml(text, RecurringDeadline)
    assert {e.path for e in info.value.errors} == {"$.rule", "$.time", "$.window"}


def test_breach_streak_round_trips() -> None:
    """R-SLA-8: a streak rule loads back equal."""
    streak = BreachStreak(3, 3, action="training.required")
    assert from_json(to_json(streak), BreachStreak) == streak


def test_fixture_clocks_are_in_the_states_they_are_named_for() -> None:
    """The clocks above cover running, paused, breached, met, missed and cancelled."""
    assert ticked().status(ticked().updated_at).breached
    assert breached_paused().state == "paused"
    assert breached_paused().status(breached_paused().updated_at).breached
    assert [c.outcome for c in cancelled().history] == ["missed", "cancelled"]
    assert met().state == "met"
    assert retargeted().goal == "night"
