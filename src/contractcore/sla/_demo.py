"""The SLA section of ``contractcore demo``: a board of sample tickets, worst first."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from contractcore.sla.calendar import BusinessCalendar
from contractcore.sla.events import (
    CommentAdded,
    SlaPaused,
    StatusChanged,
    TicketCreated,
    TicketEvent,
)
from contractcore.sla.policy import SlaPolicy
from contractcore.sla.reports import evaluate_many, triage
from contractcore.sla.status import SlaStatus, TargetStatus

__all__ = ["render"]

_ZONE = ZoneInfo("America/New_York")
_WAITING = "Waiting on Customer"
_OFFICE = BusinessCalendar(
    "America/New_York",
    weekly_hours={day: [(time(9), time(17))] for day in range(5)},
    holidays=[date(2026, 11, 26), date(2026, 12, 25)],  # Thanksgiving, Christmas
)
_GOLD = SlaPolicy(
    name="Gold",
    response_within=timedelta(hours=1),
    resolve_within=timedelta(hours=8),
    warn_before=timedelta(minutes=30),
    calendar=_OFFICE,
    pause_statuses={_WAITING},
    assign_to="ann",
    reassign_on_breach_to="lead-bob",
)
_STANDARD = SlaPolicy(
    name="Standard",
    response_within=timedelta(hours=4),
    resolve_within=timedelta(hours=16),
    warn_before=timedelta(hours=1),
    calendar=_OFFICE,
    pause_statuses={_WAITING},
)


def _tickets(today: date) -> list[tuple[str, SlaPolicy, list[TicketEvent]]]:
    def at(days: int, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(today + timedelta(days=days), time(hour, minute), _ZONE)

    def reply(moment: datetime) -> CommentAdded:
        return CommentAdded(moment, public=True, author="agent")

    return [
        ("#1041 Acme", _GOLD, [TicketCreated(at(0, 12, 30))]),
        (
            "#1042 Globex",
            _STANDARD,
            [
                TicketCreated(at(-3, 15)),
                reply(at(-3, 15, 30)),
                StatusChanged(at(-3, 15, 40), "In Progress"),
            ],
        ),
        ("#1043 Initech", _GOLD, [TicketCreated(at(0, 13, 20))]),
        (
            "#1044 Umbrella",
            _STANDARD,
            [
                TicketCreated(at(0, 10)),
                reply(at(0, 10, 20)),
                StatusChanged(at(0, 11), _WAITING),
            ],
        ),
        ("#1045 Acme", _STANDARD, [TicketCreated(at(-1, 20))]),
        (
            "#1046 Hooli",
            _GOLD,
            [TicketCreated(at(0, 9)), reply(at(0, 9, 10)), StatusChanged(at(0, 11), "Resolved")],
        ),
        ("#1047 Globex", _GOLD, [TicketCreated(at(0, 13, 55))]),
        ("#1048 Stark", _STANDARD, [TicketCreated(at(0, 9)), SlaPaused(at(0, 9, 30))]),
    ]


def _focus(status: SlaStatus) -> tuple[str, TargetStatus] | None:
    """The open target that decides the ticket's place: breached first, then due first."""
    open_targets = [(name, target) for name, target in status.targets if not target.is_complete]
    for name, target in open_targets:
        if target.state == "breached":
            return name, target
    running = [(name, target) for name, target in open_targets if target.due_at is not None]
    if running:
        return min(running, key=lambda item: item[1].due_at or status.evaluated_at)
    return open_targets[0] if open_targets else None


def _hours(amount: timedelta) -> str:
    minutes = int(amount / timedelta(minutes=1))
    sign = "-" if minutes < 0 else ""
    hours, minutes = divmod(abs(minutes), 60)
    return f"{sign}{hours}:{minutes:02d}"


def render(today: date) -> str:
    """The SLA board at 14:00 New York time on ``today``: open tickets in triage order.

    >>> print(render(date(2026, 11, 23)).splitlines()[0])
    SLA board, Mon 2026-11-23 14:00 America/New_York (office hours Mon-Fri 09:00-17:00)
    """
    now = datetime.combine(today, time(14), _ZONE)
    tickets = _tickets(today)
    statuses = list(evaluate_many(tickets, now))
    board = triage(statuses)
    header = (
        f"{'ticket':<15} {'policy':<9} {'colour':<7} {'response':<9} {'resolution':<10} "
        f"{'next target':<11} {'due':<16} {'remaining':>9}"
    )
    lines = [
        f"SLA board, {now:%a %Y-%m-%d %H:%M} America/New_York (office hours Mon-Fri 09:00-17:00)",
        header,
    ]
    for ticket, status in board:
        focus = _focus(status)
        name, target = focus if focus is not None else ("-", None)
        due = None if target is None else (target.breached_at or target.due_at)
        lines.append(
            f"{ticket:<15} {status.policy.name:<9} {status.color or '-':<7} "
            f"{status.response.state if status.response else '-':<9} "
            f"{status.resolution.state if status.resolution else '-':<10} "
            f"{name:<11} {f'{due:%a %m-%d %H:%M}' if due else '(paused)':<16} "
            f"{_hours(target.remaining) if target else '':>9}"
        )
    resolved = len(statuses) - len(board)
    upcoming = [status.next_change_at for _ticket, status in board if status.next_change_at]
    lines.append(
        f"{resolved} resolved ticket(s) not shown. Breached tickets first, then earliest due; "
        "remaining is business time."
    )
    if upcoming:
        lines.append(f"Next status change on this board: {min(upcoming):%a %H:%M:%S.%f}")
    return "\n".join(lines)
