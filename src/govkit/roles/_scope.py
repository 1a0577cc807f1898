"""Scopes: hierarchical paths such as ``company/quality/line-2`` (private).

A role assigned at a scope holds in that scope and every scope below it
(R-ROL-3, R-ROL-4). Paths are compared segment by segment, so
``company/quality`` covers ``company/quality/line-2`` but not
``company/quality-lab``.
"""

from __future__ import annotations

from functools import lru_cache

from govkit.errors import InvalidDefinitionError

__all__ = ["check_scope", "covers", "well_formed"]


def check_scope(value: object, field: str = "scope") -> str:
    """Return ``value`` if it is a well-formed scope path, else raise."""
    if not isinstance(value, str) or not value:
        raise InvalidDefinitionError(field, "a scope path such as 'company/quality'", value)
    if not well_formed(value):
        raise InvalidDefinitionError(
            field, "a path of non-empty segments separated by single '/'", value
        )
    return value


@lru_cache(maxsize=4096)
def well_formed(path: str) -> bool:
    """Whether ``path`` is a non-empty path of non-empty, unpadded segments (cached)."""
    return bool(path) and all(s and s == s.strip() for s in path.split("/"))


def covers(assigned: str, requested: str) -> bool:
    """Whether an assignment at ``assigned`` holds in ``requested``."""
    return requested == assigned or requested.startswith(assigned + "/")
