from __future__ import annotations

from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from contractcore.errors import CurrencyMismatchError, InvalidArgumentError, ProductBlocked
from contractcore.money import Money
from contractcore.pricing import LineItem, PriceOverride, add_line
from tests.pricing.strategies import amounts, make_contract


def usd(amount: Decimal | str | int) -> Money:
    return Money(amount, "USD")


LABOR = "labor-hour"


def test_a_contract_override_replaces_the_list_price() -> None:
    contract = make_contract(price_overrides=[PriceOverride(LABOR, usd("95.00"))])
    (line,) = add_line((), contract, product_id=LABOR, list_price=usd("120.00"), quantity=2)
    assert line.unit_price == usd("95.00")
    assert line.price_source == "contract"
    assert line.total == usd("190.00")


def test_a_contract_rate_wins_over_a_manual_price() -> None:
    contract = make_contract(price_overrides=[PriceOverride(LABOR, usd("95.00"))])
    (line,) = add_line(
        (), contract, product_id=LABOR, list_price=usd("120.00"), manual_price=usd("80.00")
    )
    assert (line.unit_price, line.price_source) == (usd("95.00"), "contract")


def test_a_manual_price_wins_over_the_list_price_without_a_contract_rate() -> None:
    contract = make_contract(price_overrides=[PriceOverride("other", usd("1.00"))])
    (line,) = add_line(
        (), contract, product_id=LABOR, list_price=usd("120.00"), manual_price=usd("80.00")
    )
    assert (line.unit_price, line.price_source) == (usd("80.00"), "manual")


def test_without_a_contract_the_list_price_applies() -> None:
    (line,) = add_line((), None, product_id=LABOR, list_price=usd("120.00"))
    assert (line.unit_price, line.price_source, line.quantity) == (
        usd("120.00"),
        "list",
        Decimal(1),
    )


def test_a_blocklisted_product_cannot_be_added() -> None:
    contract = make_contract(blocklist={"legacy-antivirus"})
    with pytest.raises(ProductBlocked, match="legacy-antivirus"):
        add_line((), contract, product_id="legacy-antivirus", list_price=usd(10))


def test_lines_already_added_keep_their_price_when_the_contract_changes() -> None:
    contract = make_contract(price_overrides=[PriceOverride(LABOR, usd("95.00"))])
    lines = add_line((), contract, product_id=LABOR, list_price=usd("120.00"))
    changed = attrs.evolve(contract, price_overrides=(PriceOverride(LABOR, usd("99.00")),))
    more = add_line(lines, changed, product_id=LABOR, list_price=usd("120.00"))
    assert more[0] is lines[0]
    assert [line.unit_price for line in more] == [usd("95.00"), usd("99.00")]
    blocked = attrs.evolve(changed, blocklist=frozenset({LABOR}))
    assert more[0].unit_price == usd("95.00")
    with pytest.raises(ProductBlocked):
        add_line(more, blocked, product_id=LABOR, list_price=usd("120.00"))


def test_the_last_override_for_a_product_wins() -> None:
    contract = make_contract(
        price_overrides=[PriceOverride(LABOR, usd("95.00")), PriceOverride(LABOR, usd("90.00"))]
    )
    (line,) = add_line((), contract, product_id=LABOR, list_price=usd("120.00"))
    assert line.unit_price == usd("90.00")


def test_a_price_in_another_currency_than_the_contract_is_refused() -> None:
    contract = make_contract(currency="EUR")
    with pytest.raises(CurrencyMismatchError, match="EUR"):
        add_line((), contract, product_id=LABOR, list_price=usd("120.00"))


def test_the_line_total_is_rounded_once_half_up() -> None:
    (line,) = add_line((), None, product_id="cable", list_price=usd("0.125"), quantity=3)
    assert line.unit_price == usd("0.125")
    assert line.total == usd("0.38")
    (yen,) = add_line((), None, product_id="cable", list_price=Money("33.5", "JPY"), quantity=1)
    assert str(yen.total.amount) == "34"


def test_negative_quantities_and_float_quantities_are_refused() -> None:
    with pytest.raises(InvalidArgumentError, match="quantity"):
        add_line((), None, product_id="x", list_price=usd(1), quantity=-1)
    with pytest.raises(InvalidArgumentError, match="quantity"):
        add_line((), None, product_id="x", list_price=usd(1), quantity=1.5)  # type: ignore[arg-type]


@given(st.lists(st.tuples(amounts(500, places=3), st.integers(0, 40)), max_size=20))
def test_line_totals_are_each_rounded_once_from_the_exact_product(
    items: list[tuple[Decimal, int]],
) -> None:
    lines: tuple[LineItem, ...] = ()
    for price, quantity in items:
        lines = add_line(lines, None, product_id="p", list_price=usd(price), quantity=quantity)
    for line, (price, quantity) in zip(lines, items, strict=True):
        assert line.total == Money(price * quantity, "USD").rounded()


def test_a_price_that_is_not_money_is_refused_naming_the_argument() -> None:
    with pytest.raises(InvalidArgumentError, match=r"list_price must be Money, got Decimal"):
        add_line((), None, product_id="p", list_price=Decimal("4.99"))  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError, match=r"manual_price must be Money"):
        add_line(
            (),
            None,
            product_id="p",
            list_price=Money("4.99", "USD"),
            manual_price="3.99",  # type: ignore[arg-type]
        )
