"""Benchmark the SLA engine: evaluate_many over generated ticket timelines.

Run from the repository root:

    .venv/bin/python benchmarks/bench_sla.py [--tickets N] [--seed S] [--local-times]
    .venv/bin/python benchmarks/bench_sla.py --calendar-per-ticket

Tickets are generated with a seeded random generator (same tickets every run):
about 8 events each (creation, customer and agent comments, status changes
through a pause status, manual pauses, resolutions and reopenings), on a
Monday-Friday 09:00-17:00 New York calendar with the US (NY) holidays.

Instants are UTC, as hosts usually store them (``--local-times``: New York
local times, which cost more to convert). Prints throughput (tickets
evaluated per second over pre-built timelines, one core) and peak traced
memory (tracemalloc) of evaluate_many over a lazy stream of N/10 and N
tickets, to show memory is flat in the number of tickets.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import time
import tracemalloc
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, tzinfo
from datetime import time as clock
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

import attrs
import holidays

from contractcore.sla import (
    CommentAdded,
    SlaPaused,
    SlaPolicy,
    SlaResumed,
    StatusChanged,
    TicketCreated,
    TicketEvent,
    evaluate_many,
)
from contractcore.sla.calendar import BusinessCalendar

NEW_YORK = ZoneInfo("America/New_York")
#: Hosts usually store instants in UTC; ``--local-times`` uses New York times instead.
NOW_UTC = datetime(2026, 11, 23, 17, 0, tzinfo=UTC)  # 12:00 in New York
WAITING = "Waiting on Customer"

CALENDAR = BusinessCalendar(
    "America/New_York",
    weekly_hours={day: [(clock(9), clock(17))] for day in range(5)},
    holidays=holidays.country_holidays("US", subdiv="NY"),
)
POLICY = SlaPolicy(
    name="Business hours",
    response_within=timedelta(hours=4),
    resolve_within=timedelta(hours=16),
    warn_before=timedelta(hours=1),
    calendar=CALENDAR,
    pause_statuses={WAITING},
    assign_to="tech-1",
    reassign_on_breach_to="lead-1",
)

Ticket = tuple[int, SlaPolicy, list[TicketEvent]]


def _timeline(rng: random.Random, now: datetime) -> list[TicketEvent]:
    at = now - timedelta(minutes=rng.randrange(60 * 24 * 45))
    events: list[TicketEvent] = [TicketCreated(at, status="Open")]

    def step(low: int, high: int) -> datetime:
        nonlocal at
        at += timedelta(minutes=rng.randrange(low, high))
        return at

    events.append(CommentAdded(step(1, 120), public=True, author="customer"))
    events.append(StatusChanged(step(1, 600), "In Progress"))
    events.append(CommentAdded(step(1, 600), public=True, author="agent"))
    if rng.random() < 0.5:
        events.append(StatusChanged(step(10, 900), WAITING))
        events.append(StatusChanged(step(10, 2400), "In Progress"))
    else:
        events.append(SlaPaused(step(10, 600)))
        events.append(SlaResumed(step(10, 1200)))
    events.append(StatusChanged(step(10, 2400), "Resolved"))
    if rng.random() < 0.3:
        events.append(StatusChanged(step(10, 2400), "Open"))
    else:
        events.append(StatusChanged(step(10, 2400), "Closed"))
    return events


def tickets(
    count: int, seed: int, now: datetime = NOW_UTC, *, calendar_per_ticket: bool = False
) -> Iterator[Ticket]:
    """``count`` generated tickets, lazily, the same for the same seed (times in ``now``'s zone).

    All share one policy object, unless ``calendar_per_ticket``: then each
    comes with a policy and calendar object of its own (equal to the
    others), as from a host that rebuilds each row's policy.
    """
    rng = random.Random(seed)
    for number in range(count):
        policy = POLICY
        if calendar_per_ticket:
            policy = attrs.evolve(POLICY, calendar=attrs.evolve(CALENDAR))
        yield number, policy, _timeline(rng, now)


def throughput(
    count: int, seed: int, now: datetime, *, calendar_per_ticket: bool = False
) -> tuple[float, float, int, list[float]]:
    """Wall and CPU seconds for evaluate_many over pre-built timelines; events; batch rates.

    CPU time (``time.process_time``) is what one core spent, whatever else
    the machine was doing; wall time is what a caller waited. The tickets
    are evaluated in ten batches, one ``evaluate_many`` call each, and each
    batch's rate (tickets per CPU second) is returned too: on a shared
    virtual machine they show how much the machine's speed varied.
    """
    built = list(tickets(count, seed, now, calendar_per_ticket=calendar_per_ticket))
    events = sum(len(events) for _number, _policy, events in built)
    size = max(1, count // 10)
    batches = [built[start : start + size] for start in range(0, count, size)]
    rates: list[float] = []
    gc.collect()
    gc.freeze()  # the pre-built timelines are not the engine's garbage to scan
    try:
        wall, cpu = time.perf_counter(), time.process_time()
        for batch in batches:
            started = time.process_time()
            for _ticket, _status in evaluate_many(batch, now):
                pass
            rates.append(len(batch) / (time.process_time() - started))
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    finally:
        gc.unfreeze()
    return wall, cpu, events, rates


def peak_memory(count: int, seed: int, now: datetime) -> int:
    """Peak traced bytes while streaming ``count`` lazily generated tickets."""
    gc.collect()
    tracemalloc.start()
    try:
        for _ticket, _status in evaluate_many(tickets(count, seed, now), now):
            pass
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--local-times",
        action="store_true",
        help="timeline and now in America/New_York instead of UTC",
    )
    parser.add_argument(
        "--calendar-per-ticket",
        action="store_true",
        help="a new (equal) policy and calendar object for every ticket; "
        "the default --tickets becomes 2,000",
    )
    args = parser.parse_args()
    count = args.tickets
    if args.calendar_per_ticket:
        if count == parser.get_default("tickets"):
            count = 2_000
        _per_ticket(count, args.seed)
        return
    zone: tzinfo = NEW_YORK if args.local_times else UTC
    now = NOW_UTC.astimezone(zone)

    list(evaluate_many(tickets(1_000, args.seed + 1, now), now))  # warm caches (zones, holidays)
    wall, cpu, events, rates = throughput(count, args.seed, now)
    print(
        f"evaluate_many: {count:,} tickets, {events / count:.1f} events each, "
        f"times in {'America/New_York' if args.local_times else 'UTC'}"
    )
    print(f"  throughput  {count / cpu:,.0f} tickets/s of CPU time ({cpu:.2f} s on one core)")
    print(f"              {count / wall:,.0f} tickets/s of wall time ({wall:.2f} s)")
    rates.sort()
    print(
        f"  batches     {len(rates)} of {count // len(rates):,}: slowest {rates[0]:,.0f}, "
        f"median {statistics.median(rates):,.0f}, fastest {rates[-1]:,.0f} tickets/s of CPU time"
    )
    small = max(1, count // 10)
    for size in (small, count):
        print(
            f"  peak memory {peak_memory(size, args.seed, now) / 1024:,.0f} KiB "
            f"(tracemalloc, streaming {size:,} tickets)"
        )


def _per_ticket(count: int, seed: int) -> None:
    """Throughput when every ticket brings its own policy and calendar objects."""
    _wall, cpu, _events, _rates = throughput(count, seed, NOW_UTC, calendar_per_ticket=True)
    print(f"evaluate_many: {count:,} tickets, a new policy and calendar object for each")
    print(
        f"  throughput  {count / cpu:,.0f} tickets/s of CPU time ({cpu:.2f} s on one core), "
        "the first use of each calendar included"
    )


if __name__ == "__main__":
    main()
