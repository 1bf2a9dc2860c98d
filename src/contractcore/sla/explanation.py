"""Why a deadline is where it is: :func:`explain` lists the segments behind a result.

Every instant from a ticket's creation to ``now`` falls in exactly one
segment of each clock: business time that counted, closed hours, a holiday,
a pause (by status or by hand), or time spent resolved. The counted
segments add up to the clock's ``elapsed`` exactly.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any, Literal, TypeAlias
from zoneinfo import ZoneInfo

import attrs

from contractcore.sla._checks import check_aware
from contractcore.sla._meter import CalendarMeter, utc
from contractcore.sla._metrics import reply_cycles, update_cycles
from contractcore.sla._replay import (
    MANUAL,
    PAUSE_STATUS,
    RESOLVED,
    RUNNING,
    State,
    opened_at,
    replay,
)
from contractcore.sla.clocks import Calendar, calendar_for, evaluate
from contractcore.sla.events import TicketEvent
from contractcore.sla.policy import SlaPolicy
from contractcore.sla.status import SlaStatus, TargetStatus

__all__ = ["Explanation", "Segment", "SegmentKind", "explain"]

#: What happened to a clock during a segment.
SegmentKind: TypeAlias = Literal["counted", "closed", "holiday", "paused", "resolved"]

_ZERO = timedelta(0)


@attrs.frozen(kw_only=True)
class Segment:
    """A stretch ``[start, end)`` of one clock with one reason.

    Attributes:
        start: where the segment begins.
        end: where it ends (exclusive).
        kind: ``counted`` (business hours, the clock ran), ``closed``
            (outside business hours), ``holiday``, ``paused`` (a pause status or
            a manual pause) or ``resolved`` (the ticket was resolved).
        reason: the same in words: ``"business hours"``, ``"outside business
            hours"``, the holiday's name, ``"status 'Waiting on Customer'"``,
            ``"manual pause"``, ``"status 'Resolved'"``.
        counted: the business time the segment added to the clock.
    """

    start: datetime
    end: datetime
    kind: SegmentKind
    reason: str
    counted: timedelta


@attrs.frozen(kw_only=True)
class Explanation:
    """The segments of each clock of one ticket, with the result they lead to.

    Attributes:
        status: what :func:`~contractcore.sla.evaluate` returns for the same input.
        response: the response clock's segments, from creation to the
            response (or ``now``); empty when the policy has no response target.
        resolution: the resolution clock's segments, from creation to ``now``;
            empty when the policy has no resolution target.
        next_reply: the segments of each next-reply cycle, from its start to
            its completion (or ``now``), in the order of
            ``status.next_reply_cycles``.
        update: the segments of each periodic-update interval, likewise.
    """

    status: SlaStatus
    response: tuple[Segment, ...]
    resolution: tuple[Segment, ...]
    next_reply: tuple[tuple[Segment, ...], ...] = ()
    update: tuple[tuple[Segment, ...], ...] = ()

    def to_text(self) -> str:
        """The explanation as a plain-text table, one line per segment.

        Next-reply and update cycles follow, numbered, then the time in
        each status and its groups when the policy measures them.
        """
        lines: list[str] = []
        status = self.status
        named: list[tuple[str, TargetStatus | None, tuple[Segment, ...]]] = [
            ("response", status.response, self.response),
            ("resolution", status.resolution, self.resolution),
        ]
        for label, cycles, explained in (
            ("next_reply", status.next_reply_cycles, self.next_reply),
            ("update", status.update_cycles, self.update),
        ):
            named.extend(
                (f"{label} #{number}", cycle, segments)
                for number, (cycle, segments) in enumerate(
                    zip(cycles, explained, strict=True), start=1
                )
            )
        for name, target, segments in named:
            if target is None:
                continue
            lines.append(
                f"{name}: {target.state}, elapsed {_hours(target.elapsed)} "
                f"of {_hours(target.target)}"
            )
            lines.extend(
                f"  {_stamp(segment.start)} - {_stamp(segment.end)}  {segment.kind:<8} "
                f"{_hours(segment.counted) if segment.kind == 'counted' else '':>6}  "
                f"{segment.reason}"
                for segment in segments
            )
        lines.extend(_time_in_status_lines(status))
        return "\n".join(lines)


def _time_in_status_lines(status: SlaStatus) -> list[str]:
    """The time in each status, the group totals and the agent-work target, as text."""
    if not status.status_times:
        return []
    lines = ["time in status (business, real):"]
    lines.extend(
        f"  {item.status:<24} {_hours(item.business):>6}  {_hours(item.real):>6}"
        for item in status.status_times
    )
    if status.requester_wait is not None and status.policy.requester_wait_statuses:
        lines.append(f"requester wait: {_hours(status.requester_wait)}")
    if status.agent_work is not None and status.policy.agent_work_statuses:
        lines.append(f"agent work: {_hours(status.agent_work)}")
    target = status.agent_work_target
    if target is not None:
        lines.append(
            f"agent_work: {target.state}, elapsed {_hours(target.elapsed)} "
            f"of {_hours(target.target)}"
        )
    return lines


def _stamp(instant: datetime) -> str:
    return instant.strftime("%a %Y-%m-%d %H:%M")


def _hours(duration: timedelta) -> str:
    minutes = int(duration / timedelta(minutes=1))
    sign = "-" if minutes < 0 else ""
    hours, minutes = divmod(abs(minutes), 60)
    return f"{sign}{hours}:{minutes:02d}"


def _holiday_name(holidays: Any, day: date) -> str | None:
    if holidays is None:
        return None
    try:
        if day not in holidays:
            return None
    except (TypeError, ValueError):
        return None
    getter = getattr(holidays, "get", None)
    name = getter(day) if callable(getter) else None
    return f"holiday: {name}" if name else "holiday"


def _closed_pieces(calendar: Calendar, start: datetime, end: datetime) -> list[Segment]:
    """Split closed time ``[start, end)`` into holidays and ordinary closed hours."""
    zone_name = getattr(calendar, "timezone", None)
    holidays = getattr(calendar, "holidays", None)
    special_days = {day for day, _hours in getattr(calendar, "special_hours", ())}
    if not isinstance(zone_name, str) or holidays is None:
        return [
            Segment(
                start=start, end=end, kind="closed", reason="outside business hours", counted=_ZERO
            )
        ]
    zone = ZoneInfo(zone_name)
    pieces: list[Segment] = []
    cursor = start
    while cursor < end:
        day = cursor.astimezone(zone).date()
        midnight = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
        piece_end = min(end, midnight.astimezone(start.tzinfo))
        holiday = None if day in special_days else _holiday_name(holidays, day)
        kind: SegmentKind = "closed" if holiday is None else "holiday"
        reason = holiday or "outside business hours"
        if pieces and pieces[-1].kind == kind and pieces[-1].reason == reason:
            pieces[-1] = attrs.evolve(pieces[-1], end=piece_end)
        else:
            pieces.append(
                Segment(start=cursor, end=piece_end, kind=kind, reason=reason, counted=_ZERO)
            )
        cursor = piece_end
    return pieces


def _running_segments(calendar: Calendar, start: datetime, end: datetime) -> list[Segment]:
    open_intervals = getattr(calendar, "open_intervals")  # noqa: B009 - not in the Protocol
    segments: list[Segment] = []
    cursor = start
    for open_start, open_end in open_intervals(start, end):
        if open_start > cursor:
            segments.extend(_closed_pieces(calendar, cursor, open_start))
        segments.append(
            Segment(
                start=open_start,
                end=open_end,
                kind="counted",
                reason="business hours",
                counted=open_end - open_start,
            )
        )
        cursor = open_end
    if cursor < end:
        segments.extend(_closed_pieces(calendar, cursor, end))
    return segments


def _merge(segments: list[Segment], zone: tzinfo | None) -> tuple[Segment, ...]:
    """Join touching segments of one kind and reason (in UTC), then show them in ``zone``."""
    merged: list[Segment] = []
    for segment in segments:
        if segment.end <= segment.start:
            continue
        if merged and merged[-1].kind == segment.kind and merged[-1].reason == segment.reason:
            previous = merged[-1]
            if previous.end == segment.start:
                merged[-1] = attrs.evolve(
                    previous, end=segment.end, counted=previous.counted + segment.counted
                )
                continue
        merged.append(segment)
    return tuple(
        attrs.evolve(
            segment, start=segment.start.astimezone(zone), end=segment.end.astimezone(zone)
        )
        for segment in merged
    )


def explain(
    policy: SlaPolicy,
    events: Sequence[TicketEvent],
    now: datetime,
    *,
    default_calendar: Calendar | None = None,
) -> Explanation:
    """The segments behind :func:`~contractcore.sla.evaluate`'s result, clock by clock.

    Shows a support lead why a deadline is where it is: which hours counted,
    which were closed or holidays, and which were paused and why.

    Args:
        policy: the agreement the ticket is under.
        events: the ticket's timeline (as for ``evaluate``).
        now: the instant to explain at; segments are in its time zone.
        default_calendar: the calendar for policies without one (else 24x7 UTC).

    >>> from datetime import UTC, datetime, timedelta
    >>> from contractcore.sla import StatusChanged, TicketCreated
    >>> policy = SlaPolicy(
    ...     name="Basic", resolve_within=timedelta(hours=4), pause_statuses={"On Hold"}
    ... )
    >>> opened = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)
    >>> events = [TicketCreated(opened), StatusChanged(opened + timedelta(hours=1), "On Hold")]
    >>> print(explain(policy, events, now=opened + timedelta(hours=3)).to_text())
    resolution: paused, elapsed 1:00 of 4:00
      Mon 2026-05-04 10:00 - Mon 2026-05-04 11:00  counted    1:00  business hours
      Mon 2026-05-04 11:00 - Mon 2026-05-04 13:00  paused           status 'On Hold'
    """
    check_aware("now", now)
    status = evaluate(policy, events, now, default_calendar=default_calendar)
    calendar = calendar_for(policy, default_calendar)
    created = opened_at(events, now)
    states: list[State] = []
    timeline = replay(
        policy, events, created, utc(now), CalendarMeter(calendar, created).position, states
    )
    changes = _changes(states, timeline.response_done_at)
    # Segments are built in UTC and shown in now's zone at the end: two times
    # in one local zone compare and subtract by their wall-clock reading,
    # which is an hour off across a clock change.
    until = utc(now)
    segments: list[Segment] = []
    last = len(changes) - 1
    for index, (start, code, ticket_status) in enumerate(changes):
        end = until if index == last else changes[index + 1][0]
        if end <= start:
            continue
        if code == RUNNING:
            segments.extend(_running_segments(calendar, start, end))
            continue
        kind: SegmentKind = "resolved" if code == RESOLVED else "paused"
        reason = {
            PAUSE_STATUS: f"status {ticket_status!r}",
            MANUAL: "manual pause",
            RESOLVED: f"status {ticket_status!r}",
        }[code]
        segments.append(Segment(start=start, end=end, kind=kind, reason=reason, counted=_ZERO))
    zone = now.tzinfo
    resolution = _merge(segments, zone) if status.resolution is not None else ()
    response: tuple[Segment, ...] = ()
    if status.response is not None:
        cut = timeline.response_done_at or until
        # _changes put a point at the response, so no segment straddles it.
        response = _merge([segment for segment in segments if segment.start < cut], zone)
    next_reply: tuple[tuple[Segment, ...], ...] = ()
    if policy.next_reply_within is not None:
        next_reply = tuple(
            _merge(_cut(segments, start, end or until), zone)
            for start, end in reply_cycles(policy, events, until)
        )
    update: tuple[tuple[Segment, ...], ...] = ()
    if policy.update_every is not None:
        update = tuple(
            _merge(_cut(segments, start, end or until), zone)
            for start, end in update_cycles(policy, events, created, until)
        )
    return Explanation(
        status=status,
        response=response,
        resolution=resolution,
        next_reply=next_reply,
        update=update,
    )


def _cut(segments: list[Segment], start: datetime, end: datetime) -> list[Segment]:
    """The parts of ``segments`` (UTC, in time order) inside ``[start, end)``."""
    found: list[Segment] = []
    for segment in segments:
        low, high = max(segment.start, start), min(segment.end, end)
        if high <= low:
            continue
        counted = high - low if segment.kind == "counted" else _ZERO
        found.append(attrs.evolve(segment, start=low, end=high, counted=counted))
    return found


def _changes(states: list[State], response_done_at: datetime | None) -> list[State]:
    """The replayed states, with a point added at the response (same state as before it).

    A resolved ticket that moves to another resolved status (``Resolved`` to
    ``Closed``) stays explained by the status that resolved it.
    """
    changes: list[State] = []
    for state in states:
        if changes and state[1] == RESOLVED == changes[-1][1]:
            continue
        changes.append(state)
    if response_done_at is not None:
        cut = bisect_right([at for at, _code, _status in changes], response_done_at)
        changes.insert(cut, (response_done_at, *changes[cut - 1][1:]))
    return changes
