"""Opening the database a command is given (``--db``): contractcore's or refused."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from contractcore.cli._common import UsageError
from contractcore.errors import InvalidArgumentError, StorageError

if TYPE_CHECKING:
    from contractcore.repository import UnitOfWork

__all__ = ["NewUow", "database"]

NewUow = Callable[[], "UnitOfWork"]


def _sqlite_file(url: str) -> Path | None:
    """The file of a SQLite ``url`` (None for memory, URI filenames and other databases)."""
    try:
        from sqlalchemy.engine import make_url  # noqa: PLC0415 - SQLAlchemy only when used

        parsed = make_url(url)
    except Exception:  # not ours to judge: open_engine reports a bad URL or driver
        return None
    name = parsed.database
    if not parsed.drivername.startswith("sqlite") or not name or name == ":memory:":
        return None
    if name.startswith("file:"):  # a URI filename: SQLite's own business
        return None
    return Path(name)


def _table_names(engine: Any, url: str) -> set[str]:
    """The tables of the database at ``url``, read without writing to it."""
    import sqlalchemy as sa  # noqa: PLC0415 - SQLAlchemy only when used

    path = _sqlite_file(url)
    if path is not None and path.exists():
        # Read-only and outside SQLAlchemy: opening the engine would switch a
        # foreign file to write-ahead logging before we could refuse it.
        try:
            with contextlib.closing(
                sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
            ) as connection:
                rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
                return {row[0] for row in rows}
        except sqlite3.DatabaseError as exc:
            msg = f"--db: {url} cannot be read as a database: {exc}"
            raise StorageError(msg) from None
    try:
        return set(sa.inspect(engine).get_table_names())
    except sa.exc.DBAPIError as exc:
        msg = f"--db: {url} cannot be read as a database: {exc.orig}"
        raise StorageError(msg) from None


def _check_database(engine: Any, url: str, *, create: bool) -> None:
    """Refuse a database that is not contractcore's (a foreign or empty one unless creating)."""
    names = _table_names(engine, url)
    if "contractcore_schema" in names:
        return
    if names:
        shown = ", ".join(sorted(names)[:5])
        msg = (
            f"--db: {url} is another application's database (tables {shown}); "
            "contractcore adds its tables only to an empty database or its own"
        )
        raise StorageError(msg)
    if not create:
        msg = (
            f"--db: {url} is empty, not a contractcore database (create one with "
            f"'contractcore demo --db {url}' or your own application)"
        )
        raise StorageError(msg)


@contextmanager
def database(url: str, *, create: bool = False) -> Iterator[NewUow]:
    """Open ``url``, create or upgrade the schema, yield a unit-of-work factory.

    Only ``create=True`` (the demo) adds contractcore's tables to an empty
    database or creates a SQLite file; a database holding other tables is
    always refused (:class:`~contractcore.errors.StorageError`).
    """
    try:
        from contractcore.repository.sql import (  # noqa: PLC0415 - SQLAlchemy only when used
            SqlUnitOfWork,
            create_schema,
            open_engine,
        )
    except ImportError as exc:
        msg = f"this command needs the sqlite extra (pip install 'contractcore[sqlite]'): {exc}"
        raise StorageError(msg) from None
    path = _sqlite_file(url)
    if not create and path is not None and not path.exists():
        # A typo in --db would create an empty database and report success.
        msg = (
            f"--db: no database file {path} (create one with "
            f"'contractcore demo --db {url}' or your own application)"
        )
        raise StorageError(msg)
    try:
        engine = open_engine(url)  # lazy: nothing is opened before the first connection
    except InvalidArgumentError as exc:
        raise UsageError(f"--db: {exc}") from None
    try:
        _check_database(engine, url, create=create)
        create_schema(engine)
        yield lambda: SqlUnitOfWork(engine)
    finally:
        engine.dispose()
