"""The public surface: every name exported once, documented, frozen where it is data."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from enum import Enum
from types import ModuleType
from typing import Any

import attrs
import pytest

import govkit

# Containers and services that are mutable by design, each with its reason.
MUTABLE_BY_DESIGN = {
    "govkit.audit.AuditLog",  # an append-only container the host fills
    "govkit.testing.ManualClock",  # tests move it forward
}


def _public_modules() -> list[ModuleType]:
    modules = [govkit]
    for info in pkgutil.walk_packages(govkit.__path__, prefix="govkit."):
        if not any(part.startswith("_") for part in info.name.split(".")):
            modules.append(importlib.import_module(info.name))
    return modules


MODULES = _public_modules()


def _isort_key(name: str) -> tuple[int, str]:
    """Ruff's isort-style order: CONSTANTS, then Classes, then functions."""
    if name.isupper():
        return (0, name)
    return (1, name) if name[:1].isupper() else (2, name)


def _exports(module: ModuleType) -> list[tuple[str, Any]]:
    return [(name, getattr(module, name)) for name in module.__all__]


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_module_has_sorted_unique_all(module: ModuleType) -> None:
    """Each public module declares __all__, with no duplicates, every name resolvable."""
    names = list(module.__all__)
    assert len(names) == len(set(names)), f"{module.__name__}.__all__ repeats a name"
    assert names == sorted(names, key=_isort_key), f"{module.__name__}.__all__ is not sorted"
    for name in names:
        assert hasattr(module, name), f"{module.__name__}.__all__ names missing {name}"
    assert module.__doc__, f"{module.__name__} has no module docstring"


def test_each_public_object_is_defined_once() -> None:
    """A public object has one home: re-exports point at the same object, never a copy."""
    homes: dict[str, int] = {}
    for module in MODULES:
        for _name, obj in _exports(module):
            if inspect.isclass(obj) or inspect.isfunction(obj):
                key = f"{obj.__module__}.{obj.__qualname__}"
                homes.setdefault(key, id(obj))
                assert homes[key] == id(obj), f"{key} exported as two different objects"


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_public_names_are_documented(module: ModuleType) -> None:
    """Every exported class and function has a docstring of its own."""
    for name, obj in _exports(module):
        if inspect.isclass(obj) or inspect.isfunction(obj):
            assert inspect.getdoc(obj), f"{module.__name__}.{name} has no docstring"


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_value_classes_are_frozen(module: ModuleType) -> None:
    """Every exported non-exception class is a frozen attrs class, unless listed as mutable."""
    for name, obj in _exports(module):
        if not inspect.isclass(obj) or issubclass(obj, BaseException | Enum):
            continue  # exceptions are raised, not stored; enum members are immutable already
        qualified = f"{obj.__module__}.{obj.__qualname__}"
        if qualified in MUTABLE_BY_DESIGN or getattr(obj, "_is_protocol", False):
            continue
        assert attrs.has(obj), f"{module.__name__}.{name} is not an attrs class"
        # attrs marks frozen classes by installing its own __setattr__.
        assert obj.__setattr__.__name__ == "_frozen_setattrs", f"{name} is not frozen"


def test_top_level_reexports_cover_main_nouns() -> None:
    """The main nouns can be imported from govkit directly."""
    for name in ("BusinessCalendar", "BusinessHours", "BusinessDays", "AuditLog", "Event"):
        assert name in govkit.__all__
