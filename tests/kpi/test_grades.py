"""Grade scales: one declared rounding, then banding (R-KPI-3)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govkit.errors import InvalidDefinitionError
from govkit.kpi import Grade, GradeScale, Rounding

ANNUAL = GradeScale(name="annual", bands=[(90, "A"), (75, "B"), (60, "C"), (0, "D")])


@pytest.mark.parametrize(
    ("score", "rounded", "grade"),
    [
        ("89.5", "90", "A"),  # half-up: 89.5 -> 90, which reaches A
        ("89.49", "89", "B"),  # 89.49 -> 89 stays B
        ("90", "90", "A"),
        ("74.5", "75", "B"),
        ("74.4999", "74", "C"),
        ("59.5", "60", "C"),
        ("0", "0", "D"),
        ("120", "120", "A"),
    ],
)
def test_half_up_rounding_before_banding(score: str, rounded: str, grade: str) -> None:
    """R-KPI-3: the score is rounded half-up to a whole number, then banded."""
    result = ANNUAL.grade(Decimal(score))
    assert result == Grade(grade, Decimal(score), Decimal(rounded), Rounding(0, "half-up"))


def test_grade_records_score_rounded_and_rule() -> None:
    """R-KPI-3: a grade shows the raw score, the rounded score and the rounding used."""
    grade = ANNUAL.grade(Decimal("89.5"))
    assert grade.grade == "A"
    assert grade.score == Decimal("89.5")
    assert grade.rounded == Decimal(90)
    assert grade.rounding == Rounding(places=0, mode="half-up")
    assert str(grade.rounding) == "0 places, half-up"


def test_rounding_is_applied_once() -> None:
    """89.45 rounds to 89 (B) at 0 places; it is never rounded to 89.5 and then to 90."""
    assert ANNUAL.grade(Decimal("89.45")).grade == "B"
    assert ANNUAL.grade(Decimal("89.45")).rounded == Decimal(89)


@pytest.mark.parametrize(
    ("rounding", "score", "rounded", "grade"),
    [
        (Rounding(0, "half-even"), "89.5", "90", "A"),  # 90 is even
        (Rounding(0, "half-even"), "88.5", "88", "B"),  # 88 is even
        (Rounding(0, "floor"), "89.99", "89", "B"),
        (Rounding(0, "ceiling"), "89.01", "90", "A"),
        (Rounding(1, "half-up"), "89.95", "90.0", "A"),
        (Rounding(1, "half-up"), "89.94", "89.9", "B"),
        (Rounding(2, "floor"), "89.999", "89.99", "B"),
    ],
)
def test_declared_rounding_modes_and_places(
    rounding: Rounding, score: str, rounded: str, grade: str
) -> None:
    """Each declared rounding mode and number of places decides the grade line as stated."""
    scale = GradeScale(name="annual", bands=ANNUAL.bands, rounding=rounding)
    result = scale.grade(Decimal(score))
    assert (result.rounded, result.grade) == (Decimal(rounded), grade)
    assert str(result.rounded) == rounded


def test_bands_are_sorted_best_first_whatever_the_input_order() -> None:
    """Bands given in any order grade alike."""
    shuffled = GradeScale(name="annual", bands=[(60, "C"), (0, "D"), (90, "A"), (75, "B")])
    assert shuffled.bands == ANNUAL.bands
    for score in ("95", "80", "65", "10"):
        assert shuffled.grade(Decimal(score)) == ANNUAL.grade(Decimal(score))


def test_bands_as_a_mapping_of_grade_to_minimum() -> None:
    """{"A": 90, "B": 75, ...} is accepted as well as (90, "A") pairs."""
    scale = GradeScale(name="annual", bands={"A": 90, "B": 75, "C": 60, "D": 0})
    assert scale.bands == ANNUAL.bands


def test_grade_accepts_int_and_text_scores() -> None:
    """Scores given as int or numeric text are read exactly."""
    assert ANNUAL.grade(90).grade == "A"  # type: ignore[arg-type]  # a host may pass an int
    assert ANNUAL.grade("89.5").grade == "A"  # type: ignore[arg-type]  # or numeric text


def test_score_below_every_band_is_refused() -> None:
    """A score under the lowest minimum has no grade: refused, not guessed."""
    scale = GradeScale(name="pass", bands=[(60, "pass")])
    with pytest.raises(InvalidDefinitionError) as caught:
        scale.grade(Decimal("59.4"))
    assert caught.value.field == "score"


@pytest.mark.parametrize("score", [Decimal("NaN"), Decimal("Infinity"), float("nan")])
def test_nan_or_infinite_score_is_refused(score: Any) -> None:
    """NaN and infinite scores get no grade."""
    with pytest.raises(InvalidDefinitionError):
        ANNUAL.grade(score)


def test_unknown_rounding_mode_is_refused() -> None:
    """A rounding mode outside half-up, half-even, floor and ceiling is refused."""
    with pytest.raises(InvalidDefinitionError) as caught:
        Rounding(0, "bankers")
    assert caught.value.field == "mode"
    assert "half-up" in caught.value.expected


@pytest.mark.parametrize("places", [-1, 11, True, 1.0])
def test_rounding_places_must_be_a_small_whole_number(places: Any) -> None:
    """Places must be a whole number from 0 to 10."""
    with pytest.raises(InvalidDefinitionError) as caught:
        Rounding(places)
    assert caught.value.field == "places"


def test_rounding_defaults_to_whole_numbers_half_up() -> None:
    """The default rounding is 0 places, half-up."""
    assert Rounding() == Rounding(0, "half-up")
    assert ANNUAL.rounding == Rounding()


@pytest.mark.parametrize(
    "bands",
    [
        [(90, "A"), (80, "A")],
        [(90, "A"), (90, "B")],
        [],
        "A",
        [(90, "A", "x")],
        [("NaN", "A")],
    ],
    ids=["grade-twice", "minimum-twice", "empty", "text", "triple", "nan"],
)
def test_malformed_bands_are_refused(bands: Any) -> None:
    """Duplicate grades or minimums, empty, malformed or NaN bands are refused."""
    with pytest.raises(InvalidDefinitionError):
        GradeScale(name="bad", bands=bands)


def test_grades_tied_to_bonus() -> None:
    """R-KPI-3: grades tie to bonus shares; 89.5 earns A's 20%, 89.49 earns B's 10%."""
    bonus = {"A": Decimal("0.20"), "B": Decimal("0.10"), "C": Decimal(0), "D": Decimal(0)}
    base = Decimal(10000)
    assert base * bonus[ANNUAL.grade(Decimal("89.5")).grade] == Decimal(2000)
    assert base * bonus[ANNUAL.grade(Decimal("89.49")).grade] == Decimal(1000)


# -- grade_many ------------------------------------------------------------------------------

SCORES = st.decimals(min_value=-20, max_value=120, places=3, allow_nan=False, allow_infinity=False)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(SCORES | SCORES.map(lambda d: d.quantize(Decimal("0.1"))) | st.integers(0, 100)),
    st.integers(0, 3),
    st.sampled_from(["half-up", "half-even", "floor", "ceiling"]),
)
def test_grade_many_equals_grade_one_by_one(scores: list[Any], places: int, mode: str) -> None:
    """R-KPI-3: grade_many gives, in order, what grade gives each score, digit for digit."""
    scale = GradeScale(
        name="wide",
        bands=[(90, "A"), (75, "B"), (0, "C"), (-20, "Z")],
        rounding=Rounding(places, mode),
    )
    many = scale.grade_many(scores)
    one = [scale.grade(score) for score in scores]
    assert many == one
    assert [repr(g) for g in many] == [repr(g) for g in one]


def test_grade_many_of_nothing_is_empty() -> None:
    """R-KPI-3: no scores, no grades."""
    assert ANNUAL.grade_many([]) == []


def test_grade_many_keeps_each_score_as_written() -> None:
    """R-KPI-3: 89.5 and 89.50 get the same grade, each with its own score."""
    scores = [Decimal("89.5"), Decimal("89.50"), Decimal("89.5")]
    grades = ANNUAL.grade_many(iter(scores))
    assert [g.grade for g in grades] == ["A", "A", "A"]
    assert [str(g.score) for g in grades] == ["89.5", "89.50", "89.5"]


@pytest.mark.parametrize(
    ("scores", "field", "expected"),
    [
        ([Decimal(95), Decimal(-1), Decimal("NaN")], "scores[1]", "a score >= 0"),
        ([Decimal(95), Decimal("NaN"), Decimal(-1)], "scores[1]", "a finite number"),
        ([Decimal(95), 80, "n/a"], "scores[2]", "a number"),
    ],
)
def test_grade_many_names_the_first_bad_score(scores: list[Any], field: str, expected: str) -> None:
    """R-KPI-3: a bad score raises grade()'s error with its index, and nothing is returned."""
    with pytest.raises(InvalidDefinitionError) as raised:
        ANNUAL.grade_many(scores)
    assert raised.value.field == field
    assert raised.value.expected.startswith(expected)
