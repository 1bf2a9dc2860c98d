"""Persistence at the edge: repository protocols, a unit of work, exactly-once invoice runs.

Every repository method takes the tenant first, and nothing outside that
tenant is ever read or changed. Stored aggregates come back as
:class:`Versioned` copies; saving a stale copy raises
:class:`~contractcore.errors.ConcurrencyError` and leaves the stored one as it was.

Backends: :mod:`contractcore.testing` (in memory, for tests) and
:mod:`contractcore.repository.sql` (SQLite, the embedded default, and
PostgreSQL, through SQLAlchemy Core; install the ``sql`` extra).

>>> from datetime import date
>>> from contractcore.testing import InMemoryUnitOfWork
>>> uow = InMemoryUnitOfWork()
>>> with uow:
...     uow.numbering.allocate("acme", "42", date(2026, 11, 23))
'42-0001'
"""

from __future__ import annotations

from contractcore._public import publish
from contractcore.repository._invoicing import (
    InvoicingFailure,
    InvoicingResult,
    run_invoicing,
    run_invoicing_due,
)
from contractcore.repository._model import (
    AuditAction,
    AuditEntry,
    InvoicedLine,
    PendingAction,
    Ticket,
    Versioned,
)
from contractcore.repository._nightly import run_nightly_job
from contractcore.repository._outbox import action_id, pending_actions
from contractcore.repository._protocols import (
    AuditRepository,
    ContractRepository,
    InvoiceRepository,
    NumberingRepository,
    SlaPolicyRepository,
    TemplateRepository,
    TicketRepository,
    UnitOfWork,
)
from contractcore.repository._renewals import renewals_due
from contractcore.repository._ticket_services import (
    DEFAULT_OPEN_STATUSES,
    BoardRow,
    SlaBoard,
    evaluate_ticket,
    open_ticket,
    record_ticket_event,
    sla_board,
)
from contractcore.repository._wakeups import tickets_to_wake

__all__ = [
    "DEFAULT_OPEN_STATUSES",
    "AuditAction",
    "AuditEntry",
    "AuditRepository",
    "BoardRow",
    "ContractRepository",
    "InvoiceRepository",
    "InvoicedLine",
    "InvoicingFailure",
    "InvoicingResult",
    "NumberingRepository",
    "PendingAction",
    "SlaBoard",
    "SlaPolicyRepository",
    "TemplateRepository",
    "Ticket",
    "TicketRepository",
    "UnitOfWork",
    "Versioned",
    "action_id",
    "evaluate_ticket",
    "open_ticket",
    "pending_actions",
    "record_ticket_event",
    "renewals_due",
    "run_invoicing",
    "run_invoicing_due",
    "run_nightly_job",
    "sla_board",
    "tickets_to_wake",
]

publish(__name__)  # the names above report contractcore.repository, not its private modules
