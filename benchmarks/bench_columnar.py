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
* through DuckDB: the registered ``business_elapsed`` over all rows of a
  DuckDB table (``SET threads = 1``), summed in SQL so the result set is
  one row, and its answers on every row against the kernel's;
* through Polars: the ``elapsed`` expression over a DataFrame of all rows,
  and its answers on every row against the kernel's;
* a plain DuckDB range join (no contractcore): the calendar's open
  intervals in UTC as a table, each pair joined to the intervals it
  overlaps and the overlaps summed, checked on every row too;
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

import duckdb
import holidays
import numpy as np
import polars as pl
import pyarrow as pa

from contractcore import columnar
from contractcore.columnar import duckdb as business_sql
from contractcore.columnar import polars as business_polars
from contractcore.sla.calendar import BusinessCalendar

ZONE_NAME = "America/New_York"
HOLIDAYS = holidays.country_holidays("US", years=range(2025, 2028))
WORKDAY = [(time(9), time(17))]
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)
GOAL = 10_000_000
DUCKDB_GOAL = 3_000_000


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


def through_duckdb(
    cal: BusinessCalendar, table: pa.Table, kernel: np.ndarray[Any, Any], repeat: int
) -> tuple[float, float, int]:
    """rows/s of the UDF and of a plain range join over a DuckDB table, and the UDF's agreement."""
    connection = duckdb.connect()
    connection.execute("SET threads = 1")
    business_sql.register(connection, cal)
    connection.register("source", table)
    connection.execute("CREATE TABLE pairs AS SELECT * FROM source")
    total = "SELECT sum(epoch_us(business_elapsed(opened, solved))) FROM pairs"
    seconds, _ = best(lambda: connection.sql(total).fetchall(), repeat)
    answers = connection.sql(
        "SELECT epoch_us(business_elapsed(opened, solved)) AS us FROM pairs ORDER BY id"
    ).to_arrow_table()
    agree = int(np.sum(answers["us"].to_numpy() == kernel.view(np.int64)))
    # The open intervals of the calendar over the pairs' span, as a table (UTC).
    first = EPOCH + timedelta(microseconds=int(table["opened"].cast(pa.int64()).to_numpy().min()))
    last = EPOCH + timedelta(microseconds=int(table["solved"].cast(pa.int64()).to_numpy().max()))
    spans = cal.open_intervals(first, last + timedelta(days=1))
    connection.register(
        "spans_source",
        pa.table(
            {
                "open_at": pa.array([s for s, _ in spans], pa.timestamp("us", tz="UTC")),
                "close_at": pa.array([e for _, e in spans], pa.timestamp("us", tz="UTC")),
            }
        ),
    )
    connection.execute("CREATE TABLE spans AS SELECT * FROM spans_source")
    joined = """
        SELECT sum(epoch_us(least(solved, close_at) - greatest(opened, open_at)))
        FROM pairs JOIN spans ON open_at < solved AND close_at > opened
    """
    join_seconds, [(join_total,)] = best(lambda: connection.sql(joined).fetchall(), 1)
    if join_total != int(kernel.view(np.int64).sum()):
        print(f"range join total {join_total} differs from the kernel's")
    return len(table) / seconds, len(table) / join_seconds, agree


def through_polars(
    cal: BusinessCalendar, table: pa.Table, kernel: np.ndarray[Any, Any], repeat: int
) -> tuple[float, int]:
    """rows/s of the Polars expression over a DataFrame, and its agreement with the kernel."""
    frame = pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)
    expression = business_polars.elapsed(cal, "opened", "solved").alias("elapsed")
    seconds, result = best(lambda: frame.select(expression), repeat)
    answers = result["elapsed"].cast(pl.Int64).to_numpy()
    return len(table) / seconds, int(np.sum(answers == kernel.view(np.int64)))


# One straight run of measures, read top to bottom; splitting it would hide the order.
def main(argv: Sequence[str] | None = None) -> int:  # noqa: PLR0915
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
        f"python {platform.python_version()}, numpy {np.__version__}, pyarrow {pa.__version__}, "
        f"duckdb {duckdb.__version__}, polars {pl.__version__} "
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

    pairs = pa.table(
        {
            "id": pa.array(np.arange(args.rows)),
            "opened": arrow_starts.cast(pa.timestamp("us", tz=ZONE_NAME)),
            "solved": arrow_ends.cast(pa.timestamp("us", tz=ZONE_NAME)),
        }
    )
    duckdb_rate, join_rate, duckdb_agree = through_duckdb(cal, pairs, kernel, args.repeat)
    polars_rate, polars_agree = through_polars(cal, pairs, kernel, args.repeat)

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
    print(
        f"{'business_elapsed through DuckDB (1 thread)':<48}{args.rows:>10,}{duckdb_rate:>14,.0f}"
    )
    print(f"{'elapsed through Polars':<48}{args.rows:>10,}{polars_rate:>14,.0f}")
    print(f"{'DuckDB range join over open intervals':<48}{args.rows:>10,}{join_rate:>14,.0f}")
    print(f"{'BusinessCalendar.elapsed (scalar)':<48}{sample:>10,}{scalar_rate:>14,.0f}")
    print(f"kernel / scalar: {rate / scalar_rate:,.1f}x")
    print(
        f"through DuckDB / kernel: {duckdb_rate / rate:.2f}, "
        f"through Polars / kernel: {polars_rate / rate:.2f}, "
        f"kernel / range join: {rate / join_rate:,.1f}x"
    )
    print(
        f"agreement with the kernel on every row: DuckDB {duckdb_agree:,} of {args.rows:,}, "
        f"Polars {polars_agree:,} of {args.rows:,}"
    )
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
    duckdb_met = duckdb_rate >= DUCKDB_GOAL and duckdb_agree == args.rows
    print(
        f"goal through DuckDB (>= {DUCKDB_GOAL:,} rows/s, every row equal):",
        "met" if duckdb_met else "NOT met",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
