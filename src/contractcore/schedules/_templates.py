"""Saving a contract's schedules as a template and importing a template into a contract."""

from __future__ import annotations

from typing import Protocol, TypeVar

import attrs

from contractcore.schedules._events import Schedule, ScheduleTemplate


class _Scheduled(attrs.AttrsInstance, Protocol):
    @property
    def schedules(self) -> tuple[Schedule, ...]: ...


_C = TypeVar("_C", bound=_Scheduled)

__all__ = ["import_schedule_template", "save_schedule_template"]


def save_schedule_template(contract: _Scheduled, name: str) -> ScheduleTemplate:
    """Return the contract's update schedules as a template called ``name``.

    Pinned schedules (a renewal's carry-over, an amendment) are bookkeeping
    of this contract and are left out.

    >>> from datetime import date
    >>> from contractcore.contracts import Contract
    >>> from contractcore.schedules import PRICE, AtRenewal, Percent, Schedule, UpdateEvent
    >>> uplift = Schedule(events=[UpdateEvent(AtRenewal(), PRICE, Percent(3))])
    >>> contract = Contract(id="c-1", number="CT-1", customer_id="42", name="IT",
    ...                     start_date=date(2026, 1, 1), term_months=12, schedules=(uplift,))
    >>> template = save_schedule_template(contract, "Renewal uplift")
    >>> other = Contract(id="c-2", number="CT-2", customer_id="7", name="IT",
    ...                  start_date=date(2026, 3, 1), term_months=12)
    >>> import_schedule_template(other, template).schedules == (uplift,)
    True
    """
    return ScheduleTemplate(
        name=name, schedules=tuple(s for s in contract.schedules if not s.pinned)
    )


def import_schedule_template(contract: _C, template: ScheduleTemplate) -> _C:
    """Return the contract with the template's schedules added after its own.

    Imported schedules come last, so on a day where both have events the
    contract's own schedules apply first. Schedules that target listed service
    ids keep them; templates meant for many contracts usually target all services.
    """
    # mypy's attrs plugin wants a concrete attrs class here; the Protocol requires one.
    return attrs.evolve(  # type: ignore[misc]
        contract, schedules=(*contract.schedules, *template.schedules)
    )
