"""What a retention schedule says about one record at one instant."""

from __future__ import annotations

from datetime import date, timedelta
from enum import Enum

import attrs

from govkit.retention._class import Action
from govkit.retention._record import RetentionLock

__all__ = ["ClassOutcome", "RetentionDecision", "RetentionStatus"]


class RetentionStatus(Enum):
    """Where a record stands."""

    RETAIN = "retain"
    """Within its retention: keep it."""
    ON_HOLD = "on_hold"
    """A legal hold covers it: keep it, whatever the dates say."""
    AWAITING_EVENT = "awaiting_event"
    """The event that starts its period has not happened: keep it."""
    DUE_FOR_REVIEW = "due_for_review"
    """Retention is over and a person must decide what happens."""
    DUE_FOR_DISPOSAL = "due_for_disposal"
    """Retention is over: destroy, archive or transfer it."""
    EXPIRED = "expired"
    """Retention is over and no class disposes of it (retain-only classes):
    nothing is required any more."""


@attrs.frozen
class ClassOutcome:
    """What one applicable record class says about a record.

    Attributes:
        record_class: The class.
        inclusion: ``"explicit"`` (the record names it), ``"scoped"`` or
            ``"org-wide"`` (a policy reaching it through its metadata).
        trigger_date: The day its period starts from; ``None`` while its event is unknown.
        ends: The last day of its period; ``None`` while its event is unknown.
        retain: Whether it keeps the record (``False``: deletion only).
        action: What it does at the end.
        summary: Its rule in words.
    """

    record_class: str
    inclusion: str
    trigger_date: date | None
    ends: date | None
    retain: bool
    action: Action
    summary: str


@attrs.frozen
class RetentionDecision:
    """A schedule's verdict on a record at an instant; :meth:`explain` says why.

    Decisions hold no record id: records with the same classes, dates, holds
    and lock get the same (shared) decision from
    :meth:`RetentionSchedule.evaluate_many`.

    Attributes:
        status: Where the record stands.
        keep_until: The last day a retaining class (or the record's lock)
            keeps it; ``None`` when nothing retains it or an event is unknown.
        kept_by: The class (or the lock's class) behind ``keep_until``.
        dispose_after: The last day before disposition may happen, the later
            of ``keep_until`` and the winning disposal date; ``None`` while
            an event is unknown.
        action: What happens when it is due (``Action.NONE``: nothing, the
            retention just ends).
        governing_class: The class whose date sets ``dispose_after`` (the one
            keeping the record alive), or that waits for its event.
        disposal_class: The class whose action applies.
        outcomes: Every class that applied, with its own dates.
        waiting_for: Events not yet known that dates depend on.
        holds: Ids of the active holds that cover the record.
        lock: The lock the record carries after this evaluation (store it
            with :meth:`Record.with_lock`).
        schedule: The schedule's name.
        schedule_version: The version that decided.
    """

    status: RetentionStatus
    keep_until: date | None
    kept_by: str | None
    dispose_after: date | None
    action: Action | None
    governing_class: str | None
    disposal_class: str | None
    outcomes: tuple[ClassOutcome, ...]
    waiting_for: tuple[str, ...]
    holds: tuple[str, ...]
    lock: RetentionLock | None
    schedule: str
    schedule_version: int

    @property
    def due(self) -> bool:
        """Whether the record is due for review or disposal now."""
        return self.status in (RetentionStatus.DUE_FOR_REVIEW, RetentionStatus.DUE_FOR_DISPOSAL)

    @property
    def due_on(self) -> date | None:
        """The first day the record is (or will be) due, unless held: ``dispose_after`` + 1."""
        return None if self.dispose_after is None else self.dispose_after + timedelta(days=1)

    def explain(self) -> str:
        """The verdict and the rules behind it, one per line."""
        lines = [self._headline()]
        for o in self.outcomes:
            when = f"from {o.trigger_date}" if o.trigger_date else "its event has not happened"
            ends = f" -> {o.ends}" if o.ends else ""
            lines.append(f"- {o.record_class} ({o.inclusion}): {o.summary}; {when}{ends}")
        if len(self.outcomes) > 1 and self.dispose_after is not None:
            keeper = f" ({self.kept_by!r} until {self.keep_until})" if self.keep_until else ""
            action = self.action.value if self.action else "-"
            lines.append(
                f"precedence: retention wins over deletion, the longest retention wins{keeper}; "
                "for the disposal, explicit beats implicit, then the shortest wins"
                f" ({self.disposal_class!r}: {action}); the later of the two dates applies"
            )
        if self.lock is not None:
            lines.append(
                f"locked ({self.lock.mode.value}) until {self.lock.until} by "
                f"{self.lock.record_class!r} (schedule version {self.lock.schedule_version})"
            )
        lines.append(f"schedule {self.schedule!r} version {self.schedule_version}")
        return "\n".join(lines)

    def _headline(self) -> str:
        action = self.action.value if self.action else "nothing"
        if self.status is RetentionStatus.ON_HOLD:
            dates = f" (without the hold: due from {self.due_on})" if self.due_on else ""
            return f"on hold ({', '.join(self.holds)}): keep, whatever the dates say{dates}"
        if self.status is RetentionStatus.AWAITING_EVENT:
            return f"awaiting event {', '.join(self.waiting_for)}: keep; not due"
        if self.status is RetentionStatus.RETAIN:
            return f"retain until {self.dispose_after}, then {action}"
        if self.status is RetentionStatus.EXPIRED:
            return f"retention ended on {self.dispose_after}; no class disposes of it"
        return f"due since {self.due_on}: {action}"
