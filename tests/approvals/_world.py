"""A small company for the approval tests: its role matrix, chains and policies.

Actors (scope ``company/quality`` unless said otherwise):

* ``li``: complaint specialist; ``wang`` and ``sun``: department heads
  (purchase limit 50,000); ``qian``: the only head of ``company/service``;
* ``zhou``: director (``company``, purchase limit 500,000); ``zhao``: finance;
  ``chen``: CEO; ``wu``: zhao's deputy, with no role of their own;
* ``feng``, ``han``, ``yang``, ``zhu``: the operations committee (R-APV-8);
* ``qin`` and ``xu``: reviewers; ``xu`` is also an author (R-APV-9, R-ROL-9);
* ``cust-9``: a customer who confirms complaint resolutions (R-APV-11).

Times are on the China calendar in Asia/Shanghai: Mon 2026-11-23 is a working day.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from govkit.approvals import (
    AllOf,
    ApprovalChain,
    ApprovalPolicy,
    ApprovalRequest,
    ByManager,
    ByRole,
    ByUser,
    OnBreach,
    Quorum,
    Route,
    Step,
    VoteRule,
)
from govkit.audit import Event
from govkit.calendar import BusinessCalendar, BusinessDays, BusinessHours, Duration
from govkit.roles import Assignment, DynamicSeparation, Grant, Role, RoleMatrix
from govkit.serialization import from_json, make_converter, to_json
from govkit.sla import SlaGoal, SlaPolicy

SH = ZoneInfo("Asia/Shanghai")
CHINA = BusinessCalendar.china()
MON = datetime(2026, 11, 23, 10, tzinfo=SH)
"""Mon 2026-11-23 10:00, when most requests are submitted."""

QUALITY = "company/quality"
COMMITTEE = ("feng", "han", "yang", "zhu")


def sh(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    """An instant of 2026 in Shanghai (November unless ``month`` says otherwise)."""
    return datetime(2026, month, day, hour, minute, tzinfo=SH)


def actions(events: Sequence[Event]) -> list[str]:
    """The actions of ``events``, in order."""
    return [event.action for event in events]


# -- the role matrix ---------------------------------------------------------------------

ROLES = [
    Role("specialist"),
    Role("department-head", inherits=["specialist"]),
    Role("director", inherits=["department-head"]),
    Role("finance"),
    Role("ceo"),
    Role("committee"),
    Role("author"),
    Role("reviewer"),
    Role("customer"),
]

GRANTS = [
    Grant("department-head", "approve", "purchase", limit=50_000),
    Grant("department-head", "endorse", "purchase"),
    Grant("director", "approve", "purchase", limit=500_000),
    Grant("finance", "approve", "purchase"),
    Grant("ceo", "approve", "purchase"),
    Grant("specialist", "approve", "complaint"),
    Grant("customer", "approve", "complaint"),
    Grant("director", "approve", "post"),
    Grant("committee", "approve", "appointment"),
    Grant("author", "approve", "report"),
    Grant("reviewer", "approve", "report"),
]

ASSIGNMENTS = [
    Assignment("li", "specialist", QUALITY),
    Assignment("wang", "department-head", QUALITY),
    Assignment("sun", "department-head", QUALITY),
    Assignment("qian", "department-head", "company/service"),
    Assignment("zhou", "director", "company"),
    Assignment("zhao", "finance", "company"),
    Assignment("chen", "ceo", "company"),
    *(Assignment(member, "committee", "company") for member in COMMITTEE),
    Assignment("qin", "reviewer", "company"),
    Assignment("xu", "reviewer", "company"),
    Assignment("xu", "author", "company"),
    Assignment("cust-9", "customer", "company"),
]

DOUBLE_REVIEW = DynamicSeparation("double review", ["author", "reviewer"])


def build_matrix(*extra: Assignment, **changes: Any) -> RoleMatrix:
    """The company's matrix, with ``extra`` assignments and field ``changes``."""
    fields: dict[str, Any] = {
        "name": "company",
        "version": 2026,
        "roles": ROLES,
        "grants": GRANTS,
        "assignments": [*ASSIGNMENTS, *extra],
        "dynamic_rules": [DOUBLE_REVIEW],
    }
    fields.update(changes)
    return RoleMatrix(**fields)


MATRIX = build_matrix()

# -- step time limits (R-APV-2) -------------------------------------------------------------


def sla(target: Duration, name: str = "step-limit") -> SlaPolicy:
    """A one-goal SLA policy on the China calendar (reminders at 50% and 75%)."""
    return SlaPolicy(
        name=name,
        goals=[SlaGoal(name="standard", target=target)],
        default="standard",
        calendar=CHINA,
    )


HEAD_8H = sla(BusinessHours(8), "head-reply")
FINANCE_2D = sla(BusinessDays(2), "finance-check")

# -- chains ----------------------------------------------------------------------------------

HEAD_APPROVES = Step(
    name="head", approvers=ByManager("department-head"), meaning="need and price confirmed"
)
HEAD_ENDORSES = Step(
    name="head",
    approvers=ByManager("department-head"),
    action="endorse",
    meaning="need and price confirmed",
)
FINANCE = Step(
    name="finance", approvers=ByRole("finance", scope="company"), meaning="budget matches"
)
CEO = Step(
    name="ceo",
    approvers=ByRole("ceo", scope="company"),
    meaning="final decision",
    when={"amount": {">=": 100_000}},
    may_send_back=True,
)

DEPARTMENT = ApprovalChain(name="purchase-department", resource="purchase", steps=[HEAD_APPROVES])
"""R-APV-5: below 50,000 the department head decides alone."""

DIRECTOR = ApprovalChain(
    name="purchase-director",
    resource="purchase",
    steps=[HEAD_ENDORSES, Step(name="director", approvers=ByRole("director", scope="company"))],
)
"""R-APV-5: from 50,000 the director must approve."""

THREE_LEVEL = ApprovalChain(
    name="purchase-three-level",
    resource="purchase",
    steps=[HEAD_ENDORSES, FINANCE, CEO],
    ratify_within=BusinessDays(3),
    calendar=CHINA,
)
"""R-APV-1: head -> finance -> CEO; the CEO only from 100,000 and may send back."""

PURCHASE = ApprovalPolicy(
    name="purchase-authority",
    routes=[
        Route(name="department", chain=DEPARTMENT, when={"amount": {"<": 50_000}}),
        Route(name="director", chain=DIRECTOR, when={"amount": {"<": 200_000}}),
        Route(name="three-level", chain=THREE_LEVEL),
    ],
    default="three-level",
)

COMPLAINT = ApprovalChain(
    name="complaint",
    resource="complaint",
    steps=[
        Step(name="receive", approvers=ByRole("specialist"), meaning="complaint received"),
        Step(name="review", approvers=ByManager("department-head"), meaning="handling reviewed"),
        Step(
            name="final",
            approvers=ByRole("director", scope="company"),
            meaning="closed",
            may_send_back=True,
        ),
    ],
)
"""R-APV-4: specialist receives -> department head reviews -> director approves."""

SMALL_COMPLAINT = ApprovalChain(
    name="complaint-small",
    resource="complaint",
    steps=[Step(name="settle", approvers=ByRole("specialist"), meaning="settled")],
)
"""R-APV-7: a specialist may settle a small complaint alone."""

COMPLAINTS = ApprovalPolicy(
    name="complaint-authority",
    routes=[
        Route(name="major", chain=COMPLAINT, when={"severity": ["major", "critical"]}),
        Route(name="small", chain=SMALL_COMPLAINT),
    ],
    default="small",
)

SATISFACTION = ApprovalChain(
    name="complaint-satisfaction",
    resource="complaint",
    steps=[
        Step(name="resolve", approvers=ByRole("department-head"), meaning="resolution proposed"),
        Step(
            name="customer",
            approvers=ByUser("cust-9"),
            meaning="customer satisfied",
            may_send_back=True,
        ),
    ],
)
"""R-APV-11: the customer sends the complaint back until satisfied."""


def committee_chain(rule: VoteRule, name: str = "appointment") -> ApprovalChain:
    """R-APV-8: one committee step deciding by ``rule``."""
    return ApprovalChain(
        name=name,
        resource="appointment",
        steps=[Step(name="committee", approvers=ByRole("committee", scope="company"), rule=rule)],
    )


COMMITTEE_Q3 = committee_chain(Quorum(3))
COMMITTEE_ALL = committee_chain(AllOf(), "appointment-unanimous")
POSTS = ApprovalPolicy(
    name="posts",
    routes=[
        Route(name="major", chain=COMMITTEE_Q3, when={"major": True}),
        Route(
            name="director",
            chain=ApprovalChain(
                name="post",
                resource="post",
                steps=[Step(name="director", approvers=ByRole("director", scope="company"))],
            ),
        ),
    ],
    default="director",
)
"""R-APV-8, R-ROL-5: the committee decides major appointments, the director the rest."""

DOUBLE = ApprovalChain(
    name="report-double-review",
    resource="report",
    steps=[
        Step(name="first-review", approvers=ByRole("reviewer", scope="company")),
        Step(name="second-review", approvers=ByRole("reviewer", scope="company"), distinct=True),
    ],
)
"""R-APV-9: two different reviewers."""

AUTHOR_THEN_REVIEW = ApprovalChain(
    name="report-release",
    resource="report",
    steps=[
        Step(name="desensitize", approvers=ByRole("author", scope="company"), meaning="redacted"),
        Step(name="review", approvers=ByRole("reviewer", scope="company"), meaning="reviewed"),
    ],
)
"""R-APV-9, R-ROL-9: the author confirms redaction; a different person reviews."""

EMERGENCY = ApprovalChain(
    name="emergency-ratification",
    resource="purchase",
    steps=[Step(name="ratify", approvers=ByRole("ceo", scope="company"), meaning="ratified")],
    ratify_within=BusinessDays(3),
    calendar=CHINA,
)
"""R-APV-6: an emergency action ratified by the CEO within three working days."""


def sla_chain(on_breach: OnBreach, *, version: int = 1) -> ApprovalChain:
    """R-APV-2: head (8 business hours, ``on_breach``) -> finance (2 working days, remind).

    Each breach action gets its own chain name, so that a converter tells them apart.
    """
    return ApprovalChain(
        name=f"purchase-timed-{on_breach.action.replace('_', '-')}",
        version=version,
        resource="purchase",
        steps=[
            Step(
                name="head",
                approvers=ByManager("department-head"),
                action="endorse",
                sla=HEAD_8H,
                on_breach=on_breach,
            ),
            Step(
                name="finance",
                approvers=ByRole("finance", scope="company"),
                sla=FINANCE_2D,
                on_breach=OnBreach("remind"),
            ),
        ],
    )


TIMED = {
    action: sla_chain(OnBreach(action, to_role="director" if action == "escalate" else None))
    for action in ("remind", "escalate", "auto_reject", "auto_approve")
}
"""R-APV-2: the timed purchase chain for each breach action (escalation goes to the director)."""

CHAINS: tuple[ApprovalChain, ...] = (
    DEPARTMENT,
    DIRECTOR,
    THREE_LEVEL,
    COMPLAINT,
    SMALL_COMPLAINT,
    SATISFACTION,
    COMMITTEE_Q3,
    COMMITTEE_ALL,
    *POSTS.chains(),
    DOUBLE,
    AUTHOR_THEN_REVIEW,
    EMERGENCY,
    *TIMED.values(),
)
CONVERTER = make_converter(definitions=CHAINS)


def round_trip(request: ApprovalRequest) -> ApprovalRequest:
    """``request`` written to JSON and read back with the world's converter."""
    return from_json(to_json(request, converter=CONVERTER), ApprovalRequest, converter=CONVERTER)


# -- submitting --------------------------------------------------------------------------


def submit(
    definition: ApprovalChain | ApprovalPolicy = THREE_LEVEL,
    *,
    id: str = "PO-2026-0042",
    requester: str = "li",
    scope: str = QUALITY,
    amount: Decimal | int | None = 120_000,
    subject: dict[str, Any] | None = None,
    facts: dict[str, Any] | None = None,
    at: datetime = MON,
    matrix: RoleMatrix = MATRIX,
) -> tuple[ApprovalRequest, tuple[Event, ...]]:
    """Submit a request with the world's defaults (li buys a spectrometer for 120,000)."""
    return ApprovalRequest.submit(
        definition,
        id=id,
        requester=requester,
        scope=scope,
        at=at,
        matrix=matrix,
        subject={"item": "spectrometer", "supplier": "Huaxin"} if subject is None else subject,
        amount=amount,
        facts=facts,
    )


def submitted(
    definition: ApprovalChain | ApprovalPolicy = THREE_LEVEL, **kwargs: Any
) -> ApprovalRequest:
    """Like :func:`submit`, without the events."""
    return submit(definition, **kwargs)[0]


def approve(
    request: ApprovalRequest, actor: str, at: datetime, matrix: RoleMatrix = MATRIX, **kwargs: Any
) -> ApprovalRequest:
    """``request`` approved by ``actor`` at ``at``, without the events."""
    return request.approve(actor=actor, at=at, matrix=matrix, **kwargs)[0]


def untyped(value: object) -> Any:
    """``value`` typed as Any: for passing what the signature forbids, to test runtime checks."""
    return value


def later(at: datetime, minutes: int) -> datetime:
    """``minutes`` after ``at``."""
    return at + timedelta(minutes=minutes)
