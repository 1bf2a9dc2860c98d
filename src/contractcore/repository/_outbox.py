"""Actions as an outbox (DESIGN 6.1): stable ids, what is pending, what was acknowledged.

Shared by every backend: a backend keeps only the acknowledged ids; what is
due is computed here from the stored tickets and policies, so every backend
lists the same actions under the same ids.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from urllib.parse import quote

from contractcore.errors import InvalidArgumentError, NotFoundError
from contractcore.repository._common import check_tenant
from contractcore.repository._model import PendingAction, Ticket
from contractcore.repository._protocols import SlaPolicyRepository, UnitOfWork
from contractcore.sla import Action, AssignTechnician, Notify, SetPriority, SlaPolicy, evaluate

__all__ = [
    "action_id",
    "check_action_ids",
    "due_actions",
    "pending_actions",
    "pending_in",
]


def _part(text: str) -> str:
    # ":" separates the parts and "%" escapes: both are percent-encoded in ids,
    # so ("a:b", "c") and ("a", "b:c") never give the same id.
    return quote(text, safe="")


def action_id(tenant: str, ticket_id: str, action: Action, *, cycle: int = 1) -> str:
    """The stable id of one of a ticket's actions: ``tenant:ticket:target:cycle:level:kind``.

    ``target`` is ``response`` or ``resolution`` (``ticket`` for the actions
    at creation); ``cycle`` counts the target's cycles from 1; ``level`` is
    ``warning`` or ``breach`` (``created`` for the actions at creation);
    ``kind`` is ``notify``, ``assign`` or ``priority``. The tenant and the
    ticket id are percent-encoded where they hold ``:``, ``%`` or other
    characters outside letters, digits and ``_.-~``. The id does not hold the
    instant: an action moved by a later event (a pause) keeps its id.

    >>> from datetime import UTC, datetime
    >>> breach = Notify(at=datetime(2026, 11, 23, 16, tzinfo=UTC), kind="breach",
    ...                 target="response")
    >>> action_id("acme", "1041", breach)
    'acme:1041:response:1:breach:notify'
    >>> action_id("acme", "a:b", breach)
    'acme:a%3Ab:response:1:breach:notify'
    """
    target: str
    level: str
    if isinstance(action, Notify):
        target, level, kind = action.target, action.kind, "notify"
    elif isinstance(action, AssignTechnician):
        if action.reason == "breach" and action.target is not None:
            target, level = action.target, "breach"
        else:
            target, level = "ticket", "created"
        kind = "assign"
    elif isinstance(action, SetPriority):
        target, level, kind = "ticket", "created", "priority"
    else:
        raise InvalidArgumentError(f"action must be an SLA action, got {action!r}")
    return ":".join([_part(tenant), _part(ticket_id), target, str(cycle), level, kind])


def due_actions(
    tenant: str, ticket: Ticket, policy: SlaPolicy, now: datetime
) -> tuple[PendingAction, ...]:
    """The ticket's actions due at ``now`` (its status at ``now`` shows them), with their ids.

    An action whose condition no longer held when it fell due (the reply
    came before the warning) is not among them: the status at ``now`` has no
    such action. A ticket created after ``now`` has none.
    """
    if not ticket.events or ticket.events[0].at > now:
        return ()
    status = evaluate(policy, ticket.events, now)
    return tuple(
        PendingAction(id=action_id(tenant, ticket.id, action), ticket_id=ticket.id, action=action)
        for action in status.due_actions
    )


def check_action_ids(tenant: str, ids: Iterable[str]) -> tuple[str, ...]:
    """The ids, checked to be action ids of ``tenant`` (else InvalidArgumentError)."""
    if isinstance(ids, str):
        raise InvalidArgumentError(f"ids must be a collection of action ids, got {ids!r}")
    checked = tuple(ids)
    prefix = f"{_part(tenant)}:"
    for index, value in enumerate(checked):
        if not isinstance(value, str) or not value.startswith(prefix) or len(value.split(":")) != 6:
            raise InvalidArgumentError(
                f"ids[{index}] must be an action id of tenant {tenant!r} "
                f"(tenant:ticket:target:cycle:level:kind), got {value!r}"
            )
    return checked


def pending_in(
    tenant: str,
    tickets: Iterable[Ticket],
    policies: SlaPolicyRepository,
    now: datetime,
    acknowledged: Callable[[list[str]], set[str]],
) -> tuple[PendingAction, ...]:
    """The backends' ``pending_actions``: due minus ``acknowledged(candidate_ids)``.

    Tickets without a stored policy have no actions (as they have no wake-ups).
    """
    found: list[PendingAction] = []
    cache: dict[str, SlaPolicy | None] = {}
    for ticket in tickets:
        key = ticket.sla_policy_id
        if key not in cache:
            try:
                cache[key] = policies.get(tenant, key).value
            except NotFoundError:
                cache[key] = None
        policy = cache[key]
        if policy is not None:
            found.extend(due_actions(tenant, ticket, policy, now))
    done = acknowledged([item.id for item in found]) if found else set()
    pending = [item for item in found if item.id not in done]
    pending.sort(key=lambda item: (item.action.at, item.ticket_id, item.id))
    return tuple(pending)


def pending_actions(uow: UnitOfWork, tenant: str, now: datetime) -> tuple[PendingAction, ...]:
    """The tenant's actions due at ``now`` and not yet acknowledged (opens and closes ``uow``).

    A delivering process lists them, delivers each, and calls
    ``uow.tickets.acknowledge(tenant, ids)`` in the unit of work that records
    its delivery: then each action is delivered exactly once, across crashes.

    >>> from datetime import UTC, timedelta
    >>> from contractcore.sla import SlaPolicy, TicketCreated
    >>> from contractcore.testing import InMemoryUnitOfWork, InMemoryStore
    >>> store = InMemoryStore()
    >>> opened = datetime(2026, 11, 23, 15, tzinfo=UTC)
    >>> with InMemoryUnitOfWork(store) as uow:
    ...     _ = uow.sla_policies.add("acme", "gold", SlaPolicy(
    ...         name="Gold", response_within=timedelta(hours=1)))
    ...     _ = uow.tickets.add("acme", Ticket(id="1041", sla_policy_id="gold",
    ...                                        events=[TicketCreated(opened)]))
    >>> later = opened + timedelta(hours=2)
    >>> [a.id for a in pending_actions(InMemoryUnitOfWork(store), "acme", later)]
    ['acme:1041:response:1:breach:notify']
    >>> with InMemoryUnitOfWork(store) as uow:
    ...     uow.tickets.acknowledge("acme", ["acme:1041:response:1:breach:notify"])
    1
    >>> pending_actions(InMemoryUnitOfWork(store), "acme", later)
    ()
    """
    tenant = check_tenant(tenant)
    with uow:
        return uow.tickets.pending_actions(tenant, now)
