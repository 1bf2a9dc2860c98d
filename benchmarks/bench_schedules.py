"""Invoice run over 100,000 services with 3 schedule events each: services per second.

Run: /work/main/.venv/bin/python benchmarks/bench_schedules.py

1,000 contracts of 100 monthly services each; every contract has one schedule
of three events (an absolute date, 12 months after the service start, 45 days
after the contract start), so each service has its own event dates. Timed,
best of 3 (the catch-up: one run) (CPU time of this process, since the machine may be shared; the
wall-clock time is printed too):

* **spread**: the absolute events fall in different months for different
  contracts, so an invoice run for one month applies events to some services
  (the usual monthly run);
* **all due**: every service has an event due in the month (the worst case);
* **again**: the same month invoiced again, nothing to apply (a repeated run);
* ``apply_schedules`` alone on the worst case, without building invoice lines;
* **10 years of history**: the spread run again with every service carrying
  120 monthly price changes in its history (what ten years of monthly
  uplifts leave), and a preview of a month five years back (priced from
  that history);
* the practical limit: a bare ``Decimal`` loop over the same lines (price
  times quantity, rounded once), and the spread run's ratio to it;
* **a year's catch-up** (DESIGN 5.2): the same 100,000 services on calendar
  monthly periods billed in arrears, each ``billed_through`` 2025-12-31, run
  for 2027-01-01: exactly the twelve months of 2026 are due, one line each
  (the benchmark checks lines = 12 x services). Priced as the repository's
  ``run_invoicing_due`` prices them (``due_periods``, then ``invoice_run``
  per period for the services due together), without a store, and through
  ``run_invoicing_due`` itself on in-memory storage; reported in services/s
  and lines/s.

``--services N`` runs a smaller book (N rounded to whole contracts of 100).

Every invoice run keeps the history: each applied event is recorded on its
service.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import attrs

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from contractcore.contracts import Contract
from contractcore.money import Money
from contractcore.pricing import (
    BillingTerms,
    Period,
    PriceChange,
    ScheduleCause,
    Service,
    add_months,
)
from contractcore.repository import run_invoicing_due
from contractcore.repository._invoicing import _due_run as due_run
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
    due_periods,
    invoice_run,
)
from contractcore.testing import InMemoryUnitOfWork

CONTRACTS = 1_000  # the default; --services N gives N // SERVICES_PER_CONTRACT
SERVICES_PER_CONTRACT = 100
GOAL = 150_000
MARCH = Period(date(2026, 3, 1), date(2026, 3, 31))


def build(*, all_due: bool, count: int = CONTRACTS) -> list[Contract]:
    """The sample book of contracts; ``all_due`` puts an event in March for every service."""
    contracts = []
    for c in range(count):
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
YEARS = 10


def with_history(contracts: list[Contract]) -> list[Contract]:
    """The same book, every service with ``YEARS`` years of monthly price changes behind it."""
    cause = ScheduleCause(schedule=0, event=0, name="monthly")
    result = []
    for contract in contracts:
        services = []
        for service in contract.services:
            history = []
            price = service.unit_price
            for k in range(YEARS * 12):  # 2016-03-01 to 2026-02-01
                on = add_months(date(2026 - YEARS, 3, 1), k)
                history.append(PriceChange(on=on, before=price, after=price, cause=cause))
            services.append(
                attrs.evolve(
                    service,
                    start_date=min(service.start_date, history[0].on),
                    history=tuple(history),
                )
            )
        # The contract covers those ten years too (one 20-year term).
        result.append(
            attrs.evolve(
                contract,
                start_date=date(2026 - YEARS, 3, 1),
                term_months=2 * YEARS * 12,
                services=tuple(services),
            )
        )
    return result


def bare_decimal(contracts: list[Contract]) -> int:
    """The practical limit: one line per service, price times quantity rounded once."""
    count = 0
    cent = Decimal("0.01")
    for contract in contracts:
        lines = []
        for service in contract.services:
            price = service.unit_price.amount
            amount = (price * service.quantity).quantize(cent, ROUND_HALF_UP)
            lines.append((service.id, MARCH, price, service.quantity, amount))
        count += len(lines)
    return count


CATCH_UP_THROUGH = date(2025, 12, 31)
CATCH_UP_AS_OF = date(2027, 1, 1)  # in arrears, December 2026 is due on 2027-01-01
CATCH_UP_MONTHS = 12


def catch_up_book(contracts: list[Contract]) -> list[Contract]:
    """The book on calendar monthly periods in arrears, every service billed through 2025.

    Services start with their contract (in 2025), so all of 2026 is due.
    """
    terms = BillingTerms(mode="arrears", alignment="calendar", billing_period_months=1)
    return [
        attrs.evolve(
            contract,
            billing=terms,
            services=tuple(
                attrs.evolve(
                    s,
                    # Every service in place by 2025 (the book's contracts start in 2025).
                    start_date=contract.start_date,
                    applied_up_to=None,
                    billed_through=CATCH_UP_THROUGH,
                )
                for s in contract.services
            ),
        )
        for contract in contracts
    ]


def catch_up_pure(contracts: list[Contract]) -> tuple[int, int]:
    """Every due period of every service priced as ``run_invoicing_due`` does: services, lines."""
    services = lines = 0
    for contract in contracts:
        priced, _, _ = due_run(contract, set(), CATCH_UP_AS_OF)  # the repository's own pricing
        lines += len(priced)
        services += len(contract.services)
    return services, lines


def timed_catch_up(label: str, run: Callable[[], tuple[int, int]]) -> None:
    """Time a catch-up run (CPU time), check its line count, print both rates."""
    totals: list[tuple[int, int]] = []

    def counted() -> int:
        totals.append(run())
        return totals[-1][0]

    rate = timed(label, counted, repeat=1)  # 1.2 million lines: one run is long enough
    services, lines = totals[-1]
    assert lines == CATCH_UP_MONTHS * services, (services, lines)
    per_second = rate * lines / services
    print(f"  {lines:,} lines ({lines // services} per service) = {per_second:,.0f} lines/s")


def catch_up_repository(contracts: list[Contract]) -> Callable[[], tuple[int, int]]:
    """A fresh in-memory store holding the book for each timed ``run_invoicing_due``."""

    def run() -> tuple[int, int]:
        uow = InMemoryUnitOfWork()
        with uow:
            for contract in contracts:
                uow.contracts.add("bench", contract)
        # Only the run is timed, without cyclic garbage collection as for the others.
        gc.collect()
        gc.disable()
        try:
            began, began_cpu = time.perf_counter(), time.process_time()
            result = run_invoicing_due(uow, "bench", CATCH_UP_AS_OF)
            STORE_TIME.append((time.perf_counter() - began, time.process_time() - began_cpu))
        finally:
            gc.enable()
        assert not result.failures, result.failures[:3]
        return sum(len(c.services) for c in contracts), len(result.lines)

    return run


STORE_TIME: list[tuple[float, float]] = []


def catch_up(spread: list[Contract]) -> None:
    """The year's catch-up scenario, pure and through the repository."""
    book = catch_up_book(spread)
    first = due_periods(book[0], book[0].services[0], CATCH_UP_AS_OF)
    print(
        f"catch-up: calendar monthly in arrears, billed through {CATCH_UP_THROUGH}, "
        f"run for {CATCH_UP_AS_OF}: {first[0].period.first}..{first[-1].period.last}"
    )
    timed_catch_up("catch-up, pricing only (no store)", lambda: catch_up_pure(book))
    run = catch_up_repository(book)
    services, lines = run()
    assert lines == CATCH_UP_MONTHS * services, (services, lines)
    elapsed, cpu = min(STORE_TIME, key=lambda t: t[1])
    print(
        f"{'catch-up, run_invoicing_due (memory)':<40} {services:,} services, {cpu:.3f} s CPU "
        f"({elapsed:.3f} s wall) = {services / cpu:,.0f} services/s, {lines / cpu:,.0f} lines/s"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=CONTRACTS * SERVICES_PER_CONTRACT)
    parser.add_argument("--catch-up-only", action="store_true", help="only the catch-up run")
    args = parser.parse_args()
    count = max(1, args.services // SERVICES_PER_CONTRACT)
    if args.catch_up_only:
        catch_up(build(all_due=False, count=count))
        return 0
    print(
        f"Python {sys.version.split()[0]}; {count * SERVICES_PER_CONTRACT:,} services "
        f"with 3 schedule events each; invoice period {MARCH.first} to {MARCH.last}"
    )
    spread = build(all_due=False, count=count)
    all_due = build(all_due=True, count=count)
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
    limit = timed("bare Decimal loop (practical limit)", lambda: bare_decimal(spread))
    print(f"  spread run / bare Decimal loop: {headline / limit:.2f}")
    history = with_history(spread)
    print(
        f"  ({YEARS * 12} history entries per service, {len(history) * SERVICES_PER_CONTRACT:,} "
        "services)"
    )
    timed(f"invoice_run, spread, {YEARS} years of history", lambda: invoice_all(history))
    past = Period(date(2021, 3, 1), date(2021, 3, 31))

    def preview_past() -> int:
        count = 0
        for contract in history:
            count += len(invoice_run(contract, past).lines)
        return count

    timed(f"preview of {past.first:%Y-%m}, {YEARS} years of history", preview_past)
    print("  (a line per service, priced from the history)")
    catch_up(spread)
    verdict = "meets" if headline >= GOAL else "misses"
    print(f"goal >= {GOAL:,} services/s (spread run): {verdict} it")
    return 0


if __name__ == "__main__":
    sys.exit(main())
