"""SLA clocks: deadlines that pause, warn, breach and explain themselves, on business time.

>>> from datetime import datetime
>>> from zoneinfo import ZoneInfo
>>> from govkit.calendar import BusinessCalendar, BusinessDays
>>> policy = SlaPolicy(name="complaint-reply", goals=[SlaGoal(name="reply",
...     target=BusinessDays(5))], default="reply", calendar=BusinessCalendar.china())
>>> clock, events = policy.start(at=datetime(2026, 11, 23, 10, tzinfo=ZoneInfo("Asia/Shanghai")))
>>> clock.status(datetime(2026, 11, 27, 10, tzinfo=ZoneInfo("Asia/Shanghai"))).due_at.isoformat()
'2026-11-30T18:00:00+08:00'
"""

from govkit.sla._clock import Cycle, SlaClock, SlaStatus, Span, ThresholdCrossing
from govkit.sla._policy import GoalChoice, SlaGoal, SlaPolicy
from govkit.sla._recurring import Occurrence, RecurringDeadline, Roll
from govkit.sla._streak import BreachStreak, StreakVerdict

__all__ = [
    "BreachStreak",
    "Cycle",
    "GoalChoice",
    "Occurrence",
    "RecurringDeadline",
    "Roll",
    "SlaClock",
    "SlaGoal",
    "SlaPolicy",
    "SlaStatus",
    "Span",
    "StreakVerdict",
    "ThresholdCrossing",
]
