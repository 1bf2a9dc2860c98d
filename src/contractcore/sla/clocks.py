"""Evaluate a ticket's SLA clocks at any instant: :func:`evaluate`.

The clocks are business time on the policy's calendar. The replay measures
the spans where the clocks ran as *positions* (business time from a fixed
origin, see :mod:`contractcore.sla._meter`), and every deadline is the first
instant at a given position, so the cost depends on the number of events,
never on how long a ticket has been open. Everything is computed in UTC and
converted to ``now``'s zone at the end.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from contractcore.sla._checks import check_aware
from contractcore.sla._meter import CalendarMeter, Meter, utc
from contractcore.sla._metrics import measure_metrics
from contractcore.sla._replay import Span, opened_at, replay
from contractcore.sla.events import TicketEvent
from contractcore.sla.policy import SlaPolicy
from contractcore.sla.status import (
    Color,
    SlaStatus,
    TargetState,
    TargetStatus,
    make_sla_status,
    make_target_status,
    set_metrics,
)

if TYPE_CHECKING:
    from contractcore.sla._index import BusinessTimeIndex
    from contractcore.sla.calendar import BusinessCalendar

__all__ = ["Calendar", "calendar_for", "evaluate", "evaluate_on"]


class Calendar(Protocol):
    """What the SLA engine needs of a business calendar (``BusinessCalendar`` has it)."""

    def elapsed(self, start: datetime, end: datetime) -> timedelta:
        """Business time in ``[start, end)``."""

    def add(self, start: datetime, duration: timedelta) -> datetime:
        """The earliest instant ``t >= start`` with ``elapsed(start, t) == duration``."""

    def open_intervals(self, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
        """The open spans inside ``[start, end)``, in time order."""


_ALWAYS_OPEN: list[BusinessCalendar] = []


def calendar_for(policy: SlaPolicy, default_calendar: Calendar | None = None) -> Calendar:
    """The calendar a policy's clocks run on: its own, else the default, else 24x7 UTC.

    >>> from datetime import timedelta
    >>> calendar_for(SlaPolicy(name="Basic", resolve_within=timedelta(hours=4))).timezone
    'UTC'
    """
    if policy.calendar is not None:
        return policy.calendar
    if default_calendar is not None:
        return default_calendar
    if not _ALWAYS_OPEN:
        from contractcore.sla.calendar import BusinessCalendar  # noqa: PLC0415 - import cycle

        _ALWAYS_OPEN.append(BusinessCalendar.always_open("UTC"))
    return _ALWAYS_OPEN[0]


def evaluate(
    policy: SlaPolicy,
    events: Sequence[TicketEvent],
    now: datetime,
    *,
    default_calendar: Calendar | None = None,
) -> SlaStatus:
    """The SLA status of a ticket at ``now``: states, deadlines, colour and actions.

    Events after ``now`` are ignored, so any past moment can be replayed. A
    change of policy is handled by evaluating the whole timeline again under
    the new policy.

    Args:
        policy: the agreement the ticket is under.
        events: the ticket's timeline, in non-decreasing time order, starting
            with a :class:`~contractcore.sla.TicketCreated`.
        now: the instant to evaluate at; results are in its time zone.
        default_calendar: the calendar for policies without one (else 24x7 UTC).

    Raises:
        InvalidTimelineError: the timeline is empty, out of order, or does not
            start with the creation (the message names the event index).
        NaiveDatetimeError: ``now`` has no time zone.
        NoOpenTimeError: a running target's calendar never opens again, so it
            has no deadline.

    >>> from datetime import UTC, datetime, timedelta
    >>> from contractcore.sla import CommentAdded, TicketCreated
    >>> policy = SlaPolicy(name="Basic", response_within=timedelta(hours=1))
    >>> opened = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)
    >>> reply = CommentAdded(opened + timedelta(minutes=50), public=True, author="agent")
    >>> status = evaluate(policy, [TicketCreated(opened), reply], now=opened + timedelta(hours=2))
    >>> status.response.state, status.response.elapsed
    ('met', datetime.timedelta(seconds=3000))
    """
    check_aware("now", now)
    return evaluate_on(policy, events, now, utc(now), calendar_for(policy, default_calendar), None)


_ZERO = timedelta(0)
_TICK = timedelta(microseconds=1)


def _reach(
    instant: Callable[[timedelta], datetime],
    spans: list[Span],
    amount: timedelta,
    created: datetime,
    running_at: timedelta | None,
) -> datetime | None:
    """The earliest instant at which the clock had, or will have, ``amount``.

    The clock counted ``spans`` (positions where it ran); a running clock
    goes on from position ``running_at``, a stopped one (None) never
    reaches more than it has.
    """
    if amount <= _ZERO:
        return created
    before = _ZERO  # what the clock had counted before the span
    for start, end in spans:
        after = before + (end - start)
        if after >= amount:
            return instant(start + (amount - before))
        before = after
    if running_at is None:
        return None
    return instant(running_at + (amount - before))


def target_status(  # noqa: PLR0912, PLR0917 - hot path, called positionally
    instant: Callable[[timedelta], datetime],
    spans: list[Span],
    target: timedelta,
    elapsed: timedelta,
    running_at: timedelta | None,
    completed_at: datetime | None,
    warn_before: timedelta | None,
    created: datetime,
    now: datetime,
    upcoming: list[tuple[datetime, int]],
) -> TargetStatus:
    """One target's status; appends its future warning/deadline to ``upcoming``.

    ``created`` is where the target's clock began (the ticket's creation, or
    a cycle's start).

    The clock counted ``elapsed`` over (a prefix of) ``spans``;
    ``running_at`` is the position at ``now`` while it runs (None while it
    stands still or is complete). ``upcoming`` gets ``(instant, 0)`` for a
    warning still ahead and ``(due instant, 1)`` for a deadline still ahead
    (UTC).
    """
    remaining = target - elapsed
    breached = elapsed > target
    state: TargetState
    if completed_at is not None:
        state = "breached" if breached else "met"
    elif breached:
        state = "breached"
    elif running_at is None:
        state = "paused"
    elif warn_before is not None and remaining <= warn_before:
        state = "at_risk"
    else:
        state = "running"
    tz = now.tzinfo
    breached_at = due_at = warning_at = None
    if breached:
        # Within the counted spans: a stopped clock (None) finds it there.
        breached_at = _reach(instant, spans, target, created, None)
        if tz is not UTC and breached_at is not None:
            breached_at = breached_at.astimezone(tz)
        if running_at is not None:
            due_at = breached_at
    elif running_at is not None:
        due_at = _reach(instant, spans, target, created, running_at)
        if due_at is not None:
            upcoming.append((due_at, 1))
            if tz is not UTC:
                due_at = due_at.astimezone(tz)
    if warn_before is not None:
        warn_at = target - warn_before
        # A clock that stands still below the warning point never reaches it.
        if running_at is not None or elapsed >= warn_at:
            warning_at = _reach(instant, spans, warn_at, created, running_at)
        if warning_at is not None:
            if running_at is not None and not breached and warning_at > now:
                upcoming.append((warning_at, 0))
            if tz is not UTC:
                warning_at = warning_at.astimezone(tz)
    if completed_at is not None and tz is not UTC:
        completed_at = completed_at.astimezone(tz)
    return make_target_status(
        target, state, elapsed, remaining, due_at, warning_at, completed_at, breached_at
    )


def evaluate_on(  # noqa: PLR0917 - hot path, called positionally
    policy: SlaPolicy,
    events: Sequence[TicketEvent],
    now: datetime,
    now_utc: datetime,
    calendar: Calendar,
    index: BusinessTimeIndex | None,
) -> SlaStatus:
    """:func:`evaluate` on ``calendar``, through ``index`` where it covers the ticket.

    ``now`` is already checked and ``now_utc`` is the same instant in UTC.
    Everything is computed in UTC and converted to ``now``'s zone at the end.
    """
    created = opened_at(events, now_utc)
    meter: Meter = (
        index if index is not None and created >= index.start else CalendarMeter(calendar, created)
    )
    timeline = replay(policy, events, created, now_utc, meter.position)
    (
        _created,
        spans,
        elapsed,
        running_at,
        response_done,
        response_elapsed,
        resolved_at,
        priority,
        response_priority,
        resolved_priority,
    ) = timeline
    if policy.targets_by_priority:
        # Each target by the priority when it completed, or the current one.
        response_target = policy.targets_for(
            priority if response_done is None else response_priority
        )[0]
        resolution_target = policy.targets_for(
            priority if resolved_at is None else resolved_priority
        )[1]
    else:
        response_target, resolution_target = policy.response_within, policy.resolve_within
    instant = meter.instant
    warn_before = policy.warn_before
    upcoming: list[tuple[datetime, int]] = []
    response = resolution = None
    color: Color | None = None
    if response_target is not None:
        response = target_status(
            instant,
            spans,
            response_target,
            response_elapsed,
            running_at if response_done is None else None,
            response_done,
            warn_before,
            created,
            now,
            upcoming,
        )
        state = response.state
        color = "red" if state == "breached" else "orange" if state == "at_risk" else None
    if resolution_target is not None:
        resolution = target_status(
            instant,
            spans,
            resolution_target,
            elapsed,
            running_at,
            resolved_at,
            warn_before,
            created,
            now,
            upcoming,
        )
        state = resolution.state
        if state == "breached":
            color = "red"
        elif state == "at_risk" and color is None:
            color = "orange"
    metrics = None
    if (
        policy.next_reply_within is not None
        or policy.update_every is not None
        or policy.measures_time_in_status
    ):
        metrics = measure_metrics(
            policy, events, timeline, now_utc, meter, now, upcoming, target_status
        )
        for shown in (
            metrics.next_reply_cycles[-1:]
            + metrics.update_cycles[-1:]
            + (() if metrics.agent_work_target is None else (metrics.agent_work_target,))
        ):
            if shown.state == "breached":
                color = "red"
            elif shown.state == "at_risk" and color is None:
                color = "orange"
    tz = now.tzinfo
    status = make_sla_status(
        policy,
        created if tz is UTC else created.astimezone(tz),
        now,
        priority,
        resolved_at is not None,
        response,
        resolution,
        color,
        _next_change(meter, upcoming, now) if upcoming else None,
    )
    if metrics is not None:
        set_metrics(status, metrics)
    return status


def _next_change(meter: Meter, upcoming: list[tuple[datetime, int]], now: datetime) -> datetime:
    """The earliest instant after ``now`` at which a state changes with no new event.

    A warning shows from ``warning_at`` itself; a breach shows once the
    elapsed time *exceeds* the target, i.e. one microsecond of business time
    after ``due_at``. ``upcoming`` holds ``(instant, 0)`` warnings and
    ``(deadline, 1)`` deadlines (UTC); a warning never comes after its own
    deadline.
    """
    first, is_deadline = min(upcoming)
    if is_deadline:
        breach = meter.instant(meter.position(first) + _TICK)
        warnings = [at for at, kind in upcoming if not kind and at < breach]
        first = min(warnings) if warnings else breach
    tz = now.tzinfo
    return first if tz is UTC else first.astimezone(tz)
