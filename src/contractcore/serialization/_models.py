"""Which classes a document can hold, and the tags of the unions (private)."""

from __future__ import annotations

import attrs

from contractcore.contracts import (
    Amendment,
    Attachment,
    Contract,
    ContractChange,
    ContractNumbering,
    ContractQuery,
    ContractTemplate,
    LinkedRecord,
    Quote,
    Reminder,
    RenewalOptions,
    TicketRecord,
    TimeEntry,
)
from contractcore.money import Money
from contractcore.penalties import (
    FixedPenalty,
    NoPenalty,
    RemainingPercentPenalty,
    TotalPercentPenalty,
)
from contractcore.pricing import (
    AmendmentCause,
    BillingDay,
    BillingTerms,
    LineItem,
    Period,
    PriceChange,
    PriceOverride,
    QuantityChange,
    RenewalCause,
    ScheduleCause,
    Service,
)
from contractcore.schedules import (
    After,
    AtRenewal,
    Delta,
    On,
    Percent,
    Schedule,
    ScheduleTemplate,
    SetTo,
    UpdateEvent,
)
from contractcore.sla import (
    AssignTechnician,
    BusinessCalendar,
    CommentAdded,
    ComposedCalendar,
    Notify,
    PriorityChanged,
    PriorityTargets,
    SetPriority,
    SlaPaused,
    SlaPolicy,
    SlaResumed,
    SlaStatus,
    StatusChanged,
    StatusTime,
    TargetStatus,
    TicketCreated,
)

__all__ = ["BY_MEMBERS", "MODELS", "PLAIN_MODELS", "TAGS", "UNIONS"]

#: The tag each member of a tagged union is written with, by union.
UNIONS: dict[str, dict[str, type]] = {
    "Penalty": {
        "none": NoPenalty,
        "fixed": FixedPenalty,
        "remaining_percent": RemainingPercentPenalty,
        "total_percent": TotalPercentPenalty,
    },
    # Alignment is also "anniversary" or "calendar", written as that text.
    "Alignment": {"billing_day": BillingDay},
    "Change": {"price": PriceChange, "quantity": QuantityChange},
    "Cause": {"schedule": ScheduleCause, "amendment": AmendmentCause, "renewal": RenewalCause},
    "When": {"on": On, "after": After, "at_renewal": AtRenewal},
    "Value": {"set_to": SetTo, "delta": Delta, "percent": Percent},
    "TicketEvent": {
        "ticket_created": TicketCreated,
        "status_changed": StatusChanged,
        "comment_added": CommentAdded,
        "sla_paused": SlaPaused,
        "sla_resumed": SlaResumed,
        "priority_changed": PriorityChanged,
    },
    "Action": {
        "assign_technician": AssignTechnician,
        "set_priority": SetPriority,
        "notify": Notify,
    },
}
#: The tag of each tagged class.
TAGS: dict[type, str] = {cls: tag for members in UNIONS.values() for tag, cls in members.items()}
BY_MEMBERS: dict[frozenset[type], dict[str, type]] = {
    frozenset(members.values()): members for members in UNIONS.values()
}

PLAIN_MODELS: tuple[type, ...] = (
    Amendment,
    Attachment,
    BillingTerms,
    Contract,
    ContractChange,
    ContractNumbering,
    ContractQuery,
    ContractTemplate,
    LineItem,
    LinkedRecord,
    Period,
    PriceOverride,
    PriorityTargets,
    Quote,
    Reminder,
    RenewalOptions,
    Schedule,
    ScheduleTemplate,
    Service,
    SlaPolicy,
    SlaStatus,
    StatusTime,
    TargetStatus,
    TicketRecord,
    TimeEntry,
    UpdateEvent,
)
#: Every class a document can hold, by the name written in the document's ``"type"``.
MODELS: dict[str, type] = {
    cls.__name__: cls
    for cls in sorted(
        (*PLAIN_MODELS, *TAGS, Money, BusinessCalendar, ComposedCalendar),
        key=lambda c: c.__name__,
    )
}

# The SLA modules import these names only for type checking; give them to
# attrs so the field types resolve (this fills in the classes' type metadata).
_NAMES = {
    "BusinessCalendar": BusinessCalendar,
    "ComposedCalendar": ComposedCalendar,
    "SlaPolicy": SlaPolicy,
}
for _cls in (*PLAIN_MODELS, *TAGS):
    attrs.resolve_types(_cls, localns=_NAMES)
