"""Evaluate a ticket's SLA clocks at any instant: :func:`evaluate`.

The clocks are business time on the policy's calendar. The timeline is
replayed into the spans where the clocks run; each span is measured with
the calendar's ``elapsed`` and every deadline comes from its ``add``, so the
cost depends on the number of events, never on how long a ticket has been
open. Internally everything is integer microseconds (exact, and cheap).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from contractcore.sla._checks import check_aware
from contractcore.sla._meter import (
    EPOCH,
    MICROSECOND,
    CalendarMeter,
    Meter,
    duration,
    instant,
    micros,
    span,
)
from contractcore.sla._replay import RUNNING, replay
from contractcore.sla.events import TicketEvent
from contractcore.sla.policy import SlaPolicy
from contractcore.sla.status import (
    Color,
    SlaStatus,
    TargetState,
    TargetStatus,
    make_sla_status,
    make_target_status,
)

if TYPE_CHECKING:
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
    return evaluate_on(policy, events, now, CalendarMeter(calendar_for(policy, default_calendar)))


def _reach(  # noqa: PLR0917 - hot path, called positionally
    meter: Meter,
    starts: list[int],
    measures: list[int],
    count: int,
    amount: int,
    created: int,
    running_from: int | None,
) -> int | None:
    """The earliest instant the clock had, or (running from ``running_from``) will have, ``amount``.

    The clock is the first ``count`` spans (``starts``/``measures``). A stopped
    clock (``running_from`` None) never reaches more than it has.
    """
    if amount <= 0:
        return created
    before = 0
    for index in range(count):
        measure = measures[index]
        if before + measure >= amount:
            return meter.add_us(starts[index], amount - before)
        before += measure
    if running_from is None:
        return None
    return meter.add_us(running_from, amount - before)


def _target(  # noqa: PLR0917 - hot path, called positionally
    meter: Meter,
    clock: tuple[list[int], list[int], int, int],
    target: timedelta,
    warn_before: timedelta | None,
    created: int,
    now: int,
    completed_at: datetime | None,
    stopped: bool,
    zone: datetime,
    upcoming: list[tuple[int, int]],
) -> TargetStatus:
    """One target's status; appends its future warning/deadline to ``upcoming``.

    ``upcoming`` gets ``(instant, 0)`` for a warning still ahead and
    ``(due instant, 1)`` for a deadline still ahead (both in microseconds).
    """
    starts, measures, count, elapsed = clock
    elapsed_td = duration(elapsed)
    target_us = span(target)
    remaining = target_us - elapsed
    running = completed_at is None and not stopped
    breached = elapsed > target_us
    warn_us = None if warn_before is None else span(warn_before)
    state: TargetState
    if completed_at is not None:
        state = "breached" if breached else "met"
    elif breached:
        state = "breached"
    elif stopped:
        state = "paused"
    elif warn_us is not None and remaining <= warn_us:
        state = "at_risk"
    else:
        state = "running"
    tz = zone.tzinfo
    breached_at = due_at = warning_at = None
    if breached:
        breached_us = _reach(meter, starts, measures, count, target_us, created, None)
        assert breached_us is not None  # elapsed > target: the clock went past it
        breached_at = instant(breached_us, tz)
        if running:
            due_at = breached_at
    elif running:
        due_us = _reach(meter, starts, measures, count, target_us, created, now)
        assert due_us is not None  # a running clock reaches any amount
        due_at = instant(due_us, tz)
        upcoming.append((due_us, 1))
    if warn_us is not None:
        warning_us = _reach(
            meter, starts, measures, count, target_us - warn_us, created, now if running else None
        )
        if warning_us is not None:
            warning_at = instant(warning_us, tz)
            if warning_us > now and running and not breached:
                upcoming.append((warning_us, 0))
    if completed_at is not None and completed_at.tzinfo is not tz:
        completed_at = completed_at.astimezone(tz)
    return make_target_status(
        target,
        state,
        elapsed_td,
        target - elapsed_td,
        due_at,
        warning_at,
        completed_at,
        breached_at,
    )


def evaluate_on(
    policy: SlaPolicy,
    events: Sequence[TicketEvent],
    now: datetime,
    meter: Meter,
    now_us: int | None = None,
) -> SlaStatus:
    """:func:`evaluate` with an explicit meter (``now`` already checked, maybe converted)."""
    timeline = replay(policy, events, now)
    changes = timeline.changes
    created_at = timeline.created_at
    if now_us is None:
        now_us = micros(now)
    response_done = timeline.response_done_at

    # The spans where the clocks run; the response clock is a prefix of them
    # (the replay splits a span where the response happens).
    starts: list[int] = []
    measures: list[int] = []
    total = response_total = response_count = 0
    created_us = start = micros(created_at)
    code = changes[0][1]
    measure_span = meter.elapsed_us
    for end_at, next_code, _status in changes[1:]:
        end = (end_at - EPOCH) // MICROSECOND  # micros(end_at), inlined
        if code == RUNNING and end > start:
            measure = measure_span(start, end)
            starts.append(start)
            measures.append(measure)
            total += measure
            if response_done is None or end_at <= response_done:
                response_count += 1
                response_total += measure
        start, code = end, next_code
    stopped = code != RUNNING
    if not stopped and now_us > start:  # the span running at now
        measure = measure_span(start, now_us)
        starts.append(start)
        measures.append(measure)
        total += measure
        if response_done is None or now <= response_done:
            response_count += 1
            response_total += measure

    plain = not policy.targets_by_priority
    response_target = (
        policy.response_within
        if plain
        else policy.targets_for(timeline.priority_at(response_done or now))[0]
    )
    resolved_at = timeline.resolved_at
    resolution_target = (
        policy.resolve_within
        if plain
        else policy.targets_for(timeline.priority_at(resolved_at or now))[1]
    )
    warn_before = policy.warn_before
    upcoming: list[tuple[int, int]] = []
    response = None
    if response_target is not None:
        response = _target(
            meter,
            (starts, measures, response_count, response_total),
            response_target,
            warn_before,
            created_us,
            now_us,
            response_done,
            stopped,
            now,
            upcoming,
        )
    resolution = None
    if resolution_target is not None:
        resolution = _target(
            meter,
            (starts, measures, len(starts), total),
            resolution_target,
            warn_before,
            created_us,
            now_us,
            resolved_at,
            stopped,
            now,
            upcoming,
        )

    color: Color | None = None
    states = (
        None if response is None else response.state,
        None if resolution is None else resolution.state,
    )
    if "breached" in states:
        color = "red"
    elif "at_risk" in states:
        color = "orange"
    return make_sla_status(
        policy,
        created_at if created_at.tzinfo is now.tzinfo else created_at.astimezone(now.tzinfo),
        now,
        timeline.priorities[-1][1],
        resolved_at is not None,
        response,
        resolution,
        color,
        _next_change(meter, upcoming, now) if upcoming else None,
    )


def _next_change(meter: Meter, upcoming: list[tuple[int, int]], now: datetime) -> datetime:
    """The earliest instant after ``now`` at which a state changes with no new event.

    A warning shows from ``warning_at`` itself; a breach shows once the
    elapsed time *exceeds* the target, i.e. one microsecond of business time
    after ``due_at``. ``upcoming`` holds ``(instant, 0)`` warnings and
    ``(deadline, 1)`` deadlines; a warning never comes after its own deadline.
    """
    first, is_deadline = min(upcoming)
    if is_deadline:
        breach = meter.add_us(first, 1)
        warnings = [at for at, kind in upcoming if not kind and at < breach]
        first = min(warnings) if warnings else breach
    return instant(first, now.tzinfo)
