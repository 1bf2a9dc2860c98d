"""A tenant's contract number counter, stored apart from its numbering settings (private).

Every backend keeps two things per tenant: the settings (prefix, format,
minimum length, separator), versioned and saved optimistically, and this
counter, which only ever goes up. ``allocate`` changes only the counter and
``save`` changes the settings and may raise the counter, never lower it: so
no number is issued twice whatever settings object is saved, and an
administrator's edit never conflicts with allocations in progress (DESIGN 6).
"""

from __future__ import annotations

from datetime import date

import attrs

from contractcore.contracts import ContractNumbering, allocate

__all__ = ["NumberSequence"]


@attrs.frozen
class NumberSequence:
    """Where a tenant's contract numbers stand: the next sequence and the last one issued.

    >>> counter = NumberSequence(next_sequence=8, last_issued=7)
    >>> counter.raised_to(ContractNumbering(prefix="CT"))  # a fresh object lowers nothing
    NumberSequence(next_sequence=8, last_issued=7)
    >>> counter.raised_to(ContractNumbering(next_sequence=500)).next_sequence
    500
    """

    next_sequence: int = 1
    last_issued: int | None = None

    def raised_to(self, saved: ContractNumbering) -> NumberSequence:
        """The counter after ``saved`` is stored: each field the higher of the two."""
        last = [n for n in (self.last_issued, saved.last_issued) if n is not None]
        return NumberSequence(
            next_sequence=max(self.next_sequence, saved.next_sequence),
            last_issued=max(last) if last else None,
        )

    def applied_to(self, settings: ContractNumbering) -> ContractNumbering:
        """``settings`` as the store returns them: with this counter's fields."""
        return attrs.evolve(
            settings, next_sequence=self.next_sequence, last_issued=self.last_issued
        )

    def issue(
        self, settings: ContractNumbering, client_id: str, on: date
    ) -> tuple[str, NumberSequence]:
        """The next number under ``settings``, and the counter once it is issued."""
        number, issued = allocate(self.applied_to(settings), client_id, on)
        return number, NumberSequence(issued.next_sequence, issued.last_issued)
