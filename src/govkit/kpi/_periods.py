"""Roll-ups over periods, reviews that combine components, 360 feedback and trajectories."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal, localcontext
from enum import Enum

import attrs

from govkit._enums import to_enum
from govkit.errors import InvalidDefinitionError
from govkit.kpi._indicator import EXACT, Direction, Ratio, to_decimal

_QUANTUM = Decimal("1E-10")

__all__ = [
    "Aggregation",
    "Feedback360",
    "FeedbackResult",
    "Review",
    "ReviewResult",
    "Trajectory",
    "TrajectoryCheck",
    "roll_up",
]


class Aggregation(Enum):
    """How period results combine into a longer period (R-KPI-5)."""

    MEAN = "mean"
    """The mean of the period values (each month counts the same)."""
    POOLED = "pooled"
    """Σ numerators / Σ denominators (each case counts the same)."""


def roll_up(periods: Sequence[Ratio | Decimal | None], how: Aggregation | str) -> Decimal | None:
    """Combine monthly (or quarterly) results into one value; ``None`` when there is no data.

    ``MEAN`` averages the periods that have data (ratios with a zero
    denominator have none); ``POOLED`` needs :class:`Ratio` values and divides
    the summed counts. The two differ whenever periods differ in size, and
    both are in use, so the choice is declared.

    >>> months = [Ratio(9, 10), Ratio(50, 100)]
    >>> roll_up(months, "mean"), roll_up(months, "pooled")
    (Decimal('0.7000000000'), Decimal('0.5363636364'))
    """
    with localcontext(EXACT):
        value = _roll_up(periods, to_enum(Aggregation, how, "how"))
    return None if value is None else _reported(value)


def _reported(value: Decimal) -> Decimal:
    """A result rounded half-even to the 10 places KPI results are reported with."""
    return value.quantize(_QUANTUM, context=EXACT)


def _roll_up(periods: Sequence[Ratio | Decimal | None], rule: Aggregation) -> Decimal | None:
    if rule is Aggregation.POOLED:
        if not all(isinstance(p, Ratio) for p in periods if p is not None):
            raise InvalidDefinitionError("periods", "Ratio values for a pooled roll-up", periods)
        ratios = [p for p in periods if isinstance(p, Ratio)]
        denominator = sum(r.denominator for r in ratios)
        if denominator == 0:
            return None
        return Decimal(sum(r.numerator for r in ratios)) / Decimal(denominator)
    values = []
    for i, p in enumerate(periods):
        if p is None:
            continue
        if isinstance(p, Ratio):
            if p.denominator:
                values.append(Decimal(p.numerator) / Decimal(p.denominator))
        else:
            values.append(to_decimal(p, f"periods[{i}]"))
    return sum(values, Decimal(0)) / len(values) if values else None


def _weights(value: object) -> Mapping[str, Decimal]:
    if not isinstance(value, Mapping) or not value:
        raise InvalidDefinitionError("weights", "a mapping of component -> weight", value)
    weights = {str(k): to_decimal(v, f"weights.{k}") for k, v in value.items()}
    if any(w <= 0 for w in weights.values()):
        raise InvalidDefinitionError("weights", "weights > 0", weights)
    total = sum(weights.values(), Decimal(0))
    if total not in (Decimal(100), Decimal(1)):
        raise InvalidDefinitionError(
            "weights", "weights totalling exactly 100 or 1", f"total {total}"
        )
    return weights


@attrs.frozen
class ReviewResult:
    """A combined review score and the parts it came from."""

    total: Decimal
    parts: tuple[tuple[str, Decimal, Decimal], ...]
    missing: tuple[str, ...]

    def explain(self) -> str:
        """One line per component: score × weight."""
        lines = [
            f"{name}: {score.normalize():f} x {weight.normalize():f}"
            for name, score, weight in self.parts
        ]
        if self.missing:
            lines.append(f"missing: {', '.join(self.missing)} (weights renormalized)")
        return "; ".join(lines) + f" = {self.total.normalize():f}"


@attrs.frozen
class Review:
    """Combines component scores (self, supervisor, 360 …) by weight (R-KPI-2).

    A missing component's weight is spread over the others in proportion,
    and the result says so.
    """

    name: str
    weights: Mapping[str, Decimal] = attrs.field(converter=_weights, hash=False)

    def combine(self, scores: Mapping[str, Decimal | None]) -> ReviewResult:
        """The weighted score of the components present."""
        for name in scores:
            if name not in self.weights:
                raise InvalidDefinitionError(f"scores.{name}", "a component of the review", name)
        present = {n: to_decimal(s, f"scores.{n}") for n, s in scores.items() if s is not None}
        if not present:
            raise InvalidDefinitionError("scores", "at least one component score", dict(scores))
        with localcontext(EXACT):
            weight_sum = sum((self.weights[n] for n in present), Decimal(0))
            weighted = sum((present[n] * self.weights[n] for n in present), Decimal(0))
            total = _reported(weighted / weight_sum)
        missing = tuple(n for n in self.weights if n not in present)
        parts = tuple((n, present[n], self.weights[n]) for n in self.weights if n in present)
        return ReviewResult(total=total, parts=parts, missing=missing)


@attrs.frozen
class FeedbackResult:
    """A 360 score, the per-group means used, and what was done to small groups."""

    total: Decimal
    groups: tuple[tuple[str, Decimal, int], ...]
    actions: tuple[str, ...]


def _small(value: object) -> str:
    if value == "drop" or (isinstance(value, str) and value.startswith("merge:")):
        return str(value)
    raise InvalidDefinitionError("small_group", "'drop' or 'merge:<group>'", value)


@attrs.frozen(kw_only=True)
class Feedback360:
    """360-degree feedback: rater groups with weights and an anonymity floor.

    A group with fewer than ``min_raters`` raters (the exempt groups, such as
    the manager, excepted) is merged into another group or dropped, as
    declared, and the result reports it; dropped weight is spread over the
    other groups in proportion.
    """

    weights: Mapping[str, Decimal] = attrs.field(converter=_weights, hash=False)
    min_raters: int = 3
    exempt: tuple[str, ...] = ("manager",)
    small_group: str = attrs.field(default="drop", converter=_small)

    def __attrs_post_init__(self) -> None:
        if self.small_group.startswith("merge:"):
            target = self.small_group.removeprefix("merge:")
            if target not in self.weights:
                raise InvalidDefinitionError("small_group", "a merge into a known group", target)

    def score(self, ratings: Mapping[str, Sequence[Decimal | int]]) -> FeedbackResult:
        """Combine ratings per group (group -> list of ratings)."""
        groups: dict[str, list[Decimal]] = {}
        for name, values in ratings.items():
            if name not in self.weights:
                raise InvalidDefinitionError(f"ratings.{name}", "a rater group", name)
            groups[name] = [to_decimal(v, f"ratings.{name}[{i}]") for i, v in enumerate(values)]
        actions = []
        small = [
            n
            for n in self.weights  # declared order, never the caller's dict order
            if n in groups and n not in self.exempt and 0 < len(groups[n]) < self.min_raters
        ]
        target = self.small_group.removeprefix("merge:")
        for name in small:
            count = len(groups[name])
            if self.small_group != "drop" and name != target:
                groups.setdefault(target, []).extend(groups.pop(name))
                actions.append(
                    f"{name}: {count} rater(s) < {self.min_raters}, merged into {target}"
                )
        # Whatever is still below the floor after merging is dropped: anonymity first.
        for name in list(self.weights):
            rated = groups.get(name, [])
            if name not in self.exempt and 0 < len(rated) < self.min_raters:
                del groups[name]
                actions.append(f"{name}: {len(rated)} rater(s) < {self.min_raters}, dropped")
        used = {n: v for n, v in groups.items() if v}
        if not used:
            raise InvalidDefinitionError(
                "ratings", "ratings from at least one group", dict(ratings)
            )
        with localcontext(EXACT):
            weight_sum = sum((self.weights[n] for n in used), Decimal(0))
            means = {n: _reported(sum(v, Decimal(0)) / len(v)) for n, v in used.items()}
            weighted = sum((means[n] * self.weights[n] for n in used), Decimal(0))
            total = _reported(weighted / weight_sum)
        return FeedbackResult(
            total=total,
            groups=tuple((n, means[n], len(used[n])) for n in self.weights if n in used),
            actions=tuple(actions),
        )


@attrs.frozen
class TrajectoryCheck:
    """Whether an actual value is on track: expected value, actual and the verdict."""

    on: date
    expected: Decimal
    actual: Decimal
    on_track: bool
    explanation: str


def _direction(value: object) -> Direction:
    return to_enum(Direction, value, "direction")


@attrs.frozen(kw_only=True)
class Trajectory:
    """A goal from a baseline to a target, linear in time (R-KPI-6).

    "Reduce the major-complaint rate to 2% within three years": baseline
    (2026-01-01, 8%), target (2028-12-31, 2%), lower is better.
    """

    name: str
    baseline: tuple[date, Decimal]
    target: tuple[date, Decimal]
    direction: Direction = attrs.field(default=Direction.HIGHER, converter=_direction)

    def __attrs_post_init__(self) -> None:
        if self.target[0] <= self.baseline[0]:
            raise InvalidDefinitionError("target", "a date after the baseline's", self.target[0])
        object.__setattr__(
            self, "baseline", (self.baseline[0], to_decimal(self.baseline[1], "baseline"))
        )
        object.__setattr__(self, "target", (self.target[0], to_decimal(self.target[1], "target")))

    def expected(self, on: date) -> Decimal:
        """The value the goal expects on ``on`` (held at the ends outside the span)."""
        (start, first), (end, last) = self.baseline, self.target
        if on <= start:
            return first
        if on >= end:
            return last
        with localcontext(EXACT):
            share = Decimal((on - start).days) / Decimal((end - start).days)
            return _reported(first + (last - first) * share)

    def check(self, on: date, actual: Decimal | int) -> TrajectoryCheck:
        """Compare an actual value with the expected one (at least as good is on track)."""
        value = to_decimal(actual, "actual")
        expected = self.expected(on)
        good = value <= expected if self.direction is Direction.LOWER else value >= expected
        way = "at or below" if self.direction is Direction.LOWER else "at or above"
        verdict = "on track" if good else "behind"
        explanation = (
            f"{self.name} on {on}: {value} vs expected {expected:.4f} "
            f"({way} is on track): {verdict}"
        )
        return TrajectoryCheck(
            on=on, expected=expected, actual=value, on_track=good, explanation=explanation
        )
