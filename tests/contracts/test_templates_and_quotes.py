from __future__ import annotations

from datetime import date, timedelta

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from contractcore.contracts import (
    Contract,
    ContractChange,
    ContractStatus,
    ContractTemplate,
    Quote,
    QuoteStatus,
    RenewalOptions,
    apply_change,
    approve_quote,
    contract_from_template,
    process_quote,
    process_requote,
    renew,
    requote,
    save_as_template,
)
from contractcore.errors import ContractStateError, InvalidArgumentError
from contractcore.money import Money
from contractcore.penalties import RemainingPercentPenalty
from contractcore.pricing import PriceOverride
from contractcore.schedules import PRICE, After, AtRenewal, On, Percent, Schedule, UpdateEvent

from .builders import a_contract, a_service
from .strategies import contract_dates, term_lengths

UPLIFT = Schedule(events=[UpdateEvent(After(months=6), PRICE, Percent(10))], targets={"s-1"})


def a_managed_it_contract() -> object:
    return a_contract(
        kind="auto_renew",
        renewal=RenewalOptions(
            term_months=12,
            penalty=RemainingPercentPenalty(1, Money("100", "USD")),
            schedules=(
                Schedule(events=[UpdateEvent(AtRenewal(), PRICE, Percent(3))], targets={"s-1"}),
            ),
        ),
        services=(a_service("s-1", applied_up_to=date(2026, 3, 31)), a_service("s-2")),
        price_overrides=(PriceOverride("labor-hour", Money("95.00", "USD")),),
        blocklist={"legacy-backup"},
        schedules=(UPLIFT,),
        sla_policy_id="gold",
        apply_to_new_tickets=True,
        likelihood=90,
        notes="private to this customer",
    )


def test_saving_as_template_keeps_renewal_services_overrides_blocklist_and_schedules() -> None:
    contract = a_contract(
        kind="auto_renew",
        renewal=RenewalOptions(term_months=24),
        services=(a_service(applied_up_to=date(2026, 3, 31)),),
        price_overrides=(PriceOverride("labor-hour", Money("95.00", "USD")),),
        blocklist={"legacy-backup"},
        schedules=(UPLIFT,),
    )
    template = save_as_template(contract, "Managed IT 12+24")
    assert template.renewal == RenewalOptions(term_months=24)
    assert template.price_overrides == contract.price_overrides
    assert template.blocklist == frozenset({"legacy-backup"})
    assert template.schedules == (UPLIFT,)
    assert template.services[0].applied_up_to is None
    assert template.reference_start == date(2026, 1, 1)


def test_cloning_a_template_for_another_customer_carries_its_terms() -> None:
    template = save_as_template(
        a_contract(
            kind="auto_renew",
            renewal=RenewalOptions(term_months=12),
            services=(a_service("s-1"), a_service("s-2", start_date=date(2026, 2, 1))),
            blocklist={"legacy-backup"},
            schedules=(UPLIFT,),
            sla_policy_id="gold",
        ),
        "Managed IT",
    )
    clone = contract_from_template(
        template, id="c-8", number="CT-8-0008", customer_id="8", start_date=date(2026, 11, 1)
    )
    assert (clone.customer_id, clone.status, clone.name) == (
        "8",
        ContractStatus.PENDING,
        "Managed IT",
    )
    assert clone.end_date == date(2027, 10, 31)
    assert clone.renewal == RenewalOptions(term_months=12)
    assert clone.blocklist == frozenset({"legacy-backup"})
    assert clone.sla_policy_id == "gold"
    assert [(s.id, s.start_date) for s in clone.services] == [
        ("c-8-s-1", date(2026, 11, 1)),
        ("c-8-s-2", date(2026, 12, 1)),
    ]
    assert clone.schedules[0].targets == frozenset({"c-8-s-1"})


def test_cloning_uses_the_service_ids_the_host_gives() -> None:
    template = save_as_template(a_contract(services=(a_service("s-1"),), schedules=(UPLIFT,)), "T")
    clone = contract_from_template(
        template,
        id="c-8",
        number="CT-8-0008",
        customer_id="8",
        start_date=date(2026, 1, 1),
        service_ids={"s-1": "svc-900"},
    )
    assert clone.services[0].id == "svc-900"
    assert clone.schedules[0].targets == frozenset({"svc-900"})


def test_cloning_does_not_carry_sales_fields_notes_or_status() -> None:
    source = a_contract(likelihood=90, notes="private", estimated_value=Money("10", "USD"))
    clone = contract_from_template(
        save_as_template(source, "T"),
        id="c-2",
        number="N-2",
        customer_id="9",
        start_date=date(2027, 1, 1),
    )
    assert (clone.likelihood, clone.notes, clone.estimated_value) == (None, "", None)


def test_an_auto_renewing_template_without_a_term_needs_an_end_date_when_cloned() -> None:
    template = ContractTemplate(
        name="Custom", kind="auto_renew", renewal=RenewalOptions(term_months=12)
    )
    with pytest.raises(
        InvalidArgumentError, match="auto_renew contract needs term_months or end_date"
    ):
        contract_from_template(
            template, id="c", number="N", customer_id="1", start_date=date(2026, 1, 1)
        )
    clone = contract_from_template(
        template,
        id="c",
        number="N",
        customer_id="1",
        start_date=date(2026, 1, 1),
        end_date=date(2026, 8, 31),
    )
    assert clone.end_date == date(2026, 8, 31)


def test_a_term_given_when_cloning_replaces_the_templates_term() -> None:
    template = ContractTemplate(name="AV", term_months=12)
    clone = contract_from_template(
        template, id="c", number="N", customer_id="1", start_date=date(2026, 1, 1), term_months=36
    )
    assert clone.end_date == date(2028, 12, 31)


def test_approving_and_processing_a_quote_creates_its_proposed_contract() -> None:
    # "Once the quote is approved and signed, an order will be created. Once the
    # order is processed, the contract will be created."
    quote = Quote(
        id="q-1",
        customer_id="8",
        proposal=ContractTemplate(name="Backup", term_months=12, sla_policy_id="silver"),
        start_date=date(2026, 12, 1),
    )
    processed, contract = process_quote(approve_quote(quote), contract_id="c-5", number="CT-8-0005")
    assert processed.status is QuoteStatus.PROCESSED
    assert processed.contract_id == "c-5"
    assert (contract.customer_id, contract.sla_policy_id, contract.status) == (
        "8",
        "silver",
        "pending",
    )


def test_processing_a_quote_that_was_not_approved_is_refused() -> None:
    quote = Quote(
        id="q-1", customer_id="8", proposal=ContractTemplate(name="B"), start_date=date(2026, 1, 1)
    )
    with pytest.raises(ContractStateError, match="status is draft, must be approved"):
        process_quote(quote, contract_id="c", number="N")


def test_processing_a_quote_without_a_contract_is_refused() -> None:
    with pytest.raises(ContractStateError, match="proposes no contract"):
        process_quote(approve_quote(Quote(id="q-1", customer_id="8")), contract_id="c", number="N")


def test_approving_a_quote_twice_is_refused() -> None:
    with pytest.raises(ContractStateError, match="cannot approve quote q-1"):
        approve_quote(approve_quote(Quote(id="q-1", customer_id="8")))


def test_a_proposal_without_a_start_date_is_refused() -> None:
    with pytest.raises(InvalidArgumentError, match="start_date must be given with a proposal"):
        Quote(id="q-1", customer_id="8", proposal=ContractTemplate(name="B"))


def test_a_requote_applies_the_new_term_and_services_once_approved() -> None:
    contract = a_contract(services=(a_service("s-1"),))
    change = attrs.evolve(
        ContractChange.from_contract(contract),
        term_months=24,
        services=(a_service("s-1"), a_service("s-2", product_id="backup")),
    )
    quote = requote(contract, quote_id="q-2", change=change)
    assert quote.contract_id == contract.id
    assert quote.status is QuoteStatus.DRAFT
    processed, updated = process_requote(approve_quote(quote), contract)
    assert processed.status is QuoteStatus.PROCESSED
    assert updated.end_date == date(2027, 12, 31)
    assert [s.id for s in updated.services] == ["s-1", "s-2"]


def test_a_requote_can_turn_a_fixed_contract_into_an_auto_renewing_one() -> None:
    contract = a_contract()
    change = attrs.evolve(
        ContractChange.from_contract(contract),
        kind="auto_renew",
        renewal=RenewalOptions(term_months=12),
    )
    assert apply_change(contract, change).renewal == RenewalOptions(term_months=12)


def test_a_change_that_keeps_everything_returns_an_equal_contract() -> None:
    contract = a_contract(term_months=None, end_date=date(2026, 9, 30), services=(a_service(),))
    assert apply_change(contract, ContractChange.from_contract(contract)) == contract


def test_the_start_date_cannot_change_once_a_service_was_billed() -> None:
    # "You cannot update the start date if one or more of the services of the
    # contract has already been billed."
    contract = a_contract(services=(a_service("s-1", applied_up_to=date(2026, 1, 31)),))
    change = attrs.evolve(ContractChange.from_contract(contract), start_date=date(2026, 2, 1))
    with pytest.raises(ContractStateError, match="service s-1 was already billed"):
        apply_change(contract, change)


def test_the_start_date_can_change_while_no_service_was_billed() -> None:
    contract = a_contract(services=(a_service("s-1"),))
    change = attrs.evolve(ContractChange.from_contract(contract), start_date=date(2026, 2, 1))
    assert apply_change(contract, change).end_date == date(2027, 1, 31)


def test_processing_a_requote_against_another_contract_is_refused() -> None:
    contract = a_contract()
    quote = approve_quote(
        requote(contract, quote_id="q-2", change=ContractChange.from_contract(contract))
    )
    with pytest.raises(ContractStateError, match="is not a re-quote of contract c-9"):
        process_requote(quote, a_contract(id="c-9"))


def test_cloning_a_template_onto_the_same_start_and_ids_gives_back_the_commercial_terms() -> None:
    source = a_contract(
        kind="auto_renew",
        renewal=RenewalOptions(term_months=12, schedules=(UPLIFT,)),
        services=(a_service("s-1", end_date=date(2026, 8, 31)), a_service("s-2")),
        price_overrides=(PriceOverride("labor-hour", Money("95.00", "USD")),),
        blocklist={"legacy-backup"},
        schedules=(UPLIFT,),
        penalty=RemainingPercentPenalty(1, Money("100", "USD")),
    )
    clone = contract_from_template(
        save_as_template(source, "T"),
        id=source.id,
        number=source.number,
        customer_id=source.customer_id,
        start_date=source.start_date,
        name=source.name,
        service_ids={"s-1": "s-1", "s-2": "s-2"},
    )
    assert attrs.evolve(clone, status=source.status) == source


def test_a_contract_is_hashable_so_hosts_can_put_it_in_sets() -> None:
    contract = a_contract(services=(a_service(),), blocklist={"x"}, schedules=(UPLIFT,))
    assert len({contract, attrs.evolve(contract)}) == 1


def test_a_service_running_the_whole_term_ends_with_the_cloned_contract() -> None:
    # 2026-01-01..2026-12-31 moved to a clone from 2026-03-01 ends on
    # 2027-02-28 (S + 12 months - 1 day), not on 2027-03-03 (11 months and
    # 30 days after the new start).
    template = save_as_template(a_contract(services=(a_service(end_date=date(2026, 12, 31)),)), "T")
    clone = contract_from_template(
        template, id="c-2", number="N-2", customer_id="9", start_date=date(2026, 3, 1)
    )
    service = clone.services[0]
    assert (service.start_date, service.end_date) == (date(2026, 3, 1), date(2027, 2, 28))
    assert clone.end_date == date(2027, 2, 28)


def test_a_short_service_near_a_month_end_still_clones() -> None:
    # 2026-01-31..2026-02-01 from a contract of 2026-01-01 moved to 2026-02-01
    # starts on 2026-03-03 (30 days after the start) but its day after the
    # end, 1 month and 1 day after, lands on 2026-03-02: it keeps one day
    # instead of raising for an end before its start.
    template = save_as_template(
        a_contract(services=(a_service(start_date=date(2026, 1, 31), end_date=date(2026, 2, 1)),)),
        "T",
    )
    clone = contract_from_template(
        template, id="c-2", number="N-2", customer_id="9", start_date=date(2026, 2, 1)
    )
    service = clone.services[0]
    assert (service.start_date, service.end_date) == (date(2026, 3, 3), date(2026, 3, 3))


@given(reference=contract_dates(), start=contract_dates(), months=term_lengths())
def test_a_service_spanning_the_term_spans_the_clones_term(
    reference: date, start: date, months: int
) -> None:
    source = a_contract(start_date=reference, term_months=months)
    assert source.end_date is not None
    service = a_service(start_date=reference, end_date=source.end_date)
    template = save_as_template(attrs.evolve(source, services=(service,)), "T")
    clone = contract_from_template(
        template, id="c-2", number="N-2", customer_id="9", start_date=start
    )
    moved = clone.services[0]
    assert (moved.start_date, moved.end_date) == (clone.start_date, clone.end_date)


@given(
    reference=contract_dates(),
    start=contract_dates(),
    offset=st.integers(-60, 400),
    length=st.integers(0, 400),
)
def test_cloning_never_puts_a_service_end_before_its_start(
    reference: date, start: date, offset: int, length: int
) -> None:
    first = reference + timedelta(days=offset)
    service = a_service(start_date=first, end_date=first + timedelta(days=length))
    template = save_as_template(a_contract(start_date=reference, services=(service,)), "T")
    clone = contract_from_template(
        template, id="c-2", number="N-2", customer_id="9", start_date=start
    )
    moved = clone.services[0]
    assert moved.end_date is not None
    assert moved.start_date <= moved.end_date


def a_renewed_contract() -> Contract:
    """A contract from 2026-01-01 renewed on 2027-01-01 before December was invoiced.

    Its services began in the first term (one a month after the contract), and the
    renewal pinned December's uplift and the renewal uplift for each of them.
    """
    december = Schedule(events=[UpdateEvent(After(months=11), PRICE, Percent(10))])
    contract = a_contract(
        kind="auto_renew",
        renewal=RenewalOptions(
            term_months=12,
            schedules=(Schedule(events=[UpdateEvent(AtRenewal(), PRICE, Percent(3))]),),
        ),
        services=(
            a_service("s-1", applied_up_to=date(2026, 11, 30)),
            a_service("s-2", start_date=date(2026, 2, 1), applied_up_to=date(2026, 11, 30)),
        ),
        schedules=(december, Schedule(events=[UpdateEvent(AtRenewal(), PRICE, Percent(3))])),
    )
    return renew(contract)


def test_a_template_saved_from_a_renewed_contract_has_no_pinned_schedules() -> None:
    renewed = a_renewed_contract()
    template = save_as_template(renewed, "Managed IT")

    assert any(s.pinned for s in renewed.schedules)
    assert renewed.renewal is not None
    assert template.schedules == renewed.renewal.schedules
    assert not any(s.pinned for s in template.schedules)


def test_a_template_saved_from_a_renewed_contract_starts_old_services_with_the_term() -> None:
    template = save_as_template(a_renewed_contract(), "Managed IT")
    assert template.reference_start == date(2027, 1, 1)
    assert [s.start_date for s in template.services] == [date(2027, 1, 1)] * 2


def test_a_clone_from_a_renewed_contract_starts_its_services_with_it() -> None:
    template = save_as_template(a_renewed_contract(), "Managed IT")
    clone = contract_from_template(
        template, id="c-8", number="CT-8-0008", customer_id="8", start_date=date(2027, 3, 1)
    )
    assert [(s.start_date, s.applied_up_to) for s in clone.services] == [
        (date(2027, 3, 1), None),
        (date(2027, 3, 1), None),
    ]
    assert not any(s.pinned for s in clone.schedules)


def test_a_clone_never_starts_a_service_before_itself_whatever_the_template_says() -> None:
    earlier = a_service("s-1", start_date=date(2025, 6, 1))
    pinned = Schedule(
        events=[UpdateEvent(On(date(2025, 12, 1)), PRICE, Percent(10))],
        targets={"s-1"},
        origin="amendment",
    )
    for reference in (date(2026, 1, 1), None):
        template = ContractTemplate(
            name="By hand",
            term_months=12,
            services=(earlier,),
            schedules=(pinned, UPLIFT),
            reference_start=reference,
        )
        clone = contract_from_template(
            template, id="c-8", number="CT-8-0008", customer_id="8", start_date=date(2026, 5, 1)
        )
        assert clone.services[0].start_date == date(2026, 5, 1)
        assert [s.pinned for s in clone.schedules] == [False]


@given(start=contract_dates(), months=st.integers(0, 30), shift=st.integers(-400, 400))
def test_a_clone_from_a_renewed_contract_never_starts_a_service_before_itself(
    start: date, months: int, shift: int
) -> None:
    """Any number of renewals, any clone start: every service on or after the clone's."""
    contract = a_contract(
        kind="auto_renew",
        start_date=start,
        term_months=1,
        renewal=RenewalOptions(term_months=1),
        services=(
            a_service("s-1", start_date=start),
            a_service(
                "s-2", start_date=start + timedelta(days=20), end_date=start + timedelta(days=40)
            ),
        ),
        schedules=(Schedule(events=[UpdateEvent(After(days=25), PRICE, Percent(10))]),),
    )
    for _ in range(months):
        contract = renew(contract)
    template = save_as_template(contract, "T")
    clone_start = contract.start_date + timedelta(days=shift)
    clone = contract_from_template(
        template, id="c-8", number="CT-8-0008", customer_id="8", start_date=clone_start
    )
    assert all(s.start_date >= clone_start for s in clone.services)
    assert all(s.end_date is None or s.end_date >= s.start_date for s in clone.services)
    assert not any(s.pinned for s in template.schedules + clone.schedules)


def test_templates_clones_and_changes_carry_the_mid_period_rule() -> None:
    prorated = a_contract(mid_period_changes="prorate")
    template = save_as_template(prorated, "Prorated seats")
    assert template.mid_period_changes == "prorate"
    clone = contract_from_template(
        template, id="c-2", number="CT-7-0002", customer_id="7", start_date=date(2026, 3, 1)
    )
    assert clone.mid_period_changes == "prorate"
    change = ContractChange.from_contract(prorated)
    assert change.mid_period_changes == "prorate"
    whole = apply_change(prorated, attrs.evolve(change, mid_period_changes="whole_period"))
    assert whole.mid_period_changes == "whole_period"
    assert apply_change(prorated, change) == prorated
    with pytest.raises(InvalidArgumentError, match="mid_period_changes must be one of"):
        ContractTemplate(name="t", mid_period_changes="weekly")  # type: ignore[arg-type]
