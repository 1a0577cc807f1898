"""Helpers shared by the benchmark scripts: timing, statistics, tables, machine checks.

Not part of govkit. The ``bench_*.py`` scripts import it from their own folder
(Python puts a script's folder first on ``sys.path``; they also insert it, so
that ``python -m`` and ``runpy`` work too).

Conventions (docs/performance.md describes them for readers):

* every call is timed on its own with ``time.perf_counter_ns``, after a warm-up;
* the contenders of one comparison take turns in rounds (A B C A B C ...), so
  that drift in the machine's speed hits them alike;
* the garbage collector is off while single calls are timed (as ``timeit``
  does), unless the caller asks otherwise;
* medians and 90th percentiles are per call, in microseconds, and include the
  harness itself (:func:`harness_floor` measures it);
* a peer library that cannot be imported is reported as "not installed"; the
  scripts measure and print, they never assert.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import importlib.metadata
import math
import os
import platform
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

NOT_INSTALLED = "not installed"


# -- optional peers -------------------------------------------------------------------


def optional_import(name: str) -> Any:
    """The module, or ``None`` when it cannot be imported."""
    try:
        return importlib.import_module(name)
    except Exception:  # an import can fail in many ways; any of them means "absent"
        return None


def dist_version(dist: str) -> str:
    """The installed version of a distribution, or "not installed"."""
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return NOT_INSTALLED


def print_environment(title: str, dists: Sequence[str]) -> None:
    """The title, then the python, platform and versions lines every script prints."""
    print(title)
    print(f"python    {sys.version.split()[0]} ({platform.python_implementation()})")
    print(f"platform  {platform.platform()}; {platform.processor() or platform.machine()}")
    print(f"versions  {', '.join(f'{dist} {dist_version(dist)}' for dist in dists)}")


# -- timing -------------------------------------------------------------------------------


@dataclass(kw_only=True)
class Timing:
    """How a group of single-call rows is timed; scripts subclass it with their own fields.

    Attributes:
        calls: Timed calls per row (fewer when the time budget runs out).
        warmup: Untimed calls per row before timing.
        rounds: The rows compared take turns this many times.
        budget_s: Time budget per row; a row ends a round early once its share
            is spent (slow peers). ``math.inf``: no budget.
        min_calls: Timed calls per row even when the budget is exceeded.
    """

    calls: int
    warmup: int
    rounds: int
    budget_s: float = math.inf
    min_calls: int = 1


@dataclass
class Stats:
    median_us: float
    p90_us: float
    calls: int  # calls timed
    planned: int  # calls there were inputs for; fewer were timed when the budget ran out


def stats_of(samples_ns: Iterable[int], planned: int | None = None) -> Stats:
    """Median and 90th percentile, in microseconds, of per-call times in nanoseconds."""
    samples = sorted(samples_ns)
    n = len(samples)
    median = samples[n // 2] if n % 2 else (samples[n // 2 - 1] + samples[n // 2]) / 2
    p90 = samples[min(n - 1, int(0.9 * n))]
    return Stats(median / 1000, p90 / 1000, n, n if planned is None else planned)


@dataclass
class Contender:
    """One function to time and the argument tuples to call it with, one tuple per call.

    ``kwargs`` go with every call. (For keyword arguments that vary from call
    to call, time a small wrapper and a "harness floor" row of the same wrapper
    around a no-op: unpacking a dict per call costs more than the wrapper.)
    """

    fn: Callable[..., object]
    inputs: Sequence[tuple[Any, ...]]
    kwargs: dict[str, Any] = field(default_factory=dict)
    warmup: int | None = None  # None: the settings' warmup


def needed(settings: Timing) -> int:
    """How many inputs a row needs: warm-up plus timed calls."""
    return settings.warmup + settings.calls


def time_interleaved(
    contenders: Sequence[Contender], settings: Timing, *, disable_gc: bool = True
) -> list[Stats]:
    """Time every call of every contender on its own, the contenders taking turns.

    After a warm-up (the first ``warmup`` inputs of each contender), each
    contender's remaining inputs are split into ``settings.rounds`` chunks run
    in turn (A B C A B C ...), so a machine that speeds up or slows down during
    the run affects all contenders alike. With a finite ``budget_s``, a
    contender ends a round early once its share of the budget is spent (but
    not before ``min_calls`` calls over all rounds), and its warm-up stops
    after a fifth of the budget.
    """
    pc = time.perf_counter_ns
    bounded = math.isfinite(settings.budget_s)

    def warmup_of(c: Contender) -> int:
        return settings.warmup if c.warmup is None else c.warmup

    for c in contenders:
        warm_deadline = pc() + int(settings.budget_s * 0.2e9) if bounded else 0
        for args in c.inputs[: warmup_of(c)]:
            c.fn(*args, **c.kwargs)
            if bounded and pc() > warm_deadline:
                break
    samples: list[list[int]] = [[] for _ in contenders]
    rounds = settings.rounds
    round_budget = int(settings.budget_s * 1e9 / rounds) if bounded else 0
    round_min = -(-settings.min_calls // rounds)
    if disable_gc:
        gc.collect()
        gc.disable()
    try:
        for r in range(rounds):
            for c, out in zip(contenders, samples, strict=True):
                timed = c.inputs[warmup_of(c) :]
                chunk = max(1, len(timed) // rounds)
                fn, kw = c.fn, c.kwargs
                deadline = pc() + round_budget if bounded else 0
                for got, args in enumerate(timed[r * chunk : (r + 1) * chunk], start=1):
                    t0 = pc()
                    fn(*args, **kw)
                    t1 = pc()
                    out.append(t1 - t0)
                    if bounded and t1 > deadline and got >= round_min:
                        break
    finally:
        gc.enable()
    planned = []
    for c in contenders:
        n_timed = len(c.inputs) - warmup_of(c)
        planned.append(min(n_timed, rounds * max(1, n_timed // rounds)))
    return [stats_of(s, p) for s, p in zip(samples, planned, strict=True)]


def timed_pass(
    fn: Callable[..., object], inputs: Iterable[tuple[Any, ...]]
) -> tuple[list[int], int]:
    """Call ``fn`` on every input, timing each call; also return the pass's wall time (ns)."""
    pc = time.perf_counter_ns
    out: list[int] = []
    append = out.append
    start = pc()
    for args in inputs:
        t0 = pc()
        fn(*args)
        append(pc() - t0)
    return out, pc() - start


def harness_floor(settings: Timing) -> Stats:
    """The cost of timing a no-op call with two arguments: included in every median."""

    def noop(a: object, b: object) -> None:
        return None

    (floor,) = time_interleaved([Contender(noop, [(1, 2)] * needed(settings))], settings)
    return floor


# -- the machine ----------------------------------------------------------------------------


def speed_probe(repeats: int = 20) -> str:
    """Time a fixed pure-Python loop a few times: a wide spread means the machine's speed varies."""
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter_ns()
        total = 0
        for i in range(100_000):
            total += i
        times.append((time.perf_counter_ns() - t0) / 1e6)
    times.sort()
    return f"min {times[0]:.2f} ms, median {times[len(times) // 2]:.2f} ms, max {times[-1]:.2f} ms"


def load_average() -> str:
    """The 1-, 5- and 15-minute load averages, as ``uptime`` shows them."""
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:  # not available on this platform
        return "unknown"
    return f"{one:.2f}, {five:.2f}, {fifteen:.2f}"


def add_load_argument(parser: argparse.ArgumentParser) -> None:
    """``--max-load L``: wait until the 1-minute load average is below ``L`` before timing."""
    parser.add_argument(
        "--max-load",
        type=float,
        default=None,
        metavar="L",
        help="before timing, wait (up to 15 min, polling every 45 s) until the 1-minute "
        "load average is below L",
    )


def wait_for_load(max_load: float | None, *, poll_s: float = 45, give_up_s: float = 900) -> str:
    """Wait until the 1-minute load average is below ``max_load``; say what happened."""
    if max_load is None:
        return f"load average at start: {load_average()}"
    waited = 0.0
    while True:
        try:
            one = os.getloadavg()[0]
        except OSError:
            return "load average unknown on this platform; not waited"
        said = f"load average at start: {load_average()}"
        if one < max_load:
            return f"{said} (waited {waited:.0f} s for < {max_load:g})"
        if waited >= give_up_s:
            return f"{said} (still >= {max_load:g} after {waited:.0f} s)"
        time.sleep(poll_s)
        waited += poll_s


# -- agreement checks -------------------------------------------------------------------------


class Checks:
    """Lines saying how many (input, govkit answer, other answer) triples agree."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def __iter__(self) -> Iterator[str]:
        return iter(self.lines)

    def compare(
        self,
        name: str,
        triples: Iterable[tuple[object, object, object]],
        other: str = "peer",
        mine: str = "govkit",
    ) -> bool:
        """Record an AGREE or DISAGREE line (with the first mismatch); True when all agree.

        ``mine`` and ``other`` label the two answers of the first mismatch.
        """
        total = agree = 0
        first_bad: tuple[object, object, object] | None = None
        for case, ours, theirs in triples:
            total += 1
            if ours == theirs:
                agree += 1
            elif first_bad is None:
                first_bad = (case, ours, theirs)
        verdict = "AGREE" if agree == total else "DISAGREE"
        line = f"{verdict:8} {agree}/{total}  {name}"
        if first_bad is not None:
            line += f"\n         first mismatch: input={first_bad[0]!r} {mine}={first_bad[1]!r}"
            line += f" {other}={first_bad[2]!r}"
        self.lines.append(line)
        return agree == total

    def skipped(self, name: str) -> None:
        self.lines.append(f"{'SKIPPED':8} {name}: {NOT_INSTALLED}")


# -- result tables ------------------------------------------------------------------------------


@dataclass
class Row:
    operation: str
    library: str
    stats: Stats | None  # None: not installed / failed
    total: str = ""
    ratio: str = ""
    target: str = ""
    met: str = ""
    note: str = ""


def yes_no(ok: bool) -> str:
    return "yes" if ok else "NO"


def ratio_target(min_ratio: float, strict: bool = False) -> str:
    return f"govkit {'>' if strict else '>='} {min_ratio:g}x faster"


def govkit_row(
    operation: str, stats: Stats, *, target_us: float | None = None, target: str = ""
) -> Row:
    """A govkit row, the reference for the peer rows below it; met when the median is in target."""
    row = Row(operation, "govkit", stats, ratio="ref")
    if target_us is not None:
        row.target = f"median <= {target_us:,g} us"
        row.met = yes_no(stats.median_us <= target_us)
    else:
        row.target = target or "(reference)"
    return row


def show_ratio(ratio: float) -> str:
    return f"{ratio:,.2f}x" if ratio < 10 else f"{ratio:,.1f}x"


def peer_row(
    operation: str,
    library: str,
    stats: Stats | None,
    reference: Stats,
    *,
    min_ratio: float | None,
    strict: bool = False,
    note: str = "",
) -> Row:
    """A peer row; ``ratio`` is peer median / govkit median (how many times govkit is faster)."""
    target = "(info)" if min_ratio is None else ratio_target(min_ratio, strict)
    if stats is None:
        return Row(operation, library, None, target=target, note=note or NOT_INSTALLED)
    ratio = stats.median_us / reference.median_us
    row = Row(operation, library, stats, ratio=show_ratio(ratio), target=target, note=note)
    if min_ratio is not None:
        row.met = yes_no(ratio > min_ratio if strict else ratio >= min_ratio)
    return row


def print_table(header: Sequence[str], lines: Sequence[Sequence[str]], right: set[int]) -> None:
    """A plain-text table; the columns in ``right`` are right-aligned."""
    widths = [max(len(h), *(len(line[i]) for line in lines)) for i, h in enumerate(header)]

    def fmt(cells: Sequence[str]) -> str:
        out = []
        for i, cell in enumerate(cells):
            out.append(cell.rjust(widths[i]) if i in right else cell.ljust(widths[i]))
        return " | ".join(out).rstrip()

    print(fmt(header))
    print("-+-".join("-" * w for w in widths))
    for line in lines:
        print(fmt(line))


def print_rows(
    rows: Iterable[Row], *, ratio_header: str = "ratio vs govkit", total: bool = False
) -> None:
    """The result table: median, p90, (total,) ratio, target and met? per row."""
    header = ["operation", "library", "median us", "p90 us"]
    header += ["total"] if total else []
    header += [ratio_header, "target", "met?"]
    lines = []
    for row in rows:
        if row.stats is None:
            shown = [row.note or NOT_INSTALLED, ""]
        else:
            shown = [f"{row.stats.median_us:,.2f}", f"{row.stats.p90_us:,.2f}"]
        shown += [row.total] if total else []
        lines.append([row.operation, row.library, *shown, row.ratio, row.target, row.met])
    print_table(header, lines, set(range(2, 6 if total else 5)))


# -- profiles ---------------------------------------------------------------------------------


def print_profile(profiler: Any, calls: int, top: int = 10) -> None:
    """Print the costliest functions of a cProfile run, per outer call, in microseconds."""
    import pstats

    entries = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    rows = sorted(entries.items(), key=lambda item: item[1][2], reverse=True)[:top]
    print(f"  {'own us/call':>11} {'cum us/call':>11} {'calls/call':>10}  function")
    for (path, line, name), (_, ncalls, tottime, cumtime, _) in rows:
        where = f"{path.rsplit('/src/', 1)[-1]}:{line}({name})" if line else name
        print(
            f"  {tottime / calls * 1e6:11.2f} {cumtime / calls * 1e6:11.2f} "
            f"{ncalls / calls:10.1f}  {where}"
        )


def print_footer(rows: Sequence[Any], started: float) -> None:
    """The closing lines every benchmark prints: rows cut short, speed probe, wall time."""
    short = [(r, r.stats) for r in rows if r.stats and r.stats.calls < r.stats.planned]
    if short:
        print("rows the time budget cut short (calls timed / inputs prepared):")
        for row, stats in short:
            print(f"  {stats.calls:,} / {stats.planned:,}  {row.library}: {row.operation}")
    print(f"speed probe at end: {speed_probe()}")
    print(f"total wall time: {time.perf_counter() - started:.1f} s")


def parse_arguments(
    doc: str, argv: Sequence[str] | None, *, quick: str, profile: str
) -> argparse.Namespace:
    """The options every benchmark takes: --quick, --profile and --max-load."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=quick)
    parser.add_argument("--profile", action="store_true", help=profile)
    add_load_argument(parser)
    return parser.parse_args(argv)


def print_lines(title: str, lines: Iterable[object]) -> None:
    """A title and its lines, indented, then a blank line."""
    print(title)
    for line in lines:
        print(f"  {line}")
    print()
