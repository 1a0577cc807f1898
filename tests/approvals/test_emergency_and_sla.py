"""Emergency actions ratified afterwards (R-APV-6) and step time limits (R-APV-2)."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from govkit.approvals import ApprovalChain, ApprovalRequest
from govkit.audit import Event
from govkit.calendar import BusinessDays
from govkit.errors import (
    InvalidDefinitionError,
    InvalidTimeError,
    InvalidTransitionError,
    NaiveDatetimeError,
    NotPermittedError,
)

from ._world import (
    CHINA,
    DEPARTMENT,
    EMERGENCY,
    MATRIX,
    MON,
    QUALITY,
    TIMED,
    actions,
    approve,
    later,
    sh,
    submitted,
    untyped,
)
from ._world import round_trip as reload

# R-APV-6: zhou shuts down the export server on Wed 2026-09-30 15:00, the day before the
# National Day holiday. Three working days, the start day not counted (Civil Code art. 201):
# Oct 1-7 are holidays, so Thu Oct 8 (1), Fri Oct 9 (2) and the make-up working day
# Sat Oct 10 (3): ratification is due at close of business, Sat 2026-10-10 18:00.
ACTED = sh(30, 15, month=9)
RECORDED = sh(30, 16, month=9)
DUE = sh(10, 18, month=10)


def emergency(**changes: Any) -> tuple[ApprovalRequest, tuple[Event, ...]]:
    """zhou's emergency action, recorded an hour after it was taken."""
    fields: dict[str, Any] = {
        "id": "EM-2026-007",
        "actor": "zhou",
        "reason": "data leak: export server shut down",
        "acted_at": ACTED,
        "scope": QUALITY,
        "at": RECORDED,
        "matrix": MATRIX,
        "amount": 20_000,
        "subject": {"incident": "export server", "action": "shutdown"},
    }
    fields.update(changes)
    definition = fields.pop("definition", EMERGENCY)
    return ApprovalRequest.emergency(definition, **fields)


# -- R-APV-6: emergency actions ------------------------------------------------------------------


def test_r_apv_6_due_date_counts_working_days_on_the_china_calendar() -> None:
    """R-APV-6: 3 working days from Wed 09-30 skip the holiday and end Sat 10-10 (make-up day)."""
    assert CHINA.add(ACTED, BusinessDays(3)) == DUE
    assert not CHINA.is_working_day(DUE.date().replace(day=7))
    assert CHINA.is_working_day(DUE.date())
    request, _ = emergency()
    assert request.emergency_action is not None
    assert request.emergency_action.due_at == DUE


def test_r_apv_6_due_date_from_a_friday_evening() -> None:
    """R-APV-6: acted Fri 11-27 22:00: Mon, Tue, Wed count; due Wed 2026-12-02 18:00."""
    request, _ = emergency(acted_at=sh(27, 22), at=sh(28, 9))
    assert request.emergency_action is not None
    assert request.emergency_action.due_at == datetime(2026, 12, 2, 18, tzinfo=DUE.tzinfo)


def test_r_apv_6_emergency_waits_for_ratification() -> None:
    """R-APV-6: the action is recorded awaiting ratification, with its reason and due date."""
    request, events = emergency()
    assert request.state == "awaiting_ratification"
    assert request.requester == "zhou"
    assert request.emergency_action is not None
    assert (request.emergency_action.actor, request.emergency_action.reason) == (
        "zhou",
        "data leak: export server shut down",
    )
    assert request.emergency_action.acted_at == ACTED
    assert actions(events) == ["approval.emergency_recorded", "approval.step_reached"]
    assert events[0].at == RECORDED
    assert events[0].data == {
        "chain": "emergency-ratification",
        "chain_version": 1,
        "round": 1,
        "reason": "data leak: export server shut down",
        "acted_at": "2026-09-30T15:00:00+08:00",
        "due_at": "2026-10-10T18:00:00+08:00",
    }
    assert request.rounds[0].reason == "emergency action recorded"
    assert request.pending_approvers(MATRIX, RECORDED) == ("chen",)
    assert (
        "  emergency action by zhou at 2026-09-30T15:00:00+08:00: data leak: export server shut "
        "down; ratification due 2026-10-10T18:00:00+08:00"
    ) in request.explain().splitlines()


def test_r_apv_6_ratified_in_time() -> None:
    """R-APV-6: chen ratifies on Fri 10-09: state 'ratified', never overdue."""
    request, _ = emergency()
    ratified, events = request.approve(actor="chen", at=sh(9, 11, month=10), matrix=MATRIX)
    assert ratified.state == "ratified"
    assert actions(events) == ["approval.step_approved", "approval.ratified"]
    assert ratified.signatures[-1].meaning == "ratified ratify: ratified"
    status = ratified.status(sh(20, 9, month=10))
    assert (status.state, status.ratification_due_at, status.ratification_overdue) == (
        "ratified",
        DUE,
        False,
    )
    assert ratified.tick(sh(20, 9, month=10), matrix=MATRIX)[1] == ()


def test_r_apv_6_the_deadline_itself_is_in_time() -> None:
    """R-APV-6: at 18:00 on the due day it is not overdue; a microsecond later it is."""
    request, _ = emergency()
    assert not request.status(DUE).ratification_overdue
    assert request.status(DUE + timedelta(microseconds=1)).ratification_overdue
    assert request.tick(DUE, matrix=MATRIX)[1] == ()


def test_r_apv_6_overdue_ratification_is_reported_once() -> None:
    """R-APV-6: a tick after the due date reports approval.ratification_overdue once, dated DUE."""
    request, _ = emergency()
    ticked, events = request.tick(sh(12, 9, month=10), matrix=MATRIX)
    assert actions(events) == ["approval.ratification_overdue"]
    assert (events[0].at, events[0].actor) == (DUE, "system")
    assert events[0].data["acted_by"] == "zhou"
    assert ticked.overdue_reported
    assert ticked.status(sh(12, 9, month=10)).ratification_overdue
    again, more = ticked.tick(sh(13, 9, month=10), matrix=MATRIX)
    assert more == ()
    assert again == ticked


def test_r_apv_6_late_ratification_stays_marked_overdue() -> None:
    """R-APV-6: ratified after the due date, the request is 'ratified' and its status overdue."""
    request, _ = emergency()
    ticked, _ = request.tick(sh(12, 9, month=10), matrix=MATRIX)
    ratified = approve(ticked, "chen", sh(12, 10, month=10))
    assert ratified.state == "ratified"
    assert ratified.status(sh(12, 11, month=10)).ratification_overdue


def test_r_apv_6_rejected_emergency_action() -> None:
    """R-APV-6: the CEO may refuse to ratify; the request is rejected."""
    request, _ = emergency()
    rejected, events = request.reject(
        actor="chen", at=sh(8, 10, month=10), matrix=MATRIX, comment="should have called me"
    )
    assert rejected.state == "rejected"
    assert actions(events) == ["approval.step_rejected", "approval.rejected"]
    assert not rejected.status(sh(20, 9, month=10)).ratification_overdue


def test_r_apv_6_the_actor_never_ratifies_their_own_action() -> None:
    """R-APV-6: when the CEO acted, the CEO may not ratify: the request is stuck and says so."""
    request, _ = emergency(actor="chen")
    assert request.pending_approvers(MATRIX, RECORDED) == ()
    with pytest.raises(NotPermittedError):
        request.approve(actor="chen", at=later(RECORDED, 1), matrix=MATRIX)
    assert "STUCK" in request.explain(MATRIX, RECORDED)


def test_r_apv_6_an_emergency_cannot_be_returned_or_withdrawn() -> None:
    """R-APV-6: the action happened: it can be ratified or rejected, not returned or withdrawn."""
    request, _ = emergency()
    with pytest.raises(InvalidTransitionError):
        request.send_back(None, actor="chen", at=later(RECORDED, 1), matrix=MATRIX)
    with pytest.raises(InvalidTransitionError):
        request.withdraw(actor="zhou", at=later(RECORDED, 1))


def test_r_apv_6_ratify_within_can_be_given_per_action() -> None:
    """R-APV-6: an explicit ratify_within overrides the chain's, e.g. 48 hours of wall time."""
    request, _ = emergency(ratify_within=timedelta(hours=48))
    assert request.emergency_action is not None
    assert request.emergency_action.due_at == ACTED + timedelta(hours=48)
    on_plain_chain, _ = emergency(definition=DEPARTMENT, ratify_within=timedelta(hours=24))
    assert on_plain_chain.emergency_action is not None
    assert on_plain_chain.emergency_action.due_at == ACTED + timedelta(hours=24)


@pytest.mark.parametrize(
    ("changes", "error", "field"),
    [
        ({"acted_at": later(RECORDED, 1)}, InvalidTimeError, "acted_at"),
        ({"acted_at": datetime(2026, 9, 30, 15)}, NaiveDatetimeError, "acted_at"),
        ({"reason": ""}, InvalidDefinitionError, "reason"),
        ({"definition": DEPARTMENT}, InvalidDefinitionError, "ratify_within"),
        ({"amount": 1.5}, InvalidDefinitionError, "amount"),
    ],
)
def test_r_apv_6_bad_emergency_records_are_refused(
    changes: dict[str, Any], error: type[Exception], field: str
) -> None:
    """R-APV-6: an action in the future, a naive instant, no reason or no deadline is refused."""
    with pytest.raises(error) as caught:
        emergency(**changes)
    assert getattr(caught.value, "field", None) == field


def test_r_apv_6_business_time_without_a_calendar_is_a_definition_error() -> None:
    """R-APV-6: business days cannot be counted on a chain with no calendar: a typed error."""
    with pytest.raises(InvalidDefinitionError) as caught:
        emergency(definition=DEPARTMENT, ratify_within=BusinessDays(3))
    assert caught.value.field == "ratify_within"


@pytest.mark.parametrize("chain", [DEPARTMENT, EMERGENCY], ids=["no-calendar", "china"])
def test_r_apv_6_ratify_within_must_be_a_duration(chain: ApprovalChain) -> None:
    """R-APV-6: a ratify_within that is not a duration is refused, naming ratify_within."""
    with pytest.raises(InvalidDefinitionError) as caught:
        emergency(definition=chain, ratify_within=untyped("3 days"))
    assert caught.value.field == "ratify_within"


# -- R-APV-2: step time limits ------------------------------------------------------------------
#
# The head has 8 business hours from Mon 11-23 10:00: 10-12 and 13-18 (7 h) plus Tue 09-10.
# 50% (4 h) is Mon 15:00, 75% (6 h) Mon 17:00, the breach Tue 11-24 10:00.

HALF, THREE_QUARTERS, BREACH = sh(23, 15), sh(23, 17), sh(24, 10)


def timed(action: str) -> ApprovalRequest:
    """li's purchase under the timed chain whose head step does ``action`` on breach."""
    return submitted(TIMED[action])


def reminders(events: tuple[Event, ...]) -> list[tuple[str, datetime, str]]:
    """(step, instant, fraction) of each reminder."""
    return [
        (e.data["step"], e.at, e.data["fraction"])
        for e in events
        if e.action == "approval.reminder"
    ]


def test_r_apv_2_status_shows_the_step_deadline() -> None:
    """R-APV-2: the head's 8 business hours from Mon 10:00 end Tue 10:00."""
    request = timed("remind")
    status = request.status(MON)
    assert (status.step, status.round, status.step_due_at, status.step_overdue) == (
        "head",
        1,
        BREACH,
        False,
    )
    assert request.status(BREACH).step_overdue is False
    assert request.status(later(BREACH, 1)).step_overdue is True
    assert "      due 2026-11-24T10:00:00+08:00" in request.explain(MATRIX, MON).splitlines()
    assert "      due 2026-11-24T10:00:00+08:00 (OVERDUE)" in (
        request.explain(MATRIX, later(BREACH, 1)).splitlines()
    )


def test_r_apv_2_reminders_at_half_and_three_quarters() -> None:
    """R-APV-2: ticks report the 50% and 75% reminders at the instants they were crossed."""
    request = timed("remind")
    early, events = request.tick(sh(23, 14, 59), matrix=MATRIX)
    assert events == ()
    half, events = request.tick(sh(23, 15, 30), matrix=MATRIX)
    assert reminders(events) == [("head", HALF, "0.5")]
    assert half.notified == (Decimal("0.5"),)
    both, events = half.tick(sh(23, 17, 30), matrix=MATRIX)
    assert reminders(events) == [("head", THREE_QUARTERS, "0.75")]
    assert both.notified == (Decimal("0.5"), Decimal("0.75"))
    assert early == request


def test_r_apv_2_breach_remind() -> None:
    """R-APV-2: 'remind' on breach: overdue event and a final reminder, approvers unchanged."""
    request = timed("remind")
    ticked, events = request.tick(sh(24, 11), matrix=MATRIX)
    assert [(e.action, e.at) for e in events] == [
        ("approval.reminder", HALF),
        ("approval.reminder", THREE_QUARTERS),
        ("approval.step_overdue", BREACH),
        ("approval.reminder", BREACH),
    ]
    assert events[2].data["on_breach"] == "remind"
    assert events[3].data["fraction"] == "1"
    assert ticked.state == "pending"
    assert ticked.pending_approvers(MATRIX, sh(24, 11)) == ("sun", "wang")


def test_r_apv_2_breach_escalates_to_the_director() -> None:
    """R-APV-2, R-APV-13: 'escalate' lets the director decide the head step too."""
    request = timed("escalate")
    assert request.pending_approvers(MATRIX, sh(24, 11)) == ("sun", "wang")
    with pytest.raises(NotPermittedError):
        request.approve(actor="zhou", at=sh(24, 11), matrix=MATRIX)
    ticked, events = request.tick(sh(24, 11), matrix=MATRIX)
    assert actions(events)[-2:] == ["approval.step_overdue", "approval.escalated"]
    assert events[-1].at == BREACH
    assert events[-1].data["to_role"] == "director"
    assert ticked.escalated
    assert ticked.pending_approvers(MATRIX, sh(24, 11)) == ("sun", "wang", "zhou")
    done = approve(ticked, "zhou", sh(24, 12))
    assert done.signatures[-1].role == "director"
    assert done.pending_approvers(MATRIX, sh(24, 12)) == ("zhao",)


def test_r_apv_2_breach_auto_rejects() -> None:
    """R-APV-2: 'auto_reject' rejects at the breach instant, signed by the system."""
    ticked, events = timed("auto_reject").tick(sh(24, 11), matrix=MATRIX)
    assert ticked.state == "rejected"
    assert actions(events)[-2:] == ["approval.step_overdue", "approval.rejected"]
    assert events[-1].at == BREACH
    last = ticked.signatures[-1]
    assert (last.actor, last.decision, last.at, last.comment, last.role) == (
        "system",
        "reject",
        BREACH,
        "auto_reject on breach",
        None,
    )


def test_r_apv_2_breach_auto_approves_signed_by_system() -> None:
    """R-APV-2: 'auto_approve' approves the head step as 'system' and reaches finance at once."""
    ticked, events = timed("auto_approve").tick(sh(24, 11), matrix=MATRIX)
    assert actions(events)[-2:] == ["approval.step_overdue", "approval.step_reached"]
    assert events[-1].data["step"] == "finance"
    assert events[-1].at == BREACH
    last = ticked.signatures[-1]
    assert (last.actor, last.step, last.decision, last.at) == ("system", "head", "approve", BREACH)
    assert last.subject_sha256 == ticked.subject_sha256
    assert ticked.step_started_at == BREACH
    assert ticked.pending_approvers(MATRIX, sh(24, 11)) == ("zhao",)
    # Finance's 2 working days count from the breach: Wed and Thu, due Thu 11-26 18:00.
    assert ticked.status(sh(24, 11)).step_due_at == sh(26, 18)


def test_r_apv_2_a_late_tick_reports_every_past_instant() -> None:
    """R-APV-2: one tick on Fri reports the head's and then finance's deadlines, each when due."""
    ticked, events = timed("auto_approve").tick(sh(27, 9), matrix=MATRIX)
    assert [(e.action, e.at, e.data.get("step")) for e in events] == [
        ("approval.reminder", HALF, "head"),
        ("approval.reminder", THREE_QUARTERS, "head"),
        ("approval.step_overdue", BREACH, "head"),
        ("approval.step_reached", BREACH, "finance"),
        # Finance: 23 business hours from Tue 10:00; 50% Wed 14:30, 75% Thu 11:15.
        ("approval.reminder", sh(25, 14, 30), "finance"),
        ("approval.reminder", sh(26, 11, 15), "finance"),
        ("approval.step_overdue", sh(26, 18), "finance"),
        ("approval.reminder", sh(26, 18), "finance"),
    ]
    assert ticked.updated_at == sh(27, 9)
    assert ticked.version == 2


def test_r_apv_2_ticking_twice_changes_nothing() -> None:
    """R-APV-2: the second tick at the same or a later instant has nothing left to report."""
    for action in ("remind", "escalate", "auto_approve"):
        ticked, first = timed(action).tick(sh(24, 11), matrix=MATRIX)
        assert first
        again, events = ticked.tick(sh(24, 11), matrix=MATRIX)
        assert events == ()
        assert again is ticked
        assert ticked.tick(sh(24, 11, 30), matrix=MATRIX)[1] == ()


def test_r_apv_2_many_small_ticks_report_what_one_late_tick_reports() -> None:
    """R-APV-2: ticking every hour yields the same events as one tick at the end."""
    request = timed("auto_approve")
    _, once = request.tick(sh(27, 9), matrix=MATRIX)
    hourly: list[Event] = []
    current = request
    at = MON
    while at < sh(27, 9):
        at = min(at + timedelta(hours=1), sh(27, 9))
        current, events = current.tick(at, matrix=MATRIX)
        hourly.extend(events)
    assert hourly == list(once)


def test_r_apv_2_a_decision_in_time_restarts_the_clock_at_the_next_step() -> None:
    """R-APV-2: wang endorses Mon 11:00; finance's clock starts then and the head sends nothing."""
    request = approve(timed("auto_reject"), "wang", sh(23, 11))
    assert request.step_started_at == sh(23, 11)
    assert request.notified == ()
    assert request.status(sh(23, 11)).step_due_at == sh(25, 18)
    ticked, events = request.tick(sh(24, 11), matrix=MATRIX)
    assert ticked.state == "pending"
    assert all(e.data["step"] == "finance" for e in events)


def test_r_apv_2_ticks_survive_a_json_round_trip() -> None:
    """R-APV-2: a reloaded request knows which reminders it already sent."""
    half, _ = timed("escalate").tick(sh(23, 16), matrix=MATRIX)
    loaded = reload(half)
    assert loaded == half
    mine = half.tick(sh(24, 11), matrix=MATRIX)
    theirs = loaded.tick(sh(24, 11), matrix=MATRIX)
    assert mine == theirs
    assert reminders(theirs[1]) == [("head", THREE_QUARTERS, "0.75")]


def test_tick_refuses_bad_instants() -> None:
    """R-APV-2: ticks take aware instants no earlier than the last change."""
    request = approve(timed("remind"), "wang", sh(23, 11))
    with pytest.raises(NaiveDatetimeError):
        request.tick(datetime(2026, 11, 24, 11), matrix=MATRIX)
    with pytest.raises(InvalidTimeError) as caught:
        request.tick(sh(23, 10, 30), matrix=MATRIX)
    assert caught.value.field == "at"
