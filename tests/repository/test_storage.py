"""Storage that never surprises (DESIGN 6): readers never wait, limits, errors as our own."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from contractcore.errors import ConcurrencyError, InvalidArgumentError
from contractcore.pricing import Period
from contractcore.repository import run_invoicing
from contractcore.repository.sql import SqlUnitOfWork, create_schema, open_engine
from contractcore.testing.samples import a_contract, a_ticket
from tests.repository.test_sql import needs_postgres, postgres_engine

MARCH = Period(date(2026, 3, 1), date(2026, 3, 31))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=[needs_postgres])])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[sa.Engine]:
    if request.param == "sqlite":
        engine = open_engine(f"sqlite:///{tmp_path / 'store.db'}")
        create_schema(engine)
    else:
        engine = postgres_engine()
    yield engine
    engine.dispose()


def test_a_reader_never_waits_for_an_open_writer_on_sqlite(tmp_path: Path) -> None:
    """Issue 14: a read-only get waited 1.5-2.0 s behind an open writer."""
    engine = open_engine(f"sqlite:///{tmp_path / 'store.db'}")
    create_schema(engine)
    with SqlUnitOfWork(engine) as uow:
        uow.tickets.add("acme", a_ticket())
    with SqlUnitOfWork(engine) as writer:
        writer.tickets.add("acme", a_ticket("1042"))  # holds the write lock, not committed
        began = time.perf_counter()
        with SqlUnitOfWork(engine, read_only=True) as reader:
            found = [t.key for t in reader.tickets.list("acme")]
        waited = time.perf_counter() - began
    assert found == ["1041"]  # the writer's ticket is not committed yet
    assert waited < 0.05, f"the reader waited {waited:.3f} s"
    engine.dispose()


def test_a_read_only_unit_of_work_refuses_writes(engine: sa.Engine) -> None:
    with pytest.raises(InvalidArgumentError, match="read-only"):  # noqa: SIM117
        with SqlUnitOfWork(engine, read_only=True) as uow:
            uow.tickets.add("acme", a_ticket())
    with SqlUnitOfWork(engine, read_only=True) as uow:
        assert uow.tickets.list("acme") == ()
    with SqlUnitOfWork(engine) as uow:  # the connection is writable again afterwards
        uow.tickets.add("acme", a_ticket())


def test_a_writer_waits_at_most_the_lock_timeout_then_gets_a_concurrency_error(
    tmp_path: Path,
) -> None:
    engine = open_engine(f"sqlite:///{tmp_path / 'store.db'}", lock_timeout=0.2)
    create_schema(engine)
    with SqlUnitOfWork(engine) as holder:
        holder.tickets.add("acme", a_ticket())
        began = time.perf_counter()
        with pytest.raises(ConcurrencyError, match=r"waited 0.2 s for a lock"):  # noqa: SIM117
            with SqlUnitOfWork(engine) as late:
                late.tickets.add("acme", a_ticket("1042"))
        waited = time.perf_counter() - began
    assert 0.15 < waited < 2.0
    engine.dispose()


@pytest.mark.parametrize("value", [0, -1, "60", True, 10**6])
def test_a_lock_timeout_out_of_range_is_refused_naming_it(value: object) -> None:
    with pytest.raises(InvalidArgumentError, match="lock_timeout"):
        open_engine("sqlite://", lock_timeout=value)  # type: ignore[arg-type]


def test_two_overlapping_invoice_runs_write_once_and_the_other_never_gets_a_driver_error(
    engine: sa.Engine,
) -> None:
    """Issue 14: on PostgreSQL the loser got a bare sqlalchemy.exc.IntegrityError."""
    with SqlUnitOfWork(engine) as uow:
        uow.contracts.add("acme", a_contract())
    first_wrote = threading.Event()
    second_started = threading.Event()
    outcome: dict[str, object] = {}

    def hold(step: str) -> None:
        if step.startswith("lines written"):
            first_wrote.set()
            second_started.wait(10)
            time.sleep(0.3)  # the second run is now blocked on our uncommitted lines

    def first() -> None:
        outcome["first"] = run_invoicing(SqlUnitOfWork(engine), "acme", MARCH, on_step=hold)

    def second() -> None:
        first_wrote.wait(10)
        second_started.set()
        try:
            outcome["second"] = run_invoicing(SqlUnitOfWork(engine), "acme", MARCH)
        except Exception as exc:  # the kind of error is what is tested
            outcome["second"] = exc

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    written = outcome["first"]
    assert len(written.lines) == 2  # type: ignore[attr-defined]
    loser = outcome["second"]
    # PostgreSQL: the second run's insert waits, then loses the race; SQLite: it
    # waits to begin, then finds the period done.
    if engine.dialect.name == "postgresql":
        assert isinstance(loser, ConcurrencyError), repr(loser)
    else:
        assert not isinstance(loser, Exception), repr(loser)
        assert loser.lines == ()  # type: ignore[attr-defined]
    with SqlUnitOfWork(engine, read_only=True) as uow:
        assert len(uow.invoices.list("acme", period=MARCH)) == 2
