"""The stored half of ``contractcore demo`` and the CLI's reports over a database.

The sample data (customers' contracts with services and schedules, SLA
policies, tickets) is written to a store once; every section is then read
back from the store, as a host application would.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from datetime import date, datetime, time, timedelta

import attrs

from contractcore.contracts import Contract, ContractQuery, ContractStatus, due_soon
from contractcore.contracts import _billing_demo as billing_demo
from contractcore.contracts import _demo as contracts_demo
from contractcore.errors import InvalidArgumentError, NotFoundError
from contractcore.money import Money
from contractcore.penalties import early_termination_penalty
from contractcore.pricing import BillingTerms, Period, Service
from contractcore.repository._invoicing import (
    InvoicingResult,
    run_invoicing,
    run_invoicing_due,
)
from contractcore.repository._model import Ticket
from contractcore.repository._nightly import run_nightly_job
from contractcore.repository._protocols import UnitOfWork
from contractcore.repository._ticket_services import sla_board
from contractcore.sla import _demo as sla_demo

__all__ = [
    "DEMO_TENANT",
    "format_invoice_run",
    "month_of",
    "render_board",
    "render_invoice_run",
    "render_penalty",
    "render_renewals",
    "seed",
]

DEMO_TENANT = "default"
NewUow = Callable[[], UnitOfWork]


def month_of(day: date) -> Period:
    """The calendar month holding ``day``."""
    last = calendar.monthrange(day.year, day.month)[1]
    return Period(day.replace(day=1), day.replace(day=last))


def seed(new_uow: NewUow, tenant: str, today: date) -> bool:
    """Store the sample data in ``tenant`` unless it is there; return whether it was written.

    The billing contracts are stored as invoiced up to the end of the month
    before ``today``.
    """
    with new_uow() as uow:
        try:
            uow.sla_policies.get(tenant, "gold")
        except NotFoundError:
            pass
        else:
            return False
        uow.sla_policies.add(tenant, "gold", sla_demo._GOLD)
        uow.sla_policies.add(tenant, "standard", sla_demo._STANDARD)
        for label, policy, events in sla_demo._tickets(today):
            number, _, customer = label.partition(" ")
            uow.tickets.add(
                tenant,
                Ticket(
                    id=number.lstrip("#"),
                    title=label,
                    sla_policy_id=policy.name.lower(),
                    customer_id=customer,
                    events=events,
                ),
            )
        watermark = month_of(today).first - timedelta(days=1)
        for contract in billing_demo.sample_contracts():
            uow.contracts.add(tenant, billing_demo._invoiced_up_to(contract, watermark))
        for contract in contracts_demo.sample_contracts():
            uow.contracts.add(tenant, contract)
        numbering = uow.numbering.get(tenant)
        uow.numbering.save(
            tenant, numbering.evolve(attrs.evolve(numbering.value, prefix="CT", next_sequence=7))
        )
    return True


def render_board(new_uow: NewUow, tenant: str, now: datetime) -> str:
    """The SLA board of the tenant's stored tickets at ``now``, worst first."""
    board = sla_board(new_uow(), tenant, now)
    lines = [
        f"SLA board, {now:%a %Y-%m-%d %H:%M %Z} ({board.stored} stored tickets)",
        (
            f"{'ticket':<15} {'policy':<9} {'colour':<7} {'response':<9} {'resolution':<10} "
            f"{'next target':<11} {'due':<16} {'remaining':>9}"
        ),
    ]
    for row in board.rows:
        status = row.status
        label = row.ticket.title or row.ticket.id
        focus = sla_demo._focus(status)
        name, target = focus if focus is not None else ("-", None)
        due = None if target is None else (target.breached_at or target.due_at)
        lines.append(
            f"{label:<15} {status.policy.name:<9} {status.color or '-':<7} "
            f"{status.response.state if status.response else '-':<9} "
            f"{status.resolution.state if status.resolution else '-':<10} "
            f"{name:<11} {f'{due:%a %m-%d %H:%M}' if due else '(paused)':<16} "
            f"{sla_demo._hours(target.remaining) if target else '':>9}"
        )
    lines.append(f"{board.resolved} resolved ticket(s) not shown.")
    if board.not_created_yet:
        lines.append(f"{board.not_created_yet} ticket(s) created after then not shown.")
    return "\n".join(lines)


def render_renewals(
    new_uow: NewUow, tenant: str, today: date, within: timedelta, *, apply: bool
) -> str:
    """Contracts ending within ``within``; with ``apply``, run the nightly job first."""
    lines = []
    if apply:
        run = run_nightly_job(new_uow(), tenant, today)
        lines.append(f"Nightly job on {today}: {len(run.actions)} step(s), saved")
        for action in run.actions:
            after = action.after
            term = f"{after.start_date} .. {after.end_date or 'open'}"
            lines.append(f"  {action.step.value:<9} {after.number:<13} {after.name:<34} {term}")
        lines.append("")
    with new_uow() as uow:
        contracts = [s.value for s in uow.contracts.find(tenant, ContractQuery())]
    lines.append(f"Ending in the next {within.days} days ({today} .. {today + within})")
    lines.append(f"  {'last day':<10}  {'days':>4}  {'then':<9} {'number':<13} contract")
    upcoming = due_soon(contracts, today, within)
    lines.extend(
        f"  {item.last_day!s:<10}  {item.days_left:>4}  {item.outcome.value:<9} "
        f"{item.contract.number:<13} {item.contract.name}"
        for item in upcoming
    )
    if not upcoming:
        lines.append("  none")
    active = sum(1 for c in contracts if c.status is ContractStatus.ACTIVE)
    lines.append(f"{len(contracts)} stored contracts, {active} active.")
    return "\n".join(lines)


def render_invoice_run(new_uow: NewUow, tenant: str, period: Period) -> str:
    """Run (exactly once) and print the invoice run of ``period``, with its breakdown."""
    return format_invoice_run(new_uow, run_invoicing(new_uow(), tenant, period))


def format_invoice_run(new_uow: NewUow, result: InvoicingResult) -> str:
    """The lines a run wrote, with their breakdown, then the contracts that failed."""
    period = result.period
    ids = {i.contract_id for i in result.lines} | {f.contract_id for f in result.failures}
    with new_uow() as uow:
        names = {s.key: (s.value.number, s.value.name) for s in uow.contracts.find(
            result.tenant, ContractQuery(ids=ids)
        )}  # fmt: skip
    if result.as_of is not None:
        title = f"Invoice run of the periods due by {result.as_of}"
    else:
        title = f"Invoice run {period.first} .. {period.last}"
    lines = [f"{title}: {len(result.lines)} new line(s)"]
    if result.failures:
        lines[0] += f", {len(result.failures)} contract(s) failed"
    totals = result.totals()
    current = None
    for item in result.lines:
        if item.contract_id != current:
            if current is not None:
                lines.append(f"    {'total':<41} {totals[current].format():>14}")
            current = item.contract_id
            number, name = names.get(current, (current, ""))
            lines.append(f"  {number}  {name}")
        line = item.line
        lines.extend(billing_demo.line_rows(line, line.description or line.service_id))
    if current is not None:
        lines.append(f"    {'total':<41} {totals[current].format():>14}")
    if result.already_invoiced:
        lines.append(
            f"  {result.already_invoiced} service(s) already invoiced for this period: "
            "not billed again."
            if result.as_of is None
            else f"  {result.already_invoiced} period(s) already invoiced by a run by period: "
            "not billed again."
        )
    if result.failures:
        lines.append("  Failed, nothing written for them (fix them and run the period again):")
    for failure in result.failures:
        number, name = names.get(failure.contract_id, ("", ""))
        lines.append(f"    {failure.contract_id}  {number}  {name}".rstrip())
        lines.append(f"      {failure.error}: {failure.message}")
    return "\n".join(lines)


def render_penalty(new_uow: NewUow, tenant: str, contract_id: str, cancel_on: date) -> str:
    """The early-termination penalty for cancelling a stored contract on ``cancel_on``."""
    with new_uow() as uow:
        contract = uow.contracts.get(tenant, contract_id).value
    quote = early_termination_penalty(contract, cancel_on)
    lines = [f"Penalty quote: {contract.number} cancelled on {cancel_on} (last day covered)"]
    if quote.window is not None and quote.base is not None:
        lines.append(
            f"  charges {quote.window.first} .. {quote.window.last}: {quote.base.format()}"
            f" over {len(quote.lines)} billing periods"
        )
    lines.append(f"  penalty: {quote.amount.format()} ({quote.reason})")
    return "\n".join(lines)


def parse_period(text: str) -> Period:
    """``2026-11`` (a month) or ``2026-11-01..2026-11-30``."""
    try:
        if ".." in text:
            first, _, last = text.partition("..")
            return Period(date.fromisoformat(first.strip()), date.fromisoformat(last.strip()))
        year, month = (int(part) for part in text.split("-"))
        return month_of(date(year, month, 1))
    except (ValueError, TypeError):
        raise InvalidArgumentError(
            f"PERIOD must look like 2026-11 or 2026-11-01..2026-11-30, got {text!r}"
        ) from None


def demo_now(today: date) -> datetime:
    """14:00 in New York on ``today``: the demo board's moment."""
    return datetime.combine(today, time(14), sla_demo._ZONE)


def studio_contract(today: date) -> Contract:
    """A calendar-aligned contract billed in advance, its service starting mid-month.

    It starts on the 15th of the month before ``today``'s, so a run on the
    first of ``today``'s month bills a stub (the 15th to that month's end) and
    the month just begun.
    """
    start = (month_of(today).first - timedelta(days=1)).replace(day=15)
    seats = Service(
        id="studio-seats",
        product_id="design-seat",
        description="Design studio seats",
        unit_price=Money("31.00", "USD"),
        quantity=4,
        start_date=start,
    )
    return Contract(
        id="c-studio",
        number="CT-55-0001",
        customer_id="55",
        name="Northwind Studio",
        status="active",
        start_date=start,
        term_months=12,
        services=(seats,),
        billing=BillingTerms(mode="advance", alignment="calendar"),
    )


def render_billing_periods(new_uow: NewUow, tenant: str, today: date) -> str:
    """A run by day for a calendar-aligned contract billed in advance, with its stub month.

    The contract is stored in a tenant of its own (``<tenant>:periods``), so
    the other sections' figures stay as they are; it is read back from there.
    """
    periods_tenant = f"{tenant}:periods"
    contract = studio_contract(today)
    with new_uow() as uow:
        try:
            uow.contracts.get(periods_tenant, contract.id)
        except NotFoundError:
            uow.contracts.add(periods_tenant, contract)
    as_of = month_of(today).first
    result = run_invoicing_due(new_uow(), periods_tenant, as_of)
    terms = contract.billing
    head = (
        f"Billing periods: {contract.number} {contract.name}, {terms.alignment} months "
        f"billed in {terms.mode}, from {contract.start_date}; the run of {as_of}"
    )
    rows = [head]
    rows += [f"  {item.line.describe()}" for item in result.lines]
    if result.lines:
        total = Money.total((item.line.amount for item in result.lines), contract.currency)
        rows.append(f"  total {total.format()}; running the same day again bills nothing")
    else:
        rows.append("  nothing due (already billed: the demo's database was used before)")
    return "\n".join(rows)
