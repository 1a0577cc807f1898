"""Redaction: desensitize a report before it is released (R-RET-6)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from govkit.errors import InvalidDefinitionError

__all__ = ["Redaction", "RedactionRule"]


def _paths(value: object) -> tuple[str, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, Sequence | set | frozenset):
        raise InvalidDefinitionError("fields", "a list of dotted field paths", value)
    paths = tuple(value)
    for i, path in enumerate(paths):
        if not isinstance(path, str) or not all(path.split(".")) or path != path.strip():
            raise InvalidDefinitionError(
                f"fields[{i}]", "a dotted path such as 'customer.phone'", path
            )
    if len(set(paths)) != len(paths):
        raise InvalidDefinitionError("fields", "each path once", list(paths))
    return paths


def _patterns(value: object) -> dict[str, str]:
    if not isinstance(value, Mapping):
        raise InvalidDefinitionError("patterns", "a mapping of name -> regular expression", value)
    for name, pattern in value.items():
        field = f"patterns.{name}"
        if not isinstance(name, str) or not name or not isinstance(pattern, str):
            raise InvalidDefinitionError(field, "a named regular expression", pattern)
        try:
            compiled = re.compile(pattern)
        except re.error as exc:
            raise InvalidDefinitionError(field, f"a regular expression ({exc})", pattern) from None
        if compiled.fullmatch(""):
            raise InvalidDefinitionError(field, "a pattern that never matches empty text", pattern)
    return dict(value)


def _mask(_instance: object, _attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str) or not value:
        raise InvalidDefinitionError("mask", "non-empty text such as '***'", value)


def _keep_last(_instance: object, _attribute: attrs.Attribute[int], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidDefinitionError("keep_last", "a whole number >= 0", value)


@attrs.frozen
class Redaction:
    """A redacted copy and the proof of what was masked (never the original values).

    Attributes:
        data: The redacted copy of the input.
        fields: The paths that were masked, in document order; list items show
            their index, e.g. ``contacts[1].phone``.
        patterns: For each of the rule's patterns, how many matches were masked.
    """

    data: Mapping[str, Any] = attrs.field(hash=False)
    fields: tuple[str, ...]
    patterns: Mapping[str, int] = attrs.field(hash=False)

    def explain(self) -> str:
        """The record in one line, fit for an audit log."""
        fields = ", ".join(self.fields) or "none"
        counts = ", ".join(f"{name} x{count}" for name, count in self.patterns.items())
        return f"masked fields: {fields}; pattern matches: {counts or 'none'}"


@attrs.frozen
class RedactionRule:
    r"""Which parts of a report are masked before it is released (R-RET-6).

    ``fields`` are masked entirely, whatever their type; a path that is absent
    is skipped (the :class:`Redaction` says what was masked). Then every
    remaining string value, at any depth and inside lists, has each pattern's
    matches masked, in the order the patterns are given: put the longer one
    first when one pattern can match inside another's text (an 18-digit ID
    card number contains 11 digits that look like a phone number).

    Args:
        fields: Dotted paths into nested mappings, e.g. ``"customer.phone"``;
            a path through a list applies to each of its items.
        patterns: Named regular expressions, e.g. ``{"phone": r"1\d{10}"}``.
        mask: The text that replaces a masked field or pattern match.
        keep_last: Keep this many trailing characters of each pattern match
            (``4`` turns ``13812345678`` into ``***5678``), so a reader can
            tell records apart. A match no longer than this is masked
            entirely, and so is every field in ``fields``.

    >>> rule = RedactionRule(fields=["customer.name"], patterns={"phone": r"1\d{10}"})
    >>> rule.apply({"customer": {"name": "Li Lei"}, "note": "call 13812345678"}).data
    {'customer': {'name': '***'}, 'note': 'call ***'}
    """

    fields: tuple[str, ...] = attrs.field(default=(), converter=_paths)
    patterns: Mapping[str, str] = attrs.field(factory=dict, converter=_patterns, hash=False)
    mask: str = attrs.field(default="***", kw_only=True, validator=_mask)
    keep_last: int = attrs.field(default=0, kw_only=True, validator=_keep_last)

    def __attrs_post_init__(self) -> None:
        if not self.fields and not self.patterns:
            raise InvalidDefinitionError("fields", "at least one field or pattern", [])

    def apply(self, data: Mapping[str, Any]) -> Redaction:
        """A redacted copy of ``data`` (which is left unchanged) and its record."""
        if not isinstance(data, Mapping):
            raise InvalidDefinitionError("data", "a mapping", data)
        masked: list[str] = []
        wanted = [path.split(".") for path in self.fields]
        copy = self._walk(data, "", wanted, masked)
        counts = dict.fromkeys(self.patterns, 0)
        copy = self._scrub(copy, counts)
        return Redaction(data=copy, fields=tuple(masked), patterns=counts)

    def _hide(self, value: str) -> str:
        if self.keep_last and len(value) > self.keep_last:
            return self.mask + value[-self.keep_last :]
        return self.mask

    def _walk(self, value: Any, at: str, wanted: list[list[str]], masked: list[str]) -> Any:
        """Copy ``value``, masking the fields whose remaining paths end here."""
        if isinstance(value, Mapping):
            out: dict[Any, Any] = {}
            for key, item in value.items():
                where = f"{at}.{key}" if at else str(key)
                if [str(key)] in wanted:
                    out[key] = _Masked(self.mask)
                    masked.append(where)
                    continue
                rest = [path[1:] for path in wanted if len(path) > 1 and path[0] == str(key)]
                out[key] = self._walk(item, where, rest, masked)
            return out
        if isinstance(value, list | tuple):
            items = [self._walk(v, f"{at}[{i}]", wanted, masked) for i, v in enumerate(value)]
            return items if isinstance(value, list) else tuple(items)
        return value

    def _scrub(self, value: Any, counts: dict[str, int]) -> Any:
        """Mask pattern matches in every string not masked already; unwrap masked values."""
        if isinstance(value, _Masked):
            return value.text
        if isinstance(value, dict):
            return {key: self._scrub(item, counts) for key, item in value.items()}
        if isinstance(value, list):
            return [self._scrub(item, counts) for item in value]
        if isinstance(value, tuple):
            return tuple(self._scrub(item, counts) for item in value)
        if isinstance(value, str):
            for name, pattern in self.patterns.items():
                value, count = re.subn(pattern, lambda m: self._hide(m.group()), value)
                counts[name] += count
        return value


@attrs.frozen
class _Masked:
    """Text that replaced a masked field: patterns must not touch it again."""

    text: str
