"""File naming conventions such as ``complaint number-department-date`` (R-RET-3)."""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from datetime import date, datetime
from functools import lru_cache
from typing import Any

import attrs

from govkit.errors import InvalidDefinitionError

__all__ = ["NamingRule"]

# A date spec is made of these directives and literal text; %H/%M are left out
# on purpose: a time in a file name has no zone, and govkit never guesses one.
_DIRECTIVES = {"Y": "[0-9]{4}", "m": "[0-9]{2}", "d": "[0-9]{2}"}
_EXAMPLE_DATE = date(2026, 11, 23)
_PATH_SEPARATORS = "/\\"


@attrs.frozen
class _Segment:
    """One piece of a template: literal text, or a field (text or date)."""

    literal: str = ""
    field: str | None = None
    spec: str = ""  # the date spec; empty for a text field
    regex: str = ""  # what the field's text must match (fullmatch)
    expected: str = ""  # what a valid value looks like, for error messages


@attrs.frozen
class _Plan:
    segments: tuple[_Segment, ...]
    regex: re.Pattern[str]
    # One regex per field, in which only that field matches any text: when the strict
    # regex fails and the one for field i matches, field i is the part that is wrong.
    relaxed: tuple[tuple[str, re.Pattern[str]], ...]


def _bad_template(template: object, why: str) -> InvalidDefinitionError:
    return InvalidDefinitionError("template", f"a name template ({why})", template)


def _date_parts(spec: str, template: str) -> list[str]:
    """Split a date spec into directives (``%Y``) and literal text; refuse anything else."""
    parts = re.findall(r"%.|[^%]+|%$", spec)
    directives = [p for p in parts if p.startswith("%")]
    for part in directives:
        if part[1:] not in _DIRECTIVES:
            raise _bad_template(template, f"date directives %Y, %m and %d only, not {part!r}")
    if sorted(directives) != sorted(["%Y", "%m", "%d"]):
        raise _bad_template(template, "a date spec with %Y, %m and %d once each")
    return parts


def _format_date(value: date, spec: str) -> str:
    # Formatted by hand: strftime writes year 999 as "999" on some platforms.
    digits = {"%Y": f"{value.year:04d}", "%m": f"{value.month:02d}", "%d": f"{value.day:02d}"}
    return "".join(digits.get(part, part) for part in re.findall(r"%.|[^%]+", spec))


@lru_cache(maxsize=256)
def _plan(template: str, patterns: tuple[tuple[str, str], ...]) -> _Plan:
    """Compile a template once: its segments and its anchored regexes."""
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise _bad_template(template, str(exc)) from None
    pieces: list[tuple[str, str | None, str]] = []
    for literal, name, spec, conversion in parsed:
        if literal:
            pieces.append((literal, None, ""))
        if name is None:
            continue
        if not name.isidentifier() or conversion is not None:
            raise _bad_template(template, "plain field names such as {dept}")
        if any(name == seen for _, seen, _ in pieces):
            raise _bad_template(template, f"field {name!r} appears once")
        if pieces and pieces[-1][1] is not None:
            raise _bad_template(template, f"a separator between {pieces[-1][1]!r} and {name!r}")
        pieces.append(("", name, spec or ""))
    fields = [name for _, name, _ in pieces if name is not None]
    if not fields:
        raise _bad_template(template, "at least one field")
    custom = dict(patterns)
    for key in custom:
        if key not in fields:
            raise InvalidDefinitionError(f"patterns.{key}", f"a field of {template!r}", key)
    segments: list[_Segment] = []
    for i, (literal, name, spec) in enumerate(pieces):
        if name is None:
            segments.append(_Segment(literal=literal))
        elif spec:
            if name in custom:
                raise InvalidDefinitionError(
                    f"patterns.{name}", "no pattern for a date field (its spec is one)", name
                )
            parts = _date_parts(spec, template)
            regex = "".join(
                _DIRECTIVES.get(p[1:], "") if p[0] == "%" else re.escape(p) for p in parts
            )
            expected = f"{spec} such as {_format_date(_EXAMPLE_DATE, spec)}"
            segments.append(_Segment(field=name, spec=spec, regex=regex, expected=expected))
        elif name in custom:
            regex = custom[name]
            expected = f"text matching {regex!r}"
            segments.append(_Segment(field=name, regex=regex, expected=expected))
        else:
            following = pieces[i + 1][0][:1] if i + 1 < len(pieces) else ""
            excluded = _PATH_SEPARATORS + following
            regex = "[^" + "".join(re.escape(c) for c in sorted(set(excluded))) + "]+"
            shown = " or ".join(repr(c) for c in sorted(set(excluded)))
            segments.append(_Segment(field=name, regex=regex, expected=f"text without {shown}"))
    try:
        compiled = _compile(segments, None)
        relaxed = tuple((s.field, _compile(segments, s.field)) for s in segments if s.field)
    except re.error as exc:
        bad = next((k for k in custom if _broken(custom[k])), None)
        where = f"patterns.{bad}" if bad else "patterns"
        raise InvalidDefinitionError(where, f"a regular expression ({exc})", custom) from None
    return _Plan(segments=tuple(segments), regex=compiled, relaxed=relaxed)


def _broken(pattern: str) -> bool:
    try:
        re.compile(pattern)
    except re.error:
        return True
    return False


def _compile(segments: list[_Segment], loose: str | None) -> re.Pattern[str]:
    parts = []
    for i, segment in enumerate(segments):
        if segment.field is None:
            parts.append(re.escape(segment.literal))
        else:
            body = ".+?" if segment.field == loose else segment.regex
            parts.append(f"(?P<_f{i}>{body})")
    return re.compile("".join(parts), re.DOTALL)


def _patterns(value: object) -> dict[str, str]:
    if not isinstance(value, Mapping):
        raise InvalidDefinitionError("patterns", "a mapping of field -> regular expression", value)
    for key, pattern in value.items():
        if not isinstance(key, str) or not isinstance(pattern, str) or not pattern:
            raise InvalidDefinitionError(f"patterns.{key}", "a regular expression", pattern)
    return dict(value)


def _template(_instance: object, _attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str) or not value:
        raise InvalidDefinitionError("template", "a name template such as '{no}-{dept}'", value)
    if any(c in value for c in _PATH_SEPARATORS):
        raise _bad_template(value, "a file name, without '/' or '\\'")
    _plan(value, ())  # the template alone; its patterns are checked with it afterwards


@attrs.frozen
class NamingRule:
    r"""A file naming convention: a template of fields and separators (R-RET-3).

    The template uses :meth:`str.format` syntax. A field without a spec is
    text; a field with a spec made of ``%Y``, ``%m``, ``%d`` and literal text
    is a :class:`datetime.date`. Two fields must be kept apart by literal text,
    so that every name parses back one way only.

    Args:
        template: e.g. ``"{complaint_no}-{dept}-{date:%Y%m%d}"``.
        patterns: Regular expressions that text fields must match in full,
            e.g. ``{"complaint_no": r"C-\d{4}-\d{4}"}``. A text field without
            one is any text without ``/``, ``\`` or the separator that follows it.

    >>> rule = NamingRule("{no}-{dept}-{date:%Y%m%d}", patterns={"no": r"C-\d{4}-\d{4}"})
    >>> rule.parse("C-2026-1123-complaints-20261123")["date"]
    datetime.date(2026, 11, 23)
    """

    template: str = attrs.field(validator=_template)
    patterns: Mapping[str, str] = attrs.field(
        factory=dict, converter=_patterns, hash=False, kw_only=True
    )

    def __attrs_post_init__(self) -> None:
        self._plan()  # refuse a bad template or pattern now, not at first use

    def _plan(self) -> _Plan:
        return _plan(self.template, tuple(self.patterns.items()))

    @property
    def fields(self) -> tuple[str, ...]:
        """The template's field names, in order."""
        return tuple(s.field for s in self._plan().segments if s.field is not None)

    def format(self, **values: object) -> str:
        """The name for these field values; dates are ``datetime.date``, text is ``str``.

        Raises:
            InvalidDefinitionError: a field is missing, unknown, or its value does not fit.
        """
        plan = self._plan()
        for key in values:
            if key not in self.fields:
                raise InvalidDefinitionError(key, f"a field of {self.template!r}", values[key])
        out = []
        for segment in plan.segments:
            if segment.field is None:
                out.append(segment.literal)
                continue
            if segment.field not in values:
                raise InvalidDefinitionError(segment.field, segment.expected, None)
            value = values[segment.field]
            if segment.spec:
                if not isinstance(value, date) or isinstance(value, datetime):
                    raise InvalidDefinitionError(segment.field, "a datetime.date", value)
                out.append(_format_date(value, segment.spec))
            else:
                if not isinstance(value, str) or not re.fullmatch(segment.regex, value, re.DOTALL):
                    raise InvalidDefinitionError(segment.field, segment.expected, value)
                out.append(value)
        name = "".join(out)
        if self.parse(name) != values:
            # Patterns that overlap a separator can make a name read back differently.
            raise InvalidDefinitionError("name", "a name that parses back to its values", name)
        return name

    def parse(self, name: str) -> dict[str, Any]:
        """The field values of a name: text as ``str``, dates as ``datetime.date``.

        Raises:
            InvalidDefinitionError: naming the part that is wrong and what was expected.
        """
        plan = self._plan()
        if not isinstance(name, str):
            raise InvalidDefinitionError("name", "a str", name)
        match = plan.regex.fullmatch(name)
        if match is None:
            raise self._diagnose(plan, name)
        values: dict[str, Any] = {}
        for i, segment in enumerate(plan.segments):
            if segment.field is None:
                continue
            text = match.group(f"_f{i}")
            if segment.spec:
                values[segment.field] = _parse_date(text, segment)
            else:
                values[segment.field] = text
        return values

    def validate(self, name: str) -> None:
        """Check a name; raise naming the part that is wrong and what was expected.

        Raises:
            InvalidDefinitionError: e.g. ``date: expected %Y%m%d such as 20261123, got '2026113'``.
        """
        self.parse(name)

    def matches(self, name: str) -> bool:
        """Whether ``name`` follows the convention."""
        try:
            self.parse(name)
        except InvalidDefinitionError:
            return False
        return True

    def _diagnose(self, plan: _Plan, name: str) -> InvalidDefinitionError:
        for field, relaxed in plan.relaxed:
            match = relaxed.fullmatch(name)
            if match is not None:
                i = next(i for i, s in enumerate(plan.segments) if s.field == field)
                return InvalidDefinitionError(
                    field, plan.segments[i].expected, match.group(f"_f{i}")
                )
        return InvalidDefinitionError("name", f"a name of the form {self.template!r}", name)


def _parse_date(text: str, segment: _Segment) -> date:
    numbers: dict[str, int] = {}
    rest = text
    for part in re.findall(r"%.|[^%]+", segment.spec):
        if part.startswith("%"):
            width = 4 if part == "%Y" else 2
            numbers[part], rest = int(rest[:width]), rest[width:]
        else:
            rest = rest[len(part) :]
    try:
        return date(numbers["%Y"], numbers["%m"], numbers["%d"])
    except ValueError:
        raise InvalidDefinitionError(segment.field or "", segment.expected, text) from None
