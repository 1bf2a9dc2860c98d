"""SLA engine: policies, ticket timelines, exact business-time clocks and reports."""

from contractcore._public import publish
from contractcore.sla._ingest import TimelineBuilder
from contractcore.sla._ingest_models import HostRecord, HostTicket, PauseRules, StatusMap
from contractcore.sla._ingest_report import (
    Mismatch,
    RecordNote,
    TicketSource,
    Timeline,
    TimelineReport,
)
from contractcore.sla.calendar import BusinessCalendar
from contractcore.sla.clocks import Calendar, evaluate
from contractcore.sla.composed import ComposedCalendar, calendar_from_dict, intersection, union
from contractcore.sla.events import (
    CommentAdded,
    PriorityChanged,
    SlaPaused,
    SlaResumed,
    StatusChanged,
    TicketCreated,
    TicketEvent,
)
from contractcore.sla.explanation import Explanation, Segment, explain
from contractcore.sla.policy import PriorityTargets, SlaPolicy
from contractcore.sla.reports import (
    ComplianceReport,
    GroupCompliance,
    TargetCompliance,
    compliance_report,
    evaluate_many,
    percentile,
    triage,
)
from contractcore.sla.status import (
    Action,
    AssignTechnician,
    Notify,
    SetPriority,
    SlaStatus,
    StatusTime,
    TargetStatus,
)

__all__ = [
    "Action",
    "AssignTechnician",
    "BusinessCalendar",
    "Calendar",
    "CommentAdded",
    "ComplianceReport",
    "ComposedCalendar",
    "Explanation",
    "GroupCompliance",
    "HostRecord",
    "HostTicket",
    "Mismatch",
    "Notify",
    "PauseRules",
    "PriorityChanged",
    "PriorityTargets",
    "RecordNote",
    "Segment",
    "SetPriority",
    "SlaPaused",
    "SlaPolicy",
    "SlaResumed",
    "SlaStatus",
    "StatusChanged",
    "StatusMap",
    "StatusTime",
    "TargetCompliance",
    "TargetStatus",
    "TicketCreated",
    "TicketEvent",
    "TicketSource",
    "Timeline",
    "TimelineBuilder",
    "TimelineReport",
    "calendar_from_dict",
    "compliance_report",
    "evaluate",
    "evaluate_many",
    "explain",
    "intersection",
    "percentile",
    "triage",
    "union",
]

publish(__name__)  # the names above report contractcore.sla, not its private modules
