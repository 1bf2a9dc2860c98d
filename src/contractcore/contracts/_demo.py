"""The contracts section of ``contractcore demo``: the nightly job and what ends soon."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from contractcore.contracts._lifecycle import cancel
from contractcore.contracts._model import Contract, ContractKind, ContractStatus, RenewalOptions
from contractcore.contracts._notices import Step, due_soon, run_nightly
from contractcore.contracts._numbering import ContractNumbering, allocate

__all__ = ["render", "sample_contracts"]

_SAMPLES: tuple[tuple[str, str, str, dict[str, Any]], ...] = (
    ("1001", "Acme Corp", "Managed IT", {
        "status": "active", "kind": "auto_renew", "start_date": date(2025, 12, 10),
        "term_months": 12, "renewal": RenewalOptions(term_months=12),
    }),
    ("1002", "Birch Dental", "Antivirus, 25 seats", {
        "status": "active", "start_date": date(2025, 12, 1), "term_months": 12,
    }),
    ("1003", "Cedar Law", "Offsite backup", {
        "status": "active", "start_date": date(2025, 6, 1), "term_months": 24,
    }),
    ("1004", "Delta Foods", "Help desk", {
        "status": "pending", "start_date": date(2026, 11, 23), "term_months": 12,
    }),
    ("1005", "Elm Clinic", "Hosting, monthly", {
        "status": "active", "kind": "auto_renew", "start_date": date(2026, 10, 23),
        "term_months": 1, "renewal": RenewalOptions(term_months=1),
    }),
    ("1006", "Fir Retail", "VoIP lines", {
        "status": "active", "start_date": date(2026, 1, 1), "term_months": 12,
    }),
)  # fmt: skip


def sample_contracts() -> tuple[Contract, ...]:
    """Six pinned sample contracts, numbered by a :class:`ContractNumbering`.

    Fir Retail's contract is canceled as of 2026-12-15.
    """
    numbering = ContractNumbering(prefix="CT", min_length=4)
    contracts = []
    for customer_id, customer, name, fields in _SAMPLES:
        number, numbering = allocate(numbering, customer_id, fields["start_date"])
        contract = Contract(
            id=f"c-{customer_id}",
            number=number,
            customer_id=customer_id,
            name=f"{customer}: {name}",
            **fields,
        )
        contracts.append(contract)
    contracts[-1] = cancel(contracts[-1], on=date(2026, 12, 15)).contract
    return tuple(contracts)


def _kind(contract: Contract) -> str:
    return "auto-renew" if contract.kind is ContractKind.AUTO_RENEW else "fixed"


def render(today: date) -> str:
    """Return the contracts section of the demo for ``today`` (plain text).

    It runs the nightly job on the sample contracts, then lists renewals,
    completions and cancellations due in the next 30 days.

    >>> print(render(date(2026, 11, 23)).splitlines()[0])
    Contracts on 2026-11-23: nightly job
    """
    contracts = sample_contracts()
    run = run_nightly(contracts, today)
    changed = {c.id: c for c in run.contracts}
    current = [changed.get(c.id, c) for c in contracts]
    lines = [f"Contracts on {today}: nightly job"]
    if not run.actions:
        lines.append("  nothing to do")
    for action in run.actions:
        after = action.after
        if action.step is Step.COMPLETE:
            what = f"term ended {after.end_date}"
        else:
            what = f"term {after.start_date} .. {after.end_date or 'open'}"
        lines.append(f"  {action.step.value:<9} {after.number:<13} {after.name:<34} {what}")
    horizon = timedelta(days=30)
    lines.append("")
    lines.append(f"Ending in the next 30 days ({today} .. {today + horizon})")
    lines.append(
        f"  {'last day':<10}  {'days':>4}  {'then':<9} {'number':<13} {'contract':<34} kind"
    )
    upcoming = due_soon(current, today, horizon)
    if not upcoming:
        lines.append("  none")
    for item in upcoming:
        c = item.contract
        lines.append(
            f"  {item.last_day!s:<10}  {item.days_left:>4}  {item.outcome.value:<9} "
            f"{c.number:<13} {c.name:<34} {_kind(c)}"
        )
    active = sum(1 for c in current if c.status is ContractStatus.ACTIVE)
    lines.append("")
    lines.append(f"{len(current)} sample contracts, {active} active after tonight's run.")
    return "\n".join(lines)
