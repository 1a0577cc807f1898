"""The R-KPI rules of requirements.md, each on realistic numbers checked by hand.

Each test shows its arithmetic in comments; expected values are written out,
never recomputed with the library.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from govkit.kpi import (
    Band,
    BandedCurve,
    Feedback360,
    GradeScale,
    Indicator,
    LinearCurve,
    Ratio,
    Review,
    RunRule,
    Scorecard,
    ScorecardItem,
    SideRun,
    Trajectory,
    rank,
    roll_up,
    top_n,
)
from govkit.serialization import from_toml

POLICIES = Path(__file__).resolve().parents[2] / "examples" / "policies"


# -- R-KPI-1: sales on conversion rate, technology on on-time delivery ----------------------

SALES = Scorecard(
    name="sales",
    items=[
        ScorecardItem(
            indicator=Indicator("conversion_rate", computation="ratio", unit="%"),
            weight=80,
            curves=LinearCurve(threshold="0.15", target="0.25", stretch="0.35"),
        ),
        ScorecardItem(
            indicator=Indicator("new_accounts", computation="count"),
            weight=20,
            curves=LinearCurve(threshold=2, target=5, stretch=8),
        ),
    ],
)

TECHNOLOGY = Scorecard(
    name="technology",
    items=[
        ScorecardItem(
            indicator=Indicator("on_time_delivery", computation="ratio", unit="%"),
            weight=80,
            curves=LinearCurve(threshold="0.8", target="0.9", stretch="1.0"),
        ),
        ScorecardItem(
            indicator=Indicator("production_incidents", "lower", computation="count"),
            weight=20,
            curves=LinearCurve(threshold=5, target=2, stretch=0),
        ),
    ],
)


def test_r_kpi_1_sales_is_scored_on_conversion_rate() -> None:
    """R-KPI-1: 42 conversions of 200 leads and 5 new accounts score 84."""
    result = SALES.score({"conversion_rate": Ratio(42, 200), "new_accounts": 5})
    # conversion 42 / 200 = 0.21: 50 + 50 * (0.21 - 0.15) / (0.25 - 0.15) = 80 points
    # new accounts 5: the target, 100 points
    # 80 * 80 / 100 + 100 * 20 / 100 = 64 + 20 = 84
    assert result.items[0].value == Decimal("0.21")
    assert result.items[0].points == Decimal(80)
    assert result.total == Decimal(84)


def test_r_kpi_1_a_month_without_leads_is_no_data_not_zero_percent() -> None:
    """R-KPI-1: no leads is no data (weight renormalized), unlike 0 conversions of 50 leads."""
    no_leads = SALES.score({"conversion_rate": Ratio(0, 0), "new_accounts": 5})
    # only new accounts is scored: 100 points at the full renormalized weight 100
    assert no_leads.missing == ("conversion_rate",)
    assert no_leads.total == Decimal(100)
    no_sales = SALES.score({"conversion_rate": Ratio(0, 50), "new_accounts": 5})
    # 0% is below the 15% threshold: 0 points; 0 + 100 * 20 / 100 = 20
    assert no_sales.missing == ()
    assert no_sales.total == Decimal(20)


def test_r_kpi_1_technology_is_scored_on_on_time_delivery() -> None:
    """R-KPI-1: 19 of 20 projects on time and 2 incidents score 108."""
    result = TECHNOLOGY.score({"on_time_delivery": Ratio(19, 20), "production_incidents": 2})
    # on time 0.95: 100 + 20 * (0.95 - 0.9) / (1.0 - 0.9) = 110 points; 110 * 80 / 100 = 88
    # incidents 2: the target, 100 points; 100 * 20 / 100 = 20
    assert result.total == Decimal(108)


def test_r_kpi_1_a_quarter_without_deliveries_is_no_data() -> None:
    """R-KPI-1: with no project due, on-time delivery is no data; incidents carry the score."""
    result = TECHNOLOGY.score({"on_time_delivery": Ratio(0, 0), "production_incidents": 2})
    assert result.missing == ("on_time_delivery",)
    assert [line.weight for line in result.items] == [Decimal(0), Decimal(100)]
    assert result.total == Decimal(100)


# -- R-KPI-2: monthly self, quarterly supervisor, annual with 360 ---------------------------

MONTHLY_SELF = [Decimal(v) for v in (84, 86, 88, 90, 85, 87, 89, 91, 86, 88, 90, 92)]
QUARTERLY_SUPERVISOR = [Decimal(80), Decimal(85), Decimal(90), Decimal(85)]
FEEDBACK = Feedback360(weights={"manager": 50, "peers": 25, "subordinates": 25})
ANNUAL_REVIEW = Review("annual", {"self": 10, "supervisor": 50, "360": 40})


def test_r_kpi_2_annual_review_combines_the_three_cycles() -> None:
    """R-KPI-2: monthly self 88, quarterly supervisor 85 and 360 feedback 88 make 86.5."""
    self_score = roll_up(MONTHLY_SELF, "mean")
    # (84 + 86 + 88 + 90) + (85 + 87 + 89 + 91) + (86 + 88 + 90 + 92) = 348 + 352 + 356 = 1056
    # 1056 / 12 = 88
    assert self_score == Decimal(88)
    supervisor = roll_up(QUARTERLY_SUPERVISOR, "mean")
    # (80 + 85 + 90 + 85) / 4 = 340 / 4 = 85
    assert supervisor == Decimal(85)
    feedback = FEEDBACK.score({"manager": [90], "peers": [80, 84, 88], "subordinates": [70, 75]})
    # two subordinates are below the anonymity floor of 3: dropped
    # (90 * 50 + 84 * 25) / 75 = 6600 / 75 = 88
    assert feedback.total == Decimal(88)
    assert feedback.actions == ("subordinates: 2 rater(s) < 3, dropped",)
    annual = ANNUAL_REVIEW.combine(
        {"self": self_score, "supervisor": supervisor, "360": feedback.total}
    )
    # (88 * 10 + 85 * 50 + 88 * 40) / 100 = (880 + 4250 + 3520) / 100 = 86.5
    assert annual.total == Decimal("86.5")


def test_r_kpi_2_new_hire_without_360_is_renormalized() -> None:
    """R-KPI-2: a new hire with no 360 yet: self and supervisor share the weight, and it says so."""
    annual = ANNUAL_REVIEW.combine({"self": Decimal(88), "supervisor": Decimal(85), "360": None})
    # (88 * 10 + 85 * 50) / (10 + 50) = 5130 / 60 = 85.5
    assert annual.total == Decimal("85.5")
    assert annual.missing == ("360",)


# -- R-KPI-3: grades tied to bonus; the top 3 get an extra bonus ------------------------------

GRADES = GradeScale(name="annual", bands=[(90, "A"), (75, "B"), (60, "C"), (0, "D")])
BONUS_SHARE = {"A": Decimal("0.20"), "B": Decimal("0.10"), "C": Decimal("0.05"), "D": Decimal(0)}
TOP_EXTRA = Decimal("0.05")
BASE = Decimal(10000)
ANNUAL_SCORES = {
    "zhao": Decimal(58),
    "zhang": Decimal("89.49"),
    "chen": Decimal("95.2"),
    "liu": Decimal(76),
    "li": Decimal("89.5"),
    "wang": Decimal(91),
}


def bonuses(scores: dict[str, Decimal], top: int) -> dict[str, Decimal]:
    """Grade bonus for everyone plus the extra share for the top ``top`` (ties kept together)."""
    chosen, _ = top_n(rank(scores), top)
    extra = {entry.person for entry in chosen}
    return {
        person: BASE
        * (BONUS_SHARE[GRADES.grade(score).grade] + (TOP_EXTRA if person in extra else 0))
        for person, score in scores.items()
    }


def test_r_kpi_3_89_5_rounds_half_up_to_an_a_and_89_49_stays_b() -> None:
    """R-KPI-3: 89.5 rounds half-up to 90 (A); 89.49 rounds to 89 (B)."""
    assert GRADES.grade(Decimal("89.5")).grade == "A"
    assert GRADES.grade(Decimal("89.5")).rounded == Decimal(90)
    assert GRADES.grade(Decimal("89.49")).grade == "B"
    assert GRADES.grade(Decimal("89.49")).rounded == Decimal(89)


def test_r_kpi_3_grades_and_bonuses_with_a_top_three_extra() -> None:
    """R-KPI-3: grades set the bonus share; chen, wang and li (top 3) get 5% extra."""
    grades = {person: GRADES.grade(score).grade for person, score in ANNUAL_SCORES.items()}
    assert grades == {"chen": "A", "wang": "A", "li": "A", "zhang": "B", "liu": "B", "zhao": "D"}
    # chen, wang, li: 10000 * (20% + 5%) = 2500; zhang, liu: 10000 * 10% = 1000; zhao: 0
    assert bonuses(ANNUAL_SCORES, 3) == {
        "chen": Decimal(2500),
        "wang": Decimal(2500),
        "li": Decimal(2500),
        "zhang": Decimal(1000),
        "liu": Decimal(1000),
        "zhao": Decimal(0),
    }


def test_r_kpi_3_a_tie_for_third_gives_both_the_extra() -> None:
    """R-KPI-3: li and zhang tied at 89.5 for third both get the top-3 extra; overflow 1."""
    scores = {**ANNUAL_SCORES, "zhang": Decimal("89.5")}
    chosen, overflow = top_n(rank(scores), 3)
    assert [entry.person for entry in chosen] == ["chen", "wang", "li", "zhang"]
    assert overflow == 1
    # zhang now rounds to 90 too: A, 20% + 5% = 2500
    assert bonuses(scores, 3)["zhang"] == Decimal(2500)


# -- R-KPI-4: complaint specialists on resolution efficiency and document completeness ---------


@pytest.fixture(scope="module")
def specialist_card() -> Scorecard:
    """The complaint specialists' scorecard of examples/policies/specialist_scorecard.toml."""
    text = (POLICIES / "specialist_scorecard.toml").read_text(encoding="utf-8")
    return from_toml(text, Scorecard)


def test_r_kpi_4_the_example_card_loads(specialist_card: Scorecard) -> None:
    """R-KPI-4: the example card weighs resolution 50, completeness 30, repeats 20."""
    assert (specialist_card.name, specialist_card.version) == ("complaint-specialist", 2026)
    assert [(i.indicator.name, i.weight) for i in specialist_card.items] == [
        ("on_time_rate", Decimal(50)),
        ("complete_files", Decimal(30)),
        ("repeat_complaints", Decimal(20)),
    ]


def test_r_kpi_4_specialist_at_target(specialist_card: Scorecard) -> None:
    """R-KPI-4: 43/50 answered on time, 19/20 files complete, 1 repeat complaint: 95."""
    result = specialist_card.score(
        {"on_time_rate": Ratio(43, 50), "complete_files": Ratio(19, 20), "repeat_complaints": 1}
    )
    # on time 0.86: 50 + 50 * (0.86 - 0.7) / (0.9 - 0.7) = 90; 90 * 50 / 100 = 45
    # complete 0.95: target, 100; 100 * 30 / 100 = 30
    # repeats 1: target, 100; 100 * 20 / 100 = 20
    assert result.total == Decimal(95)


def test_r_kpi_4_specialist_slow_but_thorough(specialist_card: Scorecard) -> None:
    """R-KPI-4: 40/50 on time, every file complete, 4 repeats: 83.5."""
    result = specialist_card.score(
        {"on_time_rate": Ratio(40, 50), "complete_files": Ratio(20, 20), "repeat_complaints": 4}
    )
    # on time 0.8: 50 + 50 * 0.1 / 0.2 = 75; 75 * 0.5 = 37.5
    # complete 1.0: stretch, 120; 120 * 0.3 = 36
    # repeats 4: threshold, 50; 50 * 0.2 = 10
    assert [line.points for line in result.items] == [Decimal(75), Decimal(120), Decimal(50)]
    assert result.total == Decimal("83.5")


def test_r_kpi_4_quarter_without_an_audit(specialist_card: Scorecard) -> None:
    """R-KPI-4: no files audited this quarter: completeness is no data, its weight spread."""
    result = specialist_card.score(
        {"on_time_rate": Ratio(43, 50), "complete_files": Ratio(0, 0), "repeat_complaints": 1}
    )
    # weights 50 / 70 * 100 = 71.428571 and 20 / 70 * 100 = 28.571429 (largest remainder)
    # 90 * 71.428571 / 100 + 100 * 28.571429 / 100 = 64.2857139 + 28.571429 = 92.8571429
    assert result.total == Decimal("92.8571429")
    assert result.missing == ("complete_files",)


# -- R-KPI-5: task forces, quarterly and annual combined -------------------------------------

TASK_FORCE = Scorecard(
    name="task-force",
    items=[
        ScorecardItem(
            indicator=Indicator("completion", computation="ratio"),
            weight=30,
            curves=LinearCurve(threshold="0.7", target="0.9", stretch="1.0"),
        ),
        ScorecardItem(
            indicator=Indicator("satisfaction", computation="mean", unit="1-5"),
            weight=30,
            curves=BandedCurve(
                bands=[Band("4.5", None, 100), Band("4.0", "4.5", 80), Band("3.5", "4.0", 60)]
            ),
        ),
        ScorecardItem(
            indicator=Indicator("pass_rate", computation="ratio"),
            weight=25,
            curves=LinearCurve(threshold="0.9", target="0.95", stretch="0.99"),
        ),
        ScorecardItem(
            indicator=Indicator("utilization", "closer"),
            weight=15,
            curves=LinearCurve(threshold="0.10", target="0.85"),
        ),
    ],
)

Q_COMPLETION = [Ratio(9, 10), Ratio(2, 5), Ratio(20, 25), Ratio(0, 0)]
Q_PASS = [Ratio(47, 50), Ratio(48, 50), Ratio(45, 50), Ratio(50, 50)]
YEAR_SURVEYS = ["4.5", "4.0", "5.0", "4.5", "4.0", "4.0", "3.5", "4.5", "4.0", "4.0"]


def test_r_kpi_5_quarterly_task_force_score() -> None:
    """R-KPI-5: completion 9/10, satisfaction 4.5, pass 47/50, utilization 80% score 93.75."""
    result = TASK_FORCE.score(
        {
            "completion": Q_COMPLETION[0],
            "satisfaction": YEAR_SURVEYS[:4],
            "pass_rate": Q_PASS[0],
            "utilization": "0.80",
        }
    )
    # completion 0.9: target, 100; 100 * 0.30 = 30
    # satisfaction (4.5 + 4.0 + 5.0 + 4.5) / 4 = 4.5: band [4.5, ...), 100; 100 * 0.30 = 30
    # pass 0.94: 50 + 50 * (0.94 - 0.9) / (0.95 - 0.9) = 90; 90 * 0.25 = 22.5
    # utilization 0.80: distance 0.05 of 0.10, 50 + 50 * 0.5 = 75; 75 * 0.15 = 11.25
    assert [line.points for line in result.items] == [
        Decimal(100),
        Decimal(100),
        Decimal(90),
        Decimal(75),
    ]
    assert result.total == Decimal("93.75")


def test_r_kpi_5_mean_and_pooled_roll_ups_differ() -> None:
    """R-KPI-5: quarterly completion averages 70% by quarter but pools to 77.5% by project."""
    # Q4 had no project due (0 of 0): no data in both roll-ups
    # mean: (0.9 + 0.4 + 0.8) / 3 = 2.1 / 3 = 0.7
    # pooled: (9 + 2 + 20) / (10 + 5 + 25) = 31 / 40 = 0.775
    mean = roll_up(Q_COMPLETION, "mean")
    pooled = roll_up(Q_COMPLETION, "pooled")
    assert mean == Decimal("0.7")
    assert pooled == Decimal("0.775")
    curve = TASK_FORCE.items[0].curves[0]
    direction = TASK_FORCE.items[0].indicator.direction
    # 0.7 is the threshold: 50 points; 0.775: 50 + 50 * 0.075 / 0.2 = 68.75
    assert mean is not None
    assert pooled is not None
    assert curve.points(mean, direction) == Decimal(50)
    assert curve.points(pooled, direction) == Decimal("68.75")


def test_r_kpi_5_annual_score_combines_quarters_and_year() -> None:
    """R-KPI-5: quarterly mean 91 and annual 84.625 combine 40/60 to 87.175."""
    annual = TASK_FORCE.score(
        {
            "completion": Ratio(31, 40),  # pooled over the quarters
            "satisfaction": YEAR_SURVEYS,
            "pass_rate": Ratio(190, 200),  # 47 + 48 + 45 + 50 of 4 x 50
            "utilization": "0.85",
        }
    )
    # completion 0.775: 68.75; 68.75 * 0.30 = 20.625
    # satisfaction 42 / 10 = 4.2: band [4.0, 4.5), 80; 80 * 0.30 = 24
    # pass 0.95: target, 100; 100 * 0.25 = 25
    # utilization 0.85: on target, 100; 100 * 0.15 = 15
    # 20.625 + 24 + 25 + 15 = 84.625
    assert annual.total == Decimal("84.625")
    quarterly = roll_up([Decimal("93.75"), Decimal(90), Decimal(85), Decimal("95.25")], "mean")
    # (93.75 + 90 + 85 + 95.25) / 4 = 364 / 4 = 91
    assert quarterly == Decimal(91)
    year = Review("task-force-year", {"quarterly": 40, "annual": 60}).combine(
        {"quarterly": quarterly, "annual": annual.total}
    )
    # 91 * 0.4 + 84.625 * 0.6 = 36.4 + 50.775 = 87.175
    assert year.total == Decimal("87.175")


# -- R-KPI-6: manual coverage, monthly surveys, a three-year trajectory -----------------------

COVERAGE = Scorecard(
    name="department-goals",
    items=[
        ScorecardItem(
            indicator=Indicator("manual_coverage", computation="ratio", unit="%"),
            weight=100,
            curves=LinearCurve(threshold="0.9", target=1),
        )
    ],
)

MAJOR_COMPLAINTS = Trajectory(
    name="major-complaint rate (%)",
    baseline=(date(2026, 1, 1), Decimal(8)),
    target=(date(2028, 12, 31), Decimal(2)),
    direction="lower",
)


def test_r_kpi_6_full_manual_coverage_is_the_target() -> None:
    """R-KPI-6: 48 of 48 processes with a manual is 100%, the target; 45 of 48 scores 68.75."""
    assert COVERAGE.score({"manual_coverage": Ratio(48, 48)}).total == Decimal(100)
    # 45 / 48 = 0.9375: 50 + 50 * (0.9375 - 0.9) / (1 - 0.9) = 50 + 18.75 = 68.75
    assert COVERAGE.score({"manual_coverage": Ratio(45, 48)}).total == Decimal("68.75")


def test_r_kpi_6_monthly_surveys_pool_responses() -> None:
    """R-KPI-6: monthly surveys roll up; a month without responses is skipped, not 0%."""
    months = [Ratio(45, 50), Ratio(0, 0), Ratio(38, 40)]
    # pooled: (45 + 38) / (50 + 40) = 83 / 90 = 0.92222..., reported at 10 places
    # mean: (0.9 + 0.95) / 2 = 0.925
    assert roll_up(months, "pooled") == Decimal("0.9222222222")
    assert roll_up(months, "mean") == Decimal("0.925")


@pytest.mark.parametrize(
    ("on", "actual", "expected", "on_track"),
    [
        # 2026-01-01 .. 2028-12-31 is 365 + 365 + 365 = 1095 days
        (date(2027, 1, 1), "5.5", "6", True),  # 8 - 6 * 365 / 1095 = 6
        (date(2028, 1, 1), "4.5", "4", False),  # 8 - 6 * 730 / 1095 = 4
        (date(2028, 12, 31), "1.9", "2", True),  # the target
    ],
)
def test_r_kpi_6_major_complaint_rate_trajectory_checkpoints(
    on: date, actual: str, expected: str, on_track: bool
) -> None:
    """R-KPI-6: 8% down to 2% within three years, checked at each year end."""
    check = MAJOR_COMPLAINTS.check(on, Decimal(actual))
    assert check.expected == Decimal(expected)
    assert check.on_track is on_track


# -- R-KPI-7: shorter resolution cycle, lower repeat rate --------------------------------------

COMPLAINT_OFFICE = Scorecard(
    name="complaint-office",
    items=[
        ScorecardItem(
            indicator=Indicator("resolution_days", "lower", computation="mean", unit="days"),
            weight=60,
            curves=LinearCurve(threshold=7, target=5, stretch=3),
        ),
        ScorecardItem(
            indicator=Indicator("repeat_rate", "lower", computation="ratio"),
            weight=40,
            curves=LinearCurve(threshold="0.10", target="0.05", stretch="0.02"),
        ),
    ],
)


def test_r_kpi_7_shorter_cycles_and_fewer_repeats_score_higher() -> None:
    """R-KPI-7: a 4.5-day mean cycle and 3 repeats in 50 complaints score 99."""
    result = COMPLAINT_OFFICE.score({"resolution_days": [4, 6, 5, 3], "repeat_rate": Ratio(3, 50)})
    # cycle (4 + 6 + 5 + 3) / 4 = 4.5 days: 100 + 20 * (5 - 4.5) / (5 - 3) = 105; 105 * 0.6 = 63
    # repeats 3 / 50 = 0.06: 50 + 50 * (0.10 - 0.06) / (0.10 - 0.05) = 90; 90 * 0.4 = 36
    assert [line.points for line in result.items] == [Decimal(105), Decimal(90)]
    assert result.total == Decimal(99)


def test_r_kpi_7_lower_is_better_in_both_directions() -> None:
    """R-KPI-7: 3-day cycles and 1 repeat in 50 reach the stretch; 8-day cycles score nothing."""
    best = COMPLAINT_OFFICE.score({"resolution_days": [3, 3], "repeat_rate": Ratio(1, 50)})
    # 3 days: stretch 120; 1 / 50 = 0.02: stretch 120; 120 * 0.6 + 120 * 0.4 = 120
    assert best.total == Decimal(120)
    slow = COMPLAINT_OFFICE.score({"resolution_days": [8, 8], "repeat_rate": Ratio(3, 50)})
    # 8 days is worse than the 7-day threshold: 0; 0 + 36 = 36
    assert slow.total == Decimal(36)
    middle = COMPLAINT_OFFICE.score({"resolution_days": [4, 6, 5, 3], "repeat_rate": Ratio(3, 50)})
    assert slow.total < middle.total < best.total


# -- R-KPI-8: three consecutive results below target -------------------------------------------


def test_r_kpi_8_three_quarters_below_target_fire_the_run_rule(specialist_card: Scorecard) -> None:
    """R-KPI-8: three quarterly totals in a row below 100 fire RunRule(3, 3): training."""
    quarters = [
        {"on_time_rate": Ratio(48, 50), "complete_files": Ratio(20, 20), "repeat_complaints": 0},
        {"on_time_rate": Ratio(43, 50), "complete_files": Ratio(19, 20), "repeat_complaints": 1},
        {"on_time_rate": Ratio(40, 50), "complete_files": Ratio(20, 20), "repeat_complaints": 4},
        {"on_time_rate": Ratio(43, 50), "complete_files": Ratio(0, 0), "repeat_complaints": 1},
    ]
    totals = [specialist_card.score(q).total for q in quarters]
    # Q1: 0.96 -> 100 + 20 * 0.06 / 0.1 = 112; 1.0 -> 120; 0 -> 120
    #     112 * 0.5 + 120 * 0.3 + 120 * 0.2 = 56 + 36 + 24 = 116
    # Q2 95, Q3 83.5, Q4 92.8571429 (see the R-KPI-4 tests)
    assert totals == [Decimal(116), Decimal(95), Decimal("83.5"), Decimal("92.8571429")]
    verdict = RunRule(3, 3).evaluate(total < 100 for total in totals)
    assert verdict.fired
    assert verdict.window == (True, True, True)
    assert SideRun(3, side="below").evaluate(totals, center=100).fired


def test_r_kpi_8_a_quarter_on_target_breaks_the_run() -> None:
    """R-KPI-8: below, on target, below, below is not three in a row: no training."""
    totals = [Decimal(95), Decimal(100), Decimal("97.5"), Decimal(92)]
    assert not RunRule(3, 3).evaluate(total < 100 for total in totals).fired
    assert not SideRun(3, side="below").evaluate(totals, center=100).fired


def test_r_kpi_8_exceeding_targets_three_times_marks_a_bonus_candidate() -> None:
    """R-KPI-8: three quarters in a row above target fire SideRun(3, side="above")."""
    totals = [Decimal(98), Decimal(101), Decimal(105), Decimal(110)]
    verdict = SideRun(3, side="above").evaluate(totals, center=100)
    assert verdict.fired
    assert "above 100" in verdict.explanation
