"""Invoice run over 100,000 services with 3 schedule events each: services per second.

Run: /work/main/.venv/bin/python benchmarks/bench_schedules.py

1,000 contracts of 100 monthly services each; every contract has one schedule
of three events (an absolute date, 12 months after the service start, 45 days
after the contract start), so each service has its own event dates. Timed,
best of 3 (CPU time of this process, since the machine may be shared; the
wall-clock time is printed too):

* **spread**: the absolute events fall in different months for different
  contracts, so an invoice run for one month applies events to some services
  (the usual monthly run);
* **all due**: every service has an event due in the month (the worst case);
* **again**: the same month invoiced again, nothing to apply (a repeated run);
* ``apply_schedules`` alone on the worst case, without building invoice lines.
"""

from __future__ import annotations

import gc
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import attrs

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from contractcore.contracts import Contract
from contractcore.money import Money
from contractcore.pricing import Period, Service
from contractcore.schedules import (
    CONTRACT_START,
    PRICE,
    QUANTITY,
    After,
    Delta,
    On,
    Percent,
    Schedule,
    UpdateEvent,
    apply_schedules,
    invoice_run,
)

CONTRACTS = 1_000
SERVICES_PER_CONTRACT = 100
GOAL = 100_000
MARCH = Period(date(2026, 3, 1), date(2026, 3, 31))


def build(*, all_due: bool) -> list[Contract]:
    """The sample book of contracts; ``all_due`` puts an event in March for every service."""
    contracts = []
    for c in range(CONTRACTS):
        start = date(2025, 1, 1) + timedelta(days=c % 365)
        month = 3 if all_due else 1 + c % 12
        schedule = Schedule(
            events=[
                UpdateEvent(On(date(2026, month, 1 + c % 28)), PRICE, Percent(3)),
                UpdateEvent(After(months=12), PRICE, Delta(Money("5.00", "USD"))),
                UpdateEvent(After(days=45, from_=CONTRACT_START), QUANTITY, Delta(1)),
            ]
        )
        services = tuple(
            Service(
                id=f"c{c}-s{s}",
                product_id=f"p{s % 20}",
                unit_price=Money(f"{10 + s}.99", "USD"),
                quantity=1 + s % 5,
                start_date=start + timedelta(days=s),
                applied_up_to=date(2026, 2, 28),
            )
            for s in range(SERVICES_PER_CONTRACT)
        )
        contracts.append(
            Contract(
                id=f"c{c}",
                number=f"CT-{c}",
                customer_id=f"cust-{c}",
                name="bench",
                status="active",
                start_date=start,
                term_months=24,
                services=services,
                schedules=(schedule,),
            )
        )
    return contracts


def timed(label: str, run: Callable[[], int], repeat: int = 3) -> float:
    """Print and return the best rate of ``repeat`` runs, in services per CPU second."""
    best: tuple[float, float] | None = None
    count = 0
    for _ in range(repeat):
        # As timeit does: no cyclic garbage collection while timing.
        gc.collect()
        gc.disable()
        try:
            began, began_cpu = time.perf_counter(), time.process_time()
            count = run()
            elapsed = time.perf_counter() - began
            cpu = time.process_time() - began_cpu
        finally:
            gc.enable()
        if best is None or cpu < best[1]:
            best = (elapsed, cpu)
    assert best is not None
    elapsed, cpu = best
    rate = count / cpu
    print(
        f"{label:<40} {count:,} services, {cpu:.3f} s CPU ({elapsed:.3f} s wall) "
        f"= {rate:,.0f} services/s"
    )
    return rate


def invoice_all(contracts: list[Contract], keep: list[list[Service]] | None = None) -> int:
    """Invoice March for every contract; return the number of services and count events."""
    count = applied = 0
    for contract in contracts:
        result = invoice_run(contract, MARCH)
        count += len(result.services)
        applied += sum(len(line.changes) for line in result.lines)
        if keep is not None:
            keep.append(list(result.services))
    APPLIED[id(contracts)] = applied
    return count


APPLIED: dict[int, int] = {}


def main() -> int:
    print(
        f"Python {sys.version.split()[0]}; {CONTRACTS * SERVICES_PER_CONTRACT:,} services "
        f"with 3 schedule events each; invoice period {MARCH.first} to {MARCH.last}"
    )
    spread = build(all_due=False)
    all_due = build(all_due=True)
    stored: list[list[Service]] = []
    invoice_all(all_due, stored)
    invoiced = [
        attrs.evolve(contract, services=tuple(services))
        for contract, services in zip(all_due, stored, strict=True)
    ]

    def apply_only() -> int:
        count = 0
        for contract in all_due:
            for service in contract.services:
                apply_schedules(contract, service, MARCH)
                count += 1
        return count

    headline = timed("invoice_run, spread", lambda: invoice_all(spread))
    print(f"  (events applied: {APPLIED[id(spread)]:,})")
    timed("invoice_run, all due", lambda: invoice_all(all_due))
    print(f"  (events applied: {APPLIED[id(all_due)]:,})")
    timed("invoice_run, again (nothing due)", lambda: invoice_all(invoiced))
    print(f"  (events applied: {APPLIED[id(invoiced)]:,})")
    timed("apply_schedules alone, all due", apply_only)
    verdict = "meets" if headline >= GOAL else "misses"
    print(f"goal >= {GOAL:,} services/s (spread run): {verdict} it")
    return 0


if __name__ == "__main__":
    sys.exit(main())
