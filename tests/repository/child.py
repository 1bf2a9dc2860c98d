"""A separate process for the multi-process tests: ``python -m tests.repository.child ...``.

* ``allocate URL TENANT N``: allocate N contract numbers, one unit of work each,
  printing each number.
* ``invoice URL TENANT FIRST LAST STEP``: run an invoice run that prints
  ``ready`` at STEP and then waits to be killed.
"""

from __future__ import annotations

import sys
import time
from datetime import date

from contractcore.pricing import Period
from contractcore.repository import run_invoicing
from contractcore.repository.sql import SqlUnitOfWork, open_engine


def main(argv: list[str]) -> None:
    command, url, tenant, *rest = argv
    engine = open_engine(url)
    if command == "allocate":
        for _ in range(int(rest[0])):
            with SqlUnitOfWork(engine) as uow:
                number = uow.numbering.allocate(tenant, "42", date(2026, 1, 1))
            print(number, flush=True)
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
