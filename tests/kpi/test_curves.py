"""Scoring curves: linear and banded curves (R-KPI-4, R-KPI-5, R-KPI-7)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from govkit.errors import InvalidDefinitionError
from govkit.kpi import (
    Band,
    BandedCurve,
    Direction,
    Indicator,
    LinearCurve,
    Scorecard,
    ScorecardItem,
)

HIGHER = Direction.HIGHER
LOWER = Direction.LOWER
CLOSER = Direction.CLOSER

# R-KPI-4: share of complaints answered within 5 working days.
ON_TIME = LinearCurve(threshold="0.7", target="0.9", stretch="1.0")
# R-KPI-7: repeat complaints in a quarter, lower is better.
REPEATS = LinearCurve(threshold=4, target=1, stretch=0)
# R-KPI-5: resource utilization should be close to 85%, up to 10 points either way still scores.
UTILIZATION = LinearCurve(threshold="0.10", target="0.85")
# R-KPI-5: customer satisfaction (1-5 survey mean) in half-open bands.
SATISFACTION = BandedCurve(
    bands=[Band("4.5", None, 100), Band("4.0", "4.5", 80), Band("3.5", "4.0", 60)]
)


def card_with(indicator: Indicator, curve: LinearCurve | BandedCurve) -> Scorecard:
    """A one-item scorecard, which is where curves are checked against their direction."""
    return Scorecard(
        name="one", items=[ScorecardItem(indicator=indicator, weight=100, curves=curve)]
    )


# -- linear, higher is better ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "points"),
    [
        ("0.7", "50"),  # at the threshold: threshold points
        ("0.8", "75"),  # 50 + (100 - 50) * (0.8 - 0.7) / (0.9 - 0.7) = 75
        ("0.9", "100"),  # at the target: target points
        ("0.95", "110"),  # 100 + (120 - 100) * (0.95 - 0.9) / (1.0 - 0.9) = 110
        ("1.0", "120"),  # at the stretch
        ("1.2", "120"),  # beyond the stretch: capped
        ("0.69", "0"),  # below the threshold: below points
        ("0", "0"),
    ],
)
def test_linear_higher_is_better(value: str, points: str) -> None:
    """R-KPI-4: points rise linearly threshold -> target -> stretch and are capped there."""
    assert ON_TIME.points(Decimal(value), HIGHER) == Decimal(points)


def test_linear_below_points_are_configurable() -> None:
    """A curve may give a floor of points below the threshold instead of 0."""
    curve = LinearCurve(threshold="0.7", target="0.9", stretch="1.0", below_points=10)
    assert curve.points(Decimal("0.5"), HIGHER) == Decimal(10)
    assert curve.points(Decimal("0.7"), HIGHER) == Decimal(50)


def test_linear_custom_points() -> None:
    """Threshold, target and stretch points can be set: 60/100/110 at 0.8 scores 80."""
    curve = LinearCurve(
        threshold="0.7",
        target="0.9",
        stretch="1.0",
        threshold_points=60,
        target_points=100,
        stretch_points=110,
    )
    # 60 + (100 - 60) * (0.8 - 0.7) / 0.2 = 60 + 20 = 80
    assert curve.points(Decimal("0.8"), HIGHER) == Decimal(80)
    assert curve.points(Decimal("2"), HIGHER) == Decimal(110)


def test_linear_without_stretch_caps_at_target_points() -> None:
    """With no stretch, anything at or above the target scores the target points."""
    curve = LinearCurve(threshold="0.9", target=1)
    assert curve.points(Decimal("1"), HIGHER) == Decimal(100)
    assert curve.points(Decimal("1.5"), HIGHER) == Decimal(100)
    # 50 + 50 * (0.95 - 0.9) / 0.1 = 75
    assert curve.points(Decimal("0.95"), HIGHER) == Decimal(75)


def test_linear_threshold_equal_to_target_is_a_step() -> None:
    """A threshold equal to the target scores target points from there up."""
    curve = LinearCurve(threshold=1, target=1, stretch=2)
    assert curve.points(Decimal(1), HIGHER) == Decimal(100)
    assert curve.points(Decimal("0.99"), HIGHER) == Decimal(0)


# -- linear, lower is better ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "points"),
    [
        ("4", "50"),  # at the threshold
        ("2.5", "75"),  # 50 + 50 * (4 - 2.5) / (4 - 1) = 75
        ("1", "100"),  # at the target
        ("0.5", "110"),  # 100 + 20 * (1 - 0.5) / (1 - 0) = 110
        ("0", "120"),  # at the stretch
        ("5", "0"),  # worse than the threshold
    ],
)
def test_linear_lower_is_better_is_mirrored(value: str, points: str) -> None:
    """R-KPI-7: fewer repeat complaints score more, mirroring the higher-is-better curve."""
    assert REPEATS.points(Decimal(value), LOWER) == Decimal(points)


# -- linear, closer is better ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "points"),
    [
        ("0.85", "100"),  # on target
        ("0.80", "75"),  # distance 0.05: 50 + 50 * (0.10 - 0.05) / 0.10 = 75
        ("0.90", "75"),  # the same distance on the other side
        ("0.75", "50"),  # distance 0.10: at the threshold distance
        ("0.95", "50"),
        ("0.74", "0"),  # farther than the threshold distance
        ("1.00", "0"),
    ],
)
def test_linear_closer_is_better_is_distance_based(value: str, points: str) -> None:
    """R-KPI-5: utilization scores by its distance from 85%, the same on either side."""
    assert UTILIZATION.points(Decimal(value), CLOSER) == Decimal(points)


# -- linear, definition checks -------------------------------------------------------------


def test_threshold_above_target_for_higher_is_better_is_refused_when_the_card_is_built() -> None:
    """A threshold above the target for higher-is-better is refused, naming the curve."""
    with pytest.raises(InvalidDefinitionError) as caught:
        card_with(Indicator("on_time"), LinearCurve(threshold="0.95", target="0.9"))
    assert caught.value.field == "items[0].curves[0].threshold"
    assert "higher-is-better" in caught.value.expected


def test_stretch_below_target_for_higher_is_better_is_refused() -> None:
    """The stretch must not lie between threshold and target for higher-is-better."""
    with pytest.raises(InvalidDefinitionError):
        card_with(Indicator("on_time"), LinearCurve(threshold="0.7", target="0.9", stretch="0.8"))


def test_threshold_below_target_for_lower_is_better_is_refused() -> None:
    """For lower-is-better the threshold must be the largest value."""
    with pytest.raises(InvalidDefinitionError) as caught:
        card_with(Indicator("repeats", "lower"), LinearCurve(threshold=1, target=4, stretch=0))
    assert "lower-is-better" in caught.value.expected


def test_a_lower_is_better_curve_is_refused_on_a_higher_is_better_indicator() -> None:
    """The same curve is valid or not depending on the indicator's direction."""
    card_with(Indicator("repeats", "lower"), REPEATS)
    with pytest.raises(InvalidDefinitionError):
        card_with(Indicator("repeats", "higher"), REPEATS)


@pytest.mark.parametrize("threshold", [0, -1])
def test_closer_needs_a_positive_distance(threshold: int) -> None:
    """For closer-is-better the threshold is a distance and must be above 0."""
    with pytest.raises(InvalidDefinitionError) as caught:
        card_with(Indicator("use", "closer"), LinearCurve(threshold=threshold, target=1))
    assert caught.value.field == "items[0].curves[0].threshold"


def test_points_out_of_order_are_refused() -> None:
    """Threshold points above target points are refused at once."""
    with pytest.raises(InvalidDefinitionError) as caught:
        LinearCurve(threshold=1, target=2, threshold_points=110)
    assert caught.value.field == "threshold_points"


@pytest.mark.parametrize("bad", ["NaN", float("nan"), float("inf"), "-Infinity", "abc", True])
def test_curve_numbers_must_be_finite(bad: Any) -> None:
    """NaN, infinity, text or booleans as curve numbers are refused."""
    with pytest.raises(InvalidDefinitionError):
        LinearCurve(threshold=bad, target=1)
    with pytest.raises(InvalidDefinitionError):
        LinearCurve(threshold=0, target=1, stretch=bad)


def test_effective_until_before_effective_from_is_refused() -> None:
    """A curve's validity must not end before it starts."""
    with pytest.raises(InvalidDefinitionError) as caught:
        LinearCurve(
            threshold=0,
            target=1,
            effective_from=date(2027, 1, 1),
            effective_until=date(2026, 12, 31),
        )
    assert caught.value.field == "effective_until"


def test_applies_includes_both_ends() -> None:
    """A curve for 2026 applies on 1 January and 31 December, not a day outside."""
    curve = LinearCurve(
        threshold=0, target=1, effective_from=date(2026, 1, 1), effective_until=date(2026, 12, 31)
    )
    assert curve.applies(date(2026, 1, 1))
    assert curve.applies(date(2026, 12, 31))
    assert not curve.applies(date(2025, 12, 31))
    assert not curve.applies(date(2027, 1, 1))
    assert curve.applies(None)


def test_linear_curve_numbers_are_decimals() -> None:
    """Curve numbers given as floats, ints or text are kept as exact Decimals."""
    curve = LinearCurve(threshold=0.7, target="0.9", stretch=1)
    assert curve.threshold == Decimal("0.7")
    assert curve.target == Decimal("0.9")
    assert curve.stretch == Decimal(1)
    assert all(
        isinstance(getattr(curve, name), Decimal)
        for name in ("threshold_points", "target_points", "stretch_points", "below_points")
    )


# -- banded --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "points"),
    [
        ("5", "100"),
        ("4.5", "100"),  # lower bound included
        ("4.49", "80"),  # upper bound excluded
        ("4.0", "80"),
        ("3.99", "60"),
        ("3.5", "60"),
        ("3.49", "0"),  # in no band: outside points
    ],
)
def test_banded_curve_bands_are_half_open(value: str, points: str) -> None:
    """R-KPI-5: satisfaction 4.5 and up scores 100, [4.0, 4.5) 80, [3.5, 4.0) 60."""
    assert SATISFACTION.points(Decimal(value), HIGHER) == Decimal(points)


def test_banded_curve_outside_points_are_configurable() -> None:
    """A value in no band scores the declared outside points."""
    curve = BandedCurve(bands=[Band(90, 100, 100)], outside_points=20)
    assert curve.points(Decimal(100), HIGHER) == Decimal(20)
    assert curve.points(Decimal(89), HIGHER) == Decimal(20)


def test_banded_curve_scores_the_same_in_every_direction() -> None:
    """Bands say their points directly, whatever the indicator's direction."""
    for direction in Direction:
        assert SATISFACTION.points(Decimal("4.2"), direction) == Decimal(80)
    card_with(Indicator("sat", "lower"), SATISFACTION)


def test_adjacent_bands_are_accepted() -> None:
    """[80, 90) and [90, 100) touch without overlapping."""
    curve = BandedCurve(bands=[Band(80, 90, 1), Band(90, 100, 2)])
    assert curve.points(Decimal(90), HIGHER) == Decimal(2)


@pytest.mark.parametrize(
    "bands",
    [
        [Band(80, 90, 1), Band(85, 95, 2)],
        [Band(80, None, 1), Band(90, 100, 2)],
        [Band(None, 90, 1), Band(85, 95, 2)],
        [Band(90, 100, 2), Band(80, 91, 1)],
        [Band(None, 10, 1), Band(None, 5, 2)],
        [Band(None, None, 1), Band(0, 1, 2)],
    ],
    ids=[
        "crossing",
        "open-top-first",
        "open-bottom-first",
        "given-out-of-order",
        "two-open-bottoms",
        "everything-and-one",
    ],
)
def test_overlapping_bands_are_refused(bands: list[Band]) -> None:
    """Bands that overlap would give a value two scores: refused."""
    with pytest.raises(InvalidDefinitionError) as caught:
        BandedCurve(bands=bands)
    assert caught.value.field == "bands"


def test_inverted_band_is_refused() -> None:
    """A band whose upper bound is below its lower bound can hold no value: refused."""
    with pytest.raises(InvalidDefinitionError):
        BandedCurve(bands=[Band(90, 80, 100)])


@pytest.mark.parametrize("bands", [[], "bands", [(80, 90, 1)]])
def test_bands_must_be_a_non_empty_list_of_band(bands: Any) -> None:
    """Bands must be a non-empty list of Band values."""
    with pytest.raises(InvalidDefinitionError):
        BandedCurve(bands=bands)


def test_band_numbers_must_be_finite() -> None:
    """A NaN band bound or points value is refused."""
    with pytest.raises(InvalidDefinitionError):
        Band("NaN", 1, 1)
    with pytest.raises(InvalidDefinitionError):
        Band(0, 1, float("inf"))
