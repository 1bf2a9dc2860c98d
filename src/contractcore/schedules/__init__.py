"""Service update schedules: scheduled price and quantity changes applied exactly once.

Events are data (:class:`UpdateEvent`); :func:`apply_schedules` applies the
ones due in an invoice period and advances the service's ``applied_up_to``
watermark; :func:`price_timeline` projects future prices.
"""

from __future__ import annotations

from contractcore.schedules._apply import AppliedEvent, ScheduleRun, apply_schedules, event_date
from contractcore.schedules._events import (
    CONTRACT_START,
    PRICE,
    QUANTITY,
    SERVICE_START,
    Action,
    After,
    Anchor,
    AtRenewal,
    Delta,
    On,
    Percent,
    Schedule,
    ScheduleTemplate,
    SetTo,
    UpdateEvent,
    Value,
    When,
)

__all__ = [
    "CONTRACT_START",
    "PRICE",
    "QUANTITY",
    "SERVICE_START",
    "Action",
    "After",
    "Anchor",
    "AppliedEvent",
    "AtRenewal",
    "Delta",
    "On",
    "Percent",
    "Schedule",
    "ScheduleRun",
    "ScheduleTemplate",
    "SetTo",
    "UpdateEvent",
    "Value",
    "When",
    "apply_schedules",
    "event_date",
]
