"""KPI scorers: exact, explainable scorecards, grades, ranks, distributions and goals.

>>> from decimal import Decimal
>>> card = Scorecard(name="sales", items=[
...     ScorecardItem(indicator=Indicator("conversion", computation="ratio"), weight=60,
...                   curves=LinearCurve(threshold="0.2", target="0.3", stretch="0.4")),
...     ScorecardItem(indicator=Indicator("complaints", "lower", computation="count"), weight=40,
...                   curves=LinearCurve(threshold=6, target=2, stretch=0)),
... ])
>>> result = card.score({"conversion": Ratio(33, 100), "complaints": 4})
>>> result.total
Decimal('93.6000000000')
"""

from govkit.kpi._curve import Band, BandedCurve, Curve, LinearCurve
from govkit.kpi._grades import (
    Bucket,
    BucketResult,
    DistributionResult,
    ForcedDistribution,
    Grade,
    GradeScale,
    Quota,
    RankEntry,
    Ranking,
    Rounding,
    TieRule,
    rank,
    top_n,
)
from govkit.kpi._indicator import Computation, Direction, Indicator, Ratio
from govkit.kpi._periods import (
    Aggregation,
    Feedback360,
    FeedbackResult,
    Review,
    ReviewResult,
    Trajectory,
    TrajectoryCheck,
    roll_up,
)
from govkit.kpi._scorecard import ItemScore, MissingData, Scorecard, ScorecardItem, ScoreResult
from govkit.runs import RunRule, RunVerdict, SideRun

__all__ = [
    "Aggregation",
    "Band",
    "BandedCurve",
    "Bucket",
    "BucketResult",
    "Computation",
    "Curve",
    "Direction",
    "DistributionResult",
    "Feedback360",
    "FeedbackResult",
    "ForcedDistribution",
    "Grade",
    "GradeScale",
    "Indicator",
    "ItemScore",
    "LinearCurve",
    "MissingData",
    "Quota",
    "RankEntry",
    "Ranking",
    "Ratio",
    "Review",
    "ReviewResult",
    "Rounding",
    "RunRule",
    "RunVerdict",
    "ScoreResult",
    "Scorecard",
    "ScorecardItem",
    "SideRun",
    "TieRule",
    "Trajectory",
    "TrajectoryCheck",
    "rank",
    "roll_up",
    "top_n",
]
