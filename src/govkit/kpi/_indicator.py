"""Indicators: what is measured, in which direction is better, and how it is computed."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_EVEN, Context, Decimal, InvalidOperation
from enum import Enum
from typing import Any

import attrs

from govkit._enums import to_enum
from govkit.errors import InvalidDefinitionError

__all__ = ["EXACT", "Computation", "Direction", "Indicator", "Ratio", "to_decimal"]

EXACT = Context(prec=60, rounding=ROUND_HALF_EVEN)
"""The arithmetic context of every KPI computation: 60 digits, whatever the caller's
context is; results are then rounded to the scorecard's declared places."""


class Direction(Enum):
    """Which way is better."""

    HIGHER = "higher"
    LOWER = "lower"
    CLOSER = "closer"
    """Closer to the target is better (e.g. budget use)."""


class Computation(Enum):
    """How an indicator's value is computed from the facts supplied for it."""

    RATIO = "ratio"
    """numerator / denominator (conversions / leads); a zero denominator is no data."""
    COUNT = "count"
    """A whole number of events, never negative."""
    MEAN = "mean"
    """The mean of a list of numbers; an empty list is no data."""
    PERCENTILE = "percentile"
    """The q-th percentile of a list (linear interpolation between order statistics)."""
    VALUE = "value"
    """A number supplied as it is."""


def to_decimal(value: object, field: str) -> Decimal:
    """An exact Decimal from an int, a Decimal, a numeric string or a float (via its repr)."""
    if isinstance(value, bool):
        raise InvalidDefinitionError(field, "a number", value)
    try:
        if isinstance(value, Decimal):
            number = value
        elif isinstance(value, int | str):
            number = Decimal(value)
        elif isinstance(value, float):
            number = Decimal(repr(value))
        else:
            raise InvalidDefinitionError(field, "a number", value)
    except InvalidOperation:
        raise InvalidDefinitionError(field, "a number", value) from None
    if not number.is_finite():
        raise InvalidDefinitionError(field, "a finite number (not NaN or infinity)", value)
    return number


@attrs.frozen
class Ratio:
    """Counts for a ratio indicator: ``numerator`` of ``denominator`` (e.g. 42 of 60 leads)."""

    numerator: int
    denominator: int

    def __attrs_post_init__(self) -> None:
        for name in ("numerator", "denominator"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise InvalidDefinitionError(name, "a whole count >= 0", value)


def _percentile(
    _instance: object, _attribute: attrs.Attribute[Decimal | None], value: object
) -> None:
    if value is not None and not (isinstance(value, Decimal) and 0 <= value <= 100):
        raise InvalidDefinitionError("q", "a percentile between 0 and 100", value)


def _direction(value: object) -> Direction:
    return to_enum(Direction, value, "direction")


def _computation(value: object) -> Computation:
    return to_enum(Computation, value, "computation")


def _optional_decimal(value: object) -> Decimal | None:
    return None if value is None else to_decimal(value, "q")


@attrs.frozen
class Indicator:
    """A measured quantity: its name, unit, better direction and computation.

    Args:
        name: Unique within a scorecard, e.g. ``"conversion_rate"``.
        direction: Higher, lower or closer-to-target is better.
        computation: How the value is computed from the supplied facts.
        unit: For people: ``"%"``, ``"days"``.
        q: The percentile, for ``Computation.PERCENTILE``.
    """

    name: str = attrs.field(validator=attrs.validators.instance_of(str))
    direction: Direction = attrs.field(default=Direction.HIGHER, converter=_direction)
    computation: Computation = attrs.field(
        default=Computation.VALUE, converter=_computation, kw_only=True
    )
    unit: str = attrs.field(default="", kw_only=True)
    q: Decimal | None = attrs.field(
        default=None, converter=_optional_decimal, validator=_percentile, kw_only=True
    )

    def __attrs_post_init__(self) -> None:
        if not self.name:
            raise InvalidDefinitionError("name", "a non-empty indicator name", self.name)
        if (self.computation is Computation.PERCENTILE) != (self.q is not None):
            raise InvalidDefinitionError(
                "q", "a percentile exactly when computation is percentile", self.q
            )

    def measure(self, facts: Any) -> Decimal | None:
        """The indicator's value from its facts; ``None`` means no data.

        Ratio: a :class:`Ratio` (or a ``(numerator, denominator)`` pair, or a
        share already computed). Count:
        an int. Mean and percentile: a list of numbers. Value: a number.

        Raises:
            InvalidDefinitionError: negative counts, NaN, infinity, or facts of the wrong shape.
        """
        if facts is None:
            return None
        kind = self.computation
        if kind is Computation.VALUE and type(facts) is Decimal and facts.is_finite():
            return facts  # the common case, without the general checks
        field = f"values.{self.name}"
        if kind is Computation.RATIO:
            if isinstance(facts, Decimal | int | float | str) and not isinstance(facts, bool):
                return to_decimal(facts, field)  # a share computed elsewhere
            ratio = facts if isinstance(facts, Ratio) else _pair(facts, field)
            if ratio.denominator == 0:
                return None  # no data, never 0%
            return Decimal(ratio.numerator) / Decimal(ratio.denominator)
        if kind is Computation.COUNT:
            if isinstance(facts, bool) or not isinstance(facts, int) or facts < 0:
                raise InvalidDefinitionError(field, "a whole count >= 0", facts)
            return Decimal(facts)
        if kind in (Computation.MEAN, Computation.PERCENTILE):
            if isinstance(facts, str) or not isinstance(facts, Sequence):
                raise InvalidDefinitionError(field, "a list of numbers", facts)
            numbers = [to_decimal(v, f"{field}[{i}]") for i, v in enumerate(facts)]
            if not numbers:
                return None
            if kind is Computation.MEAN:
                return sum(numbers, Decimal(0)) / len(numbers)
            assert self.q is not None
            return _interpolate(sorted(numbers), self.q)
        return to_decimal(facts, field)


def _pair(facts: Any, field: str) -> Ratio:
    if isinstance(facts, list | tuple) and len(facts) == 2:
        try:
            return Ratio(*facts)
        except InvalidDefinitionError as exc:
            raise InvalidDefinitionError(field, "two whole counts >= 0", facts) from exc
    raise InvalidDefinitionError(field, "a Ratio or a (numerator, denominator) pair", facts)


def _interpolate(ordered: list[Decimal], q: Decimal) -> Decimal:
    """Linear interpolation between order statistics (numpy's default method)."""
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)
