"""Early-termination penalties: what ending a contract before its term's end costs.

A contract carries one :data:`Penalty`; :func:`early_termination_penalty`
quotes it for a cancellation date, with the base and its breakdown.
"""

from __future__ import annotations

from contractcore._public import publish
from contractcore.penalties._kinds import (
    FixedPenalty,
    NoPenalty,
    Penalty,
    RemainingPercentPenalty,
    TotalPercentPenalty,
)
from contractcore.penalties._quote import (
    PenaltyLine,
    PenaltyQuote,
    PenaltyTerms,
    early_termination_penalty,
    recurring_charges,
)

__all__ = [
    "FixedPenalty",
    "NoPenalty",
    "Penalty",
    "PenaltyLine",
    "PenaltyQuote",
    "PenaltyTerms",
    "RemainingPercentPenalty",
    "TotalPercentPenalty",
    "early_termination_penalty",
    "recurring_charges",
]

publish(__name__)  # the names above report contractcore.penalties, not its private modules
