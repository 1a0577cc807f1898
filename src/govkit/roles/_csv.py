"""The permission matrix as a table: one grant per row (private).

The yearly table a compliance officer keeps in a spreadsheet *is* the policy:
columns ``role, resource, action, limit`` and an optional ``effect``
(``allow``/``deny``). Errors name the source, the row and the column.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from govkit.errors import DeserializationError, FieldError, InvalidDefinitionError
from govkit.roles._model import Grant

__all__ = ["COLUMNS", "grants_from_csv", "grants_to_csv"]

COLUMNS = ("role", "resource", "action", "limit", "effect")
_REQUIRED = ("role", "resource", "action")


def grants_from_csv(text: str, *, source: str) -> list[Grant]:
    """Read grants from CSV text; raise one error listing every bad cell."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip() for h in reader.fieldnames or []]
    errors: list[FieldError] = []
    missing = [c for c in _REQUIRED if c not in header]
    unknown = [c for c in header if c not in COLUMNS]
    if missing or unknown:
        problems = []
        if missing:
            problems.append(f"missing column(s) {', '.join(missing)}")
        if unknown:
            problems.append(f"unknown column(s) {', '.join(unknown)}")
        expected = ", ".join(COLUMNS)
        errors.append(
            FieldError(f"{source}: row 1", f"{'; '.join(problems)} (expected {expected})")
        )
        raise DeserializationError("RoleMatrix", errors)
    grants = []
    for row_number, raw in enumerate(reader, start=2):
        row = {k.strip(): (v or "").strip() for k, v in raw.items() if k is not None}
        if None in raw:
            errors.append(FieldError(f"{source}: row {row_number}", "more cells than columns"))
            continue
        if not any(row.values()):
            continue  # blank line
        for column in _REQUIRED:
            if not row.get(column):
                errors.append(
                    FieldError(f"{source}: row {row_number}, column {column}", "empty cell")
                )
        if any(not row.get(c) for c in _REQUIRED):
            continue
        try:
            grant = Grant(
                row["role"],
                row["action"],
                row["resource"],
                limit=(row.get("limit") or "").replace(",", "") or None,
                effect=row.get("effect") or "allow",
            )
        except (InvalidDefinitionError, ValueError) as exc:
            column = exc.field if isinstance(exc, InvalidDefinitionError) else "effect"
            column = column if column in COLUMNS else "limit"
            message = (
                f"expected {exc.expected}, got {exc.got!r}"
                if isinstance(exc, InvalidDefinitionError)
                else f"expected allow or deny, got {row.get('effect')!r}"
            )
            errors.append(FieldError(f"{source}: row {row_number}, column {column}", message))
            continue
        grants.append(grant)
    if errors:
        raise DeserializationError("RoleMatrix", errors)
    return grants


def grants_to_csv(grants: Iterable[Grant]) -> str:
    """Write grants as CSV text with the standard header."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for g in grants:
        limit = "" if g.limit is None else str(g.limit)
        writer.writerow([g.role, g.resource, g.action, limit, g.effect.value])
    return out.getvalue()
