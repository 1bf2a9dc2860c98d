"""The commands over a database: ``invoice-run``, ``renewals`` and ``sla board``.

Each builds its report once as data; the text and the ``--format json``
document are two renderings of the same data, so they carry the same figures.
"""

from __future__ import annotations

import argparse
import os
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from contractcore.cli._board import board
from contractcore.cli._common import (
    UsageError,
    add_format,
    add_now,
    add_today,
    emit,
    jsonable,
    parse_day,
    resolve_now,
    resolve_today,
)
from contractcore.cli._database import NewUow, database
from contractcore.errors import InvalidArgumentError
from contractcore.reports._cli import add_report_parser

if TYPE_CHECKING:
    from contractcore.repository import InvoicingResult

__all__ = ["DEFAULT_DB", "DEFAULT_TENANT", "add_parsers", "invoice_document", "renewals", "run"]

DEFAULT_DB = "sqlite:///contractcore.db"
DEFAULT_TENANT = "default"


def renewals(
    new_uow: NewUow, tenant: str, today: date, within: timedelta, *, apply: bool
) -> tuple[str, dict[str, Any]]:
    """Contracts ending within ``within``; with ``apply``, run the nightly job first."""
    from contractcore.contracts import ContractQuery, ContractStatus, due_soon  # noqa: PLC0415
    from contractcore.repository import run_nightly_job  # noqa: PLC0415

    lines = []
    steps: list[dict[str, Any]] | None = None
    if apply:
        run = run_nightly_job(new_uow(), tenant, today)
        lines.append(f"Nightly job on {today}: {len(run.actions)} step(s), saved")
        steps = []
        for action in run.actions:
            after = action.after
            term = f"{after.start_date} .. {after.end_date or 'open'}"
            lines.append(f"  {action.step.value:<9} {after.number:<13} {after.name:<34} {term}")
            steps.append(
                {
                    "step": action.step.value,
                    "effective_on": jsonable(action.effective_on),
                    "contract_id": after.id,
                    "number": after.number,
                    "name": after.name,
                    "start_date": jsonable(after.start_date),
                    "end_date": jsonable(after.end_date),
                }
            )
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
    document = {
        "command": "renewals",
        "tenant": tenant,
        "today": today.isoformat(),
        "within_days": within.days,
        "nightly_job": steps,
        "ending": [
            {
                "last_day": item.last_day.isoformat(),
                "days_left": item.days_left,
                "then": item.outcome.value,
                "contract_id": item.contract.id,
                "number": item.contract.number,
                "name": item.contract.name,
            }
            for item in upcoming
        ],
        "stored_contracts": len(contracts),
        "active_contracts": active,
    }
    return "\n".join(lines), document


def _money(amount: Any) -> dict[str, str]:
    return {"amount": str(amount.amount), "currency": amount.currency}


def invoice_document(new_uow: NewUow, result: InvoicingResult) -> dict[str, Any]:
    """An invoice run's result as JSON: the lines written, totals, and failures."""
    from contractcore.contracts import ContractQuery  # noqa: PLC0415

    ids = {i.contract_id for i in result.lines} | {f.contract_id for f in result.failures}
    with new_uow() as uow:
        found = uow.contracts.find(result.tenant, ContractQuery(ids=ids))
        names = {s.key: (s.value.number, s.value.name) for s in found}
    lines = []
    for item in result.lines:
        line = item.line
        lines.append(
            {
                "contract_id": item.contract_id,
                "number": names.get(item.contract_id, ("", ""))[0],
                "service_id": line.service_id,
                "description": line.description,
                "first": line.period.first.isoformat(),
                "last": line.period.last.isoformat(),
                "quantity": str(line.quantity),
                "unit_price": _money(line.unit_price),
                "amount": _money(line.amount),
                "days": line.days,
                "period_days": line.period_days,
            }
        )
    return {
        "command": "invoice-run",
        "tenant": result.tenant,
        "period": None
        if result.as_of is not None
        else {"first": result.period.first.isoformat(), "last": result.period.last.isoformat()},
        "as_of": jsonable(result.as_of),
        "lines": lines,
        "totals": {key: _money(value) for key, value in sorted(result.totals().items())},
        "already_invoiced": result.already_invoiced,
        "failures": [
            {
                "contract_id": f.contract_id,
                "number": names.get(f.contract_id, ("", ""))[0],
                "error": f.error,
                "message": f.message,
            }
            for f in result.failures
        ],
    }


def run(args: argparse.Namespace) -> str | None:
    """Run a command on a database; return a problem to report on stderr (exit 1), or None."""
    from contractcore.repository import (  # noqa: PLC0415 - SQLAlchemy only when used
        _demo,
        run_invoicing,
        run_invoicing_due,
    )

    # The arguments first: a bad one is reported before the database is opened.
    period = None
    if args.command == "invoice-run":
        if (args.period is None) == (args.as_of is None):
            msg = "invoice-run takes a PERIOD or --as-of DAY (one of them)"
            raise UsageError(msg)
        if args.period is not None:
            try:
                period = _demo.parse_period(args.period)
            except InvalidArgumentError as exc:
                raise UsageError(str(exc)) from None
    now = resolve_now(args) if args.command == "sla" else None
    today = resolve_today(args) if args.command == "renewals" else None
    with database(args.db) as new_uow:
        if args.command == "invoice-run":
            result = (
                run_invoicing(new_uow(), args.tenant, period)
                if period is not None
                else run_invoicing_due(new_uow(), args.tenant, args.as_of)
            )
            emit(
                args,
                _demo.format_invoice_run(new_uow, result),
                invoice_document(new_uow, result),
            )
            if result.failures:
                return (
                    f"{len(result.failures)} contract(s) not invoiced (listed above); "
                    "the other contracts' lines were written"
                )
            return None
        if today is not None:
            emit(
                args,
                *renewals(
                    new_uow, args.tenant, today, timedelta(days=args.within), apply=args.apply
                ),
            )
            return None
        assert now is not None
        emit(args, *board(new_uow, args.tenant, now))
        return None


def _days(text: str) -> int:
    try:
        days = int(text)
    except ValueError:
        days = -1
    if not 0 <= days <= 36_500:
        msg = f"must be a whole number of days from 0 to 36500, got {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return days


def add_parsers(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    sla_actions: argparse._SubParsersAction[argparse.ArgumentParser],
) -> None:
    """``invoice-run``, ``renewals`` and ``sla board``."""
    stored = argparse.ArgumentParser(add_help=False)
    stored.add_argument(
        "--db",
        default=os.environ.get("CONTRACTCORE_DB", DEFAULT_DB),
        help="SQLAlchemy database URL (default: $CONTRACTCORE_DB or sqlite:///contractcore.db)",
    )
    stored.add_argument("--tenant", default=DEFAULT_TENANT, help="tenant (default: 'default')")
    add_format(stored)
    invoice = sub.add_parser(
        "invoice-run", parents=[stored], help="invoice a period exactly once and print the lines"
    )
    invoice.add_argument(
        "period", metavar="PERIOD", nargs="?", help="2026-11 or 2026-11-01..2026-11-30"
    )
    invoice.add_argument(
        "--as-of",
        type=parse_day,
        metavar="DAY",
        help="YYYY-MM-DD: invoice every period due by that day (the contracts' billing terms)",
    )
    renewal = sub.add_parser(
        "renewals", parents=[stored], help="contracts ending soon (--apply runs the nightly job)"
    )
    add_today(renewal)
    renewal.add_argument("--within", type=_days, default=30, help="days ahead (default 30)")
    renewal.add_argument(
        "--apply", action="store_true", help="activate, renew and complete what is due, first"
    )
    add_report_parser(sub, stored)
    sla_board = sla_actions.add_parser(
        "board", parents=[stored], help="stored tickets, worst first"
    )
    add_now(sla_board)
