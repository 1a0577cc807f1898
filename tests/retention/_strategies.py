"""Hypothesis strategies for the retention tests: classes, schedules, records, holds, locks."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

from govkit.calendar import Period
from govkit.retention import (
    Cutoff,
    LegalHold,
    LockMode,
    Record,
    RecordClass,
    RetentionLock,
    RetentionSchedule,
)

NAMES = ("alpha", "beta", "gamma", "delta", "epsilon", "zeta")
EVENTS = ("closed", "signed")
ACTIONS = ("destroy", "review", "archive", "transfer", "none")
SELECTORS: tuple[dict[str, str] | None, ...] = (None, {}, {"dept": "finance"}, {"dept": "hr"})
METADATA: tuple[dict[str, str], ...] = ({}, {"dept": "finance"}, {"dept": "hr"})
ZONES = (
    "UTC",
    "Asia/Shanghai",
    "Pacific/Kiritimati",
    "Pacific/Pago_Pago",
    "America/St_Johns",
    "Europe/London",
)
TZINFOS = tuple(ZoneInfo(z) for z in ZONES)

periods = st.builds(
    lambda y, m, d: Period(years=y, months=m, days=d or int(not (y or m))),
    st.integers(0, 12),
    st.integers(0, 14),
    st.integers(0, 40),
)
"""Any non-empty period up to about 14 years."""


@st.composite
def cutoffs(draw: st.DrawFn) -> Cutoff | None:
    """No cutoff, or a monthly, quarterly or yearly one with any year end."""
    every = draw(st.sampled_from([None, "month", "quarter", "year"]))
    if every is None:
        return None
    year_end = 12 if every == "month" else draw(st.integers(1, 12))
    return Cutoff(every, year_end_month=year_end)


@st.composite
def record_classes(
    draw: st.DrawFn,
    name: str,
    *,
    created_only: bool = False,
    explicit_only: bool = False,
) -> RecordClass:
    """Any valid class called ``name``."""
    retain = draw(st.booleans())
    triggers = (
        ["created"] if created_only else ["created", "modified", *(f"event:{e}" for e in EVENTS)]
    )
    return RecordClass(
        name,
        draw(periods),
        trigger=draw(st.sampled_from(triggers)),
        cutoff=draw(cutoffs()),
        action=draw(st.sampled_from(ACTIONS)) if retain else "destroy",
        retain=retain,
        lock=draw(st.sampled_from(["none", "governance", "compliance"])) if retain else "none",
        applies_to=None if explicit_only else draw(st.sampled_from(SELECTORS)),
    )


@st.composite
def schedules(
    draw: st.DrawFn, *, created_only: bool = False, explicit_only: bool = False
) -> RetentionSchedule:
    """A schedule of one to six classes in one of a few far-apart time zones."""
    count = draw(st.integers(1, len(NAMES)))
    classes = [
        draw(record_classes(n, created_only=created_only, explicit_only=explicit_only))
        for n in NAMES[:count]
    ]
    return RetentionSchedule(
        "random", draw(st.integers(1, 5)), classes, timezone=draw(st.sampled_from(ZONES))
    )


instants = st.datetimes(
    min_value=datetime(2015, 1, 1),
    max_value=datetime(2045, 12, 31),
    timezones=st.sampled_from(TZINFOS),
    allow_imaginary=False,
)
"""An aware instant between 2015 and 2045 in one of the zones."""

days = st.dates(min_value=date(2015, 1, 1), max_value=date(2045, 12, 31))


@st.composite
def locks(draw: st.DrawFn, schedule: RetentionSchedule) -> RetentionLock | None:
    """No lock, or a lock set by one of the schedule's classes."""
    if draw(st.booleans()):
        return None
    return RetentionLock(
        draw(st.sampled_from([LockMode.GOVERNANCE, LockMode.COMPLIANCE])),
        draw(days),
        record_class=draw(st.sampled_from([c.name for c in schedule.classes])),
        schedule_version=1,
    )


@st.composite
def records(
    draw: st.DrawFn,
    schedule: RetentionSchedule,
    *,
    ids: tuple[str, ...] = ("R-1", "R-2", "R-3", "R-4"),
    labels: int = 1,
    with_locks: bool = True,
) -> Record:
    """A record with at least ``labels`` of the schedule's classes, events it may know, a lock."""
    names = [c.name for c in schedule.classes]
    waited = sorted({c.event for c in schedule.classes if c.event})
    chosen = draw(st.lists(st.sampled_from(names), unique=True, min_size=labels, max_size=3))
    created = draw(instants)
    modified = draw(st.one_of(st.none(), st.timedeltas(timedelta(0), timedelta(days=900))))
    return Record(
        draw(st.sampled_from(ids)),
        chosen,
        created=created,
        modified=None if modified is None else created + modified,
        events=draw(st.dictionaries(st.sampled_from(waited), days)) if waited else {},
        metadata=draw(st.sampled_from(METADATA)),
        lock=draw(locks(schedule)) if with_locks else None,
    )


@st.composite
def holds(draw: st.DrawFn, schedule: RetentionSchedule, number: int = 0) -> LegalHold:
    """A hold on record ids, classes or metadata, placed and perhaps released."""
    placed = draw(instants)
    released = draw(st.one_of(st.none(), st.timedeltas(timedelta(0), timedelta(days=3000))))
    by = draw(st.sampled_from(["records", "classes", "metadata", "classes+metadata"]))
    names = [c.name for c in schedule.classes]
    return LegalHold(
        f"H-{number}",
        "case",
        placed=placed,
        released=None if released is None else placed + released,
        records=draw(
            st.lists(st.sampled_from(["R-1", "R-2", "R-3", "R-4"]), unique=True, min_size=1)
        )
        if by == "records"
        else (),
        classes=draw(st.lists(st.sampled_from(names), unique=True, min_size=1, max_size=2))
        if "classes" in by
        else (),
        metadata=draw(st.sampled_from(METADATA[1:])) if "metadata" in by else {},
    )


@st.composite
def hold_lists(draw: st.DrawFn, schedule: RetentionSchedule) -> list[LegalHold]:
    """Zero to three holds with distinct ids."""
    count = draw(st.integers(0, 3))
    return [draw(holds(schedule, i)) for i in range(count)]
