"""Billing terms on a contract: validated when built, in documents, carried by templates."""

from __future__ import annotations

from datetime import date
from typing import Any

import attrs
import pytest

from contractcore.contracts import (
    Contract,
    ContractChange,
    ContractTemplate,
    apply_change,
    contract_from_template,
    save_as_template,
)
from contractcore.errors import InvalidArgumentError, SerializationError
from contractcore.pricing import BillingDay, BillingTerms, Period
from contractcore.schedules import invoice_run
from contractcore.serialization import from_document, to_document
from tests.pricing.strategies import make_contract, make_service

QUARTERLY = BillingTerms(mode="advance", alignment="calendar", billing_period_months=3)


def test_billing_terms_default_to_anniversary_periods_billed_in_arrears() -> None:
    terms = BillingTerms()
    assert (terms.mode, terms.alignment) == ("arrears", "anniversary")
    assert (terms.billing_period_months, terms.billing_period_days) == (None, None)
    assert make_contract().billing == terms


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"mode": "monthly"}, "mode must be one of 'advance', 'arrears', got 'monthly'"),
        (
            {"alignment": "weekly"},
            "alignment must be 'anniversary', 'calendar' or a BillingDay, got 'weekly'",
        ),
        ({"alignment": 15}, "alignment must be 'anniversary', 'calendar' or a BillingDay, got 15"),
        ({"billing_period_months": 6}, "billing_period_months must be 1, 3 or 12 .* got 6"),
        ({"billing_period_months": True}, "billing_period_months must be 1, 3 or 12 .* got True"),
        ({"billing_period_days": 14}, "billing_period_days must be 7 .* got 14"),
        (
            {"billing_period_months": 1, "billing_period_days": 7},
            "give billing_period_months or billing_period_days, not both",
        ),
        (
            {"alignment": BillingDay(15), "billing_period_days": 7},
            r"alignment BillingDay\(day=15\) is a day of the month .* billing_period_days=7",
        ),
    ],
)
def test_invalid_billing_terms_are_refused_naming_the_field_and_the_value(
    fields: dict[str, Any], message: str
) -> None:
    with pytest.raises(InvalidArgumentError, match=message):
        BillingTerms(**fields)


@pytest.mark.parametrize("day", [0, 32, -1, True, "31"])
def test_a_billing_day_is_a_day_of_the_month(day: Any) -> None:
    with pytest.raises(InvalidArgumentError, match=f"day must be an int from 1 to 31, got {day!r}"):
        BillingDay(day)


def test_a_contract_refuses_a_service_whose_period_length_the_terms_contradict() -> None:
    monthly = make_service(id="s-1")
    with pytest.raises(
        InvalidArgumentError,
        match=r"services\[0\].billing_period_months must be 3 \(billing.billing_period_months\)",
    ):
        make_contract(services=[monthly], billing=QUARTERLY)
    half_yearly = make_service(id="s-1", billing_period_months=6)
    with pytest.raises(
        InvalidArgumentError,
        match=r"services\[0\].billing_period_months must be 1, 3 or 12 with calendar alignment",
    ):
        make_contract(services=[half_yearly], billing=BillingTerms(alignment="calendar"))
    # Anniversary periods take any length, as before billing terms existed.
    assert make_contract(services=[half_yearly]).services == (half_yearly,)


def test_a_service_may_not_be_billed_through_a_day_long_before_its_start() -> None:
    assert make_service(billed_through=date(2025, 12, 31)).billed_through == date(2025, 12, 31)
    with pytest.raises(
        InvalidArgumentError,
        match="billed_through must be on or after the day before start_date 2026-01-01, "
        "got 2025-12-30",
    ):
        make_service(billed_through=date(2025, 12, 30))


def test_contract_documents_carry_billing_terms_and_older_ones_read_as_anniversary_arrears() -> (
    None
):
    service = make_service(billing_period_months=3, billed_through=date(2026, 3, 31))
    contract = make_contract(services=[service], billing=QUARTERLY)
    document = to_document(contract)
    assert document["data"]["billing"] == {
        "mode": "advance",
        "alignment": "calendar",
        "billing_period_months": 3,
        "billing_period_days": None,
    }
    assert document["data"]["services"][0]["billed_through"] == "2026-03-31"
    assert from_document(Contract, document) == contract

    del document["data"]["billing"]
    del document["data"]["services"][0]["billed_through"]
    older = from_document(Contract, document)
    assert older.billing == BillingTerms(mode="arrears", alignment="anniversary")
    assert older.services[0].billed_through is None


def test_a_billing_day_is_written_as_a_tagged_object() -> None:
    contract = make_contract(billing=BillingTerms(alignment=BillingDay(31)))
    document = to_document(contract)
    assert document["data"]["billing"]["alignment"] == {"type": "billing_day", "day": 31}
    assert from_document(Contract, document) == contract
    document["data"]["billing"]["alignment"] = "monthlylastday"
    with pytest.raises(SerializationError, match=r"billing\.alignment"):
        from_document(Contract, document)
    document["data"]["billing"]["alignment"] = {"type": "billing_day", "day": 40}
    with pytest.raises(SerializationError, match=r"billing\.alignment\.day"):
        from_document(Contract, document)


def test_templates_clones_and_contract_changes_carry_the_billing_terms() -> None:
    service = make_service(billing_period_months=3, billed_through=date(2026, 3, 31))
    contract = make_contract(services=[service], billing=QUARTERLY)
    template = save_as_template(contract, "Quarterly in advance")
    assert template.billing == QUARTERLY
    assert template.services[0].billed_through is None
    clone = contract_from_template(
        template, id="c-2", number="CT-2", customer_id="9", start_date=date(2027, 1, 1)
    )
    assert clone.billing == QUARTERLY
    assert clone.services[0].billed_through is None

    change = ContractChange.from_contract(contract)
    assert change.billing == QUARTERLY
    monthly = BillingTerms(alignment=BillingDay(15))
    changed = apply_change(contract, attrs.evolve(change, billing=monthly))
    assert changed.billing == monthly
    assert changed.services[0].billed_through == date(2026, 3, 31)

    with pytest.raises(InvalidArgumentError, match="billing must be BillingTerms"):
        ContractTemplate(name="t", billing="calendar")  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError, match=r"services\[0\].billing_period_months"):
        ContractTemplate(name="t", services=(make_service(),), billing=QUARTERLY)


def test_an_invoice_run_keeps_the_day_a_service_is_billed_through() -> None:
    service = make_service(billed_through=date(2026, 2, 28))
    run = invoice_run(
        make_contract(services=[service]), Period(date(2026, 3, 1), date(2026, 3, 31))
    )
    # invoice_run does not move it: the caller invoicing a due period does.
    assert run.services[0].billed_through == date(2026, 2, 28)
    assert run.services[0].applied_up_to == date(2026, 3, 31)
