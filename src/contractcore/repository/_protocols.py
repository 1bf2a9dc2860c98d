"""The repository and unit-of-work protocols every storage backend implements."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from types import TracebackType
from typing import Any, Protocol, Self

from contractcore.contracts import Contract, ContractNumbering, ContractQuery, ContractTemplate
from contractcore.pricing import Period
from contractcore.repository._model import (
    AuditEntry,
    InvoicedLine,
    PendingAction,
    Ticket,
    Versioned,
)
from contractcore.sla import SlaPolicy

__all__ = [
    "AuditRepository",
    "ContractRepository",
    "InvoiceRepository",
    "NumberingRepository",
    "SlaPolicyRepository",
    "TemplateRepository",
    "TicketRepository",
    "UnitOfWork",
]


class ContractRepository(Protocol):
    """Contracts with their services, schedules and watermarks (a Protocol).

    Every method takes the tenant first: nothing outside it is ever read or
    changed. Writes raise :class:`~contractcore.errors.NotFoundError` for a
    contract that is not stored in the tenant and
    :class:`~contractcore.errors.ConcurrencyError` for a stale copy; the stored
    contract is then left as it was.

    A write given an ``idempotency_key`` (``add`` and ``save`` of every
    repository take one) is done once: a retry with the same key, after a
    timeout say, returns the first write's result instead of failing; the
    key belongs to the tenant and to that one write (reusing it for another
    raises InvalidArgumentError).
    """

    def add(
        self, tenant: str, contract: Contract, *, idempotency_key: str | None = None
    ) -> Versioned[Contract]:
        """Store a new contract (ConcurrencyError if its id is taken).

        It is at version 1, or, if the key was removed before, at the version
        after the removed one: a copy read before the removal stays stale.
        """
        ...

    def get(self, tenant: str, contract_id: str) -> Versioned[Contract]:
        """Return the stored contract (NotFoundError if the tenant has none with that id)."""
        ...

    def find(self, tenant: str, query: ContractQuery) -> tuple[Versioned[Contract], ...]:
        """Return the tenant's contracts matching ``query``, ordered by id."""
        ...

    def save(
        self, tenant: str, stored: Versioned[Contract], *, idempotency_key: str | None = None
    ) -> Versioned[Contract]:
        """Replace the stored contract by ``stored.value``; returns it at the next version."""
        ...

    def remove(self, tenant: str, stored: Versioned[Contract]) -> None:
        """Delete the contract (the copy given must be current)."""
        ...


class SlaPolicyRepository(Protocol):
    """SLA policies, each under an id of the host's choosing (a Protocol).

    Contracts and tickets refer to a policy by that id (``sla_policy_id``).
    Same tenant scoping and errors as :class:`ContractRepository`.
    """

    def add(
        self,
        tenant: str,
        policy_id: str,
        policy: SlaPolicy,
        *,
        idempotency_key: str | None = None,
    ) -> Versioned[SlaPolicy]:
        """Store a new policy (ConcurrencyError if the id is taken).

        It is at version 1, or, if the key was removed before, at the version
        after the removed one: a copy read before the removal stays stale.
        """
        ...

    def get(self, tenant: str, policy_id: str) -> Versioned[SlaPolicy]:
        """Return the stored policy."""
        ...

    def list(self, tenant: str) -> tuple[Versioned[SlaPolicy], ...]:
        """Return the tenant's policies, ordered by id."""
        ...

    def save(
        self, tenant: str, stored: Versioned[SlaPolicy], *, idempotency_key: str | None = None
    ) -> Versioned[SlaPolicy]:
        """Replace the stored policy; returns it at the next version."""
        ...

    def remove(self, tenant: str, stored: Versioned[SlaPolicy]) -> None:
        """Delete the policy (the copy given must be current)."""
        ...


class TemplateRepository(Protocol):
    """Contract templates, keyed by their name (a Protocol)."""

    def add(
        self, tenant: str, template: ContractTemplate, *, idempotency_key: str | None = None
    ) -> Versioned[ContractTemplate]:
        """Store a new template (ConcurrencyError if the name is taken).

        It is at version 1, or, if the key was removed before, at the version
        after the removed one: a copy read before the removal stays stale.
        """
        ...

    def get(self, tenant: str, name: str) -> Versioned[ContractTemplate]:
        """Return the stored template."""
        ...

    def list(self, tenant: str) -> tuple[Versioned[ContractTemplate], ...]:
        """Return the tenant's templates, ordered by name."""
        ...

    def save(
        self,
        tenant: str,
        stored: Versioned[ContractTemplate],
        *,
        idempotency_key: str | None = None,
    ) -> Versioned[ContractTemplate]:
        """Replace the stored template; returns it at the next version."""
        ...

    def remove(self, tenant: str, stored: Versioned[ContractTemplate]) -> None:
        """Delete the template (the copy given must be current)."""
        ...


class TicketRepository(Protocol):
    """Tickets' SLA timelines, keyed by ticket id (a Protocol)."""

    def add(
        self, tenant: str, ticket: Ticket, *, idempotency_key: str | None = None
    ) -> Versioned[Ticket]:
        """Store a new ticket (ConcurrencyError if the id is taken).

        It is at version 1, or, if the key was removed before, at the version
        after the removed one: a copy read before the removal stays stale.
        """
        ...

    def get(self, tenant: str, ticket_id: str) -> Versioned[Ticket]:
        """Return the stored ticket."""
        ...

    def list(self, tenant: str) -> tuple[Versioned[Ticket], ...]:
        """Return the tenant's tickets, ordered by id."""
        ...

    def save(
        self, tenant: str, stored: Versioned[Ticket], *, idempotency_key: str | None = None
    ) -> Versioned[Ticket]:
        """Replace the stored ticket; returns it at the next version."""
        ...

    def remove(self, tenant: str, stored: Versioned[Ticket]) -> None:
        """Delete the ticket (the copy given must be current)."""
        ...

    def to_wake(
        self, tenant: str, until: datetime, *, after: datetime | None = None
    ) -> tuple[tuple[str, datetime], ...]:
        """The tickets whose SLA state changes by itself in ``(after, until]``: wake-ups.

        Every stored ticket keeps the instants its state will change if no
        event arrives (warnings, deadlines; computed from its stored policy
        on each add and save), so this is one indexed query: pairs of ticket
        id and its earliest such instant, by instant. A scheduler passes the
        ``until`` of its previous call as ``after``.
        """
        ...

    def pending_actions(self, tenant: str, now: datetime) -> tuple[PendingAction, ...]:
        """The actions due at ``now`` and not yet acknowledged: the outbox (DESIGN 6.1).

        The actions each stored ticket's status at ``now`` shows as due, under
        its stored policy, each under its stable id
        (:func:`~contractcore.repository.action_id`), less those acknowledged;
        by instant, then ticket id, then id. An action whose condition no
        longer held when it fell due (the reply came before the warning) is
        never pending.
        """
        ...

    def acknowledge(self, tenant: str, ids: Iterable[str]) -> int:
        """Mark the actions done; returns how many were not acknowledged before.

        Acknowledging an id twice changes nothing (so a retry is safe). Done in
        the unit of work, it commits with the host's own record of the delivery,
        or not at all: that is what makes delivery exactly-once.

        Raises:
            InvalidArgumentError: An id is not an action id of ``tenant``.
        """
        ...


class NumberingRepository(Protocol):
    """Each tenant's contract numbering (a Protocol).

    The store keeps the settings (prefix, format, minimum length, separator)
    apart from the sequence counter: the settings are versioned and saved
    optimistically, the counter is changed only by :meth:`allocate` and only
    ever goes up. A tenant that never saved settings has ``ContractNumbering()``
    at version 0 (with the counter where its allocations left it).
    """

    def get(self, tenant: str) -> Versioned[ContractNumbering]:
        """Return the tenant's settings at their version, with the current counter.

        ``next_sequence`` and ``last_issued`` are the counter's as it stands;
        the version counts settings saves only (allocating does not change it).
        """
        ...

    def save(
        self, tenant: str, stored: Versioned[ContractNumbering]
    ) -> Versioned[ContractNumbering]:
        """Replace the settings; returns them as stored, at the next version.

        The counter is never lowered, whatever object is saved: it becomes the
        higher of the stored counter and ``stored.value.next_sequence`` (and
        likewise ``last_issued``). Raise it with
        :func:`~contractcore.contracts.set_next_sequence` to jump ahead; a
        lower value, such as a fresh ``ContractNumbering(prefix="CT")`` or a
        copy read before some allocations, keeps the counter where it is. The
        returned copy carries the counter as stored.

        Raises:
            ConcurrencyError: The settings were saved since ``stored`` was read
                (allocations in between do not count).
        """
        ...

    def allocate(self, tenant: str, client_id: str, on: date) -> str:
        """Issue the next contract number atomically.

        Many processes allocating at once each get a different number, and
        none is lost: the sequence goes up by exactly one per allocation that
        commits. Rolling back the unit of work returns the number.
        """
        ...


class InvoiceRepository(Protocol):
    """Invoice lines written by invoice runs (a Protocol).

    A line is unique per tenant, contract, service and period.
    """

    def add(self, tenant: str, lines: tuple[InvoicedLine, ...]) -> None:
        """Store lines (ConcurrencyError if one is already stored for its period)."""
        ...

    def list(
        self, tenant: str, *, contract_id: str | None = None, period: Period | None = None
    ) -> tuple[InvoicedLine, ...]:
        """Return stored lines, by period start, contract id, service id and period end."""
        ...


class AuditRepository(Protocol):
    """The append-only audit trail of every write (a Protocol; DESIGN 6.1).

    Each add, save and removal of a contract, SLA policy, template, ticket or
    numbering settings appends an :class:`AuditEntry` in the same
    transaction: it commits with the write, or not at all.
    """

    def list(
        self, tenant: str, *, kind: str | None = None, key: str | None = None
    ) -> tuple[AuditEntry, ...]:
        """Return the tenant's entries, oldest first (optionally one kind, one key)."""
        ...

    def as_of(self, tenant: str, kind: str, key: str, version: int) -> Versioned[Any]:
        """Return the aggregate as it was at ``version`` (NotFoundError if never written)."""
        ...


class UnitOfWork(Protocol):
    """One transaction over every repository (a Protocol).

    Use it as a context manager: leaving the block normally commits, leaving
    it with any exception rolls everything back. The repositories are only
    usable inside the block.
    """

    @property
    def contracts(self) -> ContractRepository:
        """The contracts."""
        ...

    @property
    def sla_policies(self) -> SlaPolicyRepository:
        """The SLA policies."""
        ...

    @property
    def templates(self) -> TemplateRepository:
        """The contract templates."""
        ...

    @property
    def tickets(self) -> TicketRepository:
        """The tickets' SLA timelines."""
        ...

    @property
    def numbering(self) -> NumberingRepository:
        """The contract numbering."""
        ...

    @property
    def invoices(self) -> InvoiceRepository:
        """The invoice lines."""
        ...

    @property
    def audit(self) -> AuditRepository:
        """The audit trail."""
        ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None: ...
