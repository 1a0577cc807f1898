"""Benchmark govkit.kpi: 100,000 scorecards scored, graded, ranked and distributed, vs pandas.

Run from the repository root (``make bench`` runs it with the others)::

    .venv/bin/python benchmarks/bench_kpi.py            # full run
    .venv/bin/python benchmarks/bench_kpi.py --quick    # 10,000 employees, two rounds
    .venv/bin/python benchmarks/bench_kpi.py --profile  # plus a cProfile and the cost of each step

Method (the conventions of the other bench_*.py scripts, helpers in _harness.py):
100,000 employees, each with values for a scorecard of 8 weighted indicators
(2 of them lower-is-better), drawn from a fixed-seed RNG with few decimals so
that many totals are exact multiples of small steps and some land exactly on
a grade line's half point; 1 % of the values are missing, and the card spreads
their weight over the other items (``MissingData.RENORMALIZE``).

One pass is the whole job: score every employee with the batch path
``card.score_many(values)`` (for each employee an exact ``Decimal`` total with
its breakdown, equal to what ``card.score`` gives), grade every total
(``GradeScale.grade_many``, whole points, half-up), rank them (``rank``,
competition ties) and cut a 20/70/10 ``ForcedDistribution`` (at most / at
least / at least). The same rules are then applied with pandas and numpy floats,
vectorised: piecewise-linear points with ``np.interp``, weights renormalized
by the same largest-remainder rule, half-up rounding as ``np.floor(x + 0.5)``,
``Series.rank(method="min")`` and the same quota cut. Each part is timed with
``time.perf_counter_ns``; the two take turns, one pass each per round (3 rounds,
2 with ``--quick``), after a warm-up pass on 2,000 employees. The garbage
collector stays on, as in a host (``score_many`` and ``rank`` pause it
during their own calls, and say so); the time it takes during each govkit
pass is measured with ``gc.callbacks``. After each govkit pass, outside its timing, the
per-call path ``card.score(values)`` is timed call by call on every 10th
employee, for comparison.

Checks (after timing, on the last round's results): the batch results equal
``card.score`` row by row (every 10th employee, as timed); govkit and the floats
against an independent computation of the same rules in exact rational
arithmetic (``fractions.Fraction``, nothing rounded before the grade): totals,
grades, ranks and buckets, and the float grades against govkit's. The script
prints how many differ, one employee whose float grade is wrong worked through
both ways, and one group of equal exact totals that govkit's totals (sums of
contributions rounded to the card's 10 places) tell apart. It measures and
prints; it never asserts. Without pandas its rows say "not
installed". Results are described in docs/performance.md.
"""

from __future__ import annotations

import bisect
import gc
import math
import random
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext
from fractions import Fraction
from pathlib import Path
from typing import Any

from govkit.kpi import (
    Bucket,
    DistributionResult,
    ForcedDistribution,
    Grade,
    GradeScale,
    Indicator,
    LinearCurve,
    Ranking,
    Scorecard,
    ScorecardItem,
    ScoreResult,
    rank,
)

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import (
    NOT_INSTALLED,
    Checks,
    Contender,
    Timing,
    optional_import,
    parse_arguments,
    print_environment,
    print_lines,
    print_profile,
    print_table,
    show_ratio,
    speed_probe,
    stats_of,
    time_interleaved,
    wait_for_load,
    yes_no,
)

SEED = 20240601
EMPLOYEES = 100_000
TARGET_S = 3.0  # the whole job, per 100,000 employees
TARGET_RATE = 33_000  # scorecards per second, the same target said another way
MISSING = 0.01  # share of values missing
BANDS = ((90, "A"), (80, "B"), (70, "C"), (60, "D"), (0, "E"))
QUOTAS = (("top", 20, "at-most"), ("middle", 70, "at-least"), ("bottom", 10, "at-least"))

np: Any = optional_import("numpy")
pd: Any = optional_import("pandas")


# -- settings ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    employees: int
    rounds: int  # passes of each library, taking turns
    warmup: int  # employees in the untimed warm-up pass


FULL = Settings(employees=EMPLOYEES, rounds=3, warmup=2_000)
QUICK = Settings(employees=10_000, rounds=2, warmup=500)

CHECKS = Checks()
NOTES: list[str] = []


# -- the scorecard -------------------------------------------------------------------------


@dataclass(frozen=True)
class Spec:
    """One item of the card, and how its values are drawn (a clamped normal, rounded)."""

    name: str
    direction: str  # "higher" or "lower"
    computation: str  # "value" (a Decimal) or "count" (an int)
    weight: int
    threshold: str
    target: str
    stretch: str
    places: int  # decimals of the drawn values
    mean: float
    sd: float
    low: str
    high: str


SPECS = (
    Spec("on_time", "higher", "value", 20, "0.70", "0.90", "1.00", 2, 0.88, 0.07, "0.5", "1"),
    Spec("first_contact", "higher", "value", 15, "0.50", "0.75", "0.90", 2, 0.74, 0.1, "0.3", "1"),
    Spec("satisfaction", "higher", "value", 15, "3.5", "4.5", "5.0", 1, 4.4, 0.35, "2.5", "5"),
    Spec("audit_quality", "higher", "value", 10, "80", "90", "95", 0, 89, 5, "60", "100"),
    Spec("handle_minutes", "lower", "value", 10, "13", "8", "6", 1, 8.5, 1.8, "4", "20"),
    Spec("complaints", "lower", "count", 10, "7", "2", "0", 0, 2.5, 1.6, "0", "12"),
    Spec("cases_closed", "higher", "count", 10, "100", "150", "180", 0, 148, 22, "60", "240"),
    Spec("training_hours", "higher", "value", 10, "10", "20", "35", 0, 21, 6, "0", "45"),
)


def make_card() -> Scorecard:
    return Scorecard(
        name="specialists-2026",
        items=[
            ScorecardItem(
                indicator=Indicator(s.name, s.direction, computation=s.computation),
                weight=s.weight,
                curves=LinearCurve(threshold=s.threshold, target=s.target, stretch=s.stretch),
            )
            for s in SPECS
        ],
    )


def make_scale() -> GradeScale:
    return GradeScale(name="annual", bands=list(BANDS))  # whole points, half-up (the default)


def make_distribution() -> ForcedDistribution:
    return ForcedDistribution([Bucket(name, pct, quota) for name, pct, quota in QUOTAS])


# -- inputs ----------------------------------------------------------------------------------


@dataclass
class Inputs:
    people: list[str]
    values: list[dict[str, Any]]  # govkit: name -> Decimal or int; a missing value is absent
    units: list[list[int | None]]  # each value in units of 10**-places, None when missing
    frame: Any  # pandas: one float column per item, NaN when missing (None without pandas)


def draw(rng: random.Random, n: int) -> Inputs:
    people = [f"e{i:06d}" for i in range(n)]
    values: list[dict[str, Any]] = []
    units: list[list[int | None]] = []
    bounds = [
        (int(Decimal(s.low).scaleb(s.places)), int(Decimal(s.high).scaleb(s.places))) for s in SPECS
    ]
    for _ in range(n):
        row: list[int | None] = []
        for spec, (lo, hi) in zip(SPECS, bounds, strict=True):
            unit = 10**spec.places
            k = round(rng.gauss(spec.mean * unit, spec.sd * unit))
            row.append(min(hi, max(lo, k)))
        for j in range(len(row)):
            if rng.random() < MISSING:
                row[j] = None
        if all(k is None for k in row):  # the card needs data for at least one item
            row[0] = bounds[0][1]
        units.append(row)
        mine: dict[str, Any] = {}
        for spec, got in zip(SPECS, row, strict=True):
            if got is None:
                continue
            mine[spec.name] = (
                got if spec.computation == "count" else Decimal(got).scaleb(-spec.places)
            )
        values.append(mine)
    frame = None
    if pd is not None:
        columns = {
            spec.name: np.array(
                [np.nan if r[j] is None else r[j] / 10**spec.places for r in units],
                dtype=np.float64,
            )
            for j, spec in enumerate(SPECS)
        }
        frame = pd.DataFrame(columns, index=people)
    return Inputs(people, values, units, frame)


# -- govkit ----------------------------------------------------------------------------------


@dataclass
class GovkitOut:
    results: list[ScoreResult]
    grades: list[Grade]
    ranking: Ranking
    distribution: DistributionResult
    parts_ns: tuple[int, int, int, int]  # score, grade, rank, distribute
    collector: CollectorTime  # time the garbage collector took during the pass


class CollectorTime:
    """Time spent in the garbage collector while installed, per generation (gc.callbacks)."""

    def __init__(self) -> None:
        self.ns = [0, 0, 0]
        self.runs = [0, 0, 0]
        self._start = 0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._start = time.perf_counter_ns()
        else:
            generation = info["generation"]
            self.ns[generation] += time.perf_counter_ns() - self._start
            self.runs[generation] += 1

    def __enter__(self) -> CollectorTime:
        gc.callbacks.append(self)
        return self

    def __exit__(self, *_: object) -> None:
        gc.callbacks.remove(self)


def govkit_pass(
    card: Scorecard,
    scale: GradeScale,
    plan: ForcedDistribution,
    people: Sequence[str],
    values: Sequence[dict[str, Any]],
) -> GovkitOut:
    """Score, grade, rank and distribute everyone with the batch paths, timing each part."""
    pc = time.perf_counter_ns
    with CollectorTime() as collector:
        t0 = pc()
        results = card.score_many(values)
        t1 = pc()
        grades = scale.grade_many([r.total for r in results])
        t2 = pc()
        ranking = rank(dict(zip(people, [r.total for r in results], strict=True)))
        t3 = pc()
        distribution = plan.apply(ranking)
        t4 = pc()
    parts = (t1 - t0, t2 - t1, t3 - t2, t4 - t3)
    return GovkitOut(results, grades, ranking, distribution, parts, collector)


SAMPLE_EVERY = 10  # the per-call path is timed on every 10th employee


@dataclass
class PerCall:
    results: list[ScoreResult]  # card.score(values) of every 10th employee
    ns: list[int]  # each call


def per_call_pass(card: Scorecard, values: Sequence[dict[str, Any]]) -> PerCall:
    """``card.score(values)`` call by call on every 10th employee (collector on)."""
    pc = time.perf_counter_ns
    score = card.score
    results: list[ScoreResult] = []
    keep = results.append
    samples: list[int] = []
    sample = samples.append
    for v in values[::SAMPLE_EVERY]:
        c0 = pc()
        keep(score(v))
        sample(pc() - c0)
    return PerCall(results, samples)


# -- pandas / numpy floats ---------------------------------------------------------------------


@dataclass
class PandasOut:
    totals: Any  # np.ndarray of float64
    grades: Any  # np.ndarray of str
    ranks: Any  # pd.Series of int64
    buckets: Any  # np.ndarray of int8: index into QUOTAS
    parts_ns: tuple[int, int, int, int]


def pandas_curves() -> tuple[Any, Any, Any]:
    """Per item: the curve's x points (negated for lower-is-better), the sign, the weight."""
    xs = np.array([[float(s.threshold), float(s.target), float(s.stretch)] for s in SPECS])
    signs = np.array([1.0 if s.direction == "higher" else -1.0 for s in SPECS])
    weights = np.array([float(s.weight) for s in SPECS])
    return xs * signs[:, None], signs, weights


CURVE_POINTS = (50.0, 100.0, 120.0)  # LinearCurve's default points at threshold, target, stretch


def pandas_totals(frame: Any, curves: tuple[Any, Any, Any]) -> Any:
    """The weighted totals in floats: the card's rules, vectorised."""
    xps, signs, weights = curves
    x = frame.to_numpy(dtype=np.float64)
    missing = np.isnan(x)
    points = np.empty_like(x)
    for j in range(x.shape[1]):
        # below the threshold 0 points (LinearCurve's below_points); beyond the stretch 120
        points[:, j] = np.interp(x[:, j] * signs[j], xps[j], CURVE_POINTS, left=0.0, right=120.0)
    points[missing] = 0.0
    w = np.broadcast_to(weights, x.shape).copy()
    rows = missing.any(axis=1)
    if rows.any():
        w[rows] = renormalized(np.where(missing[rows], 0.0, w[rows]))
    return (points * (w / 100.0)).sum(axis=1)


def renormalized(kept: Any) -> Any:
    """govkit's rule in floats: weights x 100 / present, 6 places, largest remainder."""
    raw = kept * 100.0 / kept.sum(axis=1, keepdims=True)
    floors = np.floor(raw * 1e6) / 1e6
    short = np.rint((100.0 - floors.sum(axis=1)) * 1e6)
    order = np.argsort(-(raw - floors), axis=1, kind="stable")  # ties: the earlier item first
    place = np.empty_like(order)
    np.put_along_axis(place, order, np.arange(raw.shape[1])[None, :].repeat(len(raw), 0), 1)
    return floors + (place < short[:, None]) * 1e-6


GRADE_MINIMA: Any = np.array([m for m, _ in reversed(BANDS)], dtype=np.float64) if np else None
GRADE_NAMES: Any = np.array([g for _, g in reversed(BANDS)]) if np else None


def pandas_grades(totals: Any) -> Any:
    rounded = np.floor(totals + 0.5)  # half-up to whole points (totals are >= 0)
    return GRADE_NAMES[np.searchsorted(GRADE_MINIMA, rounded, side="right") - 1]


def pandas_ranks(totals: Any, people: Any) -> Any:
    return pd.Series(totals, index=people).rank(method="min", ascending=False).astype(np.int64)


def quota_buckets(scores: Any) -> Any:
    """ForcedDistribution.apply's cut, vectorised: bucket index per person (0 = top)."""
    n = len(scores)
    order = np.argsort(-scores, kind="stable")
    descending = scores[order]
    ascending_keys = -descending  # sorted ascending, for searchsorted
    quotas = quotas_for(n)
    buckets = np.empty(n, dtype=np.int8)
    start = 0
    last = len(QUOTAS) - 1
    for i, quota in enumerate(quotas):
        if i == last:
            end = n
        else:
            end = max(start, min(n - reserved_below(i, quotas), start + quota))
            if 0 < end < n and end > start:  # keep tied people together in the better bucket
                end = int(np.searchsorted(ascending_keys, ascending_keys[end - 1], side="right"))
        buckets[order[start:end]] = i
        start = end
    return buckets


def pandas_pass(frame: Any, curves: tuple[Any, Any, Any]) -> PandasOut:
    pc = time.perf_counter_ns
    t0 = pc()
    totals = pandas_totals(frame, curves)
    t1 = pc()
    grades = pandas_grades(totals)
    t2 = pc()
    ranks = pandas_ranks(totals, frame.index)
    t3 = pc()
    buckets = quota_buckets(totals)
    t4 = pc()
    return PandasOut(totals, grades, ranks, buckets, (t1 - t0, t2 - t1, t3 - t2, t4 - t3))


# -- the exact reference (fractions.Fraction) ---------------------------------------------------


class Exact:
    """The card's rules in rational arithmetic, written independently of govkit."""

    def __init__(self) -> None:
        self.points_memo: dict[tuple[int, int], Fraction] = {}
        self.weights_memo: dict[tuple[bool, ...], tuple[Fraction, ...]] = {}

    def points(self, j: int, k: int) -> Fraction:
        key = (j, k)
        got = self.points_memo.get(key)
        if got is None:
            s = SPECS[j]
            sign = 1 if s.direction == "higher" else -1
            v = Fraction(k, 10**s.places) * sign
            lo, mid, hi = (Fraction(p) * sign for p in (s.threshold, s.target, s.stretch))
            if v < lo:
                got = Fraction(0)
            elif v <= mid:
                got = 50 + 50 * (v - lo) / (mid - lo)
            elif v >= hi:
                got = Fraction(120)
            else:
                got = 100 + 20 * (v - mid) / (hi - mid)
            self.points_memo[key] = got
        return got

    def weights(self, present: tuple[bool, ...]) -> tuple[Fraction, ...]:
        got = self.weights_memo.get(present)
        if got is None:
            kept = [
                Fraction(s.weight) if p else Fraction(0)
                for s, p in zip(SPECS, present, strict=True)
            ]
            if all(present):
                got = tuple(kept)
            else:
                raw = [w * 100 / sum(kept) for w in kept]
                floors = [Fraction(math.floor(r * 10**6), 10**6) for r in raw]
                short = int((100 - sum(floors)) * 10**6)
                order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - floors[i]), i))
                for i in order[:short]:
                    floors[i] += Fraction(1, 10**6)
                got = tuple(floors)
            self.weights_memo[present] = got
        return got

    def total(self, row: Sequence[int | None]) -> Fraction:
        weights = self.weights(tuple(k is not None for k in row))
        total = Fraction(0)
        for j, (k, w) in enumerate(zip(row, weights, strict=True)):
            if k is not None:
                total += self.points(j, k) * w / 100
        return total


def half_up_grade(total: Fraction) -> str:
    rounded = math.floor(total + Fraction(1, 2))
    return next(g for m, g in BANDS if rounded >= m)


def competition_ranks(keys: Sequence[int]) -> list[int]:
    """1 + how many have a strictly greater key."""
    ascending = sorted(keys)
    n = len(keys)
    return [n - bisect.bisect_right(ascending, k) + 1 for k in keys]


def quotas_for(n: int) -> list[int]:
    """People per bucket: at-most shares rounded up, at-least shares rounded down."""
    out = []
    for _, percent, quota in QUOTAS:
        share = Fraction(percent * n, 100)
        out.append(math.ceil(share) if quota == "at-most" else math.floor(share))
    return out


def reserved_below(i: int, quotas: Sequence[int]) -> int:
    """People the at-least buckets after bucket i must keep."""
    kinds = [kind for _, _, kind in QUOTAS]
    return sum(
        q for kind, q in zip(kinds[i + 1 :], quotas[i + 1 :], strict=True) if kind != "at-most"
    )


def cut_buckets(keys: Sequence[int]) -> list[str]:
    """The 20/70/10 cut in plain Python: from the top, ties kept in the better bucket."""
    n = len(keys)
    quotas = quotas_for(n)
    descending = sorted(keys, reverse=True)
    bounds = []  # the lowest key of each bucket but the last
    start = 0
    for i, quota in enumerate(quotas[:-1]):
        end = max(start, min(n - reserved_below(i, quotas), start + quota))
        while 0 < end < n and end > start and descending[end] == descending[end - 1]:
            end += 1
        bounds.append(descending[end - 1] if end > start else None)
        start = end
    names = [name for name, _, _ in QUOTAS]
    out = []
    for k in keys:
        i = 0
        while i < len(bounds):
            lowest = bounds[i]
            if lowest is not None and k >= lowest:
                break
            i += 1
        out.append(names[i])
    return out


# -- checks and notes ---------------------------------------------------------------------------


@dataclass
class ExactOut:
    totals: list[Fraction]
    grades: list[str]
    ranks: list[int]
    buckets: list[str]


def exact_pass(inputs: Inputs) -> ExactOut:
    """The reference: the same rules in rational arithmetic (not timed)."""
    exact = Exact()
    totals = [exact.total(row) for row in inputs.units]
    denominator = math.lcm(*{t.denominator for t in totals})
    keys = [t.numerator * (denominator // t.denominator) for t in totals]  # exact, as ints
    grades = [half_up_grade(t) for t in totals]
    return ExactOut(totals, grades, competition_ranks(keys), cut_buckets(keys))


def describe_inputs(inputs: Inputs, out: GovkitOut, exact: ExactOut) -> None:
    n = len(inputs.people)
    with_missing = sum(any(k is None for k in row) for row in inputs.units)
    cells = sum(k is None for row in inputs.units for k in row)
    totals = exact.totals
    at_half = sum(t.denominator == 2 for t in totals)
    lines = {Fraction(2 * m - 1, 2) for m, _ in BANDS if m > 0}
    on_line = sum(t in lines for t in totals)
    tied = Counter(totals)
    grades = Counter(g.grade for g in out.grades)
    NOTES.append(
        f"{n:,} employees x {len(SPECS)} items: {cells:,} missing values "
        f"({cells / (n * len(SPECS)):.2%}), {with_missing:,} employees with at least one "
        f"(their weights renormalized)"
    )
    NOTES.append(
        f"exact totals {float(min(totals)):.4f}..{float(max(totals)):.4f}; {len(tied):,} "
        f"distinct ({len({r.total for r in out.results}):,} distinct govkit totals); "
        f"{sum(c for c in tied.values() if c > 1):,} employees share their exact total with "
        f"someone (largest tie {max(tied.values())}); {at_half:,} exact totals end in .5, "
        f"{on_line:,} of them half a point below a grade line "
        f"({', '.join(f'{float(t):g}' for t in sorted(lines))})"
    )
    NOTES.append(
        "govkit grades: "
        + ", ".join(f"{g} {grades.get(g, 0):,}" for _, g in BANDS)
        + "; buckets: "
        + ", ".join(
            f"{b.name} {len(b.people):,} (quota {b.quota:,}, overflow {b.overflow}, "
            f"shortfall {b.shortfall})"
            for b in out.distribution.buckets
        )
    )


def check_batch(inputs: Inputs, out: GovkitOut, calls: PerCall) -> None:
    """The batch path against the per-call path, on the employees the latter was timed on."""
    CHECKS.compare(
        f"govkit card.score_many == card.score, row by row, breakdown and digits "
        f"(every {SAMPLE_EVERY}th employee)",
        (
            (p, repr(batch), repr(one))
            for p, batch, one in zip(
                inputs.people[::SAMPLE_EVERY],
                out.results[::SAMPLE_EVERY],
                calls.results,
                strict=True,
            )
        ),
        other="card.score",
        mine="score_many",
    )


def check_exact(inputs: Inputs, out: GovkitOut, exact: ExactOut) -> None:
    """govkit against the rational reference: totals, grades, ranks, buckets."""
    people = inputs.people
    results = out.results
    # The total is rounded once from the 60-digit sum; the contributions shown are
    # rounded for display, so their sum is within 8 half-units of the total.
    shown = Fraction(len(SPECS), 2 * 10**10)
    CHECKS.compare(
        "govkit breakdown: weights total exactly 100, shown contributions within 8 x 0.5e-10",
        (
            (
                p,
                (
                    sum(i.weight for i in r.items),
                    abs(Fraction(sum(i.contribution for i in r.items)) - Fraction(r.total))
                    <= shown,
                ),
                (100, True),
            )
            for p, r in zip(people, results, strict=True)
        ),
        other="expected",
    )
    bound = Fraction(1, 2 * 10**10)  # the total is rounded half-even to 10 places, once
    off = [abs(Fraction(r.total) - t) for r, t in zip(results, exact.totals, strict=True)]
    CHECKS.compare(
        f"govkit total within 0.5e-10 of the exact rational total "
        f"({sum(d > 0 for d in off):,} differ at all, largest {float(max(off)):.1e})",
        ((p, d <= bound, True) for p, d in zip(people, off, strict=True)),
        other="expected",
    )
    CHECKS.compare(
        "govkit total == exact rational total (fractions.Fraction, same rules, no rounding)",
        ((p, r.total, t) for p, r, t in zip(people, results, exact.totals, strict=True)),
        other="exact",
    )
    CHECKS.compare(
        "govkit grade == grade of the exact rational total (half-up)",
        ((p, g.grade, e) for p, g, e in zip(people, out.grades, exact.grades, strict=True)),
        other="exact",
    )
    mine = {e.person: e.rank for e in out.ranking.entries}
    CHECKS.compare(
        "govkit rank == competition rank of the exact rational totals",
        ((p, mine[p], r) for p, r in zip(people, exact.ranks, strict=True)),
        other="exact",
    )
    theirs = dict(zip(people, exact.buckets, strict=True))
    CHECKS.compare(
        "govkit bucket == 20/70/10 cut of the exact rational totals (ties kept together)",
        ((p, b.name, theirs[p]) for b in out.distribution.buckets for p in b.people),
        other="exact",
    )


def check_floats(inputs: Inputs, out: GovkitOut, floats: PandasOut, exact: ExactOut) -> None:
    """The pandas float results against govkit's and against the exact reference."""
    people = inputs.people
    nearest = [float(t) for t in exact.totals]  # correctly rounded
    float_totals = floats.totals.tolist()
    diff = [abs(Fraction(f) - t) for f, t in zip(float_totals, exact.totals, strict=True)]
    CHECKS.compare(
        f"pandas float total == the float nearest the exact total (largest difference "
        f"{float(max(diff)):.1e})",
        ((p, a, b) for p, a, b in zip(people, nearest, float_totals, strict=True)),
        other="pandas",
        mine="exact",
    )
    float_grades = [str(g) for g in floats.grades.tolist()]
    CHECKS.compare(
        "pandas float grade (np.floor(x + 0.5)) == govkit grade",
        ((p, g.grade, f) for p, g, f in zip(people, out.grades, float_grades, strict=True)),
        other="pandas",
    )
    CHECKS.compare(
        "pandas float grade == grade of the exact rational total",
        ((p, e, f) for p, e, f in zip(people, exact.grades, float_grades, strict=True)),
        other="pandas",
        mine="exact",
    )
    float_ranks = floats.ranks.tolist()
    CHECKS.compare(
        "pandas float rank (method='min') == competition rank of the exact totals",
        ((p, e, f) for p, e, f in zip(people, exact.ranks, float_ranks, strict=True)),
        other="pandas",
        mine="exact",
    )
    mine = {e.person: e.rank for e in out.ranking.entries}
    CHECKS.compare(
        "pandas float rank == govkit rank",
        ((p, mine[p], f) for p, f in zip(people, float_ranks, strict=True)),
        other="pandas",
    )
    names = [name for name, _, _ in QUOTAS]
    float_buckets = [names[b] for b in floats.buckets.tolist()]
    CHECKS.compare(
        "pandas float 20/70/10 bucket == bucket of the exact totals",
        ((p, e, f) for p, e, f in zip(people, exact.buckets, float_buckets, strict=True)),
        other="pandas",
        mine="exact",
    )


def examples(inputs: Inputs, out: GovkitOut, floats: PandasOut | None, exact: ExactOut) -> None:
    """Worked examples: a grade the floats get wrong, and a tie govkit's totals split."""
    if floats is not None:
        float_grades = [str(g) for g in floats.grades.tolist()]
        wrong = [
            i for i, (e, f) in enumerate(zip(exact.grades, float_grades, strict=True)) if e != f
        ]
        if wrong:
            float_example(inputs, out, floats, wrong[0])
        else:
            print("No float grade differs from the exact grade.")
        print()
    groups: dict[Fraction, set[Decimal]] = {}
    first: dict[tuple[Fraction, Decimal], int] = {}
    for i, (r, t) in enumerate(zip(out.results, exact.totals, strict=True)):
        groups.setdefault(t, set()).add(r.total)
        first.setdefault((t, r.total), i)
    split = [t for t, seen in groups.items() if len(seen) > 1]
    if not split:
        print("No tie of exact totals is split by govkit's totals.")
        return
    mine = {e.person: e.rank for e in out.ranking.entries}
    t = min(split, key=lambda t: first[(t, min(groups[t]))])
    print(
        f"Why govkit ranks differ from the exact ranks: {len(split):,} groups of employees "
        f"with equal exact totals get different govkit totals, e.g. exact total "
        f"{t.numerator}/{t.denominator} = {float(t)!r}:"
    )
    for total in sorted(groups[t]):
        i = first[(t, total)]
        r = out.results[i]
        parts = " + ".join(f"{item.contribution:f}" for item in r.items)
        print(
            f"  {inputs.people[i]}: {parts} = {total:f} -> rank {mine[inputs.people[i]]} "
            f"(exact rank {exact.ranks[i]})"
        )
    print(
        "  (each contribution is rounded half-even to the card's 10 places; the exact "
        "total is the same)"
    )


def float_example(inputs: Inputs, out: GovkitOut, floats: PandasOut, i: int) -> None:
    """One employee whose float grade differs from the exact one, worked through both ways."""
    curves = pandas_curves()
    g = out.grades[i]
    f = str(floats.grades[i])
    result = out.results[i]
    row = inputs.frame.iloc[[i]]
    total = pandas_totals(row, curves)[0]
    shown = {k: str(v) for k, v in inputs.values[i].items()}
    print(f"Why a float grade differs, e.g. {inputs.people[i]} (values {shown}):")
    print("  govkit, exact:")
    for line in result.explain().splitlines():
        print(f"    {line}")
    print(f"    grade: {g.score:f} rounded half-up to {g.rounded:f} -> {g.grade}")
    xps, signs, _ = curves
    x = row.to_numpy(dtype=np.float64)[0]
    parts = []
    for j in range(len(SPECS)):
        if math.isnan(x[j]):
            parts.append("missing")
            continue
        p = float(np.interp(x[j] * signs[j], xps[j], CURVE_POINTS, left=0.0, right=120.0))
        parts.append(repr(p))
    print(f"  pandas, floats: points {', '.join(parts)}")
    print(
        f"    total {float(total)!r}; np.floor(x + 0.5) = {float(np.floor(total + 0.5)):g} -> {f}"
    )


# -- timing ---------------------------------------------------------------------------------


PARTS = (
    ("score", "card.score_many(values): exact totals + breakdowns"),
    ("grade", "GradeScale.grade_many(totals), whole points half-up"),
    ("rank", "rank({person: total}), competition ties"),
    ("distribute", "ForcedDistribution 20/70/10 .apply(ranking)"),
)
PANDAS_PARTS = (
    "np.interp points, renormalized weights, row sums",
    "np.floor(x + 0.5), np.searchsorted on the grade minima",
    "Series.rank(method='min', ascending=False)",
    "argsort, quota cut, searchsorted past ties",
)


def seconds(ns: int, scale: float) -> float:
    return ns / 1e9 * scale


def spread(values: Sequence[float]) -> str:
    ordered = sorted(values)
    mid = ordered[len(ordered) // 2]
    text = f"{mid:.3f} s" if mid < 10 else f"{mid:.2f} s"
    if len(ordered) > 1:
        text += f" ({ordered[0]:.3f}-{ordered[-1]:.3f})"
    return text


def median(values: Sequence[float]) -> float:
    return sorted(values)[len(values) // 2]


def run(
    settings: Settings, inputs: Inputs
) -> tuple[GovkitOut, PandasOut | None, PerCall, list[list[str]]]:
    """Warm up, then take turns; print nothing, return the last outputs and the table lines."""
    card, scale, plan = make_card(), make_scale(), make_distribution()
    curves: Any = pandas_curves() if pd is not None else None
    w = settings.warmup
    govkit_pass(card, scale, plan, inputs.people[:w], inputs.values[:w])
    if pd is not None:
        pandas_pass(inputs.frame.iloc[:w], curves)
    g_parts: list[tuple[int, ...]] = []
    p_parts: list[tuple[int, ...]] = []
    collected: list[CollectorTime] = []
    samples: list[int] = []
    one_by_one: list[float] = []  # per round: the sampled card.score calls, in seconds
    g_out: GovkitOut | None = None
    p_out: PandasOut | None = None
    calls: PerCall | None = None
    for _ in range(settings.rounds):
        g_out = p_out = calls = None  # free the last round's results before timing the next
        gc.collect()
        g_out = govkit_pass(card, scale, plan, inputs.people, inputs.values)
        g_parts.append(g_out.parts_ns)
        collected.append(g_out.collector)
        calls = per_call_pass(card, inputs.values)  # not part of the pass
        samples.extend(calls.ns)
        one_by_one.append(sum(calls.ns) / 1e9)
        if pd is not None:
            p_out = pandas_pass(inputs.frame, curves)
            p_parts.append(p_out.parts_ns)
    assert g_out is not None
    assert calls is not None
    n = len(inputs.people)
    scale_to = EMPLOYEES / n
    scaled = "" if n == EMPLOYEES else f" (x{scale_to:g} to {EMPLOYEES:,})"
    lines: list[list[str]] = []

    def row(op: str, library: str, totals: list[float], ratio: str, target: str, met: str) -> None:
        per = median(totals) / EMPLOYEES * 1e6
        lines.append([op, library, spread(totals), f"{per:,.2f}", ratio, target, met])

    g_total = [seconds(sum(p), scale_to) for p in g_parts]
    p_total = [seconds(sum(p), scale_to) for p in p_parts]
    for k, (part, label) in enumerate(PARTS):
        g = [seconds(p[k], scale_to) for p in g_parts]
        row(f"{part}: {label}", "govkit", g, "", "(info)", "")
        if pd is not None:
            pp = [seconds(p[k], scale_to) for p in p_parts]
            ratio = show_ratio(median(g) / median(pp)) if median(pp) > 0 else ""
            row(f"{part}: {PANDAS_PARTS[k]}", "pandas + numpy", pp, ratio, "(info)", "")
    op = f"all four, {n:,} employees{scaled}"
    row(op, "govkit", g_total, "", f"total <= {TARGET_S:g} s", yes_no(median(g_total) <= TARGET_S))
    in_gc = [seconds(sum(c.ns), scale_to) for c in collected]
    full = sorted(c.runs[2] for c in collected)
    fulls = f"{full[0]}" if full[0] == full[-1] else f"{full[0]}-{full[-1]}"
    row(
        f"  of which in the garbage collector ({median(in_gc) / median(g_total):.0%}; "
        f"{fulls} full collections per pass)",
        "govkit",
        in_gc,
        "",
        "(info)",
        "",
    )
    if pd is not None:
        row(
            op,
            "pandas + numpy",
            p_total,
            show_ratio(median(g_total) / median(p_total)),
            "(info)",
            "",
        )
    else:
        lines.append([op, "pandas", NOT_INSTALLED, "", "", "(info)", ""])
    rate = EMPLOYEES / median(g_total)
    lines.append(
        [
            "scorecards per second, all four (employees / median total)",
            "govkit",
            f"{rate:,.0f} /s",
            "",
            "",
            f">= {TARGET_RATE:,} /s",
            yes_no(rate >= TARGET_RATE),
        ]
    )
    sampled = len(inputs.values[::SAMPLE_EVERY])
    row(
        f"score, per-call path: card.score(values) on every {SAMPLE_EVERY}th employee, "
        f"x{n / sampled:g}",
        "govkit",
        [t * n / sampled * scale_to for t in one_by_one],
        "",
        "(info)",
        "",
    )
    st = stats_of(samples)
    lines.append(
        [
            f"card.score(values), one call (median, p90 of {st.calls:,} calls)",
            "govkit",
            f"{st.median_us:,.2f} us, {st.p90_us:,.2f} us",
            "",
            "",
            "(info)",
            "",
        ]
    )
    return g_out, p_out, calls, lines


# -- profile --------------------------------------------------------------------------------


def profile(inputs: Inputs) -> None:
    """cProfile of the parts, then the median cost of the steps of card.score."""
    import cProfile

    from govkit.kpi._indicator import EXACT, to_decimal
    from govkit.kpi._scorecard import ItemScore, _attainment, _places_of, _renormalized

    card, scale = make_card(), make_scale()
    n = min(20_000, len(inputs.values))
    values = inputs.values[:n]
    people = inputs.people[:n]
    print("cProfile (its own overhead inflates every entry; use it for proportions):")
    results: list[ScoreResult] = []

    def scored() -> None:
        results.extend(card.score(v) for v in values)

    for label, calls, fn in (
        (f"card.score_many(values), {n:,} employees", n, lambda: card.score_many(values)),
        (f"card.score(values), {n:,} employees", n, scored),
        (
            f"scale.grade_many(totals), {n:,} totals",
            n,
            lambda: scale.grade_many([r.total for r in results]),
        ),
        (f"scale.grade(total), {n:,} totals", n, lambda: [scale.grade(r.total) for r in results]),
        (
            f"rank(scores) of {n:,} totals, per person",
            n,
            lambda: rank({p: r.total for p, r in zip(people, results, strict=True)}),
        ),
    ):
        profiler = cProfile.Profile()
        profiler.runcall(fn)
        print(f"== {label}")
        print_profile(profiler, calls, top=10)
    print()

    print(
        "Median cost of the steps of card.score (no profiler), inside localcontext(EXACT); "
        "uses private helpers and must change with the code:"
    )
    items = card.items
    plan_ = card._plan
    quantum = plan_.quantum
    pairs: list[tuple[int, Decimal]] = []  # (item index, value): every present value
    for v in values:
        for j, item in enumerate(items):
            value = item.indicator.measure(v.get(item.indicator.name))
            if value is not None:
                pairs.append((j, value))
    rng = random.Random(SEED)
    rng.shuffle(pairs)
    pairs = pairs[:20_000]
    measured = [(items[j], v, items[j].curves[0], items[j].indicator.direction) for j, v in pairs]
    facts_in = [
        (items[j], v if items[j].indicator.computation.value == "value" else int(v))
        for j, v in pairs
    ]
    hundred = Decimal(100)
    with localcontext(EXACT):
        rounded = [
            (item, curve.points(v, d).quantize(quantum), item.weight)
            for item, v, curve, d in measured
        ]

    def points(item: Any, v: Decimal, curve: Any, d: Any) -> object:
        return curve.points(v, d)

    def points_q(item: Any, v: Decimal, curve: Any, d: Any) -> object:
        return curve.points(v, d).quantize(quantum)

    def attainment(item: Any, v: Decimal, curve: Any, d: Any) -> object:
        a = _attainment(v, curve, d)
        return None if a is None else a.quantize(quantum)

    def contribution(item: Any, points: Decimal, weight: Decimal) -> object:
        return (points * (weight / hundred)).quantize(quantum)

    def line(item: Any, v: Decimal, curve: Any, d: Any) -> object:
        return ItemScore(item.indicator.name, v, v, v, item.weight, v)

    per_item: list[tuple[str, Callable[..., object], list[tuple[Any, ...]]]] = [
        ("lambda *args: None (floor for the steps below)", lambda *a: None, measured),
        ("indicator.measure(facts)", lambda item, f: item.indicator.measure(f), facts_in),
        ("curve.points(value, direction), 60 digits", points, measured),
        ("  the same, then .quantize(10 places)", points_q, measured),
        ("_attainment(...) + quantize", attainment, measured),
        ("_places_of(value) (value.as_tuple())", lambda item, v, c, d: _places_of(v), measured),
        ("contribution: rounded points x (weight / 100), quantize", contribution, rounded),
        ("ItemScore(...) (attrs frozen, 6 fields)", line, measured),
    ]
    missing_rows = [v for v in inputs.values if len(v) < len(items)][:5_000]
    kept_weights = []
    for v in missing_rows:
        kept = [i.weight if i.indicator.name in v else Decimal(0) for i in items]
        kept_weights.append((kept, plan_.scale, sum(kept, Decimal(0))))
    full_rows = [(v,) for v in inputs.values if len(v) == len(items)][:20_000]
    miss_rows = [(v,) for v in missing_rows]
    per_card: list[tuple[str, Callable[..., object], list[tuple[Any, ...]]]] = [
        ("card.score(values), all 8 values present", card.score, full_rows),
        ("card.score(values), some values missing", card.score, miss_rows),
        ("  _renormalized(weights, 100, present) of those", _renormalized, kept_weights),
        (
            "  ScoreResult(...) (attrs frozen, 6 fields)",
            lambda v: ScoreResult(
                scorecard="x",
                version=1,
                total=quantum,
                items=(),
                missing=(),
                missing_policy=card.missing,
            ),
            full_rows,
        ),
        ("  localcontext(EXACT) entered and left", enter_exit, full_rows),
    ]
    rounding = scale.rounding
    totals = [(r.total,) for r in results]
    per_grade: list[tuple[str, Callable[..., object], list[tuple[Any, ...]]]] = [
        ("scale.grade(total), all of it", scale.grade, totals),
        ("  to_decimal(total, 'score')", lambda t: to_decimal(t, "score"), totals),
        ("  rounding.apply(total): quantize half-up", rounding.apply, totals),
        (
            "  Grade(grade, score, rounded, rounding) (attrs frozen)",
            lambda t: Grade("A", t, t, rounding),
            totals,
        ),
    ]
    with localcontext(EXACT):
        for group in (per_item, per_card, per_grade):
            size = min(len(args) for _, _, args in group)
            timing = Timing(calls=size - 100, warmup=100, rounds=10)
            stats = time_interleaved([Contender(fn, args[:size]) for _, fn, args in group], timing)
            for (label, _, _), st in zip(group, stats, strict=True):
                print(f"  {st.median_us:8.2f} us  {label}")
    print()
    rank_steps(inputs.people[:n], [r.total for r in results])


def rank_steps(people: Sequence[str], totals: Sequence[Decimal]) -> None:
    """What rank() spends its time on, per person (median of 5 repetitions, collector off).

    The steps of govkit.kpi._grades._rank, reproduced here: they must change with the code.
    """
    from govkit.kpi import RankEntry
    from govkit.kpi._build import build_many

    scores = dict(zip(people, totals, strict=True))
    names = list(scores)
    values = list(scores.values())
    keys = list(map(str, values))

    def group() -> dict[str, list[int]]:
        found: dict[str, list[int]] = {}
        for i, key in enumerate(keys):
            got = found.get(key)
            if got is None:
                found[key] = [i]
            else:
                got.append(i)
        return found

    groups = group()
    best_first = sorted(groups.values(), key=lambda g: values[g[0]], reverse=True)
    order = [i for g in best_first for i in sorted(g, key=names.__getitem__)]
    ranks = list(range(len(values)))
    built = build_many(RankEntry, len(values), person=names, score=values, rank=ranks)
    steps: list[tuple[str, Callable[[], object]]] = [
        ("rank(scores), all of it", lambda: rank(scores)),
        (
            "  every score a finite Decimal",
            lambda: (set(map(type, values)), all(map(Decimal.is_finite, values))),
        ),
        ("  str(score): the key of a score as written", lambda: list(map(str, values))),
        ("  hash(score), the key it replaces", lambda: list(map(hash, map(Decimal, keys)))),
        ("  people grouped by key (a loop in Python)", group),
        (
            "  distinct scores sorted, tied names sorted",
            lambda: [
                sorted(g, key=names.__getitem__)
                for g in sorted(groups.values(), key=lambda g: values[g[0]], reverse=True)
            ],
        ),
        (
            "  RankEntry values in input order, a field at a time (build_many)",
            lambda: build_many(RankEntry, len(values), person=names, score=values, rank=ranks),
        ),
        ("  the values put in rank order", lambda: list(map(built.__getitem__, order))),
        (
            "  for comparison: RankEntry(person, score, rank) per person, in rank order",
            lambda: [RankEntry(names[i], values[i], 1) for i in order],
        ),
    ]
    n = len(people)
    print(f"What rank() of {n:,} totals spends, per person (median of 5, collector off):")
    for label, fn in steps:
        walls = []
        for _ in range(5):
            gc.collect()
            gc.disable()
            t0 = time.perf_counter_ns()
            fn()
            walls.append(time.perf_counter_ns() - t0)
            gc.enable()
        print(f"  {median(walls) / n / 1000:8.2f} us  {label}")


def enter_exit(_values: object) -> None:
    from govkit.kpi._indicator import EXACT

    with localcontext(EXACT):
        pass


# -- main ---------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_arguments(
        __doc__,
        argv,
        quick="10,000 employees, two rounds",
        profile="also print a cProfile and the cost of each step",
    )
    settings = QUICK if args.quick else FULL

    load = wait_for_load(args.max_load)
    started = time.perf_counter()
    rng = random.Random(SEED)
    print_environment("govkit.kpi benchmark", ("govkit", "attrs", "numpy", "pandas"))
    card = make_card()
    print(
        "card      "
        + "; ".join(
            f"{s.name} {s.weight} ({s.direction}, {s.threshold}/{s.target}/{s.stretch})"
            for s in SPECS
        )
        + f"; missing data: {card.missing.value}; {card.places} places"
    )
    print(
        f"rules     grades {', '.join(f'{g} >= {m}' for m, g in BANDS)} "
        f"(whole points, half-up); rank: competition ties; distribution "
        + "/".join(f"{name} {pct}% {quota}" for name, pct, quota in QUOTAS)
    )
    print(
        f"mode      {'--quick' if args.quick else 'full'}: {settings.employees:,} employees, "
        f"{settings.rounds} rounds (govkit pass, pandas pass), warm-up pass on "
        f"{settings.warmup:,}; garbage collector on (score_many and rank pause it while they run)"
    )
    print(load)
    print(f"speed probe (fixed 100k-iteration Python loop) at start: {speed_probe()}")
    inputs = draw(rng, settings.employees)
    made = time.perf_counter() - started
    print(f"inputs    drawn in {made:.1f} s (not timed)")
    print()

    g_out, p_out, calls, lines = run(settings, inputs)
    exact = exact_pass(inputs)
    check_batch(inputs, g_out, calls)
    check_exact(inputs, g_out, exact)
    describe_inputs(inputs, g_out, exact)
    if p_out is not None:
        check_floats(inputs, g_out, p_out, exact)
    else:
        CHECKS.skipped("pandas")

    print_lines("Checks (on the last round's results):", CHECKS)
    print_lines("Inputs and outcomes:", NOTES)
    examples(inputs, g_out, p_out, exact)
    print()
    print_table(
        (
            "operation",
            "library",
            "total (median, range)",
            "us / employee",
            "govkit / pandas",
            "target",
            "met?",
        ),
        lines,
        {2, 3, 4},
    )
    print()
    print(
        "total = wall time of the part over all employees, median of the rounds (range); "
        "govkit / pandas = how many times longer govkit takes (median over median)."
    )
    print(f"speed probe at end: {speed_probe()}")
    print(f"total wall time: {time.perf_counter() - started:.1f} s")
    if args.profile:
        print()
        profile(inputs)


if __name__ == "__main__":
    main()
