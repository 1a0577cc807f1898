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
