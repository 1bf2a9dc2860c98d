"""Renewals due, one call over a unit of work (DESIGN 6.1)."""

from __future__ import annotations

from datetime import date, timedelta

from contractcore.contracts import ContractQuery, UpcomingEnd, due_soon
from contractcore.repository._common import check_tenant
from contractcore.repository._protocols import UnitOfWork

__all__ = ["renewals_due"]


def renewals_due(
    uow: UnitOfWork, tenant: str, today: date, within: timedelta = timedelta(days=30)
) -> tuple[UpcomingEnd, ...]:
    """The tenant's stored contracts whose last covered day is in ``[today, today + within]``.

    What :func:`~contractcore.contracts.due_soon` says of the stored pending,
    active and canceled contracts (renew, complete or cancel, by last day,
    then number), read in one unit of work (opened and closed here). Run
    :func:`~contractcore.repository.run_nightly_job` to carry the steps out.

    >>> from contractcore.contracts import Contract
    >>> from contractcore.testing import InMemoryUnitOfWork, InMemoryStore
    >>> store = InMemoryStore()
    >>> with InMemoryUnitOfWork(store) as uow:
    ...     _ = uow.contracts.add("acme", Contract(id="c-1", number="CT-1", customer_id="42",
    ...         name="Office", status="active", start_date=date(2026, 1, 1), term_months=12))
    >>> [(u.contract.number, u.outcome.value, u.days_left)
    ...  for u in renewals_due(InMemoryUnitOfWork(store), "acme", date(2026, 12, 1))]
    [('CT-1', 'complete', 30)]
    """
    tenant = check_tenant(tenant)
    with uow:
        query = ContractQuery(statuses={"pending", "active", "canceled"})
        contracts = [s.value for s in uow.contracts.find(tenant, query)]
    return due_soon(contracts, today, within)
