"""Save, load and query many contracts through the SQL repository.

    PYTHONPATH=src python benchmarks/bench_repository.py                  # SQLite, 100,000
    PYTHONPATH=src python benchmarks/bench_repository.py --postgres URL   # and PostgreSQL

SQLite runs on a file in a temporary directory (WAL, as the repository opens
it). PostgreSQL drops and recreates contractcore's tables in the database
given: use a scratch one. Each contract has two services and a schedule (as
in a real book of business).

Each save and load rate is printed with its ratio to the practical limit,
measured in the same run on the same tables: the same documents (the JSON
the store writes, and the columns it fills) written by the bare driver
(``sqlite3`` or psycopg) and ``json.dumps``, one ``INSERT`` per contract in
one transaction, and read back by one ``SELECT`` and ``json.loads`` (no
contracts built). The store does more per contract (it checks a removed
key's version, refuses a duplicate, writes an audit entry, builds and
validates every contract it loads): the ratio says what that costs.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa

from contractcore.contracts import Contract, ContractQuery
from contractcore.money import Money
from contractcore.pricing import Service
from contractcore.repository._documents import encode
from contractcore.repository._schema import metadata
from contractcore.repository.sql import SqlUnitOfWork, create_schema, open_engine
from contractcore.schedules import PRICE, After, Percent, Schedule, UpdateEvent

TENANT = "bench"
BATCH = 1000


def sample(i: int) -> Contract:
    start = date(2020, 1, 1) + timedelta(days=i % 3650)
    return Contract(
        id=f"c-{i:07d}",
        number=f"CT-{i % 5000}-{i:07d}",
        customer_id=str(i % 5000),
        name=f"Managed IT {i}",
        status="active",
        start_date=start,
        term_months=12 + i % 25,
        services=(
            Service(id=f"s-{i}-1", product_id="desk", unit_price=Money("45.00", "USD"),
                    quantity=1 + i % 40, start_date=start),
            Service(id=f"s-{i}-2", product_id="backup", unit_price=Money("120.00", "USD"),
                    start_date=start),
        ),
        schedules=(Schedule(name="uplift", events=[UpdateEvent(After(months=12), PRICE,
                                                                Percent(4))]),),
    )  # fmt: skip


def reset(engine: sa.Engine) -> None:
    metadata.drop_all(engine)  # every contractcore table, the audit trail's too
    create_schema(engine)


_COLUMNS = (
    "tenant, id, version, number, customer_id, status, term_months, start_date, end_date, "
    "created_on, document"
)


def _row(contract: Contract, document: dict[str, object]) -> tuple[object, ...]:
    return (
        TENANT,
        contract.id,
        1,
        contract.number,
        contract.customer_id,
        contract.status.value,
        contract.term_months,
        contract.start_date,
        contract.end_date,
        contract.created_on,
        json.dumps(document),
    )


def limit(engine: sa.Engine, contracts: list[Contract]) -> tuple[float, float]:
    """Saves/s and loads/s of the bare driver on the same tables and documents."""
    reset(engine)
    documents = [encode(contract) for contract in contracts]  # what the store writes
    count = len(contracts)
    mark = "?" if engine.dialect.name == "sqlite" else "%s"
    insert = f"INSERT INTO contractcore_contracts ({_COLUMNS}) VALUES ({', '.join([mark] * 11)})"
    raw = engine.raw_connection()
    try:
        driver = raw.driver_connection
        assert driver is not None
        started = time.perf_counter()
        cursor = driver.cursor()
        if engine.dialect.name == "sqlite":
            cursor.execute("BEGIN")  # the engine's connections leave BEGIN to the caller
        for contract, document in zip(contracts, documents, strict=True):
            cursor.execute(insert, _row(contract, document))
        driver.commit()
        saved = time.perf_counter() - started
        started = time.perf_counter()
        cursor = driver.cursor()
        cursor.execute(
            "SELECT id, version, document FROM contractcore_contracts WHERE tenant = " + mark,
            (TENANT,),
        )
        read = [
            (key, version, json.loads(text) if isinstance(text, str) else text)
            for key, version, text in cursor.fetchall()
        ]
        driver.commit()
        load = time.perf_counter() - started
    finally:
        raw.close()
    assert len(read) == count
    return count / saved, count / load


def bench(name: str, engine: sa.Engine, count: int) -> None:
    reset(engine)
    contracts = [sample(i) for i in range(count)]
    started = time.perf_counter()
    for offset in range(0, count, BATCH):
        with SqlUnitOfWork(engine) as uow:
            for contract in contracts[offset : offset + BATCH]:
                uow.contracts.add(TENANT, contract)
    saved = time.perf_counter() - started

    started = time.perf_counter()
    with SqlUnitOfWork(engine) as uow:
        loaded = uow.contracts.find(TENANT, ContractQuery())
    load = time.perf_counter() - started
    assert len(loaded) == count
    assert loaded[count // 2].value == contracts[count // 2]

    rng = random.Random(7)
    picks = [contracts[rng.randrange(count)].number for _ in range(1000)]
    started = time.perf_counter()
    with SqlUnitOfWork(engine) as uow:
        for number in picks:
            (_found,) = uow.contracts.find(TENANT, ContractQuery(numbers={number}))
    by_number = (time.perf_counter() - started) / len(picks)

    queries = [date(2020, 1, 1) + timedelta(days=rng.randrange(3600)) for _ in range(100)]
    started = time.perf_counter()
    hits = 0
    with SqlUnitOfWork(engine) as uow:
        for first in queries:
            hits += len(
                uow.contracts.find(
                    TENANT, ContractQuery(start_from=first, start_to=first + timedelta(days=6))
                )
            )
    by_range = (time.perf_counter() - started) / len(queries)
    save_limit, load_limit = limit(engine, contracts)

    print(
        f"{name:<10} {count:>7} contracts | save {saved:6.1f} s ({count / saved:7.0f}/s) | "
        f"load all {load:5.1f} s ({count / load:7.0f}/s) | "
        f"by number {by_number * 1e3:5.2f} ms | "
        f"7-day start range {by_range * 1e3:6.1f} ms ({hits / len(queries):.0f} contracts)"
    )
    print(
        f"{'':<10} limit (bare driver + json, one transaction): save {save_limit:7.0f}/s, "
        f"load {load_limit:7.0f}/s | store/limit: save {count / saved / save_limit:.2f}, "
        f"load {count / load / load_limit:.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--postgres", help="a scratch PostgreSQL database URL")
    parser.add_argument("--no-sqlite", action="store_true")
    args = parser.parse_args()
    if not args.no_sqlite:
        with tempfile.TemporaryDirectory() as scratch:
            engine = open_engine(f"sqlite:///{Path(scratch) / 'bench.db'}")
            bench("SQLite", engine, args.count)
            engine.dispose()
    if args.postgres:
        engine = open_engine(args.postgres)
        bench("PostgreSQL", engine, args.count)
        engine.dispose()


if __name__ == "__main__":
    main()
