from __future__ import annotations

import math
import pickle
import re
from decimal import Decimal, localcontext
from fractions import Fraction

import attrs
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from contractcore.errors import CurrencyMismatchError, InvalidArgumentError
from contractcore.money import Money, minor_unit, to_decimal
from tests.pricing.strategies import amounts

signed_amounts = st.integers(-(10**9), 10**9).map(lambda n: Decimal(n).scaleb(-3))


def reference_half_up(amount: Decimal, places: int) -> Decimal:
    """Half-up rounding done with exact fractions, away from zero on a tie."""
    scaled = abs(Fraction(amount)) * 10**places
    units = math.floor(scaled + Fraction(1, 2))
    result = Decimal(f"{units}E-{places}")  # exact: scaleb would round to the context's 28 digits
    return result.copy_negate() if amount < 0 else result  # exact: unary minus rounds


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


@pytest.mark.parametrize("bad", ["1e30", "-1e30", 10**40, "1e-101", Decimal("1E+999999")])
def test_an_amount_of_10_to_the_30_or_beyond_100_places_is_refused_naming_it(
    bad: object,
) -> None:
    # 1e30 used to be accepted and then made rounded() and str() raise a bare
    # decimal.InvalidOperation; documents refuse it too.
    with pytest.raises(
        InvalidArgumentError, match=r"amount must be below 10\*\*30.*" + re.escape(repr(bad))
    ):
        Money(bad, "USD")  # type: ignore[arg-type]


def test_a_30_digit_amount_rounds_displays_and_adds_exactly() -> None:
    big = Money("123456789012345678901234567890.129", "USD")
    assert big.rounded() == Money("123456789012345678901234567890.13", "USD")
    assert str(big) == "USD 123,456,789,012,345,678,901,234,567,890.13"
    assert big.format(exact=True) == "USD 123,456,789,012,345,678,901,234,567,890.129"
    assert (big + Money("0.001", "USD")).amount == Decimal("123456789012345678901234567890.130")
    assert (big - Money("1e-30", "USD")).amount == Decimal(
        "123456789012345678901234567890.128999999999999999999999999999"
    )
    assert (big * 3).amount == Decimal("370370367037037036703703703670.387")
    assert (big / 3).amount == Decimal("41152263004115226300411522630.043")
    assert (-big).amount == Decimal("-123456789012345678901234567890.129")
    assert str(Money("9.99e29", "JPY")) == "JPY 999,000,000,000,000,000,000,000,000,000"
    assert str(Money("999999999999999999999999999999.995", "USD")) == (
        "USD 1,000,000,000,000,000,000,000,000,000,000.00"
    )


def test_a_quotient_of_a_large_amount_keeps_its_cents() -> None:
    # 28 significant digits (the default context) would have dropped them.
    assert (Money("100000000000000000000000000000", "USD") / 3).rounded() == Money(
        "33333333333333333333333333333.33", "USD"
    )
    assert (Money(10, "USD") / 3).amount == Decimal("3.333333333333333333333333333")


def test_tiny_amounts_round_to_zero_and_add_exactly() -> None:
    tiny = Money("1e-30", "USD")
    assert tiny.rounded() == Money.zero("USD")
    assert str(tiny) == "USD 0.00"
    assert tiny.format(exact=True) == "USD 0.000000000000000000000000000001"
    assert (tiny + Money(1, "USD")).amount == Decimal("1.000000000000000000000000000001")
    assert Money("1e-100", "USD").format(code=False) == "0.00"


def test_money_arithmetic_does_not_depend_on_the_callers_decimal_context() -> None:
    with localcontext() as context:
        context.prec = 5
        assert (Money("123456.789", "USD") + Money("0.001", "USD")).amount == Decimal("123456.790")
        assert (Money("123456.789", "USD") * 2).rounded() == Money("246913.58", "USD")
        assert str(Money("123456.789", "USD")) == "USD 123,456.79"


def test_a_result_too_large_to_round_is_refused_naming_the_amount() -> None:
    huge = Money("9e29", "USD") * Decimal("1e200")
    with pytest.raises(InvalidArgumentError, match=r"amount 9E\+229 USD is too large to round"):
        huge.rounded()


@pytest.mark.parametrize("bad", [Decimal("Infinity"), Decimal("-Infinity"), Decimal("NaN")])
def test_a_non_finite_factor_or_divisor_is_refused_naming_it(bad: Decimal) -> None:
    with pytest.raises(InvalidArgumentError, match="factor must be finite"):
        _ = Money(1, "USD") * bad
    with pytest.raises(InvalidArgumentError, match="divisor must be finite"):
        _ = Money(1, "USD") / bad


@pytest.mark.parametrize(
    ("amount", "currency", "shown"),
    [
        ("-0", "USD", "USD 0.00"),
        ("-0.00", "USD", "USD 0.00"),
        ("-0.001", "USD", "USD 0.00"),
        ("-0.004999", "USD", "USD 0.00"),
        ("-0.4", "JPY", "JPY 0"),
        ("-0.0004", "KWD", "KWD 0.000"),
        ("-1e-30", "USD", "USD 0.00"),
    ],
)
def test_an_amount_rounding_to_zero_shows_no_minus_sign(
    amount: str, currency: str, shown: str
) -> None:
    money = Money(amount, currency)
    assert str(money) == shown
    assert f"{money}" == shown
    assert money.format(code=False) == shown.split()[1]
    assert not money.rounded().amount.is_signed()


def test_an_amount_rounding_away_from_zero_keeps_its_minus_sign() -> None:
    assert str(Money("-0.005", "USD")) == "USD -0.01"
    assert Money("-0.001", "USD").format(exact=True) == "USD -0.001"


wide_amounts = st.builds(
    lambda units, places: Decimal(units).scaleb(-places),
    st.integers(-(10**30) + 1, 10**30 - 1),
    st.integers(0, 30),
).filter(lambda d: d.adjusted() < 30)


@given(wide_amounts, wide_amounts, st.sampled_from(["JPY", "USD", "KWD"]))
@example(Decimal("1E+29"), Decimal("1E-30"), "USD")
@example(Decimal("-0.0001"), Decimal("0"), "USD")
@example(Decimal("-100000000000000000000000000"), Decimal("0"), "USD")
def test_amounts_up_to_30_digits_add_and_round_exactly(
    a: Decimal, b: Decimal, currency: str
) -> None:
    total = Money(a, currency) + Money(b, currency)
    assert Fraction(total.amount) == Fraction(a) + Fraction(b)
    assert Fraction((Money(a, currency) - Money(b, currency)).amount) == Fraction(a) - Fraction(b)
    expected = reference_half_up(a, minor_unit(currency))
    assert Money(a, currency).rounded().amount == expected
    shown = f"{expected:,f}"
    assert Money(a, currency).format(code=False) == (shown if expected else shown.lstrip("-"))


def test_a_quotient_by_a_small_divisor_keeps_its_cents() -> None:
    # The quotient, not the amount divided, decides how many digits it keeps.
    quotient = Money("10000000000000", "USD") / Decimal("3e-14")
    assert quotient.rounded() == Money("333333333333333333333333333.33", "USD")
