"""The SQL backend's stores: one per aggregate, each reading and writing its rows (private).

Each store works in the connection of the :class:`~contractcore.repository.sql.SqlUnitOfWork`
that owns it; aggregates are versioned JSON documents, with the fields
:class:`~contractcore.contracts.ContractQuery` filters on copied into columns.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from contractcore.contracts import (
    Contract,
    ContractNumbering,
    ContractQuery,
    ContractTemplate,
)
from contractcore.errors import (
    ContractCoreError,
    InvalidArgumentError,
    NotFoundError,
    SerializationError,
)
from contractcore.pricing import Period
from contractcore.repository import _documents
from contractcore.repository._audit import (
    check_idempotency_key,
    check_kind,
    new_entry,
    read_version,
    replayed,
)
from contractcore.repository._common import (
    check_id,
    check_key,
    check_tenant,
    duplicate,
    line_key,
    missing,
    stale,
)
from contractcore.repository._model import (
    AuditAction,
    AuditEntry,
    InvoicedLine,
    PendingAction,
    Ticket,
    Versioned,
)
from contractcore.repository._outbox import check_action_ids, pending_in
from contractcore.repository._schema import (
    acknowledged_actions,
    audit,
    contracts,
    documents,
    invoice_lines,
    removed,
    sequences,
    wake_ups,
)
from contractcore.repository._sequence import NumberSequence
from contractcore.repository._wakeups import check_instant, stored_wake_ups
from contractcore.sla import SlaPolicy

if TYPE_CHECKING:
    from contractcore.repository.sql import SqlUnitOfWork

__all__ = [
    "Audit",
    "Contracts",
    "Invoices",
    "Numbering",
    "Policies",
    "Templates",
    "Tickets",
    "copy_numbering_counters",
]

T = TypeVar("T")

# Built once: every add asks it (a statement built per call costs more than the query).
_LAST_REMOVED = sa.select(removed.c.version).where(
    removed.c.tenant == sa.bindparam("tenant"),
    removed.c.scope == sa.bindparam("scope"),
    removed.c.key == sa.bindparam("key"),
)


# The last audit entry of a key (what a save's summary compares with).
_AUDIT_BEFORE = (
    sa.select(sa.type_coerce(audit.c.document, sa.Text).label("document"))
    .where(
        audit.c.tenant == sa.bindparam("tenant"),
        audit.c.kind == sa.bindparam("kind"),
        audit.c.key == sa.bindparam("key"),
    )
    .order_by(audit.c.id.desc())
    .limit(1)
)
_AUDIT_INSERT = sa.insert(audit)

# A new row's version: a key removed before goes on from its last version.
_NEXT_VERSION = (
    sa.func.coalesce(
        sa.select(removed.c.version)
        .where(
            removed.c.tenant == sa.bindparam("removed_tenant"),
            removed.c.scope == sa.bindparam("removed_scope"),
            removed.c.key == sa.bindparam("removed_key"),
        )
        .scalar_subquery(),
        0,
    )
    + 1
)

# Per dialect and table: INSERT ... ON CONFLICT DO NOTHING RETURNING the new
# row's version (none for a duplicate), the version found in the same
# statement; built once (building and keying a statement costs more than
# running it).
_INSERTS: dict[tuple[str, str], Any] = {}


def _insert_ignoring_duplicates(connection: Connection, table: sa.Table) -> Any:
    """The table's insert that skips a duplicate key silently, or None on another dialect."""
    if connection.dialect.name == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing()
    if connection.dialect.name == "sqlite":
        return sqlite.insert(table).on_conflict_do_nothing()
    return None


def _versioned_insert(connection: Connection, table: sa.Table) -> Any:
    """A versioned row's insert returning its version; no row for a duplicate key."""
    dialect = connection.dialect.name
    statement = _INSERTS.get((dialect, table.name))
    if statement is None:
        insert = _insert_ignoring_duplicates(connection, table)
        if insert is None:
            return None
        statement = insert.values(version=_NEXT_VERSION).returning(table.c.version)
        _INSERTS[dialect, table.name] = statement
    return statement


def _stored(table: sa.Table) -> sa.ColumnElement[Any]:
    """The document column read as stored: text on SQLite, so bad JSON is ours to report."""
    return sa.type_coerce(table.c.document, sa.Text).label("document")


def _parsed(raw: Any, table: sa.Table, tenant: str, key: str) -> Any:
    """A stored document as read (text on SQLite) parsed; bad JSON names its row."""
    if not isinstance(raw, str | bytes):
        return raw  # PostgreSQL's driver parses JSONB itself
    try:
        return json.loads(raw)
    except ValueError as exc:
        msg = f"{table.name} row {key!r} of tenant {tenant!r} is not valid JSON: {exc}"
        raise SerializationError(msg) from None


def read_stored(cls: type[T], raw: Any, table: sa.Table, tenant: str, key: str) -> T:
    """Decode a stored document; a corrupted one raises SerializationError naming its row."""
    document = _parsed(raw, table, tenant, key)
    try:
        return _documents.decode(cls, document)
    except SerializationError as exc:
        raise SerializationError(f"{table.name} row {key!r} of tenant {tenant!r}: {exc}") from None


class _Rows(Generic[T]):
    """Versioned documents in one table, restricted to rows matching ``scope``."""

    def __init__(
        self,
        uow: SqlUnitOfWork,
        table: sa.Table,
        key_column: str,
        cls: type[T],
        *,
        kind: str,
        key_of: Callable[[T], str] | None,
        fixed: Mapping[str, str] | None = None,
    ) -> None:
        self._uow = uow
        self._table = table
        self._key = table.c[key_column]
        self._cls = cls
        self._kind = kind
        self._key_of = key_of
        self._fixed = dict(fixed or {})
        # Where a removed key's last version is kept (contractcore_removed).
        self._scope = ":".join([table.name, *self._fixed.values()])

    def _where(self, tenant: str, key: str | None = None) -> list[sa.ColumnElement[bool]]:
        clauses = [self._table.c.tenant == tenant]
        clauses += [self._table.c[name] == value for name, value in self._fixed.items()]
        if key is not None:
            clauses.append(self._key == key)
        return clauses

    def _columns(self, value: T) -> dict[str, Any]:
        return {}

    def _removed(self, tenant: str, key: str) -> list[sa.ColumnElement[bool]]:
        return [removed.c.tenant == tenant, removed.c.scope == self._scope, removed.c.key == key]

    def _last_removed_version(self, tenant: str, key: str) -> int | None:
        found: int | None = self._uow.connection.execute(
            _LAST_REMOVED, {"tenant": tenant, "scope": self._scope, "key": key}
        ).scalar_one_or_none()
        return found

    def _replay(
        self, tenant: str, key: str, action: AuditAction, idempotency_key: str | None
    ) -> Versioned[T] | None:
        if check_idempotency_key(idempotency_key) is None:
            return None
        assert idempotency_key is not None
        entry = self._uow.audit_log.by_key(tenant, idempotency_key)
        return replayed(entry, self._kind, key, action)

    def _insert(
        self, tenant: str, key: str, value: T, idempotency_key: str | None = None
    ) -> Versioned[T]:
        tenant = check_tenant(tenant)
        key = check_id(f"{self._kind} id", key)
        first = self._replay(tenant, key, "add", idempotency_key)
        if first is not None:
            return first
        connection = self._uow.connection
        document = _documents.encode(value)
        row = {
            "tenant": tenant,
            self._key.name: key,
            "document": document,
            **self._fixed,
            **self._columns(value),
        }
        statement = _versioned_insert(connection, self._table)
        if statement is None:  # another dialect: look first (its own constraint still holds)
            if connection.execute(sa.select(self._key).where(*self._where(tenant, key))).first():
                raise duplicate(self._kind, tenant, key)
            # A key removed before goes on from its last version: a copy read
            # before the removal must not match the new aggregate's version.
            last = self._last_removed_version(tenant, key)
            version = 1 if last is None else last + 1
            connection.execute(sa.insert(self._table), {**row, "version": version})
        else:
            # One statement: the version (after a removed key's last one) and
            # the insert, or no row for a duplicate.
            found = connection.execute(
                statement,
                {**row, "removed_tenant": tenant, "removed_scope": self._scope, "removed_key": key},
            ).first()
            if found is None:
                raise duplicate(self._kind, tenant, key)
            version = found[0]
        self._uow.audit_log.record(
            tenant,
            kind=self._kind,
            key=key,
            version=version,
            action="add",
            value=value,
            idempotency_key=idempotency_key,
            document=document,
        )
        return Versioned(key, value, version)

    def get(self, tenant: str, key: str) -> Versioned[T]:
        tenant = check_tenant(tenant)
        key = check_id(f"{self._kind} id", key)
        row = self._uow.connection.execute(
            sa.select(self._table.c.version, _stored(self._table)).where(*self._where(tenant, key))
        ).first()
        if row is None:
            raise missing(self._kind, tenant, key)
        value = read_stored(self._cls, row.document, self._table, tenant, key)
        return Versioned(key, value, row.version)

    def _select(self, tenant: str, *criteria: sa.ColumnElement[bool]) -> tuple[Versioned[T], ...]:
        tenant = check_tenant(tenant)
        rows = list(
            self._uow.connection.execute(
                sa.select(self._key, self._table.c.version, _stored(self._table)).where(
                    *self._where(tenant), *criteria
                )
            )
        )
        # Sorted here, not in SQL: an ORDER BY on the key lures SQLite into
        # scanning the tenant by primary key instead of using the query's index,
        # and Python's order is the code-point order of the in-memory backend.
        rows.sort(key=lambda row: row[0])
        return tuple(
            Versioned(
                row[0],
                read_stored(self._cls, row.document, self._table, tenant, row[0]),
                row.version,
            )
            for row in rows
        )

    def list(self, tenant: str) -> tuple[Versioned[T], ...]:
        return self._select(tenant)

    def _conflict(self, tenant: str, stored: Versioned[T]) -> ContractCoreError:
        found = self._uow.connection.execute(
            sa.select(self._table.c.version).where(*self._where(tenant, stored.key))
        ).scalar_one_or_none()
        if found is None:
            return missing(self._kind, tenant, stored.key)
        return stale(self._kind, tenant, stored.key, stored.version, found)

    def _check(self, stored: Versioned[T]) -> None:
        if self._key_of is not None:
            check_key(self._kind, stored.key, self._key_of(stored.value))

    def save(
        self, tenant: str, stored: Versioned[T], *, idempotency_key: str | None = None
    ) -> Versioned[T]:
        tenant = check_tenant(tenant)
        first = self._replay(tenant, stored.key, "save", idempotency_key)
        if first is not None:
            return first
        self._check(stored)
        document = _documents.encode(stored.value)
        result = self._uow.connection.execute(
            sa.update(self._table)
            .where(*self._where(tenant, stored.key), self._table.c.version == stored.version)
            .values(
                version=stored.version + 1,
                document=document,
                **self._columns(stored.value),
            )
        )
        if result.rowcount != 1:
            raise self._conflict(tenant, stored)
        self._uow.audit_log.record(
            tenant,
            kind=self._kind,
            key=stored.key,
            version=stored.version + 1,
            action="save",
            value=stored.value,
            idempotency_key=idempotency_key,
            document=document,
        )
        return Versioned(stored.key, stored.value, stored.version + 1)

    def remove(self, tenant: str, stored: Versioned[T]) -> None:
        tenant = check_tenant(tenant)
        self._check(stored)
        connection = self._uow.connection
        result = connection.execute(
            sa.delete(self._table).where(
                *self._where(tenant, stored.key), self._table.c.version == stored.version
            )
        )
        if result.rowcount != 1:
            raise self._conflict(tenant, stored)
        connection.execute(sa.delete(removed).where(*self._removed(tenant, stored.key)))
        connection.execute(
            sa.insert(removed).values(
                tenant=tenant, scope=self._scope, key=stored.key, version=stored.version
            )
        )
        self._uow.audit_log.record(
            tenant,
            kind=self._kind,
            key=stored.key,
            version=stored.version,
            action="remove",
            value=None,
        )


class Audit:
    """The audit trail: one row per write, in the write's transaction."""

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    def _rows(
        self, tenant: str, kind: str | None, key: str | None, idempotency_key: str | None = None
    ) -> list[AuditEntry]:
        c = audit.c
        criteria = [c.tenant == tenant]
        if idempotency_key is not None:
            criteria.append(c.idempotency_key == idempotency_key)
        if kind is not None:
            criteria.append(c.kind == kind)
        if key is not None:
            criteria.append(c.key == key)
        rows = self._uow.connection.execute(
            sa.select(
                c.kind,
                c.key,
                c.version,
                c.action,
                c.actor,
                c.at,
                c.summary,
                c.idempotency_key,
                _stored(audit),
            )
            .where(*criteria)
            .order_by(c.id)
        )
        entries = []
        for row in rows:
            document = _parsed(row.document, audit, tenant, row.key)
            entries.append(
                AuditEntry(
                    tenant=tenant,
                    kind=row.kind,
                    key=row.key,
                    version=row.version,
                    action=row.action,
                    actor=row.actor,
                    at=datetime.fromisoformat(row.at),
                    summary=row.summary,
                    document=document,
                    idempotency_key=row.idempotency_key,
                )
            )
        return entries

    def by_key(self, tenant: str, idempotency_key: str) -> AuditEntry | None:
        """The entry of the tenant's write made with ``idempotency_key``, if any."""
        found = self._rows(tenant, None, None, idempotency_key)
        return found[0] if found else None

    def record(
        self,
        tenant: str,
        *,
        kind: str,
        key: str,
        version: int,
        action: AuditAction,
        value: object,
        idempotency_key: str | None = None,
        document: dict[str, Any] | None = None,
    ) -> None:
        """Write the entry of one write; ``document`` is ``value``'s, if already encoded."""
        # An add's summary compares with nothing: no need to read the last entry.
        before = (
            None
            if action == "add"
            else self._uow.connection.execute(
                _AUDIT_BEFORE, {"tenant": tenant, "kind": kind, "key": key}
            ).scalar_one_or_none()
        )
        entry = new_entry(
            tenant=tenant,
            kind=kind,
            key=key,
            version=version,
            action=action,
            value=value,
            before=_parsed(before, audit, tenant, key),
            actor=self._uow.actor,
            clock=self._uow.clock,
            idempotency_key=idempotency_key,
            document=document,
        )
        self._uow.connection.execute(
            _AUDIT_INSERT,
            {
                "tenant": tenant,
                "kind": kind,
                "key": key,
                "version": version,
                "action": action,
                "actor": entry.actor,
                "at": entry.at.isoformat(),
                "summary": entry.summary,
                "document": entry.document,
                "idempotency_key": idempotency_key,
            },
        )

    def list(
        self, tenant: str, *, kind: str | None = None, key: str | None = None
    ) -> tuple[AuditEntry, ...]:
        tenant = check_tenant(tenant)
        if kind is not None:
            kind = check_kind(kind)
        return tuple(self._rows(tenant, kind, key))

    def as_of(self, tenant: str, kind: str, key: str, version: int) -> Versioned[Any]:
        tenant = check_tenant(tenant)
        return read_version(self._rows(tenant, check_kind(kind), key), tenant, kind, key, version)


class Contracts(_Rows[Contract]):
    """Contracts, with the fields ContractQuery filters on copied into columns."""

    def __init__(self, uow: SqlUnitOfWork) -> None:
        super().__init__(uow, contracts, "id", Contract, kind="contract", key_of=lambda c: c.id)

    def _columns(self, value: Contract) -> dict[str, Any]:
        return {
            "number": value.number,
            "customer_id": value.customer_id,
            "status": value.status.value,
            "term_months": value.term_months,
            "start_date": value.start_date,
            "end_date": value.end_date,
            "created_on": value.created_on,
        }

    def add(
        self, tenant: str, contract: Contract, *, idempotency_key: str | None = None
    ) -> Versioned[Contract]:
        return self._insert(tenant, contract.id, contract, idempotency_key)

    def find(self, tenant: str, query: ContractQuery) -> tuple[Versioned[Contract], ...]:
        if not isinstance(query, ContractQuery):
            raise InvalidArgumentError(f"query must be a ContractQuery, got {query!r}")
        c = contracts.c
        criteria: list[sa.ColumnElement[bool]] = []
        for column, values in (
            (c.id, query.ids),
            (c.number, query.numbers),
            (c.customer_id, query.customer_ids),
            (c.term_months, query.term_months),
            (c.status, None if query.statuses is None else {s.value for s in query.statuses}),
        ):
            if values is not None:
                criteria.append(column.in_(sorted(values)))
        for column, first, last in (
            (c.start_date, query.start_from, query.start_to),
            (c.end_date, query.end_from, query.end_to),
            (c.created_on, query.created_from, query.created_to),
        ):
            if first is not None or last is not None:
                criteria.append(column.is_not(None))
            if first is not None:
                criteria.append(column >= first)
            if last is not None:
                criteria.append(column <= last)
        return self._select(tenant, *criteria)


class Policies(_Rows[SlaPolicy]):
    """SLA policies, stored by the caller's policy id."""

    def __init__(self, uow: SqlUnitOfWork) -> None:
        super().__init__(
            uow,
            documents,
            "key",
            SlaPolicy,
            kind="SLA policy",
            key_of=None,
            fixed={"kind": "sla_policy"},
        )

    def add(
        self,
        tenant: str,
        policy_id: str,
        policy: SlaPolicy,
        *,
        idempotency_key: str | None = None,
    ) -> Versioned[SlaPolicy]:
        if not isinstance(policy_id, str) or not policy_id.strip():
            raise InvalidArgumentError(f"policy_id must be a non-empty string, got {policy_id!r}")
        return self._insert(tenant, policy_id, policy, idempotency_key)


class Templates(_Rows[ContractTemplate]):
    """Contract templates, by template id."""

    def __init__(self, uow: SqlUnitOfWork) -> None:
        super().__init__(
            uow,
            documents,
            "key",
            ContractTemplate,
            kind="template",
            key_of=lambda t: t.name,
            fixed={"kind": "template"},
        )

    def add(
        self, tenant: str, template: ContractTemplate, *, idempotency_key: str | None = None
    ) -> Versioned[ContractTemplate]:
        return self._insert(tenant, template.name, template, idempotency_key)


#: Ids per IN (...) look-up of acknowledged actions.
_CHUNK = 500


def _utc_text(at: datetime) -> str:
    """An instant as stored in the wake-ups: UTC, ISO 8601, to the microsecond (sorts as text)."""
    return at.astimezone(UTC).isoformat(timespec="microseconds")


class Tickets(_Rows[Ticket]):
    """Tickets with their timelines, by ticket id."""

    def __init__(self, uow: SqlUnitOfWork) -> None:
        super().__init__(
            uow,
            documents,
            "key",
            Ticket,
            kind="ticket",
            key_of=lambda t: t.id,
            fixed={"kind": "ticket"},
        )

    def _wake(self, tenant: str, ticket: Ticket | None, key: str) -> None:
        connection = self._uow.connection
        w = wake_ups.c
        connection.execute(sa.delete(wake_ups).where(w.tenant == tenant, w.ticket_id == key))
        if ticket is None:
            return
        instants = stored_wake_ups(self._uow.sla_policies, tenant, ticket)
        if instants:
            connection.execute(
                sa.insert(wake_ups),
                [{"tenant": tenant, "ticket_id": key, "at": _utc_text(at)} for at in instants],
            )

    def add(
        self, tenant: str, ticket: Ticket, *, idempotency_key: str | None = None
    ) -> Versioned[Ticket]:
        stored = self._insert(tenant, ticket.id, ticket, idempotency_key)
        self._wake(tenant, stored.value, stored.key)
        return stored

    def save(
        self, tenant: str, stored: Versioned[Ticket], *, idempotency_key: str | None = None
    ) -> Versioned[Ticket]:
        saved = super().save(tenant, stored, idempotency_key=idempotency_key)
        self._wake(tenant, saved.value, saved.key)
        return saved

    def remove(self, tenant: str, stored: Versioned[Ticket]) -> None:
        super().remove(tenant, stored)
        self._wake(tenant, None, stored.key)

    def to_wake(
        self, tenant: str, until: datetime, *, after: datetime | None = None
    ) -> tuple[tuple[str, datetime], ...]:
        tenant = check_tenant(tenant)
        w = wake_ups.c
        criteria = [w.tenant == tenant, w.at <= _utc_text(check_instant(until, "until"))]
        if after is not None:
            criteria.append(w.at > _utc_text(check_instant(after, "after")))
        rows = self._uow.connection.execute(
            sa.select(w.ticket_id, sa.func.min(w.at).label("at"))
            .where(*criteria)
            .group_by(w.ticket_id)
        )
        found = sorted((row.at, row.ticket_id) for row in rows)
        return tuple((key, datetime.fromisoformat(at)) for at, key in found)

    def _acknowledged(self, tenant: str, ids: list[str]) -> set[str]:
        a = acknowledged_actions.c
        done: set[str] = set()
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            rows = self._uow.connection.execute(
                sa.select(a.id).where(a.tenant == tenant, a.id.in_(chunk))
            )
            done.update(row.id for row in rows)
        return done

    def pending_actions(self, tenant: str, now: datetime) -> tuple[PendingAction, ...]:
        tenant = check_tenant(tenant)
        now = check_instant(now, "now")
        tickets = (stored.value for stored in self._select(tenant))
        return pending_in(
            tenant,
            tickets,
            self._uow.sla_policies,
            now,
            lambda ids: self._acknowledged(tenant, ids),
        )

    def acknowledge(self, tenant: str, ids: Iterable[str]) -> int:
        tenant = check_tenant(tenant)
        wanted = sorted(set(check_action_ids(tenant, ids)))
        if not wanted:
            return 0
        fresh = [key for key in wanted if key not in self._acknowledged(tenant, wanted)]
        if not fresh:
            return 0
        at = _utc_text(self._uow.clock())
        rows = [
            {"tenant": tenant, "id": key, "acknowledged_at": at, "actor": self._uow.actor}
            for key in fresh
        ]
        # A concurrent acknowledgement of the same id loses the race on the
        # primary key and raises ConcurrencyError (nothing written): run it again.
        self._uow.connection.execute(sa.insert(acknowledged_actions), rows)
        return len(fresh)


class Numbering:
    """Each tenant's numbering: settings as a versioned document, the counter in its own row.

    ``allocate`` locks only the counter row; ``save`` locks the counter row,
    then updates the settings row where its version matches. Both take the
    counter first, so a unit of work that does both never deadlocks another.
    """

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._rows = _Rows(
            uow,
            documents,
            "key",
            ContractNumbering,
            kind="numbering",
            key_of=None,
            fixed={"kind": "numbering"},
        )
        self._uow = uow

    def _settings(self, tenant: str) -> Versioned[ContractNumbering]:
        try:
            return self._rows.get(tenant, tenant)
        except NotFoundError:
            return Versioned(tenant, ContractNumbering(), 0)

    def _sequence(self, tenant: str, *, lock: bool) -> NumberSequence | None:
        statement = sa.select(sequences.c.next_sequence, sequences.c.last_issued).where(
            sequences.c.tenant == tenant
        )
        row = self._uow.connection.execute(
            statement.with_for_update() if lock else statement
        ).first()
        return None if row is None else NumberSequence(row.next_sequence, row.last_issued)

    def _locked_sequence(self, tenant: str) -> NumberSequence:
        """The tenant's counter, locked until the transaction ends (created if missing)."""
        found = self._sequence(tenant, lock=True)
        if found is not None:
            return found
        connection = self._uow.connection
        row = {"tenant": tenant, "next_sequence": 1, "last_issued": None}
        statement = _insert_ignoring_duplicates(connection, sequences)
        # Ignoring a duplicate: another transaction may create the row at the same time.
        connection.execute(sa.insert(sequences) if statement is None else statement, row)
        found = self._sequence(tenant, lock=True)
        assert found is not None  # the row was just created
        return found

    def _store_sequence(self, tenant: str, sequence: NumberSequence) -> None:
        self._uow.connection.execute(
            sa.update(sequences)
            .where(sequences.c.tenant == tenant)
            .values(next_sequence=sequence.next_sequence, last_issued=sequence.last_issued)
        )

    def _ensure_settings_row(self, tenant: str) -> None:
        """Give the tenant a settings row at version 0, so a save can update it."""
        connection = self._uow.connection
        statement = _insert_ignoring_duplicates(connection, documents)
        row = {
            "tenant": tenant,
            "kind": "numbering",
            "key": tenant,
            "version": 0,
            "document": _documents.encode(ContractNumbering()),
        }
        if statement is not None:
            connection.execute(statement, row)
            return
        mine = (documents.c.tenant == tenant, documents.c.kind == "numbering")
        if connection.execute(sa.select(documents.c.key).where(*mine)).first() is None:
            connection.execute(sa.insert(documents), row)

    def get(self, tenant: str) -> Versioned[ContractNumbering]:
        tenant = check_tenant(tenant)
        settings = self._settings(tenant)
        sequence = self._sequence(tenant, lock=False) or NumberSequence()
        return settings.evolve(sequence.applied_to(settings.value))

    def save(
        self, tenant: str, stored: Versioned[ContractNumbering]
    ) -> Versioned[ContractNumbering]:
        tenant = check_tenant(tenant)
        check_key("numbering", stored.key, tenant)
        sequence = self._locked_sequence(tenant).raised_to(stored.value)
        self._ensure_settings_row(tenant)
        saved = self._rows.save(tenant, stored.evolve(sequence.applied_to(stored.value)))
        self._store_sequence(tenant, sequence)
        return saved

    def allocate(self, tenant: str, client_id: str, on: date) -> str:
        tenant = check_tenant(tenant)
        sequence = self._locked_sequence(tenant)
        # Read after the lock: the settings last committed before this number.
        number, issued = sequence.issue(self._settings(tenant).value, client_id, on)
        self._store_sequence(tenant, issued)
        return number


def copy_numbering_counters(connection: Connection) -> None:
    """Give each tenant with numbering settings its counter row (the upgrade to schema 3).

    Up to schema version 2 the counter lived in the settings document; a
    tenant that already has a counter row keeps it.
    """
    found = connection.execute(
        sa.select(documents.c.tenant, _stored(documents)).where(documents.c.kind == "numbering")
    )
    for tenant, document in list(found):
        numbering = read_stored(ContractNumbering, document, documents, tenant, tenant)
        row = {
            "tenant": tenant,
            "next_sequence": numbering.next_sequence,
            "last_issued": numbering.last_issued,
        }
        statement = _insert_ignoring_duplicates(connection, sequences)
        if statement is not None:
            connection.execute(statement, row)
        elif (
            connection.execute(
                sa.select(sequences.c.tenant).where(sequences.c.tenant == tenant)
            ).first()
            is None
        ):
            connection.execute(sa.insert(sequences), row)


class Invoices:
    """Invoiced lines, each (contract, service, period) once: schedules apply exactly once."""

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    def add(self, tenant: str, lines: tuple[InvoicedLine, ...]) -> None:
        tenant = check_tenant(tenant)
        for item in lines:
            check_id("contract_id", item.contract_id)
            check_id("service_id", item.line.service_id)
        connection = self._uow.connection
        t = invoice_lines.c
        keys = set()
        for item in lines:
            key = line_key(item.contract_id, item.line.service_id, item.line.period)
            taken = (
                key in keys
                or connection.execute(
                    sa.select(t.tenant).where(
                        t.tenant == tenant,
                        t.contract_id == item.contract_id,
                        t.service_id == item.line.service_id,
                        t.period_first == item.line.period.first,
                        t.period_last == item.line.period.last,
                    )
                ).first()
            )
            if taken:
                raise duplicate("invoice line", tenant, "/".join(key))
            keys.add(key)
        for item in lines:
            connection.execute(
                sa.insert(invoice_lines),
                {
                    "tenant": tenant,
                    "contract_id": item.contract_id,
                    "service_id": item.line.service_id,
                    "period_first": item.line.period.first,
                    "period_last": item.line.period.last,
                    "document": _documents.encode(item),
                },
            )

    def list(
        self, tenant: str, *, contract_id: str | None = None, period: Period | None = None
    ) -> tuple[InvoicedLine, ...]:
        tenant = check_tenant(tenant)
        connection = self._uow.connection
        t = invoice_lines.c
        criteria = [t.tenant == tenant]
        if contract_id is not None:
            criteria.append(t.contract_id == contract_id)
        if period is not None:
            criteria += [t.period_first == period.first, t.period_last == period.last]
        rows = list(
            connection.execute(
                sa.select(
                    t.period_first,
                    t.contract_id,
                    t.service_id,
                    t.period_last,
                    _stored(invoice_lines),
                ).where(*criteria)
            )
        )
        rows.sort(key=lambda row: (row[0], row[1], row[2], row[3]))  # code-point order
        return tuple(
            read_stored(
                InvoicedLine,
                row.document,
                invoice_lines,
                tenant,
                f"{row.contract_id}/{row.service_id}/{row.period_first}..{row.period_last}",
            )
            for row in rows
        )
