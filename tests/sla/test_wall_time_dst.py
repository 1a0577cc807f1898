"""Wall-time goals count real elapsed hours, also across a daylight-saving change."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from govkit.sla import SlaClock, SlaGoal, SlaPolicy

NEW_YORK = ZoneInfo("America/New_York")
POLICY = SlaPolicy(
    name="minutes", goals=[SlaGoal(name="day", target=timedelta(hours=24))], default="day"
)


def _started() -> SlaClock:
    clock, _ = POLICY.start(at=datetime(2025, 11, 1, 12, tzinfo=NEW_YORK))  # EDT, UTC-4
    return clock


def test_r_sla_1_24_hours_across_the_fall_back_night() -> None:
    """R-SLA-1: 24 h from Sat 12:00 EDT end Sun 11:00 EST; at 11:30 EST 24.5 h have passed."""
    status = _started().status(datetime(2025, 11, 2, 11, 30, tzinfo=NEW_YORK))
    assert status.elapsed == timedelta(hours=24, minutes=30)
    assert status.due_at == datetime(2025, 11, 2, 11, tzinfo=NEW_YORK)
    assert status.breached


def test_r_sla_1_stop_and_status_agree_across_the_change() -> None:
    """R-SLA-1: a clock stopped after 23 real hours is met, and counted 23 hours."""
    clock, _ = _started().stop(datetime(2025, 11, 2, 10, tzinfo=NEW_YORK))  # 23 h later
    assert clock.state == "met"
    assert clock.history[-1].elapsed == timedelta(hours=23)


def test_r_sla_1_status_many_counts_the_same_real_hours() -> None:
    """R-SLA-1: the batch path counts real hours like status()."""
    at = datetime(2025, 11, 2, 11, 30, tzinfo=NEW_YORK)
    clock = _started()
    assert list(SlaClock.status_many([clock], at)) == [clock.status(at)]
