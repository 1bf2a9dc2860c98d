"""Next reply, periodic update and time in status (private; DESIGN 3.7).

These metrics are opt-in on the policy, and measured in a pass of their own
after the replay of :mod:`contractcore.sla._replay`, so a policy without
them costs nothing more.

Next-reply and update cycles run exactly when the resolution clock runs
(not resolved, not paused by status or by hand), so each cycle's clock is
the replay's spans clipped to the cycle: from the position where it began
to the position where it completed (or on, while it is open). Time in
status reads a position at every status change instead, since pauses do not
stop it; the agent-work target counts the time in the agent-work statuses
while the SLA is not paused by hand.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import NamedTuple, TypeAlias

from contractcore.sla._meter import Meter
from contractcore.sla._replay import Replay, Span
from contractcore.sla.events import (
    CommentAdded,
    SlaPaused,
    SlaResumed,
    StatusChanged,
    TicketEvent,
)
from contractcore.sla.policy import SlaPolicy
from contractcore.sla.status import StatusTime, TargetStatus

__all__ = [
    "Cycle",
    "Judge",
    "Metrics",
    "clip",
    "measure_metrics",
    "reply_cycles",
    "update_cycles",
]

_ZERO = timedelta(0)
_FAR = timedelta.max

#: How one target is judged: :func:`contractcore.sla.clocks.target_status`,
#: passed in by the caller (clocks imports this module, not the reverse).
Judge: TypeAlias = Callable[
    [
        Callable[[timedelta], datetime],
        list[Span],
        timedelta,
        timedelta,
        timedelta | None,
        datetime | None,
        timedelta | None,
        datetime,
        datetime,
        list[tuple[datetime, int]],
    ],
    TargetStatus,
]


class Cycle(NamedTuple):
    """One cycle of a target: when it began and when it completed (None: still open)."""

    start: datetime
    end: datetime | None


class Metrics(NamedTuple):
    """What :func:`measure_metrics` finds for one ticket."""

    next_reply_cycles: tuple[TargetStatus, ...]
    update_cycles: tuple[TargetStatus, ...]
    status_times: tuple[StatusTime, ...]
    requester_wait: timedelta | None
    agent_work: timedelta | None
    agent_work_target: TargetStatus | None


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo is UTC else moment.astimezone(UTC)


def _events_until(events: Sequence[TicketEvent], until: datetime) -> list[tuple[datetime, object]]:
    """``(UTC instant, event)`` for the events after the creation up to ``until``.

    The replay has checked them already (order, kinds) up to ``until``.
    """
    found: list[tuple[datetime, object]] = []
    for index in range(1, len(events)):
        at = _utc(events[index].at)
        if at > until:
            break
        found.append((at, events[index]))
    return found


def reply_cycles(policy: SlaPolicy, events: Sequence[TicketEvent], until: datetime) -> list[Cycle]:
    """The next-reply cycles up to ``until`` (UTC), in time order.

    After the first reply (the first public agent comment, or the first
    resolution), a public customer comment made while no reply is owed and
    the ticket is not resolved starts a cycle; the next public agent comment
    completes it, and so does a resolution (it answers what was owed).
    """
    resolved_statuses = policy.resolved_statuses
    first = events[0]
    resolved = first.status in resolved_statuses  # type: ignore[attr-defined]
    replied = resolved
    cycles: list[Cycle] = []
    open_at: datetime | None = None
    for at, event in _events_until(events, until):
        if isinstance(event, CommentAdded):
            if not event.public:
                continue
            if event.author == "agent":
                replied = True
                if open_at is not None:
                    cycles.append(Cycle(open_at, at))
                    open_at = None
            elif event.author == "customer" and replied and not resolved and open_at is None:
                open_at = at
        elif isinstance(event, StatusChanged):
            now_resolved = event.status in resolved_statuses
            if now_resolved and not resolved:
                replied = True
                if open_at is not None:
                    cycles.append(Cycle(open_at, at))
                    open_at = None
            resolved = now_resolved
    if open_at is not None:
        cycles.append(Cycle(open_at, None))
    return cycles


def update_cycles(
    policy: SlaPolicy, events: Sequence[TicketEvent], created: datetime, until: datetime
) -> list[Cycle]:
    """The periodic-update intervals up to ``until`` (UTC), in time order.

    The first interval begins at creation (at the first reopening, for a
    ticket created resolved); each public agent comment made while the
    ticket is not resolved completes the interval and begins the next. The
    interval open when the ticket is resolved ends there and resumes if the
    ticket is reopened (like the resolution clock), so an interval still
    open at ``until`` on a resolved ticket is completed by that resolution
    (its end is the instant of the last resolution).
    """
    resolved_statuses = policy.resolved_statuses
    resolved = events[0].status in resolved_statuses  # type: ignore[attr-defined]
    started: datetime | None = None if resolved else created
    resolved_at: datetime | None = created if resolved else None
    cycles: list[Cycle] = []
    for at, event in _events_until(events, until):
        if isinstance(event, CommentAdded):
            if event.public and event.author == "agent" and not resolved and started is not None:
                cycles.append(Cycle(started, at))
                started = at
        elif isinstance(event, StatusChanged):
            now_resolved = event.status in resolved_statuses
            if now_resolved and not resolved:
                resolved_at = at
            elif not now_resolved and started is None:  # created resolved, reopened
                started = at
            resolved = now_resolved
    if started is not None:
        cycles.append(Cycle(started, resolved_at if resolved else None))
    return cycles


def clip(spans: list[Span], low: timedelta, high: timedelta) -> list[Span]:
    """The parts of ``spans`` (sorted positions) inside ``[low, high]``."""
    clipped: list[Span] = []
    for start, end in spans:
        if end <= low:
            continue
        if start >= high:
            break
        clipped.append((max(start, low), min(end, high)))
    return clipped


def _cycle_statuses(  # noqa: PLR0917 - private, called positionally
    cycles: list[Cycle],
    target: timedelta,
    timeline: Replay,
    meter: Meter,
    warn_before: timedelta | None,
    now: datetime,
    upcoming: list[tuple[datetime, int]],
    target_status: Judge,
) -> tuple[TargetStatus, ...]:
    statuses: list[TargetStatus] = []
    for start, end in cycles:
        low = meter.position(start)
        high = _FAR if end is None else meter.position(end)
        spans = clip(timeline.spans, low, high)
        elapsed = sum((b - a for a, b in spans), _ZERO)
        running_at = timeline.running_at if end is None else None
        statuses.append(
            target_status(
                meter.instant,
                spans,
                target,
                elapsed,
                running_at,
                end,
                warn_before,
                start,
                now,
                upcoming,
            )
        )
    return tuple(statuses)


def _time_in_status(  # noqa: PLR0917 - private, called positionally
    policy: SlaPolicy,
    events: Sequence[TicketEvent],
    timeline: Replay,
    until: datetime,
    meter: Meter,
    now: datetime,
    upcoming: list[tuple[datetime, int]],
    target_status: Judge,
) -> tuple[tuple[StatusTime, ...], timedelta, timedelta, TargetStatus | None]:
    created = timeline.created_at
    status: str = events[0].status  # type: ignore[attr-defined]
    manual = False
    business: dict[str, timedelta] = {status: _ZERO}
    real: dict[str, timedelta] = {status: _ZERO}
    work = policy.agent_work_statuses
    stops = policy.pause_statuses | policy.resolved_statuses
    since, since_position = created, meter.position(created)
    # The agent-work target's clock: its spans, and where the running one began.
    spans: list[Span] = []
    start: timedelta | None = since_position if status in work and status not in stops else None
    for at, event in _events_until(events, until):
        if isinstance(event, StatusChanged):
            position = meter.position(at)
            business[status] += position - since_position
            real[status] += at - since
            status, since, since_position = event.status, at, position
            business.setdefault(status, _ZERO)
            real.setdefault(status, _ZERO)
        elif isinstance(event, SlaPaused):
            manual = True
        elif isinstance(event, SlaResumed):
            manual = False
        else:
            continue
        runs = status in work and status not in stops and not manual
        if runs and start is None:
            start = meter.position(at)
        elif not runs and start is not None:
            end = meter.position(at)
            if end > start:
                spans.append((start, end))
            start = None
    position = meter.position(until)
    business[status] += position - since_position
    real[status] += until - since
    running_at = None
    if start is not None:
        running_at = position
        if position > start:
            spans.append((start, position))
    times = tuple(
        StatusTime(status=name, business=business[name], real=real[name]) for name in business
    )
    requester = sum(
        (business[name] for name in business if name in policy.requester_wait_statuses), _ZERO
    )
    agent = sum((business[name] for name in business if name in work), _ZERO)
    target = None
    if policy.agent_work_within is not None:
        target = target_status(
            meter.instant,
            spans,
            policy.agent_work_within,
            sum((b - a for a, b in spans), _ZERO),
            running_at,
            timeline.resolved_at,
            policy.warn_before,
            created,
            now,
            upcoming,
        )
    return times, requester, agent, target


def measure_metrics(  # noqa: PLR0917 - private, called positionally
    policy: SlaPolicy,
    events: Sequence[TicketEvent],
    timeline: Replay,
    until: datetime,
    meter: Meter,
    now: datetime,
    upcoming: list[tuple[datetime, int]],
    target_status: Judge,
) -> Metrics:
    """The opt-in metrics of one ticket; future warnings and deadlines go to ``upcoming``.

    ``timeline`` is the replay of ``events`` up to ``until`` (``now`` in UTC)
    on ``meter``; results are in ``now``'s zone, like the other targets'.
    ``target_status`` judges each target (clocks passes its own).
    """
    warn_before = policy.warn_before
    replies: tuple[TargetStatus, ...] = ()
    if policy.next_reply_within is not None:
        replies = _cycle_statuses(
            reply_cycles(policy, events, until),
            policy.next_reply_within,
            timeline,
            meter,
            warn_before,
            now,
            upcoming,
            target_status,
        )
    updates: tuple[TargetStatus, ...] = ()
    if policy.update_every is not None:
        updates = _cycle_statuses(
            update_cycles(policy, events, timeline.created_at, until),
            policy.update_every,
            timeline,
            meter,
            warn_before,
            now,
            upcoming,
            target_status,
        )
    if not policy.measures_time_in_status:
        return Metrics(replies, updates, (), None, None, None)
    times, requester, agent, target = _time_in_status(
        policy, events, timeline, until, meter, now, upcoming, target_status
    )
    return Metrics(replies, updates, times, requester, agent, target)
