"""Sample aggregates for the repository tests (pinned dates)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from contractcore.contracts import Contract, ContractTemplate, save_as_template
from contractcore.money import Money
from contractcore.penalties import RemainingPercentPenalty
from contractcore.pricing import Service
from contractcore.repository import Ticket
from contractcore.schedules import PRICE, After, Percent, Schedule, UpdateEvent
from contractcore.sla import BusinessCalendar, SlaPolicy, StatusChanged, TicketCreated

__all__ = ["a_contract", "a_policy", "a_service", "a_template", "a_ticket"]


def a_service(service_id: str = "s-1", **changes: Any) -> Service:
    """A 1,000.00 USD monthly service from 2026-01-31."""
    fields: dict[str, Any] = {
        "id": service_id,
        "product_id": "managed-desktop",
        "unit_price": Money("1000.00", "USD"),
        "quantity": 2,
        "start_date": date(2026, 1, 31),
        "description": "Desktops",
    }
    fields.update(changes)
    return Service(**fields)


def a_contract(contract_id: str = "c-1", **changes: Any) -> Contract:
    """An active 12-month contract from 2026-01-01 with two services and a +10 % schedule."""
    fields: dict[str, Any] = {
        "id": contract_id,
        "number": f"CT-42-{contract_id}",
        "customer_id": "42",
        "name": "Managed IT",
        "status": "active",
        "start_date": date(2026, 1, 1),
        "term_months": 12,
        "created_on": date(2025, 12, 15),
        "services": (
            a_service(f"{contract_id}-s1"),
            a_service(f"{contract_id}-s2", unit_price=Money("12.34", "USD"), quantity="1.5"),
        ),
        "schedules": (
            Schedule(name="uplift", events=[UpdateEvent(After(months=1), PRICE, Percent(10))]),
        ),
        "penalty": RemainingPercentPenalty(10, Money("100.00", "USD")),
    }
    fields.update(changes)
    return Contract(**fields)


def a_policy(name: str = "Gold", **changes: Any) -> SlaPolicy:
    """A business-hours policy with response and resolution targets."""
    fields: dict[str, Any] = {
        "name": name,
        "response_within": timedelta(hours=1),
        "resolve_within": timedelta(hours=8),
        "warn_before": timedelta(minutes=30),
        "calendar": BusinessCalendar(
            "America/New_York",
            weekly_hours={day: [(time(9), time(17))] for day in range(5)},
            holidays=[date(2026, 11, 26)],
        ),
        "pause_statuses": {"Waiting on Customer"},
    }
    fields.update(changes)
    return SlaPolicy(**fields)


def a_template(name: str = "Managed IT 12 months") -> ContractTemplate:
    """A template saved from :func:`a_contract`."""
    return save_as_template(a_contract(), name)


def a_ticket(ticket_id: str = "1041", **changes: Any) -> Ticket:
    """A ticket under the ``gold`` policy, opened then waiting on the customer."""
    opened = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
    fields: dict[str, Any] = {
        "id": ticket_id,
        "title": f"#{ticket_id} Acme",
        "sla_policy_id": "gold",
        "contract_id": "c-1",
        "customer_id": "42",
        "events": (
            TicketCreated(opened),
            StatusChanged(opened + timedelta(hours=1), "Waiting on Customer"),
        ),
    }
    fields.update(changes)
    return Ticket(**fields)
