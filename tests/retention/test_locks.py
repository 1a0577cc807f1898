"""Retention locks after AWS S3 Object Lock: compliance and governance modes.

S3: in compliance mode nobody, root included, may shorten a retention period
or change the mode; in governance mode only a user with
``s3:BypassGovernanceRetention`` may; extending a period is always allowed.
govkit's bypass permission is ``bypass_governance`` on ``retention`` in the
role matrix, and every bypass is an audit event.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from govkit.calendar import Period
from govkit.errors import InvalidDefinitionError, NaiveDatetimeError, NotPermittedError
from govkit.retention import (
    Cutoff,
    LockMode,
    Record,
    RecordClass,
    RetentionLock,
    RetentionSchedule,
    RetentionStatus,
)

from ._world import MATRIX, SCOPE, day, record, schedule, untyped, utc

COMPLIANCE = RecordClass("vault", Period(years=5), lock="compliance")
GOVERNANCE = RecordClass("reports", Period(years=5), lock="governance")
UNLOCKED = RecordClass("notes", Period(years=5))
V1 = schedule(COMPLIANCE, GOVERNANCE, UNLOCKED, name="records")
AT = utc(2021, 6, 1)


def locked(class_name: str) -> Record:
    """A record of ``class_name`` created 2020-01-01, carrying the lock its v1 decision gives."""
    rec = record(f"{class_name}-1", [class_name])
    return rec.with_lock(V1.evaluate(rec, at=utc(2020, 1, 1)).lock)


def revised(*classes: RecordClass) -> RetentionSchedule:
    """Version 2 of the schedule with ``classes``."""
    return schedule(*classes, version=2, name="records")


# -- the lock a decision gives ---------------------------------------------------------------


def test_locked_class_gives_the_decision_a_lock() -> None:
    """R-RET-1: a compliance class locks the record to its keep_until, naming class and version."""
    decision = V1.evaluate(record("V", ["vault"]), at=AT)
    assert decision.lock == RetentionLock(
        LockMode.COMPLIANCE, day(2025, 1, 1), record_class="vault", schedule_version=1
    )
    assert V1.evaluate(record("N", ["notes"]), at=AT).lock is None
    assert locked("vault").lock == decision.lock


def test_longest_of_two_compliance_classes_locks() -> None:
    """R-RET-1: of two compliance-locked classes, the later end is the lock's date."""
    long_vault = RecordClass("long-vault", Period(years=8), lock="compliance")
    decision = schedule(COMPLIANCE, long_vault).evaluate(
        record("V", ["vault", "long-vault"]), at=AT
    )
    assert decision.lock is not None
    assert (decision.lock.mode, decision.lock.until, decision.lock.record_class) == (
        LockMode.COMPLIANCE,
        day(2028, 1, 1),
        "long-vault",
    )


def test_bad_locks_are_refused() -> None:
    """R-RET-1: a lock is governance or compliance, until a date."""
    with pytest.raises(InvalidDefinitionError) as mode:
        RetentionLock(LockMode.NONE, day(2025, 1, 1), record_class="vault", schedule_version=1)
    assert mode.value.field == "lock.mode"
    with pytest.raises(InvalidDefinitionError) as until:
        RetentionLock(
            LockMode.COMPLIANCE, utc(2025, 1, 1), record_class="vault", schedule_version=1
        )
    assert until.value.field == "until"
    with pytest.raises(InvalidDefinitionError) as version:
        RetentionLock(
            LockMode.COMPLIANCE, day(2025, 1, 1), record_class="vault", schedule_version=0
        )
    assert version.value.field == "lock.schedule_version"
    with pytest.raises(InvalidDefinitionError) as word:
        RetentionLock("forever", day(2025, 1, 1), record_class="vault", schedule_version=1)
    assert word.value.field == "lock.mode"
    with pytest.raises(InvalidDefinitionError) as none_word:
        RetentionLock("none", day(2025, 1, 1), record_class="vault", schedule_version=1)
    assert none_word.value.field == "lock.mode"
    for bad_version in (-1, untyped(True), untyped("1"), untyped(1.0)):
        with pytest.raises(InvalidDefinitionError) as version:
            RetentionLock(
                LockMode.GOVERNANCE,
                day(2025, 1, 1),
                record_class="vault",
                schedule_version=bad_version,
            )
        assert version.value.field == "lock.schedule_version"
    with pytest.raises(InvalidDefinitionError) as class_name:
        RetentionLock(
            LockMode.GOVERNANCE, day(2025, 1, 1), record_class=" vault", schedule_version=1
        )
    assert class_name.value.field == "record_class"


@pytest.mark.parametrize(
    ("text", "mode"), [("governance", LockMode.GOVERNANCE), ("compliance", LockMode.COMPLIANCE)]
)
def test_lock_mode_may_be_given_as_text(text: str, mode: LockMode) -> None:
    """R-RET-1: a lock's mode given as text becomes the enum member, equal to one given as such."""
    from_text = RetentionLock(text, day(2025, 1, 1), record_class="vault", schedule_version=1)
    assert from_text.mode is mode
    assert from_text == RetentionLock(
        mode, day(2025, 1, 1), record_class="vault", schedule_version=1
    )
    assert record("V", ["vault"]).with_lock(from_text).lock == from_text


# -- S3 vectors on a locked record ---------------------------------------------------------------


@pytest.mark.parametrize("actor", ["olga", "ann", "carl", "root"])
@pytest.mark.parametrize("until", [day(2022, 1, 1), None])
def test_compliance_lock_cannot_be_shortened_by_anyone(actor: str, until: date | None) -> None:
    """R-RET-1: under compliance nobody, not even the bypass holder, shortens or removes a lock."""
    rec = locked("vault")
    with pytest.raises(NotPermittedError) as caught:
        rec.shorten_retention(until, actor=actor, at=AT, matrix=MATRIX, scope=SCOPE, reason="x")
    assert "compliance" in str(caught.value)
    assert caught.value.actor == actor
    assert rec.lock is not None
    assert rec.lock.until == day(2025, 1, 1)


@pytest.mark.parametrize("actor", ["ann", "carl", "root"])
def test_governance_lock_needs_the_bypass_permission(actor: str) -> None:
    """R-RET-1: under governance an actor without bypass_governance on retention is refused."""
    rec = locked("reports")
    with pytest.raises(NotPermittedError) as caught:
        rec.shorten_retention(
            day(2022, 1, 1), actor=actor, at=AT, matrix=MATRIX, scope=SCOPE, reason="x"
        )
    assert caught.value.actor == actor


def test_governance_bypass_shortens_and_is_audited() -> None:
    """R-RET-1: the bypass holder shortens a governance lock; an event records the bypass."""
    rec = locked("reports")
    shorter, event = rec.shorten_retention(
        day(2022, 1, 1), actor="olga", at=AT, matrix=MATRIX, scope=SCOPE, reason="duplicate"
    )
    assert shorter.lock == RetentionLock(
        LockMode.GOVERNANCE, day(2022, 1, 1), record_class="reports", schedule_version=1
    )
    assert rec.lock is not None
    assert rec.lock.until == day(2025, 1, 1)  # the original is unchanged
    assert (event.action, event.actor, event.subject, event.at) == (
        "retention.governance_bypassed",
        "olga",
        "reports-1",
        AT,
    )
    assert event.data == {
        "record_class": "reports",
        "from": "2025-01-01",
        "to": "2022-01-01",
        "reason": "duplicate",
    }
    removed, removal = rec.shorten_retention(
        None, actor="olga", at=AT, matrix=MATRIX, scope=SCOPE, reason="court order"
    )
    assert removed.lock is None
    assert removal.data["to"] is None


def test_shorten_refuses_what_is_not_a_shortening() -> None:
    """R-RET-1: extending needs no bypass, and a record without a lock has nothing to shorten."""
    rec = locked("reports")
    for until in (day(2025, 1, 1), day(2026, 1, 1)):
        with pytest.raises(InvalidDefinitionError) as caught:
            rec.shorten_retention(until, actor="olga", at=AT, matrix=MATRIX, scope=SCOPE, reason="")
        assert caught.value.field == "until"
    with pytest.raises(InvalidDefinitionError) as no_lock:
        record("N", ["notes"]).shorten_retention(
            day(2022, 1, 1), actor="olga", at=AT, matrix=MATRIX, scope=SCOPE, reason=""
        )
    assert no_lock.value.field == "lock"
    with pytest.raises(NaiveDatetimeError):
        rec.shorten_retention(
            day(2022, 1, 1),
            actor="olga",
            at=datetime(2021, 6, 1),
            matrix=MATRIX,
            scope=SCOPE,
            reason="",
        )


@pytest.mark.parametrize("class_name", ["vault", "reports"])
def test_extending_a_lock_is_always_allowed(class_name: str) -> None:
    """R-RET-1: a longer (or firmer) lock replaces the current one without any permission."""
    rec = locked(class_name)
    assert rec.lock is not None
    longer = RetentionLock(
        rec.lock.mode, day(2030, 1, 1), record_class=class_name, schedule_version=2
    )
    assert rec.with_lock(longer).lock == longer
    firmer = RetentionLock(
        LockMode.COMPLIANCE, rec.lock.until, record_class=class_name, schedule_version=2
    )
    assert rec.with_lock(firmer).lock == firmer
    assert rec.with_lock(None) is rec
    assert rec.with_lock(rec.lock) is rec


def test_with_lock_refuses_a_shorter_or_weaker_lock() -> None:
    """R-RET-1: with_lock only extends; a shorter or weaker lock needs shorten_retention."""
    rec = locked("vault")
    shorter = RetentionLock(
        LockMode.COMPLIANCE, day(2024, 12, 31), record_class="vault", schedule_version=2
    )
    weaker = RetentionLock(
        LockMode.GOVERNANCE, day(2030, 1, 1), record_class="vault", schedule_version=2
    )
    for lock in (shorter, weaker):
        with pytest.raises(NotPermittedError):
            rec.with_lock(lock)
    assert rec.lock is not None
    assert rec.lock.until == day(2025, 1, 1)


# -- later schedule versions -------------------------------------------------------------


@pytest.mark.parametrize("class_name", ["vault", "reports"])
def test_shorter_new_version_does_not_shorten_a_locked_record(class_name: str) -> None:
    """R-RET-1: a record locked under v1 keeps its date under a v2 that keeps it one year."""
    mode = V1.record_class(class_name).lock
    v2 = revised(RecordClass(class_name, Period(years=1), lock=mode))
    rec = locked(class_name)
    decision = v2.evaluate(rec, at=utc(2023, 1, 1))
    assert decision.status is RetentionStatus.RETAIN
    assert decision.keep_until == day(2025, 1, 1)
    assert decision.dispose_after == day(2025, 1, 1)
    assert decision.governing_class == class_name
    assert decision.kept_by == class_name
    assert decision.schedule_version == 2
    assert decision.lock == rec.lock  # still the v1 lock
    assert "locked" in decision.explain()
    assert v2.evaluate(rec, at=utc(2025, 1, 2)).status is RetentionStatus.DUE_FOR_DISPOSAL
    # the same record without its lock would already be due under v2
    unlocked = record(f"{class_name}-1", [class_name])
    assert v2.evaluate(unlocked, at=utc(2023, 1, 1)).status is RetentionStatus.DUE_FOR_DISPOSAL


def test_lock_survives_a_version_that_no_longer_retains() -> None:
    """R-RET-1: under a v2 that only deletes after a year, the locked record is kept to its lock."""
    v2 = revised(RecordClass("vault", Period(years=1), retain=False))
    decision = v2.evaluate(locked("vault"), at=utc(2023, 1, 1))
    assert decision.status is RetentionStatus.RETAIN
    assert decision.keep_until == day(2025, 1, 1)
    assert decision.kept_by == "vault"
    assert decision.dispose_after == day(2025, 1, 1)


def test_record_lock_makes_kept_by_the_lock_class() -> None:
    """R-RET-1: when the record's lock outlasts every v2 class, kept_by names the lock's class."""
    rec = record("VN-1", ["vault", "notes"])
    rec = rec.with_lock(V1.evaluate(rec, at=utc(2020, 1, 1)).lock)
    assert rec.lock is not None
    assert (rec.lock.record_class, rec.lock.until) == ("vault", day(2025, 1, 1))
    v2 = revised(
        RecordClass("vault", Period(years=1), lock="compliance"),
        RecordClass("notes", Period(years=3)),
    )
    decision = v2.evaluate(rec, at=utc(2023, 6, 1))
    assert (decision.keep_until, decision.kept_by) == (day(2025, 1, 1), "vault")
    assert decision.governing_class == "vault"
    unlocked = v2.evaluate(record("VN-1", ["vault", "notes"]), at=utc(2022, 6, 1))
    assert (unlocked.keep_until, unlocked.kept_by) == (day(2023, 1, 1), "notes")
    # a class of v2 keeping exactly as long as the lock is named itself
    v3 = schedule(
        RecordClass("vault", Period(years=1), lock="compliance"),
        RecordClass("notes", Period(years=5)),
        version=3,
        name="records",
    )
    even = v3.evaluate(rec, at=utc(2023, 6, 1))
    assert (even.keep_until, even.kept_by) == (day(2025, 1, 1), "notes")


def test_longer_new_version_extends_the_lock() -> None:
    """R-RET-1: a v2 keeping vault records ten years extends their lock, which with_lock stores."""
    v2 = revised(RecordClass("vault", Period(years=10), lock="compliance"))
    rec = locked("vault")
    decision = v2.evaluate(rec, at=utc(2023, 1, 1))
    assert decision.lock == RetentionLock(
        LockMode.COMPLIANCE, day(2030, 1, 1), record_class="vault", schedule_version=2
    )
    assert decision.keep_until == day(2030, 1, 1)
    assert rec.with_lock(decision.lock).lock == decision.lock


# -- revising a schedule ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("replacement", "why"),
    [
        (RecordClass("vault", Period(years=4), lock="compliance"), "would be kept until"),
        (RecordClass("vault", Period(days=365 * 5), lock="compliance"), "would be kept until"),
        (RecordClass("vault", Period(years=5), lock="governance"), "the lock went from"),
        (RecordClass("vault", Period(years=5)), "the lock went from"),
        (RecordClass("vault", Period(years=5), trigger="modified", lock="compliance"), "trigger"),
        (RecordClass("vault", Period(years=9), retain=False), "lock went from"),
        (None, "removed"),
    ],
)
def test_revise_refuses_shortening_a_compliance_class(
    replacement: RecordClass | None, why: str
) -> None:
    """R-RET-1: a compliance class may not be shortened, weakened or removed, even with bypass."""
    classes = [GOVERNANCE, UNLOCKED] if replacement is None else [replacement, GOVERNANCE, UNLOCKED]
    for actor in ("olga", "ann"):
        with pytest.raises(NotPermittedError) as caught:
            V1.revise(revised(*classes), actor=actor, at=AT, matrix=MATRIX, scope=SCOPE)
        assert why in str(caught.value)
        assert "'vault'" in str(caught.value)
    with pytest.raises(NotPermittedError):
        V1.revise(revised(*classes), actor="olga", at=AT)


def test_revise_refuses_narrowing_a_locked_policy() -> None:
    """R-RET-9: a compliance policy may not stop reaching records it reached through metadata."""
    finance = RecordClass("finance", Period(years=7), lock="compliance", applies_to={"dept": "fin"})
    v1 = schedule(finance, name="records")
    narrower = RecordClass(
        "finance", Period(years=7), lock="compliance", applies_to={"dept": "fin", "kind": "tax"}
    )
    with pytest.raises(NotPermittedError) as caught:
        v1.revise(revised(narrower), actor="olga", at=AT, matrix=MATRIX, scope=SCOPE)
    assert "applies to fewer records" in str(caught.value)
    wider = RecordClass("finance", Period(years=7), lock="compliance", applies_to={})
    new, events = v1.revise(revised(wider), actor="olga", at=AT)
    assert new.record_class("finance").applies_to == {}
    assert [e.action for e in events] == ["retention.schedule_revised"]


@pytest.mark.parametrize(
    "replacement",
    [
        RecordClass("vault", Period(years=6), lock="compliance"),
        RecordClass("vault", Period(years=5, days=1), lock="compliance"),
        RecordClass("vault", Period(years=5), lock="compliance", cutoff=Cutoff("year")),
        RecordClass("vault", Period(years=5), lock="compliance", action="review"),
    ],
)
def test_revise_allows_extending_a_compliance_class(replacement: RecordClass) -> None:
    """R-RET-1: extending a compliance class needs no permission; one revision event is emitted."""
    new, events = V1.revise(revised(replacement, GOVERNANCE, UNLOCKED), actor="carl", at=AT)
    assert new.version == 2
    assert new.record_class("vault") == replacement
    assert [e.action for e in events] == ["retention.schedule_revised"]
    assert events[0].data == {
        "from_version": 1,
        "to_version": 2,
        "added": [],
        "removed": [],
        "changed": ["vault"],
    }


def test_revise_needs_the_bypass_to_shorten_a_governance_class() -> None:
    """R-RET-1: shortening a governance class needs bypass_governance; the bypass is an event."""
    v2 = revised(COMPLIANCE, RecordClass("reports", Period(years=2), lock="governance"), UNLOCKED)
    for partial in ({}, {"matrix": MATRIX}, {"scope": SCOPE}):
        with pytest.raises(NotPermittedError) as missing:
            V1.revise(v2, actor="olga", at=AT, **partial)
        assert "role matrix" in str(missing.value)
    for actor in ("ann", "carl"):
        with pytest.raises(NotPermittedError):
            V1.revise(v2, actor=actor, at=AT, matrix=MATRIX, scope=SCOPE)
    new, events = V1.revise(v2, actor="olga", at=AT, matrix=MATRIX, scope=SCOPE)
    assert new is v2
    assert [(e.action, e.subject, e.actor) for e in events] == [
        ("retention.governance_bypassed", "records/reports", "olga"),
        ("retention.schedule_revised", "records", "olga"),
    ]
    assert events[0].data["from_version"] == 1
    assert events[0].data["to_version"] == 2
    assert "would be kept until" in events[0].data["why"]


def test_unlocked_class_may_be_shortened_or_removed_freely() -> None:
    """R-RET-1: a class without a lock is policy only: anyone may shorten or remove it."""
    shorter = revised(COMPLIANCE, GOVERNANCE, RecordClass("notes", Period(months=1)))
    new, events = V1.revise(shorter, actor="carl", at=AT)
    assert new.record_class("notes").period == Period(months=1)
    assert [e.action for e in events] == ["retention.schedule_revised"]
    gone, removal = V1.revise(revised(COMPLIANCE, GOVERNANCE), actor="carl", at=AT)
    assert removal[0].data["removed"] == ["notes"]
    assert [c.name for c in gone.classes] == ["vault", "reports"]


def test_revise_checks_name_and_version() -> None:
    """R-RET-1: a revision keeps the schedule's name and raises its version."""
    same_version = schedule(COMPLIANCE, GOVERNANCE, UNLOCKED, name="records", version=1)
    other_name = schedule(COMPLIANCE, GOVERNANCE, UNLOCKED, name="other", version=2)
    with pytest.raises(InvalidDefinitionError) as version:
        V1.revise(same_version, actor="carl", at=AT)
    assert version.value.field == "new.version"
    with pytest.raises(InvalidDefinitionError) as name:
        V1.revise(other_name, actor="carl", at=AT)
    assert name.value.field == "new.name"
    with pytest.raises(NaiveDatetimeError):
        V1.revise(revised(COMPLIANCE, GOVERNANCE, UNLOCKED), actor="carl", at=datetime(2021, 1, 1))


def test_revise_refuses_a_time_zone_that_shortens_a_compliance_class() -> None:
    """R-RET-1: a new zone that moves trigger days earlier shortens a compliance class: refused."""
    east = schedule(COMPLIANCE, timezone="Pacific/Kiritimati", name="records")
    west = schedule(COMPLIANCE, timezone="Pacific/Pago_Pago", name="records", version=2)
    rec = record("V", ["vault"], created=utc(2020, 1, 1, 12))
    assert east.evaluate(rec, at=AT).keep_until == day(2025, 1, 2)
    assert west.evaluate(rec, at=AT).keep_until == day(2025, 1, 1)
    for actor in ("olga", "ann"):
        with pytest.raises(NotPermittedError) as caught:
            east.revise(west, actor=actor, at=AT, matrix=MATRIX, scope=SCOPE)
        assert "compliance" in str(caught.value)
        assert "'vault'" in str(caught.value)
        assert "time zone changed from Pacific/Kiritimati to Pacific/Pago_Pago" in str(caught.value)


def test_revise_counts_any_time_zone_change_as_shortening_a_compliance_class() -> None:
    """R-RET-1: even a zone moving trigger days later is refused for a compliance class."""
    west = schedule(COMPLIANCE, timezone="Pacific/Pago_Pago", name="records")
    east = schedule(COMPLIANCE, timezone="Pacific/Kiritimati", name="records", version=2)
    with pytest.raises(NotPermittedError):
        west.revise(east, actor="olga", at=AT, matrix=MATRIX, scope=SCOPE)
    same_zone = schedule(COMPLIANCE, timezone="Pacific/Pago_Pago", name="records", version=2)
    new, events = west.revise(same_zone, actor="carl", at=AT)
    assert new is same_zone
    assert [e.action for e in events] == ["retention.schedule_revised"]


def test_revise_to_another_time_zone_needs_the_bypass_for_a_governance_class() -> None:
    """R-RET-1: moving a governance-locked schedule to another zone is a bypass, and audited."""
    v1 = schedule(GOVERNANCE, UNLOCKED, name="records", timezone="Asia/Shanghai")
    v2 = schedule(GOVERNANCE, UNLOCKED, name="records", version=2, timezone="Europe/Paris")
    with pytest.raises(NotPermittedError) as no_matrix:
        v1.revise(v2, actor="olga", at=AT)
    assert "role matrix" in str(no_matrix.value)
    for actor in ("ann", "carl"):
        with pytest.raises(NotPermittedError):
            v1.revise(v2, actor=actor, at=AT, matrix=MATRIX, scope=SCOPE)
    new, events = v1.revise(v2, actor="olga", at=AT, matrix=MATRIX, scope=SCOPE)
    assert new is v2
    assert [(e.action, e.subject) for e in events] == [
        ("retention.governance_bypassed", "records/reports"),
        ("retention.schedule_revised", "records"),
    ]
    assert events[0].data == {
        "from_version": 1,
        "to_version": 2,
        "why": "the time zone changed from Asia/Shanghai to Europe/Paris",
    }
    assert events[1].data["changed"] == []


def test_revise_to_another_time_zone_is_free_without_locks() -> None:
    """R-RET-1: a schedule of unlocked classes may move to another zone without any permission."""
    v1 = schedule(UNLOCKED, name="records", timezone="Asia/Shanghai")
    v2 = schedule(UNLOCKED, name="records", version=2, timezone="Europe/Paris")
    new, events = v1.revise(v2, actor="carl", at=AT)
    assert new.timezone == "Europe/Paris"
    assert [e.action for e in events] == ["retention.schedule_revised"]
