"""Scorecard.score_many: a batch equals score() row by row; errors name the row (R-KPI-1, R-KPI-4).

The batch path shares work between rows (each distinct value of an item is
scored once, each pattern of missing data is renormalized once), so the
properties here compare it with ``score`` on rows drawn from small pools of
values: repeats, equal decimals written differently (0.9 and 0.90, 0 and -0),
missing values, lower-is-better items, banded and linear curves, dated curves,
every missing-data policy and bad values.
"""

from __future__ import annotations

import gc
import itertools
import random
from collections.abc import Iterator, Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import repeat
from typing import Any
from unittest.mock import patch

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govkit.errors import InvalidDefinitionError
from govkit.kpi import (
    Band,
    BandedCurve,
    Bucket,
    Curve,
    Direction,
    Indicator,
    ItemScore,
    LinearCurve,
    MissingData,
    RankEntry,
    Ratio,
    Scorecard,
    ScorecardItem,
    ScoreResult,
)
from govkit.kpi import _scorecard as scorecard_module
from govkit.kpi._build import build_many

FAST = settings(max_examples=150, deadline=None)

NUMBERS = st.decimals(min_value=-50, max_value=50, places=2, allow_nan=False, allow_infinity=False)
GAPS = st.decimals(min_value=0, max_value=30, places=1, allow_nan=False, allow_infinity=False)
POINTS = st.decimals(min_value=0, max_value=60, places=1, allow_nan=False, allow_infinity=False)
BAD = st.sampled_from(
    [True, "lots", Decimal("NaN"), Decimal("sNaN"), Decimal("Infinity"), -1, [1, "x"], (1, 2, 3)]
)


# -- strategies ----------------------------------------------------------------------------


@st.composite
def linear_curves(draw: st.DrawFn, direction: Direction) -> LinearCurve:
    """A linear curve whose values and points are in order for ``direction``."""
    start = draw(NUMBERS)
    low = draw(POINTS)
    mid = low + draw(POINTS)
    high = mid + draw(POINTS)
    points: dict[str, Any] = {"threshold_points": low, "target_points": mid, "stretch_points": high}
    if direction is Direction.CLOSER:
        return LinearCurve(threshold=draw(GAPS) + 1, target=start, **points)
    sign = 1 if direction is Direction.HIGHER else -1
    target = start + sign * draw(GAPS)
    stretch = target + sign * draw(GAPS) if draw(st.booleans()) else None
    return LinearCurve(threshold=start, target=target, stretch=stretch, **points)


@st.composite
def banded_curves(draw: st.DrawFn) -> BandedCurve:
    """Non-overlapping half-open bands, open at both ends."""
    edges = sorted(draw(st.sets(NUMBERS, min_size=1, max_size=4)))
    bounds: list[Decimal | None] = [None, *edges, None]
    bands = [Band(lower, upper, draw(POINTS)) for lower, upper in itertools.pairwise(bounds)]
    return BandedCurve(bands=bands)


def decimal_variants(value: Decimal) -> list[Decimal]:
    """``value`` and equal decimals written with more places (and -0 for 0)."""
    variants = [value, value.quantize(Decimal("0.001")), value.quantize(Decimal("0.1"))]
    if value == 0:
        variants.append(Decimal("-0.00"))
    return variants


@st.composite
def items_and_facts(draw: st.DrawFn, name: str) -> tuple[ScorecardItem, list[Any]]:
    """One item of any computation and direction, and a small pool of facts for it."""
    kind = draw(st.sampled_from(["value", "count", "ratio", "mean"]))
    direction = draw(st.sampled_from(Direction))
    curve: Curve = (
        draw(banded_curves())
        if kind == "value" and draw(st.booleans())
        else draw(linear_curves(direction))
    )
    pool: list[Any]
    if kind == "value":
        pool = [
            v for n in draw(st.lists(NUMBERS, min_size=1, max_size=3)) for v in decimal_variants(n)
        ]
        pool += draw(st.lists(st.integers(-50, 50) | st.sampled_from(["1.5", 2.5]), max_size=2))
    elif kind == "count":
        pool = draw(st.lists(st.integers(0, 60), min_size=1, max_size=4))
    elif kind == "ratio":
        pairs = st.tuples(st.integers(0, 30), st.integers(0, 30))
        pool = [Ratio(n, d) for n, d in draw(st.lists(pairs, min_size=1, max_size=4))]
        pool += draw(st.lists(st.sampled_from([Decimal("0.75"), (3, 4), [1, 0]]), max_size=1))
    else:
        pool = draw(st.lists(st.lists(NUMBERS, max_size=3), min_size=1, max_size=3))
    curves: list[Curve] = [curve]
    if draw(st.booleans()):  # targets that change on a date
        cut = date(2026, 1, 1) + timedelta(days=draw(st.integers(0, 300)))
        later = draw(linear_curves(direction))
        curves = [
            attrs.evolve(curve, effective_until=cut),
            attrs.evolve(later, effective_from=cut + timedelta(days=1)),
        ]
    item = ScorecardItem(
        indicator=Indicator(name, direction, computation=kind),
        weight=draw(st.integers(1, 9)),
        curves=curves,
    )
    return item, pool


@st.composite
def cards_and_rows(
    draw: st.DrawFn, *, bad: bool = False
) -> tuple[Scorecard, list[dict[str, Any]], date | None]:
    """A card of one to five items, rows of facts drawn from each item's pool, and a day."""
    count = draw(st.integers(1, 5))
    names = [f"k{i}" for i in range(count)]
    drawn = [draw(items_and_facts(name)) for name in names]
    raw = [item.weight for item, _ in drawn]
    # Weights that total exactly 100: the last takes the rest.
    weights = [w * 100 // (sum(raw) + 1) or 1 for w in raw[:-1]]
    weights.append(100 - sum(weights))
    items = [attrs.evolve(item, weight=w) for (item, _), w in zip(drawn, weights, strict=True)]
    card = Scorecard(
        name="card",
        version=draw(st.integers(1, 2030)),
        items=items,
        missing=draw(st.sampled_from(["renormalize", "zero", "fail"])),
        places=draw(st.sampled_from([0, 2, 10, 28])),
    )
    rows = []
    for _ in range(draw(st.integers(0, 25))):
        row: dict[str, Any] = {}
        for name, (_, pool) in zip(names, drawn, strict=True):
            choice = draw(st.integers(0, 9))
            if choice == 0:
                continue  # no data: the key is absent
            if choice == 1:
                row[name] = None
            elif choice == 2 and bad:
                row[name] = draw(BAD)
            else:
                row[name] = draw(st.sampled_from(pool))
        if bad and draw(st.integers(0, 15)) == 0:
            row["unknown"] = 1
        rows.append(row)
    on = draw(st.none() | st.dates(date(2025, 12, 1), date(2027, 1, 31)))
    return card, rows, on


# -- helpers ---------------------------------------------------------------------------------


def one_by_one(
    card: Scorecard, rows: list[Any], on: date | None
) -> list[ScoreResult] | tuple[int, BaseException]:
    """``score`` row by row: the results, or the first failing row and what it raised."""
    results = []
    for i, row in enumerate(rows):
        try:
            results.append(card.score(row, on=on))
        except Exception as exc:  # compared with the batch's error below
            return i, exc
    return results


def same(batch: list[ScoreResult], single: list[ScoreResult]) -> None:
    """Equal and written the same, to the last digit and exponent of every number."""
    assert batch == single
    assert [repr(r) for r in batch] == [repr(r) for r in single]


def check_batch(card: Scorecard, rows: list[Any], on: date | None) -> None:
    expected = one_by_one(card, rows, on)
    if isinstance(expected, list):
        same(card.score_many(rows, on=on), expected)
        return
    index, error = expected
    with pytest.raises(type(error)) as raised:
        card.score_many(rows, on=on)
    if isinstance(error, InvalidDefinitionError):
        assert isinstance(raised.value, InvalidDefinitionError)
        assert raised.value.field == f"rows[{index}].{error.field}"
        assert raised.value.expected == error.expected
        assert repr(raised.value.got) == repr(error.got)
    else:
        assert f"while scoring rows[{index}]" in (raised.value.__notes__ or [])


# -- properties ------------------------------------------------------------------------------


@FAST
@given(cards_and_rows())
def test_batch_equals_score_row_by_row(drawn: tuple[Scorecard, list[Any], date | None]) -> None:
    """R-KPI-1: each batch result equals score() of its row, breakdown and exponents included."""
    check_batch(*drawn)


@FAST
@given(cards_and_rows(bad=True))
def test_batch_with_bad_values_fails_like_score_at_the_first_bad_row(
    drawn: tuple[Scorecard, list[Any], date | None],
) -> None:
    """R-KPI-1: with bad values the batch raises score()'s error, naming the first bad row."""
    check_batch(*drawn)


@FAST
@given(cards_and_rows(), st.randoms(use_true_random=False))
def test_batch_keeps_the_order_of_the_rows(
    drawn: tuple[Scorecard, list[Any], date | None], rng: Any
) -> None:
    """R-KPI-1: shuffling the rows shuffles the results the same way, nothing else."""
    card, rows, on = drawn
    if isinstance(one_by_one(card, rows, on), tuple):
        return  # some row is refused; the error tests cover it
    order = list(range(len(rows)))
    rng.shuffle(order)
    results = card.score_many(rows, on=on)
    shuffled = card.score_many([rows[i] for i in order], on=on)
    same(shuffled, [results[i] for i in order])


@FAST
@given(cards_and_rows(bad=True), st.integers(1, 4))
def test_batch_in_small_chunks_equals_score_row_by_row(
    drawn: tuple[Scorecard, list[Any], date | None], chunk: int
) -> None:
    """R-KPI-1: rows taken a few at a time share cells across chunks; results are the same."""
    with patch.object(scorecard_module, "_CHUNK", chunk):
        check_batch(*drawn)


# -- examples -------------------------------------------------------------------------------


def specialist_card(missing: str = "renormalize") -> Scorecard:
    """The complaint specialists' card: two ratios and a lower-is-better count (R-KPI-4)."""
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


ZHAO = {"on_time_rate": Ratio(42, 50), "complete_files": Ratio(23, 25), "repeat_complaints": 1}
CHEN = {"on_time_rate": Ratio(38, 40), "complete_files": Ratio(0, 0), "repeat_complaints": 0}


def test_batch_of_the_tutorial_rows_gives_the_tutorial_totals() -> None:
    """R-KPI-4: Zhao scores 89.5 and Chen, with no files audited, 112.8571429 (renormalized)."""
    zhao, chen, zhao_again = specialist_card().score_many([ZHAO, CHEN, ZHAO])
    assert zhao.total == Decimal("89.5000000000")
    assert chen.total == Decimal("112.8571429000")
    assert chen.missing == ("complete_files",)
    assert [line.weight for line in chen.items] == [
        Decimal("71.428571"),
        Decimal("0.000000"),
        Decimal("28.571429"),
    ]
    assert zhao_again == zhao


def test_empty_batch_gives_an_empty_list() -> None:
    """R-KPI-1: no rows, no results (and no error)."""
    assert specialist_card().score_many([]) == []


def test_batch_takes_any_iterable_of_mappings() -> None:
    """R-KPI-1: a generator of rows, and mappings that are not dicts, score like dicts."""

    class Facts(Mapping[str, Any]):
        def __init__(self, data: dict[str, Any]) -> None:
            self.data = data

        def __getitem__(self, key: str) -> Any:
            return self.data[key]

        def __iter__(self) -> Iterator[str]:
            return iter(self.data)

        def __len__(self) -> int:
            return len(self.data)

    card = specialist_card()
    rows = (row for row in [ZHAO, Facts(CHEN)])
    same(card.score_many(rows), [card.score(ZHAO), card.score(CHEN)])


def test_equal_values_written_differently_keep_their_own_digits() -> None:
    """R-KPI-1: 0.9 and 0.90 score the same points, and each line shows the value as given."""
    card = Scorecard(
        name="plain",
        items=[
            ScorecardItem(
                indicator=Indicator("share"),
                weight=100,
                curves=LinearCurve(threshold="0.5", target="0.9", stretch="1"),
            )
        ],
    )
    rows = [{"share": Decimal("0.9")}, {"share": Decimal("0.90")}, {"share": Decimal("0.9")}]
    results = card.score_many(rows)
    assert [str(r.items[0].value) for r in results] == ["0.9", "0.90", "0.9"]
    same(results, [card.score(row) for row in rows])


def test_rows_share_equal_breakdown_lines() -> None:
    """R-KPI-1: equal lines of different rows may be one frozen object; results stay frozen."""
    card = specialist_card()
    first, second = card.score_many([ZHAO, dict(ZHAO)])
    assert first.items[0] is second.items[0]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        first.items[0].points = Decimal(0)  # type: ignore[misc]  # frozen: the point of the test


@pytest.mark.parametrize(
    ("rows", "field", "expected"),
    [
        (
            [ZHAO, ZHAO, {**ZHAO, "bonus": 1}],
            "rows[2].values.bonus",
            "an indicator of the scorecard",
        ),
        (
            [ZHAO, {**ZHAO, "repeat_complaints": "1"}],
            "rows[1].values.repeat_complaints",
            "a whole count >= 0",
        ),
        (
            [ZHAO, {**ZHAO, "repeat_complaints": True}],
            "rows[1].values.repeat_complaints",
            "a whole count >= 0",
        ),
        (
            [{**ZHAO, "on_time_rate": (1, "2")}, ZHAO],
            "rows[0].values.on_time_rate",
            "two whole counts >= 0",
        ),
        ([ZHAO, ZHAO, ZHAO, [("on_time_rate", 1)]], "rows[3].values", "a mapping of indicator"),
        ([ZHAO, {}], "rows[1].values", "data for at least one indicator"),
        # The first bad row is named, whichever of its columns is bad.
        (
            [ZHAO, {**ZHAO, "repeat_complaints": -2}, {**ZHAO, "x": 1}],
            "rows[1].values.repeat_complaints",
            "a whole count >= 0",
        ),
        (
            [ZHAO, {**ZHAO, "x": 1}, {**ZHAO, "repeat_complaints": -2}],
            "rows[1].values.x",
            "an indicator of the scorecard",
        ),
    ],
)
def test_bad_row_raises_scores_error_naming_the_row(
    rows: list[Any], field: str, expected: str
) -> None:
    """R-KPI-1: a bad row raises score()'s InvalidDefinitionError with the row's index in front."""
    with pytest.raises(InvalidDefinitionError) as raised:
        specialist_card().score_many(rows)
    assert raised.value.field == field
    assert raised.value.expected.startswith(expected)
    assert field in str(raised.value)
    assert isinstance(raised.value.__cause__, InvalidDefinitionError)


def test_missing_data_under_fail_raises_naming_the_row() -> None:
    """R-KPI-1: under MissingData.FAIL the first row with no data for an item is named."""
    rows = [ZHAO, ZHAO, CHEN]
    with pytest.raises(InvalidDefinitionError) as raised:
        specialist_card("fail").score_many(rows)
    assert raised.value.field == "rows[2].values.complete_files"
    assert specialist_card("zero").score_many(rows)[2] == specialist_card("zero").score(CHEN)


def test_curve_not_in_force_raises_only_for_rows_with_a_value() -> None:
    """R-KPI-1: targets not in force on the day fail the first row that has that value."""
    card = Scorecard(
        name="dated",
        items=[
            ScorecardItem(
                indicator=Indicator("share"),
                weight=100,
                curves=[LinearCurve(threshold=0, target=1, effective_until=date(2026, 12, 31))],
            )
        ],
        missing="zero",
    )
    assert card.score_many([{}], on=date(2027, 1, 1)) == [card.score({}, on=date(2027, 1, 1))]
    with pytest.raises(InvalidDefinitionError) as raised:
        card.score_many([{}, {"share": 1}], on=date(2027, 1, 1))
    assert raised.value.field == "rows[1].items.share.curves"


@pytest.mark.parametrize("on", [datetime(2026, 3, 1, 12), "2026-03-01"])
def test_day_that_is_not_a_date_is_refused_like_score(on: Any) -> None:
    """R-KPI-1: a datetime (naive or not) or text for ``on`` is refused, not cut to a day."""
    card = specialist_card()
    with pytest.raises(InvalidDefinitionError) as single:
        card.score(ZHAO, on=on)
    with pytest.raises(InvalidDefinitionError) as batch:
        card.score_many([ZHAO], on=on)
    assert single.value.field == batch.value.field == "on"


def test_arithmetic_errors_outside_govkit_keep_their_type_and_name_the_row() -> None:
    """R-KPI-1: a value too long for the card's places fails as in score(), with a note."""
    card = Scorecard(
        name="long",
        places=28,
        items=[
            ScorecardItem(
                indicator=Indicator("n"), weight=100, curves=LinearCurve(threshold=0, target=1)
            )
        ],
    )
    huge = {"n": Decimal("1E+40")}
    with pytest.raises(ArithmeticError) as single:
        card.score(huge)
    with pytest.raises(type(single.value)) as batch:
        card.score_many([{"n": 1}, huge])
    assert "while scoring rows[1]" in batch.value.__notes__


@pytest.mark.parametrize("collecting", [True, False])
def test_collector_state_is_restored_even_after_an_error(collecting: bool) -> None:
    """R-KPI-1: the batch pauses the garbage collector and leaves it as it found it."""
    card = specialist_card()
    was = gc.isenabled()
    try:
        if collecting:
            gc.enable()
        else:
            gc.disable()
        card.score_many([ZHAO, CHEN])
        assert gc.isenabled() is collecting
        with pytest.raises(InvalidDefinitionError):
            card.score_many([ZHAO, {"x": 1}])
        assert gc.isenabled() is collecting
    finally:
        if was:
            gc.enable()
        else:
            gc.disable()


def test_large_batch_with_varied_rows_equals_score_row_by_row() -> None:
    """R-KPI-4: thousands of rows over several chunks, with gaps, repeats and odd types."""
    rng = random.Random(20260101)
    card = specialist_card()
    rows: list[dict[str, Any]] = []
    for i in range(5000):
        row: dict[str, Any] = {
            "on_time_rate": Ratio(rng.randint(30, 50), 50),
            "complete_files": rng.choice([Decimal("0.9"), Decimal("0.90"), Decimal("0.85"), 0.95]),
            "repeat_complaints": rng.randint(0, 5),
        }
        if i % 7 == 1:
            del row["complete_files"]
        if i % 11 == 2:
            row["repeat_complaints"] = None
        if i % 13 == 3 and i % 7 != 1:  # never all three: that row would be refused
            row["on_time_rate"] = Ratio(0, 0)
        rows.append(row)
    same(card.score_many(rows), [card.score(row) for row in rows])
    rows[4321] = {**rows[4321], "repeat_complaints": -1}
    rows[3000] = {**rows[3000], "complete_files": "n/a"}
    with pytest.raises(InvalidDefinitionError) as raised:
        card.score_many(rows)
    assert raised.value.field == "rows[3000].values.complete_files"


@pytest.mark.parametrize("policy", ["renormalize", "zero"])
def test_rows_with_missing_data_stay_on_the_shared_path(policy: str) -> None:
    """R-KPI-1: missing data is spread by pattern in the batch; score() is not called per row."""
    card = specialist_card(policy)
    rows: list[dict[str, Any]] = [
        ZHAO,
        CHEN,
        {"repeat_complaints": 2},
        {**ZHAO, "on_time_rate": None},
    ]
    if policy == "zero":
        rows.append({})
    with patch.object(scorecard_module._Batch, "_one", side_effect=AssertionError("per row")):
        batch = card.score_many(rows)
    same(batch, [card.score(row) for row in rows])


# -- values built a field at a time ------------------------------------------------------------


def test_values_built_a_field_at_a_time_equal_their_constructor() -> None:
    """R-KPI-1: batch results and rank entries equal attrs-built ones and are frozen."""
    line = ItemScore("n", Decimal(1), None, Decimal(50), Decimal(100), Decimal(50))
    made = build_many(
        ScoreResult,
        2,
        scorecard=repeat("c"),
        version=[1, 2],
        total=[Decimal("50.0"), Decimal(7)],
        items=repeat((line,)),
        missing=[(), ("x",)],
        missing_policy=repeat(MissingData.ZERO),
        places=repeat(10),
    )
    expected = [
        ScoreResult(
            scorecard="c",
            version=version,
            total=total,
            items=(line,),
            missing=missing,
            missing_policy=MissingData.ZERO,
        )
        for version, total, missing in [(1, Decimal("50.0"), ()), (2, Decimal(7), ("x",))]
    ]
    assert made == expected
    assert [repr(m) for m in made] == [repr(e) for e in expected]
    assert [hash(m) for m in made] == [hash(e) for e in expected]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        made[0].total = Decimal(0)  # type: ignore[misc]  # frozen: the point of the test


@pytest.mark.parametrize("cls", [Ratio, Bucket, LinearCurve])
def test_classes_whose_init_does_more_are_never_built_a_field_at_a_time(cls: type) -> None:
    """R-KPI-1: a class with converters, validators or post-init checks is refused."""
    with pytest.raises(TypeError, match="does more in __init__"):
        build_many(cls, 0)


def test_every_field_must_be_given() -> None:
    """R-KPI-1: leaving a field out is refused rather than leaving it unset."""
    with pytest.raises(TypeError, match="every field of RankEntry"):
        build_many(RankEntry, 1, person=["a"], score=[Decimal(1)])


def test_many_values_over_several_chunks_keep_their_fields_aligned() -> None:
    """R-KPI-3: 1,300 rank entries built a field at a time equal those built one by one."""
    people = [f"p{i:04d}" for i in range(1300)]
    scores = [Decimal(i % 97) for i in range(1300)]
    made = build_many(RankEntry, 1300, person=iter(people), score=scores, rank=range(1, 1301))
    assert made == [
        RankEntry(p, s, r) for p, s, r in zip(people, scores, range(1, 1301), strict=True)
    ]
