"""Retention schedules as tables (CSV) and policy files (TOML, JSON)."""

from __future__ import annotations

import json

import pytest

from govkit.calendar import Period
from govkit.errors import DeserializationError, InvalidDefinitionError
from govkit.retention import (
    Action,
    Cutoff,
    LockMode,
    NamingRule,
    RecordClass,
    RetentionSchedule,
)
from govkit.serialization import from_json, from_toml, to_json

from ._world import OFFICE, record, utc

HEADER = "class,period,trigger,cutoff,year_end_month,action,retain,lock,access_roles,flags"


def from_csv(text: str, source: str = "schedule.csv") -> RetentionSchedule:
    """The office schedule read from ``text``."""
    return RetentionSchedule.from_csv(
        text, name="office-records", version=1, timezone="Asia/Shanghai", source=source
    )


def paths(error: DeserializationError) -> list[str]:
    """Where each bad field of ``error`` is."""
    return [e.path for e in error.errors]


# -- CSV -------------------------------------------------------------------------------------


def test_csv_round_trip_keeps_every_class() -> None:
    """R-RET-1: a schedule written as CSV reads back equal, class by class."""
    text = OFFICE.to_csv()
    assert text.splitlines()[0] == (
        "class,period,trigger,cutoff,year_end_month,action,retain,lock,"
        "access_roles,flags,applies_to,naming,naming_patterns,description"
    )
    assert from_csv(text) == OFFICE
    assert from_csv(text).to_csv() == text


def test_csv_round_trip_of_every_option() -> None:
    """R-RET-2: cutoffs, fiscal years, selectors, roles, flags and templates survive CSV."""
    classes = [
        RecordClass(
            "fiscal",
            Period(years=6, months=3),
            cutoff=Cutoff("quarter", year_end_month=9),
            action="transfer",
            lock="governance",
            access_roles=["legal", "director"],
            flags=["encrypted", "signed"],
            applies_to={"dept": "finance", "kind": "ledger"},
            description='Says "hello", with a comma',
        ),
        RecordClass("wipe", Period(days=30), trigger="event:closed", retain=False, applies_to={}),
        RecordClass("named", Period(months=18), naming=NamingRule("{dept}-{date:%Y%m%d}")),
    ]
    original = RetentionSchedule("s", 4, classes, timezone="UTC")
    again = RetentionSchedule.from_csv(original.to_csv(), name="s", version=4, timezone="UTC")
    assert again == original
    assert again.record_class("wipe").applies_to == {}
    assert again.record_class("fiscal").cutoff == Cutoff("quarter", year_end_month=9)


def test_csv_reads_a_spreadsheet_export() -> None:
    """R-RET-1: only class and period are required; blank rows and a BOM are ignored."""
    text = (
        "\ufeffclass,period,cutoff,year_end_month,action,retain,applies_to,flags\n"
        "signature-records,5 years,,,,,,\n"
        ",,,,,,,\n"
        "ledgers,6 years,year,9,archive,yes,dept=finance; kind=ledger,encrypted ; signed\n"
        "scratch,3 months,,,,no,*,\n"
    )
    schedule = from_csv(text)
    assert [c.name for c in schedule.classes] == ["signature-records", "ledgers", "scratch"]
    ledgers = schedule.record_class("ledgers")
    assert ledgers.cutoff == Cutoff("year", year_end_month=9)
    assert ledgers.applies_to == {"dept": "finance", "kind": "ledger"}
    assert (ledgers.action, ledgers.flags) == (Action.ARCHIVE, ("encrypted", "signed"))
    assert schedule.record_class("scratch").retain is False
    assert schedule.record_class("scratch").inclusion == "org-wide"
    decision = schedule.evaluate(
        record("L-1", metadata={"dept": "finance", "kind": "ledger"}), at=utc(2021, 1, 1)
    )
    assert decision.keep_until is not None
    assert decision.keep_until.isoformat() == "2026-09-30"


def test_csv_errors_name_file_row_and_column_all_at_once() -> None:
    """R-RET-1: every bad cell is reported in one error, with file, row and column."""
    text = (
        "class,period,cutoff,year_end_month,retain,applies_to\n"
        "ok,5 years,,,yes,\n"
        "bad,5 parsecs,quarter,13,maybe,dept\n"
        ",PT24H,,,,\n"
        "late,,,9,,\n"
    )
    with pytest.raises(DeserializationError) as caught:
        from_csv(text, source="policies/retention.csv")
    assert paths(caught.value) == [
        "policies/retention.csv: row 3, column period",
        "policies/retention.csv: row 3, column retain",
        "policies/retention.csv: row 3, column applies_to",
        "policies/retention.csv: row 3, column year_end_month",
        "policies/retention.csv: row 4, column class",
        "policies/retention.csv: row 4, column period",
        "policies/retention.csv: row 5, column period",
        "policies/retention.csv: row 5, column year_end_month",
    ]
    messages = [e.message for e in caught.value.errors]
    assert "got '5 parsecs'" in messages[0]
    assert messages[1] == "expected yes or no, got 'maybe'"
    assert "got 13" in messages[3]
    assert messages[4] == "empty cell"
    assert messages[5] == "expected a calendar period such as '5 years', got 'PT24H'"
    assert isinstance(caught.value, ValueError)
    assert "policies/retention.csv: row 3, column period" in str(caught.value)


def test_csv_reports_rules_spanning_cells_per_row() -> None:
    """R-RET-1: a rule across cells (deletion-only with a lock) names its row and column."""
    text = f"{HEADER}\na,1 year,,,,destroy,no,compliance,,\nb,1 year,,,,archive,no,,,\n"
    with pytest.raises(DeserializationError) as caught:
        from_csv(text)
    assert paths(caught.value) == [
        "schedule.csv: row 2, column lock",
        "schedule.csv: row 3, column action",
    ]


def test_csv_reports_every_bad_cell_of_a_row() -> None:
    """R-RET-1: a row with bad period, trigger, action and lock gets four errors, not one."""
    text = "class,period,trigger,action,lock\nbad,5 parsecs,whenever,shred,iron\n"
    with pytest.raises(DeserializationError) as caught:
        from_csv(text)
    assert paths(caught.value) == [
        "schedule.csv: row 2, column period",
        "schedule.csv: row 2, column trigger",
        "schedule.csv: row 2, column action",
        "schedule.csv: row 2, column lock",
    ]
    messages = [e.message for e in caught.value.errors]
    assert messages[1].endswith("got 'whenever'")
    assert messages[2].startswith("expected one of 'destroy', 'review'")
    assert messages[2].endswith("got 'shred'")
    assert messages[3] == "expected one of 'none', 'governance', 'compliance', got 'iron'"


def test_csv_reports_bad_trigger_action_and_lock_beside_good_cells() -> None:
    """R-RET-1: bad trigger, action and lock cells are reported beside other bad cells, by row."""
    text = (
        "class,period,trigger,action,lock\n"
        "a,1 year,event:closed,archive,governance\n"
        "b,5 parsecs,event:,archive,governance\n"
        ",,created,burn,governance\n"
        "d,1 year,modified,review,forever\n"
    )
    with pytest.raises(DeserializationError) as caught:
        from_csv(text)
    assert paths(caught.value) == [
        "schedule.csv: row 3, column period",
        "schedule.csv: row 3, column trigger",
        "schedule.csv: row 4, column class",
        "schedule.csv: row 4, column period",
        "schedule.csv: row 4, column action",
        "schedule.csv: row 5, column lock",
    ]


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("klass,period", "missing column(s) class; unknown column(s) klass"),
        ("class,period,class", "repeated column(s) class"),
        ("class", "missing column(s) period"),
        ("", "missing column(s) class, period"),
    ],
)
def test_csv_header_errors_are_reported_on_row_one(header: str, message: str) -> None:
    """R-RET-1: a bad header is reported once, on row 1, listing the expected columns."""
    with pytest.raises(DeserializationError) as caught:
        from_csv(f"{header}\n")
    assert paths(caught.value) == ["schedule.csv: row 1"]
    assert caught.value.errors[0].message.startswith(message)
    assert "only class and period are required" in caught.value.errors[0].message


def test_csv_row_with_too_many_cells_is_refused() -> None:
    """R-RET-1: a row longer than the header is an error, not silently cut."""
    with pytest.raises(DeserializationError) as caught:
        from_csv("class,period\na,1 year,surplus\n")
    assert [str(e) for e in caught.value.errors] == ["schedule.csv: row 2: 3 cells for 2 columns"]


def test_csv_repeated_class_is_refused() -> None:
    """R-RET-1: each class once; the schedule names the repeated one."""
    with pytest.raises(InvalidDefinitionError) as caught:
        from_csv("class,period\na,1 year\na,2 years\n")
    assert caught.value.field == "classes[1].name"


def test_naming_rules_with_patterns_survive_csv() -> None:
    """R-RET-3: a naming rule's template and field patterns are written and read back."""
    rule = NamingRule(
        "{complaint_no}-{dept}-{date:%Y%m%d}",
        patterns={"complaint_no": r"C-\d{4}-\d{4}", "dept": "[a-z]+"},
    )
    schedule = RetentionSchedule(
        "s", 1, [RecordClass("complaints", Period(years=3), naming=rule)], timezone="UTC"
    )
    again = RetentionSchedule.from_csv(schedule.to_csv(), name="s", version=1, timezone="UTC")
    assert again.record_class("complaints").naming == rule
    again.check_name(record("C-1", ["complaints"], name="C-2026-1123-complaints-20261123"))


def test_naming_patterns_without_a_template_are_refused() -> None:
    """R-RET-3: patterns need a template, and each is 'field=regex'."""
    text = "class,period,naming,naming_patterns\na,1 year,,dept=[a-z]+\nb,1 year,{dept},dept\n"
    with pytest.raises(DeserializationError) as caught:
        from_csv(text)
    assert paths(caught.value) == [
        "schedule.csv: row 2, column naming_patterns",
        "schedule.csv: row 3, column naming_patterns",
    ]


def test_naming_patterns_cell_is_written_field_by_field() -> None:
    """R-RET-3: to_csv writes 'field=regex; field=regex'; a regex may itself contain '='."""
    rule = NamingRule("{dept}-{no}", patterns={"dept": "[a-z]+(?:=[a-z]+)?", "no": r"\d{4}"})
    schedule = RetentionSchedule(
        "s", 1, [RecordClass("named", Period(years=1), naming=rule)], timezone="UTC"
    )
    text = schedule.to_csv()
    assert text.splitlines()[1].endswith(r",{dept}-{no},dept=[a-z]+(?:=[a-z]+)?; no=\d{4},")
    again = RetentionSchedule.from_csv(text, name="s", version=1, timezone="UTC")
    assert again.record_class("named").naming == rule
    read = from_csv(
        "class,period,naming,naming_patterns\na,1 year,{dept}-{no}, no = \\d+ ;dept=x\n"
    )
    assert read.record_class("a").naming == NamingRule(
        "{dept}-{no}", patterns={"no": r"\d+", "dept": "x"}
    )


def test_csv_reports_a_bad_regex_on_the_naming_patterns_column() -> None:
    """R-RET-3: a pattern that is not a regular expression is reported on its own cell."""
    text = "class,period,naming,naming_patterns\na,1 year,{dept}-{no},dept=[a-z\n"
    with pytest.raises(DeserializationError) as caught:
        from_csv(text)
    assert paths(caught.value) == ["schedule.csv: row 2, column naming_patterns"]


def test_to_csv_refuses_a_value_a_csv_cell_cannot_hold() -> None:
    """R-RET-3: a regex with ';' cannot go into a ';'-separated cell: to_csv says so, naming it."""
    rule = NamingRule("{dept}-{no}", patterns={"dept": "[^;]+", "no": r"\d+"})
    schedule = RetentionSchedule(
        "s", 1, [RecordClass("named", Period(years=1), naming=rule)], timezone="UTC"
    )
    with pytest.raises(InvalidDefinitionError) as caught:
        schedule.to_csv()
    assert caught.value.field == "named.naming.patterns"
    assert caught.value.got == "[^;]+"


# -- TOML and JSON ------------------------------------------------------------------------------

TOML = """
name = "office-records"
version = 3
timezone = "Asia/Shanghai"

[[classes]]
name = "signature-records"
period = "5 years"
lock = "compliance"
description = "R-RET-1"

[[classes]]
name = "ledgers"
period = "6 years"
cutoff = { every = "year", year_end_month = 9 }
action = "archive"
applies_to = { dept = "finance" }
flags = ["encrypted"]

[[classes]]
name = "contracts"
period = "10 years"
trigger = "event:contract_end"
access_roles = ["legal"]
naming = { template = "{contract_no}-{date:%Y%m%d}" }\n"""


def test_schedule_loads_from_toml() -> None:
    """R-RET-1: a schedule is a policy file; TOML reads into the same frozen classes."""
    schedule = from_toml(TOML, RetentionSchedule)
    assert (schedule.name, schedule.version, schedule.timezone) == (
        "office-records",
        3,
        "Asia/Shanghai",
    )
    signatures, ledgers, contracts = schedule.classes
    assert signatures == RecordClass(
        "signature-records", Period(years=5), lock="compliance", description="R-RET-1"
    )
    assert signatures.lock is LockMode.COMPLIANCE
    assert ledgers.cutoff == Cutoff("year", year_end_month=9)
    assert ledgers.applies_to == {"dept": "finance"}
    assert contracts.event == "contract_end"
    assert contracts.naming == NamingRule("{contract_no}-{date:%Y%m%d}")
    decision = schedule.evaluate(record("SIG-1", ["signature-records"]), at=utc(2020, 1, 1))
    assert decision.schedule_version == 3


def test_schedule_round_trips_json() -> None:
    """R-RET-1: to_json and from_json give back an equal schedule that decides the same."""
    schedule = from_toml(TOML, RetentionSchedule)
    for original in (schedule, OFFICE):
        text = to_json(original)
        again = from_json(text, RetentionSchedule)
        assert again == original
        assert to_json(again) == text
    data = json.loads(to_json(schedule))
    assert data["classes"][1]["cutoff"] == {"every": "year", "year_end_month": 9}
    assert data["classes"][0]["period"] == "5 years"
    assert data["classes"][0]["lock"] == "compliance"
    rec = record("L-1", metadata={"dept": "finance"})
    again = from_json(to_json(schedule), RetentionSchedule)
    assert again.evaluate(rec, at=utc(2021, 1, 1)) == schedule.evaluate(rec, at=utc(2021, 1, 1))


@pytest.mark.parametrize(
    ("extra", "path"),
    [
        ('retension = "5 years"\n', "$.classes[2].retension"),
        ("locked = true\n", "$.classes[2].locked"),
    ],
)
def test_toml_refuses_unknown_fields(extra: str, path: str) -> None:
    """R-RET-1: a misspelt field in a policy file is an error, not silently ignored."""
    with pytest.raises(DeserializationError) as caught:
        from_toml(TOML + extra, RetentionSchedule)
    assert paths(caught.value) == [path]
    assert caught.value.errors[0].message == "unknown field"


def test_toml_refuses_unknown_top_level_fields() -> None:
    """R-RET-1: unknown fields are refused at the top level too, with other errors at once."""
    text = TOML.replace('timezone = "Asia/Shanghai"', 'timezone = "Asia/Shangai"\nowner = "it"')
    with pytest.raises(DeserializationError) as caught:
        from_toml(text, RetentionSchedule)
    assert sorted(paths(caught.value)) == ["$.owner", "$.timezone"]


def test_toml_reports_every_bad_field_of_a_class() -> None:
    """R-RET-1: bad period, trigger, action and lock of one class are reported together."""
    text = TOML.replace(
        'period = "10 years"\ntrigger = "event:contract_end"',
        'period = "10 parsecs"\ntrigger = "whenever"\naction = "shred"\nlock = "iron"',
    )
    with pytest.raises(DeserializationError) as caught:
        from_toml(text, RetentionSchedule)
    assert sorted(paths(caught.value)) == [
        "$.classes[2].action",
        "$.classes[2].lock",
        "$.classes[2].period",
        "$.classes[2].trigger",
    ]


def test_toml_reports_rules_spanning_fields() -> None:
    """R-RET-1: a deletion-only class with a lock is refused, naming the class's lock field."""
    text = TOML.replace('lock = "compliance"', 'lock = "compliance"\nretain = false')
    with pytest.raises(DeserializationError) as caught:
        from_toml(text, RetentionSchedule)
    assert paths(caught.value) == ["$.classes[0].lock"]


def test_toml_names_bad_cutoff_fields() -> None:
    """R-RET-4: a bad cutoff word and month are reported at their own paths."""
    text = TOML.replace(
        'cutoff = { every = "year", year_end_month = 9 }',
        'cutoff = { every = "week", year_end_month = 13 }',
    )
    with pytest.raises(DeserializationError) as caught:
        from_toml(text, RetentionSchedule)
    assert sorted(paths(caught.value)) == [
        "$.classes[1].cutoff.every",
        "$.classes[1].cutoff.year_end_month",
    ]
    messages = [e.message for e in caught.value.errors]
    assert "expected one of 'month', 'quarter', 'year', got 'week'" in messages
    assert "expected a month from 1 to 12, got 13" in messages


def test_toml_names_a_monthly_cutoff_with_a_fiscal_year_end_at_its_field() -> None:
    """R-RET-4: a monthly cutoff with year_end_month 9 is reported at cutoff.year_end_month."""
    text = TOML.replace(
        'cutoff = { every = "year", year_end_month = 9 }',
        'cutoff = { every = "month", year_end_month = 9 }',
    )
    with pytest.raises(DeserializationError) as caught:
        from_toml(text, RetentionSchedule)
    assert paths(caught.value) == ["$.classes[1].cutoff.year_end_month"]


def test_csv_names_a_monthly_cutoff_with_a_fiscal_year_end_at_its_column() -> None:
    """R-RET-4: in CSV the same rule is reported on the year_end_month column."""
    with pytest.raises(DeserializationError) as caught:
        from_csv("class,period,cutoff,year_end_month\na,1 year,month,9\n")
    assert paths(caught.value) == ["schedule.csv: row 2, column year_end_month"]
    assert "for a monthly cutoff" in caught.value.errors[0].message
