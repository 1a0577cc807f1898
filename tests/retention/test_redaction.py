"""Redaction rules: mask fields and patterns, keep proof, load from TOML (R-RET-6)."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govkit.errors import DeserializationError, InvalidDefinitionError
from govkit.retention import RedactionRule
from govkit.serialization import from_json, from_toml, to_json

FAST = settings(max_examples=80, deadline=None)

# The ID card pattern comes first: an 18-digit ID contains 11 digits that look like a phone.
RULE = RedactionRule(
    fields=["customer.name", "contacts.email", "salary"],
    patterns={"id_card": r"\d{17}[\dX]", "phone": r"1\d{10}"},
)

REPORT: dict[str, Any] = {
    "title": "Complaint C-2026-1123",
    "customer": {"name": "Zhang San", "id": "11010119900307123X", "level": 3},
    "contacts": [
        {"email": "zs@example.com", "note": "call 13812345678 or 13987654321"},
        {"email": "li@example.com"},
    ],
    "salary": 12000,
    "summary": "ID 11010119900307123X, phone 13812345678",
}


def test_sensitive_report_is_desensitized() -> None:
    """R-RET-6: fields are masked entirely and pattern matches in every string are masked."""
    result = RULE.apply(REPORT)
    assert result.data == {
        "title": "Complaint C-2026-1123",
        "customer": {"name": "***", "id": "***", "level": 3},
        "contacts": [
            {"email": "***", "note": "call *** or ***"},
            {"email": "***"},
        ],
        "salary": "***",
        "summary": "ID ***, phone ***",
    }


def test_record_is_proof_without_the_original_values() -> None:
    """R-RET-6: the record names the masked paths and pattern counts, never the values."""
    result = RULE.apply(REPORT)
    assert result.fields == ("customer.name", "contacts[0].email", "contacts[1].email", "salary")
    assert dict(result.patterns) == {"id_card": 2, "phone": 3}
    proof = result.explain() + repr(result.fields) + repr(result.patterns)
    for secret in ("Zhang", "13812345678", "11010119900307123X", "zs@example.com", "12000"):
        assert secret not in proof
    assert result.explain() == (
        "masked fields: customer.name, contacts[0].email, contacts[1].email, salary; "
        "pattern matches: id_card x2, phone x3"
    )


def test_input_is_never_changed() -> None:
    """R-RET-6: redaction works on a copy; the report the host holds stays as it was."""
    before = copy.deepcopy(REPORT)
    RULE.apply(REPORT)
    assert before == REPORT


def test_keep_last_keeps_the_tail_of_pattern_matches_only() -> None:
    """R-RET-6: keep_last shows the last digits of a match; masked fields stay fully hidden."""
    rule = RedactionRule(fields=["name"], patterns={"phone": r"1\d{10}"}, mask="#", keep_last=4)
    result = rule.apply({"name": "Zhang San", "phone": "13812345678", "short": "x"})
    assert result.data == {"name": "#", "phone": "#5678", "short": "x"}
    assert RedactionRule(patterns={"code": "[A-Z]{3}"}, keep_last=3).apply(
        {"code": "ABC"}
    ).data == {"code": "***"}


def test_absent_paths_are_skipped_and_non_strings_untouched_by_patterns() -> None:
    """R-RET-6: a missing path masks nothing; numbers are masked only when named in fields."""
    result = RULE.apply({"phone_as_number": 13812345678, "customer": "not a mapping"})
    assert result.data == {"phone_as_number": 13812345678, "customer": "not a mapping"}
    assert result.fields == ()
    assert dict(result.patterns) == {"id_card": 0, "phone": 0}


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({}, "fields"),
        ({"fields": "customer.name"}, "fields"),
        ({"fields": ["customer..name"]}, "fields[0]"),
        ({"fields": ["a", "a"]}, "fields"),
        ({"fields": [1]}, "fields[0]"),
        ({"patterns": {"phone": "1[0-9"}}, "patterns.phone"),
        ({"patterns": {"any": ".*"}}, "patterns.any"),
        ({"patterns": ["1\\d{10}"]}, "patterns"),
        ({"fields": ["a"], "mask": ""}, "mask"),
        ({"fields": ["a"], "keep_last": -1}, "keep_last"),
        ({"fields": ["a"], "keep_last": True}, "keep_last"),
    ],
)
def test_bad_rules_are_refused(kwargs: dict[str, Any], field: str) -> None:
    """R-RET-6: a malformed rule is refused at construction, naming the field."""
    with pytest.raises(InvalidDefinitionError) as caught:
        RedactionRule(**kwargs)
    assert caught.value.field == field


def test_apply_refuses_a_non_mapping() -> None:
    """R-RET-6: only a mapping can be redacted."""
    with pytest.raises(InvalidDefinitionError) as caught:
        RULE.apply(["13812345678"])  # type: ignore[arg-type]  # proving the check
    assert caught.value.field == "data"


def test_loads_from_toml_and_round_trips_json() -> None:
    """R-RET-6: a redaction rule loads from a TOML policy file and round-trips through JSON."""
    text = """
    fields = ["customer.name", "contacts.email", "salary"]
    [patterns]
    id_card = '\\d{17}[\\dX]'
    phone = '1\\d{10}'
    """
    rule = from_toml(text, RedactionRule)
    assert rule == RULE
    assert list(rule.patterns) == ["id_card", "phone"]
    assert from_json(to_json(rule), RedactionRule) == rule


def test_toml_reports_unknown_and_bad_fields() -> None:
    """R-RET-6: loading reports an unknown field and a bad value by path."""
    with pytest.raises(DeserializationError) as caught:
        from_toml('fields = ["a"]\nkeep_last = -2\nmask_text = "#"', RedactionRule)
    assert {e.path for e in caught.value.errors} == {"$.mask_text", "$.keep_last"}


@FAST
@given(
    words=st.lists(st.text(st.characters(codec="ascii"), max_size=8), max_size=5),
    phones=st.lists(st.from_regex(r"1[0-9]{10}", fullmatch=True), min_size=1, max_size=4),
)
def test_no_phone_survives(words: list[str], phones: list[str]) -> None:
    """R-RET-6: after redaction no phone number is left in any string, and the input is kept."""
    text = " ".join(w + " " + p for w, p in zip(words + [""] * len(phones), phones, strict=False))
    data = {"note": text, "nested": [{"x": text}]}
    before = copy.deepcopy(data)
    result = RedactionRule(patterns={"phone": r"1\d{10}"}).apply(data)
    assert data == before
    assert not re.search(r"1\d{10}", repr(result.data))
    assert result.patterns["phone"] >= 2 * len(phones)
