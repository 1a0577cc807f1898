"""Role matrices through JSON and TOML with govkit.serialization; bad data lists its bad fields."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from govkit.audit import Event
from govkit.errors import DeserializationError
from govkit.roles import (
    Assignment,
    Decision,
    DynamicSeparation,
    Effect,
    Grant,
    RaciActivity,
    RaciMatrix,
    Role,
    RoleMatrix,
    StaticSeparation,
)
from govkit.serialization import from_json, from_toml, to_json, unstructure

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 23, 10, tzinfo=SH)
POLICIES = Path(__file__).resolve().parents[2] / "examples" / "policies"

MATRIX = RoleMatrix(
    name="complaint-office",
    version=2026,
    effective_from=date(2026, 1, 1),
    effective_until=date(2026, 12, 31),
    roles=[
        Role("specialist", description="receives and handles complaints"),
        Role("department-head", inherits=["specialist"]),
        Role("director", inherits=["department-head"]),
        Role("finance"),
        Role("operations-committee"),
        Role("emergency-group"),
        Role("author"),
        Role("reviewer"),
    ],
    grants=[
        Grant("specialist", "handle", "complaint"),
        Grant("department-head", "approve", "purchase", limit=Decimal("49999.99")),
        Grant("director", "approve", "purchase"),
        Grant("director", "appoint", "major-post", effect=Effect.DENY),
        Grant("operations-committee", "appoint", "major-post"),
        Grant("emergency-group", "act", "incident"),
    ],
    assignments=[
        Assignment("zhao", "director", "company"),
        Assignment("qian", "department-head", "company/complaints"),
        Assignment(
            "wang",
            "emergency-group",
            "company",
            valid_from=datetime(2026, 6, 10, 9, tzinfo=SH),
            valid_until=datetime(2026, 6, 17, 9, tzinfo=SH),
            reason="emergency",
        ),
        Assignment("zheng", "finance", "company"),
        Assignment("feng", "operations-committee", "company"),
    ],
    users=["zhao", "qian", "wang", "zheng", "feng", "li"],
    static_rules=[StaticSeparation("budget apart", ["finance", "department-head"])],
    dynamic_rules=[DynamicSeparation("double review", ["author", "reviewer"], n=2)],
)


def test_matrix_round_trips_through_json() -> None:
    """A matrix written with to_json reads back equal, and writes the same text again."""
    text = to_json(MATRIX)
    again = from_json(text, RoleMatrix)
    assert again == MATRIX
    assert to_json(again) == text


def test_round_tripped_matrix_decides_alike() -> None:
    """The matrix read back gives the same decisions, with the same explanations."""
    again = from_json(to_json(MATRIX), RoleMatrix)
    requests: list[tuple[str, str, str, str, datetime, int | None]] = [
        ("qian", "approve", "purchase", "company/complaints", NOW, 49_999),
        ("qian", "approve", "purchase", "company/complaints", NOW, 50_000),
        ("zhao", "appoint", "major-post", "company", NOW, None),
        ("wang", "act", "incident", "company", datetime(2026, 6, 12, tzinfo=SH), None),
        ("wang", "act", "incident", "company", NOW, None),
    ]
    for user, action, resource, scope, at, amount in requests:
        mine = MATRIX.check(user, action, resource, scope=scope, at=at, amount=amount)
        theirs = again.check(user, action, resource, scope=scope, at=at, amount=amount)
        assert mine == theirs
        assert mine.explain() == theirs.explain()
    assert again.who_can("appoint", "major-post", scope="company", at=NOW) == {"feng"}


def test_wire_form() -> None:
    """Limits are strings, effects their values, instants keep their IANA zone, no index leaks."""
    data = json.loads(to_json(MATRIX))
    assert list(data) == [
        "name",
        "version",
        "effective_from",
        "effective_until",
        "roles",
        "grants",
        "assignments",
        "users",
        "static_rules",
        "dynamic_rules",
    ]
    assert data["effective_from"] == "2026-01-01"
    assert data["roles"][1] == {
        "name": "department-head",
        "inherits": ["specialist"],
        "description": "",
    }
    assert data["grants"][1]["limit"] == "49999.99"
    assert data["grants"][3] == {
        "role": "director",
        "action": "appoint",
        "resource": "major-post",
        "limit": None,
        "effect": "deny",
    }
    assert data["assignments"][2]["valid_until"] == "2026-06-17T09:00:00+08:00[Asia/Shanghai]"
    assert data["static_rules"] == [
        {"name": "budget apart", "roles": ["finance", "department-head"], "n": 2}
    ]


def test_minimal_matrix_reads_with_defaults() -> None:
    """Only the name is required; the rest defaults as in the constructor."""
    assert from_json('{"name": "empty"}', RoleMatrix) == RoleMatrix(name="empty")


def test_example_policy_files_round_trip() -> None:
    """R-ROL-1: the example roles.toml plus the yearly CSV table round-trip through JSON."""
    base = from_toml((POLICIES / "roles.toml").read_text(encoding="utf-8"), RoleMatrix)
    table = (POLICIES / "permission_matrix.csv").read_text(encoding="utf-8")
    matrix = RoleMatrix.from_csv(table, source="permission_matrix.csv", base=base)
    assert len(matrix.grants) > 20
    assert from_json(to_json(matrix), RoleMatrix) == matrix
    assert RoleMatrix.from_csv(matrix.to_csv(), base=matrix) == matrix


def test_change_events_round_trip() -> None:
    """The events of an administrative change serialize and read back equal."""
    _, events = MATRIX.assign(Assignment("li", "specialist", "company"), at=NOW, actor="hr")
    assert from_json(to_json(events[0]), Event) == events[0]


def test_decision_and_raci_serialize() -> None:
    """Decisions and RACI matrices are plain data too."""
    decision = MATRIX.check("zhao", "approve", "purchase", scope="company", at=NOW)
    data = unstructure(decision)
    assert data["allowed"] is True
    assert data["chain"] == ["director"]
    raci = RaciMatrix(
        name="major complaint",
        activities=[RaciActivity(name="investigate", parties={"complaints": "A", "quality": "R"})],
    )
    assert from_json(to_json(raci), RaciMatrix) == raci
    assert from_json(to_json(decision), Decision) == decision


# -- bad data -------------------------------------------------------------------------


def paths_of(data: Any) -> dict[str, str]:
    """Path -> message of every bad field loading ``data`` reports."""
    with pytest.raises(DeserializationError) as caught:
        from_json(json.dumps(data), RoleMatrix)
    assert caught.value.target == "RoleMatrix"
    return {e.path: e.message for e in caught.value.errors}


def test_bad_matrix_lists_every_bad_field_with_its_path() -> None:
    """One DeserializationError names every bad field of a matrix, however deep."""
    bad = {
        "name": "office",
        "version": "2",
        "effective_from": "2026-13-01",
        "roles": [{"name": "a", "colour": "red"}, {"name": " b"}],
        "grants": [
            {"role": "a", "action": "read", "resource": "f", "limit": "fifty"},
            {"role": "a", "action": "read", "resource": "f", "effect": "maybe"},
            {"role": "a", "action": "read", "resource": "f", "limit": 5, "effect": "deny"},
        ],
        "assignments": [
            {"user": "u", "role": "a", "scope": "company//quality"},
            {"user": "u", "role": "a", "scope": "c", "valid_from": "2026-01-01T00:00:00"},
            {"user": "u", "role": "a"},
        ],
        "static_rules": [{"name": "s", "roles": ["a", "b"], "n": 1}],
    }
    errors = paths_of(bad)
    assert sorted(errors) == [
        "$.assignments[0].scope",
        "$.assignments[1].valid_from",
        "$.assignments[2].scope",
        "$.effective_from",
        "$.grants[0].limit",
        "$.grants[1].effect",
        "$.grants[2].limit",
        "$.roles[0].colour",
        "$.roles[1].name",
        "$.static_rules[0].n",
        "$.version",
    ]
    assert errors["$.roles[0].colour"] == "unknown field"
    assert errors["$.assignments[2].scope"] == "required field missing"
    assert "timezone-aware" in errors["$.assignments[1].valid_from"]
    assert "'company//quality'" in errors["$.assignments[0].scope"]


@pytest.mark.parametrize(
    ("data", "path", "mentions"),
    [
        (
            {"roles": [{"name": "a"}], "grants": [{"role": "b", "action": "x", "resource": "y"}]},
            "$.grants[0].role",
            "'b'",
        ),
        (
            {"roles": [{"name": "a"}], "assignments": [{"user": "u", "role": "b", "scope": "c"}]},
            "$.assignments[0].role",
            "'b'",
        ),
        (
            {"roles": [{"name": "a"}, {"name": "director", "inherits": ["a", "head"]}]},
            "$.roles[1].inherits[1]",
            "'head'",
        ),
        (
            {
                "roles": [{"name": "a", "inherits": ["b"]}, {"name": "b", "inherits": ["a"]}],
            },
            "$.roles",
            "a -> b -> a",
        ),
        (
            {
                "roles": [{"name": "a"}, {"name": "b"}],
                "assignments": [
                    {"user": "u", "role": "a", "scope": "c"},
                    {"user": "u", "role": "b", "scope": "c/d"},
                ],
                "static_rules": [{"name": "sod", "roles": ["a", "b"]}],
            },
            "$.static_rules[0]",
            "u holds",
        ),
        (
            {
                "roles": [{"name": "a"}],
                "users": ["v"],
                "assignments": [{"user": "u", "role": "a", "scope": "c"}],
            },
            "$.assignments[0].user",
            "'u'",
        ),
    ],
)
def test_rules_spanning_fields_are_reported_with_a_path(
    data: dict[str, Any], path: str, mentions: str
) -> None:
    """Unknown references, cycles and separation violations in JSON name where they are."""
    errors = paths_of({"name": "office", **data})
    assert list(errors) == [path]
    assert mentions in errors[path]


@pytest.mark.parametrize(
    ("data", "path"),
    [
        ({"roles": [{"name": "director", "inherits": "head"}]}, "$.roles[0].inherits"),
        ({"users": "zhao"}, "$.users"),
        (
            {
                "roles": [{"name": "a"}, {"name": "b"}],
                "static_rules": [{"name": "s", "roles": "ab"}],
            },
            "$.static_rules[0].roles",
        ),
    ],
)
def test_a_string_where_a_list_is_expected_is_refused(data: dict[str, Any], path: str) -> None:
    """A bare string for a list of names is an error, not a list of its characters."""
    errors = paths_of({"name": "office", **data})
    assert path in errors


def test_text_that_is_not_json_is_refused() -> None:
    """Broken JSON is one error at $."""
    with pytest.raises(DeserializationError) as caught:
        from_json('{"name": "office",', RoleMatrix)
    (error,) = caught.value.errors
    assert error.path == "$"
    assert error.message.startswith("not JSON")
