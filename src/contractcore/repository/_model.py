"""What the repositories store besides the domain models: versions, tickets, invoice lines."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Generic, Literal, TypeVar

import attrs

from contractcore.errors import InvalidArgumentError
from contractcore.schedules import InvoiceLine
from contractcore.sla.events import TicketEvent
from contractcore.sla.status import Action

__all__ = ["AuditAction", "AuditEntry", "InvoicedLine", "PendingAction", "Ticket", "Versioned"]

T = TypeVar("T")


def _key(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        name = f"{type(instance).__name__}.{attribute.name}"
        raise InvalidArgumentError(f"{name} must be a non-empty string, got {value!r}")


def _version(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidArgumentError(f"version must be an int >= 0, got {value!r}")


@attrs.frozen
class Versioned(Generic[T]):
    """A stored aggregate with the version it was read at (optimistic concurrency).

    Every write bumps the version by one. Save the copy you read, with your
    changes (:meth:`evolve`): if someone saved in between, its version is
    stale and the save raises :class:`~contractcore.errors.ConcurrencyError`.

    Attributes:
        key: The aggregate's key in its tenant (a contract's id, a template's
            name, an SLA policy's id, a ticket's id; the tenant for numbering).
        value: The aggregate.
        version: The version read (1 after the first save; 0 for numbering
            never saved).

    >>> from contractcore.contracts import ContractNumbering
    >>> stored = Versioned("acme", ContractNumbering(prefix="CT"), 3)
    >>> stored.evolve(ContractNumbering(prefix="AC")).version
    3
    """

    key: str = attrs.field(validator=_key)
    value: T
    version: int = attrs.field(validator=_version)

    def evolve(self, value: T) -> Versioned[T]:
        """Return this stored copy holding ``value`` instead (same key and version)."""
        return Versioned(self.key, value, self.version)


def _events(value: Sequence[TicketEvent]) -> tuple[TicketEvent, ...]:
    events = tuple(value)
    for index, event in enumerate(events):
        if not isinstance(event, TicketEvent):
            raise InvalidArgumentError(
                f"Ticket.events[{index}] must be a TicketEvent, got {event!r}"
            )
    return events


def _optional_key(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        _key(instance, attribute, value)


@attrs.frozen(kw_only=True)
class Ticket:
    """A help-desk ticket as the SLA board needs it: its timeline and its policy.

    The host owns its tickets; it stores this copy so nightly jobs and the
    ``contractcore sla board`` command can evaluate the SLA clocks.

    Attributes:
        id: The host's ticket id.
        title: A short label for boards ("#1041 Acme").
        sla_policy_id: The id of the stored SLA policy the ticket runs under.
        contract_id: The contract the ticket belongs to, if any.
        customer_id: The customer, if known.
        events: The ticket's timeline, oldest first (``TicketCreated`` first).

    >>> from datetime import UTC, datetime
    >>> from contractcore.sla import TicketCreated
    >>> Ticket(id="1041", sla_policy_id="gold",
    ...        events=[TicketCreated(datetime(2026, 11, 23, 17, tzinfo=UTC))]).title
    ''
    """

    id: str = attrs.field(validator=_key)
    title: str = attrs.field(default="", validator=attrs.validators.instance_of(str))
    sla_policy_id: str = attrs.field(validator=_key)
    contract_id: str | None = attrs.field(default=None, validator=_optional_key)
    customer_id: str | None = attrs.field(default=None, validator=_optional_key)
    events: tuple[TicketEvent, ...] = attrs.field(default=(), converter=_events)


@attrs.frozen(kw_only=True)
class InvoicedLine:
    """An invoice line written by an invoice run, with the contract it bills.

    A line is stored once per contract, service and period: that is what makes
    :func:`~contractcore.repository.run_invoicing` exactly-once.

    Attributes:
        contract_id: The contract billed.
        line: The line (service, period, price, quantity, amount, breakdown).
    """

    contract_id: str = attrs.field(validator=_key)
    line: InvoiceLine


AuditAction = Literal["add", "save", "remove"]
"""What a write did to an aggregate."""


@attrs.frozen(kw_only=True)
class AuditEntry:
    """One write, as the append-only audit trail keeps it (DESIGN 6.1).

    Attributes:
        tenant: The tenant written to.
        kind: The aggregate kind: ``"contract"``, ``"SLA policy"``,
            ``"template"``, ``"ticket"`` or ``"numbering"``.
        key: The aggregate's key (its id; the tenant for numbering).
        version: The version the write produced (the last version for a removal).
        action: ``"add"``, ``"save"`` or ``"remove"``.
        actor: Who wrote, as given to the unit of work (``None`` if not given).
        at: When, from the unit of work's clock (timezone-aware, UTC).
        summary: What changed, for people (``"status, services"``).
        document: The aggregate's stored document at that version (``None``
            for a removal): what :meth:`AuditRepository.as_of
            <contractcore.repository.AuditRepository.as_of>` reads.
        idempotency_key: The key the write was given, if any.
    """

    tenant: str
    kind: str
    key: str
    version: int
    action: AuditAction
    actor: str | None
    at: datetime
    summary: str
    document: dict[str, Any] | None = attrs.field(default=None, repr=False)
    idempotency_key: str | None = None


@attrs.frozen(kw_only=True)
class PendingAction:
    """An action due and not yet acknowledged, under its stable id.

    Attributes:
        id: ``tenant:ticket:target:cycle:level:kind``
            (see :func:`~contractcore.repository.action_id`).
        ticket_id: The ticket it is about.
        action: The action (:class:`~contractcore.sla.Notify`,
            :class:`~contractcore.sla.AssignTechnician`,
            :class:`~contractcore.sla.SetPriority`), with the instant it fell due.
    """

    id: str
    ticket_id: str
    action: Action
