"""Business-calendar arithmetic: contractcore against businesstimedelta and pandas.

Calendar: Monday-Friday 09:00-17:00 America/New_York with US federal holidays
2025-2027. Workloads, on seeded inputs in 2026:

  A  add 4 business hours to each start instant
  B  add 240 business hours to each start instant
  C  business time between pairs of instants up to 60 days apart

contractcore runs every input; the peers, being much slower, run the first
``--peer-inputs`` of the same inputs (``--peer-inputs-long`` for B). Each
peer answer is checked against contractcore's, and each class of disagreement
is reported with an example. pandas' CustomBusinessHour has no "time
between", so it is absent from C.

Run:  .venv/bin/python benchmarks/bench_calendar.py
"""

from __future__ import annotations

import argparse
import gc
import platform
import random
import signal
import sys
import time as clock
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from types import FrameType
from typing import Any
from zoneinfo import ZoneInfo

import businesstimedelta
import holidays
import pandas as pd
import pytz

from contractcore.sla.calendar import BusinessCalendar

ZONE_NAME = "America/New_York"
ZONE = ZoneInfo(ZONE_NAME)
HOLIDAYS = holidays.country_holidays("US", years=range(2025, 2028))
WORKDAY = [(time(9), time(17))]


class TimedOutError(Exception):
    pass


def _alarm(_signum: int, _frame: FrameType | None) -> None:
    raise TimedOutError


def inputs(count: int, seed: int) -> tuple[list[datetime], list[datetime]]:
    rng = random.Random(seed)
    base = datetime(2026, 1, 1, tzinfo=ZONE)
    starts = [
        (base + timedelta(minutes=rng.randrange(365 * 24 * 60))).astimezone(ZONE)
        for _ in range(count)
    ]
    ends = [s + timedelta(minutes=rng.randrange(60 * 24 * 60)) for s in starts]
    return starts, [e.astimezone(ZONE) for e in ends]


def timed(
    function: Callable[[Any], Any], items: Sequence[Any], limit: float
) -> tuple[float, list[Any], int]:
    """ops/s over the items that finished, their answers (None when hung), hung count."""
    answers: list[Any] = []
    hung = 0
    spent = 0.0
    signal.signal(signal.SIGALRM, _alarm)
    gc.disable()
    for item in items:
        signal.setitimer(signal.ITIMER_REAL, limit)
        began = clock.perf_counter()
        try:
            answers.append(function(item))
            spent += clock.perf_counter() - began
        except TimedOutError:
            answers.append(None)
            hung += 1
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    gc.enable()
    done = len(items) - hung
    return (done / spent if spent else float("nan")), answers, hung


def run_ours_add(
    cal: BusinessCalendar, starts: Sequence[datetime], duration: timedelta
) -> tuple[float, list[Any]]:
    add = cal.add
    add(starts[0], duration)  # warm the caches of the year, as a running service would have
    gc.disable()  # as timeit does: time the work, not the collector's passes over the results
    began = clock.perf_counter()
    answers = [add(start, duration) for start in starts]
    rate = len(starts) / (clock.perf_counter() - began)
    gc.enable()
    return rate, answers


def run_ours_elapsed(
    cal: BusinessCalendar, pairs: Sequence[tuple[datetime, datetime]]
) -> tuple[float, list[Any]]:
    elapsed = cal.elapsed
    elapsed(*pairs[0])
    gc.disable()
    began = clock.perf_counter()
    answers = [elapsed(start, end) for start, end in pairs]
    rate = len(pairs) / (clock.perf_counter() - began)
    gc.enable()
    return rate, answers


def classify(cal: BusinessCalendar, start: datetime, ours: Any, theirs: Any) -> str:
    if isinstance(ours, datetime):
        if theirs.astimezone(ZONE).time() == time(9) and ours.astimezone(ZONE).time() == time(17):
            return "deadline at closing time moved to the next opening"
        if start.utcoffset() != ours.utcoffset():
            return "span crosses a daylight-saving change"
        if not cal.is_open(start):
            return "start outside business hours"
        return "other"
    if not cal.is_open(start):
        return "start outside business hours"
    return "other"


def compare(
    cal: BusinessCalendar,
    name: str,
    starts: Sequence[datetime],
    ours: Sequence[Any],
    theirs: Sequence[Any],
) -> list[str]:
    classes: dict[str, tuple[int, str]] = {}
    for start, mine, other in zip(starts, ours, theirs, strict=False):
        if other is None:
            continue
        same = mine == other if not isinstance(mine, datetime) else mine == other.astimezone(UTC)
        if not same:
            kind = classify(cal, start, mine, other)
            count, sample = classes.get(
                kind, (0, f"start {start.isoformat()}: contractcore {mine}, {name} {other}")
            )
            classes[kind] = (count + 1, sample)
    return [
        f"    {name}: {count} disagree ({kind}); e.g. {sample}"
        for kind, (count, sample) in classes.items()
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--inputs", type=int, default=100_000)
    parser.add_argument("--peer-inputs", type=int, default=2_000)
    parser.add_argument("--peer-inputs-long", type=int, default=300)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--timeout", type=float, default=2.0, help="seconds before a peer call counts as hung"
    )
    args = parser.parse_args(argv)

    cal = BusinessCalendar(
        ZONE_NAME, weekly_hours=dict.fromkeys(range(5), WORKDAY), holidays=HOLIDAYS
    )
    tz = pytz.timezone(ZONE_NAME)
    rules = businesstimedelta.Rules(
        [
            businesstimedelta.WorkDayRule(
                start_time=time(9), end_time=time(17), working_days=[0, 1, 2, 3, 4], tz=tz
            ),
            businesstimedelta.HolidayRule(HOLIDAYS, tz=tz),
        ]
    )
    holiday_list = sorted(d for d in HOLIDAYS if isinstance(d, date))

    starts, ends = inputs(args.inputs, args.seed)
    pairs = list(zip(starts, ends, strict=True))
    print(
        f"python {platform.python_version()} on {platform.machine()}, "
        f"{args.inputs:,} inputs, seed {args.seed}"
    )
    print(f"{'workload':<34}{'library':<20}{'inputs':>8}{'ops/s':>12}{'vs fastest peer':>17}")

    failures = []
    for label, hours_, peer_count in (
        ("A add 4 business hours", 4, args.peer_inputs),
        ("B add 240 business hours", 240, args.peer_inputs_long),
    ):
        duration = timedelta(hours=hours_)
        ours_rate, ours = run_ours_add(cal, starts, duration)
        subset = starts[:peer_count]
        btd_delta = businesstimedelta.BusinessTimeDelta(rules, hours=hours_)
        btd_rate, btd, btd_hung = timed(lambda s, d=btd_delta: s + d, subset, args.timeout)
        offset = pd.offsets.CustomBusinessHour(
            n=hours_, start="09:00", end="17:00", holidays=holiday_list
        )
        stamps = [pd.Timestamp(s) for s in subset]
        pd_rate, pd_answers, pd_hung = timed(
            lambda s, o=offset: (s + o).to_pydatetime(), stamps, args.timeout
        )
        fastest = max(btd_rate, pd_rate)
        print(
            f"{label:<34}{'contractcore':<20}{len(starts):>8}{ours_rate:>12,.0f}"
            f"{ours_rate / fastest:>16.1f}x"
        )
        print(
            f"{'':<34}{'businesstimedelta':<20}{len(subset):>8}{btd_rate:>12,.0f}{'':>17}"
            + (f"  ({btd_hung} hung > {args.timeout}s)" if btd_hung else "")
        )
        print(
            f"{'':<34}{'pandas CBH':<20}{len(subset):>8}{pd_rate:>12,.0f}{'':>17}"
            + (f"  ({pd_hung} hung)" if pd_hung else "")
        )
        for line in compare(cal, "businesstimedelta", subset, ours, btd) + compare(
            cal, "pandas", subset, ours, pd_answers
        ):
            print(line)
        failures += [label for rate in (ours_rate,) if rate < 150_000 or rate < 20 * fastest]

    ours_rate, ours_c = run_ours_elapsed(cal, pairs)
    subset_pairs = pairs[: args.peer_inputs]
    btd_rate, btd_c, btd_hung = timed(
        lambda p: rules.difference(*p).timedelta, subset_pairs, args.timeout
    )
    label = "C business time between"
    print(
        f"{label:<34}{'contractcore':<20}{len(pairs):>8}{ours_rate:>12,.0f}"
        f"{ours_rate / btd_rate:>16.1f}x"
    )
    print(
        f"{'':<34}{'businesstimedelta':<20}{len(subset_pairs):>8}{btd_rate:>12,.0f}{'':>17}"
        + (f"  ({btd_hung} hung)" if btd_hung else "")
    )
    print(f"{'':<34}{'pandas CBH':<20}{'-':>8}{'(none)':>12}")
    for line in compare(cal, "businesstimedelta", [p[0] for p in subset_pairs], ours_c, btd_c):
        print(line)
    if ours_rate < 150_000 or ours_rate < 20 * btd_rate:
        failures.append(label)
    print(
        "goals (>= 150,000 ops/s and >= 20x the fastest peer):",
        "met" if not failures else "NOT met for " + ", ".join(failures),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
