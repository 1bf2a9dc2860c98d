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
"""

from __future__ import annotations

import sys
import time
from datetime import date

import attrs
from sqlalchemy import Engine

from contractcore.contracts import ContractNumbering
from contractcore.errors import ConcurrencyError
from contractcore.pricing import Period
from contractcore.repository import run_invoicing
from contractcore.repository.sql import SqlUnitOfWork, open_engine


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
