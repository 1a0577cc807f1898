"""Field checks shared by the approval definitions (private)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from govkit.errors import InvalidDefinitionError

__all__ = ["check_flag", "check_kind", "check_name", "require_name"]


def require_name(value: object, field: str) -> str:
    """Return ``value`` if it is a non-empty, unpadded name, else raise."""
    if not isinstance(value, str) or not value or value != value.strip():
        raise InvalidDefinitionError(field, "a non-empty name", value)
    return value


def check_name(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Attrs validator: a non-empty, unpadded name."""
    require_name(value, attribute.name)


def check_flag(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Attrs validator: a real ``bool`` (TOML's 1 is not true)."""
    if not isinstance(value, bool):
        raise InvalidDefinitionError(attribute.name, "true or false", value)


def check_kind(expected: str) -> Callable[[object, attrs.Attribute[Any], object], None]:
    """Attrs validator: the ``kind`` tag that tells union members apart on the wire."""

    def check(_instance: object, _attribute: attrs.Attribute[Any], value: object) -> None:
        if value != expected:
            raise InvalidDefinitionError("kind", repr(expected), value)

    return check
