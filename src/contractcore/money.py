"""Money: an exact ``Decimal`` amount with an ISO 4217 currency code.

Amounts stay exact through arithmetic; they are rounded half-up to the
currency's minor unit only when asked (:meth:`Money.rounded`), which the
library does once per invoice line or penalty, never on intermediate values.
An amount is below ``10**30`` in absolute value, with at most 100 decimal places.
Money arithmetic does not use the caller's ``decimal`` context: sums,
differences and products keep 132 significant digits (exact for any two
amounts in those bounds) and a quotient keeps at least 14 decimal places
(28 significant digits below ``10**14``, as Python's default context, else 48).

>>> from decimal import Decimal
>>> price = Money("19.99", "USD")
>>> price * 3
Money('59.97', 'USD')
>>> (Money("10", "USD") / 3).rounded()
Money('3.33', 'USD')
>>> str(Money("1234.5", "USD")), str(Money("1234.5", "JPY")), str(Money("1.2345", "KWD"))
('USD 1,234.50', 'JPY 1,235', 'KWD 1.235')
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import (
    MAX_EMAX,
    MIN_EMIN,
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
)

import attrs

from contractcore.errors import CurrencyMismatchError, InvalidArgumentError

__all__ = ["Money", "minor_unit", "to_decimal"]

_CODE = re.compile(r"[A-Z]{3}")

# ISO 4217 currencies whose minor unit is not 2 decimal places. Every other
# well-formed code (including ones this table does not know) uses 2.
_MINOR_UNITS: dict[str, int] = {
    **dict.fromkeys(
        (
            "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG",
            "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF",
        ),
        0,
    ),
    **dict.fromkeys(("BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"), 3),
    **dict.fromkeys(("CLF", "UYW"), 4),
}  # fmt: skip
_CENTS = Decimal("0.01")

# Bounds of an amount given to Money: the magnitude is that of the documents
# (serialization refuses 10**30 and more too); the places only bound the work
# and the text of an exact display. Arithmetic results are not checked.
_MAX_ADJUSTED = 29  # below 10**30
_MAX_PLACES = 100


def _context(precision: int) -> Context:
    return Context(
        prec=precision,
        rounding=ROUND_HALF_EVEN,
        Emin=MIN_EMIN,
        Emax=MAX_EMAX,
        traps=[InvalidOperation, DivisionByZero, Overflow],
    )


# Money arithmetic runs in these contexts, never in the caller's (whose default
# precision of 28 digits would silently drop the cents of a 30-digit amount).
# 132 digits hold the exact sum of any two amounts within the bounds above.
_EXACT = _context(_MAX_ADJUSTED + 2 + _MAX_PLACES + 1)
_ADD, _SUBTRACT, _MULTIPLY, _MINUS, _ABS, _SCALEB = (
    _EXACT.add,
    _EXACT.subtract,
    _EXACT.multiply,
    _EXACT.minus,
    _EXACT.abs,
    _EXACT.scaleb,
)
# A quotient is not exact: 28 significant digits (Python's default) for a
# quotient below 10**14, else 48, keep at least 14 decimal places below 10**34.
_DIVIDE, _DIVIDE_WIDE = _context(28).divide, _context(48).divide
_WIDE_ADJUSTED = 14
_EXPONENTS = {code: Decimal(1).scaleb(-places) for code, places in _MINOR_UNITS.items()}


def minor_unit(currency: str) -> int:
    """Return the number of decimal places of ``currency`` (ISO 4217 minor unit).

    >>> minor_unit("JPY"), minor_unit("USD"), minor_unit("KWD")
    (0, 2, 3)
    """
    return _MINOR_UNITS.get(currency, 2)


def to_decimal(value: Decimal | int | str, field: str = "amount") -> Decimal:
    """Convert ``value`` to a finite ``Decimal``; floats and booleans are refused.

    Floats are refused because ``0.1`` is not one tenth: pass ``Decimal("0.1")``
    or the string ``"0.1"`` instead.

    Raises:
        InvalidArgumentError: ``value`` is a float, a bool, not a number, or not finite.

    >>> to_decimal("0.10"), to_decimal(3)
    (Decimal('0.10'), Decimal('3'))
    """
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, bool) or not isinstance(value, int | str):
        raise InvalidArgumentError(
            f"{field} must be a Decimal, int or str (floats are not exact), got {value!r}"
        )
    else:
        try:
            result = Decimal(value)
        except InvalidOperation:
            raise InvalidArgumentError(f"{field} must be a number, got {value!r}") from None
    if not result.is_finite():
        raise InvalidArgumentError(f"{field} must be finite, got {value!r}")
    return result


_KNOWN_CODES: set[str] = set()


def _check_currency(_instance: object, _attribute: object, value: str) -> None:
    if value.__class__ is str and value in _KNOWN_CODES:
        return
    if not isinstance(value, str) or not _CODE.fullmatch(value):
        raise InvalidArgumentError(
            f"currency must be an ISO 4217 code of three capital letters, got {value!r}"
        )
    if len(_KNOWN_CODES) < 1024:  # remember valid codes; bounded so odd input cannot grow it
        _KNOWN_CODES.add(value)


def _amount(value: Decimal | int | str) -> Decimal:
    amount = to_decimal(value, "amount")
    if amount and (
        amount.adjusted() > _MAX_ADJUSTED
        or (
            int(amount.as_tuple().exponent) < -_MAX_PLACES
            and int(amount.normalize(_EXACT).as_tuple().exponent) < -_MAX_PLACES
        )
    ):
        raise InvalidArgumentError(
            f"amount must be below 10**30 in absolute value with at most {_MAX_PLACES} "
            f"decimal places, got {value!r}"
        )
    return amount


_FACTORS = (Decimal, int)


def _new(amount: Decimal, currency: str) -> Money:
    """Build a Money from values already known to be valid (results of Money arithmetic).

    Skips the validators: this is the hot path of invoice runs.
    """
    money = object.__new__(Money)
    _set_amount(money, amount)
    _set_currency(money, currency)
    return money


@attrs.frozen(eq=False, order=False, repr=False)
class Money:
    """An exact amount of money in one currency.

    Arithmetic between two ``Money`` values needs the same currency
    (otherwise :class:`~contractcore.errors.CurrencyMismatchError`); a
    ``Money`` can be multiplied or divided by a ``Decimal`` or an ``int``.
    Floats are refused everywhere. Equality and hashing use the numeric
    value, so ``Money("1.5", "USD") == Money("1.50", "USD")``.

    Attributes:
        amount: The exact amount (``Decimal``; ``int`` and ``str`` are converted).
        currency: The ISO 4217 code, such as ``"USD"``.

    >>> Money("100.00", "USD") + Money("0.005", "USD")
    Money('100.005', 'USD')
    >>> Money(5, "USD") + Money(5, "EUR")
    Traceback (most recent call last):
    ...
    contractcore.errors.CurrencyMismatchError: cannot combine USD and EUR amounts
    """

    amount: Decimal = attrs.field(converter=_amount)
    currency: str = attrs.field(validator=_check_currency)

    @classmethod
    def zero(cls, currency: str) -> Money:
        """Return zero in ``currency``, a start value for ``sum()`` that also works when empty.

        >>> sum([Money("0.10", "USD")] * 3, Money.zero("USD"))
        Money('0.30', 'USD')
        """
        return cls(Decimal(0), currency)

    @classmethod
    def total(cls, amounts: Iterable[Money], currency: str) -> Money:
        """Return the exact sum of ``amounts``, all in ``currency``.

        >>> Money.total([Money("1.005", "USD"), Money("2", "USD")], "USD")
        Money('3.005', 'USD')
        """
        return sum(amounts, cls.zero(currency))

    @property
    def minor_unit(self) -> int:
        """The currency's number of decimal places (JPY 0, USD 2, KWD 3)."""
        return minor_unit(self.currency)

    def rounded(self) -> Money:
        """Return the amount rounded half-up to the currency's minor unit.

        >>> Money("2.345", "USD").rounded(), Money("-2.345", "USD").rounded()
        (Money('2.35', 'USD'), Money('-2.35', 'USD'))
        >>> Money("149.5", "JPY").rounded(), Money("-0.004", "USD").rounded()
        (Money('150', 'JPY'), Money('0.00', 'USD'))
        """
        exponent = _EXPONENTS.get(self.currency, _CENTS)
        try:
            amount = self.amount.quantize(exponent, rounding=ROUND_HALF_UP, context=_EXACT)
        except InvalidOperation:
            # Only a result of arithmetic can be this large: amounts given are below 10**30.
            raise InvalidArgumentError(
                f"amount {self.amount} {self.currency} is too large to round to "
                f"{self.minor_unit} decimal places"
            ) from None
        if not amount and amount.is_signed():
            amount = amount.copy_abs()  # -0.001 rounds to 0.00, not -0.00
        return _new(amount, self.currency)

    def is_zero(self) -> bool:
        """Return whether the amount is zero."""
        return self.amount == 0

    def _same(self, other: Money) -> None:
        if self.currency != other.currency:
            raise CurrencyMismatchError(
                f"cannot combine {self.currency} and {other.currency} amounts"
            )

    def __add__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other)
        return _new(_ADD(self.amount, other.amount), self.currency)

    def __radd__(self, other: int) -> Money:
        # Lets ``sum(amounts)`` start from the int 0; any other left operand is refused.
        if other.__class__ is int and other == 0:
            return self
        return NotImplemented

    def __bool__(self) -> bool:
        return self.amount != 0

    def __sub__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other)
        return _new(_SUBTRACT(self.amount, other.amount), self.currency)

    def __mul__(self, factor: Decimal | int) -> Money:
        if factor.__class__ is bool or not isinstance(factor, _FACTORS):
            return NotImplemented
        if isinstance(factor, Decimal) and not factor.is_finite():
            raise InvalidArgumentError(f"factor must be finite, got {factor!r}")
        return _new(_MULTIPLY(self.amount, factor), self.currency)

    __rmul__ = __mul__

    def __truediv__(self, divisor: Decimal | int) -> Money:
        if divisor.__class__ is bool or not isinstance(divisor, _FACTORS):
            return NotImplemented
        if isinstance(divisor, Decimal) and not divisor.is_finite():
            raise InvalidArgumentError(f"divisor must be finite, got {divisor!r}")
        if divisor == 0:
            raise InvalidArgumentError("cannot divide money by zero")
        amount = self.amount
        # The quotient's order of magnitude is at most this (a nonzero int divisor is >= 1).
        size = amount.adjusted() if amount else 0
        if isinstance(divisor, Decimal):
            size -= divisor.adjusted()
        divide = _DIVIDE_WIDE if size >= _WIDE_ADJUSTED else _DIVIDE
        return _new(divide(amount, divisor), self.currency)

    def __neg__(self) -> Money:
        return _new(_MINUS(self.amount), self.currency)

    def __pos__(self) -> Money:
        return self

    def __abs__(self) -> Money:
        return _new(_ABS(self.amount), self.currency)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        return self.currency == other.currency and self.amount == other.amount

    def __hash__(self) -> int:
        return hash((self.amount, self.currency))

    def __lt__(self, other: Money) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other)
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other)
        return self.amount <= other.amount

    def __gt__(self, other: Money) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other)
        return self.amount > other.amount

    def __ge__(self, other: Money) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other)
        return self.amount >= other.amount

    def __repr__(self) -> str:
        return f"Money({str(self.amount)!r}, {self.currency!r})"

    def __str__(self) -> str:
        """Display form: code, then the amount rounded to the minor unit with thousands commas."""
        return self.format()

    def format(self, *, code: bool = True, exact: bool = False) -> str:
        """Return the display form, rounded half-up to the minor unit.

        An amount that rounds to zero shows without a minus sign (``USD 0.00``).

        Args:
            code: Prefix the currency code (``"USD 1,234.50"``); ``False`` gives ``"1,234.50"``.
            exact: Show every decimal place the amount has beyond the minor unit
                instead of rounding (a unit price of 12.257 shows as ``USD 12.257``).

        >>> Money("-1234.5", "USD").format(code=False)
        '-1,234.50'
        >>> Money("12.257", "USD").format(exact=True), Money("12.5", "USD").format(exact=True)
        ('USD 12.257', 'USD 12.50')
        """
        places = self.minor_unit
        amount = self.rounded().amount
        if exact and amount != self.amount:
            amount = self.amount.normalize(_EXACT)
            places = max(places, -int(amount.as_tuple().exponent))
        text = f"{amount:,.{places}f}"
        return f"{self.currency} {text}" if code else text

    def __format__(self, spec: str) -> str:
        return format(self.format(), spec) if spec else self.format()


_set_amount = Money.__dict__["amount"].__set__
_set_currency = Money.__dict__["currency"].__set__
