"""A brute-force reference for next reply, periodic update and time in status.

Whole-minute inputs only. The reference steps minute by minute from the
creation to ``now``, applying the events by hand in list order, and asks the
calendar *definition* (:class:`tests.sla.reference.CalendarDefinition`)
whether each minute is open. Cycles are followed as DESIGN 3.7 words them,
never through the code under test.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from contractcore.sla import (
    CommentAdded,
    SlaPaused,
    SlaPolicy,
    SlaResumed,
    StatusChanged,
    TicketCreated,
    TicketEvent,
)
from tests.sla.reference import MINUTE, CalendarDefinition


@dataclass
class CycleReference:
    """One cycle: where it began and completed, and its clock's minutes."""

    start: datetime
    completed_at: datetime | None = None
    elapsed: timedelta = timedelta(0)
    reached_target_at: datetime | None = None  # the end of the minute it reached the target


@dataclass
class MetricsReference:
    """Everything the reference finds for one ticket at ``now``."""

    replies: list[CycleReference] = field(default_factory=list)
    updates: list[CycleReference] = field(default_factory=list)
    business: dict[str, timedelta] = field(default_factory=dict)
    real: dict[str, timedelta] = field(default_factory=dict)
    agent_work_elapsed: timedelta = timedelta(0)
    running_at_now: bool = False  # whether the next-reply/update clocks run at now
    agent_work_running_at_now: bool = False


@dataclass
class _State:
    status: str
    resolved: bool
    replied: bool
    manual: bool = False


def _count(cycle: CycleReference, target: timedelta | None, minute: datetime) -> None:
    cycle.elapsed += MINUTE
    if target is not None and cycle.reached_target_at is None and cycle.elapsed == target:
        cycle.reached_target_at = minute + MINUTE


def metrics_minutes(  # noqa: PLR0912 - a reference reads best as one loop
    policy: SlaPolicy,
    events: Sequence[TicketEvent],
    now: datetime,
    calendar: CalendarDefinition,
) -> MetricsReference:
    """Replay ``events`` up to ``now`` minute by minute (``now`` a whole minute)."""
    created = events[0]
    assert isinstance(created, TicketCreated)
    resolved = created.status in policy.resolved_statuses
    state = _State(status=created.status, resolved=resolved, replied=resolved)
    result = MetricsReference()
    start = created.at.astimezone(UTC)
    open_reply: CycleReference | None = None
    open_update: CycleReference | None = None if resolved else CycleReference(start)
    resumable: CycleReference | None = None  # the update interval a resolution ended
    if open_update is not None:
        result.updates.append(open_update)
    result.business[state.status] = result.real[state.status] = timedelta(0)
    pending = [event for event in events[1:] if event.at <= now]
    index = 0
    minute = start
    now = now.astimezone(UTC)
    while True:
        while index < len(pending) and pending[index].at.astimezone(UTC) <= minute:
            event = pending[index]
            index += 1
            at = event.at.astimezone(UTC)
            if isinstance(event, CommentAdded) and event.public:
                if event.author == "agent":
                    state.replied = True
                    if open_reply is not None:
                        open_reply.completed_at, open_reply = at, None
                    if not state.resolved and open_update is not None:
                        open_update.completed_at = at
                        open_update = CycleReference(at)
                        result.updates.append(open_update)
                elif (
                    event.author == "customer"
                    and state.replied
                    and not state.resolved
                    and open_reply is None
                ):
                    open_reply = CycleReference(at)
                    result.replies.append(open_reply)
            elif isinstance(event, StatusChanged):
                now_resolved = event.status in policy.resolved_statuses
                if now_resolved and not state.resolved:
                    state.replied = True
                    if open_reply is not None:
                        open_reply.completed_at, open_reply = at, None
                    if open_update is not None:
                        open_update.completed_at = at
                        resumable, open_update = open_update, None
                elif not now_resolved and state.resolved:  # reopened
                    if resumable is not None:  # the interval resumes
                        resumable.completed_at = None
                        open_update, resumable = resumable, None
                    else:  # created resolved: the first interval begins
                        open_update = CycleReference(at)
                        result.updates.append(open_update)
                state.resolved = now_resolved
                state.status = event.status
                result.business.setdefault(event.status, timedelta(0))
                result.real.setdefault(event.status, timedelta(0))
            elif isinstance(event, SlaPaused):
                state.manual = True
            elif isinstance(event, SlaResumed):
                state.manual = False
        paused = state.manual or state.status in policy.pause_statuses
        runs = not paused and not state.resolved
        works = (
            state.status in policy.agent_work_statuses
            and not paused
            and state.status not in policy.resolved_statuses
        )
        if minute >= now:
            result.running_at_now = runs
            result.agent_work_running_at_now = works
            break
        is_open = calendar.is_open(minute)
        result.real[state.status] += MINUTE
        if is_open:
            result.business[state.status] += MINUTE
            if runs and open_reply is not None:
                _count(open_reply, policy.next_reply_within, minute)
            if runs and open_update is not None:
                _count(open_update, policy.update_every, minute)
            if works:
                result.agent_work_elapsed += MINUTE
        minute += MINUTE
    return result
