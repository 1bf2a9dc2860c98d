"""Contracts: the model, its lifecycle, templates, numbering, tickets, quotes and reports.

Everything here is a pure function over frozen :class:`Contract` values: the
caller passes ``today`` and stores what comes back.

>>> from datetime import date
>>> from contractcore.contracts import Contract, RenewalOptions, activate, renew
>>> c = Contract(id="c-1", number="CT-42-0001", customer_id="42", name="Managed IT",
...              kind="auto_renew", start_date=date(2026, 1, 31), term_months=1,
...              renewal=RenewalOptions(term_months=1))
>>> c.end_date, renew(activate(c)).start_date
(datetime.date(2026, 2, 27), datetime.date(2026, 2, 28))
"""

from __future__ import annotations

from contractcore._public import publish
from contractcore.contracts._amendments import Amendment, add_service, amend, end_service
from contractcore.contracts._association import (
    AssociationWarning,
    LinkedRecord,
    TicketLinks,
    WarningCode,
    association_warnings,
    contract_for_new_ticket,
    sla_policy_for_new_ticket,
)
from contractcore.contracts._dates import term_end
from contractcore.contracts._lifecycle import (
    Cancellation,
    activate,
    cancel,
    complete,
    is_in_force,
    renew,
    revoke_cancellation,
)
from contractcore.contracts._model import (
    Attachment,
    Contract,
    ContractKind,
    ContractStatus,
    Reminder,
    RenewalOptions,
)
from contractcore.contracts._notices import (
    DueAction,
    DueReminder,
    EndOutcome,
    NightlyRun,
    Step,
    UpcomingEnd,
    billable_period,
    due_actions,
    due_soon,
    reminders_due,
    run_nightly,
)
from contractcore.contracts._numbering import (
    ContractNumbering,
    NumberFormat,
    allocate,
    set_next_sequence,
)
from contractcore.contracts._quotes import (
    ContractChange,
    Quote,
    QuoteStatus,
    apply_change,
    approve_quote,
    process_quote,
    process_requote,
    requote,
)
from contractcore.contracts._search import (
    ContractQuery,
    ContractSupportTime,
    ContractTickets,
    CustomerContracts,
    TicketRecord,
    TimeEntry,
    contracts_per_customer,
    search_contracts,
    support_time_per_contract,
    tickets_per_contract,
)
from contractcore.contracts._templates import (
    ContractTemplate,
    contract_from_template,
    save_as_template,
)

__all__ = [
    "Amendment",
    "AssociationWarning",
    "Attachment",
    "Cancellation",
    "Contract",
    "ContractChange",
    "ContractKind",
    "ContractNumbering",
    "ContractQuery",
    "ContractStatus",
    "ContractSupportTime",
    "ContractTemplate",
    "ContractTickets",
    "CustomerContracts",
    "DueAction",
    "DueReminder",
    "EndOutcome",
    "LinkedRecord",
    "NightlyRun",
    "NumberFormat",
    "Quote",
    "QuoteStatus",
    "Reminder",
    "RenewalOptions",
    "Step",
    "TicketLinks",
    "TicketRecord",
    "TimeEntry",
    "UpcomingEnd",
    "WarningCode",
    "activate",
    "add_service",
    "allocate",
    "amend",
    "apply_change",
    "approve_quote",
    "association_warnings",
    "billable_period",
    "cancel",
    "complete",
    "contract_for_new_ticket",
    "contract_from_template",
    "contracts_per_customer",
    "due_actions",
    "due_soon",
    "end_service",
    "is_in_force",
    "process_quote",
    "process_requote",
    "reminders_due",
    "renew",
    "requote",
    "revoke_cancellation",
    "run_nightly",
    "save_as_template",
    "search_contracts",
    "set_next_sequence",
    "sla_policy_for_new_ticket",
    "support_time_per_contract",
    "term_end",
    "tickets_per_contract",
]

publish(__name__)  # the names above report contractcore.contracts, not its private modules
