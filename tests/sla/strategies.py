"""Hypothesis strategies for the SLA engine: calendars, policies and ticket timelines.

Everything is whole minutes, so the minute-by-minute reference in
``tests/sla/reference.py`` is exact.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

from contractcore.sla import (
    CommentAdded,
    HostRecord,
    HostTicket,
    PriorityChanged,
    PriorityTargets,
    SlaPaused,
    SlaPolicy,
    SlaResumed,
    StatusChanged,
    TicketCreated,
    TicketEvent,
)
from contractcore.sla.calendar import BusinessCalendar
from contractcore.sla.composed import ComposedCalendar
from tests.sla.reference import MIDNIGHT, CalendarDefinition

__all__ = [
    "HOST_CREATED",
    "HOST_STATUSES",
    "PAUSE",
    "PRIORITIES",
    "STATUSES",
    "Scenario",
    "build_calendar",
    "calendar_definitions",
    "host_records",
    "host_tickets",
    "policies",
    "scenarios",
    "timelines",
]

PAUSE = "Waiting on Customer"
STATUSES = ("Open", "In Progress", PAUSE, "Resolved", "Closed")
#: Priorities of generated tickets; policies may give P1 targets of its own.
PRIORITIES = ("P1", "P2")
ZONES = ("UTC", "Europe/London", "America/New_York", "Australia/Sydney")
#: Tickets start in the weeks around the 2026 daylight-saving changes.
FIRST_START = datetime(2026, 3, 20, tzinfo=UTC)
LAST_START = datetime(2026, 11, 10, tzinfo=UTC)


@st.composite
def _day_kinds(draw: st.DrawFn) -> list[str]:
    kinds = draw(
        st.lists(
            st.sampled_from(["closed", "day", "day", "day", "split", "whole", "overnight"]),
            min_size=7,
            max_size=7,
        )
    )
    for day in range(7):
        if kinds[day] == "overnight" and kinds[(day + 1) % 7] == "whole":
            kinds[(day + 1) % 7] = "day"
    if all(kind == "closed" for kind in kinds):
        kinds[0] = "day"
    return kinds


def _quarter(minutes: int) -> time:
    return time(minutes // 60, minutes % 60)


@st.composite
def calendar_definitions(draw: st.DrawFn) -> CalendarDefinition:
    """Calendars with day shifts, split shifts, 24-hour days, overnight shifts and holidays."""
    zone = draw(st.sampled_from(ZONES))
    if draw(st.integers(0, 9)) == 0:
        return CalendarDefinition(timezone=zone)
    weekly: dict[int, list[tuple[time, time]]] = {}
    for day, kind in enumerate(draw(_day_kinds())):
        if kind == "closed":
            continue
        if kind == "whole":
            weekly[day] = [(MIDNIGHT, MIDNIGHT)]
        elif kind == "overnight":
            start = draw(st.integers(18 * 4, 23 * 4)) * 15
            end = draw(st.integers(1 * 4, 5 * 4)) * 15
            weekly[day] = [(_quarter(start), _quarter(end))]
        elif kind == "split":
            weekly[day] = [(time(8), time(12)), (time(13), time(17, 30))]
        else:
            start = draw(st.integers(6 * 4, 12 * 4)) * 15
            end = draw(st.integers(start // 15 + 1, 23 * 4)) * 15
            weekly[day] = [(_quarter(start), _quarter(end))]
    holidays = draw(st.frozensets(st.dates(date(2026, 3, 18), date(2026, 12, 31)), max_size=4))
    return CalendarDefinition(timezone=zone, weekly_hours=weekly, holidays=holidays)


def build_calendar(definition: CalendarDefinition) -> BusinessCalendar:
    """The BusinessCalendar of a definition."""
    return BusinessCalendar(
        definition.timezone,
        weekly_hours=definition.weekly_hours,
        holidays=definition.holidays,
    )


_TARGET_MINUTES = st.integers(1, 60 * 20).map(lambda minutes: timedelta(minutes=minutes))


@st.composite
def policies(
    draw: st.DrawFn, calendar: BusinessCalendar | ComposedCalendar | None = None
) -> SlaPolicy:
    """Policies with either or both targets, maybe P1 targets, a warning and a pause status."""
    response = draw(st.none() | _TARGET_MINUTES)
    resolution = draw(st.none() | _TARGET_MINUTES)
    if response is None and resolution is None:
        resolution = draw(_TARGET_MINUTES)
    # P1 tickets may have targets of their own (only where the plain field has one).
    p1_response = None if response is None else draw(st.none() | _TARGET_MINUTES)
    p1_resolution = None if resolution is None else draw(st.none() | _TARGET_MINUTES)
    tiers = (
        []
        if p1_response is None and p1_resolution is None
        else [
            PriorityTargets(
                priority="P1", response_within=p1_response, resolve_within=p1_resolution
            )
        ]
    )
    targets = (response, resolution, p1_response, p1_resolution)
    shortest = min(target for target in targets if target is not None)
    warn_before = draw(
        st.none()
        | st.integers(1, shortest // timedelta(minutes=1)).map(lambda m: timedelta(minutes=m))
    )
    return SlaPolicy(
        name="Generated",
        response_within=response,
        resolve_within=resolution,
        calendar=calendar,
        warn_before=warn_before,
        pause_statuses=draw(st.sampled_from([frozenset(), frozenset({PAUSE})])),
        targets_by_priority=tiers,
    )


def _event(kind: str, at: datetime, draw: st.DrawFn) -> TicketEvent:
    if kind == "status":
        return StatusChanged(at, draw(st.sampled_from(STATUSES)))
    if kind == "comment":
        return CommentAdded(
            at,
            public=draw(st.booleans()),
            author=draw(st.sampled_from(["agent", "customer", "automation"])),
        )
    if kind == "pause":
        return SlaPaused(at)
    if kind == "priority":
        return PriorityChanged(at, draw(st.sampled_from(PRIORITIES)))
    return SlaResumed(at)


@st.composite
def timelines(draw: st.DrawFn, max_events: int = 8) -> list[TicketEvent]:
    """A ticket created at a whole minute, then status changes, comments, pauses, priorities."""
    created = draw(
        st.datetimes(
            min_value=FIRST_START.replace(tzinfo=None),
            max_value=LAST_START.replace(tzinfo=None),
            timezones=st.just(UTC),
        )
    ).replace(second=0, microsecond=0)
    zone = ZoneInfo(draw(st.sampled_from(ZONES)))
    events: list[TicketEvent] = [
        TicketCreated(
            created.astimezone(zone),
            status=draw(st.sampled_from(["Open", "Open", "Open", PAUSE, "Resolved"])),
            priority=draw(st.sampled_from([None, *PRIORITIES])),
        )
    ]
    at = created
    kinds = st.sampled_from(
        ["status", "status", "comment", "comment", "pause", "resume", "priority"]
    )
    # Often at the same instant as the event before: those apply in list order.
    steps = st.just(0) | st.integers(0, 60 * 30)
    for _ in range(draw(st.integers(0, max_events))):
        at += timedelta(minutes=draw(steps))
        events.append(_event(draw(kinds), at.astimezone(zone), draw))
    return events


class Scenario:
    """A calendar definition, its calendar, a policy, a timeline and an instant."""

    def __init__(
        self,
        definition: CalendarDefinition,
        policy: SlaPolicy,
        events: list[TicketEvent],
        now: datetime,
    ) -> None:
        self.definition = definition
        self.policy = policy
        self.events = events
        self.now = now

    def __repr__(self) -> str:
        return (
            f"Scenario(definition={self.definition!r}, policy={self.policy!r}, "
            f"events={self.events!r}, now={self.now!r})"
        )


@st.composite
def scenarios(draw: st.DrawFn, max_events: int = 8) -> Scenario:
    """A whole scenario; ``now`` is anywhere from creation to a while after the last event."""
    definition = draw(calendar_definitions())
    policy = draw(policies(build_calendar(definition)))
    events = draw(timelines(max_events))
    # In UTC: arithmetic on local times is wall-clock arithmetic (it loses
    # the fold of a time in the repeated hour of an autumn clock change).
    created = events[0].at.astimezone(UTC)
    span = (events[-1].at.astimezone(UTC) - created) // timedelta(minutes=1)
    offset = draw(st.integers(0, span + 60 * 48))
    now = created + timedelta(minutes=offset)
    return Scenario(definition, policy, events, now)


#: The status map the ingestion strategies use: every category, names in mixed case.
HOST_STATUSES = {"Open": "open", "Pending": "paused", "Solved": "resolved", "Spam": "ignored"}
#: Where generated host tickets are created.
HOST_CREATED = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)


@st.composite
def host_records(draw: st.DrawFn, max_records: int = 10) -> list[HostRecord]:
    """Host records around ``HOST_CREATED``: ties, records before it, merged ones, opening ones."""
    # Few distinct instants, so that many records share one.
    offsets = draw(
        st.lists(
            st.sampled_from([-7200, -1, 0, 0.003, 1, 600, 600, 3600, 86400]),
            min_size=1,
            max_size=4,
            unique=True,
        )
    )
    records: list[HostRecord] = []
    for _ in range(draw(st.integers(0, max_records))):
        at = HOST_CREATED + timedelta(seconds=draw(st.sampled_from(offsets)))
        status = draw(st.none() | st.sampled_from(["open", "PENDING", "Solved", "spam"]))
        records.append(
            HostRecord(
                at=at,
                sequence=draw(st.integers(0, 2)),
                key=len(records),
                comment=draw(st.sampled_from([None, "public", "private"])),
                author=draw(st.sampled_from(["agent", "customer", "automation", "ignore"])),
                status=status,
                hold=draw(st.none() | st.booleans()),
                queue=draw(st.none() | st.sampled_from(["Support", "Vendor"])),
                priority=draw(st.none() | st.sampled_from(PRIORITIES)),
                merged_from=draw(st.sampled_from([None, None, None, 99])),
            )
        )
    return records


@st.composite
def host_tickets(draw: st.DrawFn, max_records: int = 10) -> HostTicket:
    """A host ticket created at ``HOST_CREATED``, its records from :func:`host_records`."""
    measure_from = draw(st.sampled_from([None, None, HOST_CREATED + timedelta(seconds=600)]))
    return HostTicket(
        id=draw(st.integers(1, 1000)),
        created_at=HOST_CREATED,
        opened_status=draw(st.sampled_from(["Open", "Pending"])),
        opened_hold=draw(st.booleans()),
        opened_queue=draw(st.sampled_from(["Support", "Vendor"])),
        records=draw(host_records(max_records)),
        measure_from=measure_from,
        final_status=draw(st.none() | st.sampled_from(list(HOST_STATUSES))),
        final_hold=draw(st.none() | st.booleans()),
    )
