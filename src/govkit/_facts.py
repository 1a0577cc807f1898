"""Matching the facts of a case against a rule's ``when`` conditions (private).

A ``when`` mapping names facts and what they must be::

    {"priority": "high"}                      equal to
    {"priority": ["high", "urgent"]}          one of
    {"amount": {">=": 50000, "<": 200000}}    compared with (==, !=, <, <=, >, >=, in, not in)

Every condition must hold. Each check also says, in words, why it held or
failed, so that a routing choice can explain itself.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from typing import Any

from govkit.errors import InvalidDefinitionError

__all__ = ["check_when", "match_when"]

_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "in": lambda value, options: value in options,
    "not in": lambda value, options: value not in options,
}


def check_when(when: object, field: str) -> dict[str, Any]:
    """Validate a ``when`` mapping at definition time; return a plain copy."""
    if not isinstance(when, Mapping):
        raise InvalidDefinitionError(field, "a mapping of fact name -> condition", when)
    out: dict[str, Any] = {}
    for fact, condition in when.items():
        if not isinstance(fact, str) or not fact:
            raise InvalidDefinitionError(field, "fact names as non-empty text", fact)
        if isinstance(condition, Mapping):
            if not condition:
                raise InvalidDefinitionError(f"{field}.{fact}", "at least one comparison", {})
            for op, operand in condition.items():
                if op not in _OPS:
                    raise InvalidDefinitionError(
                        f"{field}.{fact}", f"an operator among {', '.join(_OPS)}", op
                    )
                if op in {"in", "not in"} and not isinstance(operand, list | tuple):
                    raise InvalidDefinitionError(f"{field}.{fact}.{op}", "a list", operand)
            out[fact] = dict(condition)
        elif isinstance(condition, list | tuple):
            out[fact] = list(condition)
        else:
            out[fact] = condition
    return out


def _holds(op: str, value: Any, operand: Any) -> bool:
    try:
        return bool(_OPS[op](value, operand))
    except TypeError:  # e.g. comparing text with a number: the condition does not hold
        return False


def match_when(when: Mapping[str, Any], facts: Mapping[str, Any]) -> tuple[bool, tuple[str, ...]]:
    """Whether ``facts`` satisfy every condition, with one reason per condition checked.

    Stops at the first failing condition, whose reason says what was found.
    """
    reasons: list[str] = []
    for fact, condition in when.items():
        if fact not in facts:
            return False, (*reasons, f"fact {fact!r} is missing")
        value = facts[fact]
        if isinstance(condition, Mapping):
            tests = list(condition.items())
        elif isinstance(condition, list):
            tests = [("in", condition)]
        else:
            tests = [("==", condition)]
        for op, operand in tests:
            if not _holds(op, value, operand):
                return False, (*reasons, f"{fact} is {value!r}, not {op} {operand!r}")
            reasons.append(f"{fact} {op} {operand!r}")
    return True, tuple(reasons)
