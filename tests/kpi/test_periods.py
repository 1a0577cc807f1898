"""Roll-ups over periods, reviews, 360 feedback and trajectories (R-KPI-2, R-KPI-5, R-KPI-6)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from govkit.errors import InvalidDefinitionError
from govkit.kpi import (
    Aggregation,
    Direction,
    Feedback360,
    Ratio,
    Review,
    Trajectory,
    roll_up,
)

# -- roll_up -------------------------------------------------------------------------------


def test_mean_and_pooled_differ_when_periods_differ_in_size() -> None:
    """R-KPI-5: 9/10 and 50/100 average 0.7 by month but pool to 59/110 (10 places, half-even)."""
    months = [Ratio(9, 10), Ratio(50, 100)]
    # mean: (0.9 + 0.5) / 2 = 0.7; pooled: (9 + 50) / (10 + 100) = 59 / 110 = 0.53636363636...
    assert roll_up(months, "mean") == Decimal("0.7")
    assert roll_up(months, "pooled") == Decimal("0.5363636364")
    assert roll_up(months, Aggregation.POOLED) == roll_up(months, "pooled")


def test_mean_and_pooled_agree_when_periods_are_the_same_size() -> None:
    """With equal denominators the two roll-ups agree: (8 + 6) / 20 = 0.7."""
    months = [Ratio(8, 10), Ratio(6, 10)]
    assert roll_up(months, "mean") == roll_up(months, "pooled") == Decimal("0.7")


def test_zero_denominator_periods_are_no_data_in_both() -> None:
    """A month with no cases is skipped by the mean and adds nothing to the pool."""
    months = [Ratio(9, 10), Ratio(0, 0), Ratio(4, 5)]
    # mean (0.9 + 0.8) / 2 = 0.85, not (0.9 + 0 + 0.8) / 3; pooled 13 / 15 = 0.8666...
    assert roll_up(months, "mean") == Decimal("0.85")
    assert roll_up(months, "pooled") == Decimal("0.8666666667")


def test_none_periods_are_no_data() -> None:
    """A period given as None is skipped."""
    assert roll_up([Decimal(80), None, Decimal(90)], "mean") == Decimal(85)
    assert roll_up([Ratio(1, 2), None], "pooled") == Decimal("0.5")


@pytest.mark.parametrize("how", ["mean", "pooled"])
@pytest.mark.parametrize("periods", [[], [None], [Ratio(0, 0), Ratio(0, 0)]])
def test_no_data_at_all_rolls_up_to_none(how: str, periods: list[Ratio | None]) -> None:
    """Periods without any data roll up to None, never 0."""
    assert roll_up(periods, how) is None


def test_mean_of_plain_values() -> None:
    """Quarterly scores 93.75, 90, 85 and 95.25 average exactly 91."""
    quarters = [Decimal("93.75"), Decimal(90), Decimal(85), Decimal("95.25")]
    # (93.75 + 90 + 85 + 95.25) / 4 = 364 / 4 = 91
    assert roll_up(quarters, "mean") == Decimal(91)


def test_pooled_needs_ratios() -> None:
    """Plain values cannot be pooled: there are no counts to add."""
    with pytest.raises(InvalidDefinitionError) as caught:
        roll_up([Ratio(1, 2), Decimal("0.5")], "pooled")
    assert caught.value.field == "periods"


def test_nan_period_is_refused() -> None:
    """A NaN period value is refused, naming its position."""
    with pytest.raises(InvalidDefinitionError) as caught:
        roll_up([Decimal(1), Decimal("NaN")], "mean")
    assert caught.value.field == "periods[1]"


def test_unknown_aggregation_is_refused() -> None:
    """An aggregation other than mean or pooled is refused."""
    with pytest.raises(ValueError, match="median"):
        roll_up([Decimal(1)], "median")


# -- Review --------------------------------------------------------------------------------

ANNUAL = Review("annual", {"self": 10, "supervisor": 50, "360": 40})


def test_review_combines_by_weight() -> None:
    """R-KPI-2: self 88 x 10 + supervisor 85 x 50 + 360 88 x 40 = 86.5."""
    result = ANNUAL.combine({"self": Decimal(88), "supervisor": Decimal(85), "360": Decimal(88)})
    # (880 + 4250 + 3520) / 100 = 8650 / 100 = 86.5
    assert result.total == Decimal("86.5")
    assert result.missing == ()
    assert result.parts == (
        ("self", Decimal(88), Decimal(10)),
        ("supervisor", Decimal(85), Decimal(50)),
        ("360", Decimal(88), Decimal(40)),
    )
    assert result.explain() == "self: 88 x 10; supervisor: 85 x 50; 360: 88 x 40 = 86.5"


@pytest.mark.parametrize("missing", [None, "absent"])
def test_review_renormalizes_a_missing_component(missing: str | None) -> None:
    """R-KPI-2: without a 360, self and supervisor share the weight: (880 + 4250) / 60 = 85.5."""
    scores: dict[str, Decimal | None] = {"self": Decimal(88), "supervisor": Decimal(85)}
    if missing is None:
        scores["360"] = None
    result = ANNUAL.combine(scores)
    assert result.total == Decimal("85.5")
    assert result.missing == ("360",)
    assert "missing: 360 (weights renormalized)" in result.explain()


def test_review_weights_must_total_the_scale() -> None:
    """Review weights must total exactly 100 or 1; the error names the total."""
    with pytest.raises(InvalidDefinitionError) as caught:
        Review("bad", {"self": 20, "supervisor": 50})
    assert "total 70" in str(caught.value)


@pytest.mark.parametrize("weights", [{}, {"self": 0, "supervisor": 100}, {"self": "NaN"}, [1]])
def test_review_weights_must_be_positive_and_finite(weights: Any) -> None:
    """Empty, zero, NaN or non-mapping weights are refused."""
    with pytest.raises(InvalidDefinitionError):
        Review("bad", weights)


def test_review_unknown_component_is_refused() -> None:
    """A score for a component the review does not have is refused."""
    with pytest.raises(InvalidDefinitionError) as caught:
        ANNUAL.combine({"self": Decimal(88), "peer": Decimal(70)})
    assert caught.value.field == "scores.peer"


def test_review_with_no_scores_is_refused() -> None:
    """A review with no component score at all is refused."""
    with pytest.raises(InvalidDefinitionError):
        ANNUAL.combine({"self": None})


# -- Feedback360 ---------------------------------------------------------------------------

WEIGHTS = {"manager": 50, "peers": 25, "subordinates": 25}


def test_360_drops_a_group_below_the_anonymity_floor() -> None:
    """R-KPI-2: two subordinates are fewer than 3 raters: dropped, their weight spread, reported."""
    feedback = Feedback360(weights=WEIGHTS)
    result = feedback.score({"manager": [90], "peers": [80, 84, 88], "subordinates": [70, 75]})
    # manager 90 (exempt from the floor), peers (80 + 84 + 88) / 3 = 84
    # (90 x 50 + 84 x 25) / 75 = (4500 + 2100) / 75 = 88
    assert result.total == Decimal(88)
    assert result.groups == (("manager", Decimal(90), 1), ("peers", Decimal(84), 3))
    assert result.actions == ("subordinates: 2 rater(s) < 3, dropped",)


def test_360_merges_a_small_group_when_declared() -> None:
    """Two subordinates merged into peers make five peer ratings; the merge is reported."""
    feedback = Feedback360(weights=WEIGHTS, small_group="merge:peers")
    result = feedback.score({"manager": [90], "peers": [80, 84, 88], "subordinates": [70, 78]})
    # peers (80 + 84 + 88 + 70 + 78) / 5 = 400 / 5 = 80
    # (90 x 50 + 80 x 25) / 75 = 6500 / 75 = 86.666..., reported at 10 places
    assert result.groups == (("manager", Decimal(90), 1), ("peers", Decimal(80), 5))
    assert result.total == Decimal("86.6666666667")
    assert result.actions == ("subordinates: 2 rater(s) < 3, merged into peers",)


def test_360_merge_never_loses_ratings_or_leaves_a_group_below_the_floor() -> None:
    """A merge target that is itself small keeps its own ratings and is not reported below 3."""
    feedback = Feedback360(weights=WEIGHTS, small_group="merge:peers")
    result = feedback.score({"manager": [80], "peers": [70], "subordinates": [90, 60]})
    by_group = {name: (mean, count) for name, mean, count in result.groups}
    ratings_used = sum(count for _, _, count in result.groups)
    assert ratings_used == 4, "every rating is used once: manager 1 + peers 1 + subordinates 2"
    for name, (_, count) in by_group.items():
        assert name in feedback.exempt or count >= feedback.min_raters, result


def test_360_merge_target_still_below_the_floor_is_dropped() -> None:
    """Anonymity first: one peer plus one subordinate merged are still 2 < 3, so both go."""
    feedback = Feedback360(weights=WEIGHTS, small_group="merge:peers")
    result = feedback.score({"manager": [80], "peers": [70], "subordinates": [90]})
    assert result.groups == (("manager", Decimal(80), 1),)
    assert result.total == Decimal(80)
    assert result.actions == (
        "subordinates: 1 rater(s) < 3, merged into peers",
        "peers: 2 rater(s) < 3, dropped",
    )


def test_360_ratings_order_changes_nothing() -> None:
    """The order of the rater groups in the input never changes the result."""
    feedback = Feedback360(weights=WEIGHTS, small_group="merge:peers")
    ratings: dict[str, list[int]] = {"manager": [80], "peers": [70], "subordinates": [90, 60]}
    backwards = dict(reversed(list(ratings.items())))
    assert feedback.score(backwards) == feedback.score(ratings)


def test_360_manager_is_exempt_from_the_floor() -> None:
    """A single manager rating is kept: the manager is exempt from the anonymity floor."""
    result = Feedback360(weights=WEIGHTS).score({"manager": [70], "peers": [90, 90, 90]})
    # (70 x 50 + 90 x 25) / 75 = (3500 + 2250) / 75 = 5750 / 75 = 76.666...
    assert result.total == Decimal("76.6666666667")
    assert result.actions == ()


def test_360_min_raters_is_configurable() -> None:
    """With a floor of 2, two subordinates are enough."""
    result = Feedback360(weights=WEIGHTS, min_raters=2).score(
        {"manager": [90], "peers": [80, 84, 88], "subordinates": [70, 74]}
    )
    assert result.actions == ()
    # (90 x 50 + 84 x 25 + 72 x 25) / 100 = (4500 + 2100 + 1800) / 100 = 84
    assert result.total == Decimal(84)


def test_360_unknown_group_is_refused() -> None:
    """Ratings from a group without a weight are refused."""
    with pytest.raises(InvalidDefinitionError) as caught:
        Feedback360(weights=WEIGHTS).score({"customers": [90, 90, 90]})
    assert caught.value.field == "ratings.customers"


def test_360_with_only_small_groups_is_refused() -> None:
    """When every group is dropped there is nothing left to score: refused."""
    with pytest.raises(InvalidDefinitionError):
        Feedback360(weights=WEIGHTS).score({"peers": [80], "subordinates": [70]})


@pytest.mark.parametrize("small_group", ["keep", "merge:customers", ""])
def test_360_small_group_rule_must_be_drop_or_a_known_merge(small_group: str) -> None:
    """The small-group rule is 'drop' or 'merge:<known group>'."""
    with pytest.raises(InvalidDefinitionError) as caught:
        Feedback360(weights=WEIGHTS, small_group=small_group)
    assert caught.value.field == "small_group"


def test_360_nan_rating_is_refused() -> None:
    """A NaN rating is refused, naming the group and position."""
    with pytest.raises(InvalidDefinitionError) as caught:
        Feedback360(weights=WEIGHTS).score({"peers": [80, Decimal("NaN"), 90]})
    assert caught.value.field == "ratings.peers[1]"


# -- Trajectory ----------------------------------------------------------------------------

MAJOR_COMPLAINTS = Trajectory(
    name="major-complaint rate (%)",
    baseline=(date(2026, 1, 1), Decimal(8)),
    target=(date(2028, 12, 31), Decimal(2)),
    direction="lower",
)


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2026, 1, 1), "8"),
        # 2026-01-01 .. 2028-12-31 is 1095 days; one year in, 8 - 6 x 365 / 1095 = 6
        (date(2027, 1, 1), "6"),
        (date(2028, 1, 1), "4"),  # 730 days: 8 - 6 x 730 / 1095 = 4
        (date(2028, 12, 31), "2"),
        (date(2025, 6, 1), "8"),  # before the baseline: held at the baseline
        (date(2030, 1, 1), "2"),  # after the target date: held at the target
    ],
)
def test_trajectory_expected_values(on: date, expected: str) -> None:
    """R-KPI-6: 8% to 2% in three years is expected to pass 6% and 4% at the year ends."""
    assert MAJOR_COMPLAINTS.expected(on) == Decimal(expected)


def test_trajectory_check_lower_is_better() -> None:
    """R-KPI-6: 5.5% after one year is on track; 4.5% after two years is behind."""
    ahead = MAJOR_COMPLAINTS.check(date(2027, 1, 1), Decimal("5.5"))
    assert (ahead.expected, ahead.actual, ahead.on_track) == (Decimal(6), Decimal("5.5"), True)
    assert "on track" in ahead.explanation
    behind = MAJOR_COMPLAINTS.check(date(2028, 1, 1), Decimal("4.5"))
    assert behind.on_track is False
    assert "behind" in behind.explanation


def test_trajectory_exactly_on_the_line_is_on_track() -> None:
    """Being exactly at the expected value counts as on track."""
    assert MAJOR_COMPLAINTS.check(date(2028, 1, 1), 4).on_track


def test_trajectory_higher_is_better() -> None:
    """Manual coverage 40% -> 100% over 2026: 70% expected at mid-year (day 181 of 362)."""
    coverage = Trajectory(
        name="manual coverage (%)",
        baseline=(date(2026, 1, 1), Decimal(40)),
        target=(date(2026, 12, 29), Decimal(100)),
    )
    assert coverage.direction is Direction.HIGHER
    # 2026-01-01 .. 2026-12-29 is 362 days; 181 days in: 40 + 60 x 181 / 362 = 70
    assert coverage.expected(date(2026, 7, 1)) == Decimal(70)
    assert coverage.check(date(2026, 7, 1), 72).on_track
    assert not coverage.check(date(2026, 7, 1), 69).on_track


def test_trajectory_target_must_come_after_baseline() -> None:
    """A target dated on or before the baseline is refused."""
    with pytest.raises(InvalidDefinitionError) as caught:
        Trajectory(
            name="x",
            baseline=(date(2026, 1, 1), Decimal(8)),
            target=(date(2026, 1, 1), Decimal(2)),
        )
    assert caught.value.field == "target"


def test_trajectory_values_are_decimals() -> None:
    """Baseline and target values given as text or int are kept as Decimals."""
    trajectory = Trajectory(
        name="x",
        baseline=(date(2026, 1, 1), "8.0"),  # type: ignore[arg-type]  # hosts may pass text
        target=(date(2027, 1, 1), 2),  # type: ignore[arg-type]  # or an int
    )
    assert trajectory.baseline == (date(2026, 1, 1), Decimal("8.0"))
    assert isinstance(trajectory.target[1], Decimal)
