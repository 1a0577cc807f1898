"""Ranking with a declared tie rule, and top-N selection that keeps ties together (R-KPI-3)."""

from __future__ import annotations

import itertools
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govkit.errors import InvalidDefinitionError
from govkit.kpi import RankEntry, Ranking, TieRule, rank, top_n

SCORES = {
    "wang": Decimal("91.5"),
    "li": Decimal("88"),
    "zhang": Decimal("88.0"),  # equal to li's 88: a tie
    "liu": Decimal("76.25"),
    "chen": Decimal("95"),
}


def people(entries: tuple[RankEntry, ...]) -> list[str]:
    """The names, in order."""
    return [entry.person for entry in entries]


def test_competition_ranking_skips_after_ties() -> None:
    """Competition ranking: 1, 2, 3, 3, 5, tied people listed by name."""
    ranking = rank(SCORES)
    assert ranking.ties is TieRule.COMPETITION
    assert [(e.person, e.rank) for e in ranking.entries] == [
        ("chen", 1),
        ("wang", 2),
        ("li", 3),
        ("zhang", 3),
        ("liu", 5),
    ]


def test_dense_ranking_skips_nothing() -> None:
    """Dense ranking: 1, 2, 3, 3, 4."""
    ranking = rank(SCORES, ties="dense")
    assert ranking.ties is TieRule.DENSE
    assert [e.rank for e in ranking.entries] == [1, 2, 3, 3, 4]


def test_one_two_two_four_versus_one_two_two_three() -> None:
    """Four people with one tie: competition 1, 2, 2, 4; dense 1, 2, 2, 3."""
    scores = {"a": Decimal(100), "b": Decimal(90), "c": Decimal(90), "d": Decimal(80)}
    assert [e.rank for e in rank(scores, ties=TieRule.COMPETITION).entries] == [1, 2, 2, 4]
    assert [e.rank for e in rank(scores, ties=TieRule.DENSE).entries] == [1, 2, 2, 3]


@pytest.mark.parametrize("ties", ["competition", "dense"])
def test_input_order_never_matters(ties: str) -> None:
    """Every ordering of the same scores gives the same ranking."""
    expected = rank(SCORES, ties=ties)
    for order in itertools.permutations(SCORES):
        assert rank({name: SCORES[name] for name in order}, ties=ties) == expected


def test_rank_of_finds_a_person() -> None:
    """rank_of gives a person's rank; an unknown person is an error."""
    ranking = rank(SCORES)
    assert ranking.rank_of("zhang") == 3
    with pytest.raises(InvalidDefinitionError) as caught:
        ranking.rank_of("nobody")
    assert caught.value.field == "person"


def test_scores_are_kept_as_decimals() -> None:
    """Float and int scores are read exactly as Decimals."""
    ranking = rank({"a": 0.1, "b": 3})  # type: ignore[dict-item]  # hosts may pass plain numbers
    assert [e.score for e in ranking.entries] == [Decimal(3), Decimal("0.1")]


def test_empty_ranking() -> None:
    """Nobody to rank gives an empty ranking."""
    assert rank({}) == Ranking((), TieRule.COMPETITION)


def test_unknown_tie_rule_is_refused() -> None:
    """A tie rule other than competition or dense is refused."""
    with pytest.raises(ValueError, match="olympic"):
        rank(SCORES, ties="olympic")


@pytest.mark.parametrize("bad", [Decimal("NaN"), float("inf"), "n/a"])
def test_nan_or_infinite_score_is_refused(bad: Any) -> None:
    """A NaN, infinite or non-numeric score cannot be ranked: refused, naming the person."""
    with pytest.raises(InvalidDefinitionError) as caught:
        rank({"a": Decimal(1), "b": bad})
    assert caught.value.field == "scores.b"


# -- top N ---------------------------------------------------------------------------------


def test_top_three_without_ties() -> None:
    """R-KPI-3: the top 3 of distinct scores are exactly three people, no overflow."""
    scores = {"a": Decimal(99), "b": Decimal(95), "c": Decimal(90), "d": Decimal(85)}
    chosen, overflow = top_n(rank(scores), 3)
    assert people(chosen) == ["a", "b", "c"]
    assert overflow == 0


def test_top_three_keeps_a_tie_at_the_boundary_together() -> None:
    """R-KPI-3: a tie for third place takes both tied people, reporting an overflow of 1."""
    chosen, overflow = top_n(rank(SCORES), 3)
    # chen 95 (1), wang 91.5 (2), li 88 and zhang 88 tied (3, 3)
    assert people(chosen) == ["chen", "wang", "li", "zhang"]
    assert overflow == 1


def test_top_two_with_a_tie_for_second() -> None:
    """A tie for second place among three people means three get the extra bonus."""
    scores = {"a": Decimal(100), "b": Decimal(90), "c": Decimal(90), "d": Decimal(90)}
    chosen, overflow = top_n(rank(scores), 2)
    assert people(chosen) == ["a", "b", "c", "d"]
    assert overflow == 2


def test_top_n_counts_people_under_dense_ranking_too() -> None:
    """Top 3 under dense ranking is the same three people: 100, 90, 90; not the 80 behind them."""
    scores = {"a": Decimal(100), "b": Decimal(90), "c": Decimal(90), "d": Decimal(80)}
    competition = top_n(rank(scores, ties="competition"), 3)
    dense = top_n(rank(scores, ties="dense"), 3)
    assert people(competition[0]) == ["a", "b", "c"]
    assert competition[1] == 0
    assert people(dense[0]) == ["a", "b", "c"]
    assert dense[1] == 0


def test_top_n_larger_than_the_ranking_takes_everyone() -> None:
    """Asking for more people than there are takes everyone, with no overflow."""
    chosen, overflow = top_n(rank(SCORES), 10)
    assert len(chosen) == len(SCORES)
    assert overflow == 0


def test_top_zero_is_nobody() -> None:
    """Top 0 is nobody."""
    assert top_n(rank(SCORES), 0) == ((), 0)


@pytest.mark.parametrize("n", [-1, True, 2.0])
def test_top_n_needs_a_whole_number(n: Any) -> None:
    """n must be a whole number at least 0."""
    with pytest.raises(InvalidDefinitionError) as caught:
        top_n(rank(SCORES), n)
    assert caught.value.field == "n"


def reference_rank(scores: dict[str, Decimal], ties: str) -> list[tuple[str, Decimal, int]]:
    """Rank in exact rational arithmetic: by score (highest first), then by name."""
    ordered = sorted(scores.items(), key=lambda item: (-Fraction(item[1]), item[0]))
    out: list[tuple[str, Decimal, int]] = []
    for position, (person, score) in enumerate(ordered, start=1):
        if position == 1:
            current = 1
        elif Fraction(score) != Fraction(out[-1][1]):
            current = position if ties == "competition" else out[-1][2] + 1
        else:
            current = out[-1][2]
        out.append((person, score, current))
    return out


NAMES = st.text(alphabet="abcdef", min_size=1, max_size=3)
TIED = st.sampled_from([Decimal("88"), Decimal("88.0"), Decimal("91.5"), Decimal("-0"), Decimal(0)])
# 40 significant digits: more than the default decimal context's 28, so negating
# these scores would round them and merge scores that differ.
LONG = st.integers(0, 3).map(lambda k: Decimal("1." + "0" * 38 + str(k)))


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(NAMES, TIED | LONG | st.decimals(-100, 100, places=2)),
    st.sampled_from(["competition", "dense"]),
)
def test_rank_matches_an_exact_reference(scores: dict[str, Decimal], ties: str) -> None:
    """R-KPI-3: ranks, order and tie-breaking by name equal an exact rational reference."""
    ranking = rank(scores, ties=ties)
    got = [(e.person, e.score, e.rank) for e in ranking.entries]
    assert got == reference_rank(scores, ties)
    assert [repr(e.score) for e in ranking.entries] == [repr(scores[p]) for p, _, _ in got]


def test_large_ranking_matches_the_reference() -> None:
    """R-KPI-3: thousands of people, many ties, in chunks: the exact reference order and ranks."""
    scores = {f"p{i:05d}": Decimal(i * 7919 % 613).scaleb(-1) for i in range(3000)}
    scores["p00007"] = Decimal("0")  # a zero: equal scores found by value, not text
    for ties in ("competition", "dense"):
        got = [(e.person, e.score, e.rank) for e in rank(scores, ties=ties).entries]
        assert got == reference_rank(scores, ties)
    texts = {p: s.quantize(Decimal("0.01")) + 1 for p, s in scores.items()}  # one exponent
    got = [(e.person, e.score, e.rank) for e in rank(texts).entries]
    assert got == reference_rank(texts, "competition")
