"""Service update schedules: scheduled price and quantity changes applied exactly once.

Events are data (:class:`UpdateEvent`); :func:`apply_schedules` applies the
ones due in an invoice period and advances the service's ``applied_up_to``
watermark; :func:`price_timeline` projects future prices; :func:`due_periods`
lists the billing periods due for a service on a day.
"""

from __future__ import annotations

from contractcore._public import publish
from contractcore.schedules._apply import AppliedEvent, ScheduleRun, apply_schedules, event_date
from contractcore.schedules._due import DuePeriod, due_periods
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
    ScheduleOrigin,
    ScheduleTemplate,
    SetTo,
    UpdateEvent,
    Value,
    When,
)
from contractcore.schedules._invoice import (
    InvoiceLine,
    InvoiceRun,
    LinePart,
    MidPeriodChanges,
    invoice_run,
)
from contractcore.schedules._templates import import_schedule_template, save_schedule_template
from contractcore.schedules._terms import ScheduleTerms
from contractcore.schedules._timeline import PricePoint, price_timeline

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
    "DuePeriod",
    "InvoiceLine",
    "InvoiceRun",
    "LinePart",
    "MidPeriodChanges",
    "On",
    "Percent",
    "PricePoint",
    "Schedule",
    "ScheduleOrigin",
    "ScheduleRun",
    "ScheduleTemplate",
    "ScheduleTerms",
    "SetTo",
    "UpdateEvent",
    "Value",
    "When",
    "apply_schedules",
    "due_periods",
    "event_date",
    "import_schedule_template",
    "invoice_run",
    "price_timeline",
    "save_schedule_template",
]

publish(__name__)  # the names above report contractcore.schedules, not its private modules
