"""The in-memory backend: dictionaries behind a lock, with snapshot rollback."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable
from datetime import date, datetime
from types import TracebackType
from typing import Any, Generic, Self, TypeVar

import attrs

from contractcore.contracts import (
    Contract,
    ContractNumbering,
    ContractQuery,
    ContractTemplate,
)
from contractcore.errors import InvalidArgumentError
from contractcore.pricing import Period
from contractcore.repository._audit import (
    Clock,
    check_idempotency_key,
    check_kind,
    new_entry,
    read_version,
    replayed,
)
from contractcore.repository._common import (
    RepositoryAccess,
    check_actor,
    check_id,
    check_key,
    check_tenant,
    duplicate,
    line_key,
    missing,
    stale,
    utc_now,
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
from contractcore.repository._sequence import NumberSequence
from contractcore.repository._wakeups import check_instant, stored_wake_ups
from contractcore.sla import SlaPolicy

__all__ = ["InMemoryStore", "InMemoryUnitOfWork"]

T = TypeVar("T")
_Rows = dict[tuple[str, str], tuple[int, Any]]
#: The value of a removed row.
_REMOVED: Any = object()


class _Audit:
    """The audit trail: entries in write order, keyed by (tenant, position)."""

    def __init__(self, rows: _Rows, uow: InMemoryUnitOfWork) -> None:
        self._rows = rows
        self._uow = uow

    def _entries(self, tenant: str, kind: str | None, key: str | None) -> list[AuditEntry]:
        found = sorted(
            (position, entry)
            for (owner, _), (position, entry) in self._rows.items()
            if owner == tenant
            and (kind is None or entry.kind == kind)
            and (key is None or entry.key == key)
        )
        return [entry for _, entry in found]

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
    ) -> None:
        # The key's last entry: the newest rows come last, so look from the end.
        before = next(
            (
                entry.document
                for (owner, _), (_, entry) in reversed(self._rows.items())
                if owner == tenant and entry.kind == kind and entry.key == key
            ),
            None,
        )
        position = len(self._rows) + 1
        self._rows[tenant, f"{position:012d}"] = (
            position,
            new_entry(
                tenant=tenant,
                kind=kind,
                key=key,
                version=version,
                action=action,
                value=value,
                before=before,
                actor=self._uow.actor,
                clock=self._uow.clock,
                idempotency_key=idempotency_key,
            ),
        )

    def by_key(self, tenant: str, idempotency_key: str) -> AuditEntry | None:
        """The entry of the tenant's write made with ``idempotency_key``, if any."""
        for (owner, _), (_, entry) in self._rows.items():
            if owner == tenant and entry.idempotency_key == idempotency_key:
                found: AuditEntry = entry
                return found
        return None

    def list(
        self, tenant: str, *, kind: str | None = None, key: str | None = None
    ) -> tuple[AuditEntry, ...]:
        tenant = check_tenant(tenant)
        if kind is not None:
            kind = check_kind(kind)
        return tuple(self._entries(tenant, kind, key))

    def as_of(self, tenant: str, kind: str, key: str, version: int) -> Versioned[Any]:
        return read_version(
            self._entries(check_tenant(tenant), check_kind(kind), key), tenant, kind, key, version
        )


class _Table(Generic[T]):
    """Versioned rows of one aggregate kind, keyed by (tenant, key)."""

    def __init__(
        self, rows: _Rows, kind: str, key_of: Callable[[T], str] | None, audit: _Audit
    ) -> None:
        self._rows = rows
        self._kind = kind
        self._key_of = key_of
        self._audit = audit

    def _replay(
        self, tenant: str, key: str, action: AuditAction, idempotency_key: str | None
    ) -> Versioned[T] | None:
        if check_idempotency_key(idempotency_key) is None:
            return None
        assert idempotency_key is not None
        return replayed(self._audit.by_key(tenant, idempotency_key), self._kind, key, action)

    def _insert(
        self, tenant: str, key: str, value: T, idempotency_key: str | None = None
    ) -> Versioned[T]:
        tenant = check_tenant(tenant)
        key = check_id(f"{self._kind} id", key)
        first = self._replay(tenant, key, "add", idempotency_key)
        if first is not None:
            return first
        found = self._rows.get((tenant, key))
        if found is not None and found[1] is not _REMOVED:
            raise duplicate(self._kind, tenant, key)
        # A key removed before goes on from its last version (as in SQL).
        version = 1 if found is None else found[0] + 1
        self._rows[tenant, key] = (version, value)
        self._audit.record(
            tenant,
            kind=self._kind,
            key=key,
            version=version,
            action="add",
            value=value,
            idempotency_key=idempotency_key,
        )
        return Versioned(key, value, version)

    def get(self, tenant: str, key: str) -> Versioned[T]:
        tenant = check_tenant(tenant)
        key = check_id(f"{self._kind} id", key)
        version, value = self._rows.get((tenant, key), (0, _REMOVED))
        if value is _REMOVED:
            raise missing(self._kind, tenant, key)
        return Versioned(key, value, version)

    def _all(self, tenant: str) -> list[Versioned[T]]:
        tenant = check_tenant(tenant)
        return [
            Versioned(key, value, version)
            for (owner, key), (version, value) in sorted(self._rows.items())
            if owner == tenant and value is not _REMOVED
        ]

    def list(self, tenant: str) -> tuple[Versioned[T], ...]:
        return tuple(self._all(tenant))

    def _current(self, tenant: str, stored: Versioned[T]) -> None:
        if self._key_of is not None:
            check_key(self._kind, stored.key, self._key_of(stored.value))
        version, value = self._rows.get((tenant, stored.key), (0, _REMOVED))
        if value is _REMOVED:
            raise missing(self._kind, tenant, stored.key)
        if version != stored.version:
            raise stale(self._kind, tenant, stored.key, stored.version, version)

    def save(
        self, tenant: str, stored: Versioned[T], *, idempotency_key: str | None = None
    ) -> Versioned[T]:
        tenant = check_tenant(tenant)
        first = self._replay(tenant, stored.key, "save", idempotency_key)
        if first is not None:
            return first
        self._current(tenant, stored)
        self._rows[tenant, stored.key] = (stored.version + 1, stored.value)
        self._audit.record(
            tenant,
            kind=self._kind,
            key=stored.key,
            version=stored.version + 1,
            action="save",
            value=stored.value,
            idempotency_key=idempotency_key,
        )
        return Versioned(stored.key, stored.value, stored.version + 1)

    def remove(self, tenant: str, stored: Versioned[T]) -> None:
        tenant = check_tenant(tenant)
        self._current(tenant, stored)
        # Kept as removed at its version, so adding the key again goes on from it.
        self._rows[tenant, stored.key] = (stored.version, _REMOVED)
        self._audit.record(
            tenant,
            kind=self._kind,
            key=stored.key,
            version=stored.version,
            action="remove",
            value=None,
        )


class _Contracts(_Table[Contract]):
    def add(
        self, tenant: str, contract: Contract, *, idempotency_key: str | None = None
    ) -> Versioned[Contract]:
        return self._insert(tenant, contract.id, contract, idempotency_key)

    def find(self, tenant: str, query: ContractQuery) -> tuple[Versioned[Contract], ...]:
        if not isinstance(query, ContractQuery):
            raise InvalidArgumentError(f"query must be a ContractQuery, got {query!r}")
        return tuple(s for s in self._all(tenant) if query.matches(s.value))


class _Policies(_Table[SlaPolicy]):
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


class _Templates(_Table[ContractTemplate]):
    def add(
        self, tenant: str, template: ContractTemplate, *, idempotency_key: str | None = None
    ) -> Versioned[ContractTemplate]:
        return self._insert(tenant, template.name, template, idempotency_key)


class _Tickets(_Table[Ticket]):
    def __init__(
        self,
        rows: _Rows,
        *,
        wakes: _Rows,
        acknowledged: _Rows,
        policies: _Policies,
        audit: _Audit,
        uow: InMemoryUnitOfWork,
    ) -> None:
        super().__init__(rows, "ticket", lambda t: t.id, audit)
        self._wakes = wakes
        self._acknowledged = acknowledged
        self._policies = policies
        self._uow = uow

    def _wake(self, tenant: str, ticket: Ticket | None, key: str) -> None:
        self._wakes.pop((tenant, key), None)
        if ticket is not None:
            self._wakes[tenant, key] = (0, stored_wake_ups(self._policies, tenant, ticket))

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
        until = check_instant(until, "until")
        if after is not None:
            after = check_instant(after, "after")
        due = []
        for (owner, key), (_, instants) in self._wakes.items():
            if owner != tenant:
                continue
            for at in instants:
                if (after is None or at > after) and at <= until:
                    due.append((at, key))
                    break
        return tuple((key, at) for at, key in sorted(due))

    def pending_actions(self, tenant: str, now: datetime) -> tuple[PendingAction, ...]:
        tenant = check_tenant(tenant)
        now = check_instant(now, "now")

        def acknowledged(ids: list[str]) -> set[str]:
            return {key for key in ids if (tenant, key) in self._acknowledged}

        tickets = (stored.value for stored in self._all(tenant))
        return pending_in(tenant, tickets, self._policies, now, acknowledged)

    def acknowledge(self, tenant: str, ids: Iterable[str]) -> int:
        tenant = check_tenant(tenant)
        new = 0
        at = self._uow.clock()
        for key in check_action_ids(tenant, ids):
            if (tenant, key) not in self._acknowledged:
                self._acknowledged[tenant, key] = (0, (at, self._uow.actor))
                new += 1
        return new


class _Numbering:
    """Settings versioned in one table, the counter in another (see ``_sequence``)."""

    def __init__(self, settings: _Rows, sequences: _Rows, audit: _Audit) -> None:
        self._settings = settings
        self._sequences = sequences
        self._audit = audit

    def _sequence(self, tenant: str) -> NumberSequence:
        sequence: NumberSequence = self._sequences.get((tenant, tenant), (0, NumberSequence()))[1]
        return sequence

    def _set_sequence(self, tenant: str, sequence: NumberSequence) -> None:
        changes = self._sequences.get((tenant, tenant), (0, None))[0]
        self._sequences[tenant, tenant] = (changes + 1, sequence)

    def get(self, tenant: str) -> Versioned[ContractNumbering]:
        tenant = check_tenant(tenant)
        version, settings = self._settings.get((tenant, tenant), (0, ContractNumbering()))
        return Versioned(tenant, self._sequence(tenant).applied_to(settings), version)

    def save(
        self, tenant: str, stored: Versioned[ContractNumbering]
    ) -> Versioned[ContractNumbering]:
        tenant = check_tenant(tenant)
        check_key("numbering", stored.key, tenant)
        version = self._settings.get((tenant, tenant), (0, None))[0]
        if version != stored.version:
            raise stale("numbering", tenant, tenant, stored.version, version)
        sequence = self._sequence(tenant).raised_to(stored.value)
        saved = sequence.applied_to(stored.value)
        self._settings[tenant, tenant] = (version + 1, saved)
        self._set_sequence(tenant, sequence)
        self._audit.record(
            tenant, kind="numbering", key=tenant, version=version + 1, action="save", value=saved
        )
        return Versioned(tenant, saved, version + 1)

    def allocate(self, tenant: str, client_id: str, on: date) -> str:
        tenant = check_tenant(tenant)
        settings = self._settings.get((tenant, tenant), (0, ContractNumbering()))[1]
        number, sequence = self._sequence(tenant).issue(settings, client_id, on)
        self._set_sequence(tenant, sequence)
        return number


class _Invoices:
    def __init__(self, rows: _Rows, by_contract: _Rows) -> None:
        self._rows = rows
        # (tenant, contract id) -> (1, the keys of its lines): a contract's lines
        # without a scan of every line. Tuples, so a rollback's copy restores it.
        self._by_contract = by_contract

    def add(self, tenant: str, lines: tuple[InvoicedLine, ...]) -> None:
        tenant = check_tenant(tenant)
        for item in lines:
            check_id("contract_id", item.contract_id)
            check_id("service_id", item.line.service_id)
        keys: dict[str, InvoicedLine] = {}
        for item in lines:
            parts = line_key(item.contract_id, item.line.service_id, item.line.period)
            # JSON, not "/".join: ids may contain "/" ("a/b" + "c" is not "a" + "b/c").
            key = json.dumps(parts)
            if (tenant, key) in self._rows or key in keys:
                raise duplicate("invoice line", tenant, "/".join(parts))
            keys[key] = item
        added: dict[str, list[str]] = {}
        for key, item in keys.items():
            self._rows[tenant, key] = (1, item)
            added.setdefault(item.contract_id, []).append(key)
        for contract_id, new in added.items():
            known = self._by_contract.get((tenant, contract_id), (1, ()))[1]
            self._by_contract[tenant, contract_id] = (1, (*known, *new))

    def list(
        self, tenant: str, *, contract_id: str | None = None, period: Period | None = None
    ) -> tuple[InvoicedLine, ...]:
        tenant = check_tenant(tenant)
        if contract_id is not None:
            keys = self._by_contract.get((tenant, contract_id), (1, ()))[1]
            candidates = [self._rows[tenant, key][1] for key in keys]
        else:
            candidates = [item for (owner, _), (_, item) in self._rows.items() if owner == tenant]
        found = [item for item in candidates if period is None or item.line.period == period]
        found.sort(
            key=lambda i: (
                i.line.period.first,
                i.contract_id,
                i.line.service_id,
                i.line.period.last,
            )
        )
        return tuple(found)


_TABLES = (
    "contracts",
    "sla_policies",
    "templates",
    "tickets",
    "numbering",
    "numbering_sequences",
    "invoices",
    "invoices_by_contract",
    "audit",
    "wake_ups",
    "acknowledged_actions",
)


@attrs.define
class InMemoryStore:
    """Committed data of the in-memory backend; share one between units of work.

    >>> store = InMemoryStore()
    >>> with InMemoryUnitOfWork(store) as uow:
    ...     uow.numbering.allocate("acme", "42", date(2026, 11, 23))
    '42-0001'
    """

    tables: dict[str, _Rows] = attrs.field(
        factory=lambda: {name: {} for name in _TABLES}, repr=False
    )
    lock: threading.RLock = attrs.field(factory=threading.RLock, repr=False)
    holder: int | None = attrs.field(default=None, init=False, repr=False, eq=False)


class InMemoryUnitOfWork(RepositoryAccess):
    """A unit of work over an :class:`InMemoryStore` (fast fakes for tests).

    ``actor`` (who writes) and ``clock`` (when) are recorded with every write
    in the audit trail (``uow.audit``), as on the SQL backend.

    Units of work on one store run one at a time (a lock is held for the
    ``with`` block, from any thread). Leaving the block with an exception
    restores the store as it was when the block began.

    >>> from contractcore.errors import ConcurrencyError
    >>> store = InMemoryStore()
    >>> try:
    ...     with InMemoryUnitOfWork(store) as uow:
    ...         number = uow.numbering.allocate("acme", "42", date(2026, 11, 23))
    ...         raise ConcurrencyError("boom")
    ... except ConcurrencyError:
    ...     pass
    >>> with InMemoryUnitOfWork(store) as uow:
    ...     uow.numbering.get("acme").value.next_sequence
    1
    """

    def __init__(
        self,
        store: InMemoryStore | None = None,
        *,
        actor: str | None = None,
        clock: Clock = utc_now,
    ) -> None:
        self.store = InMemoryStore() if store is None else store
        self.actor = check_actor(actor)
        self.clock = clock
        self._snapshot: dict[str, _Rows] | None = None
        tables = self.store.tables
        audit = self._audit = _Audit(tables["audit"], self)
        self._contracts = _Contracts(tables["contracts"], "contract", lambda c: c.id, audit)
        self._policies = _Policies(tables["sla_policies"], "SLA policy", None, audit)
        self._templates = _Templates(tables["templates"], "template", lambda t: t.name, audit)
        self._tickets = _Tickets(
            tables["tickets"],
            wakes=tables["wake_ups"],
            acknowledged=tables["acknowledged_actions"],
            policies=self._policies,
            audit=audit,
            uow=self,
        )
        self._numbering = _Numbering(tables["numbering"], tables["numbering_sequences"], audit)
        self._invoices = _Invoices(tables["invoices"], tables["invoices_by_contract"])

    def _open(self) -> None:
        if self._snapshot is None:
            raise InvalidArgumentError("use the unit of work inside a with block")

    def __enter__(self) -> Self:
        if self._snapshot is not None:
            raise InvalidArgumentError("this unit of work is already open")
        if self.store.holder == threading.get_ident():
            # The lock is re-entrant: a second unit of work would see the first's
            # uncommitted writes, and the first rolling back would undo its commit.
            raise InvalidArgumentError(
                "another unit of work on this store is open in this thread: close it first"
            )
        self.store.lock.acquire()
        self.store.holder = threading.get_ident()
        self._snapshot = {name: dict(rows) for name, rows in self.store.tables.items()}
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        snapshot, self._snapshot = self._snapshot, None
        try:
            if exc_type is not None and snapshot is not None:
                for name, rows in self.store.tables.items():
                    rows.clear()
                    rows.update(snapshot[name])
        finally:
            self.store.holder = None
            self.store.lock.release()
