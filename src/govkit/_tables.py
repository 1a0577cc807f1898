"""Reading policy tables (CSV) with errors that name the file, row and column (private)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence

from govkit.errors import DeserializationError, FieldError

__all__ = ["open_table"]


def open_table(
    text: str,
    *,
    source: str,
    kind: str,
    columns: Sequence[str],
    required: Sequence[str],
    note: str,
) -> tuple[list[str], Iterator[list[str]]]:
    """The header of a CSV table and a reader over its rows.

    Raises:
        DeserializationError: the header lacks a required column, has an
            unknown one or repeats one; ``note`` says what is optional.
    """
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = [cell.strip() for cell in next(reader, [])]
    problems = []
    missing = [c for c in required if c not in header]
    unknown = [c for c in header if c not in columns]
    repeated = sorted({c for c in header if header.count(c) > 1})
    if missing:
        problems.append(f"missing column(s) {', '.join(missing)}")
    if unknown:
        problems.append(f"unknown column(s) {', '.join(unknown)}")
    if repeated:
        problems.append(f"repeated column(s) {', '.join(repeated)}")
    if problems:
        message = f"{'; '.join(problems)} (expected {', '.join(columns)}; {note})"
        raise DeserializationError(kind, [FieldError(f"{source}: row 1", message)])
    return header, reader
