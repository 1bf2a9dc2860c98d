"""The nightly contract job over a unit of work."""

from __future__ import annotations

from datetime import date

from contractcore.contracts import ContractQuery, NightlyRun, run_nightly
from contractcore.repository._common import check_tenant
from contractcore.repository._protocols import UnitOfWork

__all__ = ["run_nightly_job"]


def run_nightly_job(uow: UnitOfWork, tenant: str, today: date) -> NightlyRun:
    """Activate, renew and complete the tenant's contracts due on ``today``, in one transaction.

    Loads the pending and active contracts, applies
    :func:`~contractcore.contracts.run_nightly` and saves the changed ones.
    Running it twice on the same day changes nothing the second time.

    Args:
        uow: A unit of work, not yet open (this function opens and closes it).
        tenant: The tenant.
        today: The host's today.

    Raises:
        ConcurrencyError: A contract changed during the run; nothing was saved.

    >>> from contractcore.contracts import Contract
    >>> from contractcore.testing import InMemoryUnitOfWork
    >>> uow = InMemoryUnitOfWork()
    >>> with uow:
    ...     _ = uow.contracts.add("acme", Contract(id="c-1", number="CT-1", customer_id="42",
    ...                           name="Office", start_date=date(2026, 11, 23), term_months=12))
    >>> [a.step.value for a in run_nightly_job(uow, "acme", date(2026, 11, 23)).actions]
    ['activate']
    >>> run_nightly_job(uow, "acme", date(2026, 11, 23)).actions
    ()
    """
    tenant = check_tenant(tenant)
    with uow:
        stored = uow.contracts.find(tenant, ContractQuery(statuses={"pending", "active"}))
        run = run_nightly([s.value for s in stored], today)
        by_id = {s.key: s for s in stored}
        for contract in run.contracts:
            uow.contracts.save(tenant, by_id[contract.id].evolve(contract))
    return run
