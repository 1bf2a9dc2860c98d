"""Replay a ticket timeline into the spans where the SLA clocks run (private).

The replay checks the timeline (first event, order) and reduces it to
*change points*: the instants where the clocks' running state changes, each
with why the clocks stand still after it (a pause status, a manual pause, a
resolution) or ``RUNNING``. Both :func:`~contractcore.sla.evaluate` and
:func:`~contractcore.sla.explain` are built on it, so they cannot disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Final

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


class Replay:
    """The reduced timeline of one ticket up to ``now``."""

    __slots__ = ("changes", "created_at", "priorities", "resolved_at", "response_done_at")

    def __init__(
        self,
        created_at: datetime,
        changes: list[Change],
        response_done_at: datetime | None,
        resolved_at: datetime | None,
        priorities: list[tuple[datetime, str | int | None]],
    ) -> None:
        self.created_at = created_at
        #: Change points in time order, the first at creation; each holds until
        #: the next one (or ``now``). A response completing adds a point even
        #: when the reason does not change, so no span straddles it.
        self.changes = changes
        #: When the response target completed (agent reply or first resolution).
        self.response_done_at = response_done_at
        #: When the ticket last entered a resolved status, if it is resolved at ``now``.
        self.resolved_at = resolved_at
        #: ``(instant, priority)`` in time order, starting at creation.
        self.priorities = priorities

    def priority_at(self, instant: datetime) -> str | int | None:
        """The ticket's priority in effect at ``instant`` (changes at that instant count)."""
        current = self.priorities[0][1]
        for at, priority in self.priorities:
            if at > instant:
                break
            current = priority
        return current


def _code(status: str, manual: bool, resolved: bool, pause_statuses: frozenset[str]) -> int:
    if resolved:
        return RESOLVED
    if manual:
        return MANUAL
    if status in pause_statuses:
        return PAUSE_STATUS
    return RUNNING


_STATUS, _COMMENT, _PAUSE, _RESUME, _PRIORITY = range(5)
#: Event kinds by exact type: one dictionary lookup per event instead of a
#: chain of isinstance checks (subclasses go through :func:`_kind_of`).
_KINDS: dict[type, int] = {
    StatusChanged: _STATUS,
    CommentAdded: _COMMENT,
    SlaPaused: _PAUSE,
    SlaResumed: _RESUME,
    PriorityChanged: _PRIORITY,
}


def _kind_of(event: object, index: int) -> int:
    """The kind of an event of a subclass, or raise for anything that is no event."""
    if isinstance(event, TicketCreated):
        msg = f"{_describe(index, event)} is a second TicketCreated: a ticket is created once"
        raise InvalidTimelineError(msg)
    for kind_type, kind in _KINDS.items():
        if isinstance(event, kind_type):
            return kind
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
    created = first.at
    if created > now:
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
            if at > now:
                break
        except (AttributeError, TypeError):
            msg = f"{_describe(index, event)} is not a ticket event: {event!r}"
            raise InvalidTimelineError(msg) from None
        if at < previous:
            msg = (
                f"{_describe(index, event)} is before events[{index - 1}] at "
                f"{previous.isoformat()}: events must be in time order"
            )
            raise InvalidTimelineError(msg)
        previous = at
        boundary = False
        kind = _KINDS.get(type(event))
        if kind is None:
            kind = _kind_of(event, index)
        if kind == _STATUS:
            assert isinstance(event, StatusChanged)
            status = event.status
            if status in resolved_statuses:
                if not resolved:
                    resolved = True
                    resolved_at = at
                    if response_done_at is None:
                        response_done_at = at
                        boundary = True
            else:
                resolved = False
                resolved_at = None
        elif kind == _COMMENT:
            assert isinstance(event, CommentAdded)
            if response_done_at is None and event.public and event.author == "agent":
                response_done_at = at
                boundary = True
        elif kind == _PAUSE:
            manual = True
        elif kind == _RESUME:
            manual = False
        else:
            assert isinstance(event, PriorityChanged)
            priorities.append((at, event.priority))
            continue
        # _code(), inlined: this loop is the hot path of evaluate_many.
        if resolved:
            new_code = RESOLVED
        elif manual:
            new_code = MANUAL
        elif status in pause_statuses:
            new_code = PAUSE_STATUS
        else:
            new_code = RUNNING
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
    return Replay(created, changes, response_done_at, resolved_at, priorities)
