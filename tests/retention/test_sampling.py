"""Audit sampling: reproducible random draws per quarter (R-RET-8)."""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govkit.errors import InvalidDefinitionError
from govkit.retention import AuditSample, quarter_seed, sample_for_audit
from govkit.serialization import from_json, to_json

FAST = settings(max_examples=80, deadline=None)

FILES = [f"C-2026-{n:04d}-complaints-20261123" for n in range(1, 41)]


def test_quarterly_sample_is_drawn_and_recorded() -> None:
    """R-RET-8: a quarter's sample records quarter, population, seed, method and sorted ids."""
    sample = sample_for_audit(FILES, quarter="2026-Q4", size=5)
    assert isinstance(sample, AuditSample)
    assert (sample.quarter, sample.population, sample.method) == ("2026-Q4", 40, "size")
    assert sample.seed == quarter_seed("2026-Q4")
    assert len(sample.ids) == 5
    assert list(sample.ids) == sorted(sample.ids)
    assert set(sample.ids) <= set(FILES)
    expected = sorted(random.Random(sample.seed).sample(sorted(FILES), 5))
    assert list(sample.ids) == expected


def test_sample_can_be_redrawn_from_the_quarter_alone() -> None:
    """R-RET-8: without a seed the quarter decides it, so an auditor can draw it again."""
    first = sample_for_audit(FILES, quarter="2026-Q4", size=5)
    again = sample_for_audit(list(reversed(FILES)), quarter="2026-Q4", size=5)
    assert first == again
    assert quarter_seed("2026-Q4") != quarter_seed("2027-Q1")
    other_quarter = sample_for_audit(FILES, quarter="2027-Q1", size=5)
    assert other_quarter.seed != first.seed


def test_fraction_is_rounded_up() -> None:
    """R-RET-8: a fraction of the population is drawn, rounded up, and recorded."""
    sample = sample_for_audit(FILES, quarter="2026-Q4", fraction=Decimal("0.1"), seed=7)
    assert (len(sample.ids), sample.method, sample.fraction, sample.seed) == (
        4,
        "fraction",
        Decimal("0.1"),
        7,
    )
    assert len(sample_for_audit(FILES[:3], quarter="2026-Q4", fraction=Decimal("0.1")).ids) == 1
    assert sample_for_audit([], quarter="2026-Q4", fraction=Decimal(1)).ids == ()
    assert sample.explain() == "2026-Q4: 4 files drawn (0.1 of 40, seed 7)"


def test_sample_round_trips_json() -> None:
    """R-RET-8: a sample can be stored as evidence and read back unchanged."""
    sample = sample_for_audit(FILES, quarter="2026-Q4", fraction=Decimal("0.25"))
    assert from_json(to_json(sample), AuditSample) == sample


@pytest.mark.parametrize(
    ("ids", "kwargs", "field"),
    [
        (FILES, {"quarter": "2026Q4", "size": 1}, "quarter"),
        (FILES, {"quarter": "2026-Q5", "size": 1}, "quarter"),
        (FILES, {"quarter": "2026-q4", "size": 1}, "quarter"),
        (FILES, {"quarter": "2026-Q4", "size": 41}, "size"),
        (FILES, {"quarter": "2026-Q4", "size": 0}, "size"),
        (FILES, {"quarter": "2026-Q4"}, "size"),
        (FILES, {"quarter": "2026-Q4", "size": 2, "fraction": Decimal("0.1")}, "size"),
        (FILES, {"quarter": "2026-Q4", "fraction": Decimal(0)}, "fraction"),
        (FILES, {"quarter": "2026-Q4", "fraction": Decimal("1.01")}, "fraction"),
        (FILES, {"quarter": "2026-Q4", "fraction": 0.5}, "fraction"),
        (FILES, {"quarter": "2026-Q4", "size": 1, "seed": -1}, "seed"),
        ([*FILES, FILES[0]], {"quarter": "2026-Q4", "size": 1}, "record_ids"),
        (["a", 2], {"quarter": "2026-Q4", "size": 1}, "record_ids[1]"),
    ],
)
def test_bad_input_is_refused(ids: list[Any], kwargs: dict[str, Any], field: str) -> None:
    """R-RET-8: bad quarters, sizes, fractions, seeds and duplicate ids are refused by name."""
    with pytest.raises(InvalidDefinitionError) as caught:
        sample_for_audit(ids, **kwargs)
    assert caught.value.field == field


@FAST
@given(
    ids=st.sets(st.text(min_size=1, max_size=6), max_size=30),
    seed=st.integers(min_value=0, max_value=2**64),
    data=st.data(),
)
def test_sample_is_reproducible_and_sized(ids: set[str], seed: int, data: st.DataObject) -> None:
    """R-RET-8: same ids, quarter and seed give the same sample in any order, of the asked size."""
    population = sorted(ids)
    shuffled = data.draw(st.permutations(population))
    if population:
        size = data.draw(st.integers(min_value=1, max_value=len(population)))
        a = sample_for_audit(population, quarter="2026-Q4", size=size, seed=seed)
        b = sample_for_audit(shuffled, quarter="2026-Q4", size=size, seed=seed)
        assert a == b
        assert len(a.ids) == size
        assert set(a.ids) <= ids
        assert len(set(a.ids)) == size
    fraction = Decimal(data.draw(st.integers(min_value=1, max_value=100))) / 100
    c = sample_for_audit(shuffled, quarter="2026-Q4", fraction=fraction, seed=seed)
    assert c == sample_for_audit(population, quarter="2026-Q4", fraction=fraction, seed=seed)
    assert len(c.ids) * 100 >= len(population) * fraction * 100 > (len(c.ids) - 1) * 100
