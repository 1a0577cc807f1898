"""Helpers of the batch paths: values built a field at a time, the collector paused.

A frozen attrs class with slots, no converters, no validators and no
``__attrs_post_init__`` does nothing in ``__init__`` but set each slot, one
call per field and value, about a microsecond per value. Setting one field of
a chunk of values in a single ``map`` runs in C and costs about half as much.
The values are the same: only classes whose ``__init__`` has nothing else to
do are accepted.

A batch allocates hundreds of thousands of objects that all survive (its
results) and no reference cycles. The cyclic garbage collector has nothing to
free among them, yet walks all of them again at each full collection, and a
growing batch triggers several: about a third of the time of a large batch
went there. :func:`collector_paused` pauses it for the batch and restores it as
it was.
"""

from __future__ import annotations

import gc
import types
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from itertools import repeat
from typing import Any, TypeVar

import attrs

__all__ = ["build_many", "collector_paused"]

T = TypeVar("T")

_SLOTS: dict[type, dict[str, Any]] = {}
_CHUNK = 512


def _slots_of(cls: type) -> dict[str, Any]:
    """Each field's slot descriptor, after checking that ``__init__`` only sets them."""
    slots = _SLOTS.get(cls)
    if slots is None:
        fields = attrs.fields(cls)
        plain = (
            all(f.init and f.validator is None and f.converter is None for f in fields)
            and not hasattr(cls, "__attrs_post_init__")
            and not hasattr(cls, "__attrs_pre_init__")
        )
        slots = {f.name: cls.__dict__.get(f.name) for f in fields}
        if not plain or not all(isinstance(s, types.MemberDescriptorType) for s in slots.values()):
            raise TypeError(f"{cls.__name__} does more in __init__ than set its slots")
        _SLOTS[cls] = slots
    return slots


def build_many(cls: type[T], count: int, **columns: Iterable[Any]) -> list[T]:
    """``count`` values of ``cls``: equal to ``cls(**row)`` for each row of ``columns``.

    Args:
        cls: A frozen attrs class with slots whose ``__init__`` only sets them.
        count: How many values; every column must give at least that many.
        columns: Each field's values, in order.

    Raises:
        TypeError: ``cls`` does more in ``__init__``, or a field is not given.
    """
    slots = _slots_of(cls)
    if columns.keys() != slots.keys():
        raise TypeError(f"every field of {cls.__name__}: {sorted(slots)}, got {sorted(columns)}")
    setters = [(slots[name].__set__, iter(values)) for name, values in columns.items()]
    made: list[T] = []
    # A chunk at a time, so that its values are still in the CPU's cache for each field.
    for start in range(0, count, _CHUNK):
        chunk = list(map(object.__new__, repeat(cls, min(_CHUNK, count - start))))
        for setter, values in setters:
            # map() stops when the chunk is done, before it takes a value past it.
            deque(map(setter, chunk, values), maxlen=0)
        made += chunk
    return made


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector paused for a batch, then restored as it was."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
