"""The events of a ticket's timeline, as the host records them.

A ticket is a list of these events in non-decreasing time order, starting
with :class:`TicketCreated`. The SLA engine replays the list; it never needs
the ticket itself.

>>> from datetime import UTC, datetime
>>> at = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)
>>> TicketCreated(at, status="Open", priority="P2")
TicketCreated(at=datetime.datetime(2026, 5, 4, 10, 0, tzinfo=...), status='Open', priority='P2')
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal, TypeAlias

import attrs

from contractcore.errors import InvalidArgumentError
from contractcore.sla._checks import check_aware, check_host_id, check_text

__all__ = [
    "AUTHORS",
    "CommentAdded",
    "PriorityChanged",
    "SlaPaused",
    "SlaResumed",
    "StatusChanged",
    "TicketCreated",
    "TicketEvent",
]

#: Who can write a comment: a help-desk agent, the customer, or an automation
#: (auto-responder, workflow rule).
AUTHORS = frozenset({"agent", "customer", "automation"})

Author: TypeAlias = Literal["agent", "customer", "automation"]


def _aware(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    check_aware(f"{type(instance).__name__}.{attribute.name}", value)


def _text(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    check_text(f"{type(instance).__name__}.{attribute.name}", value)


def _host_id(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    check_host_id(f"{type(instance).__name__}.{attribute.name}", value)


def _author(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value not in AUTHORS:
        msg = (
            f"{type(instance).__name__}.{attribute.name} must be one of "
            f"{', '.join(sorted(AUTHORS))}, got {value!r}"
        )
        raise InvalidArgumentError(msg)


def _bool(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, bool):
        msg = f"{type(instance).__name__}.{attribute.name} must be a bool, got {value!r}"
        raise InvalidArgumentError(msg)


@attrs.frozen
class TicketEvent:
    """Something that happened to a ticket at ``at``; the base of every timeline event.

    Use the concrete events below; the SLA engine refuses other subclasses.
    A list mixing them is typed ``list[TicketEvent]``.
    """

    at: datetime = attrs.field(validator=_aware)


@attrs.frozen
class TicketCreated(TicketEvent):
    """The ticket was opened, in ``status``; always the first event.

    Args:
        at: when the ticket was created.
        status: the ticket's first status (a host status name such as ``"Open"``).
        priority: the host's priority id for the ticket, if it has one. A
            policy with ``priority`` set overrides it (the policy *sets* the
            priority of its tickets).
    """

    status: str = attrs.field(default="Open", validator=_text)
    priority: str | int | None = attrs.field(default=None, validator=_host_id)


@attrs.frozen
class StatusChanged(TicketEvent):
    """The ticket moved to ``status`` (a host status name).

    >>> from datetime import UTC, datetime
    >>> StatusChanged(datetime(2026, 5, 4, 10, 20, tzinfo=UTC), "Waiting on Customer").status
    'Waiting on Customer'
    """

    status: str = attrs.field(validator=_text)


@attrs.frozen
class CommentAdded(TicketEvent):
    """Someone commented on the ticket.

    Only a *public* comment by an ``agent`` is a response; customers' own
    comments, private notes and automated replies never count.

    >>> from datetime import UTC, datetime
    >>> CommentAdded(datetime(2026, 5, 4, 12, 50, tzinfo=UTC), public=True, author="agent").author
    'agent'
    """

    public: bool = attrs.field(validator=_bool)
    author: Author = attrs.field(validator=_author)


@attrs.frozen
class SlaPaused(TicketEvent):
    """Someone paused every SLA timer of the ticket by hand (until :class:`SlaResumed`)."""


@attrs.frozen
class SlaResumed(TicketEvent):
    """Someone restarted the SLA timers paused by :class:`SlaPaused`."""


@attrs.frozen
class PriorityChanged(TicketEvent):
    """The ticket's priority changed; targets may depend on it (``targets_by_priority``).

    >>> from datetime import UTC, datetime
    >>> PriorityChanged(datetime(2026, 5, 4, 11, 0, tzinfo=UTC), "P1").priority
    'P1'
    """

    priority: str | int | None = attrs.field(validator=_host_id)
