"""The R-ROL rules of requirements.md (and R-APV-5, R-APV-8, R-APV-9) on the complaint office.

The matrix below is the complaint office of policy 003 with the four task
forces of policy 002 and the tiers of policy 000: a director over department
heads over specialists, legal, HR, finance, the operations committee, an
emergency group for the June 2026 data leak, and the roles of the four task
forces.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import attrs
import pytest

from govkit.errors import InvalidDefinitionError
from govkit.roles import (
    Assignment,
    DynamicSeparation,
    Effect,
    Grant,
    RaciActivity,
    RaciMatrix,
    Role,
    RoleMatrix,
    StaticSeparation,
)

SH = ZoneInfo("Asia/Shanghai")


def sh(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """An instant in Shanghai."""
    return datetime(year, month, day, hour, minute, tzinfo=SH)


NOW = sh(2026, 11, 23, 10)
CRISIS_START = sh(2026, 6, 10, 9)
CRISIS_END = sh(2026, 6, 17, 9)

ROLES = [
    # R-ROL-4: three levels, director -> department heads -> specialists.
    Role("specialist"),
    Role("department-head", inherits=["specialist"]),
    Role("director", inherits=["department-head"]),
    Role("legal"),
    Role("hr"),
    Role("finance"),
    Role("operations-committee"),
    Role("emergency-group", description="R-ROL-10: temporary powers during a crisis"),
    Role("author"),
    Role("reviewer"),
    # R-ROL-6: the four task forces.
    Role("project-member"),
    Role("project-manager", inherits=["project-member"]),
    Role("project-lead", inherits=["project-manager"]),
    Role("cs-agent"),
    Role("cs-supervisor", inherits=["cs-agent"]),
    Role("quality-inspector"),
    Role("improvement-specialist"),
    Role("quality-manager", inherits=["quality-inspector", "improvement-specialist"]),
    Role("resource-specialist"),
    Role("resource-supervisor", inherits=["resource-specialist"]),
]

GRANTS = [
    Grant("specialist", "receive", "complaint"),
    Grant("specialist", "handle", "complaint"),
    Grant("specialist", "read", "complaint-file"),
    Grant("department-head", "review", "complaint"),
    Grant("department-head", "approve", "purchase", limit=50_000),
    Grant("department-head", "read", "department-file"),
    Grant("director", "approve", "complaint"),
    Grant("director", "approve", "purchase"),
    Grant("director", "read", "contract-archive"),
    Grant("director", "appoint", "post"),
    Grant("director", "appoint", "major-post", effect=Effect.DENY),
    Grant("legal", "read", "contract-archive"),
    Grant("hr", "arbitrate", "dispute"),
    Grant("finance", "check-budget", "purchase"),
    Grant("operations-committee", "appoint", "major-post"),
    Grant("emergency-group", "read", "customer-data"),
    Grant("emergency-group", "act", "incident"),
    Grant("author", "write", "sensitive-report"),
    Grant("reviewer", "review", "sensitive-report"),
    Grant("project-lead", "propose", "project"),
    Grant("project-lead", "accept", "deliverable"),
    Grant("project-manager", "plan", "project"),
    Grant("project-member", "work", "task"),
    Grant("cs-supervisor", "escalate", "enquiry"),
    Grant("cs-agent", "answer", "enquiry"),
    Grant("quality-manager", "plan", "audit"),
    Grant("quality-inspector", "sample", "file"),
    Grant("improvement-specialist", "follow-up", "rectification"),
    Grant("resource-supervisor", "allocate", "resource"),
    Grant("resource-specialist", "schedule", "resource"),
]

ASSIGNMENTS = [
    Assignment("zhao", "director", "company"),
    Assignment("qian", "department-head", "company/complaints"),
    Assignment("he", "department-head", "company/quality"),
    Assignment("wang", "specialist", "company/complaints"),
    Assignment("li", "specialist", "company/complaints"),
    # R-ROL-4 matrix reporting: one specialist works for both R&D and quality control.
    Assignment("sun", "specialist", "company/rnd"),
    Assignment("sun", "quality-inspector", "company/quality"),
    Assignment("zhou", "legal", "company"),
    Assignment("wu", "hr", "company"),
    Assignment("zheng", "finance", "company"),
    Assignment("feng", "operations-committee", "company"),
    # R-ROL-10: the emergency group during the data leak of June 2026.
    Assignment(
        "wang",
        "emergency-group",
        "company",
        valid_from=CRISIS_START,
        valid_until=CRISIS_END,
        reason="emergency",
    ),
    Assignment("wang", "author", "company/complaints"),
    Assignment("li", "reviewer", "company/complaints"),
    Assignment("qian", "reviewer", "company/complaints"),
    # R-ROL-6: the four task forces.
    Assignment("chen", "project-lead", "company/projects/crm"),
    Assignment("xu", "project-manager", "company/projects/crm"),
    Assignment("yang", "project-member", "company/projects/crm"),
    Assignment("lin", "cs-supervisor", "company/service"),
    Assignment("ma", "cs-agent", "company/service"),
    Assignment("guo", "quality-manager", "company/quality"),
    Assignment("hu", "improvement-specialist", "company/quality"),
    Assignment("luo", "resource-supervisor", "company/resources"),
    Assignment("liang", "resource-specialist", "company/resources"),
]

USERS = sorted({a.user for a in ASSIGNMENTS} | {"tang"})  # tang has joined but holds no role

OFFICE = RoleMatrix(
    name="complaint-office",
    version=2026,
    effective_from=date(2026, 1, 1),
    effective_until=date(2026, 12, 31),
    roles=ROLES,
    grants=GRANTS,
    assignments=ASSIGNMENTS,
    users=USERS,
    static_rules=[
        StaticSeparation("budget check apart from approval", ["finance", "department-head"])
    ],
    dynamic_rules=[DynamicSeparation("double review", ["author", "reviewer"])],
)


# -- R-ROL-1: a versioned table revised every year ---------------------------------------


def test_r_rol_1_versions_carry_their_effective_dates() -> None:
    """R-ROL-1: the 2026 table applies from 2026-01-01 to 2026-12-31."""
    assert OFFICE.version == 2026
    assert (OFFICE.effective_from, OFFICE.effective_until) == (date(2026, 1, 1), date(2026, 12, 31))


def test_r_rol_1_effective_until_before_effective_from_is_refused() -> None:
    """R-ROL-1: a version that ends before it starts is malformed."""
    with pytest.raises(InvalidDefinitionError) as caught:
        attrs.evolve(OFFICE, effective_from=date(2027, 1, 1), effective_until=date(2026, 12, 31))
    assert caught.value.field == "effective_until"


def test_r_rol_1_yearly_revision_diff_lists_every_change() -> None:
    """R-ROL-1: the 2027 revision's diff shows the added role, grants, assignments and rules."""
    revised = attrs.evolve(
        OFFICE,
        version=2027,
        effective_from=date(2027, 1, 1),
        effective_until=date(2027, 12, 31),
        roles=[*ROLES, Role("auditor")],
        grants=[
            *(g for g in GRANTS if g.resource != "purchase" or g.role != "department-head"),
            Grant("department-head", "approve", "purchase", limit=80_000),
            Grant("auditor", "sample", "file"),
        ],
        assignments=[*(a for a in ASSIGNMENTS if a.reason != "emergency")],
    )
    diff = OFFICE.diff(revised)
    assert diff
    assert (diff.from_version, diff.to_version) == (2026, 2027)
    assert diff.added_roles == ("auditor",)
    assert diff.removed_roles == ()
    assert diff.added_grants == (
        Grant("department-head", "approve", "purchase", limit=80_000),
        Grant("auditor", "sample", "file"),
    )
    assert diff.removed_grants == (Grant("department-head", "approve", "purchase", limit=50_000),)
    assert [a.role for a in diff.removed_assignments] == ["emergency-group"]
    assert diff.explain().splitlines() == [
        "version 2026 -> 2027",
        "+ role auditor",
        "+ grant department-head allow approve purchase up to 80000",
        "+ grant auditor allow sample file",
        "- grant department-head allow approve purchase up to 50000",
        "- assignment wang as emergency-group in company",
    ]
    assert not OFFICE.diff(OFFICE)


# -- R-ROL-2: contract archive ---------------------------------------------------------


def test_r_rol_2_only_director_and_legal_read_the_contract_archive() -> None:
    """R-ROL-2: who_can read the contract archive is exactly the director and legal."""
    readers = OFFICE.who_can("read", "contract-archive", scope="company/archive", at=NOW)
    assert readers == {"zhao", "zhou"}
    assert OFFICE.authorized_users("director") == {"zhao"}


@pytest.mark.parametrize("user", [u for u in USERS if u not in {"zhao", "zhou"}])
def test_r_rol_2_everyone_else_is_denied_with_an_explanation(user: str) -> None:
    """R-ROL-2: every other user is denied, and the decision says why."""
    decision = OFFICE.check(user, "read", "contract-archive", scope="company/archive", at=NOW)
    assert not decision
    assert decision.allowed is False
    assert decision.grant is None
    assert decision.explain().startswith("DENIED: ")
    assert decision.reason


def test_r_rol_2_specialist_is_told_which_roles_have_the_grant() -> None:
    """R-ROL-2: a specialist in the office learns the archive is granted to director and legal."""
    decision = OFFICE.check("li", "read", "contract-archive", scope="company/complaints", at=NOW)
    assert not decision
    assert decision.reason == (
        "no grant of read contract-archive through li's roles here (reviewer, specialist); "
        "it is granted to director, legal"
    )


def test_r_rol_2_director_reads_through_own_grant() -> None:
    """R-ROL-2: the director's decision names the assignment and the director's own grant."""
    decision = OFFICE.check("zhao", "read", "contract-archive", scope="company/archive", at=NOW)
    assert decision
    assert decision.assignment == Assignment("zhao", "director", "company")
    assert decision.chain == ("director",)
    assert decision.grant == Grant("director", "read", "contract-archive")


# -- R-ROL-3: files per department, tier by tier ----------------------------------------


@pytest.mark.parametrize(
    ("user", "resource", "scope", "expected"),
    [
        # department heads read their own department's files, and below
        ("qian", "department-file", "company/complaints", True),
        ("qian", "department-file", "company/complaints/2026/11", True),
        ("qian", "department-file", "company/quality", False),
        ("he", "department-file", "company/quality/line-2", True),
        ("he", "department-file", "company/complaints", False),
        # the director reads every department's files
        ("zhao", "department-file", "company/complaints", True),
        ("zhao", "department-file", "company/quality", True),
        # specialists read complaint files of their department only, not department files
        ("wang", "complaint-file", "company/complaints/C-2026-1123", True),
        ("wang", "department-file", "company/complaints", False),
        ("wang", "complaint-file", "company/quality", False),
        # heads and the director inherit the specialists' access
        ("qian", "complaint-file", "company/complaints", True),
        ("zhao", "complaint-file", "company/quality", True),
        # nobody outside the company tree
        ("zhao", "department-file", "partner", False),
    ],
)
def test_r_rol_3_files_are_authorized_per_department_tier_by_tier(
    user: str, resource: str, scope: str, expected: bool
) -> None:
    """R-ROL-3: file access follows department scope and the specialist < head < director tiers."""
    assert OFFICE.allows(user, "read", resource, scope=scope, at=NOW) is expected
    assert bool(OFFICE.check(user, "read", resource, scope=scope, at=NOW)) is expected


def test_r_rol_3_head_of_another_department_is_told_where_their_roles_hold() -> None:
    """R-ROL-3: a head asking outside their department learns the scopes they hold roles in."""
    decision = OFFICE.check("he", "read", "department-file", scope="company/complaints", at=NOW)
    assert decision.reason == "he holds roles only in company/quality, not in company/complaints"


# -- R-ROL-4: three levels and matrix reporting ------------------------------------------


def test_r_rol_4_three_level_hierarchy() -> None:
    """R-ROL-4: director inherits department head, which inherits specialist."""
    assert OFFICE.inherited_roles("director") == {"director", "department-head", "specialist"}
    assert OFFICE.inherited_roles("department-head") == {"department-head", "specialist"}
    assert OFFICE.inherited_roles("specialist") == {"specialist"}
    assert OFFICE.authorized_users("specialist") == {"zhao", "qian", "he", "wang", "li", "sun"}
    assert OFFICE.assigned_users("specialist") == {"wang", "li", "sun"}


def test_r_rol_4_director_acts_through_the_chain_down_to_the_specialist_grant() -> None:
    """R-ROL-4: the director receives complaints through director -> head -> specialist."""
    decision = OFFICE.check("zhao", "receive", "complaint", scope="company/complaints", at=NOW)
    assert decision
    assert decision.chain == ("director", "department-head", "specialist")
    assert decision.grant == Grant("specialist", "receive", "complaint")
    assert "inherits: director -> department-head -> specialist" in decision.explain()


def test_r_rol_4_matrix_reporting_specialist_holds_roles_in_rnd_and_qc() -> None:
    """R-ROL-4: sun is a specialist in R&D and an inspector in QC, each only in its own scope."""
    assert OFFICE.roles_of("sun", "company/rnd", NOW) == {"specialist"}
    assert OFFICE.roles_of("sun", "company/quality/line-2", NOW) == {"quality-inspector"}
    assert OFFICE.roles_of("sun", "company", NOW) == frozenset()
    assert OFFICE.allows("sun", "sample", "file", scope="company/quality", at=NOW)
    assert not OFFICE.allows("sun", "sample", "file", scope="company/rnd", at=NOW)
    assert OFFICE.allows("sun", "handle", "complaint", scope="company/rnd", at=NOW)
    assert not OFFICE.allows("sun", "handle", "complaint", scope="company/quality", at=NOW)
    decision = OFFICE.check("sun", "handle", "complaint", scope="company/complaints", at=NOW)
    assert decision.reason == (
        "sun holds roles only in company/quality, company/rnd, not in company/complaints"
    )


# -- R-ROL-5 and R-APV-8: posts and major appointments -------------------------------


def test_r_rol_5_director_decides_posts() -> None:
    """R-ROL-5: the director appoints to ordinary posts anywhere in the company."""
    assert OFFICE.allows("zhao", "appoint", "post", scope="company/quality", at=NOW)
    assert OFFICE.who_can("appoint", "post", scope="company/quality", at=NOW) == {"zhao"}


def test_r_rol_5_r_apv_8_major_appointments_need_the_operations_committee() -> None:
    """R-ROL-5, R-APV-8: a deny grant stops the director; the operations committee appoints."""
    decision = OFFICE.check("zhao", "appoint", "major-post", scope="company", at=NOW)
    assert not decision
    assert decision.grant == Grant("director", "appoint", "major-post", effect=Effect.DENY)
    assert decision.reason == "a deny grant on appoint major-post overrides every allow"
    assert "grant: director deny appoint major-post" in decision.explain()
    assert OFFICE.allows("feng", "appoint", "major-post", scope="company", at=NOW)
    assert OFFICE.who_can("appoint", "major-post", scope="company", at=NOW) == {"feng"}


def test_r_rol_5_r_apv_8_deny_binds_a_director_sitting_on_the_committee() -> None:
    """R-ROL-5, R-APV-8: the director's deny overrides the committee's allow for the same user."""
    matrix, _ = OFFICE.assign(
        Assignment("zhao", "operations-committee", "company"), at=NOW, actor="board"
    )
    assert not matrix.allows("zhao", "appoint", "major-post", scope="company", at=NOW)
    assert matrix.who_can("appoint", "major-post", scope="company", at=NOW) == {"feng"}


def test_r_rol_5_r_apv_8_missing_grant_names_the_operations_committee() -> None:
    """R-ROL-5, R-APV-8: without the deny grant the director is denied for lack of a grant."""
    matrix = attrs.evolve(OFFICE, grants=[g for g in GRANTS if g.effect is Effect.ALLOW])
    decision = matrix.check("zhao", "appoint", "major-post", scope="company", at=NOW)
    assert not decision
    assert decision.reason.endswith("it is granted to operations-committee")
    # ... and a director who also sits on the committee then may appoint through it.
    with_seat, _ = matrix.assign(
        Assignment("zhao", "operations-committee", "company"), at=NOW, actor="board"
    )
    assert with_seat.check("zhao", "appoint", "major-post", scope="company", at=NOW).chain == (
        "operations-committee",
    )


# -- R-ROL-6: the four task forces -------------------------------------------------------


@pytest.mark.parametrize(
    ("user", "action", "resource", "scope", "expected"),
    [
        # project task force: lead > manager > member
        ("chen", "propose", "project", "company/projects/crm", True),
        ("chen", "plan", "project", "company/projects/crm", True),
        ("chen", "work", "task", "company/projects/crm/sprint-3", True),
        ("xu", "plan", "project", "company/projects/crm", True),
        ("xu", "propose", "project", "company/projects/crm", False),
        ("yang", "work", "task", "company/projects/crm", True),
        ("yang", "plan", "project", "company/projects/crm", False),
        ("chen", "propose", "project", "company/projects/erp", False),
        # customer service: supervisor > agent
        ("lin", "escalate", "enquiry", "company/service", True),
        ("lin", "answer", "enquiry", "company/service", True),
        ("ma", "answer", "enquiry", "company/service", True),
        ("ma", "escalate", "enquiry", "company/service", False),
        # quality: manager > inspector and improvement specialist
        ("guo", "plan", "audit", "company/quality", True),
        ("guo", "sample", "file", "company/quality", True),
        ("guo", "follow-up", "rectification", "company/quality", True),
        ("hu", "follow-up", "rectification", "company/quality", True),
        ("hu", "sample", "file", "company/quality", False),
        # resources: supervisor > resource specialist
        ("luo", "allocate", "resource", "company/resources", True),
        ("luo", "schedule", "resource", "company/resources", True),
        ("liang", "schedule", "resource", "company/resources", True),
        ("liang", "allocate", "resource", "company/resources", False),
    ],
)
def test_r_rol_6_four_task_forces_with_their_roles(
    user: str, action: str, resource: str, scope: str, expected: bool
) -> None:
    """R-ROL-6: each task force's senior role may do what its junior roles may, not vice versa."""
    assert OFFICE.allows(user, action, resource, scope=scope, at=NOW) is expected
    assert bool(OFFICE.check(user, action, resource, scope=scope, at=NOW)) is expected


def test_r_rol_6_task_force_role_closures() -> None:
    """R-ROL-6: the senior role of each task force holds every role of that task force."""
    assert OFFICE.inherited_roles("project-lead") == {
        "project-lead",
        "project-manager",
        "project-member",
    }
    assert OFFICE.inherited_roles("cs-supervisor") == {"cs-supervisor", "cs-agent"}
    assert OFFICE.inherited_roles("quality-manager") == {
        "quality-manager",
        "quality-inspector",
        "improvement-specialist",
    }
    assert OFFICE.inherited_roles("resource-supervisor") == {
        "resource-supervisor",
        "resource-specialist",
    }


# -- R-ROL-7: lead department, cooperating departments, interface person --------------


def test_r_rol_7_major_complaint_raci() -> None:
    """R-ROL-7: the complaint office leads, quality and legal cooperate, wang is the interface."""
    raci = RaciMatrix(
        name="major complaint",
        activities=[
            RaciActivity(
                name="investigate",
                parties={"complaints": "A", "quality": "R", "legal": "C", "hr": "I"},
                interface="wang",
            ),
            RaciActivity(
                name="compensate",
                parties={"complaints": "AR", "finance": "R", "director": "C"},
            ),
        ],
    )
    investigate = raci.activity("investigate")
    assert investigate.lead == "complaints"
    assert investigate.cooperating == ("quality", "legal")
    assert investigate.interface == "wang"
    assert investigate.with_letter("I") == ("hr",)
    assert raci.activity("compensate").with_letter("R") == ("complaints", "finance")
    assert raci.duties_of("complaints") == {"investigate": "A", "compensate": "RA"}


# -- R-ROL-8: periodic review against overstepping authority --------------------------


def test_r_rol_8_yearly_access_review_of_the_office() -> None:
    """R-ROL-8: the review lists the ended emergency powers, double-review risks and next dates."""
    report = OFFICE.review(NOW, recertify="FREQ=YEARLY")
    assert report.matrix == "complaint-office v2026"
    expired = report.of_kind("expired")
    assert [(f.user, f.role) for f in expired] == [("wang", "emergency-group")]
    # qian reviews as a head and as a reviewer; nobody holds both author and reviewer.
    assert report.of_kind("separation") == ()
    assert report.of_kind("emergency") == ()
    assert report.next_reviews == (sh(2027, 11, 23, 10), sh(2028, 11, 23, 10), sh(2029, 11, 23, 10))


def test_r_rol_8_review_finds_a_user_who_could_write_and_review() -> None:
    """R-ROL-8, R-ROL-9: a user assigned both author and reviewer is flagged for review."""
    matrix, _ = OFFICE.assign(
        Assignment("li", "author", "company/complaints"), at=NOW, actor="qian"
    )
    findings = matrix.review(NOW).of_kind("separation")
    assert [f.user for f in findings] == ["li"]
    assert "double review" in findings[0].detail


# -- R-ROL-9 and R-APV-9: double review by two different people --------------------


def test_r_rol_9_r_apv_9_author_may_not_review_own_report() -> None:
    """R-ROL-9, R-APV-9: the author of a sensitive report may not also be its reviewer."""
    case = [("wang", "author")]
    refused = OFFICE.may_act("wang", "reviewer", case=case)
    assert not refused
    assert "double review" in refused.reason
    assert OFFICE.may_act("li", "reviewer", case=case)


def test_r_rol_9_r_apv_9_second_review_by_a_different_person() -> None:
    """R-ROL-9, R-APV-9: two reviewers who are not the author may both review."""
    case = [("wang", "author"), ("li", "reviewer")]
    assert OFFICE.may_act("qian", "reviewer", case=case)
    assert not OFFICE.may_act("wang", "reviewer", case=case)


# -- R-ROL-10: emergency powers for the duration of a crisis ----------------------


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (CRISIS_START - timedelta(microseconds=1), False),
        (CRISIS_START, True),
        (sh(2026, 6, 14, 3), True),
        (CRISIS_END - timedelta(microseconds=1), True),
        (CRISIS_END, False),
        (NOW, False),
    ],
)
def test_r_rol_10_emergency_powers_hold_only_during_the_crisis(
    at: datetime, expected: bool
) -> None:
    """R-ROL-10: from 2026-06-10 09:00 (inclusive) to 06-17 09:00 (exclusive) wang may act."""
    assert (
        OFFICE.allows("wang", "read", "customer-data", scope="company/service", at=at) is expected
    )
    assert OFFICE.allows("wang", "act", "incident", scope="company", at=at) is expected


def test_r_rol_10_expired_powers_are_explained() -> None:
    """R-ROL-10: after the crisis the denial names the expired emergency assignment."""
    decision = OFFICE.check("wang", "read", "customer-data", scope="company", at=NOW)
    assert not decision
    assert decision.reason == (
        "the assignment that would allow it expired at 2026-06-17T09:00:00+08:00"
    )
    assert decision.assignment is not None
    assert decision.assignment.reason == "emergency"


def test_r_rol_10_powers_not_yet_granted_are_explained() -> None:
    """R-ROL-10: before the crisis the denial says when the emergency assignment starts."""
    decision = OFFICE.check("wang", "act", "incident", scope="company", at=sh(2026, 6, 1))
    assert not decision
    assert decision.reason == (
        "the assignment that would allow it starts at 2026-06-10T09:00:00+08:00"
    )


def test_r_rol_10_review_during_the_crisis_flags_active_emergency_powers() -> None:
    """R-ROL-10, R-ROL-8: a review during the crisis lists the emergency powers still active."""
    report = OFFICE.review(sh(2026, 6, 12), expiring_within=timedelta(days=7))
    assert [(f.kind, f.user) for f in report.findings if f.role == "emergency-group"] == [
        ("expiring", "wang"),
        ("emergency", "wang"),
    ]


# -- R-APV-5: purchase authority tiered by amount ---------------------------------


@pytest.mark.parametrize(
    ("user", "amount", "expected"),
    [
        ("qian", Decimal("0.01"), True),
        ("qian", 50_000, True),
        ("qian", Decimal("50000.00"), True),
        ("qian", Decimal("50000.01"), False),
        ("qian", 80_000, False),
        ("zhao", 50_000, True),
        ("zhao", 80_000, True),
        ("zhao", 5_000_000, True),
        ("wang", 100, False),
        ("zheng", 100, False),
    ],
)
def test_r_apv_5_purchase_tiers(user: str, amount: Decimal | int, expected: bool) -> None:
    """R-APV-5: the department head approves up to 50,000; above that only the director."""
    scope = "company/complaints"
    assert (
        OFFICE.allows(user, "approve", "purchase", scope=scope, at=NOW, amount=amount) is expected
    )
    decision = OFFICE.check(user, "approve", "purchase", scope=scope, at=NOW, amount=amount)
    assert decision.allowed is expected


def test_r_apv_5_head_over_the_limit_is_told_the_limit() -> None:
    """R-APV-5: 80,000 exceeds the head's limit of 50,000, and the denial says so."""
    decision = OFFICE.check(
        "qian", "approve", "purchase", scope="company/complaints", at=NOW, amount=80_000
    )
    assert not decision
    assert decision.reason == "amount 80000 exceeds the limit 50000"
    assert decision.grant == Grant("department-head", "approve", "purchase", limit=50_000)


def test_r_apv_5_who_can_approve_depends_on_the_amount() -> None:
    """R-APV-5: 30,000 may be approved by the head or the director; 80,000 by the director."""
    scope = "company/complaints"
    assert OFFICE.who_can("approve", "purchase", scope=scope, at=NOW, amount=30_000) == {
        "qian",
        "zhao",
    }
    assert OFFICE.who_can("approve", "purchase", scope=scope, at=NOW, amount=80_000) == {"zhao"}
    assert OFFICE.who_can("approve", "purchase", scope=scope, at=NOW) == {"qian", "zhao"}


def test_r_apv_5_finance_cannot_also_be_a_department_head() -> None:
    """R-APV-5, R-APV-1: the budget check and the approval stay with different people."""
    with pytest.raises(InvalidDefinitionError) as caught:
        OFFICE.assign(Assignment("zheng", "department-head", "company/finance"), at=NOW, actor="hr")
    assert caught.value.field == "static_rules[0]"
    # The director inherits department head, so a director may not do the budget check either.
    with pytest.raises(InvalidDefinitionError):
        OFFICE.assign(Assignment("zhao", "finance", "company"), at=NOW, actor="hr")
