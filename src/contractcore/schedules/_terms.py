"""What schedules need of a contract, declared here so schedules never import contracts."""

from __future__ import annotations

from datetime import date
from typing import Protocol

from contractcore.pricing import BillingTerms, Service
from contractcore.schedules._events import Schedule

__all__ = ["ScheduleTerms"]


class ScheduleTerms(Protocol):
    """A contract's terms as the schedules, timelines and invoice runs read them.

    :class:`contractcore.contracts.Contract` provides them: packages below
    ``contracts`` declare what they need of a contract instead of importing
    it (the layers of DESIGN 1), and the contracts layer passes its contracts
    down.
    """

    @property
    def id(self) -> str:
        """The contract's id (for messages)."""
        ...

    @property
    def status(self) -> str:
        """``pending``, ``active``, ``canceled`` or ``completed``."""
        ...

    @property
    def kind(self) -> str:
        """``fixed`` or ``auto_renew``."""
        ...

    @property
    def start_date(self) -> date:
        """The current term's first day."""
        ...

    @property
    def end_date(self) -> date | None:
        """The current term's last day, or ``None`` while open-ended."""
        ...

    @property
    def covered_from(self) -> date:
        """The first day the contract covers, across its terms."""
        ...

    @property
    def last_covered_day(self) -> date | None:
        """The last day it covers (its end or cancellation date), if known."""
        ...

    @property
    def currency(self) -> str:
        """The currency it bills in."""
        ...

    @property
    def services(self) -> tuple[Service, ...]:
        """Its services."""
        ...

    @property
    def schedules(self) -> tuple[Schedule, ...]:
        """Its update schedules, in order."""
        ...

    @property
    def mid_period_changes(self) -> str:
        """``"whole_period"`` or ``"prorate"``: how a change inside a period is billed."""
        ...

    @property
    def billing(self) -> BillingTerms:
        """When its services' periods are due and how they fall (:func:`due_periods`)."""
        ...
