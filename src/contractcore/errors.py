"""One exception hierarchy for contractcore.

Every error the library raises on purpose is a :class:`ContractCoreError`.
The leaves also subclass the matching built-in exception, so code that already
catches ``ValueError`` or ``LookupError`` keeps working:

>>> from contractcore.errors import ContractCoreError, InvalidArgumentError
>>> issubclass(InvalidArgumentError, ContractCoreError), issubclass(InvalidArgumentError, ValueError)
(True, True)

Messages name the argument or field and the value that was wrong.
"""

from __future__ import annotations

__all__ = [
    "ConcurrencyError",
    "ContractCoreError",
    "InvalidArgumentError",
    "InvalidCalendarError",
    "InvalidTimelineError",
    "NaiveDatetimeError",
    "NotFoundError",
    "NoOpenTimeError",
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
