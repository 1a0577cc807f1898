"""A retention schedule as a table: one record class per row (private).

Records managers keep schedules in spreadsheets; the table *is* the policy.
Errors name the source, the row and the column, all of them at once.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from typing import Any

from govkit._enums import to_enum
from govkit._tables import open_table
from govkit.calendar import Period, format_duration, parse_duration
from govkit.errors import DeserializationError, FieldError, InvalidDefinitionError
from govkit.retention._class import Action, Cutoff, LockMode, RecordClass, check_trigger
from govkit.retention._naming import NamingRule

__all__ = ["COLUMNS", "classes_from_csv", "classes_to_csv"]

COLUMNS = (
    "class",
    "period",
    "trigger",
    "cutoff",
    "year_end_month",
    "action",
    "retain",
    "lock",
    "access_roles",
    "flags",
    "applies_to",
    "naming",
    "naming_patterns",
    "description",
)
_REQUIRED = ("class", "period")
_YES = {"yes": True, "true": True, "no": False, "false": False}


def _period(text: str) -> Period:
    value = parse_duration(text, field="period")
    if not isinstance(value, Period):
        raise InvalidDefinitionError("period", "a calendar period such as '5 years'", text)
    return value


def _list(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(";") if part.strip())


def _selector(text: str) -> dict[str, str] | None:
    if not text:
        return None
    if text == "*":
        return {}
    pairs = {}
    for part in _list(text):
        key, sep, value = part.partition("=")
        if not sep or not key.strip():
            raise InvalidDefinitionError("applies_to", "'*' or 'key=value; key=value'", text)
        pairs[key.strip()] = value.strip()
    return pairs


def _retain(text: str) -> bool:
    if text.lower() not in _YES:
        raise InvalidDefinitionError("retain", "yes or no", text)
    return _YES[text.lower()]


def _month(text: str) -> int:
    if not text.isdigit():
        raise InvalidDefinitionError("year_end_month", "a month from 1 to 12", text)
    return int(text)


def _trigger(text: str) -> str:
    check_trigger(text)
    return text


_READERS: dict[str, tuple[str, Callable[[str], Any]]] = {
    "period": ("period", _period),
    "trigger": ("trigger", _trigger),
    "action": ("action", lambda text: to_enum(Action, text, "action")),
    "retain": ("retain", _retain),
    "lock": ("lock", lambda text: to_enum(LockMode, text, "lock")),
    "access_roles": ("access_roles", _list),
    "flags": ("flags", _list),
    "applies_to": ("applies_to", _selector),
    "description": ("description", str),
}


def _naming(template: str, patterns: str) -> NamingRule | None:
    """A naming rule from its template and ``field=regex; field=regex`` patterns."""
    if not template:
        if patterns:
            raise InvalidDefinitionError(
                "naming_patterns", "empty without a naming template", patterns
            )
        return None
    pairs = {}
    for part in _list(patterns):
        field, sep, regex = part.partition("=")  # a regex may itself contain '='
        if not sep or not field.strip() or not regex.strip():
            raise InvalidDefinitionError("naming_patterns", "'field=regex; field=regex'", patterns)
        pairs[field.strip()] = regex.strip()
    return NamingRule(template, patterns=pairs)


def classes_from_csv(text: str, *, source: str) -> list[RecordClass]:
    """Read record classes from CSV text; raise one error listing every bad cell."""
    header, reader = open_table(
        text,
        source=source,
        kind="RetentionSchedule",
        columns=COLUMNS,
        required=_REQUIRED,
        note="only class and period are required",
    )
    errors: list[FieldError] = []
    classes = []
    for row_number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        where = f"{source}: row {row_number}"
        if len(cells) > len(header):
            errors.append(FieldError(where, f"{len(cells)} cells for {len(header)} columns"))
            continue
        row = {column: cell.strip() for column, cell in zip(header, cells, strict=False)}
        bad: list[FieldError] = []
        if not row.get("class"):
            bad.append(FieldError(f"{where}, column class", "empty cell"))
        parts: dict[str, Any] = {}
        for column, (argument, read) in _READERS.items():
            cell = row.get(column, "")
            if not cell and column != "applies_to":
                if column == "period":
                    bad.append(FieldError(f"{where}, column period", "empty cell"))
                continue
            try:
                parts[argument] = read(cell)
            except InvalidDefinitionError as exc:
                bad.append(FieldError(f"{where}, column {column}", _why(exc)))
        try:
            parts["naming"] = _naming(row.get("naming", ""), row.get("naming_patterns", ""))
        except InvalidDefinitionError as exc:
            in_patterns = exc.field == "naming_patterns" or exc.field.startswith("patterns")
            column = "naming_patterns" if in_patterns else "naming"
            bad.append(FieldError(f"{where}, column {column}", _why(exc)))
        try:
            parts["cutoff"] = _cutoff(row.get("cutoff", ""), row.get("year_end_month", ""))
        except InvalidDefinitionError as exc:
            column = "year_end_month" if "year_end_month" in exc.field else "cutoff"
            bad.append(FieldError(f"{where}, column {column}", _why(exc)))
        if not bad:
            try:
                classes.append(RecordClass(row["class"], **parts))
            except InvalidDefinitionError as exc:
                column = exc.field.split(".")[0] if exc.field.split(".")[0] in COLUMNS else "class"
                bad.append(FieldError(f"{where}, column {column}", _why(exc)))
        errors.extend(bad)
    if errors:
        raise DeserializationError("RetentionSchedule", errors)
    return classes


def _why(exc: InvalidDefinitionError) -> str:
    return f"expected {exc.expected}, got {exc.got!r}"


def _cutoff(every: str, month: str) -> Cutoff | None:
    if not every:
        if month:
            raise InvalidDefinitionError("year_end_month", "empty without a cutoff", month)
        return None
    return Cutoff(every, year_end_month=_month(month)) if month else Cutoff(every)


def _fits_cells(c: RecordClass) -> None:
    """Refuse what a ';'-separated cell cannot hold (the table would not read back)."""
    listed = {
        "access_roles": c.access_roles,
        "flags": c.flags,
        "applies_to": [f"{k}={v}" for k, v in (c.applies_to or {}).items()],
        "naming.patterns": list(c.naming.patterns.values()) if c.naming else [],
    }
    for field, values in listed.items():
        for value in values:
            if ";" in value:
                raise InvalidDefinitionError(
                    f"{c.name}.{field}",
                    "no ';' in a value written to CSV (use TOML or JSON)",
                    value,
                )


def classes_to_csv(classes: Iterable[RecordClass]) -> str:
    """Write record classes as CSV text that :func:`classes_from_csv` reads back."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for c in classes:
        _fits_cells(c)
        selector = (
            ""
            if c.applies_to is None
            else (
                "*" if not c.applies_to else "; ".join(f"{k}={v}" for k, v in c.applies_to.items())
            )
        )
        writer.writerow(
            [
                c.name,
                format_duration(c.period),
                c.trigger,
                c.cutoff.every if c.cutoff else "",
                str(c.cutoff.year_end_month) if c.cutoff else "",
                c.action.value,
                "yes" if c.retain else "no",
                c.lock.value,
                "; ".join(c.access_roles),
                "; ".join(c.flags),
                selector,
                c.naming.template if c.naming else "",
                "; ".join(f"{k}={v}" for k, v in c.naming.patterns.items()) if c.naming else "",
                c.description,
            ]
        )
    return out.getvalue()
