"""Scoring curves: how a value becomes points."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

import attrs

from govkit.errors import InvalidDefinitionError
from govkit.kpi._indicator import Direction, to_decimal

__all__ = ["Band", "BandedCurve", "Curve", "LinearCurve"]


def _decimal(value: object) -> Decimal:
    return to_decimal(value, "curve")


def _optional(value: object) -> Decimal | None:
    return None if value is None else to_decimal(value, "curve")


def _dates_in_order(start: date | None, end: date | None) -> None:
    if start is not None and end is not None and end < start:
        raise InvalidDefinitionError("effective_until", f"a date on or after {start}", end)


@attrs.frozen(kw_only=True)
class LinearCurve:
    """Points rise linearly from threshold to target to stretch, then stay capped.

    For higher-is-better ``threshold <= target <= stretch``; for lower-is-better
    the same points mirrored (``threshold >= target >= stretch``); for
    closer-to-target, ``threshold`` is the largest distance from ``target``
    that still scores (``threshold_points`` there, ``target_points`` at zero
    distance). Below the threshold a value scores ``below_points`` (0 unless
    configured).

    Args:
        threshold: Worst value that still scores ``threshold_points``.
        target: The value that scores ``target_points``.
        stretch: Best value considered; beyond it points stay at ``stretch_points``.
        threshold_points: Points at the threshold (default 50).
        target_points: Points at the target (default 100).
        stretch_points: Points at and beyond the stretch (default 120).
        below_points: Points below the threshold (default 0).
        effective_from: First day these targets apply.
        effective_until: Last day they apply.
    """

    threshold: Decimal = attrs.field(converter=_decimal)
    target: Decimal = attrs.field(converter=_decimal)
    stretch: Decimal | None = attrs.field(default=None, converter=_optional)
    threshold_points: Decimal = attrs.field(default=Decimal(50), converter=_decimal)
    target_points: Decimal = attrs.field(default=Decimal(100), converter=_decimal)
    stretch_points: Decimal = attrs.field(default=Decimal(120), converter=_decimal)
    below_points: Decimal = attrs.field(default=Decimal(0), converter=_decimal)
    effective_from: date | None = None
    effective_until: date | None = None

    def __attrs_post_init__(self) -> None:
        _dates_in_order(self.effective_from, self.effective_until)
        if not self.threshold_points <= self.target_points <= self.stretch_points:
            raise InvalidDefinitionError(
                "threshold_points", "threshold <= target <= stretch points", self.threshold_points
            )

    def check(self, direction: Direction, field: str) -> None:
        """Refuse points that are out of order for ``direction``."""
        points = [self.threshold, self.target] + (
            [self.stretch] if self.stretch is not None else []
        )
        if direction is Direction.CLOSER:
            if self.threshold <= 0:
                raise InvalidDefinitionError(
                    f"{field}.threshold", "a distance from the target > 0", self.threshold
                )
            return
        ordered = sorted(points) if direction is Direction.HIGHER else sorted(points, reverse=True)
        if points != ordered:
            way = "<=" if direction is Direction.HIGHER else ">="
            raise InvalidDefinitionError(
                f"{field}.threshold",
                f"threshold {way} target {way} stretch for {direction.value}-is-better",
                points,
            )

    def points(self, value: Decimal, direction: Direction) -> Decimal:
        """Points for ``value``."""
        if direction is Direction.CLOSER:
            distance = abs(value - self.target)
            if distance > self.threshold:
                return self.below_points
            share = (self.threshold - distance) / self.threshold
            return self.threshold_points + (self.target_points - self.threshold_points) * share
        sign = 1 if direction is Direction.HIGHER else -1
        v, lo, mid = value * sign, self.threshold * sign, self.target * sign
        if v < lo:
            return self.below_points
        if v <= mid:
            if mid == lo:
                return self.target_points
            return self.threshold_points + (self.target_points - self.threshold_points) * (
                v - lo
            ) / (mid - lo)
        if self.stretch is None:
            return self.target_points
        hi = self.stretch * sign
        if v >= hi or hi == mid:
            return self.stretch_points
        return self.target_points + (self.stretch_points - self.target_points) * (v - mid) / (
            hi - mid
        )

    def applies(self, on: date | None) -> bool:
        """Whether these targets are in force on ``on`` (always, when ``on`` is None)."""
        if on is None:
            return True
        if self.effective_from is not None and on < self.effective_from:
            return False
        return self.effective_until is None or on <= self.effective_until


@attrs.frozen
class Band:
    """Values in ``[lower, upper)`` score ``points``; ``None`` bounds are open."""

    lower: Decimal | None = attrs.field(converter=_optional)
    upper: Decimal | None = attrs.field(converter=_optional)
    points: Decimal = attrs.field(converter=_decimal)


def _bands(value: object) -> tuple[Band, ...]:
    if isinstance(value, str) or not isinstance(value, Sequence) or not value:
        raise InvalidDefinitionError("bands", "a non-empty list of Band", value)
    bands = tuple(value)
    for i, band in enumerate(bands):
        if not isinstance(band, Band):
            raise InvalidDefinitionError(f"bands[{i}]", "a Band", band)
    return bands


@attrs.frozen(kw_only=True)
class BandedCurve:
    """Value ranges mapped to points (e.g. satisfaction 90–100 → 100 points).

    Bands must not overlap; a value in no band scores ``outside_points``.
    """

    bands: tuple[Band, ...] = attrs.field(converter=_bands)
    outside_points: Decimal = attrs.field(default=Decimal(0), converter=_decimal)
    effective_from: date | None = None
    effective_until: date | None = None

    def __attrs_post_init__(self) -> None:
        _dates_in_order(self.effective_from, self.effective_until)
        low, high = Decimal("-Infinity"), Decimal("Infinity")
        spans = [
            (b.lower if b.lower is not None else low, b.upper if b.upper is not None else high, b)
            for b in self.bands
        ]
        for i, (lo, hi, band) in enumerate(spans):
            if hi <= lo:
                raise InvalidDefinitionError(f"bands[{i}]", "a lower bound below the upper", band)
        ordered = sorted(spans, key=lambda span: span[0])
        for (_, a_hi, a), (b_lo, _, b) in itertools.pairwise(ordered):
            if b_lo < a_hi:
                raise InvalidDefinitionError("bands", "bands that do not overlap", [a, b])

    def check(self, direction: Direction, field: str) -> None:
        """Bands say their points directly, in any direction."""

    def points(self, value: Decimal, direction: Direction) -> Decimal:
        """Points of the band ``value`` falls in."""
        for band in self.bands:
            if (band.lower is None or value >= band.lower) and (
                band.upper is None or value < band.upper
            ):
                return band.points
        return self.outside_points

    def applies(self, on: date | None) -> bool:
        """Whether these bands are in force on ``on``."""
        if on is None:
            return True
        if self.effective_from is not None and on < self.effective_from:
            return False
        return self.effective_until is None or on <= self.effective_until


Curve = LinearCurve | BandedCurve
"""Any scoring curve."""
