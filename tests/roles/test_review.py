"""Access reviews (R-ROL-8): expired, expiring, emergency, empty-role, separation, inactive."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from govkit.errors import InvalidDefinitionError, NaiveDatetimeError
from govkit.roles import (
    AccessReview,
    Assignment,
    DynamicSeparation,
    Finding,
    Grant,
    Role,
    RoleMatrix,
)

SH = ZoneInfo("Asia/Shanghai")
AT = datetime(2026, 11, 23, 10, tzinfo=SH)
DAY = timedelta(days=1)

EMERGENCY = Assignment(
    "wang",
    "emergency-group",
    "company",
    valid_from=AT - 3 * DAY,
    valid_until=AT + 2 * DAY,
    reason="emergency",
)
OLD_EMERGENCY = Assignment(
    "li", "emergency-group", "company", valid_until=AT - 10 * DAY, reason="emergency"
)
MATRIX = RoleMatrix(
    name="complaint-office",
    version=7,
    roles=[
        Role("specialist"),
        Role("director", inherits=["specialist"]),
        Role("emergency-group"),
        Role("author"),
        Role("reviewer"),
        Role("observer"),
        Role("trainee", inherits=["specialist"]),
        Role("legal"),
    ],
    grants=[
        Grant("specialist", "handle", "complaint"),
        Grant("emergency-group", "act", "incident"),
        Grant("author", "write", "report"),
        Grant("reviewer", "review", "report"),
        Grant("legal", "read", "contract-archive"),
    ],
    assignments=[
        Assignment("zhao", "director", "company"),
        EMERGENCY,
        OLD_EMERGENCY,
        Assignment("qian", "specialist", "company/complaints", valid_until=AT + 40 * DAY),
        Assignment("he", "specialist", "company/quality", valid_until=AT),
        Assignment("sun", "observer", "company/quality"),
        Assignment("sun", "trainee", "company/quality"),
        Assignment("chen", "author", "company/complaints"),
        Assignment("chen", "reviewer", "company/complaints"),
        Assignment("zhou", "legal", "company"),
    ],
    dynamic_rules=[DynamicSeparation("double review", ["author", "reviewer"])],
)


def kinds(report: AccessReview) -> list[tuple[str, str | None, str | None]]:
    """(kind, user, role) of each finding, in report order."""
    return [(f.kind, f.user, f.role) for f in report.findings]


def test_r_rol_8_review_lists_every_kind_of_finding() -> None:
    """R-ROL-8: the review flags expired, expiring, emergency, empty-role, separation, grouped."""
    report = MATRIX.review(AT)
    assert isinstance(report, AccessReview)
    assert report.at == AT
    assert report.matrix == "complaint-office v7"
    assert kinds(report) == [
        ("expired", "li", "emergency-group"),
        ("expired", "he", "specialist"),
        ("expiring", "wang", "emergency-group"),
        ("emergency", "wang", "emergency-group"),
        ("empty-role", None, "observer"),
        ("separation", "chen", None),
    ]
    assert report.next_reviews == ()


def test_r_rol_8_findings_point_at_their_assignments() -> None:
    """R-ROL-8: assignment findings carry the assignment and say what to do."""
    report = MATRIX.review(AT)
    (expired_li, expired_he) = report.of_kind("expired")
    assert expired_li.assignment == OLD_EMERGENCY
    assert expired_li.detail == (
        "li as emergency-group in company expired at 2026-11-13T10:00:00+08:00: "
        "remove the assignment"
    )
    assert expired_he.detail.startswith("he as specialist in company/quality expired at")
    (emergency,) = report.of_kind("emergency")
    assert emergency.assignment == EMERGENCY
    assert emergency.detail == (
        "emergency powers of wang as emergency-group in company still active "
        "(2026-11-25T10:00:00+08:00)"
    )


def test_r_rol_8_assignment_ending_at_the_review_instant_is_expired() -> None:
    """R-ROL-8: valid_until is exclusive, so an assignment ending now has expired."""
    assert [f.user for f in MATRIX.review(AT).of_kind("expired")] == ["li", "he"]
    assert "he" not in [f.user for f in MATRIX.review(AT - DAY).of_kind("expired")]


def test_r_rol_8_expiring_window_is_a_parameter() -> None:
    """R-ROL-8: with a 40-day window, an assignment ending in exactly 40 days is expiring."""
    assert [f.user for f in MATRIX.review(AT).of_kind("expiring")] == ["wang"]
    report = MATRIX.review(AT, expiring_within=40 * DAY)
    assert [f.user for f in report.of_kind("expiring")] == ["wang", "qian"]
    report = MATRIX.review(AT, expiring_within=40 * DAY - timedelta(microseconds=1))
    assert [f.user for f in report.of_kind("expiring")] == ["wang"]


def test_r_rol_10_emergency_powers_not_yet_started_are_not_active() -> None:
    """R-ROL-10: before the crisis starts, emergency powers are not reported as active."""
    report = MATRIX.review(AT - 5 * DAY)
    assert [f.user for f in report.of_kind("emergency")] == []
    assert [f.user for f in MATRIX.review(AT - 3 * DAY).of_kind("emergency")] == ["wang"]


def test_r_rol_8_empty_role_ignores_roles_inheriting_grants() -> None:
    """R-ROL-8: a role is empty when nothing is granted to it or any role it inherits."""
    empty = MATRIX.review(AT).of_kind("empty-role")
    assert empty == (
        Finding("empty-role", None, "observer", "role observer grants nothing, yet sun holds it"),
    )


def test_r_rol_8_inactive_users_need_last_use() -> None:
    """R-ROL-8: with last_use, active holders unused for over 90 days (or never) are listed."""
    last_use = {
        "zhao": AT - DAY,
        "wang": AT - 2 * DAY,
        "qian": AT - 90 * DAY,
        "sun": AT - 91 * DAY,
        "zhou": datetime(2026, 1, 5, tzinfo=SH),
        "li": AT - 400 * DAY,  # expired: not an active holder
    }
    report = MATRIX.review(AT, last_use=last_use)
    inactive = report.of_kind("inactive")
    assert [(f.user, f.role) for f in inactive] == [("chen", None), ("sun", None), ("zhou", None)]
    assert inactive[0].detail == "chen holds roles but used them never"
    assert inactive[2].detail == "zhou holds roles but used them last at 2026-01-05T00:00:00+08:00"
    shorter = MATRIX.review(AT, last_use=last_use, inactive_after=30 * DAY)
    assert [f.user for f in shorter.of_kind("inactive")] == ["chen", "qian", "sun", "zhou"]


def test_r_rol_8_naive_last_use_is_refused() -> None:
    """R-ROL-8: a last-use instant without a time zone is refused."""
    with pytest.raises(NaiveDatetimeError):
        MATRIX.review(AT, last_use={"zhao": datetime(2026, 11, 1)})


def test_r_rol_8_naive_review_instant_is_refused() -> None:
    """R-ROL-8: the review instant must be timezone-aware."""
    with pytest.raises(NaiveDatetimeError):
        MATRIX.review(datetime(2026, 11, 23, 10))


def test_r_rol_8_yearly_recertification_schedule() -> None:
    """R-ROL-8: FREQ=YEARLY gives the same instant in each of the next three years."""
    report = MATRIX.review(AT, recertify="FREQ=YEARLY")
    assert report.next_reviews == (
        datetime(2027, 11, 23, 10, tzinfo=SH),
        datetime(2028, 11, 23, 10, tzinfo=SH),
        datetime(2029, 11, 23, 10, tzinfo=SH),
    )


def test_r_rol_8_quarterly_recertification_with_upcoming() -> None:
    """R-ROL-8: a quarterly rule on the 1st lists the requested number of upcoming reviews."""
    report = MATRIX.review(AT, recertify="FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1", upcoming=2)
    assert [d.date().isoformat() for d in report.next_reviews] == ["2027-02-01", "2027-05-01"]
    assert all(d.tzinfo is SH for d in report.next_reviews)


@pytest.mark.parametrize("rule", ["FREQ=SOMETIMES", "every year", "FREQ=YEARLY;BYMONTH=13"])
def test_r_rol_8_bad_recertification_rule_is_refused(rule: str) -> None:
    """R-ROL-8: a recertification rule that is not an RRULE is refused."""
    with pytest.raises(InvalidDefinitionError) as caught:
        MATRIX.review(AT, recertify=rule)
    assert caught.value.field == "recertify"


def test_r_rol_8_report_as_text() -> None:
    """R-ROL-8: explain() has a header, one line per finding and the next review dates."""
    lines = MATRIX.review(AT, recertify="FREQ=YEARLY", upcoming=2).explain().splitlines()
    assert lines[0] == "Access review of complaint-office v7 at 2026-11-23T10:00:00+08:00"
    assert lines[1].startswith("[expired] li as emergency-group in company expired at ")
    assert lines[3].startswith("[expiring] wang as emergency-group in company expires at ")
    assert lines[5] == "[empty-role] role observer grants nothing, yet sun holds it"
    assert lines[6].startswith("[separation] chen holds author, reviewer: 'double review'")
    assert lines[-1] == "next reviews: 2027-11-23, 2028-11-23"
    assert len(lines) == 8


def test_r_rol_8_clean_matrix_has_no_findings() -> None:
    """R-ROL-8: a matrix with nothing to flag says so."""
    clean = RoleMatrix(
        name="clean",
        roles=[Role("legal")],
        grants=[Grant("legal", "read", "contract-archive")],
        assignments=[Assignment("zhou", "legal", "company")],
    )
    report = clean.review(AT, last_use={"zhou": AT - DAY})
    assert report.findings == ()
    assert report.explain().splitlines() == [
        "Access review of clean v1 at 2026-11-23T10:00:00+08:00",
        "no findings",
    ]


def test_r_rol_8_negative_number_of_review_dates_is_refused() -> None:
    """R-ROL-8: asking for a negative number of upcoming reviews is a typed error."""
    matrix = RoleMatrix(name="m", roles=[Role("a")])
    with pytest.raises(InvalidDefinitionError) as caught:
        matrix.review(datetime(2026, 11, 23, tzinfo=ZoneInfo("UTC")), upcoming=-1)
    assert caught.value.field == "upcoming"
