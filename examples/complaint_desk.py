"""The complaint desk: deadlines for complaints received around public holidays.

Policy 003 (办公室投诉与反馈处理制度) says an employee complaint is answered
within 5 working days, counted on the legal calendar with its public holidays
and weekend make-up working days (R-SLA-3), and that the minutes of the
handling meeting are issued within 24 hours (R-SLA-1).

Run it with ``make demo``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from govkit.calendar import BusinessCalendar, BusinessDays, BusinessHours

SHANGHAI = ZoneInfo("Asia/Shanghai")

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


def _when(moment: datetime) -> str:
    return moment.strftime("%a %Y-%m-%d %H:%M")


def main() -> None:
    """Print the deadline table."""
    calendar = BusinessCalendar.china()
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


if __name__ == "__main__":
    main()
