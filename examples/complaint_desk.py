"""The complaint desk: deadlines, SLA clocks and a training flag for the complaint office.

Policy 003 (办公室投诉与反馈处理制度) says an employee complaint is answered
within 5 working days, counted on the legal calendar with its public holidays
and weekend make-up working days (R-SLA-3); the minutes of the handling
meeting are issued within 24 hours (R-SLA-1); a specialist with three
consecutive timeouts attends intensive training (R-SLA-8); the office
reports monthly, by the 5th (R-SLA-5); and a fault found through a complaint
is rectified by a deadline, plan first and review after (R-SLA-6, R-SLA-11).
Contracts are readable only by the director and legal (R-ROL-2), purchase
authority is tiered by amount (R-APV-5), an emergency group holds temporary
powers (R-ROL-10), and access is reviewed every year (R-ROL-8). Purchases
and complaints go through approval chains (R-APV-1, R-APV-4, R-APV-5,
R-APV-7), a complainant sends a resolution back until satisfied (R-APV-11), a
sensitive report gets two different reviewers (R-APV-9), and an emergency
action is ratified after the fact (R-APV-6). Complaint files are named by
rule (R-RET-3), a report is desensitized before release (R-RET-6) and the
quarter's audit sample is drawn reproducibly (R-RET-8). The retention
schedule keeps signature records five years (R-RET-1) and contracts,
encrypted and readable by the director and legal only, ten years after they
end (R-RET-2); a disputed file is put on legal hold, and a nightly run
disposes of what is due, leaving destruction certificates.

Run it with ``make demo``.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from itertools import pairwise
from pathlib import Path
from zoneinfo import ZoneInfo

from govkit.approvals import (
    ApprovalChain,
    ApprovalPolicy,
    ApprovalRequest,
    ByRole,
    ByUser,
    SignatureRecord,
    Step,
)
from govkit.audit import AuditLog, Event
from govkit.calendar import BusinessCalendar, BusinessDays, BusinessHours, Period
from govkit.errors import InvalidDefinitionError, NotPermittedError
from govkit.kpi import GradeScale, Ratio, Scorecard, Trajectory, rank, top_n
from govkit.retention import (
    DestructionCertificate,
    Disposition,
    LegalHold,
    NamingRule,
    Record,
    RedactionRule,
    RetentionSchedule,
    sample_for_audit,
)
from govkit.roles import Assignment, Grant, RoleMatrix
from govkit.runs import RunRule
from govkit.serialization import from_toml
from govkit.sla import BreachStreak, RecurringDeadline, SlaClock, SlaGoal, SlaPolicy

SHANGHAI = ZoneInfo("Asia/Shanghai")
POLICIES = Path(__file__).parent / "policies"
POLICY_FILE = POLICIES / "complaint_reply.toml"

REPLY_WITHIN = BusinessDays(5)  # R-SLA-3: 5个工作日
MINUTES_WITHIN = timedelta(hours=24)  # R-SLA-1: elapsed time, weekends included
ACKNOWLEDGE_WITHIN = BusinessHours(8)  # a desk's own rule: one working day of open hours

COMPLAINTS = [
    ("C-2025-0921", datetime(2025, 9, 26, 16, 30, tzinfo=SHANGHAI)),
    ("C-2025-0930", datetime(2025, 9, 30, 17, 45, tzinfo=SHANGHAI)),
    ("C-2025-1004", datetime(2025, 10, 4, 11, 0, tzinfo=SHANGHAI)),
    ("C-2026-0211", datetime(2026, 2, 11, 9, 15, tzinfo=SHANGHAI)),
    ("C-2026-0213", datetime(2026, 2, 13, 18, 30, tzinfo=SHANGHAI)),
    ("C-2026-0220", datetime(2026, 2, 20, 10, 0, tzinfo=SHANGHAI)),
]

Row = tuple[str, datetime, datetime, datetime, datetime]


def deadlines(calendar: BusinessCalendar) -> list[Row]:
    """Return (id, received, acknowledge by, minutes by, reply by) for each complaint."""
    rows = []
    for complaint, received in COMPLAINTS:
        rows.append(
            (
                complaint,
                received,
                calendar.add(received, ACKNOWLEDGE_WITHIN),
                calendar.add(received, MINUTES_WITHIN),
                calendar.add(received, REPLY_WITHIN),
            )
        )
    return rows


def _when(moment: datetime | None) -> str:
    return moment.strftime("%a %Y-%m-%d %H:%M") if moment else "-"


def print_deadlines(calendar: BusinessCalendar) -> None:
    """Print the deadline table."""
    print("Complaint desk deadlines (PRC legal calendar, Asia/Shanghai)")
    print("reply: 5 working days (R-SLA-3); minutes: 24 hours (R-SLA-1); ack: 8 business hours\n")
    print(
        f"{'complaint':<12} {'received':<21} {'acknowledge by':<21} "
        f"{'minutes by':<21} {'reply by':<21} wd"
    )
    print("-" * 102)
    for complaint, received, ack, minutes, reply in deadlines(calendar):
        # Working days between receipt and reply: always 5, holidays skipped.
        counted = calendar.working_days_between(received.date(), reply.date())
        print(
            f"{complaint:<12} {_when(received):<21} {_when(ack):<21} "
            f"{_when(minutes):<21} {_when(reply):<21} {counted}"
        )
    print(
        "\nHolidays are skipped and make-up Saturdays (2025-10-11, 2026-02-14, 2026-02-28) count."
    )


# Who handled what: (complaint, specialist, priority, received, [(action, at), ...]).
# Each case ends with "stop" when the reply went out.
CASES = [
    (
        "C-2026-0302",
        "wang",
        "normal",
        datetime(2026, 3, 2, 10, tzinfo=SHANGHAI),
        [
            ("stop", datetime(2026, 3, 5, 16, tzinfo=SHANGHAI)),
        ],
    ),
    (
        "C-2026-0310",
        "li",
        "normal",
        datetime(2026, 3, 10, 9, tzinfo=SHANGHAI),
        [
            ("stop", datetime(2026, 3, 18, 11, tzinfo=SHANGHAI)),
        ],
    ),
    (
        "C-2026-0316",
        "wang",
        "normal",
        datetime(2026, 3, 16, 14, tzinfo=SHANGHAI),
        [
            # Waiting for the customer's documents: the clock does not run meanwhile.
            ("pause", datetime(2026, 3, 18, 10, tzinfo=SHANGHAI)),
            ("resume", datetime(2026, 3, 25, 9, tzinfo=SHANGHAI)),
            ("stop", datetime(2026, 3, 27, 17, tzinfo=SHANGHAI)),
        ],
    ),
    (
        "C-2026-0323",
        "li",
        "high",
        datetime(2026, 3, 23, 9, tzinfo=SHANGHAI),
        [
            ("stop", datetime(2026, 3, 24, 15, tzinfo=SHANGHAI)),
        ],
    ),
    (
        "C-2026-0330",
        "li",
        "normal",
        datetime(2026, 3, 30, 11, tzinfo=SHANGHAI),
        [
            ("stop", datetime(2026, 4, 9, 10, tzinfo=SHANGHAI)),
        ],
    ),
    (
        "C-2026-0401",
        "wang",
        "normal",
        datetime(2026, 4, 1, 9, tzinfo=SHANGHAI),
        [
            ("stop", datetime(2026, 4, 3, 12, tzinfo=SHANGHAI)),
        ],
    ),
]


def handle_cases(policy: SlaPolicy, log: AuditLog) -> list[tuple[str, str, SlaClock]]:
    """Run each case's clock through what happened to it; return (case, specialist, clock)."""
    done = []
    for complaint, specialist, priority, received, steps in CASES:
        clock, events = policy.start(
            at=received, facts={"priority": priority}, subject=complaint, actor=specialist
        )
        log.extend(events)
        for action, at in steps:
            clock, events = getattr(clock, action)(at, actor=specialist)
            log.extend(events)
        done.append((complaint, specialist, clock))
    return done


def print_clocks(handled: list[tuple[str, str, SlaClock]]) -> None:
    """Print one line per handled complaint: goal, due, replied, outcome."""
    print("\nSLA clocks (policy examples/policies/complaint_reply.toml)\n")
    print(
        f"{'complaint':<12} {'by':<5} {'goal':<9} {'due':<21} {'replied':<21} "
        f"{'paused':>7}  outcome"
    )
    print("-" * 94)
    for complaint, specialist, clock in handled:
        cycle = clock.history[-1]
        paused = sum((b.start - a.end for a, b in pairwise(clock.segments)), timedelta())
        print(
            f"{complaint:<12} {specialist:<5} {cycle.goal:<9} {_when(cycle.due_at):<21} "
            f"{_when(cycle.ended_at):<21} {paused.days:>5} d  {cycle.outcome}"
        )


def flag_training(handled: list[tuple[str, str, SlaClock]], at: datetime) -> list[Event]:
    """R-SLA-8: three consecutive timeouts of one specialist mean intensive training."""
    rule = BreachStreak(3, 3, action="training.required")
    flags = []
    for specialist in sorted({who for _, who, _ in handled}):
        cycles = [clock.history[-1] for _, who, clock in handled if who == specialist]
        verdict = rule.evaluate(cycles)
        print(f"{specialist}: {verdict.explanation}")
        event = rule.check(cycles, assignee=specialist, at=at)
        if event is not None:
            flags.append(event)
    return flags


def print_reports(calendar: BusinessCalendar, after: datetime) -> None:
    """R-SLA-5: the monthly report is due by the 5th; list the next three due instants."""
    monthly = RecurringDeadline(
        name="monthly report", rule="FREQ=MONTHLY;BYMONTHDAY=5", calendar=calendar
    )
    print("\nMonthly report (R-SLA-5: by the 5th, rolled to the next working day)")
    for _ in range(3):
        occurrence = monthly.next_due(after)
        print(f"  {occurrence.nominal}  ->  due {_when(occurrence.due)}")
        after = occurrence.due


def print_improvement(calendar: BusinessCalendar) -> None:
    """R-SLA-6 and R-SLA-12: chained deadlines and milestones, built from SLA clocks.

    A complaint revealed a process fault. The department delivers a rectification
    plan within 3 working days; the director reviews it within 2 working days of
    delivery (the second clock starts when the first stops). The improvement
    project then runs 3 months with a mid-term review at half its working time.
    """
    plan = SlaPolicy(
        name="rectification-plan",
        goals=[SlaGoal(name="plan", target=BusinessDays(3))],
        default="plan",
        calendar=calendar,
    )
    review = SlaPolicy(
        name="director-review",
        goals=[SlaGoal(name="review", target=BusinessDays(2))],
        default="review",
        calendar=calendar,
    )
    project = SlaPolicy(
        name="improvement-project",
        goals=[SlaGoal(name="project", target=Period(months=3), thresholds=[0.5])],
        default="project",
        calendar=calendar,
    )
    noticed = datetime(2026, 4, 27, 10, tzinfo=SHANGHAI)
    clock, _ = plan.start(at=noticed, subject="R-2026-04")
    print("\nRectification (R-SLA-11) with chained deadlines (R-SLA-6) and milestones (R-SLA-12)")
    print(f"  notice issued          {_when(noticed)}")
    print(f"  plan due               {_when(clock.status(noticed).due_at)}")
    delivered = datetime(2026, 5, 6, 15, tzinfo=SHANGHAI)
    clock, _ = clock.stop(delivered)
    print(f"  plan delivered         {_when(delivered)}  ({clock.history[-1].outcome})")
    second, _ = review.start(at=delivered, subject="R-2026-04")
    print(f"  director review due    {_when(second.status(delivered).due_at)}")
    kickoff = datetime(2026, 5, 11, 9, tzinfo=SHANGHAI)
    run, _ = project.start(at=kickoff, subject="P-2026-07")
    end = datetime(2026, 8, 12, 9, tzinfo=SHANGHAI)
    status = run.status(end)
    midterm = next(c.at for c in status.crossed if c.fraction == Decimal("0.5"))
    print(f"  project kickoff        {_when(kickoff)}")
    print(f"  mid-term review        {_when(midterm)}  (half of the project's working time)")
    print(f"  acceptance due         {_when(status.due_at)}")


def load_matrix() -> RoleMatrix:
    """The office's permission matrix: roles from TOML, the yearly grant table from CSV."""
    base = from_toml((POLICIES / "roles.toml").read_text(encoding="utf-8"), RoleMatrix)
    table = POLICIES / "permission_matrix.csv"
    return RoleMatrix.from_csv(table.read_text(encoding="utf-8"), source=table.name, base=base)


def print_access(matrix: RoleMatrix) -> None:
    """R-ROL-2, R-APV-5, R-ROL-10: who may read contracts, approve purchases, act in a crisis."""
    print(f"\nPermission matrix {matrix.name} v{matrix.version} ({len(matrix.grants)} grants)")
    now = datetime(2026, 11, 23, 10, tzinfo=SHANGHAI)
    requests: list[tuple[str, str, str, str, datetime, int | None]] = [
        ("zhao", "read", "contract-archive", "company/archive", now, None),
        ("zhou", "read", "contract-archive", "company/archive", now, None),
        ("wang", "read", "contract-archive", "company/archive", now, None),
        ("qian", "approve", "purchase", "company/complaints", now, 30_000),
        ("qian", "approve", "purchase", "company/complaints", now, 80_000),
        ("zhao", "appoint", "major-post", "company", now, None),
        (
            "wang",
            "read",
            "customer-data",
            "company/crm",
            datetime(2026, 6, 12, 15, tzinfo=SHANGHAI),
            None,
        ),
        (
            "wang",
            "read",
            "customer-data",
            "company/crm",
            datetime(2026, 6, 20, 10, tzinfo=SHANGHAI),
            None,
        ),
    ]
    for user, action, resource, scope, at, amount in requests:
        decision = matrix.check(user, action, resource, scope=scope, at=at, amount=amount)
        what = f"{user} {action} {resource}" + (f" {amount:,}" if amount else "")
        print(f"  {what:<34} {at:%Y-%m-%d}  {decision.explain()}")


def print_review(matrix: RoleMatrix) -> None:
    """R-ROL-8: the yearly access review, with the recertification dates."""
    # The host knows when each user last used their access (from its own logs).
    last_use = {user: datetime(2026, 11, 20, tzinfo=SHANGHAI) for user in matrix.users_with_roles()}
    last_use["li"] = datetime(2026, 7, 1, tzinfo=SHANGHAI)
    report = matrix.review(
        datetime(2026, 11, 23, 10, tzinfo=SHANGHAI),
        last_use=last_use,
        recertify="FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=15",
    )
    print()
    print(report.explain())


# Document completeness at the quarterly audit (R-RET-8) and repeat complaints, per specialist.
AUDIT = {"wang": Ratio(19, 20), "li": Ratio(15, 20), "sun": Ratio(20, 20), "zhou": Ratio(0, 0)}
REPEATS = {"wang": 1, "li": 3, "sun": 0, "zhou": 2}
# Earlier quarters (on-time share) for the run rule; the current quarter comes from the clocks.
EARLIER_ON_TIME = {
    "wang": [Decimal("0.95"), Decimal("0.92")],
    "li": [Decimal("0.82"), Decimal("0.78")],
}


def print_quarter(handled: list[tuple[str, str, SlaClock]]) -> None:
    """R-KPI-3, R-KPI-4, R-KPI-6, R-KPI-8: the specialists' quarter from their SLA outcomes."""
    card = from_toml(
        (POLICIES / "specialist_scorecard.toml").read_text(encoding="utf-8"), Scorecard
    )
    grades = GradeScale(name="quarter", bands=[(90, "A"), (75, "B"), (60, "C"), (0, "D")])
    outcomes: dict[str, list[str]] = {}
    for _, specialist, clock in handled:
        outcomes.setdefault(specialist, []).append(clock.history[-1].outcome)
    # Two more specialists whose clocks ran elsewhere in the quarter.
    outcomes.update({"sun": ["met"] * 9 + ["missed"], "zhou": ["met"] * 7 + ["missed"] * 2})
    print(f"\nQuarterly scorecard {card.name} v{card.version} (R-KPI-4)")
    totals = {}
    for person in sorted(outcomes):
        met = outcomes[person].count("met")
        values = {
            "on_time_rate": Ratio(met, len(outcomes[person])),
            "complete_files": AUDIT[person],
            "repeat_complaints": REPEATS[person],
        }
        result = card.score(values)
        totals[person] = result.total
        grade = grades.grade(result.total)
        missing = f"  (no data: {', '.join(result.missing)})" if result.missing else ""
        print(f"  {person:<5} total {result.total:7.2f}  grade {grade.grade}{missing}")
    ranking = rank(totals)
    bonus, overflow = top_n(ranking, 2)
    print("  ranking: " + ", ".join(f"{e.rank}. {e.person}" for e in ranking.entries))
    names = ", ".join(e.person for e in bonus)
    print(f"  top-2 bonus (R-KPI-3): {names}" + (f" (+{overflow} tied)" if overflow else ""))
    rule = RunRule(3, 3)
    for person, earlier in sorted(EARLIER_ON_TIME.items()):
        now = Decimal(outcomes[person].count("met")) / len(outcomes[person])
        verdict = rule.evaluate(value < Decimal("0.9") for value in [*earlier, now])
        if verdict.fired:
            print(
                f"  {person}: on-time share below 90% three quarters running -> training (R-KPI-8)"
            )
    trajectory = Trajectory(
        name="major-complaint rate",
        baseline=(date(2026, 1, 1), Decimal("0.08")),
        target=(date(2028, 12, 31), Decimal("0.02")),
        direction="lower",
    )
    print("  " + trajectory.check(date(2026, 9, 30), Decimal("0.065")).explanation + " (R-KPI-6)")


APPROVALS_FILE = POLICIES / "approvals.toml"


def _show(request: ApprovalRequest, matrix: RoleMatrix, at: datetime) -> None:
    print("\n".join("  " + line for line in request.explain(matrix, at).splitlines()))


def _run(log: AuditLog, result: tuple[ApprovalRequest, tuple[Event, ...]]) -> ApprovalRequest:
    """Keep the events of one step in the audit log and return the new snapshot."""
    request, events = result
    log.extend(events)
    return request


def complaint_chains() -> tuple[ApprovalChain, ApprovalChain, ApprovalChain, ApprovalChain]:
    """The complaint office's chains.

    Complaint approval (R-APV-4, R-APV-7), the resolution loop (R-APV-11), the
    double review (R-APV-9) and the ratification of emergency actions (R-APV-6).
    """
    approval = ApprovalChain(
        name="complaint-approval",
        resource="complaint",
        steps=[
            Step(name="specialist", approvers=ByRole("specialist"), action="handle"),
            Step(name="department-head", approvers=ByRole("department-head"), action="review"),
            Step(  # R-APV-7: only major cases go up to the director
                name="director",
                approvers=ByRole("director", scope="company"),
                when={"severity": "major"},
                meaning="final approval",
            ),
        ],
    )
    resolution = ApprovalChain(
        name="complaint-resolution",
        resource="complaint",
        steps=[
            Step(name="review", approvers=ByRole("department-head"), action="review"),
            Step(  # the complainant is outside the matrix: no permission to check
                name="customer",
                approvers=ByUser("emp-2041"),
                action=None,
                meaning="customer satisfied",
                may_send_back=True,
            ),
        ],
    )
    review = ApprovalChain(
        name="sensitive-report",
        resource="sensitive-report",
        steps=[
            Step(name="first-review", approvers=ByRole("reviewer", scope="company")),
            Step(
                name="second-review", approvers=ByRole("reviewer", scope="company"), distinct=True
            ),
        ],
    )
    ratification = ApprovalChain(
        name="incident-ratification",
        resource="incident",
        steps=[
            Step(name="director", approvers=ByRole("director", scope="company"), action="ratify")
        ],
        ratify_within=BusinessDays(3),
        calendar=BusinessCalendar.china(),
    )
    return approval, resolution, review, ratification


def print_approvals(matrix: RoleMatrix, log: AuditLog) -> list[SignatureRecord]:
    """R-APV-1..11: purchases by amount, complaints, a loop, a double review, a ratification.

    Returns the signature records of the two purchases (R-APV-3), kept under R-RET-1.
    """
    policy = from_toml(APPROVALS_FILE.read_text(encoding="utf-8"), ApprovalPolicy)
    approval, resolution, review, ratification = complaint_chains()
    print(f"\nApproval chains (policy {APPROVALS_FILE.name} and complaint chains)")

    def at(day: int, hour: int, month: int = 11) -> datetime:
        return datetime(2026, month, day, hour, tzinfo=SHANGHAI)

    # R-APV-5: 30,000 stays with the department head; R-APV-1: 120,000 needs three signatures.
    small = _run(
        log,
        ApprovalRequest.submit(
            policy,
            id="PO-2026-0107",
            requester="wang",
            scope="company/complaints",
            subject={"item": "label printer"},
            amount=30_000,
            at=at(23, 9),
            matrix=matrix,
        ),
    )
    small = _run(log, small.approve(actor="qian", at=at(23, 11), matrix=matrix))
    print(f"  {small.id}: {small.state} - {small.route.explain() if small.route else ''}")
    big = _run(
        log,
        ApprovalRequest.submit(
            policy,
            id="PO-2026-0108",
            requester="li",
            scope="company/complaints",
            subject={"item": "call-recording server"},
            amount=120_000,
            at=at(23, 10),
            matrix=matrix,
        ),
    )
    try:
        big.approve(actor="zheng", at=at(23, 11), matrix=matrix)
    except NotPermittedError as refused:
        print(f"  refused: {refused}")
    big = _run(log, big.approve(actor="qian", at=at(23, 14), matrix=matrix))
    big = _run(log, big.approve(actor="zheng", at=at(24, 10), matrix=matrix))
    big = _run(log, big.approve(actor="he", at=at(24, 16), matrix=matrix, comment="go ahead"))
    _show(big, matrix, at(24, 16))
    for record in big.history:
        print("    signed " + record.describe())

    # R-APV-4 and R-APV-7: a major complaint goes specialist -> head -> director.
    case = _run(
        log,
        ApprovalRequest.submit(
            approval,
            id="C-2026-1123",
            requester="emp-2041",
            scope="company/complaints",
            subject={"complaint": "overtime pay withheld"},
            facts={"severity": "major"},
            at=at(23, 9),
            matrix=matrix,
        ),
    )
    for who, hour in (("li", 10), ("qian", 15), ("zhao", 17)):
        case = _run(log, case.approve(actor=who, at=at(23, hour), matrix=matrix))
    _show(case, matrix, at(23, 17))

    # R-APV-11: the complainant sends the proposed resolution back until satisfied.
    loop = _run(
        log,
        ApprovalRequest.submit(
            resolution,
            id="C-2026-1123-R",
            requester="li",
            scope="company/complaints",
            subject={"resolution": "pay the overtime next month"},
            at=at(24, 9),
            matrix=matrix,
        ),
    )
    offers = ["pay the overtime this month", "pay this month with interest"]
    for day, offer in enumerate(offers, start=24):
        loop = _run(log, loop.approve(actor="qian", at=at(day, 10), matrix=matrix))
        loop = _run(
            log,
            loop.send_back(
                actor="emp-2041", at=at(day, 15), matrix=matrix, comment="not satisfied"
            ),
        )
        loop = _run(
            log,
            loop.resubmit(
                actor="li", at=at(day + 1, 9), matrix=matrix, subject={"resolution": offer}
            ),
        )
    loop = _run(log, loop.approve(actor="qian", at=at(26, 10), matrix=matrix))
    loop = _run(log, loop.approve(actor="emp-2041", at=at(26, 15), matrix=matrix))
    print(
        f"  {loop.id}: {loop.state} after {loop.round} rounds: "
        + "; ".join(f"{r.number}. {r.reason}" for r in loop.rounds)
    )

    # R-APV-9: two different reviewers for a report with customer data.
    staffed = matrix
    for user in ("wang", "sun"):
        staffed, _ = staffed.assign(
            Assignment(user, "reviewer", "company"), at=at(2, 9), actor="zhao"
        )
    staffed, _ = staffed.add_grant(
        Grant("reviewer", "approve", "sensitive-report"), at=at(2, 9), actor="zhao"
    )
    report = _run(
        log,
        ApprovalRequest.submit(
            review,
            id="RPT-2026-11",
            requester="li",
            scope="company/complaints",
            subject={"report": "complaints November", "masked": True},
            at=at(27, 9),
            matrix=staffed,
        ),
    )
    report = _run(log, report.approve(actor="wang", at=at(27, 10), matrix=staffed))
    try:
        report.approve(actor="wang", at=at(27, 11), matrix=staffed)
    except NotPermittedError as refused:
        print(f"  refused: {refused}")
    report = _run(log, report.approve(actor="sun", at=at(27, 14), matrix=staffed))
    print(
        f"  {report.id}: {report.state}, reviewed by "
        + " and ".join(s.actor for s in report.history)
    )

    # R-APV-6: the emergency group isolated the leaking server first; ratified afterwards.
    leak = _run(
        log,
        ApprovalRequest.emergency(
            ratification,
            id="INC-2026-0612",
            actor="wang",
            scope="company/complaints",
            reason="data leak: export server isolated",
            acted_at=at(12, 15, month=6),
            subject={"incident": "customer export leak"},
            at=at(12, 16, month=6),
            matrix=matrix,
        ),
    )
    due = leak.status(at(12, 16, month=6)).ratification_due_at
    print(
        f"  {leak.id}: {leak.state}, ratify by {_when(due)} "
        "(3 working days, the day of the action not counted)"
    )
    leak = _run(log, leak.approve(actor="zhao", at=at(16, 10, month=6), matrix=matrix))
    late = leak.status(at(16, 10, month=6)).ratification_overdue
    print(f"  {leak.id}: {leak.state} by zhao on {_when(leak.history[-1].at)}; overdue: {late}")
    return [*small.history, *big.history]


# R-RET-3: complaint number-department-date.
NAMING = NamingRule(
    "{complaint_no}-{dept}-{date:%Y%m%d}",
    patterns={"complaint_no": r"C-\d{4}-\d{4}", "dept": "[a-z]+"},
)
FILED = [(f"C-2026-{n:04d}", date(2026, 11, d)) for n, d in ((1101, 2), (1123, 23), (1124, 24))]


def print_files(log: AuditLog) -> None:
    """R-RET-3, R-RET-6, R-RET-8: file names, a desensitized report, the quarter's audit sample."""
    print("\nComplaint files (R-RET-3: complaint number-department-date)")
    names = [NAMING.format(complaint_no=c, dept="complaints", date=d) for c, d in FILED]
    print("  " + ", ".join(names))
    try:
        NAMING.validate("C-2026-1123-complaints-2026113")
    except InvalidDefinitionError as wrong:
        print(f"  refused: {wrong}")
    report = {"customer": "Ms Liu", "phone": "13812345678", "summary": "call 13812345678 back"}
    masking = RedactionRule(fields=("customer",), patterns={"mobile": r"1\d{10}"}, keep_last=4)
    released = masking.apply(report)
    print(f"  released report (R-RET-6): {dict(released.data)}; {released.explain()}")
    files = [f"C-2026-{n:04d}" for n in range(1001, 1061)]
    sample = sample_for_audit(files, quarter="2026-Q4", size=5)
    print(f"  audit sample (R-RET-8): {sample.explain()}: {', '.join(sample.ids)}")
    log.append(
        Event(
            actor="audit",
            action="retention.sampled",
            subject=sample.quarter,
            at=datetime(2026, 12, 1, 9, tzinfo=SHANGHAI),
            data={"seed": sample.seed, "ids": list(sample.ids)},
        )
    )


SCHEDULE_FILE = POLICIES / "retention_schedule.csv"
ARCHIVE = "company/archive"  # the scope records are read and disposed of in
# (contract, signed, ended): R-RET-2 counts ten years from the end of the contract.
CONTRACTS = [
    ("CT-2016-0042", datetime(2016, 3, 1, 10, tzinfo=SHANGHAI), date(2021, 3, 31)),
    ("CT-2024-0031", datetime(2024, 5, 20, 10, tzinfo=SHANGHAI), date(2026, 6, 30)),
    ("CT-2026-0117", datetime(2026, 1, 17, 10, tzinfo=SHANGHAI), None),  # still running
]
# Five years on, the 2026 signatures are due. (The 2026 role matrix stands in for that year's.)
NIGHTLY = datetime(2031, 12, 1, 2, tzinfo=SHANGHAI)


def load_schedule() -> RetentionSchedule:
    """The office's retention schedule: one record class per row of a CSV table."""
    return RetentionSchedule.from_csv(
        SCHEDULE_FILE.read_text(encoding="utf-8"),
        name="complaint-office-records",
        version=1,
        timezone="Asia/Shanghai",
        source=SCHEDULE_FILE.name,
    )


def signature_record(signature: SignatureRecord) -> Record:
    """R-RET-1: an approval's signature record (R-APV-3) as a record under retention.

    The id names the request and the step: each purchase step here has one signature.
    """
    return Record(
        f"{signature.request}/{signature.step}",
        ["signature-records"],
        created=signature.at,
        metadata={"actor": signature.actor, "subject_sha256": signature.subject_sha256},
    )


def office_records(signatures: list[SignatureRecord]) -> list[Record]:
    """Signature records, the complaint files of print_files and the contract archive."""
    records = [signature_record(s) for s in signatures]
    for complaint, filed in FILED:
        name = NAMING.format(complaint_no=complaint, dept="complaints", date=filed)
        records.append(
            Record(
                name,
                ["complaint-files"],
                created=datetime.combine(filed, time(18), SHANGHAI),
                name=name,
            )
        )
    for contract, signed, ended in CONTRACTS:
        events = {"contract_end": ended} if ended else {}
        records.append(Record(contract, ["contracts"], created=signed, events=events))
    return records


def print_retention(log: AuditLog, matrix: RoleMatrix, signatures: list[SignatureRecord]) -> None:
    """R-RET-1, R-RET-2: the retention schedule, a legal hold and a nightly disposal run."""
    schedule = load_schedule()
    print(f"\nRetention schedule {schedule.name} v{schedule.version} (R-RET-1, R-RET-2)")
    for record_class in schedule.classes:
        print(f"  {record_class.name:<24} {record_class.describe()}")
    records = office_records(signatures)
    for record in records:
        schedule.check_name(record)  # R-RET-3: the schedule's naming column checks file names
    by_id = {record.id: record for record in records}
    today = datetime(2026, 12, 2, 10, tzinfo=SHANGHAI)

    # R-RET-2: contracts are encrypted and readable only by the director and legal (R-ROL-2).
    contract = by_id["CT-2024-0031"]
    readers = []
    for user, role in (("zhao", "director"), ("zhou", "legal"), ("wang", "specialist")):
        allowed = schedule.may_read(user, contract, matrix=matrix, scope=ARCHIVE, at=today)
        readers.append(f"{user} ({role}) {'yes' if allowed else 'no'}")
    flags = ", ".join(sorted(schedule.flags_for(contract)))
    print(f"  {contract.id}: flags {flags}; may read: {', '.join(readers)}")
    for line in schedule.evaluate(contract, at=today).explain().splitlines():
        print("    " + line)

    # The complainant of C-2026-1123 went to labour arbitration: keep the file whatever its dates.
    disputed = by_id["C-2026-1123-complaints-20261123"]
    hold, placed = LegalHold.place(
        "HOLD-2026-01", "labour arbitration", at=today, actor="zhou", records=[disputed.id]
    )
    log.append(placed)
    print(f"  legal hold {hold.id} ({hold.matter}) on {disputed.id} since {_when(hold.placed)}")

    # The nightly run: every record judged at one instant; what is due goes to disposition.
    decisions = list(schedule.evaluate_many(records, at=NIGHTLY, holds=[hold]))
    due = [(r, d) for r, d in zip(records, decisions, strict=True) if d.due]
    print(f"\nNightly retention run {_when(NIGHTLY)}: {len(records)} records, {len(due)} due")
    for record, decision in zip(records, decisions, strict=True):
        print(f"  {record.id:<32} {record.classes[0]:<18} {decision.explain().splitlines()[0]}")
    morning, afternoon = NIGHTLY.replace(hour=9), NIGHTLY.replace(hour=14)
    certificates: list[DestructionCertificate] = []
    for record, decision in due:
        # A contract's disposal needs both the director and legal.
        contract_due = decision.disposal_class == "contracts"
        reviewers = ("zhao", "zhou") if contract_due else ("zhao",)
        disposition, events = Disposition.start(
            record, schedule, at=NIGHTLY, holds=[hold], required_approvals=len(reviewers)
        )
        log.extend(events)
        if contract_due:
            try:
                disposition.approve("wang", at=morning, matrix=matrix, scope=ARCHIVE)
            except NotPermittedError as refused:
                print(f"  refused: {refused}")
        for reviewer in reviewers:
            disposition, events = disposition.approve(
                reviewer, at=morning, matrix=matrix, scope=ARCHIVE
            )
            log.extend(events)
        disposition, certificate, events = disposition.execute(
            record, at=afternoon, actor="records-system", holds=[hold]
        )
        log.extend(events)
        if certificate is not None:
            certificates.append(certificate)
    print(f"  destroyed {_when(afternoon)} by records-system; destruction certificates:")
    for c in certificates:
        approvers = ", ".join(c.approved_by)
        print(
            f"    {c.record_id:<32} {c.record_class:<18} kept until {c.keep_until}"
            f"  approved by {approvers:<10} sha256 {c.record_sha256[:12]}"
        )
    # ISO 15489: a certificate is itself a record, kept under its own class.
    kept = schedule.evaluate(certificates[0].to_record("destruction-certificates"), at=afternoon)
    print(f"  the certificates themselves: {kept.explain().splitlines()[0]}")


def main() -> None:
    """Print the deadline table, the SLA clocks, the training flags and the report dates."""
    calendar = BusinessCalendar.china()
    print_deadlines(calendar)
    policy = from_toml(POLICY_FILE.read_text(encoding="utf-8"), SlaPolicy)
    log = AuditLog()
    handled = handle_cases(policy, log)
    print_clocks(handled)
    print()
    log.extend(flag_training(handled, at=datetime(2026, 4, 10, 9, tzinfo=SHANGHAI)))
    print_reports(calendar, after=datetime(2026, 9, 10, tzinfo=SHANGHAI))
    print_improvement(calendar)
    matrix = load_matrix()
    print_access(matrix)
    print_review(matrix)
    print_quarter(handled)
    signatures = print_approvals(matrix, log)
    print_files(log)
    print_retention(log, matrix, signatures)
    log.verify()
    print(f"\nAudit log: {len(log)} events, chain verified, head {log.head[:12]}…")


if __name__ == "__main__":
    main()
