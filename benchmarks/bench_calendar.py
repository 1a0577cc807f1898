"""Benchmark govkit.calendar against numpy, pandas, holidays, workalendar and exchange_calendars.

Run from the repository root (this is what ``make bench`` does)::

    .venv/bin/python benchmarks/bench_calendar.py            # full run
    .venv/bin/python benchmarks/bench_calendar.py --quick    # fewer repetitions
    .venv/bin/python benchmarks/bench_calendar.py --profile  # plus a profile of govkit

Method (helpers in _harness.py, shared with the other benchmarks): every call
is timed on its own with ``time.perf_counter_ns`` after a warm-up; the
libraries compared take turns in 50 rounds (10 with ``--quick``) so that drift
in machine speed hits them alike; each call gets a different
input (start instants and dates drawn from a fixed-seed RNG over the
calendar's horizon); the garbage collector is off (as ``timeit`` does; it stays
on for the calendar-build rows). Medians and 90th percentiles are per call, in
microseconds, and include the cost of the harness itself (the "harness floor"
line shows it). Every library gets inputs of its native type, prepared before
the timing starts, and the same instants or dates as the govkit row it is
compared with. Results are described in docs/performance.md.

The script measures and prints; it never asserts. A peer that cannot be
imported is reported as "not installed". Before timing, the answers of each
peer are compared with govkit's on a sample where the two mean the same thing.
"""

from __future__ import annotations

import random
import sys
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from govkit.calendar import BusinessCalendar, BusinessDays, BusinessHours

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import (
    Checks,
    Contender,
    Row,
    Stats,
    Timing,
    dist_version,
    govkit_row,
    harness_floor,
    needed,
    optional_import,
    parse_arguments,
    peer_row,
    print_environment,
    print_footer,
    print_lines,
    print_profile,
    print_rows,
    ratio_target,
    speed_probe,
    time_interleaved,
    wait_for_load,
    yes_no,
)

SEED = 20240601
TZ_NAME = "Asia/Shanghai"
TZ = ZoneInfo(TZ_NAME)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
FIRST = date(2000, 1, 1)
LAST = date(2049, 12, 31)
HOURS_SPLIT = {"mon-fri": [("09:00", "12:00"), ("13:00", "18:00")]}
HOURS_SINGLE = {"mon-fri": [("09:00", "18:00")]}
HOURS_XSHG = {"mon-fri": [("09:30", "11:30"), ("13:00", "15:00")]}
XSHG_FIRST = date(2000, 1, 1)
XSHG_LAST = date(2026, 12, 31)  # exchange_calendars records XSHG holidays to 2026
WORKALENDAR_FIRST = date(2018, 1, 1)  # workalendar's China knows 2018-2023 only
WORKALENDAR_LAST = date(2023, 12, 31)
WORKING_DAYS_N = 250
XSHG_BIG_MINUTES = 600_000  # 10,000 trading hours, about ten years of XSHG sessions


# -- optional peers -------------------------------------------------------------

np: Any = optional_import("numpy")
pd: Any = optional_import("pandas")
holidays_pkg: Any = optional_import("holidays")
workalendar_asia: Any = optional_import("workalendar.asia")
xcals: Any = optional_import("exchange_calendars")


# -- settings (the timing itself is in _harness.py) ---------------------------------


@dataclass(kw_only=True)
class Settings(Timing):
    build_reps: int  # repetitions of the calendar-build rows


FULL = Settings(calls=20_000, budget_s=2.5, min_calls=50, warmup=200, build_reps=15, rounds=50)
QUICK = Settings(calls=3_000, budget_s=0.5, min_calls=10, warmup=50, build_reps=5, rounds=10)


# -- result rows --------------------------------------------------------------------

ROWS: list[Row] = []


def add_govkit_row(
    operation: str, stats: Stats, *, target_us: float | None = None, target: str = ""
) -> Stats:
    ROWS.append(govkit_row(operation, stats, target_us=target_us, target=target))
    return stats


def add_peer_row(
    operation: str,
    library: str,
    stats: Stats | None,
    reference: Stats,
    *,
    min_ratio: float | None,
    strict: bool = False,
    note: str = "",
) -> None:
    """A peer row; ``ratio`` is peer median / govkit median (how many times govkit is faster)."""
    ROWS.append(
        peer_row(
            operation, library, stats, reference, min_ratio=min_ratio, strict=strict, note=note
        )
    )


# -- input generation ---------------------------------------------------------------


def _epoch_us(moment: datetime) -> int:
    return (moment - EPOCH) // timedelta(microseconds=1)


def random_instants(rng: random.Random, first: date, last: date, count: int) -> list[datetime]:
    """Aware datetimes (Asia/Shanghai), microsecond resolution, uniform in [first, last]."""
    lo = _epoch_us(datetime.combine(first, datetime.min.time(), TZ))
    hi = _epoch_us(datetime.combine(last, datetime.max.time(), TZ))
    return [
        (EPOCH + timedelta(microseconds=rng.randint(lo, hi))).astimezone(TZ) for _ in range(count)
    ]


def random_dates(rng: random.Random, first: date, last: date, count: int) -> list[date]:
    lo, hi = first.toordinal(), last.toordinal()
    return [date.fromordinal(rng.randint(lo, hi)) for _ in range(count)]


# -- holiday data ---------------------------------------------------------------------


@dataclass
class HolidayData:
    holidays: list[date]  # every closed date the source names (weekday or weekend)
    workdays: list[date]  # make-up working days (weekend dates that are open)
    source: str
    package: Any = None  # the holidays.China object, when the package is installed


def china_holiday_data() -> HolidayData:
    """China 2000-2049 from the ``holidays`` package, else a deterministic stand-in."""
    if holidays_pkg is not None:
        table = holidays_pkg.China(years=range(FIRST.year, LAST.year + 1))
        closed = sorted(d for d in table if FIRST <= d <= LAST)
        makeup = sorted(d for d in table.weekend_workdays if FIRST <= d <= LAST and d not in table)
        return HolidayData(closed, makeup, f"holidays {dist_version('holidays')} China", table)
    # Stand-in: fixed-date holidays plus floating ones drawn from a fixed-seed RNG.
    rng = random.Random(SEED)
    closed_set: set[date] = set()
    for year in range(FIRST.year, LAST.year + 1):
        for month, day in [(1, 1), (5, 1), (5, 2), (5, 3), *((10, d) for d in range(1, 8))]:
            closed_set.add(date(year, month, day))
        spring = date(year, 1, 21) + timedelta(days=rng.randint(0, 29))
        closed_set.update(spring + timedelta(days=i) for i in range(3))
        closed_set.add(date(year, 4, 4 + rng.randint(0, 1)))  # Qingming
        closed_set.add(date(year, 5, 28) + timedelta(days=rng.randint(0, 25)))  # Dragon Boat
        closed_set.add(date(year, 9, 7) + timedelta(days=rng.randint(0, 30)))  # Mid-Autumn
    closed = sorted(closed_set)
    return HolidayData(closed, [], "deterministic stand-in (holidays not installed)")


def govkit_calendar(
    hours: dict[str, list[tuple[str, str]]],
    holidays: Sequence[date],
    workdays: Sequence[date],
    first: date,
    last: date,
) -> BusinessCalendar:
    cal = BusinessCalendar(
        timezone=TZ_NAME,
        hours=hours,
        holidays=holidays,
        workdays=workdays,
        valid_from=first,
        valid_until=last,
    )
    cal.is_working_day(first)  # builds the lazy index
    return cal


# -- agreement checks -----------------------------------------------------------------

CHECKS = Checks()
check = CHECKS.compare  # (name, (input, govkit answer, peer answer) triples)
skipped = CHECKS.skipped


# -- the benchmark groups -----------------------------------------------------------


def bench_add_hours(settings: Settings, rng: random.Random, cal: BusinessCalendar) -> None:
    """Target 1, govkit alone: latency and independence from the span."""
    bh8, bh80k, bd5 = BusinessHours(8), BusinessHours(80_000), BusinessDays(5)
    starts = random_instants(rng, FIRST, date(2049, 12, 1), needed(settings))
    # 80,000 h is about 10,000 working days (~40 years): start early enough to stay
    # inside. n=8 is timed again on these same starts, for a like-for-like span ratio.
    early = random_instants(rng, FIRST, date(2007, 12, 31), needed(settings))

    def with_construction(start: datetime) -> datetime:
        return cal.add(start, BusinessHours(8))

    s8, s8_early, s80k, built, days = time_interleaved(
        [
            Contender(cal.add, [(s, bh8) for s in starts]),
            Contender(cal.add, [(s, bh8) for s in early]),
            Contender(cal.add, [(s, bh80k) for s in early]),
            Contender(with_construction, [(s,) for s in starts]),
            Contender(cal.add, [(s, bd5) for s in starts]),
        ],
        settings,
    )
    op = "add(start, BusinessHours(n)), 09-12/13-18"
    add_govkit_row(f"{op}, n=8, starts 2000-2049", s8, target_us=10)
    add_govkit_row(f"{op}, n=8, starts 2000-2007", s8_early, target_us=10)
    factor = s80k.median_us / s8_early.median_us
    ROWS.append(
        Row(
            f"{op}, n=80000, starts 2000-2007",
            "govkit",
            s80k,
            ratio="ref",
            target="median <= 10 us; <= 1.5x n=8",
            met=f"{yes_no(s80k.median_us <= 10 and factor <= 1.5)} ({factor:.2f}x n=8)",
        )
    )
    add_govkit_row(f"{op}, n=8, BusinessHours(8) built per call", built, target="(info)")
    add_govkit_row("add(start, BusinessDays(5))", days, target="(info)")


def _add(a: Any, b: Any) -> Any:
    return a + b


def bench_pandas(settings: Settings, rng: random.Random, data: HolidayData) -> None:
    """Target 1 vs pandas CustomBusinessHour: one 09:00-18:00 interval, no make-up days."""
    cal = govkit_calendar(HOURS_SINGLE, data.holidays, [], FIRST, LAST)
    op = "add(start, BusinessHours(n)), 09-18 single interval"
    library = "pandas CustomBusinessHour"
    for n, last_start in ((8, date(2049, 12, 1)), (80_000, date(2009, 12, 31))):
        bh = BusinessHours(n)
        starts = random_instants(rng, FIRST, last_start, needed(settings))
        mine = Contender(cal.add, [(s, bh) for s in starts])
        if pd is None:
            (ref,) = time_interleaved([mine], settings)
            add_govkit_row(f"{op}, n={n}", ref)
            add_peer_row(f"{op}, n={n}", library, None, ref, min_ratio=10)
            skipped(f"pandas CustomBusinessHour n={n}")
            continue
        offset = pd.offsets.CustomBusinessHour(
            n=n, start="09:00", end="18:00", holidays=data.holidays
        )
        stamps = [(pd.Timestamp(s), offset) for s in starts]
        sample = range(0, len(starts), max(1, len(starts) // (400 if n == 8 else 100)))
        # pandas gives the next opening where govkit gives the close it ends on.
        check(
            f"pandas ts + CustomBusinessHour(n={n}) == govkit next_open(add(ts, "
            f"BusinessHours({n}))), 09-18, no make-up days",
            (
                (starts[i], cal.next_open(cal.add(starts[i], bh)), (stamps[i][0] + offset))
                for i in sample
            ),
        )
        ref, theirs = time_interleaved([mine, Contender(_add, stamps, warmup=50)], settings)
        add_govkit_row(f"{op}, n={n}", ref)
        add_peer_row(f"{op}, n={n}", library, theirs, ref, min_ratio=10)


def bench_xcals(settings: Settings, rng: random.Random) -> None:
    """Target 1 vs exchange_calendars: N trading minutes after a trading minute, XSHG."""
    op = "add N trading minutes, XSHG 09:30-11:30/13:00-15:00"
    library = "exchange_calendars minute_offset"
    if xcals is None:
        skipped("exchange_calendars XSHG minute_offset")
        for minutes in (480, XSHG_BIG_MINUTES):
            row = Row(f"{op}, N={minutes:,}", library, None, target=ratio_target(2))
            ROWS.append(row)
        return
    xcal = xcals.get_calendar("XSHG", start=XSHG_FIRST.isoformat(), end=XSHG_LAST.isoformat())
    sessions = {ts.date() for ts in xcal.sessions}
    closed: list[date] = []
    makeup: list[date] = []
    day = XSHG_FIRST
    while day <= XSHG_LAST:
        if day.weekday() < 5 and day not in sessions:
            closed.append(day)
        elif day.weekday() >= 5 and day in sessions:
            makeup.append(day)
        day += timedelta(days=1)
    cal = govkit_calendar(HOURS_XSHG, closed, makeup, XSHG_FIRST, XSHG_LAST)
    n_minutes = len(xcal.minutes_nanos)
    first_minute = xcal.minutes[0].to_pydatetime()
    last_minute = xcal.minutes[-1].to_pydatetime()
    govkit_minutes = cal.between(first_minute, last_minute + timedelta(minutes=1))
    check(
        "XSHG: govkit open minutes 2000-2026 == len(exchange_calendars minutes)",
        [("2000-2026", govkit_minutes // timedelta(minutes=1), n_minutes)],
    )
    for minutes in (480, XSHG_BIG_MINUTES):
        bh = BusinessHours(minutes // 60)
        idx = [rng.randrange(0, n_minutes - minutes - 1) for _ in range(needed(settings))]
        stamps = [xcal.minutes[i] for i in idx]
        starts = [ts.to_pydatetime().astimezone(TZ) for ts in stamps]
        sample = range(0, len(idx), max(1, len(idx) // 400))
        # exchange_calendars labels a minute by its start, so where govkit ends
        # on a close it answers the next session's first minute.
        check(
            f"exchange_calendars XSHG minute_offset(m, {minutes}) == govkit next_open(add(m, "
            f"BusinessHours({minutes // 60})))",
            (
                (
                    starts[i],
                    cal.next_open(cal.add(starts[i], bh)),
                    xcal.minute_offset(stamps[i], minutes).to_pydatetime(),
                )
                for i in sample
            ),
        )
        ref, theirs = time_interleaved(
            [
                Contender(cal.add, [(s, bh) for s in starts]),
                Contender(xcal.minute_offset, [(ts, minutes) for ts in stamps]),
            ],
            settings,
        )
        add_govkit_row(f"{op}, N={minutes:,}", ref)
        add_peer_row(f"{op}, N={minutes:,}", library, theirs, ref, min_ratio=2)


def bench_between(settings: Settings, rng: random.Random, cal: BusinessCalendar) -> None:
    """Target 2: between(a, b) for a 1-day span and a 10-year span."""
    spans = (("1-day span", timedelta(days=1)), ("10-year span", timedelta(days=3652)))
    contenders = []
    for _, span in spans:
        starts = random_instants(rng, FIRST, date(2039, 12, 1), needed(settings))
        contenders.append(Contender(cal.between, [(a, a + span) for a in starts]))
    for (label, _), stats in zip(spans, time_interleaved(contenders, settings), strict=True):
        add_govkit_row(f"between(a, b), {label}", stats, target_us=10)


def _numpy_count(busdaycal: Any) -> Callable[[date, date], int]:
    """govkit's working_days_between(a, b) in numpy terms.

    ``np.busday_count(x, y)`` counts [x, y) when x <= y and -(y, x] otherwise,
    so (a, b] is [a+1, b+1) forwards and -(b, a] = busday_count(a, b) backwards.
    """
    one = timedelta(days=1)

    def count(a: date, b: date) -> int:
        if a <= b:
            return int(np.busday_count(a + one, b + one, busdaycal=busdaycal))
        return int(np.busday_count(a, b, busdaycal=busdaycal))

    return count


def bench_numpy(settings: Settings, rng: random.Random, data: HolidayData) -> None:
    """Target 3 vs numpy.busday_offset: same holidays, no make-up days (numpy has none)."""
    cal = govkit_calendar(HOURS_SPLIT, data.holidays, [], FIRST, LAST)
    op = f"add_working_days(d, {WORKING_DAYS_N}), no make-up days"
    op_count = "working_days_between(a, b), b-a in 1..3650 days"
    days = random_dates(rng, FIRST, date(2048, 6, 30), needed(settings))
    pairs = []
    for a in random_dates(rng, FIRST, date(2039, 12, 31), needed(settings)):
        pairs.append((a, a + timedelta(days=rng.randint(1, 3650))))
    mine = Contender(cal.add_working_days, [(d, WORKING_DAYS_N) for d in days])
    mine_count = Contender(cal.working_days_between, pairs)
    if np is None:
        ref, ref_count = time_interleaved([mine, mine_count], settings)
        add_govkit_row(op, ref)
        add_peer_row(op, "numpy busday_offset, prebuilt busdaycalendar", None, ref, min_ratio=1)
        add_peer_row(op, "numpy busday_offset, holidays= each call", None, ref, min_ratio=1)
        add_govkit_row(op_count, ref_count)
        add_peer_row(op_count, "numpy busday_count", None, ref_count, min_ratio=None)
        skipped("numpy busday_offset / busday_count")
        return
    holiday_array = np.array(data.holidays, dtype="datetime64[D]")
    busdaycal = np.busdaycalendar(holidays=holiday_array)
    sample_days = random_dates(rng, date(2002, 1, 1), date(2047, 12, 31), 3000)
    sample_n = [rng.choice([-1, 1]) * rng.randint(1, 500) for _ in sample_days]
    check(
        "numpy busday_offset(d, n, roll='backward') == govkit add_working_days(d, n), "
        "n in +-1..500, no make-up days",
        (
            (
                (d, n),
                cal.add_working_days(d, n),
                np.busday_offset(d, n, roll="backward", busdaycal=busdaycal).item(),
            )
            for d, n in zip(sample_days, sample_n, strict=True)
        ),
    )
    count = _numpy_count(busdaycal)
    sample_b = [d + timedelta(days=rng.randint(-3650, 3650)) for d in sample_days]
    check(
        "numpy busday_count (a+1, b+1 forwards; a, b backwards) == govkit "
        "working_days_between(a, b), |b-a| <= 3650",
        (
            ((a, b), cal.working_days_between(a, b), count(a, b))
            for a, b in zip(sample_days, sample_b, strict=True)
            if FIRST <= b <= LAST
        ),
    )
    one = timedelta(days=1)
    np_days = [(np.datetime64(d, "D"), WORKING_DAYS_N) for d in days]
    np_pairs = [(np.datetime64(a + one, "D"), np.datetime64(b + one, "D")) for a, b in pairs]
    ref, prebuilt, per_call, ref_count, np_count = time_interleaved(
        [
            mine,
            Contender(np.busday_offset, np_days, {"roll": "backward", "busdaycal": busdaycal}),
            Contender(np.busday_offset, np_days, {"roll": "backward", "holidays": holiday_array}),
            mine_count,
            Contender(np.busday_count, np_pairs, {"busdaycal": busdaycal}),
        ],
        settings,
    )
    add_govkit_row(op, ref)
    add_peer_row(op, "numpy busday_offset, prebuilt busdaycalendar", prebuilt, ref, min_ratio=1)
    add_peer_row(op, "numpy busday_offset, holidays= each call", per_call, ref, min_ratio=1)
    add_govkit_row(op_count, ref_count)
    add_peer_row(op_count, "numpy busday_count(a+1, b+1)", np_count, ref_count, min_ratio=None)


def bench_holidays(
    settings: Settings, rng: random.Random, data: HolidayData, cal: BusinessCalendar
) -> None:
    """Target 3 vs the holidays package (with its make-up days)."""
    op = f"add_working_days(d, {WORKING_DAYS_N}), with make-up days"
    library = "holidays get_nth_working_day"
    days = random_dates(rng, FIRST, date(2048, 6, 30), needed(settings))
    mine = Contender(cal.add_working_days, [(d, WORKING_DAYS_N) for d in days])
    table = data.package
    if table is None:
        (ref,) = time_interleaved([mine], settings)
        add_govkit_row(op, ref)
        add_peer_row(op, library, None, ref, min_ratio=100, strict=True)
        skipped("holidays get_nth_working_day")
        return
    sample = random_dates(rng, FIRST, date(2048, 6, 30), 300)
    sample_n = [rng.randint(1, 300) for _ in sample]
    check(
        "holidays China.get_nth_working_day(d, n) == govkit add_working_days(d, n), n in 1..300",
        (
            ((d, n), cal.add_working_days(d, n), table.get_nth_working_day(d, n))
            for d, n in zip(sample, sample_n, strict=True)
        ),
    )
    ref, theirs = time_interleaved(
        [mine, Contender(table.get_nth_working_day, mine.inputs, warmup=20)], settings
    )
    add_govkit_row(op, ref)
    add_peer_row(op, library, theirs, ref, min_ratio=100, strict=True)


def bench_workalendar(settings: Settings, rng: random.Random) -> None:
    """Target 3 vs workalendar's China, which knows 2018-2023 only."""
    op = f"add_working_days(d, {WORKING_DAYS_N}), China 2018-2023 (workalendar data)"
    library = "workalendar add_working_days"
    if workalendar_asia is None:
        ROWS.append(Row(op, library, None, target=ratio_target(100, strict=True)))
        skipped("workalendar China add_working_days")
        return
    wcal = workalendar_asia.China()
    closed: list[date] = []
    makeup: list[date] = []
    day = WORKALENDAR_FIRST
    while day <= WORKALENDAR_LAST:
        if wcal.is_working_day(day) != (day.weekday() < 5):
            (closed if day.weekday() < 5 else makeup).append(day)
        day += timedelta(days=1)
    cal = govkit_calendar(HOURS_SPLIT, closed, makeup, WORKALENDAR_FIRST, WORKALENDAR_LAST)
    days = random_dates(rng, WORKALENDAR_FIRST, date(2022, 6, 30), needed(settings))
    sample = random_dates(rng, WORKALENDAR_FIRST, date(2022, 6, 30), 100)
    sample_n = [rng.randint(1, 300) for _ in sample]
    check(
        "workalendar China.add_working_days(d, n) == govkit add_working_days(d, n), n in 1..300",
        (
            ((d, n), cal.add_working_days(d, n), wcal.add_working_days(d, n))
            for d, n in zip(sample, sample_n, strict=True)
        ),
    )
    inputs = [(d, WORKING_DAYS_N) for d in days]
    ref, theirs = time_interleaved(
        [
            Contender(cal.add_working_days, inputs),
            Contender(wcal.add_working_days, inputs, warmup=10),
        ],
        settings,
    )
    add_govkit_row(op, ref)
    add_peer_row(op, library, theirs, ref, min_ratio=100, strict=True)


def bench_build(settings: Settings, data: HolidayData) -> None:
    """Target 4: construct a 50-year calendar and make its first call (builds the index)."""

    def build() -> None:
        govkit_calendar(HOURS_SPLIT, data.holidays, data.workdays, FIRST, LAST)

    def construct_only() -> None:
        BusinessCalendar(
            timezone=TZ_NAME,
            hours=HOURS_SPLIT,
            holidays=data.holidays,
            workdays=data.workdays,
            valid_from=FIRST,
            valid_until=LAST,
        )

    def china() -> None:
        cal = BusinessCalendar.china()
        cal.is_working_day(cal.valid_from)

    reps = settings.build_reps
    build_settings = Settings(
        calls=reps, budget_s=600.0, min_calls=reps, warmup=1, build_reps=reps, rounds=reps
    )
    inputs: list[tuple[Any, ...]] = [()] * (reps + 1)
    full, lazy, cn = time_interleaved(
        [Contender(build, inputs), Contender(construct_only, inputs), Contender(china, inputs)],
        build_settings,
        disable_gc=False,
    )
    add_govkit_row("build 50-year calendar (construct + first call)", full, target_us=300_000)
    add_govkit_row("construct 50-year calendar only (index is lazy)", lazy, target="(info)")
    add_govkit_row("BusinessCalendar.china() + first call (2020-2026)", cn, target="(info)")


def _primitive_costs(
    rng: random.Random, cal: BusinessCalendar, count: int
) -> list[tuple[str, float]]:
    """Median cost of the steps the govkit calls are made of, on varied inputs.

    Uses the calendar's private index and helpers (``_idx``, ``_instant``,
    ``_datetime``): this section follows the current code and must change with it.
    """
    from bisect import bisect_right

    index = cal._idx()
    one_us = timedelta(microseconds=1)
    hour_us = 3_600_000_000
    moments = [(m,) for m in random_instants(rng, FIRST, date(2039, 12, 1), count)]
    instants = [(_epoch_us(m),) for (m,) in moments]
    early = [(_epoch_us(m),) for m in random_instants(rng, FIRST, date(2007, 12, 31), count)]
    micro = [(rng.randrange(0, 2**51),) for _ in range(count)]
    days = [(d,) for d in random_dates(rng, FIRST, LAST, count)]
    ends = index.ends
    steps: list[tuple[str, Callable[..., object], Sequence[tuple[Any, ...]]]] = [
        ("no-op call (harness floor)", lambda x: None, instants),
        (
            "(dt - EPOCH) // 1us: the conversion in _instant",
            lambda m: (m - EPOCH) // one_us,
            moments,
        ),
        (
            "cal._instant(dt, field): conversion + horizon check",
            lambda m: cal._instant(m, "s"),
            moments,
        ),
        ("index.position(us): _search + open time before the instant", index.position, instants),
        ("index._search(us): bisect_right within the instant's UTC day", index._search, instants),
        (
            f"bisect_right(ends, us) over all {len(ends):,} ends, for comparison",
            lambda u: bisect_right(ends, u),
            instants,
        ),
        ("index.advance(us, 8 h)", lambda u: index.advance(u, 8 * hour_us), early),
        ("index.advance(us, 80,000 h)", lambda u: index.advance(u, 80_000 * hour_us), early),
        ("one_us * n: the result of between", lambda u: one_us * u, micro),
        ("cal._datetime(us): float path", cal._datetime, instants),
        (
            "date.fromordinal(n): the result of add_working_days",
            date.fromordinal,
            [(d.toordinal(),) for (d,) in days],
        ),
    ]
    settings = Settings(
        calls=count, budget_s=5.0, min_calls=count, warmup=100, build_reps=1, rounds=50
    )
    stats = time_interleaved([Contender(fn, inputs) for _, fn, inputs in steps], settings)
    return [(label, st.median_us) for (label, _, _), st in zip(steps, stats, strict=True)]


def profile(settings: Settings, rng: random.Random, cal: BusinessCalendar) -> None:
    """cProfile of the govkit calls the targets are about, and the cost of their parts."""
    import cProfile

    n = settings.calls
    starts = random_instants(rng, FIRST, date(2039, 12, 1), n)
    days = random_dates(rng, FIRST, date(2048, 6, 30), n)
    bh8 = BusinessHours(8)
    span = timedelta(days=1)
    cases: list[tuple[str, Callable[[], object]]] = [
        ("add(start, BusinessHours(8))", lambda: [cal.add(s, bh8) for s in starts]),
        ("between(a, a + 1 day)", lambda: [cal.between(s, s + span) for s in starts]),
        (
            f"add_working_days(d, {WORKING_DAYS_N})",
            lambda: [cal.add_working_days(d, WORKING_DAYS_N) for d in days],
        ),
    ]
    print("cProfile (its own overhead inflates every entry; use it for proportions):")
    for label, run in cases:
        profiler = cProfile.Profile()
        profiler.runcall(run)
        print(f"== {n:,} x {label}")
        print_profile(profiler, n)
    print()
    print("Median cost of the steps (no profiler), varied inputs:")
    for label, median in _primitive_costs(rng, cal, min(n, 20_000)):
        print(f"  {median:8.2f} us  {label}")


# -- main -----------------------------------------------------------------------------


def describe_environment(data: HolidayData) -> None:
    print_environment(
        "govkit.calendar benchmark",
        ("govkit", "numpy", "pandas", "holidays", "workalendar", "exchange_calendars"),
    )
    weekday_holidays = [d for d in data.holidays if d.weekday() < 5]
    years = LAST.year - FIRST.year + 1
    print(
        f"calendar  {TZ_NAME}, Mon-Fri 09:00-12:00 + 13:00-18:00, {FIRST} .. {LAST}; "
        f"holidays from {data.source}: {len(data.holidays)} closed dates "
        f"({len(weekday_holidays)} on weekdays, {len(weekday_holidays) / years:.1f}/year), "
        f"{len(data.workdays)} make-up working days"
    )


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_arguments(
        __doc__,
        argv,
        quick="fewer repetitions (smoke run)",
        profile="also print a cProfile of the govkit operations",
    )
    settings = QUICK if args.quick else FULL
    # workalendar warns on every China lookup that its data needs yearly updates.
    warnings.filterwarnings("ignore", category=UserWarning, module=r"workalendar")

    load = wait_for_load(args.max_load)
    started = time.perf_counter()
    rng = random.Random(SEED)
    data = china_holiday_data()
    describe_environment(data)
    cal = govkit_calendar(HOURS_SPLIT, data.holidays, data.workdays, FIRST, LAST)
    floor = harness_floor(settings)
    print(
        f"mode      {'--quick' if args.quick else 'full'}: up to {settings.calls:,} timed "
        f"calls per row in {settings.rounds} interleaved rounds (a row stops after "
        f"~{settings.budget_s:g} s, at least {settings.min_calls} calls), "
        f"{settings.warmup} warm-up calls"
    )
    print(load)
    print(f"speed probe (fixed 100k-iteration Python loop) at start: {speed_probe()}")
    print(
        f"harness floor (timing a no-op call): median {floor.median_us:.3f} us, "
        f"p90 {floor.p90_us:.3f} us; included in every number below"
    )
    print()

    bench_add_hours(settings, rng, cal)
    bench_pandas(settings, rng, data)
    bench_xcals(settings, rng)
    bench_between(settings, rng, cal)
    bench_numpy(settings, rng, data)
    bench_holidays(settings, rng, data, cal)
    bench_workalendar(settings, rng)
    bench_build(settings, data)

    print_lines(
        "Agreement checks (peer answers vs govkit on a sample, where the semantics match):", CHECKS
    )
    print_rows(ROWS)
    print()
    print(
        "ratio vs govkit = peer median / govkit median on the same inputs "
        "(the govkit row just above)."
    )
    print_footer(ROWS, started)
    if args.profile:
        print()
        profile(settings, rng, cal)


if __name__ == "__main__":
    main()
