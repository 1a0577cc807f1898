"""KPI definitions and results through JSON and TOML with govkit.serialization (R-KPI-4)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from govkit.errors import DeserializationError
from govkit.kpi import (
    Band,
    BandedCurve,
    Bucket,
    ForcedDistribution,
    Grade,
    GradeScale,
    Indicator,
    LinearCurve,
    Ratio,
    Rounding,
    Scorecard,
    ScorecardItem,
    ScoreResult,
    rank,
)
from govkit.serialization import from_json, from_toml, to_json, unstructure

POLICIES = Path(__file__).resolve().parents[2] / "examples" / "policies"
TOML = (POLICIES / "specialist_scorecard.toml").read_text(encoding="utf-8")

MIXED = Scorecard(
    name="task-force",
    version=3,
    missing="zero",
    items=[
        ScorecardItem(
            indicator=Indicator("completion", computation="ratio", unit="%"),
            weight="37.5",
            curves=[
                LinearCurve(
                    threshold="0.7",
                    target="0.9",
                    stretch="1.0",
                    effective_until=date(2026, 12, 31),
                ),
                LinearCurve(
                    threshold="0.8", target="0.95", below_points=5, effective_from=date(2027, 1, 1)
                ),
            ],
        ),
        ScorecardItem(
            indicator=Indicator("satisfaction", computation="mean"),
            weight="37.5",
            curves=BandedCurve(
                bands=[Band("4.5", None, 100), Band("4.0", "4.5", 80)], outside_points=10
            ),
        ),
        ScorecardItem(
            indicator=Indicator("p90_days", "lower", computation="percentile", q="90"),
            weight=25,
            curves=LinearCurve(threshold=10, target=5, stretch=2),
        ),
    ],
)
GRADES = GradeScale(
    name="annual",
    bands=[(90, "A"), (75, "B"), ("59.5", "C"), (0, "D")],
    rounding=Rounding(1, "half-even"),
)


def test_example_toml_loads_with_exact_decimals() -> None:
    """R-KPI-4: the example card loads; TOML floats such as 0.7 become exactly Decimal('0.7')."""
    card = from_toml(TOML, Scorecard)
    first = card.items[0].curves[0]
    assert isinstance(first, LinearCurve)
    assert (first.threshold, first.target, first.stretch) == (
        Decimal("0.7"),
        Decimal("0.9"),
        Decimal("1.0"),
    )
    assert card.items[2].indicator == Indicator("repeat_complaints", "lower", computation="count")


def test_example_toml_round_trips_through_json() -> None:
    """The loaded card survives to_json/from_json unchanged and scores the same."""
    card = from_toml(TOML, Scorecard)
    back = from_json(to_json(card), Scorecard)
    assert back == card
    values = {
        "on_time_rate": Ratio(43, 50),
        "complete_files": Ratio(19, 20),
        "repeat_complaints": 1,
    }
    assert back.score(values).total == card.score(values).total == Decimal(95)


def test_mixed_card_round_trips() -> None:
    """Linear and banded curves, dated curves, percentiles and options survive a round trip."""
    assert from_json(to_json(MIXED), Scorecard) == MIXED


def test_decimals_are_written_as_strings() -> None:
    """Weights and curve numbers are written as strings, so no float ever touches them."""
    data = json.loads(to_json(MIXED))
    assert data["items"][0]["weight"] == "37.5"
    assert data["items"][0]["curves"][0]["threshold"] == "0.7"
    assert data["items"][2]["indicator"]["q"] == "90"
    assert data["missing"] == "zero"
    assert data["items"][0]["curves"][0]["effective_until"] == "2026-12-31"


def test_grade_scale_round_trips() -> None:
    """A grade scale with its rounding survives a round trip."""
    back = from_json(to_json(GRADES), GradeScale)
    assert back == GRADES
    assert back.grade(Decimal("89.95")) == GRADES.grade(Decimal("89.95"))
    assert unstructure(GRADES)["rounding"] == {"places": 1, "mode": "half-even"}


def test_grade_scale_loads_from_toml() -> None:
    """A grade scale is written in TOML as pairs of minimum and grade."""
    text = 'name = "annual"\nbands = [[90, "A"], [75, "B"], [0, "C"]]\n'
    text += '[rounding]\nplaces = 0\nmode = "half-up"\n'
    scale = from_toml(text, GradeScale)
    assert scale.grade(Decimal("89.5")).grade == "A"


def test_score_result_round_trips() -> None:
    """A score result (with no-data lines) survives a round trip exactly."""
    card = from_toml(TOML, Scorecard)
    result = card.score({"on_time_rate": Ratio(43, 50), "repeat_complaints": 2})
    assert from_json(to_json(result), ScoreResult) == result


def test_grade_and_distribution_round_trip() -> None:
    """Grades and forced distributions survive a round trip."""
    grade = GRADES.grade(Decimal("89.95"))
    assert from_json(to_json(grade), Grade) == grade
    distribution = ForcedDistribution(
        [Bucket("top", 20), Bucket("middle", 70, "at-least"), Bucket("bottom", 10, "at-least")]
    )
    back = from_json(to_json(distribution), ForcedDistribution)
    assert back == distribution
    scores = {f"p{i}": Decimal(i) for i in range(11)}
    assert back.apply(rank(scores)) == distribution.apply(rank(scores))


# -- bad data ------------------------------------------------------------------------------


def error_paths(text: str) -> dict[str, str]:
    """Load ``text`` as a Scorecard and return its errors as path -> message."""
    with pytest.raises(DeserializationError) as caught:
        from_toml(text, Scorecard)
    return {e.path: e.message for e in caught.value.errors}


def test_weights_not_totalling_100_are_refused_on_load_naming_the_total() -> None:
    """A card whose weights total 90 does not load, and the error says 90."""
    errors = error_paths(TOML.replace("weight = 20", "weight = 10"))
    assert "total 90" in errors["$.items.weight"]


def test_threshold_above_target_is_refused_on_load() -> None:
    """A higher-is-better curve with its threshold above its target does not load."""
    errors = error_paths(TOML.replace("threshold = 0.7", "threshold = 0.95"))
    assert "higher-is-better" in errors["$.items[0].curves[0].threshold"]


def test_unknown_fields_and_nan_are_all_reported() -> None:
    """An unknown field and a NaN threshold are reported together, each with its path."""
    text = TOML.replace('unit = "share"', 'unit = "share"\nscale = 3', 1).replace(
        "threshold = 4", 'threshold = "nan"'
    )
    errors = error_paths(text)
    assert set(errors) == {"$.items[0].indicator.scale", "$.items[2].curves[0].threshold"}


def test_duplicate_indicator_is_refused_on_load() -> None:
    """Two items with the same indicator name do not load."""
    errors = error_paths(TOML.replace('name = "complete_files"', 'name = "on_time_rate"'))
    assert any("not already on the card" in message for message in errors.values())


def test_unknown_rounding_mode_is_refused_on_load() -> None:
    """A grade scale with an unknown rounding mode does not load; the path names the mode."""
    text = 'name = "annual"\nbands = [[90, "A"], [0, "B"]]\n[rounding]\nmode = "bankers"\n'
    with pytest.raises(DeserializationError) as caught:
        from_toml(text, GradeScale)
    assert [e.path for e in caught.value.errors] == ["$.rounding.mode"]


def test_bucket_percents_not_totalling_100_are_refused_on_load() -> None:
    """A forced distribution whose shares total 95 does not load, and the error says 95."""
    text = json.dumps(
        {
            "buckets": [
                {"name": "top", "percent": "20", "quota": "at-most"},
                {"name": "rest", "percent": "75", "quota": "at-least"},
            ]
        }
    )
    with pytest.raises(DeserializationError) as caught:
        from_json(text, ForcedDistribution)
    assert "total 95" in str(caught.value)
