"""Replay a ticket timeline into the spans where the SLA clocks run (private).

The replay checks the timeline (first event, order) and reduces it to
*change points*: the instants where the clocks' running state changes, each
with why the clocks stand still after it (a pause status, a manual pause, a
resolution) or ``RUNNING``. Both :func:`~contractcore.sla.evaluate` and
:func:`~contractcore.sla.explain` are built on it, so they cannot disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Final, NamedTuple

from contractcore.errors import InvalidTimelineError
from contractcore.sla._meter import utc
from contractcore.sla.events import (
    CommentAdded,
    PriorityChanged,
    SlaPaused,
    SlaResumed,
    StatusChanged,
    TicketCreated,
    TicketEvent,
)
from contractcore.sla.policy import SlaPolicy

__all__ = ["MANUAL", "PAUSE_STATUS", "RESOLVED", "RUNNING", "Change", "Replay", "replay"]

#: The clocks run.
RUNNING: Final = 0
#: The ticket's status is one of the policy's pause statuses.
PAUSE_STATUS: Final = 1
#: Someone paused the SLA by hand.
MANUAL: Final = 2
#: The ticket is resolved (the resolution clock is complete).
RESOLVED: Final = 3

#: ``(instant, reason code, ticket status)`` from that instant on.
Change = tuple[datetime, int, str]


class Replay(NamedTuple):
    """The reduced timeline of one ticket up to ``now`` (every instant in UTC)."""

    #: When the ticket was created.
    created_at: datetime
    #: Change points in time order, the first at creation; each holds until
    #: the next one (or ``now``). A response completing adds a point even
    #: when the reason does not change, so no span straddles it.
    changes: list[Change]
    #: When the response target completed (agent reply or first resolution).
    response_done_at: datetime | None
    #: When the ticket last entered a resolved status, if it is resolved at ``now``.
    resolved_at: datetime | None
    #: ``(instant, priority)`` in time order, starting at creation.
    priorities: list[tuple[datetime, str | int | None]]

    def priority_at(self, instant: datetime) -> str | int | None:
        """The ticket's priority in effect at ``instant`` (changes at that instant count)."""
        current = self.priorities[0][1]
        for at, priority in self.priorities:
            if at > instant:
                break
            current = priority
        return current


_new_tuple = tuple.__new__


def _code(status: str, manual: bool, resolved: bool, pause_statuses: frozenset[str]) -> int:
    if resolved:
        return RESOLVED
    if manual:
        return MANUAL
    if status in pause_statuses:
        return PAUSE_STATUS
    return RUNNING


#: The event classes the replay knows; a subclass is replayed as the class it extends.
_EVENT_CLASSES = (StatusChanged, CommentAdded, SlaPaused, SlaResumed, PriorityChanged)
_KNOWN = frozenset(_EVENT_CLASSES)


def _class_of(event: object, index: int) -> type:
    """The event class an event of a subclass extends, or raise for anything that is no event."""
    if isinstance(event, TicketCreated):
        msg = f"{_describe(index, event)} is a second TicketCreated: a ticket is created once"
        raise InvalidTimelineError(msg)
    for event_class in _EVENT_CLASSES:
        if isinstance(event, event_class):
            return event_class
    msg = f"{_describe(index, event)} is not a ticket event: {event!r}"
    raise InvalidTimelineError(msg)


def _describe(index: int, event: object) -> str:
    at = getattr(event, "at", None)
    when = f" at {at.isoformat()}" if isinstance(at, datetime) else ""
    return f"events[{index}] ({type(event).__name__}{when})"


# One loop on purpose: it is the hot path of evaluate_many, and a call per event
# would cost more than the branches.
def replay(  # noqa: PLR0912, PLR0915
    policy: SlaPolicy, events: Sequence[TicketEvent], now: datetime
) -> Replay:
    """Check ``events`` and reduce those at or before ``now`` to change points.

    Every instant of the result is in UTC, whatever zones the events were
    recorded in: two times in one local zone compare by their wall-clock
    reading, which puts 01:10 after the clocks went back before 01:30 the
    hour before; in UTC they compare as the instants they are.

    Events after ``now`` are not looked at (not even checked), so a past
    moment replays the same whatever was recorded later.

    Raises:
        InvalidTimelineError: empty timeline, first event not a
            ``TicketCreated``, creation after ``now``, an event before the one
            it follows, a second ``TicketCreated``, or an object that is not
            an event; the message names the index.
    """
    if not events:
        msg = "events must start with a TicketCreated, got an empty timeline"
        raise InvalidTimelineError(msg)
    first = events[0]
    if not isinstance(first, TicketCreated):
        msg = f"{_describe(0, first)} must be a TicketCreated: a timeline starts with the creation"
        raise InvalidTimelineError(msg)
    until = utc(now)
    created = utc(first.at)
    if created > until:
        msg = (
            f"{_describe(0, first)} is after now ({now.isoformat()}): the ticket did not exist yet"
        )
        raise InvalidTimelineError(msg)
    pause_statuses = policy.pause_statuses
    resolved_statuses = policy.resolved_statuses
    status = first.status
    manual = False
    resolved = status in resolved_statuses
    code = _code(status, manual, resolved, pause_statuses)
    changes: list[Change] = [(created, code, status)]
    response_done_at = created if resolved else None
    resolved_at = created if resolved else None
    priorities: list[tuple[datetime, str | int | None]] = [
        (created, first.priority if policy.priority is None else policy.priority)
    ]
    previous = last_at = created
    last_code, last_status = code, status
    for index in range(1, len(events)):
        event = events[index]
        try:
            at = event.at
            if at.tzinfo is not UTC:  # utc(), inlined: once per event
                at = at.astimezone(UTC)
            if at > until:
                break
        except (AttributeError, TypeError):
            msg = f"{_describe(index, event)} is not a ticket event: {event!r}"
            raise InvalidTimelineError(msg) from None
        if at < previous:
            msg = (
                f"{_describe(index, event)} is before events[{index - 1}] at "
                f"{events[index - 1].at.isoformat()}: events must be in time order"
            )
            raise InvalidTimelineError(msg)
        previous = at
        kind = type(event)
        if kind not in _KNOWN:
            kind = _class_of(event, index)
        # Each branch works out the new reason code (see _code) and whether
        # the response completes here (a boundary even if the code stays).
        boundary = False
        if kind is StatusChanged:
            status = event.status  # type: ignore[attr-defined]
            if status in resolved_statuses:
                new_code = RESOLVED
                if not resolved:
                    resolved = True
                    resolved_at = at
                    if response_done_at is None:
                        response_done_at = at
                        boundary = True
            else:
                resolved = False
                resolved_at = None
                new_code = (
                    MANUAL if manual else PAUSE_STATUS if status in pause_statuses else RUNNING
                )
        elif kind is CommentAdded:
            if (
                response_done_at is not None
                or not event.public  # type: ignore[attr-defined]
                or event.author != "agent"  # type: ignore[attr-defined]
            ):
                continue  # not a response: nothing changes
            response_done_at = at
            boundary = True
            new_code = last_code  # the last change point holds the current reason
        elif kind is SlaPaused:
            manual = True
            new_code = RESOLVED if resolved else MANUAL
        elif kind is SlaResumed:
            manual = False
            new_code = (
                RESOLVED if resolved else PAUSE_STATUS if status in pause_statuses else RUNNING
            )
        else:
            priorities.append((at, event.priority))  # type: ignore[attr-defined]
            continue
        if last_at == at:
            changes[-1] = (at, new_code, status)
        elif (
            boundary
            or new_code != last_code
            or (new_code == PAUSE_STATUS and status != last_status)
        ):
            changes.append((at, new_code, status))
        else:
            continue
        last_at, last_code, last_status = at, new_code, status
    # tuple.__new__ skips the generated __new__: this runs once per ticket.
    return _new_tuple(Replay, (created, changes, response_done_at, resolved_at, priorities))
