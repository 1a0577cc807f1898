"""Benchmark govkit.sla clocks: status latency, 100,000 clocks at once, memory.

Run from the repository root::

    .venv/bin/python benchmarks/bench_sla.py            # full run
    .venv/bin/python benchmarks/bench_sla.py --quick    # fewer calls and clocks
    .venv/bin/python benchmarks/bench_sla.py --profile  # plus a cProfile of status()

Method (the conventions of bench_calendar.py, helpers in _harness.py): every
status call is timed on its own with ``time.perf_counter_ns`` after a warm-up;
each call gets a different (clock, instant) pair drawn from a fixed-seed RNG;
the rows compared take turns (50 rounds for single calls, one full pass over
all clocks per round for the bulk rows) so that drift in machine speed hits
them alike. Medians and 90th percentiles are per call, in microseconds,
harness included. The garbage
collector is off for the single-call rows (as ``timeit`` does) and on for the
bulk passes (each starts after a collection), which also report the wall time
of each whole pass. The bulk rows
use ``SlaClock.status_many(clocks, at)`` and time each status as it is drawn
from it (one row keeps a ``status(at)`` call per clock, for comparison); every
pass drops the statuses as they come.

There is no other library with SLA clocks to compare with, so the checks run
before timing compare govkit's answers with a recount from the recorded
instants (``BusinessCalendar.between`` over the running spans, which
bench_calendar.py checks against numpy and pandas), and, for the bulk
comparison, with pandas ``CustomBusinessHour``. The script measures and
prints; it never asserts. Without pandas the comparison row says
"not installed". Results are described in docs/performance.md.
"""

from __future__ import annotations

import gc
import linecache
import math
import random
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from govkit.calendar import BusinessCalendar, BusinessDays, BusinessHours
from govkit.sla import SlaClock, SlaGoal, SlaPolicy

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import (
    Checks,
    Contender,
    Row,
    Timing,
    harness_floor,
    optional_import,
    parse_arguments,
    print_environment,
    print_lines,
    print_profile,
    print_rows,
    print_table,
    speed_probe,
    stats_of,
    time_interleaved,
    timed_pass,
    wait_for_load,
    yes_no,
)

SEED = 20240601
TZ_NAME = "Asia/Shanghai"
TZ = ZoneInfo(TZ_NAME)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
ONE_US = timedelta(microseconds=1)
HOURS_SINGLE = {"mon-fri": [("09:00", "18:00")]}
DAYS5 = BusinessDays(5)
HOURS40 = BusinessHours(40)
GOALS = (("standard", "BusinessDays(5)"), ("urgent", "BusinessHours(40)"))
# The bulk rows: clocks started over 2025-2026, asked about at one instant, a
# Tuesday 10:30 that is open on both calendars (the pandas method relies on it).
BULK_FIRST = datetime(2025, 1, 1, tzinfo=TZ)
BULK_AT = datetime(2026, 12, 15, 10, 30, tzinfo=TZ)
BULK_CLOCKS = 100_000
PAUSE_PAIRS = 10
# Clocks with pauses start by this date, so that their due instants (and the
# instants asked about, up to twice as far) stay inside the China calendar.
PAUSED_LAST_START = datetime(2026, 9, 30, tzinfo=TZ)

pd: Any = optional_import("pandas")


# -- settings (the timing itself is in _harness.py) ------------------------------------


@dataclass(kw_only=True)
class Settings(Timing):
    """``calls`` timed status() calls per single-call row (no time budget), and:"""

    paused_clocks: int  # distinct clocks with pauses, per goal
    clocks: int  # clocks in the bulk rows (and in the memory measurement)
    passes: int  # full passes over the bulk clocks, per row
    pandas_clocks: int  # clocks pandas is timed on (a random subset; it is slow)
    pandas_checks: int  # further clocks on which pandas and govkit are compared
    retained_clocks: int  # clocks with 10 pauses whose retained size is measured


FULL = Settings(
    calls=20_000,
    warmup=200,
    rounds=50,
    paused_clocks=200,
    clocks=BULK_CLOCKS,
    passes=3,
    pandas_clocks=30,
    pandas_checks=12,
    retained_clocks=500,
)
QUICK = Settings(
    calls=3_000,
    warmup=50,
    rounds=10,
    paused_clocks=50,
    clocks=10_000,
    passes=1,
    pandas_clocks=5,
    pandas_checks=5,
    retained_clocks=200,
)


# -- result rows ---------------------------------------------------------------------------


ROWS: list[Row] = []
MEMORY: list[tuple[str, str, str, str]] = []  # (measure, value, target, met?)
CHECKS = Checks()
NOTES: list[str] = []


def print_tables() -> None:
    print_rows(ROWS, ratio_header="ratio", total=True)
    print()
    print_table(("memory", "value", "target", "met?"), MEMORY, {1})


def check(name: str, pairs: Iterable[tuple[object, object, object]]) -> None:
    """Record how many (input, govkit answer, expected answer) triples agree."""
    CHECKS.compare(name, pairs, other="expected")


# -- inputs ----------------------------------------------------------------------------------


def _epoch_us(moment: datetime) -> int:
    return (moment - EPOCH) // ONE_US


def _instant(us: int) -> datetime:
    return (EPOCH + timedelta(microseconds=us)).astimezone(TZ)


def random_instant(rng: random.Random, first: datetime, last: datetime) -> datetime:
    """An aware datetime (Asia/Shanghai), microsecond resolution, uniform in [first, last]."""
    return _instant(rng.randint(_epoch_us(first), _epoch_us(last)))


def policy_on(calendar: BusinessCalendar) -> SlaPolicy:
    """Two goals: 40 business hours for high priority, else 5 business days."""
    return SlaPolicy(
        name="complaint-reply",
        goals=[
            SlaGoal(name="urgent", target=HOURS40, when={"priority": "high"}),
            SlaGoal(name="standard", target=DAYS5),
        ],
        default="standard",
        calendar=calendar,
    )


@dataclass
class PausedClock:
    """A clock after 10 pause/resume pairs, and the instants that made it."""

    clock: SlaClock
    spans: list[tuple[datetime, datetime]]  # closed running spans (start, pause)
    resumed: datetime  # the last resume: running since
    due: datetime  # due instant as of the last resume


def paused_clock(policy: SlaPolicy, goal: str, rng: random.Random) -> PausedClock:
    """Start a clock and pause/resume it 10 times: runs of 5 min-3 h, pauses of 10 min-3 days."""
    start = random_instant(rng, BULK_FIRST, PAUSED_LAST_START)
    clock, _ = policy.start(at=start, goal=goal, subject=f"paused-{rng.randrange(10**9)}")
    spans = []
    moment = start
    for _ in range(PAUSE_PAIRS):
        paused = moment + timedelta(microseconds=rng.randint(300_000_000, 10_800_000_000))
        clock, _ = clock.pause(paused)
        spans.append((moment, paused))
        moment = paused + timedelta(microseconds=rng.randint(600_000_000, 259_200_000_000))
        clock, _ = clock.resume(moment)
    due = clock.status(moment).due_at
    assert due is not None  # a running clock always has one
    return PausedClock(clock, spans, moment, due)


def life_instant(rng: random.Random, item: PausedClock) -> datetime:
    """An instant from the last resume to as far past the due instant again (or 14 days)."""
    reach = item.due - item.resumed if item.due > item.resumed else timedelta(days=7)
    return item.resumed + (2 * reach) * rng.random()


# -- checks against a recount ------------------------------------------------------------------


def counted(cal: BusinessCalendar, item: PausedClock, moment: datetime) -> timedelta:
    """Business time the clock ran up to ``moment``, recounted from the recorded instants."""
    total = timedelta(0)
    for a, b in item.spans:
        if a < moment:
            total += cal.between(a, min(b, moment))
    if moment > item.resumed:
        total += cal.between(item.resumed, moment)
    return total


def _amount(target: timedelta, fraction: Decimal) -> timedelta:
    return ONE_US * math.ceil(Decimal(target // ONE_US) * fraction)


def first_reaching(
    cal: BusinessCalendar, item: PausedClock, at: datetime, amount: timedelta
) -> datetime | None:
    """The earliest instant up to ``at`` at which the recount reaches ``amount`` (bisection)."""
    before = timedelta(0)
    for a, b in [*item.spans, (item.resumed, at)]:
        length = cal.between(a, b)
        if before + length >= amount:
            need = amount - before  # > 0, or an earlier span would have reached it
            lo, hi = _epoch_us(a), _epoch_us(b)  # between(a, lo) < need <= between(a, hi)
            while hi - lo > 1:
                mid = (lo + hi) // 2
                if cal.between(a, _instant(mid)) >= need:
                    hi = mid
                else:
                    lo = mid
            return _instant(hi)
        before += length
    return None


def recount(cal: BusinessCalendar, item: PausedClock, at: datetime) -> tuple[object, ...]:
    """Elapsed, breach and crossings (with their instants) as a recount says they must be."""
    target = item.clock.target
    crossed = []
    for fraction in item.clock.goal_definition().thresholds:
        moment = first_reaching(cal, item, at, _amount(target, fraction))
        if moment is not None:
            crossed.append((fraction, moment))
    used_up = first_reaching(cal, item, at, target)
    # Breached once the clock has run after the target was used up; it runs at ``at``.
    breached = used_up is not None and at > used_up
    if breached:
        crossed.append((Decimal(1), used_up))
    return counted(cal, item, at), breached, tuple(crossed)


def mine(item: PausedClock, at: datetime) -> tuple[object, ...]:
    status = item.clock.status(at)
    crossed = tuple((c.fraction, c.at) for c in status.crossed)
    return status.elapsed, status.breached, crossed


def check_due(cal: BusinessCalendar, item: PausedClock, at: datetime) -> tuple[bool, bool]:
    """The due instant reported at ``at``: the target counted there, and not 1 us before.

    A due instant after ``at`` is a projection: the recount assumes the clock runs on.
    """
    status = item.clock.status(at)
    due = status.due_at
    assert due is not None  # a running clock always has one
    target = status.target
    return counted(cal, item, due) == target, counted(cal, item, due - ONE_US) < target


# -- pandas: elapsed business hours by counting CustomBusinessHour steps ----------------------


def pandas_elapsed(cbh: Any, start: Any, end: Any) -> Any:
    """Business time from ``start`` to ``end`` (naive local Timestamps) with one 09:00-18:00 day.

    pandas has no "business time between" for ``CustomBusinessHour``; this counts
    its steps: roll the start forward to business time, let ``pd.date_range`` step
    one business hour at a time up to ``end`` (the last point ``p`` is the start
    plus len - 1 business hours), then add the part hour from ``p`` to ``end``. That
    part is ``end - p`` on the same day, else the rest of ``p``'s day plus the start
    of ``end``'s day, which holds because ``end`` is inside business hours.
    """
    rolled = cbh.rollforward(start)
    if rolled >= end:
        return pd.Timedelta(0)
    points = pd.date_range(rolled, end, freq=cbh)
    last = points[-1]
    if last.normalize() == end.normalize():
        rest = end - last
    else:
        rest = (last.normalize() + pd.Timedelta(hours=18) - last) + (
            end - end.normalize() - pd.Timedelta(hours=9)
        )
    return pd.Timedelta(hours=len(points) - 1) + rest


def _naive(moment: datetime) -> Any:
    return pd.Timestamp(moment.astimezone(TZ).replace(tzinfo=None))


# -- the benchmark groups ------------------------------------------------------------------------


def bench_status(settings: Settings, rng: random.Random, china: BusinessCalendar) -> None:
    """Target 1: status(at) of a clock with 10 pause/resume pairs, China calendar."""
    policy = policy_on(china)
    contenders = []
    labels = []
    for goal, amount in GOALS:
        clocks = [paused_clock(policy, goal, rng) for _ in range(settings.paused_clocks)]
        sample = [(item, life_instant(rng, item)) for item in clocks for _ in range(2)]
        check(
            f"status(at) elapsed, breached and crossings (with instants) == recount with "
            f"between() over the recorded spans, 10 pause/resume pairs, {amount}",
            ((at, mine(item, at), recount(china, item, at)) for item, at in sample[:400]),
        )
        check(
            f"status(at).due_at: recount reaches the target there and not 1 us before, {amount}",
            ((at, check_due(china, item, at), (True, True)) for item, at in sample[:400]),
        )
        states = [item.clock.status(at) for item, at in sample]
        breached = sum(s.breached for s in states)
        NOTES.append(
            f"10 pause/resume pairs, {amount}: {len(clocks)} clocks, instants asked about "
            f"from the last resume to twice as far as the due instant; "
            f"{breached / len(states):.0%} of them breached"
        )
        inputs = [
            (item.clock, life_instant(rng, item))
            for item in (clocks[i % len(clocks)] for i in range(settings.warmup + settings.calls))
        ]
        contenders.append(Contender(SlaClock.status, inputs))
        labels.append((f"China: status(at), {PAUSE_PAIRS} pause/resume pairs, {amount}", 20.0))
    for goal, amount in GOALS:
        fresh = []
        for _ in range(settings.paused_clocks):
            start = random_instant(rng, BULK_FIRST, PAUSED_LAST_START)
            fresh.append((policy.start(at=start, goal=goal)[0], start))
        inputs = []
        for i in range(settings.warmup + settings.calls):
            clock, start = fresh[i % len(fresh)]
            inputs.append((clock, start + timedelta(days=14) * rng.random()))
        contenders.append(Contender(SlaClock.status, inputs))
        labels.append((f"China: status(at), no pauses, {amount}, at < 14 days later", 0.0))
    for (label, target_us), stats in zip(
        labels, time_interleaved(contenders, settings), strict=True
    ):
        row = Row(label, "govkit", stats, ratio="ref")
        if target_us:
            row.target = f"median <= {target_us:g} us"
            row.met = yes_no(stats.median_us <= target_us)
        else:
            row.target = "(info)"
        ROWS.append(row)


def many_pass(clocks: Sequence[SlaClock], at: datetime) -> tuple[list[int], int]:
    """One pass of ``SlaClock.status_many(clocks, at)``, each status timed as it is drawn.

    The statuses are dropped as they come, as the per-clock loops drop theirs.
    """
    start = time.perf_counter_ns()
    batch = SlaClock.status_many(clocks, at)
    got, _ = timed_pass(batch.__next__, [()] * len(clocks))
    return got, time.perf_counter_ns() - start


def machines() -> int:
    from transitions import Machine

    return sum(isinstance(o, Machine) for o in gc.get_objects())


def make_clocks(
    policy: SlaPolicy, starts: Sequence[int], priorities: Sequence[str]
) -> list[SlaClock]:
    """Start one clock per start instant, each with its own subject and facts."""
    clocks = []
    for i, (us, priority) in enumerate(zip(starts, priorities, strict=True)):
        facts = {"priority": priority, "channel": "hotline" if i % 3 else "web", "case": i}
        clock, _ = policy.start(at=_instant(us), facts=facts, subject=f"case-{i:06d}")
        clocks.append(clock)
    return clocks


def bench_memory(
    settings: Settings, rng: random.Random, china: BusinessCalendar
) -> tuple[SlaPolicy, list[SlaClock], list[int], list[str]]:
    """Target 3: the traced size of one running clock, and no Machine per clock."""
    from govkit.sla import _clock

    policy = policy_on(china)
    n = settings.clocks
    lo, hi = _epoch_us(BULK_FIRST), _epoch_us(BULK_AT)
    starts = [rng.randint(lo, hi) for _ in range(n)]
    priorities = [rng.choice(("high", "normal", "normal")) for _ in range(n)]
    make_clocks(policy, starts[:50], priorities[:50])  # warm every lazy cache first
    machines_before = machines()
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    clocks = make_clocks(policy, starts, priorities)
    gc.collect()
    used = tracemalloc.get_traced_memory()[0] - base
    snapshot = tracemalloc.take_snapshot()
    tracemalloc.stop()
    per_clock = used / n
    MEMORY.append(
        (
            f"one running clock snapshot: traced bytes / clock, {n:,} clocks "
            f"(policy and calendar built before tracing)",
            f"{per_clock:,.0f} B",
            "<= 1,024 B",
            yes_no(per_clock <= 1024),
        )
    )
    sites = snapshot.statistics("lineno")[:6]
    for stat in sites:
        frame = stat.traceback[0]
        where = f"{frame.filename.rsplit('/', 1)[-1]}:{frame.lineno}"
        text = linecache.getline(frame.filename, frame.lineno).strip()
        MEMORY.append((f"  of which {where}: {text}", f"{stat.size / n:,.0f} B", "", ""))
    del snapshot, sites

    # Transitions on a sample of the clocks: the one shared Machine serves them all.
    changed = 0
    later = BULK_AT + timedelta(minutes=1)
    for clock in clocks[: min(1000, n)]:
        paused, _ = clock.pause(BULK_AT)
        resumed, _ = paused.resume(later)
        resumed.stop(later + timedelta(hours=1))
        changed += 3
    after = machines()
    info = _clock._machine.cache_info()
    MEMORY.append(
        (
            f"transitions.Machine objects alive (gc.get_objects): before the clocks "
            f"{machines_before}; after {n:,} clocks and {changed:,} transitions",
            f"{after}",
            "1 shared, none per clock",
            yes_no(after <= 1),
        )
    )
    MEMORY.append(
        (
            "govkit.sla._clock._machine.cache_info() after those transitions",
            f"misses={info.misses}, currsize={info.currsize}",
            "one Machine built",
            yes_no(info.misses == 1 and info.currsize == 1),
        )
    )
    MEMORY.append(
        (
            "SlaClock instances have a __dict__ (a place to hang a Machine on)",
            yes_no(hasattr(clocks[0], "__dict__")).lower(),
            "no (__slots__)",
            yes_no(not hasattr(clocks[0], "__dict__")),
        )
    )

    # For information: a clock with 10 pause/resume pairs keeps its 10 spans.
    m = settings.retained_clocks
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    kept = [paused_clock(policy, "standard", rng).clock for _ in range(m)]
    gc.collect()
    used = tracemalloc.get_traced_memory()[0] - base
    tracemalloc.stop()
    MEMORY.append(
        (
            f"clock with {PAUSE_PAIRS} pause/resume pairs, last snapshot kept, {m:,} clocks",
            f"{used / m:,.0f} B",
            "(info)",
            "",
        )
    )
    del kept
    return policy, clocks, starts, priorities


def bench_bulk(
    settings: Settings,
    rng: random.Random,
    china_clocks: list[SlaClock],
    starts: list[int],
    priorities: list[str],
    single: BusinessCalendar,
) -> None:
    """Target 2: status of all clocks at one instant; vs pandas on a single-interval day."""
    n = len(china_clocks)
    at = BULK_AT
    scale = BULK_CLOCKS / n
    single_clocks = make_clocks(policy_on(single), starts, priorities)

    sample = rng.sample(range(n), min(n, 2000))
    for label, cal, clocks in (
        ("China", BusinessCalendar.china(), china_clocks),
        ("09-18", single, single_clocks),
    ):
        check(
            f"bulk, {label}: status(at).elapsed == between(start, at) and due_at == "
            f"add(start, goal target), running clocks",
            (
                (
                    clocks[i].subject,
                    (clocks[i].status(at).elapsed, clocks[i].status(at).due_at),
                    (
                        cal.between(clocks[i].started_at, at),
                        cal.add(clocks[i].started_at, clocks[i].goal_definition().target),
                    ),
                )
                for i in sample
            ),
        )
    states = [china_clocks[i].status(at) for i in sample]
    NOTES.append(
        f"bulk: starts uniform over {BULK_FIRST.date()} .. {at.isoformat()}, "
        f"{sum(c.goal == 'urgent' for c in china_clocks) / n:.0%} BusinessHours(40), the rest "
        f"BusinessDays(5); at {at.isoformat()} {sum(s.breached for s in states) / len(states):.0%}"
        f" of a 2,000-clock sample are breached (the costlier case: every threshold "
        f"instant is computed)"
    )

    pandas_inputs: list[tuple[Any, ...]] = []
    if pd is not None:
        rest = [d for d in single.holidays if d.weekday() < 5]
        cbh = pd.offsets.CustomBusinessHour(
            start="09:00", end="18:00", holidays=rest, weekmask="Mon Tue Wed Thu Fri"
        )
        picks = rng.sample(range(n), settings.pandas_clocks + settings.pandas_checks)
        subset = picks[: settings.pandas_clocks]
        end = _naive(at)
        check(
            "pandas CustomBusinessHour step count (rollforward + len(date_range)) == govkit "
            "status(at).elapsed, 09-18, no make-up days",
            (
                (
                    single_clocks[i].started_at,
                    single_clocks[i].status(at).elapsed,
                    pandas_elapsed(cbh, _naive(single_clocks[i].started_at), end).to_pytimedelta(),
                )
                for i in picks[settings.pandas_clocks :]
            ),
        )
        pandas_inputs = [(cbh, _naive(single_clocks[i].started_at), end) for i in subset]
        NOTES.append(
            f"pandas: timed on a random subset of {len(pandas_inputs)} of the {n:,} clocks "
            f"(it takes ~0.1-0.5 s per clock: date_range steps once per business hour "
            f"elapsed); its total is the subset's mean per clock x {BULK_CLOCKS:,}"
        )

    # A host that ticks each clock when its next_check_at timer fires has the
    # crossings recorded in the snapshot; ticking once at ``at`` gives the same.
    gc.collect()
    pc = time.perf_counter_ns
    ticked = []
    tick_samples = []
    for clock in china_clocks:
        t0 = pc()
        done, _ = clock.tick(at)
        tick_samples.append(pc() - t0)
        ticked.append(done)
    check(
        "bulk, China: status(at) of a clock ticked at `at` == status(at) of the untouched clock",
        (
            (china_clocks[i].subject, ticked[i].status(at), china_clocks[i].status(at))
            for i in sample[:500]
        ),
    )

    groups = [china_clocks[i : i + 50] for i in sample[:10]]
    check(
        "bulk, China: SlaClock.status_many(clocks, at) == [c.status(at) for c in clocks], "
        "10 runs of 50 clocks",
        (
            (group[0].subject, list(SlaClock.status_many(group, at)), [c.status(at) for c in group])
            for group in groups
        ),
    )

    def between(cal: BusinessCalendar, start: datetime, end: datetime) -> timedelta:
        return cal.between(start, end)

    each_china = [(c, at) for c in china_clocks]
    each_between = [(single, c.started_at, at) for c in single_clocks]
    jobs: list[Callable[[], tuple[list[int], int]]] = [
        lambda: many_pass(china_clocks, at),
        lambda: timed_pass(SlaClock.status, each_china),
        lambda: many_pass(ticked, at),
        lambda: many_pass(single_clocks, at),
        lambda: timed_pass(between, each_between),
    ]
    for clocks in (china_clocks, ticked, single_clocks):  # warm-up
        for clock in clocks[: settings.warmup]:
            clock.status(at)
        list(SlaClock.status_many(clocks[: settings.warmup], at))
    if pd is not None:
        pandas_elapsed(*pandas_inputs[0])
    samples: list[list[int]] = [[] for _ in jobs]
    totals: list[list[int]] = [[] for _ in jobs]
    pandas_samples: list[int] = []
    for r in range(settings.passes):
        for job, out, tot in zip(jobs, samples, totals, strict=True):
            gc.collect()  # so that no pass pays for the garbage of another (or of pandas)
            got, wall = job()
            out.extend(got)
            tot.append(wall)
        if pd is not None:
            got, _ = timed_pass(pandas_elapsed, pandas_inputs[r :: settings.passes])
            pandas_samples.extend(got)

    def total_text(walls: list[int]) -> str:
        walls = sorted(w / 1e9 * scale for w in walls)
        mid = walls[len(walls) // 2]
        spread = f" ({walls[0]:.2f}-{walls[-1]:.2f})" if len(walls) > 1 else ""
        return f"{mid:.2f} s{spread}"

    def median_total(walls: list[int]) -> float:
        return sorted(walls)[len(walls) // 2] / 1e9 * scale

    scaled = "" if n == BULK_CLOCKS else f" (x{scale:g} to {BULK_CLOCKS:,})"
    ROWS.append(
        Row(
            f"China: status of {n:,} running clocks at one instant, status_many{scaled}",
            "govkit",
            stats_of(samples[0]),
            total=total_text(totals[0]),
            ratio="ref",
            target=f"total <= 2 s per {BULK_CLOCKS:,}",
            met=yes_no(median_total(totals[0]) <= 2.0),
        )
    )
    ROWS.append(
        Row(
            "China: the same clocks, one status(at) call per clock",
            "govkit",
            stats_of(samples[1]),
            total=total_text(totals[1]),
            target="(info)",
        )
    )
    ROWS.append(
        Row(
            "China: the same, each clock ticked at that instant first, status_many",
            "govkit",
            stats_of(samples[2]),
            total=total_text(totals[2]),
            target="(info)",
        )
    )
    ROWS.append(
        Row(
            "China: tick(at) of such a clock (what the row above saves)",
            "govkit",
            stats_of(tick_samples),
            target="(info)",
        )
    )
    single_total = median_total(totals[3])
    op = "09-18, no make-up days: the same clocks,"
    ROWS.append(
        Row(
            f"{op} status_many",
            "govkit",
            stats_of(samples[3]),
            total=total_text(totals[3]),
            ratio="ref",
            target="(reference)",
        )
    )
    ROWS.append(
        Row(
            f"{op} between(start, at) only",
            "govkit",
            stats_of(samples[4]),
            total=total_text(totals[4]),
            target="(info)",
        )
    )
    label = "pandas CustomBusinessHour"
    if pd is None:
        ROWS.append(Row(f"{op} elapsed", label, None, target="govkit >= 10x faster"))
        CHECKS.skipped("pandas CustomBusinessHour")
        return
    mean_s = sum(pandas_samples) / len(pandas_samples) / 1e9
    pandas_total = mean_s * BULK_CLOCKS
    ratio = pandas_total / single_total
    ROWS.append(
        Row(
            f"{op} elapsed by date_range steps ({len(pandas_samples)} timed)",
            label,
            stats_of(pandas_samples),
            total=f"~{pandas_total:,.0f} s",
            ratio=f"{ratio:,.0f}x",
            target="govkit >= 10x faster",
            met=yes_no(ratio >= 10),
        )
    )


def profile(settings: Settings, rng: random.Random, china: BusinessCalendar) -> None:
    """cProfile of status() for a clock with pauses and for a bulk of fresh clocks."""
    import cProfile

    policy = policy_on(china)
    clocks = [paused_clock(policy, "urgent", rng) for _ in range(50)]
    paused_inputs = [(item.clock, life_instant(rng, item)) for item in clocks * 100]
    lo, hi = _epoch_us(BULK_FIRST), _epoch_us(BULK_AT)
    starts = [rng.randint(lo, hi) for _ in range(5000)]
    bulk = make_clocks(policy, starts, ["high", "normal"] * 2500)
    cases: list[tuple[str, int, Callable[[], object]]] = [
        (
            "status(at), 10 pause/resume pairs, BusinessHours(40)",
            len(paused_inputs),
            lambda: [c.status(a) for c, a in paused_inputs],
        ),
        (
            "status(BULK_AT) of running clocks started over 2025-2026",
            len(bulk),
            lambda: [c.status(BULK_AT) for c in bulk],
        ),
        (
            "the same clocks, SlaClock.status_many(clocks, BULK_AT), statuses dropped",
            len(bulk),
            lambda: sum(1 for _ in SlaClock.status_many(bulk, BULK_AT)),
        ),
    ]
    print("cProfile (its own overhead inflates every entry; use it for proportions):")
    for label, count, run in cases:
        profiler = cProfile.Profile()
        profiler.runcall(run)
        print(f"== {count:,} x {label}")
        print_profile(profiler, count, top=12)
    print()
    print(
        "Median cost of the steps of status(BULK_AT) (no profiler), same clocks; uses "
        "private helpers and must change with the code:"
    )
    at = BULK_AT
    prepared = [(clock, clock._elapsed(at), clock._amounts()) for clock in bulk]
    calendar = china
    steps: list[tuple[str, Callable[..., object], list[tuple[Any, ...]]]] = [
        ("status(at), all of it", lambda c, e, a: c.status(at), prepared),
        ("_check_at(at)", lambda c, e, a: c._check_at(at), prepared),
        (
            "_elapsed(at): `at` located on the calendar, its start planned",
            lambda c, e, a: c._elapsed(at),
            prepared,
        ),
        (
            "_amounts(): goal lookup + threshold amounts (lru_cache hit)",
            lambda c, e, a: c._amounts(),
            prepared,
        ),
        (
            "_crossings(at, ...): amounts compared, crossings built",
            lambda c, e, a: c._crossings(at, e, a),
            prepared,
        ),
        (
            "_status(at, elapsed): crossings, due instant, SlaStatus built",
            lambda c, e, a: c._status(at, e),
            prepared,
        ),
        ("_used_up(elapsed): the planned breach instant", lambda c, e, a: c._used_up(e), prepared),
        (
            "(for comparison) calendar.between(running_since, at)",
            lambda c, e, a: calendar.between(c.running_since, at),
            prepared,
        ),
        (
            "(for comparison) calendar.add_open_time(running_since, target)",
            lambda c, e, a: calendar.add_open_time(c.running_since, c.target),
            prepared,
        ),
    ]
    step_settings = Settings(
        calls=len(prepared) - 100,
        warmup=100,
        rounds=20,
        paused_clocks=0,
        clocks=0,
        passes=0,
        pandas_clocks=0,
        pandas_checks=0,
        retained_clocks=0,
    )
    stats = time_interleaved([Contender(fn, inputs) for _, fn, inputs in steps], step_settings)
    for (label, _, _), st in zip(steps, stats, strict=True):
        print(f"  {st.median_us:8.2f} us  {label}")


# -- main ----------------------------------------------------------------------------------------


def single_interval_calendar(china: BusinessCalendar) -> BusinessCalendar:
    """China's holidays and horizon, one 09:00-18:00 interval a day, no make-up days."""
    cal = BusinessCalendar(
        timezone=TZ_NAME,
        hours=HOURS_SINGLE,
        holidays=china.holidays,
        valid_from=china.valid_from,
        valid_until=china.valid_until,
        name="china-09-18-no-makeup",
    )
    cal.is_working_day(cal.valid_from)  # builds the lazy index
    return cal


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_arguments(
        __doc__,
        argv,
        quick="fewer calls and clocks (smoke run)",
        profile="also print a cProfile of status()",
    )
    settings = QUICK if args.quick else FULL

    load = wait_for_load(args.max_load)
    started = time.perf_counter()
    rng = random.Random(SEED)
    china = BusinessCalendar.china()
    china.is_working_day(china.valid_from)  # builds the lazy index
    single = single_interval_calendar(china)
    print_environment("govkit.sla benchmark", ("govkit", "transitions", "attrs", "pandas"))
    weekday_rest = sum(d.weekday() < 5 for d in china.holidays)
    print(
        f"calendars china(): {TZ_NAME}, Mon-Fri 09:00-12:00 + 13:00-18:00, "
        f"{china.valid_from} .. {china.valid_until}, {len(china.holidays)} rest days "
        f"({weekday_rest} on weekdays), {len(china.workdays)} make-up days; for pandas: "
        f"the same rest days, 09:00-18:00, no make-up days"
    )
    print(
        "policy    goals 'urgent' BusinessHours(40) when priority == 'high', else "
        "'standard' BusinessDays(5); thresholds 50 % and 75 %"
    )
    floor = harness_floor(settings)
    print(
        f"mode      {'--quick' if args.quick else 'full'}: {settings.calls:,} timed calls per "
        f"single-call row in {settings.rounds} interleaved rounds, {settings.warmup} warm-up "
        f"calls; {settings.clocks:,} clocks in {settings.passes} pass(es) per bulk row"
    )
    print(load)
    print(f"speed probe (fixed 100k-iteration Python loop) at start: {speed_probe()}")
    print(
        f"harness floor (timing a no-op call): median {floor.median_us:.3f} us, "
        f"p90 {floor.p90_us:.3f} us; included in every number below"
    )
    print()

    bench_status(settings, rng, china)
    _, clocks, starts, priorities = bench_memory(settings, rng, china)
    bench_bulk(settings, rng, clocks, starts, priorities, single)

    print_lines("Checks before timing (govkit vs a recount, and vs pandas):", CHECKS)
    print_lines("Inputs:", NOTES)
    print_tables()
    print()
    print(
        "total = wall time of one pass over all the clocks (per-call timing included), "
        "median of the passes (range); ratio = pandas total / govkit status_many total."
    )
    print(f"speed probe at end: {speed_probe()}")
    print(f"total wall time: {time.perf_counter() - started:.1f} s")
    if args.profile:
        print()
        profile(settings, rng, china)


if __name__ == "__main__":
    main()
