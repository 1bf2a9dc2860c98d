"""Application services for stored tickets (DESIGN 6.1): one call each, over a unit of work.

Each opens and closes the unit of work it is given, as
:func:`~contractcore.repository.run_nightly_job` does, so a host never
re-implements get / evolve / save to append one event.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import attrs

from contractcore.errors import (
    EventOrderError,
    InvalidArgumentError,
    NotFoundError,
    UnknownReferenceError,
    UnknownStatusError,
)
from contractcore.repository._common import check_tenant
from contractcore.repository._model import Ticket, Versioned
from contractcore.repository._protocols import UnitOfWork
from contractcore.repository._wakeups import check_instant
from contractcore.sla import (
    Calendar,
    SlaPolicy,
    SlaStatus,
    StatusChanged,
    TicketCreated,
    TicketEvent,
    evaluate,
)
from contractcore.sla.reports import evaluate_many, triage

__all__ = [
    "DEFAULT_OPEN_STATUSES",
    "BoardRow",
    "SlaBoard",
    "evaluate_ticket",
    "open_ticket",
    "record_ticket_event",
    "sla_board",
]

DEFAULT_OPEN_STATUSES: frozenset[str] = frozenset({"Open"})
"""The working statuses a policy knows besides its pause and resolved ones, unless told."""


def _statuses(open_statuses: Iterable[str]) -> frozenset[str]:
    if isinstance(open_statuses, str):
        raise InvalidArgumentError(
            f"open_statuses must be a collection of status names, got {open_statuses!r}"
        )
    return frozenset(open_statuses)


def _policy_of(uow: UnitOfWork, tenant: str, ticket: Ticket) -> SlaPolicy:
    try:
        return uow.sla_policies.get(tenant, ticket.sla_policy_id).value
    except NotFoundError:
        raise UnknownReferenceError(
            f"ticket {ticket.id!r}: sla_policy_id {ticket.sla_policy_id!r} is not a stored "
            f"SLA policy of tenant {tenant!r}"
        ) from None


def _check_contract(uow: UnitOfWork, tenant: str, ticket: Ticket) -> None:
    if ticket.contract_id is None:
        return
    try:
        uow.contracts.get(tenant, ticket.contract_id)
    except NotFoundError:
        raise UnknownReferenceError(
            f"ticket {ticket.id!r}: contract_id {ticket.contract_id!r} is not a stored "
            f"contract of tenant {tenant!r}"
        ) from None


def _check_event(
    ticket: Ticket,
    event: TicketEvent,
    index: int,
    policy: SlaPolicy,
    known: frozenset[str],
) -> None:
    """Refuse ``event`` as ``ticket.events[index]`` (the events before it are the ticket's)."""
    if not isinstance(event, TicketEvent):
        msg = f"ticket {ticket.id!r}: event must be a TicketEvent, got {event!r}"
        raise InvalidArgumentError(msg)
    where = f"ticket {ticket.id!r}: events[{index}] ({type(event).__name__} at {event.at})"
    if index == 0 and not isinstance(event, TicketCreated):
        raise EventOrderError(f"{where} must be a TicketCreated: a timeline starts with it")
    if index > 0:
        if isinstance(event, TicketCreated):
            raise EventOrderError(f"{where}: the ticket was created already")
        last = ticket.events[index - 1].at
        if event.at < last:
            raise EventOrderError(
                f"{where} is before the ticket's last event at {last}: events are recorded "
                f"in time order"
            )
    if isinstance(event, TicketCreated | StatusChanged) and event.status not in known:
        raise UnknownStatusError(
            f"{where}: status {event.status!r} is not one policy {policy.name!r} knows "
            f"(pause, resolved or open statuses: {', '.join(sorted(known))})"
        )


def _known(policy: SlaPolicy, open_statuses: Iterable[str]) -> frozenset[str]:
    return policy.pause_statuses | policy.resolved_statuses | _statuses(open_statuses)


def open_ticket(
    uow: UnitOfWork,
    tenant: str,
    ticket: Ticket,
    *,
    open_statuses: Iterable[str] = DEFAULT_OPEN_STATUSES,
    idempotency_key: str | None = None,
) -> Versioned[Ticket]:
    """Store a new ticket, validated: its policy and contract exist, its timeline is sound.

    The timeline must start with a :class:`~contractcore.sla.TicketCreated`
    and be in time order, and every status in it must be one the policy
    knows: its ``pause_statuses``, its ``resolved_statuses`` or one of
    ``open_statuses`` (the host's working statuses; default ``{"Open"}``).
    Status names compare exactly, as the SLA engine compares them.

    Args:
        uow: A unit of work, not yet open (opened and closed here).
        tenant: The tenant.
        ticket: The ticket, usually with just its creation event.
        open_statuses: The statuses that keep the clocks running.
        idempotency_key: Passed to the store (a retried call returns the first result).

    Raises:
        UnknownReferenceError: The policy or the contract is not stored in the tenant.
        EventOrderError: The timeline does not start with the creation or is out of order.
        UnknownStatusError: A status the policy does not know.
        ConcurrencyError: The ticket id is taken.

    >>> from datetime import UTC, timedelta
    >>> from contractcore.testing import InMemoryUnitOfWork, InMemoryStore
    >>> store = InMemoryStore()
    >>> with InMemoryUnitOfWork(store) as uow:
    ...     _ = uow.sla_policies.add("acme", "gold", SlaPolicy(
    ...         name="Gold", response_within=timedelta(hours=1)))
    >>> opened = datetime(2026, 11, 23, 15, tzinfo=UTC)
    >>> open_ticket(InMemoryUnitOfWork(store), "acme", Ticket(
    ...     id="1041", sla_policy_id="gold", events=[TicketCreated(opened)])).version
    1
    """
    tenant = check_tenant(tenant)
    if not isinstance(ticket, Ticket):
        raise InvalidArgumentError(f"ticket must be a Ticket, got {ticket!r}")
    with uow:
        policy = _policy_of(uow, tenant, ticket)
        _check_contract(uow, tenant, ticket)
        known = _known(policy, open_statuses)
        if not ticket.events:
            raise EventOrderError(f"ticket {ticket.id!r}: events must start with a TicketCreated")
        for index, event in enumerate(ticket.events):
            _check_event(ticket, event, index, policy, known)
        return uow.tickets.add(tenant, ticket, idempotency_key=idempotency_key)


def record_ticket_event(
    uow: UnitOfWork,
    tenant: str,
    ticket_id: str,
    event: TicketEvent,
    *,
    open_statuses: Iterable[str] = DEFAULT_OPEN_STATUSES,
    idempotency_key: str | None = None,
) -> Versioned[Ticket]:
    """Append ``event`` to the stored ticket's timeline, validated, in one transaction.

    The event must not be before the ticket's last one (several at one
    instant keep the order they are recorded in), must not be a second
    creation, and a status it names must be one the ticket's policy knows
    (as for :func:`open_ticket`); the policy and the contract the ticket
    names must be stored. The ticket's wake-ups are kept right by the store.

    Given an ``idempotency_key``, a retry of a call that committed (after a
    timeout, say) returns the first result and appends nothing.

    Raises:
        NotFoundError: The tenant has no ticket ``ticket_id``.
        UnknownReferenceError: The ticket's policy or contract is not stored.
        EventOrderError: The event is before the ticket's last event, or a creation.
        UnknownStatusError: A status the policy does not know.
        ConcurrencyError: The ticket was saved by someone else meanwhile (run it again).

    >>> from datetime import UTC, timedelta
    >>> from contractcore.sla import CommentAdded
    >>> from contractcore.testing import InMemoryUnitOfWork, InMemoryStore
    >>> store = InMemoryStore()
    >>> opened = datetime(2026, 11, 23, 15, tzinfo=UTC)
    >>> with InMemoryUnitOfWork(store) as uow:
    ...     _ = uow.sla_policies.add("acme", "gold", SlaPolicy(
    ...         name="Gold", response_within=timedelta(hours=1)))
    ...     _ = uow.tickets.add("acme", Ticket(id="1041", sla_policy_id="gold",
    ...                                        events=[TicketCreated(opened)]))
    >>> reply = CommentAdded(opened + timedelta(minutes=20), public=True, author="agent")
    >>> record_ticket_event(InMemoryUnitOfWork(store), "acme", "1041", reply).version
    2
    >>> record_ticket_event(InMemoryUnitOfWork(store), "acme", "1041",  # doctest: +ELLIPSIS
    ...                     StatusChanged(opened + timedelta(minutes=30), status="Reslved"))
    Traceback (most recent call last):
    ...
    contractcore.errors.UnknownStatusError: ticket '1041': events[2] ... status 'Reslved' is ...
    """
    tenant = check_tenant(tenant)
    with uow:
        stored = uow.tickets.get(tenant, ticket_id)
        if idempotency_key is not None and any(
            entry.idempotency_key == idempotency_key
            for entry in uow.audit.list(tenant, kind="ticket", key=stored.key)
        ):
            # Done before: the store returns the first result (later events may follow it).
            return uow.tickets.save(tenant, stored, idempotency_key=idempotency_key)
        ticket = stored.value
        policy = _policy_of(uow, tenant, ticket)
        _check_contract(uow, tenant, ticket)
        _check_event(ticket, event, len(ticket.events), policy, _known(policy, open_statuses))
        changed = attrs.evolve(ticket, events=(*ticket.events, event))
        return uow.tickets.save(tenant, stored.evolve(changed), idempotency_key=idempotency_key)


def evaluate_ticket(
    uow: UnitOfWork,
    tenant: str,
    ticket_id: str,
    now: datetime,
    *,
    default_calendar: Calendar | None = None,
) -> SlaStatus:
    """The SLA status at ``now`` of a stored ticket, under its stored policy and calendar.

    The policy's own calendar is used; ``default_calendar`` for a policy
    without one (else 24x7 UTC), as in :func:`~contractcore.sla.evaluate`.

    Raises:
        NotFoundError: No such ticket.
        UnknownReferenceError: Its policy is not stored.
        InvalidTimelineError: The ticket was created after ``now``.

    >>> from datetime import UTC, timedelta
    >>> from contractcore.testing import InMemoryUnitOfWork, InMemoryStore
    >>> store = InMemoryStore()
    >>> opened = datetime(2026, 11, 23, 15, tzinfo=UTC)
    >>> with InMemoryUnitOfWork(store) as uow:
    ...     _ = uow.sla_policies.add("acme", "gold", SlaPolicy(
    ...         name="Gold", response_within=timedelta(hours=1)))
    ...     _ = uow.tickets.add("acme", Ticket(id="1041", sla_policy_id="gold",
    ...                                        events=[TicketCreated(opened)]))
    >>> evaluate_ticket(InMemoryUnitOfWork(store), "acme", "1041",
    ...                 opened + timedelta(hours=2)).response.state
    'breached'
    """
    tenant = check_tenant(tenant)
    now = check_instant(now, "now")
    with uow:
        ticket = uow.tickets.get(tenant, ticket_id).value
        policy = _policy_of(uow, tenant, ticket)
    return evaluate(policy, ticket.events, now, default_calendar=default_calendar)


@attrs.frozen(kw_only=True)
class BoardRow:
    """One open ticket on the SLA board: the stored ticket and its status."""

    ticket: Ticket
    status: SlaStatus


@attrs.frozen(kw_only=True)
class SlaBoard:
    """The tenant's open tickets at ``now`` in the order to work them (see ``triage``).

    Attributes:
        tenant: The tenant.
        now: The instant evaluated at.
        rows: The open tickets, breached first, then by earliest ``due_at``.
        stored: How many tickets the tenant has stored.
        resolved: How many of those are resolved at ``now`` (not on the board).
        not_created_yet: How many were created after ``now`` (not on the board).
    """

    tenant: str
    now: datetime
    rows: tuple[BoardRow, ...]
    stored: int
    resolved: int
    not_created_yet: int


def sla_board(
    uow: UnitOfWork,
    tenant: str,
    now: datetime,
    *,
    default_calendar: Calendar | None = None,
) -> SlaBoard:
    """The SLA board of the tenant's stored tickets at ``now``, worst first (one read).

    Raises:
        UnknownReferenceError: A ticket names a policy that is not stored.

    >>> from datetime import UTC, timedelta
    >>> from contractcore.testing import InMemoryUnitOfWork, InMemoryStore
    >>> store = InMemoryStore()
    >>> opened = datetime(2026, 11, 23, 15, tzinfo=UTC)
    >>> with InMemoryUnitOfWork(store) as uow:
    ...     _ = uow.sla_policies.add("acme", "gold", SlaPolicy(
    ...         name="Gold", response_within=timedelta(hours=1)))
    ...     for number, hours in (("1041", 0), ("1042", 2)):
    ...         _ = uow.tickets.add("acme", Ticket(id=number, sla_policy_id="gold",
    ...             events=[TicketCreated(opened - timedelta(hours=hours))]))
    >>> board = sla_board(InMemoryUnitOfWork(store), "acme", opened + timedelta(minutes=30))
    >>> [(row.ticket.id, row.status.color) for row in board.rows]
    [('1042', 'red'), ('1041', None)]
    """
    tenant = check_tenant(tenant)
    now = check_instant(now, "now")
    with uow:
        policies = {s.key: s.value for s in uow.sla_policies.list(tenant)}
        tickets = [s.value for s in uow.tickets.list(tenant)]
    for ticket in tickets:
        if ticket.sla_policy_id not in policies:
            raise UnknownReferenceError(
                f"ticket {ticket.id!r}: sla_policy_id {ticket.sla_policy_id!r} is not a stored "
                f"SLA policy of tenant {tenant!r}"
            )
    # A board of a past moment leaves out the tickets not created yet.
    existing = [t for t in tickets if t.events and t.events[0].at <= now]
    by_id = {t.id: t for t in existing}
    statuses = list(
        evaluate_many(
            ((t.id, policies[t.sla_policy_id], t.events) for t in existing),
            now,
            default_calendar=default_calendar,
        )
    )
    ordered = triage(statuses)
    return SlaBoard(
        tenant=tenant,
        now=now,
        rows=tuple(BoardRow(ticket=by_id[key], status=status) for key, status in ordered),
        stored=len(tickets),
        resolved=len(statuses) - len(ordered),
        not_created_yet=len(tickets) - len(existing),
    )
