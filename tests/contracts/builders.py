"""Small builders for readable example tests."""

from __future__ import annotations

from datetime import date
from typing import Any

from contractcore.contracts import Contract
from contractcore.money import Money
from contractcore.pricing import Service

__all__ = ["a_contract", "a_service"]


def a_contract(**changes: Any) -> Contract:
    """An active 12-month fixed contract from 2026-01-01, with ``changes`` applied."""
    fields: dict[str, Any] = {
        "id": "c-1",
        "number": "CT-42-0001",
        "customer_id": "42",
        "name": "Managed IT",
        "status": "active",
        "start_date": date(2026, 1, 1),
        "term_months": 12,
    }
    fields.update(changes)
    return Contract(**fields)


def a_service(service_id: str = "s-1", **changes: Any) -> Service:
    """A 1,000.00 USD monthly service from 2026-01-01, with ``changes`` applied."""
    fields: dict[str, Any] = {
        "id": service_id,
        "product_id": "managed-desktop",
        "unit_price": Money("1000.00", "USD"),
        "start_date": date(2026, 1, 1),
    }
    fields.update(changes)
    return Service(**fields)
