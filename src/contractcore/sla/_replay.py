"""Replay a ticket timeline and measure its SLA clocks in one pass (private).

The replay checks the timeline (first event, order) and follows the ticket's
state event by event: its status, a manual pause, whether it is resolved,
whether the response has been given. Wherever the clocks start or stop, it
asks the *position* function (business time from a fixed origin, see
:mod:`contractcore.sla._meter`) where that instant lies, so it comes out
with the spans where the clocks ran, already measured.

:func:`~contractcore.sla.evaluate` is built on the spans;
:func:`~contractcore.sla.explain` also asks for the *states*, the ticket's
state after each event, and builds its segments from them. Both read the
same replay, so they cannot disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Final, NamedTuple

from contractcore.errors import InvalidTimelineError
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

__all__ = [
    "MANUAL",
    "PAUSE_STATUS",
    "RESOLVED",
    "RUNNING",
    "Replay",
    "Span",
    "State",
    "opened_at",
    "replay",
]

#: The clocks run.
RUNNING: Final = 0
#: The ticket's status is one of the policy's pause statuses.
PAUSE_STATUS: Final = 1
#: Someone paused the SLA by hand.
MANUAL: Final = 2
#: The ticket is resolved (the resolution clock is complete).
RESOLVED: Final = 3

#: ``(start, end)`` positions of a span where the clocks ran.
Span = tuple[timedelta, timedelta]
#: ``(instant, reason code, ticket status)``: the ticket's state from that instant on.
State = tuple[datetime, int, str]

_ZERO = timedelta(0)


class Replay(NamedTuple):
    """One ticket's timeline up to ``now``, replayed and measured (instants in UTC)."""

    #: When the ticket was created.
    created_at: datetime
    #: The spans where the clocks ran, in time order, as positions; the last
    #: one ends at ``now`` if the clocks run then. No span is empty.
    spans: list[Span]
    #: The business time the resolution clock counted (all the spans).
    elapsed: timedelta
    #: The position at ``now`` if the clocks run then, else None.
    running_at: timedelta | None
    #: When the response target completed (agent reply or first resolution).
    response_done_at: datetime | None
    #: The business time the response clock counted (up to the response, or ``now``).
    response_elapsed: timedelta
    #: When the ticket last entered a resolved status, if it is resolved at ``now``.
    resolved_at: datetime | None
    #: The ticket's priority at ``now`` (the policy's, if it sets one).
    priority: str | int | None
    #: The priority when the response completed (None while it has not).
    response_priority: str | int | None
    #: The priority when the ticket was resolved, if it is resolved at ``now``.
    resolved_priority: str | int | None


_new_tuple = tuple.__new__


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


def opened_at(events: Sequence[TicketEvent], now: datetime) -> datetime:
    """When the ticket was created (UTC), after checking that the timeline starts well.

    ``now`` may be in any zone (an aware datetime compares as the instant it is).

    Raises:
        InvalidTimelineError: empty timeline, first event not a
            ``TicketCreated``, or creation after ``now``.
    """
    if not events:
        msg = "events must start with a TicketCreated, got an empty timeline"
        raise InvalidTimelineError(msg)
    first = events[0]
    if not isinstance(first, TicketCreated):
        msg = f"{_describe(0, first)} must be a TicketCreated: a timeline starts with the creation"
        raise InvalidTimelineError(msg)
    created = first.at
    if created.tzinfo is not UTC:  # utc(), inlined: once per ticket
        created = created.astimezone(UTC)
    if created > now:
        msg = (
            f"{_describe(0, first)} is after now ({now.isoformat()}): the ticket did not exist yet"
        )
        raise InvalidTimelineError(msg)
    return created


# One loop on purpose: it is the hot path of evaluate_many, and a call per event
# would cost more than the branches.
def replay(  # noqa: PLR0912, PLR0915, PLR0917 - hot path, called positionally
    policy: SlaPolicy,
    events: Sequence[TicketEvent],
    created: datetime,
    until: datetime,
    position: Callable[[datetime], timedelta],
    states: list[State] | None = None,
) -> Replay:
    """Replay ``events`` up to ``until`` and measure where the clocks ran.

    ``created`` is :func:`opened_at` of the same timeline and ``until`` is
    ``now`` in UTC. Every instant is compared in UTC, whatever zones the
    events were recorded in: two times in one local zone compare by their
    wall-clock reading, which puts 01:10 after the clocks went back before
    01:30 the hour before; in UTC they compare as the instants they are.

    Events after ``until`` are not looked at (not even checked), so a past
    moment replays the same whatever was recorded later. If ``states`` is a
    list, the ticket's state at creation and after each event that can
    change it is appended to it, in time order.

    Raises:
        InvalidTimelineError: an event before the one it follows, a second
            ``TicketCreated``, or an object that is not an event; the message
            names the index.
    """
    first = events[0]
    pause_statuses = policy.pause_statuses
    resolved_statuses = policy.resolved_statuses
    status: str = first.status  # type: ignore[attr-defined]
    manual = False
    priority = first.priority if policy.priority is None else policy.priority  # type: ignore[attr-defined]
    spans: list[Span] = []
    elapsed = _ZERO
    # While the clocks run, ``start`` is the position where the running span began.
    start: timedelta | None = None
    response_elapsed: timedelta | None = None
    resolved_at: datetime | None
    response_done_at: datetime | None
    # The priority in effect when each target completed, in list order (a
    # change listed after the completion at the same instant comes too late).
    response_priority = resolved_priority = None
    if status in resolved_statuses:
        resolved_at = response_done_at = created
        response_elapsed = _ZERO
        response_priority = resolved_priority = priority
    else:
        resolved_at = response_done_at = None
        if status not in pause_statuses:
            start = position(created)
    if states is not None:
        states.append((created, _code(status, manual, resolved_at, pause_statuses), status))
    previous = created
    for index in range(1, len(events)):
        event = events[index]
        try:
            at = event.at
            if at.tzinfo is not UTC:  # utc(), inlined: once per event
                at = at.astimezone(UTC)
            if at > until:
                _check_rest_is_after(events, index + 1, until)
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
        if kind is CommentAdded:
            if (
                response_done_at is None
                and event.public  # type: ignore[attr-defined]
                and event.author == "agent"  # type: ignore[attr-defined]
            ):
                response_done_at = at
                response_elapsed = elapsed if start is None else elapsed + position(at) - start
                response_priority = priority
            continue
        if kind is StatusChanged:
            status = event.status  # type: ignore[attr-defined]
            if status in resolved_statuses:
                if resolved_at is None:
                    resolved_at = at
                    resolved_priority = priority
            else:
                resolved_at = None
        elif kind is SlaPaused:
            manual = True
        elif kind is SlaResumed:
            manual = False
        else:
            priority = event.priority  # type: ignore[attr-defined]
            continue
        if resolved_at is None and not manual and status not in pause_statuses:
            if start is None:  # the clocks start
                start = position(at)
        elif start is not None:  # the clocks stop
            end = position(at)
            if end > start:
                spans.append((start, end))
                elapsed += end - start
            start = None
        if response_done_at is None and resolved_at is not None:  # resolving responds
            response_done_at = resolved_at
            response_elapsed = elapsed
            response_priority = priority
        if states is not None:
            states.append((at, _code(status, manual, resolved_at, pause_statuses), status))
    running_at = None
    if start is not None:
        running_at = position(until)
        if running_at > start:
            spans.append((start, running_at))
            elapsed += running_at - start
    if response_elapsed is None:
        response_elapsed = elapsed
    # tuple.__new__ skips the generated __new__: this runs once per ticket.
    return _new_tuple(
        Replay,
        (
            created,
            spans,
            elapsed,
            running_at,
            response_done_at,
            response_elapsed,
            resolved_at,
            priority,
            response_priority,
            resolved_priority if resolved_at is not None else None,
        ),
    )


def _check_rest_is_after(events: Sequence[TicketEvent], first: int, until: datetime) -> None:
    """Refuse an event at or before ``until`` listed after one that is later than ``until``.

    Events after ``now`` are ignored, but an event that is not after ``now``
    cannot be ignored: listed after a later one, it is out of order. Objects
    after ``now`` that are not events are left alone (not looked at).
    """
    later = first - 1  # the last event seen that is after ``until``
    for index in range(first, len(events)):
        at = getattr(events[index], "at", None)
        if not isinstance(at, datetime) or at.utcoffset() is None:
            continue
        if at > until:
            later = index
            continue
        msg = (
            f"{_describe(index, events[index])} is before events[{later}] at "
            f"{events[later].at.isoformat()}: events must be in time order"
        )
        raise InvalidTimelineError(msg)


def _code(
    status: str, manual: bool, resolved_at: datetime | None, pause_statuses: frozenset[str]
) -> int:
    if resolved_at is not None:
        return RESOLVED
    if manual:
        return MANUAL
    if status in pause_statuses:
        return PAUSE_STATUS
    return RUNNING
