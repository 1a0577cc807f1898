"""Indicators on their own: ratios, counts, means, percentiles, values (R-KPI-1, R-KPI-7)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import numpy as np
import pytest

from govkit.errors import GovkitError, InvalidDefinitionError
from govkit.kpi import Computation, Direction, Indicator, Ratio

CONVERSION = Indicator("conversion_rate", computation="ratio", unit="%")
COMPLAINTS = Indicator("complaints", "lower", computation="count")
CYCLE = Indicator("resolution_days", "lower", computation="mean", unit="days")
CYCLE_P90 = Indicator("resolution_days_p90", "lower", computation="percentile", q=90)
BUDGET_USE = Indicator("budget_use", "closer")


# -- definition ----------------------------------------------------------------------------


def test_indicator_defaults_to_higher_is_better_plain_value() -> None:
    """An indicator with no options is a plain value where higher is better."""
    indicator = Indicator("revenue")
    assert indicator.direction is Direction.HIGHER
    assert indicator.computation is Computation.VALUE
    assert indicator.unit == ""
    assert indicator.q is None


def test_indicator_accepts_enum_values_as_text() -> None:
    """Direction and computation given as text become their enums."""
    assert CONVERSION.computation is Computation.RATIO
    assert COMPLAINTS.direction is Direction.LOWER
    assert BUDGET_USE.direction is Direction.CLOSER
    assert CYCLE_P90.q == Decimal(90)


def test_indicator_unknown_direction_is_refused() -> None:
    """A direction that is not higher, lower or closer is refused."""
    with pytest.raises(ValueError, match="sideways"):
        Indicator("x", "sideways")


def test_indicator_empty_name_is_refused() -> None:
    """An indicator needs a name."""
    with pytest.raises(InvalidDefinitionError) as caught:
        Indicator("")
    assert caught.value.field == "name"


def test_percentile_indicator_needs_q() -> None:
    """A percentile indicator without q is refused, naming q."""
    with pytest.raises(InvalidDefinitionError) as caught:
        Indicator("p", computation="percentile")
    assert caught.value.field == "q"


def test_q_on_a_non_percentile_indicator_is_refused() -> None:
    """q on a mean indicator is refused instead of being silently ignored."""
    with pytest.raises(InvalidDefinitionError) as caught:
        Indicator("m", computation="mean", q=50)
    assert caught.value.field == "q"


@pytest.mark.parametrize("q", [-1, 101, "NaN", float("inf")])
def test_q_outside_0_to_100_is_refused(q: Any) -> None:
    """q must be a finite percentile between 0 and 100."""
    with pytest.raises(InvalidDefinitionError) as caught:
        Indicator("p", computation="percentile", q=q)
    assert caught.value.field == "q"


# -- ratio ---------------------------------------------------------------------------------


def test_ratio_is_an_exact_decimal() -> None:
    """R-KPI-1: 42 conversions of 60 leads is exactly 0.7."""
    assert CONVERSION.measure(Ratio(42, 60)) == Decimal("0.7")
    assert isinstance(CONVERSION.measure(Ratio(42, 60)), Decimal)


def test_ratio_accepts_a_pair() -> None:
    """A (numerator, denominator) pair measures like a Ratio: 3 of 4 is 0.75."""
    assert CONVERSION.measure((3, 4)) == Decimal("0.75")
    assert CONVERSION.measure([3, 4]) == Decimal("0.75")


@pytest.mark.parametrize(
    ("facts", "expected"), [("0.7", Decimal("0.7")), (0.25, Decimal("0.25")), (1, Decimal(1))]
)
def test_ratio_accepts_a_share_computed_elsewhere(facts: Any, expected: Decimal) -> None:
    """A share already computed (0.7, not 42 of 60) is taken as it is, exactly."""
    assert CONVERSION.measure(facts) == expected


@pytest.mark.parametrize("facts", [float("nan"), "Infinity", Decimal("NaN")])
def test_ratio_share_must_be_finite(facts: Any) -> None:
    """A NaN or infinite share is refused."""
    with pytest.raises(InvalidDefinitionError) as caught:
        CONVERSION.measure(facts)
    assert caught.value.field == "values.conversion_rate"


@pytest.mark.parametrize("facts", [Ratio(0, 0), (0, 0), [0, 0]])
def test_ratio_with_zero_denominator_is_no_data(facts: Any) -> None:
    """A month without leads is no data (None): never 0% and never a crash."""
    assert CONVERSION.measure(facts) is None


def test_ratio_of_zero_with_a_denominator_is_zero() -> None:
    """0 conversions of 10 leads is a real 0, not no data."""
    assert CONVERSION.measure(Ratio(0, 10)) == Decimal(0)


@pytest.mark.parametrize(("numerator", "denominator"), [(-1, 10), (3, -4)])
def test_ratio_with_negative_counts_is_refused(numerator: int, denominator: int) -> None:
    """Negative counts in a Ratio are refused with a typed error."""
    with pytest.raises(InvalidDefinitionError):
        Ratio(numerator, denominator)


@pytest.mark.parametrize("facts", [(-1, 10), (1.5, 3), (True, 3), (1, 2, 3), "1/2", [1], {"n": 1}])
def test_ratio_facts_of_the_wrong_shape_are_refused(facts: Any) -> None:
    """Ratio facts that are not two whole counts are refused, naming the indicator."""
    with pytest.raises(InvalidDefinitionError) as caught:
        CONVERSION.measure(facts)
    assert caught.value.field == "values.conversion_rate"


# -- count ---------------------------------------------------------------------------------


def test_count_is_a_decimal() -> None:
    """A count of 7 complaints measures as Decimal 7."""
    assert COMPLAINTS.measure(7) == Decimal(7)
    assert COMPLAINTS.measure(0) == Decimal(0)


@pytest.mark.parametrize("facts", [-1, 2.5, True, "3", Decimal(3)])
def test_count_must_be_a_whole_number_at_least_zero(facts: Any) -> None:
    """A negative, fractional, boolean or textual count is refused."""
    with pytest.raises(InvalidDefinitionError) as caught:
        COMPLAINTS.measure(facts)
    assert caught.value.field == "values.complaints"
    assert isinstance(caught.value, GovkitError)
    assert isinstance(caught.value, ValueError)


# -- mean ----------------------------------------------------------------------------------


def test_mean_of_resolution_days() -> None:
    """R-KPI-7: cycles of 4, 6, 5 and 3 days average exactly 4.5 days."""
    # (4 + 6 + 5 + 3) / 4 = 18 / 4 = 4.5
    assert CYCLE.measure([4, 6, 5, 3]) == Decimal("4.5")


def test_mean_reads_floats_through_their_repr() -> None:
    """0.1 and 0.2 average to exactly 0.15, not a binary float approximation."""
    assert CYCLE.measure([0.1, 0.2]) == Decimal("0.15")


def test_mean_of_nothing_is_no_data() -> None:
    """An empty list (no complaints closed) is no data."""
    assert CYCLE.measure([]) is None
    assert CYCLE.measure(()) is None


@pytest.mark.parametrize(
    "bad", [float("nan"), float("inf"), float("-inf"), Decimal("NaN"), "Infinity", True]
)
def test_mean_with_nan_or_infinity_is_refused(bad: Any) -> None:
    """NaN, infinity or a boolean in a list is refused, naming its position."""
    with pytest.raises(InvalidDefinitionError) as caught:
        CYCLE.measure([3, bad])
    assert caught.value.field == "values.resolution_days[1]"


@pytest.mark.parametrize("facts", ["4, 5", 4, {"a": 4}])
def test_mean_needs_a_list(facts: Any) -> None:
    """Text, a bare number or a mapping is not a list of numbers."""
    with pytest.raises(InvalidDefinitionError):
        CYCLE.measure(facts)


# -- percentile ----------------------------------------------------------------------------


def test_percentile_interpolates_linearly() -> None:
    """R-KPI-7: the 90th percentile of ten cycles interpolates between order statistics."""
    days = [5, 3, 12, 4, 8, 2, 6, 7, 3, 5]
    # sorted: 2 3 3 4 5 5 6 7 8 12; position (10 - 1) * 0.9 = 8.1
    # value 8 + (12 - 8) * 0.1 = 8.4
    assert CYCLE_P90.measure(days) == Decimal("8.4")


def test_percentile_of_one_value_is_that_value() -> None:
    """Any percentile of a single value is the value."""
    assert CYCLE_P90.measure([7]) == Decimal(7)


@pytest.mark.parametrize("q", [0, 10, 25, 50, Decimal("62.5"), 90, 99, 100])
@pytest.mark.parametrize(
    "data",
    [
        [1, 2, 3, 4],
        [Decimal("2.5"), 9, 1, 1, 40, Decimal("0.25"), 7],
        list(range(100, 0, -3)),
    ],
)
def test_percentile_matches_numpy_linear_method(q: int | Decimal, data: list[Any]) -> None:
    """Percentiles agree with numpy.percentile (linear interpolation) to float precision."""
    indicator = Indicator("p", computation="percentile", q=q)
    ours = indicator.measure(data)
    assert ours is not None
    theirs = np.percentile(np.array([float(v) for v in data]), float(q), method="linear")
    assert float(ours) == pytest.approx(float(theirs), rel=1e-12, abs=1e-12)


def test_percentile_of_nothing_is_no_data() -> None:
    """An empty list has no percentile."""
    assert CYCLE_P90.measure([]) is None


# -- value ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("facts", "expected"),
    [(0.1, Decimal("0.1")), ("0.98", Decimal("0.98")), (3, Decimal(3)), (Decimal("1.05"), None)],
)
def test_value_is_kept_as_an_exact_decimal(facts: Any, expected: Decimal | None) -> None:
    """Values are exact Decimals: a float is read through its shortest repr."""
    measured = BUDGET_USE.measure(facts)
    assert measured == (expected if expected is not None else facts)
    assert isinstance(measured, Decimal)


@pytest.mark.parametrize(
    "facts",
    [float("nan"), float("inf"), float("-inf"), Decimal("NaN"), Decimal("sNaN"), "-Infinity"],
)
def test_value_nan_or_infinity_is_refused(facts: Any) -> None:
    """NaN and infinity are refused with a typed error naming the indicator."""
    with pytest.raises(InvalidDefinitionError) as caught:
        BUDGET_USE.measure(facts)
    assert caught.value.field == "values.budget_use"


@pytest.mark.parametrize("facts", ["lots", True, [1], object()])
def test_value_that_is_not_a_number_is_refused(facts: Any) -> None:
    """Text, booleans and lists are not values."""
    with pytest.raises(InvalidDefinitionError):
        BUDGET_USE.measure(facts)


@pytest.mark.parametrize("indicator", [CONVERSION, COMPLAINTS, CYCLE, CYCLE_P90, BUDGET_USE])
def test_none_is_no_data_for_every_computation(indicator: Indicator) -> None:
    """No facts at all is no data, whatever the computation."""
    assert indicator.measure(None) is None
