"""File naming rules: format, parse, validate and load from TOML (R-RET-3)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govkit.errors import DeserializationError, InvalidDefinitionError
from govkit.retention import NamingRule
from govkit.serialization import from_json, from_toml, to_json

FAST = settings(max_examples=80, deadline=None)

COMPLAINTS = NamingRule(
    "{complaint_no}-{dept}-{date:%Y%m%d}",
    patterns={"complaint_no": r"C-\d{4}-\d{4}", "dept": "[a-z]+"},
)
POLICY_NAME = "C-2026-1123-complaints-20261123"


def test_policy_example_formats_and_parses() -> None:
    """R-RET-3: the policy's 'complaint number-department-date' name builds and reads back."""
    values = {"complaint_no": "C-2026-1123", "dept": "complaints", "date": date(2026, 11, 23)}
    assert COMPLAINTS.format(**values) == POLICY_NAME
    assert COMPLAINTS.parse(POLICY_NAME) == values
    assert COMPLAINTS.matches(POLICY_NAME)
    COMPLAINTS.validate(POLICY_NAME)
    assert COMPLAINTS.fields == ("complaint_no", "dept", "date")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "C-2026-1123-complaints-2026113",
            "date: expected %Y%m%d such as 20261123, got '2026113'",
        ),
        (
            "C-2026-1123-complaints-20261131",
            "date: expected %Y%m%d such as 20261123, got '20261131'",
        ),
        (
            "C-2026-113-complaints-20261123",
            r"complaint_no: expected text matching 'C-\\d{4}-\\d{4}', got 'C-2026-113'",
        ),
        (
            "C-2026-1123-Complaints-20261123",
            "dept: expected text matching '[a-z]+', got 'Complaints'",
        ),
        (
            "C-2026-1123_complaints_20261123",
            "name: expected a name of the form '{complaint_no}-{dept}-{date:%Y%m%d}', "
            "got 'C-2026-1123_complaints_20261123'",
        ),
    ],
)
def test_validate_names_the_wrong_part(name: str, message: str) -> None:
    """R-RET-3: a bad name is refused naming the part that is wrong and what was expected."""
    with pytest.raises(InvalidDefinitionError) as caught:
        COMPLAINTS.validate(name)
    assert str(caught.value) == message
    assert not COMPLAINTS.matches(name)


def test_text_fields_without_pattern_stop_at_the_separator() -> None:
    """R-RET-3: a text field without a pattern is delimited by the separator after it."""
    rule = NamingRule("{dept}_{topic}-{date:%Y-%m-%d}")
    assert rule.parse("quality_weekly review-2026-11-23") == {
        "dept": "quality",
        "topic": "weekly review",
        "date": date(2026, 11, 23),
    }
    with pytest.raises(InvalidDefinitionError, match="topic: expected text without '-'"):
        rule.validate("quality_weekly-review-2026-11-23")
    with pytest.raises(InvalidDefinitionError, match="dept: expected text without") as caught:
        rule.format(dept="a_b", topic="x", date=date(2026, 1, 2))
    assert caught.value.field == "dept"
    assert rule.format(dept="qa", topic="x", date=date(2026, 1, 2)) == "qa_x-2026-01-02"
    assert not rule.matches("qa/x_y-2026-01-02")


def test_format_refuses_bad_values() -> None:
    """R-RET-3: format refuses missing, unknown and ill-fitting values, naming the field."""
    good = {"complaint_no": "C-2026-1123", "dept": "complaints", "date": date(2026, 11, 23)}
    cases: list[tuple[dict[str, object], str]] = [
        ({**good, "dept": "Complaints"}, "dept"),
        ({**good, "complaint_no": "2026-1123"}, "complaint_no"),
        ({**good, "date": "20261123"}, "date"),
        ({**good, "date": datetime(2026, 11, 23, tzinfo=ZoneInfo("Asia/Shanghai"))}, "date"),
        ({k: v for k, v in good.items() if k != "dept"}, "dept"),
        ({**good, "owner": "li"}, "owner"),
    ]
    for values, field in cases:
        with pytest.raises(InvalidDefinitionError) as caught:
            COMPLAINTS.format(**values)
        assert caught.value.field == field


def test_format_refuses_a_name_that_reads_back_differently() -> None:
    """R-RET-3: a pattern overlapping a separator cannot produce an ambiguous name."""
    rule = NamingRule("{a}-{b}", patterns={"a": "[a-z-]+", "b": "[a-z-]+"})
    assert rule.format(a="x", b="y") == "x-y"
    with pytest.raises(InvalidDefinitionError) as caught:
        rule.format(a="x", b="y-z")  # would read back as a="x-y", b="z"
    assert caught.value.field == "name"


@pytest.mark.parametrize(
    "template",
    ["{a}{b}", "{a", "a}", "{a}-{a}", "{a:%Q%m%d}", "{a:%Y%m}", "{a!r}", "{a.b}", "{}", "x", ""],
)
def test_bad_templates_are_refused(template: str) -> None:
    """R-RET-3: unbalanced braces, repeats, unknown specs and adjacent fields are refused."""
    with pytest.raises(InvalidDefinitionError) as caught:
        NamingRule(template)
    assert caught.value.field == "template"


def test_bad_patterns_are_refused() -> None:
    """R-RET-3: patterns must name text fields of the template and compile."""
    for patterns, field in [
        ({"owner": "[a-z]+"}, "patterns.owner"),
        ({"date": r"\d+"}, "patterns.date"),
        ({"dept": "[a-z"}, "patterns.dept"),
        ({"dept": ""}, "patterns.dept"),
    ]:
        with pytest.raises(InvalidDefinitionError) as caught:
            NamingRule("{dept}-{date:%Y%m%d}", patterns=patterns)
        assert caught.value.field == field


def test_rule_is_frozen() -> None:
    """R-RET-3: a naming rule is a frozen value."""
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        COMPLAINTS.template = "{x}"  # type: ignore[misc]  # proving that it is frozen


def test_loads_from_toml_and_round_trips_json() -> None:
    """R-RET-3: a naming rule loads from a TOML policy file and round-trips through JSON."""
    text = """
    template = "{complaint_no}-{dept}-{date:%Y%m%d}"
    [patterns]
    complaint_no = 'C-\\d{4}-\\d{4}'
    dept = "[a-z]+"
    """
    rule = from_toml(text, NamingRule)
    assert rule == COMPLAINTS
    assert from_json(to_json(rule), NamingRule) == rule


def test_toml_reports_unknown_and_bad_fields() -> None:
    """R-RET-3: loading reports an unknown field and a bad template by path."""
    with pytest.raises(DeserializationError) as caught:
        from_toml('template = "{a}{b}"\nformat = "x"', NamingRule)
    paths = {e.path for e in caught.value.errors}
    assert paths == {"$.format", "$.template"}


# Any text but the path separators: the last field of the template has no separator after it.
TEXT = st.text(st.characters(exclude_characters="/\\", exclude_categories=["Cs"]), min_size=1)


@FAST
@given(
    no=st.from_regex(r"C-[0-9]{4}-[0-9]{4}", fullmatch=True),
    dept=st.from_regex(r"[a-z]+", fullmatch=True),
    day=st.dates(),
    topic=TEXT,
)
def test_parse_inverts_format(no: str, dept: str, day: date, topic: str) -> None:
    """R-RET-3: parse(format(v)) == v for every value that fits the rule."""
    rule = NamingRule(
        "{no}-{dept}-{date:%Y%m%d}_{topic}",
        patterns={"no": r"C-\d{4}-\d{4}", "dept": "[a-z]+"},
    )
    values = {"no": no, "dept": dept, "date": day, "topic": topic}
    name = rule.format(**values)
    assert rule.parse(name) == values
    assert rule.matches(name)
