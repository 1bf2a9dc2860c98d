"""A separate process for the multi-process tests: ``python -m tests.repository.child ...``.

* ``allocate URL TENANT N [PAUSE]``: allocate N contract numbers, one unit of work each
  (PAUSE seconds apart),
  printing each number.
* ``edit URL TENANT N``: print ``ready``; once the first number is issued, edit the
  numbering settings N times as an administrator would (read in one unit of
  work, save in another a moment later; every other edit saves a fresh
  ``ContractNumbering``), retrying a save that raises ConcurrencyError;
  prints ``edits TRIED SUCCEEDED RETRIED OVERLAPPED``, OVERLAPPED counting the
  edits during which numbers were issued.
* ``invoice URL TENANT FIRST LAST STEP``: run an invoice run that prints
  ``ready`` at STEP and then waits to be killed.
* ``deliver URL TENANT NOW PAUSE``: deliver the tenant's pending actions at NOW
  as a host would: each in one unit of work that acknowledges it and, if that
  acknowledgement was the first, writes the host's delivery record (a row of
  ``host_deliveries``), PAUSE seconds before committing; prints ``ready`` once
  started and ``done`` when nothing is pending.
* ``due URL TENANT DAY...``: print ``ready``, then run the invoice run for each
  day in turn (:func:`run_invoicing_due`), printing each day when it commits.
"""

from __future__ import annotations

import sys
import time
from datetime import date, datetime

import attrs
import sqlalchemy as sa
from sqlalchemy import Engine

from contractcore.contracts import ContractNumbering
from contractcore.errors import ConcurrencyError
from contractcore.pricing import Period
from contractcore.repository import run_invoicing, run_invoicing_due
from contractcore.repository.sql import SqlUnitOfWork, open_engine

#: The host's own record of each delivery: no unique key, so a duplicate would show.
HOST = sa.MetaData()
host_deliveries = sa.Table(
    "host_deliveries",
    HOST,
    sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=True),
    sa.Column("action_id", sa.String(), nullable=False),
)


def deliver(engine: Engine, tenant: str, now: datetime, pause: float) -> None:
    print("ready", flush=True)
    while True:
        with SqlUnitOfWork(engine, read_only=True) as uow:
            pending = uow.tickets.pending_actions(tenant, now)
        if not pending:
            print("done", flush=True)
            return
        for action in pending:
            try:
                with SqlUnitOfWork(engine, actor="deliverer") as uow:
                    if uow.tickets.acknowledge(tenant, [action.id]):
                        uow.connection.execute(sa.insert(host_deliveries), {"action_id": action.id})
                        time.sleep(pause)  # the delivery, inside the transaction
            except ConcurrencyError:
                continue  # another deliverer acknowledged it first: nothing written


def edit(engine: Engine, tenant: str, edits: int) -> None:
    print("ready", flush=True)
    started = time.monotonic()
    while time.monotonic() - started < 60:  # until the allocators are at work
        with SqlUnitOfWork(engine) as uow:
            if uow.numbering.get(tenant).value.last_issued is not None:
                break
        time.sleep(0.005)
    succeeded = retried = overlapped = 0
    for edit in range(edits):
        while True:
            with SqlUnitOfWork(engine) as uow:
                read = uow.numbering.get(tenant)
            time.sleep(0.02)  # the administrator looks at the form
            if edit % 2:
                changed = ContractNumbering(prefix=f"F{edit}", min_length=5)
            else:
                changed = attrs.evolve(read.value, prefix=f"E{edit}", min_length=4 + edit % 3)
            try:
                with SqlUnitOfWork(engine) as uow:
                    saved = uow.numbering.save(tenant, read.evolve(changed))
            except ConcurrencyError:
                retried += 1
                continue
            succeeded += 1
            overlapped += saved.value.next_sequence > read.value.next_sequence
            break
    print("edits", edits, succeeded, retried, overlapped, flush=True)


def main(argv: list[str]) -> None:
    command, url, tenant, *rest = argv
    engine = open_engine(url)
    if command == "allocate":
        pause = float(rest[1]) if len(rest) > 1 else 0.0
        for _ in range(int(rest[0])):
            with SqlUnitOfWork(engine) as uow:
                number = uow.numbering.allocate(tenant, "42", date(2026, 1, 1))
            print(number, flush=True)
            time.sleep(pause)  # spread the allocations over the editor's work
        return
    if command == "edit":
        edit(engine, tenant, int(rest[0]))
        return
    if command == "deliver":
        deliver(engine, tenant, datetime.fromisoformat(rest[0]), float(rest[1]))
        return
    if command == "due":
        print("ready", flush=True)
        for day in rest:
            run_invoicing_due(SqlUnitOfWork(engine), tenant, date.fromisoformat(day))
            print(day, flush=True)
        return
    first, last, pause_at = rest

    def hang(step: str) -> None:
        if step == pause_at:
            print("ready", flush=True)
            time.sleep(120)

    run_invoicing(
        SqlUnitOfWork(engine),
        tenant,
        Period(date.fromisoformat(first), date.fromisoformat(last)),
        on_step=hang,
    )


if __name__ == "__main__":
    main(sys.argv[1:])
