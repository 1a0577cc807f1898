"""Random sampling of files for the quarterly internal audit (R-RET-8)."""

from __future__ import annotations

import hashlib
import math
import random
import re
from collections import Counter
from collections.abc import Iterable
from decimal import Decimal
from typing import Literal

import attrs

from govkit.errors import InvalidDefinitionError

__all__ = ["AuditSample", "quarter_seed", "sample_for_audit"]

_QUARTER = re.compile(r"\d{4}-Q[1-4]")


def _check_quarter(quarter: object) -> str:
    if not isinstance(quarter, str) or not _QUARTER.fullmatch(quarter):
        raise InvalidDefinitionError("quarter", "a quarter such as '2026-Q4'", quarter)
    return quarter


def _quarter(_instance: object, _attribute: attrs.Attribute[str], value: object) -> None:
    _check_quarter(value)


def _ids(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


def quarter_seed(quarter: str) -> int:
    """The seed used when none is given: the first 8 bytes of SHA-256 of the quarter text.

    >>> quarter_seed("2026-Q4") == quarter_seed("2026-Q4") != quarter_seed("2027-Q1")
    True
    """
    digest = hashlib.sha256(_check_quarter(quarter).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big")


@attrs.frozen(kw_only=True)
class AuditSample:
    """The files drawn for one quarter's audit, and how to draw them again.

    Attributes:
        quarter: e.g. ``"2026-Q4"``.
        population: How many record ids the sample was drawn from.
        seed: The seed of the draw (given, or :func:`quarter_seed` of the quarter).
        method: ``"size"`` (a fixed number) or ``"fraction"`` (a share, rounded up).
        fraction: The share drawn, for the ``"fraction"`` method.
        ids: The chosen record ids, sorted.
    """

    quarter: str = attrs.field(validator=_quarter)
    population: int
    seed: int
    method: Literal["size", "fraction"]
    fraction: Decimal | None = None
    ids: tuple[str, ...] = attrs.field(converter=_ids)

    def explain(self) -> str:
        """The draw in one line, fit for an audit report."""
        how = f"{self.fraction} of" if self.fraction is not None else f"{len(self.ids)} of"
        return (
            f"{self.quarter}: {len(self.ids)} files drawn ({how} {self.population}, "
            f"seed {self.seed})"
        )


def sample_for_audit(
    record_ids: Iterable[str],
    *,
    quarter: str,
    size: int | None = None,
    fraction: Decimal | None = None,
    seed: int | None = None,
) -> AuditSample:
    """Draw files at random for a quarter's audit, reproducibly (R-RET-8).

    The ids are sorted before drawing with :class:`random.Random`, so the
    same ids, quarter and seed give the same sample whatever their order.

    Args:
        record_ids: The files that may be drawn; each id once.
        quarter: The audited quarter, e.g. ``"2026-Q4"``.
        size: How many files to draw (1 up to the population).
        fraction: Instead of ``size``: the share to draw, in (0, 1], rounded up.
        seed: The seed; by default :func:`quarter_seed` of ``quarter``, so
            the quarter's sample can be drawn again from the quarter alone.

    Raises:
        InvalidDefinitionError: naming the argument that is wrong.

    >>> sample = sample_for_audit([f"F-{i}" for i in range(10)], quarter="2026-Q4", size=3)
    >>> len(sample.ids), sample.population, sample.method
    (3, 10, 'size')
    """
    _check_quarter(quarter)
    ids = list(record_ids)
    for i, record in enumerate(ids):
        if not isinstance(record, str) or not record:
            raise InvalidDefinitionError(f"record_ids[{i}]", "a non-empty id", record)
    repeated = sorted(record for record, n in Counter(ids).items() if n > 1)
    if repeated:
        raise InvalidDefinitionError("record_ids", "each id once", repeated)
    if (size is None) == (fraction is None):
        raise InvalidDefinitionError("size", "either size or fraction, not both", (size, fraction))
    if size is not None:
        if isinstance(size, bool) or not isinstance(size, int) or size < 1:
            raise InvalidDefinitionError("size", "a whole number >= 1", size)
        if size > len(ids):
            raise InvalidDefinitionError("size", f"at most the population ({len(ids)})", size)
        count = size
    else:
        if not isinstance(fraction, Decimal) or not fraction.is_finite() or not 0 < fraction <= 1:
            raise InvalidDefinitionError("fraction", "a Decimal in (0, 1]", fraction)
        count = math.ceil(fraction * len(ids))
    if seed is None:
        seed = quarter_seed(quarter)
    elif isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise InvalidDefinitionError("seed", "a whole number >= 0", seed)
    chosen = random.Random(seed).sample(sorted(ids), count)
    return AuditSample(
        quarter=quarter,
        population=len(ids),
        seed=seed,
        method="size" if size is not None else "fraction",
        fraction=fraction,
        ids=tuple(sorted(chosen)),
    )
