"""Property-based tests (Hypothesis) of scorecards, rankings, distributions and round trips.

Random scorecards have one to four items with random directions, weights that
total exactly 100 or 1, and curves whose values and points are in order for
the item's direction. Random score sets have few distinct values, so ties
are common.
"""

from __future__ import annotations

import itertools
import math
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from govkit.kpi import (
    Band,
    BandedCurve,
    Bucket,
    Curve,
    Direction,
    ForcedDistribution,
    GradeScale,
    Indicator,
    LinearCurve,
    Quota,
    Ranking,
    Rounding,
    Scorecard,
    ScorecardItem,
    TieRule,
    rank,
)
from govkit.serialization import from_json, to_json

FAST = settings(max_examples=100, deadline=None)
STEP = Decimal("0.000001")
QUANTUM = Decimal("1E-10")  # reported places of a scorecard by default

NUMBERS = st.decimals(
    min_value=-1000, max_value=1000, places=2, allow_nan=False, allow_infinity=False
)
GAPS = st.decimals(min_value=0, max_value=200, places=2, allow_nan=False, allow_infinity=False)
DISTANCES = st.decimals(
    min_value=Decimal("0.01"), max_value=200, places=2, allow_nan=False, allow_infinity=False
)
POINTS = st.decimals(min_value=0, max_value=100, places=1, allow_nan=False, allow_infinity=False)
NAMES = st.text(alphabet="abcdefgh", min_size=1, max_size=3)
SCORES = st.dictionaries(
    NAMES, st.integers(0, 6).map(Decimal) | st.sampled_from([Decimal("2.0"), Decimal("4.50")])
)


# -- strategies ----------------------------------------------------------------------------


@st.composite
def weights(draw: st.DrawFn, count: int) -> list[Decimal]:
    """``count`` positive weights totalling exactly 100 or exactly 1."""
    cuts = sorted(draw(st.sets(st.integers(1, 99), min_size=count - 1, max_size=count - 1)))
    bounds = [0, *cuts, 100]
    whole = [Decimal(b - a) for a, b in itertools.pairwise(bounds)]
    if draw(st.booleans()):
        return [w / 100 for w in whole]
    return whole


@st.composite
def linear_curves(draw: st.DrawFn, direction: Direction) -> LinearCurve:
    """A linear curve whose values and points are in order for ``direction``."""
    start = draw(NUMBERS)
    low = draw(POINTS)
    mid = low + draw(POINTS)
    high = mid + draw(POINTS)
    points: dict[str, Any] = {
        "threshold_points": low,
        "target_points": mid,
        "stretch_points": high,
        "below_points": draw(st.decimals(min_value=0, max_value=low, places=1)),
    }
    if direction is Direction.CLOSER:
        return LinearCurve(threshold=draw(DISTANCES), target=start, **points)
    sign = 1 if direction is Direction.HIGHER else -1
    target = start + sign * draw(GAPS)
    stretch = target + sign * draw(GAPS) if draw(st.booleans()) else None
    return LinearCurve(threshold=start, target=target, stretch=stretch, **points)


@st.composite
def banded_curves(draw: st.DrawFn) -> BandedCurve:
    """Non-overlapping half-open bands, maybe open at either end."""
    edges = sorted(draw(st.sets(NUMBERS, min_size=2, max_size=5)))
    bands = [Band(lower, upper, draw(POINTS)) for lower, upper in itertools.pairwise(edges)]
    if draw(st.booleans()):
        bands.insert(0, Band(None, edges[0], draw(POINTS)))
    if draw(st.booleans()):
        bands.append(Band(edges[-1], None, draw(POINTS)))
    return BandedCurve(bands=bands, outside_points=draw(POINTS))


@st.composite
def scorecards(draw: st.DrawFn, *, rich: bool = False) -> Scorecard:
    """A random valid scorecard of value indicators with linear curves.

    ``rich`` adds banded curves, dated curves, every missing-data policy and any places.
    """
    count = draw(st.integers(1, 4))
    names = draw(st.lists(NAMES, min_size=count, max_size=count, unique=True))
    items = []
    for name, weight in zip(names, draw(weights(count)), strict=True):
        direction = draw(st.sampled_from(Direction))
        curve: Curve = (
            draw(banded_curves())
            if rich and draw(st.booleans())
            else draw(linear_curves(direction))
        )
        curves: list[Curve] = [curve]
        if rich and draw(st.booleans()):
            start = date(2026, 1, 1) + timedelta(days=draw(st.integers(0, 400)))
            end = start + timedelta(days=draw(st.integers(0, 400)))
            curves = [
                attrs.evolve(curve, effective_from=start, effective_until=end),
                attrs.evolve(curve, effective_from=end + timedelta(days=1)),
            ]
        items.append(
            ScorecardItem(indicator=Indicator(name, direction), weight=weight, curves=curves)
        )
    missing = draw(st.sampled_from(["renormalize", "zero", "fail"])) if rich else "renormalize"
    places = draw(st.integers(0, 28)) if rich else 10
    return Scorecard(
        name="card", version=draw(st.integers(1, 3000)), items=items, missing=missing, places=places
    )


@st.composite
def grade_scales(draw: st.DrawFn) -> GradeScale:
    """A random grade scale: distinct minimums, distinct grades, any rounding."""
    minimums = draw(st.sets(NUMBERS, min_size=1, max_size=6))
    grades = draw(st.lists(NAMES, min_size=len(minimums), max_size=len(minimums), unique=True))
    rounding = Rounding(
        draw(st.integers(0, 4)), draw(st.sampled_from(["half-up", "half-even", "floor", "ceiling"]))
    )
    return GradeScale(
        name="scale", bands=list(zip(minimums, grades, strict=True)), rounding=rounding
    )


@st.composite
def distributions(draw: st.DrawFn) -> ForcedDistribution:
    """Two to four buckets with whole percents totalling 100 and random quota kinds."""
    count = draw(st.integers(2, 4))
    cuts = sorted(draw(st.sets(st.integers(0, 100), min_size=count - 1, max_size=count - 1)))
    bounds = [0, *cuts, 100]
    percents = [b - a for a, b in itertools.pairwise(bounds)]
    return ForcedDistribution(
        [
            Bucket(f"b{i}", percent, draw(st.sampled_from(Quota)))
            for i, percent in enumerate(percents)
        ]
    )


# -- scorecards ----------------------------------------------------------------------------


def better(value: Decimal, step: Decimal, item: ScorecardItem) -> Decimal:
    """``value`` moved ``step`` the better way for ``item`` (toward the target if closer)."""
    direction = item.indicator.direction
    if direction is Direction.HIGHER:
        return value + step
    if direction is Direction.LOWER:
        return value - step
    target = item.curves[0].target  # type: ignore[union-attr]  # closer items have linear curves
    distance = abs(value - target)
    closer = max(Decimal(0), distance - step)
    return target + closer if value >= target else target - closer


@FAST
@given(st.data())
def test_score_is_monotone_in_each_indicator_in_its_direction(data: st.DataObject) -> None:
    """Improving one indicator in its better direction never lowers the total."""
    card = data.draw(scorecards())
    values: dict[str, Decimal | None] = {}
    for item in card.items:
        values[item.indicator.name] = data.draw(st.none() | NUMBERS)
    chosen = data.draw(st.sampled_from(card.items))
    name = chosen.indicator.name
    base = values[name] if values[name] is not None else data.draw(NUMBERS)
    assert base is not None
    values[name] = base
    improved = {**values, name: better(base, data.draw(GAPS), chosen)}
    assert card.score(improved).total >= card.score(values).total


@FAST
@given(st.data())
def test_renormalized_weights_sum_exactly_to_the_scale(data: st.DataObject) -> None:
    """Renormalized weights total the scale exactly and lie within 0.000001 of exact."""
    card = data.draw(scorecards())
    names = [item.indicator.name for item in card.items]
    present = data.draw(st.sets(st.sampled_from(names), min_size=1))
    values = {name: data.draw(NUMBERS) for name in present}
    result = card.score(values)
    scale = card.weight_scale
    present_weight = sum((i.weight for i in card.items if i.indicator.name in present), Decimal(0))
    assert sum((line.weight for line in result.items), Decimal(0)) == scale
    for item, line in zip(card.items, result.items, strict=True):
        assert line.weight == line.weight.quantize(STEP)
        if item.indicator.name not in present:
            assert line.weight == 0
            assert line.contribution == 0
            continue
        exact = Fraction(item.weight) * Fraction(scale) / Fraction(present_weight)
        assert abs(Fraction(line.weight) - exact) < Fraction(STEP)
        # Rounded once to the card's places: never more than one unit of the last place off.
        product = Fraction(line.points) * Fraction(line.weight) / Fraction(scale)
        assert abs(Fraction(line.contribution) - product) <= Fraction(QUANTUM)
    # The total is the 60-digit sum rounded once; each shown contribution is rounded on
    # its own, so their sum may be off by half a unit of the last place per line.
    shown = sum(Fraction(line.contribution) for line in result.items)
    slack = Fraction(len(result.items) + 1, 2) * Fraction(QUANTUM) + Fraction(1, 10**40)
    assert abs(Fraction(result.total) - shown) <= slack


@FAST
@given(st.data())
def test_reordering_values_changes_no_score(data: st.DataObject) -> None:
    """The order of the values mapping never changes a score or its breakdown."""
    card = data.draw(scorecards())
    values = {item.indicator.name: data.draw(NUMBERS) for item in card.items}
    shuffled = data.draw(st.permutations(list(values.items())))
    assert card.score(dict(shuffled)) == card.score(values)


# -- rankings ------------------------------------------------------------------------------


@FAST
@given(SCORES, st.sampled_from(TieRule))
def test_rank_is_consistent_with_scores(scores: dict[str, Decimal], ties: TieRule) -> None:
    """Higher score means a better rank, equal scores share one, and ranks follow the tie rule."""
    ranking = rank(scores, ties=ties)
    assert sorted(e.person for e in ranking.entries) == sorted(scores)
    for a in ranking.entries:
        better_scores = [s for s in scores.values() if s > a.score]
        expected = (
            1 + len(better_scores) if ties is TieRule.COMPETITION else 1 + len(set(better_scores))
        )
        assert a.rank == expected
        for b in ranking.entries:
            if a.score > b.score:
                assert a.rank < b.rank
            elif a.score == b.score:
                assert a.rank == b.rank
    assert [(-e.score, e.person) for e in ranking.entries] == sorted(
        (-e.score, e.person) for e in ranking.entries
    )


@FAST
@given(SCORES, st.data())
def test_reordering_people_changes_no_rank_grade_or_bucket(
    scores: dict[str, Decimal], data: st.DataObject
) -> None:
    """Shuffling the people changes no rank, no grade and no bucket."""
    shuffled = dict(data.draw(st.permutations(list(scores.items()))))
    ties = data.draw(st.sampled_from(TieRule))
    assert rank(shuffled, ties=ties) == rank(scores, ties=ties)
    distribution = data.draw(distributions())
    assert distribution.apply(rank(shuffled)) == distribution.apply(rank(scores))
    scale = GradeScale(name="g", bands=[(5, "A"), (3, "B"), (0, "C")])
    assert {p: scale.grade(s) for p, s in shuffled.items()} == {
        p: scale.grade(s) for p, s in scores.items()
    }


# -- forced distributions ------------------------------------------------------------------


def declared_quota(bucket: Bucket, count: int) -> int:
    """The quota in people: at-most rounds up, at-least rounds down."""
    share = Fraction(bucket.percent) * count / 100
    return math.ceil(share) if bucket.quota is Quota.AT_MOST else math.floor(share)


def check_distribution(distribution: ForcedDistribution, ranking: Ranking) -> None:
    """Every invariant of a forced distribution applied to ``ranking``."""
    result = distribution.apply(ranking)
    entries = ranking.entries
    count = len(entries)
    # Everyone is in exactly one bucket, in ranking order.
    placed = [person for bucket in result.buckets for person in bucket.people]
    assert placed == [e.person for e in entries]
    assert [b.name for b in result.buckets] == [b.name for b in distribution.buckets]
    start = 0
    overflow = 0
    shortfall = 0
    last = len(distribution.buckets) - 1
    for i, (bucket, got) in enumerate(zip(distribution.buckets, result.buckets, strict=True)):
        quota = declared_quota(bucket, count)
        assert got.quota == quota
        took = len(got.people)
        end = start + took
        if i < last:
            # The planned cut leaves room for the at-least quotas below; people past
            # it are there only to keep a tie together, and are reported as overflow.
            reserved = sum(
                declared_quota(b, count)
                for b in distribution.buckets[i + 1 :]
                if b.quota is Quota.AT_LEAST
            )
            planned = max(start, min(count - reserved, start + quota))
            assert got.overflow == end - planned
            if end > planned:
                cut = entries[planned - 1].score
                assert all(e.score == cut for e in entries[planned:end])
        else:
            at_most = bucket.quota is Quota.AT_MOST
            assert got.overflow == (max(0, took - quota) if at_most else 0)
        # A tie is never split between a bucket and the next.
        if took and end < count and i < last:
            assert entries[end].score != entries[end - 1].score
        # Fewer than an at-least quota only because ties above overflowed, and reported.
        if bucket.quota is Quota.AT_LEAST:
            assert got.shortfall == max(0, quota - took)
            if got.shortfall:
                assert overflow > 0
        else:
            assert got.shortfall == 0
        overflow += got.overflow
        shortfall += got.shortfall
        start = end
    assert start == count
    assert shortfall <= overflow


@FAST
@given(distributions(), SCORES)
def test_forced_distribution_respects_quotas_except_reported_tie_overflow(
    distribution: ForcedDistribution, scores: dict[str, Decimal]
) -> None:
    """Each bucket holds its declared quota plus only reported tie overflow; everyone once."""
    check_distribution(distribution, rank(scores))


@FAST
@given(
    st.sets(st.integers(0, 100), min_size=1, max_size=3),
    st.dictionaries(NAMES, st.integers(0, 4).map(Decimal), max_size=40),
)
def test_top_at_most_then_at_least_buckets(cuts: set[int], scores: dict[str, Decimal]) -> None:
    """A 20/70/10-like shape (at-most top, at-least below) keeps every invariant."""
    bounds = [0, *sorted(cuts), 100]
    shares = [b - a for a, b in itertools.pairwise(bounds)]
    buckets = [Bucket("b0", shares[0], "at-most")]
    buckets += [Bucket(f"b{i}", share, "at-least") for i, share in enumerate(shares[1:], 1)]
    check_distribution(ForcedDistribution(buckets), rank(scores))


# -- round trips ---------------------------------------------------------------------------


@FAST
@given(scorecards(rich=True))
def test_scorecards_round_trip_through_json(card: Scorecard) -> None:
    """Any valid scorecard survives to_json/from_json unchanged."""
    assert from_json(to_json(card), Scorecard) == card


@FAST
@given(grade_scales())
def test_grade_scales_round_trip_through_json(scale: GradeScale) -> None:
    """Any valid grade scale survives to_json/from_json unchanged."""
    assert from_json(to_json(scale), GradeScale) == scale
