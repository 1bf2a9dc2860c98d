"""Several processes on one database: unique numbers, and a run killed halfway."""

from __future__ import annotations

import itertools
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from contractcore.contracts import Contract, ContractQuery
from contractcore.money import Money
from contractcore.pricing import BillingTerms, Period, Service
from contractcore.repository import InvoicedLine, Ticket, run_invoicing, run_invoicing_due
from contractcore.repository.sql import SqlUnitOfWork, create_schema, open_engine
from contractcore.sla import TicketCreated
from contractcore.testing import InMemoryUnitOfWork
from contractcore.testing.conformance import FEBRUARY, OPENED, OUTBOX_POLICY, fill, snapshot
from tests.repository.child import host_deliveries
from tests.repository.test_sql import POSTGRES_URL, needs_postgres, postgres_engine

ROOT = Path(__file__).resolve().parents[2]


def child(*args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}
    return subprocess.Popen(
        [sys.executable, "-m", "tests.repository.child", *args],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )


@pytest.fixture(
    params=["sqlite", pytest.param("postgres", marks=[pytest.mark.postgres, needs_postgres])]
)
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, sa.Engine]]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'store.db'}"
        engine = open_engine(url)
        create_schema(engine)
    else:
        assert POSTGRES_URL is not None
        url, engine = POSTGRES_URL, postgres_engine()
    yield url, engine
    engine.dispose()


def test_processes_allocating_at_once_get_unique_numbers_and_lose_none(
    database: tuple[str, sa.Engine],
) -> None:
    url, engine = database
    workers = [child("allocate", url, "acme", "10") for _ in range(3)]
    numbers = []
    for worker in workers:
        out, _ = worker.communicate(timeout=120)
        assert worker.returncode == 0
        numbers += out.split()
    assert sorted(numbers) == [f"42-{n:04d}" for n in range(1, 31)]
    with SqlUnitOfWork(engine) as uow:
        stored = uow.numbering.get("acme")
    assert (stored.value.next_sequence, stored.version) == (31, 0)  # no settings saved


def test_settings_edits_get_in_while_processes_allocate_and_no_number_is_issued_twice(
    database: tuple[str, sa.Engine],
) -> None:
    """Issue 12: on PostgreSQL an edit used to conflict with every allocation in between."""
    url, engine = database
    editor = child("edit", url, "acme", "20")
    assert editor.stdout is not None
    assert editor.stdout.readline().strip() == "ready"  # started before the allocators
    # 30 numbers 30 ms apart: the allocators are at work through the editor's 20 edits.
    workers = [child("allocate", url, "acme", "30", "0.03") for _ in range(8)]
    numbers = []
    for worker in workers:
        out, _ = worker.communicate(timeout=300)
        assert worker.returncode == 0
        numbers += out.split()
    out, _ = editor.communicate(timeout=300)
    assert editor.returncode == 0
    _, tried, succeeded, retried, overlapped = out.split()
    with SqlUnitOfWork(engine) as uow:
        stored = uow.numbering.get("acme")
    # Read from the right: the prefix and the padding changed along the way.
    sequences = sorted(int(number.rsplit("-", 1)[1]) for number in numbers)
    assert sequences == list(range(1, 241))
    assert len(set(numbers)) == 240
    assert (stored.value.next_sequence, stored.value.last_issued) == (241, 240)
    assert (tried, succeeded, retried) == ("20", "20", "0")
    assert int(overlapped) >= 1  # numbers were issued while an edit was being made
    assert (stored.version, stored.value.prefix) == (20, "F19")


@pytest.mark.parametrize("step", ["saved c-1", "commit"])
def test_a_run_killed_halfway_leaves_the_store_as_before_and_a_rerun_bills_once(
    database: tuple[str, sa.Engine], step: str
) -> None:
    url, engine = database

    def new_uow() -> SqlUnitOfWork:
        return SqlUnitOfWork(engine)

    fill(new_uow)
    before = snapshot(new_uow)
    worker = child("invoice", url, "acme", "2026-02-01", "2026-02-28", step)
    assert worker.stdout is not None
    assert worker.stdout.readline().strip() == "ready"
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=30)
    worker.stdout.close()
    assert worker.returncode == -signal.SIGKILL
    assert snapshot(new_uow) == before
    first = run_invoicing(new_uow(), "acme", FEBRUARY)
    again = run_invoicing(new_uow(), "acme", FEBRUARY)
    with new_uow() as uow:
        lines = uow.invoices.list("acme")
    assert [(i.contract_id, i.line.service_id) for i in lines] == [
        ("c-1", "c-1-s1"),
        ("c-1", "c-1-s2"),
    ]
    assert lines == first.lines
    assert again.lines == ()


def test_actions_acknowledged_with_the_hosts_delivery_record_are_delivered_exactly_once(
    database: tuple[str, sa.Engine],
) -> None:
    """DESIGN 6.1: two deliverers killed at random points; every action delivered once."""
    url, engine = database
    tenant, tickets = "acme", 40
    with SqlUnitOfWork(engine) as uow:
        uow.sla_policies.add(tenant, "outbox", OUTBOX_POLICY)
        for number in range(tickets):
            opened = OPENED + timedelta(minutes=number)
            uow.tickets.add(
                tenant,
                Ticket(
                    id=str(1000 + number), sla_policy_id="outbox", events=[TicketCreated(opened)]
                ),
            )
    now = OPENED + timedelta(hours=6)
    with SqlUnitOfWork(engine) as uow:
        expected = {action.id for action in uow.tickets.pending_actions(tenant, now)}
    with engine.begin() as connection:
        host_deliveries.drop(connection, checkfirst=True)
        host_deliveries.create(connection)
    rng = random.Random(14)
    kills = rounds = 0
    while True:
        rounds += 1
        workers = [child("deliver", url, tenant, now.isoformat(), "0.002") for _ in range(2)]
        for worker in workers:
            assert worker.stdout is not None
            assert worker.stdout.readline().strip() == "ready"
        if rounds <= 10:  # then let a round finish the work
            time.sleep(rng.uniform(0.0, 0.3))
            for worker in workers:
                worker.send_signal(signal.SIGKILL)
        for worker in workers:
            worker.communicate(timeout=120)
        kills += sum(worker.returncode == -signal.SIGKILL for worker in workers)
        if all(worker.returncode == 0 for worker in workers):
            break
    with engine.connect() as connection:
        delivered = Counter(
            row.action_id for row in connection.execute(sa.select(host_deliveries.c.action_id))
        )
    duplicates = sum(count - 1 for count in delivered.values())
    lost = len(expected - set(delivered))
    print(
        f"\noutbox under SIGKILL ({engine.dialect.name}): {len(expected)} actions, "
        f"{kills} kills, {duplicates} duplicates, {lost} lost"
    )
    assert len(expected) == tickets * 8  # 2 at creation, 3 per target
    assert kills >= 10  # most rounds were killed mid-way
    assert (duplicates, lost) == (0, 0)
    assert set(delivered) == expected
    with SqlUnitOfWork(engine) as uow:
        assert uow.tickets.pending_actions(tenant, now) == ()


# A year billed in advance on calendar months from mid-January: a stub, then months.
_DUE_DAYS = ("2026-03-01", "2026-05-01", "2026-07-01", "2026-09-01", "2026-11-01", "2026-12-01")


def _due_contracts() -> list[Contract]:
    contracts = []
    for number in range(40):
        services = tuple(
            Service(
                id=f"s-{kind}",
                product_id=kind,
                unit_price=Money(price, "USD"),
                quantity=number % 3 + 1,
                start_date=date(2026, 1, 15 + n),
            )
            for n, (kind, price) in enumerate((("seat", "31.00"), ("backup", "12.40")))
        )
        contracts.append(
            Contract(
                id=f"c-{number:02d}",
                number=f"CT-{number}",
                customer_id="42",
                name="Office",
                status="active",
                start_date=date(2026, 1, 15),
                term_months=12,
                services=services,
                billing=BillingTerms(mode="advance", alignment="calendar"),
            )
        )
    return contracts


def _billed(lines: Iterable[InvoicedLine]) -> list[tuple[str, str, date, date, str]]:
    return sorted(
        (
            i.contract_id,
            i.line.service_id,
            i.line.period.first,
            i.line.period.last,
            str(i.line.amount),
        )
        for i in lines
    )


def _check_consistent(engine: sa.Engine) -> int:
    """Each service's lines are its periods from the first, up to its billed_through.

    Returns the number of lines stored.
    """
    with SqlUnitOfWork(engine) as uow:
        lines = uow.invoices.list("acme")
        contracts = [stored.value for stored in uow.contracts.find("acme", ContractQuery())]
    by_service: dict[tuple[str, str], list[Period]] = {}
    for item in lines:
        by_service.setdefault((item.contract_id, item.line.service_id), []).append(item.line.period)
    for contract in contracts:
        for service in contract.services:
            periods = sorted(by_service.get((contract.id, service.id), []), key=lambda p: p.first)
            assert len(periods) == len(set(periods))
            if not periods:
                assert service.billed_through is None
                continue
            assert periods[0].first == date(2026, 1, 1)
            for before, after in itertools.pairwise(periods):
                assert after.first == before.last + timedelta(days=1)
            assert service.billed_through == periods[-1].last
    return len(lines)


def test_due_runs_killed_at_random_points_write_every_due_line_exactly_once(
    database: tuple[str, sa.Engine],
) -> None:
    url, engine = database
    with SqlUnitOfWork(engine) as uow:
        for contract in _due_contracts():
            uow.contracts.add("acme", contract)
    reference = InMemoryUnitOfWork()
    with reference:
        for contract in _due_contracts():
            reference.contracts.add("acme", contract)
    expected = run_invoicing_due(reference, "acme", date(2026, 12, 1)).lines
    assert len(expected) == 40 * 2 * 12  # the January stub and eleven months each
    chance = random.Random(13)
    kills = 0
    partial = set()  # the line counts seen after kills that left the year half done
    started = time.monotonic()
    while time.monotonic() - started < 20:
        worker = child("due", url, "acme", *_DUE_DAYS)
        assert worker.stdout is not None
        assert worker.stdout.readline().strip() == "ready"
        # Past a random number of committed runs, then a random moment into the next.
        for _ in range(chance.randrange(len(_DUE_DAYS))):
            worker.stdout.readline()
        time.sleep(chance.uniform(0.0, 0.3))
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
        worker.stdout.close()
        kills += worker.returncode == -signal.SIGKILL
        stored = _check_consistent(engine)
        if 0 < stored < len(expected):
            partial.add(stored)
    assert kills >= 3
    assert partial  # killed after some runs had committed and before the last
    run_invoicing_due(SqlUnitOfWork(engine), "acme", date(2026, 12, 1))
    again = run_invoicing_due(SqlUnitOfWork(engine), "acme", date(2026, 12, 1))
    assert again.lines == ()
    _check_consistent(engine)
    with SqlUnitOfWork(engine) as uow:
        assert _billed(uow.invoices.list("acme")) == _billed(expected)
