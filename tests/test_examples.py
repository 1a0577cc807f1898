"""Every example script runs, and the walkthrough prints the deadlines the policy demands."""

from __future__ import annotations

import runpy
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

EXAMPLES = sorted((Path(__file__).parent.parent / "examples").glob("*.py"))
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize("script", EXAMPLES, ids=lambda p: p.name)
def test_example_runs(script: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Each example runs as a script and prints something."""
    runpy.run_path(str(script), run_name="__main__")
    assert capsys.readouterr().out.strip()


def test_complaint_desk_deadlines() -> None:
    """R-SLA-3 and R-SLA-1: reply and minutes deadlines around the 2025 and 2026 holidays."""
    namespace = runpy.run_path(str(EXAMPLES[0].parent / "complaint_desk.py"))
    from govkit.calendar import BusinessCalendar

    rows = {row[0]: row for row in namespace["deadlines"](BusinessCalendar.china())}
    # Received the evening before National Day: the make-up Saturday 2025-10-11 counts.
    assert rows["C-2025-0930"][4] == datetime(2025, 10, 14, 18, tzinfo=SHANGHAI)
    assert rows["C-2025-0930"][3] == datetime(2025, 10, 1, 17, 45, tzinfo=SHANGHAI)
    # Received during the Spring Festival: the make-up Saturday 2026-02-28 is the fifth day.
    assert rows["C-2026-0220"][4] == datetime(2026, 2, 28, 18, tzinfo=SHANGHAI)
    # Eight business hours from Friday evening end at the close of make-up Saturday 2026-02-14.
    assert rows["C-2026-0213"][2] == datetime(2026, 2, 14, 18, tzinfo=SHANGHAI)


def test_complaint_desk_clocks_and_training_flag() -> None:
    """R-SLA-3, R-SLA-8, R-SLA-5: paused clock met later, li flagged, reports rolled."""
    from govkit.audit import AuditLog
    from govkit.calendar import BusinessCalendar
    from govkit.serialization import from_toml
    from govkit.sla import SlaPolicy

    namespace = runpy.run_path(str(EXAMPLES[0].parent / "complaint_desk.py"))
    policy = from_toml(namespace["POLICY_FILE"].read_text(encoding="utf-8"), SlaPolicy)
    log = AuditLog()
    handled = namespace["handle_cases"](policy, log)
    outcomes = {case: clock.history[-1].outcome for case, _, clock in handled}
    assert outcomes == {
        "C-2026-0302": "met",
        "C-2026-0310": "missed",
        "C-2026-0316": "met",
        "C-2026-0323": "missed",
        "C-2026-0330": "missed",
        "C-2026-0401": "met",
    }
    paused = {case: clock for case, _, clock in handled}["C-2026-0316"]
    # 39 business hours of waiting push the due instant from 03-23 18:00 to 03-30 17:00.
    assert paused.history[-1].due_at == datetime(2026, 3, 30, 17, tzinfo=SHANGHAI)
    flags = namespace["flag_training"](handled, datetime(2026, 4, 10, 9, tzinfo=SHANGHAI))
    assert [(e.subject, e.action) for e in flags] == [("li", "training.required")]
    log.verify()
    assert [e.event.action for e in log.entries].count("sla.missed") == 3
    monthly = namespace["RecurringDeadline"](
        name="m", rule="FREQ=MONTHLY;BYMONTHDAY=5", calendar=BusinessCalendar.china()
    )
    first = monthly.next_due(datetime(2026, 9, 10, tzinfo=SHANGHAI))
    assert first.due == datetime(2026, 10, 8, 18, tzinfo=SHANGHAI)


def test_complaint_desk_chained_deadlines_and_milestones(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """R-SLA-6, R-SLA-11, R-SLA-12: plan due before Labour Day, review chained, mid-term review."""
    from govkit.calendar import BusinessCalendar

    namespace = runpy.run_path(str(EXAMPLES[0].parent / "complaint_desk.py"))
    namespace["print_improvement"](BusinessCalendar.china())
    out = capsys.readouterr().out
    assert "plan due               Thu 2026-04-30 18:00" in out
    assert "(missed)" in out  # delivered after the Labour Day holiday
    assert "director review due    Fri 2026-05-08 18:00" in out
    assert "mid-term review        Thu 2026-06-25 18:00" in out
    assert "acceptance due         Tue 2026-08-11 18:00" in out


def test_complaint_desk_permission_matrix() -> None:
    """R-ROL-2, R-APV-5, R-ROL-10, R-ROL-8: archive access, purchase tiers, emergency, review."""
    namespace = runpy.run_path(str(EXAMPLES[0].parent / "complaint_desk.py"))
    matrix = namespace["load_matrix"]()
    now = datetime(2026, 11, 23, 10, tzinfo=SHANGHAI)
    archive = {"scope": "company/archive", "at": now}
    assert matrix.who_can("read", "contract-archive", **archive) == {"zhao", "zhou"}
    assert matrix.allows(
        "qian", "approve", "purchase", scope="company/complaints", at=now, amount=50_000
    )
    assert not matrix.allows(
        "qian", "approve", "purchase", scope="company/complaints", at=now, amount=50_001
    )
    crisis = datetime(2026, 6, 12, 15, tzinfo=SHANGHAI)
    after = datetime(2026, 6, 17, 9, tzinfo=SHANGHAI)  # valid_until is exclusive
    assert matrix.allows("wang", "read", "customer-data", scope="company/crm", at=crisis)
    assert (
        "expired"
        in matrix.check("wang", "read", "customer-data", scope="company/crm", at=after).reason
    )
    report = matrix.review(now, recertify="FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=15")
    assert [f.user for f in report.of_kind("expired")] == ["wang"]
    assert report.next_reviews[0] == datetime(2027, 1, 15, 10, tzinfo=SHANGHAI)


def test_complaint_desk_quarter(capsys: pytest.CaptureFixture[str]) -> None:
    """R-KPI-3, R-KPI-4, R-KPI-6, R-KPI-8: scores, tie at the top, training flag, trajectory."""
    from govkit.audit import AuditLog
    from govkit.serialization import from_toml
    from govkit.sla import SlaPolicy

    namespace = runpy.run_path(str(EXAMPLES[0].parent / "complaint_desk.py"))
    policy = from_toml(namespace["POLICY_FILE"].read_text(encoding="utf-8"), SlaPolicy)
    handled = namespace["handle_cases"](policy, AuditLog())
    namespace["print_quarter"](handled)
    out = capsys.readouterr().out
    # li: 0/3 on time (0 pts), 15/20 files (below 0.8: 0 pts), 3 repeats (66.67 pts x 20%).
    assert "li    total   13.33  grade D" in out
    # sun and wang tie at 110 (stretch points on two items), so both share rank 1.
    assert "ranking: 1. sun, 1. wang, 3. zhou, 4. li" in out
    assert "(no data: complete_files)" in out
    assert "li: on-time share below 90% three quarters running" in out
    assert "wang: on-time" not in out
    assert "on track (R-KPI-6)" in out


def test_complaint_desk_approvals(capsys: pytest.CaptureFixture[str]) -> None:
    """R-APV-1, R-APV-5, R-APV-6, R-APV-9, R-APV-11: the walkthrough's requests end right."""
    from govkit.audit import AuditLog

    namespace = runpy.run_path(str(EXAMPLES[0].parent / "complaint_desk.py"))
    log = AuditLog()
    namespace["print_approvals"](namespace["load_matrix"](), log)
    out = capsys.readouterr().out
    assert "PO-2026-0107: approved - policy purchase-authority v1 chose route 'department'" in out
    assert "- ceo: approved by he" in out  # the third signature of the 120,000 purchase
    assert "C-2026-1123-R: approved after 3 rounds" in out
    assert "this step needs someone else" in out  # wang may not review twice
    assert "ratify by Wed 2026-06-17 18:00" in out  # Fri 06-12 + 3 working days
    assert "ratified by zhao on Tue 2026-06-16 10:00; overdue: False" in out
    log.verify()
    actions = [entry.event.action for entry in log.entries]
    assert actions.count("approval.approvals_dismissed") == 2  # two changed resolutions


def test_complaint_desk_files(capsys: pytest.CaptureFixture[str]) -> None:
    """R-RET-3, R-RET-6, R-RET-8: file names, the released report and a reproducible sample."""
    from govkit.audit import AuditLog

    namespace = runpy.run_path(str(EXAMPLES[0].parent / "complaint_desk.py"))
    log = AuditLog()
    namespace["print_files"](log)
    first = capsys.readouterr().out
    assert "C-2026-1123-complaints-20261123" in first
    assert "refused: date: expected %Y%m%d" in first
    assert "'phone': '***5678'" in first
    assert "Ms Liu" not in first
    namespace["print_files"](AuditLog())
    assert capsys.readouterr().out == first  # the quarter's sample is drawn again identically
    assert [entry.event.action for entry in log.entries] == ["retention.sampled"]


def test_complaint_desk_retention(capsys: pytest.CaptureFixture[str]) -> None:
    """R-RET-1, R-RET-2: signatures kept 5 years, contracts locked, a hold, a nightly disposal."""
    from govkit.audit import AuditLog

    namespace = runpy.run_path(str(EXAMPLES[0].parent / "complaint_desk.py"))
    matrix = namespace["load_matrix"]()
    signatures = namespace["print_approvals"](matrix, AuditLog())
    capsys.readouterr()
    log = AuditLog()
    namespace["print_retention"](log, matrix, signatures)
    out = capsys.readouterr().out
    assert "signature-records        keep 5 years from creation, then destroy" in out
    # R-RET-2 with R-ROL-2: only the director and legal read an encrypted contract.
    assert (
        "flags encrypted; may read: zhao (director) yes, zhou (legal) yes, wang (specialist) no"
        in out
    )
    assert "locked (compliance) until 2036-06-30 by 'contracts'" in out
    assert "10 records, 7 due" in out
    # The purchase's CEO signature of 2026-11-24 is kept through 2031-11-24.
    assert (
        "PO-2026-0108/ceo                 signature-records  due since 2031-11-25: destroy" in out
    )
    assert "C-2026-1123-complaints-20261123  complaint-files    on hold (HOLD-2026-01)" in out
    assert "CT-2016-0042                     contracts          due since 2031-04-01: review" in out
    assert "CT-2026-0117                     contracts          awaiting event contract_end" in out
    assert "refused: wang may not approve the disposal of 'CT-2016-0042'" in out
    assert "kept until 2031-03-31  approved by zhao, zhou" in out
    assert "C-2026-1123-complaints-20261123  complaint-files    kept until" not in out  # held
    assert "the certificates themselves: retain until 2061-12-01, then review" in out
    log.verify()
    actions = [entry.event.action for entry in log.entries]
    assert actions[0] == "retention.hold_placed"
    assert actions.count("retention.disposition_started") == 7
    assert actions.count("retention.disposal_signed") == 1  # the director's, before legal's
    assert actions.count("retention.disposal_approved") == 7
    assert actions.count("retention.destroyed") == 7
    assert len(actions) == 23
