"""The evaluation engine behind a retention schedule (private).

A record's verdict depends on few things: which classes apply to it (its
*plan*), the days its periods start from, its lock, the holds covering it and
today's date. The engine caches plans per tuple of class names, timelines
(dates, precedence, lock) per plan and trigger days, and decisions per
timeline, holds and status, so a nightly run over millions of records mostly
looks answers up. Both :meth:`RetentionSchedule.evaluate` and
:meth:`RetentionSchedule.evaluate_many` go through here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from govkit._time import zone
from govkit.errors import InvalidDefinitionError, UnknownNameError
from govkit.retention._class import Action, LockMode, RecordClass, lock_rank
from govkit.retention._decision import ClassOutcome, RetentionDecision, RetentionStatus
from govkit.retention._record import LegalHold, Record, RetentionLock

if TYPE_CHECKING:
    from govkit.retention._schedule import RetentionSchedule

__all__ = ["Engine"]

V = TypeVar("V")

_RANK = {"explicit": 0, "scoped": 1, "org-wide": 2}
# On equal disposal dates the most careful action wins, so the result never
# depends on the order classes were listed in.
_ACTION_ORDER = {Action.REVIEW: 0, Action.TRANSFER: 1, Action.ARCHIVE: 2, Action.DESTROY: 3}
_DONE = Action.NONE
_CACHE_LIMIT = 65_536
_STATUSES = (
    RetentionStatus.ON_HOLD,
    RetentionStatus.AWAITING_EVENT,
    RetentionStatus.RETAIN,
    RetentionStatus.DUE_FOR_REVIEW,
    RetentionStatus.EXPIRED,
    RetentionStatus.DUE_FOR_DISPOSAL,
)
_ON_HOLD, _AWAITING, _RETAIN, _REVIEW, _EXPIRED, _DISPOSAL = range(6)
_CREATED = "created"


class _Plan:
    """The classes that apply to one kind of record, and the trigger days they need."""

    __slots__ = ("created_only", "entries", "names", "slots")

    def __init__(self, classes: Sequence[tuple[RecordClass, str]]) -> None:
        ordered = sorted(classes, key=lambda pair: (_RANK[pair[1]], pair[0].name))
        slots: list[str] = []
        entries = []
        for record_class, inclusion in ordered:
            slot = record_class.event or record_class.trigger
            if slot not in slots:
                slots.append(slot)
            entries.append((record_class, inclusion, slots.index(slot)))
        self.entries = tuple(entries)
        self.slots = tuple(slots)
        self.names = frozenset(c.name for c, _ in classes)
        self.created_only = self.slots == (_CREATED,)


class _Timeline:
    """Dates and precedence for a plan and its trigger days: everything but today and holds."""

    __slots__ = (
        "action",
        "disposal_class",
        "dispose_after",
        "governing_class",
        "keep_until",
        "kept_by",
        "last_ordinal",
        "lock",
        "outcomes",
        "waiting_for",
    )

    def __init__(
        self,
        *,
        outcomes: tuple[ClassOutcome, ...],
        keep_until: date | None,
        kept_by: str | None,
        dispose_after: date | None,
        action: Action | None,
        governing_class: str | None,
        disposal_class: str | None,
        waiting_for: tuple[str, ...],
        lock: RetentionLock | None,
    ) -> None:
        self.outcomes = outcomes
        self.keep_until = keep_until
        self.kept_by = kept_by
        self.dispose_after = dispose_after
        self.last_ordinal = dispose_after.toordinal() if dispose_after else None
        self.action = action
        self.governing_class = governing_class
        self.disposal_class = disposal_class
        self.waiting_for = waiting_for
        self.lock = lock


def _store(cache: dict[Any, V], key: object, value: V) -> V:
    """Remember ``value`` under ``key``; a full cache is emptied first (bounded memory)."""
    if len(cache) >= _CACHE_LIMIT:
        cache.clear()
    cache[key] = value
    return value


def _later(a: RetentionLock | None, b: RetentionLock | None) -> RetentionLock | None:
    """One lock at least as long and as firm as both."""
    if a is None or b is None:
        return a or b
    if a.covers(b):
        return a
    if b.covers(a):
        return b
    longer = a if a.until >= b.until else b
    firmer = a if lock_rank(a.mode) >= lock_rank(b.mode) else b
    return RetentionLock(
        firmer.mode,
        longer.until,
        record_class=longer.record_class,
        schedule_version=longer.schedule_version,
    )


class Engine:
    """Evaluates records under one schedule; one engine per schedule object."""

    def __init__(self, schedule: RetentionSchedule) -> None:
        self.schedule = schedule
        self.zone = zone(schedule.timezone, "timezone")
        self.by_name = {c.name: c for c in schedule.classes}
        self.org_wide = tuple(c for c in schedule.classes if c.applies_to == {})
        self.scoped = tuple(c for c in schedule.classes if c.applies_to)
        self.events = frozenset(c.event for c in schedule.classes if c.event)
        self.summaries = {c.name: c.describe() for c in schedule.classes}
        self.ends: dict[tuple[str, date], date] = {}
        self.plans: dict[Any, _Plan] = {}
        self.timelines: dict[tuple[Any, ...], _Timeline] = {}
        self.decisions: dict[tuple[Any, ...], RetentionDecision] = {}

    # -- inputs -------------------------------------------------------------------

    def day(self, moment: datetime) -> date:
        """The date of ``moment`` in the schedule's time zone."""
        if moment.tzinfo is self.zone:
            return moment.date()
        return moment.astimezone(self.zone).date()

    def plan(self, record: Record) -> _Plan:
        """The classes that apply to ``record`` (labels, then matching policies)."""
        if not self.scoped:
            known = self.plans.get(record.classes)
            if known is not None:
                return known
        matched: tuple[bool, ...] = ()
        if self.scoped:
            metadata = record.metadata
            matched = tuple(
                all(metadata.get(k) == v for k, v in c.applies_to.items())  # type: ignore[union-attr]  # scoped: a mapping
                for c in self.scoped
            )
        key = (record.classes, matched) if self.scoped else record.classes
        found = self.plans.get(key)
        if found is not None:
            return found
        pairs: list[tuple[RecordClass, str]] = []
        for name in record.classes:
            record_class = self.by_name.get(name)
            if record_class is None:
                raise UnknownNameError("record class", name)
            pairs.append((record_class, "explicit"))
        named = set(record.classes)
        implicit = [c for c, hit in zip(self.scoped, matched, strict=True) if hit]
        pairs += [(c, c.inclusion) for c in (*implicit, *self.org_wide) if c.name not in named]
        if not pairs:
            raise InvalidDefinitionError(
                "classes", "at least one class of the schedule that applies to the record", ()
            )
        return _store(self.plans, key, _Plan(pairs))

    def check_events(self, record: Record) -> None:
        for name in record.events:
            if name not in self.events:
                raise UnknownNameError("event", name)

    def trigger_days(self, plan: _Plan, record: Record) -> tuple[date | None, ...]:
        if plan.created_only:
            return (self.day(record.created),)
        days: list[date | None] = []
        for slot in plan.slots:
            if slot == _CREATED:
                days.append(self.day(record.created))
            elif slot == "modified":
                days.append(self.day(record.modified or record.created))
            else:
                days.append(record.events.get(slot))
        return tuple(days)

    # -- dates and precedence --------------------------------------------------------

    def timeline(self, plan: _Plan, days: tuple[date | None, ...]) -> _Timeline:
        key = (plan, days)
        found = self.timelines.get(key)
        if found is None:
            found = _store(self.timelines, key, self._timeline(plan, days))
        return found

    def _timeline(self, plan: _Plan, days: tuple[date | None, ...]) -> _Timeline:
        outcomes = []
        ends = self.ends
        for record_class, inclusion, slot in plan.entries:
            start = days[slot]
            end = None
            if start is not None:
                # With a cutoff, every day of a year (quarter, month) ends alike.
                anchor = record_class.cutoff.apply(start) if record_class.cutoff else start
                end = ends.get((record_class.name, anchor))
                if end is None:
                    end = _store(ends, (record_class.name, anchor), record_class.ends(start))
            outcomes.append(
                ClassOutcome(
                    record_class=record_class.name,
                    inclusion=inclusion,
                    trigger_date=start,
                    ends=end,
                    retain=record_class.retain,
                    action=record_class.action,
                    summary=self.summaries[record_class.name],
                )
            )
        by_name = self.by_name
        # 1-2. Retention wins over deletion; the longest retention wins.
        retaining = [o for o in outcomes if o.retain]
        unknown = [o for o in retaining if o.ends is None]
        keep: ClassOutcome | None = None
        if retaining and not unknown:
            longest = max(o.ends for o in retaining)  # type: ignore[type-var]  # none unknown here
            keep = min(
                (o for o in retaining if o.ends == longest),
                key=lambda o: (_RANK[o.inclusion], o.record_class),
            )
        # 3-4. For the disposal, explicit beats implicit; then the shortest wins.
        # Retain-only classes (action "none") take no part: they dispose of nothing.
        disposing = [o for o in outcomes if o.action is not _DONE]
        disposal: ClassOutcome | None = None
        waiting = {by_name[o.record_class].event for o in unknown}
        if disposing:
            best = min(_RANK[o.inclusion] for o in disposing)
            tier = [o for o in disposing if _RANK[o.inclusion] == best]
            known = [o for o in tier if o.ends is not None]
            if known:
                disposal = min(
                    known, key=lambda o: (o.ends, _ACTION_ORDER[o.action], o.record_class)
                )
            else:
                disposal = tier[0]
                waiting |= {by_name[o.record_class].event for o in tier}
        waiting_for = tuple(sorted(e for e in waiting if e))
        keep_until = keep.ends if keep else None
        dispose_after: date | None = None
        governing: str | None
        if waiting_for:
            governing = (unknown[0] if unknown else disposal or outcomes[0]).record_class
        elif disposal is None:
            dispose_after = keep_until  # retain-only classes: the retention just ends
            governing = keep.record_class if keep else None
        else:
            assert disposal.ends is not None  # known when nothing waits
            dispose_after = max(disposal.ends, keep_until or disposal.ends)
            governing = (
                keep.record_class
                if keep is not None and keep_until == dispose_after
                else disposal.record_class
            )
        lock = self._class_lock(retaining)
        return _Timeline(
            outcomes=tuple(outcomes),
            keep_until=keep_until,
            kept_by=keep.record_class if keep else None,
            dispose_after=dispose_after,
            action=disposal.action if disposal else Action.NONE,
            governing_class=governing,
            disposal_class=disposal.record_class if disposal else None,
            waiting_for=waiting_for,
            lock=lock,
        )

    def _class_lock(self, retaining: Iterable[ClassOutcome]) -> RetentionLock | None:
        lock: RetentionLock | None = None
        for o in retaining:
            mode = self.by_name[o.record_class].lock
            if mode is LockMode.NONE or o.ends is None:
                continue
            lock = _later(
                lock,
                RetentionLock(
                    mode,
                    o.ends,
                    record_class=o.record_class,
                    schedule_version=self.schedule.version,
                ),
            )
        return lock

    # -- verdicts -----------------------------------------------------------------------

    def decision(
        self,
        timeline: _Timeline,
        record_lock: RetentionLock | None,
        holds: tuple[str, ...],
        today: int,
    ) -> RetentionDecision:
        last = timeline.last_ordinal
        if record_lock is not None and last is not None:
            last = max(last, record_lock.until.toordinal())
        # Small ints, not enum members, in the cache key: Enum.__hash__ is Python code.
        if holds:
            code = _ON_HOLD
        elif last is None:
            code = _AWAITING
        elif today <= last:
            code = _RETAIN
        elif timeline.action is Action.REVIEW:
            code = _REVIEW
        elif timeline.action is _DONE:
            code = _EXPIRED
        else:
            code = _DISPOSAL
        key = (timeline, record_lock, holds, code)
        found = self.decisions.get(key)
        if found is None:
            made = self._decision(timeline, record_lock, holds, _STATUSES[code])
            found = _store(self.decisions, key, made)
        return found

    def _decision(
        self,
        timeline: _Timeline,
        record_lock: RetentionLock | None,
        holds: tuple[str, ...],
        status: RetentionStatus,
    ) -> RetentionDecision:
        keep_until = timeline.keep_until
        kept_by = timeline.kept_by
        dispose_after = timeline.dispose_after
        governing = timeline.governing_class
        if record_lock is not None and dispose_after is not None:
            # A locked record never gets a shorter retention, whatever the schedule says now.
            if keep_until is None or record_lock.until > keep_until:
                keep_until = record_lock.until
                kept_by = record_lock.record_class
            if record_lock.until > dispose_after:
                dispose_after = record_lock.until
                governing = record_lock.record_class
        return RetentionDecision(
            status=status,
            keep_until=keep_until,
            kept_by=kept_by,
            dispose_after=dispose_after,
            action=timeline.action,
            governing_class=governing,
            disposal_class=timeline.disposal_class,
            outcomes=timeline.outcomes,
            waiting_for=timeline.waiting_for,
            holds=holds,
            lock=_later(record_lock, timeline.lock),
            schedule=self.schedule.name,
            schedule_version=self.schedule.version,
        )

    # -- holds ----------------------------------------------------------------------------

    def active_holds(
        self, holds: Iterable[LegalHold], at: datetime
    ) -> tuple[dict[str, tuple[str, ...]], tuple[LegalHold, ...]]:
        """Active holds at ``at``: by record id, and those that select by class or metadata."""
        if isinstance(holds, LegalHold):
            raise InvalidDefinitionError("holds", "a list of LegalHold", holds)
        by_id: dict[str, list[str]] = {}
        selecting: list[LegalHold] = []
        for i, hold in enumerate(holds):
            if not isinstance(hold, LegalHold):
                raise InvalidDefinitionError(f"holds[{i}]", "a LegalHold", hold)
            for name in hold.classes:
                if name not in self.by_name:
                    raise UnknownNameError("record class", name)
            if not hold.active(at):
                continue
            for record_id in hold.records:
                by_id.setdefault(record_id, []).append(hold.id)
            if hold.classes or hold.metadata:
                selecting.append(hold)
        return {k: tuple(sorted(set(v))) for k, v in by_id.items()}, tuple(selecting)

    def holds_on(
        self,
        record: Record,
        plan: _Plan,
        by_id: Mapping[str, tuple[str, ...]],
        selecting: Sequence[LegalHold],
    ) -> tuple[str, ...]:
        held = by_id.get(record.id, ())
        if selecting:
            more = [h.id for h in selecting if h.covers(record, plan.names)]
            if more:
                held = tuple(sorted({*held, *more}))
        return held

    # -- one record, many records -------------------------------------------------------------

    def one(
        self,
        record: Record,
        today: int,
        by_id: Mapping[str, tuple[str, ...]],
        selecting: Sequence[LegalHold],
    ) -> RetentionDecision:
        plan = self.plan(record)
        if record.events:
            self.check_events(record)
        timeline = self.timeline(plan, self.trigger_days(plan, record))
        holds = self.holds_on(record, plan, by_id, selecting) if by_id or selecting else ()
        return self.decision(timeline, record.lock, holds, today)

    def single(
        self, record: Record, today: int, holds: Iterable[LegalHold], at: datetime
    ) -> RetentionDecision:
        """One record: the holds are checked against it directly, without an index."""
        plan = self.plan(record)
        if record.events:
            self.check_events(record)
        timeline = self.timeline(plan, self.trigger_days(plan, record))
        held: tuple[str, ...] = ()
        if holds:
            if isinstance(holds, LegalHold):
                raise InvalidDefinitionError("holds", "a list of LegalHold", holds)
            found = set()
            for i, hold in enumerate(holds):
                if not isinstance(hold, LegalHold):
                    raise InvalidDefinitionError(f"holds[{i}]", "a LegalHold", hold)
                for name in hold.classes:
                    if name not in self.by_name:
                        raise UnknownNameError("record class", name)
                if hold.active(at) and hold.covers(record, plan.names):
                    found.add(hold.id)
            held = tuple(sorted(found))
        return self.decision(timeline, record.lock, held, today)

    def many(
        self,
        records: Iterable[Record],
        today: int,
        by_id: Mapping[str, tuple[str, ...]],
        selecting: Sequence[LegalHold],
    ) -> Iterator[RetentionDecision]:
        # The common record (labels only, created trigger, no events, no lock, not
        # held by id) is answered from a per-run memo keyed by its classes and its
        # creation day, read from the record's own precomputed slots; every other
        # record takes the general path, which gives the same answer (tests compare).
        zone = self.zone
        simple = not self.scoped and not selecting
        memos: dict[tuple[str, ...], dict[int, RetentionDecision] | None] = {}
        last: tuple[str, ...] | None = None
        memo: dict[int, RetentionDecision] | None = None
        one = self.one
        for i, record in enumerate(records):
            try:
                classes = record._plain
            except AttributeError:
                raise InvalidDefinitionError(f"records[{i}]", "a Record", record) from None
            if classes is not None and (not by_id or record.id not in by_id):
                if classes is not last:  # records share their classes tuple (interned)
                    try:
                        memo = memos[classes]
                    except KeyError:
                        memo = memos[classes] = self._memo(record, i) if simple else None
                    last = classes
                if memo is not None:
                    if record._zone is zone:
                        ordinal = record._ordinal
                    else:
                        ordinal = record.created.astimezone(zone).toordinal()
                    found = memo.get(ordinal)
                    if found is None:
                        found = memo[ordinal] = self._simple(record, ordinal, today)
                    yield found
                    continue
            try:
                yield one(record, today, by_id, selecting)
            except (InvalidDefinitionError, UnknownNameError) as exc:
                exc.add_note(f"in records[{i}] (id {record.id!r})")
                raise

    def _memo(self, record: Record, i: int) -> dict[int, RetentionDecision] | None:
        """A per-run memo for the record's classes, if their plan is the simple kind."""
        try:
            plan = self.plan(record)
        except (InvalidDefinitionError, UnknownNameError) as exc:
            exc.add_note(f"in records[{i}] (id {record.id!r})")
            raise
        return {} if plan.created_only else None

    def _simple(self, record: Record, ordinal: int, today: int) -> RetentionDecision:
        timeline = self.timeline(self.plan(record), (date.fromordinal(ordinal),))
        return self.decision(timeline, None, (), today)
