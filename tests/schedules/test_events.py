from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest

from contractcore.contracts import RenewalOptions
from contractcore.errors import InvalidArgumentError
from contractcore.money import Money
from contractcore.schedules import (
    CONTRACT_START,
    PRICE,
    QUANTITY,
    After,
    AtRenewal,
    Delta,
    On,
    Percent,
    Schedule,
    ScheduleTemplate,
    SetTo,
    UpdateEvent,
    event_date,
    import_schedule_template,
    save_schedule_template,
)
from tests.pricing.strategies import make_contract, make_service


def test_after_needs_exactly_one_of_days_and_months() -> None:
    with pytest.raises(InvalidArgumentError, match="exactly one"):
        After()
    with pytest.raises(InvalidArgumentError, match="exactly one"):
        After(days=1, months=1)


def test_after_refuses_negative_counts_and_unknown_anchors() -> None:
    with pytest.raises(InvalidArgumentError, match="days"):
        After(days=-1)
    with pytest.raises(ValueError, match="from_"):
        After(days=1, from_="invoice_date")  # type: ignore[arg-type]


def test_a_quantity_event_refuses_a_money_value() -> None:
    with pytest.raises(InvalidArgumentError, match="quantity change needs a number"):
        UpdateEvent(On(date(2026, 1, 1)), QUANTITY, SetTo(Money(3, "USD")))


def test_a_percentage_cannot_take_more_than_the_whole_value() -> None:
    assert Percent(-100).percent == -100
    with pytest.raises(InvalidArgumentError, match="percent must be >= -100"):
        Percent("-100.01")


def test_values_refuse_floats() -> None:
    with pytest.raises(InvalidArgumentError, match="percent"):
        Percent(1.5)  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError, match="value"):
        SetTo(2.5)  # type: ignore[arg-type]


def test_relative_months_are_counted_from_the_anchor_every_time() -> None:
    service = make_service(start_date=date(2026, 1, 31))
    contract = make_contract(services=[service])
    days = [event_date(After(months=n), service, contract) for n in (1, 2, 3, 12, 13)]
    assert days == [
        date(2026, 2, 28),
        date(2026, 3, 31),
        date(2026, 4, 30),
        date(2027, 1, 31),
        date(2027, 2, 28),
    ]


def test_relative_dates_follow_a_late_service_start() -> None:
    when = After(months=6)
    contract = make_contract()
    on_time = make_service(start_date=date(2026, 1, 15))
    late = make_service(start_date=date(2026, 2, 20))
    assert event_date(when, on_time, contract) == date(2026, 7, 15)
    assert event_date(when, late, contract) == date(2026, 8, 20)


def test_relative_dates_can_count_from_the_contract_start() -> None:
    service = make_service(start_date=date(2026, 3, 10))
    contract = make_contract(start_date=date(2026, 1, 1))
    assert event_date(After(days=45, from_=CONTRACT_START), service, contract) == date(2026, 2, 15)
    assert event_date(After(days=0), service, contract) == date(2026, 3, 10)


def test_at_renewal_falls_on_the_day_after_an_auto_renewing_terms_end() -> None:
    service = make_service()
    renewing = make_contract(kind="auto_renew", renewal=RenewalOptions(term_months=12))
    fixed = make_contract()
    assert event_date(AtRenewal(), service, renewing) == date(2027, 1, 1)
    assert event_date(AtRenewal(), service, fixed) is None


@pytest.mark.parametrize(
    ("status", "cancellation_date"),
    [("canceled", date(2026, 6, 30)), ("canceled", date(2026, 12, 31)), ("completed", None)],
)
def test_at_renewal_never_happens_for_a_contract_that_will_not_renew(
    status: str, cancellation_date: date | None
) -> None:
    service = make_service()
    ended = make_contract(
        kind="auto_renew",
        renewal=RenewalOptions(term_months=12),
        status=status,
        cancellation_date=cancellation_date,
    )
    assert event_date(AtRenewal(), service, ended) is None


def test_a_schedule_targets_all_services_unless_it_lists_some() -> None:
    event = UpdateEvent(On(date(2026, 1, 1)), PRICE, Percent(5))
    assert Schedule(events=[event]).applies_to("anything")
    listed = Schedule(events=[event], targets=["s-1"])
    assert listed.targets == frozenset({"s-1"})
    assert listed.applies_to("s-1")
    assert not listed.applies_to("s-2")


def test_schedules_refuse_things_that_are_not_events() -> None:
    with pytest.raises(InvalidArgumentError, match="UpdateEvent"):
        Schedule(events=["+10%"])  # type: ignore[list-item]
    with pytest.raises(InvalidArgumentError, match=r"events .*None"):
        Schedule(events=None)  # type: ignore[arg-type]


def test_a_single_service_id_as_targets_is_refused_not_split_into_letters() -> None:
    event = UpdateEvent(On(date(2026, 1, 1)), PRICE, Percent(5))
    with pytest.raises(InvalidArgumentError, match=r"targets .*'s-1'"):
        Schedule(events=[event], targets="s-1")
    with pytest.raises(InvalidArgumentError, match=r"targets .*7"):
        Schedule(events=[event], targets=[7])  # type: ignore[list-item]


def test_schedules_and_events_are_hashable_values() -> None:
    def build() -> Schedule:
        return Schedule(
            events=[UpdateEvent(After(months=6), PRICE, Percent(Decimal("10")))], name="uplift"
        )

    assert build() == build()
    assert hash(build()) == hash(build())
    assert len({build(), build()}) == 1


def test_a_template_carries_a_contracts_schedules_to_another_contract() -> None:
    uplift = Schedule(events=[UpdateEvent(After(months=12), PRICE, Percent(3))], name="uplift")
    seats = Schedule(events=[UpdateEvent(After(months=1), QUANTITY, Delta(2))], name="seats")
    source = make_contract(schedules=[uplift])
    template = save_schedule_template(source, "Yearly uplift")
    assert template == ScheduleTemplate(name="Yearly uplift", schedules=[uplift])
    target = make_contract(id="c-2", schedules=[seats])
    imported = import_schedule_template(target, template)
    assert imported.schedules == (seats, uplift)
    assert target.schedules == (seats,)


def test_a_schedule_template_leaves_the_pinned_schedules_out() -> None:
    uplift = Schedule(events=[UpdateEvent(After(months=12), PRICE, Percent(3))], name="uplift")
    december = [UpdateEvent(On(date(2026, 12, 1)), PRICE, Percent(10))]
    source = make_contract(
        schedules=[
            Schedule(events=december, targets={"s-1"}, origin="renewal"),
            Schedule(events=december, targets={"s-1"}, origin="amendment"),
            uplift,
        ]
    )
    assert save_schedule_template(source, "Yearly uplift").schedules == (uplift,)


@pytest.mark.parametrize("bad", ["x", None, date(2026, 3, 1)])
def test_event_date_refuses_what_is_not_an_event_when_naming_it(bad: object) -> None:
    # It used to answer None ("never") for anything that was not On or After.
    service = make_service()
    contract = make_contract(services=[service])
    with pytest.raises(
        InvalidArgumentError,
        match=r"when must be On, After or AtRenewal, got " + re.escape(repr(bad)),
    ):
        event_date(bad, service, contract)  # type: ignore[arg-type]
