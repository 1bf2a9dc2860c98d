"""Stored documents: the serialization package's envelopes, plus the repository's own records."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, TypeVar, cast

from contractcore.errors import SerializationError
from contractcore.money import Money
from contractcore.pricing import Period
from contractcore.repository._model import InvoicedLine, Ticket
from contractcore.schedules import AppliedEvent, InvoiceLine, LinePart, UpdateEvent
from contractcore.serialization import (
    READABLE_SCHEMAS,
    SCHEMA,
    from_data,
    from_document,
    to_data,
    to_document,
)
from contractcore.sla import TicketEvent

__all__ = ["decode", "encode"]

T = TypeVar("T")


def _value(value: Money | Decimal) -> Any:
    return to_data(value) if isinstance(value, Money) else str(value)


def _read_value(data: Any) -> Money | Decimal:
    return from_data(Money, data) if isinstance(data, dict) else Decimal(data)


def _ticket(ticket: Ticket) -> dict[str, Any]:
    return {
        "id": ticket.id,
        "title": ticket.title,
        "sla_policy_id": ticket.sla_policy_id,
        "contract_id": ticket.contract_id,
        "customer_id": ticket.customer_id,
        "events": [to_data(event) for event in ticket.events],
    }


def _read_ticket(data: dict[str, Any]) -> Ticket:
    return Ticket(
        id=data["id"],
        title=data["title"],
        sla_policy_id=data["sla_policy_id"],
        contract_id=data["contract_id"],
        customer_id=data["customer_id"],
        events=[from_data(TicketEvent, event) for event in data["events"]],
    )


def _line(item: InvoicedLine) -> dict[str, Any]:
    line = item.line
    return {
        "contract_id": item.contract_id,
        "service_id": line.service_id,
        "product_id": line.product_id,
        "description": line.description,
        "period": to_data(line.period),
        "unit_price": to_data(line.unit_price),
        "quantity": str(line.quantity),
        "amount": to_data(line.amount),
        "changes": [
            {
                "on": change.on.isoformat(),
                "schedule_index": change.schedule_index,
                "event_index": change.event_index,
                "event": to_data(change.event),
                "before": _value(change.before),
                "after": _value(change.after),
            }
            for change in line.changes
        ],
        "days": line.days,
        "period_days": line.period_days,
        "parts": [
            {
                "first": part.first.isoformat(),
                "last": part.last.isoformat(),
                "unit_price": to_data(part.unit_price),
                "quantity": str(part.quantity),
            }
            for part in line.parts
        ],
    }


def _read_days(value: Any) -> int:
    if value.__class__ is not int or value < 0:
        raise SerializationError(f"days must be an int >= 0, got {value!r}")
    return int(value)


def _read_line(data: dict[str, Any]) -> InvoicedLine:
    changes = tuple(
        AppliedEvent(
            on=date.fromisoformat(change["on"]),
            schedule_index=change["schedule_index"],
            event_index=change["event_index"],
            event=from_data(UpdateEvent, change["event"]),
            before=_read_value(change["before"]),
            after=_read_value(change["after"]),
        )
        for change in data["changes"]
    )
    period = from_data(Period, data["period"])
    period_days = _read_days(data.get("period_days", period.days))
    # A part's amount is not stored: it has more decimal places than a document
    # holds, and follows from the rest exactly as the invoice run computed it.
    parts = tuple(
        LinePart.for_days(
            date.fromisoformat(part["first"]),
            date.fromisoformat(part["last"]),
            from_data(Money, part["unit_price"]),
            Decimal(part["quantity"]),
            period_days or period.days,
        )
        for part in data.get("parts", ())
    )
    # A line stored before lines stated their days reads as charging its whole
    # period, without parts: its amount cannot tell how many days it charged.
    line = InvoiceLine(
        service_id=data["service_id"],
        product_id=data["product_id"],
        description=data["description"],
        period=period,
        unit_price=from_data(Money, data["unit_price"]),
        quantity=Decimal(data["quantity"]),
        amount=from_data(Money, data["amount"]),
        changes=changes,
        days=_read_days(data.get("days", period.days)),
        period_days=period_days,
        parts=parts,
    )
    return InvoicedLine(contract_id=data["contract_id"], line=line)


_OWN: dict[type, tuple[Any, Any]] = {
    Ticket: (_ticket, _read_ticket),
    InvoicedLine: (_line, _read_line),
}


def encode(value: object) -> dict[str, Any]:
    """Return the document stored for ``value`` (with its schema version)."""
    own = _OWN.get(type(value))
    if own is None:
        return to_document(value)
    return {"schema": SCHEMA, "type": type(value).__name__, "data": own[0](value)}


def decode(cls: type[T], document: Any) -> T:
    """Read a stored document as a ``cls``.

    Raises:
        SerializationError: The document is not a valid ``cls`` document.
    """
    own = _OWN.get(cls)
    if own is None:
        return from_document(cls, document)
    if not isinstance(document, dict) or document.get("schema") not in READABLE_SCHEMAS:
        raise SerializationError(
            f"schema: a stored {cls.__name__} must be one of "
            + ", ".join(map(repr, READABLE_SCHEMAS))
        )
    try:
        return cast(T, own[1](document["data"]))
    except SerializationError:
        raise
    except (KeyError, TypeError, ValueError, ArithmeticError) as exc:
        raise SerializationError(f"a stored {cls.__name__} cannot be read: {exc!r}") from None
