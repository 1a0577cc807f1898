"""Evaluating many records: the batch equals one by one, and properties of the verdicts."""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import attrs
import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st

from govkit.calendar import Period
from govkit.errors import (
    InvalidDefinitionError,
    NaiveDatetimeError,
    UnknownNameError,
)
from govkit.retention import (
    Action,
    Cutoff,
    LegalHold,
    Record,
    RecordClass,
    RetentionDecision,
    RetentionSchedule,
    RetentionStatus,
)

from ._strategies import hold_lists, holds, instants, records, schedules
from ._world import OFFICE, hold, record, untyped, utc

FAST = settings(max_examples=30, deadline=None)


# -- the batch equals one by one ------------------------------------------------------------


@FAST
@given(data=st.data(), at=instants, created_only=st.booleans(), explicit_only=st.booleans())
def test_evaluate_many_equals_evaluate_one_by_one(
    data: st.DataObject, at: datetime, created_only: bool, explicit_only: bool
) -> None:
    """R-RET-7: for any schedule, records, holds, locks and zone, the batch equals one by one."""
    sched = data.draw(schedules(created_only=created_only, explicit_only=explicit_only))
    batch = data.draw(st.lists(records(sched), min_size=1, max_size=8))
    held = data.draw(hold_lists(sched))
    many = list(sched.evaluate_many(batch, at=at, holds=held))
    one_by_one = [sched.evaluate(r, at=at, holds=held) for r in batch]
    assert many == one_by_one


@FAST
@given(data=st.data(), at=instants)
def test_evaluate_many_on_common_records_equals_one_by_one(
    data: st.DataObject, at: datetime
) -> None:
    """R-RET-7: labels-only records without locks or events (the common case) agree too."""
    sched = data.draw(schedules(created_only=True, explicit_only=True))
    batch = data.draw(st.lists(records(sched, with_locks=False), min_size=1, max_size=20))
    many = list(sched.evaluate_many(batch, at=at))
    assert many == [sched.evaluate(r, at=at) for r in batch]


def test_records_with_equal_inputs_share_one_decision() -> None:
    """R-RET-7: a nightly batch returns one shared decision for records that decide alike."""
    batch = [
        record(f"SIG-{n}", ["signature-records"], created=utc(2020, 1, 1, n)) for n in range(6)
    ]
    decisions = list(OFFICE.evaluate_many(batch, at=utc(2026, 1, 1)))
    assert all(d is decisions[0] for d in decisions)
    assert decisions[0].status is RetentionStatus.DUE_FOR_DISPOSAL
    # 2020-01-01 16:00 UTC is already 2020-01-02 in Shanghai: a later keep_until
    late = record("SIG-9", ["signature-records"], created=utc(2020, 1, 1, 16))
    assert next(OFFICE.evaluate_many([late], at=utc(2026, 1, 1))).keep_until == date(2025, 1, 2)


def test_evaluate_many_is_lazy_and_in_order() -> None:
    """R-RET-7: decisions come one at a time, in the order of the records."""
    produced: list[str] = []

    def feed() -> Iterator[Record]:
        for n, classes in enumerate((["signature-records"], ["minutes"], ["project-docs"])):
            produced.append(f"R-{n}")
            yield record(f"R-{n}", classes)

    decisions = OFFICE.evaluate_many(feed(), at=utc(2021, 1, 1))
    assert produced == []
    first = next(decisions)
    assert produced == ["R-0"]
    assert first.governing_class == "signature-records"
    rest = list(decisions)
    assert [d.status for d in rest] == [RetentionStatus.RETAIN, RetentionStatus.AWAITING_EVENT]


# -- errors in a batch ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bad", "error", "index"),
    [
        (record("BAD", ["signature-records", "nope"]), UnknownNameError, 2),
        (
            record("BAD", ["project-docs"], events={"acceptence": date(2021, 1, 1)}),
            UnknownNameError,
            2,
        ),
        (record("BAD", [], metadata={"contains": "nothing"}), InvalidDefinitionError, 2),
    ],
)
def test_bad_record_in_the_middle_raises_naming_its_position(
    bad: Record, error: type[Exception], index: int
) -> None:
    """R-RET-7: a bad record raises when reached, with a note naming records[i] and its id."""
    good = record("GOOD", ["signature-records"])
    batch = [good, good, bad, good]
    decisions = OFFICE.evaluate_many(batch, at=utc(2021, 1, 1))
    assert next(decisions).status is RetentionStatus.RETAIN
    assert next(decisions).status is RetentionStatus.RETAIN
    with pytest.raises(error) as caught:
        next(decisions)
    assert caught.value.__notes__ == [f"in records[{index}] (id 'BAD')"]


def test_bad_record_noted_on_the_general_path_too() -> None:
    """R-RET-7: with holds selecting by class, a bad record is still named by position."""
    batch = [record("GOOD", ["signature-records"]), record("BAD", ["nope"])]
    selecting = [hold(classes=["minutes"])]
    with pytest.raises(UnknownNameError) as caught:
        list(OFFICE.evaluate_many(batch, at=utc(2021, 1, 1), holds=selecting))
    assert caught.value.__notes__ == ["in records[1] (id 'BAD')"]


def test_something_not_a_record_is_refused_by_position() -> None:
    """R-RET-7: an item that is not a Record is refused as records[i]."""
    batch = [record("GOOD", ["signature-records"]), untyped({"id": "R"})]
    with pytest.raises(InvalidDefinitionError) as caught:
        list(OFFICE.evaluate_many(batch, at=utc(2021, 1, 1)))
    assert caught.value.field == "records[1]"


def test_time_and_holds_are_checked_before_any_record() -> None:
    """R-RET-7: a naive instant or a hold on an unknown class fails at the call, not later."""
    batch = [record("GOOD", ["signature-records"])]
    with pytest.raises(NaiveDatetimeError):
        OFFICE.evaluate_many(batch, at=datetime(2021, 1, 1))
    with pytest.raises(UnknownNameError):
        OFFICE.evaluate_many(batch, at=utc(2021, 1, 1), holds=[hold(classes=["nope"])])


# -- properties ------------------------------------------------------------------------------


@FAST
@given(data=st.data(), at=instants)
def test_adding_a_hold_never_makes_a_record_due(data: st.DataObject, at: datetime) -> None:
    """R-RET-7: a record due with one more hold was due without it; one it covers is on hold."""
    sched = data.draw(schedules())
    rec = data.draw(records(sched))
    before = data.draw(hold_lists(sched))
    extra = data.draw(holds(sched, 9))
    without = sched.evaluate(rec, at=at, holds=before)
    with_extra = sched.evaluate(rec, at=at, holds=[*before, extra])
    if with_extra.due:
        assert without.due
        assert with_extra == without
    covering = hold("H-all", records=[rec.id], placed=at - timedelta(seconds=1), released=None)
    held = sched.evaluate(rec, at=at, holds=[*before, covering])
    assert held.status is RetentionStatus.ON_HOLD
    assert "H-all" in held.holds
    assert (held.keep_until, held.dispose_after) == (without.keep_until, without.dispose_after)


@FAST
@given(
    data=st.data(),
    at=instants,
    extra=st.tuples(st.integers(0, 5), st.integers(0, 13), st.integers(0, 60)),
)
def test_longer_period_never_makes_a_record_due_earlier(
    data: st.DataObject, at: datetime, extra: tuple[int, int, int]
) -> None:
    """R-RET-1: a longer period never moves due_on earlier, nor makes a record due."""
    sched = data.draw(schedules())
    rec = data.draw(records(sched))
    held = data.draw(hold_lists(sched))
    name = data.draw(st.sampled_from([c.name for c in sched.classes]))
    old = sched.record_class(name)
    longer = attrs.evolve(
        old,
        period=Period(
            years=old.period.years + extra[0],
            months=old.period.months + extra[1],
            days=old.period.days + extra[2],
        ),
    )
    lengthened = RetentionSchedule(
        sched.name,
        sched.version + 1,
        [longer if c.name == name else c for c in sched.classes],
        timezone=sched.timezone,
    )
    short = sched.evaluate(rec, at=at, holds=held)
    long = lengthened.evaluate(rec, at=at, holds=held)
    if long.due:
        assert short.due
    if short.due_on is not None and long.due_on is not None:
        assert long.due_on >= short.due_on
    if short.keep_until is not None and long.keep_until is not None:
        assert long.keep_until >= short.keep_until
    assert (short.due_on is None) == (long.due_on is None)


# -- a naive reference implementation ----------------------------------------------------------


def cutoff_day(day: date, every: str, year_end_month: int) -> date:
    """The first month end on or after ``day`` whose month closes a (fiscal) period."""
    step = {"month": 1, "quarter": 3, "year": 12}[every]
    year, month = day.year, day.month
    while (month - year_end_month) % step:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return date(year, month, calendar.monthrange(year, month)[1])


def reference_end(record_class: RecordClass, trigger: date) -> date:
    """The class's last day, counted plainly with relativedelta."""
    period = record_class.period
    months = relativedelta(years=period.years, months=period.months)
    if record_class.cutoff is None:
        return trigger + months + timedelta(days=period.days)
    closed = cutoff_day(trigger, record_class.cutoff.every, record_class.cutoff.year_end_month)
    start = closed + timedelta(days=1)
    return start + months + timedelta(days=period.days) - timedelta(days=1)


def reference(
    sched: RetentionSchedule, rec: Record, at: datetime, held: bool
) -> tuple[date | None, date | None, RetentionStatus]:
    """keep_until, dispose_after and status of a single-class record, computed plainly."""
    (name,) = rec.classes
    record_class = sched.record_class(name)
    zone = ZoneInfo(sched.timezone)
    if record_class.trigger == "created":
        trigger: date | None = rec.created.astimezone(zone).date()
    elif record_class.trigger == "modified":
        trigger = (rec.modified or rec.created).astimezone(zone).date()
    else:
        trigger = rec.events.get(record_class.trigger.removeprefix("event:"))
    if trigger is None:
        status = RetentionStatus.ON_HOLD if held else RetentionStatus.AWAITING_EVENT
        return None, None, status
    ends = reference_end(record_class, trigger)
    keep_until = ends if record_class.retain else None
    dispose_after = ends
    if rec.lock is not None:
        dispose_after = max(dispose_after, rec.lock.until)
        keep_until = rec.lock.until if keep_until is None else max(keep_until, rec.lock.until)
    today = at.astimezone(zone).date()
    if held:
        status = RetentionStatus.ON_HOLD
    elif today <= dispose_after:
        status = RetentionStatus.RETAIN
    elif record_class.action is Action.REVIEW:
        status = RetentionStatus.DUE_FOR_REVIEW
    elif record_class.action is Action.NONE:
        status = RetentionStatus.EXPIRED
    else:
        status = RetentionStatus.DUE_FOR_DISPOSAL
    return keep_until, dispose_after, status


@settings(max_examples=50, deadline=None)
@given(data=st.data(), at=instants)
def test_single_class_records_agree_with_a_naive_reference(
    data: st.DataObject, at: datetime
) -> None:
    """R-RET-1: for one-class records the engine agrees with plain relativedelta arithmetic."""
    sched = data.draw(schedules(explicit_only=True))
    rec = data.draw(records(sched))
    rec = attrs.evolve(rec, classes=rec.classes[:1])
    held = data.draw(st.booleans())
    hold_list = [hold(records=[rec.id], placed=at - timedelta(days=1))] if held else []
    decision = sched.evaluate(rec, at=at, holds=hold_list)
    assert (decision.keep_until, decision.dispose_after, decision.status) == reference(
        sched, rec, at, held
    )
    assert batch_of_one(sched, rec, at, hold_list) == decision


def batch_of_one(
    sched: RetentionSchedule, rec: Record, at: datetime, hold_list: list[LegalHold]
) -> RetentionDecision:
    """The decision on ``rec`` through evaluate_many."""
    return next(sched.evaluate_many([rec], at=at, holds=hold_list))


@pytest.mark.parametrize(
    ("trigger", "expected"),
    [(date(2020, 10, 1), date(2027, 9, 30)), (date(2020, 9, 30), date(2026, 9, 30))],
)
def test_reference_reproduces_the_fiscal_year_example(trigger: date, expected: date) -> None:
    """R-RET-4: the reference itself follows NARA's fiscal-year example (a check of the check)."""
    fiscal = RecordClass("f", Period(years=6), cutoff=Cutoff("year", year_end_month=9))
    assert reference_end(fiscal, trigger) == expected == fiscal.ends(trigger)
