"""``contractcore report sla``: the monthly SLA report of stored tickets, and the demo's files.

The command line registers the command with :func:`add_report_parser` and
runs it with :func:`run_report`; both import the report libraries only when
a report is made.
"""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path

from contractcore.contracts import ContractQuery
from contractcore.errors import InvalidArgumentError, NotFoundError
from contractcore.repository import UnitOfWork
from contractcore.schedules import price_timeline

__all__ = ["add_report_parser", "run_report", "write_demo_files"]

NewUow = Callable[[], UnitOfWork]
Database = Callable[[str], AbstractContextManager[NewUow]]


def _percent(text: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation:
        msg = f"not a percentage: {text!r}"
        raise argparse.ArgumentTypeError(msg) from None


def add_report_parser(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    stored: argparse.ArgumentParser,
) -> None:
    """Add ``report sla`` to ``commands``; ``stored`` carries ``--db`` and ``--tenant``."""
    report = commands.add_parser("report", help="reports to send: the monthly SLA report (HTML)")
    kinds = report.add_subparsers(dest="action", required=True)
    sla = kinds.add_parser(
        "sla",
        parents=[stored],
        help="one self-contained HTML file: a contract's or customer's month",
    )
    whose = sla.add_mutually_exclusive_group(required=True)
    whose.add_argument("--contract", metavar="ID", help="the contract's tickets")
    whose.add_argument("--customer", metavar="ID", help="all the customer's tickets")
    sla.add_argument(
        "--month", required=True, type=_month, metavar="YYYY-MM", help="the report's month"
    )
    sla.add_argument("-o", "--output", required=True, metavar="FILE", help="the HTML file to write")
    sla.add_argument(
        "--now", help="ISO datetime the clocks are read at (default: the end of the month)"
    )
    sla.add_argument("--agreed-response", type=_percent, metavar="PCT", help="agreed met %%")
    sla.add_argument("--agreed-resolution", type=_percent, metavar="PCT", help="agreed met %%")


def _month(text: str) -> str:
    """``--month`` as argparse reads it: a bad month is a command-line error (exit 2)."""
    try:
        _month_end(text)
    except InvalidArgumentError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text


def _month_end(month: str) -> datetime:
    year, _, number = month.partition("-")
    try:
        first = date(int(year), int(number), 1)
    except ValueError:
        msg = f"--month must be YYYY-MM, got {month!r}"
        raise InvalidArgumentError(msg) from None
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return datetime(following.year, following.month, 1, tzinfo=UTC)


def _report(
    new_uow: NewUow,
    tenant: str,
    *,
    month: str,
    now: datetime,
    contract: str | None,
    customer: str | None,
    agreed: dict[str, Decimal],
) -> str:
    from contractcore.reports._monthly import (  # noqa: PLC0415 - the reports extra, only here
        ReportTicket,
        monthly_sla_report,
    )

    with new_uow() as uow:
        policies = {s.key: s.value for s in uow.sla_policies.list(tenant)}
        stored = [s.value for s in uow.tickets.list(tenant)]
        title = None
        if contract is not None:
            found = uow.contracts.get(tenant, contract).value
            title = found.name
            customer = found.customer_id
    chosen = [
        t
        for t in stored
        if (t.contract_id == contract if contract is not None else t.customer_id == customer)
        and t.events
    ]
    for ticket in chosen:
        if ticket.sla_policy_id not in policies:
            msg = (
                f"ticket {ticket.id!r} refers to SLA policy {ticket.sla_policy_id!r}, "
                f"which tenant {tenant!r} does not have"
            )
            raise NotFoundError(msg)
    tickets = [
        ReportTicket(
            id=t.id,
            title=t.title,
            policy=policies[t.sla_policy_id],
            events=t.events,
            contract=t.contract_id or "",
        )
        for t in chosen
    ]
    return monthly_sla_report(
        tickets, month=month, now=now, customer=customer or "", contract=title, agreed=agreed
    )


def run_report(args: argparse.Namespace, database: Database) -> str:
    """Write the report ``args`` ask for and return the line saying where it is."""
    end = _month_end(args.month)
    now = end
    if args.now:
        now = datetime.fromisoformat(args.now)
        if now.tzinfo is None:
            now = now.replace(tzinfo=UTC)
    agreed = {
        name: value
        for name, value in (
            ("response", args.agreed_response),
            ("resolution", args.agreed_resolution),
        )
        if value is not None
    }
    with database(args.db) as new_uow:
        html = _report(
            new_uow,
            args.tenant,
            month=args.month,
            now=now,
            contract=args.contract,
            customer=args.customer,
            agreed=agreed,
        )
    output = Path(args.output)
    output.write_text(html, encoding="utf-8")
    return f"Wrote the SLA report for {args.month} to {output}"


def write_demo_files(new_uow: NewUow, tenant: str, now: datetime) -> str:
    """The demo's report and price chart, written to a new directory; the lines naming them."""
    from contractcore.reports._charts import price_chart_svg  # noqa: PLC0415 - see _report

    directory = Path(tempfile.mkdtemp(prefix="contractcore-demo-reports-"))
    with new_uow() as uow:
        tickets = [s.value for s in uow.tickets.list(tenant)]
        contracts = [s.value for s in uow.contracts.find(tenant, ContractQuery())]
    customer = next((t.customer_id for t in tickets if t.customer_id), None)
    month = f"{now:%Y-%m}"
    report = directory / f"sla-report-{customer}-{month}.html"
    report.write_text(
        _report(
            new_uow,
            tenant,
            month=month,
            now=now,
            contract=None,
            customer=customer,
            agreed={"response": Decimal(95), "resolution": Decimal(90)},
        ),
        encoding="utf-8",
    )
    lines = [f"SLA report of {customer}, {month}: {report}"]
    priced = next((c for c in contracts if c.services and c.schedules), None)
    if priced is not None:
        service = priced.services[0]
        until = priced.start_date.replace(year=priced.start_date.year + 3)
        chart = directory / f"price-{priced.id}-{service.id}.svg"
        points = price_timeline(priced, service, until)
        chart.write_text(price_chart_svg(points, until=until), encoding="utf-8")
        lines.append(f"Price chart of {priced.id} / {service.id}: {chart}")
    return "\n".join(lines)
