"""Fakes for your own tests: an in-memory unit of work that behaves like the SQL one.

It passes the same conformance suite as the SQLite and PostgreSQL backends
(tenant scoping, versions, stale saves refused, rollback on any exception), so
code tested against it behaves the same in production.

The conformance suite itself ships here too, for a host that writes its own
backend: :mod:`contractcore.testing.conformance` (a test class to subclass),
with the sample aggregates it stores (:mod:`contractcore.testing.samples`) and
the hypothesis strategies it draws (:mod:`contractcore.testing.strategies`).
Those need pytest and hypothesis (``pip install 'contractcore[testing]'``);
this module does not. See ``docs/testing.md``.

>>> from datetime import date
>>> from contractcore.contracts import Contract
>>> store = InMemoryStore()
>>> with InMemoryUnitOfWork(store) as uow:
...     saved = uow.contracts.add("acme", Contract(id="c-1", number="CT-1", customer_id="42",
...                                                name="Office", start_date=date(2026, 1, 1)))
>>> with InMemoryUnitOfWork(store) as uow:
...     uow.contracts.get("acme", "c-1").version
1
"""

from __future__ import annotations

from contractcore.repository._memory import InMemoryStore, InMemoryUnitOfWork

__all__ = ["InMemoryStore", "InMemoryUnitOfWork"]
