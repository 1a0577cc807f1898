"""Forced distributions: quotas per bucket, declared rounding, ties kept together (R-KPI-3)."""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

import pytest

from govkit.errors import InvalidDefinitionError
from govkit.kpi import Bucket, BucketResult, ForcedDistribution, Quota, rank

TWENTY_SEVENTY_TEN = ForcedDistribution(
    [
        Bucket("top", 20, "at-most"),
        Bucket("middle", 70, "at-least"),
        Bucket("bottom", 10, "at-least"),
    ]
)


def distinct(count: int) -> dict[str, Decimal]:
    """``count`` people with distinct scores, p00 best."""
    return {f"p{i:02d}": Decimal(100 - i) for i in range(count)}


def shape(result: Any) -> list[tuple[str, int, int, int, int]]:
    """Each bucket as (name, people, quota, overflow, shortfall)."""
    return [(b.name, len(b.people), b.quota, b.overflow, b.shortfall) for b in result.buckets]


def test_twenty_seventy_ten_of_47_people() -> None:
    """R-KPI-3: at-most 20% of 47 rounds up to 10, at-least 70% rounds down to 32, 5 remain."""
    result = TWENTY_SEVENTY_TEN.apply(rank(distinct(47)))
    # top: 20% of 47 = 9.4, at most -> ceil = 10
    # middle: 70% of 47 = 32.9, at least -> floor = 32
    # bottom: 10% of 47 = 4.7, at least -> floor = 4; it takes the remaining 47 - 10 - 32 = 5
    assert shape(result) == [
        ("top", 10, 10, 0, 0),
        ("middle", 32, 32, 0, 0),
        ("bottom", 5, 4, 0, 0),
    ]
    assert result.buckets[0].people == tuple(f"p{i:02d}" for i in range(10))
    assert result.buckets[2].people == tuple(f"p{i:02d}" for i in range(42, 47))


def test_buckets_take_from_the_top_of_what_is_left() -> None:
    """Twenty people: top p00-p03, middle p04-p17, bottom p18-p19."""
    result = TWENTY_SEVENTY_TEN.apply(rank(distinct(20)))
    assert shape(result) == [
        ("top", 4, 4, 0, 0),
        ("middle", 14, 14, 0, 0),
        ("bottom", 2, 2, 0, 0),
    ]
    assert result.bucket_of("p03") == "top"
    assert result.bucket_of("p04") == "middle"
    assert result.bucket_of("p18") == "bottom"


def test_a_tie_at_the_top_cut_stays_in_the_better_bucket() -> None:
    """Two people tied across the top cut both go to the top bucket; the overflow is reported."""
    scores = distinct(20)
    scores["p04"] = scores["p05"] = scores["p03"]  # p03, p04, p05 tied at 97
    result = TWENTY_SEVENTY_TEN.apply(rank(scores))
    # top quota 4 would cut after p03; p04 and p05 are tied with p03 and come along
    assert result.buckets[0] == BucketResult(
        "top", ("p00", "p01", "p02", "p03", "p04", "p05"), 4, 2
    )
    # the bottom's at-least quota of 2 is reserved, so the middle (at least 14) takes the 12
    # left above it and reports a shortfall of 2
    assert shape(result) == [
        ("top", 6, 4, 2, 0),
        ("middle", 12, 14, 0, 2),
        ("bottom", 2, 2, 0, 0),
    ]
    assert result.buckets[2].people == ("p18", "p19")


def test_a_tie_at_the_middle_cut_stays_in_the_better_bucket() -> None:
    """Two people tied across the middle/bottom cut both stay in the middle, overflow 1."""
    scores = distinct(20)
    scores["p18"] = scores["p17"]
    result = TWENTY_SEVENTY_TEN.apply(rank(scores))
    # the bottom lacks one of its 2 and says so
    assert shape(result) == [
        ("top", 4, 4, 0, 0),
        ("middle", 15, 14, 1, 0),
        ("bottom", 1, 2, 0, 1),
    ]
    assert result.bucket_of("p18") == "middle"
    assert result.buckets[2].people == ("p19",)


def test_everyone_tied_lands_in_the_top_bucket() -> None:
    """When everyone has the same score nobody can be separated: all go top, overflow reported."""
    scores = {f"p{i}": Decimal(80) for i in range(10)}
    result = TWENTY_SEVENTY_TEN.apply(rank(scores))
    assert shape(result) == [
        ("top", 10, 2, 8, 0),
        ("middle", 0, 7, 0, 7),
        ("bottom", 0, 1, 0, 1),
    ]


def test_at_least_quotas_below_are_reserved_before_at_most_buckets_fill() -> None:
    """At-most buckets yield to the at-least quotas below them: 5/5/90 of 10 people is 1/0/9."""
    distribution = ForcedDistribution(
        [Bucket("a", 5, "at-most"), Bucket("b", 5, "at-most"), Bucket("c", 90, "at-least")]
    )
    result = distribution.apply(rank(distinct(10)))
    # quotas: ceil(0.5) = 1, ceil(0.5) = 1, floor(9) = 9; 1 + 1 + 9 = 11 > 10 people
    # c's 9 are reserved first: a takes 1, b is left with nobody, c gets its 9
    assert shape(result) == [("a", 1, 1, 0, 0), ("b", 0, 1, 0, 0), ("c", 9, 9, 0, 0)]


def test_every_person_is_in_exactly_one_bucket() -> None:
    """Each ranked person is in exactly one bucket, in ranking order."""
    scores = {f"p{i:02d}": Decimal(i % 7) for i in range(33)}
    ranking = rank(scores)
    result = TWENTY_SEVENTY_TEN.apply(ranking)
    placed = [person for bucket in result.buckets for person in bucket.people]
    assert placed == [entry.person for entry in ranking.entries]


def test_input_order_never_changes_a_bucket() -> None:
    """Shuffling the people changes no bucket."""
    scores = {f"p{i:02d}": Decimal(i % 5) for i in range(23)}
    expected = TWENTY_SEVENTY_TEN.apply(rank(scores))
    shuffler = random.Random(2026)
    names = list(scores)
    for _ in range(20):
        shuffler.shuffle(names)
        assert TWENTY_SEVENTY_TEN.apply(rank({n: scores[n] for n in names})) == expected


def test_nobody_to_distribute() -> None:
    """An empty ranking gives empty buckets with quota 0."""
    result = TWENTY_SEVENTY_TEN.apply(rank({}))
    assert shape(result) == [
        ("top", 0, 0, 0, 0),
        ("middle", 0, 0, 0, 0),
        ("bottom", 0, 0, 0, 0),
    ]


def test_result_states_its_tie_rule() -> None:
    """The result says what it did with ties."""
    assert "better bucket" in TWENTY_SEVENTY_TEN.apply(rank(distinct(5))).ties


def test_bucket_of_an_unknown_person_is_an_error() -> None:
    """Asking for someone not distributed is an error."""
    with pytest.raises(InvalidDefinitionError):
        TWENTY_SEVENTY_TEN.apply(rank(distinct(5))).bucket_of("nobody")


def test_quota_kind_defaults_to_at_most_and_accepts_text() -> None:
    """A bucket's quota is at-most unless declared; text values become the enum."""
    assert Bucket("top", 20).quota is Quota.AT_MOST
    assert Bucket("bottom", 10, "at-least").quota is Quota.AT_LEAST
    assert Bucket("top", "12.5").percent == Decimal("12.5")


# -- bad definitions -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("percents", "total"), [((20, 70, 5), "95"), ((20, 70, 20), "110"), (("33.3", 33, 33), "99.3")]
)
def test_percents_must_total_100(percents: tuple[Any, Any, Any], total: str) -> None:
    """Bucket shares must total exactly 100; the error names the total."""
    with pytest.raises(InvalidDefinitionError) as caught:
        ForcedDistribution([Bucket(f"b{i}", p) for i, p in enumerate(percents)])
    assert caught.value.field == "buckets.percent"
    assert f"total {total}" in str(caught.value)


@pytest.mark.parametrize("percent", [-5, 101, "NaN", float("inf")])
def test_percent_must_be_between_0_and_100(percent: Any) -> None:
    """A share below 0, above 100, NaN or infinite is refused."""
    with pytest.raises(InvalidDefinitionError):
        Bucket("x", percent)


@pytest.mark.parametrize("buckets", [[], [Bucket("all", 100)], "buckets"])
def test_at_least_two_buckets(buckets: Any) -> None:
    """A distribution needs at least two buckets."""
    with pytest.raises(InvalidDefinitionError) as caught:
        ForcedDistribution(buckets)
    assert caught.value.field == "buckets"


def test_unknown_quota_kind_is_refused() -> None:
    """A quota other than at-most or at-least is refused."""
    with pytest.raises(ValueError, match="exactly"):
        Bucket("x", 10, "exactly")
