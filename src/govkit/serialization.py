"""One cattrs converter for every govkit type, and JSON helpers.

Wire forms:

* aware ``datetime``: ISO 8601 with its UTC offset; when the zone is an IANA
  zone its name follows in brackets (RFC 9557), so the zone survives a round
  trip: ``2026-11-23T10:00:00+08:00[Asia/Shanghai]``. Naive datetimes are
  refused both ways.
* ``date``: ``YYYY-MM-DD``.
* ``Decimal``: written as a string (``"0.1"``); read from a string, an
  integer, or a float through its shortest repr (``0.1`` reads as ``"0.1"``).
* durations: ``timedelta`` as ISO 8601 elapsed time in hours (``PT24H``),
  ``BusinessHours`` as ``"8 business hours"``, ``BusinessDays`` as
  ``"5 business days"``, ``Period`` as ``"1 year 6 months"`` (see
  :func:`govkit.calendar.parse_duration`).
* enums: by value.
* a union of govkit classes told apart by a ``kind`` field (an approval
  step's ``approvers``, its vote ``rule``): an object with that ``kind``,
  e.g. ``{"kind": "quorum", "n": 2}``.

Loading refuses unknown fields and reports every bad field with its path in
one :class:`~govkit.errors.DeserializationError`.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache, partial
from types import UnionType
from typing import Any, TypeVar, Union, get_args, get_origin
from zoneinfo import ZoneInfo

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn

from govkit._time import require_aware, zone
from govkit.calendar import BusinessCalendar, BusinessDays, BusinessHours, Duration, Period
from govkit.calendar._calendar import CALENDAR_FIELD_CHECKS
from govkit.calendar._durations import format_duration, parse_duration
from govkit.errors import (
    DeserializationError,
    FieldError,
    GovkitError,
    InvalidDefinitionError,
    InvalidTimeError,
)

__all__ = [
    "canonical_json",
    "from_json",
    "from_toml",
    "make_converter",
    "structure",
    "to_json",
    "unstructure",
]

T = TypeVar("T")


def _datetime_out(value: datetime) -> str:
    moment = require_aware(value, "datetime")
    text = moment.isoformat()
    if isinstance(moment.tzinfo, ZoneInfo):
        text += f"[{moment.tzinfo.key}]"
    return text


def _datetime_in(value: Any, _type: type) -> datetime:
    if isinstance(value, datetime):
        return require_aware(value, "datetime")
    if not isinstance(value, str):
        raise InvalidDefinitionError("datetime", "an ISO 8601 string with an offset", value)
    text, _, zone_name = value.partition("[")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidDefinitionError(
            "datetime", "an ISO 8601 string with an offset", value
        ) from None
    moment = require_aware(moment, "datetime")
    if zone_name:
        tz = zone(zone_name.rstrip("]"), "datetime")
        return moment.astimezone(tz)
    return moment


def _date_in(value: Any, _type: type) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    try:
        if isinstance(value, str) and len(value) == 10:
            return date.fromisoformat(value)
    except ValueError:
        pass
    raise InvalidDefinitionError("date", "a date 'YYYY-MM-DD'", value)


def _decimal_in(value: Any, _type: type) -> Decimal:
    if isinstance(value, float):
        # TOML and JSON numbers arrive as floats; their shortest repr is what was written.
        value = repr(value)
    if isinstance(value, str | int) and not isinstance(value, bool):
        try:
            number = Decimal(value)
        except InvalidOperation:
            pass
        else:
            if number.is_finite():
                return number
    raise InvalidDefinitionError("decimal", "a decimal number written as a string", value)


def _duration_in(kind: type | None) -> Any:
    def structure(value: Any, _type: type) -> Duration:
        duration = parse_duration(value)
        if kind is not None and not isinstance(duration, kind):
            raise InvalidDefinitionError("duration", f"a {kind.__name__} duration", value)
        return duration

    return structure


def _calendar_out(calendar: BusinessCalendar) -> dict[str, Any] | str:
    if calendar == BusinessCalendar.china():
        return "china"  # the official calendar is written by name, not copied into every file
    return {
        "name": calendar.name,
        "timezone": calendar.timezone,
        "hours": {day: [list(pair) for pair in spans] for day, spans in calendar.hours},
        "holidays": [d.isoformat() for d in calendar.holidays],
        "workdays": [d.isoformat() for d in calendar.workdays],
        "workday_hours": {
            d.isoformat(): [list(pair) for pair in spans] for d, spans in calendar.workday_hours
        },
        "valid_from": calendar.valid_from.isoformat(),
        "valid_until": calendar.valid_until.isoformat(),
    }


_CALENDAR_KEYS = frozenset(
    {"name", "timezone", "hours", "holidays", "workdays", "workday_hours"}
    | {"valid_from", "valid_until"}
)


def _calendar_in(value: Any, _type: type) -> BusinessCalendar:
    if value == "china":
        return BusinessCalendar.china()
    if not isinstance(value, dict):
        raise InvalidDefinitionError("calendar", "'china' or a calendar definition object", value)
    errors = [
        FieldError(f"$.{key}", "unknown field on BusinessCalendar")
        for key in sorted(set(value) - _CALENDAR_KEYS)
    ]
    errors += [
        FieldError(f"$.{key}", "required field missing")
        for key in ("timezone", "hours")
        if key not in value
    ]
    # Check each field on its own first, so that one load reports every bad field.
    for key, check in CALENDAR_FIELD_CHECKS.items():
        if key in value:
            try:
                check(value[key])
            except (InvalidDefinitionError, InvalidTimeError) as exc:
                errors.append(_definition_error(exc))
    if errors:
        raise DeserializationError("BusinessCalendar", errors)
    try:
        return BusinessCalendar(**value)
    except (InvalidDefinitionError, InvalidTimeError) as exc:  # rules that span fields
        raise DeserializationError("BusinessCalendar", [_definition_error(exc)]) from None


def _definition_error(exc: InvalidDefinitionError | InvalidTimeError) -> FieldError:
    return FieldError(f"$.{exc.field}", _message(exc))


def _message(exc: InvalidDefinitionError | InvalidTimeError) -> str:
    """The error's text without its field, which the path already names."""
    if isinstance(exc, InvalidTimeError):
        return f"{exc.reason}, got {exc.got!r}"
    return f"expected {exc.expected}, got {exc.got!r}"


def _strict(kind: type, *, also: tuple[type, ...] = ()) -> Any:
    """A hook that accepts only values already of ``kind`` (cattrs would coerce)."""

    def structure(value: Any, _type: type) -> Any:
        if isinstance(value, bool) and kind is not bool:
            raise InvalidDefinitionError(kind.__name__, f"a {kind.__name__}", value)
        if isinstance(value, (kind, *also)):
            return kind(value)
        raise InvalidDefinitionError(kind.__name__, f"a {kind.__name__}", value)

    return structure


def _mapping_in(value: Any, _type: Any) -> dict[str, Any]:
    if not isinstance(value, dict) or not all(isinstance(key, str) for key in value):
        raise InvalidDefinitionError("mapping", "an object with string keys", value)
    return dict(value)


def _is_run(cls: Any) -> bool:
    return isinstance(cls, type) and hasattr(cls, "__govkit_definition__")


def _run_out(
    converter: cattrs.Converter, fast: dict[type, Callable[[Any], dict[str, Any]]], run: Any
) -> dict[str, Any]:
    """A run (e.g. an SLA clock) refers to its definition by kind, name and version."""
    cls: type = type(run)
    ref_field = run.__govkit_definition__
    definition = getattr(run, ref_field)
    rest = fast.get(cls)
    if rest is None:
        # Generated once per class: reads the run's other fields by name.
        rest = fast[cls] = make_dict_unstructure_fn(_run_fields(cls), converter)
    return {
        ref_field: {
            "kind": type(definition).__name__,
            "name": definition.name,
            "version": definition.version,
        },
        **rest(run),
    }


@cache
def _run_fields(cls: type) -> type:
    """An attrs class with ``cls``'s fields minus its definition, for structuring."""
    attrs.resolve_types(cls)
    ref_field = cls.__govkit_definition__  # type: ignore[attr-defined]  # _is_run checked it
    fields = {
        f.name: attrs.field(type=f.type)
        for f in attrs.fields(cls)
        if f.init and f.name != ref_field
    }
    return attrs.make_class(f"{cls.__name__}Fields", fields, frozen=True)


def _run_in(
    converter: cattrs.Converter, registry: Mapping[tuple[str, str, int], Any], data: Any, cls: type
) -> Any:
    ref_field = cls.__govkit_definition__  # type: ignore[attr-defined]  # _is_run checked it
    if not isinstance(data, dict):
        raise DeserializationError(cls.__name__, [FieldError("$", "expected an object")])
    errors: list[FieldError] = []
    ref = data.get(ref_field)
    definition = None
    if not isinstance(ref, dict) or set(ref) != {"kind", "name", "version"}:
        errors.append(FieldError(f"$.{ref_field}", "expected {kind, name, version}"))
    else:
        definition = registry.get((ref["kind"], ref["name"], ref["version"]))
        if definition is None:
            errors.append(
                FieldError(
                    f"$.{ref_field}",
                    f"unknown {ref['kind']} {ref['name']!r} version {ref['version']}: "
                    "pass it to make_converter(definitions=...)",
                )
            )
    rest = {k: v for k, v in data.items() if k != ref_field}
    values: Any = None
    try:
        values = converter.structure(rest, _run_fields(cls))
    except (cattrs.BaseValidationError, GovkitError, ValueError, TypeError) as exc:
        errors.extend(_field_errors(exc))
    if errors or values is None:
        raise DeserializationError(cls.__name__, errors)
    return cls(**{ref_field: definition}, **attrs.asdict(values, recurse=False))


def _tagged_members(kind: Any) -> dict[str, type] | None:
    """For a union of govkit classes told apart by a ``kind`` field: tag -> class."""
    if get_origin(kind) not in {Union, UnionType}:
        return None
    members: dict[str, type] = {}
    for member in get_args(kind):
        if not (isinstance(member, type) and attrs.has(member)):
            return None
        tag = getattr(attrs.fields_dict(member).get("kind"), "default", None)
        if not isinstance(tag, str):
            return None
        members[tag] = member
    return members


def _tagged_in(converter: cattrs.Converter, data: Any, kind: Any) -> Any:
    members = _tagged_members(kind)
    assert members is not None  # the predicate checked it
    choices = ", ".join(repr(tag) for tag in members)
    if not isinstance(data, dict):
        raise InvalidDefinitionError("kind", f"an object with a kind among {choices}", data)
    member = members.get(data.get("kind"))  # type: ignore[arg-type]  # any value may arrive
    if member is None:
        raise InvalidDefinitionError("kind", f"one of {choices}", data.get("kind"))
    return converter.structure(data, member)


def _is_list_type(kind: Any) -> bool:
    return get_origin(kind) in {tuple, list, set, frozenset}


def _is_govkit_value(cls: Any) -> bool:
    return (
        isinstance(cls, type)
        and attrs.has(cls)
        and cls.__module__.startswith("govkit.")
        and not hasattr(cls, "__govkit_definition__")
    )


@cache
def _init_fields(cls: type) -> tuple[tuple[tuple[Any, bool], ...], frozenset[str]]:
    """The fields a loader fills, each with whether it is a list, and their names.

    Worked out once per class: loading a run reads many small objects.
    """
    fields = [f for f in attrs.fields(attrs.resolve_types(cls)) if f.init]
    return tuple((f, _is_list_type(f.type)) for f in fields), frozenset(f.alias for f in fields)


def _value_in(
    converter: cattrs.Converter, fast: dict[type, Callable[[Any, type], Any]], data: Any, cls: type
) -> Any:
    """Structure a govkit attrs class, reporting every bad field when it fails.

    Good data takes a structuring function cattrs generates once per class.
    When that fails, the slow path structures, converts and validates every
    field on its own, so one load reports every bad field, not just the first.
    """
    if not isinstance(data, dict):
        raise DeserializationError(cls.__name__, [FieldError("$", "expected an object")])
    fields, known = _init_fields(cls)
    if not any(
        is_list and isinstance(data.get(f.alias), str | bytes | dict) for f, is_list in fields
    ):
        # (cattrs would read "abc" as a list ("a", "b", "c"): such data takes the slow path.)
        structure_fn = fast.get(cls)
        if structure_fn is None:
            structure_fn = fast[cls] = make_dict_structure_fn(
                cls, converter, _cattrs_forbid_extra_keys=True, _cattrs_detailed_validation=False
            )
        try:
            return structure_fn(data, cls)
        except Exception:  # any failure is reported in full by the slow path
            pass
    return _value_in_slowly(converter, data, cls, fields, known)


def _value_in_slowly(
    converter: cattrs.Converter,
    data: dict[str, Any],
    cls: type,
    fields: tuple[tuple[Any, bool], ...],
    known: frozenset[str],
) -> Any:
    errors = [FieldError(f"$.{key}", "unknown field") for key in data if key not in known]
    values: dict[str, Any] = {}
    for field, is_list in fields:
        if field.alias not in data:
            if field.default is attrs.NOTHING:
                errors.append(FieldError(f"$.{field.alias}", "required field missing"))
            continue
        raw = data[field.alias]
        if is_list and isinstance(raw, str | bytes | dict):
            # cattrs would happily read "abc" as ("a", "b", "c").
            errors.append(FieldError(f"$.{field.alias}", f"expected a list, got {raw!r}"))
            continue
        try:
            value = converter.structure(raw, field.type)
            if field.converter is not None:
                value = field.converter(value)
            if field.validator is not None:
                field.validator(None, field, value)
        except (cattrs.BaseValidationError, DeserializationError) as exc:
            errors.extend(
                FieldError(f"$.{field.alias}{e.path.removeprefix('$')}", e.message)
                for e in _field_errors(exc)
            )
            continue
        except (InvalidDefinitionError, InvalidTimeError) as exc:
            inner = exc.field if exc.field.startswith(field.alias) else field.alias
            errors.append(FieldError(f"$.{inner}", _message(exc)))
            continue
        except (ValueError, TypeError) as exc:
            errors.append(FieldError(f"$.{field.alias}", f"{type(exc).__name__}: {exc}"))
            continue
        values[field.alias] = value
    if errors:
        raise DeserializationError(cls.__name__, errors)
    try:
        return cls(**values)
    except (InvalidDefinitionError, InvalidTimeError) as exc:  # rules that span fields
        raise DeserializationError(cls.__name__, [_definition_error(exc)]) from None


def make_converter(*, definitions: Iterable[Any] = ()) -> cattrs.Converter:
    """Build the converter that knows every govkit type.

    Args:
        definitions: Policies and other definitions that runs refer to. A run
            (an SLA clock, for example) is written with a reference to its
            definition (kind, name, version) instead of a copy of it, and is
            read back against the definitions given here.

    >>> from datetime import timedelta
    >>> make_converter().unstructure(timedelta(hours=24))
    'PT24H'
    """
    registry = {(type(d).__name__, d.name, d.version): d for d in definitions}
    converter = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    converter.register_unstructure_hook(datetime, _datetime_out)
    converter.register_structure_hook(datetime, _datetime_in)
    converter.register_unstructure_hook(date, date.isoformat)
    converter.register_structure_hook(date, _date_in)
    converter.register_unstructure_hook(Decimal, str)
    converter.register_structure_hook(Decimal, _decimal_in)
    for kind in (timedelta, BusinessHours, BusinessDays, Period):
        converter.register_unstructure_hook(kind, format_duration)
        converter.register_structure_hook(kind, _duration_in(kind))
    converter.register_unstructure_hook(Duration, format_duration)
    converter.register_structure_hook(Duration, _duration_in(None))
    converter.register_structure_hook_func(
        lambda t: t == Duration | None,
        lambda value, _type: None if value is None else _duration_in(None)(value, _type),
    )
    converter.register_unstructure_hook(BusinessCalendar, _calendar_out)
    converter.register_structure_hook(BusinessCalendar, _calendar_in)
    converter.register_structure_hook(str, _strict(str))
    converter.register_structure_hook(int, _strict(int))
    converter.register_structure_hook(float, _strict(float, also=(int,)))
    converter.register_structure_hook(bool, _strict(bool))
    converter.register_structure_hook_func(lambda t: t == Mapping[str, Any], _mapping_in)
    converter.register_structure_hook_func(_is_govkit_value, partial(_value_in, converter, {}))
    converter.register_structure_hook_func(
        lambda t: _tagged_members(t) is not None, partial(_tagged_in, converter)
    )
    converter.register_unstructure_hook_func(_is_run, partial(_run_out, converter, {}))
    converter.register_structure_hook_func(_is_run, partial(_run_in, converter, registry))
    return converter


@lru_cache(maxsize=1)
def _default() -> cattrs.Converter:
    return make_converter()


def unstructure(obj: object, *, converter: cattrs.Converter | None = None) -> Any:
    """Turn a govkit object into plain JSON-compatible data."""
    return (converter or _default()).unstructure(obj)


_UNKNOWN = "unknown fields: "
_NESTED, _LINE, _SEP = "\x00nested:", "\x00", "\x01"


def _field_errors(exc: BaseException) -> list[FieldError]:
    if isinstance(exc, DeserializationError):
        return list(exc.errors)
    if isinstance(exc, cattrs.BaseValidationError):
        errors = []
        for message in cattrs.transform_error(exc, path="$", format_exception=_describe):
            text, _, path = message.rpartition(" @ ")
            if text.startswith(_UNKNOWN):
                names = text.removeprefix(_UNKNOWN).split(",")
                errors += [FieldError(f"{path}.{name}", "unknown field") for name in names]
            elif text.startswith(_NESTED):
                # A nested govkit object reported its own fields: prefix their paths.
                for line in text.removeprefix(_NESTED).split(_LINE):
                    inner, _, why = line.partition(_SEP)
                    errors.append(FieldError(path + inner.removeprefix("$"), why))
            else:
                errors.append(FieldError(path=path or "$", message=text or message))
        return errors
    if isinstance(exc, InvalidDefinitionError | InvalidTimeError):
        return [_definition_error(exc)]
    return [FieldError(path="$", message=str(exc))]


def _describe(exc: BaseException, _type: Any) -> str:
    if isinstance(exc, cattrs.ForbiddenExtraKeysError):
        return _UNKNOWN + ",".join(sorted(exc.extra_fields))
    if isinstance(exc, DeserializationError):
        return _NESTED + _LINE.join(f"{e.path}{_SEP}{e.message}" for e in exc.errors)
    if isinstance(exc, InvalidDefinitionError | InvalidTimeError):
        return _message(exc)
    if isinstance(exc, GovkitError):
        return str(exc)
    if isinstance(exc, KeyError):
        return "required field missing"
    return f"{type(exc).__name__}: {exc}"


def _type_name(cls: Any) -> str:
    # "datetime.timedelta | govkit.calendar._durations.BusinessHours" -> "timedelta | BusinessHours"
    return getattr(cls, "__name__", None) or re.sub(r"\b[\w.]+\.(\w+)", r"\1", str(cls))


def structure(data: Any, cls: type[T], *, converter: cattrs.Converter | None = None) -> T:
    """Build a ``cls`` from plain data, or raise one error listing every bad field.

    Raises:
        DeserializationError: with one :class:`~govkit.errors.FieldError` per bad field.
    """
    try:
        return (converter or _default()).structure(data, cls)
    except (cattrs.BaseValidationError, GovkitError, ValueError, TypeError) as exc:
        raise DeserializationError(_type_name(cls), _field_errors(exc)) from exc


def to_json(obj: object, *, converter: cattrs.Converter | None = None) -> str:
    """Serialize a govkit object to a JSON string (UTF-8, keys in definition order)."""
    return json.dumps(unstructure(obj, converter=converter), ensure_ascii=False)


def from_json(text: str, cls: type[T], *, converter: cattrs.Converter | None = None) -> T:
    """Load a ``cls`` from a JSON string.

    Raises:
        DeserializationError: the text is not JSON, or fields are missing, unknown or invalid.
    """
    return _load(text, cls, json.loads, json.JSONDecodeError, "JSON", converter)


def from_toml(text: str, cls: type[T], *, converter: cattrs.Converter | None = None) -> T:
    """Load a ``cls`` from TOML text (policy files are usually written in TOML).

    Raises:
        DeserializationError: the text is not TOML, or fields are missing, unknown or invalid.
    """
    return _load(text, cls, tomllib.loads, tomllib.TOMLDecodeError, "TOML", converter)


def _load(
    text: str,
    cls: type[T],
    parse: Callable[[str], Any],
    parse_error: type[Exception],
    language: str,
    converter: cattrs.Converter | None,
) -> T:
    try:
        data = parse(text)
    except parse_error as exc:
        problem = FieldError("$", f"not {language}: {exc}")
        raise DeserializationError(_type_name(cls), [problem]) from exc
    return structure(data, cls, converter=converter)


def canonical_json(data: Any) -> str:
    """The canonical JSON text of plain data: sorted keys, no spaces, UTF-8 kept."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
