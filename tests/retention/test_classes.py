"""Record classes: periods, leap days, month ends, cutoffs, handling rules and bad input."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st

from govkit.calendar import Period
from govkit.errors import InvalidDefinitionError
from govkit.retention import Action, Cutoff, LockMode, NamingRule, RecordClass, RetentionSchedule

from ._world import (
    CONTRACTS,
    CUSTOMER_DATA,
    MATRIX,
    MINUTES,
    OFFICE,
    SCOPE,
    day,
    record,
    untyped,
    utc,
)

FAST = settings(max_examples=60, deadline=None)

# -- periods without a cutoff --------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "trigger", "ends"),
    [
        (Period(years=5), day(2024, 2, 29), day(2029, 2, 28)),
        (Period(years=4), day(2024, 2, 29), day(2028, 2, 29)),
        (Period(years=1), day(2023, 3, 1), day(2024, 3, 1)),
        (Period(months=1), day(2023, 1, 31), day(2023, 2, 28)),
        (Period(months=2), day(2023, 1, 31), day(2023, 3, 31)),
        (Period(months=1), day(2024, 1, 31), day(2024, 2, 29)),
        (Period(months=1), day(2023, 2, 28), day(2023, 3, 28)),
        (Period(months=12), day(2024, 2, 29), day(2025, 2, 28)),
        (Period(years=1, months=1), day(2023, 1, 31), day(2024, 2, 29)),
        (Period(days=10), day(2023, 12, 25), day(2024, 1, 4)),
        (Period(months=1, days=1), day(2023, 1, 31), day(2023, 3, 1)),
        (Period(years=76), day(2024, 2, 29), day(2100, 2, 28)),
    ],
)
def test_period_counts_from_the_trigger_day(period: Period, trigger: date, ends: date) -> None:
    """R-RET-1: a period ends on the day corresponding to the trigger (last day if none)."""
    assert RecordClass("c", period).ends(trigger) == ends


def test_months_count_from_the_anchor_not_step_by_step() -> None:
    """R-RET-1: 2023-01-31 + 2 months is 03-31, not (01-31 + 1 month) + 1 month = 03-28."""
    one_by_one = RecordClass("c", Period(months=1))
    two_at_once = RecordClass("c", Period(months=2))
    stepwise = one_by_one.ends(one_by_one.ends(day(2023, 1, 31)))
    assert stepwise == day(2023, 3, 28)
    assert two_at_once.ends(day(2023, 1, 31)) == day(2023, 3, 31)


@FAST
@given(
    start=st.dates(min_value=date(1990, 1, 1), max_value=date(2200, 12, 31)),
    years=st.integers(0, 60),
    months=st.integers(0, 30),
    days=st.integers(0, 400),
)
def test_period_is_relativedelta_from_the_anchor(
    start: date, years: int, months: int, days: int
) -> None:
    """R-RET-1: without a cutoff the end is start + relativedelta(years, months), then days."""
    if not (years or months or days):
        years = 1
    record_class = RecordClass("c", Period(years=years, months=months, days=days))
    expected = start + relativedelta(years=years, months=months) + timedelta(days=days)
    assert record_class.ends(start) == expected
    assert record_class.ends(start) > start


# -- cutoffs ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cutoff", "trigger", "closed"),
    [
        (Cutoff("month"), day(2023, 2, 1), day(2023, 2, 28)),
        (Cutoff("month"), day(2024, 2, 29), day(2024, 2, 29)),
        (Cutoff("quarter"), day(2023, 1, 1), day(2023, 3, 31)),
        (Cutoff("quarter"), day(2023, 4, 1), day(2023, 6, 30)),
        (Cutoff("quarter"), day(2023, 12, 31), day(2023, 12, 31)),
        (Cutoff("year"), day(2023, 1, 1), day(2023, 12, 31)),
        (Cutoff("year", year_end_month=9), day(2020, 10, 1), day(2021, 9, 30)),
        (Cutoff("year", year_end_month=9), day(2020, 9, 30), day(2020, 9, 30)),
        (Cutoff("year", year_end_month=6), day(2023, 7, 1), day(2024, 6, 30)),
        (Cutoff("year", year_end_month=2), day(2023, 3, 1), day(2024, 2, 29)),
        (Cutoff("quarter", year_end_month=9), day(2020, 10, 1), day(2020, 12, 31)),
        (Cutoff("quarter", year_end_month=9), day(2021, 1, 15), day(2021, 3, 31)),
        (Cutoff("quarter", year_end_month=9), day(2021, 9, 30), day(2021, 9, 30)),
        (Cutoff("quarter", year_end_month=6), day(2021, 7, 1), day(2021, 9, 30)),
        (Cutoff("quarter", year_end_month=2), day(2023, 12, 1), day(2024, 2, 29)),
        (Cutoff("quarter", year_end_month=2), day(2023, 2, 28), day(2023, 2, 28)),
        (Cutoff("quarter", year_end_month=1), day(2023, 11, 30), day(2024, 1, 31)),
    ],
)
def test_cutoff_closes_at_the_end_of_its_month_quarter_or_fiscal_year(
    cutoff: Cutoff, trigger: date, closed: date
) -> None:
    """R-RET-4: a cutoff closes the file at the end of the (fiscal) month, quarter or year."""
    assert cutoff.apply(trigger) == closed


@FAST
@given(
    trigger=st.dates(min_value=date(1990, 1, 1), max_value=date(2200, 12, 31)),
    every=st.sampled_from(["month", "quarter", "year"]),
    year_end=st.integers(1, 12),
)
def test_cutoff_is_the_first_period_end_on_or_after_the_trigger(
    trigger: date, every: Any, year_end: int
) -> None:
    """R-RET-4: the cutoff is a month end on or after the trigger, in step with the year end."""
    cutoff = Cutoff(every, year_end_month=year_end if every != "month" else 12)
    step = {"month": 1, "quarter": 3, "year": 12}[every]
    closed = cutoff.apply(trigger)
    assert closed >= trigger
    assert closed.day == calendar.monthrange(closed.year, closed.month)[1]
    assert (closed.month - cutoff.year_end_month) % step == 0
    # no earlier period end lies between the trigger and the cutoff
    months_between = (closed.year - trigger.year) * 12 + closed.month - trigger.month
    assert 0 <= months_between < step


@pytest.mark.parametrize(
    ("record_class", "trigger", "ends"),
    [
        # NARA: fiscal year ending September, destroy 6 years after cutoff
        (
            RecordClass("f", Period(years=6), cutoff=Cutoff("year", year_end_month=9)),
            day(2020, 10, 1),
            day(2027, 9, 30),
        ),
        (
            RecordClass("f", Period(years=6), cutoff=Cutoff("year", year_end_month=9)),
            day(2020, 9, 30),
            day(2026, 9, 30),
        ),
        (
            RecordClass("f", Period(years=6), cutoff=Cutoff("year", year_end_month=9)),
            day(2019, 10, 1),
            day(2026, 9, 30),
        ),
        (
            RecordClass("m", Period(months=6), cutoff=Cutoff("month")),
            day(2023, 6, 15),
            day(2023, 12, 31),
        ),
        (
            RecordClass("m", Period(months=6), cutoff=Cutoff("month")),
            day(2023, 8, 31),
            day(2024, 2, 29),
        ),
        (
            RecordClass("m", Period(months=1), cutoff=Cutoff("month")),
            day(2023, 1, 31),
            day(2023, 2, 28),
        ),
        (
            RecordClass("q", Period(years=3), cutoff=Cutoff("quarter")),
            day(2023, 2, 14),
            day(2026, 3, 31),
        ),
        (
            RecordClass("fq", Period(years=1), cutoff=Cutoff("quarter", year_end_month=9)),
            day(2020, 11, 5),
            day(2021, 12, 31),
        ),
        (
            RecordClass("y", Period(years=5), cutoff=Cutoff("year")),
            day(2024, 2, 29),
            day(2029, 12, 31),
        ),
        (
            RecordClass("y", Period(years=1), cutoff=Cutoff("year")),
            day(2023, 12, 31),
            day(2024, 12, 31),
        ),
    ],
)
def test_period_after_a_cutoff_runs_from_the_day_after_it(
    record_class: RecordClass, trigger: date, ends: date
) -> None:
    """R-RET-4: after a cutoff the period starts the next day and ends on a month end."""
    assert record_class.ends(trigger) == ends


@FAST
@given(
    trigger=st.dates(min_value=date(1990, 1, 1), max_value=date(2200, 12, 31)),
    every=st.sampled_from(["month", "quarter", "year"]),
    year_end=st.integers(1, 12),
    years=st.integers(0, 30),
    months=st.integers(0, 30),
)
def test_whole_month_periods_after_a_cutoff_end_on_a_month_end(
    trigger: date, every: Any, year_end: int, years: int, months: int
) -> None:
    """R-RET-4: cutoff + N years/months ends on the last day of a month, never before the cutoff."""
    if not (years or months):
        months = 1
    cutoff = Cutoff(every, year_end_month=year_end if every != "month" else 12)
    record_class = RecordClass("c", Period(years=years, months=months), cutoff=cutoff)
    ends = record_class.ends(trigger)
    closed = cutoff.apply(trigger)
    assert ends.day == calendar.monthrange(ends.year, ends.month)[1]
    assert ends == closed + timedelta(days=1) + relativedelta(
        years=years, months=months
    ) - timedelta(days=1)
    assert ends > closed


def test_cutoff_text_names_the_fiscal_year() -> None:
    """R-RET-4: a cutoff describes itself, naming the month a fiscal year ends in."""
    assert str(Cutoff("month")) == "end of month"
    assert str(Cutoff("quarter")) == "end of quarter"
    assert str(Cutoff("year", year_end_month=9)) == (
        "end of fiscal year (year ending in September)"
    )
    fiscal = RecordClass("f", Period(years=6), cutoff=Cutoff("year", year_end_month=9))
    assert fiscal.describe() == (
        "keep 6 years from the end of the fiscal year (ending in September) of creation,"
        " then destroy"
    )
    assert Cutoff("quarter").phrase() == "the end of the quarter"
    assert Cutoff("quarter", year_end_month=6).phrase() == (
        "the end of the fiscal quarter (ending in June)"
    )


# -- what a class says ------------------------------------------------------------------------


def test_class_defaults_and_inclusion() -> None:
    """R-RET-1: a class keeps from creation then destroys, unlocked, and applies when named."""
    plain = RecordClass("c", Period(years=5))
    assert (plain.trigger, plain.action, plain.retain, plain.lock) == (
        "created",
        Action.DESTROY,
        True,
        LockMode.NONE,
    )
    assert (plain.event, plain.inclusion) == (None, "explicit")
    assert RecordClass("c", Period(years=1), applies_to={"dept": "hr"}).inclusion == "scoped"
    assert RecordClass("c", Period(years=1), applies_to={}).inclusion == "org-wide"
    assert CONTRACTS.event == "contract_end"


def test_text_options_are_read_as_enums() -> None:
    """R-RET-2: action and lock given as text become enum members."""
    record_class = RecordClass("c", Period(years=1), action="transfer", lock="governance")
    assert record_class.action is Action.TRANSFER
    assert record_class.lock is LockMode.GOVERNANCE


def test_describe_says_period_trigger_cutoff_and_action() -> None:
    """R-RET-7: a class describes its rule in words for explanations."""
    assert (
        RecordClass("c", Period(years=5)).describe() == "keep 5 years from creation, then destroy"
    )
    assert CONTRACTS.describe() == "keep 10 years from event 'contract_end', then archive"
    assert RecordClass("c", Period(months=6), trigger="modified", action="none").describe() == (
        "keep 6 months from last change"
    )
    assert RecordClass("c", Period(years=2), retain=False).describe() == (
        "delete after 2 years from creation"
    )
    assert MINUTES.describe() == (
        "keep 3 years from the end of the quarter of creation, then review"
    )
    monthly = RecordClass("c", Period(months=2), trigger="event:closed", cutoff=Cutoff("month"))
    assert (
        monthly.describe()
        == "keep 2 months from the end of the month of event 'closed', then destroy"
    )


def test_flags_are_sorted_and_roles_kept_in_order() -> None:
    """R-RET-2: handling flags are a sorted set, access roles keep their order."""
    record_class = RecordClass(
        "c", Period(years=1), flags=["signed", "encrypted"], access_roles=["legal", "director"]
    )
    assert record_class.flags == ("encrypted", "signed")
    assert record_class.access_roles == ("legal", "director")


def test_flags_for_collects_every_applicable_class() -> None:
    """R-RET-2, R-RET-9: contracts holding customer data are encrypted (label and policy)."""
    contract = record("K-1", ["contracts"], metadata={"contains": "customer-data"})
    assert OFFICE.flags_for(contract) == frozenset({"encrypted"})
    minutes = record("M-1", ["minutes"])
    assert OFFICE.flags_for(minutes) == frozenset()
    customer_minutes = record("M-2", ["minutes"], metadata={"contains": "customer-data"})
    assert OFFICE.flags_for(customer_minutes) == frozenset(CUSTOMER_DATA.flags)


def test_may_read_follows_the_access_roles() -> None:
    """R-RET-2: only holders of an access role of the class may read a contract."""
    contract = record("K-1", ["contracts"])
    at = utc(2026, 1, 1)
    assert OFFICE.may_read("lea", contract, matrix=MATRIX, scope=SCOPE, at=at)
    assert not OFFICE.may_read("ann", contract, matrix=MATRIX, scope=SCOPE, at=at)
    assert not OFFICE.may_read("stranger", contract, matrix=MATRIX, scope=SCOPE, at=at)
    minutes = record("M-1", ["minutes"])
    assert OFFICE.may_read("carl", minutes, matrix=MATRIX, scope=SCOPE, at=at)


def test_check_name_applies_the_class_naming_rule() -> None:
    """R-RET-3: a record's file name must follow its class's naming rule."""
    rule = NamingRule(
        "{complaint_no}-{dept}-{date:%Y%m%d}",
        patterns={"complaint_no": r"C-\d{4}-\d{4}", "dept": "[a-z]+"},
    )
    complaints = RecordClass("complaints", Period(years=3), naming=rule)
    schedule = RetentionSchedule("complaints-desk", 1, [complaints], timezone="UTC")
    schedule.check_name(record("C-1", ["complaints"], name="C-2026-1123-complaints-20261123"))
    with pytest.raises(InvalidDefinitionError) as missing:
        schedule.check_name(record("C-2", ["complaints"]))
    assert missing.value.field == "name"
    with pytest.raises(InvalidDefinitionError) as wrong:
        schedule.check_name(record("C-3", ["complaints"], name="C-2026-1123-Complaints-20261123"))
    assert wrong.value.field == "dept"


# -- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda: Period(years=-5), "Period.years"),
        (lambda: Period(months=-1), "Period.months"),
        (lambda: Period(days=-1), "Period.days"),
        (lambda: Period(), "Period"),
        (lambda: Period(years=untyped(1.5)), "Period.years"),
        (lambda: RecordClass("c", untyped(timedelta(days=365))), "period"),
        (lambda: RecordClass("c", untyped("5 years")), "period"),
        (lambda: RecordClass("", Period(years=1)), "name"),
        (lambda: RecordClass(" c", Period(years=1)), "name"),
        (lambda: RecordClass("c", Period(years=1), trigger="creation"), "trigger"),
        (lambda: RecordClass("c", Period(years=1), trigger="Created"), "trigger"),
        (lambda: RecordClass("c", Period(years=1), trigger="event:"), "trigger"),
        (lambda: RecordClass("c", Period(years=1), trigger="event:1st"), "trigger"),
        (lambda: RecordClass("c", Period(years=1), trigger="event:contract end"), "trigger"),
        (lambda: RecordClass("c", Period(years=1), trigger="contract_end"), "trigger"),
        (lambda: RecordClass("c", Period(years=1), action="shred"), "action"),
        (lambda: RecordClass("c", Period(years=1), lock="legal"), "lock"),
        (lambda: RecordClass("c", Period(years=1), retain=untyped("no")), "retain"),
        (lambda: RecordClass("c", Period(years=1), retain=False, action="archive"), "action"),
        (lambda: RecordClass("c", Period(years=1), retain=False, action="review"), "action"),
        (lambda: RecordClass("c", Period(years=1), retain=False, action="none"), "action"),
        (lambda: RecordClass("c", Period(years=1), retain=False, lock="compliance"), "lock"),
        (lambda: RecordClass("c", Period(years=1), retain=False, lock="governance"), "lock"),
        (lambda: RecordClass("c", Period(years=1), cutoff=untyped("year")), "cutoff"),
        (lambda: RecordClass("c", Period(years=1), naming=untyped("{a}-{b}")), "naming"),
        (lambda: RecordClass("c", Period(years=1), flags=["a", "a"]), "flags"),
        (lambda: RecordClass("c", Period(years=1), flags=untyped("encrypted")), "flags"),
        (lambda: RecordClass("c", Period(years=1), access_roles=[""]), "access_roles[0]"),
        (lambda: RecordClass("c", Period(years=1), applies_to=untyped(["dept"])), "applies_to"),
        (
            lambda: RecordClass("c", Period(years=1), applies_to=untyped({"dept": 3})),
            "applies_to.dept",
        ),
        (lambda: RecordClass("c", Period(years=1), applies_to={" dept": "x"}), "applies_to"),
        (lambda: Cutoff("week"), "every"),
        (lambda: Cutoff("year", year_end_month=0), "year_end_month"),
        (lambda: Cutoff("year", year_end_month=13), "year_end_month"),
        (lambda: Cutoff("quarter", year_end_month=-3), "year_end_month"),
        (lambda: Cutoff("year", year_end_month=untyped(True)), "year_end_month"),
        (lambda: Cutoff("year", year_end_month=untyped("9")), "year_end_month"),
        (lambda: Cutoff("month", year_end_month=9), "year_end_month"),
    ],
)
def test_bad_definitions_are_refused_naming_the_field(make: Any, field: str) -> None:
    """R-RET-1: a malformed class, period or cutoff is refused with the offending field."""
    with pytest.raises(InvalidDefinitionError) as caught:
        make()
    assert caught.value.field == field


def test_ends_refuses_a_datetime() -> None:
    """R-RET-1: periods count calendar days; a datetime is refused, not truncated."""
    with pytest.raises(InvalidDefinitionError):
        RecordClass("c", Period(years=1)).ends(untyped(utc(2024, 1, 1)))


def test_classes_are_frozen_values() -> None:
    """R-RET-1: a class cannot be changed once made; equal rules compare equal."""
    record_class = RecordClass("c", Period(years=5), applies_to={"dept": "hr"})
    with pytest.raises(AttributeError):
        record_class.period = Period(years=1)  # type: ignore[misc]  # frozen: the point of the test
    assert record_class == RecordClass("c", Period(years=5), applies_to={"dept": "hr"})
    assert record_class != RecordClass("c", Period(years=5), applies_to={"dept": "it"})
