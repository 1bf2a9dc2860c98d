from __future__ import annotations

import math
import pickle
from decimal import Decimal
from fractions import Fraction

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from contractcore.errors import CurrencyMismatchError, InvalidArgumentError
from contractcore.money import Money, minor_unit, to_decimal
from tests.pricing.strategies import amounts

signed_amounts = st.integers(-(10**9), 10**9).map(lambda n: Decimal(n).scaleb(-3))


def reference_half_up(amount: Decimal, places: int) -> Decimal:
    """Half-up rounding done with exact fractions, away from zero on a tie."""
    scaled = abs(Fraction(amount)) * 10**places
    units = math.floor(scaled + Fraction(1, 2))
    result = Decimal(units).scaleb(-places)
    return -result if amount < 0 else result


def test_amounts_are_decimals_converted_from_int_and_str() -> None:
    assert Money(5, "USD").amount == Decimal(5)
    assert Money("0.10", "USD").amount == Decimal("0.10")
    assert isinstance(Money("1", "USD").amount, Decimal)


@pytest.mark.parametrize("bad", [0.1, 1.0, True, None, [1]])
def test_floats_and_other_types_are_refused_with_the_field_named(bad: object) -> None:
    with pytest.raises(InvalidArgumentError, match="amount"):
        Money(bad, "USD")  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", ["NaN", "Infinity", "ten"])
def test_non_finite_or_non_numeric_amounts_are_refused(bad: str) -> None:
    with pytest.raises(InvalidArgumentError, match="amount"):
        Money(bad, "USD")


@pytest.mark.parametrize("bad", ["usd", "US", "USDX", "", 840])
def test_currency_must_be_three_capital_letters(bad: object) -> None:
    with pytest.raises(InvalidArgumentError, match="currency"):
        Money(1, bad)  # type: ignore[arg-type]


def test_money_is_frozen() -> None:
    money = Money(1, "USD")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        money.amount = Decimal(2)  # type: ignore[misc]


def test_mixed_currencies_are_refused_in_arithmetic_and_ordering() -> None:
    usd, eur = Money(1, "USD"), Money(1, "EUR")
    with pytest.raises(CurrencyMismatchError, match="USD and EUR"):
        _ = usd + eur
    with pytest.raises(CurrencyMismatchError):
        _ = usd - eur
    with pytest.raises(CurrencyMismatchError):
        _ = usd < eur
    with pytest.raises(CurrencyMismatchError):
        _ = usd >= eur
    with pytest.raises(CurrencyMismatchError):
        Money.total([usd, eur], "USD")


def test_amounts_in_different_currencies_are_never_equal() -> None:
    assert Money(1, "USD") != Money(1, "EUR")
    assert Money("1.50", "USD") == Money("1.5", "USD")
    assert hash(Money("1.50", "USD")) == hash(Money("1.5", "USD"))


def test_multiplying_by_a_float_is_refused() -> None:
    with pytest.raises(TypeError):
        _ = Money(1, "USD") * 1.5  # type: ignore[operator]
    with pytest.raises(TypeError):
        _ = Money(1, "USD") + 1  # type: ignore[operator]


def test_sum_works_from_the_int_zero_and_zero_is_falsy() -> None:
    amounts = [Money("0.10", "USD"), Money("0.20", "USD")]
    assert sum(amounts) == Money("0.30", "USD")
    assert sum([], Money.zero("USD")) == Money(0, "USD")
    assert not Money("0.00", "USD")
    assert Money("0.01", "USD")
    with pytest.raises(TypeError):
        _ = 1 + Money(1, "USD")


def test_dividing_by_zero_is_refused() -> None:
    with pytest.raises(InvalidArgumentError, match="zero"):
        _ = Money(1, "USD") / 0


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        ("2.345", "USD", "2.35"),
        ("2.344", "USD", "2.34"),
        ("-2.345", "USD", "-2.35"),
        ("0.5", "JPY", "1"),
        ("149.5", "JPY", "150"),
        ("1.2345", "KWD", "1.235"),
        ("1.2344", "KWD", "1.234"),
        ("7", "USD", "7.00"),
    ],
)
def test_rounding_is_half_up_to_the_minor_unit(amount: str, currency: str, expected: str) -> None:
    rounded = Money(amount, currency).rounded()
    assert rounded.amount == Decimal(expected)
    assert str(rounded.amount) == expected


def test_minor_units_follow_iso_4217() -> None:
    assert (minor_unit("JPY"), minor_unit("USD"), minor_unit("KWD"), minor_unit("EUR")) == (
        0,
        2,
        3,
        2,
    )


def test_display_rounds_and_groups_thousands() -> None:
    assert str(Money("1234567.891", "USD")) == "USD 1,234,567.89"
    assert str(Money("-0.005", "USD")) == "USD -0.01"
    assert str(Money("1000", "JPY")) == "JPY 1,000"
    assert f"{Money('5', 'KWD'):>12}" == "   KWD 5.000"
    assert Money("12.5", "USD").format(code=False) == "12.50"
    assert repr(Money("12.5", "USD")) == "Money('12.5', 'USD')"


def test_money_survives_pickling() -> None:
    money = Money("12.345", "KWD")
    assert pickle.loads(pickle.dumps(money)) == money


def test_to_decimal_names_the_field() -> None:
    with pytest.raises(InvalidArgumentError, match="quantity"):
        to_decimal(0.5, "quantity")  # type: ignore[arg-type]


@given(st.lists(amounts(places=3), max_size=30))
def test_money_sums_are_exact(values: list[Decimal]) -> None:
    total = Money.total((Money(v, "USD") for v in values), "USD")
    assert Fraction(total.amount) == sum((Fraction(v) for v in values), Fraction(0))


@given(signed_amounts, st.sampled_from(["JPY", "USD", "KWD"]))
def test_rounding_matches_an_exact_half_up_reference(amount: Decimal, currency: str) -> None:
    rounded = Money(amount, currency).rounded()
    assert rounded.amount == reference_half_up(amount, minor_unit(currency))
    assert rounded.amount.as_tuple().exponent == -minor_unit(currency)


@given(signed_amounts, signed_amounts)
def test_ordering_agrees_with_the_amounts(a: Decimal, b: Decimal) -> None:
    x, y = Money(a, "USD"), Money(b, "USD")
    assert (x < y, x <= y, x > y, x >= y, x == y) == (a < b, a <= b, a > b, a >= b, a == b)
    assert x - y + y == x
    assert -x + x == Money.zero("USD")
    assert +x == x
    assert abs(x).amount == abs(a)
