"""Evaluating one record: statuses, events, holds, time zones, names and explanations."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest

from govkit.calendar import Period
from govkit.errors import (
    InvalidDefinitionError,
    NaiveDatetimeError,
    UnknownNameError,
    UnknownTimezoneError,
)
from govkit.retention import (
    Action,
    ClassOutcome,
    LegalHold,
    Record,
    RecordClass,
    RetentionSchedule,
    RetentionStatus,
)

from ._world import (
    MINUTES,
    OFFICE,
    PROJECT_DOCS,
    SH,
    SIGNATURES,
    day,
    hold,
    record,
    schedule,
    untyped,
    utc,
)

FIVE_YEARS = RecordClass("five", Period(years=5))
REVIEWED = RecordClass("reviewed", Period(years=1), action="review")
ARCHIVED = RecordClass("archived", Period(years=1), action="archive")
KEPT_ONLY = RecordClass("kept-only", Period(years=1), action="none")
DELETE_ONLY = RecordClass("delete-only", Period(years=1), retain=False)
ON_CLOSE = RecordClass("on-close", Period(years=2), trigger="event:closed", action="transfer")
EDITED = RecordClass("edited", Period(months=6), trigger="modified")
SIMPLE = schedule(FIVE_YEARS, REVIEWED, ARCHIVED, KEPT_ONLY, DELETE_ONLY, ON_CLOSE, EDITED)

# -- statuses --------------------------------------------------------------------------------


def test_signature_records_are_kept_five_years_then_destroyed() -> None:
    """R-RET-1: a signature record is retained five years and due for destruction after."""
    signed = datetime(2026, 11, 23, 10, tzinfo=SH)
    sig = Record("SIG-1", ["signature-records"], created=signed)
    kept = OFFICE.evaluate(sig, at=signed)
    assert kept.status is RetentionStatus.RETAIN
    assert (kept.keep_until, kept.dispose_after, kept.action) == (
        day(2031, 11, 23),
        day(2031, 11, 23),
        Action.DESTROY,
    )
    assert kept.due_on == day(2031, 11, 24)
    assert not kept.due
    last_day = OFFICE.evaluate(sig, at=datetime(2031, 11, 23, 23, 59, tzinfo=SH))
    assert last_day.status is RetentionStatus.RETAIN
    due = OFFICE.evaluate(sig, at=datetime(2031, 11, 24, 0, 0, tzinfo=SH))
    assert due.status is RetentionStatus.DUE_FOR_DISPOSAL
    assert due.due


@pytest.mark.parametrize(
    ("record_class", "status", "action"),
    [
        (FIVE_YEARS, RetentionStatus.DUE_FOR_DISPOSAL, Action.DESTROY),
        (REVIEWED, RetentionStatus.DUE_FOR_REVIEW, Action.REVIEW),
        (ARCHIVED, RetentionStatus.DUE_FOR_DISPOSAL, Action.ARCHIVE),
        (KEPT_ONLY, RetentionStatus.EXPIRED, Action.NONE),
        (DELETE_ONLY, RetentionStatus.DUE_FOR_DISPOSAL, Action.DESTROY),
    ],
)
def test_status_after_the_period_depends_on_the_action(
    record_class: RecordClass, status: RetentionStatus, action: Action
) -> None:
    """R-RET-7: after its period a record is due for review, disposal, or simply expired."""
    decision = SIMPLE.evaluate(record(classes=[record_class.name]), at=utc(2040, 1, 1))
    assert decision.status is status
    assert decision.action is action
    assert decision.due is (status is not RetentionStatus.EXPIRED)


def test_retain_only_class_expires_with_nothing_to_do() -> None:
    """R-RET-7: a retain-only class keeps the record, then nothing is required any more."""
    decision = SIMPLE.evaluate(record(classes=["kept-only"]), at=utc(2021, 1, 2))
    assert decision.keep_until == decision.dispose_after == day(2021, 1, 1)
    assert decision.disposal_class is None
    assert decision.governing_class == "kept-only"
    assert decision.explain().splitlines()[0] == (
        "retention ended on 2021-01-01; no class disposes of it"
    )


def test_deletion_only_class_keeps_nothing() -> None:
    """R-RET-7: a deletion-only class sets a disposal date but no keep_until."""
    decision = SIMPLE.evaluate(record(classes=["delete-only"]), at=utc(2020, 6, 1))
    assert decision.status is RetentionStatus.RETAIN
    assert decision.keep_until is None
    assert decision.dispose_after == day(2021, 1, 1)
    assert decision.lock is None


def test_due_day_is_counted_in_the_schedule_time_zone() -> None:
    """R-RET-1: created 2020-12-31 17:00 UTC is 2021-01-01 in Shanghai: due from 2022-01-02."""
    created = utc(2020, 12, 31, 17)
    in_shanghai = schedule(RecordClass("one", Period(years=1)), timezone="Asia/Shanghai")
    in_utc = schedule(RecordClass("one", Period(years=1)), timezone="UTC")
    rec = record(classes=["one"], created=created)
    assert in_shanghai.evaluate(rec, at=created).keep_until == day(2022, 1, 1)
    assert in_utc.evaluate(rec, at=created).keep_until == day(2021, 12, 31)
    # 2022-01-01 16:00 UTC is already 2022-01-02 in Shanghai
    assert in_shanghai.evaluate(rec, at=utc(2022, 1, 1, 15, 59)).status is RetentionStatus.RETAIN
    assert (
        in_shanghai.evaluate(rec, at=utc(2022, 1, 1, 16)).status is RetentionStatus.DUE_FOR_DISPOSAL
    )
    # the same instant written in another zone gives the same answer
    same = datetime(2022, 1, 2, 0, 0, tzinfo=SH)
    assert in_shanghai.evaluate(rec, at=same) == in_shanghai.evaluate(rec, at=utc(2022, 1, 1, 16))


def test_modified_trigger_counts_from_the_last_change() -> None:
    """R-RET-7: a 'modified' class counts from the last change, or creation when never changed."""
    untouched = record(classes=["edited"])
    assert SIMPLE.evaluate(untouched, at=utc(2020, 1, 2)).keep_until == day(2020, 7, 1)
    changed = record(classes=["edited"], modified=utc(2020, 3, 31))
    decision = SIMPLE.evaluate(changed, at=utc(2020, 4, 1))
    assert decision.keep_until == day(2020, 9, 30)
    assert decision.outcomes[0].trigger_date == day(2020, 3, 31)


def test_minutes_are_cut_off_at_quarter_end_then_reviewed() -> None:
    """R-RET-4: minutes close at the quarter's end (Shanghai) and are reviewed three years later."""
    meeting = Record("MIN-1", ["minutes"], created=datetime(2026, 2, 14, 15, tzinfo=SH))
    decision = OFFICE.evaluate(meeting, at=datetime(2026, 2, 14, 16, tzinfo=SH))
    assert decision.keep_until == day(2029, 3, 31)
    assert decision.action is Action.REVIEW
    later = OFFICE.evaluate(meeting, at=datetime(2029, 4, 1, tzinfo=SH))
    assert later.status is RetentionStatus.DUE_FOR_REVIEW
    assert later.outcomes[0].summary == MINUTES.describe()


# -- events not yet known ----------------------------------------------------------------------


def test_record_waits_for_its_event_and_is_never_due() -> None:
    """R-RET-10: project documents wait for acceptance; until then they are kept, never due."""
    docs = Record("PRJ-1", ["project-docs"], created=utc(2020, 1, 1))
    for at in (utc(2020, 1, 2), utc(2099, 12, 31)):
        decision = OFFICE.evaluate(docs, at=at)
        assert decision.status is RetentionStatus.AWAITING_EVENT
        assert not decision.due
        assert (decision.keep_until, decision.dispose_after, decision.due_on) == (None, None, None)
        assert decision.waiting_for == ("acceptance",)
        assert decision.governing_class == "project-docs"
    outcome = OFFICE.evaluate(docs, at=utc(2030, 1, 1)).outcomes[0]
    assert (outcome.trigger_date, outcome.ends) == (None, None)


def test_record_counts_from_its_event_once_known() -> None:
    """R-RET-10: accepted 2021-06-30, the documents are kept ten years, then transferred."""
    docs = Record("PRJ-1", ["project-docs"], created=utc(2020, 1, 1))
    accepted = docs.with_event("acceptance", date(2021, 6, 30))
    assert docs.events == {}
    kept = OFFICE.evaluate(accepted, at=utc(2031, 6, 30))
    assert kept.status is RetentionStatus.RETAIN
    assert kept.keep_until == day(2031, 6, 30)
    due = OFFICE.evaluate(accepted, at=utc(2031, 7, 1))
    assert due.status is RetentionStatus.DUE_FOR_DISPOSAL
    assert due.action is Action.TRANSFER
    assert due.waiting_for == ()
    assert PROJECT_DOCS.describe() in due.explain()


def test_known_dates_of_other_classes_do_not_end_a_wait() -> None:
    """R-RET-10: a record also under a short class still waits for the event of a longer one."""
    rec = record(classes=["archived", "on-close"])
    decision = SIMPLE.evaluate(rec, at=utc(2090, 1, 1))
    assert decision.status is RetentionStatus.AWAITING_EVENT
    assert decision.waiting_for == ("closed",)
    closed = SIMPLE.evaluate(rec.with_event("closed", date(2022, 5, 1)), at=utc(2090, 1, 1))
    assert closed.status is RetentionStatus.DUE_FOR_DISPOSAL
    assert closed.keep_until == day(2024, 5, 1)


def test_awaiting_explanation_names_the_event() -> None:
    """R-RET-10: the explanation of a waiting record names the missing event."""
    text = SIMPLE.evaluate(record(classes=["on-close"]), at=utc(2030, 1, 1)).explain()
    assert text.splitlines()[0] == "awaiting event closed: keep; not due"
    assert "on-close (explicit)" in text
    assert "its event has not happened" in text


# -- legal holds --------------------------------------------------------------------------------


def test_hold_wins_over_every_date() -> None:
    """R-RET-7: a record under an active hold is on hold, whatever its dates say."""
    rec = record("R-9", ["five"])
    held = SIMPLE.evaluate(rec, at=utc(2040, 1, 1), holds=[hold(records=["R-9"])])
    assert held.status is RetentionStatus.ON_HOLD
    assert held.holds == ("H-1",)
    assert not held.due
    assert held.dispose_after == day(2025, 1, 1)  # the dates are still reported


def test_hold_placed_after_expiry_but_before_disposal_stops_it() -> None:
    """R-RET-7: due since 2025-01-02, a hold placed in 2026 still stops the disposal."""
    rec = record("R-9", ["five"])
    late_hold = hold(placed=utc(2026, 3, 1), records=["R-9"])
    before = SIMPLE.evaluate(rec, at=utc(2026, 2, 28), holds=[late_hold])
    assert before.status is RetentionStatus.DUE_FOR_DISPOSAL
    assert before.holds == ()
    after = SIMPLE.evaluate(rec, at=utc(2026, 3, 1), holds=[late_hold])
    assert after.status is RetentionStatus.ON_HOLD
    assert after.explain().splitlines()[0] == (
        "on hold (H-1): keep, whatever the dates say (without the hold: due from 2025-01-02)"
    )


def test_after_release_the_normal_rules_apply_again() -> None:
    """R-RET-7: a released hold no longer counts; the record is due again."""
    rec = record("R-9", ["five"])
    placed = hold(records=["R-9"], placed=utc(2024, 6, 1))
    released, event = placed.release(at=utc(2026, 1, 1), actor="counsel")
    assert (event.action, event.subject, event.actor, event.data) == (
        "retention.hold_released",
        "H-1",
        "counsel",
        {"matter": "case-7"},
    )
    assert placed.released is None  # the original is unchanged
    assert SIMPLE.evaluate(rec, at=utc(2025, 12, 31), holds=[released]).status is (
        RetentionStatus.ON_HOLD
    )
    assert SIMPLE.evaluate(rec, at=utc(2026, 1, 1), holds=[released]).status is (
        RetentionStatus.DUE_FOR_DISPOSAL
    )
    # a hold released before the period ends leaves the record retained as usual
    early = hold(records=["R-9"], placed=utc(2021, 1, 1), released=utc(2022, 1, 1))
    assert SIMPLE.evaluate(rec, at=utc(2023, 1, 1), holds=[early]).status is (
        RetentionStatus.RETAIN
    )


def test_placing_a_hold_is_an_event() -> None:
    """R-RET-7: placing a hold returns the hold and an event saying what it covers."""
    placed, event = LegalHold.place(
        "H-5", "case-9", at=utc(2026, 3, 1), actor="counsel", classes=["five"], metadata={"a": "b"}
    )
    assert placed == LegalHold(
        "H-5", "case-9", placed=utc(2026, 3, 1), classes=["five"], metadata={"a": "b"}
    )
    assert (event.action, event.actor, event.subject, event.at) == (
        "retention.hold_placed",
        "counsel",
        "H-5",
        utc(2026, 3, 1),
    )
    assert event.data == {
        "matter": "case-9",
        "records": [],
        "classes": ["five"],
        "metadata": {"a": "b"},
    }
    with pytest.raises(InvalidDefinitionError):
        LegalHold.place("H-6", "case-9", at=utc(2026, 3, 1), actor="counsel")


def test_a_placed_hold_covers_its_records_from_the_instant_placed() -> None:
    """R-RET-7: a hold placed on record ids is in force from its instant and lists the ids."""
    rec = record("R-9", ["five"])
    placed, event = LegalHold.place(
        "H-7", "case-9", at=utc(2026, 3, 1), actor="counsel", records=["R-9", "R-10"]
    )
    assert (placed.records, placed.released) == (("R-9", "R-10"), None)
    assert event.data["records"] == ["R-9", "R-10"]
    assert SIMPLE.evaluate(rec, at=utc(2026, 3, 1), holds=[placed]).holds == ("H-7",)
    assert SIMPLE.evaluate(rec, at=utc(2026, 2, 28), holds=[placed]).status is (
        RetentionStatus.DUE_FOR_DISPOSAL
    )
    with pytest.raises(NaiveDatetimeError):
        LegalHold.place("H-8", "case-9", at=datetime(2026, 3, 1), actor="counsel", records=["R"])


def test_hold_release_refuses_bad_input() -> None:
    """R-RET-7: a hold is released once, never before it was placed."""
    placed = hold(records=["R-9"], placed=utc(2024, 6, 1))
    with pytest.raises(InvalidDefinitionError) as early:
        placed.release(at=utc(2024, 5, 31), actor="counsel")
    assert early.value.field == "at"
    released, _ = placed.release(at=utc(2025, 1, 1), actor="counsel")
    with pytest.raises(InvalidDefinitionError) as twice:
        released.release(at=utc(2025, 2, 1), actor="counsel")
    assert twice.value.field == "released"
    with pytest.raises(NaiveDatetimeError):
        placed.release(at=datetime(2025, 1, 1), actor="counsel")


def test_holds_select_by_id_class_and_metadata() -> None:
    """R-RET-7: a hold covers named records, and records matching all of its selectors."""
    ours = record("A", ["five"], metadata={"dept": "legal"})
    theirs = record("B", ["five"], metadata={"dept": "sales"})
    other = record("C", ["reviewed"], metadata={"dept": "legal"})
    at = utc(2030, 1, 1)
    by_class = hold(classes=["five"])
    by_both = hold("H-2", classes=["five"], metadata={"dept": "legal"})
    by_meta = hold("H-3", metadata={"dept": "legal"})
    assert SIMPLE.evaluate(ours, at=at, holds=[by_class, by_both, by_meta]).holds == (
        "H-1",
        "H-2",
        "H-3",
    )
    assert SIMPLE.evaluate(theirs, at=at, holds=[by_class, by_both, by_meta]).holds == ("H-1",)
    assert SIMPLE.evaluate(other, at=at, holds=[by_class, by_both, by_meta]).holds == ("H-3",)
    assert SIMPLE.evaluate(other, at=at, holds=[by_class, by_both]).status is (
        RetentionStatus.DUE_FOR_REVIEW
    )


def test_hold_on_a_policy_class_covers_records_it_reaches() -> None:
    """R-RET-9: a hold on a scoped policy covers records the policy reaches through metadata."""
    customer = record("CUST-1", ["minutes"], metadata={"contains": "customer-data"})
    plain = record("MIN-1", ["minutes"])
    on_policy = hold(classes=["customer-data"])
    at = utc(2040, 1, 1)
    assert OFFICE.evaluate(customer, at=at, holds=[on_policy]).status is RetentionStatus.ON_HOLD
    assert OFFICE.evaluate(plain, at=at, holds=[on_policy]).status is (
        RetentionStatus.DUE_FOR_REVIEW
    )


def test_hold_not_yet_placed_does_not_count() -> None:
    """R-RET-7: a hold counts from the instant it is placed."""
    rec = record("R-9", ["five"])
    future = hold(records=["R-9"], placed=utc(2030, 1, 1, 12))
    assert SIMPLE.evaluate(rec, at=utc(2030, 1, 1, 11, 59), holds=[future]).holds == ()
    assert SIMPLE.evaluate(rec, at=utc(2030, 1, 1, 12), holds=[future]).holds == ("H-1",)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({}, "records"),
        ({"records": ["A", "A"]}, "records"),
        ({"records": ["A"], "released": utc(2020, 12, 31)}, "released"),
        ({"records": ["A"], "metadata": {"dept": 1}}, "metadata.dept"),
    ],
)
def test_bad_holds_are_refused(kwargs: dict[str, Any], field: str) -> None:
    """R-RET-7: a hold must cover something, once, and be released after it was placed."""
    with pytest.raises(InvalidDefinitionError) as caught:
        hold(**kwargs)
    assert caught.value.field == field


# -- names, times and input errors -----------------------------------------------------------


def test_unknown_class_name_is_refused() -> None:
    """R-RET-1: a record naming a class the schedule lacks raises UnknownNameError."""
    with pytest.raises(UnknownNameError) as caught:
        SIMPLE.evaluate(record(classes=["five", "fiev"]), at=utc(2021, 1, 1))
    assert (caught.value.kind, caught.value.name) == ("record class", "fiev")
    assert isinstance(caught.value, LookupError)
    with pytest.raises(UnknownNameError):
        SIMPLE.record_class("fiev")
    assert SIMPLE.record_class("five") is FIVE_YEARS


def test_unknown_event_name_is_refused() -> None:
    """R-RET-10: an event no class of the schedule waits for is a typo, not a fact to ignore."""
    rec = record(classes=["on-close"]).with_event("clsoed", date(2021, 1, 1))
    with pytest.raises(UnknownNameError) as caught:
        SIMPLE.evaluate(rec, at=utc(2021, 1, 1))
    assert (caught.value.kind, caught.value.name) == ("event", "clsoed")


def test_hold_naming_an_unknown_class_is_refused() -> None:
    """R-RET-7: a hold on a class the schedule lacks would protect nothing; it is refused."""
    with pytest.raises(UnknownNameError) as caught:
        SIMPLE.evaluate(
            record(classes=["five"]), at=utc(2021, 1, 1), holds=[hold(classes=["fiev"])]
        )
    assert caught.value.name == "fiev"


def test_record_no_class_applies_to_is_refused() -> None:
    """R-RET-1: a record with no label and no matching policy has no rule: refused."""
    with pytest.raises(InvalidDefinitionError) as caught:
        SIMPLE.evaluate(record(classes=[]), at=utc(2021, 1, 1))
    assert caught.value.field == "classes"


def test_naive_datetimes_are_refused() -> None:
    """R-RET-1: naive datetimes (evaluate, record, hold) raise NaiveDatetimeError."""
    with pytest.raises(NaiveDatetimeError) as at_error:
        SIMPLE.evaluate(record(classes=["five"]), at=datetime(2021, 1, 1))
    assert at_error.value.field == "at"
    with pytest.raises(NaiveDatetimeError) as created_error:
        Record("R", ["five"], created=datetime(2020, 1, 1))
    assert created_error.value.field == "created"
    with pytest.raises(NaiveDatetimeError):
        Record("R", ["five"], created=utc(2020, 1, 1), modified=datetime(2020, 2, 1))
    with pytest.raises(NaiveDatetimeError):
        LegalHold("H", "case", placed=datetime(2020, 1, 1), records=["R"])
    with pytest.raises(NaiveDatetimeError):
        hold(records=["R"]).active(datetime(2021, 1, 1))


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda: Record("", created=utc(2020, 1, 1)), "id"),
        (lambda: Record("R", ["a", "a"], created=utc(2020, 1, 1)), "classes"),
        (lambda: Record("R", untyped("five"), created=utc(2020, 1, 1)), "classes"),
        (lambda: Record("R", modified=utc(2019, 1, 1), created=utc(2020, 1, 1)), "modified"),
        (
            lambda: Record("R", events={"closed": utc(2020, 1, 1)}, created=utc(2020, 1, 1)),
            "events.closed",
        ),
        (
            lambda: Record("R", events={"not a name": date(2020, 1, 1)}, created=utc(2020, 1, 1)),
            "events",
        ),
        (
            lambda: Record("R", metadata=untyped({"dept": 7}), created=utc(2020, 1, 1)),
            "metadata.dept",
        ),
        (lambda: Record("R", lock=untyped("compliance"), created=utc(2020, 1, 1)), "lock"),
        (lambda: RetentionSchedule("s", 1, [], timezone="UTC"), "classes"),
        (lambda: RetentionSchedule("s", 0, [FIVE_YEARS], timezone="UTC"), "version"),
        (lambda: RetentionSchedule("s", untyped(True), [FIVE_YEARS], timezone="UTC"), "version"),
        (
            lambda: RetentionSchedule("s", 1, [FIVE_YEARS, FIVE_YEARS], timezone="UTC"),
            "classes[1].name",
        ),
        (lambda: RetentionSchedule("s", 1, [untyped("five")], timezone="UTC"), "classes[0]"),
        (lambda: RetentionSchedule(" s", 1, [FIVE_YEARS], timezone="UTC"), "name"),
    ],
)
def test_bad_records_and_schedules_are_refused(make: Any, field: str) -> None:
    """R-RET-1: malformed records and schedules are refused with the offending field."""
    with pytest.raises(InvalidDefinitionError) as caught:
        make()
    assert caught.value.field == field


def test_unknown_time_zone_is_refused() -> None:
    """R-RET-1: a schedule's zone must be an IANA name; a typo is not guessed."""
    with pytest.raises(UnknownTimezoneError):
        RetentionSchedule("s", 1, [FIVE_YEARS], timezone="Asia/Shangai")


def test_evaluate_refuses_what_is_not_a_record() -> None:
    """R-RET-1: evaluate checks its record and holds arguments at runtime."""
    with pytest.raises(InvalidDefinitionError) as not_record:
        SIMPLE.evaluate(untyped({"id": "R"}), at=utc(2021, 1, 1))
    assert not_record.value.field == "record"
    with pytest.raises(InvalidDefinitionError) as not_hold:
        SIMPLE.evaluate(record(classes=["five"]), at=utc(2021, 1, 1), holds=untyped(["H-1"]))
    assert not_hold.value.field == "holds[0]"


# -- what a decision says -----------------------------------------------------------------------


def test_decision_names_the_schedule_version() -> None:
    """R-RET-7: a decision names the schedule and the version that made it."""
    v3 = schedule(FIVE_YEARS, version=3, name="company-records")
    decision = v3.evaluate(record(classes=["five"]), at=utc(2021, 1, 1))
    assert (decision.schedule, decision.schedule_version) == ("company-records", 3)
    assert decision.explain().splitlines()[-1] == "schedule 'company-records' version 3"


def test_decision_lists_each_class_outcome() -> None:
    """R-RET-7: every applicable class is reported with its own trigger day and end."""
    decision = SIMPLE.evaluate(record(classes=["reviewed", "five"]), at=utc(2021, 1, 1))
    assert decision.outcomes == (
        ClassOutcome(
            record_class="five",
            inclusion="explicit",
            trigger_date=day(2020, 1, 1),
            ends=day(2025, 1, 1),
            retain=True,
            action=Action.DESTROY,
            summary="keep 5 years from creation, then destroy",
        ),
        ClassOutcome(
            record_class="reviewed",
            inclusion="explicit",
            trigger_date=day(2020, 1, 1),
            ends=day(2021, 1, 1),
            retain=True,
            action=Action.REVIEW,
            summary="keep 1 year from creation, then review",
        ),
    )


def test_explain_names_the_governing_class() -> None:
    """R-RET-7: the explanation says which class keeps the record and which disposes of it."""
    decision = SIMPLE.evaluate(record(classes=["reviewed", "five"]), at=utc(2021, 1, 1))
    assert decision.governing_class == "five"
    assert decision.kept_by == "five"
    assert decision.disposal_class == "reviewed"
    lines = decision.explain().splitlines()
    assert lines[0] == "retain until 2025-01-01, then review"
    assert (
        "- five (explicit): keep 5 years from creation, then destroy; from 2020-01-01 -> 2025-01-01"
        in lines
    )
    precedence = next(line for line in lines if line.startswith("precedence:"))
    assert "('five' until 2025-01-01)" in precedence
    assert "('reviewed': review)" in precedence


def test_explain_of_a_due_record_says_since_when() -> None:
    """R-RET-1: a due record's explanation gives the first due day and the action."""
    due = OFFICE.evaluate(
        Record("SIG-1", ["signature-records"], created=utc(2020, 1, 1)), at=utc(2030, 1, 1)
    )
    assert due.explain().splitlines()[0] == "due since 2025-01-02: destroy"
    assert "locked (compliance) until 2025-01-01 by 'signature-records'" in due.explain()
    assert SIGNATURES.describe() in due.explain()


def test_evaluation_changes_nothing_and_is_repeatable() -> None:
    """R-RET-7: evaluating is a pure function of schedule, record, holds and time."""
    rec = record("R-9", ["five", "on-close"], events={"closed": date(2021, 1, 1)})
    holds = [hold(records=["R-9"], placed=utc(2027, 1, 1))]
    first = SIMPLE.evaluate(rec, at=utc(2026, 6, 1), holds=holds)
    again = SIMPLE.evaluate(rec, at=utc(2026, 6, 1) + timedelta(hours=1), holds=holds)
    assert first == again
    assert rec == record("R-9", ["five", "on-close"], events={"closed": date(2021, 1, 1)})
    assert first.status is RetentionStatus.DUE_FOR_DISPOSAL
    assert first.keep_until == day(2025, 1, 1)
    assert first.action is Action.TRANSFER
