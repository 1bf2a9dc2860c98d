"""Contract price overrides, the product blocklist and line-item snapshots."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Literal, Protocol

import attrs

from contractcore.errors import CurrencyMismatchError, InvalidArgumentError, ProductBlocked
from contractcore.money import Money, to_decimal
from contractcore.pricing._checks import instance_of

__all__ = ["LineItem", "PriceOverride", "PriceSource", "PricingTerms", "add_line"]

PriceSource = Literal["contract", "manual", "list"]
"""Where a line's unit price came from: a contract override, a manual price, or the list price."""


@attrs.frozen
class PriceOverride:
    """A contract rate: ``price`` replaces the list price of ``product_id`` on new lines.

    Attributes:
        product_id: The product whose price is overridden.
        price: The contract's unit price for it.

    >>> PriceOverride("labor-hour", Money("95.00", "USD")).price
    Money('95.00', 'USD')
    """

    product_id: str = attrs.field(validator=instance_of(str))
    price: Money = attrs.field(validator=instance_of(Money))


def _quantity(value: Decimal | int | str) -> Decimal:
    return to_decimal(value, "quantity")


@attrs.frozen(kw_only=True)
class LineItem:
    """A line on an invoice or a sale, frozen at the moment it was added.

    The unit price and total are copies: changing the contract's overrides
    later never changes a line that already exists.

    Attributes:
        product_id: The product sold.
        quantity: Units sold.
        unit_price: The unit price in effect when the line was added (exact).
        price_source: ``"contract"``, ``"manual"`` or ``"list"``.
        total: ``unit_price * quantity`` rounded half-up once, to the currency's minor unit.
        description: Free text.
    """

    product_id: str
    quantity: Decimal = attrs.field(converter=_quantity)
    unit_price: Money
    price_source: PriceSource
    total: Money
    description: str = ""


class PricingTerms(Protocol):
    """A contract's pricing terms, as :func:`add_line` reads them.

    :class:`contractcore.contracts.Contract` provides them: packages below
    ``contracts`` declare what they need of a contract instead of importing
    it (the layers of DESIGN 1).
    """

    @property
    def id(self) -> str:
        """The contract's id (for messages)."""
        ...

    @property
    def currency(self) -> str:
        """The currency the contract bills in."""
        ...

    @property
    def price_overrides(self) -> tuple[PriceOverride, ...]:
        """The contract's prices per product."""
        ...

    @property
    def blocklist(self) -> frozenset[str]:
        """Products that cannot be sold under the contract."""
        ...


def _contract_rate(contract: PricingTerms, product_id: str) -> Money | None:
    # The last override for a product wins, as if it replaced the earlier ones.
    rate = None
    for override in contract.price_overrides:
        if override.product_id == product_id:
            rate = override.price
    return rate


def add_line(
    lines: Sequence[LineItem],
    contract: PricingTerms | None,
    *,
    product_id: str,
    list_price: Money,
    quantity: Decimal | int | str = 1,
    manual_price: Money | None = None,
    description: str = "",
) -> tuple[LineItem, ...]:
    """Return ``lines`` with one more line for ``product_id``, priced as the contract says.

    The unit price is the contract's override for the product if it has one
    (a contract rate wins over a manual price), else ``manual_price`` if
    given, else ``list_price``. The existing lines are returned unchanged.

    Args:
        lines: The lines already on the invoice or sale.
        contract: The contract the sale is made under, or ``None``.
        product_id: The product sold.
        list_price: The product's catalogue price.
        quantity: Units sold (``>= 0``).
        manual_price: A price typed by the user; ignored when a contract rate exists.
        description: Free text for the line.

    Raises:
        ProductBlocked: The product is on the contract's blocklist.
        CurrencyMismatchError: The chosen price is not in the contract's currency.

    >>> from datetime import date
    >>> lines = add_line((), None, product_id="cable", list_price=Money("4.99", "USD"),
    ...                  quantity=3)
    >>> lines[0].total, lines[0].price_source
    (Money('14.97', 'USD'), 'list')
    """
    if not isinstance(list_price, Money):
        raise InvalidArgumentError(f"list_price must be Money, got {list_price!r}")
    if manual_price is not None and not isinstance(manual_price, Money):
        raise InvalidArgumentError(f"manual_price must be Money or None, got {manual_price!r}")
    qty = to_decimal(quantity, "quantity")
    if qty < 0:
        raise InvalidArgumentError(f"quantity must be >= 0, got {qty}")
    price: Money
    source: PriceSource
    rate = None
    if contract is not None:
        if product_id in contract.blocklist:
            raise ProductBlocked(
                f"product_id {product_id!r} is on the blocklist of contract {contract.id!r}"
            )
        rate = _contract_rate(contract, product_id)
    if rate is not None:
        price, source = rate, "contract"
    elif manual_price is not None:
        price, source = manual_price, "manual"
    else:
        price, source = list_price, "list"
    if contract is not None and price.currency != contract.currency:
        raise CurrencyMismatchError(
            f"{source} price for product_id {product_id!r} is in {price.currency}, "
            f"contract {contract.id!r} bills in {contract.currency}"
        )
    line = LineItem(
        product_id=product_id,
        quantity=qty,
        unit_price=price,
        price_source=source,
        total=(price * qty).rounded(),
        description=description,
    )
    return (*lines, line)
