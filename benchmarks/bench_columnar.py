"""Business time over columns: contractcore.columnar against the scalar calendar, in one run.

Calendar: Monday-Friday 09:00-17:00 America/New_York with US federal holidays
2025-2027 (as in bench_calendar.py). Inputs: ``--rows`` seeded (start, end)
pairs, starts at whole minutes in 2026, ends up to 60 days later, as numpy
``datetime64[us]`` columns and as Arrow timestamp columns (UTC).

Measured, on one core, in this run:

* the kernel: ``columnar.elapsed`` on all rows, numpy and Arrow, first call
  (compiling the calendar) and the best of ``--repeat`` calls after it; also
  ``columnar.add`` (4 business hours) and ``columnar.is_open``;
* the scalar ``BusinessCalendar.elapsed`` on the first ``--sample`` pairs
  (as timezone-aware datetimes), and the kernel's speed-up over it;
* agreement: the kernel's answer against the scalar one on those pairs
  (elapsed and add), to the microsecond;
* peak memory: tracemalloc's peak during one ``elapsed`` call over all rows
  (the call's working memory, inputs excluded) and the process's peak RSS.

Run:  .venv/bin/python benchmarks/bench_columnar.py
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import resource
import sys
import time as clock
import tracemalloc
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, time, timedelta
from typing import Any

import holidays
import numpy as np
import pyarrow as pa

from contractcore import columnar
from contractcore.sla.calendar import BusinessCalendar

ZONE_NAME = "America/New_York"
HOLIDAYS = holidays.country_holidays("US", years=range(2025, 2028))
WORKDAY = [(time(9), time(17))]
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)
GOAL = 10_000_000


def inputs(count: int, seed: int) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    rng = np.random.default_rng(seed)
    base = np.datetime64("2026-01-01T05:00", "us")  # midnight in New York
    minute = np.timedelta64(60_000_000, "us")
    starts = base + rng.integers(0, 365 * 24 * 60, count) * minute
    ends = starts + rng.integers(0, 60 * 24 * 60, count) * minute
    return starts, ends


def best(function: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """The shortest of ``repeat`` timed calls, in seconds, and the last answer."""
    answer = None
    shortest = float("inf")
    gc.disable()
    for _ in range(repeat):
        began = clock.perf_counter()
        answer = function()
        shortest = min(shortest, clock.perf_counter() - began)
    gc.enable()
    return shortest, answer


def to_datetimes(values: np.ndarray[Any, Any]) -> list[datetime]:
    return [EPOCH + timedelta(microseconds=int(v)) for v in values.view(np.int64)]


def check_scalar(
    cal: BusinessCalendar,
    starts: np.ndarray[Any, Any],
    ends: np.ndarray[Any, Any],
    *,
    kernel: np.ndarray[Any, Any],
    deadlines: np.ndarray[Any, Any],
    sample: int,
) -> tuple[float, int, int]:
    """The scalar elapsed's rows/s on the first ``sample`` rows, and agreement counts."""
    sample_starts = to_datetimes(starts[:sample])
    sample_ends = to_datetimes(ends[:sample])
    elapsed = cal.elapsed
    elapsed(sample_starts[0], sample_ends[0])  # warm the caches of the year
    gc.disable()
    began = clock.perf_counter()
    scalar = [elapsed(s, e) for s, e in zip(sample_starts, sample_ends, strict=True)]
    scalar_seconds = clock.perf_counter() - began
    gc.enable()
    scalar_rate = sample / scalar_seconds
    agree = sum(
        int(ours) == theirs // MICROSECOND
        for ours, theirs in zip(kernel[:sample].view(np.int64), scalar, strict=True)
    )
    add_agree = sum(
        int(ours) == (cal.add(s, timedelta(hours=4)) - EPOCH) // MICROSECOND
        for ours, s in zip(deadlines[:sample].view(np.int64), sample_starts, strict=True)
    )
    return scalar_rate, agree, add_agree


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core

    cal = BusinessCalendar(
        ZONE_NAME, weekly_hours=dict.fromkeys(range(5), WORKDAY), holidays=HOLIDAYS
    )
    starts, ends = inputs(args.rows, args.seed)
    arrow_starts = pa.array(starts, pa.timestamp("us", tz="UTC"))
    arrow_ends = pa.array(ends, pa.timestamp("us", tz="UTC"))
    four_hours = np.full(args.rows, 4 * 3600 * 10**6, dtype="timedelta64[us]")
    print(
        f"python {platform.python_version()}, numpy {np.__version__}, pyarrow {pa.__version__} "
        f"on {platform.machine()}, {args.rows:,} rows, seed {args.seed}, one core"
    )

    began = clock.perf_counter()
    columnar.elapsed(cal, starts, ends)
    cold = clock.perf_counter() - began
    warm, kernel = best(lambda: columnar.elapsed(cal, starts, ends), args.repeat)
    arrow_warm, _ = best(lambda: columnar.elapsed(cal, arrow_starts, arrow_ends), args.repeat)
    add_warm, deadlines = best(lambda: columnar.add(cal, starts, four_hours), args.repeat)
    open_warm, _ = best(lambda: columnar.is_open(cal, starts), args.repeat)

    sample = min(args.sample, args.rows)
    scalar_rate, agree, add_agree = check_scalar(
        cal, starts, ends, kernel=kernel, deadlines=deadlines, sample=sample
    )

    gc.collect()
    tracemalloc.start()
    columnar.elapsed(cal, starts, ends)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux

    rate = args.rows / warm
    print(f"{'measure':<48}{'rows':>10}{'rows/s':>14}")
    print(
        f"{'columnar.elapsed numpy, first call (compiles)':<48}{args.rows:>10,}"
        f"{args.rows / cold:>14,.0f}"
    )
    print(f"{'columnar.elapsed numpy':<48}{args.rows:>10,}{rate:>14,.0f}")
    print(f"{'columnar.elapsed Arrow':<48}{args.rows:>10,}{args.rows / arrow_warm:>14,.0f}")
    print(
        f"{'columnar.add 4 business hours numpy':<48}{args.rows:>10,}{args.rows / add_warm:>14,.0f}"
    )
    print(f"{'columnar.is_open numpy':<48}{args.rows:>10,}{args.rows / open_warm:>14,.0f}")
    print(f"{'BusinessCalendar.elapsed (scalar)':<48}{sample:>10,}{scalar_rate:>14,.0f}")
    print(f"kernel / scalar: {rate / scalar_rate:,.1f}x")
    print(
        f"agreement with the scalar engine: elapsed {agree:,} of {sample:,}, "
        f"add {add_agree:,} of {sample:,}"
    )
    print(
        f"peak memory: {peak / 2**20:.1f} MiB traced in one elapsed call over "
        f"{args.rows:,} rows ({peak / 2**20 / (args.rows / 1e6):.1f} MiB per million rows); "
        f"process peak RSS {rss:.0f} MiB"
    )
    met = rate >= GOAL and agree == sample and add_agree == sample
    print(f"goal (>= {GOAL:,} rows/s, every sample row equal):", "met" if met else "NOT met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
