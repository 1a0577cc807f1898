"""Grades, rankings, forced distributions and top-N selection (R-KPI-3)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from enum import Enum

import attrs

from govkit._enums import to_enum
from govkit.errors import InvalidDefinitionError
from govkit.kpi._build import build_many, collector_paused
from govkit.kpi._indicator import to_decimal

__all__ = [
    "Bucket",
    "BucketResult",
    "DistributionResult",
    "ForcedDistribution",
    "Grade",
    "GradeScale",
    "Quota",
    "RankEntry",
    "Ranking",
    "Rounding",
    "TieRule",
    "rank",
    "top_n",
]

_MODES = {
    "half-up": ROUND_HALF_UP,
    "half-even": ROUND_HALF_EVEN,
    "floor": ROUND_FLOOR,
    "ceiling": ROUND_CEILING,
}


_QUANTA = tuple(Decimal(1).scaleb(-places) for places in range(11))
"""The quantum of each number of places a Rounding allows (0..10)."""


def _mode(value: object) -> str:
    if value not in _MODES:
        raise InvalidDefinitionError("mode", f"one of {', '.join(_MODES)}", value)
    return str(value)


def _places(_instance: object, _attribute: attrs.Attribute[int], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        raise InvalidDefinitionError("places", "a whole number of decimal places 0..10", value)


@attrs.frozen
class Rounding:
    """How a total is rounded, once, before it is banded: places and mode."""

    places: int = attrs.field(default=0, validator=_places)
    mode: str = attrs.field(default="half-up", converter=_mode)

    def apply(self, value: Decimal) -> Decimal:
        """``value`` rounded by this rule."""
        return value.quantize(_QUANTA[self.places], rounding=_MODES[self.mode])

    def __str__(self) -> str:
        return f"{self.places} places, {self.mode}"


@attrs.frozen
class Grade:
    """A grade given to a score, with the rounded score and the rule used."""

    grade: str
    score: Decimal
    rounded: Decimal
    rounding: Rounding


def _bands(value: object) -> tuple[tuple[Decimal, str], ...]:
    if isinstance(value, str) or not isinstance(value, Sequence | Mapping) or not value:
        raise InvalidDefinitionError("bands", "a list of (minimum score, grade)", value)
    pairs = list(value.items()) if isinstance(value, Mapping) else list(value)
    bands = []
    for i, pair in enumerate(pairs):
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            raise InvalidDefinitionError(f"bands[{i}]", "a pair (minimum score, grade)", pair)
        minimum, grade = pair
        if isinstance(minimum, str) and not isinstance(grade, str):
            minimum, grade = grade, minimum  # accept {"A": 90} as well as (90, "A")
        bands.append((to_decimal(minimum, f"bands[{i}]"), str(grade)))
    bands.sort(key=lambda band: band[0], reverse=True)
    grades = [grade for _, grade in bands]
    if len(set(grades)) != len(grades):
        raise InvalidDefinitionError("bands", "each grade once", grades)
    if len({minimum for minimum, _ in bands}) != len(bands):
        raise InvalidDefinitionError("bands", "distinct minimum scores", bands)
    return tuple(bands)


@attrs.frozen(kw_only=True)
class GradeScale:
    """Ordered bands: a score gets the grade of the highest band whose minimum it reaches.

    The score is rounded once, by ``rounding``, before banding, and the result
    records both, so nobody moves across a grade line by a rounding nobody saw.

    >>> scale = GradeScale(name="annual", bands=[(90, "A"), (75, "B"), (60, "C"), (0, "D")])
    >>> scale.grade(Decimal("89.5")).grade
    'A'
    """

    name: str = attrs.field(validator=attrs.validators.instance_of(str))
    bands: tuple[tuple[Decimal, str], ...] = attrs.field(converter=_bands)
    rounding: Rounding = attrs.field(factory=Rounding)

    def grade(self, score: Decimal) -> Grade:
        """The grade for ``score``.

        Raises:
            InvalidDefinitionError: the score is below every band's minimum.
        """
        score = to_decimal(score, "score")
        rounded = self.rounding.apply(score)
        return Grade(self._band(rounded, score), score, rounded, self.rounding)

    def grade_many(self, scores: Iterable[Decimal]) -> list[Grade]:
        """The grade of each score, in order; each equal to :meth:`grade` of that score.

        Faster in bulk: the rounding rule is looked up once, each distinct
        rounded score is banded once, and scores written the same way share
        one (frozen) :class:`Grade`.

        Raises:
            InvalidDefinitionError: what :meth:`grade` raises for the first bad
                score, with its index as the field (``scores[3]``); nothing is
                returned.
        """
        rounding = self.rounding
        quantum, mode = _QUANTA[rounding.places], _MODES[rounding.mode]
        names: dict[Decimal, str] = {}  # by rounded score: the band is a matter of value
        made: dict[str, Grade] = {}  # by the score as written (89.5 and 89.50 differ)
        grades: list[Grade] = []
        keep = grades.append
        for i, given in enumerate(scores):
            score = given
            try:
                if type(score) is not Decimal or not score.is_finite():
                    score = to_decimal(score, "score")
                key = str(score)
                grade = made.get(key)
                if grade is None:
                    rounded = score.quantize(quantum, rounding=mode)
                    name = names.get(rounded)
                    if name is None:
                        name = names[rounded] = self._band(rounded, score)
                    grade = made[key] = Grade(name, score, rounded, rounding)
            except InvalidDefinitionError as exc:
                raise InvalidDefinitionError(f"scores[{i}]", exc.expected, exc.got) from exc
            except ArithmeticError as exc:  # decimal's own, as grade() raises it
                exc.add_note(f"while grading scores[{i}]")
                raise
            keep(grade)
        return grades

    def _band(self, rounded: Decimal, score: Decimal) -> str:
        for minimum, grade in self.bands:
            if rounded >= minimum:
                return grade
        raise InvalidDefinitionError("score", f"a score >= {self.bands[-1][0]}", score)


class TieRule(Enum):
    """How tied scores share ranks."""

    COMPETITION = "competition"
    """Tied people share the best rank and the next rank is skipped (1, 2, 2, 4)."""
    DENSE = "dense"
    """Tied people share a rank and no rank is skipped (1, 2, 2, 3)."""


@attrs.frozen
class RankEntry:
    """One person's place in a ranking."""

    person: str
    score: Decimal
    rank: int


@attrs.frozen
class Ranking:
    """A ranking and the tie rule that made it (best first; ties in name order)."""

    entries: tuple[RankEntry, ...]
    ties: TieRule

    def rank_of(self, person: str) -> int:
        """The rank of ``person``."""
        for entry in self.entries:
            if entry.person == person:
                return entry.rank
        raise InvalidDefinitionError("person", "a ranked person", person)


def rank(scores: Mapping[str, Decimal], *, ties: TieRule | str = TieRule.COMPETITION) -> Ranking:
    """Rank people by score, highest first, with a declared tie rule.

    The order of the input never matters: tied people are listed by name.
    Scores are compared exactly as they are, whatever the decimal context. The
    cyclic garbage collector is paused while the ranking is built (and then
    restored): the entries hold no reference cycles for it to free.
    """
    rule = to_enum(TieRule, ties, "ties")
    with collector_paused():
        return _rank(scores, rule)


def _rank(scores: Mapping[str, Decimal], rule: TieRule) -> Ranking:
    people = list(scores)
    values = list(scores.values())
    if not (set(map(type, values)) <= {Decimal} and all(map(Decimal.is_finite, values))):
        values = [to_decimal(v, f"scores.{p}") for p, v in zip(people, values, strict=True)]
    # People grouped by score as written (a decimal's hash is slow to work out, its
    # text is not); the groups sorted by score, compared exactly as they are; then
    # groups of equal scores written differently (88 and 88.0, 0 and -0), which the
    # sort puts side by side, merged: they are tied.
    groups: dict[str, list[int]] = {}  # each score's people, by their place in the input
    for i, key in enumerate(map(str, values)):
        group = groups.get(key)
        if group is None:
            groups[key] = [i]
        else:
            group.append(i)
    best_first: list[list[int]] = []
    for group in sorted(groups.values(), key=lambda group: values[group[0]], reverse=True):
        if best_first and values[best_first[-1][0]] == values[group[0]]:
            best_first[-1] += group
        else:
            best_first.append(group)
    competition = rule is TieRule.COMPETITION
    ranks = [0] * len(values)
    order: list[int] = []
    name_of = people.__getitem__
    position = 1
    for level, group in enumerate(best_first, start=1):
        if len(group) > 1:
            group.sort(key=name_of)  # tied people in name order
        current = position if competition else level
        for i in group:
            ranks[i] = current
        position += len(group)
        order += group
    # Built in the order of the input, whose people and scores lie in memory in that
    # order, then put in rank order: faster than building them in rank order.
    built = build_many(RankEntry, len(values), person=people, score=values, rank=ranks)
    entries = list(map(built.__getitem__, order))
    return Ranking(tuple(entries), rule)


def top_n(ranking: Ranking, n: int) -> tuple[tuple[RankEntry, ...], int]:
    """Everyone ranked ``n`` or better, and how many more than ``n`` that is.

    A tie at the boundary keeps tied people together (R-KPI-3: nobody loses a
    bonus to alphabetical order); the overflow says by how much.
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise InvalidDefinitionError("n", "a whole number >= 0", n)
    entries = ranking.entries
    if n == 0 or not entries:
        return (), 0
    # The first n people, then everyone tied with the n-th (whatever the tie rule numbers them).
    cut = entries[min(n, len(entries)) - 1].score
    chosen = tuple(e for e in entries[:n]) + tuple(e for e in entries[n:] if e.score == cut)
    return chosen, max(0, len(chosen) - n)


class Quota(Enum):
    """Whether a bucket's percentage is a ceiling or a floor."""

    AT_MOST = "at-most"
    """At most this share, rounded up (20% of 47 people is at most 10)."""
    AT_LEAST = "at-least"
    """At least this share, rounded down (10% of 47 people is at least 4)."""


def _percent(value: object) -> Decimal:
    percent = to_decimal(value, "percent")
    if not 0 <= percent <= 100:
        raise InvalidDefinitionError("percent", "a share between 0 and 100", value)
    return percent


def _quota(value: object) -> Quota:
    return to_enum(Quota, value, "quota")


@attrs.frozen
class Bucket:
    """A bucket of a forced distribution: its name, share in percent and quota kind."""

    name: str
    percent: Decimal = attrs.field(converter=_percent)
    quota: Quota = attrs.field(default=Quota.AT_MOST, converter=_quota)


@attrs.frozen
class BucketResult:
    """Who fell in a bucket, its quota (in people), the overflow from ties, and any shortfall.

    ``shortfall`` is how many people an at-least bucket lacks because tied
    people were kept together in a better bucket.
    """

    name: str
    people: tuple[str, ...]
    quota: int
    overflow: int
    shortfall: int = 0


@attrs.frozen
class DistributionResult:
    """A forced distribution applied to a ranking, with its rules."""

    buckets: tuple[BucketResult, ...]
    ties: str

    def bucket_of(self, person: str) -> str:
        """The bucket ``person`` fell in."""
        for bucket in self.buckets:
            if person in bucket.people:
                return bucket.name
        raise InvalidDefinitionError("person", "a ranked person", person)


def _buckets(value: object) -> tuple[Bucket, ...]:
    if isinstance(value, str) or not isinstance(value, Sequence) or len(value) < 2:
        raise InvalidDefinitionError("buckets", "at least two Bucket values, best first", value)
    buckets = tuple(value)
    total = sum((b.percent for b in buckets), Decimal(0))
    if total != 100:
        raise InvalidDefinitionError(
            "buckets.percent", "shares totalling exactly 100", f"total {total}"
        )
    return buckets


@attrs.frozen
class ForcedDistribution:
    """Quotas such as 20/70/10 applied to a ranking, best bucket first.

    Quotas are counted in people: at-most quotas round up, at-least quotas
    round down. Each bucket but the last takes its quota from the top of what
    is left, leaving room for the at-least quotas of the buckets below; the
    last bucket takes the rest. When a cut falls inside a group of tied
    people, the whole group stays together in the better bucket: the overflow
    is reported on that bucket, and a shortfall on any at-least bucket that
    ends up below its quota.
    """

    buckets: tuple[Bucket, ...] = attrs.field(converter=_buckets)

    def apply(self, ranking: Ranking) -> DistributionResult:
        """Put everyone of ``ranking`` in a bucket."""
        people = list(ranking.entries)
        count = len(people)
        quotas = []
        for bucket in self.buckets:
            share = bucket.percent * count / 100
            quotas.append(math.ceil(share) if bucket.quota is Quota.AT_MOST else math.floor(share))
        results = []
        start = 0
        last = len(self.buckets) - 1
        for i, (bucket, quota) in enumerate(zip(self.buckets, quotas, strict=True)):
            if i == last:
                end = count
            else:
                # Leave room for the at-least quotas of the buckets below.
                reserved = sum(
                    q
                    for b, q in zip(self.buckets[i + 1 :], quotas[i + 1 :], strict=True)
                    if b.quota is Quota.AT_LEAST
                )
                end = planned = max(start, min(count - reserved, start + quota))
                while (
                    0 < end < count and end > start and people[end].score == people[end - 1].score
                ):
                    end += 1  # keep tied people together
            chosen = people[start:end]
            if i < last:
                overflow = end - planned  # people pulled past the cut to keep a tie together
            else:
                overflow = max(0, len(chosen) - quota) if bucket.quota is Quota.AT_MOST else 0
            short = max(0, quota - len(chosen)) if bucket.quota is Quota.AT_LEAST else 0
            results.append(
                BucketResult(bucket.name, tuple(e.person for e in chosen), quota, overflow, short)
            )
            start = end
        return DistributionResult(tuple(results), "tied people kept together in the better bucket")
