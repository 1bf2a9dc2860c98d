"""The backends agree: one random sequence of operations, applied to each in lockstep.

Like hypothesis' own database-agreement test: every rule runs on the
in-memory, SQLite and (when configured) PostgreSQL backends, and the
outcomes (the value returned, or the type of error raised) must be equal.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import attrs
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
)

from contractcore.contracts import ContractNumbering, ContractQuery
from contractcore.errors import ContractCoreError
from contractcore.pricing import Period
from contractcore.repository import UnitOfWork, Versioned, run_invoicing
from contractcore.repository.sql import SqlUnitOfWork, create_schema, open_engine
from contractcore.testing import InMemoryStore, InMemoryUnitOfWork
from contractcore.testing.samples import a_contract, a_policy
from tests.repository.test_sql import POSTGRES_URL, postgres_engine

TENANTS = st.sampled_from(["acme", "globex"])
IDS = st.sampled_from(["c-1", "c-2", "c-3"])
PERIODS = st.sampled_from(
    [
        Period(date(2026, 2, 1), date(2026, 2, 28)),
        Period(date(2026, 3, 1), date(2026, 3, 31)),
        Period(date(2026, 2, 15), date(2026, 3, 14)),
    ]
)
QUERIES = st.builds(
    ContractQuery,
    statuses=st.none() | st.frozensets(st.sampled_from(["pending", "active", "canceled"])),
    customer_ids=st.none() | st.frozensets(st.sampled_from(["42", "77"])),
    start_from=st.none() | st.dates(date(2025, 12, 1), date(2026, 4, 1)),
    end_to=st.none() | st.dates(date(2026, 1, 1), date(2027, 12, 31)),
)
CONTRACT_SHAPES = st.fixed_dictionaries(
    {
        "customer_id": st.sampled_from(["42", "77"]),
        "status": st.sampled_from(["pending", "active"]),
        "start_date": st.sampled_from([date(2026, 1, 1), date(2026, 2, 10), date(2026, 3, 31)]),
        "term_months": st.sampled_from([1, 12, None]),
    }
)

Outcome = tuple[str, Any]


def outcome(action: Callable[[], Any]) -> Outcome:
    try:
        return ("ok", action())
    except ContractCoreError as exc:
        return ("error", type(exc).__name__)


class BackendsAgree(RuleBasedStateMachine):
    copies = Bundle("copies")
    numberings = Bundle("numberings")

    def __init__(self) -> None:
        super().__init__()
        store = InMemoryStore()
        sqlite = open_engine("sqlite://")
        create_schema(sqlite)
        self.engines = [sqlite]
        self.backends: list[Callable[[], UnitOfWork]] = [
            lambda: InMemoryUnitOfWork(store),
            lambda: SqlUnitOfWork(sqlite),
        ]
        if POSTGRES_URL:
            postgres = postgres_engine()
            self.engines.append(postgres)
            self.backends.append(lambda: SqlUnitOfWork(postgres))

    def teardown(self) -> None:
        for engine in self.engines:
            engine.dispose()

    def each(self, action: Callable[[UnitOfWork], Any]) -> Any:
        """Run ``action`` in a unit of work on every backend; return the common outcome."""
        outcomes = []
        for new_uow in self.backends:

            def run(new_uow: Callable[[], UnitOfWork] = new_uow) -> Any:
                with new_uow() as uow:
                    return action(uow)

            outcomes.append(outcome(run))
        assert all(o == outcomes[0] for o in outcomes), outcomes
        return outcomes[0]

    @initialize()
    def a_policy_per_tenant(self) -> None:
        self.each(lambda uow: uow.sla_policies.add("acme", "gold", a_policy()))

    @rule(tenant=TENANTS, contract_id=IDS, shape=CONTRACT_SHAPES)
    def add_a_contract(self, tenant: str, contract_id: str, shape: dict[str, Any]) -> None:
        contract = a_contract(contract_id, **shape)
        self.each(lambda uow: uow.contracts.add(tenant, contract))

    @rule(target=copies, tenant=TENANTS, contract_id=IDS)
    def read_a_contract(self, tenant: str, contract_id: str) -> tuple[str, Any]:
        status, value = self.each(lambda uow: uow.contracts.get(tenant, contract_id))
        return (tenant, value if status == "ok" else None)

    @rule(copy=copies, notes=st.sampled_from(["a", "b"]), tenant=st.none() | TENANTS)
    def save_a_copy(
        self, copy: tuple[str, Versioned[Any] | None], notes: str, tenant: str | None
    ) -> None:
        owner, stored = copy
        if stored is None:
            return
        changed = stored.evolve(attrs.evolve(stored.value, notes=notes))
        self.each(lambda uow: uow.contracts.save(tenant or owner, changed))

    @rule(copy=copies)
    def remove_a_copy(self, copy: tuple[str, Versioned[Any] | None]) -> None:
        owner, stored = copy
        if stored is not None:
            self.each(lambda uow: uow.contracts.remove(owner, stored))

    @rule(tenant=TENANTS, client=st.sampled_from(["42", "77"]))
    def allocate_a_number(self, tenant: str, client: str) -> None:
        self.each(lambda uow: uow.numbering.allocate(tenant, client, date(2026, 1, 1)))

    @rule(target=numberings, tenant=TENANTS)
    def read_the_numbering(self, tenant: str) -> tuple[str, Any]:
        _, value = self.each(lambda uow: uow.numbering.get(tenant))
        return (tenant, value)

    @rule(
        copy=numberings,
        fresh=st.booleans(),
        prefix=st.sampled_from(["", "CT"]),
        sequence=st.integers(1, 12),
    )
    def save_the_numbering(
        self, copy: tuple[str, Versioned[Any]], fresh: bool, prefix: str, sequence: int
    ) -> None:
        tenant, stored = copy
        if fresh:  # a new object, whatever the stored counter
            value = ContractNumbering(prefix=prefix, next_sequence=sequence)
        else:  # the copy read (perhaps stale by now), its sequence raised
            raised = stored.value.next_sequence + sequence
            value = attrs.evolve(stored.value, prefix=prefix, next_sequence=raised)
        self.each(lambda uow: uow.numbering.save(tenant, stored.evolve(value)))

    @rule(tenant=TENANTS, query=QUERIES)
    def find_contracts(self, tenant: str, query: ContractQuery) -> None:
        self.each(lambda uow: uow.contracts.find(tenant, query))

    @rule(tenant=TENANTS, period=PERIODS)
    def run_an_invoice_period(self, tenant: str, period: Period) -> None:
        def run(new_uow: Callable[[], UnitOfWork]) -> Outcome:
            return outcome(lambda: run_invoicing(new_uow(), tenant, period))

        outcomes = [run(new_uow) for new_uow in self.backends]
        assert all(o == outcomes[0] for o in outcomes), outcomes

    @rule(tenant=TENANTS, contract_id=IDS)
    def change_then_fail(self, tenant: str, contract_id: str) -> None:
        def action(uow: UnitOfWork) -> None:
            uow.numbering.allocate(tenant, "42", date(2026, 1, 1))
            uow.contracts.add(tenant, a_contract(contract_id + "-x"))
            uow.contracts.remove(tenant, uow.contracts.get(tenant, contract_id))
            raise ContractCoreError("injected")

        self.each(action)

    @invariant()
    def every_backend_holds_the_same_data(self) -> None:
        self.each(
            lambda uow: [
                (
                    uow.contracts.find(tenant, ContractQuery()),
                    uow.numbering.get(tenant),
                    uow.invoices.list(tenant),
                    uow.sla_policies.list(tenant),
                )
                for tenant in ("acme", "globex")
            ]
        )


# A fixed budget under every profile: each step touches two or three databases.
BackendsAgree.TestCase.settings = settings(
    max_examples=15 if POSTGRES_URL else 25,
    stateful_step_count=15,
)
TestBackendsAgree = BackendsAgree.TestCase
