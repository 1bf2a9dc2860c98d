"""Wake-ups (DESIGN 6.1): the instants a stored ticket's SLA state will change by itself."""

from __future__ import annotations

from datetime import datetime

from contractcore.errors import InvalidArgumentError, NotFoundError
from contractcore.repository._model import Ticket
from contractcore.repository._protocols import SlaPolicyRepository, UnitOfWork
from contractcore.sla import SlaPolicy, evaluate

__all__ = [
    "MAX_WAKE_UPS",
    "check_instant",
    "stored_wake_ups",
    "tickets_to_wake",
    "wake_ups",
]

#: At most this many upcoming changes are kept per ticket (warnings, deadlines).
MAX_WAKE_UPS = 16


def wake_ups(policy: SlaPolicy, ticket: Ticket) -> tuple[datetime, ...]:
    """Every instant after the ticket's last event at which its state changes, if nothing happens.

    Each is the ``next_change_at`` of evaluating at the one before (the first
    from the last event), so a scheduler woken at one finds the next stored.
    An empty tuple: nothing will change (resolved, no targets, all done).
    """
    if not ticket.events:
        return ()
    now = max(event.at for event in ticket.events)
    found: list[datetime] = []
    while len(found) < MAX_WAKE_UPS:
        following = evaluate(policy, ticket.events, now).next_change_at
        if following is None or following <= now:
            break
        found.append(following)
        now = following
    return tuple(found)


def stored_wake_ups(
    policies: SlaPolicyRepository, tenant: str, ticket: Ticket
) -> tuple[datetime, ...]:
    """:func:`wake_ups` under the ticket's stored policy (none if it has no stored policy)."""
    try:
        policy = policies.get(tenant, ticket.sla_policy_id).value
    except NotFoundError:
        return ()  # no stored policy, no clocks to wake for
    return wake_ups(policy, ticket)


def check_instant(value: object, name: str) -> datetime:
    """Return ``value`` if it is a timezone-aware datetime, else raise InvalidArgumentError."""
    if not isinstance(value, datetime) or value.utcoffset() is None:
        raise InvalidArgumentError(f"{name} must be a timezone-aware datetime, got {value!r}")
    return value


def tickets_to_wake(
    uow: UnitOfWork, tenant: str, until: datetime, *, after: datetime | None = None
) -> tuple[tuple[str, datetime], ...]:
    """The stored tickets whose SLA state changes by itself in ``(after, until]`` (one query).

    Opens and closes ``uow``. Pairs of ticket id and its earliest change in
    the window, by instant: a scheduler wakes at each, evaluates the ticket,
    and passes this call's ``until`` as the next call's ``after``.

    >>> from datetime import UTC, timedelta
    >>> from contractcore.repository import Ticket
    >>> from contractcore.sla import SlaPolicy, TicketCreated
    >>> from contractcore.testing import InMemoryUnitOfWork, InMemoryStore
    >>> store = InMemoryStore()
    >>> opened = datetime(2026, 11, 23, 15, tzinfo=UTC)
    >>> with InMemoryUnitOfWork(store) as uow:
    ...     _ = uow.sla_policies.add("acme", "gold", SlaPolicy(
    ...         name="Gold", response_within=timedelta(hours=1)))
    ...     _ = uow.tickets.add("acme", Ticket(id="1041", sla_policy_id="gold",
    ...                                        events=[TicketCreated(opened)]))
    >>> (ticket_id, at), = tickets_to_wake(InMemoryUnitOfWork(store), "acme",
    ...                                    opened + timedelta(days=1))
    >>> ticket_id, at.isoformat()  # the response breaches just after its 16:00 deadline
    ('1041', '2026-11-23T16:00:00.000001+00:00')
    """
    with uow:
        return uow.tickets.to_wake(tenant, until, after=after)
