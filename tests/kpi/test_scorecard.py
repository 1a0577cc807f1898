"""Scorecards: weights, missing data, dated targets, exact totals (R-KPI-1, R-KPI-4)."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_DOWN, Decimal, localcontext
from typing import Any

import attrs
import pytest

from govkit.errors import InvalidDefinitionError
from govkit.kpi import (
    Indicator,
    ItemScore,
    LinearCurve,
    MissingData,
    Ratio,
    Scorecard,
    ScorecardItem,
    ScoreResult,
)


def specialist_card(missing: MissingData | str = "renormalize") -> Scorecard:
    """The complaint specialists' card of examples/policies/specialist_scorecard.toml."""
    return Scorecard(
        name="complaint-specialist",
        version=2026,
        missing=missing,
        items=[
            ScorecardItem(
                indicator=Indicator("on_time_rate", computation="ratio"),
                weight=50,
                curves=LinearCurve(threshold="0.7", target="0.9", stretch="1.0"),
            ),
            ScorecardItem(
                indicator=Indicator("complete_files", computation="ratio"),
                weight=30,
                curves=LinearCurve(threshold="0.8", target="0.95", stretch="1.0"),
            ),
            ScorecardItem(
                indicator=Indicator("repeat_complaints", "lower", computation="count"),
                weight=20,
                curves=LinearCurve(threshold=4, target=1, stretch=0),
            ),
        ],
    )


def sales_card(weights: tuple[Any, Any] = (60, 40)) -> Scorecard:
    """The sales card of the govkit.kpi docstring: conversion rate and complaints."""
    return Scorecard(
        name="sales",
        items=[
            ScorecardItem(
                indicator=Indicator("conversion", computation="ratio"),
                weight=weights[0],
                curves=LinearCurve(threshold="0.2", target="0.3", stretch="0.4"),
            ),
            ScorecardItem(
                indicator=Indicator("complaints", "lower", computation="count"),
                weight=weights[1],
                curves=LinearCurve(threshold=6, target=2, stretch=0),
            ),
        ],
    )


def item(name: str, weight: Any) -> ScorecardItem:
    """A plain higher-is-better item scoring 50..120 over 0..2."""
    return ScorecardItem(
        indicator=Indicator(name),
        weight=weight,
        curves=LinearCurve(threshold=0, target=1, stretch=2),
    )


FULL = {"on_time_rate": Ratio(43, 50), "complete_files": Ratio(19, 20), "repeat_complaints": 1}


# -- scoring -------------------------------------------------------------------------------


def test_sales_card_total() -> None:
    """R-KPI-1: 33% conversion and 4 complaints score exactly 93.6."""
    result = sales_card().score({"conversion": Ratio(33, 100), "complaints": 4})
    # conversion 0.33: 100 + 20 * (0.33 - 0.3) / 0.1 = 106 points; 106 * 60 / 100 = 63.6
    # complaints 4: 50 + 50 * (6 - 4) / (6 - 2) = 75 points; 75 * 40 / 100 = 30
    assert result.total == Decimal("93.6")
    assert [line.points for line in result.items] == [Decimal(106), Decimal(75)]
    assert [line.contribution for line in result.items] == [Decimal("63.6"), Decimal(30)]


def test_weights_totalling_one_score_like_weights_totalling_100() -> None:
    """Weights 0.6/0.4 give the same total as 60/40."""
    values = {"conversion": Ratio(33, 100), "complaints": 4}
    card = sales_card(("0.6", "0.4"))
    assert card.weight_scale == Decimal(1)
    assert card.score(values).total == sales_card().score(values).total == Decimal("93.6")


def test_specialist_card_full_data() -> None:
    """R-KPI-4: 43/50 on time, 19/20 complete files and 1 repeat complaint score 95."""
    result = specialist_card().score(FULL)
    # on time 0.86: 50 + 50 * (0.86 - 0.7) / 0.2 = 90; 90 * 50 / 100 = 45
    # complete 0.95: target, 100 points; 100 * 30 / 100 = 30
    # repeats 1: target, 100 points; 100 * 20 / 100 = 20
    assert result.total == Decimal(95)
    assert result.missing == ()
    first = result.items[0]
    assert first == ItemScore(
        indicator="on_time_rate",
        value=Decimal("0.86"),
        attainment=first.attainment,
        points=Decimal(90),
        weight=Decimal(50),
        contribution=Decimal(45),
    )
    assert first.attainment == Decimal("0.9555555556")  # 0.86 / 0.9, at 10 places


def test_result_records_the_card_name_version_and_policy() -> None:
    """A result says which scorecard version made it and what was done about missing data."""
    result = specialist_card().score(FULL)
    assert (result.scorecard, result.version) == ("complaint-specialist", 2026)
    assert result.missing_policy is MissingData.RENORMALIZE


def test_items_are_in_scorecard_order() -> None:
    """The breakdown lists items in the card's order, not the values' order."""
    values = dict(reversed(list(FULL.items())))
    names = [line.indicator for line in specialist_card().score(values).items]
    assert names == ["on_time_rate", "complete_files", "repeat_complaints"]


def test_attainment_is_value_over_target_mirrored_for_lower() -> None:
    """Attainment is value / target, and target / value for lower-is-better."""
    result = specialist_card().score({**FULL, "repeat_complaints": 2})
    assert result.items[1].attainment == Decimal(1)  # 0.95 / 0.95
    assert result.items[2].attainment == Decimal("0.5")  # 1 / 2


def test_every_number_is_a_decimal() -> None:
    """Totals, points, weights, contributions and values are all Decimals."""
    result = specialist_card().score(FULL)
    assert isinstance(result.total, Decimal)
    for line in result.items:
        for name in ("value", "points", "weight", "contribution"):
            assert isinstance(getattr(line, name), Decimal), name


def multiplies_out(line: ItemScore, scale: int, places: int = 10) -> bool:
    """Whether shown points x shown weight / scale, rounded once half-even, is the contribution."""
    with localcontext(prec=80):
        product = line.points * line.weight / scale
        return product.quantize(Decimal(1).scaleb(-places)) == line.contribution


def test_lines_add_up_to_the_total() -> None:
    """The total is exactly the sum of the contributions shown (reported at 10 places)."""
    result = specialist_card().score({**FULL, "repeat_complaints": 2})
    # repeats 2: 50 + 50 * (4 - 2) / 3 = 83.333...; shown 83.3333333333
    # contribution 83.333... * 20 / 100 = 16.666... -> 16.6666666667
    assert result.items[2].points == Decimal("83.3333333333")
    assert result.items[2].contribution == Decimal("16.6666666667")
    # 45 + 30 + 16.6666666667 = 91.6666666667
    assert result.total == Decimal("91.6666666667")
    assert result.total == sum((line.contribution for line in result.items), Decimal(0))
    assert all(multiplies_out(line, 100) for line in result.items)


def test_contributions_and_total_come_from_exact_points() -> None:
    """Shown numbers are the exact ones rounded; the total is the exact sum rounded once."""
    result = specialist_card().score({**FULL, "on_time_rate": Ratio(43, 60)})
    line = result.items[0]
    # 43 / 60 = 0.71666...: 50 + 50 * (0.71666... - 0.7) / 0.2 = 54.1666..., shown 54.1666666667
    # exact contribution: 54.1666... x 50 / 100 = 27.08333..., shown 27.0833333333
    assert line.points == Decimal("54.1666666667")
    assert line.weight == Decimal(50)
    assert line.contribution == Decimal("27.0833333333"), result.explain()


def test_equal_exact_totals_stay_equal_and_grade_lines_hold() -> None:
    """A total of exactly 89.5 is 89.5 (an A half-up), whatever the path to it."""
    items = [
        ScorecardItem(
            indicator=Indicator(f"k{i}"),
            weight=25,
            curves=LinearCurve(threshold=0, target=3, stretch=6),
        )
        for i in range(4)
    ]
    card = Scorecard(name="x", items=items)
    # 12.5 + 18.333... + 28.833... + 29.833... = 89.5 exactly
    values = {"k0": Decimal(0), "k1": Decimal("1.4"), "k2": Decimal("5.3"), "k3": Decimal("5.9")}
    assert card.score(values).total == Decimal("89.5")


def test_declared_places_round_every_reported_number_half_even() -> None:
    """With places=2, values, points and contributions are shown at 2 places; they add up."""
    card = attrs.evolve(specialist_card(), places=2)
    result = card.score({**FULL, "on_time_rate": Ratio(43, 60)})
    line = result.items[0]
    # value 0.71666... -> 0.72; points 54.1666... -> 54.17; contribution 27.0833... -> 27.08
    assert (line.value, line.points, line.contribution) == (
        Decimal("0.72"),
        Decimal("54.17"),
        Decimal("27.08"),
    )
    # 27.08 + 30 + 20 = 77.08
    assert result.total == Decimal("77.08")


@pytest.mark.parametrize("places", [-1, 29, True, 2.0])
def test_places_must_be_a_whole_number_0_to_28(places: Any) -> None:
    """A scorecard's places must be a whole number from 0 to 28."""
    with pytest.raises(InvalidDefinitionError) as caught:
        attrs.evolve(specialist_card(), places=places)
    assert caught.value.field == "places"


def test_the_callers_decimal_context_changes_nothing() -> None:
    """Scoring under a 5-digit, round-down caller context gives the same result as usual."""
    values = {**FULL, "on_time_rate": Ratio(43, 60), "repeat_complaints": 2}
    usual = specialist_card().score(values)
    with localcontext(prec=5, rounding=ROUND_DOWN):
        assert specialist_card().score(values) == usual


def test_float_weights_are_read_exactly() -> None:
    """Weights 0.1 + 0.2 + 0.7 total exactly 1 (they would not as binary floats)."""
    card = Scorecard(name="f", items=[item("a", 0.1), item("b", 0.2), item("c", 0.7)])
    assert card.weight_scale == Decimal(1)
    assert [i.weight for i in card.items] == [Decimal("0.1"), Decimal("0.2"), Decimal("0.7")]


def test_values_order_changes_nothing() -> None:
    """The order of the values mapping never changes the result."""
    card = specialist_card()
    forward = card.score({**FULL, "repeat_complaints": 3})
    backward = card.score(dict(reversed(list({**FULL, "repeat_complaints": 3}.items()))))
    assert forward == backward


# -- missing data --------------------------------------------------------------------------


def test_missing_data_renormalizes_shown_weights() -> None:
    """Renormalized weights are shown at 6 places, total exactly 100 and multiply out exactly."""
    result = specialist_card().score({"on_time_rate": Ratio(43, 50), "repeat_complaints": 1})
    # 50 / 70 * 100 = 71.4285714...; 20 / 70 * 100 = 28.5714285...
    # floors 71.428571 + 28.571428 = 99.999999; the larger remainder (.57) gets the last 0.000001
    assert [line.weight for line in result.items] == [
        Decimal("71.428571"),
        Decimal(0),
        Decimal("28.571429"),
    ]
    # 90 * 71.428571 / 100 = 64.2857139; 100 * 28.571429 / 100 = 28.571429
    assert [line.contribution for line in result.items] == [
        Decimal("64.2857139"),
        Decimal(0),
        Decimal("28.571429"),
    ]
    assert result.total == Decimal("92.8571429")
    assert result.missing == ("complete_files",)
    assert result.items[1].value is None
    assert result.items[1].attainment is None


def test_renormalized_weights_total_exactly_one_on_a_unit_scale() -> None:
    """On a card whose weights total 1, renormalized weights total exactly 1."""
    card = Scorecard(name="thirds", items=[item("a", "0.25"), item("b", "0.25"), item("c", "0.5")])
    result = card.score({"a": 1, "b": 1})
    # 0.25 / 0.5 = 0.5 each
    assert [line.weight for line in result.items] == [Decimal("0.5"), Decimal("0.5"), Decimal(0)]
    assert result.total == Decimal(100)


def test_renormalization_into_thirds() -> None:
    """Three equal weights left out of four share 100 as 33.333334 + 33.333333 + 33.333333."""
    card = Scorecard(
        name="quarters", items=[item("a", 25), item("b", 25), item("c", 25), item("d", 25)]
    )
    result = card.score({"a": 1, "b": 1, "d": 1})
    weights = [line.weight for line in result.items]
    assert sum(weights, Decimal(0)) == Decimal(100)
    assert sorted(weights) == [
        Decimal(0),
        Decimal("33.333333"),
        Decimal("33.333333"),
        Decimal("33.333334"),
    ]
    assert result.total == Decimal(100)


def test_zero_denominator_is_missing_not_zero() -> None:
    """A quarter with no files audited is no data: renormalized, not scored as 0%."""
    with_nothing = specialist_card().score({**FULL, "complete_files": Ratio(0, 0)})
    without = specialist_card().score({"on_time_rate": Ratio(43, 50), "repeat_complaints": 1})
    assert with_nothing.missing == ("complete_files",)
    assert with_nothing.total == without.total


def test_missing_data_zero_scores_the_item_zero_at_full_weight() -> None:
    """Under "zero", a missing item counts 0 points at its full weight."""
    result = specialist_card("zero").score({"on_time_rate": Ratio(43, 50), "repeat_complaints": 1})
    # 90 * 50 / 100 + 0 * 30 / 100 + 100 * 20 / 100 = 45 + 0 + 20 = 65
    assert result.total == Decimal(65)
    assert result.items[1].weight == Decimal(30)
    assert result.items[1].points == Decimal(0)
    assert result.missing == ("complete_files",)
    assert result.missing_policy is MissingData.ZERO


def test_missing_data_fail_refuses_to_score() -> None:
    """Under "fail", missing data is an error naming the indicator."""
    with pytest.raises(InvalidDefinitionError) as caught:
        specialist_card("fail").score({"on_time_rate": Ratio(43, 50), "repeat_complaints": 1})
    assert caught.value.field == "values.complete_files"


def test_missing_data_fail_with_everything_present_scores() -> None:
    """Under "fail", a complete set of values scores normally."""
    assert specialist_card("fail").score(FULL).total == Decimal(95)


def test_nothing_to_renormalize_over_is_refused() -> None:
    """With no data at all, renormalizing is impossible: refused."""
    with pytest.raises(InvalidDefinitionError):
        specialist_card().score({})


def test_explain_lists_every_line_the_missing_and_the_total() -> None:
    """explain() shows value, points, weight and contribution per item, then the total."""
    text = specialist_card().score({"on_time_rate": Ratio(43, 50), "repeat_complaints": 1})
    assert text.explain() == (
        "complaint-specialist v2026\n"
        "  on_time_rate: value 0.86, points 90 x weight 71.428571 = 64.2857139\n"
        "  complete_files: value no data, points 0 x weight 0 = 0\n"
        "  repeat_complaints: value 1, points 100 x weight 28.571429 = 28.571429\n"
        "  missing: complete_files (renormalize)\n"
        "  total 92.8571429"
    )


# -- dated targets -------------------------------------------------------------------------


def dated_card() -> Scorecard:
    """On-time targets that rise from 90% in 2026 to 100% in 2027."""
    return Scorecard(
        name="dated",
        items=[
            ScorecardItem(
                indicator=Indicator("on_time_rate", computation="ratio"),
                weight=100,
                curves=[
                    LinearCurve(
                        threshold="0.7",
                        target="0.9",
                        stretch="1.0",
                        effective_from=date(2026, 1, 1),
                        effective_until=date(2026, 12, 31),
                    ),
                    LinearCurve(threshold="0.8", target="1.0", effective_from=date(2027, 1, 1)),
                ],
            )
        ],
    )


def test_curves_are_chosen_by_effective_date() -> None:
    """The same 90% on time is the target in 2026 and below target in 2027."""
    card = dated_card()
    assert card.score({"on_time_rate": Ratio(9, 10)}, on=date(2026, 12, 31)).total == 100
    # 2027: 50 + 50 * (0.9 - 0.8) / (1.0 - 0.8) = 75
    assert card.score({"on_time_rate": Ratio(9, 10)}, on=date(2027, 1, 1)).total == 75


def test_no_curve_in_force_is_an_error() -> None:
    """Scoring on a day no curve covers is refused, naming the item."""
    with pytest.raises(InvalidDefinitionError) as caught:
        dated_card().score({"on_time_rate": Ratio(9, 10)}, on=date(2025, 12, 31))
    assert caught.value.field == "items.on_time_rate.curves"


# -- bad definitions and values ------------------------------------------------------------


@pytest.mark.parametrize(
    ("weights", "total"),
    [((60, 30), "90"), ((60, 50), "110"), (("0.6", "0.3"), "0.9"), (("0.5", 50), "50.5")],
)
def test_weights_not_totalling_the_scale_are_refused(weights: tuple[Any, Any], total: str) -> None:
    """Weights must total exactly 100 or 1; the error names the total that arrived."""
    with pytest.raises(InvalidDefinitionError) as caught:
        sales_card(weights)
    assert caught.value.field == "items.weight"
    assert f"total {total}" in str(caught.value)


@pytest.mark.parametrize("weight", [0, -10, "NaN", float("inf"), True, "ten"])
def test_weight_must_be_a_positive_finite_number(weight: Any) -> None:
    """A zero, negative, NaN, infinite, boolean or textual weight is refused."""
    with pytest.raises(InvalidDefinitionError) as caught:
        item("a", weight)
    assert caught.value.field == "weight"


def test_duplicate_indicators_are_refused() -> None:
    """The same indicator twice on one card is refused, naming the second."""
    with pytest.raises(InvalidDefinitionError) as caught:
        Scorecard(name="dup", items=[item("a", 50), item("a", 50)])
    assert caught.value.field == "items[1].indicator.name"
    assert caught.value.got == "a"


@pytest.mark.parametrize("items", [[], "items", [object()]])
def test_items_must_be_a_non_empty_list_of_items(items: Any) -> None:
    """A card needs at least one ScorecardItem."""
    with pytest.raises(InvalidDefinitionError):
        Scorecard(name="empty", items=items)


def test_unknown_missing_policy_is_refused() -> None:
    """A missing-data policy other than renormalize, zero or fail is refused."""
    with pytest.raises(ValueError, match="skip"):
        specialist_card("skip")


def test_value_for_an_unknown_indicator_is_refused() -> None:
    """A value for an indicator the card does not have is an error, not silently dropped."""
    with pytest.raises(InvalidDefinitionError) as caught:
        specialist_card().score({**FULL, "first_call_resolution": Ratio(1, 2)})
    assert caught.value.field == "values.first_call_resolution"


def test_negative_count_is_refused_when_scoring() -> None:
    """A negative count of repeat complaints is refused with a typed error."""
    with pytest.raises(InvalidDefinitionError) as caught:
        specialist_card().score({**FULL, "repeat_complaints": -1})
    assert caught.value.field == "values.repeat_complaints"


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), Decimal("NaN"), "-Infinity"])
def test_nan_or_infinite_value_is_refused_when_scoring(bad: Any) -> None:
    """NaN and infinite values are refused; they never slip into a total."""
    card = Scorecard(name="v", items=[item("a", 100)])
    with pytest.raises(InvalidDefinitionError) as caught:
        card.score({"a": bad})
    assert caught.value.field == "values.a"


def test_bad_input_leaves_the_card_usable() -> None:
    """A refused scoring changes nothing: the next good call scores as before."""
    card = specialist_card()
    with pytest.raises(InvalidDefinitionError):
        card.score({**FULL, "repeat_complaints": -1})
    assert card.score(FULL).total == Decimal(95)


def test_scorecard_and_result_are_frozen() -> None:
    """Scorecards and results are frozen values."""
    card = specialist_card()
    result = card.score(FULL)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        card.version = 2027  # type: ignore[misc]  # the point: frozen
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        result.total = Decimal(100)  # type: ignore[misc]  # the point: frozen
    assert isinstance(result, ScoreResult)
