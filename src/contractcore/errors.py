"""One exception hierarchy for contractcore.

Every error the library raises on purpose is a :class:`ContractCoreError`.
The leaves also subclass the matching built-in exception, so code that already
catches ``ValueError`` or ``LookupError`` keeps working:

>>> from contractcore.errors import ContractCoreError, InvalidArgumentError
>>> err = InvalidArgumentError
>>> issubclass(err, ContractCoreError), issubclass(err, ValueError)
(True, True)

Messages name the argument or field and the value that was wrong.
"""

from __future__ import annotations

__all__ = [
    "ConcurrencyError",
    "ContractCoreError",
    "ContractCurrencyError",
    "ContractStateError",
    "CurrencyMismatchError",
    "EventOrderError",
    "InvalidArgumentError",
    "InvalidCalendarError",
    "InvalidPolicyError",
    "InvalidTimelineError",
    "NaiveDatetimeError",
    "NaiveDatetimeInDocumentError",
    "NoOpenTimeError",
    "NotFoundError",
    "NumberingError",
    "ProductBlocked",
    "SerializationError",
    "StorageError",
    "UnknownReferenceError",
    "UnknownStatusError",
]


class ContractCoreError(Exception):
    """Root of every error raised by contractcore."""


class InvalidArgumentError(ContractCoreError, ValueError):
    """An argument or a model field has a value the rules do not allow."""


class NaiveDatetimeError(InvalidArgumentError):
    """A datetime without a time zone was passed where an instant is needed."""


class InvalidCalendarError(InvalidArgumentError):
    """A business calendar definition is inconsistent (overlaps, bad zone, ...)."""


class NoOpenTimeError(InvalidArgumentError):
    """A deadline was asked of a calendar that is never open."""


class InvalidTimelineError(InvalidArgumentError):
    """A ticket timeline is out of order or does not start with its creation."""


class NotFoundError(ContractCoreError, LookupError):
    """A stored aggregate does not exist (in this tenant)."""


class ConcurrencyError(ContractCoreError, RuntimeError):
    """A stale copy was saved: someone else changed the aggregate first."""


class InvalidPolicyError(InvalidArgumentError):
    """An SLA policy's targets or options are inconsistent."""


class ContractStateError(ContractCoreError, ValueError):
    """A lifecycle step is not allowed from the contract's current status or dates."""


class NumberingError(InvalidArgumentError):
    """A contract numbering change would reissue or go below an issued number."""


class CurrencyMismatchError(ContractCoreError, TypeError):
    """Money amounts in different currencies were combined."""


class ContractCurrencyError(CurrencyMismatchError, InvalidArgumentError):
    """A contract was built with an amount that is not in its ``currency``.

    It is both a :class:`CurrencyMismatchError` and an
    :class:`InvalidArgumentError` (a field the rules do not allow), so either
    ``except`` clause catches it. The message names the field path and the
    currencies.
    """


class ProductBlocked(ContractCoreError, ValueError):  # noqa: N818 - the name DESIGN.md gives it
    """A product on the contract's blocklist was added to a sale."""


class SerializationError(ContractCoreError, ValueError):
    """A document could not be read: the message names the field path and value."""


class NaiveDatetimeInDocumentError(SerializationError, NaiveDatetimeError):
    """A document gave a datetime without a UTC offset.

    It is both a :class:`SerializationError` (the document is bad; the message
    names the field path) and a :class:`NaiveDatetimeError`, so either
    ``except`` clause catches it.
    """


class EventOrderError(InvalidTimelineError):
    """A ticket event recorded before the ticket's last one, or a second creation."""


class UnknownStatusError(InvalidTimelineError):
    """A ticket status is not known.

    Raised for a status the ticket's SLA policy does not know, and for a host
    status missing from the :class:`~contractcore.sla.StatusMap` an
    ingestion was given.
    """


class UnknownReferenceError(NotFoundError):
    """A ticket names an SLA policy or a contract its tenant has not stored."""


class StorageError(ContractCoreError, RuntimeError):
    """The database could not be used: unreachable, locked, corrupt or not contractcore's.

    The repository raises it for a driver error it has no more precise error
    for (a lost race or a lock wait is a :class:`ConcurrencyError`); the
    command line exits with status 3 on it.
    """
