"""A brute-force reference for the SLA clocks: replay a timeline minute by minute.

Whole-minute inputs only. At each minute the reference asks two questions
from first principles, never through the code under test: is the clock
running (replaying the events by hand), and is the calendar open (reading the
local wall clock against the calendar's *definition*: weekly hours, overnight
spill, holidays). Slow and obviously right, which is the point.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from contractcore.sla import (
    CommentAdded,
    PriorityChanged,
    SlaPaused,
    SlaPolicy,
    SlaResumed,
    StatusChanged,
    TicketCreated,
    TicketEvent,
)

MINUTE = timedelta(minutes=1)
MIDNIGHT = time(0)


@dataclass(frozen=True)
class CalendarDefinition:
    """The data a BusinessCalendar is built from, readable by the reference."""

    timezone: str = "UTC"
    weekly_hours: dict[int, list[tuple[time, time]]] = field(
        default_factory=lambda: {day: [(MIDNIGHT, MIDNIGHT)] for day in range(7)}
    )
    holidays: frozenset[date] = frozenset()

    def is_open(self, instant: datetime) -> bool:
        """Whether ``instant`` is open, read off the local wall clock."""
        local = instant.astimezone(ZoneInfo(self.timezone))
        today = local.date()
        now = local.time().replace(tzinfo=None)
        if today in self.holidays:
            return False
        for start, end in self.weekly_hours.get(today.weekday(), []):
            if end <= start:  # overnight (or the whole day): open from start to midnight
                if now >= start:
                    return True
            elif start <= now < end:
                return True
        yesterday = today - timedelta(days=1)
        if yesterday in self.holidays:
            # A holiday's own overnight shift does not happen, so it spills
            # nothing into the next morning (the calendar's reading of DESIGN 2.1).
            return False
        for start, end in self.weekly_hours.get(yesterday.weekday(), []):
            if end <= start and end != MIDNIGHT and now < end:
                return True
        return False


@dataclass
class ClockReference:
    """What the reference finds for one clock."""

    elapsed: timedelta
    completed_at: datetime | None
    running_at_now: bool
    priority: str | int | None  # when the clock completed (in list order), else at now
    reached: dict[timedelta, datetime]  # amount -> earliest instant it was (or will be) reached


@dataclass
class TicketReference:
    """Both clocks of a ticket, and whether the ticket is resolved at ``now``."""

    response: ClockReference
    resolution: ClockReference


@dataclass
class _State:
    status: str
    manual: bool = False
    responded: bool = False
    resolved: bool = False
    resolved_at: datetime | None = None
    responded_at: datetime | None = None
    priority: str | int | None = None
    responded_priority: str | int | None = None
    resolved_priority: str | int | None = None


def _apply(state: _State, event: TicketEvent, policy: SlaPolicy) -> None:
    if isinstance(event, StatusChanged):
        state.status = event.status
        now_resolved = event.status in policy.resolved_statuses
        if now_resolved and not state.resolved:
            state.resolved_at, state.resolved_priority = event.at, state.priority
            if not state.responded:
                state.responded, state.responded_at = True, event.at
                state.responded_priority = state.priority
        if not now_resolved:
            state.resolved_at = None
        state.resolved = now_resolved
    elif isinstance(event, CommentAdded):
        if event.public and event.author == "agent" and not state.responded:
            state.responded, state.responded_at = True, event.at
            state.responded_priority = state.priority
    elif isinstance(event, SlaPaused):
        state.manual = True
    elif isinstance(event, SlaResumed):
        state.manual = False
    elif isinstance(event, PriorityChanged):
        state.priority = event.priority
    elif isinstance(event, TicketCreated):
        pass


def _record(
    reached: dict[timedelta, datetime], amounts: Sequence[timedelta], total: timedelta, at: datetime
) -> None:
    for amount in amounts:
        if amount == total and amount not in reached:
            reached[amount] = at


def replay_minutes(
    policy: SlaPolicy,
    events: Sequence[TicketEvent],
    now: datetime,
    calendar: CalendarDefinition,
    amounts: Sequence[timedelta],
    horizon: timedelta = timedelta(days=21),
) -> TicketReference:
    """Replay ``events`` up to ``now`` minute by minute, then keep going without events.

    ``amounts`` are the accumulated times whose first instant is wanted (the
    targets, the warning points); the replay continues past ``now`` (clocks
    frozen in their state at ``now``) up to ``horizon`` to find future ones.
    """
    created = events[0]
    assert isinstance(created, TicketCreated)
    priority = created.priority if policy.priority is None else policy.priority
    state = _State(status=created.status, priority=priority)
    if created.status in policy.resolved_statuses:
        state.resolved = state.responded = True
        state.resolved_at = state.responded_at = created.at
        state.resolved_priority = state.responded_priority = priority
    pending = [event for event in events[1:] if event.at <= now]
    index = 0
    names = ("response", "resolution")
    totals = dict.fromkeys(names, timedelta(0))
    at_now = dict(totals)
    running_at_now = dict.fromkeys(names, False)
    reached: dict[str, dict[timedelta, datetime]] = {name: {} for name in names}
    for name in names:
        for amount in amounts:
            if amount == timedelta(0):
                reached[name][amount] = created.at
    minute = created.at.astimezone(UTC)  # step in UTC: wall-clock arithmetic skips DST gaps
    now = now.astimezone(UTC)
    while True:
        while index < len(pending) and pending[index].at <= minute:
            _apply(state, pending[index], policy)
            index += 1
        paused = state.manual or state.status in policy.pause_statuses
        running = {
            "response": not state.responded and not paused,
            "resolution": not state.resolved and not paused,
        }
        if minute == now:
            at_now = dict(totals)
            running_at_now = dict(running)
        if minute >= now and (
            not any(running.values())
            or minute >= now + horizon
            or all(amount in reached[name] for name in names if running[name] for amount in amounts)
        ):
            break
        if calendar.is_open(minute):
            for name in names:
                if running[name]:
                    totals[name] += MINUTE
                    _record(reached[name], amounts, totals[name], minute + MINUTE)
        minute += MINUTE
    return TicketReference(
        response=ClockReference(
            at_now["response"],
            state.responded_at,
            running_at_now["response"],
            state.priority if state.responded_at is None else state.responded_priority,
            reached["response"],
        ),
        resolution=ClockReference(
            at_now["resolution"],
            state.resolved_at,
            running_at_now["resolution"],
            state.priority if state.resolved_at is None else state.resolved_priority,
            reached["resolution"],
        ),
    )
