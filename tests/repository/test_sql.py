from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from contractcore.contracts import ContractNumbering
from contractcore.errors import ContractCoreError, InvalidArgumentError, SerializationError
from contractcore.repository import Versioned
from contractcore.repository._schema import documents
from contractcore.repository.sql import SCHEMA_VERSION, SqlUnitOfWork, create_schema, open_engine
from contractcore.serialization import to_document
from contractcore.testing.conformance import ACTOR, NewUow, UnitOfWorkConformance
from contractcore.testing.samples import a_policy, a_ticket

POSTGRES_URL = os.environ.get("CONTRACTCORE_TEST_POSTGRES_URL")
needs_postgres = pytest.mark.skipif(
    not POSTGRES_URL,
    reason="set CONTRACTCORE_TEST_POSTGRES_URL to a PostgreSQL database to run this test",
)


def postgres_engine() -> sa.Engine:
    """A PostgreSQL engine on a fresh, empty schema of the test database."""
    assert POSTGRES_URL is not None
    engine = open_engine(POSTGRES_URL)
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE IF EXISTS contractcore_actions")
        connection.exec_driver_sql("DROP TABLE IF EXISTS contractcore_audit")
        connection.exec_driver_sql("DROP TABLE IF EXISTS contractcore_wake_ups")
        connection.exec_driver_sql("DROP TABLE IF EXISTS contractcore_contracts")
        connection.exec_driver_sql("DROP TABLE IF EXISTS contractcore_documents")
        connection.exec_driver_sql("DROP TABLE IF EXISTS contractcore_invoice_lines")
        connection.exec_driver_sql("DROP TABLE IF EXISTS contractcore_removed")
        connection.exec_driver_sql("DROP TABLE IF EXISTS contractcore_schema")
        connection.exec_driver_sql("DROP TABLE IF EXISTS contractcore_sequences")
    create_schema(engine)
    return engine


class TestSqliteBackend(UnitOfWorkConformance):
    @pytest.fixture
    def new_uow(self, tmp_path: Path) -> Iterator[NewUow]:
        engine = open_engine(f"sqlite:///{tmp_path / 'store.db'}")
        create_schema(engine)
        yield lambda: SqlUnitOfWork(engine, actor=ACTOR)
        engine.dispose()


@pytest.mark.postgres
@needs_postgres
class TestPostgresBackend(UnitOfWorkConformance):
    @pytest.fixture
    def new_uow(self) -> Iterator[NewUow]:
        engine = postgres_engine()
        yield lambda: SqlUnitOfWork(engine, actor=ACTOR)
        engine.dispose()


def test_creating_the_schema_twice_changes_nothing(tmp_path: Path) -> None:
    engine = open_engine(f"sqlite:///{tmp_path / 'store.db'}")
    create_schema(engine)
    create_schema(engine)
    with engine.connect() as connection:
        versions = connection.execute(sa.text("SELECT name, version FROM contractcore_schema"))
        assert versions.all() == [("contractcore", SCHEMA_VERSION)]
        indexes = {
            ix["name"] for ix in sa.inspect(connection).get_indexes("contractcore_contracts")
        }
    assert "contractcore_contracts_number" in indexes
    engine.dispose()


def test_a_version_1_database_is_brought_up_to_date(tmp_path: Path) -> None:
    engine = open_engine(f"sqlite:///{tmp_path / 'store.db'}")
    create_schema(engine)
    with engine.begin() as connection:  # as contractcore 1 left it
        connection.exec_driver_sql("DROP TABLE contractcore_removed")
        connection.exec_driver_sql("DROP TABLE contractcore_sequences")
        connection.execute(sa.text("UPDATE contractcore_schema SET version = 1"))

    create_schema(engine)

    with engine.connect() as connection:
        versions = connection.execute(sa.text("SELECT name, version FROM contractcore_schema"))
        assert versions.all() == [("contractcore", SCHEMA_VERSION)]
        tables = sa.inspect(connection).get_table_names()
        assert {"contractcore_removed", "contractcore_sequences"} <= set(tables)
    engine.dispose()


def version_2_database(engine: sa.Engine) -> None:
    """Leave ``engine``'s database as contractcore's schema version 2 would have.

    Acme saved its settings (prefix CT) and allocated 7 numbers, all in the
    settings row; globex never numbered anything.
    """
    create_schema(engine)
    document = to_document(ContractNumbering(prefix="CT", next_sequence=8, last_issued=7))
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE contractcore_sequences")
        connection.execute(
            sa.insert(documents).values(
                tenant="acme", kind="numbering", key="acme", version=8, document=document
            )
        )
        connection.execute(sa.text("UPDATE contractcore_schema SET version = 2"))


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgres", marks=[pytest.mark.postgres, needs_postgres])]
)
def test_a_version_2_database_keeps_its_numbering_counter_when_brought_up_to_date(
    tmp_path: Path, backend: str
) -> None:
    if backend == "sqlite":
        engine = open_engine(f"sqlite:///{tmp_path / 'store.db'}")
    else:
        engine = postgres_engine()
    version_2_database(engine)

    create_schema(engine)
    create_schema(engine)  # a second run copies nothing again

    with SqlUnitOfWork(engine) as uow:
        acme = uow.numbering.get("acme")
        assert uow.numbering.get("globex") == Versioned("globex", ContractNumbering(), 0)
        number = uow.numbering.allocate("acme", "42", date(2026, 1, 1))
        fresh = uow.numbering.save("acme", acme.evolve(ContractNumbering()))
    with engine.connect() as connection:
        versions = connection.execute(sa.text("SELECT name, version FROM contractcore_schema"))
        assert versions.all() == [("contractcore", 3)]
    assert acme == Versioned(
        "acme", ContractNumbering(prefix="CT", next_sequence=8, last_issued=7), 8
    )
    assert number == "CT-42-0008"
    assert (fresh.value.next_sequence, fresh.version) == (9, 9)
    engine.dispose()


def test_a_database_from_a_newer_contractcore_is_refused(tmp_path: Path) -> None:
    engine = open_engine(f"sqlite:///{tmp_path / 'store.db'}")
    create_schema(engine)
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE contractcore_schema SET version = 99"))
    with pytest.raises(ContractCoreError, match="version 99, newer"):
        create_schema(engine)
    engine.dispose()


def test_an_unreadable_database_url_is_one_clear_error() -> None:
    with pytest.raises(InvalidArgumentError, match="nosuchdb://x"):
        open_engine("nosuchdb://x")


@pytest.mark.parametrize("kind", ["ticket", "sla_policy"])
def test_a_corrupted_stored_document_raises_a_serialization_error(
    tmp_path: Path, kind: str
) -> None:
    engine = open_engine(f"sqlite:///{tmp_path / 'store.db'}")
    create_schema(engine)
    with SqlUnitOfWork(engine) as uow:
        uow.tickets.add("acme", a_ticket())
        uow.sla_policies.add("acme", "gold", a_policy())
    with engine.begin() as connection:
        connection.execute(
            sa.text("UPDATE contractcore_documents SET document = :doc WHERE kind = :kind"),
            {"doc": '{"schema": "contractcore/1", "type": "x", "data": {"id": 3}}', "kind": kind},
        )
    with SqlUnitOfWork(engine) as uow:
        read = uow.tickets.list if kind == "ticket" else uow.sla_policies.list
        with pytest.raises(SerializationError):
            read("acme")
    engine.dispose()


def test_a_stored_document_that_is_not_json_names_its_table_and_key(tmp_path: Path) -> None:
    """Issue 14: a bare json.JSONDecodeError came out of contracts.get and tickets.list."""
    engine = open_engine(f"sqlite:///{tmp_path / 'store.db'}")
    create_schema(engine)
    with SqlUnitOfWork(engine) as uow:
        uow.tickets.add("acme", a_ticket())
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE contractcore_documents SET document = '{not json'"))
    with SqlUnitOfWork(engine) as uow:
        with pytest.raises(SerializationError, match="contractcore_documents row '1041'"):
            uow.tickets.list("acme")
        with pytest.raises(SerializationError, match="is not valid JSON"):
            uow.tickets.get("acme", "1041")
    engine.dispose()


def test_a_version_3_database_made_before_the_outbox_gets_its_table(tmp_path: Path) -> None:
    """Schema 3 is unreleased: the outbox table joined it, and create_schema adds it."""
    engine = open_engine(f"sqlite:///{tmp_path / 'store.db'}")
    create_schema(engine)
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE contractcore_actions")
    create_schema(engine)
    with SqlUnitOfWork(engine) as uow:
        assert uow.tickets.acknowledge("acme", ["acme:1041:response:1:breach:notify"]) == 1
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT version FROM contractcore_schema").scalar() == 3
