"""Early-termination penalties: what ending a contract before its term's end costs."""

from __future__ import annotations

from contractcore.penalties._kinds import (
    FixedPenalty,
    NoPenalty,
    Penalty,
    RemainingPercentPenalty,
    TotalPercentPenalty,
)

__all__ = [
    "FixedPenalty",
    "NoPenalty",
    "Penalty",
    "RemainingPercentPenalty",
    "TotalPercentPenalty",
]
