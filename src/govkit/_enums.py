"""Reading enum values from text with a govkit error (private)."""

from __future__ import annotations

from enum import Enum
from typing import TypeVar

from govkit.errors import InvalidDefinitionError

__all__ = ["to_enum"]

E = TypeVar("E", bound=Enum)


def to_enum(kind: type[E], value: object, field: str) -> E:
    """``kind(value)``, or an :class:`InvalidDefinitionError` listing the choices."""
    try:
        return kind(value)
    except ValueError:
        choices = ", ".join(repr(member.value) for member in kind)
        raise InvalidDefinitionError(field, f"one of {choices}", value) from None
