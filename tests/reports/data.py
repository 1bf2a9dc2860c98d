"""Tickets for the report tests: a year of a contract's tickets, some breached, some paused."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from html.parser import HTMLParser

from contractcore.reports import ReportTicket
from contractcore.sla import (
    BusinessCalendar,
    CommentAdded,
    SlaPolicy,
    StatusChanged,
    TicketCreated,
    TicketEvent,
)

HOSTILE = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
)
NOW = datetime(2026, 6, 3, 12, 0, tzinfo=UTC)
CALENDAR = BusinessCalendar(
    "UTC", weekly_hours={day: [(time(8), time(18))] for day in range(5)}, holidays={}
)


def policy(status: str = "Waiting on Customer", name: str = "Gold") -> SlaPolicy:
    """A policy with both targets, a warning, and ``status`` as its pause status."""
    return SlaPolicy(
        name=name,
        response_within=timedelta(hours=1),
        resolve_within=timedelta(hours=8),
        warn_before=timedelta(hours=1),
        pause_statuses=frozenset({status}),
        calendar=CALENDAR,
    )


def tickets(
    text: str | None = None, contracts: tuple[str, ...] = ("Support",)
) -> list[ReportTicket]:
    """Tickets from 2025-07 to 2026-05; every data text is ``text`` when given."""
    pause = text or "Waiting on Customer"
    rule = policy(pause, text or "Gold")
    made: list[ReportTicket] = []
    number = 0
    for month in range(11):
        index = 2025 * 12 + 6 + month
        start = datetime(index // 12, index % 12 + 1, 4, 9, 0, tzinfo=UTC)
        for hours in (2, 6, 12, 30):
            for contract in contracts:
                number += 1
                opened = start + timedelta(days=number % 3)
                events: list[TicketEvent] = [
                    TicketCreated(opened),
                    CommentAdded(
                        opened + timedelta(minutes=15 * (number % 5)), public=True, author="agent"
                    ),
                ]
                if hours == 6:
                    events.append(StatusChanged(opened + timedelta(hours=1, minutes=30), pause))
                    events.append(StatusChanged(opened + timedelta(hours=3), "In Progress"))
                events.append(StatusChanged(opened + timedelta(hours=hours), "Resolved"))
                made.append(
                    ReportTicket(
                        id=text or f"T-{number}",
                        title=text or f"Ticket {number}",
                        policy=rule,
                        events=events,
                        contract=text or contract,
                    )
                )
    return made


class Elements(HTMLParser):
    """Every start tag with its attributes, and the page's text (a report or a browser's DOM)."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(html: str) -> Elements:
    """``html`` read by :class:`Elements`."""
    parser = Elements()
    parser.feed(html)
    return parser
