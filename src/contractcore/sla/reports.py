"""Many tickets at once: :func:`evaluate_many`, :func:`triage` and :func:`compliance_report`."""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Hashable, Iterable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Generic, TypeVar

import attrs

from contractcore.errors import InvalidArgumentError, InvalidTimelineError
from contractcore.sla._checks import check_aware
from contractcore.sla._index import BusinessTimeIndex
from contractcore.sla._meter import utc
from contractcore.sla.clocks import Calendar, calendar_for, evaluate_on
from contractcore.sla.events import TicketEvent
from contractcore.sla.policy import SlaPolicy
from contractcore.sla.status import SlaStatus, StatusTime, TargetStatus

__all__ = [
    "ComplianceReport",
    "GroupCompliance",
    "TargetCompliance",
    "compliance_report",
    "evaluate_many",
    "percentile",
    "triage",
]

TicketId = TypeVar("TicketId", bound=Hashable)
GroupKey = TypeVar("GroupKey", bound=Hashable)

_LAST = datetime.max.replace(tzinfo=UTC)
#: How far around ``now`` evaluate_many indexes a calendar; instants outside
#: are answered by the calendar itself (same result, slower).
_INDEX_REACH = timedelta(days=400)
#: How many tickets evaluate_many evaluates on a calendar itself before it
#: indexes it: fewer cost less than building the index (about a millisecond).
_INDEX_AFTER = 32
#: How many calendars evaluate_many keeps at hand, the most recently used:
#: enough for every policy of a help desk, and memory stays flat even when
#: each ticket comes with a calendar object of its own.
_CALENDARS_KEPT = 16
_CENT = Decimal("0.01")


class _CalendarUse:
    """A calendar evaluate_many has seen: how many tickets it served, and its index once built."""

    __slots__ = ("calendar", "index", "served")

    def __init__(self, calendar: Calendar) -> None:
        self.calendar = calendar
        self.served = 0
        self.index: BusinessTimeIndex | None = None


def evaluate_many(
    tickets: Iterable[tuple[TicketId, SlaPolicy, Sequence[TicketEvent]]],
    now: datetime,
    *,
    default_calendar: Calendar | None = None,
) -> Iterator[tuple[TicketId, SlaStatus]]:
    """Evaluate a stream of tickets, yielding ``(ticket_id, status)`` one at a time.

    Nothing is kept between tickets, so memory stays flat for any number of
    them: feed it a database cursor or a generator. Each status is the one
    :func:`~contractcore.sla.evaluate` returns. To go fast, once 32 tickets
    have used the same calendar object, its opening hours within 400 days of
    ``now`` are read once and indexed: load each policy once and pass the
    same object with all its tickets.

    Raises:
        InvalidTimelineError: a ticket's timeline is bad; the message starts
            with the ticket id and names the event index.

    >>> from datetime import UTC, datetime, timedelta
    >>> from contractcore.sla import TicketCreated
    >>> policy = SlaPolicy(name="Basic", resolve_within=timedelta(hours=4))
    >>> opened = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)
    >>> tickets = ((number, policy, [TicketCreated(opened)]) for number in range(3))
    >>> [(ticket, status.resolution.state) for ticket, status in evaluate_many(tickets, opened)]
    [(0, 'running'), (1, 'running'), (2, 'running')]
    """
    check_aware("now", now)
    # The calendars in use, by identity, least recently used first. Each
    # holds its calendar, so an id is never reused while it is a key.
    uses: OrderedDict[int, _CalendarUse] = OrderedDict()
    window = (now - _INDEX_REACH, now + _INDEX_REACH)
    now_utc = utc(now)
    # Tickets mostly come in runs of one policy: keep its calendar at hand.
    policy_now: SlaPolicy | None = None
    use: _CalendarUse | None = None
    for ticket_id, policy, events in tickets:
        if policy is not policy_now or use is None:
            policy_now = policy
            use = _use_of(uses, calendar_for(policy, default_calendar))
        index = use.index
        if index is None:
            use.served += 1
            if use.served > _INDEX_AFTER:
                index = use.index = BusinessTimeIndex(use.calendar, *window)
        try:
            status = evaluate_on(policy, events, now, now_utc, use.calendar, index)
        except InvalidTimelineError as exc:
            msg = f"ticket {ticket_id!r}: {exc}"
            raise InvalidTimelineError(msg) from exc
        yield ticket_id, status


def _use_of(uses: OrderedDict[int, _CalendarUse], calendar: Calendar) -> _CalendarUse:
    """The use of ``calendar`` in ``uses``, made the most recent (added if new)."""
    use = uses.get(id(calendar))
    if use is None:
        use = uses[id(calendar)] = _CalendarUse(calendar)
        if len(uses) > _CALENDARS_KEPT:
            uses.popitem(last=False)
    else:
        uses.move_to_end(id(calendar))
    return use


def _urgency(status: SlaStatus) -> tuple[int, datetime]:
    breached: list[datetime] = []
    due: list[datetime] = []
    for _name, target in status.targets:
        if target.is_complete:
            continue
        if target.state == "breached" and target.breached_at is not None:
            breached.append(target.breached_at)
        elif target.due_at is not None:
            due.append(target.due_at)
    if breached:
        return 0, min(breached)
    if due:
        return 1, min(due)
    return 2, _LAST


def triage(
    statuses: Iterable[tuple[TicketId, SlaStatus]],
) -> list[tuple[TicketId, SlaStatus]]:
    """Open tickets in the order to work them: breached first, then earliest ``due_at``.

    Breached tickets come first, the longest-breached first (earliest
    ``breached_at`` of a target still open); then running tickets by their
    earliest ``due_at``; then tickets whose clocks are all paused. Resolved
    tickets are left out; ties keep the input order.

    >>> from datetime import UTC, datetime, timedelta
    >>> from contractcore.sla import TicketCreated
    >>> policy = SlaPolicy(name="Basic", resolve_within=timedelta(hours=4))
    >>> now = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)
    >>> tickets = [("A", policy, [TicketCreated(now - timedelta(hours=1))]),
    ...            ("B", policy, [TicketCreated(now - timedelta(hours=5))]),
    ...            ("C", policy, [TicketCreated(now - timedelta(hours=3))])]
    >>> [ticket for ticket, _status in triage(evaluate_many(tickets, now))]
    ['B', 'C', 'A']
    """
    open_tickets = [(ticket, status) for ticket, status in statuses if status.is_open]
    open_tickets.sort(key=lambda item: _urgency(item[1]))
    return open_tickets


def percentile(values: Sequence[timedelta], percent: int) -> timedelta | None:
    """The ``percent``-th percentile of ``values`` by the nearest-rank method.

    The value at rank ``ceil(percent / 100 * n)`` of the sorted values (rank 1
    at least): always one of the observed values, exact to the microsecond,
    no interpolation. The median (50) of an even count is the lower middle.

    >>> from datetime import timedelta
    >>> minutes = [timedelta(minutes=m) for m in (40, 10, 30, 20)]
    >>> str(percentile(minutes, 50)), str(percentile(minutes, 90))
    ('0:20:00', '0:40:00')
    """
    if not 0 < percent <= 100:
        msg = f"percent must be in (0, 100], got {percent!r}"
        raise InvalidArgumentError(msg)
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(percent * len(ordered) / 100))
    return ordered[rank - 1]


def _percent(part: int, whole: int) -> Decimal | None:
    if whole == 0:
        return None
    return (Decimal(100 * part) / Decimal(whole)).quantize(_CENT, rounding=ROUND_HALF_UP)


@attrs.frozen(kw_only=True)
class TargetCompliance:
    """Compliance of one target (response or resolution) over a group of tickets.

    Attributes:
        met: targets completed within their target.
        breached: targets breached (completed late, or open and already over).
        in_progress: open targets not breached yet (not counted in the percentages).
        met_percent: ``100 * met / (met + breached)``, rounded half-up to 0.01;
            None when nothing is decided yet.
        breached_percent: ``100 * breached / (met + breached)``, likewise.
        median: the median business time to complete (nearest rank), over
            completed targets; None when none completed.
        p90: the 90th percentile of the same (nearest rank).
    """

    met: int
    breached: int
    in_progress: int
    met_percent: Decimal | None
    breached_percent: Decimal | None
    median: timedelta | None
    p90: timedelta | None


@attrs.frozen(kw_only=True)
class GroupCompliance(Generic[GroupKey]):
    """Compliance of the tickets sharing one grouping key.

    Attributes:
        key: the grouping key (contract, customer, month, ...); None for the total.
        tickets: how many tickets the group holds.
        response: response-target compliance (tickets without one are left out).
        resolution: resolution-target compliance.
        next_reply: next-reply compliance, counted cycle by cycle.
        update: periodic-update compliance, counted interval by interval.
        agent_work: agent-work target compliance (one per ticket that has it).
        requester_wait: total business time in the requester-wait statuses
            (over the tickets whose policy measures time in status).
        agent_work_time: total business time in the agent-work statuses.
        status_times: the business and wall-clock time in each status summed
            over the group's tickets, in the order the statuses first appear
            (empty unless a policy measures time in status).
    """

    key: GroupKey | None
    tickets: int
    response: TargetCompliance
    resolution: TargetCompliance
    next_reply: TargetCompliance | None = None
    update: TargetCompliance | None = None
    agent_work: TargetCompliance | None = None
    requester_wait: timedelta = timedelta(0)
    agent_work_time: timedelta = timedelta(0)
    status_times: tuple[StatusTime, ...] = ()


@attrs.frozen(kw_only=True)
class ComplianceReport(Generic[GroupKey]):
    """Compliance by group, in the order the groups first appeared, and in total."""

    groups: tuple[GroupCompliance[GroupKey], ...]
    total: GroupCompliance[GroupKey]

    def group(self, key: GroupKey) -> GroupCompliance[GroupKey]:
        """The group with ``key``.

        Raises:
            KeyError: no ticket had that key.
        """
        for group in self.groups:
            if group.key == key:
                return group
        raise KeyError(key)

    def to_text(self) -> str:
        """The report as a plain-text table."""
        header = (
            f"{'group':<16} {'tickets':>7}  {'response met':>12} {'median':>7} {'p90':>7}  "
            f"{'resolution met':>14} {'median':>7} {'p90':>7}"
        )
        lines = [header]
        for group in (*self.groups, self.total):
            name = "total" if group is self.total else str(group.key)
            lines.append(
                f"{name:<16} {group.tickets:>7}  {_pct(group.response):>12} "
                f"{_hm(group.response.median):>7} {_hm(group.response.p90):>7}  "
                f"{_pct(group.resolution):>14} {_hm(group.resolution.median):>7} "
                f"{_hm(group.resolution.p90):>7}"
            )
        return "\n".join(lines)


def _pct(compliance: TargetCompliance) -> str:
    return "-" if compliance.met_percent is None else f"{compliance.met_percent}%"


def _hm(duration: timedelta | None) -> str:
    if duration is None:
        return "-"
    minutes = int(duration / timedelta(minutes=1))
    return f"{minutes // 60}:{minutes % 60:02d}"


class _Tally:
    __slots__ = ("breached", "durations", "in_progress", "met")

    def __init__(self) -> None:
        self.met = 0
        self.breached = 0
        self.in_progress = 0
        self.durations: list[timedelta] = []

    def add(self, target: TargetStatus | None) -> None:
        if target is None:
            return
        if target.is_complete:
            self.durations.append(target.elapsed)
        if target.state == "met":
            self.met += 1
        elif target.state == "breached":
            self.breached += 1
        else:
            self.in_progress += 1

    def result(self) -> TargetCompliance:
        decided = self.met + self.breached
        return TargetCompliance(
            met=self.met,
            breached=self.breached,
            in_progress=self.in_progress,
            met_percent=_percent(self.met, decided),
            breached_percent=_percent(self.breached, decided),
            median=percentile(self.durations, 50),
            p90=percentile(self.durations, 90),
        )


def compliance_report(
    rows: Iterable[tuple[GroupKey, SlaStatus]],
) -> ComplianceReport[GroupKey]:
    """Met and breached counts, percentages and business-time percentiles, by group.

    Args:
        rows: ``(group key, status)`` pairs; the key is whatever the report
            is grouped by: a contract id, a customer, a month
            (``status.created_at.strftime("%Y-%m")``).

    Memory grows with the number of groups and completed targets (the
    percentiles need every duration), not with open tickets.

    >>> from datetime import UTC, datetime, timedelta
    >>> from contractcore.sla import StatusChanged, TicketCreated
    >>> policy = SlaPolicy(name="Basic", resolve_within=timedelta(hours=4))
    >>> opened = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)
    >>> fast = [TicketCreated(opened), StatusChanged(opened + timedelta(hours=1), "Resolved")]
    >>> slow = [TicketCreated(opened), StatusChanged(opened + timedelta(hours=5), "Resolved")]
    >>> tickets = [("acme", policy, fast), ("acme", policy, slow)]
    >>> statuses = evaluate_many(tickets, opened + timedelta(days=1))
    >>> report = compliance_report(statuses)
    >>> resolution = report.group("acme").resolution
    >>> resolution.met, resolution.breached, resolution.met_percent, str(resolution.p90)
    (1, 1, Decimal('50.00'), '5:00:00')
    """
    tallies: dict[GroupKey, _GroupTally] = {}
    total = _GroupTally()
    for key, status in rows:
        entry = tallies.get(key)
        if entry is None:
            entry = tallies[key] = _GroupTally()
        entry.add(status)
        total.add(status)
    groups = tuple(entry.result(key) for key, entry in tallies.items())
    return ComplianceReport(groups=groups, total=total.result(None))


class _GroupTally:
    """The tallies of one group: every target, cycle by cycle, and the group times."""

    __slots__ = (
        "agent_work",
        "agent_work_time",
        "next_reply",
        "requester_wait",
        "resolution",
        "response",
        "status_times",
        "tickets",
        "update",
    )

    def __init__(self) -> None:
        self.tickets = 0
        self.response, self.resolution = _Tally(), _Tally()
        self.next_reply: _Tally | None = None
        self.update: _Tally | None = None
        self.agent_work: _Tally | None = None
        self.requester_wait = self.agent_work_time = timedelta(0)
        self.status_times: dict[str, list[timedelta]] = {}

    def add(self, status: SlaStatus) -> None:
        self.tickets += 1
        self.response.add(status.response)
        self.resolution.add(status.resolution)
        policy = status.policy
        if policy.next_reply_within is not None:
            self.next_reply = self.next_reply or _Tally()
            for cycle in status.next_reply_cycles:
                self.next_reply.add(cycle)
        if policy.update_every is not None:
            self.update = self.update or _Tally()
            for cycle in status.update_cycles:
                self.update.add(cycle)
        if status.agent_work_target is not None:
            self.agent_work = self.agent_work or _Tally()
            self.agent_work.add(status.agent_work_target)
        if status.requester_wait is not None:
            self.requester_wait += status.requester_wait
        if status.agent_work is not None:
            self.agent_work_time += status.agent_work
        for item in status.status_times:
            spent = self.status_times.setdefault(item.status, [timedelta(0), timedelta(0)])
            spent[0] += item.business
            spent[1] += item.real

    def result(self, key: GroupKey | None) -> GroupCompliance[GroupKey]:
        return GroupCompliance(
            key=key,
            tickets=self.tickets,
            response=self.response.result(),
            resolution=self.resolution.result(),
            next_reply=None if self.next_reply is None else self.next_reply.result(),
            update=None if self.update is None else self.update.result(),
            agent_work=None if self.agent_work is None else self.agent_work.result(),
            requester_wait=self.requester_wait,
            agent_work_time=self.agent_work_time,
            status_times=tuple(
                StatusTime(status=name, business=business, real=real)
                for name, (business, real) in self.status_times.items()
            ),
        )
