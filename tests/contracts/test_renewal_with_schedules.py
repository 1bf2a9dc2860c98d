"""The nightly job and invoice runs together, across renewals (with contractcore.schedules)."""

from __future__ import annotations

from datetime import date

import attrs

from contractcore.contracts import Contract, RenewalOptions, run_nightly
from contractcore.money import Money
from contractcore.pricing import Period, add_months
from contractcore.schedules import PRICE, AtRenewal, Percent, Schedule, UpdateEvent, apply_schedules

from .builders import a_contract, a_service


def invoice_every_month(
    contract: Contract, first: date, months: int
) -> tuple[Contract, list[Money]]:
    """Each month: run the nightly job on the 1st, then invoice the month."""
    prices: list[Money] = []
    for k in range(months):
        period = Period.months(add_months(first, k))
        run = run_nightly([contract], period.first)
        if run.contracts:
            contract = run.contracts[0]
        (service,) = contract.services
        service = apply_schedules(contract, service, period).service
        contract = attrs.evolve(contract, services=(service,))
        prices.append(service.unit_price)
    return contract, prices


def test_an_at_renewal_uplift_applies_once_on_each_renewal_day() -> None:
    contract = a_contract(
        kind="auto_renew",
        services=(a_service(unit_price=Money("100.00", "USD")),),
        schedules=(Schedule(events=[UpdateEvent(AtRenewal(), PRICE, Percent(10))]),),
        renewal=RenewalOptions(
            term_months=12,
            schedules=(Schedule(events=[UpdateEvent(AtRenewal(), PRICE, Percent(5))]),),
        ),
    )
    final, prices = invoice_every_month(contract, date(2026, 1, 1), 36)
    assert {str(p) for p in prices[:12]} == {"USD 100.00"}
    assert {str(p) for p in prices[12:24]} == {"USD 110.00"}
    assert {str(p) for p in prices[24:]} == {"USD 115.50"}
    assert final.renewal_count == 2
