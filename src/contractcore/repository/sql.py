"""The SQL backend: SQLite (the embedded default) and PostgreSQL through SQLAlchemy Core.

Aggregates are stored as versioned JSON documents (``contractcore.serialization``,
each carrying its schema version), with the fields :class:`ContractQuery`
filters on copied into indexed columns. Every statement uses bound parameters.

Create the tables once, explicitly (it is idempotent), then open units of work:

>>> from datetime import date
>>> engine = open_engine("sqlite://")
>>> create_schema(engine)
>>> with SqlUnitOfWork(engine) as uow:
...     uow.numbering.allocate("acme", "42", date(2026, 11, 23))
'42-0001'

On SQLite every unit of work takes the write lock when it begins
(``BEGIN IMMEDIATE``), so writers queue instead of failing halfway; on
PostgreSQL writes are guarded by the version columns and row locks.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any, Self

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

from contractcore.errors import ContractCoreError, InvalidArgumentError
from contractcore.repository._common import RepositoryAccess
from contractcore.repository._schema import SCHEMA_VERSION, metadata, schema_info
from contractcore.repository._sql_stores import (
    Contracts,
    Invoices,
    Numbering,
    Policies,
    Templates,
    Tickets,
    copy_numbering_counters,
)

__all__ = ["SCHEMA_VERSION", "SqlUnitOfWork", "create_schema", "open_engine"]


def _on_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite would defer it).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout = 60000")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.close()


def _on_begin(connection: Connection) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def _prepare(engine: Engine) -> Engine:
    if engine.dialect.name == "sqlite" and not event.contains(engine, "connect", _on_connect):
        event.listen(engine, "connect", _on_connect)
        event.listen(engine, "begin", _on_begin)
    return engine


def open_engine(url: str, **options: Any) -> Engine:
    """Create a SQLAlchemy engine for ``url``, set up for contractcore.

    Any SQLAlchemy URL works: ``sqlite:///contracts.db`` (a file),
    ``sqlite://`` (memory, one connection), ``postgresql+psycopg://user@host/db``.
    On SQLite it turns on write-ahead logging, waits up to a minute for the
    write lock, and makes each transaction take that lock when it begins.

    Args:
        url: The database URL.
        options: Passed to :func:`sqlalchemy.create_engine`.

    Raises:
        InvalidArgumentError: The URL cannot be read or names an unknown driver.
    """
    try:
        engine = sa.create_engine(url, **options)
    except (sa.exc.ArgumentError, sa.exc.NoSuchModuleError, ValueError, ImportError) as exc:
        raise InvalidArgumentError(f"database URL {url!r} cannot be used: {exc}") from None
    return _prepare(engine)


def create_schema(engine: Engine) -> None:
    """Create contractcore's tables and indexes, or bring them up to date.

    Idempotent: running it on an up-to-date database changes nothing. It
    records :data:`SCHEMA_VERSION` in ``contractcore_schema``.

    Raises:
        ContractCoreError: The database was written by a newer contractcore.
    """
    _prepare(engine)
    with engine.begin() as connection:
        metadata.create_all(connection, checkfirst=True)
        found = connection.execute(
            sa.select(schema_info.c.version).where(schema_info.c.name == "contractcore")
        ).scalar_one_or_none()
        if found is None:
            connection.execute(
                sa.insert(schema_info).values(name="contractcore", version=SCHEMA_VERSION)
            )
        elif found > SCHEMA_VERSION:
            raise ContractCoreError(
                f"the database schema is version {found}, newer than this contractcore's "
                f"{SCHEMA_VERSION}: upgrade contractcore"
            )
        elif found < SCHEMA_VERSION:
            # Upgrades, one step per version. 1 -> 2: the contractcore_removed
            # table, which create_all has just added. 2 -> 3: the
            # contractcore_sequences table, filled from the numbering settings.
            if found < 3:
                copy_numbering_counters(connection)
            connection.execute(
                sa.update(schema_info)
                .where(schema_info.c.name == "contractcore")
                .values(version=SCHEMA_VERSION)
            )


class SqlUnitOfWork(RepositoryAccess):
    """A unit of work in one database transaction (SQLite or PostgreSQL).

    Leaving the ``with`` block commits; leaving it with any exception rolls
    back. Create the schema first with :func:`create_schema`.

    Args:
        engine: From :func:`open_engine` (or any SQLAlchemy engine; SQLite
            engines are set up the same way on first use).
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = _prepare(engine)
        self._connection: Connection | None = None
        self._contracts = Contracts(self)
        self._policies = Policies(self)
        self._templates = Templates(self)
        self._tickets = Tickets(self)
        self._numbering = Numbering(self)
        self._invoices = Invoices(self)

    @property
    def connection(self) -> Connection:
        """The open connection (inside the ``with`` block only)."""
        if self._connection is None:
            raise InvalidArgumentError("use the unit of work inside a with block")
        return self._connection

    def _open(self) -> None:
        _ = self.connection

    def __enter__(self) -> Self:
        if self._connection is not None:
            raise InvalidArgumentError("this unit of work is already open")
        connection = self.engine.connect()
        connection.begin()
        self._connection = connection
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        connection, self._connection = self._connection, None
        if connection is None:
            return
        try:
            if exc_type is None:
                connection.commit()
            else:
                connection.rollback()
        finally:
            connection.close()
