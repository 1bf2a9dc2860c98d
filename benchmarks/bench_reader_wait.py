"""How long a read-only unit of work waits while a writer holds SQLite's write lock.

Run: .venv/bin/python benchmarks/bench_reader_wait.py

20 times: a writer adds a ticket and keeps its transaction open while a
read-only unit of work lists the tickets; the reader's wall time is printed
(median and worst) next to the goal of 50 ms (DESIGN 6: readers never wait).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from contractcore.repository.sql import SqlUnitOfWork, create_schema, open_engine
from contractcore.testing.samples import a_ticket

RUNS = 20
GOAL = 0.050


def main() -> int:
    with tempfile.TemporaryDirectory() as scratch:
        engine = open_engine(f"sqlite:///{Path(scratch) / 'store.db'}")
        create_schema(engine)
        with SqlUnitOfWork(engine) as uow:
            uow.tickets.add("acme", a_ticket())
        waits = []
        for run in range(RUNS):
            with SqlUnitOfWork(engine) as writer:
                writer.tickets.add("acme", a_ticket(f"w-{run}"))  # the write lock is held
                began = time.perf_counter()
                with SqlUnitOfWork(engine, read_only=True) as reader:
                    reader.tickets.list("acme")
                waits.append(time.perf_counter() - began)
        engine.dispose()
    waits.sort()
    median, worst = waits[RUNS // 2], waits[-1]
    verdict = "meets" if worst < GOAL else "misses"
    print(
        f"reader during an open writer, {RUNS} runs: median {median * 1000:.2f} ms, "
        f"worst {worst * 1000:.2f} ms; goal < {GOAL * 1000:.0f} ms: {verdict} it"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
