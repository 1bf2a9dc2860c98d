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

On SQLite every writing unit of work takes the write lock when it begins
(``BEGIN IMMEDIATE``), so writers queue instead of failing halfway, and a
read-only one (``SqlUnitOfWork(engine, read_only=True)``) never waits for
them; on PostgreSQL writes are guarded by the version columns and row locks.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any, Self

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

from contractcore.errors import (
    ConcurrencyError,
    ContractCoreError,
    InvalidArgumentError,
    StorageError,
)
from contractcore.repository._audit import Clock
from contractcore.repository._common import RepositoryAccess, check_actor, utc_now
from contractcore.repository._schema import SCHEMA_VERSION, metadata, schema_info
from contractcore.repository._sql_stores import (
    Audit,
    Contracts,
    Invoices,
    Numbering,
    Policies,
    Templates,
    Tickets,
    copy_numbering_counters,
)

__all__ = [
    "DEFAULT_LOCK_TIMEOUT",
    "SCHEMA_VERSION",
    "SqlUnitOfWork",
    "create_schema",
    "open_engine",
]


DEFAULT_LOCK_TIMEOUT = 60.0
"""Seconds a unit of work waits for a lock before giving up (``ConcurrencyError``)."""

# Per engine: the lock-wait limit, in seconds (set by open_engine).
_LOCK_TIMEOUT = "contractcore_lock_timeout"
# Per connection, for the transaction being begun: read only or not.
_READ_ONLY = "contractcore_read_only"


def _sqlite_connect(timeout: float) -> Any:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite would defer it).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()

    return on_connect


def _sqlite_begin(connection: Connection) -> None:
    # Writers take the write lock at once, so they queue instead of failing
    # halfway; readers begin deferred and, with WAL, never wait for a writer.
    if connection.info.get(_READ_ONLY):
        connection.exec_driver_sql("BEGIN")
        connection.exec_driver_sql("PRAGMA query_only = 1")
    else:
        connection.exec_driver_sql("PRAGMA query_only = 0")
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _postgres_connect(timeout: float) -> Any:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute(f"SET lock_timeout = {int(timeout * 1000)}")
        cursor.close()
        dbapi_connection.commit()

    return on_connect


def _postgres_begin(connection: Connection) -> None:
    if connection.info.get(_READ_ONLY):
        connection.exec_driver_sql("SET TRANSACTION READ ONLY")


def _prepare(engine: Engine, lock_timeout: float | None = None) -> Engine:
    if getattr(engine, _LOCK_TIMEOUT, None) is not None:
        return engine
    timeout = DEFAULT_LOCK_TIMEOUT if lock_timeout is None else lock_timeout
    setattr(engine, _LOCK_TIMEOUT, timeout)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_connect(timeout))
        event.listen(engine, "begin", _sqlite_begin)
    elif engine.dialect.name == "postgresql":
        event.listen(engine, "connect", _postgres_connect(timeout))
        event.listen(engine, "begin", _postgres_begin)
    return engine


def open_engine(url: str, *, lock_timeout: float = DEFAULT_LOCK_TIMEOUT, **options: Any) -> Engine:
    """Create a SQLAlchemy engine for ``url``, set up for contractcore.

    Any SQLAlchemy URL works: ``sqlite:///contracts.db`` (a file),
    ``sqlite://`` (memory, one connection), ``postgresql+psycopg://user@host/db``.
    On SQLite it turns on write-ahead logging and makes each writing
    transaction take the write lock when it begins (read-only ones never
    wait). A unit of work waits at most ``lock_timeout`` seconds for a lock
    (SQLite's ``busy_timeout``, PostgreSQL's ``lock_timeout``), then raises
    :class:`~contractcore.errors.ConcurrencyError`.

    Args:
        url: The database URL.
        lock_timeout: Seconds to wait for a lock (default 60).
        options: Passed to :func:`sqlalchemy.create_engine`.

    Raises:
        InvalidArgumentError: The URL cannot be read or names an unknown driver.
    """
    try:
        engine = sa.create_engine(url, **options)
    except (sa.exc.ArgumentError, sa.exc.NoSuchModuleError, ValueError, ImportError) as exc:
        raise InvalidArgumentError(f"database URL {url!r} cannot be used: {exc}") from None
    if isinstance(lock_timeout, bool) or not isinstance(lock_timeout, int | float):
        raise InvalidArgumentError(
            f"lock_timeout must be a number of seconds, got {lock_timeout!r}"
        )
    if not 0 < lock_timeout <= 86_400:
        raise InvalidArgumentError(
            f"lock_timeout must be more than 0 and at most 86400 seconds, got {lock_timeout!r}"
        )
    return _prepare(engine, float(lock_timeout))


def create_schema(engine: Engine) -> None:
    """Create contractcore's tables and indexes, or bring them up to date.

    Idempotent: running it on an up-to-date database changes nothing. It
    records :data:`SCHEMA_VERSION` in ``contractcore_schema``.

    Raises:
        StorageError: The database was written by a newer contractcore, or
            it cannot be reached or written (a driver error).
    """
    _prepare(engine)
    try:
        _create_schema(engine)
    except sa.exc.DBAPIError as exc:
        raise StorageError(f"the database schema cannot be created or read: {exc.orig}") from exc


def _create_schema(engine: Engine) -> None:
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
            raise StorageError(
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


def _store_error(
    error: sa.exc.DBAPIError, engine: Engine, *, read_only: bool = False
) -> ContractCoreError:
    """The contractcore error for a driver error (never a bare driver error, DESIGN 6)."""
    text = str(error.orig)
    if read_only and ("readonly" in text or "read-only" in text or "query_only" in text.lower()):
        return InvalidArgumentError(f"this unit of work is read-only: {text}")
    if isinstance(error, sa.exc.IntegrityError):
        return ConcurrencyError(
            f"another transaction wrote the same record first; nothing was written, run "
            f"it again ({text})"
        )
    lowered = text.lower()
    if "locked" in lowered or "lock timeout" in lowered or "could not obtain lock" in lowered:
        timeout = getattr(engine, _LOCK_TIMEOUT, DEFAULT_LOCK_TIMEOUT)
        return ConcurrencyError(
            f"waited {timeout:g} s for a lock held by another transaction; nothing was "
            f"written, run it again ({text})"
        )
    if "deadlock" in lowered or "could not serialize" in lowered:
        return ConcurrencyError(f"the database aborted the transaction: {text}; run it again")
    return StorageError(f"the database refused the unit of work: {text}")


class SqlUnitOfWork(RepositoryAccess):
    """A unit of work in one database transaction (SQLite or PostgreSQL).

    Leaving the ``with`` block commits; leaving it with any exception rolls
    back. Create the schema first with :func:`create_schema`.

    A read-only unit of work (``read_only=True``) never waits for a writer on
    SQLite (write-ahead logging, a deferred transaction) and refuses every
    write with :class:`~contractcore.errors.InvalidArgumentError`; use it for
    boards, reports and look-ups.

    Errors of the store come out as contractcore errors: a write that lost a
    race (a unique key another transaction wrote first, as when two invoice
    runs of one period overlap) or a lock not obtained within the engine's
    ``lock_timeout`` raises :class:`~contractcore.errors.ConcurrencyError`
    (nothing was written; run it again); any other driver error (the
    database unreachable, corrupt or read-only) raises
    :class:`~contractcore.errors.StorageError`.

    Args:
        engine: From :func:`open_engine` (or any SQLAlchemy engine; SQLite
            engines are set up the same way on first use).
        read_only: Open a read-only transaction.
        actor: Who writes, recorded with every write in the audit trail.
        clock: When, for the audit trail (default: the system clock, UTC).
    """

    def __init__(
        self,
        engine: Engine,
        *,
        read_only: bool = False,
        actor: str | None = None,
        clock: Clock = utc_now,
    ) -> None:
        self.engine = _prepare(engine)
        self.read_only = bool(read_only)
        self.actor = check_actor(actor)
        self.clock = clock
        self.audit_log = Audit(self)
        self._audit = self.audit_log
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
        try:
            connection = self.engine.connect()
        except sa.exc.DBAPIError as exc:
            raise _store_error(exc, self.engine) from exc
        connection.info[_READ_ONLY] = self.read_only
        try:
            connection.begin()
        except sa.exc.DBAPIError as exc:
            connection.close()
            raise _store_error(exc, self.engine) from exc
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
        except sa.exc.DBAPIError as error:
            raise _store_error(error, self.engine) from error
        finally:
            connection.close()
        if isinstance(exc, sa.exc.DBAPIError):
            raise _store_error(exc, self.engine, read_only=self.read_only) from exc
