"""Scorecards: weighted indicators scored exactly, with a breakdown that explains the total."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import ROUND_DOWN, Decimal, localcontext
from enum import Enum
from typing import Any

import attrs

from govkit._enums import to_enum
from govkit.errors import InvalidDefinitionError
from govkit.kpi._curve import BandedCurve, Curve, LinearCurve
from govkit.kpi._indicator import EXACT, Direction, Indicator, to_decimal

__all__ = ["ItemScore", "MissingData", "ScoreResult", "Scorecard", "ScorecardItem"]

_HUNDRED = Decimal(100)
_ONE = Decimal(1)
_WEIGHT_PLACES = Decimal("0.000001")
_ZERO = Decimal(0)


class MissingData(Enum):
    """What a scorecard does when an indicator has no data."""

    RENORMALIZE = "renormalize"
    """Spread the missing weight over the remaining items, in proportion."""
    ZERO = "zero"
    """Score the item 0 points at its full weight."""
    FAIL = "fail"
    """Refuse to score."""


def _weight(value: object) -> Decimal:
    weight = to_decimal(value, "weight")
    if weight <= 0:
        raise InvalidDefinitionError("weight", "a weight > 0", value)
    return weight


def _curves(value: object) -> tuple[Curve, ...]:
    if isinstance(value, LinearCurve | BandedCurve):
        return (value,)
    if isinstance(value, str) or not isinstance(value, Sequence) or not value:
        raise InvalidDefinitionError("curves", "a curve or a list of dated curves", value)
    for i, curve in enumerate(value):
        if not isinstance(curve, LinearCurve | BandedCurve):
            raise InvalidDefinitionError(f"curves[{i}]", "a LinearCurve or BandedCurve", curve)
    return tuple(value)


@attrs.frozen(kw_only=True)
class ScorecardItem:
    """One weighted indicator of a scorecard.

    Args:
        indicator: What is measured.
        weight: Its weight (all weights of a scorecard total 100, or 1).
        curves: How the value becomes points; several curves with
            effective dates give targets that change over time.
    """

    indicator: Indicator
    weight: Decimal = attrs.field(converter=_weight)
    curves: tuple[Curve, ...] = attrs.field(converter=_curves)

    def curve_on(self, on: date | None) -> Curve:
        """The curve in force on ``on``."""
        for curve in self.curves:
            if curve.applies(on):
                return curve
        raise InvalidDefinitionError(
            f"items.{self.indicator.name}.curves", f"a curve in force on {on}", None
        )


@attrs.frozen
class ItemScore:
    """One line of a score's breakdown.

    Attributes:
        indicator: The indicator's name.
        value: Its value, or ``None`` for no data.
        attainment: ``value / target`` (mirrored for lower-is-better), or ``None``.
        points: Points from the curve (0 when no data is counted as zero).
        weight: The weight used (renormalized when data was missing).
        contribution: ``points × weight / scale``.
    """

    indicator: str
    value: Decimal | None
    attainment: Decimal | None
    points: Decimal
    weight: Decimal
    contribution: Decimal


@attrs.frozen(kw_only=True)
class ScoreResult:
    """A scored scorecard: the exact total, its breakdown, and how it was made.

    Attributes:
        scorecard: The scorecard's name.
        version: Its version.
        total: The total (``Decimal``): the weighted mean of the items' points,
            computed with 60 digits and rounded once to ``places``.
        items: One :class:`ItemScore` per item, in scorecard order.
        missing: Indicators that had no data.
        missing_policy: What was done about them.
        places: Decimal places the numbers were rounded to (half-even).
    """

    scorecard: str
    version: int
    total: Decimal
    items: tuple[ItemScore, ...]
    missing: tuple[str, ...]
    missing_policy: MissingData
    places: int = 10

    def explain(self) -> str:
        """The breakdown as text, one line per item, then the total."""
        lines = [f"{self.scorecard} v{self.version}"]
        for item in self.items:
            value = "no data" if item.value is None else f"{item.value.normalize():f}"
            lines.append(
                f"  {item.indicator}: value {value}, points {item.points.normalize():f} "
                f"x weight {item.weight.normalize():f} = {item.contribution.normalize():f}"
            )
        if self.missing:
            lines.append(f"  missing: {', '.join(self.missing)} ({self.missing_policy.value})")
        lines.append(f"  total {self.total.normalize():f}")
        return "\n".join(lines)


def _items(value: object) -> tuple[ScorecardItem, ...]:
    if isinstance(value, str) or not isinstance(value, Sequence) or not value:
        raise InvalidDefinitionError("items", "a non-empty list of ScorecardItem", value)
    names: set[str] = set()
    for i, item in enumerate(value):
        if not isinstance(item, ScorecardItem):
            raise InvalidDefinitionError(f"items[{i}]", "a ScorecardItem", item)
        if item.indicator.name in names:
            raise InvalidDefinitionError(
                f"items[{i}].indicator.name",
                "an indicator not already on the card",
                item.indicator.name,
            )
        names.add(item.indicator.name)
        for j, curve in enumerate(item.curves):
            curve.check(item.indicator.direction, f"items[{i}].curves[{j}]")
    return tuple(value)


def _missing(value: object) -> MissingData:
    return to_enum(MissingData, value, "missing")


def _places(_instance: object, _attribute: attrs.Attribute[int], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 28:
        raise InvalidDefinitionError("places", "a whole number of decimal places 0..28", value)


@attrs.frozen(kw_only=True)
class Scorecard:
    """Weighted indicators and what to do about missing data.

    Args:
        name: The scorecard's name.
        version: Its version, recorded in every result.
        items: The weighted indicators; weights must total exactly 100 or 1.
        missing: What to do when an indicator has no data.
        places: Decimal places of every reported number (default 10). Work is
            done with 60 digits whatever the caller's decimal context; the
            total is the 60-digit sum rounded half-even to ``places`` once, so
            equal exact totals give equal totals and a total of exactly 89.5
            is 89.5. The breakdown's values, points and contributions are
            rounded the same way for display.
    """

    name: str = attrs.field(validator=attrs.validators.instance_of(str))
    version: int = 1
    items: tuple[ScorecardItem, ...] = attrs.field(converter=_items)
    missing: MissingData = attrs.field(default=MissingData.RENORMALIZE, converter=_missing)
    places: int = attrs.field(default=10, validator=_places)

    _plan: _Plan = attrs.field(init=False, eq=False, repr=False, hash=False)

    def __attrs_post_init__(self) -> None:
        plan = _Plan(self.items, self.places)
        if plan.scale not in (_HUNDRED, _ONE):
            raise InvalidDefinitionError(
                "items.weight", "weights totalling exactly 100 or 1", f"total {plan.scale}"
            )
        object.__setattr__(self, "_plan", plan)

    @property
    def weight_scale(self) -> Decimal:
        """What the weights total (100 or 1)."""
        return self._plan.scale

    def score(self, values: Mapping[str, Any], *, on: date | None = None) -> ScoreResult:
        """Score one person's values (indicator name -> facts) with the targets in force ``on``.

        Raises:
            InvalidDefinitionError: a value names an unknown indicator or is malformed,
                or data is missing under ``MissingData.FAIL``.
        """
        with localcontext(EXACT):
            return self._score(values, on)

    def _score(self, values: Mapping[str, Any], on: date | None) -> ScoreResult:
        plan = self._plan
        quantum = plan.quantum
        if not plan.known.issuperset(values):
            unknown = next(name for name in values if name not in plan.known)
            raise InvalidDefinitionError(
                f"values.{unknown}", "an indicator of the scorecard", unknown
            )
        scale = plan.scale
        measured = [
            (item, item.indicator.measure(values.get(item.indicator.name))) for item in self.items
        ]
        missing = tuple(item.indicator.name for item, value in measured if value is None)
        weights = [item.weight for item in self.items]
        if missing:
            if self.missing is MissingData.FAIL:
                raise InvalidDefinitionError(
                    f"values.{missing[0]}", "a value for every indicator (missing data: fail)", None
                )
            if self.missing is MissingData.RENORMALIZE:
                present = sum((i.weight for i, v in measured if v is not None), Decimal(0))
                if present == 0:
                    raise InvalidDefinitionError(
                        "values", "data for at least one indicator", dict(values)
                    )
                kept = [i.weight if v is not None else _ZERO for i, v in measured]
                weights = _renormalized(kept, scale, present)
        lines = []
        total = _ZERO
        for (item, value), weight, fixed in zip(measured, weights, plan.curves, strict=True):
            if value is None:
                points = contribution = _ZERO
                attainment = shown = None
            else:
                curve = fixed if fixed is not None else item.curve_on(on)
                direction = item.indicator.direction
                exact_points = curve.points(value, direction)
                points = exact_points.quantize(quantum)
                attainment = _attainment(value, curve, direction)
                if attainment is not None:
                    attainment = attainment.quantize(quantum)
                shown = value if _places_of(value) <= plan.places else value.quantize(quantum)
                # weight / scale is exact (the scale is 100 or 1); the 60-digit
                # contribution is summed, and only the total is rounded, once,
                # so that equal exact totals stay equal and no grade line moves.
                exact_contribution = exact_points * (weight / scale)
                total += exact_contribution
                contribution = exact_contribution.quantize(quantum)
            lines.append(
                ItemScore(item.indicator.name, shown, attainment, points, weight, contribution)
            )
        return ScoreResult(
            scorecard=self.name,
            version=self.version,
            total=total.quantize(quantum),
            items=tuple(lines),
            missing=missing,
            missing_policy=self.missing,
            places=plan.places,
        )


class _Plan:
    """What a scorecard works out once: names, the weight total, undated curves."""

    __slots__ = ("curves", "known", "places", "quantum", "scale")

    def __init__(self, items: tuple[ScorecardItem, ...], places: int) -> None:
        self.places = places
        self.quantum = Decimal(1).scaleb(-places)
        self.known = frozenset(item.indicator.name for item in items)
        self.scale = sum((item.weight for item in items), Decimal(0))
        # An item with one curve and no dates needs no date lookup.
        self.curves: tuple[Curve | None, ...] = tuple(
            item.curves[0]
            if len(item.curves) == 1
            and item.curves[0].effective_from is None
            and item.curves[0].effective_until is None
            else None
            for item in items
        )


def _attainment(value: Decimal, curve: Curve, direction: Direction) -> Decimal | None:
    if not isinstance(curve, LinearCurve) or curve.target == 0 or value == 0:
        return None
    if direction is Direction.LOWER:
        return curve.target / value
    if direction is Direction.CLOSER:
        return _ONE - abs(value - curve.target) / abs(curve.target)
    return value / curve.target


def _renormalized(weights: list[Decimal], scale: Decimal, present: Decimal) -> list[Decimal]:
    """Weights scaled to total ``scale`` exactly, at 6 places (largest remainder)."""
    raw = [w * scale / present for w in weights]
    floors = [r.quantize(_WEIGHT_PLACES, rounding=ROUND_DOWN) for r in raw]
    short = int((scale - sum(floors, Decimal(0))) / _WEIGHT_PLACES)
    order = sorted(range(len(raw)), key=lambda i: (raw[i] - floors[i], -i), reverse=True)
    for i in order[:short]:
        floors[i] += _WEIGHT_PLACES
    return floors


def _places_of(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0
