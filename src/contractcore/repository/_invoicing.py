"""Exactly-once invoice runs over a unit of work."""

from __future__ import annotations

from collections.abc import Callable

import attrs

from contractcore.contracts import ContractQuery, billable_period
from contractcore.errors import InvalidArgumentError
from contractcore.money import Money
from contractcore.pricing import Period
from contractcore.repository._common import check_tenant
from contractcore.repository._model import InvoicedLine
from contractcore.repository._protocols import UnitOfWork
from contractcore.schedules import invoice_run

__all__ = ["InvoicingResult", "run_invoicing"]


@attrs.frozen(kw_only=True)
class InvoicingResult:
    """What :func:`run_invoicing` wrote.

    Attributes:
        tenant: The tenant invoiced.
        period: The invoice period.
        lines: The lines written by this run (none when the period was done).
        already_invoiced: How many services already had their line for the period.
    """

    tenant: str
    period: Period
    lines: tuple[InvoicedLine, ...]
    already_invoiced: int

    def totals(self) -> dict[str, Money]:
        """The amount written per contract id."""
        sums: dict[str, Money] = {}
        for item in self.lines:
            amount = item.line.amount
            sums[item.contract_id] = (
                sums[item.contract_id] + amount if item.contract_id in sums else amount
            )
        return sums


def _no_step(step: str) -> None:
    """Default hook: do nothing."""


def run_invoicing(
    uow: UnitOfWork,
    tenant: str,
    period: Period,
    *,
    query: ContractQuery | None = None,
    on_step: Callable[[str], None] = _no_step,
) -> InvoicingResult:
    """Invoice a tenant's contracts for ``period`` exactly once, in one transaction.

    For every contract matching ``query`` (default: active and canceled
    contracts, and completed ones whose end date is in or after the period:
    a contract the nightly job completed or renewed on the 1st still has its
    last month billed) that covers a day of the period, the services without a line
    for this period are invoiced with
    :func:`~contractcore.schedules.invoice_run`: due scheduled events are
    applied, one line per service is written and the services' watermarks
    advance. Lines, watermarks and contracts commit together when the unit of
    work closes, or not at all. Running the same period again writes nothing
    new: a line is unique per contract, service and period.

    Args:
        uow: A unit of work, not yet open (this function opens and closes it).
        tenant: The tenant to invoice.
        period: The invoice period, inclusive.
        query: Which contracts to consider.
        on_step: Called with a short label at each step (``"loaded"``,
            ``"invoiced <id>"``, ``"lines written <id>"``, ``"saved <id>"``,
            ``"commit"``): for progress reports and for fault-injection tests.
            An exception it raises rolls the whole run back.

    Raises:
        ConcurrencyError: Someone changed a contract during the run; nothing
            was written, run it again.

    >>> from datetime import date
    >>> from contractcore.contracts import Contract
    >>> from contractcore.money import Money
    >>> from contractcore.pricing import Service
    >>> from contractcore.testing import InMemoryUnitOfWork
    >>> seats = Service(id="s-1", product_id="seat", unit_price=Money("12.50", "USD"),
    ...                 quantity=10, start_date=date(2026, 1, 1))
    >>> uow = InMemoryUnitOfWork()
    >>> with uow:
    ...     _ = uow.contracts.add("acme", Contract(
    ...         id="c-1", number="CT-1", customer_id="42", name="Office", status="active",
    ...         start_date=date(2026, 1, 1), term_months=12, services=(seats,)))
    >>> march = Period(date(2026, 3, 1), date(2026, 3, 31))
    >>> first = run_invoicing(uow, "acme", march)
    >>> again = run_invoicing(uow, "acme", march)
    >>> [str(i.line.amount) for i in first.lines], len(again.lines), again.already_invoiced
    (['USD 125.00'], 0, 1)
    """
    tenant = check_tenant(tenant)
    if not isinstance(period, Period):
        raise InvalidArgumentError(f"period must be a Period, got {period!r}")
    # By default completed contracts too, if their term reaches into the period.
    queries = (
        (query,)
        if query is not None
        else (
            ContractQuery(statuses={"active", "canceled"}),
            ContractQuery(statuses={"completed"}, end_from=period.first),
        )
    )
    written: list[InvoicedLine] = []
    skipped = 0
    with uow:
        done = {
            (item.contract_id, item.line.service_id)
            for item in uow.invoices.list(tenant, period=period)
        }
        contracts = sorted(  # by id, as find returns them
            (found for wanted in queries for found in uow.contracts.find(tenant, wanted)),
            key=lambda stored: stored.key,
        )
        on_step("loaded")
        for stored in contracts:
            contract = stored.value
            if billable_period(contract, period) is None:
                continue
            pending = [s for s in contract.services if (contract.id, s.id) not in done]
            skipped += len(contract.services) - len(pending)
            if not pending:
                continue
            run = invoice_run(contract, period, pending)
            on_step(f"invoiced {contract.id}")
            lines = tuple(InvoicedLine(contract_id=contract.id, line=line) for line in run.lines)
            if lines:
                uow.invoices.add(tenant, lines)
                on_step(f"lines written {contract.id}")
            updated = {service.id: service for service in run.services}
            services = tuple(updated.get(s.id, s) for s in contract.services)
            if services != contract.services:
                uow.contracts.save(tenant, stored.evolve(attrs.evolve(contract, services=services)))
                on_step(f"saved {contract.id}")
            written.extend(lines)
        on_step("commit")
    return InvoicingResult(
        tenant=tenant, period=period, lines=tuple(written), already_invoiced=skipped
    )
