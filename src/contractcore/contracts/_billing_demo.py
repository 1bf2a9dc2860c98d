"""The demo's billing section: an invoice run with schedule breakdowns, and a penalty quote."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import attrs

from contractcore.contracts import Contract, RenewalOptions, run_nightly
from contractcore.money import Money
from contractcore.penalties import (
    RemainingPercentPenalty,
    TotalPercentPenalty,
    early_termination_penalty,
)
from contractcore.pricing import Period, Service
from contractcore.schedules._apply import apply_schedules
from contractcore.schedules._events import (
    PRICE,
    QUANTITY,
    After,
    AtRenewal,
    Delta,
    On,
    Percent,
    Schedule,
    SetTo,
    UpdateEvent,
)
from contractcore.schedules._invoice import InvoiceLine, invoice_run

__all__ = ["line_rows", "render", "sample_contracts"]


def _usd(amount: str) -> Money:
    return Money(amount, "USD")


def sample_contracts() -> tuple[Contract, ...]:
    """Three sample contracts with services and update schedules (pinned dates).

    The first prorates mid-period changes (its new clinic's workstations are
    billed from the 16th); the others price each period whole.
    """
    acme = Contract(
        id="c-acme",
        number="CT-42-0007",
        customer_id="42",
        name="Acme Dental - Managed IT",
        status="active",
        start_date=date(2026, 1, 1),
        term_months=24,
        services=(
            Service(id="acme-ws", product_id="managed-workstation", unit_price=_usd("45.00"),
                    quantity=25, start_date=date(2026, 1, 1), description="Workstations"),
            Service(id="acme-bk", product_id="cloud-backup-1tb", unit_price=_usd("120.00"),
                    start_date=date(2026, 2, 10), description="Cloud backup 1 TB"),
        ),
        schedules=(
            Schedule(name="Year-one uplift",
                     events=[UpdateEvent(After(months=10), PRICE, Percent(4))]),
            Schedule(name="New clinic", targets=["acme-ws"],
                     events=[UpdateEvent(On(date(2026, 11, 16)), QUANTITY, Delta(5))]),
        ),
        penalty=RemainingPercentPenalty(10, _usd("500.00")),
        mid_period_changes="prorate",
    )  # fmt: skip
    birch = Contract(
        id="c-birch",
        number="CT-77-0002",
        customer_id="77",
        name="Birch Legal - Office 365",
        status="active",
        kind="auto_renew",
        renewal=RenewalOptions(term_months=12),
        start_date=date(2025, 12, 1),
        term_months=12,
        services=(
            Service(id="birch-m365", product_id="m365-business", unit_price=_usd("12.50"),
                    quantity=40, start_date=date(2025, 12, 1), description="Microsoft 365 seats"),
            Service(id="birch-fw", product_id="firewall", unit_price=_usd("89.00"),
                    start_date=date(2025, 12, 1), description="Managed firewall"),
        ),
        schedules=(
            Schedule(name="Loyalty price", targets=["birch-m365"],
                     events=[UpdateEvent(On(date(2026, 11, 1)), PRICE, SetTo(_usd("11.90")))]),
            Schedule(name="Renewal uplift", events=[UpdateEvent(AtRenewal(), PRICE, Percent(3))]),
        ),
        penalty=TotalPercentPenalty(1, _usd("100.00")),
    )  # fmt: skip
    hinoki = Contract(
        id="c-hinoki",
        number="CT-90-0001",
        customer_id="90",
        name="Hinoki KK - Hosting",
        status="active",
        currency="JPY",
        start_date=date(2026, 4, 1),
        term_months=12,
        services=(
            Service(id="hinoki-vps", product_id="vps-large", unit_price=Money(9800, "JPY"),
                    quantity=3, start_date=date(2026, 4, 1), description="VPS large"),
        ),
        schedules=(
            Schedule(name="Power surcharge",
                     events=[UpdateEvent(On(date(2026, 11, 1)), PRICE, Percent("2.5"))]),
        ),
    )  # fmt: skip
    return acme, birch, hinoki


def _month_of(today: date) -> Period:
    last = calendar.monthrange(today.year, today.month)[1]
    return Period(today.replace(day=1), today.replace(day=last))


def _invoiced_up_to(contract: Contract, day: date) -> Contract:
    """The contract as if each service had been invoiced from its start up to ``day``.

    One run over the whole history gives the same services as a run per
    month (splitting a run never changes its result).
    """
    services = tuple(
        apply_schedules(contract, service, Period(service.start_date, day)).service
        if service.start_date <= day
        else service
        for service in contract.services
    )
    return attrs.evolve(contract, services=services)


def line_rows(line: InvoiceLine, label: str) -> list[str]:
    """An invoice line as the demo prints it: quantity, price, amount and days charged.

    A line split at mid-period changes shows its parts; then the changes applied.
    """
    if len(line.parts) > 1:
        how = f"in {len(line.parts)} parts"
    else:
        qty = f"{line.quantity.normalize():f}"
        how = f"{qty:>3} x {line.unit_price.format(exact=True):>12}"
    days = f"{line.days}/{line.period_days} days"
    rows = [f"    {label:<20} {how:>18} = {line.amount.format():>14}  {days}"]
    if len(line.parts) > 1:
        rows.extend(f"      {part.describe(line.period_days)}" for part in line.parts)
    rows.extend(f"      {change.describe()}" for change in line.changes)
    return rows


def render(today: date) -> str:
    """Return the billing section of the demo for ``today`` (plain text).

    It brings three sample contracts up to date (every service invoiced up to
    the end of the previous month, so earlier scheduled changes are in its
    price, and the nightly job run: renewals and completions due by
    ``today``), invoices the month of ``today``, and quotes the penalty for
    cancelling the first contract on ``today``.

    >>> print(render(date(2026, 11, 23)).splitlines()[0])
    Invoice run 2026-11-01 .. 2026-11-30 (services invoiced up to 2026-10-31)
    """
    period = _month_of(today)
    watermark = period.first - timedelta(days=1)
    out = [f"Invoice run {period.first} .. {period.last} (services invoiced up to {watermark})"]
    invoiced = []
    for sample in sample_contracts():
        contract = _invoiced_up_to(sample, watermark)
        # The nightly job has run this morning: renewals and completions due.
        contract = next(iter(run_nightly([contract], today).contracts), contract)
        run = invoice_run(contract, period)
        out.append(f"  {contract.number}  {contract.name}")
        for line in run.lines:
            out.extend(line_rows(line, line.description))
        if run.total is not None:
            out.append(f"    {'total':<41} {run.total.format():>14}")
        invoiced.append(attrs.evolve(contract, services=run.services))
    target = invoiced[0]
    quote = early_termination_penalty(target, today)
    out.append("")
    out.append(f"Penalty quote: {target.number} cancelled on {today} (last day covered)")
    if quote.window is not None and quote.base is not None:
        out.append(
            f"  charges {quote.window.first} .. {quote.window.last}: {quote.base.format()}"
            f" over {len(quote.lines)} billing periods"
        )
    out.append(f"  penalty: {quote.amount.format()} ({quote.reason})")
    return "\n".join(out)
