"""The repository conformance suite every backend passes (zarr's store tests, for contracts).

Subclass :class:`UnitOfWorkConformance` in one of your ``test_*.py`` modules
and override its ``new_uow`` fixture so it returns a factory of fresh units of
work over one empty store: every test then runs against your backend, the
same tests the in-memory, SQLite and PostgreSQL backends pass (DESIGN 6.1).
See ``docs/testing.md``.

Needs pytest and hypothesis (the ``testing`` extra); without them, importing
this module raises an ImportError that says so.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import attrs

try:
    import pytest
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st
except ImportError as exc:  # pragma: no cover - depends on what is installed
    msg = (
        "contractcore.testing.conformance needs pytest and hypothesis: install the "
        f"'testing' extra (pip install 'contractcore[testing]'); {exc}"
    )
    raise ImportError(msg) from exc

from contractcore.contracts import (
    Contract,
    ContractNumbering,
    ContractQuery,
    ContractStatus,
    RenewalOptions,
    cancel,
    revoke_cancellation,
    search_contracts,
    set_next_sequence,
)
from contractcore.errors import (
    ConcurrencyError,
    ContractCoreError,
    InvalidArgumentError,
    NotFoundError,
)
from contractcore.money import Money
from contractcore.pricing import BillingTerms, Period, Service
from contractcore.repository import (
    InvoicedLine,
    InvoicingFailure,
    Ticket,
    UnitOfWork,
    Versioned,
    run_invoicing,
    run_invoicing_due,
    run_nightly_job,
)
from contractcore.schedules import (
    PRICE,
    QUANTITY,
    Delta,
    On,
    Schedule,
    UpdateEvent,
    due_periods,
    invoice_run,
)
from contractcore.sla import (
    AssignTechnician,
    CommentAdded,
    Notify,
    SlaPolicy,
    StatusChanged,
    TicketCreated,
    evaluate,
)
from contractcore.testing.samples import a_contract, a_policy, a_service, a_template, a_ticket
from contractcore.testing.strategies import billing_terms

__all__ = [
    "ACTOR",
    "FEBRUARY",
    "OPENED",
    "OUTBOX_POLICY",
    "NewUow",
    "UnitOfWorkConformance",
    "fill",
    "snapshot",
]

NewUow = Callable[[], UnitOfWork]
"""A factory of fresh units of work over one store (what ``new_uow`` returns)."""
#: The actor every backend's unit of work is opened with in this suite.
ACTOR = "conformance-suite"
FEBRUARY = Period(date(2026, 2, 1), date(2026, 2, 28))
MARCH = Period(date(2026, 3, 1), date(2026, 3, 31))
YEAR_START = date(2026, 1, 1)


def snapshot(new_uow: NewUow, tenants: tuple[str, ...] = ("acme", "globex")) -> Any:
    """Everything the tenants have stored, as comparable values."""
    with new_uow() as uow:
        return [
            (
                uow.contracts.find(tenant, ContractQuery()),
                uow.sla_policies.list(tenant),
                uow.templates.list(tenant),
                uow.tickets.list(tenant),
                uow.numbering.get(tenant),
                uow.invoices.list(tenant),
            )
            for tenant in tenants
        ]


def fill(new_uow: NewUow) -> None:
    """Store the sample data of the suite: contracts in two tenants, a policy, a ticket."""
    with new_uow() as uow:
        uow.contracts.add("acme", a_contract("c-1"))
        uow.contracts.add("acme", a_contract("c-2", customer_id="77", status="pending"))
        uow.contracts.add("globex", a_contract("c-1", name="Globex's own c-1"))
        uow.sla_policies.add("acme", "gold", a_policy())
        uow.templates.add("acme", a_template())
        uow.tickets.add("acme", a_ticket())
        uow.numbering.allocate("acme", "42", date(2026, 1, 1))


class InjectedError(Exception):
    """The exception injected by the tests."""


# Bad data a stored contract can hold: a discount larger than the price, due mid-February.
_TOO_BIG_A_DISCOUNT = Schedule(
    name="discount",
    events=[UpdateEvent(On(date(2026, 2, 15)), PRICE, Delta(Money("-1500.00", "USD")))],
)
_TENANTS = itertools.count()  # a fresh tenant per hypothesis example: the store is shared


def _a_failing_contract(contract_id: str) -> Contract:
    return a_contract(contract_id, schedules=(_TOO_BIG_A_DISCOUNT,))


def _fill_with_a_failing_contract(new_uow: NewUow) -> None:
    with new_uow() as uow:
        uow.contracts.add("acme", a_contract("c-1"))
        uow.contracts.add("acme", _a_failing_contract("c-2"))
        uow.contracts.add("acme", a_contract("c-3"))


# A fixed population for the query property: varied dates, statuses, customers, terms.
_POPULATION = (
    a_contract("q-1", start_date=date(2026, 1, 1), term_months=12),
    a_contract("q-2", start_date=date(2026, 3, 15), term_months=1, customer_id="77"),
    a_contract("q-3", start_date=date(2025, 12, 31), end_date=date(2026, 6, 30), term_months=None),
    a_contract("q-4", start_date=date(2026, 2, 28), term_months=None, status="pending"),
    a_contract("q-5", start_date=date(2026, 7, 1), term_months=24, created_on=None),
    a_contract(
        "q-6",
        start_date=date(2026, 1, 1),
        term_months=6,
        status="canceled",
        cancellation_date=date(2026, 3, 31),
        customer_id="77",
    ),
)
_DAYS = st.dates(min_value=date(2025, 12, 1), max_value=date(2028, 8, 1))
_QUERIES = st.builds(
    ContractQuery,
    ids=st.none() | st.frozensets(st.sampled_from(["q-1", "q-3", "q-6", "zz"])),
    numbers=st.none() | st.frozensets(st.sampled_from(["CT-42-q-2", "CT-42-q-5", "nope"])),
    statuses=st.none() | st.frozensets(st.sampled_from(["pending", "active", "canceled"])),
    term_months=st.none() | st.frozensets(st.sampled_from([1, 6, 12, 24])),
    start_from=st.none() | _DAYS,
    start_to=st.none() | _DAYS,
    end_from=st.none() | _DAYS,
    end_to=st.none() | _DAYS,
    customer_ids=st.none() | st.frozensets(st.sampled_from(["42", "77", "99"])),
    created_from=st.none() | _DAYS,
    created_to=st.none() | _DAYS,
)


@attrs.define
class NumberingModel:
    """The reference for a tenant's numbering: a counter that only goes up, settings versioned.

    ``saved`` is the ``next_sequence`` of the object saved; the counter
    becomes the higher of the two, whatever object it is.
    """

    next_sequence: int = 1
    settings_version: int = 0
    issued: list[int] = attrs.field(factory=list)

    def allocate(self) -> int:
        self.issued.append(self.next_sequence)
        self.next_sequence += 1
        return self.issued[-1]

    def save(self, read_at: int, saved: int) -> bool:
        """Whether a save of a copy read at settings version ``read_at`` gets in."""
        if read_at != self.settings_version:
            return False
        self.settings_version += 1
        self.next_sequence = max(self.next_sequence, saved)
        return True


# One numbering operation: allocate; read a copy; save a fresh object, the copy
# read last (whatever happened since), or the current settings with the
# sequence moved by an offset (raised, or an attempt to lower it).
_NUMBERING_STEPS = st.lists(
    st.one_of(
        st.just(("allocate", 0)),
        st.just(("read", 0)),
        st.tuples(st.just("save fresh"), st.integers(1, 6)),
        st.tuples(st.just("save copy"), st.integers(1, 6)),
        st.tuples(st.just("move"), st.integers(-5, 40)),
    ),
    max_size=14,
)
_NUMBERING_TENANTS = (f"numbering-{n}" for n in itertools.count())


class UnitOfWorkConformance:
    """The behaviour every backend shares. Override :meth:`new_uow`."""

    @pytest.fixture
    def new_uow(self) -> NewUow:
        raise NotImplementedError

    # -- contracts ---------------------------------------------------------------------------

    def test_an_added_contract_reads_back_equal_at_version_one(self, new_uow: NewUow) -> None:
        contract = a_contract()
        with new_uow() as uow:
            added = uow.contracts.add("acme", contract)
        with new_uow() as uow:
            stored = uow.contracts.get("acme", "c-1")
        assert added == stored == Versioned("c-1", contract, 1)
        assert stored.value.services == contract.services
        assert stored.value.end_date == date(2026, 12, 31)

    def test_saving_bumps_the_version_and_keeps_the_change(self, new_uow: NewUow) -> None:
        fill(new_uow)
        with new_uow() as uow:
            stored = uow.contracts.get("acme", "c-1")
            saved = uow.contracts.save("acme", stored.evolve(attrs.evolve(stored.value, notes="x")))
        with new_uow() as uow:
            assert uow.contracts.get("acme", "c-1") == saved
        assert saved.version == 2
        assert saved.value.notes == "x"

    def test_saving_a_stale_copy_raises_and_leaves_the_stored_one_intact(
        self, new_uow: NewUow
    ) -> None:
        fill(new_uow)
        with new_uow() as uow:
            mine = uow.contracts.get("acme", "c-1")
        with new_uow() as uow:
            theirs = uow.contracts.save("acme", mine.evolve(attrs.evolve(mine.value, notes="t")))
        before = snapshot(new_uow)
        with pytest.raises(ConcurrencyError, match="version 2"), new_uow() as uow:
            uow.contracts.save("acme", mine.evolve(attrs.evolve(mine.value, notes="mine")))
        assert snapshot(new_uow) == before
        with new_uow() as uow:
            assert uow.contracts.get("acme", "c-1") == theirs

    def test_two_saves_of_one_copy_in_a_unit_of_work_conflict(self, new_uow: NewUow) -> None:
        fill(new_uow)
        with new_uow() as uow:
            mine = uow.contracts.get("acme", "c-1")
            uow.contracts.save("acme", mine)
            with pytest.raises(ConcurrencyError):
                uow.contracts.save("acme", mine)

    def test_missing_contracts_raise_not_found(self, new_uow: NewUow) -> None:
        with new_uow() as uow:
            with pytest.raises(NotFoundError, match="'c-9' not found in tenant 'acme'"):
                uow.contracts.get("acme", "c-9")
            with pytest.raises(NotFoundError):
                uow.contracts.save("acme", Versioned("c-1", a_contract(), 1))
            with pytest.raises(NotFoundError):
                uow.contracts.remove("acme", Versioned("c-1", a_contract(), 1))

    def test_adding_a_taken_id_raises(self, new_uow: NewUow) -> None:
        fill(new_uow)
        before = snapshot(new_uow)
        with pytest.raises(ConcurrencyError, match="already exists"), new_uow() as uow:
            uow.contracts.add("acme", a_contract("c-1", notes="again"))
        assert snapshot(new_uow) == before

    def test_a_copy_whose_key_is_not_its_id_is_refused(self, new_uow: NewUow) -> None:
        fill(new_uow)
        with new_uow() as uow:
            stored = uow.contracts.get("acme", "c-1")
            with pytest.raises(InvalidArgumentError, match="does not match"):
                uow.contracts.save("acme", stored.evolve(a_contract("c-2")))

    def test_removing_deletes_only_with_a_current_copy(self, new_uow: NewUow) -> None:
        fill(new_uow)
        with new_uow() as uow:
            stored = uow.contracts.get("acme", "c-1")
            with pytest.raises(ConcurrencyError):
                uow.contracts.remove("acme", Versioned("c-1", stored.value, 7))
            uow.contracts.remove("acme", stored)
        with new_uow() as uow:
            with pytest.raises(NotFoundError):
                uow.contracts.get("acme", "c-1")
            assert uow.contracts.get("globex", "c-1").value.name == "Globex's own c-1"

    def test_a_copy_read_before_a_remove_is_stale_once_the_id_is_added_again(
        self, new_uow: NewUow
    ) -> None:
        """Found in review: the re-added contract restarted at version 1 and was overwritten."""
        fill(new_uow)
        with new_uow() as uow:
            old = uow.contracts.get("acme", "c-1")
            policy = uow.sla_policies.get("acme", "gold")
        with new_uow() as uow:
            uow.contracts.remove("acme", uow.contracts.get("acme", "c-1"))
            uow.sla_policies.remove("acme", uow.sla_policies.get("acme", "gold"))
        with new_uow() as uow:
            again = uow.contracts.add("acme", attrs.evolve(old.value, name="New"))
            policy_again = uow.sla_policies.add("acme", "gold", policy.value)
        with pytest.raises(ConcurrencyError), new_uow() as uow:
            uow.contracts.save("acme", old.evolve(attrs.evolve(old.value, name="Stale")))
        with pytest.raises(ConcurrencyError), new_uow() as uow:
            uow.sla_policies.save("acme", policy)
        with new_uow() as uow:
            assert uow.contracts.get("acme", "c-1") == again
            assert again.version == old.version + 1
            assert uow.sla_policies.get("acme", "gold") == policy_again
            assert [s.key for s in uow.contracts.find("acme", ContractQuery())].count("c-1") == 1

    def test_find_returns_matches_ordered_by_id(self, new_uow: NewUow) -> None:
        with new_uow() as uow:
            for contract in reversed(_POPULATION):
                uow.contracts.add("acme", contract)
            found = uow.contracts.find("acme", ContractQuery(customer_ids={"77"}))
            assert [s.key for s in found] == ["q-2", "q-6"]
            assert [s.key for s in uow.contracts.find("acme", ContractQuery())] == [
                c.id for c in _POPULATION
            ]

    @settings(
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.differing_executors]
    )
    @given(query=_QUERIES)
    def test_find_agrees_with_search_contracts_for_any_query(
        self, new_uow: NewUow, query: ContractQuery
    ) -> None:
        # One store for every example: fill it on the first one only.
        with new_uow() as uow:
            if not uow.contracts.find("acme", ContractQuery(ids={"q-1"})):
                for contract in _POPULATION:
                    uow.contracts.add("acme", contract)
            found = uow.contracts.find("acme", query)
        assert [s.value for s in found] == list(search_contracts(_POPULATION, query))

    # -- tenants -----------------------------------------------------------------------------

    def test_one_tenant_never_sees_or_changes_another_tenants_data(self, new_uow: NewUow) -> None:
        fill(new_uow)
        before = snapshot(new_uow, ("acme",))
        with new_uow() as uow:
            acme_c2 = uow.contracts.get("acme", "c-2")
            assert uow.contracts.find("globex", ContractQuery(ids={"c-2"})) == ()
            assert uow.contracts.get("globex", "c-1").value.name == "Globex's own c-1"
            for action in (
                lambda: uow.contracts.get("globex", "c-2"),
                lambda: uow.contracts.save("globex", acme_c2),
                lambda: uow.contracts.remove("globex", acme_c2),
                lambda: uow.sla_policies.get("globex", "gold"),
                lambda: uow.templates.get("globex", "Managed IT 12 months"),
                lambda: uow.tickets.get("globex", "1041"),
            ):
                with pytest.raises(NotFoundError):
                    action()
            assert uow.sla_policies.list("globex") == ()
            assert uow.templates.list("globex") == ()
            assert uow.tickets.list("globex") == ()
            assert uow.numbering.get("globex").version == 0
            assert uow.numbering.allocate("globex", "42", date(2026, 1, 1)) == "42-0001"
        run_invoicing(new_uow(), "globex", FEBRUARY)
        with new_uow() as uow:
            assert len(uow.invoices.list("globex")) == 2
            assert uow.invoices.list("acme") == ()
        assert snapshot(new_uow, ("acme",)) == before

    @pytest.mark.parametrize("tenant", ["", "  ", None, 42])
    def test_a_blank_or_non_string_tenant_is_refused(self, new_uow: NewUow, tenant: Any) -> None:
        with new_uow() as uow, pytest.raises(InvalidArgumentError, match="tenant"):
            uow.contracts.get(tenant, "c-1")

    # -- unit of work ------------------------------------------------------------------------

    def test_any_exception_rolls_the_whole_unit_of_work_back(self, new_uow: NewUow) -> None:
        fill(new_uow)
        before = snapshot(new_uow)

        def change_everything_then_fail() -> None:
            with new_uow() as uow:
                stored = uow.contracts.get("acme", "c-1")
                uow.contracts.save("acme", stored.evolve(attrs.evolve(stored.value, notes="lost")))
                uow.contracts.add("acme", a_contract("c-3"))
                uow.sla_policies.add("acme", "silver", a_policy("Silver"))
                uow.numbering.allocate("acme", "42", date(2026, 1, 1))
                uow.tickets.remove("acme", uow.tickets.get("acme", "1041"))
                raise InjectedError

        with pytest.raises(InjectedError):
            change_everything_then_fail()
        assert snapshot(new_uow) == before

    def test_repositories_are_only_usable_inside_the_block(self, new_uow: NewUow) -> None:
        uow = new_uow()
        with pytest.raises(ContractCoreError):
            uow.contracts.get("acme", "c-1")

    # -- other aggregates --------------------------------------------------------------------

    def test_sla_policies_templates_and_tickets_round_trip_with_versions(
        self, new_uow: NewUow
    ) -> None:
        fill(new_uow)
        with new_uow() as uow:
            policy = uow.sla_policies.get("acme", "gold")
            template = uow.templates.get("acme", "Managed IT 12 months")
            ticket = uow.tickets.get("acme", "1041")
            assert policy == Versioned("gold", a_policy(), 1)
            assert template == Versioned("Managed IT 12 months", a_template(), 1)
            assert ticket == Versioned("1041", a_ticket(), 1)
            uow.sla_policies.save("acme", policy.evolve(a_policy(description="new")))
            uow.templates.save("acme", template)
            uow.tickets.save("acme", ticket.evolve(a_ticket(title="moved")))
        with new_uow() as uow:
            assert uow.sla_policies.list("acme")[0].value.description == "new"
            assert [s.version for s in uow.templates.list("acme")] == [2]
            assert uow.tickets.list("acme")[0].value.title == "moved"
            with pytest.raises(ConcurrencyError):
                uow.sla_policies.save("acme", policy)
            with pytest.raises(ConcurrencyError):
                uow.templates.remove("acme", template)
            with pytest.raises(ConcurrencyError):
                uow.tickets.add("acme", a_ticket())
            uow.sla_policies.remove("acme", uow.sla_policies.get("acme", "gold"))
            assert uow.sla_policies.list("acme") == ()

    def test_policies_are_listed_by_id(self, new_uow: NewUow) -> None:
        with new_uow() as uow:
            for key in ("silver", "bronze", "gold"):
                uow.sla_policies.add("acme", key, a_policy(key.title()))
            assert [s.key for s in uow.sla_policies.list("acme")] == ["bronze", "gold", "silver"]

    # -- numbering ---------------------------------------------------------------------------

    def test_numbers_are_allocated_in_sequence_and_settings_are_versioned(
        self, new_uow: NewUow
    ) -> None:
        with new_uow() as uow:
            default = uow.numbering.get("acme")
            assert default == Versioned("acme", ContractNumbering(), 0)
            uow.numbering.save("acme", default.evolve(ContractNumbering(prefix="CT")))
        with new_uow() as uow:
            first = uow.numbering.allocate("acme", "42", date(2026, 11, 23))
            second = uow.numbering.allocate("acme", "77", date(2026, 11, 23))
        with new_uow() as uow:
            stored = uow.numbering.get("acme")
        assert (first, second) == ("CT-42-0001", "CT-77-0002")
        assert stored.version == 1  # allocations move the counter, not the settings' version
        assert (stored.value.next_sequence, stored.value.last_issued) == (3, 2)
        with new_uow() as uow, pytest.raises(ConcurrencyError):
            uow.numbering.save("acme", default)

    def test_saving_a_fresh_numbering_after_allocations_never_lowers_the_sequence(
        self, new_uow: NewUow
    ) -> None:
        """Issue 12: saving ``ContractNumbering(prefix="CT")`` used to reset the sequence to 1."""
        with new_uow() as uow:
            issued = [uow.numbering.allocate("acme", "42", YEAR_START) for _ in range(3)]
        with new_uow() as uow:
            current = uow.numbering.get("acme")
            saved = uow.numbering.save("acme", current.evolve(ContractNumbering(prefix="CT")))
        with new_uow() as uow:
            after = uow.numbering.allocate("acme", "42", YEAR_START)
            stored = uow.numbering.get("acme")
        assert issued == ["42-0001", "42-0002", "42-0003"]
        assert (saved.value.prefix, saved.value.next_sequence, saved.version) == ("CT", 4, 1)
        assert after == "CT-42-0004"
        assert stored == Versioned(
            "acme", ContractNumbering(prefix="CT", next_sequence=5, last_issued=4), 1
        )

    def test_a_settings_save_from_a_copy_read_before_allocations_gets_in_and_keeps_the_counter(
        self, new_uow: NewUow
    ) -> None:
        with new_uow() as uow:
            read = uow.numbering.get("acme")
        with new_uow() as uow:
            for _ in range(5):
                uow.numbering.allocate("acme", "42", YEAR_START)
        with new_uow() as uow:
            edited = read.evolve(attrs.evolve(read.value, prefix="CT", min_length=6))
            saved = uow.numbering.save("acme", edited)
        with new_uow() as uow:
            after = uow.numbering.allocate("acme", "42", YEAR_START)
        assert read.value.next_sequence == 1
        assert (saved.version, saved.value.next_sequence, saved.value.last_issued) == (1, 6, 5)
        assert after == "CT-42-000006"

    def test_two_settings_saves_from_one_read_conflict(self, new_uow: NewUow) -> None:
        with new_uow() as uow:
            read = uow.numbering.get("acme")
        with new_uow() as uow:
            uow.numbering.save("acme", read.evolve(ContractNumbering(prefix="A")))
            uow.numbering.allocate("acme", "42", YEAR_START)
        with new_uow() as uow, pytest.raises(ConcurrencyError, match="numbering 'acme'"):
            uow.numbering.save("acme", read.evolve(ContractNumbering(prefix="B")))
        with new_uow() as uow:
            stored = uow.numbering.get("acme")
        assert (stored.value.prefix, stored.value.next_sequence, stored.version) == ("A", 2, 1)

    def test_raising_the_sequence_through_save_takes_effect_and_lowering_it_does_not(
        self, new_uow: NewUow
    ) -> None:
        with new_uow() as uow:
            first = uow.numbering.allocate("acme", "42", YEAR_START)
            current = uow.numbering.get("acme")
            jump = current.evolve(set_next_sequence(current.value, 500))
            raised = uow.numbering.save("acme", jump)
        with new_uow() as uow:
            current = uow.numbering.get("acme")
            # Above every issued sequence, so the model allows it; the store keeps its counter.
            lower = current.evolve(set_next_sequence(current.value, 2))
            lowered = uow.numbering.save("acme", lower)
            after = uow.numbering.allocate("acme", "42", YEAR_START)
        assert (first, raised.value.next_sequence, raised.version) == ("42-0001", 500, 1)
        assert (lowered.value.next_sequence, lowered.value.last_issued, lowered.version) == (
            500,
            1,
            2,
        )
        assert after == "42-0500"

    @settings(
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.differing_executors]
    )
    @given(steps=_NUMBERING_STEPS)
    def test_no_number_is_issued_twice_whatever_settings_are_saved(
        self, new_uow: NewUow, steps: list[tuple[str, int]]
    ) -> None:
        tenant = next(_NUMBERING_TENANTS)  # one store for every example: a tenant of its own each
        model = NumberingModel()
        with new_uow() as uow:
            copy = uow.numbering.get(tenant)
        for step, amount in steps:
            with new_uow() as uow:
                current = uow.numbering.get(tenant)
                assert (current.version, current.value.next_sequence) == (
                    model.settings_version,
                    model.next_sequence,
                )
                if step == "allocate":
                    number = uow.numbering.allocate(tenant, "42", YEAR_START)
                    assert int(number.rsplit("-", 1)[1]) == model.allocate()
                    continue
                if step == "read":
                    copy = current
                    continue
                if step == "save fresh":
                    saving = current.evolve(ContractNumbering(min_length=amount))
                elif step == "save copy":
                    saving = copy.evolve(attrs.evolve(copy.value, min_length=amount))
                else:
                    value = current.value.next_sequence + amount
                    if value <= (current.value.last_issued or 0):
                        continue  # refused by set_next_sequence before any store sees it
                    saving = current.evolve(set_next_sequence(current.value, value))
            gets_in = model.save(saving.version, saving.value.next_sequence)
            try:
                with new_uow() as uow:
                    saved = uow.numbering.save(tenant, saving)
            except ConcurrencyError:
                assert not gets_in
            else:
                assert gets_in
                assert saved.value.next_sequence == model.next_sequence
        assert model.issued == sorted(set(model.issued))  # the model's own promise
        with new_uow() as uow:
            final = uow.numbering.get(tenant)
        assert (final.version, final.value.next_sequence) == (
            model.settings_version,
            model.next_sequence,
        )

    # -- invoices ----------------------------------------------------------------------------

    def test_invoice_lines_are_unique_per_contract_service_and_period(
        self, new_uow: NewUow
    ) -> None:
        run = invoice_run(a_contract(), FEBRUARY)
        lines = tuple(InvoicedLine(contract_id="c-1", line=line) for line in run.lines)
        with new_uow() as uow:
            uow.invoices.add("acme", lines)
        with new_uow() as uow:
            assert uow.invoices.list("acme") == lines
            assert uow.invoices.list("acme", contract_id="c-2") == ()
            assert uow.invoices.list("acme", period=MARCH) == ()
            assert uow.invoices.list("acme", period=FEBRUARY, contract_id="c-1") == lines
        with pytest.raises(ConcurrencyError), new_uow() as uow:
            uow.invoices.add("acme", lines[:1])

    def test_a_prorated_line_is_read_back_with_its_days_and_dated_parts(
        self, new_uow: NewUow
    ) -> None:
        added = Schedule(events=[UpdateEvent(On(date(2026, 2, 15)), QUANTITY, Delta(2))])
        contract = a_contract(
            mid_period_changes="prorate", schedules=(*a_contract().schedules, added)
        )
        run = invoice_run(contract, FEBRUARY)
        assert all(len(line.parts) > 1 for line in run.lines)
        lines = tuple(InvoicedLine(contract_id="c-1", line=line) for line in run.lines)
        with new_uow() as uow:
            uow.invoices.add("acme", lines)
        with new_uow() as uow:
            assert uow.invoices.list("acme") == lines

    def test_invoice_line_keys_are_not_confused_by_slashes_and_order_is_total(
        self, new_uow: NewUow
    ) -> None:
        """Found in review: in memory the key was "/".join(...), so contract "a/b" with
        service "c" collided with contract "a" with service "b/c"; and lines with the
        same period start came back in insertion order in memory, by end in SQL.
        """
        first_half = Period(date(2026, 3, 1), date(2026, 3, 15))

        def lines(contract_id: str, service_id: str, period: Period) -> tuple[InvoicedLine, ...]:
            contract = a_contract(contract_id, services=(a_service(service_id),))
            run = invoice_run(contract, period)
            return tuple(InvoicedLine(contract_id=contract_id, line=line) for line in run.lines)

        slashed = lines("a/b", "c", MARCH) + lines("a", "b/c", MARCH)
        with new_uow() as uow:
            uow.invoices.add("acme", lines("x", "s", MARCH))
            uow.invoices.add("acme", lines("x", "s", first_half))
            uow.invoices.add("acme", slashed)
        with new_uow() as uow:
            assert [(i.contract_id, i.line.service_id) for i in uow.invoices.list("acme")] == [
                ("a", "b/c"),
                ("a/b", "c"),
                ("x", "s"),
                ("x", "s"),
            ]
            assert [i.line.period for i in uow.invoices.list("acme", contract_id="x")] == [
                first_half,
                MARCH,
            ]

    def test_an_invoice_run_writes_each_line_once_and_advances_the_watermarks(
        self, new_uow: NewUow
    ) -> None:
        fill(new_uow)
        first = run_invoicing(new_uow(), "acme", FEBRUARY)
        again = run_invoicing(new_uow(), "acme", FEBRUARY)
        assert [(i.contract_id, i.line.service_id) for i in first.lines] == [
            ("c-1", "c-1-s1"),
            ("c-1", "c-1-s2"),
        ]
        assert [str(i.line.amount) for i in first.lines] == ["USD 2,200.00", "USD 20.36"]
        assert first.totals() == {"c-1": Money("2220.36", "USD")}
        assert (again.lines, again.already_invoiced) == ((), 2)
        assert first.failures == again.failures == ()
        with new_uow() as uow:
            stored = uow.contracts.get("acme", "c-1")
            assert stored.version == 2
            assert {s.applied_up_to for s in stored.value.services} == {FEBRUARY.last}
            assert uow.invoices.list("acme") == first.lines
        march = run_invoicing(new_uow(), "acme", MARCH)
        assert [str(i.line.unit_price) for i in march.lines] == ["USD 1,100.00", "USD 13.57"]

    def test_the_month_before_a_renewal_or_completion_is_billed_after_the_nightly_job(
        self, new_uow: NewUow
    ) -> None:
        """Found in review: renewing moved the start date, completing left the query."""
        seats = Service(
            id="seats", product_id="seat", unit_price=Money("100", "USD"), start_date=YEAR_START
        )
        renewing = Contract(
            id="c-renews",
            number="CT-1",
            customer_id="42",
            name="Renews",
            status="active",
            kind="auto_renew",
            renewal=RenewalOptions(term_months=12),
            start_date=YEAR_START,
            term_months=12,
            services=(seats,),
        )
        ending = attrs.evolve(renewing, id="c-ends", number="CT-2", kind="fixed", renewal=None)
        with new_uow() as uow:
            uow.contracts.add("acme", renewing)
            uow.contracts.add("acme", ending)
        nightly = run_nightly_job(new_uow(), "acme", today=date(2027, 1, 1))
        assert [(a.after.id, a.step.value) for a in nightly.actions] == [
            ("c-ends", "complete"),
            ("c-renews", "renew"),
        ]

        december = run_invoicing(new_uow(), "acme", Period(date(2026, 12, 1), date(2026, 12, 31)))
        straddling = run_invoicing(new_uow(), "acme", Period(date(2026, 12, 15), date(2027, 1, 14)))
        later = run_invoicing(new_uow(), "acme", Period(date(2027, 2, 1), date(2027, 2, 28)))

        assert [(i.contract_id, str(i.line.amount)) for i in december.lines] == [
            ("c-ends", "USD 100.00"),
            ("c-renews", "USD 100.00"),
        ]
        assert [(i.contract_id, str(i.line.amount)) for i in straddling.lines][1:] == [
            ("c-renews", "USD 100.00")
        ]
        assert [i.contract_id for i in later.lines] == ["c-renews"]

    def test_an_exception_at_any_step_of_an_invoice_run_leaves_the_store_as_before(
        self, new_uow: NewUow
    ) -> None:
        fill(new_uow)
        with new_uow() as uow:
            uow.contracts.add("acme", a_contract("c-3"))
        steps: list[str] = []
        run_invoicing(new_uow(), "globex", FEBRUARY, on_step=steps.append)
        assert steps[0] == "loaded"
        assert steps[-1] == "commit"
        for label in ("loaded", "invoiced c-3", "lines written c-1", "saved c-3", "commit"):
            before = snapshot(new_uow)

            def fail(step: str, label: str = label) -> None:
                if step == label:
                    raise InjectedError(step)

            with pytest.raises(InjectedError):
                run_invoicing(new_uow(), "acme", FEBRUARY, on_step=fail)
            assert snapshot(new_uow) == before, label
        done = run_invoicing(new_uow(), "acme", FEBRUARY)
        assert len(done.lines) == 4
        assert run_invoicing(new_uow(), "acme", FEBRUARY).lines == ()

    def test_every_write_is_in_the_audit_trail_and_any_version_can_be_read(
        self, new_uow: NewUow
    ) -> None:
        with new_uow() as uow:
            first = uow.contracts.add("acme", a_contract())
            second = uow.contracts.save("acme", first.evolve(attrs.evolve(first.value, notes="x")))
            uow.tickets.add("acme", a_ticket())
            uow.contracts.remove("acme", second)
            uow.tickets.add("globex", a_ticket())
        with new_uow() as uow:
            entries = uow.audit.list("acme")
            assert [(e.kind, e.key, e.version, e.action) for e in entries] == [
                ("contract", "c-1", 1, "add"),
                ("contract", "c-1", 2, "save"),
                ("ticket", "1041", 1, "add"),
                ("contract", "c-1", 2, "remove"),
            ]
            assert [e.summary for e in entries] == ["added", "notes", "added", "removed"]
            assert {e.actor for e in entries} == {ACTOR}
            assert all(e.at.utcoffset() is not None for e in entries)
            assert [e.at for e in entries] == sorted(e.at for e in entries)
            assert [e.key for e in uow.audit.list("acme", kind="ticket")] == ["1041"]
            assert len(uow.audit.list("acme", kind="contract", key="c-1")) == 3
            assert uow.audit.as_of("acme", "contract", "c-1", 1) == first
            assert uow.audit.as_of("acme", "contract", "c-1", 2).value.notes == "x"
            with pytest.raises(NotFoundError, match="no version 3"):
                uow.audit.as_of("acme", "contract", "c-1", 3)
            with pytest.raises(InvalidArgumentError, match="kind must be one of"):
                uow.audit.list("acme", kind="invoice")
            assert len(uow.audit.list("globex")) == 1

    def test_a_rolled_back_write_leaves_no_audit_entry(self, new_uow: NewUow) -> None:
        def add_then_fail() -> None:
            with new_uow() as uow:
                uow.contracts.add("acme", a_contract())
                raise ConcurrencyError("boom")

        with pytest.raises(ConcurrencyError):
            add_then_fail()
        with new_uow() as uow:
            assert uow.audit.list("acme") == ()
            stored = uow.numbering.get("acme")
            uow.numbering.save("acme", stored.evolve(attrs.evolve(stored.value, prefix="CT")))
        with new_uow() as uow:
            (entry,) = uow.audit.list("acme", kind="numbering")
            assert (entry.key, entry.version, entry.action) == ("acme", 1, "save")
            assert uow.audit.as_of("acme", "numbering", "acme", 1).value.prefix == "CT"

    @pytest.mark.parametrize("bad", ["c\x00-1", "c-1\n", "\x1b[31m", " "])
    def test_an_id_with_a_control_character_is_refused_alike_everywhere(
        self, new_uow: NewUow, bad: str
    ) -> None:
        """Issue 14: a NUL in an id was a bare DataError on PostgreSQL and stored on SQLite."""
        with new_uow() as uow:
            with pytest.raises(InvalidArgumentError, match=r"id|tenant"):
                uow.contracts.add("acme", a_contract(bad))
            with pytest.raises(InvalidArgumentError, match=r"id|tenant"):
                uow.contracts.get("acme", bad)
            with pytest.raises(InvalidArgumentError, match="tenant"):
                uow.tickets.list(f"acme{bad}" if bad.strip() else bad)
            assert uow.contracts.find("acme", ContractQuery()) == ()

    def test_a_contract_that_fails_is_reported_and_every_other_contract_commits(
        self, new_uow: NewUow
    ) -> None:
        _fill_with_a_failing_contract(new_uow)
        with new_uow() as uow:
            bad_before = uow.contracts.get("acme", "c-2")
        steps: list[str] = []
        result = run_invoicing(new_uow(), "acme", FEBRUARY, on_step=steps.append)

        assert result.failures == (
            InvoicingFailure(
                contract_id="c-2",
                error="InvalidArgumentError",
                message="update event on 2026-02-15 would make the price of service 'c-2-s1' "
                "negative: USD 1,000.00 -> USD -500.00",
            ),
        )
        assert [(i.contract_id, i.line.service_id) for i in result.lines] == [
            ("c-1", "c-1-s1"),
            ("c-1", "c-1-s2"),
            ("c-3", "c-3-s1"),
            ("c-3", "c-3-s2"),
        ]
        assert "failed c-2" in steps
        assert "invoiced c-2" not in steps
        with new_uow() as uow:
            assert uow.invoices.list("acme") == result.lines
            assert uow.invoices.list("acme", contract_id="c-2") == ()
            assert uow.contracts.get("acme", "c-2") == bad_before
            for good in ("c-1", "c-3"):
                stored = uow.contracts.get("acme", good)
                assert stored.version == 2
                assert {s.applied_up_to for s in stored.value.services} == {FEBRUARY.last}

    def test_an_exception_at_a_failed_contracts_step_still_rolls_the_whole_run_back(
        self, new_uow: NewUow
    ) -> None:
        _fill_with_a_failing_contract(new_uow)
        before = snapshot(new_uow)

        def fail(step: str) -> None:
            if step == "failed c-2":
                raise InjectedError(step)

        with pytest.raises(InjectedError):
            run_invoicing(new_uow(), "acme", FEBRUARY, on_step=fail)
        assert snapshot(new_uow) == before

    def test_a_rerun_after_fixing_the_failed_contract_writes_only_its_lines(
        self, new_uow: NewUow
    ) -> None:
        _fill_with_a_failing_contract(new_uow)
        first = run_invoicing(new_uow(), "acme", FEBRUARY)
        with new_uow() as uow:
            bad = uow.contracts.get("acme", "c-2")
            uow.contracts.save("acme", bad.evolve(attrs.evolve(bad.value, schedules=())))

        fixed = run_invoicing(new_uow(), "acme", FEBRUARY)
        again = run_invoicing(new_uow(), "acme", FEBRUARY)

        assert [i.contract_id for i in first.failures] == ["c-2"]
        assert [(i.contract_id, str(i.line.amount)) for i in fixed.lines] == [
            ("c-2", "USD 2,000.00"),
            ("c-2", "USD 18.51"),
        ]
        assert (fixed.already_invoiced, fixed.failures) == (4, ())
        assert (again.lines, again.already_invoiced, again.failures) == ((), 6, ())
        with new_uow() as uow:
            assert uow.invoices.list("acme") == tuple(
                sorted((*first.lines, *fixed.lines), key=lambda i: i.contract_id)
            )
            assert uow.contracts.get("acme", "c-2").version == 3

    @settings(
        max_examples=20,  # four contracts: 16 subsets
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.differing_executors,
        ],
    )
    @given(bad=st.sets(st.integers(min_value=0, max_value=3)))
    def test_an_invoice_run_writes_exactly_the_lines_of_its_good_contracts(
        self, new_uow: NewUow, bad: set[int]
    ) -> None:
        tenant = f"isolation-{next(_TENANTS)}"
        contracts = [
            _a_failing_contract(f"p-{n}") if n in bad else a_contract(f"p-{n}") for n in range(4)
        ]
        with new_uow() as uow:
            for contract in contracts:
                uow.contracts.add(tenant, contract)

        result = run_invoicing(new_uow(), tenant, FEBRUARY)

        alone = tuple(
            InvoicedLine(contract_id=contract.id, line=line)
            for n, contract in enumerate(contracts)
            if n not in bad
            for line in invoice_run(contract, FEBRUARY).lines
        )
        assert result.lines == alone
        assert [f.contract_id for f in result.failures] == [f"p-{n}" for n in sorted(bad)]
        with new_uow() as uow:
            assert uow.invoices.list(tenant) == alone
            versions = [uow.contracts.get(tenant, c.id).version for c in contracts]
        assert versions == [1 if n in bad else 2 for n in range(4)]

    def test_a_concurrent_change_during_an_invoice_run_aborts_it(self, new_uow: NewUow) -> None:
        fill(new_uow)

        def meddle(step: str) -> None:
            if step == "invoiced c-1":
                raise ConcurrencyError("someone saved c-1 meanwhile")

        before = snapshot(new_uow)
        with pytest.raises(ConcurrencyError):
            run_invoicing(new_uow(), "acme", FEBRUARY, on_step=meddle)
        assert snapshot(new_uow) == before

    def test_a_tickets_local_times_across_the_autumn_fold_read_back_as_the_same_instants(
        self, new_uow: NewUow
    ) -> None:
        # New York falls back on 2026-11-01: 01:10 and 01:20 EST come 40 and 50
        # minutes after 01:30 EDT although their wall clock reads earlier.
        new_york = ZoneInfo("America/New_York")
        ticket = a_ticket(
            "1050",
            events=(
                TicketCreated(datetime(2026, 11, 1, 1, 30, tzinfo=new_york)),
                CommentAdded(
                    datetime(2026, 11, 1, 1, 10, fold=1, tzinfo=new_york),
                    public=True,
                    author="agent",
                ),
                StatusChanged(datetime(2026, 11, 1, 1, 20, fold=1, tzinfo=new_york), "Resolved"),
            ),
        )
        with new_uow() as uow:
            uow.tickets.add("acme", ticket)
        with new_uow() as uow:
            stored: Ticket = uow.tickets.get("acme", "1050").value

        assert [event.at.astimezone(UTC) for event in stored.events] == [
            datetime(2026, 11, 1, 5, 30, tzinfo=UTC),
            datetime(2026, 11, 1, 6, 10, tzinfo=UTC),
            datetime(2026, 11, 1, 6, 20, tzinfo=UTC),
        ]
        assert [event.at.utcoffset() for event in stored.events] == [
            timedelta(hours=-4),
            timedelta(hours=-5),
            timedelta(hours=-5),
        ]
        policy = SlaPolicy(
            name="fold", response_within=timedelta(minutes=30), resolve_within=timedelta(hours=1)
        )
        status = evaluate(policy, stored.events, datetime(2026, 11, 1, 12, tzinfo=UTC))
        assert status.response is not None
        assert status.resolution is not None
        assert (status.response.state, status.response.elapsed) == (
            "breached",
            timedelta(minutes=40),
        )
        assert (status.resolution.state, status.resolution.elapsed) == (
            "met",
            timedelta(minutes=50),
        )

    def test_contract_fields_survive_storage_exactly(self, new_uow: NewUow) -> None:
        contract = a_contract(
            "c-7",
            notes="multi\nline ünïcode ✓",
            blocklist={"p-1", "p-2"},
            estimated_value=Money("1234567.891", "USD"),
            likelihood=70,
        )
        with new_uow() as uow:
            uow.contracts.add("acme", contract)
        with new_uow() as uow:
            stored: Contract = uow.contracts.get("acme", "c-7").value
        assert stored == contract

    def test_a_contract_canceled_while_pending_is_pending_again_after_storage(
        self, new_uow: NewUow
    ) -> None:
        canceled = cancel(a_contract("c-8", status="pending"), on=date(2026, 3, 31)).contract
        with new_uow() as uow:
            uow.contracts.add("acme", canceled)
        with new_uow() as uow:
            stored: Contract = uow.contracts.get("acme", "c-8").value
        assert stored.status_before_cancellation is ContractStatus.PENDING
        assert revoke_cancellation(stored).status is ContractStatus.PENDING

    @settings(
        max_examples=25,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.differing_executors,
        ],
    )
    @given(
        terms=billing_terms(months=1),
        starts=st.lists(st.integers(0, 200), min_size=1, max_size=2),
        runs=st.lists(st.integers(0, 500), min_size=1, max_size=5),
    )
    def test_runs_by_day_bill_every_day_of_a_service_exactly_once(
        self, new_uow: NewUow, terms: BillingTerms, starts: list[int], runs: list[int]
    ) -> None:
        """Issue 13: any sequence of runs by day (repeats, gaps, going back) bills each day once."""
        tenant = f"due-{next(_TENANTS)}"
        services = tuple(
            a_service(f"s-{i}", start_date=YEAR_START + timedelta(days=offset))
            for i, offset in enumerate(starts)
        )
        contract = a_contract(services=services, schedules=(), billing=terms)
        with new_uow() as uow:
            uow.contracts.add(tenant, contract)
        for offset in runs:
            run_invoicing_due(new_uow(), tenant, YEAR_START + timedelta(days=offset))
        last_run = YEAR_START + timedelta(days=max(runs))
        with new_uow() as uow:
            lines = uow.invoices.list(tenant)
            stored = uow.contracts.get(tenant, contract.id).value
        for service in services:
            billed = [
                part.first + timedelta(days=k)
                for item in lines
                if item.line.service_id == service.id
                for part in item.line.parts
                for k in range(part.days)
            ]
            assert len(billed) == len(set(billed)), "a day was billed twice"
            # Exactly the days of the periods due by the last run, from scratch.
            expected = [
                due.period.first + timedelta(days=k)
                for due in due_periods(contract, service, last_run)
                for k in range(due.period.days)
            ]
            assert sorted(billed) == expected
            mark = next(s for s in stored.services if s.id == service.id).billed_through
            assert mark == (expected[-1] if expected else None)

    def test_a_run_by_day_skips_the_periods_a_run_by_period_wrote(self, new_uow: NewUow) -> None:
        contract = a_contract(
            services=(a_service("s-1", start_date=YEAR_START),),
            schedules=(),
            billing=BillingTerms(alignment="calendar"),
        )
        with new_uow() as uow:
            uow.contracts.add("acme", contract)
        by_period = run_invoicing(new_uow(), "acme", FEBRUARY)
        by_day = run_invoicing_due(new_uow(), "acme", date(2026, 4, 1))
        again = run_invoicing_due(new_uow(), "acme", date(2026, 4, 1))
        assert [i.line.period for i in by_period.lines] == [FEBRUARY]
        assert [i.line.period.first.month for i in by_day.lines] == [1, 3]
        assert (by_day.already_invoiced, again.lines) == (1, ())
        with new_uow() as uow:
            assert len(uow.invoices.list("acme")) == 3
            (service,) = uow.contracts.get("acme", "c-1").value.services
            assert service.billed_through == date(2026, 3, 31)

    def test_a_write_retried_with_its_idempotency_key_returns_the_first_result(
        self, new_uow: NewUow
    ) -> None:
        """Issue 14: a retried add after a timeout failed with "already exists"."""
        with new_uow() as uow:
            first = uow.contracts.add("acme", a_contract(), idempotency_key="req-1")
        with new_uow() as uow:  # the retry: the reply to the first was lost
            again = uow.contracts.add("acme", a_contract(), idempotency_key="req-1")
            saved = uow.contracts.save(
                "acme", first.evolve(attrs.evolve(first.value, notes="x")), idempotency_key="req-2"
            )
        with new_uow() as uow:
            retried = uow.contracts.save(
                "acme", first.evolve(attrs.evolve(first.value, notes="x")), idempotency_key="req-2"
            )
            with pytest.raises(InvalidArgumentError, match="'req-1' was used for another write"):
                uow.tickets.add("acme", a_ticket(), idempotency_key="req-1")
            with pytest.raises(ConcurrencyError):  # without a key the retry is refused
                uow.contracts.add("acme", a_contract())
        assert again == first
        assert retried == saved
        assert saved.version == 2
        with new_uow() as uow:
            assert uow.contracts.get("acme", "c-1") == saved
            entries = uow.audit.list("acme")
            assert [(e.action, e.idempotency_key) for e in entries] == [
                ("add", "req-1"),
                ("save", "req-2"),
            ]
            # Keys belong to their tenant.
            other = uow.contracts.add("globex", a_contract(), idempotency_key="req-1")
            assert other.version == 1

    def test_stored_tickets_keep_their_wake_ups_right_on_every_write(self, new_uow: NewUow) -> None:
        """DESIGN 6.1: next_change_at per open ticket, one query for a scheduler."""
        opened = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)  # Monday 10:00 in New York
        ticket = a_ticket(events=(TicketCreated(opened),))
        policy = a_policy()
        with new_uow() as uow:
            uow.sla_policies.add("acme", "gold", policy)
            stored = uow.tickets.add("acme", ticket)
            uow.tickets.add("acme", a_ticket("no-policy", sla_policy_id="none", events=()))
        horizon = opened + timedelta(days=30)
        first = evaluate(policy, ticket.events, opened).next_change_at
        assert first is not None
        with new_uow() as uow:
            assert uow.tickets.to_wake("acme", horizon) == (("1041", first),)
            assert uow.tickets.to_wake("acme", first - timedelta(microseconds=1)) == ()
            # Woken at the first change, a scheduler finds the next one stored.
            second = evaluate(policy, ticket.events, first).next_change_at
            assert second is not None
            assert uow.tickets.to_wake("acme", horizon, after=first) == (("1041", second),)
            assert uow.tickets.to_wake("globex", horizon) == ()
            # A reply and a resolution: nothing left to wake for.
            done = attrs.evolve(
                stored.value,
                events=(
                    *ticket.events,
                    CommentAdded(opened + timedelta(minutes=5), public=True, author="agent"),
                    StatusChanged(opened + timedelta(minutes=6), "Resolved"),
                ),
            )
            saved = uow.tickets.save("acme", stored.evolve(done))
            assert uow.tickets.to_wake("acme", horizon) == ()
            uow.tickets.remove("acme", saved)
            assert uow.tickets.to_wake("acme", horizon) == ()

    # -- the actions outbox (DESIGN 6.1) -------------------------------------------------

    def test_a_due_action_is_pending_under_its_stable_id_until_acknowledged(
        self, new_uow: NewUow
    ) -> None:
        with new_uow() as uow:
            for tenant in ("acme", "globex"):
                uow.sla_policies.add(tenant, "outbox", OUTBOX_POLICY)
                uow.tickets.add(
                    tenant, a_ticket(sla_policy_id="outbox", events=(TicketCreated(OPENED),))
                )
        with new_uow() as uow:
            assert [a.id for a in uow.tickets.pending_actions("acme", OPENED)] == [
                "acme:1041:ticket:1:created:assign",
                "acme:1041:ticket:1:created:priority",
            ]
            later = OPENED + timedelta(hours=2)
            pending = uow.tickets.pending_actions("acme", later)
            assert [a.id for a in pending] == [
                "acme:1041:ticket:1:created:assign",
                "acme:1041:ticket:1:created:priority",
                "acme:1041:response:1:warning:notify",
                "acme:1041:response:1:breach:assign",
                "acme:1041:response:1:breach:notify",
            ]
            assert {a.ticket_id for a in pending} == {"1041"}
            assert pending[2].action == Notify(
                at=OPENED + timedelta(minutes=45), kind="warning", target="response"
            )
            assert uow.tickets.acknowledge("acme", [a.id for a in pending[:3]]) == 3
        with new_uow() as uow:
            assert [a.id for a in uow.tickets.pending_actions("acme", later)] == [
                "acme:1041:response:1:breach:assign",
                "acme:1041:response:1:breach:notify",
            ]
            # Another tenant's outbox is its own.
            assert len(uow.tickets.pending_actions("globex", later)) == 5

    def test_a_warning_whose_reply_came_first_is_never_pending(self, new_uow: NewUow) -> None:
        """DESIGN 6.1: an action whose condition no longer holds when due is never pending."""
        reply = CommentAdded(OPENED + timedelta(minutes=30), public=True, author="agent")
        events = (TicketCreated(OPENED), reply)
        with new_uow() as uow:
            uow.sla_policies.add("acme", "outbox", OUTBOX_POLICY)
            uow.tickets.add("acme", a_ticket(sla_policy_id="outbox", events=events))
            ids = [a.id for a in uow.tickets.pending_actions("acme", OPENED + timedelta(hours=4))]
        assert not [key for key in ids if ":response:" in key]
        assert "acme:1041:resolution:1:warning:notify" in ids  # the resolution still runs

    def test_acknowledging_twice_changes_nothing_and_foreign_ids_are_refused(
        self, new_uow: NewUow
    ) -> None:
        with new_uow() as uow:
            assert uow.tickets.acknowledge("acme", ["acme:1041:response:1:breach:notify"]) == 1
            assert uow.tickets.acknowledge("acme", ["acme:1041:response:1:breach:notify"]) == 0
            assert uow.tickets.acknowledge("acme", []) == 0
            for bad in ("globex:1041:response:1:breach:notify", "acme:1041", ""):
                with pytest.raises(InvalidArgumentError, match=r"ids\[0\] must be an action id"):
                    uow.tickets.acknowledge("acme", [bad])
            with pytest.raises(InvalidArgumentError, match="collection of action ids"):
                uow.tickets.acknowledge("acme", "acme:1041:response:1:breach:notify")

    def test_an_acknowledgement_rolls_back_with_its_unit_of_work(self, new_uow: NewUow) -> None:
        with new_uow() as uow:
            uow.sla_policies.add("acme", "outbox", OUTBOX_POLICY)
            uow.tickets.add(
                "acme", a_ticket(sla_policy_id="outbox", events=(TicketCreated(OPENED),))
            )

        def acknowledge_then_fail() -> None:
            with new_uow() as uow:
                uow.tickets.acknowledge("acme", ["acme:1041:ticket:1:created:assign"])
                raise InjectedError

        with pytest.raises(InjectedError):
            acknowledge_then_fail()
        with new_uow() as uow:
            assert len(uow.tickets.pending_actions("acme", OPENED)) == 2

    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.differing_executors,
        ],
    )
    @given(
        replies=st.lists(st.none() | st.integers(0, 300), min_size=1, max_size=4),
        minutes=st.integers(0, 600),
        acknowledged=st.sets(st.integers(0, 40)),
    )
    def test_pending_actions_are_the_due_ones_less_the_acknowledged(
        self,
        new_uow: NewUow,
        replies: list[int | None],
        minutes: int,
        acknowledged: set[int],
    ) -> None:
        tenant = f"t{next(_TENANTS)}"
        now = OPENED + timedelta(minutes=minutes)
        tickets = []
        for number, reply in enumerate(replies):
            events: list[Any] = [TicketCreated(OPENED + timedelta(minutes=number))]
            if reply is not None:
                at = OPENED + timedelta(minutes=number + reply)
                events.append(CommentAdded(at, public=True, author="agent"))
            tickets.append(a_ticket(f"t:{number}", sla_policy_id="outbox", events=events))
        # The reference: each ticket's due actions at now, ids written out by hand.
        due = [
            (action.at, ticket.id, _reference_id(tenant, ticket.id, action), action)
            for ticket in tickets
            if ticket.events[0].at <= now
            for action in evaluate(OUTBOX_POLICY, ticket.events, now).due_actions
        ]
        due.sort(key=lambda item: item[:3])
        done = {item[2] for index, item in enumerate(due) if index in acknowledged}
        with new_uow() as uow:
            uow.sla_policies.add(tenant, "outbox", OUTBOX_POLICY)
            for ticket in tickets:
                uow.tickets.add(tenant, ticket)
            uow.tickets.acknowledge(tenant, sorted(done))
        with new_uow() as uow:
            pending = uow.tickets.pending_actions(tenant, now)
        assert [(a.action.at, a.ticket_id, a.id, a.action) for a in pending] == [
            item for item in due if item[2] not in done
        ]


#: A 24x7 policy with every kind of action: the outbox tests' policy.
OUTBOX_POLICY = SlaPolicy(
    name="Outbox",
    response_within=timedelta(hours=1),
    resolve_within=timedelta(hours=4),
    warn_before=timedelta(minutes=15),
    assign_to="tier-1",
    reassign_on_breach_to="tier-2",
    priority="high",
)
OPENED = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)


def _reference_id(tenant: str, ticket_id: str, action: Any) -> str:
    """An action's id as DESIGN 6.1 spells it (``:`` in a ticket id written ``%3A``)."""
    parts: tuple[str, ...]
    if isinstance(action, Notify):
        parts = (action.target, "1", action.kind, "notify")
    elif isinstance(action, AssignTechnician) and action.reason == "breach":
        parts = (str(action.target), "1", "breach", "assign")
    elif isinstance(action, AssignTechnician):
        parts = ("ticket", "1", "created", "assign")
    else:
        parts = ("ticket", "1", "created", "priority")
    return ":".join((tenant, ticket_id.replace(":", "%3A"), *parts))
