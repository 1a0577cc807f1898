"""The permission table as CSV (R-ROL-1): reading, errors naming source/row/column, round trips."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from govkit.errors import DeserializationError, FieldError
from govkit.roles import (
    Assignment,
    DynamicSeparation,
    Effect,
    Grant,
    Role,
    RoleMatrix,
    StaticSeparation,
)

NOW = datetime(2026, 11, 23, 2, tzinfo=UTC)

TABLE = """\
role,resource,action,limit,effect
specialist,complaint,handle,,allow
department-head,purchase,approve,"50,000",allow
director,purchase,approve,,allow
director,contract-archive,read,,
director,major-post,appoint,,deny
legal,contract-archive,read,,allow
operations-committee,major-post,appoint,,allow
"""

ROLES = [
    Role("specialist"),
    Role("department-head", inherits=["specialist"]),
    Role("director", inherits=["department-head"]),
]


def errors_of(text: str, source: str = "matrix-2026.csv") -> list[FieldError]:
    """The field errors reading ``text`` raises."""
    with pytest.raises(DeserializationError) as caught:
        RoleMatrix.from_csv(text, name="office", source=source)
    assert caught.value.target == "RoleMatrix"
    return list(caught.value.errors)


def test_r_rol_1_table_becomes_grants() -> None:
    """R-ROL-1: each row is a grant; "50,000" reads as 50000; an empty effect means allow."""
    matrix = RoleMatrix.from_csv(TABLE, name="office", source="matrix-2026.csv", roles=ROLES)
    assert matrix.grants == (
        Grant("specialist", "handle", "complaint"),
        Grant("department-head", "approve", "purchase", limit=Decimal(50_000)),
        Grant("director", "approve", "purchase"),
        Grant("director", "read", "contract-archive"),
        Grant("director", "appoint", "major-post", effect=Effect.DENY),
        Grant("legal", "read", "contract-archive"),
        Grant("operations-committee", "appoint", "major-post"),
    )


def test_roles_named_only_in_the_table_are_added_without_inheritance() -> None:
    """Declared roles keep their inheritance; table-only roles are appended as plain roles."""
    matrix = RoleMatrix.from_csv(TABLE, name="office", roles=ROLES)
    assert matrix.roles == (*ROLES, Role("legal"), Role("operations-committee"))
    bare = RoleMatrix.from_csv(TABLE, name="office")
    assert bare.inherited_roles("director") == {"director"}


def test_table_with_assignments_decides_access() -> None:
    """R-APV-5, R-ROL-2: a matrix read from the table decides tiers and archive access."""
    matrix = RoleMatrix.from_csv(
        TABLE,
        name="office",
        version=2026,
        roles=ROLES,
        assignments=[
            Assignment("qian", "department-head", "company/complaints"),
            Assignment("zhao", "director", "company"),
        ],
    )
    assert matrix.version == 2026
    scope = "company/complaints"
    assert matrix.allows("qian", "approve", "purchase", scope=scope, at=NOW, amount=50_000)
    assert not matrix.allows("qian", "approve", "purchase", scope=scope, at=NOW, amount=50_001)
    assert matrix.allows("zhao", "read", "contract-archive", scope=scope, at=NOW)
    assert not matrix.allows("zhao", "appoint", "major-post", scope="company", at=NOW)


def test_thousands_separators_and_decimals_in_limits() -> None:
    """Limits may be written 1,250,000 or 1,250.50 or 0.5."""
    text = (
        "role,resource,action,limit\n"
        'a,purchase,approve,"1,250,000"\n'
        'b,purchase,approve,"1,250.50"\n'
        "c,purchase,approve,0.5\n"
    )
    limits = [g.limit for g in RoleMatrix.from_csv(text, name="m").grants]
    assert limits == [Decimal("1250000"), Decimal("1250.50"), Decimal("0.5")]


def test_effect_column_is_optional_and_cells_are_trimmed() -> None:
    """Without an effect column every row allows; spaces around cells and a BOM are ignored."""
    text = "\ufeff role , resource , action , limit \n legal , contract-archive , read ,  \n"
    matrix = RoleMatrix.from_csv(text, name="m")
    assert matrix.grants == (Grant("legal", "read", "contract-archive"),)


def test_blank_lines_are_skipped() -> None:
    """Blank lines between rows are not grants and not errors."""
    text = (
        "role,resource,action,limit\nlegal,contract-archive,read,\n\n,,,\nhr,dispute,arbitrate,\n"
    )
    assert len(RoleMatrix.from_csv(text, name="m").grants) == 2


def test_columns_in_any_order() -> None:
    """Columns are found by header name, not position."""
    text = "effect,limit,action,resource,role\nallow,100,approve,purchase,specialist\n"
    (grant,) = RoleMatrix.from_csv(text, name="m").grants
    assert grant == Grant("specialist", "approve", "purchase", limit=100)


def test_from_csv_takes_the_rest_from_a_base_matrix() -> None:
    """from_csv(base=...) keeps the base's roles, assignments and rules and replaces the grants."""
    base = RoleMatrix(
        name="office",
        version=2025,
        effective_from=date(2025, 1, 1),
        roles=[*ROLES, Role("finance")],
        grants=[Grant("specialist", "read", "old-file")],
        assignments=[Assignment("zheng", "finance", "company")],
        static_rules=[StaticSeparation("budget apart", ["finance", "department-head"])],
    )
    matrix = RoleMatrix.from_csv(TABLE, base=base, version=2026)
    assert matrix.version == 2026
    assert matrix.effective_from == date(2025, 1, 1)
    assert matrix.assignments == base.assignments
    assert matrix.static_rules == base.static_rules
    assert Grant("specialist", "read", "old-file") not in matrix.grants
    assert [r.name for r in matrix.roles][-2:] == ["legal", "operations-committee"]


# -- errors --------------------------------------------------------------------------


def test_bad_cells_are_all_reported_with_source_row_and_column() -> None:
    """One DeserializationError lists every bad cell, each with source, row and column."""
    text = (
        "role,resource,action,limit,effect\n"
        "specialist,complaint,handle,,allow\n"
        "department-head,purchase,approve,fifty thousand,allow\n"
        "director,purchase,approve,-5,allow\n"
        "director,major-post,appoint,,maybe\n"
        ",contract-archive,read,,allow\n"
        "legal,,read,,allow\n"
        "director,post,appoint,100,deny\n"
        "hr,dispute,arbitrate,,allow,extra\n"
    )
    errors = errors_of(text)
    assert [e.path for e in errors] == [
        "matrix-2026.csv: row 3, column limit",
        "matrix-2026.csv: row 4, column limit",
        "matrix-2026.csv: row 5, column effect",
        "matrix-2026.csv: row 6, column role",
        "matrix-2026.csv: row 7, column resource",
        "matrix-2026.csv: row 8, column limit",
        "matrix-2026.csv: row 9",
    ]
    assert errors[0].message == "expected an amount such as 50000, got 'fifty thousand'"
    assert errors[2].message == "expected allow or deny, got 'maybe'"
    assert errors[3].message == "empty cell"
    assert "cells" in errors[6].message
    assert "deny" in errors[5].message


def test_every_bad_cell_of_one_row_is_reported() -> None:
    """A row with a bad limit and a bad effect yields two errors, one per cell."""
    errors = errors_of("role,resource,action,limit,effect\na,f,read,abc,maybe\n", "t.csv")
    assert [e.path for e in errors] == ["t.csv: row 2, column limit", "t.csv: row 2, column effect"]


def test_every_empty_required_cell_of_one_row_is_reported() -> None:
    """A row missing role and action yields one error for each empty cell."""
    errors = errors_of("role,resource,action,limit\n,contract-archive,,\n", "t.csv")
    assert [e.path for e in errors] == ["t.csv: row 2, column role", "t.csv: row 2, column action"]


@pytest.mark.parametrize(
    ("header", "problem"),
    [
        ("role,resource,limit", "missing column(s) action"),
        ("resource,action,limit", "missing column(s) role"),
        ("role,resource,action,limit,amount", "unknown column(s) amount"),
        ("role,resource,action,limit,Effect", "unknown column(s) Effect"),
        ("role,resources,action,limit", "missing column(s) resource; unknown column(s) resources"),
    ],
)
def test_missing_or_unknown_columns_are_reported_on_row_one(header: str, problem: str) -> None:
    """A bad header is one error on row 1 naming the missing and unknown columns."""
    (error,) = errors_of(header + "\nlegal,contract-archive,read,\n", "t.csv")
    assert error.path == "t.csv: row 1"
    assert error.message.startswith(problem)
    assert "expected role, resource, action, limit, effect" in error.message


def test_limit_column_is_required() -> None:
    """Columns are role, resource, action, limit [, effect]: a table without limit is refused."""
    (error,) = errors_of("role,resource,action\nlegal,contract-archive,read\n", "t.csv")
    assert error.path == "t.csv: row 1"
    assert error.message.startswith("missing column(s) limit")


def test_empty_text_is_a_missing_header() -> None:
    """An empty file has no header: every required column is missing."""
    (error,) = errors_of("", "empty.csv")
    assert error.path == "empty.csv: row 1"
    assert "missing column(s) role" in error.message


def test_default_source_name() -> None:
    """Without a source the errors name "<csv>"."""
    with pytest.raises(DeserializationError) as caught:
        RoleMatrix.from_csv("role,resource,action,limit\nlegal,,read,\n", name="m")
    assert caught.value.errors[0].path == "<csv>: row 2, column resource"
    assert "<csv>: row 2, column resource: empty cell" in str(caught.value)


# -- writing ---------------------------------------------------------------------------


def test_to_csv_writes_the_standard_header_and_one_row_per_grant() -> None:
    """to_csv writes role, resource, action, limit, effect and plain amounts."""
    matrix = RoleMatrix.from_csv(TABLE, name="office", roles=ROLES)
    assert matrix.to_csv().splitlines() == [
        "role,resource,action,limit,effect",
        "specialist,complaint,handle,,allow",
        "department-head,purchase,approve,50000,allow",
        "director,purchase,approve,,allow",
        "director,contract-archive,read,,allow",
        "director,major-post,appoint,,deny",
        "legal,contract-archive,read,,allow",
        "operations-committee,major-post,appoint,,allow",
    ]


def test_to_csv_round_trips_through_from_csv() -> None:
    """from_csv(to_csv(), base=m) rebuilds an equal matrix, odd names and amounts included."""
    matrix = RoleMatrix(
        name="office",
        version=2026,
        roles=[*ROLES, Role("legal, contracts"), Role('the "board"')],
        grants=[
            Grant("specialist", "handle", "complaint"),
            Grant("department-head", "approve", "purchase", limit=Decimal("49999.99")),
            Grant("director", "approve", "purchase", limit=Decimal("5E+6")),
            Grant("director", "appoint", "major-post", effect=Effect.DENY),
            Grant("legal, contracts", "read", "contract archive"),
            Grant('the "board"', "appoint", "major-post"),
        ],
        assignments=[Assignment("zhao", "director", "company")],
        dynamic_rules=[DynamicSeparation("double review", ["specialist", "legal, contracts"])],
    )
    again = RoleMatrix.from_csv(matrix.to_csv(), base=matrix)
    assert again == matrix
    assert again.to_csv() == matrix.to_csv()


def test_repeated_column_is_refused() -> None:
    """A header naming a column twice is refused instead of silently keeping the last cell."""
    errors = errors_of(
        "role,resource,action,limit,role\nlegal,contract-archive,read,,hr\n", "t.csv"
    )
    assert errors[0].path == "t.csv: row 1"
    assert "role" in errors[0].message
