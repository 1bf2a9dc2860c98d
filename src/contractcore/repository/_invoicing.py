"""Exactly-once invoice runs over a unit of work."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import attrs

from contractcore.contracts import Contract, ContractQuery, billable_period
from contractcore.errors import ContractCoreError, InvalidArgumentError
from contractcore.money import Money
from contractcore.pricing import Period, Service
from contractcore.pricing._checks import check_day
from contractcore.repository._common import check_tenant
from contractcore.repository._model import InvoicedLine, Versioned
from contractcore.repository._protocols import UnitOfWork
from contractcore.schedules import InvoiceLine, due_periods, invoice_run

__all__ = ["InvoicingFailure", "InvoicingResult", "run_invoicing", "run_invoicing_due"]

_TEXT = attrs.validators.instance_of(str)


@attrs.frozen(kw_only=True)
class InvoicingFailure:
    """A contract :func:`run_invoicing` could not invoice: nothing was written for it.

    Fix the contract (its data, a schedule) and run the period again: only what
    is missing is invoiced.

    Attributes:
        contract_id: The contract's id.
        error: The class name of the error, such as ``"InvalidArgumentError"``.
        message: The error's message (it names the field and the value).

    A scheduled discount larger than the price fails its contract alone:

    >>> from datetime import date
    >>> from contractcore.contracts import Contract
    >>> from contractcore.money import Money
    >>> from contractcore.pricing import Service
    >>> from contractcore.schedules import PRICE, Delta, On, Schedule, UpdateEvent
    >>> from contractcore.testing import InMemoryUnitOfWork
    >>> seats = Service(id="s-1", product_id="seat", unit_price=Money("12.50", "USD"),
    ...                 quantity=10, start_date=date(2026, 1, 1))
    >>> discount = Schedule(events=[UpdateEvent(On(date(2026, 3, 1)), PRICE,
    ...                                         Delta(Money("-20.00", "USD")))])
    >>> uow = InMemoryUnitOfWork()
    >>> with uow:
    ...     for number, schedules in (("1", ()), ("2", (discount,))):
    ...         _ = uow.contracts.add("acme", Contract(
    ...             id=f"c-{number}", number=f"CT-{number}", customer_id="42", name="Office",
    ...             status="active", start_date=date(2026, 1, 1), term_months=12,
    ...             services=(seats,), schedules=schedules))
    >>> result = run_invoicing(uow, "acme", Period(date(2026, 3, 1), date(2026, 3, 31)))
    >>> [item.contract_id for item in result.lines]
    ['c-1']
    >>> failure, = result.failures
    >>> failure.contract_id, failure.error
    ('c-2', 'InvalidArgumentError')
    >>> print(failure.message)
    update event on 2026-03-01 would make the price of service 's-1' negative: ...
    """

    contract_id: str = attrs.field(validator=_TEXT)
    error: str = attrs.field(validator=_TEXT)
    message: str = attrs.field(validator=_TEXT)


@attrs.frozen(kw_only=True)
class InvoicingResult:
    """What :func:`run_invoicing` wrote, and the contracts it could not invoice.

    Attributes:
        tenant: The tenant invoiced.
        period: The invoice period.
        lines: The lines written by this run (none when the period was done).
        already_invoiced: How many services already had their line for the period.
        failures: The contracts that failed, by id; none of their lines or
            watermarks were written.
        as_of: For a run by day (:func:`run_invoicing_due`), the day; ``period``
            is then that one day.
    """

    tenant: str
    period: Period
    lines: tuple[InvoicedLine, ...]
    already_invoiced: int
    failures: tuple[InvoicingFailure, ...] = ()
    as_of: date | None = None

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


def _failure(contract_id: str, exc: ContractCoreError) -> InvoicingFailure:
    return InvoicingFailure(contract_id=contract_id, error=type(exc).__name__, message=str(exc))


def _write(
    uow: UnitOfWork,
    tenant: str,
    stored: Versioned[Contract],
    lines: tuple[InvoicedLine, ...],
    services: tuple[Service, ...],
    *,
    on_step: Callable[[str], None],
) -> None:
    """Store one contract's new lines and its services (watermarks, marks), in the run's unit."""
    contract = stored.value
    if lines:
        uow.invoices.add(tenant, lines)
        on_step(f"lines written {contract.id}")
    if services != contract.services:
        uow.contracts.save(tenant, stored.evolve(attrs.evolve(contract, services=services)))
        on_step(f"saved {contract.id}")


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

    Contracts are isolated: one whose run raises a
    :class:`~contractcore.errors.ContractCoreError` (bad data, such as a
    scheduled discount larger than the price) is listed in
    :attr:`InvoicingResult.failures` with its error, and nothing is written
    for it; every other contract's lines and watermarks commit. Fix it and
    run the period again: only the missing lines are written. Errors of the
    store (:class:`~contractcore.errors.ConcurrencyError`, a driver error)
    and any other exception still roll the whole run back.

    Args:
        uow: A unit of work, not yet open (this function opens and closes it).
        tenant: The tenant to invoice.
        period: The invoice period, inclusive.
        query: Which contracts to consider.
        on_step: Called with a short label at each step (``"loaded"``,
            ``"invoiced <id>"``, ``"failed <id>"``, ``"lines written <id>"``,
            ``"saved <id>"``, ``"commit"``): for progress reports and for
            fault-injection tests. An exception it raises rolls the whole run back.

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
    failures: list[InvoicingFailure] = []
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
            # The pure part, before anything is written for this contract: an
            # error of its data fails this contract alone.
            try:
                run = invoice_run(contract, period, pending)
                lines = tuple(
                    InvoicedLine(contract_id=contract.id, line=line) for line in run.lines
                )
                updated = {service.id: service for service in run.services}
                services = tuple(updated.get(s.id, s) for s in contract.services)
            except ContractCoreError as exc:
                failures.append(_failure(contract.id, exc))
                on_step(f"failed {contract.id}")
                continue
            on_step(f"invoiced {contract.id}")
            _write(uow, tenant, stored, lines, services, on_step=on_step)
            written.extend(lines)
        on_step("commit")
    return InvoicingResult(
        tenant=tenant,
        period=period,
        lines=tuple(written),
        already_invoiced=skipped,
        failures=tuple(failures),
    )


def _due_run(
    contract: Contract, done: set[tuple[str, Period]], as_of: date
) -> tuple[tuple[InvoiceLine, ...], tuple[Service, ...], int]:
    """Every due period of every service of ``contract``: lines, services, periods skipped.

    The services due for the same days of the same period are priced by one
    :func:`invoice_run` call (its schedule plan is built once for them), the
    periods oldest first, so each service sees its own periods in order; the
    lines come out by service, then period, as if priced one by one.
    """
    order = {service.id: index for index, service in enumerate(contract.services)}
    current = {service.id: service for service in contract.services}
    through: dict[str, date] = {}
    groups: dict[tuple[Period, Period], list[str]] = {}
    skipped = 0
    for service in contract.services:
        for due in due_periods(contract, service, as_of):
            through[service.id] = due.period.last
            if (service.id, due.full) in done:
                skipped += 1  # written by a run by period: only the mark moves
            else:
                groups.setdefault((due.full, due.period), []).append(service.id)
    priced: list[tuple[int, date, InvoiceLine]] = []
    for full, days in sorted(groups, key=lambda key: (key[1].first, key[1].last)):
        run = invoice_run(contract, full, [current[key] for key in groups[full, days]], within=days)
        priced.extend((order[line.service_id], days.first, line) for line in run.lines)
        current.update((service.id, service) for service in run.services)
    services = tuple(
        attrs.evolve(current[s.id], billed_through=through[s.id]) if s.id in through else s
        for s in contract.services
    )
    priced.sort(key=lambda item: (item[0], item[1]))
    return tuple(line for _, _, line in priced), services, skipped


def run_invoicing_due(
    uow: UnitOfWork,
    tenant: str,
    as_of: date,
    *,
    query: ContractQuery | None = None,
    on_step: Callable[[str], None] = _no_step,
) -> InvoicingResult:
    """Invoice every billing period due on or before ``as_of``, exactly once, in one transaction.

    The run for a day (DESIGN 5.2): for every contract matching ``query``
    (default: active, canceled and completed contracts), each service gets
    one line per period :func:`~contractcore.schedules.due_periods` lists
    for ``as_of`` by its contract's billing terms (in advance or in arrears,
    anniversary, calendar or billing-day periods), catching up every period
    a host missed, oldest first, each priced as
    :func:`~contractcore.schedules.invoice_run` prices its full period (a
    stub prorated by day). The service's ``billed_through`` moves to the last
    day billed, so running the same day again, or an earlier one, writes
    nothing. A line is stored per contract, service and full period, the
    key :func:`run_invoicing` uses too: a period a run by period already
    wrote is skipped (and counted in ``already_invoiced``). Contracts are
    isolated as in :func:`run_invoicing`; lines, watermarks and marks commit
    together or not at all.

    Args:
        uow: A unit of work, not yet open.
        tenant: The tenant to invoice.
        as_of: The run's day.
        query: Which contracts to consider.
        on_step: As for :func:`run_invoicing`.

    >>> from contractcore.contracts import Contract
    >>> from contractcore.pricing import BillingTerms, Service
    >>> from contractcore.testing import InMemoryUnitOfWork
    >>> seats = Service(id="s-1", product_id="seat", unit_price=Money("31.00", "USD"),
    ...                 start_date=date(2026, 1, 15))
    >>> uow = InMemoryUnitOfWork()
    >>> with uow:
    ...     _ = uow.contracts.add("acme", Contract(
    ...         id="c-1", number="CT-1", customer_id="42", name="Office", status="active",
    ...         start_date=date(2026, 1, 15), term_months=12, services=(seats,),
    ...         billing=BillingTerms(mode="advance", alignment="calendar")))
    >>> run = run_invoicing_due(uow, "acme", date(2026, 3, 1))
    >>> for item in run.lines:  # January's stub, February, March
    ...     print(item.line.describe())
    2026-01-15..2026-01-31 17/31 days 1 x USD 31.00 = USD 17.00
    2026-02-01..2026-02-28 28/28 days 1 x USD 31.00 = USD 31.00
    2026-03-01..2026-03-31 31/31 days 1 x USD 31.00 = USD 31.00
    >>> len(run_invoicing_due(uow, "acme", date(2026, 3, 1)).lines)
    0
    """
    tenant = check_tenant(tenant)
    check_day(as_of, "as_of")
    queries = (
        (query,)
        if query is not None
        else (ContractQuery(statuses={"active", "canceled"}), ContractQuery(statuses={"completed"}))
    )
    written: list[InvoicedLine] = []
    failures: list[InvoicingFailure] = []
    skipped = 0
    with uow:
        contracts = sorted(
            (found for wanted in queries for found in uow.contracts.find(tenant, wanted)),
            key=lambda stored: stored.key,
        )
        on_step("loaded")
        for stored in contracts:
            contract = stored.value
            done = {
                (item.line.service_id, item.line.period)
                for item in uow.invoices.list(tenant, contract_id=contract.id)
            }
            try:
                lines, services, already = _due_run(contract, done, as_of)
            except ContractCoreError as exc:
                failures.append(_failure(contract.id, exc))
                on_step(f"failed {contract.id}")
                continue
            skipped += already
            on_step(f"invoiced {contract.id}")
            items = tuple(InvoicedLine(contract_id=contract.id, line=line) for line in lines)
            _write(uow, tenant, stored, items, services, on_step=on_step)
            written.extend(items)
        on_step("commit")
    return InvoicingResult(
        tenant=tenant,
        period=Period(as_of, as_of),
        lines=tuple(written),
        already_invoiced=skipped,
        failures=tuple(failures),
        as_of=as_of,
    )
