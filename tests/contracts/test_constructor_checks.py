"""DESIGN 5 "One currency per contract" and the other checks a contract makes when built."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from contractcore.contracts import (
    Contract,
    ContractStatus,
    ContractTemplate,
    RenewalOptions,
    cancel,
    revoke_cancellation,
)
from contractcore.errors import (
    ContractCurrencyError,
    CurrencyMismatchError,
    InvalidArgumentError,
    SerializationError,
)
from contractcore.money import Money
from contractcore.penalties import (
    FixedPenalty,
    NoPenalty,
    Penalty,
    RemainingPercentPenalty,
    TotalPercentPenalty,
)
from contractcore.pricing import PriceOverride, Service
from contractcore.schedules import PRICE, QUANTITY, Delta, On, Percent, Schedule, SetTo, UpdateEvent
from contractcore.serialization import dumps, from_document, loads, to_document

from .builders import a_contract, a_service

EUR = "EUR"


def _price_event(value: SetTo | Delta | Percent) -> Schedule:
    return Schedule(events=[UpdateEvent(On(date(2026, 6, 1)), PRICE, value)])


# Currency -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "path"),
    [
        ({"services": (a_service(unit_price=Money("20.00", EUR)),)}, r"services\[0\]\.unit_price"),
        (
            {"services": (a_service(), a_service("s-2", unit_price=Money(1, EUR)))},
            r"services\[1\]\.unit_price",
        ),
        (
            {"price_overrides": (PriceOverride("labor", Money("95.00", EUR)),)},
            r"price_overrides\[0\]\.price",
        ),
        ({"penalty": FixedPenalty(Money(250, EUR))}, r"penalty\.amount"),
        ({"penalty": RemainingPercentPenalty(10, Money(100, EUR))}, r"penalty\.minimum"),
        ({"penalty": TotalPercentPenalty(1, Money(100, EUR))}, r"penalty\.minimum"),
        (
            {"schedules": (_price_event(SetTo(Money("110.00", EUR))),)},
            r"schedules\[0\]\.events\[0\]\.value\.value",
        ),
        (
            {"schedules": (_price_event(Percent(3)), _price_event(Delta(Money(5, EUR))))},
            r"schedules\[1\]\.events\[0\]\.value\.amount",
        ),
        ({"estimated_value": Money("5000", EUR)}, r"estimated_value"),
        (
            {
                "kind": "auto_renew",
                "renewal": RenewalOptions(term_months=12, penalty=FixedPenalty(Money(9, EUR))),
            },
            r"renewal\.penalty\.amount",
        ),
        (
            {
                "kind": "auto_renew",
                "renewal": RenewalOptions(
                    term_months=12, schedules=(_price_event(Delta(Money(5, EUR))),)
                ),
            },
            r"renewal\.schedules\[0\]\.events\[0\]\.value\.amount",
        ),
    ],
)
def test_an_amount_in_another_currency_is_refused_naming_its_field(
    changes: dict[str, object], path: str
) -> None:
    with pytest.raises(ContractCurrencyError, match=rf"^{path} is in EUR \(Money\(.*'EUR'\)\), "):
        a_contract(**changes)


def test_the_message_names_the_contract_and_its_currency() -> None:
    with pytest.raises(
        ContractCurrencyError,
        match=(
            r"^services\[0\]\.unit_price is in EUR \(Money\('20\.00', 'EUR'\)\), "
            r"contract 'c-1' bills in USD$"
        ),
    ):
        a_contract(services=(a_service(unit_price=Money("20.00", EUR)),))


def test_the_currency_error_is_caught_as_either_kind_of_error() -> None:
    assert issubclass(ContractCurrencyError, CurrencyMismatchError)
    assert issubclass(ContractCurrencyError, InvalidArgumentError)
    with pytest.raises(InvalidArgumentError):
        a_contract(estimated_value=Money("5000", EUR))


def test_a_contract_in_euros_takes_euro_amounts_and_bare_schedule_numbers() -> None:
    contract = a_contract(
        currency=EUR,
        services=(a_service(unit_price=Money("20.00", EUR)),),
        price_overrides=(PriceOverride("labor", Money("95.00", EUR)),),
        penalty=FixedPenalty(Money(250, EUR)),
        schedules=(_price_event(SetTo(Decimal("110"))), _price_event(Delta(Money(5, EUR)))),
        estimated_value=Money("5000", EUR),
    )
    assert contract.currency == EUR


def test_a_euro_contract_left_on_the_default_currency_is_refused_when_built() -> None:
    # It used to build (currency defaults to USD) and fail at the first invoice run.
    with pytest.raises(ContractCurrencyError, match="contract 'c-1' bills in USD"):
        a_contract(services=(a_service(unit_price=Money("20.00", EUR)),))


def test_a_quantity_schedule_and_a_percent_change_hold_no_amount() -> None:
    quantity = Schedule(events=[UpdateEvent(On(date(2026, 6, 1)), QUANTITY, Delta(2))])
    a_contract(currency=EUR, schedules=(quantity, _price_event(Percent(5))))


def test_a_document_with_mixed_currencies_is_refused_naming_the_field() -> None:
    document = to_document(a_contract(services=(a_service(),)))
    document["data"]["services"][0]["unit_price"]["currency"] = EUR
    with pytest.raises(SerializationError, match=r"services\[0\]\.unit_price is in EUR"):
        from_document(Contract, document)


_CURRENCIES = st.sampled_from(["USD", "EUR", "JPY"])
_AMOUNTS = st.integers(0, 10_000).map(lambda n: Decimal(n).scaleb(-2))


def _penalties(currency: str) -> st.SearchStrategy[Penalty]:
    money = _AMOUNTS.map(lambda a: Money(a, currency))
    return st.one_of(
        st.just(NoPenalty()),
        st.builds(FixedPenalty, money),
        st.builds(RemainingPercentPenalty, st.integers(0, 100), money),
        st.builds(TotalPercentPenalty, st.integers(0, 100), money),
    )


@st.composite
def _contracts_with_amounts(draw: st.DrawFn) -> tuple[dict[str, object], set[str]]:
    """Contract fields whose amounts are in any currency, and the currencies used."""
    used: set[str] = set()

    def money() -> Money:
        currency = draw(_CURRENCIES)
        used.add(currency)
        return Money(draw(_AMOUNTS), currency)

    def penalty() -> Penalty:
        chosen = draw(_penalties(draw(_CURRENCIES)))
        if isinstance(chosen, FixedPenalty):
            used.add(chosen.amount.currency)
        elif not isinstance(chosen, NoPenalty):
            used.add(chosen.minimum.currency)
        return chosen

    def schedules() -> tuple[Schedule, ...]:
        kinds = draw(st.lists(st.sampled_from(["set", "delta", "percent", "bare"]), max_size=3))
        values: dict[str, SetTo | Delta | Percent] = {"percent": Percent(3), "bare": SetTo(1)}
        events = []
        for kind in kinds:
            value = values.get(kind) or (SetTo(money()) if kind == "set" else Delta(money()))
            events.append(_price_event(value))
        return tuple(events)

    fields: dict[str, object] = {
        "currency": draw(_CURRENCIES),
        "services": tuple(
            a_service(f"s-{i}", unit_price=money()) for i in range(draw(st.integers(0, 3)))
        ),
        "price_overrides": tuple(
            PriceOverride(f"p-{i}", money()) for i in range(draw(st.integers(0, 2)))
        ),
        "penalty": penalty(),
        "schedules": schedules(),
    }
    if draw(st.booleans()):
        fields["estimated_value"] = money()
    if draw(st.booleans()):
        fields["kind"] = "auto_renew"
        fields["renewal"] = RenewalOptions(term_months=12, penalty=penalty(), schedules=schedules())
    return fields, used


@given(_contracts_with_amounts())
def test_a_contract_builds_exactly_when_all_its_amounts_are_in_its_currency(
    drawn: tuple[dict[str, object], set[str]],
) -> None:
    fields, used = drawn
    currency = fields["currency"]
    if used <= {currency}:
        assert a_contract(**fields).currency == currency
    else:
        with pytest.raises(ContractCurrencyError, match=rf"bills in {currency}$") as info:
            a_contract(**fields)
        wrong = sorted(used - {currency})
        assert any(f" is in {c} " in str(info.value) for c in wrong)


# Cancellation date ----------------------------------------------------------


def test_a_cancellation_date_after_the_term_is_refused_naming_both_dates() -> None:
    with pytest.raises(
        InvalidArgumentError,
        match=r"cancellation_date 2027-01-01 is after end_date 2026-12-31",
    ):
        a_contract(status="canceled", cancellation_date=date(2027, 1, 1))


def test_a_cancellation_on_the_terms_last_day_or_of_an_open_contract_is_allowed() -> None:
    assert a_contract(status="canceled", cancellation_date=date(2026, 12, 31)).end_date
    open_ended = a_contract(term_months=None, status="canceled", cancellation_date=date(2040, 1, 1))
    assert open_ended.last_covered_day == date(2040, 1, 1)


def test_shortening_a_canceled_contracts_term_below_its_cancellation_date_is_refused() -> None:
    canceled = cancel(a_contract(), on=date(2026, 11, 30)).contract
    with pytest.raises(InvalidArgumentError, match="cancellation_date 2026-11-30 is after"):
        attrs.evolve(canceled, term_months=6)


# Status before cancellation ---------------------------------------------------


@pytest.mark.parametrize("status", [ContractStatus.PENDING, ContractStatus.ACTIVE])
def test_revoking_a_cancellation_gives_back_the_status_it_was_canceled_from(
    status: ContractStatus,
) -> None:
    canceled = cancel(a_contract(status=status), on=date(2026, 6, 30)).contract
    assert canceled.status_before_cancellation is status
    restored = revoke_cancellation(canceled)
    assert (restored.status, restored.status_before_cancellation) == (status, None)
    assert restored.cancellation_date is None


def test_a_contract_canceled_without_the_record_is_active_when_revoked() -> None:
    old = a_contract(status="canceled", cancellation_date=date(2026, 6, 30))
    assert old.status_before_cancellation is None
    assert revoke_cancellation(old).status is ContractStatus.ACTIVE


def test_the_status_before_cancellation_is_kept_only_while_canceled() -> None:
    with pytest.raises(
        InvalidArgumentError,
        match="status_before_cancellation must be None unless status is canceled, got "
        "status=active and status_before_cancellation=pending",
    ):
        a_contract(status_before_cancellation="pending")


@pytest.mark.parametrize("prior", ["canceled", "completed"])
def test_the_status_before_cancellation_is_one_a_contract_can_be_canceled_from(
    prior: str,
) -> None:
    with pytest.raises(InvalidArgumentError, match=f"must be pending or active.*got {prior}"):
        a_contract(
            status="canceled",
            cancellation_date=date(2026, 6, 30),
            status_before_cancellation=prior,
        )


def test_an_unknown_status_before_cancellation_is_refused_naming_the_field() -> None:
    with pytest.raises(InvalidArgumentError, match="status_before_cancellation must be one of"):
        a_contract(
            status="canceled",
            cancellation_date=date(2026, 6, 30),
            status_before_cancellation="signed",
        )


def test_the_status_before_cancellation_round_trips_through_a_document() -> None:
    canceled = cancel(a_contract(status="pending"), on=date(2026, 6, 30)).contract
    document = to_document(canceled)
    assert document["data"]["status_before_cancellation"] == "pending"
    assert loads(Contract, dumps(canceled)) == canceled


def test_a_document_written_before_the_field_reads_as_canceled_from_active() -> None:
    document = to_document(cancel(a_contract(), on=date(2026, 6, 30)).contract)
    del document["data"]["status_before_cancellation"]
    read = from_document(Contract, document)
    assert read.status_before_cancellation is None
    assert revoke_cancellation(read).status is ContractStatus.ACTIVE


def test_a_template_in_one_currency_with_an_amount_in_another_is_refused() -> None:
    service = Service(
        id="s-1", product_id="p", unit_price=Money("10", "EUR"), start_date=date(2026, 1, 1)
    )
    with pytest.raises(ContractCurrencyError, match=r"services\[0\]\.unit_price"):
        ContractTemplate(name="Office", services=(service,))
    assert ContractTemplate(name="Office", currency="EUR", services=(service,)).currency == "EUR"


def test_a_contract_prices_mid_period_changes_for_the_whole_period_unless_it_says_prorate() -> None:
    assert a_contract().mid_period_changes == "whole_period"
    assert a_contract(mid_period_changes="prorate").mid_period_changes == "prorate"


def test_an_unknown_mid_period_rule_is_refused_naming_the_field_and_the_value() -> None:
    with pytest.raises(
        InvalidArgumentError,
        match="mid_period_changes must be one of 'whole_period', 'prorate', got 'daily'",
    ):
        a_contract(mid_period_changes="daily")


def test_the_mid_period_rule_round_trips_and_an_older_document_reads_as_whole_period() -> None:
    prorated = a_contract(mid_period_changes="prorate")
    document = to_document(prorated)
    assert document["data"]["mid_period_changes"] == "prorate"
    assert loads(Contract, dumps(prorated)) == prorated
    del document["data"]["mid_period_changes"]
    assert from_document(Contract, document).mid_period_changes == "whole_period"
    document["data"]["mid_period_changes"] = "daily"
    with pytest.raises(SerializationError, match="mid_period_changes"):
        from_document(Contract, document)
