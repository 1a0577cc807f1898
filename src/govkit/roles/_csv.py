"""The permission matrix as a table: one grant per row (private).

The yearly table a compliance officer keeps in a spreadsheet *is* the policy:
columns ``role, resource, action, limit`` and an optional ``effect``
(``allow``/``deny``). Errors name the source, the row and the column.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from decimal import Decimal

from govkit._tables import open_table
from govkit.errors import DeserializationError, FieldError, InvalidDefinitionError
from govkit.roles._model import Effect, Grant, parse_limit

__all__ = ["COLUMNS", "grants_from_csv", "grants_to_csv"]

COLUMNS = ("role", "resource", "action", "limit", "effect")
_REQUIRED = ("role", "resource", "action", "limit")  # columns every table has
_FILLED = ("role", "resource", "action")  # cells that may not be empty (no limit: empty)


def grants_from_csv(text: str, *, source: str) -> list[Grant]:
    """Read grants from CSV text; raise one error listing every bad cell."""
    header, reader = open_table(
        text,
        source=source,
        kind="RoleMatrix",
        columns=COLUMNS,
        required=_REQUIRED,
        note="effect is optional",
    )
    errors: list[FieldError] = []
    grants = []
    for row_number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue  # blank line
        where = f"{source}: row {row_number}"
        if len(cells) > len(header):
            errors.append(FieldError(where, f"{len(cells)} cells for {len(header)} columns"))
            continue
        row = {column: cell.strip() for column, cell in zip(header, cells, strict=False)}
        bad = [FieldError(f"{where}, column {c}", "empty cell") for c in _FILLED if not row.get(c)]
        limit: Decimal | None = None
        try:
            limit = parse_limit(row.get("limit", "").replace(",", "") or None)
        except InvalidDefinitionError as exc:
            bad.append(
                FieldError(f"{where}, column limit", f"expected {exc.expected}, got {exc.got!r}")
            )
        effect = Effect.ALLOW
        try:
            effect = Effect(row.get("effect") or "allow")
        except ValueError:
            bad.append(
                FieldError(
                    f"{where}, column effect", f"expected allow or deny, got {row['effect']!r}"
                )
            )
        if effect is Effect.DENY and limit is not None:
            bad.append(FieldError(f"{where}, column limit", "a deny grant takes no limit"))
        if bad:
            errors.extend(bad)
            continue
        grants.append(
            Grant(row["role"], row["action"], row["resource"], limit=limit, effect=effect)
        )
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
