"""Pinned sample models for the example tests and the docs (every field filled)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from contractcore.contracts import Attachment, Contract, Reminder, RenewalOptions
from contractcore.money import Money
from contractcore.penalties import RemainingPercentPenalty
from contractcore.pricing import PriceOverride, Service
from contractcore.schedules import PRICE, After, Percent, Schedule, UpdateEvent
from contractcore.sla import (
    BusinessCalendar,
    CommentAdded,
    SlaPolicy,
    StatusChanged,
    TicketCreated,
    TicketEvent,
)

__all__ = ["sample_contract", "sample_events", "sample_policy"]


def sample_contract() -> Contract:
    """An auto-renewing managed-IT contract with two services, a schedule and a penalty."""
    uplift = Schedule(
        events=[UpdateEvent(After(months=12), PRICE, Percent(3))], targets={"s-1"}, name="Uplift"
    )
    return Contract(
        id="c-1",
        number="CT-42-0001",
        customer_id="42",
        name="Managed IT",
        status="active",
        kind="auto_renew",
        start_date=date(2026, 1, 1),
        term_months=12,
        renewal=RenewalOptions(term_months=12, schedules=(uplift,)),
        estimated_value=Money("14400.00", "USD"),
        likelihood=90,
        primary_contact_id="contact-9",
        description="Helpdesk and backups",
        notes="Signed at the October meeting",
        assigned_technician_id="tech-7",
        sla_policy_id="gold",
        apply_to_new_tickets=True,
        reminders=(Reminder(on=date(2026, 11, 1), text="Call about renewal"),),
        attachments=(
            Attachment(name="signed.pdf", media_type="application/pdf", storage_key="s3://c/1"),
        ),
        services=(
            Service(
                id="s-1",
                product_id="helpdesk",
                unit_price=Money("1000.00", "USD"),
                start_date=date(2026, 1, 1),
            ),
            Service(
                id="s-2",
                product_id="backup",
                unit_price=Money("20.00", "USD"),
                quantity=Decimal(10),
                start_date=date(2026, 1, 1),
                applied_up_to=date(2026, 1, 31),
            ),
        ),
        price_overrides=(PriceOverride("labor-hour", Money("95.00", "USD")),),
        blocklist={"crypto-mining"},
        schedules=(uplift,),
        penalty=RemainingPercentPenalty(10, Money("100.00", "USD")),
    )


def sample_policy() -> SlaPolicy:
    """The worked example 1 of DESIGN.md: London business hours, 2 h response, 12 h resolution."""
    weekdays = {day: [(time(8), time(18))] for day in range(5)}
    return SlaPolicy(
        name="Business hours",
        response_within=timedelta(hours=2),
        resolve_within=timedelta(hours=12),
        calendar=BusinessCalendar("Europe/London", weekly_hours=weekdays),
        warn_before=timedelta(minutes=30),
        assign_to="tech-7",
        reassign_on_breach_to="lead-1",
    )


def sample_events() -> list[TicketEvent]:
    """Created Friday 17:00 BST, first agent reply Monday 09:30 GMT, then in progress."""
    created = datetime(2026, 10, 23, 16, 0, tzinfo=UTC)
    return [
        TicketCreated(created, status="Open"),
        CommentAdded(datetime(2026, 10, 26, 9, 30, tzinfo=UTC), public=True, author="agent"),
        StatusChanged(datetime(2026, 10, 26, 9, 31, tzinfo=UTC), "In Progress"),
    ]
